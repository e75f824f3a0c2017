"""Raw pages kept beside the revisions made from them (fetched by a watch or `ingest URL`).

Against an outlet served on 127.0.0.1 by the test; the watcher's clock is passed in.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from outlet_server import Outlet, article, serving
from revtrack import Revtrack
from revtrack.service.watch.service import Config, Watcher
from revtrack.store import codec

P1 = (
    "PORT ALDER — The harbor council voted 5-2 on Tuesday to open a ferry route linking the "
    "town with the two outer islands, ending a decade of debate over how residents reach the "
    "mainland."
)
P2 = (
    "The new service will run three round trips a day from the old cannery pier, starting in "
    "May, and will cut the crossing from 90 minutes to about 40, council members said."
)
P3 = '"People on the islands have waited long enough," said council member Ruth Okafor.'
TITLE = "Harbor Council Approves Ferry Route"


def page(box: str, *extra: str) -> str:
    """The story with a rotating "most read" box inside its article element."""
    return article(TITLE, [P1, P2, P3, *extra]).replace(
        "</article>", f'<div class="most-read"><p>Most read today: {box}</p></div></article>'
    )


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2024, 6, 4, 10, 0)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def outlet() -> Iterator[Outlet]:
    with serving() as served:
        yield served


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def watcher(rt: Revtrack, clock: Clock) -> Watcher:
    return rt.watcher(clock=clock, config=Config(host_delay_ms=0, backoff=0.0, retries=1))


def test_every_fetched_version_keeps_its_page_as_served_packed_with_deltas(
    rt: Revtrack, watcher: Watcher, outlet: Outlet, clock: Clock
) -> None:
    watch = watcher.add(outlet.url("/a"))
    # a host rule drops the box before extraction; the kept page is the one served
    watcher.set_host(watch.host, remove=["div.most-read"])
    served = [page("Dog show results"), page("Dog show results", "A fourth paragraph.")]
    served.append(page("Ferry tickets on sale", "A fourth paragraph, amended."))
    for body in served:
        outlet.set("/a", body, ctype="text/html; charset=utf-8")
        watcher.run_pass()
        clock.now += timedelta(hours=1)
    log = rt.log("a")
    assert [r.number for r in log.revisions] == [1, 2, 3]
    with rt.store.read() as tx:
        pages = [tx.load_raw(r.id) for r in log.revisions]
        infos = tx.raw_infos()
        ingests = [e for e in tx.chain_events("a") if e.action == "ingest"]
    assert [p.body.decode() for p in pages if p] == served
    assert {(p.content_type, p.url) for p in pages if p} == {
        ("text/html; charset=utf-8", outlet.url("/a"))
    }
    assert "Most read" not in rt.show("a")[1]
    assert [i.codec for i in infos] == ["zstd", "zstd-delta", "zstd-delta"]
    assert [i.base_revision_id for i in infos[1:]] == [r.id for r in log.revisions[:2]]
    # a delta costs about what changed, far less than the page packed alone
    assert infos[1].stored * 3 < len(codec.encode_bytes(served[1].encode()))
    assert [e.payload["raw"] for e in ingests] == [i.sha256 for i in infos]
    assert rt.verify().ok


def test_ingest_url_keeps_the_page_and_a_file_keeps_none(
    rt: Revtrack, outlet: Outlet, tmp_path: Path
) -> None:
    outlet.set("/b", page("Dog show results"))
    [fetched] = list(rt.ingest([outlet.url("/b")]))
    story = tmp_path / "story.html"
    story.write_text(page("Dog show results", "More."))
    [filed] = list(rt.ingest([str(story)], article="b"))
    with rt.store.read() as tx:
        kept = tx.load_raw(fetched.revision.id)
        assert tx.load_raw(filed.revision.id) is None
    assert kept is not None and kept.body == page("Dog show results").encode()
    assert rt.verify().ok


def test_kept_pages_are_append_only_and_verify_finds_one_altered(
    rt: Revtrack, db_url: str, outlet: Outlet
) -> None:
    from sqlalchemy.exc import DatabaseError as SADatabaseError

    outlet.set("/c", page("Dog show results"))
    list(rt.ingest([outlet.url("/c")]))
    for statement in ("UPDATE revision_raw SET url = 'x'", "DELETE FROM revision_raw"):
        with pytest.raises(SADatabaseError, match="append-only"), rt.store.engine.begin() as c:
            c.execute(text(statement))
    assert rt.verify().ok
    if "://" in db_url:
        return  # altering it behind the triggers' back is shown on the SQLite file
    rt.close()
    with sqlite3.connect(db_url) as conn:
        conn.execute("DROP TRIGGER revision_raw_no_update")
        conn.execute(
            "UPDATE revision_raw SET data = ?", (codec.encode_bytes(b"<p>Nothing to see</p>"),)
        )
    with Revtrack(db_url) as reopened:
        problems = reopened.verify().problems
    assert problems == [
        "c@v1: kept page does not match its SHA-256.",
    ]


def test_kept_pages_go_through_export_and_import(
    rt: Revtrack, watcher: Watcher, outlet: Outlet, clock: Clock, tmp_path: Path
) -> None:
    watcher.add(outlet.url("/d"))
    for body in (page("Dog show results"), page("Ferry tickets", "A fourth paragraph.")):
        outlet.set("/d", body)
        watcher.run_pass()
        clock.now += timedelta(hours=1)
    first = list(rt.export())
    assert sum('"type":"raw_page"' in line for line in first) == 2
    with Revtrack(str(tmp_path / "copy.db"), create=True) as copy:
        copy.restore(first)
        assert list(copy.export()) == first
        with copy.store.read() as tx:
            bodies = [tx.load_raw(r.id) for r in copy.log("d").revisions]
        assert [b.body for b in bodies if b] == [
            page("Dog show results").encode(),
            page("Ferry tickets", "A fourth paragraph.").encode(),
        ]
        assert copy.verify().ok
