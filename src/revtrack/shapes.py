"""Records and service results as JSON-able dicts: the one shape of each, for every face.

The CLI's ``--format json``, the web API under ``/api/`` and the web pages' templates all print
these dicts, and the text and CSV listings of :mod:`revtrack.render.listings` are rendered from
them too, so a field is named, typed and ordered in one function here and the faces cannot
drift apart. Times are ISO 8601 UTC to the second with a ``Z``. Diffs keep their own versioned
schema (``revtrack.diff/1``, :func:`revtrack.render.diff_to_dict`); :func:`diff_dict` only fills
in its header.

This module sits above the service layer (it names service results) and below the faces. It
imports nothing heavy when loaded: the CLI's start-up stays light, and the diff renderers load
only when a diff is shaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from revtrack.diff.model import GRANULARITIES, Granularity
from revtrack.records import (
    ArticleRecord,
    CorrectionRecord,
    DerivationRecord,
    EventRecord,
    HostRecord,
    RevisionRecord,
    WatchRecord,
)

if TYPE_CHECKING:
    from revtrack.audit import AuditReport, OutletSummary
    from revtrack.records import CorrectionView, RelinkChange
    from revtrack.render.header import DiffHeader
    from revtrack.service.auditing import ArticleAudit, BlameLine
    from revtrack.service.results import DiffResult, IngestResult
    from revtrack.service.watch.service import PassSummary, Seen, WatchStatus

__all__ = [
    "GRANULARITIES",
    "Granularity",
    "TimelineRow",
    "article_dict",
    "audit_dict",
    "audit_report_dict",
    "blame_dict",
    "correction_dict",
    "counted",
    "derivation_dict",
    "diff_dict",
    "diff_header",
    "host_dict",
    "ingest_dict",
    "iso_json",
    "log_rows",
    "pass_dict",
    "relink_dict",
    "revision_dict",
    "seen_dict",
    "shown_dict",
    "summary_dict",
    "timeline_rows",
    "watch_dict",
    "watch_event_dict",
    "watch_status_dict",
]


def iso_json(value: Any) -> str | None:
    return None if value is None else value.isoformat(timespec="seconds") + "Z"


# -- articles and revisions -------------------------------------------------------------------
def article_dict(a: ArticleRecord) -> dict[str, Any]:
    return {
        "key": a.key,
        "title": a.title,
        "url": a.url,
        "outlet": a.outlet,
        "revisions": a.revisions,
        "corrections": a.corrections,
        "first_at": iso_json(a.first_at),
        "latest_at": iso_json(a.latest_at),
    }


def counted(
    article: ArticleRecord, revisions: Sequence[RevisionRecord], corrections: int
) -> ArticleRecord:
    """The article with the counts and times its log shows (a bare lookup leaves them empty)."""
    return replace(
        article,
        revisions=len(revisions),
        corrections=corrections,
        first_at=revisions[0].captured_at if revisions else None,
        latest_at=revisions[-1].captured_at if revisions else None,
    )


def revision_dict(r: RevisionRecord) -> dict[str, Any]:
    """A revision without its text (``show`` and the API's revision route add the text)."""
    return {
        "number": r.number,
        "label": r.label,
        "captured_at": iso_json(r.captured_at),
        "ingested_at": iso_json(r.ingested_at),
        "source": r.source,
        "source_kind": r.source_kind,
        "title": r.title,
        "byline": r.byline,
        "chars": r.chars,
        "words": r.words,
        "words_added": r.words_added,
        "words_removed": r.words_removed,
        "hunks": r.hunks,
        "substantive_hunks": r.substantive_hunks,
        "hunks_by_kind": dict(r.stats.get("hunks_by_kind", {})),
        "revert_of": r.revert_of,
        "content_hash": r.content_hash,
    }


def derivation_dict(d: DerivationRecord | None) -> dict[str, Any] | None:
    """A re-derived text (`reextract`) as the faces name it: when, by which extractor and
    rules, and how many re-derivations the revision has (this the newest); None: the text is
    the one fetched."""
    if d is None:
        return None
    return {
        "at": iso_json(d.created_at),
        "extractor": d.extractor,
        "rules": {k: list(v) if isinstance(v, list | tuple) else v for k, v in d.rules.items()},
        "actor": d.actor,
        "title": d.title,
        "chars": d.chars,
        "content_hash": d.content_hash,
        "derivations": d.count,
    }


def shown_dict(
    r: RevisionRecord, text: str, derived: DerivationRecord | None = None
) -> dict[str, Any]:
    """`show --format json`: the revision, the text shown and the re-derivation it is."""
    return {
        "article": r.article_key,
        "revision": revision_dict(r),
        "text": text,
        "derived": derivation_dict(derived),
    }


def log_rows(
    revisions: Sequence[RevisionRecord],
    corrections: Sequence[CorrectionRecord | CorrectionView],
) -> list[dict[str, Any]]:
    """The timeline: each revision, with the notes it was the first to show (``kind #id``)."""
    notes: dict[int, list[str]] = {}
    for c in corrections:
        record = _record(c)
        if record.disclosed_revision is not None:
            notes.setdefault(record.disclosed_revision, []).append(f"{record.kind} #{record.id}")
    return [{**revision_dict(r), "notes": notes.get(r.number, [])} for r in revisions]


# -- corrections ------------------------------------------------------------------------------
def _record(c: CorrectionRecord | CorrectionView) -> CorrectionRecord:
    return c if isinstance(c, CorrectionRecord) else c.record


def _evidence_row(row: dict[str, Any]) -> dict[str, Any]:
    """A stored evidence row with its corrected phrase spelled out (``phrase``: the sentence as
    the fix left it; as it was, for a deletion). Rows of older linkers have no context: their
    phrase is the changed words alone."""
    shaped = {k: v for k, v in row.items() if k != "runner_up"}
    middle = row.get("new") or row.get("old") or ""
    shaped["phrase"] = f"{row.get('before', '')}{middle}{row.get('after', '')}".strip()
    return shaped


def _runner_up(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The change the linker weighed the chosen one against (stored on the first row)."""
    found = rows[0].get("runner_up") if rows else None
    return _evidence_row(found) if isinstance(found, dict) else None


def correction_dict(c: CorrectionRecord | CorrectionView) -> dict[str, Any]:
    """A note with its link and states; ``lag_seconds`` is known only from a view's times."""
    record = _record(c)
    link = record.link
    return {
        "id": record.id,
        "article": record.article_key,
        "kind": record.kind,
        "label": record.label,
        "text": record.text,
        "printed_date": record.printed_date,
        "origin": record.origin,
        "status": record.status,
        "disclosed_revision": record.disclosed_revision,
        "fixing_revision": link.fixing_revision if link else None,
        "matched": link.matched if link else False,
        "confidence": link.confidence if link else None,
        "lag_seconds": None if isinstance(c, CorrectionRecord) else c.lag_seconds,
        "supersedes": record.supersedes_id,
        "superseded_by": record.superseded_by,
        "states": [
            {
                "state": s.state,
                "revision": s.revision,
                "reason": s.reason,
                "actor": s.actor,
                "at": iso_json(s.created_at),
            }
            for s in record.states
        ],
        "evidence": [_evidence_row(e) for e in link.evidence] if link else [],
        "runner_up": _runner_up(link.evidence) if link else None,
        "actor": record.actor,
        "created_at": iso_json(record.created_at),
        "linker_version": link.linker_version if link else None,
    }


def relink_dict(c: RelinkChange) -> dict[str, Any]:
    return {
        "correction": c.correction_id,
        "article": c.article_key,
        "old_fixing_revision": c.old_fixing,
        "new_fixing_revision": c.new_fixing,
        "old_confidence": c.old_confidence,
        "new_confidence": c.new_confidence,
        "changed": c.changed,
    }


def ingest_dict(result: IngestResult) -> dict[str, Any]:
    return {
        "article": result.key,
        "status": result.status,
        "source": result.source,
        "revision": revision_dict(result.revision),
        "words_added": result.words_added,
        "words_removed": result.words_removed,
        "notes_added": list(result.notes_added),
    }


# -- audit and blame --------------------------------------------------------------------------
def audit_dict(a: ArticleAudit) -> dict[str, Any]:
    times = {r.number: r.captured_at for r in a.revisions}
    return {
        "article": a.article.key,
        "outlet": a.article.outlet,
        "undisclosed": [
            {
                "revision": f.revision,
                "captured_at": iso_json(times.get(f.revision)),
                "hunk": f.hunk_index,
                "op": f.op,
                "kinds": list(f.kinds),
                "severity": f.severity,
                "old": f.old,
                "new": f.new,
                "reason": f.reason,
            }
            for f in a.findings
        ],
        "disclosed_fixes": [
            {
                "correction": f.correction_id,
                "kind": f.kind,
                "fixing_revision": f.fixing_revision,
                "disclosing_revision": f.disclosing_revision,
                "lag_seconds": f.lag_seconds,
                "status": f.status,
            }
            for f in a.fixes
        ],
        "vanished_notes": [
            {"revision": v.revision, "first_seen": v.first_seen, "text": v.note.text}
            for v in a.vanished
        ],
        "minor_edits": [
            {
                "revision": m.revision,
                "hunk": m.hunk_index,
                "kind": m.kind,
                "old": m.old,
                "new": m.new,
            }
            for m in a.minor
        ],
        "summary": summary_dict(a.summary),
        "derived": [
            {"revision": number, **(derivation_dict(d) or {})}
            for number, d in sorted(a.derived.items())
        ],
    }


def summary_dict(s: Any) -> dict[str, Any]:
    return {
        "revisions": s.revisions,
        "substantive_edits": s.substantive_edits,
        "disclosed": s.disclosed,
        "undisclosed": s.undisclosed,
        "undisclosed_by_severity": dict(s.undisclosed_by_severity),
        "share_disclosed": s.share_disclosed,
        "corrections": s.corrections,
        "unmatched_corrections": s.unmatched_corrections,
        "vanished_notes": s.vanished_notes,
        "median_lag_seconds": s.median_lag_seconds,
    }


def audit_report_dict(report: AuditReport) -> dict[str, Any]:
    """A whole-database audit's per-outlet and overall figures (flat rows, as in CSV)."""

    def row(o: OutletSummary) -> dict[str, Any]:
        return dict(o.as_row())

    return {"outlets": [row(o) for o in report.outlets], "total": row(report.total)}


def blame_dict(revision: RevisionRecord, lines: Sequence[BlameLine]) -> dict[str, Any]:
    return {
        "article": revision.article_key,
        "revision": revision.number,
        "sentences": [
            {
                "start": b.entry.start,
                "end": b.entry.end,
                "text": b.entry.text,
                "origin": b.entry.origin,
                "last_changed": b.entry.last_changed,
                "changed_in": list(b.entry.changed_in),
                "corrections": list(b.corrections),
            }
            for b in lines
        ],
    }


# -- diffs ------------------------------------------------------------------------------------
def diff_header(result: DiffResult) -> DiffHeader:
    """What the diff renderers print about the two revisions."""
    from revtrack.render.header import DiffHeader, RevisionInfo

    def info(r: RevisionRecord, title: str | None, d: DerivationRecord | None) -> RevisionInfo:
        return RevisionInfo(
            label=r.label,
            number=r.number,
            captured_at=iso_json(r.captured_at),
            title=title,
            derived=derivation_dict(d),
        )

    return DiffHeader(
        result.article.key,
        info(result.old, result.old_title, result.old_derived),
        info(result.new, result.new_title, result.new_derived),
    )


def diff_dict(result: DiffResult) -> dict[str, Any]:
    """The ``revtrack.diff/1`` document of a diff of two revisions."""
    from revtrack.render.json_output import diff_to_dict

    return diff_to_dict(result.diff, diff_header(result))


# -- the web timeline -------------------------------------------------------------------------
@dataclass(frozen=True)
class TimelineRow:
    """One revision as the timeline shows it, with the notes it disclosed and the fixes it made."""

    revision: RevisionRecord
    kinds: list[tuple[str, int]]
    title_changed: bool
    disclosed: list[dict[str, Any]] = field(default_factory=list)
    fixed: list[dict[str, Any]] = field(default_factory=list)


def timeline_rows(
    revisions: Sequence[RevisionRecord], corrections: Sequence[CorrectionView]
) -> list[TimelineRow]:
    notes = [correction_dict(v) for v in corrections]
    rows = []
    previous_title: str | None = None
    for r in revisions:
        by_kind = r.stats.get("hunks_by_kind", {})
        kinds = sorted((k, int(n)) for k, n in by_kind.items() if k != "cosmetic")
        rows.append(
            TimelineRow(
                revision=r,
                kinds=kinds or ([("cosmetic", int(by_kind["cosmetic"]))] if by_kind else []),
                title_changed=r.number > 1 and (r.title or "") != (previous_title or ""),
                disclosed=[n for n in notes if n["disclosed_revision"] == r.number],
                fixed=[n for n in notes if n["matched"] and n["fixing_revision"] == r.number],
            )
        )
        previous_title = r.title
    return rows


# -- watching -------------------------------------------------------------------------------
def watch_dict(w: WatchRecord, now: datetime | None = None) -> dict[str, Any]:
    """A watched URL; with ``now``, also how many seconds until it is due (negative: overdue)."""
    d: dict[str, Any] = {
        "id": w.id,
        "kind": w.kind,
        "url": w.url,
        "host": w.host,
        "pattern": w.pattern or None,
        "state": w.state,
        "article": w.article_key,
        "parent": w.parent_id,
        "merged_into": w.merged_into,
        "every_seconds": w.every_s,
        "until_seconds": w.until_s,
        "first_seen": iso_json(w.born_at),
        "next_at": None if w.claim_token else iso_json(w.next_at),
        "fetching": w.claim_token is not None,
        "last_fetch_at": iso_json(w.last_fetch_at),
        "last_status": w.last_status,
        "last_result": w.last_result or None,
        "last_error": w.last_error or None,
        "last_change_at": iso_json(w.last_change_at),
        "changes": w.change_count,
        "fetches": w.fetch_count,
        "failures": w.fails,
    }
    if now is not None:
        due = None if w.claim_token or w.next_at is None else w.next_at - now
        d["due_in_seconds"] = None if due is None else round(due.total_seconds())
    return d


def host_dict(h: HostRecord) -> dict[str, Any]:
    return {
        "host": h.host,
        "concurrency": h.concurrency,
        "delay_seconds": h.delay_ms / 1000,
        "robots": h.robots,
        "skip": list(h.skip),
        "include": list(h.include),
        "remove": list(h.remove),
    }


def watch_event_dict(e: EventRecord) -> dict[str, Any]:
    return {"at": iso_json(e.at), "action": e.action, **e.payload}


def watch_status_dict(s: WatchStatus) -> dict[str, Any]:
    return {
        "now": iso_json(s.now),
        "states": dict(sorted(s.states.items())),
        "due": s.due,
        "next_due_in_seconds": None
        if s.next_due is None
        else round((s.next_due - s.now).total_seconds()),
        "failing": s.failing,
        "failing_watches": [watch_dict(w) for w in s.failing_list],
        "changed_since": iso_json(s.since),
        "changed": s.changed,
        "changed_watches": [watch_dict(w) for w in s.changed_list],
        "hosts": list(s.hosts),
    }


def seen_dict(item: Seen) -> dict[str, Any]:
    """One fetch of a pass, as progress output prints it."""
    return {
        "watch": item.watch.id,
        "kind": item.watch.kind,
        "url": item.watch.url,
        "result": item.result,
        "reason": item.reason or None,
        "error": item.error or None,
        "status": item.status,
        "article": item.key,
        "revision": item.revision,
        "notes": item.notes,
        "added": item.added,
        "words_added": item.words_added,
        "words_removed": item.words_removed,
    }


def pass_dict(summary: PassSummary) -> dict[str, Any]:
    c = summary.counts
    return {
        "fetched": summary.fetched,
        "seconds": round(summary.seconds, 1),
        "revisions": c["new"] + c["revert"],
        "notes": summary.notes,
        "unchanged": c["unchanged"] + c["not-modified"] + c["same-bytes"],
        "not_modified": c["not-modified"],
        "feeds": c["entries"],
        "added": summary.added,
        "skipped": c["skipped"],
        "failed": c["failed"] + c["robots"],
        "counts": dict(sorted(c.items())),
    }
