"""Revisions: one row per captured version, numbered 1, 2, … within its article.

The next number is the latest + 1 and the unique (article, number) pair is what guards it when
writers race, never a lock of ours. Each row carries the hash of its exact text, the hash of its
normalized text (for "unchanged" and revert detection: :meth:`RevisionsMixin.find_content`) and
a chain hash over its predecessor, so an edit made behind revtrack's back is found by
``verify``. Rows are only ever appended (the triggers of migration 0002 refuse the rest), and
are appended with Core inserts: a bulk import writes thousands that nothing reads back as ORM
entities. The text goes to :mod:`revtrack.store.texts` in the same call.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import (
    LargeBinary,
    Table,
    and_,
    bindparam,
    func,
    literal_column,
    select,
    type_coerce,
)
from sqlalchemy.orm import aliased

from revtrack.records import ArticleRecord, RevisionRecord
from revtrack.store.base import utcnow
from revtrack.store.hashing import GENESIS, revision_chain_hash
from revtrack.store.heads import HeadsMixin
from revtrack.store.models import CONTENT_PREFIX, Article, Revision
from revtrack.store.sources import shown_source, stored_source
from revtrack.store.texts import TextsMixin


@lru_cache(maxsize=1)
def _revision_query() -> Any:  # a Select; its generic form differs across SQLAlchemy 2.x
    """Revision rows with their article key and the number they revert to.

    Built once: constructing the aliased join costs more than running the query.
    """
    reverted = aliased(Revision)
    return (
        select(Revision, Article.key, reverted.number)
        .join(Article, Article.id == Revision.article_id)
        .outerjoin(reverted, reverted.id == Revision.revert_of_id)
    )


@lru_cache(maxsize=1)
def _revision_by_number() -> Any:
    return _revision_query().where(
        and_(Revision.article_id == bindparam("aid"), Revision.number == bindparam("n"))
    )


_REVISIONS = cast(Table, Revision.__table__)
_INSERT_REVISION = _REVISIONS.insert().returning(_REVISIONS.c.id)
# The prefix as the index ix_revisions_article_content8 writes it, literals and all (a bound
# 1 or 8 would not match the indexed expression), then the whole hash.
_CONTENT_PREFIX = func.substr(
    _REVISIONS.c.content_hash, literal_column("1"), literal_column(str(CONTENT_PREFIX))
)
_FIND_CONTENT = select(_REVISIONS.c.id, _REVISIONS.c.number).where(
    and_(
        _REVISIONS.c.article_id == bindparam("aid"),
        type_coerce(_CONTENT_PREFIX, LargeBinary) == bindparam("prefix", type_=LargeBinary),
        _REVISIONS.c.content_hash == bindparam("chash"),
    )
)
"""Every revision of the article with that hash (no ORDER BY: sorting by number would lead
SQLite to walk the article's rows in number order instead of using the prefix index)."""


def revision_record(row: Revision, key: str, revert_number: int | None) -> RevisionRecord:
    return RevisionRecord(
        id=row.id,
        article_id=row.article_id,
        article_key=key,
        number=row.number,
        captured_at=row.captured_at,
        ingested_at=row.ingested_at,
        source=shown_source(key, row.source),
        source_kind=row.source_kind,
        title=row.title,
        byline=row.byline,
        content_hash=row.content_hash,
        text_hash=row.text_hash,
        chain_hash=row.chain_hash,
        revert_of=revert_number,
        chars=row.chars,
        words=row.words,
        words_added=row.words_added,
        words_removed=row.words_removed,
        hunks=row.hunks,
        substantive_hunks=row.substantive_hunks,
        stats=dict(row.stats or {}),
        meta=dict(row.meta or {}),
        seal=row.seal,
    )


def from_row(row: Any) -> RevisionRecord:
    return revision_record(row[0], row[1], row[2])


class RevisionsMixin(TextsMixin, HeadsMixin):
    """Reading revisions by number, time, content or URL, and appending the next one."""

    def revisions(self, article_id: int) -> list[RevisionRecord]:
        query = _revision_query().where(Revision.article_id == article_id).order_by(Revision.number)
        return [from_row(row) for row in self.session.execute(query)]

    def revision(self, article_id: int, number: int) -> RevisionRecord | None:
        row = self.session.execute(_revision_by_number(), {"aid": article_id, "n": number}).first()
        return None if row is None else from_row(row)

    def latest_revision(self, article_id: int) -> RevisionRecord | None:
        if article_id in self._latest:
            return self._latest[article_id]
        query = (
            _revision_query()
            .where(Revision.article_id == article_id)
            .order_by(Revision.number.desc())
            .limit(1)
        )
        row = self.session.execute(query).first()
        return None if row is None else from_row(row)

    def latest_fetch_of(self, url: str) -> RevisionRecord | None:
        """The newest revision fetched from ``url`` (any article): its HTTP validators."""
        query = (
            _revision_query()
            .where(and_(Revision.source_kind == "url", Revision.source == url))
            .order_by(Revision.id.desc())
            .limit(1)
        )
        row = self.session.execute(query).first()
        return None if row is None else from_row(row)

    def revision_count(self, article_id: int) -> int:
        query = select(func.count(Revision.id)).where(Revision.article_id == article_id)
        return int(self.session.scalar(query) or 0)

    def revision_at(self, article_id: int, moment: datetime) -> RevisionRecord | None:
        """The revision current at ``moment``: the last one captured at or before it."""
        query = (
            _revision_query()
            .where(and_(Revision.article_id == article_id, Revision.captured_at <= moment))
            .order_by(Revision.captured_at.desc(), Revision.number.desc())
            .limit(1)
        )
        row = self.session.execute(query).first()
        return None if row is None else from_row(row)

    def find_content(self, article_id: int, content_hash: str) -> tuple[int, int] | None:
        """(id, number) of the article's earliest revision with this normalized-text hash."""
        if article_id in self._contents:
            return self._contents[article_id].get(content_hash)
        prefix = bytes.fromhex(content_hash)[:CONTENT_PREFIX]
        rows = self.session.execute(
            _FIND_CONTENT, {"aid": article_id, "prefix": prefix, "chash": content_hash}
        ).all()
        if not rows:
            return None
        first = min(rows, key=lambda row: int(row[1]))
        return int(first[0]), int(first[1])

    def add_revision(
        self,
        article: ArticleRecord,
        text: str,
        *,
        captured_at: datetime,
        source: str,
        source_kind: str,
        title: str | None,
        byline: str | None,
        content_hash: str,
        text_hash: str,
        revert_of_id: int | None,
        revert_of_number: int | None,
        words: int,
        stats: dict[str, Any],
        meta: dict[str, Any] | None = None,
    ) -> RevisionRecord:
        """Append the next revision of ``article`` (number = latest + 1) with its text."""
        latest: Any
        if article.id in self._latest:  # written, or created, by this transaction
            known = self._latest[article.id]
            latest = None if known is None else (known.number, known.chain_hash)
        else:
            latest = self.session.execute(
                select(Revision.number, Revision.chain_hash)
                .where(Revision.article_id == article.id)
                .order_by(Revision.number.desc())
                .limit(1)
            ).first()
        number = 1 if latest is None else latest[0] + 1
        prev_chain = GENESIS if latest is None else latest[1]
        values: dict[str, Any] = {
            "article_id": article.id,
            "number": number,
            "captured_at": captured_at,
            "ingested_at": utcnow(),
            "source": source,
            "source_kind": source_kind,
            "title": title,
            "byline": byline,
            "content_hash": content_hash,
            "text_hash": text_hash,
            "chain_hash": revision_chain_hash(
                prev_chain, article.key, number, text_hash, captured_at, revert_of_number
            ),
            "revert_of_id": revert_of_id,
            "chars": len(text),
            "words": words,
            "words_added": int(stats.get("words_added", 0)),
            "words_removed": int(stats.get("words_removed", 0)),
            "hunks": int(stats.get("hunks", 0)),
            "substantive_hunks": int(stats.get("substantive_hunks", 0)),
            "stats": {
                k: v
                for k, v in stats.items()
                if v and k not in {"words_added", "words_removed", "hunks", "substantive_hunks"}
            },
            "meta": meta or {},
        }
        values["seal"] = self.sealed(
            article.key, "revisions", {**values, "revert_of": revert_of_number}
        )
        # A Core insert, not an ORM object: a bulk import appends thousands of rows that
        # nothing reads back as entities, and the unit of work cost more than the insert. On
        # the session's connection (the same transaction): Session.execute adds only its
        # overhead to a Core statement, 12% of the writer's storing.
        stored = {**values, "source": stored_source(article.key, source, source_kind)}
        revision_id = int(self.session.connection().execute(_INSERT_REVISION, stored).scalar_one())
        self._store_text(article.id, revision_id, number, text)
        if number == 1:
            self._contents[article.id] = {}
        if article.id in self._contents:
            self._contents[article.id].setdefault(content_hash, (revision_id, number))
        record = RevisionRecord(
            id=revision_id,
            article_key=article.key,
            revert_of=revert_of_number,
            **{k: v for k, v in values.items() if k != "revert_of_id"},
        )
        self._latest[article.id] = record
        return record

    def revision_id(self, article_id: int, number: int | None) -> int | None:
        if number is None:
            return None
        return self.session.scalar(
            select(Revision.id).where(
                and_(Revision.article_id == article_id, Revision.number == number)
            )
        )

    def revision_sources(self, article_id: int) -> list[str]:
        rows = self.session.execute(
            select(Article.key, Revision.source)
            .join(Article, Article.id == Revision.article_id)
            .where(Revision.article_id == article_id)
        )
        return [shown_source(key, cell) for key, cell in rows]
