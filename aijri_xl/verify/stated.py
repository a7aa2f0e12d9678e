"""Comparing the figures an assessment states with the recomputed ones (AIJRI-METHOD.md §5,
"Comparing figures", for a figure stated in text).

- the score, the final score, the zone and the sub-label must equal the computed ones
  exactly (the score is defined by Excel's ROUND: a stated 16.9 where S is 17.0 is wrong);
- any other figure stated with ``k`` decimals agrees when it lies within
  ``0.5 × 10^-k + 1e-9`` of the computed value; percent fields in percent units;
- a quick-screen band that differs is a warning (the bands are a project rule);
- a figure for a field the engine does not compute is ignored.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from aijri_xl.house.figures import num
from aijri_xl.method.engine import Result
from aijri_xl.method.excel_math import excel_round
from aijri_xl.method.findings import Finding
from aijri_xl.method.loaded import StatedFigure
from aijri_xl.method.model import Task
from aijri_xl.method.parameters import PERCENT_FIELDS, RESULT_FIELDS, SCORE_DECIMALS

EXACT_FIELDS = frozenset({"score", "final_score", "zone", "sub_label"})
TEXT_FIELDS = frozenset({"zone", "sub_label", "quick_screen_band"})
NOT_COMPARED = frozenset({"method", "override"})
"""The method version and the override are inputs, not figures derived from them."""

TOLERANCE_SLACK = 1e-9

MUST_BE_STATED: tuple[tuple[str, str], ...] = (
    # (field, where the house format states it)
    ("score", 'section "JobZone Composite Score (AIJRI)", "JobZone Score:" line'),
    ("zone", 'section "JobZone Composite Score (AIJRI)", "Zone:" line'),
    ("sub_label", 'section "Sub-Label Determination", "Sub-label" row'),
)

_FROM_TASKS = frozenset({"weighted_total", "task_resistance", "pct_time_score_3plus",
                         "pct_time_score_4plus", "split_displacement", "split_augmentation",
                         "split_not_involved"})
_FROM_SCORES = frozenset({"protective_total", "evidence_total", "barrier_total",
                          "growth_correlation", "quick_screen_total"})
_TASK_WEIGHT = re.compile(r"tasks\[(\d+)\]\.weighted")


def _source(field: str) -> str:
    """What the computed value comes from, for the message."""
    if field in _FROM_TASKS:
        return "the tasks give"
    if field in _FROM_SCORES:
        return "the scores give"
    if _TASK_WEIGHT.fullmatch(field):
        return "its time × score give"
    return "the method gives"


def _shown(value: Any, decimals: int, field: str) -> str:
    """A computed value written the way the figure was stated."""
    text = num(excel_round(float(value), decimals), decimals)
    return text + "%" if field in PERCENT_FIELDS else text


def _as_stated(figure: StatedFigure) -> str:
    text = figure.text or str(figure.value)
    if figure.field in PERCENT_FIELDS and not text.endswith("%"):
        return text + "%"
    return text


def _agrees(figure: StatedFigure, computed: Any) -> bool:
    if figure.field in TEXT_FIELDS:
        return str(figure.value) == str(computed)
    if figure.field in EXACT_FIELDS:
        return float(figure.value) == float(computed)
    decimals = figure.decimals or 0
    return abs(float(figure.value) - float(computed)) <= 0.5 * 10.0**-decimals + TOLERANCE_SLACK


def compare_figure(figure: StatedFigure, computed: Any) -> Finding | None:
    """One stated figure against its computed value: ``None`` when they agree."""
    if _agrees(figure, computed):
        return None
    actual = _as_stated(figure)
    if figure.field in TEXT_FIELDS:
        expected = str(computed)
    else:
        decimals = figure.decimals or 0
        if figure.field in EXACT_FIELDS:
            decimals = max(decimals, SCORE_DECIMALS)
        expected = _shown(computed, decimals, figure.field)
    code = "AIJ-W102" if figure.field == "quick_screen_band" else "AIJ-E101"
    return Finding(code, f"{figure.field}: the report states {actual}, {_source(figure.field)} "
                   f"{expected}", where=figure.located, field=figure.field, expected=expected,
                   actual=actual)


def compare_stated(stated: Sequence[StatedFigure], result: Result) -> list[Finding]:
    """Every stated figure of a §4 field against the result; then a warning for each of
    the score, zone and sub-label that the report does not state at all."""
    out: list[Finding] = []
    for figure in stated:
        if figure.field not in RESULT_FIELDS or figure.field in NOT_COMPARED:
            continue
        computed = getattr(result, figure.field)
        if computed is None:
            continue
        finding = compare_figure(figure, computed)
        if finding is not None:
            out.append(finding)
    named = {f.field for f in stated}
    for field, place in MUST_BE_STATED:
        if field not in named:
            out.append(Finding("AIJ-W106", f"{field}: the report does not state it", where=place,
                               field=field, expected=getattr(result, field)))
    return out


def compare_task_weights(stated: Sequence[StatedFigure], tasks: Sequence[Task]) -> list[Finding]:
    """Stated per-task weighted values (``tasks[i].weighted``) against ``t_i × s_i`` of the
    same task (§3.1); tasks whose time or score is missing are not compared."""
    out: list[Finding] = []
    for figure in stated:
        m = _TASK_WEIGHT.fullmatch(figure.field)
        if m is None or int(m.group(1)) >= len(tasks):
            continue
        task = tasks[int(m.group(1))]
        if task.time is None or task.score is None:
            continue
        finding = compare_figure(figure, task.time * task.score)
        if finding is not None:
            out.append(finding)
    return out
