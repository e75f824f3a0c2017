"""Raw pages: the bytes a fetched revision was extracted from, kept for `reextract`.

A page is packed by :mod:`revtrack.store.codec` with the policy of the texts
(:mod:`revtrack.store.texts`): a zstd keyframe, or a zstd delta against the article's previous
kept page while that keeps the chain to a keyframe at most ``MAX_CHAIN`` deltas long (else
against that keyframe), and a fresh keyframe every ``KEYFRAME_INTERVAL`` revisions. Two
fetches of one story share nearly all their markup (navigation, scripts, footer), so a delta
costs about what changed. Rows are written once (the triggers of migration 0005 refuse the
rest) and read only by `reextract` and `verify`, so nothing is cached.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, and_, func, select, text

from revtrack.errors import DatabaseError
from revtrack.store import codec
from revtrack.store.base import TxBase
from revtrack.store.models import Article, Revision, RevisionRaw

_RAW = cast(Table, RevisionRaw.__table__)
_INSERT_RAW = _RAW.insert()

_RAW_CHAIN = text(
    """
    WITH RECURSIVE chain(revision_id, codec, base_revision_id, data, depth) AS (
        SELECT revision_id, codec, base_revision_id, data, 0
        FROM revision_raw WHERE revision_id = :rid
        UNION ALL
        SELECT r.revision_id, r.codec, r.base_revision_id, r.data, chain.depth + 1
        FROM revision_raw r JOIN chain ON r.revision_id = chain.base_revision_id
        WHERE chain.depth < 64
    )
    SELECT revision_id, codec, data FROM chain ORDER BY depth
    """
)


@dataclass(frozen=True)
class RawPage:
    """A kept page as it was fetched."""

    revision_id: int
    body: bytes
    content_type: str
    url: str
    sha256: str


@dataclass(frozen=True)
class RawInfo:
    """A kept page's row without its bytes: for listings and the benchmark."""

    revision_id: int
    codec: str
    base_revision_id: int | None
    stored: int  # bytes as packed
    size: int  # bytes as fetched
    sha256: str
    article_id: int
    number: int
    url: str
    key: str  # the article's


def raw_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


class RawMixin(TxBase):
    """Keeping a revision's raw page, and reading it back."""

    def add_raw(
        self,
        article_id: int,
        revision_id: int,
        number: int,
        body: bytes,
        content_type: str,
        url: str,
    ) -> str:
        """Keep ``body`` as the raw page of revision ``revision_id``; its SHA-256 (hex)."""
        row: dict[str, object] = {
            "revision_id": revision_id,
            "base_revision_id": None,
            "content_type": content_type[:200],
            "url": url,
            "size": len(body),
            "sha256": raw_hash(body),
        }
        base = self._raw_base(article_id, number)
        if base is not None:
            delta = codec.encode_delta_bytes(body, self._raw_bytes(base))
            if codec.delta_pays_bytes(delta, body):
                row.update(codec="zstd-delta", base_revision_id=base, data=delta)
        if row["base_revision_id"] is None:
            row.update(codec="zstd", data=codec.encode_bytes(body))
        self.session.execute(_INSERT_RAW, row)
        return str(row["sha256"])

    def _raw_base(self, article_id: int, number: int) -> int | None:
        """The revision whose page a new page of revision ``number`` is a delta against."""
        prev = self.session.execute(
            select(RevisionRaw.revision_id, Revision.number)
            .join(Revision, Revision.id == RevisionRaw.revision_id)
            .where(and_(Revision.article_id == article_id, Revision.number < number))
            .order_by(Revision.number.desc())
            .limit(1)
        ).first()
        if prev is None:
            return None
        chain = self._raw_chain(int(prev[0]))
        keyframe_id = chain[-1][0]
        keyframe_number = self.session.scalar(
            select(Revision.number).where(Revision.id == keyframe_id)
        )
        if keyframe_number is None or number - int(keyframe_number) >= codec.KEYFRAME_INTERVAL:
            return None
        return int(prev[0]) if len(chain) - 1 < codec.MAX_CHAIN else keyframe_id

    def _raw_chain(self, revision_id: int) -> list[tuple[int, str, bytes]]:
        rows = [
            (int(r[0]), str(r[1]), bytes(r[2]))
            for r in self.session.execute(_RAW_CHAIN, {"rid": revision_id})
        ]
        if not rows or rows[-1][1] != "zstd":
            raise DatabaseError(f"Revision id {revision_id} has no complete chain of raw page.")
        return rows

    def _raw_bytes(self, revision_id: int) -> bytes:
        chain = self._raw_chain(revision_id)
        return codec.decode_chain_bytes(chain[-1][2], [d for _, _, d in reversed(chain[:-1])])

    def load_raw(self, revision_id: int) -> RawPage | None:
        """The kept page of a revision, rebuilt; None when none was kept (a file, a text)."""
        row = self.session.execute(
            select(RevisionRaw.content_type, RevisionRaw.url, RevisionRaw.sha256).where(
                RevisionRaw.revision_id == revision_id
            )
        ).first()
        if row is None:
            return None
        return RawPage(revision_id, self._raw_bytes(revision_id), str(row[0]), str(row[1]), row[2])

    def raw_infos(self, article_id: int | None = None) -> list[RawInfo]:
        """Every kept page's row (of one article, or all), in article and revision order."""
        query = (
            select(
                RevisionRaw.revision_id,
                RevisionRaw.codec,
                RevisionRaw.base_revision_id,
                func.length(RevisionRaw.data),
                RevisionRaw.size,
                RevisionRaw.sha256,
                Revision.article_id,
                Revision.number,
                RevisionRaw.url,
                Article.key,
            )
            .join(Revision, Revision.id == RevisionRaw.revision_id)
            .join(Article, Article.id == Revision.article_id)
            .order_by(Revision.article_id, Revision.number)
        )
        if article_id is not None:
            query = query.where(Revision.article_id == article_id)
        return [
            RawInfo(
                int(r[0]),
                str(r[1]),
                r[2],
                int(r[3]),
                int(r[4]),
                str(r[5]),
                int(r[6]),
                int(r[7]),
                str(r[8]),
                str(r[9]),
            )
            for r in self.session.execute(query)
        ]
