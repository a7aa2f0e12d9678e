"""The workbook's check formulas and their Python twins give the same values: the cached
values the writer stores, formualizer's evaluation, and LibreOffice's recalculation, on
random assessments and on assessments with each slip a build can hold."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from workbook_cases import require_libreoffice

from aijri_xl.catalogue.samples import random_assessments
from aijri_xl.method.model import Assessment
from aijri_xl.workbook.layout import layout, task_rows_for
from aijri_xl.workbook.libreoffice import recalculate
from aijri_xl.workbook.writer import write_workbook
from aijri_xl.workbook.xlsx import read_xlsx, split_ref


def _slips(seed: int = 12) -> list[Assessment]:
    """Assessments with the slips a build lets through (they are not out of range or
    mistyped): missing inputs, shares off 100%, a task without a class or score,
    duplicate names, an unjustified or far override, a growth check that differs."""
    rng = random.Random(seed)
    out = []
    for i, a in enumerate(random_assessments(12, seed)):
        kind = i % 6
        if kind == 0 and a.tasks:
            a.tasks[0].time = (a.tasks[0].time or 0) + 0.05
        elif kind == 1 and a.tasks:
            a.tasks[-1].task_class = None
        elif kind == 2 and len(a.tasks) > 1:
            a.tasks[1].name = a.tasks[0].name.upper()
        elif kind == 3:
            a.override.score = round(rng.uniform(0, 100), 1)
            a.override.justification = ""
        elif kind == 4:
            a.growth.check = ((a.growth.correlation or 0) + 3) % 5 - 2
        else:
            a.tasks[0].score = None
        out.append(a)
    return [*out, Assessment()]


CASES = random_assessments(20, 20261202) + _slips()


def _check_cells(rows: int) -> list[tuple[str, str]]:
    return [(c.sheet, c.ref) for c in layout(rows).cells
            if c.formula is not None and (c.fmt == "check" or (c.name or "").startswith(
                "check_"))] + [("Summary", "B4"), ("Summary", "B5")]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> list[tuple[Path, int]]:
    out = tmp_path_factory.mktemp("checks")
    return [(write_workbook(a, out / f"c{i:03d}.xlsx"), task_rows_for(len(a.tasks)))
            for i, a in enumerate(CASES)]


def _same(a: object, b: object) -> bool:
    if a in (None, "") and b in (None, ""):
        return True
    if isinstance(a, int | float) and isinstance(b, int | float):
        return float(a) == float(b)
    return a == b


def test_formualizer_computes_every_check_as_cached(built):
    import formualizer

    for path, rows in built:
        raw = path.read_bytes()
        data = read_xlsx(raw)
        wb = formualizer.Workbook.from_bytes(raw)
        wb.evaluate_all()
        for sheet, ref in _check_cells(rows):
            r, c = split_ref(ref)
            mine, cached = wb.get_value(sheet, r, c + 1), data.cell(sheet, ref).value
            assert _same(mine, cached), f"{path.name} {sheet}!{ref}: {mine!r} vs {cached!r}"


def test_libreoffice_computes_every_check_as_cached(built, tmp_path):
    require_libreoffice()
    again = recalculate([p for p, _ in built], tmp_path)
    for (path, rows), other in zip(built, again, strict=True):
        mine, theirs = read_xlsx(path.read_bytes()), read_xlsx(other.read_bytes())
        for sheet, ref in _check_cells(rows):
            a, b = mine.cell(sheet, ref).value, theirs.cell(sheet, ref).value
            assert _same(a, b), f"{path.name} {sheet}!{ref}: cached {a!r}, LibreOffice {b!r}"


def test_the_status_names_the_first_problem_and_counts_the_rest(built):
    statuses = [read_xlsx(p.read_bytes()).cell("Summary", "B4").value for p, _ in built]
    assert statuses[-1].startswith("Check: Role: job title missing (and ")
    slipped = statuses[20:-1]
    assert any("time shares sum to" in s for s in slipped)
    assert any("no Aug/Disp class" in s for s in slipped)
    assert any(s.startswith("Complete, with") and "same name" in s for s in slipped)
    assert any("override without a justification" in s for s in slipped)
    assert any("differs from the growth correlation" in s for s in slipped)
    assert all(s == "Complete" or s.startswith("Complete, with") for s in statuses[:20])
