"""Parsing one XML part of a submitted package, safely and within its bounds.

Excel reads parts in UTF-8 or UTF-16 (with or without a byte-order mark); anything else is
refused. A DTD or entity declaration (entity expansion, external entities) is refused before
a parser sees the part. The number of elements is bounded before parsing: every element
starts with ``<``, so counting that byte (one pass in C) bounds what the C ElementTree parser
will build, by the limit of the part's kind (:data:`~aijri_xl.workbook.limits.MAX_ELEMENTS`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any, ClassVar

from aijri_xl.workbook.limits import MAX_ELEMENTS, MAX_PART_BYTES


class XlsxError(Exception):
    """The file is not a workbook the verifier can read safely. ``code`` is the finding
    code (``AIJ-F2xx``); ``kind`` the older coarse class (``encrypted``, ``unsafe``,
    ``corrupt``)."""

    _KIND_CODES: ClassVar[dict[str, str]] = {"encrypted": "AIJ-F206", "unsafe": "AIJ-F205",
                                             "corrupt": "AIJ-F202"}

    def __init__(self, message: str, kind: str = "corrupt", code: str | None = None):
        super().__init__(message)
        self.kind = kind
        self.code = code or self._KIND_CODES.get(kind, "AIJ-F202")


_DTD = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_DTD_BYTES = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_DECL = re.compile(r"""^\s*<\?xml[^>]*\?>""")
_DECLARED_ENCODING = re.compile(
    rb"""^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']""")
_UTF8 = {b"utf-8", b"utf8"}


def screen_xml(data: bytes, part: str) -> bytes:
    """The part as UTF-8 bytes an ElementTree parser may see, or :class:`XlsxError`: not
    UTF-8 or UTF-16, a DTD or entity declaration."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:2] in (b"<\x00", b"\x00<"):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise XlsxError(f"{part}: malformed UTF-16 XML ({exc.reason})") from exc
        if _DTD.search(text):
            raise _dtd(part)
        return _DECL.sub("", text.lstrip("\ufeff"), count=1).encode("utf-8")
    declared = _DECLARED_ENCODING.match(data)
    if declared and declared.group(1).lower() not in _UTF8:
        name = declared.group(1).decode("ascii", "replace")
        if name.lower().replace("-", "") in ("utf16", "utf16le", "utf16be"):
            raise XlsxError(f"{part}: declares UTF-16 but is not UTF-16")
        raise XlsxError(f"{part}: XML in {name}; Excel reads only UTF-8 and UTF-16 parts")
    if b"<!" in data and _DTD_BYTES.search(data):
        raise _dtd(part)
    return data


def _dtd(part: str) -> XlsxError:
    return XlsxError(f"{part}: refused unsafe XML: a DTD or entity declaration (entity "
                     "expansion and external entities are not allowed)", "unsafe")


def parse(data: bytes, part: str, kind: str) -> Any:
    """The parsed root of one part of ``kind`` (a key of ``MAX_ELEMENTS``)."""
    if len(data) > MAX_PART_BYTES:
        raise XlsxError(f"{part}: {len(data):,} bytes of XML (at most {MAX_PART_BYTES:,} for "
                        "a part the verifier reads)", "unsafe")
    data = screen_xml(data, part)
    limit = MAX_ELEMENTS[kind]
    count = data.count(b"<")
    if count > limit * 2 + 16:  # an element has a start and (mostly) an end tag
        raise XlsxError(f"{part}: about {count // 2:,} XML elements (at most {limit:,} in a "
                        f"{kind} part of an assessment workbook)", "unsafe")
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise XlsxError(f"{part}: malformed XML ({exc})") from exc
