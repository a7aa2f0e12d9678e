"""The workbook's own checks of AIJRI-METHOD.md §5: each as a native formula and, beside
it, the same rule in Python that gives the formula's cached value.

A check cell holds ``0`` when its rule holds (shown as "OK" by its number format), ``""``
when there is nothing to check (an empty optional input, an empty task row), or a
message that ends with the finding code the verifier gives for the same rule, e.g.
``"✗ time share but no score [AIJ-E006]"`` (a warning starts with ``⚠`` instead).
Counting failing checks is then ``COUNTIF(range,"✗*")`` and finding the first
``MATCH("✗*",range,0)``: the aggregations Excel, LibreOffice and formualizer (the
verifier's engine) all compute alike. Functions are kept to those three agree on, each
applied to single cells (formualizer does not broadcast ISTEXT, LEN or TRIM over ranges;
comparisons and arithmetic it does).

The formulas take cell references and labels as arguments and know nothing of where
they are placed: :mod:`aijri_xl.workbook.layout` places them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from aijri_xl.method.parameters import PARAMS, TASK_CLASSES, default_task_class

PROBLEM = "\u2717 "
"""Every problem message starts with this mark (a cross), every warning with WARNING:
COUNTIF and MATCH then look for the mark, because LibreOffice matches a pattern like
"?*" against numbers too (the 0 of a check that holds)."""
WARNING = "\u26a0 "
PROBLEM_PATTERN, WARNING_PATTERN = PROBLEM + "*", WARNING + "*"
CODE_SUFFIX_CHARS = len(" [AIJ-E001]")  # every code has this length
"""Every message ends with the code in brackets; the status line shows it without."""
DATE_HINT_FROM = 10_000
"""A number this large in a score or time cell is a date (10,000 is 1927-05-18)."""
DATE_HINT = " (a date? clear the cell's format and retype the number)"


def q(text: str) -> str:
    """A formula string literal."""
    return '"' + text.replace('"', '""') + '"'


def xl_text(value: Any) -> str:
    """A cell value as ``&`` turns it into text in Excel (numbers to 15 significant
    digits, no trailing zeros; TRUE/FALSE)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        number = float(value)
        if math.isfinite(number) and number.is_integer() and abs(number) < 1e15:
            return str(int(number))
        return f"{number:.15g}".replace("e", "E")
    return str(value)


def _blank(value: Any) -> bool:
    """``TRIM(x)=""``: empty, or text of spaces only."""
    return value is None or (isinstance(value, str) and value.strip(" ") == "")


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def xl_round(value: float, digits: int) -> float:
    from aijri_xl.method.excel_math import excel_round

    return excel_round(value, digits)


# ---------------------------------------------------------------------------------------
# A whole-number score (protective, growth, evidence, barriers, the growth check)


def score_check(ref: str, label: str, bounds: tuple[int, int], *, required: bool = True,
                equals: tuple[str, str] | None = None) -> str:
    """``equals=(name, what)``: the score must also equal the defined name ``name``."""
    low, high = bounds
    missing = q(f"{PROBLEM}{label}: score missing [AIJ-E001]") if required else '""'
    head = q(PROBLEM + label + ": ")
    error = q(PROBLEM + label + ": holds an error value [AIJ-E002]")
    last = "0"
    if equals is not None:
        name, what = equals
        last = (f'IF(AND(ISNUMBER({name}),{ref}<>{name}),{q(PROBLEM + label + " ")}&{ref}&'
                f'{q(" differs from the " + what + " ")}&{name}&" [AIJ-E009]",0)')
    return (f'=IFERROR(IF(AND(ISTEXT({ref}),TRIM({ref})<>""),{q(PROBLEM + label + ": the text ")}&'
            f'""""&{ref}&""""&" is not a number: retype it [AIJ-E002]",'
            f'IF(TRIM({ref})="",{missing},'
            f'IF({ref}<>INT({ref}),{head}&{ref}&" is not a whole number [AIJ-E002]",'
            f'IF(OR({ref}<{low},{ref}>{high}),{head}&{ref}&'
            f'{q(f" is outside {low} to {high}")}&IF({ref}>={DATE_HINT_FROM},{q(DATE_HINT)},'
            f'"")&" [AIJ-E003]",{last})))),{error})')


def score_check_value(value: Any, label: str, bounds: tuple[int, int], *,
                      required: bool = True, other: Any = None, what: str = "") -> Any:
    low, high = bounds
    if _is_text(value) and not _blank(value):
        return f'{PROBLEM}{label}: the text "{value}" is not a number: retype it [AIJ-E002]'
    if _blank(value):
        return f"{PROBLEM}{label}: score missing [AIJ-E001]" if required else ""
    if isinstance(value, bool) or float(value) != math.floor(float(value)):
        return f"{PROBLEM}{label}: {xl_text(value)} is not a whole number [AIJ-E002]"
    if not low <= value <= high:
        hint = DATE_HINT if value >= DATE_HINT_FROM else ""
        return f"{PROBLEM}{label}: {xl_text(value)} is outside {low} to {high}{hint} [AIJ-E003]"
    if what and _number(other) and value != other:
        return (f"{PROBLEM}{label} {xl_text(value)} differs from the {what} {xl_text(other)} "
                "[AIJ-E009]")
    return 0


# ---------------------------------------------------------------------------------------
# Text that must be present (the job title)


def required_text_check(ref: str, label: str) -> str:
    return f'=IF(TRIM({ref})="",{q(PROBLEM + label + " missing [AIJ-E001]")},0)'


def required_text_value(value: Any, label: str) -> Any:
    return f"{PROBLEM}{label} missing [AIJ-E001]" if _blank(value) else 0


# ---------------------------------------------------------------------------------------
# The override


def override_check(ref: str, justification: str) -> str:
    return (f'=IFERROR(IF(TRIM({ref})="","",IF(ISTEXT({ref}),"✗ override: the text """&{ref}&'
            '""" is not a number: retype it [AIJ-E002]",'
            f'IF(OR({ref}<0,{ref}>100,ROUND({ref},1)<>{ref}),"✗ override: "&{ref}&'
            '" is not 0 to 100 with one decimal [AIJ-E003]",'
            f'IF(TRIM({justification})="","✗ override without a justification: write why '
            'below [AIJ-E008]",0)))),"✗ override: holds an error value [AIJ-E002]")')


def override_check_value(value: Any, justification: Any) -> Any:
    if _blank(value):
        return ""
    if _is_text(value):
        return f'✗ override: the text "{value}" is not a number: retype it [AIJ-E002]'
    if not 0 <= value <= 100 or xl_round(float(value), 1) != value:
        return f"✗ override: {xl_text(value)} is not 0 to 100 with one decimal [AIJ-E003]"
    if _blank(justification):
        return "✗ override without a justification: write why below [AIJ-E008]"
    return 0


def override_warning(ref: str, score: str) -> str:
    return (f'=IFERROR(IF(AND(ISNUMBER({ref}),ISNUMBER({score})),IF(ABS(ROUND(({ref}-{score})'
            f'*10,0))>ROUND(OVERRIDE_WARN_DELTA*10,0),"⚠ override "&{ref}&" is "&'
            f'ROUND(ABS({ref}-{score}),1)&" points from the formula score "&{score}&'
            '" [AIJ-W021]",""),""),"")')


def override_warning_value(value: Any, score: Any) -> str:
    if not (_number(value) and _number(score)):
        return ""
    if abs(xl_round((value - score) * 10, 0)) > xl_round(PARAMS["OVERRIDE_WARN_DELTA"] * 10,
                                                         0):
        return (f"⚠ override {xl_text(value)} is {xl_text(xl_round(abs(value - score), 1))} "
                f"points from the formula score {xl_text(score)} [AIJ-W021]")
    return ""


# ---------------------------------------------------------------------------------------
# A calibration peer


def peer_check(role: str, score: str) -> str:
    return (f'=IFERROR(IF(AND(TRIM({role})="",TRIM({score})=""),"",IF(OR(TRIM({role})="",'
            f'TRIM({score})=""),"✗ calibration peer needs a role and a score [AIJ-E001]",'
            f'IF(ISTEXT({score}),"✗ calibration score: the text """&{score}&""" is not a '
            'number: retype it [AIJ-E002]",0))),"✗ calibration: holds an error value '
            '[AIJ-E002]")')


def peer_check_value(role: Any, score: Any) -> Any:
    if _blank(role) and _blank(score):
        return ""
    if _blank(role) or _blank(score):
        return "✗ calibration peer needs a role and a score [AIJ-E001]"
    if _is_text(score):
        return f'✗ calibration score: the text "{score}" is not a number: retype it [AIJ-E002]'
    return 0


# ---------------------------------------------------------------------------------------
# A task row (name B, time C, score D, class F, rationale G, default class H)

TASK_ROW_COLUMNS = ("B", "C", "D", "F", "G")


def task_row_check(row: int) -> str:
    b, c, d, f = (f"{col}{row}" for col in "BCDF")
    blank = "AND(" + ",".join(f'TRIM({col}{row})=""' for col in TASK_ROW_COLUMNS) + ")"
    classes = ",".join(f"{f}={q(k)}" for k in TASK_CLASSES)
    return (
        f'=IFERROR(IF({blank},"",'
        f'IF(AND(ISTEXT({c}),TRIM({c})<>""),"✗ time share: the text """&{c}&""" is not a '
        'number: retype it as a percentage, e.g. 25% [AIJ-E002]",'
        f'IF(TRIM({c})="",IF(ISNUMBER({d}),"✗ score but no time share [AIJ-E007]",'
        '"✗ no time share [AIJ-E001]"),'
        f'IF(AND({c}>1,{c}<=100,{c}=INT({c})),"✗ time share "&{c}&" is read as "&{c}*100&'
        f'"%: type "&{c}&"% (or "&{c}/100&") [AIJ-E003]",'
        f'IF({c}>1,"✗ time share "&ROUND({c}*100,4)&"% is over 100%"&IF({c}>={DATE_HINT_FROM},'
        f'{q(DATE_HINT)},"")&" [AIJ-E003]",'
        f'IF({c}<=0,"✗ time share must be above 0% [AIJ-E003]",'
        f'IF(AND(ISTEXT({d}),TRIM({d})<>""),"✗ score: the text """&{d}&""" is not a number: '
        'retype it [AIJ-E002]",'
        f'IF(TRIM({d})="","✗ time share but no score [AIJ-E006]",'
        f'IF({d}<>INT({d}),"✗ score "&{d}&" is not a whole number [AIJ-E002]",'
        f'IF(OR({d}<1,{d}>5),"✗ score "&{d}&" is outside 1 to 5"&IF({d}>={DATE_HINT_FROM},'
        f'{q(DATE_HINT)},"")&" [AIJ-E003]",'
        f'IF(TRIM({f})="","✗ no Aug/Disp class [AIJ-E001]",'
        f'IF(NOT(OR({classes})),"✗ class "&{f}&" is not '
        + ", ".join(TASK_CLASSES) + ' [AIJ-E010]",'
        f'IF(TRIM({b})="","✗ no task name [AIJ-E001]",0))))))))))))),'
        '"✗ holds an error value [AIJ-E002]")')


def task_row_value(name: Any, time: Any, score: Any, task_class: Any,
                   rationale: Any) -> Any:
    if all(_blank(v) for v in (name, time, score, task_class, rationale)):
        return ""
    if _is_text(time) and not _blank(time):
        return (f'✗ time share: the text "{time}" is not a number: retype it as a '
                "percentage, e.g. 25% [AIJ-E002]")
    if _blank(time):
        return "✗ score but no time share [AIJ-E007]" if _number(score) else \
            "✗ no time share [AIJ-E001]"
    if 1 < time <= 100 and float(time).is_integer():
        return (f"✗ time share {xl_text(time)} is read as {xl_text(time * 100)}%: type "
                f"{xl_text(time)}% (or {xl_text(time / 100)}) [AIJ-E003]")
    if time > 1:
        hint = DATE_HINT if time >= DATE_HINT_FROM else ""
        return f"✗ time share {xl_text(xl_round(time * 100, 4))}% is over 100%{hint} [AIJ-E003]"
    if time <= 0:
        return "✗ time share must be above 0% [AIJ-E003]"
    if _is_text(score) and not _blank(score):
        return f'✗ score: the text "{score}" is not a number: retype it [AIJ-E002]'
    if _blank(score):
        return "✗ time share but no score [AIJ-E006]"
    if float(score) != math.floor(float(score)):
        return f"✗ score {xl_text(score)} is not a whole number [AIJ-E002]"
    if not 1 <= score <= 5:
        hint = DATE_HINT if score >= DATE_HINT_FROM else ""
        return f"✗ score {xl_text(score)} is outside 1 to 5{hint} [AIJ-E003]"
    if _blank(task_class):
        return "✗ no Aug/Disp class [AIJ-E001]"
    if str(task_class).upper() not in TASK_CLASSES:
        return f"✗ class {task_class} is not {', '.join(TASK_CLASSES)} [AIJ-E010]"
    if _blank(name):
        return "✗ no task name [AIJ-E001]"
    return 0


def task_row_warning(row: int, names: str) -> str:
    b, d, f, h = (f"{col}{row}" for col in "BDFH")
    blank = "AND(" + ",".join(f'TRIM({col}{row})=""' for col in TASK_ROW_COLUMNS) + ")"
    classes = ",".join(f"{f}={q(k)}" for k in TASK_CLASSES)
    return (f'=IFERROR(IF({blank},"",IF(AND(TRIM({b})<>"",SUMPRODUCT(({names}={b})*1)>1),'
            '"⚠ same name as another task [AIJ-W022]",'
            f'IF(AND(ISNUMBER({d}),{d}=INT({d}),{d}>=1,{d}<=5,OR({classes}),{f}<>{h}),'
            f'"⚠ class "&{f}&" differs from the default "&{h}&" for score "&{d}&'
            '" [AIJ-W020]",""))),"")')


def task_row_warning_value(row_values: tuple[Any, ...], all_names: Sequence[Any]) -> str:
    name, _, score, task_class, _ = row_values
    if all(_blank(v) for v in row_values):
        return ""
    if not _blank(name) and sum(1 for other in all_names if _same(other, name)) > 1:
        return "⚠ same name as another task [AIJ-W022]"
    if _number(score) and float(score).is_integer() and 1 <= score <= 5 \
            and isinstance(task_class, str) and task_class.upper() in TASK_CLASSES:
        default = default_task_class(int(score))
        if task_class.upper() != default:
            return (f"⚠ class {task_class} differs from the default {default} for score "
                    f"{xl_text(score)} [AIJ-W020]")
    return ""


def _same(a: Any, b: Any) -> bool:
    """``=`` between two cells: case-insensitive for text, never text against a number."""
    if isinstance(a, str) and isinstance(b, str):
        return a.casefold() == b.casefold()
    return not isinstance(a, str) and not isinstance(b, str) and a == b and a is not None


# ---------------------------------------------------------------------------------------
# The task table as a whole


def task_table_check(rows_check: str, times: str) -> str:
    filled = f'(COUNT({rows_check})+COUNTIF({rows_check},"{PROBLEM_PATTERN}"))'
    return (f'=IF({filled}=0,"{PROBLEM}no tasks: fill at least one task row [AIJ-E004]",'
            f'IF(COUNTIF({times},">0")-COUNTIF({times},">1")<{filled},"",'
            f'IF(ROUND(ABS(SUM({times})-1)*100,8)>TIME_TOLERANCE_PCT,"{PROBLEM}time shares '
            f'sum to "&ROUND(SUM({times})*100,2)&"%, not 100% [AIJ-E005]",0)))')


def task_table_value(row_checks: Sequence[Any], times: Sequence[Any]) -> Any:
    filled = sum(1 for v in row_checks if _counted(v) or _marked(v, PROBLEM))
    if filled == 0:
        return f"{PROBLEM}no tasks: fill at least one task row [AIJ-E004]"
    numbers = [t for t in times if _number(t)]
    if sum(1 for t in numbers if t > 0) - sum(1 for t in numbers if t > 1) < filled:
        return ""
    total = 0.0
    for t in numbers:
        total += t
    if xl_round(abs(total - 1) * 100, 8) > PARAMS["TIME_TOLERANCE_PCT"]:
        return (f"{PROBLEM}time shares sum to {xl_text(xl_round(total * 100, 2))}%, not 100% "
                "[AIJ-E005]")
    return 0


def task_formulas_check(rows_check: str) -> str:
    """A row without its check formula: a row inserted without copying a row into it
    (COUNTA counts formula cells, "" results included; an inserted cell is empty)."""
    return (f'=IF(COUNTA({rows_check})<ROWS({rows_check}),"{PROBLEM}a task row has no '
            'formulas (inserted?): copy a whole task row into it [AIJ-X305]",0)')


def _counted(value: Any) -> bool:
    """What COUNT counts: a number."""
    return _number(value)


def _marked(value: Any, mark: str) -> bool:
    return isinstance(value, str) and value.startswith(mark)


# ---------------------------------------------------------------------------------------
# The Checks sheet: one line per place, the master status


def line_count(ref: str, mark: str = PROBLEM) -> str:
    return f'=COUNTIF({ref},"{mark}*")'


def _first(column: str, mark: str) -> str:
    return f'INDEX({column},MATCH("{mark}*",{column},0))'


def _unmarked(expr: str) -> str:
    return f"MID({expr},{len(PROBLEM) + 1},{MAX_MESSAGE})"


MAX_MESSAGE = 1000
"""Characters kept of a message after its mark (messages are far shorter)."""


def task_rows_line(rows_check: str, mark: str = PROBLEM) -> str:
    k = f'MATCH("{mark}*",{rows_check},0)'
    return (f'=IF(COUNTIF({rows_check},"{mark}*")=0,IF(COUNT({rows_check})>0,0,""),"{mark}row "&'
            f'ROW(INDEX({rows_check},{k}))&": "&{_unmarked(f"INDEX({rows_check},{k})")})')


def task_rows_line_value(row_checks: Sequence[Any], first_row: int,
                         mark: str = PROBLEM) -> Any:
    for i, v in enumerate(row_checks):
        if _marked(v, mark):
            return f"{mark}row {first_row + i}: {v[len(mark):]}"
    return 0 if any(_counted(v) for v in row_checks) else ""


def sheet_line(problems: str, warnings: str, problem_counts: str,
               warning_counts: str) -> str:
    first_problem = _unmarked(_first(problems, PROBLEM))
    first_warning = _unmarked(_first(warnings, WARNING))
    return (f'=IF(SUM({problem_counts})>0,"Check: "&{first_problem}&'
            f'IF(SUM({problem_counts})>1," (and "&(SUM({problem_counts})-1)&" more on this '
            'sheet)",""),'
            f'IF(SUM({warning_counts})>0,"Checks hold; warning: "&{first_warning},'
            '"Checks on this sheet: all hold"))')


def sheet_line_value(problems: Sequence[Any], warnings: Sequence[Any],
                     problem_counts: Sequence[int], warning_counts: Sequence[int]) -> str:
    n, w = sum(problem_counts), sum(warning_counts)
    if n > 0:
        more = f" (and {n - 1} more on this sheet)" if n > 1 else ""
        return "Check: " + _first_value(problems, PROBLEM)[len(PROBLEM):] + more
    if w > 0:
        return "Checks hold; warning: " + _first_value(warnings, WARNING)[len(WARNING):]
    return "Checks on this sheet: all hold"


def status(problems: str, warnings: str, sheets: str) -> str:
    k = f'MATCH("{PROBLEM}*",{problems},0)'
    first = f"INDEX({problems},{k})"
    kw = f'MATCH("{WARNING}*",{warnings},0)'
    fw = f"INDEX({warnings},{kw})"
    return (f'=IF(check_problems>0,"Check: "&INDEX({sheets},{k})&": "&'
            f'MID({first},{len(PROBLEM) + 1},LEN({first})-{len(PROBLEM) + CODE_SUFFIX_CHARS})&'
            'IF(check_problems>1," (and "&(check_problems-1)&" more)",""),'
            'IF(check_warnings>0,"Complete, with "&check_warnings&IF(check_warnings>1,'
            f'" warnings"," warning")&": "&INDEX({sheets},{kw})&": "&MID({fw},{len(WARNING) + 1},'
            f'LEN({fw})-{len(WARNING) + CODE_SUFFIX_CHARS}),"Complete"))')


def status_value(problems: Sequence[Any], warnings: Sequence[Any], sheets: Sequence[str],
                 n_problems: int, n_warnings: int) -> str:
    if n_problems > 0:
        k = _index(problems, PROBLEM)
        first = str(problems[k])
        more = f" (and {n_problems - 1} more)" if n_problems > 1 else ""
        return f"Check: {sheets[k]}: {first[len(PROBLEM):len(first) - CODE_SUFFIX_CHARS]}{more}"
    if n_warnings > 0:
        k = _index(warnings, WARNING)
        plural = " warnings" if n_warnings > 1 else " warning"
        first = str(warnings[k])
        return (f"Complete, with {n_warnings}{plural}: {sheets[k]}: "
                f"{first[len(WARNING):len(first) - CODE_SUFFIX_CHARS]}")
    return "Complete"


def _index(values: Sequence[Any], mark: str) -> int:
    return next(i for i, v in enumerate(values) if _marked(v, mark))


def _first_value(values: Sequence[Any], mark: str) -> str:
    return str(values[_index(values, mark)])


RESULTS_STATE = ('=IF(final_score="","No result yet: fill the yellow cells",IF(check_problems>0,'
                 '"PROVISIONAL: shown while "&check_problems&IF(check_problems>1," checks fail",'
                 '" check fails")&" (see Checks); not a result to publish",'
                 '"Final: every check holds"))')


def results_state_value(final_score: Any, n_problems: int) -> str:
    if final_score == "" or final_score is None:
        return "No result yet: fill the yellow cells"
    if n_problems > 0:
        fails = " checks fail" if n_problems > 1 else " check fails"
        return (f"PROVISIONAL: shown while {n_problems}{fails} (see Checks); not a result "
                "to publish")
    return "Final: every check holds"
