"""What sealing every row costs: import, verify and size against a baseline checkout, one run.

Usage: python bench/bench_integrity.py CORPUS_DIR [CORPUS_DIR…] --baseline PYTHON [--jobs N]

CORPUS_DIR is read at run time (e.g. ../shared/corpora/18f_blog), never copied. PYTHON is the
interpreter of the revtrack to compare with (e.g. the virtualenv of a checkout of main before
seals); this tree is run by the interpreter running this script. For
each corpus and each of the two, in turn and in the same run, a fresh SQLite database gets
``import_directory`` (``--jobs`` reader processes, default 1: the writer's own cost shows),
then ``verify`` and, where it exists, ``checkpoint``. CPU seconds are the driver process's
own (readers excluded); wall seconds include everything. Ratios are this tree / baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

DRIVER = r"""
import json, os, sys, time
from revtrack import Revtrack
corpus, db, jobs = sys.argv[1], sys.argv[2], int(sys.argv[3])
out = {}
rt = Revtrack(db, create=True, actor="bench")
w, c = time.perf_counter(), time.process_time()
summary = rt.import_directory(corpus, jobs=jobs)
out["import_wall"], out["import_cpu"] = time.perf_counter() - w, time.process_time() - c
out["revisions"] = summary["revisions"]
rt.close()
rt = Revtrack(db)
w, c = time.perf_counter(), time.process_time()
report = rt.verify()
out["verify_wall"], out["verify_cpu"] = time.perf_counter() - w, time.process_time() - c
out["verify_ok"] = report.ok
if hasattr(rt, "checkpoint"):
    w = time.perf_counter()
    out["checkpoint_bytes"] = len(json.dumps(rt.checkpoint()))
    out["checkpoint_wall"] = time.perf_counter() - w
rt.close()
out["db_bytes"] = os.path.getsize(db)
print(json.dumps(out))
"""


def run(python: str, corpus: Path, jobs: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("REVTRACK_", "PYTHON"))}
        done = subprocess.run(
            [python, "-c", DRIVER, str(corpus), str(Path(folder) / "b.db"), str(jobs)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="+", type=Path)
    parser.add_argument("--baseline", required=True, help="the other tree's Python")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    for corpus in args.corpora:
        base = run(args.baseline, corpus, args.jobs)
        this = run(sys.executable, corpus, args.jobs)
        n = this["revisions"]
        print(f"\n{corpus.name}: {n} revisions (baseline {base['revisions']})")
        print(f"  {'':24} {'baseline':>10} {'this':>10} {'ratio':>7}")
        for key, unit in (
            ("import_cpu", "s"),
            ("import_wall", "s"),
            ("verify_cpu", "s"),
            ("verify_wall", "s"),
            ("db_bytes", "B"),
        ):
            ratio = this[key] / base[key] if base[key] else float("nan")
            label = f"{key} ({unit})"
            print(f"  {label:24} {base[key]:10.2f} {this[key]:10.2f} {ratio:7.2f}")
        print(
            f"  per revision: import {1000 * this['import_cpu'] / n:.2f} ms CPU "
            f"(baseline {1000 * base['import_cpu'] / n:.2f}), verify "
            f"{1000 * this['verify_cpu'] / n:.2f} ms CPU "
            f"(baseline {1000 * base['verify_cpu'] / n:.2f}), "
            f"{(this['db_bytes'] - base['db_bytes']) / n:.0f} B more per revision"
        )
        print(
            f"  verify ok: {this['verify_ok']} (baseline {base['verify_ok']}); checkpoint "
            f"{this.get('checkpoint_bytes', 0)} B in {this.get('checkpoint_wall', 0):.3f} s"
        )
    print(f"\nload average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
