"""Browsing reads for the web: articles found by words or outlet, the newest revisions and notes.

The web's article list searches and its feeds ask "what is new", over a whole outlet as well
as one article. Each query picks ids first (a key/title match, or the newest rows by id,
which is the order they were stored in, the order a feed reader wants) and leaves the
counting and the records to the mixins that already build them, so a page costs one
selective query more than the plain listing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select

from revtrack.records import ArticleRecord, RevisionRecord
from revtrack.store.articles import ArticlesMixin
from revtrack.store.models import Article, Correction, Event, Revision
from revtrack.store.revisions import RevisionsMixin, _revision_query, from_row


def _like(words: str) -> str:
    """A LIKE pattern that finds ``words`` anywhere, its own ``%``, ``_`` and ``\\`` literal."""
    escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _matching(query: Any, search: str | None, outlet: str | None, dialect: str) -> Any:
    """Rows whose key or title holds ``search`` in any case, of ``outlet``.

    SQLite's LIKE already ignores ASCII case, and ``lower()`` on every row costs five times
    the scan, so there it is a plain LIKE (non-ASCII letters then match in their own case);
    elsewhere ILIKE, which PostgreSQL folds fully.
    """
    if search:
        pattern = _like(search)
        if dialect == "sqlite":
            found = [
                Article.key.like(pattern, escape="\\"),
                Article.title.like(pattern, escape="\\"),
            ]
        else:
            found = [
                Article.key.ilike(pattern, escape="\\"),
                Article.title.ilike(pattern, escape="\\"),
            ]
        query = query.where(or_(*found))
    if outlet is not None:
        query = query.where(Article.outlet == outlet)
    return query


class BrowseMixin(ArticlesMixin, RevisionsMixin):
    """Searching the article list and reading the newest revisions and corrections."""

    def _dialect(self) -> str:
        bind = self.session.get_bind()
        return str(bind.dialect.name)

    def find_articles(
        self,
        *,
        search: str | None = None,
        outlet: str | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[ArticleRecord]:
        """Articles whose key or title holds ``search`` (any case), of ``outlet``, in key order."""
        if not search and outlet is None:
            return self.articles(offset=offset, limit=limit)
        query = _matching(select(Article.key), search, outlet, self._dialect())
        query = query.order_by(Article.key)
        if offset:
            query = query.offset(offset)
        if limit is not None:
            query = query.limit(limit)
        keys = list(self.session.scalars(query))
        return self.articles(keys=keys) if keys else []

    def find_articles_counted(
        self, *, search: str | None, outlet: str | None, offset: int, limit: int
    ) -> tuple[list[ArticleRecord], int | None]:
        """A page of :meth:`find_articles` and the number of all matches, from one scan
        (``count(*) OVER ()``); the number is None for an empty page past the first."""
        total = func.count().over().label("total")
        query = _matching(select(Article.key, total), search, outlet, self._dialect())
        query = query.order_by(Article.key).offset(offset).limit(limit)
        rows = list(self.session.execute(query))
        if not rows:
            return [], None if offset else 0
        return self.articles(keys=[r[0] for r in rows]), int(rows[0][1])

    def count_articles(self, *, search: str | None = None, outlet: str | None = None) -> int:
        if not search and outlet is None:
            return self.article_count()
        query = _matching(select(func.count(Article.id)), search, outlet, self._dialect())
        return int(self.session.scalar(query) or 0)

    def recent_revisions(
        self, *, article_id: int | None = None, outlet: str | None = None, limit: int = 50
    ) -> list[RevisionRecord]:
        """The newest stored revisions, newest first, of one article or of an outlet's."""
        query = _revision_query()
        if article_id is not None:
            query = query.where(Revision.article_id == article_id)
        if outlet is not None:
            query = query.where(Article.outlet == outlet)
        query = query.order_by(Revision.id.desc()).limit(limit)
        return [from_row(row) for row in self.session.execute(query)]

    def recent_correction_ids(self, *, outlet: str, limit: int = 50) -> list[int]:
        """The newest notes of an outlet's articles, newest first."""
        query = (
            select(Correction.id)
            .join(Article, Article.id == Correction.article_id)
            .where(Article.outlet == outlet)
            .order_by(Correction.id.desc())
            .limit(limit)
        )
        return [int(i) for i in self.session.scalars(query)]

    def outlet_exists(self, outlet: str) -> bool:
        query = select(Article.id).where(Article.outlet == outlet).limit(1)
        return self.session.scalar(query) is not None

    def data_version(self) -> int:
        """A number that grows with every write: each one appends an event (the audit log)."""
        return int(self.session.scalar(select(func.max(Event.id))) or 0)
