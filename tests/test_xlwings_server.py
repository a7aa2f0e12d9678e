"""The functions and the "Verify this workbook" script through xlwings' own machinery.

With ``XLWINGS_ON_SERVER=true`` (how xlwings Server and xlwings Lite import code) and the
``noncommercial`` licence key that xlwings accepts for non-commercial use, ``xw.func``
is the Office.js implementation. These tests use xlwings' real metadata builder
(``custom_functions_meta``), dispatcher and converters (``custom_functions_call``), script
runner (``custom_scripts_call``) and remote Book, with the payloads Excel sends: empty
cells as ``0`` from Excel desktop and ``null`` from Excel on the web. Nothing of xlwings
is mocked; only Excel is absent.
"""

from __future__ import annotations

import asyncio
import inspect

import pytest
import tamper
from office_js import call, call_data, office_js, payload_from_xlsx, run_script, written_table
from rule_corpus import EXAMPLE, ROOT

from aijri_xl.excel import errors as plain_errors
from aijri_xl.excel import functions as plain  # imported before the Office.js fixture
from aijri_xl.method import METHOD, PARAMS, RESULT_FIELDS, TASK_CLASSES
from aijri_xl.method.engine import score
from aijri_xl.method.excel_math import percent_to_fraction
from aijri_xl.sources import load
from aijri_xl.workbook.layout import layout

PCTS = [25, 20, 15, 10, 10, 10, 5, 5]
SCORES = [2, 2, 3, 3, 2, 2, 3, 1]
CLASSES = ["AUGMENTATION"] * 7 + ["NOT INVOLVED"]
DOCS = "https://example.invalid/aijri/docs/EXCEL.md"


@pytest.fixture(scope="module")
def xl():
    with office_js(docs_url=DOCS) as modules:
        yield modules


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


# --------------------------------------------------------------------------- metadata


def test_the_decorators_are_xlwings_servers(xl):
    assert xl.xw.func is xl.server.func
    assert xl.errors.OFFICE_JS and xl.errors.ROUTE == "office.js"
    for f in xl.udfs.FUNCTIONS:
        assert hasattr(f, "__xlfunc__"), f.__name__


def test_metadata_lists_every_function_with_its_description_and_parameters(xl):
    meta = xl.server.custom_functions_meta(xl.udfs)
    by_id = {f["id"]: f for f in meta["functions"]}
    assert set(by_id) == {f.__name__ for f in xl.udfs.FUNCTIONS}
    assert meta["allowErrorForDataTypeAny"] is True
    enums = {e["id"]: e for e in meta["enums"]}
    for f in xl.udfs.FUNCTIONS:
        entry = by_id[f.__name__]
        # No namespace of our own: Lite shows AIJRI_SCORE; Server adds its manifest's.
        assert entry["name"] == f.__name__
        assert entry["description"] == f.__doc__
        assert entry["helpUrl"] == f"{DOCS}#{f.__name__.lower()}"
        assert f.__xlfunc__["cache"] is True and not f.__xlfunc__["volatile"]
        assert 20 < len(entry["description"]) <= 255 and "\n" not in entry["description"]
        params = inspect.signature(f).parameters
        assert [p["name"] for p in entry["parameters"]] == list(params)
        for p in entry["parameters"]:
            assert not p["description"].startswith("Positional argument"), (f, p)
            assert len(p["description"]) <= 255
            if "customEnumId" in p:
                assert p["dimensionality"] == "scalar" and p["type"] == "string"
                assert p["customEnumId"] in enums
            else:
                assert p["dimensionality"] == "matrix" and p["type"] == "any"
            has_default = params[p["name"]].default is not inspect.Parameter.empty
            assert p.get("optional", False) == has_default, (f, p)
        assert entry["result"] == {"dimensionality": "matrix", "type": "any"}


def test_class_and_parameter_names_are_enums_from_the_method_tables(xl):
    meta = xl.server.custom_functions_meta(xl.udfs)
    enums = {e["id"]: [v["stringValue"] for v in e["values"]] for e in meta["enums"]}
    assert enums == {"AIJRI_SPLIT.CLASS_NAME": list(TASK_CLASSES),
                     "AIJRI_PARAM.PARAMETER": list(PARAMS)}
    (split,) = [e for e in meta["enums"] if e["id"] == "AIJRI_SPLIT.CLASS_NAME"]
    assert {v["name"]: v["tooltip"] for v in split["values"]}["DISPLACEMENT"] == \
        "the default class of task scores 4, 5"


def test_without_a_known_docs_address_there_is_no_help_url():
    with office_js() as xl:
        meta = xl.server.custom_functions_meta(xl.udfs)
        assert not any("helpUrl" in f for f in meta["functions"])


def test_script_metadata(xl):
    (entry,) = xl.server.custom_scripts_meta(xl.verify)
    assert entry["function_name"] == "verify_workbook"
    assert entry["name"] == "Verify this workbook"


# --------------------------------------------------------------------------- calls


def test_worked_example_through_the_dispatcher(xl, worked):
    times = column([percent_to_fraction(p) for p in PCTS], 12)  # a range past the table
    pcts = column(PCTS, 12, "")
    scores = column(SCORES, 12)
    classes = column(CLASSES, 12)
    evidence, barriers = [[1, 1, 1, 1, 1]], [[0.0], [0.0], [0.0], [0.0], [0.0]]
    protective = [[0, 0, 2]]
    assert call(xl, "AIJRI_TASK_RESISTANCE", times, scores) == [[worked.task_resistance]]
    assert call(xl, "AIJRI_PCT_SCORING", pcts, scores, cell(3)) == [[0.3]]
    assert call(xl, "AIJRI_SPLIT", pcts, classes, None) == [[0.0, 0.95, 0.05]]
    assert call(xl, "AIJRI_SPLIT", pcts, classes, "not involved") == [[0.05]]
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
    assert call(xl, "AIJRI_PARAM", "score_span") == [[PARAMS["SCORE_SPAN"]]]


def test_assess_spills_through_the_dispatcher(xl, worked):
    spilled = call(xl, "AIJRI_ASSESS", column(PCTS, 3), column(SCORES, 3), column(CLASSES, 3),
                   [[0], [0], [2]], cell(1), [[1, 1, 1, 1, 1]], cell(0), None)
    assert [r[0] for r in spilled] == list(RESULT_FIELDS)
    for name, value in spilled:
        expected = worked.workbook_value(name)
        assert value == ("" if expected is None else expected), name  # None: empty cell


def test_a_tie_is_rounded_as_excel_rounds_through_the_dispatcher(xl):
    assert call(xl, "AIJRI_SCORE", column([80.3, 19.7]), column([4, 5]), cell(0), cell(5),
                cell(-1)) == [[17.0]]


# --------------------------------------------------------------------------- blanks

# The worked example's table drawn 4 rows past its end and with a blank row inside, as
# each route passes the empty cells: the classic add-in None, Excel on the web null
# (JSON null reaches Python as None), a cell holding ="" as "", Excel desktop 0.
BLANKS = {"web null / classic None": None, '=""': "", "Excel desktop 0": 0}


def _table(values, blank) -> list[list]:
    rows = [[v] for v in values]
    return rows[:3] + [[blank]] + rows[3:] + [[blank]] * 4


def _calls(blank) -> dict[str, list]:
    t, s, c = _table(PCTS, blank), _table(SCORES, blank), _table(CLASSES, blank)
    names = _table([f"task {i + 1}" for i in range(8)], blank)
    g, p, e, b = cell(1), [[0], [0], [2]], [[1, 1, 1, 1, 1]], [[0] * 5]
    return {
        "AIJRI_TASK_RESISTANCE": [t, s], "AIJRI_PCT_SCORING": [t, s, cell(3)],
        "AIJRI_SPLIT": [t, c, None], "AIJRI_MODIFIERS": [e, b, g],
        "AIJRI_RAW": [t, s, e, b, g], "AIJRI_SCORE": [t, s, e, b, g],
        "AIJRI_ZONE": [cell(52.8)], "AIJRI_SUBLABEL": [cell(52.8), t, s, g],
        "AIJRI_QUICK_SCREEN": [p, g], "AIJRI_ASSESS": [t, s, c, p, g, e, b, None],
        "AIJRI_VALIDATE": [t, s, c, p, g, e, b, None, None, names, None],
        "AIJRI_METHOD": [], "AIJRI_PARAM": ["GREEN_MIN"],
    }


def test_every_function_gives_the_same_result_whatever_the_blanks(xl):
    results = {form: {f: call(xl, f, *args) for f, args in _calls(blank).items()}
               for form, blank in BLANKS.items()}
    first = results["web null / classic None"]
    assert set(first) == {f.__name__ for f in xl.udfs.FUNCTIONS}
    assert first["AIJRI_SCORE"] == [[52.8]] and first["AIJRI_VALIDATE"] == [["OK"]]
    for form, found in results.items():
        assert found == first, form
    # ... and the same as the plain functions (the classic add-in's None blanks)
    args = _calls(None)["AIJRI_SCORE"]
    assert plain.AIJRI_SCORE(*args) == first["AIJRI_SCORE"][0][0]


def test_a_partly_zero_row_is_an_error_on_desktop_too(xl):
    times, scores = column([*PCTS, 5], 3, 0), column([*SCORES, 0], 3, 0)
    with pytest.raises(xl.xw.XlwingsError, match="task 9: score must be 1 to 5, found 0"):
        call(xl, "AIJRI_TASK_RESISTANCE", times, scores)


# --------------------------------------------------------------------------- errors


def iferror(xl, function: str, *args, fallback="check the inputs"):
    """``=IFERROR(FUNCTION(args), fallback)`` as Excel evaluates it: an error value in
    the result, or the #VALUE! that a raised exception becomes (xlwings Lite: any
    exception; xlwings Server: HTTP 400 for an XlwingsError, which its client throws as
    CustomFunctions.Error(invalidValue, message)), gives the fallback."""
    try:
        value = call(xl, function, *args)
    except xl.xw.XlwingsError:
        return [[fallback]]
    error = isinstance(value[0][0], dict) and value[0][0].get("type") == "Error"
    return [[fallback]] if error else value


def test_a_function_that_cannot_compute_raises_value_with_its_reason(xl):
    with pytest.raises(xl.errors.ExcelFunctionError) as raised:
        call(xl, "AIJRI_SCORE", column([25, 75]), column([2, 7]), cell(5), cell(0), cell(1))
    assert isinstance(raised.value, xl.xw.XlwingsError)  # shown in production, too
    assert str(raised.value) == "task 2: score must be 1 to 5, found 7"
    assert iferror(xl, "AIJRI_SCORE", column([25, 75]), column([2, 7]), cell(5), cell(0),
                   cell(1)) == [["check the inputs"]]
    assert iferror(xl, "AIJRI_SCORE", column(PCTS), column(SCORES), cell(5), cell(0),
                   cell(1)) == [[52.8]]


def test_an_error_cell_in_the_inputs_is_passed_on_as_that_error(xl):
    na = {"type": "Error", "errorType": "NotAvailable", "basicValue": "#N/A"}
    real_na = [[{"type": "Error", "errorType": "NotAvailable"}]]
    assert call(xl, "AIJRI_TASK_RESISTANCE", [[0.5], [na]], column([2, 3])) == real_na
    assert call(xl, "AIJRI_ZONE", [[na]]) == real_na
    assert iferror(xl, "AIJRI_ZONE", [[na]]) == [["check the inputs"]]


def test_an_unknown_parameter_is_not_available(xl):
    assert call(xl, "AIJRI_PARAM", "GREN_MIN") == [
        [{"type": "Error", "errorType": "NotAvailable"}]]
    with pytest.raises(xl.errors.ExcelFunctionError, match="class_name 'MAYBE' is not one"):
        call(xl, "AIJRI_SPLIT", column(PCTS), column(CLASSES), "MAYBE")


def test_an_internal_error_is_still_a_reason_not_a_traceback(xl, monkeypatch):
    monkeypatch.setattr(xl.udfs, "zone_of", lambda s: 1 / 0)
    with pytest.raises(xl.errors.ExcelFunctionError,
                       match="internal error in AIJRI_ZONE: ZeroDivisionError"):
        call(xl, "AIJRI_ZONE", cell(50))


def test_the_text_form_stays_for_the_classic_add_in_and_python():
    assert not plain_errors.OFFICE_JS and plain_errors.ROUTE == "python"
    assert plain.AIJRI_PARAM("GREN_MIN").startswith("#N/A no parameter 'GREN_MIN'")
    assert plain.AIJRI_ZONE(101) == "#VALUE! the score must be 0 to 100, found 101"


def test_an_exact_error_string_becomes_a_real_error_in_office_js(xl):
    """What passing an error on relies on: xlwings writes a returned string that is
    exactly an Excel error as a real error, and leaves longer text as text."""
    from xlwings.pro.udfs_officejs import convert as _convert  # the dispatcher's writer

    data = call_data(xl, "AIJRI_METHOD")
    returned = asyncio.run(_convert("#N/A", {"options": {}}, data))
    assert returned == [[{"type": "Error", "errorType": "NotAvailable"}]]
    assert asyncio.run(_convert("#N/A why", {"options": {}}, data)) == [["#N/A why"]]


# --------------------------------------------------------------------------- the script


def test_verify_script_on_the_projects_workbook_writes_pass(xl):
    actions = run_script(xl, payload_from_xlsx(xl.xw.__version__, EXAMPLE))
    assert actions[0]["func"] == "addSheet" and actions[0]["args"][-1] == "AIJRI Verify"
    table = written_table(actions)
    assert table[0][:3] == ["Verdict", "PASS", "0 error(s), 0 warning(s)"], table
    assert table[2] == ["Code", "Severity", "Where", "Message"]
    assert len(table) == 3


def test_verify_script_finds_a_value_typed_over_the_score(xl):
    cell_ = layout().by_name["score"]
    payload = payload_from_xlsx(xl.xw.__version__, tamper.set_value(
        EXAMPLE.read_bytes(), cell_.sheet, cell_.ref, 52.9))
    table = written_table(run_script(xl, payload))
    assert table[0][1] == "FAIL"
    assert table[3][:3] == ["AIJ-E103", "error", f"{cell_.sheet}!{cell_.ref}"]
    assert "shows 52.9" in table[3][3] and "the method gives 52.8" in table[3][3]


def test_verify_script_clears_its_sheet_on_a_second_run(xl):
    payload = payload_from_xlsx(xl.xw.__version__, EXAMPLE)
    payload["sheets"].append({"name": "AIJRI Verify", "values": [["Verdict", "FAIL"]],
                              "pictures": [], "tables": []})
    actions = run_script(xl, payload)
    assert actions[0]["func"] == "sheetClearContents"
    assert written_table(actions)[0][1] == "PASS"


def test_verify_script_on_a_book_that_is_not_an_assessment(xl):
    payload = {"client": "Office.js", "version": xl.xw.__version__,
               "book": {"name": "Book1.xlsx", "active_sheet_index": 0, "selection": "A1"},
               "names": [], "sheets": [{"name": "Sheet1", "values": [["x", 1]],
                                        "pictures": [], "tables": []}]}
    table = written_table(run_script(xl, payload))
    assert table[0][1] == "FAIL" and {r[0] for r in table[3:]} == {"AIJ-X301"}
