"""Accuracy of note detection and linking, on real versioned documents read at run time.

The pipeline is the pure one the service runs on every ingest, with no database: read the
versions, diff consecutive ones with ``diff_texts``, find new or amended notes with
``diff_notes``, link each with ``link_note`` over its window (the disclosing revision back to,
not including, the revision of the previous other note).

Three evaluations, each split into a tuning half (the first half of the file, what the
patterns and weights were adjusted on) and a held-out half, reported separately:

1. the example story (argument ``--example``);
2. ``corrections/notes_in_histories.jsonl``: notes found by a loose expression in later versions
   of real documents, labelled by reading (``bench/labels/notes_in_histories_labels.jsonl``), plus
   detection precision over every version of every corpus, checked against a labelled list
   of every detection (``bench/labels/detections_labels.jsonl``);
3. ``corrections/web_notes.jsonl``: real published notes, each put into small synthetic
   histories built from sentences typed while labelling (``bench/labels/web_notes_fixtures.jsonl``).

Baselines measured in the same run: a one-keyword detector (a line starting with Correction,
Update, Note, ...) and a linker that always names the disclosing revision.

    python bench/eval_corrections.py [CORPORA] [--example DIR] [--show]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from revtrack.corrections import (
    Link,
    Note,
    RevisionChanges,
    detect_notes,
    diff_notes,
    link_note,
)
from revtrack.corrections.notes_diff import note_similarity
from revtrack.diff import diff_texts

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "bench" / "labels"
CORPORA = ("18f_blog", "digitalgov_news", "site_policy", "wikipedia_versions")


# ------------------------------------------------------------------------------ pipeline


@dataclass
class Event:
    """A note that appeared (added) or changed (amended) in one version, with its link."""

    version: int
    change: str  # "added" | "amended"
    note: Note
    link: Link | None = None
    lineage: int = 0


@dataclass
class History:
    texts: list[str]
    events: list[Event] = field(default_factory=list)


def run_pipeline(texts: Sequence[str], link: bool = True) -> History:
    """Detect and link the notes of one document's versions (texts[0] is v1)."""
    history = History(list(texts))
    changes: dict[int, RevisionChanges] = {}
    lineage_of: dict[tuple[int, int], int] = {}  # (version, note start) -> lineage id
    latest_by_lineage: dict[int, int] = {}  # lineage -> version where it was added
    next_lineage = 1
    removed: dict[int, Note] = {}  # lineage -> the note as it was when it disappeared
    for i in range(1, len(texts)):
        version = i + 1
        notes = diff_notes(texts[i - 1], texts[i])
        found: list[tuple[str, Note, int]] = []
        for note in notes.added:
            # A note removed earlier and now back is the same note, restored.
            restored = next(
                (lin for lin, gone in removed.items() if note_similarity(gone, note) >= 0.6), 0
            )
            if restored:
                del removed[restored]
                found.append(("added", note, restored))
                continue
            found.append(("added", note, next_lineage))
            latest_by_lineage[next_lineage] = version
            next_lineage += 1
        for gone in notes.removed:
            lin = lineage_of.get((version - 1, gone.start), 0)
            if lin:
                removed[lin] = gone
        for old, new in notes.amended:
            lineage = lineage_of.get((version - 1, old.start), 0)
            found.append(("amended", new, lineage))
        # Carry lineages of unchanged notes forward.
        before = {
            n.text: lineage_of.get((version - 1, n.start), 0) for n in detect_notes(texts[i - 1])
        }
        for kept in detect_notes(texts[i]):
            if before.get(kept.text):
                lineage_of[(version, kept.start)] = before[kept.text]
        for _, note, lineage in found:
            lineage_of[(version, note.start)] = lineage
        if link and found:
            changes[version] = RevisionChanges(version, diff_texts(texts[i - 1], texts[i]))
        for change, note, lineage in found:
            event = Event(version, change, note, lineage=lineage)
            if link:
                previous = max(
                    (v for lin, v in latest_by_lineage.items() if lin != lineage and v < version),
                    default=1,
                )
                window: list[RevisionChanges] = []
                for k in range(version, previous, -1):
                    if k not in changes:
                        changes[k] = RevisionChanges(k, diff_texts(texts[k - 2], texts[k - 1]))
                    window.append(changes[k])
                event.link = link_note(note, version, window)
                if not event.link.matched:
                    # A reworded note keeps the link its first wording earned.
                    first = next(
                        (e for e in history.events if e.lineage == lineage and e.link), None
                    )
                    if first is not None and first.link is not None:
                        event.link = first.link
            history.events.append(event)
    return history


def read_versions(folder: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(folder.glob("v*.txt"))]


def keyword_baseline(old_text: str, new_text: str) -> list[str]:
    """A one-keyword detector: new lines that start with a note word."""
    pattern = re.compile(
        r"^[\W_]*(?:correction|clarification|editor'?s note|update|note|retraction)\b", re.I | re.M
    )
    old = {m.group(0) + old_text[m.end() : m.end() + 60] for m in pattern.finditer(old_text)}
    return [
        m.group(0) + new_text[m.end() : m.end() + 60]
        for m in pattern.finditer(new_text)
        if m.group(0) + new_text[m.end() : m.end() + 60] not in old
    ]


# ------------------------------------------------------------------------------- reports


def pct(n: int, d: int) -> str:
    return f"{n}/{d} = {100 * n / d:.0f}%" if d else "n/a"


def evaluate_example(folder: Path, show: bool) -> None:
    print(f"== 1. example story: {folder}")
    texts = read_versions(folder)
    history = run_pipeline(texts)
    for e in history.events:
        assert e.link is not None
        print(
            f"  v{e.version} {e.change} {e.note.kind} -> fixing v{e.link.fixing_revision} "
            f"matched={e.link.matched} confidence={e.link.confidence}"
        )
        for ev in e.link.evidence:
            print(
                f"    evidence v{ev.revision} hunk {ev.hunk_index}: {ev.old!r} -> {ev.new!r} "
                f"words={list(ev.matched_words)} kind={ev.error_kind or '-'}"
            )
    added = [e for e in history.events if e.change == "added"]
    correct = [e for e in added if e.link and e.link.fixing_revision == 3 and e.link.matched]
    print(
        f"  detection: {len(added)} note(s) detected, expected 1 (v3); "
        f"fixing revision correct: {pct(len(correct), 1)}"
    )
    print()


def _locate(corpora: Path, row: dict[str, object], label: dict[str, object]) -> tuple[Path, int]:
    document = str(label.get("resolved_document") or row["document"])
    version = int(str(label.get("resolved_version") or row["added_in_version"]))
    return corpora / document, version


def evaluate_histories(corpora: Path, show: bool) -> None:
    print("== 2. notes_in_histories.jsonl (labels: bench/labels/notes_in_histories_labels.jsonl)")
    rows = [
        json.loads(line) for line in (corpora / "corrections" / "notes_in_histories.jsonl").open()
    ]
    labels = {
        row["id"]: row
        for row in map(json.loads, (LABELS / "notes_in_histories_labels.jsonl").open())
    }
    cache: dict[Path, History] = {}
    half = (len(rows) + 1) // 2
    for name, part in (("tuning half", rows[:half]), ("held-out half", rows[half:])):
        tp = fp = fn = tn = 0
        base_tp = base_fp = 0
        link_ok = link_total = visible_ok = visible_total = naive_ok = 0
        failures: list[str] = []
        for row in part:
            label = labels[row["id"]]
            folder, version = _locate(corpora, row, label)
            if folder not in cache:
                cache[folder] = run_pipeline(read_versions(folder))
            history = cache[folder]
            needle = _needle(str(row["note_text"]))
            events = [
                e
                for e in history.events
                if e.version == version
                and needle in _squash(history.texts[version - 1][e.note.start : e.note.end])
            ]
            baseline_hit = any(
                needle[:25] in _squash(x) or _squash(x)[:25] in needle
                for x in keyword_baseline(history.texts[version - 2], history.texts[version - 1])
            )
            real = bool(label["real_note"])
            if events and real:
                tp += 1
            elif events and not real:
                fp += 1
                failures.append(f"{row['id']}: detected but not a real note ({label['reason']})")
            elif real:
                fn += 1
                failures.append(f"{row['id']}: real note missed")
            else:
                tn += 1
            base_tp += baseline_hit and real
            base_fp += baseline_hit and not real
            if real and events:
                link = events[0].link
                assert link is not None
                link_total += 1
                ok = link.fixing_revision == label["fixing_version"]
                link_ok += ok
                naive_ok += version == label["fixing_version"]
                if label["fix_visible"]:
                    visible_total += 1
                    visible_ok += ok and link.matched
                if not ok:
                    failures.append(
                        f"{row['id']}: linked to v{link.fixing_revision}, "
                        f"expected v{label['fixing_version']}"
                    )
        print(f"  {name} ({len(part)} entries, {tp + fn} real notes):")
        print(
            f"    detection recall {pct(tp, tp + fn)}, precision {pct(tp, tp + fp)}"
            f"   | keyword baseline: recall {pct(base_tp, tp + fn)}, "
            f"precision {pct(base_tp, base_tp + base_fp)}"
        )
        print(
            f"    fixing revision correct {pct(link_ok, link_total)}"
            f" (with a visible body fix, matched to it: {pct(visible_ok, visible_total)})"
            f"   | 'always the disclosing revision' baseline: {pct(naive_ok, link_total)}"
        )
        for f in failures:
            print(f"    FAIL {f}")
    print()


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text).lower().strip()


def _needle(note_text: str) -> str:
    squashed = _squash(note_text)
    return squashed[:60]


def iter_documents(corpora: Path) -> Iterator[tuple[str, Path]]:
    for corpus in CORPORA:
        base = corpora / corpus
        if not base.is_dir():
            continue
        for folder in sorted(p for p in base.iterdir() if p.is_dir()):
            yield f"{corpus}/{folder.name}", folder


def evaluate_all_versions(corpora: Path, show: bool) -> None:
    print(
        "== 2b. every detection over all versions of the corpora "
        "(labels: bench/labels/detections_labels.jsonl)"
    )
    labels = {}
    path = LABELS / "detections_labels.jsonl"
    if path.exists():
        for row in map(json.loads, path.open()):
            labels[(row["document"], row["version"], row["starts"])] = row
    start = time.perf_counter()
    versions = detections = real = wrong = unlabelled = 0
    base_detections = 0
    docs = 0
    for name, folder in iter_documents(corpora):
        docs += 1
        texts = read_versions(folder)
        versions += len(texts)
        for note in detect_notes(texts[0]):
            detections += 1
            real, wrong, unlabelled = _judge(labels, name, 1, note, real, wrong, unlabelled, show)
        for i in range(1, len(texts)):
            base_detections += len(keyword_baseline(texts[i - 1], texts[i]))
            changes = diff_notes(texts[i - 1], texts[i])
            for note in [*changes.added, *(new for _, new in changes.amended)]:
                detections += 1
                real, wrong, unlabelled = _judge(
                    labels, name, i + 1, note, real, wrong, unlabelled, show
                )
    seconds = time.perf_counter() - start
    print(f"  {docs} documents, {versions} versions, {seconds:.1f} s")
    print(
        f"  notes reported (in v1, or added/amended later): {detections}; labelled real {real}, "
        f"not notes {wrong}, unlabelled {unlabelled}"
    )
    print(
        f"  detection precision over all versions: {pct(real, real + wrong)}"
        f"   | keyword baseline reports {base_detections} new lines"
    )
    print()


def _judge(
    labels: dict[tuple[str, int, str], dict[str, object]],
    document: str,
    version: int,
    note: Note,
    real: int,
    wrong: int,
    unlabelled: int,
    show: bool,
) -> tuple[int, int, int]:
    key = (document, version, _squash(note.text)[:40])
    label = labels.get(key)
    if label is None:
        unlabelled += 1
        print(
            "    UNLABELLED "
            + json.dumps({"document": document, "version": version, "starts": key[2]})
        )
    elif label["real"]:
        real += 1
    else:
        wrong += 1
        print(f"    NOT A NOTE {document} v{version}: {key[2]!r}")
    if show and label is not None:
        print(f"    ok {document} v{version} {note.kind}: {key[2]!r}")
    return real, wrong, unlabelled


# ----------------------------------------------------------------------- web notes


FILLER = [
    "The announcement came at a briefing on Tuesday morning.",
    "Officials said more details would follow later in the week.",
    "The hall was full well before the doors closed.",
    "Several speakers thanked the volunteers who organised the event.",
    "Tickets for the autumn season go on sale next month.",
    "A spokesman declined to comment further.",
]
# An unrelated edit elsewhere in the story, varied so that some share the note's error kind.
DISTRACTORS = [
    (
        2,
        "The hall was full well before the doors closed.",
        "The hall, which seats 350, was full well before the doors closed.",
    ),
    (
        1,
        "Officials said more details would follow later in the week.",
        "Officials said more details would follow on Thursday.",
    ),
    (
        3,
        "Several speakers thanked the volunteers who organised the event.",
        "Several speakers, including Ann Porter, thanked the volunteers who organised the event.",
    ),
    (
        4,
        "Tickets for the autumn season go on sale next month.",
        "Tickets for the autumn season go on sale on 12 September.",
    ),
    (5, "A spokesman declined to comment further.", "A spokeswoman declined to comment further."),
]


def _story(sentences: list[str]) -> str:
    return "\n\n".join(s for s in sentences if s)


def build_web_histories(
    row: dict[str, object], fixture: dict[str, object], index: int
) -> dict[str, tuple[list[str], int]]:
    """Three histories for one note: fix then note; fix with note; fix, other edit, note."""
    if fixture.get("from_corpus"):
        wrong = str(row["original_text"])
        right = str(row["corrected_text"] or "")
    else:
        wrong, right = str(fixture["wrong"]), str(fixture["right"])
    note_text = str(row["note_text"])
    kind = str(row["kind"]).lower()
    label = (
        "Clarification"
        if "clarification" in kind
        else "Editor's note"
        if "editor" in kind
        else ("Retraction" if "retraction" in kind else "Correction")
    )
    note = (
        note_text
        if re.match(r"(?i)(correction|clarification)\b", note_text)
        else f"{label}: {note_text}"
    )
    _, before, after = DISTRACTORS[index % len(DISTRACTORS)]
    base = [*FILLER[:3], wrong, *FILLER[3:]]
    fixed = [*FILLER[:3], right, *FILLER[3:]]

    def distract(sentences: list[str]) -> list[str]:
        out = list(sentences)
        at = out.index(before)
        out[at] = after
        return out

    v1 = _story(base)
    histories = {
        "fix v3, note v4": (
            [v1, _story(distract(base)), _story(distract(fixed)), _story([*distract(fixed), note])],
            3,
        ),
        "fix and note v3": ([v1, _story(distract(base)), _story([*distract(fixed), note])], 3),
        "fix v2, edit v3, note v4": (
            [v1, _story(fixed), _story(distract(fixed)), _story([*distract(fixed), note])],
            2,
        ),
    }
    topic = _topic_name(wrong, right)
    if topic:
        # A same-topic edit first: another sentence naming the note's subject is changed in v2.
        aside_before = f"{topic} is expected to speak again at next month's meeting."
        aside_after = f"{topic} is expected to speak again at the meeting in the spring."
        with_aside = [*base, aside_before]
        histories["same-topic edit v2, fix v3, note v4"] = (
            [
                _story(with_aside),
                _story([*base, aside_after]),
                _story([*fixed, aside_after]),
                _story([*fixed, aside_after, note]),
            ],
            3,
        )
    return histories


def _topic_name(wrong: str, right: str) -> str:
    """A capitalised name found unchanged in both the wrong and the right sentence."""
    names = re.findall(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*", wrong)
    for name in names:
        if name in right and name.lower() not in {"the", "a", "an", "in", "on", "one", "for"}:
            return name
    return ""


def evaluate_web_notes(corpora: Path, show: bool) -> None:
    print(
        "== 3. web_notes.jsonl in synthetic histories "
        "(fixtures: bench/labels/web_notes_fixtures.jsonl)"
    )
    rows = [json.loads(line) for line in (corpora / "corrections" / "web_notes.jsonl").open()]
    fixtures = {
        row["id"]: row for row in map(json.loads, (LABELS / "web_notes_fixtures.jsonl").open())
    }
    half = (len(rows) + 1) // 2
    for name, part, offset in (
        ("tuning half", rows[:half], 0),
        ("held-out half", rows[half:], half),
    ):
        ok = total = detected = naive = matched_ok = 0
        failures: list[str] = []
        for i, row in enumerate(part):
            histories = build_web_histories(row, fixtures[row["id"]], offset + i)
            for variant, (texts, expected) in histories.items():
                total += 1
                history = run_pipeline(texts)
                events = [
                    e for e in history.events if e.version == len(texts) and e.change == "added"
                ]
                if not events:
                    failures.append(f"{row['id']} [{variant}]: note not detected")
                    continue
                detected += 1
                link = events[0].link
                assert link is not None
                naive += len(texts) == expected
                if link.fixing_revision == expected:
                    ok += 1
                    matched_ok += link.matched
                else:
                    why = ", ".join(
                        f"v{e.revision}#{e.hunk_index} {list(e.matched_words)[:4]}"
                        for e in link.evidence[:2]
                    )
                    failures.append(
                        f"{row['id']} [{variant}]: linked v{link.fixing_revision} "
                        f"(matched={link.matched}, "
                        f"conf {link.confidence}), expected v{expected}; evidence: {why or 'none'}"
                    )
                if show:
                    print(
                        f"    {row['id']} [{variant}] -> v{link.fixing_revision} "
                        f"conf {link.confidence} "
                        f"{[list(e.matched_words)[:5] for e in link.evidence[:1]]}"
                    )
        print(f"  {name} ({len(part)} notes, {total} histories):")
        print(
            f"    note detected {pct(detected, total)}; fixing revision correct {pct(ok, total)} "
            f"(of which matched to the fix hunk: {matched_ok})"
            f"   | 'always the disclosing revision' baseline: {pct(naive, total)}"
        )
        for f in failures:
            print(f"    FAIL {f}")
    print()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="?", default=str(ROOT.parent / "shared" / "corpora"))
    parser.add_argument(
        "--example", default=str(ROOT.parent / "shared" / "examples" / "voa-japan-russia")
    )
    parser.add_argument(
        "--skip-all-versions", action="store_true", help="skip the slow scan of every version"
    )
    parser.add_argument("--show", action="store_true", help="print every case, not only failures")
    args = parser.parse_args(argv)
    corpora = Path(args.corpora)
    evaluate_example(Path(args.example), args.show)
    evaluate_histories(corpora, args.show)
    if not args.skip_all_versions:
        evaluate_all_versions(corpora, args.show)
    evaluate_web_notes(corpora, args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
