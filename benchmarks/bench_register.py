"""Benchmark: a register of many assessments, in bounded memory; and the demonstration
portfolio against LibreOffice.

``--counts`` (default 10,000 and 100,000): generated assessments (seeded random scores,
one of ``count / 20`` roles each, twelve assessors, each quoting one peer at a score the
register may or may not hold) written as JSON files by two processes, then
``build_register`` over the folder with ``--jobs`` processes, in a fresh process that
prints its wall time, its peak memory and the largest worker's. The growth of the peak
between two counts, per added assessment, is the register's memory per row (the
verification itself streams). Then the calibration step alone (``assemble``) at each
count of ``CALIBRATION_COUNTS`` (10,000, 40,000 and 100,000): it is linear, so ten times
the rows take about ten times as long.

``--portfolio`` (default 60): the demonstration portfolio (YAML, JSON, workbooks and
reports) registered on every core and on one, written to ``.xlsx``, and its workbooks
recalculated by LibreOffice for comparison.

Run: ``python benchmarks/bench_register.py [--counts 10000 100000] [--jobs 2]``. Not a
test: figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import PEAK_RSS

ROOT = Path(__file__).resolve().parent.parent
ASSESSORS = tuple(f"Assessor {k}" for k in range(12))

RUN = PEAK_RSS + """
import json, resource, sys, time
from aijri_xl.registry import build_register, write_register
start = time.perf_counter()
reg = build_register([sys.argv[1]], jobs=int(sys.argv[2]))
built = time.perf_counter() - start
me = peak_kib()
start = time.perf_counter()
written = write_register(reg, sys.argv[3])
wrote = time.perf_counter() - start
own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stdout.write(json.dumps({"built": built, "wrote": wrote, "rows": len(reg.rows),
    "flags": len(reg.flags), "main_kib": me, "after_write_kib": peak_kib(),
    "main_cpu": own.ru_utime + own.ru_stime, "worker_cpu": kids.ru_utime + kids.ru_stime,
    "worker_kib": kids.ru_maxrss}))
"""


def _write_part(args: tuple[str, int, int, int, int]) -> int:
    """Write assessments ``start`` to ``stop`` (each seeded by its number) as JSON files.
    Each quotes one assessment of another role at its final score, and about one in
    twelve at a stale score, as the demonstration portfolio does."""
    from aijri_xl.catalogue.samples import random_assessment
    from aijri_xl.method.engine import score
    from aijri_xl.method.model import CalibrationPeer
    from aijri_xl.sources.assessment_file import write_assessment

    folder, start, stop, roles, count = args
    for i in range(start, stop):
        rng = random.Random(i)
        a = random_assessment(rng, title=f"Role {i % roles:05d}")
        a.assessor = ASSESSORS[rng.randrange(len(ASSESSORS))]
        a.assessment_date = f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}"
        peer_role = rng.randrange(roles)
        j = peer_role + roles * rng.randrange(max(1, (count - peer_role - 1) // roles + 1))
        peer = random_assessment(random.Random(j), title=f"Role {peer_role:05d}")
        quoted = score(peer).final_score
        if rng.random() < 1 / 12:
            quoted = round(min(100.0, max(0.0, quoted + rng.choice((-1, 1)) * 2.5)), 1)
        a.calibration = [CalibrationPeer(f"Role {peer_role:05d}", quoted)]
        write_assessment(a, Path(folder) / f"a{i:06d}.json")
    return stop - start


def generate(folder: Path, count: int, jobs: int) -> None:
    folder.mkdir(parents=True)
    roles = max(1, count // 20)
    step = 2000
    parts = [(str(folder), s, min(count, s + step), roles, count)
             for s in range(0, count, step)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(_write_part, parts))


def register_in_a_process(folder: Path, jobs: int, out: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))}
    done = subprocess.run([sys.executable, "-c", RUN, str(folder), str(jobs), str(out)],
                          env=env, capture_output=True, text=True, check=True)
    stats: dict[str, float] = json.loads(done.stdout)
    return stats


def calibration_alone(count: int) -> float:
    """Seconds for ``assemble`` (merge, flags, calibration) of ``count`` reports."""
    from aijri_xl.registry import assemble
    from aijri_xl.verify.audit import FileReport

    rng = random.Random(count)
    roles = max(1, count // 20)
    reports = []
    for i in range(count):
        score = round(rng.uniform(0, 100), 1)
        reports.append(FileReport(
            f"a{i}.json", "file", "PASS", "AIJRI-1.0",
            {"final_score": score, "zone": "GREEN" if score >= 48 else "YELLOW",
             "sub_label": "Green (Stable)"}, [],
            data={"role": {"title": f"Role {i % roles}"}, "assessor": rng.choice(ASSESSORS),
                  "n": i,  # not an assessment's key: no sensitivity or agreement to find
                  "calibration": [{"role": f"Role {rng.randrange(roles)}",
                                   "score": round(rng.uniform(0, 100), 1)}]},
            identity=str(i)))
    start = time.perf_counter()
    assemble(reports)
    return time.perf_counter() - start


CALIBRATION_COUNTS = (10_000, 40_000, 100_000)


def measure(counts: tuple[int, ...] = (10_000, 100_000), jobs: int = 2,
            calibration_counts: tuple[int, ...] = CALIBRATION_COUNTS,
            out: Callable[[str], None] = print) -> dict[str, Any]:
    """The register built at each of ``counts`` in a fresh process, then ``assemble``
    alone at each of ``calibration_counts``; each line given to ``out``. Returns
    ``{"builds": {count: stats}, "assemble": {count: seconds}}``."""
    figures: dict[str, Any] = {"builds": {}, "assemble": {}}
    for count in counts:
        with tempfile.TemporaryDirectory(prefix="aijri-register-") as tmp:
            folder = Path(tmp) / "assessments"
            start = time.perf_counter()
            generate(folder, count, jobs)
            made = time.perf_counter() - start
            load = os.getloadavg()[0]
            s = register_in_a_process(folder, jobs, Path(tmp) / "register.csv")
            s.update(load_before=load, load_after=os.getloadavg()[0])
            figures["builds"][count] = s
            out(f"  {count:>7} assessments ({made:.0f} s to write): build_register --jobs "
                f"{jobs} {s['built']:.1f} s ({count / s['built']:.0f}/s), {s['rows']} rows, "
                f"{s['flags']} flags; peak memory {s['main_kib'] / 1024:.0f} MiB (largest "
                f"worker {s['worker_kib'] / 1024:.0f} MiB; after writing the .csv "
                f"{s['after_write_kib'] / 1024:.0f} MiB); .csv written in {s['wrote']:.1f} s; "
                f"load average {load:.2f} before, {s['load_after']:.2f} after")
    peaks = {n: s["main_kib"] for n, s in figures["builds"].items()}
    if len(peaks) > 1:
        (a, pa), (b, pb) = sorted(peaks.items())[0], sorted(peaks.items())[-1]
        figures["bytes_per_row"] = (pb - pa) * 1024 / (b - a)
        out(f"  memory per assessment row: {figures['bytes_per_row']:.0f} bytes "
            f"(peak {pa / 1024:.0f} MiB at {a}, {pb / 1024:.0f} MiB at {b})")
    for n in calibration_counts:
        figures["assemble"][n] = calibration_alone(n)
    times = figures["assemble"]
    if times:
        first = min(times)
        out("  assemble (merge, flags, calibration) alone: " + ", ".join(
            f"{times[n]:.2f} s at {n:,} ({times[n] / times[first]:.1f}x for "
            f"{n / first:.0f}x the rows)" for n in sorted(times)) + f"; load average "
            f"{os.getloadavg()[0]:.2f}")
    return figures


def portfolio(count: int, jobs: int) -> list[str]:
    from aijri_xl.catalogue.samples import write_portfolio
    from aijri_xl.registry import build_register, write_register

    lines = []
    with tempfile.TemporaryDirectory(prefix="aijri-bench-") as tmp:
        folder = Path(tmp) / "portfolio"
        write_portfolio(folder, count)
        per_file = {}
        for j in dict.fromkeys((jobs, 1)):
            start = time.perf_counter()
            reg = build_register([folder], jobs=j)
            took = time.perf_counter() - start
            per_file[j] = took / count
            lines.append(f"  portfolio of {count}: build_register, {j} process(es): "
                         f"{took:.2f} s ({took * 1000 / count:.1f} ms per file), "
                         f"{len(reg.rows)} rows, {len(reg.flags)} flags")
        start = time.perf_counter()
        write_register(reg, Path(tmp) / "register.xlsx")
        size = (Path(tmp) / "register.xlsx").stat().st_size
        lines.append(f"  write_register .xlsx: {time.perf_counter() - start:.2f} s "
                     f"({size / 1024:.0f} KiB)")
        lines += _libreoffice_alternative(folder, per_file[1])
    return lines


def _libreoffice_alternative(folder: Path, register_per_file: float) -> list[str]:
    """The alternative to reading the figures: open (recalculate) each workbook in a
    spreadsheet program, LibreOffice headless here, one process for the lot."""
    from aijri_xl.workbook.libreoffice import recalculate, soffice

    workbooks = sorted(folder.glob("*.xlsx"))
    if soffice() is None or not workbooks:
        return ["  (LibreOffice not installed: no comparison)"]
    with tempfile.TemporaryDirectory(prefix="aijri-bench-lo-") as out:
        start = time.perf_counter()
        recalculate(workbooks, Path(out))
        took = (time.perf_counter() - start) / len(workbooks)
    return [f"  LibreOffice recalculating the {len(workbooks)} workbooks: {took * 1000:.0f} ms "
            f"per workbook; the register reads and verifies a file "
            f"{took / register_per_file:.0f}x faster (one process)"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--portfolio", type=int, default=60,
                        help="demonstration portfolio size (0: skip)")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    print(f"register on {os.cpu_count()} cores")
    measure(tuple(args.counts), args.jobs)
    if args.portfolio:
        for line in portfolio(args.portfolio, args.jobs):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
