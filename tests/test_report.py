"""The published assessment: the house format written from any source, read back
unchanged, and verified.

The round trip is checked over the worked example, every catalogue role with generated
scores, 150 seeded random assessments and Hypothesis-drawn assessments with arbitrary
text, byte for byte.
"""

from __future__ import annotations

import hashlib
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from strategies import assessments, build
from workbook_cases import score_randomly

from aijri_xl import catalogue
from aijri_xl.catalogue.samples import random_assessments
from aijri_xl.house import builder as report
from aijri_xl.house import page as html_page
from aijri_xl.house import publish as publishing
from aijri_xl.house.reader import read_report
from aijri_xl.method.codec import assessment_to_data
from aijri_xl.method.engine import AssessmentError, score
from aijri_xl.method.model import Assessment, CalibrationPeer, Commentary, Growth, Override
from aijri_xl.sources import load, read_page
from aijri_xl.styles import ZONE_STYLES
from aijri_xl.verify.file import evaluate
from aijri_xl.workbook.writer import write_workbook

ALLOWED_WARNINGS = {"AIJ-W020", "AIJ-W021", "AIJ-W022"}
"""Warnings an assessment may carry on its own (off-default class, large override,
duplicate task name); a report adds none."""


def read_back(text: str, name: str = "report.md") -> tuple[Assessment, object]:
    loaded = read_report(text, Path(name))
    assert loaded.assessment is not None, [f.message for f in loaded.findings]
    return loaded.assessment, evaluate(loaded)


def assert_round_trip(a: Assessment) -> str:
    """Write, read back, write again: the same assessment, the same bytes, and the
    report verifies with no finding of its own; the same for the HTML page."""
    text = report.markdown(a)
    page = html_page.html(a)
    expected = assessment_to_data(report.publishable(a))
    for back, verification, again, written in (
            (*read_back(text), report.markdown, text),
            (*read_page_back(page), html_page.html, page)):
        assert assessment_to_data(back) == expected
        assert again(back) == written
        problems = [(f.code, f.where, f.message) for f in verification.findings
                    if f.severity == "error" or (f.severity == "warning"
                                                 and f.code not in ALLOWED_WARNINGS)]
        assert problems == []
        assert verification.result == score(report.publishable(a))
    return text


def read_page_back(page: str) -> tuple[Assessment, object]:
    loaded = read_page(page, Path("page.html"))
    assert loaded.assessment is not None, [f.message for f in loaded.findings]
    return loaded.assessment, evaluate(loaded)


def seed_text(seeds_dir: Path) -> str:
    return next((seeds_dir).glob("000_*.txt")).read_text(encoding="utf-8")


def non_blank_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# ---------------------------------------------------------------------------------------
# The worked example


def test_worked_example_differs_from_the_seed_only_in_the_split(repo_root, seeds_dir):
    ours = non_blank_lines(report.markdown(load(repo_root / "workbooks" /
                                                "hpc-developer.yaml").assessment))
    seed = non_blank_lines(seed_text(seeds_dir))
    assert ours[0] == report.MD_MARK  # the mark of a page aijri wrote, then the seed's lines
    ours = ours[1:]
    assert len(ours) == len(seed)
    differ = [(o, s) for o, s in zip(ours, seed, strict=True) if o != s]
    assert differ == [(
        "Displacement/Augmentation split: 0% displacement, 95% augmentation, "
        "5% not involved.",
        "Displacement/Augmentation split: 0% displacement, 90% augmentation, "
        "10% not involved.")]


def test_worked_example_figures_are_formatted_as_the_house_format(worked_example):
    text = report.markdown(worked_example)
    for expected in ("| Task Resistance Score | 3.75/5.0 |",
                     "| Evidence Modifier | 1.0 + (5 × 0.04) = 1.20 |",
                     "| Barrier Modifier | 1.0 + (0 × 0.02) = 1.00 |",
                     "| Growth Modifier | 1.0 + (1 × 0.05) = 1.05 |",
                     "Raw: 3.75 × 1.20 × 1.00 × 1.05 = 4.7250",
                     "JobZone Score: (4.7250 - 0.54) / 7.93 × 100 = 52.8/100",
                     "Zone: GREEN (Green ≥48, Yellow 25-47, Red <25)",
                     "| Sub-label | Green (Transforming) — ≥20% task time scores 3+ |",
                     "| Total | 100% | 2.25 |", "| Protective Total | 2/9 | |"):
        assert expected in text.splitlines()


def test_worked_example_round_trips_from_every_source(repo_root, seeds_dir, tmp_path):
    yaml_path = repo_root / "workbooks" / "hpc-developer.yaml"
    text = assert_round_trip(load(yaml_path).assessment)
    # The committed workbook, and the seed itself (its split is recomputed), publish the
    # same text.
    assert report.markdown(load(repo_root / "workbooks" / "hpc-developer.xlsx")
                           .assessment) == text
    seed = next((seeds_dir).glob("000_*.txt"))
    assert report.markdown(load(seed).assessment) == text
    # And a workbook built from the published report publishes it again.
    published = tmp_path / "hpc.md"
    published.write_text(text, encoding="utf-8")
    write_workbook(load(published).assessment, tmp_path / "hpc.xlsx")
    assert report.markdown(load(tmp_path / "hpc.xlsx").assessment) == text


def test_the_committed_report_of_the_worked_example_verifies(repo_root):
    path = repo_root / "workbooks" / "hpc-developer.md"
    v = evaluate(load(path))
    assert v.verdict == "PASS", [f.message for f in v.findings]
    assert v.result.final_score == 52.8


# ---------------------------------------------------------------------------------------
# Round trips at scale


@pytest.mark.parametrize("role_id", [r.id for r in catalogue.roles()])
def test_every_catalogue_role_round_trips_with_generated_scores(role_id):
    rng = random.Random(role_id)
    for _ in range(3):
        a = catalogue.draft_assessment(role_id)
        score_randomly(a, rng)
        a.assessor, a.assessment_date = "A. Assessor", "2026-11-21"
        assert_round_trip(a)


def test_150_random_assessments_round_trip_byte_for_byte():
    seen_zones, seen_overrides = set(), 0
    for a in random_assessments(150, seed=61):
        assert report.publishable(a).role.id is not None
        assert_round_trip(a)
        r = score(a)
        seen_zones.add(r.zone)
        seen_overrides += r.override is not None
    assert seen_zones == {"GREEN", "YELLOW", "RED"}
    assert seen_overrides >= 10


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(assessments())
def test_any_text_round_trips(a):
    """Arbitrary Unicode in every text field (pipes, backslashes, Markdown, lines that
    look like labels or headings, blank lines) survives the trip."""
    assert_round_trip(a)


def test_publishable_is_idempotent_and_keeps_clean_text(worked_example):
    assert assessment_to_data(report.publishable(worked_example)) == \
        assessment_to_data(worked_example)
    messy = build([("100", 2)])
    messy.commentary = Commentary(timeline="  first  \r\nsecond\t\n\n\n", survival_strategy="\n")
    once = report.publishable(messy)
    assert once.commentary.timeline == "first\nsecond"
    assert once.commentary.survival_strategy == ""
    assert assessment_to_data(report.publishable(once)) == assessment_to_data(once)


# ---------------------------------------------------------------------------------------
# Text that would read as layout


def tricky() -> Assessment:
    a = build([("50", 2), ("30", 3), ("20", 4)], growth=1, growth_check=1)
    a.tasks[0].name = "Total"
    a.tasks[1].name = "**Bold** name"
    a.tasks[2].name = "pipes | and \\ backslash <br> literal"
    a.tasks[0].rationale = "line one\nline two | with a pipe\n\nafter a blank line"
    a.commentary = Commentary(
        score_vs_reality="Zone: RED\nTimeline\n| not a table |\n\\ leading backslash\n"
                         "   indented",
        survival_strategy="- one\n- two",
        timeline="Evidence Score: none\nsecond line")
    a.growth = Growth(1, "rationale", 1, "Kept the same after review.")
    a.override = Override(None, "No override. Peers: Compiler Engineer (51.6).")
    a.calibration = [CalibrationPeer("Database Engineer", 55.2)]
    return a


def test_text_that_looks_like_layout_is_escaped_and_read_back():
    a = tricky()
    text = assert_round_trip(a)
    lines = text.splitlines()
    assert "\\Zone: RED" in lines and "\\Timeline" in lines and "\\| not a table |" in lines
    assert "\\\\ leading backslash" in lines and "\\   indented" in lines
    assert "| Total | 50% | 2 | 1.00 | AUGMENTATION | line one<br>line two \\| with a pipe" \
           "<br><br>after a blank line |" in lines
    assert any(line.startswith("| \\**Bold** name |") for line in lines)
    assert any(line.startswith("| pipes \\| and \\\\ backslash \\<br> literal |")
               for line in lines)
    # The growth check is not in the text, so it is stated; the peer list differs from the
    # peers the override names, so it is listed.
    assert "Growth check: +1" in lines
    assert "Calibration peers: Database Engineer (55.2)" in lines


def test_the_override_and_its_final_score_are_published():
    a = build([("100", 3)], override=72.4, justification="Strong local demand.")
    text = assert_round_trip(a)
    r = score(a)
    assert "Final JobZone Score: 72.4/100 (assessor override)" in text
    assert "Assessor override: 72.4 — Strong local demand." in text
    assert r.zone == "GREEN" and f"Zone: {r.zone} (" in text
    _, verification = read_back(text)
    assert verification.verdict == "WARN"  # more than 10 points from the formula score
    assert {f.code for f in verification.findings if f.severity == "warning"} == {"AIJ-W021"}


def test_yellow_and_red_state_the_share_scoring_4_plus():
    yellow = build([("60", 4), ("40", 2)])
    red = build([("100", 5)], evidence=(-2,) * 5, growth=-2)
    assert score(yellow).zone == "YELLOW" and score(red).zone == "RED"
    for a in (yellow, red):
        text = assert_round_trip(a)
        assert "| % of task time scoring 4+ |" in text
        assert "| % of task time scoring 3+ |" not in text


def test_an_assessment_that_cannot_be_scored_is_not_published():
    draft = catalogue.draft_assessment("hpc-developer")
    with pytest.raises(AssessmentError) as caught:
        report.markdown(draft)
    assert any(f.field == "tasks[0].score" for f in caught.value.findings)


# ---------------------------------------------------------------------------------------
# HTML


def test_html_is_one_self_contained_page(worked_example):
    page = html_page.html(worked_example)
    assert page.startswith("<!DOCTYPE html>") and page.endswith("</html>\n")
    assert "<script" not in page and "<link" not in page and "@import" not in page
    urls = set(re.findall(r"(?:https?:)?//[^\s\"')]+", page))
    assert urls == {"http://www.w3.org/2000/svg"}  # the SVG namespace, never fetched
    assert ZONE_STYLES["GREEN"][0] in page
    assert "@media print" in page and "@page" in page
    assert page == html_page.html(worked_example)


def test_html_chart_shows_task_time_by_score(worked_example):
    assert html_page.time_by_score(worked_example) == {1: 5.0, 2: 65.0, 3: 30.0, 4: 0.0,
                                                    5: 0.0}
    svg = html_page.chart_svg(worked_example)
    assert svg.count("<rect") == 5
    for label in ("score 1: 5% of task time", "score 2: 65% of task time",
                  "score 3: 30% of task time"):
        assert label in svg


def test_html_carries_every_text_escaped():
    a = tricky()
    a.commentary.what_this_means = "<script>alert(1)</script> & more"
    page = html_page.html(a)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
    assert "pipes | and \\ backslash &lt;br&gt; literal" in page
    assert "line one<br>line two | with a pipe<br><br>after a blank line" in page
    assert "<li>one</li><li>two</li>" in page


def test_a_page_edited_by_hand_does_not_verify(worked_example):
    """The page's header figures are checked like the text's: a better score typed into
    the badge, or a changed task score, is caught at its place."""
    page = html_page.html(worked_example)
    badge = page.replace('data-house="Final JobZone Score">52.8<',
                         'data-house="Final JobZone Score">61.3<')
    assert badge != page
    _, verification = read_page_back(badge)
    assert verification.verdict == "FAIL"
    assert [(f.code, f.where, f.field) for f in verification.findings] == [
        ("AIJ-E101", "the page header", "final_score")]
    task = page.replace("<td>Design discussions &amp; architecture decisions</td>"
                        '<td class="num">5%</td><td class="num">1</td>',
                        "<td>Design discussions &amp; architecture decisions</td>"
                        '<td class="num">5%</td><td class="num">4</td>')
    assert task != page
    _, verification = read_page_back(task)
    assert verification.verdict == "FAIL"
    assert {f.where for f in verification.findings} >= {
        'section "Task Decomposition (Agentic AI Scoring)"', "the page header"}


def test_a_page_not_written_by_aijri_is_not_read(tmp_path):
    page = tmp_path / "notes.html"
    page.write_text("<html><body><h2>Role Definition</h2><p>notes</p></body></html>",
                    encoding="utf-8")
    loaded = load(page)
    assert loaded.assessment is None
    assert [f.code for f in loaded.findings] == ["AIJ-F204"]


def test_html_states_the_same_figures_as_the_text(worked_example):
    page = html_page.html(worked_example)
    for figure in ("3.75/5.0", "1.0 + (5 × 0.04) = 1.20", "4.7250", "52.8/100",
                   "GREEN (Green ≥48, Yellow 25-47, Red &lt;25)",
                   "Green (Transforming) — ≥20% task time scores 3+"):
        assert figure in page


def test_reports_are_deterministic(worked_example):
    digests = {hashlib.sha256(publishing.publish(worked_example, f).encode()).hexdigest()
               for f in ("md", "html") for _ in range(2)}
    assert len(digests) == 2
    with pytest.raises(ValueError, match="unknown report format"):
        publishing.publish(worked_example, "pdf")


# ---------------------------------------------------------------------------------------
# The command


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def aijri(*args: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "aijri_xl", *args], capture_output=True,
                          text=True, encoding="utf-8", timeout=120)
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    return proc


def test_cli_writes_the_report_of_every_kind_of_source(repo_root, seeds_dir,
                                                       tmp_path):
    committed = (repo_root / "workbooks" / "hpc-developer.md").read_bytes()
    seed = next((seeds_dir).glob("000_*.txt"))
    sources = [repo_root / "workbooks" / "hpc-developer.yaml",
               repo_root / "workbooks" / "hpc-developer.xlsx", seed]
    before = {p: digest(p) for p in sources}
    for i, source in enumerate(sources):
        out = tmp_path / f"r{i}.md"
        run = aijri("report", str(source), "-o", str(out))
        assert run.returncode == 0, run.stderr
        assert run.stdout == f"wrote {out}: HPC Developer, 52.8 GREEN, Green (Transforming)\n"
        if source != seed:
            assert out.read_bytes() == committed
            continue
        # The seed states a split its tasks do not give: published with the method's
        # figure, the disagreement shown, and a notice at the top of the page.
        assert "does not verify" in run.stderr and "AIJ-E101" in run.stderr
        notice = f"> **{report.notice_text(2)}**"
        assert "(2 error findings)" in notice
        lines = out.read_text(encoding="utf-8").split("\n")
        assert lines[0] == report.MD_MARK and lines[1] == notice
        assert "\n".join(lines[:1] + lines[2:]).encode("utf-8") == committed
        # the reader reads such a page back: it verifies, being the method's own figures
        assert evaluate(load(out)).verdict == "PASS"
        page = tmp_path / "seed.html"
        assert aijri("report", str(seed), "-o", str(page)).returncode == 0
        text = page.read_text(encoding="utf-8")
        assert text.index('<div class="notice" role="alert">') < text.index("<header>")
        assert "(2 error findings)" in text and evaluate(load(page)).verdict == "PASS"
    strict = aijri("report", str(seed), "--strict", "-o", str(tmp_path / "strict.md"))
    assert strict.returncode == 1 and not (tmp_path / "strict.md").exists()
    assert {p: digest(p) for p in sources} == before


def test_cli_format_follows_the_output_or_the_option(repo_root, tmp_path):
    source = str(repo_root / "workbooks" / "hpc-developer.yaml")
    page = tmp_path / "hpc.html"
    assert aijri("report", source, "-o", str(page)).returncode == 0
    assert page.read_bytes() == (repo_root / "workbooks" / "hpc-developer.html").read_bytes()
    to_stdout = aijri("report", source, "--format", "html")
    assert to_stdout.returncode == 0 and to_stdout.stdout == page.read_text(encoding="utf-8")
    assert aijri("report", source).stdout == \
        (repo_root / "workbooks" / "hpc-developer.md").read_text(encoding="utf-8")
    clash = aijri("report", source, "--format", "md", "-o", str(tmp_path / "x.html"))
    assert clash.returncode == 2 and "does not match" in clash.stderr
    bad_suffix = aijri("report", source, "-o", str(tmp_path / "x.pdf"))
    assert bad_suffix.returncode == 2 and "must end in" in bad_suffix.stderr


def test_cli_refuses_what_it_cannot_publish(repo_root, tmp_path):
    template = repo_root / "templates" / "hpc-developer.xlsx"
    run = aijri("report", str(template), "-o", str(tmp_path / "t.md"))
    assert run.returncode == 1 and not (tmp_path / "t.md").exists()
    assert "cannot be scored" in run.stderr and "Protective!B5" in run.stderr
    published = tmp_path / "published.md"
    published.write_bytes((repo_root / "workbooks" / "hpc-developer.md").read_bytes())
    before = digest(published)
    same = aijri("report", str(published), "-o", str(published))
    assert same.returncode == 2 and "is one of the inputs being read" in same.stderr
    assert digest(published) == before
    missing = aijri("report", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 1 and "no such file" in missing.stderr
    for run in (same, missing):
        assert "Traceback" not in run.stderr


def test_the_readme_shows_the_report_of_the_worked_example(repo_root):
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    committed = (repo_root / "workbooks" / "hpc-developer.md").read_text(encoding="utf-8")
    assert f"````text\n{committed.rstrip()}\n````" in readme
    assert "docs/img/register-summary.png" in readme and "docs/img/report-html.png" in readme
    for picture in ("register-summary.png", "report-html.png"):
        assert (repo_root / "docs" / "img" / picture).stat().st_size > 10_000


def test_raw_html_and_nul_in_text_are_escaped_in_md_as_in_html(worked_example):
    """No tag of an assessment's text reaches a Markdown renderer, and NUL becomes U+FFFD
    in both forms; both read back to the same assessment and the same bytes."""
    a = worked_example
    a.reinstatement_check = "Uses <script>alert(1)</script>, a NUL \x00, \\<b>x</b>, <25 & <br>"
    a.tasks[0].rationale = "cell <img src=x onerror=alert(1)> \\<i> <br> \x00"
    a.commentary.timeline = "<b>bold</b> first\n<p>second"
    md = report.markdown(a)
    page = html_page.html(a)
    assert "\x00" not in md and "\x00" not in page
    assert "<script>" not in page and "<img" not in page and "<b>bold" not in page
    # in the house format, every tag start carries its escape: Markdown shows it as text
    assert re.search(r"(?<!\\)<(?:script|/script|img|b>|/b>|i>|p>|br>)", md) is None
    assert "<25" in md  # not a tag: left as written
    expected = report.publishable(a)
    assert expected.reinstatement_check.count("\ufffd") == 1
    for back in (read_report(md, Path("r.md")).assessment,
                 read_page_back(page)[0]):
        assert back.reinstatement_check == expected.reinstatement_check
        assert back.tasks[0].rationale == expected.tasks[0].rationale
        assert back.commentary.timeline == expected.commentary.timeline
    assert report.markdown(read_report(md, Path("r.md")).assessment) == md
    assert html_page.html(read_page_back(page)[0]) == page
