"""The documented module path of the Excel functions (``UDF_MODULES = aijri_xl.udfs``).

The functions live in :mod:`aijri_xl.excel.functions`; xlwings finds them here by the
``xw.func`` marks they carry.
"""

from aijri_xl.excel.functions import *  # noqa: F403
