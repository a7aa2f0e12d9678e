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
from typing import Any

from aijri_xl.verify.filereport import (
    FILE_COLUMNS,
    FINDING_COLUMNS,
    SUMMARY_HEADER,
    FileReport,
    cell_text,
    collect,
    counts_line,
    failed,
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

__all__ = [
    "FILE_COLUMNS",
    "FINDING_COLUMNS",
    "SUMMARY_HEADER",
    "FileReport",
    "audit",
    "cell_text",
    "collect",
    "counts_line",
    "failed",
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

def run_audit(paths: Iterable[str | Path], jobs: int | None = None,
              progress: Callable[[int, int], None] | None = None,
              skipped: list[tuple[str, str]] | None = None) -> list[FileReport]:
    """Verify every file under ``paths`` with ``jobs`` processes (default: every core);
    reports come back in the order the files were collected; files passed over are added
    to ``skipped``."""
    return list(iter_audit(paths, jobs, progress, skipped=skipped))


def iter_audit(paths: Iterable[str | Path], jobs: int | None = None,
               progress: Callable[[int, int], None] | None = None, *,
               cache: Any = None, scheduler: str | None = None,
               skipped: list[tuple[str, str]] | None = None) -> Iterator[FileReport]:
    """:func:`run_audit` as a stream: each report as soon as it and those before it are
    done (:func:`aijri_xl.verify.runner.stream`), so that memory does not grow with the
    number of files. Paths may be fsspec URLs; ``cache`` is a
    :class:`~aijri_xl.verify.cache.Cache`; ``scheduler`` a Dask scheduler's address."""
    from aijri_xl.verify.runner import collect_names, stream

    files, problems = collect_names(paths, skipped=skipped)
    yield from problems
    yield from stream(files, jobs, cache=cache, scheduler=scheduler, progress=progress)


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


def write_report(reports: Iterable[FileReport], path: Path) -> list[Path]:
    """Write the audit report; the format follows the suffix (``.xlsx``, ``.csv``,
    ``.json``, ``.jsonl``, ``.html``). Returns the files written (a ``.csv`` report is two
    files: the files table and ``*-findings.csv``). Reports are written as they come
    (:mod:`aijri_xl.verify.reports`)."""
    from aijri_xl.verify.reports import open_report

    writer = open_report(path)
    for r in reports:
        writer.add(r)
    return writer.close()


