"""The ``aijri`` command line as a user sees it: exit codes, stdout, stderr, and never a
traceback. Run in-process (the same ``main`` the entry point calls); one test runs the
real ``python -m aijri_xl`` in a subprocess."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys

import pytest

import aijri_xl
from aijri_xl.cli import main
from aijri_xl.method import METHOD, PARAMETERS, RESULT_FIELDS
from aijri_xl.method.codec import schema
from aijri_xl.method.findings import codes_markdown

WORKED_RESULT = {
    "method": "AIJRI-1.0", "weighted_total": 2.25, "task_resistance": 3.75,
    "pct_time_score_3plus": 30, "pct_time_score_4plus": 0, "split_displacement": 0,
    "split_augmentation": 95, "split_not_involved": 5, "protective_total": 2,
    "growth_correlation": 1, "quick_screen_total": 3,
    "quick_screen_band": "Yellow-to-Green boundary", "evidence_total": 5,
    "barrier_total": 0, "evidence_modifier": 1.2, "barrier_modifier": 1.0,
    "growth_modifier": 1.05, "raw": 4.725, "score_unrounded": 52.7743, "score": 52.8,
    "override": None, "final_score": 52.8, "zone": "GREEN",
    "sub_label": "Green (Transforming)",
}


def aijri(*args: str, cwd=None) -> subprocess.CompletedProcess[str]:
    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main([str(a) for a in args])
            except SystemExit as exc:  # argparse: --help, --version, usage errors
                code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    finally:
        os.chdir(here)
    proc = subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stdout, proc.stdout
    return proc


@pytest.fixture
def write(tmp_path):
    def write(name: str, text: str):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path
    return write


# ---------------------------------------------------------------------------------------
# score


def test_score_prints_the_worked_example_figures(worked_example_path):
    proc = aijri("score", worked_example_path)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for text in [
        "HPC Developer", METHOD,
        "Protective 2/9 + Correlation +1 = Yellow-to-Green boundary",
        "6.00 - 2.25 = 3.75/5.0",
        "scoring 3+: 30%", "scoring 4+: 0%",
        "0% displacement, 95% augmentation, 5% not involved",
        "1.0 + (5 × 0.04) = 1.20",
        "1.0 + (0 × 0.02) = 1.00",
        "1.0 + (1 × 0.05) = 1.05",
        "3.75 × 1.20 × 1.00 × 1.05 = 4.7250",
        "(4.7250 - 0.54) / 7.93 × 100 = 52.8/100",
        "Zone: GREEN",
        "Green (Transforming)",
    ]:
        assert text in out, text
    assert proc.stderr == ""


def test_score_json_prints_exactly_the_result_fields(worked_example_path):
    proc = aijri("score", "--json", worked_example_path)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert list(data) == list(RESULT_FIELDS)
    assert set(data) == set(WORKED_RESULT)
    for name, expected in WORKED_RESULT.items():
        if isinstance(expected, float) and name in ("raw", "score_unrounded"):
            assert round(data[name], 4) == expected, name
        elif isinstance(expected, float):
            assert data[name] == pytest.approx(expected, abs=1e-12), name
        else:
            assert data[name] == expected, name
    assert data["score"] == 52.8  # exactly, not approximately


def test_score_of_an_override_shows_both_scores(tmp_path, worked_example_path, write):
    text = worked_example_path.read_text(encoding="utf-8").replace(
        "override:\n", "override:\n  score: 45.5\n")
    proc = aijri("score", "--json", write("override.yaml", text))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert (data["score"], data["override"], data["final_score"], data["zone"]) == (
        52.8, 45.5, 45.5, "YELLOW")


# ---------------------------------------------------------------------------------------
# Bad input: a clear message naming the file and the field, exit 1, no traceback


def test_score_of_a_malformed_yaml_names_file_and_line(write):
    path = write("broken.yaml", "method: AIJRI-1.0\nrole: {title: x\n")
    proc = aijri("score", path)
    assert proc.returncode == 1
    assert "AIJ-F202" in proc.stderr
    assert f"{path}:3" in proc.stderr
    assert proc.stdout == ""


def test_score_of_a_malformed_json_names_file_and_line(write):
    path = write("broken.json", '{"method": "AIJRI-1.0",\n "tasks": [,]}\n')
    proc = aijri("score", path)
    assert proc.returncode == 1
    assert "AIJ-F202" in proc.stderr
    assert str(path) in proc.stderr
    assert "line 2" in proc.stderr


def test_score_of_a_missing_file(tmp_path):
    path = tmp_path / "nowhere.yaml"
    proc = aijri("score", path)
    assert proc.returncode == 1
    assert "AIJ-F201" in proc.stderr
    assert str(path) in proc.stderr


def test_a_missing_folder_is_missing_not_unsupported(tmp_path):
    for command in ("verify", "register"):
        proc = aijri(command, tmp_path / "nothing", *(
            ("-o", tmp_path / "r.xlsx") if command == "register" else ()))
        assert proc.returncode == 1, command
        assert "no such file or folder" in proc.stdout + proc.stderr, command
        assert ("AIJ-F201" if command == "verify" else "AIJ-R503") in proc.stdout, command


def test_score_of_an_unsupported_file(write):
    proc = aijri("score", write("notes.toml", "x = 1\n"))
    assert proc.returncode == 1
    assert "AIJ-F203" in proc.stderr


def test_score_of_an_invalid_assessment_names_file_and_problem(worked_example_path, write):
    text = worked_example_path.read_text(encoding="utf-8").replace(
        "  score: 3\n", "  score: 7\n", 1)
    path = write("invalid.yaml", text)
    proc = aijri("score", path)
    assert proc.returncode == 1
    assert "AIJ-E003" in proc.stderr
    assert str(path) in proc.stderr
    assert "task 3" in proc.stderr and "score" in proc.stderr and "7" in proc.stderr
    assert proc.stdout == ""


def test_score_of_an_invalid_assessment_shows_the_input_path(worked_example_path, write):
    text = worked_example_path.read_text(encoding="utf-8").replace(
        "  score: 3\n", "  score: 7\n", 1)
    proc = aijri("score", write("invalid.yaml", text))
    assert "tasks[2].score" in proc.stderr


def test_score_of_an_unknown_field_names_it(worked_example_path, write):
    text = worked_example_path.read_text(encoding="utf-8").replace(
        "role:\n", "role:\n  salary: 3\n", 1)
    proc = aijri("score", write("extra.yaml", text))
    assert proc.returncode == 1
    assert "AIJ-E012" in proc.stderr
    assert "salary" in proc.stderr


def test_score_of_a_mistyped_value_names_the_path(worked_example_path, write):
    text = worked_example_path.read_text(encoding="utf-8").replace(
        "  score: 3\n", "  score: three\n", 1)
    proc = aijri("score", write("typo.yaml", text))
    assert proc.returncode == 1
    assert "tasks[2].score" in proc.stderr


def test_score_with_a_non_blocking_error_prints_the_result_and_exits_1(write):
    path = write("short.yaml", """\
role: {title: Short}
protective: {embodied_physicality: 0, deep_interpersonal_connection: 0,
             goal_setting_moral_judgment: 0}
growth: {correlation: 0}
tasks: [{name: a, time: 90, score: 2, class: AUGMENTATION}]
evidence: {job_posting_trends: 0, company_actions: 0, wage_trends: 0, ai_tool_maturity: 0,
           expert_consensus: 0}
barriers: {regulatory_licensing: 0, physical_presence: 0, union_collective_bargaining: 0,
           liability_accountability: 0, cultural_ethical: 0}
""")
    proc = aijri("score", path)
    assert proc.returncode == 1
    assert "AIJ-E005" in proc.stderr
    assert "JobZone Score" in proc.stdout


def test_score_refuses_another_method_version(worked_example_path, write):
    text = worked_example_path.read_text(encoding="utf-8").replace(
        "method: AIJRI-1.0", "method: AIJRI-2.0")
    proc = aijri("score", "--json", write("v2.yaml", text))
    assert proc.returncode == 1
    assert "AIJ-E011" in proc.stderr
    assert "AIJRI-2.0" in proc.stderr
    assert proc.stdout == ""


# ---------------------------------------------------------------------------------------
# verify: exit codes 0 / 1 / 2


def test_verify_passes_the_worked_example(worked_example_path):
    proc = aijri("verify", worked_example_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"PASS  {worked_example_path}" in proc.stdout
    assert "1 PASS, 0 WARN, 0 FAIL" in proc.stdout


def test_verify_fails_a_failing_file_and_exits_1(worked_example_path, write):
    bad = write("bad.yaml", worked_example_path.read_text(encoding="utf-8").replace(
        "  check: 1\n", "  check: 2\n"))
    proc = aijri("verify", worked_example_path, bad)
    assert proc.returncode == 1
    assert f"FAIL  {bad}" in proc.stdout
    assert "AIJ-E009" in proc.stdout
    assert "1 PASS, 0 WARN, 1 FAIL" in proc.stdout


def test_verify_warns_but_exits_0(worked_example_path, write):
    warn = write("warn.yaml", worked_example_path.read_text(encoding="utf-8").replace(
        "override:\n", "override:\n  score: 30\n"))
    proc = aijri("verify", warn)
    assert proc.returncode == 0
    assert f"WARN  {warn}" in proc.stdout
    assert "AIJ-W021" in proc.stdout


def test_verify_json(worked_example_path, tmp_path):
    missing = tmp_path / "missing.yaml"
    proc = aijri("verify", "--json", worked_example_path, missing)
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert [d["verdict"] for d in data] == ["PASS", "FAIL"]
    assert list(data[0]) == ["file", "verdict", "method", "result", "findings", "sensitivity"]
    assert "sensitivity" not in data[1]  # not scored: nothing to be sensitive
    assert list(data[0]["result"]) == list(RESULT_FIELDS)
    assert data[0]["result"]["score"] == 52.8
    assert data[1]["result"] is None
    assert [f["code"] for f in data[1]["findings"]] == ["AIJ-F201"]


@pytest.mark.parametrize("args", [
    ("verify",), ("verify", "--bogus", "x.yaml"), ("score",), ("frobnicate",), (),
    ("score", "a.yaml", "b.yaml"),
])
def test_usage_errors_exit_2(args):
    proc = aijri(*args)
    assert proc.returncode == 2
    assert "usage" in proc.stderr.lower()
    assert proc.stdout == ""


# ---------------------------------------------------------------------------------------
# Reference commands


def test_params_lists_every_parameter():
    proc = aijri("params")
    assert proc.returncode == 0
    assert METHOD in proc.stdout
    for p in PARAMETERS:
        assert p.name in proc.stdout


def test_params_json_matches_the_table():
    proc = aijri("params", "--json")
    assert proc.returncode == 0
    data = json.loads(proc.stdout)
    assert data["method"] == METHOD
    assert [(p["name"], p["value"], p["tag"]) for p in data["parameters"]] == [
        (p.name, p.value, p.tag) for p in PARAMETERS]


def test_codes_prints_the_codes_table():
    proc = aijri("codes")
    assert proc.returncode == 0
    assert proc.stdout == codes_markdown()


def test_schema_prints_the_json_schema():
    proc = aijri("schema")
    assert proc.returncode == 0
    assert json.loads(proc.stdout) == schema()


def test_version():
    proc = aijri("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"aijri {aijri_xl.__version__}"


def test_help_lists_the_commands():
    proc = aijri("--help")
    assert proc.returncode == 0
    for name in ("score", "verify", "codes", "schema", "params"):
        assert name in proc.stdout


def test_python_m_aijri_xl_runs_the_same_command_line(worked_example_path):
    """The entry point itself, in a fresh interpreter, as a user runs it."""
    proc = subprocess.run([sys.executable, "-m", "aijri_xl", "score", "--json",
                           str(worked_example_path)], capture_output=True, text=True,
                          encoding="utf-8", timeout=120)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert (data["final_score"], data["zone"], data["sub_label"]) == (
        WORKED_RESULT["final_score"], WORKED_RESULT["zone"], WORKED_RESULT["sub_label"])


# ---------------------------------------------------------------------------------------
# Exit codes: one table, in --help and the README; 2 for usage and output paths, 3 for
# bugs only, 130 when interrupted


def test_the_exit_code_table_is_in_help_and_in_the_readme(repo_root):
    from aijri_xl.cli_support import EXIT_CODES, exit_codes_markdown, exit_codes_text

    assert [code for code, _ in EXIT_CODES] == [0, 1, 2, 3, 130]
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    assert exit_codes_markdown() in readme
    for args in (["--help"], ["verify", "--help"], ["register", "--help"]):
        proc = aijri(*args)
        assert proc.returncode == 0
        assert exit_codes_text() in proc.stdout, args


def test_internal_error_and_interrupt_exit_3_and_130(monkeypatch, capsys,
                                                     worked_example_path):
    """A bug in a command is exit 3 in one line; Ctrl-C is 130. The commands are the real
    ones; what they call is made to fail."""
    import aijri_xl.verify.file as verify_file_module
    from aijri_xl import cli

    def bug(path):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(verify_file_module, "verify_file", bug)
    assert cli.main(["score", str(worked_example_path)]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error in 'score'" in err and "bug" in err

    def interrupted(path):
        raise KeyboardInterrupt

    monkeypatch.setattr(verify_file_module, "verify_file", interrupted)
    assert cli.main(["score", str(worked_example_path)]) == 130
    assert "interrupted" in capsys.readouterr().err


def test_ctrl_c_of_a_real_run_exits_130(tmp_path, repo_root):
    """SIGINT to a running 'aijri verify' of many files: exit 130, no traceback, and the
    report it was to write is not left half-written."""
    import signal
    import time

    folder = tmp_path / "many"
    folder.mkdir()
    data = (repo_root / "workbooks" / "hpc-developer.xlsx").read_bytes()
    for i in range(400):
        (folder / f"{i:03}.xlsx").write_bytes(data)
    proc = subprocess.Popen([sys.executable, "-m", "aijri_xl", "verify", str(folder), "-q",
                             "--jobs", "1", "--report", str(tmp_path / "audit.xlsx")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(2.0)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, (out, err)
    assert "Traceback" not in err and "interrupted" in err
    assert not (tmp_path / "audit.xlsx").exists()


@pytest.mark.parametrize("command", ["verify-report", "build", "template", "xlwings-lite",
                                     "xlwings-server", "report", "register"])
def test_bad_output_paths_exit_2_naming_the_path_and_the_reason(command, tmp_path,
                                                                 repo_root):
    example = str(repo_root / "workbooks" / "hpc-developer.yaml")
    stranger = tmp_path / "stranger.xlsx"
    stranger.write_bytes(b"someone's file")
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where a folder is expected", encoding="utf-8")
    suffix = {"report": ".md", "register": ".xlsx"}.get(command, ".xlsx")
    if command.startswith("xlwings"):
        cases = {tmp_path / "no" / "such" / "dir": "does not exist",
                 blocked: "is a file"}
    else:
        cases = {tmp_path / "missing" / f"out{suffix}": "does not exist",
                 tmp_path / f"folder{suffix}": "is a folder",
                 blocked / f"out{suffix}": "is not a folder"}
        (tmp_path / f"folder{suffix}").mkdir()
        if suffix == ".xlsx":
            cases[stranger] = "was not written by aijri"
    for out, reason in cases.items():
        args = {"verify-report": ["verify", example, "--report", str(out)],
                "build": ["build", example, "-o", str(out)],
                "template": ["template", "-o", str(out)],
                "xlwings-lite": ["xlwings-lite", "-o", str(out)],
                "xlwings-server": ["xlwings-server", str(out)],
                "report": ["report", example, "-o", str(out)],
                "register": ["register", example, "-o", str(out)]}[command]
        proc = aijri(*args)
        assert proc.returncode == 2, (args, proc.stderr)
        assert f"aijri: error: {out}: " in proc.stderr and reason in proc.stderr, proc.stderr
        assert "internal error" not in proc.stderr
    assert stranger.read_bytes() == b"someone's file"


def test_an_output_aijri_wrote_is_replaced_only_with_force(tmp_path, repo_root):
    example = str(repo_root / "workbooks" / "hpc-developer.yaml")
    out = tmp_path / "hpc.xlsx"
    assert aijri("build", example, "-o", str(out)).returncode == 0
    again = aijri("build", example, "-o", str(out))
    assert again.returncode == 2 and "give --force to replace it" in again.stderr
    assert aijri("build", example, "-o", str(out), "--force").returncode == 0
    # once someone has changed it, it is their work: never replaced
    import openpyxl

    wb = openpyxl.load_workbook(out)
    wb["Role"]["B5"] = "edited by an assessor"
    wb.save(out)
    kept = out.read_bytes()
    proc = aijri("build", example, "-o", str(out), "--force")
    assert proc.returncode == 2 and "changed since aijri wrote it" in proc.stderr
    assert out.read_bytes() == kept
    # build never overwrites its own input
    source = tmp_path / "source.xlsx"
    source.write_bytes((repo_root / "workbooks" / "hpc-developer.xlsx").read_bytes())
    proc = aijri("build", str(source), "-o", str(source), "--force")
    assert proc.returncode == 2 and "is one of the inputs" in proc.stderr


def test_verify_report_over_its_input_is_refused_and_the_input_kept(tmp_path, repo_root):
    """The case of issue 13: 'aijri verify X.xlsx --report X.xlsx' overwrote the
    submission and exited 0."""
    x = tmp_path / "X.xlsx"
    x.write_bytes((repo_root / "workbooks" / "hpc-developer.xlsx").read_bytes())
    kept = x.read_bytes()
    proc = aijri("verify", str(x), "--report", str(x))
    assert proc.returncode == 2 and f"{x}: is one of the inputs" in proc.stderr
    assert x.read_bytes() == kept


def test_a_second_verify_of_a_folder_counts_what_the_first_did(tmp_path, repo_root):
    """Outputs of an earlier run in the folder are skipped and named, as are lock files,
    an .xls and other files; nothing is read back."""
    folder = tmp_path / "returned"
    folder.mkdir()
    for name in ("hpc-developer.xlsx", "hpc-developer.yaml", "hpc-developer.md"):
        (folder / name).write_bytes((repo_root / "workbooks" / name).read_bytes())
    (folder / "~$hpc-developer.xlsx").write_bytes(b"lock")
    (folder / ".~lock.hpc-developer.xlsx#").write_bytes(b"lock")
    (folder / "old.xls").write_bytes(b"xls")
    first = aijri("verify", str(folder), "-q", "--report", str(tmp_path / "audit.xlsx"))
    assert first.returncode == 0, first.stderr
    assert "3 file(s): 3 PASS, 0 WARN, 0 FAIL" in first.stdout
    for suffix in (".xlsx", ".json", ".html", ".csv"):
        report = tmp_path / f"audit{suffix}"
        if suffix != ".xlsx":
            assert aijri("verify", str(folder), "-q", "--report", str(report)).returncode == 0
        (folder / f"earlier-audit{suffix}").write_bytes(report.read_bytes())
    assert aijri("register", str(folder), "-o", str(tmp_path / "r.json")).returncode == 0
    (folder / "earlier-register.json").write_bytes((tmp_path / "r.json").read_bytes())
    second = aijri("verify", str(folder), "-q")
    assert second.returncode == 0, second.stdout
    assert "3 file(s): 3 PASS, 0 WARN, 0 FAIL" in second.stdout
    for name, why in (("~$hpc-developer.xlsx", "an Excel lock file"),
                      (".~lock.hpc-developer.xlsx#", "a LibreOffice lock file"),
                      ("old.xls", "a .xls spreadsheet"),
                      ("earlier-audit.xlsx", "an audit report aijri wrote"),
                      ("earlier-audit.json", "an audit report aijri wrote"),
                      ("earlier-audit.html", "an audit report aijri wrote"),
                      ("earlier-audit.csv", "not an assessment file type"),
                      ("earlier-register.json", "a register aijri wrote")):
        assert f"skipped  {folder / name}  ({why}" in second.stdout, name
    register = aijri("register", str(folder), "-o", str(tmp_path / "r2.json"))
    assert "files: 3 PASS, 0 WARN, 0 FAIL" in register.stdout
    assert "1 assessment(s) from 3 file(s)" in register.stdout


def test_the_quick_start_writes_only_into_a_git_ignored_folder(repo_root, tmp_path):
    """The README's first command, its aijri steps run as written (twice: --force lets it
    replace its own outputs) in a copy of workbooks/: everything lands in out/, which
    .gitignore names, and nothing else changes."""
    import re
    import shutil

    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    first = re.search(r"## Quick start.*?```sh\n(.*?)\n```", readme, flags=re.S).group(1)
    steps = [s.strip() for s in first.split("&&")]
    aijri_steps = [s.split()[1:] for s in steps if s.startswith(".venv/bin/aijri ")]
    assert len(aijri_steps) == 5 and "mkdir -p out" in steps
    assert "/out/" in (repo_root / ".gitignore").read_text(encoding="utf-8").split()
    shutil.copytree(repo_root / "workbooks", tmp_path / "workbooks")
    (tmp_path / "out").mkdir()
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    for _ in range(2):
        for args in aijri_steps:
            proc = subprocess.run([sys.executable, "-m", "aijri_xl", *args], cwd=tmp_path,
                                  capture_output=True, text=True, timeout=300)
            assert proc.returncode == 0, (args, proc.stderr)
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    new = [p for p in after if p not in before]
    assert new and all(p.parts[0] == "out" for p in new), new


def test_a_json_file_that_cannot_be_parsed_is_called_json(tmp_path):
    """Errors json raises other than JSONDecodeError (nesting too deep, a number too long)
    were reported as 'malformed YAML'."""
    cases = {"deep.json": "[" * 100_000 + "]" * 100_000,
             "long-number.json": '{"method": 1' + "0" * 5000 + "}"}
    for name, text in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        proc = aijri("score", path)
        assert proc.returncode == 1
        assert f"{path}: malformed JSON" in proc.stderr and "YAML" not in proc.stderr, name
