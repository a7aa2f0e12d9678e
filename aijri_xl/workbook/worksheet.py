"""One worksheet part, read as it streams.

:func:`read_sheet` grows the part as a tree in C, a chunk at a time
(:func:`~aijri_xl.workbook.xmlparts.grow`), and after each chunk a :class:`SheetReader`
reads the rows completed so far and drops them: per cell its value, formula and style (the
rows directly in the first ``sheetData``, the cells directly in a row, and of a cell its last
``v``, ``f`` and ``is``). What else the verifier reads of the sheet (its columns, default
width, merged ranges, conditional formats: a few dozen elements) stays in the tree and is
read by :mod:`~aijri_xl.workbook.sheetview` when the part ends. What Excel treats as an
error is refused at its cell: a shared-string index that is negative or out of range, two
cells with one reference, a reference beyond the grid, a cell inside a markup-compatibility
alternate (programs pick different branches).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import Any

from aijri_xl.workbook.cells import (
    STRICT,
    TRANSITIONAL,
    CellData,
    SheetData,
    col_letters,
    shift_formula,
)
from aijri_xl.workbook.limits import MAX_CELLS, MAX_COL, MAX_FORMULA_TEXT, MAX_ROW
from aijri_xl.workbook.sheetview import read_view
from aijri_xl.workbook.text import ascii_digits, file_float, unescape
from aijri_xl.workbook.xmlparts import Bounded, XlsxError, grow

MC_ALTERNATE = "http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"
"""``mc:AlternateContent`` as the parser names it (namespace, ``}``, local name)."""
_EPOCH = _dt.datetime(1899, 12, 30)
_EPOCH_1904 = _dt.datetime(1904, 1, 1)
_TRUE = ("1", "true")
_INF = float("inf")


def namespace_of(name: str, part: str) -> str:
    """The SpreadsheetML namespace of a root element (as the parser names it), followed by
    ``}``; :class:`XlsxError` for any other."""
    ns = name.split("}", 1)[0] if "}" in name else ""
    if ns not in (TRANSITIONAL, STRICT):
        raise XlsxError(f"{part}: not SpreadsheetML (namespace {ns or 'none'!r})")
    return ns + "}"


def alternate_error(part: str) -> XlsxError:
    return XlsxError(f"{part}: cells, sheets or names inside mc:AlternateContent "
                     "(programs read different branches of it)", "corrupt", "AIJ-F215")


def _parse_ref(ref: str, sheet: str) -> tuple[int, int]:
    """``C7`` → (7, 3), 1-based; :class:`XlsxError` (at ``sheet!ref``) for anything
    else."""
    known = _REFS.get(ref)
    if known is not None:
        return known
    where = f"{sheet}!{ref}"
    i = 0
    while i < len(ref) and "A" <= ref[i] <= "Z":
        i += 1
    col_s, row_s = ref[:i], ref[i:]
    if not 1 <= len(col_s) <= 3 or not ascii_digits(row_s) or row_s.startswith("0"):
        raise XlsxError(f"{where}: {ref!r} is not a cell reference", "corrupt", "AIJ-F215")
    col = 0
    for ch in col_s:
        col = col * 26 + ord(ch) - 64
    row = int(row_s)
    if row > MAX_ROW or col > MAX_COL:
        raise XlsxError(f"{where}: {ref} is beyond Excel's grid", "corrupt", "AIJ-F215")
    if len(_REFS) < _REMEMBERED:
        _REFS[ref] = (row, col)
    return row, col


_INDEX = {str(i): i for i in range(4096)}
"""The text of 0-4095 as a file writes a row number, style index or shared-string index
(only ASCII digits, no leading zero): looked up, not parsed; other texts are read by the
slower path that checks them."""
_REMEMBERED = 65_536
"""At most this many texts are remembered in :data:`_REFS` and :data:`_NUMBERS` (each a
few dozen bytes), so a hostile batch cannot grow them without bound."""
_REFS: dict[str, tuple[int, int]] = {}
"""Cell references already read (the same few thousand in every assessment workbook)."""
_NUMBERS: dict[str, float] = {}
"""Number texts already read and checked (a number's text and its value; an assessment's
scores, weights and results recur from workbook to workbook)."""


def _iso_to_serial(text: str, where: str, date1904: bool) -> float:
    try:
        moment = _dt.datetime.fromisoformat(text.strip().rstrip("Z"))
    except ValueError as exc:
        raise XlsxError(f"{where}: the date {text!r} is not an ISO 8601 date", "corrupt",
                        "AIJ-F215") from exc
    delta = moment.replace(tzinfo=None) - (_EPOCH_1904 if date1904 else _EPOCH)
    return delta.days + delta.seconds / 86400 + delta.microseconds / 86_400_000_000


def rich_text(el: Any, T: str, R: str) -> str:
    """A string element (an inline string's ``is``, a shared string's ``si``) as shown:
    its ``t``, or its runs' ``t`` (phonetic runs, ``rPh``, are not shown)."""
    out = []
    for child in el:
        if child.tag == T:
            out.append(child.text or "")
        elif child.tag == R:
            out += [(t.text or "") for t in child if t.tag == T]
    return "".join(out)


class SheetReader:
    """Reads one worksheet's tree as it grows (see the module text). Depths: the root is
    1, ``sheetData`` 2, a row 3, a cell 4, its ``v``/``f``/``is`` 5."""

    __slots__ = ("C", "F", "IS", "R", "ROW", "SD", "T", "V", "budget", "data",
                 "date1904", "m", "n_strings", "no_alt", "path", "row_no", "shared", "sheet",
                 "strings")

    def __init__(self, sheet: SheetData, part: str, strings: list[str], budget: list[int],
                 date1904: bool):
        self.sheet = sheet
        self.path = part
        self.strings = strings
        self.n_strings = len(strings)
        self.budget = budget
        self.date1904 = date1904
        self.m = ""
        self.C = self.F = self.IS = self.R = self.ROW = self.SD = self.T = self.V = ""
        self.no_alt: frozenset[str] = frozenset()
        self.data: Any = None  # the first sheetData element, once it has begun
        self.row_no = 0
        self.shared: dict[str, tuple[str, int, int]] = {}

    def consume(self, root: Any, bounds: Bounded, final: bool) -> None:
        """After a chunk: the rows completed so far, read and dropped; at the end, the
        rest of the sheet."""
        if not self.m:
            self._root(root.tag)
        data = self.data
        if data is None:
            data = self.data = next((el for el in root if el.tag == self.SD), None)
            if data is None:
                if final:
                    self._finish(root, bounds)
                return
        done = len(data) if final or root[-1] is not data else len(data) - 1
        if done > 0:
            rows = data[:done]
            del data[:done]
            if bounds.alternates:
                for row in rows:
                    self._no_alternates(row)
            for row in rows:
                if row.tag == self.ROW:
                    self._row(row, bounds)
                elif len(row):
                    bounds.check_depth(row, 3)
        if final:
            self._finish(root, bounds)

    def _root(self, name: str) -> None:
        m = self.m = namespace_of(name, self.path)
        self.C, self.F, self.IS, self.R = m + "c", m + "f", m + "is", m + "r"
        self.ROW, self.SD, self.T, self.V = m + "row", m + "sheetData", m + "t", m + "v"
        self.no_alt = frozenset(m + t for t in ("c", "row", "sheetData", "f", "v"))

    def _no_alternates(self, el: Any) -> None:
        """A markup-compatibility alternate that holds cells or rows: Excel reads one
        branch, other programs another, so what is verified is not defined."""
        for alt in el.iter(MC_ALTERNATE):
            if any(inner.tag in self.no_alt for inner in alt.iter()):
                raise alternate_error(f"sheet {self.sheet.name}")

    def _finish(self, root: Any, bounds: Bounded) -> None:
        """The part has ended: what the tree still holds (columns, widths, merged ranges,
        conditional formats)."""
        bounds.check_depth(root, 1)
        if bounds.alternates:
            self._no_alternates(root)
        read_view(root, self.m, self.sheet)

    def _row(self, row: Any, bounds: Bounded) -> None:
        """One row and its cells: each cell's value, formula and style, checked as Excel
        checks them (the loop is the reader's hot path: one pass, no call per cell for
        the common cell; a number, index or reference text read once is looked up)."""
        r_attr = row.get("r")
        row_no = _INDEX.get(r_attr) if r_attr is not None else None
        if row_no is None:
            row_no = int(r_attr) if r_attr and ascii_digits(r_attr) else self.row_no + 1
        self.row_no = row_no
        col_no = 0
        ht = row.get("ht")
        sheet = self.sheet
        if row.get("hidden") in _TRUE or ht in ("0", "0.0"):
            sheet.hidden_rows.add(row_no)
        elif ht is not None:
            sheet.shown_rows.add(row_no)
        C, V, F, IS = self.C, self.V, self.F, self.IS
        budget = self.budget
        left = budget[0]  # cells the workbook may still have
        cells = sheet.cells
        strings, n_strings = self.strings, self.n_strings
        refs, index, numbers = _REFS, _INDEX, _NUMBERS
        for c in row:
            if c.tag != C:
                if len(c):
                    bounds.check_depth(c, 4)
                continue
            raw = f_el = is_el = None
            for el in c:
                tag = el.tag
                if tag == V:
                    raw = el.text
                elif tag == F:
                    f_el = el
                elif tag == IS:
                    is_el = el
                if len(el):
                    bounds.check_depth(el, 5)
            left -= 1
            if left < 0:
                raise XlsxError(f"more than {MAX_CELLS:,} cells: not an assessment workbook",
                                "unsafe")
            get = c.get
            ref = get("r")
            if ref is None:
                col_no += 1
                ref = f"{col_letters(col_no - 1)}{row_no}"
            else:
                r, col_no = refs.get(ref) or _parse_ref(ref, sheet.name)
                if r != row_no:
                    raise XlsxError(f"{sheet.name}!{ref}: the cell is in row {row_no}'s "
                                    "element", "corrupt", "AIJ-F215")
            s = get("s")
            style = 0 if s is None else index.get(s)
            if style is None:
                style = self._style(s, ref)
            kind = get("t", "n")
            formula = None
            if f_el is not None:
                formula = self._formula(f_el, row_no, col_no)
                budget[1] -= len(formula)
                if budget[1] < 0:
                    raise XlsxError(f"more than {MAX_FORMULA_TEXT:,} characters of formulas: "
                                    "not an assessment workbook", "unsafe")
            is_error = False
            if kind == "n":
                value: Any = None
                if raw:  # a number already read, or read (and checked) by _number
                    value = numbers.get(raw)
                    if value is None:
                        value = self._number(raw, ref)
            elif kind == "s":
                value = None
                if raw is not None:  # the common index, read here; anything else by _shared
                    i = index.get(raw)
                    value = strings[i] if i is not None and i < n_strings \
                        else self._shared(raw, ref)
            elif kind == "str":
                value = unescape(raw) if raw is not None else ""
            else:
                value, is_error = self._other(kind, raw, is_el, ref)
            if value is None and formula is not None:
                value = ""
            if ref in cells:
                raise XlsxError(f"{sheet.name}!{ref}: two cells with the same reference "
                                "(programs show one or the other)", "corrupt", "AIJ-F215")
            cells[ref] = CellData(value, formula, is_error, style)
        budget[0] = left

    def _style(self, s: str, ref: str) -> int:
        """A cell's ``s`` other than 1-511: an index into the cell formats, or refused."""
        if not ascii_digits(s):
            raise XlsxError(f"{self.sheet.name}!{ref}: the style index {s!r} is not a number "
                            "(the attribute is an unsigned integer)", "corrupt", "AIJ-F215")
        return int(s)

    def _shared(self, raw: str, ref: str) -> str:
        idx = raw.strip()
        if not ascii_digits(idx) or int(idx) >= self.n_strings:
            raise XlsxError(f"{self.sheet.name}!{ref}: shared string {raw!r} does not exist "
                            f"(the table has {self.n_strings})", "corrupt", "AIJ-F215")
        return self.strings[int(idx)]

    def _other(self, kind: str, raw: str | None, is_el: Any, ref: str) -> tuple[Any, bool]:
        """A cell of a rarer type: an inline string, boolean, error or ISO date."""
        if kind == "inlineStr":
            return (unescape(rich_text(is_el, self.T, self.R)) if is_el is not None
                    else ""), False
        if kind == "b":
            if raw not in (None, "0", "1"):
                raise XlsxError(f"{self.sheet.name}!{ref}: boolean {raw!r} is malformed",
                                "corrupt", "AIJ-F215")
            return (raw == "1" if raw is not None else None), False
        if kind == "e":
            return raw, True
        if kind == "d":
            return (_iso_to_serial(raw, f"{self.sheet.name}!{ref}", self.date1904)
                    if raw else None), False
        raise XlsxError(f"{self.sheet.name}!{ref}: unknown cell type {kind!r}", "corrupt",
                        "AIJ-F215")

    def _formula(self, f_el: Any, row_no: int, col_no: int) -> str:
        """The formula of the cell at ``row_no``, ``col_no``: a shared formula's expanded
        for this cell."""
        text = f_el.text
        ftype = f_el.get("t")
        if ftype == "shared":
            si = f_el.get("si", "")
            if text:
                self.shared[si] = (text, row_no, col_no)
            elif si in self.shared:
                base, row0, col0 = self.shared[si]
                text = shift_formula(base, row_no - row0, col_no - col0)
        elif ftype == "dataTable":
            text = text or "TABLE()"  # a what-if data table: a formula of its own
        return text if text is not None else ""

    def _number(self, raw: str, ref: str) -> float:
        """A number's text not read before: read as the file format writes it, refused
        when it is not one or not finite, and remembered (see :data:`_NUMBERS`)."""
        try:
            value = file_float(raw)
        except ValueError as exc:
            raise XlsxError(f"{self.sheet.name}!{ref}: number {raw!r} is malformed",
                            "corrupt", "AIJ-F215") from exc
        if value != value or value in (_INF, -_INF):
            raise XlsxError(f"{self.sheet.name}!{ref}: {raw!r} is not a number Excel stores",
                            "corrupt", "AIJ-F215")
        if len(_NUMBERS) < _REMEMBERED:
            _NUMBERS[raw] = value
        return value


def read_sheet(name: str, part: str, chunks: Iterable[bytes], strings: list[str],
               budget: list[int], date1904: bool) -> SheetData:
    """The sheet ``name`` from its part's chunks (see the module text)."""
    sheet = SheetData(name, part=part)
    reader = SheetReader(sheet, part, strings, budget, date1904)
    grow(chunks, f"sheet {name}", "worksheet", reader.consume)
    return sheet
