"""The notes' side of the audit: when fixes were disclosed, and which notes later vanished.

A fix disclosed in the revision that made it has a lag of zero; one disclosed later has the
time between the two captures as its lag (capture times, not publication times, are all we
know, so lags are upper bounds of how long readers saw the error unannounced). A note whose
linker found no matching change is kept and reported as such, never dropped.

A note "vanishes" when a revision removes it. A removal paired with an identical note added in
the same revision is a move, not a vanishing; a note later put back is still reported, with the
revision that restored it, because readers in between could not see it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from revtrack.audit.undisclosed import LinkedNote
from revtrack.corrections.model import Note, NoteChanges, NoteKind

FixStatus = Literal["same-revision", "disclosed-later", "never-disclosed", "no-matching-change"]


@dataclass(frozen=True)
class DisclosedFix:
    """One correction's timeline: fix, disclosure and the lag between them."""

    correction_id: int | str
    kind: NoteKind
    fixing_revision: int
    disclosing_revision: int | None
    lag_seconds: float | None
    status: FixStatus


@dataclass(frozen=True)
class VanishedNote:
    """A note removed by ``revision``; ``first_seen`` and ``restored_in`` when known."""

    revision: int
    note: Note
    first_seen: int | None = None
    restored_in: int | None = None


def disclosed_fixes(
    links: Sequence[LinkedNote], revision_times: Mapping[int, datetime] | None = None
) -> list[DisclosedFix]:
    """Each correction with its fixing and disclosing revision and the lag between them.

    ``revision_times`` maps revision numbers to capture times; a lag is None when a time is
    missing or the note was never disclosed in the text.
    """
    times = revision_times or {}
    fixes: list[DisclosedFix] = []
    for note in links:
        fixing, disclosing = note.fixing_revision, note.disclosing_revision
        status: FixStatus
        if not note.matched:
            status = "no-matching-change"
        elif disclosing is None:
            status = "never-disclosed"
        elif disclosing == fixing:
            status = "same-revision"
        else:
            status = "disclosed-later"
        lag: float | None = None
        if disclosing is not None and fixing in times and disclosing in times:
            lag = (times[disclosing] - times[fixing]).total_seconds()
        fixes.append(DisclosedFix(note.correction_id, note.kind, fixing, disclosing, lag, status))
    return fixes


def vanished_notes(
    note_history: Iterable[tuple[int, NoteChanges | Note]]
    | Mapping[int, NoteChanges | Sequence[Note]],
) -> list[VanishedNote]:
    """Notes present in one revision and gone in a later one.

    ``note_history`` is per-revision :class:`NoteChanges` (as a mapping or as
    ``(revision, changes)`` pairs), or ``(revision, removed_note)`` pairs when only removals
    are known. Results come in revision order.
    """
    pairs = note_history.items() if isinstance(note_history, Mapping) else note_history
    history: dict[int, tuple[list[Note], list[Note]]] = {}
    for revision, item in pairs:
        added, removed = history.setdefault(revision, ([], []))
        if isinstance(item, NoteChanges):
            added.extend(item.added)
            removed.extend(item.removed)
        elif isinstance(item, Note):
            removed.append(item)
        else:
            removed.extend(item)

    first_seen: dict[str, int] = {}
    open_removals: dict[str, list[int]] = {}
    found: list[VanishedNote] = []
    for revision in sorted(history):
        added, removed = history[revision]
        added_keys = [_key(n) for n in added]
        for note in added:
            key = _key(note)
            first_seen.setdefault(key, revision)
            for index in open_removals.pop(key, []):
                found[index] = VanishedNote(
                    found[index].revision, found[index].note, found[index].first_seen, revision
                )
        for note in removed:
            key = _key(note)
            if key in added_keys:
                added_keys.remove(key)  # moved within the page, still visible
                continue
            open_removals.setdefault(key, []).append(len(found))
            found.append(VanishedNote(revision, note, first_seen.get(key)))
    return found


def _key(note: Note) -> str:
    return " ".join(note.text.split()).casefold()
