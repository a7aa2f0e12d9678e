"""The input sheets whose layout is a list: Role, Protective, Evidence, Barriers and
Commentary (each with its check line in row 3 and a Check column beside the inputs)."""

from __future__ import annotations

from aijri_xl.method.parameters import BARRIERS, EVIDENCE, PROTECTIVE
from aijri_xl.workbook.layout import (
    BLOCK_FIRST_ROW,
    COMMENTARY_FIRST_ROW,
    COMMENTARY_ROWS,
    ROLE_FIRST_ROW,
    ROLE_ROWS,
)
from aijri_xl.workbook.sheets.common import Writer, print_setup, text_height

CHECK_WIDTH = 34


def build_role(w: Writer) -> None:
    ws = w.sheets["Role"]
    w.heading("Role", "Role Definition", "Describe the role being scored. Only the job "
              "title is required; the rest documents the assessment.", 3)
    ws.set_column("A:A", 30)
    ws.set_column("B:B", 90)
    ws.set_column("C:C", CHECK_WIDTH)
    w.check_line("Role")
    w.header_row("Role", ROLE_FIRST_ROW - 1, ("Field", "Value", "Check"))
    by_name = w.lay.by_name
    for i, (name, label, _) in enumerate(ROLE_ROWS):
        row = ROLE_FIRST_ROW + i
        w.label("Role", f"A{row}", label)
        value = w.values[name]
        w.put_input(by_name[name], value)
        if by_name[name].fmt == "longtext":
            ws.set_row(row - 1, text_height(value if isinstance(value, str) else None, 90,
                                             30))
    w.put_formulas("Role", fmt="check", columns="C")
    ws.freeze_panes(ROLE_FIRST_ROW - 1, 0)
    print_setup(ws, f"A1:C{ROLE_FIRST_ROW + len(ROLE_ROWS) - 1}", repeat=ROLE_FIRST_ROW - 1)


def _scored_block(w: Writer, sheet: str, dims: tuple, rationale_suffix: str,
                  headers: tuple[str, str, str]) -> int:
    ws = w.sheets[sheet]
    by_name = w.lay.by_name
    w.header_row(sheet, BLOCK_FIRST_ROW - 1, (*headers, "Check"))
    for i, d in enumerate(dims):
        row = BLOCK_FIRST_ROW + i
        w.label(sheet, f"A{row}", d.label)
        w.put_input(by_name[d.name], w.values[d.name])
        text = w.values[d.name + rationale_suffix]
        w.put_input(by_name[d.name + rationale_suffix], text)
        ws.set_row(row - 1, text_height(text, 80, 30))
    ws.set_column("A:A", 32)
    ws.set_column("B:B", 13)
    ws.set_column("C:C", 80)
    ws.set_column("D:D", CHECK_WIDTH)
    w.check_line(sheet)
    ws.freeze_panes(BLOCK_FIRST_ROW - 1, 0)
    return BLOCK_FIRST_ROW + len(dims)


def _checks(w: Writer, sheet: str, last_row: int) -> None:
    w.put_formulas(sheet, fmt="check", columns="D")


def build_protective(w: Writer) -> None:
    ws, by_name = w.sheets["Protective"], w.lay.by_name
    w.heading("Protective", "Protective Principles + AI Growth Correlation",
              "Score each principle 0 (none) to 3 (strong); the correlation -2 to +2. The "
              "quick screen is a first indication only: it never changes the score.", 4)
    total = _scored_block(w, "Protective", PROTECTIVE, "_rationale",
                          ("Principle", "Score (0-3)", "Rationale"))
    w.label("Protective", f"A{total}", "Protective Total")
    w.put_formula(by_name["protective_total"], fmt=w.styles.cell("result", "int", bold=True))
    ws.write_string(f"C{total}", "out of 9", w.styles.note)
    g = by_name["growth_correlation"]
    grow_row = int(g.ref[1:])
    w.header_row("Protective", grow_row - 1, ("AI growth", "Score (-2 to 2)", "Rationale",
                                              "Check"))
    w.label("Protective", g.ref.replace("B", "A"), "AI Growth Correlation")
    w.put_input(g, w.values["growth_correlation"])
    w.put_input(by_name["growth_rationale"], w.values["growth_rationale"])
    ws.set_row(grow_row - 1, text_height(w.values["growth_rationale"], 80, 30))
    q = by_name["quick_screen_total"]
    quick_row = int(q.ref[1:])
    w.label("Protective", f"A{quick_row}", "Quick screen total")
    w.put_formula(q)
    ws.write_string(f"C{quick_row}", "Protective total + growth correlation", w.styles.note)
    w.label("Protective", f"A{quick_row + 1}", "Quick screen result")
    band = by_name["quick_screen_band"]
    ws.merge_range(f"{band.ref}:C{quick_row + 1}", None,
                   w.styles.cell("result", "text", bold=True))
    w.put_formula(band, fmt=w.styles.cell("result", "text", bold=True))
    c = by_name["growth_check"]
    check_row = int(c.ref[1:])
    w.header_row("Protective", check_row - 1,
                 ("AI Growth Correlation Check", "Confirmed", "After the task analysis",
                  "Check"))
    w.label("Protective", f"A{check_row}", "Growth check")
    w.put_input(c, w.values["growth_check"])
    w.put_input(by_name["growth_check_rationale"], w.values["growth_check_rationale"])
    ws.set_row(check_row - 1, text_height(w.values["growth_check_rationale"], 80, 30))
    _checks(w, "Protective", check_row)
    print_setup(ws, f"A1:D{check_row}")


def build_scored_sheet(w: Writer, sheet: str, dims: tuple, suffix: str, title: str,
                       subtitle: str, headers: tuple[str, str, str], total_name: str,
                       ready_note: str) -> None:
    ws, by_name = w.sheets[sheet], w.lay.by_name
    w.heading(sheet, title, subtitle, 4)
    total = _scored_block(w, sheet, dims, suffix, headers)
    w.label(sheet, f"A{total}", "Total")
    w.put_formula(by_name[total_name], fmt=w.styles.cell("result", "int", bold=True))
    ws.write_string(f"C{total}", ready_note, w.styles.note)
    _checks(w, sheet, total - 1)
    print_setup(ws, f"A1:D{total}")


def build_evidence(w: Writer) -> None:
    build_scored_sheet(w, "Evidence", EVIDENCE, "_text", "Evidence Score",
                       "Score what the market shows, -2 (strong decline) to +2 (strong "
                       "growth), and cite the evidence.",
                       ("Dimension", "Score (-2 to 2)", "Evidence"), "evidence_total",
                       "-10 to 10; evidence modifier = 1 + total x EVIDENCE_WEIGHT")


def build_barriers(w: Writer) -> None:
    build_scored_sheet(w, "Barriers", BARRIERS, "_rationale", "Barrier Assessment",
                       "Score each barrier 0 (none) to 2 (strong). Reframed question: what "
                       "prevents AI execution even when programmatically possible?",
                       ("Barrier", "Score (0-2)", "Rationale"), "barrier_total",
                       "0 to 10; barrier modifier = 1 + total x BARRIER_WEIGHT")


def build_commentary(w: Writer) -> None:
    ws, by_name = w.sheets["Commentary"], w.lay.by_name
    w.heading("Commentary", "Assessor Commentary",
              "What the numbers mean for people in the role. Free text; it never changes "
              "the score. Row 3 repeats the workbook's status.", 2)
    ws.set_column("A:A", 30)
    ws.set_column("B:B", 110)
    w.check_line("Commentary")
    w.header_row("Commentary", COMMENTARY_FIRST_ROW - 1, ("Section", "Text"))
    for i, (name, label) in enumerate(COMMENTARY_ROWS):
        row = COMMENTARY_FIRST_ROW + i
        w.label("Commentary", f"A{row}", label)
        text = w.values[name]
        w.put_input(by_name[name], text)
        ws.set_row(row - 1, text_height(text, 110, 45))
    ws.freeze_panes(COMMENTARY_FIRST_ROW - 1, 0)
    last = COMMENTARY_FIRST_ROW + len(COMMENTARY_ROWS) - 1
    print_setup(ws, f"A1:B{last}", repeat=COMMENTARY_FIRST_ROW - 1)
