"""The register as a workbook (XlsxWriter; the same register gives the same bytes)::

    Summary      what the register holds, when it was made, from what; counts per zone
                 (assessments that verify), of those that do not verify and those that
                 cannot be scored, per sub-label, verdict and flag, as COUNTIF(S) formulas
                 with cached values; two native charts: the zone distribution by
                 sub-label with the failing assessments a column of their own, and every
                 final score, sorted, coloured by zone (grey: does not verify)
    Register     one row per assessment, the columns a reader needs, headed in words
    Figures      the same rows with the method's figures (§4 result fields)
    Calibration  scored assessments by final score, each between its neighbours
    Flags        code, severity, role, files, message
    Skipped      files found and not read, and why (only when there are some)

Every sheet prints landscape, as wide as the page (A4 or Letter), its header repeated.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from aijri_xl.method.excel_math import percent_to_fraction
from aijri_xl.method.findings import CODES
from aijri_xl.method.marks import REGISTER, XLSX_PROPERTY
from aijri_xl.method.parameters import METHOD, PERCENT_FIELDS, SUB_LABELS, ZONES
from aijri_xl.registry.cells import (
    FAIL_COLOUR,
    SUB_LABEL_COLOURS,
    ZONE_CHART_COLOURS,
    _excel_date,
    _fit_row,
    _put,
    _range,
    _Styles,
    _table_head,
    _table_tail,
)
from aijri_xl.registry.external_sheet import build_external_sheet
from aijri_xl.registry.model import (
    ASSESSOR_SPREAD,
    COLUMN_NAMES,
    COLUMNS,
    FLAG_CODES,
    NOT_VERIFIED,
    READING_COLUMNS,
    REGISTER_TITLE,
    VERDICTS,
    Register,
    _text,
)
from aijri_xl.styles import FRAME, GRIDLINE, WHITE
from aijri_xl.workbook.writer import FIXED_DATE


# Zone colours: cells as the assessment workbooks show zones (Excel's good / neutral / bad
# styles); bars in the green, amber and red of the workbook's score chart, and for the
# sub-labels a darker and a lighter shade of each.
def register_workbook_bytes(reg: Register) -> bytes:
    """The register workbook as ``.xlsx`` bytes (byte-identical for the same register)."""
    import xlsxwriter

    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                      "strings_to_formulas": False, "strings_to_urls": False})
    st = _Styles(wb)
    summary = wb.add_worksheet("Summary")
    names = ["Register", "Figures", "Calibration", "Flags", "Agreement", "External"] + (
        ["Skipped"] if reg.skipped else [])
    sheets = {name: wb.add_worksheet(name) for name in names}
    _build_register_sheet(sheets["Register"], reg, st, COLUMNS[:READING_COLUMNS], 1)
    _build_register_sheet(sheets["Figures"], reg, st,
                          COLUMNS[:2] + COLUMNS[READING_COLUMNS:], 2)
    _build_calibration_sheet(sheets["Calibration"], reg, st)
    _build_flags_sheet(sheets["Flags"], reg, st)
    _build_agreement_sheet(sheets["Agreement"], reg, st)
    build_external_sheet(wb, sheets["External"], reg, st)
    if reg.skipped:
        _build_skipped_sheet(sheets["Skipped"], reg, st)
    _build_summary(wb, summary, reg, st)
    wb.set_properties({"title": REGISTER_TITLE, "subject": "AI Job Resilience Index (AIJRI)",
                       "keywords": f"AIJRI, {METHOD}, register", "created": FIXED_DATE,
                       "comments": f"Method {METHOD}; written by aijri_xl"})
    wb.set_custom_property(XLSX_PROPERTY, REGISTER)
    summary.activate()
    wb.close()
    return buffer.getvalue()


def _build_register_sheet(ws: Any, reg: Register, st: _Styles,
                          columns: Sequence[tuple[str, str, float, str]],
                          pages_wide: int) -> None:
    _table_head(ws, st, [(label, width) for _, _, width, label in columns])
    wrapped = {"files", "failing_files", "calibration", "role", "file", "flags", "findings",
               "role_id", "sub_label", "quick_screen_band", "assessor"}
    for i, r in enumerate(reg.rows, 1):
        record = r.record()
        record["files"] = tuple(f"{f} ({v})" for f, v in zip(r.files, r.verdicts,
                                                              strict=True))
        _fit_row(ws, i, [(_text(record[name]), width) for name, _, width, _ in columns
                         if name in wrapped])
        for col, (name, kind, _, _) in enumerate(columns):
            value = record[name]
            fmt = st.wrap if name in wrapped else st.text if kind == "text" else \
                st.number[kind]
            if name in PERCENT_FIELDS and value is not None:
                value = percent_to_fraction(value)
            if kind == "date" and _excel_date(value) is not None:
                ws.write_datetime(i, col, _excel_date(value), fmt)
                continue
            _put(ws, i, col, value, fmt)
    last = max(1, len(reg.rows))
    _table_tail(ws, len(reg.rows), len(columns), 2 if pages_wide > 1 else 1, pages_wide)
    names = [name for name, _, _, _ in columns]
    for name, styles in (("zone", st.zone), ("verdict", st.verdict)):
        if name not in names:
            continue
        col = names.index(name)
        for value, fmt in styles.items():
            ws.conditional_format(1, col, last, col, {"type": "cell", "criteria": "==",
                                                      "value": f'"{value}"', "format": fmt})


CALIBRATION_HEADERS = (("Rank", 6), ("Role", 36), ("Assessor", 12), ("Final score", 7),
                       ("Zone", 8), ("Next below", 34), ("Score", 6), ("Next above", 34),
                       ("Score", 6), ("Quoted peers (✓ agrees, ✗ differs, ? not in register)",
                                      76), ("Peers", 10), ("Chart label", 44))


def _build_calibration_sheet(ws: Any, reg: Register, st: _Styles) -> None:
    _table_head(ws, st, CALIBRATION_HEADERS)
    for i, e in enumerate(reg.calibration, 1):
        below, above = e.below or ("", ""), e.above or ("", "")
        peers = "; ".join(p.text() for p in e.peers)
        values = (i, e.role, e.assessor, e.final_score, e.zone, below[0], below[1], above[0],
                  above[1], peers, e.agreement, e.label)
        _fit_row(ws, i, [(_text(peers), CALIBRATION_HEADERS[9][1])])
        for col, value in enumerate(values):
            fmt = st.number["score"] if col in (3, 6, 8) else st.wrap if col == 9 else st.text
            if col == 4:
                fmt = st.zone[e.zone]
            _put(ws, i, col, value, fmt)
        if e.agreement == "differs":
            ws.write_string(i, 10, "differs", st.zone["YELLOW"])
    _table_tail(ws, len(reg.calibration), len(CALIBRATION_HEADERS), 2)


def _build_flags_sheet(ws: Any, reg: Register, st: _Styles) -> None:
    headers = (("Code", 10), ("Severity", 9), ("What", 34), ("Role", 30), ("Files", 44),
               ("Message", 90))
    _table_head(ws, st, headers)
    for i, f in enumerate(reg.flags, 1):
        values = (f.code, f.severity, CODES[f.code].title, f.role, f.files, f.message)
        _fit_row(ws, i, [(_text(f.files), headers[4][1]), (_text(f.message), headers[5][1])])
        for col, value in enumerate(values):
            fmt = st.severity.get(f.severity, st.text) if col == 1 else \
                st.wrap if col in (4, 5) else st.text
            _put(ws, i, col, value, fmt)
    _table_tail(ws, len(reg.flags), len(headers), 0)


def _build_skipped_sheet(ws: Any, reg: Register, st: _Styles) -> None:
    headers = (("File", 70), ("Why it was not read", 80))
    _table_head(ws, st, headers)
    for i, (file, why) in enumerate(reg.skipped, 1):
        _fit_row(ws, i, [(_text(file), 70), (_text(why), 80)])
        _put(ws, i, 0, file, st.wrap)
        _put(ws, i, 1, why, st.wrap)
    _table_tail(ws, len(reg.skipped), 2, 0)


AGREEMENT_BLOCKS = ("task scores", "evidence", "barriers", "growth", "all scored inputs")
_BLOCK_HEADS = ("Tasks", "Evidence", "Barriers", "Growth", "All")
AGREEMENT_HEADERS = (("Role", 30), ("Assessors and final scores", 34), ("Spread", 7),
                     *((f"{b} MAD", 9) for b in _BLOCK_HEADS),
                     *((f"{b} alpha", 9) for b in _BLOCK_HEADS),
                     ("What explains the difference (mean |part|, points)", 60),
                     ("Files", 40))


def _build_agreement_sheet(ws: Any, reg: Register, st: _Styles) -> None:
    """One row per role scored by several assessors: the mean absolute difference and
    Krippendorff's alpha (ordinal) per block of inputs, and the inputs whose Shapley
    parts explain most of the difference in their final scores."""
    _table_head(ws, st, AGREEMENT_HEADERS)
    ws.set_row(0, 40)  # the block names wrap in narrow columns
    for i, ra in enumerate(reg.agreement, 1):
        g = ra.result
        blocks = {b.block: b for b in g.blocks}
        who = "\n".join(f"{name}: {score:.1f}" for name, score in
                         zip(g.assessors, g.final_scores, strict=True))
        explained = "\n".join(f"{e.label}: {e.mean_abs_points:.2f}" for e in g.explained[:5])
        values: list[Any] = [ra.role, who, g.spread]
        values += [blocks[b].mean_absolute_difference for b in AGREEMENT_BLOCKS]
        values += [blocks[b].alpha_ordinal for b in AGREEMENT_BLOCKS]
        values += [explained, ra.files]
        _fit_row(ws, i, [(_text(who), 34), (_text(explained), 60), (_text(ra.files), 40)])
        for col, value in enumerate(values):
            fmt = st.number["score"] if col == 2 else st.number["num2"] if 3 <= col < 13 \
                else st.wrap
            _put(ws, i, col, round(value, 4) if isinstance(value, float) and 3 <= col < 13
                 else value, fmt)
    if not reg.agreement:
        ws.write_string(1, 0, "No role is scored by more than one assessor.", st.text)
    _table_tail(ws, len(reg.agreement), len(AGREEMENT_HEADERS), 1)


def _build_summary(wb: Any, ws: Any, reg: Register, st: _Styles) -> None:
    counts = reg.counts()
    n = len(reg.rows)
    zone_range = _range("Register", COLUMN_NAMES.index("zone"), n)
    sub_range = _range("Register", COLUMN_NAMES.index("sub_label"), n)
    verdict_range = _range("Register", COLUMN_NAMES.index("verdict"), n)
    score_range = _range("Register", COLUMN_NAMES.index("final_score"), n)
    flag_range = _range("Flags", 0, len(reg.flags))
    verifies = f'{verdict_range},"<>FAIL"'
    ws.set_column("A:A", 24)
    ws.set_column("B:B", 12)
    ws.set_column("C:D", 9)
    ws.set_column("E:E", 12)
    ws.write_string(0, 0, REGISTER_TITLE, st.title)
    ws.set_row(0, 24)
    flags = sum(counts["flags"].values())
    files = counts["file_verdict"]
    intro = [f"{n} assessments from {reg.files_read} files · {flags} flags · method {METHOD}"
             + (f" · made {reg.made_at}" if reg.made_at else ""),
             "Files verified: " + ", ".join(f"{files[v]} {v}" for v in VERDICTS)
             + (f"; {len(reg.skipped)} skipped, not read (Skipped sheet)" if reg.skipped
                else "")]
    if reg.paths:
        intro.append(_text("Read from: " + ", ".join(reg.paths)))
    for k, line in enumerate(intro, 1):
        ws.write_string(k, 0, line, st.subtitle)

    # Categories: the zones of the assessments that verify, then those that do not verify
    # and those that cannot be scored; share of all assessments.
    top = len(intro) + 2
    ws.write_row(top, 0, ("Assessments", "Count", "Share"), st.header)
    cats = (*ZONES, NOT_VERIFIED, "Cannot be scored")
    first = top + 1
    total_row = first + len(cats)
    for k, cat in enumerate(cats, first):
        if cat in ZONES:
            label_fmt = st.zone_bold[cat]
            formula = f'=COUNTIFS({zone_range},"{cat}",{verifies})'
            value = counts["category"][cat]
        elif cat == NOT_VERIFIED:
            label_fmt = st.fail_bold
            formula = f'=COUNTIFS({verdict_range},"FAIL",{score_range},">=0")'
            value = counts["category"][NOT_VERIFIED]
        else:
            label_fmt = st.text
            formula = f"=COUNTA({verdict_range})-SUM(B{first + 1}:B{k})"
            value = counts["category"]["unscored"]
        ws.write_string(k, 0, cat, label_fmt)
        ws.write_formula(k, 1, formula, st.number["int"], value)
        ws.write_formula(k, 2, f"=IF($B${total_row + 1}=0,0,B{k + 1}/$B${total_row + 1})",
                         st.number["pct"], value / n if n else 0)
    ws.write_string(total_row, 0, "All assessments", st.total_label)
    ws.write_formula(total_row, 1, f"=SUM(B{first + 1}:B{total_row})", st.total, n)
    ws.write_formula(total_row, 2, f"=SUM(C{first + 1}:C{total_row})", st.total_pct,
                     1 if n else 0)

    # Sub-labels of the assessments that verify, under their zone, and those that do not
    # verify in a column of their own (the chart's data).
    sub = total_row + 3
    columns = (*ZONES, NOT_VERIFIED)
    ws.write_row(sub, 0, ("Sub-label", *columns), st.header)
    ws.set_row(sub, 28)
    row = sub + 1
    sub_rows: list[tuple[int, str]] = []
    for z in ZONES:
        for label in SUB_LABELS[z]:
            full = f"{z.title()} ({label})"
            ws.write_string(row, 0, full, st.text)
            for k, zz in enumerate(columns, 1):
                if zz == z:
                    ws.write_formula(row, k, f'=COUNTIFS({sub_range},"{full}",{verifies})',
                                     st.number["int"], counts["sub_label"][full])
                else:
                    ws.write_blank(row, k, None, st.text)
            sub_rows.append((row, full))
            row += 1
    ws.write_string(row, 0, NOT_VERIFIED, st.text)
    for k in range(1, len(columns)):
        ws.write_blank(row, k, None, st.text)
    ws.write_formula(row, len(columns), f'=COUNTIFS({verdict_range},"FAIL",{score_range},">=0")',
                     st.number["int"], counts["category"][NOT_VERIFIED])
    sub_rows.append((row, NOT_VERIFIED))
    row += 1

    # Verdicts and flags.
    ver = row + 1
    ws.write_row(ver, 0, ("Verdict", "Assessments", "Files"), st.header)
    for k, v in enumerate(VERDICTS, ver + 1):
        ws.write_string(k, 0, v, st.verdict[v])
        ws.write_formula(k, 1, f'=COUNTIF({verdict_range},"{v}")', st.number["int"],
                         counts["verdict"][v])
        ws.write_number(k, 2, files[v], st.number["int"])
    fl = ver + 5
    ws.write_row(fl, 0, ("Flag", "Count", "What", "", ""), st.header)
    for k, c in enumerate(FLAG_CODES, fl + 1):
        ws.write_string(k, 0, c, st.text)
        ws.write_formula(k, 1, f'=COUNTIF({flag_range},"{c}")', st.number["int"],
                         counts["flags"][c])
        ws.write_string(k, 2, CODES[c].title, st.indented)
    note = fl + 5
    ws.write_string(note, 0, f"AIJ-R501: different assessors more than {ASSESSOR_SPREAD} "
                    "points apart on one role. AIJ-R502: a quoted peer score the register does "
                    "not hold.", st.subtitle)
    ws.write_string(note + 1, 0, "AIJ-R503: a file that does not verify. An assessment "
                    "verifies when one of its files does; one that does not is counted "
                    "apart from the zones.", st.subtitle)
    ws.write_string(note + 2, 0, "AIJ-R504: a score far from its peers of similar published "
                    "exposure (External sheet).", st.subtitle)

    _zone_chart(wb, ws, sub_rows, sub, st)
    bottom = _score_chart(wb, ws, reg, note + 4)
    ws.set_portrait()
    ws.set_paper(9)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.fit_to_pages(1, 0)
    ws.print_area(0, 0, bottom, 14)
    ws.hide_gridlines(2)


def _zone_chart(wb: Any, ws: Any, sub_rows: list[tuple[int, str]], header: int,
                st: _Styles) -> None:
    chart = wb.add_chart({"type": "column", "subtype": "stacked"})
    columns = len(ZONES) + 1
    for row, full in sub_rows:
        chart.add_series({
            "name": ["Summary", row, 0],
            "categories": ["Summary", header, 1, header, columns],
            "values": ["Summary", row, 1, row, columns],
            "fill": {"color": SUB_LABEL_COLOURS.get(full, FAIL_COLOUR)},
            "border": {"color": WHITE},
            "data_labels": {"value": True, "num_format": "0;;;",
                            "font": {"size": 8, "color": WHITE, "bold": True}},
            "gap": 50,
        })
    chart.set_title({"name": "Assessments by zone and sub-label",
                     "name_font": {"size": 11, "bold": True}})
    chart.set_legend({"position": "right", "font": {"size": 8}})
    chart.set_y_axis({"name": "Assessments", "name_font": {"size": 9, "bold": False},
                      "num_format": "0", "min": 0,
                      "major_gridlines": {"visible": True, "line": {"color": GRIDLINE}}})
    chart.set_x_axis({"num_font": {"size": 8, "bold": True}})
    chart.set_chartarea({"border": {"color": FRAME}})
    chart.set_size({"width": 520, "height": 300})
    ws.insert_chart(3, 6, chart, {"x_offset": 8, "y_offset": 0})


def _score_chart(wb: Any, ws: Any, reg: Register, first_row: int) -> int:
    """The final score of every scored assessment, sorted, one bar each coloured by zone;
    its data are the Calibration sheet's columns. Returns the last row it covers."""
    entries = reg.calibration
    count = max(1, len(entries))
    many = count > 100  # then thinner bars and no value labels
    chart = wb.add_chart({"type": "bar"})
    chart.add_series({
        "name": "Final score",
        "categories": ["Calibration", 1, 11, count, 11],
        "values": ["Calibration", 1, 3, count, 3],
        "points": [{"fill": {"color": FAIL_COLOUR if reg.rows[e.row].verdict == "FAIL"
                             else ZONE_CHART_COLOURS[e.zone]}, "border": {"none": True}}
                   for e in entries],
        **({} if many else {"data_labels": {"value": True, "num_format": "0.0",
                                            "font": {"size": 7}}}),
        "gap": 40,
    })
    chart.set_title({"name": "Final score by assessment, highest first (green ≥ 48, "
                     "yellow ≥ 25, red below; grey: does not verify)",
                     "name_font": {"size": 11, "bold": True}})
    chart.set_legend({"none": True})
    chart.set_x_axis({"min": 0, "max": 100, "major_unit": 10, "num_font": {"size": 8},
                      "major_gridlines": {"visible": True, "line": {"color": GRIDLINE}}})
    chart.set_y_axis({"reverse": True, "num_font": {"size": 7}})
    chart.set_chartarea({"border": {"color": FRAME}})
    height = 90 + (max(3, 1400 // count) if many else 14) * count
    chart.set_size({"width": 1000, "height": height})
    ws.insert_chart(first_row, 0, chart, {"x_offset": 4, "y_offset": 0})
    return first_row + height // 20 + 2
