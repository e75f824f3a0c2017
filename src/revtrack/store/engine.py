"""Turning a ``--db`` value into a configured SQLAlchemy engine.

SQLite is tuned for a single-writer, many-reader tool: WAL (readers never block the
writer), foreign keys on, ``synchronous=NORMAL`` (safe under WAL) and a busy timeout, so a
second writer waits instead of failing at once. We issue ``BEGIN IMMEDIATE`` for write
transactions ourselves (pysqlite's implicit transactions would take the write lock only at
the first write, which deadlocks two upgrading readers); read transactions use plain
``BEGIN``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, NoSuchModuleError, OperationalError
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.pool import NullPool, QueuePool

from revtrack.errors import DatabaseError, DatabaseLocked, InvalidInput, SchemaOutOfDate
from revtrack.store.location import (
    BUSY_TIMEOUT_MS,
    DEFAULT_DB,
    ENV_URL,
    read_only_uri,
    resolve_url,
)

__all__ = [
    "BUSY_TIMEOUT_MS",
    "DEFAULT_DB",
    "ENV_URL",
    "make_engine",
    "resolve_url",
    "single_read",
    "sqlite_path",
    "translate_errors",
]

SINGLE_READ = "revtrack_single_read"
"""Execution option: a read of one statement, run outside any transaction (see single_read)."""


def parse_url(url: str) -> URL:
    """The URL as SQLAlchemy reads it; one that cannot be read is the user's mistake."""
    try:
        return make_url(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise InvalidInput(
            f"Cannot understand the database URL {url!r}.",
            "Give a file path or a URL such as postgresql://user@host/db.",
        ) from None


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other backends and in-memory databases."""
    parsed = parse_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    if not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def read_only_reason(url: str) -> str | None:
    """Why this user cannot write the SQLite file behind ``url``; None when it can.

    Such a file is opened read-only (see :func:`_sqlite_engine`), so that reading commands
    work on an archive kept in a read-only folder, and writing ones say why they cannot.
    """
    path = sqlite_path(url)
    if path is None or not path.exists():
        return None
    if not os.access(path, os.W_OK):
        return "the file is read-only for this user"
    if not os.access(path.parent, os.W_OK):
        return "its folder is read-only for this user"
    return None


def _read_only_url(path: Path) -> str:
    """The SQLAlchemy URL of :func:`~revtrack.store.location.read_only_uri`."""
    return f"sqlite:///{read_only_uri(path)}&uri=true"


def make_engine(url: str) -> Engine:
    parsed = parse_url(url)
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise InvalidInput(
            f"revtrack keeps its database in SQLite or PostgreSQL, not {backend!r}.",
            "Give a file path or a URL such as postgresql://user@host/db.",
        )
    if backend == "sqlite":
        return _sqlite_engine(url)
    kwargs: dict[str, Any] = {"pool_pre_ping": True}
    try:
        return create_engine(url, **kwargs)
    except (ImportError, NoSuchModuleError) as exc:
        raise InvalidInput(
            f"The database driver {parsed.drivername!r} is not available here ({exc}).",
            "Give a postgresql:// URL: revtrack connects with psycopg 3, which it installs.",
        ) from None


def single_read(engine: Engine) -> Engine:
    """The same engine and pool, for reads of one statement: no BEGIN, no ROLLBACK.

    One SELECT sees one snapshot on its own, so only reads whose statements need no common
    snapshot (one statement, or rows nobody rewrites) may use it. What it saves, measured on
    `show`: SQLite ~15 us of BEGIN through SQLAlchemy (of ~165 us; SQLAlchemy's AUTOCOMMIT
    level would cost more, resetting pysqlite's isolation on every checkout); PostgreSQL
    ~0.5 ms of ~1 ms (psycopg's BEGIN and the ROLLBACK on return are round trips).
    """
    if engine.dialect.name == "sqlite":
        return engine.execution_options(**{SINGLE_READ: True})  # _on_begin leaves it alone
    return engine.execution_options(isolation_level="AUTOCOMMIT")


def _sqlite_engine(url: str) -> Engine:
    # A file database keeps its connections in a pool: opening one per transaction re-reads
    # the schema, re-runs the PRAGMAs and checkpoints the WAL on every close (milliseconds
    # per `show`, ~10 ms per small ingest). In-memory databases get no pool sharing at all.
    path = sqlite_path(url)
    pooled = path is not None
    read_only = read_only_reason(url) is not None
    engine = create_engine(
        _read_only_url(path) if read_only and path is not None else url,
        poolclass=QueuePool if pooled else NullPool,
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves, see module docstring
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        if path is not None and not read_only:
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        options = conn.get_execution_options()
        if options.get(SINGLE_READ, False):
            return  # one SELECT is its own snapshot: no BEGIN, no ROLLBACK round trip
        conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get("revtrack_write", False) else "BEGIN")

    return engine


@contextmanager
def translate_errors(url: str) -> Iterator[None]:
    """Turn the driver's failures into revtrack's, each with a message that says what to do."""
    try:
        yield
    except OperationalError as exc:
        message = str(exc.orig) if exc.orig is not None else str(exc)
        if "locked" in message or "busy" in message:
            raise DatabaseLocked("The database is locked by another process.") from exc
        if "no such table" in message or "does not exist" in message:
            raise SchemaOutOfDate(f"The database is missing revtrack tables ({message}).") from exc
        if "connection" in message.lower() or "could not" in message.lower():
            raise DatabaseError(
                f"Cannot connect to the database: {message.splitlines()[0]}",
                "Check --db or REVTRACK_DATABASE_URL and that the server is running.",
            ) from exc
        raise DatabaseError(f"Database error: {message.splitlines()[0]}") from exc
    except SADatabaseError as exc:
        if isinstance(exc, IntegrityError):
            raise
        message = str(exc.orig) if exc.orig is not None else str(exc)
        raise DatabaseError(
            f"The file is not a usable database: {message.splitlines()[0]}",
            "Check the --db path.",
        ) from exc
