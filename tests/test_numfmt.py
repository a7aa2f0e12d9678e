"""The number-format renderer against what Excel shows (texts from Excel's documentation
and from LibreOffice, which the display test of tests/test_crafted.py also checks)."""

from __future__ import annotations

import pytest

from aijri_xl.workbook.numfmt import Unrenderable, render

SHOWN = [
    ("0.0", 52.8, "52.8"), ("0.0", 52.85, "52.9"), ("0.0", -52.85, "-52.9"),
    ("0.00", 4.725, "4.73"), ("0.0000", 4.725, "4.7250"), ("0", 2.5, "3"),
    ("0.0%", 0.3, "30.0%"), ("0%", 0.005, "1%"), ("#,##0.00", 1234567.891, "1,234,567.89"),
    ("#,##0,", 1234567.0, "1,235"), ("0.0,", 52800.0, "52.8"), ("#.00", 0.5, ".50"),
    ("0.00E+00", 12345.0, "1.23E+04"), ("0.0;-0.0;0.0;@", -3.25, "-3.3"),
    ("0.0_);(0.0)", -2.0, "(2.0)"), ('"91.0"', 52.8, "91.0"), ('[>=50]"91.0";0.0', 52.8, "91.0"),
    ('[>=50]"91.0";0.0', 40.0, "40.0"), (';;;"GREEN"', "RED", "GREEN"), (";;;", 52.8, ""),
    ("@", "GREEN", "GREEN"), ("0;0;0", "text", "text"), ('0.0" pts"', 1.0, "1.0 pts"),
    ("[$€-407] #,##0.00", 3.5, "€ 3.50"), ("yyyy-mm-dd", 46000.0, "2025-12-09"),
    ("YYYY\\-MM\\-DD", 46000.0, "2025-12-09"), ("hh:mm", 0.5, "12:00"),
    ("h:mm AM/PM", 0.75, "6:00 PM"), ("General", 52.8, "52.8"), ("General", 1 / 3, "0.333333333"),
    ("General", 3.0, "3"), ("General", True, "TRUE"), ("0.0", False, "FALSE"),
    ("00-00", 1234.0, "12-34"), ("?0.0", 5.0, " 5.0"),
]


@pytest.mark.parametrize(("fmt", "value", "text"), SHOWN)
def test_what_a_format_shows(fmt, value, text):
    assert render(fmt, value)[0] == text


def test_colours_come_with_the_section():
    assert render("[Red]0.0;[Blue]-0.0", 5.0) == ("5.0", "FFFF0000")
    assert render("[Red]0.0;[Blue]-0.0", -5.0) == ("-5.0", "FF0000FF")


@pytest.mark.parametrize(("fmt", "why"), [
    ("# ?/?", "fraction"), ("* 0", "fill the column"), ("[h]:mm", "elapsed"),
    ("mmm", "month"), ("dddd", "day of the week"), ('"open', "unclosed"),
    ("0.0 x", "'x'"), ("[Color99]0;[Magenta]0;[Cyan]0;[Red]0;0", "more than four"),
])
def test_what_cannot_be_rendered_says_why(fmt, why):
    with pytest.raises(Unrenderable) as caught:
        render(fmt, 12.0)
    assert why in str(caught.value)


def test_a_locale_dependent_builtin_cannot_be_rendered():
    with pytest.raises(Unrenderable, match="locale"):
        render(None, 46000.0)
