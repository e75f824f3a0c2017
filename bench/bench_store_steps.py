"""Bytes per version and `show` latency of each storage step of migration 0009, on a real database.

Usage: python bench/bench_store_steps.py DB --versions N --git B [--base-src DIR]
                                         [--sample K] [--rounds R]

DB is a revtrack SQLite database at schema 0008 (e.g. the one `bench/bench_store.py --keep`
imports the shared corpora into, with main's code); N the input versions it holds and B git's
`gc --aggressive` pack in bytes per version measured in the same run (both printed by
bench_store.py). The steps, cumulative, each on its own copy, VACUUMed (so a figure is what a
database written that way from the start takes):

    schema 0008                 the database as given
    + migration 0009            sources stored relative to the article key, the pack tables
    + `revtrack pack`           every loose text row moved into ~16 KB packs

For each state, `show` of K random revisions (text cache cleared before each call; wall and
this thread's CPU time) in a child process: the 0008 copy with the code of ``--base-src`` (a
``src`` folder of main, e.g. from `git archive`), the others with this tree's; the children
are run in R alternating rounds, so every state meets the same load. The database given is
not changed. (The steps of migration 0008 were measured the same way: bench/results/store.md,
"Lean rows".)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SRC = REPO / "src"


def _vacuumed_size(path: Path) -> int:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("VACUUM")
    conn.close()
    return path.stat().st_size


def _tables(path: Path, revisions: int) -> str:
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 12"
    ).fetchall()
    conn.close()
    return ", ".join(f"{name} {size / revisions:.0f}" for name, size in rows)


def _migrate_and_pack(path: Path, pack: bool) -> float:
    """Upgrade ``path`` to this tree's head (and pack it); the CPU seconds it took."""
    sys.path.insert(0, str(SRC))
    from revtrack import Revtrack

    start = time.process_time()
    rt = Revtrack(str(path), create=True)
    if pack:
        rt.pack()
    rt.close()
    return time.process_time() - start


def _show_child(db: str, sample: int, seed: int) -> None:
    """(In a child, with the src to time first on sys.path.) p50/p99 of `show`, as JSON."""
    from revtrack import Revtrack

    conn = sqlite3.connect(db)
    refs = conn.execute(
        "SELECT a.key, r.number FROM revisions r JOIN articles a ON a.id = r.article_id"
        " ORDER BY r.id"
    ).fetchall()
    conn.close()
    picked = random.Random(seed).sample(refs, min(sample, len(refs)))
    rt = Revtrack(db)
    rt.show(f"{picked[0][0]}@v{picked[0][1]}")  # warm-up
    wall: list[float] = []
    cpu: list[float] = []
    for key, number in picked:
        rt.store._cache.clear()
        w, c = time.perf_counter(), time.thread_time()
        rt.show(f"{key}@v{number}")
        wall.append(time.perf_counter() - w)
        cpu.append(time.thread_time() - c)
    rt.close()

    def q(values: list[float], p: int) -> float:
        return statistics.quantiles(values, n=100)[p - 1] * 1e6

    print(json.dumps({"wall": [q(wall, 50), q(wall, 99)], "cpu": [q(cpu, 50), q(cpu, 99)]}))


def _time_show(db: Path, src: Path, sample: int, seed: int) -> dict[str, list[float]]:
    env = {**os.environ, "REVTRACK_STEPS_SRC": str(src)}
    command = [sys.executable, __file__, "--show-child", str(db), f"--sample={sample}"]
    out = subprocess.run(
        [*command, f"--seed={seed}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--versions", type=int, default=0)
    parser.add_argument("--git", type=float, default=0.0, help="git's pack, B/version")
    parser.add_argument("--base-src", type=Path, default=None, help="main's src folder")
    parser.add_argument("--sample", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--show-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.show_child:
        sys.path.insert(0, os.environ["REVTRACK_STEPS_SRC"])
        _show_child(args.db, args.sample, args.seed)
        return
    if not args.versions or not args.git:
        parser.error("--versions and --git are required")
    with tempfile.TemporaryDirectory() as tmp:
        states: list[tuple[str, Path, Path, float]] = []
        for name, step in (
            ("schema 0008 (before)", None),
            ("+ migration 0009 (sources by key)", False),
            ("+ `revtrack pack` (texts in packs)", True),
        ):
            path = Path(tmp) / f"step{len(states)}.db"
            source = sqlite3.connect(args.db)
            target = sqlite3.connect(path)
            source.backup(target)
            source.close()
            target.close()
            spent = 0.0 if step is None else _migrate_and_pack(path, step)
            src = args.base_src if step is None and args.base_src else SRC
            states.append((name, path, src, spent))
        sizes = [_vacuumed_size(path) for _, path, _, _ in states]
        timings: list[list[dict[str, list[float]]]] = [[] for _ in states]
        for round_ in range(args.rounds):
            for i, (_, path, src, _) in enumerate(states):
                timings[i].append(_time_show(path, src, args.sample, args.seed + round_))
        revisions = sqlite3.connect(states[0][1]).execute("SELECT count(*) FROM revisions")
        count = int(revisions.fetchone()[0])
        load = os.getloadavg()
        print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load {load[0]:.1f}")
        print(
            f"{'state':<38} {'B/version':>9} {'x git':>6} {'step s':>7}  "
            "show µs, median of rounds: wall p50/p99, CPU p50/p99"
        )
        for (name, _, src, spent), size, runs in zip(states, sizes, timings, strict=True):
            per = size / args.versions
            med = {k: [statistics.median(r[k][j] for r in runs) for j in (0, 1)] for k in runs[0]}
            print(
                f"{name:<38} {per:>9.0f} {per / args.git:>6.2f} {spent:>7.1f}  "
                f"{med['wall'][0]:.0f}/{med['wall'][1]:.0f}, {med['cpu'][0]:.0f}/"
                f"{med['cpu'][1]:.0f}  ({'base src' if src != SRC else 'this tree'})"
            )
        print(f"{'git gc --aggressive':<38} {args.git:>9.0f} {1:>6.2f}")
        print(
            "per table and index, B per stored revision (last state): "
            + _tables(states[-1][1], count)
        )
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
