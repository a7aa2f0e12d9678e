"""Benchmark: how quickly the ``aijri`` command starts, against ``python -c pass``.

Times, wall clock, each in a fresh interpreter with its bytecode cached (a private
``PYTHONPYCACHEPREFIX`` warmed first, so the worktree gets no ``__pycache__``):

- ``python -c pass``: the floor every command pays;
- ``python -c "import aijri_xl"``: the package's own import;
- ``aijri --help``: the target is within 2x of the floor;
- ``aijri verify one.xlsx``: one workbook (the worked example) verified; the target is
  under 90 ms.

Prints the median, minimum and maximum of ``--runs`` runs (default 21) and the ratios.
Run: ``python benchmarks/bench_startup.py [--runs 21]``. Not a test: figures depend on the
machine (its load is printed).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _time(argv: list[str], env: dict[str, str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=False)
        times.append((time.perf_counter() - start) * 1000)
    return times


def measure(runs: int = 21) -> dict[str, list[float]]:
    """Milliseconds per run of each command, keyed by a label."""
    with tempfile.TemporaryDirectory(prefix="aijri-startup-") as tmp:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pyc")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT),
                                                          env.get("PYTHONPATH", "")]))
        book = Path(tmp) / "one.xlsx"
        shutil.copyfile(ROOT / "workbooks" / "hpc-developer.xlsx", book)
        py = sys.executable
        commands = {
            "python -c pass": [py, "-c", "pass"],
            "import aijri_xl": [py, "-c", "import aijri_xl"],
            "aijri --help": [py, "-m", "aijri_xl", "--help"],
            "aijri verify one.xlsx": [py, "-m", "aijri_xl", "verify", str(book)],
        }
        for argv in commands.values():  # write the bytecode of everything they import
            _time(argv, env, 2)
        return {label: _time(argv, env, runs) for label, argv in commands.items()}


def report(times: dict[str, list[float]]) -> list[str]:
    floor = statistics.median(times["python -c pass"])
    lines = []
    for label, values in times.items():
        med = statistics.median(values)
        lines.append(f"  {label:24} median {med:6.1f} ms  (min {min(values):6.1f}, max "
                     f"{max(values):6.1f})  {med / floor:4.2f}x python -c pass")
    help_ratio = statistics.median(times["aijri --help"]) / floor
    verify_ms = statistics.median(times["aijri verify one.xlsx"])
    lines.append(f"  targets: --help within 2x of the floor: {help_ratio:.2f}x "
                 f"({'met' if help_ratio <= 2 else 'NOT met'}); verify one workbook under "
                 f"90 ms: {verify_ms:.1f} ms ({'met' if verify_ms < 90 else 'NOT met'})")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    print(f"start-up, {args.runs} runs each, bytecode cached; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for line in report(measure(args.runs)):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
