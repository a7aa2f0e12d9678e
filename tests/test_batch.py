"""The batch engine's dispatch and walk: batches sized for a pool (small first, full in
the middle, small at the end), each file's mark read once, names collected once."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from aijri_xl.method import marks
from aijri_xl.verify.audit import iter_audit, verify_one, write_report
from aijri_xl.verify.runner import collect_names, guided_batches, stream
from aijri_xl.verify.tasks import IN_FLIGHT_PER_WORKER


@pytest.mark.parametrize("total", [0, 1, 3, 7, 40, 100, 1000, 10_001])
@pytest.mark.parametrize("workers", [1, 2, 3])
def test_guided_batches_hold_every_name_once_in_order(total, workers):
    names = [f"f{i}" for i in range(total)]
    groups = list(guided_batches(names, 32, workers))
    assert [n for g in groups for n in g] == names
    assert all(1 <= len(g) <= 32 for g in groups)


@pytest.mark.parametrize("workers", [1, 2, 4])
def test_guided_batches_start_small_and_end_small(workers):
    names = [f"f{i}" for i in range(5000)]
    sizes = [len(g) for g in guided_batches(names, 32, workers)]
    # each worker's first batch is one file, the next twice as large, up to the size
    assert sizes[:workers] == [1] * workers
    assert sizes[workers:2 * workers] == [2] * workers
    assert max(sizes) == 32 and sizes.count(32) > len(sizes) // 2
    # as the files run out, a batch is at most a share of what is left to send
    sent = 0
    for size in sizes:
        left = len(names) - sent
        assert size <= max(1, -(-left // (workers * IN_FLIGHT_PER_WORKER)))
        sent += size
    assert sizes[-1] == 1


def test_the_pool_gives_the_reports_of_verify_one_in_order(repo_root, tmp_path):
    """Enough files for every kind of batch (the ramp, full ones, the tail) on two
    processes: the reports are verify_one's, in the order of the files."""
    book = repo_root / "workbooks" / "hpc-developer.xlsx"
    names = []
    for i in range(90):
        source = (book, repo_root / "workbooks" / "hpc-developer.yaml",
                  repo_root / "workbooks" / "hpc-developer.md")[i % 3]
        target = tmp_path / f"{i:03d}{source.suffix}"
        shutil.copyfile(source, target)
        names.append(str(target))
    (tmp_path / "007.yaml").write_text("role: [", encoding="utf-8")  # one that fails
    expected = [verify_one(n).to_dict() for n in names]
    assert [r.to_dict() for r in stream(names, 2, batch=8)] == expected


def test_a_folder_walk_reads_each_files_mark_once(repo_root, tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.xlsx", "b.xlsx"):
        shutil.copyfile(repo_root / "workbooks" / "hpc-developer.xlsx", folder / name)
    write_report([verify_one(str(folder / "a.xlsx"))], folder / "audit.xlsx")
    named = tmp_path / "named-audit.xlsx"
    shutil.copyfile(folder / "audit.xlsx", named)
    read: Counter[str] = Counter()
    kind_of_file = marks.kind_of_file

    def counted(path):
        read[Path(path).name] += 1
        return kind_of_file(path)

    monkeypatch.setattr(marks, "kind_of_file", counted)
    skipped: list[tuple[str, str]] = []
    reports = list(iter_audit([folder, named], jobs=1, skipped=skipped))
    assert read == {"a.xlsx": 1, "b.xlsx": 1, "audit.xlsx": 1, "named-audit.xlsx": 1}
    # the audit report found in the folder is skipped and named; the one named fails
    assert [Path(f).name for f, _ in skipped] == ["audit.xlsx"]
    assert [(Path(r.file).name, r.verdict, [f["code"] for f in r.findings])
            for r in reports if r.verdict == "FAIL"] == [
        ("named-audit.xlsx", "FAIL", ["AIJ-F203"])]
    assert sorted(Path(r.file).name for r in reports) == ["a.xlsx", "b.xlsx",
                                                          "named-audit.xlsx"]


def test_collect_names_gives_a_file_once_under_any_of_its_names(repo_root, tmp_path):
    shutil.copyfile(repo_root / "workbooks" / "hpc-developer.xlsx", tmp_path / "a.xlsx")
    (tmp_path / "sub").mkdir()
    shutil.copyfile(repo_root / "workbooks" / "hpc-developer.yaml", tmp_path / "sub" / "b.yaml")
    (tmp_path / "link.xlsx").symlink_to(tmp_path / "a.xlsx")
    skipped: list[tuple[str, str]] = []
    names, problems = collect_names([tmp_path / "sub" / "b.yaml", tmp_path,
                                     tmp_path / "a.xlsx", tmp_path / "empty*"], skipped=skipped)
    assert names == [str(tmp_path / "sub" / "b.yaml"), str(tmp_path / "a.xlsx")]
    assert [p.findings[0]["code"] for p in problems] == ["AIJ-F201"]


def _variants(good: bytes, marked: bytes, folder: Path) -> list[Path]:
    """Zips the fast reading of the marks must agree with zipfile on: plain ones, and every
    kind it leaves to zipfile (or must read as zipfile does)."""
    import io
    import warnings
    import zipfile

    from hostile import corpus

    def rewrite(data: bytes, *, method: int = zipfile.ZIP_DEFLATED, extra: bool = False,
                zip64: bool = False, comment: bytes = b"") -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", method) as dst:
            for info in src.infolist():
                with dst.open(info.filename, "w", force_zip64=zip64) as part:
                    part.write(src.read(info))
                if extra and info.filename == "docProps/custom.xml":
                    with warnings.catch_warnings():  # a second entry, read last
                        warnings.simplefilter("ignore", UserWarning)
                        dst.writestr(info.filename, b"<Properties/>")
            dst.comment = comment
        return out.getvalue()

    def corrupt(data: bytes, part: bytes) -> bytes:
        at = data.index(part) + len(part) + 40  # inside the part's compressed bytes
        return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1:]

    files = {"stored.xlsx": rewrite(good, method=zipfile.ZIP_STORED),
             "stored-marked.xlsx": rewrite(marked, method=zipfile.ZIP_STORED),
             "duplicate-custom.xlsx": rewrite(marked, extra=True),
             "zip64.xlsx": rewrite(marked, zip64=True),
             "comment.xlsx": rewrite(marked, comment=b"a comment"),
             "prefixed.xlsx": b"#!/bin/sh\n" + marked,
             "crc.xlsx": corrupt(marked, b"docProps/custom.xml"),
             "tail-only.xlsx": marked[-3000:]}
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return [*corpus(good, folder / "hostile").values(), *(folder / n for n in files)]


def test_the_marks_of_workbooks_read_as_zipfile_reads_them(repo_root, tmp_path, monkeypatch):
    good = (repo_root / "workbooks" / "hpc-developer.xlsx").read_bytes()
    write_report([verify_one(str(repo_root / "workbooks" / "hpc-developer.xlsx"))],
                 tmp_path / "audit.xlsx")
    marked = (tmp_path / "audit.xlsx").read_bytes()
    paths = [*sorted(repo_root.glob("workbooks/*.xls[xm]")),
             *sorted(repo_root.glob("templates/**/*.xlsx"))[:5],
             *sorted(repo_root.glob("tests/data/**/*.xls[xm]")),
             tmp_path / "audit.xlsx", *_variants(good, marked, tmp_path)]
    fast = {p.name: marks.kind_of_file(p) for p in paths}
    read_fast = [p.name for p in paths if p.stat().st_size and marks._doc_props(p)]
    assert {"hpc-developer.xlsx", "audit.xlsx", "stored.xlsx", "stored-marked.xlsx",
            "duplicate-custom.xlsx"} <= set(read_fast)
    assert not {"comment.xlsx", "prefixed.xlsx", "crc.xlsx", "tail-only.xlsx",
                "not-a-zip.xlsx", "truncated.xlsx"} & set(read_fast)  # left to zipfile
    # the last entry of a name is the one read, as zipfile reads it
    assert marks._doc_props(tmp_path / "duplicate-custom.xlsx")[0] == "<Properties/>"
    monkeypatch.setattr(marks, "_doc_props", lambda path: None)  # zipfile alone
    assert fast == {p.name: marks.kind_of_file(p) for p in paths}
    assert fast["audit.xlsx"] == marks.AUDIT and fast["stored-marked.xlsx"] == marks.AUDIT
    assert fast["hpc-developer.xlsx"] == marks.ASSESSMENT and fast["crc.xlsx"] is None


def test_a_damaged_workbook_in_a_folder_is_verified_not_a_crash(repo_root, tmp_path, capsys):
    """A workbook whose properties part does not inflate carries no mark: the walk reads
    it, and the verifier says what is wrong with it (it stopped the batch, exit 3)."""
    from aijri_xl.cli import main

    good = (repo_root / "workbooks" / "hpc-developer.xlsx").read_bytes()
    at = good.index(b"docProps/custom.xml") + len(b"docProps/custom.xml") + 40
    (tmp_path / "damaged.xlsx").write_bytes(good[:at] + bytes([good[at] ^ 0xFF]) + good[at + 1:])
    shutil.copyfile(repo_root / "workbooks" / "hpc-developer.xlsx", tmp_path / "good.xlsx")
    assert main(["verify", str(tmp_path), "--jobs", "1"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  " + str(tmp_path / "damaged.xlsx") in out and "1 PASS" in out


def test_a_json_lines_report_is_known_by_its_lines_and_replaced_with_force(repo_root, tmp_path,
                                                                          capsys):
    """JSON Lines carries no header: aijri knows its own report by its first line (the
    report's keys in order), so a rerun with --force replaces it; another file is kept."""
    from aijri_xl.cli import main

    book = tmp_path / "a.xlsx"
    shutil.copy(repo_root / "workbooks" / "hpc-developer.xlsx", book)
    report = tmp_path / "r.jsonl"
    assert main(["verify", str(book), "--report", str(report)]) == 0
    assert marks.kind_of_file(report) == marks.AUDIT
    assert main(["verify", str(book), "--report", str(report)]) != 0
    assert "give --force" in capsys.readouterr().err
    assert main(["verify", str(book), "--report", str(report), "--force"]) == 0
    for text in ('{"my": "data"}\n', '{"file": "x", "verdict": "PASS"}\n', "",
                 '{"file": "x", "verdict": "MAYBE", "method": null, "result": null, '
                 '"findings": []}\n', "not json\n"):
        mine = tmp_path / "mine.jsonl"
        mine.write_text(text, encoding="utf-8")
        assert marks.kind_of_file(mine) is None, text
        assert main(["verify", str(book), "--report", str(mine), "--force"]) != 0
        assert mine.read_text(encoding="utf-8") == text
