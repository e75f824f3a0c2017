"""The printed shapes of a note that :mod:`revtrack.corrections.detect` looks for: dates in a
label, the labels themselves ("Correction:", "Corrections & Amplifications", "Updated at 3:15
p.m. ET") and the fixed disclosure phrases ("An earlier version of this story ...", "The
headline and standfirst of this article were amended ...", "Due to an editing error ...").

Apart from detection so that each module stays short; nothing here decides anything. Each
disclosure phrase is matched at the start of a sentence, anywhere in a text, so each must be
one no story sentence opens with: a reference to this piece, or to an earlier version of it,
and a verb of error or of change.
"""

from __future__ import annotations

import re

from revtrack.corrections.model import NoteKind
from revtrack.text.lexicon import (
    MONTH_ABBREVIATIONS,
    MONTHS,
    WEEKDAY_ABBREVIATIONS,
    WEEKDAYS,
    alternation,
)

# ----------------------------------------------------------------------------------- dates

# Names longest first ("sept" before "sep"): a label's date may end anywhere, so the longest
# name that fits must be tried first.
_MONTH = rf"(?:{alternation((*MONTHS, *MONTH_ABBREVIATIONS))})\.?"
_WEEKDAY = rf"(?:(?:{alternation((*WEEKDAYS, *WEEKDAY_ABBREVIATIONS))})\.?,?\s+)"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_ZONE = r"(?:\s*(?:[ECMP][SD]?T|GMT|UTC|BST|CET|CEST)\b)"
_TIME = (
    rf"(?:\d{{1,2}}(?:[:.]\d{{2}})?\s*(?:a\.?m\.?|p\.?m\.?)(?![a-z]){_ZONE}?"
    rf"|\d{{1,2}}:\d{{2}}(?![\d]){_ZONE}?|noon{_ZONE}?|midnight{_ZONE}?)"
)
_DAY_DATE = (
    rf"(?:{_WEEKDAY}?(?:{_MONTH}\s+{_DAY}(?:,?\s+\d{{4}})?(?!\d)|{_DAY}\s+{_MONTH}(?:,?\s+\d{{4}})?"
    rf"|{_MONTH}\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}|\d{{1,2}}\.\d{{1,2}}\.\d{{2,4}}))"
)
_WEEKDAY_WORD = rf"(?:{alternation(WEEKDAYS)})"
_DATETIME = (
    rf"(?:{_DAY_DATE}(?:,?\s+(?:at\s+)?{_TIME})?|{_TIME}(?:,?\s+(?:on\s+)?{_DAY_DATE})?"
    rf"|{_WEEKDAY_WORD}\b)"
)

# ---------------------------------------------------------------------------------- labels

_APOS = r"[’'‘`]"
# Two kinds printed as one label: "Corrections & Amplifications", "Clarification and correction",
# "Update/Correction", "Correction, update".
_KIND_WORD = r"(?:corrections?|clarifications?|amplifications?|updates?|retractions?)"
_LABEL_WORDS = (
    rf"(?P<label>corrections?(?:\s*(?:and|&|/|,)\s*{_KIND_WORD})?"
    rf"|(?:clarifications?|amplifications?|updates?)\s*(?:and|&|/)\s*{_KIND_WORD}|clarifications?"
    r"|amplifications?|amendments?|(?:correction|retraction)\s+notice|notice\s+of\s+(?:correction"
    rf"|retraction)|ed(?:s|{_APOS}s)?\.(?:{_APOS}s)?\s*notes?|publisher{_APOS}?s{_APOS}?\s+notes?"
    rf"|editor{_APOS}?s{_APOS}?\s+notes?|editors{_APOS}\s+notes?|(?:an\s+)?editorial\s+note"
    r"|(?:correction|clarification|update)s?\s+to\s+this\s+(?:article|story|report|post|piece)"
    r"|(?:story|article|post|piece|headline)\s+(?:updated|corrected|amended|changed)"
    rf"|(?:a\s+)?note\s+from\s+the\s+editors?|(?:a\s+)?note\s+to\s+(?:our\s+)?readers"
    rf"|for\s+the\s+record"
    # "Update 2:" (a numbered update of a running story)
    rf"|update\s+\d{{1,2}}(?=\s*:)|updated?|updates|corrected|clarified|retraction|retracted"
    rf"|errat(?:um|a)|corrigend(?:um|a)"
    rf"|(?:story|article|report|column|post)\s+(?:withdrawn|retracted)|withdrawn"
    rf"|(?:an\s+)?apology\s+to\s+(?:our\s+)?readers)"
)
# Labels that may stand alone on a plain line (a heading in text taken from HTML).
_STANDALONE_PLAIN = re.compile(
    rf"^(?:correction|clarification|retraction|editor{_APOS}?s{_APOS}?\s+note|editors{_APOS}\s+note"
    r"|erratum|corrigendum|(?:story|article)\s+withdrawn|apology\s+to\s+(?:our\s+)?readers"
    rf"|{_KIND_WORD}\s*(?:and|&|/)\s*{_KIND_WORD}|(?:correction|retraction)\s+notice"
    rf"|notice\s+of\s+(?:correction|retraction)|publisher{_APOS}?s\s+note|ed\.\s*note"
    r"|corrections|(?:a\s+)?note\s+to\s+(?:our\s+)?readers|for\s+the\s+record|(?-i:Update|UPDATE))$",
    re.I,
)
_OPEN = (
    r"(?P<open>[ \t]*(?:>\s*)*(?:#{1,6}\s+)?(?:[-+•–—]\s+|\*\s+(?=\w))?(?:[*_]{1,3}(?=[\[(]))?"
    r"(?P<br>[\[(])?\s*[*_]{0,4}\s*)"
)
_CLOSE = r"(?P<close>\s*[*_]{0,4})"
_DATE_PART = rf"(?:\s*,?\s*[(\[]?\s*(?:at\s+|on\s+)?(?P<date>{_DATETIME})\s*[)\]]?)"
_SEP = (
    r"(?P<sep>\s*[*_]{0,4}\s*[:：]|\s+[-–—]+(?=\s)|\s*[-–—]{2,}"
    r"|(?(br)\s*[\])]\s*(?:\*{1,3}|_{1,3})?\s*[:：–—-]?|(?!)))"
)

# "Correction:", "**Update**:", "Clarification, March 18, 2022:", "Correction (June 5):"
_LABEL_COLON = re.compile(
    rf"{_OPEN}{_LABEL_WORDS}{_CLOSE}{_DATE_PART}?(?P<close2>\s*[*_]{{0,4}}){_SEP}", re.I
)
# "Clarification May 21, 2015 In a previous ...", "Updated at 3:15 p.m. ET", "Correction March 3"
_LABEL_DATED = re.compile(
    rf"{_OPEN}{_LABEL_WORDS}{_CLOSE}\s*,?\s*[(\[]?\s*(?:at\s+|on\s+)?(?P<date>{_DATETIME})\s*[)\]]?"
    rf"(?P<close2>\s*(?:\*{{1,3}}|_{{1,3}})?)(?P<sep>\s*[:：.]|\s+[-–—]+(?=\s))?",
    re.I,
)
# "**Correction** An earlier version ..." / "*Update* The agency ..." : emphasis closes the label.
_LABEL_EMPHASIS = re.compile(
    rf"(?P<open>[ \t]*(?:>\s*)*(?:#{{1,6}}\s+)?(?P<em>[*_]{{1,4}})\s*){_LABEL_WORDS}"
    rf"\s*[*_]{{1,4}}(?P<close>)(?P<sep>\s*[.:]?)(?=\s|$)",
    re.I,
)
# A date printed on a paragraph of its own, between a box's heading and its words.
_DATE_LINE = re.compile(
    rf"\s*[*_]{{0,3}}\s*\(?(?P<date>{_DATETIME})\)?\s*[*_]{{0,3}}\s*[:.]?\s*$", re.I
)
# A printed date at the start of a note's body: "Correction: June 5, 2018 An article ..."
_BODY_DATE = re.compile(
    rf"^\s*(?:\*{{1,3}}|_{{1,3}})?\s*\(?(?P<date>{_DATETIME})\)?(?:\s*(?:\*{{1,3}}|_{{1,3}}))?\s*[:.,–—-]?\s+",
    re.I,
)

# ------------------------------------------------------------------------ disclosure phrases

_DOC = (
    r"(?:story|stories|article|articles|post|blog\s+post|report|piece|column|editorial|obituary"
    r"|review|item|essay|interview|feature|newsletter|analysis|page|headline|summary"
    r"|(?:photo\s+|picture\s+|image\s+)?caption|graphic|chart|map|video|podcast|episode"
    r"|transcript|explainer|profile|correction|dispatch|op-ed|commentary|segment|broadcast|copy"
    r"|fact-?checks?|fact\s+checks?)"
)
_CHANGED = (
    r"(?:corrected|updated|amended|revised|changed|edited|modified|clarified|retracted"
    r"|expanded|altered|rewritten|withdrawn|removed|adjusted|fixed|unpublished|taken\s+down"
    r"|replaced|deleted|reworded|rephrased|retitled)"
)
_MISVERB = (
    r"(?:should\s+not\s+have\s+(?:said|stated|described|referred|called|named|identified|included"
    r"|used|been\s+(?:published|described|called|named|identified|included|used))"
    r"|mis(?:stated|spelled|spelt|identified|quoted|attributed|named|characteri[sz]ed|reported"
    r"|represented|labell?ed|described|dated|gendered|translated|transcribed|titled|placed)"
    r"|incorrectly|erroneously|wrongly|mistakenly|inaccurately|gave\s+an?\s+(?:incorrect|wrong)"
    r"|contained\s+(?:an?\s+)?(?:error|errors|incorrect|inaccura)|included\s+(?:an?\s+|several\s+)?"
    r"(?:error|errors|incorrect|inaccura)|should\s+have\s+(?:said|stated|noted|read|made|been)"
    r"|failed\s+to\s+(?:note|mention|say|disclose|include))"
)
_QUOTED = r"(?:\s+[“\"'‘][^”\"’\n]{1,120}[”\"'’])?"
# "The Gazette regrets the error." ends a note: the sentences before it are the note's words.
_REGRET = (
    r"(?:[\w.&-]+\s+){0,4}regrets?\s+(?:the|this|these|that|those|any)\s+(?:errors?|mistakes?"
    r"|omissions?)"
)
_DISCLOSURE_SOURCES: tuple[tuple[str, NoteKind | None], ...] = (
    # "An earlier version of this story ...", "In a previous version of the article, ..."
    (
        r"(?:in\s+)?(?:an?\s+|the\s+)?(?:(?:earlier|previous|prior)\s+(?:(?:web|online|print|audio"
        r"|broadcast|digital)\s+)?(?:versions?|drafts?|editions?)"
        rf"\s+(?:of\s+(?:this|the|a|an|our)\s+(?:[\w-]+\s+){{0,2}}{_DOC}\b|{_MISVERB}"
        r"|(?:said|stated|reported|referred|described|gave|included|named|had|used)\b)"
        rf"|(?:original|first)\s+versions?\s+of\s+this\s+{_DOC}\b)",
        None,
    ),
    # "The audio version of this story incorrectly says ...": a version of this piece erred.
    (
        r"(?:the|this|our|an?)\s+(?:(?:web|online|print|audio|broadcast|digital|radio|television|tv"
        r"|video|podcast|original|first|initial|english|translated)\s+)?versions?\s+of\s+(?:this|our)"
        rf"\s+(?:[\w-]+\s+)?{_DOC}\b[^.!?\n]{{0,40}}?\s+(?:{_MISVERB})",
        "correction",
    ),
    # "An earlier headline on this story said ...", "A previous caption misidentified ..."
    (
        r"(?:an?\s+|the\s+)?(?:earlier|previous|prior|original)\s+(?:headlines?|(?:photo\s+)?captions?"
        rf"|graphics?|charts?|maps?|photos?|images?)\b[^.!?\n]{{0,80}}?\b(?:{_MISVERB}"
        r"|said|stated|reported|referred|described|gave|named|called|showed|identified)\b",
        "correction",
    ),
    # "The headline and standfirst of this article were amended ...", "The photograph
    # accompanying this article has been replaced", "The online version of this story has been
    # corrected": a part or a version of this piece as the subject.
    (
        r"(?:the|this|our|an?|one|two|some|several)\s+(?:[\w'’-]+\s+){0,5}?(?:of|on|in|with|from"
        rf"|for|accompanying|illustrating|under|above|below)\s+(?:this|our)\s+(?:[\w-]+\s+)?{_DOC}\b"
        r"[^.!?\n]{0,40}?\s+(?:(?:has|have|had)\s+been|was|were)\s+"
        rf"(?:(?:since|subsequently|further|also|now)\s+)?{_CHANGED}\b",
        None,
    ),
    # "Some dates in this article were inaccurate", "Two figures in this story were wrong": a part
    # of this piece, and an adjective of error.
    (
        r"(?:the|some|several|one|two|three|a\s+few|many)\s+(?:[\w'’-]+\s+){0,3}?(?:in|of|on)\s+this"
        rf"\s+(?:[\w-]+\s+)?{_DOC}\b[^.!?\n]{{0,30}}?\s+(?:was|were|is|are)\s+(?:\w+ly\s+)?"
        r"(?:inaccurate|incorrect|wrong|erroneous|misleading|outdated|out\s+of\s+date|mistaken)\b",
        "correction",
    ),
    # "Previously, this article said ...", "Originally, the story stated ..."
    (
        r"(?:previously|originally|initially|earlier)\s*,\s+(?:this|the|our)\s+(?:[\w-]+\s+)?"
        rf"{_DOC}\s+(?:\w+ly\s+)?(?:{_MISVERB}|said|stated|reported|gave|named|called|referred"
        r"|described|listed|identified|had|included|showed|used|quoted|attributed)\b",
        "correction",
    ),
    # "This is a corrected version of a story first published ...", "This is an updated story."
    (
        r"this\s+is\s+an?\s+(?:corrected|amended|revised|clarified|updated)\s+(?:version|copy"
        rf"|{_DOC})\b(?!\s+of\s+(?!(?:an?|the|this|our)\s+(?:[\w-]+\s+)?{_DOC}\b))",
        None,
    ),
    # "This story did not meet our editorial standards", "The column should not have run."
    (
        rf"(?:this|the|our)\s+(?:[\w-]+\s+)?{_DOC}\s+(?:(?:did|does)\s+not|didn{_APOS}t|failed\s+to)"
        r"\s+meet\s+(?:our|the\s+\w+(?:['’]s)?\s+(?:editorial|journalistic)|(?:editorial|journalistic))"
        r"\s+(?:\w+\s+)?standards?|(?:this|the|our)\s+(?:[\w-]+\s+)?"
        rf"{_DOC}\s+should\s+not\s+have\s+(?:been\s+published|been\s+posted|run|appeared|aired)",
        "editors-note",
    ),
    # "This article was originally published with an incorrect headline."
    (
        rf"(?:this|the)\s+(?:[\w-]+\s+)?{_DOC}\s+(?:was|were|had\s+been)\s+(?:originally|initially"
        r"|first|previously)\s+(?:published|posted|printed|broadcast|aired|headlined|titled"
        r"|illustrated|accompanied|captioned)\b[^.!?\n]{0,40}?\b(?:incorrect|wrong|inaccurate"
        r"|erroneous|outdated|misleading|in\s+error|by\s+mistake|mistakenly)",
        "correction",
    ),
    # "In the print edition of this article, ...": a version of this piece pointed to
    (
        r"in\s+(?:the|an?)\s+(?:print|online|web|audio|broadcast|digital|original|first|radio"
        rf"|television|tv)\s+(?:version|edition)s?\s+of\s+(?:this|our)\s+(?:[\w-]+\s+)?{_DOC}\b",
        None,
    ),
    # "Spelling of Aoife Brannigan's name corrected on March 5.": a change log of the text
    (
        r"(?:the\s+)?(?:spelling|name|names|date|figure|figures|headline|caption|title|age|quote"
        r"|quotation|byline|photo|photograph|typo|typos|error|errors)\b[^.!?\n]{0,60}?\s+(?:corrected"
        rf"|amended|fixed)\s+(?:on\s+{_DATETIME}|at\s+{_DATETIME}|in\s+(?:this|an\s+earlier)\b)",
        "correction",
    ),
    # "Headline changed to make clear ...", "Photo updated to show ...": a changed part as a line
    (
        r"(?:headline|photo|photograph|caption|title|subheading|standfirst|byline|image)s?\s+"
        r"(?:changed|updated|amended|corrected|replaced|edited)\s+(?:on\s+\S+(?:\s+\d+)?,?\s+)?"
        r"to\s+(?:make|reflect|show|correct|clarify|include|remove|better|add|fix)\b",
        None,
    ),
    # "Updated with comment from the council." (an update note without a date or a colon)
    (
        r"updated\s+(?:on\s+\S+(?:\s+\d+)?,?\s+)?(?:with|to\s+include)\s+(?:(?:new|additional|further"
        r"|more|the\s+latest|latest|fresh)\s+)?(?:details?|information|comments?|reaction|quotes?"
        r"|(?:a\s+)?response|(?:a\s+)?statement|figures|photos?|video|background|context|analysis"
        r"|results?)\b[^,\n]*$",
        "update",
    ),
    # "This article has been corrected to ...", "The story "X" has been updated ..."
    (
        rf"(?:this|the|our)\s+(?:[\w-]+\s+)?{_DOC}{_QUOTED}"
        rf"(?:\s+(?:on|of|in|with|for|accompanying)\s+(?:this|the)\s+{_DOC})?"
        r"\s+(?:(?:has|have|had)\s+been|was|were|is)\s+"
        rf"(?:(?:since|subsequently|further|also)\s+)?{_CHANGED}\b",
        None,
    ),
    # "We have corrected this article.", "A correction has been made to this story."
    (
        r"we(?:['’]ve|\s+have|\s+had)?\s+(?:(?:since|now|also|subsequently)\s+)?"
        r"(?:corrected|updated|amended|clarified|changed|revised|edited|withdrawn|retracted"
        rf"|removed|unpublished|taken\s+down)\s+(?:this|the|our|that)\s+(?:[\w-]+\s+)?{_DOC}\b"
        # "Business Standard has updated this story to correct ...": the outlet by its name
        r"|(?-i:(?:The\s+)?[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,3})\s+(?:has|have)\s+"
        r"(?:(?:since|now|also|subsequently)\s+)?(?:corrected|updated|amended|clarified|revised"
        rf"|edited|changed|withdrawn|retracted|removed)\s+this\s+(?:[\w-]+\s+)?{_DOC}\b"
        r"|(?:an?\s+)?(?:corrections?|clarifications?)\s+(?:(?:has|have)\s+been|was|were)\s+"
        r"(?:made|appended|added|issued)\s+to\s+(?:this|the)\b",
        None,
    ),
    # AP's "This version corrects the spelling of ...", "This story replaces ..."
    (
        r"this\s+(?:version|story|article|item|report|post)(?:\s+of\s+(?:this|the)\s+(?:story|article"
        r"|report|post))?\s+(?:corrects|clarifies|fixes"
        r"|replaces|removes|updates|adds)\b",
        None,
    ),
    # "This story originally misstated ...", "This article misspelled ...", "The story
    # previously said ..."
    (
        rf"this\s+(?:[\w-]+\s+)?{_DOC}\s+(?:(?:originally|previously|initially|also)\s+)?"
        rf"(?:{_MISVERB}|(?:originally|previously|initially)\s+\w+)"
        rf"|the\s+{_DOC}\s+(?:originally|previously|initially)\s+(?:{_MISVERB}|said|stated|reported"
        r"|gave|named|called|referred|described|listed|identified|included|showed|quoted)\b",
        None,
    ),
    # Corrections-column form: "An article Wednesday about ... misstated ..."
    (
        r"(?:an?|the)\s+(?:[\w-]+\s+){0,2}(?:article|story|headline|caption|obituary|editorial"
        r"|column|review|feature|profile|graphic|chart|map)\b(?P<between>[^.!?\n]{0,200}?)\b"
        r"(?:mis(?:stated|spelled|spelt|identified|quoted|attributed|named|characteri[sz]ed"
        r"|described|reported|labell?ed|dated)|incorrectly|erroneously|wrongly"
        r"|should\s+have\s+(?:said|stated|noted|read|been|referred|described|made\s+clear|mentioned"
        r"|included|disclosed|explained|pointed\s+out|credited|attributed|identified|called|named)"
        r"|should\s+not\s+have\s+(?:said|stated|described|referred|called|named|identified"
        r"|included|used|been))\b",
        None,
    ),
    (_REGRET, "correction"),
    # "Due to an editing error ...": an error only a newsroom makes. A technical or printing
    # error is anyone's ("due to a technical error, flights were delayed"): it is a note's when
    # the sentence goes on to a piece or a version of ours.
    (
        r"(?:due\s+to|because\s+of|owing\s+to|as\s+a\s+result\s+of|through)\s+(?:an?\s+)?"
        r"(?:editing|editorial|reporting|production|transcription|typographical|translation"
        r"|copy-?editing|fact-?checking|sub-?editing|subbing|proofreading|captioning)\s+(?:error|mistake)"
        r"|(?:due\s+to|because\s+of|owing\s+to|as\s+a\s+result\s+of)\s+(?:an?\s+)?(?:technical"
        r"|research|printing|layout|design|data|clerical|processing|production|coding|scheduling)?\s*"
        r"(?:error|mistake|typo|glitch)s?\b[^.!?\n]{0,60}?\b(?:(?:this|our)\s+(?:[\w-]+\s+)?"
        rf"{_DOC}|(?:an?|the)\s+(?:earlier|previous|original)\s+version|we)\b",
        "correction",
    ),
    (
        # (an outlet by its name: "The Gazette has withdrawn ...", not "The university has ...")
        r"(?:we|(?-i:[Tt]he\s+[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*)?|[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*)?))"
        r"\s+(?:has|have)\s+(?:\w+ly\s+)?(?:retracted|withdrawn|unpublished)\s+(?:this|our|the|its)"
        r"|we\s+(?:hereby\s+)?(?:retract|withdraw)\s+(?:this|our)\s+(?:[\w-]+\s+)?(?:story|article|report"
        r"|column|post|piece|claims?)\b"
        r"|(?:we|the\s+\w+(?:\s+\w+)?)\s+(?:(?:is|are)\s+(?:retracting|withdrawing)|retracts|withdraws"
        r"|(?:has|have)\s+decided\s+to\s+(?:retract|withdraw|unpublish))\s+(?:this|our|its)\s+"
        rf"(?:[\w-]+\s+)?(?:{_DOC}|claims?|reporting)\b",
        "retraction",
    ),
    # "Updated to correct the spelling of ...", "Corrected to show ..."
    (
        r"(?:updated|corrected|clarified|amended|edited|revised)\s+"
        rf"(?:(?:on\s+\S+(?:\s+\d+)?|(?:(?:on|at)\s+)?{_DATETIME}),?\s+)?"
        r"to\s+(?:correct|clarify|reflect|include|add|remove|fix|show|note)\b",
        None,
    ),
    (
        rf"(?:corrections?|clarifications?|updates?|editor{_APOS}?s{_APOS}?\s+notes?)\s+"
        r"(?:(?:has|have)\s+been\s+)?appended\b",
        None,
    ),
    # "This story was published in error", "Portions of this article were copied from ..."
    (
        rf"(?:this|the)\s+(?:[\w-]+\s+)?{_DOC}\s+(?:was|were|has\s+been|had\s+been)\s+"
        r"(?:published|posted|sent|distributed|issued|broadcast|aired)\s+(?:in\s+error|prematurely"
        r"|by\s+mistake|mistakenly)"
        rf"|(?:portions|parts|passages|sections|some|much)\s+of\s+this\s+(?:[\w-]+\s+)?{_DOC}\s+"
        r"(?:were|was|have\s+been|had\s+been)\s+(?:plagiari[sz]ed|copied|lifted|taken|fabricated"
        r"|(?:not\s+properly|improperly)\s+attributed)",
        "editors-note",
    ),
    # "This article was first published on 3 March and has been updated ..."
    (
        rf"(?:this|the)\s+(?:[\w-]+\s+)?{_DOC}\s+(?:was|has\s+been)\s+(?:originally|first)\s+"
        rf"(?:published|posted|printed|broadcast|aired)\b[^.!?\n]{{0,60}}?\s+and\s+(?:has|had)\s+"
        rf"(?:since\s+)?been\s+{_CHANGED}\b",
        None,
    ),
)
_DISCLOSURES = tuple((re.compile(p, re.I), k) for p, k in _DISCLOSURE_SOURCES)
# All of them as one pattern, tried once at a sentence start (one call instead of one a
# phrase): group ``d<i>`` is phrase i, and the first phrase that matches wins, as in order.
_DISCLOSURE_ANY = re.compile(
    "|".join(f"(?P<d{i}>{p})" for i, (p, _) in enumerate(_DISCLOSURE_SOURCES)), re.I
)
# The words the disclosure phrases open with (but a regret's and an outlet's name, which the
# caller looks for apart): a sentence opening otherwise holds none of them.
_DISCLOSURE_HEAD = re.compile(
    r"(?:in|an?|the|earlier|previous|prior|original|first|this|our|one|two|some|several"
    r"|previously|originally|initially|headlines?|photos?|photographs?|captions?|titles?"
    r"|subheadings?|standfirsts?|bylines?|images?|spelling|names?|dates?|figures?|age|quotes?"
    r"|quotations?|typos?|errors?|updated|corrected|clarified|amended|edited|revised|we"
    r"|corrections?|clarifications?|updates?|editors?|portions|parts|passages|sections|much|due"
    r"|because|owing|as|through)\b",
    re.I,
)
# The words a label opens with, after its markup: "Correction", "Ed. note", "For the record".
_LABEL_HEAD = re.compile(
    r"[ \t>#*_\[(•+–—-]*(?:correct|clarif|amplif|updat|amend|retract|notice|ed|publisher|editor"
    r"|an?\s|note|for\s+the|errat|corrig|story|article|report|column|post|piece|headline"
    r"|withdrawn|apology)",
    re.I,
)
_REGRET_AT = next(i for i, (p, _) in enumerate(_DISCLOSURE_SOURCES) if p == _REGRET)

# A short clause before a disclosure: "In response to readers' questions, this story has been
# updated ...", "Since publication, this article has been amended ...", "Following a
# complaint, we have removed this article."
_LEAD_CLAUSE = re.compile(
    r"(?:in\s+response\s+to|following|after|at\s+the\s+request\s+of|because\s+of|since"
    r"|in\s+light\s+of|as\s+a\s+result\s+of|upon|on)\b[^,.;:!?\n]{0,60},\s+"
    # and what follows it names this piece, a version of it or us ("since both terms are used,
    # the article ... should ..." is a talk page's argument)
    r"(?=(?:this|these|we|our|an?\s+(?:earlier|previous|prior)|the\s+(?:earlier|previous|prior"
    r"|original|online|print))\b)",
    re.I,
)
