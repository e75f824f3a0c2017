"""Taking turns at SQLite's write lock, with a prompt hand-over.

SQLite has one writer at a time, and a writer that finds the lock taken waits in SQLite's
busy handler, which sleeps 1, 2, 5, 10 … and then 100 ms between tries. With several
ingesters at once (cron jobs, watch workers) most of the time then goes to those sleeps: the
lock is free, everyone is asleep. Measured with 8 single-file ingesters on 2 cores
(bench/bench_concurrent_ingest.py), throughput fell to a quarter of one ingester's.

So writers of a database file first take an exclusive ``flock`` on a small file beside it
(``revtrack.db-writer``, as SQLite keeps ``-wal`` and ``-shm``), polling it at most every
few milliseconds until the busy timeout, and only then begin their SQLite transaction, which
then rarely has to wait. The lock file is advisory and only orders revtrack's own writers:
SQLite's locking still guards the database against everything else, and where the file
cannot be made (a read-only directory) or ``fcntl`` does not exist, writers go straight to
SQLite as before.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from revtrack.errors import DatabaseLocked

try:
    import fcntl
except ImportError:  # not POSIX: SQLite's busy handler alone
    fcntl = None  # type: ignore[assignment]

_LONGEST_NAP = 0.004  # seconds between tries, at most: the hand-over latency


def lock_file_of(database: Path) -> Path:
    return database.with_name(database.name + "-writer")


@contextmanager
def writer_turn(database: Path | None, timeout: float) -> Iterator[None]:
    """Hold this process's turn to write ``database`` (None: not a SQLite file) for the block.

    ``timeout`` bounds a wait in which no writer finishes, not the wait in a queue that moves:
    each writer leaves a new token in the lock file when it takes its turn, and a waiter that
    sees the token change starts its count again. Eight writers on two loaded cores may queue
    for longer than the busy timeout; one writer stuck for that long still fails the rest.
    """
    if database is None or fcntl is None:
        yield
        return
    try:
        fd = os.open(lock_file_of(database), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:  # cannot make it here: SQLite's own locking alone
        yield
        return
    try:
        _wait_for_turn(fd, timeout)
        try:
            _leave_token(fd)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _wait_for_turn(fd: int, timeout: float) -> None:
    seen = _token(fd)
    deadline = time.monotonic() + timeout
    nap = 0.0002
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            now = time.monotonic()
            token = _token(fd)
            if token != seen:  # someone had a turn since: the queue moves
                seen, deadline = token, now + timeout
            elif now >= deadline:
                raise DatabaseLocked("The database is locked by another process.") from None
            time.sleep(nap)
            nap = min(nap * 2, _LONGEST_NAP)


def _token(fd: int) -> bytes:
    try:
        return os.pread(fd, 64, 0)
    except OSError:
        return b""


def _leave_token(fd: int) -> None:
    """Say "a turn was taken" to the waiters: this process, a count of its turns, a time."""
    token = f"{os.getpid()} {next(_TURNS)} {time.monotonic_ns()}\n".encode()
    with suppress(OSError):  # a full disk: waiters then only time out sooner, as before
        os.pwrite(fd, token.ljust(64), 0)


_TURNS = itertools.count(1)
