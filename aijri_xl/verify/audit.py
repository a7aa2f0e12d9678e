"""Batch audit: verify whole folders of submitted files, in parallel, into one report.

``audit(paths)`` returns two pandas DataFrames (one row per file, one per finding);
``run_audit`` is the engine behind ``aijri verify`` for many files: it collects files from
folders and globs, verifies them in a process pool (one bad file never stops the batch:
every failure becomes a finding), and ``write_report`` writes ``.xlsx``, ``.csv``,
``.json`` or ``.html``. Text copied from a submitted file into a report is neutralised so
no spreadsheet program executes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aijri_xl.verify.filereport import (
    FILE_COLUMNS,
    FINDING_COLUMNS,
    SUMMARY_HEADER,
    FileReport,
    cell_text,
    collect,
    counts_line,
    failed,
    failed_report,
    finding_rows,
    jsonish,
    neutralise,
    report_bugs,
    settle,
    skip_reason,
    skipped_lines,
    summary_line,
    summary_table,
    verify_one,
)

if TYPE_CHECKING:
    from aijri_xl.verify.reports import AuditContext

__all__ = [
    "FILE_COLUMNS",
    "FINDING_COLUMNS",
    "SUMMARY_HEADER",
    "AuditContext",
    "FileReport",
    "audit",
    "cell_text",
    "collect",
    "counts_line",
    "failed",
    "failed_report",
    "finding_rows",
    "iter_audit",
    "jsonish",
    "neutralise",
    "report_bugs",
    "run_audit",
    "settle",
    "skip_reason",
    "skipped_lines",
    "summary_line",
    "summary_table",
    "verify_files",
    "verify_one",
    "write_report",
]

def __getattr__(name: str) -> Any:
    """:class:`~aijri_xl.verify.reports.AuditContext`, loaded with the report writers
    when it is first asked for (``aijri verify`` without ``--report`` never is)."""
    if name == "AuditContext":
        from aijri_xl.verify.reports import AuditContext

        return AuditContext
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def run_audit(paths: Iterable[str | Path], jobs: int | None = None,
              progress: Callable[[int, int], None] | None = None,
              skipped: list[tuple[str, str]] | None = None, *,
              keep_data: bool = False) -> list[FileReport]:
    """Verify every file under ``paths`` with ``jobs`` processes (default: every core);
    reports come back in the order the files were collected; the files left out
    (:mod:`aijri_xl.verify.walk`) are added to ``skipped`` as ``(file, reason)``;
    ``keep_data`` as for :func:`verify_one`."""
    return list(iter_audit(paths, jobs, progress, skipped=skipped, keep_data=keep_data))


def iter_audit(paths: Iterable[str | Path], jobs: int | None = None,
               progress: Callable[[int, int], None] | None = None, *,
               cache: Any = None, scheduler: str | None = None,
               skipped: list[tuple[str, str]] | None = None,
               keep_data: bool = False) -> Iterator[FileReport]:
    """:func:`run_audit` as a stream: each report as soon as it and those before it are
    done (:func:`aijri_xl.verify.runner.stream`), so that memory does not grow with the
    number of files. Paths may be fsspec URLs; ``cache`` is a
    :class:`~aijri_xl.verify.cache.Cache`; ``scheduler`` a Dask scheduler's address. The
    paths are walked as :func:`aijri_xl.verify.walk.walk` walks them: an audit report or
    register named on the command line fails (``AIJ-F203``), and a text file found in a
    folder that holds no published assessment is skipped (added to ``skipped`` as it
    comes)."""
    from aijri_xl.verify.runner import collect_names, is_url, stream
    from aijri_xl.verify.walk import named_outputs, not_a_report

    paths = list(paths)
    found: list[tuple[str, str]] = []
    files, problems = collect_names(paths, skipped=found)
    if skipped is not None:
        skipped.extend(found)
    named = named_outputs(paths, files)
    outputs = {file for file, _, _ in named}
    files = [f for f in files if f not in outputs]
    yield from problems
    yield from (failed_report(*n) for n in named)
    asked = {str(Path(p).resolve()) for p in paths if not is_url(str(p)) and Path(p).is_file()}
    for report in stream(files, jobs, cache=cache, scheduler=scheduler, progress=progress,
                         keep_data=keep_data):
        if not_a_report(report) and (is_url(report.file) or
                                     str(Path(report.file).resolve()) not in asked):
            if skipped is not None:
                from aijri_xl.verify.names import safe_text

                skipped.append((safe_text(report.file),
                                "a text file that is not a published assessment"))
            continue
        yield report


def verify_files(files: Sequence[str | Path], jobs: int | None = None,
                 progress: Callable[[int, int], None] | None = None, *,
                 keep_data: bool = False) -> list[FileReport]:
    """Verify ``files`` with ``jobs`` processes (default: every core), one report per file
    in the same order; ``keep_data`` as for :func:`verify_one`."""
    from aijri_xl.verify.runner import stream

    return list(stream(files, jobs, keep_data=keep_data, progress=progress))


def audit(paths: Iterable[str | Path] | str | Path, jobs: int | None = None) -> tuple[Any, Any]:
    """Audit files and folders; returns ``(files, findings)`` pandas DataFrames."""
    import pandas as pd

    if isinstance(paths, str | Path):
        paths = [paths]
    reports = run_audit(paths, jobs)
    files = pd.DataFrame([r.row() for r in reports], columns=list(FILE_COLUMNS))
    findings = pd.DataFrame(list(finding_rows(reports)), columns=list(FINDING_COLUMNS))
    return files, findings


def write_report(reports: Iterable[FileReport], path: Path, *,
                 skipped: Sequence[tuple[str, str]] = (), paths: Sequence[str] = (),
                 audited_at: str | None = None) -> list[Path]:
    """Write the audit report; the format follows the suffix (``.xlsx``, ``.csv``,
    ``.json``, ``.jsonl``, ``.html``). Returns the files written (a ``.csv`` report is two
    files: the files table and ``*-findings.csv``). Reports are written as they come
    (:mod:`aijri_xl.verify.reports`). Every form carries the audit mark
    (:mod:`aijri_xl.method.marks`), so no folder walk reads it back; ``paths``,
    ``audited_at`` and ``skipped`` (read when the report is closed, so a list still being
    filled by :func:`iter_audit` is complete) go on its first page."""
    from aijri_xl.verify.reports import AuditContext, open_report

    writer = open_report(path, AuditContext(tuple(paths), audited_at, skipped))
    for r in reports:
        writer.add(r)
    return writer.close()


