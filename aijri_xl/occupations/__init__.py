"""O*NET occupations: find one, read its tasks and the published exposure evidence, draft it.

The package ships one data file, ``aijri_xl/occupations/onet.json.gz`` (built by
``scripts/build_occupations.py`` from the vendored files in ``data/onet/``; attributions in
``aijri_xl/occupations/NOTICE``). It holds 1,016 O*NET-SOC occupations with their titles
and descriptions, the task statements of 923 of them, and three published references:

- per task, the exposure labels of the GPTs-are-GPTs study (Eloundou et al., *Science*
  2024), once from its human annotators and once from GPT-4: ``E0`` no exposure, ``E1``
  an LLM alone can halve the task's time at equal quality, ``E2`` exposure through
  software built on an LLM; and GPT-4's automation level ``T0`` (none) to ``T4`` (full);
- per occupation, the study's alpha (E1 share), beta (E1 + half E2) and gamma (E1 + E2),
  from GPT-4 and from the annotators;
- per six-digit SOC code, the AI applicability score of "Working with AI" (Tomlinson et
  al., 2025).

These are judgements of what 2023-era tools could feasibly do, not outcomes, and GPT-4
and the annotators often disagree: they are references to set beside an assessor's own
score, never inputs to it.

Nothing is read until a function needs it; the file is then read once (about 30 ms) and
kept. pandas is imported only by the ``*_frame`` functions::

    from aijri_xl import occupations
    occupations.search("nurse")[0]          # Occupation('29-1141.00', 'Registered Nurses', ...)
    occupations.tasks("29-1141")            # its task statements, in source order
    occupations.references("29-1141.00")    # the labels and the exposure figures
    occupations.draft_assessment("29-1141.00")   # an Assessment to write as a template

Codes are accepted as O*NET-SOC codes (``29-1141.00``) or six-digit SOC codes
(``29-1141``, which names its ``.00`` occupation when there is one).
"""

from __future__ import annotations

import functools
import gzip
import json
import math
import re
from collections import Counter
from importlib import resources
from typing import TYPE_CHECKING, Any

from aijri_xl._record import dataclass

from ..method.model import Assessment, RoleDefinition, Task

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "AmbiguousOccupation",
    "Exposure",
    "Occupation",
    "OccupationError",
    "OccupationTask",
    "References",
    "data_info",
    "draft_assessment",
    "draft_time_shares",
    "exposure_frame",
    "find",
    "get",
    "normalise_code",
    "occupations",
    "occupations_frame",
    "ordered_tasks",
    "references",
    "search",
    "tasks",
    "tasks_frame",
]

DATA_FILE = "onet.json.gz"
FORMAT = "aijri-xl-occupations"
FORMAT_VERSION = 1

TASK_TYPE_ORDER: tuple[str, ...] = ("Core", "Supplemental", "")
"""The order of task types in a draft: Core first, then Supplemental, then untyped."""
TASK_TYPE_WEIGHTS: dict[str, int] = {"Core": 2, "Supplemental": 1, "": 1}
"""Relative draft time per task type: the GPTs-are-GPTs study's ``coreweight``."""
TIME_RESOLUTION = 1000
"""Draft time shares are whole tenths of a percent (the workbook shows ``0.0%``)."""

EXPOSURE_MEANING: dict[str, str] = {
    "E0": "no exposure",
    "E1": "direct exposure: an LLM alone can halve the time at equal quality",
    "E2": "exposure through software built on an LLM",
}
AUTOMATION_SCALE = "T0 (no automation) to T4 (full automation)"
"""GPT-4's automation rubric in the study, as far as the vendored data documents it."""

_ONET_CODE = re.compile(r"\d{2}-\d{4}\.\d{2}")
_SOC_CODE = re.compile(r"\d{2}-\d{4}")
_CODE_PREFIX = re.compile(r"\d{2}(-\d{0,4}(\.\d{0,2})?)?")


class OccupationError(KeyError):
    """No occupation matches a code or title. The message names what was asked."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class AmbiguousOccupation(OccupationError):
    """A title or text matches more than one occupation; ``candidates`` lists them."""

    def __init__(self, message: str, candidates: list[Occupation]) -> None:
        super().__init__(message)
        self.candidates = candidates


@dataclass(frozen=True, slots=True)
class Occupation:
    """One O*NET-SOC occupation."""

    code: str
    """The O*NET-SOC code, e.g. ``29-1141.00``."""
    title: str
    description: str
    task_count: int
    """The number of its task statements (0 for 93 occupations, mostly "All Other")."""

    @property
    def soc_code(self) -> str:
        """The six-digit 2018 SOC code, e.g. ``29-1141``."""
        return self.code[:7]


@dataclass(frozen=True, slots=True)
class OccupationTask:
    """One O*NET task statement and the GPTs-are-GPTs labels of it."""

    id: int
    text: str
    task_type: str | None
    """``Core``, ``Supplemental``, or ``None`` where O*NET gives no type."""
    human_exposure: str
    """The annotators' label: ``E0``, ``E1`` or ``E2``."""
    gpt4_exposure: str
    """GPT-4's label: ``E0``, ``E1`` or ``E2``."""
    gpt4_automation: str
    """GPT-4's automation label: ``T0`` (none) to ``T4`` (full)."""


@dataclass(frozen=True, slots=True)
class Exposure:
    """An occupation's exposure in GPTs-are-GPTs, as fractions 0..1 of its tasks."""

    gpt4_alpha: float
    gpt4_beta: float
    gpt4_gamma: float
    human_alpha: float
    human_beta: float
    human_gamma: float


@dataclass(frozen=True, slots=True)
class References:
    """The published evidence on one occupation: references, never inputs to a score."""

    occupation: Occupation
    tasks: tuple[OccupationTask, ...]
    """The task statements with their labels, in source order."""
    exposure: Exposure | None
    """alpha/beta/gamma from GPT-4 and from the annotators (``None`` without tasks)."""
    ai_applicability: float | None
    """Working with AI's applicability score of the six-digit SOC code (``None`` if absent)."""


# --------------------------------------------------------------------------- the data


@functools.cache
def _document() -> dict[str, Any]:
    """The data file, read and checked once."""
    raw = resources.files(__name__).joinpath(DATA_FILE).read_bytes()
    document = json.loads(gzip.decompress(raw))
    if document.get("format") != FORMAT or document.get("format_version") != FORMAT_VERSION:
        raise OccupationError(f"aijri_xl/occupations/{DATA_FILE} is format "
                              f"{document.get('format')!r} version "
                              f"{document.get('format_version')!r}; this package reads "
                              f"{FORMAT!r} version {FORMAT_VERSION} (rebuild it with "
                              "scripts/build_occupations.py)")
    return dict(document)


@functools.cache
def _occupations() -> dict[str, Occupation]:
    doc = _document()
    return {code: Occupation(code, title, description, len(doc["tasks"].get(code, ())))
            for code, title, description in doc["occupations"]}


@functools.cache
def _tasks(code: str) -> tuple[OccupationTask, ...]:
    return tuple(OccupationTask(i, text, kind or None, human, gpt4, auto)
                 for i, text, kind, human, gpt4, auto in _document()["tasks"].get(code, ()))


def data_info() -> dict[str, Any]:
    """What the data file holds: format, version, source files with their SHA-256, counts
    and the codes that did not join."""
    doc = _document()
    return {"format": doc["format"], "format_version": doc["format_version"],
            "sources": [dict(s) for s in doc["sources"]],
            "occupations": len(doc["occupations"]),
            "occupations_with_tasks": len(doc["tasks"]),
            "task_statements": sum(len(t) for t in doc["tasks"].values()),
            "ai_applicability_codes": len(doc["ai_applicability"]),
            "unjoined": {k: list(v) for k, v in doc["unjoined"].items()}}


def occupations() -> list[Occupation]:
    """Every occupation, by code."""
    return list(_occupations().values())


def normalise_code(text: str) -> str | None:
    """The O*NET-SOC code ``text`` names, or ``None`` when it is not a known code.

    ``29-1141.00`` names itself; a six-digit ``29-1141`` names ``29-1141.00`` when that
    exists. Spaces around are ignored.
    """
    text = text.strip()
    known = _occupations()
    if _ONET_CODE.fullmatch(text):
        return text if text in known else None
    if _SOC_CODE.fullmatch(text) and f"{text}.00" in known:
        return f"{text}.00"
    return None


def get(code: str) -> Occupation:
    """The occupation with this code (``29-1141.00`` or ``29-1141``).

    Raises :class:`OccupationError` naming the code when there is none.
    """
    found = normalise_code(code)
    if found is None:
        near = [o.code for o in _occupations().values() if o.code.startswith(code.strip()[:7])]
        more = f" and {len(near) - 10} more" if len(near) > 10 else ""
        hint = f"; codes under {code.strip()[:7]}: {', '.join(near[:10])}{more}" if near else ""
        raise OccupationError(f"no O*NET-SOC occupation {code.strip()!r}{hint}")
    return _occupations()[found]


def tasks(code: str) -> list[OccupationTask]:
    """The task statements of an occupation, in the source's order."""
    return list(_tasks(get(code).code))


def references(code: str) -> References:
    """The published exposure evidence of an occupation: per task and per occupation."""
    occupation = get(code)
    doc = _document()
    figures = doc["exposure"].get(occupation.code)
    applicability = doc["ai_applicability"].get(occupation.soc_code)
    return References(occupation, _tasks(occupation.code),
                      Exposure(*figures) if figures is not None else None,
                      applicability[1] if applicability is not None else None)


# --------------------------------------------------------------------------- search

_STOPWORDS = frozenset(
    "a an and are as at be by for from in into is it of on or the to with".split())
_WORD = re.compile(r"[a-z0-9]+")
_DOUBLE = re.compile(r"([b-df-hj-np-tv-z])\1$")


@functools.cache
def _stem(word: str) -> str:
    """A light English stemmer: enough that nurse, nurses and nursing are one term.

    Plurals (``-ies``, ``-sses``, ``-s``), then ``-ing``/``-ed`` (undoubling a final
    consonant: programming, program), then a final ``-e``.
    """
    w = word
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            w = w[:-len(suffix)]
            if _DOUBLE.search(w) and not w.endswith(("ll", "ss", "zz")):
                w = w[:-1]
            break
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


def _terms(text: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(text.casefold()) if w not in _STOPWORDS]


def _heads(title: str) -> set[str]:
    """The head nouns of a title: the last word of each part between commas, "and", "or"
    (``Licensed Practical and Licensed Vocational Nurses`` -> practical, nurses). In an
    English job title the head names what the worker is; the words before qualify it."""
    heads = set()
    for part in re.split(r",|\band\b|\bor\b|/", title.casefold()):
        words = _terms(part)
        if words:
            heads.add(words[-1])
    return heads


@dataclass(frozen=True, slots=True)
class _Doc:
    code: str
    title: tuple[str, ...]
    heads: frozenset[str]
    description: Counter[str]
    description_length: int
    task_text: Counter[str]
    task_length: int


@dataclass(frozen=True, slots=True)
class _Index:
    docs: tuple[_Doc, ...]
    idf: dict[str, float]
    mean_title: float
    mean_description: float
    mean_tasks: float


@functools.cache
def _index() -> _Index:
    docs = []
    frequency: Counter[str] = Counter()
    for o in _occupations().values():
        title = tuple(_terms(o.title))
        description = _terms(o.description)
        task_words = [t for task in _tasks(o.code) for t in _terms(task.text)]
        doc = _Doc(o.code, title, frozenset(_heads(o.title)), Counter(description),
                   len(description), Counter(task_words), len(task_words))
        docs.append(doc)
        frequency.update(set(title) | set(description) | set(task_words))
    n = len(docs)
    idf = {t: math.log(1 + (n - df + 0.5) / (df + 0.5)) for t, df in frequency.items()}
    return _Index(tuple(docs), idf,
                  sum(len(d.title) for d in docs) / n,
                  sum(d.description_length for d in docs) / n,
                  sum(d.task_length for d in docs) / n or 1.0)


_K1, _B = 1.2, 0.75
TITLE_WEIGHT, HEAD_WEIGHT, DESCRIPTION_WEIGHT, TASK_WEIGHT = 3.0, 2.0, 1.0, 0.5
"""How much a query term counts in each field (BM25 per field, weighted and summed)."""
COVERAGE = {"title": 1.0, "description": 0.6, "tasks": 0.4}
"""How far a query term found in a field covers the query: the score is multiplied by the
square of the mean coverage, so an occupation with every word in its title ranks above one
with some words only in its task statements."""
NO_TASKS_FACTOR = 0.8
"""An occupation without task statements (mostly "All Other") ranks a little lower: it
cannot give a draft task list."""


def _bm25(tf: int, length: int, mean: float) -> float:
    if tf == 0:
        return 0.0
    return tf * (_K1 + 1) / (tf + _K1 * (1 - _B + _B * length / mean))


def _rank(text: str) -> list[tuple[Occupation, float]]:
    query = list(dict.fromkeys(_terms(text)))
    if not query:
        return []
    index = _index()
    known = _occupations()
    phrase = tuple(_terms(text))
    ranked = []
    for d in index.docs:
        coverage = 0.0
        score = 0.0
        title_counts = Counter(d.title)
        for term in query:
            title_tf, desc_tf, task_tf = (title_counts[term], d.description[term],
                                          d.task_text[term])
            if not (title_tf or desc_tf or task_tf):
                continue
            coverage += (COVERAGE["title"] if title_tf else COVERAGE["description"] if desc_tf
                         else COVERAGE["tasks"])
            score += index.idf[term] * (
                TITLE_WEIGHT * _bm25(title_tf, len(d.title), index.mean_title)
                + HEAD_WEIGHT * _bm25(int(term in d.heads), len(d.title), index.mean_title)
                + DESCRIPTION_WEIGHT * _bm25(desc_tf, d.description_length,
                                             index.mean_description)
                + TASK_WEIGHT * _bm25(task_tf, d.task_length, index.mean_tasks))
        if not coverage:
            continue
        score *= (coverage / len(query)) ** 2
        if len(phrase) > 1 and _contains(d.title, phrase):
            score *= 1.5
        if d.title == phrase:
            score *= 2.0
        if not d.task_length:
            score *= NO_TASKS_FACTOR
        ranked.append((known[d.code], score))
    ranked.sort(key=lambda r: (-r[1], r[0].code))
    return ranked


def _contains(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(words[i:i + n] == phrase for i in range(len(words) - n + 1))


def search(text: str, limit: int | None = 20) -> list[Occupation]:
    """Occupations matching ``text``, best first (at most ``limit``; ``None`` for all).

    A code or the start of one (``29-1141.00``, ``29-1141``, ``29-11``) lists the
    occupations under it, ``.00`` first. Other text is ranked by its words in the title,
    the description and the task statements (BM25 per field, the title weighted most and
    its head noun more: "nurse" ranks the nurses above the nursing assistants), words
    stemmed lightly (nurse, nurses, nursing), scaled by how much of the query the
    occupation covers and where (``COVERAGE``).
    """
    query = text.strip()
    if _CODE_PREFIX.fullmatch(query):
        hits = [o for o in _occupations().values() if o.code.startswith(query)]
    else:
        hits = [o for o, _ in _rank(query)]
    return hits if limit is None else hits[:limit]


def find(text: str) -> Occupation:
    """The one occupation ``text`` names: a code (``29-1141.00``, ``29-1141``) or a title.

    A title is matched whole, ignoring case and spacing and a final plural ("Registered
    Nurse"); failing that, a text whose search gives exactly one occupation that has all
    its words in the title. Raises :class:`AmbiguousOccupation` listing the candidates
    when several fit, :class:`OccupationError` when none does.
    """
    code = normalise_code(text)
    if code is not None:
        return _occupations()[code]
    if _CODE_PREFIX.fullmatch(text.strip()):
        return get(text)  # raises, naming the codes under its prefix
    wanted = tuple(_terms(text))
    if not wanted:
        raise OccupationError(f"{text!r} names no occupation (give a code or a title)")
    exact = [o for o in _occupations().values() if tuple(_terms(o.title)) == wanted]
    if len(exact) == 1:
        return exact[0]
    candidates = exact or [o for o in search(text, limit=None)
                           if set(wanted) <= set(_terms(o.title))]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        near = search(text, limit=5)
        hint = ("; the nearest by search: " + "; ".join(f"{o.code} {o.title}" for o in near)
                if near else "")
        raise OccupationError(f"no occupation is titled {text.strip()!r}{hint}")
    shown = candidates[:10]
    more = f" and {len(candidates) - len(shown)} more" if len(candidates) > len(shown) else ""
    raise AmbiguousOccupation(
        f"{text.strip()!r} matches {len(candidates)} occupations; give a code: "
        + "; ".join(f"{o.code} {o.title}" for o in shown) + more, candidates)


# --------------------------------------------------------------------------- drafts


def ordered_tasks(code: str) -> list[OccupationTask]:
    """The task statements in draft order: Core, then Supplemental, then untyped; within
    a type, the source's order."""
    rank = {kind: i for i, kind in enumerate(TASK_TYPE_ORDER)}
    return sorted(tasks(code), key=lambda t: rank[t.task_type or ""])


def draft_time_shares(task_types: list[str | None]) -> list[float]:
    """Draft time shares (fractions) for tasks of these types, summing to exactly 100%.

    Each task gets a share proportional to its type's weight (Core 2, Supplemental and
    untyped 1), in whole tenths of a percent; the tenths left over by rounding down go to
    the largest remainders, earlier tasks first on a tie. So the shares as the workbook
    shows them (``0.0%``) add up to 100.0%.
    """
    if not task_types:
        return []
    weights = [TASK_TYPE_WEIGHTS[t or ""] for t in task_types]
    total = sum(weights)
    exact = [TIME_RESOLUTION * w / total for w in weights]
    units = [math.floor(x) for x in exact]
    leftover = TIME_RESOLUTION - sum(units)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - units[i]), i))
    for i in order[:leftover]:
        units[i] += 1
    return [u / TIME_RESOLUTION for u in units]


def draft_assessment(code: str) -> Assessment:
    """A new assessment of the occupation: its title, its description as the primary
    function, its code, and its task statements as draft tasks (Core first) with draft
    time shares; every score, class and other field blank."""
    occupation = get(code)
    drafted = ordered_tasks(occupation.code)
    shares = draft_time_shares([t.task_type for t in drafted])
    return Assessment(
        role=RoleDefinition(title=occupation.title, primary_function=occupation.description,
                            occupation_code=occupation.code),
        tasks=[Task(name=t.text, time=share) for t, share in zip(drafted, shares, strict=True)])


# --------------------------------------------------------------------------- frames


def occupations_frame() -> pd.DataFrame:
    """Every occupation, one row each: code, soc_code, title, description, task_count, the
    six exposure figures and ai_applicability (blank where there are none)."""
    import pandas as pd

    doc = _document()
    rows = []
    for o in _occupations().values():
        figures = doc["exposure"].get(o.code) or [None] * 6
        applicability = doc["ai_applicability"].get(o.soc_code)
        rows.append({"code": o.code, "soc_code": o.soc_code, "title": o.title,
                     "description": o.description, "task_count": o.task_count,
                     **dict(zip(_EXPOSURE_COLUMNS, figures, strict=True)),
                     "ai_applicability": applicability[1] if applicability else None})
    return pd.DataFrame(rows)


_EXPOSURE_COLUMNS = ("gpt4_alpha", "gpt4_beta", "gpt4_gamma", "human_alpha", "human_beta",
                     "human_gamma")


def exposure_frame() -> pd.DataFrame:
    """The occupations with exposure figures: code, title and the six figures, with
    ai_applicability."""
    frame = occupations_frame()
    return frame[frame["gpt4_beta"].notna()].drop(columns=["description"]).reset_index(
        drop=True)


def tasks_frame(code: str | None = None) -> pd.DataFrame:
    """Task statements with their labels, one row each: code, task_id, task_type, text,
    human_exposure, gpt4_exposure, gpt4_automation. One occupation's, or (``None``) all
    19,265."""
    import pandas as pd

    codes = [get(code).code] if code is not None else list(_document()["tasks"])
    rows = [{"code": c, "task_id": t.id, "task_type": t.task_type, "text": t.text,
             "human_exposure": t.human_exposure, "gpt4_exposure": t.gpt4_exposure,
             "gpt4_automation": t.gpt4_automation}
            for c in codes for t in _tasks(c)]
    return pd.DataFrame(rows, columns=["code", "task_id", "task_type", "text",
                                       "human_exposure", "gpt4_exposure", "gpt4_automation"])
