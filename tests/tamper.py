"""Tampering with a workbook the way a spreadsheet would store the edit: in its XML.

Each helper takes ``.xlsx`` bytes and returns new bytes with one edit, leaving every other
part byte for byte as it was.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from xml.sax.saxutils import escape

from aijri_xl.workbook.layout import SHEETS


def _rewrite(data: bytes, part: str, edit: Callable[[str], str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == part:
                new = edit(body.decode("utf-8"))
                assert new != body.decode("utf-8"), f"edit of {part} changed nothing"
                body = new.encode("utf-8")
            dst.writestr(info, body)
    return out.getvalue()


def sheet_part(sheet: str) -> str:
    return f"xl/worksheets/sheet{SHEETS.index(sheet) + 1}.xml"


def _cell_pattern(ref: str) -> re.Pattern[str]:
    return re.compile(rf'<c r="{ref}"(?P<attrs>[^>]*?)(?:/>|>(?P<body>.*?)</c>)', re.S)


def _value_xml(ref: str, attrs: str, value: object) -> str:
    attrs = re.sub(r'\s*t="[^"]*"', "", attrs)
    if isinstance(value, str):
        return f'<c r="{ref}"{attrs} t="inlineStr"><is><t>{escape(value)}</t></is></c>'
    if value is None:
        return f'<c r="{ref}"{attrs}/>'
    return f'<c r="{ref}"{attrs}><v>{value!r}</v></c>'


def set_value(data: bytes, sheet: str, ref: str, value: object) -> bytes:
    """Type ``value`` into a cell (replacing any formula), as a person would."""
    pattern = _cell_pattern(ref)

    def edit(xml: str) -> str:
        m = pattern.search(xml)
        if m is None:  # the cell was never written: add it to its row
            row = re.search(r"\d+", ref).group(0)
            row_m = re.search(rf'<row r="{row}"[^>]*?(/>|>)', xml)
            assert row_m is not None, f"row {row} not in {sheet}"
            if row_m.group(1) == "/>":
                start = row_m.group(0)[:-2] + ">"
                return xml.replace(row_m.group(0), start + _value_xml(ref, "", value) + "</row>")
            return xml.replace(row_m.group(0), row_m.group(0) + _value_xml(ref, "", value), 1)
        return xml[:m.start()] + _value_xml(ref, m.group("attrs"), value) + xml[m.end():]

    return _rewrite(data, sheet_part(sheet), edit)


def replace_formula_by_its_value(data: bytes, sheet: str, ref: str) -> bytes:
    """Drop a cell's formula and keep the value it showed, as 'paste values' does."""
    pattern = _cell_pattern(ref)

    def edit(xml: str) -> str:
        m = pattern.search(xml)
        assert m is not None and "<f>" in (m.group("body") or ""), f"{sheet}!{ref}"
        body = m.group("body")
        v = re.search(r"<v>(.*?)</v>", body)
        text = v.group(1) if v else ""
        if not text and 't="str"' not in m.group("attrs"):  # a blank result: an empty cell
            return xml[:m.start()] + _value_xml(ref, m.group("attrs"), None) + xml[m.end():]
        if 't="str"' in m.group("attrs") or (v is None):
            return xml[:m.start()] + _value_xml(ref, m.group("attrs"), text) + xml[m.end():]
        if 't="b"' in m.group("attrs"):
            return xml[:m.start()] + f'<c r="{ref}"{m.group("attrs")}><v>{text}</v></c>' + \
                xml[m.end():]
        return xml[:m.start()] + _value_xml(ref, m.group("attrs"), float(text)) + xml[m.end():]

    return _rewrite(data, sheet_part(sheet), edit)


def set_formula(data: bytes, sheet: str, ref: str, formula: str, cached: object = 0) -> bytes:
    """Put a formula (without '=') into a cell, with a cached value."""
    pattern = _cell_pattern(ref)
    cached_xml = f'<v>{escape(str(cached))}</v>'
    kind = ' t="str"' if isinstance(cached, str) else ""

    def edit(xml: str) -> str:
        m = pattern.search(xml)
        new = f'<c r="{ref}"{kind}><f>{escape(formula)}</f>{cached_xml}</c>'
        if m is None:
            row = re.search(r"\d+", ref).group(0)
            row_m = re.search(rf'<row r="{row}"[^>]*?>', xml)
            if row_m is None:  # a new row at the end of sheetData
                return xml.replace("</sheetData>", f'<row r="{row}">{new}</row></sheetData>')
            return xml.replace(row_m.group(0), row_m.group(0) + new, 1)
        attrs = re.sub(r'\s*t="[^"]*"', "", m.group("attrs"))
        return xml[:m.start()] + f'<c r="{ref}"{attrs}{kind}><f>{escape(formula)}</f>' \
            f'{cached_xml}</c>' + xml[m.end():]

    return _rewrite(data, sheet_part(sheet), edit)


def redirect_name(data: bytes, name: str, target: str) -> bytes:
    """Point a defined name somewhere else."""
    pattern = re.compile(rf'(<definedName name="{re.escape(name)}">)([^<]*)(</definedName>)')

    def edit(xml: str) -> str:
        assert pattern.search(xml), name
        return pattern.sub(lambda m: m.group(1) + escape(target) + m.group(3), xml)

    return _rewrite(data, "xl/workbook.xml", edit)


def name_target(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read("xl/workbook.xml").decode()
    m = re.search(rf'<definedName name="{re.escape(name)}">([^<]*)</definedName>', xml)
    assert m is not None, name
    return m.group(1)


def as_excel_shared_formulas(data: bytes, sheet: str, column: str, first: int,
                             last: int, si: int = 0) -> bytes:
    """Store a column's per-row formulas the way Excel does: the first cell holds the
    formula with ``t="shared"`` and a ``ref``; the others only point at it by ``si``."""

    def edit(xml: str) -> str:
        for row in range(first, last + 1):
            ref = f"{column}{row}"
            m = _cell_pattern(ref).search(xml)
            assert m is not None and "<f>" in (m.group("body") or ""), ref
            if row == first:
                body = m.group("body").replace(
                    "<f>", f'<f t="shared" ref="{column}{first}:{column}{last}" si="{si}">', 1)
            else:
                body = re.sub(r"<f>.*?</f>", f'<f t="shared" si="{si}"/>', m.group("body"))
            xml = xml[:m.start()] + f'<c r="{ref}"{m.group("attrs")}>{body}</c>' + \
                xml[m.end():]
        return xml

    return _rewrite(data, sheet_part(sheet), edit)
