"""`reextract`: old versions read again from their kept pages, nothing rewritten.

Against an outlet served on 127.0.0.1 by the test; the watcher's clock is passed in.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from outlet_server import Outlet, article, serving
from revtrack import Revtrack
from revtrack.cli import cli
from revtrack.errors import InvalidInput, UnknownArticle
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
BOXES = ["Dog show results announced", "Ferry tickets go on sale", "Library opens late"]


def page(box: str, first: str = P1) -> str:
    """The story with a rotating "most read" box inside its article element."""
    return article(TITLE, [first, P2, P3]).replace(
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


def fetch_versions(watcher: Watcher, outlet: Outlet, clock: Clock, path: str, pages: list[str]):
    watch = watcher.add(outlet.url(path))
    for body in pages:
        outlet.set(path, body)
        watcher.run_pass()
        clock.now += timedelta(hours=1)
    return watch


def reextract_events(rt: Revtrack, key: str) -> list[dict[str, object]]:
    with rt.store.read() as tx:
        return [
            {"revision_id": e.revision_id, **e.payload}
            for e in tx.chain_events(key)
            if e.action == "reextract"
        ]


def test_a_rule_added_later_takes_a_rotating_box_out_of_old_versions(
    rt: Revtrack, watcher: Watcher, outlet: Outlet, clock: Clock
) -> None:
    # no rule yet: every turn of the box is a "revision"; the third also fixes the story
    pages = [page(BOXES[0]), page(BOXES[1]), page(BOXES[2], P1.replace("two", "three"))]
    watch = fetch_versions(watcher, outlet, clock, "/a", pages)
    log = rt.log("a")
    assert [r.number for r in log.revisions] == [1, 2, 3]
    originals = [rt.show(f"a@v{n}")[1] for n in (1, 2, 3)]
    assert all("Most read" in t for t in originals)

    watcher.set_host(watch.host, remove=["div.most-read"])
    dry = watcher.reextract(key="a", dry_run=True)
    assert (dry.read, dry.rederived, dry.unchanged, dry.same_as_before) == (3, 3, 0, 1)
    assert reextract_events(rt, "a") == []  # a dry run writes nothing

    seen: list[tuple[int, int]] = []
    done = watcher.reextract(key="a", progress=lambda d, t: seen.append((d, t)))
    assert (done.read, done.rederived, done.unchanged, done.failed) == (3, 3, 0, 0)
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)  # what the command's bar draws
    assert done.same_as_before == 1  # v2 was only the box turning: it now reads as v1
    readings = [watcher.reading(f"a@v{n}") for n in (1, 2, 3)]
    assert all(rederived and "Most read" not in t for _, t, rederived in readings)
    assert readings[0][1] == readings[1][1] != readings[2][1]
    assert "three outer islands" in readings[2][1]
    # the original texts are untouched, byte for byte; `show` reads the re-derived ones
    assert [rt.show(f"a@v{n}", as_fetched=True)[1] for n in (1, 2, 3)] == originals
    assert [rt.show(f"a@v{n}")[1] for n in (1, 2, 3)] == [t for _, t, _ in readings]

    events = reextract_events(rt, "a")
    with rt.store.read() as tx:
        kept = [tx.load_raw(r.id) for r in log.revisions]
    assert [(e["revision_id"], e["from"], e["raw"]) for e in events] == [
        (r.id, r.number, p.sha256) for r, p in zip(log.revisions, kept, strict=True) if p
    ]
    assert {tuple(e["rules"]["remove"]) for e in events} == {("div.most-read",)}  # type: ignore[index]
    assert rt.verify().ok

    again = watcher.reextract(key="a")  # the same extractor and rules read the same again
    assert (again.rederived, again.unchanged) == (0, 3)
    assert len(reextract_events(rt, "a")) == 3


def test_unchanged_text_makes_nothing_and_what_has_no_page_is_counted(
    rt: Revtrack, watcher: Watcher, outlet: Outlet, clock: Clock, tmp_path: Path
) -> None:
    fetch_versions(watcher, outlet, clock, "/b", [page(BOXES[0]), page(BOXES[1])])
    typed = tmp_path / "b.txt"
    typed.write_text("A version typed by hand.\n")
    list(rt.ingest([str(typed)], article="b", at="2024-06-05T10:00"))
    summary = watcher.reextract()
    assert (summary.read, summary.rederived, summary.unchanged, summary.no_page) == (2, 0, 2, 1)
    assert reextract_events(rt, "b") == []
    with rt.store.read() as tx:
        assert tx.article_rederived(rt.log("b").article.id) == []
    assert rt.verify().ok


def test_host_picks_the_pages_of_one_host_and_bad_scopes_say_so(
    rt: Revtrack, watcher: Watcher, outlet: Outlet, clock: Clock
) -> None:
    fetch_versions(watcher, outlet, clock, "/c", [page(BOXES[0])])
    other = f"localhost:{outlet.port}"  # the same server under another host name
    outlet.set("/d", page(BOXES[1]))
    watcher.add(f"http://{other}/d")
    watcher.run_pass()
    for host in ("127.0.0.1", other):
        watcher.set_host(f"{host}:{outlet.port}" if host == "127.0.0.1" else host, remove=["p"])
    only = watcher.reextract(host=other)
    assert (only.articles, only.read) == (1, 1)
    assert [i.key for i in only.items] == ["d"]
    with pytest.raises(InvalidInput) as both:
        watcher.reextract(key="c", host=other)
    assert both.value.message == "Give --article or --host, not both."
    with pytest.raises(UnknownArticle):
        watcher.reextract(key="nope")


def test_the_command_prints_each_rederived_version_and_a_summary(
    runner: CliRunner, db_url: str, outlet: Outlet, clock: Clock
) -> None:
    with Revtrack(db_url, create=True) as rt:
        watcher = rt.watcher(clock=clock, config=Config(host_delay_ms=0, retries=1))
        watch = fetch_versions(watcher, outlet, clock, "/e", [page(BOXES[0]), page(BOXES[1])])
    assert runner.invoke(cli, ["reextract", "--article", "e"]).output == (
        "reextract: 2 kept pages read, 0 re-derived, 2 unchanged, 0 failed.\n"
    )
    runner.invoke(cli, ["watch", "host", watch.host, "--remove", "div.most-read"])
    dry = runner.invoke(cli, ["reextract", "--host", watch.host, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    lines = dry.output.splitlines()
    assert lines[0].startswith("e@v1: would be re-derived (")
    assert lines[-1] == (
        "reextract (dry run, nothing written): 2 kept pages read, 2 would be re-derived, "
        "0 unchanged, 0 failed; 1 version now read the same as the one before."
    )
    done = runner.invoke(cli, ["reextract", "-q"])
    assert done.output == (
        "reextract: 2 kept pages read, 2 re-derived, 0 unchanged, 0 failed; "
        "1 version now read the same as the one before.\n"
    )
    assert runner.invoke(cli, ["verify"]).exit_code == 0
    bad = runner.invoke(cli, ["reextract", "--article", "e", "--host", "x"])
    assert (bad.exit_code, bad.output) == (1, "Error: Give --article or --host, not both.\n")


def test_rederived_texts_are_append_only_and_verify_finds_one_altered(
    rt: Revtrack, db_url: str, watcher: Watcher, outlet: Outlet, clock: Clock
) -> None:
    from sqlalchemy.exc import DatabaseError as SADatabaseError

    watch = fetch_versions(watcher, outlet, clock, "/f", [page(BOXES[0])])
    watcher.set_host(watch.host, remove=["div.most-read"])
    assert watcher.reextract().rederived == 1
    statements = ("UPDATE revision_rederived SET actor = 'x'", "DELETE FROM revision_rederived")
    for statement in statements:
        with pytest.raises(SADatabaseError, match="append-only"), rt.store.engine.begin() as c:
            c.execute(text(statement))
    if "://" in db_url:
        return  # altering it behind the triggers' back is shown on the SQLite file
    rt.close()
    with sqlite3.connect(db_url) as conn:
        conn.execute("DROP TRIGGER revision_rederived_no_update")
        conn.execute(
            "UPDATE revision_rederived SET codec = 'zstd', data = ?",
            (codec.encode("Nothing happened.\n"),),
        )
    with Revtrack(db_url) as reopened:
        problems = reopened.verify().problems
    assert problems == ["f@v1 (re-derived 1): re-derived text does not match its SHA-256."]


def test_rederived_texts_go_through_export_and_import(
    rt: Revtrack, watcher: Watcher, outlet: Outlet, clock: Clock, tmp_path: Path
) -> None:
    watch = fetch_versions(watcher, outlet, clock, "/g", [page(BOXES[0]), page(BOXES[1])])
    watcher.set_host(watch.host, remove=["div.most-read"])
    watcher.reextract()
    first = list(rt.export())
    assert sum('"type":"rederived"' in line for line in first) == 2
    with Revtrack(str(tmp_path / "copy.db"), create=True) as copy:
        copy.restore(first)
        assert list(copy.export()) == first
        assert copy.watcher().reading("g@v2")[1] == watcher.reading("g@v2")[1]
        assert copy.verify().ok
