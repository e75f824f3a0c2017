"""Which text a revision reads as: the text it was ingested with, or its newest re-derived one.

`reextract` reads a fetched revision's kept page again with today's extractor and site rules
and, where that reads differently, appends a re-derived text beside the original (which never
changes). Like a package archive that rebuilds a release without touching the tag, the
newest build is what one reads by default, and the original stays one flag away: `show`,
`diff`, `audit` and `blame` read each revision's newest re-derived text unless asked for the
texts *as fetched*, and say which revisions they read that way. Every reading face takes its
texts from here, so they cannot disagree on the choice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from revtrack.records import DerivationRecord, RevisionRecord

if TYPE_CHECKING:  # the reading faces start without SQLAlchemy (store/lite.py)
    from revtrack.store import Tx


@dataclass(frozen=True)
class Reading:
    """A revision, the text it reads as, and the re-derivation that text is (None: as
    ingested)."""

    revision: RevisionRecord
    text: str
    derived: DerivationRecord | None = None

    @property
    def title(self) -> str | None:
        """The headline of this reading: a re-derived one's when it found one."""
        if self.derived is not None and self.derived.title:
            return self.derived.title
        return self.revision.title


def read_revision(tx: Tx, revision: RevisionRecord, *, as_fetched: bool = False) -> Reading:
    """``revision`` as it reads now (its newest re-derived text), or as fetched."""
    if not as_fetched:
        found = tx.derivation(revision.id)
        if found is not None:
            return Reading(revision, found[0], found[1])
    return Reading(revision, tx.load_text(revision.id))


def read_history(
    tx: Tx, revisions: list[RevisionRecord], *, as_fetched: bool = False
) -> list[Reading]:
    """Every revision of one article as it reads (one query for the re-derived ones)."""
    if not revisions:
        return []
    derived = {} if as_fetched else tx.article_derivations(revisions[0].article_id)
    out = []
    for r in revisions:
        found = derived.get(r.id)
        if found is not None:
            out.append(Reading(r, found[0], found[1]))
        else:
            out.append(Reading(r, tx.load_text(r.id)))
    return out
