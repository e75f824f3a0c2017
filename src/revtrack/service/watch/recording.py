"""Recording what a fetch found: a revision through the ingest path, or why none, and the
next time to look — one transaction per batch of outcomes.

A mixin of :class:`~revtrack.service.watch.service.Watcher`, apart so that neither module is
long: the watcher claims and fetches, this writes down.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from revtrack.errors import (
    InvalidInput,
    RevtrackError,
)
from revtrack.records import HostRecord, WatchRecord
from revtrack.service.ingest import ingest_fetched
from revtrack.service.sources import key_from_url, slugify
from revtrack.service.watch.model import Config, PassSummary, Seen
from revtrack.service.watch.schedule import (
    History,
    Policy,
    next_fetch,
    with_change,
)
from revtrack.service.watch.settings import Settings
from revtrack.service.watch.urls import canonical
from revtrack.service.watch.work import Job, Outcome
from revtrack.store import Store, Tx
from revtrack.store.watch import FINISH, WatchRows


class Recorder:
    """Writes fetch outcomes; the watcher supplies the store, actor, policy, config and clock."""

    store: Store
    actor: str
    policy: Policy
    config: Config
    settings: Settings

    def _site_rules(
        self, host: str, rule: HostRecord | None
    ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """(include, remove, skip) for ``host``: the config file's where it says, else the
        database's (``watch host``)."""
        site = self.settings.sites.get(host)
        include = rule.include if rule is not None else ()
        remove = rule.remove if rule is not None else ()
        skip = rule.skip if rule is not None else ()
        if site is not None:
            include = site.include if site.include is not None else include
            remove = site.remove if site.remove is not None else remove
            skip = site.skip if site.skip is not None else skip
        return tuple(include), tuple(remove), tuple(skip)

    def clock(self) -> datetime:
        raise NotImplementedError

    def _ensure_host(self, rows: WatchRows, host: str) -> None:
        raise NotImplementedError

    def _tell(self, seen: list[Seen]) -> None:
        """Notify what the committed batch found (see the watcher)."""
        raise NotImplementedError

    def _record_done(
        self,
        done: set[Future[Outcome]],
        inflight: dict[Future[Outcome], Job],
        token: str,
        summary: PassSummary,
        on_seen: Callable[[Seen], None] | None,
    ) -> None:
        outcomes: list[Outcome] = []
        for future in done:
            job = inflight.pop(future)
            try:
                outcomes.append(future.result())
            except Exception as exc:  # a bug in reading one page must not stop the worker
                outcomes.append(
                    Outcome(job, "failed", reason="error", error=f"{type(exc).__name__}: {exc}")
                )
        for start in range(0, len(outcomes), self.config.batch):
            self._record_batch(outcomes[start : start + self.config.batch], token, summary, on_seen)

    def _record_batch(
        self,
        outcomes: list[Outcome],
        token: str,
        summary: PassSummary,
        on_seen: Callable[[Seen], None] | None,
    ) -> None:
        recorded: list[Seen | None] = []
        released = [o.job.watch.id for o in outcomes if o.result == "released"]
        # What needs no ingest (304s, same bytes, failures: most of a pass) is written in a
        # few statements for the whole batch: its watches read and locked at once, their
        # chains' heads read at once, their rows written by one executemany. Pages that go
        # through ingest come after, each in its own savepoint, as before.
        plain = [o for o in outcomes if o.result not in ("released", "body")]
        bodies = [o for o in outcomes if o.result == "body"]
        at = self.clock()
        with self.store.write() as tx:
            rows = WatchRows(tx)
            known = rows.lock_many([o.job.watch.id for o in plain]) if plain else {}
            if known:
                chains = [w.chain for w in known.values()]
                tx.prefetch_chains(chains)
                tx.prefetch_heads(chains)
            finishes: list[tuple[int, dict[str, Any]]] = []
            for outcome in plain:
                recorded.append(self._record_one(tx, rows, outcome, at, known, finishes))
            rows.finish_many(finishes)  # before any ingest reads watches again
            for outcome in bodies:
                recorded.append(self._record_one(tx, rows, outcome, at))
            rows.release(token, released, at)
        summary.counts.update({"released": len(released)} if released else {})
        seen = [item for item in recorded if item is not None]
        self._tell(seen)
        for item in seen:
            summary.counts[item.result] += 1
            summary.notes += item.notes
            summary.added += item.added
            if on_seen is not None:
                on_seen(item)

    def _record_one(
        self,
        tx: Tx,
        rows: WatchRows,
        outcome: Outcome,
        at: datetime,
        known: dict[int, WatchRecord] | None = None,
        finishes: list[tuple[int, dict[str, Any]]] | None = None,
    ) -> Seen | None:
        """Record one outcome; one that cannot be stored is recorded as a failure instead."""
        mark = len(finishes) if finishes is not None else 0
        try:
            if outcome.result == "body":  # it goes through ingest: undo it alone
                with tx.savepoint():
                    return self._record(tx, rows, outcome, at)
            return self._record(tx, rows, outcome, at, known, finishes)
        except Exception as exc:
            if finishes is not None:
                del finishes[mark:]  # the failure's own row is written below, not this one
            message = exc.message if isinstance(exc, RevtrackError) else f"{exc}"
            failed = replace(
                outcome,
                result="failed",
                reason="unstorable" if isinstance(exc, RevtrackError) else "error",
                error=message.splitlines()[0] if message else type(exc).__name__,
            )
            with tx.savepoint():
                return self._record(tx, rows, failed, at)

    # -- recording one outcome --------------------------------------------------------------
    def _record(
        self,
        tx: Tx,
        rows: WatchRows,
        outcome: Outcome,
        at: datetime,
        known: dict[int, WatchRecord] | None = None,
        finishes: list[tuple[int, dict[str, Any]]] | None = None,
    ) -> Seen | None:
        """Record one outcome. ``known``: the batch's watches, read and locked already;
        ``finishes``: where to leave the watch row's new values for the batch to write (else
        both are done here, one statement each)."""
        job = outcome.job
        watch = known.get(job.watch.id) if known is not None else rows.get(job.watch.id, lock=True)
        if watch is None or watch.claim_token != job.token:
            return Seen(job.watch, "stale")  # the claim lapsed and another worker took it
        http = outcome.http
        fields: dict[str, Any] = {
            "claim_token": None,
            "claimed_by": "",
            "not_before": None,
            "last_fetch_at": at,
            "last_status": http.status if http else None,
            "fetch_count": watch.fetch_count + 1,
        }
        payload: dict[str, Any] = {
            "url": watch.url,
            "status": http.status if http else None,
            "bytes": len(http.body) if http else 0,
            "ms": round(http.ms, 1) if http else 0,
            "conditional": bool(http and http.conditional),
            "not_modified": bool(http and http.not_modified),
        }
        if http and http.redirects:
            payload["redirects"] = [u for u, _ in http.redirects] + [http.final_url]
        if outcome.crawl_delay is not None:
            # robots.txt asks every crawler to space its requests: all workers will, from now
            rule = rows.host(watch.host)
            wanted = round(outcome.crawl_delay * 1000)
            if rule is not None and wanted > rule.delay_ms:
                rows.set_host(watch.host, delay_ms=wanted)
                payload["crawl_delay"] = outcome.crawl_delay
        seen = Seen(watch, outcome.result, status=http.status if http else None)
        changed = False
        retry_after: timedelta | None = None
        failed = outcome.result in ("failed", "robots")
        revision_id: int | None = None
        article_id = watch.article_id
        if failed:
            fields.update(
                fails=watch.fails + 1, last_result=outcome.reason, last_error=outcome.error
            )
            seen = replace(seen, reason=outcome.reason, error=outcome.error)
            if http and http.retry_after is not None:
                retry_after = timedelta(seconds=http.retry_after)
            if outcome.result == "robots":
                retry_after = self.policy.max_interval
        elif outcome.result in ("not-modified", "same-bytes"):
            fields.update(fails=0, last_result=outcome.result, last_error="")
            if http is not None:
                fields.update(_validators(http, watch))
        elif watch.kind == "page":
            seen, page_fields, changed, revision_id, article_id = self._record_page(
                tx, rows, watch, outcome, at
            )
            fields.update(page_fields)
        else:
            added = self._record_entries(tx, rows, watch, outcome, at)
            fields.update(
                fails=0, last_result="entries", last_error="", body_hash=outcome.body_hash
            )
            assert http is not None
            fields.update(_validators(http, watch))
            payload["entries"] = len(outcome.entries)
            payload["added"] = added
            seen = replace(seen, result="entries", added=added)
        if changed:
            changes = with_change(watch.recent_changes, at)
            fields.update(
                recent_changes=changes,
                last_change_at=at,
                change_count=watch.change_count + 1,
            )
        else:
            changes = watch.recent_changes
        if fields.get("state") == "merged":
            fields["next_at"] = None
        else:
            history = History(
                kind=watch.kind,
                born_at=watch.born_at,
                every=_delta(watch.every_s),
                until=_delta(watch.until_s) if watch.kind == "page" else None,
                changes=changes,
                fails=int(fields.get("fails", watch.fails)),
                retry_after=retry_after,
            )
            due = next_fetch(
                history, at, seed=f"{watch.id}:{watch.fetch_count}", policy=self.policy
            )
            fields["next_at"] = due
            if due is None:
                fields["state"] = "expired"
        if article_id != watch.article_id:
            fields["article_id"] = article_id
        values = {name: getattr(watch, name, None) for name in FINISH}
        values.update(fields)
        if finishes is not None:
            finishes.append((watch.id, values))
        else:
            rows.finish(watch.id, values)
        payload["result"] = seen.result
        if seen.reason:
            payload["why"] = seen.reason
        if seen.error:
            payload["error"] = seen.error
        if seen.revision is not None:
            payload["revision"] = seen.revision
        if fields.get("next_at") is not None:
            payload["next"] = fields["next_at"].isoformat(timespec="seconds")
        tx.append_event(
            "fetch",
            actor=self.actor,
            chain=watch.chain,
            article_id=article_id,
            revision_id=revision_id,
            payload=payload,
            at=at,
        )
        return seen

    def _record_page(
        self, tx: Tx, rows: WatchRows, watch: WatchRecord, outcome: Outcome, at: datetime
    ) -> tuple[Seen, dict[str, Any], bool, int | None, int | None]:
        http = outcome.http
        fetched = outcome.fetched
        assert http is not None and fetched is not None
        # Every form of this story's URL met on the way is one more identity of it.
        target = watch
        forms = [http.final_url] if http.final_url and http.final_url != watch.url else []
        if fetched.url:
            forms.append(fetched.url)
        for form in forms:
            try:
                ident = canonical(form).ident
            except InvalidInput:
                continue
            owner = rows.add_alias(ident, watch.id)
            if owner != watch.id and target.id == watch.id:
                other = rows.get(owner)
                if other is not None and other.state != "removed":
                    target = other
        fields: dict[str, Any] = {}
        if target.id != watch.id:
            fields.update(state="merged", merged_into=target.id)
        elif http.redirects and http.redirects[-1][1] in (301, 308) and http.final_url:
            fields["url"] = canonical(http.final_url).url  # moved for good: ask there next time
        key = target.article_key or self._choose_key(tx, fetched.url or watch.url)
        skip = self._skip_reason(rows, watch, fetched.text, fetched.title, key, tx)
        seen = Seen(watch, "", status=http.status, key=key)
        if skip is not None:
            reason, error = skip
            fields.update(fails=watch.fails + 1, last_result=reason, last_error=error)
            return (
                replace(seen, result="skipped", reason=reason, error=error),
                fields,
                False,
                None,
                watch.article_id,
            )
        existing = tx.get_article(key)
        latest = tx.latest_revision(existing.id) if existing else None
        when = at if latest is None or at > latest.captured_at else latest.captured_at
        validators = {
            name: value
            for name, value in (("etag", http.etag), ("last_modified", http.last_modified))
            if value
        }
        result = ingest_fetched(
            tx,
            replace(fetched, source=watch.url, validators=validators),
            key=key,
            captured_at=when,
            title=None,
            url=fetched.url or watch.url,
            actor=self.actor,
        )
        article_id = result.revision.article_id
        if target.id != watch.id and target.article_id is None:
            rows.update(target.id, article_id=article_id)
        fields.update(
            fails=0,
            last_result=result.status,
            last_error="",
            body_hash=outcome.body_hash,
            etag=http.etag,
            last_modified=http.last_modified,
        )
        changed = result.status != "unchanged" and result.revision.number > 1
        seen = replace(
            seen,
            result=result.status,
            key=result.key,
            revision=result.revision.number,
            notes=len(result.notes_added),
            words_added=result.words_added,
            words_removed=result.words_removed,
            substantive=result.revision.substantive_hunks if result.status != "unchanged" else 0,
            note_texts=self._note_texts(tx, article_id, result.notes_added),
        )
        revision_id = result.revision.id if result.status != "unchanged" else None
        return seen, fields, changed, revision_id, article_id

    def _note_texts(self, tx: Tx, article_id: int, ids: tuple[int, ...]) -> tuple[str, ...]:
        """The texts of the notes first seen in a new revision, when someone will be told."""
        if not ids or not self._notifying("correction"):
            return ()
        wanted = set(ids)
        return tuple(
            f"{c.label}: {c.text}" if c.label else c.text
            for c in tx.corrections(article_id)
            if c.id in wanted
        )

    def _notifying(self, event: str) -> bool:
        raise NotImplementedError

    def _skip_reason(
        self, rows: WatchRows, watch: WatchRecord, text: str, title: str | None, key: str, tx: Tx
    ) -> tuple[str, str] | None:
        _, _, skip = self._site_rules(watch.host, rows.host(watch.host))
        for pattern in skip:
            if re.search(pattern, text) or (title and re.search(pattern, title)):
                return "skip-pattern", f"the page matches the skip pattern {pattern!r}"
        article = tx.get_article(key)
        latest = tx.latest_revision(article.id) if article else None
        cfg = self.config
        short = (
            latest is not None
            and latest.chars >= cfg.short_min_chars
            and len(text) < cfg.short_ratio * latest.chars
        )
        if short:
            assert latest is not None
            return (
                "short",
                f"{len(text):,} characters against {latest.chars:,} in "
                f"{key}@v{latest.number}: an error, consent or paywall page",
            )
        return None

    def _choose_key(self, tx: Tx, url: str) -> str:
        """A key for a new article: from its URL, made unique against other stories."""
        try:
            ident = canonical(url).ident
            host = canonical(url).host
        except InvalidInput:
            ident, host = url, ""
        base = key_from_url(url) or slugify(host) or "article"
        candidates = [base, slugify(f"{host.split(':')[0].removeprefix('www.')}-{base}")]
        candidates += [f"{candidates[1]}-{n}" for n in range(2, 100)]
        for key in candidates:
            article = tx.get_article(key)
            if article is None:
                return key
            if article.url:
                try:
                    if canonical(article.url).ident == ident:
                        return key  # the same story, ingested before by hand
                except InvalidInput:
                    pass
        return f"{candidates[1]}-{uuid.uuid4().hex[:8]}"

    def _record_entries(
        self, tx: Tx, rows: WatchRows, watch: WatchRecord, outcome: Outcome, at: datetime
    ) -> int:
        added = 0
        for entry in outcome.entries:
            if rows.owner(entry.target.ident) is not None:
                continue
            self._ensure_host(rows, entry.target.host)
            # Followed from when revtrack first sees it: a feed's own dates are not trusted
            # to decide that (an old date would stop a story before its first fetch).
            child = rows.add(
                url=entry.target.url,
                ident=entry.target.ident,
                host=entry.target.host,
                kind="page",
                every_s=None,
                until_s=watch.until_s,
                parent_id=watch.id,
                born_at=at,
                now=at,
                next_at=at,
            )
            self._event(tx, child, "watch.add", at, {"url": child.url, "from": watch.id})
            added += 1
        return added

    def _event(
        self, tx: Tx, watch: WatchRecord, action: str, at: datetime, payload: dict[str, Any]
    ) -> None:
        tx.append_event(
            action,
            actor=self.actor,
            chain=watch.chain,
            article_id=watch.article_id,
            payload=payload,
            at=at,
        )


def _validators(http: Any, watch: WatchRecord) -> dict[str, Any]:
    """Validators to keep: a 304 may omit them (keep ours); a 200 replaces them."""
    if http.not_modified:
        return {
            "etag": http.etag or watch.etag,
            "last_modified": http.last_modified or watch.last_modified,
        }
    return {"etag": http.etag, "last_modified": http.last_modified}


def _seconds(value: timedelta | None) -> int | None:
    return None if value is None else round(value.total_seconds())


def _delta(value: int | None) -> timedelta | None:
    return None if value is None else timedelta(seconds=value)
