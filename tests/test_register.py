"""The portfolio register: one row per assessment, figures by the method, flags, the
workbook (read back, recalculated and rendered by LibreOffice), the command line."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import math
import re
import subprocess
import sys
import unicodedata
import zipfile
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest
import tamper
from workbook_cases import require_libreoffice

from aijri_xl.catalogue.samples import ANCHORS, portfolio, write_portfolio
from aijri_xl.house import builder as report
from aijri_xl.method import PERCENT_FIELDS, RESULT_FIELDS
from aijri_xl.method.codec import assessment_to_data
from aijri_xl.method.engine import score
from aijri_xl.method.excel_math import fraction_to_percent
from aijri_xl.method.model import CalibrationPeer, Override
from aijri_xl.registry import (
    ASSESSOR_SPREAD,
    COLUMN_NAMES,
    COLUMNS,
    NOT_VERIFIED,
    READING_COLUMNS,
    build_register,
    register,
    register_workbook_bytes,
    summary_text,
    write_register,
)
from aijri_xl.sources import SUFFIXES, load
from aijri_xl.sources.assessment_file import write_assessment
from aijri_xl.verify.audit import neutralise
from aijri_xl.workbook.layout import layout
from aijri_xl.workbook.writer import workbook_bytes

PORTFOLIO_SIZE = 60


def _example_files(repo_root: Path) -> list[str]:
    """The worked example in workbooks/: its YAML, the workbook built from it, and any
    published report of it; all hold the same assessment."""
    return sorted(p.name for p in (repo_root / "workbooks").iterdir()
                  if p.suffix.lower() in SUFFIXES)


def _digest(*folders: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest()
            for folder in folders for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def portfolio_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("portfolio")
    paths = write_portfolio(folder, PORTFOLIO_SIZE)
    assert {p.suffix for p in paths} == {".yaml", ".json", ".xlsx", ".md"}
    (folder / "~$001-open-in-excel.xlsx").write_bytes(b"lock")  # Excel's lock file: skipped
    return folder


@pytest.fixture(scope="module")
def sources(portfolio_dir, repo_root) -> list[Path]:
    return [repo_root / "workbooks", portfolio_dir]


@pytest.fixture(scope="module")
def before(sources) -> dict[str, str]:
    return _digest(*sources)


@pytest.fixture(scope="module")
def built(sources, before):
    return build_register(sources, jobs=2)


# ---------------------------------------------------------------------------------------
# Rows and figures


def test_one_row_per_assessment_and_identical_files_are_one(built, repo_root):
    examples = _example_files(repo_root)
    assert {"hpc-developer.yaml", "hpc-developer.xlsx"} <= set(examples)
    assert built.files_read == PORTFOLIO_SIZE + len(examples)  # the lock file is not read
    assert len(built.rows) == PORTFOLIO_SIZE + 1  # the worked example's files are one row
    hpc = [r for r in built.rows if r.role_id == "hpc-developer"]
    assert len(hpc) == 1
    assert sorted(Path(f).name for f in hpc[0].files) == examples
    assert set(hpc[0].record()["kind"].split(", ")) >= {"workbook", "file"}
    assert all(r.verdict == "PASS" for r in built.rows)
    # The row names the file to open: the workbook, before the YAML and the reports.
    assert Path(hpc[0].file).name == "hpc-developer.xlsx"


def test_every_row_has_the_figures_of_an_independent_score_of_each_of_its_files(built):
    for r in built.rows:
        record = r.record()
        for file in r.files:
            loaded = load(file)
            a = loaded.assessment
            expected = score(a).to_dict()
            assert {k: record[k] for k in RESULT_FIELDS} == expected, file
            assert (record["role"], record["role_id"], record["assessor"],
                    record["assessment_date"]) == (a.role.title, a.role.id, a.assessor,
                                                   a.assessment_date)
            assert record["calibration"] == "; ".join(f"{p.role} {p.score:g}"
                                                      for p in a.calibration)


def test_the_dataframe_api(sources, built):
    frame = register(sources, jobs=1)
    assert list(frame.columns) == list(COLUMN_NAMES)
    assert len(frame) == len(built.rows)
    for got, r in zip(frame.to_dict("records"), built.rows, strict=True):
        want = r.record()
        for name in COLUMN_NAMES:
            value = got[name]
            if isinstance(value, float) and math.isnan(value):
                value = None
            assert value == want[name], (r.file, name)
    worked = frame[frame.role_id == "hpc-developer"].iloc[0]
    assert (worked.final_score, worked.zone, worked.sub_label, worked.pct_time_score_3plus,
            worked.split_augmentation) == (52.8, "GREEN", "Green (Transforming)", 30, 95)


def test_the_portfolio_is_realistic_valid_and_deterministic():
    first, again = portfolio(PORTFOLIO_SIZE), portfolio(PORTFOLIO_SIZE)
    assert [assessment_to_data(a) for a in first] == [assessment_to_data(a) for a in again]
    assert [assessment_to_data(a) for a in portfolio(20, seed=7)] != \
        [assessment_to_data(a) for a in first[:20]]
    results = [score(a) for a in first]
    assert {r.zone for r in results} == {"GREEN", "YELLOW", "RED"}
    assert [(a.role.id, r.final_score) for a, r in zip(first[:2], results[:2], strict=True)] \
        == list(ANCHORS)
    by_role = defaultdict(set)
    for a in first:
        assert a.assessor and dt.date.fromisoformat(a.assessment_date)
        assert a.calibration and all(p.role != a.role.title for p in a.calibration)
        by_role[a.role.id].add(a.assessor)
    assert sum(len(names) > 1 for names in by_role.values()) >= 5  # re-assessed roles
    assert sum(a.override.score is not None for a in first) >= 2
    assert all(a.override.justification for a in first if a.override.score is not None)


def test_the_calibration_view_places_the_worked_example_as_the_source_does(built):
    entries = built.calibration
    assert [e.final_score for e in entries] == sorted((e.final_score for e in entries),
                                                      reverse=True)
    hpc = next(e for e in entries if e.role == "HPC Developer")
    assert hpc.below == ("Compiler Engineer", 51.6)
    assert hpc.above == ("Database Engineer", 55.2)
    assert [(p.role, p.quoted, p.status) for p in hpc.peers] == [
        ("Compiler Engineer", 51.6, "agrees"), ("Database Engineer", 55.2, "agrees")]
    for pos, e in enumerate(entries):  # the neighbours are the nearest other roles
        key = built.rows[e.row].role_key
        below = [x for x in entries[pos + 1:] if built.rows[x.row].role_key != key]
        above = [x for x in entries[:pos] if built.rows[x.row].role_key != key]
        assert e.below == ((below[0].role, below[0].final_score) if below else None)
        assert e.above == ((above[-1].role, above[-1].final_score) if above else None)


# ---------------------------------------------------------------------------------------
# Flags


def _slug(text: str) -> str:
    """The documented role-id rule, written out again as the oracle: letters and digits
    of the title with accents dropped, "&" read as "and", every other run one hyphen."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text.casefold())
                    if not unicodedata.combining(c))
    words = re.findall(r"[a-z0-9]+", plain.replace("&", " and "))
    return "-".join(words)


def test_flags_are_exactly_those_an_independent_computation_expects(built):
    # Every assessment as its source says, with the score the method gives it.
    found = []
    for r in built.rows:
        a = load(r.file).assessment
        found.append((r.file, a, score(a).final_score))
    expected_spread = set()
    by_role = defaultdict(list)
    for _, a, final in found:
        by_role[a.role.id or _slug(a.role.title)].append((a.assessor, final))
    for key, scored in by_role.items():
        for name1, s1 in scored:
            for name2, s2 in scored:
                if (not name1 or name1 != name2) and round(abs(s1 - s2), 6) > ASSESSOR_SPREAD:
                    expected_spread.add(key)
    expected_peers = set()
    for file, a, _ in found:
        for peer in a.calibration:
            held = {final for other_file, b, final in found if other_file != file
                    and _slug(peer.role) in (_slug(b.role.title), b.role.id)}
            if held and round(peer.score, 1) not in held:
                expected_peers.add((file, peer.role))
    got_spread = {built.rows[f.rows[0]].role_key for f in built.flags if f.code == "AIJ-R501"}
    def quoted_peer(flag):
        index = int(re.fullmatch(r"calibration\[(\d+)\]\.score", flag.finding.field)[1])
        return load(flag.finding.where).assessment.calibration[index].role

    got_peers = {(f.finding.where, quoted_peer(f)) for f in built.flags if f.code == "AIJ-R502"}
    assert got_spread == expected_spread and len(got_spread) >= 2
    assert got_peers == expected_peers and len(got_peers) >= 2
    assert not [f for f in built.flags if f.code == "AIJ-R503"]
    repeated = {k for k, v in by_role.items() if len(v) > 1}
    assert repeated - expected_spread, "the portfolio also has re-assessments that agree"
    for f in built.flags:
        for i in f.rows:
            assert f.code in built.rows[i].flags


def _case(worked, role_title: str, role_id: str | None, assessor: str | None,
          final: float, peers: tuple[tuple[str, float], ...] = ()):
    a = copy.deepcopy(worked)
    a.role.title, a.role.id, a.assessor = role_title, role_id, assessor
    a.override = Override(final, "Scored to a set final score for this test.")
    a.calibration = [CalibrationPeer(r, s) for r, s in peers]
    return a


@pytest.fixture
def cases(tmp_path, worked_example) -> Path:
    w = worked_example
    folder = tmp_path / "cases"
    folder.mkdir()
    assessments = {
        # 64.4 - 59.4 is 5.000000000000007 in doubles: exactly 5 points, not flagged
        "five-a": _case(w, "Role Five", "role-five", "A. Okafor", 64.4),
        "five-b": _case(w, "Role Five", "role-five", "M. Lindqvist", 59.4),
        "over-a": _case(w, "Role Over", "role-over", "A. Okafor", 60.0),
        "over-b": _case(w, "Role Over", "role-over", "M. Lindqvist", 54.9),
        "over-c": _case(w, "Role Over", "role-over", "R. Tanaka", 57.0),
        # one assessor twice (the name written differently) is a re-assessment
        "same-a": _case(w, "Role Same", "role-same", "A. Okafor", 40.0),
        "same-b": _case(w, "Role Same", "role-same", " a.  okafor", 70.0),
        # an unnamed assessor is another assessor; the title stands for a missing id
        "anon-a": _case(w, "Role Anon", None, None, 30.0),
        "anon-b": _case(w, "role anon", "role-anon", "S. Haddad", 38.0),
        "quote": _case(w, "Quoting Role", "quoting-role", "J. Moreau", 45.0, (
            ("Role Five", 64.4), ("ROLE OVER", 60.1), ("role-same", 40.0),
            ("Not In The Register", 12.3), ("Role Anon", 29.9))),
    }
    for i, (name, a) in enumerate(assessments.items()):
        write_assessment(a, folder / f"{name}.{'json' if i % 2 else 'yaml'}")
    return folder


def test_flag_rules_on_cases_that_must_and_must_not_flag(cases):
    reg = build_register(cases, jobs=1)
    spread = {f.role: f for f in reg.flags if f.code == "AIJ-R501"}
    assert set(spread) == {"Role Over", "Role Anon"}
    assert spread["Role Over"].finding.actual == 5.1
    assert "60.0 (A. Okafor" in spread["Role Over"].message
    assert "54.9 (M. Lindqvist" in spread["Role Over"].message
    assert len(spread["Role Over"].files) == 3
    assert "assessor not named" in spread["Role Anon"].message
    peers = [f for f in reg.flags if f.code == "AIJ-R502"]
    assert sorted(f.finding.field for f in peers) == ["calibration[1].score",
                                                       "calibration[4].score"]
    assert {f.finding.actual for f in peers} == {60.1, 29.9}
    assert all(f.role == "Quoting Role" for f in peers)
    quoting = next(e for e in reg.calibration if e.role == "Quoting Role")
    assert [p.status for p in quoting.peers] == ["agrees", "differs", "agrees",
                                                 "not in register", "differs"]
    assert reg.worst_flag == "warning"
    assert {r.verdict for r in reg.rows} == {"PASS", "WARN"}  # overrides far from S warn


def test_bad_files_become_failed_rows_and_the_rest_still_register(tmp_path, repo_root):
    good = (repo_root / "workbooks" / "hpc-developer.xlsx").read_bytes()
    cell = layout().by_name["final_score"]
    (tmp_path / "a-corrupt.xlsx").write_bytes(good[:len(good) // 2])
    (tmp_path / "b-malformed.yaml").write_text("role: {title: [unclosed\n", encoding="utf-8")
    (tmp_path / "c-pasted.xlsx").write_bytes(
        tamper.replace_formula_by_its_value(good, cell.sheet, cell.ref))
    (tmp_path / "d-good.yaml").write_bytes(
        (repo_root / "workbooks" / "hpc-developer.yaml").read_bytes())
    write_portfolio(tmp_path / "more", 3)
    reg = build_register([tmp_path, tmp_path / "missing.yaml"], jobs=2)
    rows = {Path(r.file).name: r for r in reg.rows}
    assert len(reg.rows) == 7
    for name in ("a-corrupt.xlsx", "b-malformed.yaml", "missing.yaml"):
        assert rows[name].verdict == "FAIL" and rows[name].result is None, name
        assert rows[name].record()["final_score"] is None
    # the workbook with a formula pasted as a value holds the same assessment as the YAML
    pasted = rows["c-pasted.xlsx"]
    assert [Path(f).name for f in pasted.files] == ["c-pasted.xlsx", "d-good.yaml"]
    assert pasted.verdicts == ("FAIL", "PASS") and pasted.final_score == 52.8
    # each file keeps its verdict; the assessment verifies in the YAML, and the workbook
    # that does not is listed (and flagged below)
    assert pasted.verdict == "PASS" and pasted.failing_files == (str(tmp_path / "c-pasted.xlsx"),)
    failed = {Path(f.files[0]).name: f for f in reg.flags if f.code == "AIJ-R503"}
    assert set(failed) == {"a-corrupt.xlsx", "b-malformed.yaml", "c-pasted.xlsx",
                           "missing.yaml"}
    assert failed["c-pasted.xlsx"].files == (str(tmp_path / "c-pasted.xlsx"),)
    assert "malformed YAML" in failed["b-malformed.yaml"].message
    assert all(f.severity == "error" for f in failed.values())
    assert sum(r.verdict == "PASS" for r in reg.rows) == 4
    assert reg.counts()["file_verdict"] == {"PASS": 4, "WARN": 0, "FAIL": 4}
    assert reg.worst_flag == "error"
    frame = reg.frame()
    assert frame.final_score.isna().sum() == 3


def test_text_files_that_are_not_reports_are_skipped_in_folders(tmp_path, repo_root):
    """A README or notes beside the assessments are not assessments; named on their own
    they are, and fail."""
    (tmp_path / "README.md").write_text("# Our assessments\n\nSee the register.\n",
                                        encoding="utf-8")
    (tmp_path / "notes.txt").write_text("ask J. about the barriers\n", encoding="utf-8")
    (tmp_path / "hpc.md").write_bytes((repo_root / "workbooks" / "hpc-developer.md")
                                      .read_bytes())
    reg = build_register([tmp_path], jobs=1)
    assert [Path(r.file).name for r in reg.rows] == ["hpc.md"]
    assert sorted(Path(f).name for f, _ in reg.skipped) == ["README.md", "notes.txt"]
    text = summary_text(reg)
    assert "skipped 2 file(s), not read:" in text
    assert f"{tmp_path / 'notes.txt'}: a text file that is not a published assessment" in text
    named = build_register([tmp_path / "README.md"], jobs=1)
    assert [r.verdict for r in named.rows] == ["FAIL"] and named.skipped == []


# ---------------------------------------------------------------------------------------
# The workbook


def _sheet_rows(ws) -> list[tuple]:
    return [tuple(row) for row in ws.iter_rows(values_only=True)]


def test_the_workbook_holds_the_register(built, tmp_path):
    path = tmp_path / "register.xlsx"
    assert write_register(built, path) == [path]
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Summary", "Register", "Figures", "Calibration", "Flags",
                             "Agreement", "External", "Skipped"]
    sheets = {"Register": COLUMNS[:READING_COLUMNS],
              "Figures": COLUMNS[:2] + COLUMNS[READING_COLUMNS:]}
    assert {c[0] for cols in sheets.values() for c in cols} == set(COLUMN_NAMES)
    for sheet, columns in sheets.items():
        rows = _sheet_rows(wb[sheet])
        assert rows[0] == tuple(c[3] for c in columns)  # headed in words
        assert len(rows) == len(built.rows) + 1
        for cells, r in zip(rows[1:], built.rows, strict=True):
            record = r.record()
            for (name, *_), value in zip(columns, cells, strict=True):
                want = record[name]
                if name in PERCENT_FIELDS:
                    value = fraction_to_percent(value)
                elif name == "assessment_date":
                    value = value.date().isoformat() if value else None
                elif name == "files":  # each file with its own verdict
                    want = "\n".join(f"{f} ({v})" for f, v in zip(r.files, r.verdicts,
                                                                    strict=True))
                elif want in (None, "", ()):
                    want = None
                elif isinstance(want, tuple):
                    want = "\n".join(want)
                elif isinstance(want, str):
                    want = neutralise(want)
                elif isinstance(want, float):  # XlsxWriter writes 16 significant digits
                    want = pytest.approx(want, rel=1e-15)
                assert value == want, (sheet, r.file, name)
    counts = built.counts()
    summary = {row[0]: row[1:] for row in _sheet_rows(wb["Summary"]) if row[0]}
    cached = openpyxl.load_workbook(path, data_only=True)["Summary"]
    values: dict = {}
    for row in _sheet_rows(cached):  # the first table a label heads: the counts
        if row[0]:
            values.setdefault(row[0], row[1:])
    for zone, n in counts["zone"].items():
        assert summary[zone][0].startswith("=COUNTIFS(Register!$E$2:$E$")
        assert values[zone][0] == n
    assert values[NOT_VERIFIED][0] == counts["category"][NOT_VERIFIED]
    assert values["Cannot be scored"][0] == counts["category"]["unscored"]
    for label, n in counts["sub_label"].items():
        assert n in values[label]
    for name, n in counts["verdict"].items():
        assert values[name][0] == n
        assert values[name][1] == counts["file_verdict"][name]
    for name, n in counts["flags"].items():
        assert values[name][0] == n
    assert sum(counts["category"].values()) == len(built.rows) == values["All assessments"][0]
    flags = _sheet_rows(wb["Flags"])[1:]
    assert [(c[0], c[1], c[5]) for c in flags] == [(f.code, f.severity, neutralise(f.message))
                                                   for f in built.flags]
    calibration = _sheet_rows(wb["Calibration"])[1:]
    assert [(c[1], c[3], c[4]) for c in calibration] == [
        (e.role, e.final_score, e.zone) for e in built.calibration]
    skipped = _sheet_rows(wb["Skipped"])[1:]
    assert [Path(f).name for f, _ in skipped] == ["~$001-open-in-excel.xlsx"]
    with zipfile.ZipFile(path) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 2 + 3  # Summary: zones, scores; External: one scatter per figure


def test_the_same_input_gives_the_same_bytes(sources, built):
    again = build_register(sources, jobs=1)
    assert register_workbook_bytes(again) == register_workbook_bytes(built)


def test_text_from_files_is_neutralised(tmp_path, worked_example):
    a = _case(worked_example, '=HYPERLINK("http://x.invalid","y")', None, "@SUM(1+1)", 50.0)
    write_assessment(a, tmp_path / "injected.yaml")
    reg = build_register([tmp_path / "injected.yaml"], jobs=1)
    written = write_register(reg, tmp_path / "out.csv") + write_register(reg, tmp_path / "r.xlsx")
    ws = openpyxl.load_workbook(written[2])["Register"]
    assert ws["A2"].value.startswith("'=HYPERLINK") and ws["B2"].value == "'@SUM(1+1)"
    assert ws["A2"].data_type == "s"
    text = written[0].read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and "'@SUM" in text
    data = json.loads(write_register(reg, tmp_path / "r.json")[0].read_text(encoding="utf-8"))
    assert data["rows"][0]["role"].startswith("=HYPERLINK")  # JSON is data, not a sheet


def test_the_inputs_are_never_modified(sources, before, built, tmp_path):
    write_register(built, tmp_path / "register.xlsx")
    assert _digest(*sources) == before


# ---------------------------------------------------------------------------------------
# LibreOffice: the charts survive, the counts recalculate


@pytest.mark.libreoffice
def test_libreoffice_recalculates_the_counts_and_keeps_and_draws_the_charts(built, tmp_path):
    require_libreoffice()
    from aijri_xl.workbook.libreoffice import convert

    path = tmp_path / "register.xlsx"
    write_register(built, path)
    recalculated, pdf = convert([path], tmp_path / "lo", "xlsx")[0], None
    pdf = convert([path], tmp_path / "pdf", "pdf")[0]
    mine = openpyxl.load_workbook(path, data_only=True)["Summary"]
    theirs = openpyxl.load_workbook(recalculated, data_only=True)["Summary"]
    numbers = 0
    for a, b in zip(mine.iter_rows(), theirs.iter_rows(), strict=False):
        for x, y in zip(a, b, strict=False):
            if isinstance(x.value, int | float):
                numbers += 1
                assert y.value == pytest.approx(x.value, abs=1e-12), x.coordinate
    assert numbers >= 20
    with zipfile.ZipFile(recalculated) as z:
        charts = [n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
        assert len(charts) == 2 + 3  # Summary: zones, scores; External: one scatter per figure
        xml = "".join(z.read(n).decode("utf-8") for n in charts)
    assert "<c:barChart>" in xml and 'val="stacked"' in xml and 'val="bar"' in xml
    assert pdf.stat().st_size > 20_000


# ---------------------------------------------------------------------------------------
# The command line


def aijri(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "aijri_xl", *map(str, args)],
                          capture_output=True, text=True, encoding="utf-8", cwd=cwd,
                          timeout=120)
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    return proc


def test_cli_writes_the_register_and_prints_a_summary(sources, tmp_path, before):
    out = tmp_path / "register.xlsx"
    proc = aijri("register", *sources, "-o", out, "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    files = PORTFOLIO_SIZE + len(_example_files(sources[0].parent))
    assert f"{PORTFOLIO_SIZE + 1} assessment(s) from {files} file(s)" in proc.stdout
    assert "AIJ-R501" in proc.stdout and "WARNING" in proc.stdout
    assert f"wrote {out}" in proc.stdout
    assert openpyxl.load_workbook(out).sheetnames[0] == "Summary"
    assert _digest(*sources) == before


def test_cli_exit_codes_and_refusals(tmp_path, repo_root):
    folder = tmp_path / "in"
    paths = write_portfolio(folder, 4)
    (folder / "broken.yaml").write_text("tasks: [\n", encoding="utf-8")
    # a register inside the folder it reads would be read back next time: refused
    proc = aijri("register", folder, "-o", folder / "register.json", "-q")
    assert proc.returncode == 2 and not (folder / "register.json").exists()
    assert f"{folder / 'register.json'}: lies inside" in proc.stderr
    out = tmp_path / "register.json"
    proc = aijri("register", folder, "-o", out, "-q")
    assert proc.returncode == 1
    assert "1 FAIL" in proc.stdout and "1 AIJ-R503" in proc.stdout
    assert "ERROR" not in proc.stdout  # --quiet: counts only
    # again: the earlier register is replaced only with --force
    proc = aijri("register", folder, "-o", out)
    assert proc.returncode == 2 and "give --force to replace it" in proc.stderr
    # a register that found its way into the folder is skipped and named, not read
    (folder / "old-register.json").write_bytes(out.read_bytes())
    proc = aijri("register", folder, "-o", out, "--force")
    assert proc.returncode == 1 and "5 assessment(s) from 5 file(s)" in proc.stdout
    assert "old-register.json: a register aijri wrote" in proc.stdout
    assert "ERROR   AIJ-R503" in proc.stdout and "broken.yaml" in proc.stdout
    (folder / "broken.yaml").unlink()
    proc = aijri("register", folder, "-o", tmp_path / "out.csv")
    assert proc.returncode == 0
    assert (tmp_path / "out.csv").is_file() and (tmp_path / "out-flags.csv").is_file()
    target = paths[1]
    kept = target.read_bytes()
    proc = aijri("register", folder, "-o", target)
    assert proc.returncode == 2 and "refusing to overwrite it" in proc.stderr
    assert target.read_bytes() == kept
    assert aijri("register", folder, "-o", tmp_path / "r.html").returncode == 2
    assert aijri("register", folder, "-o", tmp_path / "no" / "r.xlsx").returncode == 2
    assert aijri("register", folder, "--jobs", "0").returncode == 2
    assert aijri("register").returncode == 2
    assert not (repo_root / "register.xlsx").exists()


def test_cli_default_output_is_register_xlsx(tmp_path, repo_root):
    proc = aijri("register", repo_root / "workbooks", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "register.xlsx").is_file()
    assert f"1 assessment(s) from {len(_example_files(repo_root))} file(s)" in proc.stdout


def test_workbook_bytes_of_an_input_is_not_a_register(tmp_path, worked_example):
    from aijri_xl.registry import is_register_file

    (tmp_path / "a.xlsx").write_bytes(workbook_bytes(worked_example))
    assert not is_register_file(tmp_path / "a.xlsx")
    reg = build_register([tmp_path / "a.xlsx"], jobs=1)
    write_register(reg, tmp_path / "r.xlsx")
    assert is_register_file(tmp_path / "r.xlsx")


def test_a_role_is_the_same_role_from_a_report_and_a_file(tmp_path, repo_root):
    """A report derives a role id from the title; a file may name none. Both name the
    role by the same slug, so two assessors' scores of it are compared."""
    a = portfolio(4)[0]
    a.role.title, a.role.id, a.assessor = "R&D Engineer", None, "A. One"
    b = portfolio(4)[0]
    b.role.title, b.role.id, b.assessor = "R&D Engineer", None, "B. Two"
    base = score(a).final_score
    b.override = Override(round(base - 6 if base >= 6 else base + 6, 1), "Local evidence.")
    write_assessment(a, tmp_path / "a.yaml")
    (tmp_path / "b.md").write_bytes(report.markdown(b).encode("utf-8"))
    reg = build_register([tmp_path], jobs=1)
    assert len({r.role_key for r in reg.rows}) == 1
    assert [f.code for f in reg.flags] == ["AIJ-R501"]


# ---------------------------------------------------------------------------------------
# Review analytics in the register: sensitivity per row, agreement per role


def test_rows_carry_the_distance_to_the_nearest_zone(built):
    from aijri_xl.analytics.sensitivity import sensitivity
    from aijri_xl.method.codec import assessment_from_data

    hpc = next(r for r in built.rows if r.role_id == "hpc-developer")
    assert hpc.zone_margin == 4.8
    for r in built.rows:
        if r.result is None:
            assert r.zone_margin is None
            continue
        s = sensitivity(assessment_from_data(r.data)[0])
        assert r.zone_margin == s.nearest_boundary.points
        assert r.nearest_zone_change is not None
        if s.zone_changes:
            assert r.nearest_zone_change.endswith(f"{s.zone_changes[0].final_score:.1f} "
                                                  f"{s.zone_changes[0].zone}")


def test_agreement_of_roles_scored_by_several_assessors(built, tmp_path):
    from decimal import Decimal
    from fractions import Fraction

    assert built.agreement, "the portfolio re-assesses roles with other assessors"
    spread_flags = {f.role for f in built.flags if f.code == "AIJ-R501"}
    assert spread_flags <= {a.role for a in built.agreement}
    for ra in built.agreement:
        assert len({built.rows[i].assessor for i in ra.rows}) >= 2
        widest = ra.result.widest
        assert widest is not None and Fraction(widest.change) == widest.total
        names = {b.block for b in ra.result.blocks}
        assert names == {"task scores", "evidence", "barriers", "growth",
                         "all scored inputs"}
        finals = [built.rows[i].final_score for i in ra.rows]
        assert ra.result.spread == float(Decimal(repr(max(finals)))
                                         - Decimal(repr(min(finals))))
    path = tmp_path / "register.xlsx"
    write_register(built, path)
    ws = openpyxl.load_workbook(path)["Agreement"]
    rows = _sheet_rows(ws)
    assert rows[0][0] == "Role" and len(rows) == len(built.agreement) + 1
    assert [r[0] for r in rows[1:]] == [a.role for a in built.agreement]
    data = json.loads(json.dumps(built.to_dict()))
    assert len(data["agreement"]) == len(built.agreement)


def test_every_register_sheet_is_laid_out_for_paper(built, tmp_path):
    """Landscape (the Summary portrait, one page wide), headers repeated, failing
    assessments a category and a column of the chart of their own."""
    path = tmp_path / "register.xlsx"
    write_register(built, path)
    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml").decode("utf-8")
        sheets = [z.read(f"xl/worksheets/sheet{i}.xml").decode("utf-8") for i in range(1, 8)]
        chart = z.read("xl/charts/chart1.xml").decode("utf-8")
    assert 'orientation="portrait"' in sheets[0] and '<pageSetUpPr fitToPage="1"/>' in sheets[0]
    for xml in sheets[1:]:
        assert 'orientation="landscape"' in xml and '<pageSetUpPr fitToPage="1"/>' in xml
    assert 'fitToWidth="2"' in sheets[2]  # Figures: two pages across, role repeated
    assert book.count('name="_xlnm.Print_Titles"') == 6
    # the zone chart has the failing assessments as a category and a series of their own
    assert chart.count(f"<c:v>{NOT_VERIFIED}</c:v>") >= 2
