"""Reading the figures a published report states (totals, modifiers, the raw value, the
score, the zone, the sub-label, the split, P3/P4), each kept with its line for the
verifier to compare (:mod:`aijri_xl.verify.stated`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from aijri_xl.house.grammar import (
    FIGURE_LABELS,
    FIGURE_TABLE_SECTIONS,
    LABELS,
    ReportText,
    first_token,
    key_of,
    match_key,
    unbold,
)
from aijri_xl.method.findings import Where
from aijri_xl.method.parameters import (
    QUICK_SCREEN_BANDS,
    ZONES,
)

# ---------------------------------------------------------------------------------------
# Stated figures


def _figure_statements(r: ReportText) -> Iterator[tuple[str, str, Where]]:
    """(label key, value, where) of every labelled figure: ``Label: value`` lines and the
    rows of the composite and sub-label tables."""
    for line in r.lines:
        if line.kind == "label" and line.key in FIGURE_LABELS:
            yield line.key, line.value, line.where
    heading_keys = {ln.value: ln.key for ln in r.lines if ln.kind == "heading"}
    for table in r.tables:
        if heading_keys.get(table.section) not in FIGURE_TABLE_SECTIONS:
            continue
        for row in table.rows:
            name = match_key(row.key, LABELS)
            if name in FIGURE_LABELS or name == "growth_correlation":
                yield name, row.cell(1), row.line.where


def read_figures(r: ReportText) -> None:
    handlers: dict[str, Callable[[ReportText, str, Where], None]] = {
        "quick_screen": _quick_screen, "task_resistance": _task_resistance, "split": _split,
        "evidence_modifier": _modifier("evidence_total", "evidence_modifier"),
        "barrier_modifier": _modifier("barrier_total", "barrier_modifier"),
        "growth_modifier": _modifier("growth_correlation", "growth_modifier"),
        "raw": _raw, "score": _score("score"), "final_score": _score("final_score"),
        "zone": _zone, "sub_label": _sub_label,
        "pct_time_score_3plus": _percent_figure("pct_time_score_3plus"),
        "pct_time_score_4plus": _percent_figure("pct_time_score_4plus"),
        "growth_correlation": _growth_figure,
    }
    for key, value, place in _figure_statements(r):
        handlers[key](r, value, place)


def _sides(value: str) -> tuple[str, str]:
    """A formula's two sides; a bare figure is all right-hand side."""
    if "=" not in value:
        return "", value
    lhs, rhs = value.rsplit("=", 1)
    return lhs.strip(), rhs.strip()


def _quick_screen(r: ReportText, value: str, place: Where) -> None:
    """``Protective 2/9 + Correlation +1 = Yellow-to-Green boundary.``"""
    lhs, rhs = _sides(value)
    m = re.search(r"protective\s*(.+?)\s*\+\s*(?:ai\s*growth\s*)?correlation\s*(.+)$", lhs,
                  re.IGNORECASE)
    if m is not None:
        r.state("protective_total", first_token(m.group(1)), place, integer=True)
        r.state("growth_correlation", first_token(m.group(2)), place, integer=True)
    total = re.match(r"^\s*([+\-−–]?\s*\d[\d.]*)\s*(?:[(—–:-]|\s|$)", rhs)
    if total is not None:
        r.state("quick_screen_total", total.group(1), place, integer=True)
        rhs = rhs[total.end():]
    written = unbold(rhs.strip(" ()—–-")).split(".")[0].strip(" ()")
    if not written:
        return
    band = next((b for b, _ in QUICK_SCREEN_BANDS if key_of(written).startswith(key_of(b))),
                written)
    r.state_text("quick_screen_band", band, place, written)


def _task_resistance(r: ReportText, value: str, place: Where) -> None:
    """``6.00 - 2.25 = 3.75/5.0`` or ``3.75/5.0``."""
    lhs, rhs = _sides(value)
    m = re.match(r"^(\S+?)\s*[-−–]\s*(\S+)$", lhs)
    if m is not None:
        r.state("weighted_total", m.group(2), place)
    r.state("task_resistance", first_token(rhs), place)


def _split(r: ReportText, value: str, place: Where) -> None:
    """``0% displacement, 90% augmentation, 10% not involved.``"""
    for result_field, word in (("split_displacement", r"displacement"),
                               ("split_augmentation", r"augmentation"),
                               ("split_not_involved", r"not[\s_-]*involved")):
        m = re.search(rf"(\S+?)\s*(%?)\s*{word}", value, re.IGNORECASE)
        if m is not None:
            r.state(result_field, m.group(1) + m.group(2), place, percent=True)


def _modifier(total_field: str, modifier_field: str) -> Callable[[ReportText, str, Where], None]:
    """``1.0 + (5 × 0.04) = 1.20`` or ``1.20``."""

    def read(r: ReportText, value: str, place: Where) -> None:
        lhs, rhs = _sides(value)
        m = re.search(r"\(\s*(.+?)\s*[×xX*]", lhs)
        if m is not None:
            r.state(total_field, m.group(1), place, integer=True)
        r.state(modifier_field, first_token(rhs), place)

    return read


def _raw(r: ReportText, value: str, place: Where) -> None:
    """``3.75 × 1.20 × 1.00 × 1.05 = 4.7250``."""
    lhs, rhs = _sides(value)
    factors = [f for f in re.split(r"\s*[×xX*]\s*", lhs) if f] if lhs else []
    if len(factors) == 4:
        for result_field, factor in zip(("task_resistance", "evidence_modifier",
                                         "barrier_modifier", "growth_modifier"), factors,
                                        strict=True):
            r.state(result_field, factor, place)
    r.state("raw", first_token(rhs), place)


def _score(result_field: str) -> Callable[[ReportText, str, Where], None]:
    """``(4.7250 - 0.54) / 7.93 × 100 = 52.8/100`` or ``52.8``."""

    def read(r: ReportText, value: str, place: Where) -> None:
        lhs, rhs = _sides(value)
        m = re.match(r"^\(\s*(\S+?)\s*[-−–]", lhs)
        if m is not None:
            r.state("raw", m.group(1), place)
        r.state(result_field, first_token(rhs), place)

    return read


def _zone(r: ReportText, value: str, place: Where) -> None:
    """``GREEN (Green ≥48, Yellow 25-47, Red <25)``."""
    words = unbold(value).split()
    if not words:
        r.bad("AIJ-E001", "the zone line states no zone", place, "zone")
        return
    written = unbold(words[0]).rstrip(".,;:")
    zone = written.upper() if written.upper() in ZONES else written
    r.state_text("zone", zone, place, written)


def _sub_label(r: ReportText, value: str, place: Where) -> None:
    """``Green (Transforming) — ≥20% task time scores 3+``."""
    text = unbold(value)
    m = re.match(r"^(\w+)\s*\(\s*(\w[\w\s-]*?)\s*\)", text)
    if m is None:
        written = re.split(r"\s+[—–-]\s+", text)[0].strip()
        if written:
            r.state_text("sub_label", written, place, written)
        else:
            r.bad("AIJ-E001", "the sub-label line states no sub-label", place, "sub_label")
        return
    label = f"{m.group(1).title()} ({m.group(2).title()})"
    r.state_text("sub_label", label, place, m.group(0))


def _percent_figure(result_field: str) -> Callable[[ReportText, str, Where], None]:
    def read(r: ReportText, value: str, place: Where) -> None:
        r.state(result_field, first_token(value), place, percent=True)

    return read


def _growth_figure(r: ReportText, value: str, place: Where) -> None:
    r.state("growth_correlation", first_token(value), place, integer=True)


