"""The workbook, its sheets, shared strings and styles, reached through relationships.

One pass over each part builds only what the verifier needs: per cell its value, formula
and style; per sheet its visibility, hidden rows and columns and conditional formats; the
workbook's sheets and defined names. What Excel treats as an error is refused here, at its
cell: a shared-string index that is negative or out of range, two cells with one reference,
a reference beyond the grid, a cell wrapped in a markup-compatibility alternate (programs
pick different branches), two defined names that differ only in case.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from aijri_xl.workbook.cells import (
    _ALTERNATE,
    _R_IDS,
    STRICT,
    TRANSITIONAL,
    CellData,
    SheetData,
    WorkbookData,
    col_letters,
    shift_formula,
)
from aijri_xl.workbook.cellstyles import Styles, read_styles
from aijri_xl.workbook.limits import (
    MAX_CELLS,
    MAX_CONDITIONAL_AREAS,
    MAX_CONDITIONAL_RULES,
    MAX_DEFINED_NAMES,
    MAX_FORMULA_TEXT,
    MAX_SHARED_STRINGS,
)
from aijri_xl.workbook.package import Package, all_relationships, office_document, relationships
from aijri_xl.workbook.sheetview import read_columns, read_rule
from aijri_xl.workbook.text import unescape
from aijri_xl.workbook.xmlparts import XlsxError, parse

_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"
_X14 = "{http://schemas.microsoft.com/office/spreadsheetml/2009/9/main}"
_XM = "{http://schemas.microsoft.com/office/excel/2006/main}"
MAX_ROW, MAX_COL = 1_048_576, 16_384
_EPOCH = _dt.datetime(1899, 12, 30)
_EPOCH_1904 = _dt.datetime(1904, 1, 1)


def _ns(root: Any, part: str) -> str:
    tag = root.tag
    ns = tag[1:].split("}", 1)[0] if tag.startswith("{") else ""
    if ns not in (TRANSITIONAL, STRICT):
        raise XlsxError(f"{part}: not SpreadsheetML (namespace {ns or 'none'!r})")
    return "{" + ns + "}"


def _no_alternates(root: Any, part: str, m: str, tags: tuple[str, ...]) -> None:
    """A markup-compatibility alternate that holds cells, rows, sheets or names: Excel
    reads one branch, other programs another, so what is verified is not defined."""
    wanted = {f"{m}{t}" for t in tags}
    for alt in root.iter(_MC):
        if any(el.tag in wanted for el in alt.iter()):
            raise XlsxError(f"{part}: cells, sheets or names inside mc:AlternateContent "
                            "(programs read different branches of it)", "corrupt", "AIJ-F215")


def read_workbook(pkg: Package, wanted: set[str] | None) -> WorkbookData:
    part = office_document(pkg)
    raw = pkg.read(part)
    book = parse(raw, part, "workbook")
    m = _ns(book, part)
    if _ALTERNATE in raw:
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
            sheet = _sheet(name, target, pkg.read(target), strings, budget, date1904)
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
    root = pkg.xml(part, "styles")
    return read_styles(root, _ns(root, part))


def _text_of(si: Any, m: str) -> str:
    """A string item's text as shown: its ``t``, or its runs' ``t``; phonetic runs
    (``rPh``) are not shown."""
    out = []
    t_tag, r_tag = f"{m}t", f"{m}r"
    for child in si:
        if child.tag == t_tag:
            out.append(child.text or "")
        elif child.tag == r_tag:
            for t in child:
                if t.tag == t_tag:
                    out.append(t.text or "")
    return "".join(out)


def _shared_strings(pkg: Package, targets: list[str]) -> list[str]:
    part = _one(pkg, targets, "shared strings")
    if part is None:
        return []
    root = pkg.xml(part, "sharedStrings")
    m = _ns(root, part)
    items = root.findall(f"{m}si")
    if len(items) > MAX_SHARED_STRINGS:
        raise XlsxError(f"{part}: {len(items):,} shared strings (at most "
                        f"{MAX_SHARED_STRINGS:,})", "unsafe")
    return [unescape(_text_of(si, m)) for si in items]


def _parse_ref(ref: str, where: str) -> tuple[int, int]:
    """``C7`` → (7, 3), 1-based; :class:`XlsxError` for anything else."""
    known = _REFS.get(ref)
    if known is not None:
        return known
    i = 0
    while i < len(ref) and "A" <= ref[i] <= "Z":
        i += 1
    col_s, row_s = ref[:i], ref[i:]
    if not 1 <= len(col_s) <= 3 or not row_s.isdigit() or row_s.startswith("0"):
        raise XlsxError(f"{where}: {ref!r} is not a cell reference", "corrupt", "AIJ-F215")
    col = 0
    for ch in col_s:
        col = col * 26 + ord(ch) - 64
    row = int(row_s)
    if row > MAX_ROW or col > MAX_COL:
        raise XlsxError(f"{where}: {ref} is beyond Excel's grid", "corrupt", "AIJ-F215")
    if len(_REFS) < 65_536:
        _REFS[ref] = (row, col)
    return row, col


_STYLE_INDEX = {str(i): i for i in range(1, 512)}
_REFS: dict[str, tuple[int, int]] = {}
"""Cell references already read (the same few thousand in every assessment workbook)."""


def _iso_to_serial(text: str, where: str, date1904: bool) -> float:
    try:
        moment = _dt.datetime.fromisoformat(text.strip().rstrip("Z"))
    except ValueError as exc:
        raise XlsxError(f"{where}: the date {text!r} is not an ISO 8601 date", "corrupt",
                        "AIJ-F215") from exc
    delta = moment.replace(tzinfo=None) - (_EPOCH_1904 if date1904 else _EPOCH)
    return delta.days + delta.seconds / 86400 + delta.microseconds / 86_400_000_000


def _sheet(name: str, part: str, xml: bytes, strings: list[str], budget: list[int],
           date1904: bool) -> SheetData:
    root = parse(xml, f"sheet {name}", "worksheet")
    m = _ns(root, part)
    if _ALTERNATE in xml:
        _no_alternates(root, f"sheet {name}", m, ("c", "row", "sheetData", "f", "v"))
    sheet = SheetData(name, part=part)
    read_columns(root, m, sheet)
    data_el = root.find(f"{m}sheetData")
    shared: dict[str, tuple[str, int, int]] = {}
    cells = sheet.cells
    row_tag, c_tag, f_tag, v_tag, is_tag = (f"{m}row", f"{m}c", f"{m}f", f"{m}v", f"{m}is")
    row_no = 0
    n_strings = len(strings)
    for row in (data_el if data_el is not None else ()):
        if row.tag != row_tag:
            continue
        r_attr = row.get("r")
        row_no = int(r_attr) if r_attr and r_attr.isdigit() else row_no + 1
        if row.get("hidden") in ("1", "true") or row.get("ht") in ("0", "0.0"):
            sheet.hidden_rows.add(row_no)
        elif row.get("ht") is not None:
            sheet.shown_rows.add(row_no)
        col_no = 0
        for c in row:
            if c.tag != c_tag:
                continue
            budget[0] -= 1
            if budget[0] < 0:
                raise XlsxError(f"more than {MAX_CELLS:,} cells: not an assessment workbook",
                                "unsafe")
            ref = c.get("r")
            if ref is None:
                col_no += 1
                ref = f"{col_letters(col_no - 1)}{row_no}"
            else:
                r, col_no = _parse_ref(ref, f"{name}!{ref}")
                if r != row_no:
                    raise XlsxError(f"{name}!{ref}: the cell is in row {row_no}'s element",
                                    "corrupt", "AIJ-F215")
            cell = CellData()
            s = c.get("s")
            if s is not None:
                cell.style = _STYLE_INDEX.get(s) or (int(s) if s.isdigit() else 0)
            kind = c.get("t", "n")
            f = v = is_ = None
            for child in c:
                tag = child.tag
                if tag == v_tag:
                    v = child
                elif tag == f_tag:
                    f = child
                elif tag == is_tag:
                    is_ = child
            if f is not None:
                text = f.text
                ftype = f.get("t")
                if ftype == "shared":
                    si = f.get("si", "")
                    if text:
                        shared[si] = (text, row_no, col_no)
                    elif si in shared:
                        base, row0, col0 = shared[si]
                        text = shift_formula(base, row_no - row0, col_no - col0)
                elif ftype == "dataTable":
                    text = text or "TABLE()"  # a what-if data table: a formula of its own
                cell.formula = text if text is not None else ""
                budget[1] -= len(cell.formula)
                if budget[1] < 0:
                    raise XlsxError(f"more than {MAX_FORMULA_TEXT:,} characters of formulas: "
                                    "not an assessment workbook", "unsafe")
            raw = v.text if v is not None else None
            if kind == "s":
                if raw is not None:
                    idx = raw.strip()
                    if not idx.isdigit() or int(idx) >= n_strings:
                        raise XlsxError(f"{name}!{ref}: shared string {raw!r} does not exist "
                                        f"(the table has {n_strings})", "corrupt", "AIJ-F215")
                    cell.value = strings[int(idx)]
            elif kind == "inlineStr":
                cell.value = unescape(_text_of(is_, m)) if is_ is not None else ""
            elif kind == "str":
                cell.value = unescape(raw) if raw is not None else ""
            elif kind == "b":
                if raw not in (None, "0", "1"):
                    raise XlsxError(f"{name}!{ref}: boolean {raw!r} is malformed", "corrupt",
                                    "AIJ-F215")
                cell.value = raw == "1" if raw is not None else None
            elif kind == "e":
                cell.value, cell.is_error = raw, True
            elif kind == "d":
                if raw:
                    cell.value = _iso_to_serial(raw, f"{name}!{ref}", date1904)
            elif kind != "n":
                raise XlsxError(f"{name}!{ref}: unknown cell type {kind!r}", "corrupt",
                                "AIJ-F215")
            elif raw is not None and raw != "":
                try:
                    cell.value = float(raw)
                except ValueError as exc:
                    raise XlsxError(f"{name}!{ref}: number {raw!r} is malformed", "corrupt",
                                    "AIJ-F215") from exc
                if cell.value != cell.value or cell.value in (float("inf"), float("-inf")):
                    raise XlsxError(f"{name}!{ref}: {raw!r} is not a number Excel stores",
                                    "corrupt", "AIJ-F215")
            if cell.value is None and cell.formula is not None:
                cell.value = ""
            count = len(cells)
            cells[ref] = cell
            if len(cells) == count:
                raise XlsxError(f"{name}!{ref}: two cells with the same reference (programs "
                                "show one or the other)", "corrupt", "AIJ-F215")
    _conditional(root, m, sheet)
    return sheet


def _conditional(root: Any, m: str, sheet: SheetData) -> None:
    rules = 0
    for cf in root.findall(f"{m}conditionalFormatting"):
        sqref = cf.get("sqref", "")
        for rule in cf.findall(f"{m}cfRule"):
            rules += 1
            sheet.conditional.append(read_rule(rule, f"{m}formula", sqref))
    ext = root.find(f"{m}extLst")
    if ext is not None:  # Excel 2010 conditional formats live in an extension
        for cf in ext.iter(f"{_X14}conditionalFormatting"):
            sq = cf.find(f"{_XM}sqref")
            for rule in cf.iter(f"{_X14}cfRule"):
                rules += 1
                sheet.conditional.append(read_rule(
                    rule, f"{_XM}f", (sq.text or "") if sq is not None else "", "x14:"))
    if rules > MAX_CONDITIONAL_RULES:
        raise XlsxError(f"sheet {sheet.name}: {rules:,} conditional formatting rules (at most "
                        f"{MAX_CONDITIONAL_RULES:,})", "unsafe")
    areas = sum(len(c.sqref.split()) for c in sheet.conditional)
    if areas > MAX_CONDITIONAL_AREAS:
        raise XlsxError(f"sheet {sheet.name}: conditional formats over {areas:,} ranges (at "
                        f"most {MAX_CONDITIONAL_AREAS:,})", "unsafe")
