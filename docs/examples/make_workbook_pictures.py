"""Render the assessment workbook's pages for the README: About, Summary, Tasks, and the
Checks sheet of a fill with problems.

LibreOffice prints each workbook to PDF (its own print setup: A4, fit to the page width,
header rows repeated), pdftotext finds each sheet's page by the sheet name in the page
header, and pdftoppm renders it to PNG.

    python docs/examples/make_workbook_pictures.py       # docs/img/{about,summary,tasks,checks}.png
    python docs/examples/make_workbook_pictures.py --paper letter --out DIR   # on Letter

Needs XlsxWriter, LibreOffice (``soffice``) and poppler (``pdftoppm``, ``pdftotext``).
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

import aijri_xl.workbook.sheets.common as sheet_common
from aijri_xl.sources import load
from aijri_xl.workbook.libreoffice import convert
from aijri_xl.workbook.writer import write_workbook

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PAPERS = {"a4": 9, "letter": 1}


def _pages_by_sheet(pdf: Path) -> dict[str, int]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    count = int(next(line.split()[-1] for line in info.stdout.splitlines()
                     if line.startswith("Pages:")))
    found: dict[str, int] = {}
    for page in range(1, count + 1):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout",
                               str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        head = text.strip().splitlines()[0] if text.strip() else ""
        found.setdefault(head.split()[-1] if head else "", page)
    return found


def _render(pdf: Path, page: int, out: Path, dpi: int) -> None:
    prefix = out.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page),
                    "-singlefile", str(pdf), str(prefix)], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    parser.add_argument("--paper", choices=sorted(PAPERS), default="a4")
    parser.add_argument("--dpi", type=int, default=70)
    args = parser.parse_args()
    sheet_common.PAPER_A4 = PAPERS[args.paper]  # the print setup's paper, for this run
    example = load(ROOT / "workbooks" / "hpc-developer.yaml").assessment
    assert example is not None
    slipped = load(ROOT / "workbooks" / "hpc-developer.yaml").assessment
    assert slipped is not None
    slipped.tasks[0].time = 0.30  # the shares now sum to 105%
    slipped.tasks[2].task_class = None
    slipped.override.score = 60.0
    slipped.override.justification = ""  # an override without a justification
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        good = write_workbook(example, work / "example.xlsx")
        bad = write_workbook(slipped, work / "slipped.xlsx")
        pdfs = convert([good, bad], work, "pdf")
        pages = _pages_by_sheet(pdfs[0])
        args.out.mkdir(parents=True, exist_ok=True)
        for sheet, name in (("About", "about"), ("Summary", "summary"), ("Tasks", "tasks")):
            _render(pdfs[0], pages[sheet], args.out / f"{name}.png", args.dpi)
        _render(pdfs[1], _pages_by_sheet(pdfs[1])["Checks"], args.out / "checks.png",
                args.dpi)
        _render(pdfs[1], _pages_by_sheet(pdfs[1])["Summary"], args.out / "summary-checks.png",
                args.dpi)
    for name in ("about", "summary", "tasks", "checks", "summary-checks"):
        print(args.out / f"{name}.png")


if __name__ == "__main__":
    main()
