"""What the register keeps of one file's reading, cut where it is made (in the worker).

Two files hold the same assessment when their data are equal: :func:`identity` is a
digest of the data, so the register compares digests, not whole data. Of the verifier's
findings the register keeps what it shows: the code of each warning and error, and the
message of each error (an ``AIJ-R503`` flag quotes the first); the full findings are in
the verifier's own report (``aijri verify --report``). :func:`share` makes the field
names and short texts of every row one object each across the register.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import replace

from aijri_xl.verify.filereport import FileReport

FINDING_FIELDS = {"error": ("code", "severity", "message"), "warning": ("code", "severity")}
"""What the register keeps of a finding, by severity (info findings are not kept)."""


def identity(data: dict[str, object]) -> str:
    """Equal for two readings of the same assessment, different otherwise (SHA-256 of the
    data as canonical JSON, as the register compared it before)."""
    text = json.dumps(data, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def compact(report: FileReport) -> FileReport:
    """``report`` with its findings cut to :data:`FINDING_FIELDS` and its
    :attr:`~aijri_xl.verify.audit.FileReport.identity` set. The data are kept whole: the
    register re-reads each assessment from them (sensitivity, agreement, occupation
    code). A report without data (a file that could not be read) is kept as it is."""
    if report.data is None:
        return report
    findings = [{k: f[k] for k in FINDING_FIELDS[f["severity"]]} for f in report.findings
                if f["severity"] in FINDING_FIELDS]
    return replace(report, findings=findings, identity=identity(report.data))


def _shared(value: object) -> object:
    """``value`` with its dict keys and short texts interned, recursively."""
    if isinstance(value, str):
        return sys.intern(value) if len(value) <= 40 else value
    if isinstance(value, dict):
        return {sys.intern(k) if isinstance(k, str) else k: _shared(v)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_shared(v) for v in value]
    return value


def share(report: FileReport) -> FileReport:
    """``report`` as it arrived from a worker, its field names and repeated short texts
    (zones, sub-labels, codes, assessors) made one object each across the register: an
    unpickled report holds its own copy of every key, half its size."""
    return replace(report, kind=sys.intern(report.kind), verdict=sys.intern(report.verdict),
                   method=_shared(report.method),  # type: ignore[arg-type]
                   result=_shared(report.result),  # type: ignore[arg-type]
                   findings=_shared(report.findings),  # type: ignore[arg-type]
                   data=_shared(report.data))  # type: ignore[arg-type]
