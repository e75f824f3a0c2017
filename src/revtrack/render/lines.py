"""Line alignment derived from the diff, for the line-oriented views (unified, side by side).

Rather than re-diffing the lines with another algorithm (and risking a view that disagrees
with the word diff the rest of revtrack reports), a line of ``a`` is paired with a line of
``b`` exactly when the diff's equal text carries the whole line, newline included, onto a
whole line of ``b``. Between two such pairs, lines identical on both sides are paired too
(difflib, on that block only); the rest is a change. Pairs are increasing in both texts, so
the result is a valid edit script: applying it to ``a`` always gives ``b``.
"""

from __future__ import annotations

import difflib
from bisect import bisect_right
from collections.abc import Sequence
from typing import Literal, cast

from revtrack.diff.model import Diff

Tag = Literal["equal", "replace", "delete", "insert"]
Opcode = tuple[Tag, int, int, int, int]


def split_lines(text: str) -> list[str]:
    """Lines with their ``\\n`` kept; only ``\\n`` ends a line (as for `diff` and `patch`)."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def line_starts(lines: Sequence[str]) -> list[int]:
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line)
    return starts


def _equal_runs(diff: Diff) -> list[tuple[int, int, int]]:
    """``(a_offset, b_offset, length)`` of each maximal stretch of equal text."""
    runs: list[tuple[int, int, int]] = []
    ao = bo = 0
    prev_equal = False
    for seg in diff.segments:
        n = len(seg.text)
        if not n:
            continue
        if seg.op == "equal":
            if prev_equal:
                a0, b0, length = runs[-1]
                runs[-1] = (a0, b0, length + n)
            else:
                runs.append((ao, bo, n))
            ao += n
            bo += n
            prev_equal = True
        else:
            if seg.op == "delete":
                ao += n
            else:
                bo += n
            prev_equal = False
    return runs


def line_opcodes(diff: Diff) -> tuple[list[str], list[str], list[Opcode]]:
    """The lines of ``a`` and ``b`` and difflib-style opcodes turning one into the other."""
    a_lines, b_lines = split_lines(diff.a), split_lines(diff.b)
    a_starts = line_starts(a_lines)
    b_line_at = {s: j for j, s in enumerate(line_starts(b_lines))}
    runs = _equal_runs(diff)
    run_starts = [r[0] for r in runs]
    pairs: list[tuple[int, int]] = []
    for i, (start, line) in enumerate(zip(a_starts, a_lines, strict=True)):
        k = bisect_right(run_starts, start) - 1
        if k < 0:
            continue
        ao, bo, n = runs[k]
        end = start + len(line)
        if end > ao + n:
            continue
        j = b_line_at.get(bo + start - ao)
        if j is not None and b_lines[j] == line and (not pairs or j > pairs[-1][1]):
            pairs.append((i, j))
    ops: list[Opcode] = []
    i = j = 0
    for pi, pj in [*pairs, (len(a_lines), len(b_lines))]:
        if pi > i or pj > j:
            ops.extend(_refine(a_lines, b_lines, i, pi, j, pj))
        if pi < len(a_lines):
            ops.append(("equal", pi, pi + 1, pj, pj + 1))
        i, j = pi + 1, pj + 1
    merged: list[Opcode] = []
    for op in ops:
        last = merged[-1] if merged else None
        if last and last[0] == op[0] == "equal" and last[2] == op[1] and last[4] == op[3]:
            merged[-1] = ("equal", last[1], op[2], last[3], op[4])
        else:
            merged.append(op)
    return a_lines, b_lines, merged


def _refine(
    a_lines: Sequence[str], b_lines: Sequence[str], i1: int, i2: int, j1: int, j2: int
) -> list[Opcode]:
    """Opcodes for a changed block, with any line left identical on both sides kept as equal.

    A word diff can attribute a paragraph break to the change next to it (``"\\n"`` replaced
    by ``"\\n\\n"``), which leaves an unchanged line outside the equal text; pairing identical
    lines inside the block keeps the line views from showing a line as changed when it is not.
    """
    if i1 == i2 or j1 == j2:
        return [("delete" if j1 == j2 else "insert", i1, i2, j1, j2)]
    matcher = difflib.SequenceMatcher(None, a_lines[i1:i2], b_lines[j1:j2], autojunk=False)
    return [
        (tag, i1 + x1, i1 + x2, j1 + y1, j1 + y2) for tag, x1, x2, y1, y2 in matcher.get_opcodes()
    ]


class _GivenOpcodes(difflib.SequenceMatcher[str]):
    """difflib's hunk grouping (``get_grouped_opcodes``) applied to opcodes we already have."""

    def __init__(self, ops: list[Opcode]) -> None:
        super().__init__(None, [], [])
        self._given = list(ops)

    def get_opcodes(self) -> list[Opcode]:
        return list(self._given)


def grouped_opcodes(ops: list[Opcode], context: int) -> list[list[Opcode]]:
    """Opcodes in hunks with ``context`` equal lines around each change (as `diff -u` does)."""
    if all(op[0] == "equal" for op in ops):
        return []
    groups = _GivenOpcodes(ops).get_grouped_opcodes(context)
    return [cast(list[Opcode], group) for group in groups]
