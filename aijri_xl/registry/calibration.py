"""The register's calibration view and the peers its assessments quote, in linear time and
without an object per row held in memory.

:class:`PeerIndex` counts, once, the final scores (one decimal) of every role the
register holds, by the slugs of its id and title; a quoted peer is looked up there
(:meth:`PeerIndex.checks`), so checking every quote is linear. :class:`Calibration` is
the scored assessments, highest final score first, each between the nearest assessment
of another role below and above it; it keeps the order and the two neighbours as arrays
and makes each :class:`~aijri_xl.registry.model.CalibrationEntry` when it is read.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from typing import overload

from aijri_xl.house.reader import slug
from aijri_xl.method.findings import Finding
from aijri_xl.registry.model import (
    CalibrationEntry,
    Flag,
    PeerCheck,
    RegisterRow,
    _files,
    _one_decimal,
    _who,
)


class PeerIndex:
    """The scored rows of every role by slug, and the scores each holds, counted."""

    def __init__(self, rows: Sequence[RegisterRow]) -> None:
        self.rows = rows
        self.by_slug: dict[str, array[int]] = {}
        self.counted: dict[str, dict[float, int]] = {}
        for j, r in enumerate(rows):
            if r.final_score is None:
                continue
            score = _one_decimal(r.final_score)
            for key in {slug(r.role_id), slug(r.role)} - {""}:
                members = self.by_slug.get(key)
                if members is None:
                    members = self.by_slug[key] = array("q")
                members.append(j)
                tally = self.counted.setdefault(key, {})
                tally[score] = tally.get(score, 0) + 1
        self._held: dict[tuple[str, float | None], tuple[float, ...]] = {}

    def scores_of(self, key: str, own: float | None) -> tuple[float, ...]:
        """The peer's distinct scores, one row of score ``own`` taken out of the count."""
        found = self._held.get((key, own))
        if found is None:
            tally = self.counted.get(key, {})
            found = self._held[(key, own)] = tuple(sorted(s for s, n in tally.items()
                                                          if n - (s == own)))
        return found

    def checks(self, i: int) -> list[tuple[PeerCheck, str]]:
        """Each peer row ``i`` quotes against the register (its own score aside), with the
        slug the peer is found by."""
        r = self.rows[i]
        own_keys = {slug(r.role_id), slug(r.role)} if r.final_score is not None else set()
        mine = []
        for role, quoted in r.calibration:
            key = slug(role)
            own = _one_decimal(r.final_score) if key in own_keys else None  # type: ignore[arg-type]
            mine.append((PeerCheck(role, quoted, self.scores_of(key, own)), key))
        return mine


def stale_peers(rows: Sequence[RegisterRow], index: PeerIndex) -> list[Flag]:
    """``AIJ-R502``: a quoted peer whose score no assessment of the peer has."""
    flags = []
    for i, r in enumerate(rows):
        if not r.calibration:
            continue
        for k, (check, key) in enumerate(index.checks(i)):
            if check.status != "differs":
                continue
            peers = [j for j in index.by_slug.get(key, ()) if j != i]
            held = ", ".join(f"{s:.1f}" for s in check.register)
            message = (f"{r.label} ({r.file}) quotes {check.role} at {check.quoted:.1f}; the "
                       f"register has {check.role} at {held}")
            finding = Finding("AIJ-R502", message, where=r.file,
                              field=f"calibration[{k}].score", expected=list(check.register),
                              actual=check.quoted)
            flags.append(Flag(finding, r.label, _files(rows, [i, *peers]), (i, *peers)))
    return flags


class Calibration(Sequence[CalibrationEntry]):
    """Scored assessments, highest final score first, each with the nearest assessment of
    another role below and above it (entries made when read)."""

    def __init__(self, rows: Sequence[RegisterRow], index: PeerIndex) -> None:
        self.rows = rows
        self.peer_index = index
        self.order = array("q", sorted(
            (i for i, r in enumerate(rows) if r.final_score is not None),
            key=lambda i: (-rows[i].final_score, rows[i].label.casefold(), i)))  # type: ignore[operator]
        self.seen: dict[str, int] = {}
        for i in self.order:
            key = rows[i].role_key
            self.seen[key] = self.seen.get(key, 0) + 1
        # The nearest position below (after) and above (before) each one whose role
        # differs, found in one pass each way: linear, where scanning from each entry
        # was quadratic.
        n = len(self.order)
        self.below = array("q", [-1]) * n
        self.above = array("q", [-1]) * n
        key_at = [rows[i].role_key for i in self.order]
        for pos in range(n - 2, -1, -1):
            self.below[pos] = pos + 1 if key_at[pos + 1] != key_at[pos] else \
                self.below[pos + 1]
        for pos in range(1, n):
            self.above[pos] = pos - 1 if key_at[pos - 1] != key_at[pos] else \
                self.above[pos - 1]

    def __len__(self) -> int:
        return len(self.order)

    def _neighbour(self, pos: int) -> tuple[str, float] | None:
        if pos < 0:
            return None
        r = self.rows[self.order[pos]]
        return r.label, r.final_score  # type: ignore[return-value]

    def _entry(self, pos: int) -> CalibrationEntry:
        i = self.order[pos]
        r = self.rows[i]
        label = r.label if self.seen[r.role_key] == 1 else f"{r.label} ({_who(r)})"
        if r.verdict == "FAIL":
            label += " (does not verify)"
        return CalibrationEntry(
            row=i, role=r.label, assessor=r.assessor, final_score=r.final_score,  # type: ignore[arg-type]
            zone=r.zone,  # type: ignore[arg-type]
            below=self._neighbour(self.below[pos]), above=self._neighbour(self.above[pos]),
            peers=tuple(c for c, _ in self.peer_index.checks(i)), label=label)

    @overload
    def __getitem__(self, pos: int) -> CalibrationEntry: ...

    @overload
    def __getitem__(self, pos: slice) -> list[CalibrationEntry]: ...

    def __getitem__(self, pos: int | slice) -> CalibrationEntry | list[CalibrationEntry]:
        if isinstance(pos, slice):
            return [self._entry(p) for p in range(len(self))[pos]]
        if pos < 0:
            pos += len(self)
        if not 0 <= pos < len(self):
            raise IndexError("calibration entry out of range")
        return self._entry(pos)

    def __iter__(self) -> Iterator[CalibrationEntry]:
        for pos in range(len(self)):
            yield self._entry(pos)
