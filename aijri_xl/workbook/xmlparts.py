"""Parsing one XML part of a submitted package as it is inflated, safely and within bounds.

A part is never held whole: it arrives in chunks (:meth:`~aijri_xl.workbook.package.Package.
chunks` inflates a zip entry :data:`CHUNK` bytes at a time, refusing it the moment it inflates
past its declared size) and each chunk goes straight to an incremental parser
(``xml.parsers.expat``). The bounds of :mod:`~aijri_xl.workbook.limits` are enforced chunk by
chunk, as the part streams: the elements of the part's kind
(:data:`~aijri_xl.workbook.limits.MAX_ELEMENTS`), their nesting
(:data:`~aijri_xl.workbook.limits.MAX_DEPTH`) and the length of any text or piece of markup
(:data:`~aijri_xl.workbook.limits.MAX_TEXT_CHARS`). So the memory a part costs is bounded by
the limits, not by the file.

Excel reads parts in UTF-8 or UTF-16 (with or without a byte-order mark); anything else is
refused. A DTD or entity declaration (entity expansion, external entities) is refused: each
chunk is screened before the parser sees it, and the parser refuses a DOCTYPE it meets.

Two ways to parse: the hot parts (worksheets, shared strings) are grown as a tree in C
and read a chunk at a time, each completed row or string read and dropped
(:func:`grow`; :mod:`~aijri_xl.workbook.worksheet`, :mod:`~aijri_xl.workbook.sheetxml`);
the small parts (content types, relationships, the workbook, styles, properties; an
``.ods``'s parts) are built whole by ElementTree's incremental parser (:func:`parse`), for
the code that walks them. Either way the bounds are checked after every chunk.
"""

from __future__ import annotations

import codecs
import re
import xml.etree.ElementTree as ET
import xml.parsers.expat as expat
from collections.abc import Callable, Iterable, Iterator
from itertools import accumulate
from operator import itemgetter
from typing import Any, ClassVar

from aijri_xl.workbook.limits import MAX_DEPTH, MAX_ELEMENTS, MAX_PART_BYTES, MAX_TEXT_CHARS

CHUNK = 64 * 1024
"""Bytes inflated, screened and parsed at a time."""


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
_OVERLAP = 64
"""Bytes (or characters) of one chunk screened again with the next, so that a declaration
split between two chunks is seen."""


def _is_utf16(head: bytes) -> bool:
    return head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[:2] in (b"<\x00", b"\x00<")


def _check_declared(head: bytes, part: str) -> None:
    declared = _DECLARED_ENCODING.match(head)
    if declared and declared.group(1).lower() not in _UTF8:
        name = declared.group(1).decode("ascii", "replace")
        if name.lower().replace("-", "") in ("utf16", "utf16le", "utf16be"):
            raise XlsxError(f"{part}: declares UTF-16 but is not UTF-16")
        raise XlsxError(f"{part}: XML in {name}; Excel reads only UTF-8 and UTF-16 parts")


def screen_xml(data: bytes, part: str) -> bytes:
    """The part as UTF-8 bytes a parser may see, or :class:`XlsxError`: not UTF-8 or
    UTF-16, a DTD or entity declaration. (The whole-part form of what :func:`stream` does
    chunk by chunk.)"""
    if _is_utf16(data):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise XlsxError(f"{part}: malformed UTF-16 XML ({exc.reason})") from exc
        if _DTD.search(text):
            raise _dtd(part)
        return _DECL.sub("", text.lstrip("\ufeff"), count=1).encode("utf-8")
    _check_declared(data, part)
    if b"<!" in data and _DTD_BYTES.search(data):
        raise _dtd(part)
    return data


def _dtd(part: str) -> XlsxError:
    return XlsxError(f"{part}: refused unsafe XML: a DTD or entity declaration (entity "
                     "expansion and external entities are not allowed)", "unsafe")


class Bounded:
    """The bounds of one part as it is parsed: its name and kind, the elements it may still
    hold (``left``), how deep it is (``depth``), and the refusals."""

    __slots__ = ("alternates", "depth", "kind", "left", "part")

    def __init__(self, part: str, kind: str):
        self.part = part
        self.kind = kind
        self.left = MAX_ELEMENTS[kind]
        self.depth = 0
        self.alternates = False  # the part names mc:AlternateContent somewhere

    def refuse(self) -> None:
        if self.left < 0:
            raise XlsxError(f"{self.part}: more than {MAX_ELEMENTS[self.kind]:,} XML elements "
                            f"(the most a {self.kind} part of an assessment workbook may "
                            "hold)", "unsafe")
        self.too_deep()

    def too_deep(self) -> None:
        raise XlsxError(f"{self.part}: XML elements nested more than {MAX_DEPTH} deep (an "
                        "assessment workbook's parts nest a dozen)", "unsafe")

    def too_long(self) -> None:
        raise XlsxError(f"{self.part}: more than {MAX_TEXT_CHARS:,} characters of text or "
                        "markup in one piece (a cell holds at most 32,767)", "unsafe")

    def check_depth(self, el: Any, depth: int) -> None:
        """Refuse when ``el`` (at ``depth``, the root being 1) holds elements nested past
        :data:`MAX_DEPTH` (walked without recursion)."""
        stack = [(el, depth)]
        while stack:
            node, at = stack.pop()
            if at >= MAX_DEPTH:
                self.too_deep()
            for child in node:
                if len(child):
                    stack.append((child, at + 1))


def _chunked(data: bytes) -> Iterator[bytes]:
    view = memoryview(data)
    for at in range(0, len(data), CHUNK):
        yield bytes(view[at:at + CHUNK])


def _screened(chunks: Iterator[bytes], part: str) -> Iterator[bytes | str]:
    """The part's chunks as a parser may see them: UTF-8 bytes, or text decoded from
    UTF-16 (its byte-order mark and declaration removed, as Excel ignores them; the parser
    reads text as UTF-8); refused, chunk by chunk, when in another encoding or holding a
    DTD or entity declaration."""
    first = next(chunks, b"")
    if _is_utf16(first):
        decoder = codecs.getincrementaldecoder("utf-16")()
        tail = ""
        head = True
        try:
            for chunk in _prepend(first, chunks):
                text = decoder.decode(chunk)
                if head and text:
                    text = _DECL.sub("", text.lstrip("\ufeff"), count=1)
                    head = False
                if _DTD.search(tail + text):
                    raise _dtd(part)
                tail = text[-_OVERLAP:]
                yield text
            text = decoder.decode(b"", True)
        except UnicodeDecodeError as exc:
            raise XlsxError(f"{part}: malformed UTF-16 XML ({exc.reason})") from exc
        if text:
            yield text
        return
    _check_declared(first, part)
    tail_bytes = b""
    for chunk in _prepend(first, chunks):
        if (b"<!" in chunk or b"<!" in tail_bytes + chunk[:_OVERLAP]) \
                and _DTD_BYTES.search(tail_bytes + chunk):
            raise _dtd(part)
        tail_bytes = chunk[-_OVERLAP:]
        yield chunk


def _prepend(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    if first:
        yield first
    yield from rest


def _drain(chunks: Iterator[bytes]) -> None:
    """Inflate the rest of a refused part (keeping nothing), so that the entry's own checks
    (its size, its CRC) are reported first, as when the entry was inflated whole."""
    for _ in chunks:
        pass


def grow(chunks: Iterable[bytes], part: str, kind: str,
         consume: Callable[[Any, Bounded, bool], None]) -> Any:
    """Parse a part chunk by chunk into an ElementTree built in C (the parser's events go
    straight to ElementTree's TreeBuilder: no Python work per element) and call
    ``consume(root, bounds, final)`` after each chunk, so that the elements completed so
    far are read and dropped from the tree: what the tree holds is bounded by a chunk and
    what ``consume`` keeps. Element names are the parser's (``namespace}local``).

    The bounds, as each chunk arrives, before it is parsed: its start tags (every ``<``
    that does not open an end tag, counted in C) within what the part's kind may hold, so
    the tree never holds more elements; no stretch
    between two ``<`` (a text) and no piece of markup the parser holds is longer than
    :data:`MAX_TEXT_CHARS`; the tree's open
    elements nest at most :data:`MAX_DEPTH` deep. ``consume`` checks the depth of what it
    reads (:meth:`Bounded.check_depth`), so every element's nesting is checked. A DOCTYPE
    is refused by the screen and by the parser."""
    bounds = Bounded(part, kind)
    parser = expat.ParserCreate(None, "}")
    parser.buffer_text = True
    parser.buffer_size = CHUNK
    builder = ET.TreeBuilder()
    roots: list[Any] = []

    def first(name: str, attrs: dict[str, str]) -> None:
        roots.append(builder.start(name, attrs))
        parser.StartElementHandler = builder.start

    def doctype(*_: Any) -> None:
        raise _dtd(part)

    parser.StartElementHandler = first
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    run = fed = 0
    tail: Any = None  # the end of the last piece, for a name cut between two
    it = iter(chunks)
    try:
        for piece in _screened(it, part):
            text = isinstance(piece, str)
            lt: Any = "<" if text else b"<"
            end_tag: Any = "</" if text else b"</"
            # start tags: every "<" that does not open an end tag (a comment or instruction
            # counts too: the bound errs on the safe side)
            bounds.left -= piece.count(lt) - piece.count(end_tag)
            if bounds.left < 0:
                bounds.refuse()
            run = _stretch(piece, lt, run, bounds)
            if not bounds.alternates:
                name: Any = "AlternateContent" if text else b"AlternateContent"
                bounds.alternates = name in piece or (
                    tail is not None and name in tail + piece[:len(name)])
                tail = piece[-len(name):]
            parser.Parse(piece, False)
            fed += len(piece.encode("utf-8")) if isinstance(piece, str) else len(piece)
            _pending(parser, fed, bounds)
            if roots:
                _open_depth(roots[0], bounds)
                consume(roots[0], bounds, False)
        parser.Parse(b"", True)
        root = builder.close()
        consume(root, bounds, True)
    except XlsxError:
        _drain(it)
        raise
    except expat.ExpatError as exc:
        _drain(it)
        raise XlsxError(f"{part}: malformed XML ({exc})") from None
    return root


def _stretch(piece: Any, lt: Any, run: int, bounds: Bounded) -> int:
    """The characters since the last ``lt`` once ``piece`` is read, given ``run`` before
    it; refused past :data:`MAX_TEXT_CHARS` (a piece is shorter than that: only a stretch
    across pieces can be longer)."""
    first = piece.find(lt)
    run += len(piece) if first < 0 else first
    if run > MAX_TEXT_CHARS:
        bounds.too_long()
    return run if first < 0 else len(piece) - piece.rfind(lt) - 1


def _open_depth(root: Any, bounds: Bounded) -> None:
    """The nesting of the elements still open (they are the last child of the last child
    ... of the root)."""
    el, depth = root, 1
    while len(el):
        el = el[-1]
        depth += 1
        if depth > MAX_DEPTH:
            bounds.too_deep()


def _pending(parser: Any, fed: int, bounds: Bounded) -> None:
    """Refuse a part whose parser holds more than :data:`MAX_TEXT_CHARS` bytes it has not
    yet made an event of: one tag, comment or other piece of markup that long (the parser
    keeps a token whole until it ends)."""
    if fed - parser.CurrentByteIndex > MAX_TEXT_CHARS:
        bounds.too_long()


_DELTA = {"start": 1, "end": -1}
_EVENT = itemgetter(0)


def parse(source: bytes | Iterable[bytes], part: str, kind: str) -> Any:
    """The root element of one part of ``kind`` (a key of ``MAX_ELEMENTS``), from its bytes
    or its chunks as they are inflated, built by ElementTree's incremental C parser. After
    each chunk the bounds are checked over the parser's events (in C: no Python work per
    element): the elements started, the deepest nesting, and the longest stretch between
    two tags (so no text is longer than :data:`MAX_TEXT_CHARS`)."""
    if isinstance(source, bytes):
        if len(source) > MAX_PART_BYTES:
            raise XlsxError(f"{part}: {len(source):,} bytes of XML (at most "
                            f"{MAX_PART_BYTES:,} for a part the verifier reads)", "unsafe")
        source = _chunked(source)
    bounds = Bounded(part, kind)
    parser: Any = ET.XMLPullParser(("start", "end"))
    guard = expat.ParserCreate(None, "}")  # the same bytes, parsed without handlers, for

    def doctype(*_: Any) -> None:  # what ElementTree's parser does not show: a DOCTYPE,
        raise _dtd(part)  # and how much markup is pending

    guard.StartDoctypeDeclHandler = doctype
    guard.EntityDeclHandler = doctype
    fed = 0
    root = None
    run = 0  # characters since the last "<"
    it = iter(source)
    try:
        for piece in _screened(it, part):
            run = _stretch(piece, b"<" if isinstance(piece, bytes) else "<", run, bounds)
            guard.Parse(piece, False)
            fed += len(piece) if isinstance(piece, bytes) else len(piece.encode("utf-8"))
            _pending(guard, fed, bounds)
            parser.feed(piece)
            events: list[tuple[str, Any]] = list(parser.read_events())
            if events:
                if root is None:
                    root = events[0][1]
                depths = list(accumulate(map(_DELTA.__getitem__, map(_EVENT, events)),
                                         initial=bounds.depth))
                bounds.left -= (len(events) + depths[-1] - bounds.depth) // 2
                if bounds.left < 0 or max(depths) > MAX_DEPTH:
                    bounds.refuse()
                bounds.depth = depths[-1]
        guard.Parse(b"", True)
        parser.close()
    except XlsxError:
        _drain(it)
        raise
    except (ET.ParseError, expat.ExpatError) as exc:
        _drain(it)
        raise XlsxError(f"{part}: malformed XML ({exc})") from None
    return root


