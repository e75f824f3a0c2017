"""Where a note starts inside a paragraph, and which kind its label or words name.

Half of :mod:`revtrack.corrections.detect`: that module walks a text's paragraphs and decides
which hold notes; this one finds, inside one paragraph, the label ("Correction:", "Editor's
note —", a dated label, an emphasised one), a topic heading before it, or the disclosure
phrase ("An earlier version of this story …") where a note begins, and names the kind. Pure:
text in, offsets out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from revtrack.corrections.forms import names_another_outlet
from revtrack.corrections.model import NoteKind
from revtrack.corrections.note_patterns import (
    _DATETIME,
    _DISCLOSURE_ANY,
    _DISCLOSURE_HEAD,
    _DISCLOSURES,
    _LABEL_COLON,
    _LABEL_DATED,
    _LABEL_EMPHASIS,
    _LABEL_HEAD,
    _LEAD_CLAUSE,
    _REGRET_AT,
    _STANDALONE_PLAIN,
)
from revtrack.corrections.note_text import (
    tidy_label,
)

_SENTENCE_START = re.compile(r"(?:^|(?<=[.!?])[\"”’')\]*_]*\s+|(?<=\n)[ \t]*)(?=\S)")
_MARKUP_LEAD = re.compile(
    r"^(?:\s*>)*\s*(?:[-*+•–—]\s+|\d+\.\s+)?(?:#{1,6}\s+)?(?:[*_]{1,3}(?=[\[(]))?[\[(]?\s*"
    r"(?:\*{1,3}|_{1,3})?\s*"
)


def kind_of_label(label: str) -> NoteKind:
    """The kind a printed label names ("Editor's Note" -> "editors-note")."""
    low = label.lower()
    if low.startswith("correction"):
        return "correction"
    if low.startswith(("clarification", "amplification")):
        return "clarification"
    if "retract" in low or "withdrawn" in low:
        return "retraction"
    if low.startswith(("story", "article", "post", "piece", "headline")):
        return "correction" if re.search(r"correct|amend", low) else "update"
    if low.startswith("update"):
        return "update"
    if low.startswith(
        ("corrected", "errat", "corrig", "apology", "an apology", "for the record", "amend")
    ) or ("correction" in low and "notice" in low):
        return "correction"
    return "editors-note"


def note_kind_from_text(text: str) -> NoteKind:
    """The kind of a note printed without a label, judged from its wording."""
    low = text.lower()
    if re.search(r"\bretract|\b(?:withdrawn|withdrew|unpublished|taken\s+down)\b", low):
        return "retraction"
    if re.search(r"\bclarif", low) and not re.search(r"\bcorrect|\bmis[a-z]+ed\b|\berror", low):
        return "clarification"
    if re.search(
        r"\bcorrect|\berror|\bmis(?:stated|spel|identif|quot|attribut|nam|characteri|report|"
        r"represent|label|describ|dat|gender|translat|transcri|titl|plac)|\bincorrect|\bwrong"
        r"|\berroneous|\binaccura|\bregret|should have|failed to",
        low,
    ):
        return "correction"
    if _SAID_BEFORE.search(low):
        return "correction"
    if re.search(r"\b(?:updated?|changed|amended|revised|modified|edited|expanded|added)\b", low):
        return "update"
    return "editors-note"


# "An earlier version of this story said ...": what an earlier version said is what was fixed.
_SAID_BEFORE = re.compile(
    r"\b(?:earlier|previous|prior|original|first)\s+(?:versions?|drafts?)\b[^.]{0,80}?\b"
    r"(?:said|stated|reported|gave|called|referred|described|named|identified|listed|included"
    r"|attributed|credited|quoted|showed|used|had)\b"
)


@dataclass(frozen=True)
class _Start:
    """Where a note begins inside a paragraph, and what was found there."""

    at: int  # offset in the full text where the note span starts
    body: int  # offset where the note's own words start (after label and date)
    label: str
    date: str
    kind: NoteKind | None  # None: judge from the text
    labelled: bool
    closing: bool = False  # a phrase that ends a note ("We regret the error.")


def _starts_in(text: str, p_start: int, p_end: int) -> list[_Start]:
    """The note starts inside one paragraph, merging a disclosure phrase into its label."""
    found: list[_Start] = []
    paragraph = text[p_start:p_end]
    line_starts = {0} | {m.end() for m in re.finditer(r"\n", paragraph)}
    for m in _SENTENCE_START.finditer(paragraph):
        offset = m.start() if m.start() in line_starts else m.end()
        if found and p_start + offset < found[-1].body:
            continue
        at_line = offset in line_starts
        start = _change_line_at(paragraph, offset, p_start) if at_line else None
        if start is None:
            start = _label_at(paragraph, offset, at_line, p_start)
        if start is None and offset == 0:
            start = _after_topic(paragraph, p_start)
        if start is None:
            start = _disclosure_at(paragraph, offset, p_start)
            if start is not None and found and found[-1].labelled:
                # "Correction: ... An earlier version also ..." is one note; but an update note
                # followed by a correction sentence is two.
                if not (
                    found[-1].kind in ("update", "editors-note") and start.kind == "correction"
                ):
                    continue
            elif start is not None and found and not found[-1].labelled:
                continue
        if start is not None:
            found.append(start)
    return found


# A page's change log (GOV.UK's "show all updates", a policy page's history): a date, a colon
# and a past-tense verb of correction open the line ("12 May 2023: Corrected the fee for
# renewals."). Lines that only add or publish ("First published.", "Added guidance on ...")
# are the page's ordinary history, not notes.
_CHANGE_VERB = re.compile(
    r"[:–—-]\s+(?:corrected|amended\s+to\s+correct|fixed\s+an?\s+error)\b", re.I
)
_CHANGE_LINE = re.compile(
    rf"[ \t•*+–—-]*(?P<date>{_DATETIME})\s*[:–—-]\s+(?=(?:corrected|amended|fixed)\b)", re.I
)


def _change_line_at(paragraph: str, offset: int, base: int) -> _Start | None:
    end = paragraph.find("\n", offset)
    line = paragraph[offset : end if end >= 0 else len(paragraph)]
    if not _CHANGE_VERB.search(line):
        return None
    m = _CHANGE_LINE.match(line)
    if m is None:
        return None
    return _Start(base + offset, base + offset + m.end(), "", m["date"].strip(), "correction", True)


# A few words and a colon before a paragraph's first sentence: "Note:", "Library hours:",
# "Morning Edition, City Radio, 3 March:". A bare "Note:" is an aside, but one whose words are a
# disclosure phrase ("Note: This story has been updated ...") is a note.
_TOPIC_LEAD = re.compile(r"[ \t>*_#]*[A-Z][^:.!?;\n]{0,50}?:[*_]{0,3}\s+(?=\S)")


# A few words around a kind before the colon: "Quick clarification here:", "One correction:",
# "A further clarification:" (a broadcaster's or a live page's label).
_KIND_TOPIC = re.compile(
    r"[ \t>*_#]*(?:(?:an?|one|another|a\s+further|a\s+quick|a\s+brief|quick|brief|small|further"
    r"|important)\s+)+(?P<kind>correction|clarification)(?:\s+(?:here|please|first|too))?"
    r"[*_]{0,3}\s*:[*_]{0,3}\s+(?=\S)",
    re.I,
)


def _after_topic(paragraph: str, base: int) -> _Start | None:
    topic = _TOPIC_LEAD.match(paragraph)
    if topic is None or len(topic.group(0).split()) > 8:
        return None
    start = _disclosure_at(paragraph, topic.end(), base)
    if start is None:
        named = _KIND_TOPIC.match(paragraph)
        if named is None:
            return None
        return _Start(
            base,
            base + named.end(),
            tidy_label(named.group(0).strip(" \t>*_#:")),
            "",
            kind_of_label(named["kind"]),
            labelled=True,
        )
    return _Start(base, base + topic.end(), "", "", start.kind, False, start.closing)


def _label_at(paragraph: str, offset: int, at_line: bool, base: int) -> _Start | None:
    if not _LABEL_HEAD.match(paragraph, offset):
        return None  # no label word where a label would start (most sentences)
    newline = paragraph.find("\n", offset)
    line = paragraph[offset : newline if newline >= 0 else len(paragraph)]
    if at_line:
        candidates = [
            _LABEL_COLON.match(paragraph, offset),
            _LABEL_DATED.match(paragraph, offset),
            _LABEL_EMPHASIS.match(paragraph, offset),
        ]
    else:
        # Mid-paragraph a label needs a colon ("... said. Update: the agency ...").
        m = _LABEL_COLON.match(paragraph, offset)
        candidates = [m] if m and ":" in m.group("sep") else []
    for m in candidates:
        if m is None:
            continue
        if m.re is _LABEL_DATED and not _dated_label_ok(m):
            continue
        if (
            m.re is _LABEL_EMPHASIS
            and not m.group("sep").strip()
            and not _emphasis_body_ok(paragraph[m.end() : m.end() + 2])
        ):
            continue
        label = m.group("label")
        if label.lower() == "retracted" and m.re is not _LABEL_COLON:
            continue
        if not at_line and re.match(r"ed(?!itor)", label, re.I):
            continue  # "... (Ed. note: Not literally.)": an editor's aside inside the text
        date = (m.groupdict().get("date") or "").strip()
        return _Start(
            at=base + offset,
            body=base + m.end(),
            label=tidy_label(label),
            date=date,
            kind=kind_of_label(label),
            labelled=True,
        )
    stripped = _MARKUP_LEAD.sub("", line).strip().strip("*_").strip()
    following = paragraph[offset + len(line) : offset + len(line) + 12].lstrip(" \t\n>*_")
    if (
        at_line
        and _STANDALONE_PLAIN.match(stripped)
        # a heading above the note's words, not a wrapped line ("Update\nyour browser ...")
        and (not following or not following[0].islower())
    ):
        return _Start(
            at=base + offset,
            body=base + offset + len(line),
            label=tidy_label(stripped),
            date="",
            kind=kind_of_label(stripped),
            labelled=True,
        )
    return None


def _dated_label_ok(m: re.Match[str]) -> bool:
    """ "Updated at 3:15 p.m. ET" is a note; "Update May the ..." is not: the date must be real."""
    date = m.group("date")
    return bool(re.search(r"\d", date)) or bool(m.group("sep"))


def _emphasis_body_ok(after: str) -> bool:
    """After "**Correction**" with no colon the note's words follow: a capital or line end."""
    after = after.lstrip(" \t")
    return not after or after[0] == "\n" or after[0].isupper() or after[0] in "“\"'‘[("


def _disclosure_at(paragraph: str, offset: int, base: int) -> _Start | None:
    lead = _MARKUP_LEAD.match(paragraph, offset)
    pos = lead.end() if lead else offset
    found = _disclosure_index(paragraph, pos)
    if found is None:
        clause = _LEAD_CLAUSE.match(paragraph, pos)
        if clause is None:
            return None
        found = _disclosure_index(paragraph, clause.end())
        if found is None:
            return None
    return _Start(
        at=base + offset,
        body=base + offset,
        label="",
        date="",
        kind=_DISCLOSURES[found][1],
        labelled=False,
        closing=found == _REGRET_AT,
    )


def _disclosure_index(paragraph: str, pos: int) -> int | None:
    """The first disclosure phrase that matches at ``pos``, by its index, or None."""
    if not _DISCLOSURE_HEAD.match(paragraph, pos):
        # Only two kinds of phrase open with other words: a regret ("The Gazette regrets the
        # error") and an outlet by its name ("Business Standard has updated this story").
        window = paragraph[pos : pos + 90].lower()
        if "regret" not in window and " has " not in window and " have " not in window:
            return None
    m = _DISCLOSURE_ANY.match(paragraph, pos)
    if m is None or m.lastgroup is None:
        return None
    index = int(m.lastgroup[1:])
    between = m.groupdict().get("between")
    if not (between and names_another_outlet(between)):
        return index
    # "A story in The Clarion wrongly said ...": a story about a story; try the later phrases
    for later in range(index + 1, len(_DISCLOSURES)):
        if _DISCLOSURES[later][0].match(paragraph, pos):
            return later
    return None
