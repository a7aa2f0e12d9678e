"""Every speed and scale target, measured in one go, with one summary table at the end.

The parts, each also a script of its own, in this order:

1. start-up (``bench_startup.py``): ``aijri --help`` against ``python -c pass``, and
   ``aijri verify`` of one workbook, each in a fresh interpreter;
2. verify (``bench_verify.py``): CPU per workbook over ``--verify-count`` workbooks (1,000)
   on one core (median, min, max), and LibreOffice recalculating ``--lo-count`` (20);
3. batch (``bench_batch.py``): ``aijri verify FOLDER --jobs 2 --report audit.jsonl`` over
   ``--batch-count`` workbooks (10,000), ``--batch-runs`` times (3), after one run of a
   tenth of them: wall time, whether the report was written as the files were verified,
   the main process's peak memory at both sizes;
4. register (``bench_register.py``): ``build_register`` over ``--register-counts``
   generated assessments (10,000 and 100,000) in a fresh process: wall time and peak
   memory; then the calibration step alone at ``--calibration-counts`` (10,000, 40,000,
   100,000) and how its time grows;
5. cluster (``bench_cluster.py``): a Dask LocalCluster against the local runs, file for
   file, for paths and ``file://`` URLs.

The table gives each target, the figure measured (median, min and max where a figure is
measured more than once), whether it is met, and the 1-minute load average while it was
measured: on a shared machine a missed time target may be the load, not the code.

Run: ``python benchmarks/run_all.py`` (about 20 minutes on two cores);
``--quick`` takes a tenth of every size (a few minutes); ``--only batch register`` runs
some parts. Not a test: figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

PARTS = ("startup", "verify", "batch", "register", "cluster")

Row = tuple[str, str, bool | None, str]
"""One line of the summary: the target, the figure measured, met (``None``: not
measured), the load average while it was measured."""


def _load() -> str:
    return f"{os.getloadavg()[0]:.2f}"


def _spread(values: Sequence[float], unit: str, digits: int = 1) -> str:
    """``median X unit (min, max)``, or the one value."""
    if len(values) == 1:
        return f"{values[0]:.{digits}f} {unit}"
    return (f"median {statistics.median(values):.{digits}f} {unit} (min "
            f"{min(values):.{digits}f}, max {max(values):.{digits}f}, {len(values)} runs)")


def startup(args: argparse.Namespace, out: Callable[[str], None]) -> list[Row]:
    import bench_startup

    times = bench_startup.measure(args.startup_runs)
    for line in bench_startup.report(times):
        out(line)
    load = _load()
    floor = statistics.median(times["python -c pass"])
    help_ms = times["aijri --help"]
    verify_ms = times["aijri verify one.xlsx"]
    ratio = statistics.median(help_ms) / floor
    return [
        ("aijri --help within 2x of python -c pass",
         f"{ratio:.2f}x: {_spread(help_ms, 'ms')} against {floor:.1f} ms", ratio <= 2, load),
        ("aijri verify of one workbook < 90 ms", _spread(verify_ms, "ms"),
         statistics.median(verify_ms) < 90, load),
    ]


def verify(args: argparse.Namespace, out: Callable[[str], None]) -> list[Row]:
    import bench_verify

    f = bench_verify.measure(args.verify_count, args.lo_count, args.jobs, out=out)
    cpu = f["cpu_ms"]
    median = statistics.median(cpu)
    load = f"{f['load']:.2f}"
    rows: list[Row] = [(
        f"verify CPU per workbook <= 8 ms (median over {len(cpu):,})",
        f"median {median:.2f} ms (min {min(cpu):.2f}, max {max(cpu):.2f})", median <= 8, load)]
    if f["lo_cpu_ms"] is None:
        rows.append(("ratio to LibreOffice >= 50x", "not measured (no soffice, or "
                     "--lo-count 0)", None, load))
    else:
        ratio = f["lo_cpu_ms"] / median
        rows.append(("ratio to LibreOffice >= 50x (CPU per workbook)",
                     f"{ratio:.2f}x: LibreOffice {f['lo_cpu_ms']:.0f} ms CPU "
                     f"({f['lo_wall_ms']:.0f} ms wall) over {f['lo_count']} workbooks",
                     ratio >= 50, load))
    return rows


def batch(args: argparse.Namespace, out: Callable[[str], None]) -> list[Row]:
    import bench_batch

    count = args.batch_count
    small = max(1, count // 10)
    f = bench_batch.measure(count, args.jobs, args.batch_distinct, (small,), args.batch_runs,
                            out=out)
    runs = f["runs"]
    walls = [s["wall"] for s in runs]
    loads = [s["load_before"] for s in runs] + [s["load_after"] for s in runs]
    load = f"{min(loads):.2f}-{max(loads):.2f}"
    first = runs[0]
    peak_small = f["sizes"][small]["main_kib"] / 1024
    peak = max(s["main_kib"] for s in runs) / 1024
    streamed = all(s["rows"] == count and s["first_line_s"] < s["wall"] / 2 for s in runs)
    per_file = (peak - peak_small) * 1024 * 1024 / (count - small) if count > small else 0.0
    return [
        (f"{count:,} workbooks < 60 s with --jobs {args.jobs} (met: at best)",
         _spread(walls, "s") + f"; {statistics.median(s['cpu'] for s in runs) * 1000 / count:.1f}"
         " ms CPU per workbook", min(walls) < 60, load),
        ("report streamed: JSON Lines as files are verified",
         f"first line after {first['first_line_s']:.1f} s of {first['wall']:.0f} s, "
         f"{100 * first['share_at_half']:.0f}% at half time, {first['rows']:.0f} lines",
         streamed, load),
        ("main process keeps no report: growth <= 1 KiB a file (the names)",
         f"peak {peak_small:.0f} MiB at {small:,}, {peak:.0f} MiB at {count:,}: "
         f"{per_file:.0f} bytes a file", per_file <= 1024, load),
    ]


def register(args: argparse.Namespace, out: Callable[[str], None]) -> list[Row]:
    import bench_register

    f = bench_register.measure(tuple(args.register_counts), args.jobs,
                               tuple(args.calibration_counts), out=out)
    rows: list[Row] = []
    builds = f["builds"]
    if builds:
        largest = max(builds)
        s = builds[largest]
        peak = s["main_kib"] / 1024
        per_row = f.get("bytes_per_row")
        growth = f"; {per_row:.0f} bytes per row added" if per_row is not None else ""
        rows.append((
            f"register of {largest:,} assessments in bounded memory (peak <= "
            f"{args.register_peak_mib} MiB, <= 2 KiB a row)",
            f"{s['built']:.0f} s, peak {peak:.0f} MiB (largest worker "
            f"{s['worker_kib'] / 1024:.0f} MiB){growth}",
            peak <= args.register_peak_mib and (per_row is None or per_row <= 2048),
            f"{s['load_before']:.2f}-{s['load_after']:.2f}"))
    times = f["assemble"]
    if len(times) > 1:
        lo, hi = min(times), max(times)
        ratio = times[hi] / times[lo]
        per_row = {n: times[n] / n * 1e6 for n in sorted(times)}
        rows.append((
            "the register's calibration linear (time per row within 1.5x)",
            ", ".join(f"{times[n]:.2f} s at {n:,}" for n in sorted(times))
            + f"; {ratio:.1f}x for {hi / lo:.0f}x the rows",
            max(per_row.values()) <= 1.5 * per_row[lo], _load()))
    return rows


def cluster(args: argparse.Namespace, out: Callable[[str], None]) -> list[Row]:
    try:
        import bench_cluster

        f = bench_cluster.measure(args.cluster_count, args.jobs, out=out)
    except ImportError as exc:
        return [("LocalCluster results equal to the local runs'",
                 f"not measured ({exc}; pip install 'aijri-xl[dask]')", None, _load())]
    same = all(v["same"] == v["files"] for v in f.values())
    return [("LocalCluster results equal to the local runs'",
             "; ".join(f"{v['same']}/{v['files']} as {k}" for k, v in f.items()), same,
             f"{max(v['load'] for v in f.values()):.2f}")]


def table(rows: Sequence[Row]) -> list[str]:
    """The summary as a plain-text table."""
    heads = ("target", "measured", "result", "load")
    cells = [(t, m, "n/a" if ok is None else "met" if ok else "MISSED", load)
             for t, m, ok, load in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(heads)]
    line = "  ".join("-" * w for w in widths)
    return ["  ".join(h.ljust(w) for h, w in zip(heads, widths, strict=True)), line,
            *("  ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True))
              for cell in cells)]


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true",
                   help="a tenth of every size (and 7 start-up runs, one batch run)")
    p.add_argument("--only", nargs="+", choices=PARTS, default=list(PARTS), metavar="PART",
                   help="run only these parts: " + ", ".join(PARTS))
    p.add_argument("--jobs", type=int, default=2, help="processes (and cluster workers)")
    p.add_argument("--startup-runs", type=int, default=21)
    p.add_argument("--verify-count", type=int, default=1000)
    p.add_argument("--lo-count", type=int, default=20)
    p.add_argument("--batch-count", type=int, default=10_000)
    p.add_argument("--batch-distinct", type=int, default=500)
    p.add_argument("--batch-runs", type=int, default=3)
    p.add_argument("--register-counts", type=int, nargs="*", default=[10_000, 100_000])
    p.add_argument("--register-peak-mib", type=int, default=256,
                   help="the register's bound on peak memory (MiB)")
    p.add_argument("--calibration-counts", type=int, nargs="*",
                   default=[10_000, 40_000, 100_000])
    p.add_argument("--cluster-count", type=int, default=400)
    args = p.parse_args(argv)
    if args.quick:
        given = set(argv if argv is not None else sys.argv[1:])

        def tenth(name: str, value: Any) -> Any:
            if any(g.startswith("--" + name.replace("_", "-")) for g in given):
                return value
            if isinstance(value, list):
                return [max(1, v // 10) for v in value]
            return max(1, value // 10)

        for name in ("verify_count", "lo_count", "batch_count", "batch_distinct",
                     "register_counts", "calibration_counts", "cluster_count"):
            setattr(args, name, tenth(name, getattr(args, name)))
        if "--startup-runs" not in given:
            args.startup_runs = 7
        if "--batch-runs" not in given:
            args.batch_runs = 1
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    begin = time.perf_counter()
    print(f"{os.cpu_count()} cores; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    runners = {"startup": startup, "verify": verify, "batch": batch, "register": register,
               "cluster": cluster}
    rows: list[Row] = []
    for number, part in enumerate((p for p in PARTS if p in args.only), 1):
        print(f"{number}. {part}", flush=True)
        start = time.perf_counter()
        rows += runners[part](args, lambda line: print(line, flush=True))
        print(f"   ({time.perf_counter() - start:.0f} s)", flush=True)
    print()
    print(f"summary ({os.cpu_count()} cores; all in {time.perf_counter() - begin:.0f} s; "
          f"load average now {' '.join(f'{x:.2f}' for x in os.getloadavg())})")
    for line in table(rows):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
