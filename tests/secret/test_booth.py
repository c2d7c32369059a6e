"""A whole secret election in Chromium against a live server, with the real cryptography.

GIVEN the Harbour federation (tests/harbour.py): the Dockers (C3) elect their executive by a
secret approval ballot whose trustees are karl, ivan and olga (threshold 2),
WHEN the trustees run the key ceremony with the real CLI (``smolny trustee``, each with her own
key file) and upload every document to the server over HTTP, five dockers make a credential
and vote in the booth (clara first audits a ballot, leo votes again), the ballot closes and two
trustees decrypt the tally,
THEN the election page shows the result, ``smolny verify-election`` passes on the server's
election (fetched over HTTP and exported from the database), and fails naming the ballot once
a single byte of it is changed.
"""

from __future__ import annotations

import json
import statistics
import urllib.request
from pathlib import Path
from typing import Any

import harbour
import pytest
from django.contrib.auth.models import User

from smolny import cli as smolny_cli
from smolny.api.models import ApiToken, new_token, token_hash
from smolny.ballot import cli as ballot_cli
from smolny.ballot import store
from smolny.constitution import commands as c
from smolny.store import clock
from smolny.store.models import Entry
from smolny.store.service import current_state, execute
from tests.browser.axe import assert_no_serious_axe_violations
from tests.browser.scene import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

TRUSTEES = ("karl", "ivan", "olga")
CANDIDATES = ("clara", "leo", "nadia")


class Trustee:
    """A trustee on her own machine: a directory, a key file, an API token; the server only
    ever receives her public documents."""

    def __init__(self, base: str, subject: str, who: str, index: int, home: Path) -> None:
        self.base, self.subject, self.who, self.index = base, subject, who, index
        self.dir = home / who / "election"
        self.key = str(home / who / "trustee-key.json")
        self.token = new_token()
        ApiToken.objects.create(
            user=User.objects.get(username=who), name="ceremony", hash=token_hash(self.token)
        )

    def pull(self) -> None:
        url = f"{self.base}/secret/{self.subject}/files.json"
        with urllib.request.urlopen(url, timeout=30) as answer:
            for name, doc in json.loads(answer.read())["files"].items():
                store.write(self.dir / name, doc)

    def run(self, *args: str) -> None:
        assert ballot_cli.main([*args]) == 0, args

    def upload(self, relative: str) -> None:
        doc = json.loads((self.dir / relative).read_bytes())
        body = json.dumps({"subject": self.subject, "document": doc}).encode()
        request = urllib.request.Request(
            f"{self.base}/api/commands/upload_trustee_document",
            data=body,
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=60) as answer:
            assert answer.status == 201

    def step(self, name: str, *uploads: str) -> None:
        self.pull()
        if name == "init":
            self.run(
                "trustee", "init", str(self.dir), "--index", str(self.index), "--key", self.key
            )
        else:
            self.run("trustee", name, str(self.dir), "--key", self.key)
        for relative in uploads:
            self.upload(relative)


def make_credential(page: Any, base: str, who: str, subject: str) -> None:
    sign_in(page, base, who)
    page.goto(f"{base}/booth/{subject}")
    page.get_by_text("The booth is ready.").wait_for()
    page.get_by_role("button", name="Make my credential").click()
    page.get_by_text("is registered").wait_for()


def vote(page: Any, base: str, who: str, subject: str, choices: tuple[str, ...]) -> str:
    page.goto(f"{base}/booth/{subject}")
    page.get_by_text("The booth is ready.").wait_for()
    for name in choices:
        page.get_by_label(name.title(), exact=True).check()
    page.get_by_role("button", name="Encrypt my ballot").click()
    tracker = page.locator("#tracker").inner_text()
    page.get_by_role("button", name="Cast this ballot").click()
    page.get_by_text("Your ballot is cast.").wait_for()
    assert tracker in page.locator("#receipt").inner_text()
    return str(tracker)


def test_a_whole_secret_election_in_the_browser(
    page: Any, live_server: Any, tmp_path: Path, capsys: Any
) -> None:
    harbour.seed()
    base = live_server.url
    execute(c.CallElection("clara", "C3", "office", "executive", "approval", "secret", TRUSTEES, 2))
    subject = f"E{current_state().counters['E']}"
    for who in CANDIDATES:
        execute(c.Nominate(who, subject, who))

    # Five dockers make their credentials in the booth before voting opens.
    voters = ("clara", "leo", "nadia", "vera", "rosa")
    for who in voters:
        make_credential(page, base, who, subject)
    assert set(current_state().credentials) == set(voters)

    # Nominations close; anyone publishes the manifest from the election page.
    clock.advance(hours=1)
    sign_in(page, base, "vera")
    page.goto(f"{base}/elections/{subject}")
    assert "ranked (STV) ballots cannot be held in secret" in page.content()
    page.get_by_role("button", name="Publish the ballot's manifest").click()
    assert page.locator(".messages").inner_text().startswith("Done.")

    # The key ceremony: three trustees, each with the CLI and her own key file, over HTTP.
    trustees = [
        Trustee(base, subject, who, i, tmp_path / "trustees")
        for i, who in enumerate(TRUSTEES, start=1)
    ]
    for t in trustees:
        t.step("init", f"trustees/{t.index}/identity.json")
    for t in trustees:
        t.step("commit", f"trustees/{t.index}/commit.json")
    for t in trustees:
        t.step("share", f"trustees/{t.index}/reveal.json", f"trustees/{t.index}/shares.json")
    for t in trustees:
        t.step("finish", f"trustees/{t.index}/finish.json")
    sb = current_state().secret[subject]
    assert sb.phase == "voting" and len(sb.roll) == 5
    for t in trustees:  # no key file ever reached the server
        secret = json.loads(Path(t.key).read_text())["share"]
        assert secret not in b"".join(bytes(e.body) for e in Entry.objects.all()).decode()

    # Clara audits a ballot first: the booth shows what it encrypted, and it is discarded.
    sign_in(page, base, "clara")
    page.goto(f"{base}/booth/{subject}")
    page.get_by_text("The booth is ready.").wait_for()
    assert_no_serious_axe_violations(page)
    page.get_by_label("Nadia", exact=True).check()
    page.get_by_role("button", name="Encrypt my ballot").click()
    audited = page.locator("#tracker").inner_text()
    page.get_by_role("button", name="Audit it instead (spoil it)").click()
    assert "this device encrypted Nadia." in page.locator("#audit-result").inner_text()
    trackers = {"clara": vote(page, base, "clara", subject, ("clara", "leo"))}
    assert audited != trackers["clara"]

    choices = {
        "leo": ("leo",),
        "nadia": ("nadia", "clara"),
        "vera": ("clara",),
        "rosa": ("leo", "nadia"),
    }
    for who, chosen in choices.items():
        sign_in(page, base, who)
        trackers[who] = vote(page, base, who, subject, chosen)
    # Leo changes his mind: his second ballot replaces the first.
    sign_in(page, base, "leo")
    first = trackers["leo"]
    trackers["leo"] = vote(page, base, "leo", subject, ("clara", "leo"))

    # The tracker can be looked up in the ballot box.
    page.goto(f"{base}/secret/{subject}/ballots?tracker={first}")
    assert "superseded by a later ballot" in page.content()
    page.goto(f"{base}/secret/{subject}/ballots?tracker={trackers['leo']}")
    assert "it will be counted" in page.content()
    assert_no_serious_axe_violations(page)
    page.goto(f"{base}/secret/{subject}/ballots?tracker={audited}")
    assert "No ballot with tracker" in page.content()

    # The booth's encryption time in Chromium for a 10-option approval ballot.
    page.goto(f"{base}/booth/{subject}")
    page.get_by_text("The booth is ready.").wait_for()
    timings = page.evaluate(
        """async (pk) => {
          const m = await import('smolny/booth-crypto.js');
          const options = Array.from({length: 10}, (_, i) => `option-${i + 1}`);
          const manifest = {type: 'smolny-election-manifest', version: 1, election_id: 'bench',
            title: 'bench', trustees: 3, threshold: 2,
            contests: [{id: 'budget', kind: 'approval', options}]};
          const election = m.loadElection({type: 'smolny-election', manifest, public_key: pk,
            fingerprint: m.electionFingerprint(manifest, pk)});
          const seed = crypto.getRandomValues(new Uint8Array(32));
          const out = [];
          for (let i = 0; i < 7; i++) {
            const t0 = performance.now();
            m.encryptBallot(election, seed, 1, {budget: options.slice(0, 4)});
            out.push(performance.now() - t0);
          }
          return out;
        }""",
        current_state().secret[subject].election["public_key"],
    )
    with capsys.disabled():
        print(
            f"\nbooth encryption in Chromium, 10-option approval ballot: median "
            f"{statistics.median(timings):.1f} ms (min {min(timings):.1f} ms, {len(timings)} runs)"
        )

    # The close publishes the homomorphic tally; two trustees decrypt; the result is published.
    clock.advance(hours=2)
    page.goto(f"{base}/elections/{subject}")
    page.get_by_role("button", name="Close and count").click()
    assert current_state().secret[subject].tally is not None
    for t in (trustees[2], trustees[0]):
        t.step("decrypt", f"decryptions/{t.index}.json")
    page.goto(f"{base}/elections/{subject}")
    content = page.content()
    assert "Result" in content and "decrypted by trustees 1, 3" in content
    rows = {
        page.locator("tr", has_text=name).last.inner_text().split("\t")[-1].strip()
        for name in ("Clara", "Leo", "Nadia")
    }
    assert rows == {"4", "3", "2"}, rows
    result = current_state().elections[subject].result
    assert result is not None
    # clara: clara+leo, leo (re-vote): clara+leo, nadia: nadia+clara, vera: clara, rosa: leo+nadia
    assert result["tallies"] == {"clara": 4, "leo": 3, "nadia": 2}
    assert result["elected"] == ["clara", "leo", "nadia"]
    assert_no_serious_axe_violations(page)

    # Anyone verifies the server's election: fetched over HTTP, and exported from the database.
    fetched, exported = tmp_path / "fetched", tmp_path / "exported"
    url = f"{base}/secret/{subject}/files.json"
    assert smolny_cli.main(["election", "fetch", url, str(fetched)]) == 0
    assert smolny_cli.main(["election", "export", subject, str(exported)]) == 0
    capsys.readouterr()
    for root in (fetched, exported):
        assert smolny_cli.main(["verify-election", str(root)]) == 0
        out = capsys.readouterr().out
        assert "OK: 6 ballots, 5 counted" in out, out

    # One byte of one stored ballot changed: verification fails, naming that ballot.
    victim = exported / "ballots" / "00000003.json"
    raw = bytearray(victim.read_bytes())
    at = raw.index(b'"ciphertexts":[["') + len(b'"ciphertexts":[["') + 10
    raw[at] = ord("0") if raw[at] != ord("0") else ord("1")
    victim.write_bytes(bytes(raw))
    assert smolny_cli.main(["verify-election", str(exported)]) == 1
    out = capsys.readouterr().out
    assert "ballots/00000003.json" in out, out
    with capsys.disabled():
        print(f"verify-election after one changed byte:\n{out}")
