"""The diff engine: offsets, token-snapped hunks, and both diff-match-patch backends agreeing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from revtrack.diff import Granularity, diff_texts, engine
from revtrack.diff.context import context_windows
from revtrack.diff.model import MINOR_KINDS, SUBSTANTIVE_KINDS, Segment
from revtrack.errors import RevtrackError
from revtrack.text.tokenize import split_words


def _apply(a: str, diff_hunks: list[tuple[int, int, str]]) -> str:
    out, pos = [], 0
    for start, end, new in diff_hunks:
        out.append(a[pos:start])
        out.append(new)
        pos = end
    out.append(a[pos:])
    return "".join(out)


@pytest.mark.parametrize(
    ("a", "b", "old", "new"),
    [
        ("A poll found 80% support.", "A poll found 82% support.", "80%", "82%"),
        ("over two islands now", "over four islands now", "two", "four"),
        ("It cost $100 today.", "It cost $150 today.", "$100", "$150"),
        ("About 1,000 people.", "About 1,500 people.", "1,000", "1,500"),
    ],
)
def test_word_hunks_snap_to_whole_tokens(a: str, b: str, old: str, new: str) -> None:
    diff = diff_texts(a, b)
    assert [(h.old, h.new) for h in diff.hunks] == [(old, new)]
    h = diff.hunks[0]
    assert a[h.a_start : h.a_end] == old
    assert b[h.b_start : h.b_end] == new
    assert _apply(a, [(h.a_start, h.a_end, h.new) for h in diff.hunks]) == b


_STORY_V1 = (
    "Breaking News\n\nTokyo — Japan has imposed sanctions on Russia. According to a recent poll "
    "by Japan’s Yomiuri Shimbun daily, 80% of the Japanese public supports economic sanctions "
    "against Russia.\n\nKishida has also shelved peace treaty talks over two islands currently "
    "controlled by Russia.\n\nMatsumoto said Japan chose the first option.\n"
)
_STORY_V2 = (
    _STORY_V1.replace("80%", "82%")
    + "\nMatsumoto acknowledged such challenges but said “the risk of inaction is far greater "
    "than the risk of action.”\n\n“Japan chose the first option,” he said.\n"
)
_STORY_V3 = (
    _STORY_V2.replace("two islands", "four islands")
    + "\nA previous version of this story misstated the number of islands.\n"
)


def test_story_v1_to_v2() -> None:
    diff = diff_texts(_STORY_V1, _STORY_V2)
    assert [(h.old, h.new, h.kinds) for h in diff.hunks[:1]] == [("80%", "82%", ("number",))]
    assert diff.hunks[1].op == "insert"
    assert diff.hunks[1].kinds[0] == "sentence-added"
    assert diff.stats.sentences_added == 2
    assert diff.stats.hunks_by_kind == {"number": 1, "sentence-added": 1}


def test_story_v2_to_v3() -> None:
    diff = diff_texts(_STORY_V2, _STORY_V3)
    assert [(h.old, h.new.strip(), h.kind) for h in diff.hunks] == [
        ("two", "four", "number"),
        ("", "A previous version of this story misstated the number of islands.", "sentence-added"),
    ]
    assert diff.stats.words_added == 12 and diff.stats.words_removed == 1


def test_whitespace_and_punctuation_only_is_cosmetic() -> None:
    b = _STORY_V1.replace(", 80%", " , 80%").replace("Russia.\n", "Russia .\n").replace("  ", " ")
    b = b.replace("sanctions against", "sanctions  against").replace("Tokyo —", "Tokyo -")
    diff = diff_texts(_STORY_V1, b)
    assert diff.hunks and all(h.cosmetic for h in diff.hunks)
    assert diff.stats.hunks_by_kind == {"cosmetic": len(diff.hunks)}


_PAIRS = [
    (_STORY_V1, _STORY_V2),
    (_STORY_V2, _STORY_V3),
    (_STORY_V1, _STORY_V3),
    ("", "A new text."),
    ("An old text.", ""),
    ("same", "same"),
    ("The cat sat on the mat.", "A dog lay under the big mat today."),
    (_STORY_V3, _STORY_V1[::-1]),
    ("x " * 300, "x " * 150 + "y " + "x " * 150),
]


@pytest.mark.parametrize("by", ["word", "sentence", "char", "line"])
@pytest.mark.parametrize(("a", "b"), _PAIRS)
def test_backends_agree_and_segments_rebuild_both_texts(a: str, b: str, by: Granularity) -> None:
    fast = engine.diff_texts(a, b, by, backend="fast")
    pure = engine.diff_texts(a, b, by, backend="pure")
    assert fast.hunks == pure.hunks
    assert "".join(s.text for s in fast.segments if s.op != "insert") == a
    assert "".join(s.text for s in fast.segments if s.op != "delete") == b
    if not any(h.op == "move" for h in fast.hunks):
        assert _apply(a, [(h.a_start, h.a_end, h.new) for h in fast.hunks]) == b


_WORDS = st.sampled_from(
    ["the", "poll", "80%", "82%", "two", "four", ",", ".", " ", "\n", "Japan’s"]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_WORDS, max_size=40), st.lists(_WORDS, max_size=40))
def test_hunks_applied_to_a_give_b(a_words: list[str], b_words: list[str]) -> None:
    a, b = "".join(a_words), "".join(b_words)
    diff = diff_texts(a, b)
    assert "".join(s.text for s in diff.segments if s.op != "insert") == a
    assert "".join(s.text for s in diff.segments if s.op != "delete") == b
    for h in diff.hunks:
        assert a[h.a_start : h.a_end] == h.old and b[h.b_start : h.b_end] == h.new
        assert h.kinds and (
            h.kinds == ("cosmetic",)
            or (h.kinds[0] == "minor" and len(h.kinds) == 2 and h.kinds[1] in MINOR_KINDS)
            or set(h.kinds) <= set(SUBSTANTIVE_KINDS)
        )
    if not any(h.op == "move" for h in diff.hunks):
        assert _apply(a, [(h.a_start, h.a_end, h.new) for h in diff.hunks]) == b


def test_moved_paragraph_is_one_move_hunk() -> None:
    moved = "The ministry said the sanctions would stay in place for another year."
    rest = "Middle paragraph stays where it was, and it is the longest of them all, by far.\n\nEnd."
    a = f"Intro line here.\n\n{moved}\n\n{rest}\n"
    b = f"Intro line here.\n\n{rest}\n\n{moved}\n"
    diff = diff_texts(a, b)
    assert [h.op for h in diff.hunks] == ["move"]
    (h,) = diff.hunks
    assert h.old.strip() == moved == h.new.strip()
    assert h.cosmetic


def test_nearly_unchanged_move_keeps_its_kind() -> None:
    moved = "The ministry said the sanctions would stay in place for another full year."
    rest = "Middle paragraph stays where it was, and it is the longest of them all, by far.\n\nEnd."
    a = f"Intro.\n\n{moved}\n\n{rest}\n"
    b = f"Intro.\n\n{rest}\n\n{moved.replace('full ', 'whole ')}\n"
    (h,) = diff_texts(a, b).hunks
    assert h.op == "move" and h.kinds == ("wording",)


def test_granularities() -> None:
    a, b = "One. Two three.\nFour.", "One. Two four.\nFour."
    assert [(h.old, h.new) for h in diff_texts(a, b, "sentence").hunks] == [
        ("Two three.", "Two four.")
    ]
    assert [(h.old, h.new) for h in diff_texts(a, b, "line").hunks] == [
        ("One. Two three.", "One. Two four.")
    ]
    assert [(h.old, h.new) for h in diff_texts(a, b, "char").hunks] == [("three", "four")]


def test_unknown_granularity_is_a_revtrack_error() -> None:
    with pytest.raises(RevtrackError, match="granularity"):
        diff_texts("a", "b", "paragraph")  # type: ignore[arg-type]


def test_more_distinct_tokens_than_the_bmp() -> None:
    a = " ".join(f"w{i}" for i in range(70_000))
    b = a.replace("w35000 ", "changed ")
    (h,) = diff_texts(a, b).hunks
    assert (h.old, h.new) == ("w35000", "changed")


@pytest.mark.parametrize(("n", "expected"), [(0, "Two three."), (1, "One. Two three.\nFour.")])
def test_context_windows(n: int, expected: str) -> None:
    a, b = "One. Two three.\nFour. Five. Six.", "One. Two four.\nFour. Five. Six."
    diff = diff_texts(a, b)
    (w,) = context_windows(diff, n)
    assert a[w.a_start : w.a_end] == expected
    assert b[w.b_start : w.b_end] == expected.replace("three", "four")
    assert w.hunks == (0,)


_TOKENS = st.lists(st.sampled_from(["a", "b", "c", " ", "x", "\n"]), min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(_TOKENS, _TOKENS)
def test_settled_small_edits_are_what_both_backends_answer(a: list[str], b: list[str]) -> None:
    settled = engine._settled(a, b)
    if settled is None or a == b:
        return
    encoded = engine._encode(a, b)
    assert encoded is not None
    expected = engine._merge(engine._decode_tokens(settled, a, b))
    for diff in (engine._fast_diff, engine._pure_diff):
        assert engine._merge(engine._decode_tokens(diff(*encoded), a, b)) == expected


@pytest.mark.parametrize(
    ("a", "b", "settled"),
    [
        (["80%"], ["82%"], True),
        (["two", " ", "islands"], ["four", " ", "islands"], True),
        (["of"], ["of", " ", "support"], True),
        (["x", " ", "y"], ["x", " ", "z", " ", "y"], False),  # " " could slide across
        (["a", "b"], ["c", "d"], False),  # needs the search
    ],
)
def test_settled_cases(a: list[str], b: list[str], settled: bool) -> None:
    assert (engine._settled(a, b) is not None) == settled


def _reference_word_middle(
    a: str, b: str, diff: Callable[[str, str], list[tuple[int, int]]]
) -> list[Segment]:
    """The word alignment as the engine first did it: tokenize both texts whole, number the
    distinct tokens in order of first appearance, diff, and join the tokens of each run."""
    a_tokens, b_tokens = split_words(a), split_words(b)
    table = dict(zip(dict.fromkeys(a_tokens + b_tokens), engine._code_points(4), strict=False))
    ops = diff("".join(map(table.get, a_tokens)), "".join(map(table.get, b_tokens)))  # type: ignore[arg-type]
    segments, i, j = [], 0, 0
    for op, n in ops:
        if op <= 0:
            segments.append(Segment("equal" if op == 0 else "delete", "".join(a_tokens[i : i + n])))
            i += n
        else:
            segments.append(Segment("insert", "".join(b_tokens[j : j + n])))
        j += n if op >= 0 else 0
    return engine._merge(segments)


_LINE_WORDS = st.sampled_from(
    ["the", "poll", "80%", "1,000", "Japan’s", "didn't", ",", ".", " ", "  ", "\t", "\xa0", "x"]
)
_LINES = st.lists(st.lists(_LINE_WORDS, max_size=12).map("".join), min_size=1, max_size=8)
_MIDDLES = [
    (_STORY_V1, _STORY_V2),
    (_STORY_V2, _STORY_V3),
    ("One line.\nTwo lines.\nOne line.\n", "One line.\nTwo lines here.\nOne line.\nNew.\n"),
    ("a\n\nb\n\na\n\nb", "b\n\na\n\nb\n\na"),
    (" lead and trail ", "lead  and\ttrail"),
    ("same\nsame\nsame", "same\nother\nsame\nsame"),
    ("\n\n", "\n"),
    ("x " * 300, "x " * 150 + "y " + "x " * 150),
]


@pytest.mark.parametrize(("a", "b"), _MIDDLES)
def test_line_shared_encoding_gives_the_reference_alignment(a: str, b: str) -> None:
    for diff in (engine._fast_diff, engine._pure_diff):
        expected = _reference_word_middle(a, b, diff)
        assert engine._merge(engine._align_middle(a, b, "word", diff)) == expected
        assert (
            engine._merge(engine._align_middle(a, b, "word", diff, share_lines=False)) == expected
        )


@settings(max_examples=200, deadline=None)
@given(_LINES, _LINES, st.lists(st.integers(0, 7), max_size=4))
def test_line_shared_encoding_on_generated_pairs(
    a_lines: list[str], new_lines: list[str], picks: list[int]
) -> None:
    """``b`` is ``a`` with some lines replaced, so the two share lines as real versions do."""
    b_lines = list(a_lines)
    for k, pick in enumerate(picks):
        b_lines[pick % len(b_lines)] = new_lines[k % len(new_lines)]
    a, b = "\n".join(a_lines), "\n".join(b_lines)
    if not a or not b:
        return
    for diff in (engine._fast_diff, engine._pure_diff):
        expected = _reference_word_middle(a, b, diff)
        assert engine._merge(engine._align_middle(a, b, "word", diff)) == expected
        assert (
            engine._merge(engine._align_middle(a, b, "word", diff, share_lines=False)) == expected
        )


def test_line_shared_encoding_is_taken_when_lines_are_shared() -> None:
    changed = _STORY_V3.replace("Matsumoto said", "Matsumoto added")
    assert engine._encode_lines(_STORY_V3, changed) is not None
    assert engine._encode_lines("one line", "another line") is None  # nothing shared


_WORD_PIECES = ("ab", "5", "1.5", "$3", "%", "’s", "'t", ".", ",", ":", "/", "é", "_", "9,000")
_TOKEN_PIECES = st.lists(
    st.sampled_from([*_WORD_PIECES, "x", " ", "\n", "  ", "\t", "\xa0"]), max_size=10
)


@settings(max_examples=500, deadline=None)
@given(_TOKEN_PIECES, _TOKEN_PIECES, _TOKEN_PIECES, _TOKEN_PIECES, _TOKEN_PIECES)
def test_word_tokens_of_two_versions_are_each_ones_own_tokens(
    head: list[str], old: list[str], new: list[str], tail: list[str], more: list[str]
) -> None:
    # Two versions sharing a head and a tail (tokenized once for both): the same tokens as
    # each text split alone, wherever the shared parts end.
    a = "".join(head + old + tail)
    b = "".join(head + new + tail + more)
    for x, y in ((a, b), (b, a), (a, a), ("", b)):
        assert engine._word_tokens(x, y) == (split_words(x), split_words(y))
