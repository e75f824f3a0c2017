"""Pure correction logic: find reader-facing notes in a revision and link each to its fix.

Public API: :func:`detect_notes`, :func:`diff_notes`, :func:`link_note`, :func:`link_manual`
and the value types of :mod:`revtrack.corrections.model`.
"""

from __future__ import annotations

from revtrack.corrections.detect import detect_notes
from revtrack.corrections.model import (
    NOTE_KINDS,
    Evidence,
    Link,
    Note,
    NoteChanges,
    NoteKind,
    RevisionChanges,
)
from revtrack.corrections.notes_diff import diff_notes, match_notes

__all__ = [
    "NOTE_KINDS",
    "Evidence",
    "Link",
    "Note",
    "NoteChanges",
    "NoteKind",
    "RevisionChanges",
    "detect_notes",
    "diff_notes",
    "match_notes",
]
