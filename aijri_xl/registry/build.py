"""Building the register: read and verify every file, merge, flag, place.

Reading. The paths are walked as ``aijri verify`` walks them
(:func:`aijri_xl.verify.walk.walk`: every assessment file type, files left out named;
fsspec URLs too) and every file is verified by the batch audit's streaming engine
(:func:`aijri_xl.verify.runner.stream`: a process pool, or a Dask cluster, with the
cache), so the register's file counts are the verifier's. Each reading is cut to what the
register keeps where it is made (:mod:`.compact`); the calibration, spread and peer steps
are linear in the rows. Files that hold the same scorable assessment (the same
:func:`aijri_xl.method.codec.assessment_to_data`, such as ``hpc-developer.yaml`` and the
workbook built from it) are one row; a file that cannot be scored (a blank template, a
file with a misspelt key) is a row of its own, never merged. One bad file never stops the
register.

Flags (codes in :mod:`aijri_xl.method.findings`):

- ``AIJ-R501`` the same role, scored by different assessors, has final scores more than
  :data:`ASSESSOR_SPREAD` points apart. A role is its role id, or the slug of its title
  where it has no id. An assessment without an assessor counts as a different assessor
  from every other: nothing shows that it was the same person, and a spread hidden behind
  a missing name is one to look at. The same named assessor scoring a role twice is a
  re-assessment, not a disagreement, and is not flagged. Assessments that do not verify
  are left out: their figures are not the method's.
- ``AIJ-R502`` an assessment quotes a calibration peer at a score that none of the peer's
  assessments in the register has (one decimal); a peer the register does not hold is
  not flagged. A peer is matched by role id or title (case-insensitive, as slugs).
- ``AIJ-R503`` a file does not verify: the assessment's only files (it does not verify),
  or some of its files while another holding the same assessment does.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from aijri_xl.analytics.agreement import Agreement, agreement
from aijri_xl.method.codec import assessment_from_data
from aijri_xl.method.excel_math import excel_round
from aijri_xl.method.findings import Finding
from aijri_xl.registry import external as ext
from aijri_xl.registry.calibration import Calibration, PeerIndex, stale_peers
from aijri_xl.registry.compact import sensitivity_of
from aijri_xl.registry.model import (
    ASSESSOR_SPREAD,
    Flag,
    Register,
    RegisterRow,
    RoleAgreement,
    _assessor_name,
    _files,
    _who,
)
from aijri_xl.registry.store import Spool, Spooled
from aijri_xl.sources import SUFFIXES
from aijri_xl.verify.audit import FileReport, collect, failed_report
from aijri_xl.verify.runner import ordered_map


def collect_sources(paths: Iterable[str | Path]) -> tuple[list[Path], list[FileReport]]:
    """The files a register reads: files as named, folders searched recursively for every
    assessment file type, globs expanded; a path that matches nothing is a failed report."""
    return collect(paths, suffixes=SUFFIXES)


def build_register(paths: Iterable[str | Path] | str | Path, jobs: int | None = None, *,
                   exclude: Iterable[str | Path] = (),
                   progress: Callable[[int, int], None] | None = None,
                   made_at: str | None = None,
                   cache: Any = None, scheduler: str | None = None) -> Register:
    """Read and verify every assessment under ``paths`` with ``jobs`` processes (default:
    every core), or on the Dask cluster at ``scheduler``, and build the register.
    Registers and audit reports aijri wrote are not read as assessments (named as
    skipped); ``exclude`` names more files to leave out. Paths may be fsspec URLs;
    ``cache`` (a :class:`aijri_xl.verify.cache.Cache`) reuses the readings of unchanged
    files. Each file's reading is cut to what the register uses where it is made
    (:func:`.compact.compact`), so memory grows by a small row per assessment."""
    from aijri_xl.registry.compact import compact
    from aijri_xl.verify.names import safe_text
    from aijri_xl.verify.runner import collect_names, is_url, stream
    from aijri_xl.verify.walk import named_outputs, not_a_report

    if isinstance(paths, str | Path):
        paths = [paths]
    paths = list(paths)
    asked = {str(Path(p).resolve()) for p in paths if not is_url(str(p)) and
             Path(p).is_file()}
    skipped: list[tuple[str, str]] = []
    files, problems = collect_names(paths, SUFFIXES, skipped=skipped)
    skip = {Path(p).resolve() for p in exclude}
    named = named_outputs(paths, files)
    outputs = {file for file, _, _ in named}
    files = [f for f in files if is_url(f) or
             (Path(f).resolve() not in skip and f not in outputs)]

    def kept() -> Iterator[FileReport]:
        for r in stream(files, jobs, keep_data=True, cache=cache, scheduler=scheduler,
                        transform=compact, progress=progress):
            if not_a_report(r) and r.identity is None and (
                    is_url(r.file) or str(Path(r.file).resolve()) not in asked):
                skipped.append((safe_text(r.file),
                                "a text file that is not a published assessment"))
            else:
                yield r

    reg = assemble(itertools.chain(problems, (failed_report(*n) for n in named), kept()),
                   jobs=jobs)
    reg.skipped = skipped
    reg.made_at = made_at
    reg.paths = tuple(map(str, paths))
    return reg


def register(paths: Iterable[str | Path] | str | Path, jobs: int | None = None) -> Any:
    """The register of every assessment under ``paths`` as a pandas DataFrame, one row per
    assessment (see :func:`build_register`; columns :data:`COLUMN_NAMES`, percent units)."""
    return build_register(paths, jobs).frame()


def assemble(reports: Iterable[FileReport], jobs: int | None = 1) -> Register:
    """The register of verified files (reports made with ``keep_data=True``): identical
    assessments merged, flags raised, the calibration view placed. ``reports`` may be a
    stream: each is cut to a small row as it comes, its result and data spooled to disk
    (:mod:`.store`); the agreement of roles scored by several assessors is found on
    ``jobs`` processes (default: every core)."""
    spool = Spool()
    rows: list[RegisterRow] = []
    by_data: dict[bytes, RegisterRow] = {}
    file_verdicts: list[str] = []
    for r in reports:
        file_verdicts.append(_intern(r.verdict))
        findings = tuple({**f, "file": r.file} for f in r.findings)
        key = _merge_key(r) if r.data is not None and r.result is not None else None
        same = by_data.get(key) if key is not None else None
        if same is not None:
            same.files += (r.file,)
            same.kinds += (_intern(r.kind),)
            same.verdicts += (_intern(r.verdict),)
            result, data, before = spool.get(same.at)
            same.at = spool.put((result, data, before + findings))
            continue
        row = _row(r, findings, spool)
        rows.append(row)
        if key is not None:
            by_data[key] = row
    del by_data
    index = PeerIndex(rows)
    correlations, far = _external(rows)
    flags = (_assessor_spread(rows) + stale_peers(rows, index) + _not_verified(rows) + far)
    for flag in flags:
        for i in flag.rows:
            codes = (*rows[i].flags, flag.code)
            rows[i].flags = _TUPLES.setdefault(codes, codes)
    return Register(rows, flags, Calibration(rows, index), len(file_verdicts),
                    file_verdicts=file_verdicts, agreement=_agreements(rows, spool, jobs),
                    correlations=correlations)


_TUPLES: dict[tuple[str, ...], tuple[str, ...]] = {}


def _intern(text: str) -> str:
    return sys.intern(text)


def _shared(value: Any) -> Any:
    """Short texts (roles, assessors, dates, zones) one object each across the rows."""
    return sys.intern(value) if isinstance(value, str) and len(value) <= 80 else value


def _merge_key(r: FileReport) -> bytes:
    """Equal for two reports of the same scorable assessment: the digest the worker made
    (:func:`.compact.identity`), else one of the data as canonical JSON."""
    if r.identity is not None:
        try:
            return b"i" + bytes.fromhex(r.identity) if len(r.identity) == 64 else \
                b"s" + r.identity.encode("utf-8")
        except ValueError:
            return b"s" + r.identity.encode("utf-8")
    text = json.dumps(r.data, sort_keys=True, default=str)
    return b"t" + hashlib.sha256(text.encode("utf-8")).digest()


def _row(r: FileReport, findings: tuple[dict[str, Any], ...], spool: Spool) -> RegisterRow:
    """The register's row of a report's file: what the register computes with at hand,
    its result and data in ``spool``."""
    data = r.data or {}
    role = data.get("role", {})
    result = r.result
    summary = None
    if result:
        summary = (result["final_score"], _shared(result.get("zone")),
                   _shared(result.get("sub_label")))
    assessable, margin, change = r.sensitivity if r.sensitivity is not None else \
        sensitivity_of(r.data, r.result)
    kinds = (_intern(r.kind),)
    verdicts = (_intern(r.verdict),)
    return RegisterRow(
        files=(r.file,), kinds=_TUPLES.setdefault(kinds, kinds),
        verdicts=_TUPLES.setdefault(verdicts, verdicts),
        role=_shared(role.get("title", r.role)), role_id=_shared(role.get("id")),
        assessor=_shared(data.get("assessor", r.assessor)),
        assessment_date=_shared(data.get("assessment_date")), summary=summary,
        calibration=tuple((_shared(str(p["role"])), float(p["score"]))
                          for p in data.get("calibration", [])),
        zone_margin=margin, nearest_zone_change=_shared(change),
        occupation_code=_shared(role.get("occupation_code") or None),
        assessable=assessable, spool=spool, at=spool.put((result, r.data, findings)))


AGREEMENT_MAX_STATES = 4_096
"""The register's bound on the aggregate states of one pair's exact split where the cap of
the scale binds (:func:`aijri_xl.analytics.attribution.shapley_by_aggregates`; ``aijri
diff`` allows 400,000): a role scored by twelve assessors is 66 pairs, and a register of
many roles may hold thousands, so a pair beyond it is named in the role's notes, not
summed for seconds."""

AGREEMENT_PARALLEL = 8
"""Roles with several assessors from which the register finds their agreement on ``jobs``
processes rather than in this one."""


def _agreements(rows: list[RegisterRow], spool: Spool, jobs: int | None
                ) -> Sequence[RoleAgreement]:
    """Per role (as ``AIJ-R501`` groups them) with scored assessments by two or more
    different assessors: their agreement, kept in ``spool``. A named assessor's
    re-assessment of a role counts once (the latest by date)."""
    groups: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        if r.role_key and r.assessable:
            groups.setdefault(r.role_key, []).append(i)
    out = Spooled(spool)
    chosen_of = [c for c in map(lambda m: _chosen(rows, m), groups.values()) if len(c) >= 2]
    tasks = ((tuple(rows[i].data for i in chosen), tuple(_who(rows[i]) for i in chosen))
             for chosen in chosen_of)
    workers = max(1, jobs or os.cpu_count() or 1)
    results = map(_agreement_of, tasks) if workers == 1 or len(chosen_of) < \
        AGREEMENT_PARALLEL else ordered_map(_agreement_of, tasks, workers)
    for chosen, result in zip(chosen_of, results, strict=True):
        out.append(RoleAgreement(rows[chosen[0]].label, tuple(chosen),
                                 tuple(rows[i].file for i in chosen), result))
    return out


def _chosen(rows: list[RegisterRow], members: list[int]) -> list[int]:
    """The rows of one role whose agreement is found: each named assessor's latest (by
    date), and every unnamed one."""
    latest: dict[str, int] = {}
    unnamed = []
    for i in members:
        who = _assessor_name(rows[i].assessor)
        if not who:
            unnamed.append(i)
        elif who not in latest or (rows[i].assessment_date or "") >= (
                rows[latest[who]].assessment_date or ""):
            latest[who] = i
    return sorted([*latest.values(), *unnamed])


def _agreement_of(task: tuple[tuple[dict[str, Any] | None, ...], tuple[str, ...]]
                  ) -> Agreement:
    """The agreement of one role's assessments (their data) under their assessors' names:
    the work of one task, in this process or a worker."""
    data, names = task
    assessments = []
    for d in data:
        a, _ = assessment_from_data(d or {})
        assessments.append(a)
    return agreement(assessments, names, max_states=AGREEMENT_MAX_STATES)


EXTERNAL_FIGURES = (("gpt4_beta", "GPT-4 beta"), ("human_beta", "human beta"),
                    ("ai_applicability", "AI applicability"))
"""The published figures final scores are set against: (field, label)."""


def _external(rows: list[RegisterRow]) -> tuple[dict[str, dict[str, Any]], list[Flag]]:
    """Each row's published figures, the rank correlations and the ``AIJ-R504`` flags."""
    refs: dict[str, ext.ExternalReference | None] = {}
    for r in rows:
        if r.occupation_code:  # the others keep the shared blank fields
            if r.occupation_code not in refs:
                refs[r.occupation_code] = ext.external_reference(r.occupation_code)
            r.external = ext.as_dict(refs[r.occupation_code], None)
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
        r.external = {**r.external, "peer_median": round(p.peer_median, 4),
                      "residual": round(p.residual, 4)}
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
        if r.final_score is not None and r.role_key and r.verdict != "FAIL":
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


def _not_verified(rows: list[RegisterRow]) -> list[Flag]:
    """``AIJ-R503``: an assessment with files that do not verify."""
    flags = []
    for i, r in enumerate(rows):
        failing = r.failing_files
        if not failing:
            continue
        errors = [f for f in r.findings if f["severity"] == "error" and f["file"] in failing]
        first = errors[0]["message"] if errors else "see the verifier's findings"
        more = f" (and {len(errors) - 1} more error{'s' if len(errors) > 2 else ''})" \
            if len(errors) > 1 else ""
        subject = f"{r.role}: " if r.role else ""
        verifies = [f for f in r.files if f not in failing]
        also = f"; the same assessment verifies in {', '.join(verifies)}" if verifies else ""
        message = f"{subject}{', '.join(failing)} does not verify: {first}{more}{also}"
        finding = Finding("AIJ-R503", message, where=failing[0], field=None,
                          actual=[f["code"] for f in errors])
        flags.append(Flag(finding, r.role, failing, (i,)))
    return flags


# ---------------------------------------------------------------------------------------
# Text


def summary_text(reg: Register) -> str:
    """A short plain-text summary: rows, categories, verdicts, files, flags, skipped."""
    from aijri_xl.verify.walk import skipped_text

    counts = reg.counts()
    cat = counts["category"]
    lines = [f"{len(reg.rows)} assessment(s) from {reg.files_read} file(s): "
             + ", ".join(f"{cat[z]} {z}" for z in ("GREEN", "YELLOW", "RED"))
             + f", {cat['Does not verify']} do not verify, {cat['unscored']} cannot be scored"]
    lines.append("verdicts: " + ", ".join(f"{n} {v}" for v, n in counts["verdict"].items())
                 + " (assessments); files: "
                 + ", ".join(f"{n} {v}" for v, n in counts["file_verdict"].items()))
    lines.append("flags: " + (", ".join(f"{n} {c}" for c, n in counts["flags"].items() if n)
                              or "none"))
    lines += skipped_text(reg.skipped, 20)
    return "\n".join(lines)
