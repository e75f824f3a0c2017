"""What ingest learns from a version's text and its parent's, without the database.

Ingesting a revision is mostly text work: hashing the normalized text, counting words, diffing
against the parent, classifying the hunks into change statistics and looking for correction
notes where the text changed. None of it needs a transaction, so it lives here as plain
functions over strings. Interactive ingest calls them inside its transaction; a bulk import
runs them for whole documents in worker processes ahead of the writer (see
:mod:`revtrack.service.prepare`), which then only stores what they found. Both paths go
through :func:`analyze`, so they cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from revtrack.corrections import detect_notes
from revtrack.corrections.incremental import diff_notes_near
from revtrack.corrections.model import NoteChanges
from revtrack.diff import Diff, Segment, diff_texts
from revtrack.diff.affixes import common_prefix, common_suffix
from revtrack.service.progress import tick
from revtrack.text.normalize import content_hash, exact_hash
from revtrack.text.tokenize import word_count

# The breaks str.splitlines() splits at, found one at a time: a headline is looked for among
# the first lines, and splitting a 10 MB text whole to read its first line copies all of it.
_LINE_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _lines(text: str) -> Iterator[str]:
    """``text.splitlines()``, lazily."""
    start = 0
    for found in _LINE_BREAK.finditer(text):
        yield text[start : found.start()]
        start = found.end()
    if start < len(text):
        yield text[start:]


def headline_of(text: str) -> str | None:
    """A plain-text story's first line, when it reads like a headline.

    Saved news text usually starts with the headline; tracking it as the title lets `log`
    show it and the audit see a changed headline. A first line that is long or ends like a
    sentence is body text, and gives no title; lines of one or two words are skipped as page
    furniture.
    """
    for line in _lines(text):
        line = line.strip().lstrip("#").strip()
        if not line:
            continue
        if len(line.split(None, 2)) < 3:
            continue  # page furniture ("Breaking News", "Accessibility links"), not a headline
        if len(line) <= 150 and not line.endswith((".", ",", ";", ":", "?", "!")):
            return line
        return None
    return None


def change_stats(diff: Diff, title_changed: bool) -> dict[str, Any]:
    """The change size a revision row keeps (and `log` shows) against its parent."""
    stats = diff.stats
    return {
        "words_added": stats.words_added,
        "words_removed": stats.words_removed,
        "sentences_added": stats.sentences_added,
        "sentences_removed": stats.sentences_removed,
        "sentences_changed": stats.sentences_changed,
        "hunks": stats.hunks,
        "substantive_hunks": sum(1 for h in diff.hunks if h.substantive),
        "hunks_by_kind": dict(stats.hunks_by_kind),
        "title_changed": title_changed,
    }


def note_changes(old_text: str, new_text: str, diff: Diff | None) -> NoteChanges:
    """Notes added, removed or amended by a revision (every note of a first revision)."""
    if diff is None:
        return NoteChanges(added=tuple(detect_notes(new_text)))
    return diff_notes_near(
        old_text,
        new_text,
        [(h.a_start, h.a_end) for h in diff.hunks],
        [(h.b_start, h.b_end) for h in diff.hunks],
    )


# A whitespace character preceded by one that is not: where no token can straddle. Found by a
# regular expression rather than a loop over characters (a quarter of words_after_diff's time):
# ``\s`` is what str.isspace() calls whitespace, and a look-behind sees the text before ``pos``.
_EDGE = re.compile(r"(?<=\S)\s")
# The last such place before an end: ``.*`` jumps to the end at once and backs off from there.
_LAST_EDGE = re.compile(r"(?s:.*)(?<=\S)\s")


def _token_edge_before(text: str, at: int) -> int:
    """The last place before ``at`` where no token can straddle: a whitespace character
    preceded by one that is not whitespace (or the start). Words, numbers and punctuation
    never contain whitespace, so tokenizing from such a place starts afresh."""
    found = _LAST_EDGE.match(text, 0, min(at, len(text)))
    return found.end() - 1 if found else 0


def _token_edge_after(text: str, at: int) -> int:
    """The first place at or after ``at`` where no token can straddle (or the end)."""
    if at <= 0:  # text[at - 1] wraps around to the end: the places one at a time
        while at < len(text) and not (text[at].isspace() and not text[at - 1].isspace()):
            at += 1
        return at
    if at >= len(text):
        return at
    found = _EDGE.search(text, at)
    return found.start() if found else len(text)


def words_after_edit(old: str, new: str, old_words: int) -> int:
    """``word_count(new)`` computed from ``old``'s count and the part that changed only.

    Counting every word of a long text at each revision was a tenth of an import's text work;
    an edit touches a few sentences. The shared head and tail are cut at places no token
    straddles (see :func:`_token_edge_before`) and inside both texts' shared part, so their
    words are the same tokens in both and cancel out.
    """
    head = common_prefix(old, new)
    if head == len(old) == len(new):
        return old_words
    tail = common_suffix(old, new, skip=head)
    if head == 0 or tail == 0:
        return word_count(new)
    cut_head = _token_edge_before(old, head)
    # The tail cut must have its whitespace and the character before it in the shared tail.
    cut_old = _token_edge_after(old, len(old) - tail + 1)
    if cut_old >= len(old):
        return old_words - word_count(old[cut_head:]) + word_count(new[cut_head:])
    cut_new = len(new) - (len(old) - cut_old)
    return old_words - word_count(old[cut_head:cut_old]) + word_count(new[cut_head:cut_new])


def words_after_diff(old: str, new: str, old_words: int, segments: Sequence[Segment]) -> int:
    """``word_count(new)`` from ``old``'s count and the changed runs of the diff only.

    :func:`words_after_edit` counts everything between the first and the last change: for an
    edit of the front matter and of the last paragraph, the whole text. The diff's segments
    (equal runs are the same characters in both texts) give each changed run; each is widened
    to places no token straddles inside the equal text around it, as there, and runs whose
    widened pieces meet are counted as one piece. The texts outside the pieces are the same
    tokens in both and cancel out.
    """
    runs: list[tuple[int, int, int, int]] = []  # (a_start, a_end, b_start, b_end)
    a = b = 0
    opened: tuple[int, int] | None = None
    for segment in segments:
        size = len(segment.text)
        if segment.op == "equal":
            if opened is not None:
                runs.append((opened[0], a, opened[1], b))
                opened = None
            a += size
            b += size
            continue
        if opened is None:
            opened = (a, b)
        if segment.op == "delete":
            a += size
        else:
            b += size
    if opened is not None:
        runs.append((opened[0], a, opened[1], b))
    if a != len(old) or b != len(new):
        return words_after_edit(old, new, old_words)  # not this pair's segments
    pieces: list[list[int]] = []  # [a_cut, a_end_cut, b_cut, b_end_cut]
    for a_start, a_end, b_start, b_end in runs:
        cut = _token_edge_before(old, a_start)
        end_cut = min(_token_edge_after(old, a_end + 1), len(old))
        shift_start, shift_end = b_start - a_start, b_end - a_end
        if pieces and cut < pieces[-1][1]:
            # The widened pieces meet: one piece from the first run's cut to this one's.
            pieces[-1][1] = end_cut
            pieces[-1][3] = end_cut + shift_end
        else:
            pieces.append([cut, end_cut, cut + shift_start, end_cut + shift_end])
    return old_words + sum(
        word_count(new[b_cut:b_end_cut]) - word_count(old[a_cut:a_end_cut])
        for a_cut, a_end_cut, b_cut, b_end_cut in pieces
    )


@dataclass(frozen=True)
class Parent:
    """The revision a new version is compared with: its exact text and what ingest kept."""

    text: str
    text_hash: str
    content_hash: str
    title: str | None
    words: int | None = None  # its word count, when known: the new count is then derived


@dataclass(frozen=True)
class Analysis:
    """Everything a new revision's row needs that the text alone decides.

    ``parent_text_hash`` and ``parent_title`` say what it was computed against: a writer that
    finds another latest revision in the database must compute it again.
    ``diff`` is kept only where it was computed in the same process; the statistics and note
    changes carry what the row and the linker need from it.
    """

    parent_text_hash: str | None
    parent_title: str | None
    content_hash: str
    text_hash: str
    title: str | None
    unchanged: bool
    words: int = 0
    stats: dict[str, Any] = field(default_factory=dict)
    notes: NoteChanges = field(default_factory=NoteChanges)
    diff: Diff | None = None

    def fits(self, parent_text_hash: str | None, parent_title: str | None) -> bool:
        """Whether this analysis was made against the given parent."""
        return self.parent_text_hash == parent_text_hash and self.parent_title == parent_title

    def without_diff(self) -> Analysis:
        """A copy cheap to send to another process (the diff is rebuilt there if needed)."""
        return replace(self, diff=None)


def analyze(text: str, title: str | None, parent: Parent | None) -> Analysis:
    """Analyse ``text`` as the next revision after ``parent`` (None: the first revision).

    ``title`` is the title the source gave, if any; else the text's headline, else the
    parent's title is kept. Identical normalized text under the same title is ``unchanged``,
    and nothing else is computed for it.
    """
    chash = content_hash(text)
    new_title = title or headline_of(text) or (parent.title if parent else None)
    head = Analysis(
        parent_text_hash=parent.text_hash if parent else None,
        parent_title=parent.title if parent else None,
        content_hash=chash,
        text_hash=exact_hash(text),
        title=new_title,
        unchanged=True,
    )
    if parent is not None and parent.content_hash == chash and new_title == parent.title:
        tick()  # one more version looked at, for a progress bar (service/progress.py)
        return head
    diff = diff_texts(parent.text, text) if parent is not None else None
    title_changed = parent is not None and (parent.title or "") != (new_title or "")
    analysis = replace(
        head,
        unchanged=False,
        words=(
            words_after_diff(parent.text, text, parent.words, diff.segments)
            if diff is not None and parent is not None and parent.words is not None
            else word_count(text)
        ),
        stats=change_stats(diff, title_changed) if diff is not None else {},
        notes=note_changes(parent.text if parent else "", text, diff),
        diff=diff,
    )
    tick()
    return analysis
