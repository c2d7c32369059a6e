"""Secret ballots: end-to-end verifiable, held for an election, a motion or a recall.

DESIGN: "A one-party 'secret ballot' whose count nobody could check" is answered by ballots
that are secret *and* verifiable: each voter can check that her ballot was counted as cast,
anyone can check the tally, and no single trustee can decrypt a ballot.  The cryptography is
:mod:`smolny.ballot` (pure, no Django); this module holds the rules around it, as the record
will hold them:

1. **Set up.**  The command that creates the subject (``call_election``, ``file_motion``,
   ``open_recall``) names ``ballot_mode="secret"``, the trustees (members, in order: the first
   is trustee 1) and the threshold k.  An election is approval or plurality: a ranked (STV)
   ballot cannot be kept secret *and* counted verifiably without a verifiable mixnet, which
   Smolny does not have, so it is refused rather than pretended.
2. **Manifest.**  Once the options are fixed (an election's nominations have closed, a motion's
   vote has opened, a recall petition has reached its ballot) anyone may publish the manifest.
3. **Key ceremony.**  Each trustee runs ``smolny trustee ...`` on her own machine with her own
   key file and uploads each document; the server checks it (signed, for this election, in
   order, a reveal equal to its commitment) and keeps it in the record.  It never sees a
   secret key.  When every trustee has finished, the ceremony is checked as a whole; the
   election key is published and **voting opens: the roll is frozen** — the registered
   credentials of the subject's voters at that moment.
4. **Ballots.**  A voter registers an Ed25519 credential (``register_credential``; her browser
   or ``smolny voter init`` keeps the secret).  A ballot is encrypted and proved on her own
   device and signed with it; the constitution verifies it once, when cast
   (``smolny.ballot.verify_ballot``), and the event holds the whole ballot with its proofs.
   Who voted is public (each ballot names its member); what she voted is not.  She may vote
   again before the close with a higher ``seq``; only her last ballot counts.  The server
   cannot stuff ballots: each must be signed by a credential on the roll.
5. **Tally.**  The ordinary close command (``close_election``, ``close_vote``,
   ``close_recall``) publishes the homomorphic tally of the counted ballots.
6. **Result.**  Trustees upload partial decryptions with proofs.  When k valid ones are in,
   the counts are combined and the subject is decided by its ordinary rules — seats, the
   motion's majority and effect, the recall — in the same command.  The decision event comes
   first, so ``smolny verify`` re-decides the close and gets the same result from the record.

7. **Void.**  A secret ballot nobody can decide must not keep its election, motion or recall
   open for ever: that would let one trustee who does nothing suspend the right to elect and
   recall (DESIGN's first row).  So any voter of the ballot's council may close it *as void*
   with the ordinary close command (``secret_ballot_void``, naming why and who was missing):

   - at once, if the key ceremony failed;
   - once voting was to close (``window_close``), if voting has not opened by then: the
     manifest was never published, or the trustees named had not uploaded the documents of
     the ceremony's unfinished round (those who had were waiting for them, and are not
     named).  From that moment no ceremony document is taken: voting that opened after its
     close would give nobody time to vote;
   - ``decryption_hours`` after the tally was published, if fewer than the threshold of
     trustees have decrypted it (those who had not are named).  Until someone closes it, a
     late decryption still decides it.

   A void ballot closes its subject with no result: an election elects nobody (its seats can
   be put to a new election at once), a motion is ``void`` (neither carried nor lost, its
   effect not executed), a recall ballot fails and the mandate stands (a new recall of it can
   be opened at once).  ``smolny verify`` re-decides the close like any other.

A recall held by secret ballot cannot carry "at once" when a majority of the constituency has
voted yes, since nobody knows the votes before the count; it is decided at the close (a
petition signed by a majority still ends the mandate at once, as the signatures are public).
Only the ballots of credentials on the frozen roll count, even if a voter has left since.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from smolny import canonical
from smolny.ballot import (
    BallotError,
    check_ceremony,
    check_decryption,
    combine,
    parse_election,
    parse_manifest,
    verify_ballot,
)
from smolny.ballot.ballots import VerifiedBallot
from smolny.ballot.election import Election as CryptoElection
from smolny.ballot.election import canonical_bytes, check_signature, unhex
from smolny.ballot.tally import (
    Entry,
    accumulate,
    result_document,
    select_counted,
    tally_document,
    tally_hash,
)
from smolny.ballot.trustee import STEPS, _checked_reveal

from . import commands as c
from .apply import folds
from .context import Ctx, conflict
from .errors import DomainError, NotAllowed, NotFound
from .events import fmt_time
from .state import State
from .words import office, when

KINDS = ("election", "motion", "recall")
SECRET_METHODS = ("plurality", "approval")
RANKED_REFUSAL = (
    "A ranked (STV) ballot cannot be held in secret here: counting ranked ballots verifiably "
    "without revealing them needs a verifiable mixnet, which Smolny does not have. Choose "
    "approval or plurality for a secret ballot, or hold the ranked ballot openly."
)
TYPES = {f"smolny-trustee-{step}": step for step in (*STEPS, "decryption")}

CEREMONY_AFTER: dict[str, tuple[str, ...]] = {
    "identity": (),
    "commit": ("identity",),
    "reveal": ("commit",),
    "shares": ("commit",),
    "finish": ("reveal", "shares"),
}
"""Each document of the key ceremony (in ``STEPS`` order) and what every trustee must have
uploaded before it is accepted: commit-then-reveal needs every commit before any reveal."""


def waiting_for(sb: SecretBallot, step: str) -> list[int]:
    """The trustees (by index) whose earlier documents ``step`` still waits for."""
    return [
        j
        for j in range(1, len(sb.trustees) + 1)
        if any(s not in sb.documents.get(j, {}) for s in CEREMONY_AFTER[step])
    ]


@dataclass
class SecretBallot:
    """One secret ballot, as folded from the record.  ``subject`` is the election, motion or
    recall id; trustee ``i`` is ``trustees[i - 1]``."""

    subject: str
    kind: str
    council: str
    trustees: list[str]
    threshold: int
    manifest: dict[str, Any] | None = None
    documents: dict[int, dict[str, dict[str, Any]]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    election: dict[str, Any] | None = None
    """The ``smolny-election`` document (manifest, joint key, fingerprint) once sealed."""
    verification_keys: dict[int, str] = field(default_factory=dict)
    roll: dict[str, str] = field(default_factory=dict)
    """Credential (hex) -> member, frozen when voting opened."""
    opened_at: datetime | None = None
    ballots: list[dict[str, Any]] = field(default_factory=list)
    """Every ballot cast, in order: member, seq, tracker, at, and the ballot document."""
    trackers: set[str] = field(default_factory=set)
    """The trackers of ``ballots``, and below each credential's highest seq: what a new
    ballot is checked against, in one look-up each rather than a pass over every ballot
    (inside the record's serial commit, for each of a congress's thousands)."""
    highest_seq: dict[str, int] = field(default_factory=dict)
    tally: dict[str, Any] | None = None
    tallied_at: datetime | None = None
    """When the tally was published: the trustees' ``decryption_hours`` run from then."""
    decryptions: dict[int, dict[str, Any]] = field(default_factory=dict)
    result: dict[str, Any] | None = None
    void: dict[str, Any] | None = None
    """The ``secret_ballot_void`` entry's data once the ballot is void: why, and who was
    missing (see ``void_words``)."""

    @property
    def phase(self) -> str:
        if self.void is not None:
            return "void"
        if self.result is not None:
            return "decided"
        if self.tally is not None:
            return "decrypting"
        if self.election is not None:
            return "voting"
        if self.failures:
            return "ceremony failed"
        if self.manifest is not None:
            return "ceremony"
        return "waiting for the manifest"

    def counted(self) -> list[dict[str, Any]]:
        """The last ballot of each credential (the re-voting rule)."""
        last: dict[str, dict[str, Any]] = {}
        for b in self.ballots:
            voter = b["ballot"]["voter"]
            if voter not in last or last[voter]["seq"] < b["seq"]:
                last[voter] = b
        return list(last.values())


# --- set-up, called by elections, motions and recall ---------------------------------------


def configure(
    ctx: Ctx, subject: str, kind: str, council: str, trustees: tuple[str, ...], threshold: int
) -> None:
    """Check the trustees and threshold, and record that ``subject`` is held in secret."""
    if not trustees:
        raise DomainError(
            "no_trustees",
            "A secret ballot needs trustees: name the members who will hold the election key "
            "(at least one; no single one can decrypt a ballot when the threshold is 2 or more).",
        )
    if len(set(trustees)) != len(trustees):
        raise DomainError("duplicate_trustee", "Name each trustee once.")
    for person in trustees:
        ctx.member(person)
    if not 1 <= threshold <= len(trustees) or len(trustees) > 64:
        raise DomainError(
            "bad_threshold",
            f"The threshold is how many of the {len(trustees)} trustees must take part to "
            f"decrypt the result: a whole number from 1 to {len(trustees)}.",
        )
    ctx.emit(
        "secret_ballot_set",
        subject=subject,
        kind=kind,
        council=council,
        trustees=list(trustees),
        threshold=threshold,
    )


def refuse_open_vote(subject: str) -> DomainError:
    return conflict(
        "secret_ballot",
        f"{subject} is decided by secret ballot: encrypt and cast your ballot in the booth "
        f"(/booth/{subject}).",
    )


def _ballot(ctx: Ctx, subject: str) -> SecretBallot:
    sb = ctx.state.secret.get(subject)
    if sb is None:
        raise NotFound("no_secret_ballot", f"{subject!r} is not held by secret ballot.")
    return sb


def _not_void(sb: SecretBallot) -> None:
    if sb.void is not None:
        raise conflict(
            "ballot_void",
            "This ballot is void: it was closed with no result, and takes nothing more.",
        )


def _crypto(sb: SecretBallot) -> CryptoElection:
    assert sb.election is not None
    return parse_election(sb.election)


def _refusal(exc: BallotError, what: str) -> DomainError:
    return DomainError(exc.code.replace("-", "_"), f"{what} was refused: {exc.message}.")


# --- credentials --------------------------------------------------------------------------


def register_credential(ctx: Ctx, cmd: c.RegisterCredential) -> None:
    ctx.me()
    try:
        key = unhex(cmd.public_key, "credential public key", 32)
        from nacl.signing import VerifyKey

        VerifyKey(key)
    except (BallotError, ValueError) as exc:
        message = exc.message if isinstance(exc, BallotError) else str(exc)
        raise DomainError(
            "bad_credential", f"That is not an Ed25519 public key (64 hex digits): {message}."
        ) from None
    for member, existing in ctx.state.credentials.items():
        if existing == cmd.public_key:
            raise conflict(
                "credential_taken",
                "This credential is already registered"
                + (" as yours." if member == ctx.actor else " by another member; make a new one."),
            )
    ctx.emit("credential_registered", member=ctx.actor, public_key=cmd.public_key)


# --- the manifest ---------------------------------------------------------------------------


def _manifest(ctx: Ctx, sb: SecretBallot) -> dict[str, Any]:
    council = ctx.state.councils[sb.council]
    contest: dict[str, Any]
    if sb.kind == "election":
        election = ctx.state.elections[sb.subject]
        if ctx.now < election.nominations_close:
            raise conflict(
                "nominations_open",
                "The ballot's options are the candidates, fixed when nominations close on "
                f"{when(election.nominations_close)}.",
            )
        if not election.open:
            raise conflict("election_closed", "This election is closed.")
        if not election.candidates:
            raise conflict("no_candidates", "Nobody stood; there is nothing to vote on.")
        contest = {"id": "candidates", "kind": election.method, "options": election.candidates}
        # The title is for people (the booth and ``smolny election`` show it): the office in
        # words.  It is hashed into the election's fingerprint, but only ever from the manifest
        # the record holds (``secret_manifest_published``), never re-derived from this code, so
        # elections whose manifests said ``control_commission`` still verify.
        seats = office(election.office) or "delegates"
        title = f"Election {sb.subject}: {seats} of {council.name}"
    elif sb.kind == "motion":
        motion = ctx.state.motions[sb.subject]
        if motion.status != "agenda" or motion.vote_opens is None or ctx.now < motion.vote_opens:
            raise conflict(
                "vote_not_open",
                "The manifest is published once the motion's vote has opened.",
            )
        contest = {"id": "motion", "kind": "motion", "options": ["yes", "no", "abstain"]}
        title = f"Motion {sb.subject}: {motion.title}"
    else:
        recall = ctx.state.recalls[sb.subject]
        if recall.status != "ballot":
            raise conflict(
                "ballot_not_open", "The recall ballot opens once enough of the constituency signs."
            )
        holder = ctx.state.members[ctx.state.mandates[recall.mandate].holder]
        contest = {"id": "recall", "kind": "plurality", "options": ["yes", "no"]}
        title = f"Recall {sb.subject} of {holder.name} ({council.name})"
    return {
        "type": "smolny-election-manifest",
        "version": 1,
        "election_id": sb.subject.lower(),
        "title": title,
        "trustees": len(sb.trustees),
        "threshold": sb.threshold,
        "contests": [contest],
    }


def publish_manifest(ctx: Ctx, cmd: c.PublishManifest) -> None:
    sb = _ballot(ctx, cmd.subject)
    ctx.me()
    _not_void(sb)
    if sb.manifest is not None:
        raise conflict("manifest_published", "The manifest of this ballot is already published.")
    manifest = _manifest(ctx, sb)
    parse_manifest(manifest)  # our own document: a failure here is a bug, not a refusal
    ctx.emit("secret_manifest_published", subject=sb.subject, manifest=manifest)


# --- the key ceremony and the decryptions ------------------------------------------------


def upload_trustee_document(ctx: Ctx, cmd: c.UploadTrusteeDocument) -> None:
    sb = _ballot(ctx, cmd.subject)
    ctx.me()
    doc = dict(cmd.document)
    step = TYPES.get(str(doc.get("type")))
    index = doc.get("index")
    if step is None or not isinstance(index, int) or isinstance(index, bool):
        raise DomainError(
            "bad_document",
            "Upload a trustee document written by `smolny trustee` (identity, commit, reveal, "
            "shares, finish or decryption).",
        )
    if not 1 <= index <= len(sb.trustees) or sb.trustees[index - 1] != ctx.actor:
        raise NotAllowed(
            "not_trustee",
            f"Only trustee {index} of this ballot can upload its documents"
            + (f" ({sb.trustees[index - 1]})." if 1 <= index <= len(sb.trustees) else "."),
        )
    _not_void(sb)
    if sb.manifest is None:
        raise conflict("no_manifest", "The manifest is not published yet; publish it first.")
    manifest = parse_manifest(sb.manifest)
    if doc.get("election_id") != manifest.election_id or doc.get("manifest") != (
        manifest.hash.hex()
    ):
        raise DomainError(
            "wrong_election", f"This {step} document was written for another election."
        )
    mine = sb.documents.get(index, {})
    if step == "decryption":
        _check_decryption(ctx, sb, index, doc)
    else:
        if sb.election is not None or sb.failures:
            raise conflict("ceremony_over", "The key ceremony of this ballot is over.")
        if ceremony_too_late(ctx.state, sb, ctx.now):
            closes = window_close(ctx.state, sb)
            # Voting opened after it was to close would give nobody the time to vote: the
            # ceremony stops at the deadline, and the ballot is then void (``close``).
            raise conflict(
                "ceremony_too_late",
                f"Voting was to close on {when(closes)} and the key ceremony had not finished "
                "by then, so this ballot can no longer open; any voter of "
                f"{ctx.state.councils[sb.council].name} may close it as void.",
            )
        if step in mine:
            raise conflict(
                "already_uploaded",
                f"Trustee {index}'s {step} document is already in the record; it cannot change.",
            )
        needed = CEREMONY_AFTER[step]
        others = waiting_for(sb, step)
        if others:
            raise conflict(
                "ceremony_out_of_order",
                f"A {step} document comes after every trustee's "
                f"{' and '.join(needed)}; still missing from "
                f"trustee{'s' if len(others) > 1 else ''} {', '.join(map(str, others))}.",
            )
        signer = doc.get("signing_key") if step == "identity" else mine["identity"]["signing_key"]
        try:
            check_signature(unhex(signer, "signing key", 32), doc, f"trustee {index} {step}")
            if step == "reveal":
                _checked_reveal(manifest, {index: {**mine, "reveal": doc}}, index)
        except BallotError as exc:
            raise _refusal(exc, f"Trustee {index}'s {step} document") from None
    ctx.emit(
        "trustee_document_uploaded", subject=sb.subject, trustee=index, step=step, document=doc
    )
    if step == "finish":
        _maybe_seal(ctx, sb, index, doc)
    elif step == "decryption":
        assert sb.tally is not None
        if sb.result is None and len(set(sb.decryptions) | {index}) >= sb.threshold:
            decide_result(ctx, sb, {**sb.decryptions, index: doc})


def _maybe_seal(ctx: Ctx, sb: SecretBallot, index: int, doc: dict[str, Any]) -> None:
    docs = {j: dict(d) for j, d in sb.documents.items()}
    docs.setdefault(index, {})["finish"] = doc
    if any("finish" not in docs.get(j, {}) for j in range(1, len(sb.trustees) + 1)):
        return
    assert sb.manifest is not None
    manifest = parse_manifest(sb.manifest)
    ceremony = check_ceremony(manifest, docs)
    if ceremony.failures or ceremony.public_key is None:
        ctx.emit(
            "secret_ceremony_failed",
            subject=sb.subject,
            failures=[
                f"trustee {who} ({step}): {message}" for who, step, message in ceremony.failures
            ],
        )
        return
    from smolny.ballot import make_election

    election = make_election(manifest, ceremony.public_key)
    roll = frozen_roll(ctx.state, sb.council)
    ctx.emit(
        "secret_voting_opened",
        subject=sb.subject,
        election=election.to_json(),
        verification_keys={
            str(j): vk.hex() for j, vk in sorted(ceremony.verification_keys.items())
        },
        voters=len(roll),
        roll_hash=roll_hash(roll),
    )


def frozen_roll(state: State, council: str) -> dict[str, str]:
    """Credential -> member: the registered credentials of the council's voters, now.

    The event that opens voting names only the roll's size and hash: the roll is a fact of the
    state (every credential is an entry of its own), and listing a congress's thousands of
    credentials in one event would make its entry too large to record.  Replay folds the same
    roll from the same state, and the hash lets anyone check it."""
    voters = set(state.voters(council))
    return {key: member for member, key in sorted(state.credentials.items()) if member in voters}


def roll_hash(roll: Mapping[str, str]) -> str:
    return hashlib.sha256(canonical.encode(sorted(roll))).hexdigest()


def _tally_cts(tally: Mapping[str, Any]) -> list[tuple[str, list[tuple[bytes, bytes]]]]:
    return [
        (t["id"], [(bytes.fromhex(a), bytes.fromhex(b)) for a, b in t["ciphertexts"]])
        for t in tally["contests"]
    ]


def _shares(sb: SecretBallot, index: int, doc: Mapping[str, Any]) -> list[list[bytes]]:
    assert sb.tally is not None
    return check_decryption(
        _crypto(sb),
        sb.documents[index]["identity"],
        bytes.fromhex(sb.verification_keys[index]),
        _tally_cts(sb.tally),
        tally_hash(sb.tally),
        doc,
    )


def _check_decryption(ctx: Ctx, sb: SecretBallot, index: int, doc: dict[str, Any]) -> None:
    if sb.tally is None:
        raise conflict(
            "no_tally", "There is no tally to decrypt yet: the ballot must be closed first."
        )
    if index in sb.decryptions:
        raise conflict(
            "already_uploaded", f"Trustee {index}'s decryption is already in the record."
        )
    try:
        _shares(sb, index, doc)
    except BallotError as exc:
        raise _refusal(exc, f"Trustee {index}'s partial decryption") from None
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise DomainError(
            "bad_document", f"Trustee {index}'s partial decryption is malformed ({exc})."
        ) from None


# --- casting ------------------------------------------------------------------------------


def ceremony_too_late(state: State, sb: SecretBallot, now: datetime) -> bool:
    """Whether the key ceremony of ``sb`` can no longer finish: voting was to close and it had
    not.  From then no ceremony document is taken (``upload_trustee_document``), the roll can
    never freeze, and any voter may close the ballot as void (``close``): nobody is to be told
    to upload a document or register a credential for it any more."""
    if sb.election is not None or sb.failures or sb.void is not None:
        return False
    if sb.kind == "recall" and state.recalls[sb.subject].ballot_close is None:
        return False  # a petition: its ballot, and so its deadline, has not come
    if sb.kind == "motion" and state.motions[sb.subject].vote_closes is None:
        return False  # not on the agenda yet
    return now >= window_close(state, sb)


def window_close(state: State, sb: SecretBallot) -> datetime:
    """When voting closes: the subject's own deadline."""
    if sb.kind == "election":
        return state.elections[sb.subject].voting_close
    if sb.kind == "motion":
        closes = state.motions[sb.subject].vote_closes
    else:
        closes = state.recalls[sb.subject].ballot_close
    assert closes is not None
    return closes


class RollKeys(Collection[bytes]):
    """The credentials on a frozen roll, as the ballot library asks for them (raw bytes),
    read from the roll itself (hex -> member).  Building a set of every credential for each
    ballot cost a congress of 5,000 about 2 ms per ballot inside the record's serial commit
    (bench/secret_congress.py); a membership test here is one dictionary look-up."""

    def __init__(self, roll: Mapping[str, str]) -> None:
        self._roll = roll

    def __contains__(self, key: object) -> bool:
        return isinstance(key, bytes) and key.hex() in self._roll

    def __iter__(self) -> Iterator[bytes]:
        return (bytes.fromhex(k) for k in self._roll)

    def __len__(self) -> int:
        return len(self._roll)


_VERIFIED: dict[tuple[bytes, bytes], VerifiedBallot] = {}
_VERIFIED_LIMIT = 20000


def checked_ballot(
    election: CryptoElection, ballot: Any, roll: Collection[bytes]
) -> VerifiedBallot:
    """``verify_ballot``, remembered by the ballot's exact bytes.

    Verifying a ballot costs milliseconds of group operations, and ``decide`` runs inside the
    record's commit, one command after another.  The booth's view (``pages/views/booth.py``)
    therefore verifies a ballot before it queues the command, in its own request thread, and
    the decision then finds the result here: the serial part of a cast is a hash.  This is a
    memo of a pure function keyed by the election's fingerprint and the SHA-256 of the
    ballot's canonical bytes, so it cannot change any decision; a ballot whose credential is
    not on the roll given is verified again, and refused as the library refuses it.
    """
    if not isinstance(ballot, dict):
        return verify_ballot(election, ballot, roll)
    try:
        key = (election.fingerprint, hashlib.sha256(canonical_bytes(ballot)).digest())
    except (TypeError, ValueError):
        return verify_ballot(election, ballot, roll)
    hit = _VERIFIED.get(key)
    if hit is not None and hit.voter in roll:
        return hit
    verified = verify_ballot(election, ballot, roll)
    if len(_VERIFIED) >= _VERIFIED_LIMIT:
        _VERIFIED.clear()
    _VERIFIED[key] = verified
    return verified


def preverify(state: State, subject: str, ballot: Any) -> None:
    """Verify a ballot outside the commit (see ``checked_ballot``); errors are left for the
    decision to report."""
    sb = state.secret.get(subject)
    if sb is None or sb.election is None:
        return
    try:
        checked_ballot(_crypto(sb), ballot, RollKeys(sb.roll))
    except (BallotError, KeyError, TypeError, AttributeError, ValueError):
        return


def _require_open_to(ctx: Ctx, sb: SecretBallot) -> None:
    """Everything about the voter and the moment that lets her cast (not her ballot, which is
    checked when cast): the decision refuses with the first that fails; ``may_cast`` asks the
    same for the pages."""
    ctx.require_voter(sb.council, "vote on it")
    _not_void(sb)
    if sb.election is None:
        raise conflict(
            "voting_not_open",
            "Voting opens when the trustees have finished the key ceremony"
            + (" (it failed: " + "; ".join(sb.failures) + ")." if sb.failures else "."),
        )
    if sb.tally is not None or ctx.now >= window_close(ctx.state, sb):
        raise conflict("voting_closed", "Voting has closed on this ballot.")


def may_cast(state: State, subject: str, member: str, now: datetime) -> bool:
    """Whether ``member`` may cast a ballot in ``subject`` at ``now`` (a first one, or one that
    replaces hers: only her last ballot counts): a voter of its council, voting open, and her
    credential on the roll frozen when voting opened (the roll ``verify_ballot`` checks)."""
    sb = state.secret.get(subject)
    if sb is None or not member:
        return False
    try:
        _require_open_to(Ctx(state, member, now), sb)
    except DomainError:
        return False
    return member in sb.roll.values()


def has_cast(state: State, subject: str, member: str) -> bool:
    """Whether ``member`` has a ballot in the box of ``subject``.  Who voted is public (each
    ballot names its member, DESIGN); what she voted is not, and nothing here knows it."""
    sb = state.secret.get(subject)
    return sb is not None and any(b["member"] == member for b in sb.ballots)


# --- who must still register a credential, and until when -------------------------------


@dataclass(frozen=True)
class CredentialDue:
    """A secret ballot whose frozen roll would hold ``member``'s credential, had she one.

    The roll is frozen when the trustees finish the key ceremony (``_maybe_seal``), a moment
    nobody can name in advance.  What can be named is the earliest it may come: the ceremony
    starts from the manifest, and the manifest waits for the ballot's options (``_manifest``:
    an election's nominations close, a motion's vote opens, a recall petition reaches its
    ballot).  A member who registers before that moment is certain to be on the roll."""

    subject: str
    kind: str
    council: str
    earliest: datetime | None
    """The earliest moment the roll can freeze, while it is still to come; None once it has
    come (the roll may freeze at any moment) or while it waits on something nobody can date
    (a motion's co-sponsors, a recall petition's signatures)."""
    deadline: str
    """Until when to register, in words a member acts on; it completes the sentence
    "Register your voting credential ..."."""


_AT_ANY_MOMENT = (
    "now: the roll of voters is frozen as soon as the trustees finish the key ceremony, "
    "which may happen at any moment"
)


def _roll_freezes(state: State, sb: SecretBallot, now: datetime) -> tuple[datetime | None, str]:
    """The earliest moment ``sb``'s roll can freeze and the deadline in words (see
    ``CredentialDue``); ``sb`` is not yet open and its subject not yet decided."""
    then = "and the roll of voters is frozen as soon as the trustees finish the key ceremony"
    if sb.kind == "election":
        moment = state.elections[sb.subject].nominations_close
        event = "nominations close then"
    elif sb.kind == "motion":
        motion = state.motions[sb.subject]
        if motion.vote_opens is None:
            hours = state.params.motion_notice_hours
            return None, (
                f"before the motion's vote opens: {hours} hour{'s' if hours != 1 else ''} after "
                f"it reaches the agenda (it has not yet), {then} that follows"
            )
        moment = motion.vote_opens
        event = "its vote opens then"
    else:
        if state.recalls[sb.subject].status == "petition":
            return None, (
                "now: the recall ballot opens as soon as enough of the constituency signs the "
                f"petition, {then} that follows"
            )
        return None, _AT_ANY_MOMENT
    if sb.manifest is not None or now >= moment:
        return None, _AT_ANY_MOMENT
    return moment, f"before {when(moment)}: {event}, {then} that follows"


def _undecided(state: State, sb: SecretBallot) -> bool:
    if sb.kind == "election":
        return state.elections[sb.subject].open
    if sb.kind == "motion":
        return state.motions[sb.subject].status in ("filed", "agenda")
    return state.recalls[sb.subject].status in ("petition", "ballot")


def credential_due(state: State, subject: str, member: str, now: datetime) -> CredentialDue | None:
    """Whether ``member`` must still register a voting credential to vote in ``subject``,
    and until when; None if she need not, or no longer can.

    She must when she is a voter of the ballot's council (``frozen_roll`` takes the
    credentials of exactly those voters), has no credential registered (one credential serves
    every ballot), and the roll is not frozen yet: the subject is undecided and its key
    ceremony has neither finished (the roll is then frozen without her) nor failed nor run
    past the time voting was to close (voting never opens).  The home page and the booth ask this; nothing here refuses anything:
    registering stays open to every member at any time (``register_credential``)."""
    sb = state.secret.get(subject)
    person = state.members.get(member)
    if sb is None or person is None or not person.active or member in state.credentials:
        return None
    if sb.election is not None or sb.failures or not _undecided(state, sb):
        return None
    if ceremony_too_late(state, sb, now):
        return None  # the roll will never freeze: the ballot can only be closed as void
    if not state.is_voter(sb.council, member):
        return None
    earliest, deadline = _roll_freezes(state, sb, now)
    return CredentialDue(sb.subject, sb.kind, sb.council, earliest, deadline)


def credentials_due(state: State, member: str, now: datetime) -> list[CredentialDue]:
    """``credential_due`` for every secret ballot, in the order they were set up."""
    due = (credential_due(state, subject, member, now) for subject in state.secret)
    return [d for d in due if d is not None]


def cast(ctx: Ctx, cmd: c.CastSecretBallot) -> None:
    sb = _ballot(ctx, cmd.subject)
    _require_open_to(ctx, sb)
    roll = RollKeys(sb.roll)
    try:
        verified = checked_ballot(_crypto(sb), cmd.ballot, roll)
    except BallotError as exc:
        raise _refusal(exc, "Your ballot") from None
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise DomainError("bad_ballot", f"Your ballot is malformed ({exc}).") from None
    credential = verified.voter.hex()
    if sb.roll[credential] != ctx.actor:
        raise NotAllowed(
            "not_your_credential",
            "This ballot is signed with a credential on the roll that is not yours.",
        )
    if verified.tracker in sb.trackers:
        raise conflict(
            "duplicate_ballot",
            f"This exact ballot (tracker {verified.tracker}) is already in the record.",
        )
    earlier = sb.highest_seq.get(credential)
    if earlier is not None and earlier >= verified.seq:
        raise conflict(
            "duplicate_ballot",
            f"You have already cast a ballot with seq {earlier}; a new ballot "
            f"replaces it only with a higher seq (this one has seq {verified.seq}).",
        )
    ctx.emit(
        "secret_ballot_cast",
        subject=sb.subject,
        member=ctx.actor,
        seq=verified.seq,
        tracker=verified.tracker,
        ballot=dict(cmd.ballot),
    )


# --- close: the tally, then the result ----------------------------------------------------


def close(ctx: Ctx, subject: str) -> None:
    """The ordinary close command of a subject held in secret: the tally, the result once
    enough trustees have decrypted, or the void (see the module docstring, "Void")."""
    sb = _ballot(ctx, subject)
    if sb.void is not None:
        raise conflict("ballot_void", "This ballot is void; it was closed with no result.")
    if sb.result is not None:
        raise conflict("decided", "This ballot has been decided.")
    if sb.tally is not None:
        if len(sb.decryptions) >= sb.threshold:
            decide_result(ctx, sb, sb.decryptions)
            return
        due = decryption_due(ctx.state, sb)
        if ctx.now < due:
            raise conflict(
                "awaiting_trustees",
                f"The tally is published; {len(sb.decryptions)} of the {sb.threshold} trustees "
                f"needed have decrypted it. If fewer than {sb.threshold} have by {when(due)}, "
                f"any voter of {ctx.state.councils[sb.council].name} may then close the ballot "
                "as void.",
            )
        missing = [
            {"trustee": j, "member": member, "steps": ["decryption"]}
            for j, member in enumerate(sb.trustees, start=1)
            if j not in sb.decryptions
        ]
        _void(ctx, sb, "decryption_short", deadline=due, missing=missing)
        return
    if sb.election is None:
        closes = window_close(ctx.state, sb)
        if sb.failures:
            _void(ctx, sb, "ceremony_failed")
        elif ctx.now >= closes:
            if sb.manifest is None:
                _void(ctx, sb, "no_manifest", deadline=closes)
            else:
                _void(ctx, sb, "ceremony_unfinished", deadline=closes, missing=holding_up(sb))
        else:
            waiting = holding_up(sb)
            named = "; ".join(
                f"trustee {m['trustee']} ({ctx.state.members[m['member']].name}) "
                f"has not uploaded the {steps_words(m['steps'])}"
                for m in waiting
            )
            raise conflict(
                "voting_not_open",
                "The trustees have not produced the election key, so this ballot never opened"
                + (
                    f" ({named})"
                    if waiting and sb.manifest is not None
                    else " (its manifest is not published yet)"
                    if sb.manifest is None
                    else ""
                )
                + f". If it has not opened by {when(closes)}, when voting was to close, any "
                f"voter of {ctx.state.councils[sb.council].name} may then close it as void.",
            )
        return
    closes = window_close(ctx.state, sb)
    if ctx.now < closes and not _everyone_voted(sb):
        raise conflict(
            "voting_still_open",
            f"Voting is open until {when(closes)}, unless every voter on the roll has "
            "voted before then.",
        )
    election = _crypto(sb)
    entries = []
    for b in sb.ballots:
        ballot = b["ballot"]
        cts = tuple(
            tuple((bytes.fromhex(x), bytes.fromhex(y)) for x, y in contest["ciphertexts"])
            for contest in ballot["contests"]
        )
        entries.append(
            Entry(b["tracker"], bytes.fromhex(ballot["voter"]), b["seq"], b["tracker"], cts)
        )
    counted, _ = select_counted(entries)
    tally = tally_document(election, counted, accumulate(election, counted))
    # The event holds the sums, not the list of counted trackers (a congress's thousands would
    # not fit one entry): the trackers are those of each credential's last ballot, which the
    # state holds, so the fold rebuilds the same tally document (and its hash, which the
    # trustees' decryption proofs bind to).
    ctx.emit(
        "secret_tally_published",
        subject=sb.subject,
        counted=len(tally["counted"]),
        tally_hash=tally_hash(tally).hex(),
        contests=tally["contests"],
    )


def _everyone_voted(sb: SecretBallot) -> bool:
    """Every credential on the roll has cast a ballot (``highest_seq`` has one key per
    credential that has)."""
    return bool(sb.roll) and sb.roll.keys() <= sb.highest_seq.keys()


def may_close(state: State, subject: str, now: datetime, member: str | None = None) -> bool:
    """Whether ``member`` (``None``: some voter of the ballot's council, for a visitor who would
    sign in first) may close the secret ballot of ``subject`` at ``now``: whether :func:`close`
    would decide it (publish the tally, declare the result, or close it as void) rather than
    refuse it.  The motion and recall pages offer their close only then, so nobody is invited
    to press a button the rules refuse ("voting is open until ...", "only the members of ...
    can close this ballot as void").

    The close that publishes the tally sums every ballot cast; a page asks this on every
    view, so that one case is answered from the deadline and the roll alone, as ``close``
    answers it before summing."""
    sb = state.secret.get(subject)
    if sb is None or sb.void is not None or sb.result is not None:
        return False
    if sb.election is not None and sb.tally is None:
        return now >= window_close(state, sb) or _everyone_voted(sb)
    actor = member if member is not None else next(iter(state.voters(sb.council)), None)
    if actor is None:
        return False
    try:
        close(Ctx(state, actor, now), subject)
    except DomainError:
        return False
    return True


# --- void: a ballot that cannot be decided is closed with no result -------------------------

ROUNDS: tuple[tuple[str, ...], ...] = (
    ("identity",),
    ("commit",),
    ("reveal", "shares"),
    ("finish",),
)
"""The key ceremony's rounds: each starts when every trustee has finished the one before
(``upload_trustee_document``'s order)."""

STEP_WORDS = {
    "identity": "identity",
    "commit": "commitment",
    "reveal": "reveal",
    "shares": "key shares",
    "finish": "final",
    "decryption": "partial decryption",
}

VOID_REASONS = ("ceremony_failed", "no_manifest", "ceremony_unfinished", "decryption_short")


def holding_up(sb: SecretBallot) -> list[dict[str, Any]]:
    """The trustees the key ceremony waits for, each with the documents of the present round
    she has not uploaded: those lacking a document of the earliest unfinished round.  Trustees
    who have done their part of it are not named: they were waiting for the others."""
    for round_ in ROUNDS:
        lacking = []
        for j, member in enumerate(sb.trustees, start=1):
            mine = sb.documents.get(j, {})
            steps = [step for step in round_ if step not in mine]
            if steps:
                lacking.append({"trustee": j, "member": member, "steps": steps})
        if lacking:
            return lacking
    return []


def decryption_due(state: State, sb: SecretBallot) -> datetime:
    """Until when the trustees have to decrypt the published tally (``decryption_hours``)."""
    assert sb.tallied_at is not None
    return sb.tallied_at + timedelta(hours=state.params.decryption_hours)


def _void(
    ctx: Ctx,
    sb: SecretBallot,
    reason: str,
    *,
    deadline: datetime | None = None,
    missing: list[dict[str, Any]] | None = None,
) -> None:
    """Close ``sb``'s subject with no result.  Only its council's voters may: the ballot is
    theirs, and so is the choice to end it."""
    ctx.require_voter(sb.council, "close this ballot as void")
    ctx.emit(
        "secret_ballot_void",
        subject=sb.subject,
        kind=sb.kind,
        reason=reason,
        deadline=fmt_time(deadline) if deadline is not None else None,
        failures=list(sb.failures),
        missing=missing or [],
        decrypted=len(sb.decryptions),
        needed=sb.threshold,
    )


def steps_words(steps: list[str]) -> str:
    words = [STEP_WORDS.get(step, step) for step in steps]
    return f"{' and '.join(words)} document{'s' if len(words) > 1 else ''}"


def void_words(void: Mapping[str, Any], name: Callable[[str], str]) -> str:
    """Why a ballot is void, in words completing "This ballot is void: ...", from the data of
    its ``secret_ballot_void`` entry; ``name`` gives a member's name from her id.  The entry
    holds only facts (codes, indices, ids, a time), never these words, so that the words can
    improve without an old record failing its recount."""
    reason = void.get("reason")
    deadline = void.get("deadline")
    by = when(deadline) if deadline else ""
    who = [
        f"{name(str(m['member']))} (trustee {m['trustee']})"
        + (
            ""
            if reason == "decryption_short"
            else f", who had not uploaded the {steps_words(list(m['steps']))}"
        )
        for m in void.get("missing", [])
    ]
    # The ceremony's items hold commas of their own ("Ivan (trustee 2), who ..."): semicolons.
    last = " and " if reason == "decryption_short" else "; and "
    comma = ", " if reason == "decryption_short" else "; "
    listed = comma.join(who[:-1]) + last + who[-1] if len(who) > 1 else "".join(who)
    if reason == "ceremony_failed":
        return (
            "its key ceremony failed, so voting never opened ("
            + "; ".join(str(f) for f in void.get("failures", []))
            + ")"
        )
    if reason == "no_manifest":
        return (
            f"its manifest had not been published by {by}, when voting was to close, so the "
            "key ceremony never started and voting never opened"
        )
    if reason == "ceremony_unfinished":
        return (
            f"the trustees had not finished the key ceremony by {by}, when voting was to close, "
            f"so voting never opened: it was waiting for {listed}"
        )
    if reason == "decryption_short":
        decrypted = int(void.get("decrypted", 0))
        needed = void.get("needed", 0)
        short = (
            f"only {decrypted} of the {needed} trustees needed had decrypted its tally by {by}"
            if decrypted
            else f"no trustee had decrypted its tally by {by} ({needed} were needed)"
        )
        return f"{short}, so it could not be counted: {listed} had not"
    return str(reason)


CONSEQUENCES = {
    "election": "nobody was elected, and a new election for the same seats can be called",
    "motion": "the motion was not decided (void), and it can be filed again",
    "recall": "the recall failed and the mandate stands; a new recall of it can be opened",
}
"""What a void ballot means for its subject, in words."""


def _tally_of(sb: SecretBallot, contests: list[dict[str, Any]]) -> dict[str, Any]:
    assert sb.election is not None
    return {
        "type": "smolny-tally",
        "version": 1,
        "election": sb.election["fingerprint"],
        "counted": sorted(b["tracker"] for b in sb.counted()),
        "contests": contests,
    }


def decide_result(ctx: Ctx, sb: SecretBallot, decryptions: Mapping[int, dict[str, Any]]) -> None:
    """Combine k decryptions (the lowest indices) and decide the subject by its own rules.
    The decision event comes first (see the module docstring)."""
    assert sb.tally is not None
    chosen = sorted(decryptions)[: sb.threshold]
    shares = {i: _shares(sb, i, decryptions[i]) for i in chosen}
    counted = len(sb.tally["counted"])
    cts = _tally_cts(sb.tally)
    counts = combine(sb.threshold, cts, shares, counted)
    result = result_document(_crypto(sb), chosen, counts, counted)
    options = dict(
        zip(parse_election(sb.election).manifest.contests[0].options, counts[0], strict=True)
    )
    seed = hashlib.sha256(canonical.encode(sb.tally)).hexdigest()
    if sb.kind == "election":
        from .elections import close_and_seat

        election = ctx.state.elections[sb.subject]
        close_and_seat(
            ctx,
            election,
            set(ctx.state.voters(sb.council)),
            tallies=options,
            seed=seed,
            counted=counted,
        )
    elif sb.kind == "motion":
        from .motions import decide_counts

        motion = ctx.state.motions[sb.subject]
        decide_counts(
            ctx,
            motion,
            options["yes"],
            options["no"],
            options["abstain"],
            len(ctx.state.voters(motion.council)),
            {},
        )
    else:
        from .recall import decide_counts as decide_recall

        decide_recall(ctx, ctx.state.recalls[sb.subject], options["yes"], options["no"])
    ctx.emit("secret_result_published", subject=sb.subject, result=result)


# --- the election directory ----------------------------------------------------------------


def election_files(state: State, subject: str) -> dict[str, Any]:
    """The election directory of ``docs/ballots.md`` as the record holds it: path -> document.

    ``smolny election export`` writes these files and ``smolny verify-election`` checks them;
    the booth serves them at ``/secret/<subject>/files.json``."""
    sb = state.secret.get(subject)
    if sb is None or sb.manifest is None:
        return {}
    files: dict[str, Any] = {"manifest.json": sb.manifest}
    files["voters.json"] = {
        "type": "smolny-voter-roll",
        "election_id": sb.manifest["election_id"],
        "voters": sorted(sb.roll),
    }
    for index, docs in sorted(sb.documents.items()):
        for step, doc in docs.items():
            files[f"trustees/{index}/{step}.json"] = doc
    if sb.election is not None:
        files["election.json"] = sb.election
    for n, b in enumerate(sb.ballots, start=1):
        files[f"ballots/{n:08d}.json"] = b["ballot"]
    if sb.tally is not None:
        files["tally.json"] = sb.tally
    for index, doc in sorted(sb.decryptions.items()):
        files[f"decryptions/{index}.json"] = doc
    if sb.result is not None:
        files["result.json"] = sb.result
    return files


# --- folds --------------------------------------------------------------------------------


def _touch(s: State, sb: SecretBallot) -> None:
    s.dirty.add((sb.kind, sb.subject))


@folds("credential_registered")
def _credential(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    s.credentials[d["member"]] = d["public_key"]


@folds("secret_ballot_set")
def _set(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    sb = SecretBallot(d["subject"], d["kind"], d["council"], list(d["trustees"]), d["threshold"])
    s.secret[sb.subject] = sb
    if sb.kind == "election":
        s.elections[sb.subject].ballot_mode = "secret"
    elif sb.kind == "motion":
        s.motions[sb.subject].ballot_mode = "secret"
    _touch(s, sb)


@folds("secret_manifest_published")
def _manifest_published(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    sb = s.secret[d["subject"]]
    sb.manifest = d["manifest"]
    _touch(s, sb)


@folds("trustee_document_uploaded")
def _uploaded(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    sb = s.secret[d["subject"]]
    if d["step"] == "decryption":
        sb.decryptions[d["trustee"]] = d["document"]
    else:
        sb.documents.setdefault(d["trustee"], {})[d["step"]] = d["document"]
    _touch(s, sb)


@folds("secret_ceremony_failed")
def _failed(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    sb = s.secret[d["subject"]]
    sb.failures = list(d["failures"])
    _touch(s, sb)


@folds("secret_voting_opened")
def _opened(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    sb = s.secret[d["subject"]]
    sb.election = d["election"]
    sb.verification_keys = {int(j): vk for j, vk in d["verification_keys"].items()}
    sb.roll = frozen_roll(s, sb.council)
    sb.opened_at = at
    _touch(s, sb)


@folds("secret_ballot_cast")
def _cast(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    sb = s.secret[d["subject"]]
    sb.ballots.append(
        {
            "member": d["member"],
            "seq": d["seq"],
            "tracker": d["tracker"],
            "at": at,
            "ballot": d["ballot"],
        }
    )
    sb.trackers.add(d["tracker"])
    voter = d["ballot"]["voter"]
    sb.highest_seq[voter] = max(sb.highest_seq.get(voter, 0), d["seq"])
    _touch(s, sb)


@folds("secret_tally_published")
def _tallied(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    sb = s.secret[d["subject"]]
    sb.tally = _tally_of(sb, d["contests"])
    sb.tallied_at = at
    _touch(s, sb)


@folds("secret_result_published")
def _result(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    sb = s.secret[d["subject"]]
    sb.result = d["result"]
    _touch(s, sb)
