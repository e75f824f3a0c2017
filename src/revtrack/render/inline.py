"""The terminal view: the newer text with deletions and insertions marked where they happen.

Without colour the markers are wdiff's, which readers of diffs already know and tools can
grep: ``[-deleted-]`` and ``{+inserted+}``. A moved passage is drawn once in full where it now
stands, ``{>#3 moved from above: …<}``, and as a short pointer where it was,
``[>#3 moved below: first words…<]``, so it never reads as a deletion plus a new paragraph.
With colour the brackets give way to red, green and cyan (dimmed for cosmetic changes).
"""

from __future__ import annotations

from collections.abc import Sequence

from revtrack.diff.model import Diff
from revtrack.errors import RevtrackError
from revtrack.render import ansi
from revtrack.render.context import b_windows, clip
from revtrack.render.header import DiffHeader
from revtrack.render.pieces import Piece, hide_cosmetic, pieces

ELLIPSIS = "…"
_EXCERPT = 40


def excerpt(text: str, limit: int = _EXCERPT) -> str:
    """``text`` on one line, cut at a word near ``limit`` characters with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat.rfind(" ", 0, limit)
    return flat[: cut if cut > limit // 2 else limit] + ELLIPSIS


def move_note(p: Piece) -> str:
    """``#3 moved below`` / ``#3 moved from above``: where the other end of a move is."""
    assert p.hunk is not None
    if p.move == "from":
        return f"#{p.hunk.index} moved {'below' if p.hunk.b_start >= p.b_start else 'above'}"
    return f"#{p.hunk.index} moved from {'above' if p.hunk.a_start <= p.a_start else 'below'}"


def _draw(p: Piece, color: bool) -> str:
    if p.op == "equal":
        return p.text
    if p.move == "from":
        label = f"{move_note(p)}: {excerpt(p.text)}"
        return ansi.style(f"[{label}]", ansi.MOVE_FROM) if color else f"[>{label}<]"
    if p.move == "to":
        text = f"{move_note(p)}: {p.text}" if not color else p.text
        return ansi.style(text, ansi.MOVE) if color else f"{{>{text}<}}"
    if p.op == "delete":
        if color:
            return ansi.style(p.text, ansi.COSMETIC_DELETE if p.quiet else ansi.DELETE)
        return f"[-{p.text}-]"
    if color:
        return ansi.style(p.text, ansi.COSMETIC_INSERT if p.quiet else ansi.INSERT)
    return f"{{+{p.text}+}}"


def _body(items: Sequence[Piece], color: bool) -> str:
    return "".join(_draw(p, color) for p in items)


def render_inline(
    diff: Diff,
    header: DiffHeader,
    color: bool = False,
    ignore_cosmetic: bool = False,
    context: int | None = None,
    substantive_only: bool = False,
) -> str:
    """The newer text with every change marked in place; see the module docstring.

    ``ignore_cosmetic`` shows cosmetic changes as plain new text, ``substantive_only`` minor
    ones too. ``context=N`` prints only the
    sentences with changes and ``N`` sentences around each, with ``…`` lines between.
    """
    items = pieces(diff)
    if ignore_cosmetic or substantive_only:
        items = hide_cosmetic(items, minor=substantive_only)
    title = header.title_line() + f" (by {diff.by})"
    top = (ansi.BOLD + title + ansi.RESET if color else title) + "\n\n"
    if not any(p.changed for p in items):
        note = (
            "(no changes)"
            if not diff.hunks
            else "(only cosmetic changes)"
            if all(h.cosmetic for h in diff.hunks)
            else "(only cosmetic and minor changes)"
        )
        return top + note + "\n"
    if context is None:
        body = _body(items, color)
    else:
        if context < 0:
            raise RevtrackError(f"context must be 0 or more sentences, got {context}")
        shown = {p.hunk.index for p in items if p.changed and p.hunk is not None}
        spans = b_windows(diff, context, shown) or [(0, len(diff.b))]
        parts: list[str] = []
        if diff.b[: spans[0][0]].strip():
            parts.append(ELLIPSIS + "\n")
        for i, span in enumerate(spans):
            if i:
                parts.append("\n" + ELLIPSIS + "\n")
            parts.append(_body(clip(items, span), color).lstrip("\n").rstrip())
        if diff.b[spans[-1][1] :].strip():
            parts.append("\n" + ELLIPSIS)
        body = "".join(parts)
    return top + body + ("" if body.endswith("\n") else "\n")
