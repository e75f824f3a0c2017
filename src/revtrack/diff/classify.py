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

Classification runs on every ingest, so each test looks only at what differs: two texts are
compared between their common prefix and suffix, cut where no word, number, date or name can
straddle the cut (the counts of the common parts are equal on both sides); a hunk's sentences
are split from the last sentence boundary before it. Every such shortcut gives the same kinds
as the whole-text computation (checked on all corpus pairs and by random tests).
"""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from collections.abc import Iterable, Sequence

from revtrack.diff.affixes import common_prefix, common_suffix
from revtrack.diff.model import COSMETIC, Hunk, HunkFacts
from revtrack.text.tokenize import Span, iter_sentences, sentence_resume

__all__ = [
    "analyze_hunks",
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


def _wordlist(text: str) -> list[str]:
    return text.split()


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- visible text -------------------------------------------------------------------------------

# (substrings of which one must be present for the pattern to apply, pattern, replacement):
# the checks keep a paragraph without markup from paying for fourteen regular expressions.
_MARKUP: list[tuple[tuple[str, ...], re.Pattern[str], str]] = [
    (("<!--",), re.compile(r"<!--.*?-->", re.DOTALL), " "),
    (("{{",), re.compile(r"\{\{[<%].*?[>%]\}\}", re.DOTALL), " "),  # Hugo shortcodes
    (("{",), re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.DOTALL), " "),  # Liquid/Jinja tags, variables
    (
        (":",),
        re.compile(r"^[ \t]*(?:[a-z]{2,3}(?:-[a-z]+)?:\S[^\n]*)$", re.MULTILINE),
        " ",
    ),  # interwiki
    (
        (),
        re.compile(r"^([ \t]*)(?:\d{1,3}[.)]|[-*+])(?=[ \t])", re.MULTILINE),
        r"\1",
    ),  # list items
    (("![",), re.compile(r"!\[[^\]]*\]\([^)]*\)"), " "),  # images: alt text is not read as prose
    (("](",), re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links keep their text
    (("][",), re.compile(r"\[([^\]]*)\]\[[^\]]*\]"), r"\1"),  # reference links
    (("]:",), re.compile(r"^\s*\[[^\]]+\]:\s*\S+.*$", re.MULTILINE), " "),  # link definitions
    (("[",), re.compile(r"\[(?:youtube|caption|embed)[^\]]*\]"), " "),  # WordPress shortcodes
    (("<",), re.compile(r"</?[A-Za-z][^<>]*>"), " "),
    (("://", "www.", "mailto:"), re.compile(r"(?:https?://|ftp://|www\.|mailto:)\S+"), " "),
]
# The two line-start patterns above try every position of a text; these find their lines
# after a line break at the speed of a search for "\n" (the text's first line is tried apart).
_LINE_STARTS: dict[re.Pattern[str], re.Pattern[str]] = {
    _MARKUP[3][1]: re.compile(r"\n[ \t]*[a-z]{2,3}(?:-[a-z]+)?:\S"),
    _MARKUP[4][1]: re.compile(r"\n[ \t]*(?:\d{1,3}[.)]|[-*+])[ \t]"),
}
# Bare domains ("digital.gov/about"), applied last. The pattern backtracks at every word, so it
# runs only on the runs of non-space characters that hold a top-level domain (a match never
# crosses a space; the run's ends read as non-word characters, as the spaces around it do).
_TLDS = "gov|com|org|net|edu|mil|io|us|int"
_DOMAIN = re.compile(rf"\b[\w-]+(?:\.[\w-]+)*\.(?:{_TLDS})(?:/\S*)?\b")
_DOT_TLD = re.compile(rf"\.(?:{_TLDS})")
_NON_SPACE = re.compile(r"\S*")

_LIST_ITEM = _MARKUP[4][1]
_LIST_ITEM_LINE = _LINE_STARTS[_LIST_ITEM]


def _drop_domains(text: str) -> str:
    """``_DOMAIN.sub(" ", text)``, run where a top-level domain stands."""
    out: list[str] = []
    pos = 0
    for tld in _DOT_TLD.finditer(text):
        start = tld.start()
        if start < pos:
            continue  # in the run just handled
        while start > pos and not text[start - 1].isspace():
            start -= 1
        run = _NON_SPACE.match(text, tld.start())
        end = run.end() if run else tld.end()
        out.append(text[pos:start])
        out.append(_DOMAIN.sub(" ", text[start:end]))
        pos = end
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def visible_text(text: str) -> str:
    """What a reader of the rendered page reads: markup, URLs and entities set aside."""
    if (
        "[" not in text
        and "<" not in text
        and "{" not in text
        and ":" not in text
        and "&" not in text
        and "www." not in text
    ):
        # No pattern of _MARKUP with a trigger can apply (each trigger holds one of these or is
        # "www.", or its pattern needs a "[", as "](" for links): only the list items can.
        if _LIST_ITEM.match(text) or _LIST_ITEM_LINE.search(text):
            text = _LIST_ITEM.sub(r"\1", text)
    else:
        text = _without_markup(text)
    if "." in text:
        text = _drop_domains(text)
    if "*" in text or "_" in text or "~" in text:
        text = _EMPHASIS.sub(_drop_emphasis, text)
    return text


def _without_markup(text: str) -> str:
    """Entities unescaped, then every pattern of ``_MARKUP`` applied, in order, whose trigger is
    present.

    Written out rather than looped over the table, which cost a quarter of the time of a text
    with markup: the five patterns for square brackets need a "[" (none puts one back), and
    the test for each trigger is a plain substring search. A test checks it against the table.
    """
    if "&" in text:
        text = html.unescape(text)
    if "<!--" in text:
        text = _COMMENT.sub(" ", text)
    if "{" in text:
        if "{{" in text:
            text = _HUGO.sub(" ", text)
        if "{" in text:
            text = _LIQUID.sub(" ", text)
    if ":" in text and (_INTERWIKI.match(text) or _INTERWIKI_LINE.search(text)):
        text = _INTERWIKI.sub(" ", text)
    if _LIST_ITEM.match(text) or _LIST_ITEM_LINE.search(text):
        text = _LIST_ITEM.sub(r"\1", text)
    if "[" in text:
        if "![" in text:
            text = _IMAGE.sub(" ", text)
        if "](" in text:
            text = _LINK.sub(r"\1", text)
        if "][" in text:
            text = _REFERENCE_LINK.sub(r"\1", text)
        if "]:" in text:
            text = _LINK_DEFINITION.sub(" ", text)
        if "[" in text:
            text = _SHORTCODE.sub(" ", text)
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "://" in text or "www." in text or "mailto:" in text:
        text = _URL.sub(" ", text)
    return text


_COMMENT = _MARKUP[0][1]
_HUGO = _MARKUP[1][1]
_LIQUID = _MARKUP[2][1]
_INTERWIKI = _MARKUP[3][1]
_IMAGE = _MARKUP[5][1]
_LINK = _MARKUP[6][1]
_REFERENCE_LINK = _MARKUP[7][1]
_LINK_DEFINITION = _MARKUP[8][1]
_SHORTCODE = _MARKUP[9][1]
_TAG = _MARKUP[10][1]
_URL = _MARKUP[11][1]
_INTERWIKI_LINE = _LINE_STARTS[_INTERWIKI]


_EMPHASIS = re.compile(r"[*_~]+")


def _drop_emphasis(m: re.Match[str]) -> str:
    """Drop emphasis markers (``**``, ``_``), keep an underscore inside a word (snake_case)."""
    if len(m.group()) > 1:
        return ""
    text, i, j = m.string, m.start(), m.end()
    inside_word = i > 0 and j < len(text) and text[i - 1].isalnum() and text[j].isalnum()
    return m.group() if inside_word else ""


# --- numbers, dates, names, negations -----------------------------------------------------------

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"


def _initials(*alternations: str) -> str:
    """The first letters of the words of ``alternations`` ("a|b" strings), for a lookahead that
    lets a pattern skip every position where none of its words can start (the pattern's own
    alternatives are tried only where one can)."""
    return "".join(sorted({w[0] for alt in alternations for w in alt.split("|")}))


_DATE = re.compile(
    rf"\b(?=[\d{_initials(_MONTHS, _WEEKDAYS, 'yesterday|today|tomorrow|tonight')}])"
    rf"(?:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\.?(?:,?\s+\d{{4}})?"
    rf"|(?:{_MONTHS})\.?,?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}"
    rf"|(?:{_WEEKDAYS})|yesterday|today|tomorrow|tonight"
    r"|(?:1[89]|20)\d{2}s?)\b",
    re.IGNORECASE,
)
_DATE_WORDS = re.compile(
    rf"\b(?:(?:{_WEEKDAYS})|yesterday|today|tomorrow|tonight)\b",
    re.IGNORECASE,
)
_ANY_DIGIT = re.compile(r"\d")
# Bare month names need a capital: "may" and "march" are ordinary words too.
_MONTH_WORD = re.compile(
    r"\b(?:January|February|March|April|June|July|August|September|October|November|December)\b"
)
# Every month name has one of these capitals: a cheap test before the month-word pattern.
_ANY_MONTH = re.compile(r"[JFMASOND]")
_NUMBER_WORDS = (
    "zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    "fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    "eighty|ninety|hundred|hundreds|thousand|thousands|million|millions|billion|billions|"
    "trillion|dozen|dozens|half|twice|thrice|double|triple|third|fourth|fifth|sixth|"
    "seventh|eighth|ninth|tenth|percent|per cent|none"
)
_NUMBER = re.compile(
    rf"(?=[$€£¥\d{_initials(_NUMBER_WORDS)}])"
    rf"(?:[$€£¥]?\d+(?:[.,:]\d+)*(?:%|\b)|\b(?:{_NUMBER_WORDS})\b)",
    re.IGNORECASE,
)
_NEGATION = re.compile(
    r"\b(?:not|no|never|nor|neither|none|nobody|nothing|nowhere|without|cannot|"
    r"\w+n['’]t|unless|fail(?:s|ed)? to|refused?|denie[sd]|deny|false|untrue)\b",
    re.IGNORECASE,
)
_NEGATION_WORDS = re.compile(
    r"\b(?=[cdfnruw])(?:not|no|never|nor|neither|none|nobody|nothing|nowhere|without|cannot|"
    r"unless|fail(?:s|ed)? to|refused?|denie[sd]|deny|false|untrue)\b",
    re.IGNORECASE,
)
_CAPITALISED = re.compile(r"\b[A-Z][\w’'&.-]*\w|\b[A-Z]\b")
# Words that are capitalised because they open a sentence or a heading, not because they name.
_OPENERS = _wordset(
    """a an the i in on at to of for from by with as and but or if when while after before
    this that these those there here it its we our you your they their he his she her my me us
    what who how why where which all some many most more one new no not so also then thus yet
    however although because since during under over about into through is are was were be
    can will may should must do does did has have had let see read learn join"""
)
_WORD = re.compile(r"\w")
_QUOTES_OPEN = "“‘«"
_QUOTES_CLOSE = "”’»"
_QUOTE_MARK = re.compile(f"[{_QUOTES_OPEN}{_QUOTES_CLOSE}]")


_SMALL_NUMBERS = {
    w: str(i)
    for i, w in enumerate(
        _wordlist(
            """zero one two three four five six seven eight nine ten eleven twelve thirteen
            fourteen fifteen sixteen seventeen eighteen nineteen twenty"""
        )
    )
}


def _numbers_and_dates(visible: str) -> tuple[list[str], list[str]]:
    """Numbers by value where it is plain ("1,000" is "1000" and "five" is "5"), dates aside,
    and the dates: one pass of the date pattern serves both.

    Each comes as a sorted list, which compares like a ``Counter`` (same items, same counts)
    at a fraction of its cost for the few items of a narrowed part (see :func:`_narrowed`)."""
    # Every date form but weekdays and relative days has a digit: without one, a short pattern.
    if visible.isascii():
        date, date_words, number = _CASED
        scan = visible.lower()
    else:
        date, date_words, number = _UNCASED
        scan = visible
    dates = list((date if _ANY_DIGIT.search(scan) else date_words).finditer(scan))
    if dates:
        pieces: list[str] = []
        pos = 0
        for m in dates:
            pieces.append(scan[pos : m.start()])
            pos = m.end()
        pieces.append(scan[pos:])
        without_dates = " ".join(pieces)
    else:
        without_dates = scan
    numbers = [n.replace(",", "").lower() for n in number.findall(without_dates)]
    if numbers:
        numbers = sorted([_SMALL_NUMBERS.get(n, n) for n in numbers])
    found = [" ".join(m.group().lower().split()) for m in dates]
    if _ANY_MONTH.search(visible):
        found += _MONTH_WORD.findall(visible)
    found.sort()
    return numbers, found


def _folded(visible: str) -> str:
    """Case and accents folded."""
    folded = visible.casefold()
    if not folded.isascii():
        folded = _COMBINING.sub("", unicodedata.normalize("NFKD", folded))
    return folded


def _skeleton(visible: str) -> str:
    """Letters and digits only, case and accents folded, small number words as digits: what
    survives every cosmetic edit."""
    return _joined(_ALNUM.findall(_folded(visible)))


def _joined(words: list[str]) -> str:
    """The skeleton of a text from its words, case and accents folded."""
    if _SMALL_NUMBER_SET.isdisjoint(words):
        return "".join(words)
    return "".join([_SMALL_NUMBERS.get(w, w) for w in words])


_ALNUM = re.compile(r"[^\W_]+")
_SMALL_NUMBER_SET = frozenset(_SMALL_NUMBERS)
_COMBINING = re.compile(r"[\u0300-\u036f\u0307]")
_DIGITS = re.compile(r"(?=[$€£¥\d])[$€£¥]?\d+(?:[.,:/]\d+)*%?")


def _digit_numbers(visible: str, folded_words: list[str] | None = None) -> list[str]:
    """Every number, for the cosmetic test: digits as written (dates included, any change
    counts) and small number words as digits ("five" is "5"); a sorted list (see
    :func:`_numbers_and_dates`).

    ``folded_words`` are the skeleton's words of ``visible``, if known: for ASCII text they
    are the words in lower case, which need not be found again."""
    found = [n.replace(",", "") for n in _DIGITS.findall(visible)]
    if folded_words is not None and visible.isascii():
        words = folded_words
    else:
        words = _ALNUM.findall(visible.lower())
    if not _SMALL_NUMBER_SET.isdisjoint(words):
        found += [_SMALL_NUMBERS[w] for w in words if w in _SMALL_NUMBERS]
    found.sort()
    return found


def _negations(visible: str) -> list[str]:
    """Negations as a sorted list (see :func:`_numbers_and_dates`)."""
    # Without an apostrophe no "...n't" can match: the other words have known initials.
    apostrophe = "'" in visible or "’" in visible
    if visible.isascii():
        pattern = _NEGATION_CASED if apostrophe else _NEGATION_WORDS_CASED
    else:
        pattern = _NEGATION if apostrophe else _NEGATION_WORDS
    found = [m.lower() for m in pattern.findall(_lowered(visible))]
    found.sort()
    return found


def _lowered(visible: str) -> str:
    """ASCII text in lower case, for the case-sensitive twins of the patterns above (twice as
    fast as ignoring case, and the same matches: lower case keeps ASCII offsets); other text
    as it is."""
    return visible.lower() if visible.isascii() else visible


def _cased(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The same pattern matching case (its words are lower case), for lower-cased ASCII."""
    return re.compile(pattern.pattern)


_UNCASED = (_DATE, _DATE_WORDS, _NUMBER)
_CASED = (_cased(_DATE), _cased(_DATE_WORDS), _cased(_NUMBER))
_NEGATION_CASED = _cased(_NEGATION)
_NEGATION_WORDS_CASED = _cased(_NEGATION_WORDS)


def _names(visible: str) -> list[str]:
    """Capitalised words and acronyms, wherever they stand, minus common sentence openers; a
    sorted list (see :func:`_numbers_and_dates`)."""
    names: list[str] = []
    for word in _CAPITALISED.findall(visible):
        lower = word.lower()
        if lower in _OPENERS or lower in _SMALL_NUMBERS or _MONTH_WORD.fullmatch(word):
            continue
        names.append(word)
    names.sort()
    return names


def is_cosmetic_change(old: str, new: str) -> bool:
    """Whether ``old`` and ``new`` read the same: equal words and numbers, markup set aside.

    Number words need no check of their own: the skeleton spells "five" as "5"."""
    return _read_alike(visible_text(old), visible_text(new))


def _read_alike(old_v: str, new_v: str) -> bool:
    """Whether two visible texts have the same skeleton and numbers.

    Only what lies between their common prefix and suffix is compared, each cut at a space:
    no word or number crosses a space and case folding works character by character, so the
    skeleton and the numbers of the common parts are the same on both sides.
    """
    if old_v == new_v:
        return True
    start = max(old_v.rfind(" ", 0, common_prefix(old_v, new_v)), 0)
    suffix = common_suffix(old_v, new_v, start)
    end = old_v.find(" ", len(old_v) - suffix) if suffix else -1
    if end < 0:
        end = len(old_v)
    old_m, new_m = old_v[start:end], new_v[start : len(new_v) - (len(old_v) - end)]
    if not old_m or not new_m:
        # Against nothing: the skeleton is empty when no letter or digit survives folding.
        rest = old_m or new_m
        return not _ALNUM.search(_folded(rest)) and not _digit_numbers(rest)
    if _heads_differ(old_m, new_m):
        return False
    old_w, new_w = _ALNUM.findall(_folded(old_m)), _ALNUM.findall(_folded(new_m))
    return _joined(old_w) == _joined(new_w) and _digit_numbers(old_m, old_w) == _digit_numbers(
        new_m, new_w
    )


# Characters of each side whose skeletons are compared first (see _heads_differ).
_HEAD = 64


def _heads_differ(old_m: str, new_m: str) -> bool:
    """Whether the skeletons of the first words of ``old_m`` and ``new_m`` already differ.

    Two texts that differ from their first word on seldom read alike, and the part between
    the hunks of a paragraph is often long: the skeletons of a head of each, cut at a space,
    are the start of the whole skeletons (see :func:`_read_alike`), so where they disagree
    over the shorter one the whole skeletons differ too, and the rest need not be folded.
    """
    i = old_m.find(" ", _HEAD)
    j = new_m.find(" ", _HEAD)
    if i < 0 or j < 0:
        return False  # short: the whole skeletons cost as little
    old_s, new_s = _skeleton(old_m[:i]), _skeleton(new_m[:j])
    n = min(len(old_s), len(new_s))
    return old_s[:n] != new_s[:n]


def _says_nothing(text: str) -> bool:
    """``is_cosmetic_change(text, "")`` without comparing against nothing: no letter or digit
    survives folding the visible text, and it holds no number."""
    visible = visible_text(text)
    return not visible or (not _ALNUM.search(_folded(visible)) and not _digit_numbers(visible))


def classify_pair(old: str, new: str) -> tuple[str, ...]:
    """Kinds for replacing the passage ``old`` by ``new`` (both whole sentences or clauses)."""
    if is_cosmetic_change(old, new):
        return (COSMETIC,)
    old_v, new_v = visible_text(old), visible_text(new)
    kinds = set(_specific_kinds(old_v, new_v))
    return _ordered(kinds or {"wording"})


# Characters that no negation, number, date or name contains, nor any pattern finding them
# looks at: at one of them a text splits into parts whose counts add up.
_APART = ';()!?"“”[]'


def _specific_kinds(old_v: str, new_v: str) -> set[str]:
    old_v, new_v = _narrowed(old_v, new_v)
    kinds: set[str] = set()
    if _negations(old_v) != _negations(new_v):
        kinds.add("negation")
    old_numbers, old_dates = _numbers_and_dates(old_v)
    new_numbers, new_dates = _numbers_and_dates(new_v)
    if old_numbers != new_numbers:
        kinds.add("number")
    if old_dates != new_dates:
        kinds.add("date")
    if _names(old_v) != _names(new_v):
        kinds.add("name")
    return kinds


# What may stand just before a space that a negation, number or date crosses: "fail to",
# "per cent", and a date's month ("May 5") or day ("5 May", "May 5, 2020"), which has a digit.
_BEFORE_SPANNING_SPACE = (*_MONTHS.split("|"), "fail", "fails", "failed", "per")
# Spaces tried at each end of the differing parts before giving up the narrower cut.
_CUT_TRIES = 4


def _crossable(text: str, p: int) -> bool:
    """Whether a negation, number or date of ``text`` may cross the space ``text[p]`` (names hold
    no space).

    Only a few of them hold whitespace (``\\s+`` after a month or a day, "fail to", "per
    cent"), and the word just before the space tells: without a digit, a month name, "fail" or
    "per" at its end, nothing crosses. Non-ASCII words count as crossable, as case-insensitive
    matching lets some non-ASCII letters stand for ASCII ones ("ſ" for "s").
    """
    if p == 0:
        return False
    if text[p - 1].isspace():
        return True  # the space run starts further back
    word = text[text.rfind(" ", 0, p) + 1 : p]
    return (
        not word.isascii()
        or _ANY_DIGIT.search(word) is not None
        or word.rstrip(".,").lower().endswith(_BEFORE_SPANNING_SPACE)
    )


def _narrowed(old_v: str, new_v: str) -> tuple[str, str]:
    """``old_v`` and ``new_v`` less a common prefix and suffix, each cut at a space that nothing
    counted by :func:`_specific_kinds` crosses (see :func:`_crossable`), or failing one within
    a few words, at one of ``_APART`` (no negation, number, date or name contains one, nor
    does any pattern finding them look at one).

    The cut parts are equal on both sides and every pattern scans them alike alone or in the
    whole (none looks past a space but through ``\\b``, and a space is no word character), so
    their counts are the same on both sides and can be left out. The cuts at punctuation alone
    leave most of a sentence.
    """
    prefix = common_prefix(old_v, new_v)
    start = -1
    p = prefix
    for _ in range(_CUT_TRIES):
        p = old_v.rfind(" ", 0, p)
        if p <= 0:
            break
        if not _crossable(old_v, p):
            start = p
            break
    if start < 0:
        start = max(max([old_v.rfind(ch, 0, prefix) for ch in _APART]), 0)
    suffix = common_suffix(old_v, new_v, start)
    if not suffix:
        return old_v[start:], new_v[start:]
    grow = len(new_v) - len(old_v)
    tail = len(old_v) - suffix
    end = -1
    p = tail - 1
    for _ in range(_CUT_TRIES):
        p = old_v.find(" ", p + 1)
        if p < 0:
            break
        if not _crossable(old_v, p) and not _crossable(new_v, p + grow):
            end = p
            break
    if end < 0:
        end = min(
            [i for i in [old_v.find(ch, tail) for ch in _APART] if i >= 0], default=len(old_v)
        )
    return old_v[start:end], new_v[start : end + grow]


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
    aligned = sorted((h for h in hunks if h.op != "move"), key=lambda h: h.a_start)
    starts = [h.a_start for h in aligned]
    front = _front_matter_end(a)
    paragraphs: dict[tuple[int, int], bool] = {}  # (lo, hi) in a -> reads the same in b
    out: list[tuple[Hunk, HunkFacts]] = []
    for hunk in hunks:
        if hunk.op == "move":
            kinds, facts = classify_pair(hunk.old, hunk.new), _NO_FACTS
        elif (front and hunk.a_end <= front) or not (
            _WORD.search(hunk.old) or _WORD.search(hunk.new)
        ):
            # Front matter is site metadata; a change without a letter or digit is spacing or
            # punctuation, which can neither change a number nor add a sentence.
            kinds, facts = (COSMETIC,), _NO_FACTS
        else:
            kinds, facts = _classify_in_context(a, b, hunk, aligned, starts, paragraphs)
        out.append((_with_kinds(hunk, kinds), facts))
    return out


_NO_FACTS = HunkFacts()


def _with_kinds(h: Hunk, kinds: tuple[str, ...]) -> Hunk:
    """``replace(h, kinds=kinds)`` without its field-by-field introspection."""
    return Hunk(h.index, h.op, h.a_start, h.a_end, h.b_start, h.b_end, h.old, h.new, kinds)


_FRONT_MATTER_KEY = re.compile(r"[A-Za-z_][\w-]*:(?:\s|$)")


def _front_matter_end(text: str) -> int:
    """End of a YAML front-matter block (site metadata, not prose) at the top, else 0."""
    head = text[:4000]
    first = head.lstrip("\n").split("\n", 1)[0]
    if first != "---" and not _FRONT_MATTER_KEY.match(first):
        return 0
    body_start = head.find("---") + 3 if first == "---" else 0
    close = head.find("\n---", body_start)
    if close < 0:
        return 0
    return close + 4


def _map_a_to_b(x: int, aligned: list[Hunk], starts: list[int], *, end: bool) -> int:
    """Where offset ``x`` of ``a`` lands in ``b``; an insertion at ``x`` falls inside the range
    that ``x`` starts (``end=False``) or ends (``end=True``)."""
    i = (bisect.bisect_right(starts, x) if end else bisect.bisect_left(starts, x)) - 1
    if i < 0:
        return x
    h = aligned[i]
    if x >= h.a_end:
        return h.b_end + (x - h.a_end)
    return h.b_end if end else h.b_start


def _context_bounds(a: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph around ``a[start:end]`` (blank lines bound it: a Markdown link or a
    template tag may span a soft line break), cut to a window at spaces when very long."""
    lo = a.rfind("\n\n", 0, start)
    lo = 0 if lo < 0 else lo + 2
    hi = a.find("\n\n", end)
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
    start, end = span.start, span.end
    first = _WORD.search(text, start, end)
    if first is None:
        return None
    last = end - 1
    while not _WORD.match(text, last):
        last -= 1
    return first.start(), last + 1


def _touched(
    text: str, lo: int, hi: int, sentences: Iterable[Span]
) -> tuple[list[Span], list[Span]]:
    """Split the sentences touching ``[lo, hi)`` into those wholly inside it and the rest.

    Sentences come in order with only space between them, so once one reaches ``hi`` the next
    starts from there: the loop stops without asking for it (splitting it off is a third of
    the sentence work of a hunk).
    """
    inside: list[Span] = []
    partial: list[Span] = []
    for span in sentences:
        # A sentence's core lies within it: one ending by ``lo`` or starting from ``hi`` is
        # neither inside the range nor touching it.
        if span.start >= hi and span.end > lo:
            break
        if span.end > lo:
            core = _core(text, span)
            if core is not None:
                c0, c1 = core
                if lo <= c0 and c1 <= hi and lo < hi:
                    inside.append(span)
                elif (c0 < hi and c1 > lo) or (lo == hi and c0 < lo < c1):
                    partial.append(span)
        if span.end >= hi:
            break
    return inside, partial


def _without(text: str, start: int, end: int, spans: list[Span]) -> str:
    """``text[start:end]`` with the given sentences cut out."""
    out: list[str] = []
    pos = start
    for span in spans:
        if span.start >= start and span.end <= end:
            out.append(text[pos : span.start])
            pos = span.end
    out.append(text[pos:end])
    return "".join(out)


def _classify_in_context(
    a: str,
    b: str,
    hunk: Hunk,
    aligned: list[Hunk],
    starts: list[int],
    paragraphs: dict[tuple[int, int], bool],
) -> tuple[tuple[str, ...], HunkFacts]:
    lo, hi = _context_bounds(a, hunk.a_start, hunk.a_end)
    old_ctx = a[lo:hi]

    # Markup is often changed by several hunks at once ("[" here, "](url)" there): if the
    # paragraph as a whole reads the same in both versions, each of its hunks is cosmetic.
    same = paragraphs.get((lo, hi))
    if same is None:
        b_lo = _map_a_to_b(lo, aligned, starts, end=False)
        b_hi = _map_a_to_b(hi, aligned, starts, end=True)
        same = paragraphs[lo, hi] = is_cosmetic_change(old_ctx, b[b_lo:b_hi])
    if same:
        return (COSMETIC,), _NO_FACTS
    new_ctx = a[lo : hunk.a_start] + hunk.new + a[hunk.a_end : hi]
    h0, h1 = hunk.a_start - lo, hunk.a_end - lo
    shift = len(hunk.new) - (h1 - h0)
    n1 = h1 + shift

    # Both versions read the same up to the hunk and sentences ending before it are of no
    # interest, so both are split from the last sentence boundary before it, and only as far
    # as the hunk reaches.
    resume = sentence_resume(old_ctx, h0)
    old_inside, old_partial = _touched(old_ctx, h0, h1, iter_sentences(old_ctx, resume))
    new_inside, new_partial = _touched(new_ctx, h0, n1, iter_sentences(new_ctx, resume))

    kinds: set[str] = set()
    if new_inside and not _says_nothing(" ".join(s.text(new_ctx) for s in new_inside)):
        kinds.add("sentence-added")
    if old_inside and not _says_nothing(" ".join(s.text(old_ctx) for s in old_inside)):
        kinds.add("sentence-removed")

    if old_partial or new_partial:
        # One window over the same surrounding text in both versions: text before the hunk
        # has the same offsets in both, text after it is shifted by the hunk's growth.
        w0 = min(s.start for s in old_partial + new_partial)
        w1 = max([s.end for s in old_partial] + [s.end - shift for s in new_partial])
        w1 = max(w1, h1)
        old_part = _without(old_ctx, w0, w1, old_inside)
        new_part = _without(new_ctx, w0, w1 + shift, new_inside)
        old_v, new_v = visible_text(old_part), visible_text(new_part)
        if not _read_alike(old_v, new_v):
            specific = _specific_kinds(old_v, new_v)
            if _in_quote(old_ctx, h0, h1, w0) or _in_quote(new_ctx, h0, n1, w0):
                specific.add("quote")
            kinds |= specific or {"wording"}
    if not kinds:
        return (COSMETIC,), _NO_FACTS
    facts = HunkFacts(
        sentences_added=len(new_inside) if "sentence-added" in kinds else 0,
        sentences_removed=len(old_inside) if "sentence-removed" in kinds else 0,
        changed_sentence_starts=frozenset(lo + s.start for s in old_partial),
    )
    return _ordered(kinds), facts


_QUOTED_PASSAGE = re.compile(r"[“\"][^“”\"]*\w+\W+\w+\W+\w+[^“”\"]*[”\"]")
_WORD_RUN = re.compile(r"\w+")
_QUOTE_CHAR = re.compile(r"[“”\"]")
_OPENING_MARKS = '“"'
_CLOSING_MARKS = '”"'


def _has_quoted_passage(text: str) -> bool:
    """Whether ``_QUOTED_PASSAGE`` matches somewhere in ``text``, in linear time (the pattern
    itself backtracks for long without a closing mark).

    A match is three consecutive runs of word characters with no mark before the first
    or after the third up to the quotes around them (marks may stand in the two gaps between
    the runs): so for each three runs in a row, the last mark before them must open and the
    first mark after them must close.
    """
    if '"' not in text and "“" not in text:
        return False
    runs = [m.span() for m in _WORD_RUN.finditer(text)]
    marks = [(m.start(), m.group()) for m in _QUOTE_CHAR.finditer(text)]
    before = -1  # index in marks of the last mark before the first run of the three
    after = 0  # index in marks of the first mark after the third run
    for i in range(len(runs) - 2):
        first, last = runs[i][0], runs[i + 2][1]
        while before + 1 < len(marks) and marks[before + 1][0] < first:
            before += 1
        while after < len(marks) and marks[after][0] < last:
            after += 1
        if before < 0 or after == len(marks):
            continue
        if marks[before][1] in _OPENING_MARKS and marks[after][1] in _CLOSING_MARKS:
            return True
    return False


def _in_quote(text: str, start: int, end: int, sentence_start: int) -> bool:
    """Whether ``text[start:end]`` lies inside a quotation, or adds or removes a quoted passage
    of three words or more ("the" in quotes around a title is not a quotation)."""
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].lstrip().startswith(">"):
        return True  # a Markdown block quote
    # A quoted passage needs a quotation mark, which only an entity could bring in otherwise.
    passage = text[start:end]
    if ('"' in passage or "“" in passage or "&" in passage) and _has_quoted_passage(
        visible_text(passage)
    ):
        return True
    before = text[min(sentence_start, start) : start]
    if "<" in before[before.rfind(">") + 1 :] or "{" in before[before.rfind("}") + 1 :]:
        return False  # inside a tag or a template: an attribute value, not a quotation
    opened = False
    for m in _QUOTE_MARK.finditer(text, line_start, start):
        ch = m.group()
        if ch in _QUOTES_OPEN:
            opened = True
        elif ch != "’" or not text[m.end() : m.end() + 1].isalpha():
            # "’" is also the apostrophe of "Japan’s": it closes only before a non-letter.
            opened = False
    return opened or before.count('"') % 2 == 1
