"""The two faces print the same dict for the same record: the CLI's ``--format json`` and the
web API are shaped by one module (revtrack.shapes), so they cannot drift apart again.

One SQLite database (the faces share the facade; the backends are tested elsewhere): the ferry
story with capture times, a return to v1 (a revert, whose note vanishes), a note added by hand
and one superseded.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from conftest import EXAMPLE
from revtrack.cli import cli
from revtrack.web import create_app


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("faces") / "revtrack.db")
    runner = CliRunner()
    steps = [
        ["init"],
        ["ingest", str(EXAMPLE / "v1.txt"), "--at", "2022-03-18T09:00"],
        ["ingest", str(EXAMPLE / "v2.txt"), "--at", "2022-03-18T10:00"],
        ["ingest", str(EXAMPLE / "v3.txt"), "--at", "2022-03-18T12:30"],
        ["ingest", str(EXAMPLE / "v1.txt"), "--at", "2022-03-18T13:30"],
        ["correct", "ferry", "--rev", "v2", "--note", "An earlier version misstated the cost."],
        ["correct", "--supersede", "2", "--note", "Earlier, the cost was wrong."],
    ]
    for args in steps:
        result = runner.invoke(cli, ["--db", path, *args], env={"REVTRACK_ACTOR": "tester"})
        assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def web(db: str) -> Iterator[FlaskClient]:
    # The CLI prints a file source's whole path; the web shows its name only unless asked.
    app = create_app(db, show_paths=True)
    app.testing = True
    yield app.test_client()
    app.extensions["revtrack"].close()


def cli_json(db: str, *args: str) -> Any:
    result = CliRunner().invoke(cli, ["--db", db, *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def api(web: FlaskClient, url: str) -> Any:
    response = web.get(url)
    assert response.status_code == 200, response.text
    return response.get_json()


def test_articles(db: str, web: FlaskClient) -> None:
    listed = cli_json(db, "articles", "--format", "json")
    assert listed == api(web, "/api/articles")["articles"]
    assert [a["key"] for a in listed] == ["ferry"]
    assert api(web, "/api/articles/ferry")["article"] == listed[0]


@pytest.mark.parametrize(
    "query", ["?q=FERRY", "?q=harbor%20council", "?q=nothing-like-it", "?offset=0&limit=1"]
)
def test_searched_and_paged_articles_are_the_cli_records(
    db: str, web: FlaskClient, query: str
) -> None:
    listed = cli_json(db, "articles", "--format", "json")
    got = api(web, f"/api/articles{query}")
    words = query.partition("q=")[2].replace("%20", " ").lower()
    expected = [
        a for a in listed if not words or words in a["key"] or words in (a["title"] or "").lower()
    ]
    assert got["articles"] == expected and got["total"] == len(expected)


def test_log_rows_are_the_api_revisions(db: str, web: FlaskClient) -> None:
    rows = cli_json(db, "log", "ferry", "--format", "json")
    assert rows == api(web, "/api/articles/ferry")["revisions"]
    assert rows == api(web, "/api/articles/ferry/-/revisions")["revisions"]
    assert [r["label"] for r in rows] == ["v1", "v2", "v3", "v4"]
    assert rows[2]["notes"] == ["correction #1"] and rows[3]["revert_of"] == 1
    for row in rows:
        got = api(web, f"/api/articles/ferry/-/revisions/{row['label']}")
        assert got["revision"] == {k: v for k, v in row.items() if k != "notes"}
        shown = CliRunner().invoke(cli, ["--db", db, "show", f"ferry@{row['label']}"])
        assert got["text"] == shown.output and got["text"]


def test_the_log_json_carries_every_revision_field(db: str) -> None:
    """The fields `log --format json` lacked before the shapes were one (issue #19)."""
    [first, *_] = cli_json(db, "log", "ferry", "--format", "json")
    assert {"label", "ingested_at", "source_kind", "chars"} <= set(first)
    assert first["source_kind"] == "file" and first["chars"] > 0


def test_corrections(db: str, web: FlaskClient) -> None:
    notes = cli_json(db, "corrections", "ferry", "--format", "json")
    assert notes == api(web, "/api/articles/ferry/corrections")["corrections"]
    assert notes == api(web, "/api/articles/ferry")["corrections"]
    assert [n["status"] for n in notes] == ["removed", "superseded", "active"]


@pytest.mark.parametrize(
    ("args", "query"),
    [
        ((), ""),
        (("v1", "v3", "--by", "sentence"), "?a=v1&b=v3&by=sentence"),
        (("ferry@v2", "v4", "--by", "char"), "?a=v2&b=v4&by=char"),
    ],
)
def test_diffs(db: str, web: FlaskClient, args: tuple[str, ...], query: str) -> None:
    ref = () if args and "@" in args[0] else ("ferry",)
    got = cli_json(db, "diff", *ref, *args, "--format", "json")
    assert got == api(web, f"/api/articles/ferry/diff{query}")
    assert got["schema"] == "revtrack.diff/1"


def test_audit(db: str, web: FlaskClient) -> None:
    result = CliRunner().invoke(cli, ["--db", db, "audit", "ferry", "--format", "json"])
    article, summary = (json.loads(line) for line in result.output.splitlines())
    assert article.pop("type") == "article" and summary["type"] == "summary"
    assert article == api(web, "/api/articles/ferry/audit")


@pytest.mark.parametrize("rev", ["v2", "latest"])
def test_blame(db: str, web: FlaskClient, rev: str) -> None:
    got = cli_json(db, "blame", f"ferry@{rev}", "--format", "json")
    assert got == api(web, f"/api/articles/ferry/blame?rev={rev}")


def test_diff_granularities_are_the_ones_the_web_takes() -> None:
    from revtrack.shapes import GRANULARITIES

    by = next(p for p in cli.commands["diff"].params if p.name == "by")
    assert tuple(by.type.choices) == GRANULARITIES  # type: ignore[attr-defined]


# Every API route's endpoint, and the test above that compares it with the CLI's JSON.
COMPARED = {
    "api.articles": test_articles,
    "api.article": test_articles,
    "api.revisions": test_log_rows_are_the_api_revisions,
    "api.revision": test_log_rows_are_the_api_revisions,
    "api.diff": test_diffs,
    "api.corrections": test_corrections,
    "api.audit": test_audit,
    "api.blame": test_blame,
}
NOT_RECORDS = {"api.index", "api.openapi_json"}  # the route list and the API's description


def test_every_api_route_is_compared_with_the_cli(web: FlaskClient) -> None:
    endpoints = {r.endpoint for r in web.application.url_map.iter_rules()}
    api_endpoints = {e for e in endpoints if e.startswith("api.")}
    assert api_endpoints - NOT_RECORDS == set(COMPARED)


def test_by_default_the_api_shows_file_names_only(db: str) -> None:
    app = create_app(db)
    try:
        rows = app.test_client().get("/api/articles/ferry/-/revisions").get_json()["revisions"]
        assert [r["source"] for r in rows] == ["v1.txt", "v2.txt", "v3.txt", "v1.txt"]
        text = app.test_client().get("/api/articles/ferry/-/revisions/v2").text
        assert "/examples/" not in text and '"source": "v2.txt"' in text
    finally:
        app.extensions["revtrack"].close()
