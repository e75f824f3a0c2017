"""One import in this process, for comparing two trees of revtrack in the same minutes.

Usage: python bench/import_once.py git|dir SOURCE DB [--jobs N] [--writer-only]

Prints one JSON line: revisions, wall seconds, CPU seconds of this process and every process
below it (fork server and readers, sampled from /proc by :mod:`proc_tree`), each process's
share, and the load average. Another tree is measured by running this file with
``PYTHONPATH=OTHER/src`` (its ``migrations`` linked into ``OTHER/src/revtrack``).

``--writer-only`` (git): every unit is read and analysed first, untimed; then the import runs
in one process with the reading answered from those plans, so that the CPU printed is the
writer's storing alone (what the readers cannot take off it).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))


class _Ready:
    """An archive whose scan and reads answer from what was found beforehand."""

    def __init__(self, inner: Any, units: dict[str, Any], plans: dict[int, Any]) -> None:
        self.inner, self.units, self.plans = inner, units, plans

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def scan(self, report: Any) -> dict[str, Any]:
        return self.units

    def read(self, unit: Any) -> Any:
        return self.plans[id(unit)]


def main() -> None:
    import revtrack
    from proc_tree import ProcessTree
    from revtrack import Revtrack

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=["git", "dir"])
    parser.add_argument("source")
    parser.add_argument("db")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--writer-only", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("REVTRACK_ACTOR", "bench")
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(args.db + suffix).unlink(missing_ok=True)
    rt = Revtrack(args.db, create=True)
    run: Any
    if args.writer_only:
        from revtrack.service.importers import open_archive
        from revtrack.service.importers.base import ScanReport, run_archive

        archive = open_archive("git", [args.source])
        units = archive.scan(ScanReport())
        ready = _Ready(archive, units, {id(u): archive.read(u) for u in units.values()})

        def run() -> dict[str, Any]:
            return run_archive(rt.store, ready, actor="bench", jobs=1)  # type: ignore[arg-type]
    elif args.kind == "git":

        def run() -> dict[str, Any]:
            return rt.import_archive("git", [args.source], jobs=args.jobs)
    else:

        def run() -> dict[str, Any]:
            return rt.import_directory(args.source, jobs=args.jobs)

    load = os.getloadavg()[0]
    with ProcessTree() as tree:
        start = time.perf_counter()
        summary = run()
        wall = time.perf_counter() - start
    rt.close()
    per = sorted((c - tree.base.get(p, 0.0) for p, c in tree.cpu_seen.items()), reverse=True)
    print(
        json.dumps(
            {
                "tree": revtrack.__file__.rsplit("/src/", 1)[0],
                "kind": args.kind,
                "jobs": 1 if args.writer_only else args.jobs,
                "writer_only": args.writer_only,
                "revisions": summary["revisions"],
                "wall": round(wall, 2),
                "cpu": round(tree.cpu, 2),
                "per_process": [round(c, 2) for c in per],
                "revisions_per_s": round(summary["revisions"] / wall),
                "load": round(load, 2),
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
