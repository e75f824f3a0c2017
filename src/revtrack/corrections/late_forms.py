"""Two note forms read whole from a sentence, kept apart from :mod:`forms`' long list.

* **Found out afterwards**: "Moments after we published the story, it came to our attention
  that it was untrue: ...", "We have since learned that the report was incorrect." The
  admission is that *our* text (it, the story, our report) was wrong, found after publication.
* **An image of ours altered**: "A photograph on Page D12 of Friday's Sports section ... was
  digitally altered, which was not disclosed in the caption." A disclosure that a picture we
  printed was manipulated, pointed to by its page, section or the article it ran with.

Both need our own text as the subject and nobody else speaking; the caller checks reported
speech and attribution as for every form.
"""

from __future__ import annotations

import re

from revtrack.corrections.model import NoteKind

__all__ = ["late_form"]

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


def late_form(sentence: str) -> tuple[str, NoteKind] | None:
    """(form name, kind) when ``sentence`` is in one of this module's forms, else None."""
    low = sentence.lower()
    if ("attention" in low or "since" in low or "later" in low) and _FOUND_OUT.search(sentence):
        return "found-out", "correction"
    if "alter" in low or "manipulat" in low or "doctor" in low or "edited" in low:
        m = _IMAGE_ALTERED.match(sentence)
        if m and _OUR_PAGES.search(m["pointer"]):
            return "image-altered", "correction"
    return None
