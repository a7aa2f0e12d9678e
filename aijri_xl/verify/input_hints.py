"""The fix, added to an out-of-range finding at a workbook cell, for the two slips a
spreadsheet makes easy: a percentage typed as a whole number (25 for 25%, which Excel
stores as 25, i.e. 2500%) and a date where a number belongs (Excel turns "1/2" or "3-4"
into a date, stored as a day count like 46024)."""

from __future__ import annotations

from aijri_xl._record import replace
from aijri_xl.method.findings import Finding

DATE_FROM = 10_000
"""A day count this large is a date after 1927: not a score or a share anyone meant."""


def _hint(f: Finding) -> str:
    value = f.actual
    if not isinstance(value, int | float) or isinstance(value, bool):
        return ""
    field = f.field or ""
    if value >= DATE_FROM:
        return (f" {value:g} looks like a date: Excel or LibreOffice turned what was typed "
                "into one. Clear the cell (Home > Clear > Formats too) and type the number.")
    if field.endswith(".time") and 1 < value <= 100:
        return (f" A share typed as the whole number {value:g} is {value * 100:g}%: type "
                f"{value:g}% (or {value / 100:g}).")
    return ""


def with_fixes(findings: list[Finding]) -> list[Finding]:
    """``findings`` with the fix appended to each AIJ-E003 it applies to."""
    out = []
    for f in findings:
        at_cell = f.place is not None and f.place.cell is not None
        hint = _hint(f) if f.code == "AIJ-E003" and (at_cell or "!" in str(f.where or "")) \
            else ""
        out.append(replace(f, message=f.message + hint) if hint else f)
    return out
