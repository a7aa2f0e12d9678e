"""Counting subsets of integer steps by size and sum: what the exact Shapley sum over
factor aggregates (:func:`aijri_xl.analytics.attribution.shapley_by_aggregates`) is
built from. Pure integer arithmetic, each count bounded by a number of states."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence


def subset_counts(deltas: Sequence[int], limit: int) -> dict[tuple[int, int], int] | None:
    """How many subsets of ``deltas`` have each (size, sum); ``None`` as soon as there
    are more than ``limit`` (size, sum) pairs (they only grow with each delta)."""
    counts: dict[tuple[int, int], int] = {(0, 0): 1}
    for d in deltas:
        nxt: dict[tuple[int, int], int] = defaultdict(int)
        for (size, total), n in counts.items():
            nxt[(size, total)] += n
            nxt[(size + 1, total + d)] += n
        if len(nxt) > limit:
            return None
        counts = nxt
    return counts


def fewest_sums(steps: Sequence[int]) -> int:
    """A lower bound on the distinct subset sums of ``steps``: flipping the sign of a
    step moves every sum by the same amount, so they are as many as those of the steps'
    sizes, which include the subset sums of the ``u`` distinct nonzero sizes: at least
    ``u (u + 1) / 2 + 1`` of them."""
    u = len({abs(x) for x in steps} - {0})
    return u * (u + 1) // 2 + 1


def joint_counts(parts: Sequence[dict[tuple[int, int], int]], limit: int
           ) -> dict[tuple[int, tuple[int, ...]], int] | None:
    """Subsets of the players of several factors counted by size and the tuple of the
    factors' sums; ``None`` past ``limit`` states."""
    joint: dict[tuple[int, tuple[int, ...]], int] = {(0, ()): 1}
    for counts in parts:
        nxt: dict[tuple[int, tuple[int, ...]], int] = defaultdict(int)
        for (size, sums), m in joint.items():
            for (k, subtotal), c in counts.items():
                nxt[(size + k, (*sums, subtotal))] += m * c
            if len(nxt) > limit:
                return None
        joint = nxt
    return joint
