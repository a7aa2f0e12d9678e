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

from aijri_xl.method import fields
from aijri_xl.method.codec import assessment_from_data
from aijri_xl.method.findings import Finding
from aijri_xl.method.model import Assessment
from aijri_xl.workbook.layout import Layout

Value = Any
ROLE_NAMES: tuple[tuple[str, str], ...] = tuple(
    # (defined name, key path in the file format)
    (f.name, f.path) for f in (*fields.ROLE, *fields.RECORD))


_TASK_COLUMNS = tuple((c.name, c.key) for c in fields.TASKS)


def _attribute(obj: object, path: str) -> Value:
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def input_values(a: Assessment) -> dict[str, Value]:
    """Every input name's value; task and calibration columns as lists (fractions for time)."""
    values: dict[str, Value] = {f.name: _attribute(a, f.attribute)
                                for f in fields.SINGLE_FIELDS}
    values["assessment_date"] = _date_value(a.assessment_date)
    for column in fields.TASKS:
        values[column.name] = [getattr(t, column.model_attribute) for t in a.tasks]
    for column in fields.CALIBRATION:
        values[column.name] = [getattr(p, column.model_attribute) for p in a.calibration]
    for block in fields.BLOCKS:
        scored = getattr(a, block.key)
        for d in block.dimensions:
            values[d.name] = scored[d.key].score
            values[d.name + block.text_suffix] = scored[d.key].rationale
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

    for f in fields.SINGLE_FIELDS:
        value = values.get(f.name)
        if f.kind == "date" and isinstance(value, _dt.datetime):
            value = value.date().isoformat()
        elif f.kind == "integer":
            value = _number_or_text(value)
        put(f.path, value, f.name)
    for block in fields.BLOCKS:
        for d in block.dimensions:
            put(f"{block.key}.{d.key}.score", _number_or_text(values.get(d.name)), d.name)
            put(f"{block.key}.{d.key}.{block.text_key}", values.get(d.name + block.text_suffix),
                d.name + block.text_suffix)
            data.setdefault(block.key, {}).setdefault(d.key, {})

    columns = {name: list(values.get(name) or []) for name, _ in _TASK_COLUMNS}
    rows = max((len(c) for c in columns.values()), default=0)
    tasks: list[dict[str, Any]] = []
    index_of_task: list[int] = []
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

    peers: list[dict[str, Value]] = []
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

