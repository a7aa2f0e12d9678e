"""The workbook's own checks against the verifier's: one more check of a workbook.

A workbook this package writes checks its inputs with formulas (its status line, the
Checks sheet, a Check column beside the inputs; see
:mod:`aijri_xl.workbook.check_layout`). What those cells show, as the program that last
saved the file computed them, must agree with what the verifier finds:

- every problem (or warning) a check cell reports, by its code, is one the verifier
  reports too, on the same sheet and row where it names a cell;
- the workbook does not say "Complete" (no problems) while the verifier finds errors of
  the input rules, nor show no warning while the verifier warns.

Any disagreement is an AIJ-X327 finding at the check cell: the workbook tells a person
something that is not true (a check formula edited, a stale cached value, or a bug).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from aijri_xl.method.findings import CODES, Finding, Place
from aijri_xl.method.loaded import Loaded
from aijri_xl.workbook.check_rules import PROBLEM, WARNING
from aijri_xl.workbook.layout import Layout
from aijri_xl.workbook.xlsx import WorkbookData, iter_name_refs

_CODE = re.compile(r"\[(AIJ-[A-Z]\d{3})\]$")
_PLACE = re.compile(r"^'?([^'!]+)'?!\$?([A-Z]{1,3})\$?(\d+)$")
INPUT_RULES = frozenset({"AIJ-E001", "AIJ-E002", "AIJ-E003", "AIJ-E004", "AIJ-E005",
                         "AIJ-E006", "AIJ-E007", "AIJ-E008", "AIJ-E009", "AIJ-E010"})
"""The §5 input errors the workbook's checks decide (the others need the whole file)."""
INPUT_WARNINGS = frozenset({"AIJ-W020", "AIJ-W021", "AIJ-W022"})
TABLE_CODES = frozenset({"AIJ-E004", "AIJ-E005", "AIJ-W022", "AIJ-X305"})
"""Codes about the task table as a whole, matched by code alone: the workbook marks
every row of a duplicate pair, the verifier the later one; a row without formulas is
named by the table check and by the verifier at the row's formula cells."""


def _place(where: str | None) -> tuple[str, int] | None:
    m = _PLACE.match(where or "")
    return (m.group(1), int(m.group(3))) if m else None


def _finding_place(f: Finding) -> tuple[str, int] | None:
    """(sheet, row) of a finding: from its place's parts, else its text (a defined
    name or a range gives ``None``: the finding is about the whole table)."""
    if f.place is not None and f.place.sheet and f.place.cell:
        m = re.match(r"^\$?[A-Z]{1,3}\$?(\d+)$", f.place.cell)
        return (f.place.sheet, int(m.group(1))) if m else None
    return _place(str(f.where) if f.where is not None else None)


def _cell_place(where: str) -> Place:
    sheet, _, cell = where.partition("!")
    return Place(sheet=sheet, cell=cell)


def _agrees(place: tuple[str, int] | None, sheet: str, row: int) -> bool:
    """A verifier finding at ``place`` is the one a check cell at (sheet, row) reports:
    on the Tasks sheet, the same row; elsewhere the same sheet (a check may name the
    override while the verifier names its justification)."""
    if place is None or place[0] != sheet:
        return False
    return place[1] == row if sheet == "Tasks" else True


def _named_value(data: WorkbookData, name: str) -> Any:
    target = data.names.get(name)
    parts = list(iter_name_refs(target)) if target else []
    if len(parts) != 1 or parts[0][0] not in data.sheets:
        return None
    return data.cell(*parts[0]).value


def _reported(data: WorkbookData, lay: Layout) -> Iterable[tuple[str, str, str]]:
    """(cell, code, message) of every check cell that reports a problem or warning
    (the Check columns and table checks; the Checks sheet only repeats them)."""
    for cell in lay.cells:
        if cell.fmt != "check" or cell.formula is None or cell.sheet == "Checks" \
                or cell.ref == "A3" or cell.sheet not in data.sheets:
            continue
        value = data.cell(cell.sheet, cell.ref).value
        if isinstance(value, str) and value.startswith((PROBLEM, WARNING)):
            m = _CODE.search(value.strip())
            if m:
                yield f"{cell.sheet}!{cell.ref}", m.group(1), value


def agreement_findings(loaded: Loaded, findings: list[Finding]) -> list[Finding]:
    """AIJ-X327 for each disagreement between the workbook's check cells (their cached
    values) and ``findings`` (what the verifier found); none when the workbook carries
    no computed status (a file saved by a program that does not calculate)."""
    data: WorkbookData | None = loaded.extra.get("workbook")
    lay: Layout | None = loaded.extra.get("layout")
    if data is None or lay is None:
        return []
    status = _named_value(data, "check_status")
    if not isinstance(status, str) or not status.strip():
        return []
    out: list[Finding] = []
    found = [f for f in findings if f.code in INPUT_RULES | INPUT_WARNINGS | TABLE_CODES]
    for where, code, message in _reported(data, lay):
        sheet, row = _place(where) or ("", 0)
        same = [f for f in found if f.code == code]
        located = [f for f in same if _finding_place(f) is not None]
        if same and (not located or any(_agrees(_finding_place(f), sheet, row) for f in located)
                     or code in TABLE_CODES):
            continue
        out.append(Finding("AIJ-X327", f"{where}: the workbook's check reports "
                           f"{message.strip()!r}, but the verifier finds no {code} "
                           f"({CODES[code].title}) there", where=_cell_place(where),
                           actual=message))
    problems = _number(_named_value(data, "check_problems"))
    warnings = _number(_named_value(data, "check_warnings"))
    errors = [f for f in found if f.code in INPUT_RULES]
    if problems == 0 and errors:
        first = errors[0]
        out.append(Finding("AIJ-X327", f"the workbook's status says {status!r}, but the "
                           f"verifier finds {len(errors)} input problem(s), the first "
                           f"{first.code} at {first.where}: {first.message}",
                           where=_status_place(data), actual=status))
    warned = [f for f in found if f.code in INPUT_WARNINGS]
    if problems == 0 and warnings == 0 and warned:
        first = warned[0]
        out.append(Finding("AIJ-X327", f"the workbook's status says {status!r} without a "
                           f"warning, but the verifier warns: {first.code} at {first.where}: "
                           f"{first.message}", where=_status_place(data), actual=status))
    return out


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) \
        else None


def _status_place(data: WorkbookData) -> Place | str:
    target = data.names.get("check_status") or "check_status"
    parts = list(iter_name_refs(target))
    if len(parts) != 1:
        return target
    return Place(sheet=parts[0][0], cell=parts[0][1].replace("$", ""))
