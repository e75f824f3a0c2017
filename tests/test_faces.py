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
    app = create_app(db)
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


def test_log_rows_are_the_api_revisions(db: str, web: FlaskClient) -> None:
    rows = cli_json(db, "log", "ferry", "--format", "json")
    assert rows == api(web, "/api/articles/ferry")["revisions"]
    assert [r["label"] for r in rows] == ["v1", "v2", "v3", "v4"]
    assert rows[2]["notes"] == ["correction #1"] and rows[3]["revert_of"] == 1
    for row in rows:
        revision = api(web, f"/api/articles/ferry/revisions/{row['label']}")["revision"]
        assert revision == {k: v for k, v in row.items() if k != "notes"}


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
