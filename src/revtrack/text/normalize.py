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

_HSPACE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_ZERO_WIDTH = str.maketrans("", "", "\u200b\ufeff")


def normalize(text: str) -> str:
    """Return the comparison form of ``text`` (see the module docstring for what it erases)."""
    text = unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_HSPACE.sub(" ", line).strip(" ") for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")


def content_hash(text: str) -> str:
    """SHA-256 of the normalized text: equal hashes mean "unchanged" for ingest."""
    return hashlib.sha256(normalize(text).encode("utf-8", "surrogatepass")).hexdigest()


def exact_hash(text: str) -> str:
    """SHA-256 of the exact UTF-8 bytes: what `verify` checks stored text against."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
