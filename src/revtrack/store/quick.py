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

from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Literal

from sqlalchemy import Connection, Engine, Integer, LargeBinary, bindparam, case, func, select

from revtrack.records import ArticleRecord, CorrectionRecord, RevisionRecord
from revtrack.store import codec
from revtrack.store.engine import translate_errors
from revtrack.store.models import Article, Revision, RevisionText, TextPack, TextPiece
from revtrack.store.quick_log import (
    ARTICLE_COLUMNS,
    article_record,
    correction_records,
    ids_query,
    notes_query,
    records_query,
    revision_record,
)
from revtrack.store.rederived import has_rederived_query
from revtrack.store.sources import shown_source
from revtrack.store.texts import LRUCache, chain_rows, decode_chain, joined_chain


class QuickReads:
    """The :class:`~revtrack.store.store.Store`'s reads that need no Session."""

    url: str
    engine: Engine
    backend: str
    _records: LRUCache[int, RevisionRecord]
    _single_read: Engine
    _cache: LRUCache[int, str]

    def revision_with_text(
        self, key: str, number: int | None = None, *, as_fetched: bool = False
    ) -> tuple[RevisionRecord, str] | None:
        """Revision ``number`` of article ``key`` (None: its latest) and its exact text.

        The `show` path: one cached Core statement on a pooled connection (no Session, no
        ORM objects) returns the record's columns and the text rows down to the keyframe,
        joined by ``base_revision_id`` as deep as :data:`codec.MAX_CHAIN` allows; a longer
        chain (a database written with a larger bound) costs a second statement. The text
        cache is consulted and filled as :meth:`Tx.load_text` does. None when there is no
        such article or revision: the caller's slow path says what exists, and None too for
        a revision `reextract` read again, unless ``as_fetched`` (its stored text) is asked
        for: its reading is the general path's (:meth:`Tx.derivation`).
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
            if not as_fetched and _rederived(conn, [record.id]):
                return None
            return record, self._text_of(conn, record, row[_SHOW_TEXT_AT:])

    def revision_pair(
        self, key: str, old: Pick, new: Pick, *, as_fetched: bool = False
    ) -> tuple[ArticleRecord, tuple[RevisionRecord, str], tuple[RevisionRecord, str]] | None:
        """Article ``key`` and two of its revisions with their exact texts: `diff`'s load.

        One statement, like :meth:`revision_with_text` (the two rows carry their text chains),
        on a pooled connection outside any transaction. None when the article or either
        revision does not exist: the general path then says what does; None too when either
        was read again by `reextract` and ``as_fetched`` is not asked for.
        """
        kinds = (_pick_kind(old), _pick_kind(new))
        params: dict[str, Any] = {"key": key}
        for name, kind, (_, value) in zip("ab", kinds, (old, new), strict=True):
            if kind != "max":
                params[name] = value
        with translate_errors(self.url), self._single_read.connect() as conn:
            rows = conn.execute(_pair_query(*kinds), params).all()
            if not rows:
                return None
            wanted = (rows[0][0], rows[0][1])  # the numbers the two picks name
            found: dict[int, tuple[RevisionRecord, str]] = {}
            records = [_show_record(row[_PAIR_RECORD_AT:]) for row in rows]
            if not as_fetched and _rederived(conn, [r.id for r in records]):
                return None
            for record, row in zip(records, rows, strict=True):
                found[record.number] = record, self._text_of(conn, record, row[_PAIR_TEXT_AT:])
        if wanted[0] not in found or wanted[1] not in found:
            return None
        article = ArticleRecord(
            **dict(zip(ARTICLE_COLUMNS, rows[0][2:_PAIR_RECORD_AT], strict=True))
        )
        return article, found[wanted[0]], found[wanted[1]]

    def article_log(
        self, key: str
    ) -> tuple[ArticleRecord, list[RevisionRecord], list[CorrectionRecord]] | None:
        """Article ``key`` with its counts, every revision in order and every note: `log`.

        Two statements (the article with its notes, then its revisions' ids) read in one
        snapshot, plus one for the revision rows whose records the store has not built yet
        (see :mod:`revtrack.store.quick_log`). None when there is no such article: the
        general path then says which articles exist.
        """
        with translate_errors(self.url), self._snapshot() as conn:
            # Notes first: on a backend where each statement has its own snapshot (PostgreSQL
            # at READ COMMITTED, as the general path reads too), every revision a note names
            # is then among the revisions read after it.
            rows = conn.execute(notes_query(), {"key": key}).all()
            if not rows:
                return None
            ids = conn.execute(ids_query(), {"key": key}).scalars().all()
            records = self._records.get_many(ids)
            if len(records) < len(ids):
                self._read_records(conn, rows[0][0], ids, records)
        revisions = [records[i] for i in ids]
        notes = correction_records(rows)
        return article_record(rows[0], revisions, len(notes)), revisions, notes

    def _read_records(
        self,
        conn: Connection,
        article_id: int,
        ids: Sequence[int],
        records: dict[int, RevisionRecord],
    ) -> None:
        """Build the records of ``ids`` missing from ``records`` (and keep them)."""
        if not records:  # none known: the article's rows, no list of ids to bind
            batches = [conn.execute(records_query(True), {"aid": article_id}).all()]
        else:
            missing = [i for i in ids if i not in records]
            batches = [
                conn.execute(records_query(False), {"ids": missing[at : at + 500]}).all()
                for at in range(0, len(missing), 500)
            ]
        for batch in batches:
            for row in batch:
                if row[0] not in records:
                    record = revision_record(row)
                    records[record.id] = record
                    self._records.put(record.id, record)

    def _snapshot(self) -> Connection:
        """A connection whose statements share one snapshot where the backend allows it
        cheaply: SQLite's deferred BEGIN (a read transaction, never the write lock);
        elsewhere autocommit, each statement its own snapshot as at READ COMMITTED."""
        if self.backend == "sqlite":
            return self.engine.connect()
        return self._single_read.connect()

    def _text_of(self, conn: Connection, record: RevisionRecord, cells: Sequence[Any]) -> str:
        """The record's text: from the cache, else decoded from the joined chain ``cells``
        (or from the recursive query, when the chain is deeper than the joins reach)."""
        cached = self._cache.get(record.id)
        if cached is not None:
            return cached
        chain = joined_chain(cells)
        if chain is None:
            chain = chain_rows(conn, record.id)
        text = decode_chain(chain)
        self._cache.put(record.id, text)
        return text


def _rederived(conn: Connection, ids: list[int]) -> bool:
    """Whether any of the revisions ``ids`` has a re-derived reading (`reextract`)."""
    return conn.execute(has_rederived_query(), {"ids": ids}).first() is not None


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


def _record_columns(revisions: Any, articles: Any, reverted: Any) -> list[Any]:
    """A :class:`RevisionRecord`'s columns, typed: :data:`_SHOW_COLUMNS`, stats, meta, the
    article key and the number the revision reverts to (see :func:`_show_record`)."""
    return [
        *(revisions.c[name] for name in _SHOW_COLUMNS),
        revisions.c.stats,
        revisions.c.meta,
        articles.c.key.label("article_key"),
        reverted.c.number.label("revert_number"),
    ]


def _with_text_levels(columns: list[Any], joined: Any, revision_id: Any) -> tuple[list[Any], Any]:
    """Add (revision_id, codec, data) of the revision's text row and of each base row below
    it: ``MAX_CHAIN + 1`` levels of outer joins on the primary key (NULL past the keyframe).

    Each level is the loose ``revision_texts`` row or the packed piece (its bytes cut out of
    its pack in SQL), whichever exists: ``coalesce`` of the two outer joins."""
    texts = RevisionText.__table__
    pieces = TextPiece.__table__
    packs = TextPack.__table__
    base = revision_id
    columns = list(columns)
    for i in range(codec.MAX_CHAIN + 1):
        level = texts.alias(f"text{i}")
        piece = pieces.alias(f"piece{i}")
        pack = packs.alias(f"pack{i}")
        columns += [
            func.coalesce(level.c.revision_id, piece.c.revision_id).label(f"text{i}_id"),
            func.coalesce(
                level.c.codec,
                case((piece.c.base_revision_id.is_(None), "zstd"), else_="zstd-delta"),
            ).label(f"text{i}_codec"),
            func.coalesce(
                level.c.data,
                func.substr(pack.c.data, piece.c.start + 1, piece.c.length, type_=LargeBinary),
                type_=LargeBinary,
            ).label(f"text{i}_data"),
        ]
        joined = (
            joined.outerjoin(level, level.c.revision_id == base)
            .outerjoin(piece, piece.c.revision_id == base)
            .outerjoin(pack, pack.c.id == piece.c.pack_id)
        )
        base = func.coalesce(level.c.base_revision_id, piece.c.base_revision_id)
    return columns, joined


@lru_cache(maxsize=2)
def _show_query(latest: bool) -> Any:  # a Select; its generic form differs across SQLAlchemy 2.x
    """One revision (by article key and number, or the latest) with its text chain.

    Columns: the record's (:func:`_record_columns`), then the text levels
    (:func:`_with_text_levels`). Core against the tables, so the columns' types (and any
    TypeDecorator) apply to what comes back. Built once: building it costs more than running it.
    """
    revisions = Revision.__table__
    articles = Article.__table__
    reverted = revisions.alias("reverted")
    joined = revisions.join(articles, articles.c.id == revisions.c.article_id).outerjoin(
        reverted, reverted.c.id == revisions.c.revert_of_id
    )
    columns, joined = _with_text_levels(
        _record_columns(revisions, articles, reverted), joined, revisions.c.id
    )
    query = select(*columns).select_from(joined).where(articles.c.key == bindparam("key"))
    if latest:
        return query.order_by(revisions.c.number.desc()).limit(1)
    return query.where(revisions.c.number == bindparam("n"))


_PAIR_RECORD_AT = 2 + len(ARTICLE_COLUMNS)  # after the two wanted numbers and the article
_PAIR_TEXT_AT = _PAIR_RECORD_AT + _SHOW_TEXT_AT

Pick = tuple[Literal["number", "latest"], int]
"""A revision named the way `diff` names one: ("number", n) is vN; ("latest", k) is
latest~k, the latest itself when k is 0."""


def _pick_kind(pick: Pick) -> str:
    kind, value = pick
    if kind == "number":
        return "number"
    return "max" if value == 0 else "count"


@lru_cache(maxsize=16)
def _pair_query(old: str, new: str) -> Any:  # a Select, see _show_query
    """`diff`'s two revisions of one article with their text chains, in one statement.

    ``old`` and ``new`` say how each is named: "number" (bound as ``:a`` / ``:b``), "max" (the
    latest: the highest number, as :meth:`Tx.latest_revision` finds it) or "count" (latest~k:
    the revision count less ``:a`` / ``:b``, as the general path counts back). Columns: the
    numbers the two picks name, the article's (:data:`ARTICLE_COLUMNS`), then
    :func:`_show_query`'s; one row per distinct revision found (one when both name the same
    revision, fewer when one does not exist).
    """
    revisions = Revision.__table__
    articles = Article.__table__
    reverted = revisions.alias("reverted")
    counted = revisions.alias("counted")

    def target(kind: str, name: str) -> Any:
        if kind == "number":
            return bindparam(name, type_=Integer)
        of_article = counted.c.article_id == articles.c.id
        if kind == "max":
            return select(func.max(counted.c.number)).where(of_article).scalar_subquery()
        count = select(func.count(counted.c.id)).where(of_article).scalar_subquery()
        return count - bindparam(name, type_=Integer)

    joined = revisions.join(articles, articles.c.id == revisions.c.article_id).outerjoin(
        reverted, reverted.c.id == revisions.c.revert_of_id
    )
    picks = [target(old, "a"), target(new, "b")]
    columns = [picks[0].label("want_a"), picks[1].label("want_b")]
    columns += [articles.c[name].label(f"article_{name}") for name in ARTICLE_COLUMNS]
    columns, joined = _with_text_levels(
        columns + _record_columns(revisions, articles, reverted), joined, revisions.c.id
    )
    return (
        select(*columns)
        .select_from(joined)
        .where(articles.c.key == bindparam("key"))
        .where(revisions.c.number.in_(picks))
    )


def _show_record(row: Sequence[Any]) -> RevisionRecord:
    n = len(_SHOW_COLUMNS)
    fields = dict(zip(_SHOW_COLUMNS, row[:n], strict=True))
    fields["source"] = shown_source(row[n + 2], fields["source"])
    return RevisionRecord(
        **fields,
        stats=dict(row[n] or {}),
        meta=dict(row[n + 1] or {}),
        article_key=row[n + 2],
        revert_of=row[n + 3],
    )
