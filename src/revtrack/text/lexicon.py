"""The words revtrack's rules know: numbers, dates, negations, titles, stop words, grammar.

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
    "AGREEMENT_PAIRS",
    "AMBIGUOUS_PIECES",
    "CONTRACTED_NEGATION",
    "ERROR_ADVERBS",
    "ERROR_VERBS",
    "FILLER_WORDS",
    "FUNCTION_WORDS",
    "HONORIFICS",
    "MEANING_WORDS",
    "MIS_VERBS",
    "MONTHS",
    "MONTHS_ALSO_WORDS",
    "MONTH_ABBREVIATIONS",
    "NEGATIONS",
    "NEGATION_PHRASES",
    "NOTE_DOCUMENTS",
    "NUMBER_PHRASES",
    "NUMBER_WORDS",
    "OPPOSITE_PAIRS",
    "OWN_PIECES",
    "PRINT_MIS_VERBS",
    "PRINT_PARTS",
    "RELATIVE_DAYS",
    "REPORTED_PARTICIPLES",
    "REPORTING_VERBS",
    "SENTENCE_OPENERS",
    "SMALL_NUMBERS",
    "SPELLED_ABBREVIATIONS",
    "STOP_WORDS",
    "WEEKDAYS",
    "WEEKDAY_ABBREVIATIONS",
    "WIRE_CORRECTING_VERBS",
    "WIRE_UPDATING_VERBS",
    "alternation",
    "is_negation",
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
WEEKDAY_ABBREVIATIONS = ("mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun")
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
# Words that state a quantity, an ordinal or a proportion: changing one changes a value. Not
# "first" and "second", which are more often something else ("at first", "first draft", "in the
# first place", "a second", "per second") than a rank, so that a passage gaining or losing one
# would be called a changed number; "third" to "tenth" are ranks or fractions, as "half" is.
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
    "quarter",
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
# The end of every contracted negation ("didn't", "won’t", and the "n't" of "did n't" where a
# text was split the Penn Treebank way), with either apostrophe.
CONTRACTED_NEGATION = "n't"

# --- names ---------------------------------------------------------------------------------------

# Titles written before a name, often abbreviated with a period ("Sen.", "Lt."): no sentence
# ends at them, and they say nothing of what a note corrects.
HONORIFICS = (
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "st",
    "jr",
    "sr",
    "sen",
    "rep",
    "gov",
    "gen",
    "col",
    "lt",
    "capt",
    "sgt",
    "cmdr",
    "adm",
    "maj",
    "rev",
    "hon",
    "pres",
)
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

# --- stop words ----------------------------------------------------------------------------------

# Words that carry no content of their own when a note's words are matched against a change.
STOP_WORDS = frozenset(
    [
        *_words(
            """a about above after again against all also am an and any are aren't as at be
            because been before being below between both but by can could did didn't do does
            doesn't doing don't down during each few for from further had hadn't has hasn't have
            haven't having he he'd he'll he's her here here's hers herself him himself his how
            how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me more most
            mustn't my myself no nor not of off on once only or other ought our ours ourselves out
            over own same shan't she she'd she'll she's should shouldn't so some such than that
            that's the their theirs them themselves then there there's these they they'd they'll
            they're they've this those through to too under until up very was wasn't we we'd we'll
            we're we've were weren't what what's when when's where where's which while who who's
            whom why why's with won't would wouldn't you you'd you'll you're you've your yours
            yourself yourselves per via upon within without among since just still even ever much
            many may might must shall will one's s t us let"""
        ),
        *HONORIFICS,
    ]
)


# --- grammar (the minor class) -------------------------------------------------------------------

FUNCTION_WORDS = frozenset(
    _words(
        """a an the this that these those of in on at to for from by with into onto upon about as
    via it its it's they them their theirs he
    him his she her hers we us our ours you your yours i me my mine who whom whose which what
    there here and both also so then such than own one ones"""
    )
)
# Auxiliaries are not among them: "is" for "was" moves a fact in time; only agreement ("has"
# for "have") is grammar, through AGREEMENT_PAIRS.

MEANING_WORDS = frozenset(
    _words(
        """not no never none nor neither nobody nothing nowhere cannot can't won't don't doesn't
    isn't aren't wasn't weren't hasn't haven't hadn't shouldn't wouldn't couldn't mustn't or
    all some any each every many few most more less least only always sometimes often must
    may might can could should would will shall need required optional before after without
    except unless until before after during within through over under above below since"""
    )
)

# Function words that swap into their opposite: never a grammar fix.
OPPOSITE_PAIRS = frozenset(
    frozenset(pair) for pair in (("from", "to"), ("in", "out"), ("on", "off"), ("into", "from"))
)

FILLER_WORDS = frozenset(
    _words(
        """really very just actually basically simply quite rather currently now also still
    even further additionally specifically generally typically usually certainly clearly
    indeed"""
    )
)

AGREEMENT_PAIRS = frozenset(
    frozenset(pair)
    for pair in (
        ("is", "are"),
        ("was", "were"),
        ("has", "have"),
        ("does", "do"),
        ("a", "an"),
        ("this", "these"),
        ("that", "those"),
        ("its", "their"),
        ("it", "they"),
    )
)

SPELLED_ABBREVIATIONS = {
    "e g": "for example",
    "eg": "for example",
    "i e": "that is",
    "ie": "that is",
    "etc": "and so on",
    "vs": "versus",
    "approx": "approximately",
    "est": "estimated",
    "govt": "government",
    "dept": "department",
    "info": "information",
    "uk": "united kingdom",
    "us": "united states",
    "usa": "united states",
    "to": "in order to",
}


# --- reader notes ---------------------------------------------------------------------------------

# What an outlet calls a piece of its own when a note speaks of it ("this *article* has been
# corrected", "an earlier version of this *caption*"). Plural forms are listed where a note
# uses them.
NOTE_DOCUMENTS = (
    "story",
    "stories",
    "article",
    "articles",
    "post",
    "blog post",
    "report",
    "piece",
    "column",
    "editorial",
    "obituary",
    "review",
    "item",
    "essay",
    "interview",
    "feature",
    "newsletter",
    "analysis",
    "page",
    "headline",
    "summary",
    "caption",
    "photo caption",
    "picture caption",
    "image caption",
    "graphic",
    "chart",
    "map",
    "video",
    "podcast",
    "episode",
    "transcript",
    "explainer",
    "profile",
    "correction",
    "dispatch",
    "op-ed",
    "commentary",
    "segment",
    "broadcast",
    "programme",
    "program",
    "package",
    "infographic",
    "bulletin",
)
# The pieces a corrections column names as the one that erred, without "this" ("*A story*
# published Nov. 14 said ...", "*Wednesday's column* incorrectly said ..."). A story speaks of
# other people's reports, reviews, maps and videos ("a review found ...", "a video posted
# online said ..."), rarely of another outlet's caption or obituary: the pieces of the first
# kind are listed again in AMBIGUOUS_PIECES and read apart ("report" is one of them, and is
# not here: the patterns spell it out, "our report", "the report 'Title'").
OWN_PIECES = (
    *_words(
        """
        story article column caption headline obituary editorial graphic chart item package
        programme program broadcast segment episode piece post newsletter infographic interview
        profile letter bulletin narrator presenter reporter correspondent columnist contributor
        panel sidebar photograph photo picture cartoon crossword puzzle quiz recipe listing
        factbox illustration review feature leader analysis essay diary blog podcast video map
        table timeline guide preview documentary fact-check factcheck"""
    ),
)
# Of the pieces, the ones a story names as often when they are someone else's ("a review of
# the scheme found ...", "the leader of the council said ...", "a video posted online"): read
# as ours only when pointed to in our pages ("a feature (Open all hours, 3 March, page 12)",
# "a leader on Monday") or when their verb says they erred, as "report" is.
AMBIGUOUS_PIECES = (
    "report",
    *("review", "feature", "leader", "analysis", "essay", "diary", "blog", "podcast", "video"),
    *("map", "table", "timeline", "guide", "preview", "documentary"),
)
# Verbs that say a piece of ours erred, beside the mis- verbs, but that people and bodies do
# too ("the court reversed the ruling", "the minister misread the mood"): an error only when a
# piece of ours or "we" is the subject ("a caption *reversed* the names", "we *confused* ...").
ERROR_VERBS = (
    *_words(
        """
        reversed transposed switched swapped conflated confused overstated understated
        exaggerated misinterpreted misconstrued miscalculated misread misrendered garbled"""
    ),
    "mixed up",
)
# Parts of a printed paper a corrections column points to ("In Saturday's Travel *section*
# (page 12)").
PRINT_PARTS = ("section", "edition", "issue", "supplement", "magazine", "paper", "page", "pages")
# Verbs of a published error, spelt as notes print them: "misspelled", "misidentified" ...
MIS_VERBS = (
    *_words(
        """
        misstated misspelled misspelt misidentified misquoted misattributed misnamed
        mischaracterized mischaracterised misreported misrepresented mislabelled mislabeled
        misdescribed misdated misgendered mistranslated mistranscribed mistitled misplaced
        miscaptioned misprinted misheard"""
    ),
)
# Of those, the ones that name a published error even in the passive ("the surname *was
# misspelled*"): a person may misplace keys or mishear a question; a name is misspelled in print.
PRINT_MIS_VERBS = tuple(
    v for v in MIS_VERBS if v not in ("misplaced", "misheard", "misrepresented")
)
# Adverbs a note puts before the verb of the error ("we *wrongly* stated").
ERROR_ADVERBS = (
    "incorrectly",
    "erroneously",
    "wrongly",
    "mistakenly",
    "inaccurately",
    "inadvertently",
)
# What a piece did when it erred, in the past tense ("we *said*", "the story *gave* ... as").
REPORTING_VERBS = (
    "said",
    "stated",
    "reported",
    "wrote",
    "referred",
    "described",
    "called",
    "named",
    "gave",
    "listed",
    "identified",
    "attributed",
    "credited",
    "quoted",
    "suggested",
    "implied",
    "claimed",
    "aired",
    "published",
    "printed",
    "showed",
    "labelled",
    "labeled",
    "located",
    "placed",
    "spelled",
    "spelt",
    "omitted",
    "mentioned",
    "characterized",
    "characterised",
    "dated",
    "headlined",
    "captioned",
)
# The same acts as past participles ("..., not 1989, *as stated* in ...", "it *was stated*
# that ...").
REPORTED_PARTICIPLES = (
    "stated",
    "given",
    "reported",
    "said",
    "printed",
    "written",
    "published",
    "shown",
    "suggested",
    "implied",
    "spelled",
    "spelt",
    "described",
    "listed",
    "named",
    "called",
    "captioned",
    "credited",
    "attributed",
    "identified",
    "quoted",
    "labelled",
    "labeled",
    "mentioned",
    "referred to",
    "located",
    "placed",
    "included",
    "dated",
    "titled",
    "claimed",
)
# Wire-service advisories start with one of these, in parentheses: "(Corrects paragraph 3 ...)",
# "(Refiles to fix ...)", "(Updates with ...)". The first group corrects, the second updates.
WIRE_CORRECTING_VERBS = ("corrects", "corrected", "refiles", "refiled", "fixes", "clarifies")
WIRE_UPDATING_VERBS = (
    "updates",
    "adds",
    "removes",
    "deletes",
    "withdraws",
    "recasts",
    "changes",
    "inserts",
    "restores",
    "rewrites",
    "amends",
)


def is_negation(word: str) -> bool:
    """Whether a lower-case word (apostrophes as "'") is a negation of :data:`NEGATIONS` or a
    contracted one."""
    return word in _NEGATION_SET or word.endswith(CONTRACTED_NEGATION)


_NEGATION_SET = frozenset(NEGATIONS)


def alternation(words: Iterable[str]) -> str:
    """A regular expression matching any of ``words``, tried in their order but for a word that
    another starts with ("sep" of "sept", "september"), which comes after it: the longer is tried
    first, as a greedy optional suffix ("sept?(?:ember)?") would. Lists put common words first,
    which is where a pattern tries them first."""
    ordered: list[str] = []
    for word in words:
        at = next((i for i, w in enumerate(ordered) if word.startswith(w)), len(ordered))
        ordered.insert(at, word)
    return "|".join(re.escape(w) for w in ordered)
