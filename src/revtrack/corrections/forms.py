"""Notes printed without a label: the forms of corrections columns, wire advisories, apologies.

A corrections column prints a note as a bare paragraph: "We said the bridge was 12 km long.
It is 2 km.", "Marden Court is in Herefordshire, not Hertfordshire, as we said.", "Contrary to a
Jan. 3 article, ...", "(Corrects paragraph 3 to say ...)", "The error is regretted." No word of
these is a note on its own — stories say "we said", "contrary to", "not X" and "regret" too — so
a paragraph is read as a note by its *form*, and only where notes stand: among the first or last
paragraphs of the text (the caller checks), short, prose (not a list or a table), and outside
quotation marks (a quoted "We said we would build 40,000 homes" is a politician speaking). The
forms, each with what makes it one:

* *first-person admission*: "we said / stated / referred to / called / gave ... / our report
  misnamed ...", at the start of a sentence (after an opening "In our July 3 story," at most),
  with a sign that it was wrong: an adverb of error or a mis-verb ("we wrongly stated"), a
  correcting sentence ("That was incorrect.", "In fact, ...", "To clarify: ..."), a contrast
  ("..., not 46"), or the right fact stated after it ("It is the second busiest."); and the fixed
  admissions ("we were wrong to say", "we should have said", "we are happy to make clear");
* *a piece of ours as the subject*: "A story published Nov. 14 said ...", "Wednesday's story
  incorrectly said ...", "The caption of a photograph ... gave ... as ...", "The photograph ...
  was of X, not Y", with the same signs; not another outlet's ("a report by ...", "a story in
  The Times") nor a bare "a report said" (a report of ours is "our report", "the report
  'Title' (May 2)", "a report on page 3 yesterday");
* *as we had it*: "X, not Y, as we said / as we had it", and the agentless "X is not Y, as
  stated in a story ..." (but "..., not 6 per cent as she said" reports someone else);
* *passive errors*: "the surname was misspelled as Treloar throughout; it is Trelawny", "Rita
  Azzi was misidentified as Rita Haddad" in a paragraph that points to a piece ("In a package
  on ..."), never with an agent ("misquoted by a tabloid"); "it was wrongly stated that ...";
  "the headline ... should have read ...";
* *contrary to a piece*: "Contrary to a Saturday column, ...", "Contrary to what was stated in
  ..." (not "contrary to what the video suggests");
* *the error as the subject*: "An editing error led to ...", "Incorrect information appeared in
  a column ...";
* *wire advisories*: a paragraph that is one parenthesis opening with "Corrects", "Refiles",
  "Updates" ... ("CORRECTED-(Corrects day of week ...)", "(Eds: CORRECTS spelling ...)");
* *regret and apology*: "The error is regretted.", "Error regretted.", "... apologises to him for
  suggesting otherwise", "We accept that this was incorrect" — in the present tense: a story
  narrates apologies in the past ("the broadcaster has since apologised");
* *a bare contrast*, the weakest: a one-sentence paragraph "X, not Y." (a corrections column's
  "James Bond preferred his martinis shaken, not stirred."), only as the very first or last
  paragraph of the text, and not an idiom whose wrong side is a phrase ("a marathon, not a
  sprint").

:func:`read_form` returns the form's name and kind, or None. It reads text only; where the
paragraph stands is the caller's, and so is the stem filter that keeps most paragraphs from ever
reaching it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from revtrack.corrections.model import NoteKind
from revtrack.text.lexicon import (
    ERROR_ADVERBS,
    MIS_VERBS,
    MONTH_ABBREVIATIONS,
    MONTHS,
    NUMBER_WORDS,
    OWN_PIECES,
    PRINT_MIS_VERBS,
    PRINT_PARTS,
    REPORTED_PARTICIPLES,
    REPORTING_VERBS,
    WEEKDAYS,
    WIRE_CORRECTING_VERBS,
    WIRE_UPDATING_VERBS,
    alternation,
)
from revtrack.text.tokenize import split_sentences

__all__ = ["MAX_WORDS", "Form", "names_another_outlet", "read_form"]

# A note is a short paragraph: longer ones are story text that happens to use the words.
MAX_WORDS = 160
MAX_SENTENCES = 8


@dataclass(frozen=True)
class Form:
    """The form a paragraph was read as, and the kind of note it makes (None: judge the text)."""

    name: str
    kind: NoteKind | None = None


def _alt(words: tuple[str, ...]) -> str:
    """A group matching any of ``words``; a space inside an entry matches any run of spaces."""
    return rf"(?:{alternation(words).replace(chr(92) + ' ', chr(92) + 's+')})"


_ADV = _alt(ERROR_ADVERBS)
_ADVERBS = (
    rf"(?:(?:{_ADV}|also|originally|previously|earlier|initially|inadvertently|first|then)\s+)"
    r"{0,2}"
)
_MIS = _alt(MIS_VERBS)
_PRINT_MIS = _alt(PRINT_MIS_VERBS)
_VERB = rf"(?:{_alt(REPORTING_VERBS)}|{_MIS})"
_PARTICIPLE = _alt(REPORTED_PARTICIPLES)
_PIECE = rf"(?:{_alt(OWN_PIECES)})s?"
_PART = _alt(PRINT_PARTS)
_APOS = "['’]"
_DAY_WORDS = rf"(?:{_alt((*WEEKDAYS, 'yesterday', 'today', 'tonight', 'weekend'))})"
# "Wednesday's", "last Monday's", "yesterday's", "the previous issue's"
_DAY_POSS = (
    rf"(?:(?:last|this|next)\s+)?(?:{_DAY_WORDS}|week|month|year|morning|evening){_APOS}s"
    rf"|(?:the\s+)?(?:previous|last|latest)\s+(?:issue|edition|week){_APOS}s"
)
_DATE_WORD = rf"(?:{_alt((*MONTHS, *MONTH_ABBREVIATIONS))})\.?"
_DET = rf"(?:a|an|the|our|this|that|{_DAY_POSS})"
# Words that may stand between the determiner and the piece: dates, "front-page", "earlier".
_MODIFIER = (
    rf"(?:{_DATE_WORD}|{_DAY_WORDS}{_APOS}?s?|\d[\d.,]*(?:st|nd|rd|th)?,?|earlier|previous|prior"
    r"|recent|original|front-page|online|print|on-air|weekend|opinion|news|photo|picture|sports?"
    r"|business|travel|metro|magazine|local)"
)
# A report is ours when the note says so ("our report", "the report 'Tiger census' (May 2)")
# or points to our pages ("a report on page 3 yesterday", "a report in Tuesday's editions"); a
# bare "a report said" is as often someone else's.
_OUR_REPORT = r"(?:(?:our|this)\s+(?:[\w-]+\s+)?reports?\b|(?:a|an|the)\s+reports?(?=\s+[“\"‘'(]))"

# --------------------------------------------------------------------------------- forms

# A sentence of a note may open with a short pointer: "In our January 28 story about heating in
# schools, we misquoted ...", "On May 14 a story on the budget ...", "Last week we said ...".
_OPENING = re.compile(
    r"(?:(?:in|on|at|during|last|earlier|yesterday|previously|recently|as\s+in)\b"
    r"(?:[^;:,.!?()]|\([^()]{0,80}\)){0,100}?(?:,\s*|\s+)){0,2}",
    re.I,
)
# Corrections pages put a topic before the note: "Dog show: In the Feb. 10 Section A, ...",
# "Newsnight, BBC Two, 3 March 2020: The programme incorrectly stated ...".
_TOPIC = re.compile(r"^\s*[A-Z0-9][^:.!?;]{0,60}:\s+(?=[A-Z])")
_WE = re.compile(r"\b(?:we|our)\b", re.I)
_WE_ERRED = re.compile(
    rf"\s+(?:{_ADVERBS}(?P<verb>{_VERB})\b"
    rf"|(?P<admits>got\b(?=[^.;]{{1,40}}?\bwrong\b)|(?:{_ADV})\s+\w+"
    r"|were\s+(?:wrong|incorrect|mistaken)\s+(?:to|in)|are\s+sorry\s+(?:for|that|to)|should\s+have\s+(?:said|stated|made"
    r"|noted|reported|described|mentioned|included|explained|called)|failed\s+to\s+(?:mention"
    r"|say|note|include|make|disclose|point)|omitted|neglected\s+to|(?:are|were)\s+(?:happy|glad"
    r"|pleased)\s+to\s+(?:clarify|correct|make|set\s+the\s+record|point\s+out|confirm)"
    r"|have\s+been\s+asked\s+to\s+(?:point\s+out|make|clarify|explain|note|state)"
    r"|(?:wish|would\s+like|want)\s+to\s+(?:clarify|correct|make\s+(?:it\s+)?clear|point\s+out"
    r"|set\s+the\s+record)))\b",
    re.I,
)
_OUR_PIECE_ERRED = re.compile(
    rf"\s+(?:[\w'’-]+\s+){{0,2}}?(?:{_PIECE}|reports?|coverage|reporting|website|paper|issue"
    rf"|edition)\b(?P<q1>[^;:]{{0,80}}?)\s+{_ADVERBS}(?P<verb>{_VERB})\b",
    re.I,
)
_PIECE_WORD = re.compile(rf"\b(?:{_PIECE}|{_OUR_REPORT}|reports?)\b", re.I)
# "A front-page article", "Wednesday's story", "Nicholas Kristof's column": a determiner or a
# possessive before the piece, never bare words ("scalable vector graphics should be used").
_BEFORE_PIECE = re.compile(
    rf"{_OPENING.pattern}(?:{_DET}\s+(?:(?:{_MODIFIER}|[\w'’-]+)\s+){{0,3}}"
    rf"|(?-i:[A-Z][\w.-]+\s+){{0,2}}(?-i:[A-Z][\w.-]+){_APOS}s?\s+)",
    re.I,
)
# What may stand between the piece and its verb: "published Nov. 14 about a study on diet",
# "of a photograph titled '...' (April 23)" — not a clause with a subject of its own ("... makes
# the article feel like it was written ... what you wrote").
_CLAUSE = re.compile(r"\b(?:it|he|she|they|you|i|we|who|which|that|this|there)\b", re.I)
_PIECE_ERRED_AFTER = re.compile(
    rf"(?P<q1>(?:\s+(?:[^;:()]|\([^()]{{0,80}}\)){{0,110}}?)??)\s+(?:{_ADVERBS}(?P<verb>{_VERB})\b(?:\s+(?P<adv>{_ADV}))?"
    r"|(?P<copula>was|were|is|are)\b)",
    re.I,
)
# Mid-sentence, only with an adverb of error or a mis-verb: "... after the program incorrectly
# reported that ..."
_PIECE_ERRED = re.compile(
    rf"\b{_DET}\s+(?:[\w'’-]+\s+){{0,2}}?{_PIECE}\s+(?:{_ADV}\s+{_VERB}|{_VERB}\s+{_ADV}|{_MIS})\b",
    re.I,
)
# A pointer to a piece of ours, opening the sentence: "In a story published Sept. 3, The
# Associated Press reported erroneously ...".
_POINTS_TO_PIECE = re.compile(
    rf"(?:in|on)\s+(?:{_DET}\s+(?:(?:{_MODIFIER}|[\w'’-]+)\s+){{0,3}}?"
    rf"(?:{_PIECE}|{_PART}|edition|editions)\b|page\s+\w?\d)",
    re.I,
)
# "On Monday May 11, 7.30 incorrectly identified David Martin as ...": a dated opening, a named
# programme or paper as the subject, an adverb of error.
_DATED_SUBJECT_ERRED = re.compile(
    rf"(?:on|in)\s+(?:{_DAY_WORDS}|{_DATE_WORD}|\d)[^;:.!?]{{0,40}}?,?\s+"
    rf"(?-i:[A-Z0-9][\w.'’&-]*)(?:\s+(?-i:[A-Z0-9])[\w.'’&-]*){{0,3}}\s+"
    rf"(?:{_ADV}\s+{_VERB}|{_VERB}\s+{_ADV}|{_MIS})\b",
    re.I,
)
# "The Herald incorrectly reported on Tuesday that ...": the outlet names itself.
_OUTLET_ERRED = re.compile(
    rf"{_OPENING.pattern}(?-i:The\s+[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){{0,3}})\s+"
    rf"(?:{_ADV}\s+{_VERB}|{_VERB}\s+{_ADV}|{_MIS})\b",
    re.I,
)
# After such a pointer, whoever said it: "In the June 4 edition, the Herald reported that ...".
_SUBJECT_SAID = re.compile(rf",\s+(?:[\w'’.-]+\s+){{1,4}}?{_ADVERBS}(?:{_VERB})\b", re.I)
_WRONG_SIDE = (
    r"(?:(?:,|\s[–—-]|\band|\b(?:is|are|was|were|has|have|had|did|does))\s*not|\brather\s+than"
    r"|\binstead\s+of)\s+[^,;.!?]{1,60}?,?"
)
_AS_WE = re.compile(
    rf"\bnot\s+[^,;.!?]{{1,80}}?,?\s+as\s+(?:we|our\s+[\w-]+(?:\s+[\w-]+)?)\s+{_ADVERBS}"
    rf"(?:had\s+it|{_VERB})\b|{_WRONG_SIDE}\s+as\s+we\s+|\bas\s+we\s+{_ADVERBS}had\s+it\b"
    rf"|,\s*as\s+we\s+(?:{_ADV})\s+{_VERB}\b",
    re.I,
)
_NOT_AS_STATED = re.compile(
    rf"{_WRONG_SIDE}\s+as\s+(?:(?:was|were|had\s+been|it\s+was|is)\s+)?(?:(?:{_ADV}|originally"
    rf"|previously|earlier|first|initially)\s+)?(?:{_PARTICIPLE})\b(?!\s+(?:by|here|above|below)\b)",
    re.I,
)
_PASSIVE_MIS = re.compile(
    rf"\b(?:was|were|(?:has|have|had)\s+been)\s+(?:(?:also|repeatedly|originally"
    rf"|previously|inadvertently)\s+)?(?:{_PRINT_MIS}|(?:{_ADV})\s+(?:{_PARTICIPLE})"
    rf"|(?:{_PARTICIPLE})\s+(?:{_ADV})|(?:omitted|left\s+out|dropped)\s+from)\b(?!\s+by\b)",
    re.I,
)
_IT_WAS_STATED = re.compile(
    r"\b(?:it\s+was\s+(?:(?:also|incorrectly|wrongly|erroneously|mistakenly|inadvertently)\s+)?"
    r"(?:stated|said|reported|suggested|implied|written|claimed|mentioned|printed|published)\b"
    r"|(?:was|were)\s+said\s+to\b)",
    re.I,
)
_SHOULD_READ = re.compile(
    r"\bshould\s+(?:have\s+)?(?:read|said|stated|referred\s+to|be\s+to)\b"
    r"|\bshould\s+have\s+been\s+(?:described|called|named|identified|referred|given|spelt|spelled"
    r"|attributed|credited|captioned|titled|headlined|(?=[“\"‘'\d]|(?-i:[A-Z])))"
    r"|\bthe\s+reference\s+to\s+[^.;]{1,80}?\s+should\b",
    re.I,
)
_CONTRARY = re.compile(
    rf"contrary\s+to\s+(?:{_DET}\s+(?:{_MODIFIER}\s+){{0,4}}(?:{_PIECE}|reports?|{_PART})\b"
    rf"(?P<after>[^,;]{{0,60}})|what\s+(?:was|we|had\s+been|has\s+been)\s+{_ADVERBS}"
    rf"(?:{_PARTICIPLE}|{_VERB})\b|(?:the\s+)?(?:information|impression|suggestion|claim"
    rf"|statement)s?\s+(?:given\s+|published\s+|printed\s+)?(?:in|on)\s+{_DET}\s+)",
    re.I,
)
# "Due to an error, an earlier version of this story ...": an error of ours, when what follows
# is a piece or "we" (not "due to an error in the system, flights were delayed").
_DUE_TO_AN_ERROR = re.compile(
    r"(?:due\s+to|because\s+of|owing\s+to|through)\s+(?:an?\s+)?(?:\w+\s+)?(?:error|mistake)s?"
    r"\s*,\s*",
    re.I,
)
_ERROR_SUBJECT = re.compile(
    r"(?:an?|the)\s+(?:editing|editorial|reporting|production|transcription|typographical"
    r"|translation|technical|copy-?editing|fact-?checking|research|sub-?editing|printing|layout"
    r"|design|graphics)\s+(?:error|mistake)\s+(?:led|resulted|meant|caused|left|gave|produced)\b"
    r"|(?:incorrect|inaccurate|wrong|erroneous|outdated)\s+(?:information|figures?|details?"
    r"|data|captions?)\s+(?:appeared|was|were|has\s+been|had\s+been)\b"
    r"|(?:due\s+to|because\s+of|owing\s+to|through)\s+(?:an?\s+)?(?:incorrect|inaccurate|wrong"
    r"|erroneous|outdated)\s+(?:information|figures?|data)\b"
    r"|through\s+an?\s+(?:editing|editorial|reporting|production)\s+(?:error|mistake)\b"
    r"|(?:an?|the)\s+error\s+(?:in|during)\s+(?:the\s+)?(?:editing|production|translation"
    r"|transcription|printing|layout|subbing)\b",
    re.I,
)
_WIRE_VERB = rf"(?P<verb>{_alt(WIRE_CORRECTING_VERBS)}|{_alt(WIRE_UPDATING_VERBS)})"
_WIRE = re.compile(
    rf"(?:[A-Z]+(?:\s+\d+)?\s*[-–]\s*)*\(\s*(?:eds?\.?\s*:\s*|editors?\s*:\s*)?"
    rf"(?:this\s+(?:[\w-]+\s+){{0,3}}?(?:story|version|item|article|report)\s+)?{_WIRE_VERB}\b"
    r"[^()\n]*(?:\([^()\n]*\)[^()\n]*)*\)\s*$"
    rf"|(?-i:(?:CORRECTS|REFILES|RECASTS|UPDATES|CLARIFIES|FIXES))\b(?P<caps>)[^\n]{{0,200}}$"
    rf"|(?-i:(?:Corrects|Refiles|Recasts|Updates|Clarifies|Fixes|Adds))\b(?P<title>)[^\n.]{{0,200}}$",
    re.I,
)
_WIRE_CORRECTS = re.compile(rf"\b{_alt(WIRE_CORRECTING_VERBS)}\b", re.I)
# Where in the story an advisory's change is: "in paragraph 5", "in 3rd para", "throughout".
_WIRE_PLACE = re.compile(
    r"\b(?:paragraphs?|paras?|grafs?|headline|throughout|byline|dateline|lead|lede)\b", re.I
)
# What an updating advisory adds: "(Adds comment from the mayor)", "(Updates with closing
# prices)" — not "(Adds offline maps to the app)", a changelog's line.
_WIRE_CONTENT = re.compile(
    r"\b(?:with|details?|comments?|quotes?|background|byline|dateline|reaction|paragraphs?|paras?"
    r"|grafs?|headline|context|analysts?|statements?|throughout|spelling|name|figures?|to\s+(?:say"
    r"|show|fix|correct|clarify|reflect|include))\b",
    re.I,
)
_REGRETTED = re.compile(
    r"\b(?:the|this|these|that|any|an|our)\s+(?:errors?|mistakes?|omissions?|inaccurac(?:y|ies))"
    r"\s+(?:is|are|was|were)\s+(?:\w+ly\s+)?regretted\b|^(?:errors?|mistakes?)\s+regretted\b"
    r"|\bwe\s+(?:\w+ly\s+)?regret\s+(?:that|having|publishing|any|the|our)\b"
    r"|\bregrets?\s+(?:any|the)\s+(?:confusion|distress|embarrassment|misunderstanding|inaccurac)",
    re.I,
)
_APOLOGY = re.compile(
    r"\b(?:we\s+(?:\w+ly\s+)?apologi[sz]e|apologi[sz]es)\b(?:\s+(?:unreservedly|sincerely"
    r"|fully))?(?:\s+to\s+[^.;]{1,60}?)?\s*(?:[.;]|$)"
    r"|\b(?:we\s+(?:\w+ly\s+)?apologi[sz]e|apologi[sz]es)\b(?:\s+(?:unreservedly|sincerely|fully))?"
    r"(?:\s+to\s+[^.;]{1,60}?)?\s+for\s+(?:suggesting|stating|saying|reporting|publishing"
    r"|implying|writing|describing|referring|(?:any|the)\s+(?:confusion|distress|embarrassment"
    r"|offen[cs]e|upset|hurt|harm|misunderstanding|errors?|mistakes?)|(?:this|these|that|our|its)"
    r"\s+(?:errors?|mistakes?))",
    re.I,
)
# "The Irish Times wishes to clarify that ...", "The Herald is happy to make clear ...".
_WISHES_TO = re.compile(
    r"\b(?:wishes|is\s+(?:happy|glad|pleased)|would\s+like|has\s+been\s+asked)\s+to\s+(?:clarify"
    r"|correct|make\s+(?:it\s+)?clear|point\s+out|apologi[sz]e|set\s+the\s+record\s+straight)\b",
    re.I,
)
_WE_ACCEPT = re.compile(
    r"\bwe\s+(?:accept|acknowledge|recogni[sz]e)\s+that\s+[^.;]{0,80}?\b(?:was|were|is|are)\s+"
    r"(?:incorrect|wrong|inaccurate|untrue|false|unfounded|misleading"
    r"|not\s+(?:true|correct|accurate|the\s+case))\b",
    re.I,
)
# "James Bond preferred his martinis shaken, not stirred.": the wrong side a value, a name or
# one word, not a phrase of its own ("a marathon, not a sprint", "not just", "not if").
_BARE_CONTRAST = re.compile(
    r"[^,;:]{3,}?(?:,|\s[–—-])\s*not\s+(?!(?:a|an|the)\s+(?-i:[a-z]))(?!(?:just|only|if|when"
    r"|because|to|for|by|in|on|at|with|necessarily|least|yet|so|as|that|this|even|merely|simply"
    r"|me|us|you|them)\b)"
    r"[^,;:\s]+(?:\s+[^,;:\s]+){0,3}[.!]?",
    re.I,
)

# ------------------------------------------------------------------------ signs of error

_ERROR_WORD = re.compile(rf"\b(?:{_ADV}|{_MIS})\b", re.I)
# On the verb of the admission itself: "we *wrongly* stated", "our report *misnamed*".
_ERRED_VERB = re.compile(rf"\b(?:{_ADV}\s+{_VERB}|{_VERB}\s+{_ADV}|{_MIS})\b", re.I)
# Sentences that say the earlier words were wrong, or give the right ones.
_CORRECTING = re.compile(
    r"\bin\s+fact\b|(?:^|[.:;]\s*)to\s+clarify\b|\brather\s+than\b|\binstead\s+of\b|\bactually\b"
    r"|\bthe\s+correct\s+\w+(?:\s+\w+)?\s+(?:is|was|are|were|should)\b"
    r"|\b(?:that|this|it)\s+(?:is|was)\s+(?:also\s+true|not\s+the\s+case|incorrect|wrong"
    r"|inaccurate|untrue|not\s+(?:correct|true|accurate))\b"
    r"|\bshould\s+(?:have\s+(?:said|stated|read|been|reported|noted)|read)\b|\bwe\s+meant\b"
    r"|\b(?:incorrect|inaccurate|wrong|erroneous)\b|\bin\s+error\b|\bregret|\bapologi[sz]e",
    re.I,
)
_STRONG_CORRECTING = re.compile(
    r"\b(?:that|this|it)\s+(?:is|was)\s+(?:incorrect|wrong|inaccurate|untrue"
    r"|not\s+(?:correct|true|accurate))\b|\bthe\s+correct\s+\w+(?:\s+\w+)?\s+(?:is|was|are|were)\b"
    r"|\bshould\s+have\s+(?:said|stated|read|reported)\b",
    re.I,
)
# "X, not Y", "X – not Y", "X and not Y": a wrong value set beside the right one.
_CONTRAST = re.compile(r"(?:,|\s[–—-]|\sand)\s*not\s+\S|\bnot\s+[^.;]{1,60},\s+but\b", re.I)
# A short sentence that states the right fact: "It is 6.5 km.", "He is Irish.", "The clerk is
# Brightwind.", "They are listed as endangered." — not a change over time ("it now stands at").
_RIGHT_FACT = re.compile(
    r"(?:it|he|she|they|this|that|the\s+[\w'’-]+(?:\s+[\w'’-]+)?|[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)"
    r"\s+(?:\w+\s+)?\w+",
    re.I,
)
# Lower case: "May" the month is a value, "may" the verb a hedge.
_NOT_A_RIGHT_FACT = re.compile(
    r"\b(?:now|will|would|could|may|might|also|later|soon|since|then|yet|still)\b"
)
_VALUE = re.compile(
    rf"\d|\s(?-i:[A-Z])|\b(?:{_alt(NUMBER_WORDS)}|first|last|only|the\s+\w+est)\b", re.I
)
_COPULA = frozenset({"is", "are", "was", "were"})
_NOT_VERBS = _COPULA | {"the", "a", "an"}
# "It has not.", "She did not.": the claim denied.
_DENIAL = re.compile(
    r"(?:it|he|she|they|this|that)\s+(?:has|have|had|did|does|do|is|was|were|are)"
    r"\s+not\b",
    re.I,
)
# Verbs after which the right fact is a bare description ("we referred to him as the harbour
# master. He is the deputy.").
_NAMING = re.compile(
    r"\b(?:referred|called|described|named|identified|listed|labell?ed|credited|attributed"
    r"|misidentified|misnamed|misdescribed)\b|\bas\s+(?:an?|the)\b",
    re.I,
)
_REPORTED_SPEECH = re.compile(
    r"\b(?:said|says|told|tells|according\s+to|spokes(?:wo)?man|spokesperson)\b", re.I
)
_PIECE_POINTER = re.compile(
    rf"\b(?:in|on|with|from|of)\s+{_DET}\s+(?:(?:{_MODIFIER}|[\w'’-]+)\s+){{0,4}}?"
    rf"(?:{_PIECE}|reports?|coverage|{_PART}|editions)\b|\(\s*(?:[^()]*\b)?(?:page|p\.)\s*\d"
    rf"|\bon\s+page\s+\d|\bthroughout\b|[“\"‘'][^”\"’']{{2,}}[”\"’']\s*\([^()]*\d[^()]*\)",
    re.I,
)
# "... was wrongly given as Kowalski", "... was misspelled as Ardie": the wrong words quoted.
_NAMED_AS = re.compile(r"\s+as\s+\S", re.I)
_BY = re.compile(r"\bby\b", re.I)
# What a note says was misspelled or misattributed: "the skipper's name was misspelled".
_PRINTED_THING = re.compile(
    r"\b(?:name|names|surname|spelling|title|byline|credit|age|quote|quotation|headline"
    r"|caption|photo|photograph|picture|figure|figures|number|total|amount|cost|price|date|year"
    r"|location)\b",
    re.I,
)
_IN_DAY = re.compile(rf"^\s*in\s+(?:{_DAY_POSS})\s", re.I)
# A pointer with a date or a page after an outlet's name is a corrections column's: "an article
# in The Australian yesterday", "a report in the Herald on page 5".
_DATED = (
    rf"(?:yesterday|today|last\s+week|on\s+(?:{_DAY_WORDS}|{_DATE_WORD}|\d)|(?:on\s+)?page\s+\w?\d"
    rf"|\(|{_DAY_WORDS}\b|{_DATE_WORD}\s+\d)"
)
# "a story in The Times", "a report by the inspector general": someone else's piece. "in
# Tuesday's National Post" and "in the July 11 Metro section" are our own pages.
_OTHER_OUTLET = re.compile(
    rf"\bby\s|\bfrom\s|\bin\s+(?!{_DAY_POSS})(?:the\s+)?(?-i:[A-Z])"
    rf"(?![\w'’.-]*(?:\s+[\w'’.-]+){{0,3}}?\s+(?:{_PART}|editions?)\b)"
    rf"(?![\w'’.-]*(?:\s+(?-i:[A-Z])[\w'’.-]*){{0,3}}(?:{_APOS}s)?\s+(?:{_DATED}))",
    re.I,
)
# What tells that a report is ours: it is pointed to in our pages.
_OUR_PAGES = re.compile(
    rf"\b(?:yesterday|today|last\s+week|{_DAY_WORDS})\b|\bpage\s+\w?\d|\bin\s+(?:{_DAY_POSS}"
    rf"|this|our)\b|[“\"‘']|\([^()]*\d[^()]*\)",
    re.I,
)
_WORD = re.compile(r"[\w'’-]+")
_PARENTHESES = re.compile(r"\([^()]*\)")
_LOWER_WORD = re.compile(r"[a-z]{3,}")
# A note is prose: a list, a table or a heading is not one.
_LIST_OR_TABLE = re.compile(r"^[ \t>]*(?:[-*+•]\s|\d+[.)]\s|\||#)", re.M)

# ------------------------------------------------------------------------------- reading


def read_form(paragraph: str, outermost: bool = False) -> Form | None:
    """The note form ``paragraph`` is printed in, or None (the caller checks its position).

    ``outermost``: the paragraph is the very first or last of the text's own paragraphs, where
    the weakest form (a bare "X, not Y.") is read too.
    """
    first_line = paragraph.lstrip().split("\n", 1)[0]
    if "(" in first_line or first_line[:1].isupper():
        wire = _WIRE.match(_unmark(first_line).strip())
        if wire:
            verb = wire["verb"] or wire.group(0).split(None, 1)[0]
            corrects = _WIRE_CORRECTS.search(wire.group(0)) is not None
            # Without parentheses, a title-case advisory must read like one: "Updates with
            # details of the vote, corrects name of mayor in paragraph 5".
            plain = wire["title"] is not None
            content = _WIRE_CONTENT.search(wire.group(0))
            if (corrects and not plain) or (
                content and (not plain or _WIRE_PLACE.search(verb + wire.group(0)))
            ):
                return Form("wire", "correction" if corrects else "update")
    if len(paragraph.split(None, MAX_WORDS)) > MAX_WORDS or _LIST_OR_TABLE.search(paragraph):
        return None
    text = _masked(paragraph)
    topic = _TOPIC.match(text)
    if topic and len(topic.group(0).split()) <= 8 and not _WE.search(topic.group(0)):
        text = " " * topic.end() + text[topic.end() :]
    sentences = [text[s.start : s.end] for s in split_sentences(text)]
    if not sentences or len(sentences) > MAX_SENTENCES:
        return None
    # Which forms can occur at all, from words each needs (most paragraphs have few of them).
    low = text.lower()
    has = _Cues(
        regret="regret" in low,
        apology="apologi" in low or "we accept" in low or "we acknowledge" in low,
        as_=" as " in low,
        contrary="contrary" in low,
        we=bool(_WE.search(low)),
        piece=bool(_PIECE_WORD.search(low)),
        erred=bool(_ERROR_WORD.search(low)) or "omitted" in low or "left out" in low,
        stated=bool(_IT_WAS_STATED.search(low)),
        should="should" in low,
        error="error" in low or "mistake" in low or "information" in low,
        wishes=" to " in low and bool(_WISHES_TO.search(low)),
    )
    for i, sentence in enumerate(sentences):
        form = _form_of(sentence, sentences[i + 1 :], text, has, sentences[i - 1] if i else "")
        if form is not None:
            return form
    if (
        outermost
        and len(sentences) == 1
        and len(_WORD.findall(text)) <= 20
        and _BARE_CONTRAST.fullmatch(sentences[0])
    ):
        return Form("bare-contrast", "correction")
    return None


@dataclass(frozen=True)
class _Cues:
    regret: bool
    apology: bool
    as_: bool
    contrary: bool
    we: bool
    piece: bool
    erred: bool
    stated: bool
    should: bool
    error: bool
    wishes: bool


def _form_of(
    sentence: str, later: list[str], text: str, has: _Cues, before: str = ""
) -> Form | None:
    """The form ``sentence`` (with the sentences ``before`` and ``later`` beside it) is in."""
    if has.regret and _REGRETTED.search(sentence):
        return Form("regret", "correction")
    if has.apology and (
        _WE_ACCEPT.search(sentence)
        or (_APOLOGY.search(sentence) and not _REPORTED_SPEECH.search(sentence))
    ):
        return Form("apology", "correction")
    if has.wishes and _WISHES_TO.search(sentence) and not _REPORTED_SPEECH.search(sentence):
        return Form("apology", None)
    if has.as_ and _AS_WE.search(sentence):
        return Form("as-we-had-it", "correction")
    if has.as_ and _NOT_AS_STATED.search(sentence):
        return Form("not-as-stated", "correction")
    if has.contrary:
        m = _CONTRARY.match(sentence)
        if m and not names_another_outlet(m["after"] or ""):
            return Form("contrary-to", "correction")
    if has.error and _ERROR_SUBJECT.match(sentence):
        return Form("error-subject", "correction")
    if has.error:
        m = _DUE_TO_AN_ERROR.match(sentence)
        if m and (_PIECE_WORD.search(sentence, m.end()) or _WE.search(sentence, m.end())):
            return Form("error-subject", "correction")
    if has.we:
        m = _first_person(sentence)
        if m and (
            m.groupdict().get("admits")
            or _erred(sentence, m, later)
            or (before and _short_claim(sentence) and _states_a_fact(before))
        ):
            return Form("first-person")
    if has.piece:
        m = _piece_subject(sentence, later)
        if m and _erred(sentence, m, later, copula=bool(m["copula"])):
            return Form("piece-said")
        if has.erred:
            erred = _PIECE_ERRED.search(sentence)
            if erred and not _REPORTED_SPEECH.search(sentence[: erred.start()]):
                return Form("piece-said")
    if has.erred:
        m = _OUTLET_ERRED.match(sentence)
        if m and _erred(sentence, m, later):
            return Form("outlet-erred", "correction")
    if has.erred and _DATED_SUBJECT_ERRED.match(sentence):
        m = _DATED_SUBJECT_ERRED.match(sentence)
        if m and _erred(sentence, m, later, copula=False):
            return Form("pointer-erred", "correction")
    if _pointer_opening(sentence):
        if has.erred and _ERRED_VERB.search(sentence):
            return Form("pointer-erred", "correction")
        m = _SUBJECT_SAID.search(sentence)
        if m and _erred(sentence, m, later):
            return Form("pointer-said", "correction")
    if has.erred:
        m = _PASSIVE_MIS.search(sentence)
        if (
            m
            and not _REPORTED_SPEECH.search(sentence)
            and (
                _PIECE_POINTER.search(text)
                or _CONTRAST.search(sentence)
                or _right_fact_follows(sentence, m.end(), later)
                or (_NAMED_AS.match(sentence, m.end()) and not _BY.search(sentence, m.end()))
                or _PRINTED_THING.search(sentence, 0, m.start())
            )
        ):
            return Form("mis-verb", "correction")
    if has.stated:
        m = _IT_WAS_STATED.search(sentence)
        if (
            m
            and (_PIECE_POINTER.search(sentence) or _IN_DAY.match(sentence))
            and _erred(sentence, m, later)
        ):
            return Form("it-was-stated", "correction")
    if (
        has.should
        and _SHOULD_READ.search(sentence)
        and (_PIECE_POINTER.search(text) or _piece_named(sentence))
    ):
        return Form("should-read", "correction")
    return None


_PUBLISHING = frozenset({"published", "printed", "aired"})
# "We said goodbye to the old ferry": "said" with an object that is no claim.
_SAID_IDIOM = re.compile(
    r"\s+(?:goodbye|hello|farewell|thanks|thank|yes|no|so|sorry|grace|a\s+prayer|nothing)\b", re.I
)
_FALSE_THING = re.compile(
    r"\s+(?:an?\s+)?(?:inaccurate|incorrect|false|untrue|wrong|erroneous|misleading)\b", re.I
)


def names_another_outlet(qualifier: str) -> bool:
    """Whether the words after a piece make it someone else's ("in The Clarion", "by the
    auditor"), not ours ("in Tuesday's edition", "in the July 11 Metro section")."""
    return bool(_OTHER_OUTLET.search(qualifier))


def _first_person(sentence: str) -> re.Match[str] | None:
    """ "We said ...", "Our report ... misnamed ...", at the start of the sentence."""
    for we in _WE.finditer(sentence):
        if _OPENING.fullmatch(sentence, 0, we.start()) is None:
            continue
        is_we = we.group(0).lower() == "we"
        m = (_WE_ERRED if is_we else _OUR_PIECE_ERRED).match(sentence, we.end())
        if m is None or (not is_we and _CLAUSE.search(_PARENTHESES.sub(" ", m["q1"]))):
            continue
        # "We published new guidance" is news; "we published inaccurate statements" a note.
        verb = (m.groupdict().get("verb") or "").lower()
        if verb in _PUBLISHING and not _FALSE_THING.match(sentence, m.end()):
            continue
        if verb == "said" and _SAID_IDIOM.match(sentence, m.end()):
            continue
        return m
    return None


def _piece_subject(sentence: str, later: list[str]) -> re.Match[str] | None:
    """ "A story published Nov. 14 ... said", "Wednesday's story incorrectly said", the piece
    being the sentence's subject and not another outlet's ("a report by ...", "in The Times")."""
    for piece in _PIECE_WORD.finditer(sentence):
        if _BEFORE_PIECE.fullmatch(sentence, 0, piece.start()) is None:
            continue
        m = _PIECE_ERRED_AFTER.match(sentence, piece.end())
        # A headline, date and page in parentheses are the piece's own: "An article about the
        # ferry (Islands get a lifeline, 3 May, page 9) said ...".
        q1 = _PARENTHESES.sub(" ", m["q1"]) if m else ""
        if m is None or _OTHER_OUTLET.search(q1) or _CLAUSE.search(q1):
            continue
        word = piece.group(0).lower()
        erred = bool(m["adv"]) or bool(m["verb"] and _ERRED_VERB.match(sentence, m.start("verb")))
        if word.startswith("report") and not (_OUR_PAGES.search(m["q1"]) or erred):
            # "A report said": someone else's, unless pointed to in our pages or followed by
            # what only a correction says ("This was incorrect.", "The correct figure is ...").
            rest = sentence[m.end() :] + " " + " ".join(later)
            if not _STRONG_CORRECTING.search(rest):
                continue
        return m
    return None


def _piece_named(sentence: str) -> bool:
    """Whether the sentence's subject is a piece of ours ("The photo caption should read ...")."""
    return any(
        _BEFORE_PIECE.fullmatch(sentence, 0, piece.start()) is not None
        for piece in _PIECE_WORD.finditer(sentence)
    )


def _pointer_opening(sentence: str) -> bool:
    """Whether the sentence opens by pointing to a piece of ours ("In a story published ...")."""
    return bool(_POINTS_TO_PIECE.match(sentence)) or bool(_IN_DAY.match(sentence))


def _erred(sentence: str, m: re.Match[str], later: list[str], copula: bool = False) -> bool:
    """Whether an admission (``m`` in ``sentence``) comes with a sign that it was wrong. After a
    piece and a plain "was" ("The photograph ... was of X, not Y") only a contrast or an error
    word counts: a sentence that follows is no restatement of a claim it did not make."""
    after = sentence[m.start() :]
    if _CONTRAST.search(after) or _CORRECTING.search(after):
        return True
    if copula:
        return False
    return bool(
        _ERRED_VERB.search(after)
        or any(_CORRECTING.search(s) or _CONTRAST.search(s) for s in later)
        or _right_fact_follows(sentence, m.end(), later)
    )


def _short_claim(sentence: str) -> bool:
    """A short admission that states only what was printed: "We said 120.", "We described him
    as the harbour master."."""
    return len(_WORD.findall(sentence)) <= 14


def _states_a_fact(sentence: str) -> bool:
    """A short statement of a value ("The ferry holds 220 passengers.", "He is Irish."), as a
    note prints the right fact before saying what it had."""
    words = _WORD.findall(sentence)
    if not words or len(words) > 16 or not _RIGHT_FACT.match(sentence):
        return False
    if _NOT_A_RIGHT_FACT.search(sentence) or _REPORTED_SPEECH.search(sentence):
        return False
    return bool(_VALUE.search(sentence))


def _right_fact_follows(sentence: str, at: int, later: list[str]) -> bool:
    """Whether the right fact is stated after the admission: in the next sentence, or in a
    clause after a semicolon ("...; it is Trelawny")."""
    clauses = [c.strip() for c in sentence[at:].split(";")[1:]]
    candidates = [(c, True) for c in clauses] + ([(later[0], False)] if later else [])
    claim = {f for w in _LOWER_WORD.findall(sentence.lower()) for f in _forms(w)}
    for candidate, clause in candidates:
        words = _WORD.findall(candidate)
        if not words or len(words) > 14 or not _RIGHT_FACT.match(candidate):
            continue
        if _NOT_A_RIGHT_FACT.search(candidate):
            continue
        if _DENIAL.match(candidate):
            return True
        lowered = [w.lower() for w in words[1:4]]
        copula = bool(_COPULA & set(lowered))
        if clause and not copula:
            continue  # "...; it is Trelawny" restates; "...; they began in March" goes on
        # The right fact repeats the claim's verb ("holds 16,000" / "It holds 6,000"), or is a
        # value (a number, a name, a rank), or a description after a naming verb.
        verbs = {f for w in lowered for f in _forms(w)} - _NOT_VERBS
        if verbs & claim:
            return True
        if copula and (_VALUE.search(candidate) or _NAMING.search(sentence)):
            return True
    return False


def _forms(word: str) -> set[str]:
    """The word and what it may be an inflection of ("takes" -> "take"), enough for a right
    fact to meet the claim's verb ("was said to take 90 minutes. The crossing takes 46")."""
    found = {word}
    for suffix in ("ing", "es", "ed", "s", "d"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            found.add(word[: -len(suffix)])
    return found


_EMPHASIS = re.compile(r"(?<!\w)[*_]{1,3}|[*_]{1,3}(?!\w)|^\s*(?:>\s*)+", re.M)
_QUOTED = re.compile(
    r"“[^”\n]{1,300}”|\"[^\"\n]{1,300}\"|(?<![\w’'])‘[^’\n]{1,300}’(?![\w’])"
    r"|(?<![\w’'])'(?=\S)[^'\n]{1,300}(?<=\S)'(?![\w’'])"
)


def _unmark(text: str) -> str:
    """``text`` without Markdown emphasis and block-quote marks (same length)."""
    return _EMPHASIS.sub(lambda m: " " * len(m.group(0)), text)


def _masked(paragraph: str) -> str:
    """The paragraph as one line, emphasis blanked and quotations masked (same length): a
    quotation is someone's words, and its "we said" is not ours. A closing stop inside the
    quotation is kept, so sentences still end there."""

    def mask(m: re.Match[str]) -> str:
        quoted = m.group(0)
        inner = quoted[1:-1]
        stop = inner[-1] if inner and inner[-1] in ".!?" else ""
        body = "q" * (len(inner) - len(stop))
        return quoted[0] + body + stop + quoted[-1]

    text = paragraph
    if "*" in text or "_" in text or ">" in text:
        text = _unmark(text)
    text = text.replace("\n", " ")
    if any(q in text for q in "\"“‘'"):
        text = _QUOTED.sub(mask, text)
    return text
