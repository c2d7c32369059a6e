"""RFC 9162 verification against every numbered transparency-dev vector (RFC 6962 hashing).

GIVEN the vectors copied unchanged into shared/data/tlog/rfc6962-vectors (README there),
WHEN each is verified, THEN the outcome is exactly its ``wantErr``, and malformed hashes
(``WrongLeaf``, ``WrongRoot``) raise VerificationError rather than crash.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from smolny.record.hashstore import MemoryHashStore, append
from smolny.record.merkle import (
    EMPTY_ROOT,
    VerificationError,
    hash_leaf,
    tree_hash,
    verify_consistency,
    verify_inclusion,
)
from smolny.record.proofs import consistency_proof, inclusion_proof, tree_root

VECTORS = Path("/work/shared/data/tlog/rfc6962-vectors")
if not VECTORS.is_dir():  # CI lays shared/ beside the clone
    VECTORS = Path(__file__).resolve().parents[3] / "shared/data/tlog/rfc6962-vectors"

INCLUSION = sorted(VECTORS.glob("inclusion/[0-9]/*.json"))
CONSISTENCY = sorted(VECTORS.glob("consistency/[0-9]/*.json"))
CONSTANTS = json.loads((VECTORS / "constants.json").read_text())


def _load(path: Path) -> dict[str, Any]:
    # json parses integers as Python ints, so leafIdx 2**64 - 1 stays exact.
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def _b64(value: str | None) -> bytes:
    return base64.b64decode(value or "")


def _proof(value: list[str] | None) -> list[bytes]:
    return [_b64(p) for p in value or []]


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def test_the_vector_set_is_complete() -> None:
    assert len(INCLUSION) == 82
    assert len(CONSISTENCY) == 84


@pytest.mark.parametrize("path", INCLUSION, ids=_id)
def test_inclusion_vector(path: Path) -> None:
    v = _load(path)
    args = (_b64(v["leafHash"]), v["leafIdx"], v["treeSize"], _proof(v["proof"]), _b64(v["root"]))
    if v["wantErr"]:
        with pytest.raises(VerificationError):
            verify_inclusion(*args)
    else:
        verify_inclusion(*args)


@pytest.mark.parametrize("path", CONSISTENCY, ids=_id)
def test_consistency_vector(path: Path) -> None:
    v = _load(path)
    args = (v["size1"], v["size2"], _b64(v["root1"]), _b64(v["root2"]), _proof(v["proof"]))
    if v["wantErr"]:
        with pytest.raises(VerificationError):
            verify_consistency(*args)
    else:
        verify_consistency(*args)


def test_the_huge_leaf_index_vectors_are_parsed_exactly() -> None:
    huge = [_load(p)["leafIdx"] for p in INCLUSION if p.stem == "leafIdx-sub-@1"]
    assert 2**64 - 1 in huge


def _leaves() -> list[bytes]:
    return [bytes.fromhex(leaf) for leaf in CONSTANTS["leaves"]]


def test_leaf_hashes_match_the_constants() -> None:
    assert [hash_leaf(leaf).hex() for leaf in _leaves()] == CONSTANTS["leaf_hashes"]


@pytest.mark.parametrize("n", range(9))
def test_roots_match_the_constants(n: int) -> None:
    hashes = [hash_leaf(leaf) for leaf in _leaves()[:n]]
    assert tree_hash(hashes).hex() == CONSTANTS["roots"][n]
    store = MemoryHashStore()
    result = append(store, 0, hashes)
    store.put_many(result.nodes)
    assert result.root.hex() == CONSTANTS["roots"][n]
    assert tree_root(store, n).hex() == CONSTANTS["roots"][n]


def test_the_empty_root_is_sha256_of_nothing() -> None:
    assert EMPTY_ROOT.hex() == CONSTANTS["roots"][0]


@pytest.mark.parametrize("path", [p for p in INCLUSION if _load(p)["wantErr"] is False], ids=_id)
def test_our_inclusion_proofs_equal_the_happy_paths(path: Path) -> None:
    v = _load(path)
    store = MemoryHashStore()
    store.put_many(append(store, 0, [hash_leaf(x) for x in _leaves()]).nodes)
    assert inclusion_proof(store, v["leafIdx"], v["treeSize"]) == _proof(v["proof"])


@pytest.mark.parametrize("path", [p for p in CONSISTENCY if _load(p)["wantErr"] is False], ids=_id)
def test_our_consistency_proofs_equal_the_happy_paths(path: Path) -> None:
    v = _load(path)
    store = MemoryHashStore()
    store.put_many(append(store, 0, [hash_leaf(x) for x in _leaves()]).nodes)
    assert consistency_proof(store, v["size1"], v["size2"]) == _proof(v["proof"])
