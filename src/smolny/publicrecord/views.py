"""``/record/checkpoint``, ``/record/tile/...``, proofs, cosignatures, and the page's checker.

Paths follow C2SP tlog-tiles relative to the log prefix ``/record/`` (docs/record.md, "Serving
under /record/").  Tiles and bundles are served only up to the latest *signed* checkpoint, and
are immutable, so any HTTP cache may keep them for a year.  Proofs are answered from the
stored tree in one query each (O(log n) rows).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from django.db import IntegrityError, transaction
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotFound,
    JsonResponse,
)
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from smolny.api.problems import problem
from smolny.record.checkpoint import Checkpoint as Head
from smolny.record.cosignature import valid_cosignatures
from smolny.record.note import NoteError, b64encode, parse_note
from smolny.record.proofs import consistency_proof, inclusion_proof
from smolny.record.tiles import Bundle, TileError, encode_bundle, parse_path, read_tile, servable
from smolny.store import keys
from smolny.store.models import Checkpoint, Cosignature, Entry
from smolny.store.tree import DatabaseHashStore

from .finality import Witnesses, ident, with_cosignatures

IMMUTABLE = "public, max-age=31536000, immutable"
CHECK_JS = Path(__file__).with_name("check.js")


def _text(body: str, status: int = 200, cache: str = "no-cache") -> HttpResponse:
    response = HttpResponse(body, content_type="text/plain; charset=utf-8", status=status)
    response["Cache-Control"] = cache
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _problem(request: HttpRequest, status: int, code: str, detail: str) -> HttpResponse:
    """An RFC 9457 problem document, the same shape as the API's (smolny.api.problems)."""
    response = problem(request, status, code, detail)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _sentence(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?")) else text + "."


def latest() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-size").first()


FINALITY_HEADERS = ("Smolny-Cosignatures", "Smolny-Cosignatures-Required", "Smolny-Final")


@require_safe
def checkpoint(request: HttpRequest) -> HttpResponse:
    """The latest signed checkpoint (``?final=1``: the latest one that is final).

    The body is the C2SP checkpoint note with its cosignature lines, as witnesses and verifiers
    read it; the headers say how many of those cosignatures are by the federation's witnesses
    in force and how many its ``witness_quorum`` requires (see finality.py).
    """
    witnesses = Witnesses.now()
    row = witnesses.latest_final() if request.GET.get("final") else latest()
    if row is None:
        if request.GET.get("final"):
            return _text(
                f"no checkpoint has the {witnesses.quorum} cosignature(s) of the federation's "
                f"witnesses it requires yet\n",
                404,
            )
        return _text("no checkpoint yet\n", 404)
    status = witnesses.status(row)
    response = _text(with_cosignatures(row), cache="public, max-age=2")
    response["Smolny-Cosignatures"] = str(status.cosignatures)
    response["Smolny-Cosignatures-Required"] = str(status.required)
    response["Smolny-Final"] = "true" if status.final else "false"
    response["Access-Control-Expose-Headers"] = ", ".join(FINALITY_HEADERS)
    return response


@require_safe
def checkpoints(request: HttpRequest) -> HttpResponse:
    """Every checkpoint after ``?after=SIZE`` (JSON lines, 1,000 at most), for verifiers."""
    try:
        after = int(request.GET.get("after", "-1"))
    except ValueError:
        return HttpResponseBadRequest("after must be a whole number\n")
    rows = Checkpoint.objects.filter(size__gt=after).order_by("size")[:1000]
    body = "".join(json.dumps({"size": r.size, "note": r.note}) + "\n" for r in rows)
    response = HttpResponse(body, content_type="application/jsonl; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def verifier_key(request: HttpRequest) -> HttpResponse:
    key = keys.verifier()
    if key is None:
        return _text("no key yet\n", 404)
    return _text(key.encode() + "\n", cache="public, max-age=3600")


@require_safe
def tile(request: HttpRequest, rest: str) -> HttpResponse:
    try:
        item = parse_path("tile/" + rest)
    except TileError:
        return HttpResponseNotFound("no such tile\n", content_type="text/plain")
    row = latest()
    if row is None or not servable(item, row.size):
        return HttpResponseNotFound("no such tile\n", content_type="text/plain")
    if isinstance(item, Bundle):
        bodies = Entry.objects.filter(
            seq__gte=item.first_entry, seq__lt=item.first_entry + item.width
        ).order_by("seq")
        entries = [bytes(b) for b in bodies.values_list("body", flat=True)]
        if len(entries) != item.width:
            return HttpResponseNotFound("no such bundle\n", content_type="text/plain")
        data = encode_bundle(entries)
    else:
        data = read_tile(DatabaseHashStore(), item)
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Cache-Control"] = IMMUTABLE
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _int(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return None
    if not raw.isdigit():
        raise ValueError(f"{name} must be a whole number")
    return int(raw)


def _at_size(size: int | None) -> Checkpoint | None:
    if size is None:
        return latest()
    return Checkpoint.objects.filter(size=size).first()


@require_safe
def inclusion(request: HttpRequest) -> HttpResponse:
    """``?index=I[&size=N]``: the RFC 9162 inclusion proof of entry I in the tree of size N.

    N defaults to the latest checkpoint and must be the size of a signed checkpoint, which is
    returned with the proof, so a receipt (an entry's index) can be checked against any
    checkpoint signed after it.
    """
    try:
        index, size = _int(request, "index"), _int(request, "size")
    except ValueError as error:
        return _problem(request, 400, "bad_query", _sentence(str(error)))
    if index is None:
        return _problem(request, 400, "bad_query", "Give the entry's index: ?index=I.")
    row = _at_size(size)
    if row is None:
        return _problem(
            request,
            404,
            "no_such_checkpoint",
            "There is no signed checkpoint yet."
            if size is None
            else f"There is no signed checkpoint of size {size}; leave the size out to check "
            "against the latest checkpoint.",
        )
    if index >= row.size:
        return _problem(
            request,
            404,
            "no_such_entry",
            f"Entry {index} is not in the tree of size {row.size}.",
        )
    proof = inclusion_proof(DatabaseHashStore(), index, row.size)
    return JsonResponse(
        {
            "index": index,
            "size": row.size,
            "proof": [b64encode(h) for h in proof],
            "checkpoint": with_cosignatures(row),
        }
    )


@require_safe
def consistency(request: HttpRequest) -> HttpResponse:
    """``?from=M[&size=N]``: the RFC 9162 consistency proof from size M to size N."""
    try:
        first, size = _int(request, "from"), _int(request, "size")
    except ValueError as error:
        return _problem(request, 400, "bad_query", _sentence(str(error)))
    row = _at_size(size)
    if first is None:
        return _problem(request, 400, "bad_query", "Give ?from=M and a signed size N.")
    if row is None:
        return _problem(
            request, 404, "no_such_checkpoint", "There is no signed checkpoint of that size."
        )
    if not 0 < first <= row.size:
        return _problem(
            request,
            400,
            "bad_query",
            f"There is no consistency proof from size {first} to size {row.size}.",
        )
    proof = consistency_proof(DatabaseHashStore(), first, row.size)
    return JsonResponse(
        {
            "from": first,
            "size": row.size,
            "proof": [b64encode(h) for h in proof],
            "checkpoint": with_cosignatures(row),
        }
    )


@csrf_exempt
@require_POST
def cosign(request: HttpRequest) -> HttpResponse:
    """A mirror posts the checkpoint note carrying its cosignature line(s).

    Only lines from the federation's witnesses in force (admitted by the congress: see
    smolny.constitution.witnesses) that verify over the exact text of a checkpoint this server
    signed are kept; a note with none is refused with a problem document and stores nothing.
    """
    try:
        note = parse_note(request.body)
        head = Head.parse(note.text)
    except (NoteError, UnicodeDecodeError) as error:
        return _problem(
            request, 400, "not_a_checkpoint", f"This is not a checkpoint note: {error}."
        )
    row = Checkpoint.objects.filter(size=head.size).first()
    if row is None or parse_note(row.note).text != note.text:
        return _problem(
            request, 409, "no_such_checkpoint", "This server signed no such checkpoint."
        )
    witnesses = Witnesses.in_force()
    try:
        valid = valid_cosignatures(note, witnesses.keys, now=int(time.time()))
    except NoteError as error:
        return _problem(request, 403, "bad_cosignature", _sentence(str(error)))
    if not valid:
        admitted = ", ".join(k.name for k in witnesses.keys) or "none yet"
        return _problem(
            request,
            403,
            "not_a_witness",
            "No cosignature on this note is by a witness of the federation (admitted: "
            f"{admitted}); the congress admits witnesses by a motion carried by two thirds.",
        )
    known = {(w.name, w.key_id): w for w in witnesses.keys}
    accepted = []
    for sig in note.signatures:
        witness = known.get((sig.name, sig.key_id))
        if witness is None:
            continue
        stamp = int.from_bytes(sig.signature[:8], "big")
        try:
            with transaction.atomic():
                Cosignature.objects.create(
                    checkpoint=row, witness=ident(witness), line=sig.line(), at=stamp
                )
        except IntegrityError:
            pass  # this witness already cosigned this checkpoint
        accepted.append(witness.name)
    status = witnesses.status(row)
    return JsonResponse(
        {
            "size": row.size,
            "accepted": accepted,
            "cosignatures": status.cosignatures,
            "required": status.required,
            "final": status.final,
        }
    )


@require_safe
def check_js(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(CHECK_JS.read_bytes(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response
