"""Fixtures: where the repository, the worked example, the seeds and the method spec live.
Everything is inside the repository: no test reads outside it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = REPO_ROOT / "tests" / "data" / "seeds"
METHOD_SPEC = REPO_ROOT / "docs" / "METHOD.md"
CONTRACT = REPO_ROOT / "docs" / "WORKBOOK-CONTRACT.md"
WORKED_EXAMPLE = REPO_ROOT / "workbooks" / "hpc-developer.yaml"

# tests/strategies.py is imported as ``strategies`` by the test modules.
if str(Path(__file__).parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """tests/data/seeds: the published worked example (000_...) and its siblings, exactly
    as published."""
    return SEEDS_DIR


@pytest.fixture(scope="session")
def method_spec() -> Path:
    """docs/METHOD.md, the method's specification."""
    if not METHOD_SPEC.is_file():
        pytest.fail(f"the method spec is missing: {METHOD_SPEC}")
    return METHOD_SPEC


@pytest.fixture(scope="session")
def workbook_contract() -> Path:
    """docs/WORKBOOK-CONTRACT.md."""
    return CONTRACT


@pytest.fixture(scope="session")
def worked_example_path() -> Path:
    """workbooks/hpc-developer.yaml: the worked example of AIJRI-METHOD.md §6."""
    return WORKED_EXAMPLE


@pytest.fixture
def worked_example():
    """The worked example as a fresh Assessment (tests may change it)."""
    from aijri_xl.sources import load

    loaded = load(WORKED_EXAMPLE)
    assert loaded.findings == [], loaded.findings
    assert loaded.assessment is not None
    return loaded.assessment
