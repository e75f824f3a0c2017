"""Append-only guards, and an index to find a fetched page's last revision by its URL.

Revisions, their texts, corrections with their links and states, and the event log are only
ever appended to. revtrack never updates or deletes them; these triggers make any other
program that tries (a stray script, a hand-typed UPDATE) fail loudly instead of silently
rewriting history. `revtrack verify` still catches an edit made by someone who drops them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 22:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

GUARDED = (
    "revisions",
    "revision_texts",
    "corrections",
    "correction_links",
    "correction_states",
    "events",
)


def upgrade() -> None:
    op.create_index(
        "ix_revisions_url_source",
        "revisions",
        ["source"],
        sqlite_where=sa.text("source_kind = 'url'"),
        postgresql_where=sa.text("source_kind = 'url'"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE OR REPLACE FUNCTION revtrack_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'revtrack: % is append-only (% refused)', TG_TABLE_NAME, TG_OP;
            END;
            $$ LANGUAGE plpgsql
            """
        )
        for table in GUARDED:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION revtrack_append_only()"
            )
        return
    for table in GUARDED:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'revtrack: {table} is append-only ({action} "
                "refused)'); END"
            )


def downgrade() -> None:
    op.drop_index("ix_revisions_url_source", table_name="revisions")
    if op.get_bind().dialect.name == "postgresql":
        for table in GUARDED:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute("DROP FUNCTION IF EXISTS revtrack_append_only()")
        return
    for table in GUARDED:
        for action in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{action}")
