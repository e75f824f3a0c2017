"""Text packs: `revtrack pack` moves loose text rows several to a blob.

A text row of its own wasted ~160 bytes of page slack per revision on the shared corpora
(1-4 KB keyframes do not fill 4 KB leaves; bench/results/store.md). This adds:

* ``text_packs`` (id, data, sha256): concatenated codec outputs of many revisions;
* ``text_pieces`` (revision_id, pack_id, start, length, base_revision_id): where each packed
  text is;
* append-only guards on both, and a new guard on deleting a ``revision_texts`` row: refused
  unless a piece already holds exactly its bytes and base (what `pack` does in the same
  transaction). Updates stay refused.

No row is moved here: `revtrack pack` does that, when the user runs it. Going back copies
every piece into ``revision_texts`` again and drops the two tables.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

NEW = ("text_packs", "text_pieces")
PACKED = (
    "EXISTS (SELECT 1 FROM text_pieces p JOIN text_packs k ON k.id = p.pack_id"
    " WHERE p.revision_id = OLD.revision_id"
    " AND p.base_revision_id IS {same} OLD.base_revision_id"
    " AND substr(k.data, p.start + 1, p.length) = OLD.data)"
)
"""A loose text row's exact bytes and base are held by a piece (SQLite / PostgreSQL form)."""


def _sqlite_text_guard(packed_only: bool) -> None:
    op.execute("DROP TRIGGER IF EXISTS revision_texts_no_delete")
    when = f" WHEN NOT {PACKED.format(same='')}" if packed_only else ""
    what = "unless packed" if packed_only else "refused"
    op.execute(
        f"CREATE TRIGGER revision_texts_no_delete BEFORE DELETE ON revision_texts{when} "
        f"BEGIN SELECT RAISE(ABORT, 'revtrack: revision_texts is append-only (DELETE {what})'); "
        "END"
    )


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "text_packs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.LargeBinary(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_text_packs")),
    )
    op.create_table(
        "text_pieces",
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("pack_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.Column("base_revision_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["revision_id"], ["revisions.id"], name=op.f("fk_text_pieces_revision_id_revisions")
        ),
        sa.ForeignKeyConstraint(
            ["pack_id"], ["text_packs.id"], name=op.f("fk_text_pieces_pack_id_text_packs")
        ),
        sa.ForeignKeyConstraint(
            ["base_revision_id"],
            ["revisions.id"],
            name=op.f("fk_text_pieces_base_revision_id_revisions"),
        ),
        sa.PrimaryKeyConstraint("revision_id", name=op.f("pk_text_pieces")),
    )
    if postgresql:
        for table in NEW:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION revtrack_append_only()"
            )
        op.execute(
            f"""
            CREATE OR REPLACE FUNCTION revtrack_text_packed() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'DELETE' AND {PACKED.format(same="NOT DISTINCT FROM")} THEN
                    RETURN OLD;
                END IF;
                RAISE EXCEPTION 'revtrack: % is append-only (% refused unless packed)',
                    TG_TABLE_NAME, TG_OP;
            END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute("DROP TRIGGER IF EXISTS revision_texts_append_only ON revision_texts")
        op.execute(
            "CREATE TRIGGER revision_texts_append_only BEFORE UPDATE OR DELETE ON revision_texts "
            "FOR EACH ROW EXECUTE FUNCTION revtrack_text_packed()"
        )
        return
    for table in NEW:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'revtrack: {table} is append-only ({action} "
                "refused)'); END"
            )
    _sqlite_text_guard(True)


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        op.execute("DROP TRIGGER IF EXISTS revision_texts_append_only ON revision_texts")
        op.execute(
            "CREATE TRIGGER revision_texts_append_only BEFORE UPDATE OR DELETE ON revision_texts "
            "FOR EACH ROW EXECUTE FUNCTION revtrack_append_only()"
        )
        op.execute("DROP FUNCTION IF EXISTS revtrack_text_packed()")
        for table in NEW:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    else:
        _sqlite_text_guard(False)
        for table in NEW:
            for action in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{action}")
    codec = "CASE WHEN p.base_revision_id IS NULL THEN 'zstd' ELSE 'zstd-delta' END"
    op.execute(
        "INSERT INTO revision_texts (revision_id, codec, base_revision_id, data) "
        f"SELECT p.revision_id, {codec}, p.base_revision_id, "
        "substr(k.data, p.start + 1, p.length) "
        "FROM text_pieces p JOIN text_packs k ON k.id = p.pack_id ORDER BY p.revision_id"
    )
    op.drop_table("text_pieces")
    op.drop_table("text_packs")
