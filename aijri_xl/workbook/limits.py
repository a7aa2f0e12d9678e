"""Every limit the bounded reader and the verifier apply to a submitted workbook, in one place.

An assessment workbook is small and its shape is fixed by the contract (nine sheets, a task
table of 25 rows or a few more, about 2,000 cells, 40 KB zipped). Each limit below is sized
from that shape with a wide margin, so a genuine workbook is never near one, while a file
built to exhaust the machine is refused before the work it asks for is done. The reader, the
package checks, the display checks and the independent evaluation all import them from here.
"""

from __future__ import annotations

# --- Excel's grid ----------------------------------------------------------------------
MAX_ROW, MAX_COL = 1_048_576, 16_384
"""Excel's last row and column: a reference, a range or a cell beyond them is not Excel's."""

# --- the zip container -----------------------------------------------------------------
MAX_FILE_BYTES = 64 * 1024 * 1024
"""A submitted file larger than this is refused unread (an assessment is ~40 KB)."""
MAX_ENTRIES = 2_000
"""Zip entries (parts, relationship files, folders)."""
MAX_ENTRY_BYTES = 64 * 1024 * 1024
"""The inflated size of any one entry."""
MAX_TOTAL_BYTES = 256 * 1024 * 1024
"""The inflated size of all entries together."""
MAX_RATIO = 200
"""Inflated over compressed size, for entries over 1 MiB. Real parts compress 5-20x."""
COMPRESSION_METHODS = {0: "stored", 8: "deflate"}
"""The compression methods Excel reads; any other is refused."""

# --- the XML parts the verifier parses --------------------------------------------------
MAX_PART_BYTES = 16 * 1024 * 1024
"""The inflated size of a part the verifier parses (sheets, workbook, strings, styles)."""
MAX_ELEMENTS = {
    # part kind -> at most this many XML elements, counted as the part is parsed (it is
    # streamed: refused at the first element past the bound, so the parser never builds more)
    "worksheet": 60_000,
    "workbook": 6_000,
    "sharedStrings": 40_000,
    "styles": 20_000,
    "relationships": 2_000,
    "contentTypes": 2_000,
    "properties": 2_000,
    # an .ods keeps every sheet in content.xml, with its automatic styles
    "odsContent": 240_000,
    "odsManifest": 2_000,
    "odsMeta": 2_000,
}
MAX_DEPTH = 128
"""Nesting of XML elements in any part (SpreadsheetML nests about a dozen deep; an .ods's
text spans and row groups are bounded at 100 by its reader)."""
MAX_TEXT_CHARS = 256 * 1024
"""Characters of any one text in a part (a cell's value or formula, a string item, a defined
name: checked as the stretch between two tags) and of any one piece of markup the parser
holds whole (a tag, a comment): a cell holds at most 32,767, each at most 7 as Excel escapes
it (``_x000B_``)."""
MAX_CELLS = 40_000
"""Cells over all sheets read; an assessment workbook has under 2,000."""
MAX_SHARED_STRINGS = 10_000
"""Entries of the shared string table (each cell of text is one at most)."""
MAX_DEFINED_NAMES = 1_000
"""Defined names; the contract has about 120."""
MAX_NAME_CELLS = 5_000
"""Cells one input name may cover when it is read (a column of task rows is ~25)."""
MAX_TASK_ROWS = 500
"""The task table's rows; the ``Total`` label further down is not an assessment's."""
MAX_FORMULA_CHARS = 8_192
"""Excel's own limit on a formula's length."""
MAX_FORMULA_TEXT = 1_000_000
"""Characters of formula text in the whole workbook (the template has about 20,000)."""
MAX_STYLES = 10_000
"""Cell formats (``cellXfs``), fonts, fills and number formats, each."""
MAX_CONDITIONAL_RULES = 500
"""Conditional formatting rules over all sheets."""
MAX_CONDITIONAL_AREAS = 5_000
"""Ranges the conditional formats of one sheet cover, summed over their ``sqref`` lists
(the template's cover one each, about 20 on its busiest sheet)."""

# --- the independent evaluation ---------------------------------------------------------
EVAL_TIME_MS = 2_000
"""Wall time formualizer may spend evaluating one workbook's formulas."""
EVAL_WORK_UNITS = 2_000_000
"""formualizer's work units for one evaluation (a genuine workbook needs ~10,000)."""
EVAL_RANGE_CELLS = 100_000
"""The largest range formualizer expands for one reference."""
EVAL_FORMULA_CELLS = 2_000
"""Cells one template formula may refer to, all its ranges together (the template's
largest refers to about 125)."""
EVAL_TOTAL_CELLS = 50_000
"""Cells all the template's formulas may refer to together (the template: about 3,000)."""
EVAL_PREPARED_CHARS = 16_384
"""A formula's length once its defined names are replaced by their targets (the template's
longest: about 1,300), so names whose targets repeat other names cannot multiply it."""
EVAL_ARRAY_CELLS = 20_000
"""Cells of the largest array one formula may build: the most rows of its ranges times
their most columns (a column and a row in one expression broadcast to their product; the
template's largest is a column of 26)."""
EVAL_TOTAL_ARRAY_CELLS = 200_000
"""Those arrays' cells over all the formulas evaluated (the template's: under 1,000)."""
EVAL_TEXT_CHARS = 4_000_000
"""Characters of text in the cells the evaluated formulas read, given to formualizer (the
template's read a few dozen cells of text a few words long; Excel holds at most 32,767
characters in one)."""
EVAL_BUILT_TEXT = 16_000_000
"""Characters of text the evaluated formulas could build, bounded before they run: over
every formula, its array's cells times the longest text one of them can hold (the longest
text read or written in a formula, times the pieces ``&`` joins, through every formula it
reads). The template's, for a workbook of short texts: under 100,000."""
