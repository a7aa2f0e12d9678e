"""The Checks sheet: every check of the inputs, one line per place, and the master
status with the counts of problems and warnings."""

from __future__ import annotations

from aijri_xl.workbook.check_layout import (
    CHECKS_HEADER_ROW,
    PROBLEMS_REF,
    STATUS_REF,
    WARNINGS_REF,
    check_lines,
)
from aijri_xl.workbook.sheets.common import Writer, print_setup

HEADERS = ("Sheet", "Cell", "What is checked", "Problem", "Warning", "Problems",
           "Warnings")


def build_checks(w: Writer) -> None:
    ws, st, by_name = w.sheets["Checks"], w.styles, w.lay.by_name
    w.heading("Checks", "Checks of the inputs (AIJRI-METHOD.md §5)",
              "Every rule a formula can decide, by sheet. OK when it holds; otherwise the "
              "problem, with the code `aijri verify` reports for it. Results are final only "
              "when every check holds.", 7)
    for col, width in {"A": 12, "B": 16, "C": 40, "D": 52, "E": 40, "F": 9, "G": 9}.items():
        ws.set_column(f"{col}:{col}", width)
    for ref, label, name in ((STATUS_REF, "Status", "check_status"),
                             (PROBLEMS_REF, "Problems", "check_problems"),
                             (WARNINGS_REF, "Warnings", "check_warnings")):
        row = ref[1:]
        w.label("Checks", f"A{row}", label)
        cell = by_name[name]
        if name == "check_status":
            ws.merge_range(f"B{row}:G{row}", None, st.check_line)
            w.put_formula(cell, fmt=st.check_line)
            ws.set_row(int(row) - 1, 30)
        else:
            w.put_formula(cell, fmt=st.cell("result", "int", bold=True))
    w.header_row("Checks", CHECKS_HEADER_ROW, HEADERS)
    lines = check_lines(by_name)
    for line in lines:
        r = line.row
        ws.write_string(f"A{r}", line.sheet, st.plain)
        ws.write_string(f"B{r}", line.where, st.plain)
        ws.write_string(f"C{r}", line.what, st.plain)
        ws.set_row(r - 1, 27)
    first, last = lines[0].row, lines[-1].row
    w.put_formulas("Checks", columns="DE", fmt="check")
    count = st.cell("display", "int")
    for c in w.lay.cells:
        if c.sheet == "Checks" and c.ref[0] in "FG" and int(c.ref[1:]) >= first:
            w.put_formula(c, fmt=count)
    ws.freeze_panes(CHECKS_HEADER_ROW, 0)
    print_setup(ws, f"A1:G{last}", landscape=True, repeat=CHECKS_HEADER_ROW)
