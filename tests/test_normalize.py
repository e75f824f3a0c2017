"""Normalization erases only what a reader cannot see; it never merges different words."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from revtrack.text.normalize import content_hash, exact_hash, normalize


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Two islands.\n", "Two islands.\r\n"),
        ("Two  islands.", "Two islands."),
        ("Two islands.   \n\n\n\nNext.", "Two islands.\n\nNext."),
        ("caf\u00e9", "cafe\u0301"),
        ("\ufeffText", "Text"),
        ("\n\nText\n", "Text"),
    ],
)
def test_invisible_differences_hash_alike(a: str, b: str) -> None:
    assert content_hash(a) == content_hash(b)
    assert exact_hash(a) != exact_hash(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("80% of the public", "82% of the public"),
        ("two islands", "Two islands"),
        ("two islands", "two islands."),
        ("It is not true", "It is true"),
        ("1.5 million", "15 million"),
        ("Line one.\nLine two.", "Line one. Line two."),
    ],
)
def test_visible_differences_hash_apart(a: str, b: str) -> None:
    assert content_hash(a) != content_hash(b)


@given(st.text(alphabet=st.characters(categories=["L", "N", "P"]), min_size=1), st.integers(0, 50))
def test_changing_one_letter_or_digit_changes_the_hash(text: str, where: int) -> None:
    i = where % len(text)
    changed = text[:i] + ("x" if text[i] != "x" else "y") + text[i + 1 :]
    assert normalize(changed) != normalize(text)


def _reference(text: str) -> str:
    """The rule written the slow, obvious way: NFC, line by line."""
    import re
    import unicodedata

    text = unicodedata.normalize("NFC", text).replace("\u200b", "").replace("\ufeff", "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blank = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
    lines = [blank.sub(" ", line).strip(" ") for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


@given(st.text(alphabet=st.sampled_from(list(" \t\n\r\u00a0\u2003\u200bab1.\ufeffe\u0301"))))
def test_fast_normalize_matches_the_line_by_line_rule(text: str) -> None:
    assert normalize(text) == _reference(text)


def _reference_normalize(text: str) -> str:
    """The normalization written plainly, without the fast paths."""
    text = unicodedata.normalize("NFC", text).replace("\u200b", "").replace("\ufeff", "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]{2,}", " ", text)
    text = re.sub(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]", " ", text)
    text = re.sub(r" \n ?|\n ", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip(" \n")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=" \t\n\r\u00a0\u2003\u200b\ufeff\u3000\u202fa.é\u0301", max_size=40))
def test_fast_paths_normalize_like_the_plain_rules(text: str) -> None:
    assert normalize(text) == _reference_normalize(text)


def test_the_blank_check_finds_exactly_the_blanks_the_pattern_replaces() -> None:
    from revtrack.text.normalize import _NOT_PLAIN_SPACE, _has_blank

    for code in [*range(0x3001), 0x202F, 0x205F, 0x3000, 0xFEFF]:
        char = chr(code)
        for text in (char, f"a{char}é", f"ab{char}"):
            assert _has_blank(text) == bool(_NOT_PLAIN_SPACE.search(text)), hex(code)
