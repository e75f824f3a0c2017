"""What a plain install gets: import speed with the default engine, and how soon the bar moves.

Usage: python bench/bench_defaults.py [CORPUS_DIR] [--plain VENV] [--runs N] [--jobs N]

CORPUS_DIR (default ../shared/corpora/site_policy, read at run time, never copied into the
repository) is imported with ``revtrack import CORPUS_DIR`` into a fresh SQLite database,
each configuration in the same run, interleaved, ``--runs`` times (the median is reported):

fast     this interpreter's revtrack with the C++ engine (fast-diff-match-patch), the figure
         bench/RESULTS.md's import numbers were measured with
pure     the same revtrack with the C++ engine made unimportable (a folder on PYTHONPATH
         whose ``fast_diff_match_patch`` raises ImportError, inherited by the reader
         processes): the pure-Python fallback
default  ``--plain VENV``: a virtual environment where ``pip install .`` ran with no extras
         (what a new user has); without it, this interpreter again, as installed

After each round, in a pseudo-terminal (pexpect) of 24 x 120, the default configuration's
import once more: seconds from starting the command until the bar is drawn, and until it first
shows a count above zero with a rate above zero (goal: within 2 s).

Output: one table, figures and ratios against ``fast`` measured in this run.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pexpect

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpora" / "site_policy"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
MOVING = re.compile(r"importing .*? ([1-9][\d,]*)/[\d,]+ revisions ([\d,.]*[1-9][\d,.]*)/s")
DRAWN = re.compile(r"importing .*? revisions")


def environment(extra_path: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REVTRACK_")}
    env.pop("PYTHONPATH", None)
    if extra_path:
        env["PYTHONPATH"] = extra_path
    env["TERM"] = "xterm-256color"
    return env


def import_once(script: Path, corpus: Path, env: dict[str, str], jobs: int) -> tuple[float, float]:
    """Wall seconds, and CPU seconds of the command and its reader processes (what a shared,
    loaded machine disturbs least)."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(
            [str(script), "--db", str(db), "import", str(corpus), "--jobs", str(jobs)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        return wall, cpu


def engine_of(script: Path, env: dict[str, str]) -> str:
    """Which engine the configuration's diff actually runs (not only what --version finds)."""
    python = script.parent / "python"
    probe = (
        "from revtrack.diff.engine import fast_backend_available as f; "
        "print('C++' if f() else 'pure Python')"
    )
    return subprocess.run(
        [str(python), "-c", probe], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


def bar_timing(
    script: Path, corpus: Path, env: dict[str, str], jobs: int
) -> tuple[float | None, float | None]:
    """Seconds from start to the bar drawn, and to a count and a rate above zero."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        started = time.perf_counter()
        child = pexpect.spawn(
            str(script),
            ["--db", str(db), "import", str(corpus), "--jobs", str(jobs)],
            env=env,
            dimensions=(24, 120),
            encoding="utf-8",
            timeout=300,
        )
        seen = ""
        drawn: float | None = None
        moving: float | None = None
        while True:
            try:
                chunk = child.read_nonblocking(65536, timeout=300)
            except pexpect.EOF:
                break
            now = time.perf_counter() - started
            seen = (seen + ANSI.sub("", chunk))[-4000:]
            if drawn is None and DRAWN.search(seen):
                drawn = now
            if moving is None and MOVING.search(seen):
                moving = now
        child.close()
        return drawn, moving


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--plain", type=Path, help="a venv with a plain `pip install .`")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=0, help="reader processes (0: per CPU)")
    args = parser.parse_args()
    here = Path(sys.executable).parent / "revtrack"
    plain = (args.plain / "bin" / "revtrack") if args.plain else here
    with tempfile.TemporaryDirectory() as shim:
        blocker = Path(shim) / "fast_diff_match_patch"
        blocker.mkdir()
        (blocker / "__init__.py").write_text(
            "raise ImportError('blocked by bench_defaults.py: the pure-Python engine runs')\n"
        )
        configs = {
            "fast": (here, environment()),
            "pure": (here, environment(shim)),
            "default": (plain, environment()),
        }
        engines = {name: engine_of(script, env) for name, (script, env) in configs.items()}
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in configs}
        bars: list[tuple[float | None, float | None]] = []
        for _ in range(args.runs):
            for name, (script, env) in configs.items():
                times[name].append(import_once(script, args.corpus, env, args.jobs))
            bars.append(bar_timing(plain, args.corpus, environment(), args.jobs))
    fast_wall = statistics.median(w for w, _ in times["fast"])
    fast_cpu = statistics.median(c for _, c in times["fast"])
    print(
        f"corpus {args.corpus.name}, {args.runs} runs each, --jobs {args.jobs or 'per CPU'}, "
        f"load {os.getloadavg()[0]:.1f}"
    )
    print("| configuration | engine | wall s (median; runs) | vs fast | CPU s (median) | vs fast |")
    print("|---|---|---|---|---|---|")
    for name, values in times.items():
        wall = statistics.median(w for w, _ in values)
        cpu = statistics.median(c for _, c in values)
        runs = ", ".join(f"{w:.1f}" for w, _ in values)
        print(
            f"| {name} | {engines[name]} | {wall:.1f} ({runs}) | {wall / fast_wall:.2f}x "
            f"| {cpu:.1f} | {cpu / fast_cpu:.2f}x |"
        )
    for label, index in (("bar drawn", 0), ("first count and rate above zero", 1)):
        seen = [b[index] for b in bars]
        known = [v for v in seen if v is not None]
        shown = ", ".join("never" if v is None else f"{v:.2f}" for v in seen)
        median = f"{statistics.median(known):.2f} s" if known else "never"
        print(f"{label} after (default, in a pty): median {median} ({shown})")


if __name__ == "__main__":
    main()
