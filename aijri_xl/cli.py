"""The ``aijri`` command line. Renders what the library returns; never shows a traceback.

Exit codes: one table, :data:`aijri_xl.cli_support.EXIT_CODES`, which ``aijri --help``
prints and the README shows (a test keeps them equal).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from aijri_xl import cli_reference  # registers codes, schema, params, roles
from aijri_xl.cli_support import (
    COMMANDS,
    EXIT_FAILED,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    _err,
    _finding_line,
    _json,
    _out,
    _output_path,
    _Parser,
    _with_sensitivity,
    batch_options,
    checked_folder,
    checked_output,
    command,
    exit_codes_text,
    force_arg,
    now,
    writing,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing for every command
if TYPE_CHECKING:
    from typing import Any

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
                   help="files (.xlsx/.xlsm/.ods workbooks, .md/.txt/.html reports, "
                        ".yaml/.json), folders (searched recursively for all of these; other "
                        "files, lock files and aijri's own audit reports and registers are "
                        "skipped and named), globs, or fsspec URLs")
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
    force_arg(p)
    from aijri_xl.verify.console import add_batch_arguments

    add_batch_arguments(p)


@command("verify", "verify files and folders: stated figures, formulas, every rule",
         _verify_args)
def cmd_verify(args: argparse.Namespace) -> int:
    import itertools
    from types import SimpleNamespace

    from aijri_xl.verify.audit import iter_audit, report_bugs
    from aijri_xl.verify.cluster import ClusterError
    from aijri_xl.verify.console import Progress, render, report_cache

    if args.report:
        from aijri_xl.verify.reports import REPORT_SUFFIXES, AuditContext, open_report
    if args.report and Path(args.report).suffix.lower() not in REPORT_SUFFIXES:
        _err(f"aijri: error: --report must end in .xlsx, .csv, .json, .jsonl or .html: "
             f"{args.report}")
        return EXIT_USAGE
    report_path = None
    if args.report:
        report_path = Path(args.report)
        also = [report_path.with_name(report_path.stem + "-findings.csv")] \
            if report_path.suffix.lower() == ".csv" else []
        checked_output(report_path, args.paths, read=True, force=args.force, also=also)
    options = batch_options(args, "verify")
    if options is None:
        return EXIT_USAGE
    cache, scheduler = options
    audited_at = now()
    skipped: list[tuple[str, str]] = []
    progress = Progress() if sys.stderr.isatty() and not args.json else None
    stream = iter_audit(args.paths, args.jobs, progress, cache=cache, scheduler=scheduler,
                        skipped=skipped, keep_data=args.json)
    writer = None
    if report_path is not None:
        with writing(report_path):
            writer = open_report(report_path, AuditContext(
                tuple(map(str, args.paths)), audited_at, skipped))
    # --annotate needs every report (a copy is never written over a verified file)
    annotated: list[Any] = []
    to_annotate = SimpleNamespace(add=annotated.append) if args.annotate else None
    bugs: list[Any] = []
    bug_log = SimpleNamespace(add=lambda r: bugs.append(r) if r.error is not None else None)
    try:
        first = list(itertools.islice(stream, 2))  # one file alone is shown in full
        reports = itertools.chain(first, stream)
        counts = render(reports, sys.stdout, single=len(first) == 1, quiet=args.quiet,
                        as_json=args.json, skipped=skipped,
                        each=[w for w in (writer, to_annotate, bug_log) if w],
                        as_dict=_with_sensitivity if args.json else None)
    except ClusterError as exc:
        _err(f"aijri: error: {exc}")
        return EXIT_FAILED
    report_cache(cache)
    if writer is not None:
        _err("wrote " + ", ".join(map(str, writer.close())))
    if to_annotate is not None:
        from aijri_xl.sources.output_paths import write_bytes_atomically
        from aijri_xl.verify.annotate import annotate_reports

        if not annotate_reports(annotated, Path(args.annotate), write_bytes_atomically, _err):
            return EXIT_FAILED
    if report_bugs(bugs, _err):
        return EXIT_INTERNAL
    return EXIT_FAILED if counts["FAIL"] else EXIT_OK


# --------------------------------------------------------------------------- diff


def _diff_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("old", help="the earlier version: workbook, assessment file or report")
    p.add_argument("new", help="the later version (any kind; kinds may differ)")
    p.add_argument("--json", action="store_true", help="print the comparison as JSON")
    p.add_argument("-o", "--output", metavar="OUT", help="also write it to print: .html, .xlsx")
    force_arg(p)


@command("diff", "what changed between two versions, and why the score moved", _diff_args)
def cmd_diff(args: argparse.Namespace) -> int:
    from aijri_xl.analytics.review import DiffError, output_problem, review, text, write
    from aijri_xl.sources.output_paths import write_bytes_atomically

    if problem := output_problem(args.output, (args.old, args.new)):
        _err(f"aijri: error: {problem}")
        return EXIT_USAGE
    if args.output:
        checked_output(args.output, [args.old, args.new], force=args.force)
    try:
        rv = review(args.old, args.new)
    except DiffError as exc:
        _err(str(exc))
        return EXIT_FAILED
    _json(rv.to_dict()) if args.json else sys.stdout.write(text(rv))
    if args.output:
        with writing(Path(args.output)):
            write_bytes_atomically(Path(args.output), write(rv, Path(args.output)))
        _err(f"wrote {args.output}")
    return EXIT_OK


# --------------------------------------------------------------------------- workbooks


def _build_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="assessment (.yaml/.json) or published report (.md/.txt/.html)")
    p.add_argument("-o", "--output", required=True, metavar="OUT.xlsx",
                   help="the workbook to write")
    force_arg(p)


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
    checked_output(output, [args.file], force=args.force)
    try:
        with writing(output):
            write_workbook(loaded.assessment, output)
    except AssessmentError as exc:
        _err(f"{args.file}: a workbook cannot hold these inputs")
        for f in exc.findings:
            _err(_finding_line(f.located(f.field)))
        return EXIT_FAILED
    _out(f"wrote {output}")
    return EXIT_OK


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
    force_arg(p)


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
        from aijri_xl.sources.output_paths import OutputRefused

        folder = Path(args.output)
        if folder.exists() and not folder.is_dir():
            raise OutputRefused(folder, "is a file; --all and --all-occupations write into "
                                "a folder")
        with writing(folder):
            folder.mkdir(parents=True, exist_ok=True)
        if args.all_occupations:
            from aijri_xl.occupations.template import write_all_templates

            written = write_all_templates(folder)
            _out(f"wrote {len(written)} occupation templates to {folder}")
            return EXIT_OK
        books = {folder / f"{r.id}.xlsx": draft_assessment(r.id) for r in roles()}
        books[folder / "blank.xlsx"] = Assessment()
        for path in books:
            checked_output(path, force=args.force)
        for path, a in books.items():
            with writing(path):
                write_workbook(a, path)
        _out(f"wrote {len(roles()) + 1} templates to {folder}")
        return EXIT_OK
    output = _output_path(args.output, ".xlsx")
    if output is None:
        return EXIT_USAGE
    template = Assessment()
    if args.role is not None:
        try:
            found = role(args.role)
        except KeyError as exc:
            checked_output(output, force=args.force)
            return cli_reference.occupation_template(args.role, output, str(exc.args[0]))
        template = draft_assessment(found.id)
    checked_output(output, force=args.force)
    with writing(output):
        write_workbook(template, output)
    _out(f"wrote {output}")
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
                   help="refuse to publish when the source does not verify (FAIL); without "
                        "it, such a page carries a notice with the number of findings")
    force_arg(p)


@command("report", "write the published assessment (house format, or one HTML page)",
         _report_args)
def cmd_report(args: argparse.Namespace) -> int:
    from aijri_xl.analytics.page import page
    from aijri_xl.house.builder import build
    from aijri_xl.house.publish import render
    from aijri_xl.method.engine import AssessmentError
    from aijri_xl.sources.output_paths import write_bytes_atomically
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
        checked_output(output, [args.file], force=args.force)
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
        doc = build(a, failing=len(problems))
    except AssessmentError as exc:  # scored above, so only a defect gets here
        _err(f"{args.file}: cannot be published")
        for f in exc.findings:
            _err(_finding_line(f))
        return EXIT_FAILED
    text = page(doc) if fmt == "html" else render(doc, fmt or "md")
    if output is None:
        sys.stdout.write(text)
        return EXIT_OK
    with writing(output):
        write_bytes_atomically(output, text.encode("utf-8"))
    r = doc.result
    _out(f"wrote {output}: {doc.assessment.role.title}, {r.final_score:.1f} {r.zone}, "
         f"{r.sub_label}")
    return EXIT_OK


# --------------------------------------------------------------------------- xlwings Lite


def _xlwings_lite_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", required=True, metavar="DIR",
                   help="folder for main.py and requirements.txt (created if needed)")
    force_arg(p)


@command("xlwings-lite", "write main.py and requirements.txt for xlwings Lite "
         "(the =AIJRI_... Excel functions)", _xlwings_lite_args)
def cmd_xlwings_lite(args: argparse.Namespace) -> int:
    from aijri_xl.excel.lite import REQUIREMENTS, write_bundle

    def ours(path: Path) -> bool:
        return path.name == "requirements.txt" and \
            path.read_bytes() == REQUIREMENTS.encode("utf-8")

    folder = checked_folder(args.output, ("main.py", "requirements.txt"), args.force, ours)
    with writing(folder):
        written = write_bundle(folder)
    for path in written:
        _out(f"wrote {path}")
    _out("Paste main.py and requirements.txt into the xlwings Lite editor's tabs of the "
         "same names (see docs/EXCEL.md).")
    return EXIT_OK


def _xlwings_server_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("directory", metavar="DIR",
                   help="the xlwings Server project folder (created if needed)")
    force_arg(p)


@command("xlwings-server", "write custom_functions and custom_scripts for xlwings Server "
         "(the =XLWINGS.AIJRI_... Excel functions)", _xlwings_server_args)
def cmd_xlwings_server(args: argparse.Namespace) -> int:
    from aijri_xl.excel.server_project import project_files, write_project

    folder = checked_folder(args.directory, tuple(project_files()), args.force)
    with writing(folder):
        written = write_project(folder)
    for path in written:
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
                        ".csv (with OUT-flags.csv beside it); never an input, nor a file "
                        "inside a folder being read")
    p.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                   help="processes to verify with (default: every core)")
    p.add_argument("--quiet", "-q", action="store_true",
                   help="print only the counts, not each flag")
    force_arg(p)
    from aijri_xl.verify.console import add_batch_arguments

    add_batch_arguments(p)
    p.epilog = ("One row per assessment (files holding the same scorable assessment count "
                "once; each keeps its verdict). Flags: AIJ-R501 different assessors more "
                "than 5 points apart on a role, AIJ-R502 a quoted calibration peer at a score "
                "the register does not hold (warnings), AIJ-R503 an assessment that does not "
                "verify (error).")


@command("register", "one register of many assessments: zones, charts, calibration, flags",
         _register_args)
def cmd_register(args: argparse.Namespace) -> int:
    from aijri_xl.registry import build_register, summary_text, write_register
    from aijri_xl.verify.cluster import ClusterError
    from aijri_xl.verify.console import Progress, report_cache

    output = Path(args.output)
    if output.suffix.lower() not in (".xlsx", ".csv", ".json"):
        _err(f"aijri: error: the register must end in .xlsx, .csv or .json: {args.output}")
        return EXIT_USAGE
    also = [output.with_name(output.stem + "-flags.csv")] \
        if output.suffix.lower() == ".csv" else []
    checked_output(output, args.paths, read=True, force=args.force, also=also)
    options = batch_options(args, "register")
    if options is None:
        return EXIT_USAGE
    cache, scheduler = options
    progress = Progress() if sys.stderr.isatty() else None
    try:
        reg = build_register(args.paths, args.jobs, exclude=[output], progress=progress,
                             made_at=now(), cache=cache, scheduler=scheduler)
    except ClusterError as exc:
        _err(f"aijri: error: {exc}")
        return EXIT_FAILED
    report_cache(cache)
    _out(summary_text(reg))
    if not args.quiet:
        for flag in reg.flags:
            _out(f"  {flag.severity.upper():7} {flag.code} {flag.message}")
    with writing(output):
        written = write_register(reg, output)
    _out("wrote " + ", ".join(map(str, written)))
    return EXIT_FAILED if reg.worst_flag == "error" else EXIT_OK


# --------------------------------------------------------------------------- main


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command; with ``only``, that command alone with its
    arguments (``""``: every command listed, for ``--help``, without their arguments):
    what ``main`` needs, built in a fraction of the time."""
    from aijri_xl._version import __version__

    parser = _Parser(prog="aijri", description="The AIJRI method in Excel: score, build, "
                     "verify and audit AI Job Resilience Index assessments.",
                     epilog=exit_codes_text(),
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    order = ("score", "verify", "diff", "codes", "schema", "params", "roles")  # then the rest
    for name, (_, arguments, help_text) in sorted(
            COMMANDS.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99):
        if only and name != only:
            continue
        p = sub.add_parser(name, help=help_text, description=help_text,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        if only is None or name == only:
            arguments(p)
        p.epilog = ((p.epilog + "\n\n") if p.epilog else "") + exit_codes_text()
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
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # the last line of defence: no traceback for a user
        refused = _refused(exc)
        if refused is not None:
            _err(f"aijri: error: {refused.path}: {refused.reason}")
            return EXIT_USAGE
        _err(f"aijri: internal error in '{args.command}': {type(exc).__name__}: {exc}. "
             "This is a bug; please report it with the command and the file.")
        return EXIT_INTERNAL


def _refused(exc: BaseException) -> Any:
    """``exc`` if it is an output path refused (exit 2); the module that defines it is
    loaded only by a command that checks an output, so a command that has not cannot
    have raised it."""
    paths = sys.modules.get("aijri_xl.sources.output_paths")
    return exc if paths is not None and isinstance(exc, paths.OutputRefused) else None


if __name__ == "__main__":
    raise SystemExit(main())
