"""A workbook read into memory, written back as ``.xlsx`` bytes for the formula engine.

The verifier evaluates a workbook's own formulas with formualizer, which reads ``.xlsx``.
An ``.ods`` is read by :mod:`aijri_xl.workbook.ods` with its formulas translated to
Excel syntax; :func:`as_xlsx` writes those cells (every value and every formula, as the
file holds them) and the workbook-level names into a minimal ``.xlsx`` in memory, so
what formualizer computes is what the ``.ods``'s own formulas say. Nothing is added: no
styles, no validation, only cells and names. The SpreadsheetML is written directly
(stored, not deflated): XlsxWriter took five times longer for the same parts, which
mattered against the verifier's budget of about 15 ms a workbook.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from xml.sax.saxutils import escape, quoteattr

from aijri_xl.workbook.xlsx import CellData, WorkbookData, split_ref

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_NAME = re.compile(r"^[A-Za-z_\\][\w.]*$")
_SHEET_NAME = re.compile(r"^[^\[\]:*?/\\]{1,31}$")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_FIXED = (1980, 1, 1, 0, 0, 0)  # a fixed timestamp: the same workbook, the same bytes


def _text(value: str) -> str:
    return escape(_XML_ILLEGAL.sub("\ufffd", value))


def _cell_xml(ref: str, value: object, formula: str | None, is_error: bool) -> str:
    f = f"<f>{_text(formula)}</f>" if formula is not None else ""
    if is_error:
        return f'<c r="{ref}" t="e">{f}<v>{_text(str(value))}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b">{f}<v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}">{f}<v>{value!r}</v></c>'
    text = "" if value is None else str(value)
    if formula is not None:
        return f'<c r="{ref}" t="str">{f}<v>{_text(text)}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_text(text)}</t></is></c>'


def _sheet_xml(cells: dict[str, CellData]) -> str:
    rows: dict[int, list[tuple[int, str]]] = {}
    for ref, cell in cells.items():
        value, formula, is_error = cell.value, cell.formula, cell.is_error
        if isinstance(value, float) and not math.isfinite(value):
            value, is_error = "#NUM!", True
        if formula is None and not is_error and (value is None or value == ""):
            continue
        row, col = split_ref(ref)
        rows.setdefault(row, []).append((col, _cell_xml(ref, value, formula, is_error)))
    body = "".join(f'<row r="{r}">' + "".join(x for _, x in sorted(rows[r])) + "</row>"
                   for r in sorted(rows))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns='
            f'"{_MAIN}"><sheetData>{body}</sheetData></worksheet>')


def as_xlsx(data: WorkbookData) -> bytes:
    """The cells and names of ``data`` as a minimal ``.xlsx`` (deterministic bytes).

    A sheet whose name Excel cannot hold is left out, and so is a name Excel would not
    accept: formulas that reach them evaluate as errors, which the verifier reports."""
    sheets = [n for n in data.sheets if _SHEET_NAME.match(n) and not n.startswith("'")
              and not n.endswith("'")]
    names = "".join(f"<definedName name={quoteattr(n)}>{_text(t)}</definedName>"
                    for n, t in sorted(data.names.items()) if _NAME.match(n) and t)
    workbook = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns='
                f'"{_MAIN}" xmlns:r="{_REL}"><sheets>'
                + "".join(f'<sheet name={quoteattr(n)} sheetId="{i}" r:id="rId{i}"/>'
                          for i, n in enumerate(sheets, 1))
                + "</sheets>" + (f"<definedNames>{names}</definedNames>" if names else "")
                + "</workbook>")
    sheet_type = f"{_REL}/worksheet"
    rels = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
            f'xmlns="{_PKG}">' + "".join(
                f'<Relationship Id="rId{i}" Type="{sheet_type}" '
                f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(sheets) + 1))
            + "</Relationships>")
    types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://'
             'schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels"'
             ' ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/><Override PartName='
             '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
             'spreadsheetml.sheet.main+xml"/>' + "".join(
                 f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                 'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                 for i in range(1, len(sheets) + 1)) + "</Types>")
    root_rels = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
                 f'xmlns="{_PKG}"><Relationship Id="rId1" Type="{_REL}/officeDocument" '
                 'Target="xl/workbook.xml"/></Relationships>')
    parts = [("[Content_Types].xml", types), ("_rels/.rels", root_rels),
             ("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", rels)]
    parts += [(f"xl/worksheets/sheet{i}.xml", _sheet_xml(data.sheets[n].cells))
              for i, n in enumerate(sheets, 1)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:
        for name, text in parts:
            zf.writestr(zipfile.ZipInfo(name, _FIXED), text.encode("utf-8"))
    return buffer.getvalue()
