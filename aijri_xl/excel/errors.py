"""How a function that cannot compute tells Excel why, on each route.

xlwings chooses its implementation when it is imported (``XLWINGS_ON_SERVER=true`` in
xlwings Lite and Server), and so does this module (:data:`OFFICE_JS`):

- **xlwings Lite and xlwings Server** (Office.js custom functions): the function
  *raises* :class:`ExcelFunctionError`, an ``xlwings.XlwingsError``. xlwings Lite turns
  any exception into a ``#VALUE!`` error whose reason Excel shows when you hover over the
  cell's error flag; xlwings Server does the same with HTTP 400, and shows the message of
  an ``XlwingsError`` even in production (other exceptions become "An error occurred.").
  ``IFERROR`` catches it like any ``#VALUE!``. An error cell in the inputs is passed on as
  that same error (``#N/A`` in, ``#N/A`` out), the way Excel's own functions pass errors
  on; so is a lookup that finds nothing (``AIJRI_PARAM`` of an unknown name is ``#N/A``,
  as ``XLOOKUP`` is). Those errors carry no reason: xlwings' client throws every Python
  exception as ``#VALUE!``, and a returned ``"#N/A"`` becomes a bare ``#N/A``.
- **The Windows add-in** (classic UDFs) and **plain Python**: the function returns a
  text that starts with the error code and says why (``#VALUE! task 3: score must be 1
  to 5, found 7``); the classic add-in cannot write a real error cell.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import xlwings as xw

from aijri_xl.excel.cells import RangeShapeError, is_excel_error
from aijri_xl.excel.inputs import ExcelInputError, problem_text, shape_error
from aijri_xl.method.findings import Finding

ExcelResult = Any
"""A number, text, or rows of them (a spilled array)."""


def _office_js() -> bool:
    """Whether ``xw.func`` is xlwings' Office.js implementation (Lite, Server)."""
    server = sys.modules.get("xlwings.server")
    return server is not None and getattr(server, "func", None) is xw.func


OFFICE_JS: bool = _office_js()
"""True in xlwings Lite and xlwings Server: errors are real error cells."""

ROUTE: str = "office.js" if OFFICE_JS else (
    "classic" if getattr(xw.func, "__module__", "") == "xlwings.udfs" else "python")
"""``office.js`` (Lite, Server), ``classic`` (the Windows add-in) or ``python``."""

REAL_ERRORS = frozenset({"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"})
"""The error values xlwings writes as real error cells in Office.js (its
``errorstr_to_errortype``); any other returned error text would show as text."""


class ExcelFunctionError(xw.XlwingsError):
    """Raised into xlwings Lite/Server: Excel shows ``#VALUE!`` with this message."""


class NotFound(Exception):
    """A lookup that found nothing (an unknown parameter name): ``#N/A``."""


def error_text(error: ExcelInputError) -> str:
    """The text form (classic add-in, plain Python) for inputs that cannot be computed
    with: the error code, then the first problem, then how many more there are."""
    first = error.findings[0]
    code = first.actual if is_excel_error(first.actual) else "#VALUE!"
    return f"{code} {reason(error)}"


def reason(error: ExcelInputError) -> str:
    """What is wrong, in one line: the first problem and how many more there are."""
    text = problem_text(error.findings[0], error.rows)
    more = len(error.findings) - 1
    if more:
        text += f" (and {more} more problem{'s' if more > 1 else ''}; see AIJRI_VALIDATE)"
    return text


def passed_on(error: ExcelInputError) -> str | None:
    """The error value to pass on when an input cell holds one that Office.js can show
    as a real error other than ``#VALUE!`` (``#N/A`` in, ``#N/A`` out)."""
    first = error.findings[0]
    if is_excel_error(first.actual) and first.actual in REAL_ERRORS \
            and first.actual != "#VALUE!":
        return str(first.actual)
    return None


def excel_errors(function: Callable[..., ExcelResult]) -> Callable[..., ExcelResult]:
    """Report what stops ``function`` the way the route can (module docstring), never
    with a Python traceback."""

    @functools.wraps(function)
    def wrapped(*args: Any, **kwargs: Any) -> ExcelResult:
        try:
            try:
                return function(*args, **kwargs)
            except RangeShapeError as shape:
                raise shape_error(shape) from None
        except ExcelInputError as exc:
            if not OFFICE_JS:
                return error_text(exc)
            code = passed_on(exc)
            if code is not None:
                return code
            raise ExcelFunctionError(reason(exc)) from None
        except NotFound as exc:
            return "#N/A" if OFFICE_JS else f"#N/A {exc}"
        except Exception as exc:  # a bug: still a reason, never a traceback
            text = f"internal error in {function.__name__}: {type(exc).__name__}: {exc}"
            if OFFICE_JS:
                raise ExcelFunctionError(text) from exc
            return f"#VALUE! {text}"

    # Excel shows the docstring as the function's description: one line, no indents.
    wrapped.__doc__ = " ".join((function.__doc__ or "").split())
    return wrapped


def input_error(code: str, message: str, field: str, actual: Any = None) -> ExcelInputError:
    """One problem with one argument, as the error the function stops with."""
    return ExcelInputError([Finding(code, message, field=field, actual=actual)])
