"""Change statistics of a diff, the numbers `log` and `diff --stat` show.

Words are counted on the aligned segments (a moved passage counts as removed and added words,
like ``git diff --stat`` counts a moved line). Sentences come from classification, which
already knows which sentences each substantive hunk added, removed or only changed; a sentence
touched by two hunks is counted once, and one touched only by cosmetic hunks (spacing,
punctuation, markup) is not counted as changed. ``hunks_by_kind`` counts every kind a hunk
carries, so a hunk that changed a number inside a quotation counts under "number" and "quote".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from revtrack.diff.model import DiffStats, Hunk, HunkFacts, Segment
from revtrack.text.tokenize import word_count

__all__ = ["compute_stats"]


def compute_stats(
    segments: Sequence[Segment], hunks: Sequence[Hunk], facts: Sequence[HunkFacts]
) -> DiffStats:
    """Count words and sentences added/removed/changed and hunks per kind."""
    added = sum(word_count(s.text) for s in segments if s.op == "insert")
    removed = sum(word_count(s.text) for s in segments if s.op == "delete")
    changed: set[int] = set()
    for f in facts:
        changed |= f.changed_sentence_starts
    by_kind: Counter[str] = Counter()
    for hunk in hunks:
        by_kind.update(hunk.kinds)
    return DiffStats(
        words_added=added,
        words_removed=removed,
        sentences_added=sum(f.sentences_added for f in facts),
        sentences_removed=sum(f.sentences_removed for f in facts),
        sentences_changed=len(changed),
        hunks=len(hunks),
        hunks_by_kind=dict(sorted(by_kind.items())),
    )
