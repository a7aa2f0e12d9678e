"""File names of any bytes in every output, files a folder walk skips named, and internal
errors reported as bugs (exit 3), never as findings about the file."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

from aijri_xl.cli import main
from aijri_xl.verify.audit import run_audit, summary_table, verify_one, write_report
from aijri_xl.verify.names import safe_text

ODD_NAMES = [os.fsdecode(b"caf\xe9-latin1.xlsx"), "two\nlines.xlsx", "tab\there.xlsx",
             "bidi\u202eslx.xlsx"]


@pytest.fixture
def folder(tmp_path: Path, repo_root: Path) -> Path:
    good = (repo_root / "workbooks" / "hpc-developer.xlsx").read_bytes()
    root = tmp_path / "in"
    root.mkdir()
    for name in ODD_NAMES:
        (root / name).write_bytes(good)
    (root / "~$hpc.xlsx").write_bytes(b"\x00" * 165)  # Excel's lock file
    (root / ".~lock.hpc.xlsx#").write_text("x")
    (root / "draft.xlsx.tmp").write_bytes(b"")
    (root / "notes.docx").write_bytes(b"PK")
    return root


def test_safe_text_escapes_every_unsafe_character():
    assert safe_text("plain é name.xlsx") == "plain é name.xlsx"
    assert safe_text(os.fsdecode(b"a\xffb")) == "a\\xffb"
    assert safe_text("a\nb\rc") == "a\\nb\\rc"
    assert safe_text("x\u202ey") == "x\\u202ey"
    assert "\n" not in safe_text("\n".join(ODD_NAMES))


def test_odd_names_in_every_report_format(folder, tmp_path):
    skipped: list[tuple[str, str]] = []
    reports = run_audit([folder], jobs=1, skipped=skipped)
    assert len(reports) == len(ODD_NAMES)
    assert all(r.verdict == "PASS" for r in reports), [r.findings for r in reports]
    table = summary_table(reports, width=1000, skipped=skipped)
    # one line per file, per skipped file, plus the header and the counts
    assert len(table.splitlines()) == 1 + len(ODD_NAMES) + 1 + len(skipped) + 1
    assert "caf\\xe9-latin1.xlsx" in table and "two\\nlines.xlsx" in table
    why = dict((Path(n).name, w) for n, w in skipped)
    assert why["~$hpc.xlsx"].startswith("an Excel lock file")
    assert why[".~lock.hpc.xlsx#"] == "a LibreOffice lock file"
    assert why["draft.xlsx.tmp"] == "a temporary file"
    assert why["notes.docx"].startswith("not an assessment file type")
    for suffix in (".json", ".csv", ".xlsx", ".html"):
        written = write_report(reports, tmp_path / f"report{suffix}")
        for i, path in enumerate(written):
            data = path.read_bytes()
            assert data  # written in full, no crash
            if suffix in (".csv", ".html"):
                text = data.decode("utf-8")
                assert "two\nlines" not in text
                assert i > 0 or "two\\nlines" in text  # the findings table has no rows
    loaded = json.loads((tmp_path / "report.json").read_text("utf-8"))
    names = {r["file"].rsplit("/", 1)[-1] for r in loaded["files"]}
    assert names == {safe_text(n) for n in ODD_NAMES}
    with zipfile.ZipFile(tmp_path / "report.xlsx") as zf:
        # shared strings, or inline strings where the report is written row by row
        strings = "".join(zf.read(n).decode("utf-8") for n in zf.namelist()
                          if n == "xl/sharedStrings.xml" or n.startswith("xl/worksheets/"))
    assert "caf\\xe9-latin1.xlsx" in strings


def test_the_cli_names_skipped_files_and_escapes_names(folder, capsys):
    code = main(["verify", str(folder)])
    out = capsys.readouterr().out
    assert code == 0
    assert "skipped" in out and "~$hpc.xlsx" in out and "two\\nlines.xlsx" in out
    assert not any(line.startswith("lines.xlsx") for line in out.splitlines())


def test_an_internal_error_is_a_bug_not_a_finding(folder, monkeypatch, capsys):
    import aijri_xl.verify.file as file_module

    def broken(path):
        raise RuntimeError("a deliberately broken verifier")
    monkeypatch.setattr(file_module, "verify_file", broken)
    report = verify_one(str(folder / ODD_NAMES[1]))
    assert report.findings == [] and report.verdict == "FAIL"
    assert report.error and "deliberately broken" in report.error
    code = main(["verify", str(folder / ODD_NAMES[1])])
    captured = capsys.readouterr()
    assert code == 3
    assert "This is a bug" in captured.err and "two\\nlines.xlsx" in captured.err
