"""The real app in a real browser: `revtrack serve` on a free loopback port, Debian's Chromium.

Each test drives headless Chromium through Playwright and checks what a reader sees (text,
highlighting, what is shown and hidden), not just that a page loaded. The database holds the
bundled ferry story (v1..v3; v3 changes "two" to "three" islands and adds a correction note),
a story whose second version has one cosmetic, one minor and one substantive change, and a
long story with one change in the middle.

Outside CI the tests skip, with the reason, when Chromium or the playwright package is
missing; with CI=true they must run, and fail when the browser cannot be had.
``WRITE_SCREENSHOT=docs/diff-page.png`` makes the screenshot test write the README's image.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import EXAMPLE
from revtrack import Revtrack

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IN_CI = os.environ.get("CI") == "true"
STYLE_V1 = (
    "The mayor said the bridge will open in May.\n\nResidents welcomed teh news on Tuesday.\n\n"
    "The council meets again next week.\n"
)
STYLE_V2 = (
    "The mayor said the bridge will open in May!\n\nResidents welcomed the news on Tuesday.\n\n"
    "The council meets again in June.\n"
)
LONG_V1 = "\n\n".join(f"Paragraph {n} is as it was." for n in range(1, 31)) + "\n"
LONG_V2 = LONG_V1.replace("Paragraph 15 is as", "Paragraph 15 is not as")
TARGET = "rgb(255, 229, 138)"  # :target's background in diff.css


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install playwright)"
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    return None


REASON = _missing()
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(REASON is not None and not IN_CI, reason=REASON or ""),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`revtrack serve` in its own process over a database of the three stories."""
    db = tmp_path_factory.mktemp("browser") / "browser.db"
    rt = Revtrack(str(db), create=True)
    for n, at in ((1, "2022-03-18T09:00"), (2, "2022-03-18T10:00"), (3, "2022-03-18T12:30")):
        text = (EXAMPLE / f"v{n}.txt").read_text(encoding="utf-8")
        rt.ingest_text(text, article="ferry", at=at)
    for key, texts in (("style", (STYLE_V1, STYLE_V2)), ("long", (LONG_V1, LONG_V2))):
        for text in texts:
            rt.ingest_text(text, article=key)
    rt.close()
    port = _free_port()
    command = [sys.executable, "-m", "revtrack", "--db", str(db), "serve", "--port", str(port)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("REVTRACK_")}
    log = db.with_suffix(".log")
    with log.open("wb") as out:
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(url + "/", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None:
                raise RuntimeError(log.read_text(encoding="utf-8", errors="replace"))
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if REASON is not None:
        pytest.fail(f"CI=true, so the browser tests must run, but {REASON}")
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=FLAGS, headless=True
        )
        yield context
        context.close()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    tab = browser.new_page()
    tab.set_default_timeout(15_000)
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.base = server
    yield tab
    tab.close()
    assert errors == [], errors  # no CSP violation, no broken asset


def _style(page: Any, selector: str, prop: str) -> str:
    return str(page.eval_on_selector(selector, f"e => getComputedStyle(e)[{prop!r}]"))


def test_open_the_story_from_the_list(page: Any) -> None:
    page.goto(page.base + "/")
    page.get_by_role("link", name="Harbor Council Approves New Ferry Route").first.click()
    page.wait_for_url("**/a/ferry")
    assert "3 revisions" in page.inner_text(".meta")
    assert "misstated the number of outer islands" in page.inner_text("#corrections ~ .cards")


def test_pick_v1_and_v3_in_the_picker(page: Any) -> None:
    page.goto(page.base + "/a/ferry")
    page.select_option("#cmp-a", "v1")
    page.select_option("#cmp-b", "v3")
    page.get_by_role("button", name="Show changes").click()
    page.wait_for_url("**/a/ferry/-/diff/v1..v3?by=word")
    struck = page.locator(".inline .hunk del", has_text="two").first
    added = page.locator(".inline .hunk ins", has_text="three").first
    assert struck.is_visible() and added.is_visible()
    assert "line-through" in struck.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert added.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(227, 245, 225)"
    assert page.locator(".changes li").count() == 3


def test_jump_to_a_change_from_the_list(page: Any) -> None:
    page.goto(page.base + "/a/ferry/-/diff/v1..v3")
    page.locator("#c1 a.go").click()
    page.wait_for_url("**#h1")
    target = page.locator("#h1")
    assert "$4.8" in target.inner_text()
    assert target.evaluate("e => e.matches(':target')")
    assert _style(page, "#h1", "backgroundColor") == TARGET
    assert target.is_visible()
    box = target.bounding_box()
    assert box is not None and 0 <= box["y"] <= page.viewport_size["height"]


def test_next_and_previous_change_links(page: Any) -> None:
    page.goto(page.base + "/a/ferry/-/diff/v1..v3#h0")
    page.locator("#h0 a.step.next").click()
    page.wait_for_url("**#h1")
    page.locator("#h1 a.step.prev").click()
    page.wait_for_url("**#h0")
    assert _style(page, "#h0", "backgroundColor") == TARGET
    page.locator("#h0 a.badge").first.click()  # the badge leads back to the list
    page.wait_for_url("**#c0")
    assert "two" in page.inner_text("#c0")


def test_toggle_side_by_side(page: Any) -> None:
    page.goto(page.base + "/a/ferry/-/diff/v2..v3")
    assert page.locator("section.inline").is_visible()
    page.locator("label[for=view-sbs]").click()
    assert not page.locator("section.inline").is_visible()
    table = page.locator("table.sbs-table")
    assert table.is_visible()
    assert "two" in table.locator("td.a del").first.inner_text()
    assert "three" in table.locator("td.b ins").first.inner_text()
    page.locator("label[for=view-inline]").click()
    assert page.locator("section.inline").is_visible()


def test_hide_cosmetic_and_minor_changes(page: Any) -> None:
    page.goto(page.base + "/a/style/-/diff")
    items = page.locator(".changes li")
    assert items.count() == 3
    assert page.locator(".hunk.cosmetic del").is_visible()
    page.locator("label[for=hide-cosmetic]").click()
    assert not page.locator(".changes li.cosmetic").is_visible()
    assert not page.locator(".hunk.cosmetic del").is_visible()
    assert "open in May!" in page.inner_text(".inline")  # the new text stays, unmarked
    assert page.locator(".changes li.minor").is_visible()
    page.locator("label[for=hide-minor]").click()
    assert not page.locator(".changes li.minor").is_visible()
    assert "welcomed the news" in page.inner_text(".inline")
    assert "teh" not in page.inner_text(".inline")
    visible = [li for li in items.all() if li.is_visible()]
    assert len(visible) == 1 and "in June" in visible[0].inner_text()


def test_unchanged_text_is_folded_and_opens(page: Any) -> None:
    page.goto(page.base + "/a/long/-/diff")
    summaries = page.locator("details.same summary")
    assert summaries.all_inner_texts() == ["13 unchanged paragraphs", "14 unchanged paragraphs"]
    shown = page.inner_text("section.inline")  # what is rendered: closed folds are not
    assert "Paragraph 5 is" not in shown and "Paragraph 16 is" in shown  # context kept
    assert "Paragraph 15 is not" in shown
    summaries.first.click()
    assert "Paragraph 5 is as it was." in page.inner_text("section.inline")
    assert "Paragraph 20 is" not in page.inner_text("section.inline")


def test_open_the_correction_and_land_on_its_hunk(page: Any) -> None:
    page.goto(page.base + "/a/ferry")
    card = page.locator("article.card", has_text="misstated the number")
    card.locator("a.evidence-link").click()
    page.wait_for_url("**/a/ferry/-/diff/v2..v3#h0")
    hunk = page.locator("#h0")
    assert hunk.locator("del").inner_text() == "two"
    assert hunk.locator("ins").inner_text() == "three"
    assert _style(page, "#h0", "backgroundColor") == TARGET
    assert hunk.is_visible()


def test_previous_and_next_revision(page: Any) -> None:
    page.goto(page.base + "/a/ferry/-/diff/v2..v3")
    page.locator("a.prev-rev").click()
    page.wait_for_url("**/a/ferry/-/diff/v1..v2")
    assert page.locator(".inline del", has_text="$4.2").is_visible()
    page.locator("a.next-rev").click()
    page.wait_for_url("**/a/ferry/-/diff/v2..v3")


def test_blame_shows_where_each_sentence_came_from(page: Any) -> None:
    page.goto(page.base + "/a/ferry/-/blame")
    assert "Who wrote what in v3" in page.inner_text("h1")

    def origin(text: str) -> str:
        row = page.locator("table.blame tr", has_text=text)
        return str(row.locator("td").first.inner_text())

    assert origin("Okafor said") == "v1"
    assert origin("harbor master said an inspection") == "v2"
    assert origin("Correction: An earlier version") == "v3"
    row = page.locator("table.blame tr", has_text="three outer islands")
    row.hover()
    assert row.locator("td").first.inner_text() == "v1"  # since v1, changed in v3
    assert row.locator("td").nth(1).inner_text() == "v3"
    row.locator("td").first.locator("a").click()
    page.wait_for_url("**/a/ferry/-/rev/v1")
    assert "two outer islands" in page.inner_text(".text")


def test_diff_page_screenshot(page: Any, tmp_path: Path) -> None:
    page.set_viewport_size({"width": 1180, "height": 900})
    page.goto(page.base + "/a/ferry/-/diff/v1..v3")
    assert page.locator(".inline .hunk").count() == 3
    out = Path(os.environ.get("WRITE_SCREENSHOT") or tmp_path / "diff.png")
    page.screenshot(path=str(out), full_page=False)
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_the_standalone_html_file_reads_the_same(page: Any, tmp_path: Path) -> None:
    """`revtrack diff --format html` writes a page that must work from a file, offline."""
    from revtrack.diff import diff_texts
    from revtrack.render import DiffHeader, RevisionInfo, render_html

    old, new = ((EXAMPLE / f"v{n}.txt").read_text(encoding="utf-8") for n in (2, 3))
    header = DiffHeader("ferry", RevisionInfo("v2", 2), RevisionInfo("v3", 3))
    out = tmp_path / "diff.html"
    out.write_text(render_html(diff_texts(old, new, "word"), header), encoding="utf-8")
    page.goto(out.as_uri())
    assert page.locator(".inline del", has_text="two").first.is_visible()
    assert page.locator(".inline ins", has_text="three").first.is_visible()
    page.locator("label[for=view-sbs]").click()
    assert page.locator("table.sbs-table").is_visible()
    assert not page.locator("section.inline").is_visible()
