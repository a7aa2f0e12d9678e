"""A real Dask cluster: a LocalCluster of two worker processes on this machine, bound to
127.0.0.1, gives file for file the same results as the local run, for local paths and
for fsspec ``file://`` URLs, through the library and through ``aijri --scheduler``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hostile import corpus

from aijri_xl.registry import build_register
from aijri_xl.verify.cache import Cache
from aijri_xl.verify.runner import collect_names, stream

distributed = pytest.importorskip("distributed", reason="the [dask] extra is not installed")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def scheduler():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, host="127.0.0.1",
                                       silence_logs=40)
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


@pytest.fixture(scope="module")
def folder(repo_root: Path, tmp_path_factory) -> Path:
    from aijri_xl.catalogue.samples import write_portfolio

    root = tmp_path_factory.mktemp("cluster")
    write_portfolio(root / "portfolio", 24)
    corpus((repo_root / "workbooks" / "hpc-developer.xlsx").read_bytes(), root / "hostile")
    return root


def _dicts(reports):
    return [r.to_dict() for r in reports]


def test_cluster_equals_local_for_paths(folder, scheduler):
    from aijri_xl.sources import SUFFIXES

    names, _ = collect_names([folder], SUFFIXES)
    assert len(names) > 30
    local = _dicts(stream(names, 1))
    remote = _dicts(stream(names, scheduler=scheduler, batch=5))
    assert remote == local


def test_cluster_equals_local_for_file_urls(folder, scheduler):
    names, _ = collect_names([(folder / "portfolio").as_uri()])
    assert names and all(n.startswith("file://") for n in names)
    local = _dicts(stream(names, 1))
    remote = _dicts(stream(names, scheduler=scheduler, batch=3))
    assert remote == local
    # The same verdicts and figures as the files read by path.
    by_path = _dicts(stream([n.removeprefix("file://") for n in names], 1))
    assert [(r["verdict"], r["result"]) for r in remote] == [
        (r["verdict"], r["result"]) for r in by_path]


def test_cluster_with_a_cache_reads_only_changed_files(folder, scheduler, tmp_path):
    names, _ = collect_names([folder / "portfolio"])
    with Cache(tmp_path / "c") as cache:
        first = _dicts(stream(names, cache=cache, scheduler=scheduler, batch=4))
    with Cache(tmp_path / "c") as cache:
        second = _dicts(stream(names, cache=cache, scheduler=scheduler, batch=4))
        assert (cache.hits, cache.misses) == (len(names), 0)
    assert first == second == _dicts(stream(names, 1))


def test_register_on_the_cluster_equals_the_local_register(folder, scheduler):
    local = build_register([folder / "portfolio"], jobs=1).to_dict()
    remote = build_register([folder / "portfolio"], scheduler=scheduler).to_dict()
    assert remote == local


def test_cli_takes_the_scheduler_from_the_environment(folder, scheduler, tmp_path):
    import os

    env = {**os.environ, "DASK_SCHEDULER_ADDRESS": scheduler}
    command = [sys.executable, "-m", "aijri_xl", "verify", str(folder / "portfolio"),
               "--json"]
    remote = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300,
                            check=False)
    local = subprocess.run([*command, "--jobs", "1"], capture_output=True, text=True,
                           timeout=300, check=False,
                           env={k: v for k, v in env.items() if k != "DASK_SCHEDULER_ADDRESS"})
    assert remote.returncode == local.returncode
    assert json.loads(remote.stdout) == json.loads(local.stdout)
    out = tmp_path / "register.json"
    done = subprocess.run([sys.executable, "-m", "aijri_xl", "register",
                           str(folder / "portfolio"), "-o", str(out), "--scheduler",
                           scheduler, "-q"], capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode in (0, 1), done.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["files_read"] == 24


def test_no_scheduler_is_a_clear_error(folder, capsys, monkeypatch):
    from aijri_xl.cli import main

    monkeypatch.setenv("AIJRI_SCHEDULER_TIMEOUT", "1")
    rc = main(["verify", str(folder / "portfolio"), "--scheduler", "tcp://127.0.0.1:9"])
    err = capsys.readouterr().err
    assert rc == 1 and "no Dask scheduler answers at tcp://127.0.0.1:9" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("value", ["soon", "0", "-3", "inf", "nan"])
def test_a_bad_scheduler_timeout_is_a_clear_error(folder, capsys, monkeypatch, value):
    from aijri_xl.cli import main

    monkeypatch.setenv("AIJRI_SCHEDULER_TIMEOUT", value)
    rc = main(["verify", str(folder / "portfolio"), "--scheduler", "tcp://127.0.0.1:9"])
    err = capsys.readouterr().err
    assert rc == 1 and f"AIJRI_SCHEDULER_TIMEOUT={value!r} is not a number of seconds" in err
    assert "Traceback" not in err
