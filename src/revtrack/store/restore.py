"""Restoring an export: rows written exactly as exported, not as new appends.

An export (see :mod:`revtrack.service.transfer`) carries each revision's number, times and
hashes, each note's links and states, and each event with its sequence number and hash; a
restore inserts them as they are, so ``verify`` holds on the copy exactly as on the original.
Only the ids are new. What a transaction remembers of an article's heads is dropped as rows
arrive this way, because they did not come through
:meth:`~revtrack.store.revisions.RevisionsMixin.add_revision`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, select

from revtrack.errors import InvalidInput
from revtrack.records import ArticleRecord
from revtrack.store.corrections import CorrectionsMixin
from revtrack.store.events import EventsMixin
from revtrack.store.hashing import GENESIS
from revtrack.store.models import Event, Revision
from revtrack.store.revisions import RevisionsMixin
from revtrack.store.sources import stored_source


class RestoreMixin(RevisionsMixin, CorrectionsMixin, EventsMixin):
    """Inserting exported revisions, notes, links, states and events as they were."""

    def restore_revision(self, article: ArticleRecord, text: str, fields: dict[str, Any]) -> int:
        """Insert a revision exactly as exported (its number, times and hashes kept)."""
        self.flush_appends()
        revert_of = fields.pop("revert_of", None)
        revert_id = None
        if revert_of:
            revert_id = self.session.scalar(
                select(Revision.id).where(
                    and_(Revision.article_id == article.id, Revision.number == revert_of)
                )
            )
        self._latest.pop(article.id, None)
        self._tips.pop(article.id, None)
        self._contents.pop(article.id, None)
        fields["seal"] = self.sealed(article.key, "revisions", {**fields, "revert_of": revert_of})
        stored = {
            **fields,
            "source": stored_source(article.key, fields["source"], fields["source_kind"]),
        }
        row = Revision(article_id=article.id, revert_of_id=revert_id, **stored)
        self.session.add(row)
        self.session.flush()
        self._store_text(article.id, row.id, row.number, text)
        return row.id

    def restore_correction(self, fields: dict[str, Any]) -> int:
        return self.insert_correction(fields)

    def restore_link(self, fields: dict[str, Any]) -> None:
        self.insert_link(fields)

    def restore_state(self, fields: dict[str, Any]) -> None:
        self.insert_state(fields)

    def restore_event(self, fields: dict[str, Any]) -> None:
        """Insert an exported event as it was.

        Its ``prev_hash`` is not stored (a read derives it from the event before it), so it
        must be that event's hash: an export whose chain does not follow is refused here
        rather than kept as a row whose link nobody could see any more.
        """
        self.flush_appends()
        fields = dict(fields)
        chain = fields.pop("chain")
        prev = fields.pop("prev_hash")
        self._heads.pop(chain, None)
        chain_id = self._chain_id(chain)
        seq = int(fields["seq"])
        expected: str | None = GENESIS
        if seq > 1:
            expected = self.session.scalar(
                select(Event.hash).where(and_(Event.chain_id == chain_id, Event.seq == seq - 1))
            )
        if prev != expected:
            raise InvalidInput(
                f"Event {seq} of chain {chain!r} in the export does not follow the one before "
                "it (its previous hash differs): the export was altered or cut.",
                "Export the history again from the original database.",
            )
        self.session.add(Event(**fields, chain_id=chain_id))
        self.session.flush()
        state = self.head_state(chain)
        state.counts[4], state.tails[4] = int(fields["seq"]), str(fields["hash"])
        state.dirty = True
