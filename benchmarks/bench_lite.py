"""Benchmark: the xlwings Lite bundle's size and the time to load it.

Writes main.py with ``aijri xlwings-lite``, then prints:

- its size (bytes, lines, embedded modules);
- CPython: the median time over ``--runs`` fresh interpreters to run main.py as xlwings
  Lite runs it (``exec`` into a module named ``main``, after importing xlwings with
  ``XLWINGS_ON_SERVER=true``), xlwings' own import timed apart; and one call of
  ``AIJRI_SCORE`` on the worked example;
- Pyodide (WebAssembly, what xlwings Lite runs), when ``--pyodide DIR`` names an
  installed npm ``pyodide`` package (``npm install pyodide``) and ``node`` is on the
  path: the same, in Pyodide under node. Node cannot fetch xlwings' Pyodide wheel
  without a network, so the xlwings pure-Python package of this environment is copied
  into Pyodide's file system (its optional native extension, used only to read files
  with calamine, left out).

Run: ``python benchmarks/bench_lite.py [--runs 5] [--pyodide node_modules/pyodide]``.
Not a test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

PROBE = r"""
import json, os, sys, time, types
os.environ["XLWINGS_ON_SERVER"] = "true"
os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"
t = time.perf_counter()
import xlwings, xlwings.server
t_xlwings = time.perf_counter() - t
source = open(MAIN, encoding="utf-8").read()
t = time.perf_counter()
main = types.ModuleType("main")
exec(source, main.__dict__)
sys.modules["main"] = main
t_main = time.perf_counter() - t
t = time.perf_counter()
score = main.AIJRI_SCORE([[25], [20], [15], [10], [10], [10], [5], [5]],
                         [[2], [2], [3], [3], [2], [2], [3], [1]], [[5]], [[0]], [[1]])
t_call = time.perf_counter() - t
RESULT = json.dumps({"xlwings": t_xlwings, "main": t_main, "call": t_call, "score": score,
                     "version": xlwings.__version__})
"""

NODE = r"""
const { loadPyodide } = require(process.argv[2]);
(async () => {
  const t0 = performance.now();
  const py = await loadPyodide();
  const startup = (performance.now() - t0) / 1000;
  py.FS.mkdirTree("/mnt/xlwings"); py.FS.mkdirTree("/mnt/lite");
  py.FS.mount(py.FS.filesystems.NODEFS, { root: process.argv[3] }, "/mnt/xlwings");
  py.FS.mount(py.FS.filesystems.NODEFS, { root: process.argv[4] }, "/mnt/lite");
  py.runPython(`import shutil, sys
skip = shutil.ignore_patterns("*.so", "__pycache__")
shutil.copytree("/mnt/xlwings", "/site/xlwings", ignore=skip)
sys.path.insert(0, "/site")`);
  py.globals.set("MAIN", "/mnt/lite/main.py");
  py.runPython(process.argv[5]);
  const out = JSON.parse(py.globals.get("RESULT"));
  out.startup = startup; out.pyodide = py.version;
  console.log(JSON.stringify(out));
})();
"""


def _cpython(main: Path) -> dict:
    code = f"MAIN = {str(main)!r}\n{PROBE}\nprint(RESULT)"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, cwd=main.parent, check=True)
    return json.loads(run.stdout)


def _pyodide(main: Path, package: Path) -> dict:
    import xlwings

    script = main.parent / "probe.js"
    script.write_text(NODE)
    run = subprocess.run(["node", str(script), str(package.resolve()),
                          str(Path(xlwings.__file__).parent), str(main.parent), PROBE],
                         capture_output=True, text=True, check=True, timeout=600)
    return json.loads(run.stdout.strip().splitlines()[-1])


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pyodide", type=Path, default=None,
                        help="an installed npm 'pyodide' package folder")
    args = parser.parse_args()

    from aijri_xl.excel.lite import modules, write_bundle

    with tempfile.TemporaryDirectory() as tmp:
        main_py, _ = write_bundle(Path(tmp) / "lite")
        text = main_py.read_text(encoding="utf-8")
        print(f"main.py: {main_py.stat().st_size:,} bytes, {text.count(chr(10)):,} lines, "
              f"{len(modules()) + 1} modules embedded")
        runs = [_cpython(main_py) for _ in range(args.runs)]
        print(f"CPython {sys.version.split()[0]}, xlwings {runs[0]['version']}: "
              f"import xlwings {_median(runs, 'xlwings') * 1000:.0f} ms, "
              f"run main.py {_median(runs, 'main') * 1000:.0f} ms, first AIJRI_SCORE "
              f"{_median(runs, 'call') * 1000:.1f} ms (= {runs[0]['score']}); "
              f"median of {args.runs} fresh interpreters")
        if args.pyodide is None:
            print("Pyodide: not measured (give --pyodide node_modules/pyodide)")
        elif shutil.which("node") is None:
            print("Pyodide: not measured (node is not on the path)")
        else:
            runs = [_pyodide(main_py, args.pyodide) for _ in range(max(1, args.runs // 2))]
            print(f"Pyodide {runs[0]['pyodide']} under node: start Pyodide "
                  f"{_median(runs, 'startup'):.2f} s, import xlwings "
                  f"{_median(runs, 'xlwings') * 1000:.0f} ms, run main.py "
                  f"{_median(runs, 'main') * 1000:.0f} ms, first AIJRI_SCORE "
                  f"{_median(runs, 'call') * 1000:.1f} ms (= {runs[0]['score']}); "
                  f"median of {len(runs)} runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
