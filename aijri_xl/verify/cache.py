"""The result cache of incremental audits: earlier reports of files whose bytes are unchanged.

``aijri verify --cache DIR`` and ``aijri register --cache DIR`` keep one SQLite file,
``DIR/aijri-cache.sqlite`` (the folder is created if needed). It holds, per file name and
per use (a verification, or a register's reading), the SHA-256 of the bytes that were
verified, the method and package version that verified them, and the report as JSON. A
file is reused only when all four agree: the same name (reports name their file), the
same bytes, the same method, the same package version; anything else is verified again
and its entry replaced, so the cache holds one entry per file and never grows past the
folder it serves. To clear it, delete the file (or the folder); nothing else refers to it.
Only the process that runs the audit opens it: workers, local or on a cluster, hash the
bytes they read and are told which hash each file had last time.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from aijri_xl._record import as_dict, field_names
from aijri_xl.verify.filereport import FileReport

CACHE_FILE = "aijri-cache.sqlite"
COMMIT_EVERY = 500
"""Entries written per transaction (an interrupted run keeps what it committed)."""

_FIELDS = field_names(FileReport)


def _stamp() -> str:
    from aijri_xl._version import __version__
    from aijri_xl.method.parameters import METHOD

    return f"{METHOD}|{__version__}"


class Cache:
    """Reports by (file name, use), valid for one content hash, method and version."""

    def __init__(self, folder: str | Path, use: str = "verify") -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = self.folder / CACHE_FILE
        self.use = use
        self.stamp = _stamp()
        self.hits = 0
        self.misses = 0
        self._pending = 0
        self._db = sqlite3.connect(self.path)
        self._db.execute("CREATE TABLE IF NOT EXISTS reports (name TEXT NOT NULL, use TEXT "
                         "NOT NULL, digest TEXT NOT NULL, stamp TEXT NOT NULL, report TEXT "
                         "NOT NULL, PRIMARY KEY (name, use))")
        self._db.commit()

    def known(self, names: Sequence[str]) -> list[str | None]:
        """Per name, the hash of the bytes whose report the cache holds under this method
        and version (``None``: none)."""
        found: dict[str, str] = {}
        for start in range(0, len(names), 500):
            part = list(names[start:start + 500])
            marks = ",".join("?" * len(part))
            rows = self._db.execute(
                f"SELECT name, digest FROM reports WHERE use = ? AND stamp = ? AND name IN "
                f"({marks})", [self.use, self.stamp, *part])
            found.update(rows)
        return [found.get(n) for n in names]

    def get(self, name: str, digest: str) -> FileReport:
        """The cached report of ``name`` for the bytes hashed ``digest``."""
        row = self._db.execute("SELECT report FROM reports WHERE name = ? AND use = ? AND "
                               "digest = ? AND stamp = ?", (name, self.use, digest,
                                                            self.stamp)).fetchone()
        if row is None:  # the worker was told of an entry that is gone: a defect
            raise KeyError(f"{name}: no cached report for {digest}")
        self.hits += 1
        data = json.loads(row[0])
        if isinstance(data.get("sensitivity"), list):
            data["sensitivity"] = tuple(data["sensitivity"])
        return FileReport(**{k: data[k] for k in _FIELDS if k in data})

    def put(self, name: str, digest: str, report: FileReport) -> None:
        """Record the report of ``name`` (replacing any earlier one)."""
        self.misses += 1
        self._db.execute("INSERT OR REPLACE INTO reports VALUES (?, ?, ?, ?, ?)",
                         (name, self.use, digest, self.stamp,
                          json.dumps(as_dict(report), ensure_ascii=False)))
        self._pending += 1
        if self._pending >= COMMIT_EVERY:
            self.commit()

    def commit(self) -> None:
        self._db.commit()
        self._pending = 0

    def close(self) -> None:
        self.commit()
        self._db.close()

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
