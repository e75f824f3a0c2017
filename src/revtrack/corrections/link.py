"""Tie a note to the revision that made the fix it discloses, and to the hunks of that fix.

Every substantive hunk of every revision in the note's window (the disclosing revision and the
ones before it, back to the previous note) is scored against what the note claims
(:mod:`revtrack.corrections.claims`):

* the wrong and the right wording, when the note prints them: the wrong in the old sentence and
  gone from the new one, the right new in the new one. This is the strongest evidence;
* note words that are themselves the changed words ("Timmy" deleted, "Tommy" inserted);
* note content words in the changed sentence, weighted by how rare each word is in the article
  (a word in every sentence, such as the country a story is about, says little);
* agreement between the kind of error the note names and what the hunk changed (a number, a
  name, a date, a quotation ...), which counts only when some words matched too.

The revision whose hunks score best is the fixing revision; a near tie goes to the later one,
because the last change to a passage is the one that fixed it. Hunks of other revisions with
strong evidence of their own are kept as evidence too (a fix made in two steps). Below a
threshold nothing matched: the note stays on its disclosing revision with a low confidence.
Hunks inside notes (the note's own paragraph, an amended older note) are never evidence.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from revtrack.corrections.claims import AGREEING_HUNK_KINDS, NoteClaims, parse_note
from revtrack.corrections.detect import detect_notes, note_kind_from_text
from revtrack.corrections.model import Evidence, Link, Note, NoteKind, RevisionChanges
from revtrack.corrections.words import content_words, stem, surface_words
from revtrack.diff.model import Hunk
from revtrack.text.lexicon import (
    MONTH_ABBREVIATIONS,
    MONTHS,
    NEGATION_PHRASES,
    NUMBER_PHRASES,
    NUMBER_WORDS,
    RELATIVE_DAYS,
    WEEKDAYS,
    alternation,
    is_negation,
)
from revtrack.text.tokenize import split_sentences

__all__ = ["MATCH_THRESHOLD", "TITLE_HUNK", "link_manual", "link_note", "score_hunks"]

# A hunk must score at least this to be called the fix (one rare word plus an agreeing kind,
# or one changed word the note names, or a wrong/right match).
MATCH_THRESHOLD = 1.6
# Above this many content words a change is a passage added or removed, not a swapped wording.
_SMALL_CHANGE = 12
# What a passage removed whole scores against a note that says a passage was removed, with no
# word in common ("A passage has been removed."): just enough to be the fix, so that any word
# the note shares with another change outweighs it.
_REMOVAL = 1.7
# Evidence index used for a change of the revision's title (not one of the diff's hunks).
TITLE_HUNK = -1
# Revisions within this share of the best score count as a tie, won by the later one.
_TIE = 0.1
# An update or editor's note announces what its own revision adds. Unless it says it refers to
# a change ("updated to include", "we have added"), it stays on its own revision; when it does,
# an earlier revision earns the link only with its own changed words, and twice the evidence.
_ANNOUNCING_KINDS = frozenset({"update", "editors-note"})
_EARLIER_DISCOUNT = 0.5
_REFERS_TO_CHANGE = re.compile(
    r"\b(?:updated|amended|revised|changed|corrected|added|adds|removed|deleted|replaced"
    r"|to include|to reflect|previously|earlier|originally|no longer)\b",
    re.I,
)
# An update that states what is now right ("updated to reflect that the fire is now at advice
# level", "to clarify that ...") speaks of a fix, wherever it was made: no discount.
_STATES_A_FIX = re.compile(
    r"\bto\s+(?:reflect|show|clarify|correct|make\s+clear|note)\s+that\b|\bto\s+(?:correct|clarify)\b"
    r"|\b(?:has|have|had)\s+been\s+(?:removed|deleted|taken\s+out|withdrawn)\b",
    re.I,
)

# A changed word among these makes a date change, "may" and "mar" included: the linker reads
# single words, so it cannot tell "May 5" from "it may", and a kind counts only where the note
# names a date error and words matched too.
_DATE_WORDS = frozenset((*MONTHS, *MONTH_ABBREVIATIONS, *WEEKDAYS, *RELATIVE_DAYS))
_NUMBER_WORDS = frozenset(NUMBER_WORDS)
# Phrases of the lexicon, found in a part's words joined by single spaces.
_NEGATION_PHRASE = re.compile(rf"\b(?:{alternation(NEGATION_PHRASES)})\b")
_NUMBER_PHRASE = re.compile(rf"\b(?:{alternation(NUMBER_PHRASES)})\b")


@dataclass(frozen=True)
class HunkScore:
    """One hunk's score against a note, with what matched."""

    revision: int
    hunk_index: int
    score: float
    matched: tuple[str, ...]
    error_kind: str
    old: str
    new: str
    strong: bool  # wrong/right or changed-word evidence, not only context words
    span: tuple[int, int, int, int] = (-1, -1, -1, -1)  # the hunk in the old and the new text


def link_note(note: Note, disclosing: int, history: Sequence[RevisionChanges]) -> Link:
    """Find the revision and hunks ``note`` (disclosed in ``disclosing``) speaks of.

    ``history`` holds the disclosing revision's changes and those of the revisions before it,
    back to (not including) the previous note's revision, newest first.
    """
    candidates = score_hunks(note, disclosing, history)
    scores = [s for s in candidates if s.score > 0]
    # "Update: this story was corrected to ..." is a correction whatever its label.
    if note.kind in _ANNOUNCING_KINDS and note_kind_from_text(note.text) not in (
        "correction",
        "clarification",
    ):
        refers = bool(_REFERS_TO_CHANGE.search(note.text))
        discount = 1.0 if _STATES_A_FIX.search(note.text) else _EARLIER_DISCOUNT
        scores = [
            s if s.revision == disclosing else dataclasses.replace(s, score=s.score * discount)
            for s in scores
            if s.revision == disclosing or (refers and s.strong)
        ]
    if not scores:
        return Link(fixing_revision=disclosing, confidence=0.05, evidence=(), matched=False)
    by_revision: dict[int, list[HunkScore]] = {}
    for s in scores:
        by_revision.setdefault(s.revision, []).append(s)
    totals = {rev: _revision_total(hunks) for rev, hunks in by_revision.items()}
    best_total = max(totals.values())
    # Near ties go to the later revision.
    fixing = max(rev for rev, total in totals.items() if total >= best_total * (1 - _TIE))
    best = max(s.score for s in by_revision[fixing])
    if best < MATCH_THRESHOLD:
        confidence = round(min(0.2, 0.2 * best / MATCH_THRESHOLD), 3)
        return Link(fixing_revision=disclosing, confidence=confidence, evidence=(), matched=False)

    chosen = [s for s in by_revision[fixing] if s.score >= max(MATCH_THRESHOLD, best * 0.5)]
    for rev, hunks in by_revision.items():
        if rev == fixing:
            continue
        chosen += [s for s in hunks if s.strong and s.score >= max(MATCH_THRESHOLD, best * 0.8)]
    second = max((t for rev, t in totals.items() if rev != fixing), default=0.0)
    margin = (totals[fixing] - min(second, totals[fixing])) / totals[fixing]
    confidence = (1 - math.exp(-best / 4.0)) * (0.6 + 0.4 * margin)
    texts = {c.number: c for c in history}
    ranked = sorted(chosen, key=lambda s: (-s.score, -s.revision, s.hunk_index))
    evidence = tuple(_evidence(s, texts.get(s.revision)) for s in ranked)
    picked = {(s.revision, s.hunk_index) for s in chosen}
    others = [s for s in candidates if (s.revision, s.hunk_index) not in picked]
    runner_up = max(others, key=lambda s: (s.score, s.revision), default=None)
    return Link(
        fixing_revision=fixing,
        confidence=round(min(0.99, confidence), 3),
        evidence=evidence,
        runner_up=_evidence(runner_up, texts.get(runner_up.revision)) if runner_up else None,
    )


# The corrected phrase around a change: this much of its sentence either side at most, and the
# changed words themselves cut to ``_CHANGE_CHARS``, so evidence stays small whatever the text.
_CONTEXT_CHARS = 160
_CHANGE_CHARS = 300


def _evidence(s: HunkScore, changes: RevisionChanges | None) -> Evidence:
    """The evidence row for a scored hunk, with the sentence it corrected around it."""
    before = after = ""
    start = end = -1
    a_start, a_end, b_start, b_end = s.span
    if changes is not None and b_start >= 0:
        # The phrase as the fix left it; for a deletion, as it was before.
        deleted = b_start == b_end
        text = changes.diff.a if deleted else changes.diff.b
        lo, hi = (a_start, a_end) if deleted else (b_start, b_end)
        while lo < hi and text[lo].isspace():
            lo += 1
        while hi > lo and text[hi - 1].isspace():
            hi -= 1
        start, end = _sentence_bounds(text, lo, hi)
        before = _tail(text[start:lo].lstrip())
        after = _head(text[hi:end].rstrip())
    return Evidence(
        revision=s.revision,
        hunk_index=s.hunk_index,
        matched_words=s.matched,
        error_kind=s.error_kind,
        old=_head(s.old, _CHANGE_CHARS),
        new=_head(s.new, _CHANGE_CHARS),
        score=round(s.score, 3),
        before=before,
        after=after,
        start=start,
        end=end,
    )


def _sentence_bounds(text: str, lo: int, hi: int) -> tuple[int, int]:
    """The start of the sentence ``lo`` falls in and the end of the one ``hi`` falls in, looked
    for within the paragraph (a bounded reach either side, so a text with no stops costs little)."""
    reach = 4 * _CONTEXT_CHARS
    par_start = text.rfind("\n\n", max(0, lo - reach), lo)
    par_start = max(0, lo - reach) if par_start < 0 else par_start + 2
    par_end = text.find("\n\n", hi, hi + reach)
    par_end = min(len(text), hi + reach) if par_end < 0 else par_end
    sentences = split_sentences(text, par_start, par_end)
    start = next((sp.start for sp in reversed(sentences) if sp.start <= lo), par_start)
    end = next((sp.end for sp in sentences if sp.end >= hi), par_end)
    return min(start, lo), max(end, hi)


def _head(text: str, limit: int = _CONTEXT_CHARS) -> str:
    """At most ``limit`` characters from the start of ``text``, cut at a space, "…" if cut."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip() + "…"


def _tail(text: str, limit: int = _CONTEXT_CHARS) -> str:
    """At most ``limit`` characters from the end of ``text``, cut at a space, "…" if cut."""
    if len(text) <= limit:
        return text
    cut = text.find(" ", len(text) - limit)
    return (
        "…" + text[cut + 1 if 0 <= cut < len(text) - limit // 2 else len(text) - limit :].lstrip()
    )


def link_manual(
    note_text: str,
    kind: NoteKind,
    history: Sequence[RevisionChanges],
    disclosing: int | None = None,
) -> Link:
    """Link a note a person added by hand; its text is in no revision."""
    note = Note(kind=kind, label="", text=note_text, start=0, end=0)
    if disclosing is None:
        disclosing = history[0].number if history else 0
    return link_note(note, disclosing, history)


def score_hunks(note: Note, disclosing: int, history: Sequence[RevisionChanges]) -> list[HunkScore]:
    """Score every substantive hunk of ``history`` against ``note`` (unsorted; a hunk nothing
    of the note matches scores 0 and is kept, as a candidate the verdict is weighed against)."""
    claims = parse_note(note.text)
    if not history:
        return []
    # Each revision's text is the new side of its changes and the old side of the next
    # ones': its notes are found once (detection was half of linking's time).
    spans: dict[str, list[tuple[int, int]]] = {}

    def notes_of(text: str) -> list[tuple[int, int]]:
        if text not in spans:
            spans[text] = [(n.start, n.end) for n in detect_notes(text)]
        return list(spans[text])

    latest = history[0].diff.b
    # Rarity is judged on the story without its notes, which repeat the words they correct.
    idf = _idf(_outside(latest, 0, len(latest), notes_of(latest)))
    scores: list[HunkScore] = []
    for changes in history:
        diff = changes.diff
        new_notes = notes_of(diff.b)
        if changes.number == disclosing and note.end > note.start:
            new_notes.append((note.start, note.end))
        old_notes = notes_of(diff.a)
        for hunk in diff.hunks:
            if hunk.cosmetic:
                continue
            old_part = _outside(diff.a, hunk.a_start, hunk.a_end, old_notes)
            new_part = _outside(diff.b, hunk.b_start, hunk.b_end, new_notes)
            if not old_part.strip() and not new_part.strip():
                continue
            old_ctx = _context(diff.a, hunk.a_start, hunk.a_end, old_notes)
            new_ctx = _context(diff.b, hunk.b_start, hunk.b_end, new_notes)
            kinds = set(hunk.kinds) | _inferred_kinds(hunk, old_part, new_part, old_ctx, new_ctx)
            scored = _score(
                claims, idf, changes.number, hunk.index, old_part, new_part, old_ctx, new_ctx, kinds
            )
            span = (hunk.a_start, hunk.a_end, hunk.b_start, hunk.b_end)
            scores.append(dataclasses.replace(scored, span=span))
        if changes.old_title != changes.new_title and changes.old_title and changes.new_title:
            scored = _score(
                claims,
                idf,
                changes.number,
                TITLE_HUNK,
                changes.old_title,
                changes.new_title,
                changes.old_title,
                changes.new_title,
                {"headline"} | _inferred_kinds(None, changes.old_title, changes.new_title, "", ""),
            )
            scores.append(scored)
    return scores


# ----------------------------------------------------------------------------- scoring


def _score(
    claims: NoteClaims,
    idf: dict[str, float],
    revision: int,
    index: int,
    old_part: str,
    new_part: str,
    old_ctx: str,
    new_ctx: str,
    kinds: set[str],
) -> HunkScore:
    matched: list[tuple[float, str]] = []
    strong = 0.0

    # Wrong and right wording: the strongest evidence. The sentence may hold another change
    # too (a look-alike beside the fix): full weight only to the hunk whose own words are in
    # the wording, a quarter to its neighbours.
    low_old, low_new = _norm(old_ctx), _norm(new_ctx)
    own = set(surface_words(old_part)) | set(surface_words(new_part))
    for wrong in claims.wrong:
        w = _norm(wrong)
        if w and w in low_old and w not in low_new:
            weight = 4.0 if own & set(surface_words(wrong)) else 1.0
            strong += weight
            matched.append((weight, wrong))
    for right in claims.right:
        r = _norm(right)
        if r and r in low_new and r not in low_old:
            weight = 3.0 if own & set(surface_words(right)) else 0.75
            strong += weight
            matched.append((weight, right))
    for quote in claims.quoted:
        q = _norm(quote)
        if q and len(q) >= 4 and ((q in low_old) != (q in low_new)):
            weight = 2.5 if own & set(surface_words(quote)) else 0.6
            strong += weight
            matched.append((weight, quote))

    # Note words that are the changed words themselves.
    changed_old = {stem(w) for w in surface_words(old_part)}
    changed_new = {stem(w) for w in surface_words(new_part)}
    changed = changed_old ^ changed_new
    changed_size = len(set(content_words(old_part)) | set(content_words(new_part)))
    if changed_size > _SMALL_CHANGE:
        # A passage added or removed whole: its words are context, not a swapped wording.
        changed = set()
    changed_score = 0.0
    for s, word in claims.words.items():
        if s in changed:
            weight = 2.0 * idf.get(s, 1.0)
            changed_score += weight
            matched.append((weight, word))
    strong += min(changed_score, 6.0)

    # Note words in the changed sentences.
    context = set(content_words(old_ctx)) | set(content_words(new_ctx))
    if not changed:
        context |= set(content_words(old_part)) | set(content_words(new_part))
    context_factor = math.sqrt(min(1.0, 30 / max(30, len(context))))
    context_score = 0.0
    for s, word in claims.words.items():
        if s in context and s not in changed:
            weight = idf.get(s, 1.0) * context_factor
            context_score += weight
            matched.append((weight, word))

    # The kind of error the note names, if the hunk shows it.
    error_kind = ""
    kind_score = 0.0
    structural = False  # the hunk is the kind of change the note names, whatever its words
    evidence_so_far = strong + context_score
    for kind in claims.error_kinds:
        if AGREEING_HUNK_KINDS.get(kind, frozenset()) & kinds:
            error_kind = kind
            # A headline note and a changed headline agree on their own: titles rarely change;
            # so do a note that says a passage was removed and a passage removed whole.
            if kind == "headline":
                kind_score = 2.0
            elif (
                kind == "sentence-removed" and "sentence-removed" in kinds and not new_part.strip()
            ):
                kind_score = max(_REMOVAL, 1.5 * min(1.0, evidence_so_far))
                structural = True
            else:
                kind_score = 1.5 * min(1.0, evidence_so_far)
            if kind_score > 0:
                matched.append((0.0, claims.cues[kind]))
            break

    total = strong + context_score + kind_score
    ordered = tuple(dict.fromkeys(word for _, word in sorted(matched, key=lambda m: -m[0])))
    return HunkScore(
        revision=revision,
        hunk_index=index,
        score=total,
        matched=ordered,
        error_kind=error_kind,
        old=old_part.strip(),
        new=new_part.strip(),
        strong=strong > 0 or structural,
    )


def _revision_total(hunks: list[HunkScore]) -> float:
    """A revision's score: its best hunk, plus a little for other good hunks (multi-part fixes)."""
    ranked = sorted((h.score for h in hunks), reverse=True)
    best = ranked[0]
    return best + 0.3 * sum(s for s in ranked[1:] if s >= best * 0.5)


def _idf(text: str) -> dict[str, float]:
    """Rarity of each word across the article's sentences, scaled to about [0.2, 1.2]."""
    sentences = [set(content_words(text[s.start : s.end])) for s in split_sentences(text)]
    n = max(1, len(sentences))
    df: dict[str, int] = {}
    for words in sentences:
        for w in words:
            df[w] = df.get(w, 0) + 1
    scale = math.log(n + 1)
    return {w: 0.2 + math.log((n + 1) / (count + 0.5)) / scale for w, count in df.items()}


# --------------------------------------------------------------------------- hunk text


def _outside(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    """``text[start:end]`` with the parts inside any of ``spans`` (notes) removed."""
    pieces: list[str] = []
    pos = start
    for s, e in sorted(spans):
        if e <= pos or s >= end:
            continue
        if s > pos:
            pieces.append(text[pos:s])
        pos = max(pos, e)
    if pos < end:
        pieces.append(text[pos:end])
    return " ".join(pieces)


def _context(text: str, start: int, end: int, notes: list[tuple[int, int]]) -> str:
    """The sentences the change touches (for an insertion, the sentence it lands in)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if line_start >= line_end:
        return ""
    sentences = split_sentences(text, line_start, line_end)
    lo, hi = start, max(end, start + 1)
    touched = [s for s in sentences if s.start < hi and s.end > lo]
    if not touched and sentences:
        touched = [min(sentences, key=lambda s: min(abs(s.start - start), abs(s.end - start)))]
    if not touched:
        return ""
    return _outside(text, touched[0].start, touched[-1].end, notes)


def _inferred_kinds(
    hunk: Hunk | None, old_part: str, new_part: str, old_ctx: str, new_ctx: str
) -> set[str]:
    """Kinds read from the changed words, so linking does not depend on the classifier."""
    kinds: set[str] = set()
    old_words, new_words = surface_words(old_part), surface_words(new_part)
    changed = set(old_words) ^ set(new_words)
    old_joined, new_joined = " ".join(old_words), " ".join(new_words)
    if any(any(c.isdigit() for c in w) or w in _NUMBER_WORDS for w in changed) or _phrases_differ(
        _NUMBER_PHRASE, old_joined, new_joined
    ):
        kinds.add("number")
    if any(w in _DATE_WORDS or re.fullmatch(r"1[5-9]\d\d|20\d\d", w) for w in changed):
        kinds.add("date")
    if any(is_negation(w) for w in changed) or _phrases_differ(
        _NEGATION_PHRASE, old_joined, new_joined
    ):
        kinds.add("negation")
    raw_changed = set(re.findall(r"\b[A-Z][\w'’-]+", old_part)) ^ set(
        re.findall(r"\b[A-Z][\w'’-]+", new_part)
    )
    if raw_changed:
        kinds.add("name")
    if len(old_words) <= 3 and len(new_words) <= 3 and old_words and new_words:
        from difflib import SequenceMatcher

        if SequenceMatcher(None, " ".join(old_words), " ".join(new_words)).ratio() >= 0.6:
            kinds.add("spelling")
    if re.search(r"[“”\"]", old_ctx + new_ctx) and _inside_quotes(
        old_ctx, old_part
    ) | _inside_quotes(new_ctx, new_part):
        kinds.add("quote")
    if (
        hunk is not None
        and hunk.op in ("insert", "replace")
        and len(new_words) >= 6
        and not old_words
    ):
        kinds.add("sentence-added")
    if (
        hunk is not None
        and hunk.op in ("delete", "replace")
        and len(old_words) >= 6
        and not new_words
    ):
        kinds.add("sentence-removed")
    return kinds


def _phrases_differ(pattern: re.Pattern[str], old: str, new: str) -> bool:
    """Whether the phrases ``pattern`` finds in ``old`` and in ``new`` differ (as sets, like the
    changed words)."""
    return set(pattern.findall(old)) != set(pattern.findall(new))


def _inside_quotes(context: str, part: str) -> bool:
    part = part.strip()
    if not part:
        return False
    at = context.find(part)
    if at < 0:
        return False
    before = context[:at]
    opens = before.count("“") + before.count('"')
    closes = before.count("”")
    return opens > closes if "“" in before else before.count('"') % 2 == 1


_NORM = re.compile(r"[^\w%$]+")


def _norm(text: str) -> str:
    """Lower-case words joined by single spaces, padded so containment respects word edges."""
    words = _NORM.sub(" ", text.replace("’", "'").replace("'", "").lower()).split()
    return f" {' '.join(words)} " if words else ""
