"""Benchmark: the occupation data and the templates of every O*NET occupation.

Prints the packaged data file's size, the time to read it (a fresh interpreter, so
nothing is cached: import, decompress, parse), to build the search index and to search,
and the time to write every occupation's template (``aijri template --all-occupations``),
wall clock and CPU. Run: ``python benchmarks/bench_occupations.py``. Not a test: figures
depend on the machine.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_LOAD = """
import time
clock = time.process_time  # CPU time: the machine may be shared
import aijri_xl
t0 = clock()
from aijri_xl import occupations
t1 = clock()
occupations.occupations()
t2 = clock()
occupations.search("nurse")
t3 = clock()
occupations.search("software developer")
t4 = clock()
print(t1 - t0, t2 - t1, t3 - t2, t4 - t3)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="fresh interpreters for the "
                        "load time (median)")
    parser.add_argument("--limit", type=int, default=0,
                        help="write only the first N templates (0: all)")
    args = parser.parse_args()

    size = len(resources.files("aijri_xl").joinpath("occupations/onet.json.gz").read_bytes())
    print(f"data file aijri_xl/occupations/onet.json.gz: {size:,} bytes ({size / 1e6:.2f} MB)")
    runs = []
    for _ in range(args.repeat):
        out = subprocess.run([sys.executable, "-c", _LOAD], capture_output=True, text=True,
                             check=True, cwd=ROOT).stdout.split()
        runs.append([float(x) * 1000 for x in out])
    med = [statistics.median(r[i] for r in runs) for i in range(4)]
    print(f"CPU times, median of {args.repeat} fresh interpreters:")
    print(f"  import aijri_xl.occupations after aijri_xl: {med[0]:.1f} ms (reads nothing)")
    print(f"  first use, reading the data file: {med[1]:.1f} ms")
    print(f"  first search (builds the index): {med[2]:.0f} ms; a later search: "
          f"{med[3]:.1f} ms")

    from aijri_xl import occupations
    from aijri_xl.occupations.template import write_all_templates

    codes = [o.code for o in occupations.occupations() if o.task_count]
    if args.limit:
        codes = codes[:args.limit]
    with tempfile.TemporaryDirectory() as tmp:
        wall, cpu = time.perf_counter(), time.process_time()
        written = write_all_templates(Path(tmp), codes)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        total = sum(p.stat().st_size for p in written)
    print(f"{len(written)} occupation templates: {wall:.1f} s wall, {cpu:.1f} s CPU "
          f"({cpu / len(written) * 1000:.0f} ms CPU each), {total / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
