"""An open workbook, read through xlwings, as the verifier reads a file.

``aijri verify FILE`` reads an ``.xlsx`` into a :class:`~aijri_xl.workbook.xlsx.WorkbookData`
(sheets, cells, defined names) and checks it. The "Verify this workbook" script reads the
same structure from the workbook open in Excel (:func:`workbook_data`) and hands it to
the same code (:func:`verify_data`: the workbook reader, the bindings and layout, the
method's rules, the reference engine, the comparisons), so the two verifiers cannot
disagree on what both can see.

What Excel hands a script is values only: cached results, not formulas; no macros, no
external-link parts. The checks that need those (:data:`NEEDS_THE_FILE`) are left to
``aijri verify FILE``; everything else is the same check, at the same cell.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

from aijri_xl.excel.cells import is_excel_error, is_number
from aijri_xl.verify.file import Verification, evaluate
from aijri_xl.verify.workbook_checks import FORMULA_CODES, PACKAGE_CODES
from aijri_xl.workbook.reader import loaded_from_data
from aijri_xl.workbook.xlsx import CellData, SheetData, WorkbookData, col_letters

NEEDS_THE_FILE = FORMULA_CODES | PACKAGE_CODES | {
    "AIJ-E105",  # the workbook's formulas evaluated independently
    "AIJ-X309",  # a VBA project
}
"""Finding codes only ``aijri verify FILE`` can report: they need the formulas or the
file's parts, which a workbook open in Excel does not show a script. (Codes about reading
a file, AIJ-F2xx, cannot arise from an open workbook at all.)"""

_EXCEL_EPOCH = _dt.datetime(1899, 12, 30)


def cell_value(value: Any) -> Any:
    """A value as xlwings reads it, as the ``.xlsx`` reader holds a cached value: numbers
    as floats (Office.js sends whole numbers as ints), dates as serial numbers, blanks as
    ``None``; text, bools and error texts unchanged."""
    if value is None or (isinstance(value, str) and value == ""):
        return None
    if is_number(value):
        return float(value)
    if isinstance(value, _dt.datetime):
        return (value - _EXCEL_EPOCH).total_seconds() / 86400
    if isinstance(value, _dt.date):
        return float((value - _EXCEL_EPOCH.date()).days)
    return value


def workbook_data(book: Any) -> WorkbookData:
    """The sheets' values and the workbook-level defined names of an xlwings Book, as a
    values-only :class:`WorkbookData` (``formulas=False``)."""
    sheets: dict[str, SheetData] = {}
    for sheet in book.sheets:
        data = SheetData(sheet.name)
        used = sheet.used_range
        rows = used.options(ndim=2, err_to_str=True).value or []
        for i, row in enumerate(rows):
            for j, raw in enumerate(row):
                value = cell_value(raw)
                if value is None:
                    continue
                ref = f"{col_letters(used.column - 1 + j)}{used.row + i}"
                data.cells[ref] = CellData(value=value, is_error=is_excel_error(value))
        sheets[sheet.name] = data
    names: dict[str, str] = {}
    for name in book.names:
        key = name.name
        if "!" in key:
            continue  # a sheet-scoped name ("Sheet1!x"), not one of the contract's
        target = name.refers_to
        if isinstance(target, str) and target:
            names[key] = target.removeprefix("=")
    return WorkbookData(sheets=sheets, names=names, formulas=False)


def verify_data(data: WorkbookData, name: str = "workbook") -> Verification:
    """What ``aijri verify`` finds in a workbook, from its data."""
    return evaluate(loaded_from_data(Path(name), data))
