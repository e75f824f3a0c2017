"""One claimed watch, fetched and read: the part of a fetch that runs in a worker thread.

Everything slow and free of the database happens here, in parallel: waiting for the host's
slot, robots.txt, the HTTP request, extraction of the article text (trafilatura) or parsing
of the feed or section page. What comes out is an :class:`Outcome`, which the worker's main
thread then records in one transaction (:mod:`revtrack.service.watch.service`).

A body byte-for-byte equal to the last one recorded is not extracted again: the same bytes
give the same text, and most unchanged pages of servers that ignore conditional requests
cost only a hash.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache

from revtrack.errors import RevtrackError
from revtrack.records import WatchRecord
from revtrack.service.sources import Fetched, RawResponse, decode, from_http
from revtrack.service.watch.discover import Entry, find_links, parse_feed
from revtrack.service.watch.fetcher import Fetcher, HttpResult
from revtrack.service.watch.rules import apply_rules

_READABLE = ("html", "xml", "text/")


@dataclass(frozen=True)
class Job:
    """A claimed watch as its fetching thread sees it."""

    watch: WatchRecord
    token: str
    robots: bool = True
    include: tuple[str, ...] = ()  # the host's CSS rules, applied before extraction
    remove: tuple[str, ...] = ()
    delay_ms: int = 0  # the host's spacing now
    keep_page: bool = True  # keep the page as served beside a new revision (`reextract`)


@dataclass
class Outcome:
    job: Job
    result: str  # body | not-modified | same-bytes | failed | robots | released
    http: HttpResult | None = None
    reason: str = ""
    error: str = ""
    fetched: Fetched | None = None  # a page's text, extracted
    entries: list[Entry] = field(default_factory=list)  # a feed's or section page's links
    body_hash: str | None = None
    crawl_delay: float | None = None  # robots.txt asks for more spacing than the host has


def perform(
    job: Job,
    fetcher: Fetcher,
    *,
    clock: Callable[[], datetime],
    stop: threading.Event,
    max_entries: int,
) -> Outcome:
    watch = job.watch
    if watch.not_before is not None:
        wait = (watch.not_before - clock()).total_seconds()
        if wait > 0 and stop.wait(wait):
            return Outcome(job, "released")
    if stop.is_set():
        return Outcome(job, "released")
    if job.robots and not fetcher.allowed(watch.url):
        return Outcome(job, "robots", reason="robots", error="robots.txt disallows it")
    outcome = _fetch(job, fetcher, max_entries)
    if job.robots:
        asked = fetcher.crawl_delay(watch.url)
        if asked is not None and asked * 1000 > job.delay_ms:
            outcome.crawl_delay = asked
    return outcome


def _fetch(job: Job, fetcher: Fetcher, max_entries: int) -> Outcome:
    watch = job.watch
    http = fetcher.get(watch.url, etag=watch.etag, last_modified=watch.last_modified)
    if http.error or http.status is None:
        return Outcome(job, "failed", http, reason=http.reason or "http", error=http.error)
    if http.not_modified:
        if not http.conditional:
            return Outcome(job, "failed", http, reason="http-304", error="HTTP 304 unasked")
        return Outcome(job, "not-modified", http)
    if not 200 <= http.status < 300:
        return Outcome(
            job, "failed", http, reason=f"http-{http.status}", error=f"HTTP {http.status}"
        )
    digest = hashlib.sha256(http.body)
    if job.include or job.remove:  # other rules, other text: the same bytes must be read again
        digest.update(repr((job.include, job.remove)).encode())
    body_hash = digest.hexdigest()
    if watch.body_hash is not None and body_hash == watch.body_hash:
        return Outcome(job, "same-bytes", http, body_hash=body_hash)
    final = http.final_url or watch.url
    ctype = http.content_type.split(";")[0].strip().lower()
    try:
        if watch.kind == "feed":
            entries = parse_feed(http.body, url=final, max_entries=max_entries)
            return Outcome(job, "body", http, entries=entries, body_hash=body_hash)
        if ctype and not any(mark in ctype for mark in _READABLE):
            return Outcome(
                job,
                "failed",
                http,
                reason="not-html",
                error=f"{watch.url} is {ctype}, not an HTML page",
            )
        if watch.kind == "links":
            html = decode(http.body, source=final, charset=_charset(http.content_type))
            links = find_links(html, url=final, pattern=watch.pattern, max_entries=max_entries)
            return Outcome(job, "body", http, entries=links, body_hash=body_hash)
        fetched = read_page(
            http.body,
            content_type=http.content_type,
            url=final,
            source=watch.url,
            include=job.include,
            remove=job.remove,
        )
        if fetched.is_html and job.keep_page:  # the page as served, before any rule
            fetched = replace(fetched, raw=RawResponse(http.body, http.content_type, final))
    except RevtrackError as exc:
        reason = "bad-feed" if watch.kind != "page" else "unreadable"
        return Outcome(job, "failed", http, reason=reason, error=exc.message)
    return Outcome(job, "body", http, fetched=fetched, body_hash=body_hash)


@lru_cache(maxsize=1)
def load_extractor() -> None:
    """Import the extractor once, in the caller's thread, before threads read pages: a first
    import made by several threads at once can see a half-made module (trafilatura's own
    optional imports then fail as if a dependency were missing)."""
    import warnings

    with warnings.catch_warnings():
        # trafilatura probes urllib3's optional SOCKS support by importing it, which warns
        # when PySocks is absent: nothing a user of revtrack can or need act on.
        warnings.simplefilter("ignore")
        import trafilatura  # noqa: F401

    import revtrack.service.html  # noqa: F401


def read_page(
    body: bytes,
    *,
    content_type: str,
    url: str,
    source: str,
    include: Sequence[str] = (),
    remove: Sequence[str] = (),
) -> Fetched:
    """A page's article text: the host's CSS rules applied, then extraction. The one reading
    of a page, shared by fetching and `reextract` (which reads kept pages again)."""
    ctype = content_type.split(";")[0].strip().lower()
    if (include or remove) and "html" in ctype:
        ruled = apply_rules(body, include=include, remove=remove)
        if ruled is not None:
            body, content_type = ruled, "text/html; charset=utf-8"
    return from_http(body, source=source, final_url=url, content_type=content_type)


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            return value.strip("\"'")
    return None
