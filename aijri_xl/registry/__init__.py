"""The portfolio register: every assessment under some folders, in one table and one workbook.

``register(paths)`` returns a pandas DataFrame, one row per assessment; ``build_register``
returns the whole :class:`Register` (rows, flags, counts, the calibration view) and
``write_register`` writes it as ``.xlsx``, ``.csv`` or ``.json``. ``aijri register`` is the
command line around them.

Reading. Folders are searched recursively for every assessment file type (YAML/JSON,
published reports, workbooks; lock files skipped) and every file is verified in the batch
audit's process pool (:func:`aijri_xl.batch.verify_files`). Files that hold the identical
assessment (the same :func:`aijri_xl.files.assessment_to_data`, such as
``hpc-developer.yaml`` and the workbook built from it) are one assessment: one row that
lists all its files, whose verdict is the worst of theirs. A file that cannot be read is a
row of its own with verdict FAIL and no figures; one bad file never stops the register.

Flags (codes in :mod:`aijri_xl.findings`):

- ``AIJ-R501`` the same role, scored by different assessors, has final scores more than
  :data:`ASSESSOR_SPREAD` points apart. A role is its role id, or the slug of its title
  where it has no id. An assessment without an assessor counts as a different assessor
  from every other: nothing shows that it was the same person, and a spread hidden behind
  a missing name is one to look at. The same named assessor scoring a role twice is a
  re-assessment, not a disagreement, and is not flagged.
- ``AIJ-R502`` an assessment quotes a calibration peer at a score that none of the peer's
  assessments in the register has (one decimal); a peer the register does not hold is
  not flagged. A peer is matched by role id or title (case-insensitive, as slugs).
- ``AIJ-R503`` an assessment does not verify (verdict FAIL).
- ``AIJ-R504`` an assessment's final score sits far from those of the assessments nearest
  to it in published exposure (:mod:`aijri_xl.registry.external`: the rule, the Spearman
  correlations of final score against GPT-4 beta, human beta and AI applicability).

The workbook (XlsxWriter; the same input gives the same bytes)::

    Summary      counts per zone, sub-label, verdict and flag as COUNTIF formulas over the
                 Register and Flags sheets (with cached values); two native charts: the
                 zone distribution by sub-label, and the final score of every assessment
                 sorted and coloured by zone
    Register     one row per assessment; columns are the §4 result field names, shares of
                 task time as fractions with a percent format
    Calibration  scored assessments by final score, each between its neighbours (the
                 nearest other roles below and above) and the peers it quotes
    Flags        code, severity, role, files, message
    Agreement    roles scored by several assessors: per block of inputs (task scores,
                 evidence, barriers, growth) the mean absolute difference and
                 Krippendorff's alpha (ordinal), and the inputs that explain most of the
                 difference in their final scores (Shapley parts, :mod:`aijri_xl.analytics`)
    External     assessments with an O*NET-SOC occupation code against its published
                 exposure (GPT-4 and human beta) and AI applicability: the figures, each
                 one's peers' median and residual, the rank correlations, and three
                 native scatter charts of final score against each figure

Each scored row also carries ``zone_margin`` (points above or below the nearest zone
threshold) and ``nearest_zone_change`` (the smallest single-input change that moves the
zone, re-scored), from :func:`aijri_xl.analytics.sensitivity.sensitivity`.

Text copied from the files is neutralised (:func:`aijri_xl.batch.neutralise`) in the
workbook and CSV output so that no spreadsheet program takes it for a formula.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aijri_xl.analytics.agreement import Agreement, agreement
from aijri_xl.analytics.sensitivity import sensitivity
from aijri_xl.house.reader import slug
from aijri_xl.method.codec import assessment_from_data
from aijri_xl.method.engine import AssessmentError
from aijri_xl.method.excel_math import excel_round, percent_to_fraction
from aijri_xl.method.findings import CODES, SEVERITY_ORDER, Finding
from aijri_xl.method.model import Assessment
from aijri_xl.method.parameters import METHOD, PERCENT_FIELDS, RESULT_FIELDS, SUB_LABELS, ZONES
from aijri_xl.registry import external as ext
from aijri_xl.sources import HTML_SUFFIXES, SUFFIXES
from aijri_xl.styles import (
    HEADER_FILL,
    NUMBER_FORMATS,
    SCORE_BAR_COLOURS,
    VERDICT_ZONES,
    ZONE_STYLES,
)
from aijri_xl.verify.audit import FileReport, collect, neutralise
from aijri_xl.workbook.writer import FIXED_DATE, text_height

_KIND_ORDER = {"workbook": 0, "file": 1, "report": 2}

ASSESSOR_SPREAD = 5
"""Points by which the final scores of one role from different assessors may differ before
the register flags it (``AIJ-R501``). A register policy, not a method parameter."""

REGISTER_TITLE = "AIJRI portfolio register"
"""The title of a register workbook's document properties (how a register is recognised)."""

JSON_MARK = b'{\n  "kind": "aijri-register"'
"""How a register written as ``.json`` begins."""
VERDICTS = ("PASS", "WARN", "FAIL")
FLAG_CODES = ("AIJ-R501", "AIJ-R502", "AIJ-R503", "AIJ-R504")

# The columns of the DataFrame and of the Register sheet, in order: (name, number format,
# width). §4 result fields keep their names; shares of task time are percent units in the
# DataFrame and fractions with a percent format in the workbook.
COLUMNS: tuple[tuple[str, str, float], ...] = (
    ("file", "text", 34), ("role", "text", 30), ("role_id", "text", 24),
    ("assessor", "text", 13), ("assessment_date", "date", 11), ("final_score", "score", 8),
    ("zone", "text", 8), ("sub_label", "text", 20), ("verdict", "text", 8),
    ("flags", "text", 18), ("zone_margin", "score", 8), ("nearest_zone_change", "text", 36),
    ("score", "score", 7), ("override", "score", 8),
    ("task_resistance", "num2", 8), ("evidence_modifier", "num2", 8),
    ("barrier_modifier", "num2", 8), ("growth_modifier", "num2", 8), ("raw", "num4", 8),
    ("score_unrounded", "num4", 9), ("pct_time_score_3plus", "pct", 8),
    ("pct_time_score_4plus", "pct", 8), ("split_displacement", "pct", 8),
    ("split_augmentation", "pct", 8), ("split_not_involved", "pct", 8),
    ("weighted_total", "num2", 8), ("protective_total", "int", 8),
    ("growth_correlation", "int", 8), ("quick_screen_total", "int", 8),
    ("quick_screen_band", "text", 22), ("evidence_total", "int", 8),
    ("barrier_total", "int", 8), ("method", "text", 10), ("kind", "text", 14),
    ("files", "text", 40), ("findings", "text", 18), ("calibration", "text", 40),
    ("occupation_code", "text", 11), ("occupation", "text", 30), ("gpt4_beta", "num2", 8),
    ("human_beta", "num2", 8), ("ai_applicability", "num4", 9), ("exposure", "num4", 8),
    ("peer_median", "score", 8), ("residual", "score", 8),
)
"""The last :data:`aijri_xl.registry.external.EXTERNAL_FIELDS` columns are the external
calibration (blank for an assessment without a known occupation code)."""
COLUMN_NAMES = tuple(name for name, _, _ in COLUMNS)
FLAG_COLUMNS = ("code", "severity", "role", "files", "message")

# Zone colours: cells as the assessment workbooks show zones (Excel's good / neutral / bad
# styles); bars in the green, amber and red of the workbook's score chart, and for the
# sub-labels a darker and a lighter shade of each.
ZONE_CHART_COLOURS = {"GREEN": SCORE_BAR_COLOURS[0], "YELLOW": SCORE_BAR_COLOURS[2],
                      "RED": SCORE_BAR_COLOURS[4]}
SUB_LABEL_COLOURS = {
    "Green (Accelerated)": "#2E5E04", "Green (Transforming)": "#4E9A06",
    "Green (Stable)": "#8AB833", "Yellow (Urgent)": "#C99A00",
    "Yellow (Moderate)": "#F2CD4A", "Red (Imminent)": "#8B0000", "Red (Gradual)": "#E06666",
}


# ---------------------------------------------------------------------------------------
# Data


def _assessor_name(name: str | None) -> str:
    return " ".join((name or "").split()).casefold()


def _one_decimal(value: float) -> float:
    return excel_round(float(value), 1)


@dataclass(slots=True)
class RegisterRow:
    """One assessment of the register, read from one or more identical files."""

    files: tuple[str, ...]
    kinds: tuple[str, ...]
    verdicts: tuple[str, ...]
    """The verifier's verdict of each file."""
    role: str | None
    role_id: str | None
    assessor: str | None
    assessment_date: str | None
    result: dict[str, Any] | None
    """The §4 result fields (percent units), ``None`` when the assessment cannot be scored."""
    calibration: tuple[tuple[str, float], ...]
    findings: tuple[dict[str, Any], ...]
    """The verifier's findings of every file, with ``file`` added."""
    flags: list[str] = field(default_factory=list)
    data: dict[str, Any] | None = field(default=None, repr=False)
    """The assessment as plain data (the codec's), when it could be read."""
    zone_margin: float | None = None
    """Points above (+) or below (−) the nearest zone threshold (the sensitivity's)."""
    nearest_zone_change: str | None = None
    """The smallest single-input change that moves the zone, with the score it gives."""
    occupation_code: str | None = None
    external: dict[str, Any] = field(default_factory=dict)
    """The external calibration fields (:data:`aijri_xl.registry.external.EXTERNAL_FIELDS`)."""

    @property
    def file(self) -> str:
        """The file to open first: one that does not verify; else the workbook, the
        assessment file, the published text, the HTML page, in that order."""
        def rank(item: tuple[str, str, str]) -> tuple[bool, int, bool, str]:
            file, kind, verdict = item
            return (verdict != "FAIL", _KIND_ORDER.get(kind, len(_KIND_ORDER)),
                    Path(file).suffix.lower() in HTML_SUFFIXES, file)

        return min(zip(self.files, self.kinds, self.verdicts, strict=True), key=rank)[0]

    @property
    def verdict(self) -> str:
        return max(self.verdicts, key=VERDICTS.index)

    @property
    def final_score(self) -> float | None:
        return self.result["final_score"] if self.result else None

    @property
    def role_key(self) -> str:
        """Who the role is for ``AIJ-R501``: its id, or the slug of its title."""
        return slug(self.role_id) or slug(self.role)

    @property
    def label(self) -> str:
        return self.role or Path(self.file).name

    def record(self) -> dict[str, Any]:
        """The row as the DataFrame holds it (one value per :data:`COLUMN_NAMES`)."""
        result = self.result or {}
        codes = sorted({f["code"] for f in self.findings if f["severity"] != "info"})
        record: dict[str, Any] = {
            "file": self.file, "role": self.role, "role_id": self.role_id,
            "assessor": self.assessor, "assessment_date": self.assessment_date,
            "verdict": self.verdict, "flags": ", ".join(sorted(set(self.flags))),
            "kind": ", ".join(dict.fromkeys(self.kinds)), "files": self.files,
            "findings": ", ".join(codes), "zone_margin": self.zone_margin,
            "nearest_zone_change": self.nearest_zone_change,
            "calibration": "; ".join(f"{role} {score:g}" for role, score in self.calibration),
        }
        for name in RESULT_FIELDS:
            record[name] = result.get(name)
        for name in ext.EXTERNAL_FIELDS:
            record[name] = self.external.get(name)
        record["occupation_code"] = self.occupation_code
        return {name: record[name] for name in COLUMN_NAMES}


@dataclass(frozen=True, slots=True)
class Flag:
    """A register flag: the finding, and the role and files it concerns."""

    finding: Finding
    role: str | None
    files: tuple[str, ...]
    rows: tuple[int, ...]
    """Indices into :attr:`Register.rows` of the assessments concerned."""

    @property
    def code(self) -> str:
        return self.finding.code

    @property
    def severity(self) -> str:
        return self.finding.severity

    @property
    def message(self) -> str:
        return self.finding.message

    def to_dict(self) -> dict[str, Any]:
        return {**self.finding.to_dict(), "role": self.role, "files": list(self.files)}


@dataclass(frozen=True, slots=True)
class PeerCheck:
    """A calibration peer an assessment quotes, against the register."""

    role: str
    quoted: float
    register: tuple[float, ...]
    """The peer's final scores in the register (empty when it holds no scored peer)."""

    @property
    def status(self) -> str:
        """``agrees``, ``differs`` or ``not in register``."""
        if not self.register:
            return "not in register"
        return "agrees" if _one_decimal(self.quoted) in self.register else "differs"

    def text(self) -> str:
        mark = {"agrees": "✓", "differs": "✗", "not in register": "?"}[self.status]
        text = f"{self.role} {self.quoted:.1f} {mark}"
        if self.status == "differs":
            text += " (register: " + ", ".join(f"{s:.1f}" for s in self.register) + ")"
        return text


@dataclass(frozen=True, slots=True)
class CalibrationEntry:
    """A scored assessment placed between its neighbours by final score."""

    row: int
    role: str
    assessor: str | None
    final_score: float
    zone: str
    below: tuple[str, float] | None
    """The nearest other role at or below this score (role, final score)."""
    above: tuple[str, float] | None
    """The nearest other role at or above this score."""
    peers: tuple[PeerCheck, ...]
    label: str
    """The role, with the assessor where the register holds the role more than once."""

    @property
    def agreement(self) -> str:
        statuses = [p.status for p in self.peers]
        if not statuses:
            return ""
        if "differs" in statuses:
            return "differs"
        return "agrees" if "agrees" in statuses else "not in register"


@dataclass(slots=True)
class Register:
    """Every assessment found, the flags raised across them, and the calibration view."""

    rows: list[RegisterRow]
    flags: list[Flag]
    calibration: list[CalibrationEntry]
    files_read: int
    skipped: list[str] = field(default_factory=list)
    agreement: list[RoleAgreement] = field(default_factory=list)
    """Roles scored by several assessors: how far they agree (see :class:`RoleAgreement`)."""
    """Text files found in a folder that are not published assessments (a README, notes):
    left out of the register and named in its summary."""
    correlations: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Spearman's rho of final score against each published figure: figure -> {"rho",
    "n"} (rho ``None`` with too few pairs)."""

    def frame(self) -> Any:
        """The rows as a pandas DataFrame (columns :data:`COLUMN_NAMES`)."""
        import pandas as pd

        return pd.DataFrame([r.record() for r in self.rows], columns=list(COLUMN_NAMES))

    def flags_frame(self) -> Any:
        import pandas as pd

        return pd.DataFrame([{"code": f.code, "severity": f.severity, "role": f.role,
                              "files": f.files, "message": f.message} for f in self.flags],
                            columns=list(FLAG_COLUMNS))

    def counts(self) -> dict[str, dict[str, int]]:
        """Assessments per zone, sub-label and verdict, and flags per code (every known
        value listed, zeros included)."""
        results = [r.result for r in self.rows if r.result]
        sub_labels = [f"{z.title()} ({s})" for z in ZONES for s in SUB_LABELS[z]]
        return {
            "zone": {z: sum(r["zone"] == z for r in results) for z in ZONES},
            "sub_label": {s: sum(r["sub_label"] == s for r in results) for s in sub_labels},
            "verdict": {v: sum(r.verdict == v for r in self.rows) for v in VERDICTS},
            "flags": {c: sum(f.code == c for f in self.flags) for c in FLAG_CODES},
        }

    @property
    def worst_flag(self) -> str | None:
        """The severity of the worst flag, ``None`` when there is none."""
        return max((f.severity for f in self.flags), key=SEVERITY_ORDER.__getitem__,
                   default=None)

    def to_dict(self) -> dict[str, Any]:
        """The register as JSON-ready data (percent units), as ``write_register`` writes
        a ``.json`` file."""
        rows = []
        for r in self.rows:
            record = r.record()
            record["files"] = list(r.files)
            rows.append(record)
        return {
            "kind": "aijri-register", "method": METHOD, "files_read": self.files_read,
            "counts": self.counts(), "rows": rows,
            "flags": [f.to_dict() for f in self.flags],
            "calibration": [{
                "role": e.role, "assessor": e.assessor, "final_score": e.final_score,
                "zone": e.zone, "file": self.rows[e.row].file,
                "below": list(e.below) if e.below else None,
                "above": list(e.above) if e.above else None,
                "peers": [{"role": p.role, "quoted": p.quoted, "register": list(p.register),
                           "status": p.status} for p in e.peers]}
                for e in self.calibration],
            "agreement": [a.to_dict() for a in self.agreement],
            "external_calibration": {
                "rule": ext.rule_text(), "correlations": self.correlations,
                "rows": [{"role": r.role, "file": r.file, "final_score": r.final_score,
                          **{f: r.record()[f] for f in ext.EXTERNAL_FIELDS},
                          "flagged": "AIJ-R504" in r.flags}
                         for r in self.rows if r.occupation_code]},
        }


# ---------------------------------------------------------------------------------------
# Building


def collect_sources(paths: Iterable[str | Path]) -> tuple[list[Path], list[FileReport]]:
    """The files a register reads: files as named, folders searched recursively for every
    assessment file type, globs expanded; a path that matches nothing is a failed report."""
    return collect(paths, suffixes=SUFFIXES)


def build_register(paths: Iterable[str | Path] | str | Path, jobs: int | None = None, *,
                   exclude: Iterable[str | Path] = (),
                   progress: Callable[[int, int], None] | None = None,
                   cache: Any = None, scheduler: str | None = None) -> Register:
    """Read and verify every assessment under ``paths`` with ``jobs`` processes (default:
    every core), or on the Dask cluster at ``scheduler``, and build the register.
    Registers this module wrote are not read as assessments; ``exclude`` names more files
    to leave out. Paths may be fsspec URLs; ``cache`` (a
    :class:`aijri_xl.verify.cache.Cache`) reuses the readings of unchanged files. Each
    file's reading is cut to what the register uses where it is made
    (:func:`.compact.compact`), so memory grows by a small row per assessment."""
    from aijri_xl.registry.compact import compact, share
    from aijri_xl.verify.runner import collect_names, is_url, stream

    if isinstance(paths, str | Path):
        paths = [paths]
    paths = list(paths)
    named = {str(Path(p).resolve()) for p in paths if not is_url(str(p)) and
             Path(p).is_file()}
    files, problems = collect_names(paths, SUFFIXES)
    skip = {Path(p).resolve() for p in exclude}
    files = [f for f in files if is_url(f) or
             (Path(f).resolve() not in skip and not is_register_file(f))]
    kept: list[FileReport] = []
    skipped: list[str] = []
    for r in stream(files, jobs, keep_data=True, cache=cache, scheduler=scheduler,
                    transform=compact, progress=progress):
        if _not_a_report(r) and (is_url(r.file) or str(Path(r.file).resolve()) not in named):
            skipped.append(r.file)
        else:
            kept.append(share(r))
    reg = assemble(problems + kept)
    reg.skipped = skipped
    return reg


def _not_a_report(report: FileReport) -> bool:
    """A text or HTML file that holds no report at all (a README): nothing read, and the
    one finding that it is not in the house format."""
    return report.kind == "report" and report.data is None and report.identity is None and [
        f["code"] for f in report.findings] == ["AIJ-F204"]


def register(paths: Iterable[str | Path] | str | Path, jobs: int | None = None) -> Any:
    """The register of every assessment under ``paths`` as a pandas DataFrame, one row per
    assessment (see :func:`build_register`; columns :data:`COLUMN_NAMES`, percent units)."""
    return build_register(paths, jobs).frame()


def assemble(reports: Sequence[FileReport]) -> Register:
    """The register of verified files (reports made with ``keep_data=True``): identical
    assessments merged, flags raised, the calibration view placed."""
    rows: list[RegisterRow] = []
    by_data: dict[str, RegisterRow] = {}
    for r in reports:
        findings = tuple({**f, "file": r.file} for f in r.findings)
        key = r.identity if r.identity is not None else json.dumps(
            r.data, sort_keys=True, default=str) if r.data is not None else None
        same = by_data.get(key) if key is not None else None
        if same is not None:
            same.files += (r.file,)
            same.kinds += (r.kind,)
            same.verdicts += (r.verdict,)
            same.findings += findings
            if same.result is None:
                same.result = r.result
            continue
        data = r.data or {}
        role = data.get("role", {})
        row = RegisterRow(
            files=(r.file,), kinds=(r.kind,), verdicts=(r.verdict,),
            role=role.get("title", r.role), role_id=role.get("id"),
            assessor=data.get("assessor", r.assessor),
            assessment_date=data.get("assessment_date"), result=r.result,
            calibration=tuple((str(p["role"]), float(p["score"]))
                              for p in data.get("calibration", [])),
            findings=findings, data=r.data,
            occupation_code=role.get("occupation_code") or None)
        rows.append(row)
        if key is not None:
            by_data[key] = row
    checks, by_slug = _peer_checks(rows)
    correlations, far = _external(rows)
    flags = (_assessor_spread(rows) + _stale_peers(rows, checks, by_slug) + _not_verified(rows)
             + far)
    for flag in flags:
        for i in flag.rows:
            rows[i].flags.append(flag.code)
    _sensitivities(rows)
    return Register(rows, flags, _calibration(rows, checks), len(reports),
                    agreement=_agreements(rows), correlations=correlations)


@dataclass(frozen=True, slots=True)
class RoleAgreement:
    """A role scored by two or more assessors (rows ``rows``): the agreement of their
    inputs per block and what explains the difference in their final scores
    (:func:`aijri_xl.analytics.agreement.agreement`)."""

    role: str
    rows: tuple[int, ...]
    files: tuple[str, ...]
    result: Agreement

    def to_dict(self) -> dict[str, Any]:
        return {"role": self.role, "files": list(self.files), **self.result.to_dict()}


def _assessment(row: RegisterRow) -> Assessment | None:
    if row.data is None or row.result is None:
        return None
    a, problems = assessment_from_data(row.data)
    return None if problems else a


def _sensitivities(rows: list[RegisterRow]) -> None:
    """Each scored row's distance to the nearest zone threshold and the smallest
    single-input change that moves its zone (re-scored by the engine)."""
    for row in rows:
        a = _assessment(row)
        if a is None:
            continue
        try:
            s = sensitivity(a)
        except AssessmentError:
            continue
        row.zone_margin = s.nearest_boundary.points
        if s.zone_changes:
            step = s.zone_changes[0]
            row.nearest_zone_change = (f"{step.label} {step.old} -> {step.new}: "
                                       f"{step.final_score:.1f} {step.zone}")
        elif s.overridden:
            row.nearest_zone_change = "none: the override holds the final score"
        else:
            row.nearest_zone_change = "none within the inputs' ranges"


def _agreements(rows: list[RegisterRow]) -> list[RoleAgreement]:
    """Per role (as ``AIJ-R501`` groups them) with scored assessments by two or more
    different assessors: their agreement. A named assessor's re-assessment of a role
    counts once (the latest by date)."""
    groups: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        if r.role_key and _assessment(r) is not None:
            groups.setdefault(r.role_key, []).append(i)
    out = []
    for members in groups.values():
        latest: dict[str, int] = {}
        unnamed = []
        for i in members:
            who = _assessor_name(rows[i].assessor)
            if not who:
                unnamed.append(i)
            elif who not in latest or (rows[i].assessment_date or "") >= (
                    rows[latest[who]].assessment_date or ""):
                latest[who] = i
        chosen = sorted([*latest.values(), *unnamed])
        if len(chosen) < 2:
            continue
        assessments = [_assessment(rows[i]) for i in chosen]
        names = [_who(rows[i]) for i in chosen]
        result = agreement([a for a in assessments if a is not None], names)
        out.append(RoleAgreement(rows[chosen[0]].label, tuple(chosen),
                                 tuple(rows[i].file for i in chosen), result))
    return out


EXTERNAL_FIGURES = (("gpt4_beta", "GPT-4 beta"), ("human_beta", "human beta"),
                    ("ai_applicability", "AI applicability"))
"""The published figures final scores are set against: (field, label)."""


def _external(rows: list[RegisterRow]) -> tuple[dict[str, dict[str, Any]], list[Flag]]:
    """Each row's published figures, the rank correlations and the ``AIJ-R504`` flags."""
    refs: dict[str, ext.ExternalReference | None] = {}
    for r in rows:
        if r.occupation_code and r.occupation_code not in refs:
            refs[r.occupation_code] = ext.external_reference(r.occupation_code)
        r.external = ext.as_dict(refs.get(r.occupation_code or ""), None)
    scored = [i for i, r in enumerate(rows) if r.final_score is not None]
    correlations = {}
    for name, _ in EXTERNAL_FIGURES:
        pairs = [(float(rows[i].external[name]), float(rows[i].final_score))  # type: ignore[arg-type]
                 for i in scored if rows[i].external[name] is not None]
        rho = ext.spearman([p[0] for p in pairs], [p[1] for p in pairs])
        correlations[name] = {"rho": None if rho is None else round(rho, 4),
                              "n": len(pairs)}
    placed = [i for i in scored if rows[i].external["exposure"] is not None]
    placements = ext.place([rows[i].external["exposure"] for i in placed],
                           [rows[i].final_score for i in placed])  # type: ignore[misc]
    flags = []
    for i, p in zip(placed, placements, strict=True):
        r = rows[i]
        r.external.update(peer_median=round(p.peer_median, 4), residual=round(p.residual, 4))
        if not p.flagged:
            continue
        side = "above" if p.residual > 0 else "below"
        message = (f"{r.label}: final score {r.final_score:.1f} is {abs(p.residual):.1f} "
                   f"points {side} {p.peer_median:.1f}, the median of the {len(p.peers)} "
                   f"assessments nearest in published exposure (its occupation "
                   f"{r.occupation_code}: beta {r.external['exposure']:.2f}, the mean of "
                   f"GPT-4 and human); a prompt to review the scoring, not a rule")
        finding = Finding("AIJ-R504", message, where=r.file, field="final_score",
                          expected=round(p.peer_median, 1), actual=r.final_score)
        flags.append(Flag(finding, r.role, r.files, (i,)))
    return correlations, flags


def _assessor_spread(rows: list[RegisterRow]) -> list[Flag]:
    """``AIJ-R501``: per role, the widest gap between final scores of different assessors
    (the first such pair in the order of the rows). Linear in the rows of a role: each
    row is compared with the highest and lowest later rows of two different assessors."""
    groups: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        if r.final_score is not None and r.role_key:
            groups.setdefault(r.role_key, []).append(i)
    flags = []
    for members in groups.values():
        pair = _widest_pair(rows, members)
        if pair is None:
            continue
        gap, a, b = pair
        spread = [i for i in members if rows[i].final_score is not None]
        ra, rb = rows[a], rows[b]
        message = (f"{ra.label}: final scores {ra.final_score:.1f} ({_who(ra)}, {ra.file}) and "
                   f"{rb.final_score:.1f} ({_who(rb)}, {rb.file}) are {gap:.1f} points apart; "
                   f"different assessors may differ by {ASSESSOR_SPREAD} at most")
        finding = Finding("AIJ-R501", message, where=ra.file, field="final_score",
                          expected=ASSESSOR_SPREAD, actual=gap)
        flags.append(Flag(finding, ra.label, _files(rows, spread), tuple(spread)))
    return flags


def _widest_pair(rows: list[RegisterRow], members: list[int]
                 ) -> tuple[float, int, int] | None:
    """The widest gap over ``ASSESSOR_SPREAD`` between two rows of ``members`` scored by
    different assessors (an unnamed one differs from all), and the first such pair in the
    order of the rows; ``None`` when no gap is that wide."""
    scores = [float(rows[m].final_score) for m in members]  # type: ignore[arg-type]
    who = [_assessor_name(rows[m].assessor) or None for m in members]

    def differ(p: int, q: int) -> bool:
        return who[p] is None or who[p] != who[q]

    def keep(best: list[int], p: int, higher: bool) -> list[int]:
        """The extreme rows of two different assessors among ``best`` and ``p``."""
        def beats(x: int, y: int) -> bool:
            return scores[x] > scores[y] if higher else scores[x] < scores[y]

        same = next((q for q in best if who[p] is not None and who[q] == who[p]), None)
        if same is not None and not beats(p, same):
            return best
        merged = [q for q in best if q != same] + [p]
        return sorted(merged, key=lambda q: -scores[q] if higher else scores[q])[:2]

    best_gap = [0.0] * len(members)
    high: list[int] = []
    low: list[int] = []
    for p in range(len(members) - 1, -1, -1):
        gap = 0.0
        for extremes, sign in ((high, 1.0), (low, -1.0)):
            q = next((q for q in extremes if differ(p, q)), None)
            if q is not None:
                gap = max(gap, sign * (scores[q] - scores[p]))
        best_gap[p] = excel_round(gap, 6)
        high, low = keep(high, p, True), keep(low, p, False)
    widest = max(best_gap, default=0.0)
    if not widest > ASSESSOR_SPREAD:
        return None
    a = best_gap.index(widest)
    b = next(q for q in range(a + 1, len(members)) if differ(a, q) and
             excel_round(abs(scores[a] - scores[q]), 6) == widest)
    return widest, members[a], members[b]


def _who(row: RegisterRow) -> str:
    return row.assessor.strip() if row.assessor and row.assessor.strip() else \
        "assessor not named"


def _files(rows: list[RegisterRow], indices: Iterable[int]) -> tuple[str, ...]:
    return tuple(f for i in indices for f in rows[i].files)


_PeerChecks = list[list[tuple[PeerCheck, str]]]
"""Per row, each peer it quotes against the register, with the slug the peer is found by."""


def _peer_checks(rows: list[RegisterRow]) -> tuple[_PeerChecks, dict[str, list[int]]]:
    """For each row, each peer it quotes against the register (the peer's scores, the
    row's own aside), and the scored rows of every role (matched by id or title, as
    slugs). Linear: each role's scores are counted once, and a quote looks them up."""
    by_slug: dict[str, list[int]] = {}
    for j, r in enumerate(rows):
        if r.final_score is not None:
            for key in {slug(r.role_id), slug(r.role)} - {""}:
                by_slug.setdefault(key, []).append(j)
    counted: dict[str, dict[float, int]] = {}
    for key, members in by_slug.items():
        tally = counted[key] = {}
        for j in members:
            score = _one_decimal(rows[j].final_score)  # type: ignore[arg-type]
            tally[score] = tally.get(score, 0) + 1
    held: dict[tuple[str, float | None], tuple[float, ...]] = {}

    def scores_of(key: str, own: float | None) -> tuple[float, ...]:
        """The peer's distinct scores, one row of score ``own`` taken out of the count."""
        if (key, own) not in held:
            tally = counted.get(key, {})
            held[(key, own)] = tuple(sorted(s for s, n in tally.items() if n - (s == own)))
        return held[(key, own)]

    checks: _PeerChecks = []
    for r in rows:
        mine = []
        own_keys = {slug(r.role_id), slug(r.role)} if r.final_score is not None else set()
        for role, quoted in r.calibration:
            key = slug(role)
            own = _one_decimal(r.final_score) if key in own_keys else None  # type: ignore[arg-type]
            mine.append((PeerCheck(role, quoted, scores_of(key, own)), key))
        checks.append(mine)
    return checks, by_slug


def _stale_peers(rows: list[RegisterRow], checks: _PeerChecks,
                 by_slug: dict[str, list[int]]) -> list[Flag]:
    """``AIJ-R502``: a quoted peer whose score no assessment of the peer has."""
    flags = []
    for i, r in enumerate(rows):
        for k, (check, key) in enumerate(checks[i]):
            if check.status != "differs":
                continue
            peers = [j for j in by_slug.get(key, ()) if j != i]
            held = ", ".join(f"{s:.1f}" for s in check.register)
            message = (f"{r.label} ({r.file}) quotes {check.role} at {check.quoted:.1f}; the "
                       f"register has {check.role} at {held}")
            finding = Finding("AIJ-R502", message, where=r.file,
                              field=f"calibration[{k}].score", expected=list(check.register),
                              actual=check.quoted)
            flags.append(Flag(finding, r.label, _files(rows, [i, *peers]), (i, *peers)))
    return flags


def _not_verified(rows: list[RegisterRow]) -> list[Flag]:
    """``AIJ-R503``: an assessment one of whose files does not verify."""
    flags = []
    for i, r in enumerate(rows):
        if r.verdict != "FAIL":
            continue
        failing = [f for f, v in zip(r.files, r.verdicts, strict=True) if v == "FAIL"]
        errors = [f for f in r.findings if f["severity"] == "error"]
        first = errors[0]["message"] if errors else "see the verifier's findings"
        more = f" (and {len(errors) - 1} more error{'s' if len(errors) > 2 else ''})" \
            if len(errors) > 1 else ""
        subject = f"{r.role}: " if r.role else ""
        message = f"{subject}{', '.join(failing)} does not verify: {first}{more}"
        finding = Finding("AIJ-R503", message, where=failing[0], field=None,
                          actual=[f["code"] for f in errors])
        flags.append(Flag(finding, r.role, tuple(failing), (i,)))
    return flags


def _calibration(rows: list[RegisterRow], checks: _PeerChecks) -> list[CalibrationEntry]:
    """Scored assessments, highest final score first, each with the nearest assessment of
    another role below and above it."""
    scored = sorted((i for i, r in enumerate(rows) if r.final_score is not None),
                    key=lambda i: (-rows[i].final_score, rows[i].label.casefold(), i))  # type: ignore[operator]
    seen: dict[str, int] = {}
    for i in scored:
        seen[rows[i].role_key] = seen.get(rows[i].role_key, 0) + 1
    # The nearest position below (after) and above (before) each one whose role differs,
    # found in one pass each way: linear, where scanning from each entry was quadratic.
    keys = [rows[i].role_key for i in scored]
    below: list[int | None] = [None] * len(scored)
    above: list[int | None] = [None] * len(scored)
    for pos in range(len(scored) - 2, -1, -1):
        below[pos] = pos + 1 if keys[pos + 1] != keys[pos] else below[pos + 1]
    for pos in range(1, len(scored)):
        above[pos] = pos - 1 if keys[pos - 1] != keys[pos] else above[pos - 1]

    def neighbour(pos: int | None) -> tuple[str, float] | None:
        if pos is None:
            return None
        return rows[scored[pos]].label, rows[scored[pos]].final_score  # type: ignore[return-value]

    entries = []
    for pos, i in enumerate(scored):
        r = rows[i]
        label = r.label if seen[r.role_key] == 1 else f"{r.label} ({_who(r)})"
        entries.append(CalibrationEntry(
            row=i, role=r.label, assessor=r.assessor, final_score=r.final_score,  # type: ignore[arg-type]
            zone=r.result["zone"],  # type: ignore[index]
            below=neighbour(below[pos]), above=neighbour(above[pos]),
            peers=tuple(c for c, _ in checks[i]), label=label))
    return entries


# ---------------------------------------------------------------------------------------
# Text


def summary_text(reg: Register) -> str:
    """A short plain-text summary: rows, zones, verdicts, flags (one line each)."""
    counts = reg.counts()
    scored = sum(counts["zone"].values())
    lines = [f"{len(reg.rows)} assessment(s) from {reg.files_read} file(s); {scored} scored: "
             + ", ".join(f"{n} {z}" for z, n in counts["zone"].items())]
    lines.append("verdicts: " + ", ".join(f"{n} {v}" for v, n in counts["verdict"].items()))
    lines.append("flags: " + (", ".join(f"{n} {c}" for c, n in counts["flags"].items() if n)
                              or "none"))
    if reg.skipped:
        shown = ", ".join(Path(f).name for f in reg.skipped[:5])
        more = f" and {len(reg.skipped) - 5} more" if len(reg.skipped) > 5 else ""
        lines.append(f"skipped {len(reg.skipped)} text file(s) that are not published "
                     f"assessments: {shown}{more}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------
# Writing


def is_register_file(path: str | Path) -> bool:
    """Whether ``path`` is a register this module wrote (so that it may be overwritten and
    is not read as an assessment): an ``.xlsx`` with the register's title, a ``.json``
    of kind ``aijri-register``, a ``.csv`` with the register's header."""
    path = Path(path)
    try:
        if path.suffix.lower() == ".xlsx":
            import zipfile

            with zipfile.ZipFile(path) as z:
                info = z.getinfo("docProps/core.xml")
                if info.file_size > 64 * 1024:  # a core part is a few hundred bytes
                    return False
                core = z.read(info).decode("utf-8", "replace")
            return f"<dc:title>{REGISTER_TITLE}</dc:title>" in core
        if path.suffix.lower() == ".json":
            with open(path, "rb") as handle:
                return handle.read(len(JSON_MARK)) == JSON_MARK
        if path.suffix.lower() == ".csv":
            with open(path, encoding="utf-8") as handle:
                return handle.readline().strip() == ",".join(COLUMN_NAMES)
    except Exception:  # unreadable or not ours: not a register
        return False
    return False


def write_register(reg: Register, path: str | Path) -> list[Path]:
    """Write the register; the format follows the suffix: ``.xlsx`` (the workbook),
    ``.json``, or ``.csv`` (two files: the rows and ``*-flags.csv``). Returns the files
    written. The same register always gives the same bytes."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        path.write_bytes(register_workbook_bytes(reg))
        return [path]
    if suffix == ".json":
        path.write_text(json.dumps(reg.to_dict(), indent=2, ensure_ascii=False) + "\n",
                        encoding="utf-8")
        return [path]
    if suffix == ".csv":
        return _write_csv(reg, path)
    raise ValueError(f"unsupported register format {path.suffix!r}: use .xlsx, .csv or .json")


def _text(value: Any) -> Any:
    """A value as a cell or CSV field shows it: text neutralised, tuples one per line."""
    if value is None:
        return ""
    if isinstance(value, tuple | list):
        return neutralise("\n".join(map(str, value)))
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, int | float):
        return value
    return neutralise(str(value))


def _write_csv(reg: Register, path: Path) -> list[Path]:
    import csv

    flags_path = path.with_name(path.stem + "-flags.csv")
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMN_NAMES)
        for r in reg.rows:
            record = r.record()
            writer.writerow([_text(record[c]) for c in COLUMN_NAMES])
    with open(flags_path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(FLAG_COLUMNS)
        for f in reg.flags:
            writer.writerow([_text(v) for v in (f.code, f.severity, f.role, f.files,
                                                f.message)])
    return [path, flags_path]


def _column_letter(index: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return xl_col_to_name(index)


class _Styles:
    """Every cell format of the register workbook, made once."""

    def __init__(self, wb: Any) -> None:
        base = {"font_name": "Calibri", "font_size": 10, "valign": "top"}
        left = {"align": "left", "indent": 1}  # apart from a number on its left
        self.title = wb.add_format({**base, "bold": True, "font_size": 16,
                                    "font_color": HEADER_FILL})
        self.subtitle = wb.add_format({**base, "italic": True, "font_color": "#595959"})
        self.wrap_note = wb.add_format({**base, "italic": True, "font_color": "#595959",
                                        "text_wrap": True})
        self.header = wb.add_format({**base, "bold": True, "font_color": "#FFFFFF",
                                     "bg_color": HEADER_FILL, "text_wrap": True, **left})
        self.text = wb.add_format({**base, **left})
        self.wrap = wb.add_format({**base, "text_wrap": True, **left})
        self.indented = wb.add_format({**base, **left, "indent": 2})
        self.number = {kind: wb.add_format({**base, "num_format": fmt})
                       for kind, fmt in NUMBER_FORMATS.items()}
        self.total = wb.add_format({**base, "bold": True, "top": 1})
        self.total_pct = wb.add_format({**base, "bold": True, "top": 1,
                                        "num_format": NUMBER_FORMATS["pct"]})
        self.total_label = wb.add_format({**base, "bold": True, "top": 1, **left})
        self.zone = {z: wb.add_format({**base, "bg_color": bg, "font_color": fg, **left})
                     for z, (bg, fg) in ZONE_STYLES.items()}
        self.zone_bold = {z: wb.add_format({**base, "bold": True, "bg_color": bg,
                                            "font_color": fg, **left})
                          for z, (bg, fg) in ZONE_STYLES.items()}
        self.verdict = {v: self.zone[z] for v, z in VERDICT_ZONES.items()}
        self.severity = {"error": self.zone["RED"], "warning": self.zone["YELLOW"]}


def register_workbook_bytes(reg: Register) -> bytes:
    """The register workbook as ``.xlsx`` bytes (byte-identical for the same register)."""
    import xlsxwriter

    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                      "strings_to_formulas": False, "strings_to_urls": False})
    st = _Styles(wb)
    summary = wb.add_worksheet("Summary")
    sheets = {name: wb.add_worksheet(name) for name in ("Register", "Calibration", "Flags",
                                                         "Agreement", "External")}
    _build_register_sheet(sheets["Register"], reg, st)
    _build_calibration_sheet(sheets["Calibration"], reg, st)
    _build_flags_sheet(sheets["Flags"], reg, st)
    _build_agreement_sheet(sheets["Agreement"], reg, st)
    _build_external_sheet(wb, sheets["External"], reg, st)
    _build_summary(wb, summary, reg, st)
    wb.set_properties({"title": REGISTER_TITLE, "subject": "AI Job Resilience Index (AIJRI)",
                       "keywords": f"AIJRI, {METHOD}, register", "created": FIXED_DATE,
                       "comments": f"Method {METHOD}; written by aijri_xl"})
    summary.activate()
    wb.close()
    return buffer.getvalue()


def _put(ws: Any, row: int, col: int, value: Any, fmt: Any) -> None:
    value = _text(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        ws.write_number(row, col, value, fmt)
    elif value == "":
        ws.write_blank(row, col, None, fmt)
    else:
        ws.write_string(row, col, value, fmt)


def _fit_row(ws: Any, row: int, texts: list[tuple[Any, float]]) -> None:
    """Make a row tall enough for its wrapped texts (spreadsheet programs do not size rows
    on opening a file)."""
    height = max((text_height(t if isinstance(t, str) else None, w) for t, w in texts),
                 default=15.0)
    if height > 15.0:
        ws.set_row(row, height)


def _excel_date(text: str | None) -> Any:
    import datetime as dt

    try:
        return dt.datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def _table_head(ws: Any, st: _Styles, headers: Sequence[tuple[str, float]]) -> None:
    ws.write_row(0, 0, [h for h, _ in headers], st.header)
    for col, (_, width) in enumerate(headers):
        ws.set_column(col, col, width)


def _table_tail(ws: Any, rows: int, columns: int, frozen_columns: int) -> None:
    """A filter on the header, the header frozen and repeated on each printed page, and
    pages as wide as the table."""
    ws.autofilter(0, 0, max(1, rows), columns - 1)
    ws.freeze_panes(1, frozen_columns)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)


def _build_register_sheet(ws: Any, reg: Register, st: _Styles) -> None:
    _table_head(ws, st, [(name, width) for name, _, width in COLUMNS])
    wrapped = [(col, width) for col, (name, _, width) in enumerate(COLUMNS)
               if name in ("files", "calibration")]
    for i, r in enumerate(reg.rows, 1):
        record = r.record()
        _fit_row(ws, i, [(_text(record[COLUMN_NAMES[col]]), width) for col, width in wrapped])
        for col, (name, kind, _) in enumerate(COLUMNS):
            value = record[name]
            fmt = st.number.get(kind, st.wrap if name in ("files", "calibration") else st.text)
            if name in PERCENT_FIELDS and value is not None:
                value = percent_to_fraction(value)
            if kind == "date" and _excel_date(value) is not None:
                ws.write_datetime(i, col, _excel_date(value), fmt)
                continue
            _put(ws, i, col, value, fmt)
    last = max(1, len(reg.rows))
    _table_tail(ws, len(reg.rows), len(COLUMNS), 2)
    zone, verdict = COLUMN_NAMES.index("zone"), COLUMN_NAMES.index("verdict")
    for col, styles in ((zone, st.zone), (verdict, st.verdict)):
        for value, fmt in styles.items():
            ws.conditional_format(1, col, last, col, {"type": "cell", "criteria": "==",
                                                      "value": f'"{value}"', "format": fmt})


CALIBRATION_HEADERS = (("Rank", 6), ("Role", 36), ("Assessor", 12), ("Final score", 7),
                       ("Zone", 8), ("Next below", 34), ("Score", 6), ("Next above", 34),
                       ("Score", 6), ("Quoted peers (✓ agrees, ✗ differs, ? not in register)",
                                      76), ("Peers", 10), ("Chart label", 44))


def _build_calibration_sheet(ws: Any, reg: Register, st: _Styles) -> None:
    _table_head(ws, st, CALIBRATION_HEADERS)
    for i, e in enumerate(reg.calibration, 1):
        below, above = e.below or ("", ""), e.above or ("", "")
        peers = "; ".join(p.text() for p in e.peers)
        values = (i, e.role, e.assessor, e.final_score, e.zone, below[0], below[1], above[0],
                  above[1], peers, e.agreement, e.label)
        _fit_row(ws, i, [(_text(peers), CALIBRATION_HEADERS[9][1])])
        for col, value in enumerate(values):
            fmt = st.number["score"] if col in (3, 6, 8) else st.wrap if col == 9 else st.text
            if col == 4:
                fmt = st.zone[e.zone]
            _put(ws, i, col, value, fmt)
        if e.agreement == "differs":
            ws.write_string(i, 10, "differs", st.zone["YELLOW"])
    _table_tail(ws, len(reg.calibration), len(CALIBRATION_HEADERS), 2)


def _build_flags_sheet(ws: Any, reg: Register, st: _Styles) -> None:
    headers = (("Code", 10), ("Severity", 9), ("What", 34), ("Role", 30), ("Files", 44),
               ("Message", 90))
    _table_head(ws, st, headers)
    for i, f in enumerate(reg.flags, 1):
        values = (f.code, f.severity, CODES[f.code].title, f.role, f.files, f.message)
        _fit_row(ws, i, [(_text(f.files), headers[4][1]), (_text(f.message), headers[5][1])])
        for col, value in enumerate(values):
            fmt = st.severity.get(f.severity, st.text) if col == 1 else \
                st.wrap if col in (4, 5) else st.text
            _put(ws, i, col, value, fmt)
    _table_tail(ws, len(reg.flags), len(headers), 0)


AGREEMENT_BLOCKS = ("task scores", "evidence", "barriers", "growth", "all scored inputs")
_BLOCK_HEADS = ("Tasks", "Evidence", "Barriers", "Growth", "All")
AGREEMENT_HEADERS = (("Role", 30), ("Assessors and final scores", 34), ("Spread", 7),
                     *((f"{b} MAD", 9) for b in _BLOCK_HEADS),
                     *((f"{b} alpha", 9) for b in _BLOCK_HEADS),
                     ("What explains the difference (mean |part|, points)", 60),
                     ("Files", 40))


def _build_agreement_sheet(ws: Any, reg: Register, st: _Styles) -> None:
    """One row per role scored by several assessors: the mean absolute difference and
    Krippendorff's alpha (ordinal) per block of inputs, and the inputs whose Shapley
    parts explain most of the difference in their final scores."""
    _table_head(ws, st, AGREEMENT_HEADERS)
    ws.set_row(0, 40)  # the block names wrap in narrow columns
    for i, ra in enumerate(reg.agreement, 1):
        g = ra.result
        blocks = {b.block: b for b in g.blocks}
        who = "\n".join(f"{name}: {score:.1f}" for name, score in
                         zip(g.assessors, g.final_scores, strict=True))
        explained = "\n".join(f"{e.label}: {e.mean_abs_points:.2f}" for e in g.explained[:5])
        values: list[Any] = [ra.role, who, g.spread]
        values += [blocks[b].mean_absolute_difference for b in AGREEMENT_BLOCKS]
        values += [blocks[b].alpha_ordinal for b in AGREEMENT_BLOCKS]
        values += [explained, ra.files]
        _fit_row(ws, i, [(_text(who), 34), (_text(explained), 60), (_text(ra.files), 40)])
        for col, value in enumerate(values):
            fmt = st.number["score"] if col == 2 else st.number["num2"] if 3 <= col < 13 \
                else st.wrap
            _put(ws, i, col, round(value, 4) if isinstance(value, float) and 3 <= col < 13
                 else value, fmt)
    if not reg.agreement:
        ws.write_string(1, 0, "No role is scored by more than one assessor.", st.text)
    _table_tail(ws, len(reg.agreement), len(AGREEMENT_HEADERS), 1)


def _range(sheet: str, col: int, rows: int) -> str:
    letter = _column_letter(col)
    return f"{sheet}!${letter}$2:${letter}${max(2, rows + 1)}"


def _build_summary(wb: Any, ws: Any, reg: Register, st: _Styles) -> None:
    counts = reg.counts()
    n = len(reg.rows)
    zone_range = _range("Register", COLUMN_NAMES.index("zone"), n)
    sub_range = _range("Register", COLUMN_NAMES.index("sub_label"), n)
    verdict_range = _range("Register", COLUMN_NAMES.index("verdict"), n)
    flag_range = _range("Flags", 0, len(reg.flags))
    ws.set_column("A:A", 22)
    ws.set_column("B:B", 12)
    ws.set_column("C:D", 9)
    ws.set_column("E:E", 4)
    ws.write_string(0, 0, REGISTER_TITLE, st.title)
    flags = sum(counts["flags"].values())
    ws.write_string(1, 0, f"{n} assessments from {reg.files_read} files · {flags} flags · "
                    f"method {METHOD}", st.subtitle)

    # Zones: count and share of the scored assessments.
    top = 3
    ws.write_row(top, 0, ("Zone", "Assessments", "Share"), st.header)
    scored = sum(counts["zone"].values())
    for k, z in enumerate(ZONES, top + 1):
        ws.write_string(k, 0, z, st.zone_bold[z])
        ws.write_formula(k, 1, f'=COUNTIF({zone_range},"{z}")', st.number["int"],
                         counts["zone"][z])
        ws.write_formula(k, 2, f"=IF($B${top + 5}=0,0,B{k + 1}/$B${top + 5})",
                         st.number["pct"], counts["zone"][z] / scored if scored else 0)
    ws.write_string(top + 4, 0, "Scored", st.total_label)
    ws.write_formula(top + 4, 1, f"=SUM(B{top + 2}:B{top + 4})", st.total, scored)
    ws.write_formula(top + 4, 2, f"=SUM(C{top + 2}:C{top + 4})", st.total_pct,
                     1 if scored else 0)
    ws.write_string(top + 5, 0, "Without figures", st.text)
    ws.write_formula(top + 5, 1, f"=COUNTA({_range('Register', 0, n)})-B{top + 5}",
                     st.number["int"], n - scored)

    # Sub-labels: one row each, counted under their zone (the chart's data).
    sub = top + 8
    ws.write_row(sub, 0, ("Sub-label", *ZONES), st.header)
    row = sub + 1
    sub_rows: list[tuple[int, str, str]] = []
    for z in ZONES:
        for label in SUB_LABELS[z]:
            full = f"{z.title()} ({label})"
            ws.write_string(row, 0, full, st.text)
            for k, zz in enumerate(ZONES, 1):
                if zz == z:
                    ws.write_formula(row, k, f'=COUNTIF({sub_range},"{full}")',
                                     st.number["int"], counts["sub_label"][full])
                else:
                    ws.write_blank(row, k, None, st.text)
            sub_rows.append((row, z, full))
            row += 1

    # Verdicts and flags.
    ver = row + 2
    ws.write_row(ver, 0, ("Verdict", "Assessments"), st.header)
    for k, v in enumerate(VERDICTS, ver + 1):
        ws.write_string(k, 0, v, st.verdict[v])
        ws.write_formula(k, 1, f'=COUNTIF({verdict_range},"{v}")', st.number["int"],
                         counts["verdict"][v])
    fl = ver + 5
    ws.write_row(fl, 0, ("Flag", "Count", "What", "", ""), st.header)
    for k, c in enumerate(FLAG_CODES, fl + 1):
        ws.write_string(k, 0, c, st.text)
        ws.write_formula(k, 1, f'=COUNTIF({flag_range},"{c}")', st.number["int"],
                         counts["flags"][c])
        ws.write_string(k, 2, CODES[c].title, st.indented)
    note = fl + 5
    ws.write_string(note, 0, f"AIJ-R501: different assessors more than {ASSESSOR_SPREAD} "
                    "points apart on one role. AIJ-R502: a quoted peer score the register does "
                    "not hold.", st.subtitle)
    ws.write_string(note + 1, 0, "AIJ-R503: an assessment that does not verify. AIJ-R504: a "
                    "score far from its peers of similar published exposure (External "
                    "sheet).", st.subtitle)
    ws.write_string(note + 2, 0, "Details on the Flags sheet; each role between its "
                    "neighbours on the Calibration sheet.", st.subtitle)

    _zone_chart(wb, ws, sub_rows, sub, st)
    bottom = _score_chart(wb, ws, reg, note + 4)
    ws.set_portrait()
    ws.fit_to_pages(1, 1)
    ws.print_area(0, 0, bottom, 14)
    ws.hide_gridlines(2)


def _zone_chart(wb: Any, ws: Any, sub_rows: list[tuple[int, str, str]], header: int,
                st: _Styles) -> None:
    chart = wb.add_chart({"type": "column", "subtype": "stacked"})
    for row, _, full in sub_rows:
        chart.add_series({
            "name": ["Summary", row, 0],
            "categories": ["Summary", header, 1, header, len(ZONES)],
            "values": ["Summary", row, 1, row, len(ZONES)],
            "fill": {"color": SUB_LABEL_COLOURS[full]},
            "border": {"color": "#FFFFFF"},
            "data_labels": {"value": True, "num_format": "0;;;",
                            "font": {"size": 8, "color": "#FFFFFF", "bold": True}},
            "gap": 50,
        })
    chart.set_title({"name": "Zone distribution (by sub-label)",
                     "name_font": {"size": 11, "bold": True}})
    chart.set_legend({"position": "right", "font": {"size": 8}})
    chart.set_y_axis({"name": "Assessments", "name_font": {"size": 9, "bold": False},
                      "num_format": "0", "min": 0,
                      "major_gridlines": {"visible": True, "line": {"color": "#E0E0E0"}}})
    chart.set_x_axis({"num_font": {"size": 9, "bold": True}})
    chart.set_chartarea({"border": {"color": "#BFBFBF"}})
    chart.set_size({"width": 560, "height": 300})
    ws.insert_chart(3, 5, chart, {"x_offset": 8, "y_offset": 0})


def _score_chart(wb: Any, ws: Any, reg: Register, first_row: int) -> int:
    """The final score of every scored assessment, sorted, one bar each coloured by zone;
    its data are the Calibration sheet's columns. Returns the last row it covers."""
    entries = reg.calibration
    count = max(1, len(entries))
    many = count > 100  # then thinner bars and no value labels
    chart = wb.add_chart({"type": "bar"})
    chart.add_series({
        "name": "Final score",
        "categories": ["Calibration", 1, 11, count, 11],
        "values": ["Calibration", 1, 3, count, 3],
        "points": [{"fill": {"color": ZONE_CHART_COLOURS[e.zone]}, "border": {"none": True}}
                   for e in entries],
        **({} if many else {"data_labels": {"value": True, "num_format": "0.0",
                                            "font": {"size": 7}}}),
        "gap": 40,
    })
    chart.set_title({"name": "Final score by assessment, highest first "
                     "(green ≥ 48, yellow ≥ 25, red below)",
                     "name_font": {"size": 11, "bold": True}})
    chart.set_legend({"none": True})
    chart.set_x_axis({"min": 0, "max": 100, "major_unit": 10, "num_font": {"size": 8},
                      "major_gridlines": {"visible": True, "line": {"color": "#E0E0E0"}}})
    chart.set_y_axis({"reverse": True, "num_font": {"size": 7}})
    chart.set_chartarea({"border": {"color": "#BFBFBF"}})
    height = 90 + (max(3, 1400 // count) if many else 14) * count
    chart.set_size({"width": 1000, "height": height})
    ws.insert_chart(first_row, 0, chart, {"x_offset": 4, "y_offset": 0})
    return first_row + height // 20 + 2


EXTERNAL_HEADERS = (("Role", 34), ("Assessor", 12), ("Occupation code", 11),
                    ("O*NET occupation", 34), ("Final score", 7), ("Zone", 8),
                    ("GPT-4 beta", 7), ("Human beta", 7), ("AI applicability", 9),
                    ("Exposure (mean beta)", 9), ("Expected from peers", 9), ("Residual", 8),
                    ("Flag", 10))
_EXTERNAL_TABLE_ROW = 29
"""The External sheet's table header row (0-based): below the correlations and charts."""
_CHART_DATA_COL = len(EXTERNAL_HEADERS) + 1


def _build_external_sheet(wb: Any, ws: Any, reg: Register, st: _Styles) -> None:
    """Assessments with an occupation code against the published figures: the rank
    correlations, one scatter chart per figure (points coloured by zone, ``AIJ-R504``
    ringed), the table (by exposure), and the charts' data at the right."""
    for col, (_, width) in enumerate(EXTERNAL_HEADERS):
        ws.set_column(col, col, width)
    ws.write_string(0, 0, "External calibration: final scores against published exposure",
                    st.title)
    last = len(EXTERNAL_HEADERS) - 1
    ws.merge_range(1, 0, 1, last, "GPT-4 and human beta: GPTs-are-GPTs (Eloundou et al., Science "
                    "2024; MIT); AI applicability: Working with AI (Tomlinson et al., 2025; "
                    "CC BY 4.0); occupations: O*NET (USDOL/ETA, CC BY 4.0). Exposure judges "
                    "2023-era feasibility, not outcomes: references, never inputs.",
                    st.wrap_note)
    ws.merge_range(2, 0, 2, last, ext.rule_text(), st.wrap_note)
    ws.set_row(1, 28)
    ws.set_row(2, 28)
    ws.write_row(4, 0, ("Published figure", "Spearman rho", "Pairs", "Reading"), st.header)
    for k, (name, label) in enumerate(EXTERNAL_FIGURES, 5):
        c = reg.correlations.get(name, {"rho": None, "n": 0})
        ws.write_string(k, 0, label, st.text)
        _put(ws, k, 1, c["rho"], st.number["num2"])
        ws.write_number(k, 2, c["n"], st.number["int"])
        ws.write_string(k, 3, _reading(c["rho"]), st.text)

    coded = sorted((i for i, r in enumerate(reg.rows) if r.occupation_code),
                   key=lambda i: (reg.rows[i].external.get("exposure") is None,
                                  reg.rows[i].external.get("exposure") or 0, i))
    top = _EXTERNAL_TABLE_ROW
    ws.write_row(top, 0, [h for h, _ in EXTERNAL_HEADERS], st.header)
    ws.set_row(top, 40)
    for k, i in enumerate(coded, top + 1):
        r = reg.rows[i]
        e = r.external
        zone = r.result["zone"] if r.result else None
        occupation = e.get("occupation") or "not an occupation of the O*NET data"
        values = (r.label, r.assessor, r.occupation_code, occupation, r.final_score,
                  zone, e.get("gpt4_beta"), e.get("human_beta"), e.get("ai_applicability"),
                  e.get("exposure"), e.get("peer_median"), e.get("residual"),
                  "AIJ-R504" if "AIJ-R504" in r.flags else "")
        formats = (st.text, st.text, st.text, st.text, st.number["score"],
                   st.zone[zone] if zone else st.text, st.number["num2"], st.number["num2"],
                   st.number["num4"], st.number["num4"], st.number["score"],
                   st.number["score"], st.zone["YELLOW"] if values[-1] else st.text)
        for col, (value, fmt) in enumerate(zip(values, formats, strict=True)):
            _put(ws, k, col, value, fmt)
    if not coded:
        ws.write_string(top + 1, 0, "No assessment in the register has an occupation code "
                        "(role: occupation_code, e.g. 29-1141.00).", st.subtitle)
    for n, (name, label) in enumerate(EXTERNAL_FIGURES):
        _external_chart(wb, ws, reg, st, name, label, n)
    ws.freeze_panes(top + 1, 1)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.print_area(0, 0, top + max(1, len(coded)), len(EXTERNAL_HEADERS) - 1)
    ws.hide_gridlines(2)


def _reading(rho: float | None) -> str:
    if rho is None:
        return "too few assessments with this figure"
    strength = "strong" if abs(rho) >= 0.5 else "moderate" if abs(rho) >= 0.3 else "weak"
    way = ("higher exposure, lower score" if rho < 0 else "higher exposure, higher score")
    return f"{strength}: {way}" if abs(rho) >= 0.1 else "no clear relation"


def _external_chart(wb: Any, ws: Any, reg: Register, st: _Styles, name: str, label: str,
                    n: int) -> None:
    """A native scatter chart of final score against one published figure. Its data are
    written at the sheet's right, complete pairs only, grouped by zone (one coloured
    series each) with the ``AIJ-R504`` assessments again as a ringed series."""
    col = _CHART_DATA_COL + 2 * n
    top = _EXTERNAL_TABLE_ROW
    ws.set_column(col, col + 1, 9)
    ws.write_string(top, col, label, st.header)
    ws.write_string(top, col + 1, "Final score", st.header)
    pairs = [(r.result["zone"], r.external[name], r.final_score, "AIJ-R504" in r.flags)
             for r in reg.rows if r.result and r.external.get(name) is not None]
    if not pairs:
        ws.write_string(8, 4 * n, f"No scored assessment with {label}: no chart.",
                        st.subtitle)
        return
    groups = [(z, [p for p in pairs if p[0] == z]) for z in ZONES]
    groups.append(("AIJ-R504", [p for p in pairs if p[3]]))
    chart = wb.add_chart({"type": "scatter"})
    row = top + 1
    for zone, points in groups:
        if not points:
            continue
        points.sort(key=lambda p: (p[1], p[2]))
        first, last = row, row + len(points) - 1
        for k, p in enumerate(points):
            ws.write_number(first + k, col, p[1])
            ws.write_number(first + k, col + 1, p[2])
        row = last + 1
        marker = ({"type": "circle", "size": 6,
                   "fill": {"color": ZONE_CHART_COLOURS[zone]},
                   "border": {"color": "#404040", "width": 0.5}} if zone in ZONES else
                  {"type": "circle", "size": 11, "fill": {"none": True},
                   "border": {"color": "#C00000", "width": 2}})
        chart.add_series({"name": zone if zone in ZONES else "AIJ-R504 (review)",
                          "categories": ["External", first, col, last, col],
                          "values": ["External", first, col + 1, last, col + 1],
                          "marker": marker})
    c = reg.correlations.get(name, {"rho": None, "n": 0})
    rho = "n/a" if c["rho"] is None else f"{c['rho']:.2f}"
    chart.set_title({"name": f"Final score vs {label} (rho {rho}, n {c['n']})",
                     "name_font": {"size": 10, "bold": True}})
    chart.set_x_axis({"name": label, "name_font": {"size": 9}, "num_font": {"size": 8},
                      "num_format": "0.00",
                      "major_gridlines": {"visible": True, "line": {"color": "#E0E0E0"}}})
    chart.set_y_axis({"name": "Final score", "min": 0, "max": 100, "major_unit": 20,
                      "name_font": {"size": 9}, "num_font": {"size": 8},
                      "major_gridlines": {"visible": True, "line": {"color": "#E0E0E0"}}})
    chart.set_legend({"position": "bottom", "font": {"size": 8}})
    chart.set_chartarea({"border": {"color": "#BFBFBF"}})
    chart.set_size({"width": 420, "height": 380})
    ws.insert_chart(8, 0, chart, {"x_offset": 4 + n * 430, "y_offset": 4})
