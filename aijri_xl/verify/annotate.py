"""Annotated copies of verified workbooks, for the assessor (``aijri verify --annotate DIR``).

For a workbook with findings, :func:`annotated_bytes` returns a copy with, at every
finding's cell, a cell comment (each finding's severity, code and message) and a
highlight (red for errors, amber for warnings, blue for information), and a ``Findings``
sheet that lists every finding with a link to its cell. The copy is marked as annotated
with a custom document property (:data:`ANNOTATED_PROPERTY`); the verifier reports such a
file with its own error (``AIJ-X310``), so an annotated copy never verifies PASS.

The copy is made by editing the workbook's zip package part by part, not by loading and
saving it with a library: every part the annotation does not touch keeps its bytes, so
formulas keep their cached values and nothing else of the submitted file changes. The
original is read, never written. A finding is placed at the cell its ``where`` names
(``Tasks!D7``; a range's first cell; a defined name through its target); findings with
no cell (a file-level problem) are listed on the Findings sheet only. A sheet that
already carries comments keeps them and gets the highlight only (its findings are on the
Findings sheet).
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from aijri_xl._record import dataclass
from aijri_xl.styles import HIGHLIGHT_FILL, ZONE_STYLES
from aijri_xl.workbook.xlsx import (
    ANNOTATED_PROPERTY,
    col_index,
    iter_name_refs,
    read_xlsx,
)

FINDINGS_SHEET = "Findings"
HIGHLIGHTS = {"error": ZONE_STYLES["RED"][0], "warning": ZONE_STYLES["YELLOW"][0],
              "info": HIGHLIGHT_FILL}
_ORDER = {"error": 0, "warning": 1, "info": 2}
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
_CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
_CT_CUSTOM = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CELL = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]{1,7})$")
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_AFTER_LEGACY = ("legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
                 "webPublishItems", "tableParts", "extLst")
"""Worksheet elements that come after ``legacyDrawing`` in the schema's order."""


@dataclass(frozen=True, slots=True)
class Placed:
    """A finding and the cell it is placed at (``sheet``/``cell`` ``None``: no cell)."""

    finding: Mapping[str, Any]
    sheet: str | None
    cell: str | None


def _e(text: Any) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def place(findings: Iterable[Mapping[str, Any]], names: Mapping[str, str],
          sheets: Iterable[str]) -> list[Placed]:
    """The cell of each finding's ``where``: a cell or range (its first cell) of a sheet
    of the workbook, or a defined name's target."""
    known = set(sheets)
    out = []
    for f in findings:
        where = str(f.get("where") or "")
        parts = f.get("place") or {}
        target: tuple[str, str] | None = None
        if parts.get("sheet") and parts.get("cell"):  # the place in parts, when given
            target = (str(parts["sheet"]), str(parts["cell"]))
        elif where in names:
            refs = list(iter_name_refs(names[where]))
            if refs:
                target = refs[0]
        elif "!" in where:
            sheet, ref = where.rsplit("!", 1)
            target = (sheet.strip("'").replace("''", "'"), ref)
        cell = None
        if target is not None and target[0] in known:
            first = target[1].split(":")[0]
            m = _CELL.match(first)
            if m:
                cell = f"{m.group(1)}{m.group(2)}"
        out.append(Placed(f, target[0] if cell and target else None, cell))
    return out


def _quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


class _Package:
    """The zip's parts in order, edited in memory."""

    def __init__(self, raw: bytes):
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            self.order = [i.filename for i in zf.infolist()]
            self.parts = {name: zf.read(name) for name in self.order}

    def text(self, name: str) -> str:
        return self.parts[name].decode("utf-8")

    def put(self, name: str, text: str) -> None:
        if name not in self.parts:
            self.order.append(name)
        self.parts[name] = text.encode("utf-8")

    def free(self, pattern: str) -> str:
        """The first unused part name for ``pattern`` (``xl/comments{}.xml``)."""
        n = 1
        while pattern.format(n) in self.parts:
            n += 1
        return pattern.format(n)

    def bytes(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for name in self.order:
                info = zipfile.ZipInfo(name, _FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, self.parts[name])
        return out.getvalue()

    def content_type(self, part: str, ctype: str) -> None:
        types = self.text("[Content_Types].xml")
        if f'PartName="/{part}"' not in types:
            types = types.replace("</Types>", f'<Override PartName="/{part}" '
                                  f'ContentType="{ctype}"/></Types>')
            self.put("[Content_Types].xml", types)

    def default_type(self, extension: str, ctype: str) -> None:
        types = self.text("[Content_Types].xml")
        if f'Extension="{extension}"' not in types:
            types = types.replace("</Types>", f'<Default Extension="{extension}" '
                                  f'ContentType="{ctype}"/></Types>')
            self.put("[Content_Types].xml", types)


def _rels_path(part: str) -> str:
    if not part:
        return "_rels/.rels"  # the package's own relationships
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels"


def _add_rel(pkg: _Package, part: str, rel_type: str, target: str) -> str:
    path = _rels_path(part)
    text = pkg.text(path) if path in pkg.parts else (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{_PKG}"></Relationships>')
    taken = set(re.findall(r'Id="([^"]+)"', text))
    n = 1
    while f"rIdAijri{n}" in taken:
        n += 1
    rid = f"rIdAijri{n}"
    text = text.replace("</Relationships>", f'<Relationship Id="{rid}" Type="{rel_type}" '
                        f'Target="{target}"/></Relationships>')
    pkg.put(path, text)
    return rid


def _relative(from_part: str, to_part: str) -> str:
    import posixpath

    return posixpath.relpath(to_part, posixpath.dirname(from_part))


# ---------------------------------------------------------------------------------------
# Styles: one fill per severity, one cloned cell format per (format, severity)


class _Styles:
    def __init__(self, pkg: _Package):
        self.pkg = pkg
        self.text = pkg.text("xl/styles.xml")
        self.fill_ids: dict[str, int] = {}
        self.clones: dict[tuple[int, str], int] = {}
        block = re.search(r"<cellXfs\b[^>]*>(.*?)</cellXfs>", self.text, re.S)
        self.xfs = re.findall(r"<xf\b[^>]*/>|<xf\b[^>]*>.*?</xf>", block.group(1), re.S) \
            if block else []
        self.new_xfs: list[str] = []
        self.new_fills: list[str] = []
        fills = re.search(r"<fills\b[^>]*>(.*?)</fills>", self.text, re.S)
        self.fill_count = len(re.findall(r"<fill\b", fills.group(1))) if fills else 0

    def fill(self, severity: str) -> int:
        if severity not in self.fill_ids:
            rgb = "FF" + HIGHLIGHTS[severity].lstrip("#").upper()
            self.new_fills.append(f'<fill><patternFill patternType="solid"><fgColor rgb="{rgb}"/>'
                                  '<bgColor indexed="64"/></patternFill></fill>')
            self.fill_ids[severity] = self.fill_count + len(self.new_fills) - 1
        return self.fill_ids[severity]

    def highlighted(self, style: int, severity: str) -> int:
        key = (style, severity)
        if key not in self.clones:
            base = self.xfs[style] if style < len(self.xfs) else self.xfs[0] if self.xfs \
                else '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            xf = re.sub(r'\sfillId="\d+"', "", base, count=1)
            xf = re.sub(r'\sapplyFill="\d"', "", xf, count=1)
            xf = re.sub(r"^<xf\b", f'<xf fillId="{self.fill(severity)}" applyFill="1"', xf)
            self.new_xfs.append(xf)
            self.clones[key] = len(self.xfs) + len(self.new_xfs) - 1
        return self.clones[key]

    def plain(self, wrap: bool) -> int:
        """A format of its own for the Findings sheet's text (top-aligned, maybe wrapped)."""
        key = (-1, "wrap" if wrap else "top")
        if key not in self.clones:
            wrapping = ' wrapText="1"' if wrap else ""
            self.new_xfs.append('<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" '
                                f'applyAlignment="1"><alignment vertical="top"{wrapping}/></xf>')
            self.clones[key] = len(self.xfs) + len(self.new_xfs) - 1
        return self.clones[key]

    def save(self) -> None:
        text = self.text
        if self.new_fills:
            count = self.fill_count + len(self.new_fills)
            text = re.sub(r'<fills count="\d+"', f'<fills count="{count}"', text, count=1)
            text = text.replace("</fills>", "".join(self.new_fills) + "</fills>", 1)
        if self.new_xfs:
            text = re.sub(r'<cellXfs count="\d+"',
                          f'<cellXfs count="{len(self.xfs) + len(self.new_xfs)}"', text, count=1)
            text = text.replace("</cellXfs>", "".join(self.new_xfs) + "</cellXfs>", 1)
        self.pkg.put("xl/styles.xml", text)


# ---------------------------------------------------------------------------------------
# Worksheets: highlight cells, attach comments


_ROW = re.compile(r'<row\b[^>]*\br="(\d+)"[^>]*?(?:/>|>(.*?)</row>)', re.S)
_C = re.compile(r'<c\b([^>]*?)\br="([A-Z]+)(\d+)"([^>]*?)(/>|>.*?</c>)', re.S)


def _cell_key(ref: str) -> tuple[int, int]:
    m = _CELL.match(ref)
    assert m is not None
    return int(m.group(2)), col_index(m.group(1))


def _restyle(sheet_xml: str, cells: Mapping[str, str], styles: _Styles) -> str:
    """Give each cell (``ref -> severity``) the highlighted copy of its format, adding
    empty cells and rows the sheet does not have."""
    by_row: dict[int, dict[str, str]] = {}
    for ref, severity in cells.items():
        by_row.setdefault(_cell_key(ref)[0], {})[ref] = severity

    def restyle_cell(attrs: str, severity: str) -> str:
        m = re.search(r'\ss="(\d+)"', attrs)
        style = int(m.group(1)) if m else 0
        new = styles.highlighted(style, severity)
        return re.sub(r'\ss="\d+"', f' s="{new}"', attrs) if m else f'{attrs} s="{new}"'

    def fix_row(number: int, body: str) -> str:
        wanted = dict(by_row.pop(number, {}))
        cells_out = []
        last = 0
        for m in _C.finditer(body):
            ref = f"{m.group(2)}{m.group(3)}"
            for missing in sorted((r for r in wanted if _cell_key(r) < _cell_key(ref)),
                                  key=_cell_key):
                cells_out.append(body[last:m.start()])
                last = m.start()
                style = styles.highlighted(0, wanted.pop(missing))
                cells_out.append(f'<c r="{missing}" s="{style}"/>')
            if ref in wanted:
                cells_out.append(body[last:m.start()])
                attrs = restyle_cell(m.group(1) + m.group(4), wanted.pop(ref))
                cells_out.append(f'<c r="{ref}"{attrs}{m.group(5)}')
                last = m.end()
        cells_out.append(body[last:])
        for missing in sorted(wanted, key=_cell_key):
            cells_out.append(f'<c r="{missing}" s="{styles.highlighted(0, wanted[missing])}"/>')
        return "".join(cells_out)

    def on_row(m: re.Match[str]) -> str:
        number = int(m.group(1))
        if number not in by_row:
            return m.group(0)
        start = m.group(0)
        head = re.match(r"<row\b[^>]*?(?=/?>)", start)
        assert head is not None
        return f"{head.group(0)}>{fix_row(number, m.group(2) or '')}</row>"

    out = _ROW.sub(on_row, sheet_xml)
    if by_row:  # rows the sheet has no element for, in order
        def new_row(number: int) -> str:
            return f'<row r="{number}">{fix_row(number, "")}</row>'

        for number in sorted(by_row):
            rows = [(int(m.group(1)), m.start()) for m in _ROW.finditer(out)]
            after = next((pos for r, pos in rows if r > number), None)
            if after is None:
                if "<sheetData/>" in out:
                    out = out.replace("<sheetData/>", f"<sheetData>{new_row(number)}</sheetData>")
                else:
                    out = out.replace("</sheetData>", new_row(number) + "</sheetData>", 1)
            else:
                out = out[:after] + new_row(number) + out[after:]
    return out


def _comments_xml(notes: Mapping[str, str]) -> str:
    items = "".join(f'<comment ref="{ref}" authorId="0"><text><r><t xml:space="preserve">'
                    f"{_e(text)}</t></r></text></comment>"
                    for ref, text in sorted(notes.items(), key=lambda kv: _cell_key(kv[0])))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<comments xmlns="{_MAIN}"><authors><author>aijri verify</author></authors>'
            f"<commentList>{items}</commentList></comments>")


def _vml(notes: Mapping[str, str], sheet_number: int, shown: bool) -> str:
    shapes = []
    for k, ref in enumerate(sorted(notes, key=_cell_key)):
        row, col = _cell_key(ref)
        lines = min(12, 2 + notes[ref].count("\n") + len(notes[ref]) // 45)
        shapes.append(
            f'<v:shape id="_x0000_s{sheet_number * 1024 + k + 1}" type="#_x0000_t202" '
            'style="position:absolute;margin-left:60pt;margin-top:2pt;width:260pt;'
            f'height:{15 * lines}pt;z-index:{k + 1};visibility:{"visible" if shown else "hidden"}" '
            'fillcolor=COMMENT_FILL '
            'o:insetmode="auto"><v:fill color2=COMMENT_FILL/><v:shadow on="t" color="black" '
            'obscured="t"/><v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:'
            'auto"><div style="text-align:left"></div></v:textbox><x:ClientData '
            f'ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>{col}, 15, '
            f"{max(row - 2, 0)}, 2, {col + 4}, 15, {row - 1 + lines}, 2</x:Anchor>"
            f"<x:AutoFill>False</x:AutoFill>{'<x:Visible/>' if shown else ''}"
            f"<x:Row>{row - 1}</x:Row><x:Column>{col - 1}"
            "</x:Column></x:ClientData></v:shape>")
    return ('<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:'
            'office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">'
            f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{sheet_number}"/>'
            '</o:shapelayout><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
            'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path '
            'gradientshapeok="t" o:connecttype="rect"/></v:shapetype>' + "".join(shapes)
            + "</xml>")


def _insert_legacy(sheet_xml: str, rid: str) -> str:
    element = f'<legacyDrawing r:id="{rid}"/>'
    if 'xmlns:r="' not in sheet_xml[:2000]:
        sheet_xml = sheet_xml.replace("<worksheet ", f'<worksheet xmlns:r="{_REL}" ', 1)
    for name in _AFTER_LEGACY:
        m = re.search(rf"<{name}\b", sheet_xml)
        if m:
            return sheet_xml[:m.start()] + element + sheet_xml[m.start():]
    return sheet_xml.replace("</worksheet>", element + "</worksheet>", 1)


# ---------------------------------------------------------------------------------------
# The Findings sheet and the mark


def _findings_sheet(placed: list[Placed], source: str, top: int, wrap: int) -> str:
    def cell(ref: str, text: Any) -> str:
        style = wrap if ref[0] in "EFG" else top
        return (f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">'
                f"{_e(text)}</t></is></c>")

    def cell_plain(ref: str, text: Any) -> str:
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_e(text)}</t></is></c>'

    header = ("Severity", "Code", "Cell", "Field", "Message", "Expected", "Actual")
    titles = "".join(cell(f"{c}1", h) for c, h in zip("ABCDEFG", header, strict=True))
    rows = [f'<row r="1">{titles}</row>']
    links = []
    ordered = sorted(placed, key=lambda p: (_ORDER.get(str(p.finding.get("severity")), 3),
                                            str(p.finding.get("code"))))
    for i, p in enumerate(ordered, 2):
        f = p.finding
        where = f"{p.sheet}!{p.cell}" if p.cell else str(f.get("where") or "(the file)")
        values = (str(f.get("severity", "")).upper(), f.get("code"), where, f.get("field"),
                  f.get("message"), f.get("expected"), f.get("actual"))
        rows.append(f'<row r="{i}">' + "".join(
            cell(f"{c}{i}", "" if v is None else v) for c, v in zip("ABCDEFG", values,
                                                                    strict=True)) + "</row>")
        if p.cell:
            links.append(f'<hyperlink ref="C{i}" location="{_e(_quote_sheet(p.sheet or ""))}!'
                         f'{p.cell}" display="{_e(where)}"/>')
    note_row = len(ordered) + 3
    rows.append(f'<row r="{note_row}">' + cell_plain(
        f"A{note_row}", f"Annotated copy of {source} by 'aijri verify --annotate': a review "
        "aid, not a submission (it never verifies PASS).") + "</row>")
    cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                   for i, w in enumerate((10, 11, 18, 30, 90, 16, 16), 1))
    hyperlinks = f"<hyperlinks>{''.join(links)}</hyperlinks>" if links else ""
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><sheetPr><pageSetUpPr '
            'fitToPage="1"/></sheetPr><sheetViews><sheetView '
            'workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
            f'state="frozen"/></sheetView></sheetViews><cols>{cols}</cols><sheetData>'
            f'{"".join(rows)}</sheetData>{hyperlinks}<pageMargins left="0.5" right="0.5" '
            'top="0.6" bottom="0.6" header="0.3" footer="0.3"/><pageSetup paperSize="9" '
            'orientation="landscape" fitToWidth="1" fitToHeight="0"/></worksheet>')


def _mark(pkg: _Package, source: str) -> None:
    value = f"annotated copy of {source}; a review aid, not a submission"
    if "docProps/custom.xml" in pkg.parts:
        text = pkg.text("docProps/custom.xml")
        pids = [int(p) for p in re.findall(r'pid="(\d+)"', text)]
        prop = (f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" '
                f'pid="{max(pids, default=1) + 1}" name="{ANNOTATED_PROPERTY}"><vt:lpwstr>'
                f"{_e(value)}</vt:lpwstr></property>")
        if "<Properties" in text and text.rstrip().endswith("</Properties>"):
            pkg.put("docProps/custom.xml", text.replace("</Properties>", prop + "</Properties>"))
            return
        if re.search(r"<Properties\b[^>]*/>", text):
            pkg.put("docProps/custom.xml", re.sub(r"<Properties\b([^>]*)/>",
                                                  rf"<Properties\1>{prop}</Properties>", text))
            return
    pkg.put("docProps/custom.xml", (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-'
        'properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
        'docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" '
        f'name="{ANNOTATED_PROPERTY}"><vt:lpwstr>{_e(value)}</vt:lpwstr></property>'
        "</Properties>"))
    pkg.content_type("docProps/custom.xml", _CT_CUSTOM)
    rels = pkg.text("_rels/.rels")
    if "docProps/custom.xml" not in rels:
        _add_rel(pkg, "", "http://schemas.openxmlformats.org/officeDocument/2006/"
                 "relationships/custom-properties", "docProps/custom.xml")


def annotated_bytes(raw: bytes, findings: Iterable[Mapping[str, Any]], source: str, *,
                    show_comments: bool = False) -> bytes:
    """The annotated copy of the workbook ``raw`` (module docstring). ``findings`` are
    the verifier's, as dictionaries (``Finding.to_dict()``). Comments show when the
    pointer is on their cell; ``show_comments`` shows them all the time (for printing)."""
    data = read_xlsx(raw)
    pkg = _Package(raw)
    book = pkg.text("xl/workbook.xml")
    rels_text = pkg.text("xl/_rels/workbook.xml.rels")
    targets = dict(re.findall(r'<Relationship\b[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"',
                              rels_text))
    targets.update({rid: t for t, rid in re.findall(
        r'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels_text)})
    sheet_parts: dict[str, str] = {}
    for attrs in re.findall(r"<sheet\b([^>]*)/>", book):
        found = re.search(r'\bname="([^"]*)"', attrs)
        ref = re.search(r'\br:id="([^"]*)"', attrs)
        if found and ref and ref.group(1) in targets:
            target = targets[ref.group(1)]
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            sheet_parts[html.unescape(found.group(1))] = part
    placed = place(findings, data.names, sheet_parts)
    styles = _Styles(pkg)
    by_sheet: dict[str, dict[str, list[Mapping[str, Any]]]] = {}
    for p in placed:
        if p.sheet and p.cell:
            by_sheet.setdefault(p.sheet, {}).setdefault(p.cell, []).append(p.finding)
    for number, (sheet, cells) in enumerate(sorted(by_sheet.items()), 1):
        part = sheet_parts[sheet]
        xml = pkg.text(part)
        if "<worksheet " not in xml and "<worksheet>" not in xml:
            continue  # a prefixed main namespace: listed on the Findings sheet only
        worst = {ref: min((str(f.get("severity")) for f in fs), key=lambda s: _ORDER.get(s, 3))
                 for ref, fs in cells.items()}
        xml = _restyle(xml, worst, styles)
        if "<legacyDrawing" not in xml:
            notes = {ref: "\n".join(f"{str(f.get('severity', '')).upper()} {f.get('code')}: "
                                    f"{f.get('message')}" for f in fs)
                     for ref, fs in cells.items()}
            comments = pkg.free("xl/comments{}.xml")
            vml = pkg.free("xl/drawings/vmlDrawingAijri{}.vml")
            pkg.put(comments, _comments_xml(notes))
            pkg.put(vml, _vml(notes, number, show_comments))
            pkg.content_type(comments, _CT_COMMENTS)
            pkg.default_type("vml", _CT_VML)
            _add_rel(pkg, part, f"{_REL}/comments", _relative(part, comments))
            rid = _add_rel(pkg, part, f"{_REL}/vmlDrawing", _relative(part, vml))
            xml = _insert_legacy(xml, rid)
        pkg.put(part, xml)
    top, wrap = styles.plain(False), styles.plain(True)
    styles.save()
    name = FINDINGS_SHEET
    while name in sheet_parts:
        name = f"{name} (aijri)"
    sheet_part = pkg.free("xl/worksheets/sheet{}.xml")
    pkg.put(sheet_part, _findings_sheet(placed, source, top, wrap))
    pkg.content_type(sheet_part, _CT_SHEET)
    rid = _add_rel(pkg, "xl/workbook.xml", f"{_REL}/worksheet",
                   _relative("xl/workbook.xml", sheet_part))
    ids = [int(i) for i in re.findall(r'<sheet\b[^>]*\bsheetId="(\d+)"', book)]
    book = pkg.text("xl/workbook.xml")
    book = book.replace("</sheets>", f'<sheet name="{_e(name)}" '
                        f'sheetId="{max(ids, default=0) + 1}" r:id="{rid}"/></sheets>', 1)
    pkg.put("xl/workbook.xml", book)
    _mark(pkg, source)
    return pkg.bytes()


def annotate_reports(reports: Iterable[Any], folder: Path, write: Callable[[Path, bytes], None],
                     say: Callable[[str], None]) -> bool:
    """Write to ``folder`` (created if needed) an annotated copy of every workbook among
    the audit's ``reports`` that has warnings or errors (an annotated copy is not annotated
    again); never over a file that was verified. ``write(path, data)`` writes a file;
    ``say`` is told each copy written and each problem. False when a copy failed."""
    notes = _annotate_all(list(reports), folder, write)
    for _, message in notes:
        say(message)
    return all(ok for ok, _ in notes)


def _annotate_all(reports: list[Any], folder: Path, write: Callable[[Path, bytes], None]
                  ) -> list[tuple[bool, str]]:
    from aijri_xl.sources import WORKBOOK_SUFFIXES
    from aijri_xl.workbook.xlsx import XlsxError

    todo = [r for r in reports if r.kind == "workbook"
            and Path(r.file).suffix.lower() in WORKBOOK_SUFFIXES
            and any(f["severity"] in ("error", "warning") for f in r.findings)
            and not any(f["code"] == "AIJ-X310" for f in r.findings)]
    # copies are annotated in the .xlsx package; an .ods's findings stay in the report
    notes = [(True, f"{r.file}: an .ods is not annotated (annotated copies are made of "
              ".xlsx/.xlsm workbooks); its findings are in the verification output")
             for r in todo if Path(r.file).suffix.lower() == ".ods"]
    todo = [r for r in todo if Path(r.file).suffix.lower() != ".ods"]
    if not todo:
        return notes or [(True, "no workbook has warnings or errors: nothing to annotate")]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return [(False, f"aijri: error: cannot create {folder}: {exc.strerror or exc}")]
    inputs = {Path(r.file).resolve() for r in reports}
    taken: set[str] = set()
    out = notes
    for r in todo:
        source = Path(r.file)
        target = folder / annotated_name(source, taken)
        if target.resolve() in inputs:
            out.append((False, f"{target}: is one of the files verified; not overwritten"))
            continue
        try:
            data = annotated_bytes(source.read_bytes(), r.findings, source.name)
        except (OSError, XlsxError, KeyError, ValueError) as exc:
            out.append((False, f"{source}: cannot be annotated ({type(exc).__name__}: {exc})"))
            continue
        write(target, data)
        count = len(r.findings)
        out.append((True, f"wrote {target} ({count} finding{'s' if count != 1 else ''})"))
    return out


def annotated_name(path: Path, taken: set[str]) -> str:
    """``<stem>-annotated<suffix>``, numbered when two inputs share a name."""
    base = f"{path.stem}-annotated{path.suffix.lower()}"
    name, n = base, 2
    while name in taken:
        name = f"{path.stem}-annotated-{n}{path.suffix.lower()}"
        n += 1
    taken.add(name)
    return name
