"""Check that a change to classification leaves every hunk's kinds as they were on real pairs.

Usage: python bench/check_kinds.py [CORPUS_DIR] --save OUT.jsonl [--src SRC] [--by B]
       python bench/check_kinds.py [CORPUS_DIR] --compare BEFORE.jsonl [--save AFTER.jsonl]
       python bench/check_kinds.py [CORPUS_DIR] --compare BEFORE.jsonl AFTER.jsonl [--show N]

``diff_texts`` runs on every consecutive version pair of the corpora (unchanged pairs
included) and, per pair, its hunks are written as offsets, op and kinds, with the stats: one
JSON line per pair, numbers only, no corpus text. ``--src`` imports revtrack from another
source tree (an older commit: ``git archive REV src | tar -x -C DIR``), so a baseline can be
made after the fact. ``--compare`` lists the pairs and hunks whose kinds, offsets or stats
differ, each hunk with its words before and after read from the corpus at run time (printed,
never stored), and counts the kind changes ("+negation", "-wording" ...) over all of them:
what to quote in the commit that changed them. With one file it diffs the corpora now; with
two it compares the files.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
# --src must take effect before revtrack is imported.
SRC = Path(sys.argv[sys.argv.index("--src") + 1]) if "--src" in sys.argv else REPO / "src"
sys.path.insert(0, str(SRC))

Row = dict[str, Any]


def pairs(root: Path) -> Iterator[tuple[str, Path, Path]]:
    """(label, older file, newer file) of every consecutive pair, in a stable order."""
    for meta in sorted(root.glob("*/*/meta.json")):
        versions = sorted(meta.parent.glob("v*.txt"))
        for old, new in itertools.pairwise(versions):
            yield f"{meta.parent.relative_to(root)} {old.stem}->{new.stem}", old, new


def run(root: Path, by: str) -> list[Row]:
    from revtrack.diff import diff_texts

    rows: list[Row] = []
    start = time.perf_counter()
    for label, old, new in pairs(root):
        d = diff_texts(old.read_text(encoding="utf-8"), new.read_text(encoding="utf-8"), by)  # type: ignore[arg-type]
        hunks = [[h.op, h.a_start, h.a_end, h.b_start, h.b_end, list(h.kinds)] for h in d.hunks]
        stats = {k: v for k, v in vars(d.stats).items()}
        rows.append({"pair": label, "hunks": hunks, "stats": stats})
    print(f"{SRC}: {len(rows)} pairs in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return rows


def save(rows: list[Row], out: Path) -> None:
    with out.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")


def load(path: Path) -> list[Row]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _snippet(path: Path, start: int, end: int, width: int = 60) -> str:
    text = path.read_text(encoding="utf-8")
    lo, hi = max(0, start - width), min(len(text), end + width)
    return (
        f"{text[lo:start]}[{text[start:end]}]{text[end:hi]}".replace("\n", "⏎")
        if text
        else "(empty)"
    )


def compare(root: Path, before: list[Row], after: list[Row], show: int) -> int:
    """Print what differs; the number of differing pairs."""
    old_rows = {r["pair"]: r for r in before}
    new_rows = {r["pair"]: r for r in after}
    files = {label: (old, new) for label, old, new in pairs(root)}
    missing = sorted(old_rows.keys() ^ new_rows.keys())
    differ = [k for k in old_rows if k in new_rows and old_rows[k] != new_rows[k]]
    hunks = sum(len(r["hunks"]) for r in before)
    print(f"pairs: {len(before)} / {len(after)} ({hunks} hunks before); differing: {len(differ)}")
    for k in missing:
        print(f"  only in one file: {k}")
    changes: Counter[str] = Counter()
    shown = 0
    for k in differ:
        o, n = old_rows[k], new_rows[k]
        offsets_o = [h[:5] for h in o["hunks"]]
        offsets_n = [h[:5] for h in n["hunks"]]
        if offsets_o != offsets_n:
            print(f"  {k}: hunks differ in offsets ({len(offsets_o)} -> {len(offsets_n)})")
            continue
        for ho, hn in zip(o["hunks"], n["hunks"], strict=True):
            if ho[5] == hn[5]:
                continue
            added = sorted(set(hn[5]) - set(ho[5]))
            removed = sorted(set(ho[5]) - set(hn[5]))
            key = " ".join([*(f"+{x}" for x in added), *(f"-{x}" for x in removed)])
            changes[key or "reordered"] += 1
            if shown < show:
                shown += 1
                print(f"  {k} {ho[0]} a[{ho[1]}:{ho[2]}] b[{ho[3]}:{ho[4]}]: {ho[5]} -> {hn[5]}")
                if k in files:
                    print(f"      old: {_snippet(files[k][0], ho[1], ho[2])}")
                    print(f"      new: {_snippet(files[k][1], ho[3], ho[4])}")
        if o["stats"] != n["stats"]:
            diff = {
                f: (o["stats"][f], n["stats"][f])
                for f in o["stats"]
                if o["stats"][f] != n["stats"][f]
            }
            if set(diff) - {"hunks_by_kind"}:
                print(f"  {k}: stats differ beyond the kind counts: {diff}")
    for key, count in changes.most_common():
        print(f"  {count:5} hunks: {key}")
    return len(differ) + len(missing)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(REPO.parent / "shared" / "corpora"))
    parser.add_argument("--save", type=Path, help="write the hunks and kinds of every pair here")
    parser.add_argument("--compare", type=Path, nargs="+", metavar="FILE", help="BEFORE [AFTER]")
    parser.add_argument("--src", type=Path, help="import revtrack from this source tree")
    parser.add_argument("--by", default="word", help="diff granularity (default word)")
    parser.add_argument("--show", type=int, default=50, help="hunks to print with their words")
    args = parser.parse_args()
    if not args.save and not args.compare:
        parser.error("give --save, --compare, or both")
    root = Path(args.corpus)
    if args.compare and len(args.compare) > 2:
        parser.error("--compare takes BEFORE [AFTER]")
    if args.compare and len(args.compare) == 2:
        after = load(args.compare[1])
    else:
        after = run(root, args.by)
        if args.save:
            save(after, args.save)
    if args.compare:
        sys.exit(1 if compare(root, load(args.compare[0]), after, args.show) else 0)


if __name__ == "__main__":
    main()
