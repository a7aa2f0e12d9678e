"""Running the per-file work over many files, and streaming the reports back in order.

One engine behind ``aijri verify`` and ``aijri register``: the files (local paths or
fsspec URLs such as ``s3://bucket/folder/book.xlsx`` or ``file:///data/book.xlsx``) go in
batches of up to :data:`BATCH` files per task to this process, a local process pool
(batches sized by :func:`guided_batches`) or a Dask distributed cluster
(:mod:`.cluster`), and :func:`stream` yields one
:class:`~aijri_xl.verify.audit.FileReport` per file, in the order of the files, as the
batches finish. At most a few batches per worker are in flight, so memory does not grow
with the number of files. With a :class:`~aijri_xl.verify.cache.Cache`, a file whose
bytes (and name) are those of an earlier run, under the same method and package version,
is not read again: its earlier report is reused.
"""

from __future__ import annotations

import itertools
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from aijri_xl.sources import SUFFIXES
from aijri_xl.verify.filereport import FileReport, failed, settle, skip_reason
from aijri_xl.verify.tasks import (
    BATCH,
    IN_FLIGHT_PER_WORKER,
    Outcome,
    Transform,
    is_url,
    run_batch,
)
from aijri_xl.verify.walk import walk

if TYPE_CHECKING:
    from aijri_xl.verify.cache import Cache

_T = TypeVar("_T")
_R = TypeVar("_R")

def collect_names(paths: Iterable[str | Path],
                  suffixes: frozenset[str] = SUFFIXES,
                  skipped: list[tuple[str, str]] | None = None
                  ) -> tuple[list[str], list[FileReport]]:
    """:func:`~aijri_xl.verify.audit.collect` for local paths and fsspec URLs alike: files
    as named, folders searched recursively for files ending in ``suffixes``, globs
    expanded; each file once, in a stable order; a path matching nothing is a failed
    report of its own."""
    names: list[str] = []
    problems: list[FileReport] = []
    seen: set[str] = set()
    for raw in paths:
        text = str(raw)
        if is_url(text):
            urls, problem = _collect_url(text, suffixes)
            found = [(u, u) for u in urls]
        else:
            walked = walk([raw], suffixes)
            if skipped is not None:
                skipped.extend(walked.skipped)
            found = [(str(p), key) for p, key in zip(walked.files, walked.keys, strict=True)]
            problem = failed(*walked.problems[0]) if walked.problems else None
        if problem is not None:
            problems.append(problem)
        for name, key in found:
            if key not in seen:
                seen.add(key)
                names.append(name)
    return names, problems


def _collect_url(url: str, suffixes: frozenset[str]) -> tuple[list[str], FileReport | None]:
    try:
        import fsspec
    except ImportError:
        return [], failed(url, "AIJ-F201", f"{url}: reading URLs needs fsspec: pip install "
                           "'aijri-xl[dask]'")
    try:
        fs, path = fsspec.core.url_to_fs(url)
        if any(ch in path for ch in "*?["):
            hits = [p for p in sorted(fs.glob(path)) if fs.isfile(p)]
            what = "no assessment files match"
        elif fs.isdir(path):
            hits = sorted(fs.find(path))
            what = "the folder holds no " + ", ".join(sorted(suffixes)) + " files"
        else:
            return [url], None  # a file; if it is missing, reading it says so
    except Exception as exc:  # the store's own errors: network, credentials, a bad URL
        return [], failed(url, "AIJ-F201", f"{url}: cannot be listed ({type(exc).__name__}"
                           f": {exc})")
    found = [fs.unstrip_protocol(p) for p in hits
             if skip_reason(Path(p), suffixes, read_marks=False) is None]
    return found, (None if found else failed(url, "AIJ-F201", f"{url}: {what}"))


def _batches(names: Sequence[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(names), size):
        yield list(names[start:start + size])


def guided_batches(names: Sequence[str], size: int, workers: int) -> Iterator[list[str]]:
    """``names`` in order, in batches for a pool of ``workers``: the first batch of each
    worker is one file and each next one twice as large, up to ``size`` (the first
    reports come back after one file, not after a full batch, and every worker starts at
    once); then ``size``; and at the end, as files run out, a share of what is left
    (each worker's last batch is small, so that none waits long for the others)."""
    at, total = 0, len(names)
    ramp, made = 1, 0
    while at < total:
        left = total - at
        step = max(1, min(size, ramp, -(-left // (workers * IN_FLIGHT_PER_WORKER))))
        yield list(names[at:at + step])
        at += step
        made += 1
        if made % max(1, workers) == 0:
            ramp *= 2


def _init_worker() -> None:
    """The process pool is the parallelism: formula engines in a worker use one thread;
    then what verifying needs is imported and kept out of the garbage collector's way."""
    os.environ.setdefault("RAYON_NUM_THREADS", "1")
    settle()


def stream(files: Sequence[str | Path], jobs: int | None = None, *, keep_data: bool = False,
           cache: Cache | None = None, scheduler: str | None = None,
           transform: Transform | None = None, batch: int = BATCH,
           progress: Callable[[int, int], None] | None = None) -> Iterator[FileReport]:
    """Verify ``files`` and yield one report per file, in their order, as they finish:
    in this process (``jobs`` 1, or few files), a pool of ``jobs`` processes (default:
    every core), or the Dask cluster at ``scheduler``. ``cache`` reuses earlier reports of
    unchanged files and records the new ones; ``transform`` as :data:`Transform`."""
    names = [str(f) for f in files]
    total = len(names)

    def known_of(group: list[str]) -> list[str | None] | None:
        return cache.known(group) if cache is not None else None

    if scheduler:
        from aijri_xl.verify.cluster import submit_batches

        results: Iterator[tuple[list[str], list[Outcome]]] = submit_batches(
            scheduler, list(_batches(names, max(1, batch))), known_of, keep_data, transform)
    else:
        workers = max(1, jobs or os.cpu_count() or 1)
        if workers == 1 or total < 4:
            if total > 1:
                settle()
            results = ((g, run_batch(g, known_of(g), keep_data, transform))
                       for g in _batches(names, max(1, batch)))
        else:
            results = _pooled(guided_batches(names, max(1, batch), workers), workers,
                              known_of, keep_data, transform)
    done = 0
    for group, outcomes in results:
        for name, outcome in zip(group, outcomes, strict=True):
            report = outcome.report
            if report is None:
                assert cache is not None and outcome.digest is not None
                report = cache.get(name, outcome.digest)
            elif cache is not None and outcome.digest is not None:
                cache.put(name, outcome.digest, report)
            done += 1
            if progress:
                progress(done, total)
            yield report
    if cache is not None:
        cache.commit()


def _pooled(batches: Iterable[list[str]], workers: int,
            known_of: Callable[[list[str]], list[str | None] | None], keep_data: bool,
            transform: Transform | None) -> Iterator[tuple[list[str], list[Outcome]]]:
    from concurrent.futures import Future, ProcessPoolExecutor

    ahead = workers * IN_FLIGHT_PER_WORKER
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker) as pool:
        pending: deque[tuple[list[str], Future[list[Outcome]]]] = deque()
        queue = iter(batches)
        for group in queue:
            pending.append((group, pool.submit(run_batch, group, known_of(group), keep_data,
                                               transform)))
            if len(pending) >= ahead:
                break
        while pending:
            group, future = pending.popleft()
            outcomes = future.result()
            nxt = next(queue, None)
            if nxt is not None:
                pending.append((nxt, pool.submit(run_batch, nxt, known_of(nxt), keep_data,
                                                 transform)))
            yield group, outcomes



def ordered_map(fn: Callable[[_T], _R], items: Iterable[_T], workers: int,
                initializer: Callable[[], Any] | None = None) -> Iterator[_R]:
    """``map(fn, items)`` on a pool of ``workers`` processes, the results in the order of
    the items, with a few items per worker in flight: neither the items nor the results
    are all held at once (the register's agreement of thousands of roles)."""
    from concurrent.futures import Future, ProcessPoolExecutor

    ahead = workers * IN_FLIGHT_PER_WORKER
    with ProcessPoolExecutor(max_workers=workers, initializer=initializer) as pool:
        pending: deque[Future[_R]] = deque()
        queue = iter(items)
        for item in queue:
            pending.append(pool.submit(fn, item))
            if len(pending) >= ahead:
                break
        while pending:
            result = pending.popleft().result()
            for item in itertools.islice(queue, 1):
                pending.append(pool.submit(fn, item))
            yield result
