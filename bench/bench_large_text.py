"""Time and memory of ingesting very large texts, against git storing the same files (#16).

Usage: python bench/bench_large_text.py [--sizes 1,10] [--one-line | --paragraphs]

For each size S (megabytes) it writes three versions of a generated text of S MB — by default
one single line, the hostile case (no paragraph or sentence to cut at), with ``--paragraphs``
paragraphs of about 600 characters — where v2 inserts a few words in the middle and v3 also
changes one word near the end. Then, each in a fresh child process:

    revtrack   `revtrack ingest v1 v2 v3` into a new database (detection, diff, storage)
    git        `git add` + `git commit` of each version in turn into a new repository

and prints wall time and the child's peak resident memory (ru_maxrss), with the ratios
revtrack/git, plus `revtrack diff --stat v1 v3` and `revtrack show` of v3 (checked equal to the
file, byte for byte). Peak memory is what the issue bounds: a 10 MB text must not need
gigabytes.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REVTRACK = str(Path(sys.executable).with_name("revtrack"))


def versions(megabytes: int, paragraphs: bool) -> list[str]:
    rng = random.Random(megabytes)
    letters = "abcdefghijklmnopqrstuvwxyz"
    vocab = ["".join(rng.choice(letters) for _ in range(rng.randint(2, 9))) for _ in range(5000)]
    words: list[str] = []
    size = 0
    while size < megabytes * 1_000_000:
        word = rng.choice(vocab)
        words.append(word)
        size += len(word) + 1
    if paragraphs:
        text = "\n\n".join(" ".join(words[i : i + 90]) + "." for i in range(0, len(words), 90))
    else:
        text = " ".join(words)
    middle = text.index(" ", len(text) // 2)
    v2 = text[:middle] + " a few inserted words" + text[middle:]
    last = v2.rindex(" ", 0, len(v2) - 100)
    v3 = v2[:last] + " CHANGED" + v2[v2.index(" ", last + 1) :]
    return [text + "\n", v2 + "\n", v3 + "\n"]


def child(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int, bytes]:
    """Run ``cmd``; its wall time, its peak RSS in KB (measured alone in a wrapper process)."""
    wrapper = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE)\n"
        "sys.stdout.buffer.write(done.stdout)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "sys.stderr.write(f'PEAK {peak}\\n')\n"
        "sys.exit(done.returncode)\n"
    )
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", wrapper, *cmd], cwd=cwd, env=env, capture_output=True, check=False
    )
    wall = time.perf_counter() - began
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed: {done.stderr.decode()[-400:]}")
    peak = int(done.stderr.decode().rsplit("PEAK ", 1)[1].split()[0])
    return wall, peak, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="1,10", help="megabytes, comma-separated")
    parser.add_argument("--paragraphs", action="store_true", help="paragraphs, not one line")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench_large-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("REVTRACK_")}
    env.update(
        NO_COLOR="1",
        REVTRACK_NO_PROGRESS="1",
        GIT_CONFIG_NOSYSTEM="1",
        HOME=str(work),
        GIT_AUTHOR_NAME="b",
        GIT_AUTHOR_EMAIL="b@example.org",
        GIT_COMMITTER_NAME="b",
        GIT_COMMITTER_EMAIL="b@example.org",
    )
    shape = "paragraphs" if args.paragraphs else "one line"
    print(f"three versions each, {shape}; wall seconds, peak RSS MB; load {os.getloadavg()[0]:.1f}")
    print(
        f"{'size':>6} {'revtrack':>10} {'RSS':>7} {'git':>8} {'RSS':>6} {'wall x':>7} {'RSS x':>6}"
    )
    try:
        for megabytes in (int(s) for s in args.sizes.split(",")):
            case = work / f"{megabytes}mb"
            case.mkdir()
            files = []
            for n, text in enumerate(versions(megabytes, args.paragraphs), start=1):
                path = case / f"v{n}.txt"
                path.write_text(text, encoding="utf-8")
                files.append(path)
            db = case / "r.db"
            ingest = [REVTRACK, "--db", str(db), "ingest", "--article", "big", *map(str, files)]
            r_wall, r_peak, _ = child(ingest, case, env)
            repo = case / "git"
            repo.mkdir()
            subprocess.run(["git", "init", "-q"], cwd=repo, env=env, check=True)
            script = "; ".join(
                f"cp {f} article.txt && git add article.txt && git commit -q -m v{n}"
                for n, f in enumerate(files, start=1)
            )
            g_wall, g_peak, _ = child(["sh", "-c", script], repo, env)
            _, d_peak, stat = child(
                [REVTRACK, "--db", str(db), "diff", "big", "v1", "v3", "--stat"], case, env
            )
            _, s_peak, shown = child([REVTRACK, "--db", str(db), "show", "big@v3"], case, env)
            assert shown == files[2].read_bytes(), "show did not return v3 byte for byte"
            print(
                f"{megabytes:>4}MB {r_wall:10.2f} {r_peak / 1024:7.0f} {g_wall:8.2f} "
                f"{g_peak / 1024:6.0f} {r_wall / g_wall:7.1f} {r_peak / g_peak:6.1f}"
                f"   diff --stat RSS {d_peak / 1024:.0f} MB, show RSS {s_peak / 1024:.0f} MB:"
                f" {stat.decode().strip().splitlines()[-1]}"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
