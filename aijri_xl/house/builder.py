"""Writing the published assessment: the house format of the worked example, as text
(``.md``) or as one self-contained HTML page.

The report is built once, as a list of blocks (headings, tables, ``Label: value`` lines,
text), and rendered twice: :func:`markdown` writes the house format exactly as the
published worked example lays it out (one blank line between blocks, so that it also
reads as Markdown); :mod:`aijri_xl.house.page` writes a printable HTML page with the zone
colour and a chart of task time by score; :mod:`aijri_xl.house.publish` chooses between
them. Every figure comes from the reference engine and is formatted by
:mod:`aijri_xl.house.figures`; every text is the assessor's, carried over unchanged.

Reading a report this module wrote (:func:`aijri_xl.house.reader.read_report`) gives
back the same assessment, and writing that again gives the same bytes. Text survives the
trip because the writer escapes what the reader would otherwise take for layout:

- a text line that would read as a heading, a ``Label:`` line or a table row, starts
  with a backslash or with spaces, is written with a leading ``\\`` (the reader drops it);
- in a table cell, ``\\`` and ``|`` are written with a backslash before them, a line
  break as ``<br>``; a task name starting with ``*``, ``_`` or a backtick is escaped so
  that it is not read as markup (the Total row is told by its shape, so a task may be
  named "Total");
- blank lines inside a text are kept as blank lines.

What the house format cannot carry is normalised first (:func:`publishable`): line
breaks become ``\\n``, spaces at the end of a line and around a whole text are dropped,
a role with no id gets the id the reader derives from its title (``hpc-developer``),
and calibration peer names are written on one line.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from decimal import Decimal

from aijri_xl._record import dataclass, field
from aijri_xl.house import figures as fmt
from aijri_xl.house.grammar import (
    GROWTH_CHECK,
    SECTION_TITLES,
    classify,
    escape_inline,
    parse_number,
    slug,
)
from aijri_xl.house.reader import named_peers
from aijri_xl.method import fields
from aijri_xl.method.codec import ROLE_FIELDS
from aijri_xl.method.engine import AssessmentError, Result, score
from aijri_xl.method.marks import ASSESSMENT, comment_line
from aijri_xl.method.model import COMMENTARY_FIELDS, Assessment, CalibrationPeer
from aijri_xl.method.parameters import BARRIERS, EVIDENCE, GREEN, PROTECTIVE, Dimension

FORMATS = ("md", "html")

ROLE_ID, OCCUPATION_CODE = (next(f for f in fields.ROLE if f.key == key)
                            for key in ("id", "occupation_code"))
REFRAMED_QUESTION = "What prevents AI execution even when programmatically possible?"
QUICK_SCREEN_NEXT = "Proceed to confirm with task analysis."



# ---------------------------------------------------------------------------------------
# Text as the house format can carry it


def publishable_text(text: str | None) -> str:
    """A text as a report carries it: ``\\n`` line breaks, no spaces at line ends, no
    blank lines or spaces around the whole."""
    if not text:
        return ""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    text = "\n".join(line.rstrip() for line in lines).strip()
    return _CONTROL.sub("\ufffd", text)


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Control characters (NUL and its kin; not tab or line breaks) have no place in a page:
an HTML parser makes U+FFFD of NUL, and so does the house format, in both forms alike."""


def _optional(text: str | None) -> str | None:
    return publishable_text(text) or None


def publishable(a: Assessment) -> Assessment:
    """The assessment as a report of it reads back: :func:`publishable_text` applied to
    every text, ``role.id`` derived from the title when missing, peer names on one
    line. An assessment with clean text is returned equal to itself."""
    p = copy.deepcopy(a)
    for _, attr, _ in ROLE_FIELDS:
        setattr(p.role, attr, _optional(getattr(p.role, attr)))
    if p.role.id is None:
        p.role.id = slug(p.role.title)
    p.assessor = _optional(p.assessor)
    p.assessment_date = _optional(p.assessment_date)
    for block in (p.protective, p.evidence, p.barriers):
        for item in block.values():
            item.rationale = publishable_text(item.rationale)
    p.growth.rationale = publishable_text(p.growth.rationale)
    p.growth.check_rationale = publishable_text(p.growth.check_rationale)
    for t in p.tasks:
        t.name = publishable_text(t.name)
        t.rationale = publishable_text(t.rationale)
    p.reinstatement_check = publishable_text(p.reinstatement_check)
    p.override.justification = publishable_text(p.override.justification)
    p.calibration = [CalibrationPeer(" ".join(peer.role.split()), peer.score)
                     for peer in p.calibration]
    for key, _ in COMMENTARY_FIELDS:
        setattr(p.commentary, key, publishable_text(getattr(p.commentary, key)))
    return p


def escape_line(line: str) -> str:
    """A line of free text, escaped where the reader would take it for layout."""
    if not line:
        return ""
    line = escape_inline(line)
    if line.startswith("\\") or line != line.lstrip() or classify(line)[0] != "text":
        return "\\" + line
    return line


def _text_lines(text: str) -> list[str]:
    return [escape_line(line) for line in text.split("\n")] if text else []


def cell_text(text: str | None) -> str:
    """A table cell, escaped as the reader resolves it: ``\\`` and ``|`` with a
    backslash, a literal ``<br>`` as ``\\<br>``, a line break as ``<br>``."""
    escaped = (text or "").replace("\\", "\\\\").replace("|", "\\|")
    return re.sub(r"<(?=[A-Za-z/!?])", r"\\<", escaped).replace("\n", "<br>")


def name_cell(name: str) -> str:
    """A task name; a leading ``*``, ``_`` or `````` is escaped so that the reader does
    not take it for bold or code markup around the name."""
    cell = cell_text(name)
    return "\\" + cell if cell.startswith(("*", "_", "`")) else cell


def _percent(fraction: float) -> str:
    """A time share as the report writes it: ``25%``, ``7.37%``; exact, so reading it
    back gives the same double."""
    percent = (Decimal(repr(fraction)) * 100).normalize()
    return f"{percent:f}%"


def _peer_score(value: float) -> str:
    one = f"{value:.1f}"
    return one if float(one) == value else repr(value)


# ---------------------------------------------------------------------------------------
# The report as blocks


@dataclass(frozen=True, slots=True)
class Heading:
    title: str
    level: int = 1  # 1: a section; 2: a part of the commentary


@dataclass(frozen=True, slots=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    kind: str = ""  # which table, for the HTML's styling
    totals: tuple[int, ...] = ()  # which rows are totals, for the HTML's styling


@dataclass(frozen=True, slots=True)
class Labelled:
    """``Label: first line`` and the text's further lines (already escaped)."""

    label: str
    first: str
    more: tuple[str, ...] = ()
    kind: str = ""


@dataclass(frozen=True, slots=True)
class Text:
    lines: tuple[str, ...]


Block = Heading | Table | Labelled | Text


@dataclass(slots=True)
class Publication:
    """A report ready to render: its blocks, the assessment and its result."""

    assessment: Assessment
    result: Result
    blocks: list[Block] = field(default_factory=list)
    failing: int = 0
    """Error findings of the source it was built from (``aijri report`` verifies it); a
    page of a source that does not verify says so at its top (:func:`notice_text`)."""


def notice_text(failing: int) -> str:
    """The notice at the top of a page whose source does not verify."""
    s = "" if failing == 1 else "s"
    return (f"NOTICE: the source of this page does not verify ({failing} error finding{s}). "
            "The figures below are the method's for its inputs, not the ones the source "
            "states; run 'aijri verify' on the source to see the findings.")


def _labelled(label: str, text: str, kind: str = "") -> Labelled:
    """A label with a text: the first line on the label's line when the reader reads it
    back as it is, else every line below the label."""
    lines = text.split("\n") if text else []
    first = escape_inline(lines[0]) if lines else ""
    if lines and _label_value(f"{label}: {first}") == first:
        return Labelled(label, first, tuple(escape_line(x) for x in lines[1:]), kind)
    return Labelled(label, "", tuple(escape_line(x) for x in lines), kind)


def _label_value(line: str) -> str | None:
    kind, _, value = classify(line)
    return value if kind == "label" else None


def _scored_rows(block: dict, dims: tuple[Dimension, ...]) -> list[tuple[str, ...]]:
    return [(d.label, str(block[d.key].score), cell_text(block[d.key].rationale)) for d in dims]


def _growth_check_needs_label(text: str, check: int | None) -> bool:
    """Whether the check must be stated on its own line: the reader takes it from the
    text (``Confirmed at +1 …``) only when the text says exactly that."""
    m = GROWTH_CHECK.search(text)
    if m is None:
        return check is not None
    number = parse_number(m.group(1).rstrip(".,;:"))
    if number is None or number.percent or number.value != number.value.to_integral_value():
        return True
    return int(number.value) != check


def _calibration_in_text(override_text: str) -> list[CalibrationPeer]:
    return [CalibrationPeer(p.role, p.score) for p in named_peers(override_text)]


def build(a: Assessment, failing: int = 0) -> Publication:
    """The report of an assessment. Raises :class:`AssessmentError` when it cannot be
    scored: a report publishes a score, so every input the method needs must be there.
    ``failing``: the number of error findings of the source, when it does not verify."""
    a = publishable(a)
    r = score(a)
    doc = Publication(a, r, failing=failing)
    add = doc.blocks.append

    # Role Definition
    add(Heading(SECTION_TITLES["role"]))
    rows = [(label, cell_text(getattr(a.role, attr))) for key, attr, label in ROLE_FIELDS
            if key not in ("seniority_note", "id", "occupation_code")
            and getattr(a.role, attr) is not None]
    if a.role.id != slug(a.role.title):
        rows.append((ROLE_ID.label, cell_text(a.role.id)))
    for f in (OCCUPATION_CODE, *fields.RECORD):  # record keeping, when given
        value = a.role.occupation_code if f is OCCUPATION_CODE else getattr(a, f.attribute)
        if value is not None:
            rows.append((f.label, cell_text(value)))
    add(Table(("Field", "Value"), tuple(rows), "role"))
    if a.role.seniority_note:
        add(_labelled("Seniority note", a.role.seniority_note))

    # Protective Principles + AI Growth Correlation
    add(Heading(SECTION_TITLES["protective"]))
    add(Table(("Principle", "Score (0-3)", "Rationale"), (
        *_scored_rows(a.protective, PROTECTIVE),
        ("Protective Total", f"{r.protective_total}/9", ""),
        ("AI Growth Correlation", str(r.growth_correlation), cell_text(a.growth.rationale)),
    ), "scored", (len(PROTECTIVE),)))
    add(Labelled("Quick screen result", f"{fmt.quick_screen_line(r)} {QUICK_SCREEN_NEXT}",
                 kind="figure"))

    # Task Decomposition
    add(Heading(SECTION_TITLES["tasks"]))
    task_rows: list[tuple[str, ...]] = [(name_cell(t.name), _percent(t.time), str(t.score),
                  fmt.num(t.time * t.score, 2), t.task_class or "", cell_text(t.rationale))
                 for t in a.tasks if t.time is not None and t.score is not None]
    time_total = sum(t.time for t in a.tasks if t.time is not None)
    task_rows.append(("Total", fmt.pct(round(time_total * 100, 8)),
                      fmt.num(r.weighted_total, 2)))
    add(Table(("Task", "Time %", "Score (1-5)", "Weighted", "Aug/Disp", "Rationale"),
              tuple(task_rows), "tasks", (len(task_rows) - 1,)))
    add(Labelled("Task Resistance Score", fmt.trs_line(r), kind="figure"))
    add(Labelled("Displacement/Augmentation split", fmt.split_line(r), kind="figure"))
    if a.reinstatement_check:
        add(_labelled("Reinstatement check (Acemoglu)", a.reinstatement_check))

    # Evidence and barriers
    add(Heading(SECTION_TITLES["evidence"]))
    add(Table(("Dimension", "Score (-2 to 2)", "Evidence"), (
        *_scored_rows(a.evidence, EVIDENCE), ("Total", str(r.evidence_total))), "scored",
        (len(EVIDENCE),)))
    add(Heading(SECTION_TITLES["barriers"]))
    add(Labelled("Reframed question", REFRAMED_QUESTION))
    add(Table(("Barrier", "Score (0-2)", "Rationale"), (
        *_scored_rows(a.barriers, BARRIERS), ("Total", f"{r.barrier_total}/10")), "scored",
        (len(BARRIERS),)))

    # AI Growth Correlation Check
    check_text = a.growth.check_rationale
    needs_label = _growth_check_needs_label(check_text, a.growth.check)
    if check_text or a.growth.check is not None:
        add(Heading(SECTION_TITLES["growth_check"]))
        if check_text:
            add(Text(tuple(_text_lines(check_text))))
        if needs_label:
            value = "none" if a.growth.check is None else f"{a.growth.check:+d}"
            add(Labelled("Growth check", value))

    # JobZone Composite Score
    add(Heading(SECTION_TITLES["composite"]))
    add(Table(("Input", "Value"), (
        ("Task Resistance Score", f"{fmt.num(r.task_resistance, 2)}/5.0"),
        ("Evidence Modifier",
         fmt.modifier_line(r.evidence_total, "EVIDENCE_WEIGHT", r.evidence_modifier)),
        ("Barrier Modifier",
         fmt.modifier_line(r.barrier_total, "BARRIER_WEIGHT", r.barrier_modifier)),
        ("Growth Modifier",
         fmt.modifier_line(r.growth_correlation, "GROWTH_WEIGHT", r.growth_modifier)),
    ), "figures"))
    add(Labelled("Raw", fmt.raw_line(r), kind="figure"))
    add(Labelled("JobZone Score", fmt.score_line(r), kind="figure"))
    if r.override is not None:
        add(Labelled("Final JobZone Score",
                     f"{fmt.num(r.final_score, 1)}/100 (assessor override)", kind="figure"))
    add(Labelled("Zone", fmt.zone_line(r), kind="zone"))

    # Sub-Label Determination
    add(Heading(SECTION_TITLES["sub_label"]))
    metric = (("% of task time scoring 3+", fmt.pct(r.pct_time_score_3plus)) if r.zone == GREEN
              else ("% of task time scoring 4+", fmt.pct(r.pct_time_score_4plus)))
    add(Table(("Metric", "Value"), (
        metric, ("AI Growth Correlation", str(r.growth_correlation)),
        ("Sub-label", fmt.sub_label_reason(r))), "figures"))
    head = "None" if a.override.score is None else fmt.num(a.override.score, 1)
    justification = a.override.justification
    override_text = f"{head} — {justification}" if justification else head
    add(_labelled("Assessor override", override_text))
    if _calibration_in_text(override_text) != a.calibration:
        peers = "; ".join(f"{p.role} ({_peer_score(p.score)})" for p in a.calibration)
        add(_labelled("Calibration peers", peers or "none"))

    # Assessor Commentary
    texts = {key: getattr(a.commentary, key) for key, _ in COMMENTARY_FIELDS}
    if any(texts.values()):
        add(Heading(SECTION_TITLES["commentary"]))
        for key, title in COMMENTARY_FIELDS:
            text = texts[key]
            if not text:
                continue
            if key == "survival_strategy":
                add(Labelled(title, "", tuple(_text_lines(text))))
            elif key == "timeline":
                add(_labelled(title, text))
            else:
                add(Heading(title, 2))
                add(Text(tuple(_text_lines(text))))
    return doc


# ---------------------------------------------------------------------------------------
# Markdown (the house format)


def _md_lines(block: Block) -> Iterator[str]:
    if isinstance(block, Heading):
        yield block.title
    elif isinstance(block, Table):
        for i, row in enumerate((block.header, *block.rows)):
            yield "|" + "".join(f" {cell} |" if cell else " |" for cell in row)
            if i == 0:
                yield "|" + "---|" * len(block.header)
    elif isinstance(block, Labelled):
        yield f"{block.label}: {block.first}" if block.first else f"{block.label}:"
        yield from block.more
    else:
        yield from block.lines


MD_MARK = comment_line(ASSESSMENT, "a published assessment")
"""The first line of a page in the house format: an HTML comment, invisible where Markdown
is rendered, that tells the page from one a person typed (:mod:`aijri_xl.method.marks`)."""


def markdown_of(doc: Publication) -> str:
    head = [MD_MARK] + ([f"> **{notice_text(doc.failing)}**"] if doc.failing else [])
    return "\n\n".join(["\n".join(head)]
                         + ["\n".join(_md_lines(b)) for b in doc.blocks]) + "\n"


def markdown(a: Assessment) -> str:
    """The published assessment in the house format, as text (UTF-8, ``\\n`` line ends)."""
    return markdown_of(build(a))


__all__ = [
    "FORMATS",
    "AssessmentError",
    "Publication",
    "build",
    "markdown",
    "markdown_of",
    "notice_text",
    "publishable",
    "publishable_text",
]
