"""The web UI's speed at scale: p99 of its pages over HTTP, and requests/s under load.

Usage: python bench/bench_web.py [--articles N] [--revisions N] [--base N] [--db PATH]
           [--requests N] [--seconds S] [--clients N] [--threads N] [--processes N] [--out FILE]

It builds once (and then reuses, from ``--db`` or /tmp/revtrack-bench-web/) a SQLite database
of ``--articles`` articles holding about ``--revisions`` revisions: ``--base`` articles through
the bulk import (``Revtrack.import_directory``; generated texts of 1.5-3 KB edited a few words
at a time, ten outlets) and two made for the measures, ``bench/timeline100`` (100 revisions)
and ``bench/diff10k`` (21 revisions of ~10 KB); then the generated articles are copied in SQL,
under new keys and headlines, up to ``--articles`` (:func:`multiply`: minutes, where the
import would take hours; ``revtrack verify`` fails on the copies, whose hashes are copied).
Then it starts ``revtrack serve --server waitress --no-cache`` (one process) as a child and
measures, one request at a time over HTTP (a keep-alive connection):

    static   /static/style.css: the floor of the server and HTTP stack (the baseline)
    list     /?q=WORD, /api/articles?q=SUB&after=KEY&limit=50, /?after=KEY (search + paging)
    timeline /a/bench/timeline100 (the timeline of 100 revisions)
    diff     /a/bench/diff10k/-/diff/vI..vJ, each pair once (cold: no cached diff)

printing p50/p99/max in ms, each p50 as a ratio to the static floor of the same run, and the
server's CPU per request (from /proc). Then a second process (this script with ``--load``) runs
``--clients`` threads, each with its own keep-alive connection, for ``--seconds`` seconds
against ``serve --server waitress --processes N``: the style sheet alone (the baseline), a mix
of those pages with ``--no-cache``, and the mix against a server that keeps answers until the
next write (the default); it reports requests/s, every response that was not a 200, and the
servers' CPU per request. Goals (issue #13): list p99 <= 50 ms, timeline p99 <= 30 ms, diff
p99 <= 60 ms, >= 300 requests/s with zero errors.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
OUTLETS = [f"outlet{n}" for n in range(10)]
SYLLABLES = [
    "ka",
    "ri",
    "to",
    "mo",
    "na",
    "se",
    "lu",
    "pe",
    "vi",
    "da",
    "ho",
    "ne",
    "sa",
    "fo",
    "gi",
    "ru",
    "be",
    "la",
    "mi",
    "zo",
    "ta",
    "ke",
    "po",
]
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
CACHE = Path(tempfile.gettempdir()) / "revtrack-bench-web"  # built once, reused


def vocabulary(rng: random.Random, size: int = 3000) -> list[str]:
    words = {"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4))) for _ in range(size)}
    return sorted(words)


class Texts:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.vocab = vocabulary(self.rng)

    def sentence(self) -> str:
        words = [self.rng.choice(self.vocab) for _ in range(self.rng.randint(8, 20))]
        if self.rng.random() < 0.3:
            words.insert(
                self.rng.randrange(len(words)),
                f"${self.rng.randint(1, 99)}.{self.rng.randint(0, 9)}",
            )
        return " ".join(words).capitalize() + "."

    def story(self, chars: int) -> str:
        paras, size = [], 0
        while size < chars:
            para = " ".join(self.sentence() for _ in range(self.rng.randint(2, 5)))
            paras.append(para)
            size += len(para) + 2
        return "\n\n".join(paras)

    def edit(self, text: str) -> str:
        words = text.split(" ")
        for _ in range(self.rng.randint(1, 4)):
            i = self.rng.randrange(len(words))
            words[i] = self.rng.choice(self.vocab)
        if self.rng.random() < 0.1:
            words.insert(self.rng.randrange(len(words)), self.sentence())
        return " ".join(words)

    def title(self) -> str:
        return " ".join(self.rng.choice(self.vocab) for _ in range(6)).title()


def write_doc(folder: Path, versions: list[str], title: str, start: datetime) -> None:
    folder.mkdir(parents=True)
    meta: dict[str, object] = {"title": title, "versions": []}
    for n, text in enumerate(versions, start=1):
        (folder / f"v{n:03d}.txt").write_text(text, encoding="utf-8")
        stamp = (start + timedelta(minutes=10 * n)).strftime("%Y-%m-%dT%H:%M:%SZ")
        meta["versions"].append({"version": n, "timestamp": stamp})  # type: ignore[attr-defined]
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")


def build(db: Path, articles: int, revisions: int, jobs: int, base: int) -> dict[str, float]:
    """The database: ``base`` generated articles (and the two measured ones) through the
    bulk import, then copied in SQL (:func:`multiply`) up to ``articles``.

    The import analyses every revision (diffs, statistics, notes): ~100-600 revisions/s on
    these cores, so 1 M revisions that way take hours; copying rows takes a minute or two.
    """
    from revtrack import Revtrack

    texts = Texts(13)
    rt = Revtrack(str(db), create=True)
    work = Path(tempfile.mkdtemp(prefix="bench_web_"))
    started = time.perf_counter()
    try:
        special = work / "special"
        timeline = [texts.story(2500)]
        for _ in range(99):
            timeline.append(texts.edit(timeline[-1]))
        write_doc(special / "bench" / "timeline100", timeline, "A story of 100 revisions", EPOCH)
        big = [texts.story(10_000)]
        for _ in range(20):
            big.append(texts.edit(big[-1]))
        write_doc(special / "bench" / "diff10k", big, "A story of 10 KB", EPOCH)
        rt.import_directory(str(special), jobs=jobs)
        # the copies keep each base article's revision count, so the base has the mean of all
        per = max(1, round((revisions - 121) / max(1, articles - 2)))
        made = n = 0
        chunk = work / "chunk"
        while n < min(base, articles - 2):
            count = 0
            while count < 10_000 and n < min(base, articles - 2):
                versions = [texts.story(texts.rng.randint(1500, 3000))]
                for _ in range(texts.rng.randint(max(1, per - 4), per + 4) - 1):
                    versions.append(texts.edit(versions[-1]))
                outlet = OUTLETS[n % len(OUTLETS)]
                at = EPOCH + timedelta(minutes=n)
                write_doc(chunk / outlet / f"doc{n:07d}", versions, texts.title(), at)
                made += len(versions)
                count += len(versions)
                n += 1
            rt.import_directory(str(chunk), jobs=jobs)
            shutil.rmtree(chunk)
            rate = (made + 121) / (time.perf_counter() - started)
            print(
                f"  imported {n + 2:,} articles, {made + 121:,} revisions ({rate:.0f}/s)",
                flush=True,
            )
    finally:
        rt.close()
        shutil.rmtree(work, ignore_errors=True)
    imported = time.perf_counter() - started
    copied = time.perf_counter()
    multiply(db, articles, texts)
    a, r = counts(db)
    now = time.perf_counter()
    print(f"  copied up to {a:,} articles, {r:,} revisions in {now - copied:.0f} s", flush=True)
    return {"seconds": now - started, "import_seconds": imported, "copy_seconds": now - copied}


def multiply(db: Path, target: int, texts: Texts) -> None:
    """Copy the generated articles, in SQL, until the database holds ``target`` articles.

    Each round copies every generated article (not the two measured ones) with all its rows:
    the article under a new key (the next ``doc`` number of its outlet) and a new headline,
    its revisions (every column; the headline the copy's), their stored texts (keyframes and
    deltas as they are), its event chain, events and head, ids shifted past the newest. So
    the list, its search and its paging see ``target`` distinct articles, and every page of
    a copy renders as its original's does. The hashes are copied, not re-derived: the
    copies' seals and chains do not match their new keys and ids, so ``revtrack verify``
    fails on this database (reading never checks them). The article search index follows
    the article rows by itself (the triggers of migration 0007).
    """
    import sqlite3

    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")  # a benchmark's scratch file: a crash rebuilds it
    conn.execute("PRAGMA cache_size = -200000")
    rows = conn.execute(
        "SELECT a.id, a.outlet, c.id FROM articles AS a JOIN event_chains AS c ON c.name = a.key"
        " WHERE a.key NOT LIKE 'bench/%' ORDER BY a.id"
    ).fetchall()
    (notes,) = conn.execute("SELECT count(*) FROM corrections").fetchone()
    assert notes == 0, "the generated stories carry no correction notes to copy"
    low_a = min(r[0] for r in rows)
    low_c = min(r[2] for r in rows)
    (low_r,) = conn.execute(
        "SELECT min(id) FROM revisions WHERE article_id >= ?", (low_a,)
    ).fetchone()
    (low_e,) = conn.execute("SELECT min(id) FROM events WHERE chain_id >= ?", (low_c,)).fetchone()
    columns = {
        "revisions": [r[1] for r in conn.execute("PRAGMA table_info(revisions)")],
        "events": [r[1] for r in conn.execute("PRAGMA table_info(events)")],
        "heads": [r[1] for r in conn.execute("PRAGMA table_info(heads)")],
    }
    shifted = {
        "revisions": {
            "id": "t.id + :r",
            "article_id": "t.article_id + :a",
            "revert_of_id": "t.revert_of_id + :r",
            "title": "n.title",
        },
        "events": {
            "id": "t.id + :e",
            "chain_id": "t.chain_id + :c",
            "article_id": "t.article_id + :a",
            "revision_id": "t.revision_id + :r",
        },
        "heads": {"chain_id": "t.chain_id + :c"},
    }

    def copy(table: str, join: str) -> str:
        cols = columns[table]
        picked = ", ".join(shifted[table].get(c, f"t.{c}") for c in cols)
        return (
            f"INSERT INTO {table} ({', '.join(cols)}) SELECT {picked} FROM {table} AS t"
            f" JOIN names AS n ON {join} ORDER BY 1"
        )

    next_doc: dict[str, int] = {}
    for (key,) in conn.execute("SELECT key FROM articles WHERE key NOT LIKE 'bench/%'"):
        outlet, _, doc = key.partition("/doc")
        next_doc[outlet] = max(next_doc.get(outlet, 0), int(doc) + 1)
    conn.execute(
        "CREATE TEMP TABLE names (old_id INTEGER PRIMARY KEY, chain_id INTEGER, key TEXT,"
        " title TEXT)"
    )
    while True:
        (have,) = conn.execute("SELECT count(*) FROM articles").fetchone()
        if have >= target:
            break
        batch = rows[: target - have]
        names = []
        for old_id, outlet, chain in batch:
            number = next_doc[outlet] = next_doc[outlet] + 1
            names.append((old_id, chain, f"{outlet}/doc{number - 1:07d}", texts.title()))
        a, r, e, c = conn.execute(
            "SELECT (SELECT max(id) FROM articles), (SELECT max(id) FROM revisions),"
            " (SELECT max(id) FROM events), (SELECT max(id) FROM event_chains)"
        ).fetchone()
        shift = {"a": a - low_a + 1, "r": r - low_r + 1, "e": e - low_e + 1, "c": c - low_c + 1}
        conn.execute("BEGIN")
        conn.execute("DELETE FROM names")
        conn.executemany("INSERT INTO names VALUES (?, ?, ?, ?)", names)
        conn.execute(
            "INSERT INTO articles (id, key, url, outlet, title, created_at)"
            " SELECT t.id + :a, n.key, t.url, t.outlet, n.title, t.created_at"
            " FROM articles AS t JOIN names AS n ON n.old_id = t.id ORDER BY 1",
            shift,
        )
        conn.execute(
            "INSERT INTO event_chains (id, name) SELECT t.id + :c, n.key"
            " FROM event_chains AS t JOIN names AS n ON n.chain_id = t.id ORDER BY 1",
            shift,
        )
        conn.execute(copy("revisions", "n.old_id = t.article_id"), shift)
        conn.execute(
            "INSERT INTO revision_texts (revision_id, codec, base_revision_id, data)"
            " SELECT t.revision_id + :r, t.codec, t.base_revision_id + :r, t.data"
            " FROM revision_texts AS t JOIN revisions AS v ON v.id = t.revision_id"
            " JOIN names AS n ON n.old_id = v.article_id ORDER BY 1",
            shift,
        )
        conn.execute(copy("events", "n.chain_id = t.chain_id"), shift)
        conn.execute(copy("heads", "n.chain_id = t.chain_id"), shift)
        conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def counts(db: Path) -> tuple[int, int]:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        a = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        r = conn.execute("SELECT count(*) FROM revisions").fetchone()[0]
        return int(a), int(r)
    finally:
        conn.close()


def start_server(
    db: Path, threads: int, cache: bool, processes: int = 1
) -> tuple[subprocess.Popen[str], str]:
    revtrack = Path(sys.executable).with_name("revtrack")
    cmd = [str(revtrack), "--db", str(db), "serve", "--server", "waitress", "--port", "0"]
    cmd += ["--threads", str(threads), "--processes", str(processes)]
    cmd += [] if cache else ["--no-cache"]
    # The server's log (waitress warns of its queue depth under load) goes to a file: a pipe
    # nobody reads fills up and stalls the server's threads on their next write.
    log = open(Path(tempfile.gettempdir()) / "bench_web_server.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if "Serving" not in line:
        proc.kill()
        raise SystemExit(f"the server did not start: {line}{proc.stdout.read()}")
    return proc, line.strip().rsplit(" ", 1)[-1].rstrip("/")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its child processes so far (Linux /proc): robust
    to a busy machine, where wall times stretch with every other job's share of the cores.
    With ``--processes`` the servers are the children of the one started."""
    total = 0.0
    for one in [pid, *children(pid)]:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(c) for c in task.read_text().split()]
    return found


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def timed(client: httpx.Client, urls: list[str]) -> list[float]:
    out = []
    for url in urls:
        start = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - start
        if response.status_code != 200:
            raise SystemExit(f"{url}: {response.status_code} {response.text[:200]}")
        out.append(elapsed * 1e3)
    return out


def search_words(base: str, client: httpx.Client, rng: random.Random) -> list[str]:
    """Words from real headlines, so searches find something (and some find many)."""
    page = client.get(f"{base}/api/articles?limit=200&after={cursor(rng, 10_000)}").json()
    words = [w.lower() for a in page["articles"] for w in (a["title"] or "").split()]
    return sorted(set(words))[:200] or ["bench"]


def cursor(rng: random.Random, total_articles: int) -> str:
    """A key to page from (pages are found by key: ``after=``), anywhere in the list."""
    per_outlet = max(1, total_articles // len(OUTLETS))
    return f"{rng.choice(OUTLETS)}/doc{rng.randrange(per_outlet):07d}"


def mixed_urls(base: str, words: list[str], total_articles: int, rng: random.Random) -> list[str]:
    urls = []
    for _ in range(400):
        roll = rng.random()
        if roll < 0.25:
            urls.append(f"{base}/?q={rng.choice(words)}")
        elif roll < 0.4:
            urls.append(f"{base}/?after={cursor(rng, total_articles)}")
        elif roll < 0.55:
            after = cursor(rng, total_articles)
            urls.append(f"{base}/api/articles?q={rng.choice(words)[:3]}&after={after}&limit=50")
        elif roll < 0.75:
            urls.append(f"{base}/a/bench/timeline100")
        elif roll < 0.95:
            i = rng.randint(1, 20)
            urls.append(f"{base}/a/bench/diff10k/-/diff/v{i}..v{i + 1}")
        else:
            urls.append(f"{base}/a/bench/timeline100/-/feed/revisions")
    return urls


def load_client(
    base: str, seconds: float, clients: int, seed: int, total: int, static: bool
) -> dict[str, object]:
    """Run by the second process: ``clients`` threads, each its own connection, for a while;
    ``static``: the baseline, the style sheet only (waitress + Flask + HTTP, no revtrack)."""
    rng = random.Random(seed)
    if static:
        urls = [f"{base}/static/style.css"]
    else:
        with httpx.Client(timeout=30) as probe:
            words = search_words(base, probe, rng)
        urls = mixed_urls(base, words, total, rng)
    done = [0] * clients
    errors: list[str] = []
    stop = time.perf_counter() + seconds
    latencies: list[list[float]] = [[] for _ in range(clients)]

    def worker(k: int) -> None:
        local = random.Random(seed + k)
        with httpx.Client(timeout=30) as client:
            while time.perf_counter() < stop:
                url = local.choice(urls)
                start = time.perf_counter()
                try:
                    response = client.get(url)
                    if response.status_code != 200:
                        errors.append(f"{response.status_code} {url}")
                except httpx.HTTPError as exc:
                    errors.append(f"{type(exc).__name__} {url}")
                latencies[k].append((time.perf_counter() - start) * 1e3)
                done[k] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    every = [x for lat in latencies for x in lat]
    return {
        "requests": sum(done),
        "seconds": elapsed,
        "rate": sum(done) / elapsed,
        "errors": len(errors),
        "error_samples": errors[:5],
        "p50": pct(every, 0.5) if every else 0.0,
        "p99": pct(every, 0.99) if every else 0.0,
    }


def run_load(
    args: argparse.Namespace,
    base: str,
    articles: int,
    label: str,
    pid: int,
    static: bool = False,
) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--load", base, "--seconds", str(args.seconds)]
    cmd += ["--clients", str(args.clients), "--total", str(articles)]
    cmd += ["--static"] if static else []
    cpu = cpu_seconds(pid)
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    load: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    per = (cpu_seconds(pid) - cpu) / max(1, int(str(load["requests"]))) * 1e3
    load["server_cpu_ms_per_request"] = per
    print(
        f"  load, {label}: {load['requests']:,} requests in {load['seconds']:.1f} s from "
        f"{args.clients} client threads in a second process: {load['rate']:.0f} req/s, "
        f"{load['errors']} errors {load['error_samples']}, p50 {load['p50']:.1f} ms, "
        f"p99 {load['p99']:.1f} ms; server CPU {per:.2f} ms/request",
        flush=True,
    )
    return load


def latencies(args: argparse.Namespace, base: str, articles: int, pid: int) -> dict[str, object]:
    rng = random.Random(7)
    table: dict[str, object] = {}
    with httpx.Client(timeout=60) as client:
        words = search_words(base, client, rng)
        n = args.requests
        warm = [f"{base}/", f"{base}/a/bench/timeline100", f"{base}/?q={words[0]}"]
        timed(client, warm * 3)

        def listing(k: int) -> str:
            if k % 3 == 0:
                return f"{base}/?q={rng.choice(words)}"
            if k % 3 == 1:
                after = cursor(rng, articles)
                return f"{base}/api/articles?q={rng.choice(words)[:3]}&after={after}&limit=50"
            return f"{base}/?after={cursor(rng, articles)}"

        pairs = [(i, j) for i in range(1, 22) for j in range(i + 1, 22)]
        cases: dict[str, list[str]] = {
            "static": [f"{base}/static/style.css"] * n,
            "list": [listing(k) for k in range(n)],
            "timeline": [f"{base}/a/bench/timeline100"] * n,
            "diff": [f"{base}/a/bench/diff10k/-/diff/v{i}..v{j}" for i, j in pairs][:n],
        }
        floor = 0.0
        for name, urls in cases.items():
            cpu = cpu_seconds(pid)
            ms = timed(client, urls)
            cpu_ms = (cpu_seconds(pid) - cpu) / len(ms) * 1e3
            p50 = statistics.median(ms)
            floor = floor or p50
            row = {"n": len(ms), "p50": p50, "p99": pct(ms, 0.99), "max": max(ms)}
            row["ratio_p50_to_static"] = p50 / floor
            row["server_cpu_ms"] = cpu_ms
            table[name] = row
            print(
                f"  {name:9s} n={len(ms):4d}  p50 {p50:6.1f} ms  p99 {row['p99']:6.1f} ms  "
                f"max {row['max']:6.1f} ms  p50/static {row['ratio_p50_to_static']:5.1f}x  "
                f"server CPU {cpu_ms:5.2f} ms/request",
                flush=True,
            )
    return table


def measure(args: argparse.Namespace, db: Path) -> dict[str, object]:
    articles, revisions = counts(db)
    print(
        f"database: {articles:,} articles, {revisions:,} revisions, "
        f"{db.stat().st_size / 1e6:.0f} MB ({db})"
    )
    results: dict[str, object] = {"articles": articles, "revisions": revisions}
    results["load_average_before"] = os.getloadavg()
    print(f"load average before: {os.getloadavg()[0]:.1f} (2 cores)")
    print("server: revtrack serve --server waitress --no-cache (1 process; every request reads)")
    proc, base = start_server(db, args.threads, cache=False)
    try:
        results["latency"] = latencies(args, base, articles, proc.pid)
    finally:
        stop(proc)
    n = args.processes
    print(f"server: revtrack serve --server waitress --processes {n} --no-cache")
    proc, base = start_server(db, args.threads, cache=False, processes=n)
    try:
        results["load_static"] = run_load(
            args, base, articles, "the baseline: a static file", proc.pid, static=True
        )
        results["load_uncached"] = run_load(args, base, articles, "no answers kept", proc.pid)
    finally:
        stop(proc)
    print(f"server: revtrack serve --server waitress --processes {n} (answers kept until a write)")
    proc, base = start_server(db, args.threads, cache=True, processes=n)
    try:
        results["load"] = run_load(args, base, articles, "answers kept", proc.pid)
    finally:
        stop(proc)
    results["load_average_after"] = os.getloadavg()
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return results


def stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()  # the server stops its forked servers too
    proc.wait(15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--revisions", type=int, default=1_000_000)
    parser.add_argument(
        "--base", type=int, default=1000, help="articles made by the import; the rest copied"
    )
    parser.add_argument(
        "--db", type=Path, default=None, help=f"reuse (or build and keep) here; default {CACHE}"
    )
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--threads", type=int, default=8, help="waitress threads")
    parser.add_argument(
        "--processes", type=int, default=2, help="waitress processes under load (one per core)"
    )
    parser.add_argument("--out", type=Path, default=None, help="write the figures as JSON")
    parser.add_argument("--load", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--total", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--static", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        load = load_client(args.load, args.seconds, args.clients, 11, args.total, args.static)
        print(json.dumps(load))
        return
    os.environ.setdefault("REVTRACK_NO_PROGRESS", "1")
    db = args.db or CACHE / f"web_{args.articles}_{args.revisions}_b{args.base}.db"
    built = None
    if not db.exists():
        db.parent.mkdir(parents=True, exist_ok=True)
        print(f"building {args.articles:,} articles / {args.revisions:,} revisions in {db}")
        partial = db.with_suffix(".building")
        for stale in db.parent.glob(partial.name + "*"):
            stale.unlink()
        built = build(partial, args.articles, args.revisions, args.jobs, args.base)
        partial.rename(db)  # only a finished build is reused
        partial.with_suffix(".building-writer").unlink(missing_ok=True)  # the writers' turn
        print(f"  built in {built['seconds']:.0f} s")
    else:
        upgrade(db)
    results = measure(args, db)
    results["built"] = built
    if args.out:
        args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def upgrade(db: Path) -> None:
    """A cached database made by an older revtrack: migrate it (timed: the backfills)."""
    from revtrack import Revtrack

    rt = Revtrack(str(db), check_schema=False)
    found, head = rt.schema_status()
    rt.close()
    if found == head:
        return
    started = time.perf_counter()
    Revtrack(str(db), create=True).close()
    print(
        f"  upgraded the cached database {found} -> {head} in {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
