"""Benchmark: reading and verifying LibreOffice's own format (.ods) beside .xlsx.

Builds N assessment workbooks (default 40) from seeded random assessments, has
LibreOffice headless save each as ``.ods`` and as ``.xlsx`` (one process per format),
then on one core, median milliseconds per file:

- reading the file (``read_ods`` / ``read_xlsx``): every cell, formula and name;
- writing the ``.ods``'s cells as the in-memory ``.xlsx`` the formula engine reads;
- verifying it (``verify_file``), the independent formula evaluation included.

Run: ``python benchmarks/bench_ods.py [--count 40]``. Not a test: figures depend on the
machine. Needs LibreOffice (soffice).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _median_ms(paths: list[Path], run: Callable[[Path], Any]) -> float:
    run(paths[0])  # warm imports and caches
    times = []
    for p in paths:
        start = time.perf_counter()
        run(p)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40, help="workbooks")
    args = parser.parse_args()

    from aijri_xl.catalogue.samples import random_assessments
    from aijri_xl.verify import verify_file
    from aijri_xl.workbook.libreoffice import convert, soffice
    from aijri_xl.workbook.ods import read_ods
    from aijri_xl.workbook.writer import write_workbook
    from aijri_xl.workbook.xlsx import read_xlsx

    if soffice() is None:
        print("LibreOffice (soffice) is not installed", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="aijri-bench-ods-") as tmp:
        built = Path(tmp) / "built"
        built.mkdir()
        sources = [write_workbook(a, built / f"wb{i:04d}.xlsx")
                   for i, a in enumerate(random_assessments(args.count))]
        start = time.perf_counter()
        ods = convert(sources, Path(tmp) / "ods", "ods")
        lo_ods = time.perf_counter() - start
        xlsx = convert(sources, Path(tmp) / "xlsx", "xlsx")
        print(f"{len(sources)} workbooks saved by LibreOffice as .ods in {lo_ods:.1f} s "
              f"({lo_ods * 1000 / len(sources):.0f} ms each) and as .xlsx")
        print(f"read .ods:    {_median_ms(ods, read_ods):6.1f} ms")
        print(f"read .xlsx:   {_median_ms(xlsx, read_xlsx):6.1f} ms")
        verdicts: dict[str, int] = {}

        def verify(p: Path) -> None:
            v = verify_file(p)
            verdicts[v.verdict] = verdicts.get(v.verdict, 0) + 1

        print(f"verify .ods:  {_median_ms(ods, verify):6.1f} ms")
        print(f"verify .xlsx: {_median_ms(xlsx, verify):6.1f} ms")
        print("verdicts:", ", ".join(f"{k} {n}" for k, n in sorted(verdicts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
