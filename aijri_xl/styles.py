"""Colours and number formats, one set for every file the package writes: assessment
workbooks, audit reports, registers and published pages.

Zones and verdicts use Excel's good / neutral / bad cell styles; task scores 1 (not
involved) to 5 (displaced) run from green to red.
"""

from __future__ import annotations

INPUT_FILL, HEADER_FILL, RESULT_FILL, NOTE_COLOUR = "#FFF2CC", "#1F3864", "#EEF3FA", "#595959"
ZONE_STYLES: dict[str, tuple[str, str]] = {
    # zone: (fill, text)
    "GREEN": ("#C6EFCE", "#006100"), "YELLOW": ("#FFEB9C", "#9C5700"),
    "RED": ("#FFC7CE", "#9C0006"),
}
VERDICT_ZONES = {"PASS": "GREEN", "WARN": "YELLOW", "FAIL": "RED"}
"""A verifier's verdict is shown in the colours of a zone."""
VERDICT_STYLES = {verdict: ZONE_STYLES[zone] for verdict, zone in VERDICT_ZONES.items()}
SCORE_BAR_COLOURS = ("#4E9A06", "#8AB833", "#E0B400", "#E07000", "#C00000")
"""Bar colours for task scores 1 to 5."""
NUMBER_FORMATS = {"int": "0", "pct": "0.0%", "num2": "0.00", "num4": "0.0000",
                  "score": "0.0", "date": "yyyy-mm-dd", "text": "@", "longtext": "@",
                  "bool": "General", "check": '"OK";"OK";"OK";@'}
