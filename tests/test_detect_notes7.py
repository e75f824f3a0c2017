"""Note forms and decoys added with the catalogue's fifth batch (branch notes7): what the note
grammar learned to read — "We said X. It will cost $4.2 million." (a right fact with a decimal
point), an error named as our newsroom's ("a copy review error", "Owing to a routine error"),
a mis- noun ("there may have been a misperception"), "we have been asked to point out", our
words judged ("To describe ... as ... was incorrect"), a wire advisory addressed first ("(ATTN:
CORRECTS ...)") — and prose that uses the same words without being a note (a reader's letter,
someone's quoted or narrated admission, an error that is someone else's). Every example was
written for this file."""

from __future__ import annotations

import pytest

from revtrack.corrections import detect_notes
from revtrack.corrections.grammar import features, letter_voice

STORY = (
    "Tram extension approved\n\nBy A. Writer\n\n"
    "The tram line will be extended to the airport, the transport board decided on Monday.\n\n"
    "Work on the extension will start next spring and take about two years to finish.\n\n"
    "The board said the new stops would be built to take longer trams in future.\n\n"
)


def _notes_at_bottom(paragraph: str) -> list[tuple[str, str]]:
    text = STORY + paragraph + "\n"
    return [(n.kind, n.text) for n in detect_notes(text) if n.start >= len(STORY)]


def _notes_at_top(paragraph: str) -> list[str]:
    text = paragraph + "\n\n" + STORY
    return [n.kind for n in detect_notes(text) if n.start < len(paragraph)]


@pytest.mark.parametrize(
    "note",
    [
        # the "we said ... followed by the right fact", the fact with a decimal point
        "We said the route would cost $4.8 million. It will cost $4.2 million.",
        "We said the extension was 3.5 km long. It is 5.3 km long.",
        # the error named as our newsroom's, or as the cause opening the note
        "Owing to a production error, the sentence about the depot should have said it has "
        "room for 30 trams, not 13.",
        "The second paragraph of this story gave the wrong opening year, due to a copy review "
        "error. The line will open in 2028, not 2026.",
        # a mis- noun of ours
        "In an article in Tuesday's paper, there may have been a misimpression about who pays "
        "for the line. The city is paying, not the board.",
        # set straight on request, with our words judged
        "Following our article on the tram depot, we have been asked to point out that the "
        "site was bought by the city. To describe it as a gift was incorrect.",
    ],
)
def test_forms_of_the_fifth_batch_are_notes(note: str) -> None:
    found = _notes_at_bottom(note)
    assert [text for _kind, text in found] == [note]
    assert found[0][0] == "correction"
    assert _notes_at_top(note)


def test_a_wire_advisory_addressed_first_is_a_note() -> None:
    for line in ("(ATTN: CORRECTS number of stops in para 3)", "(EDS: CORRECTS date in lead)"):
        assert _notes_at_top(line) == ["correction"]


@pytest.mark.parametrize(
    "prose",
    [
        # a reader's letter and a letter writer's words reported
        "A reader writes: the article on the tram depot misstated its size, which is 4 "
        "hectares, not 2.",
        "In a letter to the editor, the residents' group said an earlier report had wrongly "
        "described the depot as council land.",
        # someone's admission, quoted or narrated, with the same shape as "we said"
        '"We said the line would cost $4.8 million. It will cost $4.2 million," the board\'s '
        "chairman said.",
        "We said the trams would run every 5.5 minutes, the operator told the committee.",
        # an error that is someone else's: a supplier's, a bank's
        "Owing to a supplier's error, the first trams will arrive in 2027, the board said.",
        "Due to a technical error, the bank charged some customers twice.",
        # a mis- noun in a story
        "There was a misperception among residents that the board had already paid for it.",
        # "asked to point out" by someone else, and a judgment that is not of our words
        "The mayor said she had been asked to point out that the depot would not be sold.",
        "To describe the plan as a failure was wrong, the minister said.",
        # a decimal number in plain story prose after "we said" without a claim
        "We said goodbye to the old trams in 2019. They had run for 48.5 years.",
    ],
)
def test_prose_with_those_words_is_no_note(prose: str) -> None:
    assert _notes_at_bottom(prose) == []
    assert _notes_at_top(prose) == []


def test_an_error_named_as_ours_is_no_bare_error_noun() -> None:
    # the bare noun weighs against a note; named as our newsroom's, it is the admission
    assert "error_noun" in features("An error in the report meant the start was delayed.")
    named = features("Because of an editing error, this article gave the wrong date.")
    assert "newsroom_error" in named and "error_noun" not in named


def test_letter_voice() -> None:
    assert letter_voice("A reader writes: your story misstated the fare.")
    assert letter_voice("In a letter to the editor, Ms Doyle wrote that the fare was wrong.")
    # a letter of ours corrected is not a letter writer speaking
    assert not letter_voice("A letter on Monday misspelled the writer's name. She is Ann Roe.")


@pytest.mark.parametrize(
    "prose",
    [
        # first-person acts toward someone, followed by a fact: no claim of our text
        "We called the depot on Monday. It did not answer.",
        "We referred the complaint to the ombudsman. She is reviewing it.",
        "We gave the drivers a bonus of 2.5%. It is the first in a decade.",
        "We reported the broken signal to the board. It has been repaired.",
        "We described our route to the council. It approved it.",
        # someone's quoted words closed by the speaker
        '"We said the depot would open in May. It opens in June," the manager said.',
    ],
)
def test_acts_and_quoted_words_are_no_note(prose: str) -> None:
    assert _notes_at_bottom(prose) == []
    assert _notes_at_top(prose) == []


@pytest.mark.parametrize(
    "note",
    [
        # the same verbs reporting a claim of ours stay notes
        "We called the depot the largest in the region. It is the second largest.",
        "We reported that the fare would rise to $3. It will stay at $2.50.",
        "We described Ms Cole as the board's chair. She is its deputy chair.",
        "We had the wrong date for the opening. It is May 4.",
    ],
)
def test_claims_with_the_same_verbs_stay_notes(note: str) -> None:
    assert [text for _kind, text in _notes_at_bottom(note)] == [note]


def test_act_not_claim_and_quoted_speech() -> None:
    from revtrack.corrections.speech_acts import act_not_claim, quoted_speech

    s = "We called the board on Monday."
    assert act_not_claim("called", s, len("We called"))
    s = "We called the bridge 12 km long."
    assert not act_not_claim("called", s, len("We called"))
    assert act_not_claim("reported", "We reported the fault to the board.", len("We reported"))
    assert not act_not_claim("reported", "We reported the toll to be 12.", len("We reported"))
    assert quoted_speech('"It opens in June," the manager said.')
    assert not quoted_speech('"Lost Trams" was the wrong title; it is "Last Trams".')
    assert not quoted_speech("")


def test_wire_headline_after_corrected() -> None:
    for line in (
        "CORRECTED-Tram line to open in 2029 (corrects year in paragraph 2)",
        "CORRECTED-UPDATE 2-Tram line to open in 2029 (Corrects year in paragraph 2)",
    ):
        assert _notes_at_top(line) == ["correction"]
    # a headline with a parenthesis is no advisory without the prefix
    assert _notes_at_top("Tram line to open in 2029 (corrects year in paragraph 2)") == []


@pytest.mark.parametrize(
    "prose",
    [
        # someone's words with the bare "X, not Y" shape
        "She said the line was 12 km long, not 21 km.",
        # a letter sent, then a fact
        "We wrote to the council in March. It has not replied.",
        # a sentence opening "It" or "The" names no value by that word alone
        "The board had the wrong map for two years. It is now fixed.",
    ],
)
def test_more_prose_is_no_note(prose: str) -> None:
    assert _notes_at_bottom(prose) == []
    assert _notes_at_top(prose) == []


def test_an_agent_in_the_right_fact_is_not_someone_elses_claim() -> None:
    note = (
        "A quote from Mary Cole was misattributed in our story on Monday; it was said by Ann Roe."
    )
    assert [text for _kind, text in _notes_at_bottom(note)] == [note]
    # in the admission's own clause the agent still makes it someone else's
    assert "someones_claim" in features("It was wrongly stated by the council that the fare rose.")


@pytest.mark.parametrize(
    "prose",
    [
        # a first-person claim followed by the story going on, not by the claim set right
        "We named the project Beacon. It launched in 2021.",
        "As we reported last week, the agency has launched a new site. It has 4 million visitors.",
    ],
)
def test_a_claim_and_the_story_going_on_is_no_note(prose: str) -> None:
    assert _notes_at_bottom(prose) == []


@pytest.mark.parametrize(
    "note",
    [
        "In our report of 3 May we said the depot would close. It will remain open.",
        "We referred to the driver as Welsh. She is Cornish.",
        "We reported that the tram would stop at Hill Street. It will not.",
        "We accept that the article gave the wrong impression of the board's finances.",
        "Because of a reporter's error, Monday's story gave the wrong date for the vote.",
    ],
)
def test_a_claim_set_right_stays_a_note(note: str) -> None:
    assert [text for _kind, text in _notes_at_bottom(note)] == [note]
