"""Plain values a diff is made of, shared by the diff, render, corrections and audit layers.

Offsets are character offsets into the two Python strings being compared (``a`` is the
older text, ``b`` the newer), so any layer can slice the original texts without re-running
the diff. Nothing here knows about revisions or the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Granularity = Literal["word", "sentence", "char", "line"]
GRANULARITIES: tuple[Granularity, ...] = ("word", "sentence", "char", "line")

SegmentOp = Literal["equal", "insert", "delete"]
HunkOp = Literal["insert", "delete", "replace", "move"]

# Kinds a hunk can carry. "cosmetic" is exclusive; "minor" comes first with one of MINOR_KINDS
# after it and nothing else; the substantive kinds can combine.
COSMETIC = "cosmetic"
MINOR = "minor"
MINOR_KINDS: tuple[str, ...] = ("typo", "grammar", "style", "rewording", "reorder", "placeholder")

ChangeClass = Literal["cosmetic", "minor", "substantive"]
CHANGE_CLASSES: tuple[ChangeClass, ...] = ("cosmetic", "minor", "substantive")
"""The three classes, least to most telling: the page says the same thing; words change but a
reader learns nothing different; a reader learns something different (a corrections policy
would want it disclosed)."""
SUBSTANTIVE_KINDS: tuple[str, ...] = (
    "number",
    "date",
    "name",
    "quote",
    "negation",
    "headline",
    "sentence-added",
    "sentence-removed",
    "wording",
)


@dataclass(frozen=True)
class Segment:
    """One run of the aligned texts: equal in both, only in ``b`` (insert) or only in ``a``."""

    op: SegmentOp
    text: str


@dataclass(frozen=True)
class Hunk:
    """One change: a contiguous replacement, insertion, deletion, or a moved passage.

    For a move, ``a_start:a_end`` is where the passage was and ``b_start:b_end`` where it is now.
    """

    index: int
    op: HunkOp
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    old: str
    new: str
    kinds: tuple[str, ...] = ()

    @property
    def change_class(self) -> ChangeClass:
        if self.kinds == (COSMETIC,):
            return "cosmetic"
        if self.kinds[:1] == (MINOR,):
            return "minor"
        return "substantive"

    @property
    def cosmetic(self) -> bool:
        return self.kinds == (COSMETIC,)

    @property
    def minor(self) -> bool:
        return self.kinds[:1] == (MINOR,)

    @property
    def substantive(self) -> bool:
        """Whether a corrections policy would want readers told: neither cosmetic nor minor."""
        return self.change_class == "substantive"

    @property
    def kind(self) -> str:
        """The most telling kind, for one-word displays ("typo" rather than "minor")."""
        if self.minor and len(self.kinds) > 1:
            return self.kinds[1]
        return self.kinds[0] if self.kinds else "wording"


@dataclass(frozen=True)
class HunkFacts:
    """What classification learned about one hunk's sentences, for the stats: how many whole
    sentences it added and removed, and where in ``a`` the sentences it only changed start
    (a sentence touched by two hunks is counted once)."""

    sentences_added: int = 0
    sentences_removed: int = 0
    changed_sentence_starts: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class DiffStats:
    words_added: int = 0
    words_removed: int = 0
    sentences_added: int = 0
    sentences_removed: int = 0
    sentences_changed: int = 0
    hunks: int = 0
    hunks_by_kind: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Diff:
    """The result of comparing ``a`` (older) with ``b`` (newer)."""

    a: str
    b: str
    by: Granularity
    segments: tuple[Segment, ...]
    hunks: tuple[Hunk, ...]
    stats: DiffStats
