"""The public record: an append-only Merkle log that anyone can mirror and verify.

DESIGN.md: "The record is append-only: a Merkle log with signed checkpoints that mirrors copy
and cosign. Nothing is deleted; a correction is a new entry; a rewritten history fails
verification."  This package is pure (no Django, no I/O beyond key files) so that outside
verifiers run the same code as the server:

* :mod:`.merkle` - RFC 9162 hashing, reference tree functions, proof verification;
* :mod:`.hashstore` - the stored complete-subtree hashes and incremental appends;
* :mod:`.proofs` - roots and proofs from O(log n) stored hashes;
* :mod:`.audit` - checking a whole stored tree against its entries;
* :mod:`.note` - C2SP signed-note with Ed25519, and the key formats;
* :mod:`.checkpoint` - C2SP tlog-checkpoint;
* :mod:`.cosignature` - C2SP tlog-cosignature (cosignature/v1), for mirrors and witnesses;
* :mod:`.tiles` - C2SP tlog-tiles paths, hash tiles and entry bundles, and mirroring.
"""
