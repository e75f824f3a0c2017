"""Relabel batch "bylines-1": apply the byline rule of labels/CLASSES_RULES.md to every part.

Usage:
  python bench/relabel_bylines.py CORPUS_DIR [--write]

The four readers split on body bylines (``<p class="authors">by {% author x %}</p>``): two
called one added or removed substantive ``name``, two cosmetic. The rule decided from the
class definitions (CLASSES_RULES.md, "Bylines"): a byline is attribution metadata, the same
credit the site shows from the post's front matter; one added, removed or re-marked whole
tells a reader nothing different (cosmetic), while a byline that stays and credits other
people (a person added, dropped, replaced or respelled) is a name changed (substantive).

The rule is applied by the text of each labelled hunk alone — never by revtrack's verdict —
to the tuning and the held-out parts alike; a hunk is relabelled only when each of its sides
is empty or a byline and nothing else, so a byline replaced by a sentence keeps its label.
Without ``--write`` it prints what it would change.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LABELS = REPO / "bench" / "labels" / "classes"
BATCH = "bylines-1"

_AUTHOR = r"\{%-?\s*author\s+([\w.-]+)\s*-?%\}"
_BYLINE = re.compile(
    rf"\s*(?:<p\b[^>]*>)?\s*(?:by\s+)?{_AUTHOR}(?:\s*(?:,\s*(?:and\s+)?|and\s+|&\s*){_AUTHOR})*"
    r"\s*(?:</p>)?\s*",
    re.IGNORECASE,
)


# Images beside a byline are image markup (cosmetic by the rules): set aside before the match.
_IMAGE = re.compile(r"<img\b[^>]*>|!\[[^\]]*\]\([^)]*\)", re.IGNORECASE)


def credited(text: str) -> frozenset[str] | None:
    """The authors a byline credits, or None when ``text`` is not a byline and nothing else
    (images beside it set aside)."""
    if not _BYLINE.fullmatch(_IMAGE.sub(" ", text)):
        return None
    return frozenset(re.findall(_AUTHOR, text))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    root = Path(args.corpus)
    changed: Counter[str] = Counter()
    for path in sorted(LABELS.glob("*.jsonl")):
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        for r in rows:
            d = root / r["corpus"] / r["doc"]
            a = (d / f"v{r['va']:03d}.txt").read_text(encoding="utf-8")
            b = (d / f"v{r['vb']:03d}.txt").read_text(encoding="utf-8")
            old, new = a[slice(*r["a"])], b[slice(*r["b"])]
            sides = [credited(s) if s.strip() else frozenset() for s in (old, new)]
            if None in sides or not (sides[0] or sides[1]):
                continue
            if sides[0] and sides[1] and sides[0] != sides[1]:
                label, kinds = "substantive", ["name"]  # other people credited
            else:
                label, kinds = "cosmetic", []  # a byline added, removed or re-marked whole
            if (label, kinds) == (r["label"], r.get("kinds", [])):
                continue
            print(f"#{r['id']} {r['split']} {r['label']} {r.get('kinds')} -> {label} {kinds}")
            changed[r["split"]] += 1
            r["relabel"] = {
                "batch": BATCH,
                "was": r["label"],
                "was_kinds": r.get("kinds", []),
                "rule": "byline",
            }
            r["label"], r["kinds"] = label, kinds
            r.pop("unsure", None)
        if args.write:
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    print(f"{BATCH}: changed {dict(changed)}" + ("" if args.write else " (dry run)"))


if __name__ == "__main__":
    main()
