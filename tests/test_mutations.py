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

import re
from pathlib import Path

import pytest
from crafted import edit, entries
from tamper import sheet_part

from aijri_xl.verify.audit import verify_one
from aijri_xl.workbook.layout import SUMMARY_CELL

ATTRIBUTE_VARIANTS = ("²", "1_0", "abc", "1e308")
_NUMERIC_ATTRIBUTE = re.compile(rb'(\s([\w:]+)=")(-?[0-9][0-9.]*)(")')


@pytest.fixture(scope="module")
def example(repo_root: Path) -> bytes:
    return (repo_root / "workbooks" / "hpc-developer.xlsx").read_bytes()


@pytest.fixture(scope="module")
def parts(example: bytes) -> dict[str, bytes]:
    return {info.filename: body for info, body in entries(example)}


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


def test_no_numeric_attribute_written_oddly_is_an_internal_error(example, parts):
    mutations = _attribute_mutations(parts)
    assert len(mutations) > 300  # the mechanism reached the package's parts
    bugs = []
    for name, what, body in mutations:
        report = verify_one("mutated.xlsx", data=edit(example, {name: lambda _, b=body: b}))
        if report.error or (report.verdict == "FAIL" and not report.findings):
            bugs.append((name, what, report.error))
    assert bugs == []


def _arabic_indic(text: str) -> str:
    return "".join(chr(0x660 + int(ch)) if "0" <= ch <= "9" else ch for ch in text)


def test_a_stored_number_in_other_digits_or_with_an_underscore_never_passes(example, parts):
    sheet = sheet_part("Summary")
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
            report = verify_one("mutated.xlsx",
                                data=edit(example, {sheet: lambda _, b=mutated: b}))
            codes = {f["code"] for f in report.findings}
            assert report.verdict == "FAIL" and "AIJ-F215" in codes, (m.group(1), odd)
            checked += 1
    assert checked >= 4
