"""Pack size against database size and `show`'s statement cost: why packs are ~16 KB.

Usage: python bench/bench_pack_sizes.py DB --versions N [--calls K] [--targets 0 8192 ...]

DB is a revtrack SQLite database at schema 0008 (as for bench/bench_store_steps.py). Each
target is a copy upgraded to this tree's head and packed with that ``target`` (0: not packed),
then VACUUMed; its size per input version is printed. Then the quick `show` statement
(:func:`revtrack.store.quick._show_query`, the one `show` runs) and the chain decode are timed
on K random revisions, every copy in random order for each revision in the same process, so
they meet the same load: CPU p50/p99 per copy. SQLite reads a whole blob to cut a piece out
of it, so a larger pack costs every `show` more.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from sqlalchemy.dialects import sqlite  # noqa: E402

from revtrack import Revtrack  # noqa: E402
from revtrack.store import quick  # noqa: E402
from revtrack.store.text_chain import decode_chain, joined_chain  # noqa: E402


def _packed_copy(db: str, path: Path, target: int) -> int:
    shutil.copy(db, path)
    rt = Revtrack(str(path), create=True)
    while target:
        with rt.store.write() as tx:
            if tx.pack_texts(target=target).rows == 0:
                break
    rt.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("VACUUM")
    conn.close()
    return path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--versions", type=int, required=True)
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--targets", type=int, nargs="+", default=[0, 8192, 16384, 32768, 65536])
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    compiled = quick._show_query(False).compile(dialect=sqlite.dialect())
    statement = str(compiled)
    at = quick._SHOW_TEXT_AT
    with tempfile.TemporaryDirectory() as tmp:
        conns: dict[int, sqlite3.Connection] = {}
        for target in args.targets:
            path = Path(tmp) / f"pack{target}.db"
            size = _packed_copy(args.db, path, target)
            print(f"pack target {target:>6}: {size / args.versions:6.0f} B/version", flush=True)
            conns[target] = sqlite3.connect(path)
        refs = next(iter(conns.values())).execute(
            "SELECT a.key, r.number FROM revisions r JOIN articles a ON a.id = r.article_id"
        )
        picked = random.Random(args.seed).sample(refs.fetchall(), args.calls)
        spent: dict[int, tuple[list[float], list[float]]] = {t: ([], []) for t in conns}
        order = random.Random(args.seed + 1)
        for key, number in picked:
            params = compiled.construct_params({"key": key, "n": number})
            values = [params[name] for name in compiled.positiontup or ()]
            for target in order.sample(list(conns), len(conns)):
                start = time.thread_time()
                row = conns[target].execute(statement, values).fetchone()
                read = time.thread_time()
                chain = joined_chain(row[at:])
                assert chain is not None
                decode_chain(chain)
                spent[target][0].append((read - start) * 1e6)
                spent[target][1].append((time.thread_time() - start) * 1e6)
        for target, (reads, totals) in spent.items():
            r = statistics.quantiles(reads, n=100)
            t = statistics.quantiles(totals, n=100)
            print(
                f"pack target {target:>6}: statement CPU p50 {r[49]:6.1f} p99 {r[98]:6.1f} us;"
                f" with decode p50 {t[49]:6.1f} p99 {t[98]:6.1f} us"
            )
        for conn in conns.values():
            conn.close()


if __name__ == "__main__":
    main()
