"""The web UI and JSON API (`revtrack serve`), on SQLite and PostgreSQL.

Every page and API route is fetched through Flask's test client over a database holding the
bundled ferry story (v1..v3, a correction note in v3) and a bulk-imported document whose key
has a slash and whose text, title and URL are hostile (a ``<script>``, a ``javascript:`` link).
One test runs the real werkzeug server on a free port and fetches over HTTP.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from conftest import EXAMPLE, PG_ADMIN, pg_unavailable
from revtrack import Revtrack
from revtrack.cli import cli
from revtrack.errors import NoDatabase
from revtrack.web import create_app
from revtrack.web.server import url_for_address

SCRIPT = '<script>alert("owned")</script>'
HOSTILE_V1 = f"Mayor opens bridge.\n\nThe bridge cost $3 million. {SCRIPT}\n"
HOSTILE_V2 = f"Mayor opens bridge.\n\nThe bridge cost $5 million. {SCRIPT}\n\nMore to come.\n"
HOSTILE_TITLE = "<b>Bridge</b> & <i>tunnel</i>"
SLASH_KEY = "corpus/doc-1"


def load(rt: Revtrack, example: Path, scratch: Path) -> None:
    """The ferry story with capture times, and a hostile document imported from a corpus."""
    for number, at in ((1, "2022-03-18T09:00"), (2, "2022-03-18T10:00"), (3, "2022-03-18T12:30")):
        rt.ingest_text(
            (example / f"v{number}.txt").read_text(encoding="utf-8"),
            article="ferry",
            at=at,
            title="Harbor Council Approves New Ferry Route",
        )
    doc = scratch / "corpus" / "doc-1"
    doc.mkdir(parents=True)
    (doc / "v001.txt").write_text(HOSTILE_V1, encoding="utf-8")
    (doc / "v002.txt").write_text(HOSTILE_V2, encoding="utf-8")
    (doc / "meta.json").write_text(
        json.dumps({"title": HOSTILE_TITLE, "url": "javascript:alert(1)"}), encoding="utf-8"
    )
    rt.import_directory(str(scratch / "corpus"))


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def client(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FlaskClient]:
    """One loaded database per backend, shared by every read-only test of this module.

    The app cannot write, so sharing is safe, and it keeps this file fast: loading costs far
    more than a request. The database is built like conftest's ``db_url`` builds one.
    """
    scratch = tmp_path_factory.mktemp("web")
    schema = None
    if request.param == "sqlite":
        url = str(scratch / "revtrack.db")
    else:
        reason = pg_unavailable()
        if reason:
            pytest.skip(reason)
        import psycopg

        schema = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        url = f"{PG_ADMIN}?options=-csearch_path%3D{schema}"
    try:
        with Revtrack(url, create=True, actor="tester") as rt:
            load(rt, EXAMPLE, scratch)
        app = create_app(url)  # opened the way `revtrack serve` opens it: never created
        app.testing = True  # a bug in a view raises here instead of becoming a 500 page
        yield app.test_client()
        app.extensions["revtrack"].close()
    finally:
        if schema is not None:
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


# -- pages --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/", ["Articles", "2 articles", 'href="/a/ferry"', 'href="/a/corpus/doc-1"']),
        (
            "/a/ferry",
            [
                "Harbor Council Approves New Ferry Route",
                "3 revisions",
                "first captured 2022-03-18 09:00 UTC",
                'href="/a/ferry/-/diff/v1..v2"',  # v2's change size links to its diff
                "correction #1</a> first shown",
                "fixes what",
                "An earlier version of this story misstated the number of outer islands",
                "confidence <b>0.",
                "disclosed in <b>",
            ],
        ),
        (
            "/a/ferry/-/diff/v1..v3?by=sentence",
            [
                "ferry · changes · by sentence",
                'class="rt-bar"',  # with the site's bar
                "<option selected>v1</option>",
                "<option selected>sentence</option>",
                'href="/api/articles/ferry/-/diff?a=v1&amp;b=v3&amp;by=sentence"',
            ],
        ),
        ("/a/ferry/-/diff", ["ferry</a>", "v2 → v3", "<del>two</del>"]),
        ("/a/ferry/-/rev/v1", ["v1</span> of 3", "with the two outer islands", "v2 →"]),
        ("/a/ferry/-/rev/latest~1", ["v2</span> of 3", "$4.8 million"]),
        ("/a/ferry/-/blame/v3", ["Who wrote what in v3", "Correction: An earlier version"]),
        ("/a/ferry/-/blame", ["Who wrote what in v3", "<option selected>v3</option>"]),
        ("/a/ferry/-/audit", ["$4.2", "$4.8", "with no note", "#1</a> correction"]),
        (f"/a/{SLASH_KEY}", ["2 revisions", "corpus</a> · corpus/doc-1"]),
        (f"/a/{SLASH_KEY}/-/rev/v2", ["More to come."]),
        (f"/a/{SLASH_KEY}/-/diff", ["<del>$3</del>", "<ins>$5</ins>"]),
        (f"/a/{SLASH_KEY}/-/audit", ["<del>$3</del>"]),
    ],
)
def test_page(client: FlaskClient, url: str, expected: list[str]) -> None:
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.mimetype == "text/html"
    for text in expected:
        assert text in response.text, text


@pytest.mark.parametrize(
    "url",
    [
        "/",
        f"/a/{SLASH_KEY}",
        f"/a/{SLASH_KEY}/-/rev/v1",
        f"/a/{SLASH_KEY}/-/diff/v1..v2",
        f"/a/{SLASH_KEY}/-/blame",
        f"/a/{SLASH_KEY}/-/audit",
    ],
)
def test_article_text_is_escaped(client: FlaskClient, url: str) -> None:
    page = client.get(url).text
    assert "<script" not in page
    assert "<b>Bridge</b>" not in page
    assert 'href="javascript:' not in page
    if "/v/" in url or "/diff" in url or "/blame" in url:
        assert "&lt;script&gt;alert(" in page
    if url in ("/", f"/a/{SLASH_KEY}"):
        assert "&lt;b&gt;Bridge&lt;/b&gt; &amp; &lt;i&gt;tunnel&lt;/i&gt;" in page


def test_pages_forbid_scripts(client: FlaskClient) -> None:
    headers = client.get("/a/ferry").headers
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert "script-src" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_static_assets_are_served(client: FlaskClient) -> None:
    for name in ("style.css", "bar.css"):
        response = client.get(f"/static/{name}")
        assert response.status_code == 200
        assert response.mimetype == "text/css"
        response.close()


# -- JSON API -----------------------------------------------------------------------------
Check = Callable[[Any], bool]


@pytest.mark.parametrize(
    ("url", "checks"),
    [
        (
            "/api/articles",
            [
                lambda d: d["total"] == 2,
                lambda d: [a["key"] for a in d["articles"]] == [SLASH_KEY, "ferry"],
                lambda d: d["articles"][1]["revisions"] == 3,
                lambda d: d["articles"][1]["corrections"] == 1,
            ],
        ),
        (
            "/api/articles?q=FERRY",  # any case, on both backends (LIKE / ILIKE)
            [lambda d: [a["key"] for a in d["articles"]] == ["ferry"], lambda d: d["total"] == 1],
        ),
        (
            "/api/articles?q=doc_1&outlet=corpus",  # _ is no wildcard
            [lambda d: d["articles"] == [] and d["total"] == 0],
        ),
        (
            f"/api/articles?after={SLASH_KEY}&limit=1",  # pages by key: after the first one
            [
                lambda d: [a["key"] for a in d["articles"]] == ["ferry"],
                lambda d: d["prev_before"] == "ferry" and d["next_after"] is None,
                lambda d: d["total"] == 2 and d["total_is"] == "exact",
            ],
        ),
        (
            "/api/articles?before=ferry&limit=1",
            [
                lambda d: [a["key"] for a in d["articles"]] == [SLASH_KEY],
                lambda d: d["prev_before"] is None and d["next_after"] == SLASH_KEY,
            ],
        ),
        (
            "/api/articles/ferry",
            [
                lambda d: d["article"]["revisions"] == 3,
                lambda d: d["article"]["first_at"] == "2022-03-18T09:00:00Z",
                lambda d: [r["label"] for r in d["revisions"]] == ["v1", "v2", "v3"],
                lambda d: d["revisions"][1]["hunks_by_kind"].get("number") == 1,
                lambda d: d["corrections"][0]["disclosed_revision"] == 3,
                lambda d: d["corrections"][0]["fixing_revision"] == 3,
            ],
        ),
        (
            "/api/articles/ferry/-/revisions/v2",
            [
                lambda d: d["revision"]["number"] == 2,
                lambda d: d["revision"]["captured_at"] == "2022-03-18T10:00:00Z",
                lambda d: "$4.8 million" in d["text"],
            ],
        ),
        (
            "/api/articles/ferry/-/diff?a=v2&b=v3",
            [
                lambda d: d["schema"] == "revtrack.diff/1",
                lambda d: d["granularity"] == "word",
                lambda d: (
                    (d["revisions"]["a"]["label"], d["revisions"]["b"]["label"]) == ("v2", "v3")
                ),
                lambda d: any(h["old"] == "two" and h["new"] == "three" for h in d["hunks"]),
            ],
        ),
        ("/api/articles/ferry/-/diff?by=line", [lambda d: d["granularity"] == "line"]),
        (
            "/api/articles/ferry/-/corrections",
            [
                lambda d: d["article"] == "ferry",
                lambda d: d["corrections"][0]["kind"] == "correction",
                lambda d: d["corrections"][0]["confidence"] > 0.5,
            ],
        ),
        (
            "/api/articles/ferry/-/audit",
            [
                lambda d: d["summary"]["revisions"] == 3,
                lambda d: any("$4.2" in f["old"] for f in d["undisclosed"]),
                lambda d: d["disclosed_fixes"][0]["fixing_revision"] == 3,
            ],
        ),
        (
            "/api/articles/ferry/-/blame?rev=v2",
            [
                lambda d: d["revision"] == 2,
                lambda d: {s["origin"] for s in d["sentences"]} == {1, 2},
            ],
        ),
        (
            f"/api/articles/{SLASH_KEY}/-/revisions/v1",
            [lambda d: d["text"] == HOSTILE_V1, lambda d: d["revision"]["title"] == HOSTILE_TITLE],
        ),
        ("/api/", [lambda d: "/api/articles/KEY/-/audit" in d["routes"]]),
    ],
)
def test_api(client: FlaskClient, url: str, checks: list[Check]) -> None:
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.mimetype == "application/json"
    data = response.get_json()
    for number, check in enumerate(checks):
        assert check(data), f"check {number} failed on {data}"


# -- errors -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "status", "message", "hint"),
    [
        ("/api/articles/nope", 404, "No article 'nope'.", "Known articles include"),
        (
            "/api/articles/ferry/-/revisions/v9",
            404,
            "No revision 'v9': ferry has 3 revisions, v1–v3.",
            "revtrack log ferry",
        ),
        ("/api/articles/ferry/-/diff?a=v7", 404, "No revision 'v7'", ""),
        (
            "/api/articles/ferry/-/diff?by=paragraph",
            400,
            "Unknown granularity 'paragraph'.",
            "by=word",
        ),
        ("/api/articles/ferry/-/revisions/v0", 400, "'v0' is not a revision", ""),
        (
            "/api/articles/ferry/-/blame?rev=yesterday",
            400,
            "'yesterday' is not a revision reference.",
            "latest~1",
        ),
        ("/api/articles?limit=lots", 400, "limit='lots' is not a whole number.", ""),
        ("/api/nothing/here", 404, "Not Found: /api/nothing/here", "/api/"),
    ],
)
def test_api_errors(client: FlaskClient, url: str, status: int, message: str, hint: str) -> None:
    response = client.get(url)
    assert response.status_code == status
    data = response.get_json()
    assert set(data) == {"error", "hint"}
    assert data["error"].startswith(message)
    assert hint in (data["hint"] or "")


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/a/nope", 404, "No article &#39;nope&#39;."),
        ("/a/ferry/-/rev/v9", 404, "No revision &#39;v9&#39;: ferry has 3 revisions, v1–v3."),
        ("/a/ferry/-/blame/v4", 404, "No revision &#39;v4&#39;"),
        ("/a/corpus/doc-2/-/audit", 404, "No article &#39;corpus/doc-2&#39;."),
        ("/a/ferry/-/diff?by=paragraph", 400, "Unknown granularity &#39;paragraph&#39;."),
        ("/?page=0", 400, "page=0: pages are found by key now, not by number."),
        ("/?page=3", 400, "page=3: pages are found by key now, not by number."),
        ("/?after=a&before=b", 400, "Give after or before, not both."),
        ("/no/such/page", 404, "Not Found: /no/such/page"),
    ],
)
def test_page_errors(client: FlaskClient, url: str, status: int, message: str) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert f"<b>{message}" in response.text


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
@pytest.mark.parametrize("url", ["/api/articles/ferry", "/a/ferry"])
def test_only_get_and_head(client: FlaskClient, method: str, url: str) -> None:
    response = client.open(url, method=method)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD"


def test_head_has_no_body(client: FlaskClient) -> None:
    response = client.head("/api/articles/ferry")
    assert response.status_code == 200
    assert response.data == b""


def test_empty_database(rt: Revtrack) -> None:
    client = create_app(rt).test_client()
    assert "No articles yet" in client.get("/").text
    assert client.get("/api/articles").get_json() == {
        "total": 0,
        "total_is": "exact",
        "limit": 500,
        "q": None,
        "outlet": None,
        "after": None,
        "before": None,
        "next_after": None,
        "prev_before": None,
        "articles": [],
    }
    assert "the database has no articles yet" in client.get("/api/articles/x").text.lower()


def test_app_never_creates_a_database(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    with pytest.raises(NoDatabase):
        create_app(str(missing))
    assert not missing.exists()


# -- the real server and the command ------------------------------------------------------
@pytest.fixture
def live_url(rt: Revtrack, example: Path, tmp_path: Path) -> Iterator[str]:
    load(rt, example, tmp_path)
    server = make_server("127.0.0.1", 0, create_app(rt), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url_for_address("127.0.0.1", server.port)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_real_server_answers_over_http(live_url: str) -> None:
    response = httpx.get(live_url + "api/articles", timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert [a["key"] for a in response.json()["articles"]] == [SLASH_KEY, "ferry"]
    page = httpx.get(live_url + "a/corpus/doc-1", timeout=10)
    assert page.status_code == 200
    assert "<script" not in page.text


def test_real_server_serves_requests_at_once(live_url: str) -> None:
    """The threaded server shares one Revtrack between its threads."""
    urls = [
        live_url + path for path in ("api/articles/ferry", "a/ferry", "api/articles/ferry/diff")
    ]
    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(lambda u: httpx.get(u, timeout=20).status_code, urls * 4))
    assert statuses == [200] * 12


@pytest.mark.parametrize(
    ("host", "port", "url"),
    [
        ("127.0.0.1", 8765, "http://127.0.0.1:8765/"),
        ("localhost", 80, "http://localhost:80/"),
        ("::1", 8000, "http://[::1]:8000/"),
    ],
)
def test_url_for_address(host: str, port: int, url: str) -> None:
    assert url_for_address(host, port) == url


def test_serve_refuses_a_missing_database(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["--db", str(tmp_path / "nothing.db"), "serve", "--port", "0"])
    assert result.exit_code == 1
    assert "revtrack init" in result.output
    assert not (tmp_path / "nothing.db").exists()


def test_serve_help_names_the_defaults(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    assert "127.0.0.1" in result.output
    assert "8765" in result.output
