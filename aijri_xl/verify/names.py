"""File names of any bytes, shown safely in every output.

A submitted folder may hold names that are not UTF-8 (Python keeps their bytes as lone
surrogates, which no UTF-8 writer accepts) or that hold a newline (which would forge a line
of a summary or a CSV row). ``safe_text`` turns any such text into one printable line that
still says exactly which bytes the name had: an undecodable byte becomes ``\\xNN``, a
control or line-breaking character ``\\n``, ``\\t``, ``\\xNN`` or ``\\uNNNN``, and a backslash
``\\\\`` (so the escaping cannot be forged either). Text without any of these (every usual
name) comes back unchanged.
"""

from __future__ import annotations

import os
import re

_BACKSLASH = "\\\\" if os.sep == "/" else ""  # on Windows a backslash is a separator
_UNSAFE = re.compile("[" + _BACKSLASH + "\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e"
                     "\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}


def _escape(m: re.Match[str]) -> str:
    ch = m.group(0)
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_text(text: str) -> str:
    """``text`` as one printable, encodable line (see the module text)."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_escape, text)


def needs_escaping(text: str) -> bool:
    return _UNSAFE.search(text) is not None
