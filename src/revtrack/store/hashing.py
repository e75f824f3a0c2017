"""The hash chains `verify` walks, and the heads that anchor their ends.

Each link hashes its predecessor's hash together with the record's own content, so changing,
removing or reordering any stored record breaks every hash after it. There are five chains
per article, one per kind of row (revisions, corrections, their links, their states, and the
article's event log), and event logs of no article ("-", importers, watches):

* ``revision_chain_hash``: the original chain over each revision's number, text hash, capture
  time and revert (kept, and still checked, as it has been since the first schema);
* ``seal``: a revision's, correction's, link's or state's *every* shown field (title, byline,
  source, provenance, note text, evidence, …), chained per article and table (migration 0005);
* ``event_hash``: the event log.

A chain's end is anchored by its :func:`head`: the count and last hash of each of the five
chains, hashed together. The store keeps every chain's head in ``heads`` (so removing the
newest rows is noticed) and `revtrack checkpoint` writes them out, with the database-wide
:func:`root` over all of them, for a user to keep elsewhere: a history rewritten consistently,
hashes and heads included, differs from a checkpoint taken before.

Everything here is pure (plain values in, hex out): an export bundle is checked with the same
functions, without a database.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

GENESIS = "0" * 64
TABLES = ("revisions", "corrections", "links", "states", "events")
"""The chains of an article, in the order a head and a checkpoint list them."""


def _iso(value: datetime | None) -> str:
    return "" if value is None else value.isoformat(timespec="microseconds")


def canonical(fields: dict[str, Any]) -> str:
    """The one JSON text of ``fields`` that every hash is taken over (times as ISO text)."""
    return json.dumps(
        fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_iso
    )


def revision_chain_hash(
    prev: str,
    article_key: str,
    number: int,
    text_hash: str,
    captured_at: datetime,
    revert_of: int | None,
) -> str:
    material = "|".join(
        [prev, article_key, str(number), text_hash, _iso(captured_at), str(revert_of or "")]
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def event_hash(prev: str, fields: dict[str, Any]) -> str:
    canonical_fields = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=_iso)
    return hashlib.sha256((prev + canonical_fields).encode("utf-8")).hexdigest()


def seal(prev: str, table: str, fields: dict[str, Any]) -> str:
    """The chained hash of one row of ``table``: its predecessor's seal and its fields."""
    material = f"{prev}|{table}|{canonical(fields)}"
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


# What each kind of row is sealed over. Rows refer to revisions by number and to corrections
# by seal, never by database id, so that an export restored elsewhere seals the same.
REVISION_SEALED = (
    "number",
    "captured_at",
    "ingested_at",
    "source",
    "source_kind",
    "title",
    "byline",
    "content_hash",
    "text_hash",
    "revert_of",
    "chars",
    "words",
    "words_added",
    "words_removed",
    "hunks",
    "substantive_hunks",
    "stats",
    "meta",
)
CORRECTION_SEALED = (
    "kind",
    "label",
    "text",
    "printed_date",
    "origin",
    "disclosed_revision",
    "supersedes",  # the seal of the note it supersedes
    "actor",
    "created_at",
)
LINK_SEALED = (
    "correction",  # the seal of its note
    "fixing_revision",
    "confidence",
    "matched",
    "evidence",
    "linker_version",
    "actor",
    "created_at",
)
STATE_SEALED = ("correction", "state", "revision", "reason", "actor", "created_at")
SEALED = {
    "revisions": REVISION_SEALED,
    "corrections": CORRECTION_SEALED,
    "links": LINK_SEALED,
    "states": STATE_SEALED,
}


def row_seal(prev: str, table: str, article_key: str, values: dict[str, Any]) -> str:
    """The seal of a row of ``table`` (see ``SEALED``) of the article ``article_key``."""
    fields = {name: values[name] for name in SEALED[table]}
    fields["article"] = article_key
    return seal(prev, table, fields)


def article_seal(
    key: str, url: str | None, outlet: str | None, title: str | None, created_at: datetime
) -> str:
    """The hash of an article row (updated in place as titles change, so not chained)."""
    fields = {"key": key, "url": url, "outlet": outlet, "title": title, "created_at": created_at}
    return seal(GENESIS, "articles", fields)


def head(name: str, counts: Sequence[int], tails: Sequence[str]) -> str:
    """A chain's head: how many rows each of its five chains has and the last hash of each."""
    lines = [name] + [f"{t}:{n}:{tail}" for t, n, tail in zip(TABLES, counts, tails, strict=True)]
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def root(heads: Iterable[tuple[str, str]]) -> str:
    """The database-wide root: one hash over every chain's (name, head), in the given order."""
    digest = hashlib.sha256(b"revtrack.root/1\n")
    for name, value in heads:
        digest.update(f"{name}\t{value}\n".encode())
    return digest.hexdigest()
