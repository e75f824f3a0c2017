"""The note grammar (revtrack.corrections.grammar): notes no known form matches, read by their
parts — an admission or change predicate, our own text as its subject, nobody else speaking."""

from __future__ import annotations

import pytest

from revtrack.corrections import detect_notes
from revtrack.corrections.grammar import features, reads_as_note, well_formed

STORY = (
    "Ferry service resumes\n\nBy A. Writer\n\n"
    "The ferry between the islands will run again from Monday after repairs to the pier.\n\n"
    "The council said the work had cost more than expected and taken longer than planned.\n\n"
    "Passengers will be able to buy tickets on board or at the harbour office next week.\n\n"
)


def _notes_at_bottom(paragraph: str) -> list[str]:
    text = STORY + paragraph + "\n"
    return [n.text for n in detect_notes(text) if n.start >= len(STORY)]


@pytest.mark.parametrize(
    "note",
    [
        # a corrections page's passive: no known form, a mis- verb about a name we printed
        "The name of “Lerato Mahlangu” was corrected from the originally misspelled "
        "“Lerato Mahlango”.",
        # an outlet by its name removing this story
        "USA TODAY removed this story from its website after an audit found that people "
        "quoted in it could not be verified.",
    ],
)
def test_grammar_reads_notes_no_form_knows(note: str) -> None:
    assert reads_as_note(note)
    assert _notes_at_bottom(note) == [note]


@pytest.mark.parametrize(
    "prose",
    [
        # a third party erred and fixed
        "The exam board corrected the grades of 300 pupils after a marking error in the paper.",
        "The museum has updated the label to show that the painting is by Clara Voss, not by "
        "her teacher, as it had said since 1962.",
        # someone's apology, attributed after the words
        "We got the grade boundaries wrong and we apologise to every student affected, the "
        "board's chief executive said on Friday.",
        # another outlet's story as the text spoken of
        "A story in The Clarion wrongly stated that the pier had been sold; it was leased.",
    ],
)
def test_grammar_rejects_someone_elses_errors(prose: str) -> None:
    assert not reads_as_note(prose)
    assert _notes_at_bottom(prose) == []


def test_grammar_needs_a_predicate_and_our_text() -> None:
    # a contrast and a right fact but no admission: story prose
    assert not well_formed(features("The ferry holds 220 passengers, not 200. It is the largest."))
    # an admission with no text of ours spoken of
    assert not well_formed(features("Mistakes were made, the harbour master admitted."))
    assert well_formed(features("This article misstated the ferry's capacity. It holds 220."))


def test_grammar_is_not_read_in_the_body() -> None:
    # the same words as a note the grammar reads at the bottom, in the fourth of eight paragraphs
    note = (
        "The name of “Lerato Mahlangu” was corrected from the originally misspelled "
        "“Lerato Mahlango”."
    )
    filler = "Residents of the east ward met the harbour board on Tuesday to discuss the timetable."
    paras = [filler] * 3 + [note] + [filler] * 4
    text = STORY + "\n\n".join(paras) + "\n"
    assert _notes_at_bottom(note) == [note]
    assert [n for n in detect_notes(text) if "Mahlangu" in n.text] == []
