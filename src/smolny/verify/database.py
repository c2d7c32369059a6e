"""Verifying the local database: the pure checks plus its stored tree and its read models.

Needs Django (configured by the caller).  The entries are streamed twice in index order,
the stored tree is compared node by node, and the state replayed from the record is compared
with every read-model row (``smolny.readmodels.replay.differences``) and with the ``Head``.
"""

from __future__ import annotations

from collections.abc import Iterator

from smolny.record.note import VerifierKey

from . import Failure, Progress, Report, SignedCheckpoint, verify


def verify_database(
    using: str = "default", key: VerifierKey | None = None, progress: Progress | None = None
) -> Report:
    from smolny.readmodels.replay import differences
    from smolny.store import keys
    from smolny.store.models import Checkpoint, Entry, Head
    from smolny.store.tree import DatabaseHashStore

    key = key or keys.verifier()
    if key is None:
        raise Failure("checkpoint", f"there is no record key in {keys.key_path().parent}")

    def entries() -> Iterator[tuple[int, bytes]]:
        rows = Entry.objects.using(using).order_by("seq").values_list("seq", "body")
        for seq, body in rows.iterator(chunk_size=5000):
            yield seq, bytes(body)

    checkpoints = [
        SignedCheckpoint(size, note)
        for size, note in Checkpoint.objects.using(using)
        .order_by("size")
        .values_list("size", "note")
    ]
    store = DatabaseHashStore(using)
    report = verify(
        entries, checkpoints, key, stored=store, node_count=store.count, progress=progress
    )
    head = Head.objects.using(using).filter(id=1).first()
    if head is None or head.size != report.size:
        raise Failure(
            "head",
            f"the head says {head.size if head else 0} entries, the record has {report.size}",
        )
    problems = differences(report.state, using)
    if problems:
        raise Failure("read model", f"{problems[0]} ({len(problems)} difference(s) in all)")
    return report
