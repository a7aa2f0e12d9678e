"""A small, bounded reader of ``.xlsx`` files, reading the package as Excel does.

Submitted workbooks are untrusted. The container is checked before anything is inflated
(:mod:`~aijri_xl.workbook.zipcheck`: end records, local against central headers, duplicate
names, compression methods, sizes and ratios); the package is then followed as Excel follows
it (:mod:`~aijri_xl.workbook.package`: content types, relationships to the workbook, its
sheets, shared strings and styles; active content by type, not by name). Every XML part is
streamed: inflated a chunk at a time and parsed as it comes, screened (UTF-8 or UTF-16, no
DTD or entity declaration) and bounded in elements, nesting and text as it streams
(:mod:`~aijri_xl.workbook.xmlparts`; a worksheet's cells are read row by row as they arrive,
:mod:`~aijri_xl.workbook.worksheet`); cells, strings, names and styles are bounded by
:mod:`~aijri_xl.workbook.limits`, sized from the contract.

It reads a cell's formula, cached value and style in one pass, which openpyxl cannot, and
expands Excel's shared formulas, so that every formula cell has its own text whichever
program saved the file. Strict Open XML is read too (its namespaces differ).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path
from struct import error as struct_error

from aijri_xl.workbook.cells import (
    ANNOTATED_PROPERTY,
    CellData,
    Conditional,
    SheetData,
    WorkbookData,
    col_index,
    col_letters,
    iter_name_refs,
    shift_formula,
    split_ref,
)
from aijri_xl.workbook.limits import MAX_CELLS, MAX_FILE_BYTES
from aijri_xl.workbook.package import open_package
from aijri_xl.workbook.sheetxml import read_workbook
from aijri_xl.workbook.xmlparts import XlsxError, screen_xml
from aijri_xl.workbook.zipcheck import ZipProblem, check_container

__all__ = ["ANNOTATED_PROPERTY", "MAX_CELLS", "CellData", "Conditional", "SheetData",
           "WorkbookData", "XlsxError", "col_index", "col_letters", "iter_name_refs",
           "read_xlsx", "screen_xml", "shift_formula", "split_ref"]

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_xlsx(source: str | Path | bytes, sheets: set[str] | None = None) -> WorkbookData:
    """Read a workbook (a path or its bytes): defined names and the cells of ``sheets``
    (all when ``None``). Raises :class:`XlsxError` for anything that is not a safe,
    readable ``.xlsx``; its ``code`` says which rule."""
    if isinstance(source, str | Path):
        with open(source, "rb") as handle:
            source = handle.read(MAX_FILE_BYTES + 1)
    size = len(source)
    if size == 0:
        raise XlsxError("the file is empty")
    if size > MAX_FILE_BYTES:
        raise XlsxError(f"more than {MAX_FILE_BYTES:,} bytes", "unsafe")
    if source[:8] == _OLE_MAGIC:
        raise XlsxError("the file is an OLE compound document: a password-protected "
                        "(encrypted) workbook or an old binary .xls", "encrypted")
    if source[:4] != b"PK\x03\x04":
        if source[:2] == b"PK" or b"PK\x03\x04" in source[:65536]:
            raise XlsxError("the file does not start with a zip entry (data in front of the "
                            "archive)", "unsafe", "AIJ-F210")
        raise XlsxError("not a zip file, so not an .xlsx workbook")
    try:
        with zipfile.ZipFile(io.BytesIO(source)) as zf:
            check_container(source, zf)
            pkg = open_package(zf, source)
            return read_workbook(pkg, sheets)
    except ZipProblem as exc:
        kind = "encrypted" if exc.code == "AIJ-F206" else "unsafe"
        raise XlsxError(str(exc), kind, exc.code) from exc
    except zipfile.BadZipFile as exc:
        raise XlsxError(f"not a readable zip file ({exc})") from exc
    except XlsxError:
        raise
    except (EOFError, zipfile.LargeZipFile, zlib.error, NotImplementedError, struct_error) \
            as exc:
        raise XlsxError(f"the zip is truncated or damaged ({type(exc).__name__}: {exc})") \
            from exc
