"""The review commands as a user runs them: ``aijri diff``, ``aijri score --sensitivity``,
sensitivity in ``verify --json``, and annotated copies (``aijri verify --annotate``)."""

from __future__ import annotations

import importlib.util
import io
import json
import os
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from aijri_xl.verify.annotate import annotated_bytes
from aijri_xl.verify.file import verify_file
from aijri_xl.workbook.layout import SHEETS

REPO = Path(__file__).resolve().parents[1]
WORKBOOK = REPO / "workbooks" / "hpc-developer.xlsx"
YAML = REPO / "workbooks" / "hpc-developer.yaml"
REVISED = REPO / "docs" / "examples" / "hpc-developer-revised.yaml"


def aijri(*args: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-m", "aijri_xl", *map(str, args)],
                          capture_output=True, text=True, encoding="utf-8", timeout=120,
                          cwd=REPO, env=env)
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    return proc


def test_committed_revised_example_is_fresh() -> None:
    spec = importlib.util.spec_from_file_location(
        "make_diff_example", REPO / "docs" / "examples" / "make_diff_example.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert REVISED.read_text(encoding="utf-8") == module.text()


def test_diff_text_and_json() -> None:
    proc = aijri("diff", "workbooks/hpc-developer.xlsx", "docs/examples/hpc-developer-revised.yaml")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "Final score  52.8 -> 49.3   (changed)" in out
    assert "Rounding to one decimal (Excel's ROUND)" in out
    assert "[Evidence!B7 | docs/examples/hpc-developer-revised.yaml:50]" in out
    assert "Task rows: 1 inserted, 1 moved" in out
    proc = aijri("diff", WORKBOOK, REVISED, "--json")
    data = json.loads(proc.stdout)
    split = data["attribution"]
    shown = sum(Decimal(str(p["points"])) for p in split["parts"]) + \
        Decimal(str(split["rounding_residue"]["points"]))
    assert shown == Decimal("-3.5") == Decimal(str(split["change"]))
    keys = {c["key"] for c in data["changes"]}
    assert 'tasks["AI training infrastructure tuning"]' in keys
    assert {r["field"] for r in data["results"] if r["changed"]} >= {"final_score", "raw"}


def test_diff_json_places_from_a_report() -> None:
    data = json.loads(aijri("diff", "workbooks/hpc-developer.md", REVISED, "--json").stdout)
    wages = next(c for c in data["changes"] if c["key"] == "evidence.wage_trends.score")
    row = next(i for i, line in enumerate(
        (REPO / "workbooks" / "hpc-developer.md").read_text(encoding="utf-8").splitlines(), 1)
        if line.startswith("| Wage Trends |"))  # the page's mark comes first
    assert wages["old_where"] == f'section "Evidence Score", line {row}'


def test_diff_of_identical_sources_in_different_forms() -> None:
    proc = aijri("diff", YAML, "workbooks/hpc-developer.html")
    assert proc.returncode == 0
    assert "No input changed." in proc.stdout


def test_diff_writes_printable_outputs_deterministically(tmp_path: Path) -> None:
    for suffix in (".html", ".xlsx"):
        first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
        assert aijri("diff", WORKBOOK, REVISED, "-o", first).returncode == 0
        assert aijri("diff", WORKBOOK, REVISED, "-o", second).returncode == 0
        assert first.read_bytes() == second.read_bytes()
    wb = openpyxl.load_workbook(tmp_path / "a.xlsx")
    assert wb.sheetnames == ["Summary", "Changes", "Results"]
    summary = wb["Summary"]
    assert summary.page_setup.paperSize == 9 and summary.page_setup.orientation == "landscape"
    labels = [summary.cell(r, 1).value for r in range(1, summary.max_row + 1)]
    assert "Rounding to one decimal (Excel's ROUND)" in labels
    page = (tmp_path / "a.html").read_text(encoding="utf-8")
    assert "<del>Not</del>" in page and "@page { size: A4 landscape" in page


def test_diff_errors_are_messages(tmp_path: Path) -> None:
    proc = aijri("diff", WORKBOOK, tmp_path / "missing.yaml")
    assert proc.returncode == 1 and "no such file" in proc.stderr
    proc = aijri("diff", WORKBOOK, REVISED, "-o", tmp_path / "out.pdf")
    assert proc.returncode == 2 and ".html or .xlsx" in proc.stderr


def test_score_sensitivity() -> None:
    proc = aijri("score", YAML, "--sensitivity")
    assert proc.returncode == 0
    assert "4.8 points above the GREEN threshold (48)" in proc.stdout
    data = json.loads(aijri("score", WORKBOOK, "--sensitivity", "--json").stdout)
    assert data["final_score"] == 52.8
    green = next(b for b in data["sensitivity"]["boundaries"] if b["parameter"] == "GREEN_MIN")
    assert green["points"] == 4.8


def test_verify_json_carries_sensitivity() -> None:
    data = json.loads(aijri("verify", "--json", WORKBOOK, "workbooks/hpc-developer.md").stdout)
    assert [d["sensitivity"]["boundaries"][0]["points"] for d in data] == [4.8, 4.8]


# ---------------------------------------------------------------------------------------
# Annotated copies


def _tampered(tmp_path: Path) -> Path:
    sys.path.insert(0, str(Path(__file__).parent))
    import tamper

    raw = WORKBOOK.read_bytes()
    bad = tamper.set_value(raw, "Evidence", "B7", 3)
    bad = tamper.replace_formula_by_its_value(bad, "Score", "B16")
    bad = tamper.set_value(bad, "Tasks", "D6", 4)
    folder = tmp_path / "submitted"
    folder.mkdir()
    (folder / "tampered.xlsx").write_bytes(bad)
    (folder / "honest.xlsx").write_bytes(raw)
    return folder


def test_annotate_writes_marked_copies_and_leaves_originals(tmp_path: Path) -> None:
    folder = _tampered(tmp_path)
    original = folder / "tampered.xlsx"
    os.utime(original, (1_700_000_000, 1_700_000_000))
    before = (original.read_bytes(), original.stat().st_mtime_ns)
    out = tmp_path / "annotated"
    proc = aijri("verify", folder, "--annotate", out)
    assert proc.returncode == 1  # the tampered workbook fails
    assert (original.read_bytes(), original.stat().st_mtime_ns) == before
    assert sorted(p.name for p in out.iterdir()) == ["tampered-annotated.xlsx"]
    copy = out / "tampered-annotated.xlsx"
    wb = openpyxl.load_workbook(copy)
    findings = verify_file(original).findings
    for f in findings:
        sheet, cell = (f.where or "").split("!")
        comment = wb[sheet][cell].comment
        assert comment is not None and f.code in comment.text
        assert wb[sheet][cell].fill.fgColor.rgb in ("FFFFC7CE", "FFFFEB9C")
    sheet = wb["Findings"]
    links = {sheet.cell(r, 3).hyperlink.location for r in range(2, 2 + len(findings))}
    places = {tuple((f.where or "").split("!")) for f in findings}
    assert links == {f"'{sheet}'!{cell}" for sheet, cell in places}
    assert {"'Evidence'!B7", "'Score'!B16", "'Tasks'!F6"} <= links  # the three tampered cells
    assert wb.custom_doc_props["aijri_annotated"].value.startswith("annotated copy of")
    # the copy never verifies PASS, and says why with its own code
    v = verify_file(copy)
    assert v.verdict == "FAIL" and "AIJ-X310" in {f.code for f in v.findings}
    # every part the annotation does not touch keeps its bytes (cached values included)
    with zipfile.ZipFile(original) as a, zipfile.ZipFile(copy) as b:
        annotated = {SHEETS.index(sheet) + 1 for sheet, _ in places}
        touched = {"xl/styles.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                   "[Content_Types].xml", "docProps/custom.xml"}
        touched |= {f"xl/worksheets/sheet{i}.xml" for i in annotated}
        touched |= {f"xl/worksheets/_rels/sheet{i}.xml.rels" for i in annotated}
        for name in a.namelist():
            if name not in touched:
                assert a.read(name) == b.read(name), name


def test_an_honest_workbook_annotated_does_not_pass(tmp_path: Path) -> None:
    raw = WORKBOOK.read_bytes()
    finding = {"code": "AIJ-W021", "severity": "warning", "where": "override_score",
               "field": "override.score", "message": "a reviewer's note"}
    copy = tmp_path / "copy.xlsx"
    copy.write_bytes(annotated_bytes(raw, [finding], "hpc-developer.xlsx"))
    assert verify_file(WORKBOOK).verdict == "PASS"
    v = verify_file(copy)
    assert [f.code for f in v.findings if f.severity != "info"] == ["AIJ-X310"]
    wb = openpyxl.load_workbook(copy)
    assert "AIJ-W021" in wb["Score"]["B13"].comment.text  # the name's cell
    assert annotated_bytes(raw, [finding], "hpc-developer.xlsx") == copy.read_bytes()


def test_nothing_to_annotate(tmp_path: Path) -> None:
    proc = aijri("verify", WORKBOOK, "--annotate", tmp_path / "out")
    assert proc.returncode == 0 and "nothing to annotate" in proc.stderr


@pytest.mark.libreoffice
def test_libreoffice_reads_the_comments_at_their_cells(tmp_path: Path) -> None:
    from workbook_cases import require_libreoffice

    from aijri_xl.workbook.libreoffice import convert

    require_libreoffice()
    folder = _tampered(tmp_path)
    findings = [f.to_dict() for f in verify_file(folder / "tampered.xlsx").findings]
    copy = tmp_path / "shown.xlsx"
    copy.write_bytes(annotated_bytes((folder / "tampered.xlsx").read_bytes(), findings,
                                     "tampered.xlsx", show_comments=True))
    saved = convert([copy], tmp_path / "lo", "xlsx")[0]
    wb = openpyxl.load_workbook(io.BytesIO(saved.read_bytes()))
    assert "AIJ-E003" in wb["Evidence"]["B7"].comment.text
    assert "AIJ-X305" in wb["Score"]["B16"].comment.text
    assert "AIJ-W020" in wb["Tasks"]["F6"].comment.text
    pdf = convert([copy], tmp_path / "pdf", "pdf")[0]
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "AIJ-E003" in text and "Annotated copy of tampered.xlsx" in text


def test_the_page_shows_how_close_the_result_is_and_still_reads_back() -> None:
    import aijri_xl
    from aijri_xl.analytics.sensitivity import sensitivity

    a = aijri_xl.load(YAML).assessment
    assert a is not None
    page = aijri_xl.publish(a, "html")
    assert page == (REPO / "workbooks" / "hpc-developer.html").read_text(encoding="utf-8")
    assert "<h2>How close to another zone</h2>" in page
    assert "4.8 points above the GREEN threshold (48)" in page
    first = sensitivity(a).zone_changes[0]
    assert f'{first.final_score:.1f}</td><td>{first.sub_label}' in page
    assert aijri_xl.publish(a) == (REPO / "workbooks" / "hpc-developer.md").read_text(
        encoding="utf-8")
    assert verify_file(REPO / "workbooks" / "hpc-developer.html").verdict == "PASS"


def _block_after(readme: str, marker: str) -> str:
    start = readme.index("```text\n", readme.index(marker)) + len("```text\n")
    return readme[start:readme.index("```\n", start)]


def test_readme_examples_are_real_output() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    diff_out = aijri("diff", "workbooks/hpc-developer.xlsx",
                     "docs/examples/hpc-developer-revised.yaml").stdout
    assert _block_after(readme, "(`aijri diff workbooks/hpc-developer.xlsx") == diff_out
    sensitivity_out = aijri("score", "workbooks/hpc-developer.yaml", "--sensitivity").stdout
    block = _block_after(readme, "--sensitivity`, after the composite table)")
    assert block.startswith("Final score 52.8") and sensitivity_out.endswith(block)
    assert (REPO / "docs" / "img" / "annotated.png").is_file()
