"""`revtrack pack`: texts moved into packs read back exactly, everywhere, and stay covered.

The reference is the database before packing: every revision's record and text (the quick
`show`, the general path, the stdlib reader, `diff`'s pair read), its stored codec rows and
the export must be the same after, on both backends; writes after a pack build their deltas
on packed bases; `verify` still passes, and fails naming the revision and the pack when a
packed byte is changed; the guards refuse changing a pack and deleting a text row no pack
holds.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from revtrack import Revtrack
from revtrack.cli import cli
from revtrack.records import RevisionRecord
from revtrack.store.engine import sqlite_path
from revtrack.store.lite import LiteReader
from test_show_fast import KEY, _versions

Snapshot = tuple[
    dict[int, tuple[RevisionRecord, str] | None],
    dict[int, tuple[str, int | None, bytes]],
    list[str],
]


@pytest.fixture
def history(rt: Revtrack) -> Iterator[Revtrack]:
    for n, text in enumerate(_versions()):
        rt.ingest_text(text, article=KEY, at=f"2024-01-01T00:{n:02d}:00", title=f"Title {n % 3}")
    rt.ingest_text("Another article's only text.", article="other")
    yield rt


def _snapshot(rt: Revtrack) -> Snapshot:
    shown: dict[int, tuple[RevisionRecord, str] | None] = {}
    rows: dict[int, tuple[str, int | None, bytes]] = {}
    for number in range(1, 41):
        rt.store._cache.clear()
        shown[number] = rt.store.revision_with_text(KEY, number)
    with rt.store.read() as tx:
        for key in (KEY, "other"):
            article = tx.get_article(key)
            assert article is not None
            for revision in tx.revisions(article.id):
                rows[revision.id] = tx.raw_text_row(revision.id)
    return shown, rows, [line for line in rt.export() if '"schema"' not in line]


def _pack(rt: Revtrack) -> tuple[int, int]:
    result = rt.pack()
    with rt.store.read() as tx:
        assert tx.loose_texts() == (0, 0)
    return result.packs, result.rows


def test_packed_texts_read_back_exactly_as_loose_ones(history: Revtrack) -> None:
    before = _snapshot(history)
    packs, rows = _pack(history)
    assert rows == 41 and packs == 1  # 41 texts of ~150 bytes: one pack
    assert _snapshot(history) == before
    history.store._cache.clear()
    assert history.show(f"{KEY}@v30")[1] == _versions()[29]
    history.store._cache.clear()
    pair = history.store.revision_pair(KEY, ("number", 3), ("latest", 0))
    assert pair is not None and (pair[1][1], pair[2][1]) == (_versions()[2], _versions()[39])
    assert history.verify().ok
    assert history.pack().rows == 0  # nothing left to pack


def test_writes_after_a_pack_build_on_packed_texts(history: Revtrack) -> None:
    _pack(history)
    later = [f"{_versions()[-1]}\nAnd a line added afterwards, number {n}.\n" for n in range(3)]
    for n, text in enumerate(later):
        history.store._cache.clear()  # the base must come from its pack
        history.ingest_text(text, article=KEY, at=f"2024-01-02T00:{n:02d}:00")
    with history.store.read() as tx:
        article = tx.get_article(KEY)
        assert article is not None
        newest = tx.revisions(article.id)[-3:]
        codecs = [tx.raw_text_row(r.id)[0] for r in newest]
    assert "zstd-delta" in codecs
    assert history.pack().rows == 3  # only the rows written since
    for n, text in enumerate(later, start=41):
        history.store._cache.clear()
        assert history.show(f"{KEY}@v{n}")[1] == text
    assert history.verify().ok


def test_an_article_longer_than_a_pack_spans_packs(history: Revtrack) -> None:
    before = _snapshot(history)
    with history.store.write() as tx:
        first = tx.pack_texts(target=1, max_rows=7)  # a pack per article, 7 rows at most
        rest = tx.pack_texts(target=1)
    assert (first.rows, rest.rows) == (7, 34)
    assert first.packs == 1 and rest.packs == 2  # the long story goes on; then "other"
    assert _snapshot(history) == before
    assert history.verify().ok


def _sqlite(rt: Revtrack) -> str:
    path = sqlite_path(rt.store.url)
    if path is None:
        pytest.skip("a SQLite file's own statements")
    return str(path)


def test_the_stdlib_reader_reads_packed_texts(history: Revtrack) -> None:
    _sqlite(history)
    _pack(history)
    reader = LiteReader.open(history.store.url)
    assert reader is not None
    try:
        for number in (1, 2, 3, 17, 30, 40):
            history.store._cache.clear()
            expected = history.store.revision_with_text(KEY, number)
            assert expected is not None and expected[1] == _versions()[number - 1]
            assert reader.revision_with_text(KEY, number) == expected
    finally:
        reader.close()


def test_a_changed_packed_byte_fails_verify_naming_revision_and_pack(history: Revtrack) -> None:
    path = _sqlite(history)
    _pack(history)
    history.close()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TRIGGER text_packs_no_update")
        start, length = conn.execute(
            "SELECT p.start, p.length FROM text_pieces p JOIN revisions r ON r.id = p.revision_id"
            " WHERE r.number = 40"
        ).fetchone()
        data = bytearray(conn.execute("SELECT data FROM text_packs").fetchone()[0])
        data[start + length - 2] ^= 0xFF
        conn.execute("UPDATE text_packs SET data = ?", (bytes(data),))
    rt = Revtrack(path)
    try:
        problems = rt.verify().problems
    finally:
        rt.close()
    assert any(f"({KEY}@v40)" in p for p in problems), problems
    assert problems[-1].startswith("text_packs #1: does not match its SHA-256")


def test_the_guards_keep_packs_and_unpacked_rows(history: Revtrack) -> None:
    path = _sqlite(history)
    with history.store.write() as tx:
        tx.pack_texts(max_rows=5)
    history.close()
    with sqlite3.connect(path) as conn:
        for statement in (
            "UPDATE text_packs SET data = x'00'",
            "DELETE FROM text_packs",
            "UPDATE text_pieces SET start = 0",
            "DELETE FROM text_pieces",
            "DELETE FROM revision_texts",  # loose rows no pack holds
            "UPDATE revision_texts SET data = x'00'",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute(statement)


@pytest.mark.postgres
def test_the_postgresql_guards_keep_packs_and_unpacked_rows(pg_schema_url: str) -> None:
    import psycopg

    with Revtrack(pg_schema_url, create=True) as rt:
        for n, text in enumerate(_versions()[:8]):
            rt.ingest_text(text, article=KEY, at=f"2024-01-01T00:{n:02d}:00")
        with rt.store.write() as tx:
            tx.pack_texts(max_rows=5)
    url, _, schema = pg_schema_url.partition("?options=-csearch_path%3D")
    with psycopg.connect(url) as conn:
        conn.execute(f"SET search_path = {schema}")
        for statement in (
            "UPDATE text_packs SET data = '\\x00'",
            "DELETE FROM text_pieces",
            "DELETE FROM revision_texts",
        ):
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                conn.execute(statement)
            conn.rollback()
            conn.execute(f"SET search_path = {schema}")


def test_the_pack_command(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    with Revtrack(db, create=True) as rt:
        for n, text in enumerate(_versions()[:6]):
            rt.ingest_text(text, article=KEY, at=f"2024-02-01T10:{n:02d}:00")
    runner = CliRunner()
    first = runner.invoke(cli, ["--db", db, "pack", "--quiet"])
    assert first.exit_code == 0, first.output
    assert first.output.startswith("Packed 6 texts (") and "into 1 pack(s)." in first.output
    again = runner.invoke(cli, ["--db", db, "pack", "--quiet"])
    assert again.output == "Nothing to pack: every text is already in a pack.\n"
    shown = runner.invoke(cli, ["--db", db, "show", f"{KEY}@v4"])
    assert shown.exit_code == 0 and _versions()[3].strip()[:40] in shown.output
    assert runner.invoke(cli, ["--db", db, "verify", "--quiet"]).exit_code == 0
