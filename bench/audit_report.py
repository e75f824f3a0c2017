"""Run the whole pure audit pipeline over real revision histories, one document at a time.

Usage:
    python bench/audit_report.py [CORPORA_DIR] [--corpora site_policy,18f_blog] [--limit N]

CORPORA_DIR defaults to ../shared/corpora relative to the repository root. Each corpus plays
an "outlet". Per document: diff every version against its parent (word level), detect notes,
pair them across versions, link each new note, audit, keep only the ArticleSummary; the
summaries stream into merge_summaries, so memory stays bounded by one document. It prints the
standards-desk table per corpus, the share of undisclosed findings that fall in bulk site
edits (``mass_edit`` in meta.json), and the time spent auditing as a ratio of the time spent
diffing in the same run (the audit should be a small overhead on the diff it reads).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path

from revtrack.audit import (
    ArticleSummary,
    LinkedNote,
    find_undisclosed,
    merge_summaries,
    summarize_article,
    vanished_notes,
)
from revtrack.corrections import NoteChanges, RevisionChanges, detect_notes, link_note, match_notes
from revtrack.diff import diff_texts

REPO_ROOT = Path(__file__).resolve().parent.parent


class Clock:
    def __init__(self) -> None:
        self.diff = 0.0
        self.notes = 0.0
        self.audit = 0.0
        self.versions = 0
        self.findings: dict[str, list[int]] = {}  # severity -> [in mass edits, in all]


def audit_document(corpus: str, doc: Path, clock: Clock) -> ArticleSummary | None:
    versions = sorted(doc.glob("v[0-9]*.txt"))
    if len(versions) < 2:
        return None
    meta = json.loads((doc / "meta.json").read_text(encoding="utf-8"))
    info = {v["version"]: v for v in meta.get("versions", [])}
    texts = [v.read_text(encoding="utf-8") for v in versions]
    clock.versions += len(texts)

    start = time.perf_counter()
    changes = [
        RevisionChanges(n, diff_texts(texts[n - 2], texts[n - 1], "word"))
        for n in range(2, len(texts) + 1)
    ]
    clock.diff += time.perf_counter() - start

    start = time.perf_counter()
    notes = {n: detect_notes(t) for n, t in enumerate(texts, start=1)}
    spans = {n: [(x.start, x.end) for x in found] for n, found in notes.items()}
    history: list[tuple[int, NoteChanges]] = []
    links: list[LinkedNote] = []
    since = 0  # the last revision that added a note: the linker looks back to it
    for n in range(2, len(texts) + 1):
        note_changes = match_notes(notes[n - 1], notes[n])
        history.append((n, note_changes))
        for note in note_changes.added:
            window = [c for c in reversed(changes[: n - 1]) if c.number > since]
            link = link_note(note, n, window)
            links.append(LinkedNote.from_link(len(links) + 1, note.kind, link, n, note.text))
        if note_changes.added:
            since = n
    clock.notes += time.perf_counter() - start

    start = time.perf_counter()
    times = {}
    for n, v in info.items():
        stamp = v.get("timestamp")
        if stamp:
            times[n] = datetime.fromisoformat(stamp)
    summary = summarize_article(
        doc.name,
        changes,
        links,
        outlet=corpus,
        revisions=len(texts),
        revision_times=times,
        vanished=len(vanished_notes(history)),
        note_spans=spans,
    )
    clock.audit += time.perf_counter() - start
    for finding in find_undisclosed(changes, links, spans):
        tally = clock.findings.setdefault(finding.severity, [0, 0])
        tally[0] += bool(info.get(finding.revision, {}).get("mass_edit"))
        tally[1] += 1
    return summary


def stream(
    root: Path, names: Sequence[str], limit: int | None, clock: Clock
) -> Iterator[ArticleSummary]:
    for name in names:
        docs = sorted(p for p in (root / name).iterdir() if p.is_dir())
        for doc in docs[:limit]:
            summary = audit_document(name, doc, clock)
            if summary is not None:
                yield summary


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return "-" if value is None else str(value)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="?", default=str(REPO_ROOT.parent / "shared/corpora"))
    parser.add_argument("--corpora", dest="names", default="site_policy,18f_blog,digitalgov_news")
    parser.add_argument("--limit", type=int, default=None, help="documents per corpus")
    args = parser.parse_args(argv)
    root = Path(args.corpora)
    if not root.is_dir():
        print(f"no corpora at {root}", file=sys.stderr)
        return 2
    clock = Clock()
    report = merge_summaries(stream(root, args.names.split(","), args.limit, clock))
    rows = [o.as_row() for o in (*report.outlets, report.total)]
    columns = list(rows[0])
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(_fmt(row[c]) for c in columns) + " |")
    print()
    for level in ("high", "medium", "low"):
        mass, total = clock.findings.get(level, [0, 0])
        share = f"{mass / total:.0%}" if total else "-"
        print(f"undisclosed {level}: {total} findings, {share} of them in bulk site edits")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\n{clock.versions} versions; diff {clock.diff:.1f} s, notes+links {clock.notes:.1f} s,"
        f" audit {clock.audit:.2f} s (audit/diff = {clock.audit / max(clock.diff, 1e-9):.3f});"
        f" peak RSS {peak_mb:.0f} MB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
