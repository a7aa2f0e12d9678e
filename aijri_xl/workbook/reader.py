"""Reading an assessment workbook back: through its defined names, as the contract says.

``load_workbook(path)`` returns a :class:`~aijri_xl.sources.Loaded` whose findings name
cells (``Tasks!D7``). The raw workbook data and its layout travel in ``extra`` for the
verifier's integrity and value checks (:mod:`aijri_xl.workbook_checks`).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from aijri_xl.method.findings import Finding
from aijri_xl.method.loaded import Loaded
from aijri_xl.method.parameters import METHOD, TEMPLATE_VERSION
from aijri_xl.workbook.bindings import assessment_from_names
from aijri_xl.workbook.formula import parse_area
from aijri_xl.workbook.layout import (
    MIN_TASK_ROWS,
    TASK_FIRST_ROW,
    Cell,
    Layout,
    layout,
    task_rows_from_total_row,
)
from aijri_xl.workbook.limits import MAX_FILE_BYTES, MAX_NAME_CELLS, MAX_TASK_ROWS
from aijri_xl.workbook.typed import (
    take_text_numbers,
    task_rows_from_names,
    text_number_findings,
)
from aijri_xl.workbook.xlsx import (
    ANNOTATED_PROPERTY,
    CellData,
    WorkbookData,
    XlsxError,
    col_letters,
    iter_name_refs,
    read_xlsx,
)

KNOWN_TEMPLATE_VERSIONS = frozenset({TEMPLATE_VERSION})


def _expand(ref: str) -> list[str] | None:
    """``C5:C29`` → every cell of the range, in order; ``None`` for a reference that is not
    an area (or covers more cells than any input name of the contract may,
    ``MAX_NAME_CELLS``: a whole column is refused, not materialised)."""
    area = parse_area(ref)
    if area is None:
        return None
    r0, c0, r1, c1 = area
    if (r1 - r0 + 1) * (c1 - c0 + 1) > MAX_NAME_CELLS:
        return None
    return [f"{col_letters(c - 1)}{r}" for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)]


_EMPTY = CellData()


@lru_cache(maxsize=16)
def _input_cells(lay: Layout) -> tuple[Cell, ...]:
    return tuple(c for c in lay.cells if c.kind == "input" and c.name is not None)


@lru_cache(maxsize=4096)
def _target_cells(target: str) -> tuple[str, tuple[str, ...], tuple[str, ...]] | None:
    """A defined name's target as one sheet's cells: (sheet, refs, ``Sheet!ref`` each), or
    ``None`` when it is not one area of at most ``MAX_NAME_CELLS`` cells."""
    parts = list(iter_name_refs(target))
    refs = _expand(parts[0][1]) if len(parts) == 1 else None
    if refs is None:
        return None
    sheet = parts[0][0]
    return sheet, tuple(refs), tuple(f"{sheet}!{r}" for r in refs)


@lru_cache(maxsize=4096)
def _layout_cells(sheet: str, ref: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    refs = _expand(ref) or [ref]
    return sheet, tuple(refs), tuple(f"{sheet}!{r}" for r in refs)


def find_task_rows(data: WorkbookData) -> int | None:
    """The task row count: from the ``task_time`` defined name, else from the row of the
    ``Total`` label in the Tasks sheet."""
    from_names = task_rows_from_names(data)
    if from_names is not None and from_names <= MAX_TASK_ROWS:
        return from_names
    sheet = data.sheets.get("Tasks")
    if sheet is None:
        return None
    rows = []
    for ref, cell in sheet.cells.items():
        if ref.startswith("A") and ref[1:].isdigit() and isinstance(cell.value, str) \
                and cell.value.strip() == "Total":
            row = int(ref[1:])
            if TASK_FIRST_ROW + MIN_TASK_ROWS <= row <= TASK_FIRST_ROW + MAX_TASK_ROWS:
                rows.append(row)
    # The first Total below the table's least size is the table's; a second one further
    # down cannot make the table longer (and one beyond MAX_TASK_ROWS is not an assessment's).
    return task_rows_from_total_row(min(rows)) if rows else None


def _serial_to_date(value: Any, date1904: bool = False) -> Any:
    if isinstance(value, float) and 1 <= value < 2958466:
        epoch = _dt.date(1904, 1, 1) if date1904 else _dt.date(1899, 12, 30)
        return (epoch + _dt.timedelta(days=int(value))).isoformat()
    return value


def read_names(data: WorkbookData, lay: Layout) -> tuple[dict[str, Any], dict[str, list[str]],
                                                          list[Finding]]:
    """The value (or list of values) behind every input name, found through the defined
    names; a missing name falls back to the layout's address, with a finding."""
    values: dict[str, Any] = {}
    cells: dict[str, list[str]] = {}
    findings: list[Finding] = []
    for cell in _input_cells(lay):
        name = cell.name or ""
        target = data.names.get(name)
        found_at = _target_cells(target) if target else None
        if found_at is not None and found_at[0] in data.sheets:
            sheet, refs, qualified = found_at
        else:
            findings.append(Finding("AIJ-X303", f"defined name {cell.name!r} is missing or "
                                    f"broken; read from {cell.absolute} instead",
                                    where=cell.name, field=cell.name,
                                    expected=cell.absolute, actual=target))
            sheet, refs, qualified = _layout_cells(cell.sheet, cell.ref)
        cells[name] = list(qualified)
        sheet_cells = data.sheets[sheet].cells if sheet in data.sheets else {}
        found = [(sheet_cells.get(r) or _EMPTY).value for r in refs]
        if cell.fmt == "date":
            found = [_serial_to_date(v, data.date1904) for v in found]
        values[name] = found if cell.is_range else found[0]
    return values, cells, findings


def identity(data: WorkbookData) -> tuple[str | None, str | None, list[Finding]]:
    """The workbook's ``method`` and ``template_version``, with any problem found."""
    found: dict[str, str | None] = {}
    findings = []
    for name in ("method", "template_version"):
        target = data.names.get(name)
        parts = list(iter_name_refs(target)) if target else []
        if len(parts) != 1:
            findings.append(Finding("AIJ-X301", f"no {name!r} defined name: not an AIJRI "
                                    "assessment workbook (or not one this package wrote)",
                                    where=name, field=name))
            found[name] = None
            continue
        sheet, ref = parts[0]
        if ":" in ref:
            findings.append(Finding("AIJ-X301", f"the {name!r} defined name points at a range "
                                    f"({target}), not one cell", where=name, field=name))
            found[name] = None
            continue
        value = data.cell(sheet, ref).value
        if isinstance(value, float) and value.is_integer():
            value = str(int(value))
        found[name] = str(value).strip() if value is not None else None
    method, version = found["method"], found["template_version"]
    if method is not None and method != METHOD:
        findings.append(Finding("AIJ-E011", f"the workbook names method {method!r}; this "
                                f"package implements {METHOD} and refuses to score it with "
                                "another version's parameters", where="method",
                                field="method", expected=METHOD, actual=method))
    if version is not None and version not in KNOWN_TEMPLATE_VERSIONS:
        findings.append(Finding("AIJ-X302", f"template_version {version!r} is not one this "
                                f"package knows ({', '.join(sorted(KNOWN_TEMPLATE_VERSIONS))})",
                                where="template_version", field="template_version",
                                expected=TEMPLATE_VERSION, actual=version))
    return method, version, findings


MAX_WORKBOOK_BYTES = MAX_FILE_BYTES
"""An assessment workbook is ~30 KB; refuse to read anything absurdly large."""


def load_workbook(path: Path, read: Callable[[bytes], WorkbookData] = read_xlsx) -> Loaded:
    """Read an assessment workbook; never raises for bad content.

    The file is read once, into memory, and closed: it is never modified or locked."""
    try:
        size = path.stat().st_size
        if size > MAX_WORKBOOK_BYTES:
            return Loaded(path, "workbook", None, [Finding(
                "AIJ-F205", f"{path}: {size:,} bytes is more than the {MAX_WORKBOOK_BYTES:,} "
                "an assessment workbook may be", where=str(path), actual=size)])
        with open(path, "rb") as handle:
            raw = handle.read(MAX_WORKBOOK_BYTES + 1)
    except OSError as exc:
        return Loaded(path, "workbook", None, [Finding(
            "AIJ-F201", f"{path}: cannot be read ({exc.strerror or exc})", where=str(path))])
    return loaded_from_bytes(path, raw, read)


def loaded_from_bytes(path: Path, raw: bytes,
                      read: Callable[[bytes], WorkbookData] = read_xlsx) -> Loaded:
    """Read an assessment workbook from its bytes (``path`` names it in findings)."""
    if len(raw) > MAX_WORKBOOK_BYTES:
        return Loaded(path, "workbook", None, [Finding(
            "AIJ-F205", f"{path}: {len(raw):,} bytes is more than the {MAX_WORKBOOK_BYTES:,} "
            "an assessment workbook may be", where=str(path), actual=len(raw))])
    try:
        data = read(raw)
    except XlsxError as exc:
        code = exc.code
        return Loaded(path, "workbook", None, [Finding(code, f"{path}: {exc}",
                                                       where=str(path))])
    loaded = loaded_from_data(path, data)
    loaded.extra["bytes"] = raw
    return loaded


def active_findings(data: WorkbookData) -> list[Finding]:
    """Active content the package holds (found by relationship and content type), once
    per part and kind; none of it is ever run, loaded or refreshed."""
    out = []
    seen: set[tuple[str, str]] = set()
    for item in data.active:
        key = (item.code, item.where)
        if key in seen:
            continue
        seen.add(key)
        out.append(Finding(item.code, f"the package holds {item.what} at {item.where} "
                           "(found by its type, not its name); it was not run or opened",
                           where=item.where))
    return out


def loaded_from_data(path: Path, data: WorkbookData) -> Loaded:
    method, version, findings = identity(data)
    extra: dict[str, Any] = {"workbook": data}
    if ANNOTATED_PROPERTY in data.properties:
        findings.append(Finding("AIJ-X310", f"{path}: an annotated copy ('aijri verify "
                                "--annotate'), a review aid and not a submission: verify the "
                                "original", where="docProps/custom.xml",
                                actual=data.properties[ANNOTATED_PROPERTY]))
    findings += active_findings(data)
    if any(f.code in ("AIJ-X301", "AIJ-E011", "AIJ-X302") for f in findings):
        return Loaded(path, "workbook", None, findings, extra=extra)
    missing = [s for s in ("Tasks",) if s not in data.sheets]
    rows = find_task_rows(data)
    if missing or rows is None:
        findings.append(Finding("AIJ-X304", "the task table cannot be found: the Tasks sheet "
                                "is missing, or the defined name 'task_time' does not point "
                                "at one column of it from row 5 (and no 'Total' row either)",
                                where="Tasks!A:A"))
        return Loaded(path, "workbook", None, findings, extra=extra)
    lay = layout(rows)
    values, cells, name_findings = read_names(data, lay)
    findings += name_findings
    text_numbers = take_text_numbers(values, cells, lay)

    def cell_of(name: str, index: int | None) -> str:
        refs = cells.get(name)
        if not refs:
            return name
        if index is None:
            return f"{refs[0]}:{refs[-1].split('!')[1]}" if len(refs) > 1 else refs[0]
        return refs[index] if index < len(refs) else name

    assessment, read_findings, where = assessment_from_names(values, lay, cell_of)
    findings += text_number_findings(text_numbers, where) + read_findings
    assessment.method = method or METHOD
    extra.update({"layout": lay, "where_of_field": where, "values": values,
                  "template_version": version})
    return Loaded(path, "workbook", assessment, findings, extra=extra)
