"""Concurrent single-file ingesters on one SQLite database, against one ingester (issue #19).

Usage: python bench/bench_concurrent_ingest.py CORPUS_DIR [--workers 8] [--docs 8]
           [--versions 12] [--rounds 3]

Newsrooms run several ingesters at once (cron jobs, watch workers, scripts), each storing one
version at a time through `Revtrack.ingest_text`, each in its own process. SQLite admits one
writer at a time, so whatever an ingest does under the write lock is serialised. The
analysis (diff, statistics, note detection: most of an ingest's time) is made before the lock
(`Revtrack._analysis_ahead`); this measures what that buys.

The same work each way: ``--docs`` documents of CORPUS_DIR (those with the most versions),
their first ``--versions`` versions each, as articles of a fresh database.

    one       one process ingests every document's versions, document after document
    N         N processes at once (started together at a barrier), the documents dealt out
              round-robin, each ingesting its documents' versions in order
    N, inside the same N processes with the analysis made under the lock, as before this
              change (``_analysis_ahead`` switched off): the baseline in the same run

Throughput is revisions stored per second of wall time, from the barrier to the last process
done; rounds alternate the variants, and the median of each is reported with the ratio to
``one``. Goal: N ingesters within 20% of one (ratio ≥ 0.8). On 2 cores N processes cannot
run more than 2 analyses at a time: the ratio says whether the lock, rather than the CPU,
is what limits them. Corpus text is read at run time and only copied into the temporary
directory.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import queue
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path


def documents(corpus: Path, docs: int, versions: int) -> list[list[str]]:
    """The first ``versions`` versions of the ``docs`` documents with the most versions."""
    found = []
    for doc in sorted(p for p in corpus.iterdir() if p.is_dir()):
        files = sorted(doc.glob("v*.txt"))
        if len(files) >= versions:
            found.append((len(files), doc.name, files[:versions]))
    found.sort(key=lambda item: (-item[0], item[1]))
    if len(found) < docs:
        sys.exit(f"{corpus} has only {len(found)} documents with {versions} versions")
    return [[f.read_text(encoding="utf-8") for f in files] for _, _, files in found[:docs]]


def ingester(
    db: str, work: list[tuple[str, list[str]]], ahead: bool, start: object, out: object
) -> None:
    """One process: wait at the barrier, then ingest each document's versions in order."""
    from revtrack import Revtrack
    from revtrack.service.facade import Revtrack as Facade

    if not ahead:
        Facade._analysis_ahead = lambda self, *args: None  # type: ignore[method-assign]
    rt = Revtrack(db)
    rt.ingest_text("warm-up", article=f"warm-{os.getpid()}")  # imports and pool, untimed
    start.wait()  # type: ignore[attr-defined]
    stored = 0
    for key, texts in work:
        for n, text in enumerate(texts):
            rt.ingest_text(text, article=key, at=f"2024-01-01T00:{n:02d}:00")
            stored += 1
    rt.close()
    out.put((stored, time.perf_counter()))  # type: ignore[attr-defined]


def one_run(work_dir: Path, texts: list[list[str]], processes: int, ahead: bool) -> float:
    """Revisions per second for ``processes`` ingesters on a fresh database."""
    from revtrack import Revtrack

    db = str(work_dir / f"run-{processes}-{ahead}-{time.monotonic_ns()}.db")
    Revtrack(db, create=True).close()
    deals: list[list[tuple[str, list[str]]]] = [[] for _ in range(processes)]
    for i, doc in enumerate(texts):
        deals[i % processes].append((f"doc-{i}", doc))
    ctx = mp.get_context("spawn")
    start = ctx.Barrier(processes + 1)
    out = ctx.Queue()
    procs = [ctx.Process(target=ingester, args=(db, deal, ahead, start, out)) for deal in deals]
    for p in procs:
        p.start()
    start.wait()
    began = time.perf_counter()
    results = []
    while len(results) < len(procs):
        try:
            results.append(out.get(timeout=1))
        except queue.Empty:
            failed = [p.exitcode for p in procs if p.exitcode]
            if failed:
                for p in procs:
                    p.kill()
                sys.exit(f"an ingester failed (exit {failed[0]})")
    for p in procs:
        p.join()
    stored = sum(r[0] for r in results)
    return stored / (max(r[1] for r in results) - began)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--docs", type=int, default=8)
    parser.add_argument("--versions", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    texts = documents(args.corpus, args.docs, args.versions)
    total = sum(len(t) for t in texts)
    size = sum(len(v) for t in texts for v in t)
    print(
        f"{args.corpus.name}: {args.docs} documents x {args.versions} versions = {total} "
        f"revisions, {size / 1e6:.1f} MB of text; {args.rounds} rounds, medians; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start"
    )
    work_dir = Path(tempfile.mkdtemp(prefix="bench_concurrent-"))
    variants = [("one ingester", 1, True), (f"{args.workers} ingesters", args.workers, True)]
    variants.append((f"{args.workers}, analysis under the lock", args.workers, False))
    rates: dict[str, list[float]] = {name: [] for name, _, _ in variants}
    try:
        for _ in range(args.rounds):
            for name, processes, ahead in variants:
                rates[name].append(one_run(work_dir, texts, processes, ahead))
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    base = statistics.median(rates["one ingester"])
    print(f"{'variant':36} {'revisions/s':>12} {'[min-max]':>16} {'vs one':>8}")
    for name, values in rates.items():
        median = statistics.median(values)
        print(
            f"{name:36} {median:12.1f} {f'[{min(values):.1f}-{max(values):.1f}]':>16} "
            f"{median / base:7.2f}x"
        )
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
