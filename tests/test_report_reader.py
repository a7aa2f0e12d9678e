"""The published-report reader: the seed, hand-written variants, broken and foreign text."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aijri_xl.house.reader import parse_number, read_report, slug
from aijri_xl.method.excel_math import percent_to_fraction
from aijri_xl.method.findings import Place
from aijri_xl.method.model import Commentary, Growth, Override
from aijri_xl.sources import Loaded, load
from aijri_xl.verify.file import Verification, evaluate

ROOT = Path(__file__).parents[1]
SEED = Path(__file__).parent / "data/seeds/000_4d6eb753268fa0f0.txt"
OTHER_SEEDS = sorted(SEED.parent.glob("00[1-9]_*.txt"))
REPORTS = Path(__file__).parent / "data/reports"
TEXT = "section \"Task Decomposition (Agentic AI Scoring)\""
_SEED_TEXT = SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed() -> Loaded:
    return load(SEED)


def figure(loaded: Loaded, field: str, line: int):
    """The one figure stated for ``field`` on ``line``."""
    hits = [f for f in loaded.stated if f.field == field and f.where.endswith(f"line {line}")]
    assert len(hits) == 1, (field, line, loaded.stated)
    return hits[0]


def codes(loaded: Loaded | Verification) -> list[tuple[str, str | None, str | None]]:
    return [(f.code, f.field, f.where) for f in loaded.findings]


# --------------------------------------------------------------------------- the seed


def test_seed_reads_equal_to_the_extracted_yaml(seed: Loaded) -> None:
    from_yaml = load(ROOT / "workbooks/hpc-developer.yaml")
    assert seed.kind == "report"
    assert seed.findings == []
    assert seed.assessment is not None
    assert seed.assessment == from_yaml.assessment


def test_seed_role_id_is_the_slug_of_the_title(seed: Loaded) -> None:
    assert seed.assessment is not None
    assert seed.assessment.role.id == "hpc-developer" == slug("HPC Developer")
    assert seed.assessment.role.title == "HPC Developer"


def test_seed_tasks_hold_fractions(seed: Loaded) -> None:
    a = seed.assessment
    assert a is not None
    assert [t.time for t in a.tasks] == [0.25, 0.2, 0.15, 0.1, 0.1, 0.1, 0.05, 0.05]
    assert [t.score for t in a.tasks] == [2, 2, 3, 3, 2, 2, 3, 1]
    assert a.tasks[-1].task_class == "NOT INVOLVED"
    assert a.tasks[0].name == "MPI/distributed parallel code development"


def test_seed_growth_check_override_and_calibration(seed: Loaded) -> None:
    a = seed.assessment
    assert a is not None
    assert a.growth.correlation == 1
    assert a.growth.check == 1
    assert a.growth.check_rationale.startswith("Confirmed at +1 from Step 1. The AI training")
    assert a.growth.check_rationale.endswith("not recursive like AI security roles.")
    assert a.override.score is None
    assert a.override.justification.startswith("formula score accepted. The 52.8 calibrates")
    assert [(p.role, p.score) for p in a.calibration] == [("Compiler Engineer", 51.6),
                                                          ("Database Engineer", 55.2)]


def test_seed_commentary_keeps_the_assessors_text(seed: Loaded) -> None:
    c = seed.assessment.commentary if seed.assessment else Commentary()
    assert c.what_this_means.startswith("The role in 2028: HPC developers who thrive")
    assert "Survival" not in c.what_this_means
    bullets = c.survival_strategy.split("\n")
    assert len(bullets) == 3 and all(b.startswith("- ") for b in bullets)
    assert bullets[0].startswith("- Master AI training infrastructure.")
    assert c.timeline.startswith("5-10+ years. Protection is capability-based")
    assert len(c.who_should_worry.split("\n")) == 3
    assert c.numbers_dont_capture.count("\n- ") == 2


def test_seed_stated_figures_with_their_lines(seed: Loaded) -> None:
    raw = figure(seed, "raw", 62)
    assert (raw.value, raw.decimals, raw.text) == (4.725, 4, "4.7250")
    assert raw.where == 'section "JobZone Composite Score (AIJRI)", line 62'
    em = figure(seed, "evidence_modifier", 59)
    assert (em.value, em.decimals) == (1.2, 2)
    score = figure(seed, "score", 63)
    assert (score.value, score.decimals) == (52.8, 1)
    split = figure(seed, "split_augmentation", 32)
    assert (split.value, split.decimals, split.text) == (90, 0, "90%")
    assert split.where == f"{TEXT}, line 32"
    assert figure(seed, "tasks[2].weighted", 24).value == 0.45
    assert figure(seed, "weighted_total", 30).value == 2.25  # the short Total row
    assert figure(seed, "barrier_total", 52).value == 0  # "0/10"
    assert figure(seed, "evidence_total", 42).value == 5
    assert figure(seed, "protective_total", 16).value == 2  # "2/9"
    assert figure(seed, "quick_screen_band", 18).value == "Yellow-to-Green boundary"
    assert figure(seed, "growth_correlation", 18).value == 1  # "+1"
    assert figure(seed, "zone", 64).value == "GREEN"
    assert figure(seed, "pct_time_score_3plus", 68).value == 30
    assert figure(seed, "growth_correlation", 69).value == 1
    assert figure(seed, "sub_label", 70).value == "Green (Transforming)"


def test_seed_gives_the_line_of_every_input(seed: Loaded) -> None:
    where = seed.extra["where_of_field"]
    assert str(where["tasks[3].score"]) == f"{TEXT}, line 25"
    assert where["evidence.wage_trends.score"] == Place(section="Evidence Score", line=39)
    assert where["growth.correlation"].line == 17
    assert where["override.justification"].line == 71


def test_crlf_line_endings_keep_line_numbers() -> None:
    text = SEED.read_text(encoding="utf-8").replace("\n", "\r\n")
    loaded = read_report(text, Path("seed.txt"))
    assert loaded.findings == []
    assert loaded.assessment == load(SEED).assessment
    assert figure(loaded, "raw", 62).text == "4.7250"


# --------------------------------------------------------------------------- variants


def test_markdown_variant_reads_as_the_seed(seed: Loaded) -> None:
    """## headings, **bold** labels and names, blank lines, extra spaces, x, *, −, –,
    +1, "20" without %, "2 / 9": the same assessment."""
    loaded = load(REPORTS / "hpc-developer-markdown.md")
    assert loaded.findings == []
    assert loaded.assessment == seed.assessment
    assert figure(loaded, "raw", 76).value == 4.725  # "3.75 x 1.20 x 1.00 x 1.05 = 4.7250"
    assert figure(loaded, "growth_modifier", 76).value == 1.05
    assert figure(loaded, "evidence_modifier", 72).value == 1.2  # "(5 * 0.04)"
    assert figure(loaded, "weighted_total", 36).value == 2.25  # "6.00 – 2.25"
    assert figure(loaded, "task_resistance", 36).value == 3.75  # "3.75 / 5.0"
    assert figure(loaded, "score", 77).value == 52.8  # "52.8 / 100" after "−"
    assert figure(loaded, "evidence_total", 49).value == 5  # "+5/10"
    assert figure(loaded, "protective_total", 21).value == 2  # "2 / 9"
    assert figure(loaded, "split_not_involved", 37).value == 5  # "5 % not involved"


def test_minimal_variant_without_optional_sections(seed: Loaded) -> None:
    loaded = load(REPORTS / "hpc-developer-minimal.txt")
    assert loaded.findings == []
    a, s = loaded.assessment, seed.assessment
    assert a is not None and s is not None
    expected = dataclasses.replace(
        s, role=dataclasses.replace(s.role, seniority_note=None), reinstatement_check="",
        growth=Growth(s.growth.correlation, s.growth.rationale), override=Override(),
        calibration=[], commentary=Commentary())
    assert a == expected


def test_twelve_tasks_with_fractional_time_shares() -> None:
    loaded = load(REPORTS / "claims-processor-twelve-tasks.txt")
    assert loaded.findings == []
    a = loaded.assessment
    assert a is not None and len(a.tasks) == 12
    written = ["7.4", "14.2", "9.2", "0.6", "8.6", "12.5", "5.3", "10.1", "8.8", "6.7", "9.9",
               "6.7"]
    assert [t.time for t in a.tasks] == [percent_to_fraction(p) for p in written]
    assert a.tasks[0].time == 0.074  # the double nearest 0.074, not 7.4 / 100
    assert [e.score for e in a.evidence.values()] == [-1, -1, 0, 0, -1]  # "−1"
    assert figure(loaded, "evidence_total", 44).value == -3
    assert figure(loaded, "split_augmentation", 35).decimals == 1
    assert figure(loaded, "pct_time_score_4plus", 70).value == 40


def test_override_variant() -> None:
    a = load(REPORTS / "hpc-developer-override.txt").assessment
    assert a is not None
    assert a.override.score == 58.0
    assert a.override.justification.startswith("the evidence understates AI-infrastructure")
    assert [p.role for p in a.calibration] == ["Compiler Engineer", "Database Engineer"]


# --------------------------------------------------------------------------- strictness


def test_broken_numbers_are_findings_at_their_lines() -> None:
    loaded = load(REPORTS / "hpc-developer-broken-numbers.txt")
    assert codes(loaded) == [
        ("AIJ-E002", "tasks[2].score", f"{TEXT}, line 24"),  # "2.5"
        ("AIJ-E002", "tasks[3].time", f"{TEXT}, line 25"),  # "abc"
        ("AIJ-E002", "tasks[4].time", f"{TEXT}, line 26"),  # "10%%"
        ("AIJ-E010", "tasks[5].class", f"{TEXT}, line 27"),  # "AUTOMATION"
        ("AIJ-E002", "raw", 'section "JobZone Composite Score (AIJRI)", line 62'),  # "4.7.250"
    ]
    a = loaded.assessment
    assert a is not None
    assert (a.tasks[2].score, a.tasks[3].time, a.tasks[4].time, a.tasks[5].task_class) == \
        (None, None, None, None)
    assert "'2.5'" in loaded.findings[0].message
    assert not any(f.field == "raw" and f.where.endswith("line 62") for f in loaded.stated)
    assert figure(loaded, "raw", 63).value == 4.725  # the score line still states it


def test_missing_required_rows() -> None:
    loaded = load(REPORTS / "hpc-developer-missing-rows.txt")
    assert codes(loaded) == [
        ("AIJ-F204", "growth.correlation",
         'section "Protective Principles + AI Growth Correlation", line 11'),
        ("AIJ-F204", "evidence.wage_trends.score", 'section "Evidence Score", line 34'),
    ]
    assert '"Wage Trends"' in loaded.findings[1].message


def test_missing_task_table() -> None:
    loaded = load(REPORTS / "hpc-developer-no-task-table.txt")
    assert codes(loaded) == [("AIJ-F204", "tasks", f"{TEXT}, line 19")]
    assert loaded.assessment is not None and loaded.assessment.tasks == []


@pytest.mark.parametrize("text", [
    "",
    "hello world\n",
    (REPORTS / "not-a-report.md").read_text(encoding="utf-8"),
])
def test_text_that_is_not_a_report(text: str) -> None:
    loaded = read_report(text, Path("notes.md"))
    assert loaded.assessment is None
    assert [f.code for f in loaded.findings] == ["AIJ-F204"]
    assert "not a published AIJRI assessment" in loaded.findings[0].message
    assert loaded.stated == []


@pytest.mark.parametrize("path", OTHER_SEEDS, ids=lambda p: p.name)
def test_other_seed_texts_are_not_reports(path: Path) -> None:
    loaded = load(path)
    assert loaded.assessment is None
    assert [(f.code, f.where) for f in loaded.findings] == [("AIJ-F204", str(path))]


def test_unknown_score_text_in_a_scored_block() -> None:
    text = SEED.read_text(encoding="utf-8").replace("| Wage Trends | 1 |", "| Wage Trends | one |")
    loaded = read_report(text, Path("r.txt"))
    assert codes(loaded) == [("AIJ-E002", "evidence.wage_trends.score",
                              'section "Evidence Score", line 39')]


@pytest.mark.parametrize(("line", "total", "band"), [
    ("Protective 2/9 + Correlation +1 = 3 (Yellow-to-Green boundary).", 3,
     "Yellow-to-Green boundary"),
    ("**Protective 2/9 + Correlation +1 = 3 — yellow-to-green boundary**", 3,
     "Yellow-to-Green boundary"),
    ("Protective 2/9 + Correlation +1 = Likely Green. Proceed.", None, "Likely Green"),
])
def test_quick_screen_line(line: str, total: int | None, band: str) -> None:
    text = _SEED_TEXT.replace(
        "Protective 2/9 + Correlation +1 = Yellow-to-Green boundary. Proceed to confirm with "
        "task analysis.", line)
    loaded = read_report(text, Path("r.txt"))
    assert loaded.findings == []
    totals = [f.value for f in loaded.stated if f.field == "quick_screen_total"]
    assert totals == ([] if total is None else [total])
    assert figure(loaded, "quick_screen_band", 18).value == band


@pytest.mark.parametrize(("written", "value", "decimals", "percent"), [
    ("1.20", "1.20", 2, False),
    ("4.7250", "4.7250", 4, False),
    ("52.8/100", "52.8", 1, False),
    ("3.75 / 5.0", "3.75", 2, False),
    ("30%", "30", 0, True),
    ("7.4 %", "7.4", 1, True),
    ("−1", "-1", 0, False),
    ("–2", "-2", 0, False),
    ("+1", "1", 0, False),
    ("**2**", "2", 0, False),
])
def test_parse_number_layout(written: str, value: str, decimals: int, percent: bool) -> None:
    number = parse_number(written)
    assert number is not None
    assert (str(number.value.normalize()), number.decimals, number.percent) == \
        (str(type(number.value)(value).normalize()), decimals, percent)


@pytest.mark.parametrize("written", ["25%%", "abc", "4.7.250", "", "1,5", "2..5", "%", "1e3"])
def test_parse_number_refuses_what_would_change_a_number(written: str) -> None:
    assert parse_number(written) is None


# --------------------------------------------------------------------------- robustness


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(_SEED_TEXT)), st.integers(0, 40),
                          st.text(alphabet="|:*#-−×x%/+. 0123456789aN\n=()—", max_size=6)),
                max_size=12))
def test_mangled_reports_never_raise(edits: list[tuple[int, int, str]]) -> None:
    text = _SEED_TEXT
    for at, cut, insert in edits:
        at = min(at, len(text))
        text = text[:at] + insert + text[at + cut:]
    loaded = read_report(text, Path("mangled.txt"))
    verification = evaluate(loaded)
    assert verification.verdict in ("PASS", "WARN", "FAIL")
    assert all(f.where for f in loaded.findings)


def test_a_wrong_weighted_cell_is_reported_even_when_the_report_cannot_be_scored() -> None:
    """The Weighted cell is checked against its own row, even when another row leaves the
    assessment impossible to score (the verifier compares it; the reader only keeps it)."""
    text = (_SEED_TEXT.replace("| 20% | 2 | 0.40 |", "| 20% | 2 | 0.50 |")
            .replace("| 10% | 3 | 0.30 |", "| 10% | x | 0.30 |"))
    loaded = read_report(text, Path("r.txt"))
    assert codes(loaded) == [("AIJ-E002", "tasks[3].score", f"{TEXT}, line 25")]
    verification = evaluate(loaded)
    assert codes(verification) == [("AIJ-E002", "tasks[3].score", f"{TEXT}, line 25"),
                                   ("AIJ-E101", "tasks[1].weighted", f"{TEXT}, line 23")]
    weighted = verification.findings[1]
    assert (weighted.expected, weighted.actual) == ("0.40", "0.50")
