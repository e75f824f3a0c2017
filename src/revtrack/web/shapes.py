"""Service results as plain dicts, shared by the JSON API and the page templates.

Corrections and audits reuse the CLI's ``--format json`` shapes (imported, not copied), so
``revtrack corrections --format json`` and ``/api/articles/KEY/corrections`` never drift
apart. Articles and revisions are shaped here because the CLI builds those inline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from revtrack.records import ArticleRecord, RevisionRecord
from revtrack.service.corrections import CorrectionView
from revtrack.service.shapes import (
    audit_dict,
    blame_dict,
    correction_dict,
    diff_header,
    iso_json,
)
from revtrack.service.shapes import lag_text as lag

__all__ = [
    "TimelineRow",
    "article_dict",
    "audit_dict",
    "blame_dict",
    "correction_dict",
    "counted",
    "diff_header",
    "iso_json",
    "lag",
    "revision_dict",
    "timeline_rows",
]


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
