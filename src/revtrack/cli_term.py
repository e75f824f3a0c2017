"""The command line's terminal furniture: the progress bar and the pager, in one place.

Both appear only on a terminal and stay out of pipes, as git's do. The service reports
progress through a ``(done, total)`` callback (revisions, see
:mod:`revtrack.service.progress`); :class:`Bar` draws it with rich on stderr, with rate and
time left, redrawn ten times a second so the clock moves even between reports. Long output
(``log``, ``diff``, ``show``, ``blame``, ``audit``, ``corrections``) goes through
:class:`Pager`: held until it is longer than the screen, then handed to
``$REVTRACK_PAGER``, ``$PAGER`` or ``less -FRX``; shorter output is printed as is. The two
meet in ``audit``, which streams: the bar shows until the output is first written to the
terminal (or to the pager), and is then cleared.

rich is imported only when a bar is drawn: the command line's start-up stays light.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
from types import TracebackType
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    import subprocess

DEFAULT_PAGER = "less -FRX"
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def drawing(quiet: bool) -> bool:
    """Whether a progress bar may be drawn: stderr is a terminal, and nobody said not to."""
    return not quiet and sys.stderr.isatty() and not os.environ.get("REVTRACK_NO_PROGRESS")


class Bar:
    """A progress bar counting revisions on stderr, or nothing (piped, ``--quiet``).

    Use :meth:`update` as the service's progress callback; it records the counts whether or
    not anything is drawn, for the command's closing line (:attr:`done`, :attr:`elapsed`).
    """

    def __init__(self, label: str, *, quiet: bool = False, unit: str = "revisions") -> None:
        self.label = label
        self.unit = unit
        self.done = 0
        self.total = 0
        self._draw = drawing(quiet)
        self._started = time.monotonic()
        self._stopped: float | None = None
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> Bar:
        self._started = time.monotonic()
        if self._draw:
            self._progress = _rich_progress(self.label, self.unit)
            self._task = self._progress.add_task(self.label, total=None)
            self._progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def update(self, done: int, total: int) -> None:
        """The service's callback: ``done`` of ``total`` (0: not known) revisions."""
        self.done, self.total = done, total
        if self._progress is not None:
            self._progress.update(self._task, completed=done, total=total or None)

    def stop(self) -> None:
        """Clear the bar (idempotent): before anything else is written to the terminal."""
        if self._stopped is None:
            self._stopped = time.monotonic()
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    @property
    def elapsed(self) -> float:
        end = self._stopped if self._stopped is not None else time.monotonic()
        return end - self._started

    def rate(self) -> str:
        """``123 revisions/s`` over the whole run, or empty when nothing was counted."""
        if not self.done or self.elapsed <= 0:
            return ""
        return f"{per_second(self.done, self.elapsed)} {self.unit}/s"


def per_second(done: float, seconds: float) -> str:
    """A rate as the bar prints it: ``1,234``, ``56``, ``0.4`` (never a rounded-down 0)."""
    rate = done / seconds
    return f"{rate:,.0f}" if rate >= 10 else f"{rate:.1f}" if rate >= 0.1 else f"{rate:.2g}"


def _rich_progress(label: str, unit: str) -> Any:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class Rate(ProgressColumn):
        """Revisions per second since the start, recomputed at every redraw."""

        def render(self, task: Any) -> Text:
            elapsed = task.elapsed or 0.0
            if not task.completed or elapsed <= 0:
                return Text("…/s", style="progress.data.speed")
            return Text(f"{per_second(task.completed, elapsed)}/s", style="progress.data.speed")

    return Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(unit),
        Rate(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
        # Output written meanwhile goes where it was meant to (a file, the pager), not into
        # the bar's console; the pager clears the bar before it writes to the terminal.
        redirect_stdout=False,
        redirect_stderr=False,
    )


# -- the pager -----------------------------------------------------------------------------
def pager_command() -> str | None:
    """What to page through, as git chooses: ``$REVTRACK_PAGER``, ``$PAGER``, else
    ``less -FRX``; empty or ``cat`` means no pager."""
    for name in ("REVTRACK_PAGER", "PAGER"):
        value = os.environ.get(name)
        if value is not None:
            value = value.strip()
            return None if value in ("", "cat") else value
    return DEFAULT_PAGER if shutil.which("less") else None


def screen_rows(text: str, columns: int) -> int:
    """How many rows of a ``columns``-wide terminal ``text`` takes (colour codes aside)."""
    rows = 0
    for line in text.split("\n"):
        width = len(_ANSI.sub("", line))
        rows += max(1, -(-width // max(columns, 1)))
    return rows


class Pager:
    """Standard output for a command that may print more than a screen.

    Writes are held while they fit on the screen; the first write that does not starts the
    pager, which then gets everything. On :meth:`close` held output is printed as is. Off
    (everything printed at once) when stdout is not a terminal, with ``--no-pager``, or when
    no pager is set; colour is the caller's choice and passes through (``less -R``).
    """

    def __init__(self, enabled: bool, bar: Bar | None = None) -> None:
        self.bar = bar
        self.command = pager_command() if enabled and sys.stdout.isatty() else None
        size = shutil.get_terminal_size()
        self.columns, self.lines = size.columns, size.lines
        self._held: list[str] = []
        self._rows = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._closed = False  # the user quit the pager: the rest is dropped
        self._raw = False

    def __enter__(self) -> Pager:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool:
        self.close()
        return isinstance(exc, _PagerQuit)

    def echo(self, text: str = "", *, nl: bool = True, raw: bool = False) -> None:
        """Write ``text`` (and a newline). ``raw``: exactly these characters, as bytes (a
        stored text, lone surrogates included); else as ``click.echo`` would, which drops
        colour codes in a pipe."""
        data = text + ("\n" if nl else "")
        if self._closed:
            raise _PagerQuit
        if self._proc is not None:
            self._to_pager(data)
            return
        if self.command is None:
            self._print(data, raw)
            return
        self._raw = self._raw or raw
        self._held.append(data)
        self._rows += screen_rows(data.removesuffix("\n"), self.columns)
        if self._rows >= self.lines:
            self._start()

    def close(self) -> None:
        if self._proc is None:
            held, self._held = "".join(self._held), []
            if held:
                self._print(held, self._raw)
            return
        try:
            assert self._proc.stdin is not None
            self._proc.stdin.close()
        except BrokenPipeError:
            pass
        while True:
            try:
                self._proc.wait()
                break
            except KeyboardInterrupt:  # Ctrl-C is the pager's to handle, as in git
                continue
        self._proc = None

    def _print(self, data: str, raw: bool) -> None:
        if self.bar is not None and sys.stdout.isatty():
            self.bar.stop()  # the bar and this output share the terminal
        if not raw:
            click.echo(data, nl=False)
            return
        out = sys.stdout
        out.flush()
        out.buffer.write(data.encode("utf-8", "surrogatepass"))
        out.buffer.flush()

    def _start(self) -> None:
        import subprocess  # only when paging: the start-up stays light

        if self.bar is not None:
            self.bar.stop()
        assert self.command is not None
        env = dict(os.environ)
        env.setdefault("LESS", "FRX")  # as git does: quit if one screen, colour, no clearing
        env.setdefault("LV", "-c")
        sys.stdout.flush()
        try:
            self._proc = subprocess.Popen(self.command, shell=True, stdin=subprocess.PIPE, env=env)
        except OSError:
            self.command = None
            held, self._held = "".join(self._held), []
            self._print(held, self._raw)
            return
        held, self._held = "".join(self._held), []
        self._to_pager(held)

    def _to_pager(self, data: str) -> None:
        assert self._proc is not None and self._proc.stdin is not None
        try:
            self._proc.stdin.write(data.encode("utf-8", "surrogatepass"))
            self._proc.stdin.flush()
        except BrokenPipeError:
            self._closed = True
            raise _PagerQuit from None


class _PagerQuit(Exception):
    """The user quit the pager before the output ended: stop producing it, quietly."""


def paged(ctx: click.Context, bar: Bar | None = None) -> Pager:
    """A :class:`Pager` as the command line's options say (``--no-pager``)."""
    obj = ctx.find_root().obj or {}
    return Pager(not obj.get("no_pager"), bar)


__all__ = ["DEFAULT_PAGER", "Bar", "Pager", "drawing", "paged", "pager_command"]
