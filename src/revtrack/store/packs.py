"""`revtrack pack`: loose text rows moved several to a blob, the way ``git gc`` packs objects.

Every revision's text is first written as its own ``revision_texts`` row (a zstd keyframe or
a delta, :mod:`revtrack.store.codec`). One row per text wastes about a fifth of the text's
pages on the shared corpora: SQLite fills a 4 KB B-tree leaf with whole cells, and a 1-4 KB
keyframe seldom fits the room the cells before it left (bench/results/store.md, "Packed
texts"). Packing concatenates the rows of whole articles, oldest first, into blobs of about
:data:`PACK_TARGET` bytes (``text_packs``) and records where each one is (``text_pieces``:
pack, start, length, delta base), then deletes the loose rows, all in one transaction.

Nothing is re-encoded: each piece is byte for byte the codec output its row held, so every
text rebuilds exactly as before and every seal (which hashes the text's SHA-256, not its
bytes) still holds; `verify` rebuilds each revision from wherever its text is and names the
first whose hash breaks, and checks each pack against its own SHA-256. Readers take a text
from its row or its piece in the same statement (:data:`revtrack.store.text_chain.CHAIN_SQL`,
the joins of :mod:`revtrack.store.quick`), so packing can run at any time, beside readers, and
again later for the rows written since. Packs are append-only, and the guard of migration
0009 lets a loose row go only once a piece holds exactly its bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, select

from revtrack.store.base import TxBase
from revtrack.store.models import Revision, RevisionText, TextPack, TextPiece

PACK_TARGET = 16 * 1024
"""Bytes of codec output per pack, about. Larger packs waste less of their last page, but
SQLite reads a whole blob (its chain of overflow pages) to cut any piece out of it, so every
`show` pays for the pack's size. On the shared corpora (bench/results/store.md, "Packed
texts") 8, 16, 32 and 64 KB packs give 1,339 / 1,326 / 1,316 / 1,313 B per version for the
whole database (1,445 unpacked), and the `show` statement costs 14, 23 and 40 us more (CPU
p50) at 16, 32 and 64 KB than on loose rows: 16 KB keeps 90% of the saving for a third of
the cost."""

ROWS_PER_CALL = 20_000
"""Loose rows one :meth:`PacksMixin.pack_texts` call moves at most (one transaction each)."""

_INSERT_PIECE = cast(Table, TextPiece.__table__).insert()


@dataclass(frozen=True)
class PackResult:
    """What one call packed: packs written, rows moved, and their bytes of codec output."""

    packs: int = 0
    rows: int = 0
    bytes: int = 0

    def __add__(self, other: PackResult) -> PackResult:
        return PackResult(
            self.packs + other.packs, self.rows + other.rows, self.bytes + other.bytes
        )


class PacksMixin(TxBase):
    """Moving loose text rows into packs, and checking packs against their hashes."""

    def pack_texts(self, *, target: int = PACK_TARGET, max_rows: int = ROWS_PER_CALL) -> PackResult:
        """Pack up to ``max_rows`` loose text rows, whole articles at a time where they fit.

        Rows are taken by article, then revision id, so an article's chain sits in one pack
        (a `show` cuts every level from the same blob); an article cut by ``max_rows`` goes
        on in the next call's first pack, which readers follow all the same."""
        self.flush_appends()
        rows = self.session.execute(
            select(RevisionText.revision_id, Revision.article_id, func.length(RevisionText.data))
            .join(Revision, Revision.id == RevisionText.revision_id)
            .order_by(Revision.article_id, RevisionText.revision_id)
            .limit(max_rows)
        ).all()
        result = PackResult()
        group: list[int] = []
        size = 0
        article: int | None = None
        for revision_id, article_id, length in rows:
            if group and article_id != article and size >= target:
                result += self._write_pack(group)
                group, size = [], 0
            group.append(int(revision_id))
            size += int(length)
            article = int(article_id)
        if group:
            result += self._write_pack(group)
        return result

    def _write_pack(self, revision_ids: list[int]) -> PackResult:
        """One pack of the loose rows ``revision_ids`` (in that order), their pieces, and
        the rows deleted (the guard checks each against its piece)."""
        found = {
            int(r[0]): (r[1], bytes(r[2]))
            for r in self.session.execute(
                select(
                    RevisionText.revision_id, RevisionText.base_revision_id, RevisionText.data
                ).where(RevisionText.revision_id.in_(revision_ids))
            )
        }
        pieces: list[dict[str, Any]] = []
        parts: list[bytes] = []
        start = 0
        for revision_id in revision_ids:
            base, data = found[revision_id]
            pieces.append(
                {
                    "revision_id": revision_id,
                    "start": start,
                    "length": len(data),
                    "base_revision_id": base,
                }
            )
            parts.append(data)
            start += len(data)
        blob = b"".join(parts)
        pack_id = self.session.execute(
            insert(TextPack)
            .values(data=blob, sha256=hashlib.sha256(blob).hexdigest())
            .returning(TextPack.id)
        ).scalar_one()
        for piece in pieces:
            piece["pack_id"] = pack_id
        self.session.execute(_INSERT_PIECE, pieces)
        self.session.execute(delete(RevisionText).where(RevisionText.revision_id.in_(revision_ids)))
        return PackResult(1, len(pieces), len(blob))

    def loose_texts(self) -> tuple[int, int]:
        """(rows, bytes of codec output) of the text rows not yet packed."""
        self.flush_appends()
        row = self.session.execute(
            select(
                func.count(), func.coalesce(func.sum(func.length(RevisionText.data)), 0)
            ).select_from(RevisionText)
        ).one()
        return int(row[0]), int(row[1])

    def broken_packs(self) -> list[int]:
        """Ids of the packs whose bytes no longer match their SHA-256, oldest first."""
        broken: list[int] = []
        last = 0
        while True:  # one pack at a time: a database's packs need not fit in memory
            row = self.session.execute(
                select(TextPack.id, TextPack.data, TextPack.sha256)
                .where(TextPack.id > last)
                .order_by(TextPack.id)
                .limit(1)
            ).first()
            if row is None:
                return broken
            last = int(row[0])
            if hashlib.sha256(bytes(row[1])).hexdigest() != row[2]:
                broken.append(last)
