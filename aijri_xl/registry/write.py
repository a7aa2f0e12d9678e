"""Writing the register: ``.xlsx`` (:mod:`aijri_xl.registry.workbook`), ``.json``, ``.csv``.

Every form carries the register's mark (:mod:`aijri_xl.method.marks`): no folder walk
reads a register back as an assessment, and ``aijri register --force`` replaces one.
Text copied from the files is neutralised (:func:`aijri_xl.verify.audit.neutralise`) in
the workbook and CSV output so that no spreadsheet program takes it for a formula.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from aijri_xl.method.marks import REGISTER, comment_line, kind_of_file
from aijri_xl.registry.model import COLUMN_NAMES, FLAG_COLUMNS, Register, _text


def is_register_file(path: str | Path) -> bool:
    """Whether ``path`` is a register aijri wrote, by its mark."""
    return kind_of_file(path) == REGISTER


def write_register(reg: Register, path: str | Path) -> list[Path]:
    """Write the register; the format follows the suffix: ``.xlsx`` (the workbook),
    ``.json``, or ``.csv`` (two files: the rows and ``*-flags.csv``). Returns the files
    written. The same register always gives the same bytes."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from aijri_xl.registry.workbook import register_workbook_bytes

        path.write_bytes(register_workbook_bytes(reg))
        return [path]
    if suffix == ".json":
        with open(path, "w", encoding="utf-8") as handle:
            write_json(handle, reg.json_parts())
            handle.write("\n")
        return [path]
    if suffix == ".csv":
        return _write_csv(reg, path)
    raise ValueError(f"unsupported register format {path.suffix!r}: use .xlsx, .csv or .json")


def write_json(out: IO[str], value: Any, level: int = 0) -> None:
    """Write ``value`` as ``json.dumps(value, indent=2, ensure_ascii=False)`` writes it,
    byte for byte, taking the items of an iterator (a list being made) one at a time."""
    pad = "  " * level
    if isinstance(value, dict) and value:
        out.write("{")
        for n, (key, item) in enumerate(value.items()):
            out.write(("," if n else "") + "\n" + pad + "  " + json.dumps(key, ensure_ascii=False)
                      + ": ")
            write_json(out, item, level + 1)
        out.write("\n" + pad + "}")
    elif isinstance(value, Iterator | list | tuple):
        first = True
        for item in value:
            out.write(("[" if first else ",") + "\n" + pad + "  ")
            write_json(out, item, level + 1)
            first = False
        out.write("[]" if first else "\n" + pad + "]")
    else:
        text = json.dumps(value, indent=2, ensure_ascii=False)
        out.write(text.replace("\n", "\n" + pad) if level else text)


def _write_csv(reg: Register, path: Path) -> list[Path]:
    import csv

    flags_path = path.with_name(path.stem + "-flags.csv")
    with open(path, "w", newline="", encoding="utf-8") as handle:
        handle.write(comment_line(REGISTER, "one row per assessment", style="hash") + "\n")
        writer = csv.writer(handle)
        writer.writerow(COLUMN_NAMES)
        for r in reg.rows:
            record = r.record()
            writer.writerow([_text(record[c]) for c in COLUMN_NAMES])
    with open(flags_path, "w", newline="", encoding="utf-8") as handle:
        handle.write(comment_line(REGISTER, "one row per flag", style="hash") + "\n")
        writer = csv.writer(handle)
        writer.writerow(FLAG_COLUMNS)
        for f in reg.flags:
            writer.writerow([_text(v) for v in (f.code, f.severity, f.role, f.files,
                                                f.message)])
    return [path, flags_path]
