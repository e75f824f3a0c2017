"""The web UI's URL scheme: every page of every key, refs included, has one URL that round-trips.

Keys come from users and from bulk imports (``corpus/doc``), so the properties are checked with
keys holding ``/``, spaces, ``%``, ``..``, ``-``, ``~`` and non-ASCII; the router itself (not a
copy of its rules) must send each URL back to the page, key and refs it was built from.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import unquote

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE
from revtrack import Revtrack
from revtrack.web import create_app
from revtrack.web.urls import PageAddress, page_path, parse_page_path

AWKWARD = [
    "ferry",
    "corpus/doc",
    "corpus/2024/doc 1",
    "100% true",
    "../etc/passwd",
    "a/../b",
    "./x",
    "a//b",
    "/lead",
    "trail/",
    "-",
    "a/-/diff/v1..v3",
    "~home",
    "Zürich/Straße 東京",
    "q?x=1#frag",
    "back\\slash",
    "at@v2",
]
REFS = ["v3", "3", "latest", "latest~1", "first", "first~1", "@2022-03-18T10:00", "2022-03-18"]

keys = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("/ %.-~@?#&+=:;\\")),
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
    ),
    min_size=1,
    max_size=30,
)
refs = st.one_of(
    st.sampled_from(REFS),
    st.integers(1, 10**6).map(lambda n: f"v{n}"),
    st.integers(0, 50).map(lambda n: f"latest~{n}"),
    st.datetimes().map(lambda d: "@" + d.isoformat(timespec="minutes")),
)
pages = st.sampled_from(["timeline", "revision", "diff", "blame", "audit"])


def _refs_for(page: str, a: str | None, b: str) -> str | None:
    if page in ("timeline", "audit"):
        return None
    if page == "diff":
        return f"{a}..{b}" if a else b
    return b


@settings(deadline=None)
@given(key=keys, page=pages, a=st.none() | refs, b=refs)
def test_page_path_round_trips(key: str, page: str, a: str | None, b: str) -> None:
    wanted = PageAddress(key, page, _refs_for(page, a, b))
    path = page_path(wanted.key, wanted.page, wanted.refs)
    assert parse_page_path(path) == wanted
    if "%" not in key:  # decoded once more, a key's own "%00" would read as a NUL: the
        # server decodes exactly once, which the app's round-trip tests cover for "%" keys
        assert parse_page_path(unquote(path)) == wanted  # as a server hands it over
    assert " " not in path and "%" not in unquote(path).replace(key, "")
    for segment in path.split("/"):
        assert segment not in (".", "..")  # browsers would remove them


ENDPOINTS = {
    "timeline": ("pages.timeline", None),
    "revision": ("pages.revision", "rev"),
    "diff": ("pages.diff", "refs"),
    "blame": ("pages.blame", "rev"),
    "audit": ("pages.audit", None),
}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    rt = Revtrack(str(tmp_path_factory.mktemp("urls") / "u.db"), create=True)
    yield create_app(rt)
    rt.close()


@settings(max_examples=300, deadline=None)
@given(key=keys, page=pages, a=st.none() | refs, b=refs)
def test_the_router_agrees(app: Flask, key: str, page: str, a: str | None, b: str) -> None:
    endpoint, arg = ENDPOINTS[page]
    value = _refs_for(page, a, b)
    values = {"key": key, **({arg: value} if arg else {})}
    with app.test_request_context():
        built = url_for(endpoint, **values)
    assert built == page_path(key, page, value)
    matched, args = app.url_map.bind("localhost").match(unquote(built))
    assert (matched, args) == (endpoint, values)


def _with_key(lines: list[str], key: str) -> Iterator[str]:
    for line in lines:
        record = json.loads(line)
        if record.get("type") == "event":  # the event log is one chain; restore logs anew
            continue
        for field in ("key", "article"):
            if record.get(field) == "ferry":
                record[field] = key
        yield json.dumps(record)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlaskClient]:
    """The ferry story stored under every awkward key (restored from its own export)."""
    rt = Revtrack(str(tmp_path_factory.mktemp("keys") / "k.db"), create=True)
    for n, at in ((1, "2022-03-18T09:00"), (2, "2022-03-18T10:00"), (3, "2022-03-18T12:30")):
        rt.ingest_text((EXAMPLE / f"v{n}.txt").read_text(encoding="utf-8"), article="ferry", at=at)
    exported = list(rt.export("ferry"))
    for key in AWKWARD[1:]:
        rt.restore(_with_key(exported, key))
    yield create_app(rt).test_client()
    rt.close()


@pytest.mark.parametrize("key", AWKWARD)
def test_every_page_of_an_awkward_key(client: FlaskClient, key: str) -> None:
    shown = key.replace("&", "&amp;").replace("<", "&lt;")
    for page, refs, expected in [
        ("timeline", None, "3 revisions"),
        ("revision", "v2", "v2</span> of 3"),
        ("revision", "@2022-03-18T10:30", "v2</span> of 3"),
        ("diff", "v1..v3", "three"),
        ("diff", "v3", "three"),
        ("diff", "latest~2..latest", "three"),
        ("diff", None, "three"),
        ("blame", "latest~1", "Who wrote what in v2"),
        ("blame", None, "Who wrote what in v3"),
        ("audit", None, "What changed"),
    ]:
        path = page_path(key, page, refs)
        response = client.get(path)
        assert response.status_code == 200, (path, response.text[-600:])
        assert expected in response.text, path
        assert shown.replace("'", "&#39;") in response.text or page == "diff", path


@pytest.mark.parametrize("key", ["corpus/doc", "Zürich/Straße 東京", "a/-/diff/v1..v3"])
def test_api_takes_the_same_keys(client: FlaskClient, key: str) -> None:
    base = "/api/articles/" + page_path(key)[3:]
    assert client.get(base).get_json()["article"]["key"] == key
    assert client.get(base + "/-/revisions/v2").get_json()["revision"]["number"] == 2
    diff = client.get(base + "/-/diff?a=v1&b=v3").get_json()
    assert [diff["revisions"][s]["label"] for s in "ab"] == ["v1", "v3"]
    assert diff["article"] == key
    assert client.get(base + "/-/audit").status_code == 200
    assert client.get(base + "/-/blame?rev=v1").status_code == 200


def test_the_compare_form_lands_on_the_stable_url(client: FlaskClient) -> None:
    response = client.get(page_path("corpus/doc", "diff") + "?a=v1&b=v3&by=sentence")
    assert response.status_code == 303
    assert response.headers["Location"] == "/a/corpus/doc/-/diff/v1..v3?by=sentence"


def test_links_on_the_pages_use_the_scheme(client: FlaskClient) -> None:
    page = client.get(page_path("corpus/doc")).text
    assert 'href="/a/corpus/doc/-/diff/v2..v3"' in page
    assert 'href="/a/corpus/doc/-/rev/v1"' in page
    assert 'href="/a/corpus/doc/-/audit"' in page


def test_the_first_revision_has_no_change_of_its_own(client: FlaskClient) -> None:
    response = client.get(page_path("ferry", "diff", "v1"))
    assert response.status_code == 404
    assert "v1 is the first revision of ferry" in response.text
