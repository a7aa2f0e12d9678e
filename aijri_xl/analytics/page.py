"""The published page with its review aside: how close the result is to another zone.

:func:`publish` is :func:`aijri_xl.house.builder.publish` (the house text, identical) for
``md``; for ``html`` the page also carries a section "How close to another zone": the
distance to each zone boundary, the share of task time against the sub-label threshold,
and the smallest single-input changes that would change the zone or the sub-label, each
with the score the engine gives for it (:mod:`.sensitivity`). The section sits outside the
house text, so reading the page back (and verifying it) is unchanged. ``aijri report``,
``aijri examples`` and ``aijri_xl.publish`` all write the page through here.
"""

from __future__ import annotations

import html

from aijri_xl.analytics.sensitivity import Sensitivity, Step, margin_sentences, sensitivity
from aijri_xl.house.builder import Publication, build
from aijri_xl.house.publish import render
from aijri_xl.method.model import Assessment

SHOWN_CHANGES = 3
"""Changes listed per kind (zone, sub-label) on the page."""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _num(x: float) -> str:
    from decimal import Decimal

    return f"{Decimal(repr(float(x))).normalize():f}"


def _rows(steps: list[Step], what: str) -> list[str]:
    out = []
    for st in steps[:SHOWN_CHANGES]:
        sign = "+" if st.steps > 0 else "−"
        out.append(f"<tr><td>{_e(what)}</td><td>{_e(st.label)}</td><td class=\"num\">"
                   f"{st.old} → {st.new} ({sign}{abs(st.steps)})</td><td class=\"num\">"
                   f"{st.final_score:.1f}</td><td>{_e(st.sub_label)}</td></tr>")
    return out


def section_html(s: Sensitivity) -> str:
    """The "How close to another zone" section of the page."""
    r = s.result
    lines = ['<section class="sensitivity">', "<h2>How close to another zone</h2>"]
    sentences = [b.sentence() for b in s.boundaries] + margin_sentences(s)
    lines.append(f"<p>{_e(_num(r.final_score))}: " + "; ".join(map(_e, sentences)) + ".</p>")
    lines += [f"<p>{_e(n)}</p>" for n in s.notes]
    rows = _rows(s.zone_changes, "zone") + _rows(s.sub_label_changes, "sub-label")
    if rows:
        lines += ["<table><thead><tr><th>Changes the</th><th>Smallest single-input change"
                  "</th><th>From → to</th><th>Final score</th><th>Gives</th></tr></thead><tbody>",
                  *rows, "</tbody></table>"]
    else:
        lines.append("<p>No single input within its range changes the zone or the "
                     "sub-label.</p>")
    lines.append('<p class="meta">Each change re-scored by the reference engine, the other '
                 "inputs as assessed.</p>")
    lines.append("</section>")
    return "\n".join(lines)


def page(doc: Publication) -> str:
    """The HTML page of a built report, with the sensitivity section."""
    return render(doc, "html", [section_html(sensitivity(doc.assessment))])


def publish(a: Assessment, format: str = "md") -> str:
    """The published assessment in ``format`` (``md`` or ``html``); see the module."""
    doc = build(a)
    return page(doc) if format == "html" else render(doc, format)
