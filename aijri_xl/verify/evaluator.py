"""An independent evaluation of a workbook's own formulas, by formualizer.

formualizer is a maintained Excel formula engine (Rust, with defined names); it is not
this project's engine, so what it computes is what the workbook's formulas say, whatever
they have been edited to. The verifier sets it beside the reference to report, e.g.,
"the score cell shows 61.3; its formulas compute 61.3; the method gives 52.8".
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from aijri_xl.workbook.xlsx import split_ref


class FormulaEngineError(RuntimeError):
    """formualizer could not load or evaluate the workbook."""


def evaluate(source: Path | bytes, cells: Iterable[tuple[str, str]]) -> dict[tuple[str, str],
                                                                              Any]:
    """Evaluate every formula of the workbook and return the values of ``cells``
    (``(sheet, "B12")`` pairs). Error values come back as their Excel text (``#N/A``)."""
    import formualizer

    try:
        if isinstance(source, bytes):
            wb = formualizer.Workbook.from_bytes(source)
        else:
            wb = formualizer.load_workbook(str(source))
        wb.evaluate_all()
    except Exception as exc:  # formualizer raises its own hierarchy and Rust panics
        raise FormulaEngineError(f"formualizer could not evaluate the workbook: {exc}") from exc
    out: dict[tuple[str, str], Any] = {}
    for sheet, ref in cells:
        row, col = split_ref(ref)
        try:
            value = wb.get_value(sheet, row, col + 1)
        except Exception as exc:
            raise FormulaEngineError(f"formualizer could not read {sheet}!{ref}: {exc}") from exc
        out[(sheet, ref)] = _plain(value)
    return out


def _plain(value: Any) -> Any:
    """formualizer's values as plain Python: numbers, text, booleans, error texts."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    text = str(value)
    return text if text.startswith("#") else value
