"""`revtrack watch …` and `revtrack fetch` from the command line, against a local outlet."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from click.testing import CliRunner

from outlet_server import Outlet, article, rss, serving
from revtrack.cli import cli
from revtrack.service.watch import service
from test_watch_fetch import FIXED, P1, P2, P3, STORY


@pytest.fixture
def outlet() -> Iterator[Outlet]:
    with serving() as served:
        yield served


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    """The watcher's clock, moved by the test: ``clock[0] += timedelta(...)``."""
    moment = [datetime(2024, 6, 4, 10, 0)]
    monkeypatch.setattr(service, "now", lambda: moment[0])
    return moment


def ok(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def error_of(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(cli, list(args))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.output.count("\n") == 1, result.output
    return result.output.strip()


def test_watch_a_feed_then_a_corrected_story_is_a_linked_second_revision(
    runner: CliRunner, db_url: str, outlet: Outlet, clock: list[datetime]
) -> None:
    """The issue's "done when": watch the feed, fetch, the story is corrected, fetch later."""
    outlet.set(
        "/feed.xml",
        rss([("Ferry", "/news/ferry-route"), ("Library", "/news/library?utm_source=rss")]),
        ctype="application/rss+xml",
    )
    outlet.set("/news/ferry-route", STORY)
    outlet.set("/news/library", article("Library Hours Extended", [P2, P3, P1]))
    feed = outlet.url("/feed.xml")
    assert ok(runner, "watch", "add", feed, "--feed") == (
        f"Watching {feed} (watch 1, feed): every 15m; its articles followed for 30d.\n"
    )
    host = f"127.0.0.1:{outlet.port}"
    assert ok(runner, "watch", "host", host, "--delay", "0") == (
        f"{host}: 2 at once, 0 s apart, robots.txt obeyed, skip patterns: none.\n"
    )
    out = ok(runner, "fetch", "--due")
    lines = out.splitlines()
    assert lines[0] == f"feed  {feed}  2 new"
    assert sorted(lines[1:3]) == [  # fetched at once: in either order
        f"ferry-route  v1  new  {outlet.url('/news/ferry-route')}",
        f"library  v1  new  {outlet.url('/news/library')}",
    ]
    assert out.splitlines()[-1].startswith("fetch: fetched 3 in ")
    assert out.splitlines()[-1].endswith(
        ": 2 new revisions, 0 unchanged, 1 feed read, 2 new watches."
    )
    outlet.set("/news/ferry-route", FIXED)  # the outlet corrects the story
    assert ok(runner, "fetch", "--due").startswith("fetch: fetched 0 in ")  # not due yet
    clock[0] += timedelta(hours=1)
    out = ok(runner, "fetch", "--due")
    assert f"ferry-route  v2  +19 −1 words  1 note  {outlet.url('/news/ferry-route')}" in out
    assert out.splitlines()[-1].endswith(": 1 new revision (1 note), 2 unchanged (2 not modified).")
    notes = ok(runner, "corrections", "ferry-route")
    assert "fixed in v2, disclosed in v2" in notes and "misstated the number" in notes
    assert "three" in ok(runner, "diff", "ferry-route")
    audit = json.loads(ok(runner, "audit", "ferry-route", "--format", "json").splitlines()[0])
    assert audit["article"] == "ferry-route" and audit["undisclosed"] == []
    assert len(audit["disclosed_fixes"]) == 1
    assert "v2" in ok(runner, "log", "ferry-route")

    listing = ok(runner, "watch", "list").splitlines()
    assert listing[0].split() == [
        "id",
        "kind",
        "state",
        "article",
        "next",
        "last",
        "changes",
        "url",
    ]
    assert listing[2].split()[:4] == ["1", "feed", "active", "in"]
    assert listing[3].split()[:3] == ["2", "page", "active"] and "ferry-route" in listing[3]
    rows = json.loads(ok(runner, "watch", "list", "--format", "json"))
    assert [(r["id"], r["kind"], r["article"], r["changes"]) for r in rows] == [
        (1, "feed", None, 0),
        (2, "page", "ferry-route", 1),
        (3, "page", "library", 0),
    ]
    status = ok(runner, "watch", "status")
    assert "Watched: 3 active." in status and "Changed in the last 24h: 1." in status
    assert host in status
    history = ok(runner, "watch", "status", "ferry-route")
    assert "fetch  200  new  v2" in history and "conditional" in history


def test_status_json_and_per_host_counts(
    runner: CliRunner, db_url: str, outlet: Outlet, clock: list[datetime]
) -> None:
    outlet.set("/gone", "nope", status=404, ctype="text/plain")
    ok(runner, "watch", "add", outlet.url("/gone"))
    ok(runner, "watch", "host", f"127.0.0.1:{outlet.port}", "--delay", "0")
    out = ok(runner, "fetch")
    assert f"failed  {outlet.url('/gone')}  http-404: HTTP 404 Not Found" in out
    status = json.loads(ok(runner, "watch", "status", "--format", "json"))
    assert status["failing"] == 1 and status["due"] == 0
    assert status["hosts"] == [
        {
            "host": f"127.0.0.1:{outlet.port}",
            "watched": 1,
            "due": 0,
            "failing": 1,
            "changed": 0,
            "fetching": 0,
        }
    ]


def test_pause_resume_remove(runner: CliRunner, db_url: str, outlet: Outlet) -> None:
    url = outlet.url("/news/a")
    ok(runner, "watch", "add", url, "--every", "2h", "--until", "never")
    assert ok(runner, "watch", "pause", "1") == f"Paused {url} (watch 1).\n"
    assert "paused" in ok(runner, "watch", "list")
    assert ok(runner, "watch", "resume", url + "?utm_source=x") == f"Resumed {url} (watch 1).\n"
    assert ok(runner, "watch", "remove", "1") == f"Stopped watching {url} (watch 1).\n"
    assert ok(runner, "watch", "list").startswith("Nothing is watched yet")
    assert json.loads(ok(runner, "watch", "list", "--all", "--format", "json"))[0]["state"] == (
        "removed"
    )


def test_bad_input_gets_a_one_line_error(runner: CliRunner, db_url: str, outlet: Outlet) -> None:
    assert error_of(runner, "watch", "add", "example.com/story") == (
        "Error: 'example.com/story' has no host. Give a full URL such as "
        "https://example.com/news/story."
    )
    url = outlet.url("/a")
    ok(runner, "watch", "add", url)
    assert error_of(runner, "watch", "add", url + "?utm_source=rss#top") == (
        f"Error: {url} is watched already (watch 1, page, active). Run `revtrack watch list` "
        "to see it; `watch resume` restarts a paused one."
    )
    assert error_of(runner, "watch", "add", url + "/b", "--feed", "--links", "x") == (
        "Error: Give --feed or --links, not both."
    )
    assert error_of(runner, "watch", "add", url + "/c", "--every", "soon") == (
        "Error: Cannot read --every interval 'soon'. Write it as a number and a unit: 90s, "
        "15m, 2h, 30d."
    )
    assert error_of(runner, "watch", "add", url + "/d", "--links", "news/(") == (
        "Error: The --links pattern 'news/(' is not a regular expression (missing ), "
        "unterminated subpattern at position 5). For example: --links '/news/20[0-9]{2}/'."
    )
    assert error_of(runner, "watch", "remove", "99") == (
        "Error: Nothing watched matches '99'. Run `revtrack watch list` to see what is watched."
    )
    assert error_of(runner, "fetch", "--workers", "0") == "Error: --workers must be at least 1."
    assert error_of(runner, "watch", "host", "h.com", "--skip", "(") == (
        "Error: The skip pattern '(' is not a regular expression (missing ), unterminated "
        "subpattern at position 0)."
    )
    rows = json.loads(ok(runner, "watch", "list", "--format", "json"))
    assert [r["url"] for r in rows] == [url]  # nothing half-added


def test_a_malformed_feed_and_a_non_html_page_say_why_in_the_fetch_output(
    runner: CliRunner, db_url: str, outlet: Outlet
) -> None:
    outlet.set("/bad.xml", "<rss><channel><title>x</title>", ctype="application/rss+xml")
    outlet.set("/photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF", ctype="image/jpeg")
    ok(runner, "watch", "add", outlet.url("/bad.xml"), "--feed")
    ok(runner, "watch", "add", outlet.url("/photo.jpg"))
    ok(runner, "watch", "host", f"127.0.0.1:{outlet.port}", "--delay", "0")
    lines = ok(runner, "fetch").splitlines()
    assert sorted(lines[:2]) == [
        f"failed  {outlet.url('/bad.xml')}  bad-feed: {outlet.url('/bad.xml')} is not an RSS "
        "or Atom feed (no element found).",
        f"failed  {outlet.url('/photo.jpg')}  not-html: {outlet.url('/photo.jpg')} is "
        "image/jpeg, not an HTML page",
    ]
    assert lines[-1].endswith(": 0 new revisions, 0 unchanged, 2 failed.")
    assert ok(runner, "articles").strip().splitlines()[-1] != "ferry"
