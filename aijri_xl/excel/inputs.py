"""A function call's arguments read into the assessment model, with every problem found.

The cells are read by :mod:`aijri_xl.excel.cells` (the blank-row rule, numbers, text);
the problems are the method's own (:func:`aijri_xl.method.rules.check`), so a function
and ``aijri verify`` say the same thing about the same input.
"""

from __future__ import annotations

import re
from typing import Any

from aijri_xl._record import dataclass, field
from aijri_xl.excel.cells import (
    Cell,
    RangeShapeError,
    column,
    is_blank_cell,
    is_blank_row,
    is_excel_error,
    is_number,
    scalar,
    task_class,
    text_cell,
    used_rows,
    whole,
)
from aijri_xl.method.engine import Result, score_from_scores
from aijri_xl.method.excel_math import percent_to_fraction
from aijri_xl.method.findings import Finding
from aijri_xl.method.model import Assessment, Growth, Override, Scored, Task
from aijri_xl.method.parameters import (
    BARRIER_RANGE,
    BARRIERS,
    EVIDENCE,
    EVIDENCE_RANGE,
    GROWTH_RANGE,
    PROTECTIVE,
    PROTECTIVE_RANGE,
    Dimension,
)
from aijri_xl.method.rules import _range_check, blocking, check


class ExcelInputError(Exception):
    """Inputs a function cannot compute with. ``findings`` say why; ``rows`` maps a
    task's index to its row in the ranges, for messages. How it reaches Excel depends
    on the route (:mod:`aijri_xl.excel.errors`)."""

    def __init__(self, findings: list[Finding], rows: dict[int, int] | None = None):
        self.findings = findings
        self.rows = rows or {}
        super().__init__(findings[0].message if findings else "invalid input")


def shape_error(exc: RangeShapeError) -> ExcelInputError:
    return ExcelInputError([Finding("AIJ-E002", str(exc), field=exc.what)])


def error_cell(path: str, label: str, value: Any) -> Finding:
    """An input cell that holds an Excel error (``value``, its text)."""
    return Finding("AIJ-E002", f"{label} is the error {value}", field=path, actual=value)


NOT_GIVEN: Any = object()
"""Marks an input a function does not take (unlike ``None``, a blank cell)."""

_TASK_FIELD = re.compile(r"^tasks\[(\d+)\]")


@dataclass(slots=True)
class Inputs:
    """What a call passed, read into the model, with every problem found on the way.

    ``findings`` holds only problems with the inputs the function takes; ``rows`` maps a
    task's index to its row in the ranges (1-based), for messages."""

    assessment: Assessment
    findings: list[Finding] = field(default_factory=list)
    rows: dict[int, int] = field(default_factory=dict)
    totals: dict[str, Any] = field(default_factory=dict)
    """Blocks given as one total instead of their scores: block key → total."""

    def block_scores(self, block: str) -> list[int]:
        """A block's scores as the engine sums them (the total alone, if given so)."""
        if block in self.totals:
            return [self.totals[block]]
        return [s.score for s in getattr(self.assessment, block).values()
                if s.score is not None]

    def require(self, also: tuple[str, ...] = ()) -> None:
        """Raise :class:`ExcelInputError` if a problem leaves nothing to compute: what
        :func:`aijri_xl.method.rules.blocking` says stops the engine, an error cell in
        any input (Excel passes errors on), and errors on the fields ending in ``also``."""
        stops_engine = blocking(self.findings)
        stopping = [f for f in self.findings if f in stops_engine
                    or is_excel_error(f.actual)
                    or (also and f.severity == "error" and (f.field or "").endswith(also))]
        if stopping:
            raise ExcelInputError(stopping, self.rows)

    def reference(self) -> Result:
        """The reference engine on these inputs; blocks the call did not take count as
        empty (total 0), which changes none of the figures the function returns."""
        a = self.assessment
        times = [t.time if t.time is not None else 0.0 for t in a.tasks]
        scores = [t.score if t.score is not None else 0 for t in a.tasks]
        return score_from_scores(
            times=times, scores=scores, classes=[t.task_class for t in a.tasks],
            protective=self.block_scores("protective"),
            growth=a.growth.correlation or 0,
            evidence=self.block_scores("evidence"),
            barriers=self.block_scores("barriers"),
            override=a.override.score,
        )


def read_inputs(*, times: Any = NOT_GIVEN, scores: Any = NOT_GIVEN,
                classes: Any = NOT_GIVEN, task_names: Any = NOT_GIVEN,
                protective: Any = NOT_GIVEN, growth: Any = NOT_GIVEN,
                evidence: Any = NOT_GIVEN, barriers: Any = NOT_GIVEN,
                override: Any = NOT_GIVEN, justification: Any = NOT_GIVEN,
                growth_check: Any = NOT_GIVEN) -> Inputs:
    """Read a call's arguments into an :class:`Inputs`. Raises :class:`ExcelInputError`
    only for a range of the wrong shape; every other problem is a finding."""
    try:
        return _read(times=times, scores=scores, classes=classes, task_names=task_names,
                     protective=protective, growth=growth, evidence=evidence,
                     barriers=barriers, override=override, justification=justification,
                     growth_check=growth_check)
    except RangeShapeError as exc:
        raise shape_error(exc) from None


def _read(*, times: Any, scores: Any, classes: Any, task_names: Any, protective: Any,
          growth: Any, evidence: Any, barriers: Any, override: Any, justification: Any,
          growth_check: Any) -> Inputs:
    a = Assessment()
    own: list[Finding] = []  # problems found here, before the method's checks
    parts: list[str] = []  # the parts of an assessment this call gives (rules.PARTS)
    inputs = Inputs(a)

    if times is not NOT_GIVEN:
        _read_tasks(inputs, own, times, scores, classes, task_names)
        parts += [f"tasks.{key}" for key, value in (
            ("time", times), ("score", scores), ("class", classes), ("name", task_names))
            if value is not NOT_GIVEN]
    for block, value, dims, bounds, what in (
        ("protective", protective, PROTECTIVE, PROTECTIVE_RANGE, "protective"),
        ("evidence", evidence, EVIDENCE, EVIDENCE_RANGE, "evidence"),
        ("barriers", barriers, BARRIERS, BARRIER_RANGE, "barrier"),
    ):
        if value is not NOT_GIVEN and _read_block(inputs, own, block, value, dims, bounds,
                                                  what):
            parts.append(block)
    if growth is not NOT_GIVEN:
        a.growth = Growth(correlation=_scalar(own, "growth.correlation",
                                              "the AI growth correlation", growth))
        parts.append("growth.correlation")
    if growth_check is not NOT_GIVEN:
        value = _scalar(own, "growth.check", "the growth check", growth_check)
        whole_numbers = all(isinstance(v, int) and not isinstance(v, bool)
                            for v in (value, a.growth.correlation))
        if value is not None and not whole_numbers:
            # check() compares only whole numbers (its message formats them with :+d)
            own.extend(_range_check("growth.check", value, GROWTH_RANGE, "the growth check"))
            value = None
        a.growth.check = value
        parts.append("growth.check")
    if override is not NOT_GIVEN:
        value = _scalar(own, "override.score", "the override", override, whole_number=False)
        a.override = Override(score=float(value) if is_number(value) else value)
        parts.append("override.score")
        if justification is not NOT_GIVEN:
            text = text_cell(_scalar(own, "override.justification", "the justification",
                                     justification, whole_number=False))
            a.override.justification = "" if text is None else str(text)
            parts.append("override.justification")

    reported = {f.field for f in own}  # an error cell, reported once (not also "missing")
    inputs.findings = own + [f for f in check(a, parts) if f.field not in reported]
    return inputs


def _scalar(own: list[Finding], path: str, label: str, value: Cell,
            whole_number: bool = True) -> Cell:
    """One cell (or a one-cell range) as the model value: blank → None, an error cell →
    None with a finding, a whole float → int."""
    values = scalar(value, label)
    if len(values) > 1:
        own.append(Finding("AIJ-E002", f"{label} must be one cell, found {len(values)}",
                           field=path))
        return None
    v = values[0] if values else None
    if is_excel_error(v):
        own.append(error_cell(path, label, v))
        return None
    return whole(v) if whole_number else v


_TASK_COLUMNS = (("time", "time", "time share"), ("score", "score", "score"),
                 ("class", "task_class", "class"), ("name", "name", "name"))


def _read_tasks(inputs: Inputs, own: list[Finding], times: Any, scores: Any, classes: Any,
                names: Any) -> None:
    given = {key: (value, what) for key, value, what in (
        ("time", times, "times"), ("score", scores, "scores"), ("class", classes, "classes"),
        ("name", names, "task names")) if value is not NOT_GIVEN}
    # Rows past the last one any column uses are blank rows by the rule: drop them first.
    end = max(used_rows(value) for value, _ in given.values())
    columns = {key: column(value[:end] if isinstance(value, list | tuple) else value, what)
               for key, (value, what) in given.items()}
    length = max(len(c) for c in columns.values())
    for c in columns.values():
        c.extend([None] * (length - len(c)))
    start = 0
    first = columns["time"][0] if length else None
    if isinstance(first, str) and not is_excel_error(first) \
            and not any(ch.isdigit() for ch in first):
        start = 1  # a header row such as "Time share"
    grid = list(columns.values())
    rows = [i for i in range(start, length) if not is_blank_row([c[i] for c in grid])]
    numbers = [columns["time"][i] for i in rows if is_number(columns["time"][i])]
    percents = any(t > 1 for t in numbers)

    tasks = []
    for k, i in enumerate(rows):
        label = f"task {k + 1}"
        task = Task()
        for key, attr, what in _TASK_COLUMNS:
            if key not in columns:
                continue
            v = columns[key][i]
            if is_excel_error(v):
                own.append(error_cell(f"tasks[{k}].{key}", f"{label}: the {what}", v))
                v = None
            if key == "time" and is_number(v):
                v = percent_to_fraction(v) if percents else float(v)
            elif key == "score":
                v = whole(v)
            elif key == "class":
                v = task_class(text_cell(v))
            elif key == "name":
                v = text_cell(v)
                v = "" if v is None else str(v)
            setattr(task, attr, v)
        tasks.append(task)
        inputs.rows[k] = i + 1
    inputs.assessment.tasks = tasks


def _read_block(inputs: Inputs, own: list[Finding], block: str, value: Any,
                dims: tuple[Dimension, ...], bounds: tuple[int, int], what: str) -> bool:
    """Read a block given as its scores (returns True: the method's rules apply to them)
    or as one total (False: the total's own range is checked here)."""
    values = column(value, f"{what} scores")
    while len(values) > len(dims) and is_blank_cell(values[-1]):
        values.pop()  # a range drawn a little too long
    scored = getattr(inputs.assessment, block)
    if len(values) == len(dims):
        for d, v in zip(dims, values, strict=True):
            path = f"{block}.{d.key}.score"
            if is_excel_error(v):
                own.append(error_cell(path, f"{what} score '{d.label}'", v))
                v = None
            scored[d.key] = Scored(score=whole(v))
        return True
    if len(values) <= 1:
        total = values[0] if values else None
        path = f"{block}.total"
        if is_excel_error(total):
            own.append(error_cell(path, f"the {what} total", total))
            total = None
        else:
            total = whole(total)
            span = (bounds[0] * len(dims), bounds[1] * len(dims))
            own.extend(_range_check(path, total, span, f"the {what} total"))
        inputs.totals[block] = total
        return False
    own.append(Finding("AIJ-E002", f"expected the {len(dims)} {what} scores or their "
                       f"total, found {len(values)} cells", field=block,
                       expected=len(dims), actual=len(values)))
    return False


def problem_text(finding: Finding, rows: dict[int, int] | None = None) -> str:
    """A finding's message, with the task's row in the range when it is not the task's
    number (blank rows or a header skipped)."""
    message = finding.message
    match = _TASK_FIELD.match(finding.field or "")
    if match and rows:
        index = int(match.group(1))
        row = rows.get(index)
        if row is not None and row != index + 1:
            message += f" (row {row} of the range)"
    return message
