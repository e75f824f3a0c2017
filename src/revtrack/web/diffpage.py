"""The web's diff page body: changes first, unchanged text folded, every change addressable.

:func:`revtrack.render.render_html` writes a standalone page meant to be read whole; in the
browser a reader wants the changes, so here long unchanged runs fold into a ``<details>`` line
with a count (opened without script), each change is a ``<span class="hunk CLASS" id="hN">``
that the changes list, the correction cards and the previous/next links point at (``:target``
highlights it), and both ends of a move link to each other. Every string from the article is
escaped with :func:`html.escape`; the side-by-side table is the standalone page's own.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from revtrack.render.header import DiffHeader
from revtrack.render.html import _sbs_view
from revtrack.render.pieces import Piece, pieces

# A face names no type of the diff layer (tests/test_layers.py), so the Diff and its Hunks are
# typed Any here; they are what Revtrack.diff returns in DiffResult.diff.
Diff = Any
Hunk = Any

CONTEXT = 1  # unchanged paragraphs kept on each side of a change
FOLD_AT = 3  # runs of more unchanged paragraphs than this are folded


def _e(text: str) -> str:
    return html.escape(text, quote=True)


@dataclass(frozen=True)
class ChangeItem:
    index: int
    change_class: str
    kinds: tuple[str, ...]
    old: str
    new: str
    moved: bool


def changes(diff: Diff) -> list[ChangeItem]:
    return [
        ChangeItem(h.index, h.change_class, h.kinds, h.old, h.new, h.op == "move")
        for h in diff.hunks
    ]


def _fold(text: str, first: bool, last: bool, elide: bool = False) -> str:
    """An unchanged run, its middle paragraphs folded when there are many.

    Unless the run starts the text, its first line is the rest of a changed line; unless it
    ends the text, its last line leads into one: those stay, with ``CONTEXT`` whole
    paragraphs beside them. ``elide`` (revisions too large to send whole) leaves the folded
    paragraphs out, with their count, instead of folding them into the page.
    """
    lines = text.split("\n")
    lo, hi = (0 if first else 1), (len(lines) if last else len(lines) - 1)
    full = [i for i in range(lo, hi) if lines[i].strip()]
    keep_head, keep_tail = (0 if first else CONTEXT), (0 if last else CONTEXT)
    folded = full[keep_head : len(full) - keep_tail]
    if len(folded) <= FOLD_AT:
        return _e(text)
    start, stop = folded[0], folded[-1] + 1
    head = "\n".join(lines[:start]) + "\n" if start else ""
    tail = "\n" + "\n".join(lines[stop:]) if stop < len(lines) else ""
    noun = "paragraph" if len(folded) == 1 else "paragraphs"
    if elide:
        return (
            _e(head)
            + f'<span class="same elided">{len(folded)} unchanged {noun} left out</span>'
            + _e(tail)
        )
    return (
        _e(head)
        + f'<details class="same"><summary>{len(folded)} unchanged {noun}</summary>'
        + _e("\n".join(lines[start:stop]))
        + "</details>"
        + _e(tail)
    )


def _piece(p: Piece) -> str:
    tag = "del" if p.op == "delete" else "ins"
    cls = "move-from" if p.move == "from" else "move-to" if p.move == "to" else ""
    return f"<{tag}{f' class={chr(34)}{cls}{chr(34)}' if cls else ''}>{_e(p.text)}</{tag}>"


def _nav(hunk: Hunk, count: int, moved_end: str | None) -> str:
    kinds = list(hunk.kinds) if hunk.op != "move" else ["moved"]
    badges = "".join(
        f'<a class="badge {hunk.change_class}" href="#c{hunk.index}" '
        f'title="change {hunk.index + 1} in the list">{_e(k)}</a>'
        for k in kinds or ["wording"]
    )
    steps = []
    if moved_end == "from":
        steps.append(f'<a class="step" href="#m{hunk.index}" title="where it went">moved ↷</a>')
    elif moved_end == "to":
        steps.append(f'<a class="step" href="#h{hunk.index}" title="where it was">moved from ↶</a>')
    if hunk.index > 0:
        steps.append(
            f'<a class="step prev" href="#h{hunk.index - 1}" title="previous change">↑</a>'
        )
    if hunk.index + 1 < count:
        steps.append(f'<a class="step next" href="#h{hunk.index + 1}" title="next change">↓</a>')
    return badges + "".join(steps)


def inline_html(diff: Diff, *, elide: bool = False) -> str:
    """The inline view as HTML: hunks wrapped and addressable, long unchanged runs folded
    (left out, with ``elide``)."""
    items = pieces(diff)
    out: list[str] = []
    count = len(diff.hunks)
    seen: set[int] = set()
    k = 0
    while k < len(items):
        p = items[k]
        if p.hunk is None or not p.changed:
            out.append(_fold(p.text, first=k == 0, last=k == len(items) - 1, elide=elide))
            k += 1
            continue
        hunk = p.hunk
        group: list[Piece] = []
        while k < len(items) and items[k].hunk is hunk and items[k].changed:
            group.append(items[k])
            k += 1
        moved_end = group[0].move if hunk.op == "move" else None
        # A move's two ends: where it was is the change's anchor, where it went is m<N>.
        anchor = f"m{hunk.index}" if moved_end == "to" or hunk.index in seen else f"h{hunk.index}"
        seen.add(hunk.index)
        body = "".join(_piece(g) for g in group)
        out.append(
            f'<span class="hunk {hunk.change_class}" id="{anchor}" data-hunk="{hunk.index}">'
            f'{body}<span class="tools">{_nav(hunk, count, moved_end)}</span></span>'
        )
    return "".join(out)


def excerpt(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quiet_counts(items: Sequence[ChangeItem]) -> dict[str, int]:
    counts = {"substantive": 0, "minor": 0, "cosmetic": 0}
    for item in items:
        counts[item.change_class] = counts.get(item.change_class, 0) + 1
    return counts


def side_by_side_html(diff: Diff, header: DiffHeader) -> str:
    """The standalone page's side-by-side table, so the two pages draw it alike."""
    return _sbs_view(diff, header, pieces(diff))
