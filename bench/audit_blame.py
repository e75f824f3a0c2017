"""Benchmark and evaluate revtrack's sentence blame on real revision histories.

Usage:
    python bench/audit_blame.py [CORPORA_DIR] [--corpora site_policy,18f_blog] [--limit N]

CORPORA_DIR defaults to ../shared/corpora relative to the repository root. For every document
it blames the last version on all earlier ones with

- revtrack: :func:`revtrack.audit.blame` (exact alignment, then verbatim moves, then
  similarity inside changed regions);
- exact-only: the same sentence alignment with no move or similarity pass (what a plain
  line blame does);
- all-pairs: every unmatched sentence compared with every unmatched parent sentence, anywhere
  (the quadratic approach revtrack avoids);
- git blame -M -w over one-sentence-per-line files committed in a scratch repository (only the
  `git blame` call is timed).

Speed is reported as ratios to revtrack measured in the same run. Quality is measured on
*planted* edits made to each document's last version (the truth is known): a few sentences
get one word changed, a few three words, a few are moved to another paragraph, a few
sentences from another document are inserted and a few put in place of existing ones. A
method is right when an edited sentence keeps the origin it gave before the edit and gets the
new revision as its last change, a moved one keeps its origin and last change, and an
inserted or replacing sentence gets the new revision for both.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from difflib import SequenceMatcher
from pathlib import Path

from revtrack.audit import SIMILAR_ENOUGH, blame, similarity
from revtrack.audit.blame import sentence_spans

Origins = list[tuple[int, int]]  # (origin, last_changed) per sentence of the last text
Method = Callable[[Sequence[str]], Origins]

REPO_ROOT = Path(__file__).resolve().parent.parent


def revtrack_blame(texts: Sequence[str]) -> Origins:
    return [(e.origin, e.last_changed) for e in blame(texts)]


def _sentences(text: str) -> list[str]:
    return [" ".join(text[s:e].split()) for s, e in sentence_spans(text)]


def _baseline(texts: Sequence[str], *, all_pairs: bool) -> Origins:
    prev = _sentences(texts[0])
    state = [(1, 1)] * len(prev)
    for rev, text in enumerate(texts[1:], start=2):
        cur = _sentences(text)
        new_state: list[tuple[int, int] | None] = [None] * len(cur)
        loose_prev: list[int] = []
        loose_cur: list[int] = []
        for tag, i1, i2, j1, j2 in SequenceMatcher(None, prev, cur, autojunk=False).get_opcodes():
            if tag == "equal":
                for k in range(i2 - i1):
                    new_state[j1 + k] = state[i1 + k]
            else:
                loose_prev.extend(range(i1, i2))
                loose_cur.extend(range(j1, j2))
        if all_pairs:
            taken: set[int] = set()
            for j in loose_cur:
                best, best_i = SIMILAR_ENOUGH, -1
                for i in loose_prev:
                    if i in taken:
                        continue
                    score = 1.0 if prev[i] == cur[j] else similarity(prev[i], cur[j])
                    if score >= best:
                        best, best_i = score, i
                if best_i >= 0:
                    taken.add(best_i)
                    origin, last = state[best_i]
                    new_state[j] = (origin, last if prev[best_i] == cur[j] else rev)
        state = [s if s is not None else (rev, rev) for s in new_state]
        prev = cur
    return state


def exact_only(texts: Sequence[str]) -> Origins:
    return _baseline(texts, all_pairs=False)


def all_pairs(texts: Sequence[str]) -> Origins:
    return _baseline(texts, all_pairs=True)


class GitBlame:
    """git blame -M -w over one sentence per line; only the blame call is timed."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self, texts: Sequence[str]) -> Origins:
        with tempfile.TemporaryDirectory() as tmp:
            repo = Path(tmp)
            git = ["git", "-C", tmp, "-c", "user.name=b", "-c", "user.email=b@b"]
            subprocess.run([*git, "init", "-q"], check=True)
            commits: list[str] = []
            for text in texts:
                (repo / "doc.txt").write_text("\n".join(_sentences(text)) + "\n")
                subprocess.run([*git, "add", "doc.txt"], check=True)
                subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "v"], check=True)
                head = subprocess.run(
                    [*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True
                )
                commits.append(head.stdout.strip())
            start = time.perf_counter()
            out = subprocess.run(
                [*git, "blame", "-M", "-w", "--porcelain", "doc.txt"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            self.seconds += time.perf_counter() - start
        number = {sha: n for n, sha in enumerate(commits, start=1)}
        result: Origins = []
        for line in out.splitlines():
            head, *_ = line.split(" ", 1)
            if len(head) == 40 and head in number and not line.startswith("\t"):
                parts = line.split()
                if len(parts) >= 3 and parts[2].isdigit():
                    # A line blamed on commit N: git has one answer for origin and last change.
                    result.append((number[head], number[head]))
        return result


def plant(
    text: str, donor: str, rng: random.Random, k: int = 3
) -> tuple[str, dict[str, dict[str, str]]] | None:
    """Make a next version of ``text`` with known edits; return it and the planted sentences."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    spans = sentence_spans(text)
    counts: dict[str, int] = {}
    for s, e in spans:
        counts[text[s:e]] = counts.get(text[s:e], 0) + 1
    eligible = [
        text[s:e]
        for s, e in spans
        if counts[text[s:e]] == 1 and len(text[s:e].split()) >= 10 and "\n" not in text[s:e]
    ]
    donors = [
        donor[s:e]
        for s, e in sentence_spans(donor)
        if len(donor[s:e].split()) >= 8 and donor[s:e] not in text
    ]
    if len(eligible) < 4 * k or len(donors) < 2 * k or len(paragraphs) < 4:
        return None
    chosen = rng.sample(eligible, 4 * k)
    edited, heavy, moved, replaced = (chosen[n * k : (n + 1) * k] for n in range(4))
    donated = rng.sample(donors, 2 * k)
    truth: dict[str, dict[str, str]] = {"edited": {}, "edited3": {}, "replaced": {}}
    out = text
    for label, group, changed in (("edited", edited, 1), ("edited3", heavy, 3)):
        for sentence in group:
            words = sentence.split(" ")
            # Only plain words: a Markdown link split on spaces is one "word" of many tokens.
            plain = [n for n, w in enumerate(words) if n and w.isalpha()]
            plain = plain or list(range(1, len(words)))
            for n, spot in enumerate(rng.sample(plain, min(changed, len(plain)))):
                words[spot] = f"planted{n}"
            new_sentence = " ".join(words)
            out = out.replace(sentence, new_sentence, 1)
            truth[label][new_sentence] = sentence
    for sentence, donor_sentence in zip(replaced, donated[k:], strict=True):
        out = out.replace(sentence, donor_sentence, 1)
        truth["replaced"][donor_sentence] = sentence
    for sentence in moved:
        out = out.replace(sentence, "", 1)
    new_sentences = donated[:k]
    paras = out.split("\n\n")
    for sentence in moved + new_sentences:
        where = rng.randrange(len(paras))
        paras[where] = paras[where].rstrip() + "\n\n" + sentence
    truth["moved"] = {s: s for s in moved}
    truth["new"] = {s: s for s in new_sentences}
    return "\n\n".join(paras), truth


def score_planted(
    method: Method, texts: Sequence[str], planted: str, truth: dict[str, dict[str, str]]
) -> dict[str, tuple[int, int]]:
    before = dict(zip(_sentences(texts[-1]), method(texts), strict=False))
    after = dict(zip(_sentences(planted), method([*texts, planted]), strict=False))
    n = len(texts) + 1

    def fold(sentence: str) -> str:
        return " ".join(sentence.split())

    def expected(label: str, new: str, old: str) -> tuple[int, int] | None:
        prior = before.get(fold(old))
        if label in ("new", "replaced"):
            return (n, n)
        if prior is None:
            return None
        return (prior[0], n) if label.startswith("edited") else prior

    result: dict[str, tuple[int, int]] = {}
    for label, title in (
        ("edited", "1-word edit"),
        ("edited3", "3-word edit"),
        ("moved", "moved"),
        ("new", "inserted"),
        ("replaced", "replaced in place"),
    ):
        ok = scored = 0
        for new, old in truth[label].items():
            want = expected(label, new, old)
            if fold(new) not in after or want is None:
                # Planting merged the sentence with a neighbour (or the old one was not a
                # sentence of its own): no method can be judged on it.
                continue
            scored += 1
            ok += after[fold(new)] == want
        result[title] = (ok, scored)
    return result


def load(corpus: Path, limit: int | None) -> list[tuple[str, list[str]]]:
    docs: list[tuple[str, list[str]]] = []
    for doc in sorted(p for p in corpus.iterdir() if p.is_dir()):
        versions = sorted(doc.glob("v[0-9]*.txt"))
        if len(versions) >= 2:
            docs.append((doc.name, [v.read_text(encoding="utf-8") for v in versions]))
        if limit and len(docs) >= limit:
            break
    return docs


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="?", default=str(REPO_ROOT.parent / "shared/corpora"))
    parser.add_argument("--corpora", dest="names", default="site_policy,18f_blog,digitalgov_news")
    parser.add_argument("--limit", type=int, default=None, help="documents per corpus")
    parser.add_argument("--no-git", action="store_true", help="skip the git blame peer")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    root = Path(args.corpora)
    if not root.is_dir():
        print(f"no corpora at {root}", file=sys.stderr)
        return 2

    git = GitBlame()
    methods: dict[str, Method] = {
        "revtrack": revtrack_blame,
        "exact-only": exact_only,
        "all-pairs": all_pairs,
    }
    if not args.no_git:
        methods["git blame -M"] = git
    rng = random.Random(args.seed)
    for name in args.names.split(","):
        docs = load(root / name, args.limit)
        seconds = dict.fromkeys(methods, 0.0)
        quality: dict[str, dict[str, list[int]]] = {m: {} for m in methods}
        slowest = (0.0, 0, 0)
        n_versions = sum(len(t) for _, t in docs)
        n_bytes = sum(len(t[-1]) for _, t in docs)
        for index, (_doc, texts) in enumerate(docs):
            for method_name, method in methods.items():
                git_before = git.seconds
                start = time.perf_counter()
                method(texts)
                elapsed = time.perf_counter() - start
                spent = git.seconds - git_before if method is git else elapsed
                seconds[method_name] += spent
                if method_name == "revtrack" and spent > slowest[0]:
                    slowest = (spent, len(texts), len(texts[-1]))
            donor = docs[(index + 1) % len(docs)][1][-1]
            planted = plant(texts[-1], donor, rng)
            if planted is None:
                continue
            for method_name, method in methods.items():
                for label, (ok, total) in score_planted(method, texts, *planted).items():
                    tally = quality[method_name].setdefault(label, [0, 0])
                    tally[0] += ok
                    tally[1] += total
        print(
            f"\n## {name}: {len(docs)} documents, {n_versions} versions, "
            f"{n_bytes / max(len(docs), 1) / 1024:.1f} KB mean last version"
        )
        print(
            f"slowest revtrack blame: {slowest[0] * 1000:.0f} ms for {slowest[1]} versions,"
            f" {slowest[2] / 1024:.0f} KB last version"
        )
        base = seconds["revtrack"]
        print(f"{'method':<14} {'seconds':>8} {'x revtrack':>10}  planted-edit accuracy")
        for method_name in methods:
            cells = ", ".join(
                f"{label} {ok}/{total} ({ok / total:.0%})"
                for label, (ok, total) in quality[method_name].items()
                if total
            )
            ratio = seconds[method_name] / base if base else float("nan")
            print(f"{method_name:<14} {seconds[method_name]:>8.2f} {ratio:>10.2f}  {cells}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
