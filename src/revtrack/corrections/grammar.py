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
from revtrack.text.lexicon import MIS_VERBS, OWN_PIECES

__all__ = [
    "FEATURES",
    "THRESHOLD",
    "WEIGHTS",
    "features",
    "grammar_score",
    "reads_as_note",
    "well_formed",
]

_MIS = "|".join(sorted(MIS_VERBS, key=len, reverse=True))
_PIECE = "|".join(
    sorted((*OWN_PIECES, "report", "paper", "edition", "issue", "blurb"), key=len, reverse=True)
)
_ERR_ADV = r"(?:wrongly|incorrectly|erroneously|mistakenly|inaccurately|inadvertently|falsely)"
_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|last\s+week)"
_CHANGED = (
    r"(?:amended|updated|corrected|changed|revised|edited|removed|deleted|replaced|rectified"
    r"|fixed|reworded|clarified|withdrawn|retracted|taken\s+down|pulled|added)"
)

_PATTERNS: dict[str, str] = {
    # admission: a verb, adverb or noun of error
    "mis_verb": rf"\b(?:{_MIS})\b",
    "error_adverb": rf"\b{_ERR_ADV}\s+(?:\w+\s+)?\w+",
    "error_noun": r"\b(?:errors?|mistakes?|inaccurac(?:y|ies)|typos?|oversight|lapse)\b",
    "false_adj": r"\b(?:incorrect|inaccurate|wrong|untrue|erroneous|false|misleading)\b",
    "should_have": r"\bshould\s+(?:have|instead\s+have)\s+(?:\w+\s+)?(?:said|read|been|stated"
    r"|referred|named|identified|described|noted|included|made|credited|attributed|double-checked)",
    "came_to_attention": r"\b(?:came|come)\s+to\s+our\s+attention\b|\bwe\s+have\s+since\s+"
    r"(?:found|discovered|learned|learnt|established)\b|\bupon\s+investigation\b",
    # change made to the text
    "text_changed": rf"\b(?:has|have|had)\s+(?:since\s+|now\s+|also\s+)?been\s+"
    rf"(?:\w+\s+)?{_CHANGED}"
    rf"|\b(?:was|were)\s+(?:\w+\s+)?{_CHANGED}\s+(?:on|to|from|at|in|after|because)\b"
    rf"|\bwe\s+(?:have\s+)?(?:since\s+|now\s+)?(?:corrected|amended|updated|changed|removed"
    r"|retracted|withdrawn|withdrew|took\s+down|taken\s+down|replaced|rectified|fixed|deleted"
    r"|pulled|revised)\b|\bretract(?:ed|s|ion)?\b|\ban?\s+updated\s+version\b"
    r"|\b(?:a|one)\s+line\s+has\s+been\s+added\b"
    # "USA TODAY removed this story", "The editors have corrected this article"
    rf"|\b(?:removed|retracted|withdrew|corrected|amended|updated|pulled|took\s+down|revised"
    rf"|changed)\s+this\s+(?:{_PIECE})\b",
    # what our text said
    "we_said": r"\bwe\s+(?:\w+\s+)?(?:said|stated|reported|wrote|called|referred|described|named"
    r"|identified|gave|had\s+it|published|quoted|attributed|credited|listed|suggested|implied"
    r"|printed|ran|got)\b",
    "piece_said": rf"\b(?:{_PIECE})s?\b(?:\s+[\w'’,.-]+){{0,12}}?\s+(?:originally\s+|also\s+)?"
    r"(?:said|stated|reported|gave|called|referred|described|named|identified|put|listed"
    r"|claimed|suggested|implied|included|contained|showed|quoted|attributed|credited|had)\b",
    "it_was_stated": r"\bit\s+was\s+(?:\w+\s+)?(?:stated|said|reported|suggested|implied)\b"
    r"|\bwas\s+(?:\w+\s+)?(?:given|printed|listed|rendered|spelt|spelled)\s+as\b"
    r"|\boriginally\s+(?:said|stated|reported|gave|had|called|misspel\w*|named|described)\b",
    # the text itself
    "self_ref": rf"\b(?:this|an?\s+(?:earlier|previous|prior|original)|the\s+(?:earlier|previous"
    rf"|prior|original|print|online))\s+(?:version|draft|edition|{_PIECE})s?\b"
    rf"|\b(?:this|our)\s+(?:[\w-]+\s+)?(?:{_PIECE}|website|site|coverage|pages?|columns?)\b",
    "dated_piece": rf"\b{_DAY}['’]s\s+(?:[\w&/-]+\s+){{0,3}}?(?:{_PIECE}|section|page|magazine)\b"
    rf"|\b(?:{_PIECE})\s+(?:[\w-]+\s+){{0,3}}?(?:on\s+)?{_DAY}\b|\bpage\s+[a-z]?\d+\b"
    r"|\b[\w&/-]+\s+section\b|\b(?:in|on)\s+our\s+(?:\w+\s+){0,3}?(?:edition|issue|paper)\b",
    # wrong and right
    "contrast": r",\s+not\s+\S|\s[–—-]+\s+not\s+\S|\bnot\s+[^.;]{1,60},\s+but\b|\binstead\s+of\b"
    r"|\brather\s+than\b|\bfrom\s+the\s+originally\b",
    "in_fact": r"\bin\s+fact\b|\bactually\b|\bthe\s+correct\s+(?:\w+\s+)?(?:is|was|are|figure"
    r"|name|spelling|date|number|title|amount|answer|version)\b|\bthe\s+accurate\b",
    "right_fact": r"[.;]\s+(?:he|she|it|they|the\s+\w+)\s+(?:is|are|was|were|has|have|holds"
    r"|lives|cost|costs|opens|occurred|belongs)\s+[^.]{1,60}\.",
    # apology in the present tense, by us
    "apology": r"\b(?:we|our)\s+(?:\w+\s+)?(?:apologi[sz]e|regret|are\s+sorry|apologies)\b"
    r"|\b(?:apologi[sz]es|regrets)\s+(?:to\s+\w+\s+)?(?:for\s+)?(?:the|this|any|its|our)\s+"
    r"(?:\w+\s+)?(?:error|mistake|inaccurac|inconvenience|embarrassment|lapse|readers)"
    r"|\berror\s+(?:is\s+)?regretted\b|\bour\s+apologies\b",
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
# Another outlet's piece as the text spoken of: "a story in The Clarion said", "a report by
# the Post" (a note of ours may name another outlet as its source: "quotes taken from The
# Indianapolis Star").
_OTHER_PIECE = re.compile(
    rf"\b(?:{_PIECE})s?\s+(?:published\s+)?(?:in|by)\s+(?:the\s+)?(?-i:[A-Z][\w&.’'-]+)",
    re.I,
)
_QUOTE_OPEN = re.compile(r"^\s*[“\"‘']")

FEATURES: tuple[str, ...] = (
    *_PATTERNS,
    "third_party",
    "reported_speech",
    "attribution",
    "other_outlet",
    "quoted_open",
    "long",
)

# Fitted by bench/fit_note_grammar.py (logistic regression, L2, classes balanced) on the
# paragraphs of the grammar's shape (:func:`well_formed`) among the tuning parts' unlabelled
# notes and decoys, the story frames and 13,815 opening/closing paragraphs of the shared
# corpora. Features absent from that shape (the ones in AGAINST) have no weight: the gate
# decides them.
WEIGHTS: dict[str, float] = {
    "mis_verb": 0.7,
    "error_adverb": 0.5,
    "error_noun": -0.4,
    "false_adj": -0.4,
    "should_have": 0.1,
    "came_to_attention": 0.3,
    "text_changed": 0.6,
    "we_said": 0.4,
    "piece_said": 0.5,
    "it_was_stated": 0.3,
    "self_ref": 0.4,
    "dated_piece": 0.4,
    "contrast": 0.8,
    "in_fact": 0.4,
    "right_fact": 1.4,
    "apology": 0.8,
}
BIAS = -1.1
THRESHOLD = 0.5
"""The probability past which a well-formed paragraph is a note. Among well-formed paragraphs
a predicate and an anchor alone (bias -1.0 plus two weights of 0.3-0.6) fall short: a note
also needs its wrong/right structure, a mis- verb with a piece of ours, or several parts."""


@lru_cache(maxsize=2048)
def features(paragraph: str) -> frozenset[str]:
    """The grammatical parts of a note ``paragraph`` has (names from :data:`FEATURES`)."""
    text = " ".join(paragraph.split())
    found = {name for name, rx in _COMPILED.items() if rx.search(text)}
    if _THIRD_PARTY.search(text):
        found.add("third_party")
    sentences = re.split(r"(?<=[.!?])\s+", text)
    # Reported speech counts against a note only where no piece of ours is the one speaking
    # ("The article said ..." is a claim report, not someone's words).
    if any(
        _REPORTED_SPEECH.search(s)
        and not _COMPILED["piece_said"].search(s)
        and not _COMPILED["we_said"].search(s)
        and not _COMPILED["it_was_stated"].search(s)
        for s in sentences
    ):
        found.add("reported_speech")
    if any(_ATTRIBUTION.search(s) for s in sentences):
        found.add("attribution")
    if _OTHER_PIECE.search(text):
        found.add("other_outlet")
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
    }
)
"""An admission of error or a change made to the text: a note has one."""
ANCHORS = frozenset({"self_ref", "dated_piece", "we_said", "piece_said", "it_was_stated"})
"""Our own text as what is spoken of: a note has one too."""
AGAINST = frozenset(
    {"third_party", "reported_speech", "attribution", "other_outlet", "quoted_open", "long"}
)
"""Someone else's words or deeds: any one of them and the paragraph is no note of ours."""


def well_formed(found: frozenset[str]) -> bool:
    """The grammar's necessary shape: a predicate about our own text, nobody else speaking.
    The model's weights only rank paragraphs that have it."""
    return bool(found & PREDICATES) and bool(found & ANCHORS) and not found & AGAINST


def reads_as_note(paragraph: str) -> bool:
    """Whether the paragraph's grammar makes it a note (see the module's docstring)."""
    return well_formed(features(paragraph)) and grammar_score(paragraph) >= THRESHOLD
