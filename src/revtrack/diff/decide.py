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
the score. With no weights file, or ``REVTRACK_DECIDE=off``, nothing is ever demoted.
"""

from __future__ import annotations

import json
import math
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from revtrack.diff.minor import changed_with_context, word_frequency
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


def _similarity(x: str, y: str) -> float:
    """Share of characters the two changed sides have in common, as difflib counts them."""
    if not x or not y:
        return 0.0
    from difflib import SequenceMatcher

    return SequenceMatcher(None, x, y, autojunk=False).ratio()


@lru_cache(maxsize=4)
def _lowered(text: str) -> str:
    """A whole version lower-cased, once per diff however many of its hunks ask."""
    return text.lower()


def features(
    kinds: set[str], old_v: str, new_v: str, raw: str, a: str, b: str
) -> list[float]:
    """The feature vector of one hunk (order: :data:`FEATURES`).

    ``old_v``/``new_v`` are the visible texts of the hunk's sentence window before and after
    (for a whole sentence added or removed, one side is empty); ``raw`` is the hunk's raw old
    and new text joined (for markup); ``a``/``b`` the two whole versions (is a changed word
    still, or already, on the page?)."""
    old_c, new_c = changed_with_context(old_v, new_v, 0)
    old_w, new_w = _WORD.findall(old_c), _WORD.findall(new_c)
    window = len(_WORD.findall(old_v)) + len(_WORD.findall(new_v))
    changed = old_w + new_w
    content_old, content_new = _content(old_w), _content(new_w)
    content = content_old + content_new
    freqs = [math.log10(1 + word_frequency(w)) for w in content] or [7.0]
    a_low, b_low = _lowered(a), _lowered(b)
    new_on_old = [w for w in content_new if w.lower() in a_low]
    old_on_new = [w for w in content_old if w.lower() in b_low]
    stems = {w.lower()[:4] for w in content_old if len(w) >= 4}
    lowered_new = [w.lower() for w in new_w]
    return [
        float("wording" in kinds),
        float("name" in kinds),
        float("sentence-added" in kinds),
        float("sentence-removed" in kinds),
        _log(len(old_w)),
        _log(len(new_w)),
        _log(len(content_old)),
        _log(len(content_new)),
        float(not old_w and bool(new_w)),
        float(bool(old_w) and not new_w),
        float(bool(changed) and not content),
        float(sum(any(ch.isupper() for ch in w) for w in changed)),
        float(sum(any(ch.isdigit() for ch in w) for w in changed)),
        float(any(w.lower() in MEANING_WORDS for w in changed)),
        min(freqs),
        sum(freqs) / len(freqs),
        float(any(word_frequency(w) < 30 for w in content)),
        len(new_on_old) / len(content_new) if content_new else 0.0,
        len(old_on_new) / len(content_old) if content_old else 0.0,
        _similarity(" ".join(old_w).lower(), " ".join(new_w).lower()),
        float(any(w.lower()[:4] in stems for w in content_new if len(w) >= 4)),
        float(not old_w and bool(lowered_new) and lowered_new[0] in ("and", "or")),
        _log(len(_MARKUP.findall(raw))),
        len(changed) / window if window else 1.0,
        _log(window),
    ]


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

    def asks(self, kinds: set[str]) -> bool:
        """Whether hunks of these kinds are the model's to judge."""
        return bool(kinds) and kinds <= self.kinds

    def minor(self, x: list[float]) -> bool:
        return self.probability(x) < self.threshold


@lru_cache(maxsize=1)
def model() -> Model | None:
    """The shipped model, or None when it is switched off or absent."""
    if os.environ.get("REVTRACK_DECIDE", "").lower() in ("off", "0", "no", "false"):
        return None
    if not _WEIGHTS.is_file():
        return None
    return Model(json.loads(_WEIGHTS.read_text(encoding="utf-8")))
