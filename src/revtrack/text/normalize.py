"""Normalization used only to decide whether two captures are "the same text".

The stored text is never normalized: it comes back exactly as ingested. The normalized form
feeds the content hash, so it may only erase differences a reader cannot see: Unicode
composition (NFC), line-ending style, trailing spaces, runs of spaces and tabs, blank-line
runs and leading/trailing blank space. It never folds case, drops punctuation, or touches a
digit or a letter, so two texts that differ in any of those never hash alike.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Every blank but the plain space (tab, no-break and the typographic spaces). Each pass below
# is a str.replace at C speed where a pattern would be tried at every character; the result is
# the plain rule's (tests compare both on random text): blanks to spaces, every run of spaces
# one space, no space next to a line break, at most one blank line, no blank space at the ends.
_NOT_PLAIN_SPACE = re.compile(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
# The same blanks one by one: sixteen substring searches (at C speed, on the text's own width)
# take half the time of the character class tried at every position, and most texts hold none.
_NOT_PLAIN_SPACES = ("\t", "\u00a0", *map(chr, range(0x2000, 0x200B)), "\u202f", "\u205f", "\u3000")


def _has_blank(text: str) -> bool:
    """Whether ``text`` holds a blank other than the plain space (``_NOT_PLAIN_SPACE``)."""
    if text.isascii():
        return "\t" in text
    return any(blank in text for blank in _NOT_PLAIN_SPACES)


def normalize(text: str) -> str:
    """Return the comparison form of ``text`` (see the module docstring for what it erases)."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    text = text.replace("\u200b", "").replace("\ufeff", "")  # str.translate is far slower
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Runs of spaces: each pass halves them (most are a few spaces: line breaks, indents).
    if _has_blank(text):
        text = _NOT_PLAIN_SPACE.sub(" ", text)
    while "  " in text:
        text = text.replace("  ", " ")
    # No two spaces are adjacent now: a space next to a line break is a single one.
    if " \n" in text:
        text = text.replace(" \n", "\n")
    if "\n " in text:
        text = text.replace("\n ", "\n")
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip(" \n")


def content_hash(text: str) -> str:
    """SHA-256 of the normalized text: equal hashes mean "unchanged" for ingest."""
    return hashlib.sha256(normalize(text).encode("utf-8", "surrogatepass")).hexdigest()


def exact_hash(text: str) -> str:
    """SHA-256 of the exact UTF-8 bytes: what `verify` checks stored text against."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
