"""The import queue: the documents of a bulk import, the unit importers claim.

Each importer registers a batch's documents (ON CONFLICT DO NOTHING, so several importers can
register the same batch at once), then repeatedly claims pending documents inside the
transaction that imports them and marks them done in the same transaction. On PostgreSQL the
claim is ``FOR UPDATE SKIP LOCKED``: importers on several machines share one import with no
coordinator, and a killed importer's claim simply rolls back and stays pending. On SQLite the
write lock already makes one importer write at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, bindparam, func, select

from revtrack.errors import DatabaseError
from revtrack.store.base import TxBase, utcnow
from revtrack.store.models import ImportItem


@lru_cache(maxsize=1)
def _finish_item() -> Any:
    table = ImportItem.__table__
    return (
        table.update()  # type: ignore[attr-defined]
        .where(and_(table.c.batch == bindparam("b_batch"), table.c.doc == bindparam("b_doc")))
        .values(
            state=bindparam("state"),
            worker=bindparam("worker"),
            revisions=bindparam("revisions"),
            updated_at=bindparam("updated_at"),
        )
    )


class ImportQueueMixin(TxBase):
    """Registering, claiming and finishing the documents of a bulk import."""

    def register_import_items(self, batch: str, docs: Sequence[str]) -> int:
        """Add pending rows for documents not yet known in this batch; return how many.

        Several importers may register the same batch at once: rows another one added first
        are skipped by the database (ON CONFLICT DO NOTHING), never raised as duplicates.
        """
        if self.store.backend == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
        now = utcnow()
        added = 0
        for chunk in range(0, len(docs), 500):
            rows = [
                {
                    "batch": batch,
                    "doc": d,
                    "state": "pending",
                    "worker": "",
                    "revisions": 0,
                    "updated_at": now,
                }
                for d in docs[chunk : chunk + 500]
            ]
            result = self.session.execute(
                insert(ImportItem)
                .values(rows)
                .on_conflict_do_nothing(index_elements=["batch", "doc"])
            )
            added += max(0, int(getattr(result, "rowcount", 0) or 0))
        return added

    def claim_import_items(self, batch: str, limit: int) -> list[str]:
        """Take up to ``limit`` pending documents, locked until this transaction ends."""
        query = (
            select(ImportItem)
            .where(and_(ImportItem.batch == batch, ImportItem.state == "pending"))
            .order_by(ImportItem.id)
            .limit(limit)
        )
        if self.store.backend == "postgresql":
            query = query.with_for_update(skip_locked=True)
        return [item.doc for item in self.session.scalars(query)]

    def finish_import_item(
        self, batch: str, doc: str, *, worker: str, revisions: int, state: str = "done"
    ) -> None:
        """Mark a claimed document done (or failed): one UPDATE (the row was read back as an
        ORM object and flushed before, a sixth of a bulk import's statements' cost)."""
        result = self.session.execute(
            _finish_item(),
            {
                "b_batch": batch,
                "b_doc": doc,
                "state": state,
                "worker": worker,
                "revisions": revisions,
                "updated_at": utcnow(),
            },
        )
        if getattr(result, "rowcount", 1) != 1:
            raise DatabaseError(f"Import batch {batch} has no document {doc} to finish.")

    def pending_import_items(self, batch: str) -> list[str]:
        """The documents of ``batch`` still to import, in the order importers claim them."""
        query = (
            select(ImportItem.doc)
            .where(and_(ImportItem.batch == batch, ImportItem.state == "pending"))
            .order_by(ImportItem.id)
        )
        return [str(doc) for doc in self.session.scalars(query)]

    def import_progress(self, batch: str) -> dict[str, int]:
        query = (
            select(ImportItem.state, func.count(ImportItem.id))
            .where(ImportItem.batch == batch)
            .group_by(ImportItem.state)
        )
        return {str(s): int(n) for s, n in self.session.execute(query)}
