"""The text analysis ingest runs before writing: pure functions, no database."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from revtrack.diff import diff_texts
from revtrack.service.analysis import (
    Parent,
    _lines,
    analyze,
    headline_of,
    words_after_diff,
    words_after_edit,
)
from revtrack.text.normalize import content_hash, exact_hash
from revtrack.text.tokenize import word_count

# Letters, digits, currency, the punctuation numbers and contractions use, and whitespace:
# the characters where token boundaries are decided.
PIECES = st.text(alphabet="ab1 9$€.,:/%'’\n\t_-é5", max_size=30)


@settings(max_examples=300, deadline=None)
@given(PIECES, PIECES, PIECES, PIECES)
def test_word_count_after_an_edit_equals_a_fresh_count(
    head: str, old_middle: str, new_middle: str, tail: str
) -> None:
    old, new = head + old_middle + tail, head + new_middle + tail
    assert words_after_edit(old, new, word_count(old)) == word_count(new)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(PIECES, PIECES, PIECES), min_size=1, max_size=4), PIECES)
def test_word_count_from_the_diff_equals_a_fresh_count(
    parts: list[tuple[str, str, str]], tail: str
) -> None:
    # Several edits apart, as a commit that touches the front matter and the last paragraph.
    old = "".join(same + before for same, before, _ in parts) + tail
    new = "".join(same + after for same, _, after in parts) + tail
    diff = diff_texts(old, new)
    assert words_after_diff(old, new, word_count(old), diff.segments) == word_count(new)


def test_word_count_from_the_diff_of_two_edits_in_prose() -> None:
    old = "---\ntitle: Ferry plan\n---\n\nThe plan costs $1.5 million.\n\n" + "It was fine. " * 40
    new = "---\ntitle: Ferry plans\n---\n\nThe plan costs $1.5 million.\n\n" + "It was fine. " * 39
    new += "It passed 5–2 on Monday."
    diff = diff_texts(old, new)
    assert len(diff.hunks) == 2
    assert words_after_diff(old, new, word_count(old), diff.segments) == word_count(new)


def test_word_count_after_an_edit_in_prose() -> None:
    old = "The mayor's plan costs $1.5 million, up 80% from 2019.\n\nIt passed 5-2."
    new = "The mayor's plan costs $15 million, up 82% from 2019.\n\nIt passed 5–2 on Monday."
    assert words_after_edit(old, new, word_count(old)) == word_count(new)


def test_an_analysis_records_its_parent_and_the_change() -> None:
    parent_text = "Ferry service resumes\n\nThe ferry will serve two islands.\n"
    parent = Parent(
        parent_text,
        exact_hash(parent_text),
        content_hash(parent_text),
        "Ferry service resumes",
        word_count(parent_text),
    )
    text = parent_text.replace("two", "four") + "\nCorrection: An earlier version misstated it.\n"
    found = analyze(text, None, parent)
    assert not found.unchanged
    assert found.fits(parent.text_hash, "Ferry service resumes")
    assert not found.fits(parent.text_hash, "Another title")
    assert found.words == word_count(text)
    assert found.stats["words_added"] > 0 and found.stats["substantive_hunks"] >= 1
    assert [n.kind for n in found.notes.added] == ["correction"]
    assert found.without_diff().diff is None and found.diff is not None


def test_the_same_text_again_is_unchanged_and_not_diffed() -> None:
    text = "Ferry service resumes\n\nThe ferry will serve four islands.\n"
    parent = Parent(text, exact_hash(text), content_hash(text), "Ferry service resumes")
    found = analyze(text + "\n\n", None, parent)  # only trailing blank lines differ
    assert found.unchanged and found.diff is None and found.stats == {}


@given(
    st.lists(
        st.sampled_from(["a", "Ferry", " ", "\n", "\r", "\r\n", "\x0b", "\x1c", "\x85", "\u2028"]),
        max_size=60,
    ).map("".join)
)
def test_lines_are_those_splitlines_gives(text: str) -> None:
    assert list(_lines(text)) == text.splitlines()


def test_a_headline_is_read_from_the_first_lines_of_a_huge_one_line_text() -> None:
    body = "word " * 400_000  # 2 MB on one line: a body, not a headline
    assert headline_of("Ferry Council Votes Today\n\n" + body) == "Ferry Council Votes Today"
    assert headline_of(body) is None
    assert headline_of("Breaking\n" + body) is None  # furniture skipped, then the body


def _edge_before_by_loop(text: str, at: int) -> int:
    at = min(at, len(text)) - 1
    while at > 0 and not (text[at].isspace() and not text[at - 1].isspace()):
        at -= 1
    return max(at, 0)


def _edge_after_by_loop(text: str, at: int) -> int:
    while at < len(text) and not (text[at].isspace() and not text[at - 1].isspace()):
        at += 1
    return at


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab \n\t\u00a0\u2028.,", max_size=14), st.integers(-1, 16))
def test_token_edges_are_the_places_the_character_loops_find(text: str, at: int) -> None:
    from revtrack.service.analysis import _token_edge_after, _token_edge_before

    assert _token_edge_before(text, at) == _edge_before_by_loop(text, at)
    if at >= 0:  # (the callers' places are inside the text)
        assert _token_edge_after(text, at) == _edge_after_by_loop(text, at)
