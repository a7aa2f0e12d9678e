"""Render the README's picture of an annotated copy (``aijri verify --annotate``).

Tampers with the worked example's workbook as a careless resubmission might (an evidence
score out of range, the final score typed over its formula, a task re-scored without its
class), verifies it, writes the annotated copy with its comments shown, and renders the
Score sheet with LibreOffice (PDF, then PNG with pdftoppm).

    python docs/examples/make_annotated_example.py      # docs/img/annotated.png

Needs LibreOffice (``soffice``) and poppler (``pdftoppm``, ``pdftotext``).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from aijri_xl.verify.annotate import annotated_bytes
from aijri_xl.verify.file import verify_file
from aijri_xl.workbook.libreoffice import convert

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PNG = ROOT / "docs" / "img" / "annotated.png"
sys.path.insert(0, str(ROOT / "tests"))

import tamper  # noqa: E402  (the tests' helpers for editing a workbook's XML)


def main() -> int:
    raw = (ROOT / "workbooks" / "hpc-developer.xlsx").read_bytes()
    bad = tamper.set_value(raw, "Evidence", "B7", 3)
    bad = tamper.replace_formula_by_its_value(bad, "Score", "B16")
    bad = tamper.set_value(bad, "Tasks", "D6", 4)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        submitted = folder / "resubmitted.xlsx"
        submitted.write_bytes(bad)
        findings = [f.to_dict() for f in verify_file(submitted).findings]
        annotated = folder / "resubmitted-annotated.xlsx"
        annotated.write_bytes(annotated_bytes(bad, findings, submitted.name,
                                              show_comments=True))
        pdf = convert([annotated], folder / "pdf", "pdf")[0]
        pages = int(next(line.split()[-1] for line in subprocess.run(
            ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True
        ).stdout.splitlines() if line.startswith("Pages:")))
        page = next(p for p in range(1, pages + 1) if "JobZone Composite Score" in
                    subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), str(pdf), "-"],
                                   capture_output=True, text=True, check=True).stdout)
        prefix = folder / "page"
        subprocess.run(["pdftoppm", "-png", "-r", "90", "-f", str(page), "-l", str(page),
                        "-x", "0", "-y", "0", "-W", "1050", "-H", "560", "-singlefile",
                        str(pdf), str(prefix)], check=True)
        PNG.write_bytes(prefix.with_suffix(".png").read_bytes())
    print(f"wrote {PNG}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
