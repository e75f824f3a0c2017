"""Fit the weights of the note grammar (``revtrack.corrections.grammar``) and estimate how it
generalises, leave-one-outlet-out, on the tuning parts only (issue #14).

    python bench/fit_note_grammar.py /work/shared/corpora            # fit, print weights, LOO
    python bench/fit_note_grammar.py /work/shared/corpora --current  # score the module's weights

Examples: positives are the note texts of the catalogue's *tuning* forms (all batches);
negatives are the tuning decoys, the paragraphs of the evaluation's story frames, and the
opening and closing paragraphs (three each) of every version of the shared corpora in which the
current detector finds no note. Held-out lines are never read.

The model is a logistic regression over the binary features of
:func:`revtrack.corrections.grammar.features`, fitted by gradient descent with L2. Reported:

* **leave-one-outlet-out**: for every tuning outlet, the model is refitted without that
  outlet's notes and scores them; recall at the module's threshold, pooled over outlets —
  what the grammar alone finds of an outlet it was not fitted on;
* **leave-one-family-out** for decoys: refitted without a trap family's decoys, the share of
  that family's decoys it would report;
* the false-positive count on the corpora paragraphs at the threshold (in-sample: they are
  negatives of the fit).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_notes import documents
from eval_notes import FRAMES, LABELS, load
from revtrack.corrections import detect_notes
from revtrack.corrections.detect import _PARAGRAPH
from revtrack.corrections.grammar import (
    BIAS,
    FEATURES,
    THRESHOLD,
    WEIGHTS,
    features,
    well_formed,
)
from revtrack.corrections.note_text import is_substantive

LABELLED_FAMILIES = frozenset(
    {"label-correction", "label-clarification", "label-update", "editors-note", "erratum"}
)
Example = tuple[frozenset[str], int, str]  # features, label, group (outlet / family / source)


def corpus_paragraphs(root: Path) -> list[str]:
    """The opening and closing paragraphs (three each) of every version, once each, in which
    the current detector finds no note."""
    seen: set[str] = set()
    out: list[str] = []
    for texts in documents(root):
        for text in texts:
            notes = [(n.start, n.end) for n in detect_notes(text)]
            paras = [m for m in _PARAGRAPH.finditer(text) if is_substantive(m.group(0))]
            for m in paras[:3] + paras[-3:]:
                para = m.group(0)
                if para in seen or len(para.split()) > 160:
                    continue
                seen.add(para)
                if any(s < m.end() and m.start() < e for s, e in notes):
                    continue
                out.append(para)
    return out


def fit(
    examples: list[Example], l2: float = 0.3, epochs: int = 400, rate: float = 0.5
) -> tuple[dict[str, float], float]:
    """Weights and bias of a logistic regression (full-batch gradient descent, classes
    balanced so that thousands of corpus paragraphs do not drown a few hundred notes)."""
    w = dict.fromkeys(FEATURES, 0.0)
    b = 0.0
    pos = sum(1 for _, y, _ in examples if y)
    neg = len(examples) - pos
    cw = {1: len(examples) / (2 * pos), 0: len(examples) / (2 * neg)}
    n = len(examples)
    # identical feature sets are one row with a count (most corpus paragraphs have none)
    counts: dict[tuple[frozenset[str], int], int] = defaultdict(int)
    for feats, y, _ in examples:
        counts[(feats, y)] += 1
    for _ in range(epochs):
        gw = dict.fromkeys(FEATURES, 0.0)
        gb = 0.0
        for (feats, y), c in counts.items():
            z = b + sum(w[f] for f in feats)
            p = 1.0 / (1.0 + math.exp(-z))
            g = (p - y) * cw[y] * c
            gb += g
            for f in feats:
                gw[f] += g
        for f in FEATURES:
            w[f] -= rate * (gw[f] / n + l2 * w[f] / n * 10)
        b -= rate * gb / n
    return w, b


def prob(feats: frozenset[str], w: dict[str, float], b: float) -> float:
    """The model's probability, 0 for a paragraph without the grammar's necessary shape."""
    if not well_formed(feats):
        return 0.0
    return 1.0 / (1.0 + math.exp(-(b + sum(w.get(f, 0.0) for f in feats))))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", type=Path)
    parser.add_argument(
        "--cache", action="store_true", help="reuse the corpus paragraphs of the last run (/tmp)"
    )
    parser.add_argument(
        "--exclude-batch",
        default="",
        help="leave a batch out of the fit (its lines are not read): leave-one-batch-out",
    )
    parser.add_argument("--weights-out", type=Path, help="write the fitted weights as JSON here")
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    parser.add_argument("--current", action="store_true", help="score the module's weights only")
    args = parser.parse_args(argv)
    threshold = args.threshold

    def kept(r: dict[str, object]) -> bool:
        return r["split"] == "tuning" and str(r.get("batch", "first")) != args.exclude_batch

    forms = [r for r in load(LABELS / "note_forms.jsonl") if kept(r)]
    decoys = [r for r in load(LABELS / "note_decoys.jsonl") if kept(r)]
    # The grammar is asked only about unlabelled paragraphs: labelled families are the label
    # rules' (their words after "Correction:" need no grammar of their own).
    positives: list[Example] = [
        (features(str(r["note"])), 1, str(r["outlet"]))
        for r in forms
        if r["form"] not in LABELLED_FAMILIES
    ]
    decoy_ex: list[Example] = [
        (features(str(r["text"])), 0, "decoy:" + str(r["family"])) for r in decoys
    ]
    frame_ex: list[Example] = [(features(p), 0, "frame") for f in FRAMES for p in f.paras]
    cache = Path("/tmp") / "fit_note_grammar.corpus.json"
    if args.cache and cache.exists():
        paragraphs = json.loads(cache.read_text(encoding="utf-8"))
    else:
        paragraphs = corpus_paragraphs(args.corpora)
        cache.write_text(json.dumps(paragraphs), encoding="utf-8")
    corpus: list[Example] = [(features(p), 0, "corpus") for p in paragraphs]
    every = positives + decoy_ex + frame_ex + corpus
    # The weights rank only paragraphs of the grammar's shape: fitted on those alone.
    every = [e for e in every if well_formed(e[0])]
    print(
        f"threshold {threshold}; examples: {len(positives)} tuning notes "
        f"({len({g for _, _, g in positives})} outlets), "
        f"{len(decoy_ex)} tuning decoys, {len(frame_ex)} frame paragraphs, "
        f"{len(corpus)} corpus opening/closing paragraphs"
    )

    if args.current:
        w, b = WEIGHTS, BIAS
    else:
        w, b = fit(every)
        print("weights (paste into grammar.py):")
        for f in FEATURES:
            print(f'    "{f}": {w[f]:.1f},')
        print(f"BIAS = {b:.1f}")
        if args.weights_out:
            rounded = {f: round(v, 1) for f, v in w.items()}
            args.weights_out.write_text(json.dumps({"weights": rounded, "bias": round(b, 1)}))

    def report(w: dict[str, float], b: float, label: str) -> None:
        hit = sum(prob(x, w, b) >= threshold for x, _, _ in positives)
        fp_decoy = sum(prob(x, w, b) >= threshold for x, _, _ in decoy_ex)
        fp_corpus = sum(prob(x, w, b) >= threshold for x, _, _ in corpus)
        fp_frame = sum(prob(x, w, b) >= threshold for x, _, _ in frame_ex)
        print(
            f"{label}: in-sample notes {hit}/{len(positives)}, decoys {fp_decoy}/{len(decoy_ex)}, "
            f"frames {fp_frame}/{len(frame_ex)}, corpus paragraphs {fp_corpus}/{len(corpus)}"
        )

    report(w, b, "fit on everything")

    # leave one outlet out
    by_outlet: dict[str, list[Example]] = defaultdict(list)
    for ex in positives:
        by_outlet[ex[2]].append(ex)
    found = total = 0
    missed: list[str] = []
    for outlet, rows in sorted(by_outlet.items()):
        rest = [e for e in every if not (e[1] == 1 and e[2] == outlet)]
        wo, bo = (WEIGHTS, BIAS) if args.current else fit(rest)
        k = sum(prob(x, wo, bo) >= threshold for x, _, _ in rows)
        found += k
        total += len(rows)
        if k < len(rows):
            missed.append(f"{outlet} {k}/{len(rows)}")
    print(
        f"leave-one-outlet-out recall of the grammar alone: {found}/{total} = {found / total:.1%}"
    )
    print("  outlets not fully found: " + "; ".join(missed))

    by_family: dict[str, list[Example]] = defaultdict(list)
    for ex in decoy_ex:
        by_family[ex[2]].append(ex)
    flagged = 0
    flagged_names: list[str] = []
    for family, rows in sorted(by_family.items()):
        rest = [e for e in every if e[2] != family]
        wo, bo = (WEIGHTS, BIAS) if args.current else fit(rest)
        k = sum(prob(x, wo, bo) >= threshold for x, _, _ in rows)
        flagged += k
        if k:
            flagged_names.append(f"{family[6:]} {k}/{len(rows)}")
    print(
        f"leave-one-family-out decoys the grammar alone would flag: {flagged}/{len(decoy_ex)}"
        + (" (" + "; ".join(flagged_names) + ")" if flagged_names else "")
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
