"""Conditional formats rule by rule against the template's, and numbers too wide for their
columns: the width model against ECMA-376 and XlsxWriter, formulas compared as they apply
at a cell, the findings' words, and LibreOffice (its own save passes; where the verifier
says '####', LibreOffice shows it)."""

from __future__ import annotations

from pathlib import Path

import crafted_display
import pytest
from crafted_display import FINAL, SCORE_AT, set_width
from workbook_cases import printed_line, require_libreoffice

from aijri_xl import verify_file
from aijri_xl.verify.conditional_checks import formula_at
from aijri_xl.workbook.cells import Column, SheetData, SheetFormat
from aijri_xl.workbook.colwidth import characters, column_pixels, general_shortest, pixels


@pytest.fixture(scope="module")
def example(repo_root: Path) -> bytes:
    return (repo_root / "workbooks" / "hpc-developer.xlsx").read_bytes()


def _xlsxwriter_width(chars: float) -> float:
    """What XlsxWriter stores for ``set_column(..., chars)`` (Calibri 11)."""
    px = int(chars * 12 + 0.5) if chars < 1 else int(chars * 7 + 0.5) + 5
    return (px * 256 // 7) / 256


def test_widths_follow_ecma_376_and_read_back_what_xlsxwriter_set():
    assert pixels(24.7109375, 7) == 173  # set_column("A:A", 24): 24 * 7 + 5
    for chars in (0.5, 3, 9, 10, 24, 44, 110):
        assert characters(pixels(_xlsxwriter_width(chars), 7), 7) == chars
    default = SheetData("S")
    assert column_pixels(default, 2, 7) == 64  # baseColWidth 8: 61 pixels, rounded up to 8
    assert characters(64, 7) == 8.43
    custom = SheetData("S", sheet_format=SheetFormat(default_col_width=2.5))
    assert characters(column_pixels(custom, 2, 7), 7) == 1.71
    overlapping = SheetData("S", columns=[Column(1, 3, 2.0), Column(2, 2, 20.0)])
    assert column_pixels(overlapping, 2, 7) == pixels(20.0, 7)  # the widest span counts


def test_general_falls_back_to_whole_numbers_and_one_digit_of_scientific():
    assert general_shortest(52.8) == ["5E+01", "53"]
    assert general_shortest(-0.004) == ["-4E-03", "0"]
    assert general_shortest(123456789012.0) == ["1E+11"]


def test_a_rule_is_what_it_does_at_the_cell():
    at_d6 = formula_at('AND(ISTEXT(D5),D5<>"")', "Protective", 1, 0)
    assert at_d6 == formula_at('and( IsText( Protective!$D6 ), $D6 <> "")', "Protective", 0, 0)
    assert at_d6 == formula_at("_xlfn.AND(ISTEXT('Protective'!D6),D6<>\"\")", "Protective",
                               0, 0)
    assert formula_at("$D$5=1", "Tasks", 7, 3) == formula_at("D5=1.0", "Tasks", 0, 0)
    assert formula_at('zone="GREEN"', "Summary", 0, 0) != formula_at('zone="Green"',
                                                                     "Summary", 0, 0)
    assert formula_at("Other!D5", "Summary", 0, 0) != formula_at("D5", "Summary", 0, 0)
    assert formula_at("D2", "Summary", -1, 0) == formula_at("D1", "Summary", 0, 0)
    assert formula_at("A:A", "Summary", 3, 1) == formula_at("B:B", "Summary", 0, 0)
    assert formula_at("$A:$A", "Summary", 3, 1) == formula_at("A:A", "Summary", 0, 0)
    long = "+".join(["D5"] * 400)  # longer than any template rule: compared as written
    assert formula_at(long, "Summary", 1, 0) == formula_at(long, "Summary", 0, 0)


def _messages(example: bytes, tmp_path: Path, name: str) -> list[str]:
    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(crafted_display.CASES[name].build(example))
    case = crafted_display.CASES[name]
    return [f.message for f in verify_file(path).findings if f.where == case.where]


def test_the_findings_say_what_a_person_sees(example, tmp_path):
    assert _messages(example, tmp_path, "narrowed-score-column") == [
        f"Summary!{SCORE_AT} (JobZone score) shows '####' (column B is 0.67 characters "
        "wide; '52.8' needs at least 6.1) but holds 52.8"]
    assert _messages(example, tmp_path, "general-in-narrow-column") == [
        f"Score!{FINAL} (final_score) cannot show '52.8' in full (column B is 2.29 "
        "characters wide; '52.8' needs at least 2.8): its General format shortens it to "
        "'53' or shows '####'"]
    removed = _messages(example, tmp_path, "conditional-removed")
    assert removed == ['Score!B17 (zone): the template\'s conditional format when the cell '
                       'equals "RED" (over B17) (which shows text in #9C0006, a fill of '
                       '#FFC7CE) is missing']
    changed = _messages(example, tmp_path, "conditional-changed-format")
    assert changed == ['Score!B17 (zone): the conditional format when the cell equals '
                       '"GREEN" (over B17) shows text in #9C0006, a fill of #FFC7CE; the '
                       "template's shows text in #006100, a fill of #C6EFCE"]
    added = _messages(example, tmp_path, "conditional-added-fill")
    assert added == [f"Summary!{SCORE_AT} (JobZone score): a conditional format the template "
                     f"does not have: always (its formula is TRUE) (over {SCORE_AT}), it "
                     "shows text in #006100, a fill of #C6EFCE"]


@pytest.mark.libreoffice
def test_libreoffice_saves_pass_and_its_hashes_are_where_the_verifier_says(example,
                                                                           tmp_path):
    """LibreOffice's own save of the example and of the genuine variants gives no
    conditional-format or width finding; rendered to PDF, column B of Score at several
    widths shows '###' for the final score wherever the verifier reports it (and the
    verifier, bounding fonts from below, may stay silent a little longer than LibreOffice
    shows hashes, never the other way round)."""
    require_libreoffice()
    from aijri_xl.workbook.libreoffice import convert

    genuine = []
    for name in ("conditional-reordered", "conditional-respelled-split-merged",
                 "widened-columns"):
        genuine.append(tmp_path / f"{name}.xlsx")
        genuine[-1].write_bytes(crafted_display.CASES[name].build(example))
    genuine.append(tmp_path / "example.xlsx")
    genuine[-1].write_bytes(example)
    widths = ("2.5", "3.3", "4", "24.7109375")
    swept = []
    for width in widths:
        swept.append(tmp_path / f"score-b-{width.replace('.', '_')}.xlsx")
        swept[-1].write_bytes(set_width("Score", 2, width)(example))
    for saved in convert(genuine, tmp_path / "saved"):
        v = verify_file(saved)
        assert v.verdict == "PASS", (saved.name, [(f.code, f.message) for f in v.findings])
    flagged = []
    for path, pdf in zip(swept, convert(swept, tmp_path / "pdf", "pdf"), strict=True):
        reported = any(f.code == "AIJ-X329" and f.where == f"Score!{FINAL}"
                       for f in verify_file(path).findings)
        line = printed_line(pdf, "Final score")
        hashes = "###" in line
        assert hashes or not reported, (path.name, line)
        flagged.append(reported)
    assert flagged == [True, True, False, False]  # 2.29 and 2.57 characters; 3.29; 24


def _with_rules(example: bytes, sqref: str, count: int) -> bytes:
    from crafted import edit, sub
    from tamper import sheet_part

    body = "".join(f'<conditionalFormatting sqref="{sqref}"><cfRule type="expression" '
                   f'dxfId="0" priority="{100 + i}"><formula>A1+B2=1</formula></cfRule>'
                   "</conditionalFormatting>" for i in range(count))
    return edit(example, sub(sheet_part("Tasks"), "</sheetData>", "</sheetData>" + body))


def test_rules_over_too_many_ranges_are_refused_and_a_crowded_cell_is_one_finding(
        example, tmp_path):
    from aijri_xl.workbook.limits import MAX_CONDITIONAL_AREAS

    many = tmp_path / "many-ranges.xlsx"
    many.write_bytes(_with_rules(example, " ".join(
        f"A{r}" for r in range(1, MAX_CONDITIONAL_AREAS + 2)), 1))
    v = verify_file(many)
    assert v.verdict == "FAIL" and {f.code for f in v.findings} == {"AIJ-F205"}
    assert "conditional formats over" in v.findings[0].message
    crowded = tmp_path / "crowded.xlsx"
    crowded.write_bytes(_with_rules(example, "A1:Z60", 40))
    findings = [f for f in verify_file(crowded).findings if f.where == "Tasks!C5"]
    assert [f.code for f in findings] == ["AIJ-X328"]
    assert findings[0].message == ("Tasks!C5 (task_time): 40 conditional formats cover the "
                                   "cell, the template's 0 (not compared one by one)")
