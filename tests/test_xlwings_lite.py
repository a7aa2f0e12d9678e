"""The xlwings Lite bundle: ``aijri xlwings-lite -o DIR`` and the main.py it writes."""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import subprocess
import sys
import textwrap

import pytest

from aijri_xl.cli import main as cli_main
from aijri_xl.excel import functions as udfs
from aijri_xl.excel.lite import (
    BUNDLE_MODULES,
    REQUIREMENTS,
    BundleError,
    _strip,
    bundle_source,
    write_bundle,
)

WORKED_EXAMPLE = textwrap.dedent("""
    import asyncio, json, os, sys
    sys.path.insert(0, sys.argv[1])
    import main
    times = [[0.25], [0.2], [0.15], [0.1], [0.1], [0.1], [0.05], [0.05], [None]]
    scores = [[2], [2], [3], [3], [2], [2], [3], [1], [None]]
    classes = [["AUGMENTATION"]] * 7 + [["NOT INVOLVED"], [None]]
    args = [times, scores, classes, [[0, 0, 2]], [[1]], [[1, 1, 1, 1, 1]], [[0]], None]
    out = {"score": main.AIJRI_SCORE(times, scores, 5, 0, 1),
           "assess": dict(main.AIJRI_ASSESS(*args))}
    if os.environ.get("XLWINGS_ON_SERVER") == "true":
        import xlwings
        from xlwings.server import custom_functions_call, custom_functions_meta
        out["functions"] = sorted(f["id"] for f in custom_functions_meta(main)["functions"])
        data = {"func_name": "AIJRI_ASSESS", "args": args, "version": xlwings.__version__,
                "client": "Office.js", "runtime": "1.4"}
        out["dispatched"] = dict(asyncio.run(custom_functions_call(data, main)))
    print(json.dumps(out))
""")


def test_bundle_is_deterministic_and_compiles(tmp_path):
    first = [p.read_bytes() for p in write_bundle(tmp_path / "a")]
    second = [p.read_bytes() for p in write_bundle(tmp_path / "b")]
    assert first == second
    assert (tmp_path / "a" / "requirements.txt").read_text() == REQUIREMENTS
    text = (tmp_path / "a" / "main.py").read_text(encoding="utf-8")
    assert text == bundle_source()
    compile(text, "main.py", "exec")
    for module in BUNDLE_MODULES:
        assert f"\n# aijri_xl/{module}.py\n" in text


def test_bundle_imports_only_the_standard_library_and_xlwings():
    """Pyodide has the standard library; xlwings comes from requirements.txt. No
    relative import survives and there is one __future__ import, at the top."""
    tree = ast.parse(bundle_source())
    imported = set()
    futures = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0, ast.unparse(node)
            if node.module == "__future__":
                futures += 1
            else:
                imported.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            imported.update(a.name.split(".")[0] for a in node.names)
    assert futures == 1
    assert imported - set(sys.stdlib_module_names) == {"xlwings"}
    assert REQUIREMENTS.splitlines() == ["xlwings>=0.33,<1.0"]


def test_bundled_functions_work_in_process(tmp_path, monkeypatch):
    (main_py, _) = write_bundle(tmp_path)
    spec = importlib.util.spec_from_file_location("aijri_lite_main", main_py)
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look it up there
    spec.loader.exec_module(module)
    names = {n for n in dir(module) if n.startswith("AIJRI_")}
    assert names == {f.__name__ for f in udfs.FUNCTIONS}
    times, scores = [[25], [20], [15], [10], [10], [10], [5], [5]], [[2], [2], [3], [3], [2],
                                                                     [2], [3], [1]]
    assert module.AIJRI_SCORE(times, scores, 5, 0, 1) == 52.8
    assert module.AIJRI_ZONE(52.8) == "GREEN"
    assert module.AIJRI_TASK_RESISTANCE(times, [[9]] * 8).startswith("#VALUE! task 1")
    assert callable(module.verify_workbook)


@pytest.mark.parametrize(("source", "message"), [
    ("from aijri_xl.method.engine import score as s\n",
     "only 'from aijri_xl.module import name'"),
    ("from aijri_xl.method.engine import nothing_here\n", "'nothing_here' is not defined"),
    ("from aijri_xl import engine\n", "only 'from aijri_xl.module import name'"),
])
def test_bundler_refuses_what_it_cannot_copy(source, message):
    with pytest.raises(BundleError, match=message):
        _strip("probe", source, {"score": "method.engine"})


def test_bundler_refuses_a_name_two_modules_define(monkeypatch, tmp_path):
    import aijri_xl.excel.lite as lite

    (tmp_path / "one.py").write_text("PARAMS = {}\n\ndef excel_round(x):\n    return x\n")
    (tmp_path / "two.py").write_text("from aijri_xl.one import excel_round\n\nPARAMS = {'a': 1}\n")
    monkeypatch.setattr(lite, "PACKAGE_DIR", tmp_path)
    monkeypatch.setattr(lite, "BUNDLE_MODULES", ("one", "two"))
    with pytest.raises(BundleError, match=r"two\.py defines 'PARAMS', which one already binds"):
        lite.bundle_source()
    (tmp_path / "two.py").write_text("from aijri_xl.one import excel_round\n\nSPAN = 1\n")
    assert "SPAN = 1" in lite.bundle_source()


def test_cli_writes_the_bundle(tmp_path, capsys):
    assert cli_main(["xlwings-lite", "-o", str(tmp_path / "lite")]) == 0
    out = capsys.readouterr().out
    assert "main.py" in out and "requirements.txt" in out
    assert (tmp_path / "lite" / "main.py").read_text(encoding="utf-8") == bundle_source()


def test_cli_needs_an_output_folder(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli_main(["xlwings-lite"])
    assert exit_.value.code == 2


@pytest.mark.slow
def test_bundle_scores_the_worked_example_in_a_clean_venv(tmp_path):
    """A fresh virtual environment without this project or the system's packages; only
    xlwings installed, as xlwings Lite installs it from requirements.txt."""
    write_bundle(tmp_path / "lite")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "-r",
         str(tmp_path / "lite" / "requirements.txt")], capture_output=True, text=True)
    if install.returncode != 0:
        if os.environ.get("CI") == "true":
            pytest.fail(f"pip could not install xlwings:\n{install.stderr}")
        pytest.skip(f"pip could not install xlwings (offline?): {install.stderr[-300:]}")
    probe = subprocess.run([str(python), "-c", "import aijri_xl"], capture_output=True,
                           cwd=tmp_path)
    assert probe.returncode != 0  # the project itself is not there: main.py stands alone
    script = tmp_path / "run.py"
    script.write_text(WORKED_EXAMPLE)
    env = {k: v for k, v in os.environ.items() if not k.startswith("XLWINGS")}
    for extra in ({}, {"XLWINGS_ON_SERVER": "true", "XLWINGS_LICENSE_KEY": "noncommercial"}):
        run = subprocess.run([str(python), str(script), str(tmp_path / "lite")],
                             capture_output=True, text=True, env={**env, **extra},
                             cwd=tmp_path)
        assert run.returncode == 0, run.stderr
        out = json.loads(run.stdout)
        assert out["score"] == 52.8
        assert (out["assess"]["score"], out["assess"]["zone"], out["assess"]["sub_label"]) \
            == (52.8, "GREEN", "Green (Transforming)")
        if extra:
            assert out["functions"] == sorted(f.__name__ for f in udfs.FUNCTIONS)
            dispatched = out["dispatched"]
            assert (dispatched["score"], dispatched["final_score"], dispatched["zone"]) == (
                52.8, 52.8, "GREEN")
            assert dispatched["pct_time_score_3plus"] == 0.3
