"""C2SP tlog-tiles: serving the record as static files, and mirroring it from them.

Instead of answering proof requests, the log publishes its Merkle tree as immutable *tiles*
that any HTTP cache can hold (DESIGN.md, "the record served as static tiles behind any HTTP
cache"), per c2sp.org/tlog-tiles:

* ``tile/<L>/<N>[.p/<W>]``: tile ``N`` of tile-level ``L`` is up to 256 consecutive hashes of
  tree level ``8 * L`` (level 0: leaf hashes), i.e. nodes ``N * 256`` ... of that level; a full
  tile is 8,192 bytes, a partial one (``.p/<W>``, W = 1..255) exists for sizes a checkpoint
  named.  ``N`` is written in 3-digit path elements, all but the last prefixed with ``x``
  (1234067 -> ``x001/x234/067``), so tiles can be plain files.
* ``tile/entries/<N>[.p/<W>]``: entry bundles, each entry as a big-endian uint16 length and its
  bytes, in the same layout as level 0.

Because :mod:`smolny.record.hashstore` stores exactly the complete-subtree hashes, a hash tile
is one ``get_range`` call.  A mirror fetches entry bundles, recomputes the tree itself and
compares the root with a verified checkpoint; :class:`TileHashStore` lets a verifier compute
proofs from fetched tiles with the same code the server uses.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from smolny.record.checkpoint import Checkpoint
from smolny.record.hashstore import (
    AppendResult,
    HashRun,
    HashStore,
    MissingHash,
    append,
    hash_pairs,
)
from smolny.record.merkle import HASH_SIZE, hash_leaf
from smolny.record.proofs import tree_root

TILE_WIDTH = 256
TILE_HEIGHT = 8
MAX_ENTRY_SIZE = 0xFFFF
"""An entry bundle frames each entry with a uint16 length."""

_INDEX = re.compile(r"(?:x[0-9]{3}/)*[0-9]{3}")
_DECIMAL = re.compile(r"0|[1-9][0-9]*")

Fetch = Callable[[str], bytes]
"""Fetches a path relative to the log prefix (``checkpoint``, ``tile/0/000``...).  Raises
:class:`TileNotFound` when the resource does not exist (HTTP 404)."""


class TileError(ValueError):
    """A tile path, tile or entry bundle is malformed or does not match the tree."""


class TileNotFound(LookupError):
    """Raised by a :data:`Fetch` function when the log does not have the resource."""


def encode_index(index: int) -> str:
    """``N`` as zero-padded 3-digit path elements, all but the last prefixed with ``x``."""
    if index < 0:
        raise ValueError("tile index must not be negative")
    digits = str(index)
    digits = "0" * (-len(digits) % 3) + digits
    parts = [digits[i : i + 3] for i in range(0, len(digits), 3)]
    return "/".join([*("x" + p for p in parts[:-1]), parts[-1]])


def decode_index(text: str) -> int:
    """Inverse of :func:`encode_index`, accepting only the canonical spelling."""
    if not _INDEX.fullmatch(text):
        raise TileError(f"malformed tile index {text!r}")
    index = int(text.replace("x", "").replace("/", ""))
    if encode_index(index) != text:
        raise TileError(f"non-canonical tile index {text!r}")
    return index


@dataclass(frozen=True)
class Tile:
    """Hash tile ``index`` of tile-level ``level``, ``width`` hashes wide (256 when full)."""

    level: int
    index: int
    width: int = TILE_WIDTH

    def __post_init__(self) -> None:
        if not 0 <= self.level <= 63 or self.index < 0 or not 1 <= self.width <= TILE_WIDTH:
            raise TileError(f"no such tile: level {self.level}, index {self.index}")

    @property
    def path(self) -> str:
        return f"tile/{self.level}/{encode_index(self.index)}{_suffix(self.width)}"

    @property
    def tree_level(self) -> int:
        """The Merkle tree level of the hashes in this tile."""
        return TILE_HEIGHT * self.level

    @property
    def first_node(self) -> int:
        return self.index * TILE_WIDTH


@dataclass(frozen=True)
class Bundle:
    """Entry bundle ``index``: entries ``index * 256`` ... , ``width`` of them."""

    index: int
    width: int = TILE_WIDTH

    def __post_init__(self) -> None:
        if self.index < 0 or not 1 <= self.width <= TILE_WIDTH:
            raise TileError(f"no such entry bundle: index {self.index}, width {self.width}")

    @property
    def path(self) -> str:
        return f"tile/entries/{encode_index(self.index)}{_suffix(self.width)}"

    @property
    def first_entry(self) -> int:
        return self.index * TILE_WIDTH


def _suffix(width: int) -> str:
    return "" if width == TILE_WIDTH else f".p/{width}"


def parse_path(path: str) -> Tile | Bundle:
    """Parse ``tile/<L>/<N>[.p/<W>]`` or ``tile/entries/<N>[.p/<W>]``, canonical forms only."""
    parts = path.split("/")
    if len(parts) < 3 or parts[0] != "tile":
        raise TileError(f"not a tile path: {path!r}")
    width = TILE_WIDTH
    if len(parts) >= 4 and parts[-2].endswith(".p"):
        if not _DECIMAL.fullmatch(parts[-1]) or not 1 <= int(parts[-1]) < TILE_WIDTH:
            raise TileError(f"bad partial width in {path!r}")
        width = int(parts[-1])
        parts = [*parts[:-2], parts[-2][:-2]]
    index = decode_index("/".join(parts[2:]))
    if parts[1] == "entries":
        return Bundle(index, width)
    if not _DECIMAL.fullmatch(parts[1]) or int(parts[1]) > 63:
        raise TileError(f"bad tile level in {path!r}")
    return Tile(int(parts[1]), index, width)


def tiles_for_size(size: int, since: int = 0) -> list[Tile]:
    """The hash tiles a tree of ``size`` leaves is served as, lowest level first.

    With ``since``, only tiles that hold a hash of leaves beyond ``since`` (the tiles a mirror
    that already checked the tree of ``since`` leaves has not seen) are listed.
    """
    tiles = []
    level = 0
    while size >> (TILE_HEIGHT * level):
        nodes = size >> (TILE_HEIGHT * level)
        old_nodes = since >> (TILE_HEIGHT * level)
        for index in range(old_nodes // TILE_WIDTH, nodes // TILE_WIDTH):
            tiles.append(Tile(level, index))
        if nodes % TILE_WIDTH and nodes > old_nodes:
            tiles.append(Tile(level, nodes // TILE_WIDTH, nodes % TILE_WIDTH))
        level += 1
    return tiles


def bundles_for_size(size: int, since: int = 0) -> list[Bundle]:
    """The entry bundles holding entries ``since`` .. ``size - 1``."""
    bundles = []
    for index in range(since // TILE_WIDTH, -(-size // TILE_WIDTH)):
        bundles.append(Bundle(index, min(TILE_WIDTH, size - index * TILE_WIDTH)))
    return bundles


def servable(item: Tile | Bundle, size: int) -> bool:
    """Whether a log of ``size`` entries can serve ``item`` (its hashes or entries all exist).

    Tiles are immutable, so any partial width up to what exists is the same bytes it was (or
    will be) at the checkpoint size it belongs to; the web layer answers 404 otherwise.
    """
    level = item.tree_level if isinstance(item, Tile) else 0
    first = item.first_node if isinstance(item, Tile) else item.first_entry
    return first + item.width <= size >> level


def read_tile(store: HashStore, tile: Tile) -> bytes:
    """The bytes of ``tile``: ``width`` consecutive 32-byte hashes from the store."""
    return store.get_range(tile.tree_level, tile.first_node, tile.first_node + tile.width)


def encode_bundle(entries: Sequence[bytes]) -> bytes:
    """An entry bundle: each entry as a big-endian uint16 length followed by its bytes."""
    if not 1 <= len(entries) <= TILE_WIDTH:
        raise TileError("an entry bundle holds 1 to 256 entries")
    out = bytearray()
    for entry in entries:
        if len(entry) > MAX_ENTRY_SIZE:
            raise TileError(f"an entry of {len(entry)} bytes does not fit an entry bundle")
        out += len(entry).to_bytes(2, "big")
        out += entry
    return bytes(out)


def parse_bundle(data: bytes, width: int | None = None) -> list[bytes]:
    """The entries of an entry bundle; refuses truncation, trailing bytes and a wrong count."""
    entries = []
    offset = 0
    while offset < len(data):
        if offset + 2 > len(data):
            raise TileError("entry bundle ends inside a length prefix")
        length = int.from_bytes(data[offset : offset + 2], "big")
        offset += 2
        if offset + length > len(data):
            raise TileError("entry bundle ends inside an entry")
        entries.append(data[offset : offset + length])
        offset += length
    if width is not None and len(entries) != width:
        raise TileError(f"entry bundle holds {len(entries)} entries, expected {width}")
    return entries


def _fetch_bundle(fetch: Fetch, bundle: Bundle) -> list[bytes]:
    """Fetch a bundle; a partial one may be gone once the full one exists (tlog-tiles)."""
    try:
        return parse_bundle(fetch(bundle.path), bundle.width)
    except TileNotFound:
        if bundle.width == TILE_WIDTH:
            raise
        return parse_bundle(fetch(Bundle(bundle.index).path), TILE_WIDTH)[: bundle.width]


@dataclass(frozen=True)
class MirrorUpdate:
    """New entries and the hash-store update that bring a mirror to a checkpoint."""

    entries: list[bytes]
    result: AppendResult


def mirror_entries(
    fetch: Fetch, checkpoint: Checkpoint, store: HashStore, size: int
) -> MirrorUpdate:
    """Fetch the entries a mirror holding ``size`` entries lacks, and check them.

    ``checkpoint`` must already be verified (log signature, and consistency is implied: the new
    root is computed by appending to the mirror's own tree, so a match proves the old tree is
    a prefix of the new one).  Entries of a partially held bundle that the mirror already has
    are compared with its stored leaf hashes.  Nothing is written: the caller stores
    ``entries`` and ``store.put_many(result.nodes)`` in one transaction, then may cosign.
    """
    if checkpoint.size < size:
        raise TileError(f"checkpoint size {checkpoint.size} is smaller than ours ({size})")
    entries: list[bytes] = []
    for bundle in bundles_for_size(checkpoint.size, size):
        got = _fetch_bundle(fetch, bundle)
        skip = max(0, size - bundle.first_entry)
        if skip:
            held = store.get_range(0, bundle.first_entry, size)
            if b"".join(hash_leaf(e) for e in got[:skip]) != held:
                raise TileError(f"{bundle.path} rewrites entries this mirror already holds")
        entries.extend(got[skip:])
    result = append(store, size, [hash_leaf(e) for e in entries])
    if result.root != checkpoint.root:
        raise TileError(
            f"the entries served for size {checkpoint.size} do not hash to the checkpoint root"
        )
    return MirrorUpdate(entries, result)


def check_tiles(fetch: Fetch, store: HashStore, size: int, since: int = 0) -> int:
    """Compare the hash tiles the log serves for ``size`` with the mirror's own store.

    Run after :func:`mirror_entries` has been persisted; clients that compute proofs from the
    log's tiles rely on them.  Returns the number of tiles checked; raises :class:`TileError`
    naming the first tile that differs.
    """
    tiles = tiles_for_size(size, since)
    for tile in tiles:
        if fetch(tile.path) != read_tile(store, tile):
            raise TileError(f"{tile.path} differs from the tree built from the entries")
    return len(tiles)


class TileHashStore:
    """A read-only :class:`HashStore` over the tiles of a log at one checkpoint size.

    Node ``(level, index)`` is read from tile-level ``level // 8`` and, between tile levels,
    recomputed from the ``2 ** (level % 8)`` tile hashes below it.  Tiles are fetched on first
    use and kept, so :func:`smolny.record.proofs.inclusion_proof` on this store fetches only the
    O(log n) tiles a proof needs.  Check :func:`smolny.record.proofs.tree_root` of this store
    against the verified checkpoint root before trusting proofs from it.
    """

    def __init__(self, fetch: Fetch, size: int) -> None:
        self._fetch = fetch
        self.size = size
        self._tiles: dict[tuple[int, int], bytes] = {}
        self.fetched: list[str] = []

    def _tile(self, level: int, index: int) -> bytes:
        key = (level, index)
        if key not in self._tiles:
            nodes = self.size >> (TILE_HEIGHT * level)
            width = min(TILE_WIDTH, nodes - index * TILE_WIDTH)
            if width <= 0:
                raise MissingHash(TILE_HEIGHT * level, index * TILE_WIDTH)
            tile = Tile(level, index, width)
            try:
                data = self._fetch(tile.path)
            except TileNotFound:
                if width == TILE_WIDTH:
                    raise
                data = self._fetch(Tile(level, index).path)[: width * HASH_SIZE]
            if len(data) != width * HASH_SIZE:
                raise TileError(f"{tile.path} is {len(data)} bytes, expected {width * HASH_SIZE}")
            self.fetched.append(tile.path)
            self._tiles[key] = data
        return self._tiles[key]

    def get(self, level: int, index: int) -> bytes:
        if level < 0 or index < 0 or (index + 1) << level > self.size:
            raise MissingHash(level, index)
        tile_level, height = divmod(level, TILE_HEIGHT)
        first = index << height  # first node of tile_level's tree level under this node
        data = self._tile(tile_level, first // TILE_WIDTH)
        offset = first % TILE_WIDTH
        hashes = data[offset * HASH_SIZE : (offset + (1 << height)) * HASH_SIZE]
        for _ in range(height):
            hashes = hash_pairs(hashes, len(hashes) // (2 * HASH_SIZE))
        return hashes

    def get_many(self, keys: Sequence[tuple[int, int]]) -> list[bytes]:
        return [self.get(level, index) for level, index in keys]

    def get_range(self, level: int, start: int, stop: int) -> bytes:
        return b"".join(self.get(level, index) for index in range(start, stop))

    def put_many(self, runs: Sequence[HashRun]) -> None:
        raise TypeError("a TileHashStore is read-only")

    def root(self) -> bytes:
        return tree_root(self, self.size)
