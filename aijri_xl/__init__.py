"""aijri_xl: the AIJRI method (AI Job Resilience Index) where assessors work, in Excel.

The reference engine (:func:`score`) is pure; readers and writers are adapters around it.
Every public name is imported on first use (:data:`_LAZY`, PEP 562), so that importing
the package, and every ``aijri`` command, pays only for what it uses: ``import aijri_xl``
loads no YAML, spreadsheet, pandas or formula-engine module. Among them the review
analytics: :func:`review` (what changed between two versions and why the score moved),
:func:`sensitivity` and :func:`agreement`.
"""

from aijri_xl._version import __version__

TYPE_CHECKING = False  # what typing.TYPE_CHECKING is, without importing typing
if TYPE_CHECKING:  # what the names below are, for type checkers and editors
    from aijri_xl.analytics.agreement import agreement
    from aijri_xl.analytics.page import publish
    from aijri_xl.analytics.review import review
    from aijri_xl.analytics.sensitivity import sensitivity
    from aijri_xl.method.engine import AssessmentError, Result, score, score_from_scores
    from aijri_xl.method.excel_math import excel_round
    from aijri_xl.method.findings import CODES, Finding, verdict
    from aijri_xl.method.loaded import Loaded, StatedFigure
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
    from aijri_xl.method.parameters import (
        METHOD,
        PARAMETERS,
        PARAMS,
        RESULT_FIELDS,
        Parameter,
    )
    from aijri_xl.method.rules import check
    from aijri_xl.registry import register
    from aijri_xl.sources import load
    from aijri_xl.verify.audit import audit
    from aijri_xl.verify.file import Verification, verify_bytes, verify_file
del TYPE_CHECKING

_LAZY: dict[str, str] = {
    "AssessmentError": "method.engine", "Result": "method.engine", "score": "method.engine",
    "score_from_scores": "method.engine",
    "excel_round": "method.excel_math",
    "CODES": "method.findings", "Finding": "method.findings", "verdict": "method.findings",
    "Loaded": "method.loaded", "StatedFigure": "method.loaded",
    **dict.fromkeys(("Assessment", "CalibrationPeer", "Commentary", "Growth", "Override",
                     "RoleDefinition", "Scored", "Task"), "method.model"),
    **dict.fromkeys(("METHOD", "PARAMETERS", "PARAMS", "RESULT_FIELDS", "Parameter"),
                    "method.parameters"),
    "check": "method.rules",
    "load": "sources",
    "audit": "verify.audit",
    "Verification": "verify.file", "verify_file": "verify.file", "verify_bytes": "verify.file",
    "register": "registry",
    "publish": "analytics.page", "review": "analytics.review",
    "sensitivity": "analytics.sensitivity", "agreement": "analytics.agreement",
}
"""Every public name but ``__version__``, and the module (under ``aijri_xl``) it is
imported from on first use."""


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
    """The loaded names and every lazy one, so that ``dir()`` and ``help()`` list them."""
    return sorted(set(globals()) | set(_LAZY))


__all__ = ["__version__", *sorted(_LAZY)]
