"""Tables projected from the state.  Times are kept as record-format UTC strings, exactly as in
the events, so a replay compares equal on SQLite and PostgreSQL alike."""

from __future__ import annotations

from django.db import models

T = 32  # length of a record-format time


class FederationRow(models.Model):
    key = models.CharField(max_length=32, primary_key=True)
    name = models.CharField(max_length=200)
    founder = models.CharField(max_length=64)
    founding = models.BooleanField()
    root = models.CharField(max_length=32, null=True)
    params = models.JSONField()
    amendments = models.JSONField()
    witnesses = models.JSONField(default=list)
    """The record's witnesses in force: ``[{"name", "key", "admitted_at", "motion"}]``."""


class CouncilRow(models.Model):
    key = models.CharField(max_length=32, primary_key=True)
    name = models.CharField(max_length=200)
    parent = models.CharField(max_length=32, null=True, db_index=True)
    base = models.BooleanField()
    seats = models.IntegerField()
    members = models.IntegerField()
    """Members represented (its own for a base council, its subtree's otherwise)."""
    powers = models.JSONField()
    seceded = models.BooleanField()
    founded_at = models.CharField(max_length=T)


class MemberRow(models.Model):
    key = models.CharField(max_length=64, primary_key=True)
    name = models.CharField(max_length=200)
    council = models.CharField(max_length=32, null=True, db_index=True)
    active = models.BooleanField()
    joined_at = models.CharField(max_length=T)
    left_at = models.CharField(max_length=T, null=True)


class MandateRow(models.Model):
    key = models.CharField(max_length=32, primary_key=True)
    holder = models.CharField(max_length=64, db_index=True)
    kind = models.CharField(max_length=16)
    body = models.CharField(max_length=32, db_index=True)
    constituency = models.CharField(max_length=32, db_index=True)
    office = models.CharField(max_length=32, null=True)
    election = models.CharField(max_length=32)
    start = models.CharField(max_length=T)
    term_end = models.CharField(max_length=T)
    ended_at = models.CharField(max_length=T, null=True)
    end_reason = models.CharField(max_length=32, null=True)
    active = models.BooleanField(db_index=True)


class ElectionRow(models.Model):
    key = models.CharField(max_length=32, primary_key=True)
    council = models.CharField(max_length=32, db_index=True)
    kind = models.CharField(max_length=16)
    office = models.CharField(max_length=32, null=True)
    body = models.CharField(max_length=32)
    seats = models.IntegerField()
    method = models.CharField(max_length=32)
    ballot_mode = models.CharField(max_length=16)
    by_election = models.BooleanField()
    called_by = models.CharField(max_length=64)
    called_at = models.CharField(max_length=T)
    nominations_close = models.CharField(max_length=T)
    voting_close = models.CharField(max_length=T)
    candidates = models.JSONField()
    ballots_cast = models.IntegerField()
    closed_at = models.CharField(max_length=T, null=True)
    result = models.JSONField(null=True)


class BallotRow(models.Model):
    """An open (roll-call) ballot in an election: who voted for whom is public."""

    owner = models.CharField(max_length=32, db_index=True)
    member = models.CharField(max_length=64, db_index=True)
    choices = models.JSONField()

    class Meta:
        # A ballot is rewritten by (election, voter): the index finds her row, not the roll.
        indexes = [models.Index(fields=["owner", "member"], name="ballot_owner_member")]


class RecallRow(models.Model):
    key = models.CharField(max_length=32, primary_key=True)
    mandate = models.CharField(max_length=32, db_index=True)
    holder = models.CharField(max_length=64)
    constituency = models.CharField(max_length=32, db_index=True)
    opened_by = models.CharField(max_length=64)
    opened_at = models.CharField(max_length=T)
    grounds = models.TextField()
    status = models.CharField(max_length=16)
    signatures = models.JSONField()
    ballot_close = models.CharField(max_length=T, null=True)
    votes = models.JSONField()
    outcome = models.JSONField(null=True)


class MotionRow(models.Model):
    key = models.CharField(max_length=32, primary_key=True)
    council = models.CharField(max_length=32, db_index=True)
    title = models.CharField(max_length=300)
    text = models.TextField()
    effect = models.JSONField(null=True)
    ballot_mode = models.CharField(max_length=16)
    filed_by = models.CharField(max_length=64)
    filed_at = models.CharField(max_length=T)
    sponsors = models.JSONField()
    status = models.CharField(max_length=16)
    on_agenda_at = models.CharField(max_length=T, null=True)
    vote_opens = models.CharField(max_length=T, null=True)
    vote_closes = models.CharField(max_length=T, null=True)
    result = models.JSONField(null=True)
    amended_by = models.JSONField()


class VoteRow(models.Model):
    """A roll-call vote on a motion: shown to the voter's constituents."""

    owner = models.CharField(max_length=32, db_index=True)
    member = models.CharField(max_length=64, db_index=True)
    choice = models.CharField(max_length=16)

    class Meta:
        # A vote is rewritten by (motion, member): the index finds her row, not the roll.
        indexes = [models.Index(fields=["owner", "member"], name="vote_owner_member")]


class DocumentRow(models.Model):
    key = models.CharField(max_length=32, primary_key=True)
    body = models.CharField(max_length=32, db_index=True)
    author = models.CharField(max_length=64)
    title = models.CharField(max_length=300)
    text = models.TextField()
    filed_at = models.CharField(max_length=T)


class DeliveryRow(models.Model):
    owner = models.CharField(max_length=32, db_index=True)
    member = models.CharField(max_length=64, db_index=True)


class ActRow(models.Model):
    key = models.CharField(max_length=32, primary_key=True)
    council = models.CharField(max_length=32, db_index=True)
    office = models.CharField(max_length=32)
    actor = models.CharField(max_length=64)
    power = models.CharField(max_length=32)
    title = models.CharField(max_length=300)
    text = models.TextField()
    at = models.CharField(max_length=T)
    reversed_by = models.CharField(max_length=32, null=True)


# --- freedoms: tendencies, the bulletin, fair shares, the code and cases (freedoms.py) -------


class TendencyRow(models.Model):
    key = models.CharField(max_length=32, primary_key=True)
    scope = models.CharField(max_length=32, db_index=True)
    name = models.CharField(max_length=200)
    platform = models.TextField()
    founders = models.JSONField()
    confirmed = models.JSONField()
    status = models.CharField(max_length=16)
    filed_by = models.CharField(max_length=64)
    filed_at = models.CharField(max_length=T)
    founded_at = models.CharField(max_length=T, null=True)
    supporters = models.IntegerField()
    named = models.JSONField()
    """Supporters who chose to be named; the others are only counted."""
    commitments = models.JSONField()
    """The live private supports' commitments (hex), as in the record."""


class PublicationRow(models.Model):
    key = models.CharField(max_length=32, primary_key=True)
    scope = models.CharField(max_length=32, db_index=True)
    publisher = models.CharField(max_length=32, db_index=True)
    author = models.CharField(max_length=64)
    title = models.CharField(max_length=300)
    text = models.TextField()
    words = models.IntegerField()
    mailing = models.BooleanField()
    at = models.CharField(max_length=T)
    reach = models.IntegerField()
    kind = models.CharField(max_length=16)
    corrects = models.CharField(max_length=32, null=True)
    corrections = models.JSONField()
    retracted_by = models.CharField(max_length=32, null=True)


class ShareRow(models.Model):
    key = models.CharField(max_length=32, primary_key=True)
    """The scope (a council id): its latest round of fair shares."""
    period = models.IntegerField()
    starts = models.CharField(max_length=T)
    ends = models.CharField(max_length=T)
    at = models.CharField(max_length=T)
    supporters = models.JSONField()
    totals = models.JSONField()
    shares = models.JSONField()
    used = models.JSONField()


class RuleRow(models.Model):
    key = models.CharField(max_length=32, primary_key=True)
    title = models.CharField(max_length=300)
    text = models.TextField()
    enacted_at = models.CharField(max_length=T)
    motion = models.CharField(max_length=32, null=True)
    repealed_at = models.CharField(max_length=T, null=True)


class CaseRow(models.Model):
    """A case as the public sees it: charge, stage, hearing, decision, appeal (never hidden)."""

    key = models.CharField(max_length=32, primary_key=True)
    council = models.CharField(max_length=32, db_index=True)
    respondent = models.CharField(max_length=64, db_index=True)
    rule = models.CharField(max_length=32)
    acts = models.JSONField()
    witnesses = models.JSONField()
    filed_by = models.CharField(max_length=64)
    filed_at = models.CharField(max_length=T)
    reply_until = models.CharField(max_length=T)
    stage = models.CharField(max_length=16)
    reply = models.TextField(null=True)
    replied_at = models.CharField(max_length=T, null=True)
    hearing = models.JSONField(null=True)
    votes = models.JSONField()
    decision = models.JSONField(null=True)
    appeal = models.JSONField(null=True)
    sanction_until = models.CharField(max_length=T, null=True)
    sanction_lifted_at = models.CharField(max_length=T, null=True)
    evidence = models.JSONField(default=list)
    """Each item: id, title, by, at, restricted, digest, and the text unless restricted."""


class SealedEvidence(models.Model):
    """The text of restricted evidence: not in the record (which holds its digest), not a
    projection, readable by the case's parties and commission only (pages/views/freedoms.py).
    Written by the web layer after the ``evidence_added`` entry is committed."""

    key = models.CharField(max_length=64, primary_key=True)
    case = models.CharField(max_length=32, db_index=True)
    digest = models.CharField(max_length=64)
    text = models.TextField()


# --- debate: the speaker list and the rulings of the chair (constitution/debate.py) ----------


class DebateRow(models.Model):
    """The debate on one motion: who has the floor, the list in the rules' order, time used."""

    key = models.CharField(max_length=32, primary_key=True)
    """The motion debated."""
    council = models.CharField(max_length=32, db_index=True)
    speaking = models.CharField(max_length=32, null=True)
    """The place on the list (SP...) of whoever has the floor."""
    last_side = models.CharField(max_length=16, null=True)
    closed_by = models.CharField(max_length=32, null=True)
    """The ruling that closed the list, while it stands."""
    queue = models.JSONField()
    """Waiting places, in the order the rules give them the floor (the first is next)."""
    time_used = models.JSONField()
    """Seconds each tendency (``""``: the non-aligned) has held the floor."""
    rulings = models.JSONField()


class SpeakerRow(models.Model):
    """A place on a speaker list: asked, given the floor, ended (from when to when), or not."""

    key = models.CharField(max_length=32, primary_key=True)
    motion = models.CharField(max_length=32, db_index=True)
    member = models.CharField(max_length=64)
    side = models.CharField(max_length=16)
    tendency = models.CharField(max_length=32, null=True)
    asked_at = models.CharField(max_length=T)
    status = models.CharField(max_length=16)
    seconds = models.IntegerField(null=True)
    restored_by = models.CharField(max_length=32, null=True)
    started = models.CharField(max_length=T, null=True)
    granted = models.IntegerField(null=True)
    ended = models.CharField(max_length=T, null=True)
    held = models.IntegerField(null=True)
    ended_by = models.CharField(max_length=32, null=True)


class RulingRow(models.Model):
    """A ruling of the chair, its reason, and its challenge: never hidden."""

    key = models.CharField(max_length=32, primary_key=True)
    motion = models.CharField(max_length=32, db_index=True)
    council = models.CharField(max_length=32, db_index=True)
    chair = models.CharField(max_length=64)
    kind = models.CharField(max_length=16)
    reason = models.TextField()
    at = models.CharField(max_length=T)
    speaker = models.CharField(max_length=32, null=True)
    status = models.CharField(max_length=16)
    challenged_by = models.CharField(max_length=64, null=True)
    challenged_at = models.CharField(max_length=T, null=True)
    closes = models.CharField(max_length=T, null=True)
    overturn = models.IntegerField()
    uphold = models.IntegerField()
    """Votes cast so far (the outcome counts only those still voters at the close)."""
    decided_at = models.CharField(max_length=T, null=True)
    outcome = models.JSONField(null=True)


class ChallengeVoteRow(models.Model):
    """One member's open vote on a challenge to a ruling."""

    owner = models.CharField(max_length=32, db_index=True)
    member = models.CharField(max_length=64, db_index=True)
    choice = models.CharField(max_length=16)

    class Meta:
        indexes = [models.Index(fields=["owner", "member"], name="challenge_owner_member")]
