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

# Named colours: every colour a writer uses is one of these (or a zone, verdict or score
# colour above); none is typed where it is used.
ACCELERATED_GREEN = "#2E5E04"
ALERT = "#C00000"
BLACK = "#000000"
COMMENT_FILL = "#ffffe1"
DARK = "#404040"
DELETED_FILL = "#ffebe9"
FRAME = "#BFBFBF"
GRADUAL_RED = "#E06666"
GRIDLINE = "#E0E0E0"
HIGHLIGHT_FILL = "#DDEBF7"
INSERTED_FILL = "#dafbe1"
IMMINENT_RED = "#8B0000"
INK = "#262626"
INPUT_BORDER = "#BF9000"
LINK = "#0563C1"
MODERATE_YELLOW = "#F2CD4A"
NOT_VERIFIED_GREY = "#7F7F7F"
OK_FILL = "#E2EFDA"
OK_FONT = "#375623"
PROBLEM_FILL = "#FFC7CE"
PROBLEM_FONT = "#9C0006"
RULE = "#D9D9D9"
SHADE = "#F2F2F2"
STABLE_GREEN = "#8AB833"
TRANSFORMING_GREEN = "#4E9A06"
URGENT_YELLOW = "#C99A00"
WARNING_FILL = "#FCE4D6"
WARNING_FONT = "#833C0B"
WHITE = "#FFFFFF"
PAGE_COLOURS = {"page_ink": "#1f2328", "page_muted": "#57606a", "page_rule": "#d0d7de",
                "page_shade": "#f6f8fa"}
"""The published HTML page's text, secondary text, rules and shading."""
