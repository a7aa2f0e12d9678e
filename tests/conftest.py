"""Shared fixtures: where the repository, the worked example and the method spec live."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = Path(__file__).resolve().parents[2] / "shared"
METHOD_SPEC = SHARED_DIR / "method" / "AIJRI-METHOD.md"
WORKED_EXAMPLE = REPO_ROOT / "workbooks" / "hpc-developer.yaml"

# tests/strategies.py is imported as ``strategies`` by the test modules.
if str(Path(__file__).parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return SHARED_DIR


@pytest.fixture(scope="session")
def method_spec() -> Path:
    """shared/method/AIJRI-METHOD.md, the source of truth."""
    if not METHOD_SPEC.is_file():
        pytest.fail(f"the method spec is missing: {METHOD_SPEC}")
    return METHOD_SPEC


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
