"""When to fetch a watched URL next: pure arithmetic over its own history.

A story changes most just after it is published or edited, and less the longer it stays
still, so the wait before the next look grows with the time since the last change
(``factor`` × still-time, between ``min_interval`` and ``max_interval``): about 15 minutes an
hour after a change, 6 hours a day after, then the cap. The number of fetches in a still
period therefore grows only with its logarithm, where NewsDiffs' fixed ladder (15 minutes for
3 hours, then hourly, …) spends the same on every story.

A story's own edit pace counts too: one that has been changed several times at a median gap
*g* keeps being looked at every *g*/2 (if that is sooner) until it has been still for
``pace_span`` gaps, so a live-blogged story is not left for hours after its third edit.

Failures back off exponentially from ``fail_base`` (never sooner than a ``Retry-After``), up
to ``fail_max``. Feeds and section pages come back at their own interval. Pages are followed
until ``until`` after they were first seen (30 days unless ``--until`` says otherwise), with
a last look at that moment and none after. A fixed ``--every`` replaces the adaptive wait.

Every wait is spread by ±``jitter`` with a generator seeded from the watch and its fetch
count, so a restart (or a feed adding fifty stories at once) never makes everything fall due
together, and a test can predict the exact value.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise
from statistics import median

from revtrack.errors import InvalidInput


@dataclass(frozen=True)
class Policy:
    min_interval: timedelta = timedelta(minutes=5)
    max_interval: timedelta = timedelta(hours=12)
    factor: float = 0.25
    pace_span: float = 3.0
    jitter: float = 0.1
    feed_interval: timedelta = timedelta(minutes=15)
    until: timedelta = timedelta(days=30)
    fail_base: timedelta = timedelta(minutes=10)
    fail_max: timedelta = timedelta(days=1)


DEFAULT_POLICY = Policy()
KEEP_CHANGES = 8
"""How many recent change times a watch keeps for its pace (older ones say little)."""


@dataclass(frozen=True)
class History:
    """What the schedule needs to know about one watched URL."""

    kind: str  # "page" | "feed" | "links"
    born_at: datetime  # when revtrack first saw it
    every: timedelta | None = None
    until: timedelta | None = DEFAULT_POLICY.until  # None: follow for ever
    changes: tuple[datetime, ...] = ()  # recent change times, oldest first
    fails: int = 0  # consecutive failed fetches, this one included
    retry_after: timedelta | None = None


def base_wait(history: History, now: datetime, policy: Policy = DEFAULT_POLICY) -> timedelta:
    """The wait before the next fetch, before jitter and the end of the follow period."""
    if history.kind != "page":
        wait = history.every or policy.feed_interval
    elif history.every is not None:
        wait = history.every
    else:
        last = history.changes[-1] if history.changes else history.born_at
        still = max(now - last, timedelta(0))
        wait = still * policy.factor
        points = [history.born_at, *history.changes]
        gaps = [(b - a).total_seconds() for a, b in pairwise(points) if b > a]
        if len(gaps) >= 2:
            pace = timedelta(seconds=median(gaps))
            if still < pace * policy.pace_span:
                wait = min(wait, pace / 2)
        wait = min(max(wait, policy.min_interval), policy.max_interval)
    if history.fails > 0:
        backoff = policy.fail_base * (2 ** min(history.fails - 1, 20))
        wait = max(wait, min(backoff, policy.fail_max))
    if history.retry_after is not None:
        wait = max(wait, history.retry_after)
    return wait


def next_fetch(
    history: History, now: datetime, *, seed: str, policy: Policy = DEFAULT_POLICY
) -> datetime | None:
    """When to fetch next, or None once the follow period (``until``) is over."""
    end = history.born_at + history.until if history.until is not None else None
    if end is not None and now >= end:
        return None
    wait = base_wait(history, now, policy)
    spread = random.Random(seed).uniform(1 - policy.jitter, 1 + policy.jitter)
    moment = now + wait * spread
    if end is not None and moment > end:
        return end  # one last look at the end of the follow period, none after
    return moment


def with_change(changes: tuple[datetime, ...], at: datetime) -> tuple[datetime, ...]:
    """The recent change times after a change at ``at`` (bounded to KEEP_CHANGES)."""
    return (*changes, at)[-KEEP_CHANGES:]


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhdw])", re.I)


def parse_duration(value: str, *, what: str = "duration") -> timedelta:
    """``90s``, ``15m``, ``2h``, ``1h30m``, ``30d``, ``2w``."""
    text = value.strip().lower()
    parts = _DURATION.findall(text)
    if not text or _DURATION.sub("", text).strip() or not parts:
        raise InvalidInput(
            f"Cannot read {what} {value!r}.", "Write it as a number and a unit: 90s, 15m, 2h, 30d."
        )
    seconds = sum(float(n) * _UNITS[u] for n, u in parts)
    if seconds <= 0:
        raise InvalidInput(f"The {what} {value!r} is not longer than zero.")
    return timedelta(seconds=seconds)
