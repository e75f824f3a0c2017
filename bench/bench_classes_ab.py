"""CPU cost of stop 12's page-assembly checks (revtrack.diff.assembly): this tree's
``diff_texts`` over every changed corpus pair with the checks on and off, alternating twice in
one process (process CPU time), so the load of a shared machine falls on both alike.

    REVTRACK_MEANING=off python bench/bench_classes_ab.py ../shared/corpora
"""

from __future__ import annotations

import itertools
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from revtrack.diff import classify, diff_texts

_OFF: dict[str, Callable[..., Any]] = {
    "same_post": lambda old, new: False,
    "unconditional_words": lambda old, new: None,
    "reordered_lines": lambda *args: False,
    "_with_link_text": lambda a, out: out,
    "byline_credits": lambda text: None,
    "still_on_page": lambda sentence, page: False,
}


def main() -> None:
    root = Path(sys.argv[1])
    pairs = []
    for meta in sorted(root.glob("*/*/meta.json")):
        texts = [v.read_text(encoding="utf-8") for v in sorted(meta.parent.glob("v*.txt"))]
        pairs += [(a, b) for a, b in itertools.pairwise(texts) if a != b]
    on = {name: getattr(classify, name) for name in _OFF}
    times: dict[str, list[float]] = {"on": [], "off": []}
    for order in (("off", "on"), ("on", "off")):
        for name in order:
            for attr, fn in (on if name == "on" else _OFF).items():
                setattr(classify, attr, fn)
            started = time.process_time()
            for a, b in pairs:
                diff_texts(a, b)
            times[name].append(time.process_time() - started)
    for attr, fn in on.items():
        setattr(classify, attr, fn)
    ratio = sum(times["on"]) / sum(times["off"])
    print(f"{len(pairs)} pairs, CPU s: checks on {times['on']}, off {times['off']}")
    print(f"on/off {ratio:.3f}")


if __name__ == "__main__":
    main()
