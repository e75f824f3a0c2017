"""Word, sentence and paragraph splitting: lossless, and units a reader recognises."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from revtrack.text import tokenize
from revtrack.text.tokenize import (
    Span,
    iter_sentences,
    sentence_resume,
    sentence_tokens,
    split_paragraphs,
    split_sentences,
    split_words,
    word_count,
)

_TEXT = st.lists(
    st.sampled_from([*"aZé ,.!?'’“”\"$%1-\n\tU.S", "Mr. ", "1.5", "Japan’s ", "\n\n"]),
    max_size=80,
).map("".join)


@given(_TEXT)
def test_words_concatenate_back(text: str) -> None:
    assert "".join(split_words(text)) == text


@given(st.text(max_size=300))
def test_words_concatenate_back_on_any_unicode(text: str) -> None:
    assert "".join(split_words(text)) == text


@given(_TEXT)
def test_sentences_concatenate_back_and_gaps_are_space(text: str) -> None:
    assert "".join(sentence_tokens(text)) == text
    pos = 0
    for span in split_sentences(text):
        assert text[pos : span.start].strip() == ""
        assert span.text(text) == span.text(text).strip() != ""
        pos = span.end
    assert text[pos:].strip() == ""


@given(_TEXT)
def test_paragraph_gaps_are_space(text: str) -> None:
    pos = 0
    for span in split_paragraphs(text):
        assert text[pos : span.start].strip() == ""
        pos = span.end
    assert text[pos:].strip() == ""


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("80% of voters", ["80%", " ", "of", " ", "voters"]),
        ("about 1.5 million", ["about", " ", "1.5", " ", "million"]),
        (
            "cost $100, or 1,000 yen.",
            ["cost", " ", "$100", ",", " ", "or", " ", "1,000", " ", "yen", "."],
        ),
        ("Japan’s didn't", ["Japan’s", " ", "didn't"]),
        ("Łódź, São Paulo", ["Łódź", ",", " ", "São", " ", "Paulo"]),
        ("a\n\nb", ["a", "\n", "\n", "b"]),
        ("**bold**", ["*", "*", "bold", "*", "*"]),
    ],
)
def test_word_tokens(text: str, tokens: list[str]) -> None:
    assert split_words(text) == tokens


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("It rose 1.5 points. Then it fell.", ["It rose 1.5 points.", "Then it fell."]),
        ("Mr. Kishida met Dr. Smith. They spoke.", ["Mr. Kishida met Dr. Smith.", "They spoke."]),
        ("Sanctions by the U.S. were new. Yes.", ["Sanctions by the U.S. were new.", "Yes."]),
        ("On Jan. 5 it began. Then more.", ["On Jan. 5 it began.", "Then more."]),
        ("He said, “It is over.” She left.", ["He said, “It is over.”", "She left."]),
        ("Breaking News\n\nThe poll closed!", ["Breaking News", "The poll closed!"]),
        ("J. Smith wrote it. ok", ["J. Smith wrote it.", "ok"]),
        ("the war ended. the treaty followed.", ["the war ended.", "the treaty followed."]),
        ("Really?! Yes…  No.", ["Really?!", "Yes…", "No."]),
        # A hard-wrapped paragraph: a single line break is a space.
        (
            "The council voted\nto open the route. It runs\nthree times a day.",
            ["The council voted\nto open the route.", "It runs\nthree times a day."],
        ),
        ("a first line\n\nnew paragraph", ["a first line", "new paragraph"]),
        ("Intro text\n- one item\n- two items", ["Intro text", "- one item", "- two items"]),
        ("## Heading\nBody under it", ["## Heading", "Body under it"]),
        ("Body text\n> a quoted line", ["Body text", "> a quoted line"]),
        ("| a | b |\n| 1 | 2 |", ["| a | b |", "| 1 | 2 |"]),
        ('<p class="x">\nby Dana\n</p>', ['<p class="x">\nby Dana', "</p>"]),
    ],
)
def test_sentences(text: str, sentences: list[str]) -> None:
    assert [s.text(text) for s in split_sentences(text)] == sentences


def test_paragraphs_split_on_blank_lines() -> None:
    text = "Title\n\nFirst para. Still first.\nSame para.\n \n\nLast."
    assert [p.text(text) for p in split_paragraphs(text)] == [
        "Title",
        "First para. Still first.\nSame para.",
        "Last.",
    ]


def test_word_count_counts_words_and_numbers_only() -> None:
    assert word_count("The poll: 82% — up, from 80%.") == 6


@given(st.one_of(_TEXT, st.text(max_size=200)))
def test_word_count_counts_the_tokens_starting_with_a_letter_or_digit(text: str) -> None:
    expected = sum(1 for tok in split_words(text) if re.match(r"\w", tok))
    assert word_count(text) == expected


@given(st.one_of(_TEXT, st.text(max_size=300)), st.integers(1, 12))
def test_a_long_text_counted_in_pieces_counts_the_same(text: str, piece: int) -> None:
    """Texts past the piece size are counted piece by piece (memory, #16); shrinking the
    piece makes every example one such text."""
    whole = word_count(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tokenize, "_COUNT_PIECE", piece)
        assert word_count(text) == whole


@given(_TEXT)
def test_sentences_resume_at_any_sentence_start(text: str) -> None:
    spans = split_sentences(text)
    for i, span in enumerate(spans):
        assert list(iter_sentences(text, span.start)) == spans[i:]


@given(_TEXT, _TEXT, st.integers(min_value=0, max_value=100))
def test_sentences_resume_before_a_change(text: str, other: str, cut: int) -> None:
    pos = min(cut, len(text))
    changed = text[:pos] + other
    resume = sentence_resume(text, pos)
    assert resume <= pos and resume == sentence_resume(changed, pos)
    for version in (text, changed):
        expected = [s for s in split_sentences(version) if s.start >= resume]
        assert list(iter_sentences(version, resume)) == expected


_TOKEN_CHARS = st.sampled_from(
    [*"aZé_ ,.:/%!'’$€£¥\t\n\xa0", "1", "٣", "²", "1.5", "1,000", "didn't", "  ", "\n\n"]
)


@given(st.one_of(st.lists(_TOKEN_CHARS, max_size=60).map("".join), st.text(max_size=200)))
def test_word_tokens_are_those_of_the_plain_pattern(text: str) -> None:
    """The tokenizer's pattern, reordered for speed, splits as the plain one it stands for."""
    from revtrack.text import tokenize

    plain = re.compile(rf"{tokenize._NUMBER}|{tokenize._WORD}|\n|[^\S\n]+|.", re.DOTALL)
    assert split_words(text) == plain.findall(text)


def test_split_paragraphs_again_on_the_same_text_gives_the_same_fresh_list() -> None:
    text = "One.\n\nTwo, still.\n\n\nThree."
    first = split_paragraphs(text)
    first.append(Span(0, 1))  # a caller's own list: the next answer must not see this
    again = split_paragraphs(text)
    assert again == [Span(0, 4), Span(6, 17), Span(20, 26)]
    assert split_paragraphs(text[:4] + "\n\nTwo") == [Span(0, 4), Span(6, 9)]
