"""The entry page's header names who the entry is by, whatever kind of actor the record holds,
and links only to pages that exist (Django's test client, real database).

The constitution records an event under a member, or under one of these, none a member:
a tendency (a private support, ``tendencies._emit_as``), the server (a named support that
lapsed, ``supportkeys.prune``), the council whose secession began the record
(``exit.secession_record``), and a founder who never joined.  Member ids are chosen by
members, so ``T1`` and ``server`` may be members too: the header must not mistake them.
"""

from __future__ import annotations

import html
import json
import re

import harbour
import pytest
from django.test import Client

from smolny.constitution import commands as c
from smolny.pages.supportkeys import prune, support_key
from smolny.readmodels.projections import rebuild
from smolny.secession import build
from smolny.store.models import Entry, Head
from smolny.store.service import current_state, execute, forget
from tests.freedoms.scene import federation as pure_federation
from tests.freedoms.seeded import seed

pytestmark = pytest.mark.django_db(transaction=True)


def header(seq: int) -> str:
    response = Client().get(f"/record/entries/{seq}")
    assert response.status_code == 200
    page = response.content.decode()
    return page.split('<p id="entry-by">', 1)[1].split(" on ", 1)[0]


def links(fragment: str) -> list[tuple[str, str]]:
    """(href, text) of every link in ``fragment``."""
    return [
        (href, html.unescape(text))
        for href, text in re.findall(r'<a href="([^"]+)">([^<]*)</a>', fragment)
    ]


def linked(seq: int) -> tuple[str, str]:
    """The header's one link and its text; the link resolves."""
    found = links(header(seq))
    assert len(found) == 1, header(seq)
    href, text = found[0]
    assert Client().get(href).status_code == 200, href
    return href, text


def last(type_: str, **data: object) -> Entry:
    for entry in Entry.objects.filter(type=type_).order_by("-seq"):
        body = json.loads(bytes(entry.body))["data"]
        if all(body.get(k) == v for k, v in data.items()):
            return entry
    raise AssertionError(f"no {type_} entry with {data}")


@pytest.fixture
def supports() -> str:
    """GIVEN Harbour with the freedoms, the tendency “Left” (T1) of Harbour District,
    supported in private by leo and by name by nadia; THEN leo and nadia leave and the server
    prunes their supports.  (No member can be called "T1" or "server": Join refuses ids of
    those shapes, ``membership.GENERATED_ID``.)"""
    seed()
    execute(c.ProposeTendency("karl", "C2", "Left", "Strike funds.", ("clara",)))
    (key,) = current_state().tendencies
    assert key == "T1"
    execute(c.ConfirmFounding("clara", key))
    execute(c.DeclareSupport("leo", key, support_key("leo")))
    execute(c.DeclareSupport("nadia", key, support_key("nadia"), named=True))
    execute(c.Leave("leo"))
    execute(c.Leave("nadia"))
    assert prune() == 2
    return key


def test_an_entry_by_a_member_links_to_her_page(supports: str) -> None:
    assert linked(last("member_joined", member="clara").seq) == ("/members/clara", "Clara")
    assert linked(last("support_declared", member="nadia").seq) == ("/members/nadia", "Nadia")


def test_a_private_support_is_by_its_tendency_not_by_a_member(supports: str) -> None:
    """GIVEN leo's private support, recorded with the tendency's id T1 as its actor, THEN the
    header names the tendency and links to its page."""
    declared = last("support_declared", tendency=supports, named=False)
    assert declared.actor == supports
    assert linked(declared.seq) == (f"/tendencies/{supports}", "Left")
    assert "the tendency" in header(declared.seq)
    lapsed = last("support_withdrawn", tendency=supports, lapsed=True, member=None)
    assert lapsed.actor == supports
    assert linked(lapsed.seq) == (f"/tendencies/{supports}", "Left")


def test_a_lapsed_named_support_is_by_the_server_in_words(supports: str) -> None:
    """GIVEN nadia's named support withdrawn by the server's pruning, THEN the header names the
    server in words and links nowhere."""
    lapsed = last("support_withdrawn", member="nadia", lapsed=True)
    assert lapsed.actor == "server"
    words = header(lapsed.seq)
    assert links(words) == []
    assert "the server (its withdrawal of supports that have lapsed)" in words


def test_every_header_of_the_record_links_only_to_pages_that_exist(supports: str) -> None:
    for entry in Entry.objects.order_by("seq"):
        words = header(entry.seq)
        for href, text in links(words):
            assert Client().get(href).status_code == 200, (entry.seq, href)
            assert text and text != entry.actor, (entry.seq, words)  # a name, not an id
        assert links(words) or entry.actor == "server", (entry.seq, words)


def test_a_founder_who_never_joined_is_named_in_words() -> None:
    """GIVEN a federation founded by “someone” who lays out a council and never joins, THEN
    the founding's entries name her as its founder and link nowhere (no member page)."""
    execute(c.FoundFederation("someone", "A Real Federation", "Congress", harbour.PARAMS))
    execute(c.CreateCouncil("someone", "C1", "Dockers", True))
    for entry in Entry.objects.order_by("seq"):
        words = header(entry.seq)
        assert links(words) == [] and "/members/" not in words
        assert "someone (who founded the federation and is not a member)" in words
    execute(c.Join("someone", "Sam", "C2"))
    assert linked(0) == ("/members/someone", "Sam")


def test_a_record_continued_by_a_seceded_council_names_that_council() -> None:
    """GIVEN the record the Dockers (C3) leave with after seceding, served by this server,
    THEN its genesis entries, recorded under the council's id, name and link the council."""
    scene = pure_federation()
    scene.pass_motion("C3", {"kind": "secede"})
    bodies = build(scene.log_bytes(), "C3", {}, "harbour")
    events = [json.loads(body) for body in bodies]
    Entry.objects.bulk_create(
        [
            Entry(seq=n, type=e["type"], actor=e["actor"], at=e["at"], body=body)
            for n, (e, body) in enumerate(zip(events, bodies, strict=True))
        ]
    )
    Head.objects.update_or_create(id=1, defaults={"size": len(bodies)})
    forget()
    rebuild(current_state())
    assert {e["actor"] for e in events} == {"C3"}
    for seq in range(len(bodies)):
        assert linked(seq) == ("/councils/C3", "Dockers")
        assert "(whose secession began this record)" in header(seq)
