"""Random valid assessments, for tests, benchmarks and demonstration portfolios.

Seeded and deterministic: the same seed gives the same assessments on every machine.
"""

from __future__ import annotations

import copy
import datetime as _dt
import random
from pathlib import Path

from aijri_xl.method.excel_math import percent_to_fraction
from aijri_xl.method.model import (
    Assessment,
    CalibrationPeer,
    Growth,
    Override,
    RoleDefinition,
    Scored,
    Task,
)
from aijri_xl.method.parameters import (
    BARRIERS,
    EVIDENCE,
    PROTECTIVE,
    TASK_CLASSES,
    default_task_class,
)


def random_assessment(rng: random.Random, title: str | None = None) -> Assessment:
    """A valid assessment: 1-30 tasks whose shares (0-2 decimals) sum to exactly 100%,
    any scores, sometimes a class off the default mapping, sometimes an override."""
    n = rng.randint(1, 30)
    grain = rng.choice((1, 10, 100))  # basis points per step: shares with 2, 1 or 0 decimals
    slots = 10_000 // grain
    n = min(n, slots)
    cuts = sorted(rng.sample(range(1, slots), n - 1))
    shares = [(b - a) * grain for a, b in zip([0, *cuts], [*cuts, slots], strict=True)]
    tasks = []
    for i, basis_points in enumerate(shares):
        task_score = rng.randint(1, 5)
        task_class = default_task_class(task_score) if rng.random() < 0.85 else \
            rng.choice(TASK_CLASSES)
        share = percent_to_fraction(f"{basis_points / 100:.2f}")
        tasks.append(Task(name=f"Task {i + 1}", time=share, score=task_score,
                          task_class=task_class))
    override = None
    if rng.random() < 0.2:
        override = Override(round(rng.uniform(0, 100), 1), "Assessor judgement (sample)")
    growth = rng.randint(-2, 2)
    return Assessment(
        role=RoleDefinition(title=title or f"Sample role {rng.randint(1, 10**6)}"),
        protective={d.key: Scored(rng.randint(0, 3)) for d in PROTECTIVE},
        growth=Growth(growth),
        tasks=tasks,
        evidence={d.key: Scored(rng.randint(-2, 2)) for d in EVIDENCE},
        barriers={d.key: Scored(rng.randint(0, 2)) for d in BARRIERS},
        override=override or Override(),
    )


def random_assessments(count: int, seed: int = 20261121) -> list[Assessment]:
    rng = random.Random(seed)
    return [random_assessment(rng) for _ in range(count)]


# ---------------------------------------------------------------------------------------
# A demonstration portfolio: catalogue roles scored by a team of assessors

PORTFOLIO_SEED = 20260214
ASSESSORS = ("A. Okafor", "M. Lindqvist", "R. Tanaka", "S. Haddad", "J. Moreau", "P. Novak")

# (level, title prefix, id suffix, seniority, weights of task scores 1..5, of evidence
# scores -2..2, growth range). Juniors do the more automatable part of a role.
_LEVELS: tuple[tuple[str, str, str, str, tuple[int, ...], tuple[int, ...], tuple[int, int]],
               ...] = (
    ("Junior", "Junior ", "-junior", "Junior (0-3 years experience)", (1, 2, 3, 3, 2),
     (1, 3, 3, 2, 1), (-1, 1)),
    ("Mid-Senior", "", "", "", (2, 3, 3, 2, 1), (0, 2, 3, 3, 1), (-1, 2)),
    ("Principal", "Principal ", "-principal", "Principal / staff (10+ years experience)",
     (3, 4, 2, 1, 0), (0, 1, 3, 3, 2), (0, 2)),
)
WORKED_EXAMPLE_PEER = ("HPC Developer", 52.8)
"""The worked example (``workbooks/hpc-developer.yaml``), a published score the portfolio's
assessments may quote as a calibration peer."""
ANCHORS = (("compiler-engineer", 51.6), ("database-engineer", 55.2))
"""The peers the worked example quotes, scored in the portfolio at the scores it quotes.
No other role of the portfolio scores between them, so a register of the portfolio and
the worked example places the HPC Developer between exactly these two, as the source does."""

_TASK_TEXT = {1: "Judgement and presence; AI is not involved.",
              2: "AI drafts parts; the engineer decides and checks.",
              3: "AI does much of the routine part under review.",
              4: "Agents complete most instances end to end.",
              5: "Current agents do this without a person."}
_PROTECTIVE_TEXT = ("No protection from this principle.", "Some protection.",
                    "Substantial protection.", "Strong protection.")
_EVIDENCE_TEXT = {-2: "clear decline over the last 12 months", -1: "some decline",
                  0: "flat", 1: "some growth", 2: "strong growth over the last 12 months"}
_BARRIER_TEXT = ("No barrier.", "A partial barrier.", "A strong barrier.")
_JUSTIFICATIONS = (
    "Clients in regulated sectors keep a human sign-off that the task scores understate.",
    "The team moves to agent-run pipelines next quarter; the formula lags the plan.",
    "Hiring data for this niche is thin; scored on the assessor's panel interviews.",
    "Work is tied to on-site hardware bring-up that the task list underweights.",
)


def _draw(rng: random.Random, weights: tuple[int, ...], low: int) -> int:
    return rng.choices(range(low, low + len(weights)), weights=weights)[0]


def _score_portfolio_role(a: Assessment, rng: random.Random, level: int) -> None:
    """Score a catalogue draft as an assessor of this seniority level would."""
    _, _, _, _, task_weights, evidence_weights, growth = _LEVELS[level]
    for t in a.tasks:
        t.score = _draw(rng, task_weights, 1)
        t.task_class = default_task_class(t.score)
        t.rationale = _TASK_TEXT[t.score]
    for key, item in a.protective.items():
        item.score = rng.choice((0, 0, 1, 1, 2, 3)) if key != "goal_setting_moral_judgment" \
            else rng.randint(1, 3)
        item.rationale = _PROTECTIVE_TEXT[item.score]
    for d in EVIDENCE:
        item = a.evidence[d.key]
        item.score = _draw(rng, evidence_weights, -2)
        item.rationale = f"{d.label}: {_EVIDENCE_TEXT[item.score]}."
    for item in a.barriers.values():
        item.score = rng.choice((0, 0, 0, 1, 1, 2))
        item.rationale = _BARRIER_TEXT[item.score]
    a.growth = Growth(rng.randint(*growth), "AI adoption raises or lowers demand for the "
                      "role's output, as scored.")


def _variant(role_id: str, level: int) -> Assessment:
    from aijri_xl.catalogue import draft_assessment

    a = draft_assessment(role_id)
    _, prefix, suffix, seniority, _, _, _ = _LEVELS[level]
    a.role.title = prefix + (a.role.title or "")
    a.role.id = role_id + suffix
    if seniority:
        a.role.seniority = seniority
    return a


def _outside_anchor_gap(final_score: float) -> bool:
    return final_score < ANCHORS[0][1] or final_score > ANCHORS[1][1]


def portfolio(count: int = 60, seed: int = PORTFOLIO_SEED) -> list[Assessment]:
    """A realistic portfolio of ``count`` valid assessments for demonstrations, tests and
    benchmarks: catalogue roles at three seniority levels (``compiler-engineer-junior``,
    ``compiler-engineer``, ``compiler-engineer-principal``), scored by six assessors on
    dates in 2025-2026; about a quarter are re-assessments of a role already in the
    portfolio by another assessor (some close to the first score, some far from it); a few
    carry an override with a justification; each quotes its nearest other roles by score as
    calibration peers, a few of them at a stale score.

    The first two are the :data:`ANCHORS`; the plain HPC Developer is left to the worked
    example. Deterministic: the same count and seed give the same assessments everywhere.
    """
    from aijri_xl.catalogue import draft_assessment, roles
    from aijri_xl.method.engine import score

    rng = random.Random(seed)
    taken = {("hpc-developer", 1)} | {(role_id, 1) for role_id, _ in ANCHORS}
    variants = [(r.id, level) for r in roles() for level in range(len(_LEVELS))
                if (r.id, level) not in taken]
    rng.shuffle(variants)
    start = _dt.date(2025, 9, 1)
    made: list[Assessment] = []
    finals: list[float] = []

    for role_id, target in ANCHORS[:count]:
        for _ in range(100_000):
            a = draft_assessment(role_id)
            _score_portfolio_role(a, rng, 1)
            if score(a).final_score == target:
                break
        else:  # pragma: no cover - the search succeeds within a few hundred tries
            raise AssertionError(f"no scoring of {role_id} gives {target}")
        a.assessor = rng.choice(ASSESSORS)
        a.assessment_date = (start + _dt.timedelta(days=rng.randint(0, 150))).isoformat()
        made.append(a)
        finals.append(target)

    originals = list(range(len(made)))  # assessments not yet assessed again
    while len(made) < count:
        reassess = variants == [] or (len(made) >= 5 and rng.random() < 0.25)
        if reassess:
            pool = originals or range(len(made))
            first = made[pool[rng.randrange(len(pool))]]
            if originals:
                originals.remove(made.index(first))
            a = _reassessment(first, rng)
        else:
            role_id, level = variants.pop()
            while True:
                a = _variant(role_id, level)
                _score_portfolio_role(a, rng, level)
                a.assessor = rng.choice(ASSESSORS)
                a.assessment_date = (start + _dt.timedelta(days=rng.randint(0, 150))
                                     ).isoformat()
                if rng.random() < 0.08:
                    _override(a, score(a).score, rng)
                if _outside_anchor_gap(score(a).final_score):
                    break
            originals.append(len(made))
        made.append(a)
        finals.append(score(a).final_score)
    _quote_peers(made, finals, rng)
    return made


def _reassessment(first: Assessment, rng: random.Random) -> Assessment:
    """The same role scored again later by another assessor: close to the first score
    (one or two task scores moved by one) or far from it (evidence and tasks re-scored)."""
    from aijri_xl.method.engine import score

    far = rng.random() < 0.5
    while True:
        a = copy.deepcopy(first)
        a.assessor = rng.choice([n for n in ASSESSORS if n != first.assessor])
        day = _dt.date.fromisoformat(first.assessment_date or "2025-09-01")
        a.assessment_date = (day + _dt.timedelta(days=rng.randint(14, 90))).isoformat()
        a.override = Override()
        moved = rng.sample(a.tasks, k=len(a.tasks) // 2 if far else min(2, len(a.tasks)))
        for t in moved:
            step = rng.choice((-1, 1)) * (rng.randint(1, 2) if far else 1)
            t.score = min(5, max(1, (t.score or 3) + step))
            t.task_class = default_task_class(t.score)
            t.rationale = _TASK_TEXT[t.score]
        if far:
            for d in EVIDENCE:
                item = a.evidence[d.key]
                item.score = rng.randint(-2, 2)
                item.rationale = f"{d.label}: {_EVIDENCE_TEXT[item.score]}."
        if _outside_anchor_gap(score(a).final_score):
            return a


def _override(a: Assessment, formula_score: float, rng: random.Random) -> None:
    size = rng.uniform(11, 14) if rng.random() < 0.25 else rng.uniform(1.5, 6)
    value = min(100.0, max(0.0, formula_score + rng.choice((-1, 1)) * size))
    a.override = Override(round(value, 1), rng.choice(_JUSTIFICATIONS))


def _quote_peers(made: list[Assessment], finals: list[float], rng: random.Random) -> None:
    """Each assessment quotes the nearest other role below and above its final score (the
    worked example counts as a published role); about one quote in twelve is stale."""
    known = [(a.role.title or "", a.role.id or "", f) for a, f in zip(made, finals,
                                                                      strict=True)]
    known.append((WORKED_EXAMPLE_PEER[0], "hpc-developer", WORKED_EXAMPLE_PEER[1]))
    scores_of: dict[str, set[float]] = {}
    for _, role_id, f in known:
        scores_of.setdefault(role_id, set()).add(f)
    for a, own in zip(made, finals, strict=True):
        others = sorted((f, title, role_id) for title, role_id, f in known
                        if role_id != a.role.id)
        below = [p for p in others if p[0] <= own]
        above = [p for p in others if p[0] > own]
        peers = ([below[-1]] if below else []) + ([above[0]] if above else [])
        a.calibration = []
        for f, title, role_id in peers:
            quoted = f
            if rng.random() < 1 / 12:
                while quoted in scores_of[role_id]:
                    quoted = round(min(100.0, max(0.0, f + rng.choice((-1, 1))
                                                  * rng.uniform(0.4, 3.0))), 1)
            a.calibration.append(CalibrationPeer(title, quoted))


def write_portfolio(folder: str | Path, count: int = 60, seed: int = PORTFOLIO_SEED,
                    formats: tuple[str, ...] = ("yaml", "json", "xlsx", "md")) -> list[Path]:
    """Write :func:`portfolio` to ``folder`` (created if needed), one file per assessment,
    the formats taken in turn: ``NNN-<role id>.yaml``, ``.json``, ``.xlsx`` (a workbook
    built by :func:`aijri_xl.workbook_writer.write_workbook`) or ``.md`` (the published
    report, :func:`aijri_xl.report.markdown`). Returns the paths."""
    from aijri_xl.house.builder import markdown
    from aijri_xl.sources.assessment_file import write_assessment
    from aijri_xl.workbook.writer import write_workbook

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for i, a in enumerate(portfolio(count, seed)):
        suffix = formats[i % len(formats)]
        path = folder / f"{i + 1:03d}-{a.role.id}.{suffix}"
        if suffix == "xlsx":
            write_workbook(a, path)
        elif suffix == "md":
            path.write_bytes(markdown(a).encode("utf-8"))
        else:
            write_assessment(a, path)
        written.append(path)
    return written
