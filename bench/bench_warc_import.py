"""`import --from warc` on generated crawls: MB/s with extraction on, for the whole file and
for its HTML alone, CPU, and memory from 100 MB to 1 GB.

Usage: python bench/bench_warc_import.py [--mb 100 1000] [--jobs N] [--sample 60] [--keep]

For each size, :mod:`warc_crawl` writes a gzip-per-record WARC with the mix of records a
repeated crawl of a news site holds (pages with their images, scripts, styles and fonts,
revisits, ads, redirects, errors; its docstring gives the proportions and where they come
from) and the script prints that mix. Then, on the same file:

fastwarc, warcio  every record iterated and its body read by each library alone (floors)
scan              revtrack's first pass, with fastwarc (the default) and with warcio only
extraction        ``from_response`` (trafilatura, as ``ingest URL``) on ``--sample`` pages in
                  this process: CPU per page and MB/s of HTML, the extraction-bound ceiling
import            ``Revtrack.import_archive("warc", …)`` into a fresh SQLite database with
                  ``--jobs`` reader processes: wall seconds; CPU seconds of every process
                  (writer, fork server, readers, sampled from /proc); MB/s of the whole file
                  and of its HTML records (as stored, and as bodies); peak RSS of the writer
                  (``getrusage``: the import runs in a fresh process of its own) and of each
                  process below it (the fork server, the readers, multiprocessing's resource
                  tracker; sampled from /proc)
rerun             the import again (adds nothing)
digest            :mod:`import_digest` of the database: equal across versions of revtrack
                  means the same revisions, texts, notes, links, events and audit

MB/s of "the file" is of the WARC as stored (compressed); "HTML" counts only the records
of HTML pages. Wall-clock rates depend on the load of the machine; CPU seconds much less:
``MB per CPU second × cores`` is what the import would do with the cores to itself.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import shutil
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_digest import digest
from proc_tree import ProcessTree
from revtrack import Revtrack
from revtrack.service.importers.base import ScanReport
from revtrack.service.importers.warc import WarcArchive
from revtrack.service.sources import from_response
from warc_crawl import generate

KINDS = (
    "html",
    "html revisit",
    "image",
    "script",
    "style",
    "font",
    "resource revisit",
    "ad or tracker",
    "redirect",
    "error",
)


def timed(fn: Any) -> tuple[Any, float, float]:
    """``fn()``, its wall seconds and this process's CPU seconds."""
    cpu, wall = time.process_time(), time.perf_counter()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def read_fastwarc(path: Path) -> int:
    from fastwarc.warc import ArchiveIterator

    return sum(len(r.reader.read()) for r in ArchiveIterator(str(path), fsspec_args=False))


def read_warcio(path: Path) -> int:
    from warcio.archiveiterator import ArchiveIterator

    with path.open("rb") as handle:
        return sum(len(r.content_stream().read()) for r in ArchiveIterator(handle))


def html_sample(path: Path, size: int) -> list[tuple[str, bytes]]:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    sample = []
    for record in ArchiveIterator(
        str(path), record_types=WarcRecordType.response, fsspec_args=False
    ):
        http = record.http_headers
        if (
            http is not None
            and http.status_code == 200
            and "html" in (http.get("Content-Type") or "")
        ):
            sample.append((str(record.headers.get("WARC-Target-URI")), record.reader.read()))
            if len(sample) >= size:
                break
    return sample


def measure(work: Path, size: float, jobs: int, sample_size: int) -> dict[str, Any]:
    warc = work / f"crawl-{size:g}.warc.gz"
    mix, gen_s, _ = timed(lambda: generate(warc, size))
    print(f"  generated {warc.name} in {gen_s:.1f} s", file=sys.stderr)
    row: dict[str, Any] = {"size": size, "mix": mix, "file_mb": warc.stat().st_size / 1e6}
    row["fastwarc"] = timed(lambda: read_fastwarc(warc))[1:]
    row["warcio"] = timed(lambda: read_warcio(warc))[1:]
    row["scan"] = timed(lambda: WarcArchive((str(warc),)).scan(ScanReport()))[1:]
    row["scan_warcio"] = timed(lambda: WarcArchive((str(warc),), fast=False).scan(ScanReport()))[1:]
    sample = html_sample(warc, sample_size)
    extract = lambda: [  # noqa: E731
        from_response(b, url=u, content_type="text/html", source=u, max_bytes=10**8)
        for u, b in sample
    ]
    extract()  # the extractor's first call loads it
    row["extract"] = timed(extract)[1:]
    row["extract_mb"] = sum(len(b) for _, b in sample) / 1e6
    row["extract_pages"] = len(sample)
    db = work / f"warc-{size:g}.db"
    # In a fresh process: its peak RSS is the import's, not this script's (the generator's
    # and the floors' buffers stay in this process's heap).
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:  # may have children
        row.update(pool.submit(import_twice, str(db), str(warc), jobs).result())
    row["digest"] = digest(db)
    warc.unlink()  # a 1 GB file need not stay while the next size is written
    return row


def import_twice(db: str, warc: str, jobs: int) -> dict[str, Any]:
    """The import, measured, then the rerun and verify (run in a process of its own)."""
    rt = Revtrack(db, create=True)
    with ProcessTree() as tree:
        summary, import_s, _ = timed(lambda: rt.import_archive("warc", [warc], jobs=jobs))
    # ru_maxrss: the peak of this process's whole life, its start-up included (KiB on Linux).
    rss_own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    again, again_s, _ = timed(lambda: rt.import_archive("warc", [warc], jobs=jobs))
    ok = rt.verify().ok
    rt.close()
    return {
        "summary": summary,
        "import_s": import_s,
        "cpu": tree.cpu,
        "rss_own": rss_own,
        "rss_others": tree.rss_others,
        "again": again,
        "again_s": again_s,
        "verify": ok,
    }


def print_mix(row: dict[str, Any]) -> None:
    mix = row["mix"]
    records: Counter[str] = mix["records"]
    total_records = sum(records.values())
    total_file = sum(mix["file"].values())
    total_bodies = sum(mix["bodies"].values())
    print(
        f"\n{row['size']:g} MB crawl: {total_records:,} records, {total_file / 1e6:.0f} MB "
        f"stored, {total_bodies / 1e6:.0f} MB of bodies\n"
    )
    print("| records | count | share of records | MB stored | share of the file | MB of bodies |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for kind in KINDS:
        print(
            f"| {kind} | {records[kind]:,} | {100 * records[kind] / total_records:.1f}% "
            f"| {mix['file'][kind] / 1e6:.1f} | {100 * mix['file'][kind] / total_file:.1f}% "
            f"| {mix['bodies'][kind] / 1e6:.1f} |"
        )


def print_rates(rows: list[dict[str, Any]], jobs: int) -> None:
    print(f"\njobs: {jobs} reader process(es) beside the writer; SQLite; {os.cpu_count()} CPUs\n")
    print(
        "| WARC | fastwarc alone | warcio alone | scan (fastwarc / warcio only) "
        "| extraction alone, 1 process | extraction-bound ceiling, "
        f"{jobs} processes |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        mb, mix = r["file_mb"], r["mix"]
        html_per_file_mb = mix["bodies"]["html"] / 1e6 / mb
        extract_rate = r["extract_mb"] / r["extract"][1]
        print(
            f"| {r['size']:g} MB | {mb / r['fastwarc'][0]:.0f} MB/s "
            f"| {mb / r['warcio'][0]:.0f} MB/s "
            f"| {mb / r['scan'][0]:.0f} / {mb / r['scan_warcio'][0]:.0f} MB/s "
            f"| {1000 * r['extract'][1] / r['extract_pages']:.1f} ms CPU a page = "
            f"{extract_rate:.1f} MB/s of HTML "
            f"| {jobs * extract_rate / html_per_file_mb:.0f} MB/s of the file |"
        )
    print()
    print(
        "| WARC | import wall | whole file | HTML records as stored | HTML bodies | revisions/s "
        "| CPU s (all processes) | file MB per CPU s | rerun | peak RSS writer "
        "| peak RSS others |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        s, mix, wall = r["summary"], r["mix"], r["import_s"]
        others = ", ".join(f"{b / 1e6:.0f}" for b in r["rss_others"][:4]) or "–"
        print(
            f"| {r['size']:g} MB | {wall:.1f} s | {r['file_mb'] / wall:.1f} MB/s "
            f"| {mix['file']['html'] / 1e6 / wall:.1f} MB/s "
            f"| {mix['bodies']['html'] / 1e6 / wall:.1f} MB/s "
            f"| {s['revisions'] / wall:.0f} | {r['cpu']:.1f} | {r['file_mb'] / r['cpu']:.1f} "
            f"| {r['again']['revisions']} new, {r['again_s']:.1f} s "
            f"| {r['rss_own'] / 1e6:.0f} MB | {others} MB |"
        )
    print()
    for r in rows:
        s = r["summary"]
        print(
            f"{r['size']:g} MB: {s['documents']} articles, {s['revisions']} revisions, "
            f"{s['corrections']} notes; left out {s['counts']}; problems {len(s['problems'])}; "
            f"verify {'OK' if r['verify'] else 'FAILED'}; digest {r['digest']}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, nargs="+", default=[100, 1000])
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--sample", type=int, default=60, help="pages timed for extraction alone")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    args = parser.parse_args()
    os.environ.setdefault("REVTRACK_ACTOR", "bench")
    work = Path(tempfile.mkdtemp(prefix="bench-warc-"))
    try:
        rows = [measure(work, size, args.jobs, args.sample) for size in args.mb]
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    for row in rows:
        print_mix(row)
    print_rates(rows, args.jobs)


if __name__ == "__main__":
    main()
