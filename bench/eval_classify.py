"""Measure hunk classification against labels written by reading real hunks.

Usage:
  python bench/eval_classify.py [CORPUS_DIR]                    precision/recall from the labels
  python bench/eval_classify.py [CORPUS_DIR] --dump N --seed S  print N sampled hunks to label
                                               (without the classifier's verdict)

Labels live in bench/labels/classify_labels.jsonl, one hunk a line: corpus, doc, versions,
the hunk's offsets in both versions and the label (cosmetic, or substantive
with kinds). The rules used when labelling are in bench/labels/CLASSIFY_RULES.md.

Held-out split: a document belongs to the tuning half when the MD5 of its id is even, to the
held-out half when it is odd. Rules were tuned looking only at tuning-half hunks; the figures
to quote are the held-out ones.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from revtrack.diff import diff_texts  # noqa: E402
from revtrack.diff.model import SUBSTANTIVE_KINDS, Hunk  # noqa: E402

LABELS = REPO / "bench" / "labels" / "classify_labels.jsonl"
SPECIFIC = [k for k in SUBSTANTIVE_KINDS if k != "wording"]


def split_of(doc: str) -> str:
    return "tune" if int(hashlib.md5(doc.encode()).hexdigest(), 16) % 2 == 0 else "heldout"


def load_version(root: Path, corpus: str, doc: str, n: int) -> str:
    return (root / corpus / doc / f"v{n:03d}.txt").read_text(encoding="utf-8")


def candidate_pairs(root: Path) -> Iterator[tuple[str, str, int, bool]]:
    """(corpus, doc, version of the newer text, mass_edit) for every changed consecutive pair."""
    for meta_path in sorted(root.glob("*/*/meta.json")):
        meta: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8"))
        corpus, doc = meta_path.parent.parent.name, meta_path.parent.name
        for v in meta["versions"][1:]:
            yield corpus, doc, int(v["version"]), bool(v.get("mass_edit"))


def show(text: str, start: int, end: int, width: int = 160) -> str:
    lo, hi = max(0, start - width), min(len(text), end + width)
    return (
        text[lo:start].replace("\n", "⏎")
        + "⟦"
        + text[start:end].replace("\n", "⏎")
        + "⟧"
        + text[end:hi].replace("\n", "⏎")
    )


def dump(root: Path, n: int, seed: int, editorial: bool) -> None:
    """Sample hunks from a mix of corpora, bulk and editorial edits, and print them to label."""
    rng = random.Random(seed)
    pairs = [p for p in candidate_pairs(root) if not (editorial and p[3])]
    rng.shuffle(pairs)
    groups: dict[tuple[str, bool], list[tuple[str, str, int, bool]]] = {}
    for p in pairs:
        groups.setdefault((p[0], p[3]), []).append(p)
    order = sorted(groups)
    out: list[dict[str, Any]] = []
    i = 0
    while len(out) < n and any(groups.values()):
        key = order[i % len(order)]
        i += 1
        if not groups[key]:
            continue
        corpus, doc, vb, mass = groups[key].pop()
        a, b = load_version(root, corpus, doc, vb - 1), load_version(root, corpus, doc, vb)
        if a == b:
            continue
        hunks = list(diff_texts(a, b).hunks)
        for h in rng.sample(hunks, min(2, len(hunks))):
            out.append(
                {
                    "corpus": corpus,
                    "doc": doc,
                    "va": vb - 1,
                    "vb": vb,
                    "mass_edit": mass,
                    "op": h.op,
                    "a": [h.a_start, h.a_end],
                    "b": [h.b_start, h.b_end],
                }
            )
            print(f"#{len(out) - 1} {corpus}/{doc} v{vb - 1}->v{vb} mass={mass} {h.op}")
            print("  A:", show(a, h.a_start, h.a_end))
            print("  B:", show(b, h.b_start, h.b_end))
    Path("/tmp/classify_candidates.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in out), encoding="utf-8"
    )


def find_hunk(hunks: tuple[Hunk, ...], rec: dict[str, Any]) -> Hunk | None:
    for h in hunks:
        if [h.a_start, h.a_end] == rec["a"] and [h.b_start, h.b_end] == rec["b"]:
            return h
    for h in hunks:  # the engine changed since labelling: take an overlapping hunk
        if h.a_start < rec["a"][1] + 1 and rec["a"][0] < h.a_end + 1 and h.op == rec["op"]:
            return h
    for h in hunks:  # a deletion or insertion now reported as (part of) a move
        if h.op == "move" and (
            (rec["op"] == "delete" and h.a_start <= rec["a"][0] < h.a_end + 1)
            or (rec["op"] == "insert" and h.b_start <= rec["b"][0] < h.b_end + 1)
        ):
            return h
    return None


def prf(tp: int, fp: int, fn: int) -> str:
    p = tp / (tp + fp) if tp + fp else float("nan")
    r = tp / (tp + fn) if tp + fn else float("nan")
    return f"precision {p:6.1%} ({tp}/{tp + fp})  recall {r:6.1%} ({tp}/{tp + fn})"


def evaluate(root: Path, show_heldout: bool, show_kinds: bool = False) -> None:
    records = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines()]
    diffs: dict[tuple[str, str, int], tuple[Hunk, ...]] = {}
    results: dict[str, list[tuple[dict[str, Any], tuple[str, ...]]]] = {"tune": [], "heldout": []}
    missing = 0
    for rec in records:
        key = (rec["corpus"], rec["doc"], rec["vb"])
        if key not in diffs:
            a = load_version(root, rec["corpus"], rec["doc"], rec["va"])
            b = load_version(root, rec["corpus"], rec["doc"], rec["vb"])
            diffs[key] = diff_texts(a, b).hunks
        hunk = find_hunk(diffs[key], rec)
        if hunk is None:
            missing += 1
            continue
        results[split_of(rec["doc"])].append((rec, hunk.kinds))
    print(f"{len(records)} labelled hunks, {missing} no longer found in the diff")
    for split in ("heldout", "tune"):
        rows = results[split]
        print(
            f"\n== {split} ({len(rows)} hunks, "
            f"{sum(r['mass_edit'] for r, _ in rows)} from bulk edits)"
        )
        tp = fp = fn = 0
        for rec, kinds in rows:
            truth = rec["label"] == "substantive"
            pred = kinds != ("cosmetic",)
            tp += truth and pred
            fp += pred and not truth
            fn += truth and not pred
        print(f"substantive        {prf(tp, fp, fn)}")
        for kind in SUBSTANTIVE_KINDS:
            tp = fp = fn = 0
            for rec, kinds in rows:
                truth = kind in rec.get("kinds", [])
                pred = kind in kinds
                tp += truth and pred
                fp += pred and not truth
                fn += truth and not pred
            if tp + fp + fn:
                print(f"{kind:18} {prf(tp, fp, fn)}")
        errors = [(r, k) for r, k in rows if (r["label"] == "substantive") != (k != ("cosmetic",))]
        if split == "heldout" and not show_heldout:
            continue  # never tune on what is reported
        if show_kinds:
            for rec, kinds in rows:
                truth = set(rec.get("kinds", []))
                if rec["label"] == "substantive" and truth != set(kinds):
                    print(
                        f"  kinds: {rec['doc'][:40]} v{rec['va']} {rec['a']} label={sorted(truth)} "
                        f"got {list(kinds)} {rec.get('excerpt', '')}"
                    )
        for rec, kinds in errors:
            print(
                f"  miss: {rec['doc'][:50]} v{rec['va']}->v{rec['vb']} {rec['a']} label="
                f"{rec['label']} {rec.get('kinds', [])} got {list(kinds)} {rec.get('excerpt', '')}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(REPO.parent / "shared" / "corpora"))
    parser.add_argument("--dump", type=int, default=0, help="print N sampled hunks to label")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--editorial", action="store_true", help="dump: skip bulk edits")
    parser.add_argument("--show-heldout-misses", action="store_true")
    parser.add_argument("--show-kinds", action="store_true", help="list kind mismatches (tune)")
    args = parser.parse_args()
    if args.dump:
        dump(Path(args.corpus), args.dump, args.seed, args.editorial)
    else:
        evaluate(Path(args.corpus), args.show_heldout_misses, args.show_kinds)


if __name__ == "__main__":
    main()
