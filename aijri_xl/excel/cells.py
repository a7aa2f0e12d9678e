"""What Excel passes to a function, read the same way on every route.

Excel hands a function a single cell as a scalar and a range as rows of cells. What an
*empty* cell arrives as depends on the route (docs/EXCEL.md, "What the functions
accept"):

===================================  =============================================
Route                                An empty cell in a range arrives as
===================================  =============================================
Windows add-in (classic UDFs, COM)   ``None``
xlwings Lite / Server, Excel desktop ``0`` (Office.js custom functions)
xlwings Lite / Server, Excel web     ``null``, which xlwings reads as ``None``
a cell holding ``=""``               ``""``
===================================  =============================================

So the rule, stated once here and used by every function: **a row whose cells are all
empty — ``None``, ``""`` (or only spaces) or the number ``0`` — is a blank row** and is
skipped; a row with anything else in it is a task, and each of its cells is read for
what it is (a time share of ``0`` beside a score is an out-of-range time share, not a
blank). In a text column (class, task name) a ``0`` is an empty cell too: no class or
name is the number zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

CellRange = list[list[Any]]
"""A range as Excel passes it with ``ndim=2``: rows of cell values."""
Cell = Any
"""One cell's value: a number, text, a bool, ``None`` (blank) or an error's text."""

EXCEL_ERRORS = frozenset({
    "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
    "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
    "#DATA!",
})
"""Excel's error values as xlwings passes them with ``err_to_str=True``."""


class RangeShapeError(ValueError):
    """A range of several rows *and* columns where one row or column is expected."""

    def __init__(self, what: str, rows: int, columns: int):
        self.what, self.rows, self.columns = what, rows, columns
        super().__init__(f"{what} must be a single row or column, found {rows} rows × "
                         f"{columns} columns")


def is_number(value: Cell) -> bool:
    """A number as Excel passes it (not a bool, which Python counts as an int)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_empty(value: Cell) -> bool:
    """An empty cell as the classic add-in and Excel on the web pass it: ``None``, or
    text that is empty or only spaces (a cell holding ``=""``)."""
    return value is None or (isinstance(value, str) and not value.strip())


def is_zero(value: Cell) -> bool:
    return is_number(value) and value == 0


def is_blank_cell(value: Cell) -> bool:
    """A cell that may be an empty one on some route: empty, or ``0`` (Excel desktop
    through Office.js passes an empty cell as 0)."""
    return is_empty(value) or is_zero(value)


def is_blank_row(row: Sequence[Cell]) -> bool:
    """The blank-row rule (module docstring): every cell empty or ``0``."""
    return all(is_blank_cell(c) for c in row)


def text_cell(value: Cell) -> Cell:
    """A cell of a text column: empty (``None``) if it is empty or the ``0`` that stands
    for an empty cell on Excel desktop; anything else unchanged."""
    return None if is_blank_cell(value) else value


def is_excel_error(value: Cell) -> bool:
    return isinstance(value, str) and value in EXCEL_ERRORS


def whole(value: Cell) -> Cell:
    """A whole number that arrived as a float (``3.0``) as the int the model expects;
    anything else unchanged, so that the method's checks report it."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def task_class(value: Cell) -> Cell:
    """An Aug/Disp class compared the way Excel compares text: case and extra spaces
    ignored (``"not involved"`` is ``NOT INVOLVED``)."""
    if isinstance(value, str):
        return " ".join(value.split()).upper()
    return value


def used_rows(value: Cell | CellRange) -> int:
    """How many rows of a range are left once the blank rows at its end are dropped (a
    whole column such as ``B:B`` ends in a million of them, so this is kept quick)."""
    if not isinstance(value, list | tuple):
        return 1
    end = len(value)
    while end and _blank_at_end(value[end - 1]):
        end -= 1
    return end


def _blank_at_end(row: Any) -> bool:
    if isinstance(row, list | tuple) and len(row) == 1:
        row = row[0]  # the common case, a one-cell row: test it directly
    if row is None or row == "" or (row.__class__ in _NUMBER_TYPES and row == 0):
        return True
    return is_blank_row(row) if isinstance(row, list | tuple) else is_blank_cell(row)


_NUMBER_TYPES = (int, float)


def column(value: Cell | CellRange, what: str) -> list[Cell]:
    """The cells of one row or column (or one cell) in order, ``""`` as ``None``; the
    rows are not trimmed (the caller applies the blank-row rule across its columns).

    Raises :class:`RangeShapeError` for a block of several rows and columns."""
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        return [None if is_empty(value) else value]
    rows = [r if isinstance(r, list | tuple) else [r] for r in value]
    if len(rows) > 1 and any(len(r) > 1 for r in rows):
        raise RangeShapeError(what, len(rows), max(len(r) for r in rows))
    return [None if is_empty(c) else c for r in rows for c in r]


def cells(value: Cell | CellRange, what: str) -> list[Cell]:
    """:func:`column` without the blank cells at its end (``None``, ``""`` or ``0``),
    for an input that is a single column of its own: a block's scores, one cell."""
    flat = column(value, what)
    while flat and is_blank_cell(flat[-1]):
        flat.pop()
    return flat


def scalar(value: Cell | CellRange, what: str) -> list[Cell]:
    """The cells of an argument meant to be one cell: ``[]`` for an empty one, the
    values otherwise (more than one is the caller's problem to report)."""
    flat = column(value, what)
    while flat and is_empty(flat[-1]):
        flat.pop()
    return flat
