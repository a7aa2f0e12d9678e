"""The house format's grammar: its sections, labels and tables, and the first passes
of reading (classify lines, group table rows into tables, parse numbers), with the
reading state that later passes fill (:class:`ReportText`).

The readers of each block are :mod:`aijri_xl.house.reader` (inputs) and
:mod:`aijri_xl.house.stated_reader` (stated figures).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from aijri_xl._record import dataclass, field
from aijri_xl.method.excel_math import percent_to_fraction
from aijri_xl.method.findings import Finding, Place, Where
from aijri_xl.method.loaded import StatedFigure

# ---------------------------------------------------------------------------------------
# The house format, as tables. Headings and labels are matched on their "key": lower-case
# letters and digits only, so "## **What the Numbers Don’t Capture**" and "What the
# Numbers Don't Capture" are the same heading.

SECTIONS: tuple[tuple[str, str, str], ...] = (
    # (section key, title as the house format writes it, pattern its key fullmatches)
    ("role", "Role Definition", r"roledefinition.*"),
    ("protective", "Protective Principles + AI Growth Correlation", r"protectiveprinciples.*"),
    ("tasks", "Task Decomposition (Agentic AI Scoring)", r"taskdecomposition.*"),
    ("evidence", "Evidence Score", r"evidence(scores?|assessment)?"),
    ("barriers", "Barrier Assessment", r"barriers?(assessment)?"),
    ("growth_check", "AI Growth Correlation Check", r"(ai)?growth(correlation)?check"),
    ("composite", "JobZone Composite Score (AIJRI)", r"(jobzone)?compositescore.*"),
    ("sub_label", "Sub-Label Determination", r"sublabel(determination)?"),
    ("commentary", "Assessor Commentary", r"(assessor)?commentary"),
    ("score_vs_reality", "Score vs Reality Check", r"scorevsreality(check)?"),
    ("numbers_dont_capture", "What the Numbers Don't Capture", r"whatthenumbersdontcapture"),
    ("who_should_worry", "Who Should Worry (and Who Shouldn't)", r"whoshouldworry.*"),
    ("what_this_means", "What This Means", r"whatthismeans"),
    ("survival_strategy", "Survival strategy", r"survivalstrateg(y|ies)"),
    ("timeline", "Timeline", r"timeline"),
)
SECTION_TITLES: dict[str, str] = {key: title for key, title, _ in SECTIONS}

LABELS: tuple[tuple[str, str], ...] = (
    # (label key, pattern the label's key fullmatches) for "Label: value" lines
    ("seniority_note", r"senioritynotes?"),
    ("quick_screen", r"quickscreen(result)?"),
    ("task_resistance", r"taskresistancescore(trs)?|trs"),
    ("split", r"(displacementaugmentation|augmentationdisplacement)?split"),
    ("reinstatement", r"reinstatementcheck.*"),
    ("reframed", r"reframedquestion"),
    ("evidence_modifier", r"evidencemodifier"),
    ("barrier_modifier", r"barriermodifier"),
    ("growth_modifier", r"growthmodifier"),
    ("raw", r"raw(score)?"),
    ("score", r"jobzonescore(aijri)?"),
    ("final_score", r"final(jobzone)?score"),
    ("zone", r"zone"),
    ("sub_label", r"sublabel"),
    ("pct_time_score_3plus", r"(oftasktime|tasktime|time)?scoring3(plus)?|p3"),
    ("pct_time_score_4plus", r"(oftasktime|tasktime|time)?scoring4(plus)?|p4"),
    ("growth_correlation", r"(ai)?growthcorrelation"),
    ("override", r"(assessor)?override"),
    ("survival_strategy", r"survivalstrateg(y|ies)"),
    ("timeline", r"timeline"),
    ("method", r"method(version)?"),
    ("calibration", r"calibration(peers)?"),
    ("growth_check", r"(ai)?growth(correlation)?check"),
)

# Labels whose value is a figure the report states (read by _read_figures).
FIGURE_LABELS = frozenset({
    "quick_screen", "task_resistance", "split", "evidence_modifier", "barrier_modifier",
    "growth_modifier", "raw", "score", "final_score", "zone", "sub_label",
    "pct_time_score_3plus", "pct_time_score_4plus",
})
# Tables whose rows are "label | value" figures rather than inputs.
FIGURE_TABLE_SECTIONS = frozenset({"composite", "sub_label"})

REQUIRED_TABLES: tuple[tuple[str, str], ...] = (
    # (section key, pattern the key of the table's first header cell fullmatches)
    ("role", r"field|item"),
    ("protective", r"principles?"),
    ("tasks", r"tasks?(name)?"),
    ("evidence", r"dimensions?"),
    ("barriers", r"barriers?"),
)
MIN_BLOCKS_FOR_A_REPORT = 2
"""A text with fewer of the required tables than this is not a report at all."""

COMMENTARY_KEYS = ("score_vs_reality", "numbers_dont_capture", "who_should_worry",
                   "what_this_means", "survival_strategy", "timeline")
NO_OVERRIDE = frozenset({"none", "no", "na", "nil", "n/a", "-", "—"})
DASHES = "−–—"

_BOLD = re.compile(r"^(?:\*\*|__|`)+|(?:\*\*|__|`)+$")
_LABEL_LINE = re.compile(
    r"^(?:\*\*|__)?([A-Za-z%][^:*|]{0,60}?)\s*(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(.*)$")
_NUMBER = re.compile(r"[+-]?\d+(?:\.(\d+))?")
_DENOMINATOR = re.compile(r"/\d+(?:\.\d+)?$")
_SEPARATOR_CELL = re.compile(r":?-+:?")
_PEER_WORD = r"[A-Z][\w/&+'’-]*"
PEER = re.compile(rf"({_PEER_WORD}(?:\s+(?:(?:of|for|the|and|in|on|&)\s+)?{_PEER_WORD})*)"
                   r"\s*\(\s*(\d+(?:\.\d+)?)\s*\)")
GROWTH_CHECK = re.compile(
    r"\b(?:confirmed|revised|adjusted|corrected|changed|set|kept|remains?)\s+(?:at|to)\s+(\S+)",
    re.IGNORECASE)


def key_of(text: str) -> str:
    """The matching key of a heading, label or row name: lower-case letters and digits."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def unbold(text: str) -> str:
    return _BOLD.sub("", text.strip()).strip()


def slug(text: str | None) -> str:
    """A role id from a title or id, the one rule every part uses: ``HPC Developer`` →
    ``hpc-developer``, ``"GPU/HPC Cluster Engineer"`` → ``gpu-hpc-cluster-engineer``,
    ``"R&D Engineer"`` → ``r-and-d-engineer``; an id is its own slug."""
    if not text:
        return ""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.casefold().replace("&", " and ")).strip("-")


def match_key(key: str, table: tuple[tuple[str, str], ...]) -> str | None:
    return next((name for name, pattern in table if re.fullmatch(pattern, key)), None)


# ---------------------------------------------------------------------------------------
# Pass 1: lines


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the report: ``kind`` is heading, label, row, text or blank; ``key`` the
    section key (headings) or label key (labels); ``value`` the text after a label's
    colon; ``section`` the title of the section it sits in, as written."""

    no: int
    text: str
    kind: str
    key: str = ""
    value: str = ""
    section: str = ""

    @property
    def where(self) -> Place:
        return where(self.section, self.no)


BEFORE_FIRST_SECTION = "(before the first section)"
"""The section name of lines that come before the first heading."""


def where(section: str, line: int | None = None) -> Place:
    return Place(section=section, line=line)


def classify(text: str) -> tuple[str, str, str]:
    """(kind, key, value) of one stripped line."""
    if not text:
        return "blank", "", ""
    if text.startswith("\\"):
        return "text", "", ""  # escaped: a text line that would read as layout
    if text.startswith("|"):
        return "row", "", ""
    bare = text.lstrip("#").strip()
    label = _LABEL_LINE.match(bare)
    if label:
        name = match_key(key_of(label.group(1)), LABELS)
        if name is not None:
            return "label", name, label.group(2).strip()
    heading = unbold(bare).rstrip(":").strip()
    if len(heading) <= 80 and not heading.endswith(".") and ":" not in heading:
        section = match_key(key_of(heading), tuple((k, p) for k, _, p in SECTIONS))
        if section is not None:
            return "heading", section, heading
    return "text", "", ""


def scan(text: str) -> list[Line]:
    """Every line, classified, with the section it sits in. Line numbers are 1-based and
    count ``\\n`` only, as editors do."""
    lines: list[Line] = []
    section = BEFORE_FIRST_SECTION
    for no, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        kind, key, value = classify(stripped)
        if kind == "heading":
            section = value
        lines.append(Line(no, stripped, kind, key, value, section))
    return lines


_TAG_START = re.compile(r"(\\*)<(?=[A-Za-z/!?])")
_ESCAPED_TAG_START = re.compile(r"(\\+)<(?=[A-Za-z/!?])")


def escape_inline(text: str) -> str:
    """Text with every ``<`` that Markdown would take for raw HTML (``<`` before a letter,
    ``/``, ``!`` or ``?``) written ``\\<``, the backslashes before it doubled: a page in the
    house format never renders a tag from an assessment's text. ``<25`` stays as it is."""
    return _TAG_START.sub(lambda m: "\\" * (2 * len(m.group(1)) + 1) + "<", text)


def unescape_inline(text: str) -> str:
    """The inverse of :func:`escape_inline` (an even run of backslashes, which it never
    writes, is left as it is)."""
    def one(m: re.Match[str]) -> str:
        run = len(m.group(1))
        return m.group(0) if run % 2 == 0 else "\\" * (run // 2) + "<"

    return _ESCAPED_TAG_START.sub(one, text)


def unescape_line(text: str) -> str:
    """A text line as the writer meant it: its leading ``\\`` escape dropped, then the
    escapes of :func:`escape_inline` resolved."""
    return unescape_inline(text[1:] if text.startswith("\\") else text)


def block_text(lines: list[Line], start: int, first: str = "") -> tuple[str, list[Line]]:
    """The text that belongs to the heading or label at ``start``: ``first`` (a label's
    value) and the text lines after it, up to the next heading, label or table. Lines are
    joined with a newline, each kept as written except that a leading ``\\`` (the
    writer's escape for a line that would read as layout) is dropped; blank lines between
    text lines are kept, blank lines around the text are layout."""
    parts = [unescape_inline(first)] if first else []
    used: list[Line] = []
    blanks = 0
    for line in lines[start + 1:]:
        if line.kind in ("heading", "label", "row"):
            break
        if line.kind == "blank":
            blanks += 1 if parts else 0
            continue
        parts += [""] * blanks
        blanks = 0
        parts.append(unescape_line(line.text))
        used.append(line)
    return "\n".join(parts), used


# ---------------------------------------------------------------------------------------
# Pass 2: tables


@dataclass(frozen=True, slots=True)
class Row:
    """A table row: its cells as read (escapes resolved) and as written (``raw``)."""

    cells: tuple[str, ...]
    line: Line
    raw: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return key_of(self.cells[0]) if self.cells else ""

    def cell(self, index: int | None) -> str:
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index]


@dataclass(frozen=True, slots=True)
class Table:
    header: Row
    rows: tuple[Row, ...]

    @property
    def section(self) -> str:
        return self.header.line.section

    def column(self, pattern: str, default: int | None, taken: tuple[int, ...] = ()) -> int | None:
        """The first header column whose key matches ``pattern`` (searched, not anchored)."""
        for i, cell in enumerate(self.header.cells):
            if i not in taken and re.search(pattern, key_of(cell)):
                return i
        return default


_CELL_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])|<br>")
"""In a cell, as in Markdown, ``\\`` before ASCII punctuation makes it literal (``\\|``,
``\\\\``, ``\\*``); ``<br>`` is a line break."""


def unescape_cell(text: str) -> str:
    return _CELL_ESCAPE.sub(lambda m: m.group(1) if m.group(1) is not None else "\n", text)


def _raw_cells(text: str) -> tuple[str, ...]:
    inner = text.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return tuple(c.strip() for c in re.split(r"(?<!\\)\|", inner))


def tables(lines: list[Line]) -> list[Table]:
    """Runs of table rows, separator rows dropped; the first row is the header."""
    out: list[Table] = []
    run: list[Row] = []
    for line in [*lines, Line(0, "", "blank")]:
        if line.kind == "row":
            raw = _raw_cells(line.text)
            if not all(_SEPARATOR_CELL.fullmatch(c) for c in raw if c) or not any(raw):
                run.append(Row(tuple(unescape_cell(c) for c in raw), line, raw))
            continue
        if run:
            out.append(Table(run[0], tuple(_fit(r, len(run[0].cells)) for r in run[1:])))
            run = []
    return out


def _fit(row: Row, width: int) -> Row:
    """A row with more cells than its header had a ``|`` in its last cell's text."""
    if len(row.cells) <= width or width < 1:
        return row
    raw = (*row.raw[:width - 1], " | ".join(row.raw[width - 1:]))
    return Row(tuple(unescape_cell(c) for c in raw), row.line, raw)


# ---------------------------------------------------------------------------------------
# Numbers


@dataclass(frozen=True, slots=True)
class Number:
    value: Decimal
    decimals: int
    text: str
    percent: bool

    @property
    def figure(self) -> int | float:
        return int(self.value) if self.decimals == 0 else float(self.value)


def parse_number(text: str) -> Number | None:
    """A number as the house format writes it: spacing, ``**``, a ``−``/``–`` sign, a
    ``+``, one trailing ``/9``-style denominator and one ``%`` are layout. Anything else
    (``25%%``, ``4.7.250``, ``abc``) is not a number."""
    written = unbold(text)
    s = re.sub(r"\s+", "", written)
    if s[:1] in DASHES:
        s = "-" + s[1:]
    s = _DENOMINATOR.sub("", s)
    percent = s.endswith("%")
    s = s.removesuffix("%")
    m = _NUMBER.fullmatch(s)
    if m is None:
        return None
    # The figure as written, less layout: "3.75/5.0" states 3.75, "+1" states +1.
    shown = _DENOMINATOR.sub("", re.sub(r"\s+", "", written))
    return Number(Decimal(s), len(m.group(1) or ""), shown, percent)


def first_token(text: str) -> str:
    """The figure at the start of a formula's right-hand side: ``52.8/100`` of
    ``52.8/100 (rounded)``; a closing full stop is punctuation."""
    s = unbold(text)
    s = re.sub(r"\s*/\s*", "/", s)
    s = re.sub(r"^([+\-−–])\s+", r"\1", s)
    s = re.sub(r"(\d)\s+%", r"\1%", s)
    token = s.split()[0] if s.split() else ""
    return token.rstrip(".,;")


# ---------------------------------------------------------------------------------------
# Pass 3: reading


@dataclass(slots=True)
class ReportText:
    """Reading state: the scanned lines and tables, and what reading found."""

    lines: list[Line]
    tables: list[Table]
    findings: list[Finding] = field(default_factory=list)
    stated: list[StatedFigure] = field(default_factory=list)
    where_of_field: dict[str, Where] = field(default_factory=dict)

    # -- finding helpers

    def bad(self, code: str, message: str, place: Where, path: str | None = None,
            **kw: Any) -> None:
        self.findings.append(Finding(code, message, where=place, field=path, **kw))

    def locate(self, path: str, place: Where) -> None:
        self.where_of_field.setdefault(path, place)

    # -- lookups

    def heading(self, key: str) -> Line | None:
        return next((ln for ln in self.lines if ln.kind == "heading" and ln.key == key), None)

    def labels(self, key: str) -> Iterator[tuple[int, Line]]:
        return ((i, ln) for i, ln in enumerate(self.lines)
                if ln.kind == "label" and ln.key == key)

    def table(self, section_key: str, first_header: str) -> Table | None:
        """The section's table whose first header cell matches; failing that (a heading
        missing or renamed), any table with that header."""
        heading = self.heading(section_key)
        matching = [t for t in self.tables if t.header.cells
                    and re.fullmatch(first_header, key_of(t.header.cells[0]))]
        if heading is not None:
            inside = [t for t in matching if t.section == heading.value]
            if inside:
                return inside[0]
        return matching[0] if matching else None

    def missing_section(self, section_key: str, what: str, path: str,
                        inputs: tuple[str, ...] = ()) -> None:
        """One finding for a missing table; the rules' findings on the ``inputs`` it
        would have held are placed at the same section."""
        title = SECTION_TITLES[section_key]
        heading = self.heading(section_key)
        place = heading.where if heading else where(title).text + " (not found)"
        self.bad("AIJ-F204", f'the report has no "{title}" table ({what})', place, path)
        for name in (path, *inputs):
            self.locate(name, place)

    # -- typed values

    def integer(self, text: str, path: str, place: Where, what: str) -> int | None:
        """A whole number input; blank is missing (the rules report it), anything else
        that is not a whole number is a finding and reads as missing."""
        if not text.strip():
            return None
        number = parse_number(text)
        if number is None or number.percent or number.value != number.value.to_integral_value():
            self.bad("AIJ-E002", f"{what} must be a whole number, found {text.strip()!r}",
                     place, path, expected="integer", actual=text.strip())
            return None
        return int(number.value)

    def percent(self, text: str, path: str, place: Where, what: str) -> float | None:
        """A time share in percent (``25%`` or ``25``), as a fraction."""
        if not text.strip():
            return None
        number = parse_number(text)
        if number is None:
            self.bad("AIJ-E002", f"{what} must be a percentage, found {text.strip()!r}",
                     place, path, expected="percent", actual=text.strip())
            return None
        return percent_to_fraction(str(number.value))

    def state(self, result_field: str, token: str, place: Where, *, percent: bool = False,
              integer: bool = False) -> None:
        """Record a figure the report states, or a finding if it is not a number."""
        number = parse_number(token)
        bad = (number is None or (number.percent and not percent)
               or (integer and number.value != number.value.to_integral_value()))
        if number is None or bad:
            kind = "a whole number" if integer else "a number"
            written = token.strip() or "(blank)"
            self.bad("AIJ-E002", f"{result_field}: the stated figure {written!r} is not {kind}",
                     place, result_field, actual=token.strip())
            return
        self.stated.append(StatedFigure.at(result_field, number.figure, place,
                                           number.decimals, number.text))

    def state_text(self, result_field: str, value: str, place: Where, written: str) -> None:
        self.stated.append(StatedFigure.at(result_field, value, place, None, written))
