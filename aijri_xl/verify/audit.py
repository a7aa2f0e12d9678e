"""Batch audit: verify whole folders of submitted files, in parallel, into one report.

``audit(paths)`` returns two pandas DataFrames (one row per file, one per finding);
``run_audit`` is the engine behind ``aijri verify`` for many files: it collects files from
folders and globs, verifies them in a process pool (one bad file never stops the batch:
every failure becomes a finding), and ``write_report`` writes ``.xlsx``, ``.csv``,
``.json`` or ``.html``. Text copied from a submitted file into a report is neutralised so
no spreadsheet program executes it.
"""

from __future__ import annotations

import functools
import html
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aijri_xl.method.findings import Finding
from aijri_xl.method.marks import AUDIT, XLSX_PROPERTY, comment_line
from aijri_xl.method.parameters import METHOD
from aijri_xl.sources import SUFFIXES, WORKBOOK_SUFFIXES
from aijri_xl.styles import HEADER_FILL, VERDICT_STYLES

FILE_COLUMNS = ("file", "kind", "role", "assessor", "score_shown", "score_by_method", "zone",
                "verdict", "errors", "warnings", "infos")
FINDING_COLUMNS = ("file", "code", "severity", "where", "field", "expected", "actual",
                   "message")


@dataclass(slots=True)
class FileReport:
    """One audited file, as plain data that crosses process boundaries cheaply."""

    file: str
    kind: str
    verdict: str
    method: str | None
    result: dict[str, Any] | None
    findings: list[dict[str, Any]] = field(default_factory=list)
    role: str | None = None
    assessor: str | None = None
    score_shown: Any = None
    data: dict[str, Any] | None = field(default=None, repr=False)
    """The assessment as plain data, when asked for (``verify_one(keep_data=True)``)."""

    def row(self) -> dict[str, Any]:
        severities = [f["severity"] for f in self.findings]
        return {
            "file": self.file, "kind": self.kind, "role": self.role,
            "assessor": self.assessor, "score_shown": self.score_shown,
            "score_by_method": self.result["final_score"] if self.result else None,
            "zone": self.result["zone"] if self.result else None, "verdict": self.verdict,
            "errors": severities.count("error"), "warnings": severities.count("warning"),
            "infos": severities.count("info"),
        }

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "verdict": self.verdict, "method": self.method,
                "result": self.result, "findings": self.findings}


# ---------------------------------------------------------------------------------------
# Collecting files


def collect(paths: Iterable[str | Path], suffixes: frozenset[str] = SUFFIXES
            ) -> tuple[list[Path], list[FileReport]]:
    """Files to audit and the failed reports of paths that matched nothing
    (:func:`aijri_xl.verify.walk.walk`, whose ``skipped`` names the files left out)."""
    from aijri_xl.verify.walk import walk

    found = walk(paths, suffixes)
    return found.files, [failed_report(*p) for p in found.problems]


def failed_report(file: str, code: str, message: str) -> FileReport:
    """A file that fails with one finding (nothing could be read)."""
    return _failed(file, code, message)


def _failed(file: str, code: str, message: str) -> FileReport:
    finding = Finding(code, message, where=file)
    return FileReport(file, "unknown", "FAIL", None, None, [finding.to_dict()])


# ---------------------------------------------------------------------------------------
# Verifying


def verify_one(path: str, keep_data: bool = False) -> FileReport:
    """Verify one file into a :class:`FileReport`; never raises. With ``keep_data`` the
    report also carries the assessment as plain data (``files.assessment_to_data``)."""
    from aijri_xl.verify.file import verify_file

    try:
        v = verify_file(path)
    except MemoryError:
        return _failed(path, "AIJ-F205", f"{path}: ran out of memory reading the file")
    except Exception as exc:  # a bug or a parser's own crash: this file fails, not the batch
        return _failed(path, "AIJ-F202", f"{path}: could not be verified ({type(exc).__name__}"
                       f": {exc})")
    loaded = v.loaded
    a = loaded.assessment if loaded else None
    shown = None
    if loaded is not None and loaded.kind == "workbook":
        shown = _score_shown(loaded)
    elif loaded is not None:
        shown = next((s.value for s in loaded.stated if s.field in ("final_score", "score")),
                     None)
    return FileReport(
        file=str(path), kind=loaded.kind if loaded else "unknown", verdict=v.verdict,
        method=v.method, result=v.result.to_dict() if v.result else None,
        findings=[f.to_dict() for f in v.findings],
        role=a.role.title if a else None, assessor=a.assessor if a else None,
        score_shown=shown, data=_assessment_data(a) if keep_data and a else None)


def _assessment_data(a: Any) -> dict[str, Any]:
    from aijri_xl.method.codec import assessment_to_data

    return assessment_to_data(a)


def _score_shown(loaded: Any) -> Any:
    data, lay = loaded.extra.get("workbook"), loaded.extra.get("layout")
    if data is None or lay is None:
        return None
    cell = lay.by_name["final_score"]
    value = data.cell(cell.sheet, cell.ref).value
    return value if value != "" else None


def run_audit(paths: Iterable[str | Path], jobs: int | None = None,
              progress: Callable[[int, int], None] | None = None,
              skipped_out: list[tuple[str, str]] | None = None, *,
              keep_data: bool = False) -> list[FileReport]:
    """Verify every file under ``paths`` with ``jobs`` processes (default: every core);
    reports come back in the order the files were collected. The files left out
    (:mod:`aijri_xl.verify.walk`) are added to ``skipped_out`` as ``(file, reason)``;
    ``keep_data`` as for :func:`verify_one`."""
    from aijri_xl.verify.walk import drop_non_reports, named_output, walk

    paths = list(paths)
    found = walk(paths)
    named = [n for n in map(named_output, map(str, found.files)) if n is not None]
    outputs = {file for file, _, _ in named}
    files = [f for f in found.files if str(f) not in outputs]
    reports, skipped = drop_non_reports(
        verify_files(files, jobs, progress, keep_data=keep_data), paths)
    if skipped_out is not None:
        skipped_out.extend(found.skipped + skipped)
    return [failed_report(*p) for p in found.problems + named] + reports


def verify_files(files: Sequence[str | Path], jobs: int | None = None,
                 progress: Callable[[int, int], None] | None = None, *,
                 keep_data: bool = False) -> list[FileReport]:
    """Verify ``files`` with ``jobs`` processes (default: every core), one report per file
    in the same order; ``keep_data`` as for :func:`verify_one`."""
    total = len(files)
    worker = functools.partial(verify_one, keep_data=keep_data)
    jobs = max(1, jobs or os.cpu_count() or 1)
    reports: list[FileReport] = []
    if jobs == 1 or total < 4:
        for i, f in enumerate(files, 1):
            reports.append(worker(str(f)))
            if progress:
                progress(i, total)
    else:
        from concurrent.futures import ProcessPoolExecutor

        chunk = max(1, min(32, total // (jobs * 8) or 1))
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for i, report in enumerate(pool.map(worker, map(str, files),
                                                chunksize=chunk), 1):
                reports.append(report)
                if progress:
                    progress(i, total)
    return reports


def audit(paths: Iterable[str | Path] | str | Path, jobs: int | None = None) -> tuple[Any, Any]:
    """Audit files and folders; returns ``(files, findings)`` pandas DataFrames."""
    import pandas as pd

    if isinstance(paths, str | Path):
        paths = [paths]
    reports = run_audit(paths, jobs)
    files = pd.DataFrame([r.row() for r in reports], columns=list(FILE_COLUMNS))
    findings = pd.DataFrame(list(_finding_rows(reports)), columns=list(FINDING_COLUMNS))
    return files, findings


def _finding_rows(reports: list[FileReport]) -> Iterator[dict[str, Any]]:
    for r in reports:
        for f in r.findings:
            yield {"file": r.file, **{k: f.get(k) for k in FINDING_COLUMNS if k != "file"}}


# ---------------------------------------------------------------------------------------
# Reports

_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet could take for a formula gets a leading apostrophe
    (OWASP's advice for CSV injection); numbers and other values pass unchanged."""
    if isinstance(value, str) and value.startswith(_DANGEROUS_START):
        return "'" + value
    return value


def _cell_text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, int | float):
        return value
    return neutralise(str(value))


@dataclass(frozen=True, slots=True)
class AuditContext:
    """What the first page of an audit report says: what was audited and when, and the
    files left out (:mod:`aijri_xl.verify.walk`)."""

    paths: tuple[str, ...] = ()
    audited_at: str | None = None
    skipped: tuple[tuple[str, str], ...] = ()

    def lines(self, reports: list[FileReport], listed: str = "on the Skipped sheet"
              ) -> list[str]:
        counts = _verdict_counts(reports)
        audited = ", ".join(self.paths) if self.paths else "the files listed"
        lines = [f"Audited: {audited}"]
        if self.audited_at:
            lines.append(f"When: {self.audited_at}")
        lines.append(f"Method: {METHOD}; {len(reports)} file(s) verified: "
                     f"{counts['PASS']} PASS, {counts['WARN']} WARN, {counts['FAIL']} FAIL")
        if self.skipped:
            lines.append(f"Skipped, not read: {len(self.skipped)} file(s), listed {listed}")
        return lines


def _verdict_counts(reports: list[FileReport]) -> dict[str, int]:
    return {v: sum(r.verdict == v for r in reports) for v in VERDICT_STYLES}


def write_report(reports: list[FileReport], path: Path, *,
                 skipped: Sequence[tuple[str, str]] = (), paths: Sequence[str] = (),
                 audited_at: str | None = None) -> list[Path]:
    """Write the audit report; the format follows the suffix. Returns the files written
    (a ``.csv`` report is two files: the files table and ``*-findings.csv``). Every form
    carries the audit mark (:mod:`aijri_xl.method.marks`), so no folder walk reads it
    back; ``paths``, ``audited_at`` and ``skipped`` go on its first page."""
    ctx = AuditContext(tuple(paths), audited_at, tuple(skipped))
    suffix = path.suffix.lower()
    if suffix == ".json":
        counts = _verdict_counts(reports)
        data = {"kind": AUDIT, "method": METHOD, "audited": list(ctx.paths),
                "audited_at": ctx.audited_at, "counts": counts,
                "files": [r.to_dict() for r in reports],
                "skipped": [{"file": f, "reason": why} for f, why in ctx.skipped]}
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n",
                        encoding="utf-8")
        return [path]
    if suffix == ".csv":
        return _write_csv(reports, path)
    if suffix == ".xlsx":
        _write_xlsx(reports, path, ctx)
        return [path]
    if suffix in (".html", ".htm"):
        path.write_text(_html(reports, ctx), encoding="utf-8")
        return [path]
    raise ValueError(f"unsupported report format {path.suffix!r}: use .xlsx, .csv, .json "
                     "or .html")


def _write_csv(reports: list[FileReport], path: Path) -> list[Path]:
    import csv

    findings_path = path.with_name(path.stem + "-findings.csv")
    with open(path, "w", newline="", encoding="utf-8") as handle:
        handle.write(comment_line(AUDIT, "one row per file", style="hash") + "\n")
        writer = csv.writer(handle)
        writer.writerow(FILE_COLUMNS)
        for r in reports:
            row = r.row()
            writer.writerow([_cell_text(row[c]) for c in FILE_COLUMNS])
    with open(findings_path, "w", newline="", encoding="utf-8") as handle:
        handle.write(comment_line(AUDIT, "one row per finding", style="hash") + "\n")
        writer = csv.writer(handle)
        writer.writerow(FINDING_COLUMNS)
        for row in _finding_rows(reports):
            writer.writerow([_cell_text(_jsonish(row[c])) for c in FINDING_COLUMNS])
    return [path, findings_path]


def _jsonish(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def _link_target(report_dir: Path, file: str, where: str | None) -> str | None:
    """An ``external:`` hyperlink from the report to a cell of an audited workbook."""
    if not where or "!" not in where or Path(file).suffix.lower() not in WORKBOOK_SUFFIXES:
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


def _page_setup(ws: Any, header_row: int, columns: int, title: str) -> None:
    """Landscape, as wide as one page (A4 or Letter: the scale follows the paper), the
    table's header repeated on every page, a footer with the page number."""
    ws.set_landscape()
    ws.set_paper(9)  # A4; fit to width keeps it whole on Letter too
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_row)
    ws.set_footer(f"&L&8{title}&R&8Page &P of &N")


def _write_xlsx(reports: list[FileReport], path: Path, ctx: AuditContext) -> None:
    import xlsxwriter

    from aijri_xl.workbook.writer import FIXED_DATE, text_height

    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                         "strings_to_urls": False,
                                         "strings_to_numbers": False})
    wb.set_properties({"title": "AIJRI audit report", "created": FIXED_DATE,
                       "comments": f"Method {METHOD}; written by aijri_xl"})
    wb.set_custom_property(XLSX_PROPERTY, AUDIT)
    base = {"font_name": "Calibri", "font_size": 10, "valign": "top"}
    title_fmt = wb.add_format({**base, "bold": True, "font_size": 16, "font_color": HEADER_FILL})
    note = wb.add_format({**base, "font_color": "#404040"})
    header = wb.add_format({**base, "bold": True, "font_color": "#FFFFFF", "bg_color": HEADER_FILL,
                            "text_wrap": True, "border": 1, "border_color": "#FFFFFF"})
    wrap = wb.add_format({**base, "text_wrap": True, "indent": 1})  # apart from a number
    plain = wb.add_format({**base, "indent": 1})
    score = wb.add_format({**base, "num_format": "0.0"})
    colours = {v: wb.add_format({**base, "bg_color": bg, "font_color": fg, "bold": True})
               for v, (bg, fg) in VERDICT_STYLES.items()}

    summary = wb.add_worksheet("Summary")
    summary.write_string(0, 0, "AIJRI audit report", title_fmt)
    summary.set_row(0, 24)
    intro = ctx.lines(reports)
    for k, line in enumerate(intro, 1):
        summary.write_string(k, 0, _cell_text(line), note)
    top = len(intro) + 2
    summary.write_row(top, 0, [h for _, h, _ in SUMMARY_TABLE], header)
    summary.set_row(top, 28)
    for col, (_, _, width) in enumerate(SUMMARY_TABLE):
        summary.set_column(col, col, width)
    for i, r in enumerate(reports, top + 1):
        row = r.row()
        summary.set_row(i, max(text_height(str(row[k] or ""), w)
                               for k, _, w in SUMMARY_TABLE[:4]))
        for col, (key, _, _) in enumerate(SUMMARY_TABLE):
            value = _cell_text(row[key])
            fmt = score if key.startswith("score") else colours.get(value, wrap) \
                if key == "verdict" else wrap
            if isinstance(value, int | float) and not isinstance(value, bool):
                summary.write_number(i, col, value, fmt)
            else:
                summary.write_string(i, col, str(value), fmt)
    last = top + max(1, len(reports))
    summary.autofilter(top, 0, last, len(SUMMARY_TABLE) - 1)
    summary.freeze_panes(top + 1, 1)
    _page_setup(summary, top, len(SUMMARY_TABLE), "AIJRI audit report: files")

    sheet = wb.add_worksheet("Findings")
    sheet.write_row(0, 0, [h for _, h, _ in FINDINGS_TABLE], header)
    sheet.set_row(0, 28)
    for col, (_, _, width) in enumerate(FINDINGS_TABLE):
        sheet.set_column(col, col, width)
    link = wb.add_format({**base, "font_color": "#0563C1", "underline": 1, "text_wrap": True})
    severity_fmt = {"error": colours["FAIL"], "warning": colours["WARN"]}
    rows = list(_finding_rows(reports))
    for i, row in enumerate(rows, 1):
        texts = {key: str(_cell_text(_jsonish(row[key]))) for key, _, _ in FINDINGS_TABLE}
        sheet.set_row(i, max(text_height(texts[k], w) for k, _, w in FINDINGS_TABLE))
        for col, (key, _, _) in enumerate(FINDINGS_TABLE):
            value = _cell_text(_jsonish(row[key]))
            if key == "where":
                target = _link_target(path.parent, row["file"], row["where"])
                if target:
                    sheet.write_url(i, col, target, link, string=str(value),
                                    tip="Open this cell in the audited workbook")
                    continue
            fmt = severity_fmt.get(str(value), plain) if key == "severity" else wrap
            if isinstance(value, int | float) and not isinstance(value, bool):
                sheet.write_number(i, col, value, fmt)
            else:
                sheet.write_string(i, col, str(value), fmt)
    sheet.autofilter(0, 0, max(1, len(rows)), len(FINDINGS_TABLE) - 1)
    sheet.freeze_panes(1, 0)
    _page_setup(sheet, 0, len(FINDINGS_TABLE), "AIJRI audit report: findings")

    if ctx.skipped:
        skipped = wb.add_worksheet("Skipped")
        skipped.write_row(0, 0, ("File", "Why it was not read"), header)
        skipped.set_column(0, 0, 70)
        skipped.set_column(1, 1, 80)
        for i, (file, why) in enumerate(ctx.skipped, 1):
            skipped.write_string(i, 0, _cell_text(file), wrap)
            skipped.write_string(i, 1, _cell_text(why), wrap)
            skipped.set_row(i, max(text_height(file, 70), text_height(why, 80)))
        _page_setup(skipped, 0, 2, "AIJRI audit report: files not read")
    summary.activate()
    wb.close()


def _html(reports: list[FileReport], ctx: AuditContext | None = None) -> str:
    def esc(value: Any) -> str:
        return html.escape("" if value is None else str(value))

    ctx = ctx or AuditContext()
    rows = []
    for r in reports:
        row = r.row()
        bg, fg = VERDICT_STYLES.get(r.verdict, ("#FFFFFF", "#000000"))
        cells = "".join(f'<td class="{c}">{esc(row[c])}</td>' for c, _, _ in SUMMARY_TABLE
                        if c != "verdict")
        rows.append(f'<tbody><tr><td class="verdict" style="background:{bg};color:{fg}">'
                    f"{esc(r.verdict)}</td>{cells}</tr>")
        for f in r.findings:
            rows.append(f'<tr class="finding"><td></td><td colspan="{len(SUMMARY_TABLE) - 1}">'
                        f"<code>{esc(f['code'])}</code> {esc(f['severity'])} "
                        f"<b>{esc(f.get('where'))}</b> {esc(f['message'])}</td></tr>")
        rows.append("</tbody>")
    head = "".join(f'<th class="{c}">{esc(h)}</th>' for c, h, _ in
                   (SUMMARY_TABLE[7], *[t for t in SUMMARY_TABLE if t[0] != "verdict"]))
    intro = "".join(f"<p>{esc(line)}</p>" for line in ctx.lines(reports, "at the end"))
    skipped = ""
    if ctx.skipped:
        items = "".join(f"<li><b>{esc(f)}</b>: {esc(why)}</li>" for f, why in ctx.skipped)
        skipped = f"<h2>Skipped, not read</h2><ul>{items}</ul>"
    return f"""<!DOCTYPE html>
{comment_line(AUDIT, "an audit report, not an assessment")}
<html lang="en"><head><meta charset="utf-8"><title>AIJRI audit report</title>
<style>
body{{font-family:system-ui,sans-serif;margin:2em;color:#222}}
h1{{color:#1F3864;margin:0 0 .3em}}.intro p{{margin:.15em 0}}
table{{border-collapse:collapse;font-size:12px;width:100%;table-layout:fixed}}
td,th{{border:1px solid #ccc;padding:3px 5px;vertical-align:top;overflow-wrap:anywhere}}
th{{background:#1F3864;color:#fff;text-align:left}}
thead{{display:table-header-group}}tbody{{break-inside:avoid}}
tr.finding td{{color:#444;border-top:none}}td.verdict{{font-weight:bold}}
th.file{{width:24%}}th.role{{width:14%}}th.assessor{{width:9%}}th.verdict{{width:6%}}
th.kind,th.zone{{width:6%}}th.errors,th.infos{{width:5%}}th.warnings{{width:7%}}
th.score_shown,th.score_by_method{{width:6%}}
@page{{size:landscape;margin:12mm}}
@media print{{body{{margin:0;font-size:11px}}table{{font-size:9.5px}}
th{{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
td.verdict{{-webkit-print-color-adjust:exact;print-color-adjust:exact}}}}
</style></head><body>
<h1>AIJRI audit report</h1>
<div class="intro">{intro}</div>
<table><thead><tr>{head}</tr></thead>
{chr(10).join(rows)}
</table>{skipped}</body></html>
"""


def summary_table(reports: list[FileReport], width: int = 100) -> str:
    """A readable plain-text table for the end of a batch."""
    lines = [f"{'verdict':7}  {'errors':>6}  {'warns':>5}  {'score':>6}  {'method':>6}  file"]
    for r in reports:
        row = r.row()
        shown = f"{row['score_shown']:.1f}" if isinstance(row["score_shown"], float) else "-"
        method = f"{row['score_by_method']:.1f}" if row["score_by_method"] is not None else "-"
        name = r.file if len(r.file) <= width - 45 else "…" + r.file[-(width - 46):]
        lines.append(f"{r.verdict:7}  {row['errors']:>6}  {row['warnings']:>5}  {shown:>6}  "
                     f"{method:>6}  {name}")
    counts = {v: sum(r.verdict == v for r in reports) for v in VERDICT_STYLES}
    lines.append(f"{len(reports)} file(s): {counts['PASS']} PASS, {counts['WARN']} WARN, "
                 f"{counts['FAIL']} FAIL")
    return "\n".join(lines)


