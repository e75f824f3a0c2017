"""Turning one fetched source into a stored revision, inside one transaction.

The decisions made here: identical normalized text makes no revision ("unchanged"); text equal
to an older revision is stored again as a new revision marked as a revert (history is never
rewritten, and "when did it go back" is itself a fact worth keeping); revisions of an article
must arrive in capture-time order; every ingest, unchanged or not, writes an event.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from revtrack.corrections.model import RevisionChanges
from revtrack.diff import Diff, diff_texts
from revtrack.errors import InvalidInput, SourceError
from revtrack.service.linking import process_notes
from revtrack.service.results import IngestResult
from revtrack.service.sources import Fetched
from revtrack.store import Tx, utcnow
from revtrack.text.normalize import content_hash, exact_hash
from revtrack.text.tokenize import word_count


def headline_of(text: str) -> str | None:
    """A plain-text story's first line, when it reads like a headline.

    Saved news text usually starts with the headline; tracking it as the title lets `log`
    show it and the audit see a changed headline. A first line that is long or ends like a
    sentence is body text, and gives no title; lines of one or two words are skipped as page
    furniture.
    """
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if not line:
            continue
        if len(line.split()) < 3:
            continue  # page furniture ("Breaking News", "Accessibility links"), not a headline
        if len(line) <= 150 and not line.endswith((".", ",", ";", ":", "?", "!")):
            return line
        return None
    return None


def change_stats(diff: Diff, title_changed: bool) -> dict[str, Any]:
    stats = diff.stats
    return {
        "words_added": stats.words_added,
        "words_removed": stats.words_removed,
        "sentences_added": stats.sentences_added,
        "sentences_removed": stats.sentences_removed,
        "sentences_changed": stats.sentences_changed,
        "hunks": stats.hunks,
        "substantive_hunks": sum(1 for h in diff.hunks if h.substantive),
        "hunks_by_kind": dict(stats.hunks_by_kind),
        "title_changed": title_changed,
    }


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
) -> IngestResult:
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
    chash = content_hash(fetched.text)
    new_title = (
        title or fetched.title or headline_of(fetched.text) or (latest.title if latest else None)
    )
    when = captured_at or utcnow()
    if latest is not None and when < latest.captured_at:
        raise InvalidInput(
            f"{fetched.source}: capture time {when.isoformat(timespec='minutes')} is before "
            f"{key}@v{latest.number} ({latest.captured_at.isoformat(timespec='minutes')}).",
            "Ingest versions oldest first, or give a later --at.",
        )
    if latest is not None and latest.content_hash == chash and new_title == latest.title:
        tx.append_event(
            "ingest.unchanged",
            actor=actor,
            chain=key,
            article_id=article.id,
            revision_id=latest.id,
            payload={"source": fetched.source, "same_as": latest.number},
        )
        return IngestResult(key=key, status="unchanged", source=fetched.source, revision=latest)

    old_text = tx.load_text(latest.id) if latest is not None else ""
    diff = diff_texts(old_text, fetched.text) if latest is not None else None
    title_changed = latest is not None and (latest.title or "") != (new_title or "")
    stats = change_stats(diff, title_changed) if diff is not None else {}
    earlier = tx.find_content(article.id, chash) if latest is not None else None
    revision = tx.add_revision(
        article,
        fetched.text,
        captured_at=when,
        source=fetched.source,
        source_kind=fetched.kind,
        title=new_title,
        byline=fetched.byline,
        content_hash=chash,
        text_hash=exact_hash(fetched.text),
        revert_of_id=earlier.id if earlier else None,
        revert_of_number=earlier.number if earlier else None,
        words=word_count(fetched.text),
        stats=stats,
        meta=meta,
    )
    if (new_title and new_title != article.title) or (url and url != article.url):
        tx.update_article(article.id, title=new_title, url=url)
    first = (
        RevisionChanges(
            number=revision.number,
            diff=diff,
            old_title=(latest.title or "") if latest else "",
            new_title=new_title or "",
        )
        if latest is not None and diff is not None
        else None
    )
    added, removed = process_notes(tx, article, revision, old_text, fetched.text, first, actor)
    tx.append_event(
        "ingest",
        actor=actor,
        chain=key,
        article_id=article.id,
        revision_id=revision.id,
        # The revision row holds the rest (source, hashes, stats) and is itself hash-chained.
        payload={"number": revision.number},
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
