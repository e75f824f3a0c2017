"""The diff's segments cut at hunk boundaries and tied to their hunk: what every view draws.

Segments say *what* text is equal, inserted or deleted; hunks say *which change* it belongs to
(its kinds, whether it is cosmetic, whether it is a move). Renderers need both at once, so this
module walks the segments once, tracking the offset in ``a`` and ``b``, splits a segment
wherever a hunk starts or ends inside it, and looks up the hunk by offset (a deletion by its
``a`` range, an insertion by its ``b`` range). A moved passage appears in the segments as a
deletion where it was and an insertion where it is; its pieces are marked ``from``/``to``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from revtrack.diff.model import Diff, Hunk, SegmentOp

MoveEnd = Literal["from", "to"]


@dataclass(frozen=True)
class Piece:
    """A run of text with one op, lying inside at most one hunk.

    ``a_start:a_end`` and ``b_start:b_end`` are its ranges in the two texts; an insertion has an
    empty ``a`` range at the point where it goes, a deletion an empty ``b`` range.
    """

    op: SegmentOp
    text: str
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    hunk: Hunk | None = None
    move: MoveEnd | None = None

    @property
    def changed(self) -> bool:
        return self.op != "equal"

    @property
    def cosmetic(self) -> bool:
        return self.hunk is not None and self.hunk.cosmetic

    @property
    def minor(self) -> bool:
        return self.hunk is not None and self.hunk.minor

    @property
    def quiet(self) -> bool:
        """Cosmetic or minor: drawn dimmed, since a reader learns nothing new from it."""
        return self.hunk is not None and not self.hunk.substantive


class _RangeIndex:
    """Hunks with a non-empty range on one side, found by offset (hunks never overlap)."""

    def __init__(self, hunks: Iterable[Hunk], side: Literal["a", "b"]) -> None:
        spans = sorted(
            ((h.a_start, h.a_end, h) if side == "a" else (h.b_start, h.b_end, h) for h in hunks),
            key=lambda t: (t[0], t[1]),
        )
        self._spans = [(s, e, h) for s, e, h in spans if e > s]
        self._starts = [s for s, _, _ in self._spans]
        self.cuts = sorted({x for s, e, _ in self._spans for x in (s, e)})

    def find(self, start: int, end: int) -> Hunk | None:
        i = bisect_right(self._starts, start) - 1
        if i >= 0:
            s, e, h = self._spans[i]
            if s <= start and end <= e:
                return h
        return None


def _cut(text: str, start: int, cuts: Sequence[int]) -> list[tuple[int, str]]:
    """Split ``text`` (which starts at offset ``start``) at every cut strictly inside it."""
    end = start + len(text)
    lo = bisect_right(cuts, start)
    inner = [c for c in cuts[lo:] if c < end] if lo < len(cuts) else []
    out: list[tuple[int, str]] = []
    pos = start
    for c in [*inner, end]:
        if c > pos:
            out.append((pos, text[pos - start : c - start]))
            pos = c
    return out


def pieces(diff: Diff) -> list[Piece]:
    """Every segment of ``diff`` in order, split at hunk boundaries and tied to its hunk."""
    a_index = _RangeIndex(diff.hunks, "a")
    b_index = _RangeIndex(diff.hunks, "b")
    out: list[Piece] = []
    ao = bo = 0
    for seg in diff.segments:
        if not seg.text:
            continue
        if seg.op == "equal":
            n = len(seg.text)
            out.append(Piece("equal", seg.text, ao, ao + n, bo, bo + n))
            ao += n
            bo += n
        elif seg.op == "delete":
            for start, text in _cut(seg.text, ao, a_index.cuts):
                hunk = a_index.find(start, start + len(text))
                move: MoveEnd | None = "from" if hunk is not None and hunk.op == "move" else None
                out.append(Piece("delete", text, start, start + len(text), bo, bo, hunk, move))
            ao += len(seg.text)
        else:
            for start, text in _cut(seg.text, bo, b_index.cuts):
                hunk = b_index.find(start, start + len(text))
                move = "to" if hunk is not None and hunk.op == "move" else None
                out.append(Piece("insert", text, ao, ao, start, start + len(text), hunk, move))
            bo += len(seg.text)
    return out


def hide_cosmetic(items: Sequence[Piece], *, minor: bool = False) -> list[Piece]:
    """Cosmetic changes (and minor ones too with ``minor=True``) shown as the new text only:
    deletions dropped, insertions made equal."""
    out: list[Piece] = []
    for p in items:
        if not (p.cosmetic or (minor and p.minor)):
            out.append(p)
        elif p.op == "insert":
            out.append(replace(p, op="equal", hunk=None))
    return out
