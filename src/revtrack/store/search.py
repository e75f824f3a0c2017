"""The article search index: substrings of keys and headlines, found without a scan.

The article list's search finds ``q`` anywhere in an article's key or title, in any case
(:mod:`revtrack.store.browse`): a LIKE / ILIKE that, alone, reads every article. The index
makes it a lookup, and never changes what is found:

* **SQLite**: an FTS5 table with the trigram tokenizer over ``articles.key`` and ``title``
  (external content: it holds the trigrams, not a second copy of the text), kept in step by
  triggers on ``articles``, so every path that writes an article (ingest, every import,
  restore, a hand-typed INSERT) updates it in the same transaction. A search of three
  characters or more takes the candidates from the index (trigrams fold case fully) and
  keeps those the LIKE of before matches, so the results are the scan's exactly. Shorter
  searches have no trigram to look up and scan, as before.
* **PostgreSQL**: GIN indexes with pg_trgm's ``gin_trgm_ops`` on both columns, which the
  planner uses for the same ILIKE (the query does not change at all). The extension is
  created in ``public`` when it is missing and this role may; when it cannot be had the
  search scans, :func:`method` says so and ``revtrack serve`` prints it; once an
  administrator has run ``CREATE EXTENSION pg_trgm``, ``revtrack db upgrade`` adds the
  indexes.

SQLite without FTS5 or older than 3.34 (no trigram tokenizer) scans too, and says so alike.
A later migration that copies ``articles`` (Alembic's batch mode on SQLite) drops its
triggers with the old table: it must call :func:`install` again.
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection, text

TABLE = "article_search"  # the SQLite FTS5 table (and its shadow tables, article_search_*)
PG_INDEXES = ("ix_articles_key_trgm", "ix_articles_title_trgm")
MIN_INDEXED = 3  # characters: a trigram index has nothing to look up in a shorter search

_log = logging.getLogger("revtrack.search")

_SQLITE_TRIGGERS = {
    "articles_search_insert": (
        f"AFTER INSERT ON articles BEGIN INSERT INTO {TABLE} (rowid, key, title)"
        " VALUES (new.id, new.key, new.title); END"
    ),
    "articles_search_delete": (
        f"AFTER DELETE ON articles BEGIN INSERT INTO {TABLE} ({TABLE}, rowid, key, title)"
        " VALUES ('delete', old.id, old.key, old.title); END"
    ),
    "articles_search_update": (
        f"AFTER UPDATE OF key, title ON articles BEGIN"
        f" INSERT INTO {TABLE} ({TABLE}, rowid, key, title)"
        " VALUES ('delete', old.id, old.key, old.title);"
        f" INSERT INTO {TABLE} (rowid, key, title) VALUES (new.id, new.key, new.title); END"
    ),
}


def is_index_object(name: str | None) -> bool:
    """True for the index's own tables and indexes, which the models do not describe (the
    migrations' comparison with the models leaves them out)."""
    return bool(name) and (name == TABLE or str(name).startswith(f"{TABLE}_") or name in PG_INDEXES)


def install(conn: Connection) -> str | None:
    """Create the index where it is missing and fill it; None when made (or there), else
    why the search will scan. Idempotent: the migration and ``db upgrade`` both call it."""
    if conn.dialect.name == "sqlite":
        return _install_sqlite(conn)
    if conn.dialect.name == "postgresql":
        return _install_postgres(conn)
    return f"no search index for {conn.dialect.name}"


def remove(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        for name in _SQLITE_TRIGGERS:
            conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
        conn.execute(text(f"DROP TABLE IF EXISTS {TABLE}"))
    elif conn.dialect.name == "postgresql":
        for name in PG_INDEXES:
            conn.execute(text(f"DROP INDEX IF EXISTS {name}"))


def method(conn: Connection) -> str | None:
    """What indexes the search here ('fts5 trigram', 'pg_trgm'), or None: it scans."""
    if conn.dialect.name == "sqlite":
        names = [TABLE, *_SQLITE_TRIGGERS]
        found = conn.execute(
            text(
                "SELECT count(*) FROM sqlite_master WHERE name IN ("
                + ", ".join(f"'{n}'" for n in names)
                + ")"
            )
        ).scalar()
        return "fts5 trigram" if found == len(names) else None
    if conn.dialect.name == "postgresql":
        found = conn.execute(
            text(
                "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema()"
                " AND tablename = 'articles' AND indexname = ANY(:names)"
            ),
            {"names": list(PG_INDEXES)},
        ).scalar()
        return "pg_trgm" if found == len(PG_INDEXES) else None
    return None


def _install_sqlite(conn: Connection) -> str | None:
    exists = (
        conn.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :t"), {"t": TABLE}
        ).first()
        is not None
    )
    if not exists:
        try:
            with conn.begin_nested():
                conn.execute(
                    text(
                        f"CREATE VIRTUAL TABLE {TABLE} USING fts5(key, title,"
                        " content='articles', content_rowid='id', tokenize='trigram')"
                    )
                )
        except Exception as exc:  # no FTS5 in this SQLite, or no trigram tokenizer (< 3.34)
            why = f"this SQLite ({_sqlite_version(conn)}) has no FTS5 trigram tokenizer: {exc}"
            _log.warning("article search will scan: %s", why)
            return why
    for name, body in _SQLITE_TRIGGERS.items():
        conn.execute(text(f"CREATE TRIGGER IF NOT EXISTS {name} {body}"))
    if not exists:
        conn.execute(text(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('rebuild')"))  # the backfill
    return None


def _sqlite_version(conn: Connection) -> str:
    return str(conn.execute(text("SELECT sqlite_version()")).scalar())


def _trgm_schema(conn: Connection) -> str | None:
    return conn.execute(
        text(
            "SELECT n.nspname FROM pg_extension AS e"
            " JOIN pg_namespace AS n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'"
        )
    ).scalar()


def _install_postgres(conn: Connection) -> str | None:
    schema, why = _trgm_schema(conn), ""
    if schema is None:
        # In ``public``, not in this connection's schema: the extension is one per database,
        # and a schema dropped with CASCADE would take it from every other schema's indexes.
        for statement in (
            "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public",
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        ):
            try:
                with conn.begin_nested():  # a refusal (or a race with another) rolls back alone
                    conn.execute(text(statement))
            except Exception as exc:
                why = str(exc).strip().splitlines()[0]
            schema = _trgm_schema(conn)  # made here, or by a concurrent migration meanwhile
            if schema is not None:
                break
        else:
            why = (
                f"pg_trgm cannot be created by this role ({why}); ask an administrator to run "
                "CREATE EXTENSION pg_trgm in this database, then run `revtrack db upgrade`"
            )
            _log.warning("article search will scan: %s", why)
            return why
    for name, column in zip(PG_INDEXES, ("key", "title"), strict=True):
        conn.execute(
            text(
                f'CREATE INDEX IF NOT EXISTS {name} ON articles USING gin ({column} "{schema}".'
                "gin_trgm_ops)"
            )
        )
    return None
