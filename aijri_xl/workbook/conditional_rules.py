"""The template's conditional formats: one table, by sheet, in the order they are written.

The sheet builders write these rules (through XlsxWriter); the verifier compares a
workbook's rules with them, so verifying never builds a template. Each rule is what
XlsxWriter writes for it: an ``expression`` rule with its formula (no ``=``), or a
``cellIs`` rule with ``operator="equal"`` and the value compared with, over a range
written as XlsxWriter writes it (a one-cell range as one cell), with a differential format
(:data:`LOOKS`) of a text colour and a fill. tests/test_conditional_rules.py reads them back
from built templates of several sizes.
"""

from __future__ import annotations

from functools import lru_cache

from aijri_xl._record import dataclass
from aijri_xl.method.parameters import BARRIERS, EVIDENCE
from aijri_xl.styles import (
    OK_FILL,
    OK_FONT,
    PROBLEM_FILL,
    PROBLEM_FONT,
    WARNING_FILL,
    WARNING_FONT,
    ZONE_STYLES,
)
from aijri_xl.workbook.check_layout import STATUS_REF, check_lines
from aijri_xl.workbook.layout import (
    BLOCK_FIRST_ROW,
    CALIBRATION_FIRST_ROW,
    CALIBRATION_ROWS,
    CHECK_LINE_ROW,
    FINAL_ROW,
    OVERRIDE_ROW,
    ROLE_FIRST_ROW,
    ROLE_ROWS,
    SUMMARY_CELL,
    TASK_FIRST_ROW,
    Layout,
)

LOOKS: dict[str, tuple[str, str, bool]] = {
    "problem": (PROBLEM_FILL, PROBLEM_FONT, True),
    "warning": (WARNING_FILL, WARNING_FONT, False),
    "ok": (OK_FILL, OK_FONT, False),
    **{f"zone:{zone}": (fill, font, True) for zone, (fill, font) in ZONE_STYLES.items()},
}
"""Each rule's format by name: (fill, text colour, bold)."""

CHECK_LINE_LAST_COLUMN = {"Role": "C", "Protective": "D", "Tasks": "J", "Evidence": "D",
                          "Barriers": "D", "Score": "D", "Commentary": "B"}
"""The sheets with a check line in row ``CHECK_LINE_ROW``, and the column it ends in (the
line is merged across)."""


@dataclass(frozen=True, slots=True)
class TemplateRule:
    """One conditional format of the template."""

    ref: str
    """The range, as XlsxWriter writes it (``D18``, ``A3:C3``)."""
    kind: str
    """``expression`` (``formula`` is true) or ``cellIs`` (the cell equals ``formula``)."""
    formula: str
    look: str
    """A key of :data:`LOOKS`."""


def _range(ref: str) -> str:
    first, _, last = ref.partition(":")
    return first if not last or last == first else ref


def _checks(ref: str, *, line: bool = False, warning: bool = False) -> list[TemplateRule]:
    """A check cell's colours: a check line by its first words; a check column red (or
    amber) for a problem text, green for a 0."""
    ref = _range(ref)
    top = ref.split(":")[0]
    if line:
        rules = [(f'LEFT({top},6)="Check:"', "problem"), (f'LEFT({top},8)="Complete"', "ok"),
                 (f'LEFT({top},14)="Checks on this"', "ok"),
                 (f'LEFT({top},12)="Checks hold;"', "warning")]
    else:
        rules = [(f'AND(ISTEXT({top}),{top}<>"")', "warning" if warning else "problem"),
                 (f"AND(ISNUMBER({top}),{top}=0)", "ok")]
    return [TemplateRule(ref, "expression", formula, look) for formula, look in rules]


def _check_line(sheet: str) -> list[TemplateRule]:
    r = CHECK_LINE_ROW
    return _checks(f"A{r}:{CHECK_LINE_LAST_COLUMN[sheet]}{r}", line=True)


def _block_checks(sheet: str, last_row: int) -> list[TemplateRule]:
    return _check_line(sheet) + _checks(f"D{BLOCK_FIRST_ROW}:D{last_row}")


@lru_cache(maxsize=16)
def template_rules(lay: Layout) -> dict[str, tuple[TemplateRule, ...]]:
    """Each sheet's conditional formats for ``lay``, in the order the writer writes them
    (the sheets in the workbook's order: XlsxWriter numbers the formats by first use)."""
    by_name = lay.by_name
    result, status = SUMMARY_CELL["Result"], SUMMARY_CELL["Status"]
    summary = _checks(status, line=True) + [
        TemplateRule(result, "expression", f'LEFT({result},{len(prefix)})="{prefix}"', look)
        for prefix, look in (("PROVISIONAL", "problem"), ("Final", "ok"))]
    summary += [TemplateRule(ref, "expression", f'zone="{zone}"', f"zone:{zone}")
                for zone in ZONE_STYLES
                for ref in (SUMMARY_CELL["JobZone score"], SUMMARY_CELL["Zone"])]
    lines = check_lines(by_name)
    first_check, last_check = lines[0].row, lines[-1].row
    row = STATUS_REF[1:]
    checks = (_checks(f"B{row}:G{row}", line=True)
              + _checks(f"D{first_check}:D{last_check}")
              + _checks(f"E{first_check}:E{last_check}", warning=True))
    role = _check_line("Role") + _checks(
        f"C{ROLE_FIRST_ROW}:C{ROLE_FIRST_ROW + len(ROLE_ROWS) - 1}")
    total = lay.total_row
    first, last = TASK_FIRST_ROW, total - 1
    tasks = (_check_line("Tasks") + _checks(f"I{first}:I{total}")
             + _checks(f"J{first}:J{last}", warning=True) + _checks(f"J{total}"))
    tasks += [TemplateRule(by_name["task_time_total"].ref, "expression",
                           f"AND(COUNT(task_time)>0,ABS(C{total}-1)>TIME_TOLERANCE_PCT/100)",
                           "problem"),
              TemplateRule(f"F{first}:F{last}", "expression",
                           f'AND(F{first}<>"",H{first}<>"",F{first}<>H{first})', "warning")]
    o, f, cal = OVERRIDE_ROW, FINAL_ROW, CALIBRATION_FIRST_ROW
    score = _check_line("Score") + [TemplateRule(f"B{f + 1}", "cellIs", f'"{zone}"',
                                                 f"zone:{zone}") for zone in ZONE_STYLES]
    score += (_checks(f"D{o}") + _checks(f"D{f}", warning=True)
              + _checks(f"D{cal}:D{cal + CALIBRATION_ROWS - 1}"))
    growth_check_row = int(by_name["growth_check"].ref[1:])
    return {
        "Summary": tuple(summary), "Checks": tuple(checks), "Role": tuple(role),
        "Protective": tuple(_block_checks("Protective", growth_check_row)),
        "Tasks": tuple(tasks),
        "Evidence": tuple(_block_checks("Evidence", BLOCK_FIRST_ROW + len(EVIDENCE) - 1)),
        "Barriers": tuple(_block_checks("Barriers", BLOCK_FIRST_ROW + len(BARRIERS) - 1)),
        "Score": tuple(score), "Commentary": tuple(_check_line("Commentary")),
    }


__all__ = ["CHECK_LINE_LAST_COLUMN", "LOOKS", "TemplateRule", "template_rules"]
