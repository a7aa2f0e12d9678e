"""The part of a workbook's styles that decides what a person sees in a cell.

From ``styles.xml``: each cell format (``cellXfs``) gives its number format code (built-in
ids resolved to their codes, locale-dependent ones marked), its font (size, colour) and its
fill (solid colour); the differential formats (``dxfs``) conditional formatting applies carry
the same, plus whether they change the number format. Colours are ARGB text; theme and
indexed colours are resolved where the standard fixes them, else kept as ``theme:N`` /
``indexed:N`` (compared only with the same kind).
"""

from __future__ import annotations

import math
from typing import Any

from aijri_xl._record import dataclass, field
from aijri_xl.workbook.limits import MAX_STYLES
from aijri_xl.workbook.text import file_float
from aijri_xl.workbook.xmlparts import XlsxError

BUILTIN_FORMATS: dict[int, str] = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%",
    11: "0.00E+00", 12: "# ?/?", 13: "# ??/??", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM",
    20: "h:mm", 21: "h:mm:ss", 37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)",
    39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)", 45: "mm:ss",
    46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}
"""Built-in number formats whose codes the standard fixes (ECMA-376 Part 1, 18.8.30).
Others (14-17, 22, 5-8, 27-36, 50-81) depend on the reader's locale."""
LOCALE_FORMATS = frozenset({5, 6, 7, 8, 14, 15, 16, 17, 22, *range(27, 37), *range(50, 82)})

_INDEXED = {0: "FF000000", 1: "FFFFFFFF", 2: "FFFF0000", 3: "FF00FF00", 4: "FF0000FF",
            5: "FFFFFF00", 6: "FFFF00FF", 7: "FF00FFFF", 8: "FF000000", 9: "FFFFFFFF",
            10: "FFFF0000", 11: "FF00FF00", 12: "FF0000FF", 13: "FFFFFF00", 14: "FFFF00FF",
            15: "FF00FFFF"}
WHITE = "FFFFFFFF"


@dataclass(frozen=True, slots=True)
class CellStyle:
    """What one cell format shows: number format code (``None``: locale-dependent built-in
    id ``fmt_id``), font size and colour, fill colour (``None``: no fill)."""

    fmt_id: int = 0
    fmt: str | None = "General"
    font_size: float = 11.0
    font_colour: str | None = None  # None: automatic (black on any fill a person picks)
    fill: str | None = None
    font_name: str | None = None
    shrink_to_fit: bool = False  # the alignment shrinks the text to the column's width
    text_rotation: int = 0  # degrees (255: stacked); a turned text is not bounded by width
    fill_aligned: bool = False  # horizontal="fill": the text repeats across the width


@dataclass(frozen=True, slots=True)
class Dxf:
    """A differential format (applied by conditional formatting)."""

    fmt: str | None = None
    font_colour: str | None = None
    fill: str | None = None
    font_size: float | None = None


@dataclass(slots=True)
class Styles:
    xfs: list[CellStyle] = field(default_factory=lambda: [CellStyle()])
    dxfs: list[Dxf] = field(default_factory=list)
    default_font_size: float = 11.0
    """The Normal style's font, whose widest digit is the unit of column widths."""
    default_font_name: str | None = "Calibri"

    def of(self, index: int) -> CellStyle:
        """The style of a cell's ``s`` index (Excel uses the default for one out of range;
        the verifier reports that separately)."""
        return self.xfs[index] if 0 <= index < len(self.xfs) else self.xfs[0]


def colour(el: Any) -> str | None:
    """A colour element as ARGB, ``theme:N[:tint]``, or ``None`` (automatic)."""
    if el is None or el.get("auto") in ("1", "true"):
        return None
    rgb = el.get("rgb")
    if rgb:
        rgb = rgb.upper()
        return rgb if len(rgb) == 8 else ("FF" + rgb if len(rgb) == 6 else rgb)
    theme = el.get("theme")
    if theme is not None:
        tint = el.get("tint")
        return f"theme:{theme}" + (f":{float(tint):g}" if tint else "")
    indexed = el.get("indexed")
    if indexed is not None:
        return _INDEXED.get(int(indexed), None if int(indexed) >= 64 else f"indexed:{indexed}")
    return None


def read_styles(root: Any, m: str) -> Styles:
    """Parse a styles part (``m``: its namespace in braces)."""
    formats: dict[int, str] = {}
    for nf in _children(root, m, "numFmts", "numFmt"):
        formats[_int(nf.get("numFmtId"))] = nf.get("formatCode") or ""
    fonts = []
    names: list[str | None] = []
    for font in _children(root, m, "fonts", "font"):
        sz = font.find(f"{m}sz")
        size = _size(sz.get("val", "11")) if sz is not None else 11.0
        fonts.append((size, colour(font.find(f"{m}color"))))
        name = font.find(f"{m}name")
        names.append(name.get("val") if name is not None else None)
    fills: list[str | None] = []
    for fill in _children(root, m, "fills", "fill"):
        fills.append(_fill_colour(fill, m, solid_fg=True))
    out = Styles(xfs=[])
    for xf in _children(root, m, "cellXfs", "xf"):
        fmt_id = _int(xf.get("numFmtId"))
        code = formats.get(fmt_id, BUILTIN_FORMATS.get(fmt_id))
        if fmt_id in LOCALE_FORMATS and fmt_id not in formats:
            code = None
        elif code is None:
            code = "General"  # Excel shows an unknown id as General
        font_id, fill_id = _int(xf.get("fontId")), _int(xf.get("fillId"))
        size, font_colour = fonts[font_id] if 0 <= font_id < len(fonts) else (11.0, None)
        fill = fills[fill_id] if 0 <= fill_id < len(fills) else None
        align = xf.find(f"{m}alignment")
        shrink, rotation, fill_aligned = False, 0, False
        if align is not None:
            shrink = align.get("shrinkToFit") in ("1", "true")
            rotation = _int(align.get("textRotation"))
            fill_aligned = align.get("horizontal") == "fill"
        out.xfs.append(CellStyle(fmt_id, code, size, font_colour, fill,
                                 names[font_id] if 0 <= font_id < len(names) else None,
                                 shrink, rotation, fill_aligned))
    if not out.xfs:
        out.xfs.append(CellStyle())
    normal = _children(root, m, "cellStyleXfs", "xf")
    font_id = _int(normal[0].get("fontId")) if normal else 0
    if 0 <= font_id < len(fonts):
        out.default_font_size, out.default_font_name = fonts[font_id][0], names[font_id]
    for dxf in _children(root, m, "dxfs", "dxf"):
        out.dxfs.append(read_dxf(dxf, m))
    return out


def _first(el: Any, tag: str) -> Any:
    """``el.find(tag)`` for a direct child, by comparing tags (so it works whichever way
    the parser spells a namespace: ``{ns}local`` or ``ns}local``)."""
    return next((c for c in el if c.tag == tag), None)


def read_dxf(dxf: Any, m: str, where: str = "the styles part") -> Dxf:
    """One differential format: a ``<dxf>`` of the styles part, or the ``<x14:dxf>`` an
    Excel 2010 conditional format carries inline (its children are SpreadsheetML's, in
    ``m``: ECMA-376 CT_Dxf)."""
    nf = _first(dxf, f"{m}numFmt")
    font = _first(dxf, f"{m}font")
    sz = _first(font, f"{m}sz") if font is not None else None
    fill = _first(dxf, f"{m}fill")
    return Dxf(
        fmt=(nf.get("formatCode") or "") if nf is not None else None,
        font_colour=colour(_first(font, f"{m}color")) if font is not None else None,
        fill=_fill_colour(fill, m, solid_fg=False) if fill is not None else None,
        font_size=_size(sz.get("val", "11"), where) if sz is not None else None)


def _fill_colour(fill: Any, m: str, solid_fg: bool) -> str | None:
    pattern = _first(fill, f"{m}patternFill")
    if pattern is None:
        return None
    kind = pattern.get("patternType", "none" if solid_fg else "solid")
    if kind != "solid":
        return None
    # A cell format's solid fill shows its fgColor; a dxf's shows its bgColor.
    el = _first(pattern, f"{m}fgColor" if solid_fg else f"{m}bgColor")
    if el is None and not solid_fg:
        el = _first(pattern, f"{m}fgColor")
    return colour(el) if el is not None else None


def _children(root: Any, m: str, group: str, item: str) -> list[Any]:
    parent = root.find(f"{m}{group}")
    if parent is None:
        return []
    items = parent.findall(f"{m}{item}")
    if len(items) > MAX_STYLES:
        raise XlsxError(f"the styles hold {len(items):,} {item} entries (at most "
                        f"{MAX_STYLES:,})", "unsafe")
    return items


def _int(text: str | None) -> int:
    try:
        return int(text or 0)
    except ValueError as exc:
        raise XlsxError(f"the styles part has a malformed index {text!r}") from exc


MAX_FONT_POINTS = 409.0
"""Excel's largest font size, in points (its font box takes 1 to 409)."""


def _size(text: str, where: str = "the styles part") -> float:
    """A font size in points; a malformed, infinite or larger than Excel's one is an error
    (a tiny one is the display check's to report)."""
    try:
        size = file_float(text)
    except ValueError as exc:
        raise XlsxError(f"{where} has a malformed font size {text!r}") from exc
    if not math.isfinite(size) or size > MAX_FONT_POINTS:
        raise XlsxError(f"{where} has a font size of {text!r} points (Excel's fonts are at "
                        f"most {MAX_FONT_POINTS:g} points)")
    return size
