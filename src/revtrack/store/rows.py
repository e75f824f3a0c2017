"""Records from rows in their stored form: the one place a row becomes a record.

The quick reads (:mod:`revtrack.store.quick_log`, on SQLAlchemy Core) and the stdlib-only
reader (:mod:`revtrack.store.lite`) both select a revision's columns as stored — hashes as
bytes, times as integer microseconds, stats and meta packed (:mod:`revtrack.store.packed`) —
and build the same :class:`~revtrack.records.RevisionRecord` the general path builds, by the
rules the column types apply (:mod:`revtrack.store.values`). No database library is imported
here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from revtrack.records import (
    ArticleRecord,
    CorrectionRecord,
    LinkRecord,
    RevisionRecord,
    StateRecord,
)
from revtrack.store.packed import unpack
from revtrack.store.sources import shown_source
from revtrack.store.values import from_micros

HASH_COLUMNS = ("content_hash", "text_hash", "chain_hash")
TIME_COLUMNS = ("captured_at", "ingested_at")
PLAIN_COLUMNS = (
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


def revision_record(row: Sequence[Any]) -> RevisionRecord:
    """A :func:`records_query` row as the record the general path builds."""
    return RevisionRecord(
        id=row[0],
        article_id=row[1],
        number=row[2],
        source=shown_source(row[20], row[3]),
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
        stats=unpack(row[18]),
        meta=unpack(row[19]),
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
