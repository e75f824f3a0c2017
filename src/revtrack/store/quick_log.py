"""`log`'s statements: an article, its revisions and its notes without a Session.

A log lists every revision of an article; through the ORM each one costs an entity, its
identity-map entry and then a record built from it, and a 100-revision log took milliseconds.
Here the revision rows come back as plain values and are turned into records directly: the
hashes, times and JSON columns are read as their stored form (bytes, integer microseconds,
text; see :mod:`revtrack.store.types`) and converted once, by the same rules their column
types apply.

Revision rows are append-only (migration 0002's triggers refuse UPDATE and DELETE), so a
revision's record never changes once committed: the store keeps the records it has built in
an LRU by revision id, and a log of an article read before fetches only its revisions' ids and
then the rows it has not seen. Notes are read afresh every time: a note's newest link, its
states and its superseding note grow as rows are appended.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from json import JSONDecoder
from typing import Any

from sqlalchemy import BigInteger, LargeBinary, Text, bindparam, func, select, type_coerce

from revtrack.records import (
    ArticleRecord,
    CorrectionRecord,
    LinkRecord,
    RevisionRecord,
    StateRecord,
)
from revtrack.store.models import Article, Correction, CorrectionLink, CorrectionState, Revision
from revtrack.store.types import from_micros

_HASHES = ("content_hash", "text_hash", "chain_hash")
_TIMES = ("captured_at", "ingested_at")
_PLAIN = (
    "id",
    "article_id",
    "number",
    "source",
    "source_kind",
    "title",
    "byline",
    "chars",
    "words",
    "words_added",
    "words_removed",
    "hunks",
    "substantive_hunks",
)
"""Revision columns whose stored value is the record's value as it is."""
ARTICLE_COLUMNS = ("id", "key", "url", "outlet", "title", "created_at")


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
    meta as JSON text (PostgreSQL's driver hands JSON over decoded), the article key and the
    number reverted to."""
    articles = Article.__table__
    revisions = Revision.__table__
    reverted = revisions.alias("reverted")
    columns: list[Any] = [revisions.c[name] for name in _PLAIN]
    columns += [type_coerce(revisions.c[name], LargeBinary) for name in _HASHES]
    columns += [type_coerce(revisions.c[name], BigInteger) for name in _TIMES]
    columns += [type_coerce(revisions.c.stats, Text), type_coerce(revisions.c.meta, Text)]
    columns += [articles.c.key, reverted.c.number]
    joined = revisions.join(articles, articles.c.id == revisions.c.article_id).outerjoin(
        reverted, reverted.c.id == revisions.c.revert_of_id
    )
    query = select(*columns).select_from(joined)
    if by_article:
        return query.where(revisions.c.article_id == bindparam("aid"))
    return query.where(revisions.c.id.in_(bindparam("ids", expanding=True)))


_DECODE = JSONDecoder().raw_decode  # what json.loads runs, less its wrapper and regex


def _json(value: Any) -> dict[str, Any]:
    """A stats or meta cell as the ORM would give it (``dict(value or {})``)."""
    if value is None or value == "{}":
        return {}
    if isinstance(value, str):
        value = _DECODE(value)[0]
    return dict(value or {})


def revision_record(row: Sequence[Any]) -> RevisionRecord:
    """A :func:`records_query` row as the record the general path builds."""
    return RevisionRecord(
        id=row[0],
        article_id=row[1],
        number=row[2],
        source=row[3],
        source_kind=row[4],
        title=row[5],
        byline=row[6],
        chars=row[7],
        words=row[8],
        words_added=row[9],
        words_removed=row[10],
        hunks=row[11],
        substantive_hunks=row[12],
        content_hash=bytes(row[13]).hex(),
        text_hash=bytes(row[14]).hex(),
        chain_hash=bytes(row[15]).hex(),
        captured_at=from_micros(row[16]),
        ingested_at=from_micros(row[17]),
        stats=_json(row[18]),
        meta=_json(row[19]),
        article_key=row[20],
        revert_of=row[21],
    )


def article_record(
    head: Sequence[Any], revisions: Sequence[RevisionRecord], notes: int
) -> ArticleRecord:
    """The article of a :func:`notes_query` row, with its counts and first/latest capture
    times as ``Tx.articles`` gives them, taken from what was read in the same snapshot."""
    times = [r.captured_at for r in revisions]
    return ArticleRecord(
        id=head[0],
        key=head[1],
        url=head[2],
        outlet=head[3],
        title=head[4],
        created_at=head[5],
        revisions=len(revisions),
        corrections=notes,
        first_at=min(times) if times else None,
        latest_at=max(times) if times else None,
    )


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


def correction_records(rows: Iterable[Sequence[Any]]) -> list[CorrectionRecord]:
    """:func:`notes_query`'s rows as the records ``Tx.corrections`` builds."""
    out: list[CorrectionRecord] = []
    fields: dict[str, Any] | None = None
    states: list[StateRecord] = []
    for whole in rows:
        row = whole[len(ARTICLE_COLUMNS) :]
        if row[0] is None:
            continue  # the article's one row when it has no notes
        if fields is None or fields["id"] != row[0]:
            if fields is not None:
                out.append(CorrectionRecord(**fields, states=tuple(states)))
            fields, states = _note_fields(row), []
        if row[20] is not None:
            states.append(
                StateRecord(
                    state=row[21],
                    revision=row[22],
                    reason=row[23],
                    actor=row[24],
                    created_at=row[25],
                )
            )
    if fields is not None:
        out.append(CorrectionRecord(**fields, states=tuple(states)))
    return out


def _note_fields(row: Sequence[Any]) -> dict[str, Any]:
    link = None
    if row[12] is not None:
        link = LinkRecord(
            id=row[12],
            fixing_revision=row[13],
            confidence=row[14],
            matched=row[15],
            evidence=list(row[16] or []),
            linker_version=row[17],
            actor=row[18],
            created_at=row[19],
        )
    return {
        "id": row[0],
        "article_key": row[1],
        "kind": row[2],
        "label": row[3],
        "text": row[4],
        "printed_date": row[5],
        "origin": row[6],
        "disclosed_revision": row[7],
        "supersedes_id": row[8],
        "superseded_by": row[9],
        "actor": row[10],
        "created_at": row[11],
        "link": link,
    }
