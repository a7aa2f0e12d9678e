"""Benchmark: the worst time and memory of verifying a crafted file.

Every case of the crafted corpus (tests/crafted.py, crafted_display.py, crafted_x14.py,
crafted_eval.py), plus files built to sit at the reader's and the evaluation's limits
(aijri_xl/workbook/limits.py), is verified in a fresh
process of its own; the process reports its CPU and wall time and its peak resident
memory. The issue's bound: under 5 s and 300 MB for any file within the zip limits, on
this two-core machine.

Run: ``python benchmarks/bench_crafted.py``. Not a test: figures depend on the machine.
"""

from __future__ import annotations

import io
import multiprocessing
import random
import string
import sys
import tempfile
import time
import warnings
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from timing import peak_kib

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def _measure(path: str) -> tuple[float, float, float, str, str]:
    from aijri_xl.verify.audit import verify_one

    w0, c0 = time.perf_counter(), time.process_time()
    report = verify_one(path)
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    peak = peak_kib() / 1024  # this case's own peak (ru_maxrss kept the parent's)
    codes = sorted({f["code"] for f in report.findings})
    more = " …" if len(codes) > 4 else ""
    return wall, cpu, peak, report.verdict, " ".join(codes[:4]) + more


def _with_part(good: bytes, part: str, body: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, body if info.filename == part else src.read(info))
    return out.getvalue()


def at_limits(good: bytes) -> dict[str, bytes]:
    """Files at the reader's limits: each just inside them, so each is read in full."""
    from crafted import sheet_part

    from aijri_xl.workbook.limits import (
        MAX_CELLS,
        MAX_DEPTH,
        MAX_ELEMENTS,
        MAX_SHARED_STRINGS,
        MAX_TEXT_CHARS,
    )

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        commentary = zf.read(sheet_part("Commentary")).decode()
    n = min(MAX_CELLS - 2_500, MAX_ELEMENTS["worksheet"] // 4 - 600)  # row, c, f, v
    rows = "".join(f'<row r="{100 + i}"><c r="D{100 + i}"><f>SUM(Tasks!A{i + 1}:XFD{i + 1})'
                   f"*{i}+LEN(REPT(\"x\",{i}))</f><v>0</v></c></row>" for i in range(n))
    many_formulas = commentary.replace("</sheetData>", rows + "</sheetData>")
    rng = random.Random(11)
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        sst = zf.read("xl/sharedStrings.xml").decode()
    strings = "".join("<si><t>" + "".join(rng.choices(string.ascii_letters, k=1400)) +
                      "</t></si>" for _ in range(MAX_SHARED_STRINGS - sst.count("<si>")))
    many_strings = sst.replace("</sst>", strings + "</sst>")
    depth = MAX_DEPTH - 4  # worksheet, extLst and the root's own levels
    deep = commentary.replace("</worksheet>", "<extLst>" + "<a>" * depth + "</a>" * depth +
                              "</extLst></worksheet>")
    long_text = commentary.replace("</worksheet>", "<extLst><a>" + "x" * (MAX_TEXT_CHARS - 16)
                                   + "</a></extLst></worksheet>")
    wide = f'<worksheet xmlns="{main}"><sheetData>' + "".join(
        f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>{r}</v></c>' for c in "ABCDEFGHIJ") +
        "</row>" for r in range(1, MAX_ELEMENTS["worksheet"] // 21 - 50)) + \
        "</sheetData></worksheet>"
    return {
        **eval_at_limits(good),
        "limit-formula-cells": _with_part(good, sheet_part("Commentary"),
                                          many_formulas.encode()),
        "limit-shared-strings": _with_part(good, "xl/sharedStrings.xml", many_strings.encode()),
        "limit-element-depth": _with_part(good, sheet_part("Commentary"), deep.encode()),
        "limit-text-length": _with_part(good, sheet_part("Commentary"), long_text.encode()),
        "limit-cells-on-a-sheet": _with_part(good, sheet_part("Parameters"), wide.encode()),
    }


def eval_at_limits(good: bytes) -> dict[str, bytes]:
    """The independent evaluation at its memory bounds: formulas the results depend on,
    each broadcasting a column against a row to an array just under EVAL_ARRAY_CELLS, as
    many as EVAL_BUILT_TEXT lets through (a literal of 355 characters among the formulas
    counts as the text each cell may hold); and one such array of copies of a text as long
    as EVAL_BUILT_TEXT allows (the zone's label, the only formula that joins texts, without
    its joins)."""
    import tamper
    from crafted_eval import long_text

    from aijri_xl.workbook.limits import EVAL_ARRAY_CELLS, EVAL_BUILT_TEXT

    side = int(EVAL_ARRAY_CELLS ** 0.5)  # rows and columns of the broadcast
    last = f"{_letters(side + 2)}1"  # Tasks!C1 and side - 1 more columns

    def broadcast(expr: str) -> str:
        return f"SUMPRODUCT(LEN(IF(Tasks!$C$5:$C${4 + side}*Tasks!$C$1:${last}=0,{expr},"\
               f"{expr})))"
    arrays = tamper.set_formula(good, "Score", "B18", '"Green"', "Green")
    for ref in ("B10", "B16"):  # as many as EVAL_BUILT_TEXT lets through at 355 chars
        arrays = tamper.set_formula(arrays, "Score", ref, broadcast("1"), 0)
    text = tamper.set_formula(good, "Score", "B18", '"Green"', "Green")
    chars = int(EVAL_BUILT_TEXT / (side * side + 300) * 0.98)
    text = tamper.set_formula(long_text(text, "Commentary", "D1", chars), "Score", "B16",
                              broadcast("Commentary!$D$1"), 0)
    return {"limit-eval-arrays": arrays, "limit-eval-built-text": text}


def _letters(column: int) -> str:
    out = ""
    while column:
        column, rem = divmod(column - 1, 26)
        out = chr(65 + rem) + out
    return out


def main() -> int:
    import crafted
    import crafted_display
    import crafted_eval
    import crafted_x14

    cases = {**crafted.CASES, **crafted_display.CASES, **crafted_x14.CASES,
             **crafted_eval.CASES}

    warnings.simplefilter("ignore")  # zipfile warns of the duplicate entry it is asked for
    good = (ROOT / "workbooks" / "hpc-developer.xlsx").read_bytes()
    with tempfile.TemporaryDirectory(prefix="aijri-crafted-") as tmp:
        files: dict[str, Path] = {}
        for name, case in cases.items():
            files[name] = Path(tmp) / f"{name}.xlsx"
            files[name].write_bytes(case.build(good))
        for name, data in at_limits(good).items():
            files[name] = Path(tmp) / f"{name}.xlsx"
            files[name].write_bytes(data)
        print(f"{'case':28} {'verdict':7} {'wall s':>7} {'cpu s':>6} {'peak MB':>8}  codes")
        worst_time, worst_mem = (0.0, ""), (0.0, "")
        spawn = multiprocessing.get_context("spawn")  # a fresh interpreter per file
        with ProcessPoolExecutor(max_workers=1, max_tasks_per_child=1,
                                 mp_context=spawn) as pool:
            for name, path in files.items():
                wall, cpu, peak, verdict, codes = pool.submit(_measure, str(path)).result()
                size = path.stat().st_size / 1024
                print(f"{name:28} {verdict:7} {wall:7.3f} {cpu:6.3f} {peak:8.0f}  {codes} "
                      f"({size:.0f} KB)")
                worst_time = max(worst_time, (wall, name))
                worst_mem = max(worst_mem, (peak, name))
    print(f"worst time: {worst_time[0]:.2f} s ({worst_time[1]}); worst peak memory: "
          f"{worst_mem[0]:.0f} MB ({worst_mem[1]}); bound: 5 s and 300 MB "
          f"({'held' if worst_time[0] < 5 and worst_mem[0] < 300 else 'EXCEEDED'}); a fresh "
          "process, imports included")
    return 0


if __name__ == "__main__":
    sys.exit(main())
