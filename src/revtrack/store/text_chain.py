"""Rebuilding a revision's text from its stored rows, and the cache of rebuilt texts.

Pure helpers (no database library) shared by the store's SQLAlchemy reads
(:mod:`revtrack.store.texts`, :mod:`revtrack.store.quick`) and the stdlib-only reader of
:mod:`revtrack.store.lite`: a chain is the list of ``(revision_id, codec, data)`` rows from a
revision down to its keyframe, as :data:`CHAIN_SQL` (or the quick reads' joins) return it,
whether each row is loose or packed (:mod:`revtrack.store.packs`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import Any, Generic, TypeVar

from revtrack.store import codec

K = TypeVar("K")
V = TypeVar("V")


class LRUCache(Generic[K, V]):
    """A small thread-safe LRU (the web UI reads from several threads)."""

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._data: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def get_many(self, keys: Iterable[K]) -> dict[K, V]:
        """The cached ones of ``keys`` (one lock for all of them)."""
        found: dict[K, V] = {}
        with self._lock:
            for key in keys:
                value = self._data.get(key)
                if value is not None:
                    self._data.move_to_end(key)
                    found[key] = value
        return found

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self._size:
                self._data.popitem(last=False)

    def drop(self, key: K) -> None:
        with self._lock:
            self._data.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


PIECE_CODEC = "CASE WHEN {p}.base_revision_id IS NULL THEN 'zstd' ELSE 'zstd-delta' END"
"""A packed piece's codec: implied by whether it has a base (see ``models.TextPiece``)."""
PIECE_DATA = "substr({k}.data, {p}.start + 1, {p}.length)"
"""A packed piece's bytes, cut out of its pack in SQL (SQLite and PostgreSQL alike)."""

CHAIN_SQL = f"""
    WITH RECURSIVE chain(revision_id, codec, base_revision_id, data, depth) AS (
        SELECT revision_id, CAST(codec AS VARCHAR(16)), base_revision_id, data, 0
        FROM revision_texts WHERE revision_id = :rid
        UNION ALL
        SELECT p.revision_id, CAST({PIECE_CODEC.format(p="p")} AS VARCHAR(16)),
               p.base_revision_id, {PIECE_DATA.format(k="k", p="p")}, 0
        FROM text_pieces p JOIN text_packs k ON k.id = p.pack_id WHERE p.revision_id = :rid
        UNION ALL
        SELECT coalesce(t.revision_id, p.revision_id),
               CAST(coalesce(t.codec, {PIECE_CODEC.format(p="p")}) AS VARCHAR(16)),
               coalesce(t.base_revision_id, p.base_revision_id),
               coalesce(t.data, {PIECE_DATA.format(k="k", p="p")}), chain.depth + 1
        FROM chain
        LEFT JOIN revision_texts t ON t.revision_id = chain.base_revision_id
        LEFT JOIN text_pieces p ON p.revision_id = chain.base_revision_id
        LEFT JOIN text_packs k ON k.id = p.pack_id
        WHERE chain.base_revision_id IS NOT NULL AND chain.depth < 64
          AND (t.revision_id IS NOT NULL OR p.revision_id IS NOT NULL)
    )
    SELECT revision_id, codec, data FROM chain ORDER BY depth
    """
"""A revision's stored text and every row down to its keyframe (depth guards a cycle), each
from its loose ``revision_texts`` row or from its piece of a pack, whichever holds it."""


def decode_chain(chain: Sequence[tuple[int, str, bytes]]) -> str:
    """The text of ``chain[0]``: decode the keyframe (last), then apply each delta upwards."""
    return codec.decode_chain(chain[-1][2], [data for _, _, data in reversed(chain[:-1])])


def joined_chain(cells: Sequence[Any]) -> list[tuple[int, str, bytes]] | None:
    """The chain from a quick read's joined text columns (see :mod:`revtrack.store.quick`).

    None if it stops short of a keyframe: the chain is deeper than the joins reach.
    """
    chain: list[tuple[int, str, bytes]] = []
    for i in range(0, len(cells), 3):
        rid, codec_name, data = cells[i : i + 3]
        if rid is None:
            break
        chain.append((int(rid), str(codec_name), bytes(data)))
        if codec_name == "zstd":
            return chain
    return None
