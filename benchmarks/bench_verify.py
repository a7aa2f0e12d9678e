"""Benchmark: verifying workbooks, against the LibreOffice route.

Builds N assessment workbooks (default 1,000) from seeded random assessments, then:

- verifies them one at a time on one core: median milliseconds per workbook, including
  the independent formula evaluation (formualizer);
- verifies them all with a process pool over every core: workbooks per second;
- reports the peak memory (this process and its workers);
- recalculates the same workbooks in LibreOffice headless (one process, recalculation
  forced on load), the alternative a reviewer would otherwise use, and prints the ratio.

Run: ``python benchmarks/bench_verify.py [--count 1000] [--lo-count N]``. Not a test:
figures depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="workbooks to verify")
    parser.add_argument("--lo-count", type=int, default=None,
                        help="workbooks to recalculate in LibreOffice (default: all)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    from aijri_xl.catalogue.samples import random_assessments
    from aijri_xl.verify.audit import run_audit, verify_one
    from aijri_xl.workbook.libreoffice import recalculate, soffice
    from aijri_xl.workbook.writer import write_workbook

    with tempfile.TemporaryDirectory(prefix="aijri-bench-") as tmp:
        folder = Path(tmp) / "workbooks"
        folder.mkdir()
        start = time.perf_counter()
        paths = [write_workbook(a, folder / f"wb{i:04d}.xlsx")
                 for i, a in enumerate(random_assessments(args.count))]
        build_s = time.perf_counter() - start
        print(f"built {len(paths)} workbooks in {build_s:.1f} s "
              f"({build_s * 1000 / len(paths):.1f} ms each)")

        verify_one(str(paths[0]))  # warm imports
        wall, cpu = [], []
        verdicts: dict[str, int] = {}
        for p in paths:
            w0, c0 = time.perf_counter(), time.process_time()
            report = verify_one(str(p))
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - w0)
            verdicts[report.verdict] = verdicts.get(report.verdict, 0) + 1
        one_core = statistics.median(wall) * 1000
        print(f"one core: median {one_core:.1f} ms per workbook wall, "
              f"{statistics.median(cpu) * 1000:.1f} ms CPU (target <= 15 ms), "
              f"verdicts {verdicts}")

        start = time.perf_counter()
        reports = run_audit([folder], jobs=args.jobs)
        pool_s = time.perf_counter() - start
        assert len(reports) == len(paths)
        print(f"{args.jobs} processes: {len(paths) / pool_s:.0f} workbooks per second "
              f"({pool_s:.1f} s for {len(paths)})")
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak memory: {own:.0f} MB (this process), {children:.0f} MB (largest worker)")

        if soffice() is None:
            print("LibreOffice comparison skipped: soffice is not installed")
            return 0
        sample = paths[: args.lo_count] if args.lo_count else paths
        start = time.perf_counter()
        recalculate(sample, Path(tmp) / "lo")
        lo_each = (time.perf_counter() - start) * 1000 / len(sample)
        print(f"LibreOffice headless recalculation: {lo_each:.0f} ms per workbook "
              f"({len(sample)} workbooks, one process)")
        print(f"ratio: the verifier is {lo_each / one_core:.0f}x faster than recalculating in "
              f"LibreOffice on one core (target >= 20x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
