"""The consistency rules of AIJRI-METHOD.md §5 that concern inputs.

``check(assessment)`` reports every problem at once, each with its stable code and the
input path it concerns (``tasks[3].score``). Figures an assessment *states* are compared
elsewhere (:mod:`aijri_xl.stated`), because only a published text or a workbook states
them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection

from aijri_xl.method.findings import Finding
from aijri_xl.method.model import Assessment
from aijri_xl.method.parameters import (
    BARRIER_RANGE,
    BARRIERS,
    EVIDENCE,
    EVIDENCE_RANGE,
    GROWTH_RANGE,
    METHOD,
    OVERRIDE_RANGE,
    PARAMS,
    PROTECTIVE,
    PROTECTIVE_RANGE,
    TASK_CLASSES,
    TASK_SCORE_RANGE,
    default_task_class,
)

BLOCKING_CODES = frozenset({"AIJ-E001", "AIJ-E002", "AIJ-E003", "AIJ-E004", "AIJ-E006",
                            "AIJ-E007", "AIJ-E011"})
"""Codes that leave nothing to compute: a missing, mistyped or out-of-range score."""


def _range_check(path: str, value: object, bounds: tuple[float, float],
                 what: str) -> list[Finding]:
    if value is None:
        return [Finding("AIJ-E001", f"{what} is missing", field=path,
                        expected=f"{bounds[0]:g}…{bounds[1]:g}")]
    if not isinstance(value, int) or isinstance(value, bool):
        return [Finding("AIJ-E002", f"{what} must be a whole number, found {value!r}",
                        field=path, expected="integer", actual=value)]
    low, high = bounds
    if not low <= value <= high:
        return [Finding("AIJ-E003", f"{what} must be {low:g} to {high:g}, found {value}",
                        field=path, expected=f"{low:g}…{high:g}", actual=value)]
    return []


PARTS = ("role.title", "protective", "evidence", "barriers", "growth.correlation",
         "growth.check", "tasks.time", "tasks.score", "tasks.class", "tasks.name",
         "override.score", "override.justification")
"""The parts of an input that :func:`check` can be asked about. A caller that holds only
some of them (an xlwings function takes a few ranges, not a whole assessment) asks about
those: a rule is applied when every part it reads is given, so nothing missing from the
call is reported as missing from the assessment."""
_TASK_PARTS = frozenset(p for p in PARTS if p.startswith("tasks."))


def check(assessment: Assessment, parts: Collection[str] | None = None) -> list[Finding]:
    """Every §5 input rule: presence, types, ranges, time total, task completeness,
    override justification, growth check, class mapping, duplicate names; only the rules
    on ``parts`` (names from :data:`PARTS`) when given, every rule when not."""
    a = assessment
    given = frozenset(PARTS if parts is None else parts)
    unknown = given - set(PARTS)
    if unknown:
        raise ValueError(f"not parts of an assessment: {', '.join(sorted(unknown))}")
    out: list[Finding] = []
    if a.method != METHOD:
        out.append(Finding("AIJ-E011", f"method {a.method!r} is not {METHOD}; refusing to "
                           f"score it with {METHOD}'s parameters", field="method",
                           expected=METHOD, actual=a.method))
        return out
    if "role.title" in given and not (a.role.title or "").strip():
        out.append(Finding("AIJ-E001", "the job title is missing", field="role.title"))
    for block, dims, bounds, what in (
        ("protective", PROTECTIVE, PROTECTIVE_RANGE, "protective score"),
        ("evidence", EVIDENCE, EVIDENCE_RANGE, "evidence score"),
        ("barriers", BARRIERS, BARRIER_RANGE, "barrier score"),
    ):
        if block not in given:
            continue
        scored = getattr(a, block)
        for d in dims:
            item = scored.get(d.key)
            out += _range_check(f"{block}.{d.key}.score", item.score if item else None,
                                bounds, f"{what} '{d.label}'")
    if "growth.correlation" in given:
        out += _range_check("growth.correlation", a.growth.correlation, GROWTH_RANGE,
                            "AI growth correlation")
    if given & _TASK_PARTS:
        out += _check_tasks(a, given)
    if "growth.check" in given and a.growth.check is not None:
        out += _range_check("growth.check", a.growth.check, GROWTH_RANGE, "growth check")
    if {"growth.check", "growth.correlation"} <= given \
            and isinstance(a.growth.check, int) and isinstance(a.growth.correlation, int) \
            and a.growth.check != a.growth.correlation:
        out.append(Finding("AIJ-E009", f"the growth check ({a.growth.check:+d}) differs from "
                           f"the growth correlation ({a.growth.correlation:+d})",
                           field="growth.check", expected=a.growth.correlation,
                           actual=a.growth.check))
    if "override.score" in given:
        out += _check_override(a, "override.justification" in given)
    return out


def _check_tasks(a: Assessment, given: frozenset[str]) -> list[Finding]:
    out: list[Finding] = []
    if not a.tasks:
        return [Finding("AIJ-E004", "the assessment has no tasks", field="tasks")]
    times, scores = "tasks.time" in given, "tasks.score" in given
    classes, names_given = "tasks.class" in given, "tasks.name" in given
    total = 0.0
    complete_times = True
    for i, task in enumerate(a.tasks):
        path = f"tasks[{i}]"
        label = f"task {i + 1}" + (f" ({task.name!r})" if task.name else "")
        # Without the scores, a task row stands for a scored task: its class is needed.
        scored = task.score is not None if scores else True
        if names_given and not task.name.strip():
            out.append(Finding("AIJ-E001", f"{label} has no name", field=f"{path}.name"))
        if not times:
            pass
        elif task.time is None:
            complete_times = False
            code = "AIJ-E007" if scores and task.score is not None else "AIJ-E001"
            out.append(Finding(code, f"{label} has no time share", field=f"{path}.time"))
        elif not isinstance(task.time, float | int) or isinstance(task.time, bool):
            complete_times = False
            out.append(Finding("AIJ-E002", f"{label}: time share must be a number",
                               field=f"{path}.time", actual=task.time))
        elif not 0 < task.time <= 1:
            complete_times = False
            out.append(Finding("AIJ-E003", f"{label}: time share must be above 0% and at "
                               f"most 100%, found {task.time * 100:g}%", field=f"{path}.time",
                               expected="0 < t ≤ 100%", actual=task.time))
        else:
            total += task.time
        if not scores:
            pass
        elif task.score is None:
            if times and task.time is not None:
                out.append(Finding("AIJ-E006", f"{label} has a time share but no score",
                                   field=f"{path}.score"))
        else:
            out += _range_check(f"{path}.score", task.score, TASK_SCORE_RANGE,
                                f"{label}: score")
        if not classes:
            pass
        elif task.task_class is None or task.task_class == "":
            if scored:
                out.append(Finding("AIJ-E001", f"{label} has no Aug/Disp class",
                                   field=f"{path}.class", expected=" / ".join(TASK_CLASSES)))
        elif task.task_class not in TASK_CLASSES:
            out.append(Finding("AIJ-E010", f"{label}: class {task.task_class!r} is not one of "
                               + ", ".join(TASK_CLASSES), field=f"{path}.class",
                               expected=" / ".join(TASK_CLASSES), actual=task.task_class))
        elif scores and isinstance(task.score, int) and TASK_SCORE_RANGE[0] <= task.score \
                <= TASK_SCORE_RANGE[1] and task.task_class != default_task_class(task.score):
            out.append(Finding("AIJ-W020", f"{label}: score {task.score} is "
                               f"{default_task_class(task.score)} by default, classed "
                               f"{task.task_class}", field=f"{path}.class",
                               expected=default_task_class(task.score), actual=task.task_class))
    if times and complete_times:
        tolerance = PARAMS["TIME_TOLERANCE_PCT"] / 100
        if abs(total - 1) > tolerance + 1e-12:
            out.append(Finding("AIJ-E005", f"time shares sum to {total * 100:.4g}%, not 100% "
                               f"(tolerance {PARAMS['TIME_TOLERANCE_PCT']:g} points)",
                               field="tasks", expected=100, actual=round(total * 100, 6)))
    if names_given:
        out += _duplicate_names(a)
    return out


def _duplicate_names(a: Assessment) -> list[Finding]:
    out: list[Finding] = []
    names = Counter(t.name.strip().casefold() for t in a.tasks if t.name.strip())
    for i, task in enumerate(a.tasks):
        key = task.name.strip().casefold()
        if key and names[key] > 1:
            first = next(j for j, t in enumerate(a.tasks) if t.name.strip().casefold() == key)
            if first != i:
                out.append(Finding("AIJ-W022", f"task {i + 1} has the same name as task "
                                   f"{first + 1}: {task.name!r}", field=f"tasks[{i}].name",
                                   actual=task.name))
    return out


def _check_override(a: Assessment, justification: bool = True) -> list[Finding]:
    value = a.override.score
    if value is None:
        return []
    if not isinstance(value, int | float) or isinstance(value, bool):
        return [Finding("AIJ-E002", f"the override must be a number, found {value!r}",
                        field="override.score", actual=value)]
    out = []
    low, high = OVERRIDE_RANGE
    if not low <= value <= high or round(value, 1) != value:
        out.append(Finding("AIJ-E003", f"the override must be 0 to 100 with at most one "
                           f"decimal, found {value!r}", field="override.score",
                           expected="0…100, one decimal", actual=value))
    if justification and not a.override.justification.strip():
        out.append(Finding("AIJ-E008", "an override is given without a justification",
                           field="override.justification"))
    return out


def blocking(findings: list[Finding]) -> list[Finding]:
    """The findings that leave the assessment impossible to score: a number the
    calculation needs is missing, mistyped or out of range. A missing name or class is
    an error too, but the figures can still be computed."""
    return [f for f in findings if f.code in BLOCKING_CODES
            and not (f.field or "").endswith((".name", ".class", "role.title"))]
