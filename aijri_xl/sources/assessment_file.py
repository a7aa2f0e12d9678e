"""Assessment files on disk: parsing YAML or JSON text and writing an assessment in the
documented key order. The conversions between the file's data and the model are
:mod:`aijri_xl.method.codec`; YAML is imported only when a YAML file is read or written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aijri_xl.method.codec import assessment_to_data
from aijri_xl.method.model import Assessment


def parse_document(text: str, suffix: str) -> Any:
    """Parse YAML or JSON text (JSON is YAML, but JSON errors read better from json)."""
    if suffix == ".json":
        return json.loads(text)
    import yaml

    return yaml.safe_load(text)


def dump_yaml(a: Assessment) -> str:
    """The assessment as YAML in the documented key order, long text as block scalars."""
    import yaml

    class _Dumper(yaml.SafeDumper):
        pass

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    _Dumper.add_representer(str, text)
    return yaml.dump(assessment_to_data(a), Dumper=_Dumper, sort_keys=False,
                     allow_unicode=True, width=100)


def dump_json(a: Assessment) -> str:
    return json.dumps(assessment_to_data(a), indent=2, ensure_ascii=False) + "\n"


def write_assessment(a: Assessment, path: Path) -> None:
    text = dump_json(a) if path.suffix == ".json" else dump_yaml(a)
    path.write_text(text, encoding="utf-8")
