"""The published assessment as one self-contained, printable HTML page: the blocks of
:func:`aijri_xl.house.builder.build` with the zone colour, a chart of task time by task
score, and a print style for A4. No script and nothing fetched; the header's figures are
marked ``data-house`` so that :mod:`aijri_xl.house.page_reader` can check them."""

from __future__ import annotations

import html as _html
import re
from collections.abc import Iterator, Sequence

from aijri_xl.house import figures as fmt
from aijri_xl.house.builder import (
    Heading,
    Labelled,
    Publication,
    Table,
    build,
    notice_text,
)
from aijri_xl.house.grammar import unescape_cell, unescape_inline, unescape_line
from aijri_xl.method.model import Assessment
from aijri_xl.method.parameters import PARAMS
from aijri_xl.styles import (
    PAGE_COLOURS,
    PROBLEM_FILL,
    PROBLEM_FONT,
    SCORE_BAR_COLOURS,
    ZONE_STYLES,
)

_NOTICE = {"problem_font": PROBLEM_FONT, "problem_fill": PROBLEM_FILL}
_INK, _MUTED, _RULE = (PAGE_COLOURS[k] for k in ("page_ink", "page_muted", "page_rule"))

_CSS = """
:root { --zone-fill: %(fill)s; --zone-ink: %(ink)s; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.45 "Segoe UI", "Helvetica Neue", Arial, sans-serif; color: %(page_ink)s;
       max-width: 60em; margin: 2em auto; padding: 0 1.5em; }
header { display: flex; gap: 1.5em; align-items: center; justify-content: space-between;
         border-bottom: 3px solid var(--zone-ink); padding-bottom: .8em; }
header h1 { font-size: 1.7em; margin: 0; }
header .meta { color: %(page_muted)s; margin: .2em 0 0; }
.badge { background: var(--zone-fill); color: var(--zone-ink); border-radius: 6px;
         padding: .5em 1em; text-align: center; min-width: 11em; }
.badge .score { font-size: 2.2em; font-weight: 700; line-height: 1.1; }
.badge .zone { font-weight: 700; letter-spacing: .05em; }
.overview { display: flex; gap: 2em; align-items: flex-start; margin: 1em 0 .5em; }
.overview table { flex: 1; }
figure { margin: 0; }
figcaption { font-size: .85em; color: %(page_muted)s; text-align: center; }
h2 { font-size: 1.2em; border-bottom: 1px solid %(page_rule)s; padding-bottom: .2em;
     margin: 1.6em 0 .6em; break-after: avoid; }
h3 { font-size: 1.05em; margin: 1.2em 0 .4em; break-after: avoid; }
table { border-collapse: collapse; width: 100%%; margin: .5em 0; font-size: .95em; }
th, td { border: 1px solid %(page_rule)s; padding: .3em .5em; vertical-align: top;
         text-align: left; }
th { background: %(page_shade)s; }
thead th { white-space: nowrap; }
table.role td:first-child, table.scored td:first-child { width: 13em; }
table.figures td:first-child { width: 16em; }
tr { break-inside: avoid; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: 600; background: %(page_shade)s; }
p { margin: .35em 0; }
p.gap { margin: 0; height: .4em; }
p.figure { font-variant-numeric: tabular-nums; }
.label { font-weight: 600; }
.zone-line { background: var(--zone-fill); color: var(--zone-ink); padding: .3em .6em;
             border-radius: 4px; display: inline-block; font-weight: 600; }
ul { margin: .3em 0; padding-left: 1.4em; }
footer { margin-top: 2.5em; border-top: 1px solid %(page_rule)s; padding-top: .5em;
         font-size: .8em; color: %(page_muted)s; }
@media print {
  body { margin: 0; max-width: none; font-size: 9.5pt; }
  @page { size: A4; margin: 16mm 14mm; }
  a { color: inherit; text-decoration: none; }
}
.notice { border: 2px solid %(problem_font)s; background: %(problem_fill)s; color: %(problem_font)s;
  padding: 8px 12px; margin: 0 0 12px; }
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
                     f'stroke="{_RULE}" stroke-width="1"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 3.5:.1f}" font-size="9" '
                     f'text-anchor="end" fill="{_MUTED}">{tick:g}%</text>')
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
                         f'text-anchor="middle" fill="{_INK}">{fmt.pct(share)}</text>')
        parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 13}" '
                     f'font-size="10" text-anchor="middle" fill="{_INK}">{s}</text>')
    parts.append(f'<text x="{left + (width - left) / 2:.1f}" y="{height - 4}" font-size="9" '
                 f'text-anchor="middle" fill="{_MUTED}">task score (1 = not involved, '
                 '5 = displaced)</text>')
    parts.append("</svg>")
    return "".join(parts)


def _figure(label: str, value: str, tag: str = "span", css: str = "") -> str:
    """A figure of the page's header, marked with the house-format label it states, so
    that verifying the page checks it as it checks the text."""
    klass = f' class="{css}"' if css else ""
    return f'<{tag}{klass} data-house="{_esc(label)}">{_esc(value)}</{tag}>'


def html_of(doc: Publication, sections: Sequence[str] = ()) -> str:
    """The page; ``sections`` are ready HTML ``<section>`` elements placed after the
    overview, outside the house text (the page reader reads neither): a higher layer's
    additions, such as the sensitivity of :mod:`aijri_xl.analytics.page`."""
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
        f"<style>{_CSS % {'fill': fill, 'ink': ink, **_NOTICE, **PAGE_COLOURS}}</style>",
        "</head>",
        "<body>",
        f'<div class="notice" role="alert"><strong>{_esc(notice_text(doc.failing))}'
        "</strong></div>" if doc.failing else "",
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
        *sections,
        '<main class="house">',
    ]
    for block in doc.blocks:
        if isinstance(block, Heading):
            tag = "h2" if block.level == 1 else "h3"
            out.append(f"<{tag}>{_esc(block.title)}</{tag}>")
        elif isinstance(block, Table):
            out.append(_table_html(block))
        elif isinstance(block, Labelled):
            first = _esc(unescape_inline(block.first))
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

