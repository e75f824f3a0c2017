"""URL ingest against an HTTP server the test starts on 127.0.0.1 (never the network)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from revtrack.cli import cli

ARTICLE_HTML = """<!doctype html><html><head><meta charset="utf-8">
<title>Harbor Council Approves Ferry Route | The Port Alder Gazette</title>
<link rel="canonical" href="http://127.0.0.1:{port}/news/2024/ferry-route-approved">
<meta name="author" content="Dana Whitcombe"></head>
<body><nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/sports">Sports</a></nav>
<article><h1>Harbor Council Approves Ferry Route</h1>
<p>PORT ALDER — The harbor council voted 5-2 on Tuesday to open a ferry route linking the
town with the {islands} outer islands, ending a decade of debate over how residents reach
the mainland.</p>
<p>The new service will run three round trips a day from the old cannery pier, starting in May,
and will cut the crossing from 90 minutes to about 40, council members said.</p>
<p>"People on the islands have waited long enough," said council member Ruth Okafor.</p>
{note}
</article><footer>Copyright 2024 The Port Alder Gazette. Subscribe now!</footer></body></html>"""

PAGES: dict[str, tuple[int, str, bytes]] = {}
SEEN: list[dict[str, str]] = []  # request headers, in order


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        SEEN.append(dict(self.headers))
        status, ctype, body = PAGES.get(self.path, (404, "text/plain", b"not found"))
        etag = f'"{hash(body) & 0xFFFFFFFF:x}"'
        if status == 200 and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if status == 200:
            self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[int]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1]
    finally:
        httpd.shutdown()
        httpd.server_close()
        PAGES.clear()
        SEEN.clear()


def page(port: int, islands: str, note: str = "") -> bytes:
    return ARTICLE_HTML.format(port=port, islands=islands, note=note).encode("utf-8")


def test_url_ingest_extracts_text_title_and_canonical_key(
    runner: CliRunner, db_url: str, server: int
) -> None:
    PAGES["/story"] = (200, "text/html; charset=utf-8", page(server, "two"))
    result = runner.invoke(cli, ["ingest", f"http://127.0.0.1:{server}/story"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ferry-route-approved  v1  ")
    text = runner.invoke(cli, ["show", "ferry-route-approved"]).output
    assert "two outer islands" in text
    assert "Subscribe now" not in text and "Sports" not in text
    log = runner.invoke(cli, ["log", "ferry-route-approved"]).output
    assert "Harbor Council Approves Ferry Route" in log


def test_url_versions_and_the_note_on_a_later_page(
    runner: CliRunner, db_url: str, server: int
) -> None:
    url = f"http://127.0.0.1:{server}/story"
    PAGES["/story"] = (200, "text/html", page(server, "two"))
    runner.invoke(cli, ["ingest", url], catch_exceptions=False)
    note = (
        "<p>Correction: An earlier version of this story misstated the number of outer "
        "islands the route will serve. It is three.</p>"
    )
    PAGES["/story"] = (200, "text/html", page(server, "three", note))
    result = runner.invoke(cli, ["ingest", url], catch_exceptions=False)
    assert result.output.startswith("ferry-route-approved  v2  ")
    assert "1 note(s) found" in result.output


def test_http_404_is_an_error_and_stores_nothing(
    runner: CliRunner, db_url: str, server: int
) -> None:
    url = f"http://127.0.0.1:{server}/gone"
    result = runner.invoke(cli, ["ingest", url, "-a", "gone"])
    assert result.exit_code == 1
    assert (
        result.output
        == f"Error: {url} answered HTTP 404 Not Found. Check the URL; nothing was stored.\n"
    )


def test_unreachable_url(runner: CliRunner, db_url: str) -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/story"
    result = runner.invoke(cli, ["ingest", url, "-a", "x"])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: Cannot reach {url}: ")
    assert result.output.rstrip().endswith("Check the URL and your network.")


def test_polling_an_unchanged_page_asks_the_server_conditionally(
    runner: CliRunner, db_url: str, server: int
) -> None:
    url = f"http://127.0.0.1:{server}/story"
    PAGES["/story"] = (200, "text/html", page(server, "two"))
    runner.invoke(cli, ["ingest", url], catch_exceptions=False)
    again = runner.invoke(cli, ["ingest", url], catch_exceptions=False)
    assert again.output.startswith("ferry-route-approved  unchanged (same as v1)")
    assert "If-None-Match" not in SEEN[0] and SEEN[1]["If-None-Match"].startswith('"')
    PAGES["/story"] = (200, "text/html", page(server, "three"))
    changed = runner.invoke(cli, ["ingest", url], catch_exceptions=False)
    assert changed.output.startswith("ferry-route-approved  v2  ")
