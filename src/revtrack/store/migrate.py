"""Running the Alembic migrations that ship inside the package, and checking the schema.

The migrations directory is the top-level ``migrations/`` of the checkout, installed as the
package ``revtrack.migrations``, so a wheel-installed revtrack finds it from any working
directory. The current head is also written here as :data:`SCHEMA_HEAD` (a test keeps the
two equal) so that opening a database checks its version without loading Alembic.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text

from revtrack.store.schema_version import KNOWN_REVISIONS, SCHEMA_HEAD

__all__ = [
    "KNOWN_REVISIONS",
    "SCHEMA_HEAD",
    "current_version",
    "migrations_dir",
    "modelled",
    "upgrade",
]


def migrations_dir() -> Path:
    """Where the migration scripts are, in a checkout or in an installed wheel."""
    package = importlib.import_module("revtrack.migrations")
    return Path(str(package.__file__)).parent


def _config(connection: Connection) -> object:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.attributes["connection"] = connection
    return config


def modelled(name: str | None, type_: str, parent_names: object) -> bool:
    """Whether Alembic's comparison with the models should look at this table or index: the
    search index's FTS5 tables and trigram indexes are made in SQL, not by the models."""
    from revtrack.store.search import is_index_object

    return not is_index_object(name)


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Bring the database to the newest schema; return (version before, version after)."""
    from alembic import command

    with (
        engine.connect().execution_options(revtrack_write=True) as conn,
        foreign_keys_off(conn),
    ):
        before = current_version(conn)
        if before == SCHEMA_HEAD:
            # Nothing to migrate: no Alembic run and no foreign-key check, which reads every
            # row (seconds on a large file) and every write command opens with create=True.
            _search_index(conn)
            conn.commit()
            return before, SCHEMA_HEAD
        command.upgrade(_config(conn), "head")  # type: ignore[arg-type]
        check_foreign_keys(conn)
        conn.commit()
        return before, current_version(conn) or SCHEMA_HEAD


def _search_index(conn: Connection) -> None:
    """At the head already: add the search index if migration 0007 could not (pg_trgm was
    installed since, by an administrator), or if its SQLite triggers went missing."""
    from revtrack.store import search

    if search.method(conn) is None:
        search.install(conn)


@contextmanager
def foreign_keys_off(conn: Connection) -> Iterator[None]:
    """On SQLite, run the block with foreign-key enforcement off, as table copies need.

    A migration that changes a column's type copies the table, dropping the original, which
    enforcement refuses for a table that others refer to. SQLite ignores this pragma inside a
    transaction, so it is set on the connection before the upgrade's transaction starts and
    set back after it ends (committed or rolled back); :func:`check_foreign_keys` is what
    makes sure nothing dangles before the commit. Other backends: nothing to do.
    """
    if conn.dialect.name != "sqlite":
        yield
        return
    if conn.in_transaction():
        raise RuntimeError("foreign_keys_off must be entered before the transaction begins")
    raw = conn.connection.dbapi_connection
    assert raw is not None
    raw.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        if conn.in_transaction():
            conn.rollback()  # nothing to undo after a commit; the pragma needs no transaction
        raw.execute("PRAGMA foreign_keys = ON")


def check_foreign_keys(conn: Connection) -> None:
    """Refuse to commit an upgrade that left a row referring to nothing (SQLite)."""
    if conn.dialect.name != "sqlite":
        return
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"the upgrade would leave broken foreign keys: {broken[:5]}")


def current_version(conn: Connection) -> str | None:
    """The database's schema version, or None when it has no revtrack schema at all."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    return None if row is None else str(row[0])


def head_from_scripts() -> str:
    """The head revision as Alembic sees the scripts (used by tests and `db current`)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(migrations_dir()))
    head = script.get_current_head()
    assert head is not None
    return head
