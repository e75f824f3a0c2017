"""Render speed per version pair, against difflib.unified_diff measured in the same run.

Usage: python bench/bench_render.py [CORPUS_DOCS_DIR]   (default ../shared/corpora/site_policy)

Every consecutive version pair of the corpus is diffed once with ``diff_texts`` beforehand;
each renderer is then timed over all the diffs and compared with Python's own
``difflib.unified_diff`` over the same pairs' lines.
"""

from __future__ import annotations

import difflib
import itertools
import sys
import time
from collections.abc import Callable
from pathlib import Path

from revtrack.diff import Diff, diff_texts
from revtrack.render import (
    DiffHeader,
    RevisionInfo,
    render_html,
    render_inline,
    render_json,
    render_side_by_side,
    render_stat,
    render_unified,
)

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "site_policy"


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    pairs = []
    for doc in sorted(p for p in root.iterdir() if p.is_dir()):
        versions = sorted(doc.glob("v*.txt"))
        for x, y in itertools.pairwise(versions):
            pairs.append((x.read_text(encoding="utf-8"), y.read_text(encoding="utf-8")))
    header = DiffHeader(
        "doc",
        RevisionInfo("v1", 1, "2020-01-01T00:00:00Z"),
        RevisionInfo("v2", 2, "2020-01-02T00:00:00Z"),
    )
    start = time.perf_counter()
    diffs = [diff_texts(a, b) for a, b in pairs]
    t_diff = time.perf_counter() - start
    start = time.perf_counter()
    for a, b in pairs:
        "".join(difflib.unified_diff(a.splitlines(True), b.splitlines(True), "a", "b"))
    base = time.perf_counter() - start
    size = sum(len(a) + len(b) for a, b in pairs) / 2 / 1e6
    print(f"{len(pairs)} pairs, {size:.1f} MB per side; engine diff_texts {t_diff:.2f}s")
    print(f"baseline difflib.unified_diff (lines): {base:.2f}s = 1.00x")
    renderers: list[tuple[str, Callable[[Diff], str]]] = [
        ("render_unified", lambda d: render_unified(d, header)),
        ("render_inline", lambda d: render_inline(d, header)),
        ("render_inline color context=1", lambda d: render_inline(d, header, True, context=1)),
        ("render_side_by_side 120 color", lambda d: render_side_by_side(d, header, 120, True)),
        ("render_html", lambda d: render_html(d, header)),
        ("render_json", lambda d: render_json(d, header)),
        ("render_stat", lambda d: render_stat(d, header)),
    ]
    for name, render in renderers:
        start = time.perf_counter()
        worst = 0.0
        for diff in diffs:
            one = time.perf_counter()
            render(diff)
            worst = max(worst, time.perf_counter() - one)
        elapsed = time.perf_counter() - start
        print(
            f"{name:32s} {elapsed:6.2f}s  {elapsed / base:5.2f}x baseline  "
            f"{1000 * elapsed / len(diffs):6.2f} ms/pair  worst {1000 * worst:.0f} ms"
        )


if __name__ == "__main__":
    main()
