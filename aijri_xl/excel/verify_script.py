""""Verify this workbook": an xlwings script that checks the open assessment workbook.

It runs the checks that need no file, only the workbook's values as Excel holds them:

- identity: the ``method`` and ``template_version`` names (AIJ-X301, AIJ-X302, AIJ-E011);
- every defined name of WORKBOOK-CONTRACT.md is present (AIJ-X303);
- every parameter cell holds the method's value (AIJ-X307);
- the inputs, by the method's consistency rules (:func:`aijri_xl.validate.check`);
- every result cell's value against the reference engine (:func:`aijri_xl.engine.score`):
  within a relative 1e-9, the one-decimal score exactly, a differently rounded tie a
  warning (AIJ-E103, AIJ-W104; AIJRI-METHOD.md §5).

It writes the findings (code, severity, where, message) to the sheet ``AIJRI Verify``,
created or cleared. Formula integrity, macros and external links need the file itself:
``aijri verify FILE`` checks those.

The logic is a pure function of the names' values (:func:`verify_values`), so it is
tested without Excel; :func:`verify_book` reads and writes through xlwings' Book API and
works on any xlwings Book: in xlwings Lite and xlwings Server through the ``@script``
:func:`verify_workbook`, on Windows from VBA with
``RunPython "import aijri_xl.xlwings_verify as v; v.verify_caller()"``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import xlwings as xw

from aijri_xl.excel.functions import (
    is_blank,
    is_excel_error,
    is_number,
    override_far_off,
    read_inputs,
)
from aijri_xl.method.compare import agrees
from aijri_xl.method.engine import AssessmentError, Result, score
from aijri_xl.method.findings import SEVERITY_ORDER, Finding, verdict
from aijri_xl.method.parameters import (
    BARRIERS,
    EVIDENCE,
    METHOD,
    PARAMETERS,
    PROTECTIVE,
    RESULT_FIELDS,
    TEMPLATE_VERSION,
)

VERIFY_SHEET = "AIJRI Verify"
"""The sheet the script writes its findings to."""

IDENTITY_NAMES: tuple[str, ...] = ("method", "template_version")
ROLE_NAMES: tuple[str, ...] = (
    "role_title", "role_seniority", "role_primary_function", "role_not",
    "role_typical_experience", "role_seniority_note", "assessor", "assessment_date",
    "role_id", "occupation_code",
)
TASK_COLUMNS: dict[str, str] = {
    # defined name → what findings about its cells end in (tasks[2].score)
    "task_name": "name", "task_time": "time", "task_score": "score", "task_class": "class",
}
INPUT_NAMES: tuple[str, ...] = (
    *ROLE_NAMES, *(d.name for d in PROTECTIVE), "growth_correlation", *TASK_COLUMNS,
    *(d.name for d in EVIDENCE), *(d.name for d in BARRIERS), "override_score",
    "override_justification",
)
RESULT_NAMES: tuple[str, ...] = tuple(
    f for f in RESULT_FIELDS if f not in ("method", "growth_correlation", "override"))
"""The contract's result names: the §4 fields a formula cell holds."""
PARAMETER_NAMES: tuple[str, ...] = tuple(p.name for p in PARAMETERS)
CONTRACT_NAMES: tuple[str, ...] = (*IDENTITY_NAMES, *INPUT_NAMES, *RESULT_NAMES,
                                   *PARAMETER_NAMES)


# --------------------------------------------------------------------------- where


_CELL = re.compile(r"^(?:(?P<sheet>.+)!)?\$?(?P<col>[A-Z]{1,3})\$?(?P<row>\d+)")


def cell_in_range(address: str, row: int) -> str:
    """The cell ``row`` (1-based) of a one-column range: ``Tasks!$C$8:$C$32``, 3 →
    ``Tasks!C10``."""
    m = _CELL.match(address)
    if not m:
        return f"{address} row {row}"
    sheet = f"{m['sheet']}!" if m["sheet"] else ""
    return f"{sheet}{m['col']}{int(m['row']) + row - 1}"


def _plain(address: str) -> str:
    return address.replace("$", "")


class _Places:
    """Where a finding is, as 'cell (defined name)', from the names' addresses."""

    def __init__(self, addresses: Mapping[str, str], rows: dict[int, int]):
        self.addresses = addresses
        self.rows = rows
        self.by_field = {"role.title": "role_title", "growth.correlation": "growth_correlation",
                         "override.score": "override_score", "override": "override_score",
                         "override.justification": "override_justification",
                         "tasks": "task_time"}
        for block, dims in (("protective", PROTECTIVE), ("evidence", EVIDENCE),
                            ("barriers", BARRIERS)):
            for d in dims:
                self.by_field[f"{block}.{d.key}.score"] = d.name
        self.columns = {attr: name for name, attr in TASK_COLUMNS.items()}

    def of_name(self, name: str) -> str:
        address = self.addresses.get(name)
        return f"{_plain(address)} ({name})" if address else name

    def of_field(self, path: str | None) -> str | None:
        if path is None:
            return None
        m = re.match(r"^tasks\[(\d+)\]\.(\w+)$", path)
        if m:
            row = self.rows.get(int(m[1]), int(m[1]) + 1)
            name = self.columns.get(m[2], "task_time")
            address = self.addresses.get(name)
            cell = cell_in_range(address, row) if address else f"row {row}"
            return f"{cell} ({name})"
        name = self.by_field.get(path)
        return self.of_name(name) if name else path


# --------------------------------------------------------------------------- the checks


def verify_values(values: Mapping[str, Any],
                  addresses: Mapping[str, str] | None = None) -> list[Finding]:
    """Every check that needs only the workbook's values.

    ``values`` maps a defined name to what its range holds: a cell's value, or for a
    task column its cells top to bottom (a list, or rows of one cell); blanks as
    ``None``, error cells as their text (``"#VALUE!"``). ``addresses`` maps names to
    their ranges (``Tasks!$C$8:$C$32``) to say which cell a finding concerns."""
    addresses = addresses or {}
    places = _Places(addresses, {})
    out: list[Finding] = []
    if "method" not in values:
        return [Finding("AIJ-X301", "not an AIJRI workbook: it has no defined name 'method'",
                        where="method")]
    method = values["method"]
    if method != METHOD:
        return [Finding("AIJ-E011", f"method {method!r} is not {METHOD}; refusing to check "
                        f"it with {METHOD}'s parameters", where=places.of_name("method"),
                        expected=METHOD, actual=method)]
    if "template_version" not in values:
        out.append(Finding("AIJ-X301", "the defined name 'template_version' is missing",
                           where="template_version"))
    else:
        version = values["template_version"]
        version = int(version) if isinstance(version, float) and version.is_integer() \
            else version
        if str(version) != TEMPLATE_VERSION:
            out.append(Finding("AIJ-X302", f"template_version {values['template_version']!r}"
                               f" is not {TEMPLATE_VERSION!r}, the one this package knows",
                               where=places.of_name("template_version"),
                               expected=TEMPLATE_VERSION, actual=values["template_version"]))
    out += [Finding("AIJ-X303", f"the defined name '{name}' is missing", where=name)
            for name in CONTRACT_NAMES if name not in values and name not in IDENTITY_NAMES]
    out += _parameter_findings(values, places)

    inputs = read_inputs(
        title=values.get("role_title"),
        times=values.get("task_time"), scores=values.get("task_score"),
        classes=values.get("task_class"), task_names=values.get("task_name"),
        protective=[values.get(d.name) for d in PROTECTIVE],
        growth=values.get("growth_correlation"),
        evidence=[values.get(d.name) for d in EVIDENCE],
        barriers=[values.get(d.name) for d in BARRIERS],
        override=values.get("override_score"),
        justification=values.get("override_justification"),
        workbook=True,
    )
    places.rows = inputs.rows
    rules = list(inputs.findings)
    try:
        result: Result | None = score(inputs.assessment)
    except AssessmentError:
        result = None  # the findings say why
    if result is not None:
        far = override_far_off(inputs)
        if far is not None:
            rules.append(far)
    out += [f.located(places.of_field(f.field)) for f in rules]
    if result is not None:
        out += compare_results(values, result, places)
    out.sort(key=lambda f: -SEVERITY_ORDER[f.severity])
    return out


def _parameter_findings(values: Mapping[str, Any], places: _Places) -> list[Finding]:
    out = []
    for p in PARAMETERS:
        if p.name not in values:
            continue
        held = values[p.name]
        if not is_number(held) or float(held) != float(p.value):
            out.append(Finding("AIJ-X307", f"parameter {p.name} holds {held!r}, the method's "
                               f"value is {p.value:g}", where=places.of_name(p.name),
                               expected=p.value, actual=held))
    return out


def compare_results(values: Mapping[str, Any], result: Result,
                    places: _Places | None = None) -> list[Finding]:
    """Each result cell against the reference (§5, a value a spreadsheet computed), by
    the verifier's own rule (compare.agrees)."""
    places = places or _Places({}, {})
    out = []
    for name in RESULT_NAMES:
        if name not in values:
            continue
        cached, expected = values[name], result.workbook_value(name)
        where = places.of_name(name)
        verdict = agrees(name, cached, result)
        if verdict == "ok":
            continue
        if verdict == "tie":
            out.append(Finding("AIJ-W104", f"{name} is {cached:g} where the reference rounds "
                               f"{result.score_unrounded!r} to {expected:g}: a tie rounded "
                               "the other way", where=where, field=name,
                               expected=expected, actual=cached))
            continue
        out.append(Finding("AIJ-E103", f"{name} {_describe(cached, expected)}", where=where,
                           field=name, expected=expected, actual=cached))
    return out


def _describe(cached: Any, expected: Any) -> str:
    """How a cached value that disagrees with the reference departs from it."""
    shown = f"{expected:g}" if isinstance(expected, float) else repr(expected)
    if is_excel_error(cached):
        return f"holds the error {cached}, the method gives {shown}"
    if is_blank(cached):
        return f"is blank, the method gives {shown}"
    if isinstance(expected, str):
        return f"is {cached!r}, the method gives {shown}"
    if not is_number(cached):
        return f"holds {cached!r}, not a number; the method gives {shown}"
    return f"is {cached!r}, the method gives {expected!r}"


# --------------------------------------------------------------------------- the book


def read_book(book: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """The values and addresses of the workbook-level defined names of an xlwings Book
    (task columns as lists, error cells as their text)."""
    values: dict[str, Any] = {}
    addresses: dict[str, str] = {}
    wanted = set(CONTRACT_NAMES)
    for name in book.names:
        key = name.name
        if key not in wanted:
            continue  # another name, or a sheet-scoped one ("Sheet1!x")
        try:
            rng = name.refers_to_range
        except Exception:  # a name that is not a range (a constant, a formula)
            continue
        if key in TASK_COLUMNS:
            rows = rng.options(ndim=2, err_to_str=True).value or []
            values[key] = [row[0] if row else None for row in rows]
        else:
            values[key] = rng.options(err_to_str=True).value
        addresses[key] = f"{rng.sheet.name}!{rng.address}"
    return values, addresses


def findings_table(findings: list[Finding]) -> list[list[Any]]:
    """The rows the script writes: a verdict line, then code, severity, where, message."""
    errors = sum(f.severity == "error" for f in findings)
    warnings = sum(f.severity == "warning" for f in findings)
    rows: list[list[Any]] = [
        ["Verdict", verdict(findings), f"{errors} error(s), {warnings} warning(s)",
         f"checked against the {METHOD} reference engine; formulas, macros and links: "
         "run 'aijri verify' on the file"],
        [None, None, None, None],
        ["Code", "Severity", "Where", "Message"],
    ]
    rows += [[f.code, f.severity, f.where or "", f.message] for f in findings]
    return rows


def write_findings(book: Any, findings: list[Finding]) -> Any:
    """Write the findings to the ``AIJRI Verify`` sheet (created, or cleared first)."""
    names = [s.name for s in book.sheets]
    if VERIFY_SHEET in names:
        sheet = book.sheets[VERIFY_SHEET]
        sheet.clear_contents()
    else:
        sheet = book.sheets.add(name=VERIFY_SHEET, after=book.sheets[len(names) - 1])
    sheet["A1"].value = findings_table(findings)
    return sheet


def verify_book(book: Any) -> list[Finding]:
    """Verify an open workbook and write the findings to its ``AIJRI Verify`` sheet."""
    values, addresses = read_book(book)
    findings = verify_values(values, addresses)
    write_findings(book, findings)
    return findings


@xw.script(name="Verify this workbook")
def verify_workbook(book: xw.Book) -> None:
    """Check the AIJRI assessment in this workbook against the reference engine and list
    the findings on the sheet 'AIJRI Verify'."""
    verify_book(book)


def verify_caller() -> list[Finding]:
    """For the Windows add-in: ``RunPython "import aijri_xl.xlwings_verify as v;
    v.verify_caller()"`` verifies the workbook the button is in."""
    return verify_book(xw.Book.caller())
