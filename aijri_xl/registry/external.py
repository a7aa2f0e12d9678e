"""External calibration of a register: finished scores against the published evidence.

For every assessment with an O*NET-SOC occupation code (``occupation_code``), the register
looks up the occupation's published exposure in GPTs-are-GPTs (beta, from GPT-4 and from
the human annotators) and its AI applicability in "Working with AI"
(:mod:`aijri_xl.occupations`), and then:

- the **Spearman rank correlation** of final score against each of the three, across the
  register's scored assessments that have the figure (``None`` below
  :data:`MIN_FOR_CORRELATION`). A resilience score and an exposure measure are expected to
  run opposite ways (a negative rho), but they measure different things;
- **``AIJ-R504``**, a prompt to review, never a rule: an assessment whose final score sits
  far from where the assessments of similar exposure sit. The rule, robust and rank-based:

  1. exposure is the mean of the occupation's GPT-4 and human beta (each is one reading
     of the same rubric; their mean is steadier than either);
  2. the register's trend is the Theil-Sen slope of final score on exposure (the median
     of the slopes between every two assessments of different exposure);
  3. an assessment's *peers* are the :data:`PEERS` other scored assessments nearest to it
     in exposure (ties by register order); its *expected* score is the median of their
     final scores, each moved along the trend to its own exposure (so that an assessment
     at the edge of the range is not compared with peers all on one side), and its
     *residual* the final score minus that;
  4. the residuals' spread is their median absolute deviation from their median, times
     1.4826 (the normal-consistent MAD), at least :data:`MIN_SPREAD` points;
  5. the flag is raised when the residual exceeds :data:`THRESHOLD` spreads and
     :data:`MIN_GAP` points, and only in a register with at least :data:`MIN_FOR_FLAG`
     assessments that have exposure figures.

Medians, not means or least squares, so that one outlier moves neither the trend, nor its
peers' expectation, nor the spread it is measured by. Exposure figures judge 2023-era
feasibility, not outcomes: a flag says "look again", and a well-argued score stays where
it is.
"""

from __future__ import annotations

import statistics
from typing import Any

from aijri_xl._record import dataclass

__all__ = ["EXTERNAL_FIELDS", "ExternalReference", "Placement", "external_reference",
           "place", "spearman", "theil_sen_slope"]

PEERS = 7
"""Peers of similar exposure an assessment is compared with (``AIJ-R504``)."""
THRESHOLD = 3.0
"""Robust spreads (scaled MAD) from the peers' median beyond which ``AIJ-R504`` is raised."""
MIN_GAP = 15.0
"""Points from the peers' median below which ``AIJ-R504`` is never raised."""
MIN_SPREAD = 3.0
"""The smallest spread (points) residuals are measured in, so that a very uniform register
does not flag small differences."""
MIN_FOR_FLAG = 10
"""Assessments with exposure figures a register needs before ``AIJ-R504`` is considered."""
MIN_FOR_CORRELATION = 3
"""Pairs a rank correlation needs."""

EXTERNAL_FIELDS = ("occupation_code", "occupation", "gpt4_beta", "human_beta",
                   "ai_applicability", "exposure", "peer_median", "residual")
"""The per-assessment calibration columns of the register (JSON, CSV and the workbook)."""


@dataclass(frozen=True, slots=True)
class ExternalReference:
    """The published figures of an assessment's occupation."""

    code: str
    occupation: str
    gpt4_beta: float | None
    human_beta: float | None
    ai_applicability: float | None

    @property
    def exposure(self) -> float | None:
        """The mean of the GPT-4 and human beta (``None`` without both)."""
        if self.gpt4_beta is None or self.human_beta is None:
            return None
        return (self.gpt4_beta + self.human_beta) / 2


def external_reference(code: str | None) -> ExternalReference | None:
    """The published figures of an O*NET-SOC code; ``None`` for no code or an unknown one.
    The occupation data is read only here, on the first assessment with a code."""
    if not code or not code.strip():
        return None
    from aijri_xl import occupations

    try:
        ref = occupations.references(code)
    except occupations.OccupationError:
        return None
    e = ref.exposure
    return ExternalReference(ref.occupation.code, ref.occupation.title,
                             e.gpt4_beta if e else None, e.human_beta if e else None,
                             ref.ai_applicability)


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one assessment sits among its peers of similar exposure."""

    peers: tuple[int, ...]
    """Indices (into the lists given to :func:`place`) of its peers."""
    peer_median: float
    """The peers' median final score, each moved along the register's trend to this
    assessment's exposure: its expected score."""
    residual: float
    spread: float
    flagged: bool


def _ranks(values: list[float]) -> list[float]:
    """Ranks from 1, ties sharing their mean rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(xs: list[float], ys: list[float]) -> float | None:
    """Spearman's rank correlation (Pearson's r of the tie-averaged ranks); ``None`` with
    fewer than :data:`MIN_FOR_CORRELATION` pairs or when either side is constant."""
    if len(xs) != len(ys):
        raise ValueError("spearman needs pairs")
    if len(xs) < MIN_FOR_CORRELATION:
        return None
    rx, ry = _ranks(xs), _ranks(ys)
    mx, my = statistics.fmean(rx), statistics.fmean(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    if sxx == 0 or syy == 0:
        return None
    return sxy / (sxx * syy) ** 0.5


def theil_sen_slope(xs: list[float], ys: list[float]) -> float:
    """The median of the slopes between every two points of different ``x`` (0 if none)."""
    slopes = [(ys[j] - ys[i]) / (xs[j] - xs[i]) for i in range(len(xs))
              for j in range(i + 1, len(xs)) if xs[j] != xs[i]]
    return statistics.median(slopes) if slopes else 0.0


def place(exposures: list[float], scores: list[float]) -> list[Placement]:
    """Each assessment among its :data:`PEERS` nearest others by exposure (the rule in the
    module's docstring). Fewer than two assessments give no placements."""
    n = len(exposures)
    if n != len(scores):
        raise ValueError("place needs one score per exposure")
    if n < 2:
        return []
    k = min(PEERS, n - 1)
    slope = theil_sen_slope(exposures, scores)
    peers, medians = [], []
    for i in range(n):
        near = sorted((j for j in range(n) if j != i),
                      key=lambda j: (abs(exposures[j] - exposures[i]), j))[:k]
        peers.append(tuple(sorted(near)))
        medians.append(statistics.median(scores[j] + slope * (exposures[i] - exposures[j])
                                         for j in near))
    residuals = [s - m for s, m in zip(scores, medians, strict=True)]
    centre = statistics.median(residuals)
    mad = statistics.median(abs(r - centre) for r in residuals)
    spread = max(MIN_SPREAD, 1.4826 * mad)
    eligible = n >= MIN_FOR_FLAG
    return [Placement(peers[i], medians[i], residuals[i], spread,
                      eligible and abs(residuals[i]) > THRESHOLD * spread
                      and abs(residuals[i]) >= MIN_GAP)
            for i in range(n)]


def rule_text() -> str:
    """The R504 rule in one sentence, for the workbook and the JSON."""
    return (f"AIJ-R504: a final score more than {THRESHOLD:g} robust spreads (scaled MAD of "
            f"all residuals, at least {MIN_SPREAD:g} points) and at least {MIN_GAP:g} "
            f"points from the median of its {PEERS} nearest assessments by exposure (mean "
            "of GPT-4 and human beta), each moved along the register's Theil-Sen trend; "
            f"considered with {MIN_FOR_FLAG} or more assessments "
            "with exposure figures. A prompt to review, never a rule.")


def as_dict(ref: ExternalReference | None, placement: Placement | None) -> dict[str, Any]:
    """The :data:`EXTERNAL_FIELDS` of one assessment."""
    return {
        "occupation_code": ref.code if ref else None,
        "occupation": ref.occupation if ref else None,
        "gpt4_beta": ref.gpt4_beta if ref else None,
        "human_beta": ref.human_beta if ref else None,
        "ai_applicability": ref.ai_applicability if ref else None,
        "exposure": ref.exposure if ref else None,
        "peer_median": placement.peer_median if placement else None,
        "residual": placement.residual if placement else None,
    }
