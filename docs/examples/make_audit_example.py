"""Audit a folder of returned files as a reviewer meets it, and render the printed pages.

The folder holds 24 generated assessments of the catalogue roles (YAML, JSON, workbooks,
published reports; one workbook has its final score typed over the formula), the worked
example's YAML and its published seed report (which states a split its tasks do not
give), a blank template returned unfilled, a YAML with a misspelt key, an Excel lock file
and an ``.xls``. It writes the audit workbook, the HTML audit and the register, renders
the workbooks with LibreOffice (PDF, then PNG with pdftoppm) and the HTML audit with
Chromium (print to PDF, then PNG), and copies the pages the README shows into docs/img:

    audit-summary.png      the audit workbook's first page: what, when, verdicts, files
    audit-findings.png     its Findings sheet: messages wrapped, header repeated
    audit-html.png         the HTML audit printed by Chromium
    register-sheet.png     the register's Register sheet, headed in words (its Summary is
                           docs/examples/make_register_example.py's picture)

    python docs/examples/make_audit_example.py [--keep DIR] [--dpi 60]

Needs LibreOffice (``soffice``), poppler (``pdftoppm``) and Chromium (``chromium``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl

from aijri_xl.catalogue.samples import write_portfolio
from aijri_xl.cli import main as aijri
from aijri_xl.workbook.layout import layout
from aijri_xl.workbook.libreoffice import convert

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
IMG = HERE.parent / "img"
WHEN = "1796212800"  # SOURCE_DATE_EPOCH: 2026-12-02 12:00 UTC, so the pages do not change


def returned_folder(folder: Path) -> None:
    paths = write_portfolio(folder, 24)
    cell = layout().by_name["final_score"]
    tampered = next(p for p in paths if p.suffix == ".xlsx")
    wb = openpyxl.load_workbook(tampered)
    wb[cell.sheet][cell.ref] = 61.3
    wb.save(tampered)
    shutil.copyfile(ROOT / "workbooks/hpc-developer.yaml", folder / "hpc-developer.yaml")
    shutil.copyfile(ROOT / "tests/data/seeds/000_4d6eb753268fa0f0.txt",
                    folder / "hpc-developer-published.txt")
    shutil.copyfile(ROOT / "templates/blank.xlsx", folder / "blank-returned-unfilled.xlsx")
    text = (ROOT / "workbooks/hpc-developer.yaml").read_text(encoding="utf-8")
    (folder / "misspelt.yaml").write_text(text.replace("protective:", "protectve:"),
                                          encoding="utf-8")
    (folder / "~$001-open-in-excel.xlsx").write_bytes(b"lock")
    (folder / "notes.xls").write_bytes(b"not read")


def pages(pdf: Path, prefix: Path, dpi: int) -> list[Path]:
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(prefix)], check=True)
    return sorted(prefix.parent.glob(prefix.name + "-*.png"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", metavar="DIR", help="write the files and renders here")
    parser.add_argument("--dpi", type=int, default=60)
    args = parser.parse_args(argv)
    os.environ["SOURCE_DATE_EPOCH"] = WHEN
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.keep) if args.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        folder = work / "returned"
        returned_folder(folder)
        cwd = Path.cwd()
        os.chdir(work)  # so that the pages name the folder as a reviewer typed it
        try:
            aijri(["verify", "returned", "-q", "--report", "audit.xlsx", "--force"])
            aijri(["verify", "returned", "-q", "--report", "audit.html", "--force"])
            aijri(["register", "returned", "-o", "register.xlsx", "-q", "--force"])
        finally:
            os.chdir(cwd)
        render = work / "render"
        audit_pdf, register_pdf = convert([work / "audit.xlsx", work / "register.xlsx"],
                                          render, "pdf")
        audit = pages(audit_pdf, render / "audit", args.dpi)
        register = pages(register_pdf, render / "register", args.dpi)
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        if chromium is None:
            sys.exit("Chromium is needed for the HTML audit: apt-get install chromium")
        html_pdf = render / "audit-html.pdf"
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                        "--no-pdf-header-footer", f"--print-to-pdf={html_pdf}",
                        (work / "audit.html").resolve().as_uri()], check=True,
                       capture_output=True)
        html = pages(html_pdf, render / "audit-html", args.dpi)
        for source, name in ((audit[0], "audit-summary.png"), (audit[1], "audit-findings.png"),
                             (html[0], "audit-html.png"),
                             (register[1], "register-sheet.png")):
            shutil.copyfile(source, IMG / name)
            print(f"wrote {IMG / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
