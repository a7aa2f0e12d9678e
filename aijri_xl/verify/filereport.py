"""One audited file as plain data (:class:`FileReport`), how files are collected and
verified one at a time, and how a report's values are shown: the layer that the batch
engine (:mod:`.runner`), the report writers (:mod:`.reports`) and the cache
(:mod:`.cache`) share. :mod:`.audit` re-exports it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from aijri_xl._record import dataclass, field
from aijri_xl.method.findings import Finding
from aijri_xl.method.marks import AUDIT_ERROR_KEY, AUDIT_LINE_KEYS
from aijri_xl.sources import SUFFIXES
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
    identity: str | None = None
    """A digest of the whole of ``data``, set where the register cuts a reading to what
    it keeps (:func:`aijri_xl.registry.compact.compact`)."""
    sensitivity: tuple[bool, float | None, str | None] | None = None
    """Set there too: whether ``data`` reads back as an assessment the method checks, its
    distance to the nearest zone threshold and the nearest zone change
    (:func:`aijri_xl.registry.compact.sensitivity_of`)."""

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
        out = {key: getattr(self, key) for key in AUDIT_LINE_KEYS}
        if self.error is not None:
            out[AUDIT_ERROR_KEY] = self.error
        return out


# ---------------------------------------------------------------------------------------
# Collecting files


def skip_reason(path: Path, suffixes: frozenset[str] = SUFFIXES, *,
                read_marks: bool = True) -> str | None:
    """Why a folder walk skips ``path`` (``None``: it is audited); see
    :func:`aijri_xl.verify.walk.skip_reason`."""
    from aijri_xl.verify.walk import skip_reason as reason

    return reason(path, suffixes, read_marks=read_marks)


def collect(paths: Iterable[str | Path], suffixes: frozenset[str] = SUFFIXES,
            skipped: list[tuple[str, str]] | None = None
            ) -> tuple[list[Path], list[FileReport]]:
    """Files to audit, in a stable order (:func:`aijri_xl.verify.walk.walk`): files as
    named, folders searched recursively for files ending in one of ``suffixes`` (by
    default every assessment file type), globs expanded. A path that matches nothing
    becomes a failed report of its own. Every file a folder walk or glob passes over (lock
    files, temporary files, other types, audit reports and registers aijri wrote) is added
    to ``skipped`` as (its name, escaped; why)."""
    from aijri_xl.verify.walk import walk

    found = walk(paths, suffixes)
    if skipped is not None:
        skipped.extend(found.skipped)
    return found.files, [failed(*p) for p in found.problems]


def failed_report(file: str, code: str, message: str) -> FileReport:
    """A file that fails with one finding (nothing could be read)."""
    return failed(file, code, message)


def failed(file: str, code: str, message: str) -> FileReport:
    """A failed report of a file that has only this one finding (it cannot be read)."""
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


def verify_one(path: str, keep_data: bool = False, data: bytes | None = None) -> FileReport:
    """Verify one file into a :class:`FileReport`; never raises. With ``keep_data`` the
    report also carries the assessment as plain data (``files.assessment_to_data``); with
    ``data``, those are the file's bytes (:func:`~aijri_xl.verify.file.verify_bytes`)."""
    from aijri_xl.verify.file import verify_bytes, verify_file

    try:
        v = verify_file(path) if data is None else verify_bytes(path, data)
    except MemoryError:
        return failed(path, "AIJ-F205", f"{path}: ran out of memory reading the file")
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


def finding_rows(reports: Iterable[FileReport]) -> Iterator[dict[str, Any]]:
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


def cell_text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, int | float):
        return value
    return neutralise(str(value))


def jsonish(value: Any) -> Any:
    """A list or mapping as one JSON text (for a cell or a CSV field)."""
    if isinstance(value, dict | list):
        import json

        return json.dumps(value, ensure_ascii=False)
    return value


SUMMARY_HEADER = f"{'verdict':7}  {'errors':>6}  {'warns':>5}  {'score':>6}  {'method':>6}  file"


def summary_line(r: FileReport, width: int = 100) -> str:
    """One file's line of :func:`summary_table`."""
    row = r.row()
    shown = f"{row['score_shown']:.1f}" if isinstance(row["score_shown"], float) else "-"
    method = f"{row['score_by_method']:.1f}" if row["score_by_method"] is not None else "-"
    file = r.file  # escaped when the report was made
    name = file if len(file) <= width - 45 else "…" + file[-(width - 46):]
    return (f"{r.verdict:7}  {row['errors']:>6}  {row['warnings']:>5}  {shown:>6}  "
            f"{method:>6}  {name}")


def counts_line(counts: dict[str, int], errors: int = 0) -> str:
    """The counts line of :func:`summary_table`: files per verdict, internal errors."""
    return (f"{sum(counts.values())} file(s): {counts.get('PASS', 0)} PASS, "
            f"{counts.get('WARN', 0)} WARN, {counts.get('FAIL', 0)} FAIL"
            + (f", {errors} internal error(s)" if errors else ""))


def skipped_lines(skipped: Sequence[tuple[str, str]]) -> list[str]:
    """The lines of :func:`summary_table` that name the files passed over."""
    lines = [f"skipped  {name}  ({why})" for name, why in skipped]  # escaped by collect()
    return lines + ([f"{len(skipped)} file(s) skipped"] if skipped else [])


def summary_table(reports: list[FileReport], width: int = 100,
                  skipped: Sequence[tuple[str, str]] = ()) -> str:
    """A readable plain-text table for the end of a batch, files passed over named; every
    name is one line (reports and ``skipped`` hold names escaped by
    :func:`~aijri_xl.verify.names.safe_text`)."""
    counts = {v: sum(r.verdict == v for r in reports) for v in VERDICT_STYLES}
    errors = sum(r.error is not None for r in reports)
    return "\n".join([SUMMARY_HEADER, *(summary_line(r, width) for r in reports),
                      counts_line(counts, errors), *skipped_lines(skipped)])
