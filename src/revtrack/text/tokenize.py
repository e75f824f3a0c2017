"""Word, sentence and paragraph tokenization that never loses a character.

Every splitter here is lossless: word tokens concatenate back to the text exactly, and
sentence/paragraph spans are offsets whose gaps are whitespace only. The diff engine maps
tokens to single characters, so a token must be the unit a reader thinks in: a number such
as "1.5", "82%", "$100" or "1,000" is one token (a diff shows "80%" -> "82%", never "8[0]{2}%"),
a word keeps its inner apostrophes ("Japan’s", "didn't"), each punctuation mark is its own
token, and a run of whitespace is one token.

Sentence boundaries are found with rules rather than a model: they must be fast (the engine
splits only the paragraphs around a change) and predictable. A boundary is end punctuation
(optionally followed by closing quotes or brackets) plus whitespace, unless the word before
the period is a known abbreviation ("Mr.", "Jan.", "U.S.") or a single initial; any line
break is a boundary too, because headings, list items and paragraphs rarely end in a period.
The lower-cased Wikipedia corpus is why a lower-case letter may start a sentence.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

from revtrack.text.lexicon import HONORIFICS, MONTH_ABBREVIATIONS, WEEKDAY_ABBREVIATIONS

__all__ = [
    "Span",
    "iter_sentences",
    "sentence_resume",
    "sentence_tokens",
    "split_paragraphs",
    "split_sentences",
    "split_words",
    "word_count",
]

_AMOUNT = r"\d+(?:[.,:/]\d+)*(?:%|\b)"
_NUMBER = rf"[$€£¥]?{_AMOUNT}"
_WORD = r"\w+(?:['’]\w+)*"
# Tokens: a number, else a word, a line break, a run of other whitespace, or any one character
# (``rf"{_NUMBER}|{_WORD}|\n|[^\S\n]+|."``). Written for speed, as the diff engine tokenizes
# every changed middle: the alternatives are tried in an order where the commonest tokens
# (spaces, then words starting with a letter) match first, the number pattern is tried only
# where a currency sign or digit starts, and runs that nothing can follow are possessive.
# The same tokens, because the alternatives that moved start with characters no other can
# (a test compares the two patterns).
_TOKEN = re.compile(
    rf"[^\S\n]++|[^\W\d]\w*+(?:['’]\w+)*+|(?=[$€£¥\d]){_NUMBER}|\w++(?:['’]\w+)*+|\n|.", re.DOTALL
)
# The same tokens, the ones starting with a letter or digit (words, numbers without a currency
# sign) captured: ``findall`` gives them and "" for the rest, so counting needs no Python loop.
_WORDLIKE_TOKEN = re.compile(rf"[$€£¥]{_AMOUNT}|({_AMOUNT}|{_WORD})|\n|[^\S\n]+|.", re.DOTALL)

# Weekday abbreviations that are words too: a sentence may end with one ("the sun.").
_ALSO_WORDS = ("wed", "sat", "sun")
# Words after which a period does not end a sentence.
_ABBREVIATIONS = frozenset(
    [
        *HONORIFICS,
        *MONTH_ABBREVIATIONS,
        *(w for w in WEEKDAY_ABBREVIATIONS if w not in _ALSO_WORDS),
        "inc",
        "ltd",
        "co",
        "corp",
        "bros",
        "llc",
        "dept",
        "est",
        "approx",
        "fig",
        "no",
        "nos",
        "vol",
        "pp",
        "ed",
        "eds",
        "vs",
        "etc",
        "al",
        "cf",
        "ca",
        "mt",
        "ft",
        "ave",
        "blvd",
        "rd",
        "e.g",
        "i.e",
        "u.s",
        "u.k",
        "u.n",
        "a.m",
        "p.m",
        "d.c",
    ]
)
_LONGEST = max(len(w) for w in _ABBREVIATIONS)
# What ends the word before a period, looking back: a space or an opening quote or bracket.
_WORD_EDGE = re.compile(r"[\s(\"“‘'\[]")
# End punctuation, then closing quotes/brackets, then the whitespace that separates sentences.
_DOTTED = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")
_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)|\n")
# A single line break is a space inside a hard-wrapped paragraph; it ends a sentence only
# before a blank line, the end of the text, or a line that opens a block of its own (a
# Markdown heading, list item, quote, table row, fence or HTML tag), or after a heading or
# table row. The look-ahead is bounded (_LINE_LOOK characters) so a boundary is decided from
# the text just around it, which sentence_resume relies on.
_BLOCK_LINE = re.compile(r"[ \t]{0,8}(?:\n|$|[#>|<]|```|[-*+•][ \t]|\d{1,3}[.)][ \t])")
_LINE_LOOK = 14


@dataclass(frozen=True)
class Span:
    """Character offsets ``start:end`` of a sentence or paragraph in the text it came from."""

    start: int
    end: int

    def text(self, source: str) -> str:
        return source[self.start : self.end]


def split_words(text: str) -> list[str]:
    """Split ``text`` into word, number, punctuation and whitespace tokens (lossless)."""
    return _TOKEN.findall(text)


# Past this many characters a text is counted in pieces: ``findall`` on a 10 MB text holds a
# list of three million tokens (about 100 MB) at once.
_COUNT_PIECE = 1 << 18
# A piece ends before a whitespace character that follows a non-whitespace one: no token
# crosses such a point (only a whitespace run holds whitespace, and it starts there), and an
# amount's closing ``\b`` sees the same boundary at a piece's end as before the space.
_PIECE_END = re.compile(r"(?<=\S)\s")


def word_count(text: str) -> int:
    """Count the tokens of ``text`` a reader would call words or numbers: those that start
    with a letter or digit."""
    if len(text) <= 2 * _COUNT_PIECE:
        found = _WORDLIKE_TOKEN.findall(text)
        return len(found) - found.count("")
    total = 0
    start = 0
    while start < len(text):
        cut = _PIECE_END.search(text, start + _COUNT_PIECE)
        end = cut.start() if cut else len(text)
        found = _WORDLIKE_TOKEN.findall(text, start, end)
        total += len(found) - found.count("")
        start = end
    return total


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the period at ``dot`` closes an abbreviation or an initial, not a sentence."""
    reach = dot - _LONGEST - 1
    if reach >= 0 and text[dot - 2] != "." and not _WORD_EDGE.search(text, reach, dot):
        return False  # a word longer than any abbreviation, and not dotted ("U.S")
    start = dot
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in "(\"“‘'[":
        start -= 1
    word = text[start:dot].lower()
    if not word:
        return False
    if word in _ABBREVIATIONS or _DOTTED.fullmatch(word):
        return True
    # A single initial ("J. Smith"), but not a lone digit or a lower-case Wikipedia word.
    return len(word) == 1 and text[start].isupper()


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentence spans of ``text[start:end]``, offsets into ``text``, surrounding space excluded.

    Between two consecutive spans there is only whitespace, so the spans plus the gaps give the
    text back exactly.
    """
    return list(iter_sentences(text, start, end))


def iter_sentences(text: str, start: int = 0, end: int | None = None) -> Iterator[Span]:
    """:func:`split_sentences` one span at a time, for a caller that needs only the first few.

    Every boundary is decided from the text around it, never from the spans before: started at
    the start of one of ``split_sentences(text)``'s spans, this gives that span and the ones after.
    """
    stop = len(text) if end is None else end
    pos = start
    for m in _END.finditer(text, start, stop):
        dot = m.start()
        if text[dot] == "." and m.end() - dot == 1 and _is_abbreviation(text, dot):
            continue
        if text[dot] == "\n" and not _line_break_ends(text, dot):
            continue
        span = _trimmed(text, pos, m.end())
        if span is not None:
            yield span
        pos = m.end()
    span = _trimmed(text, pos, stop)
    if span is not None:
        yield span


def sentence_resume(text: str, pos: int) -> int:
    """A point ``r <= pos`` from which :func:`iter_sentences` gives exactly the sentences of
    ``split_sentences(text)`` that start at ``r`` or later, found from ``text[:pos]`` alone.

    It is the end of the last sentence boundary before ``pos`` (or 0), so it holds for any
    text that begins with ``text[:pos]``: a caller comparing two versions of a paragraph that
    differ from ``pos`` on needs to split only from there. Boundaries are local (punctuation
    followed by a space, or a line break), so the search starts at a space shortly before
    ``pos`` and reaches back further only when it finds none.
    """
    for back in (400, 3200):
        if pos <= back:
            break
        space = text.rfind(" ", 0, pos - back)
        if space < 0:
            break
        found = _last_boundary_end(text, space, pos)
        if found:
            return found
    return _last_boundary_end(text, 0, pos)


def _last_boundary_end(text: str, start: int, pos: int) -> int:
    """End of the last accepted boundary found from ``start`` (a space, or 0) ending before
    ``pos``, or 0. A boundary never holds a space, so none straddles ``start``."""
    last = 0
    for m in _END.finditer(text, start, pos):
        dot = m.start()
        if m.end() >= pos:
            break
        if text[dot] == "." and m.end() - dot == 1 and _is_abbreviation(text, dot):
            continue
        if text[dot] == "\n" and (m.end() + _LINE_LOOK > pos or not _line_break_ends(text, dot)):
            continue  # a line break decided by text at or past pos cannot anchor a resume
        last = m.end()
    return last


def _line_break_ends(text: str, nl: int) -> bool:
    """Whether the line break at ``nl`` ends a sentence (see _BLOCK_LINE)."""
    if _BLOCK_LINE.match(text, nl + 1):
        return True
    found = text.rfind("\n", max(0, nl - 400), nl)
    if found < 0 and nl > 400:
        return False  # a line that long is prose, not a heading
    line = found + 1
    while line < nl and text[line] in " \t":
        line += 1
    return line < nl and text[line] in "#|"


def _trimmed(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if start < end else None


def sentence_tokens(text: str) -> list[str]:
    """Sentences and the whitespace between them, alternating; concatenates back to ``text``."""
    tokens: list[str] = []
    pos = 0
    for span in split_sentences(text):
        if span.start > pos:
            tokens.append(text[pos : span.start])
        tokens.append(text[span.start : span.end])
        pos = span.end
    if pos < len(text):
        tokens.append(text[pos:])
    return tokens


_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n\s*")
# The last texts split, as (text, spans): ingest looks for notes around the changes of each
# revision in both its text and its parent's, so along an article's history every text is
# split twice, first as the new text, then as the next revision's old one (the same object).
# Keyed by identity and holding the text, so a hit is always the same string.
_RECENT_PARAGRAPHS: deque[tuple[str, tuple[Span, ...]]] = deque(maxlen=2)


def split_paragraphs(text: str) -> list[Span]:
    """Paragraph spans: runs of text separated by blank lines, surrounding space excluded."""
    for seen, found in tuple(_RECENT_PARAGRAPHS):
        if seen is text:
            return list(found)
    spans = _split_paragraphs(text)
    _RECENT_PARAGRAPHS.append((text, tuple(spans)))
    return spans


def _split_paragraphs(text: str) -> list[Span]:
    spans: list[Span] = []
    pos = 0
    for m in _BLANK_LINE.finditer(text):
        span = _trimmed(text, pos, m.start())
        if span is not None:
            spans.append(span)
        pos = m.end()
    span = _trimmed(text, pos, len(text))
    if span is not None:
        spans.append(span)
    return spans
