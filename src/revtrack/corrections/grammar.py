"""A note read by its grammar: what it admits, whose text it speaks of, what it sets right.

:mod:`revtrack.corrections.forms` knows the printed forms of notes one by one ("we said ...",
"X, not Y, as we had it", "Contrary to a story Tuesday, ..."). Each batch of new outlets brings
forms it does not know, though they are built of the same parts. This module reads those
parts instead and weighs them:

* an **admission or change predicate** — a verb or noun of error ("misstated", "misspelt",
  "wrongly described", "incorrect", "an editing mistake", "should have said", "came to our
  attention") or of a change made to the text ("was amended to", "has been updated",
  "was corrected from", "we have removed", "retract");
* a **claim report** — what our text said: "we said / referred to / had it", "the article
  stated", "it was stated that", "was given as", "originally said";
* a **reference to the text itself** — "this article / story / post", "an earlier version",
  "our report", "Monday's paper", "the Metro section", "page 8", "in our 4th March edition";
* a **wrong/right structure** — "X, not Y", "in fact", "the correct figure is", "instead of",
  "from the originally ...", "He is Canadian." after an admission;
* a present-tense **apology or regret** by the publisher ("We apologise for the error");

and what speaks against a note: someone else's words (reported speech, attribution after the
words, quotation), a third party as the one who erred or fixed ("the exam board corrected",
"the referees' body admitted"), another outlet named as the text.

The weights are a logistic model fitted on the tuning parts of the catalogue's batches and on
ordinary opening and closing paragraphs of the shared corpora (``bench/fit_note_grammar.py``
refits them and reports leave-one-outlet-out figures); they are constants here, so detection
stays a function of the text alone. The caller asks only about a short, unlabelled paragraph
among the first or last of a text that no known form matched (see
:func:`revtrack.corrections.detect._unlabelled`).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from revtrack.corrections.form_patterns import _ATTRIBUTION, _REPORTED_SPEECH
from revtrack.corrections.grammar_gates import ERR_ADV, NEEDS, PIECE_WORDS, TEXT_PARTS
from revtrack.corrections.speech_acts import act_not_claim, restates
from revtrack.text.lexicon import MIS_VERBS, MONTHS, OWN_PIECES, WEEKDAYS

__all__ = [
    "FEATURES",
    "THRESHOLD",
    "WEIGHTS",
    "features",
    "grammar_score",
    "letter_voice",
    "reads_as_note",
    "someone_else_fixed",
    "well_formed",
]

_MIS = "|".join(sorted(MIS_VERBS, key=len, reverse=True))
# The nouns of a published error, as a note names it ("a misstatement", "a misperception about
# why ..."); not "misinformation" or "misconduct", which a story reports of others.
_MIS_NOUNS = (
    r"mis(?:statement|perception|impression|quotation|attribution|identification|print"
    r"|spelling|characteri[sz]ation|translation|labell?ing)s?"
)
_TEXT_PARTS = TEXT_PARTS
_PIECE = "|".join(sorted((*OWN_PIECES, *_TEXT_PARTS), key=len, reverse=True))
_ERR_ADV = ERR_ADV
_NEEDS = NEEDS
_PIECE_WORDS = PIECE_WORDS
# What we wrote, judged false by us: "To describe the house as wrecked was incorrect." (the
# false adjective is then the admission's, not a word of the story's).
_OUR_WORDS_JUDGED = (
    r"\bto\s+(?:describe|call|refer\s+to|say|suggest|report|state)\b[^.;]{1,80}?\s+"
    r"(?:was|is)\s+(?:\w+\s+)?(?:incorrect|wrong|inaccurate|untrue|misleading|unfair)\b"
)
_JUDGED = re.compile(_OUR_WORDS_JUDGED, re.I)
_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|last\s+week)"
_CHANGED = (
    r"(?:amended|updated|corrected|changed|revised|edited|removed|deleted|replaced|rectified"
    r"|fixed|reworded|clarified|withdrawn|retracted|taken\s+down|pulled|added)"
)

_PATTERNS: dict[str, str] = {
    # admission: a verb, adverb or noun of error
    # (and the error's noun: "there may have been a misperception about ...")
    "mis_verb": rf"\b(?:{_MIS}|{_MIS_NOUNS})\b",
    # ("The Tribune erred in a Sunday story", "the listing erred": the verb of error itself)
    "error_adverb": rf"\b{_ERR_ADV}\s+(?:\w+\s+)?\w+|\berred\b",
    "error_noun": r"\b(?:errors?|mistakes?|inaccurac(?:y|ies)|typos?|oversight|lapse)\b",
    "false_adj": r"\b(?:incorrect|inaccurate|wrong|untrue|erroneous|false|misleading)\b",
    "should_have": r"\bshould\s+(?:have|instead\s+have)\s+(?:\w+\s+)?(?:said|read|been|stated"
    r"|referred|named|identified|described|noted|included|made|credited|attributed|double-checked)",
    "came_to_attention": r"\b(?:came|come)\s+to\s+our\s+attention\b|\bwe\s+have\s+since\s+"
    r"(?:found|discovered|learned|learnt|established|realised|realized)\b|\bupon\s+investigation\b"
    # setting the record straight at someone's request: "we have been asked to point out that",
    # "The Irish Examiner would like to clarify that", "we are happy to make clear"
    r"|\b(?:we|(?-i:[A-Z][\w&.'’-]+))\s+(?:have\s+been\s+asked|(?:are|is)\s+(?:happy|pleased|glad)"
    r"|wish(?:es)?|would\s+like)\s+to\s+(?:point\s+out|make\s+(?:it\s+)?clear|clarify|state"
    r"|confirm|set\s+the\s+record\s+straight)\b",
    # change made to the text
    "text_changed": rf"\b(?:has|have|had)\s+(?:since\s+|now\s+|also\s+)?been\s+"
    rf"(?:\w+\s+)?{_CHANGED}"
    rf"|\b(?:was|were)\s+(?:\w+\s+)?{_CHANGED}\s+(?:on|to|from|at|in|after|because)\b"
    rf"|\bwe\s+(?:have\s+)?(?:since\s+|now\s+)?(?:corrected|amended|updated|changed|removed"
    r"|retracted|withdrawn|withdrew|took\s+down|taken\s+down|replaced|rectified|fixed|deleted"
    r"|pulled|revised)\b|\bretract(?:ed|s|ion)?\b|\ban?\s+updated\s+version\b"
    r"|\b(?:a|one)\s+line\s+has\s+been\s+added\b"
    # "... has withdrawn it", "has unconditionally withdrawn the article"
    r"|\b(?:has|have)\s+(?:since\s+|now\s+|unconditionally\s+)?(?:withdrawn|retracted|removed"
    r"|taken\s+down)\s+(?:it|the\s+(?:article|story|piece|post))\b"
    # "USA TODAY removed this story", "The editors have corrected this article"
    rf"|\b(?:removed|retracted|withdrew|corrected|amended|updated|pulled|took\s+down|revised"
    rf"|changed)\s+this\s+(?:{_PIECE})\b",
    # what our text said
    # (a claim has a content: "we wrote that ...", not "we wrote about the sailing")
    "we_said": r"\bwe\s+(?:\w+\s+)?(?:said|stated|reported|wrote|called|referred|described|named"
    r"|identified|gave|had\s+it|had(?=\s+(?:the|an?)\s+(?:wrong|incorrect)\b)|published|quoted|attributed|credited|listed|suggested|implied"
    r"|printed|ran|got)\b(?!\s+(?:about|on(?!\s+(?:the\s+)?(?:\d|[a-z]+day\b|jan|feb|mar|apr|may|jun"
    r"|jul|aug|sep|oct|nov|dec))|of|for|with|to\s+you|goodbye|hello)\b)",
    # (the words between stay inside the sentence: an abbreviation's stop is the only one)
    "piece_said": rf"\b(?:{_PIECE})s?\b(?:\s+(?:[\w'’,()-]+|[A-Z][a-z]{{0,3}}\.)){{0,10}}?\s+"
    r"(?:originally\s+|also\s+|wrongly\s+|incorrectly\s+)?"
    r"(?:said|stated|reported|gave|called|referred|described|named|identified"
    r"|claimed|suggested|implied|quoted|attributed|credited|says)\b",
    "it_was_stated": r"\bit\s+was\s+(?:\w+\s+)?(?:stated|said|reported|suggested|implied)\b"
    r"|\bwas\s+(?:\w+\s+)?(?:given|printed|listed|rendered|spelt|spelled)\s+as\b"
    r"|\boriginally\s+(?:said|stated|reported|gave|had|called|misspel\w*|named|described)\b"
    # "as given in a report on April 23", "was said to take 90 minutes", "gave the figure as"
    r"|\bas\s+(?:given|stated|reported|said|printed|published|described)\s+(?:in|on|by)\b"
    r"|\bwas\s+said\s+to\b|\b(?:was|were|is|are)\s+given\s+as\b"
    r"|\bgave\s+(?:the|his|her|its|their)\s+[\w'’ -]{1,40}?\s+as\b"
    r"|\b(?:was|were)\s+(?:described|mentioned|referred\s+to|called|identified|listed)\b"
    # our words judged: "To describe the house as wrecked was incorrect."
    rf"|{_OUR_WORDS_JUDGED}",
    # the text itself
    "self_ref": rf"\b(?:this|an?\s+(?:earlier|previous|prior|original)|the\s+(?:earlier|previous"
    rf"|prior|original|print|online))\s+(?:version|draft|edition|{_PIECE})s?\b"
    rf"|\b(?:this|our)\s+(?:[\w-]+\s+)?(?:{_PIECE}|website|site|coverage|reporting|pages?|columns?)\b",
    "dated_piece": rf"\b{_DAY}['’]s\s+(?:[\w&/-]+\s+){{0,3}}?(?:{_PIECE}|section|page|magazine)\b"
    rf"|\b(?:{_PIECE})\s+(?:[\w-]+\s+){{0,3}}?(?:on\s+)?{_DAY}\b|\bpage\s+[a-z]?\d+\b"
    # a section by its name ("the Metro section", "Living/Arts section"), not "the section"
    r"|\b(?-i:[A-Z][\w&/-]*)\s+section\b|\b(?:in|on)\s+our\s+(?:\w+\s+){0,3}?(?:edition|issue|paper)\b",
    # a piece named as the subject of a claim: "An article said", "a Jan. 3 article"
    "a_piece": rf"\b(?:a|an|the)\s+(?:[\w.'’-]+\s+){{0,4}}?(?:{_PIECE})\b",
    # wrong and right
    "contrast": r",\s+not\s+\S|\s[–—-]+\s+not\s+\S|\bnot\s+[^.;]{1,60},\s+but\b|\binstead\s+of\b"
    r"|\brather\s+than\b|\bfrom\s+the\s+originally\b",
    "in_fact": r"\bin\s+fact\b|\bactually\b|\bthe\s+correct\s+(?:\w+\s+)?(?:is|was|are|figure"
    r"|name|spelling|date|number|title|amount|answer|version)\b|\bthe\s+accurate\b",
    # the right fact stated in a short sentence after the claim: "It is the second busiest.",
    # "The crossing takes 46 minutes.", "He signed for three years."
    "right_fact": r"[.;:]\s+(?:he|she|it|they|this|that|there|the\s+[\w'’-]+(?:\s+[\w'’-]+)?)"
    r"\s+(?:is|are|was|were|has|have|had|will|did|does|can|[a-z]+s|[a-z]+ed)\b"
    # (a time's stops and a number's decimal point are no sentence end: "The museum opens at
    # 10 a.m.", "It will cost $4.2 million.")
    r"(?:[^.;]|(?<=\s[ap])\.(?=m)|(?<=\s[ap]\.m)\.|(?<=\d)\.(?=\d)){1,80}[.;]?\s*$"
    r"|[.;:]\s+(?:he|she|it|they|the\s+[\w'’-]+)\s+(?:is|are|was|were)\s+(?:[^.;]|(?<=\d)\.(?=\d))"
    r"{1,60}\.",
    "correction_opening": r"^\W*(?:contrary\s+to\s+(?:what\s+(?:was|we)\b|an?\s+|the\s+|our\s+)"
    r"|to\s+clarify\b|for\s+clarity\b)",
    # apology in the present tense, by us
    "apology": r"\b(?:we|our)\s+(?:\w+\s+)?(?:apologi[sz]e|regret|are\s+sorry|apologies)\b"
    r"|\b(?:apologi[sz]es|regrets)\s+(?:to\s+\w+\s+)?(?:for\s+)?(?:the|this|any|its|our)\s+"
    r"(?:\w+\s+)?(?:error|mistake|inaccurac|inconvenience|embarrassment|lapse|readers)"
    r"|\berror\s+(?:is\s+)?regretted\b|\bour\s+apologies\b"
    r"|\bapologi[sz]es\s+to\s+[^.;]{1,60}?\s+for\b"
    # "Hindustan Times ... expresses its sincere regret"
    r"|\bexpress(?:es|ed)?\s+(?:its|our)\s+(?:\w+\s+)?regrets?\b"
    # an acceptance by us: "We accept that the article gave the wrong impression"
    r"|\bwe\s+(?:fully\s+)?(?:accept|acknowledge)\s+that\b",
    # our newsroom's own process named as the cause: "an editing error", "a reporting mistake"
    # (or the note opens with an error as the cause: "Owing to a routine error, ...", "Because
    # of an error, ...")
    "newsroom_error": r"\b(?:editing|copy-?editing|copy\s+review|reporting|production|editorial"
    r"|translation|transcription|sub-?editing|subbing|typographical|technical|printing"
    r"|proofreading|fact-checking|layout|design|graphics|captioning)\s+(?:error|mistake|lapse)s?\b"
    r"|^\W*(?:because\s+of|owing\s+to|due\s+to|as\s+a\s+result\s+of)\s+(?:an?|our)\s+"
    r"(?:[\w'’-]+\s+){0,2}?(?:error|mistake)s?\b",
    # a printed thing of ours as the subject of a mis- verb: "the surname was misspelled"
    "printed_thing": r"\b(?:name|surname|forename|spelling|caption|headline|byline|quote"
    r"|quotation|photo|photograph|picture|credit|figure|title|throughout)\b",
    # the outlet by its name opening the note: "Stuff incorrectly reported that ..." (a person
    # "wrongly stated" or "claimed"; an outlet "reported")
    "outlet_reported": r"^\W*(?-i:(?:The\s+)?[A-Z][\w&.'’-]+(?:\s+[A-Z][\w&.'’-]+){0,3})\s+"
    r"(?:incorrectly|wrongly|erroneously|mistakenly)\s+reported\b",
    "part_ref": r"\b(?:first|second|third|fourth|fifth|sixth|last|final|opening|\d+(?:st|nd|rd|th))"
    r"\s+paragraph\b|\bparagraph\s+\d",
}
_COMPILED = {name: re.compile(p, re.I) for name, p in _PATTERNS.items()}

# A third party as the one who erred, admitted or fixed: "the exam board corrected", "the
# referees' body admitted", "the judge allowed the prosecution to amend".
_THIRD_PARTY = re.compile(
    r"\b(?:the|a|an|its|his|her|their)\s+(?:[\w'’-]+\s+){0,2}?(?:board|council|court|judge"
    r"|company|ministry|minister|museum|gallery|league|referees?|umpire|coach|manager|captain"
    r"|plaintiffs?|prosecution|defen[cs]e|author|curators?|forecasters?|service|agency"
    r"|government|police|lawyers?|department|clinic|university|bank|regulator|commission"
    r"|timekeeper|officials?|spokes\w+|firm|manufacturer|publisher|student|pupils?|teachers?"
    r"|players?|team|club|app|authority|inquiry|panel|body|airline)\b"
    r"(?:['’]s?)?\s+(?:\w+\s+)?(?:has\s+|have\s+|had\s+)?(?:since\s+)?(?:corrected|amended|admitted|updated"
    r"|revised|apologi[sz]ed|apologi[sz]es|said|says|ruled|allowed|filed|discovered|noticed"
    r"|fixed|changed|replaced|removed|misjudged|ordered|told)\b",
    re.I,
)
# Our own text named: with it, a third party in the paragraph may be one the note speaks of
# ("the council has since corrected its figures; this story has been updated").
_OWN_TEXT = re.compile(
    r"\b(?:we|our|us)\b|\bthis\s+(?:article|story|report|piece|post|page|column|version)\b"
    r"|\b(?:earlier|previous|original)\s+version\b",
    re.I,
)


def someone_else_fixed(text: str) -> bool:
    """Whether a third party is the one who erred or fixed ("the gallery has since replaced
    it", "the electoral commission has corrected ...") and our own text is not named at all:
    a notice or an event reported, not a note of ours."""
    return _THIRD_PARTY.search(text) is not None and _OWN_TEXT.search(text) is None


# Another outlet's piece as the text spoken of: "a story in The Clarion said", "a report by
# the Post" (a note of ours may name another outlet as its source: "quotes taken from The
# Indianapolis Star").
_OTHER_PIECE = re.compile(
    rf"\b(?:{_PIECE})s?\s+(?:published\s+)?(?:in|by)\s+(?:the\s+)?(?P<name>(?-i:[A-Z][\w&.’'-]+))"
    r"(?P<after>\s+\w+)?",
    re.I,
)
_DATE_WORDS = frozenset(w.lower() for w in (*MONTHS, *WEEKDAYS))


def _names_an_outlet(m: re.Match[str]) -> bool:
    """ "a story in The Clarion", not "a story in the July 11 Metro section" or "in Monday's
    paper" (our own pages, by date or section)."""
    name = m["name"]
    if name.lower().rstrip("s’'") in _DATE_WORDS or name.endswith(("'s", "’s")):
        return False
    after = (m["after"] or "").strip().lower()
    return after not in ("section", "edition", "page", "issue", "supplement", "magazine")


# Someone else's claim as what is judged: a fact-check's subject ("the claim is false", "the
# post wrongly stated", "posts shared thousands of times"); "this post" is ours.
_SOMEONES_CLAIM = re.compile(
    r"\b(?:the|that|a|one|his|her|their)\s+(?:viral\s+|social\s+media\s+)?(?:claims?|posts?"
    r"|tweets?|rumou?rs?|memes?)\b|\bposts?\s+shared\b",
    re.I,
)
# A claim with its agent named: "It was incorrectly stated by the council that ...",
# "misquoted by a tabloid" (someone else's statement or error, not ours).
_BY_AGENT = re.compile(
    r"\b(?:stated|said|reported|claimed|suggested|described|identified|named|quoted|misquoted"
    r"|misidentified|misattributed|misreported|misrepresented|misspel\w+)\s+by\s+"
    r"(?!(?:us|this|our|mistake|error|accident)\b)(?:the|a|an|his|her|their|its|[A-Z])",
)
# A version of something else: "the online version of the timetable", "an earlier draft of
# the bill" (not "an earlier version of this article").
_VERSION_OF_OTHER = re.compile(
    rf"\b(?:version|edition|draft)s?\s+of\s+(?:the|a|an|his|her|their|its)\s+"
    rf"(?!(?:{_PIECE})s?\b)[\w'’-]+",
    re.I,
)
# An editor's aside in the first person singular (a wiki's talk page, a blog's author): "I
# removed this sentence from the main article".
_EDITOR_ASIDE = re.compile(
    r"\bI\s+(?:have\s+|had\s+|just\s+|also\s+)?(?:removed|added|changed|deleted|reverted|moved"
    r"|edited|fixed|agree|think|believe|disagree|rewrote|restored)\b",
    re.I,
)
# What a right fact states: a number, a name, a rank ("It is 1,067 metres.", "She is
# Canadian.", "It is the second busiest.", "They are listed as endangered.").
_VALUE = re.compile(
    r"\d|(?<=\s)(?-i:[A-Z])[\w'’-]+|\b(?:first|second|third|fourth|fifth|only|last|not|no"
    r"|never|\w+est|endangered|vulnerable|alive|dead|open|closed|male|female)\b",
    re.I,
)
# A signed comment (a wiki talk page, a forum): someone's words, with their name and time.
# A letter to the paper, or a reader's words to it: "Sir, your correspondent wrongly stated ...",
# "Dear Editor, please correct ..." (the writer is not us; the text spoken of is "yours").
_ADDRESSED = re.compile(
    r"^\W*(?:sir|madam|dear\s+(?:sir|madam|editor|editors))\b|\byour\s+(?:[\w'’-]+\s+)?"
    r"(?:correspondent|reporter|report|article|story|paper|newspaper|columnist|piece|coverage"
    r"|editorial)\b",
    re.I,
)
# A reader's or a letter writer's words reported ("A reader writes: the article misstated ...",
# "In a letter to the editor, the club's secretary said an earlier report had wrongly ..."): the
# one who says our text erred is not us.
_READER_WRITES = re.compile(
    r"\b(?:a|one|another|our)\s+reader\s+(?:writes|wrote|says|said|asks|asked|complains"
    r"|complained|points\s+out|pointed\s+out)\b|\b(?:writes|wrote)\s+(?:a|one)\s+reader\b"
    r"|\bin\s+(?:a|an|his|her|their)\s+(?:open\s+)?letter\b[^.;]{0,80}?\b(?:said|says|wrote"
    r"|writes|argued|argues|complained|claimed|asked|asks)\b",
    re.I,
)


# A reader named in an adjunct of our own admission: "... misstated the date, as a reader
# pointed out", "This article was amended after a reader pointed out that ...", "thanks to a
# reader who wrote in": the outlet thanks whoever spotted the error; the note is still ours.
_CREDIT_BEFORE = re.compile(
    r"\b(?:as|after|when|once|since|because|following|thanks\s+to|which|where|until|before)"
    r"\s+(?:\w+\s+)?$",
    re.I,
)


def letter_voice(text: str) -> bool:
    """Whether the paragraph reports a reader's or a letter writer's words about a text (not
    a reader credited within our own admission, see ``_CREDIT_BEFORE``)."""
    if "reader" not in text and "letter" not in text:
        return False
    return any(
        not _CREDIT_BEFORE.search(text, max(0, m.start() - 30), m.start())
        for m in _READER_WRITES.finditer(text)
    )


_SIGNED = re.compile(r"\((?:talk|utc|contribs)\)", re.I)
_QUOTE_OPEN = re.compile(r"^\s*[“\"‘']")

FEATURES: tuple[str, ...] = (
    *_PATTERNS,
    "third_party",
    "reported_speech",
    "attribution",
    "other_outlet",
    "signed",
    "someones_claim",
    "version_of_other",
    "quoted_open",
    "long",
    "addressed",
)

# Fitted by bench/fit_note_grammar.py (logistic regression, L2, classes balanced) on the
# paragraphs of the grammar's shape (:func:`well_formed`) among the tuning parts' unlabelled
# notes and decoys, the story frames and 13,815 opening/closing paragraphs of the shared
# corpora. Features absent from that shape (the ones in AGAINST) have no weight: the gate
# decides them.
WEIGHTS: dict[str, float] = {
    "mis_verb": 0.5,
    "error_adverb": 0.5,
    "error_noun": -0.9,
    "false_adj": -0.5,
    "should_have": 0.1,
    "came_to_attention": 0.3,
    "text_changed": 0.3,
    "we_said": 0.8,
    "piece_said": 1.0,
    "it_was_stated": 0.7,
    "self_ref": 1.1,
    "dated_piece": 0.7,
    "a_piece": 0.3,
    "contrast": 1.0,
    "in_fact": 0.7,
    "right_fact": 1.6,
    "correction_opening": 0.2,
    "apology": 0.8,
    "newsroom_error": 0.4,
    "printed_thing": -0.8,
}
BIAS = -0.9
THRESHOLD = 0.5
"""The probability past which a well-formed paragraph is a note. Among well-formed paragraphs
a predicate and an anchor alone (bias -1.0 plus two weights of 0.3-0.6) fall short: a note
also needs its wrong/right structure, a mis- verb with a piece of ours, or several parts."""


_PIECE_PATTERNS = frozenset({"piece_said", "a_piece"})
_LOWER_WORDS = re.compile(r"[a-z]+")


def _has(name: str, text: str, low: str, words: frozenset[str], piece: bool) -> bool:
    if name == "mis_verb" and "mis" not in low:
        return False
    if name in _PIECE_PATTERNS and not piece:
        return False
    if name == "right_fact" and ". " not in text and "; " not in text and ": " not in text:
        return False
    if name == "dated_piece" and not (words & _NEEDS[name] or piece):
        return False
    needs = _NEEDS.get(name)
    if needs is not None and name != "dated_piece" and not words & needs:
        return False
    return _COMPILED[name].search(text) is not None


def _look_structure(
    text: str, low: str, words: frozenset[str], piece: bool, found: set[str]
) -> None:
    """Add the wrong/right structure's parts the paragraph has."""
    for name in STRUCTURE:
        if _has(name, text, low, words, piece):
            found.add(name)
    if "right_fact" in found:
        fact = _COMPILED["right_fact"].search(text)
        # (the value after the fact's first word: "It" or "The" opening it names nothing)
        said = fact.group(0).lstrip(".;: ").split(None, 1) if fact is not None else []
        if fact is not None and not (len(said) == 2 and _VALUE.search(" " + said[1])):
            found.discard("right_fact")  # "It was a great day.": a comment, not a fact set right


def _restates(text: str) -> bool:
    """Whether the right fact after a claim of ours sets that claim right (see
    :func:`revtrack.corrections.speech_acts.restates`)."""
    fact = _COMPILED["right_fact"].search(text)
    return fact is not None and restates(text[: fact.start()], fact.group(0).lstrip(".;: "))


def _claims_by_us(text: str) -> bool:
    """Whether some "we said / called / reported ..." in ``text`` reports a claim, not an act
    toward someone ("We called the board on Monday.", "We reported the fault to the council.")."""
    for m in _COMPILED["we_said"].finditer(text):
        verb = m.group(0).split()[-1]
        if not act_not_claim(verb, text, m.end()):
            return True
    return False


@lru_cache(maxsize=2048)
def features(paragraph: str) -> frozenset[str]:
    """The grammatical parts of a note ``paragraph`` has (names from :data:`FEATURES`).

    Complete for a paragraph that has an admission and an anchor (:func:`well_formed`'s
    first two tests); for any other the parts past the missing one are not looked for, as
    no weight applies to them (the paragraph is no note whatever else it has).
    """
    text = " ".join(paragraph.split())
    low = text.lower()
    words = frozenset(_LOWER_WORDS.findall(low))
    piece = bool(words & _PIECE_WORDS)
    found: set[str] = set()

    def look(names: frozenset[str] | tuple[str, ...]) -> None:
        for name in names:
            if _has(name, text, low, words, piece):
                found.add(name)

    # In the order that lets most paragraphs stop early: an admission (a predicate, or a claim
    # of ours with its wrong/right structure), then an anchor, then the rest.
    look(tuple(PREDICATES))
    if not found:
        look(tuple(CLAIMS))
        if "we_said" in found and not _claims_by_us(text):
            found.discard("we_said")
        if not found:
            return frozenset()
        _look_structure(text, low, words, piece, found)
        if found & STRUCTURE == {"right_fact"} and not _restates(text):
            found.discard("right_fact")  # "We named it Beacon. It launched in 2021.": a story
        if not found & STRUCTURE:
            return frozenset(found)
    if "we_said" not in found:
        look(("we_said",))
        if "we_said" in found and not _claims_by_us(text):
            found.discard("we_said")
    look(tuple(n for n in ANCHORS if n not in found and n != "we_said"))
    if not found & ANCHORS:
        return frozenset(found)
    if not found & STRUCTURE:
        _look_structure(text, low, words, piece, found)
    look(tuple(n for n in _PATTERNS if n not in found and n not in _LOOKED))
    if "newsroom_error" in found:
        # The error is named as our newsroom's ("a copy review error"): not the bare noun that
        # stories use of anyone's errors, which weighs against a note.
        found.discard("error_noun")
    if "false_adj" in found and "it_was_stated" in found and _JUDGED.search(text):
        found.discard("false_adj")
    if _THIRD_PARTY.search(text):
        found.add("third_party")
    sentences = re.split(r"(?<=[.!?])\s+", text)
    # Reported speech counts against a note only where no piece of ours is the one speaking
    # ("The article said ..." is a claim report, not someone's words), and only in the first
    # sentence: it is the one that must be ours (the admission); the sentences after it may
    # well report what someone said ("She said the district ...").
    first = sentences[0] if sentences else ""
    if (
        _REPORTED_SPEECH.search(first)
        and not _COMPILED["piece_said"].search(first)
        and not _COMPILED["we_said"].search(first)
        and not _COMPILED["it_was_stated"].search(first)
    ):
        found.add("reported_speech")
    if any(_ATTRIBUTION.search(s) for s in sentences):
        found.add("attribution")
    if piece and any(_names_an_outlet(m) for m in _OTHER_PIECE.finditer(text)):
        found.add("other_outlet")
    if _ADDRESSED.search(text) or letter_voice(text):
        found.add("addressed")
    if _SIGNED.search(text) or _EDITOR_ASIDE.search(text):
        found.add("signed")
    # (the agent in the admission's own clause: "It was stated by the council that ...", not a
    # right fact after it: "...; it was said by Ann Roe.")
    if _SOMEONES_CLAIM.search(text) or _BY_AGENT.search(re.split(r"[.;]\s", text, maxsplit=1)[0]):
        found.add("someones_claim")
    if _VERSION_OF_OTHER.search(text):
        found.add("version_of_other")
    if _QUOTE_OPEN.match(text):
        found.add("quoted_open")
    if len(text.split()) > 90:
        found.add("long")
    return frozenset(found)


def grammar_score(
    paragraph: str, weights: dict[str, float] | None = None, bias: float = BIAS
) -> float:
    """The model's probability that ``paragraph`` is a note."""
    w = WEIGHTS if weights is None else weights
    z = bias + sum(w.get(f, 0.0) for f in features(paragraph))
    return 1.0 / (1.0 + math.exp(-z))


PREDICATES = frozenset(
    {
        "mis_verb",
        "error_adverb",
        "error_noun",
        "false_adj",
        "should_have",
        "came_to_attention",
        "text_changed",
        "apology",
        "newsroom_error",
    }
)
"""An admission of error or a change made to the text: a note has one."""
CLAIMS = frozenset({"we_said", "piece_said", "it_was_stated", "correction_opening"})
"""What our text said, reported: with a right fact set against it, an admission in itself."""
STRUCTURE = frozenset({"contrast", "in_fact", "right_fact"})
"""The wrong/right structure of a correction."""
ANCHORS = frozenset(
    {
        "self_ref",
        "dated_piece",
        "we_said",
        "piece_said",
        "it_was_stated",
        "a_piece",
        "newsroom_error",
        "printed_thing",
        "part_ref",
        "outlet_reported",
    }
)
"""Our own text as what is spoken of: a note has one too."""
AGAINST = frozenset(
    {
        "third_party",
        "reported_speech",
        "attribution",
        "other_outlet",
        "signed",
        "someones_claim",
        "version_of_other",
        "quoted_open",
        "long",
        "addressed",
    }
)
"""Someone else's words or deeds: any one of them and the paragraph is no note of ours."""


_LOOKED = PREDICATES | STRUCTURE | ANCHORS
"""The parts :func:`features` looks for first, in that order (the rest only if all three)."""


def well_formed(found: frozenset[str]) -> bool:
    """The grammar's necessary shape: an admission about our own text, nobody else speaking.
    An admission is a predicate of error or change, or a claim of ours reported with the
    right fact set against it ("We said 120. It is 12.", "X, not Y, as we reported"). The
    model's weights only rank paragraphs that have the shape."""
    admits = bool(found & PREDICATES) or (bool(found & CLAIMS) and bool(found & STRUCTURE))
    return admits and bool(found & ANCHORS) and not found & AGAINST


def reads_as_note(paragraph: str) -> bool:
    """Whether the paragraph's grammar makes it a note (see the module's docstring)."""
    return well_formed(features(paragraph)) and grammar_score(paragraph) >= THRESHOLD
