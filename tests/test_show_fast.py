"""`show`'s one-statement read path gives exactly what the general path gives, on both backends.

The general path (resolve the ref in a Session, then ``Tx.load_text``) is the reference: for
every revision of an article long enough to hold two keyframes, two-delta chains and a revert,
the quick path must return the same record and the same text, and a ref that finds nothing
must fail with the same words.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from revtrack import Revtrack
from revtrack.errors import RevtrackError, UnknownArticle, UnknownRevision
from revtrack.store import RevisionRecord, codec
from revtrack.store import quick as store_module

KEY = "long-story"


def _versions() -> list[str]:
    """40 texts, each a small edit of the one before; the 30th returns to the 10th."""
    body = [f"Sentence {i} of the story says {i * 7} people came." for i in range(40)]
    texts = []
    for n in range(40):
        body[(n * 3) % 40] = f"Sentence {n} was edited in version {n}, now {n * 5} people."
        texts.append("\n\n".join(body) + ("\r\n" if n % 4 == 0 else "\n"))
    texts[29] = texts[9]  # a revert: stored as a new revision that points back to v10
    return texts


@pytest.fixture
def long_rt(rt: Revtrack) -> Iterator[Revtrack]:
    for n, text in enumerate(_versions()):
        rt.ingest_text(text, article=KEY, at=f"2024-01-01T00:{n:02d}:00", title=f"Title {n % 3}")
    rt.ingest_text("Another article's only text.", article="other")
    yield rt


def _slow(rt: Revtrack, number: int) -> tuple[RevisionRecord, str]:
    """The general path: records from the ORM session, text through ``Tx.load_text``."""
    rt.store._cache.clear()
    with rt.store.read() as tx:
        article = tx.get_article(KEY)
        assert article is not None
        found = tx.revision(article.id, number)
        assert found is not None
        return found, tx.load_text(found.id)


def test_the_fixture_has_keyframes_chains_and_a_revert(long_rt: Revtrack) -> None:
    with long_rt.store.read() as tx:
        article = tx.get_article(KEY)
        assert article is not None
        revisions = tx.revisions(article.id)
        rows = {r.id: tx.raw_text_row(r.id) for r in revisions}
    assert len(revisions) == 40
    keyframes = [r.number for r in revisions if rows[r.id][0] == "zstd"]
    assert len(keyframes) >= 2 and keyframes[0] == 1
    depth = {}
    for r in revisions:  # in number order, so a base's depth is known before its delta's
        base = rows[r.id][1]
        depth[r.id] = 0 if base is None else depth[base] + 1
    assert max(depth.values()) == codec.MAX_CHAIN
    assert [r.revert_of for r in revisions if r.revert_of] == [10]


def _no_session(*args: object) -> None:
    raise AssertionError("show took the general path")


def test_every_revision_comes_back_as_the_general_path_gives_it(
    long_rt: Revtrack, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = {number: _slow(long_rt, number) for number in range(1, 41)}
    monkeypatch.setattr(long_rt.store, "read", _no_session)  # the quick path opens no Session
    for number in range(1, 41):
        long_rt.store._cache.clear()
        assert long_rt.store.revision_with_text(KEY, number) == expected[number]
        long_rt.store._cache.clear()
        assert long_rt.show(f"{KEY}@v{number}") == expected[number]
        assert long_rt.show(f"{KEY}@{number}") == expected[number]  # now from the text cache
    assert long_rt.show(f"{KEY}@v30")[0].revert_of == 10
    assert long_rt.show(f"{KEY}@v30")[1] == _versions()[9]


@pytest.mark.parametrize(
    ("ref", "number"),
    [
        (KEY, 40),
        (f"{KEY}@latest", 40),
        (f"{KEY}@HEAD", 40),
        (f"{KEY}@first", 1),
        (f"{KEY}@first~5", 6),
        (f"{KEY}@latest~3", 37),
        (f"{KEY}@2024-01-01T00:17:30", 18),
    ],
)
def test_named_refs_give_what_the_general_path_gives(
    long_rt: Revtrack, monkeypatch: pytest.MonkeyPatch, ref: str, number: int
) -> None:
    expected = _slow(long_rt, number)
    long_rt.store._cache.clear()
    if "latest~" not in ref and ":" not in ref:  # a number, the latest, first~N: quick path
        monkeypatch.setattr(long_rt.store, "read", _no_session)
    assert long_rt.show(ref) == expected


def test_the_quick_path_fills_and_reads_the_text_cache(long_rt: Revtrack) -> None:
    long_rt.store._cache.clear()
    record, text = long_rt.show(f"{KEY}@v20")
    assert long_rt.store._cache.get(record.id) == text
    with long_rt.store.read() as tx:  # the general path now finds it cached
        assert tx.load_text(record.id) == text


def test_a_chain_deeper_than_the_joins_takes_the_recursive_query(
    long_rt: Revtrack, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A database written with a longer chain bound than this revtrack's: joins reach only the
    # revision's own row, so every delta needs the second statement.
    store_module._show_query.cache_clear()
    monkeypatch.setattr(codec, "MAX_CHAIN", 0)
    try:
        for number in range(1, 41):
            expected = _slow(long_rt, number)
            long_rt.store._cache.clear()
            assert long_rt.store.revision_with_text(KEY, number) == expected
    finally:
        store_module._show_query.cache_clear()


def _failure(action: object) -> RevtrackError:
    with pytest.raises(RevtrackError) as caught:
        action()  # type: ignore[operator]
    return caught.value


@pytest.mark.parametrize(
    ("ref", "kind", "message"),
    [
        ("nope@v1", UnknownArticle, "No article 'nope'. Known articles include: "),
        ("nope", UnknownArticle, "No article 'nope'. Known articles include: "),
        ("nope@latest", UnknownArticle, "No article 'nope'. Known articles include: "),
        (
            f"{KEY}@v41",
            UnknownRevision,
            f"No revision 'v41': {KEY} has 40 revisions, v1–v40. Run `revtrack log {KEY}` to "
            "see them.",
        ),
        (
            f"{KEY}@first~40",
            UnknownRevision,
            f"No revision 'first~40': {KEY} has 40 revisions, v1–v40. Run `revtrack log {KEY}` "
            "to see them.",
        ),
        (
            "other@v2",
            UnknownRevision,
            "No revision 'v2': other has 1 revision, v1. Run `revtrack log other` to see them.",
        ),
    ],
)
def test_a_ref_that_finds_nothing_fails_as_before(
    long_rt: Revtrack, ref: str, kind: type[RevtrackError], message: str
) -> None:
    shown = _failure(lambda: long_rt.show(ref))
    general = _failure(lambda: long_rt.revision(ref))  # the general path's own resolution
    assert type(shown) is kind and type(general) is kind
    assert str(shown) == str(general)
    assert str(shown).startswith(message)


def test_an_empty_database_says_so(rt: Revtrack) -> None:
    error = _failure(lambda: rt.show("anything@v1"))
    assert isinstance(error, UnknownArticle)
    assert str(error) == (
        "No article 'anything'. The database has no articles yet; ingest one first."
    )
    assert rt.store.revision_with_text("anything") is None


def test_a_write_after_the_quick_read_is_still_one_transaction(
    long_rt: Revtrack, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The quick path runs outside a transaction (autocommit on PostgreSQL): the pooled
    # connection it used must come back transactional, or a failed ingest would half-land.
    import revtrack.service.ingest as ingest_module

    long_rt.show(KEY)

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("failure after the revision was written")

    monkeypatch.setattr(ingest_module, "process_notes", boom)
    with pytest.raises(RuntimeError):
        long_rt.ingest_text("A version that never made it.", article=KEY)
    monkeypatch.undo()
    assert long_rt.show(KEY)[0].number == 40
    assert [r.number for r in long_rt.log(KEY).revisions] == list(range(1, 41))
