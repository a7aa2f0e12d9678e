"""Crafted cases of what is displayed beyond number formats (tests/crafted.py has the
rest): conditional formats against the template's, rule by rule, and columns narrowed
until a number shows ``####``; with the genuine variants that must pass (rules reordered,
renumbered, respelled, split and merged as a save may; columns widened or narrowed while
the numbers still fit).

``CASES`` has the same shape as :data:`crafted.CASES`.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

from crafted import SCORE_AT, ZONE_AT, Case, _case, edit, entries, sub
from tamper import sheet_part

from aijri_xl.workbook.layout import layout

ZONE = layout().by_name["zone"].ref  # Score!B17: the zone, coloured by three cellIs rules
FINAL = layout().by_name["final_score"].ref  # Score!B16


def _read(good: bytes, part: str) -> str:
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        return zf.read(part).decode()


def _sheet(good: bytes, sheet: str, change: Callable[[str], str]) -> bytes:
    return edit(good, {sheet_part(sheet): lambda b: change(b.decode()).encode()})


def _block(xml: str, sqref: str) -> str:
    m = re.search(rf'<conditionalFormatting sqref="{sqref}">.*?</conditionalFormatting>',
                  xml, re.S)
    assert m, sqref
    return m.group(0)


# --- conditional formats: rule by rule ------------------------------------------------------

def added_fill(good: bytes) -> bytes:
    """A rule that paints the score green whatever the zone (colours only: the effect
    checks see nothing wrong)."""
    dxf = _read(good, "xl/styles.xml").count("<dxf>")
    with_dxf = edit(good, sub("xl/styles.xml", "</dxfs>", '<dxf><font><color rgb="FF006100"/>'
                              '</font><fill><patternFill><bgColor rgb="FFC6EFCE"/>'
                              "</patternFill></fill></dxf></dxfs>"))
    return edit(with_dxf, sub(sheet_part("Summary"), "</sheetData>",
                              f'</sheetData><conditionalFormatting sqref="{SCORE_AT}"><cfRule '
                              f'type="expression" dxfId="{dxf}" priority="99"><formula>TRUE'
                              "</formula></cfRule></conditionalFormatting>"))


def removed_red(good: bytes) -> bytes:
    """The zone cell loses its red: a RED zone would look like no zone at all."""
    return _sheet(good, "Score", lambda x: re.sub(
        r'<cfRule type="cellIs"[^>]*><formula>"RED"</formula></cfRule>', "", x, count=1))


def green_shown_red(good: bytes) -> bytes:
    """GREEN keeps its rule but shows the format of RED."""
    def change(x: str) -> str:
        block = _block(x, ZONE)
        green = re.search(r'<cfRule type="cellIs" dxfId="(\d+)"[^>]*><formula>"GREEN"', block)
        red = re.search(r'<cfRule type="cellIs" dxfId="(\d+)"[^>]*><formula>"RED"', block)
        assert green and red
        new = block.replace(green.group(0), green.group(0).replace(
            f'dxfId="{green.group(1)}"', f'dxfId="{red.group(1)}"'))
        return x.replace(block, new)
    return _sheet(good, "Score", change)


def zone_condition_inverted(good: bytes) -> bytes:
    """The Summary's zone cell is green whenever the zone is not GREEN."""
    def change(x: str) -> str:
        block = _block(x, ZONE_AT)
        return x.replace(block, block.replace('zone="GREEN"', 'zone&lt;&gt;"GREEN"'))
    return _sheet(good, "Summary", change)


def check_rule_one_row_off(good: bytes) -> bytes:
    """The Check column's warning looks at the row below."""
    def change(x: str) -> str:
        block = _block(x, "D5:D15")
        return x.replace(block, block.replace("ISTEXT(D5),D5", "ISTEXT(D6),D6"))
    return _sheet(good, "Protective", change)


def stops_later_rules(good: bytes) -> bytes:
    return _sheet(good, "Score", lambda x: x.replace(
        '<cfRule type="cellIs" dxfId=', '<cfRule type="cellIs" stopIfTrue="1" dxfId=', 1))


def reordered(good: bytes) -> bytes:
    """Every sheet's blocks and rules in reverse order, priorities renumbered, and the
    differential formats in reverse order with their ids remapped (what a save may do)."""
    styles = _read(good, "xl/styles.xml")
    dxfs = re.search(r"<dxfs[^>]*>(.*?)</dxfs>", styles, re.S)
    assert dxfs
    items = re.findall(r"<dxf>.*?</dxf>", dxfs.group(1), re.S)
    n = len(items)
    changes: dict[str, Callable[[bytes], bytes | None]] = {
        "xl/styles.xml": lambda b: b.decode().replace(
            dxfs.group(1), "".join(reversed(items))).encode()}

    def sheet(body: bytes) -> bytes:
        x = body.decode()
        blocks = re.findall(r"<conditionalFormatting .*?</conditionalFormatting>", x, re.S)
        if not blocks:
            return body
        priority = iter(range(1, 1000))
        rebuilt = []
        for block in reversed(blocks):
            head = block[:block.index(">") + 1]
            rules = re.findall(r"<cfRule .*?</cfRule>", block, re.S)
            rules = [re.sub(r'priority="\d+"', lambda _: f'priority="{next(priority)}"',
                            re.sub(r'dxfId="(\d+)"',
                                   lambda m: f'dxfId="{n - 1 - int(m.group(1))}"', r))
                     for r in reversed(rules)]
            rebuilt.append(head + "".join(rules) + "</conditionalFormatting>")
        start = x.index(blocks[0])
        end = x.index(blocks[-1]) + len(blocks[-1])
        return (x[:start] + "".join(rebuilt) + x[end:]).encode()
    for info, _ in entries(good):
        if info.filename.startswith("xl/worksheets/sheet"):
            changes[info.filename] = sheet
    return edit(good, changes)


def respelled_split_merged(good: bytes) -> bytes:
    """Formulas spelt another way ($, case, spaces, the sheet's own name, _xlfn.), one
    range split in two with the second re-anchored, two ranges merged into one."""
    def checks(x: str) -> str:
        block = _block(x, "D5:D15")
        first = block.replace('sqref="D5:D15"', 'sqref="D5:D9"').replace(
            "AND(ISTEXT(D5),D5", "and( IsText( Protective!$D5 ), $D5").replace(
            "AND(ISNUMBER(D5),D5=0)", "_xlfn.AND(ISNUMBER(D5),D5=0.0)")
        second = block.replace('sqref="D5:D15"', 'sqref="D10:D15"').replace(
            "D5", "D10").replace('priority="', 'priority="7')
        return x.replace(block, first + second)

    def summary(x: str) -> str:
        score, zone = _block(x, SCORE_AT), _block(x, ZONE_AT)
        merged = score.replace(f'sqref="{SCORE_AT}"', f'sqref="{SCORE_AT} {ZONE_AT}"')
        return x.replace(score, merged).replace(zone, "")
    return edit(edit(good, {sheet_part("Protective"): lambda b: checks(b.decode()).encode()}),
                {sheet_part("Summary"): lambda b: summary(b.decode()).encode()})


# --- column widths ---------------------------------------------------------------------------

def set_width(sheet: str, column: int, width: str | None) -> Callable[[bytes], bytes]:
    """Column ``column`` (1-based) of ``sheet`` at ``width`` (``None``: its ``<col>``
    removed)."""
    def change(x: str) -> str:
        pattern = rf'<col min="{column}" max="{column}"[^>]*/>'
        assert re.search(pattern, x), (sheet, column)
        if width is None:
            return re.sub(pattern, "", x, count=1)
        return re.sub(pattern, lambda m: re.sub(r'width="[^"]*"', f'width="{width}"',
                                                m.group(0)), x, count=1)
    return lambda good: _sheet(good, sheet, change)


def default_width(good: bytes) -> bytes:
    """Column B of Score loses its width and the sheet's default is 2.5 characters."""
    without = set_width("Score", 2, None)(good)
    return _sheet(without, "Score", lambda x: x.replace(
        '<sheetFormatPr defaultRowHeight="15"/>',
        '<sheetFormatPr defaultColWidth="2.5" defaultRowHeight="15"/>'))


def general_in_narrow_column(good: bytes) -> bytes:
    """The final score under General in a column too narrow for '52.8': Excel drops the
    decimal and shows 53."""
    from crafted import restyle
    return set_width("Score", 2, "3")(restyle(good, "Score", FINAL, fmt="General"))


def widened(good: bytes) -> bytes:
    def wider(body: bytes) -> bytes:
        return re.sub(rb'width="([0-9.]+)"',
                      lambda m: b'width="%g"' % (float(m.group(1)) * 2), body)
    return edit(good, {info.filename: wider for info, _ in entries(good)
                       if info.filename.startswith("xl/worksheets/sheet")})


def merged_over_score(good: bytes) -> bytes:
    """A merged range A16:B16 on Score: only its label shows, the final score is gone."""
    return _sheet(good, "Score", lambda x: re.sub(
        r"<mergeCells count=\"(\d+)\">",
        lambda m: f'<mergeCells count="{int(m.group(1)) + 1}"><mergeCell ref="A16:B16"/>', x,
        count=1))


CASES: dict[str, Case] = {
    # conditional formats, rule by rule
    "conditional-added-fill": _case("conditional", added_fill, "FAIL", "AIJ-X328",
                                    f"Summary!{SCORE_AT}"),
    "conditional-removed": _case("conditional", removed_red, "FAIL", "AIJ-X328",
                                 f"Score!{ZONE}"),
    "conditional-changed-format": _case("conditional", green_shown_red, "FAIL", "AIJ-X328",
                                        f"Score!{ZONE}"),
    "conditional-changed-condition": _case("conditional", zone_condition_inverted, "FAIL",
                                           "AIJ-X328", f"Summary!{ZONE_AT}"),
    "conditional-one-row-off": _case("conditional", check_rule_one_row_off, "FAIL",
                                     "AIJ-X328", "Protective!D5"),
    "conditional-stops-later-rules": _case("conditional", stops_later_rules, "FAIL",
                                           "AIJ-X328", f"Score!{ZONE}"),
    "conditional-reordered": _case("conditional", reordered, "PASS"),
    "conditional-respelled-split-merged": _case("conditional", respelled_split_merged, "PASS"),
    # column widths
    "narrowed-score-column": _case("width", set_width("Summary", 2, "1.2"), "FAIL",
                                   "AIJ-X329", f"Summary!{SCORE_AT}"),
    "narrowed-final-score": _case("width", set_width("Score", 2, "3"), "FAIL", "AIJ-X329",
                                  f"Score!{FINAL}"),
    "narrowed-by-default-width": _case("width", default_width, "FAIL", "AIJ-X329",
                                       f"Score!{FINAL}"),
    "general-in-narrow-column": _case("width", general_in_narrow_column, "FAIL", "AIJ-X329",
                                      f"Score!{FINAL}"),
    "merged-over-score": _case("width", merged_over_score, "FAIL", "AIJ-X323",
                               f"Score!{FINAL}"),
    "widened-columns": _case("width", widened, "PASS"),
    "narrowed-but-fits": _case("width", set_width("Score", 2, "7"), "PASS"),
}
