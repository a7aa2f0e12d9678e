"""What every sheet of the register workbook shares: its colours, its cell formats (made
once per workbook), how a value is written, and the print setup of a table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aijri_xl.registry.model import REGISTER_TITLE, _text
from aijri_xl.styles import (
    ACCELERATED_GREEN,
    GRADUAL_RED,
    HEADER_FILL,
    IMMINENT_RED,
    INK,
    MODERATE_YELLOW,
    NOT_VERIFIED_GREY,
    NOTE_COLOUR,
    NUMBER_FORMATS,
    RULE,
    SCORE_BAR_COLOURS,
    STABLE_GREEN,
    TRANSFORMING_GREEN,
    URGENT_YELLOW,
    VERDICT_ZONES,
    WHITE,
    ZONE_STYLES,
)
from aijri_xl.workbook.text import clip
from aijri_xl.workbook.writer import text_height

ZONE_CHART_COLOURS = {"GREEN": SCORE_BAR_COLOURS[0], "YELLOW": SCORE_BAR_COLOURS[2],
                      "RED": SCORE_BAR_COLOURS[4]}
SUB_LABEL_COLOURS = {
    "Green (Accelerated)": ACCELERATED_GREEN, "Green (Transforming)": TRANSFORMING_GREEN,
    "Green (Stable)": STABLE_GREEN, "Yellow (Urgent)": URGENT_YELLOW,
    "Yellow (Moderate)": MODERATE_YELLOW, "Red (Imminent)": IMMINENT_RED,
    "Red (Gradual)": GRADUAL_RED,
}
FAIL_COLOUR = NOT_VERIFIED_GREY
"""Bars of assessments that do not verify: grey, not the colour of a zone they do not
have by the method."""


def _column_letter(index: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return xl_col_to_name(index)


class _Styles:
    """Every cell format of the register workbook, made once."""

    def __init__(self, wb: Any) -> None:
        base = {"font_name": "Calibri", "font_size": 10, "valign": "top"}
        left = {"align": "left", "indent": 1}  # apart from a number on its left
        self.title = wb.add_format({**base, "bold": True, "font_size": 16,
                                    "font_color": HEADER_FILL})
        self.subtitle = wb.add_format({**base, "italic": True, "font_color": NOTE_COLOUR})
        self.wrap_note = wb.add_format({**base, "italic": True, "font_color": NOTE_COLOUR,
                                        "text_wrap": True})
        self.header = wb.add_format({**base, "bold": True, "font_color": WHITE,
                                     "bg_color": HEADER_FILL, "text_wrap": True, **left})
        self.text = wb.add_format({**base, **left})
        self.wrap = wb.add_format({**base, "text_wrap": True, **left})
        self.indented = wb.add_format({**base, **left, "indent": 2})
        self.number = {kind: wb.add_format({**base, "num_format": fmt})
                       for kind, fmt in NUMBER_FORMATS.items()}
        self.total = wb.add_format({**base, "bold": True, "top": 1})
        self.total_pct = wb.add_format({**base, "bold": True, "top": 1,
                                        "num_format": NUMBER_FORMATS["pct"]})
        self.total_label = wb.add_format({**base, "bold": True, "top": 1, **left})
        self.zone = {z: wb.add_format({**base, "bg_color": bg, "font_color": fg, **left})
                     for z, (bg, fg) in ZONE_STYLES.items()}
        self.zone_bold = {z: wb.add_format({**base, "bold": True, "bg_color": bg,
                                            "font_color": fg, **left})
                          for z, (bg, fg) in ZONE_STYLES.items()}
        self.verdict = {v: self.zone[z] for v, z in VERDICT_ZONES.items()}
        self.fail_bold = wb.add_format({**base, "bold": True, "bg_color": RULE,
                                        "font_color": INK, **left})
        self.severity = {"error": self.zone["RED"], "warning": self.zone["YELLOW"]}


def _put(ws: Any, row: int, col: int, value: Any, fmt: Any) -> None:
    value = _text(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        ws.write_number(row, col, value, fmt)
    elif value == "":
        ws.write_blank(row, col, None, fmt)
    else:
        ws.write_string(row, col, clip(value), fmt)  # XlsxWriter escapes it


def _fit_row(ws: Any, row: int, texts: list[tuple[Any, float]]) -> None:
    """Make a row tall enough for its wrapped texts (spreadsheet programs do not size rows
    on opening a file)."""
    height = max((text_height(t if isinstance(t, str) else None, w) for t, w in texts),
                 default=15.0)
    if height > 15.0:
        ws.set_row(row, height)


def _excel_date(text: str | None) -> Any:
    import datetime as dt

    try:
        return dt.datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def _table_head(ws: Any, st: _Styles, headers: Sequence[tuple[str, float]]) -> None:
    ws.write_row(0, 0, [h for h, _ in headers], st.header)
    for col, (_, width) in enumerate(headers):
        ws.set_column(col, col, width)
    lines = max(text_height(h, w * 0.8, 0) for h, w in headers) if headers else 15.0  # bold
    ws.set_row(0, max(15.0, lines))


def _table_tail(ws: Any, rows: int, columns: int, frozen_columns: int,
                pages_wide: int = 1, title: str = REGISTER_TITLE) -> None:
    """A filter on the header, the header frozen and repeated on each printed page, and
    pages landscape and as wide as the table (``pages_wide`` pages, the frozen columns
    repeated on each), A4 or Letter alike."""
    ws.autofilter(0, 0, max(1, rows), columns - 1)
    ws.freeze_panes(1, frozen_columns)
    ws.set_landscape()
    ws.set_paper(9)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.fit_to_pages(pages_wide, 0)
    ws.repeat_rows(0)
    if pages_wide > 1 and frozen_columns:
        ws.repeat_columns(0, frozen_columns - 1)
    ws.set_footer(f"&L&8{title}: &A&R&8Page &P of &N")


def _range(sheet: str, col: int, rows: int) -> str:
    letter = _column_letter(col)
    return f"{sheet}!${letter}$2:${letter}${max(2, rows + 1)}"
