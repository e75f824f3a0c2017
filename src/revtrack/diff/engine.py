"""Align two texts with diff-match-patch over tokens, then build hunks, moves, kinds and stats.

Why this shape:

* **Trim first.** Most revisions change a few words of a long article, so the common prefix
  and suffix are cut off before anything is tokenized (found by binary search on slices, at C
  speed, :mod:`revtrack.diff.affixes`). The cut is moved back to a whitespace (word) or line
  break (sentence, line) so it never splits a token: a diff never shows ``8[-0-]{+2+}%``.
* **Tokens as characters.** Only the differing middles are tokenized; each distinct token is
  mapped to one code point (diff-match-patch's lines-mode trick, generalised to words and
  sentences), the strings of code points are diffed, and semantic cleanup runs on them, so
  cleanup merges whole tokens. Code points come from private-use and unassigned planes beyond
  the BMP, some 850,000 distinct tokens; past that the middle is compared line by line.
* **Tokenizing is the cost, not diff-match-patch.** For the middles of a few hundred to a few
  thousand tokens that most revisions leave, splitting them into tokens and numbering the
  tokens took most of the time (about 100 ns a token in ``re``). Where the two middles share
  a quarter of their characters or more in whole lines (scattered edits in a long page), each
  distinct line is tokenized once and the texts' codes are put together from their lines';
  tokens are numbered by their position in one pass; runs are measured by code lengths, the
  longest run of each side by subtraction. Identical tokens and so identical answers.
* **No timeout.** ``Diff_Timeout = 0``: a diff is never cut short into a coarse
  delete-everything/insert-everything answer; trimming and token mapping keep it fast.
* **Small edits settled without diff-match-patch.** When the common tokens at both ends of
  the middle leave an insertion, a deletion or a one-token replacement, the answer is built
  directly, exactly as diff-match-patch would give it (a property test checks both ports). The
  C++ port reads the process clock at every step of its search even without a time limit, a
  system call of 0.2-0.8 µs here: for a middle of a few dozen tokens that is most of its time.
* **C++ when available.** ``fast_diff_match_patch`` (the C++ port) runs the same algorithm
  several times faster; the pure-Python ``diff_match_patch`` is the fallback. Both give the
  same hunks (tested on example pairs, checked on the corpora by the benchmark). Clock reads
  and all, the C++ port stays the faster at every size: on the corpus middles the pure-Python
  port took 5x its time under 20 tokens and 12x at 100-200, so it is not used for small ones.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from typing import Any, Literal

from revtrack.diff.affixes import common_prefix, common_suffix
from revtrack.diff.classify import analyze_hunks
from revtrack.diff.model import Diff, Granularity, Hunk, Segment
from revtrack.diff.moves import find_moves
from revtrack.diff.stats import compute_stats
from revtrack.errors import RevtrackError
from revtrack.text.tokenize import sentence_tokens, split_words

Backend = Literal["auto", "fast", "pure"]

__all__ = [
    "Backend",
    "align",
    "build_hunks",
    "diff_texts",
    "fast_backend_available",
]

# (op, length) pairs where op is -1 (delete), 0 (equal) or 1 (insert), lengths in code points.
_Ops = list[tuple[int, int]]

# Tokens become code points that are neither letters, digits nor spaces for both backends
# (private-use areas, then unassigned planes 4-14), so dmp's semantic cleanup scores every
# position alike and the C++ and Python ports, which classify characters differently, agree.
_CODE_RANGES = ((0xE000, 0x1900), (0xF0000, 0xFFFE), (0x100000, 0xFFFE), (0x40000, 0xA0000))
# Beyond this many characters in the two middles (some 1,500 words), coarser units are aligned
# first (lines, then sentences) and only the replaced blocks are diffed finer: a bulk rewrite
# of a long page stays fast because unchanged paragraphs and sentences anchor the alignment.
_COARSE_FIRST_CHARS = 10_000
# Word middles sharing at least this fraction of their characters in whole lines are tokenized a
# distinct line at a time (``_encode_lines``); below it the lines cost more than they save.
# Measured on the benchmark's < 5 KB and 5-20 KB samples with 0, 0.1, 0.25, 0.5 and never.
_LINES_SHARED = 0.25
_LADDER: dict[str, tuple[Granularity, ...]] = {
    "word": ("line", "sentence"),
    "sentence": ("line",),
    "line": (),
    "char": (),
}


def diff_texts(a: str, b: str, by: Granularity = "word", *, backend: Backend = "auto") -> Diff:
    """Compare ``a`` (older) with ``b`` (newer): segments, classified hunks, moves and stats."""
    segments = align(a, b, by, backend=backend)
    analyzed = analyze_hunks(a, b, find_moves(a, b, build_hunks(segments)))
    hunks = tuple(h for h, _ in analyzed)
    stats = compute_stats(segments, hunks, [f for _, f in analyzed])
    return Diff(a=a, b=b, by=by, segments=tuple(segments), hunks=hunks, stats=stats)


def align(a: str, b: str, by: Granularity = "word", *, backend: Backend = "auto") -> list[Segment]:
    """The aligned runs of ``a`` and ``b``: equal, delete and insert segments, merged."""
    if by not in ("word", "sentence", "char", "line"):
        raise RevtrackError(f"unknown diff granularity {by!r}: use word, sentence, char or line")
    if a == b:
        return [Segment("equal", a)] if a else []
    prefix = _snap_prefix(a, common_prefix(a, b), by)
    suffix = _snap_suffix(a, prefix, common_suffix(a, b, prefix), by)
    a_mid, b_mid = a[prefix : len(a) - suffix], b[prefix : len(b) - suffix]

    segments: list[Segment] = []
    if prefix:
        segments.append(Segment("equal", a[:prefix]))
    segments.extend(_align_middle(a_mid, b_mid, by, _pick(backend)))
    if suffix:
        segments.append(Segment("equal", a[len(a) - suffix :]))
    return _merge(segments)


def build_hunks(segments: Sequence[Segment]) -> list[Hunk]:
    """Group each run of adjacent insert/delete segments into one hunk with its offsets."""
    hunks: list[Hunk] = []
    a_pos = b_pos = 0
    old: list[str] = []
    new: list[str] = []
    a_start = b_start = 0

    def close() -> None:
        if not old and not new:
            return
        op: Literal["insert", "delete", "replace"] = (
            "replace" if old and new else ("delete" if old else "insert")
        )
        hunks.append(
            Hunk(len(hunks), op, a_start, a_pos, b_start, b_pos, "".join(old), "".join(new))
        )
        old.clear()
        new.clear()

    for seg in segments:
        if seg.op == "equal":
            close()
            a_pos += len(seg.text)
            b_pos += len(seg.text)
            a_start, b_start = a_pos, b_pos
        elif seg.op == "delete":
            old.append(seg.text)
            a_pos += len(seg.text)
        else:
            new.append(seg.text)
            b_pos += len(seg.text)
    close()
    return hunks


@functools.cache
def fast_backend_available() -> bool:
    try:
        import fast_diff_match_patch  # noqa: F401
    except ImportError:
        return False
    return True


# --- trimming ---------------------------------------------------------------------------------


def _boundary(by: Granularity) -> Callable[[str], bool]:
    if by == "word":
        return str.isspace
    return lambda ch: ch == "\n"


def _snap_prefix(a: str, prefix: int, by: Granularity) -> int:
    """Move the end of the common prefix back to just after a token boundary."""
    if by == "char":
        return prefix
    is_boundary = _boundary(by)
    while prefix > 0 and not is_boundary(a[prefix - 1]):
        prefix -= 1
    return prefix


def _snap_suffix(a: str, prefix: int, suffix: int, by: Granularity) -> int:
    """Shrink the common suffix until it starts with a token boundary."""
    if by == "char":
        return suffix
    is_boundary = _boundary(by)
    while suffix > 0 and not is_boundary(a[len(a) - suffix]):
        suffix -= 1
    return suffix


# --- the middle -------------------------------------------------------------------------------


def _tokens(text: str, by: Granularity) -> list[str]:
    if by == "word":
        return split_words(text)
    if by == "sentence":
        return sentence_tokens(text)
    return text.splitlines(keepends=True)


# A whitespace character after one that is not: a token starts there whatever precedes it and
# the one before ends there (no token but a run of whitespace holds whitespace), and a token
# never looks back past its start nor reads more ahead than that whitespace would tell it.
_WORD_EDGE = re.compile(r"(?<=\S)\s")
_LAST_WORD_EDGE = re.compile(r"(?s:.*)(?<=\S)\s")  # ``.*`` jumps to the end and backs off


def _word_tokens(a: str, b: str) -> tuple[list[str], list[str]]:
    """``split_words(a)`` and ``split_words(b)``, what the two share at each end split once.

    Past the first cut of :func:`align`, a block of replaced lines (a long middle aligned line
    by line first) is two versions of a paragraph that share most of their text: its common
    head and tail, cut at places no token straddles (inside both, so the same tokens on both
    sides), are tokenized once for both texts, and only what lies between them twice.
    """
    head = common_prefix(a, b)
    tail = common_suffix(a, b, head)
    found = _LAST_WORD_EDGE.match(a, 0, head)
    cut = found.end() - 1 if found else 0
    found = _WORD_EDGE.search(a, len(a) - tail + 1) if tail else None
    if found is None:
        if not cut:
            return split_words(a), split_words(b)
        shared = split_words(a[:cut])
        return shared + split_words(a[cut:]), shared + split_words(b[cut:])
    end = found.start()
    b_end = len(b) - (len(a) - end)
    shared = split_words(a[:cut]) if cut else []
    after = split_words(a[end:])
    return shared + split_words(a[cut:end]) + after, shared + split_words(b[cut:b_end]) + after


def _align_middle(
    a: str,
    b: str,
    by: Granularity,
    diff: Callable[[str, str], _Ops],
    level: int = 0,
    *,
    share_lines: bool = True,
) -> list[Segment]:
    if not a:
        return [Segment("insert", b)] if b else []
    if not b:
        return [Segment("delete", a)]
    if by == "char":
        return _decode(diff(a, b), a, b, None)
    ladder = _LADDER[by]
    if level < len(ladder) and len(a) + len(b) > _COARSE_FIRST_CHARS:
        return _align_coarse_first(a, b, by, ladder[level], diff, level)
    encoded = _encode_lines(a, b) if share_lines and by == "word" else None
    if encoded is not None:
        found = _settled(encoded[0], encoded[1]) or diff(encoded[0], encoded[1])
        return _decode(found, a, b, encoded)
    a_tokens, b_tokens = _word_tokens(a, b) if by == "word" else (_tokens(a, by), _tokens(b, by))
    ops = _settled(a_tokens, b_tokens)
    if ops is None:
        codes = _encode(a_tokens, b_tokens)
        if codes is None:  # more distinct tokens than code points: compare lines instead
            a_tokens, b_tokens = _tokens(a, "line"), _tokens(b, "line")
            codes = _encode(a_tokens, b_tokens)
            if codes is None:
                return [Segment("delete", a), Segment("insert", b)]
        ops = diff(*codes)
    return _decode_tokens(ops, a_tokens, b_tokens)


def _settled(a_tokens: Sequence[str], b_tokens: Sequence[str]) -> _Ops | None:
    """diff-match-patch's answer where common prefix and suffix alone decide it, else None.

    A small edit often leaves a middle of a few tokens whose alignment is plain: after the
    common tokens at both ends, one side is empty (an insertion or a deletion), or one side is
    a single token the other lacks (a replacement). diff-match-patch answers those without
    searching, and its cleanups move such an edit only when an equal token at its edge could
    slide across it; those cases, and all others, go to diff-match-patch, whose clock reads
    and set-up cost more than the whole answer here. Takes token lists or their code strings.
    """
    n = min(len(a_tokens), len(b_tokens))
    p = 0
    while p < n and a_tokens[p] == b_tokens[p]:
        p += 1
    s = 0
    while s < n - p and a_tokens[-1 - s] == b_tokens[-1 - s]:
        s += 1
    a_end, b_end = len(a_tokens) - s, len(b_tokens) - s
    a_rest, b_rest = a_end - p, b_end - p
    middle: _Ops
    if a_rest and b_rest:
        # A side of one token that the other lacks: a delete plus an insert, as dmp answers.
        if a_rest == 1:
            if b_rest > 1 and _holds(b_tokens, a_tokens[p], p, b_end):
                return None
        elif b_rest > 1 or _holds(a_tokens, b_tokens[p], p, a_end):
            return None
        middle = [(-1, a_rest), (1, b_rest)]
    else:
        edit = a_tokens[p:a_end] if a_rest else b_tokens[p:b_end]
        if p and s and (a_tokens[p - 1] == edit[-1] or edit[0] == a_tokens[a_end]):
            return None  # an equal token next to the edit could slide across it
        middle = [(-1, a_rest)] if a_rest else [(1, b_rest)]
    return ([(0, p)] if p else []) + middle + ([(0, s)] if s else [])


def _holds(tokens: Sequence[str], token: str, start: int, end: int) -> bool:
    try:
        tokens.index(token, start, end)
    except ValueError:
        return False
    return True


def _align_coarse_first(
    a: str,
    b: str,
    by: Granularity,
    coarse: Granularity,
    diff: Callable[[str, str], _Ops],
    level: int,
) -> list[Segment]:
    """Align ``coarse`` units, then each replaced block of them finer (dmp's line mode)."""
    out: list[Segment] = []
    old: list[str] = []
    new: list[str] = []

    def flush() -> None:
        if old and new:
            out.extend(_align_middle("".join(old), "".join(new), by, diff, level + 1))
        elif old:
            out.append(Segment("delete", "".join(old)))
        elif new:
            out.append(Segment("insert", "".join(new)))
        old.clear()
        new.clear()

    for seg in _align_middle(a, b, coarse, diff, len(_LADDER[coarse])):
        if seg.op == "equal":
            flush()
            out.append(seg)
        else:
            (old if seg.op == "delete" else new).append(seg.text)
    flush()
    return out


@functools.cache
def _code_points(block: int) -> str:
    """The code points handed to tokens, in order, the first ``block`` ranges of them."""
    return "".join(chr(c) for lo, size in _CODE_RANGES[:block] for c in range(lo, lo + size))


@functools.cache
def _first_codes() -> tuple[str, ...]:
    """The first range of code points as one-character strings made once: mapping over a tuple
    hands out these objects instead of making a new string per token."""
    return tuple(_code_points(1))


# Code strings of the two middles and the length in characters of the token behind each code.
_Encoded = tuple[str, str, Callable[[str], int]]


def _encode(a_tokens: list[str], b_tokens: list[str]) -> tuple[str, str] | None:
    """Each distinct token as one code point: the code strings of the two token lists.

    Only equality of code points matters to diff-match-patch (they all fall in the same
    character class), so any one-to-one numbering gives the same answer.
    """
    codes = _first_codes()
    if len(a_tokens) + len(b_tokens) <= len(codes):
        # Each token offers the code of its position; a repeated token keeps its first one.
        table: dict[str, str] = {}
        both = "".join(map(table.setdefault, a_tokens + b_tokens, codes))
        return both[: len(a_tokens)], both[len(a_tokens) :]
    distinct = dict.fromkeys(a_tokens)
    distinct.update(dict.fromkeys(b_tokens))
    some_codes = _code_points(1)
    if len(distinct) > len(some_codes):
        # All the ranges (some 850,000 code points, built once per process, which takes a while).
        some_codes = _code_points(len(_CODE_RANGES))
        if len(distinct) > len(some_codes):
            return None
    table = dict(zip(distinct, some_codes, strict=False))
    return "".join(map(table.__getitem__, a_tokens)), "".join(map(table.__getitem__, b_tokens))


def _encode_lines(a: str, b: str) -> _Encoded | None:
    """The word codes of ``a`` and ``b``, tokenizing each distinct line once.

    Tokenizing is most of the cost of a word diff, and two middles of a few scattered edits
    share most of their lines. A line break is always a token of its own, so splitting at line
    breaks (at C speed) changes no token: the distinct lines are tokenized in one pass, joined by
    line breaks, and each text's codes are put together from its lines'. None when the lines
    share less than ``_LINES_SHARED`` of the characters or hold more tokens than the first range
    of codes: the caller tokenizes the texts.
    """
    a_lines, b_lines = a.split("\n"), b.split("\n")
    lines = dict.fromkeys(a_lines)
    lines.update(dict.fromkeys(b_lines))
    size = len(a) + len(b)
    if (size - sum(map(len, lines)) - len(lines)) < size * _LINES_SHARED:
        return None
    tokens = split_words("\n".join(lines))
    codes = _first_codes()
    if len(tokens) >= len(codes):
        return None
    newline = codes[-1]  # no position's code: there are fewer tokens than codes
    table = {"\n": newline}
    text_codes = "".join(map(table.setdefault, tokens, codes))
    line_codes = dict(zip(lines, text_codes.split(newline), strict=True)).__getitem__
    length = dict(zip(table.values(), map(len, table), strict=True)).__getitem__
    return newline.join(map(line_codes, a_lines)), newline.join(map(line_codes, b_lines)), length


def _decode_tokens(ops: _Ops, a_tokens: list[str], b_tokens: list[str]) -> list[Segment]:
    """Segments for ``ops`` counted in tokens: each run's tokens joined."""
    segments: list[Segment] = []
    i = j = 0
    for op, n in ops:
        if op == 0:
            segments.append(Segment("equal", "".join(a_tokens[i : i + n])))
            i += n
            j += n
        elif op < 0:
            segments.append(Segment("delete", "".join(a_tokens[i : i + n])))
            i += n
        else:
            segments.append(Segment("insert", "".join(b_tokens[j : j + n])))
            j += n
    return segments


def _decode(ops: _Ops, a: str, b: str, encoded: _Encoded | None) -> list[Segment]:
    """Segments of ``a`` and ``b`` for ``ops`` counted in codes (``encoded``) or characters."""
    sizes = [n for _, n in ops] if encoded is None else _sizes(ops, len(a), len(b), encoded)
    segments: list[Segment] = []
    x = y = 0
    for (op, _), size in zip(ops, sizes, strict=True):
        if op == 0:
            segments.append(Segment("equal", a[x : x + size]))
            x += size
            y += size
        elif op < 0:
            segments.append(Segment("delete", a[x : x + size]))
            x += size
        else:
            segments.append(Segment("insert", b[y : y + size]))
            y += size
    return segments


def _sizes(ops: _Ops, a_len: int, b_len: int, encoded: _Encoded) -> list[int]:
    """The length in characters of each run of ``ops``: the token lengths of every run added up,
    but for the longest run of each text, which is what its other runs leave (a long equal run
    is most of the tokens, and adding up lengths costs a dictionary look-up per token)."""
    a_codes, b_codes, length = encoded
    a_longest = max((k for k, (op, _) in enumerate(ops) if op <= 0), key=lambda k: ops[k][1])
    inserts = [k for k, (op, _) in enumerate(ops) if op > 0]
    b_longest = max(inserts, key=lambda k: ops[k][1]) if inserts else -1
    sizes = [0] * len(ops)
    i = j = a_sum = b_sum = 0
    for k, (op, n) in enumerate(ops):
        if op <= 0:
            if k != a_longest:
                sizes[k] = sum(map(length, a_codes[i : i + n]))
                a_sum += sizes[k]
                b_sum += sizes[k] if op == 0 else 0
            i += n
        elif k != b_longest:
            sizes[k] = sum(map(length, b_codes[j : j + n]))
            b_sum += sizes[k]
        if op >= 0:
            j += n
    sizes[a_longest] = a_len - a_sum
    if ops[a_longest][0] == 0:
        b_sum += sizes[a_longest]
    if b_longest >= 0:
        sizes[b_longest] = b_len - b_sum
    return sizes


def _merge(segments: list[Segment]) -> list[Segment]:
    """Drop empty segments, join neighbours of the same op, and put deletes before inserts."""
    out: list[Segment] = []
    for seg in segments:
        if not seg.text:
            continue
        if out and out[-1].op == seg.op:
            out[-1] = Segment(seg.op, out[-1].text + seg.text)
        else:
            out.append(seg)
    return out


# --- backends ---------------------------------------------------------------------------------

_FAST_OPS = {"=": 0, "-": -1, "+": 1}


def _fast_diff(a: str, b: str) -> _Ops:
    import fast_diff_match_patch

    ops = fast_diff_match_patch.diff(
        a, b, timelimit=0, checklines=False, cleanup="Semantic", counts_only=True
    )
    return [(_FAST_OPS[op], n) for op, n in ops]


_PURE: Any = None


def _pure_diff(a: str, b: str) -> _Ops:
    global _PURE
    if _PURE is None:
        import diff_match_patch

        _PURE = diff_match_patch.diff_match_patch()
        _PURE.Diff_Timeout = 0
    diffs = _PURE.diff_main(a, b, False)
    _PURE.diff_cleanupSemantic(diffs)
    return [(op, len(text)) for op, text in diffs]


def _pick(backend: Backend) -> Callable[[str, str], _Ops]:
    if backend == "pure" or (backend == "auto" and not fast_backend_available()):
        return _pure_diff
    return _fast_diff
