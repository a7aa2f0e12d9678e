"""Built workbooks agree with the reference in real spreadsheet engines.

LibreOffice Calc (headless, recalculation forced on load) and formualizer evaluate the
workbook's own formulas; every contract result must equal the reference engine's value:
the one-decimal score exactly, other numbers within a relative 1e-9, text exactly.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from workbook_cases import engine_cases, fill_by_name, require_libreoffice, score_randomly

from aijri_xl import load, score
from aijri_xl.catalogue import draft_assessment, roles
from aijri_xl.method.compare import agrees
from aijri_xl.method.model import Assessment
from aijri_xl.verify.evaluator import evaluate
from aijri_xl.verify.file import verify_file
from aijri_xl.workbook.layout import SUMMARY_CELL, layout, task_rows_for
from aijri_xl.workbook.libreoffice import recalculate
from aijri_xl.workbook.writer import write_workbook
from aijri_xl.workbook.xlsx import read_xlsx

pytestmark = pytest.mark.libreoffice

CASES = engine_cases()


def _disagreements(values: dict[str, object], a: Assessment) -> list[str]:
    """Every result field whose spreadsheet value departs from the reference."""
    result = score(a)
    out = []
    for name, value in values.items():
        verdict = agrees(name, value, result)
        if verdict != "ok":
            out.append(f"{name}: spreadsheet {value!r}, reference "
                       f"{result.workbook_value(name)!r} ({verdict})")
    return out


def _result_values(path: Path, rows: int) -> dict[str, object]:
    data = read_xlsx(path)
    return {c.name: data.cell(c.sheet, c.ref).value for c in layout(rows).cells
            if c.kind == "result"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> list[tuple[Path, Assessment]]:
    folder = tmp_path_factory.mktemp("built")
    return [(write_workbook(a, folder / f"case{i:03d}.xlsx"), a) for i, a in enumerate(CASES)]


@pytest.fixture(scope="module")
def filled(tmp_path_factory, repo_root) -> list[tuple[Path, Assessment]]:
    """Every committed role template and the blank one, filled by name with random valid
    scores as a script would fill them."""
    folder = tmp_path_factory.mktemp("filled")
    rng = random.Random(7)
    out: list[tuple[Path, Assessment]] = []
    for role in [*roles(), None]:
        a = draft_assessment(role.id) if role else Assessment()
        if role is None:  # the fully blank template: give it a role and tasks
            a.role.title = "Filled blank template"
            a.tasks = draft_assessment(roles()[0].id).tasks
        score_randomly(a, rng)
        template = repo_root / "templates" / f"{role.id if role else 'blank'}.xlsx"
        target = folder / f"filled-{template.name}"
        fill_by_name(template, target, a)
        out.append((target, a))
    return out


@pytest.fixture(scope="module")
def templates(repo_root) -> list[Path]:
    return sorted((repo_root / "templates").glob("*.xlsx"))


@pytest.fixture(scope="module")
def saved_by_libreoffice(built, filled, templates, tmp_path_factory) -> dict[Path, Path]:
    """One LibreOffice recalculation for the whole module's corpus (the random cases, the
    filled templates and the committed templates), shared by the tests that need it: each
    source file mapped to the file LibreOffice saved."""
    require_libreoffice()
    sources = [p for p, _ in built] + [p for p, _ in filled] + templates
    saved = recalculate(sources, tmp_path_factory.mktemp("lo"))
    return dict(zip(sources, saved, strict=True))


@pytest.fixture(scope="module")
def recalculated(built, saved_by_libreoffice) -> list[Path]:
    return [saved_by_libreoffice[p] for p, _ in built]


def test_there_are_at_least_200_random_cases_with_boundaries_and_ties():
    assert len(CASES) >= 200 + 8
    assert max(len(a.tasks) for a in CASES) == 30
    assert any(a.override.score is not None for a in CASES)


def test_libreoffice_recalculation_agrees_with_the_reference(built, recalculated):
    failures = []
    for (source, a), path in zip(built, recalculated, strict=True):
        values = _result_values(path, task_rows_for(len(a.tasks)))
        problems = _disagreements(values, a)
        if problems:
            failures.append(f"{source.name}: " + "; ".join(problems))
    assert failures == []


def test_libreoffice_really_recalculated(built, recalculated):
    """LibreOffice writes 15 significant digits; our cached values carry 17. A file whose
    values all kept 17 digits was not recalculated, and the test above would prove nothing."""
    changed = 0
    for (source, a), path in zip(built, recalculated, strict=True):
        rows = task_rows_for(len(a.tasks))
        before, after = _result_values(source, rows), _result_values(path, rows)
        changed += sum(before[k] != after[k] for k in before)
    assert changed > 0


def test_formualizer_agrees_with_the_reference(built):
    failures = []
    for source, a in built:
        lay = layout(task_rows_for(len(a.tasks)))
        cells = [c for c in lay.cells if c.kind == "result"]
        values = evaluate(read_xlsx(source), lay, [(c.sheet, c.ref) for c in cells])
        problems = _disagreements({c.name: values[(c.sheet, c.ref)] for c in cells}, a)
        if problems:
            failures.append(f"{source.name}: " + "; ".join(problems))
    assert failures == []


def test_templates_filled_by_name_score_as_the_reference(filled, saved_by_libreoffice):
    for source, a in filled:
        path = saved_by_libreoffice[source]
        loaded = load(path)
        assert loaded.assessment is not None, loaded.findings
        assert [f for f in loaded.findings if f.severity == "error"] == []
        assert score(loaded.assessment) == score(a), path.name
        values = _result_values(path, task_rows_for(len(a.tasks)))
        assert _disagreements(values, a) == [], path.name


def test_filled_templates_saved_by_libreoffice_verify_pass(filled, saved_by_libreoffice):
    """Every committed template, filled with valid inputs by a script and recalculated and
    saved by LibreOffice, verifies PASS."""
    for source, _ in filled:
        v = verify_file(saved_by_libreoffice[source])
        assert v.verdict == "PASS", (source.name, v.findings)


def test_every_committed_template_opens_in_libreoffice_without_errors(templates,
                                                                      saved_by_libreoffice):
    for source in templates:
        path = saved_by_libreoffice[source]
        data = read_xlsx(path)
        errors = [f"{s.name}!{ref}: {c.value}" for s in data.sheets.values()
                  for ref, c in s.cells.items() if c.is_error]
        assert errors == [], path.name
        status = data.cell("Summary", SUMMARY_CELL["Status"]).value
        assert status.startswith("Check: ") and " more)" in status, (path.name, status)
