"""The facts a passage states, as classification compares them: numbers, dates, names,
negations, quotations.

Each is found by a pattern over visible text (see :mod:`revtrack.diff.visible`) built from
the shared word lists of :mod:`revtrack.text.lexicon`, and comes as a sorted list, so two
passages state the same facts when their lists are equal. Names are capitalised words that do
not start a sentence, so they are not found in the lower-cased Wikipedia corpus. A number
is a number whether written in digits or words; dates are taken out before numbers are
counted, so "March 5" is a date and not also a 5.

:func:`changed_facts` compares two passages between their common prefix and suffix, cut
where no fact can straddle the cut (the facts of the common parts are equal on both sides);
:func:`in_quote` tells whether a change lies inside a quotation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from revtrack.diff.affixes import common_prefix, common_suffix
from revtrack.diff.visible import visible_text
from revtrack.text.lexicon import (
    CONTRACTED_NEGATION,
    MONTH_ABBREVIATIONS,
    MONTHS,
    MONTHS_ALSO_WORDS,
    NEGATION_PHRASES,
    NEGATIONS,
    NUMBER_PHRASES,
    NUMBER_WORDS,
    RELATIVE_DAYS,
    SENTENCE_OPENERS,
    SMALL_NUMBERS,
    WEEKDAYS,
    alternation,
)

__all__ = ["changed_facts", "in_quote", "names", "negations", "numbers_and_dates"]


def _initials(*words: Iterable[str]) -> str:
    """The first letters of ``words``, for a lookahead that lets a pattern skip every position
    where none of its words can start (the pattern's own alternatives are tried only where one
    can)."""
    return "".join(sorted({w[0] for group in words for w in group}))


_MONTHS = alternation((*MONTHS, *MONTH_ABBREVIATIONS))
_DAYS = alternation((*WEEKDAYS, *RELATIVE_DAYS))
_DATE = re.compile(
    rf"\b(?=[\d{_initials(MONTHS, MONTH_ABBREVIATIONS, WEEKDAYS, RELATIVE_DAYS)}])"
    rf"(?:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\.?(?:,?\s+\d{{4}})?"
    rf"|(?:{_MONTHS})\.?,?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}"
    rf"|{_DAYS}"
    r"|(?:1[89]|20)\d{2}s?)\b",
    re.IGNORECASE,
)
_DATE_WORDS = re.compile(rf"\b(?:{_DAYS})\b", re.IGNORECASE)
_ANY_DIGIT = re.compile(r"\d")
# Bare month names need a capital, and not all of them make a date: "may" is a word too.
_MONTH_WORD = re.compile(
    rf"\b(?:{alternation(m.capitalize() for m in MONTHS if m not in MONTHS_ALSO_WORDS)})\b"
)
# Every month name has one of these capitals: a cheap test before the month-word pattern.
_ANY_MONTH = re.compile(f"[{_initials(MONTHS).upper()}]")
_NUMBER_WORDS = alternation((*NUMBER_WORDS, *NUMBER_PHRASES))
_NUMBER = re.compile(
    rf"(?=[$€£¥\d{_initials(NUMBER_WORDS, NUMBER_PHRASES)}])"
    # A comma joins digit groups of three ("1,000"); "3,4,5" is a list of three numbers.
    rf"(?:[$€£¥]?\d+(?:,\d{{3}}(?!\d)|[.:]\d+)*(?:%|\b)|\b(?:{_NUMBER_WORDS})\b)",
    re.IGNORECASE,
)
_NEGATIONS = alternation((*NEGATIONS, *NEGATION_PHRASES))
# A contracted negation: a word ending in "n't" (or the bare "n't" of "did n't"), with either
# apostrophe.
_CONTRACTED = r"\w*" + CONTRACTED_NEGATION.replace("'", "['’]")
_NEGATION = re.compile(rf"\b(?:{_NEGATIONS}|{_CONTRACTED})\b", re.IGNORECASE)
_NEGATION_WORDS = re.compile(
    rf"\b(?=[{_initials(NEGATIONS, NEGATION_PHRASES)}])(?:{_NEGATIONS})\b", re.IGNORECASE
)
_CAPITALISED = re.compile(r"\b[A-Z][\w’'&.-]*\w|\b[A-Z]\b")
_QUOTES_OPEN = "“‘«"
_QUOTES_CLOSE = "”’»"
_QUOTE_MARK = re.compile(f"[{_QUOTES_OPEN}{_QUOTES_CLOSE}]")
# Small number words by their value: "five" is "5".
_SMALL_NUMBERS = {w: str(i) for i, w in enumerate(SMALL_NUMBERS)}


def numbers_and_dates(visible: str) -> tuple[list[str], list[str]]:
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


def negations(visible: str) -> list[str]:
    """Negations as a sorted list (see :func:`numbers_and_dates`)."""
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


def names(visible: str) -> list[str]:
    """Capitalised words and acronyms, wherever they stand, minus common sentence openers; a
    sorted list (see :func:`numbers_and_dates`)."""
    found: list[str] = []
    for word in _CAPITALISED.findall(visible):
        lower = word.lower()
        if lower in SENTENCE_OPENERS or lower in _SMALL_NUMBERS or _MONTH_WORD.fullmatch(word):
            continue
        found.append(word)
    found.sort()
    return found


def changed_facts(old_v: str, new_v: str) -> set[str]:
    """The kinds of fact ("negation", "number", "date", "name") that two visible passages state
    differently."""
    old_v, new_v = _narrowed(old_v, new_v)
    kinds: set[str] = set()
    if negations(old_v) != negations(new_v):
        kinds.add("negation")
    old_numbers, old_dates = numbers_and_dates(old_v)
    new_numbers, new_dates = numbers_and_dates(new_v)
    if old_numbers != new_numbers:
        kinds.add("number")
    if old_dates != new_dates:
        kinds.add("date")
    if names(old_v) != names(new_v):
        kinds.add("name")
    return kinds


# Characters that no negation, number, date or name contains, nor any pattern finding them
# looks at: at one of them a text splits into parts whose counts add up.
_APART = ';()!?"“”[]'
# What may stand just before a space that a negation, number or date crosses: the first word
# of a phrase of the lexicon ("fail to", "per cent"), and a date's month ("May 5") or day
# ("5 May", "May 5, 2020"), which has a digit.
_BEFORE_SPANNING_SPACE = tuple(
    sorted(
        {
            *MONTHS,
            *MONTH_ABBREVIATIONS,
            *(phrase.split()[0] for phrase in (*NEGATION_PHRASES, *NUMBER_PHRASES)),
        }
    )
)
# Spaces tried at each end of the differing parts before giving up the narrower cut.
_CUT_TRIES = 4


def _crossable(text: str, p: int) -> bool:
    """Whether a negation, number or date of ``text`` may cross the space ``text[p]`` (names hold
    no space).

    Only a few of them hold whitespace (``\\s+`` after a month or a day, a phrase such as
    "fail to" or "per cent"), and the word just before the space tells: without a digit, a
    month name or a phrase's first word at its end, nothing crosses. Non-ASCII words count as
    crossable, as case-insensitive matching lets some non-ASCII letters stand for ASCII ones
    ("ſ" for "s").
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
    counted by :func:`changed_facts` crosses (see :func:`_crossable`), or failing one within
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


def in_quote(text: str, start: int, end: int, sentence_start: int) -> bool:
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
