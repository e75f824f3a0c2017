"""Small text helpers of note detection: a note's cleaned words, where it sits, its size.

Apart from :mod:`revtrack.corrections.detect` so that module stays readable in one sitting.
"""

from __future__ import annotations

import re
from typing import Literal

from revtrack.corrections.form_patterns import MAX_WORDS

Position = Literal["top", "bottom", "body"]
"""Where a note sits in its text."""


def tidy_label(label: str) -> str:
    return re.sub(r"\s+", " ", label.strip())


_EMPHASIS_EDGE = re.compile(r"^(?:[\s>]|\*{1,3}|_{1,3}|[\])](?=\s))+|(?:\s|\*{1,3}|_{1,3})+$")


def clean(fragment: str) -> str:
    """A note's words without block-quote marks, surrounding emphasis or hard line breaks."""
    lines = [re.sub(r"^\s*(?:>\s*)+", "", line) for line in fragment.split("\n")]
    joined = re.sub(r"\s+", " ", " ".join(lines)).strip()
    joined = _EMPHASIS_EDGE.sub("", joined)
    for opening, closing in ("[]", "()"):
        if joined.endswith(closing) and joined.count(closing) > joined.count(opening):
            joined = joined[:-1].rstrip()
    return joined.strip()


def rstrip_offset(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def is_substantive(paragraph: str) -> bool:
    """A paragraph of the story proper (not chrome, captions' short lines or headings)."""
    return len(paragraph.split(None, 7)) >= 8


def short(text: str, start: int, end: int) -> bool:
    """Short enough to be one note (a longer paragraph is story text using a note's words)."""
    return len(text[start:end].split(None, MAX_WORDS)) <= MAX_WORDS


def position(before: int, after: int) -> Position:
    if after <= 2 and after <= before:
        return "bottom"
    if before <= 2:
        return "top"
    return "body"
