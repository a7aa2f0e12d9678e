"""The AIJRI method as Excel custom functions (xlwings): ``=AIJRI_SCORE(...)`` and friends.

Written once with xlwings' ``func``/``arg`` decorators, imported as ``import xlwings as
xw``; xlwings chooses the implementation when it is imported, so the same module works in
its three runtimes:

- **xlwings add-in on Windows** (COM, open source): ``xw.func`` is the classic UDF
  decorator; list ``aijri_xl.udfs`` under *UDF Modules* and click *Import Functions*;
- **xlwings Lite** (Pyodide in the add-in, Windows, Mac and the web) and **xlwings
  Server** (Office.js custom functions): with ``XLWINGS_ON_SERVER=true`` ``xw.func`` is
  ``xlwings.server.func``; Lite runs the self-contained ``main.py`` that ``aijri
  xlwings-lite`` writes from this module and the engine;
- anywhere else (Linux, macOS without Lite) the decorators do nothing and the functions
  are ordinary Python functions, which is how the tests call them.

Every function

- reads what Excel passes: a single cell as a scalar, a range as a list of lists, blank
  cells as ``None`` (or ``""``), numbers as floats, error cells as their text (``#N/A``);
- takes time shares as fractions (``0.25``, a cell showing 25%) or as percents (``25``):
  if every non-blank time share in the call is at most 1 they are fractions, otherwise
  percents (converted exactly with :func:`~aijri_xl.excel_math.percent_to_fraction`);
- skips blank rows in the task table (a whole-column range such as ``B:B`` ends in a
  million of them) and a first row whose time share is text without digits (a header);
- returns shares as fractions (format the cell as a percentage);
- checks its inputs by the method's own rules (:func:`aijri_xl.validate.check`) and
  calculates with the reference engine (:func:`aijri_xl.engine.score_from_scores`);
- never raises: a problem comes back as text that starts with an Excel error code and
  says what is wrong, e.g. ``#VALUE! task 3: score must be 1 to 5, found 7``. An error
  cell in the input is passed on with its own code (``#N/A task 2: ...``).

Why text and not a real error value: xlwings 0.37 turns a returned string that is
exactly an Excel error (``"#VALUE!"``, ``"#N/A"``) into a real error in the Office.js
runtimes (Lite, Server) but cannot attach a reason to it, and the Windows add-in shows
any string as text. A message that starts with the code reads the same everywhere and
says why; ``ISNUMBER()`` (or ``LEFT(x, 1) = "#"``) tells a result from a problem.
``AIJRI_VALIDATE`` lists every problem of an assessment at once.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import xlwings as xw

from aijri_xl.method.compare import override_findings
from aijri_xl.method.engine import Result, score_from_scores, sub_label_of, zone_of
from aijri_xl.method.excel_math import excel_round, percent_to_fraction
from aijri_xl.method.findings import SEVERITY_ORDER, Finding
from aijri_xl.method.model import Assessment, Growth, Override, Scored, Task
from aijri_xl.method.parameters import (
    BARRIER_RANGE,
    BARRIERS,
    EVIDENCE,
    EVIDENCE_RANGE,
    GROWTH_RANGE,
    METHOD,
    PARAMETERS,
    PARAMS,
    PROTECTIVE,
    PROTECTIVE_RANGE,
    RESULT_FIELDS,
    SCORE_DECIMALS,
    TASK_CLASSES,
    TASK_SCORE_RANGE,
    Dimension,
)
from aijri_xl.method.rules import _range_check, blocking, check

CellRange = list[list[Any]]
"""A range as Excel passes it with ``ndim=2``: rows of cell values (``None`` if the range
is one blank cell)."""
Cell = Any
"""One cell's value: a number, text, a bool, ``None`` (blank) or an error's text."""
ExcelResult = Any
"""A number, text, or rows of them (a spilled array)."""

EXCEL_ERRORS = frozenset({
    "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
    "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
    "#DATA!",
})
"""Excel's error values as xlwings passes them with ``err_to_str=True``."""

CATEGORY = "AIJRI"
"""Function category in the Windows add-in's function wizard (ignored by Lite/Server)."""


# --------------------------------------------------------------------------- reading cells


class ExcelInputError(Exception):
    """Inputs a function cannot compute with; becomes the function's error text."""

    def __init__(self, findings: list[Finding], rows: dict[int, int] | None = None):
        self.findings = findings
        self.rows = rows or {}
        super().__init__(findings[0].message if findings else "invalid input")


def is_blank(value: Cell) -> bool:
    """A blank cell: ``None``, an empty or whitespace-only string."""
    return value is None or (isinstance(value, str) and not value.strip())


def is_excel_error(value: Cell) -> bool:
    return isinstance(value, str) and value in EXCEL_ERRORS


def is_number(value: Cell) -> bool:
    """A number as Excel passes it (not a bool, which Python counts as an int)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def whole(value: Cell) -> Cell:
    """A whole number that arrived as a float (``3.0``) as the int the model expects;
    anything else unchanged, so that the method's checks report it."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def task_class(value: Cell) -> Cell:
    """An Aug/Disp class compared the way Excel compares text: case and extra spaces
    ignored (``"not involved"`` is ``NOT INVOLVED``)."""
    if isinstance(value, str):
        return " ".join(value.split()).upper()
    return value


_BLANK_ROWS = ([None], [""], (None,), ("",), None, "")


def cells(value: Cell | CellRange, what: str, trim: bool = True) -> list[Cell]:
    """The cells of a single row or column (or one cell), in order, ``""`` as ``None``,
    without the blank cells at the end unless ``trim`` is false.

    Raises :class:`ExcelInputError` for a block of several rows and columns."""
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        return [None if is_blank(value) else value]
    end = len(value)
    while trim and end and value[end - 1] in _BLANK_ROWS:
        end -= 1  # a whole column (B:B) ends in a million blank rows: drop them first
    rows = [r if isinstance(r, list | tuple) else [r] for r in value[:end]]
    if len(rows) > 1 and any(len(r) > 1 for r in rows):
        raise ExcelInputError([Finding(
            "AIJ-E002", f"{what} must be a single row or column, found "
            f"{len(rows)} rows × {max(len(r) for r in rows)} columns", field=what)])
    flat = [c for r in rows for c in r]
    while trim and flat and is_blank(flat[-1]):
        flat.pop()
    return [None if is_blank(c) else c for c in flat]


def _error_cell(path: str, label: str, value: str) -> Finding:
    return Finding("AIJ-E002", f"{label} is the error {value}", field=path, actual=value)


# --------------------------------------------------------------------------- inputs


_NOT_GIVEN: Any = object()
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
        :func:`aijri_xl.validate.blocking` says stops the engine, an error cell in any
        input (Excel passes errors on), and errors on the fields ending in ``also``."""
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
        times = [t.time for t in a.tasks]
        scores = [t.score if t.score is not None else 0 for t in a.tasks]
        return score_from_scores(
            times=times, scores=scores, classes=[t.task_class for t in a.tasks],
            protective=self.block_scores("protective"),
            growth=a.growth.correlation or 0,
            evidence=self.block_scores("evidence"),
            barriers=self.block_scores("barriers"),
            override=a.override.score,
        )


def read_inputs(*, times: Any = _NOT_GIVEN, scores: Any = _NOT_GIVEN,
                classes: Any = _NOT_GIVEN, task_names: Any = _NOT_GIVEN,
                protective: Any = _NOT_GIVEN, growth: Any = _NOT_GIVEN,
                evidence: Any = _NOT_GIVEN, barriers: Any = _NOT_GIVEN,
                override: Any = _NOT_GIVEN, justification: Any = _NOT_GIVEN,
                growth_check: Any = _NOT_GIVEN, title: Any = _NOT_GIVEN,
                workbook: bool = False) -> Inputs:
    """Read a call's arguments into an :class:`Inputs`. Raises :class:`ExcelInputError`
    only for a range of the wrong shape; every other problem is a finding.

    ``workbook=True`` reads task columns as an assessment workbook holds them
    (WORKBOOK-CONTRACT.md): time shares are fractions, and there is no header row."""
    a = Assessment()
    own: list[Finding] = []  # problems found here, before the method's checks
    given: list[str] = []  # field prefixes whose findings concern this call
    inputs = Inputs(a)

    if title is not _NOT_GIVEN:
        a.role.title = None if is_blank(title) else str(title)
        given.append("role.title")
    if times is not _NOT_GIVEN:
        _read_tasks(inputs, own, times, scores, classes, task_names, workbook)
        given.append("tasks")
    for block, value, dims, bounds, what in (
        ("protective", protective, PROTECTIVE, PROTECTIVE_RANGE, "protective"),
        ("evidence", evidence, EVIDENCE, EVIDENCE_RANGE, "evidence"),
        ("barriers", barriers, BARRIERS, BARRIER_RANGE, "barrier"),
    ):
        if value is not _NOT_GIVEN:
            _read_block(inputs, own, block, value, dims, bounds, what)
            given.append(block)
    if growth is not _NOT_GIVEN:
        a.growth = Growth(correlation=_scalar(own, "growth.correlation",
                                              "the AI growth correlation", growth))
        given.append("growth.correlation")
    if growth_check is not _NOT_GIVEN:
        value = _scalar(own, "growth.check", "the growth check", growth_check)
        whole_numbers = all(isinstance(v, int) and not isinstance(v, bool)
                            for v in (value, a.growth.correlation))
        if value is not None and not whole_numbers:
            # check() compares only whole numbers (its message formats them with :+d)
            own.extend(_range_check("growth.check", value, GROWTH_RANGE, "the growth check"))
            value = None
        a.growth.check = value
        given.append("growth.check")
    if override is not _NOT_GIVEN:
        value = _scalar(own, "override.score", "the override", override, whole_number=False)
        a.override = Override(score=float(value) if is_number(value) else value)
        given.append("override.score")
        if justification is not _NOT_GIVEN:
            text = "" if is_blank(justification) else str(justification)
            a.override.justification = text
            given.append("override.justification")

    reported = {f.field for f in own}  # an error cell, not also "missing"
    found = [f for f in check(a) if (f.field or "").startswith(tuple(given))
             and f.field not in reported]
    # Task columns the call does not take are not asked for.
    for column, attr in ((task_names, ".name"), (classes, ".class"), (scores, ".score")):
        if column is _NOT_GIVEN:
            found = [f for f in found if not _is_task_field(f, attr)]
    if scores is _NOT_GIVEN:  # AIJRI_SPLIT: the scores are placeholders
        found = [f for f in found if f.code != "AIJ-W020"]
    if override is not _NOT_GIVEN and justification is _NOT_GIVEN:
        found = [f for f in found if f.field != "override.justification"]
    inputs.findings = own + found
    return inputs


def _is_task_field(finding: Finding, attr: str) -> bool:
    path = finding.field or ""
    return path.startswith("tasks[") and path.endswith(attr)


def _scalar(own: list[Finding], path: str, label: str, value: Cell,
            whole_number: bool = True) -> Cell:
    """One cell (or a one-cell range) as the model value: blank → None, an error cell →
    None with a finding, a whole float → int."""
    values = cells(value, label)
    if len(values) > 1:
        own.append(Finding("AIJ-E002", f"{label} must be one cell, found {len(values)}",
                           field=path))
        return None
    v = values[0] if values else None
    if is_excel_error(v):
        own.append(_error_cell(path, label, v))
        return None
    return whole(v) if whole_number else v


def _read_tasks(inputs: Inputs, own: list[Finding], times: Any, scores: Any, classes: Any,
                names: Any, workbook: bool) -> None:
    columns = {"time": cells(times, "times")}
    if scores is not _NOT_GIVEN:
        columns["score"] = cells(scores, "scores")
    if classes is not _NOT_GIVEN:
        columns["class"] = cells(classes, "classes")
    if names is not _NOT_GIVEN:
        columns["name"] = cells(names, "task names")
    length = max(len(c) for c in columns.values())
    for c in columns.values():
        c.extend([None] * (length - len(c)))
    start = 0
    first = columns["time"][0] if length else None
    if not workbook and isinstance(first, str) and not is_excel_error(first) \
            and not any(ch.isdigit() for ch in first):
        start = 1  # a header row such as "Time share"
    rows = [i for i in range(start, length)
            if any(not is_blank(c[i]) for c in columns.values())]
    numbers = [columns["time"][i] for i in rows if is_number(columns["time"][i])]
    percents = not workbook and any(t > 1 for t in numbers)

    tasks = []
    for k, i in enumerate(rows):
        label = f"task {k + 1}"
        task = Task()
        for key, attr, what in (("time", "time", "time share"), ("score", "score", "score"),
                                ("class", "task_class", "class"), ("name", "name", "name")):
            if key not in columns:
                continue
            v = columns[key][i]
            if is_excel_error(v):
                own.append(_error_cell(f"tasks[{k}].{key}", f"{label}: the {what}", v))
                v = None
            if key == "time" and is_number(v):
                v = percent_to_fraction(v) if percents else float(v)
            elif key == "score":
                v = whole(v)
            elif key == "class":
                v = task_class(v)
            elif key == "name":
                v = "" if v is None else str(v)
            setattr(task, attr, v)
        if "score" not in columns:
            # AIJRI_SPLIT has no scores; a placeholder makes check() examine the class
            # (its findings about scores are dropped).
            task.score = TASK_SCORE_RANGE[0]
        tasks.append(task)
        inputs.rows[k] = i + 1
    inputs.assessment.tasks = tasks


def _read_block(inputs: Inputs, own: list[Finding], block: str, value: Any,
                dims: tuple[Dimension, ...], bounds: tuple[int, int], what: str) -> None:
    values = cells(value, f"{what} scores", trim=False)
    while len(values) > len(dims) and values[-1] is None:
        values.pop()  # a range drawn a little too long
    scored = getattr(inputs.assessment, block)
    if len(values) == len(dims):
        for d, v in zip(dims, values, strict=True):
            path = f"{block}.{d.key}.score"
            if is_excel_error(v):
                own.append(_error_cell(path, f"{what} score '{d.label}'", v))
                v = None
            scored[d.key] = Scored(score=whole(v))
        return
    if len(values) <= 1:
        total = values[0] if values else None
        path = f"{block}.total"
        if is_excel_error(total):
            own.append(_error_cell(path, f"the {what} total", total))
            total = None
        else:
            total = whole(total)
            span = (bounds[0] * len(dims), bounds[1] * len(dims))
            own.extend(_range_check(path, total, span, f"the {what} total"))
        inputs.totals[block] = total
        for d in dims:  # the scores are not asked for; keep check() quiet about them
            scored[d.key] = Scored(score=bounds[0])
        return
    own.append(Finding("AIJ-E002", f"expected the {len(dims)} {what} scores or their "
                       f"total, found {len(values)} cells", field=block,
                       expected=len(dims), actual=len(values)))
    for d in dims:
        scored[d.key] = Scored(score=bounds[0])


# --------------------------------------------------------------------------- errors


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


def error_text(error: ExcelInputError) -> str:
    """The text a function returns for inputs it cannot compute with."""
    first = error.findings[0]
    code = first.actual if is_excel_error(first.actual) else "#VALUE!"
    text = f"{code} {problem_text(first, error.rows)}"
    more = len(error.findings) - 1
    if more:
        text += f" (and {more} more problem{'s' if more > 1 else ''}; see AIJRI_VALIDATE)"
    return text


def never_raises(function: Callable[..., ExcelResult]) -> Callable[..., ExcelResult]:
    """Turn any exception into the function's error text, so that Excel shows a reason
    instead of a traceback or a bare ``#VALUE!``."""

    @functools.wraps(function)
    def safe(*args: Any, **kwargs: Any) -> ExcelResult:
        try:
            return function(*args, **kwargs)
        except ExcelInputError as exc:
            return error_text(exc)
        except Exception as exc:  # a bug: still never raise into Excel
            return f"#VALUE! internal error in {function.__name__}: {type(exc).__name__}: {exc}"

    # Excel shows the docstring as the function's description: one line, no indents.
    safe.__doc__ = " ".join((function.__doc__ or "").split())
    return safe


def _range_arg(name: str, doc: str) -> Callable[[Any], Any]:
    """A range argument: always rows of cells, error cells as their text."""
    return xw.arg(name, ndim=2, err_to_str=True, doc=doc)


def _cell_arg(name: str, doc: str) -> Callable[[Any], Any]:
    return xw.arg(name, err_to_str=True, doc=doc)


TIMES_DOC = ("Time share of each task, one row or column: fractions (0.25, shown as 25%) "
             "or percents (25). Blank rows are skipped.")
SCORES_DOC = "Score of each task, 1 (AI can't do it) to 5 (AI does it), in the rows of times."
CLASSES_DOC = "Class of each task: DISPLACEMENT, AUGMENTATION or NOT INVOLVED."
PROTECTIVE_DOC = "The 3 protective principle scores (0-3 each), or their total."
GROWTH_DOC = "AI growth correlation, -2 to +2."
EVIDENCE_DOC = "The 5 evidence scores (-2 to +2 each), or their total."
BARRIERS_DOC = "The 5 barrier scores (0-2 each), or their total."
OVERRIDE_DOC = "Optional assessor override of the score, 0-100 with one decimal."
SCORE_DOC = "A JobZone score, 0-100 (taken to one decimal, as published)."


# --------------------------------------------------------------------------- functions


@xw.func(category=CATEGORY)
@_range_arg("times", TIMES_DOC)
@_range_arg("scores", SCORES_DOC)
@never_raises
def AIJRI_TASK_RESISTANCE(times: CellRange, scores: CellRange) -> ExcelResult:
    """Task Resistance Score: TRS_CEILING minus the time-weighted task score (1.00 to
    5.00; higher resists AI better). AIJRI method step 3.2."""
    inputs = read_inputs(times=times, scores=scores)
    inputs.require()
    return inputs.reference().task_resistance


@xw.func(category=CATEGORY)
@_range_arg("times", TIMES_DOC)
@_range_arg("scores", SCORES_DOC)
@_cell_arg("min_score", "Lowest task score counted, 1 to 5 (3 gives P3, 4 gives P4).")
@never_raises
def AIJRI_PCT_SCORING(times: CellRange, scores: CellRange, min_score: Cell) -> ExcelResult:
    """Share of task time (a fraction; format as %) in tasks scoring min_score or more,
    rounded to 8 decimals like the method's P3 and P4 (step 3.3)."""
    inputs = read_inputs(times=times, scores=scores)
    threshold = whole(_only(min_score, "min_score"))
    problems = _range_check("min_score", threshold, TASK_SCORE_RANGE, "min_score")
    inputs.findings = problems + inputs.findings
    inputs.require()
    # The engine's P3 of the scores recoded as 3 (counted) or 1 (not counted) is the
    # share at or above the threshold, summed in row order and rounded as in step 3.3.
    for task in inputs.assessment.tasks:
        task.score = 3 if task.score >= threshold else 1
    return inputs.reference().fractions["pct_time_score_3plus"]


_SPLIT_FIELDS = {"DISPLACEMENT": "split_displacement", "AUGMENTATION": "split_augmentation",
                 "NOT INVOLVED": "split_not_involved"}


@xw.func(category=CATEGORY)
@_range_arg("times", TIMES_DOC)
@_range_arg("classes", CLASSES_DOC)
@_cell_arg("class_name", "Optional: one class to return; blank spills all three "
           "(DISPLACEMENT, AUGMENTATION, NOT INVOLVED).")
@never_raises
def AIJRI_SPLIT(times: CellRange, classes: CellRange, class_name: Cell = None) -> ExcelResult:
    """Share of task time in each Aug/Disp class, as fractions (format as %): one row
    DISPLACEMENT, AUGMENTATION, NOT INVOLVED, or the share of class_name (step 3.4)."""
    inputs = read_inputs(times=times, classes=classes)
    inputs.require(also=(".class",))
    result = inputs.reference()
    if is_blank(class_name):
        return [[result.fractions[_SPLIT_FIELDS[c]] for c in TASK_CLASSES]]
    wanted = task_class(class_name)
    if wanted not in _SPLIT_FIELDS:
        raise ExcelInputError([Finding(
            "AIJ-E010", f"class_name {class_name!r} is not one of " + ", ".join(TASK_CLASSES),
            field="class_name", actual=class_name)])
    return result.fractions[_SPLIT_FIELDS[wanted]]


@xw.func(category=CATEGORY)
@_range_arg("evidence", EVIDENCE_DOC)
@_range_arg("barriers", BARRIERS_DOC)
@_cell_arg("growth", GROWTH_DOC)
@never_raises
def AIJRI_MODIFIERS(evidence: CellRange, barriers: CellRange, growth: Cell) -> ExcelResult:
    """The evidence, barrier and growth modifiers as one row: 1 + E x EVIDENCE_WEIGHT,
    1 + B x BARRIER_WEIGHT, 1 + G x GROWTH_WEIGHT (step 3.6)."""
    inputs = read_inputs(evidence=evidence, barriers=barriers, growth=growth)
    inputs.require()
    r = inputs.reference()
    return [[r.evidence_modifier, r.barrier_modifier, r.growth_modifier]]


@xw.func(category=CATEGORY)
@_range_arg("times", TIMES_DOC)
@_range_arg("scores", SCORES_DOC)
@_range_arg("evidence", EVIDENCE_DOC)
@_range_arg("barriers", BARRIERS_DOC)
@_cell_arg("growth", GROWTH_DOC)
@never_raises
def AIJRI_RAW(times: CellRange, scores: CellRange, evidence: CellRange, barriers: CellRange,
              growth: Cell) -> ExcelResult:
    """Raw score: Task Resistance x evidence x barrier x growth modifiers, unrounded
    (step 3.7)."""
    inputs = read_inputs(times=times, scores=scores, evidence=evidence, barriers=barriers,
                         growth=growth)
    inputs.require()
    return inputs.reference().raw


@xw.func(category=CATEGORY)
@_range_arg("times", TIMES_DOC)
@_range_arg("scores", SCORES_DOC)
@_range_arg("evidence", EVIDENCE_DOC)
@_range_arg("barriers", BARRIERS_DOC)
@_cell_arg("growth", GROWTH_DOC)
@never_raises
def AIJRI_SCORE(times: CellRange, scores: CellRange, evidence: CellRange, barriers: CellRange,
                growth: Cell) -> ExcelResult:
    """JobZone score 0-100 with one decimal: (raw - SCORE_OFFSET) / SCORE_SPAN x 100,
    capped to the scale, rounded with Excel's ROUND (step 3.8). Before any override."""
    inputs = read_inputs(times=times, scores=scores, evidence=evidence, barriers=barriers,
                         growth=growth)
    inputs.require()
    return inputs.reference().score


def _only(value: Cell, what: str) -> Cell:
    """One cell's value; an error cell stops the function with that error."""
    values = cells(value, what)
    if len(values) > 1:
        raise ExcelInputError([Finding("AIJ-E002", f"{what} must be one cell, found "
                                       f"{len(values)}", field=what)])
    v = values[0] if values else None
    if is_excel_error(v):
        raise ExcelInputError([_error_cell(what, what, v)])
    return v


def _final_score(value: Cell) -> float:
    """A score argument to one decimal (Excel's ROUND), checked to lie on the scale."""
    v = _only(value, "score")
    low, high = PARAMS["SCORE_MIN"], PARAMS["SCORE_MAX"]
    if v is None:
        problem = Finding("AIJ-E001", "the score is missing", field="score")
    elif not is_number(v):
        problem = Finding("AIJ-E002", f"the score must be a number, found {v!r}",
                          field="score", actual=v)
    elif not low <= v <= high:
        problem = Finding("AIJ-E003", f"the score must be {low:g} to {high:g}, found {v:g}",
                          field="score", actual=v)
    else:
        return excel_round(float(v), SCORE_DECIMALS)
    raise ExcelInputError([problem])


@xw.func(category=CATEGORY)
@_cell_arg("score", SCORE_DOC)
@never_raises
def AIJRI_ZONE(score: Cell) -> ExcelResult:
    """Zone of a final score: GREEN from GREEN_MIN, YELLOW from YELLOW_MIN, else RED
    (step 3.11). The score is taken to one decimal first, as published."""
    return zone_of(_final_score(score))


@xw.func(category=CATEGORY)
@_cell_arg("score", SCORE_DOC)
@_range_arg("times", TIMES_DOC)
@_range_arg("scores", SCORES_DOC)
@_cell_arg("growth", GROWTH_DOC)
@never_raises
def AIJRI_SUBLABEL(score: Cell, times: CellRange, scores: CellRange, growth: Cell) -> ExcelResult:
    """Zone with sub-label, e.g. Green (Transforming), from the final score, the task
    table (P3, P4) and the growth correlation (step 3.12)."""
    final = _final_score(score)
    inputs = read_inputs(times=times, scores=scores, growth=growth)
    inputs.require()
    r = inputs.reference()
    return sub_label_of(zone_of(final), r.growth_correlation,
                        r.fractions["pct_time_score_3plus"], r.fractions["pct_time_score_4plus"])


@xw.func(category=CATEGORY)
@_range_arg("protective", PROTECTIVE_DOC)
@_cell_arg("growth", GROWTH_DOC)
@never_raises
def AIJRI_QUICK_SCREEN(protective: CellRange, growth: Cell) -> ExcelResult:
    """Quick-screen band of protective total + growth correlation, e.g. Yellow-to-Green
    boundary (step 3.9). A first indication only; it never changes the score."""
    inputs = read_inputs(protective=protective, growth=growth)
    inputs.require()
    return inputs.reference().quick_screen_band


_ASSESS_ARGS = (
    ("times", TIMES_DOC), ("scores", SCORES_DOC), ("classes", CLASSES_DOC),
    ("protective", PROTECTIVE_DOC), ("evidence", EVIDENCE_DOC), ("barriers", BARRIERS_DOC),
)


def _assessment_args(function: Callable[..., Any]) -> Callable[..., Any]:
    """The argument descriptions AIJRI_ASSESS and AIJRI_VALIDATE share."""
    for name, doc in reversed(_ASSESS_ARGS):
        function = _range_arg(name, doc)(function)
    function = _cell_arg("growth", GROWTH_DOC)(function)
    return _cell_arg("override", OVERRIDE_DOC)(function)


@xw.func(category=CATEGORY)
@_assessment_args
@never_raises
def AIJRI_ASSESS(times: CellRange, scores: CellRange, classes: CellRange,
                 protective: CellRange, growth: Cell, evidence: CellRange,
                 barriers: CellRange, override: Cell = None) -> ExcelResult:
    """Every result of the method as a two-column array (field, value) that spills:
    task_resistance ... score, final_score, zone, sub_label. Shares are fractions."""
    inputs = read_inputs(times=times, scores=scores, classes=classes, protective=protective,
                         growth=growth, evidence=evidence, barriers=barriers,
                         override=override)
    inputs.require()
    result = inputs.reference()
    return [[name, result.workbook_value(name)] for name in RESULT_FIELDS]


@xw.func(category=CATEGORY)
@_assessment_args
@_cell_arg("justification", "Optional: why the override was given (required with one).")
@_range_arg("task_names", "Optional: the task names, in the rows of times.")
@_cell_arg("growth_check", "Optional: the growth correlation confirmed after the task "
           "analysis.")
@never_raises
def AIJRI_VALIDATE(times: CellRange, scores: CellRange, classes: CellRange,
                   protective: CellRange, growth: Cell, evidence: CellRange,
                   barriers: CellRange, override: Cell = None, justification: Cell = None,
                   task_names: CellRange = None, growth_check: Cell = None) -> ExcelResult:
    """Every problem the method's consistency rules find, one per row (errors first,
    e.g. ERROR AIJ-E005 time shares sum to 95%, not 100%), or OK."""
    optional = {"justification": justification, "task_names": task_names,
                "growth_check": growth_check}
    try:
        inputs = read_inputs(
            times=times, scores=scores, classes=classes, protective=protective,
            growth=growth, evidence=evidence, barriers=barriers, override=override,
            **{k: v for k, v in optional.items() if not is_blank(v) or k == "justification"})
    except ExcelInputError as exc:  # a range of the wrong shape
        return [[f"ERROR {f.code} {f.message}"] for f in exc.findings]
    findings = list(inputs.findings)
    if not blocking(findings) and override_far_off(inputs) is not None:
        findings.append(override_far_off(inputs))
    findings = [f for f in findings if f.severity != "info"]
    if not findings:
        return "OK"
    findings.sort(key=lambda f: -SEVERITY_ORDER[f.severity])
    return [[f"{f.severity.upper()} {f.code} {problem_text(f, inputs.rows)}"]
            for f in findings]


def override_far_off(inputs: Inputs) -> Finding | None:
    """AIJ-W021 (§5): an override more than OVERRIDE_WARN_DELTA points from S, by the
    verifier's own rule (compare.override_findings)."""
    if not is_number(inputs.assessment.override.score):
        return None
    found = override_findings(inputs.reference(), inputs.assessment.override.justification)
    return next((f for f in found if f.code == "AIJ-W021"), None)


@xw.func(category=CATEGORY)
def AIJRI_METHOD() -> ExcelResult:
    """The method version these functions implement (AIJRI-1.0)."""
    return METHOD


@xw.func(category=CATEGORY)
@_cell_arg("parameter", "Optional: a parameter name such as GREEN_MIN (any case); blank "
           "spills the whole table.")
@never_raises
def AIJRI_PARAM(parameter: Cell = None) -> ExcelResult:
    """A method parameter's value (e.g. SCORE_SPAN), or with no name the parameter table
    (name, value, unit, tag, description) as a spilled array."""
    name = _only(parameter, "parameter")
    if is_blank(name):
        return [["name", "value", "unit", "tag", "description"]] + [
            [p.name, p.value, p.unit, p.tag, p.description] for p in PARAMETERS]
    key = str(name).strip().upper()
    if key not in PARAMS:
        return f"#N/A no parameter {name!r}; the parameters are " + ", ".join(PARAMS)
    return PARAMS[key]


FUNCTIONS: tuple[Callable[..., Any], ...] = (
    AIJRI_TASK_RESISTANCE, AIJRI_PCT_SCORING, AIJRI_SPLIT, AIJRI_MODIFIERS, AIJRI_RAW,
    AIJRI_SCORE, AIJRI_ZONE, AIJRI_SUBLABEL, AIJRI_QUICK_SCREEN, AIJRI_ASSESS,
    AIJRI_VALIDATE, AIJRI_METHOD, AIJRI_PARAM,
)
"""Every Excel function of this module, in the order the documentation lists them."""
