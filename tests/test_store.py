"""The store: migrations match the models, schemas are checked, text comes back exactly."""

from __future__ import annotations

import itertools
import sqlite3
import warnings
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from revtrack import Revtrack
from revtrack.errors import DatabaseLocked, NoDatabase, SchemaOutOfDate
from revtrack.store import Store
from revtrack.store.codec import KEYFRAME_INTERVAL, MAX_CHAIN
from revtrack.store.migrate import SCHEMA_HEAD, head_from_scripts, modelled
from revtrack.store.models import Base


def test_schema_head_constant_matches_the_scripts() -> None:
    assert head_from_scripts() == SCHEMA_HEAD


EXPRESSION_INDEX = "ix_revisions_article_content8"
"""SQLAlchemy reflects no expression index on SQLite: compared apart, by its definition."""


def test_migrations_match_the_models(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    def include(obj: object, name: str | None, kind: str, reflected: bool, other: object) -> bool:
        return not (kind == "index" and name == EXPRESSION_INDEX)

    store = Store(db_url, create=True)
    with store.engine.connect() as conn, warnings.catch_warnings():
        warnings.filterwarnings("ignore", f".*expression-based index {EXPRESSION_INDEX}")
        warnings.filterwarnings("ignore", f".*expression-based index '{EXPRESSION_INDEX}'")
        context = MigrationContext.configure(
            conn, opts={"include_object": include, "include_name": modelled}
        )
        diffs = compare_metadata(context, Base.metadata)
        if store.backend == "postgresql":
            definition = conn.execute(
                text("SELECT indexdef FROM pg_indexes WHERE indexname = :n"),
                {"n": EXPRESSION_INDEX},
            ).scalar()
        else:
            definition = conn.execute(
                text("SELECT sql FROM sqlite_master WHERE name = :n"), {"n": EXPRESSION_INDEX}
            ).scalar()
    store.dispose()
    assert diffs == []
    assert "substr(content_hash, 1, 8)" in str(definition)


def _plan(store: Store, sql: str, **params: object) -> str:
    with store.engine.connect() as conn:
        rows = conn.execute(text("EXPLAIN QUERY PLAN " + sql), params).all()
    return " | ".join(str(row[-1]) for row in rows)


def test_every_lookup_path_has_an_index(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "x.db"), create=True)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", f".*expression-based index {EXPRESSION_INDEX}")
        names = {
            (table, tuple(ix["column_names"]))
            for table in (
                "revisions",
                "corrections",
                "correction_links",
                "events",
                "revision_texts",
            )
            for ix in inspect(store.engine).get_indexes(table)
        }
    # revert detection: the article and an 8-byte prefix of the hash, then the whole hash
    content = _plan(
        store,
        "SELECT id FROM revisions WHERE article_id = :a AND substr(content_hash, 1, 8) = :p "
        "AND content_hash = :h",
        a=1,
        p=b"12345678",
        h=b"1" * 32,
    )
    # a time ref: the article's rows through an index that starts with it, none of its own
    moment = _plan(
        store,
        "SELECT id FROM revisions WHERE article_id = :a AND captured_at <= :t "
        "ORDER BY captured_at DESC, number DESC LIMIT 1",
        a=1,
        t=0,
    )
    store.dispose()
    assert EXPRESSION_INDEX in content
    assert "USING INDEX" in moment and "(article_id=?)" in moment
    assert ("corrections", ("article_id",)) in names
    assert ("correction_links", ("correction_id",)) in names
    assert ("events", ("article_id",)) not in names  # events are read by chain: its unique pair


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "x.db"), create=True)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
    store.dispose()


def test_read_only_open_never_creates_a_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.db"
    with pytest.raises(NoDatabase, match="No revtrack database at"):
        Revtrack(str(path))
    assert not path.exists()


def test_older_schema_is_refused_with_the_command_to_run(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    Store(str(path), create=True).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0000'")
    with pytest.raises(SchemaOutOfDate, match="not one this revtrack knows"):
        Revtrack(str(path))


def test_schema_of_a_newer_revtrack_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    Store(str(path), create=True).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(SchemaOutOfDate) as info:
        Revtrack(str(path))
    assert "Upgrade revtrack" in str(info.value)


def test_a_plain_sqlite_file_is_not_taken_for_a_database(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (x)")
    with pytest.raises(NoDatabase, match="has no revtrack schema"):
        Revtrack(str(path))


def test_locked_database_gives_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "locked.db"
    rt = Revtrack(str(path), create=True)
    rt.ingest_text("First text.", article="a")
    import revtrack.store.engine as engine_module

    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 100)
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        fast = Revtrack(str(path))
        with pytest.raises(DatabaseLocked, match="locked by another process"):
            fast.ingest_text("Second text.", article="a")
        fast.close()
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert [r.number for r in rt.log("a").revisions] == [1]
    rt.close()


def test_long_history_rebuilds_exactly_through_bounded_chains(rt: Revtrack) -> None:
    texts = []
    body = [f"Sentence {i} of the story says {i * 7} people came." for i in range(60)]
    for n in range(40):
        body[n % 60] = f"Sentence {n} was edited in version {n}, now {n * 3} people."
        texts.append("\n\n".join(body) + ("\r\n" if n % 3 == 0 else "\n"))
    for n, body_text in enumerate(texts):
        rt.ingest_text(body_text, article="long", at=f"2024-01-01T00:{n:02d}:00")
    rt.store._cache.clear()
    for n, body_text in enumerate(texts, start=1):
        assert rt.show(f"long@v{n}")[1] == body_text
    with rt.store.read() as tx:
        revs = tx.revisions(tx.get_article("long").id)  # type: ignore[union-attr]
        rows = [tx.raw_text_row(r.id) for r in revs]
    keyframes = [i for i, (codec_name, _, _) in enumerate(rows, 1) if codec_name == "zstd"]
    assert keyframes[0] == 1
    assert all(b - a <= KEYFRAME_INTERVAL for a, b in itertools.pairwise(keyframes))
    # every chain reaches a keyframe within MAX_CHAIN deltas: a bounded rebuild
    base_of = {r.id: base for r, (_, base, _) in zip(revs, rows, strict=True)}
    for revision in revs:
        steps, current = 0, revision.id
        while base_of[current] is not None:
            current, steps = base_of[current], steps + 1  # type: ignore[assignment]
        assert steps <= MAX_CHAIN
    assert any(base_of[r.id] not in (None, *(revs[k - 1].id for k in keyframes)) for r in revs)


def test_migration_upgrade_from_the_checkout_with_alembic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alembic import command
    from alembic.config import Config

    root = Path(__file__).resolve().parent.parent
    config = Config(str(root / "alembic.ini"))
    db = tmp_path / "alembic.db"
    monkeypatch.setenv("REVTRACK_DATABASE_URL", str(db))
    command.upgrade(config, "head")
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == SCHEMA_HEAD
    engine.dispose()


def test_a_rolled_back_ingest_leaves_no_stale_text_behind(
    rt: Revtrack, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt.ingest_text("First version of the story.", article="a")
    import revtrack.service.ingest as ingest_module

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("failure after the text was stored")

    with monkeypatch.context() as patch:
        patch.setattr(ingest_module, "process_notes", boom)
        with pytest.raises(RuntimeError):
            rt.ingest_text("A version that never made it.", article="a")
    other = Revtrack(rt.store.url)  # another process, with its own text cache
    other.ingest_text("Second version of the story.", article="a")
    other.close()
    # the new revision may reuse the rolled-back one's id: its text must be its own
    assert rt.show("a@v2")[1] == "Second version of the story."
    assert [r.number for r in rt.log("a").revisions] == [1, 2]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE revisions SET number = 9",
        "DELETE FROM revisions",
        "UPDATE revision_texts SET codec = 'zstd'",
        "UPDATE events SET actor = 'mallory'",
        "DELETE FROM events",
        "DELETE FROM corrections",
        "UPDATE event_chains SET name = 'b'",
    ],
)
def test_history_is_append_only_in_the_database_itself(rt: Revtrack, statement: str) -> None:
    from sqlalchemy.exc import DatabaseError as SADatabaseError

    rt.ingest_text("A story.\n\nCorrection: An earlier version misstated the day.", article="a")
    with pytest.raises(SADatabaseError, match="append-only"), rt.store.engine.begin() as conn:
        conn.execute(text(statement))
    assert rt.verify().ok


def test_a_database_at_the_first_schema_is_refused_then_upgraded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alembic import command
    from alembic.config import Config
    from click.testing import CliRunner

    from revtrack.cli import cli

    root = Path(__file__).resolve().parent.parent
    db = tmp_path / "old.db"
    monkeypatch.setenv("REVTRACK_DATABASE_URL", str(db))
    command.upgrade(Config(str(root / "alembic.ini")), "0001")
    runner = CliRunner()
    refused = runner.invoke(cli, ["log", "x"])
    assert refused.exit_code == 1
    assert refused.output == (
        f"Error: The database schema is at 0001, this revtrack needs {SCHEMA_HEAD}. "
        "Run `revtrack db upgrade`.\n"
    )
    assert runner.invoke(cli, ["db", "current"]).output == (
        f"0001 (head is {SCHEMA_HEAD}): run `revtrack db upgrade`\n"
    )
    upgraded = runner.invoke(cli, ["db", "upgrade"])
    assert upgraded.output == f"{db}: schema {SCHEMA_HEAD} (upgraded from 0001)\n"
    assert runner.invoke(cli, ["ingest", "-", "-a", "x"], input="Text.\n").exit_code == 0
