"""The watcher's plain values: its clock, its configuration and what a pass reports.

Apart from service.py so that the recording of outcomes (recording.py) and the watcher itself
share them without importing each other.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from revtrack.records import WatchRecord
from revtrack.service.watch.discover import MAX_ENTRIES
from revtrack.store import utcnow

Clock = Callable[[], datetime]


def now() -> datetime:
    """The watcher's clock (naive UTC); tests replace it to move time."""
    return utcnow()


@dataclass(frozen=True)
class Config:
    """How a worker fetches. Per-host rules live in the database (``watch host``)."""

    contact: str | None = None
    host_concurrency: int = 2  # for a host with no rule yet
    host_delay_ms: int = 1000
    short_ratio: float = 0.3  # a text under this share of the last one is an error page
    short_min_chars: int = 300  # ... when the last one had at least this many characters
    claim_ttl: timedelta = timedelta(minutes=5)
    horizon: timedelta = timedelta(seconds=5)
    timeout: float = 20.0
    retries: int = 2
    backoff: float = 1.0
    retry_cap: float = 30.0
    max_entries: int = MAX_ENTRIES
    batch: int = 64  # outcomes recorded per transaction, at most
    notify_wait: float = 30.0  # at the end of a pass, the most time left to notifications
    keep_pages: bool = True  # keep each new version's page as served, for `reextract`

    @classmethod
    def from_env(cls, **overrides: Any) -> Config:
        values: dict[str, Any] = {"contact": os.environ.get("REVTRACK_CONTACT") or None}
        if os.environ.get("REVTRACK_URL_TIMEOUT"):
            values["timeout"] = float(os.environ["REVTRACK_URL_TIMEOUT"])
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


@dataclass
class PassSummary:
    counts: Counter[str] = field(default_factory=Counter)
    notes: int = 0
    added: int = 0  # new watches found in feeds and section pages
    seconds: float = 0.0

    @property
    def fetched(self) -> int:
        return sum(n for k, n in self.counts.items() if k not in ("released", "stale"))


@dataclass(frozen=True)
class Seen:
    """One recorded fetch, for progress output."""

    watch: WatchRecord
    result: str  # new | revert | unchanged | not-modified | same-bytes | skipped | failed | …
    reason: str = ""
    error: str = ""
    key: str | None = None
    revision: int | None = None
    notes: int = 0
    added: int = 0
    status: int | None = None
    words_added: int = 0
    words_removed: int = 0
    note_texts: tuple[str, ...] = ()  # the notes first seen in the new revision
    substantive: int = 0  # the new revision's substantive changes


@dataclass(frozen=True)
class WatchStatus:
    now: datetime
    states: dict[str, int]
    due: int
    next_due: datetime | None
    failing: int
    failing_list: list[WatchRecord]
    changed: int
    changed_list: list[WatchRecord]
    hosts: list[dict[str, Any]]
    since: datetime
