"""What ``aijri verify`` prints, written as the reports come: each file's findings (or its
JSON object), then the summary table. Nothing is kept per file but the table's lines, and
those wait in a temporary file, so memory does not grow with the number of files."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any, TextIO

from aijri_xl.verify.filereport import (
    SUMMARY_HEADER,
    FileReport,
    counts_line,
    skipped_lines,
    summary_line,
)


def render(reports: Iterable[FileReport], out: TextIO, *, single: bool = False,
           quiet: bool = False, as_json: bool = False,
           each: Sequence[Any] = (), skipped: Sequence[tuple[str, str]] = (),
           as_dict: Callable[[FileReport], dict[str, Any]] | None = None) -> dict[str, int]:
    """Print ``reports`` to ``out``; returns the number of files per verdict. As JSON, the
    same text as ``json.dumps([...], indent=2)`` of every file's object. Otherwise a file's
    findings (all when ``single``; none when ``quiet``; those of a PASS only when
    ``single``), then the summary table. ``each``, if given, are writers whose ``add`` is
    called with each report (an audit report being written); ``as_dict`` makes a file's
    JSON object (default: :meth:`FileReport.to_dict`)."""
    counts = {"PASS": 0, "WARN": 0, "FAIL": 0}
    errors = 0
    with _Lines() as table:
        for n, r in enumerate(reports):
            counts[r.verdict] = counts.get(r.verdict, 0) + 1
            errors += r.error is not None
            for writer in each:
                writer.add(r)
            if as_json:
                import json

                item = json.dumps((as_dict or FileReport.to_dict)(r), indent=2,
                                  ensure_ascii=False)
                out.write(("[\n" if n == 0 else ",\n")
                          + "\n".join("  " + line for line in item.split("\n")))
                continue
            table.write(summary_line(r) + "\n")
            if quiet or (r.verdict == "PASS" and not single):
                continue
            out.write(f"{r.verdict}  {r.file}\n")
            for f in r.findings:
                if f["severity"] != "info" or single:
                    where = f" [{f['where']}]" if f.get("where") else ""
                    out.write(f"  {f['severity'].upper():7} {f['code']}{where} "
                              f"{f['message']}\n")
        if as_json:
            out.write("[]\n" if sum(counts.values()) == 0 else "\n]\n")
            return counts
        out.write(SUMMARY_HEADER + "\n")
        for line in table.lines():
            out.write(line)
        out.write(counts_line(counts, errors) + "\n")
        for line in skipped_lines(skipped):
            out.write(line + "\n")
    return counts


class _Lines:
    """Lines kept in memory up to :data:`KEPT_LINES`, then in a temporary file."""

    KEPT_LINES = 2000

    def __init__(self) -> None:
        self.kept: list[str] = []
        self.spill: IO[str] | None = None

    def write(self, line: str) -> None:
        if self.spill is None and len(self.kept) < self.KEPT_LINES:
            self.kept.append(line)
            return
        if self.spill is None:
            import tempfile

            self.spill = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        self.spill.write(line)

    def lines(self) -> Iterator[str]:
        yield from self.kept
        if self.spill is not None:
            self.spill.seek(0)
            yield from self.spill

    def __enter__(self) -> _Lines:
        return self

    def __exit__(self, *_: object) -> None:
        if self.spill is not None:
            self.spill.close()


class Progress:
    """A one-line progress bar on standard error, only when it is a terminal."""

    def __init__(self) -> None:
        self.last = -1

    def __call__(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        if filled == self.last and done != total:
            return
        self.last = filled
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} files")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def add_batch_arguments(p: Any) -> None:
    """``--cache`` and ``--scheduler``, for ``aijri verify`` and ``aijri register``."""
    p.add_argument("--cache", metavar="DIR",
                   help="reuse earlier results for files whose bytes have not changed "
                        "(DIR/aijri-cache.sqlite; delete it to clear)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on the Dask cluster at ADDRESS (default: $DASK_SCHEDULER_ADDRESS "
                        "if set; needs pip install 'aijri-xl[dask]')")


def report_cache(cache: Any) -> None:
    """Close the cache of a run and say on standard error what it saved."""
    if cache is not None:
        cache.close()
        sys.stderr.write(f"cache {cache.path}: {cache.hits} file(s) unchanged, reused; "
                         f"{cache.misses} verified\n")


def batch_options(args: Any, use: str) -> tuple[Any, str | None] | str:
    """The cache (``--cache``; for ``use`` "verify" or "register") and the scheduler
    (``--scheduler`` or ``DASK_SCHEDULER_ADDRESS``) of a command; or what is wrong."""
    from aijri_xl.verify.cluster import scheduler_address

    if args.jobs is not None and args.jobs < 1:
        return "--jobs takes a whole number of at least 1"
    cache = None
    if args.cache:
        from aijri_xl.verify.cache import Cache

        try:
            cache = Cache(args.cache, use)
        except Exception as exc:  # sqlite3.Error, OSError: a folder we cannot use
            return f"cannot use {args.cache} as a cache: {exc}"
    return cache, scheduler_address(args.scheduler)
