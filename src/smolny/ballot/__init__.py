"""End-to-end verifiable secret ballots: exponential ElGamal over ristretto255, threshold
trustees, signed ballots with validity proofs, and a standalone verifier.  No Django.

Modules: :mod:`group` (libsodium ristretto255), :mod:`proofs` (sigma protocols, strong
Fiat–Shamir), :mod:`election` (manifest, fingerprint, documents), :mod:`ballots`,
:mod:`trustee` (key ceremony, partial decryption), :mod:`tally`, :mod:`store` (directory
layout), :mod:`verify`, :mod:`cli`.  The voter's browser does the same in
``js/booth-crypto.js``.
"""

from smolny.ballot.ballots import (
    Cast,
    VerifiedBallot,
    encrypt_ballot,
    open_audit,
    tracker,
    verify_ballot,
)
from smolny.ballot.election import (
    BallotError,
    Contest,
    Election,
    Manifest,
    fingerprint,
    make_election,
    parse_election,
    parse_manifest,
)
from smolny.ballot.trustee import (
    Ceremony,
    TrusteeKey,
    ceremony_rounds,
    check_ceremony,
    check_decryption,
    combine,
    partial_decrypt,
    trustee_commit,
    trustee_finish,
    trustee_init,
    trustee_share,
)
from smolny.ballot.verify import Failure, Report, verify_election

__all__ = [
    "BallotError",
    "Cast",
    "Ceremony",
    "Contest",
    "Election",
    "Failure",
    "Manifest",
    "Report",
    "TrusteeKey",
    "VerifiedBallot",
    "ceremony_rounds",
    "check_ceremony",
    "check_decryption",
    "combine",
    "encrypt_ballot",
    "fingerprint",
    "make_election",
    "open_audit",
    "parse_election",
    "parse_manifest",
    "partial_decrypt",
    "tracker",
    "trustee_commit",
    "trustee_finish",
    "trustee_init",
    "trustee_share",
    "verify_ballot",
    "verify_election",
]
