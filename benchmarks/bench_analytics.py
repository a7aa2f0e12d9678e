"""Benchmark: review analytics (``aijri diff``, ``score --sensitivity``, ``verify --annotate``).

Prints the time to compare the worked example's workbook with its resubmitted version
(diff, exact attribution, zone shifts), the attribution alone for many changed inputs
(the closed form, and the exact sum over aggregates where the cap binds, against trying
every subset), the sensitivity of the worked example and of seeded random assessments,
and annotating a tampered workbook.

Run: ``python benchmarks/bench_analytics.py [--count 200]``. Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import copy
import random
import sys
import time
from fractions import Fraction
from pathlib import Path

from timing import per_call

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="random assessments")
    args = parser.parse_args()

    from aijri_xl.analytics.attribution import (
        _Game,
        attribute,
        exact_weighted_total,
        players_of,
        shapley_by_aggregates,
        shapley_by_enumeration,
    )
    from aijri_xl.analytics.diff import diff
    from aijri_xl.analytics.review import review
    from aijri_xl.analytics.sensitivity import sensitivity
    from aijri_xl.catalogue.samples import random_assessment, random_assessments
    from aijri_xl.method.loaded import Loaded
    from aijri_xl.sources import load
    from aijri_xl.verify.annotate import annotated_bytes
    from aijri_xl.verify.file import verify_file

    old = ROOT / "workbooks" / "hpc-developer.xlsx"
    new = ROOT / "docs" / "examples" / "hpc-developer-revised.yaml"
    a, b = load(old), load(new)
    print("worked example, workbook against its resubmitted YAML (6 changed inputs):")
    print(f"  load both + diff + attribution + shifts  "
          f"{per_call(lambda: review(old, new), 30) * 1000:7.2f} ms")
    print(f"  diff of the loaded sources               "
          f"{per_call(lambda: diff(a, b), 100) * 1000:7.2f} ms")
    d = diff(a, b)
    print(f"  attribution (exact, with zone shifts)    "
          f"{per_call(lambda: attribute(d), 100) * 1000:7.2f} ms")

    def mem(x: object) -> Loaded:
        return Loaded(Path("x"), "memory", x)  # type: ignore[arg-type]

    rng = random.Random(3)
    base = random_assessment(rng)
    while len(base.tasks) < 25:
        base = random_assessment(rng)
    changed = copy.deepcopy(base)
    for t in changed.tasks:
        t.score = 6 - t.score if t.score != 3 else 4
    for item in changed.evidence.values():
        item.score = -item.score if item.score else 1
    changed.growth.correlation = -(changed.growth.correlation or 0) or 1
    big = diff(mem(base), mem(changed))
    n = len(players_of(big))
    print(f"\n{n} changed inputs (every task, evidence and growth):")
    print(f"  attribution, closed form                 "
          f"{per_call(lambda: attribute(big), 5) * 1000:7.2f} ms")
    players = players_of(big)[:14]
    game = _Game({"tasks": exact_weighted_total(base.tasks),
                  "evidence": Fraction(sum(s.score or 0 for s in base.evidence.values())),
                  "barriers": Fraction(sum(s.score or 0 for s in base.barriers.values())),
                  "growth": Fraction(base.growth.correlation or 0)}, tuple(players), None,
                 None, True)
    start = time.perf_counter()
    reference = shapley_by_enumeration(game)
    every = time.perf_counter() - start
    start = time.perf_counter()
    assert shapley_by_aggregates(game) == reference
    grouped = time.perf_counter() - start
    print(f"  14 of them: every subset (2^14 scores)   {every * 1000:7.0f} ms; sum over "
          f"aggregates {grouped * 1000:.0f} ms (equal, exactly)")

    example = a.assessment
    assert example is not None
    print(f"\nsensitivity, worked example              "
          f"{per_call(lambda: sensitivity(example), 50) * 1000:7.2f} ms")
    batch = random_assessments(args.count, seed=11)
    start = time.perf_counter()
    for x in batch:
        sensitivity(x)
    print(f"sensitivity, {args.count} random assessments      "
          f"{(time.perf_counter() - start) / args.count * 1000:7.2f} ms each")

    sys.path.insert(0, str(ROOT / "tests"))
    import tamper

    raw = old.read_bytes()
    bad = tamper.set_value(tamper.replace_formula_by_its_value(
        tamper.set_value(raw, "Evidence", "B7", 3), "Score", "B16"), "Tasks", "D6", 4)
    with open(ROOT / "benchmarks" / ".tampered.xlsx", "wb") as handle:
        handle.write(bad)
    try:
        findings = [f.to_dict() for f in verify_file(ROOT / "benchmarks" /
                                                     ".tampered.xlsx").findings]
    finally:
        (ROOT / "benchmarks" / ".tampered.xlsx").unlink()
    print(f"annotate a workbook with {len(findings)} findings          "
          f"{per_call(lambda: annotated_bytes(bad, findings, 'x.xlsx'), 50) * 1000:7.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
