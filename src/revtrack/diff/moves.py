"""Report a passage that moved as one ``move`` hunk instead of a deletion plus an insertion.

A diff aligns texts in order, so a paragraph moved from the top to the bottom comes out as
"removed here" and "added there"; read naively that is a removed sentence and an added one,
which the audit would flag. A deleted passage and an inserted passage are a move when they
are at least ``MIN_WORDS`` words long and at least ``MIN_SIMILARITY`` alike (difflib ratio
over words), so a moved sentence with a typo fixed on the way still counts; an identical
passage needs only ``MIN_WORDS_EXACT`` words (a reordered list item such as "Free and open
source").

Candidates are whole pure-delete and pure-insert hunks first, then single sentences lying
wholly inside such hunks. Exact matches are found by hashing; fuzzy matching is bounded
(``MAX_FUZZY_PAIRS``) so a bulk rewrite with hundreds of removed and added sentences stays
fast. Segments are left as they are: a move only regroups hunks.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from revtrack.diff.model import Hunk
from revtrack.text.tokenize import split_sentences

__all__ = ["MIN_SIMILARITY", "MIN_WORDS", "find_moves"]

MIN_WORDS = 5
MIN_WORDS_EXACT = 3
MIN_SIMILARITY = 0.9
MAX_FUZZY_PAIRS = 4000

_WORDS = re.compile(r"\w+(?:['’]\w+)*")


@dataclass(frozen=True)
class _Piece:
    hunk: int
    start: int
    end: int
    words: tuple[str, ...]


def find_moves(a: str, b: str, hunks: Sequence[Hunk]) -> list[Hunk]:
    """Replace matching delete/insert pieces by move hunks; returns hunks in ``a`` order."""
    deletes = [h for h in hunks if h.op == "delete"]
    inserts = [h for h in hunks if h.op == "insert"]
    if not deletes or not inserts:
        return list(hunks)

    removed = _pieces(a, [(h.index, h.a_start, h.a_end) for h in deletes], whole=True)
    added = _pieces(b, [(h.index, h.b_start, h.b_end) for h in inserts], whole=True)
    pairs = _match(removed, added)
    used = {p.hunk for pair in pairs for p in pair}
    removed = _pieces(
        a, [(h.index, h.a_start, h.a_end) for h in deletes if h.index not in used], whole=False
    )
    added = _pieces(
        b, [(h.index, h.b_start, h.b_end) for h in inserts if h.index not in used], whole=False
    )
    pairs += _match(removed, added)
    if not pairs:
        return list(hunks)
    return _regroup(a, b, hunks, pairs)


def _pieces(text: str, ranges: list[tuple[int, int, int]], *, whole: bool) -> list[_Piece]:
    pieces: list[_Piece] = []
    for index, start, end in ranges:
        if whole:
            spans = [(start, end)]
        else:
            spans = [(s.start, s.end) for s in split_sentences(text, start, end)]
        for s0, s1 in spans:
            words = tuple(w.lower() for w in _WORDS.findall(text, s0, s1))
            if len(words) >= MIN_WORDS_EXACT:
                pieces.append(_Piece(index, s0, s1, words))
    return pieces


def _match(removed: list[_Piece], added: list[_Piece]) -> list[tuple[_Piece, _Piece]]:
    pairs: list[tuple[_Piece, _Piece]] = []
    taken: set[int] = set()
    by_words: dict[tuple[str, ...], list[int]] = {}
    for i, piece in enumerate(added):
        by_words.setdefault(piece.words, []).append(i)
    unmatched: list[_Piece] = []
    for piece in removed:
        candidates = [i for i in by_words.get(piece.words, []) if i not in taken]
        if candidates:
            taken.add(candidates[0])
            pairs.append((piece, added[candidates[0]]))
        else:
            unmatched.append(piece)
    rest = [i for i in range(len(added)) if i not in taken]
    if len(unmatched) * len(rest) > MAX_FUZZY_PAIRS:
        return pairs
    for piece in unmatched:
        if len(piece.words) < MIN_WORDS:
            continue
        best, best_ratio = -1, MIN_SIMILARITY
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(piece.words)
        for i in rest:
            if i in taken:
                continue
            matcher.set_seq1(added[i].words)
            if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
                continue
            ratio = matcher.ratio()
            if ratio >= best_ratio:
                best, best_ratio = i, ratio
        if best >= 0:
            taken.add(best)
            pairs.append((piece, added[best]))
    return pairs


def _regroup(
    a: str, b: str, hunks: Sequence[Hunk], pairs: list[tuple[_Piece, _Piece]]
) -> list[Hunk]:
    """Cut the moved pieces out of their hunks and add one move hunk per pair."""
    cut_a: dict[int, list[tuple[int, int]]] = {}
    cut_b: dict[int, list[tuple[int, int]]] = {}
    out: list[Hunk] = []
    for old, new in pairs:
        cut_a.setdefault(old.hunk, []).append((old.start, old.end))
        cut_b.setdefault(new.hunk, []).append((new.start, new.end))
    for hunk in hunks:
        if hunk.index in cut_a:
            for s0, s1 in _remainder(a, hunk.a_start, hunk.a_end, cut_a[hunk.index]):
                out.append(replace(hunk, a_start=s0, a_end=s1, old=a[s0:s1]))
        elif hunk.index in cut_b:
            for s0, s1 in _remainder(b, hunk.b_start, hunk.b_end, cut_b[hunk.index]):
                out.append(replace(hunk, b_start=s0, b_end=s1, new=b[s0:s1]))
        else:
            out.append(hunk)
    for old, new in pairs:
        out.append(
            Hunk(
                0,
                "move",
                old.start,
                old.end,
                new.start,
                new.end,
                a[old.start : old.end],
                b[new.start : new.end],
            )
        )
    out.sort(key=lambda h: (h.a_start, h.b_start))
    return [replace(h, index=i) for i, h in enumerate(out)]


def _remainder(
    text: str, start: int, end: int, cuts: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """What is left of ``[start, end)`` after the cuts.

    Whitespace-only leftovers are kept too (they become cosmetic hunks): every changed
    character of the diff must belong to some hunk, or renderers could not say what it is.
    """
    left: list[tuple[int, int]] = []
    pos = start
    for c0, c1 in sorted(cuts):
        if c0 > pos:
            left.append((pos, c0))
        pos = max(pos, c1)
    if end > pos:
        left.append((pos, end))
    return left
