"""The voting booth of a secret ballot, its public ballot box, and the booth's JavaScript.

The booth page only carries data: the election document (manifest, joint key, fingerprint)
and where to send the ballot.  Encryption, proofs and the signature happen on the voter's
device, in ``smolny/ballot/js/booth-crypto.js`` over ``@noble/curves`` and ``@noble/hashes``,
which ``module`` serves straight from ``node_modules`` (pinned by package-lock.json) through an
import map: no CDN, and nothing copied into the repository.  The ballot goes to the API's
``cast_secret_ballot`` command with the member's session, and the constitution verifies it.

Pages read the folded state (``current_state``) rather than read models: a secret ballot's
documents are the record's own, served as they are.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from smolny import ballot as ballot_pkg
from smolny.constitution import DomainError, State
from smolny.constitution.commands import CastSecretBallot
from smolny.constitution.events import fmt_time
from smolny.constitution.secret import (
    CEREMONY_AFTER,
    CONSEQUENCES,
    CredentialDue,
    SecretBallot,
    ceremony_too_late,
    credential_due,
    credentials_due,
    election_files,
    preverify,
    steps_words,
    void_words,
    waiting_for,
    window_close,
)
from smolny.constitution.words import office, when
from smolny.store import clock
from smolny.store.service import current_state, execute

from .. import lookups

PAGES = {"election": "election", "motion": "motion", "recall": "recall"}


def node_modules() -> Path:
    configured = getattr(settings, "SMOLNY_NODE_MODULES", None)
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[4] / "node_modules"


def _roots() -> dict[str, Path]:
    return {
        "smolny": Path(ballot_pkg.__file__).resolve().parent / "js",
        "booth": Path(__file__).resolve().parents[1] / "static" / "smolny",
        "noble-curves": node_modules() / "@noble" / "curves",
        "noble-hashes": node_modules() / "@noble" / "hashes",
    }


@require_GET
def module(request: HttpRequest, root: str, path: str) -> FileResponse:
    """One ES module of the booth, from its package directory (nothing outside it)."""
    base = _roots().get(root)
    if base is None or not path.endswith(".js"):
        raise Http404("no such module")
    target = (base / path).resolve()
    if not target.is_relative_to(base.resolve()) or not target.is_file():
        raise Http404("no such module")
    response = FileResponse(target.open("rb"), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


def _importmap() -> str:
    def prefix(root: str) -> str:
        return str(reverse("booth_module", args=[root, "x.js"]))[: -len("x.js")]

    imports = {
        "@noble/curves/": prefix("noble-curves"),
        "@noble/hashes/": prefix("noble-hashes"),
        "smolny/": prefix("smolny"),
    }
    return json.dumps({"imports": imports})


def _secret(subject: str) -> tuple[Any, SecretBallot]:
    state = current_state()
    sb = state.secret.get(subject)
    if sb is None:
        raise Http404("no secret ballot")
    return state, sb


def _options(sb: SecretBallot) -> tuple[str, str, list[str]]:
    assert sb.manifest is not None
    contest = sb.manifest["contests"][0]
    return contest["id"], contest["kind"], list(contest["options"])


def _what(state: State, due: CredentialDue) -> str:
    """The ballot in words, as the home page lists ballots to cast."""
    council = state.councils[due.council].name
    if due.kind == "election":
        election = state.elections[due.subject]
        if election.kind == "delegate":
            return f"Election {due.subject}: delegates of {council}"
        return f"Election {due.subject}: {office(election.office)} of {council}"
    if due.kind == "motion":
        return f"Motion: {state.motions[due.subject].title}"
    holder = state.mandates[state.recalls[due.subject].mandate].holder
    return f"Recall ballot: {state.members[holder].name}"


CEREMONY: tuple[tuple[str, str, tuple[str, ...]], ...] = tuple(
    (step, command, CEREMONY_AFTER[step])
    for step, command in zip(
        CEREMONY_AFTER, ("init", "commit", "share", "share", "finish"), strict=True
    )
)
"""Each document of a trustee's key ceremony, the ``smolny trustee`` sub-command that writes
it, and what every trustee must have uploaded before it is accepted (the constitution's
``secret.CEREMONY_AFTER``, which ``secret.upload_trustee_document`` enforces)."""

OPENS_WHEN = {
    "election": "nominations are closed",
    "motion": "its vote opens",
    "recall": "the recall petition reaches its ballot",
}
"""When a subject's options are fixed, so that its manifest can be published
(``secret._manifest``)."""


def _trustees_named(indices: list[int], names: dict[str, str], sb: SecretBallot) -> str:
    people = [names.get(sb.trustees[j - 1], sb.trustees[j - 1]) for j in indices]
    if len(people) == 1:
        return people[0]
    return ", ".join(people[:-1]) + " and " + people[-1]


def _named(state: State) -> Callable[[str], str]:
    return lambda member: state.members[member].name if member in state.members else member


def void_text(state: State, sb: SecretBallot) -> str:
    """Why ``sb`` is void and what that means for its subject, in a sentence that follows
    "This ballot is void, closed with no result: " (the rule and its words are the
    constitution's: ``secret.void_words`` and ``secret.CONSEQUENCES``)."""
    assert sb.void is not None
    return f"{void_words(sb.void, _named(state))}. So {CONSEQUENCES[sb.kind]}"


def ceremony_stage(state: State, sb: SecretBallot, now: datetime) -> str:
    """Where the key ceremony is, in words, for the booth's list of trustees."""
    if sb.void is not None:
        return (
            "The ballot is void, so its key ceremony and decryption are over: "
            f"{void_words(sb.void, _named(state))}."
        )
    if sb.manifest is None:
        when_fixed = OPENS_WHEN[sb.kind]
        if sb.kind == "election":
            when_fixed += f" (at {when(state.elections[sb.subject].nominations_close)})"
        return (
            "The key ceremony has not started: it starts when the ballot's manifest is "
            f"published, which any member can do from the {sb.kind} page once {when_fixed}. "
            "Until then no trustee has anything to do."
        )
    if sb.failures:
        return (
            "The key ceremony failed, so this ballot takes no more ceremony documents and "
            "voting will not open."
        )
    if ceremony_too_late(state, sb, now):
        return (
            "The key ceremony had not finished by "
            f"{when(window_close(state, sb))}, when voting was to close, so this ballot can "
            "no longer open and takes no more ceremony documents. Any voter of "
            f"{state.councils[sb.council].name} may now close it as void, from the {sb.kind} "
            "page."
        )
    if sb.election is None:
        return (
            "The key ceremony is under way: each trustee runs smolny trustee on her own "
            f"computer and uploads the {len(CEREMONY)} documents it writes, each step after "
            "every trustee's previous one. Voting opens, and the roll of voters is frozen, "
            "when every trustee has finished."
        )
    needed = f"{sb.threshold} of the {len(sb.trustees)} trustees"
    if sb.result is not None:
        return f"The key ceremony is over and the result is decrypted ({needed} were needed)."
    if sb.tally is not None:
        return (
            f"The key ceremony is over and the tally is published: {needed} must now upload "
            f"a partial decryption (smolny trustee decrypt); {len(sb.decryptions)} have."
        )
    return (
        "The key ceremony is over and voting is open. After the close the tally is "
        f"published, and {needed} decrypt it."
    )


def trustee_stage(
    sb: SecretBallot, index: int, names: dict[str, str], *, too_late: bool = False
) -> str:
    """What is true of trustee ``index``'s part at the ceremony's present stage, in words that
    follow her name ("Karl: ...").  ``too_late``: the ceremony ran past the time voting was to
    close (``secret.ceremony_too_late``), so nothing more can be uploaded."""
    if sb.void is not None:
        lacking = next((m for m in sb.void["missing"] if m["trustee"] == index), None)
        if lacking is not None:
            return (
                f"had not uploaded the {steps_words(list(lacking['steps']))} when the ballot "
                "was closed as void"
            )
        if index in sb.decryptions:
            return "key ceremony finished; decrypted the tally, but too few others did"
        return "nothing more to do: the ballot is void"
    if sb.manifest is None:
        return "nothing to do yet: the key ceremony starts once the manifest is published"
    mine = sb.documents.get(index, {})
    done = sum(1 for step, _, _ in CEREMONY if step in mine)
    count = f"{done} of {len(CEREMONY)} ceremony documents uploaded"
    if sb.failures:
        return f"{count} when the key ceremony failed"
    if sb.election is None and too_late:
        return f"{count} by the time voting was to close; no more can be uploaded"
    if sb.election is None:
        if done == len(CEREMONY):
            return f"{count}: finished, and voting opens when every trustee has finished"
        step, command, after = next((s, c, a) for s, c, a in CEREMONY if s not in mine)
        writes = [s for s, c, _ in CEREMONY if c == command and s not in mine]
        what = f"the {' and '.join(writes)} document{'s' if len(writes) > 1 else ''}"
        waiting = waiting_for(sb, step)
        if waiting:
            return (
                f"{count}; next, {what} (smolny trustee {command}), which can follow once "
                f"the {' and '.join(after)} documents of {_trustees_named(waiting, names, sb)} "
                "are in"
            )
        return f"{count}; next, {what} (smolny trustee {command}), which can be uploaded now"
    if index in sb.decryptions:
        return "key ceremony finished; decrypted the tally"
    if sb.result is not None:
        return "key ceremony finished; this decryption was not needed"
    if sb.tally is not None:
        return (
            "key ceremony finished; a partial decryption of the tally "
            "(smolny trustee decrypt) is awaited"
        )
    return (
        "key ceremony finished; the partial decryption (smolny trustee decrypt) comes once "
        "voting has closed and the tally is published"
    )


def credential_notices(member: str) -> list[dict[str, Any]]:
    """Each secret ballot ``member`` must still register a credential for, with its deadline
    and where to register: the rule is the constitution's (``secret.credential_due``)."""
    if not member:
        return []
    state = current_state()
    return [
        {
            "due": due,
            "what": _what(state, due),
            "booth_url": reverse("booth", args=[due.subject]),
        }
        for due in credentials_due(state, member, clock.now())
    ]


def booth(request: HttpRequest, subject: str) -> HttpResponse:
    state, sb = _secret(subject)
    viewer = request.user.get_username() if request.user.is_authenticated else ""
    credential = state.credentials.get(viewer)
    mine = [b for b in sb.ballots if b["member"] == viewer]
    people = lookups.names(
        [*sb.trustees, viewer, *(sb.manifest or {}).get("contests", [{}])[0].get("options", [])]
    )
    contest_id, kind, options = _options(sb) if sb.manifest else ("", "", [])
    closes = window_close(state, sb)
    voting = sb.phase == "voting" and lookups.now_text() < fmt_time(closes)
    too_late = ceremony_too_late(state, sb, clock.now())
    result: list[tuple[str, int]] = []
    if sb.result is not None:
        contest = sb.result["contests"][0]
        result = [
            (people.get(o, o), n)
            for o, n in zip(contest["options"], contest["counts"], strict=True)
        ]
    data = {
        "subject": subject,
        "member": viewer,
        "contest": contest_id,
        "election": sb.election,
        "seq": max((b["seq"] for b in mine), default=0) + 1,
        "registered": credential,
        "on_roll": credential in sb.roll if credential else False,
        "cast_url": reverse("booth_cast", args=[subject]),
        "register_url": "/api/commands/register_credential",
        "ballots_url": reverse("secret_ballots", args=[subject]),
    }
    return render(
        request,
        "pages/booth.html",
        {
            "sb": sb,
            "subject": subject,
            "subject_url": reverse(PAGES[sb.kind], args=[subject]),
            "kind": kind,
            "options": [(o, people.get(o, o)) for o in options],
            "names": people,
            "trustees": [
                (i, t, people.get(t, t), trustee_stage(sb, i, people, too_late=too_late))
                for i, t in enumerate(sb.trustees, start=1)
            ],
            "ceremony": ceremony_stage(state, sb, clock.now()),
            "too_late": too_late,
            "void": void_text(state, sb) if sb.void is not None else "",
            "voting": voting,
            "closes": fmt_time(closes),
            "credential": credential,
            "due": credential_due(state, subject, viewer, clock.now()),
            "on_roll": data["on_roll"],
            "is_voter": state.is_voter(sb.council, viewer),
            "mine": mine,
            "data": data,
            "importmap": _importmap(),
            "roll_size": len(sb.roll),
            "voted": len({b["member"] for b in sb.ballots}),
            "council_name": state.councils[sb.council].name,
            "result": result,
            "files_url": request.build_absolute_uri(reverse("secret_files", args=[subject])),
            **_demo(subject, viewer),
        },
    )


def _demo(subject: str, viewer: str) -> dict[str, str]:
    """Where the demo left this ballot's simulated trustees' key files and the viewer's
    credential file, if it did: the page says so (a real server has neither)."""
    from smolny.demo.secret import credential_file, trustee_folder

    data_dir = Path(settings.DATA_DIR)
    folder = trustee_folder(data_dir, subject)
    credential = credential_file(data_dir, viewer) if viewer else None
    return {
        "demo_trustees": str(folder) if folder else "",
        "demo_credential": str(credential) if credential else "",
    }


def ballots(request: HttpRequest, subject: str) -> HttpResponse:
    """The ballot box, public: every ballot's tracker, who cast it, whether it counts."""
    _state, sb = _secret(subject)
    counted = {b["tracker"] for b in sb.counted()}
    wanted = request.GET.get("tracker", "").strip().lower()
    rows = [
        {
            "n": n,
            "tracker": b["tracker"],
            "member": b["member"],
            "seq": b["seq"],
            "at": fmt_time(b["at"]),
            "counted": b["tracker"] in counted,
        }
        for n, b in enumerate(sb.ballots, start=1)
    ]
    found = [r for r in rows if wanted and r["tracker"].startswith(wanted)] if wanted else []
    return render(
        request,
        "pages/booth_ballots.html",
        {
            "sb": sb,
            "subject": subject,
            "subject_url": reverse(PAGES[sb.kind], args=[subject]),
            "rows": rows,
            "wanted": wanted,
            "found": found,
            "names": lookups.names([r["member"] for r in rows]),
            "in_tally": sb.tally is not None,
        },
    )


def files(request: HttpRequest, subject: str) -> JsonResponse:
    """The election directory as the record holds it (``smolny election fetch`` reads this)."""
    state, _sb = _secret(subject)
    return JsonResponse(
        {"subject": subject, "files": election_files(state, subject)},
        json_dumps_params={"sort_keys": True},
    )


@require_POST
def cast(request: HttpRequest, subject: str) -> JsonResponse:
    """The booth's ballot: verified here, in this request's thread, then decided.

    The same command as the API's ``cast_secret_ballot``; verifying first (``preverify``) keeps
    the milliseconds of group operations out of the record's serial commit (see
    ``secret.checked_ballot``).  Answers like the API: the receipt, or a problem document.
    """
    if not request.user.is_authenticated:
        return JsonResponse(
            {"code": "not_signed_in", "detail": "Sign in to vote.", "status": 401}, status=401
        )
    try:
        ballot = json.loads(request.body or b"{}").get("ballot")
    except (ValueError, AttributeError):
        ballot = None
    preverify(current_state(), subject, ballot)
    command = CastSecretBallot(request.user.get_username(), subject, ballot)
    try:
        entries = execute(command)
    except DomainError as error:
        return JsonResponse(
            {"code": error.code, "detail": error.message, "status": error.status},
            status=error.status,
        )
    return JsonResponse(
        {"entries": [{"seq": e.seq, "type": e.type, "at": e.at} for e in entries]}, status=201
    )
