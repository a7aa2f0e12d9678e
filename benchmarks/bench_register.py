"""Benchmark: building a portfolio register.

For each count (default 60 and 500) writes the demonstration portfolio
(:func:`aijri_xl.catalogue.samples.write_portfolio`: YAML, JSON and workbooks in turn)
to a temporary folder, then times, wall clock:

- ``build_register`` with a process pool over every core, and on one core;
- ``write_register`` to ``.xlsx`` (the workbook with its two charts).

Run: ``python benchmarks/bench_register.py [--counts 60 500] [--jobs N]``. Not a test:
figures depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[60, 500],
                        help="portfolio sizes to register")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    from aijri_xl.catalogue.samples import write_portfolio
    from aijri_xl.registry import build_register, write_register

    for count in args.counts:
        with tempfile.TemporaryDirectory(prefix="aijri-bench-") as tmp:
            folder = Path(tmp) / "portfolio"
            start = time.perf_counter()
            write_portfolio(folder, count)
            print(f"{count} files: written in {time.perf_counter() - start:.1f} s")
            per_file = {}
            for jobs in (args.jobs, 1):
                start = time.perf_counter()
                reg = build_register([folder], jobs=jobs)
                took = time.perf_counter() - start
                per_file[jobs] = took / count
                print(f"  build_register, {jobs} process(es): {took:.2f} s "
                      f"({took * 1000 / count:.1f} ms per file), {len(reg.rows)} rows, "
                      f"{len(reg.flags)} flags")
            if args.jobs != 1:
                print(f"  parallel speed-up: {per_file[1] / per_file[args.jobs]:.2f}x")
            if count == args.counts[0]:
                _libreoffice_alternative(folder, per_file[1])
            start = time.perf_counter()
            write_register(reg, Path(tmp) / "register.xlsx")
            size = (Path(tmp) / "register.xlsx").stat().st_size
            print(f"  write_register .xlsx: {time.perf_counter() - start:.2f} s "
                  f"({size / 1024:.0f} KiB)")
    return 0


def _libreoffice_alternative(folder: Path, register_per_file: float) -> None:
    """The alternative to reading the figures: open (recalculate) each workbook in a
    spreadsheet program, LibreOffice headless here, one process for the lot."""
    from aijri_xl.workbook.libreoffice import recalculate, soffice

    workbooks = sorted(folder.glob("*.xlsx"))
    if soffice() is None or not workbooks:
        print("  (LibreOffice not installed: no comparison)")
        return
    with tempfile.TemporaryDirectory(prefix="aijri-bench-lo-") as out:
        start = time.perf_counter()
        recalculate(workbooks, Path(out))
        took = (time.perf_counter() - start) / len(workbooks)
    print(f"  LibreOffice recalculating the {len(workbooks)} workbooks: {took * 1000:.0f} ms "
          f"per workbook; the register reads and verifies a file "
          f"{took / register_per_file:.0f}x faster (one process)")


if __name__ == "__main__":
    sys.exit(main())
