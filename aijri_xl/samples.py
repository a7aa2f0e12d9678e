"""Random valid assessments, for tests, benchmarks and demonstration portfolios.

Seeded and deterministic: the same seed gives the same assessments on every machine.
"""

from __future__ import annotations

import random

from .excel_math import percent_to_fraction
from .method import BARRIERS, EVIDENCE, PROTECTIVE, TASK_CLASSES, default_task_class
from .model import Assessment, Growth, Override, RoleDefinition, Scored, Task


def random_assessment(rng: random.Random, title: str | None = None) -> Assessment:
    """A valid assessment: 1-30 tasks whose shares (0-2 decimals) sum to exactly 100%,
    any scores, sometimes a class off the default mapping, sometimes an override."""
    n = rng.randint(1, 30)
    grain = rng.choice((1, 10, 100))  # basis points per step: shares with 2, 1 or 0 decimals
    slots = 10_000 // grain
    n = min(n, slots)
    cuts = sorted(rng.sample(range(1, slots), n - 1))
    shares = [(b - a) * grain for a, b in zip([0, *cuts], [*cuts, slots], strict=True)]
    tasks = []
    for i, basis_points in enumerate(shares):
        task_score = rng.randint(1, 5)
        task_class = default_task_class(task_score) if rng.random() < 0.85 else \
            rng.choice(TASK_CLASSES)
        share = percent_to_fraction(f"{basis_points / 100:.2f}")
        tasks.append(Task(name=f"Task {i + 1}", time=share, score=task_score,
                          task_class=task_class))
    override = None
    if rng.random() < 0.2:
        override = Override(round(rng.uniform(0, 100), 1), "Assessor judgement (sample)")
    growth = rng.randint(-2, 2)
    return Assessment(
        role=RoleDefinition(title=title or f"Sample role {rng.randint(1, 10**6)}"),
        protective={d.key: Scored(rng.randint(0, 3)) for d in PROTECTIVE},
        growth=Growth(growth),
        tasks=tasks,
        evidence={d.key: Scored(rng.randint(-2, 2)) for d in EVIDENCE},
        barriers={d.key: Scored(rng.randint(0, 2)) for d in BARRIERS},
        override=override or Override(),
    )


def random_assessments(count: int, seed: int = 20261121) -> list[Assessment]:
    rng = random.Random(seed)
    return [random_assessment(rng) for _ in range(count)]
