"""The Score sheet (composite, override, final score, zone, sub-label, calibration) and
the Parameters sheet (the method's constants, identity, input status)."""

from __future__ import annotations

from aijri_xl.method.parameters import (
    GROWTH_RANGE,
    METHOD,
    PARAMETERS,
    PARAMS,
    TEMPLATE_VERSION,
    ZONE_LEGEND,
)
from aijri_xl.workbook.layout import (
    CALIBRATION_FIRST_ROW,
    CALIBRATION_ROWS,
    FINAL_ROW,
    IDENTITY_ROW,
    OVERRIDE_ROW,
    PARAM_FIRST_ROW,
    SCORE_FIRST_ROW,
    STATUS_FIRST_ROW,
    STATUS_ROWS,
    SUBLABEL_TABLE_ROW,
    Cell,
)
from aijri_xl.workbook.sheets.common import Writer, print_setup, text_height

NOTES = ("6.00 - weighted task score (Tasks sheet)", "1.0 + (evidence total x "
         "EVIDENCE_WEIGHT)", "1.0 + (barrier total x BARRIER_WEIGHT)",
         "1.0 + (growth correlation x GROWTH_WEIGHT)",
         "TRS x evidence x barrier x growth modifiers",
         "(raw - SCORE_OFFSET) / SCORE_SPAN x 100, capped 0-100",
         "Excel ROUND to one decimal")


def build_score(w: Writer) -> None:
    ws, st, by_name = w.sheets["Score"], w.styles, w.lay.by_name
    w.heading("Score", "JobZone Composite Score (AIJRI)",
              "Raw = TRS x evidence modifier x barrier modifier x growth modifier; score = "
              "(raw - SCORE_OFFSET) / SCORE_SPAN x 100, capped to 0-100 and rounded to one "
              "decimal.", 4)
    ws.set_column("A:A", 34)
    ws.set_column("B:B", 24)
    ws.set_column("C:C", 54)
    ws.set_column("D:D", 34)
    w.check_line("Score")
    w.header_row("Score", SCORE_FIRST_ROW - 1, ("Input", "Value", "How", "Check"))
    for i, cell in enumerate(c for c in w.lay.cells if c.sheet == "Score"
                             and SCORE_FIRST_ROW <= int(c.ref[1:].split(":")[0]) <
                             OVERRIDE_ROW - 1 and c.ref.startswith("B")):
        row = SCORE_FIRST_ROW + i
        w.label("Score", f"A{row}", cell.label)
        w.put_formula(cell, fmt=st.cell("result", cell.fmt, bold=cell.name == "score"))
        ws.write_string(f"C{row}", NOTES[i], st.note)
    o = OVERRIDE_ROW
    w.label("Score", f"A{o}", "Assessor override (optional)")
    w.put_input(by_name["override_score"], w.values["override_score"])
    ws.write_string(f"C{o}", "Leave empty to accept the formula score", st.note)
    w.label("Score", f"A{o + 1}", "Override justification / note")
    ws.merge_range(f"B{o + 1}:C{o + 1}", None, st.cell("input", "longtext"))
    w.put_input(by_name["override_justification"], w.values["override_justification"])
    ws.set_row(o, text_height(w.values["override_justification"], 76, 30))
    f = FINAL_ROW
    for offset, name in enumerate(("final_score", "zone", "sub_label")):
        cell = by_name[name]
        w.label("Score", f"A{f + offset}", cell.label)
        w.put_formula(cell, fmt=st.cell("result", cell.fmt, bold=True))
    ws.write_string(f"C{f}", "PROVISIONAL while a check fails: see row 3 and the Checks "
                    "sheet", st.note)
    ws.write_string(f"C{f + 1}", f"{ZONE_LEGEND} (from the parameters)", st.note)
    s = SUBLABEL_TABLE_ROW
    w.header_row("Score", s - 1, ("Sub-Label Determination", "Value", ""))
    for c in w.lay.cells:
        if c.sheet == "Score" and c.kind == "display" and c.ref[0] == "B" \
                and int(c.ref[1:]) >= s:
            w.label("Score", f"A{c.ref[1:]}", c.label)
            w.put_formula(c)
    ws.write_string(f"C{s}", f"Green (Transforming) from {PARAMS['TRANSFORMING_MIN_PCT']:g}%; "
                    f"Green (Accelerated) when the correlation is +{GROWTH_RANGE[1]}", st.note)
    ws.write_string(f"C{s + 1}", f"Yellow (Urgent) from {PARAMS['URGENT_MIN_PCT']:g}%; Red "
                    f"(Imminent) from {PARAMS['IMMINENT_MIN_PCT']:g}%", st.note)
    cal = CALIBRATION_FIRST_ROW
    w.header_row("Score", cal - 1, ("Calibration peer", "Published score", "", "Check"))
    ws.write_string(f"C{cal - 1}", "Roles this score is calibrated against", st.header)
    peers_role, peers_score = w.values["calibration_role"], w.values["calibration_score"]
    for i in range(CALIBRATION_ROWS):
        row = cal + i
        w.put_input(Cell("Score", f"A{row}", "input", None, fmt="text"),
                    peers_role[i] if i < len(peers_role) else None)
        w.put_input(Cell("Score", f"B{row}", "input", None, fmt="score"),
                    peers_score[i] if i < len(peers_score) else None)
    w.validate(by_name["calibration_score"])
    w.put_formulas("Score", fmt="check", columns="D")
    print_setup(ws, f"A1:D{cal + CALIBRATION_ROWS - 1}", landscape=True)


def build_parameters(w: Writer) -> None:
    ws, st, by_name = w.sheets["Parameters"], w.styles, w.lay.by_name
    w.heading("Parameters", f"Method parameters ({METHOD})",
              "The method's constants. Every formula refers to these names; they are locked "
              "and the verifier checks them.", 5)
    for col, width in {"A": 26, "B": 12, "C": 22, "D": 9, "E": 80}.items():
        ws.set_column(f"{col}:{col}", width)
    w.header_row("Parameters", PARAM_FIRST_ROW - 1, ("Name", "Value", "Unit", "Tag",
                                                     "Description"))
    for i, p in enumerate(PARAMETERS):
        row = PARAM_FIRST_ROW + i
        cell = by_name[p.name]
        ws.write_string(f"A{row}", p.name, st.label)
        ws.write_number(cell.ref, p.value, st.cell("parameter", cell.fmt))
        ws.write_string(f"C{row}", p.unit, st.plain)
        ws.write_string(f"D{row}", p.tag, st.plain)
        ws.write_string(f"E{row}", p.description, st.plain)
    ident = IDENTITY_ROW
    ws.write_string(f"A{ident}", "method", st.label)
    ws.write_string(f"B{ident}", METHOD, st.cell("identity", "text", bold=True))
    ws.write_string(f"A{ident + 1}", "template_version", st.label)
    ws.write_string(f"B{ident + 1}", TEMPLATE_VERSION, st.cell("identity", "text", bold=True))
    status = STATUS_FIRST_ROW
    w.header_row("Parameters", status - 1, ("Input status", "Complete", "", "", ""))
    for i, (name, label, _) in enumerate(STATUS_ROWS):
        w.label("Parameters", f"A{status + i}", label)
        w.put_formula(by_name[name])
    print_setup(ws, f"A1:E{status + len(STATUS_ROWS) - 1}", landscape=True,
                repeat=PARAM_FIRST_ROW - 1)
