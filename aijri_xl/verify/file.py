"""Verifying one assessment source: read it, check every §5 rule, score it, compare what
it states with the recomputation. Returns data; the CLI renders it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aijri_xl._record import dataclass, field
from aijri_xl.method.compare import override_findings
from aijri_xl.method.engine import AssessmentError, Result, score
from aijri_xl.method.findings import Finding, verdict
from aijri_xl.method.loaded import Loaded
from aijri_xl.method.parameters import METHOD
from aijri_xl.method.rules import check
from aijri_xl.verify.stated import compare_stated, compare_task_weights


@dataclass(slots=True)
class Verification:
    """The outcome for one file: what the CLI's ``--json`` prints for it."""

    file: str
    verdict: str
    method: str | None
    result: Result | None
    findings: list[Finding] = field(default_factory=list)
    loaded: Loaded | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "verdict": self.verdict,
            "method": self.method,
            "result": self.result.to_dict() if self.result else None,
            "findings": [f.to_dict() for f in self.findings],
        }


def _merge(load_findings: list[Finding], rule_findings: list[Finding]) -> list[Finding]:
    """A rule finding on a field the reader already reported (a mistyped value, read as
    missing) would say the same thing again, or worse, something misleading ("a time share
    but no score" for a score of 'three'); keep the reader's."""
    reported = {f.field for f in load_findings if f.field}

    def already(field: str | None) -> bool:
        return field is not None and (field in reported or any(
            field.startswith(r + ".") for r in reported))

    return load_findings + [f for f in rule_findings if not already(f.field)]


def evaluate(loaded: Loaded) -> Verification:
    """Check and score what was loaded; compare stated figures when the source has any."""
    findings = list(loaded.findings)
    a = loaded.assessment
    if loaded.kind == "report" and a is not None:
        # Each row's Weighted cell depends only on that row's time and score, so it is
        # checked even when other rows leave the assessment impossible to score (and the
        # engine's Result has no per-task values to compare it with).
        findings += compare_task_weights(loaded.stated, a.tasks)
    if a is None:
        return Verification(str(loaded.path), verdict(findings), None, None, findings, loaded)
    checked = check(a)
    where = loaded.extra.get("where_of_field", {})
    rules = [f.located(where.get(f.field, f.where or str(loaded.path))) for f in checked]
    findings = _merge(findings, rules)
    if a.method != METHOD:
        return Verification(str(loaded.path), verdict(findings), a.method, None, findings,
                            loaded)
    result: Result | None
    try:
        result = score(a, checked=checked)
    except AssessmentError:
        result = None  # every blocking problem is already among the findings
    if result is not None:
        findings += override_findings(result, a.override.justification,
                                      where.get("override.score", str(loaded.path)))
        if loaded.kind == "report":
            findings += compare_stated(loaded.stated, result)
    if loaded.kind == "workbook":
        from aijri_xl.verify.input_hints import with_fixes
        from aijri_xl.verify.sheet_agreement import agreement_findings
        from aijri_xl.verify.workbook_checks import check_workbook

        findings = with_fixes(findings)
        findings += check_workbook(loaded, result)
        findings += agreement_findings(loaded, findings)
    return Verification(str(loaded.path), verdict(findings), a.method, result, findings,
                        loaded)


def verify_file(path: str | Path) -> Verification:
    """Read, check and score one file; never raises for bad content."""
    # Imported here: evaluate() alone is what the in-Excel script (and the xlwings Lite
    # bundle, which carries no file readers) needs from this module.
    from aijri_xl.sources import load

    return evaluate(load(path))


def verify_bytes(name: str | Path, data: bytes) -> Verification:
    """Read, check and score the bytes of a file called ``name`` (its suffix says what it
    is: ``.xlsx``, ``.md``, ``.yaml``...): the same verification as :func:`verify_file` of
    a file holding ``data``, for callers that hold the bytes (object storage, an upload).
    Never raises for bad content."""
    from aijri_xl.sources import load_bytes

    return evaluate(load_bytes(name, data))
