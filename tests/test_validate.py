"""The consistency rules of AIJRI-METHOD.md §5 on inputs: each rule at its boundaries,
with its stable code and the input path it concerns."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from strategies import build

from aijri_xl import AssessmentError, check, score
from aijri_xl.method import PARAMS
from aijri_xl.method.codec import assessment_to_data
from aijri_xl.sources import load
from aijri_xl.verify.file import evaluate, verify_file


def codes(findings) -> list[tuple[str, str | None]]:
    return [(f.code, f.field) for f in findings]


def errors(findings) -> list[tuple[str, str | None]]:
    return [(f.code, f.field) for f in findings if f.severity == "error"]


def base(**kw):
    """A valid assessment with round shares; keyword arguments as for ``build``."""
    return build([("40", 2), ("35", 3), ("25", 1)], **kw)


def test_a_valid_assessment_has_no_findings(worked_example):
    assert check(base()) == []
    assert check(worked_example) == []


# ---------------------------------------------------------------------------------------
# Required inputs: AIJ-E001, with the path


@pytest.mark.parametrize(("spoil", "path"), [
    (lambda a: setattr(a.role, "title", None), "role.title"),
    (lambda a: setattr(a.role, "title", "   "), "role.title"),
    (lambda a: setattr(a.protective["embodied_physicality"], "score", None),
     "protective.embodied_physicality.score"),
    (lambda a: a.protective.pop("goal_setting_moral_judgment"),
     "protective.goal_setting_moral_judgment.score"),
    (lambda a: setattr(a.evidence["expert_consensus"], "score", None),
     "evidence.expert_consensus.score"),
    (lambda a: setattr(a.barriers["cultural_ethical"], "score", None),
     "barriers.cultural_ethical.score"),
    (lambda a: setattr(a.growth, "correlation", None), "growth.correlation"),
    (lambda a: setattr(a.tasks[2], "name", " "), "tasks[2].name"),
    (lambda a: setattr(a.tasks[1], "task_class", None), "tasks[1].class"),
])
def test_missing_input_is_e001_with_its_path(spoil, path):
    a = base()
    spoil(a)
    assert codes(check(a)) == [("AIJ-E001", path)]


def test_missing_score_blocks_scoring_and_names_the_path():
    a = base()
    a.evidence["wage_trends"].score = None
    with pytest.raises(AssessmentError, match=r"evidence\.wage_trends\.score"):
        score(a)


def test_a_blank_task_row_is_e001_on_its_time():
    a = build([("60", 2), ("40", 3), ("0", 1)])
    a.tasks[2].time = None
    a.tasks[2].score = None
    a.tasks[2].task_class = None
    assert codes(check(a)) == [("AIJ-E001", "tasks[2].time")]


def test_missing_name_or_class_is_an_error_but_does_not_block_scoring():
    a = base()
    a.tasks[0].name = ""
    a.tasks[0].task_class = None
    assert codes(check(a)) == [("AIJ-E001", "tasks[0].name"), ("AIJ-E001", "tasks[0].class")]
    assert score(a).split_augmentation == 35


# ---------------------------------------------------------------------------------------
# Types: AIJ-E002


@pytest.mark.parametrize(("spoil", "path"), [
    (lambda a: setattr(a.protective["embodied_physicality"], "score", "2"),
     "protective.embodied_physicality.score"),
    (lambda a: setattr(a.protective["embodied_physicality"], "score", 1.5),
     "protective.embodied_physicality.score"),
    (lambda a: setattr(a.evidence["wage_trends"], "score", True), "evidence.wage_trends.score"),
    (lambda a: setattr(a.growth, "correlation", 1.0), "growth.correlation"),
    (lambda a: setattr(a.tasks[0], "score", "high"), "tasks[0].score"),
    (lambda a: setattr(a.tasks[0], "time", "40%"), "tasks[0].time"),
    (lambda a: setattr(a.tasks[0], "time", True), "tasks[0].time"),
    (lambda a: setattr(a.override, "score", "52.8"), "override.score"),
])
def test_wrong_type_is_e002(spoil, path):
    a = base(override=None)
    if path == "override.score":
        a.override.justification = "why"
    spoil(a)
    assert ("AIJ-E002", path) in codes(check(a))
    assert all(code in ("AIJ-E002", "AIJ-E005") for code, _ in codes(check(a)))


# ---------------------------------------------------------------------------------------
# Ranges: AIJ-E003, at both ends; the ends themselves are accepted


RANGE_CASES = [
    # (setter, path, bad values, good boundary values)
    (lambda a, v: setattr(a.protective["deep_interpersonal_connection"], "score", v),
     "protective.deep_interpersonal_connection.score", [-1, 4], [0, 3]),
    (lambda a, v: setattr(a.growth, "correlation", v), "growth.correlation", [-3, 3], [-2, 2]),
    (lambda a, v: setattr(a.tasks[1], "score", v), "tasks[1].score", [0, 6], [3]),
    (lambda a, v: setattr(a.evidence["company_actions"], "score", v),
     "evidence.company_actions.score", [-3, 3], [-2, 2]),
    (lambda a, v: setattr(a.barriers["physical_presence"], "score", v),
     "barriers.physical_presence.score", [-1, 3], [0, 2]),
]


@pytest.mark.parametrize(("setter", "path", "bad", "good"), RANGE_CASES,
                         ids=[c[1] for c in RANGE_CASES])
def test_out_of_range_is_e003_at_both_ends(setter, path, bad, good):
    for value in bad:
        a = base()
        setter(a, value)
        assert codes(check(a)) == [("AIJ-E003", path)], value
        with pytest.raises(AssessmentError):
            score(a)
    for value in good:
        a = base()
        setter(a, value)
        assert errors(check(a)) == [], value


@pytest.mark.parametrize("score_value", [1, 2, 3, 4, 5])
def test_every_task_score_1_to_5_is_accepted(score_value):
    assert check(build([("100", score_value)])) == []


@pytest.mark.parametrize("percent", ["0", "100.01", "-5"])
def test_time_share_out_of_range_is_e003(percent):
    a = build([(percent, 2)])
    assert codes(check(a)) == [("AIJ-E003", "tasks[0].time")]


def test_time_share_of_exactly_100_percent_is_accepted():
    assert check(build([("100", 2)])) == []


@pytest.mark.parametrize("value", [-0.1, 100.1, 52.85, 52.81])
def test_override_out_of_range_or_with_two_decimals_is_e003(value):
    a = base(override=value)
    assert codes(check(a)) == [("AIJ-E003", "override.score")]


@pytest.mark.parametrize("value", [0.0, 0, 100.0, 100, 52.8, 0.1, 99.9, 47.9])
def test_override_in_range_with_one_decimal_is_accepted(value):
    assert check(base(override=value)) == []


# ---------------------------------------------------------------------------------------
# Tasks: AIJ-E004 to AIJ-E007


def test_no_tasks_is_e004():
    a = build([])
    assert codes(check(a)) == [("AIJ-E004", "tasks")]
    with pytest.raises(AssessmentError):
        score(a)


@pytest.mark.parametrize("shares", [
    ["50", "49.95"], ["50", "50.05"], ["33.33", "33.33", "33.29"],
    ["33.35", "33.35", "33.35"], ["99.95"], ["12.5"] * 7 + ["12.45"],
    ["7.4", "14.2", "9.2", "0.6", "8.6", "60.05"],
])
def test_time_total_within_the_tolerance_is_accepted(shares):
    assert check(build([(p, 2) for p in shares])) == []


@pytest.mark.parametrize("shares", [
    ["50", "49.9"], ["50", "50.1"], ["33.33", "33.33", "33.24"], ["99.9"],
    ["33.37", "33.37", "33.36"], ["7.4", "14.2", "9.2", "0.6", "8.6", "59.9"],
])
def test_time_total_outside_the_tolerance_is_e005(shares):
    assert codes(check(build([(p, 2) for p in shares]))) == [("AIJ-E005", "tasks")]


def test_time_tolerance_is_the_parameter():
    assert PARAMS["TIME_TOLERANCE_PCT"] == 0.05


def test_e005_does_not_block_scoring():
    a = build([("50", 2), ("49.9", 2)])
    assert score(a).weighted_total == pytest.approx(1.998)


def test_time_without_score_is_e006():
    a = base()
    a.tasks[1].score = None
    assert codes(check(a)) == [("AIJ-E006", "tasks[1].score")]
    with pytest.raises(AssessmentError, match=r"tasks\[1\]\.score"):
        score(a)


def test_score_without_time_is_e007():
    a = base()
    a.tasks[2].time = None
    assert codes(check(a)) == [("AIJ-E007", "tasks[2].time")]
    with pytest.raises(AssessmentError):
        score(a)


# ---------------------------------------------------------------------------------------
# Override, growth check, class: AIJ-E008 to AIJ-E010


@pytest.mark.parametrize("justification", ["", "   \n"])
def test_override_without_justification_is_e008(justification):
    a = base(override=40.0, justification=justification)
    assert codes(check(a)) == [("AIJ-E008", "override.justification")]


def test_justification_without_override_is_fine(worked_example):
    assert worked_example.override.score is None
    assert worked_example.override.justification
    assert check(worked_example) == []


@pytest.mark.parametrize(("correlation", "check_value", "finding"), [
    (1, 1, []),
    (1, None, []),
    (1, 0, [("AIJ-E009", "growth.check")]),
    (-2, 2, [("AIJ-E009", "growth.check")]),
])
def test_growth_check_must_equal_the_correlation(correlation, check_value, finding):
    a = base(growth=correlation, growth_check=check_value)
    assert codes(check(a)) == finding


@pytest.mark.parametrize("task_class", ["REPLACEMENT", "augmentation", "NOT_INVOLVED", "X"])
def test_unknown_class_is_e010(task_class):
    a = base()
    a.tasks[0].task_class = task_class
    assert codes(check(a)) == [("AIJ-E010", "tasks[0].class")]


# ---------------------------------------------------------------------------------------
# Method version: AIJ-E011


def test_unknown_method_version_is_refused_and_never_scored(worked_example):
    worked_example.method = "AIJRI-2.0"
    assert codes(check(worked_example)) == [("AIJ-E011", "method")]
    with pytest.raises(AssessmentError):
        score(worked_example)


def test_unknown_method_version_in_a_file_is_refused(tmp_path, worked_example_path):
    text = worked_example_path.read_text(encoding="utf-8").replace(
        "method: AIJRI-1.0", "method: AIJRI-2.0")
    path = tmp_path / "v2.yaml"
    path.write_text(text, encoding="utf-8")
    v = verify_file(path)
    assert v.verdict == "FAIL"
    assert v.result is None
    assert [f.code for f in v.findings] == ["AIJ-E011"]


# ---------------------------------------------------------------------------------------
# Warnings: AIJ-W020 to AIJ-W022


@pytest.mark.parametrize(("task_score", "task_class"), [
    (1, "AUGMENTATION"), (2, "DISPLACEMENT"), (3, "NOT INVOLVED"), (4, "AUGMENTATION"),
    (5, "NOT INVOLVED"),
])
def test_class_off_the_default_mapping_is_w020(task_score, task_class):
    a = build([("100", task_score, task_class)])
    findings = check(a)
    assert codes(findings) == [("AIJ-W020", "tasks[0].class")]
    assert findings[0].severity == "warning"
    assert score(a).score >= 0  # a warning never stops the calculation


def test_duplicate_task_names_are_w022():
    a = base()
    a.tasks[2].name = "  task 1 "  # same name as task 1 after case and blanks
    findings = check(a)
    assert codes(findings) == [("AIJ-W022", "tasks[2].name")]
    assert findings[0].severity == "warning"
    assert "task 1" in findings[0].message


def _write_override(tmp_path: Path, worked_example, value: float) -> Path:
    worked_example.override.score = value
    path = tmp_path / f"override-{value}.yaml"
    path.write_text(yaml.safe_dump(assessment_to_data(worked_example), sort_keys=False),
                    encoding="utf-8")
    return path


@pytest.mark.parametrize(("override", "warned"), [
    (62.8, False), (42.8, False),  # exactly 10 points from S = 52.8
    (62.9, True), (42.7, True), (52.8, False), (100.0, True), (0.0, True),
])
def test_override_more_than_10_points_from_s_is_w021(tmp_path, worked_example, override,
                                                     warned):
    v = verify_file(_write_override(tmp_path, worked_example, override))
    found = [f.code for f in v.findings]
    assert "AIJ-I401" in found
    assert ("AIJ-W021" in found) is warned
    assert v.verdict == ("WARN" if warned else "PASS")
    assert v.result.score == 52.8
    assert v.result.final_score == override


def test_w021_via_evaluate(worked_example_path, tmp_path, worked_example):
    loaded = load(_write_override(tmp_path, worked_example, 30.0))
    v = evaluate(loaded)
    assert [f.code for f in v.findings] == ["AIJ-I401", "AIJ-W021"]


def test_override_exactly_10_points_away_never_warns(tmp_path):
    """Two tasks, 97.5% scoring 1 and 2.5% scoring 2, all else 0: S = 55.9."""
    a = build([("97.5", 1), ("2.5", 2)], override=65.9, justification="calibration")
    assert score(a).score == 55.9
    path = tmp_path / "exactly-10.yaml"
    path.write_text(yaml.safe_dump(assessment_to_data(a), sort_keys=False), encoding="utf-8")
    assert "AIJ-W021" not in [f.code for f in verify_file(path).findings]


# ---------------------------------------------------------------------------------------
# Every problem at once


def test_validation_reports_every_problem_at_once():
    a = base(override=40.0, justification="")  # 1: E008
    a.protective["embodied_physicality"].score = 4  # 2: E003
    a.growth.correlation = None  # 3: E001
    a.tasks[1].score = None  # 4: E006
    a.tasks[2].task_class = "REPLACED"  # 5: E010
    assert sorted(codes(check(a))) == sorted([
        ("AIJ-E008", "override.justification"),
        ("AIJ-E003", "protective.embodied_physicality.score"),
        ("AIJ-E001", "growth.correlation"),
        ("AIJ-E006", "tasks[1].score"),
        ("AIJ-E010", "tasks[2].class"),
    ])


def test_a_file_with_five_problems_gives_five_findings(tmp_path):
    path = tmp_path / "five.yaml"
    path.write_text("""\
method: AIJRI-1.0
role: {title: Five problems}
protective: {embodied_physicality: 4, deep_interpersonal_connection: 0,
             goal_setting_moral_judgment: 0}
growth: {correlation: 1, check: 0}
tasks:
  - {name: A, time: 60, score: 2, class: AUGMENTATION}
  - {name: B, time: 30, score: 3, class: AUGMENTATION}
evidence: {job_posting_trends: 0, company_actions: 0, wage_trends: 0, ai_tool_maturity: 0,
           expert_consensus: 0}
barriers: {regulatory_licensing: 0, physical_presence: 0, union_collective_bargaining: 0,
           liability_accountability: 0, cultural_ethical: 9}
override: {score: 40}
""", encoding="utf-8")
    v = verify_file(path)
    assert v.verdict == "FAIL"
    assert sorted((f.code, f.field) for f in v.findings) == sorted([
        ("AIJ-E003", "protective.embodied_physicality.score"),
        ("AIJ-E009", "growth.check"),
        ("AIJ-E005", "tasks"),
        ("AIJ-E003", "barriers.cultural_ethical.score"),
        ("AIJ-E008", "override.justification"),
    ])
    assert all(f.where == str(path) for f in v.findings)


@pytest.mark.parametrize(("line", "bad", "path"), [
    ("  score: 3", "  score: three", "tasks[2].score"),
    ("  time: 15", "  time: fifteen", "tasks[2].time"),
])
def test_a_mistyped_task_value_is_reported_once(tmp_path, worked_example_path, line, bad,
                                                path):
    text = worked_example_path.read_text(encoding="utf-8").replace(line, bad, 1)
    file = tmp_path / "typo.yaml"
    file.write_text(text, encoding="utf-8")
    findings = verify_file(file).findings
    assert [(f.code, f.field) for f in findings] == [("AIJ-E002", path)]


def test_check_of_some_parts_applies_only_the_rules_on_those_parts():
    from aijri_xl.method.model import Assessment
    from aijri_xl.method.rules import PARTS

    blank = Assessment()
    every = {f.field.split(".")[0].split("[")[0] for f in check(blank)}
    assert {"role", "protective", "evidence", "barriers", "growth", "tasks"} <= every
    only = check(blank, ["protective"])
    assert only and {f.field.split(".")[0] for f in only} == {"protective"}
    assert check(blank, []) == []
    assert codes(check(base(), PARTS)) == codes(check(base()))


def test_task_rules_without_the_score_column():
    """A call that takes times and classes but no scores (AIJRI_SPLIT): a missing time is
    missing (not "a score without a time"), every task row needs its class, and the
    class is never compared with a score that was not given."""
    a = base()
    a.tasks[0].time = None
    a.tasks[1].task_class = None
    a.tasks[2].task_class = "DISPLACEMENT"  # score 1: NOT INVOLVED by default
    for t in a.tasks:
        t.score = None
    found = codes(check(a, ["tasks.time", "tasks.class"]))
    assert found == [("AIJ-E001", "tasks[0].time"), ("AIJ-E001", "tasks[1].class")]
    scored = base()
    scored.tasks[0].time = None
    assert ("AIJ-E007", "tasks[0].time") in codes(check(scored, ["tasks.time",
                                                                 "tasks.score"]))
    assert ("AIJ-E001", "tasks[0].time") in codes(check(scored, ["tasks.time"]))


def test_the_growth_check_and_justification_need_their_partners():
    a = base(growth=1)
    a.growth.check = 2
    a.override.score = 60.0
    a.override.justification = ""
    assert "AIJ-E009" not in [c for c, _ in codes(check(a, ["growth.check"]))]
    assert ("AIJ-E009", "growth.check") in codes(check(a, ["growth.check",
                                                            "growth.correlation"]))
    assert ("AIJ-E008", "override.justification") not in codes(check(a, ["override.score"]))
    assert ("AIJ-E008", "override.justification") in codes(
        check(a, ["override.score", "override.justification"]))


def test_check_refuses_a_part_it_does_not_know():
    with pytest.raises(ValueError, match="not parts of an assessment: tasks"):
        check(base(), ["tasks"])
