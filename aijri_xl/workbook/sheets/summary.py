"""The Summary sheet: the master status, the role, the score and zone, task time by
score (data and chart)."""

from __future__ import annotations

from aijri_xl.method.parameters import METHOD, TASK_SCORE_RANGE, TEMPLATE_VERSION
from aijri_xl.styles import FRAME, GRIDLINE, SCORE_BAR_COLOURS
from aijri_xl.workbook.layout import CHART_TABLE_ROW, SUMMARY_FIRST_ROW, SUMMARY_ROWS
from aijri_xl.workbook.sheets.common import Writer, print_setup

CHART_WIDTH, CHART_HEIGHT = 430, 250
"""Pixels: inside columns D:I (6 x 10 width units, about 450 px) so that it prints within
the margins."""


def build_summary(w: Writer) -> None:
    ws, st = w.sheets["Summary"], w.styles
    w.heading("Summary", "AIJRI assessment summary",
              f"AI Job Resilience Index, method {METHOD}. Inputs are the yellow cells on the "
              "sheets that follow; everything here is computed.", 9)
    ws.set_column("A:A", 24)
    ws.set_column("B:B", 44)
    ws.set_column("C:C", 3)
    ws.set_column("D:I", 10)
    by_ref = {c.ref: c for c in w.lay.cells if c.sheet == "Summary"}
    for i, (label, _, _) in enumerate(SUMMARY_ROWS):
        row = SUMMARY_FIRST_ROW + i
        ref = f"B{row}"
        w.label("Summary", f"A{row}", label)
        fmt = None
        if label == "JobZone score":
            fmt = st.big_score
            ws.set_row(row - 1, 32)
        elif label in ("Zone", "Sub-label", "Role"):
            fmt = st.big_text
            ws.set_row(row - 1, 22)
        elif label in ("Status", "Result"):
            fmt = st.check_line
            ws.set_row(row - 1, 40)
        w.put_formula(by_ref[ref], fmt=fmt)
    top = CHART_TABLE_ROW
    ws.write_string(f"A{top}", "Task time by score", st.header)
    ws.write_string(f"B{top}", "Share of task time", st.header)
    for k in range(TASK_SCORE_RANGE[0], TASK_SCORE_RANGE[1] + 1):
        ws.write_string(f"A{top + k}", f"Score {k}", st.label)
        w.put_formula(by_ref[f"B{top + k}"])
    chart = w.wb.add_chart({"type": "column"})
    chart.add_series({
        "name": "Share of task time",
        "categories": ["Summary", top, 0, top + 4, 0],
        "values": ["Summary", top, 1, top + 4, 1],
        "points": [{"fill": {"color": c}, "border": {"none": True}}
                   for c in SCORE_BAR_COLOURS],
        "data_labels": {"value": True, "num_format": "0%"},
        "gap": 60,
    })
    chart.set_title({"name": "Task time by score (1 = AI not involved, 5 = displaced)",
                     "name_font": {"size": 10, "bold": True}})
    chart.set_legend({"none": True})
    chart.set_y_axis({"num_format": "0%", "min": 0, "major_gridlines": {
        "visible": True, "line": {"color": GRIDLINE}}})
    chart.set_size({"width": CHART_WIDTH, "height": CHART_HEIGHT})
    chart.set_chartarea({"border": {"color": FRAME}})
    ws.insert_chart(f"D{SUMMARY_FIRST_ROW + 2}", chart, {"x_offset": 4, "y_offset": 2,
                                                         "object_position": 2})
    ws.merge_range(f"A{top + 7}:B{top + 7}", None, st.note)
    ws.write_formula(f"A{top + 7}", '="Method "&method&", workbook template "&template_version',
                     st.note, f"Method {METHOD}, workbook template {TEMPLATE_VERSION}")
    print_setup(ws, f"A1:I{top + 7}", landscape=True)
