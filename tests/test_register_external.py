"""External calibration in the register: published exposure per assessment, the rank
correlations, the AIJ-R504 rule, and the same in the JSON, CSV and workbook."""

from __future__ import annotations

import csv
import json
import random
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from aijri_xl import score
from aijri_xl.method.findings import CODES
from aijri_xl.method.model import Assessment
from aijri_xl.occupations import draft_assessment, exposure_frame
from aijri_xl.registry import build_register, write_register
from aijri_xl.registry import external as ext
from aijri_xl.sources.assessment_file import write_assessment

# --------------------------------------------------------------------------- the statistics


@pytest.mark.parametrize("seed", range(8))
def test_spearman_equals_pearson_of_pandas_ranks(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(3, 40)
    xs = [rng.choice([0.1, 0.2, 0.2, 0.5, rng.random()]) for _ in range(n)]
    ys = [round(rng.uniform(0, 100), 0) for _ in range(n)]
    # pandas' tie-averaged ranks and Pearson's r (its "spearman" method needs scipy)
    expected = pd.Series(xs).rank().corr(pd.Series(ys).rank())
    got = ext.spearman(xs, ys)
    if pd.isna(expected):
        assert got is None
    else:
        assert got == pytest.approx(expected, abs=1e-12)


def test_spearman_needs_three_pairs_and_variation() -> None:
    assert ext.spearman([0.1, 0.2], [3, 4]) is None
    assert ext.spearman([0.1, 0.1, 0.1], [1, 2, 3]) is None
    assert ext.spearman([1, 2, 3], [3, 2, 1]) == pytest.approx(-1)


def _line(n: int, rng: random.Random) -> tuple[list[float], list[float]]:
    """Scores falling with exposure, with a few points of noise."""
    xs = [i / n for i in range(n)]
    return xs, [80 - 50 * x + rng.uniform(-4, 4) for x in xs]


def test_a_planted_outlier_is_the_one_placement_flagged() -> None:
    xs, ys = _line(30, random.Random(1))
    ys[20] += 35  # far above its peers of similar exposure
    placements = ext.place(xs, ys)
    assert [i for i, p in enumerate(placements) if p.flagged] == [20]
    p = placements[20]
    assert p.residual > ext.MIN_GAP and p.residual > ext.THRESHOLD * p.spread
    assert 20 not in p.peers and len(p.peers) == ext.PEERS


def test_no_outlier_no_flag_and_small_registers_are_never_flagged() -> None:
    xs, ys = _line(30, random.Random(2))
    assert not any(p.flagged for p in ext.place(xs, ys))
    xs, ys = _line(ext.MIN_FOR_FLAG - 1, random.Random(3))
    ys[4] += 60
    assert not any(p.flagged for p in ext.place(xs, ys))
    assert ext.place([0.5], [50]) == []


def test_the_rule_is_robust_to_the_outlier_itself() -> None:
    """Medians: the outlier moves neither its neighbours' expectations nor the spread."""
    xs, ys = _line(30, random.Random(4))
    before = ext.place(xs, ys)
    ys[20] += 35
    after = ext.place(xs, ys)
    moved = [abs(a.peer_median - b.peer_median) for a, b in zip(after, before, strict=True)]
    # one of seven peers moved by 35 points: a median moves by at most one order statistic
    assert max(moved) < 35 / 4
    assert after[0].spread == pytest.approx(before[0].spread, rel=0.35)


def test_the_code_table_states_the_rule_s_numbers() -> None:
    rule = CODES["AIJ-R504"].rule
    numbers = [float(n) for n in re.findall(r"(?<![-\w])\d+(?:\.\d+)?\b", rule)]
    assert numbers[:4] == [ext.THRESHOLD, ext.MIN_GAP, ext.PEERS, ext.MIN_FOR_FLAG]
    assert CODES["AIJ-R504"].severity == "warning"


# --------------------------------------------------------------------------- the register


def _scored(code: str, level: float, evidence: int = 0) -> Assessment:
    """The occupation's draft scored at ``level`` (1..5): task scores spread so that their
    mean is close to it (a smooth, not a stepped, relation to exposure)."""
    a = draft_assessment(code)
    a.assessor = "T. Tester"
    a.assessment_date = "2026-01-15"
    n = len(a.tasks)
    for k, t in enumerate(a.tasks):
        t.score = max(1, min(5, int(level + (k + 0.5) / n)))
        t.task_class = ("NOT INVOLVED" if t.score == 1 else
                        "AUGMENTATION" if t.score <= 3 else "DISPLACEMENT")
    for block in (a.protective, a.barriers):
        for item in block.values():
            item.score = 1
    for item in a.evidence.values():
        item.score = evidence
    a.growth.correlation = 0
    return a


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Eighteen occupations across the exposure range, scored the way their exposure
    suggests (more exposed, higher task scores), and one planted outlier: a highly
    exposed occupation scored as if AI were not involved at all. Plus one assessment
    with a code the data does not hold."""
    frame = exposure_frame()
    frame = frame[frame["task_count"] > 0].copy()
    frame["exposure"] = (frame["gpt4_beta"] + frame["human_beta"]) / 2
    frame = frame.sort_values(["exposure", "code"]).reset_index(drop=True)
    picks = [frame.iloc[round(i * (len(frame) - 1) / 17)] for i in range(18)]
    folder = tmp_path_factory.mktemp("external")
    for row in picks:
        level = 1 + 4 * row["exposure"]
        write_assessment(_scored(row["code"], level), folder / f"{row['code']}.yaml")
    exposed = picks[-2]["code"]
    outlier = _scored(exposed, 1, evidence=2)
    outlier.role.title = "Planted outlier"
    outlier.role.id = "planted-outlier"
    write_assessment(outlier, folder / "outlier.yaml")
    unknown = _scored(picks[5]["code"], 3)
    unknown.role.occupation_code = "99-9999.00"
    unknown.role.title = "Unknown code"
    write_assessment(unknown, folder / "unknown.yaml")
    return folder, exposed


def test_the_flag_fires_on_the_planted_outlier_only(portfolio: tuple[Path, str]) -> None:
    folder, exposed = portfolio
    reg = build_register([folder], jobs=1)
    flagged = [f for f in reg.flags if f.code == "AIJ-R504"]
    assert [f.role for f in flagged] == ["Planted outlier"]
    assert f"its occupation {exposed}" in flagged[0].message
    assert "a prompt to review" in flagged[0].message
    assert flagged[0].severity == "warning"
    row = next(r for r in reg.rows if r.role == "Planted outlier")
    assert row.external["residual"] > ext.MIN_GAP


def test_the_register_carries_the_figures_and_the_correlations(
        portfolio: tuple[Path, str]) -> None:
    folder, _ = portfolio
    reg = build_register([folder], jobs=1)
    frame = reg.frame()
    for column in ext.EXTERNAL_FIELDS:
        assert column in frame.columns
    rn = frame[frame["role"] != "Unknown code"]
    assert rn["gpt4_beta"].notna().all() and rn["human_beta"].notna().all()
    unknown = frame[frame["role"] == "Unknown code"].iloc[0]
    assert unknown["occupation_code"] == "99-9999.00" and pd.isna(unknown["gpt4_beta"])
    for name, _ in [("gpt4_beta", 0), ("human_beta", 0)]:
        c = reg.correlations[name]
        assert c["n"] == 19 and c["rho"] < -0.5  # more exposure, lower resilience score
    row = next(r for r in reg.rows if r.role == "Planted outlier")
    assert row.final_score == score(_scored(row.occupation_code, 1, 2)).final_score


def test_json_and_csv_carry_the_calibration(portfolio: tuple[Path, str], tmp_path: Path) -> None:
    folder, _ = portfolio
    reg = build_register([folder], jobs=1)
    (path,) = write_register(reg, tmp_path / "r.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    external = data["external_calibration"]
    assert "AIJ-R504" in external["rule"]
    assert external["correlations"] == reg.correlations
    flagged = [r for r in external["rows"] if r["flagged"]]
    assert [r["role"] for r in flagged] == ["Planted outlier"]
    assert data["counts"]["flags"]["AIJ-R504"] == 1
    rows_path, _ = write_register(reg, tmp_path / "r.csv")
    with open(rows_path, newline="", encoding="utf-8") as handle:
        assert handle.readline().startswith("# aijri-register:")  # the mark
        rows = list(csv.DictReader(handle))
    outlier = next(r for r in rows if r["role"] == "Planted outlier")
    assert "AIJ-R504" in outlier["flags"] and float(outlier["gpt4_beta"]) > 0


def test_the_workbook_has_the_external_sheet_and_three_scatter_charts(
        portfolio: tuple[Path, str], tmp_path: Path) -> None:
    folder, _ = portfolio
    reg = build_register([folder], jobs=1)
    (path,) = write_register(reg, tmp_path / "r.xlsx")
    ws = openpyxl.load_workbook(path)["External"]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Planted outlier" in texts and "AIJ-R504" in texts
    assert any("GPTs-are-GPTs" in t for t in texts) and any("O*NET" in t for t in texts)
    with zipfile.ZipFile(path) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    scatter = [c for c in charts if "<c:scatterChart>" in c]
    assert len(scatter) == 3
    assert all("AIJ-R504 (review)" in c for c in scatter[:2])  # the ringed outlier series
