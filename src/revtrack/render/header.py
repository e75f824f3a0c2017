"""What a renderer says about the two revisions besides the diff itself.

The diff layer knows only two strings; the service knows revisions. This small value carries
the few facts every output format prints (article key, "v1"/"v2", capture times, titles) so
renderers stay pure and the service fills it in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RevisionInfo:
    """One side of a diff: ``label`` is what users type ("v2"); ``captured_at`` is ISO 8601."""

    label: str
    number: int | None = None
    captured_at: str | None = None
    title: str | None = None
    # The re-derived text this side reads as (`reextract`), as its JSON: None when the text
    # is the one fetched.
    derived: dict[str, Any] | None = None

    def describe(self) -> str:
        """``v2 (2022-03-18T10:00:00+00:00)``, or just ``v2`` when the time is unknown."""
        return f"{self.label} ({self.captured_at})" if self.captured_at else self.label


@dataclass(frozen=True)
class DiffHeader:
    """The article and the two revisions compared (``a`` older, ``b`` newer)."""

    article: str
    a: RevisionInfo = field(default_factory=lambda: RevisionInfo("a"))
    b: RevisionInfo = field(default_factory=lambda: RevisionInfo("b"))

    @classmethod
    def simple(cls, article: str, a_label: str = "a", b_label: str = "b") -> DiffHeader:
        """A header with labels only, for texts that are not (yet) stored revisions."""
        return cls(article, RevisionInfo(a_label), RevisionInfo(b_label))

    def title_line(self) -> str:
        """``ferry v1 → v2``: the one-line caption the text formats start with."""
        return f"{self.article} {self.a.label} → {self.b.label}"
