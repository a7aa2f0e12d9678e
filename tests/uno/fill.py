"""Fill workbooks in LibreOffice Calc through its UNO API, as a person would, and save them.

Run by the system Python that has LibreOffice's ``uno`` module (``python3-uno``), not the
project's venv: ``python3 tests/uno/fill.py PLAN.json``. One soffice process serves the
whole plan. The plan is a list of fills::

    {"source": "template.xlsx", "out": "filled.xlsx", "steps": [STEP, ...]}

and a step is one of::

    ["type", "Sheet", "B5", "25%"]       typed into the cell (LibreOffice parses it as a
                                          person's input: numbers, 25%, dates, =formulas)
    ["text", "Sheet", "B5", "2"]         text (what a leading apostrophe gives)
    ["paste", "Sheet", "B5", [[...]]]    values pasted into a block (numbers stay numbers)
    ["clear", "Sheet", "B5:G5"]          the Delete key on a block
    ["unprotect", "Sheet"]
    ["delete_row", "Sheet", 7]           delete sheet row 7 (1-based)
    ["insert_row", "Sheet", 7]           insert an empty row above row 7
    ["copy", "Sheet", "A7:J7", "A8"]     copy a block and paste it at A8
    ["sort", "Sheet", "A5:J12", 2, true] sort rows by the 2nd column of the block
                                          (1-based), ascending
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.table import CellAddress  # type: ignore[import-not-found]


def _prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def _connect(port: int, profile: str) -> tuple[subprocess.Popen, object]:
    proc = subprocess.Popen(["soffice", f"-env:UserInstallation={profile}", "--headless",
                             "--invisible", "--norestore", "--nolockcheck", "--nodefault",
                             f"--accept=socket,host=127.0.0.1,port={port};urp;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(120):
        try:
            ctx = resolver.resolve(f"uno:socket,host=127.0.0.1,port={port};urp;"
                                   "StarOffice.ComponentContext")
            break
        except Exception:
            time.sleep(0.5)
    else:
        proc.kill()
        raise SystemExit("soffice did not start")
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    return proc, desktop


def _step(doc: object, step: list) -> None:
    kind, sheet_name = step[0], step[1]
    sheet = doc.Sheets.getByName(sheet_name)
    if kind == "type":
        sheet.getCellRangeByName(step[2]).setFormula(step[3])
    elif kind == "text":
        sheet.getCellRangeByName(step[2]).setString(step[3])
    elif kind == "paste":
        rows = step[3]
        start = sheet.getCellRangeByName(step[2]).getCellAddress()
        block = sheet.getCellRangeByPosition(start.Column, start.Row,
                                             start.Column + len(rows[0]) - 1,
                                             start.Row + len(rows) - 1)
        block.setDataArray(tuple(tuple(r) for r in rows))
    elif kind == "clear":
        from com.sun.star.sheet.CellFlags import DATETIME, FORMULA, STRING, VALUE  # type: ignore
        sheet.getCellRangeByName(step[2]).clearContents(VALUE | STRING | FORMULA | DATETIME)
    elif kind == "unprotect":
        sheet.unprotect("")
    elif kind == "delete_row":
        sheet.Rows.removeByIndex(step[2] - 1, 1)
    elif kind == "insert_row":
        sheet.Rows.insertByIndex(step[2] - 1, 1)
    elif kind == "copy":
        source = sheet.getCellRangeByName(step[2]).getRangeAddress()
        target = sheet.getCellRangeByName(step[3]).getCellAddress()
        sheet.copyRange(CellAddress(target.Sheet, target.Column, target.Row), source)
    elif kind == "sort":
        block = sheet.getCellRangeByName(step[2])
        field = uno.createUnoStruct("com.sun.star.table.TableSortField")
        field.Field = step[3] - 1
        field.IsAscending = bool(step[4])
        block.sort((_prop("SortFields", uno.Any("[]com.sun.star.table.TableSortField",
                                                 (field,))),
                    _prop("ContainsHeader", False)))
    else:
        raise SystemExit(f"unknown step {kind!r}")


def main(plan_path: str) -> int:
    plan = json.loads(Path(plan_path).read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="aijri-uno-") as tmp:
        profile = Path(tmp, "profile").as_uri()
        port = 20000 + os.getpid() % 20000
        proc, desktop = _connect(port, profile)
        try:
            for fill in plan:
                url = Path(fill["source"]).resolve().as_uri()
                doc = desktop.loadComponentFromURL(url, "_blank", 0, (_prop("Hidden", True),))
                try:
                    for step in fill["steps"]:
                        _step(doc, step)
                    doc.calculateAll()
                    out = Path(fill["out"]).resolve().as_uri()
                    doc.storeToURL(out, (_prop("FilterName", "Calc MS Excel 2007 XML"),))
                finally:
                    doc.close(True)
        finally:
            with contextlib.suppress(Exception):  # soffice may already be gone
                desktop.terminate()
            proc.wait(timeout=60)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
