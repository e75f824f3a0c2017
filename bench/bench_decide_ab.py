"""CPU cost of the calibrated second look (revtrack.diff.decide): this tree's ``diff_texts``
over every changed corpus pair with the model on and off, alternating block by block of 100
pairs in one process (process CPU time, the order swapped each block), so a shared machine's
load falls on both alike.

    REVTRACK_DECIDE=on REVTRACK_MEANING=off python bench/bench_decide_ab.py ../shared/corpora
"""

from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from revtrack.diff import decide, diff_texts

_BLOCK = 100


def main() -> None:
    root = Path(sys.argv[1])
    pairs = []
    for meta in sorted(root.glob("*/*/meta.json")):
        texts = [v.read_text(encoding="utf-8") for v in sorted(meta.parent.glob("v*.txt"))]
        pairs += [(a, b) for a, b in itertools.pairwise(texts) if a != b]
    shipped = decide.model()
    if shipped is None:
        raise SystemExit("no model to time: run with REVTRACK_DECIDE=on (and the weights file)")
    models = {"on": lambda: shipped, "off": lambda: None}
    diff_texts("warm up", "warm it up")
    diff_texts("a recieve b", "a receive b")  # the word list loads here, not in the timing
    times = {"on": 0.0, "off": 0.0}
    for k in range(0, len(pairs), _BLOCK):
        block = pairs[k : k + _BLOCK]
        for name in ("off", "on") if (k // _BLOCK) % 2 == 0 else ("on", "off"):
            decide.model = models[name]  # type: ignore[assignment]
            started = time.process_time()
            for a, b in block:
                diff_texts(a, b)
            times[name] += time.process_time() - started
    print(f"{len(pairs)} pairs, CPU s: model on {times['on']:.2f}, off {times['off']:.2f}")
    print(f"on/off {times['on'] / times['off']:.3f}")


if __name__ == "__main__":
    main()
