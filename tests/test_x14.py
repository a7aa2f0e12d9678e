"""Excel 2010 extension conditional formats (tests/crafted_x14.py has the corpus, which
tests/test_crafted.py runs for verdict, code and place): an extension rule is read as a rule
at its cells with its inline format, a rule and its twin are one rule, and what LibreOffice
shows of the extension's data bars and icon sets is what the verifier reports."""

from __future__ import annotations

from pathlib import Path

import crafted_x14
import pytest
from crafted_display import FINAL, ZONE
from workbook_cases import printed_line, require_libreoffice

from aijri_xl import verify_file
from aijri_xl.verify.conditional_checks import _look, template_cells
from aijri_xl.workbook.layout import layout
from aijri_xl.workbook.xlsx import XlsxError, read_xlsx


@pytest.fixture(scope="module")
def example(repo_root: Path) -> bytes:
    return (repo_root / "workbooks" / "hpc-developer.xlsx").read_bytes()


def _rules_at(data, sheet: str, ref: str):
    return [cf for cf in data.sheets[sheet].conditional if ref in cf.sqref.split()]


def test_an_extension_rule_is_a_rule_at_its_cells_with_its_inline_format(example):
    data = read_xlsx(crafted_x14.CASES["x14-number-format"].build(example))
    rule = next(cf for cf in _rules_at(data, "Score", FINAL) if cf.extension)
    assert (rule.kind, rule.formulas, rule.dxf) == ("expression", ("TRUE",), None)
    assert _look(rule, data.styles.dxfs) == ('"91.0"', None, None, None)


def test_the_templates_rules_written_in_the_extension_are_the_templates(example):
    """The zone's rules moved into the extension with their formats inline read as the
    template's own rules (so an Excel save that writes them there passes)."""
    data = read_xlsx(crafted_x14.CASES["x14-template-rules-moved"].build(example))
    moved = _rules_at(data, "Score", ZONE)
    assert len(moved) == 3 and all(cf.extension and cf.dxf is None for cf in moved)
    template = read_xlsx(example)
    assert sorted(_look(cf, data.styles.dxfs) for cf in moved) == sorted(
        _look(cf, template.styles.dxfs) for cf in _rules_at(template, "Score", ZONE))
    assert template_cells(layout(), "Score")[0][("Score", ZONE)].total() == 3


def test_a_rule_and_its_twin_are_one_rule_and_one_finding(example):
    data = read_xlsx(crafted_x14.CASES["x14-bar-only-with-twin"].build(example))
    bars = [cf for cf in _rules_at(data, "Score", FINAL) if cf.kind == "dataBar"]
    assert len(bars) == 1 and bars[0].extension and bars[0].hides_value
    assert "negativeFillColor" in bars[0].detail  # the twin's settings are the rule's
    findings = [f for f in verify_file(_path(example, "x14-bar-only-with-twin")).findings
                if f.where == f"Score!{FINAL}"]
    assert sorted(f.code for f in findings) == ["AIJ-X325", "AIJ-X328"]


def _path(example: bytes, name: str, folder: Path | None = None) -> Path:
    import tempfile

    where = folder or Path(tempfile.mkdtemp(prefix="x14-"))
    path = where / f"{name}.xlsx"
    path.write_bytes(crafted_x14.CASES[name].build(example))
    return path


def test_two_extension_rules_with_one_id_are_refused(example):
    twin = crafted_x14.x14_rule("expression", "<xm:f>TRUE</xm:f>", guid=crafted_x14.GUID)
    build = crafted_x14.with_extension("Score", crafted_x14.x14_block(FINAL, twin, twin))
    with pytest.raises(XlsxError) as exc:
        read_xlsx(build(example))
    assert exc.value.code == "AIJ-F215" and "have the id" in str(exc.value)


def test_too_many_extension_rules_are_refused_before_they_are_read(example):
    from aijri_xl.workbook.limits import MAX_CONDITIONAL_RULES

    rule = crafted_x14.x14_rule("expression", "<xm:f>TRUE</xm:f>")
    build = crafted_x14.with_extension("Tasks", crafted_x14.x14_block(
        "A1", *[rule] * (MAX_CONDITIONAL_RULES + 1)))
    with pytest.raises(XlsxError) as exc:
        read_xlsx(build(example))
    assert exc.value.code == "AIJ-F205"


@pytest.mark.libreoffice
def test_libreoffice_shows_what_the_verifier_reports_of_extension_bars_and_icons(
        example, tmp_path):
    """LibreOffice (7.4 reads the extension's data bars and icon sets) prints the final
    score's row without its value where the verifier reports a bar or icon hiding it, and
    with it where the bar leaves it shown; its own save of a data bar (which writes the
    twin itself) gives the same one rule."""
    require_libreoffice()
    from aijri_xl.workbook.libreoffice import convert

    names = ("x14-icons-replace-value", "x14-bar-only-with-twin", "x14-bar-with-twin")
    paths = [_path(example, name, tmp_path) for name in names]
    for path, pdf in zip(paths, convert(paths, tmp_path / "pdf", "pdf"), strict=True):
        hidden = any(f.code == "AIJ-X325" and f.where == f"Score!{FINAL}"
                     for f in verify_file(path).findings)
        line = printed_line(pdf, "Final score")
        assert ("52.8" not in line) == hidden, (path.name, line)
    for saved in convert(paths[2:], tmp_path / "saved"):
        findings = [f for f in verify_file(saved).findings if f.where == f"Score!{FINAL}"]
        assert [f.code for f in findings] == ["AIJ-X328"], [f.message for f in findings]
