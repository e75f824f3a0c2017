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
from dataclasses import replace
from functools import lru_cache

from revtrack.corrections.forms import read_form
from revtrack.corrections.grammar import (
    features,
    letter_voice,
    reads_as_note,
    someone_else_fixed,
)
from revtrack.corrections.model import Note, NoteKind
from revtrack.corrections.note_patterns import (
    _BODY_DATE,
    _DATE_LINE,
)
from revtrack.corrections.note_starts import (
    _SENTENCE_START,
    _disclosure_index,
    _Start,
    _starts_in,
    kind_of_label,
    note_kind_from_text,
)
from revtrack.corrections.note_text import (
    clean,
    is_substantive,
    position,
    rstrip_offset,
    short,
)
from revtrack.corrections.speech_acts import quoted_speech
from revtrack.text.lexicon import (
    OWN_PIECES,
    alternation,
)

__all__ = ["detect_notes", "kind_of_label", "note_kind_from_text"]


# A paragraph: from a non-space character to the end of the line before a blank one (a line of
# spaces or block-quote marks only). Written line by line, as a per-character alternation is
# slow on long texts.
_PARAGRAPH = re.compile(r"\S[^\n]*(?:\n(?![ \t>]*\n)[^\n]*)*")


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
        starts = _paragraph_starts(text, p_start, p_end)
        if not starts or (not starts[0].labelled and starts[0].at > p_start):
            whole = _unlabelled(text, p_start, p_end, layout, starts)
            if whole is not None:
                starts = [whole]
        if not starts:
            continue
        if not starts[0].labelled and _someones_words(text[p_start:p_end]):
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
                    else _paragraph_starts(text, n_start, n_end, gated=False)
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
    if "notice" in label.lower() and someone_else_fixed(body):
        # "Notice of correction: the electoral commission has corrected the polling station
        # address ...": a public notice of someone else's correction, not ours
        return False
    if label.lower().replace("’", "'") not in _NOUN_LABELS or not body:
        return True
    if note_kind_from_text(body) != "editors-note" or read_form(body, True) is not None:
        return True
    return any(_disclosure_index(body, m.end()) is not None for m in _SENTENCE_START.finditer(body))


_CACHED_PARAGRAPH = 4096
"""Paragraphs up to this many characters have their reading kept (:func:`_paragraph_starts`,
:func:`_unlabelled`). An import reads each text twice, as a revision's new text and as the
next one's old text, and the paragraphs beside every change again: of the 30,075 paragraph
readings of the 18F blog's git history, 9,929 are distinct. A reading depends on the
paragraph's characters only (and, for an unlabelled form, on where it stands), so it is kept
by them; longer paragraphs (story text, never a note's) are read afresh rather than held."""


def _shifted(start: _Start, by: int) -> _Start:
    return replace(start, at=start.at + by, body=start.body + by) if by else start


@lru_cache(maxsize=4096)
def _starts_of(paragraph: str, gated: bool) -> tuple[_Start, ...]:
    """The note starts of a paragraph, offsets from its first character; ``gated``: none
    where :func:`could_hold_note` says none can be (what the paragraph loop asks)."""
    if gated and not could_hold_note(paragraph):
        return ()
    return tuple(_starts_in(paragraph, 0, len(paragraph)))


def _paragraph_starts(text: str, p_start: int, p_end: int, gated: bool = True) -> list[_Start]:
    """The note starts inside ``text[p_start:p_end]``, offsets in ``text``."""
    if p_end - p_start > _CACHED_PARAGRAPH:
        if gated and not could_hold_note(text[p_start:p_end]):
            return []
        return _starts_in(text, p_start, p_end)
    return [_shifted(s, p_start) for s in _starts_of(text[p_start:p_end], gated)]


def _someones_words(paragraph: str) -> bool:
    """A reader's or a letter writer's words about a text ("A reader writes: the article
    misstated ...", "In a letter to the editor, X said an earlier report had wrongly ..."), or
    a quotation closed by its speaker: the one who says our text erred is not us."""
    return letter_voice(paragraph) or quoted_speech(paragraph)


def _unlabelled(
    text: str, p_start: int, p_end: int, layout: _Layout, starts: list[_Start]
) -> _Start | None:
    """The whole paragraph as one note, when it stands at the top or the bottom and is printed
    in a note form (or closes with a regret: "... We regret the error.")."""
    if position(layout.before(p_start), layout.after(p_end)) == "body":
        return None
    # The very first or last paragraph (a long headline may count as one at the top).
    outermost = layout.before(p_start) <= 1 or layout.after(p_end) == 0
    # A paragraph that does not open its line (indented) is read as it stands in the text: a
    # wire advisory's "^(" needs a line start.
    line_start = p_start == 0 or text[p_start - 1] == "\n"
    read = _read_unlabelled if p_end - p_start <= _CACHED_PARAGRAPH else _unlabelled_in
    found = read(
        text[p_start:p_end], outermost, line_start, tuple(_shifted(s, -p_start) for s in starts)
    )
    return None if found is None else _shifted(found, p_start)


def _unlabelled_in(
    paragraph: str, outermost: bool, line_start: bool, starts: tuple[_Start, ...]
) -> _Start | None:
    """:func:`_unlabelled` for a paragraph at the top or the bottom; offsets from its start."""
    p_start, p_end, text = 0, len(paragraph), paragraph
    if not short(text, p_start, p_end) and not _could_be_wire(text, p_start, p_end):
        # Every form below needs a short paragraph but a wire advisory, which is its first
        # line: so a long one (a one-line 10 MB text) is not searched for cues at all.
        return None
    if not (_FORM_CUE.search(text) if line_start else _FORM_CUE.search(" " + text, 1)):
        return None
    if _someones_words(paragraph):
        return None
    if starts:
        # A disclosure phrase mid-paragraph: the paragraph is one note when the phrase closes
        # it ("... The Times regrets the error.") or the sentences before it are a note's form.
        if not (starts[0].closing or read_form(text[p_start : starts[0].at])):
            return None
        if not short(text, p_start, p_end):
            return None
        return _Start(p_start, p_start, "", "", starts[0].kind, labelled=False)
    form = read_form(text[p_start:p_end], outermost)
    if form is None:
        # No known form: the paragraph's grammar may still make it one (an admission about our
        # own text, with its wrong/right claims and nobody else speaking).
        paragraph = text[p_start:p_end]
        if not reads_as_note(paragraph):
            return None
        kind = note_kind_from_text(paragraph)
        if kind == "editors-note" and features(paragraph) & _ADMITS_ERROR:
            kind = "correction"  # "We said on Tuesday ... It will last three.": no label, an error
        return _Start(p_start, p_start, "", "", kind, False)
    # A note that says what was printed before is a correction, or a clarification when it says
    # so and admits no error ("We said ... To clarify: ...").
    kind = form.kind or note_kind_from_text(text[p_start:p_end])
    if kind not in ("correction", "clarification"):
        kind = "correction"
    return _Start(p_start, p_start, "", "", kind, labelled=False)


_read_unlabelled = lru_cache(maxsize=4096)(_unlabelled_in)


# Grammar features that admit an error (not only a change): a note read by its grammar with one
# of them is a correction when its words name no other kind.
_ADMITS_ERROR = frozenset(
    {"mis_verb", "error_adverb", "false_adj", "error_noun", "should_have", "contrast", "in_fact"}
    | {"right_fact"}
)

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
