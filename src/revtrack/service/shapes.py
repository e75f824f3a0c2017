"""Service results as plain dicts and strings: the one shape the CLI's ``--format json`` and
the web API share, so the two never drift apart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # kept out of the CLI's start-up: these pull in the diff engine
    from collections.abc import Sequence

    from revtrack.records import RevisionRecord
    from revtrack.render.header import DiffHeader
    from revtrack.service.auditing import ArticleAudit, BlameLine
    from revtrack.service.corrections import CorrectionView
    from revtrack.service.results import DiffResult


def iso_json(value: Any) -> str | None:
    return None if value is None else value.isoformat(timespec="seconds") + "Z"


def lag_text(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 60:
        return f"{seconds:.0f}s"
    if seconds < 3600:
        return f"{seconds / 60:.0f}m"
    if seconds < 86400:
        return f"{seconds / 3600:.1f}h"
    return f"{seconds / 86400:.1f}d"


def correction_dict(view: CorrectionView) -> dict[str, Any]:
    c = view.record
    link = c.link
    return {
        "id": c.id,
        "article": c.article_key,
        "kind": c.kind,
        "label": c.label,
        "text": c.text,
        "printed_date": c.printed_date,
        "origin": c.origin,
        "status": c.status,
        "disclosed_revision": c.disclosed_revision,
        "fixing_revision": link.fixing_revision if link else None,
        "matched": link.matched if link else False,
        "confidence": link.confidence if link else None,
        "lag_seconds": view.lag_seconds,
        "supersedes": c.supersedes_id,
        "superseded_by": c.superseded_by,
        "states": [
            {
                "state": s.state,
                "revision": s.revision,
                "reason": s.reason,
                "actor": s.actor,
                "at": iso_json(s.created_at),
            }
            for s in c.states
        ],
        "evidence": link.evidence if link else [],
        "actor": c.actor,
        "created_at": iso_json(c.created_at),
        "linker_version": link.linker_version if link else None,
    }


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
        "summary": summary_dict(a.summary),
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


def diff_header(result: DiffResult) -> DiffHeader:
    from revtrack.render.header import DiffHeader, RevisionInfo

    def info(r: Any) -> RevisionInfo:
        return RevisionInfo(
            label=r.label,
            number=r.number,
            captured_at=r.captured_at.isoformat(timespec="seconds") + "Z",
            title=r.title,
        )

    return DiffHeader(result.article.key, info(result.old), info(result.new))


def blame_dict(revision: RevisionRecord, lines: Sequence[BlameLine]) -> dict[str, Any]:
    """The shape of ``revtrack blame --format json``."""
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
