"""Two note forms read whole from a sentence, kept apart from :mod:`forms`' long list.

* **Found out afterwards**: "Moments after we published the story, it came to our attention
  that it was untrue: ...", "We have since learned that the report was incorrect." The
  admission is that *our* text (it, the story, our report) was wrong, found after publication.
* **An image of ours altered**: "A photograph on Page D12 of Friday's Sports section ... was
  digitally altered, which was not disclosed in the caption." A disclosure that a picture we
  printed was manipulated, pointed to by its page, section or the article it ran with.

* **A newsroom cause of any name**: "Due to an editing overstep, this article originally
  said ...". The cause is our own process (editing, reporting, production); what it caused is
  said of our text or by us.
* **The authors found an error** (a journal's notice): "Following publication, the authors
  noticed an error in Table 2." Only after "publication": elsewhere the authors are anyone's.

All need our own text as the subject and nobody else speaking; the caller checks reported
speech and attribution as for every form.
"""

from __future__ import annotations

import re

from revtrack.corrections.model import NoteKind

__all__ = ["SPEECH_CHECKED", "late_form"]

_FOUND_OUT = re.compile(
    r"\b(?:it\s+(?:has\s+|had\s+)?(?:came|come)\s+to\s+our\s+attention|we\s+(?:have\s+since|had"
    r"\s+since|later|then|subsequently|since)\s+(?:found|learned|learnt|discovered|realised"
    r"|realized|established))\s+that\s+(?:it|this|the\s+(?:story|article|report|piece|post"
    r"|item)|our\s+(?:[\w-]+\s+)?(?:story|article|report|piece|post|item))\s+(?:was|is|had\s+been"
    r"|contained|included)\s+(?:\w+\s+)?(?:untrue|incorrect|inaccurate|wrong|false|erroneous"
    r"|errors?|mistakes?|misleading|based\s+on\s+incorrect)\b",
    re.I,
)
_IMAGE_ALTERED = re.compile(
    r"^\W*(?:a|an|the)\s+(?:[\w'’-]+\s+)?(?:photo|photograph|picture|image|graphic)s?\b"
    r"(?P<pointer>[^.;]{0,160}?)\b(?:was|were|had\s+been|has\s+been)\s+(?:digitally\s+)?"
    r"(?:altered|manipulated|doctored|edited)\b",
    re.I,
)
# Where the picture ran: a page, a section, a day's paper, the article it went with.
_OUR_PAGES = re.compile(
    r"\bpage\s+[a-z]?\d+\b|\bsection\b|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day['’]s\b"
    r"|\b(?:accompanying|with)\s+(?:an?|the|this|our)\s+(?:[\w'’-]+\s+){0,2}?(?:article|story"
    r"|report|column)\b|\b(?:on|in)\s+(?:this|our)\s+(?:page|site|website|edition)\b",
    re.I,
)

_NEWSROOM_CAUSE = re.compile(
    r"^\W*(?:due\s+to|because\s+of|owing\s+to|through)\s+an?\s+(?:editing|editorial|reporting"
    r"|production|sub-?editing|copy-?editing|transcription|translation|fact-checking)\s+[\w-]+"
    r"\s*,\s+(?P<rest>.*)",
    re.I,
)
_OUR_TEXT = re.compile(
    r"\b(?:we|our)\b|\b(?:this|the)\s+(?:[\w-]+\s+)?(?:article|story|report|piece|post|column"
    r"|headline|caption|photo|photograph|version|paragraph)\b",
    re.I,
)
# Someone else speaking in what the cause led to (a piece of ours may "say": "this article
# originally said" is the claim, not reported speech).
_THEIR_SPEECH = re.compile(
    r"\b(?:told|according\s+to|spokes\w+)\b|\b(?:he|she|they)\s+(?:said|says)\b", re.I
)
# What the cause led to must be an error in our text: "originally said", "misstated", "omitted".
_CAUSED_ERROR = re.compile(
    r"\b(?:originally|incorrectly|wrongly|mistakenly|erroneously|inaccurately)\b|\bmis[a-z]{3,}ed\b"
    r"|\bomitted\b|\bleft\s+out\b|\b(?:was|were)\s+given\s+as\b|\bshould\s+have\b",
    re.I,
)
_AUTHORS_FOUND = re.compile(
    r"\b(?:after|following|since)\s+(?:the\s+)?publication(?:\s+of\s+(?:this|the)\s+(?:article"
    r"|paper|study))?,?\s+(?:the\s+)?authors?\s+(?:have\s+|has\s+)?(?:noticed|found|discovered"
    r"|identified|became\s+aware\s+of|realised|realized|reported)\s+(?:an?\s+|two\s+|several\s+)?"
    r"(?:error|errors|mistake|mistakes|inaccurac\w+)\b",
    re.I,
)


SPEECH_CHECKED = frozenset({"newsroom-cause"})
"""Forms whose own test rules out someone else speaking (the caller checks the others)."""


def late_form(sentence: str) -> tuple[str, NoteKind] | None:
    """(form name, kind) when ``sentence`` is in one of this module's forms, else None."""
    low = sentence.lower()
    if ("attention" in low or "since" in low or "later" in low) and _FOUND_OUT.search(sentence):
        return "found-out", "correction"
    if "alter" in low or "manipulat" in low or "doctor" in low or "edited" in low:
        m = _IMAGE_ALTERED.match(sentence)
        if m and _OUR_PAGES.search(m["pointer"]):
            return "image-altered", "correction"
    if "publication" in low and "author" in low and _AUTHORS_FOUND.search(sentence):
        return "authors-found", "correction"
    m = _NEWSROOM_CAUSE.match(sentence)
    if (
        m
        and _OUR_TEXT.search(m["rest"])
        and _CAUSED_ERROR.search(m["rest"])
        and not _THEIR_SPEECH.search(m["rest"])
    ):
        return "newsroom-cause", "correction"
    return None
