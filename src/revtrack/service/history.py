"""The plain values `verify` walks: a :class:`History` per chain, the :class:`VerifyReport`,
and how a problem names its row (table, id or place, article, revision).

A database article and an export bundle are both turned into a History, so that one walk
(:mod:`revtrack.service.integrity`) checks either.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from revtrack.records import EventRecord, RevisionRecord
from revtrack.store.hashing import root

PROBLEMS_KEPT = 1000
"""Problems kept in a report (the count goes on): a wrecked database must not fill memory."""


@dataclass
class VerifyReport:
    articles: int = 0
    revisions: int = 0
    corrections: int = 0
    events: int = 0
    problem_count: int = 0
    problems: list[str] = field(default_factory=list)
    heads: list[tuple[str, str]] = field(default_factory=list)  # (chain, recomputed head)
    # chains compared with a checkpoint: checked, of which grew since; new since it
    against: dict[str, int] = field(default_factory=lambda: {"checked": 0, "grew": 0, "new": 0})

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def root(self) -> str:
        """The database-wide root over every chain's recomputed head (chains by name)."""
        return root(sorted(self.heads))

    def problem(self, text: str) -> None:
        self.problem_count += 1
        if len(self.problems) < PROBLEMS_KEPT:
            self.problems.append(text)


@dataclass
class History:
    """One chain's history as plain values: a database article's, or an export bundle's.

    Revision, correction and event references are by the source's own ids (database ids,
    or for a bundle the revision numbers and the exported note ids); ``numbers`` turns a
    revision reference into its number.
    """

    name: str
    article: dict[str, Any] | None  # key, url, outlet, title, created_at; None: no article
    revisions: Sequence[RevisionRecord]
    text: Callable[[RevisionRecord], str]
    corrections: list[dict[str, Any]]
    links: list[dict[str, Any]]
    states: list[dict[str, Any]]
    events: Sequence[EventRecord]
    stored_head: dict[str, Any] | None
    numbers: dict[int, int]
    article_id: int | None = None  # the database id events must name (None: not checked)
    kind: str = "database"  # "database" | "bundle": only what the messages say


def where_revision(h: History, revision: RevisionRecord) -> str:
    ident = f"id {revision.id} " if h.kind == "database" else ""
    return f"revisions {ident}({h.name}@v{revision.number})"


def where_event(h: History, event: EventRecord) -> str:
    where = f"event log of {h.name!r}, entry {event.seq} ({event.action})"
    return f"events id {event.id}: {where}" if h.kind == "database" else where


def where_note(h: History, table: str, row: dict[str, Any], place: int) -> str:
    if table == "corrections":
        return f"corrections #{row['id']} ({h.name})"
    noun = {"links": "correction_links", "states": "correction_states"}[table]
    if h.kind == "database":
        return f"{noun} id {row['id']} ({h.name}, note #{row['correction_id']})"
    return f"{noun} {place} ({h.name}, note #{row['correction_id']})"
