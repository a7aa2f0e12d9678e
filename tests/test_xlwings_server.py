"""The functions and the "Verify this workbook" script through xlwings' own machinery.

With ``XLWINGS_ON_SERVER=true`` (how xlwings Server and xlwings Lite import code) and the
``noncommercial`` licence key that xlwings accepts for non-commercial use, ``xw.func``
is the Office.js implementation. These tests use xlwings' real metadata builder
(``custom_functions_meta``), dispatcher and converters (``custom_functions_call``), script
runner (``custom_scripts_call``) and remote Book (the object a script receives in Lite
and Server), with the payloads Excel sends. Nothing of xlwings is mocked; only Excel is
absent.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest

from aijri_xl.method import BARRIERS, EVIDENCE, METHOD, PARAMS, PROTECTIVE, RESULT_FIELDS
from aijri_xl.method.engine import score
from aijri_xl.method.excel_math import percent_to_fraction
from aijri_xl.sources import load

ROOT = Path(__file__).resolve().parents[1]
OURS = ("aijri_xl.excel.functions", "aijri_xl.excel.verify_script")

PCTS = [25, 20, 15, 10, 10, 10, 5, 5]
SCORES = [2, 2, 3, 3, 2, 2, 3, 1]
CLASSES = ["AUGMENTATION"] * 7 + ["NOT INVOLVED"]


def _ours_or_xlwings(name: str) -> bool:
    return name == "xlwings" or name.startswith("xlwings.") or name in OURS


@pytest.fixture(scope="module")
def xl():
    """xlwings, xlwings.server and our modules imported as xlwings Server imports them;
    the modules imported before are put back afterwards."""
    import aijri_xl

    saved = {k: v for k, v in sys.modules.items() if _ours_or_xlwings(k)}
    for k in saved:
        del sys.modules[k]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
        mp.setenv("XLWINGS_ON_SERVER", "true")
        xw = importlib.import_module("xlwings")
        server = importlib.import_module("xlwings.server")
        udfs = importlib.import_module("aijri_xl.excel.functions")
        verify = importlib.import_module("aijri_xl.excel.verify_script")
        yield SimpleNamespace(xw=xw, server=server, udfs=udfs, verify=verify)
    for k in [k for k in sys.modules if _ours_or_xlwings(k)]:
        del sys.modules[k]
    sys.modules.update(saved)
    for name in OURS:
        if name in saved:
            setattr(aijri_xl, name.split(".")[-1], saved[name])


@pytest.fixture(scope="module")
def worked():
    loaded = load(ROOT / "workbooks" / "hpc-developer.yaml")
    assert loaded.assessment is not None
    return score(loaded.assessment)


def column(values, blanks: int = 0, blank=None) -> list[list]:
    return [[v] for v in values] + [[blank]] * blanks


def cell(value) -> list[list]:
    """Office.js passes every argument as a matrix (dimensionality 'matrix')."""
    return [[value]]


def call(xl, function: str, *args):
    """What xlwings Server/Lite does when Excel calculates ``=FUNCTION(args)``."""
    data = {
        "func_name": function,
        "args": list(args),
        "version": xl.xw.__version__,
        "client": "Office.js",
        "runtime": "1.4",
        "culture_info_name": "en-US",
        "date_format": "M/d/yyyy",
        "caller_address": "Sheet1!H2",
    }
    return asyncio.run(xl.server.custom_functions_call(data, xl.udfs))


# --------------------------------------------------------------------------- metadata


def test_the_decorators_are_xlwings_servers(xl):
    assert xl.xw.func is xl.server.func
    for f in xl.udfs.FUNCTIONS:
        assert hasattr(f, "__xlfunc__"), f.__name__


def test_metadata_lists_every_function_with_its_description_and_parameters(xl):
    meta = xl.server.custom_functions_meta(xl.udfs)
    by_id = {f["id"]: f for f in meta["functions"]}
    assert set(by_id) == {f.__name__ for f in xl.udfs.FUNCTIONS}
    assert meta["allowErrorForDataTypeAny"] is True
    for f in xl.udfs.FUNCTIONS:
        entry = by_id[f.__name__]
        assert entry["name"] == f.__name__  # what Excel shows: =AIJRI_SCORE(...)
        assert entry["description"] == f.__doc__
        assert 20 < len(entry["description"]) <= 255 and "\n" not in entry["description"]
        params = inspect.signature(f).parameters
        assert [p["name"] for p in entry["parameters"]] == list(params)
        for p in entry["parameters"]:
            assert not p["description"].startswith("Positional argument"), (f, p)
            assert len(p["description"]) <= 255
            assert p["dimensionality"] == "matrix" and p["type"] == "any"
            has_default = params[p["name"]].default is not inspect.Parameter.empty
            assert p.get("optional", False) == has_default, (f, p)
        assert entry["result"] == {"dimensionality": "matrix", "type": "any"}


def test_metadata_of_a_sample_function(xl):
    meta = xl.server.custom_functions_meta(xl.udfs)
    (score_meta,) = [f for f in meta["functions"] if f["id"] == "AIJRI_SCORE"]
    assert score_meta["description"].startswith("JobZone score 0-100 with one decimal")
    assert [p["name"] for p in score_meta["parameters"]] == [
        "times", "scores", "evidence", "barriers", "growth"]
    assert score_meta["parameters"][0]["description"] == xl.udfs.TIMES_DOC


def test_script_metadata(xl):
    (entry,) = xl.server.custom_scripts_meta(xl.verify)
    assert entry["function_name"] == "verify_workbook"
    assert entry["name"] == "Verify this workbook"


# --------------------------------------------------------------------------- calls


def test_worked_example_through_the_dispatcher(xl, worked):
    times = column([percent_to_fraction(p) for p in PCTS], 12)  # a range past the table
    pcts = column(PCTS, 12, "")  # percents; Office.js may send blanks as ""
    scores = column(SCORES, 12)
    classes = column(CLASSES, 12)
    evidence, barriers = [[1, 1, 1, 1, 1]], [[0.0], [0.0], [0.0], [0.0], [0.0]]
    protective = [[0, 0, 2]]
    assert call(xl, "AIJRI_TASK_RESISTANCE", times, scores) == [[worked.task_resistance]]
    assert call(xl, "AIJRI_PCT_SCORING", pcts, scores, cell(3)) == [[0.3]]
    assert call(xl, "AIJRI_SPLIT", pcts, classes, None) == [[0.0, 0.95, 0.05]]
    assert call(xl, "AIJRI_SPLIT", pcts, classes, cell("not involved")) == [[0.05]]
    assert call(xl, "AIJRI_MODIFIERS", evidence, barriers, cell(1.0)) == [[1.2, 1.0, 1.05]]
    assert call(xl, "AIJRI_MODIFIERS", cell(5), cell(0), cell(1)) == [[1.2, 1.0, 1.05]]
    assert call(xl, "AIJRI_RAW", times, scores, evidence, barriers, cell(1)) == [[worked.raw]]
    assert call(xl, "AIJRI_SCORE", pcts, scores, evidence, barriers, cell(1)) == [[52.8]]
    assert call(xl, "AIJRI_ZONE", cell(52.8)) == [["GREEN"]]
    assert call(xl, "AIJRI_SUBLABEL", cell(52.8), times, scores, cell(1)) == [
        ["Green (Transforming)"]]
    assert call(xl, "AIJRI_QUICK_SCREEN", protective, cell(1)) == [["Yellow-to-Green boundary"]]
    assert call(xl, "AIJRI_VALIDATE", times, scores, classes, protective, cell(1), evidence,
                barriers, None, None, None, None) == [["OK"]]
    assert call(xl, "AIJRI_METHOD") == [[METHOD]]
    assert call(xl, "AIJRI_PARAM", cell("score_span")) == [[PARAMS["SCORE_SPAN"]]]


def test_assess_spills_through_the_dispatcher(xl, worked):
    spilled = call(xl, "AIJRI_ASSESS", column(PCTS, 3), column(SCORES, 3), column(CLASSES, 3),
                   [[0], [0], [2]], cell(1), [[1, 1, 1, 1, 1]], cell(0), None)
    assert [r[0] for r in spilled] == list(RESULT_FIELDS)
    for name, value in spilled:
        expected = worked.workbook_value(name)
        # xlwings writes None as an empty cell.
        assert value == ("" if expected is None else expected), name


def test_a_tie_is_rounded_as_excel_rounds_through_the_dispatcher(xl):
    assert call(xl, "AIJRI_SCORE", column([80.3, 19.7]), column([4, 5]), cell(0), cell(5),
                cell(-1)) == [[17.0]]


def test_problems_come_back_as_text_through_the_dispatcher(xl):
    # Not an exact error string, so xlwings writes the text and its reason.
    assert call(xl, "AIJRI_SCORE", column([25, 75]), column([2, 7]), cell(5), cell(0),
                cell(1)) == [["#VALUE! task 2: score must be 1 to 5, found 7"]]
    # An error cell in the input, as Office.js passes it (allowErrorForDataTypeAny).
    na = {"type": "Error", "errorType": "NotAvailable", "basicValue": "#N/A"}
    assert call(xl, "AIJRI_TASK_RESISTANCE", [[0.5], [na]], column([2, 3])) == [
        ["#N/A task 2: the time share is the error #N/A"]]
    assert call(xl, "AIJRI_ZONE", [[na]]) == [["#N/A score is the error #N/A"]]
    assert call(xl, "AIJRI_PARAM", cell("NOPE"))[0][0].startswith("#N/A no parameter 'NOPE'")


def test_an_exact_error_string_becomes_a_real_error_in_office_js(xl):
    """The fact behind returning reasons as text (udfs module docstring): xlwings turns
    a returned string that is exactly an Excel error into a real error, without a
    reason, and leaves any longer text as text."""
    probe = ModuleType("probe")

    @xl.server.func
    def bare(x):
        return "#N/A"

    @xl.server.func
    def with_reason(x):
        return "#N/A no such parameter"

    probe.bare, probe.with_reason = bare, with_reason
    data = {"args": [cell(1)], "version": xl.xw.__version__, "client": "Office.js",
            "runtime": "1.4"}
    assert asyncio.run(xl.server.custom_functions_call({**data, "func_name": "bare"}, probe)) \
        == [[{"type": "Error", "errorType": "NotAvailable"}]]
    assert asyncio.run(xl.server.custom_functions_call(
        {**data, "func_name": "with_reason"}, probe)) == [["#N/A no such parameter"]]


# --------------------------------------------------------------------------- the script


def contract_values(worked) -> dict:
    """Every contract name with the value an assessment workbook of the worked example
    holds: inputs, cached results, parameters, identity."""
    loaded = load(ROOT / "workbooks" / "hpc-developer.yaml")
    a = loaded.assessment
    values = {
        "method": METHOD, "template_version": "1", "role_title": a.role.title,
        "role_seniority": a.role.seniority, "role_primary_function": None, "role_not": None,
        "role_typical_experience": None, "role_seniority_note": None, "assessor": None,
        "assessment_date": None, "role_id": a.role.id, "occupation_code": None,
        "growth_correlation": a.growth.correlation,
        "override_score": None, "override_justification": a.override.justification,
        "task_name": [t.name for t in a.tasks], "task_time": [t.time for t in a.tasks],
        "task_score": [t.score for t in a.tasks],
        "task_class": [t.task_class for t in a.tasks],
    }
    for block, dims in (("protective", PROTECTIVE), ("evidence", EVIDENCE),
                        ("barriers", BARRIERS)):
        for d in dims:
            values[d.name] = getattr(a, block)[d.key].score
    for name in RESULT_FIELDS:
        if name not in ("method", "growth_correlation", "override"):
            values[name] = worked.workbook_value(name)
    values.update(PARAMS)
    return values


TASK_ROWS = 25


def book_payload(xl, values: dict, extra_sheets=()) -> dict:
    """The JSON xlwings' Office.js client sends for a workbook that holds ``values`` in
    defined names: single names on 'Assessment' (column B), the task table on 'Tasks'
    (rows 2-26, blank rows after the tasks), parameters on 'Parameters'."""
    task_cols = ["task_name", "task_time", "task_score", "task_class"]
    singles = [n for n in values if n not in task_cols and n not in PARAMS]
    assessment = [[n, "" if values[n] is None else values[n]] for n in singles]
    tasks = [["Name", "Time", "Score", "Class"]]
    for i in range(TASK_ROWS):
        tasks.append([
            (values[c][i] if c in values and i < len(values[c]) else None) for c in task_cols])
    tasks = [["" if v is None else v for v in r] for r in tasks]
    parameters = [[n, values[n]] for n in PARAMS if n in values] or [["", ""]]
    names = []

    def name(n, sheet, address):
        names.append({"name": n, "sheet_index": sheet, "address": address,
                      "book_scope": True, "scope_sheet_name": None,
                      "scope_sheet_index": None})

    for i, n in enumerate(singles):
        name(n, 0, f"B{i + 1}")
    for j, c in enumerate(task_cols):
        if c in values:
            col = "ABCD"[j]
            name(c, 1, f"{col}2:{col}{TASK_ROWS + 1}")
    for i, n in enumerate(n for n in PARAMS if n in values):
        name(n, 2, f"B{i + 1}")
    sheets = [{"name": "Assessment", "values": assessment},
              {"name": "Tasks", "values": tasks},
              {"name": "Parameters", "values": parameters}]
    sheets += [{"name": s, "values": [[""]]} for s in extra_sheets]
    for s in sheets:
        s.update(pictures=[], tables=[])
    return {"client": "Office.js", "version": xl.xw.__version__,
            "book": {"name": "hpc-developer.xlsx", "active_sheet_index": 0,
                     "selection": "A1"},
            "names": names, "sheets": sheets}


def run_script(xl, payload):
    """What xlwings Server/Lite does when the user runs 'Verify this workbook'."""
    book = xl.xw.Book(json=payload)
    returned = asyncio.run(xl.server.custom_scripts_call(
        xl.verify, "verify_workbook", typehint_to_value={xl.xw.Book: book}))
    assert returned is book
    return book.json()["actions"]


def written_table(actions) -> list[list]:
    (write,) = [a for a in actions if a["func"] == "setValues"]
    assert (write["start_row"], write["start_column"]) == (0, 0)
    return write["values"]


def test_verify_script_on_a_correct_workbook_writes_pass(xl, worked):
    actions = run_script(xl, book_payload(xl, contract_values(worked)))
    assert actions[0]["func"] == "addSheet" and actions[0]["args"][-1] == "AIJRI Verify"
    table = written_table(actions)
    assert table[0][:3] == ["Verdict", "PASS", "0 error(s), 0 warning(s)"]
    assert table[2] == ["Code", "Severity", "Where", "Message"]
    assert len(table) == 3


def test_verify_script_finds_wrong_values_and_inputs_by_cell(xl, worked):
    values = contract_values(worked)
    values["score"] = 52.7  # a cached result that is not the method's
    values["sub_label"] = "Green (Stable)"
    values["task_score"][2] = 7  # an input out of range
    values["SCORE_SPAN"] = 8  # an edited parameter
    del values["barrier_cultural_ethical"]  # a missing name
    table = written_table(run_script(xl, book_payload(xl, values, ["AIJRI Verify"])))
    assert table[0][1] == "FAIL"
    rows = {(r[0], r[2]) for r in table[3:]}
    assert ("AIJ-E003", "Tasks!C4 (task_score)") in rows
    assert ("AIJ-X307", "Parameters!B6 (SCORE_SPAN)") in rows
    assert ("AIJ-X303", "barrier_cultural_ethical") in rows
    assert any(r[0] == "AIJ-E001" and "Cultural/Ethical" in r[3] for r in table[3:])
    # Task 3 is out of range, so nothing is scored and no cached value is compared.
    assert not any(r[0] == "AIJ-E103" for r in table[3:])
    assert all(r[1] == "error" for r in table[3:])


def test_verify_script_compares_every_result_cell(xl, worked):
    values = contract_values(worked)
    values["score"] = 52.7
    values["raw"] = worked.raw * (1 + 1e-12)  # within a relative 1e-9: agrees
    values["task_resistance"] = 3.76
    values["zone"] = "#VALUE!"
    payload = book_payload(xl, values, ["AIJRI Verify"])
    actions = run_script(xl, payload)
    assert actions[0]["func"] == "sheetClearContents"  # the sheet existed: cleared
    table = written_table(actions)
    found = {r[2]: r[3] for r in table[3:] if r[0] == "AIJ-E103"}
    assert found == {
        f"Assessment!{address_of(payload, 'score')} (score)":
            "score is 52.7, the method gives 52.8",
        f"Assessment!{address_of(payload, 'task_resistance')} (task_resistance)":
            "task_resistance is 3.76, the method gives 3.75",
        f"Assessment!{address_of(payload, 'zone')} (zone)":
            "zone holds the error #VALUE!, the method gives 'GREEN'",
    }
    assert table[0][1] == "FAIL" and len(table) == 3 + 3


def address_of(payload, name: str) -> str:
    (entry,) = [n for n in payload["names"] if n["name"] == name]
    return entry["address"]


def test_verify_values_identity_and_versions(xl, worked):
    verify = xl.verify
    assert [f.code for f in verify.verify_values({})] == ["AIJ-X301"]
    other = verify.verify_values({"method": "AIJRI-2.0"})
    assert [f.code for f in other] == ["AIJ-E011"]
    values = contract_values(worked)
    values["template_version"] = 2.0
    assert [f.code for f in verify.verify_values(values)] == ["AIJ-X302"]
    values["template_version"] = 1.0  # a number in the cell is fine
    assert verify.verify_values(values) == []


def test_verify_values_tie_rounded_the_other_way_is_a_warning(xl):
    from aijri_xl.method.engine import score_from_scores

    times = [percent_to_fraction(80.3), percent_to_fraction(19.7)]
    result = score_from_scores(times, [4, 5], ["DISPLACEMENT"] * 2, [0, 0, 0], -1,
                               [0] * 5, [1] * 5)
    assert result.score == 17.0
    places = None
    warn = xl.verify.compare_results({"score": 16.9, "final_score": 16.9}, result, places)
    assert [f.code for f in warn] == ["AIJ-W104", "AIJ-W104"]
    wrong = xl.verify.compare_results({"score": 16.8}, result, places)
    assert [f.code for f in wrong] == ["AIJ-E103"]
    assert xl.verify.compare_results({"score": 17.0, "final_score": 17}, result) == []


def test_verify_values_reports_overrides_far_from_the_score(xl, worked):
    values = contract_values(worked)
    values["override_score"] = 30.0
    values["final_score"], values["zone"], values["sub_label"] = 30.0, "YELLOW", \
        "Yellow (Moderate)"
    codes = [f.code for f in xl.verify.verify_values(values)]
    assert codes == ["AIJ-W021"]
    values["override_justification"] = ""
    codes = [f.code for f in xl.verify.verify_values(values)]
    assert codes == ["AIJ-E008", "AIJ-W021"]


def test_cell_in_range():
    from aijri_xl.excel.verify_script import cell_in_range

    assert cell_in_range("Tasks!$C$8:$C$32", 3) == "Tasks!C10"
    assert cell_in_range("'My Sheet'!D2:D9", 1) == "'My Sheet'!D2"
    assert cell_in_range("B2:B9", 2) == "B3"


# --------------------------------------------------------------------------- a real workbook


def payload_from_xlsx(xl, path: Path) -> dict:
    """The payload xlwings' Office.js client would send for an .xlsx open in Excel: each
    sheet's values from A1 to its last cell ("" for blanks, dates as ISO text) and the
    workbook's range names. The values are the formulas' cached results, as Excel would
    hold them after recalculating."""
    import datetime as dt

    import openpyxl

    wb = openpyxl.load_workbook(path, data_only=True)
    sheets = []
    for ws in wb.worksheets:
        rows = []
        for r in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column,
                              values_only=True):
            rows.append(["" if v is None else v.isoformat() if isinstance(v, dt.datetime)
                         else v for v in r])
        sheets.append({"name": ws.title, "values": rows, "pictures": [], "tables": []})
    names = []
    for name, definition in wb.defined_names.items():
        (sheet, address), *more = definition.destinations
        assert not more
        names.append({"name": name, "sheet_index": wb.sheetnames.index(sheet),
                      "address": address.replace("$", ""), "book_scope": True,
                      "scope_sheet_name": None, "scope_sheet_index": None})
    return {"client": "Office.js", "version": xl.xw.__version__,
            "book": {"name": path.name, "active_sheet_index": 0, "selection": "A1"},
            "names": names, "sheets": sheets}


WORKBOOK = ROOT / "workbooks" / "hpc-developer.xlsx"


@pytest.mark.skipif(not WORKBOOK.exists(), reason="the project's workbook is not built")
def test_verify_script_on_the_projects_workbook(xl):
    payload = payload_from_xlsx(xl, WORKBOOK)
    table = written_table(run_script(xl, payload))
    assert table[0][:3] == ["Verdict", "PASS", "0 error(s), 0 warning(s)"], table
    assert len(table) == 3


@pytest.mark.skipif(not WORKBOOK.exists(), reason="the project's workbook is not built")
def test_verify_script_on_the_projects_workbook_edited(xl):
    payload = payload_from_xlsx(xl, WORKBOOK)
    (score_name,) = [n for n in payload["names"] if n["name"] == "score"]
    sheet = payload["sheets"][score_name["sheet_index"]]
    col, row = score_name["address"][0], int(score_name["address"][1:])
    cached = sheet["values"][row - 1][ord(col) - ord("A")]
    assert cached == 52.8
    sheet["values"][row - 1][ord(col) - ord("A")] = 52.9  # a value typed over a formula
    table = written_table(run_script(xl, payload))
    assert table[0][1] == "FAIL"
    assert table[3] == ["AIJ-E103", "error", f"{sheet['name']}!{score_name['address']} (score)",
                        "score is 52.9, the method gives 52.8"]
