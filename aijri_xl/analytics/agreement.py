"""Agreement between assessors who scored the same role.

Per block of scored inputs (task scores, evidence, barriers, growth; and all of them
pooled) two figures:

- the **mean absolute difference**: over every unit (a task, an evidence dimension, ...)
  and every pair of assessors who both scored it, the mean of ``|x − y|``, in score
  points;
- **Krippendorff's alpha, ordinal**: ``1 − D_o / D_e`` from the coincidence matrix of the
  ratings, with the ordinal distance between two values the squared count of ratings from
  one to the other (less half of each end's own), as Krippendorff (2011, "Computing
  Krippendorff's Alpha-Reliability") defines it. 1 is perfect agreement, 0 what chance
  gives, negative worse than chance. It is undefined (``None``) when every rating of the
  block is the same value (nothing to disagree on) or fewer than two ratings pair up.

Tasks are units by name (case and spacing folded, as the diff matches them); a task only
one assessor lists pairs with nobody and does not count.

Which inputs explain the difference in the final scores: for every pair of assessments,
the change from one to the other split by the attribution of :mod:`.attribution`; each
input's mean absolute part over the pairs, largest first, and the full split for the pair
furthest apart.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from itertools import combinations
from typing import Any

from aijri_xl._record import dataclass, field
from aijri_xl.analytics.attribution import (
    MAX_AGGREGATE_STATES,
    Attribution,
    AttributionError,
    attribute,
    score_diff,
    shapley_values,
)
from aijri_xl.analytics.diff import Diff
from aijri_xl.method import BARRIERS, EVIDENCE
from aijri_xl.method.engine import score
from aijri_xl.method.model import Assessment

Units = dict[str, dict[int, int]]
"""unit -> {assessor index: rating}"""


def krippendorff_alpha_ordinal(units: Sequence[Sequence[int | None]]) -> float | None:
    """Krippendorff's alpha with the ordinal metric; ``units`` lists, per unit, each
    assessor's rating (``None`` where an assessor gave none). Exact arithmetic, on
    integers: the coincidences scaled by the least common multiple ``L`` of the ``m − 1``
    of the units (each pair of a unit of ``m`` ratings adds ``L / (m − 1)``) and every
    distance by ``4 L²``, which leaves ``1 − (n − L) Σ o δ / Σ n_c n_d δ`` on the scaled
    counts: the same rational as the definition's."""
    pairable = [[v for v in u if v is not None] for u in units]
    pairable = [u for u in pairable if len(u) >= 2]
    values = sorted({v for u in pairable for v in u})
    if len(values) < 2:
        return None
    index = {v: i for i, v in enumerate(values)}
    k = len(values)
    scale = math.lcm(*(len(u) - 1 for u in pairable))
    o = [[0] * k for _ in range(k)]
    for u in pairable:
        m = len(u)
        share = scale // (m - 1)
        for a in range(m):
            row = o[index[u[a]]]
            for b in range(m):
                if a != b:
                    row[index[u[b]]] += share
    n_c = [sum(row) for row in o]
    n = sum(n_c)
    before = [0]
    for count in n_c:
        before.append(before[-1] + count)

    def delta(c: int, d: int) -> int:  # (2 × the distance's square root, scaled)**2
        lo, hi = min(c, d), max(c, d)
        return (2 * (before[hi + 1] - before[lo]) - n_c[lo] - n_c[hi]) ** 2

    observed = sum(o[c][d] * delta(c, d) for c in range(k) for d in range(k))
    expected = sum(n_c[c] * n_c[d] * delta(c, d) for c in range(k) for d in range(k))
    if expected == 0:
        return None
    return float(1 - Fraction((n - scale) * observed, expected))


def mean_absolute_difference(units: Sequence[Sequence[int | None]]) -> float | None:
    diffs = [abs(x - y) for u in units for x, y in combinations(
        [v for v in u if v is not None], 2)]
    return float(Fraction(sum(diffs), len(diffs))) if diffs else None


@dataclass(frozen=True, slots=True)
class BlockAgreement:
    block: str
    units: int
    pairs: int
    mean_absolute_difference: float | None
    alpha_ordinal: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"block": self.block, "units": self.units, "pairs": self.pairs,
                "mean_absolute_difference": self.mean_absolute_difference,
                "alpha_ordinal": self.alpha_ordinal}


@dataclass(frozen=True, slots=True)
class Explained:
    key: str
    label: str
    mean_abs_points: float
    pairs: int

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "mean_abs_points": self.mean_abs_points,
                "pairs": self.pairs}


@dataclass(slots=True)
class Agreement:
    assessors: list[str]
    final_scores: list[float]
    blocks: list[BlockAgreement]
    explained: list[Explained]
    widest: Attribution | None
    widest_pair: tuple[int, int] | None
    notes: list[str] = field(default_factory=list)

    @property
    def spread(self) -> float:
        from decimal import Decimal

        return float(Decimal(repr(max(self.final_scores)))
                     - Decimal(repr(min(self.final_scores))))

    def to_dict(self) -> dict[str, Any]:
        return {"assessors": self.assessors, "final_scores": self.final_scores,
                "spread": self.spread, "blocks": [b.to_dict() for b in self.blocks],
                "explained": [e.to_dict() for e in self.explained],
                "widest_pair": list(self.widest_pair) if self.widest_pair else None,
                "widest": self.widest.to_dict() if self.widest else None,
                "notes": self.notes}


def _norm(name: str) -> str:
    return " ".join(name.split()).casefold()


def block_units(assessments: Sequence[Assessment]) -> dict[str, list[list[int | None]]]:
    """The ratings of each block as units × assessors (``None`` where not rated)."""
    def table(units: Units) -> list[list[int | None]]:
        return [[u.get(i) for i in range(len(assessments))] for u in units.values()]

    tasks: Units = defaultdict(dict)
    evidence: Units = defaultdict(dict)
    barriers: Units = defaultdict(dict)
    growth: Units = defaultdict(dict)
    for i, a in enumerate(assessments):
        seen: set[str] = set()
        for t in a.tasks:
            key = _norm(t.name)
            if t.score is not None and key not in seen:
                tasks[key][i] = t.score
                seen.add(key)
        for d in EVIDENCE:
            if a.evidence[d.key].score is not None:
                evidence[d.key][i] = a.evidence[d.key].score  # type: ignore[assignment]
        for d in BARRIERS:
            if a.barriers[d.key].score is not None:
                barriers[d.key][i] = a.barriers[d.key].score  # type: ignore[assignment]
        if a.growth.correlation is not None:
            growth["growth"][i] = a.growth.correlation
    blocks = {"task scores": table(tasks), "evidence": table(evidence),
              "barriers": table(barriers), "growth": table(growth)}
    return blocks


def agreement(assessments: Sequence[Assessment], names: Sequence[str] | None = None,
              *, max_states: int = MAX_AGGREGATE_STATES) -> Agreement:
    """How far several assessments of one role agree (module docstring). Every one must
    be scorable (``AssessmentError`` otherwise). ``max_states`` bounds each pair's exact
    split where the cap binds (:func:`~.attribution.shapley_by_aggregates`); a pair over
    it is named in the notes."""
    if len(assessments) < 2:
        raise ValueError("agreement needs two or more assessments of the role")
    labels = list(names) if names is not None else [
        a.assessor or f"assessment {i + 1}" for i, a in enumerate(assessments)]
    finals = [score(a).final_score for a in assessments]
    blocks = []
    pooled: list[list[int | None]] = []
    for name, units in block_units(assessments).items():
        pooled += units
        blocks.append(_block(name, units))
    blocks.append(_block("all scored inputs", pooled))

    totals: dict[str, list[Fraction]] = defaultdict(list)
    label_of: dict[str, str] = {}
    notes = []
    widest: tuple[Decimal, Diff, tuple[int, int]] | None = None
    pairs = list(combinations(range(len(assessments)), 2))
    for i, j in pairs:
        lo, hi = (i, j) if finals[i] <= finals[j] else (j, i)
        d = score_diff(assessments[lo], assessments[hi])
        try:
            players, values, _, _ = shapley_values(d, max_states=max_states)
        except AttributionError as exc:
            notes.append(f"{labels[lo]} → {labels[hi]}: {exc}")
            continue
        for p in players:
            totals[p.key].append(abs(values[p.key]))
            label_of[p.key] = p.label
        change = abs(Decimal(repr(finals[hi])) - Decimal(repr(finals[lo])))
        if widest is None or change > widest[0]:
            widest = (change, d, (lo, hi))
    explained = sorted((Explained(k, label_of[k], float(sum(v, Fraction(0)) / len(pairs)),
                                  len(v)) for k, v in totals.items()),
                       key=lambda e: (-e.mean_abs_points, e.key))
    split = None if widest is None else attribute(widest[1], shifts=False,
                                                  max_states=max_states)
    return Agreement(labels, finals, blocks, explained, split,
                     None if widest is None else widest[2], notes)


def _block(name: str, units: list[list[int | None]]) -> BlockAgreement:
    paired = [u for u in units if sum(v is not None for v in u) >= 2]
    pairs = sum(len(list(combinations([v for v in u if v is not None], 2))) for u in paired)
    return BlockAgreement(name, len(paired), pairs, mean_absolute_difference(paired),
                          krippendorff_alpha_ordinal(paired))
