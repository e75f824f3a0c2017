"""Lean rows: packed stats and meta, no stored previous event hash, fewer indexes.

What the database held beside the text, per stored revision on the shared corpora
(bench/results/store.md): ``stats`` and ``meta`` as JSON text (72 and 95 bytes, mostly the same
key names in every row), every event's ``prev_hash`` (32 bytes, the ``hash`` of the event
before it), the revert index over whole 32-byte hashes (49 bytes), an index on capture times
(22), and ones on text bases and on events' article ids (12 each) that no query needs. This:

* packs ``revisions.stats`` and ``revisions.meta`` (:mod:`revtrack.store.packed`: NULL when
  empty, else compact JSON compressed against a fixed dictionary of key names) — the values
  Python sees are the same, so every seal still holds;
* drops ``events.prev_hash``: reads derive it from ``(chain, seq - 1)`` and `verify` checks the
  chain exactly as before; a restore refuses an export whose chain does not follow;
* indexes revert detection on an 8-byte prefix of ``content_hash`` (the query confirms the
  whole hash), and drops ``ix_revisions_article_captured`` (a time ref scans the article's
  rows through an index that starts with its article), ``ix_revision_texts_base_revision_id``
  and ``ix_events_article_id`` (events are read by chain; articles are never deleted).

Rows are converted in pages of ids, with the append-only triggers of 0002 dropped around the
conversion and made again. Columns are replaced by add, fill, drop, rename, on both backends
(SQLite >= 3.35 drops a column in place), so no table is copied. SQLite keeps the freed pages
for later writes; `VACUUM` returns them.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 15:40:00
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

from revtrack.store.packed import pack, unpack

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

GUARDED = ("revisions", "events")
PAGE = 2000  # rows per page of the conversion
GENESIS = bytes(32)


def _guards(create: bool, postgresql: bool) -> None:
    """The triggers of 0002 on the converted tables (the PostgreSQL function is still there)."""
    for table in GUARDED:
        if postgresql:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION revtrack_append_only()"
                if create
                else f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"
            )
            continue
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'revtrack: {table} is append-only ({action} "
                "refused)'); END"
                if create
                else f"DROP TRIGGER IF EXISTS {table}_no_{action.lower()}"
            )


def _json_text(value: Any) -> str:
    """JSON text as SQLAlchemy's JSON type writes it (``json.dumps`` with its defaults)."""
    return json.dumps(unpack(value))


def _repack(bind: sa.Connection, *, forward: bool, postgresql: bool) -> None:
    """Replace ``stats`` and ``meta`` by their packed form (or, going back, JSON)."""
    new_type = "BYTEA" if postgresql and forward else "BLOB" if forward else "JSON"
    for column in ("stats", "meta"):
        op.execute(f"ALTER TABLE revisions ADD COLUMN {column}_new {new_type}")
    last = 0
    while True:
        rows = bind.execute(
            sa.text("SELECT id, stats, meta FROM revisions WHERE id > :last ORDER BY id LIMIT :n"),
            {"last": last, "n": PAGE},
        ).all()
        if not rows:
            break
        last = int(rows[-1][0])
        if forward:
            cells = [{"i": r[0], "s": pack(unpack(r[1])), "m": pack(unpack(r[2]))} for r in rows]
        else:
            cells = [{"i": r[0], "s": _json_text(r[1]), "m": _json_text(r[2])} for r in rows]
        cast = "CAST(:s AS JSON)" if postgresql and not forward else ":s"
        bind.execute(
            sa.text(
                f"UPDATE revisions SET stats_new = {cast}, meta_new = {cast.replace(':s', ':m')} "
                "WHERE id = :i"
            ),
            cells,
        )
    for column in ("stats", "meta"):
        op.execute(f"ALTER TABLE revisions DROP COLUMN {column}")
        op.execute(f"ALTER TABLE revisions RENAME COLUMN {column}_new TO {column}")
    if not forward and postgresql:
        for column in ("stats", "meta"):
            op.execute(f"ALTER TABLE revisions ALTER COLUMN {column} SET NOT NULL")


def upgrade() -> None:
    bind = op.get_bind()
    postgresql = bind.dialect.name == "postgresql"
    _guards(False, postgresql)
    _repack(bind, forward=True, postgresql=postgresql)
    op.execute("ALTER TABLE events DROP COLUMN prev_hash")
    op.drop_index("ix_revisions_article_captured", table_name="revisions")
    op.drop_index("ix_revisions_article_content", table_name="revisions")
    op.execute(
        "CREATE INDEX ix_revisions_article_content8 ON revisions "
        "(article_id, substr(content_hash, 1, 8))"
    )
    op.drop_index("ix_revision_texts_base_revision_id", table_name="revision_texts")
    op.drop_index("ix_events_article_id", table_name="events")
    _guards(True, postgresql)


def downgrade() -> None:
    bind = op.get_bind()
    postgresql = bind.dialect.name == "postgresql"
    _guards(False, postgresql)
    op.create_index("ix_events_article_id", "events", ["article_id"])
    op.create_index("ix_revision_texts_base_revision_id", "revision_texts", ["base_revision_id"])
    op.drop_index("ix_revisions_article_content8", table_name="revisions")
    op.create_index("ix_revisions_article_content", "revisions", ["article_id", "content_hash"])
    op.create_index("ix_revisions_article_captured", "revisions", ["article_id", "captured_at"])
    op.add_column("events", sa.Column("prev_hash", sa.LargeBinary(length=32), nullable=True))
    op.execute(
        "UPDATE events SET prev_hash = (SELECT b.hash FROM events b "
        "WHERE b.chain_id = events.chain_id AND b.seq = events.seq - 1)"
    )
    bind.execute(sa.text("UPDATE events SET prev_hash = :g WHERE seq = 1"), {"g": GENESIS})
    if postgresql:
        op.execute("ALTER TABLE events ALTER COLUMN prev_hash SET NOT NULL")
    _repack(bind, forward=False, postgresql=postgresql)
    _guards(True, postgresql)
