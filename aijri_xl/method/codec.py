"""Assessment files: the YAML / JSON format, its JSON Schema, and the conversions.

The format (documented in docs/FORMAT.md; schema in ``schema()``) mirrors the method's
input blocks. Percentages are percent units (``time: 25`` is 25%); the model holds
fractions. Loading reports every problem at once as findings whose ``field`` is the path
in the file (``tasks[3].score``); it never raises on bad content.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal, InvalidOperation
from typing import Any

from aijri_xl.method import fields
from aijri_xl.method.excel_math import fraction_to_percent, percent_to_fraction
from aijri_xl.method.findings import Finding
from aijri_xl.method.model import (
    COMMENTARY_FIELDS,
    Assessment,
    CalibrationPeer,
    Commentary,
    Growth,
    Override,
    RoleDefinition,
    Scored,
    Task,
)
from aijri_xl.method.parameters import (
    BARRIER_RANGE,
    BARRIERS,
    EVIDENCE,
    EVIDENCE_RANGE,
    GROWTH_RANGE,
    METHOD,
    PROTECTIVE,
    PROTECTIVE_RANGE,
    TASK_CLASSES,
    TASK_SCORE_RANGE,
    Dimension,
)

ROLE_FIELDS: tuple[tuple[str, str, str], ...] = tuple(
    # (key in files, attribute of RoleDefinition, label in reports)
    (f.key, f.attribute.removeprefix("role."), f.label) for f in fields.ROLE)
BLOCKS: tuple[tuple[str, tuple[Dimension, ...], tuple[int, int], str], ...] = tuple(
    # (key, dimensions, score range, name of the text field)
    (b.key, b.dimensions, b.bounds, b.text_key) for b in fields.BLOCKS)
TOP_LEVEL = ("method", "role", "assessor", "assessment_date", "protective", "growth", "tasks",
             "reinstatement_check", "evidence", "barriers", "override", "calibration",
             "commentary")


class _Reader:
    """Reads a parsed mapping into the model, collecting findings on the way."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def bad(self, code: str, path: str, message: str, **kw: Any) -> None:
        self.findings.append(Finding(code, message, field=path, **kw))

    def mapping(self, value: Any, path: str, allowed: tuple[str, ...]) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.bad("AIJ-E002", path, f"{path} must be a mapping, found {type(value).__name__}")
            return {}
        for key in value:
            if key not in allowed:
                self.bad("AIJ-E012", f"{path}.{key}" if path else str(key),
                         f"unknown field {key!r}" + (f" in {path}" if path else "")
                         + f"; expected one of: {', '.join(allowed)}", actual=key)
        return value

    def text(self, value: Any, path: str) -> str | None:
        if value is None:
            return None
        if isinstance(value, _dt.datetime | _dt.date):
            return value.isoformat()
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return str(value)
        self.bad("AIJ-E002", path, f"{path} must be text", actual=repr(value))
        return None

    def integer(self, value: Any, path: str) -> int | None:
        """Whole numbers; ``"+1"`` and ``2.0`` are accepted, ``2.5`` and ``"two"`` are not."""
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            self.bad("AIJ-E002", path, f"{path} must be a whole number, found {value!r}",
                     expected="integer", actual=value)
            return None
        if isinstance(value, int):
            return value
        try:
            number = Decimal(str(value).strip().replace("\u2212", "-"))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number != number.to_integral_value():
            self.bad("AIJ-E002", path, f"{path} must be a whole number, found {value!r}",
                     expected="integer", actual=value)
            return None
        return int(number)

    def number(self, value: Any, path: str) -> Decimal | None:
        if value is None or value == "":
            return None
        if not isinstance(value, bool):
            try:
                number = Decimal(repr(value) if isinstance(value, float) else
                                 str(value).strip().rstrip("%").replace("\u2212", "-"))
                if number.is_finite():
                    return number
            except InvalidOperation:
                pass
        self.bad("AIJ-E002", path, f"{path} must be a number, found {value!r}",
                 expected="number", actual=value)
        return None


def assessment_from_data(data: Any) -> tuple[Assessment, list[Finding]]:
    """Read a parsed YAML/JSON document into an assessment, with every format problem."""
    r = _Reader()
    top = r.mapping(data, "", TOP_LEVEL)
    if data is not None and not isinstance(data, dict):
        return Assessment(), r.findings
    a = Assessment()
    a.method = r.text(top.get("method"), "method") or METHOD
    role = r.mapping(top.get("role"), "role", tuple(k for k, _, _ in ROLE_FIELDS))
    a.role = RoleDefinition(**{attr: r.text(role.get(key), f"role.{key}")
                               for key, attr, _ in ROLE_FIELDS})
    a.assessor = r.text(top.get("assessor"), "assessor")
    a.assessment_date = r.text(top.get("assessment_date"), "assessment_date")
    for key, dims, _, text_key in BLOCKS:
        block = r.mapping(top.get(key), key, tuple(d.key for d in dims))
        scored = {}
        for d in dims:
            item = block.get(d.key)
            path = f"{key}.{d.key}"
            if isinstance(item, dict):
                item = r.mapping(item, path, ("score", text_key))
                scored[d.key] = Scored(r.integer(item.get("score"), f"{path}.score"),
                                       r.text(item.get(text_key), f"{path}.{text_key}") or "")
            else:  # a bare score
                scored[d.key] = Scored(r.integer(item, f"{path}.score"))
        setattr(a, key, scored)
    growth = r.mapping(top.get("growth"), "growth",
                       ("correlation", "rationale", "check", "check_rationale"))
    a.growth = Growth(r.integer(growth.get("correlation"), "growth.correlation"),
                      r.text(growth.get("rationale"), "growth.rationale") or "",
                      r.integer(growth.get("check"), "growth.check"),
                      r.text(growth.get("check_rationale"), "growth.check_rationale") or "")
    tasks = top.get("tasks")
    if tasks is not None and not isinstance(tasks, list):
        r.bad("AIJ-E002", "tasks", "tasks must be a list")
        tasks = []
    for i, item in enumerate(tasks or []):
        path = f"tasks[{i}]"
        t = r.mapping(item, path, ("name", "time", "score", "class", "rationale"))
        time = r.number(t.get("time"), f"{path}.time")
        a.tasks.append(Task(
            name=r.text(t.get("name"), f"{path}.name") or "",
            time=percent_to_fraction(time) if time is not None else None,
            score=r.integer(t.get("score"), f"{path}.score"),
            task_class=_task_class(r.text(t.get("class"), f"{path}.class")),
            rationale=r.text(t.get("rationale"), f"{path}.rationale") or "",
        ))
    a.reinstatement_check = r.text(top.get("reinstatement_check"), "reinstatement_check") or ""
    override = r.mapping(top.get("override"), "override", ("score", "justification"))
    value = r.number(override.get("score"), "override.score")
    a.override = Override(float(value) if value is not None else None,
                          r.text(override.get("justification"), "override.justification") or "")
    peers = top.get("calibration") or []
    if not isinstance(peers, list):
        r.bad("AIJ-E002", "calibration", "calibration must be a list")
        peers = []
    for i, item in enumerate(peers):
        p = r.mapping(item, f"calibration[{i}]", ("role", "score"))
        role_name = r.text(p.get("role"), f"calibration[{i}].role")
        peer_score = r.number(p.get("score"), f"calibration[{i}].score")
        if role_name and peer_score is not None:
            a.calibration.append(CalibrationPeer(role_name, float(peer_score)))
        else:
            r.bad("AIJ-E001", f"calibration[{i}]", "a calibration peer needs a role and a score")
    commentary = r.mapping(top.get("commentary"), "commentary",
                           tuple(k for k, _ in COMMENTARY_FIELDS))
    a.commentary = Commentary(**{k: r.text(commentary.get(k), f"commentary.{k}") or ""
                                 for k, _ in COMMENTARY_FIELDS})
    return a, r.findings


def _task_class(value: str | None) -> str | None:
    """Class names are matched case-insensitively, with ``NOT_INVOLVED`` for the space."""
    if value is None:
        return None
    canonical = " ".join(value.replace("_", " ").split()).upper()
    return canonical if canonical in TASK_CLASSES else value


def assessment_to_data(a: Assessment) -> dict[str, Any]:
    """The assessment as a YAML/JSON-ready mapping (percent units), omitting empty text."""

    def clean(d: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in d.items() if v not in (None, "", [], {})}

    data: dict[str, Any] = {"method": a.method}
    data["role"] = clean({key: getattr(a.role, attr) for key, attr, _ in ROLE_FIELDS})
    data["assessor"] = a.assessor
    data["assessment_date"] = a.assessment_date
    for key, dims, _, text_key in BLOCKS:
        block = getattr(a, key)
        data[key] = {d.key: clean({"score": block[d.key].score,
                                   text_key: block[d.key].rationale}) for d in dims}
    data["growth"] = clean({"correlation": a.growth.correlation,
                            "rationale": a.growth.rationale, "check": a.growth.check,
                            "check_rationale": a.growth.check_rationale})
    data["tasks"] = [clean({
        "name": t.name, "time": _percent_number(t.time), "score": t.score,
        "class": t.task_class, "rationale": t.rationale}) for t in a.tasks]
    data["reinstatement_check"] = a.reinstatement_check
    data["override"] = clean({"score": a.override.score,
                              "justification": a.override.justification})
    data["calibration"] = [{"role": p.role, "score": p.score} for p in a.calibration]
    data["commentary"] = clean({k: getattr(a.commentary, k) for k, _ in COMMENTARY_FIELDS})
    return clean(data)


def _percent_number(fraction: float | None) -> int | float | None:
    if fraction is None:
        return None
    percent = fraction_to_percent(fraction)
    return int(percent) if percent.is_integer() else percent


# ---------------------------------------------------------------------------------------
# JSON Schema, generated from the same tables the loader reads


def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the assessment file format."""

    def text(description: str) -> dict[str, Any]:
        return {"type": "string", "description": description}

    def score(bounds: tuple[int, int], description: str) -> dict[str, Any]:
        return {"type": "integer", "minimum": bounds[0], "maximum": bounds[1],
                "description": description}

    def block(dims: tuple[Dimension, ...], bounds: tuple[int, int], text_key: str,
              title: str) -> dict[str, Any]:
        item = {"oneOf": [
            score(bounds, "the score alone"),
            {"type": "object", "additionalProperties": False, "required": ["score"],
             "properties": {"score": score(bounds, f"{bounds[0]} to {bounds[1]}"),
                            text_key: text(f"the assessor's {text_key}")}},
        ]}
        return {"type": "object", "title": title, "additionalProperties": False,
                "required": [d.key for d in dims],
                "properties": {d.key: {**item, "title": d.label} for d in dims}}

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://aijri-xl.invalid/schema/assessment.json",
        "title": f"AIJRI assessment ({METHOD})",
        "description": "One AIJRI assessment. Percentages are percent units (25 is 25%).",
        "type": "object",
        "additionalProperties": False,
        "required": ["role", "protective", "growth", "tasks", "evidence", "barriers"],
        "properties": {
            "method": {"const": METHOD, "description": "method version"},
            "role": {"type": "object", "additionalProperties": False, "required": ["title"],
                     "properties": {key: text(label) for key, _, label in ROLE_FIELDS}},
            "assessor": text("who scored the role"),
            "assessment_date": {"type": "string", "format": "date",
                                "description": "date of the assessment (ISO 8601)"},
            "protective": block(PROTECTIVE, PROTECTIVE_RANGE, "rationale",
                                "Protective principles"),
            "growth": {"type": "object", "additionalProperties": False,
                       "required": ["correlation"], "properties": {
                           "correlation": score(GROWTH_RANGE, "AI growth correlation"),
                           "rationale": text("why"),
                           "check": score(GROWTH_RANGE, "the correlation confirmed after "
                                          "task analysis; must equal correlation"),
                           "check_rationale": text("the growth check's text")}},
            "tasks": {"type": "array", "minItems": 1, "items": {
                "type": "object", "additionalProperties": False,
                "required": ["name", "time", "score", "class"],
                "properties": {
                    "name": text("task name"),
                    "time": {"type": "number", "exclusiveMinimum": 0, "maximum": 100,
                             "description": "share of working time, percent"},
                    "score": score(TASK_SCORE_RANGE, "agentic AI score, 1 to 5"),
                    "class": {"enum": list(TASK_CLASSES)},
                    "rationale": text("why the score")}}},
            "reinstatement_check": text("reinstatement check (Acemoglu)"),
            "evidence": block(EVIDENCE, EVIDENCE_RANGE, "evidence", "Evidence"),
            "barriers": block(BARRIERS, BARRIER_RANGE, "rationale", "Barriers"),
            "override": {"type": "object", "additionalProperties": False, "properties": {
                "score": {"type": ["number", "null"], "minimum": 0, "maximum": 100,
                          "description": "assessor override score, one decimal (checked "
                          "by the loader: JSON Schema's multipleOf fails on 0.3)"},
                "justification": text("required when an override is given")}},
            "calibration": {"type": "array", "items": {
                "type": "object", "additionalProperties": False, "required": ["role", "score"],
                "properties": {"role": text("peer role"),
                               "score": {"type": "number", "minimum": 0, "maximum": 100}}}},
            "commentary": {"type": "object", "additionalProperties": False,
                           "properties": {k: text(label) for k, label in COMMENTARY_FIELDS}},
        },
    }
