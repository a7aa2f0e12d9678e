"""The independent evaluation keeps formualizer's workbook for the next workbook of the same
plan (``evaluator._READY``): what it gives must be what a fresh workbook gives, whatever was
evaluated before, on one thread or several."""

from __future__ import annotations

import random
import threading
from pathlib import Path

import pytest

from aijri_xl.catalogue.samples import random_assessments
from aijri_xl.verify import evaluator
from aijri_xl.workbook.cells import CellData, WorkbookData
from aijri_xl.workbook.layout import Layout
from aijri_xl.workbook.reader import loaded_from_data
from aijri_xl.workbook.writer import write_workbook
from aijri_xl.workbook.xlsx import read_xlsx

Case = tuple[WorkbookData, Layout, list[tuple[str, str]]]


def _read(path: Path) -> Case:
    data = read_xlsx(path)
    lay = loaded_from_data(path, data).extra["layout"]
    return data, lay, [(c.sheet, c.ref) for c in lay.cells if c.kind == "result"]


def _edited(case: Case, rng: random.Random) -> Case:
    """The case with some of the cells the formulas read changed: emptied, made text, made
    another number (the formulas stay the template's, so the plan is the same)."""
    data, lay, targets = case
    sheets = {}
    for name, sheet in data.sheets.items():
        cells = dict(sheet.cells)
        for ref, cell in sheet.cells.items():
            if cell.formula is None and isinstance(cell.value, float) and rng.random() < 0.4:
                cells[ref] = CellData(rng.choice([None, "", "n/a", rng.uniform(0, 5)]),
                                      None, False, cell.style)
        sheets[name] = type(sheet)(name, cells=cells, part=sheet.part)
    return WorkbookData(sheets, dict(data.names), styles=data.styles), lay, targets


def _without_sheet(case: Case) -> Case:
    """The case without a sheet whose cells the result formulas read: another plan (the
    sheet's template formulas are missing) whose formulas give #REF! where they read it,
    evaluated between workbooks that have the sheet."""
    data, lay, targets = case
    order = evaluator._template_order(lay)
    plan = evaluator._plan(tuple(data.cell(s, r).formula for s, r in order),
                           evaluator._name_set(tuple(sorted(data.names.items()))), lay,
                           tuple(targets))
    read = {s for s, *_ in plan.values} - {s for s, _ in targets}
    sheets = {name: sheet for name, sheet in data.sheets.items() if name != min(read)}
    return WorkbookData(sheets, dict(data.names), styles=data.styles), lay, targets


def _fresh(case: Case) -> dict:
    evaluator._READY.clear()
    try:
        return evaluator.evaluate(*case)
    finally:
        evaluator._READY.clear()


@pytest.fixture(scope="module")
def cases(tmp_path_factory) -> list[Case]:
    folder = tmp_path_factory.mktemp("reuse")
    rng = random.Random(7)
    base = [_read(write_workbook(a, folder / f"wb{i}.xlsx"))
            for i, a in enumerate(random_assessments(10, seed=31))]
    return base + [_edited(c, rng) for c in base] + [_without_sheet(base[0])]


def test_a_kept_workbook_gives_what_a_fresh_one_gives(cases):
    fresh = [_fresh(c) for c in cases]
    assert fresh[-1] != fresh[0]  # the sheet dropped changes what the formulas give
    order = list(range(len(cases))) * 3
    random.Random(11).shuffle(order)
    evaluator._READY.clear()
    kept_before = None
    reused = 0
    for i in order:
        assert evaluator.evaluate(*cases[i]) == fresh[i], f"case {i}"
        kept = {k: v[1] for k, v in evaluator._READY.items()}
        reused += kept_before is not None and any(
            kept_before.get(k) is wb for k, wb in kept.items())
        kept_before = kept
    assert reused > len(order) // 2  # the kept workbooks were used, not rebuilt
    assert len(evaluator._READY) <= evaluator._READY_ENTRIES


def test_threads_never_share_a_kept_workbook(cases):
    fresh = [_fresh(c) for c in cases]
    wrong: list[int] = []

    def work(seed: int) -> None:
        order = list(range(len(cases))) * 2
        random.Random(seed).shuffle(order)
        for i in order:
            if evaluator.evaluate(*cases[i]) != fresh[i]:
                wrong.append(i)

    threads = [threading.Thread(target=work, args=(s,)) for s in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wrong == []
