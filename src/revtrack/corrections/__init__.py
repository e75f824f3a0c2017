"""Pure correction logic: find reader-facing notes in a revision and link each to its fix.

Public API: :func:`detect_notes`, :func:`diff_notes`, :func:`link_note`, :func:`link_manual`
and the value types of :mod:`revtrack.corrections.model`.

The detector and the linker load on first use of their names (PEP 562), not when the package
is: importing :mod:`revtrack.corrections.model` for its value types runs this file, and the
detector compiles a few hundred patterns (~0.3 s of start-up) that `corrections`, `audit`,
`blame` or a writer storing ready-made analyses never call.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from revtrack.corrections.model import (
    NOTE_KINDS,
    Evidence,
    Link,
    Note,
    NoteChanges,
    NoteKind,
    RevisionChanges,
)

if TYPE_CHECKING:
    from revtrack.corrections.claims import NoteClaims, parse_note
    from revtrack.corrections.detect import detect_notes
    from revtrack.corrections.link import MATCH_THRESHOLD, TITLE_HUNK, link_manual, link_note
    from revtrack.corrections.notes_diff import diff_notes, match_notes

# Stored with every link so `revtrack relink` can tell which links an older linker made.
LINKER_VERSION = "2"

_LAZY = {
    "NoteClaims": "claims",
    "parse_note": "claims",
    "detect_notes": "detect",
    "MATCH_THRESHOLD": "link",
    "TITLE_HUNK": "link",
    "link_manual": "link",
    "link_note": "link",
    "diff_notes": "notes_diff",
    "match_notes": "notes_diff",
}

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


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{module}"), name)
