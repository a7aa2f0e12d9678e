"""What reading any source gives: the assessment, the problems found while reading, and
the figures the source states. A leaf module, so that every reader (workbook, published
report, assessment file) can return it without importing the dispatcher in
:mod:`aijri_xl.sources`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aijri_xl._record import dataclass, field
from aijri_xl.method.findings import Finding, Place, Where
from aijri_xl.method.model import Assessment


@dataclass(frozen=True, slots=True)
class StatedFigure:
    """A figure an assessment states (in published text or a cell a person typed), with
    the place it was stated. ``decimals`` is how many decimals it was stated with
    (``None`` for text such as a zone)."""

    field: str
    value: Any
    where: str
    decimals: int | None = None
    text: str = ""
    place: Place | None = None
    """``where`` in parts, when the reader knew them."""

    @staticmethod
    def at(field: str, value: Any, where: Where, decimals: int | None = None,
           text: str = "") -> StatedFigure:
        """A stated figure at a place given as text or in parts."""
        if isinstance(where, Place):
            return StatedFigure(field, value, where.text, decimals, text, where)
        return StatedFigure(field, value, where, decimals, text)

    @property
    def located(self) -> Where:
        """The place in parts where known, else as text."""
        return self.place if self.place is not None else self.where


@dataclass(slots=True)
class Loaded:
    """What reading a source gave: the assessment (``None`` if unreadable), the problems
    found while reading, and the figures the source states."""

    path: Path
    kind: str  # "file", "report", "workbook"
    assessment: Assessment | None
    findings: list[Finding] = field(default_factory=list)
    stated: list[StatedFigure] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
