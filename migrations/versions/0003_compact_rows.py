"""Compact rows: hashes as 32 bytes, times as integer microseconds, event chains by id.

Beyond the text itself, most of the database was row overhead: five SHA-256 hashes per
revision and event as 64-character hex, eight times as ISO text, and every event repeating its
chain's name (an article key) in the row and again in the ``(chain, seq)`` index. This stores
hashes as BLOB/BYTEA, times as BIGINT microseconds since 1970-01-01 (naive UTC, as before)
and names chains once in ``event_chains``. The models convert on the way in and out
(:mod:`revtrack.store.types`), so no value Python sees changes: `verify` still holds.

The append-only triggers of 0002 are dropped around the conversion and made again (now also on
``event_chains``). On SQLite a column's declared type can only change by copying the table, and
copying a table that others refer to needs ``PRAGMA foreign_keys`` off, which SQLite allows only
outside a transaction: ``revtrack db upgrade`` (and the checkout's ``alembic``) turn it off
around the whole upgrade and run ``PRAGMA foreign_key_check`` before committing
(:func:`revtrack.store.migrate.foreign_keys_off`). Values are converted in place first, then
the tables are copied with their new declared types.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 23:15:00
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

GUARDED_0002 = (
    "revisions",
    "revision_texts",
    "corrections",
    "correction_links",
    "correction_states",
    "events",
)
GUARDED = (*GUARDED_0002, "event_chains")
HASHES = {
    "revisions": ("content_hash", "text_hash", "chain_hash"),
    "events": ("prev_hash", "hash"),
}
TIMES = {
    "articles": ("created_at",),
    "revisions": ("captured_at", "ingested_at"),
    "corrections": ("created_at",),
    "correction_links": ("created_at",),
    "correction_states": ("created_at",),
    "events": ("at",),
    "import_items": ("updated_at",),
}
TABLES = tuple(TIMES)  # every table with a converted column (events and revisions included)
EPOCH = datetime(1970, 1, 1)
# the text SQLAlchemy's SQLite DateTime writes and reads
SQLITE_TIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f"
# exact on every PostgreSQL version (EXTRACT(EPOCH) is a float before 14)
PG_MICROS = (
    "(EXTRACT(EPOCH FROM date_trunc('second', {c}))::bigint * 1000000"
    " + mod(EXTRACT(MICROSECONDS FROM {c})::bigint, 1000000))"
)
PG_TIME = "(TIMESTAMP '1970-01-01 00:00:00' + {c} * INTERVAL '1 microsecond')"


def _micros(value: str) -> int:
    delta = datetime.fromisoformat(value) - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _iso(value: int) -> str:
    return (EPOCH + timedelta(microseconds=value)).strftime(SQLITE_TIME_FORMAT)


def _unhex(value: str) -> bytes:
    if len(value) != 64:
        raise ValueError(f"not a SHA-256 in hex: {value!r}")
    return bytes.fromhex(value)


def _hex(value: bytes) -> str:
    return bytes(value).hex()


def _sqlite_setup(bind: sa.Connection) -> None:
    if bind.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError(
            "revtrack migration 0003 copies tables that others refer to: run it through "
            "`revtrack db upgrade` (or this checkout's alembic), which turns SQLite's "
            "foreign-key enforcement off around the upgrade and checks the keys after it."
        )
    raw: Any = bind.connection.dbapi_connection
    for name, function in (
        ("revtrack_micros", _micros),
        ("revtrack_iso", _iso),
        ("revtrack_unhex", _unhex),
        ("revtrack_hex", _hex),
    ):
        raw.create_function(name, 1, function, deterministic=True)


def _drop_guards(tables: tuple[str, ...], postgresql: bool) -> None:
    for table in tables:
        if postgresql:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        else:
            for action in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{action}")


def _create_guards(tables: tuple[str, ...], postgresql: bool) -> None:
    """The triggers of 0002 (the PostgreSQL function it made is still there)."""
    for table in tables:
        if postgresql:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION revtrack_append_only()"
            )
            continue
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'revtrack: {table} is append-only ({action} "
                "refused)'); END"
            )


def _url_index() -> None:
    op.create_index(
        "ix_revisions_url_source",
        "revisions",
        ["source"],
        sqlite_where=sa.text("source_kind = 'url'"),
        postgresql_where=sa.text("source_kind = 'url'"),
    )


def _convert(table: str, *, forward: bool, postgresql: bool) -> None:
    """Change the types of ``table``'s hash and time columns, converting every value."""
    hashes, times = HASHES.get(table, ()), TIMES.get(table, ())
    # One type for both ends of each pair: the downgrade swaps them.
    old_hash: sa.types.TypeEngine[Any] = sa.String(64)
    new_hash: sa.types.TypeEngine[Any] = sa.LargeBinary(32)
    old_time: sa.types.TypeEngine[Any] = sa.DateTime()
    new_time: sa.types.TypeEngine[Any] = sa.BigInteger()
    if not forward:
        old_hash, new_hash, old_time, new_time = new_hash, old_hash, new_time, old_time
    if postgresql:
        for column in hashes:
            using = f"decode({column}, 'hex')" if forward else f"encode({column}, 'hex')"
            op.alter_column(
                table,
                column,
                type_=new_hash,
                existing_type=old_hash,
                existing_nullable=False,
                postgresql_using=using,
            )
        for column in times:
            using = (PG_MICROS if forward else PG_TIME).format(c=column)
            op.alter_column(
                table,
                column,
                type_=new_time,
                existing_type=old_time,
                existing_nullable=False,
                postgresql_using=using,
            )
        return
    # SQLite keeps whatever a row holds whatever the declared type: convert the values in
    # place, then copy the table with the new declared types. The copy CASTs each changed
    # column to its new type, harmless for a blob into BLOB, an integer into BIGINT or DATETIME
    # and hex text into VARCHAR, but not for ISO text into DATETIME (NUMERIC: '2024-…' -> 2024),
    # so on the way back times become text only after the copy.
    if forward:
        sets = [f"{c} = revtrack_unhex({c})" for c in hashes]
        sets += [f"{c} = revtrack_micros({c})" for c in times]
    else:
        sets = [f"{c} = revtrack_hex({c})" for c in hashes]
    if sets:
        op.execute(f"UPDATE {table} SET {', '.join(sets)}")
    with op.batch_alter_table(table, recreate="always") as batch:
        for column in hashes:
            batch.alter_column(
                column, type_=new_hash, existing_type=old_hash, existing_nullable=False
            )
        for column in times:
            batch.alter_column(
                column, type_=new_time, existing_type=old_time, existing_nullable=False
            )
        if table == "events":
            _events_chain(batch, forward=forward)
    if not forward:
        op.execute(f"UPDATE {table} SET {', '.join(f'{c} = revtrack_iso({c})' for c in times)}")


def _events_chain(batch: Any, *, forward: bool) -> None:
    """Swap events' chain name for the chain id (or back), its unique pair with it."""
    if forward:
        batch.drop_constraint("uq_events_chain_seq", type_="unique")
        batch.drop_column("chain")
        batch.alter_column("chain_id", existing_type=sa.Integer(), nullable=False)
        batch.create_unique_constraint("uq_events_chain_id_seq", ["chain_id", "seq"])
        batch.create_foreign_key(
            "fk_events_chain_id_event_chains", "event_chains", ["chain_id"], ["id"]
        )
    else:
        batch.drop_constraint("fk_events_chain_id_event_chains", type_="foreignkey")
        batch.drop_constraint("uq_events_chain_id_seq", type_="unique")
        batch.drop_column("chain_id")
        batch.alter_column("chain", existing_type=sa.String(300), nullable=False)
        batch.create_unique_constraint("uq_events_chain_seq", ["chain", "seq"])


def upgrade() -> None:
    bind = op.get_bind()
    postgresql = bind.dialect.name == "postgresql"
    if not postgresql:
        _sqlite_setup(bind)
    _drop_guards(GUARDED_0002, postgresql)
    op.create_table(
        "event_chains",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_chains")),
        sa.UniqueConstraint("name", name=op.f("uq_event_chains_name")),
    )
    op.execute("INSERT INTO event_chains (name) SELECT DISTINCT chain FROM events ORDER BY chain")
    op.add_column("events", sa.Column("chain_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE events SET chain_id = "
        "(SELECT id FROM event_chains WHERE event_chains.name = events.chain)"
    )
    if not postgresql:
        # the table copy would reflect this index without its WHERE: made again below
        op.drop_index("ix_revisions_url_source", table_name="revisions")
    for table in TABLES:
        _convert(table, forward=True, postgresql=postgresql)
    if postgresql:
        with op.batch_alter_table("events") as batch:
            _events_chain(batch, forward=True)
    else:
        _url_index()
    _create_guards(GUARDED, postgresql)


def downgrade() -> None:
    bind = op.get_bind()
    postgresql = bind.dialect.name == "postgresql"
    if not postgresql:
        _sqlite_setup(bind)
    _drop_guards(GUARDED, postgresql)
    op.add_column("events", sa.Column("chain", sa.String(length=300), nullable=True))
    op.execute(
        "UPDATE events SET chain = "
        "(SELECT name FROM event_chains WHERE event_chains.id = events.chain_id)"
    )
    if not postgresql:
        op.drop_index("ix_revisions_url_source", table_name="revisions")
    for table in TABLES:
        _convert(table, forward=False, postgresql=postgresql)
    if postgresql:
        with op.batch_alter_table("events") as batch:
            _events_chain(batch, forward=False)
    else:
        _url_index()
    op.drop_table("event_chains")
    _create_guards(GUARDED_0002, postgresql)
