"""Articles: one row per story, found by the user-facing key.

The article row is also what serialises writers on PostgreSQL:
:meth:`ArticlesMixin.ensure_article` takes it ``FOR UPDATE``, so two writers of one article
queue on it while writers of other articles go on (SQLite has one write lock for the whole
file anyway). Creating an article races harmlessly: the unique key makes the loser's insert
fail inside a savepoint, and it takes the winner's row. Listings choose their page of articles
first and count revisions and notes second, so a page costs the same on a database of a
million articles as on a small one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError

from revtrack.records import ArticleRecord
from revtrack.store.base import utcnow
from revtrack.store.heads import HeadsMixin
from revtrack.store.models import Article, Correction, Revision


@lru_cache(maxsize=2)
def _article_by_key(for_update: bool) -> Any:
    query = select(Article).where(Article.key == bindparam("key"))
    return query.with_for_update() if for_update else query


@lru_cache(maxsize=16)
def _update_article(fields: tuple[str, ...]) -> Any:
    """UPDATE of the given article columns, built once per set of columns (building an ORM
    update statement each time cost more than running it)."""
    table = Article.__table__
    return (
        table.update()  # type: ignore[attr-defined]
        .where(table.c.id == bindparam("b_id"))
        .values({f: bindparam(f"v_{f}") for f in fields})
    )


def article_columns() -> tuple[Any, ...]:
    """An article row's columns, for Core selects (no ORM object per row: a listing page's
    rows are read, turned into records and dropped)."""
    return (
        Article.id,
        Article.key,
        Article.url,
        Article.outlet,
        Article.title,
        Article.created_at,
    )


def article_record(row: Any, **counts: Any) -> ArticleRecord:
    return ArticleRecord(
        id=row.id,
        key=row.key,
        url=row.url,
        outlet=row.outlet,
        title=row.title,
        created_at=row.created_at,
        **counts,
    )


class ArticlesMixin(HeadsMixin):
    """Finding, creating, updating and listing articles."""

    def get_article(self, key: str, *, lock: bool = False) -> ArticleRecord | None:
        query = _article_by_key(lock and self.store.backend == "postgresql")
        row = self.session.scalars(query, {"key": key}).first()
        return None if row is None else article_record(row)

    def ensure_article(
        self,
        key: str,
        *,
        url: str | None = None,
        outlet: str | None = None,
        title: str | None = None,
    ) -> tuple[ArticleRecord, bool]:
        """Get or create the article, locked for this transaction; True when created."""
        found = self._articles.get(key) or self.get_article(key, lock=True)
        if found is not None:
            self._articles[key] = found
            self._article_keys[found.id] = key
            return found, False
        try:
            with self.session.begin_nested():
                row = Article(key=key, url=url, outlet=outlet, title=title, created_at=utcnow())
                self.session.add(row)
                self.session.flush()
        except IntegrityError:
            # Another writer created it between our read and our insert: use theirs.
            found = self.get_article(key, lock=True)
            assert found is not None
            self._articles[key] = found
            self._article_keys[found.id] = key
            return found, False
        self._articles[key] = article_record(row)
        self._article_keys[row.id] = key
        # A new article has no revision yet: its first needs no query for one before it.
        self._latest[row.id] = None
        self._tips[row.id] = None
        return self._articles[key], True

    def update_article(self, article_id: int, **fields: Any) -> None:
        """Set the given fields (None leaves a field as it is) of the article row.

        One UPDATE, and the article this transaction holds is updated in place rather than
        dropped: an import whose titles change often (a git history's front matter) read
        the row back twice per change before (by id to set it, by key to hold it again).
        """
        values = {name: value for name, value in fields.items() if value is not None}
        key = self.article_key(article_id)  # known without a query for an article held
        held = self._articles.get(key)
        if values:
            self.session.execute(
                _update_article(tuple(sorted(values))),
                {"b_id": article_id, **{f"v_{k}": v for k, v in values.items()}},
            )
            # A Core UPDATE: an Article object this session still holds must read it again.
            held_row = self.session.identity_map.get(self.session.identity_key(Article, article_id))
            if held_row is not None:
                self.session.expire(held_row)
        if held is not None and held.id == article_id:
            self._articles[key] = replace(held, **values)
        self.touch_article(key)

    def set_article_created(self, article_id: int, created_at: datetime | None) -> None:
        row = self.session.get(Article, article_id)
        assert row is not None
        if created_at is not None:
            row.created_at = created_at
            self._articles.pop(row.key, None)
            self.touch_article(row.key)

    def articles(
        self, keys: Sequence[str] | None = None, *, offset: int = 0, limit: int | None = None
    ) -> list[ArticleRecord]:
        """Articles in key order with revision/correction counts and first/latest times.

        The page of articles is chosen first and counted second (per 500 ids), so a page
        costs the same on a database of a million articles as on a small one.
        """
        query = select(*article_columns()).order_by(Article.key)
        if keys is not None:
            query = query.where(Article.key.in_(list(keys)))
        if offset:
            query = query.offset(offset)
        if limit is not None:
            query = query.limit(limit)
        return self.counted_records(list(self.session.connection().execute(query)))

    def counted_records(self, rows: Sequence[Any]) -> list[ArticleRecord]:
        """Records of article rows (of :func:`article_columns`), each with its counts: two
        grouped reads per 500 articles, by the indexes on ``article_id``."""
        stats: dict[int, tuple[int, datetime | None, datetime | None]] = {}
        notes: dict[int, int] = {}
        run = self.session.connection().execute
        for chunk in range(0, len(rows), 500):
            ids = [a.id for a in rows[chunk : chunk + 500]]
            for aid, n, first, latest in run(
                select(
                    Revision.article_id,
                    func.count(Revision.id),
                    func.min(Revision.captured_at),
                    func.max(Revision.captured_at),
                )
                .where(Revision.article_id.in_(ids))
                .group_by(Revision.article_id)
            ):
                stats[int(aid)] = (int(n), first, latest)
            for aid, c in run(
                select(Correction.article_id, func.count(Correction.id))
                .where(Correction.article_id.in_(ids))
                .group_by(Correction.article_id)
            ):
                notes[int(aid)] = int(c)
        out = []
        for a in rows:
            count, first_at, latest_at = stats.get(a.id, (0, None, None))
            out.append(
                article_record(
                    a,
                    revisions=count,
                    corrections=notes.get(a.id, 0),
                    first_at=first_at,
                    latest_at=latest_at,
                )
            )
        return out

    def article_count(self) -> int:
        return int(self.session.scalar(select(func.count(Article.id))) or 0)

    def article_keys(self, *, after: str | None = None, limit: int = 1000) -> list[str]:
        query = select(Article.key).order_by(Article.key).limit(limit)
        if after is not None:
            query = query.where(Article.key > after)
        return list(self.session.scalars(query))

    def article_sizes(
        self, *, after: str | None = None, limit: int = 1000, prefix: str = ""
    ) -> list[tuple[str, int]]:
        """Article keys in order (those starting with ``prefix``), a page at a time, each
        with its revision count: what a walk over the database reports progress in, and
        what shell completion offers."""
        count = (
            select(func.count(Revision.id))
            .where(Revision.article_id == Article.id)
            .scalar_subquery()
        )
        query = select(Article.key, count).order_by(Article.key).limit(limit)
        if after is not None:
            query = query.where(Article.key > after)
        if prefix:
            query = query.where(Article.key.startswith(prefix, autoescape=True))
        return [(str(k), int(n)) for k, n in self.session.execute(query)]

    def revision_total(self) -> int:
        return int(self.session.scalar(select(func.count(Revision.id))) or 0)

    def similar_keys(self, key: str, limit: int = 5) -> list[str]:
        stem = key[:4]
        query = select(Article.key).where(Article.key.like(f"{stem}%")).limit(limit)
        return list(self.session.scalars(query))
