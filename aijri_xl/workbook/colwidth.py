"""Excel's column widths, and whether a number's text fits its cell (else Excel shows ``####``).

The model (ECMA-376 Part 1, 18.3.1.13 ``col/@width`` and 18.3.1.81 ``sheetFormatPr``;
MS-OI29500 2.1.598): a width is a number of characters of the maximum digit width (MDW)
of the Normal style's font, plus 5 pixels of padding (2 of margin on each side, 1 for the
gridline), kept in 1/256ths. A column is ``trunc(((256 * width + trunc(128 / MDW)) / 256)
* MDW)`` pixels wide; its text area is that less the padding, which Excel's Column Width
dialog shows in characters (``(pixels - 5) / MDW``; below 12 pixels, ``pixels / 12``, as
XlsxWriter converts). A column without a ``<col>`` takes ``defaultColWidth`` or, without
it, ``baseColWidth`` (8) characters plus the padding, rounded up to a multiple of 8 pixels:
64 pixels for Calibri 11, whose MDW is 7 pixels (the familiar 8.43). openpyxl and calamine
keep the stored width as read; XlsxWriter writes ``(pixels * 256 // 7) / 256``.

A text's width is not known without the font's metrics, so it is bounded from below: each
character counts at most as wide as a fraction of a digit of its font (a digit 1, a point
or comma 0.4, ...; lower than in Calibri, Arial, Times, Liberation and DejaVu), scaled by
the cell font's size against the Normal font's, times 0.9 when both are the same face and
0.6 when they are not (a narrow face against a wide default). A number is reported only
when even that lower bound exceeds the column's text area: clear narrowing, never a
judgement about a font.
"""

from __future__ import annotations

import math
from functools import lru_cache

from aijri_xl._record import dataclass
from aijri_xl.workbook.cells import SheetData, by_rows, col_letters

PADDING = 5
"""Pixels of a column that text cannot use (2 + 2 of margin, 1 of gridline)."""
CALIBRI_11_MDW = 7
SAME_FACE, OTHER_FACE = 0.9, 0.6
_GLYPHS = {".": 0.4, ",": 0.4, ":": 0.4, ";": 0.4, " ": 0.4, "-": 0.5, "(": 0.5, ")": 0.5,
           "/": 0.45, "%": 1.2, "+": 0.9, "=": 0.9, "<": 0.9, ">": 0.9, "E": 0.9,
           "$": 0.9, "€": 0.9, "£": 0.9, "¥": 0.9, "#": 0.9}


def mdw(font_size: float) -> int:
    """The maximum digit width in pixels (96 dpi) of a Normal font of ``font_size``
    points: 7 for 11 points (Calibri's, the default), in proportion otherwise."""
    return max(1, round(CALIBRI_11_MDW * font_size / 11.0))


def pixels(width: float, digit: int) -> int:
    """A stored width's pixels (ECMA-376's formula)."""
    return math.trunc(((256 * width + math.trunc(128 / digit)) / 256) * digit)


def default_pixels(sd: SheetData, digit: int) -> int:
    fmt = sd.sheet_format
    if fmt.default_col_width is not None:
        return pixels(fmt.default_col_width, digit)
    return -(-(fmt.base_col_width * digit + PADDING) // 8) * 8


def column_pixels(sd: SheetData, col: int, digit: int) -> int:
    """The pixels of 1-based column ``col``: the widest ``<col>`` span over it (spans that
    overlap are malformed; the widest is the reading least likely to report a number that
    fits), else the sheet's default."""
    widths = [c.width for c in sd.columns if c.first <= col <= c.last and c.width is not None]
    if widths:
        return pixels(max(widths), digit)
    return default_pixels(sd, digit)


def characters(px: int, digit: int) -> float:
    """What Excel's Column Width dialog shows for a column of ``px`` pixels."""
    if px >= digit + PADDING:
        return math.trunc((px - PADDING) / digit * 100 + 0.5) / 100
    return math.trunc(px / (digit + PADDING) * 100 + 0.5) / 100


def least_width(text: str, size_ratio: float, same_face: bool) -> float:
    """A lower bound of ``text``'s width in digits of the Normal font."""
    units = 0.0
    for ch in text:
        if ch.isdigit():
            units += 1.0
        elif ch in _GLYPHS:
            units += _GLYPHS[ch]
        elif ch.isupper():
            units += 0.45
        else:
            units += 0.3
    return units * size_ratio * (SAME_FACE if same_face else OTHER_FACE)


MAX_GLYPH = max(1.0, *_GLYPHS.values())


def most_characters(fmt: str | None, value: float) -> int:
    """More characters than ``value`` can show under ``fmt``: the format's own length
    (twice for date codes, which may write two digits for one letter), the number's integer
    digits (scaled by each ``%``) with their thousands separators, and a sign. Used to pass
    a number without rendering it when even this many of the widest glyph fit."""
    fixed, percents = _shape(fmt)
    if percents < 0:
        return fixed
    scaled = abs(value) * 100 ** percents
    digits = len(str(int(scaled))) if scaled < 1e300 else 301
    return fixed + digits + digits // 3


@lru_cache(maxsize=512)
def _shape(fmt: str | None) -> tuple[int, int]:
    """(characters a format adds, its ``%`` count); (12, -1) for General, which shows at
    most 11 characters in a column of standard width."""
    if fmt is None or fmt.strip().lower() == "general":
        return 12, -1
    dates = any(ch in "ymdhs" for ch in fmt.lower())
    return (2 if dates else 1) * len(fmt) + 1, min(fmt.count("%"), 4)


def general_shortest(x: float) -> list[str]:
    """The shortest texts Excel's General format can shrink ``x`` to in a narrow column
    (no decimals; one digit of scientific notation), longest first. Whether General can
    show one depends on metrics the verifier does not have; a text that cannot fit even
    these shows ``####``."""
    out = []
    if abs(x) < 1e11:
        rounded = math.floor(abs(x) + 0.5)
        out.append(("-" if x < 0 and rounded else "") + str(rounded))
    if x != 0:
        exponent = math.floor(math.log10(abs(x)))
        mantissa = round(abs(x) / 10 ** exponent)
        if mantissa >= 10:
            mantissa, exponent = 1, exponent + 1
        sign = "-" if exponent < 0 else "+"
        out.append(f"{'-' if x < 0 else ''}{mantissa}E{sign}{abs(exponent):02d}")
    return sorted(out, key=len, reverse=True)


@dataclass(frozen=True, slots=True)
class Overflow:
    """A number whose text does not fit its cell: the columns, their width as Excel's dialog
    shows it, the text the template's format gives and what it needs at least (both in
    characters), and what is shown instead: ``####``, or the shorter text General falls
    back to (fewer decimals, scientific notation)."""

    columns: str  # "B", or "B:C" for a merged range
    characters: float
    text: str
    needs: float
    shown: str


class SheetWidths:
    """One sheet's columns and merged ranges, looked up cell by cell: each column's pixels
    computed once, the merged ranges indexed by the rows asked about (``rows``), so a
    huge or numerous merge costs once, not once per cell."""

    def __init__(self, sd: SheetData, digit: int, rows: tuple[int, ...]):
        self.sd, self.digit = sd, digit
        self._pixels: dict[int, int] = {}
        self.merged = bool(sd.merged)
        self._merges = by_rows(sd.merged, lambda merge: (merge,), rows)

    def merged_at(self, row: int, col: int) -> tuple[int, int, int, int] | None:
        """The merged range over (``row``, ``col``), a row of ``rows``."""
        return next((m for m in self._merges.get(row, ()) if m[1] <= col <= m[3]), None)

    def pixels(self, col: int) -> int:
        px = self._pixels.get(col)
        if px is None:
            px = self._pixels[col] = column_pixels(self.sd, col, self.digit)
        return px

    def span(self, row: int, col: int) -> tuple[int, int, float]:
        """The columns a cell's text may use (its own, or the merged range it starts) and
        their width in characters."""
        merge = self.merged_at(row, col) if self.merged else None
        if merge is None:
            return col, col, characters(self.pixels(col), self.digit)
        first, last = merge[1], merge[3]
        px = sum(self.pixels(c) for c in range(first, min(last, first + 64) + 1))
        return first, last, characters(px, self.digit)

    def overflow(self, row: int, col: int, text: str, shorter: list[str],
                 size_ratio: float, same_face: bool) -> Overflow | None:
        """Whether ``text`` cannot fit its cell (a column narrower than half a character
        is hidden, which the display check reports on its own); ``shorter``: what the
        format falls back to, longest first (General's)."""
        first, last, area = self.span(row, col)
        need = least_width(text, size_ratio, same_face)
        if need <= area:
            return None
        shown = next((t for t in shorter if least_width(t, size_ratio, same_face) <= area),
                     "####")
        letters = col_letters(first - 1) + (f":{col_letters(last - 1)}" if last > first
                                            else "")
        return Overflow(letters, area, text, need, shown)
