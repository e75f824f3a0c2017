"""One lexicon: classification, linking, note detection and sentence splitting know the same words.

The audit reports what classification calls a negation or a number, and the linker ties a
note to the hunk it reads as one: each word of the shared lists must be seen alike by both.
"""

from __future__ import annotations

import pytest

from revtrack.corrections.detect import detect_notes
from revtrack.corrections.link import _inferred_kinds
from revtrack.corrections.words import content_words
from revtrack.diff.classify import classify_pair
from revtrack.text.lexicon import (
    HONORIFICS,
    MONTH_ABBREVIATIONS,
    MONTHS,
    MONTHS_ALSO_WORDS,
    NEGATION_PHRASES,
    NEGATIONS,
    NUMBER_PHRASES,
    NUMBER_WORDS,
    RELATIVE_DAYS,
    WEEKDAY_ABBREVIATIONS,
    WEEKDAYS,
    alternation,
    is_negation,
)
from revtrack.text.tokenize import split_sentences


def _both(kind: str, removed: str) -> tuple[bool, bool]:
    """Whether classification and the linker each call removing ``removed`` a change of
    ``kind``."""
    old, new = f"They said {removed} the board met.", "They said the board met."
    linked = _inferred_kinds(None, f" {removed} ", " ", old, new)
    return kind in classify_pair(old, new), kind in linked


@pytest.mark.parametrize("word", [*NEGATIONS, *NEGATION_PHRASES, "didn't", "won’t", "can't"])
def test_negations_are_negations_for_classification_and_linking(word: str) -> None:
    assert _both("negation", word) == (True, True)


@pytest.mark.parametrize("word", [*NUMBER_WORDS, *NUMBER_PHRASES])
def test_number_words_are_numbers_for_classification_and_linking(word: str) -> None:
    assert _both("number", word) == (True, True)


@pytest.mark.parametrize(
    "words",
    [
        *(f"{m.capitalize()} 5" for m in (*MONTHS, *MONTH_ABBREVIATIONS)),
        *(m.capitalize() for m in MONTHS if m not in MONTHS_ALSO_WORDS),
        *WEEKDAYS,
        *RELATIVE_DAYS,
    ],
)
def test_dates_are_dates_for_classification_and_linking(words: str) -> None:
    assert _both("date", words) == (True, True)


def test_a_month_that_is_a_word_is_no_date_alone_for_classification() -> None:
    assert _both("date", "may")[0] is False


@pytest.mark.parametrize("title", HONORIFICS)
def test_no_sentence_ends_after_a_title(title: str) -> None:
    text = f"The report was read by {title.capitalize()}. Smith on Monday."
    assert len(split_sentences(text)) == 1
    assert content_words(text) == content_words("The report was read by Smith on Monday.")


@pytest.mark.parametrize(
    "date", [*(f"{m.capitalize()}. 5, 2020" for m in MONTH_ABBREVIATIONS), "September 5, 2020"]
)
def test_a_dated_label_keeps_its_whole_date(date: str) -> None:
    for weekday in ("", *(f"{w.capitalize()}, " for w in (*WEEKDAYS, *WEEKDAY_ABBREVIATIONS))):
        text = f"The story.\n\nCorrection, {weekday}{date}: An earlier version misstated the date."
        (note,) = detect_notes(text)
        assert note.printed_date == f"{weekday}{date}"


def test_alternation_tries_a_longer_word_before_its_start() -> None:
    assert alternation(["sep", "sept", "nov", "september"]) == "september|sept|sep|nov"
    assert alternation(["not", "no", "nothing"]) == "nothing|not|no"
    assert alternation(["per cent", "one"]) == r"per\ cent|one"


@pytest.mark.parametrize(("word", "negation"), [("not", True), ("isn't", True), ("note", False)])
def test_is_negation(word: str, negation: bool) -> None:
    assert is_negation(word) is negation
