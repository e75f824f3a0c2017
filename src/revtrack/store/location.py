"""Where the database is: the ``--db`` value, the environment, or ``./revtrack.db``.

Plain functions (no database library), so that the stdlib-only reader of
:mod:`revtrack.store.lite` finds the same file the engine of :mod:`revtrack.store.engine`
opens, by the same rules.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote, unquote

DEFAULT_DB = "revtrack.db"
ENV_URL = "REVTRACK_DATABASE_URL"
BUSY_TIMEOUT_MS = int(os.environ.get("REVTRACK_BUSY_TIMEOUT_MS", "5000"))


def resolve_url(db: str | None) -> str:
    """``--db`` wins, then ``REVTRACK_DATABASE_URL``, then ``./revtrack.db``.

    A bare path is a SQLite file; anything with ``://`` is taken as a SQLAlchemy URL
    (``postgresql://`` is mapped to the psycopg 3 driver).
    """
    value = db or os.environ.get(ENV_URL) or DEFAULT_DB
    if "://" not in value:
        return "sqlite:///" + str(Path(value).expanduser())
    if value.startswith("postgresql://") or value.startswith("postgres://"):
        value = "postgresql+psycopg://" + value.split("://", 1)[1]
    return value


def plain_sqlite_file(url: str) -> Path | None:
    """The file behind a plain ``sqlite:///PATH`` URL (as :func:`resolve_url` makes from a
    path), or None for anything else — another backend, a driver, query options, memory —
    which only the SQLAlchemy engine interprets."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url or "#" in url:
        return None
    path = unquote(url[len(prefix) :])
    if not path or path == ":memory:":
        return None
    return Path(path)


def read_only_uri(path: Path) -> str:
    """An SQLite URI filename opening ``path`` read-only (``file:…?mode=ro``).

    With the folder read-only SQLite cannot make the shared-memory file WAL reads need, so
    the file is opened as immutable when no WAL file is left beside it (nothing can write
    it then: nobody may create the journal either). Both the engine and the stdlib reader
    (:mod:`revtrack.store.lite`) open read-only files through this.
    """
    folder_writable = os.access(path.parent, os.W_OK)
    immutable = not folder_writable and not Path(f"{path}-wal").exists()
    return f"file:{quote(str(path.resolve()))}?mode=ro" + ("&immutable=1" if immutable else "")
