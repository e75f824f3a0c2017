"""Tell cosmetic edits from substantive ones, and name what a substantive edit touched.

Each hunk is judged in context, in isolation: the paragraph around it in ``a`` is compared
with the same paragraph with only this hunk applied. That way a quote hunk knows it sits
inside quotation marks, a URL fragment knows it is part of a link, and a neighbouring hunk
in the same sentence cannot leak into the verdict.

Cosmetic means a reader sees the same words and numbers: the two contexts agree once markup
(Markdown links and emphasis, HTML tags and entities, shortcodes), URLs, whitespace,
punctuation and case are set aside. A change to any number (digits or number words, "1.5" vs
"15" included, which the punctuation rule alone would miss) is never cosmetic.

Substantive kinds come from rules, most telling first: a negation flipped, a number or date
changed, a proper name changed, words inside a quotation changed, whole sentences removed or
added; "wording" when nothing more specific applies. Names are capitalised words that do not
start a sentence, so they are not found in the lower-cased Wikipedia corpus.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from revtrack.diff.model import COSMETIC, Hunk
from revtrack.text.tokenize import Span, split_sentences

__all__ = [
    "HunkFacts",
    "classify_headline",
    "classify_hunks",
    "classify_pair",
    "is_cosmetic_change",
    "visible_text",
]

_ORDER = (
    "headline",
    "negation",
    "number",
    "date",
    "name",
    "quote",
    "sentence-removed",
    "sentence-added",
    "wording",
)

# A paragraph longer than this is cut to a window around the hunk, to bound the work per hunk.
_MAX_CONTEXT = 1500


@dataclass(frozen=True)
class HunkFacts:
    """What classification learned about one hunk's sentences, reused by the stats."""

    sentences_added: int = 0
    sentences_removed: int = 0
    changed_sentence_starts: frozenset[int] = field(default_factory=frozenset)


# --- visible text -------------------------------------------------------------------------------

_MARKUP = [
    (re.compile(r"<!--.*?-->", re.DOTALL), " "),
    (re.compile(r"\{\{[<%].*?[>%]\}\}", re.DOTALL), " "),  # Hugo shortcodes
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), " "),  # images: alt text is not read as prose
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links keep their text
    (re.compile(r"\[([^\]]*)\]\[[^\]]*\]"), r"\1"),  # reference links
    (re.compile(r"^\s*\[[^\]]+\]:\s*\S+.*$", re.MULTILINE), " "),  # link definitions
    (re.compile(r"\[(?:youtube|caption|embed)[^\]]*\]"), " "),  # WordPress shortcodes
    (re.compile(r"</?[A-Za-z][^<>]*>"), " "),
    (re.compile(r"\*\*|__|~~|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)"), ""),  # emphasis
    (re.compile(r"(?:https?://|ftp://|www\.|mailto:)\S+"), " "),
    (
        re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:gov|com|org|net|edu|mil|io|us|int)(?:/\S*)?\b"),
        " ",
    ),
]
_SKELETON = re.compile(r"[\W_]+")


def visible_text(text: str) -> str:
    """What a reader of the rendered page reads: markup, URLs and entities set aside."""
    text = html.unescape(text)
    for pattern, repl in _MARKUP:
        text = pattern.sub(repl, text)
    return text


def _skeleton(visible: str) -> str:
    return _SKELETON.sub("", visible).casefold()


# --- numbers, dates, names, negations -----------------------------------------------------------

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_DATE = re.compile(
    rf"\b(?:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\.?(?:,?\s+\d{{4}})?"
    rf"|(?:{_MONTHS})\.?,?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}"
    rf"|(?:{_WEEKDAYS})|yesterday|today|tomorrow|tonight"
    r"|(?:1[89]|20)\d{2}s?)\b",
    re.IGNORECASE,
)
# Bare month names need a capital: "may" and "march" are ordinary words too.
_MONTH_WORD = re.compile(
    r"\b(?:January|February|March|April|June|July|August|September|October|November|December)\b"
)
_NUMBER_WORDS = (
    "zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    "fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    "eighty|ninety|hundred|hundreds|thousand|thousands|million|millions|billion|billions|"
    "trillion|dozen|dozens|half|twice|thrice|double|triple|third|fourth|fifth|sixth|"
    "seventh|eighth|ninth|tenth|percent|per cent|none"
)
_NUMBER = re.compile(
    rf"[$€£¥]?\d+(?:[.,:]\d+)*(?:%|\b)|\b(?:{_NUMBER_WORDS})\b",
    re.IGNORECASE,
)
_NEGATION = re.compile(
    r"\b(?:not|no|never|nor|neither|none|nobody|nothing|nowhere|without|cannot|"
    r"\w+n['’]t|unless|fail(?:s|ed)? to|refused?|denie[sd]|deny|false|untrue)\b",
    re.IGNORECASE,
)
_CAPITALISED = re.compile(r"\b[A-Z][\w’'&.-]*\w|\b[A-Z]\b")
_NOT_NAMES = frozenset({"I", "A", "The", "An"})
_WORD = re.compile(r"\w")
_QUOTES_OPEN = "“‘«"
_QUOTES_CLOSE = "”’»"


def _numbers(visible: str) -> Counter[str]:
    without_dates = _DATE.sub(" ", visible)
    return Counter(m.group().replace(",", "").lower() for m in _NUMBER.finditer(without_dates))


def _dates(visible: str) -> Counter[str]:
    found = Counter(" ".join(m.group().lower().split()) for m in _DATE.finditer(visible))
    found.update(m.group() for m in _MONTH_WORD.finditer(visible))
    return found


def _negations(visible: str) -> Counter[str]:
    return Counter(m.group().lower() for m in _NEGATION.finditer(visible))


def _names(visible: str) -> Counter[str]:
    names: Counter[str] = Counter()
    for span in split_sentences(visible):
        sentence = span.text(visible)
        first = re.search(r"\w", sentence)
        for m in _CAPITALISED.finditer(sentence):
            if first is not None and m.start() <= first.start():
                continue
            word = m.group()
            if word in _NOT_NAMES or _MONTH_WORD.fullmatch(word) or _DATE.fullmatch(word):
                continue
            names[word] += 1
    return names


def is_cosmetic_change(old: str, new: str) -> bool:
    """Whether ``old`` and ``new`` read the same: equal words and numbers, markup set aside."""
    old_v, new_v = visible_text(old), visible_text(new)
    return _skeleton(old_v) == _skeleton(new_v) and _numbers(old_v) == _numbers(new_v)


def classify_pair(old: str, new: str) -> tuple[str, ...]:
    """Kinds for replacing the passage ``old`` by ``new`` (both whole sentences or clauses)."""
    old_v, new_v = visible_text(old), visible_text(new)
    if _skeleton(old_v) == _skeleton(new_v) and _numbers(old_v) == _numbers(new_v):
        return (COSMETIC,)
    kinds = set(_specific_kinds(old_v, new_v))
    return _ordered(kinds or {"wording"})


def _specific_kinds(old_v: str, new_v: str) -> set[str]:
    kinds: set[str] = set()
    if _negations(old_v) != _negations(new_v):
        kinds.add("negation")
    if _numbers(old_v) != _numbers(new_v):
        kinds.add("number")
    if _dates(old_v) != _dates(new_v):
        kinds.add("date")
    if _names(old_v) != _names(new_v):
        kinds.add("name")
    return kinds


def _ordered(kinds: set[str]) -> tuple[str, ...]:
    return tuple(k for k in _ORDER if k in kinds)


def classify_headline(old: str, new: str) -> tuple[str, ...]:
    """Kinds for a title change: ``()`` if equal, cosmetic, or "headline" plus what changed."""
    if old == new:
        return ()
    kinds = classify_pair(old, new)
    if kinds == (COSMETIC,):
        return kinds
    return _ordered({"headline", *kinds} - {"wording"})


# --- hunks in context --------------------------------------------------------------------------


def classify_hunks(a: str, b: str, hunks: Sequence[Hunk]) -> list[Hunk]:
    """Return ``hunks`` with their kinds set (see :func:`analyze_hunks`)."""
    return [h for h, _ in analyze_hunks(a, b, hunks)]


def analyze_hunks(a: str, b: str, hunks: Sequence[Hunk]) -> list[tuple[Hunk, HunkFacts]]:
    """Classify every hunk and say which sentences it added, removed or changed."""
    out: list[tuple[Hunk, HunkFacts]] = []
    for hunk in hunks:
        if hunk.op == "move":
            out.append((replace(hunk, kinds=classify_pair(hunk.old, hunk.new)), HunkFacts()))
            continue
        kinds, facts = _classify_in_context(a, hunk)
        out.append((replace(hunk, kinds=kinds), facts))
    return out


def _context_bounds(a: str, start: int, end: int) -> tuple[int, int]:
    """The lines around ``a[start:end]``, cut to a window at spaces when very long."""
    lo = a.rfind("\n", 0, start) + 1
    hi = a.find("\n", end)
    hi = len(a) if hi < 0 else hi
    if start - lo > _MAX_CONTEXT:
        cut = a.rfind(" ", lo, start - _MAX_CONTEXT)
        lo = start - _MAX_CONTEXT if cut < 0 else cut + 1
    if hi - end > _MAX_CONTEXT:
        cut = a.find(" ", end + _MAX_CONTEXT, hi)
        hi = end + _MAX_CONTEXT if cut < 0 else cut
    return lo, hi


def _core(text: str, span: Span) -> tuple[int, int] | None:
    """Offsets from the first to the last word character of a sentence, or None if it has none."""
    piece = span.text(text)
    first = _WORD.search(piece)
    if first is None:
        return None
    last = len(piece) - 1
    while not _WORD.match(piece[last]):
        last -= 1
    return span.start + first.start(), span.start + last + 1


def _touched(text: str, lo: int, hi: int, sentences: list[Span]) -> tuple[list[Span], list[Span]]:
    """Split the sentences touching ``[lo, hi)`` into those wholly inside it and the rest."""
    inside: list[Span] = []
    partial: list[Span] = []
    for span in sentences:
        core = _core(text, span)
        if core is None:
            continue
        c0, c1 = core
        if lo <= c0 and c1 <= hi and lo < hi:
            inside.append(span)
        elif (c0 < hi and c1 > lo) or (lo == hi and c0 < lo < c1):
            partial.append(span)
    return inside, partial


def _classify_in_context(a: str, hunk: Hunk) -> tuple[tuple[str, ...], HunkFacts]:
    lo, hi = _context_bounds(a, hunk.a_start, hunk.a_end)
    old_ctx = a[lo:hi]
    new_ctx = a[lo : hunk.a_start] + hunk.new + a[hunk.a_end : hi]
    h0, h1 = hunk.a_start - lo, hunk.a_end - lo
    n1 = h0 + len(hunk.new)

    old_inside, old_partial = _touched(old_ctx, h0, h1, split_sentences(old_ctx))
    new_inside, new_partial = _touched(new_ctx, h0, n1, split_sentences(new_ctx))
    facts = HunkFacts(
        sentences_added=len(new_inside),
        sentences_removed=len(old_inside),
        changed_sentence_starts=frozenset(lo + s.start for s in old_partial),
    )

    kinds: set[str] = set()
    if new_inside and not is_cosmetic_change(" ".join(s.text(new_ctx) for s in new_inside), ""):
        kinds.add("sentence-added")
    if old_inside and not is_cosmetic_change(" ".join(s.text(old_ctx) for s in old_inside), ""):
        kinds.add("sentence-removed")

    old_part = _join(old_ctx, old_partial)
    new_part = _join(new_ctx, new_partial)
    if old_partial or new_partial:
        old_v, new_v = visible_text(old_part), visible_text(new_part)
        if _skeleton(old_v) != _skeleton(new_v) or _numbers(old_v) != _numbers(new_v):
            specific = _specific_kinds(old_v, new_v)
            if _in_quote(old_ctx, h0, h1) or _in_quote(new_ctx, h0, n1):
                specific.add("quote")
            kinds |= specific or {"wording"}
    if not kinds:
        return (COSMETIC,), facts
    return _ordered(kinds), facts


def _join(text: str, spans: list[Span]) -> str:
    if not spans:
        return ""
    return text[spans[0].start : spans[-1].end]


def _in_quote(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` lies inside, or itself adds or removes, a quotation."""
    line_start = text.rfind("\n", 0, start) + 1
    line = text[line_start:start]
    if line.lstrip().startswith(">"):
        return True  # a Markdown block quote
    changed = text[start:end]
    if any(q in changed for q in '“”«»"') and _WORD.search(changed):
        return True
    opened = 0
    for i, ch in enumerate(line):
        if ch in _QUOTES_OPEN:
            opened = 1
        elif ch in _QUOTES_CLOSE:
            # "’" is also the apostrophe of "Japan’s": it closes only before a non-letter.
            if ch != "’" or i + 1 == len(line) or not line[i + 1].isalpha():
                opened = 0
        elif ch == '"':
            opened ^= 1
    return opened == 1
