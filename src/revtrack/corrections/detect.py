"""Find reader-facing notes (corrections, clarifications, editor's notes, updates, retractions).

A note is recognised by its *form*, never by one keyword: either a label printed as a label
("Correction:", "**Update**", "_Editor's note:_", "Clarification, March 18, 2022:", "Updated at
3:15 p.m. ET") or one of the fixed disclosure phrases newsrooms use ("An earlier version of this
story ...", "This article has been corrected ...", "We regret the error", "Due to an editing
error ..."). "Update your browser", "Note that the agency ..." or "Updates to the system were
made" have neither form and are ordinary sentences. A bare "Note:" is an author's aside in the
text, not a disclosure to readers, so it is not a note either (unless its body uses a disclosure
phrase, which then makes it one).

Notes are looked for at the start of every paragraph and line (labels) and at the start of
every sentence (disclosure phrases, and labels followed by a colon), so one paragraph can hold
several notes. Markdown emphasis and block quotes around a label are accepted; text extracted
from HTML has none and is handled the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from revtrack.corrections.forms import names_another_outlet, read_form
from revtrack.corrections.grammar import reads_as_note
from revtrack.corrections.model import Note, NoteKind
from revtrack.corrections.note_patterns import (
    _BODY_DATE,
    _DATE_LINE,
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
    clean,
    is_substantive,
    position,
    rstrip_offset,
    short,
    tidy_label,
)
from revtrack.text.lexicon import (
    OWN_PIECES,
    alternation,
)

__all__ = ["detect_notes", "kind_of_label", "note_kind_from_text"]


_SENTENCE_START = re.compile(r"(?:^|(?<=[.!?])[\"”’')\]*_]*\s+|(?<=\n)[ \t]*)(?=\S)")
_MARKUP_LEAD = re.compile(
    r"^(?:\s*>)*\s*(?:[-*+•–—]\s+|\d+\.\s+)?(?:#{1,6}\s+)?(?:[*_]{1,3}(?=[\[(]))?[\[(]?\s*"
    r"(?:\*{1,3}|_{1,3})?\s*"
)
# A paragraph: from a non-space character to the end of the line before a blank one (a line of
# spaces or block-quote marks only). Written line by line, as a per-character alternation is
# slow on long texts.
_PARAGRAPH = re.compile(r"\S[^\n]*(?:\n(?![ \t>]*\n)[^\n]*)*")


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


# Every label and every disclosure phrase above contains one of these stems (case folded):
# "Correction", "Clarification", "Editor's note", "Note to readers", "Update(d)",
# "Retract(ed|ion)", "earlier version/draft/edition", the changed-verbs ("amended", "revised",
# "removed", …), the mis-verbs ("misstated", "wrongly", "inaccurately", "should have",
# "failed to", "originally …"), "regret" and "error"/"mistake". Text without any of them
# holds no note, and most paragraphs a revision touches are such text: checking for the stems
# costs a fraction of trying every pattern at every sentence start.
_STEMS = (
    "correct",
    "clarif",
    "edit",
    "note",
    "updat",
    "retract",
    "version",
    "draft",
    "amend",
    "revis",
    "chang",
    "modif",
    "expand",
    "alter",
    "rewrit",
    "withdr",
    "remov",
    "adjust",
    "fix",
    "mis",
    "wrong",
    "inaccura",
    "should",
    "fail",
    "original",
    "previous",
    "earlier",
    "initial",
    "regret",
    "erro",
    "mistak",
    "errat",
    "corrig",
    "apolog",
    "for the record",
    "amplif",
    "typo",
    "replac",
    "delet",
    "reword",
    "rephras",
    "retitl",
    "taken down",
    "portions of",
    "parts of",
)


def could_hold_note(text: str) -> bool:
    """False only for text in which no label or disclosure phrase can match."""
    folded = text.casefold()
    return any(stem in folded for stem in _STEMS)


class _Layout:
    """Where a paragraph stands: how many of the story's own paragraphs come before and after it.

    Only the first and the last few matter (a note is "top" or "bottom" within two paragraphs of
    an end), so only those are found, on first use: a long text is never scanned whole, and a
    text in which no note starts costs nothing.
    """

    _ENOUGH = 4  # counts are exact up to this; past it, a paragraph is in the body anyway

    def __init__(self, text: str) -> None:
        self.text = text
        self._head: list[int] | None = None  # ends of the first substantive paragraphs
        self._tail: list[int] | None = None  # starts of the last ones

    def before(self, at: int) -> int:
        if self._head is None:
            self._head = []
            for m in _PARAGRAPH.finditer(self.text):
                if is_substantive(m.group(0)):
                    self._head.append(m.end())
                    if len(self._head) > self._ENOUGH:
                        break
        return sum(1 for end in self._head if end <= at)

    def after(self, at: int) -> int:
        if self._tail is None:
            self._tail = self._last_starts()
        return sum(1 for start in self._tail if start >= at)

    def _last_starts(self) -> list[int]:
        text = self.text
        size = 4096
        while True:
            pos = max(0, len(text) - size)
            found = [m for m in _PARAGRAPH.finditer(text, pos)]
            if pos > 0:
                found = found[1:]  # the first may have been cut by ``pos``
            starts = [m.start() for m in found if is_substantive(m.group(0))]
            if pos == 0 or len(starts) > self._ENOUGH:
                return starts[-(self._ENOUGH + 1) :]
            size *= 4


_LAYOUTS: list[tuple[str, _Layout]] = []
"""The layouts of the last texts looked at (held with them, so that identity is safe): an
import looks at each text twice, as a revision's new text and as the next one's old text,
and at several changed places of it each time."""


def _layout_of(text: str) -> _Layout:
    for seen, layout in _LAYOUTS:
        if seen is text:
            return layout
    layout = _Layout(text)
    _LAYOUTS.insert(0, (text, layout))
    del _LAYOUTS[2:]
    return layout


# An unlabelled note form (see :mod:`revtrack.corrections.forms`) needs one of these where it is
# read: a first person, a contrast, a wire advisory's parenthesis, an error word or a reported
# claim. Only paragraphs among the first and last few of a text are read for those forms, so
# this filter is about cost, not precision.
_COMMON_PIECES = frozenset(
    [
        "map",
        "table",
        "guide",
        "video",
        "podcast",
        "blog",
        "timeline",
        "preview",
        "documentary",
        "listing",
        "quiz",
        "puzzle",
        "recipe",
        "review",
        "feature",
        "analysis",
    ]
)
_FORM_CUE = re.compile(
    # (word edges that an underscore of Markdown emphasis does not hide: "_We said ..._")
    r"(?<![^\W_])(?:we|our|not|contrary|regret\w*|apologi[sz]es?|wrongly|incorrectly|erroneously"
    r"|mistakenly|inaccurately|mis[a-z]+ed|misspelt|stated|said|reports?|errors?|mistakes?"
    r"|information|should|corrects|refiles|recasts|clarifies|fixes|updates|typo|transposed"
    r"|reversed|confused|erred|overstated|understated|exaggerated|outdated|wrong|apologies"
    # the changed or swapped parts of a text, a substitution ("been removed", "were transposed",
    # "please read ... instead of")
    r"|been\s+(?:\w+\s+)?(?:corrected|amended|rectified|fixed|removed|deleted|replaced|changed"
    r"|reworded|rephrased|clarified|updated|added|restored|withdrawn|put)|please\s+read"
    r"|instead\s+of|in\s+place\s+of|inadvertently|clarify|clarity"
    r"|ha(?:s|ve)\s+(?:since\s+)?(?:corrected|amended|removed|updated)"
    # pieces a corrections column names, but not the ones every text mentions (a map, a table,
    # a guide, a video): a note about those says "said", "wrongly" or "error" as well
    rf"|{alternation(tuple(p for p in OWN_PIECES if p not in _COMMON_PIECES))})s?(?![^\W_])"
    r"|^[\W_]*(?:[A-Z]+\W*)?\(",
    re.I | re.M,
)


MAX_NOTE_PARAGRAPH = 50_000
"""Characters past which a paragraph is not read for notes at all: a note is a few sentences
(the forms allow 160 words), the longest paragraph of the shared corpora is 15,967 characters,
and a one-line 10 MB text is one paragraph that every pattern would otherwise scan."""


def detect_notes(text: str, start: int = 0, end: int | None = None) -> list[Note]:
    """Every reader-facing note in ``text``, in order of appearance.

    With ``start``/``end``, only notes in the paragraphs of ``text[start:end]`` (whole
    paragraphs, as :mod:`revtrack.corrections.incremental` passes them); where each stands (top,
    bottom, body: what unlabelled forms depend on) is still judged against the whole text, so a
    note is found alike whether the whole text or only its paragraph is looked at.
    """
    stop = len(text) if end is None else end
    layout = _layout_of(text)
    paragraphs = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text, start, stop)]
    notes: list[Note] = []
    skip_to = -1  # paragraphs up to this index were taken as a label's words
    for index, (p_start, p_end) in enumerate(paragraphs):
        if index <= skip_to or p_end - p_start > MAX_NOTE_PARAGRAPH:
            continue
        starts = _starts_in(text, p_start, p_end) if could_hold_note(text[p_start:p_end]) else []
        if not starts or (not starts[0].labelled and starts[0].at > p_start):
            whole = _unlabelled(text, p_start, p_end, layout, starts)
            if whole is not None:
                starts = [whole]
        if not starts:
            continue
        for number, found in enumerate(starts):
            end_at = starts[number + 1].at if number + 1 < len(starts) else p_end
            body_start, body_end = found.body, end_at
            label_only = not clean(text[body_start:body_end])
            date = found.date
            if not label_only and found.labelled and not date:
                # "Correction: March 5, 2024" on a line of its own: a dated label
                dated = _DATE_LINE.match(text, body_start, body_end)
                if dated:
                    date, label_only = dated.group("date").strip(), True
            # A dated label alone is a note of its own ("Updated March 4, 2024" under a byline)
            # unless it names an error: "Correction, March 4:" above the note's words.
            alone = label_only and found.labelled and (not date or found.kind != "update")
            if alone and number + 1 == len(starts) and index + 1 < len(paragraphs):
                # The label stands alone ("**Update**:" or a heading); its words are the next
                # paragraph (after a date on a paragraph of its own, as pages print a box),
                # unless that paragraph is a note of its own.
                k = index + 1
                n_start, n_end = paragraphs[k]
                dated = _DATE_LINE.match(text, n_start, n_end)
                if dated and not date and k + 1 < len(paragraphs):
                    k += 1
                    n_start, n_end = paragraphs[k]
                # "Correction" above "An earlier version ..." is one note, not two; a
                # paragraph too long to be a note's words leaves the label alone.
                following = (
                    None
                    if n_end - n_start > MAX_NOTE_PARAGRAPH
                    else _starts_in(text, n_start, n_end)
                )
                if following is not None and (
                    not following or (len(following) == 1 and not following[0].labelled)
                ):
                    body_start, body_end = n_start, n_end
                    end_at = n_end
                    skip_to = k
                    if k > index + 1 and dated:
                        date = dated.group("date").strip()
            body = clean(text[body_start:body_end]) if not label_only or body_end > p_end else ""
            if not date:
                m = _BODY_DATE.match(text[body_start:body_end])
                if m and found.labelled:
                    date = m.group("date").strip()
                    body = clean(text[body_start + m.end() : body_end])
            if not body and not date:
                continue
            if found.labelled and not _label_body_ok(found.label, found.kind, body):
                continue
            kind = found.kind or note_kind_from_text(body)
            notes.append(
                Note(
                    kind=kind,
                    label=found.label,
                    text=body,
                    start=found.at,
                    end=rstrip_offset(text, found.at, end_at),
                    printed_date=date,
                    position=position(layout.before(p_start), layout.after(max(end_at, p_end))),
                )
            )
    return notes


# Labels that are also the names of other things: "Corrections" (a prison service, a ministry),
# "Publisher's note" (a journal's standing statement on maps and affiliations). Under them a
# paragraph is a note only when its words read as one.
_NOUN_LABELS = frozenset({"corrections", "publisher's note", "publishers' note", "publishers note"})
# An update line that is a product's release note: "Updated 14 March: version 4.2 adds ...".
_RELEASE_LINE = re.compile(r"(?:version|v)\s*\d+(?:\.\d+)+\b|(?:build|release)\s+\d", re.I)


def _label_body_ok(label: str, kind: NoteKind | None, body: str) -> bool:
    """Whether the words under a label may be a note's (see ``_NOUN_LABELS``)."""
    if kind == "update" and _RELEASE_LINE.match(body):
        return False
    if label.lower().replace("’", "'") not in _NOUN_LABELS or not body:
        return True
    if note_kind_from_text(body) != "editors-note" or read_form(body, True) is not None:
        return True
    return any(_disclosure_index(body, m.end()) is not None for m in _SENTENCE_START.finditer(body))


def _unlabelled(
    text: str, p_start: int, p_end: int, layout: _Layout, starts: list[_Start]
) -> _Start | None:
    """The whole paragraph as one note, when it stands at the top or the bottom and is printed
    in a note form (or closes with a regret: "... We regret the error.")."""
    if position(layout.before(p_start), layout.after(p_end)) == "body":
        return None
    if not short(text, p_start, p_end) and not _could_be_wire(text, p_start, p_end):
        # Every form below needs a short paragraph but a wire advisory, which is its first
        # line: so a long one (a one-line 10 MB text) is not searched for cues at all.
        return None
    if not _FORM_CUE.search(text, p_start, p_end):
        return None
    if starts:
        # A disclosure phrase mid-paragraph: the paragraph is one note when the phrase closes
        # it ("... The Times regrets the error.") or the sentences before it are a note's form.
        if not (starts[0].closing or read_form(text[p_start : starts[0].at])):
            return None
        if not short(text, p_start, p_end):
            return None
        return _Start(p_start, p_start, "", "", starts[0].kind, labelled=False)
    # The very first or last paragraph (a long headline may count as one at the top).
    outermost = layout.before(p_start) <= 1 or layout.after(p_end) == 0
    form = read_form(text[p_start:p_end], outermost)
    if form is None:
        # No known form: the paragraph's grammar may still make it one (an admission about our
        # own text, with its wrong/right claims and nobody else speaking).
        if not reads_as_note(text[p_start:p_end]):
            return None
        return _Start(p_start, p_start, "", "", note_kind_from_text(text[p_start:p_end]), False)
    # A note that says what was printed before is a correction, or a clarification when it says
    # so and admits no error ("We said ... To clarify: ...").
    kind = form.kind or note_kind_from_text(text[p_start:p_end])
    if kind not in ("correction", "clarification"):
        kind = "correction"
    return _Start(p_start, p_start, "", "", kind, labelled=False)


_WIRE_LINE = 400
"""Past this length, a first line can be a wire advisory ("(Corrects name of mayor in
paragraph 5)") only if it ends in its closing parenthesis: the other forms of
:func:`revtrack.corrections.forms.read_form`'s advisory end within 200 characters of its verb."""


def _could_be_wire(text: str, p_start: int, p_end: int) -> bool:
    """Whether the paragraph's first line may be a wire advisory (a cheap necessary test)."""
    while p_start < p_end and text[p_start].isspace():
        p_start += 1
    line_end = text.find("\n", p_start, p_end)
    if line_end < 0:
        line_end = p_end
    if line_end - p_start <= _WIRE_LINE:
        return True
    return text[max(p_start, line_end - 8) : line_end].rstrip(" \t*_").endswith(")")


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
