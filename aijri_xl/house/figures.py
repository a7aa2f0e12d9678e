"""Figures written the way the published house format writes them.

One place for ``3.75/5.0``, ``1.0 + (5 × 0.04) = 1.20``, ``4.7250``, ``52.8/100`` and
the zone and sub-label lines, so the CLI summary, the report writer and the report reader
agree on the text.
"""

from __future__ import annotations

from aijri_xl.method.engine import Result
from aijri_xl.method.parameters import PARAMS, ZONE_LEGEND


def num(value: float, decimals: int) -> str:
    """Fixed decimals, no ``-0.00``."""
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def param(name: str) -> str:
    """A parameter as the report writes it: ``0.04``, ``7.93``, ``48``."""
    return f"{PARAMS[name]:g}"


def pct(value: float) -> str:
    """A percent-unit figure: ``30%``, ``12.5%``."""
    return f"{value:.10g}%"


def trs_line(r: Result) -> str:
    return f"{num(PARAMS['TRS_CEILING'], 2)} - {num(r.weighted_total, 2)} = " \
           f"{num(r.task_resistance, 2)}/5.0"


def modifier_line(total: int, weight: str, modifier: float) -> str:
    return f"1.0 + ({total} × {param(weight)}) = {num(modifier, 2)}"


def raw_line(r: Result) -> str:
    return (f"{num(r.task_resistance, 2)} × {num(r.evidence_modifier, 2)} × "
            f"{num(r.barrier_modifier, 2)} × {num(r.growth_modifier, 2)} = {num(r.raw, 4)}")


def score_line(r: Result) -> str:
    return (f"({num(r.raw, 4)} - {param('SCORE_OFFSET')}) / {param('SCORE_SPAN')} × 100 = "
            f"{num(r.score, 1)}/100")


def zone_line(r: Result) -> str:
    return f"{r.zone} ({ZONE_LEGEND})"


def sub_label_reason(r: Result) -> str:
    """Why the sub-label holds, as the report's sub-label table says it."""
    label = r.sub_label.split("(")[1].rstrip(")")
    reasons = {
        "Accelerated": "AI growth correlation +2",
        "Transforming": f"≥{param('TRANSFORMING_MIN_PCT')}% task time scores 3+",
        "Stable": f"<{param('TRANSFORMING_MIN_PCT')}% task time scores 3+",
        "Urgent": f"≥{param('URGENT_MIN_PCT')}% task time scores 4+",
        "Moderate": f"<{param('URGENT_MIN_PCT')}% task time scores 4+",
        "Imminent": f"≥{param('IMMINENT_MIN_PCT')}% task time scores 4+",
        "Gradual": f"<{param('IMMINENT_MIN_PCT')}% task time scores 4+",
    }
    return f"{r.sub_label} — {reasons[label]}"


def split_line(r: Result) -> str:
    return (f"{pct(r.split_displacement)} displacement, {pct(r.split_augmentation)} "
            f"augmentation, {pct(r.split_not_involved)} not involved.")


def quick_screen_line(r: Result) -> str:
    return (f"Protective {r.protective_total}/9 + Correlation {r.growth_correlation:+d} = "
            f"{r.quick_screen_band}.")


def summary(r: Result, title: str | None) -> str:
    """The composite block of the report, for ``aijri score``."""
    lines = [
        f"{title or '(untitled role)'} — {r.method}",
        f"Quick screen result: {quick_screen_line(r)}",
        f"Task Resistance Score: {trs_line(r)}",
        f"% of task time scoring 3+: {pct(r.pct_time_score_3plus)}   "
        f"scoring 4+: {pct(r.pct_time_score_4plus)}",
        f"Displacement/Augmentation split: {split_line(r)}",
        "",
        "| Input | Value |",
        "|---|---|",
        f"| Task Resistance Score | {num(r.task_resistance, 2)}/5.0 |",
        "| Evidence Modifier | "
        f"{modifier_line(r.evidence_total, 'EVIDENCE_WEIGHT', r.evidence_modifier)} |",
        "| Barrier Modifier | "
        f"{modifier_line(r.barrier_total, 'BARRIER_WEIGHT', r.barrier_modifier)} |",
        "| Growth Modifier | "
        f"{modifier_line(r.growth_correlation, 'GROWTH_WEIGHT', r.growth_modifier)} |",
        f"Raw: {raw_line(r)}",
        f"JobZone Score: {score_line(r)}",
    ]
    if r.override is not None:
        lines.append(f"Assessor override: {num(r.override, 1)} (formula score "
                     f"{num(r.score, 1)})")
    lines += [f"Zone: {zone_line(r)}", f"Sub-label: {sub_label_reason(r)}"]
    return "\n".join(lines)
