"""A workbook read into memory, written back as ``.xlsx`` bytes for the formula engine.

The verifier evaluates a workbook's own formulas with formualizer, which reads ``.xlsx``.
An ``.ods`` is read by :mod:`aijri_xl.workbook.ods` with its formulas translated to
Excel syntax; :func:`as_xlsx` writes those cells (every value and every formula, as the
file holds them) and the workbook-level names into an ``.xlsx`` in memory, so what
formualizer computes is what the ``.ods``'s own formulas say. Nothing is added: no
styles, no validation, only cells and names.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import warnings

from aijri_xl.workbook.xlsx import WorkbookData, split_ref

_FIXED_DATE = _dt.datetime(2000, 1, 1)
_XLSX_NAME = re.compile(r"^[A-Za-z_\\][\w.]*$")
_EXCEL_SHEET = re.compile(r"^[^\[\]:*?/\\]{1,31}$")


def as_xlsx(data: WorkbookData) -> bytes:
    """The cells and names of ``data`` as a minimal ``.xlsx`` (deterministic bytes)."""
    import xlsxwriter  # type: ignore[import-untyped]

    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                      "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"created": _FIXED_DATE})
    sheets = {}
    for name in data.sheets:
        if not _EXCEL_SHEET.match(name) or name.startswith("'") or name.endswith("'"):
            continue  # a name Excel cannot hold; formulas that reach it evaluate as errors
        sheets[name] = wb.add_worksheet(name)
    for name, sheet in data.sheets.items():
        ws = sheets.get(name)
        if ws is None:
            continue
        for ref, cell in sheet.cells.items():
            row, col = split_ref(ref)
            value = cell.value
            if cell.formula is not None:
                ws.write_formula(row - 1, col, "=" + cell.formula,
                                 None, _cached(value))
            elif cell.is_error:
                ws.write_formula(row - 1, col, "=" + str(value), None, value)
            elif isinstance(value, bool):
                ws.write_boolean(row - 1, col, value)
            elif isinstance(value, float | int):
                ws.write_number(row - 1, col, value)
            elif isinstance(value, str) and value != "":
                ws.write_string(row - 1, col, value)
    for name, target in sorted(data.names.items()):
        if _XLSX_NAME.match(name) and target:
            with warnings.catch_warnings():  # XlsxWriter warns of, and skips, a name
                warnings.simplefilter("ignore")  # Excel cannot hold: it is #NAME? then
                wb.define_name(name, "=" + target)
    wb.close()
    return buffer.getvalue()


def _cached(value: object) -> object:
    if value is None:
        return ""
    return value
