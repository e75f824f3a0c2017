"""Sentence spans for blame, kept here so blame never depends on a tokenizer still in flux.

Blame needs offsets, not strings: each sentence is a ``(start, end)`` span of the text with
its surrounding blank space trimmed. A line break always ends a sentence, because headlines,
subheads and captions carry no final period and must still be blamed on their own. The
period rule is deliberately conservative (the next word must start with a capital or an
opening quote, and the word before must not be a known abbreviation or an initial): merging
two sentences costs blame a little precision, splitting one in the middle makes it lie.
"""

from __future__ import annotations

import re

_END = re.compile(r"[.!?…]+[\"”’)\]]*(?=\s+[\"“‘(\[]?[A-ZÀ-ÖØ-Þ])")
_LINE = re.compile(r"[^\n]+")
_LAST_WORD = re.compile(r"(\w+)\W*$")
# fmt: off
_ABBREVIATIONS = frozenset((
    "mr", "mrs", "ms", "dr", "prof", "st", "sen", "rep", "gov", "gen", "col", "lt", "sgt",
    "capt", "cmdr", "adm", "jr", "sr", "inc", "corp", "co", "ltd", "no", "vs", "mt", "ft",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "rev", "hon", "pres", "supt",
))
# fmt: on


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` offsets of every sentence of ``text``, in order."""
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        start = line.start()
        for end_match in _END.finditer(line.group()):
            end = line.start() + end_match.end()
            if _is_abbreviation(text[start:end]):
                continue
            _add_trimmed(text, start, end, spans)
            start = end
        _add_trimmed(text, start, line.end(), spans)
    return spans


def _is_abbreviation(sentence: str) -> bool:
    if not sentence.rstrip().endswith("."):
        return False
    found = _LAST_WORD.search(sentence)
    if found is None:
        return False
    word = found.group(1)
    return (len(word) == 1 and word.isupper()) or word.lower() in _ABBREVIATIONS


def _add_trimmed(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))
