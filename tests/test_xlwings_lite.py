"""The xlwings Lite bundle: ``aijri xlwings-lite -o DIR`` and the main.py it writes.

main.py embeds the package's own modules under their own names; these tests check that
it is deterministic, that it carries exactly the modules the functions and the script
import, that it stands alone (no aijri_xl from disk) and that its functions and script
give the package's results, call for call, on the whole rule corpus.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import rule_corpus
from office_js import payload_from_xlsx

from aijri_xl.cli import main as cli_main
from aijri_xl.excel import functions as udfs
from aijri_xl.excel.lite import (
    ENTRY_MODULES,
    NOT_BUNDLED,
    REQUIREMENTS,
    BundleError,
    bundle_source,
    modules,
    write_bundle,
)

TESTS = Path(__file__).resolve().parent
RUNNER = TESTS / "excel_runner.py"


def test_bundle_is_deterministic_and_compiles(tmp_path):
    first = [p.read_bytes() for p in write_bundle(tmp_path / "a")]
    second = [p.read_bytes() for p in write_bundle(tmp_path / "b")]
    assert first == second
    assert (tmp_path / "a" / "requirements.txt").read_text() == REQUIREMENTS
    text = (tmp_path / "a" / "main.py").read_text(encoding="utf-8")
    assert text == bundle_source()
    compile(text, "main.py", "exec")


def _embedded(text: str) -> dict[str, tuple[str, bool, str]]:
    """The modules main.py embeds: name -> (file, is a package, source)."""
    found = {}
    for node in ast.parse(text).body:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) \
                and getattr(node.value.func, "id", None) == "_embed":
            name, filename, is_package, source = (ast.literal_eval(a)
                                                  for a in node.value.args)
            found[name] = (filename, is_package, source)
    return found


def test_bundle_embeds_each_module_unchanged_under_its_own_name():
    embedded = _embedded(bundle_source())
    package = Path(udfs.__file__).resolve().parents[1]
    assert set(embedded) == {"aijri_xl"} | {m.name for m in modules()}
    assert set(ENTRY_MODULES) <= set(embedded)
    assert not set(NOT_BUNDLED) & set(embedded)
    for name, (filename, is_package, source) in embedded.items():
        if name == "aijri_xl":
            continue  # the stub top package
        assert (package.parent / filename).read_text(encoding="utf-8") == source, name
        assert is_package == filename.endswith("__init__.py")


def test_bundle_imports_only_the_standard_library_xlwings_and_itself():
    """Pyodide has the standard library; xlwings comes from requirements.txt."""
    embedded = _embedded(bundle_source())
    imported = set()
    for _, _, source in embedded.values():
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(a.name for a in node.names)
    outside = {m for m in imported if m.split(".")[0] != "aijri_xl"}
    assert {m.split(".")[0] for m in outside} - set(sys.stdlib_module_names) == {"xlwings"}
    ours = {m for m in imported if m.split(".")[0] == "aijri_xl"}
    assert ours - set(embedded) == set(NOT_BUNDLED)  # imported only inside functions
    assert REQUIREMENTS.splitlines() == ["xlwings>=0.33,<1.0"]


def test_the_modules_left_out_are_imported_only_inside_functions():
    for module in modules():
        tree = ast.parse(module.path.read_text(encoding="utf-8"))
        top = [n for n in tree.body if isinstance(n, ast.ImportFrom | ast.Import)]
        names = {getattr(n, "module", None) for n in top} | {
            a.name for n in top if isinstance(n, ast.Import) for a in n.names}
        assert not names & set(NOT_BUNDLED), module.name


def test_bundler_refuses_a_relative_import(monkeypatch, tmp_path):
    import aijri_xl.excel.lite as lite

    (tmp_path / "excel").mkdir()
    (tmp_path / "__init__.py").write_text("")
    (tmp_path / "excel" / "__init__.py").write_text("")
    (tmp_path / "excel" / "functions.py").write_text("from . import other\n")
    monkeypatch.setattr(lite, "PACKAGE_DIR", tmp_path)
    monkeypatch.setattr(lite, "ENTRY_MODULES", ("aijri_xl.excel.functions",))
    with pytest.raises(BundleError, match=r"functions\.py line 1: a relative import"):
        lite.modules()


def test_cli_writes_the_bundle(tmp_path, capsys):
    assert cli_main(["xlwings-lite", "-o", str(tmp_path / "lite")]) == 0
    out = capsys.readouterr().out
    assert "main.py" in out and "requirements.txt" in out
    assert (tmp_path / "lite" / "main.py").read_text(encoding="utf-8") == bundle_source()


def test_cli_needs_an_output_folder(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli_main(["xlwings-lite"])
    assert exit_.value.code == 2


# --------------------------------------------------------------------------- the corpus


def _named(payload: dict, name: str) -> list[list]:
    """A defined name's range as Excel passes it to a function: rows of values."""
    (entry,) = [n for n in payload["names"] if n["name"] == name]
    grid = payload["sheets"][entry["sheet_index"]]["values"]
    first, _, last = entry["address"].partition(":")
    last = last or first
    from aijri_xl.workbook.xlsx import split_ref

    (r0, c0), (r1, c1) = split_ref(first), split_ref(last)
    return [[grid[r - 1][c] if r - 1 < len(grid) and c < len(grid[r - 1]) else ""
             for c in range(c0, c1 + 1)] for r in range(r0, r1 + 1)]


def corpus_calls(payloads: list[dict]) -> list[list]:
    """Every function on every rule case, its arguments the workbook's own ranges."""
    from aijri_xl.method import BARRIERS, EVIDENCE, PROTECTIVE

    calls: list[list] = [["AIJRI_METHOD", []], ["AIJRI_PARAM", [None]],
                         ["AIJRI_PARAM", [[["score_span"]]]], ["AIJRI_PARAM", [[["NOPE"]]]]]
    for p in payloads:
        if not any(n["name"] == "task_time" for n in p["names"]):
            continue
        t, s, c, n = (_named(p, k) for k in ("task_time", "task_score", "task_class",
                                             "task_name"))
        g, o, j, gc = (_named(p, k) for k in ("growth_correlation", "override_score",
                                              "override_justification", "growth_check"))
        prot = [_named(p, d.name)[0] for d in PROTECTIVE]
        evid = [_named(p, d.name)[0] for d in EVIDENCE]
        barr = [_named(p, d.name)[0] for d in BARRIERS]
        final = _named(p, "final_score")
        calls += [
            ["AIJRI_TASK_RESISTANCE", [t, s]], ["AIJRI_PCT_SCORING", [t, s, [[3]]]],
            ["AIJRI_PCT_SCORING", [t, s, [[4]]]], ["AIJRI_SPLIT", [t, c, None]],
            ["AIJRI_SPLIT", [t, c, [["AUGMENTATION"]]]], ["AIJRI_MODIFIERS", [evid, barr, g]],
            ["AIJRI_RAW", [t, s, evid, barr, g]], ["AIJRI_SCORE", [t, s, evid, barr, g]],
            ["AIJRI_ZONE", [final]], ["AIJRI_SUBLABEL", [final, t, s, g]],
            ["AIJRI_QUICK_SCREEN", [prot, g]],
            ["AIJRI_ASSESS", [t, s, c, prot, g, evid, barr, o]],
            ["AIJRI_VALIDATE", [t, s, c, prot, g, evid, barr, o, j, n, gc]],
        ]
    return calls


def _run(mode: str, directory: Path, job: dict, cwd: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("XLWINGS", "PYTHONPATH", "AIJRI_DOCS"))}
    if mode == "package":
        env["PYTHONPATH"] = str(TESTS.parent)
    run = subprocess.run([sys.executable, str(RUNNER), mode, str(directory)],
                         input=json.dumps(job), capture_output=True, text=True, env=env,
                         cwd=cwd, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    import xlwings

    folder = tmp_path_factory.mktemp("lite")
    write_bundle(folder / "lite")
    payloads = [payload_from_xlsx(xlwings.__version__, data, f"{case}.xlsx")
                for case, _, data in rule_corpus.cases()]
    payloads.insert(0, payload_from_xlsx(xlwings.__version__, rule_corpus.EXAMPLE))
    return folder, payloads, corpus_calls(payloads)


@pytest.mark.parametrize("office_js", [False, True], ids=["plain Python", "Office.js"])
def test_the_bundle_gives_the_packages_results_on_the_rule_corpus(corpus, office_js):
    folder, payloads, calls = corpus
    job = {"office_js": office_js, "calls": calls, "payloads": payloads}
    bundle = _run("bundle", folder / "lite", job, cwd=folder)
    package = _run("package", folder / "lite", job, cwd=folder)
    assert len(bundle["calls"]) == len(calls) > 200
    for (name, _), got, want in zip(calls, bundle["calls"], package["calls"], strict=True):
        assert got == want, name
    assert bundle["scripts"] == package["scripts"]
    if office_js:
        assert len(bundle["scripts"]) == len(payloads)
        assert bundle["scripts"][0][0][1] == "PASS"
        assert {row[0] for table in bundle["scripts"][1:] for row in table[3:]} >= {
            code for _, code, _ in rule_corpus.RULES}
    # The bundle's modules came from main.py, each under its own name; none from disk.
    assert bundle["modules"] and all(loader == "_Bundle"
                                     for _, loader in bundle["modules"].values())
    assert set(bundle["modules"]) <= {"aijri_xl"} | {m.name for m in modules()}
    assert all(loader != "_Bundle" for _, loader in package["modules"].values())


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
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XLWINGS", "PYTHON"))}
    probe = subprocess.run([str(python), "-c", "import aijri_xl"], capture_output=True,
                           cwd=tmp_path, env=env)
    assert probe.returncode != 0  # the project itself is not there: main.py stands alone
    job = {"office_js": True, "calls": [["AIJRI_SCORE", [[[25], [75]], [[2], [3]], [[5]],
                                                          [[0]], [[1]]]]], "payloads": []}
    run = subprocess.run([str(python), str(RUNNER), "bundle", str(tmp_path / "lite")],
                         input=json.dumps(job), capture_output=True, text=True, env=env,
                         cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    expected = udfs.AIJRI_SCORE([[25], [75]], [[2], [3]], [[5]], [[0]], [[1]])
    assert json.loads(run.stdout)["calls"] == [[[expected]]]
