"""``aijri verify`` on published reports, and the §5 comparison of stated figures."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from aijri_xl.cli import main
from aijri_xl.house.reader import read_report
from aijri_xl.method.engine import Result, score_from_scores
from aijri_xl.method.excel_math import is_round_tie, percent_to_fraction
from aijri_xl.sources import StatedFigure
from aijri_xl.verify.file import Verification, evaluate, verify_file
from aijri_xl.verify.stated import compare_stated, compare_task_weights

SEED = Path(__file__).parent / "data/seeds/000_4d6eb753268fa0f0.txt"
REPORTS = Path(__file__).parent / "data/reports"
SPLIT_WHERE = 'section "Task Decomposition (Agentic AI Scoring)", line 32'
SCORE_WHERE = 'section "JobZone Composite Score (AIJRI)", line 63'


def verify_text(text: str, name: str = "report.txt") -> Verification:
    return evaluate(read_report(text, Path(name)))


def summary(v: Verification) -> list[tuple[str, str | None, str | None]]:
    return [(f.code, f.field, f.where) for f in v.findings]


def tie_result() -> Result:
    """Inputs whose unrounded score is 16.95: Excel's ROUND gives 17.0, Python's 16.9."""
    return score_from_scores(
        times=[percent_to_fraction("80.3"), percent_to_fraction("19.7")], scores=[4, 5],
        classes=["DISPLACEMENT", "DISPLACEMENT"], protective=[0, 0, 0], growth=-1,
        evidence=[1, -1, 0, 0, 0], barriers=[2, 1, 1, 1, 0])


def stated(field: str, value: object, decimals: int | None, text: str) -> StatedFigure:
    return StatedFigure(field, value, "test, line 1", decimals, text)


# --------------------------------------------------------------------------- the seed


def test_seed_fails_only_on_the_stated_split() -> None:
    v = verify_file(SEED)
    assert v.verdict == "FAIL"
    assert summary(v) == [("AIJ-E101", "split_augmentation", SPLIT_WHERE),
                          ("AIJ-E101", "split_not_involved", SPLIT_WHERE)]
    augmentation, not_involved = v.findings
    assert (augmentation.expected, augmentation.actual) == ("95%", "90%")
    assert (not_involved.expected, not_involved.actual) == ("5%", "10%")
    assert augmentation.message == "split_augmentation: the report states 90%, the tasks give 95%"


def test_cli_verify_on_the_seed(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["verify", str(SEED)])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    assert lines[0] == f"FAIL  {SEED}"
    findings = [line for line in lines if line.startswith("  ")]
    assert len(findings) == 2
    for line, message in zip(findings, (
            "split_augmentation: the report states 90%, the tasks give 95%",
            "split_not_involved: the report states 10%, the tasks give 5%"), strict=True):
        assert line.startswith(f"  ERROR   AIJ-E101 [{SPLIT_WHERE}]")
        assert line.endswith(message)
    assert lines[-1] == "1 file(s): 0 PASS, 0 WARN, 1 FAIL"


def test_cli_verify_json_on_the_seed(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["verify", "--json", str(SEED)])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [set(d) for d in data] == [{"file", "verdict", "method", "result", "findings",
                                       "sensitivity"}]
    (entry,) = data
    assert (entry["verdict"], entry["method"]) == ("FAIL", "AIJRI-1.0")
    assert entry["result"]["score"] == 52.8
    assert entry["findings"][0] == {
        "code": "AIJ-E101", "severity": "error", "where": SPLIT_WHERE,
        "field": "split_augmentation", "expected": "95%", "actual": "90%",
        "message": "split_augmentation: the report states 90%, the tasks give 95%",
        "place": {"section": "Task Decomposition (Agentic AI Scoring)", "line": 32}}


def test_cli_score_on_the_seed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(SEED)]) == 0
    out = capsys.readouterr().out
    for text in ("6.00 - 2.25 = 3.75/5.0", "1.0 + (5 × 0.04) = 1.20", "= 4.7250",
                 "= 52.8/100", "Zone: GREEN", "Green (Transforming)", "scoring 3+: 30%",
                 "0% displacement, 95% augmentation, 5% not involved"):
        assert text in out
    assert main(["score", "--json", str(SEED)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["task_resistance"], result["evidence_modifier"], result["score"]) == \
        (3.75, 1.2, 52.8)
    assert (result["quick_screen_total"], result["pct_time_score_3plus"]) == (3, 30.0)
    assert (result["zone"], result["sub_label"]) == ("GREEN", "Green (Transforming)")


# --------------------------------------------------------------------------- variants


@pytest.mark.parametrize("name", ["hpc-developer-markdown.md", "hpc-developer-minimal.txt",
                                  "claims-processor-twelve-tasks.txt"])
def test_correct_variants_pass(name: str) -> None:
    v = verify_file(REPORTS / name)
    assert (v.verdict, v.findings) == ("PASS", [])


def test_twelve_task_figures_are_really_compared() -> None:
    path = REPORTS / "claims-processor-twelve-tasks.txt"
    v = verify_file(path)
    assert v.result is not None
    assert (v.result.pct_time_score_4plus, v.result.sub_label) == (40.0, "Yellow (Urgent)")
    assert (v.result.score, v.result.zone) == (26.7, "YELLOW")
    text = path.read_text(encoding="utf-8")
    wrong = (text.replace("53.3% augmentation", "53.4% augmentation")
                 .replace("| 14.2% | 4 | 0.57 |", "| 14.2% | 4 | 0.58 |")
                 .replace("| % of task time scoring 4+ | 40% |",
                          "| % of task time scoring 4+ | 39% |"))
    w = verify_text(text=wrong)
    tasks = 'section "Task Decomposition (Agentic AI Scoring)"'
    assert summary(w) == [
        ("AIJ-E101", "tasks[1].weighted", f"{tasks}, line 22"),  # checked while reading
        ("AIJ-E101", "split_augmentation", f"{tasks}, line 35"),
        ("AIJ-E101", "pct_time_score_4plus", 'section "Sub-Label Determination", line 70'),
    ]
    assert w.findings[0].message == "tasks[1].weighted: the report states 0.58, its time × " \
                                    "score give 0.57"


def test_wrong_score_names_the_score_line() -> None:
    v = verify_file(REPORTS / "hpc-developer-wrong-score.txt")
    assert v.verdict == "FAIL"
    assert summary(v) == [("AIJ-E101", "score", SCORE_WHERE)]
    assert (v.findings[0].expected, v.findings[0].actual) == ("52.8", "53.8")


def test_a_score_rounded_the_python_way_is_wrong() -> None:
    """16.95 exactly: Excel's ROUND gives 17.0; a report stating 16.9 fails on its score."""
    path = REPORTS / "document-intake-clerk-tie.txt"
    v = verify_file(path)
    assert v.result is not None
    assert is_round_tie(v.result.score_unrounded, 1)
    assert round(v.result.score_unrounded, 1) == 16.9  # what Python's round() would publish
    assert v.result.score == 17.0
    where = 'section "JobZone Composite Score (AIJRI)", line 50'
    assert summary(v) == [("AIJ-E101", "score", where)]
    assert (v.findings[0].expected, v.findings[0].actual) == ("17.0", "16.9")
    fixed = path.read_text(encoding="utf-8").replace("= 16.9/100", "= 17.0/100")
    assert verify_text(fixed).verdict == "PASS"


def test_override_report_keeps_the_override() -> None:
    v = verify_file(REPORTS / "hpc-developer-override.txt")
    assert v.verdict == "PASS"
    assert v.result is not None and v.result.final_score == 58.0
    assert [(f.code, f.where) for f in v.findings] == [
        ("AIJ-I401", 'section "Sub-Label Determination", line 71')]


def test_a_differing_quick_screen_band_is_a_warning() -> None:
    text = (REPORTS / "hpc-developer-minimal.txt").read_text(encoding="utf-8")
    v = verify_text(text.replace("= Yellow-to-Green boundary.", "= Likely Green."))
    assert v.verdict == "WARN"
    assert [(f.code, f.field, f.expected, f.actual) for f in v.findings] == [
        ("AIJ-W102", "quick_screen_band", "Yellow-to-Green boundary", "Likely Green")]


def test_report_without_score_zone_or_sub_label_warns() -> None:
    text = (REPORTS / "hpc-developer-minimal.txt").read_text(encoding="utf-8")
    kept = [line for line in text.split("\n")
            if not line.startswith(("JobZone Score:", "Zone:", "| Sub-label |"))]
    v = verify_text("\n".join(kept))
    assert v.verdict == "WARN"
    assert [(f.code, f.field) for f in v.findings] == [
        ("AIJ-W106", "score"), ("AIJ-W106", "zone"), ("AIJ-W106", "sub_label")]


def test_broken_numbers_fail_cleanly(capsys: pytest.CaptureFixture[str]) -> None:
    path = REPORTS / "hpc-developer-broken-numbers.txt"
    v = verify_file(path)
    assert v.verdict == "FAIL" and v.result is None
    assert {"AIJ-E002", "AIJ-E010"} <= {f.code for f in v.findings}
    assert main(["verify", str(path)]) == 1
    captured = capsys.readouterr()
    assert "internal error" not in captured.err and "Traceback" not in captured.err
    assert "[section \"Task Decomposition (Agentic AI Scoring)\", line 25] task 4" in captured.out


def test_not_a_report_fails_with_one_finding(capsys: pytest.CaptureFixture[str]) -> None:
    path = REPORTS / "not-a-report.md"
    assert main(["verify", str(path)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"FAIL  {path}\n  ERROR   AIJ-F204 ")
    assert out.count("AIJ-") == 1


# --------------------------------------------------------------------------- compare_stated


def test_compare_stated_score_is_exact_at_a_tie() -> None:
    result = tie_result()
    assert result.score == 17.0
    good = [stated("score", 17.0, 1, "17.0"), stated("zone", "RED", None, "RED"),
            stated("sub_label", "Red (Imminent)", None, "Red (Imminent)")]
    assert compare_stated(good, result) == []
    (finding,) = compare_stated([*good[1:], stated("score", 16.9, 1, "16.9")], result)
    assert (finding.code, finding.field, finding.expected, finding.actual) == \
        ("AIJ-E101", "score", "17.0", "16.9")
    assert compare_stated([*good[1:], stated("score", 17, 0, "17")], result) == []  # same value
    (whole,) = compare_stated([*good[1:], stated("score", 16, 0, "16")], result)
    assert whole.expected == "17.0"  # the score is shown with its one decimal


@pytest.mark.parametrize(("value", "decimals", "text", "agrees"), [
    (3.0, 2, "3.00", True),  # 3.005 may be stated as 3.00 …
    (3.01, 2, "3.01", True),  # … or as 3.01
    (2.99, 2, "2.99", False),
    (3.02, 2, "3.02", False),
    (3.0, 1, "3.0", True),
    (3, 0, "3", True),
    (3.005, 3, "3.005", True),
    (3.004, 3, "3.004", False),
])
def test_compare_stated_half_a_unit_of_the_last_decimal(value: float, decimals: int, text: str,
                                                         agrees: bool) -> None:
    result = dataclasses.replace(tie_result(), task_resistance=3.005)
    figures = [stated("task_resistance", value, decimals, text),
               stated("score", 17.0, 1, "17.0"), stated("zone", "RED", None, "RED"),
               stated("sub_label", "Red (Imminent)", None, "Red (Imminent)")]
    assert (compare_stated(figures, result) == []) is agrees


def test_compare_stated_zone_and_sub_label_exactly() -> None:
    result = tie_result()
    findings = compare_stated([stated("score", 17.0, 1, "17.0"),
                               stated("zone", "YELLOW", None, "Yellow"),
                               stated("sub_label", "Red (Gradual)", None, "Red (Gradual)")],
                              result)
    assert [(f.code, f.field, f.expected, f.actual) for f in findings] == [
        ("AIJ-E101", "zone", "RED", "Yellow"),
        ("AIJ-E101", "sub_label", "Red (Imminent)", "Red (Gradual)")]


def test_compare_stated_percent_units_and_ignored_fields() -> None:
    result = tie_result()  # split 100 / 0 / 0
    base = [stated("score", 17.0, 1, "17.0"), stated("zone", "RED", None, "RED"),
            stated("sub_label", "Red (Imminent)", None, "Red (Imminent)")]
    assert compare_stated([*base, stated("split_displacement", 100, 0, "100%"),
                           stated("time_total", 99, 0, "99%"),
                           stated("tasks[0].weighted", 9.99, 2, "9.99"),
                           stated("method", "AIJRI-2.0", None, "AIJRI-2.0")], result) == []
    (finding,) = compare_stated([*base, stated("split_augmentation", 0.5, 1, "0.5%")], result)
    assert finding.message == "split_augmentation: the report states 0.5%, the tasks give 0.0%"


def test_compare_task_weights() -> None:
    from aijri_xl.method.model import Task

    tasks = [Task("a", 0.125, 3, "AUGMENTATION"), Task("b", None, 2, "AUGMENTATION")]
    figures = [stated("tasks[0].weighted", 0.38, 2, "0.38"),  # 0.375 within half a unit
               stated("tasks[1].weighted", 7.0, 2, "7.00"),  # no time: not compared
               stated("tasks[9].weighted", 1.0, 2, "1.00")]  # no such task
    assert compare_task_weights(figures, tasks) == []
    (finding,) = compare_task_weights([stated("tasks[0].weighted", 0.36, 2, "0.36")], tasks)
    assert (finding.field, finding.expected) == ("tasks[0].weighted", "0.38")


def test_a_missing_table_is_reported_once_at_its_section() -> None:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    v = verify_text("\n".join(line for no, line in enumerate(lines, 1) if not 35 <= no <= 42))
    assert v.verdict == "FAIL" and v.result is None
    assert v.findings[0].code == "AIJ-F204" and v.findings[0].field == "evidence"
    # the five missing evidence scores are the missing table: not said five more times
    assert [f for f in v.findings[1:] if (f.field or "").startswith("evidence")] == []
