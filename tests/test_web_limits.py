"""Safe to expose, continued: the access token, the bounds on diffs, the production server.

* beyond loopback the server needs ``--public`` and a token, and then every request carries
  it (a header, or ``?token=`` once, which sets a cookie);
* a character diff of large revisions is made word by word with a notice; pages of large
  revisions leave unchanged text out, so the 10 MB case answers small; diffs are cached; a
  diff past its time budget is a 503 with Retry-After and a full pool a 429, never a hang;
* answers are kept until the next write, with ETags (a 304 for a feed reader's poll);
* ``serve --server waitress`` serves the same app with no versions in its headers, and says
  how to install waitress when it is missing.
"""

from __future__ import annotations

import random
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from flask import Flask

from conftest import EXAMPLE
from revtrack import Revtrack
from revtrack.cli import cli
from revtrack.errors import InvalidInput
from revtrack.web import create_app, limits
from revtrack.web.access import COOKIE
from revtrack.web.server import check_host, serve

TOKEN = "s3cret-token-for-tests"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The ferry story, and two ~10 MB revisions of a long article that differ in two places."""
    path = str(tmp_path_factory.mktemp("limits") / "l.db")
    rng = random.Random(5)
    words = [
        "council",
        "voted",
        "ferry",
        "route",
        "harbor",
        "island",
        "pier",
        "cost",
        "million",
        "grant",
        "fares",
    ]

    def para() -> str:
        return " ".join(rng.choice(words) for _ in range(80)) + "."

    paras = [para() for _ in range(20000)]
    old = "\n\n".join(paras)
    paras[5000], paras[15000] = "The cost was $4.2 million.", "It opens in May."
    with Revtrack(path, create=True) as rt:
        for n in (1, 2, 3):
            rt.ingest_text((EXAMPLE / f"v{n}.txt").read_text(encoding="utf-8"), article="ferry")
        rt.ingest_text(old, article="big")
        rt.ingest_text("\n\n".join(paras), article="big")
        # ~0.7 MB: above the char-diff limit, below LARGE
        mid = "\n\n".join([*paras[:700], "The fare is $4.2 a ride.", *paras[701:1500]])
        rt.ingest_text(mid, article="mid")
        rt.ingest_text(mid.replace("$4.2", "$4.8"), article="mid")
    return path


@pytest.fixture()
def app(db: str) -> Iterator[Flask]:
    application = create_app(db)
    yield application
    application.extensions["revtrack"].close()


# -- the access token -----------------------------------------------------------------------
@pytest.fixture()
def guarded(db: str) -> Iterator[Flask]:
    application = create_app(db, token=TOKEN)
    yield application
    application.extensions["revtrack"].close()


@pytest.mark.parametrize(
    "url", ["/", "/a/ferry", "/api/articles", "/a/ferry/-/feed/revisions", "/static/style.css"]
)
def test_without_the_token_every_request_is_a_401(guarded: Flask, url: str) -> None:
    client = guarded.test_client()
    response = client.get(url)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="revtrack"'
    assert "needs its access token" in response.text
    assert client.get(url, headers={"Authorization": "Bearer wrong-token-xx"}).status_code == 401
    assert client.get(url + "?token=wrong").status_code == 401


def test_a_bearer_header_lets_a_script_in(guarded: Flask) -> None:
    response = guarded.test_client().get(
        "/api/articles", headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert response.status_code == 200 and response.get_json()["total"] == 3


def test_the_token_once_in_the_address_sets_a_cookie(guarded: Flask) -> None:
    client = guarded.test_client()
    response = client.get(f"/a/ferry/-/diff?by=line&token={TOKEN}")
    assert response.status_code == 303
    assert response.headers["Location"] == "/a/ferry/-/diff?by=line"  # the token left behind
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert TOKEN not in cookie  # the cookie holds a digest, never the token
    assert client.get("/a/ferry").status_code == 200  # the cookie is enough from now on
    assert "v2 → v3" in client.get("/a/ferry/-/diff?by=line").text


def test_feeds_and_the_api_take_the_token_on_each_request(guarded: Flask) -> None:
    client = guarded.test_client()
    response = client.get(f"/a/ferry/-/feed/revisions?token={TOKEN}")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    assert client.get(f"/api/articles?token={TOKEN}").status_code == 200


def test_a_short_token_is_refused(db: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        create_app(db, token="short")
    assert "needs 16 or more" in caught.value.message


def test_public_without_a_token_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_host("0.0.0.0", public=True, token="")
    assert caught.value.message == "Refusing to serve on 0.0.0.0 without an access token."
    assert "REVTRACK_TOKEN" in caught.value.hint and "reverse proxy" in caught.value.hint
    check_host("0.0.0.0", public=True, token=TOKEN)
    check_host("127.0.0.1", token="")  # loopback needs none


def test_serve_public_needs_a_token(runner: CliRunner, db: str) -> None:
    args = ["--db", db, "serve", "--host", "0.0.0.0", "--port", "0", "--public"]
    result = runner.invoke(cli, args, env={"REVTRACK_TOKEN": ""})
    assert result.exit_code == 1
    assert result.output.startswith("Error: Refusing to serve on 0.0.0.0 without an access")
    assert "proxy_pass http://127.0.0.1:8765" in result.output


# -- bounded diffs --------------------------------------------------------------------------
def test_a_char_diff_of_large_revisions_is_made_by_word(app: Flask) -> None:
    got = app.test_client().get("/api/articles/mid/-/diff?by=char").get_json()
    assert got["granularity"] == "word"
    assert "a character diff is made only below 100 KB" in got["notice"]
    assert [(h["old"], h["new"]) for h in got["hunks"]] == [("$4.2", "$4.8")]
    page = app.test_client().get("/a/mid/-/diff?by=char").text
    assert "so this one is word by word" in page and "<option selected>word</option>" in page


def test_a_char_diff_of_small_revisions_stays_by_char(app: Flask) -> None:
    got = app.test_client().get("/api/articles/ferry/-/diff?a=v1&b=v3&by=char").get_json()
    assert got["granularity"] == "char" and "notice" not in got


def test_the_10_mb_char_diff_answers_small(app: Flask) -> None:
    client = app.test_client()
    page = client.get("/a/big/-/diff/v1..v2?by=char")
    assert page.status_code == 200
    assert len(page.data) < 100_000  # was 32 MB
    assert "unchanged text is left out" in page.text
    assert "unchanged paragraphs left out" in page.text
    assert "$4.2" in page.text and "May" in page.text  # the two changes, whole
    api = client.get("/api/articles/big/-/diff?a=v1&b=v2&by=char")
    assert api.status_code == 200 and len(api.data) < 100_000
    assert api.get_json()["granularity"] == "word" and len(api.get_json()["hunks"]) == 2


def test_diffs_are_cached_by_revision_pair_and_granularity(app: Flask) -> None:
    client = app.test_client()
    client.get("/a/ferry/-/diff/v1..v3")
    cache = app.extensions["revtrack.diffs"]
    hits, misses = cache.hits, cache.misses
    assert client.get("/api/articles/ferry/-/diff?a=v1&b=latest").status_code == 200
    assert client.get("/a/ferry/-/diff/first..v3").status_code == 200
    assert (cache.hits, cache.misses) == (hits + 2, misses)  # other refs, the same revisions
    client.get("/a/ferry/-/diff/v1..v3?by=sentence")
    assert cache.misses == misses + 1


def test_a_diff_over_its_budget_is_a_503_and_lands_in_the_cache(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(limits, "BUDGET", 0.05)
    limiter = limits.DiffLimiter()
    release = threading.Event()
    result: Any = type("R", (), {"old": type("O", (), {"chars": 5}), "new": None})()
    result.new = result.old

    def slow() -> Any:
        release.wait(10)
        return result

    with pytest.raises(limits.DiffTooSlow) as caught:
        limiter.run((1, 2, "word"), slow)
    assert caught.value.http_status == 503 and "by=line" in caught.value.hint
    release.set()
    limiter.pool.shutdown(wait=True)
    assert limiter.cached((1, 2, "word")) is result


def test_a_full_pool_refuses_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "BUDGET", 0.01)
    limiter = limits.DiffLimiter()
    release = threading.Event()
    for n in range(limits.WORKERS + limits.WAITING):
        with pytest.raises(limits.DiffTooSlow):
            limiter.run((n, n, "word"), lambda: release.wait(10))
    with pytest.raises(limits.DiffBusy) as caught:
        limiter.run((9, 9, "word"), lambda: None)
    assert caught.value.http_status == 429
    release.set()
    limiter.pool.shutdown(wait=True)


@pytest.mark.parametrize(("error", "status"), [(limits.DiffTooSlow, 503), (limits.DiffBusy, 429)])
def test_the_pages_say_so_with_retry_after(
    app: Flask, monkeypatch: pytest.MonkeyPatch, error: type[Exception], status: int
) -> None:
    def refuse(self: Any, key: Any, work: Any) -> Any:
        raise error("Busy comparing.", "Try again in a few seconds.")

    monkeypatch.setattr(limits.DiffLimiter, "run", refuse)
    client = app.test_client()
    for url in ("/a/ferry/-/diff/v1..v2?by=line", "/api/articles/ferry/-/diff?a=v1&b=v2&by=line"):
        response = client.get(url)
        assert response.status_code == status
        assert response.headers["Retry-After"] == "5"
        assert "Busy comparing." in response.text


# -- the production server ------------------------------------------------------------------
def test_waitress_serves_the_app(db: str) -> None:
    told: list[str] = []
    ready = threading.Event()

    def say(message: str) -> None:
        told.append(message)
        ready.set()

    thread = threading.Thread(
        target=serve,
        args=(db, "127.0.0.1", 0),
        kwargs={"server": "waitress", "threads": 2, "ready": say},
        daemon=True,
    )
    thread.start()
    assert ready.wait(20)
    assert " with waitress at http://127.0.0.1:" in told[0]
    url = told[0].rsplit(" ", 1)[-1]
    response = httpx.get(url + "a/ferry/-/diff", timeout=10)
    assert response.status_code == 200 and "<del>two</del>" in response.text
    assert response.headers["Server"] == "revtrack"
    assert "waitress" not in str(response.headers).lower()
    assert httpx.get(url, headers={"Host": "evil.example"}, timeout=10).status_code == 400


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(c) for c in task.read_text().split()]
    return found


def _wait_for(condition: Any, what: str) -> None:
    for _ in range(200):
        if condition():
            return
        threading.Event().wait(0.05)
    raise AssertionError(f"never: {what}")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc for the children")
def test_waitress_processes_share_one_socket_and_stop_together(db: str) -> None:
    import os
    import signal
    import subprocess

    revtrack = Path(sys.executable).with_name("revtrack")
    command = [str(revtrack), "--db", db, "serve", "--server", "waitress", "--port", "0"]
    proc = subprocess.Popen(
        [*command, "--processes", "2", "--threads", "2"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert " with waitress (2 processes) at http://127.0.0.1:" in line
        url = line.strip().rsplit(" ", 1)[-1]
        with httpx.Client(timeout=10) as client:
            for _ in range(10):
                response = client.get(url + "a/ferry/-/diff")
                assert response.status_code == 200 and "<del>two</del>" in response.text
        servers = _children(proc.pid)
        assert len(servers) == 2
        threading.Event().wait(1.2)  # a server that ran a while and died is replaced
        os.kill(servers[0], signal.SIGKILL)
        _wait_for(lambda: len(set(_children(proc.pid)) - {servers[0]}) == 2, "a new server")
        assert httpx.get(url + "api/articles", timeout=10).status_code == 200
        servers = _children(proc.pid)
    finally:
        proc.terminate()
        proc.wait(15)
        assert proc.stdout is not None
        proc.stdout.close()
    assert proc.returncode == 0
    _wait_for(lambda: not any(Path(f"/proc/{pid}").exists() for pid in servers), "all stopped")


def test_processes_need_waitress(runner: CliRunner, db: str) -> None:
    result = runner.invoke(cli, ["--db", db, "serve", "--port", "0", "--processes", "2"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: --processes needs --server waitress. Add --server waitress, or leave it out.\n"
    )


def test_a_missing_waitress_is_a_clear_error(
    runner: CliRunner, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "waitress", None)  # import waitress now fails
    result = runner.invoke(cli, ["--db", db, "serve", "--port", "0", "--server", "waitress"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: --server waitress needs the waitress package")
    assert "revtrack[web-prod]" in result.output


def test_serve_help_names_the_new_options(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["serve", "--help"])
    for option in (
        "--token",
        "REVTRACK_TOKEN",
        "--server",
        "waitress",
        "--show-paths",
        "--processes",
    ):
        assert option in result.output


def test_create_app_mounts_under_a_path_prefix(app: Flask) -> None:
    """The README's mounting: another WSGI app in front, ours under /news; links follow."""
    from werkzeug.middleware.dispatcher import DispatcherMiddleware
    from werkzeug.test import Client
    from werkzeug.wrappers import Response

    front = DispatcherMiddleware(Response("front", status=404), {"/news": app})
    client = Client(front)
    page = client.get("/news/a/ferry")
    assert page.status_code == 200
    assert 'href="/news/a/ferry/-/diff/v1..v2"' in page.text
    assert 'href="/news/a/ferry/-/feed/revisions"' in page.text
    feed = client.get("/news/a/ferry/-/feed/revisions").text
    assert "<id>http://localhost/news/a/ferry/-/diff/v2..v3</id>" in feed


# -- answers kept until the database changes --------------------------------------------------
def test_answers_are_kept_until_the_next_write(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    with Revtrack(db, create=True) as rt:
        for n in (1, 2):
            rt.ingest_text((EXAMPLE / f"v{n}.txt").read_text(encoding="utf-8"), article="ferry")
    app = create_app(db)
    try:
        client = app.test_client()
        cache = app.extensions["revtrack.pages"]
        first = client.get("/a/ferry")
        assert "2 revisions" in first.text and first.headers["ETag"]
        again = client.get("/a/ferry")
        assert again.text == first.text and cache.hits == 1
        assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
        etag = first.headers["ETag"]
        unchanged = client.get("/a/ferry", headers={"If-None-Match": etag})
        assert unchanged.status_code == 304 and unchanged.data == b""
        feed = client.get("/a/ferry/-/feed/revisions")
        polled = client.get(
            "/a/ferry/-/feed/revisions", headers={"If-None-Match": feed.headers["ETag"]}
        )
        assert polled.status_code == 304
        with Revtrack(db) as writer:  # another process's write: the next answer shows it
            writer.ingest_text((EXAMPLE / "v3.txt").read_text(encoding="utf-8"), article="ferry")
        fresh = client.get("/a/ferry", headers={"If-None-Match": etag})
        assert fresh.status_code == 200 and "3 revisions" in fresh.text
    finally:
        app.extensions["revtrack"].close()


def test_a_kept_answer_still_needs_the_host_and_the_token(db: str) -> None:
    app = create_app(db, token=TOKEN)
    app.config["TRUSTED_HOSTS"] = ["localhost"]
    try:
        client = app.test_client()
        good = {"Authorization": f"Bearer {TOKEN}", "Host": "localhost"}
        assert client.get("/a/ferry", headers=good).status_code == 200
        assert client.get("/a/ferry", headers=good).status_code == 200  # kept now
        assert app.extensions["revtrack.pages"].hits == 1
        assert client.get("/a/ferry", headers={"Host": "localhost"}).status_code == 401
        wrong = {**good, "Host": "evil.example"}
        assert client.get("/a/ferry", headers=wrong).status_code == 400
    finally:
        app.extensions["revtrack"].close()
