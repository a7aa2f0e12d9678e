"""The workbook, its sheets, shared strings and styles, reached through relationships.

Each part is parsed as it is inflated, and one pass over it builds only what the verifier
needs: per cell its value, formula and style, and per sheet its hidden rows and columns and
conditional formats (:mod:`~aijri_xl.workbook.worksheet`); the shared strings; the
workbook's sheets and defined names; the styles. What Excel treats as an error is refused
here, at its cell: a shared-string index that is negative or out of range, two cells with
one reference, a reference beyond the grid, a cell wrapped in a markup-compatibility
alternate (programs pick different branches), two defined names that differ only in case.
"""

from __future__ import annotations

from typing import Any

from aijri_xl.workbook.cells import _R_IDS, STRICT, WorkbookData
from aijri_xl.workbook.cellstyles import Styles, read_styles
from aijri_xl.workbook.limits import (
    MAX_CELLS,
    MAX_DEFINED_NAMES,
    MAX_FORMULA_TEXT,
    MAX_SHARED_STRINGS,
)
from aijri_xl.workbook.package import Package, all_relationships, office_document, relationships
from aijri_xl.workbook.text import unescape
from aijri_xl.workbook.worksheet import alternate_error, namespace_of, read_sheet, rich_text
from aijri_xl.workbook.xmlparts import Bounded, XlsxError, grow

_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"


def _ns(root: Any, part: str) -> str:
    """The SpreadsheetML namespace of a parsed root, in braces."""
    return "{" + namespace_of(root.tag[1:] if root.tag.startswith("{") else root.tag,
                              part)[:-1] + "}"


def _no_alternates(root: Any, part: str, m: str, tags: tuple[str, ...]) -> None:
    """A markup-compatibility alternate that holds cells, rows, sheets or names: Excel
    reads one branch, other programs another, so what is verified is not defined."""
    wanted = {f"{m}{t}" for t in tags}
    for alt in root.iter(_MC):
        if any(el.tag in wanted for el in alt.iter()):
            raise alternate_error(part)


def read_workbook(pkg: Package, wanted: set[str] | None) -> WorkbookData:
    part = office_document(pkg)
    book = pkg.xml(part, "workbook")
    m = _ns(book, part)
    _no_alternates(book, part, m, ("sheet", "definedName"))
    rels = {r.id: r for r in relationships(pkg, part)}
    all_relationships(pkg)
    by_kind: dict[str, list[str]] = {}
    for r in rels.values():
        if not r.external:
            by_kind.setdefault(r.kind, []).append(r.target)
    pr = book.find(f"{m}workbookPr")
    date1904 = pr is not None and pr.get("date1904") in ("1", "true")
    sheet_order: list[tuple[str, str | None, str]] = []
    seen_sheets: set[str] = set()
    for sheet in book.iter(f"{m}sheet"):
        name = sheet.get("name", "")
        if name.lower() in seen_sheets:
            raise XlsxError(f"{part}: two sheets named {name!r}", "corrupt", "AIJ-F215")
        seen_sheets.add(name.lower())
        rid = next((sheet.get(k) for k in _R_IDS if sheet.get(k) is not None), "")
        rel = rels.get(rid or "")
        target = rel.target if rel is not None and not rel.external else None
        if rel is not None and rel.kind != "worksheet":
            target = None  # a chart, macro or dialog sheet: not a worksheet
        sheet_order.append((name, target, sheet.get("state", "visible")))
    names, local = _defined_names(book, m, part, [s[0] for s in sheet_order])
    strings = _shared_strings(pkg, by_kind.get("sharedStrings", []))
    styles = _styles(pkg, by_kind.get("styles", []))
    data = WorkbookData({}, names, parts=sorted(pkg.names.values()), styles=styles,
                        active=list(pkg.active), local_names=local,
                        sheet_states={n: st for n, _, st in sheet_order}, date1904=date1904,
                        strict=m == "{" + STRICT + "}")
    data.properties = _custom_properties(pkg)
    data.has_macros = any(a.code == "AIJ-X309" for a in data.active)
    data.external_links = len({a.where for a in data.active if a.code == "AIJ-X308"})
    budget = [MAX_CELLS, MAX_FORMULA_TEXT]
    for name, target, state in sheet_order:
        if wanted is not None and name not in wanted:
            continue
        if target is None or not pkg.has(target):
            continue
        try:
            sheet = read_sheet(name, target, pkg.chunks(target), strings, budget, date1904)
        except XlsxError as exc:
            if data.strict and exc.code == "AIJ-F202":
                raise XlsxError(f"{exc}. This is a Strict Open XML workbook: open it in Excel "
                                "and use File > Save As > 'Excel Workbook (*.xlsx)', then "
                                "verify that file", "corrupt", "AIJ-F213") from exc
            raise
        sheet.state = state
        data.sheets[name] = sheet
    return data


def _defined_names(book: Any, m: str, part: str, sheets: list[str]
                   ) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    names: dict[str, str] = {}
    local: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    for i, dn in enumerate(book.iter(f"{m}definedName")):
        if i >= MAX_DEFINED_NAMES:
            raise XlsxError(f"{part}: more than {MAX_DEFINED_NAMES:,} defined names", "unsafe")
        name = dn.get("name", "")
        scope = dn.get("localSheetId")
        key = (scope or "", name.upper())
        if key in seen:
            raise XlsxError(f"{part}: the defined name {name!r} is defined twice (names ignore "
                            "case)", "corrupt", "AIJ-F215")
        seen.add(key)
        text = (dn.text or "").strip()
        if scope is None:
            names[name] = text
        else:
            try:
                sheet = sheets[int(scope)]
            except (ValueError, IndexError) as exc:
                raise XlsxError(f"{part}: the defined name {name!r} belongs to sheet number "
                                f"{scope!r}, which does not exist", "corrupt",
                                "AIJ-F215") from exc
            local.append((sheet, name, text))
    return names, local


_CUSTOM_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"


def _custom_properties(pkg: Package) -> dict[str, str]:
    """Custom document properties (found through the package's relationships)."""
    parts = [r.target for r in relationships(pkg, "") if r.kind == "custom-properties"
             and not r.external and pkg.has(r.target)]
    out: dict[str, str] = {}
    for part in parts[:1]:
        for prop in pkg.xml(part, "properties").iter(f"{_CUSTOM_NS}property"):
            out[prop.get("name", "")] = "".join(prop.itertext()).strip()
    return out


def _one(pkg: Package, targets: list[str], what: str) -> str | None:
    if len(targets) > 1:
        raise XlsxError(f"the workbook has {len(targets)} {what} parts (one expected)",
                        "corrupt", "AIJ-F215")
    if targets and not pkg.has(targets[0]):
        raise XlsxError(f"the workbook's {what} part {targets[0]} is missing", "corrupt",
                        "AIJ-F207")
    return targets[0] if targets else None


def _styles(pkg: Package, targets: list[str]) -> Styles:
    part = _one(pkg, targets, "styles")
    if part is None:
        return Styles()
    styles: Styles = pkg.xml(part, "styles", _build_styles)
    return styles


def _build_styles(root: Any, part: str) -> Styles:
    return read_styles(root, _ns(root, part))


class _StringsReader:
    """The shared string table, read as it grows: after each chunk, every ``si`` completed
    so far, as shown (its ``t``, or its runs' ``t``; phonetic runs, ``rPh``, are not
    shown), then dropped. Depths: the root is 1, an ``si`` 2, its ``t`` or ``r`` 3."""

    __slots__ = ("R", "SI", "T", "path", "strings")

    def __init__(self, part: str):
        self.path = part
        self.SI = self.T = self.R = ""
        self.strings: list[str] = []

    def consume(self, root: Any, bounds: Bounded, final: bool) -> None:
        if not self.SI:
            m = namespace_of(root.tag, self.path)
            self.SI, self.T, self.R = m + "si", m + "t", m + "r"
        done = len(root) if final else len(root) - 1
        if done <= 0:
            return
        items = root[:done]
        del root[:done]
        SI, T, R = self.SI, self.T, self.R
        strings = self.strings
        for si in items:
            if si.tag != SI:
                if len(si):
                    bounds.check_depth(si, 2)
                continue
            if len(strings) >= MAX_SHARED_STRINGS:
                raise XlsxError(f"{self.path}: more than {MAX_SHARED_STRINGS:,} shared "
                                "strings (an assessment workbook has a few hundred)", "unsafe")
            if len(si) == 1 and si[0].tag == T and not len(si[0]):
                text = si[0].text  # the common string: one plain t
                strings.append(unescape(text) if text else "")
                continue
            for el in si:
                if len(el):
                    bounds.check_depth(el, 3)
            strings.append(unescape(rich_text(si, T, R)))


def _shared_strings(pkg: Package, targets: list[str]) -> list[str]:
    part = _one(pkg, targets, "shared strings")
    if part is None:
        return []
    reader = _StringsReader(part)
    grow(pkg.chunks(part), part, "sharedStrings", reader.consume)
    return reader.strings
