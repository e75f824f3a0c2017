"""Sources a careless user or an adversary hands to ingest: each ends in a clean error or a
kept version, never a hang, a traceback or a silently dropped page."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from revtrack.errors import BinaryInput, EmptyText, SourceError, TooLarge
from revtrack.service import sources
from revtrack.service.html import visible_text
from revtrack.service.sources import looks_like_html, read_source

CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"


def test_dev_zero_is_read_only_up_to_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REVTRACK_MAX_BYTES", "4096")
    with pytest.raises(TooLarge, match=r"larger than the 0\.0 MB limit"):
        read_source("/dev/zero")


def test_dev_urandom_is_capped_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REVTRACK_MAX_BYTES", "4096")
    with pytest.raises((TooLarge, BinaryInput)):
        read_source("/dev/urandom")


def test_a_fifo_that_never_ends_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REVTRACK_MAX_BYTES", "8192")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    stop = threading.Event()

    def writer() -> None:
        try:
            with fifo.open("wb") as out:
                while not stop.is_set():
                    out.write(b"word " * 1000)
        except BrokenPipeError:
            pass

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        with pytest.raises(TooLarge):
            read_source(str(fifo))
    finally:
        stop.set()
    thread.join(timeout=5)
    assert not thread.is_alive()


def test_utf16_with_a_bom_is_decoded_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes("Ferry route approved.\n\nThe council voted 5–2.\n".encode("utf-16"))
    fetched = read_source(str(path))
    assert fetched.text == "Ferry route approved.\n\nThe council voted 5–2.\n"
    assert fetched.warnings == (f"{path} is UTF-16 text; it is stored and shown as UTF-8.",)


def test_nul_bytes_without_a_bom_are_still_binary(tmp_path: Path) -> None:
    path = tmp_path / "blob.txt"
    path.write_bytes(b"abc\x00def")
    with pytest.raises(BinaryInput, match="looks like a binary file"):
        read_source(str(path))


@pytest.mark.parametrize(
    ("head", "html"),
    [
        (b"<!doctype html><html><body><p>x</p></body></html>", True),
        (b"<html><p>Story text.</p></html>", True),
        (b"<!-- markdownlint-disable -->\n\n" + b"Thank you for using the service. " * 20, False),
        (b"<!-- c --><article><p>A</p><p>B</p><div><span>C</span></div></article>", True),
        (b"# Title\n\nSome <b>bold</b> Markdown text with a little inline HTML.\n", False),
        (b"<meta charset=utf-8>" + b"Plain words and nothing else at all. " * 40, False),
    ],
)
def test_html_is_what_markup_fills(head: bytes, html: bool) -> None:
    assert looks_like_html(head) is html


def test_markdown_with_a_leading_comment_is_ingested_as_text(tmp_path: Path) -> None:
    body = (
        "<!-- markdownlint-disable search-replace -->\n\n## Summary\n\n" + "The terms apply. " * 20
    )
    path = tmp_path / "terms.md"
    path.write_text(body, encoding="utf-8")
    fetched = read_source(str(path))
    assert (fetched.is_html, fetched.text, fetched.warnings) == (False, body, ())


def test_a_page_with_no_article_keeps_its_visible_text_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>T</title><script>var x = 1;</script></head>"
        "<body><div><span>Ferry</span> <b>delayed</b>.</div></body></html>",
        encoding="utf-8",
    )
    fetched = read_source(str(path))
    assert fetched.text.strip()
    assert "var x" not in fetched.text
    assert "Ferry" in fetched.text and "delayed" in fetched.text
    if fetched.warnings:  # the extractor kept nothing; the fallback did
        assert fetched.warnings == (
            f"No article text found in the HTML of {path}: kept the page's visible text instead.",
        )


def test_visible_text_is_one_paragraph_per_block() -> None:
    html = (
        "<html><body><nav>Menu</nav><p>Hello <b>world</b>.</p><p>Second.</p>"
        "<script>x=1</script><style>p{}</style><!-- note --> tail</body></html>"
    )
    assert visible_text(html) == "Menu\n\nHello world.\n\nSecond.\n\ntail\n"


def test_a_page_with_no_visible_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><body><script>x()</script><div> </div></body></html>", "utf-8")
    with pytest.raises(EmptyText, match="has no visible text"):
        read_source(str(path))


def test_a_url_with_a_broken_host_is_a_clean_error() -> None:
    with pytest.raises(SourceError, match=r"^http://\[::1 is not a valid URL"):
        read_source("http://[::1")


class _Drip(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        for _ in range(100):
            try:
                self.wfile.write(b"x")
                self.wfile.flush()
            except OSError:
                return
            time.sleep(0.2)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def drip_server() -> Iterator[int]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Drip)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1]
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_dripping_server_meets_a_total_deadline(
    drip_server: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "URL_TIMEOUT", 1.0)
    started = time.monotonic()
    with pytest.raises(SourceError, match="did not answer within 1 s"):
        read_source(f"http://127.0.0.1:{drip_server}/slow")
    # Per-read timeouts alone would wait for all 100 bytes (20 s).
    assert time.monotonic() - started < 10


@pytest.mark.skipif(not CORPORA.is_dir(), reason=f"the shared corpora are not at {CORPORA}")
def test_every_version_of_every_shared_corpus_reads() -> None:
    """Each version reads as text (an empty file is the one refusal: it has nothing to keep)."""
    refused = []
    for path in sorted(CORPORA.glob("*/*/v*.txt")):
        try:
            fetched = read_source(str(path))
        except EmptyText:
            assert not path.read_bytes().strip()
        except SourceError as exc:
            refused.append(f"{path}: {exc}")
        else:
            assert fetched.text == path.read_bytes().decode("utf-8")
    assert refused == []


def test_the_cli_says_what_reading_a_source_warned(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from revtrack.cli import cli

    path = tmp_path / "story.txt"
    path.write_bytes("Ferry route approved.\n".encode("utf-16"))
    result = CliRunner().invoke(cli, ["ingest", str(path), "--article", "ferry"])
    assert result.exit_code == 0, result.output
    assert f"warning: {path} is UTF-16 text; it is stored and shown as UTF-8.\n" in result.output
    shown = CliRunner().invoke(cli, ["show", "ferry"])
    assert shown.output == "Ferry route approved.\n"
