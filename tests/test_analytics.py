"""Review analytics: diff, attribution, sensitivity and agreement (aijri_xl.analytics)."""

from __future__ import annotations

import copy
import random
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import assessments

import aijri_xl
from aijri_xl.analytics.agreement import (
    agreement,
    krippendorff_alpha_ordinal,
    mean_absolute_difference,
)
from aijri_xl.analytics.attribution import (
    _Game,
    apply,
    apportion,
    attribute,
    exact,
    exact_unrounded,
    exact_weighted_total,
    players_of,
    shapley_by_aggregates,
    shapley_by_enumeration,
    shapley_closed_form,
)
from aijri_xl.analytics.diff import _norm, diff, match_tasks, render_words, word_diff
from aijri_xl.analytics.sensitivity import sensitivity, with_input
from aijri_xl.catalogue.samples import random_assessment
from aijri_xl.method import BARRIERS, EVIDENCE, PROTECTIVE, TASK_CLASSES
from aijri_xl.method.excel_math import percent_to_fraction
from aijri_xl.method.loaded import Loaded
from aijri_xl.method.model import Assessment, Override, Task

REPO = Path(__file__).resolve().parents[1]
WORKED = REPO / "workbooks" / "hpc-developer.yaml"


def mem(a: Assessment, name: str = "memory") -> Loaded:
    return Loaded(Path(name), "memory", a)


def key(name: str, leaf: str | None = None) -> str:
    quoted = '"' + name.replace('"', '\\"') + '"'
    return f"tasks[{quoted}]" + (f".{leaf}" if leaf else "")


# ---------------------------------------------------------------------------------------
# Random edits: what was edited is known, so the diff can be held to it


def edit(a: Assessment, rng: random.Random) -> tuple[Assessment, set[str]]:
    """A copy of ``a`` with 1-5 inputs edited (each input at most once), its rows then
    shuffled; returns it with the keys of the edited inputs."""
    b = copy.deepcopy(a)
    expected: set[str] = set()
    touched_tasks: set[int] = set()
    inserted = 0
    kinds = ["task_score", "evidence", "barrier", "growth", "protective", "override",
             "rename", "class", "rationale", "insert", "delete", "time"]
    edits = rng.randint(1, 5)
    names = {id(t): t.name for t in b.tasks}  # the final name of each kept task
    done_dims: set[str] = set()
    attempts = 0
    while len(expected) < edits and attempts < 200:
        attempts += 1
        kind = rng.choice(kinds)
        free = [i for i in range(len(b.tasks)) if i not in touched_tasks
                and not b.tasks[i].name.startswith("Added duty")]
        if kind in ("task_score", "rename", "class", "rationale", "delete", "time") \
                and not free:
            continue
        if kind == "task_score":
            i = rng.choice(free)
            t = b.tasks[i]
            t.score = rng.choice([s for s in range(1, 6) if s != t.score])
            touched_tasks.add(i)
            expected.add(f"@{id(t)}.score")
        elif kind == "time":
            i = rng.choice(free)
            t = b.tasks[i]
            t.time = percent_to_fraction(
                rng.choice([x for x in ("1", "2.5", "7.4", "12", "30") if
                            percent_to_fraction(x) != t.time]))
            touched_tasks.add(i)
            expected.add(f"@{id(t)}.time")
        elif kind in ("evidence", "barrier", "protective"):
            block, dims, low, high = {"evidence": ("evidence", EVIDENCE, -2, 2),
                                      "barrier": ("barriers", BARRIERS, 0, 2),
                                      "protective": ("protective", PROTECTIVE, 0, 3)}[kind]
            d = rng.choice(dims)
            path = f"{block}.{d.key}.score"
            if path in done_dims:
                continue
            item = getattr(b, block)[d.key]
            item.score = rng.choice([s for s in range(low, high + 1) if s != item.score])
            done_dims.add(path)
            expected.add(path)
        elif kind == "growth":
            if "growth" in done_dims:
                continue
            b.growth.correlation = rng.choice([g for g in range(-2, 3)
                                               if g != b.growth.correlation])
            done_dims.add("growth")
            expected.add("growth.correlation")
        elif kind == "override":
            if "override" in done_dims:
                continue
            done_dims.add("override")
            if b.override.score is None:
                b.override = Override(rng.randint(0, 1000) / 10, "Reviewed by the panel")
                expected |= {"override.score", "override.justification"}
            elif rng.random() < 0.5:
                b.override = Override()
                expected |= {"override.score", "override.justification"}
            else:
                old = b.override.score
                b.override.score = rng.choice([v for v in (12.5, 47.9, 48.0, 61.3)
                                               if v != old])
                expected.add("override.score")
        elif kind == "rename":
            i = rng.choice(free)
            t = b.tasks[i]
            t.name = f"{t.name} revised"
            names[id(t)] = t.name
            touched_tasks.add(i)
            expected.add(f"@{id(t)}.name")
        elif kind == "class":
            i = rng.choice(free)
            t = b.tasks[i]
            t.task_class = rng.choice([c for c in TASK_CLASSES if c != t.task_class])
            touched_tasks.add(i)
            expected.add(f"@{id(t)}.class")
        elif kind == "rationale":
            i = rng.choice(free)
            t = b.tasks[i]
            t.rationale = f"{t.rationale} The reviewer asked for more detail here.".strip()
            touched_tasks.add(i)
            expected.add(f"@{id(t)}.rationale")
        elif kind == "insert":
            inserted += 1
            share = percent_to_fraction(rng.choice(("2", "5", "10")))
            t = Task(f"Added duty {'abcdefgh'[inserted - 1]}", share, rng.randint(1, 5),
                     rng.choice(TASK_CLASSES), f"new work {inserted}")
            b.tasks.insert(rng.randint(0, len(b.tasks)), t)
            touched_tasks = {j + (j >= b.tasks.index(t)) for j in touched_tasks}
            touched_tasks.add(b.tasks.index(t))
            expected.add(key(t.name))
        elif kind == "delete":
            if len(b.tasks) - inserted < 3:
                continue
            i = rng.choice(free)
            t = b.tasks.pop(i)
            touched_tasks = {j - (j > i) for j in touched_tasks}
            expected.add(key(t.name))
    rng.shuffle(b.tasks)
    by_id = {id(t): t for t in b.tasks}
    resolved = set()
    for k in expected:
        if k.startswith("@"):
            ident, leaf = k[1:].split(".")
            resolved.add(key(by_id[int(ident)].name, leaf))
        else:
            resolved.add(k)
    return b, resolved


PAIRS = 300


@pytest.mark.parametrize("seed", range(PAIRS))
def test_diff_names_exactly_the_edited_inputs_and_parts_add_up(seed: int) -> None:
    rng = random.Random(1000 + seed)
    a = random_assessment(rng)
    b, expected = edit(a, rng)
    d = diff(mem(a, "old.yaml"), mem(b, "new.yaml"))
    assert {c.key for c in d.changes} == expected
    assert d.old_result is not None and d.new_result is not None
    for target in ("final_score", "score"):
        split = attribute(d, target)
        shown_change = Decimal(repr(getattr(d.new_result, target))) - \
            Decimal(repr(getattr(d.old_result, target)))
        assert split.change == shown_change
        # exact: the parts and the residue are the displayed change, to the last decimal
        assert split.total == Fraction(shown_change)
        # and as printed, to four decimals
        assert sum((p.shown for p in split.parts), split.residue.shown) == shown_change
        # the residue is only rounding: the parts add up to the exact unrounded change
        assert sum((p.value for p in split.parts), Fraction(0)) == \
            split.exact_new - split.exact_old
    # the exact unrounded score is the engine's within a double's precision
    for assessment, result in ((a, d.old_result), (b, d.new_result)):
        value = exact_unrounded(exact_weighted_total(assessment.tasks),
                                result.evidence_total, result.barrier_total,
                                result.growth_correlation)
        assert abs(float(value) - result.score_unrounded) <= 1e-9


@pytest.mark.parametrize("seed", range(60))
def test_closed_form_and_aggregates_equal_enumeration(seed: int) -> None:
    rng = random.Random(5000 + seed)
    a = random_assessment(rng)
    b, _ = edit(a, rng)
    d = diff(mem(a), mem(b))
    players = players_of(d)
    assert len(players) <= 8
    base = {"tasks": exact_weighted_total(a.tasks),
            "evidence": Fraction(sum(s.score or 0 for s in a.evidence.values())),
            "barriers": Fraction(sum(s.score or 0 for s in a.barriers.values())),
            "growth": Fraction(a.growth.correlation or 0)}
    o_old = exact(a.override.score) if a.override.score is not None else None
    o_new = exact(b.override.score) if b.override.score is not None else None
    for use_override in (True, False):
        game = _Game(base, tuple(p for p in players if use_override or
                                 p.factor != "override"), o_old, o_new, use_override)
        reference = shapley_by_enumeration(game)
        assert shapley_by_aggregates(game) == reference
        assert shapley_closed_form(game) == reference


def test_aggregates_are_exact_where_the_cap_binds() -> None:
    """At the top of the scale the closed form would be wrong; the aggregate sum is not."""
    from strategies import build

    old = build([("50", 1), ("50", 1)], evidence=(2, 2, 2, 2, 1), barriers=(2, 2, 2, 2, 1),
                growth=2)
    new = copy.deepcopy(old)
    new.evidence["expert_consensus"].score = 2
    new.barriers["cultural_ethical"].score = 2
    new.tasks[0].score = 2
    d = diff(mem(old), mem(new))
    split = attribute(d)
    assert split.method.startswith("sum over factor aggregates")
    players = players_of(d)
    base = {"tasks": exact_weighted_total(old.tasks), "evidence": Fraction(9),
            "barriers": Fraction(9), "growth": Fraction(2)}
    game = _Game(base, tuple(players), None, None, True)
    reference = shapley_by_enumeration(game)
    assert {p.key: p.value for p in split.parts} == reference
    assert shapley_closed_form(game) != reference


def test_worked_example_sources_agree_and_places_are_named() -> None:
    yaml, workbook = aijri_xl.load(WORKED), aijri_xl.load(REPO / "workbooks/hpc-developer.xlsx")
    report = aijri_xl.load(REPO / "workbooks/hpc-developer.md")
    page = aijri_xl.load(REPO / "workbooks/hpc-developer.html")
    for other in (workbook, report, page):
        assert diff(yaml, other).changes == []
    changed = copy.deepcopy(workbook.assessment)
    assert changed is not None
    changed.evidence["wage_trends"].score = -1
    d = diff(yaml, Loaded(workbook.path, "workbook", changed, extra=workbook.extra))
    (c,) = d.changes
    assert (c.key, c.old, c.new) == ("evidence.wage_trends.score", 1, -1)
    assert c.old_where == f"{WORKED}:{_line_of(WORKED, 'wage_trends:') + 1}"
    assert c.new_where == "Evidence!B7"
    d = diff(Loaded(report.path, "report", changed, extra=report.extra), yaml)
    row = _line_of(REPO / "workbooks" / "hpc-developer.md", "| Wage Trends |")
    assert d.changes[0].old_where == f'section "Evidence Score", line {row}'


def _line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1)
                if line.strip().startswith(text))


def test_rows_moved_inserted_deleted_and_renamed() -> None:
    a = aijri_xl.load(WORKED).assessment
    assert a is not None
    b = copy.deepcopy(a)
    b.tasks.reverse()
    d = diff(mem(a), mem(b))
    assert d.changes == []
    assert len(d.moved_tasks) == len(a.tasks) - 1
    b = copy.deepcopy(a)
    b.tasks[6].name = "Code review & upstream contributions (open source)"
    gone = b.tasks.pop(2)
    b.tasks.insert(0, Task("Benchmarking", gone.time, 4, "DISPLACEMENT", "new"))
    matches = match_tasks(a.tasks, b.tasks)
    assert [m.how for m in matches].count("renamed") == 1
    assert {m.how for m in matches} == {"name", "renamed", "inserted", "deleted"}
    d = diff(mem(a), mem(b))
    assert {c.key for c in d.changes} == {
        key("Code review & upstream contributions (open source)", "name"),
        key(gone.name), key("Benchmarking")}
    rename = next(c for c in d.changes if c.key.endswith(".name"))
    assert rename.words[-1] == ("+", "(open source)")
    # "Task 1" and "Task 2" share half their words: two tasks, not a rename
    x = [Task("Task 1", 0.5, 2, "AUGMENTATION"), Task("Task 9", 0.5, 3, "AUGMENTATION")]
    y = [Task("Task 1", 0.5, 2, "AUGMENTATION"), Task("Task 2", 0.5, 4, "DISPLACEMENT")]
    assert [m.how for m in match_tasks(x, y)] == ["name", "deleted", "inserted"]


def test_word_diff_and_its_rendering() -> None:
    words = word_diff("Niche but steady demand from national labs",
                      "Niche and growing demand from national labs and clouds")
    assert words == (("=", "Niche"), ("-", "but steady"), ("+", "and growing"),
                     ("=", "demand from national labs"), ("+", "and clouds"))
    assert render_words(words) == \
        "Niche [-but steady-] {+and growing+} demand from national labs {+and clouds+}"


def test_zone_shift_names_the_decisive_change() -> None:
    a = aijri_xl.load(WORKED).assessment
    assert a is not None
    b = copy.deepcopy(a)
    b.tasks[0].score = 4              # 52.8 -> 44.8 alone: crosses into YELLOW
    b.tasks[0].task_class = "DISPLACEMENT"
    b.evidence["company_actions"].score = 2   # +1 evidence: not enough to stay GREEN
    d = diff(mem(a), mem(b))
    split = attribute(d)
    assert (split.old, split.new) == (52.8, 46.6)
    zone = next(s for s in split.shifts if s.field == "zone")
    assert (zone.old, zone.new) == ("GREEN", "YELLOW")
    assert zone.sufficient == (key(a.tasks[0].name),)
    assert zone.necessary == (key(a.tasks[0].name),)
    parts = {p.key: p.value for p in split.parts}
    assert parts[key(a.tasks[0].name)] < 0 < parts["evidence.company_actions.score"]
    # every coalition the shift claims is checked with the engine
    players = players_of(d)
    assert aijri_xl.score(apply(d, players[:0])).zone == "GREEN"
    assert aijri_xl.score(apply(d, players)).final_score == 46.6


def test_override_added_takes_the_change() -> None:
    a = aijri_xl.load(WORKED).assessment
    assert a is not None
    b = copy.deepcopy(a)
    b.evidence["wage_trends"].score = 0
    b.override = Override(60.0, "Panel review")
    split = attribute(diff(mem(a), mem(b)))
    parts = {p.key: p.value for p in split.parts}
    assert split.change == Decimal("7.2")
    # the formula change counts only in orders where it comes before the override
    formula_only = attribute(diff(mem(a), mem(b)), "score")
    assert parts["evidence.wage_trends.score"] == formula_only.parts[0].value / 2
    assert split.total == Fraction(72, 10)


def test_apportion_keeps_the_total() -> None:
    values = [Fraction(1, 3)] * 3
    assert apportion(values, Decimal("1.0000")) == [Decimal("0.3334"), Decimal("0.3333"),
                                                     Decimal("0.3333")]
    assert sum(apportion([Fraction(-2, 3), Fraction(-1, 3)], Decimal("-1.0000"))) == -1


# ---------------------------------------------------------------------------------------
# Sensitivity


def test_worked_example_is_4_8_points_above_green() -> None:
    a = aijri_xl.load(WORKED).assessment
    assert a is not None
    s = sensitivity(a)
    green = next(b for b in s.boundaries if b.parameter == "GREEN_MIN")
    assert green.points == 4.8
    assert green.sentence() == "4.8 points above the GREEN threshold (48)"
    assert s.nearest_boundary is green


def _check_claims(a: Assessment) -> int:
    """Every claim re-scored from scratch, and each is the smallest in its direction."""
    base = aijri_xl.score(a)
    s = sensitivity(a)
    checked = 0
    for claims, name in ((s.zone_changes, "zone"), (s.sub_label_changes, "sub_label")):
        for claim in claims:
            r = aijri_xl.score(with_input(a, claim.field, claim.new))
            assert (r.final_score, r.zone, r.sub_label) == (claim.final_score, claim.zone,
                                                            claim.sub_label)
            assert getattr(r, name) != getattr(base, name)
            step = 1 if claim.steps > 0 else -1
            for k in range(1, abs(claim.steps)):
                nearer = aijri_xl.score(with_input(a, claim.field, claim.old + step * k))
                assert getattr(nearer, name) == getattr(base, name) or (
                    name == "sub_label" and nearer.zone != base.zone)
            checked += 1
    for down, up in s.most_sensitive:
        for claim in (down, up):
            if claim is not None:
                r = aijri_xl.score(with_input(a, claim.field, claim.new))
                assert r.final_score == claim.final_score
    return checked


def test_sensitivity_claims_hold_when_re_scored() -> None:
    a = aijri_xl.load(WORKED).assessment
    assert a is not None
    assert _check_claims(a) > 0
    rng = random.Random(77)
    total = sum(_check_claims(random_assessment(rng)) for _ in range(40))
    assert total > 40


def test_sensitivity_with_an_override() -> None:
    a = aijri_xl.load(WORKED).assessment
    assert a is not None
    a.override = Override(49.0, "Panel")
    s = sensitivity(a)
    assert s.overridden and s.zone_changes == []
    assert s.notes and all(st.zone == "GREEN" for st in s.sub_label_changes)


# ---------------------------------------------------------------------------------------
# Agreement


def test_krippendorff_alpha_matches_the_published_example() -> None:
    """Krippendorff (2011), reliability data of 4 observers on 12 units: ordinal 0.815."""
    n = None
    observers = ([1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n], [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
                 [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n], [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n])
    units = list(zip(*observers, strict=True))
    assert round(krippendorff_alpha_ordinal(units), 3) == 0.815  # type: ignore[arg-type]
    assert krippendorff_alpha_ordinal([(1, 1), (2, 2), (3, 3)]) == 1.0
    assert krippendorff_alpha_ordinal([(2, 2), (2, 2)]) is None
    assert mean_absolute_difference([(1, 2, 4), (3, 3, None)]) == pytest.approx(
        (1 + 3 + 2 + 0) / 4)


def test_agreement_of_assessors_on_one_role() -> None:
    a = aijri_xl.load(WORKED).assessment
    assert a is not None
    b, c = copy.deepcopy(a), copy.deepcopy(a)
    b.assessor, c.assessor = "B", "C"
    b.tasks[0].score = 3
    b.evidence["wage_trends"].score = 0
    c.tasks[1].score = 3
    c.growth.correlation = c.growth.check = 0
    result = agreement([a, b, c], ["A", "B", "C"])
    blocks = {x.block: x for x in result.blocks}
    assert blocks["task scores"].units == len(a.tasks)
    assert blocks["task scores"].mean_absolute_difference == pytest.approx(
        4 / (3 * len(a.tasks)))
    assert blocks["barriers"].alpha_ordinal is None  # all zero: nothing to disagree on
    assert blocks["evidence"].alpha_ordinal is not None
    assert result.widest is not None
    assert result.widest_pair is not None
    low, high = result.widest_pair
    assert result.final_scores[low] <= result.final_scores[high]
    assert Fraction(result.widest.change) == result.widest.total
    assert result.explained[0].key == key(a.tasks[0].name)
    finals = sorted(result.final_scores)
    assert result.spread == float(Decimal(repr(finals[-1])) - Decimal(repr(finals[0])))


# ---------------------------------------------------------------------------------------
# The same properties over Hypothesis-drawn assessments with arbitrary Unicode text



@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(assessments(max_tasks=12), st.randoms(use_true_random=False))
def test_diff_and_attribution_on_drawn_assessments(a: Assessment, rng: random.Random) -> None:
    assume(len({_norm(t.name) for t in a.tasks}) == len(a.tasks))
    assume(not any(_norm(t.name).startswith("added duty") for t in a.tasks))
    b, expected = edit(a, rng)
    d = diff(mem(a), mem(b))
    assert {c.key for c in d.changes} == expected
    split = attribute(d)
    assert split.total == Fraction(split.change)
    assert sum((p.shown for p in split.parts), split.residue.shown) == split.change
