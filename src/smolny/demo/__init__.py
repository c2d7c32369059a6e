"""The demo federation that ``smolny demo`` seeds: a congress, three districts, nine base
councils, about 300 members, and four months of history ending just before it starts.

The history is made of ordinary commands decided by the constitution, in one batch through the
store (``execute_batch``, each command at its own time in the past), so the demo's record is a
record like any other: it replays, it verifies, and every election result in it was counted
by the rules.  ``history`` tells the story; ``cast`` names the people.
"""

from __future__ import annotations

from . import cast as k
from .secret import TRUSTEE_DIR, VOTER_DIR

URL = "http://127.0.0.1:8000/"
PASSWORD = "council-demo"
"""Every demo account's password (the sign-in table prints it)."""

PERSONAS: tuple[tuple[str, str], ...] = (
    (k.DELEGATE, "Harbour Nurses' delegate to the district; a recall petition is open against her"),
    (k.CONSTITUENT, "a nurse, one of Rosa's constituents; has not signed the petition, nor "
     "voted in the nurses' secret ballot"),
    (k.CHAIR, "chair of Harbour Dockers; an executive election is open there, and speakers "
     "wait for him to give the floor in the debate on pooling the strike fund"),
    (k.OTHER_MEMBER, "member of Valley College Students' Union (another council)"),
    (k.CONGRESS_DELEGATE, "Valley District's delegate to the Federal Congress"),
    (k.COMMISSIONER, "on Harbour Dockers' control commission; a case awaits its hearing"),
    (k.OPERATOR, "runs the server (admin site); no governance powers"),
)  # fmt: skip


class DemoRefused(RuntimeError):
    """``--fresh`` would delete a federation that is not the demo's."""


def sign_ins() -> str:
    """The demo's URL and who to sign in as."""
    width = max(len(who) for who, _ in PERSONAS)
    lines = [
        f"Smolny demo: {k.FEDERATION}",
        f"Open {URL} and sign in as one of these (password for every account: {PASSWORD}):",
        "",
        *(f"  {who:<{width}}  {what}" for who, what in PERSONAS),
        "",
        "Every other member id works too (e.g. mei.chen, the congress secretary; "
        "ines.carvalho, the congress chair).",
        "",
        f"Secret ballots: the personas' voting credentials are in {VOTER_DIR}/ under the data "
        "directory.",
        "Their trustees are simulated on the server only because this is a demo (key files in "
        f"{TRUSTEE_DIR}/);",
        "a real federation's trustees run `smolny trustee` on their own machines.",
    ]
    return "\n".join(lines)


def seed_demo(fresh: bool) -> str:
    """Seed the demo into the database; return what to print, or "" if a federation exists.

    With ``fresh``, first delete everything in the database (record, read models, accounts),
    but only if it holds nothing or the demo itself.
    """
    from django.conf import settings

    from smolny.pages.supportkeys import support_key
    from smolny.store import clock
    from smolny.store.models import Entry
    from smolny.store.service import execute_batch

    from .history import history
    from .secret import Files, forget_files

    if fresh:
        _wipe()
    elif Entry.objects.exists():
        return ""
    forget_files(settings.DATA_DIR)
    # The server's clock, not the wall clock: the history must end before what the server
    # will call "now", wherever that clock stands.
    execute_batch(history(clock.now(), Files(settings.DATA_DIR), support_key))
    _create_accounts()
    return sign_ins()


def _wipe() -> None:
    from django.core.management import call_command

    from smolny.store.models import Entry
    from smolny.store.service import current_state, forget

    if Entry.objects.exists():
        name = current_state().name
        if name != k.FEDERATION:
            raise DemoRefused(
                f"This database holds the federation {name!r}, not the demo; "
                "--fresh deletes only the demo. Point SMOLNY_DATA_DIR at another directory."
            )
    call_command("flush", interactive=False, verbosity=0)
    forget()


def _create_accounts() -> None:
    """A Django account for every member (username = member id) and the operator's.

    Demo only: one hash, one salt, for every account.  Argon2 is slow on purpose (that is what
    makes a stolen hash expensive to guess), and 300 hashes would take most of the seeding
    time.  Copying one hash shows anyone who reads the table that all accounts share a
    password, and cracking it once opens them all; in the demo that password is printed on
    the terminal anyway, so nothing is lost.  Never do this with real members' passwords.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from smolny.store.service import current_state

    User = get_user_model()
    password = make_password(PASSWORD)
    state = current_state()
    users = []
    for member in sorted(state.members.values(), key=lambda m: m.id):
        first, _, last = member.name.partition(" ")
        users.append(User(username=member.id, first_name=first, last_name=last, password=password))
    # The operator runs the server and has the admin site; she is no member, so the rules
    # give her no say in any council.
    users.append(User(username=k.OPERATOR, password=password, is_staff=True, is_superuser=True))
    with transaction.atomic():
        # An account made before the demo (``createsuperuser``) is left as it is.
        taken = set(User.objects.values_list("username", flat=True))
        User.objects.bulk_create([u for u in users if u.username not in taken], batch_size=500)


__all__ = ["PASSWORD", "PERSONAS", "URL", "DemoRefused", "seed_demo", "sign_ins"]
