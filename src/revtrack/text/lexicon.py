"""The words revtrack's rules know: numbers, dates, negations, sentence openers.

Classification (is a change a number, a date, a negation?), linking (what kind of change does
a hunk show, which words of a note carry meaning?) and note detection (is this a date in a
label?) must judge the same words alike: an edit that reverses a claim is a negation for the
audit and for the linker, or the linker misses the fix the audit reports. So each list is
written once, here, lower case, and each user builds its patterns or sets from it.

Lists are tuples in a fixed order (patterns built from them come out the same every run);
``alternation`` turns one into a regular expression. Pure, no imports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = [
    "CONTRACTED_NEGATION",
    "MONTHS",
    "MONTHS_ALSO_WORDS",
    "MONTH_ABBREVIATIONS",
    "NEGATIONS",
    "NEGATION_PHRASES",
    "NUMBER_PHRASES",
    "NUMBER_WORDS",
    "RELATIVE_DAYS",
    "SENTENCE_OPENERS",
    "SMALL_NUMBERS",
    "WEEKDAYS",
    "alternation",
]


def _words(text: str) -> list[str]:
    """The words of a list written as text (long lists read better as prose)."""
    return text.split()


# --- dates ---------------------------------------------------------------------------------------

MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
MONTH_ABBREVIATIONS = (
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
)
# Month names that are everyday words too ("it may rain", "to mar"): alone, without a day or a
# year beside them, they do not make a date.
MONTHS_ALSO_WORDS = ("may", "mar")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Days named relative to the day of writing: a date for a reader, whatever the calendar says.
RELATIVE_DAYS = ("yesterday", "today", "tomorrow", "tonight")

# --- numbers -------------------------------------------------------------------------------------

# Each at the index of its value: "five" is SMALL_NUMBERS[5].
SMALL_NUMBERS = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
)
# Words that state a quantity, an ordinal or a proportion: changing one changes a value.
NUMBER_WORDS = (
    *SMALL_NUMBERS,
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "hundreds",
    "thousand",
    "thousands",
    "million",
    "millions",
    "billion",
    "billions",
    "trillion",
    "dozen",
    "dozens",
    "half",
    "twice",
    "thrice",
    "double",
    "triple",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "percent",
    "none",
)
# Number words written as two (one space between them).
NUMBER_PHRASES = ("per cent",)

# --- negation ------------------------------------------------------------------------------------

# Words that deny or reverse what a sentence says.
NEGATIONS = (
    "not",
    "no",
    "never",
    "nor",
    "neither",
    "none",
    "nobody",
    "nothing",
    "nowhere",
    "without",
    "cannot",
    "unless",
    "refuse",
    "refused",
    "deny",
    "denies",
    "denied",
    "false",
    "untrue",
)
NEGATION_PHRASES = ("fail to", "fails to", "failed to")
# The end of every contracted negation ("didn't", "won’t"), with either apostrophe.
CONTRACTED_NEGATION = "n't"

# --- names ---------------------------------------------------------------------------------------

# Words capitalised because they open a sentence or a heading, not because they name.
SENTENCE_OPENERS = frozenset(
    _words(
        """a an the i in on at to of for from by with as and but or if when while after before
        this that these those there here it its we our you your they their he his she her my me us
        what who how why where which all some many most more one new no not so also then thus yet
        however although because since during under over about into through is are was were be
        can will may should must do does did has have had let see read learn join"""
    )
)


def alternation(words: Iterable[str]) -> str:
    """A regular expression matching any of ``words``, longest first: where one is the start of
    another ("sep", "sept", "september"), the longer is tried first, as a greedy optional
    suffix ("sept?(?:ember)?") would."""
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))
