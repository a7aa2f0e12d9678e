"""Where a command may write: the one rule every output path (``--report``, ``-o``) passes.

An output is refused, before any work is done, when

- its folder does not exist, is not a folder, or cannot be written to;
- it is a folder, or one of the inputs (the same file, however it is named);
- it lies inside a folder being read and has a type the walk reads, so that the next run
  would take it for a submission;
- it exists and the project did not write it (:mod:`aijri_xl.method.marks`), or the
  project wrote it as an assessment and it has been changed since (someone's work);
- it exists, the project wrote it, and ``force`` is not given.

:func:`check_output` raises :class:`OutputRefused` naming the path and the reason; the
command line turns it into exit code 2.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from aijri_xl.method.marks import ASSESSMENT, KINDS, LITE, kind_of_file


class OutputRefused(Exception):
    """An output path that may not be written: ``path`` and ``reason``."""

    def __init__(self, path: str | Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


def _resolved(path: str | Path) -> Path:
    return Path(path).expanduser().resolve()


def _input_files_and_folders(inputs: Iterable[str | Path]) -> tuple[set[Path], list[Path]]:
    files: set[Path] = set()
    folders: list[Path] = []
    for raw in inputs:
        text = str(raw)
        candidates = [Path(text)]
        if any(ch in text for ch in "*?[") and not Path(text).exists():
            candidates = [Path(m) for m in glob.glob(text, recursive=True)]
        for c in candidates:
            if c.is_dir():
                folders.append(_resolved(c))
            else:
                files.add(_resolved(c))
    return files, folders


def check_output(path: str | Path, *, inputs: Iterable[str | Path] = (),
                 read_suffixes: Iterable[str] = (), force: bool = False,
                 also: Sequence[str | Path] = (),
                 ours: Callable[[Path], bool] | None = None) -> Path:
    """Check that ``path`` (and the files in ``also`` written beside it, such as a
    ``*-findings.csv``) may be written; returns ``path`` as a :class:`Path`.
    ``read_suffixes`` are the types a folder walk over ``inputs`` reads; ``ours`` tells
    a file the project wrote that carries no mark (the xlwings Lite requirements)."""
    files, folders = _input_files_and_folders(inputs)
    suffixes = {s.lower() for s in read_suffixes}
    for target in (Path(path), *map(Path, also)):
        _check_one(target, files, folders, suffixes, force, ours)
    return Path(path)


def _check_one(path: Path, files: set[Path], folders: list[Path], suffixes: set[str],
               force: bool, ours: Callable[[Path], bool] | None) -> None:
    parent = path.parent
    if not parent.exists():
        raise OutputRefused(path, f"the folder {parent} does not exist")
    if not parent.is_dir():
        raise OutputRefused(path, f"{parent} is not a folder")
    if path.is_dir():
        raise OutputRefused(path, "is a folder; give a file name")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputRefused(path, f"the folder {parent} cannot be written to")
    where = _resolved(path)
    same = where in files or (path.exists() and any(
        f.exists() and os.path.samefile(f, path) for f in files))
    if same:
        raise OutputRefused(path, "is one of the inputs being read; refusing to overwrite "
                            "it (write elsewhere)")
    for folder in folders:
        if where.is_relative_to(folder) and where.suffix.lower() in suffixes:
            if path.exists():
                raise OutputRefused(path, f"is one of the files being read (in {folder}); "
                                    "refusing to overwrite it (write elsewhere)")
            raise OutputRefused(path, f"lies inside {folder}, a folder being read, and would "
                                "be read as a submission next time (write elsewhere)")
    if not path.exists():
        return
    if not path.is_file():
        raise OutputRefused(path, "exists and is not a regular file")
    kind = kind_of_file(path)
    if kind is None and ours is not None and ours(path):
        kind = LITE
    if kind is None:
        raise OutputRefused(path, "exists and was not written by aijri; refusing to replace "
                            "it (move it away or choose another name)")
    if kind == ASSESSMENT and path.suffix.lower() in (".xlsx", ".xlsm") \
            and not _unchanged_workbook(path):
        raise OutputRefused(path, "is an assessment workbook that has been changed since "
                            "aijri wrote it (it may hold someone's work); refusing to "
                            "replace it")
    if not os.access(path, os.W_OK):
        raise OutputRefused(path, "exists and cannot be written to")
    if not force:
        raise OutputRefused(path, f"exists ({KINDS[kind]}); give --force to replace it")


def _unchanged_workbook(path: Path) -> bool:
    """Whether a workbook is exactly what the writer makes of the assessment it holds:
    aijri wrote it and nobody has saved it since."""
    try:
        from aijri_xl.sources import load
        from aijri_xl.workbook.writer import workbook_bytes

        loaded = load(path)
        if loaded.assessment is None:
            return False
        return workbook_bytes(loaded.assessment) == path.read_bytes()
    except Exception:  # unreadable, or not buildable: not a file to replace
        return False


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder, so a reader never sees half a
    file and an interrupted run leaves the old one."""
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as an ordinary file, not mkstemp's 0600
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
