"""Cached values: what every formula of the workbook shows, by the reference engine.

A reader that does not recalculate (a file preview, ``pandas.read_excel``) sees these;
Excel and LibreOffice recalculate on opening and must arrive at the same values (the
tests hold them to it, and to formualizer's).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from aijri_xl._record import dataclass
from aijri_xl.method.engine import Result, score_from_scores
from aijri_xl.method.model import Assessment
from aijri_xl.method.parameters import TASK_SCORE_RANGE, default_task_class
from aijri_xl.workbook.bindings import input_values
from aijri_xl.workbook.check_layout import cached_checks
from aijri_xl.workbook.check_rules import results_state_value
from aijri_xl.workbook.layout import (
    CHART_TABLE_ROW,
    SCORE_FIRST_ROW,
    SUBLABEL_TABLE_ROW,
    SUMMARY_CELL,
    TASK_FIRST_ROW,
    Layout,
)
from aijri_xl.workbook.layout_cells import row_of


@dataclass(frozen=True, slots=True)
class Ready:
    protective: bool
    growth: bool
    tasks: bool
    evidence: bool
    barriers: bool

    @property
    def all(self) -> bool:
        return self.protective and self.growth and self.tasks and self.evidence \
            and self.barriers


def ready(a: Assessment) -> Ready:
    times = [t.time for t in a.tasks if t.time is not None]
    scores = [t.score for t in a.tasks if t.score is not None]
    return Ready(
        protective=all(s.score is not None for s in a.protective.values()),
        growth=a.growth.correlation is not None,
        tasks=bool(times) and len(times) == len(scores),
        evidence=all(s.score is not None for s in a.evidence.values()),
        barriers=all(s.score is not None for s in a.barriers.values()),
    )


_FIELDS_NEEDING = {
    "tasks": ("weighted_total", "task_resistance", "pct_time_score_3plus",
              "pct_time_score_4plus", "split_displacement", "split_augmentation",
              "split_not_involved"),
    "protective": ("protective_total",),
    "protective+growth": ("quick_screen_total", "quick_screen_band"),
    "evidence": ("evidence_total", "evidence_modifier"),
    "barriers": ("barrier_total", "barrier_modifier"),
    "growth": ("growth_modifier",),
    "all": ("raw", "score_unrounded", "score", "final_score", "zone", "sub_label"),
}


def result_values(a: Assessment) -> tuple[dict[str, Any], Result | None]:
    """The value each result name shows: the engine's figure where its inputs are
    complete, blank ("") otherwise, as the formulas do."""
    r = ready(a)
    paired = [(t.time, t.score) for t in a.tasks if t.time is not None and t.score is not None]
    classes = [t.task_class for t in a.tasks if t.time is not None and t.score is not None]

    def scores(block: dict) -> list[int]:
        return [s.score if s.score is not None else 0 for s in block.values()]

    # Blocks that are not ready are filled with zeros; their fields are blanked below.
    result = score_from_scores(
        times=[t for t, _ in paired], scores=[s for _, s in paired], classes=classes,
        protective=scores(a.protective), growth=a.growth.correlation or 0,
        evidence=scores(a.evidence), barriers=scores(a.barriers),
        override=a.override.score if r.all else None)
    flags = {"tasks": r.tasks, "protective": r.protective,
             "protective+growth": r.protective and r.growth,
             "evidence": r.evidence, "barriers": r.barriers, "growth": r.growth,
             "all": r.all}
    values = {name: (result.workbook_value(name) if flags[block] else "")
              for block, names in _FIELDS_NEEDING.items() for name in names}
    return values, (result if r.all else None)


def input_cells(lay: Layout, a: Assessment) -> dict[tuple[str, str], Any]:
    """The value of every input cell as written (dates as serial numbers)."""
    values = input_values(a)
    out: dict[tuple[str, str], Any] = {}
    for cell in lay.cells:
        if cell.kind != "input" or cell.name is None:
            continue
        value = values.get(cell.name)
        if cell.is_range:
            col = cell.ref[0]
            items = list(value or [])
            for i in range(row_of(cell.ref), int(cell.ref.split(":")[1][1:]) + 1):
                k = i - row_of(cell.ref)
                out[(cell.sheet, f"{col}{i}")] = items[k] if k < len(items) else None
        else:
            out[(cell.sheet, cell.ref)] = excel_date(value) if cell.fmt == "date" else value
    return out


def cached_values(lay: Layout, a: Assessment) -> dict[tuple[str, str], Any]:
    """The cached value of every formula cell, keyed by (sheet, ref)."""
    results, _ = result_values(a)
    r = ready(a)
    named: dict[str, Any] = dict(results)
    named.update({"ready_protective": r.protective, "ready_growth": r.growth,
                  "ready_tasks": r.tasks, "ready_evidence": r.evidence,
                  "ready_barriers": r.barriers, "ready_all": r.all})
    total = 0.0
    for t in (t.time for t in a.tasks if t.time is not None):
        total += t
    named["task_time_total"] = total
    inputs = input_cells(lay, a)
    out: dict[tuple[str, str], Any] = {}
    for cell in lay.formula_cells():
        if cell.name is not None and cell.name in named:
            out[(cell.sheet, cell.ref)] = named[cell.name]
    out.update(_display_values(lay, a, named))
    checks = cached_checks(lay.by_name, lay.task_rows,
                           lambda sheet, ref: inputs.get((sheet, ref), out.get((sheet, ref))),
                           named.__getitem__)
    out.update(checks)
    problems = checks[("Checks", lay.by_name["check_problems"].ref)]
    out[("Summary", SUMMARY_CELL["Status"])] = checks[("Checks",
                                                       lay.by_name["check_status"].ref)]
    out[("Summary", SUMMARY_CELL["Result"])] = results_state_value(named["final_score"],
                                                                   problems)
    return out


def _display_values(lay: Layout, a: Assessment, named: dict[str, Any]) -> dict[tuple[str, str],
                                                                                 Any]:
    out: dict[tuple[str, str], Any] = {}
    for i in range(lay.task_rows):
        row = TASK_FIRST_ROW + i
        task = a.tasks[i] if i < len(a.tasks) else None
        ok = task is not None and task.time is not None and task.score is not None
        out[("Tasks", f"E{row}")] = task.time * task.score if ok else ""  # type: ignore[union-attr,operator]
        out[("Tasks", f"H{row}")] = (default_task_class(task.score)
                                     if task is not None and task.score is not None else "")
    out[("Score", f"B{SCORE_FIRST_ROW}")] = named["task_resistance"]
    s = SUBLABEL_TABLE_ROW
    out[("Score", f"B{s}")] = named["pct_time_score_3plus"]
    out[("Score", f"B{s + 1}")] = named["pct_time_score_4plus"]
    out[("Score", f"B{s + 2}")] = a.growth.correlation if a.growth.correlation is not None else ""
    out[("Score", f"B{s + 3}")] = named["sub_label"]
    override = a.override.score
    summary = {
        "Role": a.role.title or "", "Assessor": a.assessor or "",
        "Assessment date": excel_date(a.assessment_date),
        "JobZone score": named["final_score"], "Zone": named["zone"],
        "Sub-label": named["sub_label"], "Formula score": named["score"],
        "Override": override if override is not None else "",
        "Task Resistance Score": named["task_resistance"],
        "Quick screen": named["quick_screen_band"],
    }
    for label, value in summary.items():
        out[("Summary", SUMMARY_CELL[label])] = value
    for k in range(TASK_SCORE_RANGE[0], TASK_SCORE_RANGE[1] + 1):
        share = 0.0
        for t in a.tasks:
            if t.score == k and t.time is not None:
                share += t.time
        out[("Summary", f"B{CHART_TABLE_ROW + k}")] = share
    return out


def excel_date(value: Any) -> Any:
    """A date as the number Excel stores (days since 1899-12-30), or the value as given."""
    if not value:
        return ""
    if isinstance(value, _dt.date):
        return (value - _dt.date(1899, 12, 30)).days
    try:
        day = _dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return value
    return (day - _dt.date(1899, 12, 30)).days
