"""The decision: the class and kinds of each hunk of a diff.

Each hunk is judged in context, in isolation: the paragraph around it in ``a`` is compared
with the same paragraph with only this hunk applied. That way a quote hunk knows it sits
inside quotation marks, a URL fragment knows it is part of a link, and a neighbouring hunk
in the same sentence cannot leak into the verdict.

Cosmetic means a reader sees the same words and numbers: the two contexts read alike once
markup (Markdown links and emphasis, HTML tags and entities, shortcodes), URLs, whitespace,
punctuation and case are set aside (:mod:`revtrack.diff.visible`). A change to any number
(digits or number words, "1.5" vs "15" included, which the punctuation rule alone would miss)
is never cosmetic.

Substantive kinds come from rules, most telling first: a negation flipped, a number or date
changed, a proper name changed (the facts of :mod:`revtrack.diff.facts`), words inside a
quotation changed, whole sentences removed or added; "wording" when nothing more specific
applies (:func:`_unspecific`, the one place that says so).

Classification runs on every ingest, so each test looks only at what differs: two texts are
compared between their common prefix and suffix, cut where no word, number, date or name can
straddle the cut (the counts of the common parts are equal on both sides); a hunk's sentences
are split from the last sentence boundary before it. Every such shortcut gives the same kinds
as the whole-text computation (checked on all corpus pairs, ``bench/check_kinds.py``, and by
random tests).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence

from revtrack.diff import decide, meaning
from revtrack.diff.assembly import (
    LineCounts,
    byline_credits,
    reordered_lines,
    same_post,
    still_on_page,
    unconditional_words,
)
from revtrack.diff.facts import changed_facts, in_quote
from revtrack.diff.minor import (
    COUNT_WORDS,
    changed_with_context,
    heading_number,
    minor_kind,
    minor_markup,
)
from revtrack.diff.model import COSMETIC, MINOR, Hunk, HunkFacts
from revtrack.diff.visible import reads_alike, says_nothing, visible_text
from revtrack.text.tokenize import Span, iter_sentences, sentence_resume

__all__ = [
    "analyze_hunks",
    "classify_headline",
    "classify_hunks",
    "classify_pair",
    "is_cosmetic_change",
    "visible_text",
]

# Kinds most telling first: a hunk's kinds come in this order, and its first names it.
_ORDER = (
    "headline",
    "negation",
    "number",
    "date",
    "name",
    "quote",
    "sentence-removed",
    "sentence-added",
    "wording",
)

# A paragraph longer than this is cut to a window around the hunk, to bound the work per hunk.
_MAX_CONTEXT = 1500
_WORD = re.compile(r"\w")


def is_cosmetic_change(old: str, new: str) -> bool:
    """Whether ``old`` and ``new`` read the same: equal words and numbers, markup set aside.

    Number words need no check of their own: the skeleton spells "five" as "5"."""
    return reads_alike(visible_text(old), visible_text(new))


def classify_pair(old: str, new: str) -> tuple[str, ...]:
    """Kinds for replacing the passage ``old`` by ``new`` (both whole sentences or clauses)."""
    if is_cosmetic_change(old, new):
        return (COSMETIC,)
    old_v, new_v = visible_text(old), visible_text(new)
    return _ordered(changed_facts(old_v, new_v) or _unspecific(old_v, new_v))


def _unspecific(old_v: str, new_v: str) -> set[str]:
    """The kinds of a change between two visible passages that read differently but state no
    fact differently and touch no quotation: "wording"."""
    return {"wording"}


def _reworded(old_v: str, new_v: str) -> bool:
    """Whether a wording-only change (no fact, quotation or sentence changed) keeps its meaning,
    as the optional model of meaning judges it (:mod:`revtrack.diff.meaning`); False when no
    model is installed, so the rules alone call it substantive."""
    same = meaning.judge()
    if same is None:
        return False
    old_w, new_w = changed_with_context(old_v, new_v, meaning.CONTEXT_WORDS)
    near = f"{old_w} {new_w}".lower().split()
    if max(old_w.count(" "), new_w.count(" ")) >= meaning.MAX_WORDS:
        return False  # a passage rewritten at length: never close enough, and costly to ask
    if any((w in COUNT_WORDS and w not in ("a", "an")) or w[:1].isdigit() for w in near):
        return False  # "two positions" / "two position": a count may have changed
    return same(old_w, new_w)


_STRAY_LETTER = re.compile(r"\s*[^\W\d_]\s*")


def _stray_letter(text: str) -> bool:
    """Whether a "sentence" is a single letter and nothing else (a slip of the keyboard)."""
    return len(text) <= 8 and bool(_STRAY_LETTER.fullmatch(visible_text(text)))


def _ordered(kinds: set[str]) -> tuple[str, ...]:
    return tuple(k for k in _ORDER if k in kinds)


def classify_headline(old: str, new: str) -> tuple[str, ...]:
    """Kinds for a title change: ``()`` if equal, cosmetic, or "headline" plus what changed."""
    if old == new:
        return ()
    kinds = classify_pair(old, new)
    if kinds == (COSMETIC,):
        return kinds
    return _ordered({"headline", *kinds} - {"wording"})


# --- hunks in context --------------------------------------------------------------------------


def classify_hunks(a: str, b: str, hunks: Sequence[Hunk]) -> list[Hunk]:
    """Return ``hunks`` with their kinds set (see :func:`analyze_hunks`)."""
    return [h for h, _ in analyze_hunks(a, b, hunks)]


def analyze_hunks(a: str, b: str, hunks: Sequence[Hunk]) -> list[tuple[Hunk, HunkFacts]]:
    """Classify every hunk and say which sentences it added, removed or changed."""
    aligned = sorted((h for h in hunks if h.op != "move"), key=lambda h: h.a_start)
    starts = [h.a_start for h in aligned]
    front = _front_matter_end(a)
    front_b = _front_matter_end(b) if front or b.startswith(("---", "\n")) else 0
    paragraphs: dict[tuple[int, int], bool] = {}  # (lo, hi) in a -> reads the same in b
    lines = (LineCounts(a), LineCounts(b))
    out: list[tuple[Hunk, HunkFacts]] = []
    for hunk in hunks:
        if hunk.op == "move":
            kinds, facts = classify_pair(hunk.old, hunk.new), _NO_FACTS
        elif (front and hunk.a_end <= front) or _front_matter_only(a, b, hunk, front, front_b):
            kinds, facts = (COSMETIC,), _NO_FACTS  # site metadata, not prose
        elif not (_WORD.search(hunk.old) or _WORD.search(hunk.new)):
            # A change without a letter or digit is spacing, punctuation or markup, which can
            # neither change a number nor add a sentence; a heading's level or a serial comma
            # is the one kind a reader notices.
            style = minor_markup(a, b, hunk)
            kinds, facts = ((MINOR, style) if style else (COSMETIC,)), _NO_FACTS
        elif heading_number(a, b, hunk):
            kinds, facts = (MINOR, "reorder"), _NO_FACTS
        elif same_post(hunk.old, hunk.new):
            kinds, facts = (MINOR, "placeholder"), _NO_FACTS  # one post, embedded otherwise
        elif (shown := unconditional_words(hunk.old, hunk.new)) is not None:
            # Words shown to readers who were not shown them (or no longer): as if added.
            kinds = classify_pair("", shown)
            facts = _NO_FACTS
        else:
            kinds, facts, pending = _classify_in_context(a, b, hunk, aligned, starts, paragraphs)
            if kinds[0] not in (COSMETIC, MINOR) and reordered_lines(
                a, b, (hunk.a_start, hunk.a_end, hunk.b_start, hunk.b_end), lines
            ):
                kinds, facts = (MINOR, "reorder"), _NO_FACTS  # a list's items reordered
            elif pending is not None and _judged_minor(pending):
                # The calibrated second look (revtrack.diff.decide): a wording change the
                # rules could not explain, scored as unlikely to tell a reader anything new.
                kinds = (MINOR, "rewording")
                facts = HunkFacts(changed_sentence_starts=facts.changed_sentence_starts)
        out.append((_with_kinds(hunk, kinds), facts))
    return _with_link_text(a, out)


def _judged_minor(x: list[float]) -> bool:
    judge = decide.model()
    return judge is not None and judge.minor(x)


def _with_link_text(a: str, out: list[tuple[Hunk, HunkFacts]]) -> list[tuple[Hunk, HunkFacts]]:
    """A hunk in a link's address, cosmetic alone, takes the kinds of a hunk that changed the
    same link's text: together they point the reader at another thing ("[CodeConf.com](...)"
    made "[githubuniverse.com](...)"), and the address is part of that change."""
    if len(out) < 2 or "](" not in a:
        return out
    telling = [h for h, _ in out if h.op != "move" and h.kinds[0] not in (COSMETIC, MINOR)]
    if not telling:
        return out
    for i, (hunk, facts) in enumerate(out):
        if hunk.kinds != (COSMETIC,) or hunk.op == "move":
            continue
        span = _link_text_span(a, hunk.a_start, hunk.a_end)
        if span is None:
            continue
        t0, t1 = span
        for other in telling:
            if other.a_start < t1 and other.a_end > t0:
                out[i] = (_with_kinds(hunk, other.kinds), facts)
                break
    return out


def _link_text_span(a: str, start: int, end: int) -> tuple[int, int] | None:
    """The text ``[...]`` of the Markdown link whose address ``(...)`` holds ``a[start:end]``."""
    opened = a.rfind("](", max(0, start - 300), start)
    if opened < 0 or any(ch.isspace() or ch == ")" for ch in a[opened + 2 : end]):
        return None
    bracket = a.rfind("[", max(0, opened - 300), opened)
    if bracket < 0 or "]" in a[bracket + 1 : opened] or "\n\n" in a[bracket:opened]:
        return None
    return bracket + 1, opened


_NO_FACTS = HunkFacts()


def _with_kinds(h: Hunk, kinds: tuple[str, ...]) -> Hunk:
    """``replace(h, kinds=kinds)`` without its field-by-field introspection."""
    return Hunk(h.index, h.op, h.a_start, h.a_end, h.b_start, h.b_end, h.old, h.new, kinds)


_FRONT_MATTER_KEY = re.compile(r"[A-Za-z_][\w-]*:(?:\s|$)")


def _front_matter_only(a: str, b: str, hunk: Hunk, front: int, front_b: int) -> bool:
    """Whether both sides of ``hunk`` lie in their text's front matter (or are empty): a block
    of site metadata added, removed or rewritten at the top, blank lines around it included."""
    if not (front or front_b):
        return False
    old_ok = not hunk.old.strip() or not a[front : max(front, hunk.a_end)].strip()
    new_ok = not hunk.new.strip() or not b[front_b : max(front_b, hunk.b_end)].strip()
    old_in = not hunk.old.strip() or hunk.a_start < front
    new_in = not hunk.new.strip() or hunk.b_start < front_b
    return old_ok and new_ok and old_in and new_in


def _front_matter_end(text: str) -> int:
    """End of a YAML front-matter block (site metadata, not prose) at the top, else 0."""
    head = text[:4000]
    first = head.lstrip("\n").split("\n", 1)[0]
    if first != "---" and not _FRONT_MATTER_KEY.match(first):
        return 0
    body_start = head.find("---") + 3 if first == "---" else 0
    close = head.find("\n---", body_start)
    if close < 0:
        return 0
    end = close + 4
    # A front-matter block pasted twice (a migration's slip): a second block of keys right
    # after the first, closed the same way, is metadata too.
    while True:
        again = head.find("\n---", end)
        if again < 0 or not _metadata_lines(head[end:again]):
            return end
        end = again + 4


def _metadata_lines(block: str) -> bool:
    """Whether every line of ``block`` is blank, a ``key: value`` line, indented (a value
    continued) or a YAML comment, with at least one key: what a front-matter block holds,
    and prose does not."""
    lines = [line for line in block.split("\n") if line.strip()]
    return (
        bool(lines)
        and all(
            _FRONT_MATTER_KEY.match(line) or line.startswith((" ", "\t", "- ", "# "))
            for line in lines
        )
        and any(_FRONT_MATTER_KEY.match(line) for line in lines)
    )


def _map_a_to_b(x: int, aligned: list[Hunk], starts: list[int], *, end: bool) -> int:
    """Where offset ``x`` of ``a`` lands in ``b``; an insertion at ``x`` falls inside the range
    that ``x`` starts (``end=False``) or ends (``end=True``)."""
    i = (bisect.bisect_right(starts, x) if end else bisect.bisect_left(starts, x)) - 1
    if i < 0:
        return x
    h = aligned[i]
    if x >= h.a_end:
        return h.b_end + (x - h.a_end)
    return h.b_end if end else h.b_start


def _context_bounds(a: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph around ``a[start:end]`` (blank lines bound it: a Markdown link or a
    template tag may span a soft line break), cut to a window at spaces when very long."""
    lo = a.rfind("\n\n", 0, start)
    lo = 0 if lo < 0 else lo + 2
    hi = a.find("\n\n", end)
    hi = len(a) if hi < 0 else hi
    if start - lo > _MAX_CONTEXT:
        cut = a.rfind(" ", lo, start - _MAX_CONTEXT)
        lo = start - _MAX_CONTEXT if cut < 0 else cut + 1
    if hi - end > _MAX_CONTEXT:
        cut = a.find(" ", end + _MAX_CONTEXT, hi)
        hi = end + _MAX_CONTEXT if cut < 0 else cut
    return lo, hi


def _core(text: str, span: Span) -> tuple[int, int] | None:
    """Offsets from the first to the last word character of a sentence, or None if it has none."""
    start, end = span.start, span.end
    first = _WORD.search(text, start, end)
    if first is None:
        return None
    last = end - 1
    while not _WORD.match(text, last):
        last -= 1
    return first.start(), last + 1


def _touched(
    text: str, lo: int, hi: int, sentences: Iterable[Span]
) -> tuple[list[Span], list[Span]]:
    """Split the sentences touching ``[lo, hi)`` into those wholly inside it and the rest.

    Sentences come in order with only space between them, so once one reaches ``hi`` the next
    starts from there: the loop stops without asking for it (splitting it off is a third of
    the sentence work of a hunk).
    """
    inside: list[Span] = []
    partial: list[Span] = []
    for span in sentences:
        # A sentence's core lies within it: one ending by ``lo`` or starting from ``hi`` is
        # neither inside the range nor touching it.
        if span.start >= hi and span.end > lo:
            break
        if span.end > lo:
            core = _core(text, span)
            if core is not None:
                c0, c1 = core
                if lo <= c0 and c1 <= hi and lo < hi:
                    inside.append(span)
                elif (c0 < hi and c1 > lo) or (lo == hi and c0 < lo < c1):
                    partial.append(span)
        if span.end >= hi:
            break
    return inside, partial


def _without(text: str, start: int, end: int, spans: list[Span]) -> str:
    """``text[start:end]`` with the given sentences cut out."""
    out: list[str] = []
    pos = start
    for span in spans:
        if span.start >= start and span.end <= end:
            out.append(text[pos : span.start])
            pos = span.end
    out.append(text[pos:end])
    return "".join(out)


def _classify_in_context(
    a: str,
    b: str,
    hunk: Hunk,
    aligned: list[Hunk],
    starts: list[int],
    paragraphs: dict[tuple[int, int], bool],
) -> tuple[tuple[str, ...], HunkFacts, list[float] | None]:
    lo, hi = _context_bounds(a, hunk.a_start, hunk.a_end)
    old_ctx = a[lo:hi]

    # Markup is often changed by several hunks at once ("[" here, "](url)" there): if the
    # paragraph as a whole reads the same in both versions, each of its hunks is cosmetic.
    same = paragraphs.get((lo, hi))
    if same is None:
        b_lo = _map_a_to_b(lo, aligned, starts, end=False)
        b_hi = _map_a_to_b(hi, aligned, starts, end=True)
        same = paragraphs[lo, hi] = is_cosmetic_change(old_ctx, b[b_lo:b_hi])
    if same:
        style = minor_markup(a, b, hunk)
        return ((MINOR, style) if style else (COSMETIC,)), _NO_FACTS, None
    new_ctx = a[lo : hunk.a_start] + hunk.new + a[hunk.a_end : hi]
    h0, h1 = hunk.a_start - lo, hunk.a_end - lo
    shift = len(hunk.new) - (h1 - h0)
    n1 = h1 + shift

    # Both versions read the same up to the hunk and sentences ending before it are of no
    # interest, so both are split from the last sentence boundary before it, and only as far
    # as the hunk reaches.
    resume = sentence_resume(old_ctx, h0)
    old_inside, old_partial = _touched(old_ctx, h0, h1, iter_sentences(old_ctx, resume))
    new_inside, new_partial = _touched(new_ctx, h0, n1, iter_sentences(new_ctx, resume))

    kinds: set[str] = set()
    added = " ".join(s.text(new_ctx) for s in new_inside)
    removed = " ".join(s.text(old_ctx) for s in old_inside)
    # A byline added or removed whole is attribution metadata (the site prints the post's
    # authors from its front matter); a byline replaced by one crediting others is a name.
    added_credits = byline_credits(added) if new_inside else None
    removed_credits = byline_credits(removed) if old_inside else None
    if None not in (added_credits, removed_credits) and added_credits != removed_credits:
        kinds.add("name")
    # A sentence that stands word for word on the other version (a paragraph doubled or its
    # doubling undone) tells a reader nothing new.
    doubled = False
    if new_inside and not says_nothing(added) and added_credits is None:
        if all(still_on_page(s.text(new_ctx), a) for s in new_inside):
            doubled = True
        else:
            kinds.add("sentence-added")
    if old_inside and not says_nothing(removed) and removed_credits is None:
        if all(still_on_page(s.text(old_ctx), b) for s in old_inside):
            doubled = True
        else:
            kinds.add("sentence-removed")
    if (
        len(kinds) == 1
        and not (old_partial or new_partial)
        and _stray_letter(added if new_inside else removed)
    ):
        return (MINOR, "typo"), _NO_FACTS, None  # a letter typed on a line of its own, or deleted

    old_v = new_v = ""
    if old_partial or new_partial:
        # One window over the same surrounding text in both versions: text before the hunk
        # has the same offsets in both, text after it is shifted by the hunk's growth.
        w0 = min(s.start for s in old_partial + new_partial)
        w1 = max([s.end for s in old_partial] + [s.end - shift for s in new_partial])
        w1 = max(w1, h1)
        old_part = _without(old_ctx, w0, w1, old_inside)
        new_part = _without(new_ctx, w0, w1 + shift, new_inside)
        old_v, new_v = visible_text(old_part), visible_text(new_part)
        if not reads_alike(old_v, new_v):
            specific = changed_facts(old_v, new_v)
            if in_quote(old_ctx, h0, h1, w0) or in_quote(new_ctx, h0, n1, w0):
                specific.add("quote")
            if not kinds and specific <= {"name"}:
                # No sentence came or went and no number, date, negation or quotation moved:
                # words that change and tell nothing new are minor (a respelled name is not:
                # minor_kind never explains a capitalised name).
                minor = minor_kind(old_v, new_v)
                if minor is not None:
                    return (
                        (MINOR, minor),
                        HunkFacts(
                            changed_sentence_starts=frozenset(lo + s.start for s in old_partial)
                        ),
                        None,
                    )
            if not kinds and not specific and _reworded(old_v, new_v):
                return (
                    (MINOR, "rewording"),
                    HunkFacts(changed_sentence_starts=frozenset(lo + s.start for s in old_partial)),
                    None,
                )
            kinds |= specific or _unspecific(old_v, new_v)
    if not kinds:
        return ((MINOR, "typo") if doubled else (COSMETIC,)), _NO_FACTS, None
    pending: list[float] | None = None
    judge = decide.model()
    if judge is not None and judge.asks(kinds):
        pending = decide.features(
            kinds,
            f"{old_v} {visible_text(removed)}" if old_inside else old_v,
            f"{new_v} {visible_text(added)}" if new_inside else new_v,
            hunk.old + hunk.new,
            a,
            b,
            judge,
        )
    facts = HunkFacts(
        sentences_added=len(new_inside) if "sentence-added" in kinds else 0,
        sentences_removed=len(old_inside) if "sentence-removed" in kinds else 0,
        changed_sentence_starts=frozenset(lo + s.start for s in old_partial),
    )
    return _ordered(kinds), facts, pending
