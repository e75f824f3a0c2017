"""Note changes between two revisions, looking only where the text changed.

Detecting notes costs a scan of every paragraph with many patterns; doing it on both whole
texts at every ingest dominated import time. A note can only be added, removed or amended
where the diff touched the text, so detection runs on the touched paragraphs and one
paragraph either side (a label may stand on its own line above its note), on both texts.
Notes in untouched paragraphs are the same on both sides and cancel out anyway. Where a
paragraph stands (an unlabelled note form counts only among the first or last paragraphs) is
judged against the whole text, as whole-text detection judges it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from revtrack.corrections.detect import detect_notes
from revtrack.corrections.model import Note, NoteChanges
from revtrack.corrections.notes_diff import match_notes
from revtrack.text.tokenize import split_paragraphs

Span = tuple[int, int]


def touched_regions(text: str, changes: Sequence[Span], margin: int = 1) -> list[Span]:
    """Contiguous runs of whole paragraphs that overlap a change, widened by ``margin``."""
    paragraphs = [(p.start, p.end) for p in split_paragraphs(text)]
    if not paragraphs or not changes:
        return []
    starts = [p_start for p_start, _ in paragraphs]
    ends = [p_end for _, p_end in paragraphs]  # in order too: paragraphs do not overlap
    hit: set[int] = set()
    for start, end in changes:
        # The paragraphs with p_start <= end and start <= p_end (an insertion, start == end,
        # touches the paragraph it lands in or next to), found by bisection.
        first, last = bisect_left(ends, start), bisect_right(starts, end) - 1
        if first <= last:
            hit.update(range(max(0, first - margin), min(len(paragraphs), last + margin + 1)))
    regions: list[Span] = []
    for i in sorted(hit):
        start, end = paragraphs[i]
        if regions and regions[-1][1] >= paragraphs[i - 1][1] and i - 1 in hit:
            regions[-1] = (regions[-1][0], end)
        else:
            regions.append((start, end))
    return regions


def notes_in(text: str, regions: Sequence[Span]) -> list[Note]:
    """The notes inside ``regions`` of ``text`` (their place judged in the whole text)."""
    found: list[Note] = []
    for start, end in regions:
        found += detect_notes(text, start, end)
    return found


def diff_notes_near(
    old_text: str, new_text: str, old_changes: Sequence[Span], new_changes: Sequence[Span]
) -> NoteChanges:
    """Like :func:`~revtrack.corrections.notes_diff.diff_notes`, on the changed places only.

    ``old_changes``/``new_changes`` are the hunks' spans in each text.
    """
    if not old_changes and not new_changes:
        return NoteChanges()
    old_notes = notes_in(old_text, touched_regions(old_text, old_changes))
    new_notes = notes_in(new_text, touched_regions(new_text, new_changes))
    if not old_notes and not new_notes:
        return NoteChanges()
    return match_notes(old_notes, new_notes)
