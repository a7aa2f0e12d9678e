"""The input fields of an assessment, once: where each lives in an assessment file, on the
model, in a workbook and in the published report.

Every other list of fields derives from these tables: the file codec and its JSON Schema
(:mod:`aijri_xl.method.codec`), the workbook layout and bindings
(:mod:`aijri_xl.workbook`), the house format's reader and builder (:mod:`aijri_xl.house`)
and the Excel functions. The result fields of §4 are :data:`RESULT_FIELDS` of
:mod:`aijri_xl.method.parameters`, with their workbook formats in :data:`RESULT_FORMATS`.

A field's ``path`` is its key path in an assessment file (``role.title``,
``growth.check``); ``attribute`` the same path on the model (``role.not_``, since ``not``
is a Python keyword); ``name`` the workbook's defined name; ``label`` what a person reads
beside it, in the workbook and in the report.
"""

from __future__ import annotations

from typing import Literal

from aijri_xl._record import dataclass
from aijri_xl.method.parameters import (
    BARRIER_RANGE,
    BARRIERS,
    EVIDENCE,
    EVIDENCE_RANGE,
    GROWTH_RANGE,
    OVERRIDE_RANGE,
    PERCENT_FIELDS,
    PROTECTIVE,
    PROTECTIVE_RANGE,
    RESULT_FIELDS,
    TASK_SCORE_RANGE,
    Dimension,
)

Kind = Literal["text", "integer", "number", "percent", "date"]
Format = Literal["text", "longtext", "date", "int", "pct", "num2", "num4", "score"]


@dataclass(frozen=True, slots=True)
class Field:
    """One input that holds a single value."""

    path: str
    name: str
    label: str
    kind: Kind = "text"
    fmt: Format = "text"
    bounds: tuple[float, float] | None = None
    attribute: str = ""

    def __post_init__(self) -> None:
        if not self.attribute:
            object.__setattr__(self, "attribute", self.path)

    @property
    def key(self) -> str:
        """The key inside its block of the file (``title`` for ``role.title``)."""
        return self.path.rpartition(".")[2]


@dataclass(frozen=True, slots=True)
class ScoredBlock:
    """A block of scored dimensions with a text each (protective, evidence, barriers)."""

    key: str
    dimensions: tuple[Dimension, ...]
    bounds: tuple[int, int]
    text_key: str  # the text's key in files: "rationale" or "evidence"
    text_suffix: str  # the text's defined name is the dimension's name + this


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a table of rows (tasks, calibration peers)."""

    key: str  # key in each row of the file
    name: str  # defined name of the column range in workbooks
    label: str
    kind: Kind = "text"
    attribute: str = ""  # attribute of the model's row; defaults to key

    @property
    def model_attribute(self) -> str:
        return self.attribute or self.key


ROLE: tuple[Field, ...] = (
    Field("role.title", "role_title", "Job Title"),
    Field("role.seniority", "role_seniority", "Seniority Level"),
    Field("role.primary_function", "role_primary_function", "Primary Function",
          fmt="longtext"),
    Field("role.not", "role_not", "What This Role Is NOT", fmt="longtext",
          attribute="role.not_"),
    Field("role.typical_experience", "role_typical_experience", "Typical Experience",
          fmt="longtext"),
    Field("role.seniority_note", "role_seniority_note", "Seniority note", fmt="longtext"),
    Field("role.id", "role_id", "Role id"),
    Field("role.occupation_code", "occupation_code", "Occupation code"),
)
"""The role definition block (§1), in the order the report's table and the Role sheet
list it."""

RECORD: tuple[Field, ...] = (
    Field("assessor", "assessor", "Assessor"),
    Field("assessment_date", "assessment_date", "Assessment date", kind="date", fmt="date"),
)
"""Record keeping, at the top level of a file and below the role on the Role sheet."""

GROWTH: tuple[Field, ...] = (
    Field("growth.correlation", "growth_correlation", "AI Growth Correlation", "integer",
          "int", GROWTH_RANGE),
    Field("growth.rationale", "growth_rationale", "AI Growth Correlation rationale",
          fmt="longtext"),
    Field("growth.check", "growth_check", "Growth check (confirmed correlation)", "integer",
          "int", GROWTH_RANGE),
    Field("growth.check_rationale", "growth_check_rationale", "Growth check rationale",
          fmt="longtext"),
)

REINSTATEMENT = Field("reinstatement_check", "reinstatement_check",
                      "Reinstatement check (Acemoglu)", fmt="longtext")

OVERRIDE: tuple[Field, ...] = (
    Field("override.score", "override_score", "Assessor override (optional)", "number",
          "score", OVERRIDE_RANGE),
    Field("override.justification", "override_justification",
          "Override justification / note", fmt="longtext"),
)

COMMENTARY: tuple[Field, ...] = tuple(
    Field(f"commentary.{key}", f"commentary_{key}", label, fmt="longtext")
    for key, label in (
        ("score_vs_reality", "Score vs Reality Check"),
        ("numbers_dont_capture", "What the Numbers Don't Capture"),
        ("who_should_worry", "Who Should Worry (and Who Shouldn't)"),
        ("what_this_means", "What This Means"),
        ("survival_strategy", "Survival strategy"),
        ("timeline", "Timeline"),
    )
)
"""The assessor's commentary, in the report's order."""

BLOCKS: tuple[ScoredBlock, ...] = (
    ScoredBlock("protective", PROTECTIVE, PROTECTIVE_RANGE, "rationale", "_rationale"),
    ScoredBlock("evidence", EVIDENCE, EVIDENCE_RANGE, "evidence", "_text"),
    ScoredBlock("barriers", BARRIERS, BARRIER_RANGE, "rationale", "_rationale"),
)
"""The three scored blocks of §1, in the method's order."""

TASKS: tuple[Column, ...] = (
    Column("name", "task_name", "Task"),
    Column("time", "task_time", "Time %", "percent"),
    Column("score", "task_score", "Score (1-5)", "integer"),
    Column("class", "task_class", "Aug/Disp", attribute="task_class"),
    Column("rationale", "task_rationale", "Rationale"),
)
TASK_SCORE_BOUNDS = TASK_SCORE_RANGE

CALIBRATION: tuple[Column, ...] = (
    Column("role", "calibration_role", "Peer role"),
    Column("score", "calibration_score", "Published score", "number"),
)

SINGLE_FIELDS: tuple[Field, ...] = (*ROLE, *RECORD, *GROWTH, REINSTATEMENT, *OVERRIDE,
                                    *COMMENTARY)
"""Every input that holds one value, scored dimensions apart (they are in BLOCKS)."""

FIELD_BY_NAME: dict[str, Field] = {f.name: f for f in SINGLE_FIELDS}


def scored_names(block: ScoredBlock) -> tuple[str, ...]:
    """The defined names of a block's scores."""
    return tuple(d.name for d in block.dimensions)


def input_names() -> tuple[str, ...]:
    """Every input's defined name, in the order of §1."""
    names: list[str] = [f.name for f in (*ROLE, *RECORD)]
    for block in BLOCKS[:1]:
        for d in block.dimensions:
            names += [d.name, d.name + block.text_suffix]
    names += [f.name for f in GROWTH]
    names += [c.name for c in TASKS]
    names.append(REINSTATEMENT.name)
    for block in BLOCKS[1:]:
        for d in block.dimensions:
            names += [d.name, d.name + block.text_suffix]
    names += [f.name for f in OVERRIDE]
    names += [c.name for c in CALIBRATION]
    names += [f.name for f in COMMENTARY]
    return tuple(names)


RESULT_FORMATS: dict[str, Format] = {
    name: ("pct" if name in PERCENT_FIELDS else
           "text" if name in ("method", "quick_screen_band", "zone", "sub_label") else
           "int" if name in ("protective_total", "growth_correlation", "quick_screen_total",
                             "evidence_total", "barrier_total") else
           "num4" if name in ("raw", "score_unrounded") else
           "score" if name in ("score", "override", "final_score") else "num2")
    for name in RESULT_FIELDS
}
"""How a workbook formats each §4 result (display only: values keep full precision)."""
