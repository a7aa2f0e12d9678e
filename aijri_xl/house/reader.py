"""Reading a published AIJRI assessment (the "house format") into the model.

A published report (``tests/data/seeds/000_4d6eb753268fa0f0.txt``) is a run of sections, each
opened by a heading line and holding pipe tables and ``Label: value`` lines::

    Role Definition               | Field | Value |; Seniority note:
    Protective Principles + …     | Principle | Score | Rationale |; Quick screen result:
    Task Decomposition (…)        | Task | Time % | Score | Weighted | Aug/Disp | Rationale |;
                                  Task Resistance Score:; Displacement/Augmentation split:;
                                  Reinstatement check (Acemoglu):
    Evidence Score                | Dimension | Score | Evidence |
    Barrier Assessment            Reframed question:; | Barrier | Score | Rationale |
    AI Growth Correlation Check   "Confirmed at +1 from Step 1. …"
    JobZone Composite Score (…)   | Input | Value |; Raw:; JobZone Score:; Zone:
    Sub-Label Determination       | Metric | Value |; Assessor override:
    Assessor Commentary           Score vs Reality Check; What the Numbers Don't Capture;
                                  Who Should Worry …; What This Means; Survival strategy:;
                                  Timeline:

Reading goes in passes: classify every line (heading, label, table row, text, blank),
group table rows into tables, then read each input block and each stated figure.
Layout is read leniently (Markdown headings and bold, spacing, ``×``/``x``/``*``,
``−``/``–``/``-``, ``+1``, ``/9``-style denominators, ``%``); numbers strictly: anything
that would change a number becomes a finding naming its section and line, and the value
is read as missing. Nothing here raises on bad content.
"""

from __future__ import annotations

import re
from pathlib import Path

from aijri_xl.house.grammar import (
    COMMENTARY_KEYS,
    GROWTH_CHECK,
    MIN_BLOCKS_FOR_A_REPORT,
    NO_OVERRIDE,
    PEER,
    REQUIRED_TABLES,
    SECTION_TITLES,
    ReportText,
    Row,
    Table,
    block_text,
    key_of,
    parse_number,
    scan,
    slug,
    tables,
    unbold,
    unescape_cell,
)
from aijri_xl.house.stated_reader import read_figures
from aijri_xl.method.codec import ROLE_FIELDS
from aijri_xl.method.findings import Finding
from aijri_xl.method.loaded import Loaded
from aijri_xl.method.model import (
    Assessment,
    CalibrationPeer,
    Commentary,
    Growth,
    Override,
    RoleDefinition,
    Scored,
    Task,
)
from aijri_xl.method.parameters import (
    BARRIERS,
    EVIDENCE,
    METHOD,
    PROTECTIVE,
    TASK_CLASSES,
    Dimension,
)

# ---------------------------------------------------------------------------------------
# Inputs


def _read_role(r: ReportText, a: Assessment) -> None:
    table = r.table("role", r"field|item")
    labels = {key_of(label): attr for _, attr, label in ROLE_FIELDS}
    labels.update({"assessor": "assessor", "assessmentdate": "assessment_date",
                   "date": "assessment_date"})
    values: dict[str, str] = {}
    if table is None:
        r.missing_section("role", "Field | Value, with the Job Title", "role.title")
    else:
        r.locate("role.title", table.header.line.where)
        for row in table.rows:
            attr = labels.get(row.key)
            if attr is not None and attr not in values:
                values[attr] = row.cell(1)
                r.locate(f"role.{attr}", row.line.where)
        if not values.get("title"):
            r.bad("AIJ-F204", 'the "Role Definition" table has no Job Title row',
                  table.header.line.where, "role.title")
    for i, line in r.labels("seniority_note"):
        values.setdefault("seniority_note", block_text(r.lines, i, line.value)[0])
    a.assessor = values.pop("assessor", None) or None
    a.assessment_date = values.pop("assessment_date", None) or None
    a.role = RoleDefinition(**{k: v or None for k, v in values.items()})
    if a.role.id is None and a.role.title:
        a.role.id = slug(a.role.title)  # the report does not state it; files name roles so


def _read_scored(r: ReportText, table: Table, block: str, dims: tuple[Dimension, ...],
                 text_pattern: str) -> tuple[dict[str, Scored], dict[str, Row]]:
    """A block of scored dimensions (protective, evidence, barriers). Returns the scores
    and the rows that are not dimensions (totals, the growth correlation)."""
    score_col = table.column(r"score", 1)
    text_col = table.column(text_pattern, 2, (0, score_col or 1))
    by_key: dict[str, Row] = {}
    for row in table.rows:
        by_key.setdefault(row.key, row)
    scored: dict[str, Scored] = {}
    for d in dims:
        path = f"{block}.{d.key}.score"
        found = by_key.pop(key_of(d.label), None) or by_key.pop(key_of(d.key), None)
        if found is None:
            place = table.header.line.where
            r.bad("AIJ-F204", f'the "{table.section}" table has no "{d.label}" row', place, path)
            r.locate(path, place)
            scored[d.key] = Scored()
            continue
        r.locate(path, found.line.where)
        score = r.integer(found.cell(score_col), path, found.line.where, f"{d.label} score")
        scored[d.key] = Scored(score, found.cell(text_col))
    return scored, by_key


def _score_paths(block: str, dims: tuple[Dimension, ...]) -> tuple[str, ...]:
    return tuple(f"{block}.{d.key}.score" for d in dims)


def _state_total(r: ReportText, rows: dict[str, Row], result_field: str, col: int | None,
                 *names: str) -> None:
    for name in names:
        row = rows.get(name)
        if row is not None:
            token = row.cell(col) or next((c for c in row.cells[1:] if c), "")
            r.state(result_field, token, row.line.where, integer=True)
            return


def _read_protective(r: ReportText, a: Assessment) -> None:
    table = r.table("protective", r"principles?")
    if table is None:
        r.missing_section("protective", "Principle | Score | Rationale, with the AI Growth "
                          "Correlation row", "protective",
                          (*_score_paths("protective", PROTECTIVE), "growth.correlation"))
        return
    a.protective, rest = _read_scored(r, table, "protective", PROTECTIVE, r"rationale|reason")
    score_col = table.column(r"score", 1)
    _state_total(r, rest, "protective_total", score_col, "protectivetotal", "total")
    growth = next((row for k, row in rest.items() if re.fullmatch(r"(ai)?growthcorrelation", k)),
                  None)
    if growth is None:
        r.bad("AIJ-F204", f'the "{table.section}" table has no "AI Growth Correlation" row',
              table.header.line.where, "growth.correlation")
        r.locate("growth.correlation", table.header.line.where)
        return
    r.locate("growth.correlation", growth.line.where)
    text_col = table.column(r"rationale|reason", 2, (0, score_col or 1))
    a.growth = Growth(r.integer(growth.cell(score_col), "growth.correlation", growth.line.where,
                                "AI growth correlation"), growth.cell(text_col))


def _task_class(text: str) -> str | None:
    canonical = " ".join(unbold(text).replace("_", " ").replace("-", " ").split()).upper()
    return canonical if canonical in TASK_CLASSES else None


def _read_tasks(r: ReportText, a: Assessment) -> None:
    table = r.table("tasks", r"tasks?(name)?")
    if table is None:
        r.missing_section("tasks", "Task | Time % | Score | Weighted | Aug/Disp | Rationale",
                          "tasks")
        return
    cols = _task_columns(table)
    for row in table.rows:
        if row.key in ("total", "totals") and (len(row.cells) < len(table.header.cells)
                                               or not row.cell(cols["score"])):
            _read_task_total(r, table, row, cols)
            continue
        _read_task(r, a, row, cols)
    r.locate("tasks", table.header.line.where)


_WRAPPED = re.compile(r"(\*\*|__|`)(.*)\1", re.DOTALL)


def _task_name(raw: str) -> str:
    """A name cell wrapped in bold or code markup (``**name**``) is markup, not part of
    the name; escapes are resolved after that, so ``\\**x**`` is the name ``**x**``."""
    while (m := _WRAPPED.fullmatch(raw)) is not None:
        raw = m.group(2).strip()
    return unescape_cell(raw)


def _task_columns(table: Table) -> dict[str, int | None]:
    time = table.column(r"time|share|%", 1)
    score = table.column(r"^score|^s$", 2, (0, time or 1))
    weighted = table.column(r"weight", 3, (0, time or 1, score or 2))
    klass = table.column(r"aug|disp|class", 4, (0, time or 1, score or 2, weighted or 3))
    rationale = table.column(r"rationale|reason|note", 5)
    return {"time": time, "score": score, "weighted": weighted, "class": klass,
            "rationale": rationale}


def _read_task(r: ReportText, a: Assessment, row: Row, cols: dict[str, int | None]) -> None:
    i = len(a.tasks)
    path = f"tasks[{i}]"
    place = row.line.where
    label = f"task {i + 1}" + (f" ({unbold(row.cell(0))!r})" if row.cell(0) else "")
    for part in ("name", "time", "score", "class"):
        r.locate(f"{path}.{part}", place)
    klass_text = row.cell(cols["class"])
    klass = _task_class(klass_text)
    if klass_text and klass is None:
        r.bad("AIJ-E010", f"{label}: class {klass_text!r} is not one of "
              + ", ".join(TASK_CLASSES), place, f"{path}.class",
              expected=" / ".join(TASK_CLASSES), actual=klass_text)
    a.tasks.append(Task(
        name=_task_name(row.raw[0] if row.raw else row.cell(0)),
        time=r.percent(row.cell(cols["time"]), f"{path}.time", place, f"{label}: time share"),
        score=r.integer(row.cell(cols["score"]), f"{path}.score", place, f"{label}: score"),
        task_class=klass,
        rationale=row.cell(cols["rationale"]),
    ))
    weighted = row.cell(cols["weighted"])
    if weighted:
        r.state(f"{path}.weighted", weighted, place)


def _read_task_total(r: ReportText, table: Table, row: Row, cols: dict[str, int | None]) -> None:
    """The Total row: time total and weighted total. It is often shorter than the header
    (``| Total | 100% | 2.25 |``), so its cells are told apart by the ``%`` sign."""
    if len(row.cells) == len(table.header.cells):
        time, weighted = row.cell(cols["time"]), row.cell(cols["weighted"])
    else:
        cells = [c for c in row.cells[1:] if c]
        time = next((c for c in cells if c.rstrip().endswith("%")), "")
        weighted = next((c for c in reversed(cells) if c != time), "")
    if time:
        r.state("time_total", time, row.line.where, percent=True)
    if weighted:
        r.state("weighted_total", weighted, row.line.where)


def _read_evidence_and_barriers(r: ReportText, a: Assessment) -> None:
    for block, section, header, dims, text_pattern, total in (
        ("evidence", "evidence", r"dimensions?", EVIDENCE, r"evidence|rationale",
         "evidence_total"),
        ("barriers", "barriers", r"barriers?", BARRIERS, r"rationale|reason", "barrier_total"),
    ):
        table = r.table(section, header)
        if table is None:
            r.missing_section(section, f"one row for each of {', '.join(d.label for d in dims)}",
                              block, _score_paths(block, dims))
            continue
        scored, rest = _read_scored(r, table, block, dims, text_pattern)
        setattr(a, block, scored)
        _state_total(r, rest, total, table.column(r"score", 1), "total",
                     f"{block.rstrip('s')}total")


def _read_growth_check(r: ReportText, a: Assessment) -> None:
    heading = r.heading("growth_check")
    if heading is None:
        return
    index = r.lines.index(heading)
    text, used = block_text(r.lines, index)
    a.growth.check_rationale = text
    place = (used[0] if used else heading).where
    r.locate("growth.check", place)
    for _, line in r.labels("growth_check"):
        # "Growth check: +1" states the check on its own line (the writer adds it when
        # the text does not say "Confirmed at +1"); it wins over the text.
        r.locate("growth.check", line.where)
        if line.value.strip().lower() not in NO_OVERRIDE:
            a.growth.check = r.integer(line.value, "growth.check", line.where,
                                       "the growth check")
        return
    m = GROWTH_CHECK.search(text)
    if m is not None:
        a.growth.check = r.integer(m.group(1).rstrip(".,;:"), "growth.check", place,
                                   "the growth check")


def _read_override(r: ReportText, a: Assessment) -> None:
    for i, line in r.labels("override"):
        text, _ = block_text(r.lines, i, line.value)
        r.locate("override.score", line.where)
        r.locate("override.justification", line.where)
        head, justification = _split_override(text)
        a.override = Override(None, justification)
        if head.lower() not in NO_OVERRIDE:
            number = parse_number(head)
            if number is None or number.percent:
                r.bad("AIJ-E002", f"the assessor override must be 'None' or a score, found "
                      f"{head!r}", line.where, "override.score", actual=head)
            else:
                a.override.score = float(number.value)
        a.calibration += named_peers(text)
        return


def _split_override(text: str) -> tuple[str, str]:
    """``None — formula score accepted. …`` → (``None``, ``formula score accepted. …``)."""
    m = re.match(r"^(.*?)\s*(?:[—–]|\s-{1,2}\s)\s*(.*)$", text, re.DOTALL)
    if m is None or not m.group(1).strip():
        parts = text.split(None, 1)
        head, rest = [*parts, "", ""][:2]
    else:
        head, rest = m.group(1), m.group(2)
    return unbold(head).rstrip(".,;:").strip(), rest.strip()


def named_peers(text: str) -> list[CalibrationPeer]:
    """Peer roles named with a parenthesised score: ``Compiler Engineer (51.6)``."""
    peers = []
    for m in PEER.finditer(text):
        name = re.sub(r"^(?:The|A|An)\s+", "", m.group(1))
        peers.append(CalibrationPeer(name, float(m.group(2))))
    return peers


_LISTEDPEER = re.compile(r"\s*(.+?)\s*\(\s*(\d+(?:\.\d+)?)\s*\)\s*(?:[;,]\s*|\.?\s*$)",
                          re.DOTALL)


def listed_peers(text: str) -> list[CalibrationPeer] | None:
    """Peers listed on a ``Calibration peers:`` line: ``Compiler Engineer (51.6);
    Database Engineer (55.2)`` (``;`` or ``,`` between them); ``none`` for no peers.
    ``None`` when the text is not such a list."""
    if text.strip().lower() in NO_OVERRIDE:
        return []
    peers, at = [], 0
    while at < len(text):
        m = _LISTEDPEER.match(text, at)
        if m is None:
            return None
        peers.append(CalibrationPeer(m.group(1), float(m.group(2))))
        at = m.end()
    return peers


def _read_calibration(r: ReportText, a: Assessment) -> None:
    """A ``Calibration peers:`` line lists the peers; it wins over the peers the override
    text names. A line that is not a plain list adds the peers it names."""
    for i, line in r.labels("calibration"):
        text = block_text(r.lines, i, line.value)[0]
        listed = listed_peers(text)
        if listed is not None:
            a.calibration = listed
            return
        known = {(p.role, p.score) for p in a.calibration}
        a.calibration += [p for p in named_peers(text) if (p.role, p.score) not in known]


def _read_texts(r: ReportText, a: Assessment) -> None:
    """Free text: the reinstatement check, the method line and the commentary."""
    for i, line in r.labels("reinstatement"):
        a.reinstatement_check = block_text(r.lines, i, line.value)[0]
        break
    for _, line in r.labels("method"):
        if line.value:
            a.method = unbold(line.value)
        break
    texts: dict[str, str] = {}
    for i, line in enumerate(r.lines):
        if line.key in COMMENTARY_KEYS and line.kind in ("heading", "label"):
            first = line.value if line.kind == "label" else ""
            texts.setdefault(line.key, block_text(r.lines, i, first)[0])
    a.commentary = Commentary(**texts)



# ---------------------------------------------------------------------------------------


def _is_report(r: ReportText) -> bool:
    found = sum(r.table(section, header) is not None for section, header in REQUIRED_TABLES)
    return found >= MIN_BLOCKS_FOR_A_REPORT


def read_report(text: str, path: Path) -> Loaded:
    """Read a published assessment in the house format.

    Returns the assessment (``None`` if the text is not a report at all), the problems
    found while reading, each naming its section and line, and the figures the report
    states, for :func:`aijri_xl.stated.compare_stated`."""
    lines = scan(text)
    r = ReportText(lines, tables(lines))
    if not _is_report(r):
        expected = ", ".join(SECTION_TITLES[s] for s, _ in REQUIRED_TABLES)
        return Loaded(path, "report", None, [Finding(
            "AIJ-F204", "not a published AIJRI assessment: it lacks the tables of the house "
            f"format ({expected})", where=str(path))])
    a = Assessment(method=METHOD)
    _read_role(r, a)
    _read_protective(r, a)
    _read_tasks(r, a)
    _read_evidence_and_barriers(r, a)
    _read_growth_check(r, a)
    _read_override(r, a)
    _read_calibration(r, a)
    _read_texts(r, a)
    read_figures(r)
    # Figures in reading order, so that findings follow the report from top to bottom.
    stated = sorted(r.stated, key=lambda f: (f.place.line or 0) if f.place else 0)
    loaded = Loaded(path, "report", a, r.findings, stated)
    loaded.extra["where_of_field"] = r.where_of_field
    return loaded
