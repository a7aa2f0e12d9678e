"""The reference engine: ``score(assessment) -> Result``, AIJRI-METHOD.md §3 exactly.

Pure: no file, workbook or network access; imports nothing beyond the standard library
and this package's method tables. Every operation is grouped as the spec writes it and as
the workbook formulas compute it, so Python and a spreadsheet produce the same doubles.
"""

from __future__ import annotations

from typing import Any

from aijri_xl._record import dataclass, field
from aijri_xl.method.excel_math import excel_round, fraction_to_percent
from aijri_xl.method.findings import Finding
from aijri_xl.method.model import Assessment
from aijri_xl.method.parameters import (
    AUGMENTATION,
    DISPLACEMENT,
    GREEN,
    METHOD,
    NOT_INVOLVED,
    PARAMS,
    PCT_ROUND_DIGITS,
    PERCENT_FIELDS,
    QUICK_SCREEN_BANDS,
    RED,
    RESULT_FIELDS,
    SCORE_DECIMALS,
    YELLOW,
)
from aijri_xl.method.rules import blocking, check


class AssessmentError(ValueError):
    """The assessment lacks or has invalid inputs that the calculation needs.

    ``findings`` lists every such problem, with its code and input path."""

    def __init__(self, findings: list[Finding], source: str | None = None):
        self.findings = findings
        self.source = source
        where = f"{source}: " if source else ""
        lines = [f"{where}cannot score the assessment ({len(findings)} problem"
                 f"{'s' if len(findings) != 1 else ''}):"]
        lines += [f"  {f.code} {f.field or ''}: {f.message}" for f in findings]
        super().__init__("\n".join(lines))


@dataclass(frozen=True, slots=True)
class Result:
    """The §4 result fields. Percent fields are in percent units (30 means 30%); the exact
    fractions a workbook holds are in ``fractions``."""

    method: str
    weighted_total: float
    task_resistance: float
    pct_time_score_3plus: float
    pct_time_score_4plus: float
    split_displacement: float
    split_augmentation: float
    split_not_involved: float
    protective_total: int
    growth_correlation: int
    quick_screen_total: int
    quick_screen_band: str
    evidence_total: int
    barrier_total: int
    evidence_modifier: float
    barrier_modifier: float
    growth_modifier: float
    raw: float
    score_unrounded: float
    score: float
    override: float | None
    final_score: float
    zone: str
    sub_label: str
    fractions: dict[str, float] = field(default_factory=dict, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The §4 fields, in order, as plain JSON-ready values."""
        return {name: getattr(self, name) for name in RESULT_FIELDS}

    def workbook_value(self, name: str) -> Any:
        """The value a workbook cell holds for a result field (fractions for percents)."""
        return self.fractions[name] if name in PERCENT_FIELDS else getattr(self, name)

    @property
    def zone_label(self) -> str:
        """The sub-label as the report writes it: ``Green (Transforming)``."""
        return self.sub_label


def quick_screen_band(total: int) -> str:
    """§3.9: the quick-screen band of ``PT + G``."""
    for band, bound in QUICK_SCREEN_BANDS:
        if bound is None or total >= PARAMS[bound]:
            return band
    raise AssertionError("unreachable: the last band has no bound")


def zone_of(final_score: float) -> str:
    """§3.11: the zone of a one-decimal final score."""
    if final_score >= PARAMS["GREEN_MIN"]:
        return GREEN
    if final_score >= PARAMS["YELLOW_MIN"]:
        return YELLOW
    return RED


def sub_label_of(zone: str, growth: int, p3: float, p4: float) -> str:
    """§3.12: the first sub-label rule that holds, written ``Green (Transforming)``."""
    if zone == GREEN:
        if growth == 2:
            label = "Accelerated"
        elif p3 >= PARAMS["TRANSFORMING_MIN_PCT"] / 100:
            label = "Transforming"
        else:
            label = "Stable"
    elif zone == YELLOW:
        label = "Urgent" if p4 >= PARAMS["URGENT_MIN_PCT"] / 100 else "Moderate"
    else:
        label = "Imminent" if p4 >= PARAMS["IMMINENT_MIN_PCT"] / 100 else "Gradual"
    return f"{zone.title()} ({label})"


def score_from_scores(times: list[float], scores: list[int], classes: list[str | None],
                      protective: list[int], growth: int, evidence: list[int],
                      barriers: list[int], override: float | None = None) -> Result:
    """§3 on bare numbers: the calculation behind :func:`score` and the Excel functions.

    ``times`` are fractions in row order; inputs are assumed valid (see ``check``)."""
    p = PARAMS
    weighted_total = 0.0
    for t, s in zip(times, scores, strict=True):
        weighted_total += t * s
    task_resistance = p["TRS_CEILING"] - weighted_total

    def share(keep: list[bool]) -> float:
        total = 0.0
        for t, k in zip(times, keep, strict=True):
            if k:
                total += t
        return excel_round(total, PCT_ROUND_DIGITS)

    p3 = share([s >= 3 for s in scores])
    p4 = share([s >= 4 for s in scores])
    split = {c: share([k == c for k in classes]) for c in (DISPLACEMENT, AUGMENTATION,
                                                         NOT_INVOLVED)}
    protective_total = sum(protective)
    evidence_total = sum(evidence)
    barrier_total = sum(barriers)
    evidence_modifier = 1 + evidence_total * p["EVIDENCE_WEIGHT"]
    barrier_modifier = 1 + barrier_total * p["BARRIER_WEIGHT"]
    growth_modifier = 1 + growth * p["GROWTH_WEIGHT"]
    raw = task_resistance * evidence_modifier * barrier_modifier * growth_modifier
    uncapped = (raw - p["SCORE_OFFSET"]) / p["SCORE_SPAN"] * 100
    capped = min(max(uncapped, float(p["SCORE_MIN"])), float(p["SCORE_MAX"]))
    rounded = excel_round(capped, SCORE_DECIMALS)
    final = float(override) if override is not None else rounded
    zone = zone_of(final)
    quick_total = protective_total + growth
    fractions = {
        "pct_time_score_3plus": p3, "pct_time_score_4plus": p4,
        "split_displacement": split[DISPLACEMENT], "split_augmentation": split[AUGMENTATION],
        "split_not_involved": split[NOT_INVOLVED],
    }
    return Result(
        method=METHOD,
        weighted_total=weighted_total,
        task_resistance=task_resistance,
        **{k: fraction_to_percent(v) for k, v in fractions.items()},
        protective_total=protective_total,
        growth_correlation=growth,
        quick_screen_total=quick_total,
        quick_screen_band=quick_screen_band(quick_total),
        evidence_total=evidence_total,
        barrier_total=barrier_total,
        evidence_modifier=evidence_modifier,
        barrier_modifier=barrier_modifier,
        growth_modifier=growth_modifier,
        raw=raw,
        score_unrounded=capped,
        score=rounded,
        override=float(override) if override is not None else None,
        final_score=final,
        zone=zone,
        sub_label=sub_label_of(zone, growth, p3, p4),
        fractions=fractions,
    )


def score(assessment: Assessment, *, checked: list[Finding] | None = None) -> Result:
    """Score an assessment by the method (§3).

    Raises :class:`AssessmentError` listing every missing, mistyped or out-of-range
    input the calculation needs. Other §5 problems (a time total off 100%, a missing
    justification) do not stop the calculation; ``check`` reports them. ``checked`` is
    ``check(assessment)`` when the caller has already run it."""
    problems = blocking(check(assessment) if checked is None else checked)
    if problems:
        raise AssessmentError(problems)
    a = assessment
    return score_from_scores(
        times=[float(t.time) for t in a.tasks if t.time is not None],
        scores=[t.score for t in a.tasks if t.score is not None],
        classes=[t.task_class for t in a.tasks],
        protective=[s.score for s in a.protective.values() if s.score is not None],
        growth=a.growth.correlation if a.growth.correlation is not None else 0,
        evidence=[s.score for s in a.evidence.values() if s.score is not None],
        barriers=[s.score for s in a.barriers.values() if s.score is not None],
        override=a.override.score,
    )
