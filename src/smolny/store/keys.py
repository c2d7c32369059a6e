"""The federation's record key: an Ed25519 signed-note key in a file, never in the database.

Whoever can read a database dump must not be able to sign checkpoints, so the key lives in
``settings.SMOLNY_KEY_DIR`` (mode 0700 directory, 0600 file, created with O_EXCL at first use so
that two processes starting at once end up with the same key).  The key's name is the record's
origin line (docs/record.md: "the log key's name should equal it"): ``SMOLNY_RECORD_ORIGIN`` if
set when the key is made, else ``smolny.local/<federation-slug>``.  Once the key exists its
name *is* the origin, so renaming the federation never changes the log's identity.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from pathlib import Path

from django.conf import settings

from smolny.record.note import SignerKey, VerifierKey, read_signer_key, write_signer_key

KEY_FILE = "record.key"
_lock = threading.Lock()
_cache: dict[Path, SignerKey] = {}


def key_path() -> Path:
    return Path(settings.SMOLNY_KEY_DIR) / KEY_FILE


def origin_for(federation: str | None) -> str:
    """The origin a new key gets: the setting, or ``smolny.local/<slug of the federation>``."""
    configured = getattr(settings, "SMOLNY_RECORD_ORIGIN", "") or os.environ.get(
        "SMOLNY_RECORD_ORIGIN", ""
    )
    if configured:
        return configured
    slug = re.sub(r"[^a-z0-9]+", "-", (federation or "record").lower()).strip("-") or "record"
    return f"smolny.local/{slug}"


def signer(federation: str | None = None) -> SignerKey:
    """The record's signing key, created (named after ``federation``) if there is none yet."""
    path = key_path()
    with _lock:
        key = _cache.get(path)
        if key is not None:
            return key
        if not path.exists():
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            with contextlib.suppress(FileExistsError):  # another process made it: use theirs
                write_signer_key(path, SignerKey.generate(origin_for(federation)))
        key = read_signer_key(path)
        _cache[path] = key
        return key


def verifier() -> VerifierKey | None:
    """The verifier key (note format) to publish, or None before the first checkpoint."""
    path = key_path()
    with _lock:
        key = _cache.get(path)
    if key is None:
        if not path.exists():
            return None
        key = signer()
    return key.verifier()
