"""Reading any assessment source: YAML/JSON files, published reports, workbooks.

``load(path)`` never raises for bad content: what cannot be read becomes a finding with
the file named, so one bad file never stops a batch. Readers for reports and workbooks
are imported lazily, by file type.
"""

from __future__ import annotations

from pathlib import Path

from aijri_xl.method.findings import Finding, Place, Where
from aijri_xl.method.loaded import Loaded, StatedFigure

__all__ = ["SUFFIXES", "Loaded", "StatedFigure", "kind_of", "load", "load_bytes"]

YAML_SUFFIXES = frozenset({".yaml", ".yml", ".json"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
REPORT_SUFFIXES = frozenset({".md", ".txt"}) | HTML_SUFFIXES
WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".ods"})
SUFFIXES = YAML_SUFFIXES | REPORT_SUFFIXES | WORKBOOK_SUFFIXES

MAX_TEXT_BYTES = 16 * 1024 * 1024
"""Assessment files and reports are a few kilobytes; refuse anything absurdly large."""


def kind_of(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in YAML_SUFFIXES:
        return "file"
    if suffix in REPORT_SUFFIXES:
        return "report"
    if suffix in WORKBOOK_SUFFIXES:
        return "workbook"
    return None


def _read_text(path: Path) -> tuple[str | None, list[Finding]]:
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            return None, [Finding("AIJ-F205", f"{path}: {size:,} bytes is larger than the "
                                  f"{MAX_TEXT_BYTES:,} an assessment text may be",
                                  where=str(path), actual=size)]
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, [Finding("AIJ-F201", f"{path}: no such file", where=str(path))]
    except OSError as exc:
        return None, [Finding("AIJ-F201", f"{path}: cannot be read ({exc.strerror})",
                              where=str(path))]
    return _decode(raw, path)


def _decode(raw: bytes, path: Path) -> tuple[str | None, list[Finding]]:
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        return None, [Finding("AIJ-F202", f"{path}: not UTF-8 text (byte {exc.start})",
                              where=f"{path}, byte {exc.start}")]


def load(path: str | Path) -> Loaded:
    """Read an assessment from any supported source."""
    path = Path(path)
    kind = kind_of(path)
    if kind is None and not path.exists():
        return Loaded(path, "unknown", None, [Finding(
            "AIJ-F201", f"{path}: no such file or folder", where=str(path))])
    if kind is None:
        return Loaded(path, "unknown", None, [Finding(
            "AIJ-F203", f"{path}: unsupported file type {path.suffix or '(none)'!r}; expected "
            ".yaml, .yml, .json, .md, .txt, .html, .xlsx, .xlsm or .ods", where=str(path))])
    if not path.is_file():
        what = "a folder, not a file" if path.is_dir() else "no such file"
        return Loaded(path, kind, None, [Finding("AIJ-F201", f"{path}: {what}",
                                                 where=str(path))])
    if kind == "workbook":
        from aijri_xl.workbook.ods import load_spreadsheet

        return load_spreadsheet(path)
    text, problems = _read_text(path)
    if text is None:
        return Loaded(path, kind, None, problems)
    return _load_text(text, path, kind)


def load_bytes(name: str | Path, data: bytes) -> Loaded:
    """Read an assessment from the bytes of a file called ``name`` (its suffix says what
    it is): the same as :func:`load` of a file holding ``data`` at ``name``, for callers
    that hold the bytes already (object storage, an upload, a cache)."""
    path = Path(name)
    kind = kind_of(path)
    if kind is None:
        return Loaded(path, "unknown", None, [Finding(
            "AIJ-F203", f"{path}: unsupported file type {path.suffix or '(none)'!r}; expected "
            ".yaml, .yml, .json, .md, .txt, .html, .xlsx, .xlsm or .ods", where=str(path))])
    if kind == "workbook":
        from aijri_xl.workbook.ods import load_spreadsheet_bytes

        return load_spreadsheet_bytes(path, data)
    if len(data) > MAX_TEXT_BYTES:
        return Loaded(path, kind, None, [Finding(
            "AIJ-F205", f"{path}: {len(data):,} bytes is larger than the {MAX_TEXT_BYTES:,} an "
            "assessment text may be", where=str(path), actual=len(data))])
    text, problems = _decode(data, path)
    return Loaded(path, kind, None, problems) if text is None else _load_text(text, path,
                                                                                kind)


def _load_text(text: str, path: Path, kind: str) -> Loaded:
    if kind == "report":
        from aijri_xl.house.reader import read_report

        if path.suffix.lower() in HTML_SUFFIXES:
            return read_page(text, path)
        return read_report(text, path)
    return _load_document(text, path)


def read_page(text: str, path: Path) -> Loaded:
    """A published HTML page (``aijri report --format html``): read as the house format
    it renders. Places name the section (line numbers of the page's text would point
    nowhere in the page); figures of the page header are placed there."""
    from aijri_xl._record import replace
    from aijri_xl.house.grammar import BEFORE_FIRST_SECTION
    from aijri_xl.house.page_reader import HEADER_SECTION, house_text
    from aijri_xl.house.reader import read_report

    house = house_text(text)
    if house is None:
        return Loaded(path, "report", None, [Finding(
            "AIJ-F204", "not a published AIJRI assessment: an HTML page is read only when "
            "'aijri report' wrote it", where=str(path))])

    def place(where: Where) -> Where:
        """Line numbers would point into the reconstructed text: a page's places are its
        sections (and the header, for what stands before the first section)."""
        if not isinstance(where, Place) or where.section is None:
            return where
        if where.section == BEFORE_FIRST_SECTION:
            return HEADER_SECTION
        return replace(where, line=None)

    loaded = read_report(house, path)
    loaded.findings = [f.located(place(f.place)) if f.place else f for f in loaded.findings]
    loaded.stated = [StatedFigure.at(s.field, s.value, place(s.located), s.decimals, s.text)
                     for s in loaded.stated]
    places = loaded.extra.get("where_of_field", {})
    loaded.extra["where_of_field"] = {k: place(v) for k, v in places.items()}
    return loaded


def _load_document(text: str, path: Path) -> Loaded:
    import json

    from aijri_xl.method.codec import assessment_from_data
    from aijri_xl.sources.assessment_file import parse_document

    try:
        data = parse_document(text, path.suffix.lower())
    except json.JSONDecodeError as exc:
        return Loaded(path, "file", None, [Finding(
            "AIJ-F202", f"{path}: malformed JSON at line {exc.lineno}, column {exc.colno}: "
            f"{exc.msg}", where=f"{path}:{exc.lineno}")])
    except Exception as exc:  # yaml.YAMLError and its kin; json's RecursionError, ValueError
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        language = "JSON" if path.suffix.lower() == ".json" else "YAML"
        return Loaded(path, "file", None, [Finding(
            "AIJ-F202", f"{path}{line}: malformed {language}: {problem}",
            where=f"{path}{line}")])
    if not isinstance(data, dict):
        return Loaded(path, "file", None, [Finding(
            "AIJ-F202", f"{path}: an assessment file holds a mapping at the top, found "
            f"{type(data).__name__}", where=str(path))])
    assessment, findings = assessment_from_data(data)
    return Loaded(path, "file", assessment, [f.located(str(path)) if f.where is None else f
                                             for f in findings])
