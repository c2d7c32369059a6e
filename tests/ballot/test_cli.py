"""A whole election through the command line, as trustees and voters would run it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smolny.ballot.cli import main

from .conftest import MANIFEST

VOTES = {
    "alice": ["motion-4=yes", "secretary=ana", "budget=press,hall"],
    "bob": ["motion-4=no", "secretary=boris", "budget="],
    "charlie": ["motion-4=yes", "secretary=chen", "budget=archive"],
    "dora": ["motion-4=abstain", "secretary=ana", "budget=press,travel"],
    "emil": ["motion-4=yes", "secretary=ana", "budget=press"],
}


def run(*argv: str) -> int:
    return main(list(argv))


def cast(root: Path, keys: Path, who: str, votes: list[str], *extra: str) -> None:
    args = [x for v in votes for x in ("--choose", v)]
    assert (
        run("ballot", "cast", str(root), "--credential", str(keys / f"{who}.cred"), *args, *extra)
        == 0
    )


@pytest.fixture
def cli_election(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path]:
    """GIVEN 3 trustees (threshold 2) and five voters; WHEN all vote, Emil re-votes, Dora audits
    one ballot first, and Rosa and Clara decrypt; THEN a complete election directory."""
    root, keys = tmp_path / "election", tmp_path / "keys"
    keys.mkdir()
    (tmp_path / "manifest.json").write_text(json.dumps(MANIFEST, indent=2))
    assert run("election", "create", str(root), "--manifest", str(tmp_path / "manifest.json")) == 0
    for step in ("init", "commit", "share", "finish"):
        for i in (1, 2, 3):
            extra = ["--index", str(i)] if step == "init" else []
            assert run("trustee", step, str(root), *extra, "--key", str(keys / f"t{i}.key")) == 0
    assert run("election", "seal", str(root)) == 0
    for who in VOTES:
        assert (
            run("voter", "init", "--credential", str(keys / f"{who}.cred"), "--register", str(root))
            == 0
        )
    cast(root, keys, "dora", ["motion-4=no", "secretary=chen", "budget="], "--audit")
    for who, votes in VOTES.items():
        cast(root, keys, who, votes)
    cast(root, keys, "emil", ["motion-4=no", "secretary=boris", "budget=hall"])
    assert run("election", "tally", str(root), "--workers", "1") == 0
    assert run("trustee", "decrypt", str(root), "--key", str(keys / "t1.key")) == 0
    assert run("trustee", "decrypt", str(root), "--key", str(keys / "t3.key")) == 0
    assert run("election", "result", str(root)) == 0
    capsys.readouterr()
    return root, keys


def test_a_whole_election_through_the_cli_verifies(
    cli_election: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root, _ = cli_election
    assert run("verify-election", str(root)) == 0
    out = capsys.readouterr().out
    assert "OK: 6 ballots, 5 counted" in out
    assert "motion-4: [2, 2, 1]" in out
    assert "secretary: [2, 2, 1]" in out
    assert "budget: [2, 2, 1, 1]" in out
    result = json.loads((root / "result.json").read_text())
    assert result["trustees"] == [1, 3]
    assert sorted(p.name for p in (root / "decryptions").iterdir()) == ["1.json", "3.json"]


def test_the_audited_ballot_opens_to_what_dora_chose(
    cli_election: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root, _ = cli_election
    (audit,) = (root / "audits").iterdir()
    assert run("ballot", "open-audit", str(root), str(audit)) == 0
    assert capsys.readouterr().out.splitlines() == [
        "motion-4: no",
        "secretary: chen",
        "budget: (none)",
    ]


def test_one_changed_byte_in_a_stored_ballot_is_named(
    cli_election: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root, _ = cli_election
    path = root / "ballots" / "00000004.json"
    data = bytearray(path.read_bytes())
    at = data.index(b'"proofs":[{"c":["') + 20
    data[at] = ord("a") if data[at] != ord("a") else ord("b")
    path.write_bytes(bytes(data))
    assert run("verify-election", str(root)) == 1
    out = capsys.readouterr().out
    assert "FAIL [ballots] ballots/00000004.json: bad-signature" in out
    assert "00000001" not in out and "00000002" not in out


def test_a_trustee_cannot_overwrite_its_key(
    cli_election: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root, keys = cli_election
    assert run("trustee", "init", str(root), "--index", "1", "--key", str(keys / "t1.key")) == 2
    assert "refusing to overwrite" in capsys.readouterr().err


def test_an_over_vote_is_refused_at_the_cli(
    cli_election: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root, keys = cli_election
    before = sorted((root / "ballots").iterdir())
    code = run(
        "ballot",
        "cast",
        str(root),
        "--credential",
        str(keys / "bob.cred"),
        "--choose",
        "motion-4=yes,no",
        "--choose",
        "secretary=ana",
    )
    assert code == 2
    assert "over-vote: contest motion-4: 2 selections, allowed 1..1" in capsys.readouterr().err
    assert sorted((root / "ballots").iterdir()) == before
