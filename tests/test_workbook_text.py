"""Text a workbook cannot hold as typed (issue 12, point 4): every control character,
a literal _xHHHH_, and every length edge, in every kind of workbook the project writes.

Each file is parsed part by part by a strict XML parser (expat through ElementTree,
which refuses what Excel would repair), loaded back by openpyxl and by the package's
reader, and the text must come back exactly."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
from openpyxl.utils.escape import unescape as xl_unescape

from aijri_xl.method.engine import AssessmentError
from aijri_xl.sources import load
from aijri_xl.workbook.reader import load_workbook
from aijri_xl.workbook.text import (
    MAX_CELL_CHARS,
    MAX_ROW_POINTS,
    CellTextError,
    check_length,
    clip,
    escape,
    unescape,
)
from aijri_xl.workbook.writer import text_height, workbook_bytes

CONTROLS = "".join(chr(c) for c in range(32) if chr(c) not in "\t\n\r")
HOSTILE = f"Role{CONTROLS}\t\n\r_x000B_ _x005F_ end\u000b"


def _strict(path: Path) -> None:
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(zf.read(name))  # raises on any malformed part


def test_escape_is_excels_and_round_trips():
    assert escape("a\u000bb") == "a_x000B_b"
    assert escape("_x000B_") == "_x005F_x000B_"
    assert escape("\t\n\r") == "\t\n_x000D_"  # a parser would turn a bare CR into LF
    for text in (HOSTILE, "_x005F_x000B_", "plain", "_x12_", "x_0041_", "__x0041__"):
        assert unescape(escape(text)) == text
    with pytest.raises(CellTextError, match="sharing an underscore"):
        check_length("a _x005F_x000B_ b", "field")


def test_length_edges():
    check_length("x" * MAX_CELL_CHARS, "field")
    with pytest.raises(CellTextError, match=r"field is 32,768 characters long"):
        check_length("x" * (MAX_CELL_CHARS + 1), "field")
    with pytest.raises(CellTextError, match="unpaired surrogate"):
        check_length("a\ud800b", "field")
    cut = clip("y" * 40_000, "message")
    assert len(cut) == MAX_CELL_CHARS and cut.endswith("a cell holds 32,767]")
    assert clip("y" * MAX_CELL_CHARS) == "y" * MAX_CELL_CHARS


def test_row_heights_stay_within_excels_limit():
    assert text_height("word " * 20_000, 40) == MAX_ROW_POINTS
    assert text_height("short", 40) == 15.0


@pytest.mark.parametrize("length", [0, 1, MAX_CELL_CHARS - len(HOSTILE), MAX_CELL_CHARS])
def test_an_assessment_with_hostile_text_builds_a_file_strict_parsers_load(
        tmp_path, worked_example, length):
    text = (HOSTILE + "z" * length)[:max(length, len(HOSTILE))]
    a = worked_example
    a.role.title = text
    a.assessor = text
    a.tasks[0].name = text
    a.commentary.timeline = text
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(workbook_bytes(a))
    _strict(path)
    # openpyxl loads it (it unescapes only _x005F_ itself, so its text is not compared
    # for the control characters; the package's reader, below, must give it back exactly)
    wb = openpyxl.load_workbook(path)
    assert wb["Role"]["B5"].value.startswith("Role")
    values = openpyxl.load_workbook(path, data_only=True)
    assert xl_unescape(values["Summary"]["B6"].value).startswith("Role\x00")
    loaded = load_workbook(path)
    assert loaded.assessment is not None
    summary = loaded.extra["workbook"].sheets["Summary"].cells["B6"]
    assert summary.formula is not None and summary.value == text
    assert loaded.assessment.role.title == text
    assert loaded.assessment.assessor == text
    assert loaded.assessment.tasks[0].name == text
    for height in (row.ht for ws in wb for row in ws.row_dimensions.values() if row.ht):
        assert height <= MAX_ROW_POINTS


def test_text_over_the_cell_limit_is_refused_naming_the_field(worked_example):
    worked_example.role.primary_function = "p" * (MAX_CELL_CHARS + 1)
    with pytest.raises(AssessmentError, match="role_primary_function is 32,768 characters"):
        workbook_bytes(worked_example)


def test_the_cli_refuses_over_long_text_without_a_traceback(tmp_path, repo_root):
    import subprocess
    import sys

    source = (repo_root / "workbooks" / "hpc-developer.yaml").read_text(encoding="utf-8")
    long_file = tmp_path / "long.yaml"
    long_file.write_text(source.replace("title: HPC Developer",
                                        "title: " + "t" * 40_000, 1), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "aijri_xl", "build", str(long_file), "-o",
                           str(tmp_path / "out.xlsx")], capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "role_title is 40,000 characters" in done.stderr
    assert not (tmp_path / "out.xlsx").exists()


def test_audits_and_registers_with_hostile_text_load_strictly(tmp_path, repo_root,
                                                            worked_example):
    from aijri_xl.registry import build_register, write_register
    from aijri_xl.verify.audit import verify_files, write_report

    a = worked_example
    a.role.title = HOSTILE
    a.assessor = HOSTILE
    source = tmp_path / "in" / "hostile.xlsx"
    source.parent.mkdir()
    source.write_bytes(workbook_bytes(a))
    reports = verify_files([source])
    audit = tmp_path / "audit.xlsx"
    write_report(reports, audit)
    _strict(audit)
    openpyxl.load_workbook(audit)
    register = tmp_path / "register.xlsx"
    write_register(build_register([source.parent]), register)
    _strict(register)
    texts = [c.value for ws in openpyxl.load_workbook(register) for row in ws.iter_rows()
             for c in row if isinstance(c.value, str)]
    assert any(t.startswith("Role_x0000_") for t in texts)
    assert load(source).assessment.role.title == HOSTILE
