"""Where each input of a loaded source was read: a cell, a line of a report, a line of a
YAML/JSON file.

Workbooks and published reports record it as they read (``Loaded.extra["where_of_field"]``,
keyed by input path); assessment files do not, so their lines are found here by composing
the YAML node tree (JSON is read as YAML for this; a file YAML cannot compose is placed by
its name alone). Paths are the file format's (``tasks[2].score``, ``role.not``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from aijri_xl.method.loaded import Loaded

_ALIASES = {"role.not": "role.not_"}
"""The report reader keys the role's "NOT" field by the model attribute."""
_SIBLING = re.compile(r"^(.*?)(\.[a-z_]+)$")


def document_places(text: str, path: Path) -> dict[str, str]:
    """``{input path: "file:line"}`` for a YAML or JSON assessment file's text."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present
    try:
        root = yaml.compose(text, Loader=loader)
    except yaml.YAMLError:
        return {}
    out: dict[str, str] = {}

    def walk(node: Any, prefix: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode):
                    continue
                name = f"{prefix}.{key.value}" if prefix else str(key.value)
                out.setdefault(name, f"{path}:{key.start_mark.line + 1}")
                if isinstance(value, yaml.ScalarNode) and prefix.split(".")[0] in (
                        "protective", "evidence", "barriers") and "." not in prefix:
                    out.setdefault(f"{name}.score", f"{path}:{key.start_mark.line + 1}")
                walk(value, name)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                name = f"{prefix}[{i}]"
                out.setdefault(name, f"{path}:{item.start_mark.line + 1}")
                walk(item, name)

    if root is not None:
        walk(root, "")
    return out


class Places:
    """Looks up where an input path was read in one source, falling back to the nearest
    place the source recorded (the task's row, the dimension's row, the block, the file)."""

    def __init__(self, loaded: Loaded):
        self.file = str(loaded.path)
        where: Mapping[str, str] = loaded.extra.get("where_of_field") or {}
        if not where and loaded.kind == "file":
            try:
                where = document_places(loaded.path.read_text(encoding="utf-8-sig"),
                                        loaded.path)
            except (OSError, UnicodeDecodeError):
                where = {}
        # a reader may give a place in parts (a Place); a diff shows it as text
        self.where = {k: str(v) for k, v in where.items() if v is not None}

    def __call__(self, path: str) -> str:
        probe: str | None = path
        while probe:
            for key in (probe, _ALIASES.get(probe, "")):
                if key and key in self.where:
                    return self.where[key]
            # tasks[3].rationale -> the task's row (its name or score); evidence.x.evidence
            # -> evidence.x.score; then the parent path.
            m = _SIBLING.match(probe)
            if m is None:
                break
            parent = m.group(1)
            for leaf in (".score", ".name", ".time"):
                if parent + leaf in self.where:
                    return self.where[parent + leaf]
            probe = parent
        return self.file
