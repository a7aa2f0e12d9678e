"""The assessment workbook writer (XlsxWriter): one builder per sheet, one conductor.

Every cell's place and formula comes from :mod:`aijri_xl.layout`; this module adds what a
person sees (styles, widths, validation, conditional formats, the chart, print setup) and
each formula's cached result, computed by the reference engine, so that a reader that does
not recalculate still sees the numbers. The same input always gives the same bytes: the
document dates are fixed and XlsxWriter writes fixed zip timestamps.

Build order (:func:`write_workbook`)::

    values  = cached values of every formula cell (reference engine)
    Summary, Role, Protective, Tasks, Evidence, Barriers, Score, Commentary, Parameters
    defined names (contract names, helper names, parameters, identity)
    properties (title, subject, method), protection, print setup
"""

from __future__ import annotations

import datetime as _dt
import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aijri_xl.method.engine import AssessmentError, Result, score_from_scores
from aijri_xl.method.model import Assessment
from aijri_xl.method.parameters import (
    BARRIERS,
    EVIDENCE,
    METHOD,
    PARAMETERS,
    PROTECTIVE,
    TASK_SCORE_RANGE,
    TEMPLATE_VERSION,
    default_task_class,
)
from aijri_xl.method.rules import check
from aijri_xl.styles import (
    HEADER_FILL,
    INPUT_FILL,
    NOTE_COLOUR,
    NUMBER_FORMATS,
    RESULT_FILL,
    SCORE_BAR_COLOURS,
    ZONE_STYLES,
)
from aijri_xl.workbook.bindings import input_values
from aijri_xl.workbook.layout import (
    BLOCK_FIRST_ROW,
    CALIBRATION_FIRST_ROW,
    CALIBRATION_ROWS,
    CHART_TABLE_ROW,
    COMMENTARY_ROWS,
    FINAL_ROW,
    IDENTITY_ROW,
    METHOD_NOTE_FORMULA,
    METHOD_NOTE_ROW,
    OVERRIDE_ROW,
    PARAM_FIRST_ROW,
    ROLE_FIRST_ROW,
    ROLE_ROWS,
    SCORE_FIRST_ROW,
    SHEETS,
    STATUS_FIRST_ROW,
    STATUS_ROWS,
    SUBLABEL_TABLE_ROW,
    SUMMARY_CELL,
    SUMMARY_FIRST_ROW,
    SUMMARY_ROWS,
    TASK_COLUMNS,
    TASK_FIRST_ROW,
    Cell,
    Layout,
    layout,
    task_rows_for,
)
from aijri_xl.workbook.references import TaskReferences

FIXED_DATE = _dt.datetime(2026, 1, 1, tzinfo=_dt.UTC)
"""Document date of a workbook whose assessment has no date: output must not depend on
the clock."""

REFUSED_CODES = frozenset({"AIJ-E002", "AIJ-E003", "AIJ-E010", "AIJ-E011", "AIJ-E012"})
"""Problems a workbook cannot hold: a mistyped or out-of-range value, an unknown class or
method. Missing values are fine (templates are all missing values)."""



# ---------------------------------------------------------------------------------------
# Cached values: what every formula shows, by the reference engine


@dataclass(frozen=True, slots=True)
class _Ready:
    protective: bool
    growth: bool
    tasks: bool
    evidence: bool
    barriers: bool

    @property
    def all(self) -> bool:
        return self.protective and self.growth and self.tasks and self.evidence \
            and self.barriers


def _ready(a: Assessment) -> _Ready:
    times = [t.time for t in a.tasks if t.time is not None]
    scores = [t.score for t in a.tasks if t.score is not None]
    return _Ready(
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
    ready = _ready(a)
    paired = [(t.time, t.score) for t in a.tasks if t.time is not None and t.score is not None]
    classes = [t.task_class for t in a.tasks if t.time is not None and t.score is not None]

    def scores(block: dict) -> list[int]:
        return [s.score if s.score is not None else 0 for s in block.values()]

    # Blocks that are not ready are filled with zeros; their fields are blanked below.
    result = score_from_scores(
        times=[t for t, _ in paired], scores=[s for _, s in paired], classes=classes,
        protective=scores(a.protective), growth=a.growth.correlation or 0,
        evidence=scores(a.evidence), barriers=scores(a.barriers),
        override=a.override.score if ready.all else None)
    flags = {"tasks": ready.tasks, "protective": ready.protective,
             "protective+growth": ready.protective and ready.growth,
             "evidence": ready.evidence, "barriers": ready.barriers, "growth": ready.growth,
             "all": ready.all}
    values = {name: (result.workbook_value(name) if flags[block] else "")
              for block, names in _FIELDS_NEEDING.items() for name in names}
    return values, (result if ready.all else None)


def _cached_values(lay: Layout, a: Assessment) -> dict[tuple[str, str], Any]:
    """The cached value of every formula cell, keyed by (sheet, ref)."""
    results, _ = result_values(a)
    ready = _ready(a)
    named: dict[str, Any] = dict(results)
    named.update({"ready_protective": ready.protective, "ready_growth": ready.growth,
                  "ready_tasks": ready.tasks, "ready_evidence": ready.evidence,
                  "ready_barriers": ready.barriers, "ready_all": ready.all})
    times = [t.time for t in a.tasks if t.time is not None]
    total = 0.0
    for t in times:
        total += t
    named["task_time_total"] = total
    out: dict[tuple[str, str], Any] = {}
    for cell in lay.formula_cells():
        if cell.name is not None:
            out[(cell.sheet, cell.ref)] = named[cell.name]
    out.update(_display_values(lay, a, named))
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
        "Assessment date": _excel_date(a.assessment_date),
        "JobZone score": named["final_score"], "Zone": named["zone"],
        "Sub-label": named["sub_label"], "Formula score": named["score"],
        "Override": override if override is not None else "",
        "Task Resistance Score": named["task_resistance"],
        "Quick screen": named["quick_screen_band"],
        "Status": "Complete" if named["ready_all"] else
        "Incomplete: fill the yellow input cells",
    }
    for label, ref in SUMMARY_CELL.items():
        out[("Summary", ref)] = summary[label]
    for k in range(TASK_SCORE_RANGE[0], TASK_SCORE_RANGE[1] + 1):
        share = 0.0
        for t in a.tasks:
            if t.score == k and t.time is not None:
                share += t.time
        out[("Summary", f"B{CHART_TABLE_ROW + k}")] = share
    return out


def _excel_date(text: str | None) -> Any:
    """A date as the number Excel stores (days since 1899-12-30), or the text as given."""
    if not text:
        return ""
    try:
        day = _dt.date.fromisoformat(text)
    except ValueError:
        return text
    return (day - _dt.date(1899, 12, 30)).days


# ---------------------------------------------------------------------------------------
# Styles


class _Styles:
    """The workbook's formats, created once per workbook (XlsxWriter formats are
    per-workbook objects)."""

    def __init__(self, wb: Any) -> None:
        self.wb = wb
        self._cache: dict[tuple, Any] = {}
        base = {"font_name": "Calibri", "font_size": 10, "valign": "top"}
        self.base = base
        self.title = wb.add_format({**base, "bold": True, "font_size": 16,
                                    "font_color": HEADER_FILL})
        self.subtitle = wb.add_format({**base, "italic": True, "font_color": NOTE_COLOUR,
                                       "text_wrap": True})
        self.header = wb.add_format({**base, "bold": True, "font_color": "#FFFFFF",
                                     "bg_color": HEADER_FILL, "border": 1,
                                     "border_color": "#BFBFBF", "text_wrap": True})
        self.label = wb.add_format({**base, "bold": True, "text_wrap": True, "border": 1,
                                    "border_color": "#D9D9D9"})
        self.note = wb.add_format({**base, "italic": True, "font_color": NOTE_COLOUR,
                                   "text_wrap": True})
        self.section = wb.add_format({**base, "bold": True, "font_size": 12,
                                      "font_color": HEADER_FILL, "bottom": 2,
                                      "bottom_color": HEADER_FILL})
        self.plain = wb.add_format({**base, "border": 1, "border_color": "#D9D9D9"})
        self.big_score = wb.add_format({**base, "bold": True, "font_size": 22,
                                        "num_format": "0.0", "align": "left",
                                        "border": 1, "border_color": "#D9D9D9"})
        self.big_text = wb.add_format({**base, "bold": True, "font_size": 14,
                                       "border": 1, "border_color": "#D9D9D9"})
        self.zone_fmt = {zone: wb.add_format({"bg_color": bg, "font_color": fg, "bold": True})
                         for zone, (bg, fg) in ZONE_STYLES.items()}
        self.warn_fmt = wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006",
                                       "bold": True})
        self.flag_fmt = wb.add_format({"bg_color": "#FCE4D6", "font_color": "#833C0B"})
        self.reference = wb.add_format({**base, "font_color": NOTE_COLOUR, "text_wrap": True,
                                        "bg_color": "#F2F2F2", "border": 1,
                                        "border_color": "#D9D9D9"})

    def cell(self, kind: str, fmt: str, *, bold: bool = False) -> Any:
        """The format of a layout cell: inputs yellow and unlocked, formulas locked."""
        key = (kind, fmt, bold)
        if key not in self._cache:
            props: dict[str, Any] = {**self.base, "border": 1, "border_color": "#BFBFBF",
                                     "num_format": NUMBER_FORMATS[fmt]}
            if fmt in ("longtext", "text"):
                props["text_wrap"] = True
            if fmt in ("int", "pct", "num2", "num4", "score", "date"):
                props["align"] = "right"
            if kind == "input":
                props.update({"bg_color": INPUT_FILL, "locked": False,
                              "border_color": "#BF9000"})
            elif kind in ("result", "display"):
                props.update({"bg_color": RESULT_FILL})
            if bold:
                props["bold"] = True
            self._cache[key] = self.wb.add_format(props)
        return self._cache[key]


# ---------------------------------------------------------------------------------------
# Writing cells


def _worksheet_class() -> type:
    """XlsxWriter's worksheet, minus its table of ~30 regex passes per formula that adds
    ``_xlfn.`` prefixes to Excel 2010+ functions. The layout uses none of those functions
    (a test checks that both preparations give the same text for every formula), and the
    passes were half the build time."""
    from xlsxwriter.worksheet import Worksheet

    class PlainFormulaWorksheet(Worksheet):  # type: ignore[misc,unused-ignore]
        def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
            return prepare_formula(formula)

    return PlainFormulaWorksheet


def prepare_formula(formula: str) -> str:
    """A layout formula as stored in the file: without the leading ``=``."""
    return formula[1:] if formula.startswith("=") else formula


class _Writer:
    def __init__(self, wb: Any, lay: Layout, a: Assessment,
                 references: TaskReferences | None = None) -> None:
        self.wb, self.lay, self.a = wb, lay, a
        self.references = references
        self.styles = _Styles(wb)
        sheet_class = _worksheet_class()
        self.sheets = {name: wb.add_worksheet(name, worksheet_class=sheet_class)
                       for name in SHEETS}
        self.values = input_values(a)
        self.cached = _cached_values(lay, a)

    def put_input(self, cell: Cell, value: Any) -> None:
        ws = self.sheets[cell.sheet]
        fmt = self.styles.cell("input", cell.fmt)
        if value is None or value == "":
            ws.write_blank(cell.ref, None, fmt)
        elif isinstance(value, _dt.date):
            ws.write_datetime(cell.ref, _dt.datetime(value.year, value.month, value.day), fmt)
        elif isinstance(value, str):
            ws.write_string(cell.ref, value, fmt)
        else:
            ws.write_number(cell.ref, value, fmt)
        if cell.validation is not None:
            self.validate(cell)

    def put_formula(self, cell: Cell, *, fmt: Any = None) -> None:
        ws = self.sheets[cell.sheet]
        value = self.cached[(cell.sheet, cell.ref)]
        ws.write_formula(cell.ref, cell.formula, fmt or self.styles.cell(cell.kind, cell.fmt),
                         _cached(value))

    def validate(self, cell: Cell) -> None:
        v = cell.validation
        assert v is not None
        options: dict[str, Any] = {
            "input_title": v.title[:32], "input_message": v.message[:255],
            "error_title": "Outside the method's range"[:32], "error_type": "stop",
        }
        if v.kind == "list":
            options.update({"validate": "list", "source": list(v.choices),
                            "error_message": "Choose one of: " + ", ".join(v.choices)})
        else:
            options.update({"validate": v.kind, "criteria": "between",
                            "minimum": v.minimum, "maximum": v.maximum,
                            "error_message": f"{v.title}: enter a "
                            f"{'whole number' if v.kind == 'integer' else 'number'} from "
                            f"{_show(v.minimum)} to {_show(v.maximum)}"
                            + (" (0% to 100%)." if cell.fmt == "pct" else ".")})
        self.sheets[cell.sheet].data_validation(cell.ref, options)

    def label(self, sheet: str, ref: str, text: str) -> None:
        self.sheets[sheet].write_string(ref, text, self.styles.label)

    def heading(self, sheet: str, title: str, subtitle: str, width_cols: int) -> None:
        ws = self.sheets[sheet]
        ws.write_string("A1", title, self.styles.title)
        ws.set_row(0, 24)
        ws.merge_range(1, 0, 1, width_cols - 1, subtitle, self.styles.subtitle)
        ws.set_row(1, 30)

    def header_row(self, sheet: str, row: int, headers: tuple[str, ...]) -> None:
        ws = self.sheets[sheet]
        for col, text in enumerate(headers):
            ws.write_string(row - 1, col, text, self.styles.header)


def _cached(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return "#NUM!"
    return value


def _show(number: float | None) -> str:
    return f"{number:g}" if number is not None else ""


def text_height(text: str | None, width: float, minimum: float = 15.0) -> float:
    """A row height that shows wrapped text whole in a column ``width`` characters wide
    (Calibri 10 fits about 1.15 characters a width unit, 12.75 points a line)."""
    if not text:
        return minimum
    per_line = max(1, int(width * 1.15))
    lines = sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))
    return max(minimum, 12.75 * lines + 2)


# ---------------------------------------------------------------------------------------
# One builder per sheet


def _build_summary(w: _Writer) -> None:
    ws, st = w.sheets["Summary"], w.styles
    w.heading("Summary", "AIJRI assessment summary",
              f"AI Job Resilience Index, method {METHOD}. Inputs are the yellow cells on the "
              "sheets that follow; everything here is computed.", 6)
    ws.set_column("A:A", 24)
    ws.set_column("B:B", 44)
    ws.set_column("C:C", 3)
    ws.set_column("D:I", 10)
    by_ref = {c.ref: c for c in w.lay.cells if c.sheet == "Summary"}
    for i, (label, _, _) in enumerate(SUMMARY_ROWS):
        row = SUMMARY_FIRST_ROW + i
        ref = f"B{row}"
        w.label("Summary", f"A{row}", label)
        fmt = None
        if label == "JobZone score":
            fmt = st.big_score
            ws.set_row(row - 1, 32)
        elif label in ("Zone", "Sub-label", "Role"):
            fmt = st.big_text
            ws.set_row(row - 1, 22)
        w.put_formula(by_ref[ref], fmt=fmt)
    score_ref, zone_ref = SUMMARY_CELL["JobZone score"], SUMMARY_CELL["Zone"]
    for zone, fmt in st.zone_fmt.items():
        for ref in (score_ref, zone_ref):
            ws.conditional_format(ref, {"type": "formula", "criteria": f'=zone="{zone}"',
                                        "format": fmt})
    top = CHART_TABLE_ROW
    ws.write_string(f"A{top}", "Task time by score", st.header)
    ws.write_string(f"B{top}", "Share of task time", st.header)
    for k in range(TASK_SCORE_RANGE[0], TASK_SCORE_RANGE[1] + 1):
        ws.write_string(f"A{top + k}", f"Score {k}", st.label)
        w.put_formula(by_ref[f"B{top + k}"])
    chart = w.wb.add_chart({"type": "column"})
    chart.add_series({
        "name": "Share of task time",
        "categories": ["Summary", top, 0, top + 4, 0],
        "values": ["Summary", top, 1, top + 4, 1],
        "points": [{"fill": {"color": c}, "border": {"none": True}}
                   for c in SCORE_BAR_COLOURS],
        "data_labels": {"value": True, "num_format": "0%"},
        "gap": 60,
    })
    chart.set_title({"name": "Task time by score (1 = AI not involved, 5 = displaced)",
                     "name_font": {"size": 10, "bold": True}})
    chart.set_legend({"none": True})
    chart.set_y_axis({"num_format": "0%", "min": 0, "major_gridlines": {
        "visible": True, "line": {"color": "#E0E0E0"}}})
    chart.set_size({"width": 470, "height": 250})
    chart.set_chartarea({"border": {"color": "#BFBFBF"}})
    ws.insert_chart(f"D{SUMMARY_FIRST_ROW}", chart, {"x_offset": 4, "y_offset": 2})
    ws.merge_range(f"A{top + 7}:B{top + 7}", None, st.note)
    ws.write_formula(f"A{METHOD_NOTE_ROW}", METHOD_NOTE_FORMULA, st.note,
                     f"Method {METHOD}, workbook template {TEMPLATE_VERSION}")
    _print_setup(ws, f"A1:I{top + 7}", landscape=True)


def _build_role(w: _Writer) -> None:
    ws = w.sheets["Role"]
    w.heading("Role", "Role Definition", "Describe the role being scored. Only the job "
              "title is required; the rest documents the assessment.", 2)
    ws.set_column("A:A", 30)
    ws.set_column("B:B", 100)
    w.header_row("Role", 3, ("Field", "Value"))
    by_name = w.lay.by_name
    for i, (name, label, _) in enumerate(ROLE_ROWS):
        row = ROLE_FIRST_ROW + i
        w.label("Role", f"A{row}", label)
        value = w.values[name]
        w.put_input(by_name[name], value)
        if by_name[name].fmt == "longtext":
            ws.set_row(row - 1, text_height(value if isinstance(value, str) else None, 100,
                                             30))
    ws.freeze_panes(3, 0)
    _print_setup(ws, f"A1:B{ROLE_FIRST_ROW + len(ROLE_ROWS)}")


def _scored_block(w: _Writer, sheet: str, dims: tuple, rationale_suffix: str,
                  headers: tuple[str, str, str]) -> int:
    ws = w.sheets[sheet]
    by_name = w.lay.by_name
    w.header_row(sheet, BLOCK_FIRST_ROW - 1, headers)
    for i, d in enumerate(dims):
        row = BLOCK_FIRST_ROW + i
        w.label(sheet, f"A{row}", d.label)
        w.put_input(by_name[d.name], w.values[d.name])
        text = w.values[d.name + rationale_suffix]
        w.put_input(by_name[d.name + rationale_suffix], text)
        ws.set_row(row - 1, text_height(text, 90, 30))
    ws.set_column("A:A", 32)
    ws.set_column("B:B", 13)
    ws.set_column("C:C", 90)
    ws.freeze_panes(BLOCK_FIRST_ROW - 1, 0)
    return BLOCK_FIRST_ROW + len(dims)


def _build_protective(w: _Writer) -> None:
    ws, by_name = w.sheets["Protective"], w.lay.by_name
    w.heading("Protective", "Protective Principles + AI Growth Correlation",
              "Score each principle 0 (none) to 3 (strong); the correlation -2 to +2. The "
              "quick screen is a first indication only: it never changes the score.", 3)
    total = _scored_block(w, "Protective", PROTECTIVE, "_rationale",
                          ("Principle", "Score (0-3)", "Rationale"))
    w.label("Protective", f"A{total}", "Protective Total")
    w.put_formula(by_name["protective_total"], fmt=w.styles.cell("result", "int", bold=True))
    ws.write_string(f"C{total}", "out of 9", w.styles.note)
    g = by_name["growth_correlation"]
    grow_row = int(g.ref[1:])
    w.header_row("Protective", grow_row - 1, ("AI growth", "Score (-2 to 2)", "Rationale"))
    w.label("Protective", g.ref.replace("B", "A"), "AI Growth Correlation")
    w.put_input(g, w.values["growth_correlation"])
    w.put_input(by_name["growth_rationale"], w.values["growth_rationale"])
    ws.set_row(grow_row - 1, text_height(w.values["growth_rationale"], 90, 30))
    q = by_name["quick_screen_total"]
    quick_row = int(q.ref[1:])
    w.label("Protective", f"A{quick_row}", "Quick screen total")
    w.put_formula(q)
    ws.write_string(f"C{quick_row}", "Protective total + growth correlation", w.styles.note)
    w.label("Protective", f"A{quick_row + 1}", "Quick screen result")
    band = by_name["quick_screen_band"]
    ws.merge_range(f"{band.ref}:C{quick_row + 1}", None,
                   w.styles.cell("result", "text", bold=True))
    w.put_formula(band, fmt=w.styles.cell("result", "text", bold=True))
    c = by_name["growth_check"]
    check_row = int(c.ref[1:])
    w.header_row("Protective", check_row - 1,
                 ("AI Growth Correlation Check", "Confirmed", "After the task analysis"))
    w.label("Protective", f"A{check_row}", "Growth check")
    w.put_input(c, w.values["growth_check"])
    w.put_input(by_name["growth_check_rationale"], w.values["growth_check_rationale"])
    ws.set_row(check_row - 1, text_height(w.values["growth_check_rationale"], 90, 30))
    _print_setup(ws, f"A1:C{check_row}")


def _build_tasks(w: _Writer) -> None:
    ws, st, lay, by_name = w.sheets["Tasks"], w.styles, w.lay, w.lay.by_name
    w.heading("Tasks", "Task Decomposition (Agentic AI Scoring)",
              "One row per task: its share of working time (the shares sum to 100%), a score "
              "from 1 (AI not involved) to 5 (AI agents displace the human), and its class. "
              "Weighted = time x score.", 8)
    widths = {"A": 4, "B": 40, "C": 9, "D": 9, "E": 9, "F": 15, "G": 72, "H": 15}
    for col, width in widths.items():
        ws.set_column(f"{col}:{col}", width)
    w.header_row("Tasks", TASK_FIRST_ROW - 1, tuple(h for _, h, _, _ in TASK_COLUMNS))
    ws.set_row(TASK_FIRST_ROW - 2, 30)
    tasks = w.values
    column_cells = {name: by_name[name] for _, _, name, _ in TASK_COLUMNS if name}
    for i in range(lay.task_rows):
        row = TASK_FIRST_ROW + i
        ws.write_number(f"A{row}", i + 1, st.cell("display", "int"))
        for col, _, name, _ in TASK_COLUMNS:
            if name is None:
                continue
            values = tasks[name]
            value = values[i] if i < len(values) else None
            cell = column_cells[name]
            single = Cell("Tasks", f"{col}{row}", "input", None, fmt=cell.fmt)
            w.put_input(single, value)
        rationale = tasks["task_rationale"][i] if i < len(tasks["task_rationale"]) else None
        name_text = tasks["task_name"][i] if i < len(tasks["task_name"]) else None
        reference = (w.references.cells[i] if w.references is not None
                     and i < len(w.references.cells) else None)
        ws.set_row(row - 1, max(text_height(rationale, 72), text_height(name_text, 40),
                                text_height(reference, REFERENCE_WIDTH)))
    for c in lay.cells:
        if c.sheet == "Tasks" and c.kind == "display":
            w.put_formula(c)
    for name in ("task_time", "task_score", "task_class"):
        w.validate(column_cells[name])
    total = lay.total_row
    ws.write_string(f"A{total}", "Total", st.label)
    ws.write_string(f"B{total}", "time shares must sum to 100%", st.note)
    w.put_formula(by_name["task_time_total"], fmt=st.cell("result", "pct", bold=True))
    w.put_formula(by_name["weighted_total"], fmt=st.cell("result", "num2", bold=True))
    ws.conditional_format(by_name["task_time_total"].ref, {
        "type": "formula", "format": st.warn_fmt,
        "criteria": f"=AND(COUNT(task_time)>0,ABS(C{total}-1)>TIME_TOLERANCE_PCT/100)"})
    first, last = TASK_FIRST_ROW, total - 1
    ws.conditional_format(f"F{first}:F{last}", {
        "type": "formula", "format": st.flag_fmt,
        "criteria": f'=AND(F{first}<>"",H{first}<>"",F{first}<>H{first})'})
    below = total + 2
    ws.merge_range(f"A{below - 1}:B{below - 1}", "Results", st.section)
    for offset, name in enumerate(("task_resistance", "pct_time_score_3plus",
                                   "pct_time_score_4plus", "split_displacement",
                                   "split_augmentation", "split_not_involved")):
        cell = by_name[name]
        ws.merge_range(f"A{below + offset}:B{below + offset}", cell.label, st.label)
        w.put_formula(cell, fmt=st.cell("result", cell.fmt, bold=name == "task_resistance"))
    ws.merge_range(f"D{below}:G{below}", "TRS_CEILING - weighted total (1.00 to 5.00)",
                   st.note)
    ws.merge_range(f"D{below + 1}:G{below + 1}", "Green (Transforming) from 20% of task time "
                   "scoring 3+", st.note)
    ws.merge_range(f"D{below + 2}:G{below + 2}", "Yellow (Urgent) from 40%, Red (Imminent) "
                   "from 60% of task time scoring 4+", st.note)
    ws.merge_range(f"D{below + 3}:G{below + 3}", "Displacement/Augmentation split: share of "
                   "task time in each class", st.note)
    r = by_name["reinstatement_check"]
    rrow = int(r.ref[1:])
    ws.merge_range(f"A{rrow}:B{rrow}", r.label, st.label)
    ws.merge_range(f"C{rrow}:G{rrow}", None, st.cell("input", "longtext"))
    w.put_input(r, w.values["reinstatement_check"])
    ws.set_row(rrow - 1, text_height(w.values["reinstatement_check"], 150, 45))
    ws.freeze_panes(TASK_FIRST_ROW - 1, 2)
    ws.repeat_rows(TASK_FIRST_ROW - 2)
    if w.references is None:
        _print_setup(ws, f"A1:H{rrow}", landscape=True)
    else:
        _print_setup(ws, f"A1:I{_build_references(w, rrow)}", landscape=True)


REFERENCE_WIDTH = 34
"""Width of the reference column (I) of the task sheet, when there is one."""


def _build_references(w: _Writer, rrow: int) -> int:
    """The reference column (I) beside the tasks and its legend below the reinstatement
    check; returns the last row written. Text only, locked, never named."""
    ws, st, refs = w.sheets["Tasks"], w.styles, w.references
    assert refs is not None
    ws.set_column("I:I", REFERENCE_WIDTH)
    ws.write_string(f"I{TASK_FIRST_ROW - 1}", refs.header, st.header)
    for i, text in enumerate(refs.cells[:w.lay.task_rows]):
        ws.write_string(f"I{TASK_FIRST_ROW + i}", text, st.reference)
    row = rrow + 2
    for heading, text in refs.legend:
        ws.merge_range(f"A{row}:I{row}", heading, st.section)
        ws.merge_range(f"A{row + 1}:I{row + 1}", text, st.note)
        ws.set_row(row, text_height(text, 190))
        row += 2
    return row - 1


def _build_scored_sheet(w: _Writer, sheet: str, dims: tuple, suffix: str, title: str,
                        subtitle: str, headers: tuple[str, str, str], total_name: str,
                        ready_note: str, reframed: str | None = None) -> None:
    ws, by_name = w.sheets[sheet], w.lay.by_name
    w.heading(sheet, title, subtitle, 3)
    if reframed:
        ws.merge_range("A3:C3", reframed, w.styles.note)
    total = _scored_block(w, sheet, dims, suffix, headers)
    w.label(sheet, f"A{total}", "Total")
    w.put_formula(by_name[total_name], fmt=w.styles.cell("result", "int", bold=True))
    ws.write_string(f"C{total}", ready_note, w.styles.note)
    _print_setup(ws, f"A1:C{total}")


def _build_score(w: _Writer) -> None:
    ws, st, by_name = w.sheets["Score"], w.styles, w.lay.by_name
    w.heading("Score", "JobZone Composite Score (AIJRI)",
              "Raw = TRS x evidence modifier x barrier modifier x growth modifier; score = "
              "(raw - SCORE_OFFSET) / SCORE_SPAN x 100, capped to 0-100 and rounded to one "
              "decimal.", 3)
    ws.set_column("A:A", 34)
    ws.set_column("B:B", 24)
    ws.set_column("C:C", 60)
    w.header_row("Score", SCORE_FIRST_ROW - 1, ("Input", "Value", "How"))
    notes = ("6.00 - weighted task score (Tasks sheet)", "1.0 + (evidence total x "
             "EVIDENCE_WEIGHT)", "1.0 + (barrier total x BARRIER_WEIGHT)",
             "1.0 + (growth correlation x GROWTH_WEIGHT)",
             "TRS x evidence x barrier x growth modifiers",
             "(raw - SCORE_OFFSET) / SCORE_SPAN x 100, capped 0-100",
             "Excel ROUND to one decimal")
    for i, cell in enumerate(c for c in w.lay.cells if c.sheet == "Score"
                             and SCORE_FIRST_ROW <= int(c.ref[1:].split(":")[0]) <
                             OVERRIDE_ROW - 1 and c.ref.startswith("B")):
        row = SCORE_FIRST_ROW + i
        w.label("Score", f"A{row}", cell.label)
        w.put_formula(cell, fmt=st.cell("result", cell.fmt, bold=cell.name == "score"))
        ws.write_string(f"C{row}", notes[i], st.note)
    o = OVERRIDE_ROW
    w.label("Score", f"A{o}", "Assessor override (optional)")
    w.put_input(by_name["override_score"], w.values["override_score"])
    ws.write_string(f"C{o}", "Leave empty to accept the formula score", st.note)
    w.label("Score", f"A{o + 1}", "Override justification / note")
    ws.merge_range(f"B{o + 1}:C{o + 1}", None, st.cell("input", "longtext"))
    w.put_input(by_name["override_justification"], w.values["override_justification"])
    ws.set_row(o, text_height(w.values["override_justification"], 80, 30))
    f = FINAL_ROW
    for offset, name in enumerate(("final_score", "zone", "sub_label")):
        cell = by_name[name]
        w.label("Score", f"A{f + offset}", cell.label)
        w.put_formula(cell, fmt=st.cell("result", cell.fmt, bold=True))
    ws.write_string(f"C{f + 1}", "Green ≥48, Yellow 25-47, Red <25 (from the parameters)",
                    st.note)
    for zone, fmt in st.zone_fmt.items():
        ws.conditional_format(f"B{f + 1}", {"type": "cell", "criteria": "==",
                                            "value": f'"{zone}"', "format": fmt})
    s = SUBLABEL_TABLE_ROW
    w.header_row("Score", s - 1, ("Sub-Label Determination", "Value", ""))
    for c in w.lay.cells:
        if c.sheet == "Score" and c.kind == "display" and int(c.ref[1:]) >= s:
            w.label("Score", f"A{c.ref[1:]}", c.label)
            w.put_formula(c)
    ws.write_string(f"C{s}", "Green (Transforming) from 20%; Green (Accelerated) when the "
                    "correlation is +2", st.note)
    ws.write_string(f"C{s + 1}", "Yellow (Urgent) from 40%; Red (Imminent) from 60%", st.note)
    cal = CALIBRATION_FIRST_ROW
    w.header_row("Score", cal - 1, ("Calibration peer", "Published score", ""))
    ws.write_string(f"C{cal - 1}", "Roles this score is calibrated against", st.header)
    peers_role, peers_score = w.values["calibration_role"], w.values["calibration_score"]
    for i in range(CALIBRATION_ROWS):
        row = cal + i
        w.put_input(Cell("Score", f"A{row}", "input", None, fmt="text"),
                    peers_role[i] if i < len(peers_role) else None)
        w.put_input(Cell("Score", f"B{row}", "input", None, fmt="score"),
                    peers_score[i] if i < len(peers_score) else None)
    w.validate(by_name["calibration_score"])
    _print_setup(ws, f"A1:C{cal + CALIBRATION_ROWS - 1}")


def _build_commentary(w: _Writer) -> None:
    ws, by_name = w.sheets["Commentary"], w.lay.by_name
    w.heading("Commentary", "Assessor Commentary",
              "What the numbers mean for people in the role. Free text; it never changes "
              "the score.", 2)
    ws.set_column("A:A", 30)
    ws.set_column("B:B", 110)
    w.header_row("Commentary", 3, ("Section", "Text"))
    for i, (name, label) in enumerate(COMMENTARY_ROWS):
        row = 4 + i
        w.label("Commentary", f"A{row}", label)
        text = w.values[name]
        w.put_input(by_name[name], text)
        ws.set_row(row - 1, text_height(text, 110, 45))
    ws.freeze_panes(3, 0)
    _print_setup(ws, f"A1:B{3 + len(COMMENTARY_ROWS)}")


def _build_parameters(w: _Writer) -> None:
    ws, st, by_name = w.sheets["Parameters"], w.styles, w.lay.by_name
    w.heading("Parameters", f"Method parameters ({METHOD})",
              "The method's constants. Every formula refers to these names; they are locked "
              "and the verifier checks them.", 5)
    for col, width in {"A": 26, "B": 12, "C": 22, "D": 9, "E": 80}.items():
        ws.set_column(f"{col}:{col}", width)
    w.header_row("Parameters", PARAM_FIRST_ROW - 1, ("Name", "Value", "Unit", "Tag",
                                                     "Description"))
    for i, p in enumerate(PARAMETERS):
        row = PARAM_FIRST_ROW + i
        cell = by_name[p.name]
        ws.write_string(f"A{row}", p.name, st.label)
        ws.write_number(cell.ref, p.value, st.cell("parameter", cell.fmt))
        ws.write_string(f"C{row}", p.unit, st.plain)
        ws.write_string(f"D{row}", p.tag, st.plain)
        ws.write_string(f"E{row}", p.description, st.plain)
    ident = IDENTITY_ROW
    ws.write_string(f"A{ident}", "method", st.label)
    ws.write_string(f"B{ident}", METHOD, st.cell("identity", "text", bold=True))
    ws.write_string(f"A{ident + 1}", "template_version", st.label)
    ws.write_string(f"B{ident + 1}", TEMPLATE_VERSION, st.cell("identity", "text", bold=True))
    status = STATUS_FIRST_ROW
    w.header_row("Parameters", status - 1, ("Input status", "Complete", "", "", ""))
    for i, (name, label, _) in enumerate(STATUS_ROWS):
        w.label("Parameters", f"A{status + i}", label)
        w.put_formula(by_name[name])
    _print_setup(ws, f"A1:E{status + len(STATUS_ROWS) - 1}", landscape=True)


def _print_setup(ws: Any, area: str, landscape: bool = False) -> None:
    ws.print_area(area)
    ws.fit_to_pages(1, 0)
    ws.set_paper(9)  # A4
    if landscape:
        ws.set_landscape()
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.set_header("&L&8AIJRI assessment&R&8&A")
    ws.set_footer("&L&8" + METHOD + "&R&8Page &P of &N")
    ws.protect("", {"format_columns": True, "format_rows": True, "select_locked_cells": True,
                    "select_unlocked_cells": True})


# ---------------------------------------------------------------------------------------
# The conductor


def _define_names(w: _Writer) -> None:
    for cell in w.lay.cells:
        if cell.name is not None and cell.name not in ("method", "template_version"):
            w.wb.define_name(cell.name, "=" + cell.absolute)
    for cell in w.lay.cells:
        if cell.name in ("method", "template_version"):
            w.wb.define_name(cell.name, "=" + cell.absolute)


def _properties(w: _Writer) -> None:
    a = w.a
    title = f"AIJRI assessment: {a.role.title}" if a.role.title else "AIJRI assessment template"
    created = FIXED_DATE
    if a.assessment_date:
        try:
            day = _dt.date.fromisoformat(a.assessment_date)
            created = _dt.datetime(day.year, day.month, day.day, tzinfo=_dt.UTC)
        except ValueError:
            pass
    w.wb.set_properties({
        "title": title, "subject": "AI Job Resilience Index (AIJRI) assessment",
        "author": a.assessor or "", "keywords": f"AIJRI, {METHOD}",
        "comments": f"Method {METHOD}; workbook template {TEMPLATE_VERSION}; written by aijri_xl",
        "category": "AIJRI assessment", "created": created,
    })
    w.wb.set_custom_property("method", METHOD)
    w.wb.set_custom_property("template_version", TEMPLATE_VERSION)


def check_buildable(a: Assessment) -> None:
    """Refuse an assessment a workbook cannot hold (a value out of range, a mistyped value,
    an unknown class or method); missing values are allowed."""
    refused = [f for f in check(a) if f.code in REFUSED_CODES]
    if refused:
        raise AssessmentError(refused)


def workbook_bytes(a: Assessment, *, task_rows: int | None = None,
                   references: TaskReferences | None = None) -> bytes:
    """The assessment workbook as ``.xlsx`` bytes (byte-identical for identical input).

    ``references``: a text column beside the tasks with a legend (see
    :mod:`aijri_xl.workbook.references`); not an input, never part of the score."""
    import xlsxwriter

    check_buildable(a)
    lay = layout(task_rows or task_rows_for(len(a.tasks)))
    if len(a.tasks) > lay.task_rows:
        raise ValueError(f"{len(a.tasks)} tasks do not fit {lay.task_rows} task rows")
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                      "strings_to_formulas": False, "strings_to_urls": False})
    if references is not None and len(references.cells) > len(a.tasks):
        raise ValueError(f"{len(references.cells)} task references for {len(a.tasks)} tasks")
    w = _Writer(wb, lay, a, references)
    _build_summary(w)
    _build_role(w)
    _build_protective(w)
    _build_tasks(w)
    _build_scored_sheet(w, "Evidence", EVIDENCE, "_text", "Evidence Score",
                        "Score what the market shows, -2 (strong decline) to +2 (strong "
                        "growth), and cite the evidence.",
                        ("Dimension", "Score (-2 to 2)", "Evidence"), "evidence_total",
                        "-10 to 10; evidence modifier = 1 + total x EVIDENCE_WEIGHT")
    _build_scored_sheet(w, "Barriers", BARRIERS, "_rationale", "Barrier Assessment",
                        "Score each barrier 0 (none) to 2 (strong).",
                        ("Barrier", "Score (0-2)", "Rationale"), "barrier_total",
                        "0 to 10; barrier modifier = 1 + total x BARRIER_WEIGHT",
                        "Reframed question: What prevents AI execution even when "
                        "programmatically possible?")
    _build_score(w)
    _build_commentary(w)
    _build_parameters(w)
    _define_names(w)
    _properties(w)
    w.sheets["Summary"].activate()
    wb.close()
    return buffer.getvalue()


def write_workbook(a: Assessment, path: str | Path, *, task_rows: int | None = None,
                   references: TaskReferences | None = None) -> Path:
    """Write the assessment workbook to ``path`` (``references``: see
    :func:`workbook_bytes`)."""
    path = Path(path)
    data = workbook_bytes(a, task_rows=task_rows, references=references)
    path.write_bytes(data)
    return path
