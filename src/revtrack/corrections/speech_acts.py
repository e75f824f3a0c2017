"""What a first-person verb did, and whose words a quotation holds: the two readings a note's
words share with ordinary prose.

A note's "we said / called / reported / described / gave / referred" reports a claim our text
made ("We called the bridge 12 km long.", "We reported that the fare would rise."). The same
verbs in a story or a blog's first-person prose are acts toward someone ("We called the board
on Monday.", "We reported the fault to the council.", "We gave the drivers a pay rise."):
followed by a right-looking fact ("It did not answer.", "It has been fixed.") they read like a
note's admission and its correction, and are not. :func:`act_not_claim` tells them apart by
what follows the verb: a person or body the act was done to, a phone call's time, a gift's
receiver — never what a claim has (a content, "as", "that").

A paragraph that opens with a quotation closed by its speaker ('"We said we would finish in
2027. It will be 2029," the chairman said.') is someone's words, whatever they say
(:func:`quoted_speech`).

And a claim of ours followed by a fact is a correction only when the fact sets that claim
right (:func:`restates`): "We named the project Beacon. It launched in 2021." goes on with the
story.
"""

from __future__ import annotations

import re

from revtrack.text.lexicon import NUMBER_WORDS

__all__ = ["act_not_claim", "quoted_speech", "restates"]

_OBJECT = r"(?:the|a|an|this|that|these|those|it|them|his|her|its|their|our|my)\b"
# "reported the fault to the council", "described our plans to the board", "referred the matter
# to the ombudsman": an object handed to someone (not "to be", "to include": a claim's verb).
_TO_SOMEONE = re.compile(
    rf"\s+{_OBJECT}[^.;,:]{{0,40}}?\s+to\s+(?:the|a|an|our|his|her|their|its|him|them|us|you"
    r"|police|(?-i:[A-Z]))",
    re.I,
)
# "called the board on Monday", "called the minister at home to ask", "called for / off / in"
_CALLED_SOMEONE = re.compile(
    r"\s+(?:for|on|off|up|in|back|out|round|by)\b"
    rf"|\s+(?:{_OBJECT}|him|them|us)(?:\s+[\w'’-]+){{0,3}}?\s+(?:on|at|last|yesterday|this"
    r"|to\s+(?:ask|say|tell|check|confirm|request)|for\s+(?:a\s+)?comment)\b",
    re.I,
)
# "gave the drivers a pay rise", "gave him a lift": a receiver, then the thing given
_GAVE_SOMEONE = re.compile(
    r"\s+(?:(?:the|his|her|their|our|its)\s+(?:[\w'’-]+\s+){0,2}?|him\s+|them\s+|us\s+)"
    r"(?:a|an|some|\d[\d,.]*)\s",
    re.I,
)
_WROTE_TO = re.compile(r"\s+(?:back\s+)?to\s+(?!say\b|correct\b)", re.I)
_HANDED = frozenset({"reported", "described", "explained", "referred", "sent", "showed"})


def act_not_claim(verb: str, sentence: str, at: int) -> bool:
    """Whether ``verb`` (ending at ``at`` in ``sentence``) is an act toward someone rather than
    a claim our text made: what follows it names whom it was done to."""
    verb = verb.lower()
    if verb == "called":
        return _CALLED_SOMEONE.match(sentence, at) is not None
    if verb == "gave":
        return _GAVE_SOMEONE.match(sentence, at) is not None
    if verb in _HANDED:
        return _TO_SOMEONE.match(sentence, at) is not None
    if verb == "wrote":
        return _WROTE_TO.match(sentence, at) is not None  # "We wrote to the council in March."
    return False


_QUOTED_THEN_SPEAKER = re.compile(
    r"\s*[“\"‘'][^”\"]{2,400}?[,.!?]?[”\"’']\s*,?\s*(?:[\w'’.-]+\s+){0,6}?"
    r"(?:said|says|told|tells|added|adds|wrote|writes|explained|insisted|admitted|argued)\b",
    re.I,
)


def quoted_speech(paragraph: str) -> bool:
    """Whether the paragraph opens with someone's quoted words followed by who said them."""
    first = paragraph.lstrip()[:1]
    return bool(first) and first in "“\"‘'" and _QUOTED_THEN_SPEAKER.match(paragraph) is not None


_CONTENT_WORD = re.compile(r"[A-Za-z][a-z'’-]{3,}")
_NAME_WORD = re.compile(r"(?<=[\w,;:] )(?-i:[A-Z])[\w'’-]+")
_NUMBER = re.compile(rf"\d|\b(?:{'|'.join(NUMBER_WORDS)})\b", re.I)
# A state or rank the right fact may set against the claim: "It will remain open.", "It is the
# second largest."
_STATE = re.compile(
    r"\b(?:open|closed|alive|dead|male|female|first|second|third|fourth|fifth|only|last"
    r"|largest|smallest|oldest|youngest|biggest|highest|lowest)\b",
    re.I,
)
_DENIAL = re.compile(r"\b(?:not|never|no|nor)\b|n['’]t\b", re.I)


def restates(claim: str, fact: str) -> bool:
    """Whether the right fact after a claim of ours sets that claim right: it says the same
    thing of the same subject ("We said the route would cost $4.8 million. It will cost $4.2
    million."), gives the same kind of value (a number for a number, a name for a name: "We
    referred to her as Scottish. She is Irish.") or denies it ("It will not."). A sentence that
    goes on with the story ("We named the project Beacon. It launched in 2021.") does not."""
    fact_rest = fact.split(None, 1)[1] if " " in fact else ""
    if _DENIAL.search(fact_rest) or _STATE.search(fact_rest):
        return True
    if _NUMBER.search(claim) and _NUMBER.search(fact_rest):
        return True
    if _NAME_WORD.search(claim) and _NAME_WORD.search(" " + fact_rest):
        return True
    said = {w.lower() for w in _CONTENT_WORD.findall(claim)} - _CLAIM_VERBS
    return bool(said & {w.lower() for w in _CONTENT_WORD.findall(fact_rest)})


_CLAIM_VERBS = frozenset(
    (
        *("said", "stated", "reported", "wrote", "called", "referred", "described", "named"),
        *("identified", "gave", "published", "quoted", "attributed", "credited", "listed"),
        *("suggested", "implied", "printed", "that", "were", "have", "this", "with", "would"),
        "will",
    )
)
