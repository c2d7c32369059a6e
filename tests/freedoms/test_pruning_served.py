"""``smolny serve`` prunes lapsed private supports by itself.

GIVEN a federation on this run's database (SQLite in a temporary directory, or a fresh schema
of ``DATABASE_URL``'s PostgreSQL database) in which leo supported the tendency Left in private
and then left, and no server has pruned yet, WHEN ``smolny serve`` starts, THEN without anyone
asking, his support is withdrawn (one lapse, actor the tendency) and the period is remembered.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest
from django.db import connection

from bench import congress

PYTHON = congress.PYTHON

pytestmark = pytest.mark.slow

SEED = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from smolny.constitution import commands as c
from smolny.pages.supportkeys import support_key
from smolny.store.service import current_state, execute, execute_batch
params = {"tendency_founders": 2, "press_threshold": 3, "share_period_days": 30}
execute_batch(
    [(c.FoundFederation("f0", "Pruned Federation", "Congress", params), None),
     (c.CreateCouncil("f0", "C1", "Dockers", True), None)]
    + [(c.Join(m, m.title(), "C2"), None) for m in ("karl", "clara", "leo", "nadia")]
)
execute(c.ProposeTendency("karl", "C2", "Left", "Strike funds.", ("clara",)))
(key,) = current_state().tendencies
execute(c.ConfirmFounding("clara", key))
execute(c.DeclareSupport("leo", key, support_key("leo")))
execute(c.DeclareSupport("nadia", key, support_key("nadia")))
execute(c.Leave("leo"))
print(key)
"""

LAPSES = """
import json
import django
django.setup()
from smolny.store.models import Entry
from smolny.store.service import current_state
lapses = [[e.actor, json.loads(bytes(e.body))["data"]] for e in Entry.objects.filter(
    type="support_withdrawn")]
supporters = {t.id: t.supporters for t in current_state().tendencies.values()}
print(json.dumps({"lapses": lapses, "supporters": supporters}))
"""


def look(env: dict[str, str]) -> dict[str, object]:
    shown = subprocess.run(
        [PYTHON, "-c", LAPSES], env=env, capture_output=True, text=True, check=True
    )
    found: dict[str, object] = json.loads(shown.stdout)
    return found


def test_the_server_withdraws_a_lapsed_support_by_itself(
    transactional_db: None, tmp_path: Path
) -> None:
    with congress.database(connection.vendor, tmp_path) as env:
        seeded = subprocess.run(
            [PYTHON, "-c", SEED], env=env, capture_output=True, text=True, check=True
        )
        key = seeded.stdout.split()[-1]
        assert look(env) == {"lapses": [], "supporters": {key: 2}}
        server = congress.Server(env, 4, tmp_path / "server.log")
        try:
            deadline = time.monotonic() + 60
            while (seen := look(env))["lapses"] == [] and time.monotonic() < deadline:
                time.sleep(0.2)
        finally:
            server.stop()
        assert seen["supporters"] == {key: 1}
        ((actor, data),) = seen["lapses"]  # type: ignore[misc]
        assert actor == key and data["lapsed"] is True
        remembered = Path(env["SMOLNY_DATA_DIR"]).rglob("last-prune-period")
        assert [p.read_text().strip() for p in remembered] == ["0"]
