"""The Tasks sheet: the task table (with a Check and a Warning column per row), its
total and table checks, the results of the task analysis, the reinstatement check."""

from __future__ import annotations

from aijri_xl.method.parameters import PARAMS
from aijri_xl.workbook.layout import TASK_COLUMNS, TASK_FIRST_ROW, Cell
from aijri_xl.workbook.sheets.common import Writer, print_setup, text_height

WIDTHS = {"A": 4, "B": 36, "C": 9, "D": 9, "E": 9, "F": 15, "G": 56, "H": 15, "I": 30,
          "J": 24}
REFERENCE_COLUMN, REFERENCE_WIDTH = "K", 34
"""The reference column (text only, when a template has one), after the Check columns."""


def build_tasks(w: Writer) -> None:
    ws, st, lay, by_name = w.sheets["Tasks"], w.styles, w.lay, w.lay.by_name
    w.heading("Tasks", "Task Decomposition (Agentic AI Scoring)",
              "One row per task: its share of working time (the shares sum to 100%), a score "
              "from 1 (AI not involved) to 5 (AI agents displace the human), and its class. "
              "Weighted = time x score. Check: the row's first problem.", 10)
    for col, width in WIDTHS.items():
        ws.set_column(f"{col}:{col}", width)
    w.check_line("Tasks")
    w.header_row("Tasks", TASK_FIRST_ROW - 1, tuple(h for _, h, _, _ in TASK_COLUMNS))
    tasks = w.values
    column_cells = {name: by_name[name] for _, _, name, _ in TASK_COLUMNS
                    if name and by_name[name].kind == "input"}
    for i in range(lay.task_rows):
        row = TASK_FIRST_ROW + i
        ws.write_number(f"A{row}", i + 1, st.cell("display", "int"))
        for col, _, name, _ in TASK_COLUMNS:
            if name not in column_cells:
                continue
            values = tasks[name]
            value = values[i] if i < len(values) else None
            single = Cell("Tasks", f"{col}{row}", "input", None, fmt=column_cells[name].fmt)
            w.put_input(single, value)
        rationale = tasks["task_rationale"][i] if i < len(tasks["task_rationale"]) else None
        name_text = tasks["task_name"][i] if i < len(tasks["task_name"]) else None
        reference = (w.references.cells[i] if w.references is not None
                     and i < len(w.references.cells) else None)
        ws.set_row(row - 1, max(text_height(rationale, WIDTHS["G"]),
                                text_height(name_text, WIDTHS["B"]),
                                text_height(reference, REFERENCE_WIDTH)))
    for c in lay.cells:
        if c.sheet == "Tasks" and c.kind == "display" and c.ref != "A3":
            w.put_formula(c)
    for name in ("task_time", "task_score", "task_class"):
        w.validate(column_cells[name])
    total = lay.total_row
    ws.write_string(f"A{total}", "Total", st.label)
    ws.write_string(f"B{total}", "time shares must sum to 100%", st.note)
    w.put_formula(by_name["task_time_total"], fmt=st.cell("result", "pct", bold=True))
    w.put_formula(by_name["weighted_total"], fmt=st.cell("result", "num2", bold=True))
    w.put_formula(by_name["check_task_table"])
    w.put_formula(by_name["check_task_formulas"])
    below = total + 2
    ws.merge_range(f"A{below - 1}:B{below - 1}", "Results", st.section)
    for offset, name in enumerate(("task_resistance", "pct_time_score_3plus",
                                   "pct_time_score_4plus", "split_displacement",
                                   "split_augmentation", "split_not_involved")):
        cell = by_name[name]
        ws.merge_range(f"A{below + offset}:B{below + offset}", cell.label, st.label)
        w.put_formula(cell, fmt=st.cell("result", cell.fmt, bold=name == "task_resistance"))
    notes = ("TRS_CEILING - weighted total (1.00 to 5.00)",
             f"Green (Transforming) from {PARAMS['TRANSFORMING_MIN_PCT']:g}% of task time "
             "scoring 3+",
             f"Yellow (Urgent) from {PARAMS['URGENT_MIN_PCT']:g}%, Red (Imminent) from "
             f"{PARAMS['IMMINENT_MIN_PCT']:g}% of task time scoring 4+",
             "Displacement/Augmentation split: share of task time in each class")
    for offset, note in enumerate(notes):
        ws.merge_range(f"D{below + offset}:G{below + offset}", note, st.note)
    r = by_name["reinstatement_check"]
    rrow = int(r.ref[1:])
    ws.merge_range(f"A{rrow}:B{rrow}", r.label, st.label)
    ws.merge_range(f"C{rrow}:G{rrow}", None, st.cell("input", "longtext"))
    w.put_input(r, w.values["reinstatement_check"])
    ws.set_row(rrow - 1, text_height(w.values["reinstatement_check"], 130, 45))
    ws.freeze_panes(TASK_FIRST_ROW - 1, 2)
    if w.references is None:
        print_setup(ws, f"A1:J{rrow}", landscape=True, repeat=TASK_FIRST_ROW - 1)
    else:
        print_setup(ws, f"A1:{REFERENCE_COLUMN}{_build_references(w, rrow)}", landscape=True,
                    repeat=TASK_FIRST_ROW - 1)


def _build_references(w: Writer, rrow: int) -> int:
    """The reference column beside the tasks and its legend below the reinstatement
    check; returns the last row written. Text only, locked, never named."""
    ws, st, refs = w.sheets["Tasks"], w.styles, w.references
    assert refs is not None
    col = REFERENCE_COLUMN
    ws.set_column(f"{col}:{col}", REFERENCE_WIDTH)
    ws.write_string(f"{col}{TASK_FIRST_ROW - 1}", refs.header, st.header)
    for i, text in enumerate(refs.cells[:w.lay.task_rows]):
        ws.write_string(f"{col}{TASK_FIRST_ROW + i}", text, st.reference)
    row = rrow + 2
    for heading, text in refs.legend:
        ws.merge_range(f"A{row}:{col}{row}", heading, st.section)
        ws.merge_range(f"A{row + 1}:{col}{row + 1}", text, st.note)
        ws.set_row(row, text_height(text, 220))
        row += 2
    return row - 1
