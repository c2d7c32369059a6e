"""Profile building (grouping) and the command line, run as a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from smolny.counting import Profile, ProfileError

from .conftest import REPO, SCOTLAND


@given(arrays(np.int8, st.tuples(st.integers(1, 200), st.just(4)), elements=st.integers(0, 3)))
@settings(max_examples=100, deadline=None)
def test_grouping_keeps_every_ballot(raw: np.ndarray) -> None:
    # turn each row into a strict ranking, truncated at a random-ish length
    order = np.argsort(raw, axis=1, kind="stable").astype(np.int8)
    order[:, 2:][raw[:, :2].sum(axis=1) % 2 == 0] = -1
    p = Profile.from_rankings(list("ABCD"), order)
    assert p.total == order.shape[0]
    counts: dict[tuple[int, ...], int] = {}
    for row in order.tolist():
        key = tuple(c for c in row if c >= 0)
        counts[key] = counts.get(key, 0) + 1
    got = {tuple(c for (c,) in ranks): w for w, ranks in p.ballots()}
    assert got == counts


@pytest.mark.parametrize(
    ("rows", "message"),
    [([[0, 0, -1]], "twice"), ([[0, -1, 1]], "after its end"), ([[0, 5, -1]], "does not exist")],
)
def test_bad_rankings_are_refused(rows: list[list[int]], message: str) -> None:
    with pytest.raises(ProfileError, match=message):
        Profile.from_rankings(list("ABC"), np.array(rows, dtype=np.int8))


WARD = SCOTLAND / "aberdeen_2017_ward1.blt"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "smolny.counting", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )


def test_cli_json_has_the_documented_fields() -> None:
    out = run(str(WARD), "--method", "scottish-stv", "--format", "json", "--seed", "5")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["method"] == "scottish-stv" and doc["seats"] == 4 and doc["seed"] == "5"
    assert doc["candidates"][0] == "Barney CROCKETT (Lab)"
    assert set(doc["elected"]) == {5, 4, 1, 7}
    s2 = doc["stages"][1]
    assert s2["action"]["kind"] == "surplus" and s2["action"]["candidates"] == [5]
    assert s2["totals"]["1"] == "806.07214" and s2["totals"]["5"] == "1322.00000"
    for s in doc["stages"]:
        assert set(s) >= {"stage", "action", "totals", "non_transferable"}


def test_cli_html_has_the_stage_table_and_an_svg_chart() -> None:
    out = run(str(WARD), "--method", "scottish-stv", "--format", "html", "--seed", "5")
    assert out.returncode == 0
    assert "<table>" in out.stdout and "<svg" in out.stdout and "<script" not in out.stdout
    assert "Surplus of Avril MACKENZIE (Con)" in out.stdout


@pytest.mark.parametrize(
    "method", ["meek-stv", "schulze", "approval", "plurality", "dhondt", "sainte-lague"]
)
def test_cli_runs_every_method(method: str) -> None:
    out = run(str(WARD), "--method", method, "--seed", "1")
    assert out.returncode == 0, out.stderr
    assert "Elected:" in out.stdout


def test_cli_refuses_bad_input_with_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.blt"
    bad.write_text('2 1\n1 1 3 0\n0\n"A"\n"B"\n')
    out = run(str(bad), "--method", "scottish-stv")
    assert out.returncode == 2 and out.stdout == ""
    assert "bad.blt:2:" in out.stderr and "candidate 3 does not exist" in out.stderr
    assert run(str(WARD), "--method", "irv", "--seats", "2").returncode == 2  # IRV: one seat
    assert run(str(WARD), "--method", "nonsense").returncode == 2


def test_weighted_and_wide_integer_rankings_group_the_same_as_raw_ballots() -> None:
    raw = np.array([[0, 1, -1], [2, -1, -1], [0, 1, -1], [1, 0, 2]], dtype=np.int8)
    fast = Profile.from_rankings(list("ABC"), raw)
    wide = Profile.from_rankings(list("ABC"), raw.astype(np.int64))
    weighted = Profile.from_rankings(list("ABC"), raw[[0, 1, 3]], weights=[2, 1, 1])
    assert sorted(fast.ballots()) == sorted(wide.ballots()) == sorted(weighted.ballots())
    assert fast.total == weighted.total == 4
