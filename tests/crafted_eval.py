"""Crafted cases of the independent evaluation's memory: files whose template formulas (or
the names and values they read) would make formualizer allocate far beyond what the
template's formulas ever need, one route at a time: arrays broadcast from a column and a
row or an inline array, names that widen or multiply, references across sheets or built
with ``:``, long texts read, a long text copied into every cell of an array, texts joined
through a chain of formulas. Each is refused before formualizer runs (``AIJ-X326``, naming
the formula or the bound).

``CASES`` has the same shape as :data:`crafted.CASES`.
"""

from __future__ import annotations

from collections.abc import Callable
from xml.sax.saxutils import escape

import tamper
from crafted import Case, _case, edit, sub

FINAL = "Score!B16"
_RUN = 200_000  # characters in one run of an inline string (the reader's bound is 256K)


def _final(formula: str) -> Callable[[bytes], bytes]:
    """A builder: the final score's formula replaced by ``formula``."""
    return lambda good: tamper.set_formula(good, "Score", "B16", formula, 52.8)


def long_text(good: bytes, sheet: str, ref: str, chars: int) -> bytes:
    """``chars`` characters typed into ``sheet!ref``, as an inline string of runs (each
    within the reader's bound on one text)."""
    runs = "".join(f"<r><t>{'x' * min(_RUN, chars - i)}</t></r>" for i in range(0, chars, _RUN))
    placeholder = tamper.set_value(good, sheet, ref, "PLACEHOLDER")
    return edit(placeholder, sub(tamper.sheet_part(sheet), "<is><t>PLACEHOLDER</t></is>",
                                 f"<is>{runs}</is>"))


def _names(good: bytes, names: dict[str, str]) -> bytes:
    body = "".join(f'<definedName name="{n}">{escape(t)}</definedName>'
                   for n, t in names.items())
    return edit(good, sub("xl/workbook.xml", "</definedNames>", body + "</definedNames>"))


def name_chain(good: bytes) -> bytes:
    """Names whose targets repeat other names: resolved, ``part_a`` would be 8 billion
    characters long."""
    with_names = _names(good, {"part_c": '"' + "x" * 8_000 + '"',
                               "part_b": "&".join(["part_c"] * 1_000),
                               "part_a": "&".join(["part_b"] * 1_000)})
    return _final("LEN(part_a)")(with_names)


def long_texts_read(good: bytes) -> bytes:
    """25 cells of 200,000 characters each beside the commentary, all read by the final
    score's formula (5 million characters handed to the evaluation)."""
    for i in range(25):
        good = long_text(good, "Commentary", f"{'DEF'[i // 10]}{i % 10 + 1}", _RUN)
    return _final("IF(COUNTA(Commentary!$D$1:$F$10)>0,Score!$B$11,Score!$B$11)")(good)


def text_broadcast(good: bytes) -> bytes:
    """One text of 30,000 characters copied into each of a thousand cells of an array."""
    return _final("SUMPRODUCT(LEN(IF(Tasks!$C$5:$C$1004=0,Tasks!$F$5,Tasks!$F$5)))")(
        long_text(good, "Tasks", "F5", 30_000))


def text_chain(good: bytes) -> bytes:
    """A text of 1,000 characters joined 50 times in each of three formulas that read each
    other: 125 million characters by the last."""
    def joined(ref: str) -> str:
        return "&".join([ref] * 50)
    data = long_text(good, "Tasks", "F5", 1_000)
    data = tamper.set_formula(data, "Score", "B10", joined("Tasks!$F$5"), 0)
    data = tamper.set_formula(data, "Score", "B11", joined("Score!$B$10"), 0)
    return _final(f"LEN({joined('Score!$B$11')})")(data)


CASES: dict[str, Case] = {
    "eval-broadcast": _case("evaluation", _final(
        "SUMPRODUCT(Tasks!$C$5:$C$1004*Tasks!$C$1:$ALN$1)"), "FAIL", "AIJ-X326", FINAL),
    "eval-inline-array": _case("evaluation", _final(
        "SUMPRODUCT(Tasks!$C$5:$C$1004*{1,2,3})"), "FAIL", "AIJ-X326", FINAL),
    "eval-name-offset": _case("evaluation", lambda good: _final("SUM(evil)")(_names(
        good, {"evil": "OFFSET(Tasks!$A$1,0,0,1048576,16384)"})), "FAIL", "AIJ-X326", FINAL),
    "eval-name-chain": _case("evaluation", name_chain, "FAIL", "AIJ-X326", FINAL),
    "eval-across-sheets": _case("evaluation", _final("SUM(Tasks!A1:Tasks!XFD1048576)"),
                                "FAIL", "AIJ-X326", FINAL),
    "eval-range-operator": _case("evaluation", _final(
        "SUM(Tasks!C5:INDEX(Tasks!C5:C29,25):Tasks!XFD1048576)"), "FAIL", "AIJ-X326", FINAL),
    "eval-long-texts-read": _case("evaluation", long_texts_read, "FAIL", "AIJ-X326"),
    "eval-text-broadcast": _case("evaluation", text_broadcast, "FAIL", "AIJ-X326"),
    "eval-text-chain": _case("evaluation", text_chain, "FAIL", "AIJ-X326"),
}
