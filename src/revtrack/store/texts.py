"""Revision texts: how they are packed, rebuilt and cached.

Text is written through :mod:`revtrack.store.codec`: a revision is a keyframe or a delta
against its article's current keyframe, with a new keyframe every ``KEYFRAME_INTERVAL``
revisions and deltas chained at most ``MAX_CHAIN`` deep, so rebuilding any revision costs at
most ``MAX_CHAIN + 1`` decompressions, read in one statement (a recursive query down the
``base_revision_id`` links, or the joins of the quick reads in :mod:`revtrack.store.quick`).
Text rows are written once and never changed, so decoded texts are kept in a small LRU cache
by revision id, shared by every transaction of a :class:`~revtrack.store.store.Store`:
walking an article's history (diff, blame, audit) rebuilds each revision once. A transaction
that rolls back drops what it put there, because its revision ids may be used again.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, and_, func, select, text
from sqlalchemy.orm import Session

from revtrack.errors import DatabaseError
from revtrack.store import codec
from revtrack.store.base import TxBase
from revtrack.store.models import Revision, RevisionText, TextPack, TextPiece
from revtrack.store.text_chain import (
    CHAIN_SQL,
    LRUCache,
    decode_chain,
    joined_chain,
)

__all__ = ["LRUCache", "TextsMixin", "chain_rows", "decode_chain", "joined_chain"]

_CHAIN_QUERY = text(CHAIN_SQL)


def chain_rows(executor: Session | Connection, revision_id: int) -> list[tuple[int, str, bytes]]:
    """(id, codec, data) from the revision down to its keyframe, in one query."""
    rows = [
        (int(r[0]), str(r[1]), bytes(r[2]))
        for r in executor.execute(_CHAIN_QUERY, {"rid": revision_id})
    ]
    if not rows or rows[-1][1] != "zstd":
        raise DatabaseError(f"Revision id {revision_id} has no complete chain of stored text.")
    return rows


class TextsMixin(TxBase):
    """Packing a new revision's text, and rebuilding any revision's."""

    def _store_text(self, article_id: int, revision_id: int, number: int, text: str) -> None:
        """Pack ``text`` as a keyframe or a delta (see :mod:`revtrack.store.codec`)."""
        row: dict[str, Any] = {"revision_id": revision_id, "base_revision_id": None}
        depth = 0
        prev = self._chain_tip(article_id, number)
        if prev is not None:
            prev_id, prev_depth, keyframe_id, keyframe_number = prev
            if number - keyframe_number < codec.KEYFRAME_INTERVAL:
                if prev_depth < codec.MAX_CHAIN:
                    base_id, depth = prev_id, prev_depth + 1
                else:
                    base_id, depth = keyframe_id, 1
                delta = codec.encode_delta(text, self.load_text(base_id))
                if codec.delta_pays(delta, text):
                    row.update(codec="zstd-delta", base_revision_id=base_id, data=delta)
                else:
                    depth = 0
        if depth == 0:
            row.update(codec="zstd", data=codec.encode(text))
        self._pending_texts.append(row)
        self.store._cache.put(revision_id, text)
        self._cached.append(revision_id)
        if depth == 0:
            self._tips[article_id] = (revision_id, 0, revision_id, number)
        else:
            assert prev is not None
            self._tips[article_id] = (revision_id, depth, prev[2], prev[3])

    def _chain_tip(self, article_id: int, number: int) -> tuple[int, int, int, int] | None:
        """(id, chain depth, keyframe id, keyframe number) of the article's previous revision."""
        if article_id in self._tips:
            return self._tips[article_id]
        prev_id = self.session.scalar(
            select(Revision.id)
            .where(and_(Revision.article_id == article_id, Revision.number < number))
            .order_by(Revision.number.desc())
            .limit(1)
        )
        if prev_id is None:
            return None
        chain = self._chain_rows(int(prev_id))
        keyframe_id = chain[-1][0]
        keyframe_number = self.session.scalar(
            select(Revision.number).where(Revision.id == keyframe_id)
        )
        assert keyframe_number is not None
        return int(prev_id), len(chain) - 1, keyframe_id, int(keyframe_number)

    def _chain_rows(self, revision_id: int) -> list[tuple[int, str, bytes]]:
        """(id, codec, data) from the revision down to its keyframe, in one query."""
        self.flush_appends()  # the batched rows of this transaction must be in the table
        return chain_rows(self.session, revision_id)

    def load_text(self, revision_id: int) -> str:
        """The exact text of a revision, rebuilt from its keyframe through its deltas."""
        cached = self.store._cache.get(revision_id)
        if cached is not None:
            return cached
        text = decode_chain(self._chain_rows(revision_id))
        self.store._cache.put(revision_id, text)
        return text

    def raw_text_row(self, revision_id: int) -> tuple[str, int | None, bytes]:
        """(codec, base revision id, codec output) of a revision's text, loose or packed."""
        self.flush_appends()
        row = self.session.execute(
            select(RevisionText.codec, RevisionText.base_revision_id, RevisionText.data).where(
                RevisionText.revision_id == revision_id
            )
        ).first()
        if row is None:
            piece = self.session.execute(
                select(
                    TextPiece.base_revision_id,
                    func.substr(TextPack.data, TextPiece.start + 1, TextPiece.length),
                )
                .join(TextPack, TextPack.id == TextPiece.pack_id)
                .where(TextPiece.revision_id == revision_id)
            ).one()
            base = piece[0]
            return ("zstd" if base is None else "zstd-delta"), base, bytes(piece[1])
        return str(row[0]), row[1], bytes(row[2])
