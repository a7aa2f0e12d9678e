"""The .ods journey end to end: templates made by ``aijri template``, filled in LibreOffice
Calc through its UNO API as a person types, saved by LibreOffice as ``.ods`` (and, from
the same session, as ``.xlsx``), then ``score``, ``verify`` and ``register``.

Every fill is saved both ways, so each ``.ods`` is held to the ``.xlsx`` route's
standard: the same findings at the same places, the same assessment read, the same
scores. One soffice process fills and saves the whole set (``lo_uno_fill.py``, run by
the system Python that has LibreOffice's ``uno`` module).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from workbook_cases import require_libreoffice, score_randomly

import aijri_xl
from aijri_xl.catalogue import draft_assessment
from aijri_xl.method.codec import assessment_to_data
from aijri_xl.method.model import Assessment
from aijri_xl.verify import verify_file
from aijri_xl.workbook.bindings import input_values
from aijri_xl.workbook.layout import layout

pytestmark = pytest.mark.libreoffice

HERE = Path(__file__).parent
ROLES = ["hpc-developer", "database-engineer", "devops-engineer", "compiler-engineer",
         "system-administrator"]


def _uno_python() -> str:
    """A Python that imports LibreOffice's ``uno`` (Debian: python3-uno)."""
    for candidate in (os.environ.get("AIJRI_UNO_PYTHON"), "/usr/bin/python3",
                      shutil.which("python3")):
        if candidate and Path(candidate).exists() and subprocess.run(
                [candidate, "-c", "import uno"], capture_output=True, check=False
        ).returncode == 0:
            return candidate
    message = "LibreOffice's Python UNO bridge is not installed: apt-get install python3-uno"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _cell(name: str) -> str:
    (cell,) = [c for c in layout().cells if c.name == name]
    return f"{cell.sheet}!{cell.ref}"


def _typed(value: Any) -> Any:
    if isinstance(value, dt.date):
        return {"typed": value.isoformat()}  # typed as a person types a date
    return value


@dataclass
class Fill:
    name: str
    template: str
    assessment: Assessment
    names: dict[str, Any] = field(default_factory=dict)
    cells: list[list[Any]] = field(default_factory=list)
    redirect: dict[str, str] = field(default_factory=dict)
    macro: str = ""
    password: str = ""
    ods_only: set[str] = field(default_factory=set)
    """Codes only the .ods gives, because LibreOffice's .xlsx does not carry the cause: it
    saves no Basic macros in an .xlsx, and no password through the UNO store call."""
    expect: set[tuple[str, str]] = field(default_factory=set)
    """(code, place) that verification must report."""
    verdict: str = "PASS"


def _names(a: Assessment) -> dict[str, Any]:
    return {k: [_typed(x) for x in v] if isinstance(v, list) else _typed(v)
            for k, v in input_values(a).items()}


def _valid(role: str, seed: int) -> Assessment:
    a = draft_assessment(role)
    score_randomly(a, random.Random(seed))
    a.assessor, a.assessment_date = f"Assessor {seed}", f"2026-0{seed % 9 + 1}-1{seed % 10}"
    return a


def _fills() -> list[Fill]:
    fills = [Fill(f"valid-{role}", role, _valid(role, seed)) for seed, role in enumerate(ROLES)]
    for f in fills:
        f.names = _names(f.assessment)
    # one assessor types the time shares as percentages ("25%"), the way Calc reads them
    first = fills[0]
    first.names["task_time"] = [{"typed": f"{round(t * 100, 6):g}%"} if t is not None else None
                                for t in first.names["task_time"]]
    role = ROLES[0]
    base = _valid(role, 0)

    def invalid(name: str, expect: set[tuple[str, str]], verdict: str = "FAIL",
                **edits: Any) -> Fill:
        names = _names(base)
        for key, value in edits.items():
            if isinstance(names.get(key), list):
                names[key] = list(names[key])
                names[key][0] = value
            else:
                names[key] = value
        return Fill(name, role, base, names, expect=expect, verdict=verdict)

    time_cell = _range_cell("task_time", 0)
    class_cell = _range_cell("task_class", 0)
    t0 = base.tasks[0].time or 0
    fills += [
        invalid("sum-105", {("AIJ-E005", _cell("task_time"))}, task_time=t0 + 0.05),
        invalid("time-typed-as-25", {("AIJ-E003", time_cell)}, task_time=t0 * 100),
        invalid("no-class", {("AIJ-E001", class_cell)}, task_class=""),
        # a score typed as the text "2": which cell is named for it is issue 12's point 3
        # (the workbook reader's); here the .ods is held to the .xlsx route's findings
        invalid("score-as-text", set(), task_score="2"),
        invalid("protective-out-of-range",
                {("AIJ-E003", _cell("protective_embodied_physicality"))},
                protective_embodied_physicality=7),
        invalid("override-unjustified", {("AIJ-E008", _cell("override_justification"))},
                override_score=60.0, override_justification=""),
    ]
    # tampering: the sheet unprotected and a template formula or parameter edited
    weighted, doubled = _weighted_cell()
    tampered = [
        ("edited-formula", [[*weighted.split("!"), {"typed": doubled}]],
         {("AIJ-X306", weighted)}),
        ("final-score-typed", [[*_cell("final_score").split("!"), 61.3]],
         {("AIJ-X305", _cell("final_score"))}),
        ("parameter-edited", [[*_cell("TRS_CEILING").split("!"), 7]],
         {("AIJ-X307", _cell("TRS_CEILING"))}),
        ("webservice", [[*_cell("zone").split("!"),
                         {"typed": '=WEBSERVICE("https://example.org/zone")'}]],
         {("AIJ-X308", _cell("zone")), ("AIJ-X306", _cell("zone"))}),
    ]
    for name, cells, expect in tampered:
        fills.append(Fill(name, role, base, _names(base), cells, expect=expect, verdict="FAIL"))
    fills.append(Fill("name-redirected", role, base, _names(base), expect={
        ("AIJ-X303", "final_score")}, verdict="FAIL", redirect={"final_score": "$Score.$C$40"}))
    fills.append(Fill("with-a-macro", role, base, _names(base), verdict="FAIL",
                      expect={("AIJ-X309", "Basic/Standard/Module1.xml")},
                      macro='Sub Main\n  MsgBox "hello"\nEnd Sub\n', ods_only={"AIJ-X309"}))
    fills.append(Fill("password-protected", role, base, _names(base), verdict="FAIL",
                      password="secret", expect={("AIJ-F206", "")}, ods_only={"AIJ-F206"}))
    fills.append(Fill("blank-untouched", "blank", Assessment(), {},
                      expect={("AIJ-E001", _cell("role_title"))}, verdict="FAIL"))
    return fills


def _range_cell(name: str, index: int) -> str:
    (cell,) = [c for c in layout().cells if c.name == name]
    sheet, ref = cell.sheet, cell.ref.split(":")[0]
    col = ref.rstrip("0123456789")
    return f"{sheet}!{col}{int(ref[len(col):]) + index}"


def _weighted_cell() -> tuple[str, str]:
    """The first task's Weighted cell (a display formula: time × score), and that formula
    as a person might edit it (doubled)."""
    time_ref = _range_cell("task_time", 0).split("!")[1]
    score_ref = _range_cell("task_score", 0).split("!")[1]
    (cell,) = [c for c in layout().formula_cells() if c.sheet == "Tasks" and
               f"{time_ref}*{score_ref}" in (c.formula or "")]
    return f"Tasks!{cell.ref}", f"={time_ref}*{score_ref}*2"


@pytest.fixture(scope="module")
def journey(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Fill]]:
    require_libreoffice()
    uno_python = _uno_python()
    root = tmp_path_factory.mktemp("ods")
    templates = root / "templates"
    templates.mkdir()
    fills = _fills()
    for role in sorted({f.template for f in fills}):
        args = ([role] if role != "blank" else []) + ["-o", str(templates / f"{role}.xlsx")]
        subprocess.run([sys.executable, "-m", "aijri_xl", "template", *args], check=True,
                       capture_output=True)
    jobs = []
    for f in fills:
        jobs.append({"template": str(templates / f"{f.template}.xlsx"),
                     "outputs": [str(root / "ods" / f"{f.name}.ods"),
                                 str(root / "xlsx" / f"{f.name}.xlsx")],
                     "names": f.names, "cells": f.cells, "redirect": f.redirect,
                     "macro": f.macro, "password": f.password})
    (root / "ods").mkdir()
    (root / "xlsx").mkdir()
    (root / "jobs.json").write_text(json.dumps({"jobs": jobs}), encoding="utf-8")
    done = subprocess.run([uno_python, str(HERE / "lo_uno_fill.py"), str(root / "jobs.json")],
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("saved ") == 2 * len(fills)
    return root, fills


DISPLAY_NOT_CHECKED = "AIJ-W130"
"""Every .ods carries this warning: its number formats are not read, so what it displays
is not confirmed. A fill that PASSes as .xlsx WARNs as .ods for this reason alone."""


def _places(v) -> list[tuple[str, str | None]]:
    """Codes and places; a finding placed at the whole file is at "the file" for both."""
    return sorted((f.code, "the file" if f.where == v.file else f.where) for f in v.findings
                  if f.code != DISPLAY_NOT_CHECKED)


def _ods_verdict(verdict: str) -> str:
    return "WARN" if verdict == "PASS" else verdict


def _fill_ids() -> list[str]:
    return [f.name for f in _fills()]


@pytest.mark.parametrize("name", _fill_ids())
def test_an_ods_verifies_as_its_xlsx_does(journey, name):
    """The same fill saved by LibreOffice as .ods and as .xlsx: the same verdict, every
    finding at the same place, the same assessment read, the same result."""
    root, fills = journey
    (fill,) = [f for f in fills if f.name == name]
    ods, xlsx = verify_file(root / "ods" / f"{name}.ods"), verify_file(root / "xlsx" /
                                                                         f"{name}.xlsx")
    assert [p for p in _places(ods) if p[0] not in fill.ods_only] == _places(xlsx), \
        (ods.findings, xlsx.findings)
    assert ods.verdict == _ods_verdict(xlsx.verdict) or fill.ods_only
    if ods.loaded.assessment is not None:
        assert DISPLAY_NOT_CHECKED in {f.code for f in ods.findings}
    a_ods, a_xlsx = ods.loaded.assessment, xlsx.loaded.assessment
    if a_ods is not None:
        assert a_xlsx is not None
        assert assessment_to_data(a_ods) == assessment_to_data(a_xlsx)
        assert (ods.result.to_dict() if ods.result else None) == \
            (xlsx.result.to_dict() if xlsx.result else None)
    else:
        assert a_xlsx is None or "AIJ-F206" in fill.ods_only
    assert ods.verdict == _ods_verdict(fill.verdict), ods.findings
    found = {(f.code, f.where) for f in ods.findings}
    assert all(any(c == code and (w == where or not where) for c, w in found)
               for code, where in fill.expect), (fill.expect, ods.findings)
    if fill.verdict == "PASS":
        assert ods.result is not None
        assert ods.result.final_score == aijri_xl.score(fill.assessment).final_score


def test_score_prints_the_reference_score_for_an_ods(journey):
    root, fills = journey
    fill = fills[0]
    done = subprocess.run([sys.executable, "-m", "aijri_xl", "score", "--json",
                           str(root / "ods" / f"{fill.name}.ods")], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["final_score"] == aijri_xl.score(fill.assessment).final_score


def test_a_folder_walk_verifies_every_ods(journey):
    root, fills = journey
    done = subprocess.run([sys.executable, "-m", "aijri_xl", "verify", "--json",
                           str(root / "ods")], capture_output=True, text=True, check=False)
    assert done.returncode == 1  # the invalid fills fail
    verdicts = {Path(r["file"]).stem: r["verdict"] for r in json.loads(done.stdout)}
    assert verdicts == {f.name: _ods_verdict(f.verdict) for f in fills}


def test_the_register_holds_each_ods_with_its_xlsx_as_one_assessment(journey, tmp_path):
    root, fills = journey
    valid = [f for f in fills if f.verdict == "PASS"]
    folder = tmp_path / "submissions"
    folder.mkdir()
    for f in valid:
        shutil.copy(root / "ods" / f"{f.name}.ods", folder)
        shutil.copy(root / "xlsx" / f"{f.name}.xlsx", folder)
    out = tmp_path / "register.json"
    done = subprocess.run([sys.executable, "-m", "aijri_xl", "register", str(folder), "-o",
                           str(out)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    register = json.loads(out.read_text(encoding="utf-8"))
    assert register["files_read"] == 2 * len(valid)
    assert len(register["rows"]) == len(valid)
    by_role = {r["role_id"]: r for r in register["rows"]}
    for f in valid:
        row = by_role[f.assessment.role.id]
        assert sorted(Path(p).suffix for p in row["files"]) == [".ods", ".xlsx"], row
        assert row["final_score"] == aijri_xl.score(f.assessment).final_score
        assert row["verdict"] == "PASS"  # the row's verdict is its best file's: the .xlsx


def test_the_saved_ods_is_libreoffice_s_own_openformula(journey):
    """The files under test are what LibreOffice writes: OpenFormula with bracketed
    references and named ranges in the content, not Excel syntax kept from the template."""
    import zipfile

    root, _ = journey
    with zipfile.ZipFile(root / "ods" / "valid-hpc-developer.ods") as z:
        text = z.read("content.xml").decode("utf-8")
    assert 'table:formula="of:=' in text and "[.C5]" in text
    assert "<table:named-range " in text and 'office:value-type="percentage"' in text


def test_annotate_names_each_ods_it_does_not_annotate(journey, tmp_path):
    root, fills = journey
    out = tmp_path / "annotated"
    done = subprocess.run([sys.executable, "-m", "aijri_xl", "verify", str(root / "ods"),
                           "--annotate", str(out), "-q"], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 1, done.stderr
    said = done.stdout + done.stderr
    for f in fills:
        named = f"{f.name}.ods: an .ods is not annotated" in said
        assert named, (f.name, said)  # every .ods has findings (at least AIJ-W130)
    assert not out.exists() or not any(out.iterdir())


def test_an_annotated_copy_resaved_as_ods_is_still_refused(journey, tmp_path):
    """An annotated copy (a review aid) saved by LibreOffice in its own format keeps its
    mark as a user-defined property, and still verifies FAIL with AIJ-X310."""
    from aijri_xl.verify.annotate import annotated_bytes
    from aijri_xl.workbook.libreoffice import convert

    root, _ = journey
    source = root / "xlsx" / "final-score-typed.xlsx"
    findings = [f.to_dict() for f in verify_file(source).findings]
    copy = tmp_path / "final-score-typed-annotated.xlsx"
    copy.write_bytes(annotated_bytes(source.read_bytes(), findings, source.name))
    (ods,) = convert([copy], tmp_path / "lo", "ods")
    v = verify_file(ods)
    assert v.verdict == "FAIL"
    assert ("AIJ-X310", "docProps/custom.xml") in {(f.code, f.where) for f in v.findings}
