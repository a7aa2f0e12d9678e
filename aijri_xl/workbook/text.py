"""Text as a spreadsheet file may hold it: one place for Excel's limits and escapes.

Used by every workbook the project writes (assessments and templates, audits, registers)
and by the package's reader.

- XML 1.0 cannot hold most control characters (U+0000-U+001F except tab and newline;
  a parser turns a bare carriage return into a newline). Excel writes them as
  ``_xHHHH_`` (U+000B, Word's soft line break, is ``_x000B_``) and, so that a literal
  ``_x000B_`` in a text survives, writes its leading underscore as ``_x005F_``.
  XlsxWriter does this for shared strings but not for the cached text result of a
  formula, which is where a role title with U+000B broke the Summary sheet's XML;
  :func:`escape` is applied there.
- A text holding two such codes that share an underscore (``_x005F_x000B_``) cannot be
  stored unchanged by XlsxWriter's escaping of shared strings: it is refused.
- A cell holds at most 32,767 characters (:data:`MAX_CELL_CHARS`); an assessment's text
  over that is refused (:func:`check_length`), never cut.
- A row is at most 409 points high (:data:`MAX_ROW_POINTS`).
"""

from __future__ import annotations

import re

MAX_CELL_CHARS = 32_767
"""Excel's limit on the characters of one cell."""
MAX_ROW_POINTS = 409.0
"""Excel's limit on a row's height, in points."""

_ESCAPED = re.compile(r"_x[0-9A-Fa-f]{4}_")
_ESCAPE_START = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
_CHAINED = re.compile(r"_x[0-9A-Fa-f]{4}_x[0-9A-Fa-f]{4}_")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def ascii_digits(text: str) -> bool:
    """``text`` is one or more of the ASCII digits 0-9: what a number in the file format
    is made of. (``str.isdigit`` also takes ``²`` and other digits that ``int`` refuses or
    that Excel does not read as numbers.)"""
    return text.isascii() and text.isdigit()


def file_float(text: str) -> float:
    """A number as the file format writes it (``xsd:double``: ASCII digits, a sign, a point,
    an exponent, spaces around), as Excel and LibreOffice read it; :class:`ValueError`
    otherwise. Python's ``float`` also takes digits of other scripts (``٥٢.٨``) and
    underscores (``5_2.8``), which LibreOffice reads as 0 and 5: such a value would be
    verified as one number and shown as another."""
    if not text.isascii() or "_" in text:
        raise ValueError(f"not a number of the file format: {text!r}")
    return float(text)


class CellTextError(ValueError):
    """A text a spreadsheet cell cannot hold (too long, or not encodable)."""


def escape(text: str) -> str:
    """``text`` as Excel stores it in a cell's XML: a literal ``_xHHHH_`` first has its
    underscore escaped, then each control character becomes ``_xHHHH_``."""
    text = _ESCAPE_START.sub("_x005F_", text)
    return _CONTROL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


def unescape(text: str) -> str:
    """The inverse of :func:`escape`, as Excel reads a cell: every ``_xHHHH_`` becomes
    its character (``_x005F_`` the underscore)."""
    if "_x" not in text:
        return text
    return _ESCAPED.sub(lambda m: chr(int(m.group(0)[2:6], 16)), text)


def check_length(text: str, what: str) -> None:
    """Refuse a text longer than a cell holds, or one that cannot be written as UTF-8
    (a lone surrogate), naming ``what`` (the field or cell)."""
    if len(text) > MAX_CELL_CHARS:
        raise CellTextError(f"{what} is {len(text):,} characters long; a spreadsheet cell "
                            f"holds at most {MAX_CELL_CHARS:,}: shorten it")
    chained = _CHAINED.search(text)
    if chained:
        raise CellTextError(f"{what} holds {chained.group(0)!r} at character "
                            f"{chained.start() + 1}: two escape codes sharing an underscore, "
                            "which a spreadsheet file cannot store unchanged (XlsxWriter "
                            "escapes only the first); write it another way")
    bad = _SURROGATE.search(text)
    if bad:
        raise CellTextError(f"{what} holds an unpaired surrogate (U+{ord(bad.group(0)):04X}) "
                            f"at character {bad.start() + 1}, which no file can store")


def clip(text: str, what: str = "text") -> str:
    """For reports about files (audits, registers), where refusing would lose the report:
    a text over the cell limit is cut with a visible note saying so, never silently."""
    if len(text) <= MAX_CELL_CHARS:
        return _SURROGATE.sub("\ufffd", text)
    note = f" … [{what} cut: {len(text):,} characters, a cell holds {MAX_CELL_CHARS:,}]"
    return _SURROGATE.sub("\ufffd", text[:MAX_CELL_CHARS - len(note)]) + note


def row_points(points: float) -> float:
    """A row height within Excel's limit."""
    return min(points, MAX_ROW_POINTS)
