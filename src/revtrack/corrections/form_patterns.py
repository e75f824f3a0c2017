"""The patterns of the corrections-column forms that :mod:`revtrack.corrections.forms` reads:
the words and regular expressions of each form, built once from the lexicon.

Apart from the reading so that each module stays short; nothing here decides anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from revtrack.corrections.model import NoteKind
from revtrack.text.lexicon import (
    AMBIGUOUS_PIECES,
    ERROR_ADVERBS,
    ERROR_VERBS,
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
    alternation,
)

__all__ = ["MAX_WORDS", "Form"]

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
# Pieces that are ours whatever the sentence says of them (a caption, a headline, an obituary).
_OWN_ONLY = rf"(?:{_alt(tuple(p for p in OWN_PIECES if p not in AMBIGUOUS_PIECES))})s?"
AMBIGUOUS = frozenset(AMBIGUOUS_PIECES)
# "reversed", "transposed", "overstated": an error when a piece of ours or "we" did it.
_ERR = _alt(ERROR_VERBS)
# After an adverb of error a verb may be in the present, as broadcasters print it ("we
# incorrectly say", "the audio version incorrectly says").
_PRESENT = (
    r"(?:says?|states?|calls?|refers?|identif(?:y|ies)|describes?|gives?|names?|lists?|reports?"
    r"|suggests?|impl(?:y|ies)|claims?|quotes?|attributes?|spells?|shows?)"
)
# "used an outdated photograph", "ran the wrong map": a wrong thing printed.
_FALSE_ADJ = r"(?:incorrect|wrong|inaccurate|outdated|erroneous|misleading|false|out-of-date)"
_USED_WRONG = (
    r"(?:used|ran|carried|published|printed|posted|showed|displayed|included|contained|featured)"
    rf"\s+(?:an?|the|two|some)\s+(?:[\w'’-]+\s+){{0,2}}?{_FALSE_ADJ}\b"
)
# "A Sunday Insight article contained an error", "... included two inaccuracies"
_HAD_ERRORS = (
    r"(?:contained|included|had|carried|gave)\s+(?:an?\s+|several\s+|two\s+|three\s+|some\s+|a\s+number"
    r"\s+of\s+)?(?:factual\s+)?(?:errors?|mistakes?|inaccurac(?:y|ies))"
)
# "The programme should have made clear that ..."
_SHOULD_HAVE = (
    r"should\s+have\s+(?:made\s+(?:it\s+)?clear|mentioned|included|disclosed|explained|noted"
    r"|pointed\s+out|reflected|acknowledged)"
)
# "did not disclose that ...": what a piece should have said and did not.
_SILENT = (
    r"(?:did\s+not|didn['’]t|failed\s+to|neglected\s+to)\s+(?:disclose|mention|note|make\s+clear"
    r"|include|credit|reflect|attribute|state)"
)
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
# What "we" did to the text when a note says so: "We have corrected the spelling of ...", "We've
# removed a paragraph that ...". Correcting verbs take any printed thing; verbs of plain change
# only the parts of a text ("We have changed the name of the app" is a release note).
_TEXT_THING = (
    r"(?:headlines?|references?|paragraphs?|sentences?|passages?|quotes?|quotations?|photos?"
    r"|photographs?|pictures?|images?|captions?|claims?|statements?|wording|article|story|byline"
    r"|standfirst|subheading|remarks?|comments?)"
)
_PRINTED = (
    rf"(?:{_TEXT_THING}|names?|spelling|figures?|dates?|errors?|mistakes?|details?|text|title"
    r"|age|number|description|attribution|location|amount|total|spellings)"
)
_WE_FIXED = (
    r"(?:['’]ve|\s+have|\s+had)?\s+(?:(?:since|now|also|subsequently)\s+)?(?:(?:corrected|amended"
    r"|fixed|rectified)\s+(?:the|a|an|this|that|these|two|three|some|several|our|its|her|his"
    rf"|their)\s+(?:[\w'’-]+\s+){{0,3}}?{_PRINTED}\b|(?:removed|deleted|replaced|changed|updated"
    r"|reworded|rephrased|clarified|edited|withdrawn)\s+(?:the|a|an|this|that|these|two|three"
    rf"|some|several|our|its)\s+(?:[\w'’-]+\s+){{0,3}}?{_TEXT_THING}\b)"
)
# "We made an error in our story ...", "we erred in saying ...": the error named, in our pages
# or in what we wrote (not "we made a mistake in closing early", "we erred on the side of ...").
_GERUND = (
    r"(?:saying|stating|reporting|describing|naming|calling|referring|writing|publishing"
    r"|identifying|attributing|suggesting|including|using|giving|printing)"
)
_WE_MADE_AN_ERROR = (
    rf"(?:made\s+(?:an?\s+)?(?:\w+\s+)?(?:error|mistake)s?|erred)\s+(?:in\s+(?:our|this|the|an?)\s+"
    rf"(?:[\w'’-]+\s+){{0,3}}?(?:{_PIECE}|reports?|reporting|coverage|{_PRINTED})\b"
    rf"|(?:in|by|when)\s+(?:{_GERUND}|we\s+{_VERB})\b|(?:in|with)\s+(?:the|a|an)\s+{_PRINTED}\b)"
)
_WE_ERRED = re.compile(
    rf"(?:['’]re\s+(?P<sorry>sorry\s+(?:for|that|to))\b|(?P<fixed>{_WE_FIXED})|\s+(?P<admits2>{_WE_MADE_AN_ERROR}|{_USED_WRONG}"
    rf"|(?:{_ADV})\s+{_PRESENT}\b)|\s+(?P<err>{_ERR})\b)"
    rf"|\s+(?:{_ADVERBS}(?P<verb>{_VERB})\b"
    rf"|(?P<admits>got\b(?=[^.;]{{1,40}}?\bwrong\b)|(?:{_ADV})\s+\w+"
    r"|were\s+(?:wrong|incorrect|mistaken)\s+(?:to|in)|(?:are|['’]re)\s+sorry\s+(?:for|that|to)|should\s+have\s+(?:said|stated|made"
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
    rf"|edition)\b(?P<q1>[^;:]{{0,80}}?)\s+(?:{_ADVERBS}(?P<verb>{_VERB})|(?P<err>{_ERR}))\b",
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
_CLAUSE = re.compile(
    r"\b(?:it|he|she|they|you|i|we|who|which|there|(?:that|this)(?!\s+(?:morning|afternoon|evening"
    r"|week|weekend|month|year|spring|summer|autumn|fall|winter)\b))\b",
    re.I,
)
_PIECE_ERRED_AFTER = re.compile(
    rf"(?P<q1>(?:\s+(?:[^;:()]|\([^()]{{0,80}}\)){{0,110}}?)??)\s+(?:{_ADVERBS}(?P<verb>{_VERB})\b(?:\s+(?P<adv>{_ADV}))?"
    rf"|(?P<err>{_ERR}|should\s+not\s+have\s+(?:been\s+)?\w+|{_USED_WRONG}|{_SILENT}"
    rf"|(?:{_ADV})\s+{_PRESENT}|{_HAD_ERRORS}|{_SHOULD_HAVE})\b"
    r"|(?P<copula>was|were|is|are)\b)",
    re.I,
)
# Mid-sentence, only with an adverb of error or a mis-verb: "... after the program incorrectly
# reported that ..."
_PIECE_ERRED = re.compile(
    rf"\b{_DET}\s+(?:[\w'’-]+\s+){{0,2}}?{_PIECE}\s+(?:{_ADV}\s+{_VERB}|{_VERB}\s+{_ADV}|{_MIS})\b"
    rf"|\b{_DET}\s+(?:[\w'’-]+\s+){{0,2}}?{_OWN_ONLY}\s+(?:{_ERR}|should\s+not\s+have)\b",
    re.I,
)
# "Sunday's Metro section misstated ...": a part of our paper, named by its day or as ours.
_PART_ERRED = re.compile(
    rf"\b(?:{_DAY_POSS}|our|this)\s+(?:[\w'’-]+\s+){{0,2}}?{_PART}\s+(?:{_ADV}\s+{_VERB}|{_MIS})\b",
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
    rf"{_OPENING.pattern}(?-i:The\s+[A-Z][\w.&'’-]*(?:\s+(?:(?:on|of|and|&)\s+)?[A-Z][\w.&'’-]*){{0,3}}"
    # an agency by its initials, or a name that says it is an outlet: "AFP", "RTÉ", "CBC
    # News", "Canadian Press", "City Radio"
    r"|[A-Z][A-ZÉ]{1,5}|(?:[A-Z][\w.&'’-]*\s+){1,3}(?:News|Press|Times|Post|Herald|Journal|Radio"
    r"|Television|Agency|Wire|Gazette|Tribune|Standard|Express|Mail|Telegraph|Chronicle|Observer))\s+"
    rf"(?:{_ADV}\s+{_VERB}|{_VERB}\s+{_ADV}|{_MIS})\b",
    re.I,
)
# After such a pointer, whoever said it: "In the June 4 edition, the Herald reported that ...".
_SUBJECT_SAID = re.compile(rf",\s+(?:[\w'’.-]+\s+){{1,4}}?{_ADVERBS}(?:{_VERB})\b", re.I)
# The wrong value may hold a comma or a point between digits ("not 4,200", "not $3.1 million").
_WRONG_SIDE = (
    r"(?:(?:,|\s[–—-]|\band|\b(?:is|are|was|were|has|have|had|did|does))\s*not|\brather\s+than"
    # (a title's stop is no sentence end: "not Rep. Dan Whitfield", "not St. Mary's")
    r"|\binstead\s+of)\s+(?:[^,;.!?]|(?<=\d)[.,](?=\d)|(?:(?<=[A-Z][a-z])|(?<=[A-Z][a-z]{2}))"
    r"\.(?=\s)){1,60}?,?"
)
_AS_WE = re.compile(
    rf"\bnot\s+[^,;.!?]{{1,80}}?,?\s+as\s+(?:we|our\s+[\w-]+(?:\s+[\w-]+)?)\s+{_ADVERBS}"
    rf"(?:had\s+it|{_VERB})\b|{_WRONG_SIDE}\s+as\s+we\s+|\bas\s+we\s+{_ADVERBS}had\s+it\b"
    rf"|,\s*as\s+we\s+(?:{_ADV})\s+{_VERB}\b",
    re.I,
)
_NOT_AS_STATED = re.compile(
    rf"{_WRONG_SIDE}\s+as\s+(?:(?:was|were|had\s+been|it\s+was|is)\s+)?(?:(?:{_ADV}|originally"
    rf"|previously|earlier|first|initially)\s+)?(?:{_PARTICIPLE})\b(?!\s+(?:by|here|above|below)\b)"
    # "..., not ten, as an earlier version of this story said", "..., as a Tuesday article said"
    rf"|{_WRONG_SIDE}\s+as\s+{_DET}\s+(?:[\w'’.-]+\s+){{0,3}}?(?:{_OWN_ONLY}|versions?|editions?"
    rf"|{_OUR_REPORT})(?:\s+(?:of|in|on)\s+(?:this|our|the)\s+(?:[\w-]+\s+)?{_PIECE})?"
    rf"\s+{_ADVERBS}(?:had\s+it|{_VERB})\b",
    re.I,
)
_PASSIVE_MIS = re.compile(
    rf"\b(?:was|were|(?:has|have|had)\s+been)\s+(?:(?:also|repeatedly|originally"
    rf"|previously|inadvertently)\s+)?(?:{_PRINT_MIS}|(?:{_ADV})\s+(?:{_PARTICIPLE})"
    rf"|(?:{_PARTICIPLE})\s+(?:{_ADV})|(?:omitted|left\s+out|dropped)\s+from)\b(?!\s+by\b)",
    re.I,
)
# "It was incorrectly stated that ...": the adverb says the statement was an error.
_IT_WAS_WRONGLY = re.compile(
    rf"\bit\s+was\s+(?:also\s+)?(?:{_ADV})\s+(?:stated|said|reported|suggested|implied|written"
    r"|claimed|mentioned|printed|published)\b(?!\s+by\b)",
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
    rf"|statement)s?\s+(?:given\s+|published\s+|printed\s+)?(?:in|on)\s+(?:{_DET}\s+|{_DAY_WORDS}\b"
    rf"|{_DATE_WORD}\s+\d))",
    re.I,
)
# "Due to an error, an earlier version of this story ...": an error of ours, when what follows
# is a piece or "we" (not "due to an error in the system, flights were delayed").
_DUE_TO_AN_ERROR = re.compile(
    r"(?:due\s+to|because\s+of|owing\s+to|through)\s+(?:an?\s+)?(?:[\w-]+\s+)?(?:error|mistake"
    r"|typo|oversight)s?(?:\s+(?:in|during|by)\s+[^,;.]{1,40})?\s*,\s*",
    re.I,
)
# After "Due to a typo, ...": a printed thing given or said wrongly ("the cost was given as").
_PRINTED_WRONGLY = re.compile(
    rf"\b(?:was|were)\s+(?:(?:{_ADV}|originally|first)\s+)?(?:{_PARTICIPLE}|{_PRINT_MIS}|omitted"
    r"|left\s+out|dropped)\b(?!\s+by\b)",
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
    r"|offen[cs]e|upset|hurt|harm|misunderstanding)|(?:any|the|this|these|that|our|its)"
    r"\s+(?:[\w-]+\s+){0,2}?(?:errors?|mistakes?|inaccurac(?:y|ies)))"
    # "Our apologies for the error.", "Apologies to Ms Holt for the mistake."
    r"|^(?:our\s+)?apologies\s+(?:to\s+[^.;]{1,60}?\s+)?for\s+(?:the|this|any|these|our)\s+"
    r"(?:errors?|mistakes?|confusion|omissions?|inaccurac(?:y|ies))"
    # "Apologies to Ms Brannigan, whose name we misspelled."
    # "X apologises to Ben Tolentino, whose photos an earlier version of this story credited to
    # the organisers."
    rf"|(?:^(?:our\s+)?apologies|\b(?:we\s+(?:\w+ly\s+)?apologi[sz]e|apologi[sz]es))\s+to\s+[^.;]{{1,60}}?,?"
    rf"\s+(?:whose|who|whom)\b[^.;]*\b(?:{_ADV}|{_MIS}|(?:an?|the)\s+(?:earlier|previous|original)"
    r"\s+version)\b",
    re.I,
)
# "The Irish Times wishes to clarify that ...", "The Herald is happy to make clear ...".
_WISHES_TO = re.compile(
    r"\b(?:wishes|is\s+(?:happy|glad|pleased)|would\s+like|has\s+been\s+asked)\s+to\s+(?:clarify"
    r"|correct|make\s+(?:it\s+)?clear|point\s+out|apologi[sz]e|set\s+the\s+record\s+straight)\b",
    re.I,
)
_WE_ACCEPT = re.compile(
    r"\bwe\s+(?:accept|acknowledge|recogni[sz]e)\s+(?:that\s+)?[^.;]{0,80}?\b(?:was|were|is|are)\s+"
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
    r"|\b(?:incorrect|inaccurate|wrong|erroneous|misleading|outdated)\b|\bin\s+error\b|\bregret"
    r"|\bapologi[sz]e",
    re.I,
)
_STRONG_CORRECTING = re.compile(
    r"\b(?:that|this|it)\s+(?:is|was)\s+(?:incorrect|wrong|inaccurate|untrue"
    r"|not\s+(?:correct|true|accurate))\b|\bthe\s+correct\s+\w+(?:\s+\w+)?\s+(?:is|was|are|were)\b"
    r"|\bshould\s+have\s+(?:said|stated|read|reported)\b|\b(?:this|that|it)\s+(?:is|was)\s+not\s+the"
    r"\s+case\b|(?:\b(?:was|were)\s+|^\s*)wrong\s+to\s+(?:say|state|report|suggest|describe|call|claim|imply"
    r"|name)\b",
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
    rf"|\bon\s+page\s+\d|\bthroughout\b|[“\"‘'][^”\"’']{{2,}}[”\"’']\s*\([^()]*\d[^()]*\)"
    # Indian papers' "in these columns", "on this page"
    r"|\b(?:in|on)\s+(?:these|this)\s+(?:columns?|pages?|space)\b",
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
    rf"|this|our)\b|[“\"‘']|\([^()]*\d[^()]*\)|\bthese\s+(?:columns|pages)\b",
    re.I,
)
_WORD = re.compile(r"[\w'’-]+")
_PARENTHESES = re.compile(r"\([^()]*\)")
_LOWER_WORD = re.compile(r"[a-z]{3,}")
# A note is prose: a list, a table or a heading is not one.
_LIST_OR_TABLE = re.compile(r"^[ \t>]*(?:[-*+•]\s|\d+[.)]\s|\||#)", re.M)

# ------------------------------------------------------------------- more forms of a note

# "Please read 'noon' instead of 'ten'", "read Dr. Anand for Mr. Anand": the corrections
# column's substitution. "Read the full report for details" substitutes nothing: without
# "please" or "instead of", both sides must be quoted.
_PLEASE_READ = re.compile(
    r"(?:^|[,;:]\s*)(?:please\s+read\s+[^;]{1,80}?\s+(?:instead\s+of|in\s+place\s+of|for|and\s+not)\s+\S"
    r"|read\s+[^;]{1,80}?\s+(?:instead\s+of|in\s+place\s+of)\s+\S"
    r"|read\s+[“\"‘'][^;]{1,80}?[”\"’']\s+for\s+[“\"‘'])",
    re.I,
)
# The sentence that closes a note: "This has been corrected.", "The error has been fixed.",
# "An error in the headline has been corrected." Not "This has been fixed." (a changelog's) nor
# "the fault in the lift has been corrected" (a thing, not our words).
_CLOSING = re.compile(
    r"(?:(?:this|that|it)\s+(?:has|had)\s+(?:now\s+|since\s+)?been\s+(?:corrected|amended|rectified)"
    r"|(?:the|these|this|both)\s+(?:errors?|mistakes?|inaccurac(?:y|ies)|typos?)\s+(?:has|have|had)"
    r"\s+(?:now\s+|since\s+)?been\s+(?:corrected|amended|rectified|fixed|removed|put\s+right)"
    rf"|an?\s+(?:errors?|mistakes?|typo|inaccuracy)\s+in\s+(?:the|this|our|an?)\s+(?:[\w'’-]+\s+){{0,3}}?"
    rf"(?:{_PRINTED}|{_PIECE})\s+(?:has|have|had)\s+(?:now\s+|since\s+)?been\s+(?:corrected|amended"
    r"|rectified|fixed|removed)"
    # "An error in the opening hours has been corrected." as a sentence of its own
    r"|an?\s+(?:errors?|mistakes?|typo|inaccuracy)\s+in\s+[^.;,]{1,60}?\s+(?:has|have)\s+been\s+"
    r"(?:corrected|amended))\b[^.;,]*[.!]?\s*$",
    re.I,
)
# "A reference to the former director has been removed.", "A quote has been removed at the
# request of the person quoted.": a part of the text changed, the sentence saying no more than
# where and why (not "... removed from the company's website").
_PART_CHANGED = re.compile(
    rf"(?:an?|the|one|two|three|some|several|this|that|these|those)\s+(?:[\w'’-]+\s+){{0,3}}?"
    rf"{_TEXT_THING}\b[^.;]{{0,80}}?\s+(?:has|have|had)\s+(?:(?:since|now|also|subsequently)\s+)?been\s+"
    r"(?:removed|deleted|corrected|amended|replaced|changed|reworded|rephrased|clarified|updated"
    r"|added|restored|withdrawn)"
    rf"(?:\s+(?:from|in|on|to)\s+(?:this|the|our)\s+(?:[\w-]+\s+)?{_PIECE})?"
    r"(?:\s+(?:at|for|to\s+(?:reflect|protect|avoid|correct|clarify|remove|make)|because|after"
    r"|following|since|as|on\s+legal)\b[^.;]*)?\s*[.!]?\s*",
    re.I,
)
# "The names of ... were transposed in a caption": things a page prints, swapped.
_SWAPPED = re.compile(
    r"\b(?:names|labels|photos|photographs|pictures|images|captions|figures|digits|numbers"
    r"|identities|bylines|credits|headlines|dates|columns|positions)\b[^.;]{0,80}?\s+(?:were|had\s+been"
    r"|have\s+been)\s+(?:(?:inadvertently|mistakenly|accidentally|wrongly)\s+)?(?:transposed"
    r"|reversed|switched|swapped|mixed\s+up|juxtaposed)\b(?!\s+by\b)",
    re.I,
)
# "The wrong map was published with an article on Tuesday", "An incorrect photograph appeared".
_WRONG_THING = re.compile(
    rf"(?:the|an?)\s+{_FALSE_ADJ}\s+(?:[\w'’-]+\s+){{0,2}}?(?:{_TEXT_THING}|names?|figures?|dates?"
    r"|maps?|charts?|graphics?|graphs?|tables?|videos?|illustrations?|bylines?|credits?)\s+"
    r"(?:was|were|had\s+been|has\s+been)\s+(?:(?:originally|initially|mistakenly|inadvertently)\s+)?"
    r"(?:used|published|printed|shown|included|given|displayed|posted|attached|run|selected"
    r"|appeared|placed)\b|(?:the|an?)\s+"
    rf"{_FALSE_ADJ}\s+(?:[\w'’-]+\s+){{0,2}}?(?:photos?|photographs?|pictures?|images?|maps?|charts?"
    r"|graphics?|videos?)\s+(?:appeared|ran)\b",
    re.I,
)
# "To clarify, the levy pays for part of the change."
_TO_CLARIFY = re.compile(
    r"(?:to\s+clarify|for\s+clarity|for\s+the\s+avoidance\s+of\s+doubt)\s*[,:]", re.I
)
# "..., the council said.": the sentence is someone's words, reported.
_ATTRIBUTION = re.compile(
    r"[,;]\s*(?!as\b|not\b|which\b|who\b)(?:[\w'’.-]+\s+){0,5}?(?:said|says|told\s+[\w'’.-]+(?:\s+[\w'’.-]+)?|according\s+to\b[^.;]*"
    r"|(?:he|she|they|it)\s+(?:added|claimed|insisted|argued))"
    # a time or place after the verb: "..., the board's chief executive said on Friday."
    # (two of them: "... the bank's chief executive said in a letter to customers on Monday.")
    r"(?:\s+(?:on|in|at|last|this|yesterday|today|late|earlier)\b[^,;.!?]{0,30}){0,2}"
    r"\s*[.!]?\s*[\"”’']?\s*$",
    re.I,
)
# "Inadvertently, the cost was given as ...": the adverb of error opening the sentence.
_ADVERB_FIRST = re.compile(
    rf"(?:{_ADV}|by\s+mistake|in\s+error|through\s+an\s+oversight)\s*,\s+", re.I
)
# "Marden Court is in Herefordshire, not Hertfordshire (Welcome to the commune, Magazine, page
# 16)": a contrast and, in parentheses, the piece by its title, date or page.
_PAREN_POINTER = re.compile(
    # (a citation, not an aside: "(he told us on Monday)", "(see the table on page 4)")
    r"\((?![^()]*\b(?:he|she|they|we|you|it|i|told|said|says|see|cf)\b)"
    rf"[^()]*(?:\bpage\s*\w?\d|\bp\.?\s*\d|\b\d{{1,2}}\s+{_DATE_WORD}|\b{_DATE_WORD}\s+\d{{1,2}}"
    rf"|\b{_DAY_WORDS})[^()]*\)",
    re.I,
)
# "In a piece about X, Y's name was given as Z", "In Tuesday's story, a quote was attributed
# to Y": a piece of ours pointed to, then a passive of printing with what was printed.
_PRINTED_AS = re.compile(
    rf"\b(?:was|were)\s+(?:(?:{_ADV}|originally|first|also)\s+)?(?:given|described|named|listed"
    r"|identified|spelled|spelt|called|referred\s+to|captioned|credited|labell?ed|attributed"
    r"|printed|shown)\s+(?:as|to)\s+\S",
    re.I,
)
# "AFP has corrected the spelling of ...", "The Herald has removed a paragraph ...": an outlet
# by its name doing to its text what "we have corrected ..." does.
_OUTLET_FIXED = re.compile(
    rf"(?-i:(?:The\s+)?[A-Z][\w.&'’-]*(?:\s+(?:(?:on|of|and|&)\s+)?[A-Z][\w.&'’-]*){{0,3}})\s+(?:has|have)"
    rf"\s+(?:(?:since|now|also|subsequently)\s+)?(?:(?:corrected|amended|fixed|rectified)\s+(?:the|a|an"
    rf"|this|that|these|its)\s+(?:[\w'’-]+\s+){{0,3}}?{_PRINTED}\b|(?:removed|deleted|replaced|changed"
    rf"|updated|reworded|clarified|edited)\s+(?:the|a|an|this|that|these|its)\s+(?:[\w'’-]+\s+){{0,3}}?"
    rf"{_TEXT_THING}\b)",
)
