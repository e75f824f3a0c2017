"""Answers kept until the database changes, and ETags for feed readers and browsers.

Everything the web serves is a function of the URL and the database, and the database only
grows: every write appends an event, so the newest event's id (``Revtrack.data_version``, one
index lookup) names its state. A 200 answer is kept under (data version, host, path and
query) in an LRU bounded by the bytes it holds, and served again until the next write; each
carries an ETag, so a feed reader polling with ``If-None-Match`` gets a 304 with no body.
Only requests the router took in are answered from it (a wrong Host still gets its 400), and
it runs after the access check (a request without the token never reaches it).
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from typing import cast

from cachetools import LRUCache
from flask import Flask, Response, request

from revtrack.web.app import facade

MAX_BYTES = 32_000_000  # bytes of answers kept
MAX_ANSWER = 2_000_000  # larger answers (a whole long revision) are not kept


@dataclass(frozen=True)
class Kept:
    body: bytes
    mimetype: str
    etag: str
    headers: tuple[tuple[str, str], ...]


def _size(kept: Kept) -> int:
    return len(kept.body) + 200


class PageCache:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.kept: LRUCache[tuple[int, str, str], Kept] = LRUCache(
            maxsize=MAX_BYTES, getsizeof=_size
        )
        self.hits = self.misses = 0

    def key(self) -> tuple[int, str, str] | None:
        if request.method not in ("GET", "HEAD") or request.routing_exception is not None:
            return None
        if request.path.startswith("/static/"):
            return None  # Flask's own file serving has its validators already
        return (facade().data_version(), request.host, request.full_path)

    def before(self) -> Response | None:
        key = self.key()
        request.environ["revtrack.cache_key"] = key
        if key is None:
            return None
        with self.lock:
            kept = self.kept.get(key)
            if kept is None:
                self.misses += 1
                return None
            self.hits += 1
        response = Response(kept.body, mimetype=kept.mimetype)
        for name, value in kept.headers:
            response.headers[name] = value
        response.set_etag(kept.etag)
        return cast(Response, response.make_conditional(request))

    def after(self, response: Response) -> Response:
        key = request.environ.get("revtrack.cache_key")
        if key is None or response.status_code != 200 or response.direct_passthrough:
            return response
        if "Set-Cookie" in response.headers:
            return response
        if response.get_etag()[0]:  # an answer from this cache, already conditional
            return response
        body = response.get_data()
        if len(body) > MAX_ANSWER:
            return response
        etag = hashlib.blake2b(body, digest_size=12).hexdigest()
        kept = Kept(body, response.mimetype or "application/octet-stream", etag, ())
        with self.lock:
            self.kept[key] = kept
        response.set_etag(etag)
        return cast(Response, response.make_conditional(request))


def install(app: Flask) -> PageCache:
    cache = PageCache()
    app.extensions["revtrack.pages"] = cache
    app.before_request(cache.before)
    app.after_request(cache.after)
    return cache
