"""Counting revisions as long work advances, in this process and in reader processes.

The faces draw progress; the service only reports it, through a ``(done, total)`` callback
(:data:`Progress`). Counting whole documents or articles says nothing while a big one is
being worked on, and a bulk import's work happens in reader processes the writer waits for,
so the unit counted is the revision, and each one is counted where it is analysed:
:func:`tick` is called by :func:`revtrack.service.analysis.analyze` for every version it
looks at. A tick goes to whatever sink this process has: the :class:`Counter` of the work in
hand (:func:`counting`), or, in a reader process, a queue the parent drains on a thread
(:func:`relay`). With no sink (interactive ingest, the web) a tick costs one comparison.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

Progress = Callable[[int, int], None]
"""Called with (done, total) as long work advances; total 0 when it is not known."""

_sink: Callable[[int], None] | None = None

EVERY = 0.05
"""Seconds between two reports (a bar redraws ten times a second; more would be waste)."""


def tick(n: int = 1) -> None:
    """``n`` more revisions done, wherever this process reports them (if anywhere)."""
    if _sink is not None:
        _sink(n)


class Counter:
    """Revisions done out of ``total``, reported to ``report`` at most every :data:`EVERY`
    seconds and once more by :meth:`flush`. Safe to add to from several threads."""

    def __init__(self, report: Progress | None, total: int = 0) -> None:
        self.report = report
        self.total = total
        self.done = 0
        self._last = 0.0
        self._lock = threading.Lock()

    def add(self, n: int = 1) -> None:
        with self._lock:
            self.done += n
            now = time.monotonic()
            if self.report is None or now - self._last < EVERY:
                return
            self._last = now
            done, total = self.done, max(self.total, self.done) if self.total else 0
        self.report(done, total)

    def flush(self) -> None:
        if self.report is not None:
            self.report(self.done, max(self.total, self.done) if self.total else 0)


@contextmanager
def counting(counter: Counter) -> Iterator[Counter]:
    """Count this process's ticks into ``counter`` for the duration."""
    global _sink
    before, _sink = _sink, counter.add
    try:
        yield counter
    finally:
        _sink = before
        counter.flush()


def reader_init(queue: Any, then: Callable[..., None] | None = None, *args: Any) -> None:
    """A reader process's initializer: its ticks go to the parent through ``queue``; then
    ``then(*args)``, the pool's other initializer (one light module to unpickle, not two)."""
    global _sink
    _sink = queue.put
    if then is not None:
        then(*args)


@contextmanager
def relay(queue: Any, counter: Counter) -> Iterator[None]:
    """Drain the readers' ``queue`` into ``counter`` on a thread until the block ends."""

    def drain() -> None:
        while True:
            n = queue.get()
            if n is None:
                return
            counter.add(n)

    thread = threading.Thread(target=drain, name="revtrack-progress", daemon=True)
    thread.start()
    try:
        yield
    finally:
        queue.put(None)
        thread.join(timeout=5)
        counter.flush()
