""""Verify this workbook": an xlwings script that checks the open assessment workbook.

It reads the workbook from Excel (:func:`aijri_xl.excel.book.workbook_data`: each
sheet's values and the defined names) and runs ``aijri verify``'s own checks on it
(:func:`aijri_xl.excel.book.verify_data`): the identity names, the contract's sheets and
defined names at the layout's cells, the parameters, every input rule of §5 and every
result cell against the reference engine, each finding at its cell, with the same code
and message as ``aijri verify``. Formula integrity, macros and the independent formula
evaluation need the file itself (:data:`aijri_xl.excel.book.NEEDS_THE_FILE`): ``aijri
verify FILE`` checks those.

It writes the verdict and the findings (code, severity, where, message) to the sheet
``AIJRI Verify``, created or cleared. :func:`verify_book` works on any xlwings Book: in
xlwings Lite and xlwings Server through the ``@script`` :func:`verify_workbook`, on
Windows from VBA with ``RunPython "import aijri_xl.xlwings_verify as v; v.verify_caller()"``.
"""

from __future__ import annotations

from typing import Any

import xlwings as xw

from aijri_xl.excel.book import verify_data, workbook_data
from aijri_xl.method.findings import SEVERITY_ORDER, Finding, verdict
from aijri_xl.method.parameters import METHOD

VERIFY_SHEET = "AIJRI Verify"
"""The sheet the script writes its findings to."""


def verify_book_findings(book: Any) -> list[Finding]:
    """The findings for an open workbook, most severe first (as ``aijri verify`` lists
    them within a severity)."""
    findings = verify_data(workbook_data(book), getattr(book, "name", "workbook")).findings
    return sorted(findings, key=lambda f: -SEVERITY_ORDER[f.severity])


def findings_table(findings: list[Finding]) -> list[list[Any]]:
    """The rows the script writes: a verdict line, then code, severity, where, message."""
    errors = sum(f.severity == "error" for f in findings)
    warnings = sum(f.severity == "warning" for f in findings)
    rows: list[list[Any]] = [
        ["Verdict", verdict(findings), f"{errors} error(s), {warnings} warning(s)",
         f"aijri verify's checks against the {METHOD} reference engine, on the values "
         "Excel holds; formulas and macros: run 'aijri verify' on the file"],
        [None, None, None, None],
        ["Code", "Severity", "Where", "Message"],
    ]
    rows += [[f.code, f.severity, f.where or "", f.message] for f in findings]
    return rows


def write_findings(book: Any, findings: list[Finding]) -> Any:
    """Write the findings to the ``AIJRI Verify`` sheet (created, or cleared first)."""
    names = [s.name for s in book.sheets]
    if VERIFY_SHEET in names:
        sheet = book.sheets[VERIFY_SHEET]
        sheet.clear_contents()
    else:
        sheet = book.sheets.add(name=VERIFY_SHEET, after=book.sheets[len(names) - 1])
    sheet["A1"].value = findings_table(findings)
    return sheet


def verify_book(book: Any) -> list[Finding]:
    """Verify an open workbook and write the findings to its ``AIJRI Verify`` sheet."""
    findings = verify_book_findings(book)
    write_findings(book, findings)
    return findings


@xw.script(name="Verify this workbook")
def verify_workbook(book: xw.Book) -> None:
    """Check the AIJRI assessment in this workbook against the reference engine and list
    the findings on the sheet 'AIJRI Verify'."""
    verify_book(book)


def verify_caller() -> list[Finding]:
    """For the Windows add-in: ``RunPython "import aijri_xl.xlwings_verify as v;
    v.verify_caller()"`` verifies the workbook the button is in."""
    return verify_book(xw.Book.caller())


__all__ = ["VERIFY_SHEET", "findings_table", "verify_book", "verify_book_findings",
           "verify_caller", "verify_workbook", "write_findings"]
