"""Where a large register keeps what it does not need in memory: a spool on disk.

A register of 100,000 assessments holds, per row, the assessment's data (for the
agreement between assessors and the ``data`` of a row), its §4 result fields, and per
role scored by several assessors the agreement found; kept as Python objects these take
kilobytes a row. :class:`Spool` writes each such record once to an unnamed temporary
file (deleted when the register is) and reads it back by its offset when it is asked
for, so that the register's memory is a small row per assessment whatever it holds.
:class:`Spooled` is a read-only sequence of records kept there (the agreement of every
role), read one at a time.
"""

from __future__ import annotations

import pickle
import struct
import tempfile
from array import array
from collections.abc import Iterator, Sequence
from typing import IO, Any, overload

_LENGTH = struct.Struct("<Q")


class Spool:
    """Records appended to a temporary file, each read back by the offset :meth:`put`
    gave it. Records are pickled: exact for floats and fractions, private to the
    process (the file is unnamed and removed when the spool is closed or collected)."""

    def __init__(self) -> None:
        self._file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (lives with self)
        self._end = 0

    def put(self, record: Any) -> int:
        data = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
        at = self._end
        self._file.seek(at)
        self._file.write(_LENGTH.pack(len(data)))
        self._file.write(data)
        self._end = at + _LENGTH.size + len(data)
        return at

    def get(self, at: int) -> Any:
        self._file.seek(at)
        (size,) = _LENGTH.unpack(self._file.read(_LENGTH.size))
        return pickle.loads(self._file.read(size))

    def close(self) -> None:
        self._file.close()

    def __getstate__(self) -> None:
        raise TypeError("a register's spool stays in the process that made it")


class Spooled(Sequence[Any]):
    """A read-only sequence of records in a :class:`Spool` (one offset each in memory)."""

    def __init__(self, spool: Spool) -> None:
        self._spool = spool
        self._at = array("q")

    def append(self, record: Any) -> None:
        self._at.append(self._spool.put(record))

    def __len__(self) -> int:
        return len(self._at)

    @overload
    def __getitem__(self, index: int) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self._spool.get(at) for at in self._at[index]]
        return self._spool.get(self._at[index])

    def __iter__(self) -> Iterator[Any]:
        for at in self._at:
            yield self._spool.get(at)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Spooled | list | tuple):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other,
                                                                           strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<{len(self)} records on disk>"
