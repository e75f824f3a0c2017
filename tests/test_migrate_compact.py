"""Migration 0003 (compact rows) converts a real 0002 database without changing any value.

The 0002 database is made the way an older revtrack left it: the schema by Alembic up to 0002,
then every row of a database filled through the API (ingests with a revert and notes, manual
corrections, a superseded and a retracted one, a bulk import with its own event chain) copied
in through the reflected 0002 tables, so hashes go in as hex text and times as the driver's
own datetime storage, exactly as the old models wrote them.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import Connection, Engine, MetaData, inspect, select, text

from revtrack import Revtrack
from revtrack.cli import cli
from revtrack.store.engine import make_engine, resolve_url
from revtrack.store.hashing import GENESIS
from revtrack.store.migrate import SCHEMA_HEAD
from revtrack.store.models import Article, Base, EventChain
from revtrack.store.sources import shown_source

ROOT = Path(__file__).resolve().parent.parent
TABLES = (
    "articles",
    "revisions",
    "revision_texts",
    "corrections",
    "correction_links",
    "correction_states",
    "events",
    "import_items",
)


def _alembic(direction: str, target: str) -> None:
    """Run the checkout's alembic on REVTRACK_DATABASE_URL (the `db_url` fixture sets it)."""
    from alembic import command
    from alembic.config import Config

    getattr(command, direction)(Config(str(ROOT / "alembic.ini")), target)


def _fill(rt: Revtrack, corpus: Path) -> None:
    body = "The ferry left at {t} with {n} passengers aboard.\n\nIt reached the island at noon.\n"
    rt.ingest_text(body.format(t="9:05", n=40), article="ferry", at="2024-03-01T10:00:00.123456")
    rt.ingest_text(body.format(t="9:15", n=40), article="ferry", at="2024-03-01T11:30:00.000001")
    rt.ingest_text(body.format(t="9:05", n=40), article="ferry", at="2024-03-02T08:00:00")  # revert
    rt.ingest_text(
        body.format(t="9:05", n=42)
        + "\nCorrection: An earlier version of this story misstated the number of passengers.\n",
        article="ferry",
        at="2024-03-02T09:45:12.5",
    )
    rt.ingest_text("A short note about the harbour.\n", article="harbour", at="1969-07-20T20:17:40")
    note = rt.correct("ferry", "The departure time was 9:05, not 9:15.", rev="v2")
    rt.supersede(note.record.id, "The departure time was 9:05.")
    other = rt.correct("harbour", "A note that was wrong.")
    rt.retract(other.record.id, "Added by mistake.")
    for d in range(2):
        folder = corpus / f"doc-{d}"
        folder.mkdir(parents=True)
        for v in range(1, 4):
            (folder / f"v{v:03d}.txt").write_text(f"Document {d} says {v * 7} things.\n")
    rt.import_directory(str(corpus), worker="w1")


def _copy_rows(source: Engine, target: Engine) -> None:
    """Every row of a head database into the (older) tables ``target`` has, as they are."""
    old = MetaData()
    old.reflect(target)
    chains = EventChain.__table__
    with source.connect() as src, target.begin() as dst:
        for name in TABLES:
            table = Base.metadata.tables[name]
            query = select(table).order_by(*table.primary_key.columns)
            if name == "events":
                # the head schema derives an event's previous hash (migration 0008)
                before = table.alias("before")
                prev = (
                    select(before.c.hash)
                    .where(before.c.chain_id == table.c.chain_id)
                    .where(before.c.seq == table.c.seq - 1)
                    .scalar_subquery()
                )
                query = query.add_columns(chains.c.name.label("chain"), prev.label("prev_hash"))
                query = query.join(chains, chains.c.id == table.c.chain_id)
            if name == "revisions":  # the head schema stores sources by key (migration 0009)
                articles = Article.__table__
                query = query.add_columns(articles.c.key.label("article_key"))
                query = query.join(articles, articles.c.id == table.c.article_id)
            rows = [dict(row._mapping) for row in src.execute(query)]
            for row in rows:
                row.pop("chain_id", None)
                if name == "revisions":
                    row["source"] = shown_source(row.pop("article_key"), row["source"])
                if name == "events" and row["seq"] == 1:
                    row["prev_hash"] = GENESIS
            if not rows:
                continue
            dst.execute(old.tables[name].insert(), rows)
            if target.dialect.name == "postgresql" and "id" in table.c:
                sequence = f"pg_get_serial_sequence('{name}', 'id')"
                dst.execute(text(f"SELECT setval({sequence}, MAX(id)) FROM {name}"))


def _raw(conn: Connection) -> dict[str, list[dict[str, Any]]]:
    """Each table's rows as the driver returns them, no column types applied."""
    return {
        name: [dict(r._mapping) for r in conn.execute(text(f"SELECT * FROM {name} ORDER BY 1"))]
        for name in TABLES
    }


def _state(rt: Revtrack) -> dict[str, Any]:
    """Everything Python sees: records, events, every text, and the export."""
    with rt.store.read() as tx:
        articles = tx.articles()
        revisions = {a.key: tx.revisions(a.id) for a in articles}
        events = tx.events(limit=10_000)
        chains = {c: tx.chain_events(c) for c in tx.chains()}
    texts = {
        f"{key}@v{r.number}": rt.show(f"{key}@v{r.number}")[1]
        for key, revs in revisions.items()
        for r in revs
    }
    return {
        "articles": articles,
        "revisions": revisions,
        "events": events,
        "chains": chains,
        "texts": texts,
        "corrections": rt.corrections(),
        "export": list(rt.export()),
    }


def test_upgrade_from_0002_keeps_every_value_and_verifies(
    db_url: str, tmp_path: Path, runner: CliRunner
) -> None:
    source = Revtrack(str(tmp_path / "source.db"), create=True)
    _fill(source, tmp_path / "corpus")
    assert source.verify().ok
    expected = _state(source)
    assert {"ferry", "harbour", "import:w1"} <= set(expected["chains"])

    _alembic("upgrade", "0002")
    target = make_engine(resolve_url(db_url))
    _copy_rows(source.store.engine, target)
    source.close()
    with target.connect() as conn:
        before = _raw(conn)
    assert all(before[name] for name in TABLES)  # every table has rows to convert
    hashes = [r["content_hash"] for r in before["revisions"]]
    assert all(isinstance(h, str) and len(h) == 64 for h in hashes)  # hex text, as in 0002

    upgraded = runner.invoke(cli, ["db", "upgrade"])
    assert upgraded.output.endswith(f"schema {SCHEMA_HEAD} (upgraded from 0002)\n"), upgraded.output
    rt = Revtrack(db_url)
    report = rt.verify()
    assert report.ok, report.problems
    assert report.revisions == sum(len(r) for r in expected["revisions"].values())
    rt.store._cache.clear()
    assert _state(rt) == expected  # hashes, times (microseconds too), texts, export
    blob = "length" if target.dialect.name == "sqlite" else "octet_length"
    with target.connect() as conn:
        sizes = conn.execute(
            text(f"SELECT {blob}(content_hash), {blob}(hash) FROM revisions, events")
        ).all()
        assert set(sizes) == {(32, 32)}
        if target.dialect.name == "sqlite":
            kinds = conn.execute(
                text("SELECT DISTINCT typeof(captured_at), typeof(at) FROM revisions, events")
            ).all()
            assert kinds == [("integer", "integer")]
    # packed texts (0009, `revtrack pack`) read the same and go back to rows of their own
    assert rt.pack().rows == report.revisions
    rt.store._cache.clear()
    assert _state(rt) == expected
    rt.close()

    # and back: 0002 gets exactly the rows it had
    _alembic("downgrade", "0002")
    with target.connect() as conn:
        after = _raw(conn)
    for name in TABLES:
        for old_row, new_row in zip(before[name], after[name], strict=True):
            assert new_row == old_row, name
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0

    rt = Revtrack(db_url)
    rt.ingest_text("The ferry left at 9:05 with 43 passengers.\n", article="ferry")
    rt.ingest_text("A new story.\n", article="new-story")
    rt.correct("ferry", "The number of passengers was 43.")
    assert [r.number for r in rt.log("ferry").revisions] == [1, 2, 3, 4, 5]
    report = rt.verify()
    assert report.ok, report.problems
    with rt.store.read() as tx:
        assert [e.seq for e in tx.chain_events("ferry")][-1] > len(expected["chains"]["ferry"])
    exported = [json.loads(line) for line in rt.export()]
    assert any(r.get("chain") == "new-story" for r in exported)
    rt.close()
    target.dispose()


def test_the_new_types_refuse_what_they_cannot_store_exactly() -> None:
    from revtrack.store.types import from_micros, hash_to_bytes, micros

    for moment in (datetime(2024, 3, 1, 10, 0, 0, 123456), datetime(1969, 7, 20, 20, 17, 40, 1)):
        assert from_micros(micros(moment)) == moment
    for bad in ("AB" * 32, "ab" * 31, "zz" * 32):
        with pytest.raises(ValueError):
            hash_to_bytes(bad)


def test_a_failed_upgrade_leaves_the_0002_database_as_it_was(db_url: str, tmp_path: Path) -> None:
    from revtrack.store.migrate import upgrade

    source = Revtrack(str(tmp_path / "source.db"), create=True)
    source.ingest_text("One version.\n", article="a")
    _alembic("upgrade", "0002")
    target = make_engine(resolve_url(db_url))
    _copy_rows(source.store.engine, target)
    source.close()
    old = MetaData()
    old.reflect(target)
    with target.begin() as conn:
        row = dict(conn.execute(select(old.tables["revisions"])).one()._mapping)
        row.update(id=2, number=2, content_hash="not a hash")  # no 0002 revtrack wrote this
        conn.execute(old.tables["revisions"].insert(), [row])
        if target.dialect.name == "postgresql":
            conn.execute(text("SELECT setval(pg_get_serial_sequence('revisions', 'id'), 2)"))
        before = _raw(conn)
    with pytest.raises(Exception, match=r"hexadecimal|function raised"):
        upgrade(target)
    with target.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0002"
        assert _raw(conn) == before
        assert not inspect(conn).has_table("event_chains")
        if target.dialect.name == "sqlite":  # the pooled connection enforces foreign keys again
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    target.dispose()
