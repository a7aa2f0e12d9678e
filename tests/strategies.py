"""Hypothesis strategies and hand-built cases for AIJRI assessments.

Shared by the engine, file and workbook tests:

- :func:`build` makes an :class:`~aijri_xl.method.model.Assessment` from bare numbers;
- :func:`assessments` draws random *valid* assessments (every §5 error rule holds);
- :func:`tie_and_boundary_cases` lists hand-picked assessments at the places where two
  engines are most likely to disagree: zone boundaries, the caps, half-way ties, shares
  whose float sum lands a hair below a threshold.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from hypothesis import strategies as st

from aijri_xl.method import (
    BARRIER_RANGE,
    BARRIERS,
    EVIDENCE,
    EVIDENCE_RANGE,
    GROWTH_RANGE,
    PROTECTIVE,
    PROTECTIVE_RANGE,
    TASK_SCORE_RANGE,
    default_task_class,
)
from aijri_xl.method.excel_math import percent_to_fraction
from aijri_xl.method.model import (
    Assessment,
    CalibrationPeer,
    Commentary,
    Growth,
    Override,
    RoleDefinition,
    Scored,
    Task,
)

TaskSpec = tuple  # (percent, score) or (percent, score, class)


def build(tasks: Sequence[TaskSpec], *, protective: Sequence[int] = (0, 0, 0),
          growth: int = 0, evidence: Sequence[int] = (0, 0, 0, 0, 0),
          barriers: Sequence[int] = (0, 0, 0, 0, 0), override: float | None = None,
          justification: str | None = None, title: str = "Test role",
          growth_check: int | None = None) -> Assessment:
    """An assessment from bare numbers. Task percents may be strings (``"7.4"``) and are
    converted as a file would convert them; the class defaults to the §5 mapping."""
    task_list = []
    for i, spec in enumerate(tasks):
        percent, task_score = spec[0], spec[1]
        task_class = spec[2] if len(spec) > 2 else default_task_class(task_score)
        task_list.append(Task(name=f"Task {i + 1}", time=percent_to_fraction(percent),
                              score=task_score, task_class=task_class))
    if override is not None and justification is None:
        justification = "test override"
    return Assessment(
        role=RoleDefinition(title=title),
        protective={d.key: Scored(s) for d, s in zip(PROTECTIVE, protective, strict=True)},
        growth=Growth(correlation=growth, check=growth_check),
        tasks=task_list,
        evidence={d.key: Scored(s) for d, s in zip(EVIDENCE, evidence, strict=True)},
        barriers={d.key: Scored(s) for d, s in zip(BARRIERS, barriers, strict=True)},
        override=Override(override, justification or ""),
    )


def percent_text(basis_points: int) -> str:
    """Basis points of working time as the percent an assessor types: 740 → ``"7.4"``."""
    return str(Decimal(basis_points) / 100)


# ---------------------------------------------------------------------------------------
# Strategies

_TEXT_ALPHABET = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"),
                               include_characters="\t\n\r")
_texts = st.text(_TEXT_ALPHABET, max_size=40)
"""Free text: any printable Unicode plus tabs and line breaks (names, rationales). Other
control characters are left out: YAML reads U+0085 (NEL) back as a line break."""
_non_blank_texts = _texts.filter(lambda s: s.strip() != "")


@st.composite
def time_shares(draw: st.DrawFn, min_tasks: int = 1, max_tasks: int = 30) -> list[int]:
    """Time shares in basis points (0.01 percentage points), each > 0, summing to exactly
    10000 (100%). The grain varies so that round shares (25%) and two-decimal shares
    (7.37%) both occur."""
    grain = draw(st.sampled_from([1, 10, 100, 500]))
    slots = 10000 // grain
    n = draw(st.integers(min_tasks, min(max_tasks, slots)))
    cuts = sorted(draw(st.lists(st.integers(1, slots - 1), min_size=n - 1, max_size=n - 1,
                                unique=True)))
    return [(b - a) * grain for a, b in zip([0, *cuts], [*cuts, slots], strict=True)]


def _block(dimensions: tuple, bounds: tuple[int, int],
           texts: st.SearchStrategy[str]) -> st.SearchStrategy[dict]:
    return st.tuples(*[st.builds(Scored, st.integers(*bounds), texts) for _ in dimensions]) \
        .map(lambda items: {d.key: s for d, s in zip(dimensions, items, strict=True)})


@st.composite
def assessments(draw: st.DrawFn, *, overrides: bool = True, min_tasks: int = 1,
                max_tasks: int = 30, text: bool = True) -> Assessment:
    """Random valid assessments: 1–30 tasks whose shares sum to exactly 100% (0–2
    decimals), scores 1–5, classes by the default mapping, distinct task names, every
    scored input in range, an optional one-decimal override with a justification.

    ``text=False`` draws plain short names and no free text: faster, for tests of the
    numbers only."""
    texts = _texts if text else st.just("")
    non_blank_texts = _non_blank_texts if text else st.sampled_from(["a", "b", "c"])
    shares = draw(time_shares(min_tasks, max_tasks))
    scores = draw(st.lists(st.integers(*TASK_SCORE_RANGE), min_size=len(shares),
                           max_size=len(shares)))
    if text:
        names = draw(st.lists(non_blank_texts, min_size=len(shares), max_size=len(shares),
                              unique_by=lambda s: s.strip().casefold()))
    else:
        names = [f"Task {i + 1}" for i in range(len(shares))]
    tasks = [Task(name=name, time=percent_to_fraction(percent_text(bp)), score=s,
                  task_class=default_task_class(s), rationale=draw(texts))
             for name, bp, s in zip(names, shares, scores, strict=True)]
    correlation = draw(st.integers(*GROWTH_RANGE))
    override = Override()
    if overrides and draw(st.booleans()):
        override = Override(draw(st.integers(0, 1000)) / 10, draw(non_blank_texts))
    optional = st.none() | non_blank_texts
    return Assessment(
        role=RoleDefinition(title=draw(non_blank_texts), seniority=draw(optional),
                            not_=draw(optional), id=draw(optional)),
        assessor=draw(optional),
        assessment_date=draw(st.none() | st.dates().map(lambda d: d.isoformat())),
        protective=draw(_block(PROTECTIVE, PROTECTIVE_RANGE, texts)),
        growth=Growth(correlation, draw(texts), draw(st.sampled_from([None, correlation]))),
        tasks=tasks,
        reinstatement_check=draw(texts),
        evidence=draw(_block(EVIDENCE, EVIDENCE_RANGE, texts)),
        barriers=draw(_block(BARRIERS, BARRIER_RANGE, texts)),
        override=override,
        calibration=draw(st.lists(st.builds(CalibrationPeer, non_blank_texts,
                                            st.integers(0, 1000).map(lambda n: n / 10)),
                                  max_size=3)),
        commentary=Commentary(timeline=draw(texts), survival_strategy=draw(texts)),
    )


# ---------------------------------------------------------------------------------------
# Hand-picked cases

# Scores whose exact value is a half-way tie at one decimal, where Python's round() of the
# double gives the lower neighbour and Excel's ROUND the upper one. Found by searching
# the method's inputs (tests/test_engine.py repeats a small version of the search).
# (task percents and scores, evidence, barriers, growth, exact tie, Excel's score)
ROUNDING_TIES: tuple[tuple[tuple[tuple[str, int], ...], tuple[int, ...], tuple[int, ...], int,
                           str, float], ...] = (
    ((("80.3", 4), ("19.7", 5)), (2, 2, 0, -2, -2), (2, 2, 1, 0, 0), -1, "16.95", 17.0),
    ((("98.33", 4), ("1.67", 5)), (2, 2, 0, -2, -2), (0, 0, 0, 0, 0), -1, "16.95", 17.0),
    ((("9.35", 2), ("90.65", 3)), (2, 2, 0, -2, -2), (0, 0, 0, 0, 0), -1, "30.25", 30.3),
    ((("44.53", 1), ("55.47", 2)), (2, 2, 0, -2, -2), (0, 0, 0, 0, 0), 1, "52.05", 52.1),
    ((("92.85", 1), ("7.15", 2)), (2, 2, 2, 2, 2), (0, 0, 0, 0, 0), -1, "75.85", 75.9),
)


def tie_case(index: int = 0) -> Assessment:
    tasks, evidence, barriers, growth, tie, _ = ROUNDING_TIES[index]
    return build(tasks, evidence=evidence, barriers=barriers, growth=growth,
                 title=f"half-way tie at {tie}")


def tie_and_boundary_cases() -> list[Assessment]:
    """Assessments at the edges of the method; each one's title says what it tests."""
    base = [("25", 2), ("25", 3), ("50", 2)]
    cases = [
        build(base, override=47.9, title="override 47.9: YELLOW"),
        build(base, override=48.0, title="override 48.0: GREEN"),
        build(base, override=24.9, title="override 24.9: RED"),
        build(base, override=25.0, title="override 25.0: YELLOW"),
        build([("100", 1)], evidence=(2,) * 5, barriers=(2,) * 5, growth=2,
              title="capped at 100"),
        build([("100", 5)], evidence=(-2,) * 5, growth=-2, title="RAW at SCORE_OFFSET: 0"),
        build([("50", 5), ("50.05", 5)], evidence=(-2,) * 5, growth=-2,
              title="capped at 0 (shares sum to 100.05%)"),
        *[tie_case(i) for i in range(len(ROUNDING_TIES))],
        build([("7.4", 4), ("14.2", 4), ("9.2", 4), ("0.6", 4), ("8.6", 4), ("60", 2)],
              title="fractional shares: P4 exactly 40%"),
        build([("19.24", 3), ("0.76", 3), ("80", 2)], growth=1,
              title="fractional shares: P3 exactly 20%"),
        build([("49.01", 4), ("3.06", 5), ("7.1", 4), ("0.83", 4), ("40", 1)],
              title="fractional shares: P4 exactly 60%"),
        build([("19.71", 3), ("80.29", 4)], evidence=(2, 2, 1, 0, 0), barriers=(2, 2, 2, 2, 0),
              growth=2, title="grouping matters: RAW left to right"),
        build([("7.37", 1), ("9.01", 5), ("14.22", 1), ("50.07", 2), ("19.33", 1)],
              title="grouping matters: weighted total in row order"),
    ]
    return cases
