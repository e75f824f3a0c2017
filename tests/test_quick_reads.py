"""`log` and `diff`'s Core read paths give exactly what the general paths give, on both backends.

The general path (a Session in ``store.read()``: ``tx.articles``, ``tx.revisions``,
``tx.corrections``; for diff, resolving both refs and ``Tx.load_text``) is the reference. The
fixture has keyframes, delta chains, a revert, detected notes with links, a note that vanished
from the text, a note added by hand, one superseded and one retracted, and articles with no
notes; every ref shape `diff` accepts is compared, and refs that find nothing must fail with
the general path's words.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from revtrack import Revtrack
from revtrack.diff import diff_texts
from revtrack.errors import RevtrackError
from revtrack.service.results import ArticleLog
from revtrack.store import quick as quick_module

KEY = "ferry-story"
NOTE = (
    "Correction: An earlier version of this article misstated the number of islands. "
    "There are 14, not 12."
)


def _versions() -> list[str]:
    """30 texts, small edits each; v12 fixes a number and v13 discloses it; v22 drops the
    note again; v25 returns to v9's text."""
    body = [f"Paragraph {i} says {i * 7} ferries sailed to {i + 2} islands." for i in range(30)]
    texts = []
    for n in range(30):
        body[(n * 7) % 30] = f"Paragraph {n} was edited in version {n + 1}, {n * 3} people."
        if n == 11:
            body[29] = "The ferry serves 14 islands in the bay."
        notes = [NOTE] if 12 <= n < 21 else []
        texts.append("Ferry service cut\n\n" + "\n\n".join(body + notes) + "\n")
    texts[24] = texts[8]
    return texts


@pytest.fixture
def story(rt: Revtrack) -> Iterator[Revtrack]:
    for n, text in enumerate(_versions()):
        rt.ingest_text(text, article=KEY, at=f"2024-02-01T10:{n:02d}:00")
    rt.ingest_text("A story with one version and no notes.", article="lonely")
    manual = rt.correct(f"{KEY}@v5", "We gave the wrong day for the sailing.")
    rt.supersede(manual.record.id, "We gave the wrong day and time for the sailing.")
    other = rt.correct(KEY, "Clarification: the timetable is the winter one.", kind="clarification")
    rt.retract(other.record.id, "Added in error.")
    yield rt


def _general_log(rt: Revtrack, key: str) -> ArticleLog:
    with rt.store.read() as tx:
        article = tx.get_article(key)
        assert article is not None
        return ArticleLog(
            article=tx.articles(keys=[key])[0],
            revisions=tx.revisions(article.id),
            corrections=tx.corrections(article.id),
        )


def _no_session(*args: object) -> None:
    raise AssertionError("took the general path")


def test_the_fixture_has_what_the_log_must_show(story: Revtrack) -> None:
    log = _general_log(story, KEY)
    assert len(log.revisions) == 30
    assert [r.revert_of for r in log.revisions if r.revert_of] == [9]
    statuses = sorted(c.status for c in log.corrections)
    assert statuses == ["active", "removed", "retracted", "superseded"]
    assert any(c.link is not None and c.link.matched for c in log.corrections)


@pytest.mark.parametrize("key", [KEY, "lonely"])
def test_log_gives_what_the_general_path_gives(
    story: Revtrack, monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    expected = _general_log(story, key)
    monkeypatch.setattr(story.store, "read", _no_session)
    story.store._records.clear()
    assert story.log(key) == expected  # every record built from the rows
    assert story.log(key) == expected  # every record from the store's cache


def test_log_after_an_ingest_lists_the_new_revision(story: Revtrack) -> None:
    story.log(KEY)  # the records of v1-v30 are now kept
    story.ingest_text(_versions()[-1] + "\nA late paragraph.\n", article=KEY)
    story.correct(KEY, "Update: a late paragraph was added.", kind="update")
    log = story.log(KEY)
    assert log == _general_log(story, KEY)
    assert [r.number for r in log.revisions] == list(range(1, 32))
    assert log.article.revisions == 31 and log.article.corrections == 5


def test_log_of_an_unknown_article_fails_as_before(story: Revtrack) -> None:
    with pytest.raises(RevtrackError) as caught:
        story.log("nope")
    assert str(caught.value).startswith("No article 'nope'. Known articles include: ")


def _general_pair(
    rt: Revtrack, key: str, revs: list[str], monkeypatch: pytest.MonkeyPatch
) -> object:
    """What diff loads through the general path (the one-statement read switched off)."""
    from revtrack.service import facade

    rt.store._cache.clear()
    with monkeypatch.context() as patched:
        patched.setattr(facade, "quick_pair", lambda *args, **kwargs: None)
        got = rt.diff(key, *revs)
    return got.article, got.old, got.new, got.diff.a, got.diff.b


@pytest.mark.parametrize(
    "revs",
    [
        [],
        ["v3"],
        ["v3", "v20"],
        ["v20", "v3"],
        ["7", "7"],
        ["first", "latest"],
        ["first~4", "latest~2"],
        ["latest~1", "HEAD"],
        ["latest~29", "v25"],
        ["v9", "v25"],
    ],
)
def test_diff_loads_what_the_general_path_loads(
    story: Revtrack, monkeypatch: pytest.MonkeyPatch, revs: list[str]
) -> None:
    article, old, new, old_text, new_text = _general_pair(story, KEY, revs, monkeypatch)  # type: ignore[misc]
    story.store._cache.clear()
    monkeypatch.setattr(story.store, "read", _no_session)
    got = story.diff(KEY, *revs)
    assert (got.article, got.old, got.new) == (article, old, new)
    assert got.diff == diff_texts(old_text, new_text, "word")
    assert story.show(f"{KEY}@v{old.number}")[1] == old_text  # now from the text cache
    assert story.show(f"{KEY}@v{new.number}")[1] == new_text


def test_diff_by_time_takes_the_general_path(story: Revtrack) -> None:
    got = story.diff(KEY, "2024-02-01T10:05:30", "latest")
    assert (got.old.number, got.new.number) == (6, 30)


def test_a_chain_deeper_than_the_joins_takes_a_second_statement(
    story: Revtrack, monkeypatch: pytest.MonkeyPatch
) -> None:
    quick_module._pair_query.cache_clear()
    monkeypatch.setattr(quick_module.codec, "MAX_CHAIN", 0)
    try:
        for a, b in [("v1", "v2"), ("v10", "v11"), ("v18", "v30")]:
            _, old, new, old_text, new_text = _general_pair(story, KEY, [a, b], monkeypatch)  # type: ignore[misc]
            story.store._cache.clear()
            got = story.store.revision_pair(KEY, ("number", old.number), ("number", new.number))
            assert got is not None
            assert got[1:] == ((old, old_text), (new, new_text))
    finally:
        quick_module._pair_query.cache_clear()


def _failure(action: object) -> RevtrackError:
    with pytest.raises(RevtrackError) as caught:
        action()  # type: ignore[operator]
    return caught.value


@pytest.mark.parametrize(
    ("key", "revs", "message"),
    [
        ("nope", ["v1", "v2"], "No article 'nope'. Known articles include: "),
        ("nope", ["v0"], "'v0' is not a revision: numbering starts at v1."),  # refs parse first
        (KEY, ["v31"], f"No revision 'v31': {KEY} has 30 revisions, v1–v30."),
        (KEY, ["v2", "latest~30"], f"No revision 'latest~30': {KEY} has 30 revisions, v1–v30."),
        (KEY, ["v0"], "'v0' is not a revision: numbering starts at v1."),
        ("lonely", [], "lonely has only 1 revision; nothing to compare."),
        ("lonely", ["v1", "v2"], "No revision 'v2': lonely has 1 revision, v1."),
    ],
)
def test_a_diff_that_finds_nothing_fails_as_before(
    story: Revtrack, monkeypatch: pytest.MonkeyPatch, key: str, revs: list[str], message: str
) -> None:
    quick = _failure(lambda: story.diff(key, *revs))
    monkeypatch.setattr(story.store, "revision_pair", lambda *a, **k: None)  # the general path only
    general = _failure(lambda: story.diff(key, *revs))
    assert type(quick) is type(general)
    assert str(quick) == str(general)
    assert str(quick).startswith(message)
