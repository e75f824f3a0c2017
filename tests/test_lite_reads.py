"""The stdlib-only reader (store/lite.py) gives exactly what the store gives, or steps aside.

`show`, `log` and `diff` on the command line read a plain SQLite file through
:class:`revtrack.store.lite.LiteReader` so that they never import SQLAlchemy. The store's own
reads are the reference: on the same fixture as tests/test_quick_reads.py (keyframes and delta
chains, a revert, detected, removed, superseded and retracted notes) every record and text
must be equal. Whenever the reader cannot answer plainly it returns None, and the store's path
— which words every error — runs instead.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from revtrack import Revtrack
from revtrack.cli import cli
from revtrack.store.lite import LiteReader
from test_quick_reads import KEY, _versions, story  # noqa: F401  (story is a fixture)


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """SQLite only, here: the reader reads SQLite files (PostgreSQL: the test below)."""
    url = str(tmp_path / "revtrack.db")
    monkeypatch.setenv("REVTRACK_DATABASE_URL", url)
    return url


def _lite(rt: Revtrack) -> LiteReader:
    reader = LiteReader.open(rt.store.url)
    assert reader is not None
    return reader


@pytest.mark.postgres
def test_a_postgresql_database_gets_no_stdlib_reader(pg_schema_url: str) -> None:
    with Revtrack(pg_schema_url, create=True) as rt:
        rt.ingest_text("One version.", article="one")
        assert LiteReader.open(pg_schema_url) is None
        assert rt.show("one")[1] == "One version."


def test_log_is_the_stores_log(story: Revtrack) -> None:  # noqa: F811
    reader = _lite(story)
    for key in (KEY, "lonely"):
        expected = story.store.article_log(key)
        assert expected is not None
        assert reader.article_log(key) == expected
    assert reader.article_log("nope") is None


@pytest.mark.parametrize("number", [None, 1, 2, 9, 12, 13, 25, 30])
def test_show_is_the_stores_show(story: Revtrack, number: int | None) -> None:  # noqa: F811
    reader = _lite(story)
    expected = story.store.revision_with_text(KEY, number)
    assert expected is not None
    assert reader.revision_with_text(KEY, number) == expected
    assert reader.revision_with_text(KEY, 31) is None
    assert reader.revision_with_text("nope") is None


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (("latest", 1), ("latest", 0)),
        (("number", 3), ("number", 20)),
        (("number", 20), ("number", 3)),
        (("number", 7), ("number", 7)),
        (("latest", 29), ("number", 25)),
        (("latest", 30), ("latest", 0)),
        (("number", 0), ("latest", 0)),
        (("number", 31), ("latest", 0)),
    ],
)
def test_a_pair_is_the_stores_pair(
    story: Revtrack,  # noqa: F811
    old: tuple[str, int],
    new: tuple[str, int],
) -> None:
    reader = _lite(story)
    expected = story.store.revision_pair(KEY, old, new)  # type: ignore[arg-type]
    assert reader.revision_pair(KEY, old, new) == expected  # type: ignore[arg-type]


def test_the_article_list_is_the_stores(story: Revtrack) -> None:  # noqa: F811
    """Every article with its counts and times, and pages of the list, as the store gives them."""
    reader = _lite(story)
    story.ingest_text("A second story.\n", article="another", at="2024-03-01T09:00:00")
    with story.store.read() as tx:
        assert reader.articles() == tx.articles()
        assert reader.articles(offset=1, limit=1) == tx.articles(offset=1, limit=1)
        assert reader.articles(limit=0) == tx.articles(limit=0) == []
    assert [a.key for a in reader.articles() or []] == sorted(a.key for a in story.articles())


def _cli_db(tmp_path: Path) -> str:
    db = str(tmp_path / "cli.db")
    with Revtrack(db, create=True) as rt:
        for n, text in enumerate(_versions()[:6]):
            rt.ingest_text(text, article="a/b c", at=f"2024-02-01T10:{n:02d}:00")
    return db


def test_the_commands_give_the_same_output_both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each command, through the stdlib reader and with it switched off, prints the same."""
    db = _cli_db(tmp_path)
    commands = [
        ["show", "a-b-c"],
        ["show", "a-b-c@v2"],
        ["show", "a/b c@first~1"],  # not found as typed: the store normalises the key
        ["log", "a-b-c"],
        ["log", "a-b-c", "--format", "json"],
        ["diff", "a-b-c"],
        ["diff", "a-b-c", "v1", "v5", "--format", "json"],
        ["diff", "a-b-c", "2024-02-01T10:01:30"],  # a time: the store resolves it
        ["articles"],
        ["articles", "--format", "json"],
    ]
    runner = CliRunner()
    quick = [runner.invoke(cli, ["--db", db, *c]) for c in commands]
    monkeypatch.setattr(LiteReader, "open", classmethod(lambda cls, db: None))
    slow = [runner.invoke(cli, ["--db", db, *c]) for c in commands]
    for command, a, b in zip(commands, quick, slow, strict=True):
        assert a.exit_code == 0, (command, a.output)
        assert (command, a.output) == (command, b.output)


def test_corrections_give_the_same_output_both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example: Path
) -> None:
    """`corrections KEY` through the log's stdlib reads and through the store: detected,
    manual, superseded and retracted notes alike, and a key the store must normalise."""
    db = str(tmp_path / "notes.db")
    runner = CliRunner()
    steps = [
        ["ingest", *(str(example / f"v{n}.txt") for n in (1, 2, 3))],
        ["correct", "ferry", "--rev", "v2", "--note", "An earlier version misstated the pier."],
        ["correct", "--supersede", "2", "--note", "An earlier version misnamed the pier."],
        ["correct", "--retract", "1", "--reason", "Entered twice"],
    ]
    for step in steps:
        done = runner.invoke(cli, ["--db", db, *step])
        assert done.exit_code == 0, (step, done.output)
    commands = [
        ["corrections", "ferry"],
        ["corrections", "ferry", "--format", "json"],
        ["corrections", "FERRY"],  # not found as typed: the store's path
        ["corrections"],  # every article: the store's path
    ]
    quick = [runner.invoke(cli, ["--db", db, *c]) for c in commands]
    monkeypatch.setattr(LiteReader, "open", classmethod(lambda cls, db: None))
    slow = [runner.invoke(cli, ["--db", db, *c]) for c in commands]
    for command, a, b in zip(commands, quick, slow, strict=True):
        assert (command, a.exit_code, a.output) == (command, b.exit_code, b.output)
    assert quick[0].exit_code == 0 and quick[0].output.count("\n") >= 4
    assert "retracted" in quick[1].output and "superseded" in quick[1].output.lower()


def test_another_schema_version_is_left_to_the_store(tmp_path: Path) -> None:
    db = _cli_db(tmp_path)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0003'")
    assert LiteReader.open(db) is None
    result = CliRunner().invoke(cli, ["--db", db, "show", "a-b-c"])
    assert result.exit_code != 0
    assert "The database schema is at 0003, this revtrack needs" in result.output
    assert "Traceback" not in result.output


def test_a_missing_or_foreign_file_is_left_to_the_store(tmp_path: Path) -> None:
    assert LiteReader.open(str(tmp_path / "missing.db")) is None
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    assert LiteReader.open(str(junk)) is None
    result = CliRunner().invoke(cli, ["--db", str(junk), "log", "x"])
    assert result.exit_code != 0 and "Traceback" not in result.output


def test_a_damaged_text_chain_is_left_to_the_store(tmp_path: Path) -> None:
    db = _cli_db(tmp_path)
    with sqlite3.connect(db) as conn:
        triggers = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
                ("revision_texts",),
            )
        ]
        for name in triggers:
            conn.execute(f'DROP TRIGGER "{name}"')
        conn.execute(
            "DELETE FROM revision_texts WHERE base_revision_id IS NULL AND revision_id = "
            "(SELECT min(id) FROM revisions)"
        )
    reader = LiteReader.open(db)
    assert reader is not None
    assert reader.revision_with_text("a-b-c", 2) is None
    result = CliRunner().invoke(cli, ["--db", db, "show", "a-b-c@v2"])
    assert result.exit_code != 0
    assert "has no complete chain of stored text" in result.output


@pytest.mark.slow
def test_reading_commands_never_import_sqlalchemy(tmp_path: Path) -> None:
    """The point of the reader: a whole `revtrack show/log/diff` process without SQLAlchemy
    (what it costs to import is the most of a reading command's start-up)."""
    db = _cli_db(tmp_path)
    for command in (
        ["show", "a-b-c"],
        ["log", "a-b-c"],
        ["diff", "a-b-c", "v1", "v6"],
        ["articles"],
        ["corrections", "a-b-c"],
    ):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "revtrack", "--db", db, *command],
            capture_output=True,
            text=True,
            check=True,
        )
        assert done.stdout.strip()
        imported = [line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()]
        assert "revtrack.service.facade" in imported
        assert not [m for m in imported if m.startswith("sqlalchemy")], command
        # Nor the diff engine and its classifier for commands that diff nothing.
        assert ("revtrack.diff.engine" in imported) == (command[0] == "diff"), command


def test_a_locked_database_is_left_to_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process holding SQLite's exclusive lock: the stdlib reader steps aside (None,
    not a traceback), and the store's path says the database is locked."""
    from revtrack.store import lite

    db = _cli_db(tmp_path)
    with sqlite3.connect(db) as conn:  # a rollback journal: a writer's lock then stops readers
        conn.execute("PRAGMA journal_mode = DELETE")
    monkeypatch.setattr(lite, "BUSY_TIMEOUT_MS", 50)
    reader = LiteReader.open(db)
    assert reader is not None
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("INSERT INTO articles (key, created_at) VALUES ('held', 0)")
    try:
        assert reader.revision_with_text("a-b-c") is None
        assert reader.article_log("a-b-c") is None
        assert reader.revision_pair("a-b-c", ("number", 1), ("number", 2)) is None
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert reader.revision_with_text("a-b-c") is not None  # the lock gone, it reads again
