"""Fill workbooks in LibreOffice Calc through its UNO API and save them, as a person would.

Run by the system Python that has LibreOffice's ``uno`` module (Debian: python3-uno), not
by the project's venv: ``python3 tests/lo_uno_fill.py JOBS.json``. One soffice process
serves every job. ``JOBS.json`` holds ``{"jobs": [...]}``; each job:

- ``template``: the workbook to open (it is never written: every save goes elsewhere);
- ``outputs``: the files to save, by suffix: ``.ods`` (LibreOffice's own format) and/or
  ``.xlsx``;
- ``names``: defined name -> value (a list for a column range), typed into the cells
  the name refers to: a number with ``setValue``, text with ``setString``, and
  ``{"typed": "..."}`` through ``setFormula`` (what typing into the cell does: "25%",
  "2026-03-01" and "=..." are read as a percentage, a date and a formula);
- ``cells``: ``[sheet, "B5", value]`` entries typed the same way at a place, after the
  names (a formula here is an edit of the template's own, the sheet unprotected first,
  as a person would have to);
- ``redirect``: defined name -> the range it should refer to instead (``$Score.$B$20``),
  as Sheet > Named Ranges > Manage does;
- ``macro``: Basic source stored as the document's ``Standard.Module1`` (Tools > Macros);
- ``password``: save with this password (File > Save As > Save with password).

Prints one line per saved file. Exit code 0 when every job was saved.
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

FILTERS = {".ods": "calc8", ".xlsx": "Calc MS Excel 2007 XML"}


def _props(**kwargs: object) -> tuple[object, ...]:
    out = []
    for key, value in kwargs.items():
        p = PropertyValue()
        p.Name, p.Value = key, value
        out.append(p)
    return tuple(out)


def _connect(pipe: str, proc: subprocess.Popen[bytes]) -> object:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + 60
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop",
                                                                ctx)
        except Exception:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _type(cell: object, value: object) -> None:
    if isinstance(value, dict) and "typed" in value:
        cell.setFormula(str(value["typed"]))
    elif value is None or value == "":
        cell.setString("")
    elif isinstance(value, bool):
        cell.setFormula("TRUE" if value else "FALSE")
    elif isinstance(value, int | float):
        cell.setValue(float(value))
    else:
        cell.setString(str(value))


def _fill(doc: object, job: dict[str, object]) -> None:
    ranges = doc.NamedRanges
    for name, value in dict(job.get("names", {})).items():
        if not ranges.hasByName(name):
            continue
        cells = ranges.getByName(name).getReferredCells()
        if isinstance(value, list):
            rows = cells.getRows().getCount()
            for i in range(rows):
                _type(cells.getCellByPosition(0, i), value[i] if i < len(value) else None)
        else:
            _type(cells.getCellByPosition(0, 0), value)
    sheets = doc.Sheets
    for sheet_name, ref, value in list(job.get("cells", [])):
        sheet = sheets.getByName(sheet_name)
        if sheet.isProtected():
            sheet.unprotect("")
        _type(sheet.getCellRangeByName(ref), value)
    for name, content in dict(job.get("redirect", {})).items():
        ranges.getByName(name).setContent(content)
    if job.get("macro"):
        libraries = doc.BasicLibraries
        if not libraries.hasByName("Standard"):
            libraries.createLibrary("Standard")
        libraries.loadLibrary("Standard")
        standard = libraries.getByName("Standard")
        if standard.hasByName("Module1"):
            standard.replaceByName("Module1", str(job["macro"]))
        else:
            standard.insertByName("Module1", str(job["macro"]))
    doc.calculateAll()


def main() -> int:
    jobs = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))["jobs"]
    with tempfile.TemporaryDirectory(prefix="aijri-uno-") as tmp:
        pipe = f"aijri_uno_{os.getpid()}"
        profile = Path(tmp, "profile").resolve().as_uri()
        proc = subprocess.Popen(
            ["soffice", f"-env:UserInstallation={profile}", "--headless", "--invisible",
             "--norestore", "--nolockcheck", "--nodefault", "--nologo",
             f"--accept=pipe,name={pipe};urp;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ,
                                                                       "HOME": tmp})
        failed = 0
        try:
            desktop = _connect(pipe, proc)
            for job in jobs:
                url = Path(job["template"]).resolve().as_uri()
                doc = desktop.loadComponentFromURL(url, "_blank", 0, _props(Hidden=True))
                try:
                    _fill(doc, job)
                    for out in job["outputs"]:
                        target = Path(out).resolve()
                        extra = {"Password": job["password"]} if job.get("password") else {}
                        doc.storeToURL(target.as_uri(), _props(
                            FilterName=FILTERS[target.suffix.lower()], Overwrite=True,
                            **extra))
                        print(f"saved {target}", flush=True)
                except Exception as exc:  # one bad job is reported, the rest go on
                    failed += 1
                    print(f"FAILED {job['template']}: {exc}", file=sys.stderr, flush=True)
                finally:
                    doc.close(True)
            with contextlib.suppress(Exception):  # the bridge goes away as soffice exits
                desktop.terminate()
        finally:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
