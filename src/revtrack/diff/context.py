"""Passages worth showing for ``diff --context N``: each change with N sentences around it.

A renderer showing a long article's diff should show the changed passages, not the whole
text. A window is a pair of ranges, one in ``a`` and the matching one in ``b``, covering one or
more hunks plus ``sentences`` whole sentences before and after; windows that touch or
overlap are merged, so each passage is shown once. The text between two windows is equal in
both versions (that is what lets a renderer print "…" there). A move is shown twice: where the
passage left (in ``a``) and where it arrived (in ``b``).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from revtrack.diff.model import Diff
from revtrack.text.tokenize import Span, split_sentences

__all__ = ["ContextWindow", "context_windows"]


@dataclass(frozen=True)
class ContextWindow:
    """``a[a_start:a_end]`` and ``b[b_start:b_end]`` show hunks ``hunks`` with their context."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    hunks: tuple[int, ...]


class _OffsetMap:
    """Maps an offset in ``a`` to the aligned offset in ``b`` and back, through equal runs."""

    def __init__(self, diff: Diff) -> None:
        self.a_starts: list[int] = []
        self.b_starts: list[int] = []
        self.lengths: list[int] = []
        a_pos = b_pos = 0
        for seg in diff.segments:
            n = len(seg.text)
            if seg.op == "equal":
                self.a_starts.append(a_pos)
                self.b_starts.append(b_pos)
                self.lengths.append(n)
                a_pos += n
                b_pos += n
            elif seg.op == "delete":
                a_pos += n
            else:
                b_pos += n

    def _map(self, x: int, src: list[int], dst: list[int]) -> int:
        i = bisect.bisect_right(src, x) - 1
        if i < 0:
            return 0
        return dst[i] + min(x - src[i], self.lengths[i])

    def a_to_b(self, x: int) -> int:
        return self._map(x, self.a_starts, self.b_starts)

    def b_to_a(self, x: int) -> int:
        return self._map(x, self.b_starts, self.a_starts)


def _widen(
    spans: list[Span], starts: list[int], lo: int, hi: int, n: int, size: int
) -> tuple[int, int]:
    """Extend ``[lo, hi)`` to whole sentences plus ``n`` more on each side."""
    if not spans:
        return 0, size
    first = max(bisect.bisect_right(starts, lo) - 1, 0)
    last = max(bisect.bisect_left(starts, hi) - 1, first)
    first = max(first - n, 0)
    last = min(last + n, len(spans) - 1)
    return min(lo, spans[first].start), max(hi, spans[last].end)


def context_windows(diff: Diff, sentences: int = 1) -> tuple[ContextWindow, ...]:
    """Windows around every hunk of ``diff`` with ``sentences`` sentences of context each side."""
    if not diff.hunks:
        return ()
    offsets = _OffsetMap(diff)
    a_spans, b_spans = split_sentences(diff.a), split_sentences(diff.b)
    a_starts, b_starts = [s.start for s in a_spans], [s.start for s in b_spans]
    raw: list[tuple[int, int, int, int, int]] = []
    for hunk in diff.hunks:
        sides = [(hunk.a_start, hunk.a_end, hunk.b_start, hunk.b_end)]
        if hunk.op == "move":
            a_at, b_at = offsets.a_to_b(hunk.a_start), offsets.b_to_a(hunk.b_start)
            sides = [(hunk.a_start, hunk.a_end, a_at, a_at), (b_at, b_at, hunk.b_start, hunk.b_end)]
        for a0, a1, b0, b1 in sides:
            wa0, wa1 = _widen(a_spans, a_starts, a0, a1, sentences, len(diff.a))
            wb0, wb1 = _widen(b_spans, b_starts, b0, b1, sentences, len(diff.b))
            # Keep the two sides aligned: the context before and after is equal text.
            before = min(a0 - wa0, b0 - wb0)
            after = min(wa1 - a1, wb1 - b1)
            raw.append((a0 - before, a1 + after, b0 - before, b1 + after, hunk.index))
    raw.sort()
    windows: list[ContextWindow] = []
    for a0, a1, b0, b1, index in raw:
        if windows and (a0 <= windows[-1].a_end or b0 <= windows[-1].b_end):
            w = windows[-1]
            hunks = w.hunks if index in w.hunks else (*w.hunks, index)
            windows[-1] = ContextWindow(
                w.a_start, max(w.a_end, a1), w.b_start, max(w.b_end, b1), hunks
            )
        else:
            windows.append(ContextWindow(a0, a1, b0, b1, (index,)))
    return tuple(windows)
