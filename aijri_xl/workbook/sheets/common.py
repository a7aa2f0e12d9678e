"""What every sheet builder shares: the workbook's formats, cell writing (inputs with
their validation, formulas with their cached values, escaped), headings, print setup."""

from __future__ import annotations

import datetime as _dt
import math
from typing import Any

from aijri_xl.method.model import Assessment
from aijri_xl.method.parameters import METHOD
from aijri_xl.styles import (
    BLACK,
    FRAME,
    HEADER_FILL,
    INPUT_BORDER,
    INPUT_FILL,
    NOTE_COLOUR,
    NUMBER_FORMATS,
    OK_FILL,
    OK_FONT,
    PROBLEM_FILL,
    PROBLEM_FONT,
    RESULT_FILL,
    RULE,
    SHADE,
    WARNING_FILL,
    WARNING_FONT,
    WHITE,
)
from aijri_xl.workbook.bindings import input_values
from aijri_xl.workbook.cached import cached_values
from aijri_xl.workbook.conditional_rules import CHECK_LINE_LAST_COLUMN, LOOKS, template_rules
from aijri_xl.workbook.layout import SHEETS, Cell, Layout
from aijri_xl.workbook.references import TaskReferences
from aijri_xl.workbook.text import escape, row_points


class Styles:
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
        self.header = wb.add_format({**base, "bold": True, "font_color": WHITE,
                                     "bg_color": HEADER_FILL, "border": 1,
                                     "border_color": FRAME, "text_wrap": True})
        self.label = wb.add_format({**base, "bold": True, "text_wrap": True, "border": 1,
                                    "border_color": RULE})
        self.note = wb.add_format({**base, "italic": True, "font_color": NOTE_COLOUR,
                                   "text_wrap": True})
        self.section = wb.add_format({**base, "bold": True, "font_size": 12,
                                      "font_color": HEADER_FILL, "bottom": 2,
                                      "bottom_color": HEADER_FILL})
        self.plain = wb.add_format({**base, "border": 1, "border_color": RULE})
        self.wrap = wb.add_format({**base, "text_wrap": True})
        self.big_score = wb.add_format({**base, "bold": True, "font_size": 22,
                                        "num_format": "0.0", "align": "left",
                                        "border": 1, "border_color": RULE})
        self.big_text = wb.add_format({**base, "bold": True, "font_size": 14,
                                       "border": 1, "border_color": RULE})
        self.check_line = wb.add_format({**base, "bold": True, "text_wrap": True,
                                         "border": 1, "border_color": FRAME,
                                         "bg_color": RESULT_FILL})
        self.looks = {name: wb.add_format({"bg_color": fill, "font_color": font,
                                           **({"bold": True} if bold else {})})
                      for name, (fill, font, bold) in LOOKS.items()}
        """The conditional formats' formats (:data:`conditional_rules.LOOKS`)."""
        self.reference = wb.add_format({**base, "font_color": NOTE_COLOUR, "text_wrap": True,
                                        "bg_color": SHADE, "border": 1,
                                        "border_color": RULE})
        self.swatch = {key: wb.add_format({**base, "bg_color": bg, "font_color": fg,
                                           "border": 1, "border_color": border})
                       for key, (bg, fg, border) in {
                           "input": (INPUT_FILL, BLACK, INPUT_BORDER),
                           "result": (RESULT_FILL, BLACK, FRAME),
                           "ok": (OK_FILL, OK_FONT, FRAME),
                           "problem": (PROBLEM_FILL, PROBLEM_FONT, FRAME),
                           "warning": (WARNING_FILL, WARNING_FONT, FRAME),
                           "header": (HEADER_FILL, WHITE, FRAME)}.items()}

    def cell(self, kind: str, fmt: str, *, bold: bool = False) -> Any:
        """The format of a layout cell: inputs yellow and unlocked, formulas locked."""
        key = (kind, fmt, bold)
        if key not in self._cache:
            number = NUMBER_FORMATS[fmt]
            props: dict[str, Any] = {**self.base, "border": 1, "border_color": FRAME,
                                     "num_format": number}
            if fmt in ("longtext", "text", "check"):
                props["text_wrap"] = True
            if fmt in ("int", "pct", "num2", "num4", "score", "date"):
                props["align"] = "right"
            if kind == "input":
                props.update({"bg_color": INPUT_FILL, "locked": False,
                              "border_color": INPUT_BORDER})
            elif kind in ("result", "display", "helper") and fmt != "check":
                props.update({"bg_color": RESULT_FILL})
            if bold:
                props["bold"] = True
            self._cache[key] = self.wb.add_format(props)
        return self._cache[key]


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


class Writer:
    """The workbook being built: its sheets, styles, input values and cached values."""

    def __init__(self, wb: Any, lay: Layout, a: Assessment,
                 references: TaskReferences | None = None) -> None:
        self.wb, self.lay, self.a = wb, lay, a
        self.references = references
        self.styles = Styles(wb)
        sheet_class = _worksheet_class()
        self.sheets = {name: wb.add_worksheet(name, worksheet_class=sheet_class)
                       for name in SHEETS}
        self.values = input_values(a)
        self.cached = cached_values(lay, a)

    def put_input(self, cell: Cell, value: Any) -> None:
        ws = self.sheets[cell.sheet]
        fmt = self.styles.cell("input", cell.fmt)
        if value is None or value == "":
            ws.write_blank(cell.ref, None, fmt)
        elif isinstance(value, _dt.date):
            ws.write_datetime(cell.ref, _dt.datetime(value.year, value.month, value.day), fmt)
        elif isinstance(value, str):
            ws.write_string(cell.ref, value, fmt)  # XlsxWriter escapes shared strings
        else:
            ws.write_number(cell.ref, value, fmt)
        if cell.validation is not None:
            self.validate(cell)

    def put_formula(self, cell: Cell, *, fmt: Any = None) -> None:
        ws = self.sheets[cell.sheet]
        value = self.cached[(cell.sheet, cell.ref)]
        ws.write_formula(cell.ref, cell.formula, fmt or self.styles.cell(cell.kind, cell.fmt),
                         cached(value))

    def put_formulas(self, sheet: str, *, kind: str | None = None, fmt: str | None = None,
                     columns: str = "") -> None:
        """Every formula cell of ``sheet`` (of one kind, one format, some columns)."""
        for c in self.lay.cells:
            if c.sheet == sheet and c.formula is not None and (kind is None or c.kind == kind) \
                    and (fmt is None or c.fmt == fmt) and (not columns or c.ref[0] in columns):
                self.put_formula(c)

    def check_line(self, sheet: str) -> None:
        """Row 3: the sheet's check line, across the sheet, coloured by its state."""
        ws = self.sheets[sheet]
        cell = next(c for c in self.lay.cells if c.sheet == sheet and c.ref == "A3")
        ws.merge_range(f"A3:{CHECK_LINE_LAST_COLUMN[sheet]}3", None, self.styles.check_line)
        self.put_formula(cell, fmt=self.styles.check_line)
        ws.set_row(2, 30)

    def conditional_formats(self, sheet: str) -> None:
        """The sheet's conditional formats, from the one table
        (:func:`conditional_rules.template_rules`)."""
        ws, looks = self.sheets[sheet], self.styles.looks
        for rule in template_rules(self.lay).get(sheet, ()):
            if rule.kind == "cellIs":
                options = {"type": "cell", "criteria": "==", "value": rule.formula}
            else:
                options = {"type": "formula", "criteria": "=" + rule.formula}
            ws.conditional_format(rule.ref, {**options, "format": looks[rule.look]})

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


def cached(value: Any) -> Any:
    """A cached formula result as the file stores it: text escaped as Excel escapes it
    (XlsxWriter escapes shared strings, not formula results), non-finite numbers as
    ``#NUM!``."""
    if isinstance(value, float) and not math.isfinite(value):
        return "#NUM!"
    if isinstance(value, str):
        return escape(value)
    return value


def _show(number: float | None) -> str:
    return f"{number:g}" if number is not None else ""


def text_height(text: str | None, width: float, minimum: float = 15.0) -> float:
    """A row height that shows wrapped text whole in a column ``width`` characters wide
    (Calibri 10 fits about 1.15 characters a width unit, 12.75 points a line), at most
    Excel's 409 points (a longer text scrolls in its cell)."""
    if not text:
        return minimum
    per_line = max(1, int(width * 1.15))
    lines = sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))
    return row_points(max(minimum, 12.75 * lines + 2))


PAPER_A4 = 9


def print_setup(ws: Any, area: str, landscape: bool = False, *, repeat: int | None = None,
                protect: bool = True) -> None:
    """Fit to the page width (any number of pages down) on A4; the margins leave room on
    Letter too, which is 6 mm narrower: fit-to-width scales to whichever paper prints.
    ``repeat`` is the (1-based) header row repeated on every printed page."""
    ws.print_area(area)
    ws.fit_to_pages(1, 0)
    ws.set_paper(PAPER_A4)
    if landscape:
        ws.set_landscape()
    ws.set_margins(left=0.5, right=0.5, top=0.7, bottom=0.7)
    ws.set_header("&L&8AIJRI assessment&R&8&A")
    ws.set_footer("&L&8" + METHOD + "&R&8Page &P of &N")
    if repeat is not None:
        ws.repeat_rows(repeat - 1)
    if protect:
        ws.protect("", {"format_columns": True, "format_rows": True,
                        "select_locked_cells": True, "select_unlocked_cells": True})
