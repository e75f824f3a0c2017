"""Whole-process times of the command line's reading commands, against peers in the same run.

Usage: python bench/bench_faces.py CORPUS_DIR|synthetic [--doc ID] [--runs N] [--keep] [--scale N]
           [--revtrack "COMMAND"] [--baseline "COMMAND"]

It builds, in a temporary directory, one revtrack database holding one document's versions
(the document of CORPUS_DIR with the most versions, or ``--doc``; ``synthetic`` makes 30
versions of a generated story) and one git repository holding the same versions as commits of
one file, at the same times. Then it times, as whole processes, each command against its peer:

    revtrack --help / --version       vs  python -c pass (the interpreter's own start)
    python -c "import revtrack.store.store"  vs  python -c pass (SQLAlchemy and the models:
                                      what show/log/diff no longer load, store/lite.py)
    revtrack show DOC                 vs  git show HEAD:article.txt
    revtrack log DOC                  vs  git log --stat
    revtrack diff DOC (inline text)   vs  git show HEAD (the latest commit's patch)
    revtrack diff DOC                 vs  git log -p (every patch of the history)

Runs alternate A B A B after one warm-up pair; wall time is taken around each process, CPU
time from the children's resource usage. It prints the median, minimum and maximum of each,
and the median of the per-pair ratios A/B (robust to a machine whose speed drifts). Output
goes to pipes, as in a script; colour is off.

``--revtrack`` names the command to time (default: the ``revtrack`` beside this Python), e.g.
``"env PYTHONPATH=/tmp/old/src .venv/bin/revtrack"`` to time another checkout's code;
``--baseline`` names a second one (an older checkout, on the same database) to time each
revtrack command against, in turn, with the per-pair ratios.
``--scale N`` first grows the database to N revisions by copying its articles under new keys
(see :func:`scale_up`), so the commands are timed against a database of that size.
Corpus text is read at run time and only ever copied into the temporary directory.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

DOC_KEY = "doc"


def pick_document(corpus: Path, doc: str | None) -> Path:
    if doc:
        return corpus / doc
    docs = [p for p in corpus.iterdir() if p.is_dir()]
    return max(docs, key=lambda p: (len(list(p.glob("v*.txt"))), p.name))


def synthetic_versions(count: int = 30) -> list[tuple[str, str]]:
    """(ISO time, text) of a generated story that grows and is corrected as it goes."""
    rng = random.Random(19)
    words = [
        "ferry",
        "council",
        "harbour",
        "island",
        "budget",
        "minister",
        "said",
        "would",
        "cost",
        "million",
        "passengers",
        "service",
        "route",
        "weather",
        "report",
        "plan",
        "week",
        "year",
        "local",
        "officials",
        "residents",
    ]
    paragraphs = [
        " ".join(rng.choice(words) for _ in range(rng.randint(30, 70))).capitalize() + "."
        for _ in range(12)
    ]
    out = []
    for n in range(count):
        if n and n % 3 == 0:
            paragraphs.append(" ".join(rng.choice(words) for _ in range(40)).capitalize() + ".")
        i = rng.randrange(len(paragraphs))
        tokens = paragraphs[i].split()
        tokens[rng.randrange(len(tokens))] = str(rng.randint(2, 900))
        paragraphs[i] = " ".join(tokens)
        out.append(
            (f"2022-03-{1 + n // 24:02d}T{n % 24:02d}:00:00", "\n\n".join(paragraphs) + "\n")
        )
    return out


def corpus_versions(doc: Path) -> list[tuple[str | None, str]]:
    """The document's versions with their times, nudged to be increasing (commit times are not
    always: revtrack refuses a capture time before the latest revision's)."""
    meta = json.loads((doc / "meta.json").read_text(encoding="utf-8"))
    times = {v["file"]: v.get("timestamp") for v in meta.get("versions", [])}
    out: list[tuple[str | None, str]] = []
    last: datetime | None = None
    for path in sorted(doc.glob("v*.txt")):
        stamp = times.get(path.name)
        moment = datetime.fromisoformat(stamp).astimezone(UTC) if stamp else None
        if moment is not None and last is not None and moment <= last:
            moment = last + timedelta(seconds=1)
        last = moment or last
        out.append((moment.isoformat() if moment else None, path.read_text(encoding="utf-8")))
    return out


def run(cmd: list[str], cwd: Path, env: dict[str, str], stdin: str | None = None) -> None:
    subprocess.run(
        cmd, cwd=cwd, env=env, input=stdin, text=True, check=True, stdout=subprocess.DEVNULL
    )


def build(
    work: Path, versions: list[tuple[str | None, str]], revtrack: list[str], env: dict[str, str]
) -> None:
    """The database (through the command line itself) and the git repository, same versions."""
    run([*revtrack, "init"], work, env)
    repo = work / "git"
    repo.mkdir()
    run(["git", "init", "-q"], repo, env)
    for n, (at, text) in enumerate(versions, start=1):
        source = work / f"v{n:03d}.txt"
        source.write_text(text, encoding="utf-8")
        moment = ["--at", at] if at else []
        run([*revtrack, "ingest", str(source), "--article", DOC_KEY, *moment], work, env)
        (repo / "article.txt").write_text(text, encoding="utf-8")
        git_env = dict(env)
        if at:
            git_env["GIT_AUTHOR_DATE"] = git_env["GIT_COMMITTER_DATE"] = at
        run(["git", "add", "article.txt"], repo, git_env)
        run(["git", "commit", "-q", "--allow-empty", "-m", f"v{n}"], repo, git_env)


def scale_up(db: Path, target: int) -> int:
    """Grow the database to ``target`` revisions by copying every article under new keys.

    Each round copies all articles, revisions and stored texts with their ids shifted (keys
    suffixed), in SQL, so a million-revision file takes a minute instead of the half hour an
    import at ~650 revisions/s would; the timed article keeps its key and its place. The
    copies are real rows of the real schema — indexes, keyframes and delta chains included —
    but their hash chains are not re-derived (`verify` would flag them; reading does not
    look). Returns the number of revisions.
    """
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    (total,) = conn.execute("SELECT count(*) FROM revisions").fetchone()
    rounds = 0
    while total < target:
        rounds += 1
        max_a, max_r = conn.execute(
            "SELECT (SELECT max(id) FROM articles), (SELECT max(id) FROM revisions)"
        ).fetchone()
        per_article = total / conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        wanted = max(1, math.ceil((target - total) / per_article))
        conn.execute("BEGIN")
        conn.execute(
            "INSERT INTO articles SELECT id + :a, key || '-c' || :n, url, outlet, title,"
            " created_at FROM articles WHERE id <= :w ORDER BY id",
            {"a": max_a, "n": rounds, "w": wanted},
        )
        shifted = {
            "id": "id + :r",
            "article_id": "article_id + :a",
            "revert_of_id": "revert_of_id + :r",
        }
        columns = [row[1] for row in conn.execute("PRAGMA table_info(revisions)")]
        conn.execute(
            f"INSERT INTO revisions ({', '.join(columns)}) SELECT "
            + ", ".join(shifted.get(c, c) for c in columns)
            + " FROM revisions WHERE article_id <= :w ORDER BY id",
            {"a": max_a, "r": max_r, "w": wanted},
        )
        conn.execute(
            "INSERT INTO revision_texts SELECT t.revision_id + :r, t.codec,"
            " t.base_revision_id + :r, t.data FROM revision_texts AS t"
            " JOIN revisions AS r ON r.id = t.revision_id WHERE r.article_id <= :w"
            " ORDER BY t.revision_id",
            {"r": max_r, "w": wanted},
        )
        conn.execute("COMMIT")
        (total,) = conn.execute("SELECT count(*) FROM revisions").fetchone()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return int(total)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def once(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    cpu = children_cpu()
    start = time.perf_counter()
    done = subprocess.run(
        cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    if done.returncode != 0:  # a failing command is not a fast one: stop, say why
        sys.exit(f"{shlex.join(cmd)} failed ({done.returncode}): {done.stderr.decode()[-300:]}")
    return time.perf_counter() - start, children_cpu() - cpu


def pair(
    a: list[str], b: list[str], cwd_a: Path, cwd_b: Path, env: dict[str, str], runs: int
) -> dict[str, list[float]]:
    once(a, cwd_a, env)
    once(b, cwd_b, env)
    out: dict[str, list[float]] = {"a_wall": [], "a_cpu": [], "b_wall": [], "b_cpu": []}
    for _ in range(runs):
        for side, cmd, cwd in (("a", a, cwd_a), ("b", b, cwd_b)):
            wall, cpu = once(cmd, cwd, env)
            out[f"{side}_wall"].append(wall)
            out[f"{side}_cpu"].append(cpu)
    return out


def fmt(values: list[float]) -> str:
    return f"{statistics.median(values):6.3f} [{min(values):.3f}–{max(values):.3f}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("corpus", help="a corpus folder (documents with v001.txt …) or 'synthetic'")
    parser.add_argument("--doc", help="the document to use (default: the one with most versions)")
    parser.add_argument("--runs", type=int, default=15, help="counted runs of each (default 15)")
    parser.add_argument("--revtrack", help="the command to time (default: beside this Python)")
    parser.add_argument(
        "--baseline", help="another revtrack command (an older checkout) to time against, paired"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument(
        "--scale",
        type=int,
        default=0,
        help="grow the database to this many revisions first (copies of the articles)",
    )
    args = parser.parse_args()

    if args.corpus == "synthetic":
        versions: list[tuple[str | None, str]] = list(synthetic_versions())
        what = "synthetic story"
    else:
        doc = pick_document(Path(args.corpus), args.doc)
        versions = corpus_versions(doc)
        what = f"{doc.parent.name}/{doc.name}"
    revtrack = (
        shlex.split(args.revtrack)
        if args.revtrack
        else [str(Path(sys.executable).with_name("revtrack"))]
    )
    python = sys.executable
    work = Path(tempfile.mkdtemp(prefix="bench_faces-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("REVTRACK_")}
    env.update(
        NO_COLOR="1",
        REVTRACK_NO_PROGRESS="1",
        GIT_PAGER="cat",
        PAGER="cat",
        GIT_CONFIG_NOSYSTEM="1",
        HOME=str(work),
        LC_ALL="C.UTF-8",
        GIT_AUTHOR_NAME="bench",
        GIT_AUTHOR_EMAIL="bench@example.org",
        GIT_COMMITTER_NAME="bench",
        GIT_COMMITTER_EMAIL="bench@example.org",
    )
    env["REVTRACK_DATABASE_URL"] = f"sqlite:///{work / 'revtrack.db'}"
    try:
        build(work, versions, revtrack, env)
        size = sum(len(t) for _, t in versions)
        if args.scale:
            total = scale_up(work / "revtrack.db", args.scale)
            megabytes = (work / "revtrack.db").stat().st_size / 1e6
            print(f"database grown to {total:,} revisions ({megabytes:,.0f} MB)")
        print(
            f"{what}: {len(versions)} versions, {size / 1e3:.0f} kB of text in all; "
            f"{args.runs} runs each after one warm-up, medians [min–max], seconds"
        )
        repo = work / "git"
        cases = [
            ("revtrack --help", [*revtrack, "--help"], "python -c pass", [python, "-c", "pass"]),
            (
                "revtrack --version",
                [*revtrack, "--version"],
                "python -c pass",
                [python, "-c", "pass"],
            ),
            (  # what show/log/diff no longer load (store/lite.py): the store on SQLAlchemy
                "python: import Store",
                [python, "-c", "import revtrack.store.store"],
                "python -c pass",
                [python, "-c", "pass"],
            ),
            (
                f"revtrack show {DOC_KEY}",
                [*revtrack, "show", DOC_KEY],
                "git show HEAD:article.txt",
                ["git", "show", "HEAD:article.txt"],
            ),
            (
                f"revtrack log {DOC_KEY}",
                [*revtrack, "log", DOC_KEY],
                "git log --stat",
                ["git", "log", "--stat"],
            ),
            (
                f"revtrack diff {DOC_KEY}",
                [*revtrack, "diff", DOC_KEY],
                "git show HEAD",
                ["git", "show", "HEAD"],
            ),
            (
                f"revtrack diff {DOC_KEY}",
                [*revtrack, "diff", DOC_KEY],
                "git log -p",
                ["git", "log", "-p"],
            ),
        ]
        print(f"{'A':24s} {'wall A':>20s} {'cpu A':>20s}   {'B':26s} {'wall B':>20s}  A/B wall")
        for name_a, a, name_b, b in cases:
            r = pair(a, b, work, repo, env, args.runs)
            ratio = statistics.median(x / y for x, y in zip(r["a_wall"], r["b_wall"], strict=True))
            print(
                f"{name_a:24s} {fmt(r['a_wall']):>20s} {fmt(r['a_cpu']):>20s}   "
                f"{name_b:26s} {fmt(r['b_wall']):>20s}  {ratio:6.1f}x"
            )
        if args.baseline:
            base = shlex.split(args.baseline)
            print(f"\nagainst the baseline {args.baseline!r}, on the same database:")
            print(f"{'A':24s} {'wall A':>20s} {'wall baseline':>20s}  A/base wall  A/base cpu")
            seen = set()
            for name_a, a, _, _ in cases:
                if name_a in seen or a[: len(revtrack)] != revtrack:
                    continue
                seen.add(name_a)
                c = [*base, *a[len(revtrack) :]]
                r = pair(a, c, work, work, env, args.runs)
                wall = statistics.median(
                    x / y for x, y in zip(r["a_wall"], r["b_wall"], strict=True)
                )
                cpu = statistics.median(x / y for x, y in zip(r["a_cpu"], r["b_cpu"], strict=True))
                print(
                    f"{name_a:24s} {fmt(r['a_wall']):>20s} {fmt(r['b_wall']):>20s}  "
                    f"{wall:10.2f}x {cpu:10.2f}x"
                )
        if args.keep:
            print(f"kept {work} (REVTRACK_DATABASE_URL={env['REVTRACK_DATABASE_URL']})")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
