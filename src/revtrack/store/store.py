"""The one object that owns the database: :class:`Store`.

Every operation runs in one transaction (``with store.write() as tx``); the transaction object
:class:`~revtrack.store.tx.Tx` offers the reads and appends the service layer needs and returns
plain records from :mod:`revtrack.records`. Nothing outside this package sees SQLAlchemy.
Write transactions take SQLite's write lock at once (``BEGIN IMMEDIATE``, see
:mod:`revtrack.store.engine`), so whatever a writer read inside its transaction is still true
when it commits. The exceptions to "one transaction" are the quick reads of
:mod:`revtrack.store.quick` (`show`, `log`, `diff`'s two revisions): a statement or two in
Core on a pooled connection, no Session.

The store keeps one thing between transactions: an LRU cache of decoded texts by revision id
(text rows are written once and never changed; see :mod:`revtrack.store.texts`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from revtrack.errors import NoDatabase, ReadOnlyDatabase, SchemaOutOfDate
from revtrack.records import RevisionRecord
from revtrack.store.engine import (
    make_engine,
    read_only_reason,
    resolve_url,
    single_read,
    sqlite_path,
    translate_errors,
)
from revtrack.store.location import BUSY_TIMEOUT_MS
from revtrack.store.migrate import KNOWN_REVISIONS, SCHEMA_HEAD, current_version, upgrade
from revtrack.store.quick import QuickReads
from revtrack.store.texts import LRUCache
from revtrack.store.tx import Tx
from revtrack.store.writer_turn import writer_turn


class Store(QuickReads):
    """A revtrack database. ``create=True`` makes (or upgrades) it; otherwise it must exist."""

    def __init__(self, db: str | None = None, *, create: bool = False, check: bool = True) -> None:
        self.url = resolve_url(db)
        path = sqlite_path(self.url)
        if path is not None and path.is_dir():
            raise NoDatabase(
                f"{path} is a folder, not a database file.",
                f"Give a file's path, such as {path / 'revtrack.db'}.",
            )
        if path is not None and not path.exists() and not create:
            raise NoDatabase(f"No revtrack database at {path}.")
        self.read_only = read_only_reason(self.url)
        if create:
            self.refuse_if_read_only()
        if path is not None and create:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._file = path
        self.engine = make_engine(self.url)
        self.backend = self.engine.dialect.name
        self._cache: LRUCache[int, str] = LRUCache()
        # Revision records built by `log` (rows never change once committed): quick_log.py.
        self._records: LRUCache[int, RevisionRecord] = LRUCache(4096)
        self._single_read = single_read(self.engine)
        self.upgraded: tuple[str | None, str] | None = None
        self._search: str | bool | None = False  # not looked up yet
        if create:
            self.upgraded = self.upgrade()
        elif check:
            self.check_schema()

    # -- schema -----------------------------------------------------------------------
    def upgrade(self) -> tuple[str | None, str]:
        self.refuse_if_read_only()
        with translate_errors(self.url):
            return upgrade(self.engine)

    def version(self) -> str | None:
        with translate_errors(self.url), self.engine.connect() as conn:
            return current_version(conn)

    def check_schema(self) -> None:
        found = self.version()
        if found == SCHEMA_HEAD:
            return
        if found is None:
            raise NoDatabase(
                f"The database {self.display_url} has no revtrack schema.",
                "Run `revtrack init` to create it.",
            )
        if found in KNOWN_REVISIONS:
            raise SchemaOutOfDate(
                f"The database schema is at {found}, this revtrack needs {SCHEMA_HEAD}."
            )
        raise SchemaOutOfDate(
            f"The database schema {found} is not one this revtrack knows (newest: {SCHEMA_HEAD}).",
            "Upgrade revtrack to the version that created this database.",
        )

    def search_method(self) -> str | None:
        """What indexes the article search ('fts5 trigram', 'pg_trgm'), or None: it scans
        (see :mod:`revtrack.store.search`). Checked once: only a migration changes it."""
        if self._search is False:
            from revtrack.store.search import method

            with translate_errors(self.url), self.engine.connect() as conn:
                self._search = method(conn)
        return self._search if isinstance(self._search, str) else None

    @property
    def display_url(self) -> str:
        path = sqlite_path(self.url)
        return str(path) if path is not None else self.engine.url.render_as_string(True)

    def dispose(self) -> None:
        self.engine.dispose()

    # -- transactions -----------------------------------------------------------------
    def refuse_if_read_only(self) -> None:
        if self.read_only:
            raise ReadOnlyDatabase(
                f"Cannot write to {self.display_url}: {self.read_only} (it was opened read-only)."
            )

    @contextmanager
    def write(self) -> Iterator[Tx]:
        """One write transaction; commits on success, rolls back everything on any error.

        On a SQLite file, writers of this database take turns first (store/writer_turn.py),
        so a waiting writer starts as soon as the one before it commits."""
        self.refuse_if_read_only()
        with writer_turn(self._file, BUSY_TIMEOUT_MS / 1000), translate_errors(self.url):
            engine = self.engine.execution_options(revtrack_write=True)
            with Session(engine, expire_on_commit=False) as session, session.begin():
                tx = Tx(session, self)
                try:
                    yield tx
                    tx.seal_heads()
                    tx.flush_appends()
                except BaseException:
                    tx.forget()  # rolled back: ids it cached texts under may be reused
                    raise

    @contextmanager
    def read(self) -> Iterator[Tx]:
        with translate_errors(self.url), Session(self.engine) as session, session.begin():
            yield Tx(session, self)
