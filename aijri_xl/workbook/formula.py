"""Excel formulas as tokens: what a formula calls and what it refers to, read structurally.

The verifier never searches a formula's text for ``https://`` or a function name: a URL
built from pieces (``IMAGE("ht"&"tps://"&A1)``) has neither. It tokenises the formula the
way Excel's grammar does (string literals, errors, sheet-qualified and external references,
whole-column and whole-row ranges, function calls, names, DDE links) and asks of the tokens:
which functions are called, does any reference point into another workbook, is a
``HYPERLINK`` target a place in this workbook. The evaluator uses the same tokens to put a
defined name's target in the name's place.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from aijri_xl.workbook.limits import MAX_COL, MAX_ROW
from aijri_xl.workbook.text import ascii_digits

if TYPE_CHECKING:
    from aijri_xl.workbook.layout import Layout

_TOKEN = re.compile(r"""
    (?P<op1><>|<=|>=|[+*/^&=<>%,;:(){}@!])
  | (?P<ws>\s++)
  | (?P<string>"(?:[^"]|"")*")
  | (?P<error>\#(?:NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A|GETTING_DATA|SPILL!|CALC!
                  |FIELD!|BLOCKED!|CONNECT!|BUSY!|UNKNOWN!|EXTERNAL!))
  | (?P<prefix>(?:'(?:[^']|'')+'|\[[^\]]*+\][A-Za-z0-9_.\\ ]*+
                 |[A-Za-z_\\][\w.\\]*+(?:\:[A-Za-z_][\w.]*+)?|\[[^\]]*+\])!)
  | (?P<dde>[A-Za-z0-9_.\\-]++\|)
  | (?P<struct>(?:[A-Za-z_\\][\w.\\]*+)?\[(?:[^\[\]]|\[[^\[\]]*+\])*+\])
  | (?P<range>\$?[A-Za-z]{1,3}+\$?[0-9]{1,7}+(?::\$?[A-Za-z]{1,3}+\$?[0-9]{1,7}+)?(?![\w(.])
           | \$?[A-Za-z]{1,3}+:\$?[A-Za-z]{1,3}+(?![\w(.])
           | \$?[0-9]{1,7}+:\$?[0-9]{1,7}+(?![\w(.]))
  | (?P<number>(?:[0-9]++\.?[0-9]*+|\.[0-9]++)(?:[eE][+-]?[0-9]++)?%?)
  | (?P<func>[A-Za-z_\\][\w.]*+(?=\s*\())
  | (?P<name>[A-Za-z_\\][\w.?\\]*+)
  | (?P<op>[-\#])
""", re.VERBOSE)
"""Excel's tokens, in the order they are tried. The operators that no other token can
begin with come first (``op1``, an ``op`` token), the rest of the grammar after; every
run that a following token could not start within is matched possessively (``*+``),
which changes no token and spares the engine retrying shorter runs. String literals and
quoted sheet names keep their backtracking: ``"a"" `` is the string ``"a"``."""

_PREFIXES = ("_xlfn._xlws.", "_xlfn.", "_xlws.", "_xlpm.")
REMOTE_FUNCTIONS = {
    "WEBSERVICE": "WEBSERVICE (a web request)",
    "IMAGE": "IMAGE (fetches a picture from the web)",
    "RTD": "RTD (a real-time data server)",
    "CALL": "CALL (runs code in a library)",
    "REGISTER": "REGISTER (loads code from a library)",
    "REGISTER.ID": "REGISTER.ID (loads code from a library)",
    "EXEC": "EXEC (runs a program)",
    "STOCKHISTORY": "STOCKHISTORY (fetches data from the web)",
    "FILTERXML": "FILTERXML (parses fetched XML)",
    "ENCODEURL": "ENCODEURL (builds a web request)",
    "COPILOT": "COPILOT (sends data to a web service)",
    "PY": "PY (runs Python code in the cloud)",
    "DDE": "DDE (a link to another program, OpenFormula)",
}
"""Functions that reach outside the workbook or run code, by what they do."""


class FormulaSyntaxError(ValueError):
    """A formula the tokeniser cannot read: it is not a formula Excel would accept."""


class Token(NamedTuple):
    kind: str  # string, error, prefix, dde, struct, range, number, func, name, op
    text: str
    start: int


def tokens(formula: str) -> tuple[Token, ...]:
    """The tokens of ``formula`` (with or without its leading ``=``), whitespace dropped.
    Formulas of template size are cached (they repeat in every workbook, the longest
    with their defined names replaced by their targets, :func:`substitute_names`);
    longer ones are not, and the cache holds at most :data:`_CACHED_TOTAL` characters of
    formulas, so its memory stays bounded."""
    text = formula[1:] if formula[:1] == "=" else formula  # the key: with "=" or without
    found = _CACHE.get(text)
    if found is None:
        found = _tokenise(text)
        _remember(text, found)
    return found


_CACHED_CHARS = 2_048
"""The longest formula whose tokens are kept (the template's longest, its names replaced by
their targets, has some 1,300 characters)."""
_CACHED_TOTAL = 1_000_000
"""Characters of formulas whose tokens are kept at once (the template's, names replaced,
are some 140,000)."""
_CACHE: dict[str, tuple[Token, ...]] = {}
_cached = [0]


def _remember(formula: str, found: tuple[Token, ...]) -> None:
    if len(formula) > _CACHED_CHARS:
        return
    if _cached[0] + len(formula) > _CACHED_TOTAL:
        _CACHE.clear()
        _cached[0] = 0
    _CACHE[formula] = found
    _cached[0] += len(formula)


def _tokenise(text: str) -> tuple[Token, ...]:
    """The tokens of a formula's text (no leading ``=``)."""
    found = list(iter(_TOKEN.scanner(text).match, None))  # type: ignore[attr-defined]
    end = found[-1].end() if found else 0
    if end < len(text):
        raise FormulaSyntaxError(f"cannot read the formula at {text[end:end + 20]!r}")
    new = tuple.__new__
    return tuple([new(Token, ("op" if m.lastgroup == "op1" else m.lastgroup, m.group(),
                              m.start())) for m in found if m.lastgroup != "ws"])


@lru_cache(maxsize=1024)
def function_name(text: str) -> str:
    """A called function's name without the prefixes files store (``_xlfn.``)."""
    upper = text.upper()
    for prefix in _PREFIXES:
        if upper.startswith(prefix.upper()):
            return upper[len(prefix):]
    return upper


@lru_cache(maxsize=2048)
def functions(formula: str) -> frozenset[str]:
    """Every function ``formula`` calls (upper case, prefixes removed)."""
    return frozenset(function_name(t.text) for t in tokens(formula) if t.kind == "func")


@lru_cache(maxsize=2048)
def external_reach(formula: str) -> str | None:
    """What in ``formula`` reaches outside the workbook or runs code, or ``None``."""
    toks = tokens(formula)
    for i, tok in enumerate(toks):
        if tok.kind == "prefix" and ("[" in tok.text or "\\" in tok.text or "/" in tok.text):
            return f"a reference into another workbook ({tok.text})"
        if tok.kind == "dde":
            return f"a DDE link ({tok.text}…)"
        if tok.kind == "func":
            name = function_name(tok.text)
            if tok.text.upper().startswith("_XLUDF."):
                return f"a user-defined function ({tok.text[7:]}: code outside the workbook)"
            if name in REMOTE_FUNCTIONS:
                return REMOTE_FUNCTIONS[name]
            if name == "HYPERLINK":
                first = _first_argument(toks, i)
                if not (len(first) == 1 and first[0].kind == "string"
                        and first[0].text.startswith('"#')):
                    return ("HYPERLINK to a remote target" if len(first) == 1 and
                            first[0].kind == "string" else "HYPERLINK to a computed target")
    return None


def _first_argument(toks: tuple[Token, ...], func_index: int) -> list[Token]:
    """The tokens of a call's first argument."""
    depth = 0
    out: list[Token] = []
    for tok in toks[func_index + 1:]:
        if tok.kind == "op" and tok.text in "({":
            depth += 1
            if depth == 1:
                continue
        elif tok.kind == "op" and tok.text in ")}":
            depth -= 1
            if depth == 0:
                break
        elif depth == 1 and tok.kind == "op" and tok.text in ",;":
            break
        out.append(tok)
    return out


def names_used(formula: str) -> frozenset[str]:
    """The defined names ``formula`` refers to (as written; Excel compares them without
    case)."""
    return frozenset(t.text for t in tokens(formula) if t.kind == "name"
                     and t.text.upper() not in ("TRUE", "FALSE"))


class FormulaTooLong(ValueError):
    """A formula that would pass a length bound once its names are replaced."""


def substitute_names(formula: str, targets: dict[str, str], limit: int | None = None) -> str:
    """``formula`` with each defined name (looked up without case in ``targets``, keys in
    upper case) replaced by its target in brackets, for an engine without defined names.
    The tokens of the result are those of ``formula`` around those of each bracketed
    target (:func:`_spliced`), so :func:`tokens` has them without reading it again.
    With ``limit``, a result longer than ``limit`` characters is :class:`FormulaTooLong`,
    raised before it is built (names whose targets hold names could multiply its length)."""
    toks = tokens(formula)
    text = formula[1:] if formula.startswith("=") else formula
    out = []
    last = 0
    replaced: list[tuple[int, str]] = []
    size = len(text)
    for i, tok in enumerate(toks):
        if tok.kind != "name":
            continue
        if i and toks[i - 1].kind == "prefix":  # Sheet!name: a sheet-level name; left alone
            continue
        target = targets.get(tok.text.upper())
        if target is None:
            continue
        size += len(target) + 2 - len(tok.text)
        if limit is not None and size > limit:
            raise FormulaTooLong(f"more than {limit:,} characters once its names are "
                                 "replaced by their targets")
        out.append(text[last:tok.start])
        out.append(f"({target})")
        last = tok.start + len(tok.text)
        replaced.append((i, target))
    out.append(text[last:])
    result = "=" + "".join(out)
    if replaced and len(result) <= _CACHED_CHARS and result[1:] not in _CACHE:
        found = _spliced(toks, replaced, result[1:])
        if found is not None:
            _remember(result[1:], found)
    return result


def _spliced(toks: tuple[Token, ...], replaced: list[tuple[int, str]], text: str
             ) -> tuple[Token, ...] | None:
    """The tokens of ``text``: ``toks`` with the name at each replaced index ``i`` given
    way to the tokens of ``(target)``, and the rest moved along; ``None`` where that
    might not be what reading ``text`` gives. A token's match reads only forward: a
    target's own tokens read ``(target)`` as they do in place (a bracketed target that
    reads cleanly ends with its own ``)``, which no token reads past), and the tokens
    after it read what they read before. Only the token before a name could read the
    ``(`` now after it (``x name`` makes ``x`` a function of ``x (target)``), so it is
    read again there."""
    new = tuple.__new__
    out: list[Token] = []
    shift = 0
    done = 0
    was = {i for i, _ in replaced}
    for i, target in replaced:
        out += toks[done:i] if not shift else \
            [new(Token, (t.kind, t.text, t.start + shift)) for t in toks[done:i]]
        at = toks[i].start + shift
        if i and i - 1 not in was:
            before = out[-1]
            m = _TOKEN.match(text, before.start)
            if m is None or m.end() != before.start + len(before.text) or \
                    ("op" if m.lastgroup == "op1" else m.lastgroup) != before.kind:
                return None
        inner = _bracketed(target)
        if inner is None:
            return None
        out += [new(Token, (t.kind, t.text, t.start + at)) for t in inner]
        shift += len(target) + 2 - len(toks[i].text)
        done = i + 1
    out += [new(Token, (t.kind, t.text, t.start + shift)) for t in toks[done:]]
    return tuple(out)


@lru_cache(maxsize=512)
def _bracketed(target: str) -> tuple[Token, ...] | None:
    """The tokens of ``(target)``, when it reads cleanly: ``(`` first, its own ``)``
    last."""
    text = f"({target})"
    try:
        found = _tokenise(text)
    except FormulaSyntaxError:
        return None
    if found[0] != ("op", "(", 0) or found[-1] != ("op", ")", len(text) - 1):
        return None
    return found


_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")


@lru_cache(maxsize=2048)
@lru_cache(maxsize=8192)
def parse_area(ref: str) -> tuple[int, int, int, int] | None:
    """``A1``, ``$A$1:$B$9``, ``A:A`` or ``3:5`` → (first row, first column, last row, last
    column), 1-based, whole columns and rows spanning the sheet; ``None`` for anything else
    (or beyond Excel's grid)."""
    parts = ref.replace("$", "").split(":")
    if len(parts) == 1:
        parts = parts * 2
    if len(parts) != 2:
        return None
    a, b = parts
    if a.isascii() and b.isascii() and a.isalpha() and b.isalpha() and len(a) <= 3 \
            and len(b) <= 3:
        r0, c0, r1, c1 = 1, _col(a), MAX_ROW, _col(b)
    elif ascii_digits(a) and ascii_digits(b):
        r0, c0, r1, c1 = int(a), 1, int(b), MAX_COL
    else:
        ma, mb = _CELL.match(a), _CELL.match(b)
        if not ma or not mb:
            return None
        r0, c0, r1, c1 = int(ma.group(2)), _col(ma.group(1)), int(mb.group(2)), _col(mb.group(1))
    r0, r1 = min(r0, r1), max(r0, r1)
    c0, c1 = min(c0, c1), max(c0, c1)
    if r0 < 1 or c0 < 1 or r1 > MAX_ROW or c1 > MAX_COL:
        return None
    return r0, c0, r1, c1


def _col(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


@lru_cache(maxsize=16)
def template_functions(lay: Layout) -> frozenset[str]:
    """Every function the template's own formulas call (once per layout)."""
    out: frozenset[str] = frozenset()
    for cell in lay.formula_cells():
        out |= functions(cell.formula or "")
    return out


@lru_cache(maxsize=16)
def template_texts(lay: Layout) -> frozenset[str]:
    """The template's formulas as a file stores them (no ``=``): a formula with one of
    these texts calls only the template's functions, unread (once per layout)."""
    return frozenset((c.formula or "")[1:] for c in lay.formula_cells())


@lru_cache(maxsize=16)
def template_names(lay: Layout) -> dict[str, str]:
    """Each of the template's defined names → its target as the template writes it."""
    return {c.name: c.absolute for c in lay.cells if c.name}


@lru_cache(maxsize=16)
def template_operators(lay: Layout) -> frozenset[str]:
    """Every operator the template's own formulas use, and the other kinds of token they
    hold (``kind:string``, ...), once per layout."""
    out: set[str] = set()
    for cell in lay.formula_cells():
        for tok in tokens(cell.formula or ""):
            out.add(tok.text if tok.kind == "op" else f"kind:{tok.kind}")
    return frozenset(out)

