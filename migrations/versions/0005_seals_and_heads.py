"""Seals and heads: every shown fact hashed and chained per article, and each chain's end kept.

Before this, the revision hash chain covered a revision's number, text hash, capture time and
revert only, and nothing covered titles, bylines, sources, note texts, links, states or the
end of any chain: a title edited, or the newest revision or event removed, behind revtrack's
back went unseen. This adds a ``seal`` to every revision, correction, link and state row (the
hash of all its fields chained to the previous row of the same table and article: see
:mod:`revtrack.store.hashing`) and the ``heads`` table that records each chain's end.

Existing rows are sealed here, article by article in pages (memory stays bounded), in the
order revtrack wrote them: revisions by number, the rest by id. A revision whose original
hash chain is already broken is *not* sealed, nor any after it in its article, so an edit
made before the upgrade is not laundered into a valid seal: `revtrack verify` reports those
rows as unsealed. The append-only triggers of 0002 are dropped around the backfill and made
again.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 12:30:00
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from alembic import op

from revtrack.store.hashing import (
    GENESIS,
    TABLES,
    article_seal,
    head,
    revision_chain_hash,
    row_seal,
)

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SEALED_TABLES = ("revisions", "corrections", "correction_links", "correction_states")
PAGE = 500  # articles per page of the backfill
EPOCH = datetime(1970, 1, 1)


def _time(value: int | None) -> datetime | None:
    return None if value is None else EPOCH + timedelta(microseconds=int(value))


def _hex(value: Any) -> str | None:
    return None if value is None else bytes(value).hex()


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def _guards(create: bool, postgresql: bool) -> None:
    for table in SEALED_TABLES:
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


def _pages(ids: Sequence[int]) -> Iterator[tuple[int, int]]:
    for start in range(0, len(ids), PAGE):
        chunk = ids[start : start + PAGE]
        yield chunk[0], chunk[-1]


class _Chains:
    """The counts and tails of each article's four sealed chains, as the backfill goes."""

    def __init__(self) -> None:
        self.counts: dict[int, list[int]] = {}
        self.tails: dict[int, list[str]] = {}
        self.broken: set[int] = set()  # articles whose revisions stopped being sealed

    def tail_count(self, article_id: int) -> int:
        return self.counts.get(article_id, [0] * len(TABLES))[0]

    def tail(self, article_id: int, index: int) -> str:
        return self.tails.setdefault(article_id, [GENESIS] * len(TABLES))[index]

    def add(self, article_id: int, index: int, value: str) -> None:
        self.tail(article_id, index)
        self.counts.setdefault(article_id, [0] * len(TABLES))[index] += 1
        self.tails[article_id][index] = value


def _seal_revisions(
    bind: sa.Connection, lo: int, hi: int, keys: dict[int, str], chains: _Chains
) -> None:
    rows = bind.execute(
        sa.text(
            "SELECT r.id, r.article_id, r.number, r.captured_at, r.ingested_at, r.source, "
            "r.source_kind, r.title, r.byline, r.content_hash, r.text_hash, r.chain_hash, "
            "r.chars, r.words, r.words_added, r.words_removed, r.hunks, r.substantive_hunks, "
            "r.stats, r.meta, v.number FROM revisions r "
            "LEFT JOIN revisions v ON v.id = r.revert_of_id "
            "WHERE r.article_id BETWEEN :lo AND :hi ORDER BY r.article_id, r.number"
        ),
        {"lo": lo, "hi": hi},
    ).all()
    updates = []
    previous: dict[int, str] = {}
    for row in rows:
        aid, key = int(row[1]), keys[int(row[1])]
        values = {
            "number": row[2],
            "captured_at": _time(row[3]),
            "ingested_at": _time(row[4]),
            "source": row[5],
            "source_kind": row[6],
            "title": row[7],
            "byline": row[8],
            "content_hash": _hex(row[9]),
            "text_hash": _hex(row[10]),
            "chars": row[12],
            "words": row[13],
            "words_added": row[14],
            "words_removed": row[15],
            "hunks": row[16],
            "substantive_hunks": row[17],
            "stats": _json(row[18]) or {},
            "meta": _json(row[19]) or {},
            "revert_of": row[20],
        }
        expected = revision_chain_hash(
            previous.get(aid, GENESIS),
            key,
            int(row[2]),
            str(values["text_hash"]),
            values["captured_at"],
            row[20],
        )
        previous[aid] = str(_hex(row[11]))
        if expected != previous[aid] or int(row[2]) != chains.tail_count(aid) + 1:
            chains.broken.add(aid)
        if aid in chains.broken:
            continue
        value = row_seal(chains.tail(aid, 0), "revisions", key, values)
        chains.add(aid, 0, value)
        updates.append({"id": row[0], "seal": bytes.fromhex(value)})
    if updates:
        bind.execute(sa.text("UPDATE revisions SET seal = :seal WHERE id = :id"), updates)


def _seal_notes(
    bind: sa.Connection, lo: int, hi: int, keys: dict[int, str], chains: _Chains
) -> None:
    rows = bind.execute(
        sa.text(
            "SELECT c.id, c.article_id, c.kind, c.label, c.text, c.printed_date, c.origin, "
            "r.number, c.supersedes_id, c.actor, c.created_at FROM corrections c "
            "LEFT JOIN revisions r ON r.id = c.disclosed_revision_id "
            "WHERE c.article_id BETWEEN :lo AND :hi ORDER BY c.article_id, c.id"
        ),
        {"lo": lo, "hi": hi},
    ).all()
    seals: dict[int, str] = {}
    updates = []
    for row in rows:
        aid = int(row[1])
        values = {
            "kind": row[2],
            "label": row[3],
            "text": row[4],
            "printed_date": row[5],
            "origin": row[6],
            "disclosed_revision": row[7],
            "supersedes": None if row[8] is None else _note_seal(bind, int(row[8]), seals),
            "actor": row[9],
            "created_at": _time(row[10]),
        }
        value = row_seal(chains.tail(aid, 1), "corrections", keys[aid], values)
        chains.add(aid, 1, value)
        seals[int(row[0])] = value
        updates.append({"id": row[0], "seal": bytes.fromhex(value)})
    if updates:
        bind.execute(sa.text("UPDATE corrections SET seal = :seal WHERE id = :id"), updates)
    for table, index in (("correction_links", 2), ("correction_states", 3)):
        _seal_note_rows(bind, table, index, lo, hi, keys, chains, seals)


def _note_seal(bind: sa.Connection, correction_id: int, seals: dict[int, str]) -> str | None:
    if correction_id in seals:
        return seals[correction_id]
    found = bind.execute(
        sa.text("SELECT seal FROM corrections WHERE id = :id"), {"id": correction_id}
    ).scalar()
    return _hex(found)


def _seal_note_rows(
    bind: sa.Connection,
    table: str,
    index: int,
    lo: int,
    hi: int,
    keys: dict[int, str],
    chains: _Chains,
    seals: dict[int, str],
) -> None:
    if table == "correction_links":
        columns = "t.confidence, t.matched, t.evidence, t.linker_version"
        revision_column = "fixing_revision_id"
    else:
        columns = "t.state, t.reason"
        revision_column = "revision_id"
    rows = bind.execute(
        sa.text(
            f"SELECT t.id, c.article_id, t.correction_id, r.number, t.actor, t.created_at, "
            f"{columns} FROM {table} t JOIN corrections c ON c.id = t.correction_id "
            f"LEFT JOIN revisions r ON r.id = t.{revision_column} "
            "WHERE c.article_id BETWEEN :lo AND :hi ORDER BY c.article_id, t.id"
        ),
        {"lo": lo, "hi": hi},
    ).all()
    updates = []
    for row in rows:
        aid = int(row[1])
        values: dict[str, Any] = {
            "correction": _note_seal(bind, int(row[2]), seals),
            "actor": row[4],
            "created_at": _time(row[5]),
        }
        if table == "correction_links":
            values.update(
                fixing_revision=row[3],
                confidence=float(row[6]),
                matched=bool(row[7]),
                evidence=_json(row[8]) or [],
                linker_version=row[9],
            )
            name = "links"
        else:
            values.update(revision=row[3], state=row[6], reason=row[7])
            name = "states"
        value = row_seal(chains.tail(aid, index), name, keys[aid], values)
        chains.add(aid, index, value)
        updates.append({"id": row[0], "seal": bytes.fromhex(value)})
    if updates:
        bind.execute(sa.text(f"UPDATE {table} SET seal = :seal WHERE id = :id"), updates)


_TOP_EVENTS = (
    "SELECT ec.id, ec.name, e.seq, e.hash FROM event_chains ec "
    "LEFT JOIN (SELECT chain_id, MAX(seq) AS top FROM events GROUP BY chain_id) t "
    "ON t.chain_id = ec.id "
    "LEFT JOIN events e ON e.chain_id = ec.id AND e.seq = t.top "
)


def _article_heads(bind: sa.Connection, lo: int, hi: int, chains: _Chains) -> None:
    """The heads rows of a page of articles (their event chains made where missing)."""
    bind.execute(
        sa.text(
            "INSERT INTO event_chains (name) SELECT key FROM articles "
            "WHERE id BETWEEN :lo AND :hi AND key NOT IN (SELECT name FROM event_chains) "
            "ORDER BY key"
        ),
        {"lo": lo, "hi": hi},
    )
    rows = []
    for aid, key, url, outlet, title, created in bind.execute(
        sa.text(
            "SELECT id, key, url, outlet, title, created_at FROM articles "
            "WHERE id BETWEEN :lo AND :hi"
        ),
        {"lo": lo, "hi": hi},
    ):
        top = bind.execute(sa.text(_TOP_EVENTS + "WHERE ec.name = :name"), {"name": key}).one()
        counts = chains.counts.pop(int(aid), [0] * len(TABLES))
        tails = chains.tails.pop(int(aid), [GENESIS] * len(TABLES))
        rows.append(
            _head_row(
                top,
                counts,
                tails,
                article_seal(str(key), url, outlet, title, _time(created) or EPOCH),
            )
        )
    _insert_heads(bind, rows)


def _head_row(top: Any, counts: list[int], tails: list[str], article: str | None) -> dict[str, Any]:
    counts[4], tails[4] = (0, GENESIS) if top[2] is None else (int(top[2]), str(_hex(top[3])))
    return {
        "chain_id": top[0],
        **{t: n for t, n in zip(TABLES, counts, strict=True)},
        **{f"{t}_tail": bytes.fromhex(v) for t, v in zip(TABLES, tails, strict=True)},
        "article_seal": None if article is None else bytes.fromhex(article),
        "head": bytes.fromhex(head(str(top[1]), counts, tails)),
    }


def _detached_heads(bind: sa.Connection) -> None:
    """The heads rows of the event chains of no article ("-", importers, watches)."""
    rows = []
    for top in bind.execute(
        sa.text(_TOP_EVENTS + "WHERE ec.name NOT IN (SELECT key FROM articles)")
    ).all():
        rows.append(_head_row(top, [0] * len(TABLES), [GENESIS] * len(TABLES), None))
        if len(rows) >= 1000:
            _insert_heads(bind, rows)
            rows = []
    _insert_heads(bind, rows)


def _insert_heads(bind: sa.Connection, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    columns = list(rows[0])
    bind.execute(
        sa.text(
            f"INSERT INTO heads ({', '.join(columns)}) "
            f"VALUES ({', '.join(':' + c for c in columns)})"
        ),
        rows,
    )


def upgrade() -> None:
    bind = op.get_bind()
    postgresql = bind.dialect.name == "postgresql"
    for table in SEALED_TABLES:
        op.add_column(table, sa.Column("seal", sa.LargeBinary(length=32), nullable=True))
    op.create_table(
        "heads",
        sa.Column("chain_id", sa.Integer(), nullable=False),
        *(sa.Column(t, sa.Integer(), nullable=False) for t in TABLES),
        *(sa.Column(f"{t}_tail", sa.LargeBinary(length=32), nullable=False) for t in TABLES),
        sa.Column("article_seal", sa.LargeBinary(length=32), nullable=True),
        sa.Column("head", sa.LargeBinary(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["chain_id"], ["event_chains.id"], name=op.f("fk_heads_chain_id_event_chains")
        ),
        sa.PrimaryKeyConstraint("chain_id", name=op.f("pk_heads")),
    )
    _guards(False, postgresql)
    ids = [int(i) for i in bind.execute(sa.text("SELECT id FROM articles ORDER BY id")).scalars()]
    chains = _Chains()
    for lo, hi in _pages(ids):
        keys = {
            int(aid): str(key)
            for aid, key in bind.execute(
                sa.text("SELECT id, key FROM articles WHERE id BETWEEN :lo AND :hi"),
                {"lo": lo, "hi": hi},
            )
        }
        _seal_revisions(bind, lo, hi, keys, chains)
        _seal_notes(bind, lo, hi, keys, chains)
        _article_heads(bind, lo, hi, chains)
    _detached_heads(bind)
    _guards(True, postgresql)


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.drop_table("heads")
    _guards(False, postgresql)
    for table in SEALED_TABLES:
        op.execute(f"ALTER TABLE {table} DROP COLUMN seal")
    _guards(True, postgresql)
