"""Templates for O*NET occupations: a draft worth correcting, with the published evidence.

:func:`template_bytes` writes the workbook of :func:`aijri_xl.occupations.draft_assessment`
(title, description as primary function, occupation code, task statements Core first with
draft time shares) and, beside each task, a reference column: the task type, the human
and GPT-4 exposure labels and GPT-4's automation level, with a legend saying what they are
and are not and the attributions. Everything an assessor scores stays blank.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from aijri_xl.occupations import (
    AUTOMATION_SCALE,
    EXPOSURE_MEANING,
    draft_assessment,
    get,
    occupations,
    ordered_tasks,
    references,
)
from aijri_xl.workbook.references import TaskReferences
from aijri_xl.workbook.writer import workbook_bytes

__all__ = ["REFERENCE_HEADER", "task_references", "template_bytes", "template_name",
           "write_all_templates", "write_template"]

REFERENCE_HEADER = "Published reference (not an input; never scored)"

LEGEND_WHAT = (
    "Each task is an O*NET task statement, a DRAFT: keep, merge, reword or delete tasks "
    "to fit the role as it is done here. Its time share is drafted from the O*NET task "
    "type (a Core task counts twice a Supplemental or untyped one, the weighting of the "
    "GPTs-are-GPTs study) and must be confirmed or corrected; the shares must still sum "
    "to 100%. Scores, classes and rationales are yours to give.")
LEGEND_LABELS = (
    "The grey column shows, per task, its O*NET type and the exposure labels of Eloundou, "
    "Manning, Mishkin and Rock, \"GPTs are GPTs: Labor market impact potential of LLMs\", "
    "Science 384 (2024): "
    "the human annotators' label and GPT-4's, "
    + "; ".join(f"{k} {v}" for k, v in EXPOSURE_MEANING.items())
    + f"; and GPT-4's automation level (\"automation\"), {AUTOMATION_SCALE}.")
LEGEND_NOT = (
    "These labels judge what 2023-era LLM tools could feasibly do for the task; they are "
    "not measured outcomes, not forecasts and not AIJRI scores, and GPT-4's labels often "
    "disagree with the annotators'. They are a reference to set beside your own judgement: "
    "the column has no defined name, no formula reads it, and it never enters the score.")
LEGEND_SOURCES = (
    "Task statements, titles and descriptions: this workbook includes information from the "
    "O*NET database of the U.S. Department of Labor, Employment and Training Administration "
    "(USDOL/ETA), used under the CC BY 4.0 licence. O*NET® is a trademark of USDOL/ETA. "
    "aijri_xl has modified all or some of this information (selected, joined, reordered, "
    "time shares drafted); USDOL/ETA has not approved, endorsed or tested these "
    "modifications. Exposure labels: github.com/openai/GPTs-are-GPTs (MIT, Copyright (c) "
    "2024 OpenAI). See the NOTICE file of aijri_xl.")


def task_references(code: str) -> TaskReferences:
    """The reference column of an occupation's template, in draft task order."""
    occupation = get(code)
    ref = references(occupation.code)
    cells = []
    for task in ordered_tasks(occupation.code):
        cells.append(f"DRAFT {task.task_type or 'untyped'}: confirm task, time\n"
                     f"Human {task.human_exposure} · GPT-4 {task.gpt4_exposure} · "
                     f"automation {task.gpt4_automation}")
    exposure = ""
    if ref.exposure is not None:
        e = ref.exposure
        exposure = (f" The occupation's exposure in the study (beta, E1 + half of E2, as a "
                    f"share of tasks): human {e.human_beta:.2f}, GPT-4 {e.gpt4_beta:.2f}.")
    if ref.ai_applicability is not None:
        exposure += (f" Its AI applicability score in Tomlinson et al., \"Working with AI\" "
                     f"(2025, CC BY 4.0), for SOC {occupation.soc_code}: "
                     f"{ref.ai_applicability:.3f}.")
    legend = (
        (f"Drafted from O*NET {occupation.code} {occupation.title}", LEGEND_WHAT),
        ("What the grey column shows", LEGEND_LABELS + exposure),
        ("What it is not", LEGEND_NOT),
        ("Sources and attribution", LEGEND_SOURCES),
    )
    return TaskReferences(REFERENCE_HEADER, tuple(cells), legend)


def template_bytes(code: str) -> bytes:
    """The template workbook of the occupation (``29-1141.00`` or ``29-1141``)."""
    occupation = get(code)
    return workbook_bytes(draft_assessment(occupation.code),
                          references=task_references(occupation.code))


def write_template(code: str, path: str | Path) -> Path:
    path = Path(path)
    path.write_bytes(template_bytes(code))
    return path


def template_name(code: str) -> str:
    """The file name of an occupation's template: ``29-1141.00-registered-nurses.xlsx``."""
    from aijri_xl.house.reader import slug

    occupation = get(code)
    return f"{occupation.code}-{slug(occupation.title)}.xlsx"


def write_all_templates(folder: str | Path,
                        codes: Iterable[str] | None = None) -> list[Path]:
    """One template per occupation with task statements (923), or per code given, into
    ``folder`` (created if missing). Returns the paths written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    wanted = ([get(c).code for c in codes] if codes is not None
              else [o.code for o in occupations() if o.task_count])
    return [write_template(code, folder / template_name(code)) for code in wanted]
