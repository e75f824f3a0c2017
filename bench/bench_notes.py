"""What note detection costs per revision on the shared corpora (issue #14: import >= 500 rev/s).

Import runs note detection on every revision: the service's path is
``revtrack.service.analysis.note_changes`` (detection on the paragraphs the diff touched, see
``revtrack.corrections.incremental``), and the linker runs only for the rare revision that adds a
note. This script times, over every version of the corpora read at run time:

* ``detect_notes`` on each whole text (what a first revision, the audit and ``relink`` pay);
* ``diff_notes`` on each consecutive pair (two whole-text detections and the pairing);
* ``note_changes`` as ingest calls it, with the diff computed beforehand and left out of the time;
* ``link_note`` for each note that path reports (with the changes of its revision).

It prints microseconds per revision and the share of the 2 ms a revision may take at 500 rev/s.
Timings are CPU time (``time.process_time``) so that other jobs on the machine weigh less.

With ``--baseline SRC`` (the ``src`` folder of another tree, e.g. ``git archive main src``
unpacked), the same rows are timed for that tree's detector too, in this process and
interleaved run by run, and the ratio this tree / baseline is printed: a change to the detector
is measured against the code before it in the same run, whatever else loads the machine.

    python bench/bench_notes.py ../shared/corpora [--repeat 3] [--baseline /tmp/base/src]
    python bench/bench_notes.py ../shared/corpora --baseline /tmp/base/src --detections
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

from revtrack.corrections import RevisionChanges, detect_notes, diff_notes, link_note
from revtrack.diff import Diff, diff_texts
from revtrack.service.analysis import note_changes

CORPORA = ("18f_blog", "digitalgov_news", "site_policy", "wikipedia_versions")
BUDGET_US = 1e6 / 500  # one revision's share of a second at 500 revisions/s


def documents(root: Path) -> Iterator[list[str]]:
    for corpus in CORPORA:
        base = root / corpus
        if not base.is_dir():
            continue
        for folder in sorted(p for p in base.iterdir() if p.is_dir()):
            texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("v*.txt"))]
            if texts:
                yield texts


def best_of(repeat: int, run: object) -> float:
    assert callable(run)
    times = []
    for _ in range(repeat):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return min(times)


def load_tree(src: Path) -> SimpleNamespace:
    """The note functions of the revtrack package under ``src``, imported beside this tree's.

    This tree's ``revtrack`` modules are set aside in ``sys.modules`` while the other tree's
    are imported, then put back: each function keeps its own module's globals, so both trees'
    functions can be called in one process.
    """
    mine = {k: v for k, v in sys.modules.items() if k == "revtrack" or k.startswith("revtrack.")}
    for k in mine:
        del sys.modules[k]
    sys.path.insert(0, str(src))
    try:
        corrections = importlib.import_module("revtrack.corrections")
        analysis = importlib.import_module("revtrack.service.analysis")
        tree = SimpleNamespace(
            detect_notes=corrections.detect_notes,
            diff_notes=corrections.diff_notes,
            note_changes=analysis.note_changes,
        )
    finally:
        sys.path.remove(str(src))
        for k in [k for k in sys.modules if k == "revtrack" or k.startswith("revtrack.")]:
            del sys.modules[k]
        sys.modules.update(mine)
    return tree


def compare(
    repeat: int,
    rows: list[tuple[str, Callable[[SimpleNamespace], None], int]],
    base: SimpleNamespace,
) -> None:
    """Each row for this tree and the baseline, alternating run by run; best of ``repeat``."""
    here = SimpleNamespace(
        detect_notes=detect_notes, diff_notes=diff_notes, note_changes=note_changes
    )
    print(f"CPU time, best of {repeat}, this tree against the baseline tree in the same run:")
    for name, run, count in rows:
        times: dict[str, list[float]] = {"this": [], "base": []}
        for _ in range(repeat):
            for which, tree in (("base", base), ("this", here)):
                start = time.process_time()
                run(tree)
                times[which].append(time.process_time() - start)
        this, before = min(times["this"]), min(times["base"])
        print(
            f"  {name:42} this {1e6 * this / max(1, count):7.1f} us/revision"
            f" ({100 * 1e6 * this / max(1, count) / BUDGET_US:4.1f}% of 2 ms),"
            f" baseline {1e6 * before / max(1, count):7.1f}  ratio {this / before:.2f}x"
        )


def compare_detections(corpora: Path, base: SimpleNamespace) -> int:
    """Every note on every version of the corpora that this tree or ``base`` reports alone."""
    versions = both = 0
    new: dict[tuple[str, str], None] = {}
    lost: dict[tuple[str, str], None] = {}
    for d in documents(corpora):
        for text in d:
            versions += 1
            here = {(n.start, n.end, n.kind) for n in detect_notes(text)}
            there = {(n.start, n.end, n.kind) for n in base.detect_notes(text)}
            both += len(here & there)
            for found, into in ((here - there, new), (there - here, lost)):
                for start, end, kind in sorted(found):
                    into[(kind, " ".join(text[start:end].split())[:200])] = None
    print(
        f"{versions} versions; detections in both trees {both}; "
        f"only in this tree {len(new)}; only in the baseline {len(lost)} (distinct texts)"
    )
    for label, rows in (("THIS", new), ("BASE", lost)):
        for kind, text in rows:
            print(f"  {label} {kind}: {text}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", type=Path)
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs (default 3)")
    parser.add_argument(
        "--baseline", type=Path, help="src folder of another tree to time against (same run)"
    )
    parser.add_argument(
        "--detections",
        action="store_true",
        help="with --baseline: instead of timing, list every detection on every version that "
        "one tree reports and the other does not (a precision check on the corpora)",
    )
    args = parser.parse_args(argv)
    if args.detections:
        if args.baseline is None:
            parser.error("--detections needs --baseline")
        return compare_detections(args.corpora, load_tree(args.baseline))
    docs = list(documents(args.corpora))
    versions = sum(len(d) for d in docs)
    pairs = [(d[i - 1], d[i]) for d in docs for i in range(1, len(d))]
    megabytes = sum(len(t) for d in docs for t in d) / 1e6
    print(f"{len(docs)} documents, {versions} versions, {megabytes:.1f} M characters")
    start = time.process_time()
    diffs: list[Diff] = [diff_texts(a, b) for a, b in pairs]
    print(f"diffs computed beforehand: {time.process_time() - start:.1f} s CPU (not timed below)")

    if args.baseline is not None:
        base = load_tree(args.baseline)

        def whole_of(tree: SimpleNamespace) -> None:
            for d in docs:
                for text in d:
                    tree.detect_notes(text)

        def service_of(tree: SimpleNamespace) -> None:
            for (a, b), diff in zip(pairs, diffs, strict=True):
                tree.note_changes(a, b, diff)

        compare(
            args.repeat,
            [
                ("detect_notes, every whole text", whole_of, versions),
                ("note_changes (ingest's path), every pair", service_of, len(pairs)),
            ],
            base,
        )
        return 0

    def whole() -> None:
        for d in docs:
            for text in d:
                detect_notes(text)

    def pairwise() -> None:
        for a, b in pairs:
            diff_notes(a, b)

    found: list[tuple[int, object]] = []

    def service() -> None:
        found.clear()
        for k, ((a, b), diff) in enumerate(zip(pairs, diffs, strict=True)):
            changes = note_changes(a, b, diff)
            for note in (*changes.added, *(new for _, new in changes.amended)):
                found.append((k, note))

    def linking() -> None:
        for k, note in found:
            link_note(note, 2, [RevisionChanges(2, diffs[k])])  # type: ignore[arg-type]

    rows = [
        ("detect_notes, every whole text", whole, versions),
        ("diff_notes, every consecutive pair", pairwise, len(pairs)),
        ("note_changes (ingest's path), every pair", service, len(pairs)),
    ]
    print(f"CPU time, best of {args.repeat}:")
    for name, run, count in rows:
        seconds = best_of(args.repeat, run)
        per = 1e6 * seconds / max(1, count)
        print(
            f"  {name:42} {seconds:6.2f} s  {per:7.1f} us/revision"
            f"  {100 * per / BUDGET_US:5.1f}% of 2 ms"
        )
    seconds = best_of(args.repeat, linking)
    per = 1e6 * seconds / max(1, len(pairs))
    print(
        f"  {'link_note, notes ingest reports (' + str(len(found)) + ')':42} {seconds:6.2f} s"
        f"  {per:7.1f} us/revision  {100 * per / BUDGET_US:5.1f}% of 2 ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
