"""The watching commands: `revtrack watch …`, `revtrack fetch` and `revtrack reextract`.

A face like cli.py, and as thin: parse, call the facade's watcher, shape the result
(:mod:`revtrack.shapes`), render it (:mod:`revtrack.render.listings`), print. Nothing heavy is
imported at module level (the facade, httpx, feedparser and SQLAlchemy load when a command
runs), so `revtrack --help` does not pay for them. Errors are
:class:`~revtrack.errors.RevtrackError`\\ s, turned into one-line failures by the root group in
cli.py.
"""

from __future__ import annotations

import json
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from types import FrameType
from typing import Any

import click

# The watcher and its results are typed Any here: a face names only the facade, the shapes and
# the renderers (the import contracts in pyproject.toml), and what it does with them is print.
Watcher = Any
Seen = Any
PassSummary = Any


def _watcher(ctx: click.Context, *, create: bool = False, settings: bool = False) -> Watcher:
    """The database's watcher; ``settings``: with the command's --config file (or
    ./revtrack.toml when there is one), read and checked before anything is fetched."""
    from revtrack import Revtrack

    rt = Revtrack(ctx.find_root().obj["db"], create=create)
    ctx.call_on_close(rt.close)
    if not settings:
        return rt.watcher()
    return rt.watcher(settings_file=ctx.params.get("config"), find_settings_file=True)


_config_option = click.option(
    "--config",
    metavar="FILE",
    help='TOML settings: [sites."HOST"] rules, [notify] (default: ./revtrack.toml if present).',
)


def _json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False))


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
    from revtrack.render.listings import watch_added_line
    from revtrack.shapes import watch_dict

    if feed and pattern:
        raise InvalidInput("Give --feed or --links, not both.")
    kind = "feed" if feed else "links" if pattern else "page"
    watcher = _watcher(ctx, create=True)
    record = watcher.add(url, kind=kind, pattern=pattern, every=every, until=until)
    click.echo(watch_added_line(watch_dict(record)))


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
    from revtrack.render.listings import watch_listing
    from revtrack.shapes import watch_dict

    watcher = _watcher(ctx)
    at = watcher.clock()
    rows = [watch_dict(w, at) for w in watcher.watches(include_removed=show_all)]
    if fmt == "json":
        _json(rows)
    else:
        click.echo(watch_listing(rows))


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
    from revtrack.render.listings import watch_history_text, watch_status_text
    from revtrack.shapes import watch_dict, watch_event_dict, watch_status_dict

    watcher = _watcher(ctx)
    if ref is not None:
        record, events = watcher.history(ref)
        shaped = watch_dict(record, watcher.clock())
        history = [watch_event_dict(e) for e in events]
        if fmt == "json":
            _json({"watch": shaped, "events": history})
        else:
            click.echo(watch_history_text(shaped, history))
        return
    status = watch_status_dict(watcher.status())
    if fmt == "json":
        _json(status)
    else:
        click.echo(watch_status_text(status))


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
    from revtrack.render.listings import host_line
    from revtrack.shapes import host_dict

    record = _watcher(ctx, create=True).set_host(
        host,
        concurrency=concurrency,
        delay=delay,
        skip=[] if no_skip else (list(skip) if skip else None),
        robots=robots,
        include=[] if no_rules else (list(include) if include else None),
        remove=[] if no_rules else (list(remove) if remove else None),
    )
    click.echo(host_line(host_dict(record)))


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


def _progress(quiet: bool) -> Callable[[Seen], None]:
    from revtrack.render.listings import seen_line
    from revtrack.shapes import seen_dict

    def show(item: Seen) -> None:
        line = seen_line(seen_dict(item))
        if line and not quiet:
            click.echo(line)

    return show


def _summary(summary: PassSummary, label: str) -> str:
    from revtrack.render.listings import pass_line
    from revtrack.shapes import pass_dict

    return pass_line(pass_dict(summary), label)


@click.command()
@click.option("--due", is_flag=True, help="Only what the schedule says is due (else all).")
@click.option("--limit", type=int, metavar="N", help="Fetch at most N pages.")
@click.option("--workers", type=int, default=8, show_default=True, help="Fetches at once.")
@click.option("--quiet", "-q", is_flag=True, help="Only the summary line.")
@_config_option
@click.pass_context
def fetch(
    ctx: click.Context, due: bool, limit: int | None, workers: int, quiet: bool, config: str | None
) -> None:
    """Fetch watched pages and feeds once and exit (for cron or a systemd timer).

    Example: revtrack fetch --due --limit 500
    """
    from revtrack.cli_term import Bar

    watcher = _watcher(ctx, settings=True)
    with _stoppable() as stop, Bar("fetching", quiet=quiet, unit="pages") as bar:
        summary = watcher.run_pass(
            workers=workers,
            limit=limit,
            due_only=due,
            stop=stop,
            on_seen=_progress(quiet),
            progress=bar.update,
        )
    click.echo(_summary(summary, "fetch"))


@watch.command("run")
@click.option("--workers", type=int, default=8, show_default=True, help="Fetches at once.")
@click.option("--quiet", "-q", is_flag=True, help="Only a summary line per pass.")
@_config_option
@click.pass_context
def watch_run(ctx: click.Context, workers: int, quiet: bool, config: str | None) -> None:
    """Fetch what falls due, pass after pass, until stopped (SIGINT/SIGTERM finish the
    fetches in flight and exit 0).

    Example: revtrack watch run --workers 8
    """
    from revtrack.errors import InvalidInput

    if workers < 1:
        raise InvalidInput("--workers must be at least 1.")
    watcher = _watcher(ctx, settings=True)
    with _stoppable() as stop:
        passes = watcher.run(
            workers=workers,
            stop=stop,
            on_seen=_progress(quiet),
            on_pass=lambda n, s: click.echo(_summary(s, f"pass {n}")),
            on_error=lambda exc: click.echo(f"Waiting: {exc}", err=True),
        )
    click.echo(f"Stopped after {passes} pass{'es' if passes != 1 else ''}.")


@click.command()
@click.option("--article", "key", metavar="KEY", help="Only this article's versions.")
@click.option("--host", metavar="HOST", help="Only versions fetched from this host.")
@click.option("--dry-run", is_flag=True, help="Say what would be re-derived; write nothing.")
@click.option("--quiet", "-q", is_flag=True, help="Only the summary line.")
@_config_option
@click.pass_context
def reextract(
    ctx: click.Context,
    key: str | None,
    host: str | None,
    dry_run: bool,
    quiet: bool,
    config: str | None,
) -> None:
    """Read old versions' kept pages again with today's extractor and site rules.

    The text as first ingested stays as it was; a version that now reads differently gets a
    re-derived text beside it, with an event saying from which kept page and with which
    rules (`verify` checks both).

    Example: revtrack reextract --host example.com --dry-run
    """
    from revtrack.cli_term import Bar

    watcher = _watcher(ctx, settings=True)
    with Bar("re-reading", quiet=quiet, unit="pages") as bar:
        summary = watcher.reextract(key=key, host=host, dry_run=dry_run, progress=bar.update)
    if not quiet:
        for item in summary.items:
            click.echo(_reread_line(item, dry_run))
    click.echo(_reextract_line(summary))


def _reread_line(item: Any, dry_run: bool) -> str:
    where = f"{item.key}@v{item.number}"
    if item.error:
        return f"{where}: cannot be read again: {item.error}"
    verb = "would be re-derived" if dry_run else "re-derived"
    return f"{where}: {verb} ({item.chars_before:,} -> {item.chars_after:,} characters)"


def _reextract_line(s: Any) -> str:
    label = "reextract (dry run, nothing written)" if s.dry_run else "reextract"
    verb = "would be re-derived" if s.dry_run else "re-derived"
    pages = f"{s.read} kept page{'' if s.read == 1 else 's'} read"
    line = f"{label}: {pages}, {s.rederived} {verb}, {s.unchanged} unchanged, {s.failed} failed"
    if s.no_page:
        line += f"; {s.no_page} version{'' if s.no_page == 1 else 's'} without a kept page"
    if s.same_as_before:
        line += (
            f"; {s.same_as_before} version{'' if s.same_as_before == 1 else 's'} now "
            "read the same as the one before"
        )
    return line + "."
