"""Service side of corrections: detect notes on ingest, link them, keep their history.

The pure logic (what a note is, which change it speaks of) lives in
:mod:`revtrack.corrections`; this module gathers the revisions' changes the linker needs,
maps revision numbers to stored ids and writes the append-only rows and events.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

from revtrack.corrections.model import (
    Evidence,
    Link,
    Note,
    NoteChanges,
    RevisionChanges,
)
from revtrack.corrections.notes_diff import note_similarity
from revtrack.diff import diff_texts
from revtrack.store import ArticleRecord, CorrectionRecord, RevisionRecord, Tx

LINK_WINDOW = 12
"""How many revisions before a note the linker searches for the fix it discloses."""

RETURN_SIMILARITY = 0.6
"""How alike a new note must be to a removed one to be that note back (as for amendments)."""


def linker_version() -> str:
    from revtrack import corrections

    return str(getattr(corrections, "LINKER_VERSION", "1"))


def revision_changes(
    tx: Tx, revisions: Sequence[RevisionRecord], number: int, *, text: str | None = None
) -> RevisionChanges | None:
    """The changes of revision ``number`` against its parent (None for v1)."""
    if number <= 1:
        return None
    old = revisions[number - 2]
    new = revisions[number - 1] if number - 1 < len(revisions) else None
    new_text = text if text is not None else tx.load_text(new.id) if new else ""
    return RevisionChanges(
        number=number,
        diff=diff_texts(tx.load_text(old.id), new_text),
        old_title=old.title or "",
        new_title=(new.title if new else "") or "",
    )


def link_history(
    tx: Tx,
    revisions: Sequence[RevisionRecord],
    disclosing: int,
    *,
    stop_at: int = 0,
    first: RevisionChanges | None = None,
) -> list[RevisionChanges]:
    """Changes of ``disclosing`` and earlier revisions, newest first, down to ``stop_at``."""
    history: list[RevisionChanges] = []
    lowest = max(stop_at + 1, disclosing - LINK_WINDOW + 1, 2)
    for number in range(disclosing, lowest - 1, -1):
        if number == disclosing and first is not None:
            history.append(first)
            continue
        changes = revision_changes(tx, revisions, number)
        if changes is not None:
            history.append(changes)
    return history


def previous_note_revision(
    tx: Tx, article: ArticleRecord, before: int, exclude: frozenset[int] = frozenset()
) -> int:
    """The latest revision before ``before`` that disclosed a note (0 when none did)."""
    found = [
        c.disclosed_revision
        for c in tx.corrections(article.id)
        if c.disclosed_revision is not None
        and c.disclosed_revision < before
        and c.id not in exclude
    ]
    return max(found, default=0)


def _supersede_chain(
    tx: Tx, article: ArticleRecord, record: CorrectionRecord | None
) -> frozenset[int]:
    """The ids of a correction and of every earlier version of it."""
    if record is None:
        return frozenset()
    by_id = {c.id: c for c in tx.corrections(article.id)}
    chain: set[int] = set()
    current: CorrectionRecord | None = record
    while current is not None and current.id not in chain:
        chain.add(current.id)
        current = by_id.get(current.supersedes_id) if current.supersedes_id else None
    return frozenset(chain)


def link(note: Note, disclosing: int, history: Sequence[RevisionChanges]) -> Link:
    from revtrack.corrections.link import link_note

    return link_note(note, disclosing, history)


def evidence_rows(found: Link) -> list[dict[str, Any]]:
    """The stored evidence: one row per linked hunk, best first. The runner-up rides on the
    first row (key ``runner_up``) so that every row stays a hunk the note discloses, as the
    audit and blame read them."""
    rows = [dataclasses.asdict(e) for e in found.evidence]
    if rows and found.runner_up is not None:
        rows[0]["runner_up"] = dataclasses.asdict(found.runner_up)
    return rows


_EVIDENCE_FIELDS = frozenset(f.name for f in dataclasses.fields(Evidence))


def evidence_from_row(row: dict[str, Any]) -> Evidence:
    """An evidence row back as :class:`Evidence` (rows stored by older linkers lack fields)."""
    known = {k: v for k, v in row.items() if k in _EVIDENCE_FIELDS}
    known["matched_words"] = tuple(known.get("matched_words", ()))
    return Evidence(**known)


def store_link(
    tx: Tx, correction_id: int, found: Link, revisions: Sequence[RevisionRecord], actor: str
) -> int:
    fixing = (
        revisions[found.fixing_revision - 1].id
        if 1 <= found.fixing_revision <= len(revisions)
        else None
    )
    return tx.add_link(
        correction_id,
        fixing_revision_id=fixing,
        confidence=round(found.confidence, 4),
        matched=found.matched,
        evidence=evidence_rows(found),
        linker_version=linker_version(),
        actor=actor,
    )


def process_notes(
    tx: Tx,
    article: ArticleRecord,
    new: RevisionRecord,
    changes: NoteChanges,
    first: Callable[[], RevisionChanges | None],
    actor: str,
) -> tuple[list[int], list[int]]:
    """Record the notes ``changes`` found new/amended/removed in ``new``; return (added, removed).

    ``first`` gives the revision's own changes for the linker; it is called only when a note
    changed (rarely), so a writer that got the note changes ready-made never diffs.
    """
    if not (changes.added or changes.removed or changes.amended):
        return [], []
    revisions = tx.revisions(article.id)  # only now: most revisions change no note
    own = first()
    records = tx.corrections(article.id)
    existing = {c.text: c for c in records if c.status == "active"}
    gone_before = [c for c in records if c.status == "removed" and c.origin == "detected"]
    stop_at = previous_note_revision(tx, article, new.number)
    history = link_history(tx, revisions, new.number, stop_at=stop_at, first=own)
    added: list[int] = []
    for note in changes.added:
        back = _returning(note, gone_before)
        if back is not None and _same_words(back.text, note.text):
            # The note was taken out and is back word for word: the same note, not a new one.
            gone_before.remove(back)
            _record_return(tx, article, new, back, actor)
            continue
        if back is not None:  # back, reworded: a new version of that note, linked to it
            gone_before.remove(back)
            cid = _record_note(
                tx, article, new, note, back.id, history, revisions, actor, fallback=back
            )
        else:
            cid = _record_note(tx, article, new, note, None, history, revisions, actor)
        added.append(cid)
    for old_note, new_note in changes.amended:
        previous = existing.get(old_note.text)
        # An amended note speaks of the same fix as the note it replaces: search back past
        # that note's own revision, down to the note before it.
        own_stop = previous_note_revision(
            tx, article, new.number, exclude=_supersede_chain(tx, article, previous)
        )
        cid = _record_note(
            tx,
            article,
            new,
            new_note,
            previous.id if previous else None,
            link_history(tx, revisions, new.number, stop_at=own_stop, first=own),
            revisions,
            actor,
            fallback=previous,
        )
        added.append(cid)
    removed: list[int] = []
    for note in changes.removed:
        gone = existing.get(note.text)
        if gone is None:
            continue
        tx.add_state(
            gone.id, "removed", revision_id=new.id, reason="note no longer in the text", actor=actor
        )
        tx.append_event(
            "correction.removed",
            actor=actor,
            chain=article.key,
            article_id=article.id,
            revision_id=new.id,
            correction_id=gone.id,
            payload={"revision": new.number},
        )
        removed.append(gone.id)
    return added, removed


def _returning(note: Note, gone: Sequence[CorrectionRecord]) -> CorrectionRecord | None:
    """The removed note of this article that ``note`` brings back, if any (most alike first)."""
    best: tuple[float, CorrectionRecord] | None = None
    for record in gone:
        if record.kind != note.kind:
            continue
        earlier = Note(kind=note.kind, label=record.label, text=record.text, start=0, end=0)
        similarity = note_similarity(earlier, note)
        if similarity >= RETURN_SIMILARITY and (best is None or similarity > best[0]):
            best = (similarity, record)
    return best[1] if best else None


def _same_words(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _record_return(
    tx: Tx, article: ArticleRecord, new: RevisionRecord, back: CorrectionRecord, actor: str
) -> None:
    tx.add_state(
        back.id, "returned", revision_id=new.id, reason="note back in the text", actor=actor
    )
    tx.append_event(
        "correction.returned",
        actor=actor,
        chain=article.key,
        article_id=article.id,
        revision_id=new.id,
        correction_id=back.id,
        payload={"revision": new.number},
    )


def _record_note(
    tx: Tx,
    article: ArticleRecord,
    new: RevisionRecord,
    note: Note,
    supersedes: int | None,
    history: Sequence[RevisionChanges],
    revisions: Sequence[RevisionRecord],
    actor: str,
    fallback: CorrectionRecord | None = None,
) -> int:
    cid = tx.add_correction(
        article_id=article.id,
        kind=note.kind,
        label=note.label,
        text=note.text,
        printed_date=note.printed_date,
        origin="detected",
        disclosed_revision_id=new.id,
        supersedes_id=supersedes,
        actor=actor,
    )
    tx.append_event(
        "correction.detected" if supersedes is None else "correction.amended",
        actor=actor,
        chain=article.key,
        article_id=article.id,
        revision_id=new.id,
        correction_id=cid,
        payload={
            "kind": note.kind,
            "label": note.label,
            "text": note.text,
            "supersedes": supersedes,
            "revision": new.number,
        },
    )
    found = link(note, new.number, history)
    if not found.matched and fallback is not None and fallback.link and fallback.link.matched:
        # The amended wording no longer matches on its own: it still discloses the fix the
        # note it replaces was linked to, so keep that link (marked as inherited).
        inherited = fallback.link
        rows = inherited.evidence
        found = Link(
            fixing_revision=inherited.fixing_revision or new.number,
            confidence=inherited.confidence,
            evidence=tuple(evidence_from_row(e) for e in rows),
            matched=True,
            runner_up=evidence_from_row(rows[0]["runner_up"])
            if rows and isinstance(rows[0].get("runner_up"), dict)
            else None,
        )
    full = [*revisions[: new.number - 1], new]
    store_link(tx, cid, found, full, actor)
    log_link(tx, article, cid, found, actor, revision_id=new.id)
    return cid


def log_link(
    tx: Tx,
    article: ArticleRecord,
    cid: int,
    found: Link,
    actor: str,
    *,
    revision_id: int | None = None,
) -> None:
    """The event that records a link verdict."""
    tx.append_event(
        "correction.linked",
        actor=actor,
        chain=article.key,
        article_id=article.id,
        revision_id=revision_id,
        correction_id=cid,
        payload={
            "fixing_revision": found.fixing_revision,
            "confidence": found.confidence,
            "matched": found.matched,
            "linker": linker_version(),
        },
    )
