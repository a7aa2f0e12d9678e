"""The documented module path of the "Verify this workbook" script.

It lives in :mod:`aijri_xl.excel.verify_script`.
"""

from aijri_xl.excel.verify_script import *  # noqa: F403
