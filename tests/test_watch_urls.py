"""One identity per story, whatever form of its URL is seen."""

from __future__ import annotations

import pytest

from revtrack.errors import InvalidInput
from revtrack.service.watch.urls import canonical

STORY = "example.com/news/ferry-route"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/news/ferry-route",
        "http://example.com/news/ferry-route",
        "https://www.example.com/news/ferry-route/",
        "HTTPS://Example.COM:443/news/ferry-route#comments",
        "https://example.com/news/ferry-route?utm_source=rss&utm_medium=feed",
        "https://example.com/news/ferry-route?fbclid=IwAR0abc&gclid=xyz",
        "https://example.com/news/./ferry-route",
        " https://example.com/news/x/../ferry-route ",
    ],
)
def test_forms_of_one_story_share_an_identity(url: str) -> None:
    assert canonical(url).ident == STORY


def test_the_fetched_form_keeps_its_scheme_and_real_parameters() -> None:
    found = canonical("http://www.example.com/story.php?utm_campaign=x&id=12&p=3#top")
    assert found.url == "http://www.example.com/story.php?id=12&p=3"
    assert found.ident == "example.com/story.php?id=12&p=3"
    assert found.host == "www.example.com"


def test_parameters_that_only_look_like_trackers_are_kept() -> None:
    # courlan's own cleaning would drop these, folding distinct stories into one
    assert canonical("https://ex.com/a.php?cid=123").ident == "ex.com/a.php?cid=123"
    assert canonical("https://ex.com/a?uid=9&ref=4").ident == "ex.com/a?ref=4&uid=9"


def test_ports_and_relative_links() -> None:
    assert canonical("http://127.0.0.1:8000/x").host == "127.0.0.1:8000"
    assert canonical("http://127.0.0.1:80/x").host == "127.0.0.1"
    assert canonical("../b?q=1", base="http://h.com/a/c/d").url == "http://h.com/a/b?q=1"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("example.com/story", "'example.com/story' has no host."),
        ("/news/story", "'/news/story' has no host."),
        ("http:///story", "'http:///story' has no host."),
        ("ftp://example.com/x", "'ftp://example.com/x' is not an http(s) URL."),
        ("http://example.com:99999/x", "'http://example.com:99999/x' is not a valid URL"),
    ],
)
def test_bad_urls(url: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        canonical(url)
    assert caught.value.message.startswith(message)
