"""Which stretches of the newer text to show when the user asks for ``context=N`` sentences.

A changed word means little without its sentence, so a window is the sentence(s) a change
touches plus ``N`` sentences either side, measured in the newer text (what readers see now);
a deletion is placed where it was cut from. Overlapping or touching windows are merged, so
every piece is drawn at most once.

The splitter here is deliberately simple (terminal punctuation, optional closing quote or
bracket, then space; or a line break): it only decides how much surrounding text to print,
never what counts as a change, so an abbreviation that splits a sentence early costs a little
extra or missing context and nothing else.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from revtrack.render.pieces import Piece

_BOUNDARY = re.compile(r"[.!?…][\"'”’»)\]]*[ \t\u00a0]+|\n+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence; the spans tile ``text`` (trailing space included)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if m.end() > start:
            spans.append((start, m.end()))
            start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def windows(items: Sequence[Piece], b_text: str, n: int) -> list[tuple[int, int]]:
    """Merged ``[start, end)`` ranges of ``b_text`` to show around each changed piece."""
    if n < 0:
        raise ValueError(f"context must be 0 or more sentences, got {n}")
    spans = sentence_spans(b_text)
    if not spans:
        return [(0, 0)] if any(p.changed for p in items) else []
    starts = [s for s, _ in spans]
    last = len(spans) - 1
    found: list[tuple[int, int]] = []
    for p in items:
        if not p.changed:
            continue
        start, end = p.b_start, p.b_end
        if p.op == "insert" and p.text.strip():
            # An insertion that opens with a paragraph break belongs to what follows it.
            start += len(p.text) - len(p.text.lstrip())
            end -= len(p.text) - len(p.text.rstrip())
        first_i = max(bisect_right(starts, start) - 1, 0)
        last_i = max(bisect_right(starts, max(end - 1, start)) - 1, 0)
        found.append((spans[max(first_i - n, 0)][0], spans[min(last_i + n, last)][1]))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def clip(items: Sequence[Piece], window: tuple[int, int]) -> list[Piece]:
    """The pieces inside ``window`` (``b`` offsets), equal text cut at its edges."""
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
            else:
                text = p.text[s - p.b_start : e - p.b_start]
                shift = s - p.b_start
                a_start = p.a_start + shift if p.op == "equal" else p.a_start
                a_end = a_start + len(text) if p.op == "equal" else p.a_end
                out.append(Piece(p.op, text, a_start, a_end, s, e, p.hunk, p.move))
    return out
