"""Text packs (`revtrack pack` moves loose text rows several to a blob); sources by key.

A text row of its own wasted ~160 bytes of page slack per revision on the shared corpora
(1-4 KB keyframes do not fill 4 KB leaves; bench/results/store.md). This adds:

* ``text_packs`` (id, data, sha256): concatenated codec outputs of many revisions;
* ``text_pieces`` (revision_id, pack_id, start, length, base_revision_id): where each packed
  text is;
* append-only guards on both, and a new guard on deleting a ``revision_texts`` row: refused
  unless a piece already holds exactly its bytes and base (what `pack` does in the same
  transaction). Updates stay refused.

No text row is moved here: `revtrack pack` does that, when the user runs it. Going back
copies every piece into ``revision_texts`` again and drops the two tables.

And ``revisions.source`` is stored relative to the article's key where it starts with it
(:mod:`revtrack.store.sources`: a bulk import's ``<key>/v001.txt`` becomes a mark and
``/v001.txt``), with the append-only triggers of 0002 dropped around the conversion and made
again; going back writes the whole sources again. Records, seals and exports are unchanged.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from revtrack.store.sources import shown_source, stored_source

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
PAGE = 2000  # revisions per page of the source conversion


def _revision_guards(create: bool, postgresql: bool) -> None:
    """The triggers of 0002 on ``revisions`` (the PostgreSQL function is still there)."""
    if postgresql:
        op.execute(
            "CREATE TRIGGER revisions_append_only BEFORE UPDATE OR DELETE ON revisions "
            "FOR EACH ROW EXECUTE FUNCTION revtrack_append_only()"
            if create
            else "DROP TRIGGER IF EXISTS revisions_append_only ON revisions"
        )
        return
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER revisions_no_{action.lower()} BEFORE {action} ON revisions "
            f"BEGIN SELECT RAISE(ABORT, 'revtrack: revisions is append-only ({action} "
            "refused)'); END"
            if create
            else f"DROP TRIGGER IF EXISTS revisions_no_{action.lower()}"
        )


def _convert_sources(*, forward: bool, postgresql: bool) -> None:
    """Every ``revisions.source`` in its stored form (or, going back, whole again)."""
    bind = op.get_bind()
    _revision_guards(False, postgresql)
    last = 0
    while True:
        rows = bind.execute(
            sa.text(
                "SELECT r.id, a.key, r.source, r.source_kind FROM revisions r"
                " JOIN articles a ON a.id = r.article_id"
                " WHERE r.id > :last ORDER BY r.id LIMIT :n"
            ),
            {"last": last, "n": PAGE},
        ).all()
        if not rows:
            break
        last = int(rows[-1][0])
        cells = [
            {
                "i": i,
                "s": stored_source(key, cell, kind) if forward else shown_source(key, cell),
            }
            for i, key, cell, kind in rows
        ]
        changed = [c for c, r in zip(cells, rows, strict=True) if c["s"] != r[2]]
        if changed:
            bind.execute(sa.text("UPDATE revisions SET source = :s WHERE id = :i"), changed)
    _revision_guards(True, postgresql)


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
    _convert_sources(forward=True, postgresql=postgresql)
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
    _convert_sources(forward=False, postgresql=postgresql)
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
