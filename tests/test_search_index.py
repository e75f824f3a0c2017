"""The article search index (migration 0007) finds exactly what the scan of before found.

On each backend, articles with awkward keys and headlines (``/``, ``%``, ``_``, spaces,
quotes, a backslash, non-ASCII, an emoji) are searched for substrings of them in every case,
and for searches of one or two characters, which a trigram index cannot look up; each answer
must equal the scan's (SQLite: the LIKE without the FTS5 candidates, and Python's model of
it, ASCII letters in any case; PostgreSQL: the same ILIKE with index scans switched off).
Paging by key walks the same answer a page at a time. The index stays in step with the
articles on every path that writes them (ingest, bulk import, restore, a title changed, a
row inserted by hand), which SQLite's FTS5 ``integrity-check`` against its content table
proves, and migration 0007 fills it from the articles already stored.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from revtrack import Revtrack
from revtrack.store import browse
from revtrack.store.browse import matching
from revtrack.store.engine import make_engine, resolve_url
from revtrack.store.models import Article

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = [
    ("ferry", "Harbor Council Approves New Ferry Route"),
    ("corpus/doc", "Bridge & tunnel"),
    ("corpus/2024/doc 1", "Two words apart"),
    ("100% true", "Fifty_fifty odds"),
    ("a_b", None),
    ("Zürich/Straße 東京", "ÉTÉ à Zürich: l'été"),
    ('quote"d', 'He said "no" AND left'),
    ("back\\slash", "C:\\path NEAR here"),
    ("emoji 🚢", "Ship 🚢 ahoy"),
    ("UPPER/Case", "MiXeD cAsE"),
]
QUERIES = [
    *("fer", "FERRY", "ferry route", "harbor council approves new ferry route", "rry r"),
    *("/", "%", "_", "a_b", "a%b", "100%", "% t", "doc 1", "2024/doc", "c 1", "s/d"),
    *("zü", "ZÜ", "Zürich", "zürich", "ZÜRICH", "straße", "STRASSE", "東京", "京", "été"),
    *("ÉTÉ", "Été", "l'été", "'", '"', '"no"', 'd "no" and', "\\", "c:\\p", "\\slash"),
    *("🚢", "ship 🚢", "🚢 ahoy", "e", "E", "x", "ab", "ix", "mixed", "MIXED case"),
    *("NEAR", "and", "OR", "*", "fer*", "-", "^fer", "(", ":", "AND left", "nothing"),
]


def _python_model(query: str) -> list[str]:
    """What SQLite's LIKE found: the words anywhere in the key or title, ASCII letters in any
    case, every other character as it is."""

    def fold(value: str) -> str:
        return "".join(c.lower() if c.isascii() else c for c in value)

    every = [*ARTICLES, ("seed", "Seed")]
    return sorted(k for k, t in every if fold(query) in fold(k) or fold(query) in fold(t or ""))


def _restore_as(rt: Revtrack, exported: list[str], key: str, title: str | None) -> None:
    def records() -> Iterator[str]:
        for line in exported:
            record = json.loads(line)
            if record.get("type") == "event":  # the event log is one chain; restore logs anew
                continue
            for field in ("key", "article"):
                if record.get(field) == "seed":
                    record[field] = key
            if record.get("type") in ("article", "revision"):
                record["title"] = title
            yield json.dumps(record)

    rt.restore(records())


@pytest.fixture
def loaded(rt: Revtrack) -> Revtrack:
    """Every article of ARTICLES, restored from one export (the bundle import's path)."""
    rt.ingest_text("A short story.\n", article="seed", title="Seed")
    exported = list(rt.export("seed"))
    for key, title in ARTICLES:
        _restore_as(rt, exported, key, title)
    return rt


def _scanned(rt: Revtrack, query: str) -> list[str]:
    """The search without its index: SQLite's LIKE alone; PostgreSQL's ILIKE by a seq scan."""
    with rt.store.read() as tx:
        dialect = rt.store.backend
        if dialect == "postgresql":
            tx.session.execute(text("SET LOCAL enable_indexscan = off"))
            tx.session.execute(text("SET LOCAL enable_bitmapscan = off"))
        where = matching(" ".join(query.split()), None, dialect, indexed=False)
        return list(tx.session.scalars(select(Article.key).where(*where).order_by(Article.key)))


def _paged(rt: Revtrack, query: str) -> list[str]:
    """The same search walked two articles a page by key, forwards, then back from past
    the end (both walks must give it)."""
    keys: list[str] = []
    after = None
    while True:
        page = rt.article_page(search=query, after=after, limit=2)
        keys += [a.key for a in page.articles]
        assert (page.prev_before is not None) is (after is not None and bool(keys))
        if page.next_after is None:
            break
        after = page.next_after
    back: list[str] = []
    before: str | None = "\U0010ffff"  # after every key
    while before is not None:
        page = rt.article_page(search=query, before=before, limit=2)
        back = [a.key for a in page.articles] + back
        before = page.prev_before
    assert back == keys
    return keys


def test_the_index_is_there(loaded: Revtrack) -> None:
    expected = {"sqlite": "fts5 trigram", "postgresql": "pg_trgm"}[loaded.store.backend]
    assert loaded.search_method() == expected


@pytest.mark.parametrize("dense", [False, True])
def test_every_search_finds_what_the_scan_found(
    loaded: Revtrack, dense: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if dense:  # every indexed search walks the keys for its page (as a common word's does)
        monkeypatch.setattr(browse, "DENSE_LEAST", 1)
        monkeypatch.setattr(browse, "DENSE", 10**9)
    for query in QUERIES:
        found = [a.key for a in loaded.find_articles(search=query)]
        assert found == _scanned(loaded, query), query
        if loaded.store.backend == "sqlite":
            assert found == _python_model(query), query
        assert _paged(loaded, query) == found, query
        page = loaded.article_page(search=query, limit=50)
        assert (page.total, page.total_is) == (len(found), "exact"), query


def test_sqlite_looks_searches_of_three_characters_up(loaded: Revtrack) -> None:
    if loaded.store.backend != "sqlite":
        pytest.skip("SQLite's query plan")
    with loaded.store.read() as tx:
        for query, indexed in (("ferry", True), ("fe", False), ("京", False), ("東京x", True)):
            query_sql = select(Article.key).where(*matching(query, None, "sqlite", indexed=True))
            sql = str(query_sql.compile(compile_kwargs={"literal_binds": True}))
            plan = tx.session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + sql)
            assert ("VIRTUAL TABLE" in " ".join(str(r[-1]) for r in plan)) is indexed, query


def test_postgres_uses_the_trigram_indexes(loaded: Revtrack) -> None:
    if loaded.store.backend != "postgresql":
        pytest.skip("PostgreSQL's query plan")
    with loaded.store.read() as tx:
        tx.session.execute(text("ANALYZE articles"))  # as autovacuum would have by now
        for plan_kind in ("seqscan", "indexscan", "indexonlyscan"):  # ten rows: force a choice
            tx.session.execute(text(f"SET LOCAL enable_{plan_kind} = off"))
        plan = tx.session.execute(
            text("EXPLAIN SELECT key FROM articles WHERE key ILIKE '%ferry%'")
        ).scalars()
        assert "ix_articles_key_trgm" in " ".join(plan)


def _integrity(rt: Revtrack) -> None:
    """SQLite: FTS5 checks its index against the articles table (rank 1: the content too)."""
    if rt.store.backend != "sqlite":
        return
    with rt.store.write() as tx:
        tx.session.execute(
            text("INSERT INTO article_search (article_search, rank) VALUES ('integrity-check', 1)")
        )


def test_every_way_in_keeps_the_index_in_step(loaded: Revtrack, tmp_path: Path) -> None:
    _integrity(loaded)  # restore (the bundle import)
    loaded.ingest_text("A story.\n", article="ingested-one", title="Lighthouse keeper")
    doc = tmp_path / "corpus" / "bulk doc"
    doc.mkdir(parents=True)
    (doc / "v001.txt").write_text("Bulk text.\n", encoding="utf-8")
    (doc / "meta.json").write_text(json.dumps({"title": "Quarry blast"}), encoding="utf-8")
    loaded.import_directory(str(tmp_path / "corpus"))
    _integrity(loaded)
    assert [a.key for a in loaded.find_articles(search="lighthouse")] == ["ingested-one"]
    assert [a.key for a in loaded.find_articles(search="QUARRY")] == ["corpus/bulk doc"]
    # a new headline: found by it, no longer by the old one
    loaded.ingest_text("A story, longer.\n", article="ingested-one", title="Harbour pilot")
    _integrity(loaded)
    assert [a.key for a in loaded.find_articles(search="lighthouse")] == []
    assert [a.key for a in loaded.find_articles(search="harbour pil")] == ["ingested-one"]
    # a row written by another program, in SQL
    with loaded.store.write() as tx:
        tx.session.execute(
            text("INSERT INTO articles (key, title, created_at) VALUES ('by-hand', 'Typed in', 0)")
        )
    _integrity(loaded)
    assert [a.key for a in loaded.find_articles(search="typed")] == ["by-hand"]


def _alembic(direction: str, target: str) -> None:
    """The checkout's alembic on REVTRACK_DATABASE_URL (the `db_url` fixture sets it)."""
    from alembic import command
    from alembic.config import Config

    getattr(command, direction)(Config(str(ROOT / "alembic.ini")), target)


def test_migration_0007_fills_the_index_from_the_articles_stored(
    loaded: Revtrack, db_url: str
) -> None:
    loaded.close()
    _alembic("downgrade", "0006")
    engine = make_engine(resolve_url(db_url))
    with engine.connect() as conn:
        from revtrack.store.search import method

        assert method(conn) is None
    engine.dispose()
    _alembic("upgrade", "head")
    again = Revtrack(db_url)
    try:
        assert again.search_method() is not None
        _integrity(again)
        assert [a.key for a in again.find_articles(search="zürich")] == ["Zürich/Straße 東京"]
        assert [a.key for a in again.find_articles(search="_fifty")] == ["100% true"]
    finally:
        again.close()


def test_without_its_index_the_search_scans_says_so_and_db_upgrade_adds_it(
    loaded: Revtrack, db_url: str
) -> None:
    import threading

    from click.testing import CliRunner

    from revtrack.cli import cli
    from revtrack.store.search import remove
    from revtrack.web.server import NO_INDEX, serve

    loaded.close()
    engine = make_engine(resolve_url(db_url))
    with engine.begin() as conn:
        remove(conn)  # as a role without pg_trgm, or a SQLite without trigrams, left it
    engine.dispose()
    bare = Revtrack(db_url)
    assert bare.search_method() is None
    assert [a.key for a in bare.find_articles(search="zürich")] == ["Zürich/Straße 東京"]
    bare.close()
    told: list[str] = []
    ready = threading.Event()

    def say(message: str) -> None:
        told.append(message)
        if len(told) == 2:
            ready.set()

    threading.Thread(
        target=serve, args=(db_url, "127.0.0.1", 0), kwargs={"ready": say}, daemon=True
    ).start()
    assert ready.wait(20)
    assert told[0].startswith("Serving ") and told[1] == NO_INDEX
    result = CliRunner().invoke(cli, ["--db", db_url, "db", "upgrade"])
    assert result.exit_code == 0, result.output
    again = Revtrack(db_url)
    try:
        assert again.search_method() is not None
        _integrity(again)
    finally:
        again.close()
