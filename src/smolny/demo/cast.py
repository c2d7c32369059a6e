"""Who is in the demo federation: its councils, its people, and the parts a few of them play.

Everything here is fixed or drawn from a seeded generator, so every seeding gives the same
councils, the same member ids and the same election results; only the dates move with the
day the demo is started.  The named people (``CAST``) are the ones the sign-in table and the
story need; everyone else is generated from the name lists below.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field

from smolny.constitution.apportionment import seats_per_members

FEDERATION = "Bay Federation of Workers, Tenants and Students"
CONGRESS = "Federal Congress"

PARAMS: dict[str, int | str] = {
    # One delegate per 20 members or part of 20: 2-3 delegates per base council, 5-6 per
    # district in the congress, so every delegation election can be contested.
    "members_per_delegate": 20,
    # The founding assembly set a cautious recall share; the congress lowers it to 1/5
    # (the demo's constitutional amendment).
    "recall_share": "1/4",
    "cosponsor_share": "1/10",
    "nomination_hours": 72,
    "voting_hours": 72,
    "motion_notice_hours": 48,
    "recall_ballot_hours": 72,
    "term_days": 365,
    "rotation_limit": 3,
    "executive_seats": 3,
}


@dataclass(frozen=True)
class Base:
    name: str
    district: str
    founding: int
    """Members who join during the founding assembly (the seats are apportioned from these)."""
    late: int = 0
    """Members who join months later."""

    @property
    def seats(self) -> int:
        return seats_per_members(self.founding, int(PARAMS["members_per_delegate"]))


HARBOUR = "Harbour District"
NORTH_SHORE = "North Shore District"
VALLEY = "Valley District"
DISTRICTS = (NORTH_SHORE, HARBOUR, VALLEY)

DOCKERS = "Harbour Dockers"
NURSES = "Harbour Nurses"
BUSES = "Harbour Bus Drivers"
TEACHERS = "North Shore Teachers"
WAREHOUSE = "Eastgate Warehouse Workers"
NORTHGATE = "Northgate Estate Tenants"
VALLEY_TENANTS = "Valley Tenants' Association"
STUDENTS = "Valley College Students' Union"
CARE = "Valley Care Workers"

BASES = (
    Base(TEACHERS, NORTH_SHORE, 37, late=1),
    Base(WAREHOUSE, NORTH_SHORE, 31),
    Base(NORTHGATE, NORTH_SHORE, 25, late=1),
    Base(DOCKERS, HARBOUR, 44, late=1),
    Base(NURSES, HARBOUR, 35, late=1),
    Base(BUSES, HARBOUR, 26, late=1),
    Base(VALLEY_TENANTS, VALLEY, 42, late=1),
    Base(STUDENTS, VALLEY, 32, late=1),
    Base(CARE, VALLEY, 23),
)

# --- the named people ------------------------------------------------------------------------

FOUNDER = "ines.carvalho"
DELEGATE = "rosa.lindqvist"
"""Harbour Nurses' delegate to the Harbour District; her constituents are petitioning to
recall her when the demo starts."""
CONSTITUENT = "amara.nwosu"
CHAIR = "tomas.reyes"
OTHER_MEMBER = "lena.petrova"
CONGRESS_DELEGATE = "samir.haddad"
CONGRESS_SECRETARY = "mei.chen"
RECALLED = "derek.holm"
RECALL_OPENER = "kwame.mensah"
BY_ELECTED = "nadia.farouk"
COMMISSIONER = "oksana.bilyk"
"""Elected to Harbour Dockers' control commission (by secret ballot); a case awaits its hearing."""
OPERATOR = "operator"

CAST: dict[str, tuple[str, str]] = {
    # id: (name, base council)
    FOUNDER: ("Inês Carvalho", VALLEY_TENANTS),
    CONGRESS_DELEGATE: ("Samir Haddad", VALLEY_TENANTS),
    DELEGATE: ("Rosa Lindqvist", NURSES),
    CONGRESS_SECRETARY: ("Mei Chen", NURSES),
    CONSTITUENT: ("Amara Nwosu", NURSES),
    CHAIR: ("Tomás Reyes", DOCKERS),
    COMMISSIONER: ("Oksana Bilyk", DOCKERS),
    OTHER_MEMBER: ("Lena Petrova", STUDENTS),
    RECALLED: ("Derek Holm", WAREHOUSE),
    RECALL_OPENER: ("Kwame Mensah", WAREHOUSE),
    BY_ELECTED: ("Nadia Farouk", WAREHOUSE),
}

# fmt: off
FIRST_NAMES = (
    "Agnes", "Ahmed", "Aisha", "Alejandro", "Anton", "Astrid", "Beatriz", "Bogdan", "Bruno",
    "Carmen", "Chloe", "Ciarán", "Dagny", "Dario", "Dmitri", "Efua", "Elif", "Emre", "Farah",
    "Femi", "Flora", "Gabriel", "Goran", "Greta", "Gustav", "Halima", "Hamid", "Hana", "Hugo",
    "Ifeoma", "Ingrid", "Ivo", "Jamal", "João", "Jonas", "Jude", "Kasia", "Keiko", "Kirsi",
    "Leila", "Luca", "Lucía", "Luis", "Magnus", "Marek", "Mateo", "Maya", "Miriam", "Nikos",
    "Niamh", "Olek", "Omar", "Oona", "Pavel", "Pilar", "Priya", "Rania", "Rhys", "Ruth", "Sade",
    "Selin", "Siobhan", "Sven", "Tariq", "Thandiwe", "Ulla", "Vikram", "Viktor", "Wanjiru",
    "Wiebke", "Xavier", "Yara", "Yosef", "Yusuf", "Zainab", "Zofia", "Declan", "Esther",
    "Idris", "Marta",
)

SURNAMES = (
    "Abdi", "Adeyemi", "Ali", "Alvarez", "Asante", "Aziz", "Bakker", "Baptiste", "Berg",
    "Brennan", "Costa", "Demir", "Doyle", "Dubois", "Eriksen", "Esposito", "Falk", "Fernandes",
    "Gallagher", "Hansen", "Herrera", "Horvat", "Hussein", "Iqbal", "Ivanova", "Jansen",
    "Jovanović", "Karimi", "Kaur", "Kim", "Kovač", "Kowalski", "Krüger", "Laine", "Lopez",
    "Lund", "MacLeod", "Mendes", "Morales", "Moreau", "Murphy", "Mwangi", "Nakamura", "Ndlovu",
    "Nilsson", "Novak", "Nowak", "O'Connell", "Obi", "Okafor", "Okeke", "Osei", "Park", "Pires",
    "Popescu", "Quinn", "Rahman", "Rossi", "Roth", "Ruiz", "Sato", "Schmidt", "Sharma", "Silva",
    "Szabo", "Takahashi", "Tanaka", "Usman", "Varga", "Vidal", "Walsh", "Weber", "Yilmaz",
    "Zhou", "Ahmadi", "Byrne", "Castillo", "Dimitrov", "Lindgren", "Mahlaba",
)
# fmt: on


def member_id(name: str) -> str:
    """``Tomás Reyes`` -> ``tomas.reyes``: lowercase ASCII, first name and surname."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    first, _, last = plain.partition(" ")
    return ".".join("".join(ch for ch in part.lower() if ch.isalnum()) for part in (first, last))


@dataclass
class Person:
    id: str
    name: str
    council: str
    """The base council's name."""
    late: bool = False


@dataclass
class Cast:
    people: list[Person]
    by_council: dict[str, list[str]] = field(default_factory=dict)
    """Member ids of each base council (named people first), as they join."""

    def name(self, member: str) -> str:
        return next(p.name for p in self.people if p.id == member)


def cast(seed: int = 1917) -> Cast:
    """The demo's members, deterministically: the named cast, then generated names."""
    rng = random.Random(seed)
    combos = [(f, s) for f in FIRST_NAMES for s in SURNAMES]
    rng.shuffle(combos)
    taken = set(CAST) | {OPERATOR}
    surname_use: dict[str, int] = {}
    generated: list[str] = []
    for first, surname in combos:
        name = f"{first} {surname}"
        if member_id(name) in taken or surname_use.get(surname, 0) >= 5:
            continue
        taken.add(member_id(name))
        surname_use[surname] = surname_use.get(surname, 0) + 1
        generated.append(name)
    pool = iter(generated)
    people: list[Person] = []
    by_council: dict[str, list[str]] = {}
    for base in BASES:
        ids = by_council.setdefault(base.name, [])
        for member, (name, council) in CAST.items():
            if council == base.name:
                people.append(Person(member, name, base.name))
                ids.append(member)
        while len(ids) < base.founding + base.late:
            name = next(pool)
            late = len(ids) >= base.founding
            people.append(Person(member_id(name), name, base.name, late=late))
            ids.append(member_id(name))
    return Cast(people, by_council)
