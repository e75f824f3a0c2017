"""The diff engine: offsets, token-snapped hunks, and both diff-match-patch backends agreeing."""

from __future__ import annotations

import pytest

from revtrack.diff import diff_texts


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
