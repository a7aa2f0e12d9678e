"""The About sheet, first in every workbook: what it is, how to fill it, the colour key,
what protection does, versions, and the attributions of any data it shows."""

from __future__ import annotations

from collections.abc import Sequence

from aijri_xl.method.parameters import METHOD, TEMPLATE_VERSION
from aijri_xl.workbook.sheets.common import Writer, print_setup, text_height

WHAT = ("An AIJRI assessment: how well a role holds up as AI agents take over work, scored "
        f"by the AI Job Resilience Index (method {METHOD}). It ends in a JobZone score from "
        "0 to 100, a zone (GREEN, YELLOW or RED) and a sub-label. Every result is a formula "
        "in this workbook; nothing needs a macro or an add-in.")
HOW = (
    "Type only into the yellow cells, sheet by sheet: Role, Protective, Tasks, Evidence, "
    "Barriers, Score (the override is optional), Commentary.",
    "Tasks: one row per task. Type the time share as a percentage (25%, or 0.25); the shares "
    "sum to 100%. Score each task 1 to 5 and choose its class from the list.",
    "Row 3 of every sheet is its check line: it names the first problem on that sheet. The "
    "Summary's Status names the first problem in the workbook and how many more; the "
    "Checks sheet lists every check with its sheet and cell.",
    "Results show as soon as their inputs are there, so you see the effect of each input; "
    "while a check fails they are marked PROVISIONAL. A result to publish needs Status: "
    "Complete.",
    "Numbers typed as text (a leading apostrophe, or pasted from another program) count "
    "as nothing in a spreadsheet: the checks name them; retype them as numbers.",
)
PROTECTION = ("The sheets are protected without a password. Protection prevents slips "
              "(typing over a formula or a parameter), not people: Review > Unprotect "
              "Sheet lifts it. If you insert a task row, copy a whole task row into it so "
              "that it gets the row's formulas; the checks report a row without them.")
KEY = (("input", "Yellow: an input you type"), ("result", "Grey: a formula result (locked)"),
       ("ok", "Green: a check holds (OK)"), ("problem", "Red: a check fails"),
       ("warning", "Orange: a warning (kept in the record, does not block)"),
       ("header", "Blue: a heading"))
NO_ATTRIBUTIONS = ("This workbook shows no third-party data: every task, score and text is "
                   "the assessor's own.")


def build_about(w: Writer, attributions: Sequence[str]) -> None:
    ws, st = w.sheets["About"], w.styles
    ws.set_column("A:A", 22)
    ws.set_column("B:B", 100)
    w.heading("About", "About this workbook", WHAT, 2)
    ws.set_row(1, 45)
    row = 4
    w.header_row("About", row, ("Section", "What"))
    for i, text in enumerate(HOW):
        row += 1
        w.label("About", f"A{row}", "How to fill it" if i == 0 else "")
        ws.write_string(f"B{row}", text, st.wrap)
        ws.set_row(row - 1, text_height(text, 100))
    row += 2
    w.header_row("About", row, ("Colour key", ""))
    for key, text in KEY:
        row += 1
        ws.write_string(f"A{row}", "", st.swatch[key])
        ws.write_string(f"B{row}", text, st.wrap)
    row += 2
    w.label("About", f"A{row}", "Protection")
    ws.write_string(f"B{row}", PROTECTION, st.wrap)
    ws.set_row(row - 1, text_height(PROTECTION, 100))
    row += 1
    w.label("About", f"A{row}", "Versions")
    versions = (f"Method {METHOD} (parameters on the Parameters sheet); workbook template "
                f"{TEMPLATE_VERSION}. Written by aijri_xl; `aijri verify` checks a filled "
                "workbook against the method.")
    ws.write_string(f"B{row}", versions, st.wrap)
    ws.set_row(row - 1, text_height(versions, 100))
    for i, text in enumerate(attributions or (NO_ATTRIBUTIONS,)):
        row += 1
        w.label("About", f"A{row}", "Sources" if i == 0 else "")
        ws.write_string(f"B{row}", text, st.wrap)
        ws.set_row(row - 1, text_height(text, 100))
    print_setup(ws, f"A1:B{row}")
