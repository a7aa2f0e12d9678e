"""The Excel functions, called as Excel calls them, against the reference engine.

Ranges arrive as lists of lists (a column is ``[[v], [v], ...]``), blank cells as
``None`` or ``""``, numbers as floats, error cells as their text. The oracle is
:func:`aijri_xl.score` on the same assessment.
"""

from __future__ import annotations

import importlib.util
import inspect
import itertools
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aijri_xl.excel import functions as udfs
from aijri_xl.excel.cells import EXCEL_ERRORS
from aijri_xl.method import (
    BARRIERS,
    EVIDENCE,
    METHOD,
    PARAMETERS,
    PARAMS,
    PROTECTIVE,
    RESULT_FIELDS,
    TASK_CLASSES,
    default_task_class,
)
from aijri_xl.method.engine import score
from aijri_xl.method.excel_math import excel_round, is_round_tie, percent_to_fraction
from aijri_xl.method.model import Assessment, Growth, Override, RoleDefinition, Scored, Task
from aijri_xl.sources import load

ROOT = Path(__file__).resolve().parents[1]

# The worked example (AIJRI-METHOD.md §6), as an assessor types it into a sheet.
PCTS = [25, 20, 15, 10, 10, 10, 5, 5]
SCORES = [2, 2, 3, 3, 2, 2, 3, 1]
CLASSES = ["AUGMENTATION"] * 7 + ["NOT INVOLVED"]
PROTECTIVE_SCORES = [0, 0, 2]
EVIDENCE_SCORES = [1, 1, 1, 1, 1]
BARRIER_SCORES = [0, 0, 0, 0, 0]
GROWTH = 1


def column(values, blanks: int = 0, blank=None) -> list[list]:
    """A column range as Excel passes it: one value per row, ``blanks`` blank rows after
    (a range drawn to the end of the table, or a whole column)."""
    return [[v] for v in values] + [[blank]] * blanks


def row(values) -> list[list]:
    return [list(values)]


def fractions(pcts) -> list[float]:
    return [percent_to_fraction(p) for p in pcts]


def floats(values) -> list:
    """Numbers as Excel passes them: floats."""
    return [float(v) if isinstance(v, int) else v for v in values]


def assessment(pcts, scores, classes=None, protective=(0, 0, 0), growth=0,
               evidence=(0,) * 5, barriers=(0,) * 5, override=None) -> Assessment:
    classes = classes or [default_task_class(s) for s in scores]
    return Assessment(
        role=RoleDefinition(title="Role"),
        protective={d.key: Scored(s) for d, s in zip(PROTECTIVE, protective, strict=True)},
        growth=Growth(correlation=growth),
        tasks=[Task(name=f"task {i + 1}", time=percent_to_fraction(p), score=s, task_class=c)
               for i, (p, s, c) in enumerate(zip(pcts, scores, classes, strict=True))],
        evidence={d.key: Scored(s) for d, s in zip(EVIDENCE, evidence, strict=True)},
        barriers={d.key: Scored(s) for d, s in zip(BARRIERS, barriers, strict=True)},
        override=Override(score=override, justification="why" if override is not None else ""),
    )


@pytest.fixture(scope="module")
def worked():
    """The reference result of the worked example, from the project's assessment file."""
    loaded = load(ROOT / "workbooks" / "hpc-developer.yaml")
    assert loaded.assessment is not None
    a = loaded.assessment
    assert [t.time for t in a.tasks] == fractions(PCTS)
    assert [t.score for t in a.tasks] == SCORES
    return score(a)


# Every way Excel can hand over the worked example's task table.
TABLES = {
    "fractions": (column(fractions(PCTS)), column(floats(SCORES))),
    "percents": (column(floats(PCTS)), column(floats(SCORES))),
    "percents as ints (Office.js)": (column(PCTS), column(SCORES)),
    "whole column, trailing None": (column(fractions(PCTS), 200), column(SCORES, 200)),
    "whole column, trailing ''": (column(PCTS, 50, ""), column(SCORES, 50, "")),
    "B:B, all 1,048,576 rows": (column(PCTS, 2**20 - len(PCTS)),
                                column(SCORES, 2**20 - len(SCORES), "")),
    "with a header row": ([["Time share"], *column(PCTS)], [["Score"], *column(SCORES)]),
    "as rows": (row(fractions(PCTS)), row(SCORES)),
    "1-D lists": (fractions(PCTS), SCORES),
    "blank rows inside": ([[0.25], [None], *column(fractions(PCTS[1:]))],
                          [[2], [""], *column(SCORES[1:])]),
    "trailing 0 (Excel desktop, Office.js)": (column(PCTS, 12, 0), column(SCORES, 12, 0)),
    "blank rows inside as 0": ([[0.25], [0], *column(fractions(PCTS[1:]))],
                               [[2], [0.0], *column(SCORES[1:])]),
}


@pytest.mark.parametrize("table", TABLES.values(), ids=TABLES.keys())
def test_worked_example_task_functions(table, worked):
    times, scores = table
    assert udfs.AIJRI_TASK_RESISTANCE(times, scores) == worked.task_resistance == 3.75
    assert udfs.AIJRI_PCT_SCORING(times, scores, 3.0) == worked.fractions[
        "pct_time_score_3plus"] == 0.3
    assert udfs.AIJRI_PCT_SCORING(times, scores, 4) == 0.0
    assert udfs.AIJRI_PCT_SCORING(times, scores, 1) == 1.0
    assert udfs.AIJRI_PCT_SCORING(times, scores, 2) == 0.95
    assert udfs.AIJRI_RAW(times, scores, row(EVIDENCE_SCORES), column(BARRIER_SCORES),
                          GROWTH) == worked.raw
    assert udfs.AIJRI_SCORE(times, scores, row(EVIDENCE_SCORES), column(BARRIER_SCORES),
                            float(GROWTH)) == worked.score == 52.8
    assert udfs.AIJRI_SUBLABEL(52.8, times, scores, GROWTH) == worked.sub_label \
        == "Green (Transforming)"


@pytest.mark.parametrize("times", [column(fractions(PCTS)), column(PCTS, 10),
                                   [["Time"], *column(PCTS)]])
def test_worked_example_split(times, worked):
    classes = column(CLASSES, len(times) - len(CLASSES))
    if times[0] == ["Time"]:
        classes = [["Class"], *column(CLASSES)]
    assert udfs.AIJRI_SPLIT(times, classes) == [[0.0, 0.95, 0.05]] == [[
        worked.fractions[f] for f in ("split_displacement", "split_augmentation",
                                      "split_not_involved")]]
    assert udfs.AIJRI_SPLIT(times, classes, "augmentation") == 0.95
    assert udfs.AIJRI_SPLIT(times, classes, " Not  Involved ") == 0.05
    assert udfs.AIJRI_SPLIT(times, classes, "DISPLACEMENT") == 0.0


def test_split_class_case_and_spaces_as_excel_compares_text():
    times = column([50, 50])
    assert udfs.AIJRI_SPLIT(times, column(["displacement", " Augmentation "])) == [
        [0.5, 0.5, 0.0]]


@pytest.mark.parametrize(("evidence", "barriers", "growth"), [
    (row(EVIDENCE_SCORES), row(BARRIER_SCORES), 1),
    (column(floats(EVIDENCE_SCORES)), column(floats(BARRIER_SCORES)), 1.0),
    ([[5.0]], [[0.0]], [[1.0]]),  # the totals, as one-cell ranges
    (5, 0, 1),  # the totals, as scalars
    (5.0, None, 1),  # a blank barrier total is not 0: see the error test
])
def test_modifiers_scores_or_totals(evidence, barriers, growth, worked):
    result = udfs.AIJRI_MODIFIERS(evidence, barriers, growth)
    if barriers is None:
        assert result == "#VALUE! the barrier total is missing"
        return
    assert result == [[worked.evidence_modifier, worked.barrier_modifier,
                       worked.growth_modifier]] == [[1.2, 1.0, 1.05]]


def test_totals_and_scores_give_the_same_score(worked):
    times, scores = column(PCTS), column(SCORES)
    by_scores = udfs.AIJRI_SCORE(times, scores, row(EVIDENCE_SCORES), row(BARRIER_SCORES), 1)
    by_totals = udfs.AIJRI_SCORE(times, scores, sum(EVIDENCE_SCORES), sum(BARRIER_SCORES), 1)
    assert by_scores == by_totals == worked.score


def test_worked_example_assess_spills_every_result_field(worked):
    spilled = udfs.AIJRI_ASSESS(column(PCTS, 17), column(SCORES, 17), column(CLASSES, 17),
                                row(PROTECTIVE_SCORES), 1.0, row(EVIDENCE_SCORES),
                                row(BARRIER_SCORES), None)
    assert [r[0] for r in spilled] == list(RESULT_FIELDS)
    assert all(len(r) == 2 for r in spilled)
    values = dict(spilled)
    for name in RESULT_FIELDS:
        assert values[name] == worked.workbook_value(name), name
    # Shares come back as fractions (Excel formats them as percent).
    assert values["pct_time_score_3plus"] == 0.3
    assert values["split_augmentation"] == 0.95
    assert values["override"] is None
    assert (values["score"], values["zone"], values["sub_label"]) == (
        52.8, "GREEN", "Green (Transforming)")


def test_assess_with_override_uses_it_as_final_score(worked):
    spilled = dict(udfs.AIJRI_ASSESS(column(PCTS), column(SCORES), column(CLASSES),
                                     row(PROTECTIVE_SCORES), 1, row(EVIDENCE_SCORES),
                                     row(BARRIER_SCORES), 47.9))
    assert spilled["score"] == 52.8
    assert (spilled["override"], spilled["final_score"], spilled["zone"]) == (
        47.9, 47.9, "YELLOW")
    assert spilled["sub_label"] == "Yellow (Moderate)"


def test_worked_example_quick_screen_validate_and_zone(worked):
    assert udfs.AIJRI_QUICK_SCREEN(row(PROTECTIVE_SCORES), 1) == worked.quick_screen_band \
        == "Yellow-to-Green boundary"
    assert udfs.AIJRI_QUICK_SCREEN(2.0, 1.0) == "Yellow-to-Green boundary"
    assert udfs.AIJRI_ZONE(worked.final_score) == "GREEN"
    assert udfs.AIJRI_VALIDATE(column(PCTS, 5), column(SCORES, 5), column(CLASSES, 5),
                               row(PROTECTIVE_SCORES), 1, row(EVIDENCE_SCORES),
                               row(BARRIER_SCORES)) == "OK"


@pytest.mark.parametrize(("score_", "zone"), [
    (47.9, "YELLOW"), (48.0, "GREEN"), (48, "GREEN"), (24.9, "RED"), (25.0, "YELLOW"),
    (0, "RED"), (100, "GREEN"), (52.8, "GREEN"),
    # Taken to one decimal as published first: 47.95 is published as 48.0.
    (47.95, "GREEN"), (47.9499, "YELLOW"), (24.95, "YELLOW"), ([[47.9]], "YELLOW"),
])
def test_zone_boundaries(score_, zone):
    assert udfs.AIJRI_ZONE(score_) == zone


def test_score_rounds_ties_as_excel_does_not_as_python():
    """AIJRI-METHOD.md §3.8: S_c = 16.95 is 17.0 in Excel, 16.9 with Python's round()."""
    for times in (column([80.3, 19.7]), column([0.803, 0.197])):
        scores, evidence, barriers, growth = column([4, 5]), 0, 5, -1
        spilled = dict(udfs.AIJRI_ASSESS(times, scores, column(["DISPLACEMENT"] * 2),
                                         0, growth, evidence, barriers))
        unrounded = spilled["score_unrounded"]
        assert is_round_tie(unrounded, 1) and round(unrounded, 1) == 16.9
        assert udfs.AIJRI_SCORE(times, scores, evidence, barriers, growth) == 17.0
        reference = score(assessment([80.3, 19.7], [4, 5], barriers=(1, 1, 1, 1, 1),
                                     growth=-1))
        assert reference.score == spilled["score"] == 17.0
        assert udfs.AIJRI_ZONE(unrounded) == "RED"


def test_time_by_score_is_rounded_so_40_percent_is_40_percent():
    """7.4 + 14.2 + 9.2 + 0.6 + 8.6 sums to 0.3999999999999999 (§3.3); P4 is 0.4."""
    pcts = [7.4, 14.2, 9.2, 0.6, 8.6, 30, 30]
    scores = [4, 4, 4, 4, 4, 2, 2]
    naive = sum(fractions(pcts[:5]))
    assert naive < 0.4
    times = column(pcts)
    assert udfs.AIJRI_PCT_SCORING(times, column(scores), 4) == 0.4
    final = udfs.AIJRI_SCORE(times, column(scores), 0, 0, 0)
    assert udfs.AIJRI_ZONE(final) == "YELLOW"
    assert udfs.AIJRI_SUBLABEL(final, times, column(scores), 0) == "Yellow (Urgent)"
    assert score(assessment(pcts, scores)).sub_label == "Yellow (Urgent)"


@pytest.mark.parametrize(("growth", "p3_pcts", "expected"), [
    (2, [50, 50], "Green (Accelerated)"),
    (1, [80, 20], "Green (Transforming)"),
    (1, [81, 19], "Green (Stable)"),
])
def test_green_sub_labels(growth, p3_pcts, expected):
    times, scores = column(p3_pcts), column([2, 3])
    assert udfs.AIJRI_SUBLABEL(60, times, scores, growth) == expected


@pytest.mark.parametrize(("final", "p4_pcts", "expected"), [
    (30, [60, 40], "Yellow (Urgent)"), (30, [61, 39], "Yellow (Moderate)"),
    (10, [40, 60], "Red (Imminent)"), (10, [41, 59], "Red (Gradual)"),
])
def test_yellow_and_red_sub_labels(final, p4_pcts, expected):
    assert udfs.AIJRI_SUBLABEL(final, column(p4_pcts), column([2, 4]), 0) == expected


# --------------------------------------------------------------------------- random cases


@st.composite
def assessments(draw):
    """A valid assessment whose time shares are whole or one-decimal percents that sum
    to exactly 100."""
    n = draw(st.integers(1, 10))
    cuts = sorted(draw(st.sets(st.integers(1, 999), min_size=n - 1, max_size=n - 1)))
    edges = [0, *cuts, 1000]
    pcts = [(b - a) / 10 for a, b in itertools.pairwise(edges)]  # tenths of a %
    scores = draw(st.lists(st.integers(1, 5), min_size=len(pcts), max_size=len(pcts)))
    classes = [draw(st.sampled_from(TASK_CLASSES)) for _ in pcts]
    return dict(
        pcts=pcts, scores=scores, classes=classes,
        protective=draw(st.lists(st.integers(0, 3), min_size=3, max_size=3)),
        growth=draw(st.integers(-2, 2)),
        evidence=draw(st.lists(st.integers(-2, 2), min_size=5, max_size=5)),
        barriers=draw(st.lists(st.integers(0, 2), min_size=5, max_size=5)),
        override=draw(st.none() | st.integers(0, 1000).map(lambda x: x / 10)),
    )


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(assessments(), st.booleans(), st.integers(0, 5))
def test_random_assessments_match_the_reference(case, as_percent, trailing):
    reference = score(assessment(case["pcts"], case["scores"], case["classes"],
                                 case["protective"], case["growth"], case["evidence"],
                                 case["barriers"], case["override"]))
    times = column(case["pcts"] if as_percent else fractions(case["pcts"]), trailing)
    scores = column(floats(case["scores"]), trailing)
    classes = column(case["classes"], trailing)
    spilled = dict(udfs.AIJRI_ASSESS(times, scores, classes, row(case["protective"]),
                                     float(case["growth"]), row(case["evidence"]),
                                     column(case["barriers"]), case["override"]))
    for name in RESULT_FIELDS:
        assert spilled[name] == reference.workbook_value(name), name
    ev, ba, g = row(case["evidence"]), row(case["barriers"]), case["growth"]
    assert udfs.AIJRI_TASK_RESISTANCE(times, scores) == reference.task_resistance
    assert udfs.AIJRI_RAW(times, scores, ev, ba, g) == reference.raw
    assert udfs.AIJRI_SCORE(times, scores, sum(case["evidence"]), sum(case["barriers"]),
                            g) == reference.score
    assert udfs.AIJRI_MODIFIERS(ev, ba, g) == [[reference.evidence_modifier,
                                                reference.barrier_modifier,
                                                reference.growth_modifier]]
    assert udfs.AIJRI_PCT_SCORING(times, scores, 3) == reference.fractions[
        "pct_time_score_3plus"]
    assert udfs.AIJRI_PCT_SCORING(times, scores, 4) == reference.fractions[
        "pct_time_score_4plus"]
    assert udfs.AIJRI_SPLIT(times, classes) == [[
        reference.fractions[f] for f in ("split_displacement", "split_augmentation",
                                         "split_not_involved")]]
    assert udfs.AIJRI_ZONE(reference.final_score) == reference.zone
    assert udfs.AIJRI_SUBLABEL(reference.final_score, times, scores, g) == reference.sub_label
    assert udfs.AIJRI_QUICK_SCREEN(sum(case["protective"]), g) == reference.quick_screen_band


CELLS = st.one_of(
    st.none(), st.just(""), st.just("   "), st.text(max_size=6), st.booleans(),
    st.integers(-200, 200), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(sorted(EXCEL_ERRORS)), st.sampled_from(TASK_CLASSES),
)
RANGES = st.one_of(
    CELLS,
    st.lists(st.lists(CELLS, min_size=1, max_size=3), min_size=1, max_size=12),
    st.lists(st.lists(CELLS, min_size=1, max_size=1), min_size=1, max_size=12),
    st.lists(CELLS, max_size=8),
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.sampled_from(udfs.FUNCTIONS), st.data())
def test_functions_never_raise_and_never_fail_internally(function, data):
    params = inspect.signature(function).parameters
    args = [data.draw(RANGES, label=name) for name in params]
    result = function(*args)
    assert isinstance(result, int | float | str | list)
    if isinstance(result, str):
        assert "internal error" not in result, result
    if isinstance(result, list):
        assert all(isinstance(r, list) for r in result)


# --------------------------------------------------------------------------- problems


@pytest.mark.parametrize(("call", "expected"), [
    (lambda: udfs.AIJRI_TASK_RESISTANCE(column([25, 20, 55]), column([2, 7, 3])),
     "#VALUE! task 2: score must be 1 to 5, found 7"),
    (lambda: udfs.AIJRI_TASK_RESISTANCE(column([25, 20, 55]), column([2, 2.5, 3])),
     "#VALUE! task 2: score must be a whole number, found 2.5"),
    (lambda: udfs.AIJRI_TASK_RESISTANCE(column([25, 20, 55]), column([2, "three", 3])),
     "#VALUE! task 2: score must be a whole number, found 'three'"),
    (lambda: udfs.AIJRI_TASK_RESISTANCE(column([25, 75]), column([2, True])),
     "#VALUE! task 2: score must be a whole number, found True"),
    (lambda: udfs.AIJRI_TASK_RESISTANCE(column([25, 20, 55]), column([2, None, 3])),
     "#VALUE! task 2 has a time share but no score"),
    (lambda: udfs.AIJRI_TASK_RESISTANCE(column([25, None, 75]), column([2, 3, 3])),
     "#VALUE! task 2 has no time share"),
    (lambda: udfs.AIJRI_TASK_RESISTANCE(column([None, None]), column([None, ""])),
     "#VALUE! the assessment has no tasks"),
    (lambda: udfs.AIJRI_TASK_RESISTANCE(None, None), "#VALUE! the assessment has no tasks"),
    (lambda: udfs.AIJRI_TASK_RESISTANCE(column([50, 150]), column([2, 3])),
     "#VALUE! task 2: time share must be above 0% and at most 100%, found 150%"),
    (lambda: udfs.AIJRI_TASK_RESISTANCE(column([0.5, -0.5]), column([2, 3])),
     "#VALUE! task 2: time share must be above 0% and at most 100%, found -50%"),
    (lambda: udfs.AIJRI_TASK_RESISTANCE(column([50, "#N/A"]), column([2, 3])),
     "#N/A task 2: the time share is the error #N/A"),
    (lambda: udfs.AIJRI_TASK_RESISTANCE(column([50, 50]), column(["#DIV/0!", 3])),
     "#DIV/0! task 1: the score is the error #DIV/0!"),
    (lambda: udfs.AIJRI_TASK_RESISTANCE([[0.5, 0.5], [0.2, 0.3]], column([2, 3])),
     "#VALUE! times must be a single row or column, found 2 rows × 2 columns"),
    (lambda: udfs.AIJRI_TASK_RESISTANCE(column([25, 20, 55]), column([2, 9, 0])),
     "#VALUE! task 2: score must be 1 to 5, found 9 (and 1 more problem; see "
     "AIJRI_VALIDATE)"),
    (lambda: udfs.AIJRI_TASK_RESISTANCE([[None], *column([50, 50])], column([None, 2, 7])),
     "#VALUE! task 2: score must be 1 to 5, found 7 (row 3 of the range)"),
    (lambda: udfs.AIJRI_PCT_SCORING(column([50, 50]), column([2, 3]), 6),
     "#VALUE! min_score must be 1 to 5, found 6"),
    (lambda: udfs.AIJRI_PCT_SCORING(column([50, 50]), column([2, 3]), None),
     "#VALUE! min_score is missing"),
    (lambda: udfs.AIJRI_PCT_SCORING(column([50, 50]), column([2, 3]), "#REF!"),
     "#REF! min_score is the error #REF!"),
    (lambda: udfs.AIJRI_SPLIT(column([50, 50]), column(["AUG", "AUGMENTATION"])),
     "#VALUE! task 1: class 'AUG' is not one of DISPLACEMENT, AUGMENTATION, NOT INVOLVED"),
    (lambda: udfs.AIJRI_SPLIT(column([50, 50]), column(["AUGMENTATION", None])),
     "#VALUE! task 2 has no Aug/Disp class"),
    (lambda: udfs.AIJRI_SPLIT(column([100, None]), column(["AUGMENTATION"] * 2)),
     "#VALUE! task 2 has no time share"),
    (lambda: udfs.AIJRI_SPLIT(column([50, 50]), column(["AUGMENTATION"] * 2), "AUG"),
     "#VALUE! class_name 'AUG' is not one of DISPLACEMENT, AUGMENTATION, NOT INVOLVED"),
    (lambda: udfs.AIJRI_MODIFIERS(row([1, 1, 1]), 0, 1),
     "#VALUE! expected the 5 evidence scores or their total, found 3 cells"),
    (lambda: udfs.AIJRI_MODIFIERS(11, 0, 1), "#VALUE! the evidence total must be -10 to 10, "
     "found 11"),
    (lambda: udfs.AIJRI_MODIFIERS(row([1, 1, 3, 1, 1]), 0, 1),
     "#VALUE! evidence score 'Wage Trends' must be -2 to 2, found 3"),
    (lambda: udfs.AIJRI_MODIFIERS(0, row([0, 0, None, 0, 0]), 1),
     "#VALUE! barrier score 'Union/Collective Bargaining' is missing"),
    (lambda: udfs.AIJRI_MODIFIERS(0, 0, 3), "#VALUE! AI growth correlation must be -2 to 2, "
     "found 3"),
    (lambda: udfs.AIJRI_MODIFIERS(0, 0, None), "#VALUE! AI growth correlation is missing"),
    (lambda: udfs.AIJRI_MODIFIERS(0, 0, 0.5),
     "#VALUE! AI growth correlation must be a whole number, found 0.5"),
    (lambda: udfs.AIJRI_MODIFIERS(0, 0, row([1, 1])),
     "#VALUE! the AI growth correlation must be one cell, found 2"),
    (lambda: udfs.AIJRI_QUICK_SCREEN(row([0, 4, 0]), 0),
     "#VALUE! protective score 'Deep Interpersonal Connection' must be 0 to 3, found 4"),
    (lambda: udfs.AIJRI_ZONE(None), "#VALUE! the score is missing"),
    (lambda: udfs.AIJRI_ZONE("high"), "#VALUE! the score must be a number, found 'high'"),
    (lambda: udfs.AIJRI_ZONE(100.5), "#VALUE! the score must be 0 to 100, found 100.5"),
    (lambda: udfs.AIJRI_ZONE("#N/A"), "#N/A score is the error #N/A"),
    (lambda: udfs.AIJRI_ASSESS(column([50, 50]), column([2, 3]), column(["AUGMENTATION"] * 2),
                               row([0, 0, 0]), 0, 0, 0, 100.25),
     "#VALUE! the override must be 0 to 100 with at most one decimal, found 100.25"),
    (lambda: udfs.AIJRI_PARAM("GREEN"),
     "#N/A no parameter 'GREEN'; the parameters are " + ", ".join(PARAMS)),
])
def test_problems_come_back_as_error_text(call, expected):
    assert call() == expected


def test_an_incomplete_time_total_still_computes_like_the_engine():
    """The engine scores a table whose shares sum to 95% (AIJRI_VALIDATE reports it)."""
    pcts, scores = [50, 45], [2, 3]
    assert udfs.AIJRI_TASK_RESISTANCE(column(pcts), column(scores)) == score(
        assessment(pcts, scores)).task_resistance


def validate(pcts, scores, classes=None, **kw):
    classes = classes or [default_task_class(s or 1) for s in scores]
    args = dict(protective=row([0, 0, 2]), growth=1, evidence=row([1] * 5),
                barriers=row([0] * 5))
    args.update(kw)
    return udfs.AIJRI_VALIDATE(column(pcts), column(scores), column(classes),
                               args.pop("protective"), args.pop("growth"),
                               args.pop("evidence"), args.pop("barriers"), **args)


def test_validate_lists_every_problem_errors_first():
    rows = validate([50, 40, 5], [2, 2, 1], ["AUGMENTATION", "DISPLACEMENT", "NOT INVOLVED"],
                    override=80, task_names=column(["Coding", "coding", "Design"]),
                    growth_check=0)
    assert rows == [
        ["ERROR AIJ-E005 time shares sum to 95%, not 100% (tolerance 0.05 points)"],
        ["ERROR AIJ-E009 the growth check (+0) differs from the growth correlation (+1)"],
        ["ERROR AIJ-E008 an override is given without a justification"],
        ["WARNING AIJ-W020 task 2 ('coding'): score 2 is AUGMENTATION by default, classed "
         "DISPLACEMENT"],
        ["WARNING AIJ-W022 task 2 has the same name as task 1: 'coding'"],
        ["WARNING AIJ-W021 the override 80 is 20.9 points from the formula score 59.1 (more "
         "than 10)"],
    ]


def test_validate_reports_input_errors_with_their_rows():
    rows = validate([50, None, 50], [2, None, 7], ["AUGMENTATION", None, "DISPLACEMENT"],
                    task_names=column(["A", None, "C"]), justification="calibrated")
    assert rows == [["ERROR AIJ-E003 task 2 ('C'): score must be 1 to 5, found 7 (row 3 of "
                     "the range)"]]
    assert validate([50, 50], [2, 3], override=50, justification="calibrated") == "OK"
    assert validate([50, 50], [2, 3], evidence=5) == "OK"
    assert validate([100], [2], evidence="#N/A") == [
        ["ERROR AIJ-E002 the evidence total is the error #N/A"]]
    assert udfs.AIJRI_VALIDATE([[0.5, 0.5], [0.5, 0.5]], column([2, 3]), column([None]), 0,
                               0, 0, 0) == [
        ["ERROR AIJ-E002 times must be a single row or column, found 2 rows × 2 columns"]]


def test_param_and_method():
    assert udfs.AIJRI_METHOD() == METHOD
    for p in PARAMETERS:
        assert udfs.AIJRI_PARAM(p.name) == p.value == PARAMS[p.name]
        assert udfs.AIJRI_PARAM([[p.name.lower()]]) == p.value
    table = udfs.AIJRI_PARAM(None)
    assert table[0] == ["name", "value", "unit", "tag", "description"]
    assert table[1:] == [[p.name, p.value, p.unit, p.tag, p.description] for p in PARAMETERS]
    assert udfs.AIJRI_PARAM("") == table


def test_every_excel_function_is_listed_and_documented():
    listed = {f.__name__ for f in udfs.FUNCTIONS}
    defined = {n for n in dir(udfs) if n.startswith("AIJRI_")}
    assert listed == defined
    for f in udfs.FUNCTIONS:
        doc = f.__doc__ or ""
        # Excel's function wizard shows the docstring; the Windows add-in cuts it at 255.
        assert 20 < len(doc) <= 255, f.__name__
        assert "\n" not in doc and "  " not in doc, f.__name__


def test_shares_are_fractions_not_percents():
    share = udfs.AIJRI_PCT_SCORING(column([30, 70]), column([3, 2]), 3)
    assert share == 0.3
    assert math.isclose(sum(udfs.AIJRI_SPLIT(column([30, 70]), column(
        ["AUGMENTATION", "DISPLACEMENT"]))[0]), 1.0)


def test_score_equals_excel_round_of_the_unrounded_score():
    spilled = dict(udfs.AIJRI_ASSESS(column(PCTS), column(SCORES), column(CLASSES),
                                     row(PROTECTIVE_SCORES), 1, row(EVIDENCE_SCORES),
                                     row(BARRIER_SCORES)))
    assert spilled["score"] == excel_round(spilled["score_unrounded"], 1)


# --------------------------------------------------------------------------- the README picture


def _example_module():
    path = ROOT / "docs" / "examples" / "make_udf_example.py"
    spec = importlib.util.spec_from_file_location("make_udf_example", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_example_shows_every_function_with_the_reference_values(worked):
    example = _example_module()
    rows = example.examples()
    shown = {text.split("(")[0].lstrip("=") for text, _, _ in rows}
    formula, spilled = example.assess()
    shown.add(formula.split("(")[0].lstrip("="))
    assert shown == {f.__name__ for f in udfs.FUNCTIONS}
    results = {text.split("(")[0].lstrip("="): value for text, value, _ in rows}
    assert results["AIJRI_SCORE"] == worked.score
    assert results["AIJRI_SUBLABEL"] == worked.sub_label
    assert dict(spilled)["final_score"] == worked.final_score


def test_readme_example_formulas_name_the_cells_that_hold_the_inputs(tmp_path):
    """The picture is honest: each range a formula names holds, in the workbook that is
    rendered, the values the function was called with."""
    import openpyxl
    from openpyxl.utils.cell import range_boundaries

    example = _example_module()
    path = tmp_path / "example.xlsx"
    example.build(path)
    ws = openpyxl.load_workbook(path).active
    for address, passed in example.RANGES.items():
        if ":" not in address:
            address = f"{address}:{address}"
        min_col, min_row, max_col, max_row = range_boundaries(address)
        held = [[ws.cell(r, c).value for c in range(min_col, max_col + 1)]
                for r in range(min_row, max_row + 1)]
        expected = passed if isinstance(passed, list) else [[passed]]
        assert held == expected, address
    score_cell = ws[example.SCORE_CELL]
    assert score_cell.value == 52.8
    assert ws.cell(score_cell.row, 1).value.startswith("=AIJRI_SCORE(")


def test_an_override_exactly_ten_points_away_is_not_flagged():
    """The override rule is the verifier's (compare.override_findings): 65.9 - 55.9 is
    10.000000000000007 in floating point but exactly 10 points."""
    ranges = dict(times=[[0.975], [0.025]], scores=[[1], [2]],
                  classes=[["NOT INVOLVED"], ["AUGMENTATION"]], protective=[[0, 0, 0]],
                  growth=0, evidence=[[0, 0, 0, 0, 0]], barriers=[[0, 0, 0, 0, 0]])
    assert udfs.AIJRI_SCORE(ranges["times"], ranges["scores"], ranges["evidence"],
                            ranges["barriers"], 0) == 55.9
    assert udfs.AIJRI_VALIDATE(**ranges, override=65.9, justification="x") == "OK"
    assert "AIJ-W021" in udfs.AIJRI_VALIDATE(**ranges, override=66.0, justification="x")[0][0]


# --------------------------------------------------------------------------- blank rows


def test_a_whole_column_as_excel_desktop_passes_it(worked):
    times = column(PCTS, 2**20 - len(PCTS), 0)
    scores = column(SCORES, 2**20 - len(SCORES), 0)
    assert udfs.AIJRI_SCORE(times, scores, 5, 0, 1) == worked.score == 52.8


def test_a_partly_zero_row_is_the_error_it_is():
    """A row is blank only when every cell is empty or 0: a time share with a score of
    0, or a time share of 0 with a score, is a task, reported."""
    times, scores = column([*PCTS, 5]), column([*SCORES, 0])
    assert udfs.AIJRI_TASK_RESISTANCE(times, scores) == \
        "#VALUE! task 9: score must be 1 to 5, found 0"
    times, scores = column([*PCTS, 0]), column([*SCORES, 3])
    assert udfs.AIJRI_TASK_RESISTANCE(times, scores).startswith(
        "#VALUE! task 9: time share must be above 0%")


def test_a_zero_in_a_text_column_is_an_empty_cell():
    """Excel desktop passes an empty class or name cell as 0: no class, no name."""
    times, classes = column(PCTS), column([*CLASSES[:-1], 0])
    assert udfs.AIJRI_SPLIT(times, classes) == \
        "#VALUE! task 8 has no Aug/Disp class"
    names = column([f"task {i}" for i in range(7)] + [0])
    found = udfs.AIJRI_VALIDATE(column(PCTS), column(SCORES), column(CLASSES), [[0, 0, 2]],
                                1, [[1] * 5], [[0] * 5], None, None, names)
    assert found == [["ERROR AIJ-E001 task 8 has no name"]]


def test_the_blank_row_rule_is_one_function():
    from aijri_xl.excel.cells import is_blank_row

    assert is_blank_row([None, "", "  ", 0, 0.0])
    assert not is_blank_row([0, 3])
    assert not is_blank_row([False])  # a bool is a value, not a number
