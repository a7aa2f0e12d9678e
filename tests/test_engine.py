"""The reference engine against AIJRI-METHOD.md §3 (each step), §6 (the worked example)
and the properties every valid assessment must have."""

from __future__ import annotations

import dataclasses
import json
import math
import subprocess
import sys
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import (
    ROUNDING_TIES,
    assessments,
    build,
    tie_and_boundary_cases,
    tie_case,
)

from aijri_xl import AssessmentError, score, score_from_scores
from aijri_xl.method import EVIDENCE, METHOD, PARAMS, RESULT_FIELDS, default_task_class
from aijri_xl.method.engine import quick_screen_band, sub_label_of, zone_of
from aijri_xl.method.excel_math import excel_round, is_round_tie, percent_to_fraction

PROPERTY = settings(max_examples=200, deadline=None)

# ---------------------------------------------------------------------------------------
# §6: the worked example


def test_worked_example_gives_every_published_figure(worked_example):
    r = score(worked_example)
    assert r.method == METHOD == "AIJRI-1.0"
    assert r.weighted_total == pytest.approx(2.25, abs=1e-12)
    assert r.task_resistance == pytest.approx(3.75, abs=1e-12)
    assert r.pct_time_score_3plus == 30
    assert r.pct_time_score_4plus == 0
    assert (r.split_displacement, r.split_augmentation, r.split_not_involved) == (0, 95, 5)
    assert r.protective_total == 2
    assert r.growth_correlation == 1
    assert (r.quick_screen_total, r.quick_screen_band) == (3, "Yellow-to-Green boundary")
    assert r.evidence_total == 5
    assert f"{r.evidence_modifier:.2f}" == "1.20"
    assert r.barrier_total == 0
    assert f"{r.barrier_modifier:.2f}" == "1.00"
    assert f"{r.growth_modifier:.2f}" == "1.05"
    assert f"{r.raw:.4f}" == "4.7250"
    assert f"{r.score_unrounded:.4f}" == "52.7743"
    assert r.score == 52.8
    assert r.override is None
    assert r.final_score == 52.8
    assert r.zone == "GREEN"
    assert r.sub_label == "Green (Transforming)"


def test_worked_example_percent_fields_are_exact(worked_example):
    """30 means 30%: exactly 30.0, not 30.000000000000004; the workbook holds 0.3."""
    r = score(worked_example)
    assert r.to_dict()["pct_time_score_3plus"] == 30.0
    assert r.fractions["pct_time_score_3plus"] == 0.3
    assert r.fractions["split_augmentation"] == 0.95
    assert r.fractions["split_not_involved"] == 0.05
    assert r.workbook_value("split_augmentation") == 0.95
    assert r.workbook_value("score") == 52.8


# ---------------------------------------------------------------------------------------
# §3, step by step


def test_weighted_total_is_summed_in_row_order():
    """Step 1: W = Σ t_i × s_i left to right; these shares give another double in any
    other order, so the test tells row order from fsum or a reversed sum."""
    shares = [("7.37", 1), ("9.01", 5), ("14.22", 1), ("50.07", 2), ("19.33", 1)]
    times = [percent_to_fraction(p) for p, _ in shares]
    products = [t * s for t, (_, s) in zip(times, shares, strict=True)]
    row_order = 0.0
    for w in products:
        row_order += w
    reversed_order = 0.0
    for w in reversed(products):
        reversed_order += w
    assert row_order != reversed_order  # the case discriminates
    r = score(build(shares))
    assert r.weighted_total == row_order
    assert r.task_resistance == PARAMS["TRS_CEILING"] - row_order
    assert r.task_resistance == 6.0 - 1.8611000000000002


@pytest.mark.parametrize(("shares", "trs"), [
    ([("100", 1)], 5.0),
    ([("100", 5)], 1.0),
    ([("50", 2), ("50", 4)], 3.0),
])
def test_task_resistance_range(shares, trs):
    assert score(build(shares)).task_resistance == trs


def test_time_by_score_rounds_to_8_decimals_so_40_percent_counts():
    """Step 3: the spec's own example. 7.4% + 14.2% + 9.2% + 0.6% + 8.6% sums to
    0.3999999999999999 in doubles; ROUND(…, 8) makes it 0.4, which is ≥ 40%."""
    pieces = ["7.4", "14.2", "9.2", "0.6", "8.6"]
    total = 0.0
    for p in pieces:
        total += percent_to_fraction(p)
    assert total == 0.3999999999999999
    assert total < 0.4
    r = score(build([(p, 4) for p in pieces] + [("60", 2)], override=30.0))
    assert r.fractions["pct_time_score_4plus"] == 0.4
    assert r.fractions["pct_time_score_3plus"] == 0.4
    assert r.pct_time_score_4plus == 40.0
    assert r.pct_time_score_4plus >= PARAMS["URGENT_MIN_PCT"]
    assert r.zone == "YELLOW"
    assert r.sub_label == "Yellow (Urgent)"


def test_time_by_score_thresholds_are_3_and_4():
    r = score(build([("10", 1), ("15", 2), ("20", 3), ("25", 4), ("30", 5)]))
    assert r.pct_time_score_3plus == 75
    assert r.pct_time_score_4plus == 55


def test_split_is_rounded_like_p3_and_follows_the_class_not_the_score():
    shares = [("7.4", 4), ("14.2", 4), ("9.2", 4), ("0.6", 4), ("8.6", 4), ("60", 2)]
    r = score(build(shares))
    assert (r.split_displacement, r.split_augmentation, r.split_not_involved) == (40, 60, 0)
    off_mapping = build([("30", 4, "AUGMENTATION"), ("50", 2, "NOT INVOLVED"),
                         ("20", 1, "DISPLACEMENT")])
    r = score(off_mapping)
    assert (r.split_displacement, r.split_augmentation, r.split_not_involved) == (20, 30, 50)
    assert r.pct_time_score_4plus == 30  # P4 follows the score


def test_totals():
    r = score(build([("100", 3)], protective=(3, 2, 1), growth=-2,
                    evidence=(2, -1, 0, -2, 1), barriers=(2, 0, 1, 2, 1)))
    assert r.protective_total == 6
    assert r.growth_correlation == -2
    assert r.evidence_total == 0
    assert r.barrier_total == 6
    assert r.quick_screen_total == 4


@pytest.mark.parametrize(("evidence", "barriers", "growth", "em", "bm", "gm"), [
    ((2,) * 5, (2,) * 5, 2, 1 + 10 * 0.04, 1 + 10 * 0.02, 1 + 2 * 0.05),
    ((-2,) * 5, (0,) * 5, -2, 1 + -10 * 0.04, 1.0, 1 + -2 * 0.05),
    ((1, 1, 1, 1, 1), (0, 0, 0, 0, 0), 1, 1.2, 1.0, 1.05),
    ((0,) * 5, (1, 0, 0, 0, 0), 0, 1.0, 1.02, 1.0),
])
def test_modifiers(evidence, barriers, growth, em, bm, gm):
    r = score(build([("100", 3)], evidence=evidence, barriers=barriers, growth=growth))
    assert (r.evidence_modifier, r.barrier_modifier, r.growth_modifier) == (em, bm, gm)


def test_raw_is_multiplied_left_to_right_and_score_grouped_as_written():
    """Step 7 and 8: RAW = ((TRS × EM) × BM) × GM; S* = (RAW − OFFSET) / SPAN × 100. This
    case gives other doubles under other groupings, so the test discriminates."""
    a = build([("19.71", 3), ("80.29", 4)], evidence=(2, 2, 1, 0, 0),
              barriers=(2, 2, 2, 2, 0), growth=2)
    r = score(a)
    t, e, b, g = r.task_resistance, r.evidence_modifier, r.barrier_modifier, r.growth_modifier
    assert t * (e * (b * g)) != ((t * e) * b) * g  # the case discriminates
    assert r.raw == ((t * e) * b) * g
    offset, span = PARAMS["SCORE_OFFSET"], PARAMS["SCORE_SPAN"]
    assert (r.raw - offset) * 100 / span != (r.raw - offset) / span * 100
    assert r.score_unrounded == (r.raw - offset) / span * 100
    assert r.score == excel_round(r.score_unrounded, 1) == 35.6


def test_score_is_capped_at_100():
    """Barriers all 2, evidence all 2, growth +2, every task 1: S* ≈ 109.7."""
    a = build([("60", 1), ("40", 1)], evidence=(2,) * 5, barriers=(2,) * 5, growth=2)
    r = score(a)
    assert (r.raw - PARAMS["SCORE_OFFSET"]) / PARAMS["SCORE_SPAN"] * 100 > 100
    assert r.score_unrounded == 100.0
    assert r.score == 100.0
    assert r.final_score == 100.0
    assert r.zone == "GREEN"
    assert r.sub_label == "Green (Accelerated)"


def test_score_is_capped_at_0():
    """Every task 5 with shares at the 100.05% tolerance, evidence all −2, growth −2:
    RAW falls below SCORE_OFFSET, so S* < 0."""
    a = build([("50", 5), ("50.05", 5)], evidence=(-2,) * 5, growth=-2)
    r = score(a)
    assert r.raw < PARAMS["SCORE_OFFSET"]
    assert r.score_unrounded == 0.0
    assert r.score == 0.0
    assert r.zone == "RED"
    assert r.sub_label == "Red (Imminent)"
    lowest = score(build([("100", 5)], evidence=(-2,) * 5, growth=-2))
    assert lowest.raw == PARAMS["SCORE_OFFSET"]
    assert lowest.score == 0.0


@pytest.mark.parametrize("title", ["capped at 100", "capped at 0 (shares sum to 100.05%)"])
def test_result_numbers_are_floats_at_the_caps(title):
    a = next(c for c in tie_and_boundary_cases() if c.role.title == title)
    r = score(a)
    for name in ("score_unrounded", "score", "final_score"):
        assert type(getattr(r, name)) is float, (name, getattr(r, name))


# ---------------------------------------------------------------------------------------
# Excel's ROUND


@pytest.mark.parametrize(("x", "digits", "excel", "python"), [
    (16.95, 1, 17.0, 16.9),
    (2.675, 2, 2.68, 2.67),
    (1.005, 2, 1.01, 1.0),
    (0.285, 2, 0.29, 0.28),
    (-2.5, 0, -3.0, -2.0),
    (0.5, 0, 1.0, 0.0),
    (2.5, 0, 3.0, 2.0),
    (-16.95, 1, -17.0, -16.9),
    (52.77427490542246, 1, 52.8, 52.8),
    (52.7499999999999, 1, 52.7, 52.7),  # 15 significant digits: not a tie
    (0.3999999999999999, 8, 0.4, 0.4),
])
def test_excel_round_differs_from_python_round_at_ties(x, digits, excel, python):
    assert excel_round(x, digits) == excel
    assert round(x, digits) == python


def test_excel_round_takes_15_significant_digits_first():
    # 52.74999999999999 is 52.7500000000000 at 15 significant digits, a tie: up.
    assert excel_round(52.74999999999999, 1) == 52.8
    assert round(52.74999999999999, 1) == 52.7


@pytest.mark.parametrize("x", [0.0, -0.04, -1e-20, 1e-20])
def test_excel_round_never_gives_negative_zero(x):
    assert math.copysign(1.0, excel_round(x, 1)) == 1.0
    assert excel_round(x, 1) == 0.0


def test_excel_round_of_negative_zero_is_zero():
    assert math.copysign(1.0, excel_round(-0.0, 1)) == 1.0


@given(st.integers(0, 10**9), st.integers(0, 4))
@PROPERTY
def test_excel_round_rounds_exact_decimal_ties_away_from_zero(n, digits):
    """x = (n + ½) × 10^-digits as the nearest double: Excel rounds up in magnitude."""
    x = (2 * n + 1) / (2 * 10**digits)
    up = float(Decimal(n + 1).scaleb(-digits))
    assert excel_round(x, digits) == up
    assert excel_round(-x, digits) == -up


# A real assessment whose score is an exact half-way tie: Python's round() and Excel's
# ROUND disagree, and the method is Excel's.


@pytest.mark.parametrize("index", range(len(ROUNDING_TIES)))
def test_half_way_ties_in_real_assessments_round_like_excel(index):
    tasks, evidence, barriers, growth, tie, excel = ROUNDING_TIES[index]
    # the exact decimal value of S* is the tie
    trs = Decimal(6) - sum(Decimal(p) / 100 * s for p, s in tasks)
    em = 1 + sum(evidence) * Decimal("0.04")
    bm = 1 + sum(barriers) * Decimal("0.02")
    gm = 1 + growth * Decimal("0.05")
    exact = (trs * em * bm * gm - Decimal("0.54")) / Decimal("7.93") * 100
    assert exact == Decimal(tie)
    r = score(tie_case(index))
    assert is_round_tie(r.score_unrounded, 1)
    assert round(r.score_unrounded, 1) != excel  # Python's round() would differ
    assert r.score == excel
    assert r.final_score == excel


def test_search_finds_a_half_way_tie_where_python_round_disagrees():
    """A small version of the search behind ROUNDING_TIES: evidence 2, 2, 0, −2, −2
    (E = 0), growth −1, barriers 0…10, two tasks of adjacent scores. For each possible
    tie S = k + 0.05, solve for TRS in exact decimals; keep those a two-decimal share
    reaches; score them with the engine."""
    found = []
    gm = 1 + Decimal(-1) * Decimal("0.05")
    for barrier_total in range(0, 11):
        bm = 1 + barrier_total * Decimal("0.02")
        barriers = tuple(min(2, max(0, barrier_total - 2 * i)) for i in range(5))
        for k in range(1000):
            tie = Decimal(2 * k + 1) / 20
            trs = (Decimal("0.54") + Decimal("7.93") * tie / 100) / (bm * gm)
            if not 1 < trs < 5 or (trs * 10000) % 1 != 0:
                continue
            weighted = 6 - trs
            low = int(weighted)
            upper_share = (weighted - low) * 100
            a = build([(str(100 - upper_share), low), (str(upper_share), low + 1)],
                      evidence=(2, 2, 0, -2, -2), barriers=barriers, growth=-1)
            r = score(a)
            if round(r.score_unrounded, 1) != r.score:
                assert r.score == float(tie + Decimal("0.05"))  # Excel: half away from 0
                found.append(tie)
    assert found, "no half-way tie found"


# ---------------------------------------------------------------------------------------
# Quick screen, zones, sub-labels


@pytest.mark.parametrize(("protective", "growth", "q", "band"), [
    ((3, 3, 3), 2, 11, "Likely Green"),
    ((3, 3, 0), 0, 6, "Likely Green"),
    ((3, 2, 0), 0, 5, "Yellow-to-Green boundary"),
    ((0, 0, 2), 1, 3, "Yellow-to-Green boundary"),
    ((1, 0, 1), 0, 2, "Likely Yellow"),
    ((0, 0, 0), 1, 1, "Likely Yellow"),
    ((0, 0, 0), 0, 0, "Yellow-to-Red boundary"),
    ((0, 0, 0), -2, -2, "Yellow-to-Red boundary"),
])
def test_quick_screen_bands(protective, growth, q, band):
    r = score(build([("100", 3)], protective=protective, growth=growth))
    assert (r.quick_screen_total, r.quick_screen_band) == (q, band)
    assert quick_screen_band(q) == band


def test_quick_screen_never_changes_the_score():
    low = score(build([("100", 3)], protective=(0, 0, 0)))
    high = score(build([("100", 3)], protective=(3, 3, 3)))
    assert low.quick_screen_band != high.quick_screen_band
    assert (low.raw, low.score, low.zone) == (high.raw, high.score, high.zone)


@pytest.mark.parametrize(("final", "zone"), [
    (100.0, "GREEN"), (48.0, "GREEN"), (47.9, "YELLOW"), (25.0, "YELLOW"),
    (24.9, "RED"), (0.0, "RED"),
])
def test_zone_of(final, zone):
    assert zone_of(final) == zone


@pytest.mark.parametrize(("override", "zone"), [
    (47.9, "YELLOW"), (48.0, "GREEN"), (24.9, "RED"), (25.0, "YELLOW"),
])
def test_zones_at_the_boundaries_via_override(override, zone):
    r = score(build([("25", 2), ("25", 3), ("50", 2)], override=override))
    assert r.score == 40.5  # the formula score is untouched
    assert r.final_score == override
    assert r.zone == zone


GREEN_OVERRIDE, YELLOW_OVERRIDE, RED_OVERRIDE = 60.0, 30.0, 10.0


@pytest.mark.parametrize(("shares", "growth", "override", "label"), [
    # GREEN: Accelerated (G = +2) comes first, even with P3 ≥ 20%
    ([("30", 3), ("70", 2)], 2, GREEN_OVERRIDE, "Green (Accelerated)"),
    ([("100", 1)], 2, GREEN_OVERRIDE, "Green (Accelerated)"),
    # P3 exactly 20%, from shares whose double sum is 0.19999999999999998
    ([("19.24", 3), ("0.76", 3), ("80", 2)], 1, GREEN_OVERRIDE, "Green (Transforming)"),
    ([("19.99", 3), ("80.01", 2)], 1, GREEN_OVERRIDE, "Green (Stable)"),
    ([("100", 2)], -2, GREEN_OVERRIDE, "Green (Stable)"),
    # YELLOW: P4 exactly 40% Urgent, 39.9% Moderate
    ([("7.4", 4), ("14.2", 4), ("9.2", 4), ("0.6", 4), ("8.6", 4), ("60", 2)], 0,
     YELLOW_OVERRIDE, "Yellow (Urgent)"),
    ([("39.9", 5), ("60.1", 3)], 0, YELLOW_OVERRIDE, "Yellow (Moderate)"),
    ([("100", 3)], 2, YELLOW_OVERRIDE, "Yellow (Moderate)"),  # Accelerated is GREEN only
    # RED: P4 exactly 60% Imminent (double sum 0.5999999999999999), 59.9% Gradual
    ([("49.01", 4), ("3.06", 5), ("7.1", 4), ("0.83", 4), ("40", 1)], 0, RED_OVERRIDE,
     "Red (Imminent)"),
    ([("59.9", 4), ("40.1", 3)], 0, RED_OVERRIDE, "Red (Gradual)"),
    ([("100", 3)], 0, RED_OVERRIDE, "Red (Gradual)"),
])
def test_sub_labels_at_their_boundaries(shares, growth, override, label):
    r = score(build(shares, growth=growth, override=override))
    assert r.sub_label == label


def test_fractional_shares_land_below_the_threshold_before_rounding():
    """The sub-label cases above only test ROUND(…, 8) if the raw sums fall short."""
    for pieces, target in ((["19.24", "0.76"], 0.2),
                           (["49.01", "3.06", "7.1", "0.83"], 0.6)):
        total = 0.0
        for p in pieces:
            total += percent_to_fraction(p)
        assert total < target


@pytest.mark.parametrize(("zone", "growth", "p3", "p4", "label"), [
    ("GREEN", 2, 0.5, 0.5, "Green (Accelerated)"),
    ("GREEN", 1, 0.2, 0.0, "Green (Transforming)"),
    ("GREEN", 1, 0.19999999, 0.0, "Green (Stable)"),
    ("YELLOW", 0, 1.0, 0.4, "Yellow (Urgent)"),
    ("YELLOW", 0, 1.0, 0.399, "Yellow (Moderate)"),
    ("RED", 0, 1.0, 0.6, "Red (Imminent)"),
    ("RED", 2, 1.0, 0.599, "Red (Gradual)"),
])
def test_sub_label_of(zone, growth, p3, p4, label):
    assert sub_label_of(zone, growth, p3, p4) == label


# ---------------------------------------------------------------------------------------
# Overrides


def test_override_sets_final_score_and_zone_but_score_keeps_s(worked_example):
    worked_example.override.score = 40.0
    r = score(worked_example)
    assert r.score == 52.8
    assert r.override == 40.0
    assert r.final_score == 40.0
    assert r.zone == "YELLOW"
    assert r.sub_label == "Yellow (Moderate)"
    assert r.to_dict()["override"] == 40.0


def test_no_override_means_final_score_is_s(worked_example):
    r = score(worked_example)
    assert r.override is None
    assert r.final_score == r.score


# ---------------------------------------------------------------------------------------
# score() refuses what it cannot score


def test_score_refuses_another_method_version(worked_example):
    worked_example.method = "AIJRI-2.0"
    with pytest.raises(AssessmentError, match=r"AIJRI-2\.0") as info:
        score(worked_example)
    assert [f.code for f in info.value.findings] == ["AIJ-E011"]


def test_score_refuses_out_of_range_inputs_and_lists_them_all(worked_example):
    worked_example.tasks[3].score = 6
    worked_example.evidence["wage_trends"].score = 3
    with pytest.raises(AssessmentError) as info:
        score(worked_example)
    fields = {f.field for f in info.value.findings}
    assert fields == {"tasks[3].score", "evidence.wage_trends.score"}
    assert "tasks[3].score" in str(info.value)


def test_score_from_scores_matches_score(worked_example):
    a = worked_example
    r = score_from_scores([t.time for t in a.tasks], [t.score for t in a.tasks],
                          [t.task_class for t in a.tasks],
                          [s.score for s in a.protective.values()], a.growth.correlation,
                          [s.score for s in a.evidence.values()],
                          [s.score for s in a.barriers.values()])
    assert r == score(a)


# ---------------------------------------------------------------------------------------
# Properties over random valid assessments


@given(assessments(text=False))
@PROPERTY
def test_score_stays_on_the_scale(a):
    r = score(a)
    assert 0 <= r.score_unrounded <= 100
    assert 0 <= r.score <= 100
    assert 0 <= r.final_score <= 100
    assert r.score == excel_round(r.score_unrounded, 1)
    assert r.zone == zone_of(r.final_score)
    assert r.sub_label.startswith(r.zone.title() + " (")


@given(assessments(text=False), st.sampled_from([d.key for d in EVIDENCE]))
@PROPERTY
def test_raising_an_evidence_score_never_lowers_the_score(a, key):
    before = score(a)
    if a.evidence[key].score == 2:
        a.evidence[key].score = 1
        before, after = score(a), before
    else:
        a.evidence[key].score += 1
        after = score(a)
    assert after.score_unrounded >= before.score_unrounded
    assert after.score >= before.score
    assert after.raw > before.raw


@given(assessments(min_tasks=2, text=False), st.randoms(use_true_random=False))
@PROPERTY
def test_task_order_matters_only_through_floating_point(a, rnd):
    before = score(a)
    shuffled = dataclasses.replace(a, tasks=list(a.tasks))
    rnd.shuffle(shuffled.tasks)
    after = score(shuffled)
    for name in ("weighted_total", "task_resistance", "raw", "score_unrounded"):
        assert getattr(after, name) == pytest.approx(getattr(before, name), rel=1e-9,
                                                     abs=1e-9), name
    for name in ("pct_time_score_3plus", "pct_time_score_4plus", "split_displacement",
                 "split_augmentation", "split_not_involved", "protective_total",
                 "quick_screen_band", "evidence_total", "barrier_total", "evidence_modifier",
                 "barrier_modifier", "growth_modifier", "override"):
        assert getattr(after, name) == getattr(before, name), name
    if after.score != before.score:
        assert is_round_tie(before.score_unrounded, 1)
        assert abs(after.score - before.score) == pytest.approx(0.1)
    else:
        assert (after.final_score, after.zone, after.sub_label) == \
            (before.final_score, before.zone, before.sub_label)


@given(assessments(text=False))
@PROPERTY
def test_to_dict_has_exactly_the_result_fields_and_is_json(a):
    r = score(a)
    data = r.to_dict()
    assert tuple(data) == RESULT_FIELDS
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    assert data["method"] == METHOD
    assert data["override"] == a.override.score


@given(assessments(text=False))
@PROPERTY
def test_override_only_moves_final_score_zone_and_sub_label(a):
    r = score(a)
    plain = score(dataclasses.replace(a, override=type(a.override)()))
    assert r.score == plain.score
    if a.override.score is None:
        assert r == plain
    else:
        assert r.final_score == a.override.score
        assert r.zone == zone_of(a.override.score)


@pytest.mark.parametrize("case", tie_and_boundary_cases(), ids=lambda a: a.role.title)
def test_boundary_cases_are_valid_and_scoreable(case):
    from aijri_xl import check

    assert [f for f in check(case) if f.severity == "error"] == []
    r = score(case)
    assert 0 <= r.score <= 100
    if case.override.score is not None:
        assert r.zone == case.role.title.split(": ")[1]


def test_engine_imports_no_heavy_or_io_library():
    """The pure engine loads none of openpyxl, xlwings, pandas, yaml (fresh process)."""
    code = ("import sys, aijri_xl.method.engine\n"
            "print(sorted(m for m in ('openpyxl', 'xlwings', 'pandas', 'yaml') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stdout


def test_default_mapping_used_by_the_strategy():
    assert [default_task_class(s) for s in range(1, 6)] == [
        "NOT INVOLVED", "AUGMENTATION", "AUGMENTATION", "DISPLACEMENT", "DISPLACEMENT"]
