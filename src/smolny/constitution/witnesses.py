"""The record's witnesses: the mirrors whose cosignatures make a checkpoint *final*.

DESIGN: "The record is replicated: mirrors keep complete copies and cosign checkpoints", and
the federation's parameters "can require k cosignatures before a checkpoint is called final".
Who those mirrors are, and how many of them must cosign, are facts of the federation, not
settings of its server: an operator who chose his own witnesses could vouch for his own
rewritten history.  So the congress admits and removes witnesses by motion, with two thirds
of the votes cast (as for the parameters), and ``witness_quorum`` is a parameter like the
others.

A witness is the name and the C2SP verifier key (``name+keyid+base64``, type 0x04
cosignature/v1) of one mirror.  Its name is the key's own name, the one its cosignature lines
carry; a second, free-standing name could disagree with it.  The rules:

- the key must parse and be a cosignature/v1 key (a log's own note key is type 0x01);
- one witness per name, and one per public key: a mirror admitted twice under two names would
  count twice towards the quorum;
- the quorum never exceeds the number of witnesses, so a checkpoint can always become final:
  an amendment raising it beyond them is refused, and so is removing a witness when exactly
  the quorum remain ("lower witness_quorum first").  Both are checked again when the motion
  carries; if the witnesses changed meanwhile, the effect lapses.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from smolny.record.note import SIG_COSIGNATURE_V1, KeyFormatError, VerifierKey

from .apply import folds
from .context import Ctx, conflict
from .errors import DomainError, NotAllowed
from .state import Motion, State, Witness

MAX_WITNESSES = 64
"""A signed note carries at most 100 signatures (smolny.record.note.MAX_SIGNATURES): the log's
own and every witness's must fit on one checkpoint."""


def parse_key(text: object) -> VerifierKey:
    """A witness's verifier key, or a refusal saying what is wrong with the text given."""
    if not isinstance(text, str) or not text.strip():
        raise DomainError(
            "invalid_witness_key",
            "Give the witness's verifier key, as its mirror prints it (name+keyid+key).",
        )
    try:
        key = VerifierKey.parse(text.strip())
    except KeyFormatError as error:
        raise DomainError(
            "invalid_witness_key",
            f"That is not a verifier key ({str(error).rstrip('.')}); copy the whole line the "
            "mirror wrote to witness-key.pub.",
        ) from None
    if key.sig_type != SIG_COSIGNATURE_V1:
        raise DomainError(
            "invalid_witness_key",
            f"A witness signs with a cosignature/v1 key (type 04); this one is type "
            f"{key.sig_type:02x}. Give the mirror's witness-key.pub, not a log's key.",
        )
    return key


def check_new(state: State, key: VerifierKey) -> None:
    """Refuse a witness already admitted, by name or by public key."""
    _check_clash(((w.name, VerifierKey.parse(w.key)) for w in state.witnesses.values()), key)


def _check_clash(admitted: Iterable[tuple[str, VerifierKey]], key: VerifierKey) -> None:
    count = 0
    for name, other in admitted:
        count += 1
        if name == key.name:
            raise conflict(
                "witness_exists",
                f"There is already a witness called {name}; remove it first to change its key.",
            )
        if other.public_key == key.public_key:
            raise conflict(
                "witness_exists",
                f"That key is already the witness {name}'s; one mirror counts once.",
            )
    if count >= MAX_WITNESSES:
        raise conflict(
            "too_many_witnesses",
            f"The federation has {count} witnesses, as many as one checkpoint can carry "
            "cosignatures of; remove one first.",
        )


def check_quorum(quorum: int, witnesses: int) -> None:
    """The quorum never asks for more cosignatures than there are witnesses to give them."""
    if quorum > witnesses:
        raise DomainError(
            "quorum_above_witnesses",
            f"A quorum of {quorum} cosignatures needs at least {quorum} witnesses; the "
            f"federation has {witnesses}. Admit witnesses first.",
        )


def _congress_only(ctx: Ctx, council_id: str) -> None:
    if ctx.state.councils[council_id].parent is not None:
        raise NotAllowed(
            "congress_only", "Only the congress can admit or remove the record's witnesses."
        )


def check_admit(ctx: Ctx, council_id: str, effect: dict[str, Any]) -> dict[str, Any]:
    _congress_only(ctx, council_id)
    key = parse_key(effect.get("key"))
    check_new(ctx.state, key)
    # Recorded in canonical form: the key as it encodes, and its name beside it.
    return {"kind": "admit_witness", "name": key.name, "key": key.encode()}


def check_remove(ctx: Ctx, council_id: str, effect: dict[str, Any]) -> dict[str, Any]:
    _congress_only(ctx, council_id)
    name = effect.get("name")
    if not isinstance(name, str) or name.strip() not in ctx.state.witnesses:
        known = ", ".join(sorted(ctx.state.witnesses)) or "there are none"
        raise DomainError(
            "no_such_witness", f"Name one of the federation's witnesses ({known}) to remove."
        )
    _check_removal(ctx.state)
    return {"kind": "remove_witness", "name": name.strip()}


def _check_removal(state: State) -> None:
    quorum, count = state.params.witness_quorum, len(state.witnesses)
    if count - 1 < quorum:
        raise DomainError(
            "quorum_above_witnesses",
            f"The federation requires {quorum} cosignatures and has {count} witnesses; "
            "without this one no checkpoint could become final. Lower witness_quorum first "
            "(a motion amending the parameters), or admit another witness.",
        )


def execute_admit(ctx: Ctx, motion: Motion) -> None:
    effect = motion.effect
    assert effect is not None
    try:
        check_new(ctx.state, VerifierKey.parse(effect["key"]))
    except DomainError as refusal:
        # Admitted meanwhile by another motion: the vote must still be decidable.
        ctx.emit("effect_lapsed", motion=motion.id, reason=refusal.message.rstrip("."))
        return
    ctx.emit("witness_admitted", name=effect["name"], key=effect["key"], motion=motion.id)


def execute_remove(ctx: Ctx, motion: Motion) -> None:
    effect = motion.effect
    assert effect is not None
    try:
        if effect["name"] not in ctx.state.witnesses:
            raise DomainError("no_such_witness", "the witness was removed by another motion")
        _check_removal(ctx.state)
    except DomainError as refusal:
        ctx.emit("effect_lapsed", motion=motion.id, reason=refusal.message.rstrip("."))
        return
    ctx.emit("witness_removed", name=effect["name"], motion=motion.id)


def at_founding(keys: Iterable[str], quorum: int) -> list[dict[str, str]]:
    """The witnesses a federation is founded with, each checked as an admission would be."""
    admitted: list[tuple[str, VerifierKey]] = []
    for text in keys:
        key = parse_key(text)
        _check_clash(admitted, key)
        admitted.append((key.name, key))
    check_quorum(quorum, len(admitted))
    return [{"name": name, "key": key.encode()} for name, key in admitted]


@folds("witness_admitted")
def _admitted(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    s.witnesses[d["name"]] = Witness(d["name"], d["key"], at, d["motion"])
    s.dirty.add(("federation", "federation"))


@folds("witness_removed")
def _removed(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    s.witnesses.pop(d["name"], None)
    s.dirty.add(("federation", "federation"))
