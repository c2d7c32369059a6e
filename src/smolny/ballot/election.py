"""Election manifest, fingerprint, signed documents and the errors every step reports.

An election is a manifest (contests, options, the n trustees and threshold k) plus the public
key the trustees produce.  Its *fingerprint* is SHA-256 of the RFC 8785 canonical bytes of
``{protocol, group, manifest, public_key}``: every Fiat–Shamir challenge and every ballot
signature covers it, so nothing proved for one election verifies in another.

Contest kinds are the ones the federation uses: a ``motion`` is yes/no/abstain, exactly one
selection; ``plurality`` is one selection among n options; ``approval`` is any number of the n
options.  The selection bounds follow from the kind and are checked, not trusted.

Every document a party writes into the election directory (trustee documents, ballots) carries
an Ed25519 signature over ``"smolny-ballot/1/" + type + "\\0" + canonical bytes without the
signature``, so one kind of document can never be replayed as another.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

import nacl.exceptions
import nacl.signing

from smolny import canonical
from smolny.ballot import group as g
from smolny.ballot.proofs import GROUP, PROTOCOL

KINDS = ("motion", "plurality", "approval")
_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")


class BallotError(Exception):
    """A refused input, with a stable ``code`` and a message naming what failed."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Contest:
    id: str
    kind: str
    options: tuple[str, ...]
    min: int
    max: int

    @property
    def sum_values(self) -> tuple[int, ...]:
        """Allowed selection counts, or () when every count is allowed (no proof needed)."""
        if self.min == 0 and self.max == len(self.options):
            return ()
        return tuple(range(self.min, self.max + 1))


@dataclass(frozen=True, slots=True)
class Manifest:
    election_id: str
    title: str
    trustees: int
    threshold: int
    contests: tuple[Contest, ...]
    raw: dict[str, Any]

    @property
    def hash(self) -> bytes:
        return hashlib.sha256(canonical.encode(self.raw)).digest()

    def contest(self, contest_id: str) -> Contest:
        for c in self.contests:
            if c.id == contest_id:
                return c
        raise BallotError("unknown-contest", f"no contest {contest_id!r} in the manifest")


def _need(cond: bool, message: str) -> None:
    if not cond:
        raise BallotError("bad-manifest", message)


def parse_manifest(raw: Any) -> Manifest:
    """Validate a manifest document; the kinds fix the selection bounds."""
    _need(isinstance(raw, dict), "manifest is not an object")
    _need(raw.get("type") == "smolny-election-manifest", "type must be smolny-election-manifest")
    _need(raw.get("version") == 1, "version must be 1")
    eid = raw.get("election_id")
    _need(isinstance(eid, str) and bool(_ID.match(eid)), "election_id must be a short slug")
    n, k = raw.get("trustees"), raw.get("threshold")
    _need(isinstance(n, int) and isinstance(k, int), "trustees and threshold must be integers")
    assert isinstance(n, int) and isinstance(k, int)
    _need(1 <= k <= n <= 64, "need 1 <= threshold <= trustees <= 64")
    contests_raw = raw.get("contests")
    _need(isinstance(contests_raw, list) and bool(contests_raw), "contests must be a list")
    assert isinstance(contests_raw, list)
    contests: list[Contest] = []
    for c in contests_raw:
        _need(isinstance(c, dict), "contest is not an object")
        cid, kind, options = c.get("id"), c.get("kind"), c.get("options")
        _need(isinstance(cid, str) and bool(_ID.match(cid)), f"contest id {cid!r} is not a slug")
        _need(kind in KINDS, f"contest {cid}: kind must be one of {', '.join(KINDS)}")
        _need(
            isinstance(options, list)
            and all(isinstance(o, str) and o for o in options)
            and len(set(options)) == len(options)
            and 1 <= len(options) <= 64,
            f"contest {cid}: options must be 1..64 distinct non-empty strings",
        )
        assert isinstance(options, list)
        if kind == "motion":
            _need(options == ["yes", "no", "abstain"], f"contest {cid}: a motion is yes/no/abstain")
            lo, hi = 1, 1
        elif kind == "plurality":
            lo, hi = 1, 1
        else:
            lo, hi = 0, len(options)
        _need(c.get("min", lo) == lo and c.get("max", hi) == hi, f"contest {cid}: bad min/max")
        contests.append(Contest(cid, kind, tuple(options), lo, hi))
    _need(len({c.id for c in contests}) == len(contests), "contest ids must be distinct")
    title = raw.get("title", "")
    _need(isinstance(title, str), "title must be a string")
    return Manifest(eid, title, n, k, tuple(contests), raw)


def fingerprint(manifest: Manifest, public_key: bytes) -> bytes:
    """SHA-256 of canonical {protocol, group, manifest, public_key}: names one election."""
    body = {
        "group": GROUP.decode(),
        "manifest": manifest.raw,
        "protocol": PROTOCOL.decode(),
        "public_key": public_key.hex(),
    }
    return hashlib.sha256(canonical.encode(body)).digest()


@dataclass(frozen=True, slots=True)
class Election:
    """What a voter or verifier needs: manifest, joint public key and fingerprint."""

    manifest: Manifest
    public_key: bytes
    fingerprint: bytes

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "smolny-election",
            "version": 1,
            "manifest": self.manifest.raw,
            "public_key": self.public_key.hex(),
            "fingerprint": self.fingerprint.hex(),
        }


def make_election(manifest: Manifest, public_key: bytes) -> Election:
    g.point(public_key, "election public key")
    if public_key == g.IDENTITY:
        raise BallotError("bad-key", "election public key is the identity")
    return Election(manifest, public_key, fingerprint(manifest, public_key))


def parse_election(raw: Any) -> Election:
    if not isinstance(raw, dict) or raw.get("type") != "smolny-election":
        raise BallotError("bad-election", "not a smolny-election document")
    manifest = parse_manifest(raw.get("manifest"))
    election = make_election(manifest, unhex(raw.get("public_key"), "public_key", 32))
    if raw.get("fingerprint") != election.fingerprint.hex():
        raise BallotError("bad-election", "fingerprint does not match manifest and public key")
    return election


def unhex(value: Any, what: str, size: int | None = None) -> bytes:
    """Lower-case hex only, so each value has exactly one spelling: the bytes' own ``hex()``.
    (``bytes.fromhex`` also reads capitals and skips whitespace: "AB" and "ab cd" would be
    second spellings of "ab" and "abcd".)"""
    if isinstance(value, str):
        try:
            data: bytes | None = bytes.fromhex(value)
        except ValueError:
            data = None
        if data is not None and data.hex() == value:
            if size is None or len(data) == size:
                return data
            raise BallotError("bad-encoding", f"{what} must be {size} bytes")
    if not isinstance(value, str) or value != value.lower():
        raise BallotError("bad-encoding", f"{what} is not lower-case hex")
    raise BallotError("bad-encoding", f"{what} is not hex")


def elem(value: Any, what: str) -> bytes:
    try:
        return g.point(unhex(value, what, 32), what)
    except g.InvalidElement as exc:
        raise BallotError("bad-element", str(exc)) from None


def scal(value: Any, what: str) -> bytes:
    data = unhex(value, what, 32)
    if int.from_bytes(data, "little") >= g.ORDER:
        raise BallotError("bad-scalar", f"{what} is not a canonical scalar below the group order")
    return data


def canonical_bytes(value: Any) -> bytes:
    """RFC 8785 bytes, fast for the documents of this package (a speed-up, not a new format).

    ``smolny.canonical`` (the ``rfc8785`` library) costs more than a ballot's group operations
    need to: a verifier encodes each ballot twice (signature, tracker).  For values whose every
    string is printable ASCII without quote or backslash, whose numbers are integers below
    2^53, and with no floats, RFC 8785 output is exactly ``json.dumps`` with sorted keys and
    compact separators: strings appear verbatim, ASCII keys sort the same by code point as by
    UTF-16 unit (RFC 8785 §3.2.3), and integers print the same (§3.2.2.3).  ``json.dumps`` with
    ``ensure_ascii`` escapes everything else with a backslash, so output without one is in that
    domain; anything else (or any float or big integer) goes through ``smolny.canonical``.
    tests/ballot checks both agree on real documents.
    """
    try:
        text = json.dumps(
            value, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
        )
    except (TypeError, ValueError):
        return canonical.encode(value)
    if "\\" in text or _NUMBER_TROUBLE.search(_STRING.sub("", text)):
        return canonical.encode(value)
    return text.encode()


# With no backslash in the text, strings hold no quote, so this removes exactly the strings;
# what is left has a float if a digit is followed by '.' or an exponent, and an integer that
# may exceed 2^53 if it has 16 digits or more: those go the slow, exact way.
_STRING = re.compile(r'"[^"]*"')
_NUMBER_TROUBLE = re.compile(r"[0-9][.eE]|[0-9]{16}")


def signing_message(doc: dict[str, Any]) -> bytes:
    body = {k: v for k, v in doc.items() if k != "signature"}
    kind = body.get("type")
    if not isinstance(kind, str):
        raise BallotError("bad-document", "document has no type")
    return PROTOCOL + b"/" + kind.encode() + b"\0" + canonical_bytes(body)


def sign_document(key: nacl.signing.SigningKey, doc: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in doc.items() if k != "signature"}
    out["signature"] = key.sign(signing_message(out)).signature.hex()
    return out


def check_signature(
    public_key: bytes, doc: dict[str, Any], what: str, message: bytes | None = None
) -> None:
    """Verify ``doc``'s signature; ``message``, if given, is ``signing_message(doc)``."""
    sig = doc.get("signature")
    if sig is None:
        raise BallotError("unsigned", f"{what} is unsigned")
    raw = unhex(sig, f"{what} signature", 64)
    try:
        nacl.signing.VerifyKey(public_key).verify(
            signing_message(doc) if message is None else message, raw
        )
    except (nacl.exceptions.BadSignatureError, ValueError):
        raise BallotError("bad-signature", f"{what}: signature does not verify") from None


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
