"""The workbook writer and reader: the contract, determinism, round trips, templates."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from strategies import assessments

from aijri_xl import load, score
from aijri_xl.catalogue import draft_assessment, roles
from aijri_xl.examples import outputs
from aijri_xl.method import METHOD, PARAMETERS, RESULT_FIELDS, TEMPLATE_VERSION
from aijri_xl.method.model import Assessment
from aijri_xl.workbook.layout import MIN_TASK_ROWS, SHEETS, layout, task_rows_for
from aijri_xl.workbook.writer import workbook_bytes, write_workbook
from aijri_xl.workbook.xlsx import iter_name_refs, read_xlsx

CONTRACT_PATH = Path(__file__).resolve().parents[1] / "docs" / "WORKBOOK-CONTRACT.md"


def _contract_names(part: str) -> list[str]:
    """The names docs/WORKBOOK-CONTRACT.md lists: ``inputs`` from the table under
    "Inputs", ``results`` from the paragraph that begins "Results"."""
    text = CONTRACT_PATH.read_text(encoding="utf-8")
    if part == "inputs":
        block = text.split("Inputs (", 1)[1].split("Results (", 1)[0]
        cells = [line.split("|")[1] for line in block.splitlines()
                 if line.startswith("| `")]
        return [n for cell in cells for n in re.findall(r"`([a-z_0-9]+)`", cell)]
    block = text.split("Results (", 1)[1].split("Parameters:", 1)[0]
    block = block.split("):", 1)[1].split("Percent results", 1)[0]
    return re.findall(r"`([a-z_0-9]+)`", block)


CONTRACT_INPUTS = _contract_names("inputs")
CONTRACT_RESULTS = _contract_names("results")


def test_the_contract_lists_every_input_and_result_the_code_defines():
    from aijri_xl.workbook.layout import layout

    lay = layout(MIN_TASK_ROWS)
    assert len(CONTRACT_INPUTS) == 30 and len(CONTRACT_RESULTS) == 21
    # method is the identity name; growth_correlation and override are inputs
    assert [n for n in RESULT_FIELDS
            if n not in ("method", "growth_correlation", "override")] == CONTRACT_RESULTS
    assert set(CONTRACT_INPUTS) | set(CONTRACT_RESULTS) <= set(lay.by_name)


@pytest.fixture(scope="module")
def example_bytes(repo_root: Path) -> bytes:
    return workbook_bytes(load(repo_root / "workbooks/hpc-developer.yaml").assessment)


def test_every_contract_name_is_defined_where_the_layout_says(example_bytes, tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(example_bytes)
    data = read_xlsx(path)
    lay = layout(MIN_TASK_ROWS)
    expected = [*CONTRACT_INPUTS, *CONTRACT_RESULTS, *(p.name for p in PARAMETERS),
                "method", "template_version"]
    for name in expected:
        assert name in data.names, name
        assert data.names[name] == lay.by_name[name].absolute, name
    assert set(CONTRACT_RESULTS) <= set(RESULT_FIELDS)
    assert list(data.sheets) == list(SHEETS)


def test_task_columns_cover_every_task_row_blank_rows_included(tmp_path):
    a = Assessment()
    path = write_workbook(a, tmp_path / "blank.xlsx")
    data = read_xlsx(path)
    for name in ("task_name", "task_time", "task_score", "task_class"):
        ((sheet, ref),) = iter_name_refs(data.names[name])
        start, end = ref.split(":")
        assert sheet == "Tasks"
        assert int(end[1:]) - int(start[1:]) + 1 == MIN_TASK_ROWS


def test_result_formulas_refer_to_parameter_names_not_numbers():
    """The only number literals in result formulas are structural (ROUND's 8 and 1, the
    '+1' of a modifier, the percent 100, the score thresholds 3 and 4, the '+2' of the
    Accelerated rule); every method constant is referred to by name."""
    import re

    structural = {1.0, 2.0, 3.0, 4.0, 8.0, 100.0}
    lay = layout()
    for cell in lay.formula_cells():
        if cell.kind != "result":
            continue
        code = re.sub(r'"[^"]*"', '""', cell.formula)  # text literals are not numbers
        literals = {float(m) for m in re.findall(r"(?<![A-Za-z_0-9.])\d+(?:\.\d+)?(?![\w.])",
                                                  code)}
        assert literals <= structural, (cell.name, literals - structural)
    assert "TRS_CEILING" in lay.by_name["task_resistance"].formula
    assert "SCORE_SPAN" in lay.by_name["score_unrounded"].formula
    assert "EVIDENCE_WEIGHT" in lay.by_name["evidence_modifier"].formula


def test_cached_results_equal_the_reference(example_bytes, tmp_path, repo_root):
    path = tmp_path / "a.xlsx"
    path.write_bytes(example_bytes)
    data = read_xlsx(path)
    result = score(load(repo_root / "workbooks/hpc-developer.yaml").assessment)
    for name in CONTRACT_RESULTS:
        ((sheet, ref),) = iter_name_refs(data.names[name])
        cell = data.cell(sheet, ref)
        assert cell.formula, name
        assert cell.value == result.workbook_value(name), name
    assert data.cell("Parameters", layout().by_name["method"].ref).value == METHOD
    assert data.cell("Parameters", layout().by_name["template_version"].ref).value == \
        TEMPLATE_VERSION


def test_identical_input_gives_identical_bytes(example_bytes, repo_root):
    again = workbook_bytes(load(repo_root / "workbooks/hpc-developer.yaml").assessment)
    assert again == example_bytes


def test_committed_outputs_equal_a_fresh_build(repo_root):
    built = outputs(repo_root)
    assert len(built) == len(roles()) + 4  # + blank template, example workbook, .md, .html
    for path, data in built.items():
        assert path.is_file(), f"{path} is not committed; run 'aijri examples'"
        assert path.read_bytes() == data, f"{path} differs from a fresh build; run " \
            "'aijri examples' and commit"


def test_no_macros_and_protected_sheets(example_bytes, tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(example_bytes)
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        assert not any("vbaProject" in n for n in names)
        for i in range(1, len(SHEETS) + 1):
            xml = zf.read(f"xl/worksheets/sheet{i}.xml").decode()
            assert "<sheetProtection" in xml and "password" not in xml
        styles = zf.read("xl/styles.xml").decode()
        assert 'locked="0"' in styles  # inputs are unlocked
        core = zf.read("docProps/core.xml").decode()
        assert "AIJRI assessment: HPC Developer" in core
        custom = zf.read("docProps/custom.xml").decode()
        assert METHOD in custom


def test_inputs_carry_data_validation(example_bytes, tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(example_bytes)
    with zipfile.ZipFile(path) as zf:
        tasks = zf.read(f"xl/worksheets/sheet{SHEETS.index('Tasks') + 1}.xml").decode()
    assert 'type="list"' in tasks and "AUGMENTATION" in tasks
    assert 'type="whole"' in tasks and "<formula1>1</formula1>" in tasks
    assert "promptTitle" in tasks and "errorTitle" in tasks


def test_round_trip_worked_example(example_bytes, tmp_path, repo_root):
    path = tmp_path / "a.xlsx"
    path.write_bytes(example_bytes)
    original = load(repo_root / "workbooks/hpc-developer.yaml").assessment
    back = load(path)
    assert back.findings == []
    assert back.assessment == original


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(assessments())
def test_round_trip_random_assessments(tmp_path_factory, assessment):
    path = tmp_path_factory.mktemp("rt") / "a.xlsx"
    write_workbook(assessment, path)
    back = load(path)
    assert back.assessment is not None
    assert score(back.assessment) == score(assessment)
    assert [t.time for t in back.assessment.tasks] == [t.time for t in assessment.tasks]


def test_more_tasks_than_a_template_gets_more_rows():
    assert task_rows_for(1) == task_rows_for(25) == 25
    assert task_rows_for(26) == 30
    assert task_rows_for(31) == 35


def test_catalogue_templates_have_names_and_times_but_no_scores(tmp_path):
    for role in roles():
        path = write_workbook(draft_assessment(role.id), tmp_path / f"{role.id}.xlsx")
        loaded = load(path)
        a = loaded.assessment
        assert a is not None and a.role.title == role.title
        assert all(t.score is None and t.time is not None for t in a.tasks)
        data = read_xlsx(path)
        ((sheet, ref),) = iter_name_refs(data.names["score"])
        assert data.cell(sheet, ref).value == ""  # blank, not an error


def test_scoring_a_blank_template_lists_the_missing_inputs(repo_root):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "aijri_xl", "score",
                           str(repo_root / "templates/blank.xlsx")], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    title = layout().by_name["role_title"].ref
    assert f"[Role!{title}] role.title: the job title is missing" in done.stderr
    assert "[Protective!B5]" in done.stderr and "AIJ-E001" in done.stderr


def test_refuses_out_of_range_inputs(tmp_path, worked_example):
    from aijri_xl.method.engine import AssessmentError

    worked_example.tasks[0].score = 7
    with pytest.raises(AssessmentError, match=r"tasks\[0\]\.score"):
        write_workbook(worked_example, tmp_path / "bad.xlsx")
    assert not (tmp_path / "bad.xlsx").exists()


def test_skipping_xlsxwriters_future_function_pass_changes_no_formula():
    """The writer skips XlsxWriter's _xlfn. prefixing for speed; that is only right while
    no layout formula uses an Excel 2010+ function."""
    from xlsxwriter.workbook import Workbook

    from aijri_xl.workbook.writer import prepare_formula

    reference = Workbook(None, {"in_memory": True}).add_worksheet()
    for rows in (25, 40):
        for cell in layout(rows).formula_cells():
            assert prepare_formula(cell.formula) == reference._prepare_formula(cell.formula)
