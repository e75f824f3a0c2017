"""How well revtrack's change classes match hunks labelled by reading (cosmetic/minor/substantive).

Usage:
  python bench/eval_classes.py [CORPUS_DIR] [--show-tune-misses] [--show-heldout-misses]
  python bench/eval_classes.py [CORPUS_DIR] --batch classes-5   # one batch alone
  python bench/eval_classes.py [CORPUS_DIR] --batch classes-1,classes-2,classes-3,classes-4
  REVTRACK_MEANING=off python bench/eval_classes.py ...   # rules alone, with the extra installed
  REVTRACK_DECIDE=on python bench/eval_classes.py ...     # with the calibrated second look

Labels: bench/labels/classes/*.jsonl (rules and how they were drawn: CLASSES_RULES.md). Each
label names a region of two consecutive versions (the hunk as the word diff reported it when it
was drawn). The diff may since cut regions differently (a split hunk, a move), so a labelled
region is judged by every hunk of today's diff that overlaps it, and takes the most severe class
among them: that is what an editor reading the audit would see for that stretch of text.

The held-out third (a document is held out when MD5("corpus/doc") is 0 mod 3) was frozen before
tuning; its misses are printed only on request, and nothing may be tuned on them. Figures to
quote are the held-out ones, per class, with a confusion matrix, and per kind.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from revtrack.diff import diff_texts, meaning  # noqa: E402
from revtrack.diff.model import Hunk  # noqa: E402

LABELS = REPO / "bench" / "labels" / "classes"
CLASSES = ("cosmetic", "minor", "substantive")
SEVERITY = {c: i for i, c in enumerate(CLASSES)}
VALUE_KINDS = ("number", "date", "name", "quote", "negation", "headline")


def hunk_class(h: Hunk) -> str:
    """The class of one hunk: its `change_class` when the diff has one, else from its kinds."""
    cls = getattr(h, "change_class", None)
    if cls:
        return str(cls)
    if h.kinds == ("cosmetic",):
        return "cosmetic"
    return "minor" if "minor" in h.kinds else "substantive"


def overlapping(hunks: tuple[Hunk, ...], rec: dict[str, Any]) -> list[Hunk]:
    (a0, a1), (b0, b1) = rec["a"], rec["b"]

    def meets(lo: int, hi: int, start: int, end: int) -> bool:
        if lo == hi:  # an empty side (insertion point): touching counts
            return start <= lo <= end
        return (start < hi and lo < end) or (start == end and lo <= start <= hi)

    out = []
    for h in hunks:
        on_a = meets(a0, a1, h.a_start, h.a_end)
        on_b = meets(b0, b1, h.b_start, h.b_end)
        if rec["op"] == "insert":  # labelled on its new side; a replace may cover its point
            hit = on_b or (h.op != "insert" and on_a)
        elif rec["op"] == "delete":
            hit = on_a or (h.op != "delete" and on_b)
        else:
            hit = on_a or on_b
        if hit:
            out.append(h)
    return out


def load_labels() -> list[dict[str, Any]]:
    rows = []
    for path in sorted(LABELS.glob("*.jsonl")):
        rows.extend(json.loads(line) for line in path.read_text(encoding="utf-8").splitlines())
    return rows


def prf(tp: int, fp: int, fn: int) -> str:
    p = tp / (tp + fp) if tp + fp else float("nan")
    r = tp / (tp + fn) if tp + fn else float("nan")
    return f"precision {p:6.1%} ({tp}/{tp + fp})  recall {r:6.1%} ({tp}/{tp + fn})"


def report(split: str, rows: list[tuple[dict[str, Any], str, set[str]]]) -> None:
    print(f"\n== {split}: {len(rows)} hunks ({sum(r['mass_edit'] for r, _, _ in rows)} bulk)")
    confusion = Counter((r["label"], pred) for r, pred, _ in rows)
    print("confusion (rows: label, columns: revtrack)")
    print(f"{'':14}" + "".join(f"{c:>13}" for c in CLASSES))
    for truth in CLASSES:
        print(f"{truth:14}" + "".join(f"{confusion[(truth, p)]:13}" for p in CLASSES))
    for cls in CLASSES:
        tp = confusion[(cls, cls)]
        fp = sum(confusion[(t, cls)] for t in CLASSES if t != cls)
        fn = sum(confusion[(cls, p)] for p in CLASSES if p != cls)
        print(f"{cls:14} {prf(tp, fp, fn)}")
    tp = sum(1 for r, p, _ in rows if r["label"] == "substantive" and p == "substantive")
    fp = sum(1 for r, p, _ in rows if r["label"] != "substantive" and p == "substantive")
    print(
        f"cosmetic<->minor confusion: {confusion[('cosmetic', 'minor')]} cosmetic called minor, "
        f"{confusion[('minor', 'cosmetic')]} minor called cosmetic"
    )
    print(f"substantive flagged that a policy would not: {fp} of {tp + fp}")
    print("kinds, on hunks labelled substantive:")
    for kind in (*VALUE_KINDS, "sentence-added", "sentence-removed", "wording"):
        ktp = kfp = kfn = 0
        for rec, pred, kinds in rows:
            truth = rec["label"] == "substantive" and kind in rec.get("kinds", [])
            got = pred == "substantive" and kind in kinds
            ktp += truth and got
            kfp += got and not truth and rec["label"] == "substantive"
            kfn += truth and not got
        if ktp + kfp + kfn:
            print(f"  {kind:16} {prf(ktp, kfp, kfn)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(REPO.parent / "shared" / "corpora"))
    parser.add_argument("--show-tune-misses", action="store_true")
    parser.add_argument("--show-heldout-misses", action="store_true", help="never tune on these")
    parser.add_argument(
        "--batch",
        default="",
        help="only the labels of these batches, comma-separated (e.g. classes-5, the documents "
        "no earlier batch held); their parts are split by document as the rest",
    )
    args = parser.parse_args()
    root = Path(args.corpus)
    batches = set(args.batch.split(",")) if args.batch else set()
    labels = [r for r in load_labels() if not batches or r.get("batch") in batches]
    diffs: dict[tuple[str, str, int], tuple[Hunk, ...]] = {}
    results: dict[str, list[tuple[dict[str, Any], str, set[str]]]] = {"heldout": [], "tune": []}
    missing = 0
    started = time.perf_counter()
    for rec in labels:
        key = (rec["corpus"], rec["doc"], rec["vb"])
        if key not in diffs:
            d = root / rec["corpus"] / rec["doc"]
            a = (d / f"v{rec['va']:03d}.txt").read_text(encoding="utf-8")
            b = (d / f"v{rec['vb']:03d}.txt").read_text(encoding="utf-8")
            diffs[key] = diff_texts(a, b).hunks
        found = overlapping(diffs[key], rec)
        if not found:
            missing += 1
            continue
        pred = max((hunk_class(h) for h in found), key=SEVERITY.__getitem__)
        kinds = {k for h in found for k in h.kinds}
        results[rec["split"]].append((rec, pred, kinds))
    elapsed = time.perf_counter() - started
    print(meaning.describe())
    print(f"{len(labels)} labelled hunks from {len(diffs)} version pairs, {missing} not found")
    print(f"(diffed in {elapsed:.1f} s)")
    for split in ("heldout", "tune"):
        report(split, results[split])
        show = args.show_heldout_misses if split == "heldout" else args.show_tune_misses
        if show:
            for rec, pred, kinds in results[split]:
                if pred != rec["label"]:
                    print(
                        f"  miss #{rec['id']} {rec['corpus']}/{rec['doc'][:40]} v{rec['va']} "
                        f"{rec['a']} label={rec['label']} {rec.get('kinds', [])} "
                        f"got {pred} {sorted(kinds)}  ({rec.get('note', '')})"
                    )


if __name__ == "__main__":
    main()
