"""Storage size, rebuild latency, import rate and scale of revtrack's store, against peers.

Usage: python bench/bench_store.py [CORPUS_DIR] [--synthetic N] [--out FILE] [--sample K]
                                   [--skip-git] [--skip-real] [--cli-import] [--codec-study]
                                   [--profile-import N] [--corpora NAME ...] [--keep] [--pack]

Measured in the same run on the same histories (every ``<corpus>/<doc>/vNNN.txt``, oldest first):

storage   revtrack's whole SQLite file (after ``PRAGMA wal_checkpoint(TRUNCATE)``; VACUUM apart)
          against the raw text, each version alone with zlib -9 and zstd -19 (how MediaWiki keeps
          text), and a git repository of the same histories (one file per document, one commit
          per version in time order, built with ``git fast-import``) after ``git gc --aggressive``
          (the size of ``.git/objects/pack``). Per-table sizes come from SQLite's ``dbstat``.
rebuild   p50/p99 of one revision's text through ``Revtrack.show`` with the text cache cleared,
          against ``git cat-file --batch`` (one long-running process) on the same blobs and a
          plain SQLite table of uncompressed text.
import    revisions per second through the ingest path (correction detection and change
          statistics on), via ``Revtrack.import_directory`` when the facade has it, else
          ``Revtrack.ingest_text`` per version.
scale     ``--synthetic N``: N revisions made from real texts by small edits, ingested in a child
          process; reports rate, bytes per revision, rebuild latency, RSS at checkpoints and
          ``log``/``show``/``diff`` latency on one article at small and large database size.
reference ``plain table`` rows: revtrack's codec in one bare SQLite table, keyframes plus
          patch-from deltas with chains of at most 1 (revtrack's policy), 4 and 15, rebuilt
          with one recursive query: what the text alone costs, and what chains would save.
codec     ``--codec-study``: text bytes and encode time at other zstd levels, ratios, chains.
pack      ``--pack``: `revtrack pack` after the import, so storage, tables and rebuild are
          measured on the packed database (migration 0009; see bench/bench_store_steps.py).

Versions without a timestamp (Wikipedia) get increasing synthetic times.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import json
import math
import os
import pstats
import random
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import zstandard

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from revtrack.service.facade import Revtrack  # noqa: E402
from revtrack.store import codec  # noqa: E402
from revtrack.text.normalize import exact_hash  # noqa: E402

CORPORA = ["digitalgov_news", "18f_blog", "site_policy", "wikipedia_versions"]
SYNTHETIC_EPOCH = datetime(2021, 1, 1)


# -- the histories ---------------------------------------------------------------------------
@dataclass
class Version:
    number: int
    at: datetime  # naive UTC, strictly increasing within a document
    text: str


@dataclass
class History:
    corpus: str
    doc: str
    title: str | None
    path: Path
    versions: list[Version] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.corpus}-{self.doc}"


def _utc(stamp: str | None) -> datetime | None:
    if not stamp:
        return None
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def load_histories(root: Path, corpora: list[str]) -> list[History]:
    histories: list[History] = []
    for corpus in corpora:
        for n_doc, meta_path in enumerate(sorted((root / corpus).glob("*/meta.json"))):
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            history = History(corpus, meta_path.parent.name, meta.get("title"), meta_path.parent)
            previous: datetime | None = None
            for entry in meta["versions"]:
                at = _utc(entry.get("timestamp"))
                if at is None:
                    at = SYNTHETIC_EPOCH + timedelta(hours=n_doc, minutes=entry["version"])
                if previous is not None and at <= previous:
                    at = previous + timedelta(seconds=1)
                previous = at
                text = (meta_path.parent / entry["file"]).read_bytes().decode("utf-8")
                history.versions.append(Version(entry["version"], at, text))
            histories.append(history)
    return histories


def git_blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


# -- small helpers ---------------------------------------------------------------------------
def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def children_cpu() -> float:
    """CPU seconds of the finished child processes (an import's readers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class ReaderPeaks:
    """Largest peak RSS (VmHWM) of this process's children while they run, sampled.

    ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` cannot tell: Linux carries ru_maxrss across
    exec, so a spawned reader reports the peak of the writer that started it.
    """

    def __init__(self, interval: float = 0.2) -> None:
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(interval,), daemon=True)

    def __enter__(self) -> ReaderPeaks:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def mb(self) -> float:
        return self.peak_kb / 1024

    def _run(self, interval: float) -> None:
        me = os.getpid()
        while not self._stop.wait(interval):
            try:
                children = Path(f"/proc/{me}/task/{me}/children").read_text().split()
            except OSError:
                continue
            for child in children:
                try:
                    for line in Path(f"/proc/{child}/status").read_text().splitlines():
                        if line.startswith("VmHWM:"):
                            self.peak_kb = max(self.peak_kb, int(line.split()[1]))
                except OSError:
                    continue  # it ended between the two reads


def peak_rss_mb() -> float:
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so a child would report the
    # peak of the parent that spawned it.
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Report:
    """Prints as it goes and keeps the lines for --out."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.data: dict[str, Any] = {}

    def __call__(self, line: str = "") -> None:
        print(line, flush=True)
        self.lines.append(line)


def sqlite_file_size(db: Path) -> int:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    wal = Path(str(db) + "-wal")
    return db.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


def table_sizes(db: Path) -> list[tuple[str, int]]:
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC"
    ).fetchall()
    conn.close()
    return [(str(n), int(s)) for n, s in rows]


def column_bytes(db: Path, table: str) -> list[tuple[str, int]]:
    """Bytes of each column's values in SQLite's record format (text and blob length; 0-8 for
    an integer by its magnitude; headers and the rowid's varint not counted)."""
    conn = sqlite3.connect(db)
    columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
    out = []
    for column in columns:
        c = f'"{column}"'
        integer = (
            f"CASE WHEN {c} BETWEEN 0 AND 1 THEN 0 WHEN {c} BETWEEN -128 AND 127 THEN 1 "
            f"WHEN {c} BETWEEN -32768 AND 32767 THEN 2 WHEN {c} BETWEEN -8388608 AND 8388607 "
            f"THEN 3 WHEN {c} BETWEEN -2147483648 AND 2147483647 THEN 4 "
            f"WHEN {c} BETWEEN -140737488355328 AND 140737488355327 THEN 6 ELSE 8 END"
        )
        total = conn.execute(
            f"SELECT SUM(CASE typeof({c}) WHEN 'integer' THEN {integer} "
            f"WHEN 'real' THEN 8 WHEN 'null' THEN 0 "
            f"ELSE length(CAST({c} AS BLOB)) END) FROM {table}"
        ).fetchone()[0]
        out.append((column, int(total or 0)))
    conn.close()
    return sorted(out, key=lambda item: -item[1])


# -- baselines -------------------------------------------------------------------------------
def per_version_compressed(histories: list[History]) -> dict[str, int]:
    zstd19 = zstandard.ZstdCompressor(level=19)
    sizes = {"raw": 0, "zlib-9": 0, "zstd-19": 0}
    for history in histories:
        for version in history.versions:
            data = version.text.encode("utf-8")
            sizes["raw"] += len(data)
            sizes["zlib-9"] += len(zlib.compress(data, 9))
            sizes["zstd-19"] += len(zstd19.compress(data))
    return sizes


def build_git(histories: list[History], repo: Path) -> tuple[int, int, float, float]:
    """One commit per version in time order; returns (pack dir bytes, .pack bytes, s, gc s)."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    commits = sorted(
        ((v.at, h.corpus, h.doc, v.number, h, v) for h in histories for v in h.versions),
        key=lambda item: item[:4],
    )
    start = time.perf_counter()
    proc = subprocess.Popen(
        ["git", "-C", str(repo), "fast-import", "--quiet"], stdin=subprocess.PIPE
    )
    assert proc.stdin is not None
    out = proc.stdin
    for at, corpus, doc, number, _, version in commits:
        data = version.text.encode("utf-8")
        message = f"{corpus}/{doc} v{number}\n".encode()
        stamp = int(at.replace(tzinfo=UTC).timestamp())
        out.write(b"commit refs/heads/main\n")
        out.write(b"committer bench <bench@example.invalid> %d +0000\n" % stamp)
        out.write(b"data %d\n%s" % (len(message), message))
        out.write(f"M 100644 inline {corpus}/{doc}.txt\n".encode())
        out.write(b"data %d\n%s\n" % (len(data), data))
    out.close()
    if proc.wait() != 0:
        raise SystemExit("git fast-import failed")
    built = time.perf_counter() - start
    start = time.perf_counter()
    subprocess.run(
        ["git", "-C", str(repo), "gc", "--aggressive", "--prune=now", "--quiet"], check=True
    )
    gc_seconds = time.perf_counter() - start
    pack_dir = repo / ".git" / "objects" / "pack"
    total = sum(p.stat().st_size for p in pack_dir.iterdir())
    packs = sum(p.stat().st_size for p in pack_dir.glob("*.pack"))
    return total, packs, built, gc_seconds


def time_git_cat_file(repo: Path, blob_ids: list[str], expected: list[bytes]) -> Timing:
    proc = subprocess.Popen(
        ["git", "-C", str(repo), "cat-file", "--batch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert proc.stdin is not None and proc.stdout is not None
    times: Timing = []
    for blob, want in zip(blob_ids, expected, strict=True):
        start = time.perf_counter()
        proc.stdin.write(blob.encode() + b"\n")
        proc.stdin.flush()
        header = proc.stdout.readline().split()
        body = proc.stdout.read(int(header[2]) + 1)[:-1]
        times.append((time.perf_counter() - start, float("nan")))
        if body != want:
            raise SystemExit(f"git returned the wrong blob for {blob}")
    proc.stdin.close()
    proc.wait()
    return times


def time_plain_sqlite(texts: list[str], sample: list[int], tmp: Path) -> tuple[Timing, int]:
    db = tmp / "plain.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE plain (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")
    conn.executemany("INSERT INTO plain VALUES (?, ?)", enumerate(texts))
    conn.commit()
    conn.close()
    size = db.stat().st_size
    conn = sqlite3.connect(db)
    times: Timing = []
    query = "SELECT text FROM plain WHERE id = ?"
    for i in sample:
        got, spent = timed(lambda i=i: conn.execute(query, (i,)).fetchone()[0])  # type: ignore[misc]
        times.append(spent)
        if got != texts[i]:
            raise SystemExit("plain SQLite returned the wrong text")
    conn.close()
    return times, size


def build_patch_table(histories: list[History], db: Path, max_chain: int) -> int:
    """The reference store: one plain table, revtrack's codec, keyframe every
    KEYFRAME_INTERVAL, each delta against the previous revision while the chain is shorter
    than ``max_chain`` (else against the keyframe; ``max_chain=1`` is revtrack's policy).
    Consecutive identical versions are skipped, as revtrack's ingest does. Returns rows."""
    conn = sqlite3.connect(db)
    conn.execute(
        "CREATE TABLE texts (id INTEGER PRIMARY KEY, article INTEGER NOT NULL, "
        "number INTEGER NOT NULL, base INTEGER, data BLOB NOT NULL, UNIQUE (article, number))"
    )
    rows: list[tuple[int, int, int, int | None, bytes]] = []
    next_id = 1
    for article, history in enumerate(histories):
        texts: list[str] = []
        ids: list[int] = []
        depth: list[int] = []
        keyframe = -1
        for version in history.versions:
            text = version.text
            if texts and texts[-1] == text:
                continue
            j = len(texts)
            alone = codec.encode(text)
            row: tuple[int, int, int, int | None, bytes] = (next_id, article, j + 1, None, alone)
            chain = 0
            if keyframe >= 0 and j - keyframe < codec.KEYFRAME_INTERVAL:
                base = j - 1 if depth[j - 1] < max_chain else keyframe
                delta = codec.encode_delta(text, texts[base])
                if codec.worth_delta(delta, alone):
                    row = (next_id, article, j + 1, ids[base], delta)
                    chain = depth[base] + 1
            if chain == 0:
                keyframe = j
            texts.append(text)
            ids.append(next_id)
            depth.append(chain)
            rows.append(row)
            next_id += 1
    conn.executemany("INSERT INTO texts VALUES (?, ?, ?, ?, ?)", rows)
    conn.commit()
    conn.close()
    return len(rows)


def codec_study(histories: list[History], say: Report) -> None:
    """Text bytes and encode time of the keyframe+delta scheme at other zstd levels/ratios."""
    say("## codec study (text bytes only, revtrack's keyframe policy, all versions)")
    say("   keyframe/delta level  ratio  chain   B/version  encode ms/version")
    encoded = [[v.text.encode("utf-8") for v in h.versions] for h in histories]
    n = sum(len(texts) for texts in encoded)
    raw_bytes = sum(len(data) for texts in encoded for data in texts)
    for level, delta_level, ratio, max_chain in [
        (19, 19, 0.6, 1),
        (12, 12, 0.6, 1),
        (9, 19, 0.6, 1),
        (9, 9, 0.6, 1),
        (6, 6, 0.6, 1),
        (9, 9, 0.5, 1),
        (9, 9, 0.7, 1),
        (9, 9, 0.6, 4),
        (9, 9, 0.7, 4),
    ]:
        alone_c = zstandard.ZstdCompressor(level=level, write_content_size=True)
        size = 0
        start = time.process_time()
        for texts in encoded:
            kept: list[bytes] = []
            depth: list[int] = []
            keyframe = -1
            for data in texts:
                if kept and kept[-1] == data:
                    continue
                j = len(kept)
                alone = alone_c.compress(data)
                chain = 0
                if keyframe >= 0 and j - keyframe < codec.KEYFRAME_INTERVAL:
                    base = j - 1 if depth[j - 1] < max_chain else keyframe
                    raw = zstandard.ZstdCompressionDict(
                        kept[base], dict_type=zstandard.DICT_TYPE_RAWCONTENT
                    )
                    delta = zstandard.ZstdCompressor(
                        level=delta_level,
                        dict_data=raw,
                        write_content_size=True,
                        write_dict_id=False,
                    ).compress(data)
                    if len(delta) <= ratio * len(alone):
                        size += len(delta)
                        chain = depth[base] + 1
                if chain == 0:
                    size += len(alone)
                    keyframe = j
                kept.append(data)
                depth.append(chain)
        seconds = time.process_time() - start
        say(
            f"   {level:>8}/{delta_level:<12} {ratio:5.1f}  {max_chain:5d}  {size / n:10.0f}"
            f"  {seconds / n * 1e3:17.2f}"
        )
    say(f"   (raw text {raw_bytes / n:.0f} B/version)")


_CHAIN_QUERY = """
WITH RECURSIVE chain(id, base, data, depth) AS (
    SELECT id, base, data, 0 FROM texts WHERE article = ? AND number = ?
    UNION ALL
    SELECT t.id, t.base, t.data, c.depth + 1 FROM texts t JOIN chain c ON t.id = c.base
)
SELECT data FROM chain ORDER BY depth DESC
"""


def time_patch_table(db: Path, histories: list[History], count: int, seed: int) -> Timing:
    """Rebuild random revisions with one recursive query and the codec."""
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT article, number FROM texts").fetchall()
    sample = random.Random(seed).sample(rows, min(count, len(rows)))

    def rebuild(article: int, number: int) -> str:
        blobs = [b for (b,) in conn.execute(_CHAIN_QUERY, (article, number))]
        text = codec.decode(blobs[0])
        for delta in blobs[1:]:
            text = codec.decode_delta(delta, text)
        return text

    times: Timing = []
    for article, number in sample:
        text, spent = timed(lambda a=article, n=number: rebuild(a, n))  # type: ignore[misc]
        times.append(spent)
        kept = [v.text for v in histories[article].versions]
        distinct = [t for i, t in enumerate(kept) if i == 0 or kept[i - 1] != t]
        if text != distinct[number - 1]:
            raise SystemExit("the patch table rebuilt a revision wrongly")
    conn.close()
    return times


# -- revtrack --------------------------------------------------------------------------------
def import_histories(rt: Revtrack, histories: list[History]) -> dict[str, int]:
    """Ingest every version through the facade; returns counts by ingest status."""
    counts: dict[str, int] = {}
    for history in histories:
        for version in history.versions:
            result = rt.ingest_text(
                version.text, article=history.key, at=version.at, title=history.title
            )
            counts[result.status] = counts.get(result.status, 0) + 1
    return counts


def import_targets(root: Path, corpora: list[str]) -> list[Path]:
    """All four corpora: the root at once, as `revtrack import ../shared/corpora` would; else
    each chosen corpus (one import, and one start of reader processes, per corpus)."""
    return [root] if set(corpora) == set(CORPORA) else [root / c for c in corpora]


def import_with_facade(rt: Revtrack, root: Path, corpora: list[str], jobs: int = 1) -> Any:
    importer: Callable[..., Any] = rt.import_directory
    results = []
    for target in import_targets(root, corpora):
        outcome = importer(str(target), jobs=jobs)
        if isinstance(outcome, Iterator) or hasattr(outcome, "__next__"):
            outcome = list(outcome)
        results.append(outcome)
    return results


def stored_revisions(db: Path) -> list[tuple[str, int, str]]:
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT a.key, r.number, lower(hex(r.text_hash)) FROM revisions r JOIN articles a "
        "ON a.id = r.article_id ORDER BY r.id"
    ).fetchall()
    conn.close()
    return [(str(k), int(n), str(h)) for k, n, h in rows]


def sample_revisions(db: Path, count: int, seed: int) -> list[tuple[str, int, str]]:
    """Random revisions by id (ids are dense), without loading every row: memory stays flat."""
    conn = sqlite3.connect(db)
    top = int(conn.execute("SELECT MAX(id) FROM revisions").fetchone()[0])
    ids = random.Random(seed).sample(range(1, top + 1), min(count, top))
    query = (
        "SELECT a.key, r.number, lower(hex(r.text_hash)) FROM revisions r JOIN articles a "
        "ON a.id = r.article_id WHERE r.id = ?"
    )
    rows = [conn.execute(query, (i,)).fetchone() for i in ids]
    conn.close()
    return [(str(row[0]), int(row[1]), str(row[2])) for row in rows if row is not None]


def codec_mix(db: Path) -> dict[str, tuple[int, int]]:
    """Rows and bytes of codec output per codec, loose rows and packed pieces together."""
    conn = sqlite3.connect(db)
    packed = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'text_pieces'"
    ).fetchone()[0]
    query = "SELECT codec, length(data) AS size FROM revision_texts"
    if packed:
        query += (
            " UNION ALL SELECT CASE WHEN base_revision_id IS NULL THEN 'zstd' ELSE"
            " 'zstd-delta' END, length FROM text_pieces"
        )
    rows = conn.execute(
        f"SELECT codec, COUNT(*), SUM(size) FROM ({query}) GROUP BY codec"
    ).fetchall()
    conn.close()
    return {str(c): (int(n), int(s)) for c, n, s in rows}


Timing = list[tuple[float, float]]
"""Per request: (wall seconds, this thread's CPU seconds, NaN when another process works)."""


def timed(action: Callable[[], Any]) -> tuple[Any, tuple[float, float]]:
    wall, cpu = time.perf_counter(), time.thread_time()
    result = action()
    return result, (time.perf_counter() - wall, time.thread_time() - cpu)


def time_api_rebuild(db: Path, refs: list[str], want: list[str]) -> dict[str, Timing]:
    """Per request: facade ``show``, ``Tx.load_text`` in one open transaction, codec alone."""
    out: dict[str, Timing] = {"api show": [], "store load_text": []}
    rt = Revtrack(str(db))
    try:
        for ref, text in zip(refs, want, strict=True):
            rt.store._cache.clear()
            (_, got), spent = timed(lambda ref=ref: rt.show(ref))  # type: ignore[misc]
            out["api show"].append(spent)
            if got != text:
                raise SystemExit(f"revtrack rebuilt {ref} wrongly")
        with rt.store.read() as tx:
            ids = []
            for ref in refs:
                key, rev = ref.rsplit("@v", 1)
                article = tx.get_article(key)
                assert article is not None
                found = tx.revision(article.id, int(rev))
                assert found is not None
                ids.append(found.id)
            for rid in ids:
                rt.store._cache.clear()
                out["store load_text"].append(timed(lambda rid=rid: tx.load_text(rid))[1])  # type: ignore[misc]
            chains = [tx._chain_rows(rid) for rid in ids]  # (id, codec, data), keyframe last
    finally:
        rt.close()
    out["codec only"] = []

    def rebuild(chain: list[tuple[int, str, bytes]]) -> str:
        text = codec.decode(chain[-1][2])
        for _, _, data in reversed(chain[:-1]):
            text = codec.decode_delta(data, text)
        return text

    for chain in chains:
        out["codec only"].append(timed(lambda chain=chain: rebuild(chain))[1])  # type: ignore[misc]
    return out


def profile_import(histories: list[History], limit: int, tmp: Path, say: Report) -> None:
    rt = Revtrack(str(tmp / "profile.db"), create=True)
    profiler = cProfile.Profile()
    done = 0
    profiler.enable()
    for history in histories:
        for version in history.versions:
            rt.ingest_text(version.text, article=history.key, at=version.at, title=history.title)
            done += 1
        if done >= limit:
            break
    profiler.disable()
    rt.close()
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer).sort_stats("cumulative")
    stats.print_stats(40)
    say(f"cProfile of ingest_text over the first {done} versions (cumulative, top 40):")
    for line in buffer.getvalue().splitlines():
        if line.strip():
            say("    " + line[:160])


def cli_import(root: Path, corpora: list[str], tmp: Path, say: Report) -> None:
    exe = shutil.which("revtrack", path=str(Path(sys.executable).parent)) or "revtrack"
    helped = subprocess.run([exe, "import", "--help"], capture_output=True)
    if helped.returncode != 0:
        say("CLI import: `revtrack import` is not available in this build; skipped.")
        return
    db = tmp / "cli.db"
    start = time.perf_counter()
    targets = import_targets(root, corpora)
    for target in targets:
        subprocess.run(
            [exe, "--db", str(db), "import", str(target)], check=True, stdout=subprocess.DEVNULL
        )
    seconds = time.perf_counter() - start
    count = len(stored_revisions(db))
    say(
        f"CLI `revtrack --db DB import {targets[0] if len(targets) == 1 else '<corpus>'}` "
        f"x{len(targets)}: {count} revisions in "
        f"{seconds:.1f} s = {count / seconds:.0f} rev/s (process start-up included)"
    )


def run_real(args: argparse.Namespace, say: Report) -> None:
    root = Path(args.corpus).resolve()
    histories = load_histories(root, args.corpora)
    corpora = sorted({h.corpus for h in histories}, key=CORPORA.index)
    n_versions = sum(len(h.versions) for h in histories)
    raw_bytes = sum(len(v.text.encode()) for h in histories for v in h.versions)
    say(f"# revtrack store benchmark — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    say(f"corpora: {', '.join(corpora)} ({len(histories)} documents, {n_versions} versions, ")
    say(f"         {raw_bytes / 1e6:.1f} MB); codec: KEYFRAME_INTERVAL={codec.KEYFRAME_INTERVAL}")
    say(
        f"         DELTA_MAX_RATIO={codec.DELTA_MAX_RATIO} "
        f"levels={codec._LEVEL}/{codec._DELTA_LEVEL} (keyframe/delta)"
    )
    tmp = Path(tempfile.mkdtemp(prefix="bench_store_", dir=args.workdir))
    rng = random.Random(args.seed)
    try:
        if args.profile_import:
            profile_import(histories, args.profile_import, tmp, say)
        # -- import -----------------------------------------------------------------------
        db = tmp / "revtrack.db"
        rt = Revtrack(str(db), create=True)
        start = time.perf_counter()
        cpu_start = time.process_time()
        peak_before = peak_rss_mb()
        readers = ReaderPeaks()
        if hasattr(rt, "import_directory"):
            how = (
                f"Revtrack.import_directory(<dir>, jobs={args.jobs}) on "
                f"{', '.join(t.name for t in import_targets(root, corpora))} "
                "(batches of 50 documents; jobs = reader processes beside this writer)"
            )
            with readers:
                import_with_facade(rt, root, corpora, args.jobs)
            counts: dict[str, int] = {}
        else:
            how = "Revtrack.ingest_text per version (no import_directory in the facade)"
            counts = import_histories(rt, histories)
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
        readers_cpu = children_cpu()
        rt.close()
        stored = stored_revisions(db)
        say()
        say("## import (correction detection + change statistics on)")
        say(f"path: {how}")
        say(
            f"{n_versions} versions -> {len(stored)} revisions "
            f"{counts if counts else ''} in {seconds:.1f} s = "
            f"{n_versions / seconds:.0f} versions/s, {len(stored) / seconds:.0f} revisions/s "
            f"wall (goal >= 500); CPU: writer {cpu:.1f} s, reader processes {readers_cpu:.1f} s "
            f"= {len(stored) / (cpu + readers_cpu):.0f} revisions per CPU-second; "
            f"peak RSS {peak_rss_mb():.0f} MB (before import {peak_before:.0f}), "
            f"largest reader {readers.mb:.0f} MB (sampled)"
        )
        if args.cli_import:
            cli_import(root, corpora, tmp, say)
        if args.pack:
            rt = Revtrack(str(db))
            pack_wall, pack_cpu = time.perf_counter(), time.process_time()
            packed = rt.pack()
            rt.close()
            say(
                f"`revtrack pack` (Revtrack.pack): {packed.rows} texts, {packed.bytes:,} bytes "
                f"into {packed.packs} packs in {time.perf_counter() - pack_wall:.1f} s "
                f"({time.process_time() - pack_cpu:.1f} s CPU); every figure below is after it"
            )

        # -- storage ----------------------------------------------------------------------
        size = sqlite_file_size(db)
        tables = table_sizes(db)
        mix = codec_mix(db)
        columns = {t: column_bytes(db, t) for t in ("revisions", "events", "revision_texts")}
        vac = tmp / "vacuumed.db"
        shutil.copy(db, vac)
        conn = sqlite3.connect(vac)
        conn.execute("VACUUM")
        conn.close()
        vacuumed = sqlite_file_size(vac)
        baselines = per_version_compressed(histories)
        patch_tables = {}
        for max_chain in (1, 4, codec.KEYFRAME_INTERVAL - 1):
            table_db = tmp / f"patch{max_chain}.db"
            build_patch_table(histories, table_db, max_chain)
            patch_tables[max_chain] = (table_db, sqlite_file_size(table_db))
        git_sizes: tuple[int, int, float, float] | None = None
        if not args.skip_git:
            git_sizes = build_git(histories, tmp / "git")
        say()
        say(
            f"## storage (bytes per input version: all methods hold the same {n_versions} versions)"
        )
        git_total = git_sizes[0] if git_sizes else None
        rows = [
            ("raw text", baselines["raw"]),
            ("zlib -9 each version alone", baselines["zlib-9"]),
            ("zstd -19 each version alone", baselines["zstd-19"]),
        ]
        if git_sizes:
            rows.append(("git gc --aggressive (.git/objects/pack)", git_sizes[0]))
            rows.append(("  of which .pack files", git_sizes[1]))
        for max_chain, (_, table_size) in patch_tables.items():
            rows.append(
                (
                    f"plain table, keyframes + patch-from, chain <= {max_chain}"
                    + (" (revtrack's policy)" if max_chain == 1 else ""),
                    table_size,
                )
            )
        text_bytes = sum(s for _, s in mix.values())
        rows += [
            ("revtrack: text only (codec output, loose or packed)", text_bytes),
            ("revtrack: whole SQLite file after checkpoint", size),
            ("revtrack: whole SQLite file after VACUUM", vacuumed),
        ]
        for label, total in rows:
            ratio = f"{total / git_total:6.2f}x git" if git_total else ""
            say(f"  {label:<52} {total / n_versions:9.0f} B/version  {ratio}")
        if git_sizes:
            say(f"  (git: fast-import {git_sizes[2]:.1f} s, gc --aggressive {git_sizes[3]:.1f} s)")
            say(f"  goal: whole database <= 0.75x git = {0.75 * git_sizes[0] / n_versions:.0f} B")
        say(
            "codec mix: "
            + ", ".join(f"{c}: {n} rows, {s / n:.0f} B avg" for c, (n, s) in mix.items())
        )
        say("per-table/index bytes (dbstat, before VACUUM), per stored revision:")
        for name, total in tables:
            say(f"  {name:<44} {total:11d} B  {total / len(stored):8.0f} B/rev")
        for table, cols in columns.items():
            say(f"column value bytes in {table}, per stored revision:")
            say("  " + ", ".join(f"{c} {s / len(stored):.0f}" for c, s in cols))
        report_data = {"versions": n_versions, "revisions": len(stored), "db": size}
        say.data["real"] = report_data

        # -- rebuild ----------------------------------------------------------------------
        by_hash: dict[str, tuple[int, str]] = {}
        all_texts: list[str] = []
        for history in histories:
            for version in history.versions:
                by_hash.setdefault(exact_hash(version.text), (len(all_texts), version.text))
                all_texts.append(version.text)
        sample = rng.sample(stored, min(args.sample, len(stored)))
        refs = [f"{k}@v{n}" for k, n, _ in sample]
        want = [by_hash[h][1] for _, _, h in sample]
        timings = time_api_rebuild(db, refs, want)
        plain, plain_size = time_plain_sqlite(all_texts, [by_hash[h][0] for _, _, h in sample], tmp)
        timings["plain SQLite table (uncompressed)"] = plain
        for max_chain, (table_db, _) in patch_tables.items():
            timings[f"patch table chain<={max_chain}, 1 query"] = time_patch_table(
                table_db, histories, len(sample), args.seed
            )
        if git_sizes:
            encoded = [t.encode("utf-8") for t in want]
            timings["git cat-file --batch"] = time_git_cat_file(
                tmp / "git", [git_blob_id(e) for e in encoded], encoded
            )
        say()
        say(f"## rebuild one revision ({len(sample)} random revisions, text cache cleared)")
        say("  (wall clock; CPU = this thread's CPU time, which leaves out waiting for a core)")
        for label, values in timings.items():
            wall = [w for w, _ in values]
            used = [c for _, c in values]
            cpu_text = (
                f"CPU p50 {pct(used, 0.5) * 1e6:6.0f} p99 {pct(used, 0.99) * 1e6:6.0f}"
                if not any(math.isnan(c) for c in used)
                else "CPU in another process"
            )
            say(
                f"  {label:<36} p50 {pct(wall, 0.5) * 1e6:7.0f} us  "
                f"p99 {pct(wall, 0.99) * 1e6:7.0f} us  "
                f"mean {statistics.mean(wall) * 1e6:6.0f} us   {cpu_text}"
            )
        say("  goal: p99 through the API <= 500 us")
        say(f"  (plain table file: {plain_size / n_versions:.0f} B/version)")
    finally:
        if args.keep:
            say(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


# -- synthetic scale -------------------------------------------------------------------------
_WORD = re.compile(r"[A-Za-z]{3,}")


class Mutator:
    """Makes the next version of a text by small edits drawn from real vocabulary."""

    def __init__(self, seeds: list[str], rng: random.Random) -> None:
        self.rng = rng
        self.seeds = seeds
        self.vocab = sorted({w for s in seeds[:50] for w in _WORD.findall(s)})[:20000]
        self.paragraphs = [p for s in seeds for p in s.split("\n\n") if 80 < len(p) < 1500]

    def edit(self, text: str) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.10 and self.paragraphs:
            paras = text.split("\n\n")
            paras.insert(rng.randrange(len(paras) + 1), rng.choice(self.paragraphs))
            return "\n\n".join(paras)
        if roll < 0.13:
            paras = text.split("\n\n")
            if len(paras) > 3:
                del paras[rng.randrange(len(paras))]
                return "\n\n".join(paras)
        words = text.split(" ")
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(words))
            if rng.random() < 0.6:
                words[i] = rng.choice(self.vocab)
            else:
                words.insert(i, rng.choice(self.vocab))
        return " ".join(words)


def synthetic_articles(
    seeds: list[str], total: int, seed: int
) -> Iterator[tuple[str, list[tuple[datetime, str]]]]:
    rng = random.Random(seed)
    mutator = Mutator(seeds, rng)
    made = 0
    n = 0
    while made < total:
        count = min(rng.randint(5, 25), total - made)
        text = seeds[n % len(seeds)]
        at = SYNTHETIC_EPOCH + timedelta(minutes=n)
        versions = []
        for i in range(count):
            if i:
                text = mutator.edit(text)
            versions.append((at + timedelta(seconds=i), text))
        yield f"syn-{n:07d}", versions
        made += count
        n += 1


def ingest_chunk(
    rt: Revtrack,
    articles: list[tuple[str, list[tuple[datetime, str]]]],
    folder: Path,
    bulk: bool,
    jobs: int = 1,
) -> None:
    """Bulk path: write the chunk as the corpus layout and import it; else ingest_text."""
    if not bulk:
        for key, versions in articles:
            for at, text in versions:
                rt.ingest_text(text, article=key, at=at)
        return
    for key, versions in articles:
        doc = folder / key
        doc.mkdir(parents=True)
        meta: dict[str, list[dict[str, object]]] = {"versions": []}
        for number, (at, text) in enumerate(versions, start=1):
            (doc / f"v{number:03d}.txt").write_text(text, encoding="utf-8")
            meta["versions"].append({"version": number, "timestamp": at.isoformat() + "Z"})
        (doc / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    rt.import_directory(str(folder), jobs=jobs)
    shutil.rmtree(folder)


def first_article_key(db: Path) -> str:
    conn = sqlite3.connect(db)
    key = conn.execute("SELECT key FROM articles ORDER BY id LIMIT 1").fetchone()[0]
    conn.close()
    return str(key)


def lookup_times(rt: Revtrack, key: str, repeats: int = 15) -> dict[str, float]:
    """Median ms of log / show / diff on one article, text cache cleared each time."""
    actions: dict[str, Callable[[], object]] = {
        "log": lambda: rt.log(key),
        "show": lambda: rt.show(f"{key}@v3"),
        "diff": lambda: rt.diff(key, "v2", "v5"),
    }
    out = {}
    for name, action in actions.items():
        times = []
        for _ in range(repeats):
            rt.store._cache.clear()
            start = time.perf_counter()
            action()
            times.append(time.perf_counter() - start)
        out[name] = statistics.median(times) * 1e3
    return out


def run_synthetic(args: argparse.Namespace, say: Report) -> None:
    root = Path(args.corpus).resolve()
    total = args.synthetic
    seeds = []
    for corpus in args.corpora:
        for meta_path in sorted((root / corpus).glob("*/meta.json"))[:60]:
            versions = sorted(meta_path.parent.glob("v*.txt"))
            seeds.append(versions[-1].read_text(encoding="utf-8"))
    random.Random(args.seed).shuffle(seeds)
    tmp = Path(tempfile.mkdtemp(prefix="bench_store_syn_", dir=args.workdir))
    db = tmp / "synthetic.db"
    checkpoints = sorted(
        {min(total, c) for c in (1000, 10_000, *range(0, total + 1, max(1, total // 10))) if c}
    )
    say(f"## synthetic scale: {total} revisions from {len(seeds)} real seed texts")
    say(
        "edits per version: 1-4 word substitutions/insertions from real vocabulary, "
        "10% a paragraph added, 3% one removed; 5-25 versions per article"
    )
    rt = Revtrack(str(db), create=True)
    bulk = hasattr(rt, "import_directory")
    say(
        "path: "
        + (
            f"Revtrack.import_directory(jobs={args.jobs}) on chunks of articles written to a "
            "temporary folder"
            if bulk
            else "Revtrack.ingest_text per version"
        )
    )
    say(
        "   revisions  articles  rev/s(window)  rev/s(all)  RSS MB  peak MB  DB B/rev  "
        "log ms  show ms  diff ms"
    )
    zstd19 = zstandard.ZstdCompressor(level=19)
    raw = alone = sampled = 0
    done = articles = 0
    cpu_start = time.process_time()
    start = last_t = time.perf_counter()
    last_n = 0
    probe = ""
    first_lookup: dict[str, float] | None = None
    rows: list[dict[str, float]] = []
    # Chunks of a fiftieth of the run (2,000 to 20,000 revisions): each import starts its
    # reader processes afresh, which costs about a second.
    chunk_size = min(20_000, max(100, total // 50))
    pending: list[tuple[str, list[tuple[datetime, str]]]] = []
    generated = synthetic_articles(seeds, total, args.seed)
    readers = ReaderPeaks().__enter__()
    try:
        while done < total:
            pending.clear()
            count = 0
            for key, versions in generated:
                pending.append((key, versions))
                count += len(versions)
                if count >= chunk_size:
                    break
            if not pending:
                break
            for _, versions in pending:
                for i, (_, text) in enumerate(versions):
                    if (done + i) % 50 == 0:
                        data = text.encode("utf-8")
                        raw += len(data)
                        alone += len(zstd19.compress(data))
                        sampled += 1
            ingest_chunk(rt, pending, tmp / f"c{articles:07d}", bulk, args.jobs)
            done += count
            articles += len(pending)
            if not probe:
                probe = first_article_key(db)
            if checkpoints and done >= checkpoints[0]:
                while checkpoints and checkpoints[0] <= done:
                    checkpoints.pop(0)
                now = time.perf_counter()
                lookups = lookup_times(rt, probe)
                if first_lookup is None:
                    first_lookup = lookups
                size = sqlite_file_size(db)
                row = {
                    "revisions": done,
                    "articles": articles,
                    "window_rate": (done - last_n) / (now - last_t),
                    "rate": done / (now - start),
                    "rss": rss_mb(),
                    "peak": peak_rss_mb(),
                    "bytes_per_rev": size / done,
                    **lookups,
                }
                rows.append(row)
                say(
                    f"  {done:10d} {articles:9d} {row['window_rate']:13.0f} "
                    f"{row['rate']:11.0f} {row['rss']:7.0f} {row['peak']:8.0f} "
                    f"{row['bytes_per_rev']:9.0f} {lookups['log']:7.1f} "
                    f"{lookups['show']:8.2f} {lookups['diff']:8.2f}"
                )
                last_n, last_t = done, time.perf_counter()
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
        size = sqlite_file_size(db)
        sample = sample_revisions(db, args.sample, args.seed)
        rt.close()
        rt = Revtrack(str(db))
        times = []
        for key, number, text_hash in sample:
            rt.store._cache.clear()
            t0 = time.perf_counter()
            _, text = rt.show(f"{key}@v{number}")
            times.append(time.perf_counter() - t0)
            if exact_hash(text) != text_hash:
                raise SystemExit(f"synthetic {key}@v{number} rebuilt wrongly")
        say(
            f"total: {done} revisions, {articles} articles in {seconds:.0f} s = "
            f"{done / seconds:.0f} rev/s wall; CPU: writer {cpu:.0f} s (bench sampling included), "
            f"readers {children_cpu():.0f} s; DB {size / 1e6:.1f} MB = {size / done:.0f} B/rev "
            f"(raw {raw / max(sampled, 1):.0f} B/rev, zstd -19 alone {alone / max(sampled, 1):.0f} "
            f"B/rev, sampled 1 in 50); peak RSS: writer {peak_rss_mb():.0f} MB, largest reader "
            f"{readers.mb:.0f} MB (sampled)"
        )
        say(
            f"rebuild through the API ({len(sample)} random revisions, cache cleared): "
            f"p50 {pct(times, 0.5) * 1e6:.0f} us, p99 {pct(times, 0.99) * 1e6:.0f} us"
        )
        if first_lookup is not None and rows:
            last = rows[-1]
            say(
                f"lookups on {probe} at {rows[0]['revisions']} vs {last['revisions']} revisions "
                "(median ms): "
                + ", ".join(f"{k} {first_lookup[k]:.2f} -> {last[k]:.2f}" for k in first_lookup)
            )
        say.data["synthetic"] = rows
    finally:
        readers.__exit__()
        rt.close()
        if args.keep:
            say(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(REPO.parent / "shared" / "corpora"))
    parser.add_argument("--synthetic", type=int, default=0, metavar="N")
    parser.add_argument("--corpora", nargs="+", default=CORPORA, choices=CORPORA)
    parser.add_argument("--skip-real", action="store_true", help="only the synthetic run")
    parser.add_argument("--skip-git", action="store_true")
    parser.add_argument("--cli-import", action="store_true", help="also time `revtrack import`")
    parser.add_argument("--profile-import", type=int, default=0, metavar="N")
    parser.add_argument("--codec-study", action="store_true", help="levels/ratios/chains table")
    parser.add_argument("--sample", type=int, default=2000, help="revisions timed for rebuild")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--jobs",
        type=int,
        default=0,
        help="reader processes for import_directory (0: one per CPU, as `revtrack import`)",
    )
    parser.add_argument("--workdir", default=None, help="where temporary databases go")
    parser.add_argument("--keep", action="store_true", help="keep the temporary files")
    parser.add_argument(
        "--pack", action="store_true", help="run `revtrack pack` after the import (as git gc)"
    )
    parser.add_argument("--out", default=None, help="also write the report to this file")
    parser.add_argument("--in-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.jobs == 0:
        from revtrack.service.bulk import default_jobs

        args.jobs = default_jobs()
    say = Report()
    if args.in_child:
        run_synthetic(args, say)
        return
    if args.codec_study:
        codec_study(load_histories(Path(args.corpus).resolve(), args.corpora), say)
    if not args.skip_real:
        run_real(args, say)
    if args.synthetic:
        # A child process, so its peak RSS is the synthetic run's own, not the corpus loader's.
        command = [
            sys.executable,
            __file__,
            args.corpus,
            "--in-child",
            "--synthetic",
            str(args.synthetic),
            "--sample",
            str(args.sample),
            "--seed",
            str(args.seed),
            "--jobs",
            str(args.jobs),
            "--corpora",
            *args.corpora,
        ]
        if args.workdir:
            command += ["--workdir", args.workdir]
        if args.keep:
            command.append("--keep")
        say()
        with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as child:
            assert child.stdout is not None
            for line in child.stdout:
                say(line.rstrip("\n"))
        if child.returncode != 0:
            say(f"synthetic run failed with exit code {child.returncode}")
    if args.out:
        Path(args.out).write_text("\n".join(say.lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
