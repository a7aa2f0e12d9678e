"""LibreOffice Calc, headless, as a real spreadsheet engine: recalculate and convert.

LibreOffice keeps the cached values of an ``.xlsx`` unless told otherwise, so every call
runs with a private user profile whose settings force recalculation on load (for both
OOXML and ODF files). Used by the tests (the oracle for "agrees in a real engine"), the
benchmarks (the route the verifier is compared against) and the PDF/PNG renderings.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

_PROFILE_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc">
  <prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc">
  <prop oor:name="ShowTipOfTheDay" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""

FILTERS = {
    "xlsx": "xlsx:Calc MS Excel 2007 XML",
    "pdf": "pdf:calc_pdf_Export",
    "ods": "ods",
}


class LibreOfficeError(RuntimeError):
    """LibreOffice is missing, failed, or did not write what it was asked to."""


def soffice() -> str | None:
    """The path of the ``soffice`` binary, or ``None`` when LibreOffice is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in ("/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice",
                      "/opt/libreoffice/program/soffice"):
        if os.path.exists(candidate):
            return candidate
    return None


def _profile(root: Path) -> None:
    user = root / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(_PROFILE_XCU, encoding="utf-8")


BATCH = 100
"""Files per LibreOffice process: one process for a thousand files has been seen to stop
part-way (exit code 0, the rest unwritten)."""


class _Profiles:
    """Private LibreOffice user profiles, kept for the life of the process and lent to one
    LibreOffice process at a time (two processes cannot share a profile). A profile that
    LibreOffice has started from once starts about a second faster than a new one; a
    profile whose process failed or timed out is thrown away, so a stale lock or a
    half-written configuration never reaches the next call."""

    def __init__(self) -> None:
        self._free: list[Path] = []
        self._lock = threading.Lock()
        self._root: Path | None = None

    def take(self) -> Path:
        with self._lock:
            if self._free:
                return self._free.pop()
            if self._root is None:
                self._root = Path(tempfile.mkdtemp(prefix="aijri-lo-"))
                atexit.register(shutil.rmtree, self._root, True)
            made = Path(tempfile.mkdtemp(dir=self._root))
        _profile(made)
        return made

    def give_back(self, profile: Path, healthy: bool) -> None:
        if not healthy:
            shutil.rmtree(profile, ignore_errors=True)
            return
        with self._lock:
            self._free.append(profile)


_PROFILES = _Profiles()


def _run(binary: str, files: Sequence[Path], outdir: Path, to: str, timeout: float) -> str:
    profile = _PROFILES.take()
    healthy = False
    try:
        command = [binary, f"-env:UserInstallation={profile.resolve().as_uri()}",
                   "--headless", "--norestore", "--nolockcheck", "--nodefault",
                   "--convert-to", FILTERS[to], "--outdir", str(outdir), *map(str, files)]
        env = {**os.environ, "HOME": str(profile)}
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                  env=env, check=False)
        except subprocess.TimeoutExpired as exc:
            raise LibreOfficeError(f"LibreOffice took more than {timeout:g} s") from exc
        healthy = done.returncode == 0
    finally:
        _PROFILES.give_back(profile, healthy)
    return f"exit code {done.returncode}: {done.stderr.strip()[-300:]}"


def convert(files: Sequence[Path], outdir: Path, to: str = "xlsx",
            timeout: float = 600) -> list[Path]:
    """Open ``files`` in LibreOffice Calc (recalculating every formula) and save them in
    ``outdir`` as ``to`` (``xlsx``, ``pdf`` or ``ods``), ``BATCH`` files per LibreOffice
    process; a file LibreOffice did not write is tried once more. Returns the written
    paths, in order."""
    binary = soffice()
    if binary is None:
        raise LibreOfficeError("LibreOffice (soffice) is not installed; on Debian: "
                               "apt-get install libreoffice-calc-nogui")
    outdir.mkdir(parents=True, exist_ok=True)
    names = [f.stem for f in files]
    if len(set(names)) != len(names):
        raise LibreOfficeError("files to convert in one call need distinct names")
    written = [outdir / (f.stem + "." + to) for f in files]
    for out in written:  # an earlier run's output would pass for this run's
        out.unlink(missing_ok=True)
    detail = ""
    for _attempt in range(2):
        todo = [f for f, out in zip(files, written, strict=True) if not out.exists()]
        if not todo:
            break
        # One LibreOffice process per core, each with its own profile: a corpus of a few
        # hundred files converts in half the time on two cores.
        workers = max(1, min(os.cpu_count() or 1, len(todo)))
        size = min(BATCH, -(-len(todo) // workers))
        batches = [todo[i:i + size] for i in range(0, len(todo), size)]
        with ThreadPoolExecutor(max_workers=workers) as pool:
            details = list(pool.map(lambda batch: _run(binary, batch, outdir, to, timeout),
                                    batches))
        detail = details[-1]
    missing = [p for p in written if not p.exists()]
    if missing:
        shown = ", ".join(p.name for p in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise LibreOfficeError(f"LibreOffice did not write {shown}{more} ({detail})")
    return written


def recalculate(files: Sequence[Path], outdir: Path) -> list[Path]:
    """Recalculate ``files`` in LibreOffice Calc and save them as ``.xlsx`` in ``outdir``."""
    return convert(files, outdir, "xlsx")


def render_png(file: Path, outdir: Path, dpi: int = 80) -> list[Path]:
    """Render a workbook to PNG pages (LibreOffice to PDF, then pdftoppm)."""
    pdf = convert([file], outdir, "pdf")[0]
    if shutil.which("pdftoppm") is None:
        raise LibreOfficeError("pdftoppm is not installed; on Debian: apt-get install "
                               "poppler-utils")
    prefix = outdir / file.stem
    for stale in outdir.glob(f"{file.stem}-*.png"):  # pdftoppm pads page numbers by
        stale.unlink()                                # page count: names vary by run
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(prefix)], check=True,
                   capture_output=True)
    return sorted(outdir.glob(f"{file.stem}-*.png"))
