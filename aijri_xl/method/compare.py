"""§5 "comparing figures" for values a spreadsheet computed (cached cells, a formula
engine's results) against the reference engine, and the override rule.

Bundled into the xlwings Lite module (see xlwings_lite.py): standard library and this
package's bundled modules only, no aliased relative imports."""

from __future__ import annotations

import math
from typing import Any, Literal

from aijri_xl.method.engine import Result
from aijri_xl.method.excel_math import is_round_tie
from aijri_xl.method.findings import Finding
from aijri_xl.method.parameters import PARAMS, SCORE_DECIMALS

Agreement = Literal["ok", "tie", "differs"]
RELATIVE_TOLERANCE = 1e-9
ROUNDED_FIELDS = frozenset({"score", "final_score"})
"""One-decimal figures, compared exactly."""


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value == "")


def agrees(name: str, value: Any, result: Result) -> Agreement:
    """Whether a spreadsheet's ``value`` for result ``name`` agrees with the reference:
    text exactly, the one-decimal score exactly (a different neighbour at a half-way tie is
    ``tie``), other numbers within a relative 1e-9."""
    expected = result.workbook_value(name)
    if isinstance(expected, str):
        return "ok" if value == expected else "differs"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "differs"
    if name in ROUNDED_FIELDS:
        if value == expected:
            return "ok"
        if name == "score" or result.override is None:
            at_tie = is_round_tie(result.score_unrounded, SCORE_DECIMALS)
            step = 10.0 ** -SCORE_DECIMALS
            if at_tie and math.isclose(abs(value - expected), step, rel_tol=1e-9):
                return "tie"
        return "differs"
    if math.isclose(value, expected, rel_tol=RELATIVE_TOLERANCE, abs_tol=1e-12):
        return "ok"
    return "differs"


def override_findings(result: Result, justification: str,
                      where: str | None = None) -> list[Finding]:
    """§5 on an override: noted (AIJ-I401) with its size and justification, and a warning
    (AIJ-W021) when it is more than OVERRIDE_WARN_DELTA points from the formula score."""
    if result.override is None:
        return []
    delta = result.override - result.score
    # Both are one-decimal figures: compare in tenths, so 65.9 - 55.9 is exactly 10.0.
    tenths = abs(round(delta * 10))
    out = [Finding("AIJ-I401", f"override {result.override:g} replaces the formula score "
                   f"{result.score:g} ({delta:+.1f} points): {justification.strip() or '—'}",
                   where=where, field="override", expected=result.score,
                   actual=result.override)]
    if tenths > round(PARAMS["OVERRIDE_WARN_DELTA"] * 10):
        out.append(Finding("AIJ-W021", f"the override {result.override:g} is {abs(delta):.1f} "
                           f"points from the formula score {result.score:g} (more than "
                           f"{PARAMS['OVERRIDE_WARN_DELTA']:g})", where=where,
                           field="override", expected=result.score, actual=result.override))
    return out
