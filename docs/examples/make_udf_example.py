"""Build the example sheet of the AIJRI Excel functions and render it for the README.

The sheet holds the worked example's inputs (AIJRI-METHOD.md §6), each function's
formula as a person types it, and next to it what the function returns. The results are
computed by calling the functions in Python (:mod:`aijri_xl.excel.functions`) on the values of the
ranges the formulas name, exactly as xlwings passes them, so the picture shows what
Excel shows. The workbook is rendered by LibreOffice (to PDF, then PNG with pdftoppm).

    python docs/examples/make_udf_example.py                  # docs/img/udfs-example.png
    python docs/examples/make_udf_example.py --xlsx ex.xlsx   # keep the workbook too

Needs XlsxWriter, LibreOffice (``soffice``) and poppler (``pdftoppm``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import xlsxwriter

from aijri_xl.excel import functions as udfs

HERE = Path(__file__).resolve().parent
PNG = HERE.parent / "img" / "udfs-example.png"

TASKS = [  # the worked example's task table (name, time, score, class)
    ("MPI/distributed parallel code development", 0.25, 2, "AUGMENTATION"),
    ("GPU programming (CUDA/HIP/OpenCL)", 0.20, 2, "AUGMENTATION"),
    ("Performance profiling & optimisation", 0.15, 3, "AUGMENTATION"),
    ("Cluster job scheduling", 0.10, 3, "AUGMENTATION"),
    ("Debugging parallel/distributed issues", 0.10, 2, "AUGMENTATION"),
    ("Numerical methods integration", 0.10, 2, "AUGMENTATION"),
    ("Code review & upstream contributions", 0.05, 3, "AUGMENTATION"),
    ("Design discussions & architecture", 0.05, 1, "NOT INVOLVED"),
]
FIRST_TASK_ROW = 5  # Excel row of the first task
LAST_TASK_ROW = FIRST_TASK_ROW + len(TASKS) - 1
PROTECTIVE = [0, 0, 2]
GROWTH = 1
EVIDENCE = [1, 1, 1, 1, 1]
BARRIERS = [0, 0, 0, 0, 0]

TIMES = f"B{FIRST_TASK_ROW}:B{LAST_TASK_ROW}"
SCORES = f"C{FIRST_TASK_ROW}:C{LAST_TASK_ROW}"
CLASSES = f"D{FIRST_TASK_ROW}:D{LAST_TASK_ROW}"
PROT, GROW, EVID, BARR = "G5:I5", "G6", "G7:K7", "G8:K8"
TOP = LAST_TASK_ROW + 3  # Excel row of the header of the formula table
SCORE_CELL = f"F{TOP + 6}"  # =AIJRI_SCORE(...) is the table's 6th formula

# The ranges' values as xlwings passes them (a column as rows of one cell).
RANGES: dict[str, Any] = {
    TIMES: [[t[1]] for t in TASKS], SCORES: [[float(t[2])] for t in TASKS],
    CLASSES: [[t[3]] for t in TASKS], PROT: [[float(v) for v in PROTECTIVE]],
    GROW: float(GROWTH), EVID: [[float(v) for v in EVIDENCE]],
    BARR: [[float(v) for v in BARRIERS]],
}


def examples() -> list[tuple[str, Any, str]]:
    """(formula as typed, what the function returns, number format) for every function."""
    r = RANGES
    score = udfs.AIJRI_SCORE(r[TIMES], r[SCORES], r[EVID], r[BARR], r[GROW])
    return [
        (f"=AIJRI_TASK_RESISTANCE({TIMES}, {SCORES})",
         udfs.AIJRI_TASK_RESISTANCE(r[TIMES], r[SCORES]), "0.00"),
        (f"=AIJRI_PCT_SCORING({TIMES}, {SCORES}, 3)",
         udfs.AIJRI_PCT_SCORING(r[TIMES], r[SCORES], 3), "0%"),
        (f"=AIJRI_SPLIT({TIMES}, {CLASSES})", udfs.AIJRI_SPLIT(r[TIMES], r[CLASSES]), "0%"),
        (f"=AIJRI_MODIFIERS({EVID}, {BARR}, {GROW})",
         udfs.AIJRI_MODIFIERS(r[EVID], r[BARR], r[GROW]), "0.00"),
        (f"=AIJRI_RAW({TIMES}, {SCORES}, {EVID}, {BARR}, {GROW})",
         udfs.AIJRI_RAW(r[TIMES], r[SCORES], r[EVID], r[BARR], r[GROW]), "0.0000"),
        (f"=AIJRI_SCORE({TIMES}, {SCORES}, {EVID}, {BARR}, {GROW})", score, "0.0"),
        (f"=AIJRI_ZONE({SCORE_CELL})", udfs.AIJRI_ZONE(score), "@"),
        (f"=AIJRI_SUBLABEL({SCORE_CELL}, {TIMES}, {SCORES}, {GROW})",
         udfs.AIJRI_SUBLABEL(score, r[TIMES], r[SCORES], r[GROW]), "@"),
        (f"=AIJRI_QUICK_SCREEN({PROT}, {GROW})",
         udfs.AIJRI_QUICK_SCREEN(r[PROT], r[GROW]), "@"),
        (f"=AIJRI_VALIDATE({TIMES}, {SCORES}, {CLASSES}, {PROT}, {GROW}, {EVID}, {BARR})",
         udfs.AIJRI_VALIDATE(r[TIMES], r[SCORES], r[CLASSES], r[PROT], r[GROW], r[EVID],
                             r[BARR]), "@"),
        ('=AIJRI_PARAM("GREEN_MIN")', udfs.AIJRI_PARAM("GREEN_MIN"), "0"),
        ("=AIJRI_METHOD()", udfs.AIJRI_METHOD(), "@"),
        ("=AIJRI_ZONE(120)", udfs.AIJRI_ZONE(120), "@"),
    ]


def assess() -> tuple[str, list[list[Any]]]:
    r = RANGES
    formula = (f"=AIJRI_ASSESS({TIMES}, {SCORES}, {CLASSES}, {PROT}, {GROW}, {EVID}, "
               f"{BARR})")
    return formula, udfs.AIJRI_ASSESS(r[TIMES], r[SCORES], r[CLASSES], r[PROT], r[GROW],
                                      r[EVID], r[BARR])


FONT = "Liberation Sans"
MONO = "Liberation Mono"


def build(path: Path) -> None:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("AIJRI functions")
    fmt: dict[str, Any] = {}

    def f(key: str, **props: Any) -> Any:
        if key not in fmt:
            fmt[key] = wb.add_format({"font_name": FONT, "font_size": 10,
                                      "valign": "vcenter", **props})
        return fmt[key]

    grid = {"border": 1, "border_color": "#BFBFBF"}
    head = f("head", bold=True, bg_color="#1F3864", font_color="#FFFFFF", border=1,
             border_color="#1F3864")
    inp = f("inp", bg_color="#FFF2CC", **grid)
    pct_in = f("pct_in", bg_color="#FFF2CC", num_format="0%", **grid)
    formula = f("formula", font_name=MONO, font_size=9, font_color="#1F3864",
                bg_color="#F2F2F2", **grid)
    label = f("label", bold=True)
    note = f("note", italic=True, font_color="#595959")
    result = {nf: f(f"res{nf}", bg_color="#E2EFDA", num_format=nf, bold=nf == "0.0", **grid)
              for nf in ("0.00", "0%", "0.0000", "0.0", "0", "@")}
    error = f("err", font_color="#C00000", bg_color="#FCE4D6", **grid)

    ws.set_column("A:A", 37)
    ws.set_column("B:C", 6.5)
    ws.set_column("D:D", 15)
    ws.set_column("E:E", 2)
    ws.set_column("F:F", 11)
    ws.set_column("G:K", 6)
    ws.set_column("L:L", 2)
    ws.set_column("M:M", 20)
    ws.set_column("N:N", 22)

    ws.write("A1", "AIJRI functions in a sheet: the worked example (HPC Developer)",
             f("title", bold=True, font_size=13))
    ws.write("A2", "Yellow: the assessor's inputs. Grey: each formula as typed in a cell; "
             "green: what the function returns there (arrays spill right or down).", note)

    # Inputs: the task table and the other scores.
    for col, text in zip("ABCD", ("Task", "Time", "Score", "Class"), strict=True):
        ws.write(f"{col}4", text, head)
    for i, (name, time, task_score, cls) in enumerate(TASKS):
        row = FIRST_TASK_ROW + i
        ws.write(f"A{row}", name, inp)
        ws.write_number(f"B{row}", time, pct_in)
        ws.write_number(f"C{row}", task_score, inp)
        ws.write(f"D{row}", cls, inp)
    ws.write(f"A{LAST_TASK_ROW + 1}", "Total", label)
    ws.write_number(f"B{LAST_TASK_ROW + 1}", sum(t[1] for t in TASKS),
                    f("pct_total", bold=True, num_format="0%"))
    ws.merge_range("F4:K4", "Other inputs", head)
    for row, (text, values) in enumerate((("Protective", PROTECTIVE), ("Growth", [GROWTH]),
                                         ("Evidence", EVIDENCE), ("Barriers", BARRIERS)),
                                         start=5):
        ws.write(f"F{row}", text, label)
        for j, v in enumerate(values):
            ws.write_number(row - 1, 6 + j, v, inp)

    # Each function: the formula (text) and what it returns.
    ws.merge_range(f"A{TOP}:D{TOP}", "Formula, as typed in a cell", head)
    ws.merge_range(f"F{TOP}:K{TOP}", "What it returns", head)
    rows = examples()
    assert rows[5][0].startswith("=AIJRI_SCORE("), "SCORE_CELL must point at AIJRI_SCORE"
    for i, (text, value, nf) in enumerate(rows):
        r0 = TOP + i  # 0-based row index of Excel row TOP + 1 + i
        ws.merge_range(r0, 0, r0, 3, "", formula)
        ws.write_string(r0, 0, text, formula)
        cells = value[0] if isinstance(value, list) else [value]
        if isinstance(value, list) and len(value) > 1:
            cells = [v[0] for v in value]
        if len(cells) == 1 and isinstance(cells[0], str):
            ws.merge_range(r0, 5, r0, 10, "", error if cells[0].startswith("#") else
                           result["@"])
            ws.write_string(r0, 5, cells[0], error if cells[0].startswith("#") else
                            result["@"])
            continue
        for j, v in enumerate(cells):
            ws.write(r0, 5 + j, v, result[nf])

    # AIJRI_ASSESS: the formula and the two columns it spills.
    text, spilled = assess()
    ws.merge_range("M4:N4", "AIJRI_ASSESS spills every result", head)
    ws.merge_range("M5:N5", "", formula)
    ws.write_string("M5", text.replace(", ", ","), formula)
    name_fmt = f("spillname", font_name=MONO, font_size=9, bg_color="#E2EFDA", **grid)
    for i, (name, value) in enumerate(spilled):
        r0 = 5 + i
        share = name.startswith(("pct_", "split_"))
        nf = ("0%" if share else "0.0000" if name in ("raw", "score_unrounded")
              else "0.0" if name in ("score", "final_score")
              else "0.00" if isinstance(value, float) else "0" if isinstance(value, int)
              else "@")
        ws.write_string(r0, 12, name, name_fmt)
        if value is None:
            ws.write_blank(r0, 13, None, result[nf])
        else:
            ws.write(r0, 13, value, result[nf])

    last_row = max(TOP + len(rows), 5 + len(spilled))
    ws.print_area(0, 0, last_row, 13)
    ws.set_landscape()
    ws.set_paper(8)  # A3, so that one page needs little shrinking
    ws.fit_to_pages(1, 1)
    ws.set_margins(left=0.2, right=0.2, top=0.2, bottom=0.2)
    ws.hide_gridlines(2)
    ws.print_row_col_headers()  # so that B5:B12 can be checked against the picture
    wb.close()


def _ppm_content_box(ppm: bytes) -> tuple[int, int, int, int]:
    """The bounding box (x, y, w, h) of the non-white pixels of a binary PPM (P6)."""
    parts = ppm.split(maxsplit=4)
    assert parts[0] == b"P6", "pdftoppm did not write a binary PPM"
    width, height, data = int(parts[1]), int(parts[2]), parts[4]
    stride = width * 3
    rows = [y for y in range(height) if data[y * stride:(y + 1) * stride].count(255) < stride]
    cols = [x for x in range(width)
            if any(data[y * stride + 3 * x:y * stride + 3 * x + 3] != b"\xff\xff\xff"
                   for y in range(rows[0], rows[-1] + 1, 2))]
    return cols[0], rows[0], cols[-1] - cols[0] + 1, rows[-1] - rows[0] + 1


def render(xlsx: Path, png: Path, dpi: int = 80, pad: int = 8) -> None:
    """LibreOffice → PDF → PNG (pdftoppm), cropped to the sheet's content."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftoppm") is None:
        raise SystemExit("needs LibreOffice (soffice) and poppler (pdftoppm)")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{out}/profile",
                        "--convert-to", "pdf", "--outdir", str(out), str(xlsx)],
                       check=True, capture_output=True, timeout=180)
        pdf = out / (xlsx.stem + ".pdf")
        subprocess.run(["pdftoppm", "-r", str(dpi), "-singlefile", str(pdf),
                        str(out / "page")], check=True)
        x, y, w, h = _ppm_content_box((out / "page.ppm").read_bytes())
        png.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-singlefile",
                        "-x", str(max(x - pad, 0)), "-y", str(max(y - pad, 0)),
                        "-W", str(w + 2 * pad), "-H", str(h + 2 * pad), str(pdf),
                        str(png.with_suffix(""))], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--xlsx", type=Path, help="also keep the example workbook here")
    parser.add_argument("--png", type=Path, default=PNG, help=f"default: {PNG}")
    parser.add_argument("--dpi", type=int, default=80)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        xlsx = args.xlsx or Path(tmp) / "udfs-example.xlsx"
        build(xlsx)
        render(xlsx, args.png, args.dpi)
    sys.stdout.write(f"wrote {args.png}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
