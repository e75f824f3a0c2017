"""The diff page reads changes first: unchanged runs fold to a count, every change has an anchor."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from conftest import EXAMPLE
from revtrack import Revtrack
from revtrack.web import create_app

LONG_A = "\n\n".join(f"Paragraph {n} says the same thing as before." for n in range(1, 41)) + "\n"
LONG_B = LONG_A.replace("Paragraph 20 says the same", "Paragraph 20 says a different")


@pytest.fixture
def client(tmp_path: Path) -> Iterator[FlaskClient]:
    rt = Revtrack(str(tmp_path / "d.db"), create=True)
    for n in (1, 2, 3):
        rt.ingest_text((EXAMPLE / f"v{n}.txt").read_text(encoding="utf-8"), article="ferry")
    rt.ingest_text(LONG_A, article="long")
    rt.ingest_text(LONG_B, article="long")
    rt.ingest_text(LONG_B.replace("40 says the same", "40 said the same"), article="long")
    yield create_app(rt).test_client()
    rt.close()


def test_unchanged_runs_fold_to_a_count(client: FlaskClient) -> None:
    page = client.get("/a/long/-/diff/v1..v2").text
    folds = re.findall(r"<summary>(\d+) unchanged paragraphs</summary>", page)
    assert folds == ["18", "19"]  # 19 before the change, 20 after, one kept beside it
    assert "Paragraph 19 says the same" in page.split("<summary>")[1].split("</details>")[1]


def test_every_change_link_has_its_anchor(client: FlaskClient) -> None:
    page = client.get("/a/ferry/-/diff/v1..v3").text
    targets = set(re.findall(r'href="#([hcm]\d+)"', page))
    ids = set(re.findall(r'id="([hcm]\d+)"', page))
    assert targets and targets <= ids
    assert {"h0", "h1", "h2", "c0", "c1", "c2"} <= ids
    assert 'class="step next" href="#h1"' in page and 'class="step prev" href="#h0"' in page


def test_changes_come_before_the_text(client: FlaskClient) -> None:
    page = client.get("/a/ferry/-/diff/v2..v3").text
    assert page.index('id="c0"') < page.index('id="h0"')
    assert '<del>two</del> <span class="arrow">→</span> <ins>three</ins>' in page


def test_previous_and_next_revision_links(client: FlaskClient) -> None:
    page = client.get("/a/ferry/-/diff/v3").text  # the change v3 made: v2 → v3
    assert 'class="prev-rev" href="/a/ferry/-/diff/v1..v2"' in page
    assert 'class="next-rev"' not in page
    page = client.get("/a/ferry/-/diff/v1..v2").text
    assert 'class="next-rev" href="/a/ferry/-/diff/v2..v3"' in page


def test_toggles_are_shareable(client: FlaskClient) -> None:
    page = client.get("/a/ferry/-/diff/v2..v3?view=sbs&hide=cosmetic,minor").text
    assert '<input type="radio" name="view" id="view-sbs" class="tab-input" checked>' in page
    assert 'id="hide-cosmetic" class="tab-input" checked' in page
    assert 'id="hide-minor" class="tab-input" checked' in page


def test_hunks_carry_their_class(client: FlaskClient) -> None:
    page = client.get("/a/long/-/diff/v2..v3").text
    assert re.search(r'<span class="hunk (minor|substantive|cosmetic)" id="h0"', page)


def test_a_correction_links_to_its_hunk(client: FlaskClient) -> None:
    page = client.get("/a/ferry").text
    assert 'class="evidence-link" href="/a/ferry/-/diff/v2..v3#h0"' in page


def test_folding_keeps_every_character(client: FlaskClient) -> None:
    import html

    page = client.get("/a/long/-/diff/v1..v2").text
    text = page.split('<div class="text">')[1].split("</div></section>")[0]
    text = re.sub(r'<span class="tools">.*?</span></span>', "", text)
    text = re.sub(r"<summary>.*?</summary>|<del>.*?</del>|<[^>]+>", "", text)
    assert html.unescape(text) == LONG_B
