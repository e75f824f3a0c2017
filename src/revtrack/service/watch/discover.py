"""What a feed or a section page points to: the articles to follow.

A feed is parsed with feedparser (RSS 0.9x/1.0/2.0 and Atom, forgiving of small XML errors);
a section page's links are read with lxml and kept when they match the watch's pattern (a
regular expression searched in the absolute URL). Both return canonical URLs, each once.

Bounds: a feed or page listing more than ``max_entries`` items is refused whole, before the
parser spends its time on it, so a runaway feed adds nothing rather than an arbitrary part.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from revtrack.errors import FeedError, InvalidInput
from revtrack.service.watch.urls import WatchUrl, canonical

MAX_ENTRIES = 2000
_ITEM = re.compile(rb"<(?:[A-Za-z0-9_-]+:)?(?:item|entry)[\s>/]")
_HTML_START = re.compile(rb"^\s*(?:\xef\xbb\xbf)?\s*(?:<!doctype\s+html|<html)", re.I)


@dataclass(frozen=True)
class Entry:
    target: WatchUrl
    title: str | None = None
    published: datetime | None = None  # naive UTC, from the feed (never from the page)


def parse_feed(data: bytes, *, url: str, max_entries: int = MAX_ENTRIES) -> list[Entry]:
    """The distinct article URLs of an RSS or Atom feed, in the feed's order."""
    import feedparser

    listed = len(_ITEM.findall(data))
    if listed > max_entries:
        raise FeedError(
            f"{url} lists {listed:,} entries, more than the {max_entries:,} revtrack takes "
            "from one feed; nothing was added.",
            "Watch a smaller feed (a section's), or its articles one by one.",
        )
    # Bytes, never a str: feedparser would take a str for a URL or a file name to open.
    parsed: Any = feedparser.parse(data, response_headers={"content-location": url})
    if not parsed.entries and (parsed.get("bozo") or not parsed.get("version")):
        if _HTML_START.match(data[:2048]):
            raise FeedError(
                f"{url} is an HTML page, not an RSS or Atom feed.",
                "Watch it without --feed, or with --links PATTERN to follow its links.",
            )
        problem = parsed.get("bozo_exception")
        # "<unknown>:2:30: no element found": the position is in feedparser's copy of it
        text = (
            re.sub(r"^<unknown>:\d+:\d+:\s*", "", str(problem).splitlines()[0]) if problem else ""
        )
        detail = f" ({text})" if text else ""
        raise FeedError(f"{url} is not an RSS or Atom feed{detail}.", "Check the feed's address.")
    out: list[Entry] = []
    seen: set[str] = set()
    for item in parsed.entries:
        link = _entry_link(item)
        if not link:
            continue
        try:
            target = canonical(link, base=url)
        except InvalidInput:
            continue  # an entry pointing nowhere useful is not the feed's failure
        if target.ident in seen:
            continue
        seen.add(target.ident)
        out.append(Entry(target, title=item.get("title") or None, published=_published(item)))
    return out


def _entry_link(item: Any) -> str | None:
    link = item.get("link")
    if link:
        return str(link)
    for candidate in item.get("links") or []:
        if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
            return str(candidate["href"])
    guid = item.get("id") or ""
    return str(guid) if str(guid).startswith(("http://", "https://")) else None


def _published(item: Any) -> datetime | None:
    stamp = item.get("published_parsed") or item.get("updated_parsed")
    if not stamp:
        return None
    try:
        return datetime(1970, 1, 1) + timedelta(seconds=calendar.timegm(stamp))
    except (OverflowError, ValueError, TypeError):
        return None


def find_links(html: str, *, url: str, pattern: str, max_entries: int = MAX_ENTRIES) -> list[Entry]:
    """The distinct links of a section page whose absolute URL matches ``pattern``."""
    import lxml.html  # type: ignore[import-untyped]
    from lxml import etree

    wanted = compile_pattern(pattern)
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise FeedError(f"{url} could not be parsed as HTML ({exc}).") from None
    out: list[Entry] = []
    seen: set[str] = set()
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        try:
            target = canonical(href, base=url)
        except InvalidInput:
            continue
        if target.ident in seen or not wanted.search(target.url):
            continue
        seen.add(target.ident)
        out.append(Entry(target, title=" ".join(anchor.text_content().split()) or None))
        if len(out) > max_entries:
            raise FeedError(
                f"{url} has more than {max_entries:,} links matching {pattern!r}; nothing was "
                "added.",
                "Give a narrower --links pattern.",
            )
    return out


def compile_pattern(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise InvalidInput(
            f"The --links pattern {pattern!r} is not a regular expression ({exc}).",
            "For example: --links '/news/20[0-9]{2}/'.",
        ) from None
