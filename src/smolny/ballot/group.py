"""The ristretto255 prime-order group (RFC 9496) through libsodium, by ctypes.

Why ristretto255: every element has exactly one canonical 32-byte encoding and the group has
prime order ℓ = 2^252 + 27742317777372353535851937790883648493 (RFC 9496 §4), so there is no
cofactor to clear and no small-subgroup or malleable-encoding attack on the proofs: a received
element is either a canonical encoding of a group element (RFC 9496 §4.3.1 *decode* succeeds)
or it is rejected.  Every element read from the outside is validated exactly once: by
:func:`point` (``crypto_core_ristretto255_is_valid_point``), or, for a ballot's ciphertexts, by
the first group operation on it, since :func:`add`, :func:`sub` and :func:`mul` decode their
operands with the same RFC 9496 decoding and refuse what it refuses (see
``ballots._check_proofs``).

Why ctypes on the system libsodium: PyNaCl (1.6.2) links libsodium statically into
``nacl._sodium`` but declares only the functions its public API uses; ``nacl._sodium.lib`` has
no ``crypto_core_ristretto255_*`` attribute, and the extension does not export the symbols
dynamically, so the cleaner cffi route is closed.  We therefore load the system shared library
(Debian package ``libsodium23``, 1.0.18), which exports all of ``crypto_core_ristretto255_*`` and
``crypto_scalarmult_ristretto255*``.  The binding is deliberately tiny: points and scalars are
plain 32-byte ``bytes`` (little-endian scalars, reduced mod ℓ), which keeps the hot loops free
of object allocation and makes every value directly hashable and serialisable.

Extra generators: none are needed (ElGamal uses the base point and the election key).  Should
one be needed, :func:`hash_to_group` derives it with ``crypto_core_ristretto255_from_hash``
(RFC 9496 §4.3.4 element derivation) from a domain-tagged SHA-512, never from a scalar someone
chose, so nobody knows its discrete logarithm.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import os

__all__ = [
    "BASE",
    "IDENTITY",
    "ORDER",
    "InvalidElement",
    "add",
    "base_mul",
    "hash_to_group",
    "int_to_scalar",
    "is_valid_point",
    "mul",
    "point",
    "random_scalar",
    "reduce64",
    "scalar",
    "scalar_to_int",
    "small_multiple",
    "sub",
]

ORDER = 2**252 + 27742317777372353535851937790883648493
"""ℓ, the order of the ristretto255 group (RFC 9496 §4)."""

IDENTITY = bytes(32)
"""The canonical encoding of the identity element (RFC 9496 §4.3.2: s = 0)."""


class InvalidElement(ValueError):
    """Bytes that are not the canonical encoding of a ristretto255 element or scalar."""


def _load() -> ctypes.CDLL:
    candidates = [os.environ.get("SMOLNY_LIBSODIUM"), ctypes.util.find_library("sodium")]
    candidates += ["libsodium.so.23", "libsodium.so", "libsodium.dylib"]
    for name in candidates:
        if not name:
            continue
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            continue
        if hasattr(lib, "crypto_core_ristretto255_from_hash"):
            if lib.sodium_init() < 0:
                raise OSError("sodium_init failed")
            return lib
    raise OSError("libsodium with ristretto255 support (>= 1.0.18) not found; install libsodium23")


_lib = _load()
_c = ctypes.c_char_p
for _name, _args in {
    "crypto_core_ristretto255_is_valid_point": [_c],
    "crypto_core_ristretto255_add": [_c, _c, _c],
    "crypto_core_ristretto255_sub": [_c, _c, _c],
    "crypto_core_ristretto255_from_hash": [_c, _c],
    "crypto_core_ristretto255_scalar_reduce": [_c, _c],
    "crypto_scalarmult_ristretto255": [_c, _c, _c],
    "crypto_scalarmult_ristretto255_base": [_c, _c],
}.items():
    _f = getattr(_lib, _name)
    _f.argtypes = _args
    _f.restype = ctypes.c_int

_is_valid = _lib.crypto_core_ristretto255_is_valid_point
_add = _lib.crypto_core_ristretto255_add
_sub = _lib.crypto_core_ristretto255_sub
_from_hash = _lib.crypto_core_ristretto255_from_hash
_reduce = _lib.crypto_core_ristretto255_scalar_reduce
_smul = _lib.crypto_scalarmult_ristretto255
_smul_base = _lib.crypto_scalarmult_ristretto255_base
_buf = ctypes.create_string_buffer
# A fresh 32-byte output array per call: about a third of create_string_buffer's cost, and
# unlike one shared buffer safe when ballots are verified in several threads at once.
_Out = ctypes.c_char * 32


def is_valid_point(data: bytes) -> bool:
    """True iff ``data`` is the canonical encoding of a group element (RFC 9496 §4.3.1)."""
    return len(data) == 32 and _is_valid(data) == 1


def point(data: bytes, what: str = "element") -> bytes:
    """Return ``data`` if it is a canonical ristretto255 encoding, else raise InvalidElement."""
    if not is_valid_point(data):
        raise InvalidElement(f"{what} is not a canonical ristretto255 encoding")
    return data


def scalar(data: bytes, what: str = "scalar") -> bytes:
    """Return ``data`` if it is a canonical (fully reduced, 32-byte LE) scalar mod ℓ."""
    if len(data) != 32 or int.from_bytes(data, "little") >= ORDER:
        raise InvalidElement(f"{what} is not a canonical scalar below the group order")
    return data


def add(p: bytes, q: bytes) -> bytes:
    """P + Q.  libsodium decodes both operands and returns -1 unless each is a canonical
    encoding, so an element first used here is validated by this call."""
    out = _Out()
    if _add(out, p, q) != 0:
        raise InvalidElement("addition of invalid elements")
    return out.raw


def sub(p: bytes, q: bytes) -> bytes:
    """P − Q, validating both operands as :func:`add` does."""
    out = _Out()
    if _sub(out, p, q) != 0:
        raise InvalidElement("subtraction of invalid elements")
    return out.raw


def mul(s: bytes, p: bytes) -> bytes:
    """s·P.  libsodium returns -1 both for a P that is not a canonical encoding and for an
    identity result; only then do we ask which, so P is validated by this call at no extra cost
    and a -1 for a valid P means the (legitimate) identity."""
    out = _Out()
    if _smul(out, s, p) != 0:
        if not is_valid_point(p):
            raise InvalidElement("scalar multiplication of an invalid element")
        return IDENTITY
    return out.raw


def base_mul(s: bytes) -> bytes:
    """s·B for the RFC 9496 generator B (identity for s = 0, which libsodium refuses)."""
    out = _Out()
    if _smul_base(out, s) != 0:
        return IDENTITY
    return out.raw


def reduce64(wide: bytes) -> bytes:
    """Reduce a 64-byte (uniform) string mod ℓ: bias below 2^-250, unlike reducing 32 bytes.

    Python's integers, not ``crypto_core_ristretto255_scalar_reduce``: the same value (tests
    check the two agree) in half the time of a ctypes call, and this runs for every nonce and
    every challenge."""
    if len(wide) != 64:
        raise ValueError("scalar_reduce needs exactly 64 bytes")
    return (int.from_bytes(wide, "little") % ORDER).to_bytes(32, "little")


def random_scalar() -> bytes:
    return reduce64(os.urandom(64))


def hash_to_group(tag: bytes, data: bytes) -> bytes:
    """An element nobody knows the logarithm of: RFC 9496 §4.3.4 on SHA-512(len(tag)‖tag‖data)."""
    out = _Out()
    wide = hashlib.sha512(len(tag).to_bytes(8, "big") + tag + data).digest()
    _from_hash(out, wide)
    return out.raw


def from_uniform_bytes(wide: bytes) -> bytes:
    """RFC 9496 §4.3.4 element derivation on 64 uniform bytes (used by the Appendix A.3 tests)."""
    if len(wide) != 64:
        raise ValueError("element derivation needs exactly 64 bytes")
    out = _Out()
    _from_hash(out, wide)
    return out.raw


def int_to_scalar(n: int) -> bytes:
    return (n % ORDER).to_bytes(32, "little")


def scalar_to_int(s: bytes) -> int:
    return int.from_bytes(s, "little")


_SMALL: list[bytes] = [IDENTITY]


def small_multiple(m: int) -> bytes:
    """m·B for a small non-negative m (a vote or a count), cached."""
    if m < 0:
        raise ValueError("negative multiple")
    while len(_SMALL) <= min(m, 4096):
        _SMALL.append(add(_SMALL[-1], BASE))
    if m < len(_SMALL):
        return _SMALL[m]
    return base_mul(int_to_scalar(m))


BASE = base_mul(int_to_scalar(1))
"""The RFC 9496 generator B."""
