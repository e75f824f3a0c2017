"""Notifications through apprise, to destinations the test serves on 127.0.0.1.

apprise's ``json://`` destination POSTs a JSON document to an HTTP server; the test starts one
(and keeps what it receives), and names a closed port for a destination that refuses.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from outlet_server import Outlet, article, serving
from revtrack import Revtrack
from revtrack.cli import cli
from revtrack.errors import InvalidInput
from revtrack.service.watch import service
from revtrack.service.watch.service import Config, Watcher
from revtrack.service.watch.settings import parse_settings

pytest.importorskip("apprise", reason="notifications need the notify extra (apprise)")

P1 = (
    "PORT ALDER — The harbor council voted 5-2 on Tuesday to open a ferry route linking the "
    "town with the two outer islands, ending a decade of debate over how residents reach the "
    "mainland."
)
P2 = (
    "The new service will run three round trips a day from the old cannery pier, starting in "
    "May, and will cut the crossing from 90 minutes to about 40, council members said."
)
P3 = '"People on the islands have waited long enough," said council member Ruth Okafor.'
NOTE = (
    "Correction: An earlier version of this story misstated the number of outer islands. "
    "There are three, not two."
)
TITLE = "Harbor Council Approves Ferry Route"
STORY = article(TITLE, [P1, P2, P3])
FIXED = article(TITLE, [P1.replace("two outer", "three outer"), P2, P3, NOTE])
QUIET_EDIT = article(TITLE, [P1.replace("5-2", "6-1"), P2, P3, NOTE])


class Hook:
    """An HTTP server that keeps every JSON document POSTed to it; ``fail`` answers 500."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.fail = 0
        self.lock = threading.Lock()
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with hook.lock:
                    failing = hook.fail > 0
                    hook.fail -= 1 if failing else 0
                    if not failing:
                        hook.received.append(json.loads(body))
                self.send_response(500 if failing else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"json://127.0.0.1:{self.httpd.server_address[1]}/hook"

    def titles(self) -> list[str]:
        with self.lock:
            return [r["title"] for r in self.received]


@pytest.fixture
def hook() -> Iterator[Hook]:
    served = Hook()
    thread = threading.Thread(target=served.httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        served.httpd.shutdown()
        served.httpd.server_close()


@pytest.fixture
def refused() -> str:
    """A destination nobody listens on: a port just freed."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"json://127.0.0.1:{port}/hook"


@pytest.fixture
def outlet() -> Iterator[Outlet]:
    with serving() as served:
        yield served


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2024, 6, 4, 10, 0)

    def __call__(self) -> datetime:
        return self.now


def watcher_for(rt: Revtrack, clock: Clock, urls: list[str], **notify: Any) -> Watcher:
    settings = parse_settings({"notify": {"urls": urls, **notify}}, "test.toml")
    watcher = rt.watcher(
        clock=clock, config=Config(host_delay_ms=0, backoff=0.0, retries=1), settings=settings
    )
    watcher.notify_backoff = 0.0
    return watcher


def notify_events(rt: Revtrack) -> list[dict[str, Any]]:
    with rt.store.read() as tx:
        return [e.payload for e in tx.chain_events("notify")]


def test_new_revisions_notes_and_undisclosed_edits_are_sent(
    rt: Revtrack, outlet: Outlet, hook: Hook
) -> None:
    clock = Clock()
    watcher = watcher_for(rt, clock, [hook.url])
    outlet.set("/news/ferry-route", STORY)
    watcher.add(outlet.url("/news/ferry-route"))
    for page in (STORY, FIXED, QUIET_EDIT):
        outlet.set("/news/ferry-route", page)
        watcher.run_pass()
        clock.now += timedelta(hours=1)
    assert hook.titles() == [
        "revtrack: ferry-route@v1",
        "revtrack: ferry-route@v2",
        "revtrack: a note in ferry-route@v2",
        "revtrack: ferry-route@v3",
        "revtrack: undisclosed edit in ferry-route@v3",
    ]
    note = hook.received[2]
    assert note["message"] == NOTE and note["type"] == "info"
    assert hook.received[4]["message"].startswith("2 substantive change(s) and no correction note")
    assert [(e["event"], e["result"], e["attempts"]) for e in notify_events(rt)] == [
        ("revision", "sent", 1),
        ("revision", "sent", 1),
        ("correction", "sent", 1),
        ("revision", "sent", 1),
        ("undisclosed", "sent", 1),
    ]
    assert rt.verify().ok


def test_a_refusing_destination_is_retried_logged_and_never_stops_fetching(
    rt: Revtrack, outlet: Outlet, hook: Hook, refused: str
) -> None:
    clock = Clock()
    watcher = watcher_for(rt, clock, [refused, hook.url], retries=2, events=["correction"])
    outlet.set("/news/ferry-route", STORY)
    watcher.add(outlet.url("/news/ferry-route"))
    assert watcher.run_pass().counts["new"] == 1
    outlet.set("/news/ferry-route", FIXED)
    clock.now += timedelta(hours=1)
    summary = watcher.run_pass()
    assert (summary.counts["new"], summary.notes) == (1, 1)
    assert [r.number for r in rt.log("ferry-route").revisions] == [1, 2]
    assert hook.titles() == ["revtrack: a note in ferry-route@v2"]  # only the asked events
    failed, sent = notify_events(rt)
    assert (failed["result"], failed["attempts"], failed["to"]) == ("failed", 3, refused)
    assert "Connection error" in failed["error"]
    assert (sent["result"], sent["to"]) == ("sent", hook.url)


def test_a_failure_then_success_is_sent_on_a_later_attempt(
    rt: Revtrack, outlet: Outlet, hook: Hook
) -> None:
    hook.fail = 2
    watcher = watcher_for(rt, Clock(), [hook.url], retries=2)
    outlet.set("/a", STORY)
    watcher.add(outlet.url("/a"))
    watcher.run_pass()
    assert hook.titles() == ["revtrack: a@v1"]
    [event] = notify_events(rt)
    assert (event["result"], event["attempts"]) == ("sent", 3)


def test_an_unknown_destination_is_refused_before_anything_is_fetched(
    rt: Revtrack, outlet: Outlet
) -> None:
    outlet.set("/a", STORY)
    watcher = watcher_for(rt, Clock(), ["nonsense://somewhere"])
    watcher.add(outlet.url("/a"))
    with pytest.raises(InvalidInput) as caught:
        watcher.run_pass()
    assert caught.value.message == (
        "test.toml: notify.urls has 'nonsense://somewhere', not a destination apprise knows."
    )
    assert outlet.hits("/a") == []


def test_fetch_sends_what_the_config_file_asks(
    runner: CliRunner,
    db_url: str,
    outlet: Outlet,
    hook: Hook,
    refused: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(service, "now", lambda: datetime(2024, 6, 4, 10, 0))
    Path("revtrack.toml").write_text(
        f'[notify]\nurls = ["{refused}", "{hook.url}"]\nevents = ["revision"]\nretries = 0\n'
    )
    outlet.set("/a", STORY)
    runner.invoke(cli, ["watch", "add", outlet.url("/a")], catch_exceptions=False)
    runner.invoke(cli, ["watch", "host", f"127.0.0.1:{outlet.port}", "--delay", "0"])
    result = runner.invoke(cli, ["fetch"], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.output.endswith("1 new revision, 0 unchanged.\n")
    assert hook.titles() == ["revtrack: a@v1"]
    with Revtrack(db_url) as rt:
        assert [(e["result"], e["attempts"]) for e in notify_events(rt)] == [
            ("failed", 1),
            ("sent", 1),
        ]
    assert runner.invoke(cli, ["verify"]).exit_code == 0
