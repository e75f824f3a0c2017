"""Feeds and section pages: which articles they point to."""

from __future__ import annotations

import time

import pytest

from revtrack.errors import FeedError, InvalidInput
from revtrack.service.watch.discover import find_links, parse_feed

BASE = "https://example.com/rss.xml"

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Gazette</title><id>urn:g</id>
<updated>2024-06-04T09:00:00Z</updated>
<entry><title>Ferry</title><id>urn:1</id><updated>2024-06-04T08:30:00Z</updated>
<link rel="alternate" href="https://example.com/news/ferry"/></entry>
<entry><title>Library</title><id>https://example.com/news/library</id>
<updated>2024-06-04T08:00:00Z</updated></entry>
</feed>"""


def rss(links: list[str]) -> bytes:
    items = "".join(f"<item><title>t</title><link>{u}</link></item>" for u in links)
    head = '<?xml version="1.0"?><rss version="2.0"><channel><title>G</title>'
    return f"{head}{items}</channel></rss>".encode()


def test_rss_entries_resolved_cleaned_and_each_story_once() -> None:
    entries = parse_feed(
        rss(["/news/ferry?utm_source=rss", "https://example.com/news/ferry#top", "/news/b"]),
        url=BASE,
    )
    assert [e.target.url for e in entries] == [
        "https://example.com/news/ferry",
        "https://example.com/news/b",
    ]


def test_atom_links_ids_and_published_times() -> None:
    entries = parse_feed(ATOM, url=BASE)
    assert [e.target.ident for e in entries] == [
        "example.com/news/ferry",
        "example.com/news/library",
    ]
    assert entries[0].published is not None and entries[0].published.hour == 8


def test_a_feed_with_small_xml_errors_still_gives_its_entries() -> None:
    broken = b'<rss version="2.0"><channel><item><link>https://e.com/a</link></channel>'
    assert [e.target.url for e in parse_feed(broken, url=BASE)] == ["https://e.com/a"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"this is not a feed", "https://example.com/rss.xml is not an RSS or Atom feed"),
        (
            b"<!doctype html><html><body><p>Hi</p></body></html>",
            "https://example.com/rss.xml is an HTML page, not an RSS or Atom feed.",
        ),
    ],
)
def test_what_is_not_a_feed_is_refused_with_a_message(body: bytes, message: str) -> None:
    with pytest.raises(FeedError) as caught:
        parse_feed(body, url=BASE)
    assert caught.value.message.startswith(message)


def test_a_feed_of_100000_entries_is_refused_whole_and_fast() -> None:
    body = rss([f"https://e.com/{n}" for n in range(100_000)])
    started = time.monotonic()
    with pytest.raises(FeedError) as caught:
        parse_feed(body, url=BASE)
    assert time.monotonic() - started < 1.0
    assert caught.value.message == (
        "https://example.com/rss.xml lists 100,000 entries, more than the 2,000 revtrack "
        "takes from one feed; nothing was added."
    )


SECTION = """<!doctype html><html><body>
<nav><a href="/">Home</a><a href="/news/">News</a><a href="mailto:x@e.com">Mail</a></nav>
<a href="/news/2024/ferry-route">Ferry route approved</a>
<a href="https://example.com/news/2024/ferry-route?utm_source=front">Ferry (again)</a>
<a href="/news/2024/library">Library hours</a>
<a href="https://other.org/news/2024/elsewhere">Elsewhere</a>
<a href="#top">Top</a></body></html>"""


def test_section_page_links_matching_the_pattern() -> None:
    links = find_links(SECTION, url="https://example.com/", pattern=r"example\.com/news/\d{4}/")
    assert [e.target.url for e in links] == [
        "https://example.com/news/2024/ferry-route",
        "https://example.com/news/2024/library",
    ]
    assert links[0].title == "Ferry route approved"


def test_a_bad_pattern_is_a_clear_error() -> None:
    with pytest.raises(InvalidInput) as caught:
        find_links(SECTION, url="https://example.com/", pattern="news/(")
    assert caught.value.message.startswith("The --links pattern 'news/(' is not a regular")
