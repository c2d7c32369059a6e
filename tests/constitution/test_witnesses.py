"""The record's witnesses and the cosignature quorum: facts of the federation, voted by the
congress by two thirds, never chosen by whoever runs the server."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from smolny import canonical
from smolny.constitution import DomainError, Event, replay
from smolny.constitution import commands as c
from smolny.constitution.exit import secession_record
from smolny.constitution.snapshot import snapshot
from smolny.record.note import SIG_COSIGNATURE_V1, SIG_ED25519, SignerKey

from .scene import PARAMS, Scene, federation, founding
from .test_amendments import congress


def witness(name: str, seed: int) -> SignerKey:
    return SignerKey(name, SIG_COSIGNATURE_V1, bytes([seed]) * 32)


ALPHA = witness("mirror.alpha", 1)
BETA = witness("mirror.beta", 2)


def admit(key: SignerKey) -> dict[str, str]:
    return {"kind": "admit_witness", "key": key.verifier().encode()}


def remove(name: str) -> dict[str, str]:
    return {"kind": "remove_witness", "name": name}


def quorum(k: int) -> dict[str, object]:
    return {"kind": "amend_params", "changes": {"witness_quorum": k}}


def file(effect: dict[str, object], actor: str = "rosa", council: str = "C1") -> c.FileMotion:
    return c.FileMotion(actor, council, "Witnesses", "The congress resolves.", effect)


def test_the_congress_admits_a_witness_by_two_thirds() -> None:
    s = congress()
    events = s.pass_motion(
        "C1", admit(ALPHA), yes=["rosa", "karl", "clara", "ivan"], no=["olga", "pavel"]
    )
    assert s.types(events) == ["motion_decided", "witness_admitted"]
    assert events[0].data["majority"] == "two_thirds"
    assert events[1].data == {
        "name": "mirror.alpha",
        "key": ALPHA.verifier().encode(),
        "motion": s.latest("MO"),
    }
    assert s.state.witnesses["mirror.alpha"].key == ALPHA.verifier().encode()
    assert s.state.witnesses["mirror.alpha"].motion == s.latest("MO")
    assert snapshot(s.replayed()) == snapshot(s.state)


def test_a_simple_majority_admits_no_witness() -> None:
    s = congress()
    events = s.pass_motion("C1", admit(ALPHA), yes=["rosa", "karl", "clara"], no=["olga", "pavel"])
    assert s.types(events) == ["motion_decided"]
    assert events[0].data["carried"] is False  # 3 to 2: a majority, not two thirds
    assert s.state.witnesses == {}


def test_the_district_cannot_admit_or_remove_a_witness() -> None:
    s = congress()
    s.pass_motion("C1", admit(ALPHA))
    error = s.refused(file(admit(BETA), "rosa", "C2"), "congress_only")
    assert "congress" in error.message
    s.refused(file(remove("mirror.alpha"), "karl", "C3"), "congress_only")
    assert list(s.state.witnesses) == ["mirror.alpha"]


def test_a_member_who_is_not_a_congress_delegate_cannot_propose_a_witness() -> None:
    s = congress()
    s.refused(file(admit(ALPHA), "leo"), "not_a_voter")


def test_a_key_that_is_not_a_witness_key_is_refused() -> None:
    s = congress()
    log_key = SignerKey("harbour.example", SIG_ED25519, bytes([3]) * 32).verifier().encode()
    name, key_id, raw = ALPHA.verifier().encode().split("+")
    for text in (
        "",
        "not a key",
        log_key,  # the log's own kind of key (type 01) cannot cosign
        f"{name}+00000000+{raw}",  # a key ID that is not this key's
        f"{name}+{key_id}+{raw[:-4]}",
    ):
        error = s.refused(file({"kind": "admit_witness", "key": text}), "invalid_witness_key")
        assert "key" in error.message


def test_a_witness_counts_once_by_name_and_by_key() -> None:
    s = congress()
    s.pass_motion("C1", admit(ALPHA))
    s.refused(file(admit(ALPHA)), "witness_exists")
    same_name = witness("mirror.alpha", 9)
    s.refused(file(admit(same_name)), "witness_exists")
    same_key = SignerKey("mirror.alias", SIG_COSIGNATURE_V1, ALPHA.seed)
    error = s.refused(file(admit(same_key)), "witness_exists")
    assert "mirror.alpha" in error.message


def test_removing_an_unknown_witness_is_refused() -> None:
    s = congress()
    s.pass_motion("C1", admit(ALPHA))
    error = s.refused(file(remove("mirror.gamma")), "no_such_witness")
    assert "mirror.alpha" in error.message


def test_the_congress_removes_a_witness_by_two_thirds() -> None:
    s = congress()
    s.pass_motion("C1", admit(ALPHA))
    s.pass_motion("C1", admit(BETA))
    lost = s.pass_motion(
        "C1", remove("mirror.alpha"), yes=["rosa", "karl", "clara"], no=["olga", "pavel"]
    )
    assert s.types(lost) == ["motion_decided"] and sorted(s.state.witnesses) == [
        "mirror.alpha",
        "mirror.beta",
    ]
    events = s.pass_motion("C1", remove("mirror.alpha"))
    assert s.types(events) == ["motion_decided", "witness_removed"]
    assert list(s.state.witnesses) == ["mirror.beta"]
    # Removed, it may be admitted again (by a new motion).
    s.pass_motion("C1", admit(ALPHA))
    assert sorted(s.state.witnesses) == ["mirror.alpha", "mirror.beta"]
    assert snapshot(s.replayed()) == snapshot(s.state)


def test_the_quorum_is_a_parameter_the_congress_amends() -> None:
    s = congress()
    s.pass_motion("C1", admit(ALPHA))
    s.pass_motion("C1", admit(BETA))
    events = s.pass_motion("C1", quorum(2))
    assert s.types(events) == ["motion_decided", "params_amended"]
    assert s.state.params.witness_quorum == 2
    lost = s.pass_motion("C1", quorum(1), yes=["rosa", "karl", "clara"], no=["olga", "pavel"])
    assert lost[0].data["carried"] is False and s.state.params.witness_quorum == 2


def test_the_quorum_never_exceeds_the_witnesses() -> None:
    s = congress()
    error = s.refused(file(quorum(1)), "quorum_above_witnesses")
    assert "Admit witnesses first" in error.message
    s.pass_motion("C1", admit(ALPHA))
    s.pass_motion("C1", quorum(1))
    error = s.refused(file(remove("mirror.alpha")), "quorum_above_witnesses")
    assert "Lower witness_quorum first" in error.message
    s.pass_motion("C1", quorum(0))
    s.pass_motion("C1", remove("mirror.alpha"))
    assert s.state.witnesses == {} and s.state.params.witness_quorum == 0


def test_the_quorum_is_bounded() -> None:
    s = congress()
    for k in (-1, 33):
        s.refused(file(quorum(k)), "invalid_parameter")


def carry(s: Scene, motion: str) -> list[Event]:
    """Co-sponsor a motion already filed onto the agenda, everyone votes yes, close."""
    for sponsor in s.state.voters("C1"):
        if (
            s.state.motions[motion].status == "filed"
            and sponsor not in s.state.motions[motion].sponsors
        ):
            s.do(c.CoSponsor(sponsor, motion))
    s.tick(hours=1)
    for voter in s.state.voters("C1"):
        s.do(c.CastVote(voter, motion, "yes"))
    return s.do(c.CloseVote("rosa", motion))


def test_an_admission_overtaken_by_another_motion_lapses() -> None:
    """Two motions admitting the same mirror are filed together; the second to carry lapses."""
    s = congress()
    s.do(file(admit(ALPHA)))
    first = s.latest("MO")
    s.pass_motion("C1", admit(ALPHA))
    events = carry(s, first)
    assert s.types(events) == ["motion_decided", "effect_lapsed"]
    assert "already a witness" in events[1].data["reason"]
    assert list(s.state.witnesses) == ["mirror.alpha"]


def test_a_quorum_amendment_overtaken_by_a_removal_lapses() -> None:
    s = congress()
    s.pass_motion("C1", admit(ALPHA))
    s.pass_motion("C1", admit(BETA))
    s.pass_motion("C1", quorum(1))
    s.do(file(quorum(2)))
    raise_it = s.latest("MO")
    s.pass_motion("C1", remove("mirror.beta"))
    events = carry(s, raise_it)
    assert s.types(events) == ["motion_decided", "effect_lapsed"]
    assert events[1].data["reason"] == "the quorum would exceed the witnesses admitted"
    assert s.state.params.witness_quorum == 1 and list(s.state.witnesses) == ["mirror.alpha"]


def test_a_federation_is_founded_with_its_witnesses_and_quorum() -> None:
    s = Scene()
    keys = (ALPHA.verifier().encode(), BETA.verifier().encode())
    events = s.do(
        c.FoundFederation("max", "Harbour", "Congress", PARAMS | {"witness_quorum": 2}, keys)
    )
    assert events[0].data["witnesses"] == [
        {"name": "mirror.alpha", "key": keys[0]},
        {"name": "mirror.beta", "key": keys[1]},
    ]
    assert sorted(s.state.witnesses) == ["mirror.alpha", "mirror.beta"]
    assert s.state.witnesses["mirror.beta"].motion is None
    assert s.state.params.witness_quorum == 2
    assert snapshot(s.replayed()) == snapshot(s.state)


def test_a_federation_founded_without_witnesses_records_no_witnesses() -> None:
    s = founding()
    assert "witnesses" not in s.log[0].data
    assert s.state.params.witness_quorum == 0 and s.state.witnesses == {}


def test_founding_with_a_quorum_beyond_the_witnesses_or_a_bad_key_is_refused() -> None:
    s = Scene()
    one = (ALPHA.verifier().encode(),)
    s.refused(
        c.FoundFederation("max", "Harbour", "Congress", {"witness_quorum": 2}, one),
        "quorum_above_witnesses",
    )
    s.refused(
        c.FoundFederation("max", "Harbour", "Congress", {}, ("nonsense",)), "invalid_witness_key"
    )
    s.refused(c.FoundFederation("max", "Harbour", "Congress", {}, one + one), "witness_exists")
    assert s.state.federation is None


def test_a_record_without_the_quorum_parameter_reads_as_quorum_zero() -> None:
    """Records written before the parameter existed fold as they always did."""
    s = founding()
    old = canonical.decode(s.log[0].encode())
    del old["data"]["params"]["witness_quorum"]
    state = replay([Event.from_json(old), *s.log[1:]])
    assert state.params.witness_quorum == 0 and state.witnesses == {}


def test_a_seceding_council_leaves_with_the_witnesses_and_quorum_in_force() -> None:
    s = federation()
    s.elect("C2", "delegate", ["rosa", "karl", "ivan", "olga"])
    s.pass_motion("C1", admit(ALPHA))
    s.pass_motion("C1", quorum(1))
    s.pass_motion("C3", {"kind": "secede"})
    index, seceded = next((i, e) for i, e in enumerate(s.log) if e.type == "council_seceded")
    before = replay(s.log[:index])
    founded = secession_record(before, seceded, {"origin": "o", "size": 1, "root": "r"})[1]
    assert founded.data["witnesses"] == [{"name": "mirror.alpha", "key": ALPHA.verifier().encode()}]
    assert founded.data["params"]["witness_quorum"] == 1


KEYS = (ALPHA, BETA, witness("mirror.gamma", 3))


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["admit", "remove", "quorum"]),
            st.integers(0, 3),
            st.booleans(),
        ),
        max_size=10,
    )
)
def test_any_sequence_of_witness_motions_keeps_the_quorum_reachable(
    steps: list[tuple[str, int, bool]],
) -> None:
    """Whatever the congress files and carries, in any order, the quorum never exceeds the
    witnesses, a refused motion changes nothing, and the record replays to the same state."""
    s = congress()
    for kind, n, two_thirds in steps:
        if kind == "admit":
            effect = admit(KEYS[n % 3])
        elif kind == "remove":
            effect = remove(KEYS[n % 3].name)
        else:
            effect = quorum(n)
        before = s.digest()
        try:
            s.pass_motion(
                "C1",
                effect,
                yes=None if two_thirds else ["rosa", "karl", "clara"],
                no=() if two_thirds else ["olga", "pavel"],
            )
        except DomainError as refusal:
            assert refusal.code in {
                "witness_exists",
                "no_such_witness",
                "quorum_above_witnesses",
            }, refusal
            assert s.digest() == before
        assert s.state.params.witness_quorum <= len(s.state.witnesses)
    assert snapshot(s.replayed()) == snapshot(s.state)
