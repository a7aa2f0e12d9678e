"""The rule corpus: the worked example's workbook with one edit per consistency rule of
§5 (and the identity checks), as a person would type it into the cells.

Each case names the code it must raise. Both verifiers (``aijri verify`` and the
in-Excel script) and both copies of the functions (the package and the xlwings Lite
bundle) are run over it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import tamper

from aijri_xl.workbook.layout import layout
from aijri_xl.workbook.xlsx import split_ref

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "workbooks" / "hpc-developer.xlsx"
LAYOUT = layout()
TASK_COLUMNS = ("task_name", "task_time", "task_score", "task_class", "task_rationale")

Edit = tuple[str, int | None, Any]
"""(defined name, task index for a task column or None, the value typed; None clears)."""

RULES: list[tuple[str, str, list[Edit]]] = [
    ("E001 title missing", "AIJ-E001", [("role_title", None, None)]),
    ("E001 protective score missing", "AIJ-E001",
     [("protective_embodied_physicality", None, None)]),
    ("E001 class missing", "AIJ-E001", [("task_class", 2, None)]),
    ("E001 task name missing", "AIJ-E001", [("task_name", 4, None)]),
    ("E002 score as text", "AIJ-E002", [("task_score", 1, "three")]),
    ("E002 evidence half a point", "AIJ-E002", [("evidence_expert_consensus", None, 2.5)]),
    ("E003 task score 6", "AIJ-E003", [("task_score", 0, 6.0)]),
    ("E003 growth 3", "AIJ-E003", [("growth_correlation", None, 3.0)]),
    ("E003 override above 100", "AIJ-E003", [("override_score", None, 100.5)]),
    ("E003 time share above 100%", "AIJ-E003", [("task_time", 0, 1.5)]),
    ("E004 no tasks", "AIJ-E004",
     [(c, i, None) for c in TASK_COLUMNS for i in range(8)]),
    ("E005 times sum to 105%", "AIJ-E005", [("task_time", 0, 0.3)]),
    ("E006 time without score", "AIJ-E006", [("task_score", 3, None)]),
    ("E007 score without time", "AIJ-E007", [("task_time", 3, None)]),
    ("E008 override without justification", "AIJ-E008",
     [("override_score", None, 60.0), ("override_justification", None, None)]),
    ("E009 growth check differs", "AIJ-E009", [("growth_check", None, 2.0)]),
    ("E010 unknown class", "AIJ-E010", [("task_class", 0, "MAYBE")]),
    ("E011 another method", "AIJ-E011", [("method", None, "AIJRI-2.0")]),
    ("W020 class off the default", "AIJ-W020", [("task_class", 0, "DISPLACEMENT")]),
    ("W021 override far off", "AIJ-W021", [("override_score", None, 30.0)]),
    ("W022 duplicate task name", "AIJ-W022",
     [("task_name", 1, "MPI/distributed parallel code development")]),
    ("I401 override noted", "AIJ-I401", [("override_score", None, 55.0)]),
    ("X302 unknown template version", "AIJ-X302", [("template_version", None, "9")]),
]


def cell_of(name: str, index: int | None) -> tuple[str, str]:
    """The sheet and cell of a defined name (the task's row for a task column)."""
    cell = LAYOUT.by_name[name]
    first = cell.ref.split(":")[0]
    if index is None:
        return cell.sheet, first
    row, _col = split_ref(first)
    return cell.sheet, f"{first.rstrip('0123456789')}{row + index}"


def apply(data: bytes, edits: list[Edit]) -> bytes:
    for name, index, value in edits:
        sheet, ref = cell_of(name, index)
        data = tamper.set_value(data, sheet, ref, value)
    return data


def cases(example: bytes | None = None) -> Iterator[tuple[str, str, bytes]]:
    """Every rule case as (id, expected code, workbook bytes)."""
    good = example if example is not None else EXAMPLE.read_bytes()
    for case_id, code, edits in RULES:
        yield case_id, code, apply(good, edits)
