"""The quick reads: `show` (and, below, `log` and `diff`'s load) without a Session.

The read faces are run far more often than anything writes, and a Session's unit of work,
identity map and ORM rows cost more than the statements themselves. These paths run cached
Core statements on a pooled connection and build the records straight from the rows, outside
any write transaction. They return the same records the general path (a :class:`Tx` in
``store.read()``) returns, and None where that path would have to say what exists: the caller
then takes the general path, which words the error.

`show` is one statement: the revision's columns and its text rows down to the keyframe,
joined by ``base_revision_id`` as deep as :data:`codec.MAX_CHAIN` allows. One SELECT sees one
snapshot, so no transaction is needed around it (:func:`revtrack.store.engine.single_read`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, bindparam, select

from revtrack.records import RevisionRecord
from revtrack.store import codec
from revtrack.store.engine import translate_errors
from revtrack.store.models import Article, Revision, RevisionText
from revtrack.store.texts import LRUCache, chain_rows, decode_chain, joined_chain


class QuickReads:
    """The :class:`~revtrack.store.store.Store`'s reads that need no Session."""

    url: str
    engine: Engine
    _single_read: Engine
    _cache: LRUCache[int, str]

    def revision_with_text(
        self, key: str, number: int | None = None
    ) -> tuple[RevisionRecord, str] | None:
        """Revision ``number`` of article ``key`` (None: its latest) and its exact text.

        The `show` path: one cached Core statement on a pooled connection (no Session, no
        ORM objects) returns the record's columns and the text rows down to the keyframe,
        joined by ``base_revision_id`` as deep as :data:`codec.MAX_CHAIN` allows; a longer
        chain (a database written with a larger bound) costs a second statement. The text
        cache is consulted and filled as :meth:`Tx.load_text` does. None when there is no
        such article or revision: the caller's slow path says what exists.
        """
        # No transaction around it: the one statement sees one snapshot, and the rare
        # second one reads text rows, which are written once and never changed.
        with translate_errors(self.url), self._single_read.connect() as conn:
            if number is None:
                row = conn.execute(_show_query(True), {"key": key}).first()
            else:
                row = conn.execute(_show_query(False), {"key": key, "n": number}).first()
            if row is None:
                return None
            record = _show_record(row)
            cached = self._cache.get(record.id)
            if cached is not None:
                return record, cached
            chain = joined_chain(row[_SHOW_TEXT_AT:])
            if chain is None:  # deeper than the joins reach: the recursive query
                chain = chain_rows(conn, record.id)
        text = decode_chain(chain)
        self._cache.put(record.id, text)
        return record, text


_SHOW_COLUMNS = (
    "id",
    "article_id",
    "number",
    "captured_at",
    "ingested_at",
    "source",
    "source_kind",
    "title",
    "byline",
    "content_hash",
    "text_hash",
    "chain_hash",
    "chars",
    "words",
    "words_added",
    "words_removed",
    "hunks",
    "substantive_hunks",
)
"""The revision columns a :class:`RevisionRecord` copies as they are (stats/meta apart)."""
_SHOW_TEXT_AT = len(_SHOW_COLUMNS) + 4  # + stats, meta, article key, reverted number


@lru_cache(maxsize=2)
def _show_query(latest: bool) -> Any:  # a Select; its generic form differs across SQLAlchemy 2.x
    """One revision (by article key and number, or the latest) with its text chain.

    Columns: :data:`_SHOW_COLUMNS`, stats, meta, the article key, the number the revision
    reverts to, then (revision_id, codec, data) of the revision's text row and of each base
    row below it, ``MAX_CHAIN + 1`` levels of outer joins on the primary key (NULL past the
    keyframe). Core against the tables, so the columns' types (and any TypeDecorator)
    apply to what comes back. Built once: building it costs more than running it.
    """
    revisions = Revision.__table__
    articles = Article.__table__
    texts = RevisionText.__table__
    reverted = revisions.alias("reverted")
    levels = [texts.alias(f"text{i}") for i in range(codec.MAX_CHAIN + 1)]
    columns: list[Any] = [revisions.c[name] for name in _SHOW_COLUMNS]
    columns += [
        revisions.c.stats,
        revisions.c.meta,
        articles.c.key.label("article_key"),
        reverted.c.number.label("revert_number"),
    ]
    joined = revisions.join(articles, articles.c.id == revisions.c.article_id).outerjoin(
        reverted, reverted.c.id == revisions.c.revert_of_id
    )
    base = revisions.c.id
    for i, level in enumerate(levels):
        columns += [
            level.c.revision_id.label(f"text{i}_id"),
            level.c.codec.label(f"text{i}_codec"),
            level.c.data.label(f"text{i}_data"),
        ]
        joined = joined.outerjoin(level, level.c.revision_id == base)
        base = level.c.base_revision_id
    query = select(*columns).select_from(joined).where(articles.c.key == bindparam("key"))
    if latest:
        return query.order_by(revisions.c.number.desc()).limit(1)
    return query.where(revisions.c.number == bindparam("n"))


def _show_record(row: Any) -> RevisionRecord:
    n = len(_SHOW_COLUMNS)
    fields = dict(zip(_SHOW_COLUMNS, row[:n], strict=True))
    return RevisionRecord(
        **fields,
        stats=dict(row[n] or {}),
        meta=dict(row[n + 1] or {}),
        article_key=row[n + 2],
        revert_of=row[n + 3],
    )
