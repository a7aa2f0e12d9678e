"""OpenFormula (what LibreOffice stores in .ods) translated to the template's Excel syntax."""

from __future__ import annotations

import pytest

from aijri_xl.verify.workbook_checks import external_reach, normalise
from aijri_xl.workbook.layout import layout
from aijri_xl.workbook.openformula import (
    FormulaSyntaxError,
    range_address_to_excel,
    reference_to_excel,
    to_excel,
    translate_cell_formula,
)

CASES = [
    # references
    ("of:=[.B5]", "B5"),
    ("of:=[.$B$5]", "$B$5"),
    ("of:=[.B5]*[$Parameters.$B$4]", "B5*Parameters!$B$4"),
    ("of:=SUM([.C5:.C29])", "SUM(C5:C29)"),
    ("of:=SUM([$Tasks.$C$5:.$C$29])", "SUM(Tasks!$C$5:$C$29)"),
    ("of:=[Tasks.C5]", "Tasks!C5"),
    ("of:=SUM([$'My sheet'.A1:.B2])", "SUM('My sheet'!A1:B2)"),
    ("of:=[$'It''s'.A1]", "'It''s'!A1"),
    ("of:=[$'2024'.A1]", "'2024'!A1"),
    ("of:=[$'A1'.B2]", "'A1'!B2"),
    ("of:=SUM([.A:.A])", "SUM(A:A)"),
    ("of:=SUM([.$A:.$C])", "SUM($A:$C)"),
    ("of:=SUM([.1:.3])", "SUM(1:3)"),
    ("of:=SUM([$S1.A1:$S2.B2])", "SUM('S1:S2'!A1:B2)"),
    ("of:=SUM([$Jan.A1:$Feb.B2])", "SUM(Jan:Feb!A1:B2)"),
    ("of:=[.#REF!]+1", "#REF!+1"),
    ("of:=[$#REF!.A1]", "#REF!"),
    ("of:=['file:///tmp/x.ods'#$Sheet1.A1]", "'[file:///tmp/x.ods]Sheet1'!A1"),
    ("of:=['../other.ods'#$Data.B2:.B9]", "'[../other.ods]Data'!B2:B9"),
    # separators, operators, arrays
    ('of:=IF(AND(ISNUMBER([.C5]);ISNUMBER([.D5]));[.C5]*[.D5];"")',
     'IF(AND(ISNUMBER(C5),ISNUMBER(D5)),C5*D5,"")'),
    ("of:=SUM([.A1:.A3]~[.C1])", "SUM(A1:A3,C1)"),
    ("of:=SUM([.A1:.B9]![.B1:.C9])", "SUM(A1:B9 B1:C9)"),
    ("of:={1;2|3;4}", "{1,2;3,4}"),
    ("of:=SUM({1;2;3})*2", "SUM({1,2,3})*2"),
    ("of:=[.A1]<>[.B1]", "A1<>B1"),
    ("of:=[.A1]&\" \"&[.B1]", 'A1&" "&B1'),
    ("of:=50%", "50%"),
    ("of:=-[.A1]^2", "-A1^2"),
    ("of:=1.5E-3+.25", "1.5E-3+.25"),
    # strings are copied exactly, whatever they hold
    ('of:="a;b[.A1]|~!""x"""', '"a;b[.A1]|~!""x"""'),
    ('of:=IF([.A1]="";"Incomplete: fill the yellow cells";"Complete")',
     'IF(A1="","Incomplete: fill the yellow cells","Complete")'),
    # booleans, errors, names
    ("of:=TRUE()", "TRUE"),
    ("of:=IF([.A1];FALSE( );TRUE())", "IF(A1,FALSE,TRUE)"),
    ("of:=ISNA(#N/A)", "ISNA(#N/A)"),
    ("of:=IFERROR(1/0;#DIV/0!)", "IFERROR(1/0,#DIV/0!)"),
    ("of:=MIN(MAX((raw-SCORE_OFFSET)/SCORE_SPAN*100;SCORE_MIN);SCORE_MAX)",
     "MIN(MAX((raw-SCORE_OFFSET)/SCORE_SPAN*100,SCORE_MIN),SCORE_MAX)"),
    ("of:=SUMIF(task_score;5;task_time)", "SUMIF(task_score,5,task_time)"),
    # function names
    ("of:=COM.MICROSOFT.IFS([.A1]>1;1;TRUE();2)", "IFS(A1>1,1,TRUE,2)"),
    ("of:=COM.MICROSOFT.WEBSERVICE(\"http://x\")", 'WEBSERVICE("http://x")'),
    ("of:=CEILING.XCL([.A1];2)", "CEILING(A1,2)"),
    ("of:=LEGACY.TDIST(1;2;2)", "TDIST(1,2,2)"),
    ("of:=round([.A1];1)", "ROUND(A1,1)"),
    ("of:=ORG.OPENOFFICE.ROUNDSIG([.A1];2)", "ORG.OPENOFFICE.ROUNDSIG(A1,2)"),
    ('of:=DDE("soffice";"/tmp/x.ods";"A1")', 'DDE("soffice","/tmp/x.ods","A1")'),
    # other namespaces
    ("oooc:=SUM([.A1:.A2])", "SUM(A1:A2)"),
    ("msoxl:=SUM(A1:A2,B1)", "SUM(A1:A2,B1)"),
    ("=[.A1]+1", "A1+1"),
]


@pytest.mark.parametrize(("stored", "excel"), CASES, ids=[c[0] for c in CASES])
def test_openformula_translates_to_excel(stored, excel):
    assert translate_cell_formula(stored) == excel


@pytest.mark.parametrize("stored", [
    "of:=[.A1",                 # an unclosed reference
    'of:="abc',                 # an unclosed string
    "of:=[$'Sheet.A1]",         # an unclosed sheet quote
    "of:=[.NOTACELL]",          # not a reference
    "of:=[.A1:.B2:.C3]",        # three ends
    "of:='abc'",                # a quote outside a reference
    "of:=#",                    # a stray '#'
    "xyz:=SUM(A1)",             # a namespace that is not OpenFormula
    "SUM(A1)",                  # not a formula at all
])
def test_what_is_not_openformula_is_refused(stored):
    with pytest.raises(FormulaSyntaxError):
        translate_cell_formula(stored)


@pytest.mark.parametrize(("address", "excel"), [
    ("$Tasks.$C$5:.$C$29", "Tasks!$C$5:$C$29"),
    ("$Role.$B$13", "Role!$B$13"),
    ("$'A b'.$A$1 $Summary.B2", "'A b'!$A$1,Summary!B2"),
    ("$'x y'.$A$1:.$A$3;$'x y'.$C$1", "'x y'!$A$1:$A$3,'x y'!$C$1"),
    ("$Tasks.$4:.$4", "Tasks!$4:$4"),
])
def test_named_range_addresses(address, excel):
    assert range_address_to_excel(address) == excel


def test_a_cell_part_is_upper_cased_and_deleted_references_stay_errors():
    assert reference_to_excel(".b5") == "B5"
    assert reference_to_excel(".A1:.#REF!") == "#REF!"


def _to_openformula(excel: str) -> str:
    """The template's Excel formula written as LibreOffice writes OpenFormula: references
    in brackets with a sheet dot, ``;`` between arguments (the strings left alone)."""
    import re

    out, last = [], 0
    for m in re.finditer(r'"(?:[^"]|"")*"', excel):
        out.append(_code(excel[last:m.start()]))
        out.append(m.group(0))
        last = m.end()
    out.append(_code(excel[last:]))
    return "of:=" + "".join(out)


def _code(code: str) -> str:
    import re

    def ref(m: re.Match[str]) -> str:
        sheet, cells = m.group(1), m.group(2)
        parts = cells.split(":")
        head = f"$'{sheet}'." if sheet else "."
        return "[" + head + parts[0] + "".join(":." + p for p in parts[1:]) + "]"

    code = re.sub(r"(?:([A-Za-z]+)!)?(\$?[A-Z]{1,3}\$?[0-9]+(?::\$?[A-Z]{1,3}\$?[0-9]+)?)"
                  r"(?![\w(])", ref, code)
    return code.replace(",", ";")


@pytest.mark.parametrize("cell", layout().formula_cells(), ids=lambda c: f"{c.sheet}!{c.ref}")
def test_every_template_formula_survives_the_round_trip(cell):
    """Every formula of the layout, written in OpenFormula, translates back to a text the
    verifier takes for the template's (the LibreOffice tests check the real files)."""
    assert cell.formula is not None
    assert normalise(to_excel(_to_openformula(cell.formula)[4:])) == normalise(cell.formula)


def test_a_translated_link_to_another_file_is_reported_as_one():
    assert external_reach(translate_cell_formula("of:=['../x.ods'#$Data.A1]+1")) is not None
    assert external_reach(translate_cell_formula('of:=DDE("soffice";"x.ods";"A1")')) is not None
    assert external_reach(translate_cell_formula(
        "of:=COM.MICROSOFT.WEBSERVICE(\"https://example.org\")")) is not None
    assert external_reach(translate_cell_formula("of:=SUM([$Tasks.C5:.C29])")) is None


def test_a_structured_reference_is_not_taken_for_a_link():
    assert external_reach("SUM(Table1[Amount])+Sheet2!A1") is None
    assert external_reach(translate_cell_formula("of:=['x.ods'#$'My s'.A1]")) is not None


def test_a_digit_only_unicode_calls_a_digit_is_passed_on_not_looped_over():
    """``²`` is a digit to ``str.isdigit``; the number pattern (0-9) matches nothing at it,
    so reading it as a number would never move on (the verifier hung on such a formula)."""
    assert to_excel("=[.A1]+²") == "A1+²"
    assert to_excel("=²+.5") == "²+.5"
