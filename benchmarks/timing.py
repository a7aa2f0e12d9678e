"""Timing helpers the benchmark scripts share (``python benchmarks/x.py`` puts this folder
on the path, so a script imports it as ``from timing import per_call``)."""

from __future__ import annotations

import inspect
import statistics
import time
from collections.abc import Callable


def per_call(fn: Callable[[], object], repeat: int) -> float:
    """Median seconds of one call over ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_kib() -> int:
    """This process's peak resident memory in KiB since it was started (VmHWM: reset when
    the process image is replaced, where ru_maxrss keeps the peak of the process that
    forked it)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


PEAK_RSS = inspect.getsource(peak_kib) + "\n"
"""Source of :func:`peak_kib`, for the scripts a benchmark runs in a fresh interpreter."""
