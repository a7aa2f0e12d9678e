"""Audit reports written as the files are verified: each report is added as it comes and
not kept, so writing a report of 100,000 files needs no more memory than one of ten.

``.jsonl`` (JSON Lines: one file's object per line, in the order of the files), ``.json``
(one object ``{"kind": "aijri-audit", ..., "files": [...], "counts": ..., "skipped": ...}``,
the files written one at a time), ``.csv`` (the files table, and ``*-findings.csv``),
``.xlsx`` (XlsxWriter in its constant-memory mode: findings go to disk as they are
written, the files table is spooled to a temporary file and written under its first page
at the end) and ``.html`` (rows spooled to a temporary file, the first page put above
them at the end). Every form but JSON Lines carries the audit mark
(:mod:`aijri_xl.method.marks`), so no folder walk reads a report back as an assessment;
the ``.xlsx`` and ``.html`` are laid out for paper (landscape, one page wide, the header
on every page). Text copied from a submitted file is neutralised so that no spreadsheet
program executes it.
"""

from __future__ import annotations

import csv
import html
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from aijri_xl._record import dataclass
from aijri_xl.method.marks import AUDIT, XLSX_PROPERTY, comment_line
from aijri_xl.method.parameters import METHOD
from aijri_xl.sources import WORKBOOK_SUFFIXES
from aijri_xl.styles import (
    BLACK,
    DARK,
    HEADER_FILL,
    LINK,
    PAGE_COLOURS,
    VERDICT_STYLES,
    WHITE,
)
from aijri_xl.verify.filereport import (
    FILE_COLUMNS,
    FINDING_COLUMNS,
    FileReport,
    cell_text,
    finding_rows,
    jsonish,
)
from aijri_xl.workbook.text import clip

REPORT_SUFFIXES = (".xlsx", ".csv", ".json", ".jsonl", ".html", ".htm")


@dataclass(frozen=True, slots=True)
class AuditContext:
    """What the first page of an audit report says: what was audited and when, and the
    files left out (:mod:`aijri_xl.verify.walk`). ``skipped`` is read when the report is
    closed, so it may be a list that the batch is still filling."""

    paths: tuple[str, ...] = ()
    audited_at: str | None = None
    skipped: Sequence[tuple[str, str]] = ()

    def lines(self, counts: dict[str, int], listed: str = "on the Skipped sheet"
              ) -> list[str]:
        audited = ", ".join(self.paths) if self.paths else "the files listed"
        lines = [f"Audited: {audited}"]
        if self.audited_at:
            lines.append(f"When: {self.audited_at}")
        total = sum(counts.values())
        lines.append(f"Method: {METHOD}; {total} file(s) verified: "
                     f"{counts['PASS']} PASS, {counts['WARN']} WARN, {counts['FAIL']} FAIL")
        if self.skipped:
            lines.append(f"Skipped, not read: {len(self.skipped)} file(s), listed {listed}")
        return lines


class ReportWriter:
    """Writes one audit report; :meth:`add` each file's report, then :meth:`close`."""

    def __init__(self, path: Path, ctx: AuditContext | None = None) -> None:
        self.path = path
        self.ctx = ctx or AuditContext()
        self.counts = dict.fromkeys(VERDICT_STYLES, 0)

    def add(self, report: FileReport) -> None:
        self.counts[report.verdict] = self.counts.get(report.verdict, 0) + 1
        self._add(report)

    def _add(self, report: FileReport) -> None:
        raise NotImplementedError

    def close(self) -> list[Path]:
        """Finish the report; returns the files written."""
        raise NotImplementedError


class _JsonLines(ReportWriter):
    def __init__(self, path: Path, ctx: AuditContext | None = None) -> None:
        super().__init__(path, ctx)
        self.handle = open(path, "w", encoding="utf-8")  # noqa: SIM115 (closed in close())

    def _add(self, report: FileReport) -> None:
        self.handle.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
        self.handle.flush()

    def close(self) -> list[Path]:
        self.handle.close()
        return [self.path]


class _Json(_JsonLines):
    """The same bytes as ``json.dumps({...}, indent=2)`` of the report object (``kind``
    first: the audit mark), the files written one element at a time."""

    def __init__(self, path: Path, ctx: AuditContext | None = None) -> None:
        super().__init__(path, ctx)
        head = {"kind": AUDIT, "method": METHOD, "audited": list(self.ctx.paths),
                "audited_at": self.ctx.audited_at}
        text = json.dumps(head, indent=2, ensure_ascii=False)
        self.handle.write(text[:-2] + ',\n  "files": ')
        self.first = True

    def _add(self, report: FileReport) -> None:
        item = json.dumps(report.to_dict(), indent=2, ensure_ascii=False)
        self.handle.write(("[\n" if self.first else ",\n") + _indent(_indent(item)))
        self.first = False

    def close(self) -> list[Path]:
        self.handle.write("[]" if self.first else "\n  ]")
        tail = {"counts": self.counts,
                "skipped": [{"file": f, "reason": why} for f, why in self.ctx.skipped]}
        text = json.dumps(tail, indent=2, ensure_ascii=False)
        self.handle.write(",\n" + text[2:] + "\n")
        return super().close()


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.split("\n"))


class _Csv(ReportWriter):
    def __init__(self, path: Path, ctx: AuditContext | None = None) -> None:
        super().__init__(path, ctx)
        self.findings_path = path.with_name(path.stem + "-findings.csv")
        self.handles = [open(p, "w", newline="", encoding="utf-8")  # noqa: SIM115
                        for p in (path, self.findings_path)]
        for handle, what in zip(self.handles, ("one row per file", "one row per finding"),
                                strict=True):
            handle.write(comment_line(AUDIT, what, style="hash") + "\n")
        self.files, self.findings = (csv.writer(h) for h in self.handles)
        self.files.writerow(FILE_COLUMNS)
        self.findings.writerow(FINDING_COLUMNS)

    def _add(self, report: FileReport) -> None:
        row = report.row()
        self.files.writerow([cell_text(row[c]) for c in FILE_COLUMNS])
        for finding in finding_rows([report]):
            self.findings.writerow([cell_text(jsonish(finding[c])) for c in FINDING_COLUMNS])

    def close(self) -> list[Path]:
        for handle in self.handles:
            handle.close()
        return [self.path, self.findings_path]


def _link_target(report_dir: Path, file: str, where: str | None) -> str | None:
    """An ``external:`` hyperlink from the report to a cell of an audited workbook."""
    if not where or "!" not in where or Path(file).suffix.lower() not in WORKBOOK_SUFFIXES \
            or "://" in file:
        return None
    sheet, ref = where.split("!", 1)
    if ":" in ref:
        ref = ref.split(":")[0]
    target = os.path.relpath(Path(file).resolve(), report_dir.resolve())
    return f"external:{target}#'{sheet}'!{ref}"


# The tables of the audit workbook: (column, heading, width); widths sum to what a
# landscape A4 or Letter page shows at about 80% (messages and paths wrap).
SUMMARY_TABLE = (("file", "File", 40), ("kind", "Kind", 9), ("role", "Role", 24),
                 ("assessor", "Assessor", 14), ("score_shown", "Score shown", 8),
                 ("score_by_method", "Score by the method", 9), ("zone", "Zone", 8),
                 ("verdict", "Verdict", 8), ("errors", "Errors", 7),
                 ("warnings", "Warnings", 8), ("infos", "Info", 6))
FINDINGS_TABLE = (("file", "File", 28), ("code", "Code", 10), ("severity", "Severity", 9),
                  ("where", "Where", 18), ("field", "Field", 16), ("expected", "Expected", 10),
                  ("actual", "Actual", 10), ("message", "Message", 62))


def _page_setup(ws: Any, header_row: int, title: str) -> None:
    """Landscape, as wide as one page (A4 or Letter: the scale follows the paper), the
    table's header repeated on every page, a footer with the page number."""
    ws.set_landscape()
    ws.set_paper(9)  # A4; fit to width keeps it whole on Letter too
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_row)
    ws.set_footer(f"&L&8{title}&R&8Page &P of &N")


class _Xlsx(ReportWriter):
    """Findings are written as they come (constant memory); the files table, under a first
    page with the counts, is spooled to a temporary file and written at the end."""

    def __init__(self, path: Path, ctx: AuditContext | None = None) -> None:
        import xlsxwriter

        from aijri_xl.workbook.writer import FIXED_DATE

        super().__init__(path, ctx)
        wb = self.wb = xlsxwriter.Workbook(str(path), {
            "strings_to_formulas": False, "strings_to_urls": False,
            "strings_to_numbers": False, "constant_memory": True})
        wb.set_properties({"title": "AIJRI audit report", "created": FIXED_DATE,
                           "comments": f"Method {METHOD}; written by aijri_xl"})
        wb.set_custom_property(XLSX_PROPERTY, AUDIT)
        base = {"font_name": "Calibri", "font_size": 10, "valign": "top"}
        self.title = wb.add_format({**base, "bold": True, "font_size": 16,
                                    "font_color": HEADER_FILL})
        self.note = wb.add_format({**base, "font_color": DARK})
        self.header = wb.add_format({**base, "bold": True, "font_color": WHITE,
                                     "bg_color": HEADER_FILL, "text_wrap": True, "border": 1,
                                     "border_color": WHITE})
        self.wrap = wb.add_format({**base, "text_wrap": True, "indent": 1})
        self.plain = wb.add_format({**base, "indent": 1})
        self.score = wb.add_format({**base, "num_format": "0.0"})
        self.link = wb.add_format({**base, "font_color": LINK, "underline": 1,
                                   "text_wrap": True})
        self.colours = {v: wb.add_format({**base, "bg_color": bg, "font_color": fg,
                                          "bold": True})
                        for v, (bg, fg) in VERDICT_STYLES.items()}
        self.severity = {"error": self.colours["FAIL"], "warning": self.colours["WARN"]}
        self.summary = wb.add_worksheet("Summary")
        self.sheet = wb.add_worksheet("Findings")
        for col, (_, _, width) in enumerate(FINDINGS_TABLE):
            self.sheet.set_column(col, col, width)
        self.sheet.set_row(0, 28)
        self.sheet.write_row(0, 0, [h for _, h, _ in FINDINGS_TABLE], self.header)
        self.spool: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        self.rows = 0
        self.finding_count = 0

    def _add(self, report: FileReport) -> None:
        from aijri_xl.workbook.writer import text_height

        self.rows += 1
        self.spool.write(json.dumps([cell_text(v) for v in report.row().values()],
                                    ensure_ascii=False) + "\n")
        for finding in finding_rows([report]):
            self.finding_count += 1
            i = self.finding_count
            texts = {key: str(cell_text(jsonish(finding[key]))) for key, _, _ in FINDINGS_TABLE}
            self.sheet.set_row(i, max(text_height(texts[k], w) for k, _, w in FINDINGS_TABLE))
            for col, (key, _, _) in enumerate(FINDINGS_TABLE):
                value = cell_text(jsonish(finding[key]))
                if key == "where":
                    target = _link_target(self.path.parent, finding["file"], finding["where"])
                    if target:
                        self.sheet.write_url(i, col, target, self.link, string=str(value),
                                             tip="Open this cell in the audited workbook")
                        continue
                fmt = self.severity.get(str(value), self.plain) if key == "severity" \
                    else self.wrap
                if isinstance(value, int | float) and not isinstance(value, bool):
                    self.sheet.write_number(i, col, value, fmt)
                else:
                    self.sheet.write_string(i, col, clip(str(value)), fmt)

    def _write_summary(self) -> None:
        from aijri_xl.workbook.writer import text_height

        ws = self.summary
        for col, (_, _, width) in enumerate(SUMMARY_TABLE):
            ws.set_column(col, col, width)
        ws.set_row(0, 24)
        ws.write_string(0, 0, "AIJRI audit report", self.title)
        intro = self.ctx.lines(self.counts)
        for k, line in enumerate(intro, 1):
            ws.write_string(k, 0, cell_text(line), self.note)
        top = len(intro) + 2
        ws.set_row(top, 28)
        ws.write_row(top, 0, [h for _, h, _ in SUMMARY_TABLE], self.header)
        self.spool.seek(0)
        keys = list(FILE_COLUMNS)
        for i, line in enumerate(self.spool, top + 1):
            row = dict(zip(keys, json.loads(line), strict=True))
            ws.set_row(i, max(text_height(str(row[k] or ""), w) for k, _, w in SUMMARY_TABLE[:4]))
            for col, (key, _, _) in enumerate(SUMMARY_TABLE):
                value = row[key]
                fmt = self.score if key.startswith("score") else \
                    self.colours.get(value, self.wrap) if key == "verdict" else self.wrap
                if isinstance(value, int | float) and not isinstance(value, bool):
                    ws.write_number(i, col, value, fmt)
                else:
                    ws.write_string(i, col, "" if value is None else clip(str(value)), fmt)
        self.spool.close()
        last = top + max(1, self.rows)
        ws.autofilter(top, 0, last, len(SUMMARY_TABLE) - 1)
        ws.freeze_panes(top + 1, 1)
        _page_setup(ws, top, "AIJRI audit report: files")

    def close(self) -> list[Path]:
        from aijri_xl.workbook.writer import text_height

        self._write_summary()
        self.sheet.autofilter(0, 0, max(1, self.finding_count), len(FINDINGS_TABLE) - 1)
        self.sheet.freeze_panes(1, 0)
        _page_setup(self.sheet, 0, "AIJRI audit report: findings")
        if self.ctx.skipped:
            skipped = self.wb.add_worksheet("Skipped")
            skipped.set_column(0, 0, 70)
            skipped.set_column(1, 1, 80)
            skipped.write_row(0, 0, ("File", "Why it was not read"), self.header)
            for i, (file, why) in enumerate(self.ctx.skipped, 1):
                skipped.set_row(i, max(text_height(file, 70), text_height(why, 80)))
                skipped.write_string(i, 0, cell_text(file), self.wrap)
                skipped.write_string(i, 1, cell_text(why), self.wrap)
            _page_setup(skipped, 0, "AIJRI audit report: files not read")
        self.summary.activate()
        self.wb.close()
        return [self.path]


def _esc(value: Any) -> str:
    return html.escape("" if value is None else str(value))


_HTML_STYLE = """body{font-family:system-ui,sans-serif;margin:2em;color:%(page_ink)s}
h1{color:%(header)s;margin:0 0 .3em}.intro p{margin:.15em 0}
table{border-collapse:collapse;font-size:12px;width:100%%;table-layout:fixed}
td,th{border:1px solid %(page_rule)s;padding:3px 5px;vertical-align:top;overflow-wrap:anywhere}
th{background:%(header)s;color:%(white)s;text-align:left}
thead{display:table-header-group}tbody{break-inside:avoid}
tr.finding td{color:%(page_muted)s;border-top:none}td.verdict{font-weight:bold}
th.file{width:24%%}th.role{width:14%%}th.assessor{width:9%%}th.verdict{width:6%%}
th.kind,th.zone{width:6%%}th.errors,th.infos{width:5%%}th.warnings{width:7%%}
th.score_shown,th.score_by_method{width:6%%}
@page{size:landscape;margin:12mm}
@media print{body{margin:0;font-size:11px}table{font-size:9.5px}
th{-webkit-print-color-adjust:exact;print-color-adjust:exact}
td.verdict{-webkit-print-color-adjust:exact;print-color-adjust:exact}}"""
_HTML_COLOURS = {**PAGE_COLOURS, "header": HEADER_FILL, "white": WHITE}


class _Html(ReportWriter):
    def __init__(self, path: Path, ctx: AuditContext | None = None) -> None:
        super().__init__(path, ctx)
        self.body: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        self.total = 0

    def _add(self, report: FileReport) -> None:
        self.total += 1
        row = report.row()
        bg, fg = VERDICT_STYLES.get(report.verdict, (WHITE, BLACK))
        cells = "".join(f'<td class="{c}">{_esc(row[c])}</td>' for c, _, _ in SUMMARY_TABLE
                        if c != "verdict")
        lines = [f'<tbody><tr><td class="verdict" style="background:{bg};color:{fg}">'
                 f"{_esc(report.verdict)}</td>{cells}</tr>"]
        for f in report.findings:
            lines.append(f'<tr class="finding"><td></td><td colspan="{len(SUMMARY_TABLE) - 1}">'
                         f"<code>{_esc(f['code'])}</code> {_esc(f['severity'])} "
                         f"<b>{_esc(f.get('where'))}</b> {_esc(f['message'])}</td></tr>")
        lines.append("</tbody>")
        self.body.write(("\n" if self.total > 1 else "") + "\n".join(lines))

    def close(self) -> list[Path]:
        head = "".join(f'<th class="{c}">{_esc(h)}</th>' for c, h, _ in
                       (SUMMARY_TABLE[7], *[t for t in SUMMARY_TABLE if t[0] != "verdict"]))
        intro = "".join(f"<p>{_esc(line)}</p>" for line in self.ctx.lines(self.counts,
                                                                          "at the end"))
        skipped = ""
        if self.ctx.skipped:
            items = "".join(f"<li><b>{_esc(f)}</b>: {_esc(why)}</li>"
                            for f, why in self.ctx.skipped)
            skipped = f"<h2>Skipped, not read</h2><ul>{items}</ul>"
        with open(self.path, "w", encoding="utf-8") as out:
            out.write(f"""<!DOCTYPE html>
{comment_line(AUDIT, "an audit report, not an assessment")}
<html lang="en"><head><meta charset="utf-8"><title>AIJRI audit report</title>
<style>
{_HTML_STYLE % _HTML_COLOURS}
</style></head><body>
<h1>AIJRI audit report</h1>
<div class="intro">{intro}</div>
<table><thead><tr>{head}</tr></thead>
""")
            self.body.seek(0)
            shutil.copyfileobj(self.body, out)
            out.write(f"\n</table>{skipped}</body></html>\n")
        self.body.close()
        return [self.path]


_WRITERS: dict[str, type[ReportWriter]] = {
    ".jsonl": _JsonLines, ".json": _Json, ".csv": _Csv, ".xlsx": _Xlsx, ".html": _Html,
    ".htm": _Html}


def open_report(path: str | Path, ctx: AuditContext | None = None) -> ReportWriter:
    """A writer for the report at ``path``; the format follows the suffix; ``ctx`` says
    what its first page says."""
    path = Path(path)
    writer = _WRITERS.get(path.suffix.lower())
    if writer is None:
        raise ValueError(f"unsupported report format {path.suffix!r}: use .xlsx, .csv, "
                         ".json, .jsonl or .html")
    return writer(path, ctx)
