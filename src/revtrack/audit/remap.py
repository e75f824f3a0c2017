"""The same change found again in another diff of the same two revisions.

A correction's link names hunks by their index in the diff of the texts as fetched. When a
revision reads as a re-derived text (`reextract` dropped a rotating box, say), its diff has
other hunks: the box's changes are gone, and the real edit the note discloses sits at another
index. The audit and blame, reading the re-derived texts, find each linked hunk again by what
it changed, never by its place.
"""

from __future__ import annotations

from revtrack.diff.model import Diff, Hunk


def hunk_map(original: Diff, reading: Diff) -> dict[int, int]:
    """Hunk index in ``original`` -> index of the same change in ``reading``.

    A hunk is the same change when it removes and puts in the same words (its op and its
    ``old``/``new`` texts, spacing aside), matched in order so that a change made twice maps
    to two hunks; failing that, a hunk of ``reading`` that holds both its removed and its
    added words (the diff of the other texts may have merged it with a neighbour). A change
    that is not in ``reading`` at all (it was inside what re-deriving dropped) maps to
    nothing.
    """
    if original.hunks == reading.hunks:
        return {h.index: h.index for h in original.hunks}
    free: dict[tuple[str, str, str], list[int]] = {}
    for h in reading.hunks:
        free.setdefault(_key(h), []).append(h.index)
    found: dict[int, int] = {}
    missing: list[Hunk] = []
    for h in original.hunks:
        same = free.get(_key(h))
        if same:
            found[h.index] = same.pop(0)
        else:
            missing.append(h)
    for h in missing:
        old, new = _words(h.old), _words(h.new)
        if not old and not new:
            continue
        for other in reading.hunks:
            if old in _words(other.old) and new in _words(other.new):
                found[h.index] = other.index
                break
    return found


def _words(text: str) -> str:
    return " ".join(text.split())


def _key(h: Hunk) -> tuple[str, str, str]:
    return h.op, _words(h.old), _words(h.new)
