"""Cutting the inline view down to the windows the diff layer chose for ``context=N``.

Which sentences surround a change is the diff layer's decision
(:func:`revtrack.diff.context.context_windows`, with the shared sentence splitter); this
module only turns those windows into ranges of the newer text and picks the pieces inside
them. Windows are measured in ``b`` because the inline view reads as the newer text; a
deletion is drawn at the point of ``b`` where it was cut out.
"""

from __future__ import annotations

from collections.abc import Container, Sequence

from revtrack.diff.context import context_windows
from revtrack.diff.model import Diff
from revtrack.render.pieces import Piece


def b_windows(diff: Diff, n: int, shown: Container[int]) -> list[tuple[int, int]]:
    """Merged ``[start, end]`` ranges of ``diff.b`` around the hunks whose index is ``shown``."""
    spans = sorted(
        (w.b_start, w.b_end)
        for w in context_windows(diff, n)
        if any(index in shown for index in w.hunks)
    )
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def clip(items: Sequence[Piece], window: tuple[int, int]) -> list[Piece]:
    """The pieces inside ``window`` (``b`` offsets, both ends inclusive for deletions)."""
    ws, we = window
    out: list[Piece] = []
    for p in items:
        if p.op == "delete":
            if ws <= p.b_start <= we:
                out.append(p)
        elif p.b_end > ws and p.b_start < we:
            s, e = max(p.b_start, ws), min(p.b_end, we)
            if (s, e) == (p.b_start, p.b_end):
                out.append(p)
                continue
            text = p.text[s - p.b_start : e - p.b_start]
            if p.op == "equal":
                a_start = p.a_start + s - p.b_start
                out.append(Piece("equal", text, a_start, a_start + len(text), s, e))
            else:
                out.append(Piece(p.op, text, p.a_start, p.a_end, s, e, p.hunk, p.move))
    return out
