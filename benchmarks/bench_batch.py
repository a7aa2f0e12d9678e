"""Benchmark: a batch of 10,000 workbooks, ``aijri verify --jobs 2``, streamed to JSON Lines.

Builds ``--distinct`` workbooks (default 500) from seeded random assessments and copies
them to ``--count`` files (default 10,000; building every one would take longer than
verifying them, and the verifier reads each copy in full like any other file), then runs
``aijri verify FOLDER -q --jobs 2 --report audit.jsonl`` in a fresh process, wall clock,
and prints workbooks per second, the CPU time per workbook, the peak memory of the main
process and of the largest worker, and the machine's load before and after. With
``--sizes`` it repeats the run at smaller counts: the main process's peak memory stays
flat as the number of files grows (reports are streamed, not kept).

The report is watched while the command runs: when its first line appears and how much of
it is there at half time show that it is written as the files are verified.

Run: ``python benchmarks/bench_batch.py [--count 10000] [--jobs 2] [--runs 3]``. Not a test:
figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import PEAK_RSS

ROOT = Path(__file__).resolve().parent.parent

RUN = PEAK_RSS + """
import json, resource, sys, time
from aijri_xl.cli import main
start = time.perf_counter()
rc = main(sys.argv[1:])
wall = time.perf_counter() - start
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stderr.write("\\n" + json.dumps({"rc": rc, "wall": wall, "cpu": me.ru_utime + me.ru_stime
    + kids.ru_utime + kids.ru_stime, "main_cpu": me.ru_utime + me.ru_stime,
    "main_kib": peak_kib(), "worker_kib": kids.ru_maxrss}))
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
    """One ``aijri verify FOLDER -q --jobs N --report REPORT.jsonl`` in a fresh process:
    its wall and CPU time, peak memory, the machine's load before and after, and when the
    report got its first line and how many it had at half time (it is written as the files
    are verified, not at the end)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))}
    load = os.getloadavg()[0]
    start = time.perf_counter()
    seen: list[tuple[float, int]] = []  # (seconds, bytes of the report) while it runs
    with subprocess.Popen([sys.executable, "-c", RUN, "verify", str(folder), "-q", "--jobs",
                           str(jobs), "--report", str(report)], env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True) as child:
        while child.poll() is None:
            time.sleep(0.25)
            seen.append((time.perf_counter() - start, report.stat().st_size
                         if report.exists() else 0))
        err = child.stderr.read() if child.stderr else ""
    stats: dict[str, float] = json.loads(err.strip().splitlines()[-1])
    wall = stats["wall"]
    first = next((t for t, size in seen if size), None)
    half = max((size for t, size in seen if t <= wall / 2), default=0)
    total = report.stat().st_size
    with open(report, "rb") as handle:
        stats["rows"] = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20),
                                                                   b""))
    stats.update(load_before=load, load_after=os.getloadavg()[0],
                 first_line_s=first if first is not None else float("nan"),
                 share_at_half=half / total if total else 0.0)
    return stats


def measure(count: int = 10_000, jobs: int = 2, distinct: int = 500,
            sizes: tuple[int, ...] = (), runs: int = 1,
            out: Callable[[str], None] = print) -> dict[str, Any]:
    """Write the folder, run the smaller ``sizes`` once each and ``count`` ``runs`` times;
    each line given to ``out``; returns ``{"count", "runs": [stats of each run at count],
    "sizes": {n: stats}}``."""
    figures: dict[str, Any] = {"count": count, "jobs": jobs, "runs": [], "sizes": {}}
    with tempfile.TemporaryDirectory(prefix="aijri-batch-") as tmp:
        start = time.perf_counter()
        folder = Path(tmp) / "books"
        build(folder, count, distinct)
        out(f"  {count} workbooks ({min(count, distinct)} distinct) written in "
            f"{time.perf_counter() - start:.0f} s")
        for n in (*sizes, *[count] * max(1, runs)):
            part = folder
            if n != count:
                part = Path(tmp) / f"part{n}"
                part.mkdir()
                for p in sorted(folder.iterdir())[:n]:
                    os.link(p, part / p.name)
            report = Path(tmp) / f"audit{n}.jsonl"
            report.unlink(missing_ok=True)
            s = run(part, jobs, report)
            if n == count:
                figures["runs"].append(s)
            else:
                figures["sizes"][n] = s
                shutil.rmtree(part)
            out(f"  {n:>6} workbooks, --jobs {jobs}: {s['wall']:6.1f} s wall "
                f"({n / s['wall']:5.0f} workbooks/s; {1000 * s['cpu'] / n:4.1f} ms CPU per "
                f"workbook, of which the main process {1000 * s['main_cpu'] / n:.2f} ms), "
                f"{s['rows']:.0f} JSON Lines, the first after {s['first_line_s']:.1f} s, "
                f"{100 * s['share_at_half']:.0f}% written at half time; peak memory main "
                f"{s['main_kib'] / 1024:.0f} MiB, largest worker {s['worker_kib'] / 1024:.0f} "
                f"MiB; load average {s['load_before']:.2f} before, {s['load_after']:.2f} after")
    walls = [s["wall"] for s in figures["runs"]]
    best = min(walls)
    out(f"  target: {count} workbooks in under 60 s with {jobs} jobs: median "
        f"{statistics.median(walls):.1f} s, min {best:.1f}, max {max(walls):.1f} over "
        f"{len(walls)} run(s) ({'met' if best < 60 else 'NOT met'} at best; the machine is "
        f"shared, see the load)")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--distinct", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000],
                        help="smaller runs first, to show memory flat in the count")
    parser.add_argument("--runs", type=int, default=1, help="runs at --count")
    args = parser.parse_args()
    print(f"batch verify on {os.cpu_count()} cores")
    measure(args.count, args.jobs, args.distinct, tuple(args.sizes), args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
