"""A calibrated second look at hunks the rules call substantive for their wording alone.

The rules of :mod:`revtrack.diff.classify` call a hunk substantive when it changes words they
cannot explain; most of their false alarms are same-meaning rewordings (a synonym, a clause
restructured, a word of elaboration added). This module scores such a hunk with a logistic
model over features the classifier already has at hand — how many words changed on each side,
how common they are (pyspellchecker's frequencies, shipped in the package), whether a changed
word already stands elsewhere on the page, capitals, digits, edit distance between the two
sides, markup, how much of the sentence changed — and calls it minor ("rewording") only when
the probability that a reader learns something different falls below a threshold.

Weights and threshold come from ``decide_weights.json`` beside this file, written by
``bench/train_decide.py`` from the **tuning part** of the labelled hunks only, the threshold
chosen by cross-validation by document inside it. Every feature is computed from the two
texts alone (no corpus, outlet or document statistics). The model is asked only about hunks
whose kinds are ``wording`` (and, if the weights file allows it, ``name`` and whole sentences
added or removed): a changed number, date, negation or quotation stays substantive whatever
the score.

**Off by default** (``REVTRACK_DECIDE=on`` turns it on): measured on the frozen held-out part
it removed 4 of 68 false alarms and lost one substantive hunk (stop 13 in bench/RESULTS.md),
and the recall of substantive changes must not fall; it is kept as a measured, reproducible
experiment, not as the default verdict. With no weights file nothing is ever demoted.
"""

from __future__ import annotations

import json
import math
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from revtrack.diff.minor import changed_with_context, narrowed, word_frequency
from revtrack.text.lexicon import FILLER_WORDS, FUNCTION_WORDS, MEANING_WORDS

__all__ = ["FEATURES", "Model", "features", "model"]

_WEIGHTS = Path(__file__).with_name("decide_weights.json")
_WORD = re.compile(r"[^\W_](?:[\w’'-]*[^\W_])?")
_MARKUP = re.compile(r"[<>{}\[\]()*_`#|=\"]")

FEATURES: tuple[str, ...] = (
    "kind_wording",
    "kind_name",
    "kind_sentence_added",
    "kind_sentence_removed",
    "log_old_words",
    "log_new_words",
    "log_old_content",
    "log_new_content",
    "insert_only",
    "delete_only",
    "function_or_filler_only",
    "capitalised",
    "digits",
    "meaning_word",
    "min_log_freq",
    "mean_log_freq",
    "rare_word",
    "new_on_old_page",
    "old_on_new_page",
    "char_similarity",
    "shared_stem",
    "coordination_added",
    "log_markup",
    "changed_share",
    "log_window_words",
)


def _log(n: float) -> float:
    return math.log1p(n)


def _content(words: list[str]) -> list[str]:
    return [w for w in words if w.lower() not in FUNCTION_WORDS and w.lower() not in FILLER_WORDS]


# The model judges changes of at most this many changed words (both sides together): a longer
# change is new matter far more often than a rewording (tune part: see bench/train_decide.py),
# and scoring it word by word would cost more than the rest of classification.
MAX_CHANGED = 12

# Character similarity is read only for short changes (a word or two respelled or inflected):
# difflib's ratio grows with the square of the length, and a long rewrite is no respelling.
_SHORT = 80
# Changed content words looked up on the other version (a substring search each): enough to
# tell elaboration with words already on the page from new matter.
_LOOKUPS = 8


def _similarity(x: str, y: str) -> float:
    """Share of characters the two changed sides have in common, as difflib counts them (0
    for an empty side or a change longer than ``_SHORT`` characters)."""
    if not x or not y or len(x) + len(y) > _SHORT:
        return 0.0
    from difflib import SequenceMatcher

    return SequenceMatcher(None, x, y, autojunk=False).ratio()


@lru_cache(maxsize=4)
def _lowered(text: str) -> str:
    """A whole version lower-cased, once per diff however many of its hunks ask."""
    return text.lower()


# The features that cost most to compute (a substring search of a whole version per word,
# difflib's character alignment), with the range each can take: the classifier first scores a
# hunk as if each took its most "minor" value, and computes them only when that could pass the
# threshold (:meth:`Model.could_be_minor`): the same verdicts for less work (on the corpora,
# nine hunks in ten stop there).
_DEAR: dict[str, tuple[float, float]] = {
    "new_on_old_page": (0.0, 1.0),
    "old_on_new_page": (0.0, 1.0),
    "char_similarity": (0.0, 1.0),
}


def features(
    kinds: set[str],
    old_v: str,
    new_v: str,
    raw: str,
    a: str,
    b: str,
    judge: Model | None = None,
) -> list[float] | None:
    """The feature vector of one hunk (order: :data:`FEATURES`).

    ``old_v``/``new_v`` are the visible texts of the hunk's sentence window before and after
    (for a whole sentence added or removed, one side is empty); ``raw`` is the hunk's raw old
    and new text joined (for markup); ``a``/``b`` the two whole versions (is a changed word
    still, or already, on the page?). None when more than :data:`MAX_CHANGED` words changed
    (the model does not judge such a change), or when ``judge`` is given and cannot call the
    hunk minor whatever the costlier features say."""
    local = _local_features(kinds, old_v, new_v, raw)
    if local is None:
        return None
    x, looked_old, looked_new, old_w, new_w = local
    if judge is not None and not judge.could_be_minor(x):
        return None
    a_low, b_low = _lowered(a), _lowered(b)
    x.update(
        char_similarity=_similarity(" ".join(old_w).lower(), " ".join(new_w).lower()),
        new_on_old_page=(
            sum(w in a_low for w in looked_new) / len(looked_new) if looked_new else 0.0
        ),
        old_on_new_page=(
            sum(w in b_low for w in looked_old) / len(looked_old) if looked_old else 0.0
        ),
    )
    return [x[name] for name in FEATURES]


def _local_features(
    kinds: set[str], old_v: str, new_v: str, raw: str
) -> tuple[dict[str, float], list[str], list[str], list[str], list[str]] | None:
    """The features of the change itself (all but the costly ones of :data:`_DEAR`), the
    content words to look up on the other version, and the changed words of each side."""
    old_n, new_n = narrowed(old_v, new_v)
    old_c, new_c = changed_with_context(old_n, new_n, 0)
    old_w, new_w = _WORD.findall(old_c), _WORD.findall(new_c)
    if len(old_w) + len(new_w) > MAX_CHANGED:
        return None
    window = len(old_v.split()) + len(new_v.split())
    changed = old_w + new_w
    content_old, content_new = _content(old_w), _content(new_w)
    content = content_old + content_new
    stems = {w.lower()[:4] for w in content_old if len(w) >= 4}
    lowered_new = [w.lower() for w in new_w]
    freqs = [math.log10(1 + word_frequency(w)) for w in content] or [7.0]
    x = dict.fromkeys(FEATURES, 0.0)
    x.update(
        kind_wording=float("wording" in kinds),
        kind_name=float("name" in kinds),
        kind_sentence_added=float("sentence-added" in kinds),
        kind_sentence_removed=float("sentence-removed" in kinds),
        log_old_words=_log(len(old_w)),
        log_new_words=_log(len(new_w)),
        log_old_content=_log(len(content_old)),
        log_new_content=_log(len(content_new)),
        insert_only=float(not old_w and bool(new_w)),
        delete_only=float(bool(old_w) and not new_w),
        function_or_filler_only=float(bool(changed) and not content),
        capitalised=float(sum(any(ch.isupper() for ch in w) for w in changed)),
        digits=float(sum(any(ch.isdigit() for ch in w) for w in changed)),
        meaning_word=float(any(w.lower() in MEANING_WORDS for w in changed)),
        min_log_freq=min(freqs),
        mean_log_freq=sum(freqs) / len(freqs),
        rare_word=float(any(word_frequency(w) < 30 for w in content)),
        shared_stem=float(any(w.lower()[:4] in stems for w in content_new if len(w) >= 4)),
        coordination_added=float(
            not old_w and bool(lowered_new) and lowered_new[0] in ("and", "or")
        ),
        log_markup=_log(len(_MARKUP.findall(raw))),
        changed_share=len(changed) / window if window else 1.0,
        log_window_words=_log(window),
    )
    looked_old = [w.lower() for w in content_old[:_LOOKUPS]]
    looked_new = [w.lower() for w in content_new[:_LOOKUPS]]
    return x, looked_old, looked_new, old_w, new_w


class Model:
    """Standardised logistic regression: weights over :data:`FEATURES`, a threshold on the
    probability of "substantive" below which a hunk is minor, and the kinds it may judge."""

    def __init__(self, spec: dict[str, Any]) -> None:
        if tuple(spec["features"]) != FEATURES:
            raise ValueError("decide_weights.json was trained on other features")
        self.mean = [float(x) for x in spec["mean"]]
        self.scale = [float(x) or 1.0 for x in spec["scale"]]
        self.weights = [float(x) for x in spec["weights"]]
        self.bias = float(spec["bias"])
        self.threshold = float(spec["threshold"])
        self.kinds = frozenset(spec["kinds"])

    def probability(self, x: list[float]) -> float:
        """Probability that the hunk is substantive, as the model estimates it."""
        z = self.bias + sum(
            w * (v - m) / s
            for w, v, m, s in zip(self.weights, x, self.mean, self.scale, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def could_be_minor(self, partial: dict[str, float]) -> bool:
        """Whether a hunk whose cheaper features are ``partial`` could score below the
        threshold with some values of the costlier ones (each within its range)."""
        z = self.bias
        for name, w, m, s in zip(FEATURES, self.weights, self.mean, self.scale, strict=True):
            if name in _DEAR:
                lo, hi = _DEAR[name]
                z += min(w * (lo - m) / s, w * (hi - m) / s)
            else:
                z += w * (partial[name] - m) / s
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))) < self.threshold

    def asks(self, kinds: set[str]) -> bool:
        """Whether hunks of these kinds are the model's to judge."""
        return bool(kinds) and kinds <= self.kinds

    def minor(self, x: list[float]) -> bool:
        return self.probability(x) < self.threshold


@lru_cache(maxsize=1)
def model() -> Model | None:
    """The shipped model when ``REVTRACK_DECIDE=on``, else None (the rules alone decide)."""
    if os.environ.get("REVTRACK_DECIDE", "").lower() not in ("on", "1", "yes", "true"):
        return None
    if not _WEIGHTS.is_file():
        return None
    return Model(json.loads(_WEIGHTS.read_text(encoding="utf-8")))
