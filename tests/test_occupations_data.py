"""The vendored occupation data: its raw files, the build script, the packaged data file.

The raw files in data/onet/ are checked against the hashes their PROVENANCE.md states; the
packaged ``aijri_xl/occupations/onet.json.gz`` and ``NOTICE`` must be what the build script
makes of them, byte for byte; and nothing reads the data before a function needs it.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import re
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "onet"
PACKAGE = resources.files("aijri_xl").joinpath("occupations")


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_occupations",
                                                  REPO / "scripts" / "build_occupations.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BUILD = _script()


def _stated_hashes() -> dict[str, str]:
    text = (RAW / "PROVENANCE.md").read_text(encoding="utf-8")
    return {name: digest for digest, name in re.findall(r"^([0-9a-f]{64})  (\S+)$", text,
                                                         flags=re.M)}


def test_provenance_states_a_hash_for_every_vendored_file() -> None:
    stated = _stated_hashes()
    files = sorted(p.name for p in RAW.iterdir() if p.name != "PROVENANCE.md")
    assert sorted(stated) == files == sorted(BUILD.SOURCES)


@pytest.mark.parametrize("name", sorted(BUILD.SOURCES))
def test_vendored_file_has_its_stated_hash(name: str) -> None:
    digest = hashlib.sha256((RAW / name).read_bytes()).hexdigest()
    assert digest == _stated_hashes()[name], f"data/onet/{name} changed since it was vendored"


def test_the_packaged_files_are_the_build_of_data_onet() -> None:
    built = BUILD.build(RAW)
    assert set(built) == {"onet.json.gz", "NOTICE"}
    for name, data in built.items():
        assert PACKAGE.joinpath(name).read_bytes() == data, (
            f"aijri_xl/occupations/{name} is stale: run python scripts/build_occupations.py")


def test_the_build_is_deterministic_and_records_its_sources(tmp_path: Path) -> None:
    first = BUILD.build(RAW)
    copy = tmp_path / "onet"
    shutil.copytree(RAW, copy)
    assert BUILD.build(copy) == first  # another folder, the same bytes
    document = json.loads(gzip.decompress(first["onet.json.gz"]))
    assert document["format"] == "aijri-xl-occupations"
    assert document["format_version"] == BUILD.FORMAT_VERSION
    assert {s["file"]: s["sha256"] for s in document["sources"]} == _stated_hashes()


def test_the_data_file_is_small() -> None:
    assert len(PACKAGE.joinpath("onet.json.gz").read_bytes()) < 3_000_000


def test_the_data_file_holds_what_provenance_describes() -> None:
    document = json.loads(gzip.decompress(PACKAGE.joinpath("onet.json.gz").read_bytes()))
    assert len(document["occupations"]) == 1016
    assert len(document["tasks"]) == 923
    assert sum(len(t) for t in document["tasks"].values()) == 19265
    assert len(document["exposure"]) == 923
    assert len(document["ai_applicability"]) == 785
    unjoined = document["unjoined"]
    assert len(unjoined["occupations_without_tasks"]) == 93
    assert len(unjoined["ai_applicability_codes_without_occupation"]) == 12
    types = [t[2] for tasks in document["tasks"].values() for t in tasks]
    assert (types.count("Core"), types.count("Supplemental"), types.count("")) == (
        13225, 4728, 1312)


def test_notice_carries_every_attribution() -> None:
    raw = PACKAGE.joinpath("NOTICE").read_text(encoding="utf-8")
    text = " ".join(raw.split())  # the phrases, wherever the lines break
    for phrase in ("O*NET database", "U.S. Department of Labor",
                   "Employment and Training Administration (USDOL/ETA)", "CC BY 4.0",
                   "O*NET(R) is a trademark of USDOL/ETA",
                   "has not approved, endorsed or tested these modifications",
                   "Copyright (c) 2024 OpenAI", "Permission is hereby granted",
                   "GPTs are GPTs", "Science 384 (2024)", "Working with AI",
                   "arXiv:2507.07935", "0471612fef3cc22b74fb884d27bff9dbd3770582",
                   "84c4ebacaa39d1c11e26e16c2f2c98aa89a11834"):
        assert phrase in text, phrase
    for name, digest in _stated_hashes().items():
        assert f"{digest}  {name}" in raw


def test_a_bad_source_is_refused_with_its_file_and_line(tmp_path: Path) -> None:
    copy = tmp_path / "onet"
    shutil.copytree(RAW, copy)
    labels = copy / "task_exposure_labels.tsv"
    lines = labels.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[5] = lines[5].replace("\tE0\t", "\tE7\t", 1) if "\tE0\t" in lines[5] else \
        lines[5].replace("\tE2\t", "\tE7\t", 1)
    labels.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(BUILD.SourceError, match=r"task_exposure_labels\.tsv:6: .*'E7'"):
        BUILD.build(copy)
    proc = subprocess.run([sys.executable, str(REPO / "scripts" / "build_occupations.py"),
                           "--source", str(copy), "--output", str(tmp_path / "out")],
                          capture_output=True, text=True)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "task_exposure_labels.tsv:6" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_check_mode_reports_a_stale_package(tmp_path: Path) -> None:
    script = str(REPO / "scripts" / "build_occupations.py")
    out = tmp_path / "out"
    assert subprocess.run([sys.executable, script, "--output", str(out)],
                          capture_output=True).returncode == 0
    assert subprocess.run([sys.executable, script, "--output", str(out), "--check"],
                          capture_output=True).returncode == 0
    (out / "NOTICE").write_text("edited", encoding="utf-8")
    proc = subprocess.run([sys.executable, script, "--output", str(out), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 1 and "NOTICE" in proc.stderr


def test_nothing_reads_the_data_until_it_is_needed() -> None:
    code = """
import sys, aijri_xl, aijri_xl.cli
from aijri_xl import occupations
assert occupations._document.cache_info().currsize == 0, "importing read the data"
aijri_xl.cli.main(["params"])
assert occupations._document.cache_info().currsize == 0, "aijri params read the data"
occupations.get("29-1141.00")
assert occupations._document.cache_info().currsize == 1
print("ok")
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.strip().endswith("ok"), proc.stderr


def test_importing_the_package_does_not_import_occupations_or_pandas() -> None:
    code = ("import sys, aijri_xl; print('aijri_xl.occupations' in sys.modules, "
            "'pandas' in sys.modules); aijri_xl.occupations; "
            "print('aijri_xl.occupations' in sys.modules, 'pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "False", "True", "False"]
