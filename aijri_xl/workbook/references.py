"""A reference column beside the task table: published evidence shown to the assessor.

A template drafted from an occupation (``aijri template 29-1141.00``) shows, beside each
task, what published studies say about it. The column is text only: no defined name, no
formula refers to it, it is not an input (locked, not styled as one) and it never enters
the score. The verifier reads a workbook by its defined names, so the column changes
nothing it checks. The writer places it in the column after the table and the legend
below the reinstatement check.
"""

from __future__ import annotations

from aijri_xl._record import dataclass

__all__ = ["TaskReferences"]


@dataclass(frozen=True, slots=True)
class TaskReferences:
    """What the writer shows beside the tasks: one text per task, and a legend."""

    header: str
    """The column's header, e.g. ``Published reference (not an input)``."""
    cells: tuple[str, ...]
    """One text per task, in task order (at most one per task)."""
    legend: tuple[tuple[str, str], ...]
    """(heading, paragraph) pairs shown below the task sheet: what the references are and
    are not, and the attributions their sources ask for."""
