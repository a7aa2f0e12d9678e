"""Templates filled in LibreOffice through UNO as a person types, saved as .xlsx: the
workbook's own status and `aijri verify` must say the same thing (issue 12).

One soffice session fills every case (tests/uno/fill.py, run by the system Python that
has LibreOffice's ``uno``). For each saved file: the Summary status (as LibreOffice
computed it), the verifier's verdict and codes, and formualizer's evaluation of every
check cell, which must equal LibreOffice's.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from workbook_cases import require_libreoffice

from aijri_xl.verify import verify_file
from aijri_xl.workbook.layout import layout
from aijri_xl.workbook.xlsx import read_xlsx, split_ref

HERE = Path(__file__).parent
SYSTEM_PYTHON = "/usr/bin/python3"
FIRST, LAST = 5, 12  # the template's eight draft task rows
SCORES = (2, 2, 3, 3, 2, 2, 3, 1)  # the worked example
CLASSES = ("AUGMENTATION",) * 7 + ("NOT INVOLVED",)
SHEET_CANNOT_DECIDE = {"AIJ-X314"}
LAY = {name: cell.ref for name, cell in layout().by_name.items()}


def valid_steps() -> list[list]:
    """The worked example typed into the HPC Developer template (its task names and
    times are the draft's): numbers as typed, classes chosen from the list."""
    steps: list[list] = []
    for sheet, refs, values in (("Protective", ("B5", "B6", "B7"), (0, 0, 2)),
                                ("Evidence", ("B5", "B6", "B7", "B8", "B9"), (1,) * 5),
                                ("Barriers", ("B5", "B6", "B7", "B8", "B9"), (0,) * 5)):
        steps += [["type", sheet, ref, str(v)] for ref, v in zip(refs, values, strict=True)]
    steps.append(["type", "Protective", LAY["growth_correlation"], "1"])
    for i, (score, klass) in enumerate(zip(SCORES, CLASSES, strict=True)):
        steps.append(["type", "Tasks", f"D{FIRST + i}", str(score)])
        steps.append(["type", "Tasks", f"F{FIRST + i}", klass])
    return steps


# (case, extra steps after the valid fill, the verdict, codes the verifier must report)
CASES: list[tuple[str, list[list], str, set[str]]] = [
    ("valid", [], "PASS", set()),
    # A formula in an input cell: the verifier refuses it (AIJ-X314: formulas only where
    # the template has them); no function all three engines share can tell a formula from
    # a value (ISFORMULA is Excel 2013's), so the sheet's own status stays Complete.
    ("formula typed for a share", [["type", "Tasks", "C5", "=0.2+0.05"]], "FAIL",
     {"AIJ-X314"}),
    ("scores pasted as values",
     [["paste", "Tasks", "D5", [[s] for s in SCORES]]], "PASS", set()),
    ("shares sum to 105%", [["type", "Tasks", "C5", "30%"]], "FAIL", {"AIJ-E005"}),
    ("share typed as 25 not 25%", [["type", "Tasks", "C5", "25"]], "FAIL", {"AIJ-E003"}),
    ("share typed as text", [["text", "Tasks", "C6", "20%"]], "FAIL", {"AIJ-E002"}),
    ("a task without a class", [["clear", "Tasks", "F6"]], "FAIL", {"AIJ-E001"}),
    ("a task without a score", [["clear", "Tasks", "D7"]], "FAIL", {"AIJ-E006"}),
    ("override without justification", [["type", "Score", LAY["override_score"], "55"]],
     "FAIL", {"AIJ-E008"}),
    ("override far from the score, justified",
     [["type", "Score", LAY["override_score"], "70"],
      ["type", "Score", LAY["override_justification"], "Peer review moved it."]],
     "WARN", {"AIJ-W021"}),
    ("score typed as text", [["text", "Protective", "B7", "2"]], "FAIL", {"AIJ-E002"}),
    ("a date in a score cell", [["type", "Evidence", "B5", "2026-01-02"]], "FAIL",
     {"AIJ-E003"}),
    ("growth check differs", [["type", "Protective", LAY["growth_check"], "0"]], "FAIL",
     {"AIJ-E009"}),
    ("duplicate task names", [["text", "Tasks", "B6", "Code review & upstream "
                               "contributions"]], "WARN", {"AIJ-W022"}),
    ("class departs from the default", [["type", "Tasks", "F7", "DISPLACEMENT"]], "WARN",
     {"AIJ-W020"}),
    ("job title cleared", [["clear", "Role", LAY["role_title"]]], "FAIL", {"AIJ-E001"}),
    ("an empty task row deleted", [["unprotect", "Tasks"], ["delete_row", "Tasks", 20]],
     "PASS", set()),
    ("a task row deleted, its time given to another",
     [["unprotect", "Tasks"], ["delete_row", "Tasks", 12], ["type", "Tasks", "C11", "10%"]],
     "PASS", set()),
    ("a row inserted and a row copied into it, the time split",
     [["unprotect", "Tasks"], ["insert_row", "Tasks", 10], ["copy", "Tasks", "A9:J9", "A10"],
      ["type", "Tasks", "C9", "5%"], ["type", "Tasks", "C10", "5%"],
      ["text", "Tasks", "B10", "Debugging: post-mortems"]], "PASS", set()),
    ("a row inserted without its formulas",
     [["unprotect", "Tasks"], ["insert_row", "Tasks", 10]], "FAIL", {"AIJ-X305"}),
    ("the task table sorted by score",
     [["unprotect", "Tasks"], ["sort", "Tasks", f"A{FIRST}:J{LAST}", 4, True]], "PASS",
     set()),
    ("a task row cleared", [["clear", "Tasks", f"B{LAST}:D{LAST}"],
                            ["clear", "Tasks", f"F{LAST}:G{LAST}"]], "FAIL", {"AIJ-E005"}),
    ("a task row copied down", [["unprotect", "Tasks"],
                                ["copy", "Tasks", f"A{LAST}:J{LAST}", f"A{LAST + 1}"]],
     "FAIL", {"AIJ-E005", "AIJ-W022"}),
]


@pytest.fixture(scope="module")
def filled(tmp_path_factory, repo_root) -> dict[str, Path]:
    require_libreoffice()
    if not Path(SYSTEM_PYTHON).exists() or subprocess.run(
            [SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode != 0:
        pytest.skip("LibreOffice's Python UNO bridge is missing: apt-get install python3-uno")
    out = tmp_path_factory.mktemp("fills")
    template = out / "template.xlsx"
    shutil.copy(repo_root / "templates" / "hpc-developer.xlsx", template)
    plan, paths = [], {}
    for i, (case, steps, _, _) in enumerate(CASES):
        paths[case] = out / f"fill{i:02d}.xlsx"
        plan.append({"source": str(template), "out": str(paths[case]),
                     "steps": valid_steps() + steps})
    (out / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    subprocess.run([SYSTEM_PYTHON, str(HERE / "uno" / "fill.py"), str(out / "plan.json")],
                   check=True, timeout=600)
    return paths


def _status(path: Path) -> str:
    data = read_xlsx(path.read_bytes())
    return str(data.sheets["Summary"].cells["B4"].value)


@pytest.mark.parametrize(("case", "steps", "verdict", "codes"), CASES,
                         ids=[c[0] for c in CASES])
def test_status_and_verifier_agree(filled, case, steps, verdict, codes):
    path = filled[case]
    status = _status(path)
    v = verify_file(path)
    found = {f.code for f in v.findings}
    shown = "; ".join(f"{f.code} {f.where}: {f.message}" for f in v.findings
                      if f.severity != "info")
    assert v.verdict == verdict, f"{case}: status {status!r}; {shown}"
    assert codes <= found, f"{case}: {shown}"
    assert "AIJ-X327" not in found, f"{case}: {shown}"
    if verdict == "PASS" or codes == SHEET_CANNOT_DECIDE:
        assert status == "Complete"
    elif verdict == "WARN":
        assert status.startswith("Complete, with ")
    else:
        assert status.startswith("Check: "), status
    print(f"{case}: status {status!r}; verify {v.verdict} "
          f"{sorted(c for c in found if not c.startswith('AIJ-I'))}", file=sys.stderr)


def test_formualizer_computes_the_checks_as_libreoffice_did(filled):
    import formualizer

    for case, path in filled.items():
        raw = path.read_bytes()
        data = read_xlsx(raw)
        wb = formualizer.Workbook.from_bytes(raw)
        wb.evaluate_all()
        for name in ("check_status", "check_problems", "check_warnings"):
            target = data.names[name].replace("$", "")
            sheet, ref = target.split("!")
            row, col = split_ref(ref)
            mine = wb.get_value(sheet, row, col + 1)
            theirs = data.cell(sheet, ref).value
            assert mine == theirs, f"{case}: {name} formualizer {mine!r}, LibreOffice {theirs!r}"


def test_the_fix_is_named_at_the_cell(filled):
    by_case = {case: verify_file(path) for case, path in filled.items()
               if case in ("share typed as 25 not 25%", "score typed as text",
                           "a date in a score cell", "share typed as text")}
    messages = {case: " | ".join(f"{f.where}: {f.message}" for f in v.findings)
                for case, v in by_case.items()}
    assert "Tasks!C5" in messages["share typed as 25 not 25%"]
    assert "type 25% (or 0.25)" in messages["share typed as 25 not 25%"]
    assert "Protective!B7 holds the text '2'" in messages["score typed as text"]
    assert "retype 2" in messages["score typed as text"]
    assert "Evidence!B5" in messages["a date in a score cell"]
    assert "looks like a date" in messages["a date in a score cell"]
    assert "retype 20%" in messages["share typed as text"]
    assert len([f for f in by_case["score typed as text"].findings
                if f.severity == "error"]) == 1, messages["score typed as text"]
