"""The figures a standards desk puts in a report, per article and per outlet.

The service streams the database one article at a time: it builds an :class:`ArticleSummary`
from that article's changes and links (small, a few counts and one lag per correction), then
drops the article and feeds the summary to an :class:`OutletAggregator`. The aggregators keep
only counts and the lag list, so a whole-database audit runs in memory bounded by the number of
corrections, not of revisions. Medians need every lag; they are floats, a few bytes each.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from statistics import median

from revtrack.audit.notes import disclosed_fixes
from revtrack.audit.undisclosed import SEVERITIES, LinkedNote, Span, audit_hunks
from revtrack.corrections.model import RevisionChanges

ALL_OUTLETS = "(all)"


@dataclass(frozen=True)
class ArticleSummary:
    """One article's audit in counts. ``lags`` holds one lag (seconds) per dated correction."""

    article: str
    outlet: str = ""
    revisions: int = 0
    substantive_edits: int = 0
    disclosed: int = 0
    undisclosed: int = 0
    undisclosed_by_severity: Mapping[str, int] = field(default_factory=dict)
    corrections: int = 0
    unmatched_corrections: int = 0
    vanished_notes: int = 0
    lags: tuple[float, ...] = ()

    @property
    def share_disclosed(self) -> float | None:
        return _share(self.disclosed, self.substantive_edits)

    @property
    def median_lag_seconds(self) -> float | None:
        return median(self.lags) if self.lags else None


@dataclass(frozen=True)
class OutletSummary:
    """The same figures summed over an outlet's articles, with per-article rates."""

    outlet: str
    articles: int
    articles_with_undisclosed: int
    revisions: int
    substantive_edits: int
    disclosed: int
    undisclosed: int
    undisclosed_by_severity: Mapping[str, int]
    corrections: int
    unmatched_corrections: int
    vanished_notes: int
    median_lag_seconds: float | None

    @property
    def share_disclosed(self) -> float | None:
        return _share(self.disclosed, self.substantive_edits)

    @property
    def undisclosed_per_article(self) -> float | None:
        return _share(self.undisclosed, self.articles)

    @property
    def corrections_per_article(self) -> float | None:
        return _share(self.corrections, self.articles)

    def as_row(self) -> dict[str, str | int | float | None]:
        """A flat row for CSV and JSON output, severities as ``undisclosed_high`` etc."""
        row: dict[str, str | int | float | None] = {
            "outlet": self.outlet,
            "articles": self.articles,
            "articles_with_undisclosed": self.articles_with_undisclosed,
            "revisions": self.revisions,
            "substantive_edits": self.substantive_edits,
            "disclosed": self.disclosed,
            "undisclosed": self.undisclosed,
        }
        for level in reversed(SEVERITIES):
            row[f"undisclosed_{level}"] = self.undisclosed_by_severity.get(level, 0)
        row.update(
            share_disclosed=self.share_disclosed,
            undisclosed_per_article=self.undisclosed_per_article,
            corrections=self.corrections,
            unmatched_corrections=self.unmatched_corrections,
            corrections_per_article=self.corrections_per_article,
            median_lag_seconds=self.median_lag_seconds,
            vanished_notes=self.vanished_notes,
        )
        return row


def summarize_article(
    article: str,
    changes: Sequence[RevisionChanges],
    links: Sequence[LinkedNote],
    *,
    outlet: str = "",
    revisions: int | None = None,
    revision_times: Mapping[int, datetime] | None = None,
    vanished: int = 0,
    note_spans: Mapping[int, Sequence[Span]] | None = None,
) -> ArticleSummary:
    """Audit one article and keep only its counts.

    ``revisions`` defaults to one more than the number of changes (v1 has no parent);
    ``vanished`` is ``len(vanished_notes(...))`` for the article.
    """
    substantive = disclosed = 0
    by_severity: dict[str, int] = {}
    for verdict in audit_hunks(changes, links, note_spans):
        substantive += 1
        if verdict.finding is None:
            disclosed += 1
        else:
            level = verdict.finding.severity
            by_severity[level] = by_severity.get(level, 0) + 1
    fixes = disclosed_fixes(links, revision_times)
    return ArticleSummary(
        article=article,
        outlet=outlet,
        revisions=len(changes) + 1 if revisions is None else revisions,
        substantive_edits=substantive,
        disclosed=disclosed,
        undisclosed=substantive - disclosed,
        undisclosed_by_severity=by_severity,
        corrections=len(fixes),
        unmatched_corrections=sum(f.status == "no-matching-change" for f in fixes),
        vanished_notes=vanished,
        lags=tuple(f.lag_seconds for f in fixes if f.lag_seconds is not None),
    )


class OutletAggregator:
    """Running totals for one outlet (or all of them): add article summaries, read a summary."""

    def __init__(self, outlet: str) -> None:
        self.outlet = outlet
        self.articles = 0
        self.articles_with_undisclosed = 0
        self.revisions = 0
        self.substantive_edits = 0
        self.disclosed = 0
        self.undisclosed = 0
        self.by_severity: dict[str, int] = {}
        self.corrections = 0
        self.unmatched_corrections = 0
        self.vanished_notes = 0
        self.lags: list[float] = []

    def add(self, summary: ArticleSummary) -> None:
        self.articles += 1
        self.articles_with_undisclosed += summary.undisclosed > 0
        self.revisions += summary.revisions
        self.substantive_edits += summary.substantive_edits
        self.disclosed += summary.disclosed
        self.undisclosed += summary.undisclosed
        for level, count in summary.undisclosed_by_severity.items():
            self.by_severity[level] = self.by_severity.get(level, 0) + count
        self.corrections += summary.corrections
        self.unmatched_corrections += summary.unmatched_corrections
        self.vanished_notes += summary.vanished_notes
        self.lags.extend(summary.lags)

    def summary(self) -> OutletSummary:
        return OutletSummary(
            outlet=self.outlet,
            articles=self.articles,
            articles_with_undisclosed=self.articles_with_undisclosed,
            revisions=self.revisions,
            substantive_edits=self.substantive_edits,
            disclosed=self.disclosed,
            undisclosed=self.undisclosed,
            undisclosed_by_severity=dict(self.by_severity),
            corrections=self.corrections,
            unmatched_corrections=self.unmatched_corrections,
            vanished_notes=self.vanished_notes,
            median_lag_seconds=median(self.lags) if self.lags else None,
        )


@dataclass(frozen=True)
class AuditReport:
    """Per-outlet summaries (sorted by outlet) and the total over all of them."""

    outlets: tuple[OutletSummary, ...]
    total: OutletSummary


def merge_summaries(summaries: Iterable[ArticleSummary]) -> AuditReport:
    """Fold article summaries (a stream is fine) into per-outlet and overall figures."""
    by_outlet: dict[str, OutletAggregator] = {}
    total = OutletAggregator(ALL_OUTLETS)
    for summary in summaries:
        if summary.outlet not in by_outlet:
            by_outlet[summary.outlet] = OutletAggregator(summary.outlet)
        by_outlet[summary.outlet].add(summary)
        total.add(summary)
    outlets = tuple(by_outlet[name].summary() for name in sorted(by_outlet))
    return AuditReport(outlets, total.summary())


summarize = merge_summaries


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None
