"""Bulk import of a directory of versioned documents (the corpora layout).

Layout: ``<root>/<doc>/v001.txt, v002.txt, …`` with an optional ``meta.json`` (title, URL and
per-version timestamps, titles, edit summaries, authors), or ``<root>/<corpus>/<doc>/…``.
An article's key is ``<corpus>/<doc>``, the corpus being the folder that holds the document.

Work is split into documents recorded in ``import_items``. Each transaction claims a batch
of pending documents (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several importers on
several machines share one import with no coordinator), imports them and marks them done in
the same transaction: a killed importer loses only its uncommitted batch, which stays
pending for the next run, and a document is never imported twice.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from revtrack.errors import InvalidInput, RevtrackError
from revtrack.service.documents import (
    VERSION_FILE,
    Document,
    DocumentPlan,
    find_documents,
    read_document,
    version_files,
    version_title,
)
from revtrack.service.ingest import ingest_fetched
from revtrack.service.lifeline import tie_to_parent
from revtrack.service.progress import Counter, Progress, counting, reader_init, relay
from revtrack.service.reader_pool import reader_context, reader_ready
from revtrack.service.refs import parse_time
from revtrack.service.sources import Fetched
from revtrack.store import Store

__all__ = [
    "Document",
    "default_jobs",
    "find_documents",
    "import_directory",
    "import_document",
    "run_import",
]


def import_document(
    tx: Any, doc: Document, actor: str, plan: DocumentPlan | None = None
) -> tuple[int, int]:
    """Ingest every version of one document; return (revisions added, notes found).

    ``plan`` is the document already read (and analysed) by a worker; without it the
    document is read here.
    """
    last_time: datetime | None = None
    done_upto = 0
    article = tx.get_article(doc.key)
    if article is not None:
        # Imported before (perhaps from a parent or child folder): take only later versions.
        latest = tx.latest_revision(article.id)
        last_time = latest.captured_at if latest else None
        for source in tx.revision_sources(article.id):
            match = VERSION_FILE.match(source.rsplit("/", 1)[-1])
            if match:
                done_upto = max(done_upto, int(match.group(1)))
    if plan is None:
        plan = read_document(doc, after=done_upto)
    meta = plan.meta
    url = meta.get("url") or meta.get("wikipedia_url")
    outlet = meta.get("corpus") or doc.path.parent.name
    added = notes = 0
    for version in plan.versions:
        if version.number <= done_upto:
            continue
        info = version.info
        stamp = info.get("timestamp") or info.get("committed_at")
        when = parse_time(stamp) if stamp else None
        if when is not None and last_time is not None and when < last_time:
            when = last_time  # commit dates are not always in order; keep capture order
        last_time = when or last_time
        fetched = Fetched(
            text=version.text,
            source=f"{doc.key}/{version.name}",
            kind="file",
            key_hint=doc.key,
            title=version_title(meta, info),
            url=url,
            outlet=outlet,
        )
        # What the corpus knows that the revision row does not: the commit's summary and
        # author, whether it was a bulk edit, and the time as the corpus printed it when it
        # had to be moved forward to keep capture order.
        extra = {k: info[k] for k in ("edit_summary", "author", "mass_edit") if info.get(k)}
        if stamp and when is not None and parse_time(stamp) != when:
            extra["timestamp"] = stamp
        result = ingest_fetched(
            tx,
            fetched,
            key=doc.key,
            captured_at=when,
            title=None,
            url=url,
            actor=actor,
            meta=extra,
            ready=version.analysis,
        )
        if result.status != "unchanged":
            added += 1
        notes += len(result.notes_added)
    return added, notes


def default_jobs() -> int:
    """Reader processes for an import when the user does not say: one per CPU."""
    return max(
        1,
        min(
            8,
            len(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity")
            else os.cpu_count() or 1,
        ),
    )


class _Readers:
    """Units read and analysed by worker processes ahead of the writer.

    The writer claims documents in the order they were registered; the readers work through
    the pending ones in that order, at most ``window`` ahead. A document another importer
    claimed is simply dropped when the writer passes it.

    Reader processes take a while to come up (their fork server loads revtrack first: about a
    second of CPU), and nothing else would happen meanwhile: the writer reads and analyses
    the units itself until the first reader is ready (:meth:`plan` returns None for them),
    then hands the readers the units after the one it is on (unless ``writer_reads`` is
    False: then the readers read every unit).
    """

    def __init__(
        self,
        pool: ProcessPoolExecutor,
        jobs: int,
        docs: dict[str, Any],
        order: list[str],
        read: Callable[[Any], Any],
        counter: Counter,
        writer_reads: bool = True,
    ) -> None:
        self.pool = pool
        self.writer_reads = writer_reads
        self.docs = docs
        self.read = read
        self.order = order
        self.counter = counter  # what the writer analyses itself is counted here
        self.position = {key: i for i, key in enumerate(order)}
        self.next = 0
        self.window = max(8, 4 * jobs)
        self.ahead: dict[str, Future[Any]] = {}
        self.ready = threading.Event()
        # Starting a process blocks until the fork server has loaded: done on a thread, so
        # that the writer goes on meanwhile.
        self.starter = threading.Thread(
            target=self._start, args=(jobs,), name="revtrack-readers", daemon=True
        )
        self.starter.start()
        if not writer_reads:
            self.starter.join()  # the readers read every unit: wait for them
            self.top_up()

    def _start(self, jobs: int) -> None:
        try:
            started = [self.pool.submit(reader_ready) for _ in range(jobs)]
        except (BrokenExecutor, RuntimeError):  # broken, or shut down: the writer reads on
            return
        wait(started, return_when=FIRST_COMPLETED)
        self.ready.set()

    def top_up(self) -> None:
        if not self.ready.is_set():
            return
        while len(self.ahead) < self.window and self.next < len(self.order):
            key = self.order[self.next]
            self.next += 1
            if key in self.docs:
                self.ahead[key] = self.pool.submit(self.read, self.docs[key])

    def plan(self, key: str) -> Any:
        """The unit ``key`` read and analysed, or None when no reader took it (the writer
        reads it); raises what reading it raised."""
        future = self.ahead.pop(key, None)
        passed = self.position.get(key, -1)
        for other in [k for k in self.ahead if self.position.get(k, -1) < passed]:
            self.ahead.pop(other).cancel()  # claimed by another importer
        self.next = max(self.next, passed + 1)
        self.top_up()
        if future is None and not self.writer_reads and self.ready.is_set():
            future = self.pool.submit(self.read, self.docs[key])
        return None if future is None else future.result()

    def close(self) -> None:
        for future in self.ahead.values():
            future.cancel()
        self.starter.join()


READERS_FROM = 16
"""Fewer pending documents than this are read in this process: starting reader processes
(each imports revtrack afresh) costs more than a handful of documents take."""


@contextmanager
def _readers(
    jobs: int,
    docs: dict[str, Any],
    order: list[str],
    read: Callable[[Any], Any],
    counter: Counter,
    writer_reads: bool = True,
) -> Iterator[_Readers | None]:
    if jobs <= 1 or len(order) < READERS_FROM:
        with counting(counter):  # the writer analyses, and counts, every version itself
            yield None
        return
    # Not a plain fork: a forked child would share the parent's database connections. Only
    # an import whose writer may not read (HTML archives) has its readers extract HTML.
    context = reader_context(html=not writer_reads)
    ticks = context.SimpleQueue()  # each version a reader analyses, for the progress bar
    with (
        relay(ticks, counter),
        ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=context,
            # ticks go to the writer; readers exit when this process (or its fork server) dies
            initializer=reader_init,
            initargs=(ticks, tie_to_parent, os.getpid()),
        ) as pool,
    ):
        readers = _Readers(pool, jobs, docs, order, read, counter, writer_reads)
        try:
            yield readers
        finally:
            readers.close()


def import_directory(
    store: Store,
    root: Path,
    *,
    actor: str,
    batch_size: int = 50,
    progress: Callable[[int, int], None] | None = None,
    worker: str | None = None,
    jobs: int = 1,
) -> dict[str, Any]:
    """Import every document under ``root``; see the module docstring for the protocol.

    ``jobs`` above 1 reads and analyses documents in that many worker processes while this
    process writes: the text work (diffs, statistics, note detection) is most of an import.
    """
    docs = {d.key: d for d in find_documents(root)}

    def write(tx: Any, doc: Document, plan: DocumentPlan | None) -> tuple[int, int]:
        return import_document(tx, doc, actor, plan)

    return run_import(
        store,
        str(root.resolve()),
        docs,
        # A reader's job, picklable and light: unpickling it imports documents.py and the
        # analysis, not this module's store and ingest (a second less per reader start).
        read=partial(read_document, analyse=True),
        write=write,
        actor=actor,
        batch_size=batch_size,
        progress=progress,
        worker=worker,
        jobs=jobs,
        size=_version_count,
    )


def _version_count(doc: Document) -> int:
    return len(version_files(doc.path))


def run_import(
    store: Store,
    batch: str,
    units: dict[str, Any],
    *,
    read: Callable[[Any], Any],
    write: Callable[[Any, Any, Any], tuple[int, int]],
    actor: str,
    batch_size: int = 50,
    progress: Progress | None = None,
    worker: str | None = None,
    jobs: int = 1,
    size: Callable[[Any], int] | None = None,
    writer_reads: bool = True,
) -> dict[str, Any]:
    """Import ``units`` (named by the strings ``import_items`` records) as one batch.

    ``read(unit)`` is the text work, run in reader processes when ``jobs`` > 1 (so it and
    the units must pickle); ``write(tx, unit, plan)`` stores what it read (``plan`` is None
    when the unit was not read ahead) and returns (revisions added, notes found). Every
    importer (directories, git, WARC, the databases of other tools) goes through here.

    ``progress`` is told the versions analysed so far, out of the sum of ``size(unit)``
    over the pending units (0 when ``size`` is not given), wherever the analysis runs.

    ``writer_reads``: this process reads units itself while the reader processes start (see
    :class:`_Readers`); False where reading loads much this process would not otherwise
    hold (the HTML extractor), so that the writer stays small.
    """
    if batch_size < 1:
        raise InvalidInput("--batch-size must be at least 1.")
    if jobs < 1:
        raise InvalidInput("--jobs must be at least 1.")
    worker = worker or f"{socket.gethostname()}:{os.getpid()}"
    with store.write() as tx:
        tx.register_import_items(batch, sorted(units))
    with store.read() as tx:
        pending = [name for name in tx.pending_import_items(batch) if name in units]
    total = len(pending)
    summary: dict[str, Any] = {
        "documents": 0,
        "revisions": 0,
        "corrections": 0,
        "skipped": len(units) - total,
    }
    failures: list[str] = []
    summary["failures"] = failures
    counter = Counter(progress, sum(size(units[n]) for n in pending) if size else 0)
    counter.flush()
    order = pending if jobs > 1 else []
    with _readers(jobs, units, order, read, counter, writer_reads) as readers:
        _claim_and_import(store, batch, units, readers, write, worker, actor, batch_size, summary)
    return summary


def _claim_and_import(
    store: Store,
    batch: str,
    docs: dict[str, Any],
    readers: _Readers | None,
    write: Callable[[Any, Any, Any], tuple[int, int]],
    worker: str,
    actor: str,
    batch_size: int,
    summary: dict[str, Any],
) -> None:
    failures: list[str] = summary["failures"]
    while True:
        with store.write() as tx:
            claimed = tx.claim_import_items(batch, batch_size)
            if not claimed:
                break
            for key in claimed:
                try:
                    with tx.savepoint():
                        if key not in docs:
                            added, notes = 0, 0
                        else:
                            plan = readers.plan(key) if readers is not None else None
                            if plan is None and readers is not None:
                                with counting(readers.counter):
                                    added, notes = write(tx, docs[key], None)
                            else:
                                added, notes = write(tx, docs[key], plan)
                except RevtrackError as exc:
                    # One bad document must not sink the others: it is recorded as failed
                    # (rerunning the import does not retry it) and reported at the end.
                    tx.finish_import_item(batch, key, worker=worker, revisions=0, state="failed")
                    failures.append(f"{key}: {exc}")
                    continue
                tx.finish_import_item(batch, key, worker=worker, revisions=added)
                if key not in docs:
                    continue  # a unit of an earlier run of this batch, no longer there
                summary["documents"] += 1
                summary["revisions"] += added
                summary["corrections"] += notes
            # One chain per worker: concurrent importers never contend for a chain's next seq.
            tx.append_event(
                "import.batch",
                actor=actor,
                chain=f"import:{worker}",
                payload={"batch": batch, "documents": claimed, "worker": worker},
            )
