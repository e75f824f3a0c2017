"""SQLAlchemy models: the only place the schema is written down (the migrations mirror it).

Storage model:

* ``articles`` — one row per story, found by its user-facing ``key``.
* ``revisions`` — one row per captured version, numbered 1, 2, … within its article; the pair
  (article, number) is unique, which is what guards numbering when several writers race.
  Each row carries the SHA-256 of its exact text, the hash of its normalized text (for
  "unchanged" and revert detection) and a chain hash over its predecessor, so any edit made
  behind revtrack's back is found by ``verify``.
* ``revision_texts`` — the text itself, packed by :mod:`revtrack.store.codec`, kept apart so
  listings never read blobs.
* ``text_packs``, ``text_pieces`` — texts moved by `revtrack pack` several to a blob (the
  way ``git gc`` packs loose objects), each found by its revision id; readers take a text from
  either place (see :mod:`revtrack.store.packs`).
* ``revision_raw`` — the page a fetched (or URL-ingested) revision was extracted from, as
  the server sent it, packed by the same codec with deltas against the article's earlier
  pages, so ``reextract`` can read old versions again with a better extractor or site rule.
* ``revision_rederived`` — a revision's text read again from its kept page by ``reextract``
  (a better extractor or site rule), beside the original, which stays as it was; each row has
  its ``reextract`` event in the article's chain.
* ``corrections``, ``correction_links``, ``correction_states`` — reader notes. All three are
  append-only: a relink adds a link row, a retraction or a removal adds a state row, an
  amended note is a new correction that supersedes the old one.
* ``events`` — the append-only audit log, hash-chained per chain (an article key, "-" for
  database-wide events, "import:<worker>" for bulk imports) with ``(chain, seq)`` unique;
  ``event_chains`` holds each chain's name once and events refer to it by id.
* ``heads`` — per event chain (an article's is named by its key), the counts and last hashes
  of its revisions, corrections, links, states and events and the hash over them, moved by
  every write: what makes a removed newest row visible (see :mod:`revtrack.store.hashing`).
  Revisions, corrections, links and states each carry a ``seal``: the hash of all their
  fields chained to the row before them in their table and article.

Hashes are stored as 32 raw bytes and times as integer microseconds of naive UTC (see
:mod:`revtrack.store.types`); Python sees hex strings and naive-UTC datetimes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from revtrack.store.types import HexHash, PackedJSON, UtcMicros

CONTENT_PREFIX = 8
"""Bytes of ``content_hash`` in the revert-detection index."""

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    url: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(String(200), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcMicros)


class Revision(Base):
    __tablename__ = "revisions"
    __table_args__ = (
        UniqueConstraint("article_id", "number"),
        # Only fetched pages are looked up by their URL (to make the next fetch conditional),
        # so only they pay for the index.
        Index(
            "ix_revisions_url_source",
            "source",
            sqlite_where=text("source_kind = 'url'"),
            postgresql_where=text("source_kind = 'url'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"))
    number: Mapped[int] = mapped_column(Integer)
    captured_at: Mapped[datetime] = mapped_column(UtcMicros)
    ingested_at: Mapped[datetime] = mapped_column(UtcMicros)
    source: Mapped[str] = mapped_column(Text)
    source_kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str | None] = mapped_column(Text)
    byline: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(HexHash)
    text_hash: Mapped[str] = mapped_column(HexHash)
    chain_hash: Mapped[str] = mapped_column(HexHash)
    revert_of_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id"))
    chars: Mapped[int] = mapped_column(Integer)
    words: Mapped[int] = mapped_column(Integer)
    words_added: Mapped[int] = mapped_column(Integer, default=0)
    words_removed: Mapped[int] = mapped_column(Integer, default=0)
    hunks: Mapped[int] = mapped_column(Integer, default=0)
    substantive_hunks: Mapped[int] = mapped_column(Integer, default=0)
    stats: Mapped[dict[str, Any]] = mapped_column(PackedJSON, default=dict, nullable=True)
    meta: Mapped[dict[str, Any]] = mapped_column(PackedJSON, default=dict, nullable=True)
    seal: Mapped[str | None] = mapped_column(HexHash)


# Revert detection looks a normalized-text hash up within one article: an 8-byte prefix finds
# it (the query confirms the full hash) at half the size of an index of the whole hash. A time
# ref has no index of its own: it scans the article's rows through the (article_id, number)
# one (migration 0008).
Index(
    "ix_revisions_article_content8",
    Revision.article_id,
    func.substr(Revision.content_hash, 1, CONTENT_PREFIX),
)


class RevisionText(Base):
    __tablename__ = "revision_texts"

    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"), primary_key=True)
    codec: Mapped[str] = mapped_column(String(16))
    # No index: nothing looks texts up by their base (chains are followed from the revision
    # down, by primary key), and rows are never deleted, so the foreign key needs none.
    base_revision_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id"))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class TextPack(Base):
    """Many revisions' packed texts in one blob, written by `revtrack pack` (migration 0009).

    A text row of its own wastes about a fifth of its pages: 1-4 KB keyframes do not fill
    4 KB B-tree leaves. `pack` moves loose :class:`RevisionText` rows, whole articles at a
    time, into blobs of about :data:`revtrack.store.packs.PACK_TARGET` bytes, each row's
    codec output unchanged and found through its :class:`TextPiece`. ``sha256`` is the hash
    of ``data``, so `verify` names a broken pack as well as the revision whose text it breaks.
    Append-only, like the rows it replaces.
    """

    __tablename__ = "text_packs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(HexHash)


class TextPiece(Base):
    """Where one packed revision text is: its pack and byte range, and its delta base.

    The codec is implied (a piece with a base is a ``zstd-delta``, one without a ``zstd``
    keyframe), so a piece is a few small integers. A revision has a text row or a piece,
    never both: `pack` deletes a loose row in the transaction that writes its piece, and the
    guard on ``revision_texts`` refuses any other deletion.
    """

    __tablename__ = "text_pieces"

    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"), primary_key=True)
    pack_id: Mapped[int] = mapped_column(ForeignKey("text_packs.id"))
    start: Mapped[int] = mapped_column(Integer)  # 0-based byte offset in the pack
    length: Mapped[int] = mapped_column(Integer)
    # No index, as on revision_texts: chains are followed from the revision down.
    base_revision_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id"))


class RevisionRaw(Base):
    """The raw page of a revision (its HTTP body before any site rule), append-only.

    ``sha256`` is the hash of the exact bytes; the revision's ingest event carries it too
    (inside the event hash chain), which is how ``verify`` vouches for the page.
    """

    __tablename__ = "revision_raw"

    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"), primary_key=True)
    codec: Mapped[str] = mapped_column(String(16))
    base_revision_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id"), index=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    content_type: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(Text)  # where the bytes came from (after redirects)
    size: Mapped[int] = mapped_column(Integer)  # bytes before packing
    sha256: Mapped[str] = mapped_column(HexHash)


class RevisionRederived(Base):
    """A re-derived reading of a revision's text, append-only; the latest row is its reading.

    The text is packed against the revision's original text (a zstd delta, or a keyframe when
    that does not pay); ``text_hash`` is the SHA-256 of the exact text, also recorded in the
    ``reextract`` event, inside the article's event hash chain.
    """

    __tablename__ = "revision_rederived"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"), index=True)
    raw_revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    codec: Mapped[str] = mapped_column(String(16))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    text_hash: Mapped[str] = mapped_column(HexHash)
    content_hash: Mapped[str] = mapped_column(HexHash)
    title: Mapped[str | None] = mapped_column(Text)
    chars: Mapped[int] = mapped_column(Integer)
    rules: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    extractor: Mapped[str] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcMicros)


class Correction(Base):
    __tablename__ = "corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    printed_date: Mapped[str] = mapped_column(String(100), default="")
    origin: Mapped[str] = mapped_column(String(16))
    disclosed_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("revisions.id"), index=True
    )
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("corrections.id"), index=True)
    actor: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcMicros)
    seal: Mapped[str | None] = mapped_column(HexHash)


class CorrectionLink(Base):
    __tablename__ = "correction_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    correction_id: Mapped[int] = mapped_column(ForeignKey("corrections.id"), index=True)
    fixing_revision_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id"), index=True)
    confidence: Mapped[float] = mapped_column(Float)
    matched: Mapped[bool] = mapped_column(Boolean)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    linker_version: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcMicros)
    seal: Mapped[str | None] = mapped_column(HexHash)


class CorrectionState(Base):
    __tablename__ = "correction_states"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    correction_id: Mapped[int] = mapped_column(ForeignKey("corrections.id"), index=True)
    state: Mapped[str] = mapped_column(String(16))
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcMicros)
    seal: Mapped[str | None] = mapped_column(HexHash)


class EventChain(Base):
    """The name of each event log: an article key, "-" (database-wide) or "import:<worker>".

    Events refer to it by a small integer, so the name is stored once, not in every event
    row and again in the ``(chain, seq)`` index.
    """

    __tablename__ = "event_chains"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)


class Head(Base):
    """The end of each chain as its last writer left it (see :mod:`revtrack.store.hashing`).

    One row per event chain (an article's chain is named by its key): how many revisions,
    corrections, links, states and events it has, the last seal or hash of each, the hash of
    the article row, and the head over all of it. Updated in place by every write, so a
    removed newest row (which leaves every chain consistent) no longer matches its head.
    """

    __tablename__ = "heads"

    chain_id: Mapped[int] = mapped_column(ForeignKey("event_chains.id"), primary_key=True)
    revisions: Mapped[int] = mapped_column(Integer, default=0)
    corrections: Mapped[int] = mapped_column(Integer, default=0)
    links: Mapped[int] = mapped_column(Integer, default=0)
    states: Mapped[int] = mapped_column(Integer, default=0)
    events: Mapped[int] = mapped_column(Integer, default=0)
    revisions_tail: Mapped[str] = mapped_column(HexHash)
    corrections_tail: Mapped[str] = mapped_column(HexHash)
    links_tail: Mapped[str] = mapped_column(HexHash)
    states_tail: Mapped[str] = mapped_column(HexHash)
    events_tail: Mapped[str] = mapped_column(HexHash)
    article_seal: Mapped[str | None] = mapped_column(HexHash)
    head: Mapped[str] = mapped_column(HexHash)


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("chain_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chain_id: Mapped[int] = mapped_column(ForeignKey("event_chains.id"))
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcMicros)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64))
    # No index: events are read by chain (an article's is named by its key), never by
    # article id, and articles are never deleted (migration 0008).
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id"))
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id"))
    correction_id: Mapped[int | None] = mapped_column(ForeignKey("corrections.id"))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The previous event's hash is not stored again: it is the ``hash`` of (chain, seq - 1),
    # which every read of an event derives (migration 0008).
    hash: Mapped[str] = mapped_column(HexHash)


class ImportItem(Base):
    """One document of a bulk import, the unit that importers claim.

    Workers take ``pending`` rows with ``FOR UPDATE SKIP LOCKED`` (PostgreSQL) and import the
    document inside the same transaction, so a killed worker's claim simply rolls back.
    """

    __tablename__ = "import_items"
    __table_args__ = (
        UniqueConstraint("batch", "doc"),
        Index("ix_import_items_batch_state", "batch", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch: Mapped[str] = mapped_column(String(500))
    doc: Mapped[str] = mapped_column(String(500))
    state: Mapped[str] = mapped_column(String(16))
    worker: Mapped[str] = mapped_column(String(200), default="")
    revisions: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UtcMicros)


class Watch(Base):
    """A watched URL (article page, feed, or section page) and its schedule state.

    Due selection is one range scan of ``ix_watches_next_at``: a row is due when ``next_at``
    has passed. Unscheduled rows (paused, expired, merged, removed) have ``next_at`` NULL. A
    claim sets ``claim_token`` and moves ``next_at`` to the claim's expiry, so claimed rows
    leave the due range and a dead worker's claim falls due again by itself.
    """

    __tablename__ = "watches"
    __table_args__ = (
        Index("ix_watches_next_at", "next_at"),
        Index(
            "ix_watches_claimed_host",
            "host",
            sqlite_where=text("claim_token IS NOT NULL"),
            postgresql_where=text("claim_token IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    host: Mapped[str] = mapped_column(String(300), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    pattern: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(10))
    every_s: Mapped[int | None] = mapped_column(Integer)
    until_s: Mapped[int | None] = mapped_column(Integer)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("watches.id"), index=True)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id"), index=True)
    merged_into: Mapped[int | None] = mapped_column(ForeignKey("watches.id"))
    born_at: Mapped[datetime] = mapped_column(UtcMicros)
    added_at: Mapped[datetime] = mapped_column(UtcMicros)
    next_at: Mapped[datetime | None] = mapped_column(UtcMicros)
    claim_token: Mapped[str | None] = mapped_column(String(40))
    claimed_by: Mapped[str] = mapped_column(String(200), default="")
    not_before: Mapped[datetime | None] = mapped_column(UtcMicros)
    last_fetch_at: Mapped[datetime | None] = mapped_column(UtcMicros)
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_result: Mapped[str] = mapped_column(String(32), default="")
    last_error: Mapped[str] = mapped_column(Text, default="")
    last_change_at: Mapped[datetime | None] = mapped_column(UtcMicros)
    recent_changes: Mapped[list[int]] = mapped_column(JSON, default=list)
    change_count: Mapped[int] = mapped_column(Integer, default=0)
    fetch_count: Mapped[int] = mapped_column(Integer, default=0)
    fails: Mapped[int] = mapped_column(Integer, default=0)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    body_hash: Mapped[str | None] = mapped_column(HexHash)


class WatchUrl(Base):
    """Every identity (cleaned URL form) seen for a watch: its own, redirects, canonicals."""

    __tablename__ = "watch_urls"

    ident: Mapped[str] = mapped_column(String(2000), primary_key=True)
    watch_id: Mapped[int] = mapped_column(ForeignKey("watches.id"), index=True)


class WatchHost(Base):
    """Per-host rules, shared by all workers: concurrency, spacing, skip patterns, and the CSS
    selectors applied to its pages before extraction.

    ``next_slot_at`` is the earliest start of the next request to the host; claims reserve
    slots by moving it, inside the claim transaction that holds this row's lock.
    """

    __tablename__ = "watch_hosts"

    host: Mapped[str] = mapped_column(String(300), primary_key=True)
    concurrency: Mapped[int] = mapped_column(Integer)
    delay_ms: Mapped[int] = mapped_column(Integer)
    next_slot_at: Mapped[datetime | None] = mapped_column(UtcMicros)
    skip: Mapped[list[str]] = mapped_column(JSON, default=list)
    include: Mapped[list[str]] = mapped_column(JSON, default=list)  # CSS: keep only these
    remove: Mapped[list[str]] = mapped_column(JSON, default=list)  # CSS: drop these
    robots: Mapped[bool] = mapped_column(Boolean, default=True)
