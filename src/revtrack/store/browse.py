"""Browsing reads for the web: articles found by words or outlet, the newest revisions and notes.

The web's article list searches and its feeds ask "what is new", over a whole outlet as well
as one article. A listing page is found by keyset (the articles after, or before, a key, in
key order: an index range, never an OFFSET that reads every row it skips) and counted up to
a cap, so it costs the same at page 2,000 of 100,000 articles as at page 1. A search uses
the index of :mod:`revtrack.store.search` where there is one; what it finds is the same
either way (a key or title holding the words, any case). "What is new" picks the newest rows
by id, which is the order they were stored in, the order a feed reader wants.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, column, func, or_, select, table, text

from revtrack.records import ArticlePage, ArticleRecord, RevisionRecord
from revtrack.store.articles import ArticlesMixin, article_columns
from revtrack.store.models import Article, Correction, Event, Revision
from revtrack.store.revisions import RevisionsMixin, _revision_query, from_row
from revtrack.store.search import MIN_INDEXED, TABLE

COUNT_CAP = 1000  # matches a page counts; past it the page says "1,000 or more"
DENSE = 40  # one article in this many a candidate: a page is found by walking keys
DENSE_LEAST = 1000  # ... and at least this many (on a small database the index is cheap)
_SEARCH = table(TABLE, column("rowid", Integer))


def _like(words: str) -> str:
    """A LIKE pattern that finds ``words`` anywhere, its own ``%``, ``_`` and ``\\`` literal."""
    escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _phrase(words: str) -> str:
    """An FTS5 string: with the trigram tokenizer, the rows holding it as a substring."""
    return '"' + words.replace('"', '""') + '"'


def matching(
    search: str | None,
    outlet: str | None,
    dialect: str,
    indexed: bool,
    candidates: list[int] | None = None,
) -> list[Any]:
    """The conditions of rows whose key or title holds ``search`` in any case, of ``outlet``.

    SQLite's LIKE already ignores ASCII case, and ``lower()`` on every row costs five times
    the scan, so there it is a plain LIKE (non-ASCII letters then match in their own case);
    elsewhere ILIKE, which PostgreSQL folds fully (and pg_trgm's GIN indexes serve as they
    are). With SQLite's trigram index the candidates come from it and the LIKE keeps those
    it matches: the index folds every letter's case, so it finds a superset, and the results
    are the scan's. A search shorter than a trigram has nothing to look up, and scans.
    ``candidates``: the index's answer, already read (the ids of the articles it found).
    """
    where: list[Any] = []
    if search:
        pattern = _like(search)
        if dialect == "sqlite":
            if candidates is not None:
                where.append(Article.id.in_(candidates))
            elif indexed and len(search) >= MIN_INDEXED:
                where.append(Article.id.in_(_candidates(search)))
            where.append(
                or_(
                    Article.key.like(pattern, escape="\\"),
                    Article.title.like(pattern, escape="\\"),
                )
            )
        else:
            where.append(
                or_(
                    Article.key.ilike(pattern, escape="\\"),
                    Article.title.ilike(pattern, escape="\\"),
                )
            )
    if outlet is not None:
        where.append(Article.outlet == outlet)
    return where


def _candidates(search: str) -> Any:
    """The ids the trigram index finds for ``search`` (a superset of the matches)."""
    return select(_SEARCH.c.rowid).where(
        text(f"{TABLE} MATCH :phrase").bindparams(phrase=_phrase(search))
    )


class BrowseMixin(ArticlesMixin, RevisionsMixin):
    """Searching the article list and reading the newest revisions and corrections."""

    def _dialect(self) -> str:
        bind = self.session.get_bind()
        return str(bind.dialect.name)

    def _matching(self, search: str | None, outlet: str | None) -> list[Any]:
        return matching(search, outlet, self._dialect(), self.store.search_method() is not None)

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
        query = select(Article.key).where(*self._matching(search, outlet))
        query = query.order_by(Article.key)
        if offset:
            query = query.offset(offset)
        if limit is not None:
            query = query.limit(limit)
        keys = list(self.session.scalars(query))
        return self.articles(keys=keys) if keys else []

    def article_page(
        self,
        *,
        search: str | None,
        outlet: str | None,
        after: str | None = None,
        before: str | None = None,
        limit: int,
    ) -> ArticlePage:
        """The ``limit`` matches after the key ``after`` (or before ``before``; neither: the
        first), with the count of all matches up to :data:`COUNT_CAP` (see ArticlePage)."""
        counting = where = self._matching(search, outlet)
        dense, found = self._probe(search)
        if dense:
            where = matching(search, outlet, self._dialect(), indexed=False)
        elif found is not None:
            counting = where = matching(search, outlet, "sqlite", True, candidates=found)
        query = select(*article_columns()).where(*where).limit(limit + 1)
        run = self.session.connection().execute  # Core rows: no ORM work per statement
        if before is not None:
            rows = list(run(query.where(Article.key < before).order_by(Article.key.desc())))
            earlier = len(rows) > limit
            rows = rows[:limit][::-1]
            if not rows:  # nothing before it: the first page
                return self.article_page(search=search, outlet=outlet, limit=limit)
            later = self._any(where, Article.key > rows[-1].key)
        else:
            if after is not None:
                query = query.where(Article.key > after)
            rows = list(run(query.order_by(Article.key)))
            later = len(rows) > limit
            rows = rows[:limit]
            earlier = after is not None and self._any(where, Article.key <= after)
        total, total_is = self._counted(counting, filtered=bool(search) or outlet is not None)
        return self._page(rows, total, total_is, later=later, earlier=earlier)

    def _probe(self, search: str | None) -> tuple[bool, list[int] | None]:
        """Whether a search the trigram index can serve matches so many articles that
        reading them in key order finds a page sooner; if not, the index's candidates.

        The index gives its candidates in id order, so a page of them is sorted from all
        of them: a few milliseconds for thousands. When one article in :data:`DENSE` or
        more is a candidate, the key index walked from the cursor meets a page of matches
        within ``DENSE`` times the page's rows; the count still comes from the index. Fewer
        candidates are read once here and serve the page and its count. What is found is the
        same either way (the LIKE decides).
        """
        if not search or len(search) < MIN_INDEXED or self._dialect() != "sqlite":
            return False, None
        if self.store.search_method() is None:
            return False, None
        run = self.session.connection().execute
        newest = int(run(select(func.max(Article.id))).scalar() or 0)
        enough = max(DENSE_LEAST, newest // DENSE)
        # The ids straight from the driver (SQLite only): thousands of one-int rows through
        # SQLAlchemy's result machinery cost more than the index read itself.
        raw = self.session.connection().connection.dbapi_connection
        assert raw is not None
        query = f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH ? LIMIT ?"
        found = [row[0] for row in raw.execute(query, (_phrase(search), enough)).fetchall()]
        if len(found) >= enough:
            return True, None
        return False, found

    def _page(
        self, rows: list[Any], total: int, total_is: str, *, later: bool, earlier: bool
    ) -> ArticlePage:
        return ArticlePage(
            articles=self.counted_records(rows),
            total=total,
            total_is=total_is,
            next_after=rows[-1].key if later and rows else None,
            prev_before=rows[0].key if earlier and rows else None,
        )

    def _any(self, where: list[Any], bound: Any) -> bool:
        query = select(Article.id).where(*where, bound).limit(1)
        return self.session.connection().execute(query).first() is not None

    def _counted(self, where: list[Any], *, filtered: bool) -> tuple[int, str]:
        run = self.session.connection().execute
        if not filtered:
            # The whole list: articles are never deleted, so the newest id is their number
            # (PostgreSQL's sequence may skip an id a rolled-back insert took: "about").
            newest = int(run(select(func.max(Article.id))).scalar() or 0)
            if newest > COUNT_CAP:
                return newest, "about"
        capped = select(Article.id).where(*where).limit(COUNT_CAP + 1).subquery()
        found = int(run(select(func.count()).select_from(capped)).scalar() or 0)
        if found <= COUNT_CAP:
            return found, "exact"
        return COUNT_CAP, "at least"

    def count_articles(self, *, search: str | None = None, outlet: str | None = None) -> int:
        if not search and outlet is None:
            return self.article_count()
        query = select(func.count(Article.id)).where(*self._matching(search, outlet))
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
