"""Scale: a cheap import, streamed reports, verify_bytes, the result cache, and the
register's linear calibration against the quadratic definition it replaces."""

from __future__ import annotations

import ast
import csv
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from hostile import corpus

import aijri_xl
from aijri_xl.cli import main
from aijri_xl.house.reader import slug
from aijri_xl.method.excel_math import excel_round
from aijri_xl.registry import ASSESSOR_SPREAD, RegisterRow, assemble
from aijri_xl.sources import WORKBOOK_SUFFIXES
from aijri_xl.verify.audit import FileReport, verify_one, write_report
from aijri_xl.verify.cache import CACHE_FILE, Cache
from aijri_xl.verify.runner import collect_names, stream

HEAVY = ("pandas", "xlsxwriter", "openpyxl", "formualizer", "yaml", "numpy", "xlwings",
         "defusedxml", "fsspec", "distributed")


# ---------------------------------------------------------------------------------------
# Start-up


def test_import_loads_no_heavy_module():
    code = ("import sys, aijri_xl; print(sorted({m.split('.')[0] for m in sys.modules} & "
            f"set({HEAVY!r})))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=60)
    assert done.stdout.strip() == "[]"


def test_help_loads_no_heavy_module_and_verify_only_what_it_needs(repo_root: Path):
    code = ("import sys; from aijri_xl.cli import main; rc = main(sys.argv[1:]); "
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))")
    done = subprocess.run([sys.executable, "-c", code, "params"], capture_output=True,
                          text=True, check=True, timeout=60)
    assert done.stdout.strip().splitlines()[-1] == "[]"
    book = str(repo_root / "workbooks" / "hpc-developer.xlsx")
    done = subprocess.run([sys.executable, "-c", code, "verify", book], capture_output=True,
                          text=True, check=True, timeout=60)
    # The independent evaluation needs formualizer; nothing else heavy is loaded (the
    # conditional-format check compares with the writer's table, not a built template).
    assert done.stdout.strip().splitlines()[-1] == "['formualizer']"


def test_help_loads_only_the_command_line():
    code = ("import sys; from aijri_xl.cli import main\ntry: main(['--help'])\n"
            "except SystemExit: pass\nprint(sorted(m for m in sys.modules if "
            "m.startswith('aijri_xl')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=60)
    # the command line is cli (the commands), cli_support (exit codes, outputs, the
    # parser's parts) and cli_reference (the reference commands); nothing else is loaded
    assert done.stdout.strip().splitlines()[-1] == str(["aijri_xl", "aijri_xl._version",
                                                        "aijri_xl.cli", "aijri_xl.cli_reference",
                                                        "aijri_xl.cli_support"])


def test_every_lazy_name_is_typed_listed_and_resolves():
    tree = ast.parse(Path(aijri_xl.__file__).read_text(encoding="utf-8"))
    typed = {alias.asname or alias.name for node in ast.walk(tree)
             if isinstance(node, ast.ImportFrom) and node.module != "aijri_xl._version"
             and node.module and node.module.startswith("aijri_xl.")
             for alias in node.names}
    assert typed == set(aijri_xl._LAZY)
    assert set(dir(aijri_xl)) >= set(aijri_xl.__all__)
    import importlib

    for name, module in aijri_xl._LAZY.items():
        assert getattr(aijri_xl, name) is getattr(
            importlib.import_module(f"aijri_xl.{module}"), name)


def test_help_of_the_package_lists_every_public_name():
    import pydoc

    text = pydoc.render_doc(aijri_xl, renderer=pydoc.plaintext)
    for name in ("score", "verify_file", "verify_bytes", "register", "publish", "Assessment"):
        assert name in text


# ---------------------------------------------------------------------------------------
# verify_bytes


@pytest.fixture(scope="module")
def sources(repo_root: Path, tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("sources")
    good = (repo_root / "workbooks" / "hpc-developer.xlsx").read_bytes()
    corpus(good, folder / "hostile")
    files = sorted(p for p in (folder / "hostile").iterdir() if p.is_file())
    files += sorted((repo_root / "tests" / "data" / "reports").iterdir())
    files += [repo_root / "workbooks" / n for n in ("hpc-developer.xlsx", "hpc-developer.yaml",
                                                    "hpc-developer.md",
                                                    "hpc-developer.html")]
    bad = folder / "broken.json"
    bad.write_text('{"method": "AIJRI-1.0",\n "tasks": [,]}\n', encoding="utf-8")
    latin = folder / "latin.md"
    latin.write_bytes("Role Definition\n\xe9".encode("latin-1"))
    return [*files, bad, latin]


def test_verify_bytes_equals_verify_file(sources: list[Path]):
    for path in sources:
        by_path = aijri_xl.verify_file(path).to_dict()
        by_bytes = aijri_xl.verify_bytes(str(path), path.read_bytes()).to_dict()
        assert by_bytes == by_path, path.name


def test_verify_bytes_of_an_unknown_type():
    v = aijri_xl.verify_bytes("notes.pdf", b"%PDF-1.7")
    assert v.verdict == "FAIL" and v.findings[0].code == "AIJ-F203"


# ---------------------------------------------------------------------------------------
# Streamed reports


@pytest.fixture(scope="module")
def reports(sources: list[Path]) -> list[FileReport]:
    return [verify_one(str(p)) for p in sources]


def test_stream_gives_the_reports_of_verify_one_in_order(sources, reports):
    names = [str(p) for p in sources]
    for jobs, batch in ((1, 4), (2, 3), (2, 32)):
        streamed = list(stream(names, jobs, batch=batch))
        assert [r.to_dict() for r in streamed] == [r.to_dict() for r in reports]


def test_json_lines_report_is_one_object_per_file(tmp_path, reports):
    [path] = write_report(reports, tmp_path / "audit.jsonl")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [
        json.loads(json.dumps(r.to_dict())) for r in reports]


def test_streamed_json_is_the_json_of_the_object(tmp_path, reports):
    """The .json report is one object (the audit mark first, then the files, streamed one
    at a time): the same bytes as json.dumps of it."""
    skipped = [("a.xls", "a .xls spreadsheet")]
    for some in (reports, reports[:1], []):
        [path] = write_report(some, tmp_path / "audit.json", paths=["in"],
                              audited_at="2026-12-02 12:00 UTC", skipped=skipped)
        counts = {v: sum(r.verdict == v for r in some) for v in ("PASS", "WARN", "FAIL")}
        whole = {"kind": "aijri-audit", "method": "AIJRI-1.0", "audited": ["in"],
                 "audited_at": "2026-12-02 12:00 UTC",
                 "files": [r.to_dict() for r in some], "counts": counts,
                 "skipped": [{"file": "a.xls", "reason": "a .xls spreadsheet"}]}
        assert path.read_text(encoding="utf-8") == json.dumps(
            whole, indent=2, ensure_ascii=False) + "\n"


def test_streamed_csv_and_xlsx_hold_every_file_and_finding(tmp_path, reports):
    files, findings = write_report(reports, tmp_path / "audit.csv")
    with open(files, encoding="utf-8") as handle:  # the mark, the header, one row a file
        assert len(list(csv.reader(handle))) == len(reports) + 2
    with open(findings, encoding="utf-8") as handle:
        assert len(list(csv.reader(handle))) == sum(len(r.findings) for r in reports) + 2
    [book] = write_report(reports, tmp_path / "audit.xlsx")
    wb = openpyxl.load_workbook(book)
    header = next(r[0].row for r in wb["Summary"].iter_rows() if r[0].value == "File")
    assert wb["Summary"].max_row == header + len(reports)
    assert wb["Findings"].max_row == sum(len(r.findings) for r in reports) + 1
    assert [c.value for c in wb["Summary"]["A"][header:]] == [r.file for r in reports]
    again = write_report(reports, tmp_path / "again.xlsx")[0]
    assert again.read_bytes() == book.read_bytes()


def test_cli_writes_json_lines_as_files_are_verified(tmp_path, sources, capsys):
    out = tmp_path / "audit.jsonl"
    rc = main(["verify", *map(str, sources[:5]), "-q", "--report", str(out), "--jobs", "1"])
    assert rc == 1
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["file"] for line in lines] == [str(p) for p in sources[:5]]
    assert "wrote" in capsys.readouterr().err


def test_collect_names_takes_file_urls(tmp_path, repo_root):
    shutil.copy(repo_root / "workbooks" / "hpc-developer.xlsx", tmp_path / "a.xlsx")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    (tmp_path / "notes.docx").write_text("x", encoding="utf-8")
    names, problems = collect_names([tmp_path.as_uri(), (tmp_path / "nothing").as_uri() + "/*"])
    # every assessment file type is collected, as from a local folder (a text file that
    # holds no report is then skipped by the audit); other types are not
    assert names == [(tmp_path / "a.xlsx").as_uri(), (tmp_path / "notes.txt").as_uri()]
    names, problems = collect_names([tmp_path.as_uri(), (tmp_path / "nothing").as_uri() + "/*"],
                                    WORKBOOK_SUFFIXES)
    assert names == [(tmp_path / "a.xlsx").as_uri()]
    assert [p.findings[0]["code"] for p in problems] == ["AIJ-F201"]
    [report] = stream(names, 1)
    assert report.file == names[0] and report.verdict == "PASS"


# ---------------------------------------------------------------------------------------
# The cache


def _portfolio(folder: Path, count: int) -> list[Path]:
    from aijri_xl.catalogue.samples import write_portfolio

    return write_portfolio(folder, count, formats=("yaml", "json", "md"))


def test_a_second_run_reads_only_new_and_changed_files(tmp_path):
    folder = tmp_path / "portfolio"
    files = _portfolio(folder, 9)
    names = [str(p) for p in files]
    fresh = [r.to_dict() for r in stream(names, 1)]
    with Cache(tmp_path / "cache") as cache:
        first = [r.to_dict() for r in stream(names, 1, cache=cache)]
        assert (cache.hits, cache.misses) == (0, 9)
    assert first == fresh
    with Cache(tmp_path / "cache") as cache:
        assert [r.to_dict() for r in stream(names, 2, batch=2, cache=cache)] == fresh
        assert (cache.hits, cache.misses) == (9, 0)
    # A changed file, a new file: only those two are read again.
    files[4].write_text(files[4].read_text(encoding="utf-8").replace("2025", "2024"),
                        encoding="utf-8")
    new = folder / "new.yaml"
    shutil.copy(files[0], new)
    names.append(str(new))
    with Cache(tmp_path / "cache") as cache:
        third = [r.to_dict() for r in stream(names, 1, cache=cache)]
        assert (cache.hits, cache.misses) == (8, 2)
    assert third == [r.to_dict() for r in stream(names, 1)]
    assert (tmp_path / "cache" / CACHE_FILE).is_file()


def test_the_cache_is_per_method_and_version_and_use(tmp_path):
    names = [str(p) for p in _portfolio(tmp_path / "p", 3)]
    with Cache(tmp_path / "c") as cache:
        list(stream(names, 1, cache=cache))
    with Cache(tmp_path / "c") as cache:
        cache.stamp = "AIJRI-1.0|0.0.0-other"
        list(stream(names, 1, cache=cache))
        assert cache.misses == 3
    with Cache(tmp_path / "c", use="register") as cache:
        list(stream(names, 1, cache=cache, keep_data=True))
        assert cache.misses == 3


def test_cli_cache_for_verify_and_register(tmp_path, capsys):
    folder = tmp_path / "portfolio"
    _portfolio(folder, 6)
    cache = str(tmp_path / "cache")
    out = [tmp_path / "r1.json", tmp_path / "r2.json"]
    for i in range(2):
        main(["register", str(folder), "-o", str(out[i]), "--cache", cache, "-q", "-j", "1"])
    err = capsys.readouterr().err
    assert "0 file(s) unchanged, reused; 6 verified" in err
    assert "6 file(s) unchanged, reused; 0 verified" in err
    assert out[0].read_bytes() == out[1].read_bytes()
    main(["register", str(folder), "-o", str(tmp_path / "r3.json"), "-q", "-j", "1"])
    assert (tmp_path / "r3.json").read_bytes() == out[0].read_bytes()


# ---------------------------------------------------------------------------------------
# The register's calibration: linear, and the same as the quadratic definition


def _reference_widest(rows: list[RegisterRow]) -> dict[str, tuple[float, int, int]]:
    """AIJ-R501 as first defined: every pair of a role's rows."""
    groups: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        if r.final_score is not None and r.role_key:
            groups.setdefault(r.role_key, []).append(i)
    out = {}
    for key, members in groups.items():
        widest = None
        for a in members:
            for b in members:
                na = " ".join((rows[a].assessor or "").split()).casefold()
                nb = " ".join((rows[b].assessor or "").split()).casefold()
                if a >= b or (na and na == nb):
                    continue
                gap = excel_round(abs(rows[a].final_score - rows[b].final_score), 6)
                if gap > ASSESSOR_SPREAD and (widest is None or gap > widest[0]):
                    widest = (gap, a, b)
        if widest is not None:
            out[key] = widest
    return out


def _random_reports(rng: random.Random, count: int) -> list[FileReport]:
    roles = [f"Role {k}" for k in range(rng.randint(1, 6))] + [""]
    assessors = ["Ann", "ann ", "Bo", None, ""]
    reports = []
    for i in range(count):
        role = rng.choice(roles)
        score = rng.choice([None, round(rng.uniform(0, 100), 1), float(rng.randint(40, 50))])
        result = None if score is None else {"final_score": score, "zone": "GREEN",
                                             "sub_label": "Green (Stable)"}
        quotes = [{"role": rng.choice(roles) or "Role 0",
                   "score": rng.choice([40.0, 45.0, 50.0, round(rng.uniform(0, 100), 1)])}
                  for _ in range(rng.randint(0, 2))]
        data = {"role": {"title": role} if role else {}, "assessor": rng.choice(assessors),
                "calibration": quotes, "n": i}
        reports.append(FileReport(f"f{i}.yaml", "file", "PASS", "AIJRI-1.0", result, [],
                                  data=data))
    return reports


def test_linear_flags_and_neighbours_equal_the_quadratic_definition():
    rng = random.Random(17)
    for _ in range(150):
        reg = assemble(_random_reports(rng, rng.randint(0, 40)))
        expected = _reference_widest(reg.rows)
        got = {reg.rows[f.rows[0]].role_key: f for f in reg.flags if f.code == "AIJ-R501"}
        assert set(got) == set(expected)
        for key, (gap, a, b) in expected.items():
            assert got[key].finding.actual == gap
            assert reg.rows[a].file in got[key].message and reg.rows[b].file in got[key].message
        scored = [e.row for e in reg.calibration]
        for pos, e in enumerate(reg.calibration):
            def nearest(order, e=e, rows=reg.rows):
                return next(((rows[j].label, rows[j].final_score) for j in order
                             if rows[j].role_key != rows[e.row].role_key), None)
            assert e.below == nearest(scored[pos + 1:])
            assert e.above == nearest(reversed(scored[:pos]))
        for e in reg.calibration:
            for check in e.peers:
                peers = {excel_round(r.final_score, 1) for j, r in enumerate(reg.rows)
                         if j != e.row and r.final_score is not None
                         and slug(check.role) in {slug(r.role_id), slug(r.role)} - {""}}
                assert check.register == tuple(sorted(peers))
        for f in reg.flags:
            if f.code == "AIJ-R502":
                i, peers = f.rows[0], list(f.rows[1:])
                assert i not in peers and peers == sorted(peers)


def test_calibration_of_many_rows_is_quick_enough_to_run_at_all():
    """20,000 rows in three roles: a quadratic step would take minutes here."""
    rng = random.Random(5)
    reports = []
    for i in range(20_000):
        score = round(rng.uniform(0, 100), 1)
        reports.append(FileReport(f"f{i}.yaml", "file", "PASS", "AIJRI-1.0",
                                  {"final_score": score, "zone": "GREEN",
                                   "sub_label": "Green (Stable)"}, [],
                                  data={"role": {"title": f"Role {i % 3}"},
                                        "assessor": f"A{i % 7}", "n": i,
                                        "calibration": [{"role": "Role 1", "score": 50.0}]},
                                  identity=str(i)))
    reg = assemble(reports)
    assert len(reg.calibration) == 20_000
    assert {f.code for f in reg.flags} >= {"AIJ-R501"}


# ---------------------------------------------------------------------------------------
# The register in bounded memory


def test_rows_keep_their_result_and_data_on_disk_and_read_them_back():
    rng = random.Random(11)
    reports = _random_reports(rng, 60)
    rows = assemble(iter(reports)).rows  # a stream, taken one report at a time
    by_file = {r.file: r for r in reports}
    for row in rows:
        first = by_file[row.files[0]]
        assert row.result == first.result and row.data == first.data
        assert row.final_score == (first.result or {}).get("final_score")
        assert row.summary is None or row.summary[1:] == (first.result["zone"],
                                                           first.result["sub_label"])
        assert row.spool is not None and row.at >= 0  # nothing of it held in memory


def test_the_calibration_view_reads_like_a_list():
    reg = assemble(_random_reports(random.Random(3), 40))
    entries = list(reg.calibration)
    assert len(reg.calibration) == len(entries) > 0
    assert reg.calibration[0] == entries[0] and reg.calibration[-1] == entries[-1]
    assert reg.calibration[1:4] == entries[1:4]
    with pytest.raises(IndexError):
        reg.calibration[len(entries)]


def test_the_register_json_is_written_as_json_dumps_writes_it(tmp_path):
    from aijri_xl.catalogue.samples import write_portfolio
    from aijri_xl.registry import build_register, write_register
    from aijri_xl.registry.write import write_json

    folder = tmp_path / "p"
    write_portfolio(folder, 12)
    reg = build_register([folder], jobs=1, made_at="2026-12-02 12:00 UTC")
    [path] = write_register(reg, tmp_path / "r.json")
    assert path.read_text(encoding="utf-8") == json.dumps(reg.to_dict(), indent=2,
                                                          ensure_ascii=False) + "\n"
    import io

    cases = [({}, {}), ([], []), ({"a": [], "b": {}, "c": iter([])}, {"a": [], "b": {}, "c": []}),
             ({"x": iter([{"y": [1, "é"]}])}, {"x": [{"y": [1, "é"]}]}),
             ([[{"k": None}], (1.5, True)], [[{"k": None}], [1.5, True]]), ("text", "text"),
             (None, None)]
    for value, plain in cases:
        out = io.StringIO()
        write_json(out, value)
        assert out.getvalue() == json.dumps(plain, indent=2, ensure_ascii=False)


def test_the_register_bounds_each_pairs_exact_split():
    """Assessors who disagree on everything, with the score at the edge of the scale: a
    pair the register cannot split within its bound is a note, the rest as
    agreement() splits them without one."""
    from aijri_xl.analytics.agreement import agreement
    from aijri_xl.catalogue.samples import random_assessment
    from aijri_xl.registry.build import AGREEMENT_MAX_STATES

    assessments = [random_assessment(random.Random(k), title="R") for k in range(12)]
    bound = f"more than {AGREEMENT_MAX_STATES:,} aggregate states"
    seen = {"split": 0, "noted": 0}
    for i in range(0, 12, 2):
        pair = assessments[i:i + 2]
        bounded = agreement(pair, max_states=AGREEMENT_MAX_STATES)
        if bounded.notes:
            assert len(bounded.notes) == 1 and bound in bounded.notes[0]
            seen["noted"] += 1
        else:  # within the bound: what the unbounded split gives
            assert bounded.to_dict() == agreement(pair).to_dict()
            seen["split"] += 1
    assert seen["split"] and seen["noted"]


def test_krippendorff_alpha_on_integers_is_the_definition():
    from fractions import Fraction

    from aijri_xl.analytics.agreement import krippendorff_alpha_ordinal

    def definition(units):  # Krippendorff (2011), in fractions
        pairable = [[v for v in u if v is not None] for u in units]
        pairable = [u for u in pairable if len(u) >= 2]
        values = sorted({v for u in pairable for v in u})
        if len(values) < 2:
            return None
        index = {v: i for i, v in enumerate(values)}
        k = len(values)
        o = [[Fraction(0)] * k for _ in range(k)]
        for u in pairable:
            for a in range(len(u)):
                for b in range(len(u)):
                    if a != b:
                        o[index[u[a]]][index[u[b]]] += Fraction(1, len(u) - 1)
        n_c = [sum(row, Fraction(0)) for row in o]
        n = sum(n_c, Fraction(0))

        def delta(c, d):
            lo, hi = min(c, d), max(c, d)
            return (sum(n_c[lo:hi + 1], Fraction(0)) - (n_c[lo] + n_c[hi]) / 2) ** 2

        observed = sum(o[c][d] * delta(c, d) for c in range(k) for d in range(k))
        expected = sum(n_c[c] * n_c[d] * delta(c, d) for c in range(k) for d in range(k))
        return None if expected == 0 else float(1 - (n - 1) * observed / expected)

    rng = random.Random(8)
    for _ in range(300):
        raters = rng.randint(2, 6)
        units = [[rng.choice([None, *range(-2, 4)]) for _ in range(raters)]
                 for _ in range(rng.randint(1, 9))]
        assert krippendorff_alpha_ordinal(units) == definition(units)


# ---------------------------------------------------------------------------------------
# Formula tokens, read once


_REFERENCE_TOKEN = r"""
    (?P<ws>\s+)
  | (?P<string>"(?:[^"]|"")*")
  | (?P<error>\#(?:NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A|GETTING_DATA|SPILL!|CALC!
                  |FIELD!|BLOCKED!|CONNECT!|BUSY!|UNKNOWN!|EXTERNAL!))
  | (?P<prefix>(?:'(?:[^']|'')+'|\[[^\]]*\][A-Za-z0-9_.\\ ]*
                 |[A-Za-z_\\][\w.\\]*(?:\:[A-Za-z_][\w.]*)?|\[[^\]]*\])!)
  | (?P<dde>[A-Za-z0-9_.\\-]+\|)
  | (?P<struct>(?:[A-Za-z_\\][\w.\\]*)?\[(?:[^\[\]]|\[[^\[\]]*\])*\])
  | (?P<range>\$?[A-Za-z]{1,3}\$?[0-9]{1,7}(?::\$?[A-Za-z]{1,3}\$?[0-9]{1,7})?(?![\w(.])
           | \$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}(?![\w(.])
           | \$?[0-9]{1,7}:\$?[0-9]{1,7}(?![\w(.]))
  | (?P<number>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?%?)
  | (?P<func>[A-Za-z_\\][\w.]*(?=\s*\())
  | (?P<name>[A-Za-z_\\][\w.?\\]*)
  | (?P<op><>|<=|>=|[-+*/^&=<>%,;:(){}@\#!])
"""
"""Excel's grammar as the tokeniser first wrote it: in this order, every run backtracking."""


def _reference_tokens(formula: str) -> list[tuple[str, str, int]] | str:
    import re

    pattern = re.compile(_REFERENCE_TOKEN, re.VERBOSE)
    text = formula[1:] if formula.startswith("=") else formula
    out, pos = [], 0
    while pos < len(text):
        m = pattern.match(text, pos)
        if m is None or m.end() == pos:
            return "error"
        if m.lastgroup != "ws":
            out.append((m.lastgroup or "op", m.group(0), m.start()))
        pos = m.end()
    return out


_PIECES = [*"AaZz019$:!'\"[]{}()#.,;+-*/^&=<>%@|\\_ \t?", "SUM", "A1", "$B$2", "Sheet1",
           "'My Sheet'", "#REF!", '""', "TRUE", "_xlfn.", "1e5", "[1]", "T[C]", "cmd|",
           "A1:B2", "1:3", "A:C", "nm", "x", " nm", "(nm)", "nm "]


def _random_formula(rng: random.Random, most: int = 12) -> str:
    return "".join(rng.choice(_PIECES) for _ in range(rng.randint(1, most)))


def test_tokens_are_those_of_the_grammar():
    from aijri_xl.workbook.formula import FormulaSyntaxError, tokens

    rng = random.Random(21)
    for _ in range(20_000):
        formula = ("=" if rng.random() < 0.5 else "") + _random_formula(rng)
        try:
            got: list[tuple[str, str, int]] | str = [tuple(t) for t in tokens(formula)]
        except FormulaSyntaxError:
            got = "error"
        assert got == _reference_tokens(formula), formula


def test_names_replaced_by_their_targets_read_as_a_fresh_reading():
    from aijri_xl.workbook import formula as f

    rng = random.Random(4)
    checked = 0
    for _ in range(20_000):
        formula = _random_formula(rng)
        targets = {k: _random_formula(rng, 6) for k in rng.sample(["NM", "X", "FOO"], 2)}
        try:
            text = f.substitute_names(formula, targets)[1:]
        except f.FormulaSyntaxError:
            continue
        if text in f._CACHE:  # the spliced tokens (or the formula's, unchanged), keyed by
            checked += 1      # the text after the formula's "="
            assert [tuple(t) for t in f._CACHE[text]] == _reference_tokens("=" + text), text
    assert checked > 2_000
