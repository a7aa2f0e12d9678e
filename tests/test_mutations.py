"""Every number the package's XML holds, written as programs and people should not write
it: the verifier never meets an internal error (a crash is a bug, not a finding), and a
stored number that LibreOffice reads as another never passes.

The mutations are made by mechanism, not by case: each numeric attribute of each part
(its first occurrence, per part and attribute name) becomes ``²`` (a digit to
``str.isdigit`` that ``int`` refuses), ``1_0`` (a number to Python's ``float`` and
``int``, not to Excel), ``abc`` and ``1e308`` (finite, until something scales it); each
number a contract cell of the Summary stores becomes Arabic-Indic digits and gets an
underscore (LibreOffice shows 0 and the digits before the underscore; Python would read
the same number)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from aijri_xl.verify.audit import verify_one
from aijri_xl.workbook.layout import SUMMARY_CELL

ATTRIBUTE_VARIANTS = ("²", "1_0", "abc", "1e308")
_NUMERIC_ATTRIBUTE = re.compile(rb'(\s([\w:]+)=")(-?[0-9][0-9.]*)(")')


def _parts(example: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(example)) as z:
        return {n: z.read(n) for n in z.namelist()}


def _with(parts: dict[str, bytes], name: str, body: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in parts.items():
            z.writestr(n, body if n == name else b)
    return out.getvalue()


@pytest.fixture(scope="module")
def parts(repo_root: Path) -> dict[str, bytes]:
    return _parts((repo_root / "workbooks" / "hpc-developer.xlsx").read_bytes())


def _attribute_mutations(parts: dict[str, bytes]) -> list[tuple[str, str, bytes]]:
    out = []
    for name, body in parts.items():
        if not name.endswith((".xml", ".rels")):
            continue
        first: dict[bytes, re.Match[bytes]] = {}
        for m in _NUMERIC_ATTRIBUTE.finditer(body):
            first.setdefault(m.group(2), m)
        for attr, m in first.items():
            for v in ATTRIBUTE_VARIANTS:
                out.append((name, f"{attr.decode()}={v}",
                            body[:m.start(3)] + v.encode() + body[m.end(3):]))
    return out


def test_no_numeric_attribute_written_oddly_is_an_internal_error(parts):
    mutations = _attribute_mutations(parts)
    assert len(mutations) > 300  # the mechanism reached the package's parts
    bugs = []
    for name, what, body in mutations:
        report = verify_one("mutated.xlsx", data=_with(parts, name, body))
        if report.error or (report.verdict == "FAIL" and not report.findings):
            bugs.append((name, what, report.error))
    assert bugs == []


def _arabic_indic(text: str) -> str:
    return "".join(chr(0x660 + int(ch)) if "0" <= ch <= "9" else ch for ch in text)


def test_a_stored_number_in_other_digits_or_with_an_underscore_never_passes(parts):
    rid = re.search(rb'<sheet name="Summary" sheetId="[0-9]+" r:id="([^"]+)"',
                    parts["xl/workbook.xml"])
    assert rid is not None
    target = re.search(rb'Id="' + rid.group(1) + rb'"[^>]*Target="([^"]+)"|Target="([^"]+)"'
                       rb'[^>]*Id="' + rid.group(1) + rb'"', parts["xl/_rels/workbook.xml.rels"])
    assert target is not None
    sheet = "xl/" + (target.group(1) or target.group(2)).decode().removeprefix("/xl/")
    body = parts[sheet]
    refs = set(SUMMARY_CELL.values())
    checked = 0
    for m in re.finditer(rb'<c r="([A-Z]+[0-9]+)"[^>]*>(?:<f>[^<]*</f>)?<v>([0-9.E+-]+)</v>',
                         body):
        if m.group(1).decode() not in refs:
            continue
        number = m.group(2).decode()
        for odd in (_arabic_indic(number), number[:1] + "_" + number[1:]):
            if odd == number:
                continue
            mutated = body[:m.start(2)] + odd.encode() + body[m.end(2):]
            report = verify_one("mutated.xlsx", data=_with(parts, sheet, mutated))
            codes = {f["code"] for f in report.findings}
            assert report.verdict == "FAIL" and "AIJ-F215" in codes, (m.group(1), odd)
            checked += 1
    assert checked >= 4
