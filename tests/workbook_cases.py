"""Seeded random assessments for the workbook tests, and a LibreOffice fixture helper.

A seeded generator (not Hypothesis) because the LibreOffice tests recalculate every case
in one LibreOffice call: the cases must exist before the engine runs.
"""

from __future__ import annotations

import os
import random

import pytest
from strategies import build, tie_and_boundary_cases

from aijri_xl.libreoffice import soffice
from aijri_xl.method import TASK_CLASSES, default_task_class
from aijri_xl.model import Assessment


def random_assessment(rng: random.Random) -> Assessment:
    """A valid assessment: 1-30 tasks whose shares (0-2 decimals) sum to 100, any scores,
    sometimes a class off the default mapping, sometimes an override."""
    n = rng.randint(1, 30)
    grain = rng.choice((1, 10, 100))  # shares with 2, 1 or 0 decimals
    slots = 10_000 // grain
    n = min(n, slots)
    cuts = sorted(rng.sample(range(1, slots), n - 1))
    shares = [(b - a) * grain for a, b in zip([0, *cuts], [*cuts, slots], strict=True)]
    tasks = []
    for basis_points in shares:
        task_score = rng.randint(1, 5)
        cls = default_task_class(task_score) if rng.random() < 0.85 else rng.choice(
            TASK_CLASSES)
        tasks.append((f"{basis_points / 100:.2f}", task_score, cls))
    override = round(rng.uniform(0, 100), 1) if rng.random() < 0.2 else None
    return build(
        tasks,
        protective=[rng.randint(0, 3) for _ in range(3)],
        growth=rng.randint(-2, 2),
        evidence=[rng.randint(-2, 2) for _ in range(5)],
        barriers=[rng.randint(0, 2) for _ in range(5)],
        override=override,
        title=f"Random role {rng.randint(1, 10**6)}",
    )


def engine_cases(count: int = 200, seed: int = 20261121) -> list[Assessment]:
    """``count`` random assessments plus every hand-picked boundary and tie case."""
    rng = random.Random(seed)
    return [random_assessment(rng) for _ in range(count)] + tie_and_boundary_cases()


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
