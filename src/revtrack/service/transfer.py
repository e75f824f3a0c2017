"""Export and import as JSON lines: everything needed to rebuild a database exactly.

One record per line, each with a ``type``: a header, then per article its ``article`` record,
its ``revision`` records (with full text), its ``correction`` records (with every link and
state), its ``event`` records and a ``head`` record (the chain's recorded head, which
`verify-bundle` checks the rest against); the events of no article come last (the
database-wide log, then each bulk importer's own chain), each chain closed by its head. Every
row carries its seal. Importing an export
restores those rows as they were (numbers, times, hashes, the event chains), so that export →
import into an empty database → export gives identical output, and `verify` passes on the copy.
A restore is a copy of history, not new history: it adds no events of its own.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import fields
from datetime import datetime
from typing import Any

from revtrack.errors import InvalidInput
from revtrack.records import ArticleRecord, RevisionRecord
from revtrack.store import Tx

FORMAT = "revtrack.export/1"

# A revision is exported with every field of its record but the database's own ids (the article
# is named by its key), times as ISO text, and its text; the same list reads it back. A field
# added to RevisionRecord is thereby exported, and must be given a default here for older files.
_NOT_EXPORTED = {"id", "article_id", "article_key"}
_TIMES = {"captured_at", "ingested_at"}
REVISION_FIELDS = tuple(f.name for f in fields(RevisionRecord) if f.name not in _NOT_EXPORTED)


def _t(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="microseconds")


def _pt(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def header(schema: str) -> dict[str, Any]:
    return {"type": "header", "format": FORMAT, "schema": schema}


def export_article(tx: Tx, key: str) -> Iterator[dict[str, Any]]:
    article = tx.get_article(key)
    assert article is not None
    yield {
        "type": "article",
        "key": article.key,
        "url": article.url,
        "outlet": article.outlet,
        "title": article.title,
        "created_at": _t(article.created_at),
    }
    for r in tx.revisions(article.id):
        values = {k: getattr(r, k) for k in REVISION_FIELDS}
        yield {
            "type": "revision",
            "article": key,
            **{k: _t(v) if k in _TIMES else v for k, v in values.items()},
            "text": tx.load_text(r.id),
        }
    for c in tx.corrections(article.id):
        link_rows = tx.correction_links(c.id)
        yield {
            "type": "correction",
            "article": key,
            "id": c.id,
            "kind": c.kind,
            "label": c.label,
            "text": c.text,
            "printed_date": c.printed_date,
            "origin": c.origin,
            "disclosed_revision": c.disclosed_revision,
            "supersedes": c.supersedes_id,
            "actor": c.actor,
            "created_at": _t(c.created_at),
            "seal": c.seal,
            "links": [{**link, "created_at": _t(link["created_at"])} for link in link_rows],
            "states": [
                {
                    "state": s.state,
                    "revision": s.revision,
                    "reason": s.reason,
                    "actor": s.actor,
                    "created_at": _t(s.created_at),
                    "seal": s.seal,
                }
                for s in c.states
            ],
        }
    yield from export_chain(tx, key, article)


def head_record(tx: Tx, chain: str) -> dict[str, Any]:
    """The stored head of a chain, closing its part of an export (`verify-bundle` checks it)."""
    found = tx.stored_head(chain)
    record: dict[str, Any] = {"type": "head", "chain": chain}
    if found is not None:
        record.update(found)
    return record


def export_chain(tx: Tx, chain: str, article: ArticleRecord | None) -> Iterator[dict[str, Any]]:
    numbers: dict[int, int] = {}
    if article is not None:
        numbers = {r.id: r.number for r in tx.revisions(article.id)}
    for e in tx.chain_events(chain):
        yield {
            "type": "event",
            "chain": e.chain,
            "seq": e.seq,
            "at": _t(e.at),
            "actor": e.actor,
            "action": e.action,
            "article": article.key if article else None,
            "revision": numbers.get(e.revision_id or -1),
            "correction": e.correction_id,
            "payload": e.payload,
            "prev_hash": e.prev_hash,
            "hash": e.hash,
        }
    yield head_record(tx, chain)


class Restorer:
    """Feeds export records into a transaction, article by article."""

    def __init__(self, tx: Tx) -> None:
        self.tx = tx
        self.article: ArticleRecord | None = None
        self.skipping = False
        self.skip_chains: dict[str, bool] = {}  # chains of no article: kept or skipped
        self.correction_ids: dict[int, int] = {}
        self.counts = {
            "articles": 0,
            "revisions": 0,
            "corrections": 0,
            "events": 0,
            "skipped_articles": 0,
        }

    def feed(self, record: dict[str, Any]) -> None:
        kind = record.get("type")
        if kind == "header":
            if record.get("format") != FORMAT:
                raise InvalidInput(
                    f"Not a revtrack export (format {record.get('format')!r}).",
                    f"Expected {FORMAT}, written by `revtrack export`.",
                )
            return
        handler = getattr(self, f"_{kind}", None)
        if handler is None:
            raise InvalidInput(f"Unknown record type {kind!r} in the export.")
        handler(record)

    def _article(self, r: dict[str, Any]) -> None:
        tx = self.tx
        if tx.get_article(r["key"]) is not None:
            self.skipping = True
            self.counts["skipped_articles"] += 1
            return
        self.skipping = False
        article, _ = tx.ensure_article(r["key"], url=r["url"], outlet=r["outlet"], title=r["title"])
        tx.set_article_created(article.id, _pt(r["created_at"]))
        self.article = article
        self.counts["articles"] += 1

    def _revision(self, r: dict[str, Any]) -> None:
        if self.skipping:
            return
        assert self.article is not None
        values = {k: _pt(r.get(k)) if k in _TIMES else r.get(k) for k in REVISION_FIELDS}
        self.tx.restore_revision(self.article, r["text"], values)
        self.counts["revisions"] += 1

    def _correction(self, r: dict[str, Any]) -> None:
        if self.skipping:
            return
        assert self.article is not None
        tx, aid = self.tx, self.article.id
        cid = tx.restore_correction(
            {
                "article_id": aid,
                "kind": r["kind"],
                "label": r["label"],
                "text": r["text"],
                "printed_date": r["printed_date"],
                "origin": r["origin"],
                "disclosed_revision_id": tx.revision_id(aid, r["disclosed_revision"]),
                "supersedes_id": self.correction_ids.get(r["supersedes"])
                if r["supersedes"]
                else None,
                "actor": r["actor"],
                "created_at": _pt(r["created_at"]),
                "seal": r.get("seal"),
            }
        )
        self.correction_ids[r["id"]] = cid
        for link in r["links"]:
            tx.restore_link(
                {
                    "correction_id": cid,
                    "fixing_revision_id": tx.revision_id(aid, link["fixing_revision"]),
                    "confidence": link["confidence"],
                    "matched": link["matched"],
                    "evidence": link["evidence"],
                    "linker_version": link["linker_version"],
                    "actor": link["actor"],
                    "created_at": _pt(link["created_at"]),
                    "seal": link.get("seal"),
                }
            )
        for state in r["states"]:
            tx.restore_state(
                {
                    "correction_id": cid,
                    "state": state["state"],
                    "revision_id": tx.revision_id(aid, state["revision"]),
                    "reason": state["reason"],
                    "actor": state["actor"],
                    "created_at": _pt(state["created_at"]),
                    "seal": state.get("seal"),
                }
            )
        self.counts["corrections"] += 1

    def _head(self, r: dict[str, Any]) -> None:
        """A chain's head closes its records; the copy's own heads are made as rows arrive."""

    def _event(self, r: dict[str, Any]) -> None:
        tx = self.tx
        if r["article"] is None:  # the database-wide log, or a bulk importer's own chain
            if r["seq"] == 1:
                # A target that already has such a chain keeps its own.
                self.skip_chains[r["chain"]] = tx.chain_length(r["chain"]) > 0
            if self.skip_chains.get(r["chain"], False):
                return
        elif self.skipping:
            return
        article_id = self.article.id if self.article and r["article"] == self.article.key else None
        tx.restore_event(
            {
                "chain": r["chain"],
                "seq": r["seq"],
                "at": _pt(r["at"]),
                "actor": r["actor"],
                "action": r["action"],
                "article_id": article_id,
                "revision_id": tx.revision_id(article_id, r["revision"]) if article_id else None,
                "correction_id": self.correction_ids.get(r["correction"])
                if r["correction"]
                else None,
                "payload": r["payload"],
                "prev_hash": r["prev_hash"],
                "hash": r["hash"],
            }
        )
        self.counts["events"] += 1
