"""The portfolio register: every assessment under some folders, in one table and one workbook.

``register(paths)`` returns a pandas DataFrame, one row per assessment; ``build_register``
returns the whole :class:`Register` (rows, flags, counts, the calibration view) and
``write_register`` writes it as ``.xlsx``, ``.csv`` or ``.json``. ``aijri register`` is the
command line around them. One module per job:

- :mod:`~aijri_xl.registry.model`: the rows, flags, calibration entries and counts;
- :mod:`~aijri_xl.registry.build`: reading, merging, flagging, placing;
- :mod:`~aijri_xl.registry.write`: ``.json`` and ``.csv``, and the register's mark;
- :mod:`~aijri_xl.registry.workbook`: the ``.xlsx`` with its sheets and charts.
"""

from __future__ import annotations

from aijri_xl.registry.build import (
    assemble,
    build_register,
    collect_sources,
    register,
    summary_text,
)
from aijri_xl.registry.model import (
    ASSESSOR_SPREAD,
    COLUMN_LABELS,
    COLUMN_NAMES,
    COLUMNS,
    FLAG_CODES,
    FLAG_COLUMNS,
    NOT_VERIFIED,
    READING_COLUMNS,
    REGISTER_TITLE,
    VERDICTS,
    CalibrationEntry,
    Flag,
    PeerCheck,
    Register,
    RegisterRow,
    RoleAgreement,
)
from aijri_xl.registry.workbook import register_workbook_bytes
from aijri_xl.registry.write import is_register_file, write_register

__all__ = [
    "ASSESSOR_SPREAD", "COLUMNS", "COLUMN_LABELS", "COLUMN_NAMES", "FLAG_CODES",
    "FLAG_COLUMNS", "NOT_VERIFIED", "READING_COLUMNS", "REGISTER_TITLE", "VERDICTS",
    "CalibrationEntry", "Flag", "PeerCheck", "Register", "RegisterRow", "RoleAgreement",
    "assemble", "build_register", "collect_sources",
    "is_register_file", "register", "register_workbook_bytes", "summary_text",
    "write_register",
]
