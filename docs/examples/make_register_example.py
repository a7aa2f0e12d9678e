"""Build the example portfolio register and render its summary for the README.

The register holds the worked example (``workbooks/``) and the generated portfolio of
:func:`aijri_xl.catalogue.samples.portfolio` (60 assessments of the catalogue roles, written as
YAML, JSON, workbooks and published reports), in which one submitted workbook has had its
final score typed over the formula, as a reviewer will meet it. LibreOffice renders the
register to PDF and pdftoppm the first page (the Summary sheet) and the External sheet's
first page (the calibration against published exposure, with its scatter charts) to PNG.

    python docs/examples/make_register_example.py   # docs/img/register-{summary,external}.png
    python docs/examples/make_register_example.py --keep DIR        # keep the files and register

Needs XlsxWriter, LibreOffice (``soffice``) and poppler (``pdftoppm``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl

from aijri_xl.catalogue.samples import write_portfolio
from aijri_xl.registry import build_register, summary_text, write_register
from aijri_xl.workbook.layout import layout
from aijri_xl.workbook.libreoffice import render_png

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PNG = HERE.parent / "img" / "register-summary.png"
EXTERNAL_PNG = HERE.parent / "img" / "register-external.png"


def tamper(path: Path) -> None:
    """Type a better final score over its formula, as someone might before submitting."""
    cell = layout().by_name["final_score"]
    wb = openpyxl.load_workbook(path)
    wb[cell.sheet][cell.ref] = 61.3
    wb.save(path)


def _first_page(pdf: Path, pages: int, heading: str) -> int:
    """The index of the first page of ``pdf`` whose text starts with ``heading``."""
    for page in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        if text.lstrip().startswith(heading):
            return page - 1
    raise SystemExit(f"no page of {pdf} starts with {heading!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", metavar="DIR", help="write the portfolio and register here")
    parser.add_argument("--dpi", type=int, default=90)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.keep) if args.keep else Path(tmp)
        folder = work / "portfolio"
        paths = write_portfolio(folder, 60)
        tamper(next(p for p in paths if p.suffix == ".xlsx"))
        reg = build_register([ROOT / "workbooks", folder])
        out = work / "register.xlsx"
        write_register(reg, out)
        print(summary_text(reg))
        pages = render_png(out, work / "render", dpi=args.dpi)
        shutil.copyfile(pages[0], PNG)
        shutil.copyfile(pages[_first_page(work / "render" / "register.pdf", len(pages),
                                          "External calibration")], EXTERNAL_PNG)
    print(f"wrote {PNG} and {EXTERNAL_PNG}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
