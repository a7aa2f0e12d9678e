"""Verification: one file (:mod:`.file`), the figures it states (:mod:`.stated`), the
workbook checks (:mod:`.workbook_checks`) with the independent evaluator
(:mod:`.evaluator`), and the batch audit of many files (:mod:`.audit`).
"""

from aijri_xl.verify.file import Verification, evaluate, verify_bytes, verify_file

__all__ = ["Verification", "evaluate", "verify_bytes", "verify_file"]
