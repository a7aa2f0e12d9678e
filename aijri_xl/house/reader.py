"""Reading a published AIJRI assessment (the "house format") into the model.

A published report (``shared/seeds/000_4d6eb753268fa0f0.txt``) is a run of sections, each
opened by a heading line and holding pipe tables and ``Label: value`` lines::

    Role Definition               | Field | Value |; Seniority note:
    Protective Principles + …     | Principle | Score | Rationale |; Quick screen result:
    Task Decomposition (…)        | Task | Time % | Score | Weighted | Aug/Disp | Rationale |;
                                  Task Resistance Score:; Displacement/Augmentation split:;
                                  Reinstatement check (Acemoglu):
    Evidence Score                | Dimension | Score | Evidence |
    Barrier Assessment            Reframed question:; | Barrier | Score | Rationale |
    AI Growth Correlation Check   "Confirmed at +1 from Step 1. …"
    JobZone Composite Score (…)   | Input | Value |; Raw:; JobZone Score:; Zone:
    Sub-Label Determination       | Metric | Value |; Assessor override:
    Assessor Commentary           Score vs Reality Check; What the Numbers Don't Capture;
                                  Who Should Worry …; What This Means; Survival strategy:;
                                  Timeline:

Reading goes in passes: classify every line (heading, label, table row, text, blank),
group table rows into tables, then read each input block and each stated figure.
Layout is read leniently (Markdown headings and bold, spacing, ``×``/``x``/``*``,
``−``/``–``/``-``, ``+1``, ``/9``-style denominators, ``%``); numbers strictly: anything
that would change a number becomes a finding naming its section and line, and the value
is read as missing. Nothing here raises on bad content.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from aijri_xl.method.codec import ROLE_FIELDS
from aijri_xl.method.excel_math import percent_to_fraction
from aijri_xl.method.findings import Finding
from aijri_xl.method.loaded import Loaded, StatedFigure
from aijri_xl.method.model import (
    Assessment,
    CalibrationPeer,
    Commentary,
    Growth,
    Override,
    RoleDefinition,
    Scored,
    Task,
)
from aijri_xl.method.parameters import (
    BARRIERS,
    EVIDENCE,
    METHOD,
    PROTECTIVE,
    QUICK_SCREEN_BANDS,
    TASK_CLASSES,
    ZONES,
    Dimension,
)

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
_PEER = re.compile(rf"({_PEER_WORD}(?:\s+(?:(?:of|for|the|and|in|on|&)\s+)?{_PEER_WORD})*)"
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


def _match_key(key: str, table: tuple[tuple[str, str], ...]) -> str | None:
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
    def where(self) -> str:
        return where(self.section, self.no)


def where(section: str, line: int | None = None) -> str:
    return f'section "{section}"' + (f", line {line}" if line is not None else "")


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
        name = _match_key(key_of(label.group(1)), LABELS)
        if name is not None:
            return "label", name, label.group(2).strip()
    heading = unbold(bare).rstrip(":").strip()
    if len(heading) <= 80 and not heading.endswith(".") and ":" not in heading:
        section = _match_key(key_of(heading), tuple((k, p) for k, _, p in SECTIONS))
        if section is not None:
            return "heading", section, heading
    return "text", "", ""


def scan(text: str) -> list[Line]:
    """Every line, classified, with the section it sits in. Line numbers are 1-based and
    count ``\\n`` only, as editors do."""
    lines: list[Line] = []
    section = "(before the first section)"
    for no, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        kind, key, value = classify(stripped)
        if kind == "heading":
            section = value
        lines.append(Line(no, stripped, kind, key, value, section))
    return lines


def unescape_line(text: str) -> str:
    """A text line as the writer meant it: its leading ``\\`` escape dropped."""
    return text[1:] if text.startswith("\\") else text


def block_text(lines: list[Line], start: int, first: str = "") -> tuple[str, list[Line]]:
    """The text that belongs to the heading or label at ``start``: ``first`` (a label's
    value) and the text lines after it, up to the next heading, label or table. Lines are
    joined with a newline, each kept as written except that a leading ``\\`` (the
    writer's escape for a line that would read as layout) is dropped; blank lines between
    text lines are kept, blank lines around the text are layout."""
    parts = [first] if first else []
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
class _Report:
    """Reading state: the scanned lines and tables, and what reading found."""

    lines: list[Line]
    tables: list[Table]
    findings: list[Finding] = field(default_factory=list)
    stated: list[StatedFigure] = field(default_factory=list)
    where_of_field: dict[str, str] = field(default_factory=dict)

    # -- finding helpers

    def bad(self, code: str, message: str, place: str, path: str | None = None,
            **kw: object) -> None:
        self.findings.append(Finding(code, message, where=place, field=path, **kw))

    def locate(self, path: str, place: str) -> None:
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
        place = heading.where if heading else where(title) + " (not found)"
        self.bad("AIJ-F204", f'the report has no "{title}" table ({what})', place, path)
        for name in (path, *inputs):
            self.locate(name, place)

    # -- typed values

    def integer(self, text: str, path: str, place: str, what: str) -> int | None:
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

    def percent(self, text: str, path: str, place: str, what: str) -> float | None:
        """A time share in percent (``25%`` or ``25``), as a fraction."""
        if not text.strip():
            return None
        number = parse_number(text)
        if number is None:
            self.bad("AIJ-E002", f"{what} must be a percentage, found {text.strip()!r}",
                     place, path, expected="percent", actual=text.strip())
            return None
        return percent_to_fraction(str(number.value))

    def state(self, result_field: str, token: str, place: str, *, percent: bool = False,
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
        self.stated.append(StatedFigure(result_field, number.figure, place, number.decimals,
                                        number.text))

    def state_text(self, result_field: str, value: str, place: str, written: str) -> None:
        self.stated.append(StatedFigure(result_field, value, place, None, written))


# ---------------------------------------------------------------------------------------
# Inputs


def _read_role(r: _Report, a: Assessment) -> None:
    table = r.table("role", r"field|item")
    labels = {key_of(label): attr for _, attr, label in ROLE_FIELDS}
    labels.update({"assessor": "assessor", "assessmentdate": "assessment_date",
                   "date": "assessment_date"})
    values: dict[str, str] = {}
    if table is None:
        r.missing_section("role", "Field | Value, with the Job Title", "role.title")
    else:
        r.locate("role.title", table.header.line.where)
        for row in table.rows:
            attr = labels.get(row.key)
            if attr is not None and attr not in values:
                values[attr] = row.cell(1)
                r.locate(f"role.{attr}", row.line.where)
        if not values.get("title"):
            r.bad("AIJ-F204", 'the "Role Definition" table has no Job Title row',
                  table.header.line.where, "role.title")
    for i, line in r.labels("seniority_note"):
        values.setdefault("seniority_note", block_text(r.lines, i, line.value)[0])
    a.assessor = values.pop("assessor", None) or None
    a.assessment_date = values.pop("assessment_date", None) or None
    a.role = RoleDefinition(**{k: v or None for k, v in values.items()})
    if a.role.id is None and a.role.title:
        a.role.id = slug(a.role.title)  # the report does not state it; files name roles so


def _read_scored(r: _Report, table: Table, block: str, dims: tuple[Dimension, ...],
                 text_pattern: str) -> tuple[dict[str, Scored], dict[str, Row]]:
    """A block of scored dimensions (protective, evidence, barriers). Returns the scores
    and the rows that are not dimensions (totals, the growth correlation)."""
    score_col = table.column(r"score", 1)
    text_col = table.column(text_pattern, 2, (0, score_col or 1))
    by_key: dict[str, Row] = {}
    for row in table.rows:
        by_key.setdefault(row.key, row)
    scored: dict[str, Scored] = {}
    for d in dims:
        path = f"{block}.{d.key}.score"
        row = by_key.pop(key_of(d.label), None) or by_key.pop(key_of(d.key), None)
        if row is None:
            place = table.header.line.where
            r.bad("AIJ-F204", f'the "{table.section}" table has no "{d.label}" row', place, path)
            r.locate(path, place)
            scored[d.key] = Scored()
            continue
        r.locate(path, row.line.where)
        score = r.integer(row.cell(score_col), path, row.line.where, f"{d.label} score")
        scored[d.key] = Scored(score, row.cell(text_col))
    return scored, by_key


def _score_paths(block: str, dims: tuple[Dimension, ...]) -> tuple[str, ...]:
    return tuple(f"{block}.{d.key}.score" for d in dims)


def _state_total(r: _Report, rows: dict[str, Row], result_field: str, col: int | None,
                 *names: str) -> None:
    for name in names:
        row = rows.get(name)
        if row is not None:
            token = row.cell(col) or next((c for c in row.cells[1:] if c), "")
            r.state(result_field, token, row.line.where, integer=True)
            return


def _read_protective(r: _Report, a: Assessment) -> None:
    table = r.table("protective", r"principles?")
    if table is None:
        r.missing_section("protective", "Principle | Score | Rationale, with the AI Growth "
                          "Correlation row", "protective",
                          (*_score_paths("protective", PROTECTIVE), "growth.correlation"))
        return
    a.protective, rest = _read_scored(r, table, "protective", PROTECTIVE, r"rationale|reason")
    score_col = table.column(r"score", 1)
    _state_total(r, rest, "protective_total", score_col, "protectivetotal", "total")
    growth = next((row for k, row in rest.items() if re.fullmatch(r"(ai)?growthcorrelation", k)),
                  None)
    if growth is None:
        r.bad("AIJ-F204", f'the "{table.section}" table has no "AI Growth Correlation" row',
              table.header.line.where, "growth.correlation")
        r.locate("growth.correlation", table.header.line.where)
        return
    r.locate("growth.correlation", growth.line.where)
    text_col = table.column(r"rationale|reason", 2, (0, score_col or 1))
    a.growth = Growth(r.integer(growth.cell(score_col), "growth.correlation", growth.line.where,
                                "AI growth correlation"), growth.cell(text_col))


def _task_class(text: str) -> str | None:
    canonical = " ".join(unbold(text).replace("_", " ").replace("-", " ").split()).upper()
    return canonical if canonical in TASK_CLASSES else None


def _read_tasks(r: _Report, a: Assessment) -> None:
    table = r.table("tasks", r"tasks?(name)?")
    if table is None:
        r.missing_section("tasks", "Task | Time % | Score | Weighted | Aug/Disp | Rationale",
                          "tasks")
        return
    cols = _task_columns(table)
    for row in table.rows:
        if row.key in ("total", "totals") and (len(row.cells) < len(table.header.cells)
                                               or not row.cell(cols["score"])):
            _read_task_total(r, table, row, cols)
            continue
        _read_task(r, a, row, cols)
    r.locate("tasks", table.header.line.where)


_WRAPPED = re.compile(r"(\*\*|__|`)(.*)\1", re.DOTALL)


def _task_name(raw: str) -> str:
    """A name cell wrapped in bold or code markup (``**name**``) is markup, not part of
    the name; escapes are resolved after that, so ``\\**x**`` is the name ``**x**``."""
    while (m := _WRAPPED.fullmatch(raw)) is not None:
        raw = m.group(2).strip()
    return unescape_cell(raw)


def _task_columns(table: Table) -> dict[str, int | None]:
    time = table.column(r"time|share|%", 1)
    score = table.column(r"^score|^s$", 2, (0, time or 1))
    weighted = table.column(r"weight", 3, (0, time or 1, score or 2))
    klass = table.column(r"aug|disp|class", 4, (0, time or 1, score or 2, weighted or 3))
    rationale = table.column(r"rationale|reason|note", 5)
    return {"time": time, "score": score, "weighted": weighted, "class": klass,
            "rationale": rationale}


def _read_task(r: _Report, a: Assessment, row: Row, cols: dict[str, int | None]) -> None:
    i = len(a.tasks)
    path = f"tasks[{i}]"
    place = row.line.where
    label = f"task {i + 1}" + (f" ({unbold(row.cell(0))!r})" if row.cell(0) else "")
    for part in ("name", "time", "score", "class"):
        r.locate(f"{path}.{part}", place)
    klass_text = row.cell(cols["class"])
    klass = _task_class(klass_text)
    if klass_text and klass is None:
        r.bad("AIJ-E010", f"{label}: class {klass_text!r} is not one of "
              + ", ".join(TASK_CLASSES), place, f"{path}.class",
              expected=" / ".join(TASK_CLASSES), actual=klass_text)
    a.tasks.append(Task(
        name=_task_name(row.raw[0] if row.raw else row.cell(0)),
        time=r.percent(row.cell(cols["time"]), f"{path}.time", place, f"{label}: time share"),
        score=r.integer(row.cell(cols["score"]), f"{path}.score", place, f"{label}: score"),
        task_class=klass,
        rationale=row.cell(cols["rationale"]),
    ))
    weighted = row.cell(cols["weighted"])
    if weighted:
        r.state(f"{path}.weighted", weighted, place)


def _read_task_total(r: _Report, table: Table, row: Row, cols: dict[str, int | None]) -> None:
    """The Total row: time total and weighted total. It is often shorter than the header
    (``| Total | 100% | 2.25 |``), so its cells are told apart by the ``%`` sign."""
    if len(row.cells) == len(table.header.cells):
        time, weighted = row.cell(cols["time"]), row.cell(cols["weighted"])
    else:
        cells = [c for c in row.cells[1:] if c]
        time = next((c for c in cells if c.rstrip().endswith("%")), "")
        weighted = next((c for c in reversed(cells) if c != time), "")
    if time:
        r.state("time_total", time, row.line.where, percent=True)
    if weighted:
        r.state("weighted_total", weighted, row.line.where)


def _read_evidence_and_barriers(r: _Report, a: Assessment) -> None:
    for block, section, header, dims, text_pattern, total in (
        ("evidence", "evidence", r"dimensions?", EVIDENCE, r"evidence|rationale",
         "evidence_total"),
        ("barriers", "barriers", r"barriers?", BARRIERS, r"rationale|reason", "barrier_total"),
    ):
        table = r.table(section, header)
        if table is None:
            r.missing_section(section, f"one row for each of {', '.join(d.label for d in dims)}",
                              block, _score_paths(block, dims))
            continue
        scored, rest = _read_scored(r, table, block, dims, text_pattern)
        setattr(a, block, scored)
        _state_total(r, rest, total, table.column(r"score", 1), "total",
                     f"{block.rstrip('s')}total")


def _read_growth_check(r: _Report, a: Assessment) -> None:
    heading = r.heading("growth_check")
    if heading is None:
        return
    index = r.lines.index(heading)
    text, used = block_text(r.lines, index)
    a.growth.check_rationale = text
    place = (used[0] if used else heading).where
    r.locate("growth.check", place)
    for _, line in r.labels("growth_check"):
        # "Growth check: +1" states the check on its own line (the writer adds it when
        # the text does not say "Confirmed at +1"); it wins over the text.
        r.locate("growth.check", line.where)
        if line.value.strip().lower() not in NO_OVERRIDE:
            a.growth.check = r.integer(line.value, "growth.check", line.where,
                                       "the growth check")
        return
    m = GROWTH_CHECK.search(text)
    if m is not None:
        a.growth.check = r.integer(m.group(1).rstrip(".,;:"), "growth.check", place,
                                   "the growth check")


def _read_override(r: _Report, a: Assessment) -> None:
    for i, line in r.labels("override"):
        text, _ = block_text(r.lines, i, line.value)
        r.locate("override.score", line.where)
        r.locate("override.justification", line.where)
        head, justification = _split_override(text)
        a.override = Override(None, justification)
        if head.lower() not in NO_OVERRIDE:
            number = parse_number(head)
            if number is None or number.percent:
                r.bad("AIJ-E002", f"the assessor override must be 'None' or a score, found "
                      f"{head!r}", line.where, "override.score", actual=head)
            else:
                a.override.score = float(number.value)
        a.calibration += named_peers(text)
        return


def _split_override(text: str) -> tuple[str, str]:
    """``None — formula score accepted. …`` → (``None``, ``formula score accepted. …``)."""
    m = re.match(r"^(.*?)\s*(?:[—–]|\s-{1,2}\s)\s*(.*)$", text, re.DOTALL)
    if m is None or not m.group(1).strip():
        parts = text.split(None, 1)
        head, rest = [*parts, "", ""][:2]
    else:
        head, rest = m.group(1), m.group(2)
    return unbold(head).rstrip(".,;:").strip(), rest.strip()


def named_peers(text: str) -> list[CalibrationPeer]:
    """Peer roles named with a parenthesised score: ``Compiler Engineer (51.6)``."""
    peers = []
    for m in _PEER.finditer(text):
        name = re.sub(r"^(?:The|A|An)\s+", "", m.group(1))
        peers.append(CalibrationPeer(name, float(m.group(2))))
    return peers


_LISTED_PEER = re.compile(r"\s*(.+?)\s*\(\s*(\d+(?:\.\d+)?)\s*\)\s*(?:[;,]\s*|\.?\s*$)",
                          re.DOTALL)


def listed_peers(text: str) -> list[CalibrationPeer] | None:
    """Peers listed on a ``Calibration peers:`` line: ``Compiler Engineer (51.6);
    Database Engineer (55.2)`` (``;`` or ``,`` between them); ``none`` for no peers.
    ``None`` when the text is not such a list."""
    if text.strip().lower() in NO_OVERRIDE:
        return []
    peers, at = [], 0
    while at < len(text):
        m = _LISTED_PEER.match(text, at)
        if m is None:
            return None
        peers.append(CalibrationPeer(m.group(1), float(m.group(2))))
        at = m.end()
    return peers


def _read_calibration(r: _Report, a: Assessment) -> None:
    """A ``Calibration peers:`` line lists the peers; it wins over the peers the override
    text names. A line that is not a plain list adds the peers it names."""
    for i, line in r.labels("calibration"):
        text = block_text(r.lines, i, line.value)[0]
        listed = listed_peers(text)
        if listed is not None:
            a.calibration = listed
            return
        known = {(p.role, p.score) for p in a.calibration}
        a.calibration += [p for p in named_peers(text) if (p.role, p.score) not in known]


def _read_texts(r: _Report, a: Assessment) -> None:
    """Free text: the reinstatement check, the method line and the commentary."""
    for i, line in r.labels("reinstatement"):
        a.reinstatement_check = block_text(r.lines, i, line.value)[0]
        break
    for _, line in r.labels("method"):
        if line.value:
            a.method = unbold(line.value)
        break
    texts: dict[str, str] = {}
    for i, line in enumerate(r.lines):
        if line.key in COMMENTARY_KEYS and line.kind in ("heading", "label"):
            first = line.value if line.kind == "label" else ""
            texts.setdefault(line.key, block_text(r.lines, i, first)[0])
    a.commentary = Commentary(**texts)


# ---------------------------------------------------------------------------------------
# Stated figures


def _figure_statements(r: _Report) -> Iterator[tuple[str, str, str]]:
    """(label key, value, where) of every labelled figure: ``Label: value`` lines and the
    rows of the composite and sub-label tables."""
    for line in r.lines:
        if line.kind == "label" and line.key in FIGURE_LABELS:
            yield line.key, line.value, line.where
    heading_keys = {ln.value: ln.key for ln in r.lines if ln.kind == "heading"}
    for table in r.tables:
        if heading_keys.get(table.section) not in FIGURE_TABLE_SECTIONS:
            continue
        for row in table.rows:
            name = _match_key(row.key, LABELS)
            if name in FIGURE_LABELS or name == "growth_correlation":
                yield name, row.cell(1), row.line.where


def _read_figures(r: _Report) -> None:
    handlers: dict[str, Callable[[_Report, str, str], None]] = {
        "quick_screen": _quick_screen, "task_resistance": _task_resistance, "split": _split,
        "evidence_modifier": _modifier("evidence_total", "evidence_modifier"),
        "barrier_modifier": _modifier("barrier_total", "barrier_modifier"),
        "growth_modifier": _modifier("growth_correlation", "growth_modifier"),
        "raw": _raw, "score": _score("score"), "final_score": _score("final_score"),
        "zone": _zone, "sub_label": _sub_label,
        "pct_time_score_3plus": _percent_figure("pct_time_score_3plus"),
        "pct_time_score_4plus": _percent_figure("pct_time_score_4plus"),
        "growth_correlation": _growth_figure,
    }
    for key, value, place in _figure_statements(r):
        handlers[key](r, value, place)


def _sides(value: str) -> tuple[str, str]:
    """A formula's two sides; a bare figure is all right-hand side."""
    if "=" not in value:
        return "", value
    lhs, rhs = value.rsplit("=", 1)
    return lhs.strip(), rhs.strip()


def _quick_screen(r: _Report, value: str, place: str) -> None:
    """``Protective 2/9 + Correlation +1 = Yellow-to-Green boundary.``"""
    lhs, rhs = _sides(value)
    m = re.search(r"protective\s*(.+?)\s*\+\s*(?:ai\s*growth\s*)?correlation\s*(.+)$", lhs,
                  re.IGNORECASE)
    if m is not None:
        r.state("protective_total", first_token(m.group(1)), place, integer=True)
        r.state("growth_correlation", first_token(m.group(2)), place, integer=True)
    total = re.match(r"^\s*([+\-−–]?\s*\d[\d.]*)\s*(?:[(—–:-]|\s|$)", rhs)
    if total is not None:
        r.state("quick_screen_total", total.group(1), place, integer=True)
        rhs = rhs[total.end():]
    written = unbold(rhs.strip(" ()—–-")).split(".")[0].strip(" ()")
    if not written:
        return
    band = next((b for b, _ in QUICK_SCREEN_BANDS if key_of(written).startswith(key_of(b))),
                written)
    r.state_text("quick_screen_band", band, place, written)


def _task_resistance(r: _Report, value: str, place: str) -> None:
    """``6.00 - 2.25 = 3.75/5.0`` or ``3.75/5.0``."""
    lhs, rhs = _sides(value)
    m = re.match(r"^(\S+?)\s*[-−–]\s*(\S+)$", lhs)
    if m is not None:
        r.state("weighted_total", m.group(2), place)
    r.state("task_resistance", first_token(rhs), place)


def _split(r: _Report, value: str, place: str) -> None:
    """``0% displacement, 90% augmentation, 10% not involved.``"""
    for result_field, word in (("split_displacement", r"displacement"),
                               ("split_augmentation", r"augmentation"),
                               ("split_not_involved", r"not[\s_-]*involved")):
        m = re.search(rf"(\S+?)\s*(%?)\s*{word}", value, re.IGNORECASE)
        if m is not None:
            r.state(result_field, m.group(1) + m.group(2), place, percent=True)


def _modifier(total_field: str, modifier_field: str) -> Callable[[_Report, str, str], None]:
    """``1.0 + (5 × 0.04) = 1.20`` or ``1.20``."""

    def read(r: _Report, value: str, place: str) -> None:
        lhs, rhs = _sides(value)
        m = re.search(r"\(\s*(.+?)\s*[×xX*]", lhs)
        if m is not None:
            r.state(total_field, m.group(1), place, integer=True)
        r.state(modifier_field, first_token(rhs), place)

    return read


def _raw(r: _Report, value: str, place: str) -> None:
    """``3.75 × 1.20 × 1.00 × 1.05 = 4.7250``."""
    lhs, rhs = _sides(value)
    factors = [f for f in re.split(r"\s*[×xX*]\s*", lhs) if f] if lhs else []
    if len(factors) == 4:
        for result_field, factor in zip(("task_resistance", "evidence_modifier",
                                         "barrier_modifier", "growth_modifier"), factors,
                                        strict=True):
            r.state(result_field, factor, place)
    r.state("raw", first_token(rhs), place)


def _score(result_field: str) -> Callable[[_Report, str, str], None]:
    """``(4.7250 - 0.54) / 7.93 × 100 = 52.8/100`` or ``52.8``."""

    def read(r: _Report, value: str, place: str) -> None:
        lhs, rhs = _sides(value)
        m = re.match(r"^\(\s*(\S+?)\s*[-−–]", lhs)
        if m is not None:
            r.state("raw", m.group(1), place)
        r.state(result_field, first_token(rhs), place)

    return read


def _zone(r: _Report, value: str, place: str) -> None:
    """``GREEN (Green ≥48, Yellow 25-47, Red <25)``."""
    words = unbold(value).split()
    if not words:
        r.bad("AIJ-E001", "the zone line states no zone", place, "zone")
        return
    written = unbold(words[0]).rstrip(".,;:")
    zone = written.upper() if written.upper() in ZONES else written
    r.state_text("zone", zone, place, written)


def _sub_label(r: _Report, value: str, place: str) -> None:
    """``Green (Transforming) — ≥20% task time scores 3+``."""
    text = unbold(value)
    m = re.match(r"^(\w+)\s*\(\s*(\w[\w\s-]*?)\s*\)", text)
    if m is None:
        written = re.split(r"\s+[—–-]\s+", text)[0].strip()
        if written:
            r.state_text("sub_label", written, place, written)
        else:
            r.bad("AIJ-E001", "the sub-label line states no sub-label", place, "sub_label")
        return
    label = f"{m.group(1).title()} ({m.group(2).title()})"
    r.state_text("sub_label", label, place, m.group(0))


def _percent_figure(result_field: str) -> Callable[[_Report, str, str], None]:
    def read(r: _Report, value: str, place: str) -> None:
        r.state(result_field, first_token(value), place, percent=True)

    return read


def _growth_figure(r: _Report, value: str, place: str) -> None:
    r.state("growth_correlation", first_token(value), place, integer=True)


# ---------------------------------------------------------------------------------------


def _is_report(r: _Report) -> bool:
    found = sum(r.table(section, header) is not None for section, header in REQUIRED_TABLES)
    return found >= MIN_BLOCKS_FOR_A_REPORT


def read_report(text: str, path: Path) -> Loaded:
    """Read a published assessment in the house format.

    Returns the assessment (``None`` if the text is not a report at all), the problems
    found while reading, each naming its section and line, and the figures the report
    states, for :func:`aijri_xl.stated.compare_stated`."""
    lines = scan(text)
    r = _Report(lines, tables(lines))
    if not _is_report(r):
        expected = ", ".join(SECTION_TITLES[s] for s, _ in REQUIRED_TABLES)
        return Loaded(path, "report", None, [Finding(
            "AIJ-F204", "not a published AIJRI assessment: it lacks the tables of the house "
            f"format ({expected})", where=str(path))])
    a = Assessment(method=METHOD)
    _read_role(r, a)
    _read_protective(r, a)
    _read_tasks(r, a)
    _read_evidence_and_barriers(r, a)
    _read_growth_check(r, a)
    _read_override(r, a)
    _read_calibration(r, a)
    _read_texts(r, a)
    _read_figures(r)
    # Figures in reading order, so that findings follow the report from top to bottom.
    stated = sorted(r.stated, key=lambda f: _line_of(f.where))
    loaded = Loaded(path, "report", a, r.findings, stated)
    loaded.extra["where_of_field"] = r.where_of_field
    return loaded


def _line_of(place: str) -> int:
    m = re.search(r"line (\d+)$", place)
    return int(m.group(1)) if m else 0
