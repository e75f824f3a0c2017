"""Draw a sample of real hunks to label by reading, and freeze which documents are held out.

Usage:
  python bench/draw_hunks.py CORPUS_DIR --pairs N --seed S --out /tmp/batch.jsonl
  python bench/draw_hunks.py CORPUS_DIR --pairs N --seed S --new-docs bench/labels/classes \
      --out /tmp/batch.jsonl   # only documents that no labelled part holds

Each drawn hunk is written with an excerpt (about 200 characters either side, for the labeller
only: excerpts are corpus text and never go into the repository; the label files keep offsets).
Pairs are drawn round-robin over corpus x bulk/editorial so every corpus and both kinds of edit
are represented, at most two hunks per pair, hunks chosen at random within a pair.

The held-out split is by document and fixed here, before any tuning: a document is held out
when the MD5 of "corpus/doc" is 0 mod 3 (a third of the documents). Nothing tuned on the
classifier may look at held-out hunks; `eval_classes.py` reports them apart.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from revtrack.diff import diff_texts  # noqa: E402


def split_of(corpus: str, doc: str) -> str:
    """'heldout' for a third of the documents, 'tune' for the rest; frozen before tuning."""
    digest = int(hashlib.md5(f"{corpus}/{doc}".encode()).hexdigest(), 16)
    return "heldout" if digest % 3 == 0 else "tune"


def pairs(root: Path) -> list[tuple[str, str, int, bool]]:
    """(corpus, doc, newer version, bulk edit) for every consecutive pair of every document."""
    out = []
    for meta_path in sorted(root.glob("*/*/meta.json")):
        meta: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8"))
        corpus, doc = meta_path.parent.parent.name, meta_path.parent.name
        for v in meta["versions"][1:]:
            out.append((corpus, doc, int(v["version"]), bool(v.get("mass_edit"))))
    return out


def excerpt(text: str, start: int, end: int, width: int = 200) -> str:
    lo, hi = max(0, start - width), min(len(text), end + width)
    return f"{text[lo:start]}⟦{text[start:end]}⟧{text[end:hi]}".replace("\n", "⏎")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("--pairs", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--per-pair", type=int, default=2)
    parser.add_argument("--skip", default="", help="a label file whose hunks are not drawn again")
    parser.add_argument(
        "--new-docs",
        default="",
        help="a folder of label files: draw only from documents none of them holds (a batch "
        "that grows the set with documents no part has seen)",
    )
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    root = Path(args.corpus)
    rng = random.Random(args.seed)
    taken: set[tuple[str, str, int]] = set()
    if args.skip:
        for line in Path(args.skip).read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            taken.add((r["corpus"], r["doc"], r["vb"]))
    seen_docs: set[tuple[str, str]] = set()
    if args.new_docs:
        for path in sorted(Path(args.new_docs).glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                r = json.loads(line)
                seen_docs.add((r["corpus"], r["doc"]))
    groups: dict[tuple[str, bool], list[tuple[str, str, int, bool]]] = {}
    for p in pairs(root):
        if (p[0], p[1], p[2]) not in taken and (p[0], p[1]) not in seen_docs:
            groups.setdefault((p[0], p[3]), []).append(p)
    for g in groups.values():
        rng.shuffle(g)
    order = sorted(groups)
    drawn, i, out = 0, 0, []
    while drawn < args.pairs and any(groups.values()):
        key = order[i % len(order)]
        i += 1
        if not groups[key]:
            continue
        corpus, doc, vb, mass = groups[key].pop()
        d = root / corpus / doc
        a = (d / f"v{vb - 1:03d}.txt").read_text(encoding="utf-8")
        b = (d / f"v{vb:03d}.txt").read_text(encoding="utf-8")
        if a == b:
            continue
        hunks = list(diff_texts(a, b).hunks)
        if not hunks:
            continue
        drawn += 1
        for h in sorted(rng.sample(hunks, min(args.per_pair, len(hunks))), key=lambda h: h.index):
            out.append(
                {
                    "corpus": corpus,
                    "doc": doc,
                    "va": vb - 1,
                    "vb": vb,
                    "mass_edit": mass,
                    "split": split_of(corpus, doc),
                    "op": h.op,
                    "a": [h.a_start, h.a_end],
                    "b": [h.b_start, h.b_end],
                    "A": excerpt(a, h.a_start, h.a_end),
                    "B": excerpt(b, h.b_start, h.b_end),
                }
            )
    Path(args.out).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in out))
    print(f"{drawn} pairs, {len(out)} hunks -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
