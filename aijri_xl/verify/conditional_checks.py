"""The conditional formats over the contract's cells, rule by rule against the template's.

For every contract cell, the rules that apply to it in the submitted workbook are compared
with the rules that apply to it in the template for the same layout (from the table the
writer writes them from, :mod:`aijri_xl.workbook.conditional_rules`; once per layout and
process). A rule is what it does at that cell: its type, its operator, its formulas with
their relative references moved to the cell (so one range split into several, several
merged into one, or a rule re-anchored gives the same rule), the attributes its type reads
(``rank``, ``text``, ...), ``stopIfTrue``, and what its format shows: number format, text
colour, fill and font size. A rule of the Excel 2010 extension is a rule like any other (its
inline format is its look; a twin is one rule with its original:
:mod:`aijri_xl.workbook.sheetview`). What a genuine LibreOffice or Excel save rewrites is not a
difference: format ids and priorities (renumbered; the template's rules over one cell are
mutually exclusive, so their order shows nothing), ``$``, spacing, function-name case and
``_xlfn.`` prefixes, a sheet prefix naming the rule's own sheet, the default attributes
LibreOffice writes. Each added, removed or changed rule is an ``AIJ-X328`` finding at the
cell, saying what the rule does and what a person sees.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from aijri_xl._record import dataclass
from aijri_xl.method.findings import Finding
from aijri_xl.verify.display_checks import contract_cells, contract_rows, inside, sqref_areas
from aijri_xl.workbook import conditional_rules
from aijri_xl.workbook.cells import Conditional, SheetData, WorkbookData, by_rows
from aijri_xl.workbook.cellstyles import Dxf, Styles
from aijri_xl.workbook.conditional_rules import LOOKS, TemplateRule
from aijri_xl.workbook.formula import FormulaSyntaxError, function_name, tokens
from aijri_xl.workbook.layout import Layout
from aijri_xl.workbook.numfmt import Unrenderable, render

MAX_RULE_FORMULA = 1_000
"""Longer rule formulas are compared as written (the template's are under 100 characters)."""
MAX_RULES_AT_CELL = 16
"""More rules over one cell than this (the template has at most 4) are reported as one
finding, not compared one by one (bounded work on a hostile file)."""
_PART = re.compile(r"^(\$?)([A-Za-z]{1,3})?(\$?)([0-9]{1,7})?$")
_OPERATORS = {"equal": "equals", "notEqual": "does not equal", "greaterThan": "is above",
              "greaterThanOrEqual": "is at least", "lessThan": "is below",
              "lessThanOrEqual": "is at most", "between": "is between",
              "notBetween": "is not between", "containsText": "contains",
              "notContains": "does not contain", "beginsWith": "begins with",
              "endsWith": "ends with"}
_KINDS = {"colorScale": "a colour scale", "dataBar": "a data bar", "iconSet": "an icon set",
          "top10": "a top/bottom rank", "aboveAverage": "an above/below average rule",
          "duplicateValues": "a duplicate-values rule", "uniqueValues": "a unique-values rule",
          "containsBlanks": "a rule for blank cells",
          "notContainsBlanks": "a rule for non-blank cells",
          "containsErrors": "a rule for errors", "notContainsErrors": "a rule for non-errors",
          "timePeriod": "a date-period rule", "containsText": "a text rule",
          "notContainsText": "a text rule", "beginsWith": "a text rule",
          "endsWith": "a text rule"}

_SCALE_KINDS = frozenset({"colorScale", "dataBar", "iconSet"})
Look = tuple[str | None, str | None, str | None, float | None] | str | None
"""What a rule's format shows: (number format, text colour, fill, font size); ``None``
for a rule without a format; a text for a format the styles do not have."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule as it applies at one cell."""

    kind: str
    operator: str | None
    formulas: tuple[Canonical, ...]
    params: tuple[tuple[str, str], ...]
    detail: str
    stop_if_true: bool
    look: Look

    @property
    def condition(self) -> tuple[object, ...]:
        return (self.kind, self.operator, self.formulas, self.params, self.detail)


def _unquote(prefix: str) -> str:
    name = prefix[:-1]
    if name.startswith("'") and name.endswith("'"):
        name = name[1:-1].replace("''", "'")
    return name


_Slot = tuple[int, bool, int, bool]
"""A reference's column and row (0: the part is absent, as in ``A:A``), each with whether
it is absolute."""
Canonical = tuple[str, tuple[tuple[int, int], ...]]
"""A formula at a cell: its text with a marker for each reference, and the references'
resolved (column, row)."""


def _slot(part: str) -> _Slot | str:
    m = _PART.match(part)
    if m is None or not (m.group(2) or m.group(4)):
        return part.upper()
    col_abs, col, row_abs, row = m.groups()
    index = 0
    for ch in (col or "").upper():
        index = index * 26 + ord(ch) - 64
    return (index, bool(col_abs), int(row) if row else 0, bool(row_abs))


@lru_cache(maxsize=4096)
def _compile(formula: str, sheet: str) -> tuple[str, tuple[_Slot, ...]]:
    """A formula's canonical spelling with ``\x00`` for each reference, and the
    references: names and functions in upper case without ``_xlfn.``, numbers as numbers, a
    prefix naming ``sheet`` itself dropped, strings kept, whitespace gone. A formula longer
    than any a template rule has, or one that cannot be read, is kept as written (it cannot
    be a template rule, so it is not worth reading)."""
    if len(formula) > MAX_RULE_FORMULA:
        return "?" + formula, ()
    try:
        toks = tokens(formula)
    except FormulaSyntaxError:
        return "?" + re.sub(r"\s+", "", formula), ()
    out: list[str] = []
    slots: list[_Slot] = []
    for t in toks:
        if t.kind == "range":
            parts = []
            for part in t.text.split(":"):
                slot = _slot(part)
                if isinstance(slot, str):
                    parts.append(slot)
                else:
                    parts.append("\x00")
                    slots.append(slot)
            out.append(":".join(parts))
        elif t.kind == "prefix":
            name = _unquote(t.text)
            if name.upper() != sheet.upper():
                out.append(name.upper() + "!")
        elif t.kind == "func":
            out.append(function_name(t.text))
        elif t.kind == "number":
            percent = t.text.endswith("%")
            out.append(f"{float(t.text.rstrip('%')):.15g}" + ("%" if percent else ""))
        elif t.kind == "string":
            out.append(t.text)
        else:
            out.append(t.text.upper())
    return " ".join(out), tuple(slots)


def formula_at(formula: str, sheet: str, rows: int, cols: int) -> Canonical:
    """``formula`` as it applies ``rows`` and ``cols`` away from its anchor: relative
    references moved, ``$`` gone (at one cell a reference is one cell), so the same rule
    split, merged or re-anchored reads the same."""
    text, slots = _compile(formula, sheet)
    return text, tuple((col + (0 if col_abs or not col else cols),
                        row + (0 if row_abs or not row else rows))
                       for col, col_abs, row, row_abs in slots)


def _look(cf: Conditional, dxfs: list[Dxf]) -> Look:
    """What a rule's format shows: its ``dxf`` of the styles, or the format an Excel 2010
    extension rule carries inline (the same look, wherever it is written)."""
    d = cf.inline
    if d is None:
        if cf.dxf is None:
            return None
        if not 0 <= cf.dxf < len(dxfs):
            return f"format {cf.dxf}, which the styles do not have"
        d = dxfs[cf.dxf]
    return (d.fmt, d.font_colour, d.fill, d.font_size)


_SheetRules = tuple[tuple[tuple[tuple[int, int, int, int], ...], int, int, Conditional,
                          Look], ...]


def _sheet_rules(sd: SheetData, styles: Styles) -> _SheetRules:
    out = []
    for cf in sd.conditional:
        areas = sqref_areas(cf.sqref)
        if not areas:
            continue
        top = min(a[0] for a in areas)
        left = min(a[1] for a in areas)
        out.append((areas, top, left, cf, _look(cf, styles.dxfs)))
    return tuple(out)


_ByRow = dict[int, list[tuple[tuple[tuple[int, int, int, int], ...], int, int, Conditional,
                               Look]]]


def _by_row(rules: _SheetRules, rows: tuple[int, ...]) -> _ByRow:
    """Each contract row → the rules whose areas reach it."""
    return by_rows(rules, lambda rule: rule[0], rows)


def _covering(rules: _ByRow, row: int, col: int) -> _SheetRules:
    return tuple(r for r in rules.get(row, ()) if inside(r[0], row, col))


def _rules_at(rules: _SheetRules, sheet: str, row: int, col: int
              ) -> list[tuple[Rule, Conditional]]:
    """The rules over one cell, as they apply there."""
    return [(Rule(cf.kind, cf.operator,
                  tuple(formula_at(f, sheet, row - top, col - left) for f in cf.formulas),
                  cf.params, cf.detail, cf.stop_if_true, look), cf)
            for _areas, top, left, cf, look in rules]


def _argb(colour: str) -> str:
    """``#9C0006`` as the styles reader gives it (``FF9C0006``)."""
    return "FF" + colour.lstrip("#").upper()


def _template_sheet_rules(rules: tuple[TemplateRule, ...]) -> _SheetRules:
    """The template's rules of one sheet as the reader gives a written sheet's."""
    out = []
    for priority, rule in enumerate(rules, 1):
        fill, font, _bold = LOOKS[rule.look]
        cf = Conditional(rule.ref, rule.kind, None, priority=priority, formulas=(rule.formula,),
                         operator="equal" if rule.kind == "cellIs" else None)
        areas = sqref_areas(cf.sqref)
        out.append((areas, min(a[0] for a in areas), min(a[1] for a in areas), cf,
                    (None, _argb(font), _argb(fill), None)))
    return tuple(out)


@lru_cache(maxsize=16)
def _template_sheets(lay: Layout) -> dict[str, _SheetRules]:
    """Each sheet's rules in the template for ``lay``, from the table the writer writes
    them from (once per layout and process)."""
    return {name: _template_sheet_rules(rules)
            for name, rules in conditional_rules.template_rules(lay).items()}


@lru_cache(maxsize=16)
def template_signatures(lay: Layout) -> dict[str, Counter[tuple[object, ...]]]:
    """Each sheet's rules in the template as written (:func:`_signature`)."""
    return {name: _signature(rules) for name, rules in _template_sheets(lay).items()}


_CellRules = tuple[dict[tuple[str, str], Counter[Rule]], dict[tuple[str, str], dict[Rule, str]]]


@lru_cache(maxsize=64)
def template_cells(lay: Layout, sheet: str) -> _CellRules:
    """The template's rules at each contract cell of ``sheet`` as they apply there, and
    how each reads (worked out only for a sheet whose rules differ from the template's)."""
    rules = _template_sheets(lay).get(sheet, ())
    indexed = _by_row(rules, contract_rows(lay).get(sheet, ()))
    at_cell: dict[tuple[str, str], Counter[Rule]] = {}
    shown: dict[tuple[str, str], dict[Rule, str]] = {}
    for cell_sheet, ref, row, col, _fmt, _what in contract_cells(lay):
        if cell_sheet != sheet:
            continue
        at = _rules_at(_covering(indexed, row, col), sheet, row, col)
        at_cell[(sheet, ref)] = Counter(rule for rule, _ in at)
        shown[(sheet, ref)] = {rule: _condition(rule, cf) for rule, cf in at}
    return at_cell, shown


def _signature(rules: _SheetRules) -> Counter[tuple[object, ...]]:
    """A sheet's rules as written, ids and priorities left out: equal to the template's,
    every cell of the sheet has the template's rules (the fast path for a genuine file)."""
    return Counter((cf.sqref, cf.kind, cf.operator, cf.formulas, cf.params, cf.detail,
                    cf.stop_if_true, look) for _, _, _, cf, look in rules)


def conditional_findings(data: WorkbookData, lay: Layout) -> list[Finding]:
    """Every contract cell whose conditional-format rules are not the template's."""
    signatures = template_signatures(lay)
    per_sheet = {name: _sheet_rules(sd, data.styles) for name, sd in data.sheets.items()}
    same = {name for name, rules in per_sheet.items()
            if _signature(rules) == signatures.get(name, Counter())}
    rows = contract_rows(lay)
    indexed = {name: _by_row(r, rows.get(name, ())) for name, r in per_sheet.items()
               if name not in same}
    out: list[Finding] = []
    for sheet, ref, row, col, _fmt, what in contract_cells(lay):
        if sheet not in data.sheets or sheet in same:
            continue
        at_cell, shown = template_cells(lay, sheet)
        expected = at_cell.get((sheet, ref), Counter())
        covering = _covering(indexed[sheet], row, col)
        where = f"{sheet}!{ref}"
        if len(covering) > MAX_RULES_AT_CELL:
            out.append(Finding("AIJ-X328", f"{where} ({what}): {len(covering):,} conditional "
                               f"formats cover the cell, the template's {expected.total()} "
                               "(not compared one by one)", where=where,
                               expected=expected.total(), actual=len(covering)))
            continue
        at = _rules_at(covering, sheet, row, col)
        found = Counter(rule for rule, _ in at)
        if found == expected:
            continue
        value = data.sheets[sheet].cells.get(ref)
        held = value.value if value is not None else None
        written = {rule: cf for rule, cf in at}
        added = list((found - expected).elements())
        removed = list((expected - found).elements())
        for message in _differences(added, removed, written,
                                    shown.get((sheet, ref), {}), held):
            out.append(Finding("AIJ-X328", f"{where} ({what}): {message}", where=where))
    return out


def _differences(added: list[Rule], removed: list[Rule], written: dict[Rule, Conditional],
                 shown: dict[Rule, str], value: object) -> list[str]:
    out = []
    for rule in added:
        cond = _condition(rule, written[rule])
        same_condition = next((r for r in removed if r.condition == rule.condition), None)
        if same_condition is not None:
            removed.remove(same_condition)
            if same_condition.look != rule.look:
                out.append(f"the conditional format {cond} shows {_seen(rule.look, value)}; "
                           f"the template's shows {_seen(same_condition.look, value)}")
            else:
                stops = "stops" if rule.stop_if_true else "does not stop"
                out.append(f"the conditional format {cond} {stops} the rules after it "
                           "(stopIfTrue), unlike the template's")
            continue
        same_look = next((r for r in removed if r.look == rule.look and r.kind == rule.kind),
                         None)
        if same_look is not None:
            removed.remove(same_look)
            out.append(f"the conditional format that shows {_seen(rule.look, value)} applies "
                       f"{cond}; the template's applies {shown.get(same_look, '?')}")
            continue
        out.append(f"a conditional format the template does not have: {cond}, it shows "
                   f"{_seen(rule.look, value, rule.kind)}")
    for rule in removed:
        out.append(f"the template's conditional format {shown.get(rule, '?')} (which shows "
                   f"{_seen(rule.look, value)}) is missing")
    return out


def _condition(rule: Rule, cf: Conditional) -> str:
    """What a rule tests, as written (over its range)."""
    over = f" (over {cf.sqref}{', in the Excel 2010 extension' if cf.extension else ''})"
    if rule.kind == "expression":
        formula = cf.formulas[0] if cf.formulas else ""
        if formula.strip().upper() in ("TRUE", "TRUE()"):
            return f"always (its formula is {formula.strip()}){over}"
        return f"when {formula} is true{over}"
    if rule.kind == "cellIs":
        verb = _OPERATORS.get(rule.operator or "", f"is {rule.operator!r} to")
        return f"when the cell {verb} {' and '.join(cf.formulas)}{over}"
    name = _KINDS.get(rule.kind, f"a rule of type {rule.kind!r}")
    extra = ", ".join(f"{k}={v}" for k, v in rule.params)
    return name + (f" ({extra})" if extra else "") + over


def _seen(look: Look, value: object, kind: str = "") -> str:
    if look is None:
        return f"{_KINDS[kind]} in the cell" if kind in _SCALE_KINDS else "no format"
    if isinstance(look, str):
        return look
    fmt, colour, fill, size = look
    parts = []
    if fmt is not None:
        try:
            parts.append(f"the number format {fmt!r} ({render(fmt, value)[0]!r} for "
                         f"{value!r})" if value not in (None, "") else
                         f"the number format {fmt!r}")
        except Unrenderable:
            parts.append(f"the number format {fmt!r}")
    if colour is not None:
        parts.append(f"text in {_colour(colour)}")
    if fill is not None:
        parts.append(f"a fill of {_colour(fill)}")
    if size is not None:
        parts.append(f"a {size:g}-point font")
    return ", ".join(parts) if parts else "an empty format (nothing changes)"


def _colour(argb: str) -> str:
    """``FF9C0006`` as ``#9C0006``; theme and indexed colours as they are."""
    return "#" + argb[2:] if len(argb) == 8 and argb.startswith("FF") else argb
