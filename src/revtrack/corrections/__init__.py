"""Pure correction logic: find reader-facing notes in a revision and link each to its fix.

Public API: :func:`detect_notes`, :func:`diff_notes`, :func:`link_note`, :func:`link_manual`
and the value types of :mod:`revtrack.corrections.model`.
"""

from __future__ import annotations

from revtrack.corrections.claims import NoteClaims, parse_note
from revtrack.corrections.detect import detect_notes
from revtrack.corrections.link import MATCH_THRESHOLD, TITLE_HUNK, link_manual, link_note
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

# Stored with every link so `revtrack relink` can tell which links an older linker made.
LINKER_VERSION = "2"

__all__ = [
    "LINKER_VERSION",
    "MATCH_THRESHOLD",
    "NOTE_KINDS",
    "TITLE_HUNK",
    "Evidence",
    "Link",
    "Note",
    "NoteChanges",
    "NoteClaims",
    "NoteKind",
    "RevisionChanges",
    "detect_notes",
    "diff_notes",
    "link_manual",
    "link_note",
    "match_notes",
    "parse_note",
]
