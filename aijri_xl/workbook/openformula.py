"""OpenFormula (ODF 1.2+, what LibreOffice writes in ``.ods``) to Excel formula syntax.

An ``.ods`` cell stores ``of:=[.B5]*[$Parameters.$B$4]``; the template's layout says
``=B5*Parameters!$B$4``. :func:`to_excel` rewrites the first as the second so that the
verifier compares a LibreOffice file with the template exactly as it compares an
``.xlsx``. What it translates:

- references in brackets: ``[.A1]``, ``[.$A$1:.B2]``, ``[$Sheet.A1]``,
  ``[$'My sheet'.A1:.B9]``, whole columns and rows (``[.A:.A]``, ``[.1:.3]``), a range
  over sheets (``[$S1.A1:$S2.B2]`` → ``S1:S2!A1:B2``), references to another file
  (``['file:///x.ods'#$S.A1]`` → ``'[file:///x.ods]S'!A1``, which the verifier reports
  as a link outside the workbook) and deleted ones (``[.#REF!]`` → ``#REF!``);
- ``;`` between arguments → ``,``; in inline arrays ``;`` between columns → ``,`` and
  ``|`` between rows → ``;``;
- the operators that differ: ``~`` (union) → ``,`` and ``!`` (intersection) → a space;
- ``TRUE()`` / ``FALSE()`` → ``TRUE`` / ``FALSE``;
- function names: the ``COM.MICROSOFT.`` prefix (Excel functions LibreOffice names by
  their origin) is dropped and the few functions OpenFormula renames get their Excel
  names back (``CEILING.XCL`` → ``CEILING``, ``LEGACY.TDIST`` → ``TDIST``, ...);
- string literals and named ranges are copied as they are.

Functions that only LibreOffice has (``ORG.OPENOFFICE.*``, ``ORG.LIBREOFFICE.*``) keep
their names: they are not the template's, so a formula using one is reported as edited.
Text that is not OpenFormula at all raises :class:`FormulaSyntaxError`.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["FormulaSyntaxError", "range_address_to_excel", "to_excel", "translate_cell_formula"]


class FormulaSyntaxError(ValueError):
    """The text is not a formula in a syntax this module reads."""


_RENAMED = {
    # OpenFormula name -> Excel name, where the two differ (ODF 1.2 part 2, and what
    # LibreOffice's OOXML export maps back)
    "CEILING.XCL": "CEILING",
    "FLOOR.XCL": "FLOOR",
    "ERRORTYPE": "ERROR.TYPE",
    "ORG.OPENOFFICE.ERRORTYPE": "ERROR.TYPE",
    "LEGACY.CHIDIST": "CHIDIST",
    "LEGACY.CHIINV": "CHIINV",
    "LEGACY.CHITEST": "CHITEST",
    "LEGACY.FDIST": "FDIST",
    "LEGACY.FINV": "FINV",
    "LEGACY.FTEST": "FTEST",
    "LEGACY.NORMSDIST": "NORMSDIST",
    "LEGACY.NORMSINV": "NORMSINV",
    "LEGACY.TDIST": "TDIST",
    "LEGACY.TINV": "TINV",
    "LEGACY.TTEST": "TTEST",
    "LEGACY.BETADIST": "BETADIST",
    "LEGACY.BETAINV": "BETAINV",
    "LEGACY.BINOMDIST": "BINOMDIST",
    "LEGACY.EXPONDIST": "EXPONDIST",
    "LEGACY.GAMMADIST": "GAMMADIST",
    "LEGACY.GAMMAINV": "GAMMAINV",
    "LEGACY.HYPGEOMDIST": "HYPGEOMDIST",
    "LEGACY.LOGINV": "LOGINV",
    "LEGACY.LOGNORMDIST": "LOGNORMDIST",
    "LEGACY.NORMDIST": "NORMDIST",
    "LEGACY.NORMINV": "NORMINV",
    "LEGACY.POISSON": "POISSON",
    "LEGACY.WEIBULL": "WEIBULL",
    "LEGACY.ZTEST": "ZTEST",
    "LEGACY.CONFIDENCE": "CONFIDENCE",
    "LEGACY.CRITBINOM": "CRITBINOM",
    "LEGACY.MODE": "MODE",
    "LEGACY.RANK": "RANK",
    "LEGACY.STDEV": "STDEV",
    "LEGACY.STDEVP": "STDEVP",
    "LEGACY.VAR": "VAR",
    "LEGACY.VARP": "VARP",
    "LEGACY.COVAR": "COVAR",
    "LEGACY.PERCENTILE": "PERCENTILE",
    "LEGACY.QUARTILE": "QUARTILE",
    "ORG.OPENOFFICE.GAMMALN": "GAMMALN",
    "MULTIPLE.OPERATIONS": "TABLE",
}
_MS_PREFIX = "COM.MICROSOFT."

_CELL = re.compile(r"(\$?)([A-Za-z]{1,3})(\$?)([0-9]{1,7})$")
_COLUMN = re.compile(r"\$?[A-Za-z]{1,3}$")
_ROW = re.compile(r"\$?[0-9]{1,7}$")
_IDENT = re.compile(r"[A-Za-z_\\\u00c0-\uffff][\w.\u00c0-\uffff]*")
_NUMBER = re.compile(r"[0-9]*\.?[0-9]*(?:[eE][+-]?[0-9]+)?")
_ERROR = re.compile(r"#[A-Za-z0-9/]+[!?]?")
_BARE_SHEET = re.compile(r"[A-Za-z_][A-Za-z0-9_]*$")
_LOOKS_LIKE_REF = re.compile(r"(?:[A-Za-z]{1,3}[0-9]+|R[0-9]*C[0-9]*|TRUE|FALSE)$",
                             re.IGNORECASE)


def _sheet_excel(name: str) -> str:
    """A sheet name as Excel writes it before ``!``: quoted unless plainly an identifier."""
    if _BARE_SHEET.match(name) and not _LOOKS_LIKE_REF.match(name):
        return name
    return "'" + name.replace("'", "''") + "'"


def _split_point(text: str) -> tuple[str | None, str | None, str]:
    """One end of a reference, ``$'Sheet'.$A$1`` / ``.A1`` / ``A1`` → (source, sheet,
    the cell part). ``sheet`` is ``None`` for the formula's own sheet."""
    source = None
    rest = text
    if rest.startswith("'") and "'#" in rest:
        end = _quoted_end(rest, 0)
        if end + 1 < len(rest) and rest[end + 1] == "#":
            source = rest[1:end].replace("''", "'")
            rest = rest[end + 2:]
    sheet: str | None = None
    if rest.startswith("$"):
        rest = rest[1:]
    if rest.startswith("'"):
        end = _quoted_end(rest, 0)
        sheet = rest[1:end].replace("''", "'")
        rest = rest[end + 1:]
        if not rest.startswith("."):
            raise FormulaSyntaxError(f"a sheet name without a cell: {text!r}")
        return source, sheet, rest[1:]
    if rest.startswith("."):
        return source, None, rest[1:]
    dot = rest.rfind(".")
    if dot > 0:
        return source, rest[:dot], rest[dot + 1:]
    return source, None, rest


def _quoted_end(text: str, start: int) -> int:
    """The index of the quote closing the quoted text that opens at ``start``."""
    i = start + 1
    while i < len(text):
        if text[i] == "'":
            if i + 1 < len(text) and text[i + 1] == "'":
                i += 2
                continue
            return i
        i += 1
    raise FormulaSyntaxError(f"an unclosed quote in {text!r}")


def _split_range(text: str) -> list[str]:
    """``a:b`` → ``[a, b]``, ignoring colons inside quotes."""
    parts, start, i = [], 0, 0
    while i < len(text):
        ch = text[i]
        if ch == "'":
            i = _quoted_end(text, i) + 1
            continue
        if ch == ":":
            parts.append(text[start:i])
            start = i + 1
        i += 1
    parts.append(text[start:])
    return parts


def _cell_part(part: str, original: str) -> str:
    if "#REF!" in part.upper():
        return "#REF!"
    if _CELL.match(part) or _COLUMN.match(part) or _ROW.match(part):
        return part.upper()
    raise FormulaSyntaxError(f"not a cell reference: [{original}]")


def reference_to_excel(inner: str) -> str:
    """The text between ``[`` and ``]`` of an OpenFormula reference, in Excel syntax."""
    inner = inner.strip()
    if inner.upper() in ("#REF!", ".#REF!"):
        return "#REF!"
    ends = [_split_point(p) for p in _split_range(inner)]
    if len(ends) > 2 or not ends[0][2]:
        raise FormulaSyntaxError(f"not a reference: [{inner}]")
    source, sheet, first = ends[0]
    cells = [_cell_part(first, inner)]
    sheets = [sheet] if sheet is not None else []
    if len(ends) == 2:
        _, sheet2, second = ends[1]
        cells.append(_cell_part(second, inner))
        if sheet2 is not None and sheet2 != sheet:
            sheets.append(sheet2)
    if "#REF!" in cells or any(s.upper() == "#REF!" for s in sheets):
        return "#REF!"
    ref = ":".join(cells)
    if source is not None:
        book = "[" + source + "]" + (":".join(sheets) if sheets else "")
        return "'" + book.replace("'", "''") + "'!" + ref
    if not sheets:
        return ref
    if len(sheets) == 2:
        joined = sheets[0] + ":" + sheets[1]
        quoted = any(_sheet_excel(s) != s for s in sheets)
        return ("'" + joined.replace("'", "''") + "'" if quoted else joined) + "!" + ref
    return _sheet_excel(sheets[0]) + "!" + ref


def range_address_to_excel(address: str) -> str:
    """A named range's ``table:cell-range-address`` (``$Tasks.$C$5:.$C$29``, several
    separated by spaces) → Excel's defined-name text (``Tasks!$C$5:$C$29``)."""
    parts, start, i = [], 0, 0
    address = address.strip()
    while i < len(address):
        if address[i] == "'":
            i = _quoted_end(address, i) + 1
            continue
        if address[i] in " ;":
            parts.append(address[start:i])
            start = i + 1
        i += 1
    parts.append(address[start:])
    return ",".join(reference_to_excel(p) for p in parts if p.strip())


def to_excel(formula: str) -> str:
    """An OpenFormula expression (without namespace; a leading ``=`` is dropped) in Excel
    syntax, without the leading ``=``."""
    text = formula.strip()
    if text.startswith("="):
        text = text[1:]
    out: list[str] = []
    depth_array = 0
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            j = i + 1
            while True:
                j = text.find('"', j)
                if j < 0:
                    raise FormulaSyntaxError(f"an unclosed string in {formula!r}")
                if j + 1 < n and text[j + 1] == '"':
                    j += 2
                    continue
                break
            out.append(text[i:j + 1])
            i = j + 1
        elif ch == "[":
            j = i + 1
            while j < n and text[j] != "]":
                j = _quoted_end(text, j) + 1 if text[j] == "'" else j + 1
            if j >= n:
                raise FormulaSyntaxError(f"an unclosed reference in {formula!r}")
            out.append(reference_to_excel(text[i + 1:j]))
            i = j + 1
        elif ch == "{":
            depth_array += 1
            out.append(ch)
            i += 1
        elif ch == "}":
            depth_array = max(0, depth_array - 1)
            out.append(ch)
            i += 1
        elif ch == ";":
            out.append(",")
            i += 1
        elif ch == "|" and depth_array:
            out.append(";")
            i += 1
        elif ch == "~":
            out.append(",")
            i += 1
        elif ch == "!":
            out.append(" ")
            i += 1
        elif ch == "'":
            raise FormulaSyntaxError(f"a quote outside a reference in {formula!r}")
        elif "0" <= ch <= "9" or (ch == "." and i + 1 < n and "0" <= text[i + 1] <= "9"):
            m = _NUMBER.match(text, i)
            assert m is not None
            out.append(m.group(0))
            i = m.end()
        elif ch == "#":
            m = _ERROR.match(text, i)
            if m is None:
                raise FormulaSyntaxError(f"a stray '#' in {formula!r}")
            out.append(m.group(0))
            i = m.end()
        else:
            m = _IDENT.match(text, i)
            if m is None:
                out.append(ch)
                i += 1
                continue
            word = m.group(0)
            j = m.end()
            k = j
            while k < n and text[k] in " \t\r\n":
                k += 1
            if k < n and text[k] == "(":
                upper = word.upper()
                close = k + 1
                while close < n and text[close] in " \t\r\n":
                    close += 1
                if upper in ("TRUE", "FALSE") and close < n and text[close] == ")":
                    out.append(upper)
                    i = close + 1
                    continue
                out.append(_function_name(upper))
            else:
                out.append(word)
            i = j
    return "".join(out)


def _function_name(name: str) -> str:
    if name.startswith(_MS_PREFIX):
        name = name[len(_MS_PREFIX):]
    return _RENAMED.get(name, name)


@lru_cache(maxsize=16_384)
def translate_cell_formula(attribute: str) -> str:
    """A ``table:formula`` attribute (``of:=...``, ``oooc:=...``, ``msoxl:=...`` or one
    with no namespace) → the formula in Excel syntax, without ``=``.

    Raises :class:`FormulaSyntaxError` for a namespace this module does not read."""
    text = attribute.strip()
    prefix, sep, rest = text.partition(":=")
    if sep and re.fullmatch(r"[A-Za-z][\w.-]*", prefix):
        namespace = prefix.lower()
        if namespace == "msoxl":  # Excel syntax, as LibreOffice keeps for some imports
            return rest
        if namespace not in ("of", "oooc"):
            raise FormulaSyntaxError(f"a formula in the syntax {prefix!r}, not OpenFormula")
        return to_excel(rest)
    if text.startswith("="):
        return to_excel(text)
    raise FormulaSyntaxError(f"not a formula: {attribute[:80]!r}")
