"""aijri_xl: the AIJRI method (AI Job Resilience Index) where assessors work, in Excel.

The reference engine (:func:`score`) is pure; readers and writers are adapters around it.
"""

from .batch import audit
from .engine import AssessmentError, Result, score, score_from_scores
from .excel_math import excel_round
from .findings import CODES, Finding, verdict
from .method import METHOD, PARAMETERS, PARAMS, RESULT_FIELDS, Parameter
from .model import (
    Assessment,
    CalibrationPeer,
    Commentary,
    Growth,
    Override,
    RoleDefinition,
    Scored,
    Task,
)
from .sources import Loaded, StatedFigure, load
from .validate import check
from .verify import Verification, verify_file

__version__ = "0.1.0"

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
    "audit",
    "check",
    "excel_round",
    "load",
    "score",
    "score_from_scores",
    "verdict",
    "verify_file",
]
