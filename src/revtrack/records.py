"""Plain records the store hands to the layers above (never ORM rows).

They live beside errors.py, below every layer, so that the service, the shapes and both faces
can name them without importing the store (which is the only importer of SQLAlchemy).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class ArticleRecord:
    id: int
    key: str
    url: str | None
    outlet: str | None
    title: str | None
    created_at: datetime
    revisions: int = 0
    corrections: int = 0
    first_at: datetime | None = None
    latest_at: datetime | None = None


@dataclass(frozen=True)
class ArticlePage:
    """One page of the article list, in key order, found by keyset rather than by offset.

    ``next_after`` is the key to pass as ``after`` for the next page (None on the last),
    ``prev_before`` the key to pass as ``before`` for the previous one (None on the first).
    ``total`` counts the matches: exactly (``total_is`` "exact"), up to a cap ("at least":
    more match), or, for the whole list, from the newest id ("about": no count at all).
    """

    articles: list[ArticleRecord]
    total: int
    total_is: str
    next_after: str | None
    prev_before: str | None


@dataclass(frozen=True)
class RevisionRecord:
    id: int
    article_id: int
    article_key: str
    number: int
    captured_at: datetime
    ingested_at: datetime
    source: str
    source_kind: str
    title: str | None
    byline: str | None
    content_hash: str
    text_hash: str
    chain_hash: str
    revert_of: int | None  # the revision number this one returned to
    chars: int
    words: int
    words_added: int
    words_removed: int
    hunks: int
    substantive_hunks: int
    stats: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    # The row's seal in its article's chain (store/hashing.py): what `verify` and an export
    # need, left out by the quick reads of `show` and `log`, and out of equality for that.
    seal: str | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        return f"v{self.number}"


@dataclass(frozen=True)
class DerivationRecord:
    """A revision's text read again from its kept page by `reextract`: when, with what.

    The revision's own text never changes; this says which reading `show`, `diff`, `audit`
    and `blame` use instead of it (the newest, of ``count`` so far) unless asked for the
    text as fetched.
    """

    id: int
    revision_id: int
    created_at: datetime
    extractor: str
    rules: dict[str, Any]
    actor: str
    title: str | None
    chars: int
    content_hash: str
    text_hash: str
    count: int = 1


@dataclass(frozen=True)
class LinkRecord:
    id: int
    fixing_revision: int | None  # revision number
    confidence: float
    matched: bool
    evidence: list[dict[str, Any]]
    linker_version: str
    actor: str
    created_at: datetime
    seal: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class StateRecord:
    state: str  # "removed" | "returned" | "retracted"
    revision: int | None
    reason: str
    actor: str
    created_at: datetime
    seal: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class CorrectionRecord:
    id: int
    article_key: str
    kind: str
    label: str
    text: str
    printed_date: str
    origin: str  # "detected" | "manual"
    disclosed_revision: int | None  # revision number
    supersedes_id: int | None
    superseded_by: int | None
    actor: str
    created_at: datetime
    link: LinkRecord | None
    states: tuple[StateRecord, ...] = ()
    seal: str | None = field(default=None, compare=False)

    @property
    def status(self) -> str:
        if any(s.state == "retracted" for s in self.states):
            return "retracted"
        if self.superseded_by is not None:
            return "superseded"
        presence = [s.state for s in self.states if s.state in ("removed", "returned")]
        if presence and presence[-1] == "removed":
            return "removed"  # gone from the text, and not (yet) back
        return "active"


@dataclass(frozen=True)
class EventRecord:
    id: int
    chain: str
    seq: int
    at: datetime
    actor: str
    action: str
    article_id: int | None
    revision_id: int | None
    correction_id: int | None
    payload: dict[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class WatchRecord:
    """A watched URL: an article page, a feed, or a section page whose links are followed.

    ``next_at`` is when it is next due (None: not scheduled: paused, expired, merged,
    removed); while a worker holds it, ``claim_token`` is set and ``next_at`` is when the
    claim expires, so a dead worker's claim simply falls due again.
    """

    id: int
    url: str
    host: str
    kind: str  # "page" | "feed" | "links"
    pattern: str
    state: str  # "active" | "paused" | "expired" | "merged" | "removed"
    every_s: int | None
    until_s: int | None
    parent_id: int | None
    article_id: int | None
    article_key: str | None
    merged_into: int | None
    born_at: datetime
    added_at: datetime
    next_at: datetime | None
    claim_token: str | None
    not_before: datetime | None
    last_fetch_at: datetime | None
    last_status: int | None
    last_result: str
    last_error: str
    last_change_at: datetime | None
    recent_changes: tuple[datetime, ...]
    change_count: int
    fetch_count: int
    fails: int
    etag: str | None
    last_modified: str | None
    body_hash: str | None

    @property
    def chain(self) -> str:
        """The event chain of its fetches (one per watch, written only by its claim holder)."""
        return f"watch:{self.id}"


@dataclass(frozen=True)
class HostRecord:
    """Politeness rules of one host, shared by every worker through the database."""

    host: str
    concurrency: int
    delay_ms: int
    next_slot_at: datetime | None
    skip: tuple[str, ...]
    robots: bool
    include: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()


@dataclass(frozen=True)
class CorrectionView:
    """A correction with the times of its fixing and disclosing revisions (what `corrections`
    shows; here, not in the service, so the stdlib reader's path can build it unloaded)."""

    record: CorrectionRecord
    fixed_at: datetime | None
    disclosed_at: datetime | None

    @property
    def lag_seconds(self) -> float | None:
        if self.fixed_at is None or self.disclosed_at is None:
            return None
        return max(0.0, (self.disclosed_at - self.fixed_at).total_seconds())


@dataclass(frozen=True)
class RelinkChange:
    correction_id: int
    article_key: str
    old_fixing: int | None
    new_fixing: int
    old_confidence: float | None
    new_confidence: float
    changed: bool
