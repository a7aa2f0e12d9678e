"""Why the score moved: the change in the final score split exactly among the changed
inputs.

The split is the **Shapley value** of a game whose players are the changed inputs that
enter the score: each task changed, inserted or deleted (its time and score together),
each evidence and barrier score, the growth correlation, and the override. The value of
a set of players is the score the old assessment gets with exactly those changes applied,
computed **exactly** (rational arithmetic, parameters as the decimals the method writes)
and **unrounded** (the capped ``S_c`` of AIJRI-METHOD.md §3.8, or the override where one
is in effect, §3.10). A player's part is its marginal effect averaged over every order in
which the changes could have been made, so the parts do not depend on an order and add
up to the exact unrounded change. The final figures are the engine's own (Excel's ROUND
to one decimal, §3.8); the difference between the displayed change and the exact
unrounded one is the **rounding residue**, shown as its own line. Parts plus residue equal
the displayed change exactly (as fractions). For display the parts are given to four
decimals by largest-remainder rounding, so the printed lines still add up to the printed
change.

Computing it without trying every subset uses the method's structure. The raw score is a
product of four factors, ``TRS × EM × BM × GM``, and each changed input moves exactly one
factor, additively (a task moves ``W`` by its change of ``t × s``; an evidence point moves
``EM`` by ``EVIDENCE_WEIGHT``, ...). For such a product the Shapley value has a closed
form: the marginal effect of player ``i`` of factor ``k`` on a set ``S`` is
``d_i × Π_{j≠k} F_j(S)``; expanding the product, a term that names ``t`` other players
counts exactly when all ``t`` precede ``i``, which happens in a fraction ``1/(t+1)`` of
the orders. So ``φ_i = c × d_i × Σ_t e_t/(t+1)``, where ``e_t`` is the coefficient of
``x^t`` in ``Π_{j≠k} (F_j(old) + D_j x)`` (``D_j`` the sum of the changes to factor ``j``)
and ``c = 100 / SCORE_SPAN``. An override that is added (removed) switches the formula off
(on): the ``t`` players must then also precede (follow) the override, a fraction
``1/((t+1)(t+2))`` (``1/(t+2)``) of the orders; the override gets the rest. This is exact
for any number of changed inputs whenever the cap of §3.8 cannot bind for any subset
(checked by interval bounds on the four factors). When it can, the value depends on the
players only through the four factor sums and the override's state, and the Shapley sum
is taken over those aggregates (subsets of each factor's players counted by size and sum),
which is still exact. ``shapley_by_enumeration`` (every subset) is the reference the tests
hold both against.
"""

from __future__ import annotations

import copy
import functools
import math
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import combinations
from typing import Any

from aijri_xl._record import dataclass, field
from aijri_xl.analytics.aggregates import fewest_sums, joint_counts, subset_counts
from aijri_xl.analytics.diff import Change, Diff, Factor, _task_keys
from aijri_xl.method import PARAMS
from aijri_xl.method.engine import Result, score
from aijri_xl.method.model import Assessment, Override, Task

FACTORS: tuple[Factor, ...] = ("tasks", "evidence", "barriers", "growth")
"""The four factors of the raw score, in the order of §3.7."""
DISPLAY_DECIMALS = 4
MAX_AGGREGATE_STATES = 400_000
"""Bound on the aggregate states summed over when the cap binds (per changed input)."""


@functools.cache
def _p(name: str) -> Fraction:
    """A parameter as the decimal the method writes (0.04 is 1/25, not the double)."""
    return Fraction(Decimal(repr(float(PARAMS[name]))))


def exact(x: float | int) -> Fraction:
    """A stored number as the decimal it stands for: a time share 0.074 is 74/1000."""
    if isinstance(x, int):
        return Fraction(x)
    return Fraction(Decimal(repr(float(x))))


def exact_weighted_total(tasks: Sequence[Task]) -> Fraction:
    return sum((exact(t.time) * t.score for t in tasks
                if t.time is not None and t.score is not None), Fraction(0))


def exact_unrounded(weighted_total: Fraction, evidence: int, barriers: int,
                    growth: int) -> Fraction:
    """``S_c`` of §3.8 in exact arithmetic, from the factor aggregates."""
    raw = ((_p("TRS_CEILING") - weighted_total) * (1 + evidence * _p("EVIDENCE_WEIGHT"))
           * (1 + barriers * _p("BARRIER_WEIGHT")) * (1 + growth * _p("GROWTH_WEIGHT")))
    uncapped = (raw - _p("SCORE_OFFSET")) / _p("SCORE_SPAN") * 100
    return min(max(uncapped, _p("SCORE_MIN")), _p("SCORE_MAX"))


class AttributionError(ValueError):
    """The change cannot be attributed (a version cannot be scored, or too many inputs
    changed for an exact split where the cap binds)."""


@dataclass(frozen=True, slots=True)
class Player:
    """One changed input of the score: the factor it enters and how far it moves that
    factor's aggregate (``W`` for tasks, the evidence, barrier or growth total; the new
    override for the override)."""

    key: str
    label: str
    factor: Factor
    delta: Fraction
    changes: tuple[Change, ...] = ()


@dataclass(frozen=True, slots=True)
class Part:
    key: str
    label: str
    value: Fraction
    shown: Decimal
    """``value`` to :data:`DISPLAY_DECIMALS` decimals, apportioned so the shown parts add
    up to the shown change."""

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "points": float(self.shown),
                "exact": f"{self.value.numerator}/{self.value.denominator}"}


@dataclass(frozen=True, slots=True)
class Shift:
    """A change of the zone or the sub-label, and the inputs behind it: ``sufficient``
    alone (applied to the old version) would have made it; ``necessary`` ones undone
    alone (from the new version) would not leave the new value."""

    field: str
    old: str
    new: str
    sufficient: tuple[str, ...]
    necessary: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "old": self.old, "new": self.new,
                "sufficient": list(self.sufficient), "necessary": list(self.necessary)}


@dataclass(slots=True)
class Attribution:
    """The split of one result's change (``final_score``, or the formula ``score``)."""

    target: str
    old: float
    new: float
    change: Decimal
    exact_old: Fraction
    exact_new: Fraction
    parts: list[Part]
    residue: Part
    method: str
    shifts: list[Shift] = field(default_factory=list)

    @property
    def total(self) -> Fraction:
        return sum((p.value for p in self.parts), self.residue.value)

    def to_dict(self) -> dict[str, Any]:
        return {"target": self.target, "old": self.old, "new": self.new,
                "change": float(self.change), "unrounded_old": float(self.exact_old),
                "unrounded_new": float(self.exact_new),
                "parts": [p.to_dict() for p in self.parts],
                "rounding_residue": self.residue.to_dict(), "method": self.method,
                "shifts": [s.to_dict() for s in self.shifts]}


# ---------------------------------------------------------------------------------------
# Players


def players_of(d: Diff) -> list[Player]:
    """The changed inputs that enter the final score, one player per task."""
    by_player: dict[str, list[Change]] = defaultdict(list)
    for c in d.score_changes:
        assert c.player is not None
        by_player[c.player].append(c)
    old_keys, new_keys = _task_keys(d.old.tasks), _task_keys(d.new.tasks)
    task_delta: dict[str, Fraction] = {}
    for m in d.tasks:
        ta = d.old.tasks[m.old_index] if m.old_index is not None else None
        tb = d.new.tasks[m.new_index] if m.new_index is not None else None
        key = new_keys[m.new_index] if m.new_index is not None else \
            old_keys[m.old_index]  # type: ignore[index]
        task_delta[key] = exact_weighted_total([tb] if tb else []) - \
            exact_weighted_total([ta] if ta else [])
    out = []
    for key, changes in by_player.items():
        factor = changes[0].factor
        assert factor is not None
        if factor == "tasks":
            delta = task_delta[key]
            label = changes[0].label.split(":")[0]
        elif factor == "override":
            delta = Fraction(0)
            label = "Override"
        else:
            delta = Fraction(changes[0].new - changes[0].old)
            label = changes[0].label
        out.append(Player(key, label, factor, delta, tuple(changes)))
    return out


# ---------------------------------------------------------------------------------------
# The game: exact unrounded value of a set of players, through the factor aggregates


@dataclass(frozen=True, slots=True)
class _Game:
    base: dict[str, Fraction]   # W, evidence, barrier and growth totals of the old version
    players: tuple[Player, ...]
    override_old: Fraction | None
    override_new: Fraction | None
    use_override: bool

    def value(self, sums: Mapping[str, Fraction], override_on: bool) -> Fraction:
        if self.use_override:
            active = self.override_new if override_on else self.override_old
            if active is not None:
                return active
        return exact_unrounded(self.base["tasks"] + sums.get("tasks", Fraction(0)),
                               int(self.base["evidence"] + sums.get("evidence", 0)),
                               int(self.base["barriers"] + sums.get("barriers", 0)),
                               int(self.base["growth"] + sums.get("growth", 0)))

    def of(self, members: Sequence[Player]) -> Fraction:
        sums: dict[str, Fraction] = defaultdict(Fraction)
        on = False
        for p in members:
            if p.factor == "override":
                on = True
            else:
                sums[p.factor] += p.delta
        return self.value(sums, on)


def _factor_terms() -> dict[str, tuple[Callable[[Fraction], Fraction], Fraction]]:
    """Each factor of §3.7 as (its value from the aggregate, its change per unit)."""
    return {
        "tasks": (lambda w: _p("TRS_CEILING") - w, Fraction(-1)),
        "evidence": (lambda e: 1 + e * _p("EVIDENCE_WEIGHT"), _p("EVIDENCE_WEIGHT")),
        "barriers": (lambda b: 1 + b * _p("BARRIER_WEIGHT"), _p("BARRIER_WEIGHT")),
        "growth": (lambda g: 1 + g * _p("GROWTH_WEIGHT"), _p("GROWTH_WEIGHT")),
    }


def _cap_can_bind(game: _Game) -> bool:
    """Whether some subset of the players gives a formula value outside the scale."""
    terms = _factor_terms()
    lo = hi = Fraction(1)
    for f in FACTORS:
        to_factor, unit = terms[f]
        moves = [p.delta * unit for p in game.players if p.factor == f]
        base = to_factor(game.base[f])
        a = base + sum((m for m in moves if m < 0), Fraction(0))
        b = base + sum((m for m in moves if m > 0), Fraction(0))
        corners = [lo * a, lo * b, hi * a, hi * b]
        lo, hi = min(corners), max(corners)
    low = (lo - _p("SCORE_OFFSET")) / _p("SCORE_SPAN") * 100
    high = (hi - _p("SCORE_OFFSET")) / _p("SCORE_SPAN") * 100
    return low < _p("SCORE_MIN") or high > _p("SCORE_MAX")


def shapley_closed_form(game: _Game) -> dict[str, Fraction]:
    """The closed form of the module docstring (valid when the cap cannot bind)."""
    terms = _factor_terms()
    base = {f: terms[f][0](game.base[f]) for f in FACTORS}
    totals = {f: sum((p.delta * terms[f][1] for p in game.players if p.factor == f),
                     Fraction(0)) for f in FACTORS}
    override = next((p for p in game.players if p.factor == "override"), None)
    scale = 100 / _p("SCORE_SPAN")

    def weight(t: int) -> Fraction:
        if not game.use_override:
            return Fraction(1, t + 1)
        if override is None:  # the same override (or none) in both versions
            return Fraction(0) if game.override_old is not None else Fraction(1, t + 1)
        if game.override_old is None:  # added: the formula counts while it is not yet on
            return Fraction(1, (t + 1) * (t + 2))
        if game.override_new is None:  # removed: the formula counts once it is off
            return Fraction(1, t + 2)
        return Fraction(0)  # changed from one override to another: the formula never counts

    def per_unit(factor: str) -> Fraction:
        """``c × Σ_t e_t w(t)`` times the factor's change per unit: the same for every
        player of ``factor`` (a player's part is this times its own ``d_i``)."""
        poly = [Fraction(1)]
        for f in FACTORS:
            if f == factor:
                continue
            nxt = [Fraction(0)] * (len(poly) + 1)
            for t, c in enumerate(poly):
                nxt[t] += c * base[f]
                nxt[t + 1] += c * totals[f]
            poly = nxt
        expected = sum((c * weight(t) for t, c in enumerate(poly)), Fraction(0))
        return scale * terms[factor][1] * expected

    out: dict[str, Fraction] = {}
    units: dict[str, Fraction] = {}
    for p in game.players:
        if p.factor == "override":
            continue
        if p.factor not in units:
            units[p.factor] = per_unit(p.factor)
        out[p.key] = units[p.factor] * p.delta
    if override is not None:
        everything = game.of(game.players) - game.of(())
        out[override.key] = everything - sum(out.values(), Fraction(0))
    return out


def shapley_by_aggregates(game: _Game, max_states: int = MAX_AGGREGATE_STATES
                          ) -> dict[str, Fraction]:
    """Exact Shapley values summed over aggregate states (valid with the cap binding).

    The changes are scaled to integers (by the least common denominator), the subsets of
    the other players counted by size and factor sums (those of the other factors once
    per factor), the Shapley weights of equal sums added up first, the score computed
    once per distinct sum, and each player's sum taken on integers over one common
    denominator. More than ``max_states`` aggregate states for one player is
    :class:`AttributionError`, raised as soon as it is certain: a player's states
    include every combination of the factors' distinct sums (:func:`~.aggregates.fewest_sums`), a
    factor's own subsets and those of the other factors together."""
    n = len(game.players)
    groups: list[str] = [*FACTORS, "override"]
    scale = math.lcm(*(p.delta.denominator for p in game.players)) if game.players else 1
    step = {p.key: 1 if p.factor == "override" else int(p.delta * scale)
            for p in game.players}
    fact = [math.factorial(k) for k in range(n + 1)]
    memo: dict[tuple[int, ...], Fraction] = {}

    def value(sums: tuple[int, ...]) -> Fraction:
        if sums not in memo:
            agg: dict[str, Fraction] = {g: Fraction(x, scale)
                                        for g, x in zip(FACTORS, sums, strict=False)}
            memo[sums] = game.value(agg, sums[-1] > 0)
        return memo[sums]

    too_many = AttributionError(
        f"{n} changed inputs with the score at the edge of the scale: more than "
        f"{max_states:,} aggregate states to sum exactly")
    steps = {g: [step[q.key] for q in game.players if q.factor == g] for g in groups}
    fewest = {g: fewest_sums(steps[g]) for g in groups}
    for p in game.players:
        rest = list(steps[p.factor])
        rest.remove(step[p.key])
        bound = fewest_sums(rest)
        for g in groups:
            bound *= fewest[g] if g != p.factor else 1
        if bound > max_states:
            raise too_many
    whole: dict[str, dict[tuple[int, int], int]] = {}
    others: dict[str, dict[tuple[int, tuple[int, ...]], int]] = {}
    out: dict[str, Fraction] = {}
    for p in game.players:
        where = groups.index(p.factor)
        if p.factor not in others:
            for g in groups:
                if g != p.factor and g not in whole:
                    counts = subset_counts(steps[g], max_states)
                    if counts is None:
                        raise too_many
                    whole[g] = counts
            found = joint_counts([whole[g] for g in groups if g != p.factor], max_states)
            if found is None:
                raise too_many
            others[p.factor] = found
        mine = subset_counts([step[q.key] for q in game.players
                               if q.factor == p.factor and q is not p], max_states)
        if mine is None:
            raise too_many
        joint: dict[tuple[int, tuple[int, ...]], int] = defaultdict(int)
        for (size, sums), m in others[p.factor].items():
            head, tail = sums[:where], sums[where:]
            for (k, subtotal), c in mine.items():
                joint[(size + k, (*head, subtotal, *tail))] += m * c
            if len(joint) > max_states:
                raise too_many
        weight: dict[tuple[int, ...], int] = defaultdict(int)
        for (size, sums), count in joint.items():
            weight[sums] += count * fact[size] * fact[n - size - 1]
        moves = []
        for sums, w in weight.items():
            moved = list(sums)
            moved[where] += step[p.key]
            moves.append((w, value(tuple(moved)), value(sums)))
        common = math.lcm(*(v.denominator for _, a, b in moves for v in (a, b))) \
            if moves else 1
        total = sum(w * (a.numerator * (common // a.denominator)
                         - b.numerator * (common // b.denominator)) for w, a, b in moves)
        out[p.key] = Fraction(total, common * fact[n])
    return out


def shapley_by_enumeration(game: _Game) -> dict[str, Fraction]:
    """Shapley values from every subset (2^n scores): the reference for tests."""
    players = list(game.players)
    n = len(players)
    out: dict[str, Fraction] = {}
    for p in players:
        others = [q for q in players if q is not p]
        phi = Fraction(0)
        for k in range(n):
            w = Fraction(math.factorial(k) * math.factorial(n - k - 1), math.factorial(n))
            for subset in combinations(others, k):
                phi += w * (game.of([*subset, p]) - game.of(subset))
        out[p.key] = phi
    return out


# ---------------------------------------------------------------------------------------
# Applying some of the changes (to check zone and sub-label shifts with the engine)


def apply(d: Diff, chosen: Sequence[Player], everything: set[str] | None = None
          ) -> Assessment:
    """The old assessment with the chosen players' changes made (all of them: the new
    assessment itself). Inserted tasks go at the end; row order does not change the
    exact score. ``everything`` is the keys of all players, when the caller has them.
    The copy shares the old version's text (only scored fields are changed)."""
    keys = {p.key for p in chosen}
    if everything is None:
        everything = {p.key for p in players_of(d)}
    if keys == everything:
        return d.new
    a = copy.copy(d.old)
    a.tasks = [copy.copy(t) for t in d.old.tasks]
    a.evidence = {k: copy.copy(v) for k, v in d.old.evidence.items()}
    a.barriers = {k: copy.copy(v) for k, v in d.old.barriers.items()}
    a.growth = copy.copy(d.old.growth)
    new_keys, old_keys = _task_keys(d.new.tasks), _task_keys(d.old.tasks)
    keep: list[Task] = []
    placed: dict[int, Task] = {}
    appended: list[Task] = []
    for m in d.tasks:
        key = new_keys[m.new_index] if m.new_index is not None else \
            old_keys[m.old_index]  # type: ignore[index]
        if m.old_index is not None:
            t = a.tasks[m.old_index]
            if key in keys and m.new_index is None:
                continue  # deleted
            if key in keys and m.new_index is not None:
                src = d.new.tasks[m.new_index]
                t.time, t.score = src.time, src.score
            placed[m.old_index] = t
        elif key in keys and m.new_index is not None:
            appended.append(copy.copy(d.new.tasks[m.new_index]))
    keep = [placed[i] for i in sorted(placed)] + appended
    a.tasks = keep
    for p in chosen:
        if p.factor in ("evidence", "barriers"):
            block, dim, _ = p.key.split(".")
            getattr(a, block)[dim].score = getattr(d.new, block)[dim].score
        elif p.factor == "growth":
            a.growth.correlation = d.new.growth.correlation
            a.growth.check = d.new.growth.correlation if a.growth.check is not None else None
        elif p.factor == "override":
            a.override = Override(d.new.override.score, d.new.override.justification)
    return a


def _shifts(d: Diff, players: list[Player], old: Result, new: Result) -> list[Shift]:
    out = []
    everything = {p.key for p in players_of(d)}
    for name in ("zone", "sub_label"):
        before, after = getattr(old, name), getattr(new, name)
        if before == after:
            continue
        sufficient = tuple(p.key for p in players
                           if getattr(score(apply(d, [p], everything)), name) == after)
        necessary = tuple(p.key for p in players
                          if getattr(score(apply(d, [q for q in players if q is not p],
                                                 everything)), name) != after)
        out.append(Shift(name, before, after, sufficient, necessary))
    return out


# ---------------------------------------------------------------------------------------
# The attribution


def _round(x: Fraction, decimals: int) -> Decimal:
    q = Decimal(1).scaleb(-decimals)
    return (Decimal(x.numerator) / Decimal(x.denominator)).quantize(q, rounding=ROUND_HALF_UP)


def apportion(values: Sequence[Fraction], total: Decimal,
              decimals: int = DISPLAY_DECIMALS) -> list[Decimal]:
    """``values`` rounded to ``decimals`` so that they add up to ``total`` exactly:
    round each, then move the few units left over to the values whose rounding lost
    (or gained) the most (largest remainder); ties go to the earlier value."""
    unit = Decimal(1).scaleb(-decimals)
    shown = [_round(v, decimals) for v in values]
    left = int((total - sum(shown, Decimal(0))) / unit)
    if left:
        step = 1 if left > 0 else -1
        error = [(Fraction(str(s)) - v) * step for s, v in zip(shown, values, strict=True)]
        order = sorted(range(len(values)), key=lambda i: (error[i], i))
        for i in order[:abs(left)]:
            shown[i] += unit * step
    return shown


def shapley_values(d: Diff, target: str = "final_score",
                   max_states: int = MAX_AGGREGATE_STATES
                   ) -> tuple[list[Player], dict[str, Fraction], str, _Game]:
    """The players of ``target``'s change (see :func:`attribute`), each one's exact
    Shapley value, how they were computed, and the game: what :func:`attribute` rounds
    and shows. ``max_states`` bounds the sum over aggregates where the cap binds."""
    if d.old_result is None or d.new_result is None:
        raise AttributionError("both versions must be scored to split the change: "
                               + "; ".join(d.problems))
    if target not in ("final_score", "score"):
        raise ValueError(f"target must be 'final_score' or 'score', not {target!r}")
    use_override = target == "final_score"
    players = [p for p in players_of(d) if use_override or p.factor != "override"]
    a, b = d.old, d.new
    base = {"tasks": exact_weighted_total(a.tasks),
            "evidence": Fraction(sum(s.score or 0 for s in a.evidence.values())),
            "barriers": Fraction(sum(s.score or 0 for s in a.barriers.values())),
            "growth": Fraction(a.growth.correlation or 0)}
    old_o = exact(a.override.score) if a.override.score is not None else None
    new_o = exact(b.override.score) if b.override.score is not None else None
    game = _Game(base, tuple(players), old_o, new_o, use_override)
    if not _cap_can_bind(game):
        return players, shapley_closed_form(game), "closed form over the four factors", game
    return (players, shapley_by_aggregates(game, max_states),
            "sum over factor aggregates (cap binds)", game)


def attribute(d: Diff, target: str = "final_score", *, shifts: bool = True,
              max_states: int = MAX_AGGREGATE_STATES) -> Attribution:
    """Split the change of ``target`` (``final_score``, or ``score``: the formula score,
    override ignored) among the changed inputs; see the module docstring. ``shifts``:
    also find which changes moved the zone or the sub-label (``final_score`` only)."""
    players, values, how, game = shapley_values(d, target, max_states)
    assert d.old_result is not None and d.new_result is not None  # shapley_values checks
    old_value, new_value = game.of(()), game.of(players)
    shown_old = getattr(d.old_result, target)
    shown_new = getattr(d.new_result, target)
    change = Decimal(repr(shown_new)) - Decimal(repr(shown_old))
    residue = exact(shown_new) - exact(shown_old) - (new_value - old_value)
    order = sorted(players, key=lambda p: (-abs(values[p.key]), p.key))
    shown = apportion([values[p.key] for p in order] + [residue],
                      change.quantize(Decimal(1).scaleb(-DISPLAY_DECIMALS)))
    parts = [Part(p.key, p.label, values[p.key], s) for p, s in zip(order, shown,
                                                                   strict=False)]
    rest = Part("rounding", "Rounding to one decimal (Excel's ROUND)", residue, shown[-1])
    out = Attribution(target, shown_old, shown_new, change, old_value, new_value, parts, rest,
                      how)
    if target == "final_score" and shifts:
        out.shifts = _shifts(d, players, d.old_result, d.new_result)
    return out


def score_diff(old: Assessment, new: Assessment) -> Diff:
    """The changes between two assessments in memory that enter the score (what an
    attribution reads)."""
    from pathlib import Path

    from aijri_xl.analytics.diff import diff
    from aijri_xl.method.loaded import Loaded

    return diff(Loaded(Path("old"), "memory", old), Loaded(Path("new"), "memory", new),
                scores_only=True)


def attribute_assessments(old: Assessment, new: Assessment, target: str = "final_score",
                          *, shifts: bool = True,
                          max_states: int = MAX_AGGREGATE_STATES) -> Attribution:
    """:func:`attribute` for two assessments in memory (no files)."""
    return attribute(score_diff(old, new), target, shifts=shifts, max_states=max_states)


__all__ = ["Attribution", "AttributionError", "Part", "Player", "Shift", "apply",
           "apportion", "attribute", "attribute_assessments", "exact_unrounded",
           "players_of", "score_diff", "shapley_by_aggregates", "shapley_by_enumeration",
           "shapley_closed_form", "shapley_values"]

