"""A reviewer's comparison of two versions, as text, JSON, a printable HTML page or a
workbook (``aijri diff OLD NEW``): the headline (final score, zone, sub-label in both),
why the score moved (the attribution, with the rounding residue as its own line), which
change moved the zone or the sub-label, every changed input with its place in each file,
the task rows inserted, deleted, renamed and moved, and every result field that changed.

Deterministic: the same two files give the same bytes (the workbook's document date is
fixed; nothing depends on the clock or on dictionary order).
"""

from __future__ import annotations

import html as _html
from decimal import Decimal
from pathlib import Path
from typing import Any

from aijri_xl._record import dataclass
from aijri_xl.analytics.attribution import Attribution, AttributionError, attribute
from aijri_xl.analytics.diff import Change, Diff, DiffError, diff, render_words
from aijri_xl.method.parameters import PERCENT_FIELDS
from aijri_xl.sources import load
from aijri_xl.styles import (
    DELETED_FILL,
    HEADER_FILL,
    INSERTED_FILL,
    PAGE_COLOURS,
    WHITE,
    ZONE_STYLES,
)


@dataclass(slots=True)
class Review:
    """A diff with its attributions: of the final score, and of the formula score when
    an override is involved in either version (``None`` where a version cannot be
    scored; ``why`` says why)."""

    diff: Diff
    final: Attribution | None
    formula: Attribution | None
    why: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {**self.diff.to_dict(),
                "attribution": self.final.to_dict() if self.final else None,
                "formula_attribution": self.formula.to_dict() if self.formula else None,
                "attribution_unavailable": self.why}


def review(old: str | Path, new: str | Path) -> Review:
    """Load two sources and compare them. Raises :class:`DiffError` when one cannot be
    read into an assessment at all."""
    d = diff(load(old), load(new))
    return review_of(d)


def review_of(d: Diff) -> Review:
    try:
        final = attribute(d)
    except AttributionError as exc:
        return Review(d, None, None, str(exc))
    formula = None
    if d.old.override.score is not None or d.new.override.score is not None:
        formula = attribute(d, "score")
    return Review(d, final, formula)


# ---------------------------------------------------------------------------------------
# Shared wording


def _num(x: Any) -> str:
    if isinstance(x, float):
        return f"{Decimal(repr(x)).normalize():f}" if x == x else str(x)
    return str(x)


def _value(c: Change, value: Any) -> str:
    if value is None or value == "":
        return "(blank)"
    if c.key.endswith(".time"):
        return f"{_num(value)}%"
    if isinstance(value, str) and len(value) > 60:
        return value[:57] + "…"
    return _num(value)


def _signed(x: Decimal) -> str:
    return f"{x:+.4f}".replace("+0.0000", "0.0000")


def _player_detail(a: Attribution, d: Diff) -> dict[str, str]:
    """What each player changed, in a few words: ``score 2 -> 4; time share 25% -> 20%``."""
    out: dict[str, str] = {}
    for c in d.score_changes:
        assert c.player is not None
        if c.kind in ("added", "removed") and c.key == c.player:
            text = f"inserted ({c.new})" if c.kind == "added" else f"deleted ({c.old})"
        else:
            leaf = c.label.split(": ")[-1] if c.key.startswith("tasks[") else ""
            text = f"{leaf + ' ' if leaf else ''}{_value(c, c.old)} -> {_value(c, c.new)}"
        out[c.player] = f"{out[c.player]}; {text}" if c.player in out else text
    return out


def headline(d: Diff) -> list[tuple[str, str, str]]:
    rows = []
    by = {r.field: r for r in d.results}
    for name, label in (("final_score", "Final score"), ("zone", "Zone"),
                        ("sub_label", "Sub-label"), ("score", "Formula score"),
                        ("override", "Override")):
        r = by[name]
        overridden = by["override"].old is not None or by["override"].new is not None
        if name in ("score", "override") and not overridden:
            continue
        rows.append((label, "—" if r.old is None else _num(r.old),
                     "—" if r.new is None else _num(r.new)))
    return rows


_DECIMALS = {"weighted_total": 2, "task_resistance": 2, "evidence_modifier": 2,
             "barrier_modifier": 2, "growth_modifier": 2, "raw": 4, "score_unrounded": 4}
"""Display precision of §3 (formatting only); other numbers are shown as they are."""


def _figure(field: str, value: Any) -> str:
    if value is None:
        return "—"
    if field in _DECIMALS and isinstance(value, float):
        return f"{value:.{_DECIMALS[field]}f}"
    return _num(value) + ("%" if field in PERCENT_FIELDS else "")


def _change_text(c: Change) -> tuple[str, str]:
    """Old and new as a line shows them: a task inserted or deleted whole says so."""
    if c.player == c.key and c.kind == "added":
        return "(none)", f"inserted: {c.new}"
    if c.player == c.key and c.kind == "removed":
        return f"{c.old}", "deleted"
    return _value(c, c.old), _value(c, c.new)


def _where(c: Change) -> str:
    if c.old_where == c.new_where:
        return c.old_where or ""
    return f"{c.old_where or '—'} | {c.new_where or '—'}"


def _shift_sentence(a: Attribution, labels: dict[str, str]) -> list[str]:
    out = []
    for s in a.shifts:
        what = "Zone" if s.field == "zone" else "Sub-label"
        line = f"{what} {s.old} -> {s.new}."
        if s.sufficient:
            line += " Alone enough to move it: " + ", ".join(labels[k] for k in s.sufficient) \
                + "."
        if s.necessary:
            line += " Without any one of these it would not have moved: " + ", ".join(
                labels[k] for k in s.necessary) + "."
        if not s.sufficient and not s.necessary:
            line += " No single change is decisive: it took several together."
        out.append(line)
    return out


def _attribution_rows(a: Attribution, d: Diff) -> list[tuple[str, str, str]]:
    detail = _player_detail(a, d)
    rows = [(p.label, detail.get(p.key, ""), _signed(p.shown)) for p in a.parts]
    rows.append((a.residue.label, "", _signed(a.residue.shown)))
    rows.append(("Total (the displayed change)", f"{_num(a.old)} -> {_num(a.new)}",
                 _signed(sum((p.shown for p in a.parts), a.residue.shown))))
    return rows


def _result_rows(d: Diff) -> list[tuple[str, str, str, str]]:
    rows = []
    for r in d.results:
        if not r.changed:
            continue
        delta = "" if r.delta is None else (_figure(r.field, r.delta) if r.delta < 0 else
                                            "+" + _figure(r.field, r.delta))
        rows.append((r.field, _figure(r.field, r.old), _figure(r.field, r.new), delta))
    return rows


def _task_summary(d: Diff) -> str:
    counts = {"inserted": 0, "deleted": 0, "renamed": 0}
    for m in d.tasks:
        if m.how in counts:
            counts[m.how] += 1
    moved = len(d.moved_tasks)
    parts = [f"{n} {how}" for how, n in counts.items() if n] + ([f"{moved} moved"] if moved
                                                               else [])
    return ", ".join(parts) or "none inserted, deleted, renamed or moved"


# ---------------------------------------------------------------------------------------
# Text


def text(rv: Review) -> str:
    d = rv.diff
    lines = [f"Old: {d.old_file}", f"New: {d.new_file}", ""]
    width = max(len(label) for label, _, _ in headline(d))
    for label, old, new in headline(d):
        mark = "" if old == new else "   (changed)"
        lines.append(f"  {label:{width}}  {old} -> {new}{mark}")
    lines.append("")
    for title, a in (("Why the final score moved", rv.final),
                     ("Why the formula score moved", rv.formula)):
        if a is None:
            continue
        lines.append(f"{title} (Shapley split over the changed inputs, exact; points):")
        rows = _attribution_rows(a, d)
        w0 = max(len(r[0]) for r in rows)
        for label, detail, value in rows:
            lines.append(f"  {value:>9}  {label:{w0}}  {detail}".rstrip())
        labels = {p.key: p.label for p in a.parts}
        lines += [f"  {s}" for s in _shift_sentence(a, labels)]
        lines.append("")
    if rv.why:
        lines += [f"No attribution: {rv.why}", ""]
    lines.append(f"Changed inputs ({len(d.changes)}):" if d.changes else
                 "No input changed.")
    for c in d.changes:
        old, new = _change_text(c)
        shown = "text changed" if c.words else f"{old} -> {new}"
        lines.append(f"  {c.label}: {shown}   [{_where(c)}]")
        if c.words:
            lines.append(f"      {render_words(c.words)}")
    lines.append(f"Task rows: {_task_summary(d)}")
    fields = _result_rows(d)
    if fields:
        lines.append("")
        lines.append("Result fields that changed (§4):")
        w0 = max(len(r[0]) for r in fields)
        for name, old, new, delta in fields:
            lines.append(f"  {name:{w0}}  {old} -> {new}  {delta}".rstrip())
    lines += [f"Note: {p}" for p in d.problems]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------
# HTML

_PAGE = {**PAGE_COLOURS, "deleted": DELETED_FILL, "inserted": INSERTED_FILL}
_CSS = """
body { font-family: "Segoe UI", "DejaVu Sans", Arial, sans-serif; color: %(page_ink)s;
       max-width: 60em; margin: 1.5em auto; padding: 0 1em; line-height: 1.4; }
h1 { font-size: 1.45em; margin: 0 0 .2em; } h2 { font-size: 1.15em; margin: 1.2em 0 .3em;
     border-bottom: 2px solid %(header)s; }
p.meta { color: %(page_muted)s; margin: .1em 0; font-size: .9em; }
table { border-collapse: collapse; width: 100%%; margin: .4em 0; font-size: .92em; }
th, td { border: 1px solid %(page_rule)s; padding: .25em .45em; vertical-align: top;
         text-align: left; }
th { background: %(page_shade)s; } td.num { text-align: right; white-space: nowrap;
     font-variant-numeric: tabular-nums; }
tr { break-inside: avoid; } tr.total td { font-weight: 600; background: %(page_shade)s; }
td.where { font-size: .85em; color: %(page_muted)s; word-break: break-all; }
del { background: %(deleted)s; text-decoration: line-through; }
ins { background: %(inserted)s; text-decoration: none; }
.zone { padding: .05em .4em; border-radius: 3px; font-weight: 600; }
%(zones)s
footer { margin-top: 2em; border-top: 1px solid %(page_rule)s; padding-top: .4em;
         font-size: .8em; color: %(page_muted)s; }
@media print { body { margin: 0; max-width: none; font-size: 9pt; }
  @page { size: A4 landscape; margin: 12mm; } }
"""


def _e(value: Any) -> str:
    return _html.escape("" if value is None else str(value), quote=True)


def _words_html(words: tuple[tuple[str, str], ...]) -> str:
    out = []
    for op, chunk in words:
        if op == "-":
            out.append(f"<del>{_e(chunk)}</del>")
        elif op == "+":
            out.append(f"<ins>{_e(chunk)}</ins>")
        else:
            out.append(_e(chunk))
    return " ".join(out)


def _zone_html(value: str) -> str:
    zone = value.split(" ")[0].upper()
    if zone in ZONE_STYLES:
        return f'<span class="zone z-{zone.lower()}">{_e(value)}</span>'
    return _e(value)


def page(rv: Review) -> str:
    """The comparison as one self-contained, printable HTML page (A4 landscape)."""
    d = rv.diff
    zones = "\n".join(f".z-{z.lower()} {{ background: {bg}; color: {fg}; }}"
                      for z, (bg, fg) in ZONE_STYLES.items())
    title = d.new.role.title or d.old.role.title or "Assessment"
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           '<meta name="generator" content="aijri_xl diff">',
           f"<title>{_e(title)} — what changed</title>",
           f"<style>{_CSS % {'header': HEADER_FILL, 'zones': zones, **_PAGE}}</style>",
           "</head>", "<body>",
           f"<h1>{_e(title)}: what changed</h1>",
           f'<p class="meta">Old: {_e(d.old_file)}</p>',
           f'<p class="meta">New: {_e(d.new_file)}</p>',
           "<h2>Result</h2>", "<table><thead><tr><th></th><th>Old</th><th>New</th></tr>"
           "</thead><tbody>"]
    for label, old, new in headline(d):
        cell = _zone_html if label in ("Zone", "Sub-label") else _e
        out.append(f"<tr><th>{_e(label)}</th><td>{cell(old)}</td><td>{cell(new)}</td></tr>")
    out.append("</tbody></table>")
    for heading, a in (("Why the final score moved", rv.final),
                       ("Why the formula score moved", rv.formula)):
        if a is None:
            continue
        out += [f"<h2>{_e(heading)}</h2>",
                "<table><thead><tr><th>Input</th><th>Change</th><th>Points</th></tr>"
                "</thead><tbody>"]
        rows = _attribution_rows(a, d)
        for i, (label, detail, value) in enumerate(rows):
            css = ' class="total"' if i == len(rows) - 1 else ""
            out.append(f"<tr{css}><td>{_e(label)}</td><td>{_e(detail)}</td>"
                       f'<td class="num">{_e(value)}</td></tr>')
        out.append("</tbody></table>")
        labels = {p.key: p.label for p in a.parts}
        out += [f"<p>{_e(s)}</p>" for s in _shift_sentence(a, labels)]
    if rv.why:
        out.append(f"<p>No attribution: {_e(rv.why)}</p>")
    out += [f"<h2>Changed inputs ({len(d.changes)})</h2>",
            "<table><thead><tr><th>Input</th><th>Old</th><th>New</th><th>Old place</th>"
            "<th>New place</th></tr></thead><tbody>"]
    for c in d.changes:
        if c.words:
            new_cell = f'<td colspan="2">{_words_html(c.words)}</td>'
            old_cell = ""
        else:
            old, new = _change_text(c)
            old_cell, new_cell = f"<td>{_e(old)}</td>", f"<td>{_e(new)}</td>"
        out.append(f"<tr><td>{_e(c.label)}</td>{old_cell}{new_cell}"
                   f'<td class="where">{_e(c.old_where or "—")}</td>'
                   f'<td class="where">{_e(c.new_where or "—")}</td></tr>')
    if not d.changes:
        out.append('<tr><td colspan="5">No input changed.</td></tr>')
    out += ["</tbody></table>", f"<p>Task rows: {_e(_task_summary(d))}.</p>"]
    fields = _result_rows(d)
    if fields:
        out += ["<h2>Result fields that changed</h2>",
                "<table><thead><tr><th>Field</th><th>Old</th><th>New</th><th>Change</th>"
                "</tr></thead><tbody>"]
        out += [f"<tr><td>{_e(n)}</td><td>{_e(o)}</td><td>{_e(w)}</td>"
                f'<td class="num">{_e(x)}</td></tr>' for n, o, w, x in fields]
        out.append("</tbody></table>")
    out += [f"<p>Note: {_e(p)}</p>" for p in d.problems]
    out += ["<footer>Compared with aijri_xl. The split of the score change is the Shapley "
            "value over the changed inputs, computed exactly by the reference engine on the "
            "unrounded score; the rounding to one decimal is its own line "
            "(docs/ANALYTICS.md).</footer>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------
# Workbook


def workbook_bytes(rv: Review) -> bytes:
    """The comparison as an .xlsx: Summary (result and attribution), Changes, Results;
    each sheet set to print on A4 landscape, one page wide, header rows repeated."""
    import io

    import xlsxwriter

    from aijri_xl.workbook.writer import FIXED_DATE

    d = rv.diff
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                      "strings_to_urls": False, "strings_to_numbers": False})
    wb.set_properties({"title": "AIJRI comparison", "created": FIXED_DATE,
                       "subject": f"{d.old_file} -> {d.new_file}"})
    head = wb.add_format({"bold": True, "font_color": WHITE, "bg_color": HEADER_FILL,
                          "text_wrap": True, "valign": "top"})
    title_fmt = wb.add_format({"bold": True, "font_size": 14})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    points = wb.add_format({"num_format": "+0.0000;-0.0000;0.0000", "valign": "top"})
    total = wb.add_format({"num_format": "+0.0000;-0.0000;0.0000", "bold": True,
                           "top": 1, "valign": "top"})
    bold = wb.add_format({"bold": True, "top": 1, "valign": "top", "text_wrap": True})

    def fit(ws: Any, row: int, texts: tuple[Any, ...], widths: tuple[int, ...]) -> None:
        """Row height for wrapped text (spreadsheets do not grow rows a file sets)."""
        import math

        lines = max((sum(math.ceil(max(len(part), 1) / max(w - 2, 1))
                         for part in str(t).split("\n"))
                     for t, w in zip(texts, widths, strict=False)), default=1)
        if lines > 1:
            ws.set_row(row, 15 * lines)

    def setup(ws: Any, header_row: int, landscape: bool = True) -> None:
        if landscape:
            ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(header_row)
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        ws.set_footer("&L&F&RPage &P of &N")

    ws = wb.add_worksheet("Summary")
    setup(ws, 4)
    ws.set_column(0, 0, 44)
    ws.set_column(1, 1, 52)
    ws.set_column(2, 2, 22)
    ws.write_string(0, 0, f"{d.new.role.title or 'Assessment'}: what changed", title_fmt)
    ws.write_string(1, 0, f"Old: {d.old_file}")
    ws.write_string(2, 0, f"New: {d.new_file}")
    ws.write_row(4, 0, ("", "Old", "New"), head)
    row = 5
    for label, old, new in headline(d):
        ws.write_row(row, 0, (label, old, new), wrap)
        row += 1
    for heading, a in (("Why the final score moved", rv.final),
                       ("Why the formula score moved", rv.formula)):
        if a is None:
            continue
        row += 1
        ws.write_row(row, 0, (heading, "Change", "Points"), head)
        row += 1
        rows = _attribution_rows(a, d)
        values = [*(p.shown for p in a.parts), a.residue.shown]
        for i, (label, detail, _) in enumerate(rows[:-1]):
            fit(ws, row, (label, detail), (44, 52))
            ws.write_string(row, 0, label, wrap)
            ws.write_string(row, 1, detail, wrap)
            ws.write_number(row, 2, float(values[i]), points)
            row += 1
        ws.write_string(row, 0, rows[-1][0], bold)
        ws.write_string(row, 1, rows[-1][1], bold)
        ws.write_formula(row, 2, f"=SUM(C{row - len(values) + 1}:C{row})", total,
                         float(sum(values, Decimal(0))))
        row += 1
        labels = {p.key: p.label for p in a.parts}
        for s in _shift_sentence(a, labels):
            ws.merge_range(row, 0, row, 2, s, wrap)
            ws.set_row(row, 30)
            row += 1
    if rv.why:
        ws.write_string(row + 1, 0, f"No attribution: {rv.why}", wrap)

    ws = wb.add_worksheet("Changes")
    setup(ws, 0)
    widths = (40, 40, 48, 24, 28)
    for col, width in enumerate(widths):
        ws.set_column(col, col, width, wrap)
    ws.write_row(0, 0, ("Input", "Old", "New", "Old place", "New place"), head)
    for i, c in enumerate(d.changes, 1):
        old_text, new_text = _change_text(c)
        if c.words:
            new_text = render_words(c.words)
        cells = (c.label, old_text, new_text, c.old_where or "—", c.new_where or "—")
        fit(ws, i, cells, widths)
        ws.write_row(i, 0, cells, wrap)
    ws.write_string(len(d.changes) + 2, 0, f"Task rows: {_task_summary(d)}")
    ws.freeze_panes(1, 0)

    ws = wb.add_worksheet("Results")
    setup(ws, 0, landscape=False)
    for col, width in enumerate((26, 22, 22, 12)):
        ws.set_column(col, col, width, wrap)
    ws.write_row(0, 0, ("Field (§4)", "Old", "New", "Change"), head)
    for i, r in enumerate(d.results, 1):
        for col, value in enumerate((r.field, r.old, r.new, r.delta)):
            if isinstance(value, int | float) and not isinstance(value, bool):
                ws.write_number(i, col, value)
            else:
                ws.write_string(i, col, "" if value is None else str(value))
    ws.freeze_panes(1, 0)
    wb.close()
    return buffer.getvalue()


OUTPUT_SUFFIXES = (".html", ".htm", ".xlsx")


def output_problem(output: str | Path | None, sources: tuple[str | Path, ...]) -> str | None:
    """Why ``output`` cannot take the comparison (``None`` when it can, or is not given)."""
    if output is None:
        return None
    path = Path(output)
    if path.suffix.lower() not in OUTPUT_SUFFIXES:
        return f"the output must end in .html or .xlsx: {output}"
    if not path.parent.is_dir():
        return f"the folder {path.parent} does not exist"
    if path.exists() and path.resolve() in {Path(s).resolve() for s in sources}:
        return f"{output} is a file being compared; write elsewhere"
    return None


def write(rv: Review, output: Path) -> bytes:
    """The bytes of the comparison in the format ``output``'s suffix names."""
    return workbook_bytes(rv) if output.suffix.lower() == ".xlsx" else page(rv).encode("utf-8")


__all__ = ["DiffError", "Review", "output_problem", "page", "review", "review_of", "text",
           "workbook_bytes", "write"]
