"""Benchmark: a batch of 10,000 workbooks, ``aijri verify --jobs 2``, streamed to JSON Lines.

Builds ``--distinct`` workbooks (default 500) from seeded random assessments and copies
them to ``--count`` files (default 10,000; building every one would take longer than
verifying them, and the verifier reads each copy in full like any other file), then runs
``aijri verify FOLDER -q --jobs 2 --report audit.jsonl`` in a fresh process, wall clock,
and prints workbooks per second, the CPU time per workbook, the peak memory of the main
process and of the largest worker, and the machine's load before and after. With
``--sizes`` it repeats the run at smaller counts: the main process's peak memory stays
flat as the number of files grows (reports are streamed, not kept).

Run: ``python benchmarks/bench_batch.py [--count 10000] [--jobs 2]``. Not a test:
figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RUN = """
import json, resource, sys, time
from aijri_xl.cli import main
start = time.perf_counter()
rc = main(sys.argv[1:])
wall = time.perf_counter() - start
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stderr.write("\\n" + json.dumps({"rc": rc, "wall": wall, "cpu": me.ru_utime + me.ru_stime
    + kids.ru_utime + kids.ru_stime, "main_cpu": me.ru_utime + me.ru_stime,
    "main_kib": me.ru_maxrss, "worker_kib": kids.ru_maxrss}))
"""


def build(folder: Path, count: int, distinct: int) -> None:
    from aijri_xl.catalogue.samples import random_assessments
    from aijri_xl.workbook.writer import write_workbook

    folder.mkdir(parents=True)
    made = [write_workbook(a, folder / f"wb{i:05d}.xlsx")
            for i, a in enumerate(random_assessments(min(count, distinct)))]
    for i in range(len(made), count):
        shutil.copyfile(made[i % len(made)], folder / f"wb{i:05d}.xlsx")


def run(folder: Path, jobs: int, report: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))}
    done = subprocess.run([sys.executable, "-c", RUN, "verify", str(folder), "-q", "--jobs",
                           str(jobs), "--report", str(report)], env=env, capture_output=True,
                          text=True, check=False)
    stats: dict[str, float] = json.loads(done.stderr.strip().splitlines()[-1])
    return stats


def measure(count: int = 10_000, jobs: int = 2, distinct: int = 500,
            sizes: tuple[int, ...] = ()) -> list[str]:
    lines = []
    with tempfile.TemporaryDirectory(prefix="aijri-batch-") as tmp:
        start = time.perf_counter()
        folder = Path(tmp) / "books"
        build(folder, count, distinct)
        lines.append(f"  {count} workbooks ({min(count, distinct)} distinct) written in "
                     f"{time.perf_counter() - start:.0f} s")
        for n in (*sizes, count):
            part = folder
            if n != count:
                part = Path(tmp) / f"part{n}"
                part.mkdir()
                for p in sorted(folder.iterdir())[:n]:
                    os.link(p, part / p.name)
            load = os.getloadavg()[0]
            report = Path(tmp) / f"audit{n}.jsonl"
            s = run(part, jobs, report)
            rows = report.read_text(encoding="utf-8").count("\n")
            lines.append(
                f"  {n:>6} workbooks, --jobs {jobs}: {s['wall']:6.1f} s wall "
                f"({n / s['wall']:5.0f} workbooks/s; {1000 * s['cpu'] / n:4.1f} ms CPU per "
                f"workbook, of which the main process {1000 * s['main_cpu'] / n:.1f} ms), {rows} "
                f"JSON Lines; peak memory main "
                f"{s['main_kib'] / 1024:.0f} MiB, largest worker {s['worker_kib'] / 1024:.0f} "
                f"MiB; load average {load:.2f} before, {os.getloadavg()[0]:.2f} after")
        verdict = "met" if s["wall"] < 60 else "NOT met"
        lines.append(f"  target: {count} workbooks in under 60 s with {jobs} jobs: "
                     f"{s['wall']:.1f} s ({verdict}; the machine is shared, see the load)")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--distinct", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000],
                        help="smaller runs first, to show memory flat in the count")
    args = parser.parse_args()
    print(f"batch verify on {os.cpu_count()} cores")
    for line in measure(args.count, args.jobs, args.distinct, tuple(args.sizes)):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
