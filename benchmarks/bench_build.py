"""Benchmark: building assessment workbooks.

Prints the median time to build the worked example's workbook and to write every
template, and compares the XlsxWriter route (formulas and their cached values written in
one pass) with the alternative a formula-only writer needs to give readers the numbers:
recalculating in LibreOffice headless. Run: ``python benchmarks/bench_build.py``.
Not a test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def median_ms(fn, repeat: int, clock=time.perf_counter) -> float:
    times = []
    for _ in range(repeat):
        start = clock()
        fn()
        times.append(clock() - start)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--no-libreoffice", action="store_true")
    args = parser.parse_args()

    from aijri_xl import load
    from aijri_xl.catalogue import draft_assessment, roles
    from aijri_xl.method.model import Assessment
    from aijri_xl.workbook.libreoffice import recalculate, soffice
    from aijri_xl.workbook.writer import workbook_bytes, write_workbook

    example = load(ROOT / "workbooks" / "hpc-developer.yaml").assessment
    drafts = [draft_assessment(r.id) for r in roles()] + [Assessment()]
    workbook_bytes(example)  # warm imports and caches

    one = median_ms(lambda: workbook_bytes(example), args.repeat)
    one_cpu = median_ms(lambda: workbook_bytes(example), args.repeat, time.process_time)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)

        def all_templates() -> None:
            for i, a in enumerate(drafts):
                write_workbook(a, folder / f"t{i}.xlsx")

        templates = median_ms(all_templates, max(3, args.repeat // 10))
        print(f"build one assessment workbook (worked example): median {one:.1f} ms wall, "
              f"{one_cpu:.1f} ms CPU (target <= 20 ms)")
        print(f"write all {len(drafts)} templates: median {templates:.0f} ms "
              f"({templates / len(drafts):.1f} ms each)")
        if args.no_libreoffice or soffice() is None:
            print("LibreOffice comparison skipped (no soffice or --no-libreoffice)")
            return 0
        sources = [folder / f"t{i}.xlsx" for i in range(len(drafts))]
        start = time.perf_counter()
        recalculate(sources, folder / "lo")
        lo_each = (time.perf_counter() - start) * 1000 / len(sources)
        print(f"LibreOffice headless recalculation of the same templates: {lo_each:.0f} ms "
              "each (one process for all)")
        print(f"ratio: writing with cached values is {lo_each / (templates / len(drafts)):.0f}x "
              "faster than recalculating in LibreOffice")
    return 0


if __name__ == "__main__":
    sys.exit(main())
