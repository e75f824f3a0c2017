"""A small threaded HTTP server the watch tests start on 127.0.0.1 (never the network).

Routes are set per test: a body with a status and content type, or a redirect; every
answer to a 200 carries an ETag (the body's hash) and honours If-None-Match, unless the
route says not to. Requests are recorded with their headers, and the most requests in
flight at once is kept, per host header, for the per-host limit tests.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    ctype: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: bool = True
    delay: float = 0.0
    location: str | None = None  # a redirect target


class Outlet:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.queues: dict[str, list[Route]] = {}  # answered in turn, the last one repeated
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.lock = threading.Lock()
        self.inflight = 0
        self.max_inflight = 0
        self.arrived = threading.Event()
        outlet = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                with outlet.lock:
                    outlet.requests.append((self.path, dict(self.headers)))
                    outlet.inflight += 1
                    outlet.max_inflight = max(outlet.max_inflight, outlet.inflight)
                outlet.arrived.set()
                try:
                    self._answer()
                finally:
                    with outlet.lock:
                        outlet.inflight -= 1

            def _answer(self) -> None:
                with outlet.lock:
                    queue = outlet.queues.get(self.path)
                    route = (queue.pop(0) if len(queue) > 1 else queue[0]) if queue else None
                route = route or outlet.routes.get(self.path)
                if route is None:
                    route = Route(b"not found", 404, "text/plain")
                if route.delay:
                    time.sleep(route.delay)
                if route.location is not None:
                    self.send_response(route.status)
                    self.send_header("Location", route.location)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                tag = f'"{hashlib.md5(route.body).hexdigest()[:12]}"'
                if route.status == 200 and route.etag and self.headers.get("If-None-Match") == tag:
                    self.send_response(304)
                    self.send_header("ETag", tag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(route.status)
                self.send_header("Content-Type", route.ctype)
                self.send_header("Content-Length", str(len(route.body)))
                if route.status == 200 and route.etag:
                    self.send_header("ETag", tag)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(route.body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def set(self, path: str, body: str | bytes, **kw: object) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(data, **kw)  # type: ignore[arg-type]

    def queue(self, path: str, *routes: Route) -> None:
        self.queues[path] = list(routes)

    def hits(self, path: str) -> list[dict[str, str]]:
        with self.lock:
            return [h for p, h in self.requests if p == path]


@contextmanager
def serving() -> Iterator[Outlet]:
    outlet = Outlet()
    thread = threading.Thread(target=outlet.httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield outlet
    finally:
        outlet.httpd.shutdown()
        outlet.httpd.server_close()


def article(title: str, paragraphs: list[str], *, canonical: str | None = None) -> str:
    """A news page like an outlet's: navigation and footer around the article."""
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{title} | The Gazette</title>'
        f'{link}<meta name="author" content="Dana Whitcombe"></head><body>'
        '<nav><a href="/">Home</a> | <a href="/news">News</a></nav>'
        f"<article><h1>{title}</h1>\n{body}\n</article>"
        "<footer>Copyright The Gazette. Subscribe now!</footer></body></html>"
    )


def rss(items: list[tuple[str, str]], *, title: str = "The Gazette") -> str:
    entries = "".join(
        f"<item><title>{t}</title><link>{link}</link>"
        "<pubDate>Tue, 04 Jun 2024 09:00:00 GMT</pubDate></item>"
        for t, link in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>/</link><description>News</description>{entries}"
        "</channel></rss>"
    )
