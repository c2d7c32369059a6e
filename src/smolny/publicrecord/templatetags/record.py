"""``{% record_finality as f %}``: how final the record is, for the pages (finality.py)."""

from __future__ import annotations

from typing import Any

from django import template

from smolny.store.models import Checkpoint

from ..finality import Witnesses

register = template.Library()


@register.simple_tag
def record_finality() -> dict[str, Any]:
    """The latest checkpoint's cosignatures by witnesses in force, the quorum, and the latest
    final checkpoint's size (None when none is final yet)."""
    witnesses = Witnesses.now()
    latest = Checkpoint.objects.order_by("-size").first()
    final = witnesses.latest_final()
    return {
        "latest": witnesses.status(latest) if latest is not None else None,
        "final_size": final.size if final is not None else None,
        "quorum": witnesses.quorum,
    }
