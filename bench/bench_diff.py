"""Time revtrack's word diff against peers on consecutive real versions, bucketed by size.

Usage: python bench/bench_diff.py [CORPUS_DIR] [--limit N] [--sample FRACTION] [--seed S]
                                  [--repeat R]
       python bench/bench_diff.py [CORPUS_DIR] --fingerprints OUT.jsonl [--src SRC] [--by B]
       python bench/bench_diff.py --compare BEFORE.jsonl AFTER.jsonl

Every pair is diffed in the same run by:
  revtrack      the word diff: revtrack.diff.engine.align + build_hunks (trim, token-map, C++ dmp
                when installed, segments and hunks with offsets)
  revtrack+classify  revtrack.diff.diff_texts(a, b, "word"): the above plus moves,
                classification of every hunk and stats (what the service runs at ingest)
  difflib       difflib.SequenceMatcher on the same word tokens (get_opcodes)
  dmp-char      plain pure-Python diff-match-patch on characters, default settings (1 s timeout)
  dmp-words     pure-Python diff-match-patch over word tokens mapped to characters (1 s timeout)
and it checks that the pure-Python and C++ backends of revtrack give the same hunks.

Each peer's time for a pair is the best of ``--repeat`` runs (a run over 50 ms is not repeated,
so a 1 s timeout costs one run): on a shared machine the best run is the one least disturbed by
other processes, and the sub-millisecond figures of small pairs are otherwise mostly noise.

``--fingerprints`` runs the full ``diff_texts`` once on every consecutive pair of the corpora
(unchanged pairs included) and writes, per pair, a hash of its segments, hunks (kinds included)
and stats and the time it took; ``--src`` imports revtrack from another source tree (a checkout
of an older commit, ``git archive REV src | tar -x -C DIR``). ``--compare`` says how many pairs
differ between two such files and compares their times: the check that a faster engine gives
the same output. Only hashes and timings are written, no corpus text.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import diff_match_patch

REPO = Path(__file__).resolve().parent.parent
# --src must take effect before revtrack is imported.
SRC = Path(sys.argv[sys.argv.index("--src") + 1]) if "--src" in sys.argv else REPO / "src"
sys.path.insert(0, str(SRC))

from revtrack.diff import engine  # noqa: E402
from revtrack.text.tokenize import split_words  # noqa: E402

BUCKETS = [("<5 KB", 5_000), ("5-20 KB", 20_000), ("20-60 KB", 60_000), ("60 KB+", 10**12)]
PEERS = ["revtrack", "revtrack+classify", "difflib", "dmp-char", "dmp-words"]


def load_pairs(root: Path, unchanged: bool = False) -> list[tuple[str, str, str]]:
    pairs = []
    for meta in sorted(root.glob("*/*/meta.json")):
        versions = sorted(meta.parent.glob("v*.txt"))
        texts = [v.read_text(encoding="utf-8") for v in versions]
        for i in range(1, len(texts)):
            if unchanged or texts[i - 1] != texts[i]:
                label = f"{meta.parent.relative_to(root)} v{i}->v{i + 1}"
                pairs.append((label, texts[i - 1], texts[i]))
    return pairs


def bucket_of(a: str, b: str) -> int:
    size = max(len(a.encode()), len(b.encode()))
    return next(i for i, (_, bound) in enumerate(BUCKETS) if size < bound)


def dmp_char(a: str, b: str) -> bool:
    dmp = diff_match_patch.diff_match_patch()
    start = time.perf_counter()
    dmp.diff_main(a, b)
    return time.perf_counter() - start >= dmp.Diff_Timeout * 0.98


def dmp_words(a: str, b: str) -> bool:
    """dmp's lines mode generalised to words, as its docs suggest; full texts, default timeout."""
    dmp = diff_match_patch.diff_match_patch()
    start = time.perf_counter()
    encoded = engine._encode(split_words(a), split_words(b))
    assert encoded is not None
    dmp.diff_main(*encoded, False)
    return time.perf_counter() - start >= dmp.Diff_Timeout * 0.98


def run_difflib(a: str, b: str) -> bool:
    import difflib

    difflib.SequenceMatcher(None, split_words(a), split_words(b)).get_opcodes()
    return False


def run_revtrack_diff(a: str, b: str) -> bool:
    engine.build_hunks(engine.align(a, b, "word"))
    return False


def run_revtrack_full(a: str, b: str) -> bool:
    engine.diff_texts(a, b, "word")
    return False


RUNNERS: dict[str, Callable[[str, str], bool]] = {
    "revtrack": run_revtrack_diff,
    "revtrack+classify": run_revtrack_full,
    "difflib": run_difflib,
    "dmp-char": dmp_char,
    "dmp-words": dmp_words,
}


def _best_of(run: Callable[[str, str], bool], a: str, b: str, repeat: int) -> tuple[float, bool]:
    """The fastest of up to ``repeat`` runs in ms, and whether the first one timed out."""
    best = float("inf")
    timed_out = False
    for i in range(max(1, repeat)):
        start = time.perf_counter()
        out = run(a, b)
        elapsed = (time.perf_counter() - start) * 1000
        timed_out = timed_out or out
        best = min(best, elapsed)
        if i == 0 and elapsed > 50:
            break
    return best, timed_out


def fingerprints(root: Path, out: Path, by: str) -> None:
    """Hash of each pair's full diff and its time, one JSON line per pair."""
    from revtrack.diff import diff_texts

    times: list[float] = []
    with out.open("w", encoding="utf-8") as f:
        for label, a, b in load_pairs(root, unchanged=True):
            start = time.perf_counter()
            d = diff_texts(a, b, by)  # type: ignore[arg-type]
            ms = (time.perf_counter() - start) * 1000
            times.append(ms)
            shape = (
                [(s.op, s.text) for s in d.segments],
                [dataclasses.astuple(h) for h in d.hunks],
                dataclasses.astuple(d.stats),
            )
            digest = hashlib.sha1(repr(shape).encode()).hexdigest()
            f.write(json.dumps({"pair": label, "diff": digest, "ms": round(ms, 4)}) + "\n")
    print(f"{SRC}: {_timing(times)}")


def _timing(times: list[float]) -> str:
    ordered = sorted(times)
    p99 = ordered[int(len(ordered) * 0.99)]
    return (
        f"{len(times)} pairs, total {sum(times) / 1000:.2f} s, median "
        f"{statistics.median(times):.3f} ms, p99 {p99:.2f} ms, worst {ordered[-1]:.1f} ms"
    )


def compare(before: Path, after: Path) -> None:
    rows = [
        {r["pair"]: r for r in map(json.loads, p.read_text(encoding="utf-8").splitlines())}
        for p in (before, after)
    ]
    differ = [k for k in rows[0] if rows[1].get(k, {}).get("diff") != rows[0][k]["diff"]]
    print(f"pairs: {len(rows[0])} / {len(rows[1])}; differing diffs: {len(differ)}")
    for k in differ[:20]:
        print(f"  {k}")
    for name, r in zip(("before", "after"), rows, strict=True):
        print(f"{name:6}: {_timing([x['ms'] for x in r.values()])}")
    totals = [sum(x["ms"] for x in r.values()) for r in rows]
    print(f"after is {totals[0] / totals[1]:.2f}x faster in total")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(REPO.parent / "shared" / "corpora"))
    parser.add_argument("--limit", type=int, default=60, help="pairs per size bucket (max)")
    parser.add_argument("--sample", type=float, default=1.0, help="fraction of pairs to consider")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5, help="best of R runs per pair and peer")
    parser.add_argument("--fingerprints", type=Path, help="write diff hashes and times here")
    parser.add_argument("--src", type=Path, help="import revtrack from this source tree")
    parser.add_argument("--by", default="word", help="granularity for --fingerprints")
    parser.add_argument("--compare", type=Path, nargs=2, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.compare:
        compare(*args.compare)
        return
    if args.fingerprints:
        fingerprints(Path(args.corpus), args.fingerprints, args.by)
        return

    rng = random.Random(args.seed)
    pairs = load_pairs(Path(args.corpus))
    rng.shuffle(pairs)
    pairs = pairs[: max(1, int(len(pairs) * args.sample))]
    chosen: list[list[tuple[str, str, str]]] = [[] for _ in BUCKETS]
    for pair in pairs:
        bucket = chosen[bucket_of(pair[1], pair[2])]
        if len(bucket) < args.limit:
            bucket.append(pair)
    # The largest pairs are the worst case: always include them all.
    biggest = sorted(pairs, key=lambda p: -len(p[2]))[: args.limit]
    chosen[-1] = list(
        {p[0]: p for p in chosen[-1] + [p for p in biggest if bucket_of(p[1], p[2]) == 3]}.values()
    )

    fast = engine.fast_backend_available()
    print(
        f"corpus {args.corpus}: {len(pairs)} changed consecutive pairs considered; "
        f"C++ backend {'on' if fast else 'OFF'}"
    )
    print()
    header = f"{'bucket':9} {'pairs':>5} | " + " | ".join(f"{p:>20}" for p in PEERS)
    print(header + " | rev/dmp-char median  | timeouts char/words | backends agree")
    print(f"{'':9} {'':>5} | " + " | ".join(f"{'median / worst ms':>20}" for _ in PEERS))
    for (name, _), bucket in zip(BUCKETS, chosen, strict=True):
        if not bucket:
            continue
        times: dict[str, list[float]] = {p: [] for p in PEERS}
        timeouts = {p: 0 for p in PEERS}
        agree = 0
        worst_label = ""
        for label, a, b in bucket:
            for peer in PEERS:
                elapsed, timed_out = _best_of(RUNNERS[peer], a, b, args.repeat)
                if peer == "revtrack" and (not times[peer] or elapsed > max(times[peer])):
                    worst_label = label
                times[peer].append(elapsed)
                timeouts[peer] += timed_out
            if not fast or (
                engine.diff_texts(a, b, backend="fast").hunks
                == engine.diff_texts(a, b, backend="pure").hunks
            ):
                agree += 1
        cells = " | ".join(
            f"{statistics.median(times[p]):8.2f} / {max(times[p]):9.2f}" for p in PEERS
        )
        ratio = statistics.median(times["revtrack"]) / statistics.median(times["dmp-char"])
        print(
            f"{name:9} {len(bucket):>5} | {cells} | {ratio:19.2f}x | "
            f"{timeouts['dmp-char']:>9} / {timeouts['dmp-words']:<8} | {agree}/{len(bucket)}"
        )
        print(f"{'':9} {'':>5}   worst revtrack pair: {worst_label}")


if __name__ == "__main__":
    main()
