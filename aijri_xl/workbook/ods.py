"""A small, bounded reader of OpenDocument spreadsheets (``.ods``, what LibreOffice saves).

It gives the verifier and the workbook reader the same in-memory shape as
:func:`aijri_xl.workbook.xlsx.read_xlsx`: sheets of cells keyed ``A1`` with each cell's
cached value and its formula *in Excel syntax* (translated from OpenFormula by
:mod:`aijri_xl.workbook.openformula`), and the workbook-level named ranges as Excel
defined-name text (``Tasks!$C$5:$C$29``). So the checks written for ``.xlsx`` read an
``.ods`` unchanged.

The same safety as the ``.xlsx`` reader: the zip directory is checked before anything is
inflated (entry count, sizes, compression ratio), an encrypted document (ODF encrypts
parts and names them in ``META-INF/manifest.xml``) is refused as encrypted, XML with a
DTD or entity declaration is refused before a parser sees it, and the cell count is
bounded, repeated cells and rows included: ``table:number-columns-repeated`` and
``table:number-rows-repeated`` are expanded only for cells that hold something (empty
repeats, which every LibreOffice sheet ends with, cost nothing), and within
``MAX_CELLS``.

What the reader notes about the file, beside the cells, is kept on :class:`OdsData`:
macros (Basic libraries, scripts, document events bound to a macro), links to other
files (linked sheets, DDE links) and formulas in a syntax that cannot be translated.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from aijri_xl._record import dataclass, field
from aijri_xl.method.findings import Finding
from aijri_xl.method.loaded import Loaded
from aijri_xl.workbook.cells import CellData, SheetData, WorkbookData, col_letters
from aijri_xl.workbook.limits import MAX_CELLS, MAX_COL, MAX_ROW
from aijri_xl.workbook.reader import load_workbook, loaded_from_bytes
from aijri_xl.workbook.text import file_float
from aijri_xl.workbook.xlsx import read_xlsx
from aijri_xl.workbook.xmlparts import CHUNK, XlsxError, parse
from aijri_xl.workbook.zipcheck import ZipProblem, check_container


def read_part(zf: zipfile.ZipFile, name: str) -> bytes:
    """One entry, inflated: the container check has bounded its size; zipfile checks the
    CRC."""
    return zf.read(name)


_PART_KINDS = {"META-INF/manifest.xml": "odsManifest", "meta.xml": "odsMeta",
               "content.xml": "odsContent"}


def part_chunks(zf: zipfile.ZipFile, name: str) -> Iterator[bytes]:
    """One entry inflated a chunk at a time (zipfile stops at its declared size and checks
    the CRC at its end; the container check has bounded the size)."""
    with zf.open(name) as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def parse_xml(source: bytes | Iterable[bytes], part: str) -> Any:
    """One XML part, parsed as it is inflated (:func:`~aijri_xl.workbook.xmlparts.parse`)."""
    return parse(source, part, _PART_KINDS[part])

__all__ = ["MIMETYPE", "OdsData", "OdsError", "is_ods", "load_spreadsheet", "looks_like_ods",
           "ods_findings", "read_ods"]

MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
MAX_SPACES = 4_000_000
"""Characters that ``<text:s text:c="N"/>`` elements may expand to, in the whole file (a
run of spaces is one element: without a bound, a few bytes inflate to gigabytes)."""
MAX_DEPTH = 100
"""Nesting of text spans and row groups (LibreOffice writes a handful)."""

_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
_SCRIPT = "urn:oasis:names:tc:opendocument:xmlns:script:1.0"
_MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
_META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
_O, _T, _X = "{" + _OFFICE + "}", "{" + _TABLE + "}", "{" + _TEXT + "}"
_CELL_TAGS = frozenset({_T + "table-cell", _T + "covered-table-cell"})
_ROW_GROUPS = frozenset({_T + "table-header-rows", _T + "table-rows", _T + "table-row-group"})
_EPOCH = _dt.datetime(1899, 12, 30)
_DURATION = re.compile(r"^(-)?P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


class OdsError(XlsxError):
    """The file is not a readable OpenDocument spreadsheet (``kind`` as for ``.xlsx``)."""


@dataclass(slots=True)
class OdsData(WorkbookData):
    """A workbook read from an ``.ods``: what :class:`WorkbookData` holds, plus what only
    an OpenDocument file can carry (``has_macros``, which names a VBA project, stays
    false: an ``.ods``'s macros are in ``macro_parts``)."""

    macro_parts: list[str] = field(default_factory=list)
    """Where macros were found (``Basic/Standard/Module1.xml``, ``content.xml: document
    events``); they are never run."""
    untranslated: list[tuple[str, str, str]] = field(default_factory=list)
    """(``Sheet!A1`` or a name, the formula as stored, why) for every formula whose
    syntax could not be translated to Excel's; the cell keeps the stored text."""
    linked: list[str] = field(default_factory=list)
    """Links to other files the document carries outside its formulas: sheets linked
    from another file (``table:table-source``) and DDE links."""


def is_ods(source: bytes) -> bool:
    """Whether a file's bytes are an OpenDocument spreadsheet (its first zip entry is the
    ``mimetype``, stored, as ODF requires)."""
    return source[:2] == b"PK" and source[30:38] == b"mimetype" and MIMETYPE in source[:120]


def looks_like_ods(source: bytes, suffix: str) -> bool:
    """Which reader a workbook file needs: the ``.ods`` one for an OpenDocument
    spreadsheet, and for a file named ``.ods`` that is not an ``.xlsx`` in disguise (so
    that what is wrong with it is said in OpenDocument's terms)."""
    return is_ods(source) or (suffix.lower() == ".ods" and b"xl/workbook.xml" not in source)


def load_spreadsheet(path: Path) -> Loaded:
    """Read a workbook file, ``.xlsx``/``.xlsm`` or ``.ods`` (by what it is, then by its
    name), as :func:`aijri_xl.workbook.reader.load_workbook` does; for an ``.ods`` the
    findings of :func:`ods_findings` are added. The independent evaluation works from the
    cells read (translated formulas included), as for an ``.xlsx``."""
    return _with_ods_findings(load_workbook(path, _reader(path)), path)


def load_spreadsheet_bytes(path: Path, raw: bytes) -> Loaded:
    """:func:`load_spreadsheet` of a file holding ``raw`` at ``path``."""
    return _with_ods_findings(loaded_from_bytes(path, raw, _reader(path)), path)


def _reader(path: Path) -> Callable[[bytes], WorkbookData]:
    def read(raw: bytes) -> WorkbookData:
        return read_ods(raw) if looks_like_ods(raw, path.suffix) else read_xlsx(raw)

    return read


def _with_ods_findings(loaded: Loaded, path: Path) -> Loaded:
    data = loaded.extra.get("workbook")
    if isinstance(data, OdsData):
        loaded.findings += ods_findings(path, data)
    return loaded


def read_ods(source: str | Path | bytes) -> OdsData:
    """Read an ``.ods`` (a path or its bytes). Raises :class:`OdsError` (an
    :class:`XlsxError`) for anything that is not a safe, readable spreadsheet."""
    if isinstance(source, str | Path):
        with open(source, "rb") as handle:
            source = handle.read()
    if not source:
        raise OdsError("the file is empty")
    if source[:2] != b"PK":
        raise OdsError("not a zip file, so not an .ods spreadsheet")
    try:
        with zipfile.ZipFile(io.BytesIO(source)) as zf:
            try:
                check_container(source, zf)
            except ZipProblem as exc:
                kind = "encrypted" if exc.code == "AIJ-F206" else "unsafe"
                raise OdsError(str(exc), kind) from exc
            return _read(zf)
    except zipfile.BadZipFile as exc:
        raise OdsError(f"not a readable zip file ({exc})") from exc
    except OdsError:
        raise
    except XlsxError as exc:  # from the shared XML screen and part reader
        raise OdsError(str(exc), exc.kind) from exc
    except (EOFError, zipfile.LargeZipFile, ValueError, KeyError, OSError, RuntimeError,
            zlib.error, NotImplementedError) as exc:
        raise OdsError(f"the zip is truncated or damaged ({type(exc).__name__}: {exc})") \
            from exc


def _read(zf: zipfile.ZipFile) -> OdsData:
    parts = zf.namelist()
    if "mimetype" in parts:
        kind = read_part(zf, "mimetype").strip()
        if kind != MIMETYPE:
            raise OdsError(f"an OpenDocument file of type {kind.decode('ascii', 'replace')!r},"
                           " not a spreadsheet")
    if "META-INF/manifest.xml" in parts:
        manifest = parse_xml(part_chunks(zf, "META-INF/manifest.xml"), "META-INF/manifest.xml")
        if any(True for _ in manifest.iter("{" + _MANIFEST + "}encryption-data")):
            raise OdsError("the document is password-protected (its parts are encrypted)",
                           "encrypted")
    if "content.xml" not in parts:
        raise OdsError("no content.xml: this zip is not an OpenDocument spreadsheet")
    properties: dict[str, str] = {}
    if "meta.xml" in parts:  # user-defined properties, as .xlsx custom properties
        meta = parse_xml(part_chunks(zf, "meta.xml"), "meta.xml")
        for prop in meta.iter(f"{_META}user-defined"):
            properties[prop.get(f"{_META}name", "")] = "".join(prop.itertext()).strip()
    root = parse_xml(part_chunks(zf, "content.xml"), "content.xml")
    body = root.find(f"{_O}body")
    spreadsheet = body.find(f"{_O}spreadsheet") if body is not None else None
    if spreadsheet is None:
        raise OdsError("content.xml holds no spreadsheet (office:spreadsheet)")
    data = OdsData({}, {}, parts=parts, properties=properties, styles_read=False)
    data.macro_parts = [p for p in parts if p.startswith(("Basic/", "Scripts/"))
                        and not p.endswith("/") and not p.endswith("script-lc.xml")
                        and not p.endswith("script-lb.xml")]
    if any(e.get("{" + _SCRIPT + "}macro-name") or e.get("{http://www.w3.org/1999/xlink}href")
           for e in root.iter("{" + _SCRIPT + "}event-listener")):
        data.macro_parts.append("content.xml: document events bound to macros")
    for table in spreadsheet.findall(f"{_T}table"):
        for source in table.iter(f"{_T}table-source"):
            data.linked.append(f"the sheet {table.get(f'{_T}name', '')!r} is linked from "
                               f"{source.get('{http://www.w3.org/1999/xlink}href', '?')}")
    for dde in spreadsheet.iter("{" + _OFFICE + "}dde-source"):
        data.linked.append(f"a DDE link to {dde.get(f'{_O}dde-application', '?')} "
                           f"{dde.get(f'{_O}dde-topic', '')} {dde.get(f'{_O}dde-item', '')}"
                           .rstrip())
    budget = [MAX_CELLS, MAX_SPACES]  # cells, and spaces text:s may expand to
    for table in spreadsheet.findall(f"{_T}table"):
        name = table.get(f"{_T}name", "")
        data.sheets[name] = _sheet(name, table, budget, data)
    names = spreadsheet.find(f"{_T}named-expressions")
    if names is not None:  # workbook-level; a sheet's own (print areas) are left out
        _names(names, data)
    return data


def ods_findings(path: Path, data: OdsData) -> list[Finding]:
    """What reading an ``.ods`` found beside its cells: macros (never run), links to other
    files outside formulas, and formulas that could not be translated to Excel syntax."""
    out = []
    for part in data.macro_parts:
        out.append(Finding("AIJ-X309", f"{path}: the spreadsheet carries macros ({part}); "
                           "they were not run", where=part.split(":")[0]))
    for link in data.linked:
        out.append(Finding("AIJ-X308", f"{path}: {link} (a link outside the workbook)",
                           where="content.xml", actual=link))
    for where, stored, why in data.untranslated:
        out.append(Finding("AIJ-X316", f"{where}: the formula {stored!r} cannot be read as "
                           f"OpenFormula ({why}), so it cannot be compared with the "
                           "template's or checked for links", where=where, actual=stored))
    return out


def _names(element: Any, data: OdsData) -> None:
    # OpenFormula is read only for an .ods (an .xlsx never needs the translator)
    from aijri_xl.workbook.openformula import (
        FormulaSyntaxError,
        range_address_to_excel,
        translate_cell_formula,
    )

    for item in element:
        name = item.get(f"{_T}name")
        if not name:
            continue
        if item.tag == f"{_T}named-range":
            address = item.get(f"{_T}cell-range-address", "")
            try:
                data.names[name] = range_address_to_excel(address)
            except FormulaSyntaxError as exc:
                data.names[name] = address
                data.untranslated.append((name, address, str(exc)))
        elif item.tag == f"{_T}named-expression":
            expression = item.get(f"{_T}expression", "")
            try:
                data.names[name] = translate_cell_formula(expression)
            except FormulaSyntaxError as exc:
                data.names[name] = expression
                data.untranslated.append((name, expression, str(exc)))


def _repeat(element: Any, attribute: str) -> int:
    raw = element.get(attribute)
    if raw is None:
        return 1
    try:
        count = int(raw)
    except ValueError as exc:
        raise OdsError(f"{attribute.split('}')[1]}={raw!r} is not a count") from exc
    if count < 1:
        raise OdsError(f"{attribute.split('}')[1]}={raw!r} is not a count")
    return count


def _rows(table: Any, depth: int = 0) -> Any:
    """The table's rows in order, through header rows and row groups."""
    if depth > MAX_DEPTH:
        raise OdsError(f"row groups nested more than {MAX_DEPTH} levels deep", "unsafe")
    for child in table:
        if child.tag == f"{_T}table-row":
            yield child
        elif child.tag in _ROW_GROUPS:
            yield from _rows(child, depth + 1)


def _sheet(name: str, table: Any, budget: list[int], data: OdsData) -> SheetData:
    sheet = SheetData(name)
    row = 0
    for row_el in _rows(table):
        rows = _repeat(row_el, f"{_T}number-rows-repeated")
        cells = _row_cells(name, row_el, row, data, budget)
        if cells:
            if row + rows > MAX_ROW:
                raise OdsError(f"sheet {name}: rows beyond {MAX_ROW:,}", "unsafe")
            budget[0] -= len(cells) * rows
            if budget[0] < 0:
                raise OdsError(f"more than {MAX_CELLS:,} cells: too large to verify", "unsafe")
            for r in range(row, row + rows):
                for col, cell in cells:
                    ref = f"{col_letters(col)}{r + 1}"
                    sheet.cells[ref] = cell if r == row else CellData(
                        cell.value, cell.formula, cell.is_error)
        row += rows
    return sheet


def _row_cells(sheet: str, row_el: Any, row: int, data: OdsData, budget: list[int]
               ) -> list[tuple[int, CellData]]:
    """The cells of one row that hold something, with their column index."""
    out: list[tuple[int, CellData]] = []
    col = 0
    for cell_el in row_el:
        if cell_el.tag not in _CELL_TAGS:
            continue
        repeat = _repeat(cell_el, f"{_T}number-columns-repeated")
        cell = _cell(sheet, cell_el, col, row, data, budget)
        if cell is not None:
            if col + repeat > MAX_COL:
                raise OdsError(f"sheet {sheet}, row {row + 1}: cells beyond column "
                               f"{MAX_COL:,}", "unsafe")
            if repeat > MAX_CELLS:
                raise OdsError(f"more than {MAX_CELLS:,} cells: too large to verify", "unsafe")
            out.append((col, cell))
            out += [(c, CellData(cell.value, cell.formula, cell.is_error))
                    for c in range(col + 1, col + repeat)]
        col += repeat
    return out


def _cell(sheet: str, el: Any, col: int, row: int, data: OdsData, budget: list[int]
          ) -> CellData | None:
    formula_attr = el.get(f"{_T}formula")
    kind = el.get(f"{_O}value-type")
    if formula_attr is None and kind is None and len(el) == 0:
        return None
    cell = CellData()
    if formula_attr is not None:
        from aijri_xl.workbook.openformula import FormulaSyntaxError, translate_cell_formula

        try:
            cell.formula = translate_cell_formula(formula_attr)
        except FormulaSyntaxError as exc:
            cell.formula = formula_attr
            data.untranslated.append((f"{sheet}!{col_letters(col)}{row + 1}", formula_attr,
                                      str(exc)))
    where = f"{sheet}!{col_letters(col)}{row + 1}"
    if el.get("{" + _CALCEXT + "}value-type") == "error":
        cell.value, cell.is_error = _text(el, budget).strip() or "#VALUE!", True
    elif kind in ("float", "percentage", "currency"):
        raw = el.get(f"{_O}value", "")
        try:
            cell.value = file_float(raw)
        except ValueError as exc:
            raise OdsError(f"{where}: number {raw!r} is malformed") from exc
    elif kind == "date":
        cell.value = _date_serial(el.get(f"{_O}date-value", ""), where)
    elif kind == "time":
        cell.value = _duration_days(el.get(f"{_O}time-value", ""), where)
    elif kind == "boolean":
        cell.value = el.get(f"{_O}boolean-value", "").strip().lower() == "true"
    elif kind == "string":
        string = el.get(f"{_O}string-value")
        cell.value = string if string is not None else _text(el, budget)
    elif kind is None:
        text = _text(el, budget)
        if text:
            cell.value = text
        elif cell.formula is not None:
            cell.value = ""
        else:
            return None  # a covered cell or an annotation with nothing in the cell
    else:
        raise OdsError(f"{where}: unknown value type {kind!r}")
    return cell


def _text(el: Any, budget: list[int]) -> str:
    """A cell's text: its paragraphs joined by line breaks, with ODF's space, tab and
    line-break elements; annotations (comments) are not the cell's text."""
    paragraphs = [_inline(p, budget, 0) for p in el if p.tag in (f"{_X}p", f"{_X}h")]
    return "\n".join(paragraphs)


def _inline(el: Any, budget: list[int], depth: int) -> str:
    if depth > MAX_DEPTH:
        raise OdsError(f"text nested more than {MAX_DEPTH} levels deep", "unsafe")
    out = [el.text or ""]
    for child in el:
        tag = child.tag
        if tag == f"{_X}s":
            try:
                count = max(1, int(child.get(f"{_X}c", "1")))
            except ValueError:
                count = 1
            budget[1] -= count
            if budget[1] < 0:
                raise OdsError(f"spaces (text:s) expand to more than {MAX_SPACES:,} "
                               "characters", "unsafe")
            out.append(" " * count)
        elif tag == f"{_X}tab":
            out.append("\t")
        elif tag == f"{_X}line-break":
            out.append("\n")
        elif tag.startswith(f"{_O}annotation"):
            pass
        else:
            out.append(_inline(child, budget, depth + 1))
        out.append(child.tail or "")
    return "".join(out)


def _date_serial(text: str, where: str) -> float:
    """An ODF date value (``2026-03-01`` or ``2026-03-01T12:00:00``) as the day serial an
    ``.xlsx`` holds (days since 1899-12-30), so both formats read the same."""
    try:
        moment = _dt.datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise OdsError(f"{where}: date {text!r} is malformed") from exc
    if moment.tzinfo is not None:
        moment = moment.replace(tzinfo=None)
    delta = moment - _EPOCH
    return delta.days + delta.seconds / 86_400 + delta.microseconds / 86_400e6


def _duration_days(text: str, where: str) -> float:
    m = _DURATION.match(text.strip())
    if not m:
        raise OdsError(f"{where}: time {text!r} is malformed")
    sign, days, hours, minutes, seconds = m.groups()
    total = (int(days or 0) + int(hours or 0) / 24 + int(minutes or 0) / 1440
             + float(seconds or 0) / 86_400)
    return -total if sign else total
