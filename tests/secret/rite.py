"""Helpers for secret-ballot scenes: trustees and voters acting with the real library.

The trustees of a scene are ``karl`` (1), ``ivan`` (2) and ``olga`` (3), threshold 2; each keeps
a ``TrusteeKey`` the server never sees.  Voters hold Ed25519 credentials made here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import nacl.signing

from smolny.ballot import (
    TrusteeKey,
    ceremony_rounds,
    encrypt_ballot,
    parse_election,
    parse_manifest,
    partial_decrypt,
    trustee_init,
)
from smolny.ballot.tally import tally_hash
from smolny.constitution import State
from smolny.constitution import commands as c
from smolny.store import clock

TRUSTEES = ("karl", "ivan", "olga")


def credential(seed_byte: int) -> nacl.signing.SigningKey:
    return nacl.signing.SigningKey(bytes([seed_byte]) * 32)


def ceremony(
    state: Callable[[], State], do: Callable[[c.Command], Any], subject: str
) -> dict[int, TrusteeKey]:
    """Run the key ceremony of ``subject``: each trustee uploads each document in turn."""
    sb = state().secret[subject]
    rounds = ceremony_rounds(
        parse_manifest(sb.manifest), sb.trustees, lambda: state().secret[subject].documents
    )
    while True:
        try:
            _, _, who, document = next(rounds)
        except StopIteration as done:
            keys: dict[int, TrusteeKey] = done.value
            return keys
        do(c.UploadTrusteeDocument(who, subject, document))


def ballot(
    state: State,
    subject: str,
    key: nacl.signing.SigningKey,
    chosen: Sequence[str],
    seq: int = 1,
    *,
    check: bool = True,
) -> dict[str, Any]:
    sb = state.secret[subject]
    election = parse_election(sb.election)
    contest = election.manifest.contests[0].id
    return encrypt_ballot(election, key, seq, {contest: list(chosen)}, _check=check).ballot


def decryption(state: State, subject: str, key: TrusteeKey) -> dict[str, Any]:
    sb = state.secret[subject]
    assert sb.tally is not None
    return partial_decrypt(parse_election(sb.election), key, sb.tally, tally_hash(sb.tally))


def register(do: Callable[[c.Command], Any], voters: Mapping[str, nacl.signing.SigningKey]) -> None:
    for who, key in voters.items():
        do(c.RegisterCredential(who, bytes(key.verify_key).hex()))


def secret_motion(do: Callable[[c.Command], Any], state: Callable[[], State]) -> str:
    """clara's secret motion in the Dockers (trustees ``TRUSTEES``, threshold 2), co-sponsored
    by leo onto the agenda; an hour later its vote opens and vera publishes its manifest, so the
    trustees may begin.  Returns the motion's id."""
    do(c.FileMotion("clara", "C3", "Strike fund", "We raise dues.", None, "secret", TRUSTEES, 2))
    motion = f"MO{state().counters['MO']}"
    do(c.CoSponsor("leo", motion))
    clock.advance(hours=1)
    do(c.PublishManifest("vera", motion))
    return motion


def stalled_election(
    do: Callable[[c.Command], Any], state: Callable[[], State], office: str, method: str
) -> str:
    """A secret election of the Dockers' ``office`` whose key ceremony stalls: karl and olga
    upload their identities, ivan nothing, and the clock passes the time voting was to close.
    Returns the election's id (closing it now makes it void)."""
    do(c.CallElection("clara", "C3", "office", office, method, "secret", TRUSTEES, 2))
    election = f"E{state().counters['E']}"
    do(c.Nominate("clara", election, "clara"))
    clock.advance(hours=1)
    do(c.PublishManifest("vera", election))
    manifest = parse_manifest(state().secret[election].manifest)
    for index in (1, 3):
        _, identity = trustee_init(manifest, index)
        do(c.UploadTrusteeDocument(TRUSTEES[index - 1], election, identity))
    clock.advance(hours=2)
    return election
