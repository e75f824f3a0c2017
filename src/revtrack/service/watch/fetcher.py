"""Polite HTTP for watching: conditional requests, retries, robots.txt, a size cap.

One :class:`Fetcher` is shared by a worker's fetching threads (httpx's client is
thread-safe and keeps connections alive). It asks conditionally whenever validators are
known, follows redirects (and reports them), retries timeouts, connection failures, 429 and
5xx answers with exponential backoff, honouring ``Retry-After`` up to ``retry_cap`` (a longer
one ends the attempt and is reported, so the schedule waits that long instead), reads at most
``max_bytes`` of a body, and consults each host's robots.txt (stdlib ``robotparser``, cached
for ``robots_ttl``) before fetching anything from it.

Per RFC 9309, a robots.txt that answers 4xx allows everything; one that cannot be fetched
(5xx, network failure) forbids everything until the cache entry expires.

Waits go through the ``sleep`` callable, which returns False when the worker is stopping, so
a stopping worker never sits out a backoff and tests never sleep.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from revtrack import __version__

if TYPE_CHECKING:
    import httpx

Sleep = Callable[[float], bool]
"""Wait that many seconds; False if the wait was cut short because the worker is stopping."""

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def user_agent(contact: str | None) -> str:
    """revtrack's User-Agent: its name and version, and whom to tell about it."""
    who = contact.strip() if contact else ""
    return f"revtrack/{__version__} (news revision tracker; contact: {who or 'not configured'})"


@dataclass
class HttpResult:
    """What one fetch (with its retries) came to."""

    url: str
    status: int | None = None  # None: no answer at all
    final_url: str = ""
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    redirects: list[tuple[str, int]] = field(default_factory=list)  # (from URL, status)
    conditional: bool = False
    attempts: int = 0
    ms: float = 0.0
    error: str = ""  # why there is no usable answer ("" when there is one)
    reason: str = ""  # a short code for events: timeout, network, too-large, robots, …
    retry_after: float | None = None  # seconds the server asked us to wait

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def _system_sleep(seconds: float) -> bool:
    time.sleep(max(0.0, seconds))
    return True


class Fetcher:
    def __init__(
        self,
        *,
        contact: str | None = None,
        timeout: float = 20.0,
        max_bytes: int = 10 * 1024 * 1024,
        retries: int = 2,
        backoff: float = 1.0,
        retry_cap: float = 30.0,
        robots_ttl: float = 3600.0,
        sleep: Sleep = _system_sleep,
        connections: int = 16,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        import httpx

        self.timeout = timeout
        self.max_bytes = max_bytes
        self.retries = retries
        self.backoff = backoff
        self.retry_cap = retry_cap
        self.robots_ttl = robots_ttl
        self.sleep = sleep
        self.user_agent = user_agent(contact)
        self._client = httpx.Client(
            follow_redirects=True,
            max_redirects=10,
            timeout=timeout,
            headers={"User-Agent": self.user_agent},
            limits=httpx.Limits(
                max_connections=max(connections, 1) * 2,
                max_keepalive_connections=max(connections, 1) * 2,
            ),
            transport=transport,
        )
        self._robots: dict[str, tuple[float, RobotFileParser | None]] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        self._client.close()

    # -- robots.txt -------------------------------------------------------------------
    def allowed(self, url: str) -> bool:
        """Whether the host's robots.txt lets revtrack fetch ``url`` (cached per host)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            lock = self._robots_locks.setdefault(origin, threading.Lock())
        with lock:  # one fetch of a host's robots.txt, however many threads ask at once
            cached = self._robots.get(origin)
            if cached is None or cached[0] < time.monotonic():
                cached = (time.monotonic() + self.robots_ttl, self._load_robots(origin))
                self._robots[origin] = cached
        parser = cached[1]
        return False if parser is None else parser.can_fetch(self.user_agent, url)

    def crawl_delay(self, url: str) -> float | None:
        """The robots.txt ``Crawl-delay`` for revtrack on the host of ``url`` (after allowed)."""
        parts = urlsplit(url)
        cached = self._robots.get(f"{parts.scheme}://{parts.netloc}")
        if cached is None or cached[1] is None:
            return None
        delay = cached[1].crawl_delay(self.user_agent)
        return None if delay is None else float(delay)

    def _load_robots(self, origin: str) -> RobotFileParser | None:
        import httpx

        parser = RobotFileParser(origin + "/robots.txt")
        try:
            response = self._client.get(origin + "/robots.txt", timeout=min(self.timeout, 10.0))
        except httpx.HTTPError:
            return None
        if response.status_code >= 500:
            return None
        if response.status_code >= 400:
            parser.parse([])  # no robots.txt: everything allowed
            return parser
        parser.parse(response.text[: 512 * 1024].splitlines())
        return parser

    # -- pages ------------------------------------------------------------------------
    def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> HttpResult:
        import httpx

        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        result = HttpResult(url=url, conditional=bool(headers))
        started = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            result.attempts = attempt
            wait: float | None = None
            try:
                self._once(url, headers, result, started)
            except httpx.TimeoutException:
                result.status, result.error, result.reason = None, "no answer in time", "timeout"
            except httpx.TooManyRedirects:
                result.status, result.error, result.reason = None, "too many redirects", "redirects"
                break
            except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError) as exc:
                result.status, result.error, result.reason = None, f"bad URL ({exc})", "bad-url"
                break
            except httpx.HTTPError as exc:
                result.status, result.error, result.reason = None, _short(exc), "network"
            if result.reason == "too-large":
                break
            if result.status is not None and result.status not in RETRY_STATUSES:
                break
            if result.retry_after is not None:
                if result.retry_after > self.retry_cap:
                    break  # the schedule waits that long; this worker does not
                wait = result.retry_after
            if attempt > self.retries:
                break
            if wait is None:
                wait = self.backoff * (2 ** (attempt - 1)) * random.uniform(1.0, 1.25)
            if not self.sleep(wait):
                break
        result.ms = (time.monotonic() - started) * 1000
        return result

    def _once(self, url: str, headers: dict[str, str], result: HttpResult, started: float) -> None:
        import httpx

        deadline = started + self.timeout * (self.retries + 1)
        result.body, result.error, result.reason, result.retry_after = b"", "", "", None
        with self._client.stream("GET", url, headers=headers) as response:
            result.status = response.status_code
            result.final_url = str(response.url)
            result.redirects = [(str(r.url), r.status_code) for r in response.history]
            result.content_type = response.headers.get("content-type", "")
            result.etag = response.headers.get("etag")
            result.last_modified = response.headers.get("last-modified")
            result.retry_after = _retry_after(response.headers.get("retry-after"))
            if response.status_code != 200 and not 200 < response.status_code < 300:
                if response.status_code >= 400:
                    result.error = f"HTTP {response.status_code} {response.reason_phrase}".strip()
                    result.reason = f"http-{response.status_code}"
                return
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > self.max_bytes:
                result.error = f"larger than the {_size(self.max_bytes)} limit"
                result.reason = "too-large"
                return
            chunks: list[bytes] = []
            total = 0
            for chunk in response.iter_bytes():
                total += len(chunk)
                if total > self.max_bytes:
                    result.error = f"larger than the {_size(self.max_bytes)} limit"
                    result.reason = "too-large"
                    return
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout("total deadline passed")
                chunks.append(chunk)
            result.body = b"".join(chunks)


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delay-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / 1048576:.1f} MB"
    return f"{count:,}-byte"
