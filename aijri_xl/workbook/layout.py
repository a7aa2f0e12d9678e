"""The assessment workbook's layout: which sheet, which cell, which formula for every name.

One description, read by the writer (to build), the reader (to find inputs by name) and
the verifier (to check that names point where they should and formulas are intact). The
contract (WORKBOOK-CONTRACT.md) fixes the names; this module fixes where they live.

The layout depends on one number, the task row count ``n`` (at least ``MIN_TASK_ROWS``),
because the task table grows with the assessment. Everything below the table moves with
it; a reader finds ``n`` from the defined name ``task_time`` (rows deleted or inserted by
a person move it with the table), or else from the table's ``Total`` row.

The checks of AIJRI-METHOD.md §5 are formulas too (:mod:`aijri_xl.workbook.check_rules`):
a Check column beside the inputs, a check line in row 3 of every input sheet, one line
per place on the Checks sheet and the master status on the Summary.

Sheets (after About and the two overviews, in the order of the published report)::

    About       what the workbook is, how to fill it, the colour key, versions, sources
    Summary     status, role, score, zone, sub-label, task time by score (chart)
    Checks      every check of the inputs, by sheet, with the master status
    Role        role definition and record keeping
    Protective  protective principles, AI growth correlation, quick screen, growth check
    Tasks       task decomposition, TRS, time by score, the split, reinstatement check
    Evidence    five evidence dimensions, total
    Barriers    five barriers, total
    Score       composite: modifiers, raw, score, override, final score, zone, sub-label,
                calibration peers
    Commentary  the assessor's commentary
    Parameters  the method's parameters, identity, input status
"""

from __future__ import annotations

from functools import lru_cache

from aijri_xl._record import dataclass, field
from aijri_xl.method import fields
from aijri_xl.method.parameters import (
    BARRIER_RANGE,
    BARRIERS,
    EVIDENCE,
    EVIDENCE_RANGE,
    GROWTH_RANGE,
    PARAMETERS,
    PROTECTIVE,
    PROTECTIVE_RANGE,
    TASK_CLASSES,
    TASK_SCORE_RANGE,
)
from aijri_xl.workbook.check_layout import check_cells
from aijri_xl.workbook.check_rules import RESULTS_STATE
from aijri_xl.workbook.layout_cells import Cell, Format, Kind, Validation

__all__ = ["Cell", "Format", "Kind", "Layout", "Validation", "layout"]

MIN_TASK_ROWS = 25
"""Task rows in a template; an assessment with more tasks gets more (rounded up to 5)."""
TASK_ROW_STEP = 5
CALIBRATION_ROWS = 6
"""Calibration peer rows on the Score sheet."""

SHEETS: tuple[str, ...] = ("About", "Summary", "Checks", "Role", "Protective", "Tasks",
                           "Evidence", "Barriers", "Score", "Commentary", "Parameters")
INPUT_SHEETS: tuple[str, ...] = ("Role", "Protective", "Tasks", "Evidence", "Barriers", "Score")
"""Sheets with yellow cells that a check line (row ``CHECK_LINE_ROW``) reports on."""
CHECK_LINE_ROW = 3

# ---------------------------------------------------------------------------------------
# Fixed positions. Row numbers are 1-based, as a person reads them.

ROLE_ROWS: tuple[tuple[str, str, Format], ...] = tuple(
    # (defined name, label, format), from row 5 of the Role sheet (row 3: its check line)
    (f.name, f.label, f.fmt) for f in (*fields.ROLE, *fields.RECORD))
ROLE_FIRST_ROW = 5

BLOCK_FIRST_ROW = 5  # first scored row on Protective, Evidence and Barriers
TASK_FIRST_ROW = 5  # first task row (row 4 holds the headers)

TASK_COLUMNS: tuple[tuple[str, str, str | None, Format], ...] = (
    # (column, header, defined name of the column range, format)
    ("A", "#", None, "int"),
    ("B", "Task", "task_name", "longtext"),
    ("C", "Time %", "task_time", "pct"),
    ("D", "Score (1-5)", "task_score", "int"),
    ("E", "Weighted", None, "num2"),
    ("F", "Aug/Disp", "task_class", "text"),
    ("G", "Rationale", "task_rationale", "longtext"),
    ("H", "Default class", None, "text"),
    ("I", "Check", "task_check", "check"),
    ("J", "Warning", "task_warning", "check"),
)
COMMENTARY_FIRST_ROW = 5

COMMENTARY_ROWS: tuple[tuple[str, str], ...] = tuple(
    (f.name, f.label) for f in fields.COMMENTARY)

PARAM_FIRST_ROW = 4
IDENTITY_ROW = PARAM_FIRST_ROW + len(PARAMETERS) + 1  # "method", then "template_version"
STATUS_FIRST_ROW = IDENTITY_ROW + 4
STATUS_ROWS: tuple[tuple[str, str, str], ...] = (
    # (helper name, label, formula): which input blocks are complete
    ("ready_protective", "Protective principles scored", "=COUNT(protective_scores)=3"),
    ("ready_growth", "Growth correlation scored", "=ISNUMBER(growth_correlation)"),
    ("ready_tasks", "Every task timed and scored",
     "=AND(COUNT(task_time)>0,COUNT(task_time)=COUNT(task_score),"
     "COUNT(task_time)=COUNTA(task_time))"),
    ("ready_evidence", "Evidence scored", "=COUNT(evidence_scores)=5"),
    ("ready_barriers", "Barriers scored", "=COUNT(barrier_scores)=5"),
    ("ready_all", "All inputs complete",
     "=AND(ready_protective,ready_growth,ready_tasks,ready_evidence,ready_barriers)"),
)

QUICK_SCREEN_FORMULA = (
    '=IF(quick_screen_total="","",IF(quick_screen_total>=QUICK_GREEN_MIN,"Likely Green",'
    'IF(quick_screen_total>=QUICK_BOUNDARY_MIN,"Yellow-to-Green boundary",'
    'IF(quick_screen_total>=QUICK_YELLOW_MIN,"Likely Yellow","Yellow-to-Red boundary"))))'
)
ZONE_FORMULA = (
    '=IF(final_score="","",IF(final_score>=GREEN_MIN,"GREEN",'
    'IF(final_score>=YELLOW_MIN,"YELLOW","RED")))'
)
SUB_LABEL_FORMULA = (
    '=IF(zone="","",IF(zone="GREEN","Green ("&IF(growth_correlation=2,"Accelerated",'
    'IF(pct_time_score_3plus>=TRANSFORMING_MIN_PCT/100,"Transforming","Stable"))&")",'
    'IF(zone="YELLOW","Yellow ("&IF(pct_time_score_4plus>=URGENT_MIN_PCT/100,"Urgent",'
    '"Moderate")&")","Red ("&IF(pct_time_score_4plus>=IMMINENT_MIN_PCT/100,"Imminent",'
    '"Gradual")&")")))'
)


def _share(criteria: str, column: str = "task_score") -> str:
    return f'=IF(ready_tasks,ROUND(SUMIF({column},"{criteria}",task_time),8),"")'


def _score_validation(bounds: tuple[int, int], what: str, meaning: str) -> Validation:
    low, high = bounds
    return Validation("integer", low, high, title=f"{what} ({low} to {high})",
                      message=meaning)


PROTECTIVE_MEANING = ("0 = no protection, 3 = strong protection. How much this principle "
                      "shields the role from AI agents.")
GROWTH_MEANING = ("-2 = AI adoption shrinks demand strongly, 0 = unrelated, "
                  "+2 = AI adoption drives demand strongly.")
TASK_MEANING = ("1 = AI not involved, 2-3 = AI augments the human, 4-5 = AI agents can "
                "displace the human in this task.")
EVIDENCE_MEANING = "-2 = strong evidence of decline, 0 = neutral, +2 = strong evidence of growth."
BARRIER_MEANING = "0 = no barrier, 1 = some, 2 = strong barrier to AI execution."
CLASS_MEANING = ("Default: score 1 NOT INVOLVED, 2-3 AUGMENTATION, 4-5 DISPLACEMENT. "
                 "A different class is allowed but flagged.")


@dataclass(frozen=True, slots=True, eq=False)
class Layout:
    """Every cell of an assessment workbook with ``task_rows`` task rows.

    Compared and hashed by identity (``layout()`` makes one per row count), so the caches
    of layout-constant work keyed by a layout cost nothing to look up."""

    task_rows: int
    cells: tuple[Cell, ...] = field(repr=False)

    @property
    def by_name(self) -> dict[str, Cell]:
        return _index(self)

    @property
    def total_row(self) -> int:
        return TASK_FIRST_ROW + self.task_rows

    def formula_cells(self) -> list[Cell]:
        return [c for c in self.cells if c.formula is not None]


@lru_cache(maxsize=64)
def _index(layout: Layout) -> dict[str, Cell]:
    return {c.name: c for c in layout.cells if c.name}


def task_rows_for(n_tasks: int) -> int:
    """Task rows for an assessment with ``n_tasks`` tasks: 25, or more in steps of 5."""
    if n_tasks <= MIN_TASK_ROWS:
        return MIN_TASK_ROWS
    return -(-n_tasks // TASK_ROW_STEP) * TASK_ROW_STEP


def task_rows_from_total_row(total_row: int) -> int:
    """The inverse used by readers: the task row count from the ``Total`` row's number."""
    return total_row - TASK_FIRST_ROW


@lru_cache(maxsize=16)
def layout(task_rows: int = MIN_TASK_ROWS) -> Layout:
    """The layout for ``task_rows`` task rows (the writer uses at least ``MIN_TASK_ROWS``;
    a workbook whose rows a person deleted has fewer)."""
    if task_rows < 1:  # a person may delete template rows; readers then ask for fewer
        raise ValueError(f"a workbook has at least one task row, not {task_rows}")
    cells: list[Cell] = []
    cells += _role_cells()
    cells += _protective_cells()
    cells += _task_cells(task_rows)
    cells += _block_cells("Evidence", EVIDENCE, EVIDENCE_RANGE, "evidence", "Evidence",
                          EVIDENCE_MEANING, "evidence_scores", "evidence_total", "_text")
    cells += _block_cells("Barriers", BARRIERS, BARRIER_RANGE, "barrier", "Barrier",
                          BARRIER_MEANING, "barrier_scores", "barrier_total", "_rationale")
    cells += _score_cells()
    cells += _commentary_cells()
    cells += _parameter_cells()
    cells += _summary_cells()
    cells += check_cells({c.name: c for c in cells if c.name}, task_rows)
    return Layout(task_rows, tuple(cells))


def _role_cells() -> list[Cell]:
    return [Cell("Role", f"B{ROLE_FIRST_ROW + i}", "input", name, fmt=fmt, label=label)
            for i, (name, label, fmt) in enumerate(ROLE_ROWS)]


def _protective_cells() -> list[Cell]:
    r = BLOCK_FIRST_ROW
    cells = []
    for i, d in enumerate(PROTECTIVE):
        cells.append(Cell("Protective", f"B{r + i}", "input", d.name, fmt="int", label=d.label,
                          validation=_score_validation(PROTECTIVE_RANGE, "Protective score",
                                                       PROTECTIVE_MEANING)))
        cells.append(Cell("Protective", f"C{r + i}", "input", f"{d.name}_rationale",
                          fmt="longtext", label=f"{d.label} rationale"))
    end = r + len(PROTECTIVE) - 1
    total, growth, quick, check = end + 1, end + 3, end + 5, end + 8
    cells += [
        Cell("Protective", f"B{r}:B{end}", "helper", "protective_scores", fmt="int"),
        Cell("Protective", f"B{total}", "result", "protective_total",
             "=IF(ready_protective,SUM(protective_scores),\"\")", "int", label="Protective Total"),
        Cell("Protective", f"B{growth}", "input", "growth_correlation", fmt="int",
             label="AI Growth Correlation",
             validation=_score_validation(GROWTH_RANGE, "Growth correlation",
                                          GROWTH_MEANING)),
        Cell("Protective", f"C{growth}", "input", "growth_rationale", fmt="longtext",
             label="AI Growth Correlation rationale"),
        Cell("Protective", f"B{quick}", "result", "quick_screen_total",
             '=IF(AND(ready_protective,ready_growth),protective_total+growth_correlation,"")',
             "int", label="Quick screen total"),
        Cell("Protective", f"B{quick + 1}", "result", "quick_screen_band",
             QUICK_SCREEN_FORMULA, label="Quick screen result"),
        Cell("Protective", f"B{check}", "input", "growth_check", fmt="int",
             label="Growth check (confirmed correlation)",
             validation=_score_validation(GROWTH_RANGE, "Growth check",
                                          "The correlation confirmed after the task "
                                          "analysis; it must equal the correlation above.")),
        Cell("Protective", f"C{check}", "input", "growth_check_rationale", fmt="longtext",
             label="Growth check rationale"),
    ]
    return cells


def _task_cells(n: int) -> list[Cell]:
    first, last = TASK_FIRST_ROW, TASK_FIRST_ROW + n - 1
    total = last + 1
    cells = [
        Cell("Tasks", f"B{first}:B{last}", "input", "task_name", fmt="longtext", label="Task"),
        Cell("Tasks", f"C{first}:C{last}", "input", "task_time", fmt="pct", label="Time %",
             validation=Validation("decimal", 0, 1, title="Time share",
                                   message="Share of working time, above 0% and at most "
                                   "100%. Type 25% (or 0.25). The shares sum to 100%.")),
        Cell("Tasks", f"D{first}:D{last}", "input", "task_score", fmt="int",
             label="Score (1-5)",
             validation=_score_validation(TASK_SCORE_RANGE, "Task score", TASK_MEANING)),
        Cell("Tasks", f"F{first}:F{last}", "input", "task_class", label="Aug/Disp",
             validation=Validation("list", choices=TASK_CLASSES, title="Aug/Disp class",
                                   message=CLASS_MEANING)),
        Cell("Tasks", f"G{first}:G{last}", "input", "task_rationale", fmt="longtext",
             label="Rationale"),
    ]
    for row in range(first, last + 1):
        cells.append(Cell("Tasks", f"E{row}", "display", None,
                          f'=IF(AND(ISNUMBER(C{row}),ISNUMBER(D{row})),C{row}*D{row},"")',
                          "num2"))
        cells.append(Cell("Tasks", f"H{row}", "display", None,
                          f'=IF(ISNUMBER(D{row}),IF(D{row}<=1,"NOT INVOLVED",'
                          f'IF(D{row}<=3,"AUGMENTATION","DISPLACEMENT")),"")'))
    below = total + 2
    cells += [
        Cell("Tasks", f"C{total}", "helper", "task_time_total", '=SUM(task_time)', "pct",
             label="Total time"),
        Cell("Tasks", f"E{total}", "result", "weighted_total",
             '=IF(ready_tasks,SUMPRODUCT(task_time,task_score),"")', "num2",
             label="Weighted total"),
        Cell("Tasks", f"C{below}", "result", "task_resistance",
             '=IF(ready_tasks,TRS_CEILING-weighted_total,"")', "num2",
             label="Task Resistance Score"),
        Cell("Tasks", f"C{below + 1}", "result", "pct_time_score_3plus", _share(">=3"), "pct",
             label="% of task time scoring 3+"),
        Cell("Tasks", f"C{below + 2}", "result", "pct_time_score_4plus", _share(">=4"), "pct",
             label="% of task time scoring 4+"),
        Cell("Tasks", f"C{below + 3}", "result", "split_displacement",
             _share("DISPLACEMENT", "task_class"), "pct", label="Displacement"),
        Cell("Tasks", f"C{below + 4}", "result", "split_augmentation",
             _share("AUGMENTATION", "task_class"), "pct", label="Augmentation"),
        Cell("Tasks", f"C{below + 5}", "result", "split_not_involved",
             _share("NOT INVOLVED", "task_class"), "pct", label="Not involved"),
        Cell("Tasks", f"C{below + 7}", "input", "reinstatement_check", fmt="longtext",
             label="Reinstatement check (Acemoglu)"),
    ]
    return cells


def _block_cells(sheet: str, dims: tuple, bounds: tuple[int, int], prefix: str, what: str,
                 meaning: str, scores_name: str, total_name: str, text_suffix: str) -> list[Cell]:
    r = BLOCK_FIRST_ROW
    cells = []
    for i, d in enumerate(dims):
        cells.append(Cell(sheet, f"B{r + i}", "input", d.name, fmt="int", label=d.label,
                          validation=_score_validation(bounds, f"{what} score", meaning)))
        cells.append(Cell(sheet, f"C{r + i}", "input", f"{d.name}{text_suffix}",
                          fmt="longtext", label=f"{d.label} {text_suffix.strip('_')}"))
    end = r + len(dims) - 1
    ready = "ready_evidence" if prefix == "evidence" else "ready_barriers"
    cells += [
        Cell(sheet, f"B{r}:B{end}", "helper", scores_name, fmt="int"),
        Cell(sheet, f"B{end + 1}", "result", total_name,
             f'=IF({ready},SUM({scores_name}),"")', "int", label="Total"),
    ]
    return cells


SCORE_ROWS: tuple[tuple[str, str, str, Format], ...] = (
    # (name, label, formula, format) on the Score sheet, from row 5
    ("task_resistance@", "Task Resistance Score", "=task_resistance", "num2"),
    ("evidence_modifier", "Evidence Modifier",
     '=IF(ready_evidence,1+evidence_total*EVIDENCE_WEIGHT,"")', "num2"),
    ("barrier_modifier", "Barrier Modifier",
     '=IF(ready_barriers,1+barrier_total*BARRIER_WEIGHT,"")', "num2"),
    ("growth_modifier", "Growth Modifier",
     '=IF(ready_growth,1+growth_correlation*GROWTH_WEIGHT,"")', "num2"),
    ("raw", "Raw",
     '=IF(ready_all,task_resistance*evidence_modifier*barrier_modifier*growth_modifier,"")',
     "num4"),
    ("score_unrounded", "JobZone Score (unrounded)",
     '=IF(ready_all,MIN(MAX((raw-SCORE_OFFSET)/SCORE_SPAN*100,SCORE_MIN),SCORE_MAX),"")',
     "num4"),
    ("score", "JobZone Score", '=IF(ready_all,ROUND(score_unrounded,1),"")', "score"),
)
SCORE_FIRST_ROW = 5
OVERRIDE_ROW = SCORE_FIRST_ROW + len(SCORE_ROWS) + 1
FINAL_ROW = OVERRIDE_ROW + 3
SUBLABEL_TABLE_ROW = FINAL_ROW + 4
CALIBRATION_FIRST_ROW = SUBLABEL_TABLE_ROW + 6


def _score_cells() -> list[Cell]:
    cells = []
    for i, (name, label, formula, fmt) in enumerate(SCORE_ROWS):
        row = SCORE_FIRST_ROW + i
        if name.endswith("@"):  # a display of a result that lives on another sheet
            cells.append(Cell("Score", f"B{row}", "display", None, formula, fmt, label=label))
        else:
            cells.append(Cell("Score", f"B{row}", "result", name, formula, fmt, label=label))
    o, f, s = OVERRIDE_ROW, FINAL_ROW, SUBLABEL_TABLE_ROW
    cells += [
        Cell("Score", f"B{o}", "input", "override_score", fmt="score",
             label="Assessor override (optional)",
             validation=Validation("decimal", 0, 100, title="Override (0 to 100)",
                                   message="Leave empty to accept the formula score. An "
                                   "override needs a justification below.")),
        Cell("Score", f"B{o + 1}", "input", "override_justification", fmt="longtext",
             label="Override justification / note"),
        Cell("Score", f"B{f}", "result", "final_score",
             '=IF(ready_all,IF(ISNUMBER(override_score),override_score,score),"")', "score",
             label="Final score"),
        Cell("Score", f"B{f + 1}", "result", "zone", ZONE_FORMULA, label="Zone"),
        Cell("Score", f"B{f + 2}", "result", "sub_label", SUB_LABEL_FORMULA, label="Sub-label"),
        Cell("Score", f"B{s}", "display", None, "=pct_time_score_3plus", "pct",
             label="% of task time scoring 3+"),
        Cell("Score", f"B{s + 1}", "display", None, "=pct_time_score_4plus", "pct",
             label="% of task time scoring 4+"),
        Cell("Score", f"B{s + 2}", "display", None,
             '=IF(ISNUMBER(growth_correlation),growth_correlation,"")', "int",
             label="AI Growth Correlation"),
        Cell("Score", f"B{s + 3}", "display", None, "=sub_label", label="Sub-label"),
    ]
    first, last = CALIBRATION_FIRST_ROW, CALIBRATION_FIRST_ROW + CALIBRATION_ROWS - 1
    cells += [
        Cell("Score", f"A{first}:A{last}", "input", "calibration_role", label="Peer role"),
        Cell("Score", f"B{first}:B{last}", "input", "calibration_score", fmt="score",
             label="Published score",
             validation=Validation("decimal", 0, 100, title="Peer score",
                                   message="The peer role's published JobZone score.")),
    ]
    return cells


def _commentary_cells() -> list[Cell]:
    return [Cell("Commentary", f"B{COMMENTARY_FIRST_ROW + i}", "input", name, fmt="longtext",
                 label=label)
            for i, (name, label) in enumerate(COMMENTARY_ROWS)]


def _parameter_cells() -> list[Cell]:
    cells = [Cell("Parameters", f"B{PARAM_FIRST_ROW + i}", "parameter", p.name,
                  fmt="num2" if isinstance(p.value, float) and not p.value.is_integer()
                  else "int", label=p.name)
             for i, p in enumerate(PARAMETERS)]
    cells += [
        Cell("Parameters", f"B{IDENTITY_ROW}", "identity", "method", label="method"),
        Cell("Parameters", f"B{IDENTITY_ROW + 1}", "identity", "template_version",
             label="template_version"),
    ]
    cells += [Cell("Parameters", f"B{STATUS_FIRST_ROW + i}", "helper", name, formula, "bool",
                   label=label) for i, (name, label, formula) in enumerate(STATUS_ROWS)]
    return cells


SUMMARY_ROWS: tuple[tuple[str, str, Format], ...] = (
    # (label, formula, format) on the Summary sheet, from row 4
    ("Status", "=check_status", "text"),
    ("Result", RESULTS_STATE, "text"),
    ("Role", '=IF(role_title="","",role_title)', "text"),
    ("Assessor", '=IF(assessor="","",assessor)', "text"),
    ("Assessment date", '=IF(assessment_date="","",assessment_date)', "date"),
    ("JobZone score", "=final_score", "score"),
    ("Zone", "=zone", "text"),
    ("Sub-label", "=sub_label", "text"),
    ("Formula score", "=score", "score"),
    ("Override", '=IF(ISNUMBER(override_score),override_score,"")', "score"),
    ("Task Resistance Score", "=task_resistance", "num2"),
    ("Quick screen", "=quick_screen_band", "text"),
)
SUMMARY_FIRST_ROW = 4
CHART_TABLE_ROW = SUMMARY_FIRST_ROW + len(SUMMARY_ROWS) + 2  # header row of the chart data
METHOD_NOTE_ROW = CHART_TABLE_ROW + 7
METHOD_NOTE_FORMULA = '="Method "&method&", workbook template "&template_version'


def _summary_cells() -> list[Cell]:
    cells = [Cell("Summary", f"B{SUMMARY_FIRST_ROW + i}", "display", None, formula, fmt,
                  label=label) for i, (label, formula, fmt) in enumerate(SUMMARY_ROWS)]
    for k in range(TASK_SCORE_RANGE[0], TASK_SCORE_RANGE[1] + 1):
        row = CHART_TABLE_ROW + k
        cells.append(Cell("Summary", f"B{row}", "display", None,
                          f"=SUMIF(task_score,{k},task_time)", "pct", label=f"Score {k}"))
    cells.append(Cell("Summary", f"A{METHOD_NOTE_ROW}", "display", None, METHOD_NOTE_FORMULA,
                      label="Method note"))
    return cells


SUMMARY_CELL = {label: f"B{SUMMARY_FIRST_ROW + i}" for i, (label, _, _) in enumerate(SUMMARY_ROWS)}
"""Summary sheet cells by label (for the writer's styling and tests)."""
