"""Arithmetic the way Excel does it, where that differs from Python's.

Excel's ROUND first takes its argument to 15 significant digits (the precision Excel
shows), then rounds half away from zero. Python's ``round()`` rounds the exact binary
value half to even, so ``round(16.95, 1)`` is 16.9 while Excel's ``=ROUND(16.95, 1)`` is
17.0. The method's score is defined by Excel's ROUND (AIJRI-METHOD.md §3.8).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

_SIGNIFICANT_DIGITS = 15


def to_15_significant(x: float) -> Decimal:
    """The decimal Excel sees for ``x``: its value to 15 significant digits."""
    return Decimal(format(x, f".{_SIGNIFICANT_DIGITS - 1}e"))


def excel_round(x: float, digits: int = 0) -> float:
    """Excel's ``ROUND(x, digits)``: 15 significant digits, then half away from zero."""
    if x == 0:
        return 0.0  # Excel has no negative zero
    if not math.isfinite(x):
        return x
    exponent = Decimal(1).scaleb(-digits)
    rounded = to_15_significant(x).quantize(exponent, rounding=ROUND_HALF_UP)
    return float(rounded) + 0.0  # + 0.0 turns -0.0 into 0.0, as Excel shows it


def is_round_tie(x: float, digits: int, tolerance: float = 1e-9) -> bool:
    """Whether ``x`` lies within ``tolerance`` (in units of the last kept digit) of a
    half-way point, where two engines may round differently."""
    scaled = x * 10**digits
    return abs(abs(scaled - math.floor(scaled)) - 0.5) <= tolerance


def percent_to_fraction(percent: float | int | str | Decimal) -> float:
    """A percentage to the double nearest the exact fraction: 89.7 → 0.897.

    Decimal arithmetic, so the result is the double a person means by typing 7.4%, not
    ``7.4 / 100`` (which is 0.07400000000000001)."""
    if isinstance(percent, float):
        percent = repr(percent)
    return float(Decimal(percent) / 100)


def fraction_to_percent(fraction: float) -> float:
    """A fraction to percent units by exact decimal scaling of its shortest repr:
    0.3 → 30.0 (not 30.000000000000004)."""
    return float(Decimal(repr(fraction)) * 100)
