"""The server-side secret from which each member's support key is derived.

A private support is a commitment ``SHA-256(tag, member, tendency, salt)`` in the record
(``smolny.constitution.tendencies``); the salt comes from the member's support key, which is
``HMAC-SHA256(secret, "support-key" || member)``.  The secret is a file of its own in the key
directory (``SMOLNY_KEY_DIR/support-secret``), apart from Django's ``SECRET_KEY``, so that
rotating the session secret does not orphan every support.  Whoever holds this file can
recompute every member's commitments: see docs/freedoms.md, "Threat model".
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from django.conf import settings

from smolny.constitution.state import State
from smolny.constitution.tendencies import my_commitment

_cache: dict[Path, bytes] = {}


def _path() -> Path:
    return Path(settings.SMOLNY_KEY_DIR) / "support-secret"


def secret() -> bytes:
    path = _path()
    if path in _cache:
        return _cache[path]
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = path.with_name(f".support-secret.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
        try:
            os.link(tmp, path)  # the first writer wins; a concurrent one reads its file
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    value = bytes.fromhex(path.read_text().strip())
    _cache[path] = value
    return value


def support_key(member: str) -> str:
    """The member's support key (64 hex digits): shown to her alone, never stored."""
    return hmac.new(secret(), b"support-key\x00" + member.encode(), hashlib.sha256).hexdigest()


def stale_openings(state: State) -> list[tuple[str, str]]:
    """(member, key) for every member who still has a support in a scope she is not within."""
    out: list[tuple[str, str]] = []
    for member in sorted(state.members):
        key: str | None = None
        for found in state.tendencies.values():
            if state.in_scope(found.scope, member):
                continue
            key = key or support_key(member)
            if member in found.named or my_commitment(member, found.id, key) in found.commitments:
                out.append((member, key))
                break
    return out


def prune(actor: str = "server") -> int:
    """Withdraw every stale support in one command (run at the start of each share period, so
    the record cannot tie a lapse to one departure); return the number of entries."""
    from smolny.constitution import Conflict
    from smolny.constitution import commands as c
    from smolny.store.service import current_state, execute

    openings = stale_openings(current_state())
    if not openings:
        return 0
    try:
        return len(execute(c.PruneSupports(actor, tuple(openings))))
    except Conflict:
        return 0
