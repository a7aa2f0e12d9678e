"""Seeded random assessments for the workbook tests, and a LibreOffice fixture helper.

A seeded generator (not Hypothesis) because the LibreOffice tests recalculate every case
in one LibreOffice call: the cases must exist before the engine runs.
"""

from __future__ import annotations

import os

import pytest
from strategies import tie_and_boundary_cases

from aijri_xl.libreoffice import soffice
from aijri_xl.model import Assessment
from aijri_xl.samples import random_assessments


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
