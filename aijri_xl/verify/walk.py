"""Which files a batch reads: folders walked, globs expanded, and every file left out named.

``verify`` and ``register`` read the same files from the same paths (:func:`walk`), so
that their counts agree. A folder is searched recursively for every assessment file type
(:data:`aijri_xl.sources.SUFFIXES`). Left out, and named with the reason
(:attr:`Walk.skipped`):

- lock files of an open workbook (``~$name.xlsx``, ``.~lock.name#``);
- files the project wrote that are not assessments: audit reports and registers, by
  their mark (:mod:`aijri_xl.method.marks`), so a second run counts what the first did;
- files of other types (an ``.xls``, a ``.pdf``, notes): a reviewer sees that they were
  not read, and why;
- after verifying, text files in a folder that hold no published assessment at all (a
  README), :func:`drop_non_reports`.

A file named on the command line is always read (it fails if it cannot be), except a
project output, which fails with ``AIJ-F203``: it is not an assessment.
"""

from __future__ import annotations

import glob
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from aijri_xl._record import dataclass, field
from aijri_xl.method.marks import is_not_an_assessment
from aijri_xl.sources import SUFFIXES
from aijri_xl.verify.names import safe_text

SPREADSHEET_ELSEWHERE = frozenset({".xls", ".xlsb", ".numbers", ".fods"})
"""Spreadsheets of other formats: named with how to have them read."""


@dataclass(slots=True)
class Walk:
    """The files to read, the paths that matched nothing, and the files left out."""

    files: list[Path] = field(default_factory=list)
    problems: list[tuple[str, str, str]] = field(default_factory=list)
    """``(path, code, message)`` of each path that matched nothing (the batch makes each a
    failed report)."""
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """``(file, reason)`` for every file found and not read, in walk order."""
    keys: list[str] = field(default_factory=list)
    """The resolved path of each of :attr:`files` (what makes two names one file)."""


def is_lock_file(path: Path) -> bool:
    return path.name.startswith("~$") or path.name.startswith(".~lock.")


def skip_reason(path: Path, suffixes: frozenset[str] = SUFFIXES, *,
                read_marks: bool = True) -> str | None:
    """Why a file found in a folder or by a glob is not read; ``None`` to read it.
    ``read_marks`` False (a file in a remote store) judges by the name alone."""
    name = path.name
    if name.startswith("~$"):
        return "an Excel lock file (the workbook is open in Excel)"
    if name.startswith(".~lock."):
        return "a LibreOffice lock file"
    if name.startswith("~") or name.lower().endswith((".tmp", ".temp", ".bak", "~")):
        return "a temporary file"
    suffix = path.suffix.lower()
    if suffix not in suffixes:
        if suffix in SPREADSHEET_ELSEWHERE:
            return f"a {suffix} spreadsheet: only .xlsx, .xlsm and .ods workbooks are read " \
                   "(save it as .xlsx to have it read)"
        return f"not an assessment file type ({suffix or 'no suffix'})"
    what = is_not_an_assessment(path) if read_marks else None
    if what:
        return f"{what}, not an assessment"
    return None


def walk(paths: Iterable[str | Path], suffixes: frozenset[str] = SUFFIXES) -> Walk:
    """Files to read in a stable order: files as named, folders searched recursively, globs
    expanded; a path that matches nothing becomes a failed report of its own."""
    out = Walk()
    seen: set[str] = set()  # resolved paths as text: one object per file, shared with keys

    def add(path: Path) -> None:
        key = str(path.resolve())
        if key not in seen:
            seen.add(key)
            out.files.append(path)
            out.keys.append(key)

    def consider(path: Path) -> None:
        reason = skip_reason(path, suffixes)
        if reason is None:
            add(path)
            return
        key = str(path.resolve())
        if key not in seen:
            seen.add(key)
            out.skipped.append((safe_text(str(path)), reason))

    def failed(text: str, message: str) -> None:
        out.problems.append((text, "AIJ-F201", message))

    for raw in paths:
        text = str(raw)
        if any(ch in text for ch in "*?[") and not Path(text).exists():
            hits = [Path(m) for m in sorted(glob.glob(text, recursive=True))
                    if Path(m).is_file()]
            if not any(skip_reason(h, suffixes) is None for h in hits):
                failed(text, f"{text}: no assessment files match")
            for hit in hits:
                consider(hit)
            continue
        path = Path(text)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file())
            before = len(out.files)
            for p in found:
                consider(p)
            if len(out.files) == before:
                failed(text, f"{text}: the folder holds no assessment files ("
                       + ", ".join(sorted(suffixes)) + ")")
        else:
            add(path)
    return out


def named_output(path: str) -> tuple[str, str, str] | None:
    """``(path, code, message)`` for a file named on the command line that is a project
    output (an audit report, a register): it is not an assessment, and fails as one."""
    what = is_not_an_assessment(path)
    if not what:
        return None
    return path, "AIJ-F203", f"{path}: {what}, not an assessment; it is not verified"


def named_outputs(paths: Iterable[str | Path], files: Iterable[str]
                  ) -> list[tuple[str, str, str]]:
    """:func:`named_output` of each of ``files`` (names as the walk gave them) that was
    named on the command line among ``paths``. A file a folder walk or a glob found was
    judged by its mark as it was found (:func:`skip_reason`), so its mark is not read
    again: one read per file, not two."""
    named = {str(Path(str(p))) for p in paths}
    out = []
    for f in files:
        if f in named and "://" not in f:
            found = named_output(f)
            if found is not None:
                out.append(found)
    return out


def not_a_report(report: Any) -> bool:
    """A text or HTML file that holds no report at all (a README): nothing read, and the
    one finding that it is not in the house format."""
    return report.kind == "report" and report.result is None and [
        f["code"] for f in report.findings] == ["AIJ-F204"]


def drop_non_reports(reports: Sequence[Any], named: Iterable[str | Path]
                     ) -> tuple[list[Any], list[tuple[str, str]]]:
    """Reports less the text files found in folders that are not published assessments,
    and those files as ``(file, reason)``. A file named on the command line stays (it
    fails)."""
    named_keys = {Path(p).resolve() for p in named if Path(p).is_file()}
    kept, skipped = [], []
    for r in reports:
        if not_a_report(r) and Path(r.file).resolve() not in named_keys:
            skipped.append((safe_text(r.file), "a text file that is not a published assessment"))
        else:
            kept.append(r)
    return kept, skipped


def skipped_text(skipped: Sequence[tuple[str, str]], limit: int | None = None) -> list[str]:
    """The skipped files as lines for a summary (``limit`` lines, then a count)."""
    if not skipped:
        return []
    shown = skipped if limit is None else skipped[:limit]
    lines = [f"skipped {len(skipped)} file(s), not read:"]
    lines += [f"  {file}: {reason}" for file, reason in shown]
    if len(shown) < len(skipped):
        lines.append(f"  ... and {len(skipped) - len(shown)} more")
    return lines
