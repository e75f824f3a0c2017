"""`import --from warc` on generated WARC files: MB/s of records read with extraction on, memory.

Usage: python bench/bench_warc_import.py [--mb 50 100 …] [--jobs N] [--keep]

For each size, a gzip-per-record WARC of synthetic news pages (written by this script with
warcio: pages of about 60 KB with navigation, inline scripts and an article of a few hundred
words, each article captured several times with small edits between some captures, the same
payload again at others, plus revisits, images and 404s) is imported into a fresh SQLite
database by ``Revtrack.import_archive("warc", …)`` with reader processes. Measured in the
same run on the same file:

warcio        every record iterated and its HTTP body read, nothing else (the floor)
scan          revtrack's first pass (headers, canonical links, offsets)
extraction    ``from_response`` (trafilatura, as ``ingest URL``) on a sample of the pages, one
              process: what extraction alone costs per MB
import        the whole import (scan, reading by offset, extraction, analysis, storing)
memory        peak RSS of the importing process and of each reader process, sampled from
              /proc while the import runs, per size: flat means it does not grow with the file

MB are of the WARC file as stored (compressed) and of the HTTP bodies (uncompressed) both.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from revtrack import Revtrack
from revtrack.service.importers.base import ScanReport
from revtrack.service.importers.warc import WarcArchive
from revtrack.service.sources import from_response

WORDS = [
    "council",
    "ferry",
    "islands",
    "service",
    "repairs",
    "million",
    "officials",
    "said",
    "Tuesday",
    "residents",
    "harbour",
    "minister",
    "inspection",
    "hull",
    "winter",
    "businesses",
    "timetable",
    "meeting",
    "town",
    "hall",
    "passengers",
    "boat",
    "budget",
    "report",
    "vote",
    "members",
    "agency",
    "spokesman",
    "statement",
    "analysts",
    "expected",
    "growth",
    "quarter",
    "police",
    "court",
    "judge",
    "trial",
    "witness",
    "evidence",
    "hospital",
    "patients",
    "doctors",
    "schools",
    "teachers",
]


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(12, 28))]
    words[rng.randrange(len(words))] = f"{rng.randint(2, 900)}"
    return " ".join(words).capitalize() + "."


def page(url: str, title: str, paragraphs: list[str], rng: random.Random) -> bytes:
    nav = "".join(f'<li><a href="/section/{n}">Section {n}</a></li>' for n in range(60))
    script = "var t=" + ",".join(str(rng.randint(0, 99999)) for _ in range(5000)) + ";"
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>'
        f'<link rel="canonical" href="{url}"><script>{script}</script></head><body>'
        f"<header><nav><ul>{nav}</ul></nav></header><main><article><h1>{title}</h1>"
        f'<p class="byline">By Staff Reporter</p>{body}</article></main>'
        f"<footer>{'<p>Terms, privacy, contact, advertising.</p>' * 20}</footer></body></html>"
    ).encode()


def generate(path: Path, megabytes: float, seed: int = 7) -> dict[str, int]:
    """A WARC of about ``megabytes`` MB (compressed); returns what it holds."""
    rng = random.Random(seed)
    counts = {"pages": 0, "versions": 0, "revisits": 0, "images": 0, "errors": 0, "bodies": 0}
    when = datetime(2024, 1, 1)
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)

        def write(uri: str, body: bytes, status: str = "200 OK", ctype: str = "text/html") -> None:
            nonlocal when
            when += timedelta(seconds=rng.randint(30, 600))
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                uri,
                "response",
                payload=io.BytesIO(body),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": when.isoformat() + "Z"},
            )
            writer.write_record(record)
            record.raw_stream.close()
            counts["bodies"] += len(body)

        article = 0
        while handle.tell() < megabytes * 1e6:
            article += 1
            url = f"https://news.example/2024/story-{article}"
            title = f"Story number {article} about the {rng.choice(WORDS)}"
            paragraphs = [sentence(rng) + " " + sentence(rng) for _ in range(rng.randint(8, 20))]
            for _capture in range(rng.randint(3, 8)):
                roll = rng.random()
                if roll < 0.45 or counts["pages"] == 0:
                    i = rng.randrange(len(paragraphs))
                    paragraphs[i] = sentence(rng) + " " + sentence(rng)
                    counts["versions"] += 1
                body = page(url, title, paragraphs, rng)
                write(url + rng.choice(["", "?utm_source=feed", "?ref=home"]), body)
                counts["pages"] += 1
                if rng.random() < 0.15:
                    original = when
                    when += timedelta(minutes=5)
                    revisit = writer.create_revisit_record(
                        url,
                        digest=_sha1(body),
                        refers_to_uri=url,
                        refers_to_date=original.isoformat() + "Z",
                        warc_headers_dict={"WARC-Date": when.isoformat() + "Z"},
                    )
                    writer.write_record(revisit)
                    counts["revisits"] += 1
            if rng.random() < 0.5:
                write(
                    f"https://news.example/img/{article}.jpg", os.urandom(20000), ctype="image/jpeg"
                )
                counts["images"] += 1
            if rng.random() < 0.2:
                write(
                    f"https://news.example/missing/{article}", b"<html>gone</html>", "404 Not Found"
                )
                counts["errors"] += 1
    counts["articles"] = article
    return counts


def _sha1(body: bytes) -> str:
    import base64
    import hashlib

    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode()


class PeakRss:
    """Peak resident memory of this process and of each of its children, from /proc."""

    def __init__(self) -> None:
        self.own = 0
        self.children: dict[int, int] = {}
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _rss(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def _run(self) -> None:
        me = os.getpid()
        while not self.done.wait(0.05):
            self.own = max(self.own, self._rss(me))
            for entry in Path("/proc").iterdir():
                if not entry.name.isdigit():
                    continue
                try:
                    ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                if ppid == me:
                    pid = int(entry.name)
                    self.children[pid] = max(self.children.get(pid, 0), self._rss(pid))

    def __enter__(self) -> PeakRss:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.thread.join()


def read_all(path: Path) -> int:
    total = 0
    with path.open("rb") as handle:
        for record in ArchiveIterator(handle):
            total += len(record.content_stream().read())
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, nargs="+", default=[50, 100])
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--sample", type=int, default=60, help="pages timed for extraction alone")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("REVTRACK_ACTOR", "bench")
    work = Path(tempfile.mkdtemp(prefix="bench-warc-"))
    rows: list[dict[str, Any]] = []
    try:
        for size in args.mb:
            warc = work / f"crawl-{size:g}.warc.gz"
            start = time.perf_counter()
            shape = generate(warc, size)
            print(
                f"  generated {warc.name} in {time.perf_counter() - start:.1f} s", file=sys.stderr
            )
            file_mb = warc.stat().st_size / 1e6
            bodies_mb = shape["bodies"] / 1e6

            start = time.perf_counter()
            read_all(warc)
            warcio_s = time.perf_counter() - start

            start = time.perf_counter()
            WarcArchive((str(warc),)).scan(ScanReport())
            scan_s = time.perf_counter() - start

            sample = []
            with warc.open("rb") as handle:
                for record in ArchiveIterator(handle):
                    ctype = (
                        record.http_headers.get_header("Content-Type")
                        if record.http_headers
                        else ""
                    )
                    if record.rec_type == "response" and "html" in (ctype or ""):
                        sample.append(
                            (
                                record.rec_headers.get_header("WARC-Target-URI"),
                                record.content_stream().read(),
                            )
                        )
                    if len(sample) >= args.sample:
                        break
            from_response(
                sample[0][1],
                url=sample[0][0],
                content_type="text/html",
                source="x",
                max_bytes=10**8,
            )
            start = time.perf_counter()
            for uri, body in sample:
                from_response(body, url=uri, content_type="text/html", source=uri, max_bytes=10**8)
            extract_s = time.perf_counter() - start
            extract_mb = sum(len(b) for _, b in sample) / 1e6

            rt = Revtrack(str(work / f"warc-{size:g}.db"), create=True)
            with PeakRss() as rss:
                start = time.perf_counter()
                summary = rt.import_archive("warc", [str(warc)], jobs=args.jobs)
                import_s = time.perf_counter() - start
            again_start = time.perf_counter()
            again = rt.import_archive("warc", [str(warc)], jobs=args.jobs)
            again_s = time.perf_counter() - again_start
            report = rt.verify()
            rt.close()
            rows.append(
                {
                    "size": size,
                    "file_mb": file_mb,
                    "bodies_mb": bodies_mb,
                    "shape": shape,
                    "warcio_s": warcio_s,
                    "scan_s": scan_s,
                    "extract_rate": extract_mb / extract_s,
                    "extract_ms": extract_s / len(sample) * 1000,
                    "import_s": import_s,
                    "summary": summary,
                    "again": again,
                    "again_s": again_s,
                    "verify": report.ok,
                    "rss_own": rss.own,
                    "rss_readers": sorted(rss.children.values()),
                }
            )
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"jobs: {args.jobs} reader process(es) beside the writer; SQLite; {os.cpu_count()} CPUs")
    print()
    print(
        "| WARC | file MB | bodies MB | warcio alone | revtrack scan | import (extraction on) "
        "| revisions/s | rerun | peak RSS writer | peak RSS readers |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        s = r["summary"]
        readers = ", ".join(f"{b / 1e6:.0f}" for b in r["rss_readers"]) or "–"
        print(
            f"| {r['size']:g} MB: {r['shape']['pages']} pages of {r['shape']['articles']} articles "
            f"| {r['file_mb']:.0f} | {r['bodies_mb']:.0f} "
            f"| {r['file_mb'] / r['warcio_s']:.0f} MB/s "
            f"({r['bodies_mb'] / r['warcio_s']:.0f} of bodies) "
            f"| {r['file_mb'] / r['scan_s']:.0f} MB/s "
            f"| {r['file_mb'] / r['import_s']:.1f} MB/s "
            f"({r['bodies_mb'] / r['import_s']:.1f} of bodies), "
            f"{r['import_s']:.1f} s "
            f"| {s['revisions'] / r['import_s']:.0f} "
            f"| {r['again']['revisions']} new, {r['again_s']:.1f} s "
            f"| {r['rss_own'] / 1e6:.0f} MB | {readers} MB |"
        )
    print()
    for r in rows:
        s = r["summary"]
        print(
            f"{r['size']:g} MB: {s['documents']} articles, {s['revisions']} revisions, "
            f"{s['corrections']} notes; left out {s['counts']}; problems {len(s['problems'])}; "
            f"verify {'OK' if r['verify'] else 'FAILED'}; extraction alone "
            f"{r['extract_ms']:.1f} ms/page = {r['extract_rate']:.1f} MB/s of bodies in one process"
        )


if __name__ == "__main__":
    main()
