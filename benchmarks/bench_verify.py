"""Benchmark: verifying workbooks, against the alternatives and the LibreOffice route.

Builds N assessment workbooks (default 1,000) from seeded random assessments, then:

- prints the stage breakdown of one verification (each stage timed alone, median CPU),
  with the floor (zipfile + expat with no handlers);
- verifies them one at a time on one core: median, min and max CPU per workbook,
  including the independent formula evaluation (formualizer);
- times the alternatives on the same files: formualizer alone (loading the file itself,
  parallel evaluation off) and openpyxl only loading it;
- verifies them all with a process pool over every core: workbooks per second;
- reports the peak memory (this process and its workers);
- recalculates a sample (default 20) in LibreOffice headless (one process, recalculation
  forced on load), the alternative a reviewer would otherwise use;
- ends with one table: each figure and its ratio to the verifier's median.

The worst time and peak memory of the crafted resource-exhaustion files, each in a fresh
process, are ``benchmarks/bench_crafted.py``'s.

Run: ``python benchmarks/bench_verify.py [--count 1000] [--lo-count 20]``. Not a test:
figures depend on the machine (the last line says its load).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="workbooks to verify")
    parser.add_argument("--lo-count", type=int, default=20,
                        help="workbooks to recalculate in LibreOffice (default: 20; 0: none)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    measure(args.count, args.lo_count, args.jobs)
    return 0


def measure(count: int = 1000, lo_count: int = 20, jobs: int | None = None,
            out: Callable[[str], None] = print) -> dict[str, Any]:
    """Every figure of this benchmark, each line given to ``out`` as it is measured; returns
    the figures: ``cpu_ms`` (per workbook, one core), ``lo_cpu_ms`` and ``lo_wall_ms``
    (LibreOffice per workbook, ``None`` when not measured), ``pool_per_s`` and ``load``
    (1-minute load average at the end)."""
    from aijri_xl.catalogue.samples import random_assessments
    from aijri_xl.verify.audit import run_audit, verify_one
    from aijri_xl.workbook.libreoffice import recalculate, soffice
    from aijri_xl.workbook.writer import write_workbook

    jobs = jobs or os.cpu_count() or 1
    figures: dict[str, Any] = {"lo_cpu_ms": None, "lo_wall_ms": None}
    with tempfile.TemporaryDirectory(prefix="aijri-bench-") as tmp:
        folder = Path(tmp) / "workbooks"
        folder.mkdir()
        start = time.perf_counter()
        paths = [write_workbook(a, folder / f"wb{i:04d}.xlsx")
                 for i, a in enumerate(random_assessments(count))]
        build_s = time.perf_counter() - start
        out(f"built {len(paths)} workbooks in {build_s:.1f} s "
            f"({build_s * 1000 / len(paths):.1f} ms each)")

        verify_one(str(paths[0]))  # warm imports
        floor = stages(paths[: min(len(paths), 200)], out)
        wall, cpu = [], []
        verdicts: dict[str, int] = {}
        for p in paths:
            w0, c0 = time.perf_counter(), time.process_time()
            report = verify_one(str(p))
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - w0)
            verdicts[report.verdict] = verdicts.get(report.verdict, 0) + 1
        one_core = statistics.median(wall) * 1000
        cpu_ms = statistics.median(cpu) * 1000
        figures["cpu_ms"] = [c * 1000 for c in cpu]
        out(f"one core: {len(paths)} workbooks, CPU per workbook median {cpu_ms:.1f} ms, "
            f"min {min(cpu) * 1000:.1f}, max {max(cpu) * 1000:.1f} (target <= 8 ms); "
            f"wall median {one_core:.1f} ms; verdicts {verdicts}")
        summary = {"the verifier (median CPU per workbook)": cpu_ms,
                   "floor: zipfile + expat, no handlers": floor}
        summary.update(references(paths[: min(len(paths), 100)]))

        start = time.perf_counter()
        reports = run_audit([folder], jobs=jobs)
        pool_s = time.perf_counter() - start
        assert len(reports) == len(paths)
        figures["pool_per_s"] = len(paths) / pool_s
        out(f"{jobs} processes: {len(paths) / pool_s:.0f} workbooks per second "
            f"({pool_s:.1f} s for {len(paths)})")
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        out(f"peak memory: {own:.0f} MB (this process), {children:.0f} MB (largest worker)")

        if lo_count and soffice() is None:
            out("LibreOffice comparison skipped: soffice is not installed")
        elif lo_count:
            sample = paths[: lo_count]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            recalculate(sample, Path(tmp) / "lo")
            lo_wall = (time.perf_counter() - start) * 1000 / len(sample)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            lo_cpu = ((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)) \
                * 1000 / len(sample)
            out(f"LibreOffice headless recalculation: {lo_wall:.0f} ms wall, {lo_cpu:.0f} ms "
                f"CPU per workbook ({len(sample)} workbooks, one process, start-up included)")
            summary["LibreOffice recalculation (CPU)"] = lo_cpu
            summary["LibreOffice recalculation (wall)"] = lo_wall
            figures.update(lo_cpu_ms=lo_cpu, lo_wall_ms=lo_wall, lo_count=len(sample))

    out("summary (ms per workbook; ratio to the verifier's median CPU):")
    for name, ms in summary.items():
        out(f"  {name:62} {ms:8.2f}  {ms / cpu_ms:7.2f}x")
    figures["load"] = os.getloadavg()[0]
    out(f"load average while measured: {figures['load']:.2f} (1 min), {os.cpu_count()} cores")
    return figures


def _median_cpu(fn, items) -> float:
    times = []
    for item in items:
        c0 = time.process_time()
        fn(item)
        times.append(time.process_time() - c0)
    return statistics.median(times) * 1000


def stages(paths: list[Path], out: Callable[[str], None] = print) -> float:
    """The verifier's stages, each timed alone over the same files (median CPU ms);
    returns the floor."""
    from aijri_xl.method.engine import score
    from aijri_xl.method.rules import check
    from aijri_xl.verify import conditional_checks, display_checks, evaluator, workbook_checks
    from aijri_xl.workbook.reader import loaded_from_data
    from aijri_xl.workbook.xlsx import read_xlsx

    raws = [p.read_bytes() for p in paths]
    datas = [read_xlsx(r) for r in raws]
    loadeds = [loaded_from_data(p, d) for p, d in zip(paths, datas, strict=True)]
    lays = [lo.extra["layout"] for lo in loadeds]
    cells = [[(c.sheet, c.ref) for c in lay.cells if c.kind == "result"] for lay in lays]
    pairs = list(zip(datas, lays, strict=True))
    rows = {
        "floor: zipfile + expat, no handlers": _median_cpu(_floor, raws),
        "read the package (zip checks, OPC, every part)": _median_cpu(read_xlsx, raws),
        "contract: names, inputs, assessment": _median_cpu(
            lambda i: loaded_from_data(paths[i], datas[i]), range(len(paths))),
        "rules and reference score": _median_cpu(
            lambda lo: score(lo.assessment, checked=check(lo.assessment)), loadeds),
        "structure and formula checks": _median_cpu(
            lambda p: (workbook_checks.structure_findings(*p),
                       workbook_checks.formula_findings(*p)), pairs),
        "display checks": _median_cpu(lambda p: display_checks.display_findings(*p), pairs),
        "conditional formats against the template's": _median_cpu(
            lambda p: conditional_checks.conditional_findings(*p), pairs),
        "independent evaluation (formualizer)": _median_cpu(
            lambda i: evaluator.evaluate(datas[i], lays[i], cells[i]), range(len(paths))),
    }
    out(f"stages (median CPU ms per workbook over {len(paths)}, each timed alone):")
    for name, ms in rows.items():
        out(f"  {name:48} {ms:6.2f}")
    return rows["floor: zipfile + expat, no handlers"]


def _floor(raw: bytes) -> None:
    import io
    import xml.parsers.expat
    import zipfile

    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        for name in zf.namelist():
            if name.endswith((".xml", ".rels")):
                xml.parsers.expat.ParserCreate().Parse(zf.read(name), True)


def references(paths: list[Path]) -> dict[str, float]:
    """What the alternatives cost on the same files (median CPU ms per workbook)."""
    import formualizer
    import openpyxl

    cfg = formualizer.EvaluationConfig()
    cfg.enable_parallel = False
    config = formualizer.WorkbookConfig(eval_config=cfg)

    def fz_alone(raw: bytes) -> None:
        formualizer.Workbook.from_bytes(raw, config=config).evaluate_all()

    raws = [p.read_bytes() for p in paths]
    return {
        "formualizer alone (load the file and evaluate, parallel off)":
            _median_cpu(fz_alone, raws),
        "openpyxl only loading the file": _median_cpu(
            lambda p: openpyxl.load_workbook(p), paths),
    }


if __name__ == "__main__":
    sys.exit(main())
