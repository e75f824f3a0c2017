"""Fetch-pass throughput and due-selection cost of `revtrack fetch --due`, on 127.0.0.1.

Usage: python bench/bench_watch.py [--pages N] [--workers W] [--due-rows M] [--db URL]
                                   [--keep DIR] [--pad KB] [--passes N] [--statements]
       python bench/bench_watch.py --compare [--backends sqlite,postgres] [--raw on,off]
                                   [--pg URL] [--pages N] [--passes N] [--pad KB]

``--compare`` runs the same passes once per backend and per raw-page setting (kept or not:
:attr:`Config.keep_pages`), each on a fresh database (a new schema on ``--pg``), in one run,
and prints for each pass the pages/s and the CPU per page of this process and of the
PostgreSQL server processes serving its connections (read from /proc), as ratios to the
first setting: wall times are noise on a shared machine, CPU per page much less so.
``--pad KB`` puts that much of an outlet's menus and scripts around each story (the same in
every version), so the kept pages weigh what real ones do (~55 KB).

A child process serves N article pages (default 10,000) on 127.0.0.1 with ETags (a
ThreadingHTTPServer, HTTP/1.1 keep-alive; each page ~3 KB of HTML around five paragraphs),
so the server's CPU is not counted in the fetcher's process, though both share the 2 cores.
The N pages are watched in one database (one host, its rule set to W at once and no spacing)
and passes are run through :meth:`Watcher.run_pass` with W concurrent fetches (default 16),
exactly what `revtrack fetch --due --workers W` does once the schedule says all is due (the
bench moves the watcher's clock forward a day between passes instead of waiting):

first       every page new: extraction, analysis and a v1 each (not a goal; for scale)
304         nothing changed, the server answers the conditional request with 304
same bytes  nothing changed, the server ignores conditional requests (no ETag): 200 with the
            same body, recognised by its hash without extraction
10% changed one page in ten has a new paragraph (a second revision each), the rest 304

Due selection: M watched URLs (default 100,000) in a fresh database, 10% of them due, spread
over 200 hosts; the time of one claim (the transaction that picks and claims the next batch
of W*2... the batch a pass asks for, W rows) is measured 30 times, plus the due count.

Peak RSS of this process is printed after each pass (memory stays flat or not).
"""

from __future__ import annotations

import argparse
import collections
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

PARAS = [
    "PORT ALDER — The harbor council voted 5-2 on Tuesday to open a ferry route linking the town "
    "with the outer islands, ending a decade of debate over how residents reach the mainland.",
    "The new service will run three round trips a day from the old cannery pier, starting in May, "
    "and will cut the crossing from 90 minutes to about 40, council members said.",
    '"People on the islands have waited long enough," said council member Ruth Okafor, who '
    "proposed the route. Two members voted against it, citing the cost of a new dock.",
    "The council will meet again next month to choose an operator from three bids, and the "
    "state transport board must still approve the dock's design before work can begin.",
    "Residents can comment on the plan at the library until the end of the month, the clerk said.",
]


PAD = [""]  # --pad: markup around the story, the same in every version (set in the server)


def padding(kb: int) -> str:
    """About ``kb`` KB of what an outlet's page carries besides the story: a menu of links and
    an inline script, identical from one fetch to the next."""
    if kb <= 0:
        return ""
    links = "".join(f'<li><a href="/section/{i}">Section {i} news</a></li>' for i in range(40))
    script = "<script>window.dataLayer=[" + ",".join(f'{{"k{i}":"v{i}"}}' for i in range(60))
    block = f"<ul class=menu>{links}</ul>{script}];</script>"
    return block * max(1, round(kb * 1024 / len(block)))


def page_html(n: int, generation: int) -> bytes:
    extra = ""
    if generation and n % 10 == 0:
        extra = f"<p>Update {generation}: the council added a fourth daily trip for story {n}.</p>"
    body = "".join(f"<p>{p} (Story {n}.)</p>" for p in PARAS)
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>Story {n} | Gazette</title>'
        f'</head><body><nav><a href="/">Home</a> | <a href="/news">News</a></nav>{PAD[0]}'
        f"<article><h1>Story number {n} on the ferry</h1>{body}{extra}</article>"
        "<footer>Copyright The Gazette. Subscribe now!</footer></body></html>"
    ).encode()


def serve(port_out: multiprocessing.Queue, pages: int, pad_kb: int = 0) -> None:  # type: ignore[type-arg]
    import hashlib
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    PAD[0] = padding(pad_kb)
    state = {"generation": 0, "etag": True}
    cache: dict[tuple[int, int], tuple[bytes, str]] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            if self.path.startswith("/_set?"):
                for part in self.path.split("?", 1)[1].split("&"):
                    key, _, value = part.partition("=")
                    state[key] = int(value)
                self._send(200, b"ok", "text/plain")
                return
            if not self.path.startswith("/news/"):
                self._send(404, b"not found", "text/plain")
                return
            n = int(self.path.rsplit("-", 1)[1])
            gen = state["generation"] if n % 10 == 0 else 0
            found = cache.get((n, gen))
            if found is None:
                body = page_html(n, gen)
                found = cache[(n, gen)] = (body, f'"{hashlib.md5(body).hexdigest()[:16]}"')
            body, tag = found
            if state["etag"] and self.headers.get("If-None-Match") == tag:
                self.send_response(304)
                self.send_header("ETag", tag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self._send(200, body, "text/html; charset=utf-8", tag if state["etag"] else None)

        def _send(self, status: int, body: bytes, ctype: str, tag: str | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            if tag:
                self.send_header("ETag", tag)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.request_queue_size = 256
    port_out.put(httpd.server_address[1])
    httpd.serve_forever()


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def control(base: str, **values: int) -> None:
    import httpx

    query = "&".join(f"{k}={v}" for k, v in values.items())
    httpx.get(f"{base}/_set?{query}").raise_for_status()


def bulk_watch(rt: object, urls: list[str], at: datetime, *, spread: int = 0) -> None:
    """Watches added in one transaction of batched inserts (setup only: `watch add` makes one
    at a time, with an event each). ``spread``: due times spread over that many minutes, a
    tenth of them already due."""
    from revtrack.service.watch.urls import canonical
    from revtrack.store.models import Watch, WatchHost, WatchUrl

    store = rt.store  # type: ignore[attr-defined]
    hosts: dict[str, dict[str, object]] = {}
    watches: list[dict[str, object]] = []
    idents: list[dict[str, object]] = []
    for i, url in enumerate(urls, start=1):
        target = canonical(url)
        hosts.setdefault(
            target.host,
            {
                "host": target.host,
                "concurrency": 16,
                "delay_ms": 0,
                "skip": [],
                "include": [],
                "remove": [],
                "robots": True,
            },
        )
        due = at if not spread else at + timedelta(minutes=(i * 7919) % spread - spread // 10)
        watches.append(
            {
                "id": i,
                "url": target.url,
                "host": target.host,
                "kind": "page",
                "pattern": "",
                "state": "active",
                "every_s": None,
                "until_s": 30 * 86400,
                "born_at": at,
                "added_at": at,
                "next_at": due,
                "claimed_by": "",
                "last_result": "",
                "last_error": "",
                "recent_changes": [],
                "change_count": 0,
                "fetch_count": 0,
                "fails": 0,
            }
        )
        idents.append({"ident": target.ident, "watch_id": i})
    with store.write() as tx:
        tx.session.execute(WatchHost.__table__.insert(), list(hosts.values()))
        for chunk in range(0, len(watches), 5000):
            tx.session.execute(Watch.__table__.insert(), watches[chunk : chunk + 5000])
            tx.session.execute(WatchUrl.__table__.insert(), idents[chunk : chunk + 5000])


STEPS = [
    ("first (all new)", {}),
    ("unchanged, 304", {}),
    ("10% changed (rest 304)", {"generation": 1}),
    ("unchanged, 304 again", {}),
    ("unchanged, same bytes (no ETag)", {"etag": 0}),
    ("10% changed, no ETag", {"generation": 2}),
]


@dataclass
class PassResult:
    """One pass: wall time, and CPU seconds of this process, of the page server and of the
    PostgreSQL server processes serving this process's connections (0 on SQLite)."""

    label: str
    pages: int
    wall: float
    cpu: float
    server_cpu: float
    db_cpu: float
    statements: int
    counts: dict[str, int]

    def per_page_ms(self, seconds: float) -> float:
        return 1000 * seconds / max(self.pages, 1)


def proc_cpu(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` (Linux /proc), 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class DbMeter:
    """Counts the statements this process sends and finds the PostgreSQL backends that run
    them (``pg_backend_pid()`` of each pooled connection), whose CPU is read from /proc."""

    def __init__(self, engine: object) -> None:
        from sqlalchemy import event

        self.statements = 0
        self.texts: collections.Counter[str] = collections.Counter()
        self.backends: set[int] = set()
        self.postgres = engine.dialect.name == "postgresql"  # type: ignore[attr-defined]
        event.listen(engine, "before_cursor_execute", self._count)
        if self.postgres:
            event.listen(engine, "connect", self._connected)
            engine.dispose()  # type: ignore[attr-defined]  (connections made from now on are seen)

    def _count(self, conn: object, cursor: object, statement: str, *args: object) -> None:
        self.statements += 1
        self.texts[" ".join(statement.split())[:110]] += 1

    def _connected(self, dbapi_connection: object, record: object) -> None:
        cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
        cursor.execute("SELECT pg_backend_pid()")
        self.backends.add(int(cursor.fetchone()[0]))
        cursor.close()

    def cpu(self) -> float:
        return sum(proc_cpu(pid) for pid in self.backends)


def passes(
    args: argparse.Namespace, db: str, *, keep_pages: bool = True, tag: str = ""
) -> list[PassResult]:
    from revtrack import Revtrack
    from revtrack.service.watch.service import Config

    queue: multiprocessing.Queue[int] = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(queue, args.pages, args.pad), daemon=True)
    server.start()
    port = queue.get(timeout=30)
    base = f"http://127.0.0.1:{port}"
    moment = [datetime(2024, 6, 4, 10, 0)]
    results = []
    try:
        rt = Revtrack(db, create=True)
        meter = DbMeter(rt.store.engine)
        watcher = rt.watcher(
            clock=lambda: moment[0],
            config=Config(
                host_concurrency=args.workers,
                host_delay_ms=0,
                contact="bench",
                keep_pages=keep_pages,
            ),
        )
        bulk_watch(rt, [f"{base}/news/story-{n}" for n in range(args.pages)], moment[0])
        watcher.set_host(f"127.0.0.1:{port}", concurrency=args.workers, delay=0, robots=True)
        for label, settings in STEPS[: args.passes]:
            if settings:
                control(base, **settings)
            moment[0] += timedelta(days=1)
            before = (time.process_time(), proc_cpu(server.pid or 0), meter.cpu())
            statements = meter.statements
            meter.texts.clear()
            started = time.perf_counter()
            summary = watcher.run_pass(workers=args.workers)
            seconds = time.perf_counter() - started
            after = (time.process_time(), proc_cpu(server.pid or 0), meter.cpu())
            result = PassResult(
                label,
                summary.fetched,
                seconds,
                after[0] - before[0],
                after[1] - before[1],
                after[2] - before[2],
                meter.statements - statements,
                dict(summary.counts),
            )
            results.append(result)
            print(
                f"{tag}{label:32s} {result.pages:6d} pages {seconds:6.1f} s "
                f"{result.pages / seconds:6.1f} pages/s  CPU/page: ours "
                f"{result.per_page_ms(result.cpu):.2f} ms, db "
                f"{result.per_page_ms(result.db_cpu):.2f} ms, http server "
                f"{result.per_page_ms(result.server_cpu):.2f} ms; "
                f"{result.statements / max(result.pages, 1):.1f} statements/page  "
                f"RSS {rss_mb():.0f} MB  {result.counts}",
                flush=True,
            )
            if args.statements:
                for text, count in meter.texts.most_common(12):
                    print(f"    {count / max(result.pages, 1):6.2f}/page  {text}")
        rt.close()
    finally:
        server.terminate()
    return results


@contextmanager
def database(kind: str, folder: Path, name: str, pg: str) -> Iterator[str]:
    """A fresh database: a SQLite file in ``folder``, or a new schema on the PostgreSQL
    server ``pg`` (dropped afterwards)."""
    if kind == "sqlite":
        yield str(folder / f"{name}.db")
        return
    import uuid

    import psycopg

    schema = f"bench_{name}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{pg}{'&' if '?' in pg else '?'}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(pg, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def compare(args: argparse.Namespace, folder: Path) -> None:
    """Every backend of ``--backends`` with pages kept and not (``--raw``), same passes, one
    run; then CPU per page and pages/s side by side, as ratios to the first configuration."""
    runs: dict[tuple[str, str], list[PassResult]] = {}
    # First a few pages through every path, unmeasured: the first setting must not pay the
    # imports and warm-ups (trafilatura's, the engines', the statements') the others skip.
    warm = argparse.Namespace(**{**vars(args), "pages": 40, "statements": False})
    for kind in dict.fromkeys(args.backends.split(",")):
        with database(kind, folder, f"warm_{kind}", args.pg) as url:
            passes(warm, url, tag="(warm-up) ")
    for kind in args.backends.split(","):
        for raw in args.raw.split(","):
            with database(kind, folder, f"{kind}_{raw}", args.pg) as url:
                print(f"-- {kind}, pages kept: {raw}", flush=True)
                runs[(kind, raw)] = passes(
                    args, url, keep_pages=raw == "on", tag=f"{kind[:2]} {raw:3s} "
                )
    first = next(iter(runs))
    print(f"\nratios against {first[0]}, pages kept {first[1]} (CPU: ours + database server)")
    for index, (label, _) in enumerate(STEPS[: args.passes]):
        base = runs[first][index]
        base_cpu = (base.cpu + base.db_cpu) / max(base.pages, 1)
        for (kind, raw), results in runs.items():
            r = results[index]
            cpu = (r.cpu + r.db_cpu) / max(r.pages, 1)
            print(
                f"{label:32s} {kind:10s} kept {raw:3s}: {r.pages / r.wall:6.1f} pages/s "
                f"(x{(r.pages / r.wall) / (base.pages / base.wall):.2f}), CPU "
                f"{1000 * r.cpu / max(r.pages, 1):.2f} + {1000 * r.db_cpu / max(r.pages, 1):.2f}"
                f" ms/page (x{cpu / base_cpu:.2f}), {r.statements / max(r.pages, 1):.1f} "
                "statements/page"
            )


def due_selection(args: argparse.Namespace, db: str) -> tuple[list[float], float, int]:
    from revtrack import Revtrack
    from revtrack.store.watch import WatchRows

    at = datetime(2024, 6, 4, 10, 0)
    rt = Revtrack(db, create=True)
    urls = [f"https://host{n % 200}.example/news/story-{n}" for n in range(args.due_rows)]
    started = time.perf_counter()
    bulk_watch(rt, urls, at, spread=600)
    print(f"added {len(urls):,} watches in {time.perf_counter() - started:.1f} s", flush=True)
    claims: list[float] = []
    for i in range(30):
        t0 = time.perf_counter()
        with rt.store.write() as tx:
            got = WatchRows(tx).claim(
                now=at,
                limit=args.workers,
                ttl=timedelta(minutes=5),
                horizon=timedelta(seconds=5),
                token=f"bench{i}",
                worker="bench",
            )
        claims.append((time.perf_counter() - t0) * 1000)
        assert got, "nothing was due"
    t0 = time.perf_counter()
    with rt.store.read() as tx:
        due = WatchRows(tx).due_count(at)
    count_ms = (time.perf_counter() - t0) * 1000
    rt.close()
    return claims, count_ms, due


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--due-rows", type=int, default=100_000)
    parser.add_argument("--db", help="a PostgreSQL URL (default: SQLite files in a temp dir)")
    parser.add_argument("--keep", help="keep the SQLite files in this directory")
    parser.add_argument("--skip-passes", action="store_true", help="only the due selection")
    parser.add_argument(
        "--pad", type=int, default=0, metavar="KB", help="KB of menus and scripts around each story"
    )
    parser.add_argument(
        "--statements", action="store_true", help="the statements each pass sent, most first"
    )
    parser.add_argument("--passes", type=int, default=len(STEPS), help="the first N passes")
    parser.add_argument(
        "--compare",
        action="store_true",
        help="run the passes for every --backends and --raw setting in one run, fresh "
        "databases each, and print the ratios (no due selection)",
    )
    parser.add_argument("--backends", default="sqlite", help="with --compare: sqlite,postgres")
    parser.add_argument("--raw", default="on,off", help="with --compare: pages kept on,off")
    parser.add_argument(
        "--pg",
        default="postgresql://postgres@127.0.0.1:5432/test",
        help="with --compare: the PostgreSQL server (a fresh schema per run)",
    )
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-watch-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"pages={args.pages} workers={args.workers} due-rows={args.due_rows} pid={os.getpid()}")
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    if args.compare:
        compare(args, folder)
        print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        return
    if not args.skip_passes:
        passes(args, args.db or str(folder / "passes.db"))
    if args.db:
        from revtrack import Revtrack

        with Revtrack(args.db, create=True) as rt, rt.store.write() as tx:  # start afresh
            from sqlalchemy import text

            for table in ("watch_urls", "watches", "watch_hosts"):
                tx.session.execute(text(f"DELETE FROM {table}"))
    claims, count_ms, due = due_selection(args, args.db or str(folder / "due.db"))
    print(
        f"due selection over {args.due_rows:,} watches ({due:,} due): claim of {args.workers} "
        f"p50 {statistics.median(claims):.1f} ms, max {max(claims):.1f} ms; due count "
        f"{count_ms:.1f} ms"
    )


if __name__ == "__main__":
    main()
