"""CPU cost of the change classes: ``diff_texts`` over every consecutive corpus pair, run on
this tree and on another source tree (``--src``, e.g. a checkout from before a change), as
process CPU time, which a loaded machine disturbs far less than wall time.

    python bench/bench_classes_speed.py ../shared/corpora --src /tmp/before/src

Prints each tree's CPU seconds for alignment alone (``align`` + ``build_hunks``) and for the
whole ``diff_texts`` (moves, classification, statistics), and the classification share.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

_CHILD = r"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from revtrack.diff import engine
from revtrack.diff import diff_texts
root = Path(sys.argv[2])
pairs = []
for meta in sorted(root.glob("*/*/meta.json")):
    versions = sorted(meta.parent.glob("v*.txt"))
    texts = [v.read_text(encoding="utf-8") for v in versions]
    pairs += [(a, b) for a, b in zip(texts, texts[1:]) if a != b]
diff_texts("warm up", "warm it up")
t = time.process_time()
for a, b in pairs:
    engine.build_hunks(engine.align(a, b, "word"))
align = time.process_time() - t
t = time.process_time()
for a, b in pairs:
    diff_texts(a, b)
whole = time.process_time() - t
print(json.dumps({"pairs": len(pairs), "align": align, "whole": whole}))
"""


def measure(src: Path, corpus: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(src), str(corpus)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(REPO.parent / "shared" / "corpora"))
    parser.add_argument("--src", type=Path, required=True, help="the other source tree")
    args = parser.parse_args()
    rows = {"other": measure(args.src, Path(args.corpus))}
    rows["this"] = measure(REPO / "src", Path(args.corpus))
    for name, r in rows.items():
        rest = r["whole"] - r["align"]
        print(
            f"{name:6} {r['pairs']} pairs: align {r['align']:.2f} s CPU, diff_texts "
            f"{r['whole']:.2f} s, moves+classes+stats {rest:.2f} s "
            f"({rest / r['align']:.0%} of alignment)"
        )
    ratio = rows["this"]["whole"] / rows["other"]["whole"]
    print(f"diff_texts, this / other: {ratio:.2f}x")


if __name__ == "__main__":
    main()
