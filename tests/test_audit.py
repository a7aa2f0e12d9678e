"""Batch audit: hostile and broken files, reports, the DataFrame API, parallel runs."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
import tamper
from hostile import corpus
from workbook_cases import require_libreoffice

from aijri_xl.verify.audit import audit, collect, neutralise, run_audit, write_report
from aijri_xl.workbook.layout import layout

EXPECTED_CODES = {
    "empty.xlsx": "AIJ-F202", "not-a-zip.xlsx": "AIJ-F202", "truncated.xlsx": "AIJ-F202",
    # where the flipped bytes land depends on the workbook's bytes: a deflate stream that
    # no longer parses (F202) or one that now inflates past its declared size (F212)
    "bit-flipped.xlsx": ("AIJ-F202", "AIJ-F212"), "billion-laughs.xlsx": "AIJ-F205",
    "external-entity.xlsx": "AIJ-F205", "zip-bomb.xlsx": "AIJ-F205",
    "ratio-bomb.xlsx": "AIJ-F205", "huge-sheet.xlsx": "AIJ-F205",
    "no-workbook-part.xlsx": "AIJ-F207", "macros.xlsm": "AIJ-X309",
    "encrypted.xlsx": "AIJ-F206",
}


@pytest.fixture(scope="module")
def good(repo_root: Path) -> bytes:
    return (repo_root / "workbooks" / "hpc-developer.xlsx").read_bytes()


@pytest.fixture(scope="module")
def batch(tmp_path_factory, good) -> Path:
    folder = tmp_path_factory.mktemp("batch")
    corpus(good, folder / "hostile")
    (folder / "good.xlsx").write_bytes(good)
    return folder


def _digest(folder: Path) -> dict[str, tuple[str, float]]:
    return {str(p): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_hostile_files_fail_clearly_in_one_batch_with_a_good_file(batch):
    before = _digest(batch)
    code = ("import json, resource, sys; from aijri_xl.cli import main; rc = main(sys.argv[1:]);"
            " sys.stderr.write(json.dumps({'rc': rc, 'maxrss_kb': resource.getrusage("
            "resource.RUSAGE_SELF).ru_maxrss}))")
    done = subprocess.run([sys.executable, "-c", code, "verify", str(batch), "--json",
                           "--jobs", "1"], capture_output=True, text=True, timeout=300,
                          check=False)
    assert "Traceback" not in done.stderr, done.stderr
    stats = json.loads(done.stderr.strip().splitlines()[-1])
    assert stats["rc"] == 1
    assert stats["maxrss_kb"] < 700 * 1024, f"peak memory {stats['maxrss_kb'] // 1024} MB"
    reports = {Path(r["file"]).name: r for r in json.loads(done.stdout)}
    assert reports["good.xlsx"]["verdict"] == "PASS"
    for name, expected in EXPECTED_CODES.items():
        r = reports[name]
        assert r["verdict"] == "FAIL", name
        codes = {f["code"] for f in r["findings"]}
        allowed = set(expected) if isinstance(expected, tuple) else {expected}
        assert allowed & codes, (name, r["findings"])
        assert all(f["message"] for f in r["findings"])
    assert _digest(batch) == before, "an input file was modified"


def test_every_hostile_finding_names_the_file_and_says_what_is_wrong(batch):
    reports = {Path(r.file).name: r for r in run_audit([batch / "hostile"], jobs=1)}
    assert "encrypted" in reports["encrypted.xlsx"].findings[0]["message"]
    assert "DTD" in reports["billion-laughs.xlsx"].findings[0]["message"] or \
        "entit" in reports["billion-laughs.xlsx"].findings[0]["message"]
    assert "zip bomb" in reports["ratio-bomb.xlsx"].findings[0]["message"] or \
        "inflates" in reports["ratio-bomb.xlsx"].findings[0]["message"]
    assert "macros" in " ".join(f["message"] for f in reports["macros.xlsm"].findings)
    for r in reports.values():
        assert all(str(batch) in f["message"] or f["code"].startswith("AIJ-X")
                   for f in r.findings if f["code"].startswith("AIJ-F"))


def test_xml_is_screened_and_openpyxl_parses_through_defusedxml():
    import openpyxl.xml

    from aijri_xl.workbook.xlsx import XlsxError, screen_xml

    assert openpyxl.xml.DEFUSEDXML is True  # openpyxl found defusedxml and uses it
    for bad in (b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>',
                b"<!doctype a SYSTEM 'http://x.invalid/a.dtd'><a/>",
                '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY b "c">]><a/>'
                .encode("utf-16")):
        with pytest.raises(XlsxError) as caught:
            screen_xml(bad, "part")
        assert caught.value.kind == "unsafe"
    with pytest.raises(XlsxError) as caught:  # Excel reads UTF-8 and UTF-16 only
        screen_xml(b'<?xml version="1.0" encoding="ISO-8859-1"?><a/>', "part")
    assert "UTF-8 and UTF-16" in str(caught.value)
    screen_xml(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><a/>', "part")
    # UTF-16 (as Excel may save a part) is read: it comes back as UTF-8 without its
    # declaration
    assert screen_xml('<?xml version="1.0" encoding="UTF-16"?><a/>'.encode("utf-16"),
                      "part") == b"<a/>"


def test_parallel_and_serial_runs_agree(batch):
    serial = [(r.file, r.verdict, len(r.findings)) for r in run_audit([batch], jobs=1)]
    parallel = [(r.file, r.verdict, len(r.findings)) for r in run_audit([batch], jobs=2)]
    assert serial == parallel


def test_folders_globs_and_missing_paths(batch, tmp_path):
    files, problems = collect([batch])
    assert len(files) == len(EXPECTED_CODES) + 1 and problems == []
    files, problems = collect([str(batch / "hostile" / "*.xlsm")])
    assert [f.name for f in files] == ["macros.xlsm"]
    files, problems = collect([str(tmp_path / "nothing-*.xlsx"), tmp_path])
    assert files == [] and len(problems) == 2
    assert {p.findings[0]["code"] for p in problems} == {"AIJ-F201"}


def test_the_dataframe_api(batch):
    files, findings = audit(batch, jobs=1)
    assert list(files.columns)[:3] == ["file", "kind", "role"]
    assert len(files) == len(EXPECTED_CODES) + 1
    good = files[files.file.str.endswith("good.xlsx")].iloc[0]
    assert good.verdict == "PASS" and good.score_by_method == 52.8 and good.score_shown == 52.8
    assert all(set(c if isinstance(c, tuple) else (c,)) & set(findings.code)
               for c in EXPECTED_CODES.values())


def test_no_progress_bar_when_not_a_terminal(batch):
    done = subprocess.run([sys.executable, "-m", "aijri_xl", "verify", str(batch), "-q"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "[#" not in done.stderr and "files" not in done.stderr
    assert "file(s):" in done.stdout and "PASS" in done.stdout


@pytest.fixture
def hostile_text_workbook(tmp_path, good) -> Path:
    title = layout().by_name["role_title"]
    data = tamper.set_value(good, title.sheet, title.ref, '=HYPERLINK("http://x.invalid","y")')
    assessor = layout().by_name["assessor"]
    data = tamper.set_value(data, assessor.sheet, assessor.ref, "@SUM(1+1)")
    path = tmp_path / "injected.xlsx"
    path.write_bytes(data)
    return path


def test_text_copied_into_reports_is_neutralised(tmp_path, hostile_text_workbook):
    reports = run_audit([hostile_text_workbook], jobs=1)
    assert reports[0].role.startswith("=")
    csv_path = tmp_path / "audit.csv"
    written = write_report(reports, csv_path)
    with open(written[0], encoding="utf-8") as handle:
        assert handle.readline().startswith("# aijri-audit: written by aijri_xl")  # the mark
        rows = list(csv.DictReader(handle))
    assert rows[0]["role"].startswith("'=") and rows[0]["assessor"].startswith("'@")
    xlsx_path = tmp_path / "audit.xlsx"
    write_report(reports, xlsx_path)
    sheet = openpyxl.load_workbook(xlsx_path)["Summary"]
    cell = next(c for c in sheet["C"] if c.row > 1 and c.value and c.value != "Role")
    assert cell.value.startswith("'=") and cell.data_type == "s"
    for value in ("=1+1", "+1", "-A1", "@x", "\tx", "\rx"):
        assert neutralise(value).startswith("'")
    assert neutralise("plain") == "plain" and neutralise(-1) == -1


def test_xlsx_report_hyperlinks_point_at_the_cells(tmp_path, good):
    score = layout().by_name["score"]
    bad = tmp_path / "wb" / "tampered.xlsx"
    bad.parent.mkdir()
    bad.write_bytes(tamper.replace_formula_by_its_value(good, score.sheet, score.ref))
    reports = run_audit([bad], jobs=1)
    report = tmp_path / "out" / "audit.xlsx"
    report.parent.mkdir()
    write_report(reports, report)
    sheet = openpyxl.load_workbook(report)["Findings"]
    links = {}
    for row in sheet.iter_rows(min_row=2):
        where = row[3]
        if where.hyperlink is not None:
            links[where.value] = where.hyperlink
    link = links[f"{score.sheet}!{score.ref}"]
    # Excel's convention (which XlsxWriter follows) is a relative path with backslashes.
    target = link.target.replace("\\", "/")
    assert (report.parent / target).resolve() == bad.resolve()
    assert link.location.replace("'", "") == f"{score.sheet}!{score.ref}"
    require_libreoffice()
    from aijri_xl.workbook.libreoffice import convert

    (saved,) = convert([report], tmp_path / "lo", "xlsx")
    sheet = openpyxl.load_workbook(saved)["Findings"]
    after = next(row[3].hyperlink for row in sheet.iter_rows(min_row=2)
                 if row[3].value == f"{score.sheet}!{score.ref}")
    assert after.target == "../wb/tampered.xlsx"  # LibreOffice read it as a relative path
    assert after.location.replace("'", "") == f"{score.sheet}!{score.ref}"


def test_xlsx_report_opens_in_libreoffice(tmp_path, batch):
    require_libreoffice()
    from aijri_xl.workbook.libreoffice import convert

    reports = run_audit([batch], jobs=1)
    report = tmp_path / "audit.xlsx"
    write_report(reports, report)
    (pdf,) = convert([report], tmp_path / "pdf", "pdf")
    assert pdf.stat().st_size > 1000
    (saved,) = convert([report], tmp_path / "lo", "xlsx")
    wb = openpyxl.load_workbook(saved)
    assert wb.sheetnames == ["Summary", "Findings"]
    header = next(r[0].row for r in wb["Summary"].iter_rows() if r[0].value == "File")
    assert wb["Summary"].max_row == header + len(reports)
    verdicts = [row[7].value for row in wb["Summary"].iter_rows(min_row=header + 1)]
    assert sorted(verdicts) == sorted(r.verdict for r in reports)


def test_json_and_html_reports(tmp_path, batch):
    reports = run_audit([batch], jobs=1)
    written = write_report(reports, tmp_path / "audit.json")
    data = json.loads(written[0].read_text())
    assert data["kind"] == "aijri-audit" and data["method"] == "AIJRI-1.0"
    assert {d["verdict"] for d in data["files"]} == {"PASS", "FAIL"}
    assert sum(data["counts"].values()) == len(reports)
    html = write_report(reports, tmp_path / "audit.html")[0].read_text()
    assert html.startswith("<!DOCTYPE html>") and "http" not in html.split("<body>")[0]
    assert "AIJ-F206" in html and "FAIL" in html
    with pytest.raises(ValueError, match="unsupported report format"):
        write_report(reports, tmp_path / "audit.pdf")


def _sheet_xml(path: Path, sheet: int) -> str:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return z.read(f"xl/worksheets/sheet{sheet}.xml").decode("utf-8")


def test_the_audit_workbook_is_laid_out_for_paper(tmp_path, batch):
    """Landscape, one page wide (A4, and Letter alike: the scale follows the paper), the
    table's header repeated on every page, messages wrapped, and a first page that says
    what was audited, when and the verdict counts."""
    import zipfile

    reports = run_audit([batch], jobs=1)
    path = tmp_path / "audit.xlsx"
    write_report(reports, path, paths=[str(batch)], audited_at="2026-12-02 12:00 UTC",
                 skipped=[(str(batch / "notes.xls"), "a .xls spreadsheet")])
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Summary", "Findings", "Skipped"]
    first = [wb["Summary"].cell(row, 1).value for row in range(1, 6)]
    counts = {v: sum(r.verdict == v for r in reports) for v in ("PASS", "WARN", "FAIL")}
    assert first[0] == "AIJRI audit report" and first[1] == f"Audited: {batch}"
    assert first[2] == "When: 2026-12-02 12:00 UTC"
    assert f"{counts['PASS']} PASS, {counts['WARN']} WARN, {counts['FAIL']} FAIL" in first[3]
    assert "Skipped, not read: 1 file(s)" in first[4]
    for index in (1, 2, 3):
        xml = _sheet_xml(path, index)
        setup = re.search(r"<pageSetup [^>]*>", xml).group(0)
        assert '<pageSetUpPr fitToPage="1"/>' in xml and 'orientation="landscape"' in setup
        # fitToWidth is 1 when absent (its default); any number of pages down
        assert "fitToWidth" not in setup and 'fitToHeight="0"' in setup
        assert 'paperSize="9"' in setup
    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml").decode("utf-8")
    assert book.count('name="_xlnm.Print_Titles"') == 3
    messages = wb["Findings"]["H"]
    assert messages[0].value == "Message"
    assert all(c.alignment.wrap_text for c in messages[1:] if c.value)
    headers = [c.value for c in wb["Summary"][7]]
    assert "Score by the method" in headers and "score_by_method" not in headers


def test_the_html_audit_prints_landscape_with_the_header_on_every_page(tmp_path, batch):
    reports = run_audit([batch], jobs=1)
    page = write_report(reports, tmp_path / "audit.html", paths=["returned"],
                        audited_at="2026-12-02 12:00 UTC")[0].read_text(encoding="utf-8")
    assert "@page{size:landscape" in page and "table-layout:fixed" in page
    assert "<thead>" in page and "thead{display:table-header-group}" in page
    assert "overflow-wrap:anywhere" in page  # a long path wraps, not runs off the page
    assert "<p>Audited: returned</p><p>When: 2026-12-02 12:00 UTC</p>" in page
    assert page.splitlines()[1].startswith("<!-- aijri-audit: written by aijri_xl")
