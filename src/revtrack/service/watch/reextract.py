"""`reextract`: read kept pages again with today's extractor and site rules.

A revision fetched from a page keeps that page (:mod:`revtrack.store.raw`). When the
extractor improves or a site rule is added (a rotating "most read" box that made revisions of
its own), the old versions can be read again. Nothing is rewritten: the revision's original
text stays exactly as it was ingested, and a text that now reads differently is appended as a
*re-derived* reading (:mod:`revtrack.store.rederived`) with a ``reextract`` event in the
article's hash-chained log saying which revision, from which kept page (its SHA-256), with
which rules and extractor, what it read before and what it reads now. A reading equal to the
current one appends nothing, so running it twice changes nothing.

Pages are read and extracted in a read transaction, one article at a time; the appends of an
article are one short write transaction, which checks the reading again (another run may have
appended meanwhile), so SQLite's write lock is never held during extraction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from itertools import pairwise
from typing import Any

from revtrack.errors import InvalidInput, RevtrackError
from revtrack.service.progress import Counter, Progress
from revtrack.service.refs import find_article
from revtrack.service.watch.urls import canonical
from revtrack.service.watch.work import read_page
from revtrack.store import Store, Tx
from revtrack.store.raw import RawInfo
from revtrack.text.normalize import content_hash, exact_hash

Rules = Callable[[Tx, str], tuple[tuple[str, ...], tuple[str, ...]]]
"""(include, remove) CSS selectors for a host, as fetching applies them."""


@dataclass(frozen=True)
class Reread:
    """One revision whose kept page reads differently now (or could not be read)."""

    key: str
    number: int
    chars_before: int = 0
    chars_after: int = 0
    error: str = ""


@dataclass
class ReextractSummary:
    dry_run: bool = False
    read: int = 0  # kept pages read again
    rederived: int = 0  # ... that read differently: a re-derived text appended (or would be)
    unchanged: int = 0  # ... that read as they do now
    failed: int = 0  # ... that could not be read
    no_page: int = 0  # revisions in scope with no kept page (files, texts, imports)
    same_as_before: int = 0  # revisions that now read the same as the one before them
    articles: int = 0
    items: list[Reread] = field(default_factory=list)


@lru_cache(maxsize=1)
def extractor_name() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"trafilatura {version('trafilatura')}"
    except PackageNotFoundError:  # pragma: no cover - it is a dependency
        return "trafilatura"


def host_name(host: str) -> str:
    """A host as the watch tables name it (``example.com``, ``127.0.0.1:8000``)."""
    return canonical(host if "://" in host else f"http://{host}/").host


def reextract(
    store: Store,
    actor: str,
    rules: Rules,
    *,
    key: str | None = None,
    host: str | None = None,
    dry_run: bool = False,
    clock: Callable[[], datetime] | None = None,
    progress: Progress | None = None,
) -> ReextractSummary:
    """Read again every kept page of one article (``key``), of one host, or all;
    ``progress`` is told (pages read, pages in scope) after each article."""
    if key is not None and host is not None:
        raise InvalidInput("Give --article or --host, not both.")
    wanted = host_name(host) if host is not None else None
    summary = ReextractSummary(dry_run=dry_run)
    with store.read() as tx:
        if key is not None:
            article = find_article(tx, key)
            scope = {article.id: (article.key, tx.raw_infos(article.id))}
            counts = {article.id: tx.revision_count(article.id)}
        else:
            scope = {}
            for info in tx.raw_infos():
                if wanted is not None and _host_of(info.url) != wanted:
                    continue
                scope.setdefault(info.article_id, (info.key, []))[1].append(info)
            counts = {aid: tx.revision_count(aid) for aid in scope}
    counter = Counter(progress, sum(len(infos) for _, infos in scope.values()))
    counter.flush()
    for article_id, (article_key, infos) in scope.items():
        summary.articles += 1
        summary.no_page += counts[article_id] - len(infos)
        _article(store, actor, rules, article_key, article_id, infos, summary, clock)
        counter.add(len(infos))
    counter.flush()
    return summary


def _host_of(url: str) -> str | None:
    try:
        return canonical(url).host
    except InvalidInput:
        return None


def _article(
    store: Store,
    actor: str,
    rules: Rules,
    key: str,
    article_id: int,
    infos: list[RawInfo],
    summary: ReextractSummary,
    clock: Callable[[], datetime] | None,
) -> None:
    changed: list[tuple[RawInfo, Any, str, str, str | None, dict[str, Any]]] = []
    with store.read() as tx:
        order = [r.id for r in tx.revisions(article_id)]
        readings = tx.reading_hashes(article_id)
        for info in infos:
            page = tx.load_raw(info.revision_id)
            assert page is not None
            summary.read += 1
            include, remove = rules(tx, _host_of(page.url) or "")
            try:
                fetched = read_page(
                    page.body,
                    content_type=page.content_type,
                    url=page.url,
                    source=page.url,
                    include=include,
                    remove=remove,
                )
            except RevtrackError as exc:
                summary.failed += 1
                summary.items.append(Reread(key, info.number, error=exc.message))
                continue
            before, _ = tx.reading(info.revision_id)
            if fetched.text == before:
                summary.unchanged += 1
                continue
            used = {"include": list(include), "remove": list(remove)}
            changed.append((info, page, before, fetched.text, fetched.title, used))
            readings[info.revision_id] = content_hash(fetched.text)
    if changed and not summary.dry_run:
        at = clock() if clock is not None else None
        with store.write() as tx:
            for info, page, _, text, title, used in changed:
                before, _ = tx.reading(info.revision_id)
                if before == text:  # another run appended this reading meanwhile
                    continue
                _append(
                    tx, actor, key, article_id, info, page.sha256, before, text, title, used, at
                )
    for info, _, before, text, _, _ in changed:
        summary.rederived += 1
        summary.items.append(Reread(key, info.number, len(before), len(text)))
    ordered = [readings[rid] for rid in order]
    summary.same_as_before += sum(1 for a, b in pairwise(ordered) if a == b)


def _append(
    tx: Tx,
    actor: str,
    key: str,
    article_id: int,
    info: RawInfo,
    raw_sha256: str,
    before: str,
    text: str,
    title: str | None,
    used: dict[str, Any],
    at: datetime | None,
) -> None:
    digest = exact_hash(text)
    tx.add_rederived(
        info.revision_id,
        text,
        raw_revision_id=info.revision_id,
        text_hash=digest,
        content_hash=content_hash(text),
        title=title,
        rules=used,
        extractor=extractor_name(),
        actor=actor,
        at=at,
    )
    tx.append_event(
        "reextract",
        actor=actor,
        chain=key,
        article_id=article_id,
        revision_id=info.revision_id,
        payload={
            "number": info.number,
            "from": info.number,  # the revision whose kept page was read
            "raw": raw_sha256,
            "was": exact_hash(before),
            "text_hash": digest,
            "rules": used,
            "extractor": extractor_name(),
        },
        at=at,
    )
