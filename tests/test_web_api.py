"""The JSON API's OpenAPI 3.1 description (``/api/openapi.json``) is true to the routes.

Three properties: the document is valid OpenAPI 3.1 (openapi-spec-validator); every route
under ``/api/`` is described and nothing described is missing from the router; and what each
route answers, errors included, validates (jsonschema, 2020-12) against the schema the
description gives for that status. The database is test_web.py's: the ferry story with its
correction and a bulk-imported document with a ``/`` in its key and hostile text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from conftest import EXAMPLE
from revtrack import Revtrack
from revtrack.web import create_app
from test_web import SLASH_KEY, load


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    scratch = tmp_path_factory.mktemp("api")
    url = str(scratch / "revtrack.db")
    with Revtrack(url, create=True, actor="tester") as rt:
        load(rt, EXAMPLE, scratch)
    application = create_app(url)
    application.testing = True
    yield application
    application.extensions["revtrack"].close()


@pytest.fixture(scope="module")
def doc(app: Flask) -> dict[str, Any]:
    response = app.test_client().get("/api/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return dict(response.get_json())


def test_the_description_is_valid_openapi_3_1(doc: dict[str, Any]) -> None:
    validate(doc)
    assert doc["openapi"] == "3.1.0"


def _template(rule: str) -> str:
    """A werkzeug rule as an OpenAPI path: ``<key:key>`` → ``{key}``; the older routes without
    the ``-`` separator are aliases of the ones with it."""
    path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)
    return re.sub(r"^(/api/articles/\{key\})/(?!-/)", r"\1/-/", path)


def test_every_api_route_is_described(app: Flask, doc: dict[str, Any]) -> None:
    routes = {_template(r.rule) for r in app.url_map.iter_rules() if r.rule.startswith("/api")}
    assert routes == set(doc["paths"])
    for path, item in doc["paths"].items():
        assert set(item) == {"get"}, path  # read-only: GET only
        params = {p["name"] for p in item["get"].get("parameters", []) if p["in"] == "path"}
        assert params == set(re.findall(r"\{(\w+)\}", path)), path


CASES = [
    ("/api/", "/api/", 200),
    ("/api/articles", "/api/articles", 200),
    ("/api/articles", "/api/articles?q=ferry&limit=1", 200),
    ("/api/articles", "/api/articles?outlet=corpus", 200),
    ("/api/articles", "/api/articles?q=%25_", 200),
    ("/api/articles", "/api/articles?offset=-1", 400),
    ("/api/articles", "/api/articles?after=corpus/doc-1&limit=1", 200),
    ("/api/articles/{key}", "/api/articles/ferry", 200),
    ("/api/articles/{key}", f"/api/articles/{SLASH_KEY}", 200),
    ("/api/articles/{key}", "/api/articles/nope", 404),
    ("/api/articles/{key}/-/revisions", "/api/articles/ferry/-/revisions", 200),
    ("/api/articles/{key}/-/revisions/{rev}", "/api/articles/ferry/-/revisions/v2", 200),
    ("/api/articles/{key}/-/revisions/{rev}", "/api/articles/ferry/-/revisions/v9", 404),
    (
        "/api/articles/{key}/-/revisions/{rev}",
        "/api/articles/ferry/-/revisions/v99999999999999",
        400,
    ),
    ("/api/articles/{key}/-/diff", "/api/articles/ferry/-/diff", 200),
    ("/api/articles/{key}/-/diff", "/api/articles/ferry/-/diff?a=v1&b=v3&by=char", 200),
    ("/api/articles/{key}/-/diff", f"/api/articles/{SLASH_KEY}/-/diff?by=sentence", 200),
    ("/api/articles/{key}/-/diff", "/api/articles/ferry/-/diff?by=glyph", 400),
    ("/api/articles/{key}/-/corrections", "/api/articles/ferry/-/corrections", 200),
    ("/api/articles/{key}/-/audit", "/api/articles/ferry/-/audit", 200),
    ("/api/articles/{key}/-/audit", f"/api/articles/{SLASH_KEY}/-/audit", 200),
    ("/api/articles/{key}/-/blame", "/api/articles/ferry/-/blame?rev=v2", 200),
    ("/api/articles/{key}/-/blame", "/api/articles/ferry/-/blame?rev=v0", 400),
]


def _validator(doc: dict[str, Any], pointer: str) -> Draft202012Validator:
    resource = Resource.from_contents(doc, default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource("urn:revtrack:openapi", resource)
    return Draft202012Validator({"$ref": f"urn:revtrack:openapi#{pointer}"}, registry=registry)


@pytest.mark.parametrize(("path", "url", "status"), CASES)
def test_each_answer_validates_against_its_schema(
    app: Flask, doc: dict[str, Any], path: str, url: str, status: int
) -> None:
    response = app.test_client().get(url)
    assert response.status_code == status, response.text
    assert str(status) in doc["paths"][path]["get"]["responses"], (path, status)
    pointer = (
        f"/paths/{path.replace('/', '~1')}/get/responses/{status}/content/application~1json/schema"
    )
    errors = list(_validator(doc, pointer).iter_errors(response.get_json()))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def test_every_path_is_exercised_above(doc: dict[str, Any]) -> None:
    exercised = {path for path, _, _ in CASES} | {"/api/openapi.json"}
    assert exercised == set(doc["paths"])


def test_a_schema_catches_a_missing_key(doc: dict[str, Any], app: Flask) -> None:
    """The schemas are not vacuous: a record with a key taken away fails."""
    article = app.test_client().get("/api/articles/ferry").get_json()
    del article["revisions"][0]["content_hash"]
    pointer = "/components/schemas/ArticleLog"
    assert any("content_hash" in e.message for e in _validator(doc, pointer).iter_errors(article))


def test_the_description_is_served_by_path_too(tmp_path: Path) -> None:
    db = tmp_path / "e.db"
    Revtrack(str(db), create=True).close()
    app = create_app(str(db))
    try:
        got = app.test_client().get("/api/openapi.json").get_json()
        assert "/api/articles/{key}/-/diff" in got["paths"]
        assert got["components"]["schemas"]["Diff"]["properties"]["schema"] == {
            "const": "revtrack.diff/1"
        }
    finally:
        app.extensions["revtrack"].close()


@pytest.mark.parametrize(
    ("query", "keys", "total"),
    [
        ("q=FERRY", ["ferry"], 1),
        ("q=bridge", [SLASH_KEY], 1),  # in the (hostile) headline, not the key
        ("q=doc_1", [], 0),  # _ and % are themselves, not wildcards
        ("q=%25", [], 0),
        ("q=o&limit=1", [SLASH_KEY], 2),  # a full page: the total is counted
        (f"q=o&after={SLASH_KEY}&limit=1", ["ferry"], 2),  # the last page tells the total
        ("q=o&after=zzz&limit=1", [], 2),  # past the end: counted
        ("q=o&before=ferry&limit=1", [SLASH_KEY], 2),
        ("q=o&before=a&limit=1", [SLASH_KEY], 2),  # before everything: the first page
        ("outlet=corpus", [SLASH_KEY], 1),
        ("outlet=corpus&q=ferry", [], 0),
    ],
)
def test_search_and_paging(app: Flask, query: str, keys: list[str], total: int) -> None:
    got = app.test_client().get(f"/api/articles?{query}").get_json()
    assert [a["key"] for a in got["articles"]] == keys
    assert got["total"] == total
