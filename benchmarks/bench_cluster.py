"""Benchmark: the same verification on a Dask LocalCluster as on this machine's pool.

Starts a LocalCluster (``--workers`` worker processes, default 2, one thread each, bound
to 127.0.0.1, no dashboard), writes the demonstration portfolio (``--count`` files:
YAML, JSON, workbooks, reports), verifies it locally (one process) and on the cluster
(batches of files per task), for local paths and for ``file://`` URLs, and prints the
throughput of each and whether every file's result is the same. Needs the ``[dask]``
extra. From the throughput per worker process follows how many workbooks an hour a
machine of N cores verifies: ``N x workbooks/s per process x 3600``.

Run: ``python benchmarks/bench_cluster.py [--count 400] [--workers 2]``. Not a test.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path


def measure(count: int = 400, workers: int = 2) -> list[str]:
    from distributed import LocalCluster

    from aijri_xl.catalogue.samples import write_portfolio
    from aijri_xl.sources import SUFFIXES
    from aijri_xl.verify.runner import collect_names, stream

    lines = []
    with tempfile.TemporaryDirectory(prefix="aijri-cluster-") as tmp, LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
            host="127.0.0.1", silence_logs=40) as cluster:
        folder = Path(tmp) / "portfolio"
        write_portfolio(folder, count)
        for label, root in (("paths", str(folder)), ("file:// URLs", folder.as_uri())):
            names, _ = collect_names([root], SUFFIXES)
            start = time.perf_counter()
            local = [r.to_dict() for r in stream(names, 1)]
            local_s = time.perf_counter() - start
            start = time.perf_counter()
            remote = [r.to_dict() for r in stream(names, scheduler=cluster.scheduler_address)]
            remote_s = time.perf_counter() - start
            same = sum(a == b for a, b in zip(local, remote, strict=True))
            lines.append(
                f"  {len(names)} files as {label}: one local process {local_s:.1f} s "
                f"({len(names) / local_s:.0f} files/s); LocalCluster of {workers} worker "
                f"processes {remote_s:.1f} s ({len(names) / remote_s:.0f} files/s); "
                f"{same}/{len(names)} results equal to the local run's"
                f"{'' if same == len(names) else ' (DIFFERENT)'}; load average "
                f"{os.getloadavg()[0]:.2f}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    print("Dask LocalCluster against the local run")
    for line in measure(args.count, args.workers):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
