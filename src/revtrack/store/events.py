"""The event log: append-only, hash-chained per chain.

A chain is an article key, "-" for database-wide events, or "import:<worker>" for a bulk
importer (one chain per worker, so concurrent importers never contend for a chain's next
sequence number). Each event hashes its predecessor's hash with its own fields, and
``(chain, seq)`` is unique, so two writers appending to one chain cannot both win and a
rewritten event breaks every hash after it. Chain names are stored once in ``event_chains``.
An event's predecessor hash is not stored (migration 0008): it is the hash of the event before
it in its chain, ``(chain, seq - 1)``, which every read fetches through the unique index (an
empty string when that event is missing, which ``verify`` reports).
Events are batched (see :meth:`~revtrack.store.base.TxBase.flush_appends`): a transaction
keeps the head of each chain it appends to and reads it from the database only once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, func, select
from sqlalchemy.orm import aliased

from revtrack.records import EventRecord
from revtrack.store.base import TxBase, utcnow
from revtrack.store.hashing import GENESIS, event_hash
from revtrack.store.models import Article, Event, EventChain

GLOBAL_CHAIN = "-"
"""The database-wide chain: events that belong to no article."""


@lru_cache(maxsize=1)
def _event_query() -> Any:
    """Event rows with their chain's name (the records carry the name, the rows its id) and
    their predecessor's hash (NULL for a missing predecessor; the first one's is GENESIS)."""
    before = aliased(Event)
    prev = (
        select(before.hash)
        .where(and_(before.chain_id == Event.chain_id, before.seq == Event.seq - 1))
        .scalar_subquery()
    )
    return select(Event, EventChain.name, prev).join(EventChain, EventChain.id == Event.chain_id)


@lru_cache(maxsize=1)
def _chain_head() -> Any:
    """(chain id, seq, hash) of a chain's last event by name; seq is NULL before the first."""
    return (
        select(EventChain.id, Event.seq, Event.hash)
        .outerjoin(Event, Event.chain_id == EventChain.id)
        .where(EventChain.name == bindparam("name"))
        .order_by(Event.seq.desc())
        .limit(1)
    )


@lru_cache(maxsize=1)
def _chain_heads() -> Any:
    """(chain id, name, seq, hash) of the last event of each chain named in ``:names``."""
    last = (
        select(func.max(Event.seq))
        .where(Event.chain_id == EventChain.id)
        .correlate(EventChain)
        .scalar_subquery()
    )
    return (
        select(EventChain.id, EventChain.name, Event.seq, Event.hash)
        .outerjoin(Event, and_(Event.chain_id == EventChain.id, Event.seq == last))
        .where(EventChain.name.in_(bindparam("names", expanding=True)))
    )


@lru_cache(maxsize=2)
def _insert_chain(backend: str) -> Any:
    """INSERT of a chain's row unless its name exists, returning the new id (None when it
    existed); built once per backend, a Core statement (the ORM insert was built anew and
    run through the ORM's bulk path for every new article)."""
    if backend == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    table = cast(Table, EventChain.__table__)
    return (
        insert(table)
        .values(name=bindparam("name"))
        .on_conflict_do_nothing(index_elements=["name"])
        .returning(table.c.id)
    )


class EventsMixin(TxBase):
    """Appending to a chain and reading chains back."""

    def append_event(
        self,
        action: str,
        *,
        actor: str,
        chain: str = GLOBAL_CHAIN,
        article_id: int | None = None,
        revision_id: int | None = None,
        correction_id: int | None = None,
        payload: dict[str, Any] | None = None,
        at: datetime | None = None,
    ) -> None:
        """Append to ``chain``'s hash-chained log."""
        last = self._heads.get(chain)
        if last is None and chain not in self._fresh_chains:
            head = self.session.execute(_chain_head(), {"name": chain}).first()
            if head is None:
                self._chain_ids[chain] = self._add_chain(chain)
            else:
                self._chain_ids[chain] = int(head[0])
                last = None if head[1] is None else (int(head[1]), str(head[2]))
        seq = 1 if last is None else last[0] + 1
        prev = GENESIS if last is None else last[1]
        fields = {
            "chain": chain,
            "seq": seq,
            "at": at or utcnow(),
            "actor": actor,
            "action": action,
            "payload": payload or {},
        }
        digest = event_hash(prev, fields)
        # A Core insert: the log grows by one row per ingest, and the unit of work's flush of
        # pending Event objects cost more than the statement.
        self._pending_events.append(
            {
                **{k: v for k, v in fields.items() if k != "chain"},
                "chain_id": self._chain_id(chain),
                "article_id": article_id,
                "revision_id": revision_id,
                "correction_id": correction_id,
                "hash": digest,
            }
        )
        self._heads[chain] = (seq, digest)

    def prefetch_chains(self, names: Iterable[str]) -> None:
        """Read the heads of many chains in one statement (a fetch pass appends one event to
        each of a batch of watch chains): later appends to them need no query of their own.
        Chains with no event yet are left to :meth:`append_event`."""
        wanted = sorted({n for n in names if n not in self._heads})
        for start in range(0, len(wanted), 500):
            for chain_id, name, seq, digest in self.session.execute(
                _chain_heads(), {"names": wanted[start : start + 500]}
            ):
                self._chain_ids[name] = int(chain_id)
                if seq is not None:
                    self._heads[name] = (int(seq), str(digest))

    def _chain_id(self, name: str) -> int:
        """The id of the event chain ``name``, added to ``event_chains`` on its first event.

        Two writers may start the same chain at once (the database-wide "-" on PostgreSQL):
        the insert skips a name that exists, and the select that follows sees the winner's row.
        """
        if name not in self._chain_ids:
            found = self.session.scalar(select(EventChain.id).where(EventChain.name == name))
            self._chain_ids[name] = self._add_chain(name) if found is None else int(found)
        return self._chain_ids[name]

    def _add_chain(self, name: str) -> int:
        added = self.session.scalar(_insert_chain(self.store.backend), {"name": name})
        if added is None:  # another writer's row, committed while we waited on it
            added = self.session.scalar(select(EventChain.id).where(EventChain.name == name))
        else:
            self._fresh_chains.add(name)
        assert added is not None
        return int(added)

    def events(
        self,
        *,
        chain: str | None = None,
        article_id: int | None = None,
        after_id: int = 0,
        limit: int = 1000,
    ) -> list[EventRecord]:
        self.flush_appends()
        query = _event_query().where(Event.id > after_id).order_by(Event.id).limit(limit)
        if chain is not None:
            query = query.where(EventChain.name == chain)
        if article_id is not None:
            query = query.where(Event.article_id == article_id)
        return [event_record(e, name, prev) for e, name, prev in self.session.execute(query)]

    def chains(self) -> list[str]:
        # a chain's row is written with its first event (and rolled back with it)
        self.flush_appends()
        return list(self.session.scalars(select(EventChain.name).order_by(EventChain.name)))

    def detached_chains(self) -> list[str]:
        """Event chains that belong to no article, the database-wide "-" first.

        Besides "-" these are the bulk importers' own chains ("import:<worker>").
        """
        self.flush_appends()
        chains = EventChain.__table__
        articles = Article.__table__
        query = (
            select(chains.c.name)
            .where(~select(articles.c.id).where(articles.c.key == chains.c.name).exists())
            .order_by(chains.c.name != GLOBAL_CHAIN, chains.c.name)
        )
        return [str(name) for name in self.session.scalars(query)]

    def chain_events(self, chain: str) -> list[EventRecord]:
        self.flush_appends()
        query = _event_query().where(EventChain.name == chain).order_by(Event.seq)
        return [event_record(e, name, prev) for e, name, prev in self.session.execute(query)]

    def chain_length(self, chain: str) -> int:
        self.flush_appends()
        query = (
            select(func.count(Event.id))
            .join(EventChain, EventChain.id == Event.chain_id)
            .where(EventChain.name == chain)
        )
        return int(self.session.scalar(query) or 0)


def event_record(row: Event, chain: str, prev: str | None) -> EventRecord:
    """The record of an event row; ``prev`` is the hash of the event before it (see the
    module doc)."""
    return EventRecord(
        id=row.id,
        chain=chain,
        seq=row.seq,
        at=row.at,
        actor=row.actor,
        action=row.action,
        article_id=row.article_id,
        revision_id=row.revision_id,
        correction_id=row.correction_id,
        payload=dict(row.payload or {}),
        prev_hash=GENESIS if row.seq == 1 else (prev or ""),
        hash=row.hash,
    )
