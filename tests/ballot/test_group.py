"""RFC 9496 Appendix A test vectors against our libsodium binding (and @noble/curves)."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from smolny.ballot import group as g
from smolny.ballot.election import BallotError, elem, scal, unhex

REPO = Path(__file__).resolve().parents[2]

# RFC 9496 Appendix A.1: encodings of B[i] = i·B for i = 0..15.
MULTIPLES = [
    "0000000000000000000000000000000000000000000000000000000000000000",
    "e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76",
    "6a493210f7499cd17fecb510ae0cea23a110e8d5b901f8acadd3095c73a3b919",
    "94741f5d5d52755ece4f23f044ee27d5d1ea1e2bd196b462166b16152a9d0259",
    "da80862773358b466ffadfe0b3293ab3d9fd53c5ea6c955358f568322daf6a57",
    "e882b131016b52c1d3337080187cf768423efccbb517bb495ab812c4160ff44e",
    "f64746d3c92b13050ed8d80236a7f0007c3b3f962f5ba793d19a601ebb1df403",
    "44f53520926ec81fbd5a387845beb7df85a96a24ece18738bdcfa6a7822a176d",
    "903293d8f2287ebe10e2374dc1a53e0bc887e592699f02d077d5263cdd55601c",
    "02622ace8f7303a31cafc63f8fc48fdc16e1c8c8d234b2f0d6685282a9076031",
    "20706fd788b2720a1ed2a5dad4952b01f413bcf0e7564de8cdc816689e2db95f",
    "bce83f8ba5dd2fa572864c24ba1810f9522bc6004afe95877ac73241cafdab42",
    "e4549ee16b9aa03099ca208c67adafcafa4c3f3e4e5303de6026e3ca8ff84460",
    "aa52e000df2e16f55fb1032fc33bc42742dad6bd5a8fc0be0167436c5948501f",
    "46376b80f409b29dc2b5f6f0c52591990896e5716f41477cd30085ab7f10301e",
    "e0c418f7c8d9c4cdd7395b93ea124f3ad99021bb681dfc3302a9d99a2e53e64e",
]

# RFC 9496 Appendix A.2: encodings that decode must reject.
INVALID = {
    "non-canonical field encoding": """
00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f
f3ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f
edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f
""",
    "negative field element": """
0100000000000000000000000000000000000000000000000000000000000000
01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f
ed57ffd8c914fb201471d1c3d245ce3c746fcbe63a3679d51b6a516ebebe0e20
c34c4e1826e5d403b78e246e88aa051c36ccf0aafebffe137d148a2bf9104562
c940e5a4404157cfb1628b108db051a8d439e1a421394ec4ebccb9ec92a8ac78
47cfc5497c53dc8e61c91d17fd626ffb1c49e2bca94eed052281b510b1117a24
f1c6165d33367351b0da8f6e4511010c68174a03b6581212c71c0e1d026c3c72
87260f7a2f12495118360f02c26a470f450dadf34a413d21042b43b9d93e1309
""",
    "non-square x^2": """
26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371
4eac077a713c57b4f4397629a4145982c661f48044dd3f96427d40b147d9742f
de6a7b00deadc788eb6b6c8d20c0ae96c2f2019078fa604fee5b87d6e989ad7b
bcab477be20861e01e4a0e295284146a510150d9817763caf1a6f4b422d67042
2a292df7e32cababbd9de088d1d1abec9fc0440f637ed2fba145094dc14bea08
f4a9e534fc0d216c44b218fa0c42d99635a0127ee2e53c712f70609649fdff22
8268436f8c4126196cf64b3c7ddbda90746a378625f9813dd9b8457077256731
2810e5cbc2cc4d4eece54f61c6f69758e289aa7ab440b3cbeaa21995c2f4232b
""",
    "negative xy value": """
3eb858e78f5a7254d8c9731174a94f76755fd3941c0ac93735c07ba14579630e
a45fdc55c76448c049a1ab33f17023edfb2be3581e9c7aade8a6125215e04220
d483fe813c6ba647ebbfd3ec41adca1c6130c2beeee9d9bf065c8d151c5f396e
8a2e1d30050198c65a54483123960ccc38aef6848e1ec8f5f780e8523769ba32
32888462f8b486c68ad7dd9610be5192bbeaf3b443951ac1a8118419d9fa097b
227142501b9d4355ccba290404bde41575b037693cef1f438c47f8fbf35d1165
5c37cc491da847cfeb9281d407efc41e15144c876e0170b499a96a22ed31e01e
445425117cb8c90edcbc7c1cc0e74f747f2c1efa5630a967c64f287792a48a4b
""",
    "s = -1, which causes y = 0": """
ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f
""",
}
INVALID_ALL = [(why, h) for why, text in INVALID.items() for h in text.split()]

# RFC 9496 Appendix A.3: element derivation from SHA-512 of each label.
HASH_TO_GROUP = [
    (
        "Ristretto is traditionally a short shot of espresso coffee",
        "3066f82a1a747d45120d1740f14358531a8f04bbffe6a819f86dfe50f44a0a46",
    ),
    (
        "made with the normal amount of ground coffee but extracted with",
        "f26e5b6f7d362d2d2a94c5d0e7602cb4773c95a2e5c31a64f133189fa76ed61b",
    ),
    (
        "about half the amount of water in the same amount of time",
        "006ccd2a9e6867e6a2c5cea83d3302cc9de128dd2a9a57dd8ee7b9d7ffe02826",
    ),
    (
        "by using a finer grind.",
        "f8f0c87cf237953c5890aec3998169005dae3eca1fbb04548c635953c817f92a",
    ),
    (
        "This produces a concentrated shot of coffee per volume.",
        "ae81e7dedf20a497e10c304a765c1767a42d6e06029758d2d7e8ef7cc4c41179",
    ),
    (
        "Just pulling a normal shot short will produce a weaker shot",
        "e2705652ff9f5e44d3e841bf1c251cf7dddb77d140870d1ab2ed64f1a9ce8628",
    ),
    (
        "and is not a Ristretto as some believe.",
        "80bd07262511cdde4863f8a7434cef696750681cb9510eea557088f76d9e5065",
    ),
]


P = 2**255 - 19
D = (-121665 * pow(121666, -1, P)) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)


def _neg(x: int) -> bool:
    return x % P % 2 == 1


def _abs(x: int) -> int:
    return (-x) % P if _neg(x) else x % P


def _sqrt_ratio_m1(u: int, v: int) -> tuple[bool, int]:
    """RFC 9496 §4.2 SQRT_RATIO_M1, in plain integers (not constant time: test use only)."""
    r = (u * pow(v, 3, P)) * pow(u * pow(v, 7, P), (P - 5) // 8, P) % P
    check = v * r * r % P
    correct = check == u % P
    flipped = check == (-u) % P
    flipped_i = check == (-u * SQRT_M1) % P
    if flipped or flipped_i:
        r = r * SQRT_M1 % P
    return correct or flipped, _abs(r)


def rfc9496_decode_failure(encoding: str) -> str | None:
    """Why RFC 9496 §4.3.1 *decode* rejects ``encoding`` (None if it accepts), so that the
    typed-in Appendix A.2 vectors are checked to fail for the reason the RFC gives."""
    s = int.from_bytes(bytes.fromhex(encoding), "little")
    if s >= P:
        return "non-canonical field encoding"
    if _neg(s):
        return "negative field element"
    ss = s * s % P
    u1, u2 = (1 - ss) % P, (1 + ss) % P
    u2_sqr = u2 * u2 % P
    v = (-(D * u1 * u1) - u2_sqr) % P
    was_square, invsqrt = _sqrt_ratio_m1(1, v * u2_sqr % P)
    den_x = invsqrt * u2 % P
    den_y = invsqrt * den_x * v % P
    x = _abs(2 * s * den_x)
    y = u1 * den_y % P
    if not was_square:
        return "non-square x^2"
    if _neg(x * y):
        return "negative xy value"
    if y == 0:
        return "s = -1, which causes y = 0"
    return None


@pytest.mark.parametrize(("why", "encoding"), INVALID_ALL)
def test_each_invalid_vector_fails_for_the_reason_rfc9496_gives(why: str, encoding: str) -> None:
    assert rfc9496_decode_failure(encoding) == why


def test_the_reference_decoder_accepts_the_generator_multiples() -> None:
    assert all(rfc9496_decode_failure(h) is None for h in MULTIPLES)


@pytest.mark.parametrize("i", range(16))
def test_multiples_of_the_generator_match_rfc9496_a1(i: int) -> None:
    assert g.base_mul(g.int_to_scalar(i)).hex() == MULTIPLES[i]
    assert g.is_valid_point(bytes.fromhex(MULTIPLES[i]))


def test_repeated_addition_matches_rfc9496_a1() -> None:
    acc = g.IDENTITY
    for i in range(16):
        assert acc.hex() == MULTIPLES[i]
        assert g.small_multiple(i) == acc
        acc = g.add(acc, g.BASE)


@pytest.mark.parametrize(("why", "encoding"), INVALID_ALL)
def test_invalid_encodings_of_rfc9496_a2_are_rejected(why: str, encoding: str) -> None:
    data = bytes.fromhex(encoding)
    assert not g.is_valid_point(data), why
    with pytest.raises(BallotError) as err:
        elem(encoding, "test element")
    assert err.value.code == "bad-element"
    assert "not a canonical ristretto255 encoding" in err.value.message


@pytest.mark.parametrize(("label", "expected"), HASH_TO_GROUP)
def test_element_derivation_matches_rfc9496_a3(label: str, expected: str) -> None:
    wide = hashlib.sha512(label.encode()).digest()
    assert g.from_uniform_bytes(wide).hex() == expected


def test_noble_curves_agrees_on_every_vector() -> None:
    """The browser's library decodes the same valid encodings and rejects the same invalid ones."""
    script = """
import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { readFileSync } from 'node:fs';
const req = JSON.parse(readFileSync(0, 'utf8'));
const hex = (b) => Buffer.from(b).toString('hex');
const P = ristretto255.Point;
const ok = (h) => { try { P.fromHex(h); return true; } catch { return false; } };
process.stdout.write(JSON.stringify({
  multiples: req.multiples.map((_, i) => i === 0 ? hex(P.ZERO.toBytes()) : hex(P.BASE.multiply(BigInt(i)).toBytes())),
  valid: req.multiples.map(ok),
  invalid: req.invalid.map(ok),
  derived: req.labels.map((l) => hex(ristretto255_hasher.deriveToCurve(sha512(new TextEncoder().encode(l))).toBytes())),
}));
"""
    req = {
        "multiples": MULTIPLES,
        "invalid": [h for _, h in INVALID_ALL],
        "labels": [label for label, _ in HASH_TO_GROUP],
    }
    out = subprocess.run(
        ["node", "--input-type=module", "-e", script],
        input=json.dumps(req),
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    got = json.loads(out.stdout)
    assert got["multiples"] == MULTIPLES
    assert all(got["valid"])
    assert not any(got["invalid"])
    assert got["derived"] == [h for _, h in HASH_TO_GROUP]


def test_hash_to_group_is_domain_separated() -> None:
    a = g.hash_to_group(b"smolny/test/a", b"x")
    assert g.is_valid_point(a)
    assert a != g.hash_to_group(b"smolny/test/b", b"x")
    assert a == g.hash_to_group(b"smolny/test/a", b"x")


def test_non_canonical_scalars_are_rejected() -> None:
    too_big = g.ORDER.to_bytes(32, "little").hex()
    with pytest.raises(BallotError) as err:
        scal(too_big, "response")
    assert err.value.code == "bad-scalar"
    with pytest.raises(BallotError):
        scal("AB" * 32, "response")


@pytest.mark.parametrize(
    ("spelling", "message"),
    [
        ("AB" * 32, "x is not lower-case hex"),
        ("ab " + "cd" * 31, "x is not hex"),  # bytes.fromhex would skip the space
        (" " + "ab" * 32, "x is not hex"),
        ("ab" * 31 + "a", "x is not hex"),
        ("zz" * 32, "x is not hex"),
        ("ab" * 31, "x must be 32 bytes"),
        (None, "x is not lower-case hex"),
    ],
)
def test_hex_has_one_spelling(spelling: Any, message: str) -> None:
    with pytest.raises(BallotError) as err:
        unhex(spelling, "x", 32)
    assert err.value.code == "bad-encoding" and err.value.message == message
    assert unhex("ab" * 32, "x", 32) == b"\xab" * 32


def test_wide_reduction_matches_integer_arithmetic() -> None:
    wide = hashlib.sha512(b"reduce me").digest()
    assert g.scalar_to_int(g.reduce64(wide)) == int.from_bytes(wide, "little") % g.ORDER


@pytest.mark.parametrize(
    "wide",
    [
        hashlib.sha512(b"reduce me").digest(),
        bytes(64),
        b"\xff" * 64,
        g.ORDER.to_bytes(64, "little"),
        (g.ORDER - 1).to_bytes(64, "little"),
        (g.ORDER * (2**259 - 1)).to_bytes(64, "little"),
    ],
)
def test_wide_reduction_agrees_with_libsodium(wide: bytes) -> None:
    """reduce64 reduces in Python for speed; libsodium's scalar_reduce is the reference."""
    out = g._buf(32)
    g._reduce(out, wide)
    assert g.reduce64(wide) == out.raw
