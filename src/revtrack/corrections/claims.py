"""What a note says was wrong: its content words, the kind of error it names, wrong and right.

A correction note is short and formulaic, so a few patterns recover most of what it claims:
the error kind from cue words ("misstated the *number* of islands", "*misspelled* the name"),
the wrong and the right wording from the fixed ways notes print them ("It is March, not
Marsh"; "misnamed as Timmy"; "rather than ..."; "... as we had it"; "should have stated: ...";
"said ... It is ..."), and quoted passages, which are either the wrong or the right words. What
is left after boilerplate ("An earlier version of this story ...") is the note's content words,
matched against the changed sentences by the linker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from revtrack.corrections.words import stem, surface_words
from revtrack.text.lexicon import (
    MONTH_ABBREVIATIONS,
    MONTHS,
    MONTHS_ALSO_WORDS,
    RELATIVE_DAYS,
    STOP_WORDS,
    WEEKDAYS,
    alternation,
)

__all__ = ["NoteClaims", "parse_note"]

# Words every note uses that say nothing about *what* changed.
BOILERPLATE = frozenset(
    [
        "earlier",
        "previous",
        "prior",
        "original",
        "originally",
        "initially",
        "version",
        "versions",
        "draft",
        "story",
        "stories",
        "article",
        "articles",
        "post",
        "blog",
        "report",
        "piece",
        "column",
        "editorial",
        "item",
        "feature",
        "obituary",
        "review",
        "correction",
        "corrections",
        "corrected",
        "correct",
        "correctly",
        "clarification",
        "clarified",
        "clarify",
        "update",
        "updated",
        "updates",
        "amended",
        "amend",
        "revised",
        "modified",
        "changed",
        "edited",
        "misstated",
        "stated",
        "state",
        "said",
        "say",
        "says",
        "incorrectly",
        "erroneously",
        "wrongly",
        "mistakenly",
        "inaccurately",
        "inaccurate",
        "incorrect",
        "wrong",
        "error",
        "errors",
        "mistake",
        "regret",
        "regrets",
        "editing",
        "reporting",
        "misspelled",
        "misspelt",
        "misidentified",
        "misquoted",
        "misnamed",
        "misattributed",
        "misreported",
        "misdescribed",
        "mischaracterized",
        "referred",
        "reference",
        "described",
        "gave",
        "give",
        "given",
        "included",
        "include",
        "including",
        "also",
        "page",
        "week",
        "today",
        "yesterday",
        *WEEKDAYS,
        "times",
        "paper",
        "newspaper",
        "magazine",
        "edition",
        "section",
        "online",
        "print",
        "published",
        "publication",
        "reported",
        "reports",
        "note",
        "fact",
        "actually",
    ]
)

# Cue words naming the kind of error, and the hunk kinds that agree with it.
KIND_CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.I))
    for kind, pattern in (
        (
            "number",
            r"\b(?:numbers?|figures?|amounts?|percentages?|percent|per cent|totals?|count|sum"
            r"|prices?|costs?|tally|statistics?|rates?|budget|population|votes?|margin|score"
            r"|salary|distance|size|quantity|estimates?|how many|age|aged|years? old|height"
            r"|weight|length|capacity|share|proportion|value|levels?|dose|measurements?"
            r"|temperatures?|miles|kilometers|metres|meters|dollars|times greater)\b",
        ),
        (
            "name",
            r"\b(?:names?|named|misnamed|spelled|spelling|misspelled|misspelt|misidentified"
            r"|identified|identity|surname|forename|first name|last name|middle name"
            r"|misattributed|attributed|location|located|place|city|town|village|country"
            r"|address|company|organi[sz]ation|affiliation|title|nickname)\b",
        ),
        (
            "date",
            r"\b(?:dates?|dated|misdated|day|month|year|when|anniversary|timing|deadline)\b",
        ),
        ("quote", r"\b(?:quotes?|quoted|misquoted|quotations?|remarks?|comments?|statements?)\b"),
        ("headline", r"\b(?:headlines?|subheadline|subhead)\b"),
        (
            "sentence-removed",
            r"\b(?:remove|removed|deleted|withdrawn|taken out|no longer includes?)\b",
        ),
        (
            "sentence-added",
            r"\b(?:omitted|omission|failed to (?:note|mention|include|say|disclose)"
            r"|did not (?:note|mention|include|disclose)"
            r"|should have (?:noted|included|mentioned|disclosed))\b",
        ),
        ("negation", r"\b(?:negat\w*|omitted the word not|left out the word)\b"),
    )
)

AGREEING_HUNK_KINDS: dict[str, frozenset[str]] = {
    "number": frozenset({"number"}),
    "name": frozenset({"name", "spelling"}),
    "date": frozenset({"date"}),
    "quote": frozenset({"quote"}),
    "headline": frozenset({"headline"}),
    "sentence-removed": frozenset({"sentence-removed"}),
    "sentence-added": frozenset({"sentence-added"}),
    "negation": frozenset({"negation"}),
}

_QUOTE = re.compile(r"[“\"]([^”\"]{3,300})[”\"]|(?<!\w)[‘']([^’']{3,200})[’'](?!\w)")
_PHRASE_END = (
    r"(?=\s*(?:[,;:.!?()]|\bas\s+(?:we|it|the|was|previously|originally)\b"
    r"|\bin\s+(?:our|the|an?)\b|$))"
)
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (side, re.compile(pattern, re.I))
    for side, pattern in (
        # "It is three, not two." / "She is Cecilia Mo, not Hyunjong." / "Honer, not Horner"
        (
            "right-wrong",
            r"(?P<right>[^,;:.()]{1,60}?),?\s+not\s+(?P<wrong>[^,;:.()]{1,60}?)" + _PHRASE_END,
        ),
        # "X was misnamed as Y" / "misspelled his surname as Y" / "described him as Y"
        (
            "right-wrong",
            r"(?:(?P<right>[^,;:.()]{1,60}?)\s+(?:was|were|is|are|had been)\s+)?"
            r"(?:mis\w+|incorrectly\s+\w+|wrongly\s+\w+|erroneously\s+\w+|described|referred\s+to"
            r"|identified|listed|given|gave|called|put|spelled)\b[^,;:.()]{0,60}?\s+as\s+"
            r"(?P<wrong>[^,;:.()]{1,60}?)" + _PHRASE_END,
        ),
        # Wire advisories: "(Corrects day of week to Tuesday from Wednesday)", "changes ... from
        # Wednesday to Tuesday"
        (
            "right-wrong",
            r"\bto\s+(?P<right>[^,;:.()]{1,40}?)\s+from\s+(?P<wrong>[^,;:.()]{1,40}?)"
            + _PHRASE_END,
        ),
        (
            "right-wrong",
            r"\b(?:corrects?|changes?|changed|corrected|fix(?:es|ed)?)\b[^.;()]{0,60}?\bfrom\s+"
            r"(?P<wrong>[^,;:.()]{1,40}?)\s+to\s+(?P<right>[^,;:.()]{1,40}?)" + _PHRASE_END,
        ),
        # "... 'Coachella for teens', rather than 'Coachella for tweens' ..."
        ("wrong", r"\b(?:rather than|instead of)\s+(?P<wrong>[^,;:.()]{1,60}?)" + _PHRASE_END),
        # "... not a Labour peer as we suggested"
        (
            "wrong",
            r"\bnot\s+(?P<wrong>[^,;:.()]{1,60}?)\s+as\s+we\s+"
            r"(?:had it|said|suggested|reported|stated|wrote|described)",
        ),
        # "said the bridge was 14 meters long. It is 40 meters long."
        (
            "right",
            r"(?:^|[.;]\s+)(?:it|he|she|they|the correct \w+)\s+(?:is|was|are|were|has|had)\s+"
            r"(?:in fact\s+|actually\s+)?(?P<right>[^;.]{1,100})",
        ),
        (
            "right",
            r"\bshould have (?:said|stated|read|been|reported)[:,]?\s+"
            r"(?P<right>[^;]{1,200}?)(?:[.;]\s|$)",
        ),
        ("right", r"\b(?:in fact|actually),?\s+(?P<right>[^;.]{1,100})"),
        # "... in 1931. It opened in 1932." / "It was Sunday."
        ("right", r"(?:^|[.;]\s+)(?:it|he|she|they)\s+(?P<right>\w+\s+(?:in|on|at)\s+[^;.]{1,60})"),
        (
            "wrong",
            r"\b(?:said|stated|reported|wrote|claimed|suggested)\s+(?:that\s+)?(?P<wrong>[^;.]{1,120})",
        ),
    )
)


@dataclass(frozen=True)
class NoteClaims:
    """What a note claims, in the forms the linker matches."""

    words: dict[str, str]  # content stem -> the word as the note printed it
    error_kinds: tuple[str, ...]  # "number", "name", ... in order of first mention
    cues: dict[str, str]  # error kind -> the cue word as printed ("number", "misspelled")
    wrong: tuple[str, ...]  # wordings the note says were wrong
    right: tuple[str, ...]  # wordings the note says are right
    quoted: tuple[str, ...]  # passages the note quotes


_LINK_TARGET = re.compile(r"\]\([^)\s]*\)|<?(?:https?://|www\.)[^\s)>\]]+>?|`")


def parse_note(text: str) -> NoteClaims:
    """Read a note's text (without its label) into :class:`NoteClaims`."""
    # Link targets are addresses, not words the note says (Markdown "[here](https://...)").
    text = " ".join(
        _LINK_TARGET.sub(lambda m: "]" if m.group(0).startswith("]") else " ", text).split()
    )
    kinds: list[str] = []
    cues: dict[str, str] = {}
    cue_positions: list[tuple[int, str, str]] = []
    for kind, pattern in KIND_CUES:
        m = pattern.search(text)
        if m:
            cue_positions.append((m.start(), kind, m.group(0)))
    for _, kind, cue in sorted(cue_positions):
        kinds.append(kind)
        cues[kind] = cue
    cue_stems = {stem(w) for cue in cues.values() for w in surface_words(cue)}

    words: dict[str, str] = {}
    for word in surface_words(text):
        if word in STOP_WORDS or word in BOILERPLATE or (len(word) < 2 and not word.isdigit()):
            continue
        s = stem(word)
        if s in cue_stems or stem(word) in {stem(b) for b in ("misstate", "version")}:
            continue
        words.setdefault(s, word)

    wrong: list[str] = []
    right: list[str] = []
    for side, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            groups = m.groupdict()
            if side in ("right-wrong", "wrong") and groups.get("wrong"):
                _add(wrong, _trim_phrase(groups["wrong"]))
            if side in ("right-wrong", "right") and groups.get("right"):
                _add(right, _trim_right(groups["right"]))
    # Printed wordings tell the kind when no cue word does ("40 loaves, not 400").
    for phrase in (*wrong, *right):
        for kind in _kinds_of_wording(phrase):
            if kind not in kinds:
                kinds.append(kind)
                cues[kind] = phrase
    quoted = tuple(
        q.strip() for m in _QUOTE.finditer(text) for q in m.groups() if q and len(q.split()) >= 1
    )
    return NoteClaims(
        words=words,
        error_kinds=tuple(kinds),
        cues=cues,
        wrong=tuple(wrong),
        right=tuple(right),
        quoted=quoted,
    )


# A year, or a month (but those that are everyday words too), a weekday or a relative day.
_YEAR_OR_MONTH = re.compile(
    r"\b(?:1[5-9]\d\d|20\d\d|"
    + alternation(
        (
            *(m for m in (*MONTHS, *MONTH_ABBREVIATIONS) if m not in MONTHS_ALSO_WORDS),
            *WEEKDAYS,
            *RELATIVE_DAYS,
        )
    )
    + r")\b",
    re.I,
)


def _kinds_of_wording(phrase: str) -> list[str]:
    if _YEAR_OR_MONTH.search(phrase):
        return ["date"]
    if re.search(r"\d", phrase):
        return ["number"]
    if re.search(r"(?:^|\s)[A-Z][a-z]", phrase) and len(phrase.split()) <= 4:
        return ["name"]
    return []


_LEADING = re.compile(
    r"^(?:(?:it|he|she|they|this|that|which|who)\s+)?(?:(?:is|was|are|were|be|been|as|the|a|an)\s+)*",
    re.I,
)


def _trim_phrase(phrase: str) -> str:
    phrase = phrase.strip(" \"'“”‘’")
    return _LEADING.sub("", phrase).strip(" \"'“”‘’")


def _trim_right(phrase: str) -> str:
    """The right wording: the last words before ", not" ("She is Cecilia Mo" -> "Cecilia Mo")."""
    phrase = _trim_phrase(phrase)
    words = phrase.split()
    for i in range(len(words) - 1, -1, -1):
        if words[i].lower() in {"is", "was", "are", "were", "be", "been", "named", "called", "by"}:
            return " ".join(words[i + 1 :])
    return " ".join(words[-6:])


def _add(into: list[str], phrase: str) -> None:
    if phrase and len(phrase) <= 200 and phrase.lower() not in (p.lower() for p in into):
        into.append(phrase)
