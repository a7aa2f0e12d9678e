"""The .ods reader on hand-made OpenDocument files: values, repeats, names, and what a
hostile or broken file gets (the LibreOffice-saved templates are in test_ods_libreoffice)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hostile import BILLION_LAUGHS

from aijri_xl.sources import load
from aijri_xl.verify.audit import collect
from aijri_xl.workbook.ods import MIMETYPE, OdsError, is_ods, looks_like_ods, read_ods
from aijri_xl.workbook.xlsx import MAX_CELLS

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
      'xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0" '
      'xmlns:xlink="http://www.w3.org/1999/xlink" '
      'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"')
MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
            '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type='
            '"application/vnd.oasis.opendocument.spreadsheet"/>{extra}</manifest:manifest>')


def content(body: str, before: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS} '
            f'office:version="1.3">{before}<office:body><office:spreadsheet>{body}'
            "</office:spreadsheet></office:body></office:document-content>")


def make_ods(body: str, *, parts: dict[str, bytes] | None = None, manifest_extra: str = "",
             content_xml: str | None = None, mimetype: bytes = MIMETYPE) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content_xml if content_xml is not None else content(body))
        z.writestr("META-INF/manifest.xml", MANIFEST.format(extra=manifest_extra))
        for name, data in (parts or {}).items():
            z.writestr(name, data)
    return out.getvalue()


def table(name: str, rows: str) -> str:
    return f'<table:table table:name="{name}">{rows}</table:table>'


def row(cells: str, repeat: int = 1) -> str:
    rep = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{rep}>{cells}</table:table-row>"


EMPTY = '<table:table-cell table:number-columns-repeated="16000"/>'


def test_values_of_every_type():
    cells = (
        '<table:table-cell office:value-type="float" office:value="2"><text:p>2</text:p>'
        '</table:table-cell>'
        '<table:table-cell office:value-type="percentage" office:value="0.25"/>'
        '<table:table-cell office:value-type="currency" office:value="1.5"/>'
        '<table:table-cell office:value-type="date" office:date-value="2026-03-01"/>'
        '<table:table-cell office:value-type="date" office:date-value="2026-03-01T12:00:00"/>'
        '<table:table-cell office:value-type="time" office:time-value="PT06H00M00S"/>'
        '<table:table-cell office:value-type="boolean" office:boolean-value="true"/>'
        '<table:table-cell office:value-type="string" office:string-value="kept"/>'
        '<table:table-cell office:value-type="string"><text:p>a<text:s text:c="3"/>b'
        '<text:tab/>c<text:line-break/>d <text:span>e</text:span></text:p><text:p>second'
        '</text:p><office:annotation><text:p>a comment</text:p></office:annotation>'
        '</table:table-cell>'
        '<table:table-cell table:formula="of:=1/0" office:value-type="float" office:value="0"'
        ' calcext:value-type="error"><text:p>#DIV/0!</text:p></table:table-cell>'
        '<table:table-cell table:formula="of:=IF([.A1]&gt;1;&quot;&quot;;1)" '
        'office:value-type="string" office:string-value=""/>'
        f'{EMPTY}')
    data = read_ods(make_ods(table("S", row(cells))))
    got = {ref: (c.value, c.formula, c.is_error) for ref, c in data.sheets["S"].cells.items()}
    assert got == {
        "A1": (2.0, None, False), "B1": (0.25, None, False), "C1": (1.5, None, False),
        "D1": (46082.0, None, False), "E1": (46082.5, None, False),
        "F1": (0.25, None, False), "G1": (True, None, False), "H1": ("kept", None, False),
        "I1": ("a   b\tc\nd e\nsecond", None, False), "J1": ("#DIV/0!", "1/0", True),
        "K1": ("", 'IF(A1>1,"",1)', False)}


def test_repeated_cells_and_rows_are_expanded_only_where_they_hold_something():
    rows = (row('<table:table-cell office:value-type="float" office:value="1" '
                'table:number-columns-repeated="3"/><table:table-cell '
                'table:number-columns-repeated="16381"/>')
            + row('<table:covered-table-cell/><table:table-cell office:value-type="string" '
                  'office:string-value="x"/>' + EMPTY, repeat=2)
            + row(EMPTY, repeat=1_048_000)
            + row('<table:table-cell office:value-type="float" office:value="9"/>'))
    data = read_ods(make_ods(table("S", rows)))
    cells = data.sheets["S"].cells
    assert sorted(cells) == sorted(["A1", "B1", "C1", "B2", "B3", "A1048004"])
    assert cells["A1048004"].value == 9.0 and cells["B3"].value == "x"
    assert cells["B2"] is not cells["B3"]  # each expanded cell is its own


def test_row_groups_and_header_rows_are_read_in_order():
    rows = ('<table:table-header-rows>' + row('<table:table-cell office:value-type="string" '
            'office:string-value="head"/>') + '</table:table-header-rows>'
            '<table:table-row-group>' + row('<table:table-cell office:value-type="float" '
            'office:value="3"/>') + '</table:table-row-group>')
    cells = read_ods(make_ods(table("S", rows))).sheets["S"].cells
    assert cells["A1"].value == "head" and cells["A2"].value == 3.0


def test_repeats_beyond_the_cell_budget_are_refused():
    wide = row('<table:table-cell office:value-type="float" office:value="1" '
               'table:number-columns-repeated="1000"/>', repeat=MAX_CELLS // 1000 + 1)
    with pytest.raises(OdsError) as info:
        read_ods(make_ods(table("S", wide)))
    assert info.value.kind == "unsafe" and "cells" in str(info.value)
    beyond = row('<table:table-cell table:number-columns-repeated="16384"/>'
                 '<table:table-cell office:value-type="float" office:value="1"/>')
    with pytest.raises(OdsError) as info:
        read_ods(make_ods(table("S", beyond)))
    assert info.value.kind == "unsafe" and "column" in str(info.value)
    with pytest.raises(OdsError):
        read_ods(make_ods(table("S", row('<table:table-cell '
                                         'table:number-columns-repeated="-4"/>'))))


def test_text_and_nesting_that_would_expand_without_bound_are_refused():
    spaces = row('<table:table-cell office:value-type="string"><text:p>'
                 + '<text:s text:c="1000000"/>' * 5 + "</text:p></table:table-cell>")
    with pytest.raises(OdsError) as info:
        read_ods(make_ods(table("S", spaces)))
    assert info.value.kind == "unsafe" and "text:s" in str(info.value)
    deep = row('<table:table-cell office:value-type="string"><text:p>'
               + "<text:span>" * 150 + "x" + "</text:span>" * 150
               + "</text:p></table:table-cell>")
    with pytest.raises(OdsError) as info:
        read_ods(make_ods(table("S", deep)))
    assert info.value.kind == "unsafe" and "nested" in str(info.value)
    groups = "<table:table-row-group>" * 150 + row(EMPTY) + "</table:table-row-group>" * 150
    with pytest.raises(OdsError):
        read_ods(make_ods(table("S", groups)))


def test_names_are_the_workbook_level_ones_in_excel_syntax():
    body = (table("Tasks", '<table:named-expressions><table:named-range table:name="local" '
                  'table:cell-range-address="$Tasks.$A$1"/></table:named-expressions>'
                  + row(EMPTY))
            + '<table:named-expressions>'
            '<table:named-range table:name="task_time" table:base-cell-address="$Tasks.$A$1" '
            'table:cell-range-address="$Tasks.$C$5:.$C$29"/>'
            '<table:named-expression table:name="twice" table:base-cell-address="$Tasks.$A$1" '
            'table:expression="of:=[$Tasks.$B$2]*2"/>'
            '<table:named-range table:name="bad" table:cell-range-address="$Tasks.A1B"/>'
            '</table:named-expressions>')
    data = read_ods(make_ods(body))
    assert data.names == {"task_time": "Tasks!$C$5:$C$29", "twice": "Tasks!$B$2*2",
                          "bad": "$Tasks.A1B"}
    assert [u[0] for u in data.untranslated] == ["bad"]


def _load(tmp_path: Path, data: bytes, name: str = "x.ods"):
    path = tmp_path / name
    path.write_bytes(data)
    return load(path)


def _codes(loaded) -> list[tuple[str, str | None]]:
    return [(f.code, f.where) for f in loaded.findings]


GOOD = table("S", row('<table:table-cell office:value-type="float" office:value="1"/>'))


@pytest.mark.parametrize(("what", "data", "code"), [
    ("empty", b"", "AIJ-F202"),
    ("not a zip", b"hello, world", "AIJ-F202"),
    ("a DTD with entities", make_ods("", content_xml=BILLION_LAUGHS), "AIJ-F205"),
    ("malformed XML", make_ods("", content_xml="<office:document-content"), "AIJ-F202"),
    ("an encrypted document", make_ods(GOOD, manifest_extra=(
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
        '<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x"/>'
        '</manifest:file-entry>')), "AIJ-F206"),
    ("a text document", make_ods(GOOD, mimetype=b"application/vnd.oasis.opendocument.text"),
     "AIJ-F202"),
    ("no spreadsheet body", make_ods("", content_xml=content("").replace(
        "<office:spreadsheet></office:spreadsheet>", "<office:text/>")), "AIJ-F202"),
    ("a malformed number", make_ods(table("S", row(
        '<table:table-cell office:value-type="float" office:value="1,5"/>'))), "AIJ-F202"),
    ("a malformed date", make_ods(table("S", row(
        '<table:table-cell office:value-type="date" office:date-value="1 May"/>'))),
     "AIJ-F202"),
    ("an unknown value type", make_ods(table("S", row(
        '<table:table-cell office:value-type="money" office:value="1"/>'))), "AIJ-F202"),
    # declared UTF-16 but written in UTF-8: the bytes are not what the declaration says
    ("XML that lies about its encoding",
     make_ods("", content_xml=content(GOOD).replace('"UTF-8"', '"UTF-16"')), "AIJ-F202"),
])
def test_broken_and_hostile_files_fail_alone_with_a_finding(tmp_path, what, data, code):
    loaded = _load(tmp_path, data)
    assert loaded.assessment is None
    assert [c for c, _ in _codes(loaded)] == [code], (what, loaded.findings)
    assert str(tmp_path / "x.ods") in loaded.findings[0].message


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path):
    bomb = make_ods(GOOD, parts={"Pictures/x.bin": b"\0" * (8 * 1024 * 1024)})
    loaded = _load(tmp_path, bomb)
    assert _codes(loaded)[0][0] == "AIJ-F205" and "ratio" in loaded.findings[0].message


def test_missing_content_is_not_an_ods(tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE)
    loaded = _load(tmp_path, out.getvalue())
    assert _codes(loaded) == [("AIJ-F202", str(tmp_path / "x.ods"))]
    assert "content.xml" in loaded.findings[0].message


def test_macros_links_and_unreadable_formulas_are_reported(tmp_path):
    body = table("S", '<table:table-source xlink:href="file:///tmp/other.ods" '
                      'table:table-name="Data"/>' + row(
        '<table:table-cell table:formula="xyz:=SUM(A1)" office:value-type="float" '
        'office:value="1"/>'))
    before = ('<office:scripts><office:event-listeners><script:event-listener '
              'script:language="ooo:script" script:event-name="dom:load" '
              'xlink:href="vnd.sun.star.script:Standard.Module1.Main?language=Basic&amp;'
              'location=document"/></office:event-listeners></office:scripts>')
    data = make_ods("", content_xml=content(body, before), parts={
        "Basic/Standard/Module1.xml": b"<x/>", "Basic/script-lc.xml": b"<x/>"})
    loaded = _load(tmp_path, data)
    found = _codes(loaded)
    assert ("AIJ-X309", "Basic/Standard/Module1.xml") in found
    assert ("AIJ-X309", "content.xml") in found
    assert ("AIJ-X308", "content.xml") in found
    assert ("AIJ-X316", "S!A1") in found
    assert ("AIJ-X301", "method") in found  # and it is no AIJRI workbook


def test_an_annotated_copy_saved_as_ods_is_still_one(tmp_path):
    meta = ('<?xml version="1.0" encoding="UTF-8"?><office:document-meta xmlns:office='
            '"urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:meta="urn:oasis:names:'
            'tc:opendocument:xmlns:meta:1.0"><office:meta><meta:user-defined meta:name='
            '"aijri_annotated" meta:value-type="string">t.xlsx</meta:user-defined>'
            "</office:meta></office:document-meta>")
    loaded = _load(tmp_path, make_ods(GOOD, parts={"meta.xml": meta.encode()}))
    assert ("AIJ-X310", "docProps/custom.xml") in _codes(loaded)
    assert read_ods(make_ods(GOOD, parts={"meta.xml": meta.encode()})).properties == {
        "aijri_annotated": "t.xlsx"}


def test_the_reader_is_chosen_by_content_and_name():
    ods = make_ods(GOOD)
    assert is_ods(ods) and looks_like_ods(ods, ".xlsx")
    assert looks_like_ods(b"PK\3\4 no mimetype", ".ods")
    assert not looks_like_ods(b"PK\3\4 ... xl/workbook.xml ...", ".ods")


def test_an_xlsx_named_ods_is_still_read_as_what_it_is(tmp_path, repo_root):
    loaded = _load(tmp_path, (repo_root / "workbooks" / "hpc-developer.xlsx").read_bytes())
    assert loaded.assessment is not None and loaded.findings == []


def test_folder_walks_include_ods_files_and_skip_lock_files(tmp_path):
    (tmp_path / "a.ods").write_bytes(make_ods(GOOD))
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "B.ODS").write_bytes(make_ods(GOOD))
    (tmp_path / ".~lock.a.ods#").write_text("lock")
    (tmp_path / "~$a.ods").write_text("lock")
    files, problems = collect([tmp_path])
    assert sorted(p.name for p in files) == ["B.ODS", "a.ods"] and problems == []


def test_the_file_is_not_modified(tmp_path):
    path = tmp_path / "x.ods"
    path.write_bytes(make_ods(GOOD))
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    load(path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
