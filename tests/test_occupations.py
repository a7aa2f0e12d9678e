"""aijri_xl.occupations: search, look-up, references, drafts, frames and ``aijri roles``."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys

import pytest

from aijri_xl import occupations
from aijri_xl.method.rules import check

# --------------------------------------------------------------------------- look-up


def test_get_accepts_onet_and_six_digit_codes() -> None:
    rn = occupations.get("29-1141.00")
    assert (rn.code, rn.title, rn.soc_code) == ("29-1141.00", "Registered Nurses", "29-1141")
    assert occupations.get("29-1141") == rn
    assert occupations.get(" 29-1141.00 ") == rn
    assert rn.task_count == len(occupations.tasks(rn.code)) > 0
    assert rn.description.startswith("Assess patient health problems")


@pytest.mark.parametrize("code", ["99-9999.00", "29-1141.99", "nurse", "", "29-114"])
def test_get_names_an_unknown_code(code: str) -> None:
    with pytest.raises(occupations.OccupationError, match="no O\\*NET-SOC occupation"):
        occupations.get(code)


def test_an_unknown_code_names_the_codes_under_its_six_digits() -> None:
    with pytest.raises(occupations.OccupationError, match=r"codes under 29-1141: 29-1141\.00, "
                       r"29-1141\.01, 29-1141\.02, 29-1141\.03, 29-1141\.04"):
        occupations.get("29-1141.07")


def test_every_occupation_is_listed_once_by_code() -> None:
    listed = occupations.occupations()
    codes = [o.code for o in listed]
    assert codes == sorted(set(codes)) and len(codes) == 1016
    assert sum(o.task_count for o in listed) == 19265
    assert sum(o.task_count > 0 for o in listed) == 923


def test_tasks_carry_their_type_and_labels() -> None:
    tasks = occupations.tasks("29-1141.00")
    assert all(t.task_type in ("Core", "Supplemental", None) for t in tasks)
    assert all(t.human_exposure in ("E0", "E1", "E2") and t.gpt4_exposure in ("E0", "E1", "E2")
               and t.gpt4_automation in ("T0", "T1", "T2", "T3", "T4") for t in tasks)
    assert len({t.id for t in tasks}) == len(tasks)
    untyped = [o for o in occupations.occupations()
               if any(t.task_type is None for t in occupations.tasks(o.code))]
    assert untyped, "the data has 1,312 untyped statements; None must represent them"


def test_references_match_the_published_figures() -> None:
    ref = occupations.references("11-1011.00")  # the first row of occ_level.csv
    assert ref.occupation.title == "Chief Executives"
    assert ref.exposure == occupations.Exposure(0.1, 0.46, 0.8200000000000001, 0.18, 0.35, 0.52)
    assert ref.ai_applicability == pytest.approx(0.155502898114603)
    assert ref.tasks[0].id == 8823 and ref.tasks[0].human_exposure == "E0"
    assert (ref.tasks[0].gpt4_exposure, ref.tasks[0].gpt4_automation) == ("E2", "T2")


def test_applicability_is_joined_by_the_six_digit_code() -> None:
    acute = occupations.references("29-1141.01")
    assert acute.ai_applicability == occupations.references("29-1141.00").ai_applicability
    assert acute.ai_applicability is not None


def test_an_occupation_without_tasks_has_no_exposure() -> None:
    empty = next(o for o in occupations.occupations() if o.task_count == 0)
    ref = occupations.references(empty.code)
    assert ref.tasks == () and ref.exposure is None


def test_data_info_names_the_sources() -> None:
    info = occupations.data_info()
    assert info["format_version"] == occupations.FORMAT_VERSION
    assert [s["file"] for s in info["sources"]] == [
        "occupation_data.tsv", "task_statements.tsv", "task_exposure_labels.tsv",
        "occupation_exposure_gpts_are_gpts.csv", "soc_ai_applicability_working_with_ai.csv"]
    assert info["task_statements"] == 19265


# --------------------------------------------------------------------------- search


_NURSING = re.compile(r"\bnurs(e|es|ing)\b", re.I)  # not "Nursery"


def _nursing(found: list[occupations.Occupation]) -> list[str]:
    return [o.code for o in found if _NURSING.search(o.title)]


def test_nurse_finds_registered_nurses_first() -> None:
    hits = occupations.search("nurse")
    assert hits[0].code == "29-1141.00"
    assert _nursing(hits)[0] == "29-1141.00"
    # every nursing occupation is found, and the nurses rank above the nursing assistants
    every = set(_nursing(occupations.occupations()))
    assert every <= {o.code for o in occupations.search("nurse", limit=None)}
    codes = [o.code for o in hits]
    assert codes.index("29-1141.00") < codes.index("31-1131.00")


@pytest.mark.parametrize(("query", "code"), [
    ("software developer", "15-1252.00"),
    ("Software Developers", "15-1252.00"),
    ("data scientist", "15-2051.00"),
    ("lawyer", "23-1011.00"),
    ("electrician", "47-2111.00"),
    ("chief executive", "11-1011.00"),
    ("cashier", "41-2011.00"),
    ("graphic designer", "27-1024.00"),
    ("nursing assistant", "31-1131.00"),
    ("database administrator", "15-1242.00"),
    ("customer service representative", "43-4051.00"),
    ("construction laborers", "47-2061.00"),
    ("registered nurse", "29-1141.00"),
])
def test_search_puts_the_named_occupation_first(query: str, code: str) -> None:
    assert occupations.search(query)[0].code == code


def test_every_title_finds_itself_first() -> None:
    """The ranking is general: each occupation's own title, searched, gives it first (or
    tied in words with an occupation of the same title words)."""
    rng = random.Random(14)
    sample = rng.sample(occupations.occupations(), 150)
    misses = []
    for o in sample:
        first = occupations.search(o.title, limit=1)[0]
        if first.code != o.code:
            misses.append((o.title, first.title))
    assert not misses, misses


def test_search_by_code_lists_the_occupations_under_it() -> None:
    assert [o.code for o in occupations.search("29-1141.00")] == ["29-1141.00"]
    under = [o.code for o in occupations.search("29-1141")]
    assert under[0] == "29-1141.00" and len(under) == 5
    assert all(c.startswith("29-11") for c in (o.code for o in occupations.search("29-11")))
    assert occupations.search("99-9") == []


def test_search_without_words_finds_nothing() -> None:
    assert occupations.search("") == []
    assert occupations.search("the and of") == []
    assert occupations.search("zzqxv") == []


def test_stemming_joins_inflections() -> None:
    stem = occupations._stem
    assert stem("nurse") == stem("nurses") == stem("nursing")
    assert stem("program") == stem("programming") == stem("programmed")
    assert stem("secretaries") == stem("secretary")


# --------------------------------------------------------------------------- find


def test_find_takes_a_code_or_a_unique_title() -> None:
    assert occupations.find("29-1141").code == "29-1141.00"
    assert occupations.find("registered nurse").code == "29-1141.00"
    assert occupations.find("  Critical  Care Nurses ").code == "29-1141.03"


def test_find_lists_the_candidates_of_an_ambiguous_title() -> None:
    with pytest.raises(occupations.AmbiguousOccupation) as caught:
        occupations.find("nurse")
    assert "29-1141.00 Registered Nurses" in str(caught.value)
    assert len(caught.value.candidates) > 1
    assert all(_NURSING.search(o.title) for o in caught.value.candidates)


def test_find_refuses_an_unknown_title_with_the_nearest() -> None:
    with pytest.raises(occupations.OccupationError, match="no occupation is titled"):
        occupations.find("zzqxv")
    with pytest.raises(occupations.OccupationError, match=r"nearest by search: .*Cooks"):
        occupations.find("cooking wizard")


# --------------------------------------------------------------------------- drafts


@pytest.mark.parametrize("types", [
    ["Core"] * 7, ["Core"] * 3 + ["Supplemental"] * 4, ["Core"] * 30 + ["Supplemental"] * 10,
    [None], ["Supplemental", None, "Core"], ["Core"] * 40,
])
def test_draft_time_shares_sum_to_exactly_100_in_tenths(types: list[str | None]) -> None:
    shares = occupations.draft_time_shares(types)
    tenths = [round(s * 1000) for s in shares]
    assert [t / 1000 for t in tenths] == shares  # whole tenths of a percent, shown exactly
    assert sum(tenths) == 1000
    weights = [2 if t == "Core" else 1 for t in types]
    for share, w in zip(shares, weights, strict=True):
        assert abs(share - w / sum(weights)) <= 0.001


def test_draft_shares_favour_core_tasks() -> None:
    shares = occupations.draft_time_shares(["Core", "Core", "Supplemental"])
    assert shares == [0.4, 0.4, 0.2]
    assert occupations.draft_time_shares([]) == []


def test_every_occupation_drafts_a_valid_unscored_assessment() -> None:
    for o in occupations.occupations():
        if not o.task_count:
            continue
        draft = occupations.draft_assessment(o.code)
        assert draft.role.title == o.title
        assert draft.role.primary_function == o.description
        assert draft.role.occupation_code == o.code
        assert [t.name for t in draft.tasks] == [t.text for t in occupations.ordered_tasks(o.code)]
        assert all(t.score is None and t.task_class is None and not t.rationale
                   for t in draft.tasks)
        assert sum(round(t.time * 1000) for t in draft.tasks if t.time) == 1000
        codes = {f.code for f in check(draft) if f.field and f.field.endswith(".time")}
        assert not codes, (o.code, codes)


def test_drafts_put_core_tasks_first() -> None:
    ordered = occupations.ordered_tasks("29-1141.00")
    kinds = [t.task_type or "" for t in ordered]
    assert kinds == sorted(kinds, key=occupations.TASK_TYPE_ORDER.index)
    assert "Supplemental" in kinds and kinds[0] == "Core"


# --------------------------------------------------------------------------- frames


def test_frames() -> None:
    frame = occupations.occupations_frame()
    assert len(frame) == 1016
    assert list(frame.columns[:5]) == ["code", "soc_code", "title", "description", "task_count"]
    rn = frame.set_index("code").loc["29-1141.00"]
    assert rn["gpt4_beta"] == occupations.references("29-1141.00").exposure.gpt4_beta
    assert len(occupations.exposure_frame()) == 923
    tasks = occupations.tasks_frame("29-1141")
    assert len(tasks) == occupations.get("29-1141.00").task_count
    assert set(tasks["gpt4_exposure"]) <= {"E0", "E1", "E2"}
    assert len(occupations.tasks_frame()) == 19265


# --------------------------------------------------------------------------- the CLI


def _aijri(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "aijri_xl", *args], capture_output=True,
                          text=True)


def test_cli_roles_search_nurse_lists_registered_nurses_first() -> None:
    proc = _aijri("roles", "--search", "nurse")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.split() == ["code", "title", "tasks"])
    rows = lines[header + 1:]
    assert rows[0].split()[:3] == ["29-1141.00", "Registered", "Nurses"]
    assert rows[0].split()[-1] == str(occupations.get("29-1141.00").task_count)
    assert len(rows) == 20


def test_cli_roles_search_by_code_and_limit() -> None:
    proc = _aijri("roles", "--search", "29-1141", "--limit", "2")
    rows = proc.stdout.splitlines()[2:]
    assert [r.split()[0] for r in rows] == ["29-1141.00", "29-1141.01"]


def test_cli_roles_search_lists_catalogue_roles_with_their_codes() -> None:
    proc = _aijri("roles", "--search", "system architect")
    assert proc.returncode == 0
    assert "system-architect  System Architect  15-1299.08" in proc.stdout
    assert proc.stdout.index("Catalogue roles") < proc.stdout.index("O*NET occupations")


def test_cli_roles_search_without_a_match_exits_1() -> None:
    proc = _aijri("roles", "--search", "zzqxv")
    assert proc.returncode == 1 and "no O*NET occupation matches 'zzqxv'" in proc.stderr


def test_cli_roles_json_includes_the_occupations() -> None:
    proc = _aijri("roles", "--json")
    data = json.loads(proc.stdout)
    assert len(data["occupations"]) == 1016
    assert data["occupations"][0] == {"code": "11-1011.00", "title": "Chief Executives",
                                      "tasks": 31}
    searched = json.loads(_aijri("roles", "--search", "nurse", "--json").stdout)
    assert searched["occupations"][0]["code"] == "29-1141.00"
    assert searched["catalogue"] == []


def test_catalogue_occupation_codes_are_real_occupations() -> None:
    from aijri_xl import catalogue

    coded = 0
    for r in catalogue.roles():
        code = catalogue.draft_assessment(r.id).role.occupation_code
        if code is not None:
            coded += 1
            assert occupations.normalise_code(code) == code, (r.id, code)
    assert coded >= 10
