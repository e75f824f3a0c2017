"""The watching commands: `revtrack watch …` and `revtrack fetch`.

Kept apart from cli.py and thin like it: parse, call the :class:`~revtrack.Revtrack`'s
watcher, print. Nothing heavy is imported at module level (the facade, httpx, feedparser
and SQLAlchemy load when a command runs), so `revtrack --help` does not pay for them.
Errors are :class:`~revtrack.errors.RevtrackError`\\ s, turned into one-line failures by
the root group in cli.py.
"""

from __future__ import annotations

import json
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import timedelta
from types import FrameType
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from revtrack.service.watch.service import PassSummary, Seen, Watcher


def _watcher(ctx: click.Context, *, create: bool = False) -> Watcher:
    from revtrack.service.facade import Revtrack

    rt = Revtrack(ctx.find_root().obj["db"], create=create)
    ctx.call_on_close(rt.close)
    return rt.watcher()


def _duration(value: str | None, what: str) -> timedelta | None:
    if value is None:
        return None
    from revtrack.service.watch.schedule import parse_duration

    return parse_duration(value, what=what)


@click.group()
def watch() -> None:
    """Follow article pages, feeds and section pages by themselves.

    \b
    Example:
      revtrack watch add https://example.com/news/rss.xml --feed
      revtrack fetch --due          # from cron, or:
      revtrack watch run --workers 8
    """


@watch.command("add")
@click.argument("url")
@click.option("--feed", is_flag=True, help="URL is an RSS/Atom feed: follow its entries.")
@click.option(
    "--links",
    "pattern",
    metavar="PATTERN",
    help="URL is a section page: follow its links matching this regular expression.",
)
@click.option(
    "--every",
    metavar="DURATION",
    help="Fetch at this fixed interval (15m, 2h); default: adaptive for pages, 15m for feeds.",
)
@click.option(
    "--until",
    metavar="AGE",
    default="30d",
    show_default=True,
    help="Stop following an article this long after it is first seen ('never': no limit).",
)
@click.pass_context
def watch_add(
    ctx: click.Context, url: str, feed: bool, pattern: str | None, every: str | None, until: str
) -> None:
    """Watch an article page, a feed (--feed) or a section page's links (--links PATTERN).

    Example: revtrack watch add http://127.0.0.1:8000/feed.xml --feed --until 7d
    """
    from revtrack.errors import InvalidInput
    from revtrack.service.watch.schedule import format_duration

    if feed and pattern:
        raise InvalidInput("Give --feed or --links, not both.")
    kind = "feed" if feed else "links" if pattern else "page"
    age = None if until.strip().lower() in ("never", "0") else _duration(until, "--until age")
    record = _watcher(ctx, create=True).add(
        url, kind=kind, pattern=pattern, every=_duration(every, "--every interval"), until=age
    )
    if kind == "page":
        pace = f"every {format_duration(record.every_s)}" if record.every_s else "adaptive"
        what = f"{pace}, for {format_duration(record.until_s) if record.until_s else 'ever'}"
    else:
        what = (
            f"every {format_duration(record.every_s or 900)}; its articles followed for "
            f"{format_duration(record.until_s) if record.until_s else 'ever'}"
        )
    click.echo(f"Watching {record.url} (watch {record.id}, {kind}): {what}.")


@watch.command("list")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--all", "show_all", is_flag=True, help="Include removed watches.")
@click.pass_context
def watch_list(ctx: click.Context, fmt: str, show_all: bool) -> None:
    """List what is watched: kind, state, article, when next due, last result.

    Example: revtrack watch list --format json
    """
    from revtrack.render.table import format_table
    from revtrack.service.watch.shapes import last_text, next_text, watch_dict

    watcher = _watcher(ctx)
    records = watcher.watches(include_removed=show_all)
    if fmt == "json":
        click.echo(json.dumps([watch_dict(w) for w in records], indent=2, ensure_ascii=False))
        return
    if not records:
        click.echo("Nothing is watched yet; add a page or feed with `revtrack watch add URL`.")
        return
    at = watcher.clock()
    rows = [
        [
            w.id,
            w.kind,
            w.state,
            w.article_key or "",
            next_text(w, at),
            last_text(w),
            w.change_count,
            w.url,
        ]
        for w in records
    ]
    headers = ["id", "kind", "state", "article", "next", "last", "changes", "url"]
    click.echo(format_table(headers, rows).rstrip("\n"))


def _ref_command(name: str, verb: str, doc: str) -> click.Command:
    @click.argument("ref", metavar="WATCH")
    @click.pass_context
    def command(ctx: click.Context, ref: str) -> None:
        record = getattr(_watcher(ctx), name)(ref)
        click.echo(f"{verb} {record.url} (watch {record.id}).")

    command.__doc__ = doc
    return watch.command(name)(command)


_ref_command(
    "remove",
    "Stopped watching",
    """Stop watching a page or feed, given by id, URL or article key; its history stays.

    Example: revtrack watch remove 3
    """,
)
_ref_command(
    "pause",
    "Paused",
    """Pause a watch (by id, URL or article key) until `watch resume`.

    Example: revtrack watch pause https://example.com/news/story
    """,
)
_ref_command(
    "resume",
    "Resumed",
    """Resume a paused or expired watch (by id, URL or article key): due at once.

    Example: revtrack watch resume ferry-route
    """,
)


@watch.command("status")
@click.argument("ref", metavar="[WATCH]", required=False)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_context
def watch_status(ctx: click.Context, ref: str | None, fmt: str) -> None:
    """What is due now, what fails, what changed in the last day, and per-host counts;
    with WATCH, that watch's latest fetches.

    Example: revtrack watch status
    """
    from revtrack.service.watch.shapes import watch_dict

    watcher = _watcher(ctx)
    if ref is not None:
        record, events = watcher.history(ref)
        if fmt == "json":
            out = {
                "watch": watch_dict(record),
                "events": [
                    {"at": e.at.isoformat(timespec="seconds"), "action": e.action, **e.payload}
                    for e in events
                ],
            }
            click.echo(json.dumps(out, indent=2, ensure_ascii=False))
            return
        click.echo(f"watch {record.id} ({record.kind}, {record.state}): {record.url}")
        for e in events:
            p = e.payload
            bits = [e.at.isoformat(sep=" ", timespec="seconds"), e.action]
            if e.action == "fetch":
                bits += [str(p.get("status") or "-"), str(p.get("result", ""))]
                if p.get("revision"):
                    bits.append(f"v{p['revision']}")
                if p.get("why"):
                    bits.append(f"({p['why']})")
                bits.append(f"{p.get('bytes', 0)} B, {p.get('ms', 0):.0f} ms")
                if p.get("conditional"):
                    bits.append("conditional")
            click.echo("  " + "  ".join(bits))
        return
    status = watcher.status()
    if fmt == "json":
        out2: dict[str, Any] = {
            "now": status.now.isoformat(timespec="seconds"),
            "states": status.states,
            "due": status.due,
            "next_due": status.next_due.isoformat(timespec="seconds") if status.next_due else None,
            "failing": status.failing,
            "failing_watches": [watch_dict(w) for w in status.failing_list],
            "changed_since": status.since.isoformat(timespec="seconds"),
            "changed": status.changed,
            "changed_watches": [watch_dict(w) for w in status.changed_list],
            "hosts": status.hosts,
        }
        click.echo(json.dumps(out2, indent=2, ensure_ascii=False))
        return
    from revtrack.render.table import format_table
    from revtrack.service.watch.schedule import format_duration

    states = ", ".join(f"{n} {s}" for s, n in sorted(status.states.items())) or "none"
    click.echo(f"Watched: {states}.")
    upcoming = ""
    if status.next_due and status.next_due > status.now:
        upcoming = f"; next in {format_duration(status.next_due - status.now)}"
    click.echo(f"Due now: {status.due}{upcoming}.")
    click.echo(f"Failing: {status.failing}.")
    for w in status.failing_list:
        click.echo(f"  {w.id}  {w.url}  {w.last_result} ×{w.fails}: {w.last_error}")
    click.echo(f"Changed in the last 24h: {status.changed}.")
    for w in status.changed_list:
        n = w.change_count
        click.echo(f"  {w.id}  {w.article_key or w.url}  {n} change{'s' if n != 1 else ''}")
    if status.hosts:
        headers = ["host", "watched", "due", "failing", "changed", "fetching"]
        rows = [[h[k] for k in headers] for h in status.hosts]
        click.echo(format_table(headers, rows).rstrip("\n"))


@watch.command("host")
@click.argument("host")
@click.option("--concurrency", type=int, help="Requests in flight at once, all workers together.")
@click.option("--delay", type=float, metavar="SECONDS", help="Least time between two starts.")
@click.option("--skip", multiple=True, metavar="REGEX", help="Text that marks a page to skip.")
@click.option("--no-skip", is_flag=True, help="Clear the skip patterns.")
@click.option(
    "--include", multiple=True, metavar="CSS", help="Keep only what this selector matches."
)
@click.option("--remove", multiple=True, metavar="CSS", help="Drop what this selector matches.")
@click.option("--no-rules", is_flag=True, help="Clear the --include and --remove selectors.")
@click.option("--robots/--ignore-robots", default=None, help="Obey robots.txt (the default).")
@click.pass_context
def watch_host(
    ctx: click.Context,
    host: str,
    concurrency: int | None,
    delay: float | None,
    skip: tuple[str, ...],
    no_skip: bool,
    include: tuple[str, ...],
    remove: tuple[str, ...],
    no_rules: bool,
    robots: bool | None,
) -> None:
    """Show or set a host's rules, shared by every worker: politeness, skip patterns, and CSS
    selectors applied to its pages before extraction.

    Example: revtrack watch host example.com --delay 1 --skip 'Subscribe to read' --remove aside
    """
    patterns = [] if no_skip else (list(skip) if skip else None)
    record = _watcher(ctx, create=True).set_host(
        host,
        concurrency=concurrency,
        delay=delay,
        skip=patterns,
        robots=robots,
        include=[] if no_rules else (list(include) if include else None),
        remove=[] if no_rules else (list(remove) if remove else None),
    )
    skips = ", ".join(repr(p) for p in record.skip) or "none"
    line = (
        f"{record.host}: {record.concurrency} at once, {record.delay_ms / 1000:g} s apart, "
        f"robots.txt {'obeyed' if record.robots else 'ignored'}, skip patterns: {skips}"
    )
    if record.include:
        line += f", keep {', '.join(repr(c) for c in record.include)}"
    if record.remove:
        line += f", drop {', '.join(repr(c) for c in record.remove)}"
    click.echo(line + ".")


@contextmanager
def _stoppable() -> Iterator[threading.Event]:
    """SIGINT/SIGTERM set the event (a second one interrupts at once)."""
    stop = threading.Event()
    previous: dict[signal.Signals, Any] = {}

    def handler(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        click.echo("Stopping: finishing the fetches in flight…", err=True)

    for sig in (signal.SIGINT, signal.SIGTERM):
        # not in the main thread (an embedding program): no handlers, the caller stops us
        with suppress(ValueError):
            previous[sig] = signal.signal(sig, handler)
    try:
        yield stop
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _seen_line(item: Seen) -> str | None:
    if item.result in ("new", "revert"):
        notes = f"  {item.notes} note{'s' if item.notes != 1 else ''}" if item.notes else ""
        revert = "  (revert)" if item.result == "revert" else ""
        words = f"+{item.words_added} −{item.words_removed} words" if item.revision != 1 else "new"
        return f"{item.key}  v{item.revision}  {words}{notes}{revert}  {item.watch.url}"
    if item.result == "entries":
        return f"{item.watch.kind}  {item.watch.url}  {item.added} new" if item.added else None
    if item.result in ("failed", "skipped", "robots"):
        label = {"robots": "blocked"}.get(item.result, item.result)
        return f"{label}  {item.watch.url}  {item.reason}: {item.error}"
    return None


def _summary_line(summary: PassSummary, label: str) -> str:
    c = summary.counts
    revisions = c["new"] + c["revert"]
    unchanged = c["unchanged"] + c["not-modified"] + c["same-bytes"]
    parts = [
        f"{revisions} new revision{'s' if revisions != 1 else ''}"
        + (f" ({summary.notes} note{'s' if summary.notes != 1 else ''})" if summary.notes else ""),
        f"{unchanged} unchanged"
        + (f" ({c['not-modified']} not modified)" if c["not-modified"] else ""),
    ]
    if c["entries"]:
        parts.append(f"{c['entries']} feed{'s' if c['entries'] != 1 else ''} read")
    if summary.added:
        parts.append(f"{summary.added} new watch{'es' if summary.added != 1 else ''}")
    if c["skipped"]:
        parts.append(f"{c['skipped']} skipped")
    if c["failed"] + c["robots"]:
        parts.append(f"{c['failed'] + c['robots']} failed")
    return (
        f"{label}: fetched {summary.fetched} in {summary.seconds:.1f} s: " + ", ".join(parts) + "."
    )


def _print_seen(quiet: bool) -> Any:
    def show(item: Seen) -> None:
        line = _seen_line(item)
        if line and not quiet:
            click.echo(line)

    return show


@click.command()
@click.option("--due", is_flag=True, help="Only what the schedule says is due (else all).")
@click.option("--limit", type=int, metavar="N", help="Fetch at most N pages.")
@click.option("--workers", type=int, default=8, show_default=True, help="Fetches at once.")
@click.option("--quiet", "-q", is_flag=True, help="Only the summary line.")
@click.pass_context
def fetch(ctx: click.Context, due: bool, limit: int | None, workers: int, quiet: bool) -> None:
    """Fetch watched pages and feeds once and exit (for cron or a systemd timer).

    Example: revtrack fetch --due --limit 500
    """
    watcher = _watcher(ctx)
    with _stoppable() as stop:
        summary = watcher.run_pass(
            workers=workers, limit=limit, due_only=due, stop=stop, on_seen=_print_seen(quiet)
        )
    click.echo(_summary_line(summary, "fetch"))


@watch.command("run")
@click.option("--workers", type=int, default=8, show_default=True, help="Fetches at once.")
@click.option("--quiet", "-q", is_flag=True, help="Only a summary line per pass.")
@click.pass_context
def watch_run(ctx: click.Context, workers: int, quiet: bool) -> None:
    """Fetch what falls due, pass after pass, until stopped (SIGINT/SIGTERM finish the
    fetches in flight and exit 0).

    Example: revtrack watch run --workers 8
    """
    from revtrack.errors import InvalidInput

    if workers < 1:
        raise InvalidInput("--workers must be at least 1.")
    watcher = _watcher(ctx)
    with _stoppable() as stop:
        passes = watcher.run(
            workers=workers,
            stop=stop,
            on_seen=_print_seen(quiet),
            on_pass=lambda n, s: click.echo(_summary_line(s, f"pass {n}")),
            on_error=lambda exc: click.echo(f"Waiting: {exc}", err=True),
        )
    click.echo(f"Stopped after {passes} pass{'es' if passes != 1 else ''}.")
