"""Atom feeds of new revisions, corrections and undisclosed edits, per article and per outlet.

Each feed is parsed by feedparser (the library revtrack's own watcher reads feeds with) and
must be well-formed (``bozo`` false) and say what happened: the newest revision first, each
entry linking to its change, the note with its text, the undisclosed edit with its words.
The pages link their feeds with ``<link rel="alternate">``. test_web.py's database: the ferry
story (no outlet) and a bulk-imported document of the outlet ``corpus``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import feedparser
import pytest
from flask.testing import FlaskClient

from conftest import EXAMPLE
from revtrack import Revtrack
from revtrack.web import create_app
from revtrack.web.feeds import xml_safe
from test_web import SLASH_KEY, load


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlaskClient]:
    scratch = tmp_path_factory.mktemp("feeds")
    url = str(scratch / "revtrack.db")
    with Revtrack(url, create=True, actor="tester") as rt:
        load(rt, EXAMPLE, scratch)
    app = create_app(url)
    app.testing = True
    yield app.test_client()
    app.extensions["revtrack"].close()


def parsed(client: FlaskClient, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    return feed


def test_an_articles_new_revisions(client: FlaskClient) -> None:
    feed = parsed(client, "/a/ferry/-/feed/revisions")
    assert feed.feed.title == "ferry: revisions"
    assert [e.title.split(":")[0] for e in feed.entries] == ["ferry v3", "ferry v2", "ferry v1"]
    assert feed.entries[0].link == "http://localhost/a/ferry/-/diff/v2..v3"
    assert feed.entries[2].link == "http://localhost/a/ferry/-/rev/v1"
    assert "+24 −1 words" in feed.entries[0].summary
    assert feed.entries[0].updated.startswith("2022-03-18T12:30")
    assert len({e.id for e in feed.entries}) == 3
    assert any(link.rel == "self" for link in feed.feed.links)


def test_an_articles_corrections(client: FlaskClient) -> None:
    feed = parsed(client, "/a/ferry/-/feed/corrections")
    (entry,) = feed.entries
    assert entry.title == "ferry: correction #1 (active)"
    assert "misstated the number of outer islands" in entry.summary
    assert "first shown in v3; fixes v3" in entry.summary
    assert entry.link == "http://localhost/a/ferry#c1"


def test_an_articles_undisclosed_edits(client: FlaskClient) -> None:
    feed = parsed(client, "/a/ferry/-/feed/undisclosed")
    money = [e for e in feed.entries if "$4.2" in e.summary]
    assert len(money) == 1 and "$4.8" in money[0].summary
    assert money[0].title == "ferry v2: undisclosed high edit"
    assert money[0].link.startswith("http://localhost/a/ferry/-/diff/v1..v2#h")
    # The fix that came with its note (the islands, v3) is disclosed: not in this feed.
    assert not any("three" in e.summary and "two" in e.summary for e in feed.entries)


def test_an_outlets_feeds(client: FlaskClient) -> None:
    revisions = parsed(client, "/o/corpus/-/feed/revisions")
    assert [e.title.split(":")[0] for e in revisions.entries] == [
        f"{SLASH_KEY} v2",
        f"{SLASH_KEY} v1",
    ]
    assert revisions.feed.title == "corpus: revisions"
    undisclosed = parsed(client, "/o/corpus/-/feed/undisclosed")
    assert any("$3" in e.summary and "$5" in e.summary for e in undisclosed.entries)
    corrections = parsed(client, "/o/corpus/-/feed/corrections")
    assert corrections.entries == []  # an empty feed is still a valid one


def test_stored_markup_stays_text(client: FlaskClient) -> None:
    raw = client.get(f"/a/{SLASH_KEY}/-/feed/revisions").text
    assert "&lt;b&gt;Bridge&lt;/b&gt;" in raw and "<b>" not in raw
    feed = parsed(client, f"/a/{SLASH_KEY}/-/feed/revisions")
    assert "<b>Bridge</b>" in feed.entries[0].title  # the hostile headline, as text


def test_characters_xml_cannot_hold_are_replaced() -> None:
    assert xml_safe("a\x00b\x1bc\ud800d\ufffee") == "a\ufffdb\ufffdc\ufffdd\ufffde"
    assert xml_safe("tab\tnew\nline é 東京 🙂") == "tab\tnew\nline é 東京 🙂"


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/a/ferry/-/feed/nope", 404),
        ("/a/nope/-/feed/revisions", 404),
        ("/o/nope/-/feed/revisions", 404),
        ("/o/nope/-/feed/undisclosed", 404),
        ("/o/nope/-/feed/corrections", 404),
    ],
)
def test_unknown_feeds_are_404(client: FlaskClient, url: str, status: int) -> None:
    assert client.get(url).status_code == status


def _alternates(html: str) -> list[str]:
    import re

    return re.findall(
        r'<link rel="alternate" type="application/atom\+xml" [^>]*href="([^"]+)"', html
    )


def test_pages_link_their_feeds(client: FlaskClient) -> None:
    timeline = _alternates(client.get(f"/a/{SLASH_KEY}").text)
    assert f"/a/{SLASH_KEY}/-/feed/revisions" in timeline
    assert f"/a/{SLASH_KEY}/-/feed/undisclosed" in timeline
    assert "/o/corpus/-/feed/corrections" in timeline
    assert len(timeline) == 6
    assert len(_alternates(client.get("/a/ferry").text)) == 3  # no outlet
    listing = client.get("/?outlet=corpus").text
    assert _alternates(listing) == [
        f"/o/corpus/-/feed/{k}" for k in ("revisions", "corrections", "undisclosed")
    ]
    assert SLASH_KEY in listing and 'href="/a/ferry"' not in listing
    for url in timeline:  # every linked feed answers and parses
        parsed(client, url)
