"""C2SP tlog-tiles: paths, tiles and bundles from the store, and mirroring from them.

The "log" in these tests is a plain dict of path -> bytes filled by the same serving functions
the web layer will use, read through a fetch function that raises TileNotFound like a 404.
"""

from __future__ import annotations

import re

import pytest

from smolny.record.checkpoint import Checkpoint
from smolny.record.hashstore import MemoryHashStore, append
from smolny.record.merkle import hash_leaf, tree_hash, verify_inclusion
from smolny.record.proofs import consistency_proof, inclusion_proof, tree_root
from smolny.record.tiles import (
    Bundle,
    Tile,
    TileError,
    TileHashStore,
    TileNotFound,
    bundles_for_size,
    check_tiles,
    decode_index,
    encode_bundle,
    encode_index,
    mirror_entries,
    parse_bundle,
    parse_path,
    read_tile,
    servable,
    tiles_for_size,
)

ORIGIN = "smolny.example/record"


@pytest.mark.parametrize(
    ("index", "path"),
    [
        (0, "000"),
        (7, "007"),
        (999, "999"),
        (1000, "x001/000"),
        (1234067, "x001/x234/067"),  # the example of c2sp.org/tlog-tiles
        (123456789, "x123/x456/789"),
    ],
)
def test_tile_index_encoding(index: int, path: str) -> None:
    assert encode_index(index) == path
    assert decode_index(path) == index


@pytest.mark.parametrize("text", ["", "1", "0000", "x000/001", "x1/001", "001/002", "x001", "abc"])
def test_non_canonical_tile_indices_are_refused(text: str) -> None:
    with pytest.raises(TileError):
        decode_index(text)


@pytest.mark.parametrize(
    ("path", "parsed"),
    [
        ("tile/0/x001/x234/067", Tile(0, 1234067)),
        ("tile/0/x001/x234/067.p/8", Tile(0, 1234067, 8)),
        ("tile/3/000.p/1", Tile(3, 0, 1)),
        ("tile/63/000", Tile(63, 0)),
        ("tile/entries/x001/000", Bundle(1000)),
        ("tile/entries/005.p/255", Bundle(5, 255)),
    ],
)
def test_tile_paths_round_trip(path: str, parsed: Tile | Bundle) -> None:
    assert parse_path(path) == parsed
    assert parsed.path == path


@pytest.mark.parametrize(
    "path",
    [
        "tile/00/000",
        "tile/64/000",
        "tile/-1/000",
        "tile/0/000.p/256",
        "tile/0/000.p/0",
        "tile/0/000.p/01",
        "tile/0/000.p/",
        "tile/0/000.p",
        "tile/0/x000/001",
        "tile/entries/0001",
        "tiles/0/000",
        "tile/0",
        "tile/0/000/",
        "tile/x/000",
    ],
)
def test_malformed_tile_paths_are_refused(path: str) -> None:
    with pytest.raises(TileError):
        parse_path(path)


def test_tiles_for_70000_leaves_follow_the_spec_example() -> None:
    # "a tree of size 70,000 will be represented by 273 full level 0 tiles, one partial level 0
    # tile of width 112, one full level 1 tile, one partial level 1 tile of width 17, and one
    # partial level 2 tile of width 1" (c2sp.org/tlog-tiles).
    tiles = tiles_for_size(70000)
    assert [t for t in tiles if t.level == 0 and t.width == 256] == [Tile(0, i) for i in range(273)]
    assert [t for t in tiles if t.width < 256 or t.level > 0] == [
        Tile(0, 273, 112),
        Tile(1, 0),
        Tile(1, 1, 17),
        Tile(2, 0, 1),
    ]


def test_tiles_for_256_leaves_follow_the_spec_example() -> None:
    assert tiles_for_size(256) == [Tile(0, 0), Tile(1, 0, 1)]
    assert tiles_for_size(0) == []


def test_only_new_tiles_are_listed_since_an_older_size() -> None:
    # tile/1/000.p/2 is the same at sizes 512 and 600, so a mirror at 512 has checked it.
    assert tiles_for_size(600, since=512) == [Tile(0, 2, 88)]
    assert tiles_for_size(600, since=511) == [Tile(0, 1), Tile(0, 2, 88), Tile(1, 0, 2)]
    assert tiles_for_size(512, since=512) == []


def test_bundles_for_a_size() -> None:
    assert bundles_for_size(600) == [Bundle(0), Bundle(1), Bundle(2, 88)]
    assert bundles_for_size(600, since=300) == [Bundle(1), Bundle(2, 88)]
    assert bundles_for_size(512, since=512) == []


def test_entry_bundles_round_trip() -> None:
    entries = [b"", b"a", b"x" * 300, bytes(65535)]
    data = encode_bundle(entries)
    assert data[:2] == b"\x00\x00"
    assert data[2:5] == b"\x00\x01a"
    assert parse_bundle(data, 4) == entries


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"\x00", "inside a length prefix"),
        (b"\x00\x05abc", "inside an entry"),
        (b"\x00\x01a\x00", "inside a length prefix"),
        (b"\x00\x01a", "expected 2"),
    ],
)
def test_malformed_entry_bundles_are_refused(data: bytes, why: str) -> None:
    with pytest.raises(TileError, match=why):
        parse_bundle(data, 2)


def test_an_entry_too_large_for_a_bundle_is_refused() -> None:
    with pytest.raises(TileError, match="65536 bytes"):
        encode_bundle([bytes(65536)])


class Log:
    """A log served from a dict, the way the web layer will serve /record/."""

    def __init__(self) -> None:
        self.entries: list[bytes] = []
        self.store = MemoryHashStore()
        self.files: dict[str, bytes] = {}
        self.fetches: list[str] = []

    def add(self, entries: list[bytes]) -> Checkpoint:
        result = append(self.store, len(self.entries), [hash_leaf(e) for e in entries])
        self.store.put_many(result.nodes)
        self.entries += entries
        size = len(self.entries)
        for tile in tiles_for_size(size):
            self.files[tile.path] = read_tile(self.store, tile)
        for bundle in bundles_for_size(size):
            first = bundle.first_entry
            self.files[bundle.path] = encode_bundle(self.entries[first : first + bundle.width])
        return Checkpoint(ORIGIN, size, result.root)

    def fetch(self, path: str) -> bytes:
        self.fetches.append(path)
        try:
            return self.files[path]
        except KeyError:
            raise TileNotFound(path) from None


def make_entries(start: int, stop: int) -> list[bytes]:
    return [f'{{"kind":"motion.filed","seq":{i}}}'.encode() for i in range(start, stop)]


def test_a_tile_is_a_run_of_stored_hashes() -> None:
    log = Log()
    log.add(make_entries(0, 70000))
    leaf_hashes = [hash_leaf(e) for e in log.entries]
    assert read_tile(log.store, Tile(0, 1)) == b"".join(leaf_hashes[256:512])
    level1 = read_tile(log.store, Tile(1, 0))
    assert level1[32:64] == tree_hash(leaf_hashes[256:512])
    assert len(read_tile(log.store, Tile(1, 1, 17))) == 17 * 32
    assert read_tile(log.store, Tile(2, 0, 1)) == tree_hash(leaf_hashes[: 1 << 16])


def test_a_mirror_follows_the_log_checkpoint_by_checkpoint() -> None:
    log = Log()
    mirror = MemoryHashStore()
    held: list[bytes] = []
    for stop in [1, 5, 256, 300, 1000, 1000, 1030]:
        checkpoint = log.add(make_entries(len(log.entries), stop))
        update = mirror_entries(log.fetch, checkpoint, mirror, len(held))
        mirror.put_many(update.result.nodes)
        held += update.entries
        assert held == log.entries
        assert update.result.root == checkpoint.root
        assert check_tiles(log.fetch, mirror, checkpoint.size) == len(tiles_for_size(stop))


def test_a_mirror_falls_back_to_the_full_bundle_when_the_partial_is_gone() -> None:
    log = Log()
    old = log.add(make_entries(0, 300))
    log.add(make_entries(300, 600))
    del log.files["tile/entries/001.p/44"]
    update = mirror_entries(log.fetch, old, MemoryHashStore(), 0)
    assert update.entries == log.entries[:300]
    assert "tile/entries/001" in log.fetches


def test_a_mirror_refuses_entries_that_do_not_match_the_checkpoint() -> None:
    log = Log()
    checkpoint = log.add(make_entries(0, 10))
    log.files["tile/entries/000.p/10"] = encode_bundle([*log.entries[:9], b"forged"])
    with pytest.raises(TileError, match="do not hash to the checkpoint root"):
        mirror_entries(log.fetch, checkpoint, MemoryHashStore(), 0)


def test_a_mirror_notices_a_rewrite_of_entries_it_already_holds() -> None:
    log = Log()
    first = log.add(make_entries(0, 10))
    mirror = MemoryHashStore()
    update = mirror_entries(log.fetch, first, mirror, 0)
    mirror.put_many(update.result.nodes)
    second = log.add(make_entries(10, 20))
    log.files["tile/entries/000.p/20"] = encode_bundle([b"rewritten", *log.entries[1:]])
    with pytest.raises(TileError, match="rewrites entries this mirror already holds"):
        mirror_entries(log.fetch, second, mirror, 10)


def test_a_mirror_refuses_a_checkpoint_smaller_than_what_it_holds() -> None:
    log = Log()
    checkpoint = log.add(make_entries(0, 3))
    with pytest.raises(TileError, match="smaller"):
        mirror_entries(log.fetch, checkpoint, MemoryHashStore(), 4)


def test_check_tiles_names_a_forged_tile() -> None:
    log = Log()
    checkpoint = log.add(make_entries(0, 600))
    mirror = MemoryHashStore()
    mirror.put_many(mirror_entries(log.fetch, checkpoint, mirror, 0).result.nodes)
    log.files["tile/1/000.p/2"] = bytes(64)
    with pytest.raises(TileError, match=re.escape("tile/1/000.p/2")):
        check_tiles(log.fetch, mirror, 600)


def test_proofs_computed_from_fetched_tiles_verify() -> None:
    log = Log()
    old = log.add(make_entries(0, 5000))
    checkpoint = log.add(make_entries(5000, 70000))
    tiles = TileHashStore(log.fetch, checkpoint.size)
    assert tiles.root() == checkpoint.root
    for index in [0, 255, 256, 4999, 65535, 65536, 69999]:
        proof = inclusion_proof(tiles, index, checkpoint.size)
        assert proof == inclusion_proof(log.store, index, checkpoint.size)
        verify_inclusion(
            hash_leaf(log.entries[index]), index, checkpoint.size, proof, checkpoint.root
        )
    assert consistency_proof(tiles, old.size, checkpoint.size) == consistency_proof(
        log.store, old.size, checkpoint.size
    )
    assert tree_root(tiles, old.size) == old.root
    assert len(tiles.fetched) < 40  # a few tiles per proof, never the whole tree


def test_a_tile_store_refuses_nodes_beyond_its_size() -> None:
    log = Log()
    log.add(make_entries(0, 10))
    tiles = TileHashStore(log.fetch, 10)
    with pytest.raises(KeyError):
        tiles.get(0, 10)
    with pytest.raises(TypeError):
        tiles.put_many([])


def test_what_a_log_of_a_given_size_can_serve() -> None:
    assert servable(Tile(0, 0), 256)
    assert not servable(Tile(0, 1), 511)
    assert servable(Tile(0, 1, 255), 511)
    assert servable(Tile(0, 1, 10), 511)  # an older checkpoint's partial tile, same bytes
    assert not servable(Tile(1, 0, 2), 511)
    assert servable(Tile(1, 0, 1), 511)
    assert servable(Bundle(2, 88), 600)
    assert not servable(Bundle(2, 89), 600)
    assert not servable(Bundle(3, 1), 600)
