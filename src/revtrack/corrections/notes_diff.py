"""Which notes a revision added, removed or amended against its parent.

Notes are compared, not texts: a note whose words are unchanged is the same note wherever it
moved; a note reworded in place ("Region 5" becomes "Region 5 ... (Region 11)") is *amended*,
not removed and added, because readers see one note that was edited. Two notes are the same
note when their words are mostly alike, or when they carry the same label at the same place
and still share some words; pairs are taken best-first so each note is used once.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from revtrack.corrections.model import Note, NoteChanges

__all__ = ["diff_notes", "note_similarity"]

# Word-sequence similarity above which two notes are one note reworded.
_SAME_WORDS = 0.6
# With the same label, kind and place, a lower similarity still means the same note.
_SAME_PLACE = 0.3


def note_similarity(a: Note, b: Note) -> float:
    """Similarity of two notes' words in [0, 1] (order-aware, case-insensitive).

    A note cut short or extended ("... is live!" losing its second sentence) is still the same
    note, so the share of the shorter note found in the longer one counts as much as the
    overall ratio, slightly discounted.
    """
    words_a = a.text.lower().split()
    words_b = b.text.lower().split()
    if not words_a and not words_b:
        return 1.0 if a.printed_date == b.printed_date else 0.5
    if not words_a or not words_b:
        return 0.0
    matcher = SequenceMatcher(None, words_a, words_b, autojunk=False)
    common = sum(block.size for block in matcher.get_matching_blocks())
    contained = common / min(len(words_a), len(words_b))
    return max(matcher.ratio(), 0.9 * contained)


def diff_notes(old_text: str, new_text: str) -> NoteChanges:
    """The notes ``new_text`` adds, removes and amends compared with ``old_text``."""
    # Here, not at the top: the linker and `corrections` use this module's similarity alone,
    # and the detector's patterns cost ~0.3 s to compile.
    from revtrack.corrections.detect import detect_notes

    old_notes = detect_notes(old_text)
    new_notes = detect_notes(new_text)
    return match_notes(old_notes, new_notes)


def match_notes(old_notes: list[Note], new_notes: list[Note]) -> NoteChanges:
    """Pair already-detected notes of two revisions (see :func:`diff_notes`)."""
    unmatched_old = list(range(len(old_notes)))
    unmatched_new = list(range(len(new_notes)))
    # Identical notes first: they are not changes at all.
    for j in list(unmatched_new):
        for i in unmatched_old:
            if _identical(old_notes[i], new_notes[j]):
                unmatched_old.remove(i)
                unmatched_new.remove(j)
                break
    candidates: list[tuple[float, int, int]] = []
    for i in unmatched_old:
        for j in unmatched_new:
            a, b = old_notes[i], new_notes[j]
            similarity = note_similarity(a, b)
            same_place = (
                a.label.lower() == b.label.lower() and a.kind == b.kind and a.position == b.position
            )
            if similarity >= _SAME_WORDS or (same_place and similarity >= _SAME_PLACE):
                candidates.append((similarity + (0.1 if same_place else 0.0), i, j))
    amended: list[tuple[Note, Note]] = []
    for _, i, j in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if i in unmatched_old and j in unmatched_new:
            unmatched_old.remove(i)
            unmatched_new.remove(j)
            amended.append((old_notes[i], new_notes[j]))
    amended.sort(key=lambda pair: pair[1].start)
    return NoteChanges(
        added=tuple(new_notes[j] for j in unmatched_new),
        removed=tuple(old_notes[i] for i in unmatched_old),
        amended=tuple(amended),
    )


def _identical(a: Note, b: Note) -> bool:
    return (
        a.kind == b.kind
        and a.label == b.label
        and a.printed_date == b.printed_date
        and " ".join(a.text.split()) == " ".join(b.text.split())
    )
