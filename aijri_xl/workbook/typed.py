"""Reading what a person typed: the task table through its defined names, and text in a
number cell named at that cell.

Two narrow hooks for :mod:`aijri_xl.workbook.reader`:

- :func:`task_rows_from_names`: the task row count from the ``task_time`` name, which a
  spreadsheet program keeps pointing at the table when rows are deleted, inserted or
  sorted (a fixed ``Total`` row is only the fallback);
- :func:`take_text_numbers` and :func:`text_number_findings`: a number typed as text
  (``'2``, a pasted "25%", "three") is nothing to a spreadsheet's formulas, so the
  reader must not read it as a number either (the workbook would compute one result and
  the verifier another); it is taken out before the inputs are read and reported at its
  cell, with the fix.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from aijri_xl._record import dataclass
from aijri_xl.method.findings import Finding, Place
from aijri_xl.workbook.layout import TASK_FIRST_ROW, Layout
from aijri_xl.workbook.xlsx import WorkbookData, iter_name_refs, split_ref

NUMBER_FORMATS = frozenset({"int", "pct", "score", "num2", "num4"})


TASK_COLUMN_NAMES = ("task_name", "task_time", "task_score", "task_class", "task_rationale")


def _span(data: WorkbookData, name: str) -> tuple[int, int] | None:
    target = data.names.get(name)
    parts = list(iter_name_refs(target)) if target else []
    if len(parts) != 1 or parts[0][0] != "Tasks" or ":" not in parts[0][1]:
        return None
    start, end = parts[0][1].replace("$", "").split(":")
    try:
        (r0, c0), (r1, c1) = split_ref(start), split_ref(end)
    except ValueError:
        return None
    return (r0, r1) if c0 == c1 and r1 >= r0 else None


def task_rows_from_names(data: WorkbookData) -> int | None:
    """Task rows from the task columns' defined names, when they all span the same rows
    from the table's first row (``None`` otherwise: a name edited on its own is a
    finding, not a new table size)."""
    spans = {_span(data, name) for name in TASK_COLUMN_NAMES}
    if len(spans) != 1:
        return None
    span = spans.pop()
    if span is None or span[0] != TASK_FIRST_ROW:
        return None
    return span[1] - span[0] + 1


@dataclass(frozen=True, slots=True)
class TextNumber:
    name: str
    index: int | None
    cell: str
    text: str
    fmt: str


def take_text_numbers(values: dict[str, Any], cells: Mapping[str, list[str]],
                      lay: Layout) -> list[TextNumber]:
    """Blank out (in ``values``) every text found in a number input, and return them."""
    found: list[TextNumber] = []
    for cell in lay.cells:
        if cell.kind != "input" or cell.name is None or cell.fmt not in NUMBER_FORMATS:
            continue
        value = values.get(cell.name)
        items = value if cell.is_range and isinstance(value, list) else [value]
        refs = cells.get(cell.name, [])
        for i, item in enumerate(items):
            if isinstance(item, str) and item.strip():
                where = refs[i] if i < len(refs) else cell.absolute
                found.append(TextNumber(cell.name, i if cell.is_range else None, where,
                                        item, cell.fmt))
                if cell.is_range:
                    items[i] = None
                else:
                    values[cell.name] = None
    return found


def _as_number(text: str) -> Decimal | None:
    cleaned = text.strip().replace("\u2212", "-").replace(",", ".")
    percent = cleaned.endswith("%")
    try:
        number = Decimal(cleaned.rstrip("%").strip())
    except InvalidOperation:
        return None
    return number / 100 if percent else number


def _fix(t: TextNumber) -> str:
    if t.text.startswith("#"):
        return "it holds the error value " + t.text + ": clear the cell and type a number"
    number = _as_number(t.text)
    if number is None:
        kind = "a percentage, e.g. 25%" if t.fmt == "pct" else "a number"
        return f"type {kind} instead"
    if t.fmt == "pct":
        shown = f"{float(number * 100) if abs(number) <= 1 else float(number):g}%"
        return (f"it looks like {shown} but is text: retype {shown} in the cell (or use "
                "Data > Text to Columns on the column)")
    return (f"it looks like {float(number):g} but is text: retype {float(number):g} in the cell (a "
            "leading apostrophe or a paste from another program makes text)")


def _place(cell: str) -> Place | str:
    sheet, _, ref = cell.partition("!")
    return Place(sheet=sheet, cell=ref) if ref else cell


def text_number_findings(found: list[TextNumber], where: Mapping[str, str]) -> list[Finding]:
    """One AIJ-E002 per text in a number cell, on the field the cell holds (so that the
    rule the missing value would break is not reported again in other words)."""
    field_of = {cell: path for path, cell in where.items()}
    return [Finding("AIJ-E002", f"{t.cell} holds the text {t.text!r}, not a number: "
                    f"spreadsheet formulas count it as nothing; {_fix(t)}",
                    where=_place(t.cell),
                    field=field_of.get(t.cell, t.name), expected="number", actual=t.text)
            for t in found]
