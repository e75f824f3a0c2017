"""Turning one fetched source into a stored revision, inside one transaction.

The decisions made here: identical normalized text makes no revision ("unchanged"); text equal
to an older revision is stored again as a new revision marked as a revert (history is never
rewritten, and "when did it go back" is itself a fact worth keeping); revisions of an article
must arrive in capture-time order; every ingest, unchanged or not, writes an event. A page
fetched over HTTP is kept beside the revision made from it (:mod:`revtrack.store.raw`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from revtrack.corrections.model import RevisionChanges
from revtrack.diff import diff_texts
from revtrack.errors import InvalidInput, SourceError
from revtrack.service.analysis import Analysis, Parent, analyze
from revtrack.service.linking import process_notes
from revtrack.service.results import IngestResult
from revtrack.service.sources import Fetched
from revtrack.store import Tx, utcnow


def ingest_fetched(
    tx: Tx,
    fetched: Fetched,
    *,
    key: str,
    captured_at: datetime | None,
    title: str | None,
    url: str | None,
    actor: str,
    meta: dict[str, Any] | None = None,
    ready: Analysis | None = None,
    provenance: dict[str, str] | None = None,
) -> IngestResult:
    """Store ``fetched`` as the next revision of ``key`` (or record it as unchanged).

    ``ready`` is an analysis made ahead of time (by a bulk import's workers); it is used only
    when it was made against the article's actual latest revision, else the text is analysed
    here. ``provenance`` (an importer's name and the archive's own id of the version) goes
    into the ingest event, whose hash chain is what lets `verify` vouch for it.
    """
    if fetched.not_modified:
        known = tx.latest_fetch_of(fetched.source)
        return _not_modified(tx, fetched, key=known.article_key if known else key, actor=actor)
    if not fetched.text.strip():
        raise InvalidInput(f"{fetched.source} has no text to store.")
    if fetched.validators:
        meta = {**(meta or {}), **fetched.validators}
    article, created = tx.ensure_article(
        key, url=url or fetched.url, outlet=fetched.outlet, title=title or fetched.title
    )
    latest = tx.latest_revision(article.id)
    when = captured_at or utcnow()
    if latest is not None and when < latest.captured_at:
        raise InvalidInput(
            f"{fetched.source}: capture time {when.isoformat(timespec='minutes')} is before "
            f"{key}@v{latest.number} ({latest.captured_at.isoformat(timespec='minutes')}).",
            "Ingest versions oldest first, or give a later --at.",
        )
    old_text = ""
    if ready is None or not ready.fits(
        latest.text_hash if latest else None, latest.title if latest else None
    ):
        old_text = tx.load_text(latest.id) if latest is not None else ""
        parent = (
            Parent(old_text, latest.text_hash, latest.content_hash, latest.title, latest.words)
            if latest is not None
            else None
        )
        ready = analyze(fetched.text, title or fetched.title, parent)
    if latest is not None and ready.unchanged:
        tx.append_event(
            "ingest.unchanged",
            actor=actor,
            chain=key,
            article_id=article.id,
            revision_id=latest.id,
            payload={"source": fetched.source, "same_as": latest.number, **(provenance or {})},
        )
        return IngestResult(key=key, status="unchanged", source=fetched.source, revision=latest)

    new_title = ready.title
    stats = ready.stats
    earlier = tx.find_content(article.id, ready.content_hash) if latest is not None else None
    revision = tx.add_revision(
        article,
        fetched.text,
        captured_at=when,
        source=fetched.source,
        source_kind=fetched.kind,
        title=new_title,
        byline=fetched.byline,
        content_hash=ready.content_hash,
        text_hash=ready.text_hash,
        revert_of_id=earlier[0] if earlier else None,
        revert_of_number=earlier[1] if earlier else None,
        words=ready.words,
        stats=stats,
        meta=meta,
    )
    kept: dict[str, Any] = {}
    if fetched.raw is not None:
        # The page itself, for `reextract`; its hash goes into the ingest event, inside the
        # event hash chain, so `verify` can vouch for the kept bytes.
        raw = fetched.raw
        kept["raw"] = tx.add_raw(
            article.id, revision.id, revision.number, raw.body, raw.content_type, raw.url
        )
    if (new_title and new_title != article.title) or (url and url != article.url):
        tx.update_article(article.id, title=new_title, url=url)
    analysis = ready

    def first() -> RevisionChanges | None:
        if latest is None:
            return None
        diff = analysis.diff
        if diff is None:  # analysed in another process: the diff stayed there
            diff = diff_texts(old_text or tx.load_text(latest.id), fetched.text)
        return RevisionChanges(
            number=revision.number,
            diff=diff,
            old_title=latest.title or "",
            new_title=new_title or "",
        )

    added, removed = process_notes(tx, article, revision, ready.notes, first, actor)
    tx.append_event(
        "ingest",
        actor=actor,
        chain=key,
        article_id=article.id,
        revision_id=revision.id,
        # The revision row holds the rest (source, hashes, stats) and is itself hash-chained.
        payload={"number": revision.number, **kept, **(provenance or {})},
    )
    return IngestResult(
        key=key,
        status="revert" if earlier else "new",
        source=fetched.source,
        revision=revision,
        words_added=stats.get("words_added", 0),
        words_removed=stats.get("words_removed", 0),
        created_article=created,
        notes_added=tuple(added),
        notes_removed=tuple(removed),
    )


def _not_modified(tx: Tx, fetched: Fetched, *, key: str, actor: str) -> IngestResult:
    """The server said 304 to our conditional request: the latest revision still stands."""
    article = tx.get_article(key)
    latest = tx.latest_revision(article.id) if article else None
    if article is None or latest is None:
        raise SourceError(
            f"{fetched.source} answered 304 Not Modified, but {key} has no revision yet.",
            "Ingest it again; revtrack will ask for the full page.",
        )
    tx.append_event(
        "ingest.unchanged",
        actor=actor,
        chain=key,
        article_id=article.id,
        revision_id=latest.id,
        payload={"source": fetched.source, "http": 304},
    )
    return IngestResult(key=key, status="unchanged", source=fetched.source, revision=latest)
