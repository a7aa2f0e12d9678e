"""The workbook as the verifier reads it: cells (value, formula, style), sheets (visibility,
hidden rows and columns, column widths, merged ranges, conditional formats), defined
names, styles and the active content the package holds; and the small helpers for A1
references and shared formulas. :mod:`aijri_xl.workbook.xlsx` fills these from a package.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any, TypeVar

from aijri_xl._record import dataclass, field
from aijri_xl.workbook.cellstyles import Dxf, Styles
from aijri_xl.workbook.package import Active

TRANSITIONAL = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
_R_IDS = ("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id",
          "{http://purl.oclc.org/ooxml/officeDocument/relationships}id")
_CELL_RE = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")
_ALTERNATE = b"AlternateContent"
ANNOTATED_PROPERTY = "aijri_annotated"
"""Custom document property that marks an annotated copy (``aijri verify --annotate``)."""


@dataclass(slots=True)
class CellData:
    value: Any = None  # str, float, bool, or an error text like "#N/A"
    formula: str | None = None  # without the leading "="
    is_error: bool = False
    style: int = 0  # the cell's ``s``: an index into the styles' cell formats


@dataclass(slots=True)
class Conditional:
    """One conditional formatting rule and the cells it covers."""

    sqref: str
    kind: str  # cellIs, expression, dataBar, iconSet, colorScale, ...
    dxf: int | None
    hides_value: bool = False  # a data bar or icon set with showValue="0"
    operator: str | None = None  # cellIs and the text rules: equal, between, ...
    formulas: tuple[str, ...] = ()  # each ``<formula>``, as written (relative to the anchor)
    stop_if_true: bool = False
    priority: int | None = None
    params: tuple[tuple[str, str], ...] = ()
    """The attributes the rule's type reads (``rank``, ``percent``, ``text``, ...), as
    written, defaults left out."""
    detail: str = ""
    """A colour scale's, data bar's or icon set's own settings, as canonical text."""
    inline: Dxf | None = None
    """The format an Excel 2010 extension rule carries in itself (``x14:dxf``; such a rule
    has no ``dxf`` id)."""
    extension: bool = False
    """Read from the sheet's Excel 2010 extension (``x14:conditionalFormatting``), alone or
    as the twin of a rule of the sheet's own ``conditionalFormatting``."""


@dataclass(frozen=True, slots=True)
class Column:
    """One ``<col>`` span (ECMA-376 Part 1, 18.3.1.13): columns ``first`` to ``last``
    (1-based, inclusive). ``width`` is in characters of the maximum digit width of the
    Normal style's font, its 5 pixels of padding included (``None``: the sheet's default)."""

    first: int
    last: int
    width: float | None = None
    hidden: bool = False
    custom_width: bool = False


@dataclass(frozen=True, slots=True)
class SheetFormat:
    """``<sheetFormatPr>`` (18.3.1.81): the width of a column without a ``<col>``:
    ``default_col_width`` (padding included) or, when absent, ``base_col_width`` characters
    plus the padding."""

    default_col_width: float | None = None
    base_col_width: int = 8


@dataclass(slots=True)
class SheetData:
    name: str
    cells: dict[str, CellData] = field(default_factory=dict)
    state: str = "visible"
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: list[tuple[int, int]] = field(default_factory=list)  # 1-based, inclusive
    rows_hidden_by_default: bool = False
    shown_rows: set[int] = field(default_factory=set)  # rows with an explicit height
    conditional: list[Conditional] = field(default_factory=list)
    part: str = ""
    columns: list[Column] = field(default_factory=list)
    sheet_format: SheetFormat = field(default_factory=SheetFormat)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    """Merged ranges: (first row, first column, last row, last column), 1-based."""


@dataclass(slots=True)
class WorkbookData:
    sheets: dict[str, SheetData]
    names: dict[str, str]
    """Workbook-level defined names → their text (``Tasks!$C$5:$C$29``)."""
    has_macros: bool = False
    external_links: int = 0
    parts: list[str] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)
    """Custom document properties (``docProps/custom.xml``): name → text."""
    formulas: bool = True
    """False for a view that shows cells' values only (a workbook open in Excel, read
    through xlwings): the verifier then skips the checks that need formulas."""
    styles: Styles = field(default_factory=Styles)
    active: list[Active] = field(default_factory=list)
    """Active content found through relationship and content types."""
    local_names: list[tuple[str, str, str]] = field(default_factory=list)
    """Sheet-level defined names: (sheet, name, target)."""
    sheet_states: dict[str, str] = field(default_factory=dict)
    date1904: bool = False
    strict: bool = False
    styles_read: bool = True
    """False where the reader does not read number formats and styles (an .ods): what
    cells display is then not confirmed, and a finding says so."""

    def cell(self, sheet: str, ref: str) -> CellData:
        s = self.sheets.get(sheet)
        return s.cells.get(ref, CellData()) if s else CellData()


Area = tuple[int, int, int, int]
"""A rectangle of cells: (first row, first column, last row, last column), 1-based."""
_T = TypeVar("_T")


def by_rows(items: Iterable[_T], areas: Callable[[_T], Iterable[Area]],
            rows: tuple[int, ...]) -> dict[int, list[_T]]:
    """Each of ``rows`` (sorted) → the items (in order) whose ``areas`` reach it, so a
    cell is tested only against what lies on its row: a huge or numerous range costs once
    per row asked about, not once per cell."""
    out: dict[int, list[_T]] = {}
    for item in items:
        reached: set[int] = set()
        for r0, _c0, r1, _c1 in areas(item):
            reached.update(rows[bisect_left(rows, r0):bisect_right(rows, r1)])
        for row in reached:
            out.setdefault(row, []).append(item)
    return out


def col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def col_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@lru_cache(maxsize=65536)
def split_ref(ref: str) -> tuple[int, int]:
    """``"C7"`` → (row 7, column index 2)."""
    m = _CELL_RE.match(ref)
    if not m:
        raise ValueError(f"not a cell reference: {ref!r}")
    return int(m.group(2)), col_index(m.group(1))


_REF_TOKEN = re.compile(
    r'("(?:[^"]|"")*")'  # a string literal: left alone
    r"|('(?:[^']|'')+'!|[A-Za-z_][\w.]*!)?"  # an optional sheet prefix
    r"(\$?)([A-Z]{1,3})(\$?)([0-9]{1,7})(?![\w(])"  # a cell reference
)


def shift_formula(formula: str, rows: int, cols: int) -> str:
    """Move a shared formula's relative references by ``rows`` and ``cols``."""

    def move(m: re.Match[str]) -> str:
        if m.group(1):
            return m.group(1)
        prefix, col_abs, col, row_abs, row = (m.group(2) or "", m.group(3), m.group(4),
                                              m.group(5), m.group(6))
        new_col = col if col_abs else col_letters(col_index(col) + cols)
        new_row = row if row_abs else str(int(row) + rows)
        return f"{prefix}{col_abs}{new_col}{row_abs}{new_row}"

    return _REF_TOKEN.sub(move, formula)


def iter_name_refs(target: str) -> Iterator[tuple[str, str]]:
    """A defined name's text → (sheet, ``A1`` or ``A1:B2`` without ``$``) parts."""
    for part in target.split(","):
        part = part.strip()
        if "!" not in part:
            continue
        sheet, ref = part.rsplit("!", 1)
        if sheet.startswith("'") and sheet.endswith("'"):
            sheet = sheet[1:-1].replace("''", "'")
        yield sheet, ref.replace("$", "")
