"""Write the resubmitted worked example that the README's ``aijri diff`` example compares.

``docs/examples/hpc-developer-revised.yaml`` is ``workbooks/hpc-developer.yaml`` as an
assessor might resubmit it: the wage-trend evidence re-scored with new text, cluster
scheduling re-scored as displaced, part of the numerical-methods time given to a new
task, and the code-review row moved up. Deterministic; a test checks the committed file
equals a fresh one.

    python docs/examples/make_diff_example.py
"""

from __future__ import annotations

import copy
from pathlib import Path

from aijri_xl.method.excel_math import percent_to_fraction
from aijri_xl.method.model import Assessment, Task
from aijri_xl.sources import load
from aijri_xl.sources.assessment_file import dump_yaml

HERE = Path(__file__).resolve().parent
ORIGINAL = HERE.parents[1] / "workbooks" / "hpc-developer.yaml"
REVISED = HERE / "hpc-developer-revised.yaml"


def revised(original: Assessment) -> Assessment:
    a = copy.deepcopy(original)
    wages = a.evidence["wage_trends"]
    wages.score = 0
    wages.rationale = wages.rationale.replace(
        "Not surging like pure AI/ML roles but consistently strong.",
        "Flat through 2026 after the 2025 correction; not surging like pure AI/ML roles.")
    tasks = {t.name: t for t in a.tasks}
    scheduling = tasks["Cluster job scheduling & resource management"]
    scheduling.score, scheduling.task_class = 4, "DISPLACEMENT"
    tasks["Domain-specific numerical methods integration"].time = percent_to_fraction("5")
    review = tasks["Code review & upstream contributions"]
    a.tasks.remove(review)
    a.tasks.insert(3, review)
    a.tasks.append(Task("AI training infrastructure tuning", percent_to_fraction("5"), 2,
                        "AUGMENTATION", "Q2: AI suggests launch settings; the engineer "
                        "tunes sharding and communication for the cluster at hand."))
    return a


def text() -> str:
    loaded = load(ORIGINAL)
    assert loaded.assessment is not None, loaded.findings
    return dump_yaml(revised(loaded.assessment))


if __name__ == "__main__":
    REVISED.write_text(text(), encoding="utf-8")
    print(f"wrote {REVISED}")
