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
import glob
import html
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aijri_xl.method.findings import Finding
from aijri_xl.sources import SUFFIXES, WORKBOOK_SUFFIXES
from aijri_xl.styles import VERDICT_STYLES
from aijri_xl.verify.names import safe_text

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
    error: str | None = None
    """An internal error (a bug) while verifying: no finding about the file is made up."""

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
        out = {"file": self.file, "verdict": self.verdict, "method": self.method,
               "result": self.result, "findings": self.findings}
        if self.error is not None:
            out["internal_error"] = self.error
        return out


# ---------------------------------------------------------------------------------------
# Collecting files


def skip_reason(path: Path, suffixes: frozenset[str]) -> str | None:
    """Why a folder walk skips ``path`` (``None``: it is audited)."""
    name = path.name
    if name.startswith("~$"):
        return "an Excel lock file (the workbook is open in Excel)"
    if name.startswith(".~lock."):
        return "a LibreOffice lock file"
    if name.startswith("~") or name.lower().endswith((".tmp", ".temp", ".bak", "~")):
        return "a temporary file"
    if path.suffix.lower() not in suffixes:
        return "not an assessment file type"
    return None


def collect(paths: Iterable[str | Path], suffixes: frozenset[str] = WORKBOOK_SUFFIXES,
            skipped: list[tuple[str, str]] | None = None
            ) -> tuple[list[Path], list[FileReport]]:
    """Files to audit, in a stable order: files as named, folders searched recursively for
    files ending in one of ``suffixes`` (by default ``.xlsx``/``.xlsm``/``.ods``
    workbooks), globs
    expanded. A path that matches nothing becomes a failed report of its own. Every file a
    folder walk or glob passes over (lock files, temporary files, other types) is added to
    ``skipped`` as (its name, escaped; why)."""
    files: list[Path] = []
    problems: list[FileReport] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            files.append(path)

    for raw in paths:
        text = str(raw)
        if any(ch in text for ch in "*?[") and not Path(text).exists():
            matches = sorted(glob.glob(text, recursive=True))
            hits = []
            for m in matches:
                if Path(m).is_file():
                    why = skip_reason(Path(m), SUFFIXES)
                    if why is None:
                        hits.append(Path(m))
                    elif skipped is not None:
                        skipped.append((safe_text(m), why))
            if not hits:
                problems.append(_failed(text, "AIJ-F201", f"{text}: no assessment files match"))
            for hit in hits:
                add(hit)
            continue
        path = Path(text)
        if path.is_dir():
            found = []
            for p in sorted(path.rglob("*")):
                if not p.is_file():
                    continue
                why = skip_reason(p, suffixes)
                if why is None:
                    found.append(p)
                elif skipped is not None:
                    skipped.append((safe_text(str(p)), why))
            if not found:
                what = ".xlsx, .xlsm or .ods workbooks" if suffixes == WORKBOOK_SUFFIXES else \
                    "assessment files (" + ", ".join(sorted(suffixes)) + ")"
                problems.append(_failed(text, "AIJ-F201", f"{text}: the folder holds no {what}"))
            for p in found:
                add(p)
        else:
            add(path)
    return files, problems


def _failed(file: str, code: str, message: str) -> FileReport:
    finding = Finding(code, safe_text(message), where=safe_text(file))
    return FileReport(safe_text(file), "unknown", "FAIL", None, None, [finding.to_dict()])


def _safe_finding(f: Finding) -> dict[str, Any]:
    data = f.to_dict()
    for key in ("message", "where"):
        if isinstance(data.get(key), str):
            data[key] = safe_text(data[key])
    return data


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
    except Exception as exc:  # a bug: the batch goes on, and says so (exit 3), no finding
        # verdict FAIL (it was not verified) with no finding: the error is the tool's
        return FileReport(safe_text(str(path)), "unknown", "FAIL", None, None, [],
                          error=safe_text(f"{type(exc).__name__}: {exc}"))
    loaded = v.loaded
    a = loaded.assessment if loaded else None
    shown = None
    if loaded is not None and loaded.kind == "workbook":
        shown = _score_shown(loaded)
    elif loaded is not None:
        shown = next((s.value for s in loaded.stated if s.field in ("final_score", "score")),
                     None)
    return FileReport(
        file=safe_text(str(path)), kind=loaded.kind if loaded else "unknown",
        verdict=v.verdict, method=v.method, result=v.result.to_dict() if v.result else None,
        findings=[_safe_finding(f) for f in v.findings],
        role=safe_text(a.role.title) if a and a.role.title else None,
        assessor=safe_text(a.assessor) if a and a.assessor else None,
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


def report_bugs(reports: Sequence[FileReport], err: Callable[[str], None]) -> bool:
    """Say, through ``err``, which files met an internal error (a bug, not a finding);
    ``True`` when any did (the command then exits 3)."""
    bugs = [r for r in reports if r.error is not None]
    for r in bugs:
        err(f"aijri: internal error verifying {r.file}: {r.error}. This is a bug, not a "
            "finding about the file; please report it with the file.")
    return bool(bugs)


def settle() -> None:
    """Prepare a worker process: import what verifying needs, then move every object that
    lives as long as the process out of the cyclic garbage collector's way (a collection
    would otherwise walk them again for every file)."""
    import gc

    import aijri_xl.verify.evaluator
    import aijri_xl.verify.file
    import aijri_xl.verify.workbook_checks  # noqa: F401

    gc.collect()
    gc.freeze()


def run_audit(paths: Iterable[str | Path], jobs: int | None = None,
              progress: Callable[[int, int], None] | None = None,
              skipped: list[tuple[str, str]] | None = None) -> list[FileReport]:
    """Verify every file under ``paths`` with ``jobs`` processes (default: every core);
    reports come back in the order the files were collected; files passed over are added
    to ``skipped``."""
    files, problems = collect(paths, skipped=skipped)
    return problems + verify_files(files, jobs, progress)


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
        if total > 1:
            settle()
        for i, f in enumerate(files, 1):
            reports.append(worker(str(f)))
            if progress:
                progress(i, total)
    else:
        from concurrent.futures import ProcessPoolExecutor

        chunk = max(1, min(32, total // (jobs * 8) or 1))
        with ProcessPoolExecutor(max_workers=jobs, initializer=settle) as pool:
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


def write_report(reports: list[FileReport], path: Path) -> list[Path]:
    """Write the audit report; the format follows the suffix. Returns the files written
    (a ``.csv`` report is two files: the files table and ``*-findings.csv``)."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        path.write_text(json.dumps([r.to_dict() for r in reports], indent=2,
                                   ensure_ascii=False) + "\n", encoding="utf-8")
        return [path]
    if suffix == ".csv":
        return _write_csv(reports, path)
    if suffix == ".xlsx":
        _write_xlsx(reports, path)
        return [path]
    if suffix in (".html", ".htm"):
        path.write_text(_html(reports), encoding="utf-8")
        return [path]
    raise ValueError(f"unsupported report format {path.suffix!r}: use .xlsx, .csv, .json "
                     "or .html")


def _write_csv(reports: list[FileReport], path: Path) -> list[Path]:
    import csv

    findings_path = path.with_name(path.stem + "-findings.csv")
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(FILE_COLUMNS)
        for r in reports:
            row = r.row()
            writer.writerow([_cell_text(row[c]) for c in FILE_COLUMNS])
    with open(findings_path, "w", newline="", encoding="utf-8") as handle:
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


def _write_xlsx(reports: list[FileReport], path: Path) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                         "strings_to_urls": False,
                                         "strings_to_numbers": False})
    from aijri_xl.workbook.writer import FIXED_DATE

    wb.set_properties({"title": "AIJRI audit report", "created": FIXED_DATE})
    header = wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F3864",
                            "text_wrap": True, "valign": "top"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    score = wb.add_format({"num_format": "0.0", "valign": "top"})
    colours = {v: wb.add_format({"bg_color": bg, "font_color": fg})
               for v, (bg, fg) in VERDICT_STYLES.items()}

    summary = wb.add_worksheet("Summary")
    titles = ("File", "Kind", "Role", "Assessor", "Score shown", "Score by the method", "Zone",
              "Verdict", "Errors", "Warnings", "Info")
    summary.write_row(0, 0, titles, header)
    widths = (48, 9, 30, 18, 11, 11, 9, 9, 8, 9, 6)
    for col, width in enumerate(widths):
        summary.set_column(col, col, width)
    for i, r in enumerate(reports, 1):
        row = r.row()
        for col, key in enumerate(FILE_COLUMNS):
            value = _cell_text(row[key])
            fmt = score if key.startswith("score") else wrap
            if isinstance(value, int | float) and not isinstance(value, bool):
                summary.write_number(i, col, value, fmt)
            else:
                summary.write_string(i, col, str(value), fmt)
    last = max(1, len(reports))
    summary.autofilter(0, 0, last, len(FILE_COLUMNS) - 1)
    summary.freeze_panes(1, 1)
    for verdict, fmt in colours.items():
        summary.conditional_format(1, 0, last, len(FILE_COLUMNS) - 1, {
            "type": "formula", "criteria": f'=$H2="{verdict}"', "format": fmt})

    sheet = wb.add_worksheet("Findings")
    names = ("File", "Code", "Severity", "Where", "Field", "Expected", "Actual", "Message")
    sheet.write_row(0, 0, names, header)
    for col, width in enumerate((40, 10, 9, 22, 22, 14, 14, 90)):
        sheet.set_column(col, col, width, wrap if col == 7 else None)
    link = wb.add_format({"font_color": "#0563C1", "underline": 1, "valign": "top"})
    rows = list(_finding_rows(reports))
    for i, row in enumerate(rows, 1):
        for col, key in enumerate(FINDING_COLUMNS):
            value = _cell_text(_jsonish(row[key]))
            if key == "where":
                target = _link_target(path.parent, row["file"], row["where"])
                if target:
                    sheet.write_url(i, col, target, link, string=str(value),
                                    tip="Open this cell in the audited workbook")
                    continue
            if isinstance(value, int | float) and not isinstance(value, bool):
                sheet.write_number(i, col, value)
            else:
                sheet.write_string(i, col, str(value), wrap if key == "message" else None)
    sheet.autofilter(0, 0, max(1, len(rows)), len(FINDING_COLUMNS) - 1)
    sheet.freeze_panes(1, 0)
    severity_colours = {"error": colours["FAIL"], "warning": colours["WARN"]}
    for severity, fmt in severity_colours.items():
        sheet.conditional_format(1, 2, max(1, len(rows)), 2, {
            "type": "cell", "criteria": "==", "value": f'"{severity}"', "format": fmt})
    summary.activate()
    wb.close()


def _html(reports: list[FileReport]) -> str:
    def esc(value: Any) -> str:
        return html.escape("" if value is None else str(value))

    counts = {v: sum(r.verdict == v for r in reports) for v in VERDICT_STYLES}
    rows = []
    for r in reports:
        row = r.row()
        bg, fg = VERDICT_STYLES.get(r.verdict, ("#FFFFFF", "#000000"))
        cells = "".join(f"<td>{esc(row[c])}</td>" for c in FILE_COLUMNS if c != "verdict")
        rows.append(f'<tr><td style="background:{bg};color:{fg};font-weight:bold">'
                    f"{esc(r.verdict)}</td>{cells}</tr>")
        for f in r.findings:
            rows.append(f'<tr class="finding"><td></td><td colspan="{len(FILE_COLUMNS) - 1}">'
                        f"<code>{esc(f['code'])}</code> {esc(f['severity'])} "
                        f"<b>{esc(f.get('where'))}</b> {esc(f['message'])}</td></tr>")
    head = "".join(f"<th>{esc(c)}</th>" for c in ("verdict", *[c for c in FILE_COLUMNS
                                                               if c != "verdict"]))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>AIJRI audit report</title>
<style>body{{font-family:system-ui,sans-serif;margin:2em;color:#222}}
table{{border-collapse:collapse;font-size:13px}}td,th{{border:1px solid #ccc;padding:4px 6px;
vertical-align:top}}th{{background:#1F3864;color:#fff}}tr.finding td{{color:#555;
border-top:none}}</style></head><body>
<h1>AIJRI audit report</h1>
<p>{len(reports)} file(s): {counts['PASS']} PASS, {counts['WARN']} WARN, {counts['FAIL']} FAIL.</p>
<table><tr>{head}</tr>
{chr(10).join(rows)}
</table></body></html>
"""


def summary_table(reports: list[FileReport], width: int = 100,
                  skipped: Sequence[tuple[str, str]] = ()) -> str:
    """A readable plain-text table for the end of a batch, files passed over named; every
    name is one line (reports and ``skipped`` hold names escaped by
    :func:`~aijri_xl.verify.names.safe_text`)."""
    lines = [f"{'verdict':7}  {'errors':>6}  {'warns':>5}  {'score':>6}  {'method':>6}  file"]
    for r in reports:
        row = r.row()
        shown = f"{row['score_shown']:.1f}" if isinstance(row["score_shown"], float) else "-"
        method = f"{row['score_by_method']:.1f}" if row["score_by_method"] is not None else "-"
        file = r.file  # escaped when the report was made
        name = file if len(file) <= width - 45 else "…" + file[-(width - 46):]
        lines.append(f"{r.verdict:7}  {row['errors']:>6}  {row['warnings']:>5}  {shown:>6}  "
                     f"{method:>6}  {name}")
    counts = {v: sum(r.verdict == v for r in reports) for v in VERDICT_STYLES}
    errors = sum(r.error is not None for r in reports)
    lines.append(f"{len(reports)} file(s): {counts['PASS']} PASS, {counts['WARN']} WARN, "
                 f"{counts['FAIL']} FAIL" + (f", {errors} internal error(s)" if errors else ""))
    for name, why in skipped:
        lines.append(f"skipped  {name}  ({why})")  # escaped by collect()
    if skipped:
        lines.append(f"{len(skipped)} file(s) skipped")
    return "\n".join(lines)


