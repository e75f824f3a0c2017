"""Audit and blame over stored histories.

An article's audit needs every revision's text and the diff against its parent; we rebuild
them one article at a time (texts come back from the codec in microseconds, diffs in
milliseconds), so a whole-database audit runs in memory bounded by the largest article.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import cast

from revtrack.audit import (
    ALL_OUTLETS,
    ArticleSummary,
    AuditReport,
    BlameEntry,
    DisclosedFix,
    Finding,
    LinkedNote,
    MinorEdit,
    OutletAggregator,
    VanishedNote,
    blame_with_changes,
    disclosed_fixes,
    find_undisclosed,
    minor_edits,
    severity_at_least,
    summarize_article,
)
from revtrack.audit.remap import hunk_map
from revtrack.corrections.detect import detect_notes
from revtrack.corrections.model import Note, NoteKind, RevisionChanges
from revtrack.diff import diff_texts
from revtrack.records import DerivationRecord
from revtrack.service.readings import read_history
from revtrack.store import ArticleRecord, CorrectionRecord, RevisionRecord, Tx

HunkRef = tuple[int, int]
"""(revision number, hunk index), as a link's evidence names a hunk."""


@dataclass(frozen=True)
class ArticleAudit:
    article: ArticleRecord
    revisions: list[RevisionRecord]
    findings: list[Finding]
    fixes: list[DisclosedFix]
    vanished: list[VanishedNote]
    summary: ArticleSummary
    minor: list[MinorEdit] = field(default_factory=list)
    # revision number -> the re-derived text the audit read for it (none: all as fetched)
    derived: dict[int, DerivationRecord] = field(default_factory=dict)


@dataclass(frozen=True)
class BlameLine:
    entry: BlameEntry
    corrections: tuple[int, ...]  # ids of corrections linked to a hunk that touched it


@dataclass(frozen=True)
class History:
    revisions: list[RevisionRecord]
    texts: list[str]
    changes: list[RevisionChanges]
    derived: dict[int, DerivationRecord] = field(default_factory=dict)  # by revision number
    # A link's hunk as fetched -> the same change among ``changes`` (None: not in them).
    remap: Callable[[HunkRef], HunkRef | None] | None = None

    def hunk(self, ref: HunkRef) -> HunkRef | None:
        return ref if self.remap is None else self.remap(ref)


def load_history(
    tx: Tx, article: ArticleRecord, upto: int | None = None, *, as_fetched: bool = False
) -> History:
    """Every revision (to ``upto``) as it reads (:mod:`revtrack.service.readings`) and the
    diff of each against its parent. Links were made on the texts as fetched: when any text
    reads re-derived, the history says where each linked hunk is now (:meth:`History.hunk`)."""
    revisions = tx.revisions(article.id)
    if upto is not None:
        revisions = revisions[:upto]
    readings = read_history(tx, revisions, as_fetched=as_fetched)
    texts = [r.text for r in readings]
    changes = [
        RevisionChanges(
            number=revisions[i].number,
            diff=diff_texts(texts[i - 1], texts[i]),
            old_title=readings[i - 1].title or "",
            new_title=readings[i].title or "",
        )
        for i in range(1, len(revisions))
    ]
    derived = {r.revision.number: r.derived for r in readings if r.derived is not None}
    if not derived:
        return History(revisions, texts, changes)
    maps: dict[int, dict[int, int]] = {}
    for i in range(1, len(readings)):
        if readings[i - 1].derived is None and readings[i].derived is None:
            continue  # the same two texts as fetched: the same hunks
        fetched = diff_texts(tx.load_text(revisions[i - 1].id), tx.load_text(revisions[i].id))
        maps[revisions[i].number] = hunk_map(fetched, changes[i - 1].diff)

    def remap(ref: HunkRef) -> HunkRef | None:
        number, index = ref
        if number not in maps or index < 0:  # untouched, or the headline (no hunk)
            return ref
        moved = maps[number].get(index)
        return None if moved is None else (number, moved)

    return History(revisions, texts, changes, derived, remap)


def linked_notes(
    records: Sequence[CorrectionRecord],
    hunk: Callable[[HunkRef], HunkRef | None] | None = None,
) -> list[LinkedNote]:
    """The corrections that count as disclosures: not retracted, not superseded; ``hunk``
    finds each linked hunk in the diffs being audited (see :meth:`History.hunk`)."""
    notes = []
    for c in records:
        if c.status in {"retracted", "superseded"} or c.link is None:
            continue
        refs = [(int(e["revision"]), int(e["hunk_index"])) for e in c.link.evidence]
        found = [r for r in (refs if hunk is None else map(hunk, refs)) if r is not None]
        notes.append(
            LinkedNote(
                correction_id=c.id,
                kind=cast(NoteKind, c.kind),
                fixing_revision=c.link.fixing_revision or c.disclosed_revision or 0,
                disclosing_revision=c.disclosed_revision,
                hunks=tuple(dict.fromkeys(found)),
                matched=c.link.matched,
                text=c.text,
            )
        )
    return notes


def audit_article(
    tx: Tx,
    article: ArticleRecord,
    *,
    since: datetime | None = None,
    min_severity: str | None = None,
    as_fetched: bool = False,
) -> ArticleAudit:
    history = load_history(tx, article, as_fetched=as_fetched)
    records = tx.corrections(article.id)
    links = linked_notes(records, history.hunk)
    times = {r.number: r.captured_at for r in history.revisions}
    spans = {
        r.number: [(n.start, n.end) for n in detect_notes(text)]
        for r, text in zip(history.revisions, history.texts, strict=True)
    }
    findings = find_undisclosed(history.changes, links, spans)
    if since is not None:
        findings = [f for f in findings if times.get(f.revision, since) >= since]
    if min_severity:
        keep = severity_at_least(min_severity)
        findings = [f for f in findings if keep(f)]
    vanished = [
        VanishedNote(
            revision=s.revision,
            note=Note(kind=cast(NoteKind, c.kind), label=c.label, text=c.text, start=0, end=0),
            first_seen=c.disclosed_revision,
        )
        for c in records
        for s in c.states
        if s.state == "removed" and s.revision is not None
    ]
    summary = summarize_article(
        article.key,
        history.changes,
        links,
        outlet=article.outlet or "",
        revisions=len(history.revisions),
        revision_times=times,
        vanished=len(vanished),
        note_spans=spans,
    )
    return ArticleAudit(
        article=article,
        revisions=history.revisions,
        findings=findings,
        fixes=disclosed_fixes(links, times),
        vanished=vanished,
        summary=summary,
        minor=minor_edits(history.changes),
        derived=history.derived,
    )


def blame_revision(
    tx: Tx, article: ArticleRecord, upto: int, *, as_fetched: bool = False
) -> list[BlameLine]:
    history = load_history(tx, article, upto, as_fetched=as_fetched)
    entries = blame_with_changes(
        history.texts, history.changes, [r.number for r in history.revisions]
    )
    by_hunk: dict[tuple[int, int], list[int]] = {}
    for c in tx.corrections(article.id):
        if c.link is None or not c.link.matched or c.status == "retracted":
            continue
        for e in c.link.evidence:
            ref = history.hunk((int(e["revision"]), int(e["hunk_index"])))
            if ref is not None:
                by_hunk.setdefault(ref, []).append(c.id)
    return [
        BlameLine(
            entry, tuple(dict.fromkeys(cid for h in entry.hunks for cid in by_hunk.get(h, [])))
        )
        for entry in entries
    ]


class AuditTotals:
    """Running per-outlet and overall figures for a streamed audit (memory: one counter set
    per outlet, whatever the number of articles)."""

    def __init__(self) -> None:
        self._outlets: dict[str, OutletAggregator] = {}
        self._total = OutletAggregator(ALL_OUTLETS)

    def add(self, summary: ArticleSummary) -> None:
        if summary.outlet not in self._outlets:
            self._outlets[summary.outlet] = OutletAggregator(summary.outlet)
        self._outlets[summary.outlet].add(summary)
        self._total.add(summary)

    def report(self) -> AuditReport:
        return AuditReport(
            tuple(self._outlets[name].summary() for name in sorted(self._outlets)),
            self._total.summary(),
        )
