"""The facade's ingest: sources read and refused up front, each analysed, then stored.

A mixin of :class:`revtrack.Revtrack` (kept apart so that facade.py stays a readable size).
Every source is read (and refused, if bad) before anything is stored; each version is then
analysed in a read transaction, before the write lock (:meth:`_analysis_ahead`), and stored
in a write transaction of its own (:func:`revtrack.service.ingest.ingest_fetched`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, BinaryIO

from revtrack.errors import InvalidInput
from revtrack.service.refs import parse_time
from revtrack.service.results import IngestResult
from revtrack.service.sources import MAX_KEY, Fetched, read_source, slugify

FUTURE_SLACK = timedelta(days=1)
"""How far ahead of this machine's clock a typed capture time may be (a clock or a zone off)."""


def refuse_future(typed: str, moment: datetime) -> None:
    """A capture time typed far in the future is a mistake that would stick: versions are
    ordered by capture time, so every later ingest would be refused as "before" it."""
    from revtrack.store import utcnow  # not at import: `show` and `log` load no SQLAlchemy

    now = utcnow()
    if moment > now + FUTURE_SLACK:
        raise InvalidInput(
            f"--at {typed} is in the future (it is {now:%Y-%m-%dT%H:%M} UTC now).",
            "Give the time the version was captured; revtrack orders versions by it.",
        )


if TYPE_CHECKING:  # the store (SQLAlchemy) loads on first use: `show` may never need it
    from revtrack.service.analysis import Analysis
    from revtrack.store import Store


class IngestMixin:
    """Ingest methods; they need only the facade's ``store`` and ``actor``."""

    actor: str

    if TYPE_CHECKING:  # the facade's

        @property
        def store(self) -> Store: ...

    def ingest(
        self,
        sources: Sequence[str],
        *,
        article: str | None = None,
        at: str | None = None,
        title: str | None = None,
        url: str | None = None,
        stdin: BinaryIO | None = None,
    ) -> Iterator[IngestResult]:
        """Ingest each source as the next revision; each one in its own transaction.

        Sources are all read (and refused, if bad) before anything is stored, so one bad file
        in a list leaves the database as it was.
        """
        if article is not None and not article.strip():
            # "-a ''" from a script whose variable was empty: the file name would quietly
            # choose the article instead, and the version would land on another story.
            raise InvalidInput("The --article key is empty.", "Give a key, or leave --article out.")
        captured = parse_time(at) if at else None
        if captured is not None:
            refuse_future(at or "", captured)
        fetched = [
            read_source(spec, stdin, validators=self._validators(spec, article)) for spec in sources
        ]
        for item in fetched:
            yield self.ingest_fetched(
                item, article=article, captured_at=captured, title=title, url=url
            )

    def _validators(self, spec: str, article: str | None) -> dict[str, str]:
        """The ETag/Last-Modified of the last fetch of URL ``spec``, for a conditional GET."""
        if not spec.lower().startswith(("http://", "https://")):
            return {}
        with self.store.read() as tx:
            fetched = tx.latest_fetch_of(spec)
            latest = tx.latest_revision(fetched.article_id) if fetched else None
        # Only when that fetch is still the article's latest revision (and the article is
        # the one asked for): else the full page is needed to compare.
        if fetched is None or latest is None or latest.id != fetched.id:
            return {}
        if article and slugify(article) != latest.article_key:
            return {}
        return {k: str(latest.meta[k]) for k in ("etag", "last_modified") if latest.meta.get(k)}

    def ingest_text(
        self,
        text: str,
        *,
        article: str,
        at: datetime | str | None = None,
        title: str | None = None,
        url: str | None = None,
        source: str = "api",
    ) -> IngestResult:
        """Ingest a text given directly (the Python API's way in)."""
        captured = parse_time(at) if isinstance(at, str) else at
        item = Fetched(text=text, source=source, kind="stdin", key_hint=article)
        return self.ingest_fetched(
            item, article=article, captured_at=captured, title=title, url=url
        )

    def ingest_fetched(
        self,
        item: Fetched,
        *,
        article: str | None = None,
        captured_at: datetime | None = None,
        title: str | None = None,
        url: str | None = None,
    ) -> IngestResult:
        from revtrack.service.ingest import ingest_fetched

        key = slugify(article) if article else item.key_hint
        if not key:
            raise InvalidInput(
                f"Cannot tell which article {item.source} belongs to.", "Pass --article KEY."
            )
        if len(key) > MAX_KEY:
            raise InvalidInput(
                f"The article key for {item.source} is {len(key):,} characters, over the "
                f"{MAX_KEY} limit.",
                "Pass a shorter --article KEY.",
            )
        ready = self._analysis_ahead(item, key, title)
        with self.store.write() as tx:
            result = ingest_fetched(
                tx,
                item,
                key=key,
                captured_at=captured_at,
                title=title,
                url=url,
                actor=self.actor,
                ready=ready,
            )
        # What reading the source had to say (a fallback, a re-encoding) goes to the user.
        return dataclasses.replace(result, warnings=item.warnings) if item.warnings else result

    def _analysis_ahead(self, item: Fetched, key: str, title: str | None) -> Analysis | None:
        """The new version analysed against the article's latest revision, in a read
        transaction, before the write lock is taken.

        Diffing and note detection are most of an ingest's time; done under SQLite's write
        lock they would serialise concurrent ingesters (cron jobs, watch workers, a newsroom's
        scripts) on work that needs no lock. The writer uses this analysis only if the latest
        revision is still the one it was made against (:meth:`Analysis.fits`), else it
        analyses again under the lock, so a race costs time, never correctness.
        """
        from revtrack.service.analysis import Parent, analyze

        if item.not_modified or not item.text.strip():
            return None  # the writer says what is wrong, or records the 304
        with self.store.read() as tx:
            found = tx.get_article(key)
            latest = tx.latest_revision(found.id) if found is not None else None
            parent = None
            if latest is not None:
                parent = Parent(
                    tx.load_text(latest.id),
                    latest.text_hash,
                    latest.content_hash,
                    latest.title,
                    latest.words,
                )
        return analyze(item.text, title or item.title, parent)
