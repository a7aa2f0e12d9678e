"""The workbook checks of the verifier: structure, formula integrity, values.

Given a workbook read by :mod:`aijri_xl.workbook_reader` (its raw cells and its layout),
``check_workbook`` reports, each at its cell:

- structure: every layout sheet present; every defined name of the layout present and
  pointing at the layout's cell (a redirected name, a range that lost a row);
- formula integrity: every layout formula present (not replaced by a typed value) and
  equal to the layout's text after normalising what spreadsheet programs rewrite
  (``_xlfn.`` prefixes, case, ``$``, spacing, quoting of sheet names); no formula
  anywhere that reaches outside the workbook or calls a function the template does not
  use; no formula cell the template does not have (skipped for a values-only view, such
  as the "Verify this workbook" script's, which cannot see formulas);
- every parameter equal to the method's value;
- display: what each contract cell shows (:mod:`aijri_xl.verify.display_checks`) and its
  conditional formats against the template's (:mod:`aijri_xl.verify.conditional_checks`);
  skipped for a values-only view, which has no package to read styles from;
- values: each cached result against the reference engine (§5, spreadsheet values), and
  the workbook's own formulas evaluated by formualizer against the reference, so a
  tampered workbook's report says what its formulas compute and what the method gives.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from aijri_xl.method.compare import agrees, blank
from aijri_xl.method.engine import Result
from aijri_xl.method.findings import Finding
from aijri_xl.method.loaded import Loaded
from aijri_xl.method.parameters import PARAMS
from aijri_xl.verify.conditional_checks import conditional_findings
from aijri_xl.verify.display_checks import display_findings
from aijri_xl.workbook.formula import (
    FormulaSyntaxError,
    functions,
    template_functions,
    template_names,
)
from aijri_xl.workbook.formula import external_reach as formula_reach
from aijri_xl.workbook.layout import SHEETS, Cell, Layout
from aijri_xl.workbook.limits import MAX_FORMULA_CHARS
from aijri_xl.workbook.xlsx import CellData, WorkbookData, iter_name_refs

_EMPTY = CellData()

_STRING = re.compile(r'"(?:[^"]|"")*"')
_QUOTED_SHEET = re.compile(r"'((?:[^']|'')+)'!")
_PREFIXES = re.compile(r"_xlfn\.|_xlws\.|_xludf\.", re.IGNORECASE)

def normalise(formula: str) -> str:
    """A formula's text in a canonical form: what spreadsheet programs may rewrite on save
    (``_xlfn.`` prefixes, case, ``$``, spacing, sheet-name quotes, the leading ``=``) is
    removed; string literals are kept exactly."""
    text = formula.strip()
    if text.startswith("="):
        text = text[1:]
    parts = []
    last = 0
    for m in _STRING.finditer(text):
        parts.append(_normalise_code(text[last:m.start()]))
        parts.append(m.group(0))
        last = m.end()
    parts.append(_normalise_code(text[last:]))
    return "".join(parts)


def _normalise_code(code: str) -> str:
    code = _PREFIXES.sub("", code)
    code = _QUOTED_SHEET.sub(lambda m: m.group(1).replace("''", "'") + "!", code)
    code = code.replace("$", "")
    code = re.sub(r"\s+", "", code)
    return code.upper()


@lru_cache(maxsize=2048)
def external_reach(formula: str) -> str | None:
    """What in ``formula`` reaches outside the workbook or runs code, or ``None``; read
    from its tokens (:mod:`aijri_xl.workbook.formula`), so a URL built from pieces is
    caught by the function that would fetch it, and text that merely mentions a URL is
    not a reach."""
    try:
        return formula_reach(formula)
    except FormulaSyntaxError as exc:
        return f"a formula the verifier cannot read ({exc})"


@lru_cache(maxsize=16)
def _contract_names(lay: Layout) -> frozenset[str]:
    return frozenset(c.name.upper() for c in lay.cells if c.name)


@lru_cache(maxsize=2048)
def _foreign_functions(formula: str, lay: Layout) -> tuple[str, ...]:
    try:
        used = functions(formula)
    except FormulaSyntaxError:
        return ()
    return tuple(sorted(used - template_functions(lay))) if used else ()


@lru_cache(maxsize=2048)
def _normalised_layout(formula: str) -> str:
    return normalise(formula)


@lru_cache(maxsize=2048)
def _normalise_target(target: str) -> str:
    return ",".join(f"{sheet}!{ref}" for sheet, ref in iter_name_refs(target))


@lru_cache(maxsize=16)
def _named(lay: Layout) -> tuple[tuple[Cell, str, str], ...]:
    """Every named cell of the layout with its target and that target normalised (once
    per layout)."""
    return tuple((c, c.absolute, _normalise_target(c.absolute)) for c in lay.cells if c.name)


@lru_cache(maxsize=16)
def _formula_cells(lay: Layout) -> tuple[tuple[Cell, str, str, str], ...]:
    """Every formula cell of the layout: the cell, where, what, and its formula as a file
    stores it (no ``=``), once per layout (normalised only when a file's text differs)."""
    return tuple((c, f"{c.sheet}!{c.ref}", c.name or c.label or "a display formula",
                  (c.formula or "")[1:]) for c in lay.formula_cells())


@lru_cache(maxsize=16)
def _template_texts(lay: Layout) -> dict[tuple[str, str], str]:
    """(sheet, cell) → the template's formula there as a file stores it (no ``=``): a
    file formula with exactly this text is the template's own, which reaches nothing
    outside and calls only the template's functions (tests/test_workbook_checks.py), so it
    is not read again."""
    return {(c.sheet, c.ref): stored for c, _where, _what, stored in _formula_cells(lay)}


def structure_findings(data: WorkbookData, lay: Layout) -> list[Finding]:
    out = []
    for sheet in SHEETS:
        if sheet not in data.sheets:
            out.append(Finding("AIJ-X304", f"the sheet {sheet!r} is missing", where=sheet,
                               expected=sheet))
    names = data.names
    for cell, absolute, expected in _named(lay):
        target = names.get(cell.name or "")
        if target is None:
            out.append(Finding("AIJ-X303", f"the defined name {cell.name!r} is missing "
                               f"(it should point at {absolute})", where=cell.name,
                               field=cell.name, expected=absolute))
        elif target != absolute and _normalise_target(target) != expected:
            out.append(Finding("AIJ-X303", f"the defined name {cell.name!r} points at "
                               f"{target}, not {absolute}", where=cell.name,
                               field=cell.name, expected=absolute, actual=target))
    return out


def formula_findings(data: WorkbookData, lay: Layout) -> list[Finding]:
    out = []
    sheets = data.sheets
    for cell, where, what, stored in _formula_cells(lay):
        sheet = sheets.get(cell.sheet)
        if sheet is None:
            continue
        found = sheet.cells.get(cell.ref) or _EMPTY
        if found.formula is None:
            shown = "empty" if blank(found.value) else repr(found.value)
            out.append(Finding("AIJ-X305", f"{where} ({what}) should hold a formula; it holds "
                               f"a typed value ({shown})", where=where, field=cell.name,
                               expected=cell.formula, actual=found.value))
        elif found.formula != stored and \
                normalise(found.formula) != _normalised_layout(cell.formula or ""):
            out.append(Finding("AIJ-X306", f"{where} ({what}): the formula was edited",
                               where=where, field=cell.name, expected=cell.formula,
                               actual="=" + found.formula))
    out += parameter_findings(data, lay)
    out += _formulas_anywhere(data, lay)
    return out


def _formulas_anywhere(data: WorkbookData, lay: Layout) -> list[Finding]:
    """Every formula of the file, the template's or not: reach outside, functions the
    template does not use, formula cells the template does not have (never evaluated)."""
    out = []
    texts = _template_texts(lay)
    for sheet in data.sheets.values():
        for ref, found in sheet.cells.items():
            formula = found.formula
            if formula is None:
                continue
            template = texts.get((sheet.name, ref))
            if template == formula:
                continue
            extra = template is None
            too_long = len(formula) > MAX_FORMULA_CHARS
            reach = foreign = None
            if not too_long:
                reach = external_reach(formula)
                foreign = _foreign_functions(formula, lay)
            if not (extra or too_long or reach or foreign):
                continue
            where = f"{sheet.name}!{ref}"
            shown = "=" + formula
            if extra:
                out.append(Finding("AIJ-X314", f"{where} holds a formula the template does "
                                   f"not have ({_cut(shown)}); it was not evaluated",
                                   where=where, actual=shown))
            if too_long:
                out.append(Finding("AIJ-X315", f"{where}: a formula of {len(formula):,} "
                                   f"characters (Excel allows {MAX_FORMULA_CHARS:,})",
                                   where=where))
                continue
            if reach:
                out.append(Finding("AIJ-X308", f"{where}: the formula reaches outside the "
                                   f"workbook ({reach}): {_cut(shown)}", where=where,
                                   actual=shown))
            if foreign:
                out.append(Finding("AIJ-X315", f"{where} calls {', '.join(foreign)}, which the "
                                   "template's formulas never use", where=where,
                                   actual=shown))
    targets = template_names(lay)
    for name, target in data.names.items():
        if targets.get(name) == target:
            continue  # the template's own name, pointing where the template's does
        reach = external_reach(target)
        if reach:
            out.append(Finding("AIJ-X308", f"the defined name {name!r} reaches outside the "
                               f"workbook ({reach}): {_cut(target)}", where=name,
                               actual=target))
        foreign = _foreign_functions(target, lay)
        if foreign:
            out.append(Finding("AIJ-X315", f"the defined name {name!r} calls "
                               f"{', '.join(foreign)}, which the template never uses",
                               where=name, actual=target))
    contract = _contract_names(lay)
    for sheet_name, name, target in data.local_names:
        if name.upper() in contract:
            out.append(Finding("AIJ-X303", f"a name {name!r} defined on the sheet "
                               f"{sheet_name!r} ({target}) hides the workbook's {name!r} in "
                               "that sheet's formulas", where=f"{sheet_name}!{name}",
                               field=name, actual=target))
        elif external_reach(target) or _foreign_functions(target, lay):
            out.append(Finding("AIJ-X308", f"the sheet-level name {name!r} on {sheet_name!r} "
                               "reaches "
                               f"outside or calls what the template never uses: {_cut(target)}",
                               where=f"{sheet_name}!{name}", actual=target))
    return out


@lru_cache(maxsize=16)
def _parameter_cells(lay: Layout) -> tuple[Cell, ...]:
    return tuple(c for c in lay.cells if c.kind == "parameter")


def parameter_findings(data: WorkbookData, lay: Layout) -> list[Finding]:
    """Every parameter cell holds the method's value, typed (not a formula)."""
    out = []
    for cell in _parameter_cells(lay):
        if cell.sheet not in data.sheets:
            continue
        found = data.cell(cell.sheet, cell.ref)
        where = f"{cell.sheet}!{cell.ref}"
        value = PARAMS[cell.name or ""]
        if found.formula is not None or not isinstance(found.value, float) \
                or found.value != value:
            actual = ("=" + found.formula) if found.formula is not None else found.value
            out.append(Finding("AIJ-X307", f"{where}: the parameter {cell.name} is {actual!r}; "
                               f"the method's value is {value:g}", where=where,
                               field=cell.name, expected=value, actual=actual))
    return out


FORMULA_CODES = frozenset({"AIJ-X305", "AIJ-X306", "AIJ-X308", "AIJ-X314", "AIJ-X315"})
"""What :func:`formula_findings` reports beyond the parameters: it needs the formulas,
which a values-only view (``WorkbookData.formulas`` false) does not show."""


PACKAGE_CODES = frozenset({"AIJ-X311", "AIJ-X312", "AIJ-X313", "AIJ-X320", "AIJ-X321",
                           "AIJ-X322", "AIJ-X323", "AIJ-X324", "AIJ-X325", "AIJ-X326"})
"""What only the package shows: active content found by its type, what is displayed
(styles, visibility), and the evaluation's budget."""


def _cut(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


@lru_cache(maxsize=16)
def _result_cells(lay: Layout) -> tuple[Cell, ...]:
    return tuple(c for c in lay.cells if c.kind == "result")


@lru_cache(maxsize=16)
def _result_refs(lay: Layout) -> tuple[tuple[str, str], ...]:
    return tuple((c.sheet, c.ref) for c in _result_cells(lay))


def value_findings(data: WorkbookData, lay: Layout, result: Result,
                   computed: dict[tuple[str, str], Any] | None) -> list[Finding]:
    """Cached results and the formulas' own values against the reference."""
    out = []
    for cell in _result_cells(lay):
        name = cell.name or ""
        where = f"{cell.sheet}!{cell.ref}"
        expected = result.workbook_value(name)
        shown = data.cell(cell.sheet, cell.ref).value
        verdict = agrees(name, shown, result)
        if verdict == "tie":
            out.append(Finding("AIJ-W104", f"{where} ({name}) shows {_show(shown)}; the method "
                               f"gives {_show(expected)} (a half-way tie rounded the other "
                               "way)", where=where, field=name, expected=expected,
                               actual=shown))
        elif verdict == "differs":
            formulas = ""
            if computed is not None:
                formulas = f"; its formulas compute {_show(computed.get((cell.sheet, cell.ref)))}"
            out.append(Finding("AIJ-E103", f"the {name} cell {where} shows {_show(shown)}"
                               f"{formulas}; the method gives {_show(expected)}", where=where,
                               field=name, expected=expected, actual=shown))
        if computed is not None:
            value = computed.get((cell.sheet, cell.ref))
            if agrees(name, value, result) == "differs":
                out.append(Finding("AIJ-E105", f"the workbook's formulas compute {name} = "
                                   f"{_show(value)} at {where}; the method gives "
                                   f"{_show(expected)}", where=where, field=name,
                                   expected=expected, actual=value))
    return out


def _show(value: Any) -> str:
    if blank(value):
        return "nothing"
    if isinstance(value, float):
        return f"{value:.10g}"
    return repr(value) if isinstance(value, str) else str(value)


def check_workbook(loaded: Loaded, result: Result | None) -> list[Finding]:
    """Every workbook check; ``result`` is the reference's result for the workbook's
    inputs (``None`` when they cannot be scored, which skips the value checks)."""
    data: WorkbookData | None = loaded.extra.get("workbook")
    lay: Layout | None = loaded.extra.get("layout")
    if data is None or lay is None:
        return []
    out = structure_findings(data, lay)
    if not data.formulas:  # a values-only view: no formulas, no styles, nothing to evaluate
        out += parameter_findings(data, lay)
        if result is not None:
            out += value_findings(data, lay, result, None)
        return out
    out += formula_findings(data, lay)
    if data.parts and data.styles_read:  # a package whose styles were read
        out += display_findings(data, lay)
        out += conditional_findings(data, lay)
    elif data.parts:
        out.append(Finding("AIJ-W130", f"{loaded.path}: what the cells display was not "
                           "checked (the number formats of an .ods are not read); save it "
                           "as .xlsx for a full check", where=str(loaded.path)))
    if result is not None:
        from aijri_xl.verify.evaluator import EvaluationBudgetExceeded, FormulaEngineError, evaluate

        computed = None
        try:
            computed = evaluate(data, lay, _result_refs(lay))
        except EvaluationBudgetExceeded as exc:
            out.append(Finding("AIJ-X326", f"the workbook's formulas were not evaluated "
                               f"independently: {exc}", where=str(loaded.path)))
        except FormulaEngineError as exc:
            out.append(Finding("AIJ-E105", f"the workbook's formulas could not be "
                               f"evaluated independently: {exc}", where=str(loaded.path)))
        out += value_findings(data, lay, result, computed)
    return out
