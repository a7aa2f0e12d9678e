"""Broken and hostile files, made by the tests from the committed example workbook."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol4;</workbook>
"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets>&e;</sheets></workbook>
"""


def _replace_part(data: bytes, part: str, body: bytes | None, extra: dict[str, bytes] | None
                  = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == part:
                if body is None:
                    continue
                content = body
            dst.writestr(info, content)
        for name, content in (extra or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


def corpus(good: bytes, folder: Path) -> dict[str, Path]:
    """Every broken or hostile file, by what it is."""
    files: dict[str, bytes] = {
        "empty.xlsx": b"",
        "not-a-zip.xlsx": b"This is a text file pretending to be a workbook.\n" * 20,
        "truncated.xlsx": good[: len(good) // 2],
        "bit-flipped.xlsx": _flip(good),
        "billion-laughs.xlsx": _replace_part(good, "xl/workbook.xml", BILLION_LAUGHS.encode()),
        "external-entity.xlsx": _replace_part(good, "xl/workbook.xml", XXE.encode()),
        "zip-bomb.xlsx": _replace_part(good, "xl/worksheets/sheet9.xml",
                                       b"<" + b" " * (80 * 1024 * 1024) + b"/>"),
        "ratio-bomb.xlsx": _replace_part(good, "xl/sharedStrings.xml", b"\0" * (12 << 20)),
        "huge-sheet.xlsx": _replace_part(good, "xl/worksheets/sheet8.xml", _huge_sheet()),
        "no-workbook-part.xlsx": _replace_part(good, "xl/workbook.xml", None),
        "macros.xlsm": _replace_part(good, "[Content_Types].xml", None, {
            "[Content_Types].xml": _content_types_with_macros(good),
            "xl/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512}),
        "encrypted.xlsx": _encrypted(good),
    }
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        out[name] = path
    return out


def _flip(data: bytes) -> bytes:
    flipped = bytearray(data)
    for offset in range(len(data) // 3, len(data) // 3 + 400, 7):
        flipped[offset] ^= 0xFF
    return bytes(flipped)


def _huge_sheet() -> bytes:
    rows = "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>1</v></c>' for c in "ABCDEFGHIJ")
                   + "</row>" for r in range(1, 25_001))
    return ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
            f'openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData>'
            "</worksheet>").encode()


def _content_types_with_macros(good: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        text = zf.read("[Content_Types].xml").decode()
    text = text.replace("</Types>", '<Default Extension="bin" ContentType="application/'
                        'vnd.ms-office.vbaProject"/></Types>')
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    return text.replace(main, "application/vnd.ms-excel.sheet.macroEnabled.main+xml").encode()


def _encrypted(good: bytes) -> bytes:
    """A real password-protected workbook (ECMA-376 agile encryption)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(good)).encrypt("secret", out)
    return out.getvalue()
