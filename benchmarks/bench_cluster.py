"""Benchmark: the same verification on a Dask LocalCluster as on this machine's pool.

Starts a LocalCluster (``--workers`` worker processes, default 2, one thread each, bound
to 127.0.0.1, no dashboard), writes the demonstration portfolio (``--count`` files:
YAML, JSON, workbooks, reports), verifies it locally (one process, and a pool of as many
processes as the cluster has workers) and on the cluster (batches of files per task), for
local paths and for ``file://`` URLs, and prints the throughput of each and whether every
file's result is the same in all three. Needs the ``[dask]``
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
from collections.abc import Callable
from pathlib import Path
from typing import Any


def measure(count: int = 400, workers: int = 2,
            out: Callable[[str], None] = print) -> dict[str, Any]:
    """Each line given to ``out``; returns, per form of the names (``paths``, ``file://
    URLs``), the files, how many results equal the local run's, the seconds of each run
    and the load average."""
    from distributed import LocalCluster

    from aijri_xl.catalogue.samples import write_portfolio
    from aijri_xl.sources import SUFFIXES
    from aijri_xl.verify.runner import collect_names, stream

    figures: dict[str, Any] = {}
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
            pooled = [r.to_dict() for r in stream(names, workers)]
            start = time.perf_counter()
            remote = [r.to_dict() for r in stream(names, scheduler=cluster.scheduler_address)]
            remote_s = time.perf_counter() - start
            same = sum(a == b == c for a, b, c in zip(local, pooled, remote, strict=True))
            figures[label] = {"files": len(names), "same": same, "local_s": local_s,
                              "cluster_s": remote_s, "load": os.getloadavg()[0]}
            out(
                f"  {len(names)} files as {label}: one local process {local_s:.1f} s "
                f"({len(names) / local_s:.0f} files/s); LocalCluster of {workers} worker "
                f"processes {remote_s:.1f} s ({len(names) / remote_s:.0f} files/s); "
                f"{same}/{len(names)} results equal to the local runs' (one process and a "
                f"pool of {workers}){'' if same == len(names) else ' (DIFFERENT)'}; load "
                f"average {figures[label]['load']:.2f}")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    print("Dask LocalCluster against the local run")
    measure(args.count, args.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
