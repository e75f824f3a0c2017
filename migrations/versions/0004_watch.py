"""Watching: followed pages, feeds and section pages, their URL forms, per-host rules.

``watches`` holds each followed URL with its schedule state (next due time, recent change
times, consecutive failures, the validators for a conditional request) and, while a worker
fetches it, a claim that expires on its own; ``watch_urls`` maps every cleaned form of a URL
seen for a watch (its own, redirect targets, ``rel=canonical``) to it, so one story is one
watch; ``watch_hosts`` keeps the per-host concurrency, spacing, skip patterns and CSS rules
(applied before extraction) that every worker honours. What each fetch saw goes to the
existing append-only event log (chain ``watch:<id>``), so these tables hold only state and
are updated in place.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "watches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("host", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("pattern", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("every_s", sa.Integer(), nullable=True),
        sa.Column("until_s", sa.Integer(), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("merged_into", sa.Integer(), nullable=True),
        sa.Column("born_at", sa.BigInteger(), nullable=False),
        sa.Column("added_at", sa.BigInteger(), nullable=False),
        sa.Column("next_at", sa.BigInteger(), nullable=True),
        sa.Column("claim_token", sa.String(length=40), nullable=True),
        sa.Column("claimed_by", sa.String(length=200), nullable=False),
        sa.Column("not_before", sa.BigInteger(), nullable=True),
        sa.Column("last_fetch_at", sa.BigInteger(), nullable=True),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_result", sa.String(length=32), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("last_change_at", sa.BigInteger(), nullable=True),
        sa.Column("recent_changes", sa.JSON(), nullable=False),
        sa.Column("change_count", sa.Integer(), nullable=False),
        sa.Column("fetch_count", sa.Integer(), nullable=False),
        sa.Column("fails", sa.Integer(), nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("body_hash", sa.LargeBinary(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name=op.f("fk_watches_article_id_articles")
        ),
        sa.ForeignKeyConstraint(
            ["merged_into"], ["watches.id"], name=op.f("fk_watches_merged_into_watches")
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["watches.id"], name=op.f("fk_watches_parent_id_watches")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watches")),
    )
    with op.batch_alter_table("watches", schema=None) as batch_op:
        batch_op.create_index("ix_watches_next_at", ["next_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_watches_host"), ["host"], unique=False)
        batch_op.create_index(batch_op.f("ix_watches_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_watches_article_id"), ["article_id"], unique=False)
        batch_op.create_index(
            "ix_watches_claimed_host",
            ["host"],
            unique=False,
            sqlite_where=sa.text("claim_token IS NOT NULL"),
            postgresql_where=sa.text("claim_token IS NOT NULL"),
        )

    op.create_table(
        "watch_urls",
        sa.Column("ident", sa.String(length=2000), nullable=False),
        sa.Column("watch_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["watch_id"], ["watches.id"], name=op.f("fk_watch_urls_watch_id_watches")
        ),
        sa.PrimaryKeyConstraint("ident", name=op.f("pk_watch_urls")),
    )
    with op.batch_alter_table("watch_urls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_watch_urls_watch_id"), ["watch_id"], unique=False)

    op.create_table(
        "watch_hosts",
        sa.Column("host", sa.String(length=300), nullable=False),
        sa.Column("concurrency", sa.Integer(), nullable=False),
        sa.Column("delay_ms", sa.Integer(), nullable=False),
        sa.Column("next_slot_at", sa.BigInteger(), nullable=True),
        sa.Column("skip", sa.JSON(), nullable=False),
        sa.Column("include", sa.JSON(), nullable=False),
        sa.Column("remove", sa.JSON(), nullable=False),
        sa.Column("robots", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("host", name=op.f("pk_watch_hosts")),
    )


def downgrade() -> None:
    op.drop_table("watch_hosts")
    with op.batch_alter_table("watch_urls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_watch_urls_watch_id"))
    op.drop_table("watch_urls")
    with op.batch_alter_table("watches", schema=None) as batch_op:
        batch_op.drop_index("ix_watches_claimed_host")
        batch_op.drop_index(batch_op.f("ix_watches_article_id"))
        batch_op.drop_index(batch_op.f("ix_watches_parent_id"))
        batch_op.drop_index(batch_op.f("ix_watches_host"))
        batch_op.drop_index("ix_watches_next_at")
    op.drop_table("watches")
