"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-24 22:10:57.767074
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("outlet", sa.String(length=200), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_articles")),
        sa.UniqueConstraint("key", name=op.f("uq_articles_key")),
    )
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_articles_outlet"), ["outlet"], unique=False)

    op.create_table(
        "import_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch", sa.String(length=500), nullable=False),
        sa.Column("doc", sa.String(length=500), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("worker", sa.String(length=200), nullable=False),
        sa.Column("revisions", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_items")),
        sa.UniqueConstraint("batch", "doc", name=op.f("uq_import_items_batch_doc")),
    )
    with op.batch_alter_table("import_items", schema=None) as batch_op:
        batch_op.create_index("ix_import_items_batch_state", ["batch", "state"], unique=False)

    op.create_table(
        "revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("captured_at", sa.DateTime(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("source_kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("byline", sa.Text(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("chain_hash", sa.String(length=64), nullable=False),
        sa.Column("revert_of_id", sa.Integer(), nullable=True),
        sa.Column("chars", sa.Integer(), nullable=False),
        sa.Column("words", sa.Integer(), nullable=False),
        sa.Column("words_added", sa.Integer(), nullable=False),
        sa.Column("words_removed", sa.Integer(), nullable=False),
        sa.Column("hunks", sa.Integer(), nullable=False),
        sa.Column("substantive_hunks", sa.Integer(), nullable=False),
        sa.Column("stats", sa.JSON(), nullable=False),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name=op.f("fk_revisions_article_id_articles")
        ),
        sa.ForeignKeyConstraint(
            ["revert_of_id"], ["revisions.id"], name=op.f("fk_revisions_revert_of_id_revisions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revisions")),
        sa.UniqueConstraint("article_id", "number", name=op.f("uq_revisions_article_id_number")),
    )
    with op.batch_alter_table("revisions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_revisions_article_captured", ["article_id", "captured_at"], unique=False
        )
        batch_op.create_index(
            "ix_revisions_article_content", ["article_id", "content_hash"], unique=False
        )

    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("printed_date", sa.String(length=100), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("disclosed_revision_id", sa.Integer(), nullable=True),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name=op.f("fk_corrections_article_id_articles")
        ),
        sa.ForeignKeyConstraint(
            ["disclosed_revision_id"],
            ["revisions.id"],
            name=op.f("fk_corrections_disclosed_revision_id_revisions"),
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"],
            ["corrections.id"],
            name=op.f("fk_corrections_supersedes_id_corrections"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corrections")),
    )
    with op.batch_alter_table("corrections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_corrections_article_id"), ["article_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_corrections_disclosed_revision_id"),
            ["disclosed_revision_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_corrections_supersedes_id"), ["supersedes_id"], unique=False
        )

    op.create_table(
        "revision_texts",
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("codec", sa.String(length=16), nullable=False),
        sa.Column("base_revision_id", sa.Integer(), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["base_revision_id"],
            ["revisions.id"],
            name=op.f("fk_revision_texts_base_revision_id_revisions"),
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"], ["revisions.id"], name=op.f("fk_revision_texts_revision_id_revisions")
        ),
        sa.PrimaryKeyConstraint("revision_id", name=op.f("pk_revision_texts")),
    )
    with op.batch_alter_table("revision_texts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_revision_texts_base_revision_id"), ["base_revision_id"], unique=False
        )

    op.create_table(
        "correction_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("correction_id", sa.Integer(), nullable=False),
        sa.Column("fixing_revision_id", sa.Integer(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("matched", sa.Boolean(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("linker_version", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["correction_id"],
            ["corrections.id"],
            name=op.f("fk_correction_links_correction_id_corrections"),
        ),
        sa.ForeignKeyConstraint(
            ["fixing_revision_id"],
            ["revisions.id"],
            name=op.f("fk_correction_links_fixing_revision_id_revisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_correction_links")),
    )
    with op.batch_alter_table("correction_links", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_correction_links_correction_id"), ["correction_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_correction_links_fixing_revision_id"),
            ["fixing_revision_id"],
            unique=False,
        )

    op.create_table(
        "correction_states",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("correction_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["correction_id"],
            ["corrections.id"],
            name=op.f("fk_correction_states_correction_id_corrections"),
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["revisions.id"],
            name=op.f("fk_correction_states_revision_id_revisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_correction_states")),
    )
    with op.batch_alter_table("correction_states", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_correction_states_correction_id"), ["correction_id"], unique=False
        )

    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chain", sa.String(length=300), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("revision_id", sa.Integer(), nullable=True),
        sa.Column("correction_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name=op.f("fk_events_article_id_articles")
        ),
        sa.ForeignKeyConstraint(
            ["correction_id"], ["corrections.id"], name=op.f("fk_events_correction_id_corrections")
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"], ["revisions.id"], name=op.f("fk_events_revision_id_revisions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
        sa.UniqueConstraint("chain", "seq", name=op.f("uq_events_chain_seq")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_events_article_id"), ["article_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_article_id"))

    op.drop_table("events")
    with op.batch_alter_table("correction_states", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_correction_states_correction_id"))

    op.drop_table("correction_states")
    with op.batch_alter_table("correction_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_correction_links_fixing_revision_id"))
        batch_op.drop_index(batch_op.f("ix_correction_links_correction_id"))

    op.drop_table("correction_links")
    with op.batch_alter_table("revision_texts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_revision_texts_base_revision_id"))

    op.drop_table("revision_texts")
    with op.batch_alter_table("corrections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_corrections_supersedes_id"))
        batch_op.drop_index(batch_op.f("ix_corrections_disclosed_revision_id"))
        batch_op.drop_index(batch_op.f("ix_corrections_article_id"))

    op.drop_table("corrections")
    with op.batch_alter_table("revisions", schema=None) as batch_op:
        batch_op.drop_index("ix_revisions_article_content")
        batch_op.drop_index("ix_revisions_article_captured")

    op.drop_table("revisions")
    with op.batch_alter_table("import_items", schema=None) as batch_op:
        batch_op.drop_index("ix_import_items_batch_state")

    op.drop_table("import_items")
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_articles_outlet"))

    op.drop_table("articles")
