"""Seals and heads: every appended row chained per article, and each chain's end recorded.

A revision, correction, link or state row gets its seal when it is appended (see
:mod:`revtrack.store.hashing` for what it covers): the hash of its fields chained to the
previous row of the same table and article. The transaction keeps each touched chain's head
(counts and last seals, read once from ``heads`` and locked there on PostgreSQL, so two writers
of one article cannot both extend the same tail) and writes the heads it moved at the end of
every savepoint and before commit (:meth:`HeadsMixin.seal_heads`), together with the hash of
the article row. Restored rows arrive with their seals and move the heads the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, select

from revtrack.store.events import EventsMixin
from revtrack.store.hashing import GENESIS, TABLES, article_seal, head, row_seal
from revtrack.store.models import (
    Article,
    Correction,
    CorrectionLink,
    CorrectionState,
    EventChain,
    Head,
    Revision,
)


@dataclass
class HeadState:
    """One chain's heads row, as this transaction has moved it."""

    chain_id: int
    counts: list[int] = field(default_factory=lambda: [0] * len(TABLES))
    tails: list[str] = field(default_factory=lambda: [GENESIS] * len(TABLES))
    stored: bool = False
    dirty: bool = False
    article_changed: bool = False  # the article row was written: its hash is taken again


_HEAD_COLUMNS = tuple(TABLES) + tuple(f"{t}_tail" for t in TABLES)


def _row(row: Any) -> dict[str, Any]:
    return {c.key: getattr(row, c.key) for c in row.__table__.columns}


@lru_cache(maxsize=1)
def _update_head() -> Any:
    columns = (*TABLES, *(f"{t}_tail" for t in TABLES), "head")
    table = Head.__table__
    return (
        table.update()  # type: ignore[attr-defined]
        .where(table.c.chain_id == bindparam("b_chain_id"))
        .values({c: bindparam(f"v_{c}") for c in columns})
    )


class HeadsMixin(EventsMixin):
    """Sealing appended rows and keeping the heads of their chains."""

    def head_state(self, name: str) -> HeadState:
        state: HeadState | None = self._head_states.get(name)
        if state is not None:
            return state
        chain_id = self._chain_id(name)
        row = None
        if name not in self._fresh_chains:  # a chain this transaction added has no heads row
            query = select(Head).where(Head.chain_id == chain_id)
            if self.store.backend == "postgresql":
                query = query.with_for_update()
            row = self.session.scalars(query).first()
        state = HeadState(chain_id)
        if row is not None:
            state.counts = [int(getattr(row, t)) for t in TABLES]
            state.tails = [str(getattr(row, f"{t}_tail")) for t in TABLES]
            state.stored = True
        self._head_states[name] = state
        return state

    def prefetch_heads(self, names: Iterable[str]) -> None:
        """The heads rows of many chains in one statement (locked on PostgreSQL, in chain id
        order), for a batch that appends to each of them: see :meth:`head_state`. Chains
        with no id yet (no event ever) are left to it."""
        ids = {
            self._chain_ids[n]: n
            for n in set(names)
            if n in self._chain_ids and n not in self._head_states
        }
        for start in range(0, len(ids), 500):
            chunk = sorted(ids)[start : start + 500]
            query = select(Head).where(Head.chain_id.in_(chunk)).order_by(Head.chain_id)
            if self.store.backend == "postgresql":
                query = query.with_for_update()
            found = {int(row.chain_id): row for row in self.session.scalars(query)}
            for chain_id in chunk:
                state = HeadState(chain_id)
                row = found.get(chain_id)
                if row is not None:
                    state.counts = [int(getattr(row, t)) for t in TABLES]
                    state.tails = [str(getattr(row, f"{t}_tail")) for t in TABLES]
                    state.stored = True
                self._head_states[ids[chain_id]] = state

    def stored_head(self, name: str) -> dict[str, Any] | None:
        """The heads row of chain ``name`` as stored (None when it has none)."""
        self.flush_appends()
        row = self.session.execute(
            select(Head)
            .join(EventChain, EventChain.id == Head.chain_id)
            .where(EventChain.name == name)
        ).scalar()
        if row is None:
            return None
        return {
            "counts": [int(getattr(row, t)) for t in TABLES],
            "tails": [str(getattr(row, f"{t}_tail")) for t in TABLES],
            "article_seal": row.article_seal,
            "head": row.head,
        }

    def heads_page(self, after: str | None, limit: int = 1000) -> list[tuple[str, list[int], str]]:
        """(chain name, counts, head) of the stored heads, by name, a page at a time."""
        query = (
            select(EventChain.name, Head)
            .join(Head, Head.chain_id == EventChain.id)
            .order_by(EventChain.name)
            .limit(limit)
        )
        if after is not None:
            query = query.where(EventChain.name > after)
        return [
            (str(name), [int(getattr(row, t)) for t in TABLES], str(row.head))
            for name, row in self.session.execute(query)
        ]

    def note_rows(self, article_id: int) -> dict[str, list[dict[str, Any]]]:
        """The article's correction, link and state rows as stored, each table in id order.

        What `verify` recomputes the seals of: database ids are kept (revision references
        too), so that a row moved to another article or revision is seen.
        """
        notes = [
            _row(c)
            for c in self.session.scalars(
                select(Correction)
                .where(Correction.article_id == article_id)
                .order_by(Correction.id)
            )
        ]
        ids = [n["id"] for n in notes]
        out: dict[str, list[dict[str, Any]]] = {"corrections": notes, "links": [], "states": []}
        for name, model in (("links", CorrectionLink), ("states", CorrectionState)):
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                out[name] += [
                    _row(r)
                    for r in self.session.scalars(
                        select(model).where(model.correction_id.in_(chunk)).order_by(model.id)
                    )
                ]
            out[name].sort(key=lambda r: int(r["id"]))
        return out

    def sealed(self, name: str, table: str, values: dict[str, Any]) -> str:
        """The seal of a new row of ``table`` of article ``name``; moves its head."""
        state = self.head_state(name)
        index = TABLES.index(table)
        value = values.get("seal") or row_seal(state.tails[index], table, name, values)
        state.counts[index] += 1
        state.tails[index] = value
        state.dirty = True
        return value

    def touch_article(self, key: str) -> None:
        """The article row changed: its hash in the head is taken again."""
        state = self.head_state(key)
        state.dirty = state.article_changed = True

    def article_key(self, article_id: int) -> str:
        if article_id not in self._article_keys:
            key = self.session.scalar(select(Article.key).where(Article.id == article_id))
            assert key is not None
            self._article_keys[article_id] = str(key)
        return str(self._article_keys[article_id])

    def revision_number(self, revision_id: int | None) -> int | None:
        if revision_id is None:
            return None
        return self.session.scalar(select(Revision.number).where(Revision.id == revision_id))

    def correction_seal(self, correction_id: int | None) -> tuple[int, str | None] | None:
        """(article id, seal) of a correction."""
        if correction_id is None:
            return None
        row = self.session.execute(
            select(Correction.article_id, Correction.seal).where(Correction.id == correction_id)
        ).first()
        return None if row is None else (int(row[0]), row[1])

    def seal_heads(self) -> None:
        for name, (seq, digest) in self._heads.items():
            state = self.head_state(name)
            if state.counts[4] != seq or state.tails[4] != digest:
                state.counts[4], state.tails[4] = seq, digest
                state.dirty = True
        plain: list[dict[str, Any]] = []  # stored heads whose article row is unchanged
        for name, state in self._head_states.items():
            if not state.dirty:
                continue
            if state.stored and not state.article_changed:
                tails = {f"v_{t}_tail": tail for t, tail in zip(TABLES, state.tails, strict=True)}
                plain.append(
                    {
                        "b_chain_id": state.chain_id,
                        **{f"v_{t}": n for t, n in zip(TABLES, state.counts, strict=True)},
                        **tails,
                        "v_head": head(name, state.counts, state.tails),
                    }
                )
                state.dirty = False
                continue
            values: dict[str, Any] = {
                **dict(zip(TABLES, state.counts, strict=True)),
                **{f"{t}_tail": tail for t, tail in zip(TABLES, state.tails, strict=True)},
                "head": head(name, state.counts, state.tails),
            }
            # The article row's hash is taken when the row changed, or the head is new (an
            # unchanged one keeps its stored hash: one read fewer per write).
            if state.article_changed or not state.stored:
                article = self.session.execute(
                    select(Article.url, Article.outlet, Article.title, Article.created_at).where(
                        Article.key == name
                    )
                ).first()
                values["article_seal"] = None if article is None else article_seal(name, *article)
            if state.stored:
                self.session.execute(
                    Head.__table__.update()  # type: ignore[attr-defined]
                    .where(Head.chain_id == state.chain_id)
                    .values(**values)
                )
            else:
                self.session.execute(
                    Head.__table__.insert().values(chain_id=state.chain_id, **values)  # type: ignore[attr-defined]
                )
                state.stored = True
            state.dirty = state.article_changed = False
        if plain:  # one statement for them all (executemany: a fetch pass moves many chains)
            self.session.execute(_update_head(), plain)
