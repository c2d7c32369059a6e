"""The ``smolny`` command: demo, serve, replay, export, and the library tools.

Sub-commands that work on plain files (``count``, ``trustee``, ``ballot``, ``verify-election``)
do not start Django; the others configure it from the environment like the server does.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from waitress.channel import HTTPChannel

HOST = "127.0.0.1"
PORT = 8000


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smolny.web.settings")
    import django

    django.setup()


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


CONNECTIONS = 1000
"""Open connections waitress serves at once (its own default is 100)."""

THREADS = 32
"""Request threads of ``smolny serve``.  Group commit puts every action waiting at one moment
into one commit, so more threads means bigger groups: bench/congress.py (2,000 members, 64
clients, SQLite) acknowledged 249 votes a second with 8 threads and 454 with 32 (2026-11-28);
after the server's CPU per vote was cut (2026-12-07, docs/operations.md), 8 and 16 threads
were again slower than 32.  Each thread keeps a database connection
(``SMOLNY_DB_CONN_MAX_AGE``), well within PostgreSQL's default limit of 100 for one server
process."""


def serve(host: str, port: int, threads: int = THREADS, connections: int = CONNECTIONS) -> None:
    """Serve the app with waitress, a production WSGI server (no DEBUG, no autoreload).

    A congress votes at once: with waitress's defaults, a client beyond the 100th open
    connection is not even accepted until another connection closes, so its vote waits for
    everyone else's (bench/congress.py, 200 clients: the slowest vote took the whole run, 12 to
    16 s, instead of 2 to 4 s).  An accepted connection costs a socket and a little memory while
    its request waits for one of the ``threads``; ``poll`` instead of ``select`` lifts select's
    limit of 1,024 descriptors.  Connections are served by :class:`PatientChannel`.
    """
    from waitress.server import BaseWSGIServer, create_server

    from smolny.web.wsgi import application

    sockets: dict[int, Any] = {}
    server = create_server(
        application,
        map=sockets,
        host=host,
        port=port,
        threads=threads,
        connection_limit=connections,
        asyncore_use_poll=True,
        ident="smolny",
    )
    # One listening server per address (localhost may be two); each accepts into this class.
    for listener in sockets.values():
        if isinstance(listener, BaseWSGIServer):
            listener.channel_class = PatientChannel
    from smolny.pages.pruning import Pruner

    Pruner().start()  # lapsed private supports withdrawn at each share period's start
    print(f"Smolny is serving on http://{host}:{port}/  (Ctrl-C to stop)", flush=True)
    server.run()


class PatientChannel(HTTPChannel):
    """Waitress's connection, without its busy wait while a request thread is sending.

    Waitress's I/O loop asks every connection, on every turn, whether it has output to send
    (``writable``), and if so waits for the socket to accept it.  A request thread writes its
    response itself, holding the connection's output lock while it calls ``send``; ``send``
    lets go of the interpreter lock, so the loop runs meanwhile, sees output pending, finds the
    socket writable at once, cannot take the output lock (``_flush_some_if_lockable``), and
    turns again at once: it spins, holding the interpreter lock that the request thread needs
    to finish, until Python's switch interval (5 ms) forces a hand-over.  In
    bench/congress.py (64 clients, 32 threads) that was 4 to 10 turns of the loop per vote,
    each asking all 64 connections, and 100 to 250 µs of the server's CPU per vote.

    Here a connection whose request thread holds the output lock is not writable: there is
    nothing the loop could do with it until the thread lets go, and when the thread leaves
    output unsent it wakes the loop itself (``pull_trigger``), as it does at the end of every
    request.  Everything else is waitress's rule: pending output with no request running, or
    a connection to close, is writable; no output is not.
    """

    def writable(self) -> bool:
        if self.will_close or self.close_when_flushed:
            return True
        if not self.total_outbufs_len:
            return False
        if self.requests:
            if not self.outbuf_lock.acquire(blocking=False):
                return False  # a request thread is sending; it will pull the trigger
            self.outbuf_lock.release()
        return True


def cmd_demo(args: argparse.Namespace) -> int:
    _django()
    _migrate()
    from smolny.demo import DemoRefused, seed_demo

    try:
        created = seed_demo(fresh=args.fresh)
    except DemoRefused as refusal:
        print(f"smolny demo: {refusal}", file=sys.stderr)
        return 1
    from smolny.demo import URL

    here = f"http://{args.host}:{args.port}/"
    if created:
        print(created.replace(URL, here), flush=True)
    else:
        print(
            "The demo federation already exists; starting it as it is "
            "(use --fresh to start again).",
            flush=True,
        )
        from smolny.demo import sign_ins

        print(sign_ins().replace(URL, here), flush=True)
    if args.no_serve:
        return 0
    serve(args.host, args.port)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    _django()
    _migrate()
    from smolny.store.service import ensure_checkpoint

    ensure_checkpoint()  # a record written before checkpoints existed gets one now
    serve(args.host, args.port, args.threads, args.connections)
    return 0


def cmd_replay(args: argparse.Namespace) -> int:
    _django()
    _migrate()
    from smolny.constitution import replay
    from smolny.readmodels.projections import rebuild
    from smolny.readmodels.replay import differences
    from smolny.store.service import entries, forget

    events = entries()
    state = replay(events)
    state.dirty.clear()
    if args.rebuild:
        from django.db import transaction

        with transaction.atomic():
            rebuild(state)
        forget()
        print(f"Rebuilt every read model from {len(events)} entries.")
        return 0
    problems = differences(state)
    if problems:
        print(
            f"Replaying {len(events)} entries gives a different picture from the read "
            f"models in {len(problems)} place(s):"
        )
        for problem in problems:
            print(f"  {problem}")
        print("Run `smolny replay --rebuild` to rewrite the read models from the record.")
        return 1
    print(f"Replayed {len(events)} entries: every read model equals the record.")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    _django()
    from smolny.store.models import Entry

    if args.dir:
        from smolny.store.export import export

        size = export(args.dir)
        print(f"Exported the record at size {size} to {args.dir} (see its README.md).")
        return 0

    def write(out: TextIO) -> None:
        for entry in Entry.objects.order_by("seq").iterator(chunk_size=2000):
            line = {"seq": entry.seq, "entry": bytes(entry.body).decode("utf-8")}
            out.write(json.dumps(line, ensure_ascii=False) + "\n")

    if args.file == "-":
        write(sys.stdout)
    else:
        with open(args.file, "w", encoding="utf-8") as out:
            write(out)
    return 0


def _shown_words(source: str | None, compared: int | None) -> str:
    """What was compared of what a server shows (a server address only)."""
    from smolny.verify.sources import is_url

    if source is None or not is_url(source):
        return ""
    if compared is None:
        return (
            "; the address publishes no results (/api/results), so what it shows was not compared"
        )
    return (
        f"; what the server shows as decided ({compared} elections, motions, recalls and "
        "mandates) is what the record gives"
    )


def cmd_verify(args: argparse.Namespace) -> int:
    """Check a record end to end; name the first entry, checkpoint or row that fails."""
    from pathlib import Path

    from smolny.record.note import VerifierKey
    from smolny.verify import Failure, Progress

    progress = Progress(stream=sys.stderr)
    key = VerifierKey.parse(args.key) if args.key else None
    try:
        if args.source in (None, "db"):
            _django()
            from smolny.verify.database import verify_database

            report = verify_database(key=key, progress=progress)
            what = "the database"
        else:
            from smolny.record.tiles import TileHashStore
            from smolny.verify import verify
            from smolny.verify.sources import (
                bundle_entries,
                is_url,
                open_source,
                shown_and_checkpoints,
                verifier_key,
            )

            if not is_url(args.source) and not Path(args.source).is_dir():
                print(f"verify: {args.source} is neither a directory nor a server address")
                return 2
            fetch = open_source(args.source)
            vkey = verifier_key(fetch, args.key)
            shown, checkpoints = shown_and_checkpoints(fetch)
            size = max((c.size for c in checkpoints), default=0)
            report = verify(
                lambda: bundle_entries(fetch, size),
                checkpoints,
                vkey,
                stored=TileHashStore(fetch, size),
                tile_fetch=fetch,
                progress=progress,
                shown=shown,
            )
            what = args.source
    except Failure as failure:
        print(f"FAILED at {failure.where}: {failure.reason}")
        return 1
    print(
        f"Verified {what}: {report.size} entries, {report.checkpoints} signed checkpoint(s), "
        f"every consistency step, {report.results_recounted} published result(s) recounted"
        + (
            f" ({report.results_not_recounted} secret-ballot result(s) left to "
            "smolny verify-election)"
            if report.results_not_recounted
            else ""
        )
        + ", every event replayed through the constitution"
        + _shown_words(args.source, report.shown_compared)
        + "."
    )
    return 0


def cmd_secede_export(args: argparse.Namespace) -> int:
    """Write the record a seceded council leaves with (smolny.secession)."""
    _django()
    from smolny.secession import SecessionError, export

    try:
        size, _note = export(args.council, args.dir)
    except SecessionError as error:
        print(f"secede-export: {error}")
        return 1
    print(
        f"Wrote the record of seceded council {args.council} to {args.dir}: {size} entries, "
        "the first referencing the federation's record. Check it with: "
        f"smolny verify {args.dir}"
    )
    return 0


def cmd_prune_supports(args: argparse.Namespace) -> int:
    """Withdraw supports of members no longer in their tendencies' scopes (docs/freedoms.md)."""
    _django()
    from smolny.pages.supportkeys import prune

    count = prune()
    print(f"{count} stale support(s) withdrawn." if count else "No stale support found.")
    return 0


def cmd_mirror(args: argparse.Namespace) -> int:
    from smolny.mirror import run

    return run(args.source, args.dir, key=args.key, name=args.name)


def _delegate(module: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        import importlib

        main: Callable[[list[str]], int] = importlib.import_module(module).main
        return main(list(args.rest))

    return run


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="smolny", description="A council democracy whose record nobody can rewrite."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="seed a demo federation in SQLite and serve it")
    demo.add_argument("--host", default=HOST)
    demo.add_argument("--port", type=int, default=PORT)
    demo.add_argument("--fresh", action="store_true", help="delete the demo data and start again")
    demo.add_argument("--no-serve", action="store_true", help="seed, print sign-ins, and exit")
    demo.set_defaults(run=cmd_demo)

    srv = sub.add_parser("serve", help="serve the federation (SQLite, or DATABASE_URL)")
    srv.add_argument("--host", default=HOST)
    srv.add_argument("--port", type=int, default=PORT)
    srv.add_argument("--threads", type=int, default=THREADS)
    srv.add_argument(
        "--connections",
        type=int,
        default=CONNECTIONS,
        help=f"open connections served at once (default {CONNECTIONS})",
    )
    srv.set_defaults(run=cmd_serve)

    rep = sub.add_parser("replay", help="rebuild the state from the record and compare")
    rep.add_argument(
        "--rebuild", action="store_true", help="rewrite every read model from the record"
    )
    rep.set_defaults(run=cmd_replay)

    exp = sub.add_parser("export", help="write the record's entries as JSON lines")
    exp.add_argument("file", nargs="?", default="-")
    exp.add_argument("--dir", help="write a verifiable record directory (tiles, checkpoints, key)")
    exp.set_defaults(run=cmd_export)

    ver = sub.add_parser("verify", help="recompute and check the whole record")
    ver.add_argument(
        "source", nargs="?", help="db (default), an exported or mirror directory, or a server URL"
    )
    ver.add_argument("--key", help="the federation's verifier key to trust (note format)")
    ver.set_defaults(run=cmd_verify)

    sec = sub.add_parser(
        "secede-export", help="write the record a seceded council leaves with (tiles, key)"
    )
    sec.add_argument("council", help="the council whose secession the record holds")
    sec.add_argument("dir", help="where to write the new record")
    sec.set_defaults(run=cmd_secede_export)

    pru = sub.add_parser(
        "prune-supports", help="withdraw supports of members who left a tendency's scope"
    )
    pru.set_defaults(run=cmd_prune_supports)

    mir = sub.add_parser("mirror", help="copy a record, check it, and cosign its checkpoint")
    mir.add_argument("source", help="a server URL or a directory of tiles")
    mir.add_argument("dir", help="the mirror's directory")
    mir.add_argument("--key", help="the federation's verifier key (pinned on the first run)")
    mir.add_argument("--name", help="this mirror's witness key name (first run)")
    mir.set_defaults(run=cmd_mirror)

    for name, module, text in [
        ("count", "smolny.counting.cli", "count a ballot file (BLT, PrefLib, CSV)"),
        ("voter", "smolny.ballot.cli", "make a voter credential for secret ballots"),
        ("trustee", "smolny.ballot.cli", "act as a trustee of a secret ballot"),
        ("ballot", "smolny.ballot.cli", "cast a secret ballot from the command line"),
        ("verify-election", "smolny.ballot.cli", "verify a secret-ballot election"),
    ]:
        p = sub.add_parser(name, help=text, add_help=False)
        p.add_argument("rest", nargs=argparse.REMAINDER)
        prefix = [] if name == "count" else [name]
        p.set_defaults(run=_with_prefix(_delegate(module), prefix))
    el = sub.add_parser(
        "election",
        help="a secret ballot's directory: export ID DIR, fetch URL DIR (or create|seal|tally|result)",
        add_help=False,
    )
    el.add_argument("rest", nargs=argparse.REMAINDER)
    el.set_defaults(run=cmd_election)
    return parser


def cmd_election(args: argparse.Namespace) -> int:
    """``election export ID DIR`` writes a secret ballot's directory from this server's record;
    ``election fetch URL DIR`` from a server's ``/secret/<id>/files.json``; either can then be
    checked with ``smolny verify-election DIR``.  The rest is ``smolny.ballot.cli``'s."""
    rest = list(args.rest)
    if len(rest) != 3 or rest[0] not in ("export", "fetch"):
        from smolny.ballot.cli import main as ballot_main

        return ballot_main(["election", *rest])
    from pathlib import Path

    from smolny.ballot import store

    what, source, target = rest
    if what == "export":
        _django()
        from smolny.constitution.secret import election_files
        from smolny.store.service import current_state

        files = election_files(current_state(), source)
    else:
        import urllib.request

        with urllib.request.urlopen(source.rstrip("/"), timeout=60) as answer:
            files = json.loads(answer.read())["files"]
    if not files:
        print(f"smolny election: no secret ballot {source!r} with a manifest", file=sys.stderr)
        return 2
    root = Path(target)
    for name, doc in files.items():
        path = (root / name).resolve()
        if not path.is_relative_to(root.resolve()):
            print(f"smolny election: refusing to write {name!r}", file=sys.stderr)
            return 2
        store.write(path, doc)
    print(f"wrote {len(files)} documents to {root}")
    return 0


def _with_prefix(
    run: Callable[[argparse.Namespace], int], prefix: list[str]
) -> Callable[[argparse.Namespace], int]:
    def wrapped(args: argparse.Namespace) -> int:
        args.rest = [*prefix, *args.rest]
        return run(args)

    return wrapped


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(list(argv) if argv is not None else None)
    run: Callable[[argparse.Namespace], int] = args.run
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
