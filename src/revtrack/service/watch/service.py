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

import dataclasses
import os
import re
import socket
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from revtrack.errors import (
    AlreadyWatched,
    DatabaseLocked,
    InvalidInput,
    RevtrackError,
    UnknownWatch,
)
from revtrack.records import EventRecord, HostRecord, RevisionRecord, WatchRecord
from revtrack.service.progress import Counter, Progress
from revtrack.service.sources import max_bytes_allowed, slugify
from revtrack.service.watch.discover import compile_pattern
from revtrack.service.watch.fetcher import Fetcher
from revtrack.service.watch.model import (
    Clock,
    Config,
    PassSummary,
    Seen,
    WatchStatus,
    now,
)
from revtrack.service.watch.recording import Recorder, _seconds
from revtrack.service.watch.rules import check_selectors
from revtrack.service.watch.schedule import (
    DEFAULT_POLICY,
    Policy,
    parse_duration,
)
from revtrack.service.watch.settings import Settings, find_settings
from revtrack.service.watch.urls import canonical
from revtrack.service.watch.work import Job, Outcome, load_extractor, perform
from revtrack.store import Store, Tx
from revtrack.store.watch import WatchRows

if TYPE_CHECKING:
    from revtrack.service.watch.notify import Notifier
    from revtrack.service.watch.reextract import ReextractSummary

__all__ = ["Clock", "Config", "PassSummary", "Seen", "WatchStatus", "Watcher", "now"]


class Watcher(Recorder):
    def __init__(
        self,
        store: Store,
        actor: str,
        *,
        clock: Clock | None = None,
        policy: Policy = DEFAULT_POLICY,
        config: Config | None = None,
        fetcher_factory: Callable[[Config, threading.Event], Fetcher] | None = None,
        settings: Settings | None = None,
        settings_file: str | None = None,
        find_settings_file: bool = False,
    ) -> None:
        """``settings_file`` (or, with ``find_settings_file``, ./revtrack.toml when there is
        one): the TOML configuration of :mod:`revtrack.service.watch.settings` — per-site
        rules over the database's, the contact, notifications."""
        self.store = store
        self.actor = actor
        self._clock = clock
        self.policy = policy
        if settings is None and (settings_file is not None or find_settings_file):
            settings = find_settings(settings_file)
        self.settings = settings or Settings()
        self.config = config or Config.from_env()
        if self.config.contact is None and self.settings.contact:
            self.config = dataclasses.replace(self.config, contact=self.settings.contact)
        if self.settings.keep_pages is not None:  # the file's word over the default
            self.config = dataclasses.replace(self.config, keep_pages=self.settings.keep_pages)
        self._fetcher_factory = fetcher_factory
        self._notifier: Notifier | None = None
        self.notify_backoff = 1.0  # first pause before a failed notification is tried again

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

    # -- reading kept pages again ------------------------------------------------------------
    def reextract(
        self,
        *,
        key: str | None = None,
        host: str | None = None,
        dry_run: bool = False,
        progress: Progress | None = None,
    ) -> ReextractSummary:
        """Read kept pages again with today's extractor and site rules: see
        :mod:`revtrack.service.watch.reextract` (nothing is rewritten; what reads differently
        is appended as a re-derived text with its event)."""
        from revtrack.service.watch.reextract import reextract

        return reextract(
            self.store,
            self.actor,
            self._rules,
            key=key,
            host=host,
            dry_run=dry_run,
            clock=self.clock,
            progress=progress,
        )

    def reading(self, ref: str) -> tuple[RevisionRecord, str, bool]:
        """A revision (``KEY@REV``), its text as it now reads, and whether that is re-derived
        from its kept page (else it is the text as ingested)."""
        from revtrack.service.refs import parse_ref, resolve_ref

        with self.store.read() as tx:
            _, revision = resolve_ref(tx, parse_ref(ref))
            text, rederived = tx.reading(revision.id)
            return revision, text, rederived is not None

    def _rules(self, tx: Tx, host: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The CSS rules (include, remove) a page of ``host`` is read with."""
        include, remove, _ = self._site_rules(host, WatchRows(tx).host(host))
        return include, remove

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
        progress: Progress | None = None,
    ) -> PassSummary:
        """Fetch what is due and record it; ``due_only=False`` first makes every watch due.

        ``fetcher``: one kept across passes (its connections and robots.txt cache); by
        default the pass makes its own and closes it. ``progress`` is told (fetches done,
        fetches due at the start, capped by ``limit``) as they are recorded.
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
        due = self._remaining()
        counter = Counter(progress, due if limit is None else min(due, limit))
        counter.flush()
        own_notifier = self._start_notifier()
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
                    if any(job.watch.kind == "page" for job in jobs):
                        load_extractor()
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
                counter.add(len(done))
        finally:
            # stopping (or failing): let what is in flight finish and record it
            if inflight:
                done, _ = wait(list(inflight))
                self._record_done(done, inflight, token, summary, on_seen)
                counter.add(len(done))
            counter.flush()
            pool.shutdown(wait=True)
            if own_fetcher:
                fetcher.close()
            if own_notifier:
                self._stop_notifier()
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
        own_notifier = self._start_notifier()
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
            if own_notifier:
                self._stop_notifier()
        return passes

    # -- notifications (see revtrack.service.watch.notify) ---------------------------------
    def _start_notifier(self) -> bool:
        """Start sending notifications when the settings name destinations; True when this
        call started it (and its caller stops it)."""
        if self._notifier is not None or not self.settings.notify.urls:
            return False
        from revtrack.service.watch.notify import Notifier

        self._notifier = Notifier(
            self.store,
            self.actor,
            self.settings.notify,
            source=self.settings.path or "the settings",
            backoff=self.notify_backoff,
        )
        return True

    def _stop_notifier(self) -> None:
        notifier, self._notifier = self._notifier, None
        if notifier is not None:
            notifier.close(timeout=self.config.notify_wait)

    def _notifying(self, event: str) -> bool:
        notify = self.settings.notify
        return bool(notify.urls) and event in notify.events

    def _tell(self, seen: list[Seen]) -> None:
        notifier = self._notifier
        if notifier is None:
            return
        from revtrack.service.watch.notify import messages

        for item in seen:
            try:
                for message in messages(item, notifier.notify):
                    notifier.put(message)
            except Exception:  # telling must never stop recording or fetching
                continue

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
            include, remove, _ = self._site_rules(w.host, rule)
            jobs.append(
                Job(
                    watch=w,
                    token=token,
                    robots=rule.robots if rule is not None else True,
                    include=include,
                    remove=remove,
                    delay_ms=rule.delay_ms if rule is not None else 0,
                    keep_page=self.config.keep_pages,
                )
            )
        return jobs

    def _remaining(self) -> int:
        with self.store.read() as tx:
            return WatchRows(tx).due_count(self.clock())
