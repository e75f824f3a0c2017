"""Pure audit logic: undisclosed edits, disclosure lags, vanished notes, summaries, blame.

Everything here takes plain values (texts, :class:`~revtrack.corrections.model.RevisionChanges`,
:class:`LinkedNote`) and returns dataclasses; the service layer loads them from the store.
"""

from __future__ import annotations

from revtrack.audit.blame import (
    SIMILAR_ENOUGH,
    BlameEntry,
    Touch,
    attach_hunks,
    blame,
    blame_with_changes,
    linked_corrections,
    similarity,
)
from revtrack.audit.notes import DisclosedFix, VanishedNote, disclosed_fixes, vanished_notes
from revtrack.audit.summary import (
    ALL_OUTLETS,
    ArticleSummary,
    AuditReport,
    OutletAggregator,
    OutletSummary,
    merge_summaries,
    summarize,
    summarize_article,
)
from revtrack.audit.undisclosed import (
    HEADLINE_HUNK,
    SEVERITIES,
    Finding,
    HunkVerdict,
    LinkedNote,
    MinorEdit,
    Severity,
    audit_hunks,
    find_undisclosed,
    grade,
    minor_edits,
    severity_at_least,
)

__all__ = [
    "ALL_OUTLETS",
    "HEADLINE_HUNK",
    "SEVERITIES",
    "SIMILAR_ENOUGH",
    "ArticleSummary",
    "AuditReport",
    "BlameEntry",
    "DisclosedFix",
    "Finding",
    "HunkVerdict",
    "LinkedNote",
    "MinorEdit",
    "OutletAggregator",
    "OutletSummary",
    "Severity",
    "Touch",
    "VanishedNote",
    "attach_hunks",
    "audit_hunks",
    "blame",
    "blame_with_changes",
    "disclosed_fixes",
    "find_undisclosed",
    "grade",
    "linked_corrections",
    "merge_summaries",
    "minor_edits",
    "severity_at_least",
    "similarity",
    "summarize",
    "summarize_article",
    "vanished_notes",
]
