"""The assessment workbook writer (XlsxWriter): the conductor.

Every cell's place and formula comes from :mod:`aijri_xl.workbook.layout` (the checks'
from :mod:`aijri_xl.workbook.check_layout`); each sheet has its builder in
:mod:`aijri_xl.workbook.sheets`, which adds what a person sees (styles, widths,
validation, conditional formats, the chart, print setup); every formula's cached result
comes from :mod:`aijri_xl.workbook.cached` (the reference engine), so that a reader that
does not recalculate still sees the numbers. The same input always gives the same bytes:
the document dates are fixed and XlsxWriter writes fixed zip timestamps.

Build order (:func:`workbook_bytes`), which is the sheet order::

    refuse what a workbook cannot hold (ranges, types, text over 32,767 characters)
    values = cached values of every formula cell      workbook/cached.py
    About                                             sheets/about.py
    Summary                                           sheets/summary.py
    Checks                                            sheets/checks.py
    Role, Protective, Evidence, Barriers, Commentary  sheets/inputs.py
    Tasks                                             sheets/tasks.py
    Score, Parameters                                 sheets/score.py
    defined names (contract names, helper and check names, parameters, identity)
    properties (title, subject, method)

The file it writes::

    [Content_Types].xml, _rels/.rels, docProps/{app,core,custom}.xml
    xl/workbook.xml (sheets in SHEETS order, defined names), xl/styles.xml,
    xl/sharedStrings.xml, xl/worksheets/sheet1..11.xml, xl/charts/chart1.xml,
    xl/drawings/drawing1.xml (the Summary chart), xl/theme/theme1.xml
"""

from __future__ import annotations

import datetime as _dt
import io
from collections.abc import Sequence
from pathlib import Path

from aijri_xl.method.engine import AssessmentError
from aijri_xl.method.findings import Finding
from aijri_xl.method.model import Assessment
from aijri_xl.method.parameters import METHOD, TEMPLATE_VERSION
from aijri_xl.method.rules import check
from aijri_xl.workbook.bindings import input_values
from aijri_xl.workbook.cached import result_values
from aijri_xl.workbook.layout import SHEETS, layout, task_rows_for
from aijri_xl.workbook.references import TaskReferences
from aijri_xl.workbook.sheets.about import build_about
from aijri_xl.workbook.sheets.checks import build_checks
from aijri_xl.workbook.sheets.common import Writer, prepare_formula, text_height
from aijri_xl.workbook.sheets.inputs import (
    build_barriers,
    build_commentary,
    build_evidence,
    build_protective,
    build_role,
)
from aijri_xl.workbook.sheets.score import build_parameters, build_score
from aijri_xl.workbook.sheets.summary import build_summary
from aijri_xl.workbook.sheets.tasks import build_tasks
from aijri_xl.workbook.text import CellTextError, check_length

__all__ = ["FIXED_DATE", "REFUSED_CODES", "check_buildable", "prepare_formula",
           "result_values", "text_height", "workbook_bytes", "write_workbook"]

FIXED_DATE = _dt.datetime(2026, 1, 1, tzinfo=_dt.UTC)
"""Document date of a workbook whose assessment has no date: output must not depend on
the clock."""

REFUSED_CODES = frozenset({"AIJ-E002", "AIJ-E003", "AIJ-E010", "AIJ-E011", "AIJ-E012"})
"""Problems a workbook cannot hold: a mistyped or out-of-range value, an unknown class or
method. Missing values are fine (templates are all missing values)."""

BUILDERS = (build_summary, build_checks, build_role, build_protective, build_tasks,
            build_evidence, build_barriers, build_score, build_commentary, build_parameters)
"""After About (which takes the attributions): the sheets in SHEETS order."""


def _define_names(w: Writer) -> None:
    identity = ("method", "template_version")
    for cell in w.lay.cells:
        if cell.name is not None and cell.name not in identity:
            w.wb.define_name(cell.name, "=" + cell.absolute)
    for cell in w.lay.cells:
        if cell.name in identity:
            w.wb.define_name(cell.name, "=" + cell.absolute)


def _properties(w: Writer) -> None:
    a = w.a
    title = f"AIJRI assessment: {a.role.title}" if a.role.title else "AIJRI assessment template"
    created = FIXED_DATE
    if a.assessment_date:
        try:
            day = _dt.date.fromisoformat(a.assessment_date)
            created = _dt.datetime(day.year, day.month, day.day, tzinfo=_dt.UTC)
        except ValueError:
            pass
    w.wb.set_properties({
        "title": title, "subject": "AI Job Resilience Index (AIJRI) assessment",
        "author": a.assessor or "", "keywords": f"AIJRI, {METHOD}",
        "comments": f"Method {METHOD}; workbook template {TEMPLATE_VERSION}; written by aijri_xl",
        "category": "AIJRI assessment", "created": created,
    })
    w.wb.set_custom_property("method", METHOD)
    w.wb.set_custom_property("template_version", TEMPLATE_VERSION)


def _text_findings(a: Assessment) -> list[Finding]:
    """Texts a cell cannot hold, each named by its defined name (and row)."""
    out = []
    for name, value in input_values(a).items():
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items):
            if not isinstance(item, str):
                continue
            what = f"{name}[{i + 1}]" if isinstance(value, list) else name
            try:
                check_length(item, what)
            except CellTextError as exc:
                out.append(Finding("AIJ-E003", str(exc), field=what, actual=len(item)))
    return out


def check_buildable(a: Assessment) -> None:
    """Refuse an assessment a workbook cannot hold (a value out of range, a mistyped value,
    an unknown class or method, a text longer than a cell holds); missing values are
    allowed."""
    refused = [f for f in check(a) if f.code in REFUSED_CODES] + _text_findings(a)
    if refused:
        raise AssessmentError(refused)


def workbook_bytes(a: Assessment, *, task_rows: int | None = None,
                   references: TaskReferences | None = None,
                   attributions: Sequence[str] = ()) -> bytes:
    """The assessment workbook as ``.xlsx`` bytes (byte-identical for identical input).

    ``references``: a text column beside the tasks with a legend (see
    :mod:`aijri_xl.workbook.references`); not an input, never part of the score; its
    legend is repeated on the About sheet. ``attributions``: the sources of any other
    third-party data the workbook shows, printed on the About sheet."""
    import xlsxwriter

    check_buildable(a)
    lay = layout(task_rows or task_rows_for(len(a.tasks)))
    if len(a.tasks) > lay.task_rows:
        raise ValueError(f"{len(a.tasks)} tasks do not fit {lay.task_rows} task rows")
    if references is not None and len(references.cells) > len(a.tasks):
        raise ValueError(f"{len(references.cells)} task references for {len(a.tasks)} tasks")
    sources = [*attributions, *(f"{heading}: {text}" for heading, text in
                                (references.legend if references is not None else ()))]
    for i, text in enumerate(sources):
        check_length(text, f"attribution {i + 1}")
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                      "strings_to_formulas": False, "strings_to_urls": False})
    w = Writer(wb, lay, a, references)
    build_about(w, sources)
    for sheet, build in zip(SHEETS[1:], BUILDERS, strict=True):
        build(w)
        w.conditional_formats(sheet)  # in SHEETS order: XlsxWriter numbers formats by use
    _define_names(w)
    _properties(w)
    w.sheets["Summary"].activate()
    wb.close()
    return buffer.getvalue()


def write_workbook(a: Assessment, path: str | Path, *, task_rows: int | None = None,
                   references: TaskReferences | None = None,
                   attributions: Sequence[str] = ()) -> Path:
    """Write the assessment workbook to ``path`` (``references``, ``attributions``: see
    :func:`workbook_bytes`)."""
    path = Path(path)
    data = workbook_bytes(a, task_rows=task_rows, references=references,
                          attributions=attributions)
    path.write_bytes(data)
    return path
