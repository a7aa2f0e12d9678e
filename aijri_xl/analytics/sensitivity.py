"""How fragile a result is: the distance to each zone boundary, the smallest single-input
changes that change the zone or the sub-label, and the inputs the score moves most with.

Every figure here comes from re-scoring the assessment with one input changed, by the
reference engine's calculation (``score_from_scores``, on the numbers ``score`` passes
it); nothing is extrapolated. The tests re-score each claim again through ``score`` on a
changed copy (:func:`with_input`). The single-input changes considered are the
scored inputs the method lets an assessor move by whole steps: a task score (1–5), an
evidence score (−2…+2), a barrier score (0–2), the growth correlation (−2…+2, its check
moved with it) and a protective score (0–3, which only the quick screen reads). A time
share alone cannot move without breaking the 100% total, so it is not stepped. For each
input and direction the smallest number of steps that changes the zone or the sub-label
is found (within the input's range); the claims are sorted by steps, then by how far the
score moves.

With an override the final score is the override: no input moves it, and the zone stays;
the formula score still moves, and the sub-label can (the share of task time at 3+ or
4+, or growth +2 in GREEN). The claims then carry the formula score too.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from aijri_xl._record import dataclass, field
from aijri_xl.analytics.diff import BLOCK_TITLES
from aijri_xl.method import fields
from aijri_xl.method.engine import Result, score, score_from_scores
from aijri_xl.method.model import Assessment
from aijri_xl.method.parameters import GREEN, PARAMS, RED, YELLOW

BOUNDARIES: tuple[tuple[str, str, str], ...] = (
    # (parameter, zone from it, zone below it)
    ("GREEN_MIN", GREEN, YELLOW),
    ("YELLOW_MIN", YELLOW, RED),
)
TOP_INPUTS = 10
"""How many inputs the 'most sensitive' list keeps."""


@dataclass(frozen=True, slots=True)
class Boundary:
    """The final score against one zone boundary: ``points`` above it (negative: below)."""

    parameter: str
    threshold: float
    points: float
    above: str
    below: str

    def sentence(self) -> str:
        side = "above" if self.points >= 0 else "below"
        return (f"{_num(abs(self.points))} points {side} the {self.above} threshold "
                f"({_num(self.threshold)})")

    def to_dict(self) -> dict[str, Any]:
        return {"parameter": self.parameter, "threshold": self.threshold,
                "points": self.points, "zone_from": self.above, "zone_below": self.below}


@dataclass(frozen=True, slots=True)
class Step:
    """One input moved by ``steps`` (signed) and what the engine gives for it."""

    field: str
    label: str
    old: int
    new: int
    steps: int
    score: float
    final_score: float
    zone: str
    sub_label: str
    delta: float
    """Change of the final score (the formula score's when an override holds it)."""

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "label": self.label, "old": self.old, "new": self.new,
                "steps": self.steps, "score": self.score, "final_score": self.final_score,
                "zone": self.zone, "sub_label": self.sub_label, "delta": self.delta}


@dataclass(slots=True)
class Sensitivity:
    result: Result
    boundaries: list[Boundary]
    margins: list[dict[str, Any]]
    zone_changes: list[Step]
    sub_label_changes: list[Step]
    most_sensitive: list[tuple[Step, Step | None]]
    overridden: bool
    notes: list[str] = field(default_factory=list)

    @property
    def nearest_boundary(self) -> Boundary:
        return min(self.boundaries, key=lambda b: abs(b.points))

    def to_dict(self) -> dict[str, Any]:
        return {
            "final_score": self.result.final_score, "zone": self.result.zone,
            "sub_label": self.result.sub_label, "overridden": self.overridden,
            "boundaries": [b.to_dict() for b in self.boundaries],
            "sub_label_margins": self.margins,
            "zone_changes": [s.to_dict() for s in self.zone_changes],
            "sub_label_changes": [s.to_dict() for s in self.sub_label_changes],
            "most_sensitive": [_per_step(down, up) for down, up in self.most_sensitive],
            "notes": list(self.notes),
        }


def _per_step(down: Step | None, up: Step | None) -> dict[str, Any]:
    either = up or down
    assert either is not None
    return {"field": either.field, "label": either.label,
            "per_step_up": up.delta if up else None,
            "per_step_down": down.delta if down else None}


def _num(x: float) -> str:
    return f"{Decimal(repr(float(x))).normalize():f}"


def _signed(x: float, decimals: int | None = None) -> str:
    text = _num(x) if decimals is None else f"{Decimal(repr(float(x))):.{decimals}f}"
    return ("+" if x > 0 else "") + text


def _points(a: float, b: float) -> float:
    """``a − b`` as the decimals they are (52.8 − 48 is 4.8, not 4.799999999999997)."""
    return float(Decimal(repr(float(a))) - Decimal(repr(float(b))))


@dataclass(frozen=True, slots=True)
class _Input:
    field: str
    label: str
    value: int
    bounds: tuple[int, int]


def scored_inputs(a: Assessment) -> Iterator[_Input]:
    """The inputs that move by whole steps, in the order of the file format (labels and
    ranges from :mod:`aijri_xl.method.fields`)."""
    blocks = {b.key: b for b in fields.BLOCKS}

    def block(key: str) -> Iterator[_Input]:
        b = blocks[key]
        for d in b.dimensions:
            value = getattr(a, key)[d.key].score
            if value is not None:
                yield _Input(f"{key}.{d.key}.score", f"{BLOCK_TITLES[key]}: {d.label}", value,
                             b.bounds)

    yield from block("protective")
    growth = fields.GROWTH[0]
    if a.growth.correlation is not None and growth.bounds is not None:
        low, high = growth.bounds
        yield _Input(growth.path, growth.label, a.growth.correlation, (int(low), int(high)))
    score_label = next(c.label for c in fields.TASKS if c.key == "score")
    for i, t in enumerate(a.tasks):
        if t.score is not None:
            yield _Input(f"tasks[{i}].score", f'Task "{t.name}": {score_label}', t.score,
                         fields.TASK_SCORE_BOUNDS)
    yield from block("evidence")
    yield from block("barriers")


def with_input(a: Assessment, field_path: str, value: int) -> Assessment:
    """A copy of ``a`` with one scored input set to ``value`` (the growth check follows
    the correlation, as an assessor changing it would change both)."""
    b = copy.deepcopy(a)
    if field_path.startswith("tasks["):
        index = int(field_path[len("tasks["):field_path.index("]")])
        b.tasks[index].score = value
    elif field_path == "growth.correlation":
        b.growth.correlation = value
        if b.growth.check is not None:
            b.growth.check = value
    else:
        block, dim, _ = field_path.split(".")
        getattr(b, block)[dim].score = value
    return b


class _Numbers:
    """The engine's inputs as bare numbers (what :func:`score` passes to
    ``score_from_scores``), so that a step re-scores without copying the assessment."""

    def __init__(self, a: Assessment):
        self.kwargs: dict[str, Any] = {
            "times": [float(t.time) for t in a.tasks if t.time is not None],
            "scores": [t.score for t in a.tasks if t.score is not None],
            "classes": [t.task_class for t in a.tasks],
            "protective": [x.score for x in a.protective.values() if x.score is not None],
            "growth": a.growth.correlation if a.growth.correlation is not None else 0,
            "evidence": [x.score for x in a.evidence.values() if x.score is not None],
            "barriers": [x.score for x in a.barriers.values() if x.score is not None],
            "override": a.override.score,
        }
        self.where: dict[str, tuple[str, int | None]] = {"growth.correlation": ("growth", None)}
        scored = 0
        for i, t in enumerate(a.tasks):
            if t.score is not None:
                self.where[f"tasks[{i}].score"] = ("scores", scored)
                scored += 1
        for block in ("protective", "evidence", "barriers"):
            for k, dim in enumerate(getattr(a, block)):
                self.where[f"{block}.{dim}.score"] = (block, k)

    def score(self, field_path: str, value: int) -> Result:
        name, index = self.where[field_path]
        kwargs = dict(self.kwargs)
        if index is None:
            kwargs[name] = value
        else:
            changed = list(kwargs[name])
            changed[index] = value
            kwargs[name] = changed
        return score_from_scores(**kwargs)


def _step(numbers: _Numbers, base: Result, item: _Input, new: int) -> Step:
    r = numbers.score(item.field, new)
    basis_old = base.score if base.override is not None else base.final_score
    basis_new = r.score if r.override is not None else r.final_score
    return Step(item.field, item.label, item.value, new, new - item.value, r.score,
                r.final_score, r.zone, r.sub_label, _points(basis_new, basis_old))


def _margins(r: Result) -> list[dict[str, Any]]:
    """The sub-label rule in force and how far its share of task time is from the
    threshold (percentage points)."""
    rows: list[tuple[str, str, str]] = []
    if r.zone == GREEN:
        rows.append(("pct_time_score_3plus", "TRANSFORMING_MIN_PCT", "Transforming"))
    elif r.zone == YELLOW:
        rows.append(("pct_time_score_4plus", "URGENT_MIN_PCT", "Urgent"))
    else:
        rows.append(("pct_time_score_4plus", "IMMINENT_MIN_PCT", "Imminent"))
    out = []
    for name, parameter, label in rows:
        value = getattr(r, name)
        out.append({"field": name, "value": value, "parameter": parameter,
                    "threshold": PARAMS[parameter], "label": label,
                    "points": _points(value, PARAMS[parameter])})
    if r.zone == GREEN:
        out.append({"field": "growth_correlation", "value": r.growth_correlation,
                    "parameter": None, "threshold": 2, "label": "Accelerated",
                    "points": r.growth_correlation - 2})
    return out


def sensitivity(a: Assessment, *, top: int = TOP_INPUTS) -> Sensitivity:
    """The sensitivity of a scorable assessment (raises ``AssessmentError`` otherwise)."""
    base = score(a)
    numbers = _Numbers(a)
    boundaries = [Boundary(p, PARAMS[p], _points(base.final_score, PARAMS[p]), above, below)
                  for p, above, below in BOUNDARIES]
    zone_changes: list[Step] = []
    label_changes: list[Step] = []
    per_step: list[tuple[Step, Step | None]] = []
    for item in scored_inputs(a):
        low, high = item.bounds
        ones: dict[int, Step] = {}
        for direction in (-1, 1):
            found_zone = found_label = False
            for k in range(1, high - low + 1):
                new = item.value + direction * k
                if not low <= new <= high:
                    break
                s = _step(numbers, base, item, new)
                if k == 1:
                    ones[direction] = s
                if not found_zone and s.zone != base.zone:
                    zone_changes.append(s)
                    found_zone = True
                if not found_label and s.sub_label != base.sub_label and s.zone == base.zone:
                    label_changes.append(s)
                    found_label = True
                if found_zone and found_label:
                    break
        if ones:
            per_step.append((ones.get(-1), ones.get(1)))  # type: ignore[arg-type]

    def order(s: Step) -> tuple[int, float, str]:
        return (abs(s.steps), -abs(s.delta), s.field)

    zone_changes.sort(key=order)
    label_changes.sort(key=order)

    def reach(pair: tuple[Step | None, Step | None]) -> tuple[float, str]:
        deltas = [abs(s.delta) for s in pair if s is not None]
        return (-max(deltas), next(s.field for s in pair if s is not None))

    per_step = sorted(per_step, key=reach)[:top]
    notes = []
    if base.override is not None:
        notes.append(f"The override ({_num(base.override)}) is the final score: no input "
                     "moves it, so the zone stays; per-step figures are the formula "
                     "score's.")
    return Sensitivity(base, boundaries, _margins(base), zone_changes, label_changes,
                       per_step, base.override is not None, notes)


def margin_sentences(s: Sensitivity) -> list[str]:
    """The share of task time against the threshold of the sub-label rule in force:
    ``30% of task time scores 3+: 10 points above the Transforming threshold (20%)``."""
    out = []
    for m in s.margins:
        if m["parameter"]:
            side = "above" if m["points"] >= 0 else "below"
            plus = "3+" if m["field"] == "pct_time_score_3plus" else "4+"
            out.append(f"{_num(m['value'])}% of task time scores {plus}: "
                       f"{_num(abs(m['points']))} points {side} the {m['label']} threshold "
                       f"({_num(m['threshold'])}%)")
    return out


def with_sensitivity(report: dict[str, Any], data: dict[str, Any] | None) -> dict[str, Any]:
    """A verified file's JSON (``verify --json``) with its ``sensitivity`` when it was
    scored; ``data`` is its assessment as the codec's plain data."""
    if report.get("result") is None or data is None:
        return report
    from aijri_xl.method.codec import assessment_from_data

    a, _ = assessment_from_data(data)
    return {**report, "sensitivity": sensitivity(a).to_dict()}


def render_text(s: Sensitivity, limit: int = 5) -> str:
    """The sensitivity as lines of text (the CLI's ``score --sensitivity``)."""
    r = s.result
    lines = [f"Final score {_num(r.final_score)}, {r.sub_label}"]
    lines += [f"  {b.sentence()}" for b in s.boundaries]
    lines += [f"  {sentence}" for sentence in margin_sentences(s)]
    lines += [f"  {n}" for n in s.notes]

    def shown(title: str, steps: list[Step]) -> None:
        lines.append(title)
        if not steps:
            lines.append("  none within the inputs' ranges")
        for st in steps[:limit]:
            lines.append(f"  {st.label} {st.old} -> {st.new} ({_signed(st.steps)}): "
                         f"{_num(st.final_score)}, {st.sub_label}")
        if len(steps) > limit:
            lines.append(f"  … {len(steps) - limit} more (--json lists all)")

    shown("Smallest single-input changes that change the zone:", s.zone_changes)
    shown("Smallest single-input changes that change the sub-label:", s.sub_label_changes)
    lines.append("Score change per step (most sensitive first):")
    for down, up in s.most_sensitive[:limit]:
        item = up or down
        assert item is not None
        parts = [f"{label} {_signed(st.delta, 1)}" for label, st in (("-1:", down), ("+1:", up))
                 if st is not None]
        lines.append(f"  {item.label}: " + ", ".join(parts))
    return "\n".join(lines) + "\n"
