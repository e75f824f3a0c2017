"""Cases found by property tests, kept as plain examples so they are checked on every run."""

from __future__ import annotations

import pytest

from revtrack.diff import diff_texts
from revtrack.diff.model import Granularity

CASES = [
    (  # a sentence moved out of a deletion left its trailing space outside every hunk
        "The poll found 80% support. The poll found 80% support. The poll found 82% support. "
        "The poll found 80% support.",
        "The poll found 80% support. The poll found 82% support. The poll found 80% support. "
        "The poll found 80% support. The poll found 82% support.",
        "sentence",
    ),
]


@pytest.mark.parametrize(("a", "b", "by"), CASES)
def test_every_changed_character_belongs_to_a_hunk(a: str, b: str, by: Granularity) -> None:
    diff = diff_texts(a, b, by)
    covered_a = {i for h in diff.hunks for i in range(h.a_start, h.a_end)}
    covered_b = {i for h in diff.hunks for i in range(h.b_start, h.b_end)}
    ao = bo = 0
    for seg in diff.segments:
        n = len(seg.text)
        if seg.op == "delete":
            assert set(range(ao, ao + n)) <= covered_a
            ao += n
        elif seg.op == "insert":
            assert set(range(bo, bo + n)) <= covered_b
            bo += n
        else:
            ao, bo = ao + n, bo + n
