"""Findings: what a check reports, and the one table of stable codes.

A finding is data (the library never prints). Every finding carries a code from
``CODES``; the code fixes its severity and its rule. ``docs/CODES.md`` is generated from
this table (``python -m aijri_xl codes``) and a test keeps the two in step.

Code families:

- ``AIJ-E0xx`` / ``AIJ-W0xx``: the method's inputs and consistency rules (§1, §5);
- ``AIJ-E1xx`` / ``AIJ-W1xx``: figures an assessment states (published text, cached cells);
- ``AIJ-F2xx``: files that cannot be read;
- ``AIJ-X3xx``: workbook identity, structure and formula integrity;
- ``AIJ-I4xx``: information kept in the audit record;
- ``AIJ-R5xx``: flags of a portfolio register (``aijri register``), across assessments.
"""

from __future__ import annotations

from typing import Any, Literal

from aijri_xl._record import as_dict, dataclass

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER: dict[str, int] = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    severity: Severity
    title: str
    rule: str


_CODE_ROWS: tuple[tuple[str, Severity, str, str], ...] = (
    # Inputs and consistency (AIJRI-METHOD.md §1 and §5)
    ("AIJ-E001", "error", "required input missing", "Every required input is present (§1)."),
    ("AIJ-E002", "error", "input of the wrong type",
     "Scores are whole numbers, time shares and overrides numbers, text fields text (§1)."),
    ("AIJ-E003", "error", "input out of range",
     "Protective 0–3, growth −2…+2, task score 1–5, time share 0 < t ≤ 100%, evidence "
     "−2…+2, barriers 0–2, override 0–100 with one decimal (§1)."),
    ("AIJ-E004", "error", "no tasks", "An assessment has one or more tasks (§1)."),
    ("AIJ-E005", "error", "time shares do not sum to 100%",
     "Time shares sum to 100% within TIME_TOLERANCE_PCT (§5)."),
    ("AIJ-E006", "error", "task time without a score",
     "A task with a time share has a score (§5)."),
    ("AIJ-E007", "error", "task score without a time share",
     "A task with a score has a time share (§5)."),
    ("AIJ-E008", "error", "override without justification",
     "An override carries a justification (§5)."),
    ("AIJ-E009", "error", "growth check differs",
     "The growth check equals the growth correlation (§5)."),
    ("AIJ-E010", "error", "unknown task class",
     "The Aug/Disp class is DISPLACEMENT, AUGMENTATION or NOT INVOLVED (§1)."),
    ("AIJ-E011", "error", "unknown method version",
     "An assessment names method AIJRI-1.0; another version is refused, never scored with "
     "this version's parameters (§7)."),
    ("AIJ-E012", "error", "unknown field",
     "An assessment file holds only the fields of the documented format."),
    ("AIJ-W020", "warning", "task class departs from the default mapping",
     "Score 1 → NOT INVOLVED, 2–3 → AUGMENTATION, 4–5 → DISPLACEMENT (§5)."),
    ("AIJ-W021", "warning", "override far from the formula score",
     "An override within OVERRIDE_WARN_DELTA points of the formula score S (§5)."),
    ("AIJ-W022", "warning", "duplicate task name", "Task names are distinct (§5)."),
    # Stated and cached figures (§5, comparing figures)
    ("AIJ-E101", "error", "stated figure differs",
     "A figure the assessment states agrees with the recomputed one: score, zone and "
     "sub-label exactly, others within half a unit of their last decimal (§5)."),
    ("AIJ-W102", "warning", "stated quick-screen band differs",
     "The stated quick-screen band is the one of §3.9 (a project rule, so a warning)."),
    ("AIJ-E103", "error", "cached value differs from the method",
     "A value a spreadsheet computed agrees with the reference: relative 1e-9, the "
     "one-decimal score exactly (§5)."),
    ("AIJ-W104", "warning", "score rounded differently at a tie",
     "Where S_c × 10 lies within 1e-9 of a half-integer the engine may round either way (§5)."),
    ("AIJ-E105", "error", "formulas compute another value",
     "The workbook's own formulas, evaluated independently, give the method's value."),
    ("AIJ-W106", "warning", "figure not stated",
     "A published report states each figure of the house format."),
    ("AIJ-W130", "warning", "display not checked",
     "What each contract cell shows is confirmed from the file's number formats and styles; "
     "for an .ods they are not read, so what LibreOffice displays is not confirmed (save "
     "as .xlsx for a full check)."),
    # Files
    ("AIJ-F201", "error", "file not found", "The named file exists and can be opened."),
    ("AIJ-F202", "error", "file cannot be parsed",
     "The file is well-formed YAML, JSON, a published report, an .xlsx workbook or an "
     ".ods spreadsheet."),
    ("AIJ-F203", "error", "unsupported file type",
     "Assessments are .yaml/.yml, .json, .md/.txt/.html (published reports) or "
     ".xlsx/.xlsm/.ods (workbooks)."),
    ("AIJ-F204", "error", "report section unreadable",
     "A published report has the sections and tables of the house format."),
    ("AIJ-F205", "error", "unsafe or oversized file",
     "A submitted file stays within the size, ratio and XML limits; no encryption, DTDs "
     "or entities."),
    ("AIJ-F206", "error", "encrypted workbook",
     "A workbook is not password-protected (encrypted files cannot be checked)."),
    ("AIJ-F207", "error", "package structure missing",
     "A workbook package has [Content_Types].xml and _rels/.rels, and its relationships "
     "lead to a workbook part of a spreadsheet content type and to every part it names "
     "(Excel refuses the file otherwise)."),
    ("AIJ-F208", "error", "duplicate zip entries",
     "No two zip entries share a name (part names compared without case): which one a "
     "program reads is not defined."),
    ("AIJ-F209", "error", "zip headers disagree",
     "Each entry's local header agrees with its central directory record (name, method, "
     "flags, sizes, CRC) and entries do not overlap."),
    ("AIJ-F210", "error", "data outside the zip entries",
     "Nothing lies in front of the first entry, between entries or after the end record "
     "(where a second archive could hide)."),
    ("AIJ-F211", "error", "unsupported compression",
     "Entries are stored or deflated, the only methods Excel reads."),
    ("AIJ-F212", "error", "entry inflates past its declared size",
     "Each entry inflates to exactly its declared size."),
    ("AIJ-F213", "error", "Strict Open XML not readable",
     "A Strict Open XML workbook is read; one that cannot be is refused with the Save As "
     "instruction ('Excel Workbook (*.xlsx)')."),
    ("AIJ-F214", "error", "relationship target outside the package",
     "Every internal relationship target resolves to a part inside the package."),
    ("AIJ-F215", "error", "ambiguous or invalid cell data",
     "Cells have distinct, valid references; shared-string indexes exist (not negative, "
     "not past the table); indexes, references and numbers are written with 0-9 (not ², "
     "not ٥٢.٨) and without underscores; values are well-formed; no cells, sheets or names "
     "inside mc:AlternateContent; names and sheets are unique (ignoring case)."),
    # Workbooks
    ("AIJ-X301", "error", "not an AIJRI workbook",
     "The workbook has the `method` and `template_version` defined names."),
    ("AIJ-X302", "error", "unknown template version",
     "The workbook's template_version is one this package knows."),
    ("AIJ-X303", "error", "defined name missing or moved",
     "Every contract name is present and points where the layout says."),
    ("AIJ-X304", "error", "sheet missing", "Every sheet of the layout is present."),
    ("AIJ-X305", "error", "formula replaced by a value",
     "Every formula cell of the layout holds a formula."),
    ("AIJ-X306", "error", "formula edited",
     "Every formula cell holds its layout formula (after normalising what spreadsheet "
     "programs rewrite)."),
    ("AIJ-X307", "error", "parameter edited",
     "Every parameter cell holds the method's value."),
    ("AIJ-X308", "error", "reference outside the workbook",
     "No formula reaches outside the workbook (external links, WEBSERVICE, remote "
     "HYPERLINK, DDE)."),
    ("AIJ-X309", "error", "macros present",
     "A submitted workbook has no macros: no VBA project, no Basic library or script, no "
     "document event bound to a macro (macros are reported, never run)."),
    ("AIJ-X310", "error", "annotated copy, not a submission",
     "A submitted workbook is not an annotated copy written by 'aijri verify --annotate' "
     "(its custom property aijri_annotated): verify the original."),
    ("AIJ-X311", "error", "macro or dialog sheet",
     "No Excel 4.0 macro sheet or dialog sheet (found by relationship and content type)."),
    ("AIJ-X312", "error", "embedded object or control",
     "No OLE object, embedded package, ActiveX or form control."),
    ("AIJ-X313", "error", "data connection",
     "No data connection, query table or custom data that refreshes from outside."),
    ("AIJ-X314", "error", "formula the template does not have",
     "The template's formula cells are the only formula cells; any other is reported at "
     "its cell and never evaluated."),
    ("AIJ-X315", "error", "function the template does not use",
     "Formulas call only functions the template's own formulas use."),
    ("AIJ-X316", "error", "formula syntax not readable",
     "Every formula of an .ods is OpenFormula (or Excel syntax) that translates to the "
     "template's Excel syntax; one that does not cannot be compared or checked for links."),
    ("AIJ-X320", "error", "cell shows other text than its value",
     "Each contract cell's number format shows what the template's format shows for the "
     "same value (what a person sees, not only what is stored)."),
    ("AIJ-X321", "error", "number format cannot be checked",
     "Each contract cell's number format is one the verifier renders exactly (otherwise "
     "what it shows cannot be confirmed)."),
    ("AIJ-X322", "error", "sheet hidden",
     "Every sheet of the layout is visible (not hidden, not very hidden)."),
    ("AIJ-X323", "error", "contract cells hidden",
     "No row or column of a contract cell is hidden or collapsed to nothing, and no merged "
     "range covers one except from it (a merged range shows only its first cell)."),
    ("AIJ-X324", "error", "value unreadable",
     "A contract cell's text is readable: its font colour differs from its fill and its "
     "font is at least 6 points."),
    ("AIJ-X325", "error", "conditional format changes what is shown",
     "Conditional formats over contract cells change colours only: no number format, no "
     "hidden values, no text in its fill's colour, none the template does not have."),
    ("AIJ-X326", "error", "independent evaluation over budget",
     "The workbook's formulas evaluate within the verifier's time, work and memory budget "
     "(limits.EVAL_TIME_MS, EVAL_WORK_UNITS; the cells, arrays and text they may take, "
     "EVAL_ARRAY_CELLS, EVAL_TEXT_CHARS, EVAL_BUILT_TEXT), using only the template's "
     "functions and operators."),
    ("AIJ-X327", "error", "the workbook's own checks disagree",
     "The workbook's check cells (its status, the Checks sheet, the Check columns) report "
     "the problems the verifier finds, and only those."),
    ("AIJ-X328", "error", "conditional format differs from the template's",
     "The conditional formatting rules over each contract cell are the template's, rule by "
     "rule: type, operator, formulas (as they apply at the cell) and what the rule's format "
     "shows (number format, text colour, fill, font size); what a LibreOffice or Excel save "
     "rewrites (format ids, priorities, a range split or merged, $ and spacing, function "
     "case, the sheet's own name) is not a difference."),
    ("AIJ-X329", "error", "number too wide for its column",
     "Every number and date of a contract cell fits its column's width, so Excel does not "
     "show '####' in its place (column widths as ECMA-376 defines them; the text's width "
     "bounded from below, so only clear narrowing is reported)."),
    # Information
    ("AIJ-I401", "info", "override applied",
     "An override, its size against the formula score, and its justification are kept."),
    ("AIJ-I402", "info", "inputs incomplete",
     "A blank or partly filled template: the missing inputs are listed."),
    # Register flags (across assessments)
    ("AIJ-R501", "warning", "assessors disagree on a role",
     "Final scores the same role gets from different assessors lie within 5 points of "
     "each other (register.ASSESSOR_SPREAD)."),
    ("AIJ-R502", "warning", "calibration peer quoted at another score",
     "A calibration peer an assessment quotes (role and score) has that final score in the "
     "register, when the register holds the peer."),
    ("AIJ-R503", "error", "assessment does not verify",
     "Every assessment in the register verifies (PASS or WARN)."),
    ("AIJ-R504", "warning", "score far from peers of similar published exposure",
     "An assessment with an occupation code has a final score within 3 robust spreads "
     "(and 15 points) of the median of the 7 assessments nearest in published exposure "
     "(mean of GPT-4 and human beta), moved along the register's Theil-Sen trend; "
     "checked in registers with 10 or more such assessments (registry.external). A "
     "prompt to review, never a rule."),
)

CODES: dict[str, Code] = {row[0]: Code(*row) for row in _CODE_ROWS}


@dataclass(frozen=True, slots=True)
class Place:
    """Where in a source something is, as parts: a cell of a sheet (``Tasks``, ``D7``),
    a line of a section of a published report, or a whole file. ``text`` renders it the
    one way every output shows it; code that needs a part reads the part, never the
    text."""

    sheet: str | None = None
    cell: str | None = None
    section: str | None = None
    line: int | None = None
    file: str | None = None

    @property
    def text(self) -> str:
        if self.sheet is not None:
            sheet = self.sheet if self.sheet.replace("_", "").isalnum() else \
                "'" + self.sheet.replace("'", "''") + "'"
            return f"{sheet}!{self.cell}" if self.cell else sheet
        if self.section is not None:
            return f'section "{self.section}"' + (
                f", line {self.line}" if self.line is not None else "")
        return self.file or ""

    def __str__(self) -> str:
        return self.text


Where = Place | str
"""A place given in parts, or as text where only text is known (a defined name, a path)."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a check found.

    ``where`` is the place in the source as text (``section "Evidence Score", line 52``
    for a report, ``Tasks!D7`` or a defined name for a workbook, ``tasks[3].score`` for a
    file); ``place`` the same place in parts, where the check knew them (give a
    :class:`Place` as ``where`` and both are set). ``field`` is the §4 result field or
    input path it concerns."""

    code: str
    message: str
    where: str | Place | None = None  # a Place is kept in ``place`` and rendered here
    field: str | None = None
    expected: Any = None
    actual: Any = None
    place: Place | None = None

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unknown finding code {self.code!r}")
        where: object = self.where
        if isinstance(where, Place):
            object.__setattr__(self, "place", where)
            object.__setattr__(self, "where", where.text)

    @property
    def severity(self) -> Severity:
        return CODES[self.code].severity

    @property
    def rule(self) -> str:
        return CODES[self.code].rule

    def to_dict(self) -> dict[str, Any]:
        out = {"code": self.code, "severity": self.severity, "where": self.where,
               "field": self.field, "expected": self.expected, "actual": self.actual,
               "message": self.message}
        if self.place is not None:
            out["place"] = {k: v for k, v in as_dict(self.place).items() if v is not None}
        return out

    def located(self, where: str | Place | None) -> Finding:
        """The same finding at another place (e.g. a cell for an input path)."""
        if isinstance(where, Place):
            return Finding(self.code, self.message, where.text, self.field, self.expected,
                           self.actual, where)
        return Finding(self.code, self.message, where, self.field, self.expected, self.actual)


def verdict(findings: list[Finding]) -> str:
    """PASS when nothing above info, WARN for warnings only, FAIL for any error."""
    worst = max((SEVERITY_ORDER[f.severity] for f in findings), default=0)
    return ("PASS", "WARN", "FAIL")[worst]


def codes_markdown() -> str:
    """The codes table as Markdown (docs/CODES.md)."""
    lines = [
        "# Finding and error codes",
        "",
        "Generated from `aijri_xl/method/findings.py` by `python -m aijri_xl codes`; a test keeps "
        "them in step. Codes are stable: a code's meaning never changes.",
        "",
        "| Code | Severity | What | Rule |",
        "|---|---|---|---|",
    ]
    lines += [f"| `{c.code}` | {c.severity} | {c.title} | {c.rule} |" for c in CODES.values()]
    return "\n".join(lines) + "\n"
