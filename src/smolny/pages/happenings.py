"""What happened, in words: one sentence for each entry of the record.

An entry's page showed the entry's data as JSON; members are not technical, and need "Oksana
Bilyk filed the document “Minutes of 3 March” in Harbour Dockers." instead.  ``sentence`` turns
one decoded event into that sentence, escaped for HTML.

Pure (no database, no clock), so that a sentence says what the entry holds and nothing else:
the view looks up, in the read models, the names of the ids the entry mentions (``mentioned``
lists them) and hands them in as ``Names``; an id it could not name is shown as the id.  Nothing
is inferred beyond the entry: a secret ballot's entry holds ciphertexts, so its sentence says an
encrypted ballot was cast, never what it chose, and a private support names no supporter.

Words the project already has are reused, not written again: times and offices
(``constitution.words``), counting methods (``constitution.methods``), the units of the fair
shares (``constitution.press``), parameters, powers and a motion's effect (``pages.effects``).
``effects.describe`` reads the read models for two kinds of effect (the title of an act or a
motion), so it comes in with the names (``Names.effect_words``) rather than being called here.

Every event type the constitution folds (``constitution.apply.FOLDERS``, which must stay total
over every entry ever written) has its sentence here; tests/web/test_happenings.py fails when a
type is added without one.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from smolny.constitution import Event
from smolny.constitution.debate import duration
from smolny.constitution.methods import METHODS
from smolny.constitution.press import QUANTITIES, UNITS
from smolny.constitution.ranked import STV_METHODS
from smolny.constitution.secret import CONSEQUENCES, void_words
from smolny.constitution.words import office as office_words
from smolny.constitution.words import when

from . import effects

# --- what the view looks up -------------------------------------------------------------------


@dataclass(frozen=True)
class Council:
    name: str
    base: bool


@dataclass(frozen=True)
class Motion:
    title: str
    council: str


@dataclass(frozen=True)
class Election:
    council: str
    kind: str
    office: str | None
    body: str
    method: str


@dataclass(frozen=True)
class Mandate:
    holder: str
    kind: str
    office: str | None
    body: str
    constituency: str


@dataclass(frozen=True)
class Case:
    respondent: str
    council: str


EffectWords = Callable[[dict[str, Any] | None, str], str]


@dataclass(frozen=True)
class Names:
    """What the ids of an entry stand for, as the read models say now (id -> facts)."""

    members: Mapping[str, str] = field(default_factory=dict)
    councils: Mapping[str, Council] = field(default_factory=dict)
    motions: Mapping[str, Motion] = field(default_factory=dict)
    elections: Mapping[str, Election] = field(default_factory=dict)
    mandates: Mapping[str, Mandate] = field(default_factory=dict)
    recalls: Mapping[str, str] = field(default_factory=dict)
    """Recall -> the mandate it would end (named through ``mandates``)."""
    cases: Mapping[str, Case] = field(default_factory=dict)
    acts: Mapping[str, str] = field(default_factory=dict)
    tendencies: Mapping[str, str] = field(default_factory=dict)
    rules: Mapping[str, str] = field(default_factory=dict)
    publications: Mapping[str, str] = field(default_factory=dict)
    effect_words: EffectWords | None = None
    """``effects.describe``; without it a motion's sentence leaves its effect to the data."""


MAX_MENTIONED = 256
LONGEST_ID = 64
"""Ids are short (a member id is at most 64 characters); longer strings are texts and keys."""


def mentioned(event: Event, limit: int = MAX_MENTIONED) -> set[str]:
    """The strings of the entry that may be ids, for the view to look up: the actor, then the
    data breadth first (the top-level fields a sentence names come before anything nested in
    a ballot or a result), at most ``limit`` of them."""
    found: set[str] = {event.actor}
    queue: deque[Any] = deque([event.data])
    while queue and len(found) < limit:
        value = queue.popleft()
        if isinstance(value, str):
            if 0 < len(value) <= LONGEST_ID:
                found.add(value)
        elif isinstance(value, Mapping):
            queue.extend(value.keys())
            queue.extend(value.values())
        elif isinstance(value, list | tuple):
            queue.extend(value)
    return found


# --- words for the things an entry names --------------------------------------------------------


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _and(items: Iterable[object], most: int = 8) -> SafeString:
    """``A``, ``A and B``, ``A, B and C``; beyond ``most``, ``A, B, … and 7 others``."""
    parts = [conditional_escape(item) for item in items]
    if 0 < most < len(parts):
        rest = len(parts) - most + 1
        parts = [*parts[: most - 1], format_html("{} others", rest)]
    if len(parts) <= 1:
        return mark_safe("".join(parts))
    return mark_safe(", ".join(parts[:-1]) + " and " + parts[-1])


def _plural(count: object, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _short(text: object, limit: int = 200) -> str:
    """A long text (grounds of a recall) cut at a word, for a sentence; the data keeps it all."""
    words = " ".join(_text(text).split())
    if len(words) <= limit:
        return words
    return words[:limit].rsplit(" ", 1)[0] + "…"


def _cap(text: SafeString) -> SafeString:
    """The phrase with a capital first letter (an escaped entity begins with ``&``, which
    ``upper`` leaves as it is)."""
    return mark_safe(text[:1].upper() + text[1:])


def _time(text: object) -> str:
    try:
        return when(str(text))
    except ValueError:
        return _text(text)


def _method(name: object) -> str:
    method = METHODS.get(_text(name))
    if method is None:
        return _text(name).replace("-", " ").replace("_", " ")
    label = method.label.split(":")[0]
    return label[:1].lower() + label[1:]


GROUP_OFFICES = ("executive", "control_commission")
"""Offices held by several members at once (``State.office_seats``): one sits *on* them."""

SEAT_RULES = {
    "per_members": "one seat for every so many members",
    "fixed_house": "a house of fixed size shared by Sainte-Laguë",
}

ENDINGS = {
    "recalled": "recalled by {constituency}",
    "resigned": "{holder} resigned",
    "term": "its term was over",
    "left": "{holder} left the federation",
    "lost_eligibility": "{holder} is no longer a voter of {constituency}",
    "expelled": "{holder} was expelled",
    "seceded": "{holder} left with a council that seceded",
}

STEPS = {
    "identity": "identity",
    "commit": "commitment",
    "reveal": "reveal",
    "shares": "key shares",
    "finish": "final",
}

OUTCOMES = {
    "dismiss": "dismiss the charge",
    "warning": "warn {respondent}",
    "suspension": "suspend the rights of {respondent}",
    "expulsion": "expel {respondent}",
}

DECISIONS = {
    "dismiss": "the charge against {respondent} is dismissed",
    "warning": "{respondent} is warned",
    "suspension": "the rights of {respondent} are suspended",
    "expulsion": "{respondent} is expelled",
}


class _Words:
    """The phrases of one sentence: names for ids, each escaped."""

    def __init__(self, names: Names) -> None:
        self.names = names

    def member(self, key: object) -> SafeString:
        return format_html("{}", self.names.members.get(_text(key), _text(key)))

    def who(self, key: object) -> SafeString:
        """The actor: a member, or the council a record was continued by, or the tendency
        whose pseudonym a private support is recorded under."""
        key = _text(key)
        if key in self.names.members:
            return self.member(key)
        if key in self.names.councils:
            return self.council(key)
        if key in self.names.tendencies:
            return self.tendency(key)
        return format_html("{}", key)

    def council_name(self, key: object) -> str:
        council = self.names.councils.get(_text(key))
        return council.name if council else _text(key)

    def council(self, key: object) -> SafeString:
        return format_html("{}", self.council_name(key))

    def voters_of(self, key: object) -> SafeString:
        council = self.names.councils.get(_text(key))
        if council is None:
            return format_html("The voters of {}", _text(key))
        return format_html("The {} of {}", "members" if council.base else "delegates", council.name)

    def office(self, office: object, council: object) -> SafeString:
        """``chair of Dockers``, ``member of the control commission of Dockers``."""
        if office in GROUP_OFFICES:
            return format_html(
                "member of the {} of {}", office_words(_text(office)), self.council(council)
            )
        return format_html("{} of {}", office_words(_text(office)), self.council(council))

    def seat(self, kind: object, office: object, body: object, constituency: object) -> SafeString:
        """``as delegate of Dockers to Harbour District``, ``on the executive committee of …``."""
        if kind == "delegate":
            return format_html(
                "as delegate of {} to {}", self.council(constituency), self.council(body)
            )
        if office in GROUP_OFFICES:
            return format_html("on the {} of {}", office_words(_text(office)), self.council(body))
        return format_html("as {} of {}", office_words(_text(office)), self.council(body))

    def contest(self, e: Election) -> SafeString:
        if e.kind == "delegate":
            return format_html(
                "delegates of {} to {}", self.council(e.council), self.council(e.body)
            )
        return format_html("{} of {}", office_words(e.office), self.council(e.council))

    def election(self, key: object) -> SafeString:
        found = self.names.elections.get(_text(key))
        if found is None:
            return format_html("election {}", _text(key))
        return format_html("election {} ({})", _text(key), self.contest(found))

    def motion(self, key: object) -> SafeString:
        found = self.names.motions.get(_text(key))
        if found is None:
            return format_html("motion {}", _text(key))
        return format_html("motion {} “{}”", _text(key), found.title)

    def mandate(self, key: object) -> SafeString:
        """``Rosa's mandate as delegate of Dockers to Harbour District``."""
        found = self.names.mandates.get(_text(key))
        if found is None:
            return format_html("mandate {}", _text(key))
        return format_html(
            "{}'s mandate {}",
            self.member(found.holder),
            self.seat(found.kind, found.office, found.body, found.constituency),
        )

    def recall(self, key: object) -> SafeString:
        """``the recall of Rosa as delegate of Dockers to Harbour District (R1)``."""
        found = self.names.mandates.get(self.names.recalls.get(_text(key), ""))
        if found is None:
            return format_html("recall {}", _text(key))
        return format_html(
            "the recall of {} {} ({})",
            self.member(found.holder),
            self.seat(found.kind, found.office, found.body, found.constituency),
            _text(key),
        )

    def subject(self, key: object) -> SafeString:
        """What a secret ballot decides: an election, a motion or a recall."""
        key = _text(key)
        if key in self.names.elections:
            return self.election(key)
        if key in self.names.motions:
            return self.motion(key)
        if key in self.names.recalls:
            return self.recall(key)
        return format_html("ballot {}", key)

    def case(self, key: object) -> SafeString:
        return format_html("case {}", _text(key))

    def respondent(self, case: object) -> SafeString:
        found = self.names.cases.get(_text(case))
        return self.member(found.respondent) if found else mark_safe("the respondent")

    def commission(self, case: object) -> SafeString:
        found = self.names.cases.get(_text(case))
        if found is None:
            return mark_safe("The control commission")
        return format_html("The control commission of {}", self.council(found.council))

    def tendency(self, key: object) -> SafeString:
        name = self.names.tendencies.get(_text(key))
        if name is None:
            return format_html("tendency {}", _text(key))
        return format_html("the tendency “{}”", name)

    def rule(self, key: object) -> SafeString:
        title = self.names.rules.get(_text(key))
        if title is None:
            return format_html("rule {}", _text(key))
        return format_html("rule {} “{}”", _text(key), title)

    def act(self, key: object) -> SafeString:
        title = self.names.acts.get(_text(key))
        if title is None:
            return format_html("executive act {}", _text(key))
        return format_html("the executive act “{}”", title)

    def publication(self, key: object) -> SafeString:
        title = self.names.publications.get(_text(key))
        if title is None:
            return format_html("publication {}", _text(key))
        return format_html("“{}”", title)

    def publisher(self, key: object) -> SafeString:
        key = _text(key)
        return self.tendency(key) if key in self.names.tendencies else self.council(key)

    def ending(self, reason: object, holder: SafeString, constituency: SafeString) -> SafeString:
        template = ENDINGS.get(_text(reason))
        if template is None:  # the entry's own word, escaped: never a template
            return format_html("{}", _text(reason).replace("_", " "))
        return format_html(template, holder=holder, constituency=constituency)

    def outcome(self, table: Mapping[str, str], outcome: object, case: object) -> SafeString:
        """A case's outcome in words (``OUTCOMES`` or ``DECISIONS``), naming the respondent."""
        template = table.get(_text(outcome))
        if template is None:  # the entry's own word, escaped: never a template
            return format_html("{}", _text(outcome))
        return format_html(template, respondent=self.respondent(case))


# --- one sentence per event type ----------------------------------------------------------------

Data = Mapping[str, Any]
Sentence = Callable[[_Words, Data, str], SafeString]
SENTENCES: dict[str, Sentence] = {}


def says(type_: str) -> Callable[[Sentence], Sentence]:
    def register(fn: Sentence) -> Sentence:
        SENTENCES[type_] = fn
        return fn

    return register


def sentence(event: Event, names: Names) -> SafeString:
    """What the entry says happened, in one or two sentences of plain words, HTML-escaped."""
    say = SENTENCES.get(event.type)
    if say is not None:
        try:
            return say(_Words(names), event.data, event.actor)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError):
            pass  # an entry shaped unlike any this code knows: its data is on the page
    return format_html(
        "An entry of type “{}”; what it holds is in the entry's data.",
        event.type.replace("_", " "),
    )


# federation ------------------------------------------------------------------------------------


@says("federation_founded")
def _founded(w: _Words, d: Data, actor: str) -> SafeString:
    witnesses = [_text(x.get("name")) for x in d.get("witnesses", [])]
    founded = format_html("{} founded the federation “{}”", w.who(d["founder"]), d["name"])
    if witnesses:
        return format_html(
            "{}, with {} of its record: {}.",
            founded,
            _plural(len(witnesses), "witness", "witnesses"),
            _and(witnesses),
        )
    return format_html("{}.", founded)


@says("founding_closed")
def _founding_closed(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html(
        "{} closed the founding assembly: from now on councils are created, and seats divided, "
        "by the councils' own votes.",
        w.who(actor),
    )


@says("council_created")
def _council_created(w: _Words, d: Data, actor: str) -> SafeString:
    if d["parent"] is None:
        return format_html(
            "“{}” was created: the congress, at the top of the federation.", d["name"]
        )
    what = "a base council (of members)" if d["base"] else "a council of delegates"
    return format_html("“{}” was created under {}, as {}.", d["name"], w.council(d["parent"]), what)


@says("seats_apportioned")
def _apportioned(w: _Words, d: Data, actor: str) -> SafeString:
    members = d.get("members", {})
    shares = [
        format_html(
            "{} {} for {}",
            w.council(child),
            _plural(seats, "seat", "seats"),
            _plural(members.get(child, 0), "member", "members"),
        )
        for child, seats in sorted(d["seats"].items())
    ]
    rule = SEAT_RULES.get(_text(d.get("rule")), _text(d.get("rule")).replace("_", " "))
    if not shares:
        return format_html(
            "The seats in {} were divided anew: it has no council below it.",
            w.council(d["council"]),
        )
    return format_html(
        "The seats in {} were divided among the councils below it ({}): {}.",
        w.council(d["council"]),
        rule,
        mark_safe("; ".join(shares)),
    )


@says("params_amended")
def _params_amended(w: _Words, d: Data, actor: str) -> SafeString:
    changes = [
        format_html("{} becomes {}", effects.PARAMETERS.get(key, key.replace("_", " ")), value)
        for key, value in sorted(d["changes"].items())
    ]
    return format_html(
        "By {}, the federation's rules changed: {}.",
        w.motion(d["motion"]),
        mark_safe("; ".join(changes)),
    )


# membership ------------------------------------------------------------------------------------


@says("member_joined")
def _joined(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html("{} joined {}.", d["name"], w.council(d["council"]))


@says("member_transferred")
def _transferred(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html(
        "{} moved from {} to {}.",
        w.member(d["member"]),
        w.council(d["source"]),
        w.council(d["council"]),
    )


@says("member_left")
def _left(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html(
        "{} left {} and the federation.", w.member(d["member"]), w.council(d["council"])
    )


# elections and mandates ------------------------------------------------------------------------


@says("election_called")
def _called(w: _Words, d: Data, actor: str) -> SafeString:
    council = w.council(d["council"])
    seats = d["seats"]
    if d["kind"] == "delegate":
        what = format_html(
            "{} elects {} to {}",
            council,
            _plural(seats, "delegate", "delegates"),
            w.council(d["body"]),
        )
    elif d["office"] in GROUP_OFFICES:
        what = format_html(
            "{} elects {} of its {}",
            council,
            _plural(seats, "member", "members"),
            office_words(d["office"]),
        )
    else:
        what = format_html("{} elects its {}", council, office_words(d["office"]))
    return format_html(
        "Election {} was called{}: {}, by {} ballot, counted by {}. Nominations close on {}; "
        "voting closes on {}.",
        d["id"],
        " (a by-election)" if d.get("by_election") else "",
        what,
        "secret" if d.get("ballot_mode") == "secret" else "open",
        _method(d["method"]),
        _time(d["nominations_close"]),
        _time(d["voting_close"]),
    )


@says("candidate_nominated")
def _nominated(w: _Words, d: Data, actor: str) -> SafeString:
    if d["candidate"] == actor:
        return format_html(
            "{} stood as a candidate in {}.", w.member(actor), w.election(d["election"])
        )
    return format_html(
        "{} nominated {} as a candidate in {}.",
        w.member(actor),
        w.member(d["candidate"]),
        w.election(d["election"]),
    )


@says("candidacy_withdrawn")
def _candidacy_withdrawn(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html(
        "{} withdrew as a candidate in {}.", w.member(d["candidate"]), w.election(d["election"])
    )


@says("ballot_cast")
def _ballot_cast(w: _Words, d: Data, actor: str) -> SafeString:
    """An open ballot: its choices are in the entry, so the sentence says them."""
    choices = [w.member(person) for person in d["choices"]]
    voted = format_html("{} voted in {}", w.member(d["voter"]), w.election(d["election"]))
    if not choices:
        return format_html("{}, marking no candidate.", voted)
    contest = w.names.elections.get(_text(d["election"]))
    if contest is not None and contest.method in STV_METHODS:
        ranks = [format_html("{}. {}", n, person) for n, person in enumerate(choices, start=1)]
        return format_html("{}, ranking {}.", voted, mark_safe(", ".join(ranks)))
    if contest is None:
        return format_html("{}: {}.", voted, mark_safe(", ".join(choices)))
    return format_html("{}, for {}.", voted, _and(choices, most=len(choices)))


@says("election_closed")
def _election_closed(w: _Words, d: Data, actor: str) -> SafeString:
    result = d["result"]
    elected = [w.member(person) for person in result.get("elected", [])]
    outcome = (
        format_html("{} elected", _and(elected, most=len(elected)))
        if elected
        else mark_safe("nobody elected")
    )
    details = [
        _plural(result.get("seats", 0), "seat", "seats"),
        _plural(len(result.get("candidates", [])), "candidate", "candidates"),
    ]
    if "ballots_counted" in result:
        details.append(f"{_plural(result['ballots_counted'], 'ballot', 'ballots')} counted")
    if "electorate" in result:
        details.append(f"{_plural(result['electorate'], 'voter', 'voters')} entitled")
    if result.get("contested") is False:
        details.append("uncontested")
    if result.get("tie_broken_by_lot"):
        details.append("a tie broken by lot")
    return format_html(
        "{} was counted: {} ({}).", _cap(w.election(d["election"])), outcome, ", ".join(details)
    )


@says("mandate_started")
def _mandate_started(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html(
        "{} took up a mandate {}, won in election {}; it runs until {}.",
        w.member(d["holder"]),
        w.seat(d["kind"], d["office"], d["body"], d["constituency"]),
        d["election"],
        _time(d["term_end"]),
    )


@says("mandate_ended")
def _mandate_ended(w: _Words, d: Data, actor: str) -> SafeString:
    found = w.names.mandates.get(_text(d["mandate"]))
    holder = w.member(found.holder) if found else mark_safe("its holder")
    constituency = w.council(found.constituency) if found else mark_safe("its constituency")
    return format_html(
        "{} ended: {}.", _cap(w.mandate(d["mandate"])), w.ending(d["reason"], holder, constituency)
    )


# recall ----------------------------------------------------------------------------------------


@says("recall_opened")
def _recall_opened(w: _Words, d: Data, actor: str) -> SafeString:
    names = w.names
    found = names.mandates.get(_text(d["mandate"]))
    recall = (
        format_html(
            "to recall {} {} ({})",
            w.member(found.holder),
            w.seat(found.kind, found.office, found.body, found.constituency),
            d["id"],
        )
        if found
        else format_html("to end mandate {} ({})", d["mandate"], d["id"])
    )
    return format_html(
        "{} opened a petition {}, on these grounds: “{}”",
        w.member(actor),
        recall,
        _short(d["grounds"]),
    )


@says("recall_signed")
def _recall_signed(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html(
        "{} signed the petition for {}.", w.member(d["member"]), w.recall(d["recall"])
    )


@says("recall_ballot_opened")
def _recall_ballot(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html(
        "The petition for {} has {} of the {} needed: a recall ballot is open until {}.",
        w.recall(d["recall"]),
        _plural(d["signatures"], "valid signature", "valid signatures"),
        d["needed"],
        _time(d["closes"]),
    )


@says("recall_voted")
def _recall_voted(w: _Words, d: Data, actor: str) -> SafeString:
    side = {"yes": "for", "no": "against"}.get(_text(d["choice"]), _text(d["choice"]))
    return format_html("{} voted {} {}.", w.member(d["member"]), side, w.recall(d["recall"]))


@says("recall_carried")
def _recall_carried(w: _Words, d: Data, actor: str) -> SafeString:
    recall = _cap(w.recall(d["recall"]))
    if d.get("how") == "signatures":
        return format_html(
            "{} carried: {} of the {} in the constituency signed the petition, a majority.",
            recall,
            d["yes"],
            d["constituency"],
        )
    return format_html(
        "{} carried by ballot: {} for, {} against, of {} in the constituency.",
        recall,
        d["yes"],
        d["no"],
        d["constituency"],
    )


@says("recall_failed")
def _recall_failed(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html(
        "{} failed: {} for, {} against, of {} in the constituency.",
        _cap(w.recall(d["recall"])),
        d["yes"],
        d["no"],
        d["constituency"],
    )


@says("recall_moot")
def _recall_moot(w: _Words, d: Data, actor: str) -> SafeString:
    found = w.names.mandates.get(w.names.recalls.get(_text(d["recall"]), ""))
    holder = w.member(found.holder) if found else mark_safe("its holder")
    constituency = w.council(found.constituency) if found else mark_safe("its constituency")
    return format_html(
        "{} was dropped: the mandate ended first ({}).",
        _cap(w.recall(d["recall"])),
        w.ending(d["reason"], holder, constituency),
    )


# motions ---------------------------------------------------------------------------------------


@says("motion_filed")
def _motion_filed(w: _Words, d: Data, actor: str) -> SafeString:
    filed = format_html(
        "{} filed motion {} “{}” in {}{}.",
        w.member(actor),
        d["id"],
        d["title"],
        w.council(d["council"]),
        ", to be decided by secret ballot" if d.get("ballot_mode") == "secret" else "",
    )
    describe = w.names.effect_words
    if d.get("effect") and describe is not None:
        effect = describe(dict(d["effect"]), w.council_name(d["council"]))
        return format_html("{} If it carries: {}", filed, effect)
    return filed


@says("motion_cosponsored")
def _cosponsored(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html("{} co-sponsored {}.", w.member(d["member"]), w.motion(d["motion"]))


@says("motion_on_agenda")
def _on_agenda(w: _Words, d: Data, actor: str) -> SafeString:
    found = w.names.motions.get(_text(d["motion"]))
    where = format_html(" of {}", w.council(found.council)) if found else ""
    return format_html(
        "{} went on the agenda{} with {} ({} needed): voting opens on {} and closes on {}.",
        _cap(w.motion(d["motion"])),
        where,
        _plural(d["sponsors"], "sponsor", "sponsors"),
        d["needed"],
        _time(d["vote_opens"]),
        _time(d["vote_closes"]),
    )


@says("motion_withdrawn")
def _motion_withdrawn(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html("{} withdrew {}.", w.member(actor), w.motion(d["motion"]))


@says("vote_cast")
def _vote_cast(w: _Words, d: Data, actor: str) -> SafeString:
    """A roll-call vote: its choice is in the entry, so the sentence says it."""
    verb = {"yes": "voted for", "no": "voted against", "abstain": "abstained on"}.get(
        _text(d["choice"]), f"voted {d['choice']} on"
    )
    return format_html("{} {} {}.", w.member(d["member"]), verb, w.motion(d["motion"]))


@says("motion_decided")
def _motion_decided(w: _Words, d: Data, actor: str) -> SafeString:
    found = w.names.motions.get(_text(d["motion"]))
    voters = w.voters_of(found.council) if found else mark_safe("The voters")
    needed = (
        format_html(" A {} of the votes cast was needed.", effects.majority(d["majority"]))
        if d.get("majority") == "two_thirds"
        else ""
    )
    return format_html(
        "{} voted on {}: {} for, {} against, {} abstaining, of {} entitled to vote — {}.{}",
        voters,
        w.motion(d["motion"]),
        d["yes"],
        d["no"],
        d["abstain"],
        d["electorate"],
        "carried" if d["carried"] else "lost",
        needed,
    )


@says("motion_amended")
def _motion_amended(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html(
        "The amendment {} carried, so the text of {} was replaced by the amended text.",
        w.motion(d["amendment"]),
        w.motion(d["motion"]),
    )


@says("effect_lapsed")
def _effect_lapsed(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html(
        "{} carried, but its effect lapsed: {}.",
        _cap(w.motion(d["motion"])),
        _text(d["reason"]).rstrip("."),
    )


def _power(w: _Words, d: Data, verb: str) -> SafeString:
    power = effects.POWERS.get(_text(d["power"]), _text(d["power"]).replace("_", " "))
    return format_html(
        "By {}, the {} of {} {} the power to {}.",
        w.motion(d["motion"]),
        office_words(_text(d["office"])),
        w.council(d["council"]),
        verb,
        power,
    )


@says("power_granted")
def _power_granted(w: _Words, d: Data, actor: str) -> SafeString:
    return _power(w, d, "was given")


@says("power_revoked")
def _power_revoked(w: _Words, d: Data, actor: str) -> SafeString:
    return _power(w, d, "lost")


# documents and acts ----------------------------------------------------------------------------


@says("document_filed")
def _document(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html(
        "{} filed the document “{}” in {}.", w.member(actor), d["title"], w.council(d["body"])
    )


@says("act_performed")
def _act(w: _Words, d: Data, actor: str) -> SafeString:
    power = effects.POWERS.get(_text(d["power"]), _text(d["power"]).replace("_", " "))
    return format_html(
        "{}, {}, performed the executive act “{}”, under the power to {}.",
        w.member(actor),
        w.office(d["office"], d["council"]),
        d["title"],
        power,
    )


@says("act_reversed")
def _act_reversed(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html("By {}, {} was reversed.", w.motion(d["motion"]), w.act(d["act"]))


# witnesses and secession -----------------------------------------------------------------------


@says("witness_admitted")
def _witness_admitted(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html(
        "By {}, the mirror {} became a witness of the record: its cosignatures count toward "
        "making a checkpoint final.",
        w.motion(d["motion"]),
        d["name"],
    )


@says("witness_removed")
def _witness_removed(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html(
        "By {}, the mirror {} stopped being a witness of the record.",
        w.motion(d["motion"]),
        d["name"],
    )


@says("council_seceded")
def _seceded(w: _Words, d: Data, actor: str) -> SafeString:
    below = [w.council(k) for k in d["councils"] if k != d["council"]]
    left = format_html(
        "By {}, {} left the federation with its record",
        w.motion(d["motion"]),
        w.council(d["council"]),
    )
    if below:
        return format_html("{}, and with it the councils below it: {}.", left, _and(below))
    return format_html("{}.", left)


@says("record_continued")
def _continued(w: _Words, d: Data, actor: str) -> SafeString:
    parent = d.get("parent") or {}
    return format_html(
        "This record continues that of the federation “{}”, which {} left by {} after its "
        "first {}; the root hash of those entries is in the data, so anyone can check that the "
        "two records join.",
        d["federation"],
        w.council(d["council"]),
        w.motion(d["motion"]),
        _plural(parent.get("size", 0), "entry", "entries"),
    )


# tendencies and the press ----------------------------------------------------------------------


@says("tendency_proposed")
def _tendency_proposed(w: _Words, d: Data, actor: str) -> SafeString:
    founders = [w.member(person) for person in d["founders"]]
    return format_html(
        "{} proposed the tendency “{}” within {}, founded by {}.",
        w.member(actor),
        d["name"],
        w.council(d["scope"]),
        _and(founders),
    )


@says("tendency_founding_confirmed")
def _tendency_confirmed(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html(
        "{} confirmed being a founder of {}.", w.member(d["member"]), w.tendency(d["tendency"])
    )


@says("tendency_founded")
def _tendency_founded(w: _Words, d: Data, actor: str) -> SafeString:
    founders = [w.member(person) for person in d["founders"]]
    return format_html(
        "{} is founded, every founder having confirmed: {}.",
        _cap(w.tendency(d["tendency"])),
        _and(founders),
    )


@says("support_declared")
def _support_declared(w: _Words, d: Data, actor: str) -> SafeString:
    if d.get("named"):
        return format_html(
            "{} declared support for {}, by name.", w.member(d["member"]), w.tendency(d["tendency"])
        )
    return format_html(
        "A member declared support for {} in private: the record holds a sealed commitment, "
        "not who.",
        w.tendency(d["tendency"]),
    )


@says("support_withdrawn")
def _support_withdrawn(w: _Words, d: Data, actor: str) -> SafeString:
    tendency = w.tendency(d["tendency"])
    if "member" in d:
        if d.get("lapsed"):
            return format_html(
                "The support of {} for {} lapsed: {} is no longer a member within its scope.",
                w.member(d["member"]),
                tendency,
                w.member(d["member"]),
            )
        return format_html("{} withdrew support from {}.", w.member(d["member"]), tendency)
    if d.get("lapsed"):
        return format_html(
            "A private support of {} lapsed, its supporter being no longer within its scope; "
            "the record does not say whose.",
            tendency,
        )
    return format_html("A private supporter of {} withdrew; the record does not say who.", tendency)


@says("shares_recomputed")
def _shares(w: _Words, d: Data, actor: str) -> SafeString:
    period = format_html(
        "The fair shares of {} for period {} ({} to {})",
        w.council(d["scope"]),
        d["period"],
        _time(d["starts"]),
        _time(d["ends"]),
    )
    supporters = d.get("supporters", {})
    if not supporters:
        return format_html("{} were recomputed: it has no founded tendency to share them.", period)
    parts = []
    for tendency, count in sorted(supporters.items()):
        amounts = ", ".join(
            f"{d['shares'].get(q, {}).get(tendency, 0)} {UNITS[q]}" for q in QUANTITIES
        )
        parts.append(
            format_html(
                "{} ({}): {}",
                w.tendency(tendency),
                _plural(count, "supporter", "supporters"),
                amounts,
            )
        )
    return format_html(
        "{} were divided in proportion to supporters (Sainte-Laguë): {}.",
        period,
        mark_safe("; ".join(parts)),
    )


@says("publication_issued")
def _publication(w: _Words, d: Data, actor: str) -> SafeString:
    publisher = w.publisher(d["publisher"])
    if d.get("corrects"):
        return format_html(
            "{} published a {} of {} for {}; the original stays in the record, marked.",
            w.member(actor),
            _text(d.get("kind")),
            w.publication(d["corrects"]),
            publisher,
        )
    return format_html(
        "{} published “{}” for {}, to the {} members within {} ({} words{}).",
        w.member(actor),
        d["title"],
        publisher,
        d["reach"],
        w.council(d["scope"]),
        d["words"],
        ", also mailed to each" if d.get("mailing") else "",
    )


# due process -----------------------------------------------------------------------------------


@says("rule_enacted")
def _rule_enacted(w: _Words, d: Data, actor: str) -> SafeString:
    rule = format_html("rule {} “{}”", d["id"], d["title"])
    if d.get("motion"):
        return format_html("By {}, {} was added to the code of rules.", w.motion(d["motion"]), rule)
    return format_html("{} was written into the code of rules at the founding.", _cap(rule))


@says("rule_repealed")
def _rule_repealed(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html(
        "By {}, {} of the code of rules was repealed.", w.motion(d["motion"]), w.rule(d["rule"])
    )


@says("case_opened")
def _case_opened(w: _Words, d: Data, actor: str) -> SafeString:
    respondent = w.member(d["respondent"])
    witnesses = [w.member(person) for person in d.get("witnesses", [])]
    called = format_html(", naming {} as witness", _and(witnesses)) if witnesses else ""
    return format_html(
        "{} charged {} under {} with {}, before the control commission of {} ({}{}); {} was "
        "notified and may reply until {}.",
        w.member(actor),
        respondent,
        w.rule(d["rule"]),
        _plural(len(d["acts"]), "act", "acts"),
        w.council(d["council"]),
        w.case(d["id"]),
        called,
        w.member(d["notified"]),
        _time(d["reply_until"]),
    )


@says("charge_replied")
def _replied(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html("{} replied to the charge in {}.", w.member(actor), w.case(d["case"]))


@says("case_heard")
def _heard(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html(
        "{} recorded the hearing of {}, against {}.",
        w.member(actor),
        w.case(d["case"]),
        w.respondent(d["case"]),
    )


@says("evidence_added")
def _evidence(w: _Words, d: Data, actor: str) -> SafeString:
    added = format_html(
        "{} added evidence to {}: “{}”", w.member(actor), w.case(d["case"]), d["title"]
    )
    if d.get("restricted"):
        return format_html(
            "{}, restricted to the parties and the control commission: the record holds only "
            "its digest.",
            added,
        )
    return format_html("{}.", added)


def _until(value: object) -> SafeString:
    return format_html(" until {}", _time(value)) if value else mark_safe("")


@says("case_vote_cast")
def _case_vote(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html(
        "{}, of the control commission, voted in {} to {}{}.",
        w.member(d["member"]),
        w.case(d["case"]),
        w.outcome(OUTCOMES, d["outcome"], d["case"]),
        _until(d.get("until")),
    )


@says("case_decided")
def _case_decided(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html(
        "{} decided {}: {}{}, {} of the {} commissioners sitting agreeing.",
        w.commission(d["case"]),
        w.case(d["case"]),
        w.outcome(DECISIONS, d["outcome"], d["case"]),
        _until(d.get("until")),
        len(d["majority"]),
        len(d["bench"]),
    )


@says("member_expelled")
def _expelled(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html(
        "{} was expelled from {} and the federation by the decision in {}.",
        w.member(d["member"]),
        w.council(d["council"]),
        w.case(d["case"]),
    )


@says("case_appealed")
def _appealed(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html(
        "{} appealed the decision in {} to {}; its voters may vote on the appeal until {}.",
        w.member(actor),
        w.case(d["case"]),
        w.council(d["body"]),
        _time(d["closes"]),
    )


@says("appeal_voted")
def _appeal_voted(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html(
        "{} voted to {} the decision in {}.",
        w.member(d["member"]),
        _text(d["choice"]),
        w.case(d["case"]),
    )


@says("appeal_decided")
def _appeal_decided(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html(
        "The appeal in {} was decided: the decision is {}, {} to overturn and {} to uphold, of "
        "{} entitled to vote.",
        w.case(d["case"]),
        "overturned" if d["overturned"] else "upheld",
        d["overturn"],
        d["uphold"],
        d["electorate"],
    )


@says("member_reinstated")
def _reinstated(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html(
        "{} is a member of {} again: the appeal in {} overturned the expulsion.",
        w.member(d["member"]),
        w.council(d["council"]),
        w.case(d["case"]),
    )


# secret ballots --------------------------------------------------------------------------------


@says("credential_registered")
def _credential(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html(
        "{} registered a credential for secret ballots: a public key, whose secret half stays "
        "on the member's own device.",
        w.member(d["member"]),
    )


@says("secret_ballot_set")
def _secret_set(w: _Words, d: Data, actor: str) -> SafeString:
    trustees = [w.member(person) for person in d["trustees"]]
    return format_html(
        "{} is to be decided by secret ballot: {} of its {} ({}) are needed to decrypt the result.",
        _cap(w.subject(d["subject"])),
        d["threshold"],
        _plural(len(trustees), "trustee", "trustees"),
        _and(trustees),
    )


@says("secret_manifest_published")
def _manifest(w: _Words, d: Data, actor: str) -> SafeString:
    manifest = d["manifest"]
    options = [
        w.member(option)
        for contest in manifest.get("contests", [])
        for option in contest.get("options", [])
    ]
    # The manifest's own title names the subject too: said only when the subject is not known.
    subject = _text(d["subject"])
    known = subject in w.names.elections or subject in w.names.motions or subject in w.names.recalls
    return format_html(
        "{} published the manifest of the secret ballot on {}, which fixes its options ({}) "
        "for the trustees' key ceremony.",
        w.member(actor),
        w.subject(subject) if known else format_html("“{}”", _text(manifest.get("title"))),
        _and(options, most=12),
    )


@says("trustee_document_uploaded")
def _trustee_document(w: _Words, d: Data, actor: str) -> SafeString:
    trustee = format_html(
        "{}, trustee {} of the secret ballot on {},",
        w.member(actor),
        d["trustee"],
        w.subject(d["subject"]),
    )
    if d["step"] == "decryption":
        return format_html(
            "{} uploaded a partial decryption of the tally, with its proof.", trustee
        )
    step = STEPS.get(_text(d["step"]), _text(d["step"]))
    return format_html("{} uploaded the {} document of the key ceremony.", trustee, step)


@says("secret_ceremony_failed")
def _ceremony_failed(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html(
        "The key ceremony of the secret ballot on {} failed, so its voting cannot open: {}.",
        w.subject(d["subject"]),
        "; ".join(_text(f) for f in d["failures"]),
    )


@says("secret_voting_opened")
def _voting_opened(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html(
        "The trustees finished the key ceremony, and voting opened on {}: the roll, frozen now, "
        "holds the credentials of {}.",
        w.subject(d["subject"]),
        _plural(d["voters"], "voter", "voters"),
    )


@says("secret_ballot_cast")
def _secret_cast(w: _Words, d: Data, actor: str) -> SafeString:
    """The entry holds the member, a tracker and ciphertexts with their proofs: who voted is
    public, what she chose is in no entry, and the sentence implies nothing of it."""
    return format_html(
        "{} cast an encrypted ballot on {}; what it says is secret. Its tracker begins with {}.",
        w.member(d["member"]),
        w.subject(d["subject"]),
        _text(d["tracker"])[:16],
    )


@says("secret_tally_published")
def _tally(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html(
        "Voting on {} closed: {} (each voter's last) were added up still encrypted; only "
        "their total is for the trustees to decrypt.",
        w.subject(d["subject"]),
        _plural(d["counted"], "ballot", "ballots"),
    )


@says("secret_ballot_void")
def _secret_void(w: _Words, d: Data, actor: str) -> SafeString:
    # Plain names: format_html escapes the whole reason once.
    why = void_words(d, lambda member: w.names.members.get(member, member))
    return format_html(
        "{} closed the secret ballot on {} as void, with no result: {}. So {}.",
        w.member(actor),
        w.subject(d["subject"]),
        why,
        CONSEQUENCES.get(_text(d.get("kind")), "it has no result"),
    )


@says("secret_result_published")
def _result(w: _Words, d: Data, actor: str) -> SafeString:
    result = d["result"]
    counts = [
        format_html("{} {}", w.member(option), count)
        for contest in result.get("contests", [])
        for option, count in zip(
            contest.get("options", []), contest.get("counts", []), strict=False
        )
    ]
    trustees = [f"{n}" for n in result.get("trustees", [])]
    return format_html(
        "Trustees {} decrypted the result of {} from {}: {}.",
        _and(trustees),
        w.subject(d["subject"]),
        _plural(result.get("ballots", 0), "ballot", "ballots"),
        mark_safe(", ".join(counts)),
    )


# debate: the speaker list and the rulings of the chair -----------------------------------------

RULINGS = {
    "close_list": "the speaker list is closed",
    "call_to_order": "{speaker} is called to order, and her speech ends",
    "point_of_order": "a ruling on a point of order",
}


def _seconds(value: object) -> str:
    return duration(int(_text(value) or 0))


def _side(side: object, tendency: object, w: _Words) -> SafeString:
    """``for it, on behalf of the tendency “Rank and File”`` / ``against it, for herself``."""
    on_behalf = (
        format_html("on behalf of {}", w.tendency(tendency))
        if tendency
        else mark_safe("for herself")
    )
    return format_html("{} it, {}", "for" if side == "for" else "against", on_behalf)


@says("speaker_requested")
def _speaker_requested(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html(
        "{} asked to speak on {}, {}.",
        w.member(d["member"]),
        w.motion(d["motion"]),
        _side(d["side"], d.get("tendency"), w),
    )


@says("speaker_withdrawn")
def _speaker_withdrawn(w: _Words, d: Data, actor: str) -> SafeString:
    if d.get("lapsed"):
        return format_html(
            "The place of {} on the speaker list of {} lapsed: she is no longer entitled to vote "
            "where it is debated.",
            w.member(d["member"]),
            w.motion(d["motion"]),
        )
    return format_html(
        "{} took her name off the speaker list of {}.", w.member(d["member"]), w.motion(d["motion"])
    )


@says("floor_given")
def _floor_given(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html(
        "{}, as chair, gave the floor on {} to {}, who speaks {}, for at most {}, as the rules "
        "of the speaker list designated.",
        w.member(actor),
        w.motion(d["motion"]),
        w.member(d["member"]),
        _side(d["side"], d.get("tendency"), w),
        _seconds(d["seconds"]),
    )


@says("speech_ended")
def _speech_ended(w: _Words, d: Data, actor: str) -> SafeString:
    if d.get("ruling"):
        return format_html(
            "The speech of {} on {} ended after {}: the chair called her to order (ruling {}).",
            w.member(d["member"]),
            w.motion(d["motion"]),
            _seconds(d["seconds"]),
            _text(d["ruling"]),
        )
    by = (
        mark_safe("she ended it herself")
        if actor == d["member"]
        else format_html("{} ended it once her time was up", w.member(actor))
    )
    return format_html(
        "The speech of {} on {} ended after {}: {}.",
        w.member(d["member"]),
        w.motion(d["motion"]),
        _seconds(d["seconds"]),
        by,
    )


@says("chair_ruled")
def _chair_ruled(w: _Words, d: Data, actor: str) -> SafeString:
    template = RULINGS.get(_text(d["kind"]))
    what = (
        format_html(template, speaker=mark_safe("the speaker"))
        if template is not None
        else format_html("{}", _text(d["kind"]).replace("_", " "))
    )
    return format_html(
        "{}, as chair, ruled in the debate on {} (ruling {}): {}. The reason given: “{}”",
        w.member(actor),
        w.motion(d["motion"]),
        _text(d["ruling"]),
        what,
        _short(d["reason"]),
    )


@says("ruling_challenged")
def _ruling_challenged(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html(
        "{} challenged ruling {} of the chair in the debate on {}: the floor votes on "
        "overturning it until {}.",
        w.member(actor),
        _text(d["ruling"]),
        w.motion(d["motion"]),
        _time(d["closes"]),
    )


@says("challenge_voted")
def _challenge_voted(w: _Words, d: Data, actor: str) -> SafeString:
    verb = {"overturn": "to overturn", "uphold": "to uphold"}.get(_text(d["choice"]), "on")
    return format_html(
        "{} voted {} ruling {} of the chair in the debate on {}.",
        w.member(d["member"]),
        verb,
        _text(d["ruling"]),
        w.motion(d["motion"]),
    )


@says("challenge_decided")
def _challenge_decided(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html(
        "The floor {} ruling {} of the chair in the debate on {}: {} to overturn, {} to uphold, "
        "of {} entitled to vote.",
        "overturned" if d["overturned"] else "upheld",
        _text(d["ruling"]),
        w.motion(d["motion"]),
        d["overturn"],
        d["uphold"],
        d["electorate"],
    )


@says("speaker_list_reopened")
def _speaker_list_reopened(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html(
        "The speaker list of {} is open again: the floor overturned ruling {}, which closed it.",
        w.motion(d["motion"]),
        _text(d["ruling"]),
    )


@says("speaker_restored")
def _speaker_restored(w: _Words, d: Data, actor: str) -> SafeString:
    return format_html(
        "The floor overturned ruling {}, which had called {} to order: she is back at the head "
        "of the speaker list of {}, with the {} she had left.",
        _text(d["ruling"]),
        w.member(d["member"]),
        w.motion(d["motion"]),
        _seconds(d["seconds"]),
    )
