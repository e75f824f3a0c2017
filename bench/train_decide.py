"""Train the calibrated second look (``revtrack.diff.decide``) on the tuning part only, choose
its settings by cross-validation by document inside the tuning part, and write the weights
file the package ships.

Usage:
  python bench/train_decide.py [CORPUS_DIR]            # report the cross-validated sweep
  python bench/train_decide.py [CORPUS_DIR] --write    # and write decide_weights.json

It never reads a held-out hunk (``split == "tune"`` only). Each tuning-part region the rules
call substantive, whose substantive hunks are all of the kinds the model may judge, is one
example (label: substantive or not); the features are the ones the classifier computes at the
point where it would ask the model (recorded by running the classifier with a recording
model that never demotes). Documents are dealt into five folds by MD5; for each candidate
setting (which kinds the model judges, the L2 penalty) every example gets an out-of-fold
probability, and the threshold is the highest one that demotes at most ``--budget`` truly
substantive examples out of fold. The setting that then demotes the most non-substantive
examples is kept, refitted on the whole tuning part, and written with its threshold.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_classes import REPO, SEVERITY, hunk_class, load_labels, overlapping
from revtrack.diff import classify, decide, diff_texts
from revtrack.diff.model import Hunk

CANDIDATE_SETS: dict[str, frozenset[str]] = {
    "wording": frozenset({"wording"}),
    "wording+sentences": frozenset({"wording", "sentence-added", "sentence-removed"}),
    "wording+sentences+name": frozenset({"wording", "sentence-added", "sentence-removed", "name"}),
}
PENALTIES = (0.3, 1.0, 3.0, 10.0)
FOLDS = 5


class _Recorder:
    """Stands in for the shipped model: asks about every hunk of the widest candidate set,
    records its features, never demotes."""

    def __init__(self) -> None:
        self.kinds = CANDIDATE_SETS["wording+sentences+name"]
        self.current: Hunk | None = None
        self.seen: dict[tuple[int, int, int, int], tuple[frozenset[str], list[float]]] = {}
        self._last_kinds: frozenset[str] = frozenset()
        self.texts: tuple[str, str] = ("", "")

    def asks(self, kinds: set[str]) -> bool:
        ok = bool(kinds) and kinds <= self.kinds
        self._last_kinds = frozenset(kinds)
        return ok

    def minor(self, x: list[float]) -> bool:
        h = self.current
        if h is not None:
            self.seen[(h.a_start, h.a_end, h.b_start, h.b_end)] = (
                self._last_kinds,
                x,
                self.texts,
            )
        return False


def _record(root: Path) -> list[dict[str, Any]]:
    recorder = _Recorder()
    original = classify._classify_in_context

    def wrapped(a: str, b: str, hunk: Hunk, *rest: Any) -> Any:
        recorder.current = hunk  # the model is asked about this hunk right after
        return original(a, b, hunk, *rest)

    features = decide.features

    def seen_features(kinds: set[str], old_v: str, new_v: str, *rest: Any) -> list[float] | None:
        recorder.texts = (old_v, new_v)  # for --meaning: what a model of meaning would read
        return features(kinds, old_v, new_v, *rest[:3])  # every feature, no shortcut

    classify._classify_in_context = wrapped  # type: ignore[assignment]
    decide.features = seen_features  # type: ignore[assignment]
    # The examples are those of the rules alone, whether or not the meaning extra is
    # installed (--meaning then adds its similarity as one more column).
    classify._reworded = lambda old_v, new_v: False  # type: ignore[assignment]
    decide.model = lambda: recorder  # type: ignore[assignment,return-value]
    examples = []
    cache: dict[tuple[str, str, int], tuple[tuple[Hunk, ...], dict[Any, Any]]] = {}
    for rec in load_labels():
        if rec["split"] != "tune":
            continue  # never look at the held-out third
        key = (rec["corpus"], rec["doc"], rec["vb"])
        if key not in cache:
            d = root / rec["corpus"] / rec["doc"]
            a = (d / f"v{rec['va']:03d}.txt").read_text(encoding="utf-8")
            b = (d / f"v{rec['vb']:03d}.txt").read_text(encoding="utf-8")
            recorder.seen = {}
            cache[key] = (diff_texts(a, b).hunks, recorder.seen)
        hunks, seen = cache[key]
        found = overlapping(hunks, rec)
        if not found:
            continue
        pred = max((hunk_class(h) for h in found), key=SEVERITY.__getitem__)
        if pred != "substantive":
            continue
        subs = [h for h in found if hunk_class(h) == "substantive"]
        xs = [seen.get((h.a_start, h.a_end, h.b_start, h.b_end)) for h in subs]
        if any(x is None or frozenset(h.kinds) != x[0] for h, x in zip(subs, xs, strict=True)):
            continue  # a hunk the model may never judge (a number, a date, ...) or recast after
        examples.append(
            {
                "id": rec["id"],
                "doc": f"{rec['corpus']}/{rec['doc']}",
                "label": rec["label"],
                "y": 1.0 if rec["label"] == "substantive" else 0.0,
                "kinds": [sorted(x[0]) for x in xs if x is not None],
                "xs": [x[1] for x in xs if x is not None],
                "texts": [x[2] for x in xs if x is not None],
            }
        )
    return examples


def _fold(doc: str) -> int:
    return int(hashlib.md5(doc.encode()).hexdigest(), 16) % FOLDS


def _fit(rows: list[tuple[list[float], float]], penalty: float) -> dict[str, Any]:
    """L2-penalised logistic regression on standardised features, by Newton's method."""
    n, d = len(rows), len(rows[0][0])
    mean = [sum(x[j] for x, _ in rows) / n for j in range(d)]
    scale = [math.sqrt(sum((x[j] - mean[j]) ** 2 for x, _ in rows) / n) or 1.0 for j in range(d)]
    z = [[1.0] + [(x[j] - mean[j]) / scale[j] for j in range(d)] for x, _ in rows]
    y = [t for _, t in rows]
    w = [0.0] * (d + 1)
    for _ in range(30):
        scores = [sum(a * b for a, b in zip(w, r, strict=True)) for r in z]
        p = [1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, s)))) for s in scores]
        grad = [
            sum((p[i] - y[i]) * z[i][j] for i in range(n)) + (penalty * w[j] if j else 0.0)
            for j in range(d + 1)
        ]
        hess = [
            [
                sum(p[i] * (1 - p[i]) * z[i][j] * z[i][k] for i in range(n))
                + (penalty if j == k and j else 0.0)
                + (1e-6 if j == k else 0.0)
                for k in range(d + 1)
            ]
            for j in range(d + 1)
        ]
        step = _solve(hess, grad)
        w = [a - b for a, b in zip(w, step, strict=True)]
        if max(abs(s) for s in step) < 1e-7:
            break
    return {
        "features": list(decide.FEATURES),
        "mean": mean,
        "scale": scale,
        "weights": w[1:],
        "bias": w[0],
    }


def _solve(m: list[list[float]], v: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (a small dense system)."""
    n = len(v)
    a = [[*row, v[i]] for i, row in enumerate(m)]
    for c in range(n):
        piv = max(range(c, n), key=lambda r: abs(a[r][c]))
        a[c], a[piv] = a[piv], a[c]
        for r in range(c + 1, n):
            f = a[r][c] / a[c][c]
            if f:
                for k in range(c, n + 1):
                    a[r][k] -= f * a[c][k]
    out = [0.0] * n
    for r in range(n - 1, -1, -1):
        out[r] = (a[r][n] - sum(a[r][k] * out[k] for k in range(r + 1, n))) / a[r][r]
    return out


def _rows(examples: list[dict[str, Any]]) -> list[tuple[list[float], float]]:
    return [(x, e["y"]) for e in examples for x in e["xs"]]


def _scorer(spec: dict[str, Any]) -> Callable[[list[float]], float]:
    """The fitted model's probability of "substantive" (as decide.Model computes it, for any
    number of columns)."""

    def score(x: list[float]) -> float:
        z = spec["bias"] + sum(
            w * (v - m) / s
            for w, v, m, s in zip(spec["weights"], x, spec["mean"], spec["scale"], strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    return score


def _with_meaning(examples: list[dict[str, Any]]) -> None:
    """Append the optional model of meaning's cosine similarity (changed words with two words
    of context, as revtrack.diff.meaning compares them) to every feature vector."""
    from revtrack.diff import meaning
    from revtrack.diff.minor import changed_with_context

    if meaning.judge() is None:
        raise SystemExit("--meaning needs the meaning extra (pip install -e '.[meaning]')")
    for e in examples:
        for x, (old_v, new_v) in zip(e["xs"], e["texts"], strict=True):
            old_w, new_w = changed_with_context(old_v, new_v, meaning.CONTEXT_WORDS)
            x.append(meaning.similarity(old_w, new_w) if old_w or new_w else 1.0)


def _oof(examples: list[dict[str, Any]], penalty: float) -> list[float]:
    """Each example's out-of-fold probability (the largest over its hunks: a region is
    demoted only when every one of its hunks is)."""
    out = [0.0] * len(examples)
    for f in range(FOLDS):
        train = [e for e in examples if _fold(e["doc"]) != f]
        score = _scorer(_fit(_rows(train), penalty))
        for i, e in enumerate(examples):
            if _fold(e["doc"]) == f:
                out[i] = max(score(x) for x in e["xs"])
    return out


def _threshold(examples: list[dict[str, Any]], probs: list[float], budget: int) -> float:
    """The highest threshold that demotes at most ``budget`` truly substantive examples."""
    true = sorted(p for e, p in zip(examples, probs, strict=True) if e["y"] == 1.0)
    return true[budget] if len(true) > budget else 1.0


def _auc(examples: list[dict[str, Any]], probs: list[float]) -> float:
    """Chance that a substantive example scores above a non-substantive one, out of fold."""
    pos = [p for e, p in zip(examples, probs, strict=True) if e["y"] == 1.0]
    neg = [p for e, p in zip(examples, probs, strict=True) if e["y"] == 0.0]
    pairs = sum((p > q) + 0.5 * (p == q) for p in pos for q in neg)
    return pairs / (len(pos) * len(neg)) if pos and neg else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(REPO.parent / "shared" / "corpora"))
    parser.add_argument("--budget", type=int, default=1, help="substantive demoted out of fold")
    parser.add_argument("--write", action="store_true")
    parser.add_argument(
        "--meaning",
        action="store_true",
        help="add the meaning model's similarity as a feature (report only; never written)",
    )
    args = parser.parse_args()
    if args.meaning and args.write:
        parser.error(
            "--meaning reports what the model would add; the shipped file has no such column"
        )
    examples_all = _record(Path(args.corpus))
    if args.meaning:
        _with_meaning(examples_all)
    print(f"{len(examples_all)} tune regions called substantive with judgeable hunks")
    best: tuple[int, int, str, float, float] | None = None
    for name, kinds in CANDIDATE_SETS.items():
        examples = [e for e in examples_all if all(set(k) <= kinds for k in e["kinds"])]
        pos = sum(e["y"] == 1.0 for e in examples)
        print(f"\n{name}: {len(examples)} examples ({pos} substantive, {len(examples) - pos} not)")
        for penalty in PENALTIES:
            probs = _oof(examples, penalty)
            line = []
            for budget in (0, 1, 2, 3, 5):
                t = _threshold(examples, probs, budget)
                fp = sum(1 for e, p in zip(examples, probs, strict=True) if e["y"] == 0 and p < t)
                line.append(f"lose {budget}: -{fp} FP (t={t:.3f})")
                if budget == args.budget and (best is None or fp > best[0]):
                    best = (fp, -budget, name, penalty, t)
            print(f"  L2 {penalty:5}: AUC {_auc(examples, probs):.3f}; " + "; ".join(line))
    assert best is not None
    fp, _, name, penalty, t = best
    print(
        f"\nchosen: {name}, L2 {penalty}, threshold {t:.4f}: out of fold it demotes {fp} "
        f"non-substantive regions and at most {args.budget} substantive"
    )
    if args.write:
        kinds = CANDIDATE_SETS[name]
        examples = [e for e in examples_all if all(set(k) <= kinds for k in e["kinds"])]
        spec = _fit(_rows(examples), penalty)
        spec.update(
            threshold=t,
            kinds=sorted(kinds),
            penalty=penalty,
            trained_on=f"{len(examples)} tune regions",
            budget=args.budget,
        )
        out = REPO / "src" / "revtrack" / "diff" / "decide_weights.json"
        out.write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
