"""The role catalogue: draft assessments of HPC and AI-infrastructure roles, to be scored.

Each role is one package data file, ``aijri_xl/catalogue/<id>.yaml``, with two keys::

    catalogue:            # where the role comes from
      id: hpc-developer   # equal to the file name
      title: HPC Developer
      source: 000_4d6eb753268fa0f0.txt   # the seed file (tests/data/seeds/) it is drawn from
      source_note: one sentence on what in the seed the role is drawn from
    assessment:           # an assessment file (docs/FORMAT.md): method, role, tasks
      ...

The ``assessment`` holds the role definition and a draft task list with time shares that
sum to 100. It never holds a score: the catalogue hands roles to assessors to score, and a
pre-filled number would anchor them. The files are read lazily, once; YAML is imported only
then, so importing this module (or the engine) does not import it.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

from aijri_xl._record import dataclass
from aijri_xl.method.codec import assessment_from_data
from aijri_xl.method.model import Assessment

__all__ = ["CatalogueError", "CatalogueRole", "draft_assessment", "role", "roles"]

_SOURCE_KEYS = ("id", "title", "source", "source_note")


class CatalogueError(ValueError):
    """A catalogue data file is malformed (a packaging defect, not a user error)."""


@dataclass(frozen=True, slots=True)
class CatalogueRole:
    """One role of the catalogue and the seed it is drawn from."""

    id: str
    title: str
    source: str
    """The seed file the role is drawn from, e.g. ``001_7c733ff9b52f1724.txt``."""
    source_note: str
    """One sentence on what in the seed the role is drawn from."""


@functools.cache
def _entries() -> dict[str, tuple[CatalogueRole, dict[str, Any]]]:
    """Every catalogue file, read once: id -> (role, the assessment document)."""
    import yaml

    entries: dict[str, tuple[CatalogueRole, dict[str, Any]]] = {}
    folder = resources.files("aijri_xl.catalogue")
    for item in sorted(folder.iterdir(), key=lambda t: t.name):
        if not item.name.endswith(".yaml"):
            continue
        slug = item.name.removesuffix(".yaml")
        data = yaml.safe_load(item.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or set(data) != {"catalogue", "assessment"}:
            raise CatalogueError(f"catalogue/{item.name}: expected exactly the keys "
                                 "'catalogue' and 'assessment'")
        meta = data["catalogue"]
        if not isinstance(meta, dict) or set(meta) != set(_SOURCE_KEYS) or not all(
                isinstance(meta[k], str) and meta[k].strip() for k in _SOURCE_KEYS):
            raise CatalogueError(f"catalogue/{item.name}: 'catalogue' must hold the texts "
                                 + ", ".join(_SOURCE_KEYS))
        if meta["id"] != slug:
            raise CatalogueError(f"catalogue/{item.name}: id {meta['id']!r} is not the file "
                                 f"name {slug!r}")
        if not isinstance(data["assessment"], dict):
            raise CatalogueError(f"catalogue/{item.name}: 'assessment' must be a mapping")
        entries[slug] = (CatalogueRole(**{k: meta[k].strip() for k in _SOURCE_KEYS}),
                         data["assessment"])
    return entries


def roles() -> list[CatalogueRole]:
    """Every role of the catalogue, sorted by title."""
    return sorted((r for r, _ in _entries().values()), key=lambda r: (r.title.casefold(), r.id))


def role(role_id: str) -> CatalogueRole:
    """The role with this id, or with this title (case-insensitive).

    Raises ``KeyError`` naming the known ids when there is no such role.
    """
    entries = _entries()
    if role_id in entries:
        return entries[role_id][0]
    wanted = " ".join(role_id.split()).casefold()
    for r, _ in entries.values():
        if wanted in (r.id.casefold(), r.title.casefold()):
            return r
    raise KeyError(f"no catalogue role {role_id!r}; known ids: {', '.join(sorted(entries))}")


def draft_assessment(role_id: str) -> Assessment:
    """A new assessment of the role: its definition and its draft tasks with time shares
    filled, every score ``None``. ``role_id`` may also be the title, as for :func:`role`."""
    r = role(role_id)
    assessment, findings = assessment_from_data(_entries()[r.id][1])
    if findings:  # the files are tested; this guards against an edit that breaks one
        raise CatalogueError(f"catalogue/{r.id}.yaml is not a valid assessment: "
                             + "; ".join(f.message for f in findings))
    return assessment
