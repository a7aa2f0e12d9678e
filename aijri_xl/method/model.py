"""The assessment model: typed objects for everything in AIJRI-METHOD.md §1.

The model holds what an assessor wrote, including what is missing (``None``), so that a
partly filled template can still be read and its gaps reported. Time shares are fractions
(0.25 for 25%), as in a workbook; files and text carry percentages and convert at the
boundary with :func:`aijri_xl.excel_math.percent_to_fraction`.
"""

from __future__ import annotations

from aijri_xl._record import dataclass, field
from aijri_xl.method.fields import COMMENTARY
from aijri_xl.method.parameters import BARRIERS, EVIDENCE, METHOD, PROTECTIVE, Dimension


@dataclass(slots=True)
class RoleDefinition:
    title: str | None = None
    seniority: str | None = None
    primary_function: str | None = None
    not_: str | None = None
    typical_experience: str | None = None
    seniority_note: str | None = None
    id: str | None = None
    occupation_code: str | None = None


@dataclass(slots=True)
class Scored:
    """A scored dimension (a protective principle, an evidence dimension, a barrier) with
    the assessor's rationale or evidence text."""

    score: int | None = None
    rationale: str = ""


@dataclass(slots=True)
class Growth:
    correlation: int | None = None
    rationale: str = ""
    check: int | None = None
    """The correlation confirmed after task analysis (must equal ``correlation``)."""
    check_rationale: str = ""


@dataclass(slots=True)
class Task:
    name: str = ""
    time: float | None = None
    """Share of working time as a fraction (0.25 is 25%)."""
    score: int | None = None
    task_class: str | None = None
    rationale: str = ""


@dataclass(slots=True)
class Override:
    score: float | None = None
    justification: str = ""


@dataclass(slots=True)
class CalibrationPeer:
    role: str
    score: float


@dataclass(slots=True)
class Commentary:
    score_vs_reality: str = ""
    numbers_dont_capture: str = ""
    who_should_worry: str = ""
    what_this_means: str = ""
    survival_strategy: str = ""
    timeline: str = ""


COMMENTARY_FIELDS: tuple[tuple[str, str], ...] = tuple((f.key, f.label) for f in COMMENTARY)
"""(key, title) of each commentary text, in the report's order."""


def _blank_block(dimensions: tuple[Dimension, ...]) -> dict[str, Scored]:
    return {d.key: Scored() for d in dimensions}


@dataclass(slots=True)
class Assessment:
    role: RoleDefinition = field(default_factory=RoleDefinition)
    assessor: str | None = None
    assessment_date: str | None = None
    protective: dict[str, Scored] = field(default_factory=lambda: _blank_block(PROTECTIVE))
    growth: Growth = field(default_factory=Growth)
    tasks: list[Task] = field(default_factory=list)
    reinstatement_check: str = ""
    evidence: dict[str, Scored] = field(default_factory=lambda: _blank_block(EVIDENCE))
    barriers: dict[str, Scored] = field(default_factory=lambda: _blank_block(BARRIERS))
    override: Override = field(default_factory=Override)
    calibration: list[CalibrationPeer] = field(default_factory=list)
    commentary: Commentary = field(default_factory=Commentary)
    method: str = METHOD
