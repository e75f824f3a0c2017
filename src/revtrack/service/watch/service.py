"""Watching as a service: what is followed, and fetch passes that record what they saw.

:class:`Watcher` adds and manages watches and runs passes. A pass claims due watches (see
:mod:`revtrack.store.watch` for how claims are shared by workers on any number of machines),
fetches them in a pool of threads (:mod:`revtrack.service.watch.work`), and records each
outcome in the worker's main thread: a batch of outcomes per transaction, each in its own
savepoint, so a page that cannot be stored costs only itself. A page that reads differently
goes through exactly the ingest path of `revtrack ingest` (:func:`ingest_fetched`: unchanged
detection, revert marking, note detection and linking). Every fetch, whatever came of it,
appends a ``fetch`` event to the watch's own chain (``watch:<id>``), in the transaction that
records it.

Stopping (``stop`` set by SIGINT/SIGTERM) starts nothing new: fetches in flight finish and
are recorded, claims not yet started are given back, and nothing is ever half written
because each outcome is one savepoint of one transaction.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from revtrack.errors import (
    AlreadyWatched,
    DatabaseLocked,
    InvalidInput,
    RevtrackError,
    UnknownWatch,
)
from revtrack.records import EventRecord, HostRecord, WatchRecord
from revtrack.service.ingest import ingest_fetched
from revtrack.service.sources import key_from_url, max_bytes_allowed, slugify
from revtrack.service.watch.discover import MAX_ENTRIES, compile_pattern
from revtrack.service.watch.fetcher import Fetcher
from revtrack.service.watch.rules import check_selectors
from revtrack.service.watch.schedule import (
    DEFAULT_POLICY,
    History,
    Policy,
    next_fetch,
    parse_duration,
    with_change,
)
from revtrack.service.watch.urls import canonical
from revtrack.service.watch.work import Job, Outcome, perform
from revtrack.store import Store, Tx, utcnow
from revtrack.store.watch import FINISH, WatchRows

Clock = Callable[[], datetime]


def now() -> datetime:
    """The watcher's clock (naive UTC); tests replace it to move time."""
    return utcnow()


@dataclass(frozen=True)
class Config:
    """How a worker fetches. Per-host rules live in the database (``watch host``)."""

    contact: str | None = None
    host_concurrency: int = 2  # for a host with no rule yet
    host_delay_ms: int = 1000
    short_ratio: float = 0.3  # a text under this share of the last one is an error page
    short_min_chars: int = 300  # ... when the last one had at least this many characters
    claim_ttl: timedelta = timedelta(minutes=5)
    horizon: timedelta = timedelta(seconds=5)
    timeout: float = 20.0
    retries: int = 2
    backoff: float = 1.0
    retry_cap: float = 30.0
    max_entries: int = MAX_ENTRIES
    batch: int = 64  # outcomes recorded per transaction, at most

    @classmethod
    def from_env(cls, **overrides: Any) -> Config:
        values: dict[str, Any] = {"contact": os.environ.get("REVTRACK_CONTACT") or None}
        if os.environ.get("REVTRACK_URL_TIMEOUT"):
            values["timeout"] = float(os.environ["REVTRACK_URL_TIMEOUT"])
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


@dataclass
class PassSummary:
    counts: Counter[str] = field(default_factory=Counter)
    notes: int = 0
    added: int = 0  # new watches found in feeds and section pages
    seconds: float = 0.0

    @property
    def fetched(self) -> int:
        return sum(n for k, n in self.counts.items() if k not in ("released", "stale"))


@dataclass(frozen=True)
class Seen:
    """One recorded fetch, for progress output."""

    watch: WatchRecord
    result: str  # new | revert | unchanged | not-modified | same-bytes | skipped | failed | …
    reason: str = ""
    error: str = ""
    key: str | None = None
    revision: int | None = None
    notes: int = 0
    added: int = 0
    status: int | None = None
    words_added: int = 0
    words_removed: int = 0


@dataclass(frozen=True)
class WatchStatus:
    now: datetime
    states: dict[str, int]
    due: int
    next_due: datetime | None
    failing: int
    failing_list: list[WatchRecord]
    changed: int
    changed_list: list[WatchRecord]
    hosts: list[dict[str, Any]]
    since: datetime


class Watcher:
    def __init__(
        self,
        store: Store,
        actor: str,
        *,
        clock: Clock | None = None,
        policy: Policy = DEFAULT_POLICY,
        config: Config | None = None,
        fetcher_factory: Callable[[Config, threading.Event], Fetcher] | None = None,
    ) -> None:
        self.store = store
        self.actor = actor
        self._clock = clock
        self.policy = policy
        self.config = config or Config.from_env()
        self._fetcher_factory = fetcher_factory

    def clock(self) -> datetime:
        return self._clock() if self._clock is not None else now()

    # -- managing watches ---------------------------------------------------------------
    def add(
        self,
        url: str,
        *,
        kind: str = "page",
        pattern: str | None = None,
        every: timedelta | str | None = None,
        until: timedelta | str | None = DEFAULT_POLICY.until,
    ) -> WatchRecord:
        """Follow ``url``: an article page, a feed (``kind="feed"``), or a section page whose
        links matching ``pattern`` become followed articles (``kind="links"``).

        ``every`` and ``until`` may be durations as the CLI writes them (``15m``, ``30d``;
        ``until="never"``: followed for ever)."""
        if isinstance(every, str):
            every = parse_duration(every, what="--every interval")
        if isinstance(until, str):
            text = until.strip().lower()
            until = None if text in ("never", "0") else parse_duration(until, what="--until age")
        if kind not in ("page", "feed", "links"):
            raise InvalidInput(f"Unknown kind of watch {kind!r}.", "Use page, feed or links.")
        if kind == "links":
            if not pattern:
                raise InvalidInput("A section page needs a --links PATTERN.")
            compile_pattern(pattern)
        target = canonical(url)
        at = self.clock()
        with self.store.write() as tx:
            rows = WatchRows(tx)
            owner = rows.owner(target.ident)
            if owner is not None:
                known = rows.get(owner)
                assert known is not None
                if known.state != "removed":
                    raise AlreadyWatched(
                        f"{target.url} is watched already (watch {known.id}, {known.kind}, "
                        f"{known.state})."
                    )
                rows.update(
                    owner,
                    state="active",
                    kind=kind,
                    pattern=pattern or "",
                    every_s=_seconds(every),
                    until_s=_seconds(until),
                    next_at=at,
                )
                record = rows.get(owner)
                assert record is not None
            else:
                self._ensure_host(rows, target.host)
                record = rows.add(
                    url=target.url,
                    ident=target.ident,
                    host=target.host,
                    kind=kind,
                    pattern=pattern or "",
                    every_s=_seconds(every),
                    until_s=_seconds(until),
                    born_at=at,
                    now=at,
                    next_at=at,
                )
            self._event(tx, record, "watch.add", at, {"url": record.url, "kind": kind})
            return record

    def watches(self, *, include_removed: bool = False) -> list[WatchRecord]:
        with self.store.read() as tx:
            states = None if include_removed else ["active", "paused", "expired", "merged"]
            return WatchRows(tx).watches(states=states)

    def find(self, ref: str) -> WatchRecord:
        with self.store.read() as tx:
            return self._find(WatchRows(tx), ref)

    def remove(self, ref: str) -> WatchRecord:
        return self._set_state(ref, "removed", "watch.remove")

    def pause(self, ref: str) -> WatchRecord:
        return self._set_state(ref, "paused", "watch.pause")

    def resume(self, ref: str) -> WatchRecord:
        return self._set_state(ref, "active", "watch.resume")

    def _set_state(self, ref: str, state: str, action: str) -> WatchRecord:
        at = self.clock()
        with self.store.write() as tx:
            rows = WatchRows(tx)
            record = self._find(rows, ref)
            if state == "active" and record.state == "merged":
                raise InvalidInput(
                    f"Watch {record.id} is one story with watch {record.merged_into}; "
                    "resume that one instead."
                )
            fields: dict[str, Any] = {"state": state, "claim_token": None, "not_before": None}
            fields["next_at"] = at if state == "active" else None
            if state == "active" and record.state == "expired":
                fields["born_at"] = at  # resumed after its follow period: a new one starts
            rows.update(record.id, **fields)
            self._event(tx, record, action, at, {"url": record.url})
            updated = rows.get(record.id)
            assert updated is not None
            return updated

    def _find(self, rows: WatchRows, ref: str) -> WatchRecord:
        text = ref.strip()
        found: WatchRecord | None = None
        if text.isdigit():
            found = rows.get(int(text))
        elif "://" in text:
            owner = rows.owner(canonical(text).ident)
            found = rows.get(owner) if owner is not None else None
        else:
            matches = [w for w in rows.by_article(slugify(text)) if w.state != "merged"]
            found = matches[0] if matches else None
        if found is None or found.state == "removed":
            raise UnknownWatch(f"Nothing watched matches {ref!r}.")
        return found

    def set_host(
        self,
        host: str,
        *,
        concurrency: int | None = None,
        delay: float | None = None,
        skip: list[str] | None = None,
        robots: bool | None = None,
        include: list[str] | None = None,
        remove: list[str] | None = None,
    ) -> HostRecord:
        """Set a host's rules (they hold for every worker): politeness, skip patterns, and
        CSS selectors to keep (``include``) or drop (``remove``) before extraction."""
        name = canonical(host if "://" in host else f"http://{host}/").host
        if concurrency is not None and concurrency < 1:
            raise InvalidInput("--concurrency must be at least 1.")
        if delay is not None and delay < 0:
            raise InvalidInput("--delay cannot be negative.")
        for pattern in skip or []:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise InvalidInput(
                    f"The skip pattern {pattern!r} is not a regular expression ({exc})."
                ) from None
        check_selectors(include or [], "--include")
        check_selectors(remove or [], "--remove")
        fields: dict[str, Any] = {}
        if include is not None:
            fields["include"] = list(include)
        if remove is not None:
            fields["remove"] = list(remove)
        if concurrency is not None:
            fields["concurrency"] = concurrency
        if delay is not None:
            fields["delay_ms"] = round(delay * 1000)
        if skip is not None:
            fields["skip"] = list(skip)
        if robots is not None:
            fields["robots"] = robots
        with self.store.write() as tx:
            rows = WatchRows(tx)
            self._ensure_host(rows, name)
            return rows.set_host(name, **fields)

    def hosts(self) -> list[HostRecord]:
        with self.store.read() as tx:
            return WatchRows(tx).hosts()

    def status(self, *, recent: timedelta = timedelta(hours=24)) -> WatchStatus:
        at = self.clock()
        since = at - recent
        with self.store.read() as tx:
            rows = WatchRows(tx)
            return WatchStatus(
                now=at,
                states=rows.counts_by_state(),
                due=rows.due_count(at),
                next_due=rows.next_due(),
                failing=rows.count_failing(),
                failing_list=rows.failing(),
                changed=rows.count_changed_since(since),
                changed_list=rows.changed_since(since),
                hosts=rows.host_counts(at, since),
                since=since,
            )

    def history(self, ref: str, limit: int = 20) -> tuple[WatchRecord, list[EventRecord]]:
        """A watch and its latest events (its fetches, newest last)."""
        with self.store.read() as tx:
            record = self._find(WatchRows(tx), ref)
            events = tx.chain_events(record.chain)
            return record, events[-limit:]

    def _ensure_host(self, rows: WatchRows, host: str) -> None:
        rows.ensure_host(
            host,
            concurrency=self.config.host_concurrency,
            delay_ms=self.config.host_delay_ms,
        )

    # -- fetching -------------------------------------------------------------------------
    def run_pass(
        self,
        *,
        workers: int = 8,
        limit: int | None = None,
        due_only: bool = True,
        stop: threading.Event | None = None,
        on_seen: Callable[[Seen], None] | None = None,
        fetcher: Fetcher | None = None,
    ) -> PassSummary:
        """Fetch what is due and record it; ``due_only=False`` first makes every watch due.

        ``fetcher``: one kept across passes (its connections and robots.txt cache); by
        default the pass makes its own and closes it.
        """
        if workers < 1:
            raise InvalidInput("--workers must be at least 1.")
        if limit is not None and limit < 1:
            raise InvalidInput("--limit must be at least 1.")
        stop = stop or threading.Event()
        token = uuid.uuid4().hex
        worker = f"{socket.gethostname()}:{os.getpid()}"
        summary = PassSummary()
        if not due_only:
            with self.store.write() as tx:
                WatchRows(tx).make_all_due(self.clock())
        claimed = 0
        own_fetcher = fetcher is None
        if fetcher is None:
            fetcher = self._make_fetcher(stop, workers)
        inflight: dict[Future[Outcome], Job] = {}
        t0 = time.monotonic()
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="revtrack-fetch")
        try:
            while True:
                can_claim = not stop.is_set() and (limit is None or claimed < limit)
                got = 0
                free = workers - len(inflight)
                if can_claim and free > 0:
                    want = free if limit is None else min(free, limit - claimed)
                    jobs = self._claim(want, token, worker)
                    got = len(jobs)
                    claimed += got
                    for job in jobs:
                        future = pool.submit(
                            perform,
                            job,
                            fetcher,
                            clock=self.clock,
                            stop=stop,
                            max_entries=self.config.max_entries,
                        )
                        inflight[future] = job
                if not inflight:
                    if not can_claim:
                        break
                    if got == 0:
                        if self._remaining() == 0:
                            break
                        stop.wait(0.2)  # due, but its host is busy or spaced: wait for a slot
                        continue
                done, _ = wait(list(inflight), timeout=1.0, return_when=FIRST_COMPLETED)
                self._record_done(done, inflight, token, summary, on_seen)
        finally:
            # stopping (or failing): let what is in flight finish and record it
            if inflight:
                done, _ = wait(list(inflight))
                self._record_done(done, inflight, token, summary, on_seen)
            pool.shutdown(wait=True)
            if own_fetcher:
                fetcher.close()
        summary.seconds = time.monotonic() - t0
        return summary

    def run(
        self,
        *,
        workers: int = 8,
        stop: threading.Event,
        on_seen: Callable[[Seen], None] | None = None,
        on_pass: Callable[[int, PassSummary], None] | None = None,
        on_error: Callable[[RevtrackError], None] | None = None,
        idle_max: float = 60.0,
    ) -> int:
        """Run passes until ``stop`` is set; between them wait for the next due time."""
        passes = 0
        fetcher = self._make_fetcher(stop, workers)
        try:
            while not stop.is_set():
                try:
                    summary = self.run_pass(
                        workers=workers, stop=stop, on_seen=on_seen, fetcher=fetcher
                    )
                except DatabaseLocked as exc:
                    # another program holds SQLite's write lock past the busy timeout: what
                    # was not recorded falls due again when its claim lapses; try again soon
                    if on_error is not None:
                        on_error(exc)
                    stop.wait(5.0)
                    continue
                passes += 1
                if on_pass is not None and summary.counts:
                    on_pass(passes, summary)
                if stop.is_set():
                    break
                with self.store.read() as tx:
                    upcoming = WatchRows(tx).next_due()
                pause = idle_max
                if upcoming is not None:
                    pause = min(idle_max, max(0.5, (upcoming - self.clock()).total_seconds()))
                stop.wait(pause)
        finally:
            fetcher.close()
        return passes

    def _make_fetcher(self, stop: threading.Event, workers: int) -> Fetcher:
        if self._fetcher_factory is not None:
            return self._fetcher_factory(self.config, stop)
        cfg = self.config
        return Fetcher(
            contact=cfg.contact,
            timeout=cfg.timeout,
            max_bytes=max_bytes_allowed(),
            retries=cfg.retries,
            backoff=cfg.backoff,
            retry_cap=cfg.retry_cap,
            sleep=lambda seconds: not stop.wait(seconds),
            connections=workers,
        )

    def _claim(self, want: int, token: str, worker: str) -> list[Job]:
        at = self.clock()
        with self.store.write() as tx:
            rows = WatchRows(tx)
            claimed = rows.claim(
                now=at,
                limit=want,
                ttl=self.config.claim_ttl,
                horizon=self.config.horizon,
                token=token,
                worker=worker,
            )
            rules = {h.host: h for h in (rows.host(n) for n in {w.host for w in claimed}) if h}
        jobs = []
        for w in claimed:
            rule = rules.get(w.host)
            if rule is None:
                jobs.append(Job(watch=w, token=token))
            else:
                jobs.append(
                    Job(
                        watch=w,
                        token=token,
                        robots=rule.robots,
                        include=rule.include,
                        remove=rule.remove,
                        delay_ms=rule.delay_ms,
                    )
                )
        return jobs

    def _remaining(self) -> int:
        with self.store.read() as tx:
            return WatchRows(tx).due_count(self.clock())

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
        seen: list[Seen] = []
        released: list[int] = []
        at = self.clock()
        with self.store.write() as tx:
            rows = WatchRows(tx)
            for outcome in outcomes:
                if outcome.result == "released":
                    released.append(outcome.job.watch.id)
                    continue
                try:
                    if outcome.result == "body":  # it goes through ingest: undo it alone
                        with tx.savepoint():
                            result = self._record(tx, rows, outcome, at)
                    else:
                        result = self._record(tx, rows, outcome, at)
                except Exception as exc:
                    message = exc.message if isinstance(exc, RevtrackError) else f"{exc}"
                    failed = replace(
                        outcome,
                        result="failed",
                        reason="unstorable" if isinstance(exc, RevtrackError) else "error",
                        error=message.splitlines()[0] if message else type(exc).__name__,
                    )
                    with tx.savepoint():
                        result = self._record(tx, rows, failed, at)
                if result is not None:
                    seen.append(result)
            rows.release(token, released, at)
        summary.counts.update({"released": len(released)} if released else {})
        for item in seen:
            summary.counts[item.result] += 1
            summary.notes += item.notes
            summary.added += item.added
            if on_seen is not None:
                on_seen(item)

    # -- recording one outcome --------------------------------------------------------------
    def _record(self, tx: Tx, rows: WatchRows, outcome: Outcome, at: datetime) -> Seen | None:
        job = outcome.job
        watch = rows.get(job.watch.id, lock=True)
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
        )
        revision_id = result.revision.id if result.status != "unchanged" else None
        return seen, fields, changed, revision_id, article_id

    def _skip_reason(
        self, rows: WatchRows, watch: WatchRecord, text: str, title: str | None, key: str, tx: Tx
    ) -> tuple[str, str] | None:
        rule = rows.host(watch.host)
        for pattern in rule.skip if rule else ():
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
