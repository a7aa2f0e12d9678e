"""The per-file work of a batch, wherever it runs: in this process, a pool worker or a
Dask worker (:func:`run_batch`), and reading a file by path or fsspec URL."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

from aijri_xl._record import dataclass
from aijri_xl.verify.filereport import FileReport, failed, verify_one

BATCH = 32
"""Files per task: enough to make the cost of a task (pickling, a round trip to a worker)
small beside the work, few enough to keep every worker busy to the end."""

IN_FLIGHT_PER_WORKER = 4
"""Batches submitted ahead per worker: keeps workers fed without holding the whole run."""

MAX_SOURCE_BYTES = 64 * 1024 * 1024
"""Larger files are left to the loader, which refuses them without reading them."""

Transform = Callable[[FileReport], FileReport]
"""A function applied to each report where it was made (in the worker), before it travels:
e.g. the register keeps only what it needs of the assessment."""


def is_url(name: str) -> bool:
    """Whether ``name`` is an fsspec URL (``s3://``, ``memory://``, ``file://``...)."""
    scheme, sep, _ = name.partition("://")
    return bool(sep) and scheme.replace("+", "").replace("-", "").isalnum() and len(scheme) > 1


def read_source(name: str) -> bytes:
    """The bytes of a local file or of an fsspec URL."""
    if is_url(name):
        import fsspec

        with fsspec.open(name, "rb") as handle:
            data: bytes = handle.read(MAX_SOURCE_BYTES + 1)
            return data
    with open(name, "rb") as handle:
        return handle.read(MAX_SOURCE_BYTES + 1)


def digest(data: bytes) -> str:
    """The content hash a cache keys a file by."""
    import hashlib

    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a task returns for one file: its content hash (``None`` when it was not
    hashed) and its report (``None`` when the hash matched the known one: reuse it)."""

    digest: str | None
    report: FileReport | None


def run_batch(names: Sequence[str], known: Sequence[str | None] | None, keep_data: bool,
              transform: Transform | None = None) -> list[Outcome]:
    """The per-file work of one task, wherever it runs. ``known`` is, per file, the hash
    of the bytes an earlier run verified (``None``: none), or ``None`` for no cache at
    all: then local files are verified by path and not hashed."""
    out = []
    for i, name in enumerate(names):
        want = known[i] if known is not None else None
        if known is None and not is_url(name):
            report = verify_one(name, keep_data)
            out.append(Outcome(None, transform(report) if transform else report))
            continue
        data = _read(name)
        if isinstance(data, FileReport):  # not readable: the loader's own finding
            out.append(Outcome(None, transform(data) if transform else data))
            continue
        key = digest(data)
        if want is not None and key == want:
            out.append(Outcome(key, None))
            continue
        report = verify_one(name, keep_data, data)
        out.append(Outcome(key, transform(report) if transform else report))
    return out


def _read(name: str) -> bytes | FileReport:
    if not is_url(name):
        try:
            if not os.path.isfile(name) or os.path.getsize(name) > MAX_SOURCE_BYTES:
                return verify_one(name)  # the loader says why (no such file, too large)
            return read_source(name)
        except OSError:
            return verify_one(name)
    try:
        return read_source(name)
    except FileNotFoundError:
        return failed(name, "AIJ-F201", f"{name}: no such file")
    except Exception as exc:  # a URL's own errors: network, credentials, a bad scheme
        return failed(name, "AIJ-F201", f"{name}: cannot be read ({type(exc).__name__}: "
                       f"{exc})")


