"""Bounds on the one expensive thing a visitor can ask for: a diff.

Everything else the web serves is a bounded read; a diff costs what its texts cost, and a
character diff of two large texts is quadratic in the worst case (46 s and 32 MB of page for
a 10 MB article, before these bounds). So:

* a character diff of a revision over ``CHAR_LIMIT`` characters is made word by word instead,
  with a notice saying so (the word diff's tokens make the same comparison tractable);
* diffs are cached by ``(old revision id, new revision id, granularity)`` in an LRU bounded by
  the characters it holds: revisions never change, so a cached diff is never stale, and the
  page, its JSON and a reload cost one diff between them;
* each diff runs in a small pool with a time budget: past ``BUDGET`` seconds the request is
  answered 503 with ``Retry-After`` while the diff finishes into the cache, and when the pool
  is full a further diff is refused 429 at once, so slow diffs cannot pile up threads;
* the pages of revisions over ``LARGE`` characters leave unchanged text out (see
  :mod:`revtrack.web.diffpage`), so the answer stays the size of the changes.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache
from flask import current_app

from revtrack import Revtrack
from revtrack.errors import RevtrackError
from revtrack.shapes import Granularity

CHAR_LIMIT = 100_000  # characters of the larger revision for a character diff
LARGE = 300_000  # characters of the larger revision past which pages leave unchanged text out
BUDGET = 10.0  # seconds a request waits for its diff
WORKERS = 2  # diffs computed at once (the machine's cores are the real bound)
WAITING = 2  # diffs more that may wait for a worker before further ones are refused
CACHE_CHARS = 64_000_000  # characters of revision text the cache may hold (both sides)


class DiffBusy(RevtrackError):
    """Every diff worker is busy: answered 429."""

    http_status = 429


class DiffTooSlow(RevtrackError):
    """A diff overran the time budget: answered 503; it goes on into the cache."""

    http_status = 503


DiffKey = tuple[int, int, str, bool]
"""What a kept diff answers: the two revision ids, the granularity, read as fetched or not."""


@dataclass(frozen=True)
class BoundedDiff:
    result: Any  # a DiffResult (the service's type; faces name it through the facade only)
    by: Granularity
    notice: str | None
    large: bool


class DiffLimiter:
    """The pool, the cache and the counters of one app (``app.extensions``)."""

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="revtrack-diff")
        self.slots = threading.BoundedSemaphore(WORKERS + WAITING)
        self.lock = threading.Lock()
        self.cache: LRUCache[DiffKey, Any] = LRUCache(maxsize=CACHE_CHARS, getsizeof=_chars_of)
        self.hits = self.misses = 0

    def cached(self, key: DiffKey) -> Any | None:
        with self.lock:
            found = self.cache.get(key)
            if found is None:
                self.misses += 1
            else:
                self.hits += 1
            return found

    def keep(self, key: DiffKey, result: Any) -> None:
        if _chars_of(result) <= CACHE_CHARS:
            with self.lock:
                self.cache[key] = result

    def run(self, key: DiffKey, work: Any) -> Any:
        if not self.slots.acquire(blocking=False):
            raise DiffBusy(
                "Every diff worker is busy with a large comparison.",
                "Try again in a few seconds.",
            )
        future: Future[Any] = self.pool.submit(work)

        def done(f: Future[Any]) -> None:
            self.slots.release()
            if f.exception() is None:
                self.keep(key, f.result())

        future.add_done_callback(done)
        try:
            return future.result(timeout=BUDGET)
        except FutureTimeout:
            raise DiffTooSlow(
                f"This comparison takes longer than {BUDGET:.0f} s; it goes on in the background.",
                "Reload in a little while, or compare by line (by=line), which is faster.",
            ) from None


def _chars_of(result: Any) -> int:
    return max(1, int(result.old.chars) + int(result.new.chars))


def limiter() -> DiffLimiter:
    found = current_app.extensions.get("revtrack.diffs")
    if found is None:
        found = current_app.extensions.setdefault("revtrack.diffs", DiffLimiter())
    return found  # type: ignore[no-any-return]


def bounded_diff(
    rt: Revtrack,
    key: str,
    a: str | None,
    b: str | None,
    by: Granularity,
    *,
    as_fetched: bool = False,
) -> BoundedDiff:
    """The diff a URL asks for, within the bounds above (granularity lowered, cached, timed);
    ``as_fetched``: both texts as fetched, not re-derived (a separate cache entry)."""
    pair = rt.revision_pair(key, a, b)
    if pair is None:
        rt.diff(f"{key}@", by=by)  # raises the facade's own words for a lone revision
        raise AssertionError("unreachable")  # pragma: no cover
    old, new = pair
    size = max(old.chars, new.chars)
    notice = None
    if by == "char" and size > CHAR_LIMIT:
        by = "word"
        notice = (
            f"These revisions are {size // 1000:,} KB; a character diff is made only below "
            f"{CHAR_LIMIT // 1000} KB, so this one is word by word."
        )
    large = size > LARGE
    if large:
        extra = "unchanged text is left out; open either revision to read it whole."
        notice = f"{notice} And " + extra if notice else f"These revisions are large: {extra}"
    cache_key = (old.id, new.id, str(by), as_fetched)
    limits = limiter()
    result = limits.cached(cache_key)
    if result is None:
        refs = (f"{key}@v{old.number}", f"{key}@v{new.number}")
        result = limits.run(cache_key, lambda: rt.diff(*refs, by=by, as_fetched=as_fetched))
    return BoundedDiff(result=result, by=by, notice=notice, large=large)
