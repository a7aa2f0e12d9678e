"""What changed between two versions of an assessment, input by input.

``diff(old, new)`` compares two loaded sources of any kind (workbook, YAML/JSON file,
published report or page, in any mix) and returns data: every changed input with its
field, its old and new value and the cell or line it was read from in each source; text
changes as a word-level diff; and the change in every result field of AIJRI-METHOD.md §4.

Tasks are matched by name, so rows that moved, were inserted or were deleted are seen as
such rather than as a change of every row below them:

1. names are compared after folding case and spacing; the k-th task of a name in the
   old version is the k-th of that name in the new one;
2. of the tasks left over, an old and a new task are the same task **renamed** when
   everything but the name is equal (time, score, class, rationale), or when their names
   share most of their words (word-level similarity above one half: "Code review" and
   "Code review & upstream contributions" are one task; "Task 1" and "Task 2" are not).
   The most similar pair goes first; ties go to the nearest rows;
3. whatever is still left was deleted (old) or inserted (new).

A task whose relative order changed (it is outside the longest run of matched tasks that
kept their order) is listed as moved; a move alone is not a change of any input.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from decimal import Decimal
from difflib import SequenceMatcher
from typing import Any, Literal

from aijri_xl._record import dataclass, field
from aijri_xl.analytics.places import Places
from aijri_xl.method import RESULT_FIELDS, fields
from aijri_xl.method.engine import AssessmentError, Result, score
from aijri_xl.method.excel_math import fraction_to_percent
from aijri_xl.method.loaded import Loaded
from aijri_xl.method.model import Assessment, Task

Kind = Literal["changed", "added", "removed"]
Factor = Literal["tasks", "evidence", "barriers", "growth", "override"]

BLOCK_TITLES = {"protective": "Protective", "evidence": "Evidence", "barriers": "Barrier"}
"""How a scored block's dimensions are named in review output (``Evidence: Wage Trends``)."""
_SCORE_FACTOR: dict[str, Factor] = {"evidence": "evidence", "barriers": "barriers"}
RENAME_SIMILARITY = 0.5
"""Two leftover task names are one task renamed when their word similarity exceeds this."""


@dataclass(frozen=True, slots=True)
class Change:
    """One changed input.

    ``key`` names the input independently of row positions (``evidence.wage_trends.score``,
    ``tasks["GPU programming"].score``, ``tasks["GPU programming"]`` for a task inserted or
    deleted whole); ``old_field`` / ``new_field`` are its paths in each source
    (``tasks[3].score``) and ``old_where`` / ``new_where`` where each source holds it.
    ``factor`` is the part of the score the input enters (``None`` for text, classes and
    other inputs that do not move the final score); ``player`` groups the changes the
    attribution treats as one input (a task's time and score)."""

    key: str
    label: str
    kind: Kind
    old: Any
    new: Any
    old_field: str | None
    new_field: str | None
    old_where: str | None
    new_where: str | None
    factor: Factor | None = None
    player: str | None = None
    words: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in ("key", "label", "kind", "old", "new",
                                             "old_field", "new_field", "old_where",
                                             "new_where", "factor", "player")}
        if self.words:
            out["words"] = [list(w) for w in self.words]
        return out


@dataclass(frozen=True, slots=True)
class TaskMatch:
    """One task across the versions: its row index in each (``None`` when inserted or
    deleted), how it was matched, and whether it moved relative to the others."""

    old_index: int | None
    new_index: int | None
    how: Literal["name", "renamed", "inserted", "deleted"]
    moved: bool = False


@dataclass(frozen=True, slots=True)
class ResultChange:
    """One §4 result field in both versions; ``delta`` for numbers (exact decimal
    difference of the two values as reported)."""

    field: str
    old: Any
    new: Any
    delta: float | None

    @property
    def changed(self) -> bool:
        return self.old != self.new

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "old": self.old, "new": self.new, "delta": self.delta,
                "changed": self.changed}


@dataclass(slots=True)
class Diff:
    """Everything that differs between two assessments; ``problems`` says why a result
    is missing (a version that cannot be scored)."""

    old_file: str
    new_file: str
    old: Assessment
    new: Assessment
    changes: list[Change]
    tasks: list[TaskMatch]
    old_result: Result | None
    new_result: Result | None
    results: list[ResultChange] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def score_changes(self) -> list[Change]:
        """The changes that enter the final score."""
        return [c for c in self.changes if c.factor is not None]

    @property
    def moved_tasks(self) -> list[TaskMatch]:
        return [m for m in self.tasks if m.moved]

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old_file, "new": self.new_file,
            "changes": [c.to_dict() for c in self.changes],
            "tasks": [{"old_index": m.old_index, "new_index": m.new_index, "how": m.how,
                       "moved": m.moved} for m in self.tasks],
            "results": [r.to_dict() for r in self.results],
            "problems": list(self.problems),
        }


class DiffError(ValueError):
    """A version could not be read at all: nothing to compare."""


# ---------------------------------------------------------------------------------------
# Word-level text diff

_TOKEN = re.compile(r"\S+")


def word_diff(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """``old`` → ``new`` as runs of words: ``("=", kept)``, ``("-", deleted)``,
    ``("+", inserted)``; words are joined by single spaces."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("=", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("-", " ".join(a[i1:i2])))
        if j2 > j1:
            out.append(("+", " ".join(b[j1:j2])))
    return tuple(out)


def render_words(words: Iterable[tuple[str, str]], context: int = 6) -> str:
    """A word diff as text, ``[-deleted-]{+inserted+}``, long kept runs shortened to
    ``context`` words at each side."""
    parts: list[str] = []
    runs = list(words)
    for i, (op, text) in enumerate(runs):
        if op == "-":
            parts.append(f"[-{text}-]")
        elif op == "+":
            parts.append(f"{{+{text}+}}")
        else:
            w = text.split(" ")
            head = w[:context] if i > 0 else []
            tail = w[-context:] if i < len(runs) - 1 else []
            if len(w) <= 2 * context or (i == 0 and len(w) <= context) or (
                    i == len(runs) - 1 and len(w) <= context):
                parts.append(text)
            else:
                parts.append(" ".join([*head, "…", *tail]).strip())
    return " ".join(p for p in parts if p)


# ---------------------------------------------------------------------------------------
# Matching tasks


def _norm(name: str) -> str:
    return " ".join(name.split()).casefold()


def _similarity(a: str, b: str) -> float:
    wa, wb = _norm(a).split(), _norm(b).split()
    if not wa and not wb:
        return 1.0
    return SequenceMatcher(None, wa, wb, autojunk=False).ratio()


def _same_content(a: Task, b: Task) -> bool:
    return (a.time, a.score, a.task_class, a.rationale) == (b.time, b.score, b.task_class,
                                                            b.rationale)


def _longest_increasing(indices: list[int]) -> set[int]:
    """Positions (into ``indices``) of one longest strictly increasing subsequence."""
    import bisect

    tails: list[int] = []
    tail_pos: list[int] = []
    parent = [-1] * len(indices)
    for pos, value in enumerate(indices):
        k = bisect.bisect_left(tails, value)
        if k == len(tails):
            tails.append(value)
            tail_pos.append(pos)
        else:
            tails[k] = value
            tail_pos[k] = pos
        parent[pos] = tail_pos[k - 1] if k else -1
    keep: set[int] = set()
    pos = tail_pos[-1] if tail_pos else -1
    while pos >= 0:
        keep.add(pos)
        pos = parent[pos]
    return keep


def match_tasks(old: list[Task], new: list[Task]) -> list[TaskMatch]:
    """Pair the tasks of two versions (module docstring); every task appears once."""
    waiting: dict[str, deque[int]] = defaultdict(deque)
    for j, t in enumerate(new):
        waiting[_norm(t.name)].append(j)
    pairs: list[tuple[int, int, str]] = []
    left_old: list[int] = []
    for i, t in enumerate(old):
        queue = waiting[_norm(t.name)]
        if queue:
            pairs.append((i, queue.popleft(), "name"))
        else:
            left_old.append(i)
    taken_new = {j for _, j, _ in pairs}
    left_new = [j for j in range(len(new)) if j not in taken_new]
    candidates = []
    for i in left_old:
        for j in left_new:
            same = _same_content(old[i], new[j])
            sim = _similarity(old[i].name, new[j].name)
            if same or sim > RENAME_SIMILARITY:
                candidates.append((-int(same), -sim, abs(i - j), i, j))
    used_old: set[int] = set()
    used_new: set[int] = set()
    for *_, i, j in sorted(candidates):
        if i in used_old or j in used_new:
            continue
        pairs.append((i, j, "renamed"))
        used_old.add(i)
        used_new.add(j)
    pairs.sort()
    kept = _longest_increasing([j for _, j, _ in pairs])
    matches = [TaskMatch(i, j, how, moved=pos not in kept)  # type: ignore[arg-type]
               for pos, (i, j, how) in enumerate(pairs)]
    matches += [TaskMatch(i, None, "deleted") for i in left_old if i not in used_old]
    matches += [TaskMatch(None, j, "inserted") for j in left_new if j not in used_new]

    def order(m: TaskMatch) -> tuple[float, float]:
        # new order first; a deleted task sits just after the old task before it
        if m.new_index is not None:
            return (m.new_index, 0)
        before = [p.new_index for p in matches if p.old_index is not None
                  and p.new_index is not None and m.old_index is not None
                  and p.old_index < m.old_index]
        return (max(before, default=-1) + 0.5, m.old_index or 0)

    return sorted(matches, key=order)


# ---------------------------------------------------------------------------------------
# The inputs, flattened

_Getter = Callable[[Assessment], Any]
_FACTOR_OF: dict[str, Factor] = {"growth.correlation": "growth", "override.score": "override"}
"""The single fields that enter the final score, and the factor each enters."""


def _getter(attribute: str) -> _Getter:
    """The value at a model path (``role.not_``, ``growth.check``)."""
    def get(a: Assessment) -> Any:
        value: Any = a
        for part in attribute.split("."):
            value = getattr(value, part)
        return value

    return get


def _block_getter(block: str, dim: str, leaf: str) -> _Getter:
    return lambda a: getattr(getattr(a, block)[dim], leaf)


def _scalar_inputs() -> list[tuple[str, str, _Getter, Factor | None]]:
    """(path, label, getter, factor) for every input outside the task table and the
    calibration list, in the order of the file format, from the field tables of
    :mod:`aijri_xl.method.fields`."""
    rows: list[tuple[str, str, _Getter, Factor | None]] = [
        ("method", "Method version", lambda a: a.method, None)]

    def single(items: Iterable[fields.Field], prefix: str = "") -> None:
        rows.extend((f.path, prefix + f.label, _getter(f.attribute), _FACTOR_OF.get(f.path))
                    for f in items)

    def block(b: fields.ScoredBlock) -> None:
        title = BLOCK_TITLES[b.key]
        for d in b.dimensions:
            rows.append((f"{b.key}.{d.key}.score", f"{title}: {d.label}",
                         _block_getter(b.key, d.key, "score"), _SCORE_FACTOR.get(b.key)))
            rows.append((f"{b.key}.{d.key}.{b.text_key}", f"{title}: {d.label} ({b.text_key})",
                         _block_getter(b.key, d.key, "rationale"), None))

    blocks = {b.key: b for b in fields.BLOCKS}
    single(fields.ROLE, "Role: ")
    single(fields.RECORD)
    block(blocks["protective"])
    single((*fields.GROWTH, fields.REINSTATEMENT))
    block(blocks["evidence"])
    block(blocks["barriers"])
    single(fields.OVERRIDE)
    single(fields.COMMENTARY, "Commentary: ")
    return rows


SCALAR_INPUTS = _scalar_inputs()
_TASK_FACTOR: dict[str, Factor] = {"time": "tasks", "score": "tasks"}
"""The task columns that enter the final score (through the weighted total)."""


_TASK_ATTRIBUTE = {c.key: c.model_attribute for c in fields.TASKS}


def _task_value(t: Task, name: str) -> Any:
    """A task's value of a column of :data:`aijri_xl.method.fields.TASKS` (time in percent
    units, as files and reports give it)."""
    if name == "time":
        return fraction_to_percent(t.time) if t.time is not None else None
    return getattr(t, _TASK_ATTRIBUTE[name])


def task_summary(t: Task) -> str:
    """A task in one line: ``25% · score 2 · AUGMENTATION``."""
    time = _task_value(t, "time")
    shown = "?" if time is None else f"{Decimal(repr(time)).normalize():f}%"
    return f"{shown} · score {t.score if t.score is not None else '?'} · " \
           f"{t.task_class or '?'}"


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _kind(old: Any, new: Any) -> Kind:
    if _blank(old):
        return "added"
    if _blank(new):
        return "removed"
    return "changed"


def _words(old: Any, new: Any) -> tuple[tuple[str, str], ...]:
    if isinstance(old, str) and isinstance(new, str) and (" " in old.strip()
                                                         or " " in new.strip()):
        return word_diff(old, new)
    return ()


def _task_keys(tasks: list[Task]) -> list[str]:
    """``tasks["name"]`` for each row; the second task of a name is ``tasks["name"#2]``."""
    seen: dict[str, int] = defaultdict(int)
    keys = []
    for t in tasks:
        seen[_norm(t.name)] += 1
        n = seen[_norm(t.name)]
        quoted = '"' + t.name.replace('"', '\\"') + '"'
        keys.append(f"tasks[{quoted}]" if n == 1 else f"tasks[{quoted}#{n}]")
    return keys


def _decimal_delta(old: Any, new: Any) -> float | None:
    numeric = (int, float)
    if isinstance(old, bool) or isinstance(new, bool):
        return None
    if isinstance(old, numeric) and isinstance(new, numeric):
        return float(Decimal(repr(new)) - Decimal(repr(old)))
    return None


def _result(a: Assessment) -> tuple[Result | None, str | None]:
    try:
        return score(a), None
    except AssessmentError as exc:
        return None, str(exc).splitlines()[0] + " " + "; ".join(
            f"{f.code} {f.field}" for f in exc.findings)


def diff(old: Loaded, new: Loaded, *, scores_only: bool = False) -> Diff:
    """Compare two loaded sources (see the module docstring). Raises :class:`DiffError`
    when either could not be read into an assessment at all. ``scores_only``: only the
    changes that enter the score, without places or word diffs (what an attribution
    reads; the register's agreement makes many)."""
    for loaded in (old, new):
        if loaded.assessment is None:
            why = "; ".join(f"{f.code} {f.message}" for f in loaded.findings) or "unreadable"
            raise DiffError(f"{loaded.path}: cannot be compared: {why}")
    assert old.assessment is not None and new.assessment is not None
    a, b = old.assessment, new.assessment
    where_a, where_b = (_nowhere, _nowhere) if scores_only else (Places(old), Places(new))
    changes: list[Change] = []
    for path, label, get, factor in SCALAR_INPUTS:
        if scores_only and factor is None:
            continue
        va, vb = get(a), get(b)
        if va == vb or (_blank(va) and _blank(vb)):
            continue
        changes.append(Change(path, label, _kind(va, vb), va, vb, path, path, where_a(path),
                              where_b(path), factor, path if factor else None,
                              () if scores_only else _words(va, vb)))
    matches = match_tasks(a.tasks, b.tasks)
    changes += _task_changes(a.tasks, b.tasks, matches, where_a, where_b, scores_only)
    if not scores_only:
        changes += _calibration_changes(a, b, where_a, where_b)

    problems = []
    ra, why_a = _result(a)
    rb, why_b = _result(b)
    problems += [f"{p.path}: {w}" for p, w in ((old, why_a), (new, why_b)) if w]
    results = []
    for name in RESULT_FIELDS:
        va = getattr(ra, name) if ra is not None else None
        vb = getattr(rb, name) if rb is not None else None
        results.append(ResultChange(name, va, vb, _decimal_delta(va, vb)))
    return Diff(str(old.path), str(new.path), a, b, changes, matches, ra, rb, results,
                problems)


def _nowhere(path: str) -> str | None:
    return None


def _task_changes(old: list[Task], new: list[Task], matches: list[TaskMatch],
                  where_a: Callable[[str], str | None], where_b: Callable[[str], str | None],
                  scores_only: bool = False) -> list[Change]:
    keys_old, keys_new = _task_keys(old), _task_keys(new)
    out: list[Change] = []
    for m in matches:
        if m.old_index is None or m.new_index is None:
            i = m.old_index if m.new_index is None else m.new_index
            assert i is not None
            tasks, keys, where = (old, keys_old, where_a) if m.new_index is None else \
                (new, keys_new, where_b)
            t, key = tasks[i], keys[i]
            summary = task_summary(t)
            scored = t.time is not None or t.score is not None
            if scores_only and not scored:
                continue
            label = f'Task "{t.name}"'
            if m.new_index is None:
                out.append(Change(key, label, "removed", summary, None, f"tasks[{i}]", None,
                                  where(f"tasks[{i}]"), None, "tasks" if scored else None,
                                  key if scored else None))
            else:
                out.append(Change(key, label, "added", None, summary, None, f"tasks[{i}]",
                                  None, where(f"tasks[{i}]"), "tasks" if scored else None,
                                  key if scored else None))
            continue
        i, j = m.old_index, m.new_index
        ta, tb = old[i], new[j]
        player = keys_new[j]
        for column in fields.TASKS:
            name, label, factor = column.key, column.label, _TASK_FACTOR.get(column.key)
            if scores_only and factor is None:
                continue
            va, vb = _task_value(ta, name), _task_value(tb, name)
            if va == vb or (_blank(va) and _blank(vb)):
                continue
            key = f"{keys_new[j]}.{name}"
            out.append(Change(key, f'Task "{tb.name}": {label}', _kind(va, vb), va, vb,
                              f"tasks[{i}].{name}", f"tasks[{j}].{name}",
                              where_a(f"tasks[{i}].{name}"), where_b(f"tasks[{j}].{name}"),
                              factor, player if factor else None,
                              () if scores_only else _words(va, vb)))
    return out


def _calibration_changes(a: Assessment, b: Assessment, where_a: Callable[[str], str | None],
                         where_b: Callable[[str], str | None]) -> list[Change]:
    """Calibration peers matched by role name; a peer quoted at another score is a
    change, a peer added or dropped is one too."""
    def index(peers: list[Any]) -> dict[str, tuple[int, float]]:
        out: dict[str, tuple[int, float]] = {}
        for i, p in enumerate(peers):
            out.setdefault(_norm(p.role), (i, p.score))
        return out

    pa, pb = index(a.calibration), index(b.calibration)
    names = {_norm(p.role): p.role for p in [*b.calibration, *a.calibration]}
    out = []
    for norm in [*pa, *[n for n in pb if n not in pa]]:
        ia, ib = pa.get(norm), pb.get(norm)
        va = ia[1] if ia else None
        vb = ib[1] if ib else None
        if va == vb:
            continue
        fa = f"calibration[{ia[0]}]" if ia else None
        fb = f"calibration[{ib[0]}]" if ib else None
        out.append(Change(f'calibration["{names[norm]}"]', f"Calibration peer {names[norm]}",
                          _kind(va, vb), va, vb, fa, fb, where_a(fa) if fa else None,
                          where_b(fb) if fb else None))
    return out
