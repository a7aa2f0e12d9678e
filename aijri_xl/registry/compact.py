"""What the register keeps of one file's reading, cut where it is made (in the worker).

Two files hold the same assessment when their data are equal: :func:`identity` is a
digest of the data, so the register compares digests, not whole data. Of the verifier's
findings the register keeps what it shows: the code of each warning and error, and the
message of each error (an ``AIJ-R503`` flag quotes the first); the full findings are in
the verifier's own report (``aijri verify --report``). The sensitivity the register shows
per row is found here too (:func:`sensitivity_of`), on the workers, not after them.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from aijri_xl._record import replace
from aijri_xl.verify.filereport import FileReport

FINDING_FIELDS = {"error": ("code", "severity", "message"), "warning": ("code", "severity")}
"""What the register keeps of a finding, by severity (info findings are not kept)."""


def identity(data: dict[str, object]) -> str:
    """Equal for two readings of the same assessment, different otherwise (SHA-256 of the
    data as canonical JSON, as the register compared it before)."""
    text = json.dumps(data, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sensitivity_of(data: dict[str, Any] | None, result: dict[str, Any] | None
                   ) -> tuple[bool, float | None, str | None]:
    """Whether ``data`` (a scored reading) reads back as an assessment the method
    checks, and if so its distance to the nearest zone threshold and the smallest
    single-input change that moves its zone (re-scored by the engine), as the register
    shows them."""
    from aijri_xl.analytics.sensitivity import sensitivity
    from aijri_xl.method.codec import assessment_from_data
    from aijri_xl.method.engine import AssessmentError

    if data is None or result is None:
        return False, None, None
    a, problems = assessment_from_data(data)
    if problems:
        return False, None, None
    try:
        s = sensitivity(a)
    except AssessmentError:
        return True, None, None
    if s.zone_changes:
        step = s.zone_changes[0]
        change = f"{step.label} {step.old} -> {step.new}: {step.final_score:.1f} {step.zone}"
    elif s.overridden:
        change = "none: the override holds the final score"
    else:
        change = "none within the inputs' ranges"
    return True, s.nearest_boundary.points, change


def compact(report: FileReport) -> FileReport:
    """``report`` with its findings cut to :data:`FINDING_FIELDS`, its
    :attr:`~aijri_xl.verify.audit.FileReport.identity` and its sensitivity
    (:func:`sensitivity_of`) set, where it is made: in the worker. The data are kept
    whole: the register spools them for the agreement between assessors. A report
    without data (a file that could not be read) is kept as it is."""
    if report.data is None:
        return report
    findings = [{k: f[k] for k in FINDING_FIELDS[f["severity"]]} for f in report.findings
                if f["severity"] in FINDING_FIELDS]
    return replace(report, findings=findings, identity=identity(report.data),
                   sensitivity=sensitivity_of(report.data, report.result))
