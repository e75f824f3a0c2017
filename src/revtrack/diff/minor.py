"""Edits where words change but a reader learns nothing different: the *minor* class.

A corrections policy asks for a note when a reader was told something wrong; it never asks
for one when a misspelt common word is fixed, an article restored or "utilize" made "use".
The audit is only useful if it keeps those apart from a changed number or name, so this
module explains a changed span word by word and calls it minor only when **every** changed
run of words has an explanation that cannot carry news:

- a typo fixed: a word the dictionary does not know, a small edit away from one it knows well
  (pyspellchecker's English word frequencies, shipped in the package, no network);
- the same word spelt the British or the American way (``colour``/``color``,
  ``haemophilia``/``hemophilia``, ``organise``/``organize``);
- grammar: agreement (``have``/``has``, ``a``/``an``), singular and plural of one word, the
  possessive, a function word added, dropped or swapped (articles, prepositions, pronouns);
- an abbreviation or an acronym written out (``e.g.``/``for example``, ``CFO``/``Chief
  Financial Officer``), two words joined or split (``theTOS``/``the TOS``).

Anything else — two different dictionary words, a capitalised word, a modal, a quantifier,
a negation, ``and`` turned into ``or`` — is left to the substantive rules: a missed number or
name is the worst error the audit can make, a typo flagged is only noise. The caller asks
only about spans whose numbers, dates, names and negations already agree.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from revtrack.diff.affixes import common_prefix, common_suffix
from revtrack.diff.model import Hunk
from revtrack.text.lexicon import (
    AGREEMENT_PAIRS,
    FILLER_WORDS,
    FUNCTION_WORDS,
    MEANING_WORDS,
    OPPOSITE_PAIRS,
    SPELLED_ABBREVIATIONS,
)

__all__ = [
    "COUNT_WORDS",
    "changed_with_context",
    "heading_number",
    "is_typo_fix",
    "minor_kind",
    "minor_markup",
    "narrowed",
    "spelling_variants",
    "word_frequency",
]

_WORD = re.compile(r"[^\W_](?:[\w’'-]*[^\W_])?")

# A word the dictionary knows this well (occurrences in its source texts) is a real word, not
# a typo's target by chance: "smith" (about 1,000) stays a possible name, "cultural" (12,000)
# is a word.
KNOWN_WELL = 2000
# A word seen less often than this is as good as unknown (the lists hold common misspellings).
BARELY_KNOWN = 30
# A real word this rare, one letter from a very common one, is taken for a slip of it.
RARE_WORD = 500
# A word at least this long that the dictionary has never seen is a slip of a known word near it.
LONG_WORD = 8

# British and American spellings of one word, as rewrites applied to both sides.
_VARIANTS = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"isation", "ization"),
        (r"is(e|ed|es|ing)$", r"iz\1"),
        (r"ys(e|ed|es|ing)$", r"yz\1"),
        (r"our(s|ed|ing|ite|ites|able|ful)?$", r"or\1"),
        (r"tre(s)?$", r"ter\1"),
        (r"(ae|oe)", "e"),
        (r"ogue$", "og"),
        (r"ence$", "ense"),
        (r"ll(ed|ing|er|ers)$", r"l\1"),
        (r"mme$", "m"),
        (r"grey", "gray"),
    )
)


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, int]:
    from spellchecker import SpellChecker

    return dict(SpellChecker(language="en", distance=1).word_frequency.dictionary)


def _frequency(word: str) -> int:
    w = word.lower().replace("’", "'")
    return _frequencies().get(w.removesuffix("'s"), 0)


def word_frequency(word: str) -> int:
    """How often the dictionary's source texts use ``word`` (0 when it does not know it)."""
    return _frequency(word)


def _distance(a: str, b: str) -> int:
    """Optimal string alignment distance (Levenshtein with adjacent swaps), capped at 3."""
    if abs(len(a) - len(b)) > 2:
        return 3
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


# A capitalised word is a word rather than a name when the dictionary knows it well and it is
# at least this long: short common words double as first names (Mark, Bill, Grace).
WORD_NOT_NAME = 6


def is_typo_fix(old: str, new: str) -> bool:
    """Whether ``old`` → ``new`` fixes (or makes) a typo in a common word.

    One side is a word the dictionary barely knows, the other one it knows well, a small edit
    apart. A capitalised word counts only when it is a long, common word in capitals (a
    document title's "Polices"): a respelled name is the commonest published correction.
    """
    if old == new:
        return False
    if _capitalised(old) or _capitalised(new):
        if not (_title_word(old) and _title_word(new)):
            return False
        if max(_frequency(old), _frequency(new)) < KNOWN_WELL or len(new) < WORD_NOT_NAME:
            return False
    lo, ln = old.lower(), new.lower()
    if lo == ln:
        return False
    limit = 1 if min(len(lo), len(ln)) <= 4 else 2
    if _distance(lo, ln) > limit:
        return False
    fo, fn = _frequency(lo), _frequency(ln)
    if (fo < BARELY_KNOWN and fn >= KNOWN_WELL) or (fn < BARELY_KNOWN and fo >= KNOWN_WELL):
        return True
    # A long word the dictionary has never seen, two letters from a fairly common one
    # ("modication" for "modification", 1,159): no word of its own, so a slip.
    if min(fo, fn) == 0 and max(fo, fn) >= RARE_WORD and min(len(lo), len(ln)) >= LONG_WORD:
        return True
    # Two real words one letter apart, one rare and the other twenty times commoner
    # ("polices" for "policies"): the rare one is a slip of the common one.
    rare, common = sorted((fo, fn))
    return _distance(lo, ln) == 1 and rare < RARE_WORD and common >= max(KNOWN_WELL, 20 * rare)


def spelling_variants(old: str, new: str) -> bool:
    """Whether two words are one word spelt the British and the American way."""
    lo, ln = old.lower(), new.lower()
    if lo == ln or _capitalised(old) != _capitalised(new):
        return False
    return _americanised(lo) == _americanised(ln)


def _americanised(word: str) -> str:
    for pattern, repl in _VARIANTS:
        word = pattern.sub(repl, word)
    return word


def _title_word(word: str) -> bool:
    """Capitalised like a word in a title: an initial capital and nothing else upper-case."""
    return word[:1].isupper() and word[1:].islower()


def _capitalised(word: str) -> bool:
    return any(ch.isupper() for ch in word)


def _stem(word: str) -> str:
    """Singular, non-possessive form of a word ("policies" and "policy's" are "policy")."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    elif w.endswith("s'"):
        w = w[:-1]
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "sses", "xes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-1]
    return w


def _same_word_inflected(old: str, new: str) -> bool:
    return old.lower() != new.lower() and _stem(old) == _stem(new)


def _pair_kind(old: str, new: str) -> str | None:
    """The minor kind of one word replaced by one other, or None if it may carry news."""
    lo, ln = old.lower(), new.lower()
    if lo in MEANING_WORDS or ln in MEANING_WORDS:
        return None
    if lo == ln:
        return "style"  # case only: the cosmetic rules see it first; kept for completeness
    if frozenset((lo, ln)) in AGREEMENT_PAIRS:
        return "grammar"
    if lo in FUNCTION_WORDS and ln in FUNCTION_WORDS:
        return None if frozenset((lo, ln)) in OPPOSITE_PAIRS else "grammar"
    if _same_word_inflected(old, new) and not (_capitalised(old) or _capitalised(new)):
        return "grammar"
    if spelling_variants(old, new):
        return "style"
    if is_typo_fix(old, new):
        return "typo"
    return None


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words if w.lower() not in FUNCTION_WORDS)


def _run_kind(old: list[str], new: list[str]) -> str | None:
    """The minor kind of one changed run of words (either side may be empty)."""
    if not old or not new:
        added = new or old
        if all(w.lower() in FUNCTION_WORDS or w.lower() in FILLER_WORDS for w in added):
            return "grammar" if all(w.lower() in FUNCTION_WORDS for w in added) else "rewording"
        return None
    if len(old) == len(new):
        kinds: list[str] = []
        for o, n in zip(old, new, strict=True):
            kind = _pair_kind(o, n)
            if kind is None:
                break  # one pair that may carry news decides: the rest need no look
            kinds.append(kind)
        else:
            return "typo" if "typo" in kinds else kinds[0]
    joined_old, joined_new = "".join(old).lower(), "".join(new).lower()
    if joined_old == joined_new:
        return "typo"  # words joined or split: "theTOS" / "the TOS"
    lo, ln = " ".join(old).lower(), " ".join(new).lower()
    if SPELLED_ABBREVIATIONS.get(lo) == ln or SPELLED_ABBREVIATIONS.get(ln) == lo:
        return "rewording"
    for short, long_ in ((old, new), (new, old)):
        if len(short) == 1 and len(short[0]) >= 2 and len(long_) >= 2:
            acronym = short[0].lower()
            if _initials(long_).lower() == acronym:
                return "rewording"  # an acronym written out, or its expansion shortened
    return None


def minor_kind(old: str, new: str) -> str | None:
    """``"typo"``, ``"grammar"``, ``"style"`` or ``"rewording"`` when replacing ``old`` by
    ``new`` changes words but tells a reader nothing new; None when it may.

    ``old`` and ``new`` are visible texts (markup already set aside) of the same passage.
    Every changed run of words must be explained; a run whose explanation needs a neighbour
    (an acronym and its expansion side by side) is judged with the words around it.
    """
    old, new = _narrowed(old, new)
    old_words, new_words = _WORD.findall(old), _WORD.findall(new)
    if _spelled_out(old_words) == _spelled_out(new_words) != _lowered(old_words):
        return "rewording"  # only abbreviations or set phrases written out or shortened
    matcher = SequenceMatcher(
        None, [w.lower() for w in old_words], [w.lower() for w in new_words], autojunk=False
    )
    found: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        kind = _run_kind(old_words[i1:i2], new_words[j1:j2])
        if _list_joined(old_words, new_words, i1, i2, j1, j2):
            kind = "style"  # "3,4,5" / "3, 4, and 5": the same numbers, listed otherwise
        elif kind == "grammar" and _counted(old_words, i1) | _counted(new_words, j1):
            return None  # "two positions" / "a position": the count may have changed
        if kind is None:
            kind = _repeated(old_words, new_words, i1, i2, j1, j2)
        if kind is None:
            kind = _beside_acronym(old_words, new_words, i1, i2, j1, j2)
        if kind is None:
            return None
        found.append(kind)
    if not found:
        return None
    for preferred in ("typo", "grammar", "style", "rewording"):
        if preferred in found:
            return preferred
    return found[0]


COUNT_WORDS = frozenset(
    ("a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
)


def _list_joined(
    old_words: list[str], new_words: list[str], i1: int, i2: int, j1: int, j2: int
) -> bool:
    """Whether "and" alone was put in or taken out between two numbers of a list."""
    if (i1 == i2) == (j1 == j2):
        return False
    words, lo, hi = (new_words, j1, j2) if i1 == i2 else (old_words, i1, i2)
    if [w.lower() for w in words[lo:hi]] != ["and"] or lo == 0 or hi >= len(words):
        return False
    return words[lo - 1].isdigit() and words[hi].isdigit()


def _counted(words: list[str], at: int) -> bool:
    """Whether a number or count word stands just before position ``at``."""
    return any(w.lower() in COUNT_WORDS or w[0].isdigit() for w in words[max(0, at - 2) : at])


def _repeated(
    old_words: list[str], new_words: list[str], i1: int, i2: int, j1: int, j2: int
) -> str | None:
    """Words typed twice, or the doubling removed ("the the", a phrase repeated)."""
    if i1 != i2 and j1 != j2:
        return None
    words, lo, hi = (new_words, j1, j2) if i1 == i2 else (old_words, i1, i2)
    run = [w.lower() for w in words[lo:hi]]
    n = len(run)
    before = [w.lower() for w in words[max(0, lo - n) : lo]]
    after = [w.lower() for w in words[hi : hi + n]]
    return "typo" if run in (before, after) else None


# Characters of unchanged text kept on each side of the change: enough for the words the rules
# look at beside a changed run (a count word before it, an acronym after it, a doubled word).
_KEEP = 60


def _narrowed(old: str, new: str) -> tuple[str, str]:
    """Both passages cut to their differing middle and a little unchanged text around it, at
    spaces, so no word is split (the rules then read a few words, not whole paragraphs)."""
    start = common_prefix(old, new)
    end = common_suffix(old, new, start)
    lo = old.rfind(" ", 0, max(0, start - _KEEP)) + 1
    hi_old = old.find(" ", min(len(old), len(old) - end + _KEEP))
    hi_new = new.find(" ", min(len(new), len(new) - end + _KEEP))
    tail = min(
        len(old) - (hi_old if hi_old >= 0 else len(old)),
        len(new) - (hi_new if hi_new >= 0 else len(new)),
    )
    return old[lo : len(old) - tail], new[lo : len(new) - tail]


def narrowed(old: str, new: str) -> tuple[str, str]:
    """Both passages cut to their differing middle and some unchanged text around it, at
    spaces (what the word rules read; the words that differ are the same as in the whole)."""
    return _narrowed(old, new)


def _lowered(words: list[str]) -> str:
    return " ".join(w.lower() for w in words)


def _spelled_out(words: list[str]) -> str:
    """The words with every abbreviation and set phrase in its short form."""
    text = f" {_lowered(words)} "
    for short, long_ in SPELLED_ABBREVIATIONS.items():
        if f" {long_} " in text:
            text = text.replace(f" {long_} ", f" {short} ")
    return text.strip()


def _beside_acronym(
    old_words: list[str], new_words: list[str], i1: int, i2: int, j1: int, j2: int
) -> str | None:
    """An expansion inserted next to its acronym ("CFO" → "Chief Financial Officer (CFO)")."""
    if i1 != i2 and j1 != j2:
        return None
    added = new_words[j1:j2] if i1 == i2 else old_words[i1:i2]
    words = new_words if i1 == i2 else old_words
    lo, hi = (j1, j2) if i1 == i2 else (i1, i2)
    initials = _initials(added).lower()
    if len(initials) < 2:
        return None
    neighbours = [words[k] for k in (lo - 1, hi) if 0 <= k < len(words)]
    return "rewording" if any(n.lower() == initials for n in neighbours) else None


_HEADING_TAG = re.compile(r"</?h[1-6]\b[^>]*$", re.I)
_LIST_JOINER = re.compile(r"\s+(?:and|or)\s", re.I)


def minor_markup(a: str, b: str, hunk: Hunk) -> str | None:
    """``"style"`` for a markup or punctuation hunk a reader does notice though the words stay:
    a heading's level (``###`` → ``##``, ``<h3>`` → ``<h4>``) or an Oxford comma; else None
    (the hunk stays cosmetic)."""
    changed = hunk.old + hunk.new
    if changed and set(changed) <= {"#"}:
        line = a.rfind("\n", 0, hunk.a_start) + 1
        if set(a[line : hunk.a_start]) <= {"#"} and a[hunk.a_end : hunk.a_end + 1] in ("#", " "):
            return "style"
    if (
        changed.isdigit()
        and len(changed) <= 2
        and _HEADING_TAG.search(a, max(0, hunk.a_start - 40), hunk.a_start)
    ):
        return "style"
    if changed == "," and hunk.op in ("insert", "delete"):
        text, at = (b, hunk.b_end) if hunk.op == "insert" else (a, hunk.a_end)
        start = hunk.b_start if hunk.op == "insert" else hunk.a_start
        if _LIST_JOINER.match(text, at) and "," in text[max(0, start - 120) : start]:
            return "style"  # the serial comma before the last item of a list
    return None


def changed_with_context(old: str, new: str, context: int) -> tuple[str, str]:
    """The words that differ between two passages, with ``context`` unchanged words on each
    side, from each passage: what a model of meaning compares (a whole sentence around a
    one-word change would read alike whatever the word)."""
    old_words, new_words = _WORD.findall(old), _WORD.findall(new)
    lo_old, lo_new = [w.lower() for w in old_words], [w.lower() for w in new_words]
    start = 0
    while start < min(len(lo_old), len(lo_new)) and lo_old[start] == lo_new[start]:
        start += 1
    end = 0
    limit = min(len(lo_old), len(lo_new)) - start
    while end < limit and lo_old[-1 - end] == lo_new[-1 - end]:
        end += 1
    first = max(0, start - context)
    keep = max(0, end - context)
    return (
        " ".join(old_words[first : len(old_words) - keep]),
        " ".join(new_words[first : len(new_words) - keep]),
    )


_SECTION_NUMBER = re.compile(r"\s*(?:\d{1,2}|[A-Za-z])[.)]\s*")
_BARE_NUMBER = re.compile(r"\d{1,2}|[A-Za-z]")
_HEADING_START = re.compile(r"#{1,6}[ \t]+$")


def heading_number(a: str, b: str, hunk: Hunk) -> bool:
    """Whether ``hunk`` only numbers or renumbers a Markdown heading (``## Discover`` →
    ``## 1. Discover``, ``### 8. Advertising`` → ``### 9. Advertising``): sections renumbered,
    which tells a reader nothing new."""
    sides = ((a, hunk.a_start, hunk.a_end, hunk.old), (b, hunk.b_start, hunk.b_end, hunk.new))
    for text, start, end, changed in sides:
        if changed and not (
            _SECTION_NUMBER.fullmatch(changed)
            or (_BARE_NUMBER.fullmatch(changed) and text[end : end + 1] in (".", ")"))
        ):
            return False
        if changed:
            line = text.rfind("\n", 0, start) + 1
            if not _HEADING_START.match(text, line, start) and text[line:start].strip("# \t"):
                return False
            if not text[line:start].startswith("#"):
                return False
    return bool(hunk.old.strip() or hunk.new.strip())
