"""Writing the published assessment: the house format of the worked example, as text
(``.md``) or as one self-contained HTML page.

The report is built once, as a list of blocks (headings, tables, ``Label: value`` lines,
text), and rendered twice: :func:`markdown` writes the house format exactly as
``shared/seeds/000_…txt`` lays it out (one blank line between blocks, so that it also
reads as Markdown); :func:`html` writes a printable page with the zone colour and a chart
of task time by score. Every figure comes from the reference engine and is formatted by
:mod:`aijri_xl.formatting`; every text is the assessor's, carried over unchanged.

Reading a report this module wrote (:func:`aijri_xl.report_reader.read_report`) gives
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
import html as _html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from aijri_xl.house import figures as fmt
from aijri_xl.house.reader import (
    GROWTH_CHECK,
    SECTION_TITLES,
    classify,
    named_peers,
    parse_number,
    slug,
    unescape_cell,
    unescape_line,
)
from aijri_xl.method.codec import ROLE_FIELDS
from aijri_xl.method.engine import AssessmentError, Result, score
from aijri_xl.method.model import COMMENTARY_FIELDS, Assessment, CalibrationPeer
from aijri_xl.method.parameters import BARRIERS, EVIDENCE, GREEN, PARAMS, PROTECTIVE, Dimension
from aijri_xl.styles import SCORE_BAR_COLOURS, ZONE_STYLES

FORMATS = ("md", "html")

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
    return "\n".join(line.rstrip() for line in lines).strip()


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
    if line.startswith("\\") or line != line.lstrip() or classify(line)[0] != "text":
        return "\\" + line
    return line


def _text_lines(text: str) -> list[str]:
    return [escape_line(line) for line in text.split("\n")] if text else []


def cell_text(text: str | None) -> str:
    """A table cell, escaped as the reader resolves it: ``\\`` and ``|`` with a
    backslash, a literal ``<br>`` as ``\\<br>``, a line break as ``<br>``."""
    return ((text or "").replace("\\", "\\\\").replace("|", "\\|")
            .replace("<br>", "\\<br>").replace("\n", "<br>"))


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


def _labelled(label: str, text: str, kind: str = "") -> Labelled:
    """A label with a text: the first line on the label's line when the reader reads it
    back as it is, else every line below the label."""
    lines = text.split("\n") if text else []
    if lines and _label_value(f"{label}: {lines[0]}") == lines[0]:
        return Labelled(label, lines[0], tuple(escape_line(x) for x in lines[1:]), kind)
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


def build(a: Assessment) -> Publication:
    """The report of an assessment. Raises :class:`AssessmentError` when it cannot be
    scored: a report publishes a score, so every input the method needs must be there."""
    a = publishable(a)
    r = score(a)
    doc = Publication(a, r)
    add = doc.blocks.append

    # Role Definition
    add(Heading(SECTION_TITLES["role"]))
    rows = [(label, cell_text(getattr(a.role, attr))) for key, attr, label in ROLE_FIELDS
            if key not in ("seniority_note", "id", "occupation_code")
            and getattr(a.role, attr) is not None]
    if a.role.id != slug(a.role.title):
        rows.append(("Role id", cell_text(a.role.id)))
    if a.role.occupation_code is not None:
        rows.append(("Occupation code", cell_text(a.role.occupation_code)))
    if a.assessor is not None:
        rows.append(("Assessor", cell_text(a.assessor)))
    if a.assessment_date is not None:
        rows.append(("Assessment Date", cell_text(a.assessment_date)))
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
    task_rows = [(name_cell(t.name), _percent(t.time), str(t.score),
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


def markdown_of(doc: Publication) -> str:
    return "\n\n".join("\n".join(_md_lines(b)) for b in doc.blocks) + "\n"


def markdown(a: Assessment) -> str:
    """The published assessment in the house format, as text (UTF-8, ``\\n`` line ends)."""
    return markdown_of(build(a))


# ---------------------------------------------------------------------------------------
# HTML


_CSS = """
:root { --zone-fill: %(fill)s; --zone-ink: %(ink)s; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.45 "Segoe UI", "Helvetica Neue", Arial, sans-serif; color: #1f2328;
       max-width: 60em; margin: 2em auto; padding: 0 1.5em; }
header { display: flex; gap: 1.5em; align-items: center; justify-content: space-between;
         border-bottom: 3px solid var(--zone-ink); padding-bottom: .8em; }
header h1 { font-size: 1.7em; margin: 0; }
header .meta { color: #57606a; margin: .2em 0 0; }
.badge { background: var(--zone-fill); color: var(--zone-ink); border-radius: 6px;
         padding: .5em 1em; text-align: center; min-width: 11em; }
.badge .score { font-size: 2.2em; font-weight: 700; line-height: 1.1; }
.badge .zone { font-weight: 700; letter-spacing: .05em; }
.overview { display: flex; gap: 2em; align-items: flex-start; margin: 1em 0 .5em; }
.overview table { flex: 1; }
figure { margin: 0; }
figcaption { font-size: .85em; color: #57606a; text-align: center; }
h2 { font-size: 1.2em; border-bottom: 1px solid #d0d7de; padding-bottom: .2em;
     margin: 1.6em 0 .6em; break-after: avoid; }
h3 { font-size: 1.05em; margin: 1.2em 0 .4em; break-after: avoid; }
table { border-collapse: collapse; width: 100%%; margin: .5em 0; font-size: .95em; }
th, td { border: 1px solid #d0d7de; padding: .3em .5em; vertical-align: top;
         text-align: left; }
th { background: #f6f8fa; }
thead th { white-space: nowrap; }
table.role td:first-child, table.scored td:first-child { width: 13em; }
table.figures td:first-child { width: 16em; }
tr { break-inside: avoid; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: 600; background: #f6f8fa; }
p { margin: .35em 0; }
p.gap { margin: 0; height: .4em; }
p.figure { font-variant-numeric: tabular-nums; }
.label { font-weight: 600; }
.zone-line { background: var(--zone-fill); color: var(--zone-ink); padding: .3em .6em;
             border-radius: 4px; display: inline-block; font-weight: 600; }
ul { margin: .3em 0; padding-left: 1.4em; }
footer { margin-top: 2.5em; border-top: 1px solid #d0d7de; padding-top: .5em;
         font-size: .8em; color: #57606a; }
@media print {
  body { margin: 0; max-width: none; font-size: 9.5pt; }
  @page { size: A4; margin: 16mm 14mm; }
  a { color: inherit; text-decoration: none; }
}
"""


def _esc(text: str) -> str:
    return _html.escape(text, quote=True)


def _cell_html(cell: str) -> str:
    """A cell of the house format as HTML: escapes resolved, line breaks as ``<br>``."""
    return "<br>".join(_esc(part) for part in unescape_cell(cell).split("\n"))


def _html_lines(lines: tuple[str, ...] | list[str]) -> Iterator[str]:
    """Text lines as paragraphs, runs of ``- `` lines as a list, a blank line inside the
    text as an empty ``p.gap`` (so that reading the page back keeps it)."""
    items: list[str] = []
    for raw in lines:
        line = unescape_line(raw)
        if line.startswith("- "):
            items.append(f"<li>{_esc(line[2:])}</li>")
            continue
        if items:
            yield "<ul>" + "".join(items) + "</ul>"
            items = []
        yield f"<p>{_esc(line)}</p>" if line else '<p class="gap"></p>'
    if items:
        yield "<ul>" + "".join(items) + "</ul>"


_NUMERIC_CELL = re.compile(r"^[+\-−]?\d[\d.]*(%|/\d+(\.\d+)?)?$")


def _table_html(block: Table) -> str:
    head = "".join(f"<th>{_esc(h)}</th>" for h in block.header)
    body = []
    for index, row in enumerate(block.rows):
        cells = []
        for i, cell in enumerate(row):
            css = ' class="num"' if i > 0 and _NUMERIC_CELL.match(cell) else ""
            cells.append(f"<td{css}>{_cell_html(cell)}</td>")
        cells += ['<td class="pad"></td>'] * (len(block.header) - len(row))
        row_css = ' class="total"' if index in block.totals else ""
        body.append(f"<tr{row_css}>{''.join(cells)}</tr>")
    return (f'<table class="{block.kind}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


def time_by_score(a: Assessment) -> dict[int, float]:
    """Share of task time (percent units) at each task score 1–5."""
    shares = dict.fromkeys(range(1, 6), 0.0)
    for t in a.tasks:
        if t.time is not None and t.score in shares:
            shares[t.score] += t.time
    return {s: round(v * 100, 8) for s, v in shares.items()}


def chart_svg(a: Assessment) -> str:
    """A small bar chart of task time by task score, as inline SVG."""
    shares = time_by_score(a)
    width, height, left, bottom, top = 320, 190, 34, 30, 14
    plot_h = height - bottom - top
    step = (width - left - 10) / 5
    peak = max(100.0 if max(shares.values()) > 50 else 50.0, 1.0)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" '
             'aria-label="Share of task time by task score">']
    for tick in (0, peak / 2, peak):
        y = top + plot_h - plot_h * tick / peak
        parts.append(f'<line x1="{left}" x2="{width - 6}" y1="{y:.1f}" y2="{y:.1f}" '
                     'stroke="#d0d7de" stroke-width="1"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 3.5:.1f}" font-size="9" '
                     f'text-anchor="end" fill="#57606a">{tick:g}%</text>')
    for s, share in shares.items():
        x = left + (s - 1) * step + step * 0.18
        bar_w = step * 0.64
        bar_h = plot_h * share / peak
        y = top + plot_h - bar_h
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" '
                     f'height="{bar_h:.1f}" fill="{SCORE_BAR_COLOURS[s - 1]}"><title>score {s}: '
                     f'{fmt.pct(share)} of task time</title></rect>')
        if share:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{y - 3:.1f}" font-size="9.5" '
                         f'text-anchor="middle" fill="#1f2328">{fmt.pct(share)}</text>')
        parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 13}" '
                     f'font-size="10" text-anchor="middle" fill="#1f2328">{s}</text>')
    parts.append(f'<text x="{left + (width - left) / 2:.1f}" y="{height - 4}" font-size="9" '
                 'text-anchor="middle" fill="#57606a">task score (1 = not involved, '
                 '5 = displaced)</text>')
    parts.append("</svg>")
    return "".join(parts)


def _figure(label: str, value: str, tag: str = "span", css: str = "") -> str:
    """A figure of the page's header, marked with the house-format label it states, so
    that verifying the page checks it as it checks the text."""
    klass = f' class="{css}"' if css else ""
    return f'<{tag}{klass} data-house="{_esc(label)}">{_esc(value)}</{tag}>'


def html_of(doc: Publication) -> str:
    a, r = doc.assessment, doc.result
    fill, ink = ZONE_STYLES[r.zone]
    title = a.role.title or ""
    meta = " · ".join(x for x in (a.role.seniority, a.assessor and f"Assessor: {a.assessor}",
                                  a.assessment_date) if x)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="aijri_xl, method {_esc(r.method)}">',
        f"<title>{_esc(title)} — AIJRI assessment</title>",
        f"<style>{_CSS % {'fill': fill, 'ink': ink}}</style>",
        "</head>",
        "<body>",
        "<header><div>",
        f"<h1>{_esc(title)}</h1>",
        f'<p class="meta">{_esc(meta)}</p>' if meta else "",
        f'<p class="meta">AI Job Resilience Index, method {_esc(r.method)}</p>',
        "</div>",
        '<div class="badge">'
        f'{_figure("Final JobZone Score", fmt.num(r.final_score, 1), "div", "score")}'
        f'{_figure("Zone", r.zone, "div", "zone")}{_figure("Sub-label", r.sub_label, "div")}'
        "</div>",
        "</header>",
        '<section class="overview">',
        "<table><tbody>",
        *(f"<tr><th>{_esc(k)}</th><td>{' / '.join(_figure(*f) for f in figures)}</td></tr>"
          for k, figures in (
            ("Task Resistance Score",
             [("Task Resistance Score", f"{fmt.num(r.task_resistance, 2)}/5.0")]),
            ("Evidence / Barrier / Growth modifiers",
             [("Evidence Modifier", fmt.num(r.evidence_modifier, 2)),
              ("Barrier Modifier", fmt.num(r.barrier_modifier, 2)),
              ("Growth Modifier", fmt.num(r.growth_modifier, 2))]),
            ("Raw", [("Raw", fmt.num(r.raw, 4))]),
            ("JobZone Score", [("JobZone Score", f"{fmt.num(r.score, 1)}/100")]),
            *([("Assessor override",
                [("Final JobZone Score", f"{fmt.num(r.final_score, 1)}/100")])]
              if r.override is not None else []),
            ("Zone", [("Zone", fmt.zone_line(r))]),
            ("Task time scoring 3+ / 4+",
             [("% of task time scoring 3+", fmt.pct(r.pct_time_score_3plus)),
              ("% of task time scoring 4+", fmt.pct(r.pct_time_score_4plus))]),
        )),
        "</tbody></table>",
        f"<figure>{chart_svg(a)}<figcaption>Share of task time by task score"
        "</figcaption></figure>",
        "</section>",
        '<main class="house">',
    ]
    for block in doc.blocks:
        if isinstance(block, Heading):
            tag = "h2" if block.level == 1 else "h3"
            out.append(f"<{tag}>{_esc(block.title)}</{tag}>")
        elif isinstance(block, Table):
            out.append(_table_html(block))
        elif isinstance(block, Labelled):
            first = _esc(block.first)
            if block.kind == "zone":
                first = f'<span class="zone-line">{first}</span>'
            css = ' class="figure"' if block.kind in ("figure", "zone") else ""
            out.append(f'<p{css}><span class="label">{_esc(block.label)}:</span> {first}</p>')
            out.extend(_html_lines(block.more))
        else:
            out.extend(_html_lines(block.lines))
    out += [
        "</main>",
        f"<footer>Published with aijri_xl. Every figure is computed by the AIJRI "
        f"reference engine (method {_esc(r.method)}, parameters: evidence weight "
        f"{PARAMS['EVIDENCE_WEIGHT']:g}, barrier weight {PARAMS['BARRIER_WEIGHT']:g}, "
        f"growth weight {PARAMS['GROWTH_WEIGHT']:g}).</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(line for line in out if line) + "\n"


def html(a: Assessment) -> str:
    """The published assessment as one self-contained, printable HTML page."""
    return html_of(build(a))


def render(doc: Publication, format: str = "md") -> str:
    """A built report in ``format`` (``md`` or ``html``)."""
    if format not in FORMATS:
        raise ValueError(f"unknown report format {format!r}; expected one of "
                         + ", ".join(FORMATS))
    return markdown_of(doc) if format == "md" else html_of(doc)


def publish(a: Assessment, format: str = "md") -> str:
    """The published assessment in ``format`` (``md`` or ``html``)."""
    return render(build(a), format)


__all__ = [
    "FORMATS",
    "AssessmentError",
    "Publication",
    "build",
    "chart_svg",
    "html",
    "markdown",
    "publish",
    "publishable",
    "publishable_text",
    "render",
    "time_by_score",
]
