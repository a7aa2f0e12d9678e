"""The public surface and the documents generated from code: ``__all__``, docs/CODES.md,
and the method tables against docs/METHOD.md and docs/WORKBOOK-CONTRACT.md."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import aijri_xl
from aijri_xl.method import PARAMETERS, RESULT_FIELDS
from aijri_xl.method.findings import CODES, Finding, codes_markdown
from aijri_xl.method.rules import BLOCKING_CODES

CORE_NAMES = {
    "score", "score_from_scores", "Result", "AssessmentError", "Assessment", "Task",
    "Scored", "Growth", "Override", "RoleDefinition", "check", "load", "verify_file",
    "Verification", "Finding", "CODES", "METHOD", "PARAMETERS", "PARAMS", "RESULT_FIELDS",
    "excel_round", "verdict", "__version__",
}


def _exported() -> set[str]:
    """Public names the package namespace actually holds, submodules aside."""
    names = {name for name, value in vars(aijri_xl).items()
             if not name.startswith("_") and not inspect.ismodule(value)}
    return names | set(aijri_xl._LAZY)  # functions loaded on first use


def test_all_is_exactly_what_the_package_exports():
    assert len(aijri_xl.__all__) == len(set(aijri_xl.__all__)), "duplicates in __all__"
    assert set(aijri_xl.__all__) - {"__version__"} == _exported()


def test_every_name_in_all_resolves():
    for name in aijri_xl.__all__:
        assert hasattr(aijri_xl, name), name


def test_core_names_are_public():
    assert set(aijri_xl.__all__) >= CORE_NAMES


def test_star_import_gives_all():
    namespace: dict[str, object] = {}
    exec("from aijri_xl import *", namespace)
    assert set(namespace) - {"__builtins__"} == set(aijri_xl.__all__)


def test_version_is_the_distribution_version():
    from importlib.metadata import version

    assert aijri_xl.__version__ == version("aijri-xl")


# ---------------------------------------------------------------------------------------
# docs/CODES.md


def test_codes_md_is_generated_from_the_table(repo_root: Path):
    path = repo_root / "docs" / "CODES.md"
    assert path.read_bytes() == codes_markdown().encode("utf-8"), (
        "docs/CODES.md is stale: run `python -m aijri_xl codes > docs/CODES.md`")


def test_every_code_is_documented(repo_root: Path):
    text = (repo_root / "docs" / "CODES.md").read_text(encoding="utf-8")
    documented = re.findall(r"^\| `(AIJ-[EWFXIR]\d{3})` \|", text, flags=re.M)
    assert documented == list(CODES)
    for code in CODES.values():
        assert code.title and code.rule, code.code


def test_codes_follow_their_family_and_severity():
    families = {"E0": "error", "W0": "warning", "E1": "error", "W1": "warning",
                "F2": "error", "X3": "error", "I4": "info"}
    # Register flags: disagreements between assessments warn; one that does not verify
    # is an error, as it is for the file itself.
    register_flags = {"AIJ-R501": "warning", "AIJ-R502": "warning", "AIJ-R503": "error",
                      "AIJ-R504": "warning"}
    for name, code in CODES.items():
        assert re.fullmatch(r"AIJ-[EWFXIR]\d{3}", name)
        if name.startswith("AIJ-R5"):
            assert register_flags[name] == code.severity, name
        else:
            assert families[name[4:6]] == code.severity, name


def test_every_code_the_package_uses_is_in_the_table(repo_root: Path):
    used = set()
    for source in (repo_root / "aijri_xl").rglob("*.py"):
        used |= set(re.findall(r"AIJ-[EWFXIR]\d{3}", source.read_text(encoding="utf-8")))
    assert used - set(CODES) == set()
    assert set(CODES) >= BLOCKING_CODES


def test_an_unknown_code_is_refused():
    with pytest.raises(ValueError, match="AIJ-E999"):
        Finding("AIJ-E999", "no such rule")


# ---------------------------------------------------------------------------------------
# method.py against the spec


def _section(spec: str, number: int) -> str:
    match = re.search(rf"^## {number}\. .*?(?=^## )", spec, flags=re.M | re.S)
    assert match, f"§{number} not found in the method spec"
    return match.group(0)


def test_parameter_table_matches_the_spec(method_spec: Path):
    section = _section(method_spec.read_text(encoding="utf-8"), 2)
    rows = re.findall(r"^\| `([A-Z_]+)` \| ([^|]+) \| (\w+) \|$", section, flags=re.M)
    assert len(rows) >= 18
    spec = [(name, float(re.match(r"-?\d+(?:\.\d+)?", value).group(0)), tag)
            for name, value, tag in rows]
    code = [(p.name, float(p.value), p.tag) for p in PARAMETERS]
    assert code == spec


def test_result_fields_match_the_spec(method_spec: Path):
    section = _section(method_spec.read_text(encoding="utf-8"), 4)
    # The list is the paragraph after the sentence that introduces it; the paragraphs
    # after it explain single fields.
    paragraphs = section.split("Every interface", 1)[1].split("\n\n")
    fields = re.findall(r"`([a-z_0-9]+)`", paragraphs[1])
    assert tuple(fields) == RESULT_FIELDS


def test_method_version_matches_the_spec(method_spec: Path):
    title = method_spec.read_text(encoding="utf-8").splitlines()[0]
    assert f"`{aijri_xl.METHOD}`" in title


def test_register_and_publish_are_loaded_on_first_use(repo_root: Path):
    import aijri_xl.analytics.page
    import aijri_xl.registry

    assert aijri_xl.register is aijri_xl.registry.register
    assert aijri_xl.publish is aijri_xl.analytics.page.publish
    a = aijri_xl.load(repo_root / "workbooks" / "hpc-developer.yaml").assessment
    assert aijri_xl.publish(a) == (repo_root / "workbooks" / "hpc-developer.md").read_text(
        encoding="utf-8")
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = aijri_xl.nothing


def test_input_blocks_match_the_spec(method_spec: Path):
    """§1 names the scored dimensions of each block; the code's tables hold the same ones,
    in the same order."""
    from aijri_xl.method.parameters import BARRIERS, EVIDENCE, PROTECTIVE

    section = _section(method_spec.read_text(encoding="utf-8"), 1)
    rows = {m.group(1).split(" [")[0]: m.group(2) for m in re.finditer(
        r"^\| ([A-Z][^|]*?) \| ([^|]+) \|", section, flags=re.M)}
    for block, dims in (("Protective principles", PROTECTIVE), ("Evidence", EVIDENCE),
                        ("Barriers", BARRIERS)):
        listed = [d.strip().casefold() for d in rows[block].split(";")]
        assert listed == [d.label.casefold() for d in dims], block


def test_the_worked_example_of_the_spec_is_what_the_engine_computes(method_spec: Path,
                                                                     worked_example):
    section = _section(method_spec.read_text(encoding="utf-8"), 6)
    table = dict(re.findall(r"^\| ([a-z_0-9]+) \| ([^|]+) \|$", section, flags=re.M))
    result = aijri_xl.score(worked_example).to_dict()
    assert set(table) >= {"weighted_total", "raw", "score_unrounded"}
    for name, value in table.items():
        assert float(value) == pytest.approx(result[name], abs=5e-5), name


def test_help_shows_publish_and_register():
    import pydoc

    text = pydoc.render_doc(aijri_xl, renderer=pydoc.plaintext)
    for name in ("publish(", "register(", "score(", "load("):
        assert name in text, name
    assert {"publish", "register"} <= set(dir(aijri_xl))


def test_nothing_reads_outside_the_repository(repo_root: Path):
    """No module, test, benchmark or example names a path beside the repository (the
    method spec and seeds are in docs/ and tests/data/seeds/)."""
    beside = "shared"  # spelt apart, so that this test does not find itself
    pattern = re.compile(r"parents\[[2-9]\]|\.\./" + beside + r"|/work/" + beside
                         + r"|[\"'/]" + beside + r"/(?:seeds|method)")
    offenders = []
    for folder in ("aijri_xl", "tests", "benchmarks", "docs", ".ci"):
        for path in sorted((repo_root / folder).rglob("*")):
            if path.suffix in (".py", ".md", ".yaml", "") and path.is_file():
                text = path.read_text(encoding="utf-8", errors="replace")
                offenders += [f"{path.relative_to(repo_root)}: {m.group(0)}"
                              for m in pattern.finditer(text)]
    assert offenders == []
    seeds = sorted(p.name for p in (repo_root / "tests/data/seeds").glob("*.txt"))
    assert seeds[0] == "000_4d6eb753268fa0f0.txt" and len(seeds) == 5
