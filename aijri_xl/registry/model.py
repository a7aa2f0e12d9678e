"""The register's data: one row per assessment, its flags, its calibration view, its counts.

A row is one assessment read from one or more files. Files are one assessment only when
they hold the same *scorable* assessment (the same plain data, such as a YAML and the
workbook built from it); a file that cannot be scored is a row of its own. Each file
keeps its own verdict; the row's verdict is the best of them (the assessment verifies in
that file), and the files that fail are listed with it (and flagged, ``AIJ-R503``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

from aijri_xl._record import dataclass, field
from aijri_xl.analytics.agreement import Agreement
from aijri_xl.house.reader import slug
from aijri_xl.method.excel_math import excel_round
from aijri_xl.method.findings import SEVERITY_ORDER, Finding
from aijri_xl.method.marks import REGISTER
from aijri_xl.method.parameters import METHOD, RESULT_FIELDS, SUB_LABELS, ZONES
from aijri_xl.registry import external as ext
from aijri_xl.registry.store import Spool
from aijri_xl.sources import HTML_SUFFIXES
from aijri_xl.verify.audit import neutralise

_KIND_ORDER = {"workbook": 0, "file": 1, "report": 2}

ASSESSOR_SPREAD = 5
"""Points by which the final scores of one role from different assessors may differ before
the register flags it (``AIJ-R501``). A register policy, not a method parameter."""

REGISTER_TITLE = "AIJRI portfolio register"
"""The title of a register workbook (the mark itself is :data:`aijri_xl.method.marks.REGISTER`)."""

VERDICTS = ("PASS", "WARN", "FAIL")
NOT_VERIFIED = "Does not verify"
"""The summary's category of assessments that fail: counted apart from the zones."""
FLAG_CODES = ("AIJ-R501", "AIJ-R502", "AIJ-R503", "AIJ-R504")

# The columns of the DataFrame and of the Register sheet, in order: (name, number format,
# width, heading on the sheet). §4 result fields keep their names in the DataFrame; the
# sheet shows headings a reader understands. Shares of task time are percent units in the
# DataFrame and fractions with a percent format in the workbook.
COLUMNS: tuple[tuple[str, str, float, str], ...] = (
    ("role", "text", 26, "Role"), ("assessor", "text", 13, "Assessor"),
    ("assessment_date", "date", 10.5, "Date"), ("final_score", "score", 7, "Final score"),
    ("zone", "text", 8, "Zone"), ("sub_label", "text", 19, "Sub-label"),
    ("verdict", "text", 8, "Verdict"), ("flags", "text", 11, "Flags"),
    ("files", "text", 38, "Files (verdict of each)"),
    ("failing_files", "text", 24, "Files that do not verify"),
    ("findings", "text", 14, "Finding codes"), ("file", "text", 30, "File to open first"),
    ("zone_margin", "score", 9.5, "Zone margin (points)"),
    ("nearest_zone_change", "text", 34, "Nearest zone change"),
    ("role_id", "text", 20, "Role id"), ("score", "score", 9.5, "Formula score"),
    ("override", "score", 9.5, "Override"),
    ("task_resistance", "num2", 9.5, "Task resist-ance"),
    ("evidence_modifier", "num2", 9.5, "Evidence modifier"),
    ("barrier_modifier", "num2", 9.5, "Barrier modifier"),
    ("growth_modifier", "num2", 9.5, "Growth modifier"), ("raw", "num4", 9.5, "Raw"),
    ("score_unrounded", "num4", 9.5, "Score, unrounded"),
    ("pct_time_score_3plus", "pct", 9.5, "Time at score 3+"),
    ("pct_time_score_4plus", "pct", 9.5, "Time at score 4+"),
    ("split_displacement", "pct", 9.5, "Displace-ment"),
    ("split_augmentation", "pct", 9.5, "Augment-ation"),
    ("split_not_involved", "pct", 9.5, "Not involved"),
    ("weighted_total", "num2", 9.5, "Weighted total"),
    ("protective_total", "int", 9.5, "Protective total"),
    ("growth_correlation", "int", 9.5, "Growth correl-ation"),
    ("quick_screen_total", "int", 9.5, "Quick screen"),
    ("quick_screen_band", "text", 20, "Quick screen band"),
    ("evidence_total", "int", 9.5, "Evidence total"),
    ("barrier_total", "int", 9.5, "Barrier total"), ("method", "text", 10, "Method"),
    ("kind", "text", 14, "Kinds of file"), ("calibration", "text", 34, "Peers quoted"),
    ("occupation_code", "text", 11, "Occupation code"),
    ("occupation", "text", 30, "O*NET occupation"), ("gpt4_beta", "num2", 9.5, "GPT-4 beta"),
    ("human_beta", "num2", 9.5, "Human beta"),
    ("ai_applicability", "num4", 9.5, "AI applic-ability"),
    ("exposure", "num4", 9.5, "Exposure (mean beta)"),
    ("peer_median", "score", 9.5, "Expected from peers"),
    ("residual", "score", 9.5, "Residual"),
)
"""The last :data:`aijri_xl.registry.external.EXTERNAL_FIELDS` columns are the external
calibration (blank for an assessment without a known occupation code)."""
COLUMN_NAMES = tuple(c[0] for c in COLUMNS)
COLUMN_LABELS = {c[0]: c[3] for c in COLUMNS}
READING_COLUMNS = 11
"""The Register sheet's first columns, what a reader needs, printed on the first page
across; the method's figures follow on the pages after."""
FLAG_COLUMNS = ("code", "severity", "role", "files", "message")

def _assessor_name(name: str | None) -> str:
    return " ".join((name or "").split()).casefold()


def _one_decimal(value: float) -> float:
    return excel_round(float(value), 1)


def _who(row: RegisterRow) -> str:
    return row.assessor.strip() if row.assessor and row.assessor.strip() else \
        "assessor not named"


def _files(rows: Sequence[RegisterRow], indices: Iterable[int]) -> tuple[str, ...]:
    return tuple(f for i in indices for f in rows[i].files)


_NO_EXTERNAL: Mapping[str, Any] = MappingProxyType(ext.as_dict(None, None))
"""The external calibration fields of a row without a known occupation (shared)."""


Stored = tuple[dict[str, Any] | None, dict[str, Any] | None, tuple[dict[str, Any], ...]]
"""What a row keeps in the register's spool: its result, its data, its findings."""


@dataclass(slots=True)
class RegisterRow:
    """One assessment of the register, read from one or more files holding the same
    scorable assessment. What a register of many rows does not need at hand, the §4
    result fields and the assessment's data, waits in the register's spool
    (:mod:`.store`) and is read when asked for (:attr:`result`, :attr:`data`)."""

    files: tuple[str, ...]
    kinds: tuple[str, ...]
    verdicts: tuple[str, ...]
    """The verifier's verdict of each file."""
    role: str | None
    role_id: str | None
    assessor: str | None
    assessment_date: str | None
    summary: tuple[float, str, str] | None
    """The final score, zone and sub-label (of :attr:`result`), ``None`` when the
    assessment cannot be scored."""
    calibration: tuple[tuple[str, float], ...]
    flags: tuple[str, ...] = ()
    zone_margin: float | None = None
    """Points above (+) or below (−) the nearest zone threshold (the sensitivity's)."""
    nearest_zone_change: str | None = None
    """The smallest single-input change that moves the zone, with the score it gives."""
    occupation_code: str | None = None
    external: Mapping[str, Any] = field(default_factory=lambda: _NO_EXTERNAL)
    """The external calibration fields (:data:`aijri_xl.registry.external.EXTERNAL_FIELDS`)."""
    assessable: bool = False
    """Whether :attr:`data` reads back as an assessment the method can check."""
    spool: Spool | None = field(default=None, repr=False, compare=False)
    at: int = field(default=-1, repr=False, compare=False)
    """Where the row's result and data are in ``spool``."""

    @property
    def result(self) -> dict[str, Any] | None:
        """The §4 result fields (percent units), ``None`` when the assessment cannot be
        scored."""
        return self._stored()[0]

    @property
    def data(self) -> dict[str, Any] | None:
        """The assessment as plain data (the codec's), when it could be read."""
        return self._stored()[1]

    @property
    def findings(self) -> tuple[dict[str, Any], ...]:
        """The verifier's findings of every file, with ``file`` added."""
        return self._stored()[2]

    def _stored(self) -> Stored:
        if self.spool is None:
            return None, None, ()
        stored: Stored = self.spool.get(self.at)
        return stored

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
        """The best verdict of its files: the assessment verifies where one of them does
        (the files that do not are :attr:`failing_files`)."""
        return min(self.verdicts, key=VERDICTS.index)

    @property
    def failing_files(self) -> tuple[str, ...]:
        return tuple(f for f, v in zip(self.files, self.verdicts, strict=True) if v == "FAIL")

    @property
    def category(self) -> str:
        """Where the summary counts it: ``unscored`` when it cannot be scored, else
        :data:`NOT_VERIFIED` when no file of it verifies, else its zone."""
        if not self.summary:
            return "unscored"
        return NOT_VERIFIED if self.verdict == "FAIL" else self.summary[1]

    @property
    def final_score(self) -> float | None:
        return self.summary[0] if self.summary else None

    @property
    def zone(self) -> str | None:
        return self.summary[1] if self.summary else None

    @property
    def sub_label(self) -> str | None:
        return self.summary[2] if self.summary else None

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
            "failing_files": self.failing_files, "zone_margin": self.zone_margin,
            "nearest_zone_change": self.nearest_zone_change,
            "findings": ", ".join(codes),
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


@dataclass(slots=True)
class Register:
    """Every assessment found, the flags raised across them, and the calibration view."""

    rows: list[RegisterRow]
    flags: list[Flag]
    calibration: Sequence[CalibrationEntry]
    """Made one entry at a time when read (:mod:`.calibration`): a register of many
    rows does not hold them all."""
    files_read: int
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """``(file, reason)`` of every file found and not read (lock files, other types,
    aijri's own audits and registers, text that is not a published assessment), named in
    its summary."""
    file_verdicts: list[str] = field(default_factory=list)
    """The verdict of every file read, in order: counted as ``aijri verify`` counts."""
    made_at: str | None = None
    """When the register was made (its first page says so), ``None`` to leave it out."""
    paths: tuple[str, ...] = ()
    """The paths it was made from."""
    agreement: Sequence[RoleAgreement] = field(default_factory=list)
    """Roles scored by several assessors: how far they agree (see :class:`RoleAgreement`)."""
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
        """Assessments per zone and sub-label (those that verify), per category (the zones,
        :data:`NOT_VERIFIED`, ``unscored``) and per verdict; files per verdict (as
        ``aijri verify`` counts them); flags per code. Every known value listed, zeros
        included."""
        zones: Counter[str] = Counter()
        subs: Counter[str] = Counter()
        categories: Counter[str] = Counter()
        verdicts: Counter[str] = Counter()
        for r in self.rows:
            verdict = r.verdict
            verdicts[verdict] += 1
            summary = r.summary
            if not summary:
                categories["unscored"] += 1
            elif verdict == "FAIL":
                categories[NOT_VERIFIED] += 1
            else:
                categories[summary[1]] += 1
                zones[summary[1]] += 1
                subs[summary[2]] += 1
        sub_labels = [f"{z.title()} ({s})" for z in ZONES for s in SUB_LABELS[z]]
        files = Counter(self.file_verdicts)
        flags = Counter(f.code for f in self.flags)
        return {
            "zone": {z: zones[z] for z in ZONES},
            "category": {c: categories[c] for c in (*ZONES, NOT_VERIFIED, "unscored")},
            "sub_label": {s: subs[s] for s in sub_labels},
            "verdict": {v: verdicts[v] for v in VERDICTS},
            "file_verdict": {v: files[v] for v in VERDICTS},
            "flags": {c: flags[c] for c in FLAG_CODES},
        }

    @property
    def worst_flag(self) -> str | None:
        """The severity of the worst flag, ``None`` when there is none."""
        return max((f.severity for f in self.flags), key=SEVERITY_ORDER.__getitem__,
                   default=None)

    def to_dict(self) -> dict[str, Any]:
        """The register as JSON-ready data (percent units), as ``write_register`` writes
        a ``.json`` file."""
        return {k: list(v) if isinstance(v, Iterator) else
                {kk: list(vv) if isinstance(vv, Iterator) else vv for kk, vv in v.items()}
                if k == "external_calibration" else v for k, v in self.json_parts().items()}

    def json_parts(self) -> dict[str, Any]:
        """:meth:`to_dict` with its long lists (rows, calibration, agreement, external
        rows) as iterators, made one item at a time as they are written."""

        def rows() -> Iterator[dict[str, Any]]:
            for r in self.rows:
                record = r.record()
                record["files"] = list(r.files)
                record["file_verdicts"] = list(r.verdicts)
                record["failing_files"] = list(r.failing_files)
                yield record

        def calibration() -> Iterator[dict[str, Any]]:
            for e in self.calibration:
                yield {
                    "role": e.role, "assessor": e.assessor, "final_score": e.final_score,
                    "zone": e.zone, "file": self.rows[e.row].file,
                    "below": list(e.below) if e.below else None,
                    "above": list(e.above) if e.above else None,
                    "peers": [{"role": p.role, "quoted": p.quoted,
                               "register": list(p.register), "status": p.status}
                              for p in e.peers]}

        def external_rows() -> Iterator[dict[str, Any]]:
            for r in self.rows:
                if r.occupation_code:
                    record = r.record()
                    yield {"role": r.role, "file": r.file, "final_score": r.final_score,
                           **{f: record[f] for f in ext.EXTERNAL_FIELDS},
                           "flagged": "AIJ-R504" in r.flags}

        return {
            "kind": REGISTER, "method": METHOD, "made_at": self.made_at,
            "paths": list(self.paths), "files_read": self.files_read,
            "counts": self.counts(), "rows": rows(),
            "skipped": [{"file": f, "reason": why} for f, why in self.skipped],
            "flags": [f.to_dict() for f in self.flags],
            "calibration": calibration(),
            "agreement": (a.to_dict() for a in self.agreement),
            "external_calibration": {
                "rule": ext.rule_text(), "correlations": self.correlations,
                "rows": external_rows()},
        }


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
