"""Atom feeds: new revisions, corrections and undisclosed edits, per article and per outlet.

A standards desk or a researcher follows a story (or an outlet) in a feed reader instead of
polling the pages. Each feed is one bounded facade call (the newest ``LIMIT`` items by
storage order, see :mod:`revtrack.service.browsing`) written with feedgen, which gets
RFC 4287's structure, dates and escaping right. Entry ids are the permanent page URLs of the
revision, note or change, so a reader never shows an item twice. Addresses follow the URL
scheme of :mod:`revtrack.web.urls`::

    /a/KEY/-/feed/revisions | corrections | undisclosed
    /o/OUTLET/-/feed/revisions | corrections | undisclosed
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, url_for

from revtrack.errors import UnknownArticle
from revtrack.records import RevisionRecord
from revtrack.shapes import audit_dict, correction_dict
from revtrack.web.app import facade
from revtrack.web.pages import diff_url

bp = Blueprint("feeds", __name__)
_GET = {"provide_automatic_options": False}
KINDS = ("revisions", "corrections", "undisclosed")
LIMIT = 50
AUDITED = 20  # an outlet's undisclosed-edits feed audits its most recently changed articles
ATOM = "application/atom+xml"

# XML 1.0 has no place for most control characters or for lone surrogates; a stored text may
# hold either (revtrack keeps texts exactly), and lxml refuses them, so they become U+FFFD.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str | None) -> str:
    return _NOT_XML.sub("\ufffd", text or "")


def _utc(moment: datetime | None) -> datetime:
    if moment is None:
        return datetime(1970, 1, 1, tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise UnknownArticle(f"No feed {kind!r}.", f"Feeds: {', '.join(KINDS)}.")
    return kind


def _atom(title: str, self_url: str, page_url: str, entries: Iterable[dict[str, Any]]) -> Response:
    from feedgen.feed import FeedGenerator

    items = list(entries)
    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(xml_safe(title))
    feed.author({"name": "revtrack"})
    feed.link(href=self_url, rel="self")
    feed.link(href=page_url, rel="alternate")
    feed.generator("revtrack")
    feed.updated(max((e["updated"] for e in items), default=_utc(None)))
    for item in items:
        entry = feed.add_entry(order="append")
        entry.id(item["link"])
        entry.title(xml_safe(item["title"]))
        entry.link(href=item["link"], rel="alternate")
        entry.updated(item["updated"])
        entry.summary(xml_safe(item["summary"]))
    return Response(feed.atom_str(pretty=True), mimetype=ATOM)


def _external(url: str) -> str:
    """A path made absolute against the request's own address (feeds need absolute links)."""
    from flask import request

    return request.host_url.rstrip("/") + url


def _revision_entry(r: RevisionRecord) -> dict[str, Any]:
    key = r.article_key
    if r.number == 1:
        link, change = url_for("pages.revision", key=key, rev=r.label), f"{r.words} words"
    else:
        link = diff_url(key, f"v{r.number - 1}", r.label)
        change = f"+{r.words_added} −{r.words_removed} words, {r.hunks} changes"
    if r.revert_of:
        change += f", back to v{r.revert_of}"
    return {
        "title": f"{key} {r.label}: {r.title or key}",
        "link": _external(link),
        "updated": _utc(r.captured_at),
        "summary": f"{r.label} of {key} captured {r.captured_at:%Y-%m-%d %H:%M} UTC ({change}).",
    }


def _correction_entry(view: Any) -> dict[str, Any]:
    note = correction_dict(view)
    key = note["article"]
    fixing, shown = note["fixing_revision"], note["disclosed_revision"]
    link = url_for("pages.timeline", key=key) + f"#c{note['id']}"
    where = f"first shown in v{shown}" if shown else "added by hand"
    fix = f"fixes v{fixing}" if fixing else "no fixing revision found"
    return {
        "title": f"{key}: {note['kind']} #{note['id']} ({note['status']})",
        "link": _external(link),
        "updated": _utc(view.disclosed_at or view.record.created_at),
        "summary": f"{note['text']} — {where}; {fix}.",
    }


def _undisclosed_entries(audits: Iterable[Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for result in audits:
        shaped = audit_dict(result)
        times = {r.number: r.captured_at for r in result.revisions}
        key = shaped["article"]
        for f in shaped["undisclosed"]:
            rev = f["revision"]
            link = diff_url(key, f"v{rev - 1}", f"v{rev}") if rev > 1 else ""
            old, new = f["old"].strip(), f["new"].strip()
            out.append(
                {
                    "title": f"{key} v{rev}: undisclosed {f['severity']} edit",
                    "link": _external(link or url_for("pages.audit", key=key)) + f"#h{f['hunk']}",
                    "updated": _utc(times.get(rev)),
                    "summary": f"“{old}” → “{new}” ({', '.join(f['kinds']) or f['op']}; "
                    f"{f['reason']})",
                }
            )
    out.sort(key=lambda e: e["updated"], reverse=True)
    return out[:LIMIT]


@bp.get("/a/<key:key>/-/feed/<kind>", **_GET)
def article_feed(key: str, kind: str) -> Response:
    rt = facade()
    _kind(kind)
    self_url = _external(url_for("feeds.article_feed", key=key, kind=kind))
    page = _external(url_for("pages.timeline", key=key))
    if kind == "revisions":
        entries = [_revision_entry(r) for r in rt.recent_revisions(key=key, limit=LIMIT)]
    elif kind == "corrections":
        entries = [_correction_entry(v) for v in rt.recent_corrections(key=key, limit=LIMIT)]
    else:
        entries = _undisclosed_entries(rt.audit(key))
    return _atom(f"{key}: {kind}", self_url, page, entries)


@bp.get("/o/<key:outlet>/-/feed/<kind>", **_GET)
def outlet_feed(outlet: str, kind: str) -> Response:
    rt = facade()
    _kind(kind)
    self_url = _external(url_for("feeds.outlet_feed", outlet=outlet, kind=kind))
    page = _external(url_for("pages.index", outlet=outlet))
    if kind == "revisions":
        entries = [_revision_entry(r) for r in rt.recent_revisions(outlet=outlet, limit=LIMIT)]
    elif kind == "corrections":
        views = rt.recent_corrections(outlet=outlet, limit=LIMIT)
        entries = [_correction_entry(v) for v in views]
    else:
        entries = _undisclosed_entries(rt.recent_audits(outlet=outlet, articles=AUDITED))
    return _atom(f"{outlet}: {kind}", self_url, page, entries)


def feed_links(key: str | None = None, outlet: str | None = None) -> list[tuple[str, str]]:
    """(title, URL) of the feeds a page links with ``<link rel="alternate">``."""
    out = []
    for kind in KINDS:
        if key is not None:
            out.append((f"{key}: {kind}", url_for("feeds.article_feed", key=key, kind=kind)))
        if outlet:
            url = url_for("feeds.outlet_feed", outlet=outlet, kind=kind)
            out.append((f"{outlet}: {kind}", url))
    return out
