"""`backfill URL`: Wayback captures replayed by a local server on 127.0.0.1, never the network."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from revtrack import Revtrack
from revtrack.cli import cli

URL = "https://news.example/2024/05/ferry-service"
BODY = [
    "The council said on Tuesday that ferry service to the two islands would resume in May.",
    "Repairs cost $4.2 million, officials said.",
    "The ferry, which carries about 300 passengers a day, was taken out of service in January.",
]


def page(paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        "<!doctype html><html><head><title>Ferry service to resume</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>Ferry service to resume</h1>{body}</article></body></html>"
    ).encode()


PAGES = {
    "20240501090000": page(BODY),
    "20240502081500": page([BODY[0], BODY[1].replace("4.2", "4.8"), BODY[2]]),
    "20240503164500": page(
        [
            BODY[0].replace("two islands", "three islands"),
            BODY[1].replace("4.2", "4.8"),
            BODY[2],
            "Correction: An earlier version of this story misstated the number of islands.",
        ]
    ),
}
CDX = f"""20240501090000 {URL} text/html 200 AAAA
20240501120000 {URL} text/html 200 AAAA
<html><body>Internal error</body></html>
20240501130000 {URL} text/html 404 BBBB
20240501140000 {URL}?amp=1 text/html 301 CCCC
2024050215 {URL} text/html 200 DDDD
20240502081500 {URL} text/html 200 EEEE
20240502090000 {URL}/logo.png image/png 200 FFFF
20240503164500 {URL} text/html 200 GGGG
"""


class Archive(BaseHTTPRequestHandler):
    """A Wayback-compatible server answering from the recorded responses above."""

    requests: ClassVar[list[str]] = []
    flaky: ClassVar[set[str]] = set()  # answer 503 once to these paths

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        Archive.requests.append(self.path)
        if parts.path == "/cdx/search/cdx":
            query = parse_qs(parts.query)
            lines = [
                line
                for line in CDX.splitlines()
                if not line[:1].isdigit()
                or (
                    line[:14] >= query.get("from", ["0"])[0].ljust(14, "0")
                    and line[:14] <= query.get("to", ["9"])[0].ljust(14, "9")
                )
            ]
            return self._send(200, "text/plain", ("\n".join(lines) + "\n").encode())
        if parts.path in Archive.flaky:
            Archive.flaky.discard(parts.path)
            return self._send(503, "text/plain", b"busy", {"Retry-After": "0"})
        stamp = parts.path.removeprefix("/web/")[:14]
        if parts.path.startswith("/web/") and stamp in PAGES:
            return self._send(200, "text/html; charset=utf-8", PAGES[stamp])
        return self._send(404, "text/plain", b"not archived")

    def _send(
        self, status: int, ctype: str, body: bytes, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def archive(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Archive)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("REVTRACK_WAYBACK_URL", base)
    monkeypatch.setenv("REVTRACK_WAYBACK_INTERVAL", "0")
    Archive.requests.clear()
    Archive.flaky.clear()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


def page_requests() -> list[str]:
    return [r for r in Archive.requests if r.startswith("/web/")]


def test_captures_become_revisions_with_their_archive_urls(rt: Revtrack, archive: str) -> None:
    Archive.flaky.add(f"/web/20240502081500id_/{URL}")  # retried after a 503
    summary = rt.backfill(URL)
    assert (summary["documents"], summary["revisions"], summary["corrections"]) == (1, 3, 1)
    assert summary["problems"] == [
        "CDX line 3: '<html><body>Internal error</body></html>' is not a capture; skipped.",
        f"CDX line 6: '2024050215 {URL} text/html 200 DDDD' is not a capture; skipped.",
    ]
    assert summary["counts"] == {
        "error captures": 1,
        "non-HTML captures": 1,
        "redirects": 1,
        "repeated payloads": 1,
        "unchanged versions": 1,
    }
    log = rt.log("ferry-service")
    assert [r.captured_at for r in log.revisions] == [
        datetime(2024, 5, 1, 9, 0),
        datetime(2024, 5, 2, 8, 15),
        datetime(2024, 5, 3, 16, 45),
    ]
    first = log.revisions[0]
    assert first.source == f"{archive}/web/20240501090000id_/{URL}"
    assert first.source_kind == "wayback" and first.meta["source_id"] == first.source
    assert "Home" not in rt.show("ferry-service@v1")[1]
    # The repeated digest cost no request; the 503 was retried once.
    assert page_requests() == [
        f"/web/20240501090000id_/{URL}",
        f"/web/20240502081500id_/{URL}",
        f"/web/20240502081500id_/{URL}",
        f"/web/20240503164500id_/{URL}",
    ]
    [audit] = list(rt.audit("ferry-service"))
    assert [f.revision for f in audit.findings] == [2]
    assert rt.verify().ok


def test_a_rerun_asks_only_for_what_is_new(rt: Revtrack, archive: str) -> None:
    rt.backfill(URL, until="2024-05-02T23:00")
    Archive.requests.clear()
    summary = rt.backfill(URL)
    assert summary["revisions"] == 1
    assert page_requests() == [f"/web/20240503164500id_/{URL}"]
    assert summary["unmapped"] == [
        "captures before ferry-service's latest revision (2024-05-02T08:15:00): history is "
        "kept in capture order, so only later captures were asked for"
    ]
    Archive.requests.clear()
    again = rt.backfill(URL)
    assert again["revisions"] == 0 and page_requests() == []


def test_from_to_and_limit(rt: Revtrack, archive: str) -> None:
    summary = rt.backfill(URL, since="2024-05-02", limit=1, article="ferry")
    assert summary["revisions"] == 1
    assert summary["counts"]["beyond --limit"] == 1
    assert [r.captured_at for r in rt.log("ferry").revisions] == [datetime(2024, 5, 2, 8, 15)]


def test_backfill_on_the_command_line(runner: CliRunner, archive: str, db_url: str) -> None:
    result = runner.invoke(cli, ["backfill", URL, "--to", "2024-05-01T23:00"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Imported 1 article(s), 1 revision(s), 0 note(s) found; 0 already imported.",
        "Left out: 1 error captures, 1 redirects, 1 repeated payloads, 1 unchanged versions.",
        "failed: CDX line 3: '<html><body>Internal error</body></html>' is not a capture; skipped.",
        "Error: 1 record(s) could not be imported; the rest was. Each is named above.",
    ]
    bad = runner.invoke(cli, ["backfill", "news.example/ferry"])
    assert bad.output == (
        "Error: 'news.example/ferry' is not an http(s) URL. Give the article's address.\n"
    )


def test_an_archive_that_does_not_answer(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, db_url: str
) -> None:
    monkeypatch.setenv("REVTRACK_WAYBACK_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("REVTRACK_WAYBACK_INTERVAL", "0")
    result = runner.invoke(cli, ["backfill", URL])
    assert result.exit_code == 1
    assert result.output == (
        "Error: http://127.0.0.1:9/cdx/search/cdx did not answer (ConnectError). Check the "
        "network and run the backfill again; it resumes.\n"
    )
