"""Corrections as users see them: listing with lags, adding by hand, superseding, retracting,
and relinking after the linker improves. Every step appends rows and events; none updates.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from revtrack.corrections.model import NOTE_KINDS, Note, NoteKind
from revtrack.errors import InvalidInput, UnknownCorrection
from revtrack.records import CorrectionView, RelinkChange
from revtrack.service.linking import (
    link,
    link_history,
    linker_version,
    log_link,
    previous_note_revision,
    store_link,
)
from revtrack.store import ArticleRecord, CorrectionRecord, RevisionRecord, Tx


def check_kind(kind: str) -> str:
    normalized = kind.lower().replace("'", "").replace("_", "-").replace(" ", "-")
    aliases = {
        "editors-note": "editors-note",
        "editor-note": "editors-note",
        "note": "editors-note",
    }
    normalized = aliases.get(normalized, normalized)
    if normalized not in NOTE_KINDS:
        raise InvalidInput(f"Unknown note kind {kind!r}.", f"Use one of: {', '.join(NOTE_KINDS)}.")
    return normalized


def views(tx: Tx, records: list[CorrectionRecord]) -> list[CorrectionView]:
    times: dict[tuple[str, int], datetime] = {}
    by_article: dict[str, int] = {}
    for record in records:
        if record.article_key not in by_article:
            article = tx.get_article(record.article_key)
            assert article is not None
            by_article[record.article_key] = article.id
            for revision in tx.revisions(article.id):
                times[(record.article_key, revision.number)] = revision.captured_at
    out = []
    for record in records:
        fixing = record.link.fixing_revision if record.link and record.link.matched else None
        out.append(
            CorrectionView(
                record=record,
                fixed_at=times.get((record.article_key, fixing)) if fixing else None,
                disclosed_at=times.get((record.article_key, record.disclosed_revision))
                if record.disclosed_revision
                else None,
            )
        )
    return out


def add_manual(
    tx: Tx,
    article: ArticleRecord,
    revision: RevisionRecord,
    text: str,
    kind: str,
    actor: str,
    *,
    supersedes: int | None = None,
) -> int:
    """A note a person adds: no disclosing revision; linked from ``revision`` back."""
    if not text.strip():
        raise InvalidInput("The note is empty.", "Give its text with --note.")
    kind = check_kind(kind)
    revisions = tx.revisions(article.id)
    cid = tx.add_correction(
        article_id=article.id,
        kind=kind,
        label="",
        text=text.strip(),
        printed_date="",
        origin="manual",
        disclosed_revision_id=None,
        supersedes_id=supersedes,
        actor=actor,
    )
    tx.append_event(
        "correction.added" if supersedes is None else "correction.superseded",
        actor=actor,
        chain=article.key,
        article_id=article.id,
        revision_id=revision.id,
        correction_id=cid,
        payload={
            "kind": kind,
            "text": text.strip(),
            "revision": revision.number,
            "supersedes": supersedes,
        },
    )
    _link_and_log(
        tx,
        article,
        revisions,
        cid,
        Note(
            kind=cast(NoteKind, kind),
            label="",
            text=text.strip(),
            start=0,
            end=0,
        ),
        revision.number,
        actor,
    )
    return cid


def _link_and_log(
    tx: Tx,
    article: ArticleRecord,
    revisions: list[RevisionRecord],
    cid: int,
    note: Note,
    upto: int,
    actor: str,
) -> None:
    stop_at = previous_note_revision(tx, article, upto)
    history = link_history(tx, revisions, upto, stop_at=stop_at)
    found = link(note, upto, history)
    store_link(tx, cid, found, revisions, actor)
    log_link(tx, article, cid, found, actor)


def get_one(tx: Tx, correction_id: int) -> CorrectionRecord:
    found = tx.corrections(ids=[correction_id])
    if not found:
        raise UnknownCorrection(f"No correction #{correction_id}.")
    return found[0]


def supersede(tx: Tx, correction_id: int, text: str, kind: str | None, actor: str) -> int:
    old = get_one(tx, correction_id)
    if old.status in {"superseded", "retracted"}:
        raise InvalidInput(
            f"Correction #{correction_id} is already {old.status}.",
            "Supersede the newest version of the note instead.",
        )
    article = tx.get_article(old.article_key)
    assert article is not None
    upto = old.link.fixing_revision if old.link and old.link.fixing_revision else None
    latest = tx.latest_revision(article.id)
    assert latest is not None
    revision = tx.revision(article.id, upto) if upto else latest
    assert revision is not None
    return add_manual(
        tx, article, revision, text, kind or old.kind, actor, supersedes=correction_id
    )


def retract(tx: Tx, correction_id: int, reason: str, actor: str) -> None:
    old = get_one(tx, correction_id)
    if not reason.strip():
        raise InvalidInput("A retraction needs a reason.", "Give it with --reason.")
    if old.status == "retracted":
        raise InvalidInput(f"Correction #{correction_id} is already retracted.")
    article = tx.get_article(old.article_key)
    assert article is not None
    tx.add_state(correction_id, "retracted", revision_id=None, reason=reason.strip(), actor=actor)
    tx.append_event(
        "correction.retracted",
        actor=actor,
        chain=article.key,
        article_id=article.id,
        correction_id=correction_id,
        payload={"reason": reason.strip()},
    )


def relink_article(tx: Tx, article: ArticleRecord, actor: str) -> list[RelinkChange]:
    """Link every note of the article again; append a link row only where the verdict moved."""
    revisions = tx.revisions(article.id)
    changes: list[RelinkChange] = []
    for record in tx.corrections(article.id):
        upto = record.disclosed_revision
        if upto is None:
            upto = (
                record.link.fixing_revision
                if record.link and record.link.fixing_revision
                else len(revisions)
            )
        note = Note(
            kind=cast(NoteKind, record.kind),
            label=record.label,
            text=record.text,
            start=0,
            end=0,
            printed_date=record.printed_date,
        )
        stop_at = previous_note_revision(tx, article, upto)
        found = link(note, upto, link_history(tx, revisions, upto, stop_at=stop_at))
        old = record.link
        changed = (
            old is None
            or old.fixing_revision != found.fixing_revision
            or old.matched != found.matched
            or abs(old.confidence - found.confidence) > 1e-3
            or old.linker_version != linker_version()
        )
        if changed:
            store_link(tx, record.id, found, revisions, actor)
            tx.append_event(
                "correction.relinked",
                actor=actor,
                chain=article.key,
                article_id=article.id,
                correction_id=record.id,
                payload={
                    "from": old.fixing_revision if old else None,
                    "to": found.fixing_revision,
                    "confidence": found.confidence,
                    "linker": linker_version(),
                },
            )
        changes.append(
            RelinkChange(
                correction_id=record.id,
                article_key=article.key,
                old_fixing=old.fixing_revision if old else None,
                new_fixing=found.fixing_revision,
                old_confidence=old.confidence if old else None,
                new_confidence=found.confidence,
                changed=changed,
            )
        )
    return changes
