"""A revision's source is stored relative to its article key, and always comes back whole.

Migration 0009 stores a bulk import's ``<key>/v001.txt`` as a mark and ``/v001.txt``; every
reader (records, the quick reads, the stdlib reader, export) must see the source exactly as it
was given, whatever it holds — the marks themselves included — and fetched URLs must stay as
they are, since they are looked up by value.
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from revtrack import Revtrack
from revtrack.store.engine import sqlite_path
from revtrack.store.lite import LiteReader
from revtrack.store.sources import LITERAL, RELATIVE, shown_source, stored_source

KEY = "story-one"


@pytest.mark.parametrize(
    ("source", "kind", "cell"),
    [
        (f"{KEY}/v001.txt", "file", f"{RELATIVE}/v001.txt"),
        (KEY, "file", RELATIVE),
        ("elsewhere/v001.txt", "file", "elsewhere/v001.txt"),
        (f"{RELATIVE}odd", "file", f"{LITERAL}{RELATIVE}odd"),
        (f"{LITERAL}odd", "file", f"{LITERAL}{LITERAL}odd"),
        ("", "text", ""),
        (f"{KEY}/page", "url", f"{KEY}/page"),  # URLs are looked up by value: never relative
    ],
)
def test_every_source_round_trips(source: str, kind: str, cell: str) -> None:
    assert stored_source(KEY, source, kind) == cell
    assert shown_source(KEY, cell) == source


def test_an_empty_key_stores_the_source_as_it_is() -> None:
    assert stored_source("", "v1.txt", "file") == "v1.txt"


def test_every_reader_sees_the_whole_source(db_url: str) -> None:
    sources = [f"{KEY}/v001.txt", f"{RELATIVE}odd/v2", "other/place.txt"]
    with Revtrack(db_url, create=True) as rt:
        for n, source in enumerate(sources):
            rt.ingest_text(f"Text number {n}.", article=KEY, source=source)
        assert [r.source for r in rt.log(KEY).revisions] == sources
        for n, source in enumerate(sources, start=1):
            rt.store._cache.clear()
            assert rt.show(f"{KEY}@v{n}")[0].source == source
        with rt.store.read() as tx:
            article = tx.get_article(KEY)
            assert article is not None
            assert sorted(tx.revision_sources(article.id)) == sorted(sources)
        exported = [json.loads(line) for line in rt.export()]
        assert [r["source"] for r in exported if r.get("type") == "revision"] == sources
        assert rt.verify().ok
        path = sqlite_path(rt.store.url)
        if path is not None:
            reader = LiteReader.open(rt.store.url)
            assert reader is not None
            found = reader.revision_with_text(KEY, 1)
            assert found is not None and found[0].source == sources[0]
            reader.close()
            cells = sqlite3.connect(path).execute("SELECT source FROM revisions ORDER BY id")
            assert [c for (c,) in cells] == [
                f"{RELATIVE}/v001.txt",
                f"{LITERAL}{RELATIVE}odd/v2",
                "other/place.txt",
            ]
