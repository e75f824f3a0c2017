"""Raw pages kept, and texts re-derived from them.

Raw pages: the HTTP body each fetched or URL-ingested revision was extracted from.
``revision_raw`` holds, per revision, the page as the server sent it (before any site rule),
packed like the text: a zstd keyframe, or a zstd delta against an earlier page of the same
article (``base_revision_id``), with its content type, the URL it came from, its size and the
SHA-256 of its bytes. Like the other history tables it is append-only, guarded by the same
triggers as migration 0002 (the PostgreSQL function made there is reused).

``revision_rederived`` holds a revision's text read again from its kept page by `reextract`
(with the extractor and site rules of the day), packed against the original text, which is
never touched; append-only too, each row matched by a ``reextract`` event in the article's
hash-chained log.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

GUARDED = ("revision_raw", "revision_rederived")


def upgrade() -> None:
    op.create_table(
        "revision_raw",
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("codec", sa.String(length=16), nullable=False),
        sa.Column("base_revision_id", sa.Integer(), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("content_type", sa.String(length=200), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.LargeBinary(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["revision_id"], ["revisions.id"], name=op.f("fk_revision_raw_revision_id_revisions")
        ),
        sa.ForeignKeyConstraint(
            ["base_revision_id"],
            ["revisions.id"],
            name=op.f("fk_revision_raw_base_revision_id_revisions"),
        ),
        sa.PrimaryKeyConstraint("revision_id", name=op.f("pk_revision_raw")),
    )
    with op.batch_alter_table("revision_raw", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_revision_raw_base_revision_id"), ["base_revision_id"], unique=False
        )
    op.create_table(
        "revision_rederived",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("raw_revision_id", sa.Integer(), nullable=False),
        sa.Column("codec", sa.String(length=16), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("text_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("content_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("chars", sa.Integer(), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("extractor", sa.String(length=64), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["revisions.id"],
            name=op.f("fk_revision_rederived_revision_id_revisions"),
        ),
        sa.ForeignKeyConstraint(
            ["raw_revision_id"],
            ["revisions.id"],
            name=op.f("fk_revision_rederived_raw_revision_id_revisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revision_rederived")),
    )
    with op.batch_alter_table("revision_rederived", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_revision_rederived_revision_id"), ["revision_id"], unique=False
        )
    _guard(GUARDED)


def _guard(tables: tuple[str, ...]) -> None:
    """The append-only triggers of migration 0002, on ``tables``."""
    if op.get_bind().dialect.name == "postgresql":
        for table in tables:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION revtrack_append_only()"
            )
        return
    for table in tables:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'revtrack: {table} is append-only ({action} "
                "refused)'); END"
            )


def _unguard(tables: tuple[str, ...]) -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in tables:
        if postgres:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        else:
            for action in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{action}")


def downgrade() -> None:
    _unguard(GUARDED)
    with op.batch_alter_table("revision_rederived", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_revision_rederived_revision_id"))
    op.drop_table("revision_rederived")
    with op.batch_alter_table("revision_raw", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_revision_raw_base_revision_id"))
    op.drop_table("revision_raw")
