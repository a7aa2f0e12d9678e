"""Seeded random assessments for the workbook tests, and a LibreOffice fixture helper.

A seeded generator (not Hypothesis) because the LibreOffice tests recalculate every case
in one LibreOffice call: the cases must exist before the engine runs.
"""

from __future__ import annotations

import os
import random
import subprocess
from pathlib import Path

import openpyxl
import pytest
from strategies import tie_and_boundary_cases

from aijri_xl.catalogue.samples import random_assessments
from aijri_xl.method import default_task_class
from aijri_xl.method.model import Assessment
from aijri_xl.workbook.bindings import input_values
from aijri_xl.workbook.libreoffice import soffice


def engine_cases(count: int = 200, seed: int = 20261121) -> list[Assessment]:
    """``count`` random assessments plus every hand-picked boundary and tie case."""
    return random_assessments(count, seed) + tie_and_boundary_cases()


def require_libreoffice() -> str:
    """The soffice path; without LibreOffice the test fails under CI and skips elsewhere."""
    path = soffice()
    if path is None:
        message = ("LibreOffice Calc (soffice) is not installed: apt-get install "
                   "libreoffice-calc-nogui")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def printed_line(pdf: Path, label: str) -> str:
    """The line of a PDF LibreOffice printed that starts with ``label``, laid out as on
    the page (what a person reads there)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return next(x for x in text.splitlines() if x.strip().startswith(label))


def score_randomly(a: Assessment, rng: random.Random) -> None:
    """Score a draft (a template's tasks) with valid random inputs, as an assessor would."""
    for t in a.tasks:
        t.score = rng.randint(1, 5)
        t.task_class = default_task_class(t.score)
    for block in (a.protective, a.evidence, a.barriers):
        for item in block.values():
            item.score = rng.randint(0, 2)
    a.growth.correlation = rng.randint(-2, 2)


def fill_by_name(template: Path, target: Path, a: Assessment) -> None:
    """Type an assessment's inputs into a template by defined name, as a script would."""
    wb = openpyxl.load_workbook(template)
    for name, value in input_values(a).items():
        defined = wb.defined_names.get(name)
        if defined is None:
            continue
        ((sheet, ref),) = list(defined.destinations)
        cells = wb[sheet][ref.replace("$", "")]
        if isinstance(cells, tuple):  # a column range: one value per row
            column = [row[0] for row in cells]
            for i, cell in enumerate(column):
                cell.value = value[i] if i < len(value) else None
        elif value not in (None, ""):
            cells.value = value
    wb.save(target)
