"""The tune part's confusion by labelled kind, and its misses with their text: what to study
when changing the class rules. It never reads a held-out hunk (the held-out third is frozen;
see labels/CLASSES_RULES.md).

Usage:
  python bench/tune_classes.py [CORPUS_DIR] [--show fp|fn|all|none] [--kind KIND]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_classes import REPO, SEVERITY, hunk_class, load_labels, overlapping
from revtrack.diff import diff_texts


def _excerpt(text: str, start: int, end: int, width: int = 90) -> str:
    lo, hi = max(0, start - width), min(len(text), end + width)
    return f"{text[lo:start]}⟦{text[start:end]}⟧{text[end:hi]}".replace("\n", "⏎")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(REPO.parent / "shared" / "corpora"))
    parser.add_argument("--show", default="all", choices=("fp", "fn", "all", "none"))
    parser.add_argument("--kind", default="", help="only misses whose label has this kind")
    args = parser.parse_args()
    root = Path(args.corpus)
    by_kind: Counter[tuple[str, str, str]] = Counter()
    shown = []
    for rec in load_labels():
        if rec["split"] != "tune":
            continue  # never look at the held-out third
        d = root / rec["corpus"] / rec["doc"]
        a = (d / f"v{rec['va']:03d}.txt").read_text(encoding="utf-8")
        b = (d / f"v{rec['vb']:03d}.txt").read_text(encoding="utf-8")
        found = overlapping(diff_texts(a, b).hunks, rec)
        if not found:
            continue
        pred = max((hunk_class(h) for h in found), key=SEVERITY.__getitem__)
        for kind in rec.get("kinds") or ["-"]:
            by_kind[(rec["label"], kind, pred)] += 1
        fp = pred == "substantive" and rec["label"] != "substantive"
        fn = rec["label"] == "substantive" and pred != "substantive"
        if (
            (args.show == "fp" and fp)
            or (args.show == "fn" and fn)
            or (args.show == "all" and (fp or fn))
        ):
            if args.kind and args.kind not in rec.get("kinds", []):
                continue
            shown.append((rec, pred, found, a, b))
    print("label / kind -> revtrack (tune part)")
    for label in ("cosmetic", "minor", "substantive"):
        kinds = sorted({k for (lab, k, _) in by_kind if lab == label})
        for kind in kinds:
            row = {p: by_kind[(label, kind, p)] for p in ("cosmetic", "minor", "substantive")}
            print(f"  {label:12} {kind:17} " + "  ".join(f"{p[:4]} {n:4}" for p, n in row.items()))
    for rec, pred, found, a, b in shown:
        (a0, a1), (b0, b1) = rec["a"], rec["b"]
        print(
            f"\n#{rec['id']} {rec['corpus']}/{rec['doc'][:50]} v{rec['va']} {rec['labeller']}"
            f" label={rec['label']} {rec.get('kinds', [])} got {pred}"
            f" {sorted({k for h in found for k in h.kinds})} ({rec.get('note', '')})"
        )
        print("  A:", _excerpt(a, a0, a1))
        print("  B:", _excerpt(b, b0, b1))
        for h in found:
            print(f"  hunk {h.op} {h.kinds}: {h.old[:120]!r} -> {h.new[:120]!r}")


if __name__ == "__main__":
    main()
