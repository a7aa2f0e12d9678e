"""Verifying on a Dask distributed cluster, when one machine is not enough.

``aijri verify --scheduler ADDRESS`` (or the ``DASK_SCHEDULER_ADDRESS`` environment
variable) sends the same per-file work as a local run (:func:`.tasks.run_batch`) to the
cluster's workers, one task per batch of files, and gets the reports back in the order of
the files. Workers need ``aijri-xl`` installed and the files reachable under the names
given: a shared folder, or fsspec URLs of object storage (``s3://...``, ``gcs://...``)
with the credentials the workers already have. Needs the extra ``pip install
'aijri-xl[dask]'``.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from aijri_xl.verify.tasks import IN_FLIGHT_PER_WORKER, Outcome, Transform, run_batch

SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"
TIMEOUT_ENV = "AIJRI_SCHEDULER_TIMEOUT"
CONNECT_TIMEOUT_S = 10.0
"""How long to wait for the scheduler to answer (seconds), unless ``AIJRI_SCHEDULER_TIMEOUT``
says otherwise: Dask retries a refused connection until then."""


class ClusterError(RuntimeError):
    """The cluster cannot be used: the extra is not installed, or no scheduler answers."""


def scheduler_address(given: str | None) -> str | None:
    """The scheduler to use: the one given, else ``DASK_SCHEDULER_ADDRESS``, else none."""
    return given or os.environ.get(SCHEDULER_ENV) or None


def connect_timeout() -> float:
    """Seconds to wait for the scheduler: ``AIJRI_SCHEDULER_TIMEOUT`` or the default."""
    given = os.environ.get(TIMEOUT_ENV, "").strip()
    if not given:
        return CONNECT_TIMEOUT_S
    try:
        seconds = float(given)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < float("inf"):
        raise ClusterError(f"{TIMEOUT_ENV}={given!r} is not a number of seconds above 0")
    return seconds


def _client(address: str) -> Any:
    timeout = connect_timeout()
    try:
        from distributed import Client
    except ImportError as exc:
        raise ClusterError("running on a cluster needs Dask: pip install 'aijri-xl[dask]'"
                           ) from exc
    try:
        return Client(address, timeout=f"{timeout}s", set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"no Dask scheduler answers at {address}: {exc}") from exc


def submit_batches(address: str, batches: Sequence[list[str]],
                   known_of: Callable[[list[str]], list[str | None] | None], keep_data: bool,
                   transform: Transform | None = None
                   ) -> Iterator[tuple[list[str], list[Outcome]]]:
    """Run :func:`run_batch` on each batch on the cluster at ``address``; yield each batch
    with its outcomes in the order given, keeping a few batches per worker in flight."""
    client = _client(address)
    try:
        workers = max(1, sum(client.nthreads().values()))
        ahead = workers * IN_FLIGHT_PER_WORKER
        pending: deque[tuple[list[str], Any]] = deque()
        queue = iter(batches)

        def submit(group: list[str]) -> None:
            pending.append((group, client.submit(run_batch, group, known_of(group),
                                                 keep_data, transform, pure=False)))

        for group in queue:
            submit(group)
            if len(pending) >= ahead:
                break
        while pending:
            group, future = pending.popleft()
            outcomes = future.result()
            future.release()
            nxt = next(queue, None)
            if nxt is not None:
                submit(nxt)
            yield group, outcomes
    finally:
        client.close()
