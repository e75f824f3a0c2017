"""What service calls return: plain, typed values the CLI and the web UI render."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from revtrack.diff.model import Diff
from revtrack.records import ArticleRecord, CorrectionRecord, DerivationRecord, RevisionRecord

IngestStatus = Literal["new", "unchanged", "revert"]


@dataclass(frozen=True)
class IngestResult:
    key: str
    status: IngestStatus
    source: str
    revision: RevisionRecord  # the new revision, or the latest one when unchanged
    words_added: int = 0
    words_removed: int = 0
    created_article: bool = False
    notes_added: tuple[int, ...] = ()  # ids of corrections detected in this revision
    notes_removed: tuple[int, ...] = ()
    warnings: tuple[str, ...] = ()  # what reading the source said (kept text, re-encoding)


@dataclass(frozen=True)
class ArticleLog:
    article: ArticleRecord
    revisions: list[RevisionRecord]
    corrections: list[CorrectionRecord] = field(default_factory=list)


@dataclass(frozen=True)
class DiffResult:
    article: ArticleRecord
    old: RevisionRecord
    new: RevisionRecord
    diff: Diff
    # The re-derived texts compared in place of the texts as fetched (None: as fetched).
    old_derived: DerivationRecord | None = None
    new_derived: DerivationRecord | None = None

    @property
    def old_title(self) -> str | None:
        return (self.old_derived and self.old_derived.title) or self.old.title

    @property
    def new_title(self) -> str | None:
        return (self.new_derived and self.new_derived.title) or self.new.title
