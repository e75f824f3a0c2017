"""How a bulk import starts its reader processes: forked from a server that loaded revtrack once.

A reader started with "spawn" imports revtrack (SQLAlchemy, the note detector, the diff
engine, the spelling dictionary the classifier consults) afresh: about 0.6 s of CPU per
reader, as much as the text work of 150 revisions, paid again by every import. "fork" would be
free but is unsafe here: a forked child shares the importing process's database connections.
The "forkserver" method has neither cost: one clean server process (started like a spawned
one, without the parent's connections) loads what readers need once, and every reader is a
fork of it, ready at once; the server stays up for later imports of the same process.
Platforms without it (Windows) get "spawn".
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from multiprocessing.context import BaseContext

PRELOAD = ["__main__", "revtrack.service.reader_warmup"]
"""What the server loads before forking readers (see :mod:`revtrack.service.reader_warmup`);
``__main__`` as "spawn" loads it, so that functions defined there still unpickle."""


def reader_context() -> BaseContext:
    """The multiprocessing context reader pools are made with."""
    if "forkserver" not in multiprocessing.get_all_start_methods() or _server_pid_unknown():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # Takes effect when the server starts (the first pool); the server then serves every pool.
    context.set_forkserver_preload(PRELOAD)
    return context


def start_early() -> None:
    """Start the fork server now, so that its loading (about a second of CPU) overlaps what
    comes before the first pool, such as an archive's scan, instead of following it."""
    if reader_context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def reader_parent() -> int:
    """The pid a reader will have as its parent, to tie it to (see
    :func:`revtrack.service.lifeline.tie_to_parent`): the fork server's, or this process's
    under "spawn".

    Readers forked by the server are its children, not the importer's. They still die with
    the importer: the server exits when the importer does (its end of the pipe that keeps
    the server alive closes), and its children with it.
    """
    if reader_context().get_start_method() != "forkserver":
        return os.getpid()
    from multiprocessing import forkserver

    forkserver.ensure_running()
    server = getattr(forkserver._forkserver, "_forkserver_pid", None)  # set by ensure_running
    assert isinstance(server, int)
    return server


def _server_pid_unknown() -> bool:
    """Whether this Python hides the fork server's pid (readers could not be tied to it)."""
    from multiprocessing import forkserver

    return not hasattr(getattr(forkserver, "_forkserver", None), "_forkserver_pid")


def tie_reader(importer: int, parent: int) -> None:
    """A reader's initializer: exit when its parent or the importer that wants it is gone.

    :func:`~revtrack.service.lifeline.tie_to_parent` watches the parent (the kernel's
    death signal, and a check of the parent pid). A reader forked by the fork server has the
    server as its parent, and the server lives as long as any of its children does (each
    holds the pipe whose closing ends it), so the importer is watched too: a killed importer
    takes its readers with it, then the server and the resource tracker go on their own.
    """
    from revtrack.service.lifeline import CHECK_EVERY_S, tie_to_parent

    tie_to_parent(parent)
    if importer == parent:
        return

    def watch() -> None:
        while not _gone(importer):
            time.sleep(CHECK_EVERY_S)
        os._exit(1)

    threading.Thread(target=watch, name="revtrack-importer-watch", daemon=True).start()


def _gone(pid: int) -> bool:
    """Whether process ``pid`` has exited (a zombie, not yet reaped, has)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return False  # no /proc here: the signal check above is all there is
    return fields[0] == "Z"
