"""The parts of a worksheet around its cells that decide what a person sees: the columns
and their widths, the sheet's default width, merged ranges, and each conditional
formatting rule in full. Each is read from its element, so the sheet reader
(:mod:`aijri_xl.workbook.worksheet`) calls one function per part. ``m`` is the sheet's
namespace as its tags carry it: ``{namespace}`` in an ElementTree, ``namespace}`` as the
streaming reader's parser names it.
"""

from __future__ import annotations

import math
from typing import Any

from aijri_xl.workbook.cells import Column, Conditional, SheetData, SheetFormat
from aijri_xl.workbook.formula import parse_area

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


def _width(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    if not math.isfinite(value) or value < 0:
        return None
    return min(value, MAX_WIDTH)


def _int(text: str | None, default: int) -> int:
    return int(text) if text is not None and text.strip().isdigit() else default


def child(el: Any, tag: str) -> Any:
    """The first child of ``el`` named ``tag`` (``el.find(tag)`` without a path, so tags
    may be named as the parser names them, ``namespace}local``)."""
    return next((c for c in el if c.tag == tag), None)


def children(el: Any, tag: str) -> list[Any]:
    """Every child of ``el`` named ``tag`` (``el.findall(tag)`` without a path)."""
    return [c for c in el if c.tag == tag]


def read_columns(root: Any, m: str, sheet: SheetData) -> None:
    """``<sheetFormatPr>``, ``<cols>`` and ``<mergeCells>`` of a worksheet: the default
    width, every column span (width, hidden, customWidth), the hidden columns (hidden, or
    narrower than half a character) and the merged ranges."""
    fmt_pr = child(root, f"{m}sheetFormatPr")
    if fmt_pr is not None:
        if fmt_pr.get("zeroHeight") in _TRUE:
            sheet.rows_hidden_by_default = True
        base = _int(fmt_pr.get("baseColWidth"), 8)
        sheet.sheet_format = SheetFormat(_width(fmt_pr.get("defaultColWidth")),
                                         min(base, int(MAX_WIDTH)))
    cols = child(root, f"{m}cols")
    for col in children(cols, f"{m}col") if cols is not None else ():
        lo, hi = _int(col.get("min"), 1), _int(col.get("max"), 1)
        width = _width(col.get("width"))
        hidden = col.get("hidden") in _TRUE
        sheet.columns.append(Column(lo, hi, width, hidden, col.get("customWidth") in _TRUE))
        if hidden or (width is not None and width < 0.5):
            sheet.hidden_cols.append((lo, hi))
    merges = child(root, f"{m}mergeCells")
    for merge in children(merges, f"{m}mergeCell") if merges is not None else ():
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


def read_rule(rule: Any, formula_tag: str, sqref: str, prefix: str = "") -> Conditional:
    """One ``cfRule`` (``formula_tag``: ``{main}formula``, or ``{xm}f`` in an Excel 2010
    extension, whose kind gets ``prefix`` ``x14:``)."""
    kind = rule.get("type", "")
    dxf = rule.get("dxfId")
    hides = any(el.get("showValue") in ("0", "false") for el in rule.iter()
                if el.tag.endswith(("}dataBar", "}iconSet")))
    formulas = tuple((f.text or "") for f in children(rule, formula_tag))
    params = []
    for attr, default in _PARAMS.get(kind, ()):
        value = rule.get(attr)
        if value is None:
            continue
        if attr in _BOOLEAN:
            value = "1" if value in _TRUE else "0"
        if value != default:
            params.append((attr, value))
    detail = "".join(_canonical(el) for el in rule
                     if el.tag.rsplit("}", 1)[-1] in _SCALES)
    priority = rule.get("priority")
    return Conditional(
        sqref, prefix + kind, int(dxf) if dxf and dxf.isdigit() and not prefix else None,
        hides, rule.get("operator") if kind in _OPERATOR_KINDS else None, formulas,
        rule.get("stopIfTrue") in _TRUE,
        int(priority) if priority and priority.lstrip("-").isdigit() else None,
        tuple(params), detail)
