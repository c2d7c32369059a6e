"""The Harbour scene (tests/constitution/scene.py) with what freedoms need: support keys, a
code of rules seeded at the founding, and a control commission in the Dockers."""

from __future__ import annotations

import hashlib
from typing import Any

from constitution.scene import DOCKERS, PARAMS, TEACHERS, Scene

from smolny.constitution import commands as c

FREEDOM_PARAMS = {
    "tendency_founders": 2,
    "press_threshold": 3,
    "reply_hours": 24,
    "max_sanction_days": 90,
    "appeal_hours": 2,
    "bulletin_words": 100,
    "mailing_quota": 2,
    "congress_minutes": 30,
    "share_period_days": 30,
}


def key(member: str) -> str:
    """A member's support key, as the web layer would derive it (here: from her id alone)."""
    return hashlib.sha256(b"test-support-key:" + member.encode()).hexdigest()


def federation(**overrides: Any) -> Scene:
    """Harbour, with the code's first rule (RU1) enacted at the founding."""
    s = Scene()
    s.do(
        c.FoundFederation(
            "max", "Harbour Federation", "Congress", PARAMS | FREEDOM_PARAMS | overrides
        )
    )
    s.do(c.CreateCouncil("max", "C1", "Harbour District", False))
    s.do(c.CreateCouncil("max", "C2", "Dockers", True))
    s.do(c.CreateCouncil("max", "C2", "Teachers", True))
    s.do(c.EnactRule("max", "Dues", "Every member pays her dues each month."))
    for name in DOCKERS:
        s.do(c.Join(name, name.title(), "C3"))
    for name in TEACHERS:
        s.do(c.Join(name, name.title(), "C4"))
    s.do(c.Reapportion("max", "C2"))
    s.do(c.Reapportion("max", "C1"))
    s.do(c.CloseFounding("max"))
    s.elect("C3", "delegate", ["rosa", "karl"])
    s.elect("C4", "delegate", ["ivan", "olga"])
    return s


def with_commission(s: Scene, members: tuple[str, ...] = ("clara", "leo", "nadia")) -> Scene:
    s.elect("C3", "office", list(members), office="control_commission")
    return s


def support(s: Scene, member: str, tendency: str, named: bool = False) -> None:
    s.do(c.DeclareSupport(member, tendency, key(member), named))


def tendency(
    s: Scene, scope: str = "C2", founders: tuple[str, ...] = ("karl", "clara"), name: str = "Left"
) -> str:
    s.do(c.ProposeTendency(founders[0], scope, name, "Strike funds for all.", founders[1:]))
    t = s.latest("T")
    for founder in founders[1:]:
        s.do(c.ConfirmFounding(founder, t))
    return t
