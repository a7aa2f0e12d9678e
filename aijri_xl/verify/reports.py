"""Audit reports written as the files are verified: each report is added as it comes and
not kept, so writing a report of 100,000 files needs no more memory than one of ten.

``.jsonl`` (JSON Lines: one file's object per line, in the order of the files), ``.json``
(one array), ``.csv`` (the files table, and ``*-findings.csv``), ``.xlsx`` (XlsxWriter in
its constant-memory mode: rows go to disk as they are written) and ``.html`` (rows spooled
to a temporary file, the counts put above them at the end). Text copied from a submitted
file is neutralised so that no spreadsheet program executes it.
"""

from __future__ import annotations

import csv
import html
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import IO, Any

from aijri_xl.sources import WORKBOOK_SUFFIXES
from aijri_xl.styles import VERDICT_STYLES
from aijri_xl.verify.filereport import (
    FILE_COLUMNS,
    FINDING_COLUMNS,
    FileReport,
    cell_text,
    finding_rows,
    jsonish,
)

REPORT_SUFFIXES = (".xlsx", ".csv", ".json", ".jsonl", ".html", ".htm")


class ReportWriter:
    """Writes one audit report; :meth:`add` each file's report, then :meth:`close`."""

    def __init__(self, path: Path) -> None:
        self.path = path
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
    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.handle = open(path, "w", encoding="utf-8")  # noqa: SIM115 (closed in close())

    def _add(self, report: FileReport) -> None:
        self.handle.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
        self.handle.flush()

    def close(self) -> list[Path]:
        self.handle.close()
        return [self.path]


class _Json(_JsonLines):
    """The same bytes as ``json.dumps([...], indent=2)``, written one element at a time."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.first = True

    def _add(self, report: FileReport) -> None:
        item = json.dumps(report.to_dict(), indent=2, ensure_ascii=False)
        self.handle.write(("[\n" if self.first else ",\n") + _indent(item))
        self.first = False

    def close(self) -> list[Path]:
        self.handle.write("[]\n" if self.first else "\n]\n")
        return super().close()


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.split("\n"))


class _Csv(ReportWriter):
    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.findings_path = path.with_name(path.stem + "-findings.csv")
        self.handles = [open(p, "w", newline="", encoding="utf-8")  # noqa: SIM115
                        for p in (path, self.findings_path)]
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


SUMMARY_TITLES = ("File", "Kind", "Role", "Assessor", "Score shown", "Score by the method",
                  "Zone", "Verdict", "Errors", "Warnings", "Info")
SUMMARY_WIDTHS = (48, 9, 30, 18, 11, 11, 9, 9, 8, 9, 6)
FINDING_TITLES = ("File", "Code", "Severity", "Where", "Field", "Expected", "Actual",
                  "Message")
FINDING_WIDTHS = (40, 10, 9, 22, 22, 14, 14, 90)


class _Xlsx(ReportWriter):
    def __init__(self, path: Path) -> None:
        import xlsxwriter

        from aijri_xl.workbook.writer import FIXED_DATE

        super().__init__(path)
        wb = self.wb = xlsxwriter.Workbook(str(path), {
            "strings_to_formulas": False, "strings_to_urls": False,
            "strings_to_numbers": False, "constant_memory": True})
        wb.set_properties({"title": "AIJRI audit report", "created": FIXED_DATE})
        self.header = wb.add_format({"bold": True, "font_color": "#FFFFFF",
                                     "bg_color": "#1F3864", "text_wrap": True,
                                     "valign": "top"})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.score = wb.add_format({"num_format": "0.0", "valign": "top"})
        self.link = wb.add_format({"font_color": "#0563C1", "underline": 1,
                                   "valign": "top"})
        self.colours = {v: wb.add_format({"bg_color": bg, "font_color": fg})
                        for v, (bg, fg) in VERDICT_STYLES.items()}
        self.summary = wb.add_worksheet("Summary")
        for col, width in enumerate(SUMMARY_WIDTHS):
            self.summary.set_column(col, col, width)
        self.summary.write_row(0, 0, SUMMARY_TITLES, self.header)
        self.sheet = wb.add_worksheet("Findings")
        for col, width in enumerate(FINDING_WIDTHS):
            self.sheet.set_column(col, col, width, self.wrap if col == 7 else None)
        self.sheet.write_row(0, 0, FINDING_TITLES, self.header)
        self.rows = 0
        self.finding_count = 0

    def _add(self, report: FileReport) -> None:
        self.rows += 1
        row = report.row()
        for col, key in enumerate(FILE_COLUMNS):
            value = cell_text(row[key])
            fmt = self.score if key.startswith("score") else self.wrap
            if isinstance(value, int | float) and not isinstance(value, bool):
                self.summary.write_number(self.rows, col, value, fmt)
            else:
                self.summary.write_string(self.rows, col, str(value), fmt)
        for finding in finding_rows([report]):
            self.finding_count += 1
            i = self.finding_count
            for col, key in enumerate(FINDING_COLUMNS):
                value = cell_text(jsonish(finding[key]))
                if key == "where":
                    target = _link_target(self.path.parent, finding["file"], finding["where"])
                    if target:
                        self.sheet.write_url(i, col, target, self.link, string=str(value),
                                             tip="Open this cell in the audited workbook")
                        continue
                if isinstance(value, int | float) and not isinstance(value, bool):
                    self.sheet.write_number(i, col, value)
                else:
                    self.sheet.write_string(i, col, str(value),
                                            self.wrap if key == "message" else None)

    def close(self) -> list[Path]:
        last = max(1, self.rows)
        self.summary.autofilter(0, 0, last, len(FILE_COLUMNS) - 1)
        self.summary.freeze_panes(1, 1)
        for verdict, fmt in self.colours.items():
            self.summary.conditional_format(1, 0, last, len(FILE_COLUMNS) - 1, {
                "type": "formula", "criteria": f'=$H2="{verdict}"', "format": fmt})
        rows = max(1, self.finding_count)
        self.sheet.autofilter(0, 0, rows, len(FINDING_COLUMNS) - 1)
        self.sheet.freeze_panes(1, 0)
        for severity, verdict in (("error", "FAIL"), ("warning", "WARN")):
            self.sheet.conditional_format(1, 2, rows, 2, {
                "type": "cell", "criteria": "==", "value": f'"{severity}"',
                "format": self.colours[verdict]})
        self.summary.activate()
        self.wb.close()
        return [self.path]


def _esc(value: Any) -> str:
    return html.escape("" if value is None else str(value))


class _Html(ReportWriter):
    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.body: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        self.total = 0

    def _add(self, report: FileReport) -> None:
        self.total += 1
        row = report.row()
        bg, fg = VERDICT_STYLES.get(report.verdict, ("#FFFFFF", "#000000"))
        cells = "".join(f"<td>{_esc(row[c])}</td>" for c in FILE_COLUMNS if c != "verdict")
        lines = [f'<tr><td style="background:{bg};color:{fg};font-weight:bold">'
                 f"{_esc(report.verdict)}</td>{cells}</tr>"]
        for f in report.findings:
            lines.append(f'<tr class="finding"><td></td><td colspan="{len(FILE_COLUMNS) - 1}">'
                         f"<code>{_esc(f['code'])}</code> {_esc(f['severity'])} "
                         f"<b>{_esc(f.get('where'))}</b> {_esc(f['message'])}</td></tr>")
        self.body.write(("\n" if self.total > 1 else "") + "\n".join(lines))

    def close(self) -> list[Path]:
        c = self.counts
        head = "".join(f"<th>{_esc(col)}</th>" for col in (
            "verdict", *[col for col in FILE_COLUMNS if col != "verdict"]))
        with open(self.path, "w", encoding="utf-8") as out:
            out.write(f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>AIJRI audit report</title>
<style>body{{font-family:system-ui,sans-serif;margin:2em;color:#222}}
table{{border-collapse:collapse;font-size:13px}}td,th{{border:1px solid #ccc;padding:4px 6px;
vertical-align:top}}th{{background:#1F3864;color:#fff}}tr.finding td{{color:#555;
border-top:none}}</style></head><body>
<h1>AIJRI audit report</h1>
<p>{self.total} file(s): {c['PASS']} PASS, {c['WARN']} WARN, {c['FAIL']} FAIL.</p>
<table><tr>{head}</tr>
""")
            self.body.seek(0)
            shutil.copyfileobj(self.body, out)
            out.write("\n</table></body></html>\n")
        self.body.close()
        return [self.path]


_WRITERS: dict[str, type[ReportWriter]] = {
    ".jsonl": _JsonLines, ".json": _Json, ".csv": _Csv, ".xlsx": _Xlsx, ".html": _Html,
    ".htm": _Html}


def open_report(path: str | Path) -> ReportWriter:
    """A writer for the report at ``path``; the format follows the suffix."""
    path = Path(path)
    writer = _WRITERS.get(path.suffix.lower())
    if writer is None:
        raise ValueError(f"unsupported report format {path.suffix!r}: use .xlsx, .csv, "
                         ".json, .jsonl or .html")
    return writer(path)
