"""The facade's browsing reads: search the article list, and what is new, per article or outlet.

A mixin of :class:`revtrack.Revtrack` (kept apart so that facade.py stays a readable size);
the web's article list and its Atom feeds are its callers, and a Python user can call it too.
"What is new" is by storage order, newest first and bounded (``limit``), as a feed reader
polls it: a feed answers in the same time on a database of a million revisions as on ten.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from revtrack.errors import InvalidInput
from revtrack.records import ArticlePage, ArticleRecord, RevisionRecord
from revtrack.service.refs import find_article

if TYPE_CHECKING:  # the store (SQLAlchemy) loads on first use: `show` may never need it
    from collections.abc import Callable

    from revtrack.records import CorrectionView
    from revtrack.service.auditing import ArticleAudit
    from revtrack.service.results import ArticleLog
    from revtrack.store import Store

MAX_SEARCH = 200  # characters of a search: longer is no one's search


def _checked(search: str | None) -> str | None:
    if search is None:
        return None
    search = " ".join(search.split())
    if len(search) > MAX_SEARCH:
        raise InvalidInput(
            f"The search is {len(search)} characters long.", f"Search for at most {MAX_SEARCH}."
        )
    return search or None


class BrowsingMixin:
    """Reads for browsing; needs only the facade's ``store`` (and ``log``)."""

    if TYPE_CHECKING:  # the facade's

        @property
        def store(self) -> Store: ...

        log: Callable[[str], ArticleLog]

    def log_with_views(self, key: str) -> tuple[ArticleLog, list[CorrectionView]]:
        """The article's log and its notes with their fixing and disclosing times.

        What ``log`` and ``corrections`` give, from the log's own reads: the times come
        from the revisions the log already holds (``corrections`` would read them again).
        """
        from revtrack.records import CorrectionView

        log = self.log(key)
        times = {r.number: r.captured_at for r in log.revisions}
        views = []
        for record in log.corrections:
            link = record.link
            fixing = link.fixing_revision if link and link.matched else None
            shown = record.disclosed_revision
            views.append(
                CorrectionView(
                    record=record,
                    fixed_at=times.get(fixing) if fixing else None,
                    disclosed_at=times.get(shown) if shown else None,
                )
            )
        return log, views

    def find_articles(
        self,
        *,
        search: str | None = None,
        outlet: str | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[ArticleRecord]:
        """Articles in key order whose key or title holds ``search`` (any case), of ``outlet``."""
        with self.store.read() as tx:
            return tx.find_articles(
                search=_checked(search), outlet=outlet, offset=offset, limit=limit
            )

    def article_page(
        self,
        *,
        search: str | None = None,
        outlet: str | None = None,
        after: str | None = None,
        before: str | None = None,
        limit: int,
    ) -> ArticlePage:
        """One page of :meth:`find_articles`: the ``limit`` after the key ``after`` (or before
        ``before``), with the number of matches counted up to a cap (see ArticlePage).

        Pages are found by keyset, not offset, and counted up to 1,000, so the thousandth
        page of a search costs what the first does.
        """
        with self.store.read() as tx:
            return tx.article_page(
                search=_checked(search), outlet=outlet, after=after, before=before, limit=limit
            )

    def search_method(self) -> str | None:
        """What indexes the article search ('fts5 trigram', 'pg_trgm'), or None: it scans."""
        return self.store.search_method()

    def count_articles(self, *, search: str | None = None, outlet: str | None = None) -> int:
        with self.store.read() as tx:
            return tx.count_articles(search=_checked(search), outlet=outlet)

    def _outlet_checked(self, outlet: str) -> None:
        from revtrack.errors import UnknownArticle

        with self.store.read() as tx:
            if not tx.outlet_exists(outlet):
                raise UnknownArticle(
                    f"No article of the outlet {outlet!r}.", "See the outlets in the article list."
                )

    def revision_pair(
        self, key: str, a: str | None, b: str | None
    ) -> tuple[RevisionRecord, RevisionRecord] | None:
        """The two revisions a diff of ``key`` names, in one transaction; None when the
        article has a single revision (for the latest change: ``a`` and ``b`` both None).

        ``b`` alone is compared with its parent; ``b`` defaults to the latest. The web
        resolves first so it can bound and cache the diff by the revisions' ids.
        """
        from revtrack.errors import UnknownRevision
        from revtrack.service.refs import parse_rev, resolve

        with self.store.read() as tx:
            article = find_article(tx, key)
            new = resolve(tx, article, parse_rev(b or "latest"))
            if a is not None:
                return resolve(tx, article, parse_rev(a)), new
            if new.number == 1:
                if b is None:
                    return None
                raise UnknownRevision(
                    f"{new.label} is the first revision of {key}; nothing came before it.",
                    "Open its text, or compare it with a later revision.",
                )
            return resolve(tx, article, parse_rev(f"v{new.number - 1}")), new

    def data_version(self) -> int:
        """A number that changes whenever anything is written: a reader's cache key."""
        with self.store.read() as tx:
            return tx.data_version()

    def recent_revisions(
        self, *, key: str | None = None, outlet: str | None = None, limit: int = 50
    ) -> list[RevisionRecord]:
        """The newest stored revisions, newest first: of one article, an outlet, or all."""
        if outlet is not None:
            self._outlet_checked(outlet)
        with self.store.read() as tx:
            article_id = find_article(tx, key).id if key is not None else None
            return tx.recent_revisions(article_id=article_id, outlet=outlet, limit=limit)

    def recent_corrections(
        self, *, key: str | None = None, outlet: str | None = None, limit: int = 50
    ) -> list[CorrectionView]:
        """The newest correction notes, newest first: of one article or of an outlet's."""
        from revtrack.service.corrections import views

        if outlet is not None:
            self._outlet_checked(outlet)
        with self.store.read() as tx:
            if key is not None:
                records = tx.corrections(find_article(tx, key).id)[::-1][:limit]
            else:
                ids = tx.recent_correction_ids(outlet=outlet or "", limit=limit)
                records = sorted(tx.corrections(ids=ids), key=lambda c: -c.id) if ids else []
            return views(tx, records)

    def recent_audits(self, *, outlet: str, articles: int = 20) -> list[ArticleAudit]:
        """The audits of the ``articles`` of ``outlet`` that most recently gained a revision."""
        from revtrack.service.auditing import audit_article

        self._outlet_checked(outlet)
        keys: list[str] = []
        with self.store.read() as tx:
            for revision in tx.recent_revisions(outlet=outlet, limit=articles * 10):
                if revision.article_key not in keys:
                    keys.append(revision.article_key)
            out = []
            for key in keys[:articles]:
                out.append(audit_article(tx, find_article(tx, key)))
            return out
