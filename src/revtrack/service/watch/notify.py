"""Notifications of what watching found, sent through apprise (the optional ``notify`` extra).

The configuration file's ``[notify]`` (:mod:`revtrack.service.watch.settings`) names the
destinations (any URL apprise knows: ``json://``, ``mailto://``, ``slack://``, ``matrix://``…)
and which events are sent: a new ``revision``, a new ``correction`` note, an ``undisclosed``
substantive edit (a revision with substantive changes and no note added in it; the full
judgement, notes that come later included, is `revtrack audit`'s).

Sending never holds up fetching: the worker's main thread only puts a message on a bounded
queue, and one thread of the notifier sends, each destination on its own, retrying a failure
a bounded number of times with growing pauses. Every delivery, sent or given up, is an event
(``notify``) in the ``notify`` chain of the log, which says what was told whom. A full queue
drops the message and says so in an event. At the end of a pass the notifier is given a
bounded time to finish what is queued, then stops.

apprise loads its plugins when first used, importing modules that warn on this Python; that
happens once, in the thread that starts the notifier, with those warnings silenced.
"""

from __future__ import annotations

import queue
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from revtrack.errors import InvalidInput
from revtrack.service.watch.settings import Notify
from revtrack.store import Store

CHAIN = "notify"
QUEUE_SIZE = 1000


@dataclass(frozen=True)
class Message:
    event: str  # revision | correction | undisclosed
    title: str
    body: str
    key: str
    revision: int | None = None


def _load_apprise() -> Any:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import apprise

            apprise.Apprise().add("json://localhost/")  # loads the plugins, here and once
    except ImportError:
        raise InvalidInput(
            "Notifications need apprise, which is not installed.",
            "Install revtrack with the notify extra: pip install 'revtrack[notify]'.",
        ) from None
    return apprise


def shown(url: str) -> str:
    """A destination as the log shows it: without a password or token in its user part."""
    parts = urlsplit(url)
    if parts.password is None and "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, f"***@{host}", parts.path, "", ""))


class Notifier:
    """Sends :class:`Message`\\ s to the configured destinations from a thread of its own."""

    def __init__(
        self,
        store: Store,
        actor: str,
        notify: Notify,
        *,
        source: str = "the config file",
        backoff: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.store = store
        self.actor = actor
        self.notify = notify
        self.backoff = backoff
        self._sleep = sleep
        apprise = _load_apprise()
        self._apprise = apprise
        for url in notify.urls:
            if not apprise.Apprise().add(url):
                raise InvalidInput(
                    f"{source}: notify.urls has {shown(url)!r}, not a destination apprise knows.",
                    "See apprise's list of services for the URL forms.",
                )
        self._queue: queue.Queue[Message | None] = queue.Queue(QUEUE_SIZE)
        self._thread = threading.Thread(target=self._work, name="revtrack-notify", daemon=True)
        self._thread.start()
        self.sent = 0
        self.failed = 0

    def wants(self, event: str) -> bool:
        return event in self.notify.events

    def put(self, message: Message) -> None:
        """Queue a message; never blocks (a full queue drops it, with an event saying so)."""
        if not self.wants(message.event):
            return
        try:
            self._queue.put_nowait(message)
        except queue.Full:
            self._log(message, "", "dropped", "the queue of notifications is full", 0)

    def close(self, timeout: float = 30.0) -> None:
        """Let what is queued go out for at most ``timeout`` seconds, then stop."""
        try:
            self._queue.put(None, timeout=timeout)
        except queue.Full:
            return
        self._thread.join(timeout)

    # -- the sending thread ---------------------------------------------------------------
    def _work(self) -> None:
        while True:
            message = self._queue.get()
            if message is None:
                return
            for url in self.notify.urls:
                try:
                    self._deliver(message, url)
                except Exception as exc:  # a notifier's bug must not stop the others
                    self._log(message, url, "failed", f"{type(exc).__name__}: {exc}", 0)

    def _deliver(self, message: Message, url: str) -> None:
        attempts = 0
        error = ""
        while attempts <= self.notify.retries:
            if attempts:
                self._sleep(min(self.backoff * 2 ** (attempts - 1), 30.0))
            attempts += 1
            target = self._apprise.Apprise()
            target.add(url)
            said: list[str] = []
            ok = target.notify(body=message.body, title=message.title, log_callback=_keeper(said))
            if ok:
                self.sent += 1
                self._log(message, url, "sent", "", attempts)
                return
            error = said[-1] if said else "the destination refused the notification"
        self.failed += 1
        self._log(message, url, "failed", error, attempts)

    def _log(self, message: Message, url: str, result: str, error: str, attempts: int) -> None:
        payload: dict[str, Any] = {
            "event": message.event,
            "article": message.key,
            "result": result,
            "attempts": attempts,
        }
        if url:
            payload["to"] = shown(url)
        if message.revision is not None:
            payload["revision"] = message.revision
        if error:
            payload["error"] = error
        try:
            with self.store.write() as tx:
                tx.append_event("notify", actor=self.actor, chain=CHAIN, payload=payload)
        except Exception:  # the log is best effort here: fetching must go on
            pass


def _keeper(said: list[str]) -> Callable[[Any, Any], None]:
    """An apprise log callback that keeps what was said (the reason a delivery failed)."""

    def keep(entry: Any, _plugin: Any) -> None:
        said.append(str(entry.message))

    return keep


def messages(seen: Any, notify: Notify) -> list[Message]:
    """What one recorded fetch (a :class:`~revtrack.service.watch.model.Seen`) is worth
    telling, among the events the configuration asks for."""
    found: list[Message] = []
    if seen.result not in ("new", "revert") or seen.key is None or seen.revision is None:
        return found
    where = f"{seen.key}@v{seen.revision}"
    url = seen.watch.url
    if seen.revision > 1 or seen.result == "revert":
        change = (
            "went back to an earlier text"
            if seen.result == "revert"
            else f"changed: +{seen.words_added} / -{seen.words_removed} words"
        )
        found.append(Message("revision", f"revtrack: {where}", f"{url} {change}.", seen.key))
    else:
        found.append(Message("revision", f"revtrack: {where}", f"{url} first seen.", seen.key))
    for note in seen.note_texts:
        found.append(Message("correction", f"revtrack: a note in {where}", note, seen.key))
    if seen.substantive and not seen.note_texts and seen.revision > 1:
        found.append(
            Message(
                "undisclosed",
                f"revtrack: undisclosed edit in {where}",
                f"{seen.substantive} substantive change(s) and no correction note: {url}",
                seen.key,
            )
        )
    return [
        Message(m.event, m.title, m.body, m.key, seen.revision)
        for m in found
        if m.event in notify.events
    ]
