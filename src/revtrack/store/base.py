"""What every part of a transaction shares: the session, the store and what the transaction
remembers of its own writes.

A :class:`~revtrack.store.tx.Tx` is composed of one mixin per area of the storage model
(texts, articles, revisions, corrections, events, restore, the import queue); they all build
on :class:`TxBase`. Two things make a transaction more than a Session. It remembers the heads
it has itself written (latest revisions, chain tips, event-chain heads, locked articles),
because nobody else can move them before it commits, so a bulk import of many versions never
re-reads what it just wrote. And it writes text and event rows in batches, one statement per
table and document, which :meth:`TxBase.flush_appends` sends before anything reads those
tables, at the end of every savepoint and before commit. After a rollback none of what it
remembered is true: :meth:`TxBase.forget` drops it, texts it put in the store's cache included.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table
from sqlalchemy.orm import Session

from revtrack.records import ArticleRecord, RevisionRecord
from revtrack.store.models import Event, RevisionText

if TYPE_CHECKING:
    from revtrack.store.store import Store

_INSERT_TEXT = cast(Table, RevisionText.__table__).insert()
_INSERT_EVENT = cast(Table, Event.__table__).insert()


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class TxBase:
    """The state one transaction's reads and appends share (see the module docstring)."""

    def __init__(self, session: Session, store: Store) -> None:
        self.session = session
        self.store = store
        # Heads this transaction has itself written. Nobody else can move them before we
        # commit (the article row or the SQLite write lock is ours), so a bulk import of
        # many versions skips re-reading what it just wrote.
        # None: an article this transaction created, which has no revision before its first.
        self._latest: dict[int, RevisionRecord | None] = {}
        self._tips: dict[int, tuple[int, int, int, int] | None] = {}
        self._heads: dict[str, tuple[int, str]] = {}
        self._articles: dict[str, ArticleRecord] = {}  # locked by us: found or created
        # Content hash -> earliest (id, number), for articles whose every revision this
        # transaction wrote: a bulk import's revert checks then need no query.
        self._contents: dict[int, dict[str, tuple[int, int]]] = {}
        self._chain_ids: dict[str, int] = {}  # event chain name -> id, as seen in this tx
        # Chains whose row this transaction inserted: no event and no heads row can exist yet.
        self._fresh_chains: set[str] = set()
        # Text and event rows are written in batches (one statement per table and document
        # in a bulk import): see flush_appends for when.
        self._pending_texts: list[dict[str, Any]] = []
        self._pending_events: list[dict[str, Any]] = []
        self._cached: list[int] = []  # revision ids whose new text this transaction cached
        # Chain name -> the heads row as this transaction moves it (store/heads.py).
        self._head_states: dict[str, Any] = {}
        self._article_keys: dict[int, str] = {}

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Undo just the work inside the block if it raises; the transaction goes on.

        What was appended before the block is written first: a rollback of the block forgets
        every batched row and head (:meth:`forget`), and must not take those along."""
        if self._pending_texts or self._pending_events or self._head_states:
            self.seal_heads()
            self.flush_appends()
        try:
            with self.session.begin_nested():
                yield
                self.seal_heads()
                self.flush_appends()  # inside the savepoint, so a failure undoes them too
        except BaseException:
            self.forget()
            raise

    def seal_heads(self) -> None:
        """Write the heads this transaction moved (see :mod:`revtrack.store.heads`)."""

    def flush_appends(self) -> None:
        """Write the batched text and event rows.

        Called before anything reads those tables in this transaction, at the end of every
        savepoint (a later savepoint's rollback must not take them along) and before commit.
        Revision rows are not batched: their ids are needed at once.
        """
        # Core statements run on the session's connection: the session's own execute adds
        # nothing for them (no ORM entity to flush first) but its overhead.
        if self._pending_texts:
            self.session.connection().execute(_INSERT_TEXT, self._pending_texts)
            self._pending_texts = []
        if self._pending_events:
            self.session.connection().execute(_INSERT_EVENT, self._pending_events)
            self._pending_events = []

    def forget(self) -> None:
        """Drop what this transaction remembered: after a rollback none of it is true."""
        self._latest.clear()
        self._tips.clear()
        self._heads.clear()
        self._articles.clear()
        self._contents.clear()
        self._chain_ids.clear()
        self._fresh_chains.clear()
        self._head_states.clear()
        self._article_keys.clear()
        self._pending_texts = []
        self._pending_events = []
        for revision_id in self._cached:
            self.store._cache.drop(revision_id)
        self._cached.clear()
