"""The ``aijri`` command line. Renders what the library returns; never shows a traceback.

Exit codes (one table, also in the README):

====  ======================================================================
0     success; for ``verify``, no file failed; for ``register``, every assessment
      verifies (R501/R502 flags are warnings)
1     a file failed verification, an input could not be scored or published, or
      (``register``) an assessment in the register does not verify
2     usage error (unknown command or option, no file given)
3     internal error (a bug: reported in one line, with how to report it)
====  ======================================================================
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing for every command
if TYPE_CHECKING:
    from typing import Any, NoReturn

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

Command = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, tuple[Command, Callable[[argparse.ArgumentParser], object], str]] = {}


def command(name: str, help_text: str,
            arguments: Callable[[argparse.ArgumentParser], object]) -> Callable[[Command], Command]:
    """Register a subcommand: its handler, its arguments, its one-line help."""

    def register(handler: Command) -> Command:
        COMMANDS[name] = (handler, arguments, help_text)
        return handler

    return register


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


# --------------------------------------------------------------------------- score


def _score_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="assessment (.yaml/.json), published report (.md/.txt/.html) or "
                                "workbook (.xlsx)")
    p.add_argument("--json", action="store_true", help="print the §4 result fields as JSON")
    p.add_argument("--sensitivity", action="store_true", help="also how close to other zones")


@command("score", "score an assessment, report or workbook by the method", _score_args)
def cmd_score(args: argparse.Namespace) -> int:
    from aijri_xl.analytics.sensitivity import render_text, sensitivity
    from aijri_xl.house.figures import summary
    from aijri_xl.verify.file import verify_file

    v = verify_file(args.file)
    input_problems = [f for f in v.findings if f.severity == "error"
                      and not f.code.startswith(("AIJ-E1", "AIJ-X"))]
    if v.result is None:
        _err(f"{args.file}: cannot be scored")
        for f in v.findings:
            if f.severity != "info":
                _err(_finding_line(f))
        return EXIT_FAILED
    a = v.loaded.assessment if v.loaded else None
    found = sensitivity(a) if args.sensitivity and a is not None else None
    if args.json:
        _json({**v.result.to_dict(), **({"sensitivity": found.to_dict()} if found else {})})
    else:
        _out(summary(v.result, a.role.title if a else None))
        if found is not None:
            _out("\n" + render_text(found).rstrip("\n"))
    for f in input_problems:
        _err(_finding_line(f))
    return EXIT_FAILED if input_problems else EXIT_OK


# --------------------------------------------------------------------------- verify


def _verify_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="files (.xlsx/.xlsm/.ods workbooks, .md/.txt/.html reports, .yaml/.json), "
                        "folders (searched recursively for workbooks), globs, or fsspec URLs")
    p.add_argument("--json", action="store_true", help="print one JSON object per file")
    p.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                   help="processes to verify with (default: every core)")
    p.add_argument("--report", metavar="PATH",
                   help="also write an audit report, as the files are verified: .xlsx, "
                        ".csv, .json, .jsonl (JSON Lines) or .html")
    p.add_argument("--quiet", "-q", action="store_true",
                   help="print only the summary table, not each file's findings")
    p.add_argument("--annotate", metavar="DIR", help="write annotated copies of the workbooks "
                   "with warnings or errors to DIR (docs/ANALYTICS.md)")
    from aijri_xl.verify.console import add_batch_arguments

    add_batch_arguments(p)


def _batch_options(args: argparse.Namespace, use: str) -> tuple[Any, str | None] | None:
    """The cache and the scheduler of ``--cache`` and ``--scheduler``; ``None`` after a
    usage error (reported)."""
    from aijri_xl.verify.console import batch_options

    options = batch_options(args, use)
    if isinstance(options, str):
        _err(f"aijri: error: {options}")
        return None
    return options


@command("verify", "verify files and folders: stated figures, formulas, every rule",
         _verify_args)
def cmd_verify(args: argparse.Namespace) -> int:
    import itertools
    from types import SimpleNamespace

    from aijri_xl.verify.audit import report_bugs
    from aijri_xl.verify.cluster import ClusterError
    from aijri_xl.verify.console import Progress, render, report_cache
    from aijri_xl.verify.runner import collect_names, stream

    if args.report:
        from aijri_xl.verify.reports import REPORT_SUFFIXES, open_report
    if args.report and Path(args.report).suffix.lower() not in REPORT_SUFFIXES:
        _err(f"aijri: error: --report must end in .xlsx, .csv, .json, .jsonl or .html: "
             f"{args.report}")
        return EXIT_USAGE
    if args.report and not Path(args.report).parent.is_dir():
        _err(f"aijri: error: the folder {Path(args.report).parent} does not exist")
        return EXIT_USAGE
    options = _batch_options(args, "verify")
    if options is None:
        return EXIT_USAGE
    cache, scheduler = options
    skipped: list[tuple[str, str]] = []
    files, problems = collect_names(args.paths, skipped=skipped)
    single = len(files) + len(problems) == 1
    progress = Progress() if sys.stderr.isatty() and not args.json else None
    reports = itertools.chain(problems, stream(files, args.jobs, keep_data=args.json,
                                               cache=cache, scheduler=scheduler,
                                               progress=progress))
    writer = open_report(args.report) if args.report else None
    # --annotate needs every report (a copy is never written over a verified file)
    annotated: list[Any] = []
    to_annotate = SimpleNamespace(add=annotated.append) if args.annotate else None
    bugs: list[Any] = []
    bug_log = SimpleNamespace(add=lambda r: bugs.append(r) if r.error is not None else None)
    try:
        counts = render(reports, sys.stdout, single=single, quiet=args.quiet,
                        as_json=args.json, skipped=skipped,
                        each=[w for w in (writer, to_annotate, bug_log) if w],
                        as_dict=_with_sensitivity if args.json else None)
    except ClusterError as exc:
        _err(f"aijri: error: {exc}")
        return EXIT_FAILED
    report_cache(cache)
    if writer is not None:
        _err("wrote " + ", ".join(map(str, writer.close())))
    if to_annotate is not None and not _annotate(
            annotated, Path(args.annotate), _write_atomically, _err):
        return EXIT_FAILED
    if report_bugs(bugs, _err):
        return EXIT_INTERNAL
    return EXIT_FAILED if counts["FAIL"] else EXIT_OK


def _with_sensitivity(r: Any) -> dict[str, Any]:
    from aijri_xl.analytics.sensitivity import with_sensitivity

    return with_sensitivity(r.to_dict(), r.data)


def _annotate(*args: Any) -> bool:
    from aijri_xl.verify.annotate import annotate_reports

    return annotate_reports(*args)



# --------------------------------------------------------------------------- diff


def _diff_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("old", help="the earlier version: workbook, assessment file or report")
    p.add_argument("new", help="the later version (any kind; kinds may differ)")
    p.add_argument("--json", action="store_true", help="print the comparison as JSON")
    p.add_argument("-o", "--output", metavar="OUT", help="also write it to print: .html, .xlsx")


@command("diff", "what changed between two versions, and why the score moved", _diff_args)
def cmd_diff(args: argparse.Namespace) -> int:
    from aijri_xl.analytics.review import DiffError, output_problem, review, text, write

    if problem := output_problem(args.output, (args.old, args.new)):
        _err(f"aijri: error: {problem}")
        return EXIT_USAGE
    try:
        rv = review(args.old, args.new)
    except DiffError as exc:
        _err(str(exc))
        return EXIT_FAILED
    _json(rv.to_dict()) if args.json else sys.stdout.write(text(rv))
    if args.output:
        _write_atomically(Path(args.output), write(rv, Path(args.output)))
        _err(f"wrote {args.output}")
    return EXIT_OK


# --------------------------------------------------------------------------- reference


@command("codes", "print the table of finding codes (Markdown)", lambda p: None)
def cmd_codes(args: argparse.Namespace) -> int:
    from aijri_xl.method.findings import codes_markdown

    sys.stdout.write(codes_markdown())
    return EXIT_OK


@command("schema", "print the JSON Schema of assessment files", lambda p: None)
def cmd_schema(args: argparse.Namespace) -> int:
    from aijri_xl.method.codec import schema

    _json(schema())
    return EXIT_OK


@command("params", "print the method's parameter table", lambda p: p.add_argument(
    "--json", action="store_true", help="as JSON"))
def cmd_params(args: argparse.Namespace) -> int:
    from aijri_xl.method.parameters import METHOD, PARAMETERS

    if args.json:
        _json({"method": METHOD, "parameters": [
            {"name": p.name, "value": p.value, "unit": p.unit, "tag": p.tag,
             "description": p.description} for p in PARAMETERS]})
        return EXIT_OK
    _out(f"{METHOD} parameters")
    for p in PARAMETERS:
        _out(f"  {p.name:22} {p.value:>6g}  {p.unit:20} {p.tag:8} {p.description}")
    return EXIT_OK


# --------------------------------------------------------------------------- roles


def _roles_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--search", metavar="TEXT",
                   help="find O*NET occupations by title, description and task text, or by "
                   "code (29-1141.00, 29-1141, 29-11); catalogue roles whose title has the "
                   "words are listed first")
    p.add_argument("--limit", type=int, default=20, metavar="N",
                   help="with --search: show at most N occupations (default 20; 0 for all)")
    p.add_argument("--json", action="store_true",
                   help="as JSON: the catalogue (id, title, source, source_note, "
                   "occupation_code, tasks) and the occupations (code, title, tasks)")


@command("roles", "list the role catalogue and find O*NET occupations (--search)", _roles_args)
def cmd_roles(args: argparse.Namespace) -> int:
    from aijri_xl import occupations
    from aijri_xl.catalogue import draft_assessment, roles

    if args.limit < 0:
        _err("aijri: error: --limit must be 0 (all) or more")
        return EXIT_USAGE
    catalogue = roles()
    if args.search is not None:
        words = args.search.casefold().split()
        catalogue = [r for r in catalogue
                     if words and all(w in f"{r.id} {r.title}".casefold() for w in words)]
        found = occupations.search(args.search, limit=args.limit or None)
    else:
        found = occupations.occupations()
    drafts = {r.id: draft_assessment(r.id) for r in catalogue}
    if args.json:
        _json({"catalogue": [{"id": r.id, "title": r.title, "source": r.source,
                              "source_note": r.source_note,
                              "occupation_code": drafts[r.id].role.occupation_code,
                              "tasks": len(drafts[r.id].tasks)} for r in catalogue],
               "occupations": [{"code": o.code, "title": o.title, "tasks": o.task_count}
                               for o in found]})
        return EXIT_OK
    if args.search is None:
        _table([("id", "title", "source")] + [(r.id, r.title, r.source) for r in catalogue])
        with_tasks = sum(o.task_count > 0 for o in found)
        _out(f"\n{len(found):,} O*NET occupations ({with_tasks:,} with task statements): "
             "find one with 'aijri roles --search TEXT'; 'aijri template CODE' drafts it")
        return EXIT_OK
    if catalogue:
        _out("Catalogue roles ('aijri template ID'):")
        _table([("id", "title", "occupation")]
               + [(r.id, r.title, drafts[r.id].role.occupation_code or "") for r in catalogue])
        _out()
    if not found:
        _err(f"no O*NET occupation matches {args.search!r}")
        return EXIT_OK if catalogue else EXIT_FAILED
    _out("O*NET occupations, best match first ('aijri template CODE'):")
    _table([("code", "title", "tasks")] + [(o.code, o.title, str(o.task_count)) for o in found],
           right=(2,))
    return EXIT_OK


def _table(rows: Sequence[tuple[str, ...]], right: tuple[int, ...] = ()) -> None:
    """Rows in columns two spaces apart; the last column unpadded unless right-aligned."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [cell.rjust(widths[i]) if i in right else
                 cell if i == len(row) - 1 else cell.ljust(widths[i])
                 for i, cell in enumerate(row)]
        _out("  ".join(cells).rstrip())


# --------------------------------------------------------------------------- workbooks


def _build_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="assessment (.yaml/.json) or published report (.md/.txt/.html)")
    p.add_argument("-o", "--output", required=True, metavar="OUT.xlsx",
                   help="the workbook to write")


def _report_unreadable(path: str, findings: list[Any]) -> int:
    _err(f"{path}: cannot be read")
    for f in findings:
        _err(_finding_line(f))
    return EXIT_FAILED


@command("build", "write a filled assessment workbook (native Excel formulas)", _build_args)
def cmd_build(args: argparse.Namespace) -> int:
    from aijri_xl.method.engine import AssessmentError
    from aijri_xl.sources import load
    from aijri_xl.workbook.writer import write_workbook

    loaded = load(args.file)
    if loaded.assessment is None:
        return _report_unreadable(args.file, loaded.findings)
    problems = [f for f in loaded.findings if f.severity == "error"]
    if problems:
        return _report_unreadable(args.file, problems)
    output = _output_path(args.output, ".xlsx")
    if output is None:
        return EXIT_USAGE
    try:
        write_workbook(loaded.assessment, output)
    except AssessmentError as exc:
        _err(f"{args.file}: a workbook cannot hold these inputs")
        for f in exc.findings:
            _err(_finding_line(f.located(f.field)))
        return EXIT_FAILED
    _out(f"wrote {output}")
    return EXIT_OK


def _output_path(text: str, suffix: str) -> Path | None:
    path = Path(text)
    if path.suffix.lower() != suffix:
        _err(f"aijri: error: the output must end in {suffix}: {text}")
        return None
    if not path.parent.exists():
        _err(f"aijri: error: the folder {path.parent} does not exist")
        return None
    return path


def _template_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("role", nargs="?",
                   help="a catalogue role id or title (see 'aijri roles'), or an O*NET "
                   "occupation: a code (29-1141.00, 29-1141) or a title that names one "
                   "(see 'aijri roles --search'); omit for a fully blank template")
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="the workbook to write (with --all or --all-occupations: a folder)")
    p.add_argument("--all", action="store_true",
                   help="write one template per catalogue role, plus blank.xlsx")
    p.add_argument("--all-occupations", action="store_true",
                   help="write one template per O*NET occupation with task statements, "
                   "named CODE-title.xlsx")


@command("template", "write a blank template: fully blank, for a catalogue role, or drafted "
         "from an O*NET occupation", _template_args)
def cmd_template(args: argparse.Namespace) -> int:
    from aijri_xl.catalogue import draft_assessment, role, roles
    from aijri_xl.method.model import Assessment
    from aijri_xl.workbook.writer import write_workbook

    if args.all and args.all_occupations:
        _err("aijri: error: give --all or --all-occupations, not both")
        return EXIT_USAGE
    if (args.all or args.all_occupations) and args.role:
        _err("aijri: error: give a role or --all/--all-occupations, not both")
        return EXIT_USAGE
    if args.all or args.all_occupations:
        folder = Path(args.output)
        if folder.exists() and not folder.is_dir():
            _err(f"aijri: error: {folder} is a file; --all and --all-occupations write "
                 "into a folder")
            return EXIT_USAGE
        folder.mkdir(parents=True, exist_ok=True)
        if args.all_occupations:
            from aijri_xl.occupations.template import write_all_templates

            written = write_all_templates(folder)
            _out(f"wrote {len(written)} occupation templates to {folder}")
            return EXIT_OK
        for r in roles():
            write_workbook(draft_assessment(r.id), folder / f"{r.id}.xlsx")
        write_workbook(Assessment(), folder / "blank.xlsx")
        _out(f"wrote {len(roles()) + 1} templates to {folder}")
        return EXIT_OK
    output = _output_path(args.output, ".xlsx")
    if output is None:
        return EXIT_USAGE
    if args.role is None:
        write_workbook(Assessment(), output)
    else:
        try:
            found = role(args.role)
        except KeyError as exc:
            return _occupation_template(args.role, output, str(exc.args[0]))
        write_workbook(draft_assessment(found.id), output)
    _out(f"wrote {output}")
    return EXIT_OK


def _occupation_template(text: str, output: Path, not_a_role: str) -> int:
    """``aijri template`` for a name that is no catalogue role: an O*NET occupation."""
    from aijri_xl import occupations
    from aijri_xl.occupations.template import write_template

    try:
        occupation = occupations.find(text)
    except occupations.AmbiguousOccupation as exc:
        _err(f"aijri: error: {text.strip()!r} matches {len(exc.candidates)} O*NET "
             "occupations; give a code (or a whole title):")
        for o in exc.candidates[:20]:
            _err(f"  {o.code}  {o.title}")
        if len(exc.candidates) > 20:
            _err(f"  ... and {len(exc.candidates) - 20} more: aijri roles --search "
                 f"{text.strip()!r} --limit 0")
        return EXIT_USAGE
    except occupations.OccupationError as exc:
        _err(f"aijri: error: {not_a_role}")
        _err(f"  and no O*NET occupation: {exc}")
        return EXIT_USAGE
    write_template(occupation.code, output)
    if occupation.task_count:
        _out(f"wrote {output}: {occupation.code} {occupation.title}, "
             f"{occupation.task_count} draft tasks (Core first; confirm each time share)")
    else:
        _out(f"wrote {output}: {occupation.code} {occupation.title} has no O*NET task "
             "statements; the task table is blank")
    return EXIT_OK


@command("examples", "regenerate the committed example workbook, its report and the templates",
         lambda p: p.add_argument("--root", default=".", help="the repository root"))
def cmd_examples(args: argparse.Namespace) -> int:
    from aijri_xl.examples import regenerate

    root = Path(args.root)
    if not (root / "workbooks").is_dir():
        _err(f"aijri: error: {root} has no workbooks/ folder; run from the repository root "
             "or give --root")
        return EXIT_USAGE
    for path in regenerate(root):
        _out(f"wrote {path}")
    return EXIT_OK


# --------------------------------------------------------------------------- report

REPORT_SUFFIXES = {".md": "md", ".txt": "md", ".html": "html", ".htm": "html"}


def _report_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="assessment (.yaml/.json), workbook (.xlsx/.ods) or published "
                                "report (.md/.txt/.html)")
    p.add_argument("-o", "--output", metavar="OUT",
                   help="the file to write (.md, .txt, .html); default: standard output")
    p.add_argument("--format", choices=("md", "html"), default=None,
                   help="md: the house format as text; html: one self-contained, printable "
                        "page (default: from OUT's suffix, else md)")
    p.add_argument("--strict", action="store_true",
                   help="refuse to publish when the source does not verify (FAIL)")


@command("report", "write the published assessment (house format, or one HTML page)",
         _report_args)
def cmd_report(args: argparse.Namespace) -> int:
    from aijri_xl.analytics.page import page
    from aijri_xl.house.builder import build
    from aijri_xl.house.publish import render
    from aijri_xl.method.engine import AssessmentError
    from aijri_xl.verify.file import verify_file

    output = Path(args.output) if args.output else None
    fmt = args.format
    if output is not None:
        by_suffix = REPORT_SUFFIXES.get(output.suffix.lower())
        if by_suffix is None:
            _err(f"aijri: error: the output must end in {', '.join(REPORT_SUFFIXES)}: "
                 f"{args.output}")
            return EXIT_USAGE
        if fmt is not None and fmt != by_suffix:
            _err(f"aijri: error: --format {fmt} does not match the output {args.output}")
            return EXIT_USAGE
        fmt = by_suffix
        if not output.parent.exists():
            _err(f"aijri: error: the folder {output.parent} does not exist")
            return EXIT_USAGE
        if output.exists() and output.resolve() == Path(args.file).resolve():
            _err(f"aijri: error: {args.output} is the file being read; write elsewhere")
            return EXIT_USAGE
    v = verify_file(args.file)
    a = v.loaded.assessment if v.loaded else None
    if v.result is None or a is None:
        _err(f"{args.file}: cannot be published: it cannot be scored")
        for f in v.findings:
            if f.severity == "error":
                _err(_finding_line(f))
        return EXIT_FAILED
    problems = [f for f in v.findings if f.severity == "error"]
    if problems:
        _err(f"{args.file}: the source does not verify (FAIL); the report publishes the "
             "method's figures for its inputs:" if not args.strict else
             f"{args.file}: not published: the source does not verify (FAIL):")
        for f in problems:
            _err(_finding_line(f))
        if args.strict:
            return EXIT_FAILED
    try:
        doc = build(a)
    except AssessmentError as exc:  # scored above, so only a defect gets here
        _err(f"{args.file}: cannot be published")
        for f in exc.findings:
            _err(_finding_line(f))
        return EXIT_FAILED
    text = page(doc) if fmt == "html" else render(doc, fmt or "md")
    if output is None:
        sys.stdout.write(text)
        return EXIT_OK
    _write_atomically(output, text.encode("utf-8"))
    r = doc.result
    _out(f"wrote {output}: {doc.assessment.role.title}, {r.final_score:.1f} {r.zone}, "
         f"{r.sub_label}")
    return EXIT_OK


def _write_atomically(path: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder, so a reader never sees half a
    file and an interrupted run leaves the old one."""
    import os
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- xlwings Lite


def _xlwings_lite_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", required=True, metavar="DIR",
                   help="folder for main.py and requirements.txt (created if needed)")


@command("xlwings-lite", "write main.py and requirements.txt for xlwings Lite "
         "(the =AIJRI_... Excel functions)", _xlwings_lite_args)
def cmd_xlwings_lite(args: argparse.Namespace) -> int:
    from aijri_xl.excel.lite import write_bundle

    for path in write_bundle(args.output):
        _out(f"wrote {path}")
    _out("Paste main.py and requirements.txt into the xlwings Lite editor's tabs of the "
         "same names (see docs/EXCEL.md).")
    return EXIT_OK


def _xlwings_server_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("directory", metavar="DIR",
                   help="the xlwings Server project folder (created if needed)")


@command("xlwings-server", "write custom_functions and custom_scripts for xlwings Server "
         "(the =XLWINGS.AIJRI_... Excel functions)", _xlwings_server_args)
def cmd_xlwings_server(args: argparse.Namespace) -> int:
    from aijri_xl.excel.server_project import write_project

    for path in write_project(args.directory):
        _out(f"wrote {path}")
    _out(f"Next: see {Path(args.directory) / 'README.md'} (run xlwings-server, sideload its "
         "manifest; licence: non-commercial use only without a paid xlwings licence).")
    return EXIT_OK


# --------------------------------------------------------------------------- register


def _register_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="files, folders (searched recursively for .yaml/.yml/.json, .md/.txt/.html "
                        "and .xlsx/.xlsm/.ods) or globs")
    p.add_argument("-o", "--output", default="register.xlsx", metavar="OUT",
                   help="the register to write: .xlsx (default: register.xlsx), .json, or "
                        ".csv (with OUT-flags.csv beside it); an earlier register there is "
                        "replaced, an input file never")
    p.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                   help="processes to verify with (default: every core)")
    p.add_argument("--quiet", "-q", action="store_true",
                   help="print only the counts, not each flag")
    from aijri_xl.verify.console import add_batch_arguments

    add_batch_arguments(p)
    p.epilog = ("One row per assessment (identical files count once). Flags: AIJ-R501 "
                "different assessors more than 5 points apart on a role, AIJ-R502 a quoted "
                "calibration peer at a score the register does not hold (warnings), AIJ-R503 "
                "an assessment that does not verify (error). Exit codes: 0 written and every "
                "assessment verifies; 1 written, but an assessment does not verify (or the "
                "register could not be written); 2 usage error, or OUT is an input file.")


@command("register", "one register of many assessments: zones, charts, calibration, flags",
         _register_args)
def cmd_register(args: argparse.Namespace) -> int:
    from aijri_xl.registry import build_register, is_register_file, summary_text, write_register
    from aijri_xl.sources import SUFFIXES
    from aijri_xl.verify.cluster import ClusterError
    from aijri_xl.verify.console import Progress, report_cache
    from aijri_xl.verify.runner import collect_names, is_url

    output = Path(args.output)
    if output.suffix.lower() not in (".xlsx", ".csv", ".json"):
        _err(f"aijri: error: the register must end in .xlsx, .csv or .json: {args.output}")
        return EXIT_USAGE
    if not output.parent.is_dir():
        _err(f"aijri: error: the folder {output.parent} does not exist")
        return EXIT_USAGE
    options = _batch_options(args, "register")
    if options is None:
        return EXIT_USAGE
    cache, scheduler = options
    files, _ = collect_names(args.paths, SUFFIXES)
    inputs = {Path(f).resolve() for f in files if not is_url(f)}
    if output.resolve() in inputs and not is_register_file(output):
        _err(f"aijri: error: {output} is one of the assessments read; refusing to overwrite "
             "it (choose another -o)")
        return EXIT_USAGE
    progress = Progress() if sys.stderr.isatty() else None
    try:
        reg = build_register(args.paths, args.jobs, exclude=[output], progress=progress,
                             cache=cache, scheduler=scheduler)
    except ClusterError as exc:
        _err(f"aijri: error: {exc}")
        return EXIT_FAILED
    report_cache(cache)
    _out(summary_text(reg))
    if not args.quiet:
        for flag in reg.flags:
            _out(f"  {flag.severity.upper():7} {flag.code} {flag.message}")
    try:
        written = write_register(reg, output)
    except OSError as exc:
        _err(f"aijri: error: cannot write {output}: {exc.strerror or exc}")
        return EXIT_FAILED
    _out("wrote " + ", ".join(map(str, written)))
    return EXIT_FAILED if reg.worst_flag == "error" else EXIT_OK


# --------------------------------------------------------------------------- main


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits 2 on usage errors already
        self.print_usage(sys.stderr)
        _err(f"{self.prog}: error: {message}")
        raise SystemExit(EXIT_USAGE)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command; with ``only``, the arguments of that command alone
    (the others listed, for ``--help``; ``""``: no command's arguments): what ``main``
    needs, built in a fraction of the time."""
    from aijri_xl._version import __version__

    parser = _Parser(prog="aijri", description="The AIJRI method in Excel: score, build, "
                     "verify and audit AI Job Resilience Index assessments.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (_, arguments, help_text) in COMMANDS.items():
        command_parser = sub.add_parser(name, help=help_text, description=help_text)
        if only is None or name == only:
            arguments(command_parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    # The command is the first word that is not an option (the top level has no option
    # that takes a value); only its arguments are built.
    named = next((a for a in argv if not a.startswith("-")), None)
    parser = build_parser(named if named in COMMANDS else "")  # "": the list of commands
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    handler = COMMANDS[args.command][0]
    try:
        return handler(args)
    except KeyboardInterrupt:
        _err("aijri: interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # the last line of defence: no traceback for a user
        _err(f"aijri: internal error in '{args.command}': {type(exc).__name__}: {exc}. "
             "This is a bug; please report it with the command and the file.")
        return EXIT_INTERNAL


if __name__ == "__main__":
    raise SystemExit(main())
