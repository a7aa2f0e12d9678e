"""What xlwings' Office.js client sends, built for tests: a workbook payload for a script
(``xw.Book(json=...)``) and a custom-function call, and xlwings Server/Lite's own
dispatchers imported as they import them (``XLWINGS_ON_SERVER=true``)."""

from __future__ import annotations

import asyncio
import importlib
import re
import sys
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from aijri_xl.workbook.xlsx import col_index, iter_name_refs, read_xlsx, split_ref

OURS = ("aijri_xl.excel", "aijri_xl.udfs", "aijri_xl.xlwings_verify")


def _reimported(name: str) -> bool:
    return name == "xlwings" or name.startswith("xlwings.") or any(
        name == o or name.startswith(o + ".") for o in OURS)


@contextmanager
def office_js(docs_url: str | None = None):
    """xlwings, xlwings.server and our Excel modules imported as xlwings Server imports
    them; the modules imported before are put back afterwards."""
    import aijri_xl

    saved = {k: v for k, v in sys.modules.items() if _reimported(k)}
    for k in saved:
        del sys.modules[k]
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
            mp.setenv("XLWINGS_ON_SERVER", "true")
            if docs_url:
                mp.setenv("AIJRI_DOCS_URL", docs_url)
            else:
                mp.delenv("AIJRI_DOCS_URL", raising=False)
            yield SimpleNamespace(
                xw=importlib.import_module("xlwings"),
                server=importlib.import_module("xlwings.server"),
                udfs=importlib.import_module("aijri_xl.excel.functions"),
                errors=importlib.import_module("aijri_xl.excel.errors"),
                verify=importlib.import_module("aijri_xl.excel.verify_script"))
    finally:
        for k in [k for k in sys.modules if _reimported(k)]:
            del sys.modules[k]
        sys.modules.update(saved)
        if "aijri_xl.excel" in saved:
            aijri_xl.excel = saved["aijri_xl.excel"]  # type: ignore[attr-defined]


def call_data(xl: Any, function: str, *args: Any) -> dict:
    """The body the Office.js add-in posts when Excel calculates ``=FUNCTION(args)``."""
    return {"func_name": function, "args": list(args), "version": xl.xw.__version__,
            "client": "Office.js", "runtime": "1.4", "culture_info_name": "en-US",
            "date_format": "M/d/yyyy", "caller_address": "[Book1.xlsx]Sheet1!H2"}


def call(xl: Any, function: str, *args: Any) -> Any:
    """What xlwings Server/Lite does when Excel calculates ``=FUNCTION(args)``."""
    return asyncio.run(xl.server.custom_functions_call(call_data(xl, function, *args),
                                                       xl.udfs))


_ADDRESS = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$")


def payload_from_xlsx(version: str, path_or_bytes: Path | bytes, name: str = "t.xlsx") -> dict:
    """The payload xlwings' Office.js client sends for an ``.xlsx`` open in Excel: each
    sheet's values from A1 to its last cell (``""`` for blanks, numbers as Excel holds
    them, error cells as their text) and the workbook's range names. The values are the
    cells' cached values, as Excel holds them after calculating."""
    raw = path_or_bytes.read_bytes() if isinstance(path_or_bytes, Path) else path_or_bytes
    data = read_xlsx(raw)
    order = list(data.sheets)
    sheets = []
    for sheet_name in order:
        cells = data.sheets[sheet_name].cells
        refs = [split_ref(r) for r in cells]
        rows = max((r for r, _ in refs), default=1)
        cols = max((c for _, c in refs), default=0) + 1
        grid: list[list[Any]] = [[""] * cols for _ in range(rows)]
        for ref, cell in cells.items():
            r, c = split_ref(ref)
            value = cell.value
            if isinstance(value, float) and value.is_integer():
                value = int(value)  # JSON numbers: Office.js sends 5, not 5.0
            grid[r - 1][c] = "" if value is None else value
        sheets.append({"name": sheet_name, "values": grid, "pictures": [], "tables": []})
    names = []
    for key, target in data.names.items():
        parts = list(iter_name_refs(target))
        if len(parts) != 1 or parts[0][0] not in order:
            continue  # not a single range: Office.js sends no coordinates for it
        sheet_name, ref = parts[0]
        names.append({"name": key, "sheet_index": order.index(sheet_name),
                      "address": ref.replace("$", ""), "book_scope": True,
                      "scope_sheet_name": None, "scope_sheet_index": None})
    return {"client": "Office.js", "version": version,
            "book": {"name": name, "active_sheet_index": 0, "selection": "A1"},
            "names": names, "sheets": sheets}


def run_script(xl: Any, payload: dict) -> list[dict]:
    """What xlwings Server/Lite does when the user runs 'Verify this workbook': the
    actions the script sends back to Excel."""
    book = xl.xw.Book(json=payload)
    returned = asyncio.run(xl.server.custom_scripts_call(
        xl.verify, "verify_workbook", typehint_to_value={xl.xw.Book: book}))
    assert returned is book
    return book.json()["actions"]


def written_table(actions: list[dict]) -> list[list]:
    (write,) = [a for a in actions if a["func"] == "setValues"]
    assert (write["start_row"], write["start_column"]) == (0, 0)
    return write["values"]


__all__ = ["call", "call_data", "col_index", "office_js", "payload_from_xlsx", "run_script",
           "written_table"]
