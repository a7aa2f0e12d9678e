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

import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from aijri_xl.analytics.agreement import agreement
from aijri_xl.analytics.sensitivity import sensitivity
from aijri_xl.house.reader import slug
from aijri_xl.method.codec import assessment_from_data
from aijri_xl.method.engine import AssessmentError
from aijri_xl.method.excel_math import excel_round
from aijri_xl.method.findings import Finding
from aijri_xl.method.model import Assessment
from aijri_xl.registry import external as ext
from aijri_xl.registry.model import (
    ASSESSOR_SPREAD,
    CalibrationEntry,
    Flag,
    PeerCheck,
    Register,
    RegisterRow,
    RoleAgreement,
    _assessor_name,
    _one_decimal,
)
from aijri_xl.sources import SUFFIXES
from aijri_xl.verify.audit import FileReport, collect, failed_report


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
    from aijri_xl.registry.compact import compact, share
    from aijri_xl.verify.names import safe_text
    from aijri_xl.verify.runner import collect_names, is_url, stream
    from aijri_xl.verify.walk import named_output, not_a_report

    if isinstance(paths, str | Path):
        paths = [paths]
    paths = list(paths)
    asked = {str(Path(p).resolve()) for p in paths if not is_url(str(p)) and
             Path(p).is_file()}
    skipped: list[tuple[str, str]] = []
    files, problems = collect_names(paths, SUFFIXES, skipped=skipped)
    skip = {Path(p).resolve() for p in exclude}
    named = [n for n in (named_output(f) for f in files if not is_url(f)) if n is not None]
    outputs = {file for file, _, _ in named}
    files = [f for f in files if is_url(f) or
             (Path(f).resolve() not in skip and f not in outputs)]
    kept: list[FileReport] = []
    for r in stream(files, jobs, keep_data=True, cache=cache, scheduler=scheduler,
                    transform=compact, progress=progress):
        if not_a_report(r) and r.identity is None and (
                is_url(r.file) or str(Path(r.file).resolve()) not in asked):
            skipped.append((safe_text(r.file), "a text file that is not a published assessment"))
        else:
            kept.append(share(r))
    reg = assemble(problems + [failed_report(*n) for n in named] + kept)
    reg.skipped = skipped
    reg.made_at = made_at
    reg.paths = tuple(map(str, paths))
    return reg


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
        scorable = r.data is not None and r.result is not None
        key = (r.identity if r.identity is not None else
               json.dumps(r.data, sort_keys=True, default=str)) if scorable else None
        same = by_data.get(key) if key is not None else None
        if same is not None:
            same.files += (r.file,)
            same.kinds += (r.kind,)
            same.verdicts += (r.verdict,)
            same.findings += findings
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
    flags = (_assessor_spread(rows) + _stale_peers(rows, checks, by_slug)
             + _not_verified(rows) + far)
    for flag in flags:
        for i in flag.rows:
            rows[i].flags.append(flag.code)
    _sensitivities(rows)
    return Register(rows, flags, _calibration(rows, checks), len(reports),
                    file_verdicts=[r.verdict for r in reports], agreement=_agreements(rows),
                    correlations=correlations)


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
        if r.verdict == "FAIL":
            label += " (does not verify)"
        entries.append(CalibrationEntry(
            row=i, role=r.label, assessor=r.assessor, final_score=r.final_score,  # type: ignore[arg-type]
            zone=r.result["zone"],  # type: ignore[index]
            below=neighbour(below[pos]), above=neighbour(above[pos]),
            peers=tuple(c for c, _ in checks[i]), label=label))
    return entries


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
