"""Encrypted ballots: exponential ElGamal, validity proofs, voter signatures, trackers, audits.

Each option is encrypted as (r·G, v·G + r·H) with v ∈ {0, 1} under the election key H
(exponential ElGamal, so ciphertexts add up to an encryption of the count).  Each ciphertext
carries a Cramer–Damgård–Schoenmakers disjunctive proof that v ∈ {0, 1}; the contest carries one
more that the number of selections lies in [min, max] (omitted only when every count 0..n is
allowed, as in approval voting, where it would prove nothing).  See :mod:`smolny.ballot.proofs`
for the strong Fiat–Shamir transcript: every challenge covers the election fingerprint, the
voter's credential, the ballot's sequence number, the contest and option, and a digest of every
ciphertext of the ballot.

The voter signs the ballot with her Ed25519 credential, registered on the election's roll, so
the server cannot stuff ballots; she may cast again with a higher ``seq`` and only her highest
counts.  The *tracker* is SHA-256 of the signed ballot's canonical bytes: she keeps it and finds
it in the published tally.  Benaloh's cast-or-audit: before casting she may instead *audit* the
encrypted ballot, which reveals the randomness r of every ciphertext; :func:`open_audit` lets
anyone check the ciphertexts against it and read the choices, so a device that cheats on any
ballot risks being caught on the ones its voter chose to audit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import nacl.signing

from smolny.ballot import group as g
from smolny.ballot.election import (
    BallotError,
    Contest,
    Election,
    canonical_bytes,
    check_signature,
    elem,
    scal,
    sign_document,
    unhex,
)
from smolny.ballot.proofs import Nonces, OrProof, lp, prove_or, u64, verify_or

Ciphertext = tuple[bytes, bytes]
TAG_OPTION = "ballot/option-0-or-1"
TAG_COUNT = "ballot/selection-count"


def encrypt(key: bytes, v: int, r: bytes) -> Ciphertext:
    rh = g.mul(r, key)
    return g.base_mul(r), (g.add(g.small_multiple(v), rh) if v else rh)


def statement_digest(contests: Sequence[tuple[str, Sequence[Ciphertext]]]) -> bytes:
    """SHA-512 over every ciphertext of the ballot, length-prefixed, in manifest order."""
    h = hashlib.sha512()
    for cid, cts in contests:
        h.update(lp(cid.encode()))
        h.update(lp(u64(len(cts))))
        for a, b in cts:
            h.update(lp(a))
            h.update(lp(b))
    return h.digest()


def _context(election: Election, voter: bytes, seq: int, cid: str, digest: bytes) -> list[bytes]:
    return [election.fingerprint, voter, u64(seq), cid.encode(), digest]


def _sum(cts: Sequence[Ciphertext]) -> Ciphertext:
    a, b = cts[0]
    for x, y in cts[1:]:
        a, b = g.add(a, x), g.add(b, y)
    return a, b


def _selections(contest: Contest, chosen: Sequence[str] | Sequence[int], check: bool) -> list[int]:
    names = list(chosen)
    if names and all(isinstance(x, int) for x in names):
        votes = [x for x in names if isinstance(x, int)]
        if len(votes) != len(contest.options) or (check and set(votes) - {0, 1}):
            raise BallotError("bad-choice", f"contest {contest.id}: need one 0/1 per option")
    else:
        unknown = [x for x in names if x not in contest.options]
        if unknown:
            raise BallotError("unknown-option", f"contest {contest.id}: no option {unknown[0]!r}")
        if len(set(names)) != len(names):
            raise BallotError("duplicate-option", f"contest {contest.id}: option chosen twice")
        votes = [1 if o in names else 0 for o in contest.options]
    if check and not contest.min <= sum(votes) <= contest.max:
        raise BallotError(
            "over-vote" if sum(votes) > contest.max else "under-vote",
            f"contest {contest.id}: {sum(votes)} selections, allowed {contest.min}..{contest.max}",
        )
    return votes


@dataclass(frozen=True, slots=True)
class Cast:
    """A freshly encrypted ballot: the signed document and the secrets an audit would reveal."""

    ballot: dict[str, Any]
    randomness: dict[str, list[str]]
    tracker: str

    def audit_document(self) -> dict[str, Any]:
        return {"type": "smolny-ballot-audit", "ballot": self.ballot, "randomness": self.randomness}


def encrypt_ballot(
    election: Election,
    credential: nacl.signing.SigningKey,
    seq: int,
    choices: Mapping[str, Sequence[str] | Sequence[int]],
    seed: bytes | None = None,
    *,
    _check: bool = True,
) -> Cast:
    """Encrypt, prove and sign a ballot.  ``choices`` maps contest id to chosen option names
    (or to a full 0/1 vector).  ``seed`` fixes the randomness (tests and cross-language vectors
    only); ``_check=False`` lets tests build an over-vote whose count proof must fail."""
    if not isinstance(seq, int) or not 1 <= seq < 2**53:
        raise BallotError("bad-seq", "seq must be a positive integer")
    extra = set(choices) - {c.id for c in election.manifest.contests}
    if extra:
        raise BallotError("unknown-contest", f"no contest {sorted(extra)[0]!r}")
    nonces = Nonces(seed)
    voter = bytes(credential.verify_key)
    key = election.public_key
    plan: list[tuple[Contest, list[int], list[bytes], list[Ciphertext]]] = []
    for contest in election.manifest.contests:
        votes = _selections(contest, choices.get(contest.id, ()), _check)
        rs = [nonces.scalar(contest.id, str(i), "r") for i in range(len(votes))]
        plan.append(
            (contest, votes, rs, [encrypt(key, v, r) for v, r in zip(votes, rs, strict=True)])
        )
    digest = statement_digest([(c.id, cts) for c, _, _, cts in plan])
    contests_json: list[dict[str, Any]] = []
    for contest, votes, rs, cts in plan:
        ctx = _context(election, voter, seq, contest.id, digest)
        proofs = [
            _proof_json(
                prove_or(
                    TAG_OPTION,
                    [*ctx, u64(i)],
                    key,
                    ct,
                    (0, 1),
                    min(v, 1),
                    r,
                    nonces,
                    (contest.id, str(i)),
                )
            )
            for i, (v, r, ct) in enumerate(zip(votes, rs, cts, strict=True))
        ]
        entry: dict[str, Any] = {
            "id": contest.id,
            "ciphertexts": [[a.hex(), b.hex()] for a, b in cts],
            "proofs": proofs,
        }
        values = contest.sum_values
        if values:
            total = sum(votes)
            real = values.index(min(max(total, values[0]), values[-1]))
            r_sum = g.int_to_scalar(sum(g.scalar_to_int(r) for r in rs))
            proof = prove_or(
                TAG_COUNT, ctx, key, _sum(cts), values, real, r_sum, nonces, (contest.id, "sum")
            )
            entry["count_proof"] = _proof_json(proof)
        contests_json.append(entry)
    doc: dict[str, Any] = {
        "type": "smolny-ballot",
        "version": 1,
        "election": election.fingerprint.hex(),
        "voter": voter.hex(),
        "seq": seq,
        "contests": contests_json,
    }
    signed = sign_document(credential, doc)
    randomness = {c.id: [r.hex() for r in rs] for c, _, rs, _ in plan}
    return Cast(signed, randomness, tracker(signed))


def _proof_json(p: OrProof) -> dict[str, list[str]]:
    return {"c": [x.hex() for x in p.c], "z": [x.hex() for x in p.z]}


def _proof_parse(raw: Any, what: str) -> OrProof:
    if not isinstance(raw, dict) or set(raw) != {"c", "z"}:
        raise BallotError("bad-proof", f"{what}: malformed proof")
    c, z = raw["c"], raw["z"]
    if not isinstance(c, list) or not isinstance(z, list):
        raise BallotError("bad-proof", f"{what}: malformed proof")
    return OrProof(
        tuple(scal(x, f"{what} challenge") for x in c),
        tuple(scal(x, f"{what} response") for x in z),
    )


def tracker(ballot: dict[str, Any]) -> str:
    """The voter's receipt: SHA-256 of the signed ballot's canonical bytes, in hex."""
    return hashlib.sha256(canonical_bytes(ballot)).hexdigest()


@dataclass(frozen=True, slots=True)
class VerifiedBallot:
    voter: bytes
    seq: int
    tracker: str
    ciphertexts: tuple[tuple[Ciphertext, ...], ...]


def verify_ballot(
    election: Election, ballot: Any, roll: Collection[bytes] | None = None
) -> VerifiedBallot:
    """Check one ballot completely (shape, election, credential on the roll, signature, every
    element, every proof); raise BallotError naming the first failure."""
    if not isinstance(ballot, dict) or ballot.get("type") != "smolny-ballot":
        raise BallotError("bad-ballot", "not a smolny-ballot document")
    expected = {"type", "version", "election", "voter", "seq", "contests", "signature"}
    if "signature" not in ballot:
        raise BallotError("unsigned", "ballot is unsigned")
    if set(ballot) != expected or ballot["version"] != 1:
        raise BallotError("bad-ballot", "unexpected or missing fields")
    if ballot["election"] != election.fingerprint.hex():
        raise BallotError("wrong-election", "ballot was cast for another election")
    voter = unhex(ballot["voter"], "voter credential", 32)
    if roll is not None and voter not in roll:
        raise BallotError("not-on-roll", "voter credential is not on the election roll")
    seq = ballot["seq"]
    if isinstance(seq, bool) or not isinstance(seq, int) or not 1 <= seq < 2**53:
        raise BallotError("bad-ballot", "seq must be a positive integer")
    check_signature(voter, ballot, "ballot")
    contests = ballot["contests"]
    manifest = election.manifest
    if not isinstance(contests, list) or len(contests) != len(manifest.contests):
        raise BallotError("bad-ballot", "ballot must answer every contest, in manifest order")
    parsed: list[tuple[Contest, list[Ciphertext], dict[str, Any]]] = []
    for contest, entry in zip(manifest.contests, contests, strict=True):
        if not isinstance(entry, dict) or entry.get("id") != contest.id:
            raise BallotError("bad-ballot", f"contest {contest.id}: missing or out of order")
        want = {"id", "ciphertexts", "proofs"} | ({"count_proof"} if contest.sum_values else set())
        if set(entry) != want:
            raise BallotError("bad-ballot", f"contest {contest.id}: unexpected or missing fields")
        raw_cts = entry["ciphertexts"]
        if not isinstance(raw_cts, list) or len(raw_cts) != len(contest.options):
            raise BallotError("bad-ballot", f"contest {contest.id}: one ciphertext per option")
        cts: list[Ciphertext] = []
        for i, ct in enumerate(raw_cts):
            what = f"contest {contest.id} option {i} ciphertext"
            if not isinstance(ct, list) or len(ct) != 2:
                raise BallotError("bad-ballot", f"{what} is malformed")
            cts.append((elem(ct[0], what), elem(ct[1], what)))
        parsed.append((contest, cts, entry))
    digest = statement_digest([(c.id, cts) for c, cts, _ in parsed])
    key = election.public_key
    for contest, cts, entry in parsed:
        ctx = _context(election, voter, seq, contest.id, digest)
        proofs = entry["proofs"]
        if not isinstance(proofs, list) or len(proofs) != len(cts):
            raise BallotError("bad-proof", f"contest {contest.id}: one proof per option")
        for i, (ct, raw) in enumerate(zip(cts, proofs, strict=True)):
            what = f"contest {contest.id} option {i}"
            if not verify_or(TAG_OPTION, [*ctx, u64(i)], key, ct, (0, 1), _proof_parse(raw, what)):
                raise BallotError("bad-proof", f"{what}: proof that it encrypts 0 or 1 fails")
        if contest.sum_values:
            what = f"contest {contest.id} selection count"
            proof = _proof_parse(entry["count_proof"], what)
            if not verify_or(TAG_COUNT, ctx, key, _sum(cts), contest.sum_values, proof):
                raise BallotError(
                    "bad-proof",
                    f"{what}: proof that {contest.min}..{contest.max} options are selected fails",
                )
    return VerifiedBallot(voter, seq, tracker(ballot), tuple(tuple(cts) for _, cts, _ in parsed))


def open_audit(election: Election, audit: Any) -> dict[str, list[str]]:
    """Benaloh audit: check the revealed randomness against every ciphertext of the (valid,
    signed) ballot and return the chosen option names per contest."""
    if not isinstance(audit, dict) or audit.get("type") != "smolny-ballot-audit":
        raise BallotError("bad-audit", "not a smolny-ballot-audit document")
    verified = verify_ballot(election, audit.get("ballot"))
    randomness = audit.get("randomness")
    if not isinstance(randomness, dict):
        raise BallotError("bad-audit", "randomness missing")
    out: dict[str, list[str]] = {}
    key = election.public_key
    for contest, cts in zip(election.manifest.contests, verified.ciphertexts, strict=True):
        rs = randomness.get(contest.id)
        if not isinstance(rs, list) or len(rs) != len(cts):
            raise BallotError("bad-audit", f"contest {contest.id}: randomness missing")
        chosen: list[str] = []
        for i, ((a, b), r_hex) in enumerate(zip(cts, rs, strict=True)):
            r = scal(r_hex, f"contest {contest.id} option {i} randomness")
            if g.base_mul(r) != a:
                raise BallotError(
                    "audit-mismatch", f"contest {contest.id} option {i}: randomness does not match"
                )
            m = g.sub(b, g.mul(r, key))
            if m == g.IDENTITY:
                continue
            if m != g.BASE:
                raise BallotError(
                    "audit-mismatch", f"contest {contest.id} option {i}: plaintext is not 0 or 1"
                )
            chosen.append(contest.options[i])
        out[contest.id] = chosen
    return out
