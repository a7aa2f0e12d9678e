"""The issue-17 benchmarks in one go: start-up, 10,000 workbooks with two jobs, the
register at 100,000 assessments with its peak memory, and a Dask LocalCluster against the
local run. Prints the machine's cores and load first (the machine may be shared).

Run: ``python benchmarks/bench_scale.py [--quick]`` (``--quick``: a tenth of the sizes,
to try it out). Each part is also a script of its own (``bench_startup.py``,
``bench_batch.py``, ``bench_register.py``, ``bench_cluster.py``). Not a test.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_batch
import bench_cluster
import bench_register
import bench_startup


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    begin = time.perf_counter()
    print(f"{os.cpu_count()} cores; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("1. start-up (bytecode cached)")
    for line in bench_startup.report(bench_startup.measure(21)):
        print(line, flush=True)
    print("2. a batch of workbooks, --jobs 2, streamed to JSON Lines")
    for line in bench_batch.measure(10_000 // scale, 2, 500 // scale, (1_000 // scale,)):
        print(line, flush=True)
    print("3. the register, generated assessments")
    for line in bench_register.measure((10_000 // scale, 100_000 // scale), 2):
        print(line, flush=True)
    print("4. a Dask LocalCluster against the local run")
    for line in bench_cluster.measure(400 // scale, 2):
        print(line, flush=True)
    print(f"all in {time.perf_counter() - begin:.0f} s; load average now "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
