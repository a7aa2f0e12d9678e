"""What every ``aijri`` command shares about its exit and its outputs: the one table of
exit codes (``aijri --help`` prints it, the README shows it, a test keeps them equal), the
``--force`` option, the output-path check (:mod:`aijri_xl.sources.output_paths`) and the
time a run's reports give on their first page."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing for every command
if TYPE_CHECKING:
    from typing import Any, Literal, NoReturn

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

EXIT_CODES: tuple[tuple[int, str], ...] = (
    (EXIT_OK, "success; for `verify`, no file failed; for `register`, every assessment "
              "verifies (R501/R502 flags are warnings)"),
    (EXIT_FAILED, "a file failed verification or could not be scored or published; for "
                  "`register`, an assessment does not verify"),
    (EXIT_USAGE, "usage error: an unknown command or option, a bad value, or an output path "
                 "refused (an input, inside a folder being read, a file aijri did not write, "
                 "one it wrote without `--force`, a missing or unwritable folder); the message "
                 "names the path and the reason"),
    (EXIT_INTERNAL, "internal error: a bug, reported in one line (please report it)"),
    (EXIT_INTERRUPTED, "interrupted (Ctrl-C); a file being written is left as it was"),
)
"""Every exit code of ``aijri``, with what it means."""

Command = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, tuple[Command, Callable[[argparse.ArgumentParser], object], str]] = {}


def command(name: str, help_text: str,
            arguments: Callable[[argparse.ArgumentParser], object]) -> Callable[[Command], Command]:
    """Register a subcommand: its handler, its arguments, its one-line help."""

    def register(handler: Command) -> Command:
        COMMANDS[name] = (handler, arguments, help_text)
        return handler

    return register



def exit_codes_text() -> str:
    """The exit code table as ``--help`` prints it."""
    lines = ["exit codes:"]
    for code, meaning in EXIT_CODES:
        lines.append(f"  {code:<4} {meaning.replace('`', '')}")
    return "\n".join(lines)


def exit_codes_markdown() -> str:
    """The exit code table as the README shows it."""
    rows = ["| Code | Meaning |", "|---|---|"]
    rows += [f"| `{code}` | {meaning} |" for code, meaning in EXIT_CODES]
    return "\n".join(rows) + "\n"


def force_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--force", action="store_true",
                   help="replace an output file that aijri wrote earlier (a file it did not "
                        "write is never replaced)")


def checked_output(path: str | Path, inputs: Sequence[str | Path] = (), *,
                    read: bool = False, force: bool = False,
                    also: Sequence[Path] = (), ours: Callable[[Path], bool] | None = None
                    ) -> Path:
    """The output path, or :class:`OutputRefused` (exit 2) naming it and the reason;
    ``read``: the inputs are walked for every assessment file type."""
    from aijri_xl.sources import SUFFIXES
    from aijri_xl.sources.output_paths import check_output

    return check_output(path, inputs=inputs, read_suffixes=SUFFIXES if read else (),
                        force=force, also=also, ours=ours)


class writing:
    """Turn a failure to write ``path`` (permissions, a full disk) into a refused output
    (exit 2, the path and the reason), not an internal error."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, exc: Any, tb: Any) -> Literal[False]:
        from aijri_xl.sources.output_paths import OutputRefused

        if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
            raise OutputRefused(self.path, f"cannot be written ({exc.strerror or exc})") \
                from exc
        return False


def now() -> str:
    """When a run happened, for the first page of its reports: UTC to the minute, or
    SOURCE_DATE_EPOCH when set (reproducible outputs)."""
    import datetime as dt
    import os

    from aijri_xl.workbook.text import ascii_digits

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch and ascii_digits(epoch) \
        else dt.datetime.now(dt.UTC)
    return when.strftime("%Y-%m-%d %H:%M UTC")


def checked_folder(text: str | Path, names: Sequence[str], force: bool,
                   ours: Callable[[Path], bool] | None = None) -> Path:
    """The folder a bundle is written into (``names``, relative to it), or
    :class:`OutputRefused`: not a file, its parent there, and each file in it one aijri
    may replace."""
    from aijri_xl.sources.output_paths import OutputRefused

    folder = Path(text)
    if folder.exists() and not folder.is_dir():
        raise OutputRefused(folder, "is a file; name the folder to write into")
    if not folder.exists() and not folder.parent.is_dir():
        raise OutputRefused(folder, f"the folder {folder.parent} does not exist")
    for name in names:
        if (folder / name).parent.is_dir():
            checked_output(folder / name, force=force, ours=ours)
        elif (folder / name).parent.exists():
            raise OutputRefused(folder / name, f"{(folder / name).parent} is not a folder")
    return folder


# The output of every command: standard output and error, a progress bar, the parser.


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def _json(data: Any) -> None:
    import json

    _out(json.dumps(data, indent=2, ensure_ascii=False))


def _finding_line(f: Any) -> str:
    where = f" [{f.where}]" if f.where else ""
    field = f" {f.field}:" if f.field and f.field != f.where else ""
    return f"  {f.severity.upper():7} {f.code}{where}{field} {f.message}"


def batch_options(args: argparse.Namespace, use: str) -> tuple[Any, str | None] | None:
    """The cache and the scheduler of ``--cache`` and ``--scheduler``
    (:func:`aijri_xl.verify.console.batch_options`); ``None`` after a usage error
    (reported)."""
    from aijri_xl.verify.console import batch_options as options_of

    options = options_of(args, use)
    if isinstance(options, str):
        _err(f"aijri: error: {options}")
        return None
    return options


def _with_sensitivity(r: Any) -> dict[str, Any]:
    """A verified file as ``verify --json`` prints it: its report and its sensitivity."""
    from aijri_xl.analytics.sensitivity import with_sensitivity

    return with_sensitivity(r.to_dict(), r.data)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits 2 on usage errors already
        self.print_usage(sys.stderr)
        _err(f"{self.prog}: error: {message}")
        raise SystemExit(EXIT_USAGE)


def _output_path(text: str, suffix: str) -> Path | None:
    path = Path(text)
    if path.suffix.lower() != suffix:
        _err(f"aijri: error: the output must end in {suffix}: {text}")
        return None
    return path
