"""aijri_xl: the AIJRI method (AI Job Resilience Index) where assessors work, in Excel.

The reference engine (:func:`score`) is pure; readers and writers are adapters around it.
:func:`register` and :func:`publish` load their writers (XlsxWriter, pandas) on first use,
so that importing the package, and every ``aijri`` command, stays quick; so do the review
analytics: :func:`review` (what changed between two versions and why the score moved),
:func:`sensitivity` and :func:`agreement`.
"""

from aijri_xl._version import __version__
from aijri_xl.method.engine import AssessmentError, Result, score, score_from_scores
from aijri_xl.method.excel_math import excel_round
from aijri_xl.method.findings import CODES, Finding, verdict
from aijri_xl.method.model import (
    Assessment,
    CalibrationPeer,
    Commentary,
    Growth,
    Override,
    RoleDefinition,
    Scored,
    Task,
)
from aijri_xl.method.parameters import METHOD, PARAMETERS, PARAMS, RESULT_FIELDS, Parameter
from aijri_xl.method.rules import check
from aijri_xl.sources import Loaded, StatedFigure, load
from aijri_xl.verify.audit import audit
from aijri_xl.verify.file import Verification, verify_file

_LAZY = {"register": "registry", "publish": "analytics.page", "review": "analytics.review",
         "sensitivity": "analytics.sensitivity", "agreement": "analytics.agreement"}
"""Public functions imported on first use: name -> module."""


_LAZY_SUBPACKAGES = ("occupations",)
"""Subpackages reachable as ``aijri_xl.<name>`` without an import of their own (their data
is still read only when a function of theirs needs it)."""


def __getattr__(name: str) -> object:
    from importlib import import_module

    if name in _LAZY_SUBPACKAGES:
        return import_module(f".{name}", __name__)
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'aijri_xl' has no attribute {name!r}")

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The package's names, the lazy ones included, so that ``help(aijri_xl)`` and tab
    completion show :func:`publish` and :func:`register` (listing them loads them)."""
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "CODES",
    "METHOD",
    "PARAMETERS",
    "PARAMS",
    "RESULT_FIELDS",
    "Assessment",
    "AssessmentError",
    "CalibrationPeer",
    "Commentary",
    "Finding",
    "Growth",
    "Loaded",
    "Override",
    "Parameter",
    "Result",
    "RoleDefinition",
    "Scored",
    "StatedFigure",
    "Task",
    "Verification",
    "__version__",
    "agreement",
    "audit",
    "check",
    "excel_round",
    "load",
    "publish",
    "register",
    "review",
    "score",
    "score_from_scores",
    "sensitivity",
    "verdict",
    "verify_file",
]
