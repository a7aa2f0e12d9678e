"""The cell description shared by the layout and the check placement (a leaf module)."""

from __future__ import annotations

from typing import Literal

from aijri_xl._record import dataclass

Kind = Literal["input", "result", "parameter", "identity", "helper", "display"]
Format = Literal["text", "longtext", "int", "pct", "num2", "num4", "score", "date", "bool",
                 "check"]


@dataclass(frozen=True, slots=True)
class Validation:
    """Data validation of an input cell: a whole number range, a list, or a decimal range."""

    kind: Literal["integer", "list", "decimal"]
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    title: str = ""
    message: str = ""


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell (or, for task columns, one column range) of the layout.

    ``name`` is its workbook-level defined name (``None`` for a display formula that
    only repeats a named value); ``formula`` is set for formula cells and refers to
    names, never to literal method numbers."""

    sheet: str
    ref: str  # "B4" or "C6:C30" (no $; the writer and verifier add them)
    kind: Kind
    name: str | None = None
    formula: str | None = None
    fmt: Format = "text"
    validation: Validation | None = None
    label: str = ""

    @property
    def absolute(self) -> str:
        """``Sheet!$B$4`` / ``Sheet!$C$6:$C$30``: the defined name's target."""
        return f"{self.sheet}!" + ":".join(_absolute(part) for part in self.ref.split(":"))

    @property
    def is_range(self) -> bool:
        return ":" in self.ref


def _absolute(ref: str) -> str:
    col = "".join(ch for ch in ref if ch.isalpha())
    row = ref[len(col):]
    return f"${col}${row}"


def row_of(ref: str) -> int:
    """The (first) row number of ``"B12"`` or ``"C5:C29"``."""
    first = ref.split(":")[0]
    return int("".join(ch for ch in first if ch.isdigit()))


def last_row_of(ref: str) -> int:
    """The last row number of a range (the row of a single cell)."""
    last = ref.split(":")[-1]
    return int("".join(ch for ch in last if ch.isdigit()))
