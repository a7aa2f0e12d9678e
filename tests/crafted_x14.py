"""Crafted cases of Excel 2010 extension conditional formats (``x14:conditionalFormatting``
in a worksheet's ``extLst``, MS-XLSX 2.6): rules that Excel shows exactly like the sheet's
own, written where a reader that skips the extension would not look. Hostile rules over
contract cells, twins of the sheet's own rules (one rule, not two), the template's rules
moved into the extension as an Excel save may write them, rules elsewhere, and malformed
extensions, each with its verdict, code and place.

``CASES`` has the same shape as :data:`crafted.CASES`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from crafted import SCORE_AT, Case, _case, edit, sub
from crafted_display import FINAL, ZONE, _block, _read
from tamper import sheet_part

X14_NS = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
XM_NS = "http://schemas.microsoft.com/office/excel/2006/main"
CF_URI = "{78C0D931-6437-407d-A8EE-F0AAD7539E65}"  # the extension's conditional formats
ID_URI = "{B025F937-C7B1-47D3-B67F-A62EFF666E3E}"  # a rule's x14:id, naming its twin
GUID = "{DA7ABA51-AAAA-BBBB-0001-000000000001}"
WHITE = ('<font><color rgb="FFFFFFFF"/></font><fill><patternFill><bgColor rgb="FFFFFFFF"/>'
         "</patternFill></fill>")


def x14_block(sqref: str, *rules: str) -> str:
    """One ``x14:conditionalFormatting`` over ``sqref`` with ``rules`` (``x14:cfRule``)."""
    return (f'<x14:conditionalFormatting xmlns:xm="{XM_NS}">{"".join(rules)}'
            f"<xm:sqref>{sqref}</xm:sqref></x14:conditionalFormatting>")


def x14_rule(kind: str, body: str, attrs: str = "", guid: str | None = None) -> str:
    ident = f' id="{guid}"' if guid else ""
    return f'<x14:cfRule type="{kind}" priority="90"{attrs}{ident}>{body}</x14:cfRule>'


Builder = Callable[[bytes], bytes]


def with_extension(sheet: str, *blocks: str) -> Builder:
    """A builder: ``blocks`` as the sheet's Excel 2010 conditional formats (its
    ``extLst``, the last child of the worksheet, as Excel writes it)."""
    ext = (f'<extLst><ext uri="{CF_URI}" xmlns:x14="{X14_NS}"><x14:conditionalFormattings>'
           f'{"".join(blocks)}</x14:conditionalFormattings></ext></extLst>')

    def build(good: bytes) -> bytes:
        return edit(good, sub(sheet_part(sheet), "</worksheet>", ext + "</worksheet>"))
    return build


# --- hostile rules over contract cells -------------------------------------------------------

white_score = with_extension("Summary", x14_block(SCORE_AT, x14_rule(
    "expression", f"<xm:f>TRUE</xm:f><x14:dxf>{WHITE}</x14:dxf>", guid=GUID)))
"""The score painted white on white by an extension rule (the styles' dxfs unchanged)."""

other_sheet_condition = with_extension("Summary", x14_block(SCORE_AT, x14_rule(
    "expression", f"<xm:f>Score!$B$16&gt;50</xm:f><x14:dxf>{WHITE}</x14:dxf>")))
"""White on white when the final score on another sheet is above 50: a formula that refers
to another sheet, which Excel writes only in the extension."""

other_number = with_extension("Score", x14_block(FINAL, x14_rule(
    "expression", '<xm:f>TRUE</xm:f><x14:dxf><numFmt numFmtId="200" '
    'formatCode="&quot;91.0&quot;"/></x14:dxf>')))
"""The final score shown as 91.0 by an extension rule's own number format."""

icons_only = with_extension("Score", x14_block(FINAL, x14_rule(
    "iconSet", '<x14:iconSet iconSet="3Stars" showValue="0"><x14:cfvo type="percent">'
    '<xm:f>0</xm:f></x14:cfvo><x14:cfvo type="percent"><xm:f>33</xm:f></x14:cfvo>'
    '<x14:cfvo type="percent"><xm:f>67</xm:f></x14:cfvo></x14:iconSet>')))
"""The final score replaced by stars: an icon set only the extension can hold (3Stars),
values hidden."""


def _data_bar(show_value: bool) -> str:
    shown = "" if show_value else ' showValue="0"'
    return (f'<conditionalFormatting sqref="{FINAL}"><cfRule type="dataBar" priority="50">'
            f'<dataBar{shown}><cfvo type="min"/><cfvo type="max"/><color rgb="FF638EC6"/>'
            f'</dataBar><extLst><ext uri="{ID_URI}" xmlns:x14="{X14_NS}"><x14:id>{GUID}'
            "</x14:id></ext></extLst></cfRule></conditionalFormatting>")


_TWIN = x14_block(FINAL, x14_rule(
    "dataBar", '<x14:dataBar minLength="0" maxLength="100" gradient="0"><x14:cfvo '
    'type="autoMin"/><x14:cfvo type="autoMax"/><x14:negativeFillColor rgb="FFFF0000"/>'
    '<x14:axisColor rgb="FF000000"/></x14:dataBar>', guid=GUID))


def _with_rule(good: bytes, rule: str) -> bytes:
    """``rule`` (a ``conditionalFormatting``) after the Score sheet's last one, where the
    schema orders it."""
    xml = _read(good, sheet_part("Score"))
    last = xml.rindex("</conditionalFormatting>") + len("</conditionalFormatting>")
    return edit(good, {sheet_part("Score"): lambda _: (xml[:last] + rule + xml[last:]).encode()})


def bar_with_twin(show_value: bool) -> Builder:
    """A data bar over the final score as Excel 2010 writes one: the sheet's rule naming
    its twin by ``x14:id``, the twin in the extension with the newer settings."""
    def build(good: bytes) -> bytes:
        return with_extension("Score", _TWIN)(_with_rule(good, _data_bar(show_value)))
    return build


# --- genuine --------------------------------------------------------------------------------

def zone_rules_in_extension(good: bytes) -> bytes:
    """The zone's three rules moved into the extension, each with its format inline (the
    dxfs of the styles copied into ``x14:dxf``): the same rules, written where Excel 2010
    may write them."""
    styles = _read(good, "xl/styles.xml")
    table = re.search(r"<dxfs[^>]*>(.*?)</dxfs>", styles, re.S)
    assert table
    dxfs = re.findall(r"<dxf>(.*?)</dxf>", table.group(1), re.S)
    xml = _read(good, sheet_part("Score"))
    block = _block(xml, ZONE)
    rules = []
    for m in re.finditer(r'<cfRule type="cellIs" dxfId="(\d+)" priority="(\d+)" '
                         r'operator="equal"><formula>(.*?)</formula></cfRule>', block):
        rules.append(x14_rule("cellIs", f"<xm:f>{m.group(3)}</xm:f><x14:dxf>"
                              f"{dxfs[int(m.group(1))]}</x14:dxf>", ' operator="equal"'))
    assert len(rules) == 3, block
    moved = edit(good, sub(sheet_part("Score"), block, ""))
    return with_extension("Score", x14_block(ZONE, *rules))(moved)


def template_rule_with_twin(good: bytes) -> bytes:
    """A rule of the template naming a twin in the extension that adds nothing: one rule."""
    xml = _read(good, sheet_part("Score"))
    block = _block(xml, ZONE)
    first = re.search(r"<cfRule [^>]*>.*?</cfRule>", block, re.S)
    assert first
    twinned = first.group(0).replace("</cfRule>", f'<extLst><ext uri="{ID_URI}" xmlns:x14='
                                     f'"{X14_NS}"><x14:id>{GUID}</x14:id></ext></extLst>'
                                     "</cfRule>")
    formula = re.search(r"<formula>(.*?)</formula>", first.group(0))
    assert formula
    with_id = edit(good, sub(sheet_part("Score"), first.group(0), twinned))
    return with_extension("Score", x14_block(ZONE, x14_rule(
        "cellIs", f"<xm:f>{formula.group(1)}</xm:f>", ' operator="equal"', GUID)))(with_id)


elsewhere = with_extension("Score", x14_block("H40:K60", x14_rule(
    "expression", f"<xm:f>TRUE</xm:f><x14:dxf>{WHITE}</x14:dxf>")), x14_block("H40", x14_rule(
        "iconSet", '<x14:iconSet iconSet="3Stars" showValue="0"><x14:cfvo type="percent">'
        '<xm:f>0</xm:f></x14:cfvo><x14:cfvo type="percent"><xm:f>50</xm:f></x14:cfvo>'
        "</x14:iconSet>")))
"""White text and icons over cells no contract cell is in."""


# --- malformed ------------------------------------------------------------------------------

_OVER_FINAL = x14_block(FINAL, x14_rule("expression",
                                        f"<xm:f>TRUE</xm:f><x14:dxf>{WHITE}</x14:dxf>"))
no_sqref = with_extension("Score", _OVER_FINAL.replace(f"<xm:sqref>{FINAL}</xm:sqref>", ""))
"""An extension's rule over no cells (MS-XLSX requires ``xm:sqref``)."""

bad_sqref = with_extension("Score", x14_block("B16 ZZZZ9", x14_rule(
    "expression", f"<xm:f>TRUE</xm:f><x14:dxf>{WHITE}</x14:dxf>")))


def twin_of_other_type(good: bytes) -> bytes:
    """The sheet's data bar names a twin that is an icon set."""
    return with_extension("Score", x14_block(FINAL, x14_rule(
        "iconSet", '<x14:iconSet iconSet="3Stars"/>', guid=GUID)))(_with_rule(good,
                                                                        _data_bar(True)))


two_formats = with_extension("Score", x14_block(FINAL, x14_rule(
    "expression", f"<xm:f>TRUE</xm:f><x14:dxf>{WHITE}</x14:dxf>", ' dxfId="0"')))

malformed_font = with_extension("Score", x14_block(FINAL, x14_rule(
    "expression", '<xm:f>TRUE</xm:f><x14:dxf><font><sz val="tiny"/></font></x14:dxf>')))


def _sheet_rule(sqref_attr: str) -> Builder:
    """A rule of the sheet's own (not the extension's) over cells no program reads alike."""
    block = (f'<conditionalFormatting{sqref_attr}><cfRule type="expression" dxfId="0" '
             'priority="99"><formula>TRUE</formula></cfRule></conditionalFormatting>')

    def build(good: bytes) -> bytes:
        return edit(good, sub(sheet_part("Score"), "<conditionalFormatting ",
                              block + "<conditionalFormatting ", 1))
    return build


CASES: dict[str, Case] = {
    "x14-white-on-white": _case("x14", white_score, "FAIL", "AIJ-X325 AIJ-X328",
                                f"Summary!{SCORE_AT}"),
    "x14-other-sheet-condition": _case("x14", other_sheet_condition, "FAIL",
                                       "AIJ-X325 AIJ-X328", f"Summary!{SCORE_AT}"),
    "x14-number-format": _case("x14", other_number, "FAIL", "AIJ-X325 AIJ-X328",
                               f"Score!{FINAL}"),
    "x14-icons-replace-value": _case("x14", icons_only, "FAIL", "AIJ-X325 AIJ-X328",
                                     f"Score!{FINAL}"),
    "x14-bar-only-with-twin": _case("x14", bar_with_twin(False), "FAIL",
                                    "AIJ-X325 AIJ-X328", f"Score!{FINAL}"),
    "x14-bar-with-twin": _case("x14", bar_with_twin(True), "FAIL", "AIJ-X328",
                               f"Score!{FINAL}"),
    "x14-template-rules-moved": _case("x14", zone_rules_in_extension, "PASS"),
    "x14-twin-of-template-rule": _case("x14", template_rule_with_twin, "PASS"),
    "x14-elsewhere": _case("x14", elsewhere, "PASS"),
    "x14-no-sqref": _case("x14", no_sqref, "FAIL", "AIJ-F215", "Score"),
    "x14-bad-sqref": _case("x14", bad_sqref, "FAIL", "AIJ-F215", "Score"),
    "x14-twin-of-other-type": _case("x14", twin_of_other_type, "FAIL", "AIJ-F215", "Score"),
    "x14-two-formats": _case("x14", two_formats, "FAIL", "AIJ-F215", "Score"),
    "x14-malformed-font": _case("x14", malformed_font, "FAIL", "AIJ-F215", "Score"),
    "cf-no-sqref": _case("x14", _sheet_rule(""), "FAIL", "AIJ-F215", "Score"),
    "cf-bad-sqref": _case("x14", _sheet_rule(' sqref="B16 ZZZZ9"'), "FAIL", "AIJ-F215",
                          "Score"),
}
