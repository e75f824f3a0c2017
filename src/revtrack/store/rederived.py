"""Re-derived texts: a revision's text read again from its kept page (`reextract`).

The original text of a revision is never touched: a re-derived text is a row of its own,
packed as a zstd delta against that original (an extractor's or a rule's change removes or
adds a little, so the delta is small) or alone when the delta does not pay. Rows are only
appended (triggers of migration 0005); a revision's reading is its latest row, or its original
text when it has none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Table, bindparam, select

from revtrack.records import DerivationRecord
from revtrack.store import codec
from revtrack.store.base import utcnow
from revtrack.store.models import Revision, RevisionRederived
from revtrack.store.texts import TextsMixin

_REDERIVED = cast(Table, RevisionRederived.__table__)
_INSERT = _REDERIVED.insert().returning(_REDERIVED.c.id)


@dataclass(frozen=True)
class Rederived:
    """One re-derived reading of a revision."""

    id: int
    revision_id: int
    raw_revision_id: int
    text: str
    text_hash: str
    content_hash: str
    title: str | None
    rules: dict[str, Any]
    extractor: str
    actor: str
    created_at: datetime

    def record(self, count: int = 1) -> DerivationRecord:
        """What the layers above say of this reading (its text apart); ``count``: how many
        re-derived readings the revision has, this the newest."""
        return DerivationRecord(
            id=self.id,
            revision_id=self.revision_id,
            created_at=self.created_at,
            extractor=self.extractor,
            rules=dict(self.rules),
            actor=self.actor,
            title=self.title,
            chars=len(self.text),
            content_hash=self.content_hash,
            text_hash=self.text_hash,
            count=count,
        )


@lru_cache(maxsize=1)
def has_rederived_query() -> Any:
    """The first revision among ``:ids`` that has a re-derived reading (the quick reads
    step aside for those: the general path reads them)."""
    return (
        select(RevisionRederived.revision_id)
        .where(RevisionRederived.revision_id.in_(bindparam("ids", expanding=True)))
        .limit(1)
    )


class RederivedMixin(TextsMixin):
    """Appending a re-derived text, and reading a revision's latest."""

    def add_rederived(
        self,
        revision_id: int,
        text: str,
        *,
        raw_revision_id: int,
        text_hash: str,
        content_hash: str,
        title: str | None,
        rules: dict[str, Any],
        extractor: str,
        actor: str,
        at: datetime | None = None,
    ) -> int:
        delta = codec.encode_delta(text, self.load_text(revision_id))
        packed = ("zstd-delta", delta) if codec.delta_pays(delta, text) else None
        name, data = packed or ("zstd", codec.encode(text))
        row = {
            "revision_id": revision_id,
            "raw_revision_id": raw_revision_id,
            "codec": name,
            "data": data,
            "text_hash": text_hash,
            "content_hash": content_hash,
            "title": title,
            "chars": len(text),
            "rules": rules,
            "extractor": extractor[:64],
            "actor": actor,
            "created_at": at or utcnow(),
        }
        return int(self.session.execute(_INSERT, row).scalar_one())

    def rederived(self, revision_id: int) -> list[Rederived]:
        """Every re-derived reading of a revision, oldest first."""
        return self._rederived(RevisionRederived.revision_id == revision_id)

    def article_rederived(self, article_id: int) -> list[Rederived]:
        """Every re-derived reading of an article's revisions, oldest first (for `verify`)."""
        ids = select(Revision.id).where(Revision.article_id == article_id)
        return self._rederived(RevisionRederived.revision_id.in_(ids.scalar_subquery()))

    def _rederived(self, where: Any) -> list[Rederived]:
        rows = self.session.execute(
            select(RevisionRederived).where(where).order_by(RevisionRederived.id)
        ).scalars()
        found = []
        for row in rows:
            if row.codec == "zstd":
                text = codec.decode(row.data)
            else:
                text = codec.decode_delta(row.data, self.load_text(row.revision_id))
            found.append(
                Rederived(
                    id=row.id,
                    revision_id=row.revision_id,
                    raw_revision_id=row.raw_revision_id,
                    text=text,
                    text_hash=row.text_hash,
                    content_hash=row.content_hash,
                    title=row.title,
                    rules=dict(row.rules or {}),
                    extractor=row.extractor,
                    actor=row.actor,
                    created_at=row.created_at,
                )
            )
        return found

    def reading_hashes(self, article_id: int) -> dict[int, str]:
        """Revision id -> content hash of its reading (latest re-derived, else original)."""
        hashes = {
            int(rid): str(chash)
            for rid, chash in self.session.execute(
                select(Revision.id, Revision.content_hash).where(Revision.article_id == article_id)
            )
        }
        rows = self.session.execute(
            select(RevisionRederived.revision_id, RevisionRederived.content_hash)
            .join(Revision, Revision.id == RevisionRederived.revision_id)
            .where(Revision.article_id == article_id)
            .order_by(RevisionRederived.id)
        )
        for rid, chash in rows:  # oldest first: the latest reading wins
            hashes[int(rid)] = str(chash)
        return hashes

    def reading(self, revision_id: int) -> tuple[str, Rederived | None]:
        """A revision's text as it now reads: its latest re-derived text, else the original."""
        found = self.rederived(revision_id)
        if found:
            return found[-1].text, found[-1]
        return self.load_text(revision_id), None

    def derivation(self, revision_id: int) -> tuple[str, DerivationRecord] | None:
        """A revision's newest re-derived text and what it was read with; None when it has
        none (it reads as ingested)."""
        found = self.rederived(revision_id)
        if not found:
            return None
        return found[-1].text, found[-1].record(len(found))

    def article_derivations(self, article_id: int) -> dict[int, tuple[str, DerivationRecord]]:
        """Revision id -> its newest re-derived text and record, for the article's revisions
        that have one (what an audit or a blame of the article reads)."""
        by_revision: dict[int, list[Rederived]] = {}
        for row in self.article_rederived(article_id):
            by_revision.setdefault(row.revision_id, []).append(row)
        return {
            rid: (rows[-1].text, rows[-1].record(len(rows))) for rid, rows in by_revision.items()
        }
