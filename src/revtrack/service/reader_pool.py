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
from multiprocessing.context import BaseContext

PRELOAD = ["__main__", "revtrack.service.reader_warmup"]
"""What the server loads before forking readers (see :mod:`revtrack.service.reader_warmup`);
``__main__`` as "spawn" loads it, so that functions defined there still unpickle."""

PRELOAD_TEXT = ["__main__", "revtrack.service.reader_warmup_text"]
"""The same for an import that extracts no HTML (see
:mod:`revtrack.service.reader_warmup_text`): the server is up sooner and costs less."""


def reader_context(*, html: bool = True) -> BaseContext:
    """The multiprocessing context reader pools are made with; ``html`` False when the
    import's readers extract no HTML (only used if this starts the server)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # Takes effect when the server starts (the first pool); the server then serves every pool.
    context.set_forkserver_preload(PRELOAD if html else PRELOAD_TEXT)
    return context


def start_early(*, html: bool = True) -> None:
    """Start the fork server now, so that its loading (about a second of CPU) overlaps what
    comes before the first pool, such as an archive's scan, instead of following it."""
    if reader_context(html=html).get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def reader_ready() -> None:
    """A reader's first task, which does nothing: its result says the reader is up."""
