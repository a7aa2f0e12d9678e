"""The commands that write files, run in-process: build, template (one, --all), examples,
verify --report; the exit codes for a bug (3) and an interruption (130); the path taken
when the independent evaluator fails; and the invariants every random assessment keeps
(build twice gives the same bytes; a fresh build verifies PASS; build, read back and
score gives the same result)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from aijri_xl import cli, load, score
from aijri_xl.catalogue import roles
from aijri_xl.catalogue.samples import random_assessments
from aijri_xl.method.codec import assessment_to_data
from aijri_xl.verify import evaluator, verify_file
from aijri_xl.workbook.writer import workbook_bytes, write_workbook
from aijri_xl.workbook.xlsx import shift_formula

ROOT = Path(__file__).resolve().parents[1]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_build_writes_the_committed_worked_example(capsys, tmp_path):
    out = tmp_path / "hpc.xlsx"
    code, stdout, _ = run(capsys, "build", str(ROOT / "workbooks" / "hpc-developer.yaml"),
                          "-o", str(out))
    assert code == 0 and str(out) in stdout
    assert out.read_bytes() == (ROOT / "workbooks" / "hpc-developer.xlsx").read_bytes()


def test_build_refuses_an_assessment_it_cannot_read(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("tasks: 3\n", encoding="utf-8")
    code, _, err = run(capsys, "build", str(bad), "-o", str(tmp_path / "bad.xlsx"))
    assert code == 1
    assert "tasks must be a list" in err and "Traceback" not in err
    assert not (tmp_path / "bad.xlsx").exists()


def test_template_all_writes_every_committed_template(capsys, tmp_path):
    code, _, _ = run(capsys, "template", "--all", "-o", str(tmp_path))
    assert code == 0
    written = sorted(p.name for p in tmp_path.glob("*.xlsx"))
    expected = sorted([f"{r.id}.xlsx" for r in roles()] + ["blank.xlsx"])
    assert written == expected
    for name in written:
        assert (tmp_path / name).read_bytes() == (ROOT / "templates" / name).read_bytes(), name


def test_template_of_one_role_is_blank_where_a_score_goes(capsys, tmp_path):
    first = roles()[0]
    out = tmp_path / "one.xlsx"
    assert run(capsys, "template", first.id, "-o", str(out))[0] == 0
    loaded = load(out)
    assert loaded.assessment is not None
    assert loaded.assessment.role.title == first.title
    assert all(t.score is None for t in loaded.assessment.tasks)
    assert all(s.score is None for s in loaded.assessment.evidence.values())


def test_examples_rebuilds_the_committed_outputs(capsys, tmp_path):
    (tmp_path / "workbooks").mkdir()
    (tmp_path / "workbooks" / "hpc-developer.yaml").write_bytes(
        (ROOT / "workbooks" / "hpc-developer.yaml").read_bytes())
    code, stdout, _ = run(capsys, "examples", "--root", str(tmp_path))
    assert code == 0
    written = [Path(line.removeprefix("wrote ")) for line in stdout.splitlines()
               if line.startswith("wrote ")]
    assert len(written) == 3 + len(roles()) + 1, stdout
    for path in written:
        rel = path.relative_to(tmp_path) if path.is_absolute() else path
        assert (tmp_path / rel).read_bytes() == (ROOT / rel).read_bytes(), rel


def test_examples_needs_the_repository_root(capsys, tmp_path):
    code, _, err = run(capsys, "examples", "--root", str(tmp_path))
    assert code == 2 and "no workbooks/ folder" in err


@pytest.mark.parametrize("suffix", [".json", ".csv", ".xlsx", ".html"])
def test_verify_writes_its_report_in_every_format(capsys, tmp_path, suffix):
    report = tmp_path / f"audit{suffix}"
    code, _, _ = run(capsys, "verify", str(ROOT / "workbooks" / "hpc-developer.xlsx"),
                     "--report", str(report), "-q")
    assert code == 0 and report.stat().st_size > 0
    if suffix == ".json":
        data = json.loads(report.read_text(encoding="utf-8"))
        files = data["files"] if isinstance(data, dict) else data
        assert [f["verdict"] for f in files] == ["PASS"]
    elif suffix == ".csv":
        with report.open(encoding="utf-8", newline="") as handle:
            assert handle.readline().startswith("# aijri-audit:")  # the mark, then the table
            rows = list(csv.DictReader(handle))
        assert [r["verdict"] for r in rows] == ["PASS"]
    elif suffix == ".xlsx":
        assert report.read_bytes()[:2] == b"PK"
    else:
        assert "PASS" in report.read_text(encoding="utf-8")


def test_a_bug_exits_3_in_one_line_without_a_traceback(capsys, monkeypatch):
    def broken(args):
        raise ZeroDivisionError("division by zero")

    _, arguments, text = cli.COMMANDS["params"]
    monkeypatch.setitem(cli.COMMANDS, "params", (broken, arguments, text))
    code, _, err = run(capsys, "params")
    assert code == 3
    assert "internal error" in err and "bug" in err and "ZeroDivisionError" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_an_interruption_exits_130(capsys, monkeypatch):
    def interrupted(args):
        raise KeyboardInterrupt

    _, arguments, text = cli.COMMANDS["params"]
    monkeypatch.setitem(cli.COMMANDS, "params", (interrupted, arguments, text))
    code, _, err = run(capsys, "params")
    assert code == 130 and "interrupted" in err


def test_a_failing_independent_evaluation_is_a_finding_not_a_crash(monkeypatch):
    def fails(data, lay, cells):
        raise evaluator.FormulaEngineError("formualizer could not evaluate the workbook: boom")

    monkeypatch.setattr(evaluator, "evaluate", fails)
    v = verify_file(ROOT / "workbooks" / "hpc-developer.xlsx")
    assert v.verdict == "FAIL"
    codes = [f.code for f in v.findings]
    assert "AIJ-E105" in codes
    assert any("boom" in f.message for f in v.findings if f.code == "AIJ-E105")
    assert v.result is not None and v.result.final_score == 52.8


@pytest.mark.parametrize(("formula", "rows", "cols", "expected"), [
    ("C5*D5", 1, 0, "C6*D6"),
    ("$C$5*D5", 2, 1, "$C$5*E7"),
    ("C$5+$D5", 3, 2, "E$5+$D8"),
    ("Tasks!C5*'Other sheet'!D5", 1, 0, "Tasks!C6*'Other sheet'!D6"),
    ('IF(C5="A1",C5,"")', 1, 0, 'IF(C6="A1",C6,"")'),
    ("SUM(Z5:Z9)", 0, 1, "SUM(AA5:AA9)"),
    ("AZ10*2", 0, 1, "BA10*2"),
    ("task_time*task_score", 4, 4, "task_time*task_score"),
])
def test_shift_formula_moves_only_relative_references(formula, rows, cols, expected):
    assert shift_formula(formula, rows, cols) == expected


CASES = random_assessments(12, seed=424242)


@pytest.mark.parametrize("index", range(len(CASES)))
def test_invariants_on_random_assessments(index, tmp_path):
    a = CASES[index]
    once, twice = workbook_bytes(a), workbook_bytes(a)
    assert once == twice
    path = write_workbook(a, tmp_path / "case.xlsx")
    v = verify_file(path)
    assert not [f for f in v.findings if f.severity == "error"], v.findings
    back = load(path).assessment
    assert back is not None
    assert score(back) == score(a)
    assert assessment_to_data(back)["tasks"] == assessment_to_data(a)["tasks"]
