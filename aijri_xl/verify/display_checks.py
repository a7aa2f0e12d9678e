"""What a person sees in the contract's cells, against what the template shows.

A stored 52.8 under the format ``"91.0"`` shows 91.0; a zone under ``;;;"GREEN"`` shows
GREEN whatever it holds; white text on no fill shows nothing. For every contract cell (every
input, result, display, helper, parameter and identity cell of the layout, each row of the
task columns included) this module renders the cell's value under its number format
(:mod:`aijri_xl.workbook.numfmt`) and under the template's, and reports, at the cell:

- ``AIJ-X320`` when the two texts differ ("Summary!B7 shows '91.0' but holds 52.8");
- ``AIJ-X321`` when the cell's format cannot be rendered exactly;
- ``AIJ-X322`` a hidden or very hidden layout sheet; ``AIJ-X323`` a hidden row or column,
  or a merged range that covers the cell but does not start at it (only its first cell
  is shown);
- ``AIJ-X324`` a font in the colour of the fill (or of the format's colour) or too small;
- ``AIJ-X325`` a conditional format over the cell that changes its number format, hides
  its value (data bars, icon sets), or colours its text like its fill;
- ``AIJ-X329`` a number or date whose text cannot fit its column (Excel shows ``####``;
  :mod:`aijri_xl.workbook.colwidth` has the width model and why it only reports clear
  narrowing).

The conditional formats themselves are compared rule by rule with the template's in
:mod:`aijri_xl.verify.conditional_checks`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from aijri_xl.method.findings import Finding
from aijri_xl.styles import NUMBER_FORMATS
from aijri_xl.workbook.cells import by_rows
from aijri_xl.workbook.cellstyles import WHITE, CellStyle, Dxf, Styles
from aijri_xl.workbook.colwidth import (
    MAX_GLYPH,
    SheetWidths,
    general_shortest,
    mdw,
    most_characters,
)
from aijri_xl.workbook.formula import parse_area
from aijri_xl.workbook.layout import SHEETS, Layout
from aijri_xl.workbook.numfmt import Unrenderable, compile_format, has_colour, render
from aijri_xl.workbook.xlsx import CellData, SheetData, WorkbookData, col_letters

MIN_FONT_POINTS = 6.0
"""The smallest font a contract cell may show its value in (the template uses 10-22)."""
_BLACK = "FF000000"


@lru_cache(maxsize=16)
def contract_cells(lay: Layout) -> tuple[tuple[str, str, int, int, str, str], ...]:
    """Every contract cell once: (sheet, ref, row, column, template format code, what)."""
    out: dict[tuple[str, str], tuple[str, str, int, int, str, str]] = {}
    for cell in lay.cells:
        area = parse_area(cell.ref)
        if area is None:
            continue
        r0, c0, r1, c1 = area
        what = cell.name or cell.label or "a display formula"
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                ref = f"{col_letters(c - 1)}{r}"
                key = (cell.sheet, ref)
                if key not in out or cell.kind != "helper":
                    out[key] = (cell.sheet, ref, r, c, NUMBER_FORMATS[cell.fmt], what)
    return tuple(out.values())


@lru_cache(maxsize=16)
def _cells_where(lay: Layout) -> tuple[tuple[str, str, int, int, str, str, str], ...]:
    """:func:`contract_cells`, each with its ``sheet!ref`` as findings name it."""
    return tuple((*cell, f"{cell[0]}!{cell[1]}") for cell in contract_cells(lay))


@lru_cache(maxsize=1024)
def sqref_areas(sqref: str) -> tuple[tuple[int, int, int, int], ...]:
    """The areas of a ``sqref`` (space-separated ranges), each (row, col, row, col)."""
    return tuple(a for a in (parse_area(p) for p in sqref.split()) if a is not None)


def inside(areas: tuple[tuple[int, int, int, int], ...], row: int, col: int) -> bool:
    return any(r0 <= row <= r1 and c0 <= col <= c1 for r0, c0, r1, c1 in areas)


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.10g}"
    return repr(value) if isinstance(value, str) else str(value)


class _Place:
    """What one contract cell's place shows, whatever it holds: whether its row or column
    is hidden, the merged range over it that starts elsewhere (its first and last cell),
    the columns its text may use with their width, and the conditional rules over it (by
    index into the sheet's rules)."""

    __slots__ = ("hidden", "rules", "span", "under")

    def __init__(self, hidden: bool, under: tuple[str, str] | None,
                 span: tuple[int, int, float], rules: tuple[int, ...]):
        self.hidden, self.under, self.span, self.rules = hidden, under, span, rules


_PLACES: dict[tuple[Any, ...], dict[str, _Place]] = {}
"""A sheet's places by its layout, geometry and rules' ranges (the same in every workbook
of a layout): worked out once, not once per file."""


def _places(lay: Layout, sheet: str, sd: SheetData, digit: int) -> dict[str, _Place]:
    """Each contract cell of ``sheet`` → its :class:`_Place`."""
    key = (lay, sheet, digit, frozenset(sd.hidden_rows), sd.rows_hidden_by_default,
           frozenset(sd.shown_rows) if sd.rows_hidden_by_default else None,
           tuple(sd.hidden_cols), tuple(sd.merged), tuple(sd.columns), sd.sheet_format,
           tuple(cf.sqref for cf in sd.conditional))
    found = _PLACES.get(key)
    if found is not None:
        return found
    rows = contract_rows(lay).get(sheet, ())
    widths = SheetWidths(sd, digit, rows)
    rules = by_rows([(sqref_areas(cf.sqref), cf) for cf in sd.conditional],
                    lambda rule: rule[0], rows) if sd.conditional else {}
    index = {id(cf): i for i, cf in enumerate(sd.conditional)}
    found = {}
    for cell_sheet, ref, row, col, _fmt, _what in contract_cells(lay):
        if cell_sheet != sheet:
            continue
        merge = widths.merged_at(row, col) if widths.merged else None
        under = None
        if merge is not None and (merge[0], merge[1]) != (row, col):
            under = (f"{col_letters(merge[1] - 1)}{merge[0]}",
                     f"{col_letters(merge[3] - 1)}{merge[2]}")
        found[ref] = _Place(_hidden(sd, row, col), under, widths.span(row, col),
                            tuple(index[id(cf)] for areas, cf in rules.get(row, ())
                                  if inside(areas, row, col)))
    if len(_PLACES) >= 256:
        _PLACES.clear()
    _PLACES[key] = found
    return found


def display_findings(data: WorkbookData, lay: Layout) -> list[Finding]:
    out: list[Finding] = []
    for sheet in SHEETS:
        state = data.sheet_states.get(sheet, "visible")
        if sheet in data.sheets and state != "visible":
            out.append(Finding("AIJ-X322", f"the sheet {sheet!r} is {_state(state)}: its "
                               "cells are not shown", where=sheet, actual=state))
    styles = data.styles
    digit = mdw(styles.default_font_size or 11.0)
    widths: dict[str, SheetWidths] = {}
    legible: set[tuple[str, int, str | None, tuple[int, ...]]] = set()
    """(sheet, style, the format's colour, rules over the cell) already seen to show a value
    legibly: the same few recur in every cell of a column."""
    bounded: dict[int, float] = {}  # style -> _font_ratio
    sheets: dict[str, tuple[SheetData, dict[str, _Place]] | None] = {}
    for sheet, ref, row, col, template_fmt, what, where in _cells_where(lay):
        if sheet not in sheets:
            sd = data.sheets.get(sheet)
            sheets[sheet] = None if sd is None else (sd, _places(lay, sheet, sd, digit))
        found = sheets[sheet]
        if found is None:
            continue
        sd, places = found
        place = places[ref]
        if place.hidden:
            out.append(Finding("AIJ-X323", f"{where} ({what}) is in a hidden row or "
                               "column: a person does not see it", where=where))
        if place.under is not None:
            first, last = place.under
            out.append(Finding("AIJ-X323", f"{where} ({what}) lies under the merged "
                               f"range {first}:{last}, which shows only {first}: a "
                               "person does not see it", where=where))
        cell = sd.cells.get(ref)
        if cell is None or cell.value is None or (cell.value == "" and cell.formula is None):
            continue
        style = styles.of(cell.style)
        if isinstance(cell.value, float) and not (place.hidden or place.under):
            ratio = bounded.get(cell.style)
            if ratio is None:
                ratio = bounded[cell.style] = _font_ratio(style, styles)
            # fits whatever the text is (or its width is not bounded): not rendered
            if ratio and MAX_GLYPH * most_characters(style.fmt, cell.value) * ratio \
                    > place.span[2]:
                _too_narrow(out, place, widths, sd, digit, lay, row, col, cell.value, style,
                            styles, where, what)
        colour = style.font_colour
        fmt = style.fmt
        if not cell.is_error and (fmt != template_fmt or has_colour(fmt)):
            colour = _check_format(out, where, what, cell, fmt, template_fmt) or colour
        look = (sheet, cell.style, colour, place.rules)
        if look not in legible and not _illegible(out, sd, styles, style, colour,
                                                  place, where, what):
            legible.add(look)
    return out


def _illegible(out: list[Finding], sd: SheetData, styles: Styles, style: CellStyle,
               colour: str | None, place: _Place, where: str, what: str) -> bool:
    """Report a value a person cannot read at its cell: text in its fill's colour, too
    small a font, or a conditional format over it that hides or changes it. Whether any
    was reported."""
    count = len(out)
    fill = style.fill or WHITE
    if (colour or _BLACK) == fill:
        out.append(Finding("AIJ-X324", f"{where} ({what}) shows its value in the colour "
                           f"of its fill ({fill}): a person cannot read it", where=where,
                           actual=colour))
    elif style.font_size < MIN_FONT_POINTS:
        out.append(Finding("AIJ-X324", f"{where} ({what}) is in a {style.font_size:g}-point "
                           f"font (at least {MIN_FONT_POINTS:g}): a person cannot read it",
                           where=where, actual=style.font_size))
    for i in place.rules:
        cf = sd.conditional[i]
        problem = _conditional_problem(cf, styles.dxfs, fill, colour)
        if problem:
            ext = " (in the Excel 2010 extension)" if cf.extension else ""
            out.append(Finding("AIJ-X325", f"{where} ({what}): a conditional format "
                               f"over {cf.sqref}{ext} {problem}", where=where,
                               actual=cf.kind))
    return len(out) > count


def _state(state: str) -> str:
    return "very hidden (only a macro or the XML shows it)" if state == "veryHidden" \
        else "hidden"


def _hidden(sd: SheetData, row: int, col: int) -> bool:
    if row in sd.hidden_rows:
        return True
    if sd.rows_hidden_by_default and row not in sd.shown_rows:
        return True
    return any(lo <= col <= hi for lo, hi in sd.hidden_cols)


@lru_cache(maxsize=16)
def contract_rows(lay: Layout) -> dict[str, tuple[int, ...]]:
    """The rows of each sheet's contract cells, sorted."""
    rows: dict[str, set[int]] = {}
    for sheet, _ref, row, _col, _fmt, _what in contract_cells(lay):
        rows.setdefault(sheet, set()).add(row)
    return {sheet: tuple(sorted(r)) for sheet, r in rows.items()}


@lru_cache(maxsize=16384)
def _number_text(fmt: str | None, value: float) -> tuple[str, bool] | None:
    """What ``value`` shows under ``fmt`` and whether General may shorten it (``None``:
    a format the verifier cannot render, or General beside literals, whose shortening is
    not known). Cached: the same few values recur in every workbook."""
    try:
        sections = compile_format(fmt or "")
        text = render(fmt, value)[0]
    except Unrenderable:
        return None
    general = fmt is not None and fmt.strip().lower() == "general"
    if not general and any(s.kind == "general" for s in sections):
        return None
    return text, general


def _font_ratio(style: CellStyle, styles: Styles) -> float:
    """The style's font size over the default's (what its glyphs' widths scale by); 0 when
    a text's width is not bounded by its column (shrink to fit, turned or fill-aligned
    text)."""
    if style.shrink_to_fit or style.text_rotation or style.fill_aligned:
        return 0.0
    return style.font_size / (styles.default_font_size or 11.0)


def _too_narrow(out: list[Finding], place: _Place, widths: dict[str, SheetWidths],
                sd: SheetData, digit: int, lay: Layout, row: int, col: int, value: float,
                style: CellStyle, styles: Styles, where: str, what: str) -> None:
    """A number too wide for its cell, given that its width is bounded by the column and
    that the most characters it could show may not fit (:func:`_font_ratio`)."""
    same = (style.font_name or "").lower() == (styles.default_font_name or "").lower()
    ratio = _font_ratio(style, styles)
    shown = _number_text(style.fmt, value)
    if shown is None or not shown[0]:
        return
    text, general = shown
    sheet_widths = widths.get(sd.name)
    if sheet_widths is None:
        sheet_widths = widths[sd.name] = SheetWidths(sd, digit,
                                                     contract_rows(lay).get(sd.name, ()))
    narrow = sheet_widths.overflow(row, col, text, general_shortest(value) if general else [],
                                   ratio, same)
    if narrow is None:
        return
    width = (f"column {narrow.columns} is {narrow.characters:g} characters wide; "
             f"{narrow.text!r} needs at least {narrow.needs:.1f}")
    message = (f"shows '####' ({width}) but holds {_shown(value)}" if narrow.shown == "####"
               else f"cannot show {narrow.text!r} in full ({width}): its General format "
               f"shortens it to {narrow.shown!r} or shows '####'")
    out.append(Finding("AIJ-X329", f"{where} ({what}) {message}", where=where,
                       expected=narrow.text, actual=narrow.shown))


def _check_format(out: list[Finding], where: str, what: str, cell: CellData,
                  fmt: str | None, template_fmt: str) -> str | None:
    """Compare the text under the cell's format with the template's; returns the format's
    colour for the value (``None``: the font's)."""
    if fmt == template_fmt:  # the same text; only the format's colour to find
        try:
            return render(fmt, cell.value)[1]
        except Unrenderable:
            return None
    try:
        shown, colour = render(fmt, cell.value)
    except Unrenderable as exc:
        out.append(Finding("AIJ-X321", f"{where} ({what}) holds {_shown(cell.value)} under "
                           f"the number format {fmt!r}, whose text cannot be confirmed: "
                           f"{exc}", where=where, expected=template_fmt, actual=fmt))
        return None
    expected, _ = render(template_fmt, cell.value)
    if shown != expected:
        out.append(Finding("AIJ-X320", f"{where} ({what}) shows {shown!r} but holds "
                           f"{_shown(cell.value)} (the template's format shows {expected!r})",
                           where=where, expected=expected, actual=shown))
    return colour


def _conditional_problem(cf: Any, dxfs: list[Dxf], fill: str, colour: str | None) -> str:
    if cf.hides_value:
        return f"({cf.kind}) hides the value behind a bar or icon"
    dxf = cf.inline  # an Excel 2010 extension rule's own format
    if dxf is None:
        if cf.dxf is None:
            return ""
        if not 0 <= cf.dxf < len(dxfs):
            return f"names format {cf.dxf}, which the styles do not have"
        dxf = dxfs[cf.dxf]
    if dxf.fmt is not None:
        return f"changes the number format to {dxf.fmt!r} (what the cell shows)"
    text = dxf.font_colour or colour or _BLACK
    if text == (dxf.fill or fill):
        return f"colours the text like its fill ({text}): a person cannot read it"
    if dxf.font_size is not None and dxf.font_size < MIN_FONT_POINTS:
        return f"shrinks the font to {dxf.font_size:g} points"
    return ""
