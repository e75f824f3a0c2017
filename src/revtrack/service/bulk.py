"""Bulk import of a directory of versioned documents (the corpora layout).

Layout: ``<root>/<doc>/v001.txt, v002.txt, …`` with an optional ``meta.json`` (title, URL and
per-version timestamps, titles, edit summaries, authors), or ``<root>/<corpus>/<doc>/…``.
An article's key is ``<corpus>/<doc>``, the corpus being the folder that holds the document.

Work is split into documents recorded in ``import_items``. Each transaction claims a batch
of pending documents (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several importers on
several machines share one import with no coordinator), imports them and marks them done in
the same transaction: a killed importer loses only its uncommitted batch, which stays
pending for the next run, and a document is never imported twice.
"""

from __future__ import annotations

import json
import os
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from revtrack.errors import InvalidInput, RevtrackError, SourceError
from revtrack.service.ingest import ingest_fetched
from revtrack.service.refs import parse_time
from revtrack.service.sources import Fetched, decode
from revtrack.store import Store

_VERSION_FILE = re.compile(r"^v(\d+)\.(txt|md|html?)$", re.I)


@dataclass(frozen=True)
class Document:
    key: str
    path: Path


def find_documents(root: Path) -> list[Document]:
    """Every folder under ``root`` (up to two levels) that holds version files."""
    docs: list[Document] = []
    for candidate in sorted([root, *root.glob("*"), *root.glob("*/*")]):
        if not candidate.is_dir():
            continue
        if any(_VERSION_FILE.match(p.name) for p in candidate.iterdir()):
            docs.append(Document(f"{candidate.parent.name}/{candidate.name}", candidate))
    if not docs:
        raise InvalidInput(
            f"{root} holds no versioned documents.",
            "Expected folders with v001.txt, v002.txt, … (and optionally meta.json).",
        )
    return docs


def _versions(doc: Path) -> list[tuple[int, Path]]:
    found = []
    for p in doc.iterdir():
        match = _VERSION_FILE.match(p.name)
        if match:
            found.append((int(match.group(1)), p))
    return sorted(found)


def _meta(doc: Path) -> dict[str, Any]:
    path = doc / "meta.json"
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SourceError(f"{path} is not valid JSON ({exc}).", "Fix or remove it.") from exc
    return data if isinstance(data, dict) else {}


def import_document(tx: Any, doc: Document, actor: str) -> tuple[int, int]:
    """Ingest every version of one document; return (revisions added, notes found)."""
    meta = _meta(doc.path)
    per_version = {int(v.get("version", 0)): v for v in meta.get("versions", []) or []}
    url = meta.get("url") or meta.get("wikipedia_url")
    outlet = meta.get("corpus") or doc.path.parent.name
    last_time: datetime | None = None
    done_upto = 0
    article = tx.get_article(doc.key)
    if article is not None:
        # Imported before (perhaps from a parent or child folder): take only later versions.
        latest = tx.latest_revision(article.id)
        last_time = latest.captured_at if latest else None
        for source in tx.revision_sources(article.id):
            match = _VERSION_FILE.match(source.rsplit("/", 1)[-1])
            if match:
                done_upto = max(done_upto, int(match.group(1)))
    added = notes = 0
    for number, path in _versions(doc.path):
        if number <= done_upto:
            continue
        info = per_version.get(number, {})
        data = path.read_bytes()
        text = decode(data, source=str(path))
        if not text.strip():
            continue
        stamp = info.get("timestamp") or info.get("committed_at")
        when = parse_time(stamp) if stamp else None
        if when is not None and last_time is not None and when < last_time:
            when = last_time  # commit dates are not always in order; keep capture order
        last_time = when or last_time
        fetched = Fetched(
            text=text,
            source=f"{doc.key}/{path.name}",
            kind="file",
            key_hint=doc.key,
            title=info.get("title") or meta.get("title"),
            url=url,
            outlet=outlet,
        )
        # What the corpus knows that the revision row does not: the commit's summary and
        # author, whether it was a bulk edit, and the time as the corpus printed it when it
        # had to be moved forward to keep capture order.
        extra = {k: info[k] for k in ("edit_summary", "author", "mass_edit") if info.get(k)}
        if stamp and when is not None and parse_time(stamp) != when:
            extra["timestamp"] = stamp
        result = ingest_fetched(
            tx,
            fetched,
            key=doc.key,
            captured_at=when,
            title=None,
            url=url,
            actor=actor,
            meta=extra,
        )
        if result.status != "unchanged":
            added += 1
        notes += len(result.notes_added)
    return added, notes


def import_directory(
    store: Store,
    root: Path,
    *,
    actor: str,
    batch_size: int = 50,
    progress: Callable[[int, int], None] | None = None,
    worker: str | None = None,
) -> dict[str, Any]:
    if batch_size < 1:
        raise InvalidInput("--batch-size must be at least 1.")
    docs = {d.key: d for d in find_documents(root)}
    batch = str(root.resolve())
    worker = worker or f"{socket.gethostname()}:{os.getpid()}"
    with store.write() as tx:
        tx.register_import_items(batch, sorted(docs))
    with store.read() as tx:
        before = tx.import_progress(batch)
    total = before.get("pending", 0)
    summary: dict[str, Any] = {
        "documents": 0,
        "revisions": 0,
        "corrections": 0,
        "skipped": before.get("done", 0),
    }
    failures: list[str] = []
    summary["failures"] = failures
    if progress:
        progress(0, total)
    while True:
        with store.write() as tx:
            claimed = tx.claim_import_items(batch, batch_size)
            if not claimed:
                break
            for key in claimed:
                try:
                    with tx.savepoint():
                        added, notes = (
                            import_document(tx, docs[key], actor) if key in docs else (0, 0)
                        )
                except RevtrackError as exc:
                    # One bad document must not sink the others: it is recorded as failed
                    # (rerunning the import does not retry it) and reported at the end.
                    tx.finish_import_item(batch, key, worker=worker, revisions=0, state="failed")
                    failures.append(f"{key}: {exc}")
                    continue
                tx.finish_import_item(batch, key, worker=worker, revisions=added)
                summary["documents"] += 1
                summary["revisions"] += added
                summary["corrections"] += notes
            # One chain per worker: concurrent importers never contend for a chain's next seq.
            tx.append_event(
                "import.batch",
                actor=actor,
                chain=f"import:{worker}",
                payload={"batch": batch, "documents": claimed, "worker": worker},
            )
        if progress:
            progress(
                min(summary["documents"], max(total, summary["documents"])),
                max(total, summary["documents"]),
            )
    return summary
