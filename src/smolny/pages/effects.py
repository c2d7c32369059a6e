"""What a motion does if carried, in the words a member reads.

The record holds a motion's effect as data (``{"kind": "amend_params", "changes": {...}}``);
a member deciding how to vote needs a sentence, with names instead of ids.  The data itself
stays on the page beside it (the rules execute that, not this sentence).  Nothing here decides
anything: an unknown kind falls back to its name.
"""

from __future__ import annotations

from typing import Any

from smolny.readmodels import models as rm

PARAMETERS = {
    "recall_share": "the share of a constituency whose signatures open a recall ballot",
    "cosponsor_share": "the share of a council whose co-sponsors put a motion on its agenda",
    "seat_rule": "how seats above are divided",
    "members_per_delegate": "members represented by each delegate",
    "house_size": "seats of each higher council",
    "term_days": "the length of a term, in days",
    "rotation_limit": "the most consecutive terms anyone may hold the same seat",
    "nomination_hours": "how long nominations stay open, in hours",
    "voting_hours": "how long an election's voting lasts, in hours",
    "motion_notice_hours": "the notice before a motion's vote opens, in hours",
    "recall_ballot_hours": "how long a recall ballot stays open, in hours",
    "executive_seats": "seats of each executive committee",
    "stv_method": "how multi-seat elections are counted",
    "control_commission_seats": "seats of each control commission",
    "tendency_founders": "founders a tendency needs",
    "press_threshold": "supporters a tendency needs for the press right",
    "share_period_days": "the length of a period of the fair shares, in days",
    "bulletin_words": "bulletin words per period",
    "mailing_quota": "mailings to every member per period",
    "congress_minutes": "speaking minutes at the congress per period",
    "reply_hours": "the time a respondent has to reply to a charge, in hours",
    "max_sanction_days": "the longest a sanction may last, in days",
    "appeal_hours": "how long an appeal is voted on, in hours",
    "witness_quorum": "the witnesses' cosignatures a checkpoint of the record needs to be final",
    "speech_minutes": "the time limit of every speech in a debate, in minutes",
    "challenge_minutes": "how long the floor votes on a challenge to a ruling of the chair, in minutes",
    "decryption_hours": (
        "how long the trustees of a secret ballot have to decrypt its tally before any voter "
        "may close it as void, in hours"
    ),
}

POWERS = {
    "convene": "convene the council",
    "publish_minutes": "publish the minutes",
    "issue_statement": "issue statements between sessions",
    "reapportion": "reapportion the seats below",
    "manage_documents": "manage the council's documents",
}

MAJORITIES = {"two_thirds": "two-thirds majority", "simple": "simple majority"}


def _words(name: str) -> str:
    return str(name).replace("_", " ")


def describe(effect: dict[str, Any] | None, council_name: str) -> str:
    """One or more sentences saying what carrying the motion does."""
    if not effect:
        return ""
    kind = str(effect.get("kind", ""))
    if kind == "amend_params":
        changes = effect.get("changes") or {}
        parts = [
            f"{PARAMETERS.get(key, _words(key))} becomes {value}"
            for key, value in sorted(changes.items())
        ]
        return "The federation's rules change: " + "; ".join(parts) + "."
    if kind == "reapportion":
        return f"The seats {council_name} holds for the councils below it are divided anew."
    if kind == "create_council":
        what = "base council (of members)" if effect.get("base", True) else "council of delegates"
        return f"A new {what} called “{effect.get('name', '')}” is created under {council_name}."
    if kind in ("grant_power", "revoke_power"):
        power = POWERS.get(str(effect.get("power")), _words(str(effect.get("power"))))
        office = _words(str(effect.get("office")))
        if kind == "grant_power":
            return f"The {office} of {council_name} gets the power to {power}."
        return f"The {office} of {council_name} loses the power to {power}."
    if kind == "reverse_act":
        act = rm.ActRow.objects.filter(key=str(effect.get("act"))).first()
        title = f"“{act.title}”" if act is not None else str(effect.get("act"))
        return f"The executive act {title} is reversed."
    if kind == "amend_text":
        target = rm.MotionRow.objects.filter(key=str(effect.get("motion"))).first()
        title = f"“{target.title}”" if target is not None else str(effect.get("motion"))
        return f"The text of the motion {title} is replaced by the text below."
    if kind == "amend_code":
        if effect.get("action") == "repeal":
            return f"Rule {effect.get('rule')} of the code of rules is repealed."
        return f"The code of rules gains a rule: “{effect.get('title', '')}”."
    if kind == "admit_witness":
        who = effect.get("name") or "the mirror whose key is given below"
        return (
            f"{who} becomes a witness of the federation's record: its cosignatures count "
            "toward making a checkpoint final."
        )
    if kind == "remove_witness":
        return (
            f"{effect.get('name', '')} stops being a witness of the record; its cosignatures "
            "no longer count toward finality."
        )
    if kind == "secede":
        return f"{council_name} leaves the federation, taking its record with it."
    return f"Effect: {_words(kind)}."


def majority(code: str | None) -> str:
    return MAJORITIES.get(code or "", _words(code or ""))
