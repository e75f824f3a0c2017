"""The reading commands' fast start: `show`, `log` and `diff` on SQLite with the stdlib alone.

A `revtrack show` is one process that runs one or two statements. Through the store it first
imports SQLAlchemy and declares the models, about 0.2-0.3 s of CPU that dwarfs the statements
themselves (tens of microseconds; see bench/results/faces.md). This reader opens the SQLite
file read-only with the :mod:`sqlite3` module, checks the schema version, and runs the same
reads as :mod:`revtrack.store.quick`, building the records through the same row mappers
(:mod:`revtrack.store.rows`) and the text through the same chain decoder
(:mod:`revtrack.store.text_chain`) — so what it returns is exactly what the store returns.

It only ever answers the common case. Whenever something is not plain — no such file, another
schema version, no such article or revision, a chain deeper than expected, any SQLite error —
it returns None and the caller takes the general path through the store, which opens the
database its usual way and words the error. So this module never has to say what went wrong,
and never decides anything the store would decide differently.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any, Literal, TypeVar, cast

from revtrack.records import ArticleRecord, CorrectionRecord, RevisionRecord
from revtrack.store.location import (
    BUSY_TIMEOUT_MS,
    plain_sqlite_file,
    read_only_uri,
    resolve_url,
)
from revtrack.store.rows import (
    ARTICLE_COLUMNS,
    HASH_COLUMNS,
    PLAIN_COLUMNS,
    TIME_COLUMNS,
    article_record,
    correction_records,
    revision_record,
)
from revtrack.store.schema_version import SCHEMA_HEAD
from revtrack.store.text_chain import CHAIN_SQL, decode_chain
from revtrack.store.values import from_micros

Pick = tuple[Literal["number", "latest"], int]
"""As :data:`revtrack.store.quick.Pick`: ("number", n) is vN, ("latest", k) is latest~k."""

Found = tuple[RevisionRecord, str]

_REVISION = (
    "SELECT "
    + ", ".join(f"r.{name}" for name in (*PLAIN_COLUMNS, *HASH_COLUMNS, *TIME_COLUMNS))
    + ", r.stats, r.meta, a.key, reverted.number"
    " FROM revisions AS r JOIN articles AS a ON a.id = r.article_id"
    " LEFT OUTER JOIN revisions AS reverted ON reverted.id = r.revert_of_id"
)
"""A revision's columns in their stored form, in :func:`rows.revision_record`'s order."""

_SHOW_LATEST = _REVISION + " WHERE a.key = :key ORDER BY r.number DESC LIMIT 1"
_SHOW_NUMBER = _REVISION + " WHERE a.key = :key AND r.number = :n"
_LOG_REVISIONS = _REVISION + " WHERE r.article_id = :aid ORDER BY r.number"
_ARTICLE = "SELECT " + ", ".join(ARTICLE_COLUMNS) + " FROM articles WHERE key = :key"
_COUNTS = "SELECT count(id), max(number) FROM revisions WHERE article_id = :aid"
# `articles`: a page in key order with the counts and times Tx.articles gives (its grouped
# reads, here as correlated subqueries on the same article_id indexes).
_LISTING = (
    "SELECT "
    + ", ".join(f"a.{name}" for name in ARTICLE_COLUMNS)
    + ", (SELECT count(id) FROM revisions WHERE article_id = a.id),"
    " (SELECT min(captured_at) FROM revisions WHERE article_id = a.id),"
    " (SELECT max(captured_at) FROM revisions WHERE article_id = a.id),"
    " (SELECT count(id) FROM corrections WHERE article_id = a.id)"
    " FROM articles AS a ORDER BY a.key LIMIT :limit OFFSET :offset"
)
_BY_NUMBER = _REVISION + " WHERE r.article_id = :aid AND r.number = :n"
# As store/rederived.py's has_rederived_query: a revision read again by `reextract` reads
# differently from its stored text, and that reading is the store's to give.
_REDERIVED = "SELECT 1 FROM revision_rederived WHERE revision_id = :rid LIMIT 1"

# `log`'s notes: the statement :func:`revtrack.store.quick_log.notes_query` builds, written
# out (a test compares the two readers' records on the same database).
_NOTES = (
    "SELECT "
    + ", ".join(f"a.{name}" for name in ARTICLE_COLUMNS)
    + ", c.id, a.key, c.kind, c.label, c.text, c.printed_date, c.origin, disclosed.number,"
    " c.supersedes_id,"
    " (SELECT max(newer.id) FROM corrections AS newer WHERE newer.supersedes_id = c.id),"
    " c.actor, c.created_at,"
    " l.id, fixing.number, l.confidence, l.matched, l.evidence, l.linker_version, l.actor,"
    " l.created_at,"
    " s.id, s.state, at_state.number, s.reason, s.actor, s.created_at"
    " FROM articles AS a"
    " LEFT OUTER JOIN corrections AS c ON c.article_id = a.id"
    " LEFT OUTER JOIN revisions AS disclosed ON disclosed.id = c.disclosed_revision_id"
    " LEFT OUTER JOIN correction_links AS l ON l.id = (SELECT max(other.id)"
    " FROM correction_links AS other WHERE other.correction_id = c.id)"
    " LEFT OUTER JOIN revisions AS fixing ON fixing.id = l.fixing_revision_id"
    " LEFT OUTER JOIN correction_states AS s ON s.correction_id = c.id"
    " LEFT OUTER JOIN revisions AS at_state ON at_state.id = s.revision_id"
    " WHERE a.key = :key ORDER BY c.id, s.id"
)
_AT = len(ARTICLE_COLUMNS)
_NOTE_TIMES = (_AT - 1, _AT + 11, _AT + 19, _AT + 25)  # article, note, link, state created_at
_NOTE_MATCHED = _AT + 15
_NOTE_EVIDENCE = _AT + 16


class _StepAside(Exception):
    """A SQLite error met by the stdlib reader: the caller takes the store's path."""


_F = TypeVar("_F", bound=Callable[..., Any])


def _or_none(method: _F) -> _F:
    """None instead of :class:`_StepAside` (see :meth:`LiteReader._snapshot`)."""

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except _StepAside:
            return None

    return cast(_F, wrapper)


class LiteReader:
    """Read-only, stdlib-only reads of one SQLite revtrack database (see the module doc)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    @classmethod
    def open(cls, db: str | None) -> LiteReader | None:
        """A reader of the database ``--db`` names, or None when it is not a plain SQLite
        file of this schema version that opens read-only (the store then says why)."""
        path = plain_sqlite_file(resolve_url(db))
        if path is None or not path.is_file():
            return None
        try:
            conn = sqlite3.connect(
                read_only_uri(path),
                uri=True,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error:
            return None
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.Error:
            row = None
        if row is None or row[0] != SCHEMA_HEAD:
            conn.close()
            return None
        return cls(conn)

    def close(self) -> None:
        with suppress(sqlite3.Error):
            self._conn.close()

    @_or_none
    def revision_with_text(
        self, key: str, number: int | None = None, *, as_fetched: bool = False
    ) -> Found | None:
        """As :meth:`revtrack.store.quick.QuickReads.revision_with_text`."""
        with self._snapshot() as conn:  # any SQLite error: None, and the store says it
            if number is None:
                row = conn.execute(_SHOW_LATEST, {"key": key}).fetchone()
            else:
                row = conn.execute(_SHOW_NUMBER, {"key": key, "n": number}).fetchone()
            return None if row is None else self._with_text(conn, row, as_fetched)

    @_or_none
    def revision_pair(
        self, key: str, old: Pick, new: Pick, *, as_fetched: bool = False
    ) -> tuple[ArticleRecord, Found, Found] | None:
        """As :meth:`revtrack.store.quick.QuickReads.revision_pair`: the latest is the highest
        number, latest~k the revision count less k."""
        with self._snapshot() as conn:
            head = conn.execute(_ARTICLE, {"key": key}).fetchone()
            if head is None:
                return None
            count, highest = conn.execute(_COUNTS, {"aid": head[0]}).fetchone()
            found: list[Found] = []
            for kind, value in (old, new):
                if kind == "number":
                    number = value
                elif value == 0:
                    number = highest
                else:
                    number = count - value
                row = conn.execute(_BY_NUMBER, {"aid": head[0], "n": number}).fetchone()
                if row is None:
                    return None
                pair = self._with_text(conn, row, as_fetched)
                if pair is None:
                    return None
                found.append(pair)
        article = ArticleRecord(**dict(zip(ARTICLE_COLUMNS, _article_cells(head), strict=True)))
        return article, found[0], found[1]

    @_or_none
    def articles(self, *, offset: int = 0, limit: int | None = None) -> list[ArticleRecord] | None:
        """As :meth:`revtrack.store.articles.ArticlesMixin.articles` (every key, in order)."""
        with self._snapshot() as conn:
            rows = conn.execute(
                _LISTING, {"limit": -1 if limit is None else limit, "offset": offset}
            )
            found = []
            for row in rows:
                head, (count, first, latest, notes) = row[:_AT], row[_AT:]
                found.append(
                    ArticleRecord(
                        **dict(zip(ARTICLE_COLUMNS, _article_cells(head), strict=True)),
                        revisions=int(count),
                        corrections=int(notes),
                        first_at=None if first is None else from_micros(first),
                        latest_at=None if latest is None else from_micros(latest),
                    )
                )
        return found

    @_or_none
    def article_log(
        self, key: str
    ) -> tuple[ArticleRecord, list[RevisionRecord], list[CorrectionRecord]] | None:
        """As :meth:`revtrack.store.quick.QuickReads.article_log`, in one read transaction."""
        with self._snapshot() as conn:
            rows = [_typed_note_row(r) for r in conn.execute(_NOTES, {"key": key})]
            if not rows:
                return None
            revisions = [
                revision_record(r) for r in conn.execute(_LOG_REVISIONS, {"aid": rows[0][0]})
            ]
        notes = correction_records(rows)
        return article_record(rows[0], revisions, len(notes)), revisions, notes

    def _with_text(
        self, conn: sqlite3.Connection, row: Sequence[Any], as_fetched: bool
    ) -> Found | None:
        """The record and its stored text; None (the store's path) when the text is not all
        there, or when the revision was re-derived and its reading, not its text, is wanted."""
        record = revision_record(row)
        if not as_fetched and conn.execute(_REDERIVED, {"rid": record.id}).fetchone():
            return None
        chain = [
            (int(r[0]), str(r[1]), bytes(r[2])) for r in conn.execute(CHAIN_SQL, {"rid": record.id})
        ]
        if not chain or chain[-1][1] != "zstd":
            return None  # incomplete: the store's path raises the DatabaseError
        return record, decode_chain(chain)

    @contextmanager
    def _snapshot(self) -> Iterator[sqlite3.Connection]:
        """One read transaction (SQLite's deferred BEGIN: a snapshot, never the write lock).

        A SQLite error inside (locked past the timeout, a damaged page, a file that cannot be
        read) is raised as :class:`_StepAside`, which the public reads turn into None: the
        store's path then meets the same condition and words it."""
        conn = self._conn
        try:
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                conn.execute("ROLLBACK")
        except sqlite3.Error as exc:
            raise _StepAside from exc


def _article_cells(head: Sequence[Any]) -> list[Any]:
    cells = list(head)
    cells[-1] = from_micros(cells[-1])  # created_at, the last of ARTICLE_COLUMNS
    return cells


def _typed_note_row(row: Sequence[Any]) -> list[Any]:
    """A :data:`_NOTES` row with its cells as SQLAlchemy's column types give them (times as
    datetimes, ``matched`` as a bool, the evidence decoded), which the mappers expect."""
    cells = list(row)
    for at in _NOTE_TIMES:
        if cells[at] is not None:
            cells[at] = from_micros(cells[at])
    if cells[_NOTE_MATCHED] is not None:
        cells[_NOTE_MATCHED] = bool(cells[_NOTE_MATCHED])
    if isinstance(cells[_NOTE_EVIDENCE], str):
        cells[_NOTE_EVIDENCE] = json.loads(cells[_NOTE_EVIDENCE])
    return cells
