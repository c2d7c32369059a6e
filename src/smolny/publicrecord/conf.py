"""The record's settings, each read from Django settings first, then the environment.

* ``SMOLNY_WITNESSES``: verifier keys (C2SP note format, type 0x04 cosignature/v1) of the
  mirrors whose cosignatures the server accepts and publishes (comma-separated in the
  environment).
* ``SMOLNY_WITNESS_QUORUM``: how many of them must cosign a checkpoint before it is *final*
  (the federation parameter "k cosignatures"; a server setting for now, default 0).
* ``SMOLNY_RECORD_ORIGIN``: the origin line of a key made from now on (smolny.store.keys).
"""

from __future__ import annotations

import os

from django.conf import settings

from smolny.record.note import KeyFormatError, VerifierKey


def witnesses() -> list[VerifierKey]:
    raw = getattr(settings, "SMOLNY_WITNESSES", None)
    if raw is None:
        raw = [k.strip() for k in os.environ.get("SMOLNY_WITNESSES", "").split(",") if k.strip()]
    keys = []
    for text in raw:
        try:
            keys.append(VerifierKey.parse(text))
        except KeyFormatError:
            continue  # reported by the system check below
    return keys


def quorum() -> int:
    value = getattr(settings, "SMOLNY_WITNESS_QUORUM", None)
    if value is None:
        try:
            value = int(os.environ.get("SMOLNY_WITNESS_QUORUM", "0") or 0)
        except ValueError:
            value = 0
    return int(value)
