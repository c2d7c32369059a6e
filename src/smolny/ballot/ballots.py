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
import json
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
    scal,
    unhex,
)
from smolny.ballot.proofs import (
    PROTOCOL,
    Nonces,
    OrProof,
    fields,
    lp,
    or_challenge_holds,
    or_commitments,
    prove_or,
    u64,
)

Ciphertext = tuple[bytes, bytes]
TAG_OPTION = "ballot/option-0-or-1"
TAG_COUNT = "ballot/selection-count"


def encrypt(key: bytes, v: int, r: bytes) -> Ciphertext:
    """(r·G, v·G + r·H).  For v = 0 too the identity is added, so that the group operations of
    encrypting and proving a ballot do not depend on the choices (tests/ballot/test_cost.py)."""
    return g.base_mul(r), g.add(g.mul(r, key), g.small_multiple(v))


def statement_digest(contests: Sequence[tuple[str, Sequence[Ciphertext]]]) -> bytes:
    """SHA-512 over every ciphertext of the ballot, length-prefixed, in manifest order."""
    parts: list[bytes] = []
    for cid, cts in contests:
        parts += [cid.encode(), u64(len(cts))]
        for a, b in cts:
            parts += [a, b]
    return hashlib.sha512(fields(parts)).digest()


def _context(election: Election, voter: bytes, seq: int, cid: str, digest: bytes) -> bytes:
    """The proofs' context, as transcript fields: election, credential, seq, contest, digest."""
    return fields([election.fingerprint, voter, u64(seq), cid.encode(), digest])


def _option(context: bytes, i: int) -> bytes:
    """An option's 0-or-1 proof context: the contest's, then the option's index."""
    return context + lp(u64(i))


def _sum(cts: Sequence[Ciphertext]) -> Ciphertext:
    a, b = cts[0]
    for x, y in cts[1:]:
        a, b = g.add(a, x), g.add(b, y)
    return a, b


def _sum_known(cts: Sequence[Ciphertext], r_sum: bytes) -> Ciphertext:
    """The prover's :func:`_sum`: the first half is (Σ r_i)·G, one base multiplication instead
    of n − 1 additions; the same point."""
    b = cts[0][1]
    for _, y in cts[1:]:
        b = g.add(b, y)
    return g.base_mul(r_sum), b


_SIGNING_PREFIX = PROTOCOL + b"/smolny-ballot\0"


def _unsigned_bytes(ballot: dict[str, Any]) -> bytes:
    """RFC 8785 bytes of the ballot without its signature, for a ballot whose every field
    verify_ballot has checked (or that encrypt_ballot built).

    Every string in it is then lower-case hex, a contest id (a slug) or "smolny-ballot", and
    every number is ``seq`` (an integer below 2^53) or ``version`` (the integer 1), so
    ``json.dumps`` with sorted keys and compact separators is RFC 8785, for the reasons
    :func:`election.canonical_bytes` gives, without its scan for escapes, floats and large
    integers.  (verify_ballot refuses a ``version`` that is not the integer 1; should one
    come here all the same, it takes the general way.)
    """
    body = {k: v for k, v in ballot.items() if k != "signature"}
    if type(ballot["version"]) is not int:
        return canonical_bytes(body)
    return _JSON.encode(body).encode()


_JSON = json.JSONEncoder(sort_keys=True, separators=(",", ":"))


def _signed_canonical(unsigned: bytes, ballot: dict[str, Any]) -> bytes:
    """Canonical bytes of the signed ballot, from those of the unsigned one: one JSON encoding
    per ballot instead of two (the signature and the tracker each need one).

    Precondition: ``unsigned`` is ``_unsigned_bytes(ballot)``, ``voter`` and ``signature`` are
    checked lower-case hex.  RFC 8785 sorts keys (§3.2.3), and "signature" sorts between "seq"
    and "type", so the signed ballot's bytes are the unsigned ones with the signature put in
    before the fixed tail.  Should the tail not be there, the whole ballot is encoded again;
    tests check both ways agree.
    """
    tail = b',"type":"smolny-ballot","version":1,"voter":"' + ballot["voter"].encode() + b'"}'
    if not unsigned.endswith(tail):
        return canonical_bytes(ballot)
    sig = ballot["signature"].encode()
    return b"".join([unsigned[: -len(tail)], b',"signature":"', sig, b'"', tail])


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
                    _option(ctx, i),
                    key,
                    ct,
                    (0, 1),
                    min(v, 1),
                    r,
                    nonces,
                    (contest.id, str(i)),
                    plaintext=v,
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
                TAG_COUNT,
                ctx,
                key,
                _sum_known(cts, r_sum),
                values,
                real,
                r_sum,
                nonces,
                (contest.id, "sum"),
                plaintext=total,
            )
            entry["count_proof"] = _proof_json(proof)
        contests_json.append(entry)
    ballot: dict[str, Any] = {
        "type": "smolny-ballot",
        "version": 1,
        "election": election.fingerprint.hex(),
        "voter": voter.hex(),
        "seq": seq,
        "contests": contests_json,
    }
    unsigned = _unsigned_bytes(ballot)
    ballot["signature"] = credential.sign(_SIGNING_PREFIX + unsigned).signature.hex()
    randomness = {c.id: [r.hex() for r in rs] for c, _, rs, _ in plan}
    tracker_ = hashlib.sha256(_signed_canonical(unsigned, ballot)).hexdigest()
    return Cast(ballot, randomness, tracker_)


def _proof_json(p: OrProof) -> dict[str, list[str]]:
    return {"c": [x.hex() for x in p.c], "z": [x.hex() for x in p.z]}


def _proof_parse(raw: Any, what: str) -> OrProof:
    if not isinstance(raw, dict) or set(raw) != {"c", "z"}:
        raise BallotError("bad-proof", f"{what}: malformed proof")
    c, z = raw["c"], raw["z"]
    if not isinstance(c, list) or not isinstance(z, list):
        raise BallotError("bad-proof", f"{what}: malformed proof")
    what_c, what_z = f"{what} challenge", f"{what} response"
    return OrProof(tuple([scal(x, what_c) for x in c]), tuple([scal(x, what_z) for x in z]))


def tracker(ballot: dict[str, Any]) -> str:
    """The voter's receipt: SHA-256 of the signed ballot's canonical bytes, in hex."""
    return hashlib.sha256(canonical_bytes(ballot)).hexdigest()


@dataclass(frozen=True, slots=True)
class VerifiedBallot:
    voter: bytes
    seq: int
    tracker: str
    ciphertexts: tuple[tuple[Ciphertext, ...], ...]


@dataclass(frozen=True, slots=True)
class _Parsed:
    """One contest of a ballot, every field checked for shape and encoding."""

    contest: Contest
    cts: list[Ciphertext]
    proofs: list[OrProof]
    count_proof: OrProof | None


def verify_ballot(
    election: Election, ballot: Any, roll: Collection[bytes] | None = None
) -> VerifiedBallot:
    """Check one ballot completely (shape, election, credential on the roll, every field's
    encoding, signature, every element, every proof); raise BallotError naming the first
    failure."""
    if not isinstance(ballot, dict) or ballot.get("type") != "smolny-ballot":
        raise BallotError("bad-ballot", "not a smolny-ballot document")
    expected = {"type", "version", "election", "voter", "seq", "contests", "signature"}
    if "signature" not in ballot:
        raise BallotError("unsigned", "ballot is unsigned")
    if set(ballot) != expected or type(ballot["version"]) is not int or ballot["version"] != 1:
        raise BallotError("bad-ballot", "unexpected or missing fields")
    if ballot["election"] != election.fingerprint.hex():
        raise BallotError("wrong-election", "ballot was cast for another election")
    voter = unhex(ballot["voter"], "voter credential", 32)
    if roll is not None and voter not in roll:
        raise BallotError("not-on-roll", "voter credential is not on the election roll")
    seq = ballot["seq"]
    if isinstance(seq, bool) or not isinstance(seq, int) or not 1 <= seq < 2**53:
        raise BallotError("bad-ballot", "seq must be a positive integer")
    unhex(ballot["signature"], "ballot signature", 64)
    parsed = _parse_contests(election, ballot["contests"])
    # Every field is now checked, as _unsigned_bytes needs.
    unsigned = _unsigned_bytes(ballot)
    check_signature(voter, ballot, "ballot", _SIGNING_PREFIX + unsigned)
    digest = statement_digest([(p.contest.id, p.cts) for p in parsed])
    _check_proofs(election, voter, seq, digest, parsed)
    tracker_ = hashlib.sha256(_signed_canonical(unsigned, ballot)).hexdigest()
    return VerifiedBallot(voter, seq, tracker_, tuple(tuple(p.cts) for p in parsed))


def _parse_contests(election: Election, contests: Any) -> list[_Parsed]:
    """Shape and encodings of every contest: ciphertext elements as 32 bytes (validated as
    group elements by their first group operation, see :func:`_check_proofs`), proof scalars
    as canonical scalars."""
    manifest = election.manifest
    if not isinstance(contests, list) or len(contests) != len(manifest.contests):
        raise BallotError("bad-ballot", "ballot must answer every contest, in manifest order")
    parsed: list[_Parsed] = []
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
            cts.append((unhex(ct[0], what, 32), unhex(ct[1], what, 32)))
        raw_proofs = entry["proofs"]
        if not isinstance(raw_proofs, list) or len(raw_proofs) != len(cts):
            raise BallotError("bad-proof", f"contest {contest.id}: one proof per option")
        proofs = [
            _proof_parse(raw, f"contest {contest.id} option {i}")
            for i, raw in enumerate(raw_proofs)
        ]
        count_proof = None
        if contest.sum_values:
            what = f"contest {contest.id} selection count"
            count_proof = _proof_parse(entry["count_proof"], what)
        parsed.append(_Parsed(contest, cts, proofs, count_proof))
    return parsed


def _check_proofs(
    election: Election, voter: bytes, seq: int, digest: bytes, parsed: Sequence[_Parsed]
) -> None:
    """Every proof of the ballot, in two passes.

    First every group operation, in ballot order.  Each ciphertext element's first use is in
    the commitments of its option's 0-or-1 proof, where libsodium decodes it and refuses a
    non-canonical encoding: that is its validation (one decoding, instead of a separate
    ``is_valid_point`` and then the decoding anyway), reported as ``bad-element`` naming the
    option.  Then the Fiat–Shamir hashes: a changed element also changes every challenge (they
    all cover the statement digest), so hashing only after every element is decoded keeps a
    bad element reported as what it is, not as the proof failure it also causes.
    """
    key = election.public_key
    # (tag, context, statement, proof, commitments, contest, option index or -1 for the count)
    checks: list[tuple[str, bytes, Ciphertext, OrProof, list[bytes] | None, Contest, int]] = []
    for p in parsed:
        contest = p.contest
        ctx = _context(election, voter, seq, contest.id, digest)
        for i, (ct, proof) in enumerate(zip(p.cts, p.proofs, strict=True)):
            try:
                commits = or_commitments(key, ct, (0, 1), proof)
            except g.InvalidElement:
                raise BallotError(
                    "bad-element",
                    f"contest {contest.id} option {i} ciphertext is not a canonical "
                    "ristretto255 encoding",
                ) from None
            checks.append((TAG_OPTION, _option(ctx, i), ct, proof, commits, contest, i))
        if p.count_proof is not None:
            total = _sum(p.cts)
            commits = or_commitments(key, total, contest.sum_values, p.count_proof)
            checks.append((TAG_COUNT, ctx, total, p.count_proof, commits, contest, -1))
    for tag, context, ct, proof, commits, contest, i in checks:
        if commits is None or not or_challenge_holds(tag, context, key, ct, proof, commits):
            if i >= 0:
                failure = f"contest {contest.id} option {i}: proof that it encrypts 0 or 1 fails"
            else:
                failure = (
                    f"contest {contest.id} selection count: proof that "
                    f"{contest.min}..{contest.max} options are selected fails"
                )
            raise BallotError("bad-proof", failure)


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
