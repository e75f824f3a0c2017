"""Substantive edits that no reader-facing note discloses, graded by how much they matter.

The audit is a walk over every hunk of every revision: cosmetic hunks and the notes' own
paragraphs are skipped, a hunk linked by a note's evidence is *disclosed*, and everything else
is a :class:`Finding`. Coverage is deliberately narrow: a correction covers only the hunks the
linker tied to it (a note about the number of islands does not excuse a changed poll figure in
the same revision), while an "update" note covers the sentences *added* in its revision, since
that is what updates announce; updates never excuse a changed fact.

Severity follows what a standards desk would chase first: a changed number, date, name, quote,
headline or a reversed claim is ``high``; a removed sentence is ``high`` when it carried a fact
(a digit, a quotation, a proper name) and ``medium`` otherwise; a rewording is ``medium`` when
long and ``low`` when short; added sentences are ``low`` because news stories grow all day.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from revtrack.corrections.model import Link, NoteKind, RevisionChanges
from revtrack.diff.model import COSMETIC, Diff, Hunk, HunkOp
from revtrack.errors import InvalidInput

Severity = Literal["high", "medium", "low"]
SEVERITIES: tuple[Severity, ...] = ("low", "medium", "high")
# A title change outside the text has no hunk; it is reported under this index.
HEADLINE_HUNK = -1
# A rewording touching at least this many words is "long".
LONG_WORDING_WORDS = 8
# Without note spans, only this much note text is trusted to identify a note's own hunk.
_MIN_NOTE_MATCH = 20
# How far an insertion is slid along repeated text when looking for the note it belongs to.
_MAX_SLIDE = 2000

_FACT_KINDS = ("number", "date", "name", "quote")
_DIGIT = re.compile(r"\d")
_QUOTE = re.compile(r"[\"“”«»]")
_CAPITALISED = re.compile(r"(?<![.!?:]\s)(?<=\s)[A-Z][\w’'-]*[a-z]")

Span = tuple[int, int]


@dataclass(frozen=True)
class LinkedNote:
    """One correction as the audit needs it: what it is and which hunks it discloses.

    ``hunks`` are ``(revision, hunk_index)`` pairs taken from the link's evidence;
    ``disclosing_revision`` is None for a note added by hand that never appeared in the text.
    """

    correction_id: int | str
    kind: NoteKind
    fixing_revision: int
    disclosing_revision: int | None
    hunks: tuple[tuple[int, int], ...] = ()
    matched: bool = True
    text: str = ""

    @classmethod
    def from_link(
        cls,
        correction_id: int | str,
        kind: NoteKind,
        link: Link,
        disclosing_revision: int | None,
        text: str = "",
    ) -> LinkedNote:
        """Build from the linker's verdict, taking the hunks from its evidence."""
        hunks = tuple(dict.fromkeys((e.revision, e.hunk_index) for e in link.evidence))
        return cls(
            correction_id=correction_id,
            kind=kind,
            fixing_revision=link.fixing_revision,
            disclosing_revision=disclosing_revision,
            hunks=hunks,
            matched=link.matched,
            text=text,
        )


@dataclass(frozen=True)
class Finding:
    """One substantive change no note discloses."""

    revision: int
    hunk_index: int
    op: HunkOp
    kinds: tuple[str, ...]
    old: str
    new: str
    severity: Severity
    reason: str


@dataclass(frozen=True)
class HunkVerdict:
    """Every substantive hunk, disclosed or not: what the summary counts."""

    revision: int
    hunk_index: int
    disclosed: bool
    finding: Finding | None


def find_undisclosed(
    changes: Sequence[RevisionChanges],
    links: Sequence[LinkedNote],
    note_spans: Mapping[int, Sequence[Span]] | None = None,
) -> list[Finding]:
    """Every substantive change in ``changes`` that no note in ``links`` discloses.

    ``note_spans`` maps a revision number to the ``(start, end)`` offsets of the note
    paragraphs in that revision's text, so that adding, amending or removing a note is not
    itself reported; without it, a hunk whose text lies inside a known note's text is skipped.
    Findings come in revision order, then hunk order.
    """
    return [v.finding for v in audit_hunks(changes, links, note_spans) if v.finding is not None]


@dataclass(frozen=True)
class MinorEdit:
    """A hunk whose words changed but that tells a reader nothing new (a typo fixed, grammar):
    listed apart in the audit, never counted as undisclosed."""

    revision: int
    hunk_index: int
    kind: str
    old: str
    new: str


def minor_edits(changes: Sequence[RevisionChanges]) -> list[MinorEdit]:
    """Every minor hunk of ``changes``, in revision and hunk order."""
    return [
        MinorEdit(change.number, h.index, h.kind, h.old, h.new)
        for change in sorted(changes, key=lambda c: c.number)
        for h in change.diff.hunks
        if h.minor
    ]


def audit_hunks(
    changes: Sequence[RevisionChanges],
    links: Sequence[LinkedNote],
    note_spans: Mapping[int, Sequence[Span]] | None = None,
) -> Iterator[HunkVerdict]:
    """Yield a verdict for every substantive hunk (and title change) of ``changes``."""
    linked = {pair for note in links for pair in note.hunks}
    updates = {
        rev
        for note in links
        if note.kind == "update"
        for rev in (note.fixing_revision, note.disclosing_revision)
        if rev is not None
    }
    note_texts = [n.text for n in links if len(n.text.strip()) >= _MIN_NOTE_MATCH]
    spans = note_spans or {}

    for change in sorted(changes, key=lambda c: c.number):
        rev = change.number
        title = _title_verdict(change, linked, links)
        if title is not None:
            yield title
        for hunk in change.diff.hunks:
            graded = grade(hunk)
            if graded is None:
                continue
            old_spans, new_spans = spans.get(rev - 1, ()), spans.get(rev, ())
            if _is_note_hunk(hunk, change.diff, new_spans, old_spans, note_texts):
                continue
            severity, reason = graded
            disclosed = (rev, hunk.index) in linked or (rev in updates and _is_addition(hunk))
            finding = None
            if not disclosed:
                finding = Finding(
                    rev, hunk.index, hunk.op, hunk.kinds, hunk.old, hunk.new, severity, reason
                )
            yield HunkVerdict(rev, hunk.index, disclosed, finding)


def grade(hunk: Hunk) -> tuple[Severity, str] | None:
    """The severity of one hunk and why, or None for a cosmetic one."""
    kinds = set(hunk.kinds) or {"wording"}
    if kinds == {COSMETIC} or hunk.minor:
        return None  # nothing a reader learns differently: no policy asks for a note
    if hunk.op != "move" and hunk.old.split() == hunk.new.split():
        return None  # only spacing or line breaks changed: the reader sees the same words
    removed_only = not hunk.new.strip()
    added_only = not hunk.old.strip()
    if "negation" in kinds:
        return "high", "claim reversed (a negation was added or removed)"
    if "headline" in kinds:
        return "high", "headline changed"
    if "sentence-removed" in kinds and removed_only:
        return _grade_removal(hunk.old)
    if added_only and ("sentence-added" in kinds or hunk.op == "insert"):
        return "low", "sentence added"
    facts = [k for k in _FACT_KINDS if k in kinds]
    if facts and hunk.op != "move":
        return "high", f"{' and '.join(facts)} changed"
    if "sentence-removed" in kinds:
        return _grade_removal(hunk.old)
    if hunk.op == "move":
        return "low", "passage moved"
    if "sentence-added" in kinds:
        return "low", "sentence added"
    words = max(len(hunk.old.split()), len(hunk.new.split()))
    if words >= LONG_WORDING_WORDS:
        return "medium", f"wording changed ({words} words)"
    return "low", f"wording changed ({words} words)"


def severity_at_least(level: str) -> Callable[[Finding], bool]:
    """A filter keeping findings of ``level`` or worse (for ``--min-severity``)."""
    rank = {name: n for n, name in enumerate(SEVERITIES)}
    if level not in rank:
        raise InvalidInput(f"Unknown severity {level!r}.", f"Use one of: {', '.join(SEVERITIES)}.")
    floor = rank[level]
    return lambda finding: rank[finding.severity] >= floor


def _grade_removal(old: str) -> tuple[Severity, str]:
    facts = []
    if _DIGIT.search(old):
        facts.append("a number")
    if _QUOTE.search(old):
        facts.append("a quote")
    if _CAPITALISED.search(old):
        facts.append("a name")
    if facts:
        return "high", f"sentence removed (it had {', '.join(facts)})"
    return "medium", "sentence removed"


def _is_addition(hunk: Hunk) -> bool:
    return hunk.op == "insert" or not hunk.old.strip() or hunk.kinds == ("sentence-added",)


def _title_verdict(
    change: RevisionChanges, linked: set[tuple[int, int]], links: Sequence[LinkedNote]
) -> HunkVerdict | None:
    old, new = " ".join(change.old_title.split()), " ".join(change.new_title.split())
    if not old or not new or old == new:
        return None
    if any(h.kinds and "headline" in h.kinds for h in change.diff.hunks):
        return None  # the diff already carries the headline change as a hunk
    rev = change.number
    disclosed = (rev, HEADLINE_HUNK) in linked or any(
        rev in (n.fixing_revision, n.disclosing_revision)
        and re.search(r"\b(headline|title)\b", n.text, re.IGNORECASE)
        for n in links
    )
    finding = None
    if not disclosed:
        finding = Finding(
            rev, HEADLINE_HUNK, "replace", ("headline",), old, new, "high", "headline changed"
        )
    return HunkVerdict(rev, HEADLINE_HUNK, disclosed, finding)


def _is_note_hunk(
    hunk: Hunk,
    diff: Diff,
    new_spans: Sequence[Span],
    old_spans: Sequence[Span],
    note_texts: list[str],
) -> bool:
    """True when everything the hunk adds or removes lies inside a note paragraph.

    A pure insertion or deletion may be placed anywhere along a run of repeated text (a note
    ending "by Russia." appended after a paragraph ending "by Russia."), so every equivalent
    placement is tried, not only the one the diff happened to choose.
    """
    new, old = hunk.new.strip(), hunk.old.strip()
    if not new and not old:
        return False
    if not old:
        return _pure_change_in_note(diff.b, hunk.new, hunk.b_start, new_spans, note_texts)
    if not new:
        return _pure_change_in_note(diff.a, hunk.old, hunk.a_start, old_spans, note_texts)
    if new_spans and old_spans:
        new_in = _inside(_trimmed(hunk.new, hunk.b_start), new_spans)
        if new_in and _inside(_trimmed(hunk.old, hunk.a_start), old_spans):
            return True
    return any(_in_note_text(new, t) and _in_note_text(old, t) for t in note_texts)


def _pure_change_in_note(
    text: str, piece: str, start: int, spans: Sequence[Span], note_texts: list[str]
) -> bool:
    end = start + len(piece)
    if text[start:end] != piece:  # a diff built without its texts: take the hunk as it is
        spans = [(s - start, e - start) for s, e in spans]
        text, start, end = piece, 0, len(piece)
    places = _placements(text, start, end)
    return any(_note_text(text, s, e, spans, note_texts) for s, e in places)


def _note_text(
    text: str, start: int, end: int, spans: Sequence[Span], note_texts: list[str]
) -> bool:
    piece = text[start:end]
    if spans and _inside(_trimmed(piece, start), spans):
        return True
    return any(_in_note_text(piece.strip(), t) for t in note_texts)


def _in_note_text(piece: str, note_text: str) -> bool:
    return len(piece) >= _MIN_NOTE_MATCH and piece in note_text


def _placements(text: str, start: int, end: int) -> list[Span]:
    """Every placement of an insertion ``text[start:end]`` that gives the same text."""
    if not text or start >= end or end > len(text):
        return [(start, end)]
    places = [(start, end)]
    s, e = start, end
    while s > 0 and text[s - 1] == text[e - 1] and start - s < _MAX_SLIDE:
        s, e = s - 1, e - 1
        places.append((s, e))
    s, e = start, end
    while e < len(text) and text[s] == text[e] and s - start < _MAX_SLIDE:
        s, e = s + 1, e + 1
        places.append((s, e))
    return places


def _trimmed(text: str, start: int) -> Span:
    lead = len(text) - len(text.lstrip())
    return start + lead, start + len(text.rstrip())


def _inside(span: Span, spans: Sequence[Span]) -> bool:
    return any(s <= span[0] and span[1] <= e for s, e in spans)
