"""Benchmark: publishing assessments (``aijri report``) and reading them back.

Prints, for the worked example and for seeded random assessments, the time to write the
house format (``.md``) and the HTML page, and to read each back; and, as the alternative
a team would otherwise use to publish from a workbook, LibreOffice headless printing the
workbook to PDF.

Run: ``python benchmarks/bench_report.py [--count 200]``. Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from timing import per_call

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="random assessments")
    args = parser.parse_args()

    from aijri_xl.catalogue.samples import random_assessments
    from aijri_xl.house import builder as report
    from aijri_xl.house import page as html_page
    from aijri_xl.house.reader import read_report
    from aijri_xl.sources import load, read_page
    from aijri_xl.workbook.libreoffice import convert, soffice

    example = load(ROOT / "workbooks" / "hpc-developer.yaml").assessment
    text, page = report.markdown(example), html_page.html(example)
    figures = {
        "write .md": per_call(lambda: report.markdown(example), 300),
        "write .html": per_call(lambda: html_page.html(example), 300),
        "read .md back": per_call(lambda: read_report(text, Path("x.md")), 300),
        "read .html back": per_call(lambda: read_page(page, Path("x.html")), 300),
    }
    print("worked example (8 tasks, every text of the published seed):")
    for what, seconds in figures.items():
        print(f"  {what:16} {seconds * 1000:6.2f} ms")

    batch = random_assessments(args.count, seed=7)
    start = time.perf_counter()
    for a in batch:
        read_report(report.markdown(a), Path("x.md"))
    took = (time.perf_counter() - start) / len(batch)
    print(f"{args.count} random assessments (1-30 tasks): write and read back "
          f"{took * 1000:.2f} ms each")

    if soffice() is None:
        print("(LibreOffice not installed: no comparison)")
        return 0
    with tempfile.TemporaryDirectory(prefix="aijri-bench-") as tmp:
        start = time.perf_counter()
        convert([ROOT / "workbooks" / "hpc-developer.xlsx"], Path(tmp), "pdf")
        lo = time.perf_counter() - start
    print(f"LibreOffice printing the workbook to PDF: {lo * 1000:.0f} ms; writing the HTML "
          f"page is {lo / figures['write .html']:.0f}x faster")
    return 0


if __name__ == "__main__":
    sys.exit(main())
