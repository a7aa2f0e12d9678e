"""What Excel shows for a value under a number format: a renderer for the formats that matter.

``render(code, value)`` gives the text a person sees and the section's colour, or raises
:class:`Unrenderable` with the precise reason when the format uses something whose text the
verifier cannot know exactly (a fill character that depends on the column width, fractions,
elapsed times, names of months or days in the reader's language, ...). The verifier treats
that as a failure: a display it cannot confirm is not a display it can pass.

Covered: up to four sections (positive; negative; zero; text), conditions (``[>=50]``),
colours (``[Red]``, ``[Color12]``), quoted and escaped literals and Excel's bare literal
characters, ``_x`` spacing, ``@``, the digit placeholders ``0``, ``#`` and ``?``, the decimal
point, thousands separators and scaling commas, ``%``, scientific ``E+``/``E-``, ``General``,
locale and currency tags (``[$€-407]``), and the date and time codes ``y``, ``m``, ``d``,
``h``, ``s`` and ``AM/PM`` in their numeric forms. Booleans and errors ignore the format,
as in Excel. Rounding is Excel's: half away from zero on the decimal value.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from aijri_xl.workbook.text import ascii_digits

COLOURS = {"BLACK": "FF000000", "WHITE": "FFFFFFFF", "RED": "FFFF0000", "GREEN": "FF00FF00",
           "BLUE": "FF0000FF", "YELLOW": "FFFFFF00", "MAGENTA": "FFFF00FF", "CYAN": "FF00FFFF"}
_LITERAL_CHARS = set("$-+/():!^&'~{}<>= ")
_CONDITION = re.compile(r"^(<=|>=|<>|<|>|=)\s*(-?[0-9.]+(?:[eE][+-]?[0-9]+)?)$")


class Unrenderable(ValueError):
    """The format's text cannot be known exactly; the message says why."""


class _Section:
    __slots__ = ("colour", "condition", "has_text", "kind", "tokens")

    def __init__(self) -> None:
        self.tokens: list[tuple[str, str]] = []  # (kind, text)
        self.colour: str | None = None
        self.condition: tuple[str, float] | None = None
        self.kind = "literal"  # literal, number, date, general, text
        self.has_text = False


@lru_cache(maxsize=512)
def has_colour(code: str | None) -> bool:
    """Whether any section of the format gives its text a colour."""
    if code is None:
        return False
    try:
        return any(s.colour for s in compile_format(code))
    except Unrenderable:
        return False


def _split(code: str) -> list[str]:
    parts, cur, i, quoted = [], [], 0, False
    while i < len(code):
        ch = code[i]
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch == "\\" and i + 1 < len(code):
            cur.append(code[i:i + 2])
            i += 2
            continue
        elif not quoted and ch == ";":
            parts.append("".join(cur))
            cur = []
            i += 1
            continue
        cur.append(ch)
        i += 1
    if quoted:
        raise Unrenderable(f"the format {code!r} has an unclosed quote")
    parts.append("".join(cur))
    return parts


@lru_cache(maxsize=512)
def compile_format(code: str) -> tuple[_Section, ...]:
    """The sections of a format code; :class:`Unrenderable` for what cannot be rendered."""
    if code.strip().lower() == "general" or code == "":
        sec = _Section()
        sec.kind = "general"
        sec.tokens = [("general", "")]
        return (sec,)
    texts = _split(code)
    if len(texts) > 4:
        raise Unrenderable(f"the format {code!r} has more than four sections")
    return tuple(_section(t, code) for t in texts)


def _section(text: str, code: str) -> _Section:
    sec = _Section()
    i = 0
    lower = text.lower()
    has_time = False
    while i < len(text):
        ch = text[i]
        if ch == '"':
            end = text.index('"', i + 1)
            sec.tokens.append(("lit", text[i + 1:end]))
            i = end + 1
        elif ch == "\\" and i + 1 < len(text):
            sec.tokens.append(("lit", text[i + 1]))
            i += 2
        elif ch == "_" and i + 1 < len(text):
            sec.tokens.append(("lit", " "))
            i += 2
        elif ch == "*":
            raise Unrenderable(f"the format {code!r} repeats a character to fill the column "
                               "(what it shows depends on the column's width)")
        elif ch == "[":
            end = text.find("]", i)
            if end < 0:
                raise Unrenderable(f"the format {code!r} has an unclosed '['")
            _bracket(sec, text[i + 1:end], code)
            i = end + 1
        elif lower.startswith("general", i):
            sec.tokens.append(("general", ""))
            sec.kind = "general"
            i += 7
        elif ch == "@":
            sec.tokens.append(("text", ""))
            sec.has_text = True
            i += 1
        elif ch in "0#?":
            sec.tokens.append(("digit", ch))
            sec.kind = "number" if sec.kind == "literal" else sec.kind
            i += 1
        elif ch in ".,%":
            sec.tokens.append((ch, ch))
            i += 1
        elif ch in "eE" and i + 1 < len(text) and text[i + 1] in "+-":
            sec.tokens.append(("exp", text[i + 1]))
            i += 2
        elif lower.startswith(("am/pm", "a/p"), i):
            n = 5 if lower.startswith("am/pm", i) else 3
            sec.tokens.append(("ampm", text[i:i + n]))
            sec.kind = "date"
            i += n
        elif ch.lower() in "ymdhs":
            j = i
            while j < len(text) and text[j].lower() == ch.lower():
                j += 1
            sec.tokens.append(("date", text[i:j].lower()))
            sec.kind = "date"
            has_time = has_time or ch.lower() in "hs"
            i = j
        elif ch == "/":
            if any(k == "digit" for k, _ in sec.tokens):
                raise Unrenderable(f"the format {code!r} shows a fraction")
            sec.tokens.append(("lit", ch))
            i += 1
        elif ch in _LITERAL_CHARS:
            sec.tokens.append(("lit", ch))
            i += 1
        else:
            raise Unrenderable(f"the format {code!r} uses {ch!r}, which is not a format code "
                               "the verifier renders")
    if sec.kind == "date" and any(k in ("digit", "exp") for k, _ in sec.tokens):
        if not all(v == "0" for k, v in sec.tokens if k == "digit"):
            raise Unrenderable(f"the format {code!r} mixes dates and digit placeholders")
        raise Unrenderable(f"the format {code!r} shows fractions of a second")
    if sec.has_text and sec.kind not in ("literal",):
        raise Unrenderable(f"the format {code!r} mixes '@' with number codes in one section")
    return sec


def _bracket(sec: _Section, inner: str, code: str) -> None:
    key = inner.strip()
    upper = key.upper()
    if upper in COLOURS:
        sec.colour = COLOURS[upper]
    elif upper.startswith("COLOR") and ascii_digits(upper[5:]):
        sec.colour = f"indexed:{int(upper[5:]) + 7}"
    elif key.startswith("$"):
        symbol = key[1:].split("-", 1)[0]
        if symbol:
            sec.tokens.append(("lit", symbol))
    elif _CONDITION.match(key):
        m = _CONDITION.match(key)
        assert m is not None
        sec.condition = (m.group(1), float(m.group(2)))
    elif upper in ("H", "HH", "M", "MM", "S", "SS"):
        raise Unrenderable(f"the format {code!r} shows an elapsed time ([{key}])")
    else:
        raise Unrenderable(f"the format {code!r} uses [{key}], which the verifier does not "
                           "render")


def _holds(cond: tuple[str, float], x: float) -> bool:
    op, v = cond
    return {"<": x < v, "<=": x <= v, ">": x > v, ">=": x >= v, "=": x == v,
            "<>": x != v}[op]


def render(code: str | None, value: Any) -> tuple[str, str | None]:
    """The text ``value`` shows under format ``code`` and the colour the format gives it
    (``None``: the font's). ``code`` ``None`` is a locale-dependent built-in format."""
    if value is None:
        return "", None
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), None
    if code is None:
        raise Unrenderable("a built-in number format whose text depends on the reader's "
                           "locale (Excel's format ids 5-8, 14-17, 22, 27-36, 50-81)")
    sections = compile_format(code)
    if isinstance(value, str):
        text_sec = sections[3] if len(sections) == 4 else (
            sections[0] if len(sections) == 1 and sections[0].has_text else None)
        if text_sec is None:
            return value, None
        return "".join(value if k == "text" else (v if k == "lit" else "")
                       for k, v in text_sec.tokens), text_sec.colour
    x = float(value)
    sec, signed = _pick(sections, x)
    if sec.has_text:
        raise Unrenderable(f"the format {code!r} puts '@' where a number is shown")
    shown = x if signed else abs(x)
    if sec.kind == "general":
        return "".join(_general(shown) if k == "general" else (v if k == "lit" else "")
                       for k, v in sec.tokens), sec.colour
    if sec.kind == "date":
        return _date(sec, shown, code), sec.colour
    if sec.kind == "literal":
        text = "".join(v for k, v in sec.tokens if k == "lit")
        return ("-" + text if signed and x < 0 else text), sec.colour
    return _number(sec, shown), sec.colour


def _pick(sections: tuple[_Section, ...], x: float) -> tuple[_Section, bool]:
    """The section for number ``x`` and whether the minus sign is shown."""
    numeric = sections[:3] if len(sections) == 4 else sections
    if any(s.condition for s in numeric):
        for i, s in enumerate(numeric[:2]):
            cond = s.condition or ((">", 0.0) if i == 0 else ("<", 0.0))
            if _holds(cond, x):
                return s, not (i == 1 and s.condition is None)
        if len(numeric) >= 3:
            return numeric[2], True
        return numeric[-1], True
    if len(numeric) == 1:
        return numeric[0], True
    if x > 0 or (x == 0 and len(numeric) == 2):
        return numeric[0], True
    if x < 0:
        return numeric[1], False
    return numeric[2], True


def _round(x: float, places: int) -> Decimal:
    return Decimal(repr(x)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _general(x: float) -> str:
    """Excel's General in a column of standard width: at most 11 characters."""
    if x == 0:
        return "0"
    if x.is_integer() and abs(x) < 1e11:
        return str(int(x))
    mag = math.floor(math.log10(abs(x)))
    if mag >= 11 or mag < -9:
        mant = f"{x:.5E}"
        base, exp = mant.split("E")
        base = base.rstrip("0").rstrip(".")
        return f"{base}E{exp[0]}{int(exp[1:]):02d}"
    width = 11 - (1 if x < 0 else 0)
    int_digits = max(mag + 1, 1)
    places = max(0, width - int_digits - 1)
    text = f"{_round(x, places):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _number(sec: _Section, x: float) -> str:
    toks = sec.tokens
    percent = sum(1 for k, _ in toks if k == "%")
    exp_at = next((i for i, (k, _) in enumerate(toks) if k == "exp"), None)
    body = toks if exp_at is None else toks[:exp_at]
    dot = next((i for i, (k, _) in enumerate(body) if k == "."), None)
    int_part = body if dot is None else body[:dot]
    frac_part = [] if dot is None else body[dot + 1:]
    digit_idx = [i for i, (k, _) in enumerate(int_part) if k == "digit"]
    # commas right after the last digit placeholder scale by 1,000 each; others group
    scale = 0
    last_digit = max((i for i, (k, _) in enumerate(body) if k == "digit"), default=None)
    if last_digit is not None:
        j = last_digit + 1
        while j < len(body) and body[j][0] == ",":
            scale += 1
            j += 1
        if scale:
            body = body[:last_digit + 1] + body[j:]
            int_part = body if dot is None else body[:dot]
            frac_part = [] if dot is None else body[dot + 1:]
            digit_idx = [i for i, (k, _) in enumerate(int_part) if k == "digit"]
    grouping = any(k == "," for k, _ in int_part[digit_idx[0]:digit_idx[-1]]) \
        if digit_idx else False
    frac_places = sum(1 for k, _ in frac_part if k == "digit")
    value = x * (100 ** percent) / (1000 ** scale)
    exponent = 0
    if exp_at is not None:
        n_int = max(len(digit_idx), 1)
        if any(v == "#" for k, v in int_part if k == "digit") and n_int > 1:
            raise Unrenderable("an engineering notation format (##0.0E+0)")
        if value != 0:
            exponent = math.floor(math.log10(abs(value))) - (n_int - 1)
            value = value / (10 ** exponent)
            if abs(float(_round(value, frac_places))) >= 10 ** n_int:
                exponent += 1
                value /= 10
    rounded = _round(value, frac_places)
    negative = rounded < 0
    text = f"{abs(rounded):f}"
    int_digits, _, frac_digits = text.partition(".")
    if int_digits == "0":
        int_digits = ""
    out = _place_int(int_part, digit_idx, int_digits, grouping)
    if dot is not None:
        out += "."
        out += _place_frac(frac_part, frac_digits.ljust(frac_places, "0"))
    if exp_at is not None:
        sign = "-" if exponent < 0 else ("+" if toks[exp_at][1] == "+" else "")
        exp_digits = sum(1 for k, _ in toks[exp_at + 1:] if k == "digit")
        out += "E" + sign + str(abs(exponent)).rjust(max(exp_digits, 1), "0")
        out += "".join(v for k, v in toks[exp_at + 1:] if k == "lit")
    return ("-" if negative else "") + out


def _place_int(part: list[tuple[str, str]], digit_idx: list[int], digits: str,
               grouping: bool) -> str:
    if not digit_idx:
        return "".join(v for k, v in part if k in ("lit", "%"))
    slots = [part[i][1] for i in digit_idx]
    need = max(len(digits), len(slots))
    padded = digits.rjust(need, "\0")
    # the leftmost placeholder takes every excess digit
    extra = need - len(slots)
    assigned: list[str] = [padded[:extra + 1], *list(padded[extra + 1:])]
    shown_digits = []
    for slot, d in zip(slots, assigned, strict=True):
        if d.replace("\0", "") == "":
            shown_digits.append({"0": "0", "#": "", "?": " "}[slot])
        else:
            shown_digits.append(d.replace("\0", ""))
    if grouping:
        joined = "".join(shown_digits)
        core = joined.lstrip(" ")
        lead = joined[: len(joined) - len(core)]
        grouped = f"{int(core):,}" if ascii_digits(core) else core
        shown_digits = [lead + grouped] + [""] * (len(slots) - 1)
    out = []
    k = 0
    for i, (kind, v) in enumerate(part):
        if kind == "digit":
            out.append(shown_digits[k])
            k += 1
        elif kind in ("lit", "%"):
            out.append(v)
        del i
    return "".join(out)


def _place_frac(part: list[tuple[str, str]], digits: str) -> str:
    slots = [v for k, v in part if k == "digit"]
    shown = list(digits[: len(slots)])
    for j in range(len(slots) - 1, -1, -1):  # trailing zeros under # and ? are not shown
        if shown[j] == "0" and slots[j] in "#?":
            shown[j] = "" if slots[j] == "#" else " "
        else:
            break
    out = []
    k = 0
    for kind, v in part:
        if kind == "digit":
            out.append(shown[k])
            k += 1
        elif kind in ("lit", "%"):
            out.append(v)
    return "".join(out)


def _date(sec: _Section, x: float, code: str) -> str:
    if x < 0 or x >= 2958466:
        return "#" * 11  # Excel shows hashes for a date out of range
    days = int(x)
    seconds = round((x - days) * 86400)
    if seconds >= 86400:
        days, seconds = days + 1, seconds - 86400
    if days < 60:  # Excel's 1900 calendar has a 29 February 1900 that never was
        base = _dt.datetime(1899, 12, 31) + _dt.timedelta(days=days - 1) if days else \
            _dt.datetime(1900, 1, 1) - _dt.timedelta(days=1)
    elif days == 60:
        raise Unrenderable("the date serial 60 (Excel's 29 February 1900)")
    else:
        base = _dt.datetime(1899, 12, 30) + _dt.timedelta(days=days)
    moment = base + _dt.timedelta(seconds=seconds)
    ampm = any(k == "ampm" for k, _ in sec.tokens)
    toks = sec.tokens
    out = []
    for i, (kind, v) in enumerate(toks):
        if kind == "lit":
            out.append(v)
        elif kind == "ampm":
            pm = moment.hour >= 12
            out.append(("PM" if pm else "AM") if len(v) == 5 else ("P" if pm else "A"))
        elif kind == "date":
            out.append(_date_part(v, moment, toks, i, ampm, code))
        elif kind in (".", ",", "%"):
            out.append(v)
    return "".join(out)


def _date_part(v: str, t: _dt.datetime, toks: list[tuple[str, str]], i: int, ampm: bool,
               code: str) -> str:
    c = v[0]
    if c == "y":
        return f"{t.year:04d}" if len(v) > 2 else f"{t.year % 100:02d}"
    if c == "d":
        if len(v) > 2:
            raise Unrenderable(f"the format {code!r} names the day of the week (in the "
                               "reader's language)")
        return f"{t.day:02d}" if len(v) == 2 else str(t.day)
    if c == "h":
        hour = t.hour % 12 or 12 if ampm else t.hour
        return f"{hour:02d}" if len(v) >= 2 else str(hour)
    if c == "s":
        return f"{t.second:02d}" if len(v) >= 2 else str(t.second)
    # m: minutes after an hour or before a second, else the month
    prev = next((tv for tk, tv in reversed(toks[:i]) if tk == "date"), "")
    nxt = next((tv for tk, tv in toks[i + 1:] if tk == "date"), "")
    if prev.startswith("h") or nxt.startswith("s"):
        return f"{t.minute:02d}" if len(v) >= 2 else str(t.minute)
    if len(v) > 2:
        raise Unrenderable(f"the format {code!r} names the month (in the reader's language)")
    return f"{t.month:02d}" if len(v) == 2 else str(t.month)
