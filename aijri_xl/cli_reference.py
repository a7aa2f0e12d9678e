"""The reference commands of ``aijri``: the finding codes, the JSON Schema, the method's
parameters, the role catalogue and the O*NET occupations. Registered in
:data:`aijri_xl.cli_support.COMMANDS` when :mod:`aijri_xl.cli` imports this module."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from aijri_xl.cli_support import EXIT_FAILED, EXIT_OK, EXIT_USAGE, _err, _json, _out, command

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


def occupation_template(text: str, output: Path, not_a_role: str) -> int:
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
