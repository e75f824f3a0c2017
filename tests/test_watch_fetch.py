"""Watching against an outlet served on 127.0.0.1 by the test (never the network).

The clock is passed in (``Clock``), so schedules move without a sleep; hosts get no spacing
(``host_delay_ms=0``) so passes do not wait between requests.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from outlet_server import Outlet, Route, article, rss, serving
from revtrack import Revtrack
from revtrack.errors import AlreadyWatched, InvalidInput, UnknownWatch
from revtrack.service.watch.fetcher import Fetcher
from revtrack.service.watch.service import Config, Watcher
from revtrack.store.watch import WatchRows

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
NOTE = (
    "Correction: An earlier version of this story misstated the number of outer islands. "
    "There are three, not two."
)
TITLE = "Harbor Council Approves Ferry Route"
STORY = article(TITLE, [P1, P2, P3])
FIXED = article(TITLE, [P1.replace("two outer", "three outer"), P2, P3, NOTE])


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2024, 6, 4, 10, 0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


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


def events(rt: Revtrack, watch_id: int) -> list[dict[str, object]]:
    with rt.store.read() as tx:
        return [
            {"action": e.action, **e.payload}
            for e in tx.chain_events(f"watch:{watch_id}")
            if e.action == "fetch"
        ]


def revisions(rt: Revtrack, key: str) -> int:
    return len(rt.log(key).revisions)


def test_feed_entries_become_articles_and_new_ones_are_picked_up(
    rt: Revtrack, watcher: Watcher, outlet: Outlet, clock: Clock
) -> None:
    outlet.set("/feed.xml", rss([("Ferry", "/news/ferry-route")]), ctype="application/rss+xml")
    outlet.set("/news/ferry-route", STORY)
    outlet.set("/news/library", article("Library Hours Extended", [P2, P3, P1]))
    feed = watcher.add(outlet.url("/feed.xml"), kind="feed")
    first = watcher.run_pass()
    assert (first.counts["entries"], first.counts["new"], first.added) == (1, 1, 1)
    assert [a.key for a in rt.articles()] == ["ferry-route"]

    outlet.set(
        "/feed.xml",
        rss([("Library", "/news/library?utm_source=rss"), ("Ferry", "/news/ferry-route")]),
        ctype="application/rss+xml",
    )
    clock.advance(minutes=20)
    second = watcher.run_pass()
    assert second.added == 1 and second.counts["new"] == 1
    assert [a.key for a in rt.articles()] == ["ferry-route", "library"]
    children = [w for w in watcher.watches() if w.parent_id == feed.id]
    assert [w.url for w in children] == [
        outlet.url("/news/ferry-route"),
        outlet.url("/news/library"),
    ]


def test_a_changed_page_makes_a_revision_whose_note_is_linked(
    rt: Revtrack, watcher: Watcher, outlet: Outlet, clock: Clock
) -> None:
    outlet.set("/news/ferry-route", STORY)
    watch = watcher.add(outlet.url("/news/ferry-route"))
    watcher.run_pass()
    outlet.set("/news/ferry-route", FIXED)
    clock.advance(hours=1)
    summary = watcher.run_pass()
    assert summary.counts["new"] == 1 and summary.notes == 1
    log = rt.log("ferry-route")
    assert [r.number for r in log.revisions] == [1, 2]
    assert log.revisions[1].captured_at == clock.now  # the watcher's clock, not the wall's
    [note] = rt.corrections("ferry-route")
    assert note.record.disclosed_revision == 2
    assert note.record.link is not None and note.record.link.fixing_revision == 2
    [_, fetched] = events(rt, watch.id)
    assert fetched["result"] == "new" and fetched["revision"] == 2 and fetched["status"] == 200
    assert fetched["conditional"] is True and fetched["not_modified"] is False


def test_an_unchanged_page_was_asked_conditionally_and_makes_no_revision(
    rt: Revtrack, watcher: Watcher, outlet: Outlet, clock: Clock
) -> None:
    outlet.set("/news/ferry-route", STORY)
    watch = watcher.add(outlet.url("/news/ferry-route"))
    watcher.run_pass()
    clock.advance(hours=1)
    summary = watcher.run_pass()
    assert summary.counts == {"not-modified": 1}
    assert revisions(rt, "ferry-route") == 1
    first, second = outlet.hits("/news/ferry-route")
    assert "If-None-Match" not in first
    assert second["If-None-Match"].startswith('"')
    assert second["User-Agent"].startswith("revtrack/")
    event = events(rt, watch.id)[-1]
    assert (event["status"], event["result"], event["conditional"]) == (304, "not-modified", True)
    assert event["bytes"] == 0 and isinstance(event["ms"], float)


def test_a_server_without_validators_costs_a_hash_when_the_bytes_are_the_same(
    rt: Revtrack, watcher: Watcher, outlet: Outlet, clock: Clock
) -> None:
    outlet.set("/a", STORY, etag=False)
    watcher.add(outlet.url("/a"))
    watcher.run_pass()
    clock.advance(hours=1)
    assert watcher.run_pass().counts == {"same-bytes": 1}
    # other bytes, same article text (a rotating box outside the article): unchanged
    outlet.set("/a", STORY.replace("Subscribe now!", "Subscribe today!"), etag=False)
    clock.advance(hours=1)
    assert watcher.run_pass().counts == {"unchanged": 1}
    assert revisions(rt, "a") == 1


def test_404_short_error_page_and_skip_pattern_make_no_revision_and_are_logged(
    rt: Revtrack, watcher: Watcher, outlet: Outlet, clock: Clock
) -> None:
    outlet.set("/news/ferry-route", STORY)
    watch = watcher.add(outlet.url("/news/ferry-route"))
    watcher.run_pass()

    def step(**route: object) -> str:
        outlet.routes["/news/ferry-route"] = Route(**route)  # type: ignore[arg-type]
        clock.advance(days=1)
        [item] = _pass(watcher)
        return item

    assert step(body=b"gone", status=404, ctype="text/plain") == "failed:http-404"
    short = article("Ferry", ["Subscribe to keep reading this story."]).encode()
    assert step(body=short) == "skipped:short"
    watcher.set_host(watch.host, skip=["Please accept our cookies"])
    consent = article(TITLE, [P1, P2, P3, "Please accept our cookies to continue."]).encode()
    assert step(body=consent) == "skipped:skip-pattern"
    assert step(body=FIXED.encode()) == "new:"
    assert revisions(rt, "ferry-route") == 2
    results = [(e["result"], e.get("why")) for e in events(rt, watch.id)]
    assert results == [
        ("new", None),
        ("failed", "http-404"),
        ("skipped", "short"),
        ("skipped", "skip-pattern"),
        ("new", None),
    ]
    assert watcher.find(str(watch.id)).fails == 0


def _pass(watcher: Watcher) -> list[str]:
    seen: list[str] = []
    watcher.run_pass(on_seen=lambda s: seen.append(f"{s.result}:{s.reason}"))
    return seen


def test_redirects_utm_variants_and_canonical_links_map_to_one_article(
    rt: Revtrack, watcher: Watcher, outlet: Outlet, clock: Clock
) -> None:
    outlet.set("/news/ferry-route", article(TITLE, [P1, P2, P3]))
    outlet.routes["/s/123"] = Route(status=301, location=outlet.url("/news/ferry-route"))
    watch = watcher.add(outlet.url("/s/123?utm_source=twitter"))
    watcher.run_pass()
    assert watcher.find(str(watch.id)).url == outlet.url("/news/ferry-route")  # moved for good
    # the feed lists the story under other forms of its URL: no new watch
    outlet.set(
        "/feed.xml",
        rss([("a", "/news/ferry-route?utm_medium=rss"), ("b", "/s/123#comments")]),
        ctype="application/rss+xml",
    )
    watcher.add(outlet.url("/feed.xml"), kind="feed")
    clock.advance(minutes=1)
    assert watcher.run_pass().added == 0
    # an AMP copy says rel=canonical: one story with the first
    amp = article(TITLE, [P1, P2, P3], canonical=outlet.url("/news/ferry-route"))
    outlet.set("/amp/ferry-route-amp", amp)
    copy = watcher.add(outlet.url("/amp/ferry-route-amp"))
    clock.advance(minutes=1)
    watcher.run_pass()
    merged = watcher.find(str(copy.id))
    assert (merged.state, merged.merged_into) == ("merged", watch.id)
    assert [a.key for a in rt.articles()] == ["ferry-route"]
    assert revisions(rt, "ferry-route") == 1
    with pytest.raises(AlreadyWatched):
        watcher.add(outlet.url("/news/ferry-route#top"))


def test_robots_txt_disallow_is_obeyed(rt: Revtrack, watcher: Watcher, outlet: Outlet) -> None:
    outlet.set("/robots.txt", "User-agent: *\nDisallow: /private/\n", ctype="text/plain")
    outlet.set("/private/memo", STORY)
    outlet.set("/news/ferry-route", STORY)
    blocked = watcher.add(outlet.url("/private/memo"))
    watcher.add(outlet.url("/news/ferry-route"))
    assert sorted(_pass(watcher)) == ["new:", "robots:robots"]
    assert outlet.hits("/private/memo") == []
    assert len(outlet.hits("/robots.txt")) == 1  # cached for the pass
    record = watcher.find(str(blocked.id))
    assert record.last_result == "robots" and record.fails == 1


def test_retries_honour_retry_after_then_back_off(
    rt: Revtrack, clock: Clock, outlet: Outlet
) -> None:
    slept: list[float] = []

    def factory(config: Config, stop: object) -> Fetcher:
        return Fetcher(retries=2, backoff=0.5, sleep=lambda s: slept.append(s) or True)

    watcher = rt.watcher(clock=clock, config=Config(host_delay_ms=0), fetcher_factory=factory)
    busy = Route(b"busy", 503, "text/plain", headers={"Retry-After": "7"})
    outlet.queue("/a", busy, Route(STORY.encode()))
    watcher.add(outlet.url("/a"))
    assert _pass(watcher) == ["new:"]
    assert slept == [7.0]
    # 5xx every time: the attempts back off exponentially, then the schedule does
    slept.clear()
    outlet.queue("/b", Route(b"down", 502, "text/plain"))
    watch = watcher.add(outlet.url("/b"))
    assert _pass(watcher) == ["failed:http-502"]
    assert len(slept) == 2 and 0.5 <= slept[0] <= 0.63 and 1.0 <= slept[1] <= 1.25
    record = watcher.find(str(watch.id))
    assert record.fails == 1 and record.next_at is not None
    assert record.next_at - clock.now >= timedelta(minutes=9)  # 10 min ± jitter
    # a Retry-After beyond what a worker waits for is left to the schedule
    slept.clear()
    outlet.queue("/c", Route(b"later", 429, "text/plain", headers={"Retry-After": "7200"}))
    later = watcher.add(outlet.url("/c"))
    assert _pass(watcher) == ["failed:http-429"]
    assert slept == []
    due = watcher.find(str(later.id)).next_at
    assert due is not None and due - clock.now >= timedelta(hours=2)


def test_the_schedule_moves_with_the_page_and_stops_after_until(
    rt: Revtrack, watcher: Watcher, outlet: Outlet, clock: Clock
) -> None:
    outlet.set("/a", STORY)
    watch = watcher.add(outlet.url("/a"), until=timedelta(days=3))
    start = clock.now

    def wait_after_pass() -> timedelta:
        watcher.run_pass()
        due = watcher.find(str(watch.id)).next_at
        assert due is not None
        return due - clock.now

    assert timedelta(minutes=4) < wait_after_pass() < timedelta(minutes=6)
    clock.advance(hours=6)  # still for six hours: about 1.5 h
    assert timedelta(minutes=80) < wait_after_pass() < timedelta(minutes=100)
    outlet.set("/a", FIXED)
    clock.advance(hours=2)  # changed: back to the floor
    assert timedelta(minutes=4) < wait_after_pass() < timedelta(minutes=6)
    assert rt.watcher().find(str(watch.id)).change_count == 1
    assert watcher.run_pass().counts == {}  # nothing due yet
    clock.now = start + timedelta(days=3)
    watcher.run_pass()
    record = watcher.find(str(watch.id))
    assert (record.state, record.next_at) == ("expired", None)
    clock.advance(days=10)
    assert watcher.run_pass().counts == {}


def test_a_dead_workers_claim_lapses_and_its_late_result_is_ignored(
    rt: Revtrack, watcher: Watcher, outlet: Outlet, clock: Clock
) -> None:
    outlet.set("/a", STORY)
    watch = watcher.add(outlet.url("/a"))
    with rt.store.write() as tx:
        [claimed] = WatchRows(tx).claim(
            now=clock.now,
            limit=5,
            ttl=timedelta(minutes=5),
            horizon=timedelta(seconds=5),
            token="dead-worker",
            worker="elsewhere:1",
        )
    assert claimed.id == watch.id
    assert watcher.run_pass().counts == {}  # held by the other worker
    clock.advance(minutes=6)
    assert watcher.run_pass().counts == {"new": 1}
    from revtrack.service.watch.work import Job, Outcome

    late = Outcome(Job(claimed, "dead-worker"), "failed", reason="timeout", error="late")
    assert watcher._record_batch is not None
    summary = type(watcher.run_pass())()
    watcher._record_batch([late], "dead-worker", summary, None)
    assert summary.counts == {"stale": 1}
    assert [e["result"] for e in events(rt, watch.id)] == ["new"]


def test_fetch_without_due_takes_everything_once(
    rt: Revtrack, watcher: Watcher, outlet: Outlet, clock: Clock
) -> None:
    for n in range(3):
        outlet.set(f"/p{n}", article(f"Story {n}", [P1, P2, P3]))
        watcher.add(outlet.url(f"/p{n}"))
    assert watcher.run_pass().counts == {"new": 3}
    assert watcher.run_pass().counts == {}
    assert watcher.run_pass(due_only=False).counts == {"not-modified": 3}
    assert watcher.run_pass(due_only=False, limit=2).fetched == 2


def test_the_host_limit_holds_across_a_workers_threads(
    rt: Revtrack, clock: Clock, outlet: Outlet
) -> None:
    watcher = rt.watcher(clock=clock, config=Config(host_delay_ms=0, host_concurrency=2))
    for n in range(6):
        outlet.routes[f"/p{n}"] = Route(article(f"S{n}", [P1, P2]).encode(), delay=0.2)
        watcher.add(outlet.url(f"/p{n}"))
    assert watcher.run_pass(workers=6).counts == {"new": 6}
    assert outlet.max_inflight == 2


def test_the_host_spacing_is_kept(rt: Revtrack, outlet: Outlet) -> None:
    import time

    watcher = rt.watcher(config=Config(host_delay_ms=150, host_concurrency=4))
    for n in range(4):
        outlet.set(f"/p{n}", article(f"S{n}", [P1, P2]))
        watcher.add(outlet.url(f"/p{n}"))
    started = time.monotonic()
    assert watcher.run_pass(workers=4).counts == {"new": 4}
    assert time.monotonic() - started >= 0.45


def test_bad_pages_and_feeds_are_failed_fetches_with_a_message(
    rt: Revtrack, watcher: Watcher, outlet: Outlet, monkeypatch: pytest.MonkeyPatch
) -> None:
    outlet.set("/report.pdf", b"%PDF-1.7 ...", ctype="application/pdf")
    outlet.set("/bad.xml", "<rss><channel><title>x</title>", ctype="application/rss+xml")
    outlet.set("/page.html", STORY)
    outlet.set("/big", STORY + "<!--" + "x" * 5000 + "-->")
    watcher.add(outlet.url("/report.pdf"))
    watcher.add(outlet.url("/bad.xml"), kind="feed")
    watcher.add(outlet.url("/page.html"), kind="feed")
    watcher.add(outlet.url("/big"))
    monkeypatch.setenv("REVTRACK_MAX_BYTES", "4000")
    seen: dict[str, str] = {}
    watcher.run_pass(on_seen=lambda s: seen.update({s.watch.url: f"{s.reason}: {s.error}"}))
    assert seen == {
        outlet.url("/report.pdf"): (
            f"not-html: {outlet.url('/report.pdf')} is application/pdf, not an HTML page"
        ),
        outlet.url("/bad.xml"): (
            f"bad-feed: {outlet.url('/bad.xml')} is not an RSS or Atom feed (no element found)."
        ),
        outlet.url("/page.html"): (
            f"bad-feed: {outlet.url('/page.html')} is an HTML page, not an RSS or Atom feed."
        ),
        outlet.url("/big"): "too-large: larger than the 4,000-byte limit",
    }
    assert rt.articles() == []


def test_managing_watches(rt: Revtrack, watcher: Watcher, outlet: Outlet) -> None:
    watch = watcher.add(outlet.url("/a"), every=timedelta(hours=2))
    assert watcher.pause(outlet.url("/a?utm_source=x")).state == "paused"
    assert watcher.run_pass().counts == {}
    assert watcher.resume(str(watch.id)).next_at is not None
    assert watcher.remove(str(watch.id)).state == "removed"
    with pytest.raises(UnknownWatch):
        watcher.find(str(watch.id))
    assert watcher.add(outlet.url("/a")).id == watch.id  # watched again: same history
    with pytest.raises(InvalidInput, match="needs a --links PATTERN"):
        watcher.add(outlet.url("/"), kind="links")


def test_a_section_pages_matching_links_become_followed_articles(
    rt: Revtrack, watcher: Watcher, outlet: Outlet, clock: Clock
) -> None:
    front = (
        '<!doctype html><html><body><nav><a href="/">Home</a><a href="/about">About</a></nav>'
        '<a href="/news/2024/ferry-route">Ferry</a>'
        '<a href="/news/2024/ferry-route?utm_source=front">Ferry again</a></body></html>'
    )
    outlet.set("/", front)
    outlet.set("/news/2024/ferry-route", STORY)
    outlet.set("/news/2024/library", article("Library Hours Extended", [P2, P3, P1]))
    section = watcher.add(outlet.url("/"), kind="links", pattern=r"/news/\d{4}/")
    assert sorted(_pass(watcher)) == ["entries:", "new:"]
    outlet.set("/", front.replace("</body>", '<a href="/news/2024/library">Library</a></body>'))
    clock.advance(minutes=20)
    assert sorted(_pass(watcher)) == ["entries:", "new:", "not-modified:"]  # + the ferry again
    children = [w.url for w in watcher.watches() if w.parent_id == section.id]
    assert children == [outlet.url("/news/2024/ferry-route"), outlet.url("/news/2024/library")]
    assert outlet.hits("/about") == []


def test_host_css_rules_keep_a_rotating_box_out_of_the_history(
    rt: Revtrack, watcher: Watcher, outlet: Outlet, clock: Clock
) -> None:
    def page(box: str) -> str:
        return STORY.replace(
            "</article>", f'<div class="most-read"><p>Most read today: {box}</p></div></article>'
        )

    outlet.set("/a", page("Dog show results announced"))
    watch = watcher.add(outlet.url("/a"))
    rule = watcher.set_host(watch.host, include=["article"], remove=["div.most-read"])
    assert (rule.include, rule.remove) == (("article",), ("div.most-read",))
    assert _pass(watcher) == ["new:"]
    assert "Most read" not in rt.show("a")[1] and "Port Alder" not in rt.show("a")[1].split()[0]
    outlet.set("/a", page("Ferry tickets go on sale"))
    clock.advance(hours=1)
    assert _pass(watcher) == ["unchanged:"]
    outlet.set("/a", page("Ferry tickets go on sale").replace("two outer", "three outer"))
    clock.advance(hours=1)
    assert _pass(watcher) == ["new:"]
    with pytest.raises(InvalidInput) as caught:
        watcher.set_host(watch.host, remove=["div[["])
    assert caught.value.message.startswith("The --remove selector 'div[[' is not a CSS selector")


def test_a_robots_crawl_delay_raises_the_hosts_spacing_for_every_worker(
    rt: Revtrack, watcher: Watcher, outlet: Outlet
) -> None:
    outlet.set("/robots.txt", "User-agent: *\nCrawl-delay: 3\n", ctype="text/plain")
    outlet.set("/a", STORY)
    watch = watcher.add(outlet.url("/a"))
    assert _pass(watcher) == ["new:"]
    [rule] = watcher.hosts()
    assert (rule.host, rule.delay_ms) == (watch.host, 3000)
    assert events(rt, watch.id)[-1]["crawl_delay"] == 3.0


def test_a_pass_reports_its_progress_in_pages_out_of_those_due(
    rt: Revtrack, watcher: Watcher, outlet: Outlet, clock: Clock
) -> None:
    """The numbers `fetch`'s bar draws: (fetches recorded, fetches due when the pass began)."""
    outlet.set("/news/ferry-route", STORY)
    outlet.set("/news/library", article("Library Hours Extended", [P2, P3, P1]))
    watcher.add(outlet.url("/news/ferry-route"))
    watcher.add(outlet.url("/news/library"))
    seen: list[tuple[int, int]] = []
    summary = watcher.run_pass(progress=lambda done, total: seen.append((done, total)))
    assert summary.counts["new"] == 2
    assert seen[0] == (0, 2) and seen[-1] == (2, 2)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    seen.clear()
    watcher.run_pass(limit=1, due_only=False, progress=lambda d, t: seen.append((d, t)))
    assert seen[0] == (0, 1) and seen[-1] == (1, 1)  # capped by --limit
