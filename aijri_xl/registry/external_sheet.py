"""The register's External sheet: assessments with an O*NET-SOC occupation code against its
published exposure (GPT-4 and human beta) and AI applicability: the figures, each one's
peers' median and residual, the rank correlations, and three native scatter charts of
final score against each figure (:mod:`aijri_xl.registry.external`)."""

from __future__ import annotations

from typing import Any

from aijri_xl.method.parameters import ZONES
from aijri_xl.registry import external as ext
from aijri_xl.registry.build import EXTERNAL_FIGURES
from aijri_xl.registry.cells import ZONE_CHART_COLOURS, _put, _Styles
from aijri_xl.registry.model import Register
from aijri_xl.styles import ALERT, DARK, FRAME, GRIDLINE

EXTERNAL_HEADERS = (("Role", 34), ("Assessor", 12), ("Occupation code", 11),
                    ("O*NET occupation", 34), ("Final score", 7), ("Zone", 8),
                    ("GPT-4 beta", 7), ("Human beta", 7), ("AI applicability", 9),
                    ("Exposure (mean beta)", 9), ("Expected from peers", 9), ("Residual", 8),
                    ("Flag", 10))
_EXTERNAL_TABLE_ROW = 29
"""The External sheet's table header row (0-based): below the correlations and charts."""
_CHART_DATA_COL = len(EXTERNAL_HEADERS) + 1


def build_external_sheet(wb: Any, ws: Any, reg: Register, st: _Styles) -> None:
    """Assessments with an occupation code against the published figures: the rank
    correlations, one scatter chart per figure (points coloured by zone, ``AIJ-R504``
    ringed), the table (by exposure), and the charts' data at the right."""
    for col, (_, width) in enumerate(EXTERNAL_HEADERS):
        ws.set_column(col, col, width)
    ws.write_string(0, 0, "External calibration: final scores against published exposure",
                    st.title)
    last = len(EXTERNAL_HEADERS) - 1
    ws.merge_range(1, 0, 1, last, "GPT-4 and human beta: GPTs-are-GPTs (Eloundou et al., Science "
                    "2024; MIT); AI applicability: Working with AI (Tomlinson et al., 2025; "
                    "CC BY 4.0); occupations: O*NET (USDOL/ETA, CC BY 4.0). Exposure judges "
                    "2023-era feasibility, not outcomes: references, never inputs.",
                    st.wrap_note)
    ws.merge_range(2, 0, 2, last, ext.rule_text(), st.wrap_note)
    ws.set_row(1, 28)
    ws.set_row(2, 28)
    ws.write_row(4, 0, ("Published figure", "Spearman rho", "Pairs", "Reading"), st.header)
    for k, (name, label) in enumerate(EXTERNAL_FIGURES, 5):
        c = reg.correlations.get(name, {"rho": None, "n": 0})
        ws.write_string(k, 0, label, st.text)
        _put(ws, k, 1, c["rho"], st.number["num2"])
        ws.write_number(k, 2, c["n"], st.number["int"])
        ws.write_string(k, 3, _reading(c["rho"]), st.text)

    coded = sorted((i for i, r in enumerate(reg.rows) if r.occupation_code),
                   key=lambda i: (reg.rows[i].external.get("exposure") is None,
                                  reg.rows[i].external.get("exposure") or 0, i))
    top = _EXTERNAL_TABLE_ROW
    ws.write_row(top, 0, [h for h, _ in EXTERNAL_HEADERS], st.header)
    ws.set_row(top, 40)
    for k, i in enumerate(coded, top + 1):
        r = reg.rows[i]
        e = r.external
        zone = r.zone
        occupation = e.get("occupation") or "not an occupation of the O*NET data"
        values = (r.label, r.assessor, r.occupation_code, occupation, r.final_score,
                  zone, e.get("gpt4_beta"), e.get("human_beta"), e.get("ai_applicability"),
                  e.get("exposure"), e.get("peer_median"), e.get("residual"),
                  "AIJ-R504" if "AIJ-R504" in r.flags else "")
        formats = (st.text, st.text, st.text, st.text, st.number["score"],
                   st.zone[zone] if zone else st.text, st.number["num2"], st.number["num2"],
                   st.number["num4"], st.number["num4"], st.number["score"],
                   st.number["score"], st.zone["YELLOW"] if values[-1] else st.text)
        for col, (value, fmt) in enumerate(zip(values, formats, strict=True)):
            _put(ws, k, col, value, fmt)
    if not coded:
        ws.write_string(top + 1, 0, "No assessment in the register has an occupation code "
                        "(role: occupation_code, e.g. 29-1141.00).", st.subtitle)
    for n, (name, label) in enumerate(EXTERNAL_FIGURES):
        _external_chart(wb, ws, reg, st, name, label, n)
    ws.freeze_panes(top + 1, 1)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.print_area(0, 0, top + max(1, len(coded)), len(EXTERNAL_HEADERS) - 1)
    ws.hide_gridlines(2)


def _reading(rho: float | None) -> str:
    if rho is None:
        return "too few assessments with this figure"
    strength = "strong" if abs(rho) >= 0.5 else "moderate" if abs(rho) >= 0.3 else "weak"
    way = ("higher exposure, lower score" if rho < 0 else "higher exposure, higher score")
    return f"{strength}: {way}" if abs(rho) >= 0.1 else "no clear relation"


def _external_chart(wb: Any, ws: Any, reg: Register, st: _Styles, name: str, label: str,
                    n: int) -> None:
    """A native scatter chart of final score against one published figure. Its data are
    written at the sheet's right, complete pairs only, grouped by zone (one coloured
    series each) with the ``AIJ-R504`` assessments again as a ringed series."""
    col = _CHART_DATA_COL + 2 * n
    top = _EXTERNAL_TABLE_ROW
    ws.set_column(col, col + 1, 9)
    ws.write_string(top, col, label, st.header)
    ws.write_string(top, col + 1, "Final score", st.header)
    pairs = [(r.zone, r.external[name], r.final_score, "AIJ-R504" in r.flags)
             for r in reg.rows if r.summary and r.external.get(name) is not None]
    if not pairs:
        ws.write_string(8, 4 * n, f"No scored assessment with {label}: no chart.",
                        st.subtitle)
        return
    groups = [(z, [p for p in pairs if p[0] == z]) for z in ZONES]
    groups.append(("AIJ-R504", [p for p in pairs if p[3]]))
    chart = wb.add_chart({"type": "scatter"})
    row = top + 1
    for zone, points in groups:
        if not points:
            continue
        points.sort(key=lambda p: (p[1], p[2]))
        first, last = row, row + len(points) - 1
        for k, p in enumerate(points):
            ws.write_number(first + k, col, p[1])
            ws.write_number(first + k, col + 1, p[2])
        row = last + 1
        marker = ({"type": "circle", "size": 6,
                   "fill": {"color": ZONE_CHART_COLOURS[zone]},
                   "border": {"color": DARK, "width": 0.5}} if zone in ZONES else
                  {"type": "circle", "size": 11, "fill": {"none": True},
                   "border": {"color": ALERT, "width": 2}})
        chart.add_series({"name": zone if zone in ZONES else "AIJ-R504 (review)",
                          "categories": ["External", first, col, last, col],
                          "values": ["External", first, col + 1, last, col + 1],
                          "marker": marker})
    c = reg.correlations.get(name, {"rho": None, "n": 0})
    rho = "n/a" if c["rho"] is None else f"{c['rho']:.2f}"
    chart.set_title({"name": f"Final score vs {label} (rho {rho}, n {c['n']})",
                     "name_font": {"size": 10, "bold": True}})
    chart.set_x_axis({"name": label, "name_font": {"size": 9}, "num_font": {"size": 8},
                      "num_format": "0.00",
                      "major_gridlines": {"visible": True, "line": {"color": GRIDLINE}}})
    chart.set_y_axis({"name": "Final score", "min": 0, "max": 100, "major_unit": 20,
                      "name_font": {"size": 9}, "num_font": {"size": 8},
                      "major_gridlines": {"visible": True, "line": {"color": GRIDLINE}}})
    chart.set_legend({"position": "bottom", "font": {"size": 8}})
    chart.set_chartarea({"border": {"color": FRAME}})
    chart.set_size({"width": 420, "height": 380})
    ws.insert_chart(8, 0, chart, {"x_offset": 4 + n * 430, "y_offset": 4})
