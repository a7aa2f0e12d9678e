"""Where the checks live, and what each shows for the values a workbook is built with.

Placed by the input cells' own positions (found through the layout's named cells), so
this module needs no row numbers of its own:

- a Check column beside the inputs: Role C, Protective/Evidence/Barriers D, Score D,
  Tasks I (``task_check``, one per row) and J (``task_warning``); under the task table
  ``check_task_table`` (no tasks, the time total) and ``check_task_formulas`` (a row
  without its formulas);
- the Checks sheet: one line per place (sheet, cell, what, problem, warning, counts),
  ``check_problems``, ``check_warnings`` and ``check_status``;
- a check line in row 3 of every input sheet.

Each placed formula comes with its Python twin (a function of the cells it reads), which
gives the cached value the writer stores; tests hold the two to the same values in
formualizer and LibreOffice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from aijri_xl._record import dataclass
from aijri_xl.method.parameters import (
    BARRIER_RANGE,
    BARRIERS,
    EVIDENCE,
    EVIDENCE_RANGE,
    GROWTH_RANGE,
    PROTECTIVE,
    PROTECTIVE_RANGE,
)
from aijri_xl.workbook import check_rules as R
from aijri_xl.workbook.layout_cells import Cell, last_row_of, row_of

CHECKS_SHEET = "Checks"
CHECKS_HEADER_ROW = 7
CHECKS_FIRST_ROW = 8
CHECK_COLUMN = {"Role": "C", "Protective": "D", "Evidence": "D", "Barriers": "D",
                "Score": "D"}
STATUS_REF, PROBLEMS_REF, WARNINGS_REF = "B3", "B4", "B5"

Env = Callable[[str, str], Any]  # (sheet, ref) -> the cell's value
Twin = Callable[[Env, Callable[[str], Any]], Any]  # (cell value, named value) -> value


@dataclass(frozen=True, slots=True)
class CheckLine:
    """One line of the Checks sheet."""

    row: int
    sheet: str
    where: str
    what: str
    problem: str  # the cell whose message the line shows ("Protective!D5"), or a name
    warning: str | None = None


@dataclass(frozen=True, slots=True)
class Placed:
    cell: Cell
    twin: Twin


def _c(sheet: str, ref: str, formula: str, name: str | None = None,
       kind: str = "display", fmt: str = "check") -> Cell:
    return Cell(sheet, ref, kind, name, formula, fmt)  # type: ignore[arg-type]


def placed_checks(by_name: Mapping[str, Cell], task_rows: int) -> list[Placed]:
    """Every check cell, in an order in which each one's twin can be evaluated."""
    out: list[Placed] = []
    title = by_name["role_title"]
    ref = f"C{row_of(title.ref)}"
    out.append(Placed(_c("Role", ref, R.required_text_check(title.ref, "job title")),
                      lambda env, _n: R.required_text_value(env("Role", title.ref),
                                                            "job title")))
    for sheet, dims, bounds in (("Protective", PROTECTIVE, PROTECTIVE_RANGE),
                                ("Evidence", EVIDENCE, EVIDENCE_RANGE),
                                ("Barriers", BARRIERS, BARRIER_RANGE)):
        for d in dims:
            out.append(_score_check(sheet, by_name[d.name], d.label, bounds))
    out.append(_score_check("Protective", by_name["growth_correlation"], "growth correlation",
                            GROWTH_RANGE))
    out.append(_score_check("Protective", by_name["growth_check"], "growth check",
                            GROWTH_RANGE, required=False))
    out += _task_checks(by_name, task_rows)
    out += _score_sheet_checks(by_name)
    return out


def _score_check(sheet: str, cell: Cell, label: str, bounds: tuple[int, int], *,
                 required: bool = True) -> Placed:
    ref = f"{CHECK_COLUMN[sheet]}{row_of(cell.ref)}"
    is_check = cell.name == "growth_check"
    equals = ("growth_correlation", "growth correlation") if is_check else None
    formula = R.score_check(cell.ref, label, bounds, required=required, equals=equals)

    def twin(env: Env, named: Callable[[str], Any]) -> Any:
        other = named("growth_correlation") if is_check else None
        return R.score_check_value(env(sheet, cell.ref), label, bounds, required=required,
                                   other=other, what="growth correlation" if is_check else "")

    return Placed(_c(sheet, ref, formula), twin)


def _task_checks(by_name: Mapping[str, Cell], n: int) -> list[Placed]:
    first = row_of(by_name["task_name"].ref)
    last = first + n - 1
    total = row_of(by_name["task_time_total"].ref)
    out: list[Placed] = []
    for row in range(first, last + 1):
        def row_values(env: Env, row: int = row) -> tuple[Any, ...]:
            return tuple(env("Tasks", f"{col}{row}") for col in R.TASK_ROW_COLUMNS)

        def check(env: Env, _n: Any, rv: Any = row_values) -> Any:
            return R.task_row_value(*rv(env))

        out.append(Placed(_c("Tasks", f"I{row}", R.task_row_check(row)), check))

        def warning(env: Env, _n: Any, row: int = row, rv: Any = row_values) -> Any:
            names = [env("Tasks", f"B{r}") for r in range(first, last + 1)]
            return R.task_row_warning_value(rv(env), names)

        out.append(Placed(_c("Tasks", f"J{row}", R.task_row_warning(row, "task_name")),
                          warning))

    def rows(env: Env) -> list[Any]:
        return [env("Tasks", f"I{r}") for r in range(first, last + 1)]

    out.append(Placed(_c("Tasks", f"I{total}", R.task_table_check("task_check", "task_time"),
                         "check_task_table", "helper"),
                      lambda env, _n: R.task_table_value(
                          rows(env), [env("Tasks", f"C{r}") for r in range(first, last + 1)])))
    out.append(Placed(_c("Tasks", f"J{total}", R.task_formulas_check("task_check"),
                         "check_task_formulas", "helper"), lambda env, _n: 0))
    return out


def _score_sheet_checks(by_name: Mapping[str, Cell]) -> list[Placed]:
    o = by_name["override_score"]
    j = by_name["override_justification"]
    f = row_of(by_name["final_score"].ref)
    out = [Placed(_c("Score", f"D{row_of(o.ref)}", R.override_check(o.ref, j.ref)),
                  lambda env, _n: R.override_check_value(env("Score", o.ref),
                                                         env("Score", j.ref))),
           Placed(_c("Score", f"D{f}", R.override_warning("override_score", "score")),
                  lambda env, named: R.override_warning_value(env("Score", o.ref),
                                                              named("score")))]
    roles = by_name["calibration_role"]
    for row in range(row_of(roles.ref), last_row_of(roles.ref) + 1):
        def peer(env: Env, _n: Any, row: int = row) -> Any:
            return R.peer_check_value(env("Score", f"A{row}"), env("Score", f"B{row}"))

        out.append(Placed(_c("Score", f"D{row}", R.peer_check(f"A{row}", f"B{row}")), peer))
    return out


def check_lines(by_name: Mapping[str, Cell]) -> tuple[CheckLine, ...]:
    """The lines of the Checks sheet, by sheet in workbook order (none depends on the
    task row count: the task lines read the ``task_check`` column by its name)."""
    spec: list[tuple[str, str, str, str, str | None]] = []
    title = by_name["role_title"]
    spec.append(("Role", title.ref, "job title present", f"Role!C{row_of(title.ref)}", None))
    for d in PROTECTIVE:
        r = row_of(by_name[d.name].ref)
        spec.append(("Protective", f"B{r}", f"{d.label}: whole number 0 to 3",
                     f"Protective!D{r}", None))
    for name, what in (("growth_correlation", "growth correlation: whole number -2 to 2"),
                       ("growth_check", "growth check: empty, or equal to the correlation")):
        r = row_of(by_name[name].ref)
        spec.append(("Protective", f"B{r}", what, f"Protective!D{r}", None))
    tasks = by_name["task_name"]
    spec.append(("Tasks", "every task row", "each row complete: time share, score 1 to 5, "
                 "class, name", "task_rows", "task_warnings"))
    spec.append(("Tasks", "Total", "one task or more; time shares sum to 100%",
                 "check_task_table", None))
    spec.append(("Tasks", "columns " + tasks.ref[0] + "-J", "every row with an input has "
                 "its formulas", "check_task_formulas", None))
    for sheet, dims, low, high in (("Evidence", EVIDENCE, -2, 2), ("Barriers", BARRIERS, 0, 2)):
        for d in dims:
            r = row_of(by_name[d.name].ref)
            spec.append((sheet, f"B{r}", f"{d.label}: whole number {low} to {high}",
                         f"{sheet}!D{r}", None))
    o = row_of(by_name["override_score"].ref)
    f = row_of(by_name["final_score"].ref)
    spec.append(("Score", f"B{o}", "override: empty, or 0 to 100 and justified",
                 f"Score!D{o}", f"Score!D{f}"))
    roles = by_name["calibration_role"]
    for r in range(row_of(roles.ref), last_row_of(roles.ref) + 1):
        spec.append(("Score", f"A{r}:B{r}", "calibration peer: a role and a score",
                     f"Score!D{r}", None))
    return tuple(CheckLine(CHECKS_FIRST_ROW + i, *s) for i, s in enumerate(spec))


def _line_formulas(line: CheckLine) -> tuple[str, str | None, str, str | None]:
    """(problem, warning, problem count, warning count) formulas of a line."""
    r = line.row
    if line.problem == "task_rows":
        return (R.task_rows_line("task_check"), R.task_rows_line("task_warning", R.WARNING),
                R.line_count("task_check"), R.line_count("task_warning", R.WARNING))
    problem = "=" + line.problem
    warning = "=" + line.warning if line.warning else None
    return (problem, warning, R.line_count(f"D{r}"),
            R.line_count(f"E{r}", R.WARNING) if warning else None)


def sheet_rows(lines: tuple[CheckLine, ...], sheet: str) -> tuple[int, int]:
    rows = [line.row for line in lines if line.sheet == sheet]
    return min(rows), max(rows)


def line_cells(by_name: Mapping[str, Cell]) -> list[Placed]:
    """The Checks sheet's formula cells, the master status and every sheet's check
    line, with their twins (which read the check cells' values through ``env``)."""
    lines = check_lines(by_name)
    first, last = CHECKS_FIRST_ROW, lines[-1].row
    out: list[Placed] = []
    for line in lines:
        problem, warning, n_problem, n_warning = _line_formulas(line)
        r = line.row
        out.append(Placed(_c(CHECKS_SHEET, f"D{r}", problem), _line_twin(line, "problem")))
        out.append(Placed(_c(CHECKS_SHEET, f"F{r}", n_problem, fmt="int"),
                          _count_twin(line, "D")))
        if warning is not None:
            out.append(Placed(_c(CHECKS_SHEET, f"E{r}", warning), _line_twin(line, "warning")))
            out.append(Placed(_c(CHECKS_SHEET, f"G{r}", n_warning or "", fmt="int"),
                              _count_twin(line, "E")))
    span = f"{first}:{{col}}{last}"
    col = {k: f"{CHECKS_SHEET}!{k}{span.format(col=k)}" for k in "ADEFG"}
    out.append(Placed(_c(CHECKS_SHEET, PROBLEMS_REF, f"=SUM({col['F']})", "check_problems",
                         "helper", "int"),
                      lambda env, _n: _sum(env, "F", first, last)))
    out.append(Placed(_c(CHECKS_SHEET, WARNINGS_REF, f"=SUM({col['G']})", "check_warnings",
                         "helper", "int"),
                      lambda env, _n: _sum(env, "G", first, last)))
    out.append(Placed(_c(CHECKS_SHEET, STATUS_REF, R.status(col["D"], col["E"], col["A"]),
                         "check_status", "helper"),
                      lambda env, _n: R.status_value(
                          [env(CHECKS_SHEET, f"D{r}") for r in range(first, last + 1)],
                          [env(CHECKS_SHEET, f"E{r}") for r in range(first, last + 1)],
                          [line.sheet for line in lines], _sum(env, "F", first, last),
                          _sum(env, "G", first, last))))
    for sheet in ("Role", "Protective", "Tasks", "Evidence", "Barriers", "Score"):
        s0, s1 = sheet_rows(lines, sheet)
        rng = {k: f"{CHECKS_SHEET}!{k}{s0}:{k}{s1}" for k in "DEFG"}

        def sheet_line(env: Env, _n: Any, s0: int = s0, s1: int = s1) -> Any:
            rows = range(s0, s1 + 1)
            return R.sheet_line_value([env(CHECKS_SHEET, f"D{r}") for r in rows],
                                      [env(CHECKS_SHEET, f"E{r}") for r in rows],
                                      [_num(env(CHECKS_SHEET, f"F{r}")) for r in rows],
                                      [_num(env(CHECKS_SHEET, f"G{r}")) for r in rows])

        out.append(Placed(_c(sheet, "A3", R.sheet_line(rng["D"], rng["E"], rng["F"],
                                                       rng["G"])), sheet_line))
    out.append(Placed(_c("Commentary", "A3", "=check_status"),
                      lambda env, _n: env(CHECKS_SHEET, STATUS_REF)))
    return out


def _num(value: Any) -> int:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0


def _sum(env: Env, col: str, first: int, last: int) -> int:
    return sum(_num(env(CHECKS_SHEET, f"{col}{r}")) for r in range(first, last + 1))


def _line_twin(line: CheckLine, which: str) -> Twin:
    source = line.problem if which == "problem" else line.warning or ""

    def twin(env: Env, named: Callable[[str], Any]) -> Any:
        if source in ("task_rows", "task_warnings"):
            col = "I" if source == "task_rows" else "J"
            first, last = named("task_rows_span")
            values = [env("Tasks", f"{col}{r}") for r in range(first, last + 1)]
            return R.task_rows_line_value(values, first,
                                          R.PROBLEM if col == "I" else R.WARNING)
        if "!" in source:
            sheet, ref = source.split("!")
            return env(sheet, ref)
        return named(source)

    return twin


def _count_twin(line: CheckLine, col: str) -> Twin:
    mark = R.PROBLEM if col == "D" else R.WARNING

    def twin(env: Env, named: Callable[[str], Any]) -> Any:
        if line.problem == "task_rows":
            first, last = named("task_rows_span")
            column = "I" if col == "D" else "J"
            return sum(1 for r in range(first, last + 1)
                       if _failing(env("Tasks", f"{column}{r}"), mark))
        return 1 if _failing(env(CHECKS_SHEET, f"{col}{line.row}"), mark) else 0

    return twin


def _failing(value: Any, mark: str) -> bool:
    return isinstance(value, str) and value.startswith(mark)


def check_cells(by_name: Mapping[str, Cell], task_rows: int) -> list[Cell]:
    """Every check formula cell and the names over the Check columns."""
    first = row_of(by_name["task_name"].ref)
    last = first + task_rows - 1
    cells = [p.cell for p in placed_checks(by_name, task_rows)]
    cells += [p.cell for p in line_cells(by_name)]
    cells += [Cell("Tasks", f"I{first}:I{last}", "helper", "task_check", fmt="check"),
              Cell("Tasks", f"J{first}:J{last}", "helper", "task_warning", fmt="check")]
    return cells


def cached_checks(by_name: Mapping[str, Cell], task_rows: int, env_inputs: Env,
                  named: Callable[[str], Any]) -> dict[tuple[str, str], Any]:
    """The value of every check cell for the given input values and named results."""
    done: dict[tuple[str, str], Any] = {}
    first = row_of(by_name["task_name"].ref)

    def env(sheet: str, ref: str) -> Any:
        if (sheet, ref) in done:
            return done[(sheet, ref)]
        return env_inputs(sheet, ref)

    def name(n: str) -> Any:
        if n == "task_rows_span":
            return first, first + task_rows - 1
        cell = by_name.get(n)
        if cell is not None and not cell.is_range:
            return env(cell.sheet, cell.ref)
        return named(n)

    for p in placed_checks(by_name, task_rows) + line_cells(by_name):
        done[(p.cell.sheet, p.cell.ref)] = p.twin(env, name)
    return done
