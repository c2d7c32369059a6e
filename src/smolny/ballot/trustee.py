"""Threshold key ceremony and partial decryption (Feldman VSS, Pedersen's DKG, Chaum–Pedersen).

n trustees each deal a random polynomial f_i of degree k−1 (Feldman, "A practical scheme for
non-interactive verifiable secret sharing", FOCS 1987; jointly as Pedersen, EUROCRYPT 1991).
The election secret is x = Σ f_i(0), which nobody holds; trustee j holds x_j = Σ_i f_i(j), any
k of which recover x by Lagrange interpolation at 0, while k−1 of them are independent of x
(Shamir).  Steps, each a signed JSON document in the election directory:

1. ``identity`` — the trustee's Ed25519 signing key and X25519 key for receiving shares.
2. ``commit`` — SHA-256 of the trustee's coming ``reveal``.  Commit-then-reveal stops a last
   dealer from choosing its polynomial after seeing the others' (Gennaro, Jarecki, Krawczyk and
   Rabin, "Secure distributed key generation for discrete-log based cryptosystems", 1999, show
   how such a rushing dealer biases the joint key).
3. ``reveal`` + ``shares`` — the coefficient commitments A_t = a_t·G, each with a Schnorr proof
   of knowledge of a_t (so no dealer can cancel another's key: rogue-key attack), and the shares
   f_i(j), each sealed (libsodium sealed box, PyNaCl ``SealedBox``) to trustee j's X25519 key.
4. ``finish`` — trustee j opens its shares and checks each against the commitments
   (x·G = Σ_t j^t·A_t).  A bad share is answered by a *complaint* that reveals the X25519 shared
   key of that one sealed box (``crypto_box_beforenm``), which lets anyone open that box and
   decide: if the share fails the commitments the dealer is named, otherwise the accuser is.
   The finish document also states the trustee's verification key g^{x_j} and the joint key.

Decryption: each of k trustees publishes d_j = x_j·A for every tally ciphertext (A, B) with a
Chaum–Pedersen proof that log_G(g^{x_j}) = log_A(d_j); the result is B − Σ λ_j·d_j = m·G.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import nacl.bindings
import nacl.exceptions
import nacl.public
import nacl.signing

from smolny import canonical
from smolny.ballot import group as g
from smolny.ballot.election import (
    BallotError,
    Election,
    Manifest,
    check_signature,
    elem,
    scal,
    sign_document,
    unhex,
)
from smolny.ballot.proofs import (
    Nonces,
    Proof,
    prove_dleq,
    prove_schnorr,
    u64,
    verify_dleq,
    verify_schnorr,
)

TAG_POK = "trustee/coefficient-knowledge"
TAG_DECRYPT = "trustee/partial-decryption"
STEPS = ("identity", "commit", "reveal", "shares", "finish")


@dataclass
class TrusteeKey:
    """A trustee's private key file: signing seed, X25519 secret, polynomial, final share."""

    election_id: str
    manifest_hash: str
    index: int
    signing_seed: bytes
    box_secret: bytes
    coefficients: list[bytes]
    reveal: dict[str, Any] | None = None
    share: bytes | None = None

    @property
    def signing_key(self) -> nacl.signing.SigningKey:
        return nacl.signing.SigningKey(self.signing_seed)

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "smolny-trustee-key",
            "election_id": self.election_id,
            "manifest": self.manifest_hash,
            "index": self.index,
            "signing_seed": self.signing_seed.hex(),
            "box_secret": self.box_secret.hex(),
            "coefficients": [c.hex() for c in self.coefficients],
            "reveal": self.reveal,
            "share": None if self.share is None else self.share.hex(),
        }

    @classmethod
    def from_json(cls, raw: Any) -> TrusteeKey:
        if not isinstance(raw, dict) or raw.get("type") != "smolny-trustee-key":
            raise BallotError("bad-key-file", "not a smolny-trustee-key document")
        share = raw.get("share")
        return cls(
            raw["election_id"],
            raw["manifest"],
            int(raw["index"]),
            unhex(raw["signing_seed"], "signing seed", 32),
            unhex(raw["box_secret"], "box secret", 32),
            [scal(c, "coefficient") for c in raw["coefficients"]],
            raw.get("reveal"),
            None if share is None else scal(share, "share"),
        )


def _base(manifest: Manifest, kind: str, index: int) -> dict[str, Any]:
    return {
        "type": f"smolny-trustee-{kind}",
        "election_id": manifest.election_id,
        "manifest": manifest.hash.hex(),
        "index": index,
    }


def _eval(coefficients: Sequence[bytes], x: int) -> bytes:
    acc = 0
    for c in reversed(coefficients):
        acc = (acc * x + g.scalar_to_int(c)) % g.ORDER
    return g.int_to_scalar(acc)


def _commitment_eval(commitments: Sequence[bytes], x: int) -> bytes:
    """Σ_t x^t·A_t: the public image of a share at x."""
    acc = commitments[0]
    for t, a_t in enumerate(commitments[1:], start=1):
        acc = g.add(acc, g.mul(g.int_to_scalar(pow(x, t, g.ORDER)), a_t))
    return acc


def trustee_init(manifest: Manifest, index: int) -> tuple[TrusteeKey, dict[str, Any]]:
    """Create trustee ``index``'s key file and its public identity document."""
    if not 1 <= index <= manifest.trustees:
        raise BallotError("bad-trustee", f"trustee index must be 1..{manifest.trustees}")
    key = TrusteeKey(
        manifest.election_id,
        manifest.hash.hex(),
        index,
        bytes(nacl.signing.SigningKey.generate()),
        bytes(nacl.public.PrivateKey.generate()),
        [g.random_scalar() for _ in range(manifest.threshold)],
    )
    doc = _base(manifest, "identity", index)
    doc["signing_key"] = bytes(key.signing_key.verify_key).hex()
    doc["box_key"] = bytes(nacl.public.PrivateKey(key.box_secret).public_key).hex()
    return key, sign_document(key.signing_key, doc)


def _pok_context(manifest: Manifest, index: int, t: int) -> list[bytes]:
    return [manifest.hash, u64(index), u64(t)]


def trustee_commit(manifest: Manifest, key: TrusteeKey) -> dict[str, Any]:
    """Fix the reveal (coefficient commitments and proofs) and publish only its hash."""
    _own(manifest, key)
    nonces = Nonces()
    reveal = _base(manifest, "reveal", key.index)
    reveal["commitments"] = [g.base_mul(a).hex() for a in key.coefficients]
    proofs = [
        prove_schnorr(TAG_POK, _pok_context(manifest, key.index, t), a, nonces, ("pok", str(t)))
        for t, a in enumerate(key.coefficients)
    ]
    reveal["proofs"] = [{"c": p.c.hex(), "z": p.z.hex()} for p in proofs]
    key.reveal = sign_document(key.signing_key, reveal)
    doc = _base(manifest, "commit", key.index)
    doc["commitment"] = _reveal_hash(key.reveal)
    return sign_document(key.signing_key, doc)


def _reveal_hash(reveal: Mapping[str, Any]) -> str:
    body = {k: v for k, v in reveal.items() if k != "signature"}
    return hashlib.sha256(canonical.encode(body)).hexdigest()


def _own(manifest: Manifest, key: TrusteeKey) -> None:
    if key.manifest_hash != manifest.hash.hex():
        raise BallotError("wrong-election", "this key file belongs to another election")


def trustee_share(
    manifest: Manifest, key: TrusteeKey, docs: Mapping[int, Mapping[str, Any]]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """After every trustee has committed: publish the reveal and the sealed shares."""
    _own(manifest, key)
    if key.reveal is None:
        raise BallotError("out-of-order", "run `trustee commit` first")
    identities = {}
    for j in range(1, manifest.trustees + 1):
        ident = _checked(manifest, docs, j, "identity", None)
        _checked(manifest, docs, j, "commit", ident)
        identities[j] = ident
    shares: dict[str, str] = {}
    for j, ident in identities.items():
        if j == key.index:
            continue
        box = nacl.public.SealedBox(nacl.public.PublicKey(unhex(ident["box_key"], "box key", 32)))
        shares[str(j)] = box.encrypt(_eval(key.coefficients, j)).hex()
    doc = _base(manifest, "shares", key.index)
    doc["shares"] = shares
    return key.reveal, sign_document(key.signing_key, doc)


def _checked(
    manifest: Manifest,
    docs: Mapping[int, Mapping[str, Any]],
    index: int,
    step: str,
    identity: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """Trustee ``index``'s ``step`` document, present, for this election and signed."""
    doc = docs.get(index, {}).get(step)
    if doc is None:
        raise BallotError("missing", f"trustee {index}: {step} document is missing")
    want = _base(manifest, step, index)
    if not isinstance(doc, dict) or any(doc.get(k) != v for k, v in want.items()):
        raise BallotError("bad-document", f"trustee {index}: {step} is not for this election")
    signer = doc.get("signing_key") if identity is None else identity["signing_key"]
    check_signature(unhex(signer, "signing key", 32), doc, f"trustee {index} {step}")
    return doc


def _checked_reveal(
    manifest: Manifest, docs: Mapping[int, Mapping[str, Any]], j: int
) -> list[bytes]:
    ident = _checked(manifest, docs, j, "identity", None)
    commit = _checked(manifest, docs, j, "commit", ident)
    reveal = _checked(manifest, docs, j, "reveal", ident)
    if commit.get("commitment") != _reveal_hash(reveal):
        raise BallotError("commit-mismatch", f"trustee {j}: reveal does not match its commitment")
    raw_a, raw_p = reveal.get("commitments"), reveal.get("proofs")
    if not isinstance(raw_a, list) or not isinstance(raw_p, list):
        raise BallotError("bad-document", f"trustee {j}: malformed reveal")
    if len(raw_a) != manifest.threshold or len(raw_p) != manifest.threshold:
        raise BallotError("bad-document", f"trustee {j}: needs {manifest.threshold} commitments")
    commitments = [elem(a, f"trustee {j} coefficient commitment") for a in raw_a]
    for t, (a, p) in enumerate(zip(commitments, raw_p, strict=True)):
        proof = Proof(scal(p.get("c"), "challenge"), scal(p.get("z"), "response"))
        if a == g.IDENTITY or not verify_schnorr(TAG_POK, _pok_context(manifest, j, t), a, proof):
            raise BallotError(
                "bad-proof", f"trustee {j}: proof of knowledge of coefficient {t} fails"
            )
    return commitments


def _open_share(ciphertext: bytes, shared_key: bytes, recipient_pk: bytes) -> bytes:
    """Open one sealed box with its revealed X25519 shared key (as libsodium's box_seal does)."""
    epk = ciphertext[:32]
    nonce = hashlib.blake2b(epk + recipient_pk, digest_size=24).digest()
    return nacl.bindings.crypto_box_open_afternm(ciphertext[32:], nonce, shared_key)


def trustee_finish(
    manifest: Manifest, key: TrusteeKey, docs: Mapping[int, Mapping[str, Any]]
) -> dict[str, Any]:
    """Check everyone's reveal and open this trustee's shares; complain about bad ones.
    Stores the trustee's secret share x_j in ``key``."""
    _own(manifest, key)
    commitments = {j: _checked_reveal(manifest, docs, j) for j in range(1, manifest.trustees + 1)}
    me = key.index
    box_sk = nacl.public.PrivateKey(key.box_secret)
    total = g.scalar_to_int(_eval(key.coefficients, me))
    complaints: list[dict[str, Any]] = []
    for j in range(1, manifest.trustees + 1):
        if j == me:
            continue
        ident = _checked(manifest, docs, j, "identity", None)
        shares_doc = _checked(manifest, docs, j, "shares", ident)
        sealed_hex = shares_doc.get("shares", {}).get(str(me))
        sealed = unhex(sealed_hex, "sealed share") if isinstance(sealed_hex, str) else b""
        share: bytes | None = None
        try:
            share = g.scalar(nacl.public.SealedBox(box_sk).decrypt(sealed))
        except (nacl.exceptions.CryptoError, g.InvalidElement, ValueError, TypeError):
            share = None
        if share is None or g.base_mul(share) != _commitment_eval(commitments[j], me):
            shared = b""
            if len(sealed) >= 32:
                shared = nacl.bindings.crypto_box_beforenm(sealed[:32], key.box_secret)
            complaints.append({"dealer": j, "shared_key": shared.hex()})
            continue
        total += g.scalar_to_int(share)
    key.share = g.int_to_scalar(total)
    doc = _base(manifest, "finish", me)
    doc["complaints"] = complaints
    doc["verification_key"] = g.base_mul(key.share).hex()
    doc["public_key"] = _joint_key(commitments).hex()
    return sign_document(key.signing_key, doc)


def _joint_key(commitments: Mapping[int, Sequence[bytes]]) -> bytes:
    acc = g.IDENTITY
    for j in sorted(commitments):
        acc = g.add(acc, commitments[j][0])
    return acc


@dataclass
class Ceremony:
    """The outcome of checking the key ceremony: the joint key, each trustee's verification
    key, and every failure found, each naming the trustee at fault."""

    public_key: bytes | None
    verification_keys: dict[int, bytes]
    failures: list[tuple[int, str, str]] = field(default_factory=list)


def check_ceremony(manifest: Manifest, docs: Mapping[int, Mapping[str, Any]]) -> Ceremony:
    """Verify every trustee document; resolve every complaint by opening the disputed box."""
    failures: list[tuple[int, str, str]] = []
    commitments: dict[int, list[bytes]] = {}
    idents: dict[int, dict[str, Any]] = {}
    n = manifest.trustees
    for j in range(1, n + 1):
        try:
            idents[j] = _checked(manifest, docs, j, "identity", None)
            commitments[j] = _checked_reveal(manifest, docs, j)
        except BallotError as exc:
            failures.append((j, "reveal", exc.message))
    if failures:
        return Ceremony(None, {}, failures)
    joint = _joint_key(commitments)
    vks: dict[int, bytes] = {}
    for j in range(1, n + 1):
        vks[j] = g.IDENTITY
        for i in range(1, n + 1):
            vks[j] = g.add(vks[j], _commitment_eval(commitments[i], j))
    for j in range(1, n + 1):
        try:
            shares = _checked(manifest, docs, j, "shares", idents[j]).get("shares")
            if not isinstance(shares, dict) or set(shares) != {str(i) for i in range(1, n + 1)} - {
                str(j)
            }:
                raise BallotError("bad-document", f"trustee {j}: must deal one share to each other")
        except BallotError as exc:
            failures.append((j, "shares", exc.message))
    for j in range(1, n + 1):
        try:
            fin = _checked(manifest, docs, j, "finish", idents[j])
        except BallotError as exc:
            failures.append((j, "finish", exc.message))
            continue
        complaints = fin.get("complaints")
        if not isinstance(complaints, list):
            failures.append((j, "finish", f"trustee {j}: complaints must be a list"))
            complaints = []
        for complaint in complaints:
            failures.append(_resolve(manifest, docs, idents, commitments, j, complaint))
        if fin.get("public_key") != joint.hex():
            failures.append((j, "finish", f"trustee {j}: states a different joint public key"))
        if fin.get("verification_key") != vks[j].hex():
            failures.append(
                (j, "finish", f"trustee {j}: its share does not match the dealt commitments")
            )
    if joint == g.IDENTITY:
        failures.append((0, "key", "joint public key is the identity"))
    return Ceremony(joint, vks, failures)


def _resolve(
    manifest: Manifest,
    docs: Mapping[int, Mapping[str, Any]],
    idents: Mapping[int, Mapping[str, Any]],
    commitments: Mapping[int, Sequence[bytes]],
    accuser: int,
    complaint: Any,
) -> tuple[int, str, str]:
    dealer = complaint.get("dealer") if isinstance(complaint, dict) else None
    if not isinstance(dealer, int) or dealer not in commitments or dealer == accuser:
        return accuser, "finish", f"trustee {accuser}: malformed complaint"
    try:
        sealed = unhex(docs[dealer]["shares"]["shares"][str(accuser)], "sealed share")
        shared = unhex(complaint.get("shared_key"), "shared key", 32)
        pk = unhex(idents[accuser]["box_key"], "box key", 32)
        share = g.scalar(_open_share(sealed, shared, pk))
    except (BallotError, KeyError, TypeError, nacl.exceptions.CryptoError, g.InvalidElement):
        return (
            accuser,
            "finish",
            f"trustee {accuser}: complaint against trustee {dealer} cannot be confirmed "
            "(revealed key does not open the share)",
        )
    if g.base_mul(share) != _commitment_eval(commitments[dealer], accuser):
        return (
            dealer,
            "shares",
            f"trustee {dealer}: dealt trustee {accuser} a share that fails its commitments",
        )
    return (
        accuser,
        "finish",
        f"trustee {accuser}: false complaint, trustee {dealer}'s share to it is valid",
    )


def _decryption_context(election: Election, tally_hash: bytes, index: int) -> list[bytes]:
    return [election.fingerprint, tally_hash, u64(index)]


def partial_decrypt(
    election: Election, key: TrusteeKey, tally: Mapping[str, Any], tally_hash: bytes
) -> dict[str, Any]:
    """Trustee ``key.index``'s decryption share of every tally ciphertext, with proofs."""
    _own(election.manifest, key)
    if key.share is None:
        raise BallotError("out-of-order", "run `trustee finish` first")
    nonces = Nonces()
    ctx = _decryption_context(election, tally_hash, key.index)
    contests = []
    for entry in tally["contests"]:
        shares = []
        for i, (a_hex, _) in enumerate(entry["ciphertexts"]):
            a = elem(a_hex, "tally ciphertext")
            label = (entry["id"], str(i))
            d, p = prove_dleq(
                TAG_DECRYPT, [*ctx, *(x.encode() for x in label)], key.share, a, nonces, label
            )
            shares.append({"d": d.hex(), "c": p.c.hex(), "z": p.z.hex()})
        contests.append({"id": entry["id"], "shares": shares})
    doc = _base(election.manifest, "decryption", key.index)
    doc["election"] = election.fingerprint.hex()
    doc["tally"] = tally_hash.hex()
    doc["contests"] = contests
    return sign_document(key.signing_key, doc)


def check_decryption(
    election: Election,
    identity: Mapping[str, Any],
    verification_key: bytes,
    tally: Sequence[tuple[str, Sequence[tuple[bytes, bytes]]]],
    tally_hash: bytes,
    doc: Any,
) -> list[list[bytes]]:
    """Check trustee ``doc['index']``'s partial decryption; return its shares d per option."""
    index = doc.get("index") if isinstance(doc, dict) else None
    if not isinstance(doc, dict) or not isinstance(index, int):
        raise BallotError("bad-document", "malformed partial decryption")
    who = f"trustee {index}"
    want = _base(election.manifest, "decryption", index)
    if any(doc.get(k) != v for k, v in want.items()):
        raise BallotError("bad-document", f"{who}: partial decryption is not for this election")
    if doc.get("election") != election.fingerprint.hex() or doc.get("tally") != tally_hash.hex():
        raise BallotError("bad-document", f"{who}: partial decryption of a different tally")
    check_signature(unhex(identity["signing_key"], "signing key", 32), doc, f"{who} decryption")
    ctx = _decryption_context(election, tally_hash, index)
    contests = doc.get("contests")
    if not isinstance(contests, list) or len(contests) != len(tally):
        raise BallotError("bad-document", f"{who}: one entry per contest")
    out: list[list[bytes]] = []
    for (cid, cts), entry in zip(tally, contests, strict=True):
        if entry.get("id") != cid or len(entry.get("shares", [])) != len(cts):
            raise BallotError("bad-document", f"{who}: contest {cid} shares malformed")
        row = []
        for i, ((a, _), s) in enumerate(zip(cts, entry["shares"], strict=True)):
            what = f"{who}: contest {cid} option {i}"
            d = elem(s.get("d"), f"{what} share")
            p = Proof(scal(s.get("c"), f"{what} challenge"), scal(s.get("z"), f"{what} response"))
            context = [*ctx, cid.encode(), str(i).encode()]
            if not verify_dleq(TAG_DECRYPT, context, verification_key, a, d, p):
                raise BallotError("bad-proof", f"{what}: proof of correct partial decryption fails")
            row.append(d)
        out.append(row)
    return out


def lagrange_at_zero(indices: Sequence[int]) -> dict[int, int]:
    out = {}
    for i in indices:
        num, den = 1, 1
        for j in indices:
            if j != i:
                num = num * j % g.ORDER
                den = den * (j - i) % g.ORDER
        out[i] = num * pow(den, -1, g.ORDER) % g.ORDER
    return out


def combine(
    threshold: int,
    tally: Sequence[tuple[str, Sequence[tuple[bytes, bytes]]]],
    shares: Mapping[int, Sequence[Sequence[bytes]]],
    bound: int,
) -> list[list[int]]:
    """Counts from ≥ k trustees' shares: m·G = B − Σ λ_j·d_j, m found by search up to ``bound``."""
    if len(shares) < threshold:
        raise BallotError(
            "below-threshold", f"{len(shares)} partial decryptions, {threshold} needed"
        )
    lam = lagrange_at_zero(sorted(shares))
    counts: list[list[int]] = []
    for ci, (cid, cts) in enumerate(tally):
        row = []
        for oi, (_, b) in enumerate(cts):
            m_point = b
            for j, sh in shares.items():
                m_point = g.sub(m_point, g.mul(g.int_to_scalar(lam[j]), sh[ci][oi]))
            row.append(discrete_log(m_point, bound, f"contest {cid} option {oi}"))
        counts.append(row)
    return counts


def discrete_log(target: bytes, bound: int, what: str) -> int:
    acc = g.IDENTITY
    for m in range(bound + 1):
        if acc == target:
            return m
        acc = g.add(acc, g.BASE)
    raise BallotError("no-count", f"{what}: decrypted value is not a count in 0..{bound}")


def ceremony_rounds(
    manifest: Manifest,
    trustees: Sequence[str],
    documents: Callable[[], Mapping[int, Mapping[str, Any]]],
) -> Generator[tuple[str, int, str, dict[str, Any]], None, dict[int, TrusteeKey]]:
    """The whole key ceremony played for ``trustees`` (in manifest order), round by round.

    Yields ``(step, index, member, document)`` in the order the documents must be uploaded:
    every identity, then every commit, then each trustee's reveal and shares, then every
    finish; returns the trustees' keys.  ``documents()`` must give the documents uploaded so
    far, read when a trustee needs them (her share and finish steps), so the caller uploads
    each yielded document before asking for the next.  For the demo's seed and the tests'
    scenes, which play every trustee; a real trustee runs one step at a time on her own
    machine (``smolny trustee``).
    """
    keys: dict[int, TrusteeKey] = {}
    order = list(enumerate(trustees, start=1))
    for i, member in order:
        keys[i], identity = trustee_init(manifest, i)
        yield "identity", i, member, identity
    for i, member in order:
        yield "commit", i, member, trustee_commit(manifest, keys[i])
    for i, member in order:
        reveal, shares = trustee_share(manifest, keys[i], documents())
        yield "reveal", i, member, reveal
        yield "shares", i, member, shares
    for i, member in order:
        yield "finish", i, member, trustee_finish(manifest, keys[i], documents())
    return keys
