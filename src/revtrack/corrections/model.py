"""Plain values for reader-facing notes and their links to changes.

These are the contract between the pure correction logic, the audit logic and the service
layer. Revisions are named by their number within the article (1 for v1); the service maps
numbers to database ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from revtrack.diff.model import Diff

NoteKind = Literal["correction", "clarification", "editors-note", "update", "retraction"]
NOTE_KINDS: tuple[NoteKind, ...] = (
    "correction",
    "clarification",
    "editors-note",
    "update",
    "retraction",
)


@dataclass(frozen=True)
class Note:
    """A note paragraph found in one revision's text.

    ``label`` is the note's own heading as printed ("Correction", "Editor's note", "" when the
    note is a bare sentence such as "An earlier version of this story ..."); ``printed_date``
    is the date printed in it, verbatim, or "". ``start``/``end`` are character offsets of the
    paragraph in the revision's text.
    """

    kind: NoteKind
    label: str
    text: str
    start: int
    end: int
    printed_date: str = ""
    position: Literal["top", "bottom", "body"] = "bottom"


@dataclass(frozen=True)
class NoteChanges:
    """How the notes of a revision differ from those of its parent."""

    added: tuple[Note, ...] = ()
    removed: tuple[Note, ...] = ()
    amended: tuple[tuple[Note, Note], ...] = ()  # (old, new): same note, reworded


@dataclass(frozen=True)
class RevisionChanges:
    """One revision's changes against its parent, as the linker and the auditor see them."""

    number: int
    diff: Diff
    old_title: str = ""
    new_title: str = ""


@dataclass(frozen=True)
class Evidence:
    """Why a note was linked to one hunk: the note's words found in the change.

    ``old``/``new`` are the changed words; ``before``/``after`` the rest of the sentence around
    them, so that ``before + new + after`` is the corrected phrase a reader sees (for a
    deletion, ``before + old + after``, the phrase that was taken out). All four are bounded
    excerpts (an ellipsis marks a cut): a change inside a long text never yields a long
    evidence row. ``start``/``end`` locate the whole sentence(s) in the fixing revision's text
    (in its parent's, for a deletion); -1 when unknown (a headline, or an older link).
    """

    revision: int
    hunk_index: int
    matched_words: tuple[str, ...]
    error_kind: str = ""  # the kind of error the note names and the hunk shows: "number", ...
    old: str = ""
    new: str = ""
    score: float = 0.0
    before: str = ""
    after: str = ""
    start: int = -1
    end: int = -1

    @property
    def phrase(self) -> str:
        """The corrected phrase: the sentence as the fix left it (as it was, for a deletion)."""
        middle = self.new if self.new else self.old
        return f"{self.before}{middle}{self.after}".strip()


@dataclass(frozen=True)
class Link:
    """The linker's verdict for one note."""

    fixing_revision: int
    confidence: float
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)
    matched: bool = True  # False: "no matching change found", left on the disclosing revision
    # The best change the linker did not choose (another revision's, or a look-alike in the
    # same one), with its score: what the verdict was weighed against.
    runner_up: Evidence | None = None
