"""Words as the linker compares them: lower-cased, lightly stemmed, stop words dropped.

A note and the sentence it corrects rarely use the same inflection ("islands" / "island",
"controlled" / "controls"), so words are reduced by a small suffix stripper rather than a full
stemmer: it only has to make two forms of one word meet, and it must be predictable. Numbers
are kept as written ("82%", "1,000") so that a figure in a note can meet the figure in a hunk.
Stop words are the shared list of :mod:`revtrack.text.lexicon`.
"""

from __future__ import annotations

import re

from revtrack.text.lexicon import STOP_WORDS

__all__ = ["content_words", "stem", "surface_words"]

_TOKEN = re.compile(r"[$€£¥]?\d+(?:[.,:/]\d+)*%?|[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)

_SUFFIXES = (
    ("ational", "ate"),
    ("ization", "ize"),
    ("iveness", "ive"),
    ("fulness", "ful"),
    ("ousness", "ous"),
    ("ements", "e"),
    ("ement", "e"),
    ("ments", ""),
    ("ment", ""),
    ("ities", "ity"),
    ("ingly", ""),
    ("ings", ""),
    ("ing", ""),
    ("ies", "y"),
    ("ied", "y"),
    ("edly", ""),
    ("eed", "ee"),
    ("ed", ""),
    ("es", "e"),
    ("ly", ""),
    ("s", ""),
)


def stem(word: str) -> str:
    """A light stem: "islands" -> "island", "controlled" -> "control", "studies" -> "study"."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            word = word[: -len(suffix)] + replacement
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] != "s":
        word = word[:-1]  # "controll" -> "control", "planned" -> "plan"
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


def surface_words(text: str) -> list[str]:
    """Every word and number of ``text``, lower-cased, in order."""
    return [m.group(0).lower().replace("’", "'") for m in _TOKEN.finditer(text)]


def content_words(text: str, extra_stop: frozenset[str] = frozenset()) -> list[str]:
    """The stems of ``text``'s words that carry meaning (stop words and 1-letter words dropped)."""
    out: list[str] = []
    for word in surface_words(text):
        if word in STOP_WORDS or word in extra_stop or (len(word) < 2 and not word.isdigit()):
            continue
        out.append(stem(word))
    return out
