"""The package as Excel reads it (ECMA-376 Part 2, Open Packaging Conventions).

Nothing is found by its part name. ``[Content_Types].xml`` gives every part's type;
``_rels/.rels`` names the office document (the workbook); the workbook's relationships name
its sheets, shared strings and styles. Targets are resolved as URIs relative to their source
part, and one that leaves the package, or an internal one marked external, is refused.

Active content is found by what it is, through relationship types and content types: VBA
projects, Excel 4.0 macro sheets, dialog sheets, OLE objects and ActiveX controls, external
links, data connections and query tables, and every relationship whose target is outside the
package. Strict Open XML (ISO/IEC 29500 Strict) uses other namespaces and relationship
types; both are read.
"""

from __future__ import annotations

import posixpath
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import Any

from aijri_xl._record import dataclass, field

try:  # the built-in module: hashlib would load OpenSSL first (2-3 ms of every start-up)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

from aijri_xl.workbook.limits import MAX_PART_BYTES
from aijri_xl.workbook.xmlparts import CHUNK, XlsxError, parse


def _unquote(text: str) -> str:
    """``%XX`` escapes decoded (urllib.parse, imported only for a name that has one: it
    costs 2 ms of every start-up)."""
    if "%" not in text:
        return text
    from urllib.parse import unquote

    return unquote(text)


CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REL_BASES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/",
    "http://schemas.microsoft.com/office/2006/relationships/",
    "http://schemas.microsoft.com/office/2007/relationships/",
    "http://schemas.openxmlformats.org/package/2006/relationships/",
)
WORKBOOK_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": False,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": False,
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": True,
    "application/vnd.ms-excel.template.macroEnabled.main+xml": True,
    "application/vnd.ms-excel.addin.macroEnabled.main+xml": True,
}
"""The workbook part's content types, and whether each is macro-enabled."""
_BINARY_WORKBOOK = "application/vnd.ms-excel.sheet.binary.macroEnabled.main"

ACTIVE_RELATIONSHIPS: dict[str, tuple[str, str]] = {
    # relationship type (after its base) -> (finding code, what it is)
    "vbaProject": ("AIJ-X309", "a VBA project (macros)"),
    "vbaProjectSignature": ("AIJ-X309", "a signed VBA project (macros)"),
    "xlMacrosheet": ("AIJ-X311", "an Excel 4.0 macro sheet"),
    "xlIntlMacrosheet": ("AIJ-X311", "an Excel 4.0 macro sheet"),
    "dialogsheet": ("AIJ-X311", "a dialog sheet (Excel 5 dialogs run macros)"),
    "oleObject": ("AIJ-X312", "an embedded OLE object"),
    "package": ("AIJ-X312", "an embedded package (another document)"),
    "control": ("AIJ-X312", "an ActiveX or form control"),
    "ctrlProp": ("AIJ-X312", "a form control"),
    "activeXControlBinary": ("AIJ-X312", "an ActiveX control"),
    "externalLink": ("AIJ-X308", "an external link (to another workbook)"),
    "externalLinkPath": ("AIJ-X308", "an external link (to another workbook)"),
    "connections": ("AIJ-X313", "data connections (refreshed from outside)"),
    "queryTable": ("AIJ-X313", "a query table (refreshed from outside)"),
    "customData": ("AIJ-X313", "custom data a add-in reads"),
    "attachedTemplate": ("AIJ-X308", "an attached template outside the workbook"),
}
ACTIVE_CONTENT_TYPES: dict[str, tuple[str, str]] = {
    "application/vnd.ms-office.vbaProject": ACTIVE_RELATIONSHIPS["vbaProject"],
    "application/vnd.ms-office.vbaProjectSignature": ACTIVE_RELATIONSHIPS["vbaProjectSignature"],
    "application/vnd.ms-excel.macrosheet+xml": ACTIVE_RELATIONSHIPS["xlMacrosheet"],
    "application/vnd.ms-excel.intlmacrosheet+xml": ACTIVE_RELATIONSHIPS["xlIntlMacrosheet"],
    "application/vnd.openxmlformats-officedocument.spreadsheetml.dialogsheet+xml":
        ACTIVE_RELATIONSHIPS["dialogsheet"],
    "application/vnd.openxmlformats-officedocument.oleObject": ACTIVE_RELATIONSHIPS["oleObject"],
    "application/vnd.ms-office.activeX+xml": ACTIVE_RELATIONSHIPS["control"],
    "application/vnd.ms-office.activeX": ACTIVE_RELATIONSHIPS["activeXControlBinary"],
    "application/vnd.ms-excel.controlproperties+xml": ACTIVE_RELATIONSHIPS["ctrlProp"],
    "application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml":
        ACTIVE_RELATIONSHIPS["externalLink"],
    "application/vnd.openxmlformats-officedocument.spreadsheetml.connections+xml":
        ACTIVE_RELATIONSHIPS["connections"],
    "application/vnd.openxmlformats-officedocument.spreadsheetml.queryTable+xml":
        ACTIVE_RELATIONSHIPS["queryTable"],
}
_HARMLESS_EXTERNAL: frozenset[str] = frozenset()
"""Relationship types whose external target is allowed: none in an assessment workbook."""


@dataclass(frozen=True, slots=True)
class Relationship:
    id: str
    kind: str  # the type after its base: "worksheet", "styles", ... (or the whole type)
    target: str  # a part name (no leading "/") or, when external, the target as written
    external: bool


@dataclass(slots=True)
class Active:
    """One piece of active content: its code, what it is and where it was found."""

    code: str
    what: str
    where: str


@dataclass(slots=True)
class Package:
    zf: zipfile.ZipFile
    raw: bytes
    names: dict[str, str]  # lower-case part name -> the entry's name
    content_types: dict[str, str] = field(default_factory=dict)  # part name -> type
    defaults: dict[str, str] = field(default_factory=dict)  # extension -> type
    strict: bool = False
    active: list[Active] = field(default_factory=list)
    rels: dict[str, list[Relationship]] = field(default_factory=dict)
    """Relationship parts already read, by source part."""

    def has(self, part: str) -> bool:
        return part.lower() in self.names

    def chunks(self, part: str) -> Iterator[bytes]:
        """One part's bytes, inflated :data:`~aijri_xl.workbook.xmlparts.CHUNK` bytes at a
        time from the container's raw bytes (whose headers :mod:`~aijri_xl.workbook.zipcheck`
        has checked), never past its declared size: an entry whose data inflates to more is
        refused as soon as it does, one that inflates to less, or to other bytes (CRC), when
        its data ends."""
        info = self.zf.getinfo(self.names[part.lower()])
        declared = info.file_size
        if declared > MAX_PART_BYTES:
            raise XlsxError(f"{part}: {declared:,} bytes (at most {MAX_PART_BYTES:,} for "
                            "a part the verifier reads)", "unsafe")
        at = info.header_offset
        name_len, extra_len = struct.unpack_from("<HH", self.raw, at + 26)
        start = at + 30 + name_len + extra_len
        packed = memoryview(self.raw)[start:start + info.compress_size]
        crc = 0
        if info.compress_type == zipfile.ZIP_STORED:
            if len(packed) != declared:
                raise _size_problem(part, declared, len(packed) > declared)
            for at in range(0, declared, CHUNK):
                out = bytes(packed[at:at + CHUNK])
                crc = zlib.crc32(out, crc)
                yield out
            if crc != info.CRC:
                raise _damaged(part)
            return
        inflater = zlib.decompressobj(-15)
        total = pos = 0
        tail: bytes | memoryview = b""
        while not inflater.eof:
            if not tail:
                if pos >= len(packed):
                    break  # the data ends before the deflate stream does
                tail = packed[pos:pos + _INPUT]
                pos += _INPUT
            try:
                out = inflater.decompress(tail, CHUNK)
            except zlib.error as exc:
                raise XlsxError(f"zip entry {part} is damaged ({exc})") from exc
            tail = inflater.unconsumed_tail
            if out:
                total += len(out)
                if total > declared:
                    raise _size_problem(part, declared, True)
                crc = zlib.crc32(out, crc)
                yield out
        if total != declared or tail or pos < len(packed) or inflater.unused_data:
            raise _size_problem(part, declared, total > declared or bool(tail) or
                                pos < len(packed) or bool(inflater.unused_data))
        if not inflater.eof or crc != info.CRC:
            raise _damaged(part)

    def read(self, part: str) -> bytes:
        """One part's bytes, whole (:meth:`chunks`, joined)."""
        return b"".join(self.chunks(part))

    def content_type(self, part: str) -> str | None:
        found = self.content_types.get(part.lower())
        if found is not None:
            return found
        ext = posixpath.splitext(part)[1].lstrip(".").lower()
        return self.defaults.get(ext)

    def xml(self, part: str, kind: str, build: Callable[[Any, str], Any] | None = None
            ) -> Any:
        """One part parsed as it is inflated (:func:`~aijri_xl.workbook.xmlparts.parse`),
        or what ``build`` makes of its root (and the part's name, for its messages: what it
        makes may not depend on the name). A part of one chunk or less (the content types,
        relationships, workbook, styles and properties of an assessment workbook) is read
        whole and looked up by its digest first: every workbook of a layout has the same,
        so each is parsed (and built) once per process, not once per file."""
        info = self.zf.getinfo(self.names[part.lower()])
        if info.file_size > CHUNK:
            root = parse(self.chunks(part), part, kind)
            return root if build is None else build(root, part)
        data = self.read(part)
        key = (kind, f"{build.__module__}.{build.__qualname__}" if build is not None else "",
               blake2b(data, digest_size=16).digest())
        found = _PARSED.get(key)
        if found is None:
            root = parse(data, part, kind)
            found = root if build is None else build(root, part)
            if len(_PARSED) >= _PARSED_ENTRIES:
                del _PARSED[next(iter(_PARSED))]
            _PARSED[key] = found
        return found


_PARSED: dict[tuple[str, str, bytes], Any] = {}
"""Small parts already parsed (and built), by kind, builder and digest of their bytes; only
ever read by the code that asks for them."""
_PARSED_ENTRIES = 256


_INPUT = 16 * 1024
"""Compressed bytes given to the inflater at a time."""


def _size_problem(part: str, declared: int, more: bool) -> XlsxError:
    return XlsxError(f"zip entry {part} inflates to {'more' if more else 'less'} than its "
                     f"declared {declared:,} bytes", "unsafe", "AIJ-F212")


def _damaged(part: str) -> XlsxError:
    return XlsxError(f"zip entry {part} is damaged (its data does not match its CRC)")


def rel_kind(rel_type: str) -> str:
    for base in _REL_BASES:
        if rel_type.startswith(base):
            return rel_type[len(base):]
    return rel_type


def rels_part(part: str) -> str:
    """The relationships part of ``part`` (``""`` for the package itself)."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def resolve(source: str, target: str) -> str:
    """An internal target, relative to ``source`` (a part name, ``""`` for the package),
    as a part name; :class:`XlsxError` when it would leave the package."""
    raw = _unquote(target.split("#", 1)[0])
    if "\\" in raw or "\x00" in raw or ":" in raw.split("/", 1)[0]:
        raise XlsxError(f"the relationship target {target!r} of {source or 'the package'} is "
                        "not a part name inside the package", "unsafe", "AIJ-F214")
    if raw.startswith("/"):
        joined = raw.lstrip("/")
    else:
        joined = posixpath.join(posixpath.dirname(source), raw)
    norm = posixpath.normpath(joined)
    if norm in (".", "..") or norm.startswith("../") or norm.startswith("/"):
        raise XlsxError(f"the relationship target {target!r} of {source or 'the package'} "
                        "leaves the package", "unsafe", "AIJ-F214")
    return norm


def open_package(zf: zipfile.ZipFile, raw: bytes) -> Package:
    """Read ``[Content_Types].xml`` (required, as Excel requires it) and find the active
    content of every relationship part and content type."""
    names = {info.filename.lower().lstrip("/"): info.filename for info in zf.infolist()}
    pkg = Package(zf, raw, names)
    if not pkg.has("[Content_Types].xml"):
        raise XlsxError("the package has no [Content_Types].xml: Excel refuses such a file "
                        "as corrupt", "corrupt", "AIJ-F207")
    root = pkg.xml("[Content_Types].xml", "contentTypes")
    if root.tag != f"{CT_NS}Types":
        raise XlsxError("[Content_Types].xml is not a content types part", "corrupt",
                        "AIJ-F207")
    for el in root:
        if el.tag == f"{CT_NS}Default":
            pkg.defaults[(el.get("Extension") or "").lower()] = (el.get("ContentType") or "")
        elif el.tag == f"{CT_NS}Override":
            part = (el.get("PartName") or "").lstrip("/").lower()
            pkg.content_types[_unquote(part)] = (el.get("ContentType") or "").strip()
    for _lower, part in names.items():
        ctype = pkg.content_type(part)
        if ctype is not None:
            ctype = ctype.split(";")[0].strip()
        if ctype in ACTIVE_CONTENT_TYPES:
            code, what = ACTIVE_CONTENT_TYPES[ctype]
            pkg.active.append(Active(code, what, part))
    return pkg


def relationships(pkg: Package, source: str) -> list[Relationship]:
    """The relationships of ``source`` (``""``: the package), targets resolved; active
    content among them is recorded in ``pkg.active``."""
    if source in pkg.rels:
        return pkg.rels[source]
    part = rels_part(source) if source else "_rels/.rels"
    if not pkg.has(part):
        return []
    root = pkg.xml(part, "relationships")
    out = []
    for rel in root.iter(f"{REL_NS}Relationship"):
        kind = rel_kind(rel.get("Type", ""))
        target = rel.get("Target", "")
        external = (rel.get("TargetMode") or "").lower() == "external"
        if external:
            if kind not in _HARMLESS_EXTERNAL:
                code, what = ACTIVE_RELATIONSHIPS.get(kind, ("AIJ-X308", f"a {kind} "
                                                             "relationship"))
                pkg.active.append(Active(code, f"{what} with a target outside the package "
                                         f"({target})", part))
            out.append(Relationship(rel.get("Id", ""), kind, target, True))
            continue
        resolved = resolve(source, target)
        if kind in ACTIVE_RELATIONSHIPS:
            code, what = ACTIVE_RELATIONSHIPS[kind]
            pkg.active.append(Active(code, what, resolved))
        out.append(Relationship(rel.get("Id", ""), kind, resolved, False))
    pkg.rels[source] = out
    return out


def all_relationships(pkg: Package) -> None:
    """Read every relationship part in the package (reached or not), so active content
    is found wherever it hangs."""
    for lower, part in sorted(pkg.names.items()):
        if not lower.endswith(".rels") or "/_rels/" not in f"/{lower}":
            continue
        folder = posixpath.dirname(posixpath.dirname(part))
        source = posixpath.join(folder, posixpath.basename(part)[:-5])
        if lower == "_rels/.rels":
            source = ""
        relationships(pkg, source)


def office_document(pkg: Package) -> str:
    """The workbook part, through the package relationships."""
    if not pkg.has("_rels/.rels"):
        raise XlsxError("the package has no _rels/.rels, so no workbook: Excel refuses it",
                        "corrupt", "AIJ-F207")
    docs = [r for r in relationships(pkg, "") if r.kind == "officeDocument"]
    if len(docs) != 1 or docs[0].external:
        raise XlsxError(f"the package names {len(docs)} office documents (one workbook "
                        "expected)", "corrupt", "AIJ-F207")
    part = docs[0].target
    if not pkg.has(part):
        raise XlsxError(f"the package's workbook part {part} is missing", "corrupt", "AIJ-F207")
    ctype = pkg.content_type(part)
    if ctype == _BINARY_WORKBOOK:
        raise XlsxError("a binary workbook (.xlsb): save it in Excel as 'Excel Workbook "
                        "(*.xlsx)' and verify that file", "corrupt", "AIJ-F203")
    if ctype not in WORKBOOK_TYPES:
        raise XlsxError(f"the workbook part {part} has content type {ctype or 'none'!r}, not "
                        "a spreadsheet's: Excel refuses it", "corrupt", "AIJ-F207")
    return part
