"""How the workbook's input names map to the assessment model, both ways.

``input_values`` gives the value of every input name for an assessment (the writer's
view); ``assessment_from_names`` rebuilds the assessment from the values a reader found
behind the names, reporting each problem at the field path that ``where_of_field`` maps
to a cell. Spreadsheets hand back floats for whole numbers and dates for dates; this is
where that is undone.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from aijri_xl.method.codec import assessment_from_data
from aijri_xl.method.findings import Finding
from aijri_xl.method.model import Assessment
from aijri_xl.method.parameters import BARRIERS, EVIDENCE, PROTECTIVE
from aijri_xl.workbook.layout import COMMENTARY_ROWS, Layout

Value = Any
ROLE_NAMES: tuple[tuple[str, str], ...] = (
    # (defined name, key in the file format's role block or top level)
    ("role_title", "role.title"), ("role_seniority", "role.seniority"),
    ("role_primary_function", "role.primary_function"), ("role_not", "role.not"),
    ("role_typical_experience", "role.typical_experience"),
    ("role_seniority_note", "role.seniority_note"), ("role_id", "role.id"),
    ("occupation_code", "role.occupation_code"), ("assessor", "assessor"),
    ("assessment_date", "assessment_date"),
)
_BLOCKS = (("protective", PROTECTIVE, "_rationale", "rationale"),
           ("evidence", EVIDENCE, "_text", "evidence"),
           ("barriers", BARRIERS, "_rationale", "rationale"))
_COMMENTARY = tuple((name, name.removeprefix("commentary_")) for name, _ in COMMENTARY_ROWS)
_TASK_COLUMNS = (("task_name", "name"), ("task_time", "time"), ("task_score", "score"),
                 ("task_class", "class"), ("task_rationale", "rationale"))


def input_values(a: Assessment) -> dict[str, Value]:
    """Every input name's value; task and calibration columns as lists (fractions for time)."""
    role = a.role
    values: dict[str, Value] = {
        "role_title": role.title, "role_seniority": role.seniority,
        "role_primary_function": role.primary_function, "role_not": role.not_,
        "role_typical_experience": role.typical_experience,
        "role_seniority_note": role.seniority_note, "role_id": role.id,
        "occupation_code": role.occupation_code, "assessor": a.assessor,
        "assessment_date": _date_value(a.assessment_date),
        "growth_correlation": a.growth.correlation, "growth_rationale": a.growth.rationale,
        "growth_check": a.growth.check, "growth_check_rationale": a.growth.check_rationale,
        "reinstatement_check": a.reinstatement_check,
        "override_score": a.override.score,
        "override_justification": a.override.justification,
        "task_name": [t.name for t in a.tasks], "task_time": [t.time for t in a.tasks],
        "task_score": [t.score for t in a.tasks],
        "task_class": [t.task_class for t in a.tasks],
        "task_rationale": [t.rationale for t in a.tasks],
        "calibration_role": [p.role for p in a.calibration],
        "calibration_score": [p.score for p in a.calibration],
    }
    for block, dims, suffix, _ in _BLOCKS:
        scored = getattr(a, block)
        for d in dims:
            values[d.name] = scored[d.key].score
            values[d.name + suffix] = scored[d.key].rationale
    for name, key in _COMMENTARY:
        values[name] = getattr(a.commentary, key)
    return values


def _date_value(text: str | None) -> Value:
    """ISO dates become real dates in the workbook; anything else stays text."""
    if not text:
        return text
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        return text


def _number_or_text(value: Value) -> Value:
    """A spreadsheet's whole-number float (2.0) back to an int; other values unchanged."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _blank(value: Value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def assessment_from_names(values: Mapping[str, Value], lay: Layout,
                          cell_of: Callable[[str, int | None], str]) -> tuple[
                              Assessment, list[Finding], dict[str, str]]:
    """Rebuild an assessment from the values behind the input names.

    ``values[name]`` is a cell value, or a list of values for a column range.
    ``cell_of(name, index)`` names the cell for a defined name (and row index within a
    range) for findings. Returns the assessment, the reading problems, and a map from
    field path (``tasks[2].score``) to cell (``Tasks!D7``)."""
    data: dict[str, Any] = {"role": {}}
    where: dict[str, str] = {}

    def put(path: str, value: Value, name: str, index: int | None = None) -> None:
        where[path] = cell_of(name, index)
        if _blank(value):
            return
        node = data
        *parents, leaf = path.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = value

    for name, path in ROLE_NAMES:
        value = values.get(name)
        if isinstance(value, _dt.datetime):
            value = value.date().isoformat() if name == "assessment_date" else value
        put(path, value, name)
    for block, dims, suffix, text_key in _BLOCKS:
        for d in dims:
            put(f"{block}.{d.key}.score", _number_or_text(values.get(d.name)), d.name)
            put(f"{block}.{d.key}.{text_key}", values.get(d.name + suffix), d.name + suffix)
            data.setdefault(block, {}).setdefault(d.key, {})
    put("growth.correlation", _number_or_text(values.get("growth_correlation")),
        "growth_correlation")
    put("growth.rationale", values.get("growth_rationale"), "growth_rationale")
    put("growth.check", _number_or_text(values.get("growth_check")), "growth_check")
    put("growth.check_rationale", values.get("growth_check_rationale"),
        "growth_check_rationale")
    put("reinstatement_check", values.get("reinstatement_check"), "reinstatement_check")
    put("override.score", values.get("override_score"), "override_score")
    put("override.justification", values.get("override_justification"),
        "override_justification")
    for name, key in _COMMENTARY:
        put(f"commentary.{key}", values.get(name), name)

    columns = {name: list(values.get(name) or []) for name, _ in _TASK_COLUMNS}
    rows = max((len(c) for c in columns.values()), default=0)
    tasks, index_of_task = [], []
    for i in range(rows):
        row = {key: (columns[name][i] if i < len(columns[name]) else None)
               for name, key in _TASK_COLUMNS}
        if all(_blank(v) for v in row.values()):
            continue  # an empty task row of the template
        k = len(tasks)
        task: dict[str, Any] = {}
        for name, key in _TASK_COLUMNS:
            where[f"tasks[{k}].{key}"] = cell_of(name, i)
            value = row[key]
            if _blank(value):
                continue
            if key == "time" and isinstance(value, int | float) and not isinstance(value, bool):
                value = _fraction_text(value)
            elif key == "score":
                value = _number_or_text(value)
            task[key] = value
        tasks.append(task)
        index_of_task.append(i)
    data["tasks"] = tasks
    where["tasks"] = cell_of("task_time", None)

    peers = []
    roles, scores = columns_of(values, "calibration_role"), columns_of(values, "calibration_score")
    for i in range(max(len(roles), len(scores))):
        role = roles[i] if i < len(roles) else None
        peer_score = scores[i] if i < len(scores) else None
        if _blank(role) and _blank(peer_score):
            continue
        where[f"calibration[{len(peers)}]"] = cell_of("calibration_role", i)
        peers.append({"role": role, "score": peer_score})
    data["calibration"] = peers

    assessment, findings = assessment_from_data(data)
    located = [f.located(where.get(f.field or "", f.where)) for f in findings]
    return assessment, located, where


def columns_of(values: Mapping[str, Value], name: str) -> list[Value]:
    return list(values.get(name) or [])


def _fraction_text(fraction: float) -> str:
    """A stored fraction to the percent text the file format reads: exact decimal scaling
    of its shortest repr, so 0.074 reads back as 7.4 (and so as 0.074)."""
    return str(Decimal(repr(float(fraction))) * 100)

