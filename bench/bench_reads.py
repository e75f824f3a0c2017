"""In-process latency of the reading calls behind `log`, `diff` and `show` (issue #19).

Usage: python bench/bench_reads.py [--revisions 100] [--kb 10] [--scale N] [--calls 500]
                                   [--doc CORPUS_DOC_DIR]

Builds, in a temporary directory, one article of ``--revisions`` revisions of about ``--kb``
KB each (a generated story with a few sentences edited per version, a note in the middle),
or, with ``--doc``, the versions of one real document of the shared corpora (read at run
time; diff then compares its real last two versions), optionally grows the database to
``--scale`` revisions with copies of that article (as bench/bench_faces.py does), then
times, in this process, after one warm-up call each:

    log     Revtrack.log(KEY): the article, every revision record and every note
    diff    Revtrack.diff(KEY): the latest two revisions with the text cache cleared before
            each call, so retrieval (two chains decoded) is included, and the word diff;
            then the first against the latest (every change of the history at once)
    show    Revtrack.show(KEY@vN) for random N, text cache cleared: one text rebuilt

each against a baseline measured in the same run: for log, the same rows read with sqlite3
and nothing built from them; for diff, plain diff-match-patch on the two texts already in
memory (diff_main + cleanup_semantic, what any tool built on it pays); for show, the stored
rows read with sqlite3 and decoded with zstandard. Prints p50 and p99 in milliseconds.
Goals: log ≤ 0.5 ms, diff ≤ 2 ms, show p99 ≤ 0.5 ms.
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
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_faces import scale_up
from revtrack import Revtrack

KEY = "long-story"


def story(revisions: int, kb: int) -> list[str]:
    rng = random.Random(7)
    words = [
        "council",
        "ferry",
        "island",
        "harbor",
        "vote",
        "route",
        "budget",
        "pier",
        "tide",
        "crew",
    ]

    def sentence(tag: str) -> str:
        return " ".join(rng.choice(words) for _ in range(14)).capitalize() + f" {tag}."

    sentences = [sentence(f"s{i}") for i in range(kb * 1000 // 100)]
    texts = []
    for n in range(revisions):
        for _ in range(3):  # three sentences rewritten per version, the length kept
            sentences[rng.randrange(len(sentences))] = sentence(f"v{n + 1}")
        body = "\n\n".join(" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4))
        note = (
            "\n\nCorrection: An earlier version of this story misstated the vote."
            if n >= revisions // 2
            else ""
        )
        texts.append("Long story\n\n" + body + note + "\n")
    return texts


def timed(
    call: Callable[[], object], calls: int, before: Callable[[], None] | None = None
) -> list[float]:
    out = []
    call()
    for _ in range(calls):
        if before is not None:
            before()
        began = time.perf_counter()
        call()
        out.append((time.perf_counter() - began) * 1e3)
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--revisions", type=int, default=100)
    parser.add_argument("--kb", type=int, default=10)
    parser.add_argument("--scale", type=int, default=0)
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--doc", type=Path, help="a corpus document folder (v001.txt …)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench_reads-"))
    db = work / "reads.db"
    try:
        if args.doc:
            texts = [f.read_text(encoding="utf-8") for f in sorted(args.doc.glob("v*.txt"))]
            args.revisions = len(texts)
        else:
            texts = story(args.revisions, args.kb)
        with Revtrack(str(db), create=True) as rt:
            for n, text in enumerate(texts):
                rt.ingest_text(text, article=KEY, at=f"2024-01-01T{n // 60:02d}:{n % 60:02d}:00")
            args.revisions = rt.log(KEY).article.revisions  # unchanged versions make none
        if args.scale:
            scale_up(db, args.scale)
        raw = sqlite3.connect(db)
        (count,) = raw.execute("SELECT count(*) FROM revisions").fetchone()
        print(
            f"one article of {args.revisions} revisions, {len(texts[-1]) / 1e3:.1f} KB each, "
            f"in a database of {count:,} revisions; {args.calls} calls each, milliseconds"
        )
        rt = Revtrack(str(db))
        cache = rt.store._cache
        aid = rt.revision(KEY).article_id
        rows: list[tuple[str, list[float], str, list[float]]] = []

        def raw_log() -> object:
            return raw.execute(
                "SELECT * FROM revisions WHERE article_id = ? ORDER BY number", (aid,)
            ).fetchall()

        rows.append(
            (
                "log",
                timed(lambda: rt.log(KEY), args.calls),
                "sqlite3 rows only",
                timed(raw_log, args.calls),
            )
        )

        import diff_match_patch

        dmp = diff_match_patch.diff_match_patch()
        old, new = texts[-2], texts[-1]

        def plain() -> object:
            d = dmp.diff_main(old, new)
            dmp.diff_cleanupSemantic(d)
            return d

        rows.append(
            (
                "diff latest two",
                timed(lambda: rt.diff(KEY), args.calls, cache.clear),
                "diff-match-patch alone",
                timed(plain, args.calls),
            )
        )

        first = texts[0]
        rows.append(
            (
                "diff v1..latest",
                timed(lambda: rt.diff(KEY, "v1", "latest"), args.calls, cache.clear),
                "diff-match-patch alone",
                timed(lambda: dmp.diff_cleanupSemantic(dmp.diff_main(first, new)), args.calls),
            )
        )

        rng = random.Random(3)
        numbers = [rng.randrange(1, args.revisions + 1) for _ in range(args.calls + 1)]
        it = iter(numbers)
        it_raw = iter(numbers)

        def show() -> object:
            return rt.show(f"{KEY}@v{next(it)}")

        import zstandard

        def raw_show() -> object:
            n = next(it_raw)
            (data,) = raw.execute(
                "SELECT t.data FROM revision_texts t JOIN revisions r ON r.id = t.revision_id "
                "WHERE r.article_id = ? AND r.number = ?",
                (aid, n),
            ).fetchone()
            try:
                return zstandard.ZstdDecompressor().decompress(data)
            except zstandard.ZstdError:
                return data  # a delta row: its read is what this baseline times

        rows.append(
            (
                "show random vN",
                timed(show, args.calls, cache.clear),
                "sqlite3 row + zstd",
                timed(raw_show, args.calls),
            )
        )
        print(f"{'call':18} {'p50':>7} {'p99':>7}   {'baseline':24} {'p50':>7} {'p99':>7}")
        for name, values, base_name, base in rows:
            print(
                f"{name:18} {statistics.median(values):7.3f} {pct(values, 0.99):7.3f}   "
                f"{base_name:24} {statistics.median(base):7.3f} {pct(base, 0.99):7.3f}"
            )
        rt.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
