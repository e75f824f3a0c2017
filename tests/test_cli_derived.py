"""Re-derived texts (`reextract`) as `show`, `diff`, `audit` and `blame` read them.

A story fetched three times with a rotating "most read" box at the top of its article, the
third fetch also fixing a number with a correction note; a site rule added later takes the
box out and `reextract` re-derives every version. By default the reading commands read the
newest re-derived texts and say so on stderr (JSON: ``derived``); ``--as-fetched`` reads the
texts as fetched, which are never rewritten. Real databases of both backends, the real CLI.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from outlet_server import article, serving
from revtrack import Revtrack
from revtrack.cli import cli
from revtrack.service.watch.service import Config
from revtrack.store.lite import LiteReader

P1 = (
    "PORT ALDER — The harbor council voted 5-2 on Tuesday to open a ferry route linking the "
    "town with the two outer islands, ending a decade of debate over how residents reach the "
    "mainland."
)
P2 = (
    "The new service will run three round trips a day from the old cannery pier, starting in "
    "May, and will cut the crossing from 90 minutes to about 40, council members said."
)
P3 = '"People on the islands have waited long enough," said council member Ruth Okafor.'
NOTE = (
    "Correction: An earlier version of this story misstated the number of outer islands the "
    "route will serve. It is three, not two."
)
TITLE = "Harbor Council Approves Ferry Route"
BOXES = ["Dog show results announced", "Ferry tickets go on sale", "Library opens late"]


def page(box: str, *paragraphs: str) -> str:
    """The story with a rotating box first in its article: as fetched, the box's change is
    the first hunk of each diff, so the note's link names the number's change as hunk 1."""
    return article(TITLE, list(paragraphs)).replace(
        f"<h1>{TITLE}</h1>",
        f'<h1>{TITLE}</h1><div class="most-read"><p>Most read today: {box}.</p></div>',
    )


@pytest.fixture
def story(rt: Revtrack, db_url: str) -> Iterator[str]:
    """Three fetched versions of ``a``, then a rule and `reextract`; yields the database."""
    moment = [datetime(2024, 6, 4, 10, 0)]
    watcher = rt.watcher(
        clock=lambda: moment[0], config=Config(host_delay_ms=0, backoff=0.0, retries=1)
    )
    fixed = P1.replace("two outer", "three outer")
    pages = [
        page(BOXES[0], P1, P2, P3),
        page(BOXES[1], P1, P2, P3),
        page(BOXES[2], fixed, P2, P3, NOTE),
    ]
    with serving() as outlet:
        watch = watcher.add(outlet.url("/a"))
        for body in pages:
            outlet.set("/a", body)
            watcher.run_pass()
            moment[0] += timedelta(hours=1)
        watcher.set_host(watch.host, remove=["div.most-read"])
        assert watcher.reextract(key="a").rederived == 3
    yield db_url


def run(db: str, *args: str) -> tuple[str, str]:
    result = CliRunner().invoke(cli, ["--db", db, *args])
    assert result.exit_code == 0, result.output
    return result.stdout, result.stderr


def test_show_prints_the_newest_rederived_text_and_says_so(story: str, rt: Revtrack) -> None:
    out, err = run(story, "show", "a@v3")
    assert "Most read" not in out and "three outer islands" in out
    assert err.startswith("note: a@v3 reads as re-derived from its kept page (on 2024-06-04T")
    assert "trafilatura" in err and "remove div.most-read" in err
    assert err.rstrip().endswith("--as-fetched prints the text as fetched.")
    assert err.count("\n") == 1

    fetched, quiet = run(story, "show", "a@v3", "--as-fetched")
    assert quiet == ""
    assert f"Most read today: {BOXES[2]}." in fetched and "three outer islands" in fetched
    assert fetched == rt.show("a@v3", as_fetched=True)[1] != out

    shaped = json.loads(run(story, "show", "a@v3", "--format", "json")[0])
    assert shaped["text"] == out and shaped["revision"]["number"] == 3
    derived = shaped["derived"]
    assert derived["rules"] == {"include": [], "remove": ["div.most-read"]}
    assert derived["extractor"].startswith("trafilatura ") and derived["derivations"] == 1
    assert derived["at"].startswith("2024-06-04T") and derived["chars"] == len(out)
    as_fetched = json.loads(run(story, "show", "a@v3", "--format", "json", "--as-fetched")[0])
    assert as_fetched["derived"] is None and as_fetched["text"] == fetched


def test_diff_compares_the_same_choice_on_both_sides(story: str) -> None:
    # v1 -> v2 was only the box turning: re-derived, the two read the same
    derived = json.loads(run(story, "diff", "a", "v1", "v2", "--format", "json")[0])
    assert derived["identical"] is True
    assert all(derived["revisions"][side]["derived"] for side in "ab")
    fetched = json.loads(run(story, "diff", "a", "v1", "v2", "--format", "json", "--as-fetched")[0])
    assert fetched["identical"] is False
    assert {fetched["revisions"][side]["derived"] for side in "ab"} == {None}
    assert any(BOXES[0] in h["old"] for h in fetched["hunks"])

    out, err = run(story, "diff", "a")  # latest~1 -> latest
    assert "three" in out and "Most read" not in out
    assert err.startswith("note: a@v2, v3 read as re-derived from their kept pages (newest on")
    assert err.rstrip().endswith("--as-fetched compares the texts as fetched.")
    out, err = run(story, "diff", "a", "--as-fetched")
    assert BOXES[2] in out and err == ""


def test_audit_reads_rederived_texts_and_finds_each_linked_change_again(story: str) -> None:
    derived = json.loads(run(story, "audit", "a", "--format", "json")[0].splitlines()[0])
    assert [d["revision"] for d in derived["derived"]] == [1, 2, 3]
    # the note's link names the number's change as hunk 1 of the diff as fetched (the box's
    # change is hunk 0); the audit of the re-derived texts finds it again as hunk 0
    assert derived["undisclosed"] == []
    assert [f["correction"] for f in derived["disclosed_fixes"]] != []
    fetched = json.loads(
        run(story, "audit", "a", "--format", "json", "--as-fetched")[0].splitlines()[0]
    )
    assert fetched["derived"] == []
    assert all("three" not in f["new"] for f in fetched["undisclosed"])
    # as fetched, each turn of the box is an edit no note discloses
    turns = [f for f in fetched["undisclosed"] if "Ferry tickets" in f["old"] + f["new"]]
    assert turns != []

    _, err = run(story, "audit", "a")
    assert err.startswith("note: a@v1, v2, v3 read as re-derived from their kept pages")
    assert err.rstrip().endswith("--as-fetched audits the texts as fetched.")
    _, err = run(story, "audit")
    assert "note: 3 revisions of 1 article read as re-derived" in err
    assert run(story, "audit", "--as-fetched")[1] == ""


def test_blame_and_verify(story: str) -> None:
    blamed = json.loads(run(story, "blame", "a@v3", "--format", "json")[0])
    texts = " ".join(s["text"] for s in blamed["sentences"])
    assert "Most read" not in texts and "three outer islands" in texts
    as_fetched = json.loads(run(story, "blame", "a@v3", "--format", "json", "--as-fetched")[0])
    assert "Most read" in " ".join(s["text"] for s in as_fetched["sentences"])
    out, _ = run(story, "verify")  # both texts of each revision are checked
    assert out.startswith("OK: 1 articles, 3 revisions")


def test_the_quick_readers_step_aside_for_a_rederived_revision(
    story: str, rt: Revtrack, tmp_path: Path
) -> None:
    store = rt.store
    assert store.revision_with_text("a", 3) is None  # the general path reads it
    assert store.revision_pair("a", ("number", 1), ("number", 2)) is None
    plain = store.revision_with_text("a", 3, as_fetched=True)
    assert plain is not None and "Most read" in plain[1]
    quick = Revtrack(story, quick_start=True)
    try:
        for ref in ("a@v3", "a", "a@v1"):
            for as_fetched in (False, True):
                assert quick.read(ref, as_fetched=as_fetched) == rt.read(ref, as_fetched=as_fetched)
        assert quick.diff("a", "v1", "v2") == rt.diff("a", "v1", "v2")
    finally:
        quick.close()
    if "://" in story:
        return
    reader = LiteReader.open(story)
    assert reader is not None
    try:
        assert reader.revision_with_text("a", 3) is None
        assert reader.revision_pair("a", ("number", 2), ("number", 3)) is None
        assert reader.revision_with_text("a", 3, as_fetched=True) == plain
        pair = ("number", 1), ("number", 3)
        assert reader.revision_pair("a", *pair, as_fetched=True) == store.revision_pair(
            "a", *pair, as_fetched=True
        )
    finally:
        reader.close()


def test_the_web_reads_the_same_and_its_answers_match_the_description(story: str) -> None:
    from revtrack.web import create_app
    from test_web_api import _validator

    app = create_app(story)
    app.testing = True
    try:
        client = app.test_client()
        doc = client.get("/api/openapi.json").get_json()
        answers = {
            "/api/articles/{key}/-/revisions/{rev}": "/api/articles/a/-/revisions/v3",
            "/api/articles/{key}/-/diff": "/api/articles/a/-/diff?a=v1&b=v2",
            "/api/articles/{key}/-/audit": "/api/articles/a/-/audit",
        }
        got = {}
        for path, url in answers.items():
            response = client.get(url)
            assert response.status_code == 200, url
            pointer = f"/paths/{path.replace('/', '~1')}/get/responses/200/content"
            pointer += "/application~1json/schema"
            assert list(_validator(doc, pointer).iter_errors(response.get_json())) == []
            got[path] = response.get_json()
        shown = got["/api/articles/{key}/-/revisions/{rev}"]
        assert "Most read" not in shown["text"] and shown["derived"]["derivations"] == 1
        assert got["/api/articles/{key}/-/diff"]["identical"] is True
        assert [d["revision"] for d in got["/api/articles/{key}/-/audit"]["derived"]] == [1, 2, 3]
        page = client.get("/a/a/-/rev/v3").get_data(as_text=True)
        assert "Text as re-derived" in page and "removing div.most-read" in page
        assert "Most read" not in page
    finally:
        app.extensions["revtrack"].close()


def test_the_web_reads_as_fetched_when_asked(story: str) -> None:
    """``?as_fetched=1`` is the pages' and API's ``--as-fetched``: the texts as fetched on the
    revision, diff, blame and audit answers, a separate kept diff, and a bad value a 400."""
    from revtrack.web import create_app

    app = create_app(story)
    app.testing = True
    try:
        client = app.test_client()
        text = client.get("/api/articles/a/-/revisions/v3?as_fetched=1").get_json()
        assert text["derived"] is None and f"Most read today: {BOXES[2]}." in text["text"]
        # the same diff twice: re-derived it is identical, as fetched the box turned
        api = "/api/articles/a/-/diff?a=v1&b=v2"
        assert client.get(api).get_json()["identical"] is True
        fetched = client.get(api + "&as_fetched=1").get_json()
        assert fetched["identical"] is False
        assert any(BOXES[0] in h["old"] for h in fetched["hunks"])
        assert client.get(api).get_json()["identical"] is True  # each kept apart
        blamed = client.get("/api/articles/a/-/blame?rev=v3&as_fetched=true").get_json()
        assert "Most read" in " ".join(s["text"] for s in blamed["sentences"])
        audit = client.get("/api/articles/a/-/audit?as_fetched=1").get_json()
        assert audit["derived"] == [] and audit["undisclosed"] != []

        page = client.get("/a/a/-/rev/v3").get_data(as_text=True)
        assert 'href="?as_fetched=1"' in page
        page = client.get("/a/a/-/rev/v3?as_fetched=1").get_data(as_text=True)
        assert "Text as fetched" in page and f"Most read today: {BOXES[2]}." in page
        diff_page = client.get("/a/a/-/diff/v1..v2?as_fetched=1").get_data(as_text=True)
        assert BOXES[0] in diff_page
        assert BOXES[0] not in client.get("/a/a/-/diff/v1..v2").get_data(as_text=True)

        bad = client.get("/api/articles/a/-/revisions/v3?as_fetched=maybe")
        assert bad.status_code == 400
        assert "as_fetched='maybe' is not a yes or no" in bad.get_json()["error"]
    finally:
        app.extensions["revtrack"].close()
