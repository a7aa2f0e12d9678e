"""The crafted corpus (tests/crafted.py, crafted_display.py, crafted_x14.py, crafted_eval.py):
every case gets its verdict, its code and its place; the display cases agree with what
LibreOffice shows;
workbooks that other programs wrote (Excel-saved files from XlsxWriter's test suite) never
crash and never pass."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import crafted
import crafted_display
import crafted_eval
import crafted_x14
import pytest
from workbook_cases import require_libreoffice

from aijri_xl import verify_file
from aijri_xl.workbook.layout import SHEETS
from aijri_xl.workbook.numfmt import render
from aijri_xl.workbook.xlsx import XlsxError, read_xlsx

CASES = {**crafted.CASES, **crafted_display.CASES, **crafted_x14.CASES,
         **crafted_eval.CASES}


@pytest.fixture(scope="module")
def example(repo_root: Path) -> bytes:
    return (repo_root / "workbooks" / "hpc-developer.xlsx").read_bytes()


@pytest.fixture(scope="module")
def corpus(example: bytes, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("crafted")
    out = {}
    for name, case in CASES.items():
        path = folder / f"{name}.xlsx"
        path.write_bytes(case.build(example))
        out[name] = path
    return out


@pytest.mark.parametrize("name", list(CASES))
def test_each_crafted_case_gets_its_verdict_code_and_place(corpus, name):
    case = CASES[name]
    v = verify_file(corpus[name])
    codes = {f.code for f in v.findings}
    assert v.verdict == case.verdict, [(f.code, f.where, f.message) for f in v.findings]
    assert case.codes <= codes, [(f.code, f.where, f.message) for f in v.findings]
    if case.verdict == "PASS":
        assert v.result is not None and v.result.score == 52.8
    if case.where is not None and case.codes:
        placed = {f.code for f in v.findings if f.where == case.where or
                  (f.where and case.where in f.message)}
        assert case.codes & placed, [(f.code, f.where) for f in v.findings]
    if case.shows is not None and case.verdict == "FAIL":
        assert any(f"shows {case.shows!r}" in f.message for f in v.findings if
                   f.where == case.where)


def test_a_decoy_string_table_is_not_read(corpus):
    v = verify_file(corpus["strings-elsewhere-decoy"])
    assert v.loaded is not None and v.loaded.assessment is not None
    assert v.loaded.assessment.role.title == "HPC Developer"


def test_an_iso_date_cell_is_the_assessment_date(corpus):
    v = verify_file(corpus["iso-date-cell"])
    assert v.loaded is not None and v.loaded.assessment is not None
    assert str(v.loaded.assessment.assessment_date) == "2026-02-14"


def test_the_display_matches_what_libreoffice_shows(corpus, tmp_path):
    """LibreOffice converts every display case to CSV (one sheet each, the displayed text
    of each cell); at the case's cell it shows what the verifier says is shown, and at
    every result cell of the genuine workbook it shows what the template shows."""
    soffice = require_libreoffice()
    import subprocess

    from aijri_xl.workbook.layout import layout

    display = {n: c for n, c in CASES.items() if c.shows is not None}
    out = tmp_path / "csv"
    out.mkdir()
    jobs = [(name, display[name].where.split("!")[0]) for name in display]
    jobs += [("zip64", sheet) for sheet in ("Summary", "Tasks", "Score")]
    # one conversion per sheet that holds a checked cell, every file in one call
    for sheet in sorted({s for _, s in jobs}):
        files = sorted({str(corpus[n]) for n, s in jobs if s == sheet})
        index = SHEETS.index(sheet) + 1
        subprocess.run([soffice, "--headless", "--norestore", "--convert-to",
                        f'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,'
                        f'false,{index}', "--outdir", str(out / sheet), *files],
                       check=True, capture_output=True, timeout=300)
    for name, sheet in jobs:
        text = (out / sheet / f"{name}-{sheet}.csv").read_text("utf-8") \
            if (out / sheet / f"{name}-{sheet}.csv").exists() else \
            (out / sheet / f"{name}.csv").read_text("utf-8")
        rows = list(csv.reader(io.StringIO(text)))

        def shown(ref: str, rows: list[list[str]] = rows) -> str:
            col = ord(ref[0]) - 65
            row = int(ref[1:]) - 1
            return rows[row][col] if row < len(rows) and col < len(rows[row]) else ""
        if name in display:
            ref = display[name].where.split("!")[1]
            assert shown(ref) == display[name].shows, (name, shown(ref))
        else:  # a genuine workbook: every contract cell of the sheet shows what we render
            data = read_xlsx(corpus[name])
            checked = 0
            for c in layout().cells:
                if c.sheet != sheet or ":" in c.ref:
                    continue
                cell = data.cell(sheet, c.ref)
                if cell.value in (None, ""):
                    continue
                text, _ = render(data.styles.of(cell.style).fmt, cell.value)
                assert shown(c.ref) == text, (c.ref, shown(c.ref), text)
                checked += 1
            assert checked >= 10, (sheet, checked)


EXCEL_FILES = sorted((Path(__file__).parent / "data" / "excel").glob("*.xls*"))


@pytest.mark.parametrize("path", EXCEL_FILES, ids=lambda p: p.name)
def test_workbooks_other_programs_wrote_never_crash_and_never_pass(path):
    v = verify_file(path)
    assert v.verdict == "FAIL"
    assert all(f.code != "AIJ-F202" or "could not be verified" not in f.message
               for f in v.findings)
    assert {f.code for f in v.findings} & {"AIJ-X301", "AIJ-X309", "AIJ-X308", "AIJ-F207"}


def test_a_part_is_read_in_memory_bounded_by_the_limits_not_by_its_size(example):
    """A worksheet of 12 MB (comments after its data, so it stays a valid sheet) is
    inflated and parsed a chunk at a time: reading it never holds the part. A part of a
    million elements, and one comment of 12 MB (a parser holds a comment whole), are
    refused as soon as they pass their bounds (what was built by then is bounded by the
    element limit: the million elements sit where conditional formats are read)."""
    import random
    import string
    import tracemalloc

    from crafted import edit, million_elements, sub
    from tamper import sheet_part

    rng = random.Random(3)
    letters = "".join(rng.choices(string.ascii_letters, k=12 * 1024 * 1024))
    comments = "".join(f"<!--{letters[i:i + 1000]}-->" for i in range(0, len(letters), 1000))
    big = edit(example, sub(sheet_part("Commentary"), "</worksheet>",
                            "</worksheet>" + comments))
    one_comment = edit(example, sub(sheet_part("Commentary"), "</worksheet>",
                                    f"</worksheet><!--{letters}-->"))
    bomb = million_elements(example)
    for data, refused, bound in ((big, False, 3), (one_comment, True, 3), (bomb, True, 8)):
        tracemalloc.start()
        try:
            try:
                read_xlsx(data)
                outcome = False
            except XlsxError as exc:
                outcome = exc.code == "AIJ-F205"
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert outcome == refused
        assert peak < bound * 1024 * 1024, peak  # the big part alone is 12 MB
