"""`import --from git` against `import DIR` on the same history, measured in one run.

Usage: python bench/bench_git_import.py [CORPUS_DIR] [--jobs N] [--keep]

CORPUS_DIR (default ../shared/corpora/18f_blog, read at run time, never copied into the
repository) holds ``<doc>/v001.txt…`` with ``meta.json``, whose versions name the commit,
path, author, message and time each came from. From those the script builds a git repository
in a temporary folder with pygit2 (then packed by ``git gc``, as a clone is): one commit per
original commit (a bulk edit touches many files at once), at its original time and path, so
the history has the corpus's renames (a post moved from ``_posts/`` to ``content/posts/``)
and its timestamps.

Then, each on a fresh SQLite database in the same run and with the same reader processes:

git       ``Revtrack.import_archive("git", [repo])``: the repository walked, every commit's
          changed files read from git, extracted, analysed and stored
directory ``Revtrack.import_directory(CORPUS_DIR)``: the same versions read from files (the peer)
rerun     the git import again: what it adds (nothing) and how long finding that out takes
digest    :mod:`import_digest` of the git import's database (the same across versions of
          revtrack when they store the same revisions, texts, notes, events and audit)
verify    ``Revtrack.verify`` on the git import, provenance included
audit     ``Revtrack.audit`` over every imported article

and checks that both imports stored the same number of revisions with the same texts.
"""

from __future__ import annotations

import argparse
import heapq
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

import pygit2

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_digest import digest
from proc_tree import ProcessTree
from revtrack import Revtrack
from revtrack.service.importers.base import ScanReport
from revtrack.service.importers.git import GitArchive

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpora" / "18f_blog"


def build_repo(corpus: Path, target: Path) -> dict[str, int]:
    """A git repository of ``corpus``'s histories, one commit per original commit."""
    commits: dict[str, dict[str, Any]] = {}
    after: dict[str, set[str]] = defaultdict(set)  # commit -> commits a document saw next
    for meta_path in sorted(corpus.glob("*/meta.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        previous: str | None = None
        for version in meta["versions"]:
            source = version["source"]
            commit = commits.setdefault(
                source["commit"],
                {
                    "time": datetime.fromisoformat(version["committed_at"]),
                    "author": version.get("author") or "unknown",
                    "message": version.get("edit_summary") or "edit",
                    "changes": [],
                },
            )
            commit["changes"].append(
                (meta_path.parent.name, source["path"], meta_path.parent / version["file"])
            )
            if previous is not None and previous != source["commit"]:
                after[previous].add(source["commit"])
            previous = source["commit"]
    commits["__after__"] = after  # type: ignore[assignment]
    repo = pygit2.init_repository(str(target), bare=True)
    index = pygit2.Index()
    where: dict[str, str] = {}  # document -> its current path
    parents: list[pygit2.Oid] = []
    renames = files = 0
    for sha in history_order(commits):
        commit = commits[sha]
        for doc, path, file in commit["changes"]:
            old = where.get(doc)
            if old is not None and old != path:
                index.remove(old)
                renames += 1
            where[doc] = path
            blob = repo.create_blob(file.read_bytes())
            index.add(pygit2.IndexEntry(path, blob, pygit2.enums.FileMode.BLOB))
            files += 1
        tree = index.write_tree(repo)
        moment: datetime = commit["time"]
        offset = int(moment.utcoffset().total_seconds() // 60) if moment.utcoffset() else 0
        who = pygit2.Signature(
            commit["author"], "author@example.invalid", int(moment.timestamp()), offset
        )
        oid = repo.create_commit(
            "refs/heads/main", who, who, f"{commit['message']}\n\n(was {sha})", tree, parents
        )
        parents = [oid]
    repo.set_head("refs/heads/main")
    # Packed, as a clone is (pygit2 writes loose objects).
    subprocess.run(["git", "-C", str(target), "gc", "--quiet"], check=True)
    return {"commits": len(commits), "file versions": files, "renames": renames}


def history_order(commits: dict[str, Any]) -> list[str]:
    """The commits in an order that keeps every document's versions in the corpus's order
    (the original history's, which merges made differ from time order here and there),
    otherwise by time: commit times in the built history are then not always increasing,
    as in real repositories."""
    after: dict[str, set[str]] = commits.pop("__after__")
    waiting = {sha: 0 for sha in commits}
    for nexts in after.values():
        for sha in nexts:
            waiting[sha] += 1
    ready = [(commits[sha]["time"], sha) for sha, n in waiting.items() if n == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        _, sha = heapq.heappop(ready)
        order.append(sha)
        for nxt in after.get(sha, ()):
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                heapq.heappush(ready, (commits[nxt]["time"], nxt))
    assert len(order) == len(commits), "the corpus's version orders contradict each other"
    return order


CPU: dict[str, float] = {}


def timed(label: str, fn: Any) -> tuple[Any, float]:
    """Run ``fn``; its wall time is returned, its CPU time (of this process and every process
    below it: the readers are forked by the fork server, not reaped by this one) kept in CPU."""
    with ProcessTree() as tree:
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
    CPU[label] = tree.cpu
    print(f"  {label}: {elapsed:.2f} s, {CPU[label]:.2f} s CPU", file=sys.stderr)
    return result, elapsed


def texts(rt: Revtrack) -> list[str]:
    found = []
    for article in rt.articles():
        for revision in rt.log(article.key).revisions:
            found.append(rt.show(f"{article.key}@v{revision.number}")[1])
    return sorted(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    os.environ.setdefault("REVTRACK_ACTOR", "bench")
    work = Path(tempfile.mkdtemp(prefix="bench-git-"))
    try:
        repo = work / "site.git"
        shape, build_s = timed("build the repository", lambda: build_repo(args.corpus, repo))
        report_scan = ScanReport()
        _, scan_s = timed("scan", lambda: GitArchive(str(repo)).scan(report_scan))
        git_db = Revtrack(str(work / "git.db"), create=True)
        summary, git_s = timed(
            "import --from git",
            lambda: git_db.import_archive("git", [str(repo)], jobs=args.jobs),
        )
        rerun, rerun_s = timed(
            "rerun", lambda: git_db.import_archive("git", [str(repo)], jobs=args.jobs)
        )
        report, verify_s = timed("verify", git_db.verify)
        audits, audit_s = timed("audit", lambda: list(git_db.audit()))
        dir_db = Revtrack(str(work / "dir.db"), create=True)
        peer, dir_s = timed(
            "import DIR", lambda: dir_db.import_directory(str(args.corpus), jobs=args.jobs)
        )
        from collections import Counter

        git_texts, dir_texts = Counter(texts(git_db)), Counter(texts(dir_db))
        only_git = sum((git_texts - dir_texts).values())
        only_dir = sum((dir_texts - git_texts).values())
        undisclosed = sum(len(a.findings) for a in audits)
        disclosed = sum(len(a.fixes) for a in audits)
        rate, peer_rate = summary["revisions"] / git_s, peer["revisions"] / dir_s
        print(
            f"corpus: {args.corpus.name}: {shape['file versions']} file versions in "
            f"{shape['commits']} commits ({shape['renames']} renames), built in {build_s:.1f} s"
        )
        print(
            f"jobs: {args.jobs} reader process(es) beside the writer; SQLite; {os.cpu_count()} CPUs"
        )
        print()
        git_cpu, dir_cpu = CPU["import --from git"], CPU["import DIR"]
        print(
            "| run | articles | revisions | seconds | revisions/s | CPU seconds (all processes) "
            "| revisions per CPU second |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        print(
            f"| import --from git | {summary['documents']} | {summary['revisions']} | "
            f"{git_s:.2f} | {rate:.0f} | {git_cpu:.2f} | {summary['revisions'] / git_cpu:.0f} |"
        )
        print(
            f"| import DIR (peer) | {peer['documents']} | {peer['revisions']} | "
            f"{dir_s:.2f} | {peer_rate:.0f} | {dir_cpu:.2f} | {peer['revisions'] / dir_cpu:.0f} |"
        )
        print(
            f"| rerun of the git import | {rerun['documents']} | {rerun['revisions']} | "
            f"{rerun_s:.2f} | – | {CPU['rerun']:.2f} | – |"
        )
        print(
            f"| scan alone (walk, tree diffs, renames) | {len(report_scan.counts) and ''} "
            f"| | {scan_s:.2f} | | {CPU['scan']:.2f} | |"
        )
        print()
        print(f"git / directory rate: {rate / peer_rate:.2f}x")
        print(f"left out by the git import: {summary['counts'] or 'nothing'}")
        print(f"problems: {len(summary['problems'])}; failures: {len(summary['failures'])}")
        print(
            f"revision texts: {sum((git_texts & dir_texts).values())} in both imports, "
            f"{only_git} only in the git import, {only_dir} only in the directory import"
        )
        print(
            f"verify: {'OK' if report.ok else report.problems[:3]} "
            f"({report.revisions} revisions, {report.events} events, {verify_s:.2f} s)"
        )
        print(
            f"audit: {len(audits)} articles, {undisclosed} undisclosed substantive edits, "
            f"{disclosed} disclosed fixes ({audit_s:.2f} s)"
        )
        git_db.close()
        dir_db.close()
        print(f"digest of the git import: {digest(work / 'git.db')}")
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
