"""The AIJRI method as Excel custom functions (xlwings): ``=AIJRI_SCORE(...)`` and friends.

Written once with xlwings' ``func``/``arg`` decorators, imported as ``import xlwings as
xw``; xlwings chooses the implementation when it is imported, so the same module works in
its three runtimes:

- **xlwings add-in on Windows** (COM, open source): ``xw.func`` is the classic UDF
  decorator; list ``aijri_xl.udfs`` under *UDF Modules* and click *Import Functions*;
- **xlwings Lite** (Pyodide in the add-in, Windows, Mac and the web) and **xlwings
  Server** (Office.js custom functions): with ``XLWINGS_ON_SERVER=true`` ``xw.func`` is
  ``xlwings.server.func``; Lite runs the ``main.py`` that ``aijri xlwings-lite`` writes
  (this package's own modules, embedded), Server the modules ``aijri xlwings-server``
  writes;
- anywhere else the decorators do nothing and the functions are ordinary Python
  functions, which is how most tests call them.

Every function reads what Excel passes by the rules of :mod:`aijri_xl.excel.cells` (blank
rows as each route passes them, time shares as fractions or percents), checks its inputs
by the method's own rules and calculates with the reference engine
(:mod:`aijri_xl.excel.inputs`), and reports what stops it the way its route can
(:mod:`aijri_xl.excel.errors`: a real ``#VALUE!`` with its reason in Lite and Server, a
text starting with the error code elsewhere).

On Office.js the functions are pure, so xlwings may cache their results (``cache=True``);
the arguments that take a class or a parameter name offer the names in Excel's
autocomplete (enums); ``help_url`` links each function to its entry in docs/EXCEL.md
when the documentation's address is known (:data:`DOCS_URL`). The functions have no
namespace of their own (their names start with ``AIJRI_``); xlwings Server puts its
manifest's namespace in front, ``XLWINGS.`` by default (``=XLWINGS.AIJRI_SCORE(...)``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Literal

import xlwings as xw

from aijri_xl.excel.cells import (
    Cell,
    CellRange,
    is_blank_cell,
    is_excel_error,
    is_number,
    task_class,
    whole,
)
from aijri_xl.excel.cells import scalar as _cells_of_one
from aijri_xl.excel.errors import (
    OFFICE_JS,
    ExcelResult,
    NotFound,
    excel_errors,
    input_error,
)
from aijri_xl.excel.inputs import (
    ExcelInputError,
    Inputs,
    error_cell,
    problem_text,
    read_inputs,
)
from aijri_xl.method.compare import override_findings
from aijri_xl.method.engine import sub_label_of, zone_of
from aijri_xl.method.excel_math import excel_round
from aijri_xl.method.findings import SEVERITY_ORDER, Finding
from aijri_xl.method.parameters import (
    METHOD,
    PARAMETERS,
    PARAMS,
    RESULT_FIELDS,
    SCORE_DECIMALS,
    TASK_CLASSES,
    TASK_SCORE_RANGE,
    default_task_class,
)
from aijri_xl.method.rules import _range_check, blocking

__xlwings_func_namespace__ = ""
"""No sub-namespace: Excel shows AIJRI_SCORE (xlwings Server: XLWINGS.AIJRI_SCORE)."""

CATEGORY = "AIJRI"
"""Function category in the Windows add-in's function wizard (ignored by Lite/Server)."""


def _docs_url() -> str | None:
    """Where docs/EXCEL.md is published: ``AIJRI_DOCS_URL``, else the installed
    package's ``Documentation`` project URL; ``None`` when neither says."""
    url = os.environ.get("AIJRI_DOCS_URL", "").strip()
    if url:
        return url
    try:
        from importlib.metadata import PackageNotFoundError, metadata

        entries = metadata("aijri-xl").get_all("Project-URL") or []
    except (PackageNotFoundError, ImportError):
        return None
    for entry in entries:
        label, _, value = entry.partition(",")
        if label.strip().lower() == "documentation" and value.strip():
            return value.strip()
    return None


DOCS_URL: str | None = _docs_url()
"""The address of docs/EXCEL.md, for each function's ``help_url`` (``#aijri_score``)."""


def _function(**options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``xw.func`` with what every function here shares: its category (Windows add-in),
    ``cache=True`` (Office.js; every function is pure) and a ``help_url`` to its entry."""

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        extra: dict[str, Any] = {"category": CATEGORY, "cache": True, **options}
        if DOCS_URL:
            extra["help_url"] = f"{DOCS_URL}#{function.__name__.lower()}"
        decorated: Callable[..., Any] = xw.func(**extra)(function)
        return decorated

    return decorate


def _range_arg(name: str, doc: str) -> Callable[[Any], Any]:
    """A range argument: always rows of cells, error cells as their text."""
    return xw.arg(name, ndim=2, err_to_str=True, doc=doc)


def _cell_arg(name: str, doc: str) -> Callable[[Any], Any]:
    return xw.arg(name, err_to_str=True, doc=doc)


def _enums_supported() -> bool:
    """Whether this xlwings turns ``Literal`` annotations into Office.js enums (0.35+):
    only then, and only on Office.js, are the arguments annotated so."""
    if not OFFICE_JS:
        return False
    from importlib import import_module

    return hasattr(import_module("xlwings.pro.udfs_officejs"), "extract_enum_descriptor")


CLASS_TIPS = {c: "the default class of task scores " + ", ".join(
    str(s) for s in range(TASK_SCORE_RANGE[0], TASK_SCORE_RANGE[1] + 1)
    if default_task_class(s) == c) for c in TASK_CLASSES}
"""Autocomplete tooltips of the class names, from the method's default mapping."""

if TYPE_CHECKING or not _enums_supported():
    ClassName = Any
    ParameterName = Any
else:  # evaluated by xlwings' get_type_hints() on Office.js
    ClassName = Annotated[Literal[TASK_CLASSES], {"tooltips": CLASS_TIPS}]
    ParameterName = Annotated[Literal[tuple(PARAMS)], {"tooltips": {
        p.name: p.description for p in PARAMETERS}}]


TIMES_DOC = ("Time share of each task, one row or column: fractions (0.25, shown as 25%) "
             "or percents (25). Blank rows are skipped.")
SCORES_DOC = "Score of each task, 1 (AI can't do it) to 5 (AI does it), in the rows of times."
CLASSES_DOC = "Class of each task: " + ", ".join(TASK_CLASSES[:-1]) + " or " \
    + TASK_CLASSES[-1] + "."
PROTECTIVE_DOC = "The 3 protective principle scores (0-3 each), or their total."
GROWTH_DOC = "AI growth correlation, -2 to +2."
EVIDENCE_DOC = "The 5 evidence scores (-2 to +2 each), or their total."
BARRIERS_DOC = "The 5 barrier scores (0-2 each), or their total."
OVERRIDE_DOC = "Optional assessor override of the score, 0-100 with one decimal."
SCORE_DOC = "A JobZone score, 0-100 (taken to one decimal, as published)."


# --------------------------------------------------------------------------- functions


@_function()
@_range_arg("times", TIMES_DOC)
@_range_arg("scores", SCORES_DOC)
@excel_errors
def AIJRI_TASK_RESISTANCE(times: CellRange, scores: CellRange) -> ExcelResult:
    """Task Resistance Score: TRS_CEILING minus the time-weighted task score (1.00 to
    5.00; higher resists AI better). AIJRI method step 3.2."""
    inputs = read_inputs(times=times, scores=scores)
    inputs.require()
    return inputs.reference().task_resistance


@_function()
@_range_arg("times", TIMES_DOC)
@_range_arg("scores", SCORES_DOC)
@_cell_arg("min_score", "Lowest task score counted, 1 to 5 (3 gives P3, 4 gives P4).")
@excel_errors
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


_SPLIT_FIELDS = {c: "split_" + c.lower().replace(" ", "_") for c in TASK_CLASSES}


@_function()
@_range_arg("times", TIMES_DOC)
@_range_arg("classes", CLASSES_DOC)
@_cell_arg("class_name", "Optional: one class to return; blank spills all three ("
           + ", ".join(TASK_CLASSES) + ").")
@excel_errors
def AIJRI_SPLIT(times: CellRange, classes: CellRange,
                class_name: ClassName = None) -> ExcelResult:
    """Share of task time in each Aug/Disp class, as fractions (format as %): one row
    DISPLACEMENT, AUGMENTATION, NOT INVOLVED, or the share of class_name (step 3.4)."""
    inputs = read_inputs(times=times, classes=classes)
    inputs.require(also=(".class",))
    result = inputs.reference()
    wanted = _only(class_name, "class_name")
    if is_blank_cell(wanted):
        return [[result.fractions[_SPLIT_FIELDS[c]] for c in TASK_CLASSES]]
    if task_class(wanted) not in _SPLIT_FIELDS:
        raise input_error("AIJ-E010", f"class_name {wanted!r} is not one of "
                          + ", ".join(TASK_CLASSES), "class_name", wanted)
    return result.fractions[_SPLIT_FIELDS[task_class(wanted)]]


@_function()
@_range_arg("evidence", EVIDENCE_DOC)
@_range_arg("barriers", BARRIERS_DOC)
@_cell_arg("growth", GROWTH_DOC)
@excel_errors
def AIJRI_MODIFIERS(evidence: CellRange, barriers: CellRange, growth: Cell) -> ExcelResult:
    """The evidence, barrier and growth modifiers as one row: 1 + E x EVIDENCE_WEIGHT,
    1 + B x BARRIER_WEIGHT, 1 + G x GROWTH_WEIGHT (step 3.6)."""
    inputs = read_inputs(evidence=evidence, barriers=barriers, growth=growth)
    inputs.require()
    r = inputs.reference()
    return [[r.evidence_modifier, r.barrier_modifier, r.growth_modifier]]


@_function()
@_range_arg("times", TIMES_DOC)
@_range_arg("scores", SCORES_DOC)
@_range_arg("evidence", EVIDENCE_DOC)
@_range_arg("barriers", BARRIERS_DOC)
@_cell_arg("growth", GROWTH_DOC)
@excel_errors
def AIJRI_RAW(times: CellRange, scores: CellRange, evidence: CellRange, barriers: CellRange,
              growth: Cell) -> ExcelResult:
    """Raw score: Task Resistance x evidence x barrier x growth modifiers, unrounded
    (step 3.7)."""
    inputs = read_inputs(times=times, scores=scores, evidence=evidence, barriers=barriers,
                         growth=growth)
    inputs.require()
    return inputs.reference().raw


@_function()
@_range_arg("times", TIMES_DOC)
@_range_arg("scores", SCORES_DOC)
@_range_arg("evidence", EVIDENCE_DOC)
@_range_arg("barriers", BARRIERS_DOC)
@_cell_arg("growth", GROWTH_DOC)
@excel_errors
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
    values = _cells_of_one(value, what)
    if len(values) > 1:
        raise input_error("AIJ-E002", f"{what} must be one cell, found {len(values)}", what)
    v = values[0] if values else None
    if is_excel_error(v):
        raise ExcelInputError([error_cell(what, what, v)])
    return v


def _final_score(value: Cell) -> float:
    """A score argument to one decimal (Excel's ROUND), checked to lie on the scale."""
    v = _only(value, "score")
    low, high = PARAMS["SCORE_MIN"], PARAMS["SCORE_MAX"]
    if v is None:
        raise input_error("AIJ-E001", "the score is missing", "score")
    if not is_number(v):
        raise input_error("AIJ-E002", f"the score must be a number, found {v!r}", "score", v)
    if not low <= v <= high:
        raise input_error("AIJ-E003", f"the score must be {low:g} to {high:g}, found {v:g}",
                          "score", v)
    return excel_round(float(v), SCORE_DECIMALS)


@_function()
@_cell_arg("score", SCORE_DOC)
@excel_errors
def AIJRI_ZONE(score: Cell) -> ExcelResult:
    """Zone of a final score: GREEN from GREEN_MIN, YELLOW from YELLOW_MIN, else RED
    (step 3.11). The score is taken to one decimal first, as published."""
    return zone_of(_final_score(score))


@_function()
@_cell_arg("score", SCORE_DOC)
@_range_arg("times", TIMES_DOC)
@_range_arg("scores", SCORES_DOC)
@_cell_arg("growth", GROWTH_DOC)
@excel_errors
def AIJRI_SUBLABEL(score: Cell, times: CellRange, scores: CellRange, growth: Cell) -> ExcelResult:
    """Zone with sub-label, e.g. Green (Transforming), from the final score, the task
    table (P3, P4) and the growth correlation (step 3.12)."""
    final = _final_score(score)
    inputs = read_inputs(times=times, scores=scores, growth=growth)
    inputs.require()
    r = inputs.reference()
    return sub_label_of(zone_of(final), r.growth_correlation,
                        r.fractions["pct_time_score_3plus"], r.fractions["pct_time_score_4plus"])


@_function()
@_range_arg("protective", PROTECTIVE_DOC)
@_cell_arg("growth", GROWTH_DOC)
@excel_errors
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


@_function()
@_assessment_args
@excel_errors
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


@_function()
@_assessment_args
@_cell_arg("justification", "Optional: why the override was given (required with one).")
@_range_arg("task_names", "Optional: the task names, in the rows of times.")
@_cell_arg("growth_check", "Optional: the growth correlation confirmed after the task "
           "analysis.")
@excel_errors
def AIJRI_VALIDATE(times: CellRange, scores: CellRange, classes: CellRange,
                   protective: CellRange, growth: Cell, evidence: CellRange,
                   barriers: CellRange, override: Cell = None, justification: Cell = None,
                   task_names: Cell = None, growth_check: Cell = None) -> ExcelResult:
    """Every problem the method's consistency rules find, one per row (errors first,
    e.g. ERROR AIJ-E005 time shares sum to 95%, not 100%), or OK."""
    optional = {"justification": justification, "task_names": task_names,
                "growth_check": growth_check}
    try:
        inputs = read_inputs(
            times=times, scores=scores, classes=classes, protective=protective,
            growth=growth, evidence=evidence, barriers=barriers, override=override,
            **{k: v for k, v in optional.items()
               if k == "justification" or _cells_of_one(v, k)})
    except ExcelInputError as exc:  # a range of the wrong shape
        return [[f"ERROR {f.code} {f.message}"] for f in exc.findings]
    findings = list(inputs.findings)
    far = None if blocking(findings) else override_far_off(inputs)
    if far is not None:
        findings.append(far)
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


@_function()
def AIJRI_METHOD() -> ExcelResult:
    """The method version these functions implement (AIJRI-1.0)."""
    return METHOD


@_function()
@_cell_arg("parameter", "Optional: a parameter name such as GREEN_MIN (any case); blank "
           "spills the whole table.")
@excel_errors
def AIJRI_PARAM(parameter: ParameterName = None) -> ExcelResult:
    """A method parameter's value (e.g. SCORE_SPAN), or with no name the parameter table
    (name, value, unit, tag, description) as a spilled array."""
    name = _only(parameter, "parameter")
    if is_blank_cell(name):
        return [["name", "value", "unit", "tag", "description"]] + [
            [p.name, p.value, p.unit, p.tag, p.description] for p in PARAMETERS]
    key = str(name).strip().upper()
    if key not in PARAMS:
        raise NotFound(f"no parameter {name!r}; the parameters are " + ", ".join(PARAMS))
    return PARAMS[key]


FUNCTIONS: tuple[Callable[..., Any], ...] = (
    AIJRI_TASK_RESISTANCE, AIJRI_PCT_SCORING, AIJRI_SPLIT, AIJRI_MODIFIERS, AIJRI_RAW,
    AIJRI_SCORE, AIJRI_ZONE, AIJRI_SUBLABEL, AIJRI_QUICK_SCREEN, AIJRI_ASSESS,
    AIJRI_VALIDATE, AIJRI_METHOD, AIJRI_PARAM,
)
"""Every Excel function of this module, in the order the documentation lists them."""

__all__ = ["CATEGORY", "DOCS_URL", "FUNCTIONS", *(f.__name__ for f in FUNCTIONS)]
"""What ``aijri_xl.udfs`` (the classic add-in's *UDF Modules* entry) re-exports."""
