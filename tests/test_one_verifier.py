"""One verifier: the in-Excel "Verify this workbook" script and ``aijri verify`` report the
same findings, code for code and cell for cell, on the whole tamper corpus and on every
consistency rule (issue 10, point 4).

The script runs as xlwings Server and Lite run it (``custom_scripts_call`` on xlwings'
remote Book, built from the payload the Office.js client sends for the workbook open in
Excel: its cells' cached values and its range names). ``aijri verify`` reads the file.
What only the file shows (formulas, macros: ``NEEDS_THE_FILE``) is the one difference
allowed, and it is checked to be exactly that.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rule_corpus
import tamper
from office_js import office_js, payload_from_xlsx, run_script, written_table

from aijri_xl import verify_file
from aijri_xl.excel.book import NEEDS_THE_FILE
from aijri_xl.method import PARAMETERS
from aijri_xl.workbook.layout import layout

LAYOUT = layout()


@pytest.fixture(scope="module")
def xl():
    with office_js() as modules:
        yield modules


@pytest.fixture(scope="module")
def example() -> bytes:
    return rule_corpus.EXAMPLE.read_bytes()


def _tampers(example: bytes) -> list[tuple[str, bytes]]:
    """The tamper corpus of tests/test_verify_workbook.py, as (id, workbook bytes)."""
    out = []
    for cell in LAYOUT.formula_cells():
        out.append((f"value over formula {cell.sheet}!{cell.ref}",
                    tamper.replace_formula_by_its_value(example, cell.sheet, cell.ref)))
    for p in PARAMETERS:
        cell = LAYOUT.by_name[p.name]
        out.append((f"parameter {p.name}",
                    tamper.set_value(example, cell.sheet, cell.ref, float(p.value) + 1)))
    for cell in LAYOUT.cells:
        if cell.name and cell.kind in ("input", "result", "parameter", "identity") \
                and not cell.is_range:
            out.append((f"name {cell.name} redirected",
                        tamper.redirect_name(example, cell.name, f"{cell.sheet}!$Z$99")))
        if cell.name and cell.is_range:
            start, end = cell.ref.split(":")
            col, row = re.match(r"([A-Z]+)(\d+)", end).groups()
            shorter = f"{cell.sheet}!${start[0]}${start[1:]}:${col}${int(row) - 1}"
            out.append((f"range {cell.name} shortened",
                        tamper.redirect_name(example, cell.name, shorter)))
    final = LAYOUT.by_name["final_score"]
    out.append(("final score typed", tamper.set_value(example, final.sheet, final.ref, 61.3)))
    out.append(("external formula", tamper.set_formula(
        example, "Commentary", "D20", 'WEBSERVICE("https://example.invalid/x")', "x")))
    return out


def _both(xl, tmp_path: Path, data: bytes):
    path = tmp_path / "t.xlsx"
    path.write_bytes(data)
    file = verify_file(path)
    table = written_table(run_script(xl, payload_from_xlsx(xl.xw.__version__, data)))
    script = {(r[0], r[1], r[2]) for r in table[3:]}
    seen = {(f.code, f.severity, f.where or "") for f in file.findings
            if f.code not in NEEDS_THE_FILE}
    return file, table, script, seen


def _case_ids(cases):
    return [c[0] for c in cases]


TAMPERS = _tampers(rule_corpus.EXAMPLE.read_bytes())


@pytest.mark.parametrize(("case", "data"), TAMPERS, ids=_case_ids(TAMPERS))
def test_the_script_finds_what_aijri_verify_finds_on_the_tamper_corpus(xl, tmp_path, case,
                                                                       data):
    file, table, script, seen = _both(xl, tmp_path, data)
    assert script == seen, case
    if all(f.code not in NEEDS_THE_FILE for f in file.findings):
        assert table[0][1] == file.verdict


RULES = list(rule_corpus.cases())


@pytest.mark.parametrize(("case", "code", "data"), RULES, ids=_case_ids(RULES))
def test_the_script_finds_what_aijri_verify_finds_on_every_rule(xl, tmp_path, case, code,
                                                                data):
    file, table, script, seen = _both(xl, tmp_path, data)
    assert code in {c for c, _, _ in script}, (case, table)
    assert script == seen, case
    assert table[0][1] == file.verdict  # no rule needs the file


def test_the_growth_check_fails_both(xl, tmp_path, example):
    """The defect issue 10 names: a growth check (2) that differs from the growth
    correlation (1) failed ``aijri verify`` with AIJ-E009 and passed the script."""
    data = rule_corpus.apply(example, [("growth_check", None, 2.0)])
    file, table, script, _ = _both(xl, tmp_path, data)
    sheet, ref = rule_corpus.cell_of("growth_check", None)
    assert file.verdict == table[0][1] == "FAIL"
    assert ("AIJ-E009", "error", f"{sheet}!{ref}") in script


def test_only_what_needs_the_file_differs(xl, tmp_path, example):
    """A value typed over the score's formula: ``aijri verify`` reports the lost formula
    (AIJ-X305), which the script cannot see; nothing else differs."""
    cell = LAYOUT.by_name["score"]
    data = tamper.replace_formula_by_its_value(example, cell.sheet, cell.ref)
    file, table, script, seen = _both(xl, tmp_path, data)
    assert {f.code for f in file.findings} == {"AIJ-X305"}
    assert script == seen == set() and table[0][1] == "PASS"
