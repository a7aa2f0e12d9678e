"""The parts of a worksheet around its cells that decide what a person sees: the columns
and their widths, the sheet's default width, merged ranges, and each conditional
formatting rule in full, read by :func:`read_view` from the root's children once the
sheet reader (:mod:`aijri_xl.workbook.worksheet`) has read and dropped the rows. ``m``
is the sheet's namespace as its tags carry it: ``{namespace}`` in an ElementTree,
``namespace}`` as the streaming reader's parser names it.

Conditional formats come from two places, and Excel shows both alike: the sheet's
``conditionalFormatting`` elements, and the Excel 2010 extension
(``extLst/ext/x14:conditionalFormattings``, MS-XLSX 2.6), whose rules name their cells in
``xm:sqref``, their formulas in ``xm:f`` and carry their format inline (``x14:dxf``, a
CT_Dxf whose children are SpreadsheetML's). Formula rules that refer to other sheets live
only there; a data bar or icon set of the sheet's own rules may have a twin there, paired by
the GUID of ``x14:id`` in the rule's ``extLst`` and the twin's ``id`` attribute. A twin is
the same rule, read once: its extension's settings added to the rule's. What programs would
read differently is refused (``AIJ-F215``): a twin of another type or over other cells, two
rules or twins with one GUID, two formats for one rule, an extension rule without cells or
with cells that cannot be read.
"""

from __future__ import annotations

import math
from typing import Any

from aijri_xl.workbook.cells import Column, Conditional, SheetData, SheetFormat
from aijri_xl.workbook.cellstyles import read_dxf
from aijri_xl.workbook.formula import parse_area
from aijri_xl.workbook.limits import MAX_COL, MAX_CONDITIONAL_AREAS, MAX_CONDITIONAL_RULES
from aijri_xl.workbook.text import ascii_digits, file_float
from aijri_xl.workbook.xmlparts import XlsxError

MAX_WIDTH = 255.0
"""Office's largest column width (MS-OI29500 2.1.598: 0 to 255)."""

_TRUE = ("1", "true")
_PARAMS: dict[str, tuple[tuple[str, str], ...]] = {
    # attribute and its default, for the rule types that read it (ECMA-376 18.3.1.10)
    "top10": (("rank", ""), ("percent", "0"), ("bottom", "0")),
    "aboveAverage": (("aboveAverage", "1"), ("equalAverage", "0"), ("stdDev", "0")),
    "containsText": (("text", ""),),
    "notContainsText": (("text", ""),),
    "beginsWith": (("text", ""),),
    "endsWith": (("text", ""),),
    "timePeriod": (("timePeriod", ""),),
}
_BOOLEAN = frozenset({"percent", "bottom", "aboveAverage", "equalAverage"})
_OPERATOR_KINDS = frozenset({"cellIs", "containsText", "notContainsText", "beginsWith",
                             "endsWith"})
_SCALES = frozenset({"colorScale", "dataBar", "iconSet"})
X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main}"
"""The Excel 2010 SpreadsheetML extensions' namespace, as the parser names it."""
XM = "http://schemas.microsoft.com/office/excel/2006/main}"


def _width(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = file_float(text)
    except ValueError:
        return None
    if not math.isfinite(value) or value < 0:
        return None
    return min(value, MAX_WIDTH)


def _int(text: str | None, default: int) -> int:
    return int(text) if text is not None and ascii_digits(text.strip()) else default


def _column(sheet: SheetData, text: str | None) -> int:
    """A ``<col>`` span's ``min`` or ``max`` (1 when it is missing); refused when it is not
    a column number (Excel refuses the file; reading it as 1 would hide or widen A)."""
    if text is None:
        return 1
    if not ascii_digits(text.strip()) or not 1 <= int(text) <= MAX_COL:
        raise _refused(sheet, f"a column span's min or max {text!r} is not a column number "
                       f"(1 to {MAX_COL})")
    return int(text)


def child(el: Any, tag: str) -> Any:
    """The first child of ``el`` named ``tag`` (``el.find(tag)`` without a path, so tags
    may be named as the parser names them, ``namespace}local``)."""
    return next((c for c in el if c.tag == tag), None)


def children(el: Any, tag: str) -> list[Any]:
    """Every child of ``el`` named ``tag`` (``el.findall(tag)`` without a path)."""
    return [c for c in el if c.tag == tag]


def read_view(root: Any, m: str, sheet: SheetData) -> None:
    """Everything of a worksheet's root this module reads (see the module text), from one
    pass over the root's children: the default width, columns and merged ranges, then the
    conditional formats."""
    first: dict[str, Any] = {}
    formats: list[Any] = []
    conditional = f"{m}conditionalFormatting"
    for el in root:
        tag = el.tag
        if tag == conditional:
            formats.append(el)
        elif tag not in first:
            first[tag] = el
    _columns(first, m, sheet)
    _conditional(first, formats, m, sheet)


def _columns(first: dict[str, Any], m: str, sheet: SheetData) -> None:
    """``<sheetFormatPr>``, ``<cols>`` and ``<mergeCells>`` (the root's first child of each
    name, in ``first``): the default width, every column span (width, hidden,
    customWidth), the hidden columns (hidden, or narrower than half a character) and the
    merged ranges."""
    fmt_pr = first.get(f"{m}sheetFormatPr")
    if fmt_pr is not None:
        if fmt_pr.get("zeroHeight") in _TRUE:
            sheet.rows_hidden_by_default = True
        base = _int(fmt_pr.get("baseColWidth"), 8)
        sheet.sheet_format = SheetFormat(_width(fmt_pr.get("defaultColWidth")),
                                         min(base, int(MAX_WIDTH)))
    cols = first.get(f"{m}cols")
    if cols is not None:
        col_tag = f"{m}col"
        for col in cols:
            if col.tag != col_tag:
                continue
            get = col.get
            lo, hi = _column(sheet, get("min")), _column(sheet, get("max"))
            width = _width(get("width"))
            hidden = get("hidden") in _TRUE
            sheet.columns.append(Column(lo, hi, width, hidden, get("customWidth") in _TRUE))
            if hidden or (width is not None and width < 0.5):
                sheet.hidden_cols.append((lo, hi))
    merges = first.get(f"{m}mergeCells")
    if merges is not None:
        merge_tag = f"{m}mergeCell"
        for merge in merges:
            if merge.tag == merge_tag:
                area = parse_area(merge.get("ref", ""))
                if area is not None:
                    sheet.merged.append(area)


def _canonical(el: Any) -> str:
    """An element's tree as text: local names, sorted attributes, text."""
    tag = el.tag.rsplit("}", 1)[-1]
    attrs = ",".join(f"{k.rsplit('}', 1)[-1]}={v}" for k, v in sorted(el.attrib.items()))
    inner = "".join(_canonical(child) for child in el)
    text = (el.text or "").strip()
    return f"{tag}[{attrs}]({text}{inner})"


def read_rule(rule: Any, formula_tag: str, sqref: str, extension: bool = False,
              m: str = "") -> Conditional:
    """One ``cfRule`` (``formula_tag``: ``{main}formula``, or ``{xm}f`` in an Excel 2010
    extension, whose format is its ``x14:dxf``, read with the sheet's namespace ``m``)."""
    get = rule.get
    kind = get("type", "")
    dxf = get("dxfId")
    formulas = []
    detail = []
    inline_el = None
    hides = False
    inline_tag = f"{X14}dxf" if extension else None
    for el in rule:
        tag = el.tag
        if tag == formula_tag:
            formulas.append(el.text or "")
        elif tag == inline_tag and inline_el is None:
            inline_el = el
        if tag.rsplit("}", 1)[-1] in _SCALES:
            detail.append(_canonical(el))
        if hides:
            continue
        if len(el):  # a data bar or icon set anywhere inside (an extension list's too)
            hides = any(inner.get("showValue") in ("0", "false") for inner in el.iter()
                        if inner.tag.endswith(("}dataBar", "}iconSet")))
        elif tag.endswith(("}dataBar", "}iconSet")):
            hides = el.get("showValue") in ("0", "false")
    params = []
    for attr, default in _PARAMS.get(kind, ()):
        value = get(attr)
        if value is None:
            continue
        if attr in _BOOLEAN:
            value = "1" if value in _TRUE else "0"
        if value != default:
            params.append((attr, value))
    priority = get("priority")
    look = read_dxf(inline_el, m, f"the Excel 2010 conditional format over {sqref} (x14:dxf)") \
        if inline_el is not None else None
    return Conditional(
        sqref, kind, int(dxf) if dxf and ascii_digits(dxf) and not extension else None,
        hides, get("operator") if kind in _OPERATOR_KINDS else None, tuple(formulas),
        get("stopIfTrue") in _TRUE,
        int(priority) if priority and ascii_digits(priority.lstrip("-")) else None,
        tuple(params), "".join(detail), look, extension)


def _refused(sheet: SheetData, what: str) -> XlsxError:
    return XlsxError(f"sheet {sheet.name}: {what}", "corrupt", "AIJ-F215")


def _twin_ids(rule: Any, m: str) -> list[str]:
    """The GUIDs a rule of the sheet's own names for its Excel 2010 twin (``x14:id`` in
    the rule's ``extLst``)."""
    ext_list = child(rule, f"{m}extLst")
    if ext_list is None:
        return []
    return [(el.text or "").strip().upper() for ext in children(ext_list, f"{m}ext")
            for el in children(ext, f"{X14}id")]


def _conditional(first: dict[str, Any], formats: list[Any], m: str, sheet: SheetData) -> None:
    """Every conditional formatting rule of a worksheet (see the module text; ``formats``:
    the root's ``conditionalFormatting`` children, ``first``: its first child of each
    other name), bounded by :data:`~aijri_xl.workbook.limits.MAX_CONDITIONAL_RULES` and
    :data:`~aijri_xl.workbook.limits.MAX_CONDITIONAL_AREAS`."""
    rules = sheet.conditional
    twins: dict[str, int] = {}  # GUID -> the index of the rule that names it
    count = 0
    rule_tag, formula_tag = f"{m}cfRule", f"{m}formula"
    for cf in formats:
        sqref = _sqref(cf.get("sqref"), sheet, "a conditional format", "sqref")
        for rule in cf:
            if rule.tag != rule_tag:
                continue
            count = _count(sheet, count)
            for guid in _twin_ids(rule, m):
                if guid in twins:
                    raise _refused(sheet, f"two conditional formats name the Excel 2010 "
                                   f"rule {guid} as their twin (which one it extends is not "
                                   "defined)")
                twins[guid] = len(rules)
            rules.append(read_rule(rule, formula_tag, sqref))
    ext_list = first.get(f"{m}extLst")
    seen: set[str] = set()
    for cf in ext_list.iter(f"{X14}conditionalFormatting") if ext_list is not None else ():
        sqref = _extension_sqref(cf, sheet)
        for rule in children(cf, f"{X14}cfRule"):
            count = _count(sheet, count)
            if rule.get("dxfId") is not None:
                raise _refused(sheet, f"the Excel 2010 conditional format over {sqref} has a "
                               "dxfId (an extension rule carries its format inline, "
                               "x14:dxf): programs read different formats")
            try:
                read = read_rule(rule, f"{XM}f", sqref, True, m)
            except XlsxError as exc:
                raise _refused(sheet, str(exc)) from exc
            guid = (rule.get("id") or "").strip().upper()
            if guid and guid in seen:
                raise _refused(sheet, f"two Excel 2010 conditional formats have the id "
                               f"{guid} (which one a rule's twin is is not defined)")
            seen.add(guid)
            if guid in twins:
                at = twins[guid]
                rules[at] = _paired(rules[at], read, sheet, guid)
            else:
                rules.append(read)
    areas = sum(len(c.sqref.split()) for c in rules)
    if areas > MAX_CONDITIONAL_AREAS:
        raise XlsxError(f"sheet {sheet.name}: conditional formats over {areas:,} ranges (at "
                        f"most {MAX_CONDITIONAL_AREAS:,})", "unsafe")


def _count(sheet: SheetData, count: int) -> int:
    count += 1
    if count > MAX_CONDITIONAL_RULES:
        raise XlsxError(f"sheet {sheet.name}: more than {MAX_CONDITIONAL_RULES:,} conditional "
                        "formatting rules", "unsafe")
    return count


def _extension_sqref(cf: Any, sheet: SheetData) -> str:
    """An extension's ``xm:sqref``: required (MS-XLSX), and every range readable."""
    el = child(cf, f"{XM}sqref")
    return _sqref(el.text if el is not None else None, sheet,
                  "an Excel 2010 conditional format", "xm:sqref")


def _sqref(text: str | None, sheet: SheetData, what: str, attribute: str) -> str:
    """The cells a conditional format covers: required (ECMA-376 Part 1, 18.3.1.18;
    MS-XLSX), every range readable; otherwise programs disagree on where it applies."""
    sqref = " ".join((text or "").split())
    if not sqref:
        raise _refused(sheet, f"{what} names no cells (no {attribute}): Excel repairs the "
                       "file, LibreOffice drops the rule")
    bad = next((part for part in sqref.split() if parse_area(part) is None), None)
    if bad is not None:
        raise _refused(sheet, f"{what}'s {attribute} {sqref[:80]!r} has {bad[:40]!r}, which "
                       "is not a range of cells")
    return sqref


def _areas(sqref: str) -> frozenset[tuple[int, int, int, int] | None]:
    return frozenset(parse_area(part) for part in sqref.split())


def _paired(own: Conditional, twin: Conditional, sheet: SheetData, guid: str) -> Conditional:
    """A rule and its Excel 2010 twin as the one rule Excel shows: the rule's own
    attributes with the twin's settings added (what would read differently is refused)."""
    where = f"the conditional format over {own.sqref} and its Excel 2010 twin {guid}"
    if own.kind != twin.kind:
        raise _refused(sheet, f"{where} are of different types ({own.kind!r} and "
                       f"{twin.kind!r}): programs read one or the other")
    if _areas(own.sqref) != _areas(twin.sqref):
        raise _refused(sheet, f"{where} cover different cells ({twin.sqref}): programs "
                       "read one or the other")
    if own.formulas and twin.formulas and own.formulas != twin.formulas:
        raise _refused(sheet, f"{where} have different formulas: programs read one or the "
                       "other")
    if own.dxf is not None and twin.inline is not None:
        raise _refused(sheet, f"{where} both carry a format: programs show one or the other")
    return Conditional(
        own.sqref, own.kind, own.dxf, own.hides_value or twin.hides_value, own.operator,
        own.formulas or twin.formulas, own.stop_if_true or twin.stop_if_true, own.priority,
        own.params or twin.params, own.detail + twin.detail, twin.inline, True)
