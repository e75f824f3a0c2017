"""CPU cost of the change classes: ``diff_texts`` over every consecutive corpus pair, run on
this tree and on another source tree (``--src``, e.g. a checkout from before a change), as
process CPU time, which a loaded machine disturbs far less than wall time.

    python bench/bench_classes_speed.py ../shared/corpora --src /tmp/before/src
    python bench/bench_classes_speed.py ../shared/corpora --meaning

``--meaning`` runs this tree twice instead, rules alone (``REVTRACK_MEANING=off``) and with
the model of meaning (the ``meaning`` extra), and says how many hunks the model judged and
what each cost. Prints each tree's CPU seconds for alignment alone (``align`` +
``build_hunks``) and for the whole ``diff_texts`` (moves, classification, statistics), and the
classification share.
"""

from __future__ import annotations

import argparse
import json
import os
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
judged = [0]
try:
    from revtrack.diff import meaning
except ImportError:
    meaning = None
if meaning is not None and meaning.judge() is not None:
    real = meaning.similarity
    def counted(old, new):
        judged[0] += 1
        return real(old, new)
    meaning.similarity = counted
    meaning.similarity("warm up", "warm it up")  # the model loads here, not in the timing
    meaning._similarity.cache_clear()
    judged[0] = 0
diff_texts("warm up", "warm it up")
hunks = 0
t = time.process_time()
for a, b in pairs:
    engine.build_hunks(engine.align(a, b, "word"))
align = time.process_time() - t
t = time.process_time()
for a, b in pairs:
    hunks += len(diff_texts(a, b).hunks)
whole = time.process_time() - t
runs = meaning._similarity.cache_info().misses if judged[0] else 0
print(json.dumps({"pairs": len(pairs), "align": align, "whole": whole, "hunks": hunks,
                  "judged": judged[0], "runs": runs}))
"""


def measure(src: Path, corpus: Path, env: dict[str, str] | None = None) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(src), str(corpus)],
        env={**os.environ, **(env or {})},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(REPO.parent / "shared" / "corpora"))
    parser.add_argument("--src", type=Path, help="the other source tree")
    parser.add_argument("--meaning", action="store_true", help="rules alone against the model")
    args = parser.parse_args()
    corpus, here = Path(args.corpus), REPO / "src"
    if args.meaning:
        rows = {"rules": measure(here, corpus, {"REVTRACK_MEANING": "off"})}
        rows["model"] = measure(here, corpus, {"REVTRACK_MEANING": "on"})
    elif args.src is None:
        parser.error("give --src (another source tree) or --meaning")
    else:
        rows = {"other": measure(args.src, corpus), "this": measure(here, corpus)}
    for name, r in rows.items():
        rest = r["whole"] - r["align"]
        print(
            f"{name:6} {r['pairs']:.0f} pairs: align {r['align']:.2f} s CPU, diff_texts "
            f"{r['whole']:.2f} s, moves+classes+stats {rest:.2f} s "
            f"({rest / r['align']:.0%} of alignment)"
        )
    (base, base_r), (new, new_r) = rows.items()
    print(f"diff_texts, {new} / {base}: {new_r['whole'] / base_r['whole']:.2f}x")
    if args.meaning:
        judged, extra = new_r["judged"], new_r["whole"] - base_r["whole"]
        print(
            f"the model judged {judged:.0f} of {new_r['hunks']:.0f} hunks "
            f"({new_r['runs']:.0f} distinct passage pairs run through it): "
            f"{1000 * extra / max(judged, 1):.1f} ms CPU per judged hunk, "
            f"{1000 * extra / new_r['hunks']:.2f} ms per hunk over all"
        )


if __name__ == "__main__":
    main()
