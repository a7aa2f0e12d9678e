"""An independent evaluation of a workbook's own formulas, by formualizer.

formualizer is a maintained Excel formula engine (Rust); it is not this project's engine, so
what it computes is what the workbook's formulas say, whatever they have been edited to. The
verifier sets it beside the reference to report, e.g., "the score cell shows 61.3; its
formulas compute 61.3; the method gives 52.8".

It is given the workbook as the verifier read it, not the file: the values of every cell
read, and the formulas of the template's formula cells only, each as the file holds it with
every defined name replaced by the file's own target for it (formualizer's Python API has
no defined names; the target is what Excel resolves the name to). Formula cells the
template does not have are reported elsewhere and never evaluated; a template formula whose
references cover more cells than the contract's names may, or that calls a function the
template never uses, is not evaluated either (:class:`EvaluationBudgetExceeded`). Every
template formula the file holds is prepared and budgeted so, but only those the result cells
depend on (directly or through other formulas, as the file's own formulas say) are
evaluated: no other can change what a result cell computes, and the checks' formulas are
most of the template. Which formulas those are is worked out once for all the workbooks of
a layout that hold the same formulas under the same names, and formualizer's workbook that
holds them is kept and given the next such workbook's values. The evaluation runs on this
thread (no thread pool of its own: the process pool of a batch is the parallelism) under
the time and work budget of :mod:`aijri_xl.workbook.limits`.

Its memory is bounded before formualizer runs, from the formulas and the values they read
(formualizer copies every text into each cell of an array that holds it, and joins texts of
any length): a formula may use only the template's functions and operators (so no inline
arrays, no ranges built with ``:``, no spilled-range references, names' targets included),
no reference across sheets, no name that stays unresolved because its target would be too
long; its ranges may broadcast to an array of at most ``EVAL_ARRAY_CELLS`` (all of them
together: ``EVAL_TOTAL_ARRAY_CELLS``); the texts read may hold at most ``EVAL_TEXT_CHARS``; and the
text the formulas can build, their arrays' cells times the longest text read or written
times the pieces ``&`` joins through any chain of them, at most ``EVAL_BUILT_TEXT``.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from aijri_xl._record import dataclass
from aijri_xl.workbook.formula import (
    FormulaSyntaxError,
    FormulaTooLong,
    functions,
    parse_area,
    substitute_names,
    template_functions,
    template_names,
    template_operators,
    template_texts,
    tokens,
)
from aijri_xl.workbook.layout import Layout
from aijri_xl.workbook.limits import (
    EVAL_ARRAY_CELLS,
    EVAL_BUILT_TEXT,
    EVAL_FORMULA_CELLS,
    EVAL_PREPARED_CHARS,
    EVAL_RANGE_CELLS,
    EVAL_TEXT_CHARS,
    EVAL_TIME_MS,
    EVAL_TOTAL_ARRAY_CELLS,
    EVAL_TOTAL_CELLS,
    EVAL_WORK_UNITS,
    MAX_FORMULA_CHARS,
    MAX_NAME_CELLS,
)
from aijri_xl.workbook.xlsx import CellData, WorkbookData, col_letters, split_ref

_ERRORS = {"Div": "#DIV/0!", "Value": "#VALUE!", "Ref": "#REF!", "Name": "#NAME?",
           "Num": "#NUM!", "NA": "#N/A", "Null": "#NULL!", "Circ": "#CIRC!",
           "Spill": "#SPILL!", "Calc": "#CALC!"}


class FormulaEngineError(RuntimeError):
    """formualizer could not load or evaluate the workbook."""


class EvaluationBudgetExceeded(FormulaEngineError):
    """The formulas ask for more work than the template's own could: not evaluated."""


@lru_cache(maxsize=8)
def _config() -> Any:
    import formualizer

    cfg = formualizer.EvaluationConfig()
    cfg.enable_parallel = False
    cfg.max_threads = 1
    cfg.max_eval_time_ms = EVAL_TIME_MS
    cfg.max_work_units = EVAL_WORK_UNITS
    cfg.range_expansion_limit = EVAL_RANGE_CELLS
    return formualizer.WorkbookConfig(eval_config=cfg)


@lru_cache(maxsize=8)
def _name_targets(items: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Upper-case name → its target, names inside targets resolved too (three levels)."""
    targets = {k.upper(): v.lstrip("=") for k, v in items}
    for _ in range(3):
        changed = {}
        for k, v in targets.items():
            try:
                new = substitute_names(v, targets, EVAL_PREPARED_CHARS)[1:]
            except (FormulaSyntaxError, FormulaTooLong):
                new = v  # left as written: a formula using it is refused or gets #NAME?
            if new != v:
                changed[k] = new
        if not changed:
            break
        targets.update(changed)
    return targets


_NAME_SETS: dict[tuple[tuple[str, str], ...], int] = {}
_NAME_SET_ITEMS: dict[int, tuple[tuple[str, str], ...]] = {}
_NAME_SET_COUNT = [0]


def _name_set(items: tuple[tuple[str, str], ...]) -> int:
    """A small number for a workbook's set of defined names (the same in every workbook of
    one layout), so the per-formula cache below hashes an int, not a hundred names. A
    number is never given to another set (the caches keyed by it stay true when the
    table is emptied)."""
    found = _NAME_SETS.get(items)
    if found is None:
        if len(_NAME_SETS) >= 64:
            _NAME_SETS.clear()
            _NAME_SET_ITEMS.clear()
            _prepared.cache_clear()
            _plan.cache_clear()
            _template_names_set.cache_clear()
        _NAME_SET_COUNT[0] += 1
        found = _NAME_SET_COUNT[0]
        _NAME_SETS[items] = found
        _NAME_SET_ITEMS[found] = items
    return found


@lru_cache(maxsize=64)
def _template_names_set(names_id: int, lay: Layout) -> bool:
    """Whether the names ``names_id`` stands for are the template's, pointing where the
    template's do: then a formula with a template formula's text is the template's own,
    which calls only its functions and operators (tests/test_verify_workbook.py), and is
    not read for them."""
    return dict(_NAME_SET_ITEMS[names_id]) == template_names(lay)


@lru_cache(maxsize=8)
def _defined(items: tuple[tuple[str, str], ...]) -> frozenset[str]:
    return frozenset(k.upper() for k, _ in items)


NUMBER_TEXT = 32
"""Characters a number, boolean or error can become as text (``&`` joins their text)."""


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A formula as formualizer gets it, and what bounds the memory it can take: the cells
    of the largest array it can build, the pieces its ``&`` joins (``&`` is the only way a
    template function or operator lengthens a text) and its longest string literal."""

    text: str
    array: int
    pieces: int
    literal: int


@lru_cache(maxsize=2048)
def _prepared(formula: str, names_id: int, lay: Layout) -> _Prepared:
    """The formula as formualizer gets it, or :class:`EvaluationBudgetExceeded`: it may
    use only the template's functions and operators (its names' targets included), and its
    ranges are bounded one by one, together, and as the arrays they broadcast to."""
    names_key = _NAME_SET_ITEMS[names_id]
    if len(formula) > MAX_FORMULA_CHARS:
        raise EvaluationBudgetExceeded(f"a formula of {len(formula):,} characters")
    own = formula in template_texts(lay) and _template_names_set(names_id, lay)
    try:
        text = substitute_names(formula, _name_targets(names_key), EVAL_PREPARED_CHARS)
        foreign = frozenset() if own else functions(text) - template_functions(lay)
        toks = tokens(text)
    except FormulaTooLong as exc:
        raise EvaluationBudgetExceeded(f"the formula has {exc}") from exc
    except FormulaSyntaxError as exc:
        raise EvaluationBudgetExceeded(f"a formula the verifier cannot read ({exc})") from exc
    if foreign:
        raise EvaluationBudgetExceeded(f"it calls {', '.join(sorted(foreign))}, which the "
                                       "template never uses")
    defined = _defined(names_key)
    left = sorted({t.text for i, t in enumerate(toks) if t.kind == "name"
                   and t.text.upper() in defined and not (i and toks[i - 1].kind == "prefix")})
    if left:
        raise EvaluationBudgetExceeded(f"its name {left[0]} stands for more than "
                                       f"{EVAL_PREPARED_CHARS:,} characters once the names "
                                       "it holds are replaced")
    allowed = frozenset() if own else template_operators(lay)
    odd = [] if own else sorted({t.text if t.kind == "op" else t.kind for t in toks
                                 if (t.text if t.kind == "op" else f"kind:{t.kind}")
                                 not in allowed})
    if odd:
        raise EvaluationBudgetExceeded(f"it uses {', '.join(repr(o) for o in odd)}, which "
                                       "the template's formulas never use")
    total = 0
    rows = cols = 1
    for tok in toks:
        if tok.kind == "prefix" and ":" in tok.text.strip("'!").replace("''", ""):
            raise EvaluationBudgetExceeded(f"it refers across sheets ({tok.text}), which "
                                           "the template's formulas never do")
        if tok.kind == "range":
            area = parse_area(tok.text)
            if area is not None:
                cells = (area[2] - area[0] + 1) * (area[3] - area[1] + 1)
                if cells > MAX_NAME_CELLS:
                    raise EvaluationBudgetExceeded(
                        f"it refers to {tok.text} ({cells:,} cells; the contract's ranges "
                        f"cover at most {MAX_NAME_CELLS:,})")
                total += cells
                rows, cols = max(rows, area[2] - area[0] + 1), max(cols, area[3] - area[1] + 1)
    if total > EVAL_FORMULA_CELLS:
        raise EvaluationBudgetExceeded(f"it refers to {total:,} cells (a template formula "
                                       f"refers to at most {EVAL_FORMULA_CELLS:,})")
    if rows * cols > EVAL_ARRAY_CELLS:
        raise EvaluationBudgetExceeded(
            f"its ranges span {rows:,} rows and {cols:,} columns, an array of "
            f"{rows * cols:,} cells (a formula may build at most {EVAL_ARRAY_CELLS:,})")
    pieces = 1 + sum(1 for t in toks if t.kind == "op" and t.text == "&")
    literal = max((len(t.text) for t in toks if t.kind == "string"), default=0)
    return _Prepared(text, rows * cols, pieces, literal)


@lru_cache(maxsize=2048)
def _references(text: str, sheet: str) -> tuple[tuple[str, str], ...]:
    """The cells a prepared formula (on ``sheet``) refers to; its ranges are bounded by
    :func:`_prepared`."""
    out = []
    prefix = None
    for tok in tokens(text):
        if tok.kind == "prefix":
            prefix = tok.text[:-1]
            if prefix.startswith("'") and prefix.endswith("'"):
                prefix = prefix[1:-1].replace("''", "'")
            continue
        if tok.kind == "range":
            area = parse_area(tok.text)
            if area is not None:
                target = prefix or sheet
                out += [(target, f"{col_letters(c - 1)}{r}") for r in range(area[0], area[2] + 1)
                        for c in range(area[1], area[3] + 1)]
        prefix = None
    return tuple(out)


@lru_cache(maxsize=16)
def _template_order(lay: Layout) -> tuple[tuple[str, str], ...]:
    """The template's formula cells in the layout's order (once per layout), so that a
    formula refused is always the first the template lists."""
    return tuple(dict.fromkeys((c.sheet, c.ref) for c in lay.formula_cells()))


@lru_cache(maxsize=16)
def _template_runs(lay: Layout) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """:func:`_template_order` as runs of cells of one sheet (so a workbook's formulas are
    looked up sheet by sheet)."""
    runs: list[tuple[str, list[str]]] = []
    for sheet, ref in _template_order(lay):
        if not runs or runs[-1][0] != sheet:
            runs.append((sheet, []))
        runs[-1][1].append(ref)
    return tuple((sheet, tuple(refs)) for sheet, refs in runs)


@dataclass(frozen=True, slots=True)
class _Plan:
    """What one evaluation sets: the formulas the target cells depend on (directly or
    through other formulas), and the cells whose values those formulas read."""

    formulas: tuple[tuple[str, int, int, str], ...]  # sheet, row, column (1-based), text
    values: tuple[tuple[str, int, int, tuple[str, ...]], ...]
    """Runs of cells one above the other: sheet, first row, column (1-based), their refs
    (set in one call each: one call per cell costs three times as much)."""
    arrays: int = 0  # the cells of the formulas' arrays, summed
    growth: int = 1
    """The product of the pieces each formula's ``&`` joins: a text read through any chain
    of them (by reference, or from an array one spills) is at most this many times the
    longest text read or written, so ``arrays * growth`` times that bounds the characters
    they build."""
    literal: int = 0  # the longest string literal among the formulas
    largest: str = ""  # the formula whose array takes most of that


_GROWTH_CAP = 10 ** 12

_READY: dict[tuple[int, tuple[str, ...]], tuple[_Plan, Any]] = {}
"""formualizer workbooks that hold one plan's formulas over one set of sheets, each kept
after an evaluation that ran to its end, by the plan's identity (checked: the plan is kept
with it) and the sheets' names. The next workbook of that plan sets every cell the plan
reads, empty ones too, so nothing of the last one is left, and evaluates: what changed is
recalculated, the formulas are not parsed and set again. It is taken out while in use, so
two threads never share one; one that fails is dropped."""
_READY_ENTRIES = 4


@lru_cache(maxsize=64)
def _plan(formulas: tuple[str | None, ...], names_id: int, lay: Layout,
          targets: tuple[tuple[str, str], ...]) -> _Plan:
    """The evaluation of a workbook whose template formula cells hold ``formulas`` (in
    :func:`_template_order`; ``None``: no formula there), computed once for all the
    workbooks of one layout that hold the same formulas under the same names. Only the
    formulas the targets depend on (directly or through other formulas) are prepared,
    budgeted (:func:`_prepared`) and set: no other can change what the targets compute,
    and a formula that differs from the template's is reported as edited whether it is
    evaluated or not. A target without a formula is set as the value it holds; a formula
    refused is the first of those refused in the layout's order."""
    order = _template_order(lay)
    held = {key: formula for key, formula in zip(order, formulas, strict=True)
            if formula is not None}
    prepared: dict[tuple[str, str], str] = {}
    shapes: dict[tuple[str, str], _Prepared] = {}
    refused: dict[tuple[str, str], str] = {}
    read = {t for t in targets if t not in held}
    stack = [t for t in targets if t in held]
    cells = 0
    while stack:
        key = stack.pop()
        if key in prepared or key in refused:
            continue
        try:
            shape = _prepared(held[key], names_id, lay)
        except EvaluationBudgetExceeded as exc:
            refused[key] = str(exc)
            continue
        text = prepared[key] = shape.text
        shapes[key] = shape
        refs = _references(text, key[0])
        cells += len(refs)
        if cells > EVAL_TOTAL_CELLS:
            raise EvaluationBudgetExceeded(f"the formulas the results depend on refer to "
                                           f"more than {EVAL_TOTAL_CELLS:,} cells together")
        for dep in refs:
            if dep in held:
                stack.append(dep)
            else:
                read.add(dep)
    if refused:
        first = next(key for key in order if key in refused)
        raise EvaluationBudgetExceeded(f"{first[0]}!{first[1]}: {refused[first]}")
    needed = prepared
    arrays = sum(shapes[key].array for key in needed)
    if arrays > EVAL_TOTAL_ARRAY_CELLS:
        raise EvaluationBudgetExceeded(f"the formulas the results depend on build arrays of "
                                       f"{arrays:,} cells together (at most "
                                       f"{EVAL_TOTAL_ARRAY_CELLS:,})")
    growth = 1
    for key in needed:
        growth = min(growth * shapes[key].pieces, _GROWTH_CAP)
    largest = max(sorted(needed), key=lambda key: shapes[key].array, default=None)
    runs: list[tuple[str, int, int, list[str]]] = []
    for s, r in sorted(read, key=lambda key: (key[0], _one_based(key[1])[1],
                                               _one_based(key[1])[0])):
        row, col = _one_based(r)
        last = runs[-1] if runs else None
        if last is not None and last[0] == s and last[2] == col \
                and last[1] + len(last[3]) == row:
            last[3].append(r)
        else:
            runs.append((s, row, col, [r]))
    return _Plan(
        tuple((s, *_one_based(r), prepared[(s, r)]) for s, r in sorted(needed)),
        tuple((s, row, col, tuple(refs)) for s, row, col, refs in runs),
        arrays, growth,
        max((shapes[key].literal for key in needed), default=0),
        f"{largest[0]}!{largest[1]}" if largest else "")


def evaluate(data: WorkbookData, lay: Layout, cells: Iterable[tuple[str, str]]
             ) -> dict[tuple[str, str], Any]:
    """Evaluate the template's formulas over the workbook's values and return the values
    of ``cells`` (``(sheet, "B12")`` pairs). Error values come back as their Excel text."""
    import formualizer

    targets = tuple(cells)
    names_id = _name_set(tuple(sorted(data.names.items())))
    sheets = data.sheets
    held: list[str | None] = []
    for sheet_name, refs in _template_runs(lay):
        found = sheets.get(sheet_name)
        if found is None:
            held += [None] * len(refs)
            continue
        get = found.cells.get
        held += [cell.formula if (cell := get(ref)) is not None else None for ref in refs]
    try:
        plan = _plan(tuple(held), names_id, lay, targets)
        columns = _columns(plan, sheets)
        key = (id(plan), tuple(sheets))
        ready = _READY.pop(key, None)  # taken while in use: another thread builds its own
        wb = ready[1] if ready is not None and ready[0] is plan else None
        if wb is None:
            wb = formualizer.Workbook(config=_config())
            wb.set_changelog_enabled(False)  # no undo history: it would grow with each use
            for sheet_name in sheets:
                wb.add_sheet(sheet_name)
            for sheet_name, row, col, text in plan.formulas:
                wb.set_formula(sheet_name, row, col, text)
        for sheet_name, row, col, column in columns:
            wb.set_values_batch(sheet_name, row, col, column)
        wb.evaluate_all()  # every formula set is one a target needs
        values = [wb.get_value(s, *_one_based(r)) for s, r in targets if s in sheets]
    except FormulaEngineError:
        raise
    except Exception as exc:  # formualizer raises its own hierarchy and Rust panics
        raise _engine_error(str(exc)) from exc
    _READY[key] = (plan, wb)  # only after an evaluation that ran to its end
    while len(_READY) > _READY_ENTRIES:
        del _READY[next(iter(_READY))]
    out: dict[tuple[str, str], Any] = {}
    it = iter(values)
    for target_sheet, ref in targets:
        out[(target_sheet, ref)] = _plain(next(it)) if target_sheet in sheets else None
    return out


def _columns(plan: _Plan, sheets: dict[str, Any]) -> list[tuple[str, int, int, list[Any]]]:
    """The values the plan reads, run by run (empty cells as ``None``: a workbook kept in
    :data:`_READY` is cleared of the last one's values), once their text is within the
    budget: the characters handed to formualizer (:data:`EVAL_TEXT_CHARS`) and what the
    formulas can build from them (:data:`EVAL_BUILT_TEXT`), checked before formualizer
    copies any."""
    out = []
    chars = longest = 0
    for sheet_name, row, col, refs in plan.values:
        found = sheets.get(sheet_name)
        if found is None:
            continue
        column = [[_settable(found.cells.get(ref))] for ref in refs]
        for (value,) in column:
            if isinstance(value, str):
                chars += len(value)
                longest = max(longest, len(value))
        out.append((sheet_name, row, col, column))
    if chars > EVAL_TEXT_CHARS:
        raise EvaluationBudgetExceeded(f"the cells its formulas read hold {chars:,} "
                                       f"characters of text (at most {EVAL_TEXT_CHARS:,})")
    text = max(longest, plan.literal, NUMBER_TEXT)
    built = plan.arrays * plan.growth * text
    if built > EVAL_BUILT_TEXT:
        growth = f"{plan.growth:,}" if plan.growth < _GROWTH_CAP else "countless"
        raise EvaluationBudgetExceeded(
            f"its formulas could build {built:,} characters of text (at most "
            f"{EVAL_BUILT_TEXT:,}): arrays of {plan.arrays:,} cells (the largest at "
            f"{plan.largest}), each a text of up to {text:,} characters joined into "
            f"{growth} pieces")
    return out


def _settable(cell: CellData | None) -> Any:
    """A cell's value as the evaluation is given it; ``None`` (left empty) for a cell
    missing, blank, empty text or an error value."""
    if cell is None or cell.is_error or cell.value == "":
        return None
    return cell.value


def _engine_error(text: str) -> FormulaEngineError:
    """What formualizer raised, as the verifier reports it: its budget, or a failure."""
    if "cancel" in text.lower() or "budget" in text.lower() or "time" in text.lower():
        return EvaluationBudgetExceeded(f"formualizer stopped at its budget ({EVAL_TIME_MS} "
                                        f"ms, {EVAL_WORK_UNITS:,} work units): {text}")
    return FormulaEngineError(f"formualizer could not evaluate the workbook: {text}")


def _one_based(ref: str) -> tuple[int, int]:
    row, col = split_ref(ref)
    return row, col + 1


def _plain(value: Any) -> Any:
    """formualizer's values as plain Python: numbers, text, booleans, error texts."""
    if value is None or isinstance(value, bool | float | str):
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, dict) and value.get("type") == "Error":
        kind = str(value.get("kind", ""))
        return _ERRORS.get(kind, f"#{kind.upper()}!")
    text = str(value)
    return text if text.startswith("#") else value
