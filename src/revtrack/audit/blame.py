"""Which revision introduced each sentence of an article, and which last changed it.

Blame walks the revisions oldest first and carries every sentence's history forward one step
at a time, so a sentence is only ever compared with the revision just before it. Each step
matches sentences in three passes, cheapest first:

1. the sentence sequences are aligned by exact (whitespace-folded) content, so untouched
   sentences cost one hash each;
2. a sentence left over that appears verbatim somewhere else in the parent was *moved*: it
   keeps its origin and its last change (its words did not change);
3. what is still unmatched is paired by word-level similarity (at least
   :data:`SIMILAR_ENOUGH`), but only inside the same changed region of the alignment, so a
   lightly edited sentence keeps its origin while the cost stays bounded by the size of the
   edit, not of the article. A region too large to compare pairwise is compared within a
   window around each sentence's proportional position;
4. a sentence both moved and edited ends up in another region: the leftovers are paired
   through an index of their words, comparing each with at most a few parent sentences that
   share the most words with it.

The result names revisions by number (1 for v1, unless the caller passes other numbers) and
gives each sentence's span in the last text; :func:`attach_hunks` adds the diff hunks that
touched each sentence, so the service can show the corrections linked to them.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from typing import Literal

from revtrack.audit.undisclosed import LinkedNote
from revtrack.corrections.model import RevisionChanges
from revtrack.text.tokenize import split_sentences

SIMILAR_ENOUGH = 0.6
# Above this many sentence pairs in one changed region, compare only within a window.
_PAIRWISE_LIMIT = 2500
_WINDOW = 12
# Cross-region pairing looks only at the few parent sentences sharing the most telling words.
_CANDIDATES = 5
_MAX_POSTING = 50
_WORD = re.compile(r"\w+|[^\w\s]")

TouchKind = Literal["added", "edited", "moved"]


@dataclass(frozen=True)
class Touch:
    """One revision that added, edited or moved a sentence, with its span in that revision."""

    revision: int
    how: TouchKind
    start: int
    end: int


@dataclass(frozen=True)
class BlameEntry:
    """One sentence of the blamed text and its history.

    ``origin`` is the revision that introduced the sentence, ``last_changed`` the last one that
    changed its words (a move alone does not count). ``hunks`` lists ``(revision,
    hunk_index)`` pairs once :func:`attach_hunks` has been applied.
    """

    start: int
    end: int
    text: str
    origin: int
    last_changed: int
    history: tuple[Touch, ...] = ()
    hunks: tuple[tuple[int, int], ...] = ()

    @property
    def changed_in(self) -> tuple[int, ...]:
        """The revisions that added or edited this sentence, oldest first."""
        return tuple(t.revision for t in self.history if t.how != "moved")


@dataclass(frozen=True)
class _Carried:
    origin: int
    last_changed: int
    history: tuple[Touch, ...]


def blame(texts: Sequence[str], numbers: Sequence[int] | None = None) -> list[BlameEntry]:
    """Blame every sentence of the last of ``texts`` (oldest first) on the revisions before it.

    ``numbers`` names the revisions (default 1, 2, …, len(texts)).
    """
    if not texts:
        return []
    revs = list(numbers) if numbers is not None else list(range(1, len(texts) + 1))
    if len(revs) != len(texts):
        raise ValueError(f"{len(texts)} texts but {len(revs)} revision numbers")

    prev_text = texts[0]
    prev_spans = sentence_spans(prev_text)
    prev_keys = [_key(prev_text[s:e]) for s, e in prev_spans]
    carried = [_Carried(revs[0], revs[0], (Touch(revs[0], "added", s, e),)) for s, e in prev_spans]

    for rev, text in zip(revs[1:], texts[1:], strict=True):
        if text == prev_text:
            continue
        spans = sentence_spans(text)
        keys = [_key(text[s:e]) for s, e in spans]
        carried = _step(prev_keys, carried, keys, spans, rev)
        prev_text, prev_spans, prev_keys = text, spans, keys

    return [
        BlameEntry(s, e, prev_text[s:e], c.origin, c.last_changed, c.history)
        for (s, e), c in zip(prev_spans, carried, strict=True)
    ]


def blame_with_changes(
    texts: Sequence[str], changes: Sequence[RevisionChanges], numbers: Sequence[int] | None = None
) -> list[BlameEntry]:
    """:func:`blame`, then :func:`attach_hunks` with each revision's diff against its parent."""
    return attach_hunks(blame(texts, numbers), changes)


def attach_hunks(
    entries: Sequence[BlameEntry], changes: Sequence[RevisionChanges]
) -> list[BlameEntry]:
    """Add to each entry the ``(revision, hunk_index)`` of every hunk that touched it.

    A hunk touches a sentence when its span in the newer text overlaps the sentence's span in
    a revision that added, edited or moved it; a pure deletion touches the sentence it was cut
    from.
    """
    by_revision = {c.number: sorted(c.diff.hunks, key=lambda h: h.b_start) for c in changes}
    starts = {n: [h.b_start for h in hunks] for n, hunks in by_revision.items()}
    result: list[BlameEntry] = []
    for entry in entries:
        found: list[tuple[int, int]] = []
        for touch in entry.history:
            hunks = by_revision.get(touch.revision, [])
            # Hunks starting after the sentence ends cannot overlap it.
            upto = bisect_left(starts.get(touch.revision, []), touch.end)
            for hunk in hunks[:upto]:
                empty = hunk.b_start == hunk.b_end
                overlaps = hunk.b_end > touch.start or (empty and hunk.b_start >= touch.start)
                if overlaps and (touch.revision, hunk.index) not in found:
                    found.append((touch.revision, hunk.index))
        result.append(replace(entry, hunks=tuple(found)))
    return result


def linked_corrections(entry: BlameEntry, links: Sequence[LinkedNote]) -> tuple[int | str, ...]:
    """The ids of the corrections whose linked hunks touched this sentence (after
    :func:`attach_hunks`), in the order of ``links``."""
    touched = set(entry.hunks)
    return tuple(n.correction_id for n in links if touched.intersection(n.hunks))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The sentences blame works on: the shared tokenizer's, so blame and diff agree."""
    return [(span.start, span.end) for span in split_sentences(text)]


def similarity(a: str, b: str) -> float:
    """Word-level similarity of two sentences, 0.0 to 1.0 (difflib's ratio over words)."""
    return _similarity(_words(a), _matcher(_words(b)), cutoff=0.0)


def _step(
    prev_keys: list[str],
    prev: list[_Carried],
    keys: list[str],
    spans: list[tuple[int, int]],
    rev: int,
) -> list[_Carried]:
    matched: dict[int, tuple[int, TouchKind | None]] = {}
    regions: list[tuple[int, int, int, int]] = []
    opcodes = SequenceMatcher(None, prev_keys, keys, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            for k in range(i2 - i1):
                matched[j1 + k] = (i1 + k, None)
        else:
            regions.append((i1, i2, j1, j2))

    # Pass 2: verbatim moves, anywhere in the parent.
    loose: dict[str, list[int]] = {}
    for i1, i2, _, _ in regions:
        for i in range(i1, i2):
            loose.setdefault(prev_keys[i], []).append(i)
    used: set[int] = set()
    for _, _, j1, j2 in regions:
        for j in range(j1, j2):
            candidates = loose.get(keys[j])
            if candidates:
                i = candidates.pop(0)
                used.add(i)
                matched[j] = (i, "moved")

    # Pass 3: light edits, within each changed region.
    for i1, i2, j1, j2 in regions:
        olds = [i for i in range(i1, i2) if i not in used]
        news = [j for j in range(j1, j2) if j not in matched]
        for i, j in _pair_similar(prev_keys, olds, keys, news):
            used.add(i)
            matched[j] = (i, "edited")

    # Pass 4: a sentence both moved and edited lands in another region; find it by shared words.
    olds = [i for i1, i2, _, _ in regions for i in range(i1, i2) if i not in used]
    news = [j for _, _, j1, j2 in regions for j in range(j1, j2) if j not in matched]
    for i, j in _pair_by_shared_words(prev_keys, olds, keys, news):
        matched[j] = (i, "edited")

    result: list[_Carried] = []
    for j, (start, end) in enumerate(spans):
        if j not in matched:
            result.append(_Carried(rev, rev, (Touch(rev, "added", start, end),)))
            continue
        i, how = matched[j]
        old = prev[i]
        if how is None:
            result.append(old)
        elif how == "moved":
            result.append(replace(old, history=(*old.history, Touch(rev, how, start, end))))
        else:
            result.append(_Carried(old.origin, rev, (*old.history, Touch(rev, how, start, end))))
    return result


def _pair_similar(
    prev_keys: list[str], olds: list[int], keys: list[str], news: list[int]
) -> list[tuple[int, int]]:
    if not olds or not news:
        return []
    old_words = {i: _words(prev_keys[i]) for i in olds}
    scored: list[tuple[float, int, int, int]] = []
    window = len(olds) * len(news) > _PAIRWISE_LIMIT
    for n, j in enumerate(news):
        new_words = _words(keys[j])
        matcher = _matcher(new_words)
        if window:
            centre = n * len(olds) // len(news)
            candidates = olds[max(0, centre - _WINDOW) : centre + _WINDOW + 1]
        else:
            candidates = olds
        for i in candidates:
            score = _similarity(old_words[i], matcher, cutoff=SIMILAR_ENOUGH)
            if score >= SIMILAR_ENOUGH:
                # Ties go to the pair nearest in place.
                scored.append((score, -abs((i - olds[0]) - (j - news[0])), i, j))
    scored.sort(reverse=True)
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, _, i, j in scored:
        if i not in taken_old and j not in taken_new:
            taken_old.add(i)
            taken_new.add(j)
            pairs.append((i, j))
    return pairs


def _pair_by_shared_words(
    prev_keys: list[str], olds: list[int], keys: list[str], news: list[int]
) -> list[tuple[int, int]]:
    if not olds or not news:
        return []
    old_words = {i: _words(prev_keys[i]) for i in olds}
    postings: dict[str, list[int]] = {}
    for i, words in old_words.items():
        for word in set(words):
            if len(word) > 3:
                postings.setdefault(word, []).append(i)
    scored: list[tuple[float, int, int]] = []
    for j in news:
        new_words = _words(keys[j])
        matcher = _matcher(new_words)
        shared: dict[int, int] = {}
        for word in set(new_words):
            posting = postings.get(word, ())
            if len(posting) <= _MAX_POSTING:  # a word in many sentences says little
                for i in posting:
                    shared[i] = shared.get(i, 0) + 1
        best = sorted(shared, key=lambda i: shared[i], reverse=True)[:_CANDIDATES]
        for i in best:
            score = _similarity(old_words[i], matcher, cutoff=SIMILAR_ENOUGH)
            if score >= SIMILAR_ENOUGH:
                scored.append((score, i, j))
    scored.sort(reverse=True)
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, i, j in scored:
        if i not in taken_old and j not in taken_new:
            taken_old.add(i)
            taken_new.add(j)
            pairs.append((i, j))
    return pairs


def _matcher(new_words: list[str]) -> SequenceMatcher[str]:
    # difflib indexes the second sequence: set it once per new sentence, vary the first.
    matcher: SequenceMatcher[str] = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(new_words)
    return matcher


def _similarity(a: list[str], matcher: SequenceMatcher[str], cutoff: float) -> float:
    """The ratio, or 0.0 as soon as the cheap upper bounds show it is below ``cutoff``."""
    matcher.set_seq1(a)  # two empty sequences have ratio 1.0 in difflib
    if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff:
        return 0.0
    return matcher.ratio()


def _words(sentence: str) -> list[str]:
    return _WORD.findall(sentence.lower())


def _key(sentence: str) -> str:
    # Whitespace-only edits are cosmetic: they must not make a sentence "changed".
    return " ".join(sentence.split())
