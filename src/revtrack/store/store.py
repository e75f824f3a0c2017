"""The one object that owns the database: :class:`Store`.

Every operation runs in one transaction (``with store.write() as tx``); the transaction object
:class:`Tx` offers the reads and appends the service layer needs and returns plain records
from :mod:`revtrack.records`. Nothing outside this package sees SQLAlchemy. The one
exception to "one transaction" is :meth:`Store.revision_with_text`, `show`'s quick path: a
single Core statement on a pooled connection, no Session and no transaction.

Text is written through :mod:`revtrack.store.codec`: a revision is a keyframe or a delta
against its article's current keyframe, with a new keyframe every ``KEYFRAME_INTERVAL``
revisions and deltas chained at most ``MAX_CHAIN`` deep, so rebuilding any revision costs at
most ``MAX_CHAIN + 1`` decompressions. Decoded texts are kept in a small LRU cache by revision
id, so walking an article's history (diff, blame, audit) rebuilds each revision once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Connection, Table, and_, bindparam, func, select, text
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, aliased

from revtrack.errors import DatabaseError, DatabaseLocked, NoDatabase, SchemaOutOfDate
from revtrack.records import (
    ArticleRecord,
    CorrectionRecord,
    EventRecord,
    LinkRecord,
    RevisionRecord,
    StateRecord,
)
from revtrack.store import codec
from revtrack.store.engine import make_engine, resolve_url, single_read, sqlite_path
from revtrack.store.hashing import GENESIS, event_hash, revision_chain_hash
from revtrack.store.migrate import KNOWN_REVISIONS, SCHEMA_HEAD, current_version, upgrade
from revtrack.store.models import (
    Article,
    Correction,
    CorrectionLink,
    CorrectionState,
    Event,
    EventChain,
    ImportItem,
    Revision,
    RevisionText,
)

GLOBAL_CHAIN = "-"


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class _TextCache:
    """A tiny thread-safe LRU of decoded texts keyed by revision id."""

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._data: OrderedDict[int, str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: int) -> str | None:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: int, value: str) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self._size:
                self._data.popitem(last=False)

    def drop(self, key: int) -> None:
        with self._lock:
            self._data.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


class Store:
    """A revtrack database. ``create=True`` makes (or upgrades) it; otherwise it must exist."""

    def __init__(self, db: str | None = None, *, create: bool = False, check: bool = True) -> None:
        self.url = resolve_url(db)
        path = sqlite_path(self.url)
        if path is not None and not path.exists() and not create:
            raise NoDatabase(f"No revtrack database at {path}.")
        if path is not None and create:
            path.parent.mkdir(parents=True, exist_ok=True)
        self.engine = make_engine(self.url)
        self.backend = self.engine.dialect.name
        self._cache = _TextCache()
        self._single_read = single_read(self.engine)
        self.upgraded: tuple[str | None, str] | None = None
        if create:
            self.upgraded = self.upgrade()
        elif check:
            self.check_schema()

    # -- schema -----------------------------------------------------------------------
    def upgrade(self) -> tuple[str | None, str]:
        with _translate_errors(self.url):
            return upgrade(self.engine)

    def version(self) -> str | None:
        with _translate_errors(self.url), self.engine.connect() as conn:
            return current_version(conn)

    def check_schema(self) -> None:
        found = self.version()
        if found == SCHEMA_HEAD:
            return
        if found is None:
            raise NoDatabase(
                f"The database {self.display_url} has no revtrack schema.",
                "Run `revtrack init` to create it.",
            )
        if found in KNOWN_REVISIONS:
            raise SchemaOutOfDate(
                f"The database schema is at {found}, this revtrack needs {SCHEMA_HEAD}."
            )
        raise SchemaOutOfDate(
            f"The database schema {found} is not one this revtrack knows (newest: {SCHEMA_HEAD}).",
            "Upgrade revtrack to the version that created this database.",
        )

    @property
    def display_url(self) -> str:
        path = sqlite_path(self.url)
        return str(path) if path is not None else self.engine.url.render_as_string(True)

    def dispose(self) -> None:
        self.engine.dispose()

    # -- transactions -----------------------------------------------------------------
    @contextmanager
    def write(self) -> Iterator[Tx]:
        """One write transaction; commits on success, rolls back everything on any error."""
        with _translate_errors(self.url):
            engine = self.engine.execution_options(revtrack_write=True)
            with Session(engine, expire_on_commit=False) as session, session.begin():
                tx = Tx(session, self)
                try:
                    yield tx
                    tx.flush_appends()
                except BaseException:
                    tx.forget()  # rolled back: ids it cached texts under may be reused
                    raise

    @contextmanager
    def read(self) -> Iterator[Tx]:
        with _translate_errors(self.url), Session(self.engine) as session, session.begin():
            yield Tx(session, self)

    # -- the quick read path ------------------------------------------------------------
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
        with _translate_errors(self.url), self._single_read.connect() as conn:
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
            chain = _joined_chain(row[_SHOW_TEXT_AT:])
            if chain is None:  # deeper than the joins reach: the recursive query
                chain = _chain_rows(conn, record.id)
        text = _decode_chain(chain)
        self._cache.put(record.id, text)
        return record, text


@contextmanager
def _translate_errors(url: str) -> Iterator[None]:
    try:
        yield
    except OperationalError as exc:
        message = str(exc.orig) if exc.orig is not None else str(exc)
        if "locked" in message or "busy" in message:
            raise DatabaseLocked("The database is locked by another process.") from exc
        if "no such table" in message or "does not exist" in message:
            raise SchemaOutOfDate(f"The database is missing revtrack tables ({message}).") from exc
        if "connection" in message.lower() or "could not" in message.lower():
            raise DatabaseError(
                f"Cannot connect to the database: {message.splitlines()[0]}",
                "Check --db or REVTRACK_DATABASE_URL and that the server is running.",
            ) from exc
        raise DatabaseError(f"Database error: {message.splitlines()[0]}") from exc
    except SADatabaseError as exc:
        if isinstance(exc, IntegrityError):
            raise
        message = str(exc.orig) if exc.orig is not None else str(exc)
        raise DatabaseError(
            f"The file is not a usable database: {message.splitlines()[0]}",
            "Check the --db path.",
        ) from exc


@lru_cache(maxsize=1)
def _revision_query() -> Any:  # a Select; its generic form differs across SQLAlchemy 2.x
    """Revision rows with their article key and the number they revert to.

    Built once: constructing the aliased join costs more than running the query.
    """
    reverted = aliased(Revision)
    return (
        select(Revision, Article.key, reverted.number)
        .join(Article, Article.id == Revision.article_id)
        .outerjoin(reverted, reverted.id == Revision.revert_of_id)
    )


@lru_cache(maxsize=2)
def _article_by_key(for_update: bool) -> Any:
    query = select(Article).where(Article.key == bindparam("key"))
    return query.with_for_update() if for_update else query


@lru_cache(maxsize=1)
def _revision_by_number() -> Any:
    return _revision_query().where(
        and_(Revision.article_id == bindparam("aid"), Revision.number == bindparam("n"))
    )


@lru_cache(maxsize=1)
def _event_query() -> Any:
    """Event rows with their chain's name (the records carry the name, the rows its id)."""
    return select(Event, EventChain.name).join(EventChain, EventChain.id == Event.chain_id)


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


_CHAIN_QUERY = text(
    """
    WITH RECURSIVE chain(revision_id, codec, base_revision_id, data, depth) AS (
        SELECT revision_id, codec, base_revision_id, data, 0
        FROM revision_texts WHERE revision_id = :rid
        UNION ALL
        SELECT t.revision_id, t.codec, t.base_revision_id, t.data, chain.depth + 1
        FROM revision_texts t JOIN chain ON t.revision_id = chain.base_revision_id
        WHERE chain.depth < 64
    )
    SELECT revision_id, codec, data FROM chain ORDER BY depth
    """
)
"""A revision's stored text and every row down to its keyframe (depth guards a cycle)."""

_REVISIONS = cast(Table, Revision.__table__)
_INSERT_REVISION = _REVISIONS.insert().returning(_REVISIONS.c.id)
_INSERT_TEXT = cast(Table, RevisionText.__table__).insert()
_INSERT_EVENT = cast(Table, Event.__table__).insert()
_FIND_CONTENT = (
    select(_REVISIONS.c.id, _REVISIONS.c.number)
    .where(
        and_(
            _REVISIONS.c.article_id == bindparam("aid"),
            _REVISIONS.c.content_hash == bindparam("chash"),
        )
    )
    .order_by(_REVISIONS.c.number)
    .limit(1)
)


def _chain_rows(executor: Session | Connection, revision_id: int) -> list[tuple[int, str, bytes]]:
    """(id, codec, data) from the revision down to its keyframe, in one query."""
    rows = [
        (int(r[0]), str(r[1]), bytes(r[2]))
        for r in executor.execute(_CHAIN_QUERY, {"rid": revision_id})
    ]
    if not rows or rows[-1][1] != "zstd":
        raise DatabaseError(f"Revision id {revision_id} has no complete chain of stored text.")
    return rows


def _decode_chain(chain: Sequence[tuple[int, str, bytes]]) -> str:
    """The text of ``chain[0]``: decode the keyframe (last), then apply each delta upwards."""
    return codec.decode_chain(chain[-1][2], [data for _, _, data in reversed(chain[:-1])])


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


def _joined_chain(cells: Sequence[Any]) -> list[tuple[int, str, bytes]] | None:
    """The chain from :func:`_show_query`'s text columns; None if it stops short of a keyframe."""
    chain: list[tuple[int, str, bytes]] = []
    for i in range(0, len(cells), 3):
        rid, codec_name, data = cells[i : i + 3]
        if rid is None:
            break
        chain.append((int(rid), str(codec_name), bytes(data)))
        if codec_name == "zstd":
            return chain
    return None


def _revision_record(row: Revision, key: str, revert_number: int | None) -> RevisionRecord:
    return RevisionRecord(
        id=row.id,
        article_id=row.article_id,
        article_key=key,
        number=row.number,
        captured_at=row.captured_at,
        ingested_at=row.ingested_at,
        source=row.source,
        source_kind=row.source_kind,
        title=row.title,
        byline=row.byline,
        content_hash=row.content_hash,
        text_hash=row.text_hash,
        chain_hash=row.chain_hash,
        revert_of=revert_number,
        chars=row.chars,
        words=row.words,
        words_added=row.words_added,
        words_removed=row.words_removed,
        hunks=row.hunks,
        substantive_hunks=row.substantive_hunks,
        stats=dict(row.stats or {}),
        meta=dict(row.meta or {}),
    )


def _from_row(row: Any) -> RevisionRecord:
    return _revision_record(row[0], row[1], row[2])


def _article_record(row: Article, **counts: Any) -> ArticleRecord:
    return ArticleRecord(
        id=row.id,
        key=row.key,
        url=row.url,
        outlet=row.outlet,
        title=row.title,
        created_at=row.created_at,
        **counts,
    )


class Tx:
    """Reads and appends inside one transaction."""

    def __init__(self, session: Session, store: Store) -> None:
        self.session = session
        self.store = store
        # Heads this transaction has itself written. Nobody else can move them before we
        # commit (the article row or the SQLite write lock is ours), so a bulk import of
        # many versions skips re-reading what it just wrote.
        self._latest: dict[int, RevisionRecord] = {}
        self._tips: dict[int, tuple[int, int, int, int]] = {}
        self._heads: dict[str, tuple[int, str]] = {}
        self._articles: dict[str, ArticleRecord] = {}  # locked by us: found or created
        # Content hash -> earliest (id, number), for articles whose every revision this
        # transaction wrote: a bulk import's revert checks then need no query.
        self._contents: dict[int, dict[str, tuple[int, int]]] = {}
        self._chain_ids: dict[str, int] = {}  # event chain name -> id, as seen in this tx
        # Text and event rows are written in batches (one statement per table and document
        # in a bulk import): see flush_appends for when.
        self._pending_texts: list[dict[str, Any]] = []
        self._pending_events: list[dict[str, Any]] = []
        self._cached: list[int] = []  # revision ids whose new text this transaction cached

    # -- articles ---------------------------------------------------------------------
    def get_article(self, key: str, *, lock: bool = False) -> ArticleRecord | None:
        query = _article_by_key(lock and self.store.backend == "postgresql")
        row = self.session.scalars(query, {"key": key}).first()
        return None if row is None else _article_record(row)

    def ensure_article(
        self,
        key: str,
        *,
        url: str | None = None,
        outlet: str | None = None,
        title: str | None = None,
    ) -> tuple[ArticleRecord, bool]:
        """Get or create the article, locked for this transaction; True when created."""
        found = self._articles.get(key) or self.get_article(key, lock=True)
        if found is not None:
            self._articles[key] = found
            return found, False
        try:
            with self.session.begin_nested():
                row = Article(key=key, url=url, outlet=outlet, title=title, created_at=utcnow())
                self.session.add(row)
                self.session.flush()
        except IntegrityError:
            # Another writer created it between our read and our insert: use theirs.
            found = self.get_article(key, lock=True)
            assert found is not None
            self._articles[key] = found
            return found, False
        self._articles[key] = _article_record(row)
        return self._articles[key], True

    def update_article(self, article_id: int, **fields: Any) -> None:
        row = self.session.get(Article, article_id)
        assert row is not None
        for name, value in fields.items():
            if value is not None:
                setattr(row, name, value)
        self._articles.pop(row.key, None)

    def set_article_created(self, article_id: int, created_at: datetime | None) -> None:
        row = self.session.get(Article, article_id)
        assert row is not None
        if created_at is not None:
            row.created_at = created_at
            self._articles.pop(row.key, None)

    def articles(
        self, keys: Sequence[str] | None = None, *, offset: int = 0, limit: int | None = None
    ) -> list[ArticleRecord]:
        """Articles in key order with revision/correction counts and first/latest times.

        The page of articles is chosen first and counted second (per 500 ids), so a page
        costs the same on a database of a million articles as on a small one.
        """
        query = select(Article).order_by(Article.key)
        if keys is not None:
            query = query.where(Article.key.in_(list(keys)))
        if offset:
            query = query.offset(offset)
        if limit is not None:
            query = query.limit(limit)
        rows = list(self.session.scalars(query))
        stats: dict[int, tuple[int, datetime | None, datetime | None]] = {}
        notes: dict[int, int] = {}
        for chunk in range(0, len(rows), 500):
            ids = [a.id for a in rows[chunk : chunk + 500]]
            for aid, n, first, latest in self.session.execute(
                select(
                    Revision.article_id,
                    func.count(Revision.id),
                    func.min(Revision.captured_at),
                    func.max(Revision.captured_at),
                )
                .where(Revision.article_id.in_(ids))
                .group_by(Revision.article_id)
            ):
                stats[int(aid)] = (int(n), first, latest)
            for aid, c in self.session.execute(
                select(Correction.article_id, func.count(Correction.id))
                .where(Correction.article_id.in_(ids))
                .group_by(Correction.article_id)
            ):
                notes[int(aid)] = int(c)
        out = []
        for a in rows:
            count, first_at, latest_at = stats.get(a.id, (0, None, None))
            out.append(
                _article_record(
                    a,
                    revisions=count,
                    corrections=notes.get(a.id, 0),
                    first_at=first_at,
                    latest_at=latest_at,
                )
            )
        return out

    def article_count(self) -> int:
        return int(self.session.scalar(select(func.count(Article.id))) or 0)

    def article_keys(self, *, after: str | None = None, limit: int = 1000) -> list[str]:
        query = select(Article.key).order_by(Article.key).limit(limit)
        if after is not None:
            query = query.where(Article.key > after)
        return list(self.session.scalars(query))

    def similar_keys(self, key: str, limit: int = 5) -> list[str]:
        stem = key[:4]
        query = select(Article.key).where(Article.key.like(f"{stem}%")).limit(limit)
        return list(self.session.scalars(query))

    # -- revisions --------------------------------------------------------------------
    def revisions(self, article_id: int) -> list[RevisionRecord]:
        query = _revision_query().where(Revision.article_id == article_id).order_by(Revision.number)
        return [_from_row(row) for row in self.session.execute(query)]

    def revision(self, article_id: int, number: int) -> RevisionRecord | None:
        row = self.session.execute(_revision_by_number(), {"aid": article_id, "n": number}).first()
        return None if row is None else _from_row(row)

    def latest_revision(self, article_id: int) -> RevisionRecord | None:
        if article_id in self._latest:
            return self._latest[article_id]
        query = (
            _revision_query()
            .where(Revision.article_id == article_id)
            .order_by(Revision.number.desc())
            .limit(1)
        )
        row = self.session.execute(query).first()
        return None if row is None else _from_row(row)

    def latest_fetch_of(self, url: str) -> RevisionRecord | None:
        """The newest revision fetched from ``url`` (any article): its HTTP validators."""
        query = (
            _revision_query()
            .where(and_(Revision.source_kind == "url", Revision.source == url))
            .order_by(Revision.id.desc())
            .limit(1)
        )
        row = self.session.execute(query).first()
        return None if row is None else _from_row(row)

    def revision_count(self, article_id: int) -> int:
        query = select(func.count(Revision.id)).where(Revision.article_id == article_id)
        return int(self.session.scalar(query) or 0)

    def revision_at(self, article_id: int, moment: datetime) -> RevisionRecord | None:
        """The revision current at ``moment``: the last one captured at or before it."""
        query = (
            _revision_query()
            .where(and_(Revision.article_id == article_id, Revision.captured_at <= moment))
            .order_by(Revision.captured_at.desc(), Revision.number.desc())
            .limit(1)
        )
        row = self.session.execute(query).first()
        return None if row is None else _from_row(row)

    def find_content(self, article_id: int, content_hash: str) -> tuple[int, int] | None:
        """(id, number) of the article's earliest revision with this normalized-text hash."""
        if article_id in self._contents:
            return self._contents[article_id].get(content_hash)
        row = self.session.execute(
            _FIND_CONTENT, {"aid": article_id, "chash": content_hash}
        ).first()
        return None if row is None else (int(row[0]), int(row[1]))

    def add_revision(
        self,
        article: ArticleRecord,
        text: str,
        *,
        captured_at: datetime,
        source: str,
        source_kind: str,
        title: str | None,
        byline: str | None,
        content_hash: str,
        text_hash: str,
        revert_of_id: int | None,
        revert_of_number: int | None,
        words: int,
        stats: dict[str, Any],
        meta: dict[str, Any] | None = None,
    ) -> RevisionRecord:
        """Append the next revision of ``article`` (number = latest + 1) with its text."""
        known = self._latest.get(article.id)
        latest = (
            (known.number, known.chain_hash)
            if known is not None
            else self.session.execute(
                select(Revision.number, Revision.chain_hash)
                .where(Revision.article_id == article.id)
                .order_by(Revision.number.desc())
                .limit(1)
            ).first()
        )
        number = 1 if latest is None else latest[0] + 1
        prev_chain = GENESIS if latest is None else latest[1]
        values: dict[str, Any] = {
            "article_id": article.id,
            "number": number,
            "captured_at": captured_at,
            "ingested_at": utcnow(),
            "source": source,
            "source_kind": source_kind,
            "title": title,
            "byline": byline,
            "content_hash": content_hash,
            "text_hash": text_hash,
            "chain_hash": revision_chain_hash(
                prev_chain, article.key, number, text_hash, captured_at, revert_of_number
            ),
            "revert_of_id": revert_of_id,
            "chars": len(text),
            "words": words,
            "words_added": int(stats.get("words_added", 0)),
            "words_removed": int(stats.get("words_removed", 0)),
            "hunks": int(stats.get("hunks", 0)),
            "substantive_hunks": int(stats.get("substantive_hunks", 0)),
            "stats": {
                k: v
                for k, v in stats.items()
                if v and k not in {"words_added", "words_removed", "hunks", "substantive_hunks"}
            },
            "meta": meta or {},
        }
        # A Core insert, not an ORM object: a bulk import appends thousands of rows that
        # nothing reads back as entities, and the unit of work cost more than the insert.
        revision_id = int(self.session.execute(_INSERT_REVISION, values).scalar_one())
        self._store_text(article.id, revision_id, number, text)
        if number == 1:
            self._contents[article.id] = {}
        if article.id in self._contents:
            self._contents[article.id].setdefault(content_hash, (revision_id, number))
        record = RevisionRecord(
            id=revision_id,
            article_key=article.key,
            revert_of=revert_of_number,
            **{k: v for k, v in values.items() if k != "revert_of_id"},
        )
        self._latest[article.id] = record
        return record

    def _store_text(self, article_id: int, revision_id: int, number: int, text: str) -> None:
        """Pack ``text`` as a keyframe or a delta (see :mod:`revtrack.store.codec`)."""
        row: dict[str, Any] = {"revision_id": revision_id, "base_revision_id": None}
        depth = 0
        prev = self._chain_tip(article_id, number)
        if prev is not None:
            prev_id, prev_depth, keyframe_id, keyframe_number = prev
            if number - keyframe_number < codec.KEYFRAME_INTERVAL:
                if prev_depth < codec.MAX_CHAIN:
                    base_id, depth = prev_id, prev_depth + 1
                else:
                    base_id, depth = keyframe_id, 1
                delta = codec.encode_delta(text, self.load_text(base_id))
                if codec.delta_pays(delta, text):
                    row.update(codec="zstd-delta", base_revision_id=base_id, data=delta)
                else:
                    depth = 0
        if depth == 0:
            row.update(codec="zstd", data=codec.encode(text))
        self._pending_texts.append(row)
        self.store._cache.put(revision_id, text)
        self._cached.append(revision_id)
        if depth == 0:
            self._tips[article_id] = (revision_id, 0, revision_id, number)
        else:
            assert prev is not None
            self._tips[article_id] = (revision_id, depth, prev[2], prev[3])

    def _chain_tip(self, article_id: int, number: int) -> tuple[int, int, int, int] | None:
        """(id, chain depth, keyframe id, keyframe number) of the article's previous revision."""
        if article_id in self._tips:
            return self._tips[article_id]
        prev_id = self.session.scalar(
            select(Revision.id)
            .where(and_(Revision.article_id == article_id, Revision.number < number))
            .order_by(Revision.number.desc())
            .limit(1)
        )
        if prev_id is None:
            return None
        chain = self._chain_rows(int(prev_id))
        keyframe_id = chain[-1][0]
        keyframe_number = self.session.scalar(
            select(Revision.number).where(Revision.id == keyframe_id)
        )
        assert keyframe_number is not None
        return int(prev_id), len(chain) - 1, keyframe_id, int(keyframe_number)

    def _chain_rows(self, revision_id: int) -> list[tuple[int, str, bytes]]:
        """(id, codec, data) from the revision down to its keyframe, in one query."""
        self.flush_appends()  # the batched rows of this transaction must be in the table
        return _chain_rows(self.session, revision_id)

    def load_text(self, revision_id: int) -> str:
        """The exact text of a revision, rebuilt from its keyframe through its deltas."""
        cached = self.store._cache.get(revision_id)
        if cached is not None:
            return cached
        text = _decode_chain(self._chain_rows(revision_id))
        self.store._cache.put(revision_id, text)
        return text

    def raw_text_row(self, revision_id: int) -> tuple[str, int | None, bytes]:
        self.flush_appends()
        row = self.session.execute(
            select(RevisionText.codec, RevisionText.base_revision_id, RevisionText.data).where(
                RevisionText.revision_id == revision_id
            )
        ).one()
        return str(row[0]), row[1], bytes(row[2])

    # -- corrections ------------------------------------------------------------------
    def add_correction(
        self,
        *,
        article_id: int,
        kind: str,
        label: str,
        text: str,
        printed_date: str,
        origin: str,
        disclosed_revision_id: int | None,
        supersedes_id: int | None,
        actor: str,
    ) -> int:
        row = Correction(
            article_id=article_id,
            kind=kind,
            label=label,
            text=text,
            printed_date=printed_date,
            origin=origin,
            disclosed_revision_id=disclosed_revision_id,
            supersedes_id=supersedes_id,
            actor=actor,
            created_at=utcnow(),
        )
        self.session.add(row)
        self.session.flush()
        return row.id

    def add_link(
        self,
        correction_id: int,
        *,
        fixing_revision_id: int | None,
        confidence: float,
        matched: bool,
        evidence: list[dict[str, Any]],
        linker_version: str,
        actor: str,
    ) -> int:
        row = CorrectionLink(
            correction_id=correction_id,
            fixing_revision_id=fixing_revision_id,
            confidence=confidence,
            matched=matched,
            evidence=evidence,
            linker_version=linker_version,
            actor=actor,
            created_at=utcnow(),
        )
        self.session.add(row)
        self.session.flush()
        return row.id

    def add_state(
        self, correction_id: int, state: str, *, revision_id: int | None, reason: str, actor: str
    ) -> None:
        self.session.add(
            CorrectionState(
                correction_id=correction_id,
                state=state,
                revision_id=revision_id,
                reason=reason,
                actor=actor,
                created_at=utcnow(),
            )
        )
        self.session.flush()

    def corrections(
        self, article_id: int | None = None, ids: Sequence[int] | None = None
    ) -> list[CorrectionRecord]:
        query = select(Correction, Article.key).join(Article, Article.id == Correction.article_id)
        if article_id is not None:
            query = query.where(Correction.article_id == article_id)
        if ids is not None:
            query = query.where(Correction.id.in_(list(ids)))
        rows = list(self.session.execute(query.order_by(Correction.id)))
        if not rows:
            return []
        cids = [c.id for c, _ in rows]
        numbers = self._revision_numbers(
            [c.disclosed_revision_id for c, _ in rows if c.disclosed_revision_id]
        )
        links: dict[int, CorrectionLink] = {}
        for link in self.session.scalars(
            select(CorrectionLink)
            .where(CorrectionLink.correction_id.in_(cids))
            .order_by(CorrectionLink.id)
        ):
            links[link.correction_id] = link  # the newest link wins
        states: dict[int, list[CorrectionState]] = {}
        for state in self.session.scalars(
            select(CorrectionState)
            .where(CorrectionState.correction_id.in_(cids))
            .order_by(CorrectionState.id)
        ):
            states.setdefault(state.correction_id, []).append(state)
        superseded_by: dict[int, int] = {
            int(old or 0): int(new)
            for old, new in self.session.execute(
                select(Correction.supersedes_id, Correction.id).where(
                    Correction.supersedes_id.in_(cids)
                )
            )
        }
        extra_ids = [link.fixing_revision_id for link in links.values() if link.fixing_revision_id]
        extra_ids += [s.revision_id for ss in states.values() for s in ss if s.revision_id]
        numbers.update(self._revision_numbers(extra_ids))
        out = []
        for c, key in rows:
            newest = links.get(c.id)
            out.append(
                CorrectionRecord(
                    id=c.id,
                    article_key=key,
                    kind=c.kind,
                    label=c.label,
                    text=c.text,
                    printed_date=c.printed_date,
                    origin=c.origin,
                    disclosed_revision=numbers.get(c.disclosed_revision_id or -1),
                    supersedes_id=c.supersedes_id,
                    superseded_by=superseded_by.get(c.id),
                    actor=c.actor,
                    created_at=c.created_at,
                    link=None
                    if newest is None
                    else LinkRecord(
                        id=newest.id,
                        fixing_revision=numbers.get(newest.fixing_revision_id or -1),
                        confidence=newest.confidence,
                        matched=newest.matched,
                        evidence=list(newest.evidence or []),
                        linker_version=newest.linker_version,
                        actor=newest.actor,
                        created_at=newest.created_at,
                    ),
                    states=tuple(
                        StateRecord(
                            state=s.state,
                            revision=numbers.get(s.revision_id or -1),
                            reason=s.reason,
                            actor=s.actor,
                            created_at=s.created_at,
                        )
                        for s in states.get(c.id, [])
                    ),
                )
            )
        return out

    def correction_links(self, correction_id: int) -> list[dict[str, Any]]:
        """Every link row of a correction, oldest first (the export keeps them all)."""
        rows = list(
            self.session.scalars(
                select(CorrectionLink)
                .where(CorrectionLink.correction_id == correction_id)
                .order_by(CorrectionLink.id)
            )
        )
        numbers = self._revision_numbers(
            [r.fixing_revision_id for r in rows if r.fixing_revision_id]
        )
        return [
            {
                "fixing_revision": numbers.get(r.fixing_revision_id or -1),
                "confidence": r.confidence,
                "matched": r.matched,
                "evidence": list(r.evidence or []),
                "linker_version": r.linker_version,
                "actor": r.actor,
                "created_at": r.created_at,
            }
            for r in rows
        ]

    def _revision_numbers(self, ids: Sequence[int]) -> dict[int, int]:
        if not ids:
            return {}
        query = select(Revision.id, Revision.number).where(Revision.id.in_(set(ids)))
        return {int(i): int(n) for i, n in self.session.execute(query)}

    def correction_article(self, correction_id: int) -> int | None:
        return self.session.scalar(
            select(Correction.article_id).where(Correction.id == correction_id)
        )

    # -- events -----------------------------------------------------------------------
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
        if last is None:
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
                "prev_hash": prev,
                "hash": digest,
            }
        )
        self._heads[chain] = (seq, digest)

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
        if self.store.backend == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
        added = self.session.scalar(
            insert(EventChain)
            .values(name=name)
            .on_conflict_do_nothing(index_elements=["name"])
            .returning(EventChain.id)
        )
        if added is None:  # another writer's row, committed while we waited on it
            added = self.session.scalar(select(EventChain.id).where(EventChain.name == name))
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
        return [_event_record(e, name) for e, name in self.session.execute(query)]

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
        return [_event_record(e, name) for e, name in self.session.execute(query)]

    # -- restore (import of an export) ------------------------------------------------
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
        row = Revision(article_id=article.id, revert_of_id=revert_id, **fields)
        self.session.add(row)
        self.session.flush()
        self._store_text(article.id, row.id, row.number, text)
        return row.id

    def revision_id(self, article_id: int, number: int | None) -> int | None:
        if number is None:
            return None
        return self.session.scalar(
            select(Revision.id).where(
                and_(Revision.article_id == article_id, Revision.number == number)
            )
        )

    def restore_correction(self, fields: dict[str, Any]) -> int:
        row = Correction(**fields)
        self.session.add(row)
        self.session.flush()
        return row.id

    def restore_link(self, fields: dict[str, Any]) -> None:
        self.session.add(CorrectionLink(**fields))

    def restore_state(self, fields: dict[str, Any]) -> None:
        self.session.add(CorrectionState(**fields))

    def restore_event(self, fields: dict[str, Any]) -> None:
        self.flush_appends()
        fields = dict(fields)
        chain = fields.pop("chain")
        self._heads.pop(chain, None)
        self.session.add(Event(**fields, chain_id=self._chain_id(chain)))
        self.session.flush()

    def chain_length(self, chain: str) -> int:
        self.flush_appends()
        query = (
            select(func.count(Event.id))
            .join(EventChain, EventChain.id == Event.chain_id)
            .where(EventChain.name == chain)
        )
        return int(self.session.scalar(query) or 0)

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Undo just the work inside the block if it raises; the transaction goes on."""
        try:
            with self.session.begin_nested():
                yield
                self.flush_appends()  # inside the savepoint, so a failure undoes them too
        except BaseException:
            self.forget()
            raise

    def flush_appends(self) -> None:
        """Write the batched text and event rows.

        Called before anything reads those tables in this transaction, at the end of every
        savepoint (a later savepoint's rollback must not take them along) and before commit.
        Revision rows are not batched: their ids are needed at once.
        """
        if self._pending_texts:
            self.session.execute(_INSERT_TEXT, self._pending_texts)
            self._pending_texts = []
        if self._pending_events:
            self.session.execute(_INSERT_EVENT, self._pending_events)
            self._pending_events = []

    def forget(self) -> None:
        """Drop what this transaction remembered: after a rollback none of it is true."""
        self._latest.clear()
        self._tips.clear()
        self._heads.clear()
        self._articles.clear()
        self._contents.clear()
        self._chain_ids.clear()
        self._pending_texts = []
        self._pending_events = []
        for revision_id in self._cached:
            self.store._cache.drop(revision_id)
        self._cached.clear()

    def revision_sources(self, article_id: int) -> list[str]:
        return list(
            self.session.scalars(select(Revision.source).where(Revision.article_id == article_id))
        )

    # -- bulk import claims -----------------------------------------------------------
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
        item = self.session.scalars(
            select(ImportItem).where(and_(ImportItem.batch == batch, ImportItem.doc == doc))
        ).one()
        item.state = state
        item.worker = worker
        item.revisions = revisions
        item.updated_at = utcnow()
        self.session.flush()

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


def _event_record(row: Event, chain: str) -> EventRecord:
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
        prev_hash=row.prev_hash,
        hash=row.hash,
    )
