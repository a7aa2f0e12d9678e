"""The AIJRI method's constants, in one place.

Every other part of the project (the reference engine, the workbook's parameter sheet
and formulas, the xlwings functions, the verifier) reads the method from here. The
values and tags are those of ``docs/METHOD.md`` §2; the input blocks and
their ranges are §1; the result field names are §4.
"""

from __future__ import annotations

from typing import Literal

from aijri_xl._record import dataclass

METHOD = "AIJRI-1.0"
"""The method version every workbook and machine-readable result carries (§7)."""

TEMPLATE_VERSION = "2"
"""Version of the workbook layout written by this package (the contract's `template_version`)."""

Tag = Literal["source", "project"]


@dataclass(frozen=True, slots=True)
class Parameter:
    """One method parameter: its name (also the workbook's defined name), value, unit, tag."""

    name: str
    value: float
    unit: str
    tag: Tag
    description: str


PARAMETERS: tuple[Parameter, ...] = (
    Parameter("TRS_CEILING", 6.00, "points", "source",
              "Task Resistance Score = TRS_CEILING minus the weighted task score"),
    Parameter("EVIDENCE_WEIGHT", 0.04, "per evidence point", "source",
              "Evidence modifier = 1 + evidence total x EVIDENCE_WEIGHT"),
    Parameter("BARRIER_WEIGHT", 0.02, "per barrier point", "source",
              "Barrier modifier = 1 + barrier total x BARRIER_WEIGHT"),
    Parameter("GROWTH_WEIGHT", 0.05, "per correlation point", "source",
              "Growth modifier = 1 + growth correlation x GROWTH_WEIGHT"),
    Parameter("SCORE_OFFSET", 0.54, "raw points", "source",
              "JobZone score = (raw - SCORE_OFFSET) / SCORE_SPAN x 100"),
    Parameter("SCORE_SPAN", 7.93, "raw points", "source",
              "JobZone score = (raw - SCORE_OFFSET) / SCORE_SPAN x 100"),
    Parameter("GREEN_MIN", 48, "score", "source", "GREEN from this final score"),
    Parameter("YELLOW_MIN", 25, "score", "source", "YELLOW from this final score; below is RED"),
    Parameter("TRANSFORMING_MIN_PCT", 20, "% of task time", "source",
              "Green (Transforming) when at least this share of task time scores 3+"),
    Parameter("SCORE_MIN", 0, "score", "project", "Lower end of the JobZone scale (cap)"),
    Parameter("SCORE_MAX", 100, "score", "project", "Upper end of the JobZone scale (cap)"),
    Parameter("URGENT_MIN_PCT", 40, "% of task time", "project",
              "Yellow (Urgent) when at least this share of task time scores 4+"),
    Parameter("IMMINENT_MIN_PCT", 60, "% of task time", "project",
              "Red (Imminent) when at least this share of task time scores 4+"),
    Parameter("QUICK_GREEN_MIN", 6, "quick screen points", "project",
              'Quick screen "Likely Green" from this total'),
    Parameter("QUICK_BOUNDARY_MIN", 3, "quick screen points", "project",
              'Quick screen "Yellow-to-Green boundary" from this total'),
    Parameter("QUICK_YELLOW_MIN", 1, "quick screen points", "project",
              'Quick screen "Likely Yellow" from this total; below: "Yellow-to-Red boundary"'),
    Parameter("OVERRIDE_WARN_DELTA", 10, "score points", "project",
              "Warn when an override is more than this far from the formula score"),
    Parameter("TIME_TOLERANCE_PCT", 0.05, "percentage points", "project",
              "Time shares must sum to 100% within this tolerance"),
)

PARAMS: dict[str, float] = {p.name: p.value for p in PARAMETERS}
"""Parameter values by name, for code that needs a value rather than the record."""

# ---------------------------------------------------------------------------------------
# Inputs (§1): the scored blocks, each as (key, label, workbook name) in report order.

PROTECTIVE_RANGE = (0, 3)
GROWTH_RANGE = (-2, 2)
TASK_SCORE_RANGE = (1, 5)
EVIDENCE_RANGE = (-2, 2)
BARRIER_RANGE = (0, 2)
OVERRIDE_RANGE = (0.0, 100.0)


@dataclass(frozen=True, slots=True)
class Dimension:
    """One scored dimension of a block: its key in files, its label in reports, its
    defined name in workbooks."""

    key: str
    label: str
    name: str


PROTECTIVE: tuple[Dimension, ...] = (
    Dimension("embodied_physicality", "Embodied Physicality", "protective_embodied_physicality"),
    Dimension("deep_interpersonal_connection", "Deep Interpersonal Connection",
              "protective_deep_interpersonal_connection"),
    Dimension("goal_setting_moral_judgment", "Goal-Setting & Moral Judgment",
              "protective_goal_setting_moral_judgment"),
)
EVIDENCE: tuple[Dimension, ...] = (
    Dimension("job_posting_trends", "Job Posting Trends", "evidence_job_posting_trends"),
    Dimension("company_actions", "Company Actions", "evidence_company_actions"),
    Dimension("wage_trends", "Wage Trends", "evidence_wage_trends"),
    Dimension("ai_tool_maturity", "AI Tool Maturity", "evidence_ai_tool_maturity"),
    Dimension("expert_consensus", "Expert Consensus", "evidence_expert_consensus"),
)
BARRIERS: tuple[Dimension, ...] = (
    Dimension("regulatory_licensing", "Regulatory/Licensing", "barrier_regulatory_licensing"),
    Dimension("physical_presence", "Physical Presence", "barrier_physical_presence"),
    Dimension("union_collective_bargaining", "Union/Collective Bargaining",
              "barrier_union_collective_bargaining"),
    Dimension("liability_accountability", "Liability/Accountability",
              "barrier_liability_accountability"),
    Dimension("cultural_ethical", "Cultural/Ethical", "barrier_cultural_ethical"),
)

DISPLACEMENT = "DISPLACEMENT"
AUGMENTATION = "AUGMENTATION"
NOT_INVOLVED = "NOT INVOLVED"
TASK_CLASSES: tuple[str, ...] = (DISPLACEMENT, AUGMENTATION, NOT_INVOLVED)


def default_task_class(score: int) -> str:
    """The default Aug/Disp mapping of §5: 1 → NOT INVOLVED, 2–3 → AUGMENTATION, 4–5 →
    DISPLACEMENT."""
    if score <= 1:
        return NOT_INVOLVED
    if score <= 3:
        return AUGMENTATION
    return DISPLACEMENT


# ---------------------------------------------------------------------------------------
# Outputs (§3, §4).

GREEN, YELLOW, RED = "GREEN", "YELLOW", "RED"
ZONES: tuple[str, ...] = (GREEN, YELLOW, RED)
SUB_LABELS: dict[str, tuple[str, ...]] = {
    GREEN: ("Accelerated", "Transforming", "Stable"),
    YELLOW: ("Urgent", "Moderate"),
    RED: ("Imminent", "Gradual"),
}
QUICK_SCREEN_BANDS: tuple[tuple[str, str | None], ...] = (
    # (band, parameter holding its lower bound), highest first; the last has no bound.
    ("Likely Green", "QUICK_GREEN_MIN"),
    ("Yellow-to-Green boundary", "QUICK_BOUNDARY_MIN"),
    ("Likely Yellow", "QUICK_YELLOW_MIN"),
    ("Yellow-to-Red boundary", None),
)

RESULT_FIELDS: tuple[str, ...] = (
    "method", "weighted_total", "task_resistance", "pct_time_score_3plus",
    "pct_time_score_4plus", "split_displacement", "split_augmentation",
    "split_not_involved", "protective_total", "growth_correlation", "quick_screen_total",
    "quick_screen_band", "evidence_total", "barrier_total", "evidence_modifier",
    "barrier_modifier", "growth_modifier", "raw", "score_unrounded", "score", "override",
    "final_score", "zone", "sub_label",
)
"""The §4 result fields, in the method's order."""

PERCENT_FIELDS: frozenset[str] = frozenset({
    "pct_time_score_3plus", "pct_time_score_4plus", "split_displacement",
    "split_augmentation", "split_not_involved",
})
"""Result fields that are shares of task time: percent units in JSON and text, fractions
with a percent format in workbooks."""

SCORE_DECIMALS = 1
"""The JobZone score is published with one decimal (§3.8)."""
PCT_ROUND_DIGITS = 8
"""P3, P4 and the split are rounded to this many decimals of a fraction (§3.3)."""



ZONE_LEGEND = (f"Green ≥{PARAMS['GREEN_MIN']:g}, Yellow {PARAMS['YELLOW_MIN']:g}-"
               f"{PARAMS['GREEN_MIN'] - 1:g}, Red <{PARAMS['YELLOW_MIN']:g}")
"""The zone bands as the published report writes them (§3.11), from the parameters."""
