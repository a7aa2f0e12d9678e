"""A small, bounded reader of ``.xlsx`` files: defined names, formulas and cached values.

Submitted workbooks are untrusted. Before any XML is parsed the zip directory is checked
(entry count, each entry's and the total inflated size, the compression ratio, encryption,
macros). Every XML part must be UTF-8 and carry no DTD: entity expansion ("billion
laughs") and external entities both need a ``<!DOCTYPE``/``<!ENTITY`` declaration, so a
part with one is refused before a parser sees it, and the rest is parsed by the C
ElementTree parser (three times faster than defusedxml's pure-Python parser, which is
what made reading slow). openpyxl, used elsewhere in the project, parses through
defusedxml, which is a dependency for that reason. Only the parts the verifier needs are
read: ``workbook.xml`` (sheets, defined names), its relationships, ``sharedStrings.xml``
and the worksheets.

It reads a cell's formula and its cached value in one pass, which openpyxl cannot (it
reads one or the other per load), and it expands Excel's shared formulas, so that every
formula cell has its own text whichever program saved the file.
"""

from __future__ import annotations

import io
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_ENTRIES = 2_000
MAX_ENTRY_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200
"""Inflated size over compressed size. Real workbooks compress 5-20x; bombs 1000x+."""
MAX_CELLS = 200_000
"""An assessment workbook has under 2,000 cells; a sheet of more is not one to verify."""

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}
_M = "{" + _NS["m"] + "}"
_R_ID = "{" + _NS["r"] + "}id"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CELL_RE = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")


ANNOTATED_PROPERTY = "aijri_annotated"
"""Custom document property that marks an annotated copy (``aijri verify --annotate``)."""
_CUSTOM_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"


class XlsxError(Exception):
    """The file is not a readable workbook. ``kind`` says why: ``encrypted``, ``unsafe``
    (limits, DTDs, entities) or ``corrupt`` (anything else)."""

    def __init__(self, message: str, kind: str = "corrupt"):
        super().__init__(message)
        self.kind = kind


@dataclass(slots=True)
class CellData:
    value: Any = None  # str, float, bool, or an error text like "#N/A"
    formula: str | None = None  # without the leading "="
    is_error: bool = False


@dataclass(slots=True)
class SheetData:
    name: str
    cells: dict[str, CellData] = field(default_factory=dict)


@dataclass(slots=True)
class WorkbookData:
    sheets: dict[str, SheetData]
    names: dict[str, str]
    """Workbook-level defined names → their text (``Tasks!$C$5:$C$29``)."""
    has_macros: bool = False
    external_links: int = 0
    parts: list[str] = field(default_factory=list)
    formulas: bool = True
    """False for a view that shows cells' values only (a workbook open in Excel, read
    through xlwings): the verifier then skips the checks that need formulas."""
    properties: dict[str, str] = field(default_factory=dict)
    """Custom document properties (``docProps/custom.xml``): name → text."""

    def cell(self, sheet: str, ref: str) -> CellData:
        s = self.sheets.get(sheet)
        return s.cells.get(ref, CellData()) if s else CellData()


def col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def col_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def split_ref(ref: str) -> tuple[int, int]:
    """``"C7"`` → (row 7, column index 2)."""
    m = _CELL_RE.match(ref)
    if not m:
        raise ValueError(f"not a cell reference: {ref!r}")
    return int(m.group(2)), col_index(m.group(1))


def check_zip(zf: zipfile.ZipFile, size: int) -> None:
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise XlsxError(f"{len(infos):,} parts in the zip (at most {MAX_ENTRIES:,})", "unsafe")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise XlsxError(f"zip part {info.filename} is encrypted", "encrypted")
        if info.file_size > MAX_ENTRY_BYTES:
            raise XlsxError(f"zip part {info.filename} inflates to {info.file_size:,} bytes "
                            f"(at most {MAX_ENTRY_BYTES:,})", "unsafe")
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO \
                and info.file_size > 1024 * 1024:
            raise XlsxError(f"zip part {info.filename} inflates {info.file_size:,} bytes from "
                            f"{info.compress_size:,} (ratio over {MAX_RATIO}: a zip bomb?)",
                            "unsafe")
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise XlsxError(f"the zip inflates to {total:,} bytes (at most {MAX_TOTAL_BYTES:,})",
                        "unsafe")
    if size and total / size > MAX_RATIO and total > 4 * 1024 * 1024:
        raise XlsxError(f"the file inflates {total:,} bytes from {size:,} (ratio over "
                        f"{MAX_RATIO}: a zip bomb?)", "unsafe")


def read_part(zf: zipfile.ZipFile, name: str) -> bytes:
    """Read one part, never inflating more than its declared (and checked) size."""
    info = zf.getinfo(name)
    with zf.open(info) as handle:
        data = handle.read(MAX_ENTRY_BYTES + 1)
    if len(data) > MAX_ENTRY_BYTES or len(data) != info.file_size:
        raise XlsxError(f"zip part {name} does not inflate to its declared size", "unsafe")
    return data


_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']""")


def screen_xml(data: bytes, part: str) -> None:
    """Refuse XML that could expand entities or reach outside: any DTD or entity
    declaration, and any encoding but UTF-8 (where a byte scan could miss one)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:256]:
        raise XlsxError(f"{part}: refused XML that is not UTF-8", "unsafe")
    declared = _DECLARED_ENCODING.match(data)
    if declared and declared.group(1).lower().replace(b"-", b"") != b"utf8":
        raise XlsxError(f"{part}: refused XML in {declared.group(1).decode('ascii', 'replace')}"
                        " (only UTF-8)", "unsafe")
    if _DTD.search(data):
        raise XlsxError(f"{part}: refused unsafe XML: a DTD or entity declaration (entity "
                        "expansion and external entities are not allowed)", "unsafe")


def parse_xml(data: bytes, part: str) -> Any:
    screen_xml(data, part)
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise XlsxError(f"{part}: malformed XML ({exc})") from exc


def read_xlsx(source: str | Path | bytes, sheets: set[str] | None = None) -> WorkbookData:
    """Read a workbook (a path or its bytes): defined names and the cells of ``sheets``
    (all when ``None``). Raises :class:`XlsxError` for anything that is not a safe,
    readable ``.xlsx``."""
    if isinstance(source, str | Path):
        with open(source, "rb") as handle:
            source = handle.read()
    size = len(source)
    if size == 0:
        raise XlsxError("the file is empty")
    if source[:8] == _OLE_MAGIC:
        raise XlsxError("the file is an OLE compound document: a password-protected "
                        "(encrypted) workbook or an old binary .xls", "encrypted")
    if not source[:2] == b"PK":
        raise XlsxError("not a zip file, so not an .xlsx workbook")
    try:
        with zipfile.ZipFile(io.BytesIO(source)) as zf:
            check_zip(zf, size)
            return _read(zf, sheets)
    except zipfile.BadZipFile as exc:
        raise XlsxError(f"not a readable zip file ({exc})") from exc
    except XlsxError:
        raise
    except (EOFError, zipfile.LargeZipFile, ValueError, KeyError, OSError, RuntimeError,
            zlib.error, NotImplementedError) as exc:
        raise XlsxError(f"the zip is truncated or damaged ({type(exc).__name__}: {exc})") \
            from exc


def _read(zf: zipfile.ZipFile, wanted: set[str] | None) -> WorkbookData:
    parts = zf.namelist()
    if "xl/workbook.xml" not in parts:
        raise XlsxError("no xl/workbook.xml: this zip is not an .xlsx workbook")
    book = parse_xml(read_part(zf, "xl/workbook.xml"), "xl/workbook.xml")
    rels = {}
    if "xl/_rels/workbook.xml.rels" in parts:
        root = parse_xml(read_part(zf, "xl/_rels/workbook.xml.rels"), "workbook.xml.rels")
        for rel in root.iter("{" + _NS["rel"] + "}Relationship"):
            target = rel.get("Target", "")
            if rel.get("TargetMode") != "External":
                target = posixpath.normpath(posixpath.join("xl", target)) \
                    if not target.startswith("/") else target.lstrip("/")
            rels[rel.get("Id")] = target
    sheet_paths: dict[str, str] = {}
    sheet_order: list[str] = []
    for sheet in book.iter(f"{_M}sheet"):
        name = sheet.get("name", "")
        sheet_order.append(name)
        target = rels.get(sheet.get(_R_ID, ""))
        if target:
            sheet_paths[name] = target
    names: dict[str, str] = {}
    for dn in book.iter(f"{_M}definedName"):
        if dn.get("localSheetId") is None:
            names[dn.get("name", "")] = (dn.text or "").strip()
    strings = _shared_strings(zf, parts)
    data = WorkbookData({}, names, has_macros=any(p.lower().endswith("vbaproject.bin")
                                                  for p in parts),
                        external_links=sum(p.startswith("xl/externalLinks/") and
                                           p.endswith(".xml") for p in parts), parts=parts)
    if "docProps/custom.xml" in parts:
        custom = parse_xml(read_part(zf, "docProps/custom.xml"), "docProps/custom.xml")
        for prop in custom.iter(f"{_CUSTOM_NS}property"):
            data.properties[prop.get("name", "")] = "".join(prop.itertext()).strip()
    budget = [MAX_CELLS]
    for name in sheet_order:
        if wanted is not None and name not in wanted:
            continue
        path = sheet_paths.get(name)
        if path is None or path not in parts:
            continue
        data.sheets[name] = _sheet(name, read_part(zf, path), strings, budget)
    return data


def _shared_strings(zf: zipfile.ZipFile, parts: list[str]) -> list[str]:
    if "xl/sharedStrings.xml" not in parts:
        return []
    root = parse_xml(read_part(zf, "xl/sharedStrings.xml"), "xl/sharedStrings.xml")
    return ["".join(t.text or "" for t in si.iter(f"{_M}t") if _not_phonetic(si, t))
            for si in root.iter(f"{_M}si")]


def _not_phonetic(si: Any, t: Any) -> bool:
    return all(t not in list(rph.iter(f"{_M}t")) for rph in si.iter(f"{_M}rPh"))


def _sheet(name: str, xml: bytes, strings: list[str], budget: list[int]) -> SheetData:
    root = parse_xml(xml, f"sheet {name}")
    sheet = SheetData(name)
    shared: dict[str, tuple[str, int, int]] = {}  # si → (formula, row, col) of its master
    f_tag, v_tag, is_tag = f"{_M}f", f"{_M}v", f"{_M}is"
    for c in root.iter(f"{_M}c"):
        budget[0] -= 1
        if budget[0] < 0:
            raise XlsxError(f"more than {MAX_CELLS:,} cells: too large to verify", "unsafe")
        ref = c.get("r")
        if ref is None:
            continue
        cell = CellData()
        kind = c.get("t", "n")
        f = v = is_ = None
        for child in c:  # one pass over the children instead of a find() for each
            tag = child.tag
            if tag == v_tag:
                v = child
            elif tag == f_tag:
                f = child
            elif tag == is_tag:
                is_ = child
        if f is not None:
            text = f.text
            if f.get("t") == "shared":
                si = f.get("si", "")
                if text:
                    row, col = split_ref(ref)
                    shared[si] = (text, row, col)
                elif si in shared:
                    base, row0, col0 = shared[si]
                    row, col = split_ref(ref)
                    text = shift_formula(base, row - row0, col - col0)
            cell.formula = text if text is not None else ""
        raw = v.text if v is not None else None
        if kind == "s" and raw is not None:
            try:
                cell.value = strings[int(raw)]
            except (ValueError, IndexError) as exc:
                raise XlsxError(f"{name}!{ref}: shared string {raw!r} does not exist") from exc
        elif kind == "inlineStr":
            cell.value = "".join(t.text or "" for t in is_.iter(f"{_M}t")) if is_ is not None \
                else ""
        elif kind == "str":
            cell.value = raw if raw is not None else ""
        elif kind == "b":
            cell.value = raw == "1"
        elif kind == "e":
            cell.value, cell.is_error = raw, True
        elif raw is not None and raw != "":
            try:
                cell.value = float(raw)
            except ValueError as exc:
                raise XlsxError(f"{name}!{ref}: number {raw!r} is malformed") from exc
        elif cell.formula is not None:
            cell.value = ""
        sheet.cells[ref] = cell
    return sheet


_REF_TOKEN = re.compile(
    r'("(?:[^"]|"")*")'  # a string literal: left alone
    r"|('(?:[^']|'')+'!|[A-Za-z_][\w.]*!)?"  # an optional sheet prefix
    r"(\$?)([A-Z]{1,3})(\$?)([0-9]{1,7})(?![\w(])"  # a cell reference
)


def shift_formula(formula: str, rows: int, cols: int) -> str:
    """Move a shared formula's relative references by ``rows`` and ``cols``."""

    def move(m: re.Match[str]) -> str:
        if m.group(1):
            return m.group(1)
        prefix, col_abs, col, row_abs, row = (m.group(2) or "", m.group(3), m.group(4),
                                              m.group(5), m.group(6))
        new_col = col if col_abs else col_letters(col_index(col) + cols)
        new_row = row if row_abs else str(int(row) + rows)
        return f"{prefix}{col_abs}{new_col}{row_abs}{new_row}"

    return _REF_TOKEN.sub(move, formula)


def iter_name_refs(target: str) -> Iterator[tuple[str, str]]:
    """A defined name's text → (sheet, ``A1`` or ``A1:B2`` without ``$``) parts."""
    for part in target.split(","):
        part = part.strip()
        if "!" not in part:
            continue
        sheet, ref = part.rsplit("!", 1)
        if sheet.startswith("'") and sheet.endswith("'"):
            sheet = sheet[1:-1].replace("''", "'")
        yield sheet, ref.replace("$", "")
