"""The role catalogue: its data files, its API and the ``aijri roles`` command.

The data files are checked as raw YAML (what an assessor will be handed) as well as
through the API, so that a file cannot pass by being repaired on the way in.
"""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from aijri_xl import catalogue
from aijri_xl.method import BARRIERS, EVIDENCE, METHOD, PROTECTIVE
from aijri_xl.method.codec import assessment_from_data
from aijri_xl.method.rules import check

REPO = Path(__file__).resolve().parents[1]
SEEDS = Path(__file__).resolve().parent / "data" / "seeds"
FOLDER = resources.files("aijri_xl").joinpath("catalogue")
FILES = sorted((f for f in FOLDER.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)

REQUIRED = {  # id: (title, the seed it must be drawn from)
    "hpc-developer": ("HPC Developer", "000_"),
    "system-administrator": ("System Administrator", "001_"),
    "performance-engineer": ("Performance Engineer", "001_"),
    "cloud-hpc-engineer": ("Cloud HPC Engineer", "001_"),
    "ai-ml-specialist": ("AI/ML Specialist", "001_"),
    "devops-engineer": ("DevOps Engineer", "001_"),
    "scientific-developer": ("Scientific Developer", "001_"),
    "ai-infrastructure-engineer": ("AI Infrastructure Engineer", "002_"),
    "gpu-hpc-cluster-engineer": ("GPU/HPC Cluster Engineer", "002_"),
    "numerical-and-data-specialist": ("Numerical and Data Specialist", "003_"),
    "performance-analyst-and-advisor": ("Performance Analyst and Advisor", "003_"),
    "system-development-and-support": ("System Development and Support", "003_"),
    "system-architect": ("System Architect", "003_"),
    "compiler-engineer": ("Compiler Engineer", "000_"),
    "database-engineer": ("Database Engineer", "000_"),
}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SEED_NAME = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")
# Keys that would carry a score or a scored judgment; none may appear in a draft.
SCORED_KEYS = {"score", "class", "protective", "evidence", "barriers", "growth", "correlation",
               "check", "override", "calibration", "assessor", "assessment_date"}
MISSING_SCORE_CODES = {"AIJ-E001", "AIJ-E006"}


def _raw(path: Any) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


RAW = {f.name.removesuffix(".yaml"): _raw(f) for f in FILES}


def _keys(node: Any) -> set[str]:
    """Every mapping key anywhere in a parsed document."""
    if isinstance(node, dict):
        return set(node) | set().union(*(_keys(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_keys(v) for v in node)) if node else set()
    return set()


# --------------------------------------------------------------------------- the files


def test_the_catalogue_has_at_least_twelve_roles() -> None:
    assert len(FILES) >= 12
    assert len(catalogue.roles()) == len(FILES)


def test_every_required_role_is_present_with_its_title_and_seed() -> None:
    by_id = {r.id: r for r in catalogue.roles()}
    missing = set(REQUIRED) - set(by_id)
    assert not missing, f"missing roles: {sorted(missing)}"
    for role_id, (title, seed_prefix) in REQUIRED.items():
        assert by_id[role_id].title == title
        assert by_id[role_id].source.startswith(seed_prefix), role_id


@pytest.mark.parametrize("name", sorted(RAW))
def test_file_layout_and_id(name: str) -> None:
    data = RAW[name]
    assert set(data) == {"catalogue", "assessment"}
    meta, doc = data["catalogue"], data["assessment"]
    assert set(meta) == {"id", "title", "source", "source_note"}
    assert SLUG.match(name), f"{name!r} is not a slug"
    assert meta["id"] == name == doc["role"]["id"]
    assert meta["title"] == doc["role"]["title"]
    assert doc["method"] == METHOD
    assert set(doc) == {"method", "role", "tasks"}
    for key in ("title", "seniority", "primary_function", "not", "typical_experience"):
        assert isinstance(doc["role"].get(key), str) and doc["role"][key].strip(), key
    code = doc["role"].get("occupation_code")
    assert code is None or re.fullmatch(r"\d{2}-\d{4}\.\d{2}", str(code)), code


def test_ids_are_unique_and_match_the_files() -> None:
    ids = [r.id for r in catalogue.roles()]
    assert len(ids) == len(set(ids))
    assert sorted(ids) == sorted(RAW)


@pytest.mark.parametrize("name", sorted(RAW))
def test_time_shares_sum_to_exactly_100(name: str) -> None:
    tasks = RAW[name]["assessment"]["tasks"]
    times = [Decimal(str(t["time"])) for t in tasks]
    assert all(t > 0 for t in times)
    assert sum(times, Decimal(0)) == Decimal(100)


@pytest.mark.parametrize("name", sorted(RAW))
def test_tasks_have_a_name_and_a_time_and_nothing_scored(name: str) -> None:
    tasks = RAW[name]["assessment"]["tasks"]
    assert 5 <= len(tasks) <= 10
    for task in tasks:
        assert isinstance(task["name"], str) and task["name"].strip()
        assert isinstance(task["time"], int | float) and not isinstance(task["time"], bool)
        assert "score" not in task and "class" not in task
        assert set(task) == {"name", "time"}
    names = [t["name"].casefold() for t in tasks]
    assert len(names) == len(set(names)), "duplicate task names"


@pytest.mark.parametrize("name", sorted(RAW))
def test_no_score_anywhere_in_the_file(name: str) -> None:
    assert not _keys(RAW[name]) & SCORED_KEYS


@pytest.mark.parametrize("name", sorted(RAW))
def test_source_names_an_existing_seed(name: str) -> None:
    meta = RAW[name]["catalogue"]
    assert SEED_NAME.match(meta["source"]), meta["source"]
    assert meta["source_note"].strip()
    assert (SEEDS / meta["source"]).is_file(), f"no seed {meta['source']} in {SEEDS}"


@pytest.mark.parametrize("name", ["compiler-engineer", "database-engineer"])
def test_peers_say_they_are_drafted_from_general_knowledge(name: str) -> None:
    assert "general knowledge" in RAW[name]["catalogue"]["source_note"]


@pytest.mark.parametrize("name", sorted(RAW))
def test_each_file_reads_as_an_assessment_without_findings(name: str) -> None:
    assessment, findings = assessment_from_data(RAW[name]["assessment"])
    assert findings == []
    assert assessment.role.title == RAW[name]["catalogue"]["title"]


# --------------------------------------------------------------------------- the API


def test_roles_are_sorted_by_title_and_frozen() -> None:
    listed = catalogue.roles()
    assert [r.title.casefold() for r in listed] == sorted(r.title.casefold() for r in listed)
    with pytest.raises(dataclasses.FrozenInstanceError):
        listed[0].title = "changed"  # type: ignore[misc]
    assert catalogue.roles() == listed  # the cached data was not changed by the attempt


def test_role_by_id_and_by_case_insensitive_title() -> None:
    assert catalogue.role("gpu-hpc-cluster-engineer").title == "GPU/HPC Cluster Engineer"
    assert catalogue.role("gpu/hpc cluster ENGINEER").id == "gpu-hpc-cluster-engineer"
    assert catalogue.role("  System  Architect ").id == "system-architect"


def test_unknown_role_raises_key_error_listing_known_ids() -> None:
    with pytest.raises(KeyError, match="no catalogue role 'quantum-plumber'") as info:
        catalogue.role("quantum-plumber")
    message = str(info.value)
    for r in catalogue.roles():
        assert r.id in message
    with pytest.raises(KeyError, match=r"known ids: .*hpc-developer"):
        catalogue.draft_assessment("quantum-plumber")


@pytest.mark.parametrize("name", sorted(RAW))
def test_draft_assessment_reports_only_missing_scores(name: str) -> None:
    a = catalogue.draft_assessment(name)
    doc = RAW[name]["assessment"]
    assert a.method == METHOD
    assert a.role.id == name and a.role.title == doc["role"]["title"]
    assert [t.name for t in a.tasks] == [t["name"] for t in doc["tasks"]]
    assert all(t.score is None and t.task_class is None for t in a.tasks)
    findings = check(a)
    assert {f.code for f in findings} == MISSING_SCORE_CODES
    # Exactly the scored inputs are missing, and nothing else is reported.
    expected_missing = ({f"protective.{d.key}.score" for d in PROTECTIVE}
                        | {f"evidence.{d.key}.score" for d in EVIDENCE}
                        | {f"barriers.{d.key}.score" for d in BARRIERS}
                        | {"growth.correlation"})
    assert {f.field for f in findings if f.code == "AIJ-E001"} == expected_missing
    assert {f.field for f in findings if f.code == "AIJ-E006"} == {
        f"tasks[{i}].score" for i in range(len(a.tasks))}


def test_draft_assessments_are_independent_copies() -> None:
    first = catalogue.draft_assessment("system-architect")
    first.tasks[0].score = 3
    first.role.title = "changed"
    second = catalogue.draft_assessment("system-architect")
    assert second.tasks[0].score is None
    assert second.role.title == "System Architect"


def test_hpc_developer_matches_the_worked_example_workbook() -> None:
    workbook, findings = assessment_from_data(
        yaml.safe_load((REPO / "workbooks" / "hpc-developer.yaml").read_text(encoding="utf-8")))
    assert not [f for f in findings if f.severity == "error"]
    draft = catalogue.draft_assessment("hpc-developer")
    assert draft.role == workbook.role
    assert [(t.name, t.time) for t in draft.tasks] == [(t.name, t.time) for t in workbook.tasks]
    raw_times = [Decimal(str(t["time"])) for t in RAW["hpc-developer"]["assessment"]["tasks"]]
    assert raw_times == [Decimal(n) for n in (25, 20, 15, 10, 10, 10, 5, 5)]


def test_importing_the_catalogue_does_not_import_yaml() -> None:
    code = "import sys, aijri_xl.catalogue; print('yaml' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "False", "importing aijri_xl.catalogue imported yaml"


def test_package_data_is_found_from_another_directory(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-c", "import aijri_xl.catalogue as c; print(len(c.roles()))"],
        capture_output=True, text=True, check=True, cwd=tmp_path).stdout
    assert int(out) == len(RAW)


# --------------------------------------------------------------------------- the CLI


def test_cli_roles_json_lists_every_role() -> None:
    proc = subprocess.run([sys.executable, "-m", "aijri_xl", "roles", "--json"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    listed = json.loads(proc.stdout)["catalogue"]
    assert [r["id"] for r in listed] == [r.id for r in catalogue.roles()]
    assert set(REQUIRED) <= {r["id"] for r in listed}
    for item in listed:
        assert set(item) == {"id", "title", "source", "source_note", "occupation_code", "tasks"}
        assert item["occupation_code"] == RAW[item["id"]]["assessment"]["role"].get(
            "occupation_code")
        meta = RAW[item["id"]]["catalogue"]
        assert (item["title"], item["source"]) == (meta["title"], meta["source"])
        assert item["source_note"] == meta["source_note"].strip()
        assert item["tasks"] == len(RAW[item["id"]]["assessment"]["tasks"])


def test_cli_roles_table() -> None:
    proc = subprocess.run([sys.executable, "-m", "aijri_xl", "roles"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    table, _, hint = proc.stdout.partition("\n\n")
    lines = table.splitlines()
    assert lines[0].split() == ["id", "title", "source"]
    assert len(lines) == 1 + len(RAW)
    assert "O*NET occupations" in hint and "aijri roles --search TEXT" in hint
    for line, r in zip(lines[1:], catalogue.roles(), strict=True):
        assert line.startswith(r.id + " ") and r.title in line and line.endswith(r.source)
