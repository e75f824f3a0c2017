"""`log`'s statements: an article, its revisions and its notes without a Session.

A log lists every revision of an article; through the ORM each one costs an entity, its
identity-map entry and then a record built from it, and a 100-revision log took milliseconds.
Here the revision rows come back as plain values and are turned into records directly: the
hashes, times and packed columns are read as their stored form (bytes, integer microseconds,
packed bytes; see :mod:`revtrack.store.types`) and converted once, by the same rules their column
types apply.

Revision rows are append-only (migration 0002's triggers refuse UPDATE and DELETE), so a
revision's record never changes once committed: the store keeps the records it has built in
an LRU by revision id, and a log of an article read before fetches only its revisions' ids and
then the rows it has not seen. Notes are read afresh every time: a note's newest link, its
states and its superseding note grow as rows are appended.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import BigInteger, LargeBinary, bindparam, func, select, type_coerce

from revtrack.store.models import Article, Correction, CorrectionLink, CorrectionState, Revision
from revtrack.store.rows import (
    ARTICLE_COLUMNS,
    HASH_COLUMNS,
    PLAIN_COLUMNS,
    TIME_COLUMNS,
    article_record,
    correction_records,
    revision_record,
)

__all__ = [
    "ARTICLE_COLUMNS",
    "article_record",
    "correction_records",
    "ids_query",
    "notes_query",
    "records_query",
    "revision_record",
]


@lru_cache(maxsize=1)
def ids_query() -> Any:  # a Select; its generic form differs across SQLAlchemy 2.x
    """The ids of the article's revisions, in number order (nothing else: the cheapest rows)."""
    articles = Article.__table__
    revisions = Revision.__table__
    return (
        select(revisions.c.id)
        .select_from(revisions.join(articles, articles.c.id == revisions.c.article_id))
        .where(articles.c.key == bindparam("key"))
        .order_by(revisions.c.number)
    )


@lru_cache(maxsize=2)
def records_query(by_article: bool) -> Any:  # a Select, see ids_query
    """Full revision rows of the article (``:aid``) or by id (``:ids``, expanding), in their
    stored form: the plain columns, the hashes as bytes, the times as microseconds, stats and
    meta packed (:mod:`revtrack.store.packed`), the article key and the number reverted to."""
    articles = Article.__table__
    revisions = Revision.__table__
    reverted = revisions.alias("reverted")
    columns: list[Any] = [revisions.c[name] for name in PLAIN_COLUMNS]
    columns += [type_coerce(revisions.c[name], LargeBinary) for name in HASH_COLUMNS]
    columns += [type_coerce(revisions.c[name], BigInteger) for name in TIME_COLUMNS]
    columns += [
        type_coerce(revisions.c.stats, LargeBinary),
        type_coerce(revisions.c.meta, LargeBinary),
    ]
    columns += [articles.c.key, reverted.c.number]
    joined = revisions.join(articles, articles.c.id == revisions.c.article_id).outerjoin(
        reverted, reverted.c.id == revisions.c.revert_of_id
    )
    query = select(*columns).select_from(joined)
    if by_article:
        return query.where(revisions.c.article_id == bindparam("aid"))
    return query.where(revisions.c.id.in_(bindparam("ids", expanding=True)))


@lru_cache(maxsize=1)
def notes_query() -> Any:  # a Select, see ids_query
    """The article, and its notes in id order, each with its newest link and one row per state.

    Columns (typed: a handful of rows): the article's; the note, the number of its disclosing
    revision and the id of the note that superseded it; the newest link with its fixing
    revision's number; a state with its revision's number. An article without notes gives one
    row, NULL from the note on; a note without a link or states has NULLs there.
    """
    articles = Article.__table__
    notes = Correction.__table__
    links = CorrectionLink.__table__
    states = CorrectionState.__table__
    revisions = Revision.__table__
    disclosed = revisions.alias("disclosed")
    fixing = revisions.alias("fixing")
    at_state = revisions.alias("at_state")
    newer = notes.alias("newer")
    other_links = links.alias("other_links")
    newest_link = (
        select(func.max(other_links.c.id))
        .where(other_links.c.correction_id == notes.c.id)
        .scalar_subquery()
    )
    superseded_by = (
        select(func.max(newer.c.id)).where(newer.c.supersedes_id == notes.c.id).scalar_subquery()
    )
    joined = (
        articles.outerjoin(notes, notes.c.article_id == articles.c.id)
        .outerjoin(disclosed, disclosed.c.id == notes.c.disclosed_revision_id)
        .outerjoin(links, links.c.id == newest_link)
        .outerjoin(fixing, fixing.c.id == links.c.fixing_revision_id)
        .outerjoin(states, states.c.correction_id == notes.c.id)
        .outerjoin(at_state, at_state.c.id == states.c.revision_id)
    )
    return (
        select(
            *(articles.c[name] for name in ARTICLE_COLUMNS),
            notes.c.id,
            articles.c.key,
            notes.c.kind,
            notes.c.label,
            notes.c.text,
            notes.c.printed_date,
            notes.c.origin,
            disclosed.c.number,
            notes.c.supersedes_id,
            superseded_by,
            notes.c.actor,
            notes.c.created_at,
            links.c.id,
            fixing.c.number,
            links.c.confidence,
            links.c.matched,
            links.c.evidence,
            links.c.linker_version,
            links.c.actor,
            links.c.created_at,
            states.c.id,
            states.c.state,
            at_state.c.number,
            states.c.reason,
            states.c.actor,
            states.c.created_at,
        )
        .select_from(joined)
        .where(articles.c.key == bindparam("key"))
        .order_by(notes.c.id, states.c.id)
    )
