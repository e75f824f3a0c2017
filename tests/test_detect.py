"""Detecting reader-facing notes by their form, and diffing the notes of two revisions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from revtrack.corrections import NOTE_KINDS, detect_notes, diff_notes
from revtrack.corrections.detect import could_hold_note

BODY = (
    "The county board met on Thursday evening to discuss the library budget.\n\n"
    "Several residents spoke in favour of extending the opening hours on weekends.\n\n"
)

POSITIVE = [
    # (text, kind, label, printed date, start of the note's words)
    (
        "Correction: An earlier version of this story gave the wrong year.",
        "correction",
        "Correction",
        "",
        "An earlier version",
    ),
    (
        "*Correction:* A previous version of this post misspelled the mayor's name.",
        "correction",
        "Correction",
        "",
        "A previous version",
    ),
    (
        "**Correction** The bridge is 40 meters long, not 14.",
        "correction",
        "Correction",
        "",
        "The bridge is",
    ),
    (
        "**Correction:** The bridge is 40 meters long, not 14.",
        "correction",
        "Correction",
        "",
        "The bridge is",
    ),
    (
        "> **Correction**\n> An earlier version misidentified the ferry operator.",
        "correction",
        "Correction",
        "",
        "An earlier version",
    ),
    (
        "_Editor's note:_ This essay was written before the vote was held.",
        "editors-note",
        "Editor's note",
        "",
        "This essay",
    ),
    (
        "Editor’s Note: The names of two witnesses were withheld at their request.",
        "editors-note",
        "Editor’s Note",
        "",
        "The names",
    ),
    (
        "EDITOR'S NOTE — This story contains graphic descriptions.",
        "editors-note",
        "EDITOR'S NOTE",
        "",
        "This story",
    ),
    (
        "Clarification: The fund's figures cover only the first quarter.",
        "clarification",
        "Clarification",
        "",
        "The fund's",
    ),
    (
        "Corrections: The caption misidentified the coach. The score was 3-1.",
        "correction",
        "Corrections",
        "",
        "The caption",
    ),
    (
        "Update: The school district responded after publication.",
        "update",
        "Update",
        "",
        "The school district",
    ),
    ("**Update**: The hearing has been moved to Friday.", "update", "Update", "", "The hearing"),
    ("_Updated:_ Adds the minister's response.", "update", "Updated", "", "Adds the"),
    (
        "UPDATE — 4:30 p.m.: Police released the driver's name.",
        "update",
        "UPDATE",
        "4:30 p.m.",
        "Police released",
    ),
    (
        "Update (March 3): The concert has been postponed.",
        "update",
        "Update",
        "March 3",
        "The concert",
    ),
    (
        "[Update: The application portal is open.]",
        "update",
        "Update",
        "",
        "The application portal is open.",
    ),
    ("Updated at 3:15 p.m. ET", "update", "Updated", "3:15 p.m. ET", ""),
    (
        "Updated at 10:05 a.m. EDT: Adds details from the fire department.",
        "update",
        "Updated",
        "10:05 a.m. EDT",
        "Adds details",
    ),
    (
        "Correction, March 18, 2022: The story misstated the length of the tunnel.",
        "correction",
        "Correction",
        "March 18, 2022",
        "The story",
    ),
    (
        "Correction: June 5, 2018\nAn article on Monday misstated the opening date of the museum.",
        "correction",
        "Correction",
        "June 5, 2018",
        "An article",
    ),
    (
        "Clarification May 2, 2016 In a previous update we described the plan too broadly.",
        "clarification",
        "Clarification",
        "May 2, 2016",
        "In a previous",
    ),
    (
        "Retraction: The magazine no longer stands by this report.",
        "retraction",
        "Retraction",
        "",
        "The magazine",
    ),
    (
        "An earlier version of this article misstated the number of seats on the council.",
        "correction",
        "",
        "",
        "An earlier version",
    ),
    (
        "A previous version of this story misspelled the name of the harbor master.",
        "correction",
        "",
        "",
        "A previous version",
    ),
    (
        "Earlier versions of this report gave an incorrect total for the grant.",
        "correction",
        "",
        "",
        "Earlier versions",
    ),
    (
        "This article has been corrected to show that the vote was 6-3.",
        "correction",
        "",
        "",
        "This article",
    ),
    (
        "This story has been updated to include a statement from the utility.",
        "update",
        "",
        "",
        "This story",
    ),
    (
        "This post was amended to remove a paragraph attributed to the wrong speaker.",
        "correction",
        "",
        "",
        "This post",
    ),
    (
        'The essay "Low Tide" has been updated to correct two dates.',
        "correction",
        "",
        "",
        "The essay",
    ),
    (
        "This story originally misidentified the agency that issued the permit.",
        "correction",
        "",
        "",
        "This story",
    ),
    (
        "Due to an editing error, the article gave the wrong age for the pilot.",
        "correction",
        "",
        "",
        "Due to an editing error",
    ),
    (
        "Because of a reporting error, the item misstated the fee.",
        "correction",
        "",
        "",
        "Because of a reporting",
    ),
    ("The Gazette regrets the error.", "correction", "", "", "The Gazette regrets"),
    ("We regret the errors.", "correction", "", "", "We regret"),
    (
        "Note to readers: This column was written before the election results were known.",
        "editors-note",
        "Note to readers",
        "",
        "This column",
    ),
    (
        "Corrected at 11:40 a.m.: The ferry leaves at 9, not 8.",
        "correction",
        "Corrected",
        "11:40 a.m.",
        "The ferry",
    ),
    (
        "The headline on this article has been changed to reflect the final score.",
        "update",
        "",
        "",
        "The headline",
    ),
    ("We have corrected this story.", "correction", "", "", "We have corrected"),
    (
        "A correction has been made to this article.",
        "correction",
        "",
        "",
        "A correction",
    ),
    (
        "A picture caption on Tuesday incorrectly identified the runner in the lead.",
        "correction",
        "",
        "",
        "A picture caption",
    ),
]


@pytest.mark.parametrize(("text", "kind", "label", "date", "words"), POSITIVE)
def test_note_forms_are_detected(text: str, kind: str, label: str, date: str, words: str) -> None:
    notes = detect_notes(BODY + text)
    assert len(notes) == 1, notes
    note = notes[0]
    assert (note.kind, note.label, note.printed_date) == (kind, label, date)
    assert note.text.startswith(words)
    assert note.position == "bottom"
    assert (BODY + text)[note.start : note.end] == text


NEGATIVE = [
    "Update your browser to see the interactive map.",
    "Updates to the permit system were made in 2019.",
    "Updated guidance was issued by the agency last year.",
    "Note that the agency did not respond to questions.",
    "Note: If you are on a shared computer, sign out when you are done.",
    "NOTE — The settings page differs on older phones.",
    "Corrections officers said the inmate was found within an hour.",
    "Correction fluid and staples were on the supply list.",
    "If you want to get these\nupdates, sign up for the newsletter.",
    "The team thanks everyone who gave feedback on an earlier version of this article.",
    "The original version of the codec was released in 1998.",
    "A report by the inspector general misstated the agency's budget, critics said.",
    "The update: a faster way to file.",
    "## Updates\n\nWe publish release notes every month.",
    "Clarifications are requested in writing before the deadline.",
    "Update May the best team win.",
    "Corrected copies of the form are available at the front desk.",
    "Note to self: buy milk.",
    "A correction to the market came in March as prices fell.",
    "We have updated our privacy settings for all users.",
]


@pytest.mark.parametrize("text", NEGATIVE)
def test_ordinary_sentences_are_not_notes(text: str) -> None:
    assert detect_notes(BODY + text) == []


def test_paragraph_with_two_notes() -> None:
    text = BODY + "Correction: The mayor's name is Ortiz. Update: The council voted 4-1 on Monday."
    notes = detect_notes(text)
    assert [(n.kind, n.text) for n in notes] == [
        ("correction", "The mayor's name is Ortiz."),
        ("update", "The council voted 4-1 on Monday."),
    ]


def test_disclosure_sentence_inside_a_body_paragraph() -> None:
    text = (
        BODY
        + "The board will vote again in May. A previous version of this story misstated the vote."
    )
    (note,) = detect_notes(text)
    assert note.text == "A previous version of this story misstated the vote."
    assert text[note.start : note.end] == note.text


@pytest.mark.parametrize("gap", ["\n", "\n\n"])
def test_plain_heading_label_from_html(gap: str) -> None:
    text = BODY + "Correction" + gap + "An earlier version of this story gave the wrong score."
    (note,) = detect_notes(text)
    assert (note.kind, note.label) == ("correction", "Correction")
    assert note.text == "An earlier version of this story gave the wrong score."


def test_label_alone_takes_the_next_paragraph() -> None:
    text = BODY + "**Update**:\n\nA reader pointed us to the county's own guide, linked above."
    (note,) = detect_notes(text)
    assert note.kind == "update"
    assert note.text.startswith("A reader pointed")
    assert text[note.end - 6 : note.end] == "above."


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("Editor's note: This story was first published in 2019.\n\n" + BODY * 3, "top"),
        (BODY * 2 + "Update: The museum reopened.\n\n" + BODY * 2, "body"),
        (BODY * 3 + "Correction: The museum is on Elm Street.", "bottom"),
    ],
)
def test_position(text: str, position: str) -> None:
    (note,) = detect_notes(text)
    assert note.position == position


OLD = BODY + "The library will open at 9 a.m.\n\n"
NOTE_A = "Correction: An earlier version of this story gave the wrong opening hour."
NOTE_B = "Correction: An earlier version of this story gave the wrong opening hour; it is 9 a.m."


def test_diff_notes_added_amended_removed_unchanged() -> None:
    added = diff_notes(OLD, OLD + NOTE_A)
    assert [n.text for n in added.added] == [NOTE_A.split(": ", 1)[1]]
    assert added.removed == () and added.amended == ()

    amended = diff_notes(OLD + NOTE_A, OLD + NOTE_B)
    assert amended.added == () and amended.removed == ()
    ((old, new),) = amended.amended
    assert old.text.endswith("hour.") and new.text.endswith("9 a.m.")

    unchanged = diff_notes(OLD + NOTE_A, "Intro line.\n\n" + OLD + NOTE_A)
    assert unchanged.added == unchanged.removed == unchanged.amended == ()

    removed = diff_notes(OLD + NOTE_A, OLD)
    assert len(removed.removed) == 1 and removed.added == ()


def test_diff_notes_new_note_beside_old_one() -> None:
    first = OLD + NOTE_A
    second = first + "\n\nUpdate: The library board approved Sunday hours on Tuesday."
    changes = diff_notes(first, second)
    assert [n.kind for n in changes.added] == ["update"]
    assert changes.amended == ()


PIECES = [
    "Correction: ",
    "**Update**",
    "_Editor's note:_ ",
    "An earlier version of this story ",
    "misstated the number. ",
    "The council met. ",
    "\n\n",
    "\n",
    "> ",
    "Note: ",
    "Updated at 3:15 p.m. ET",
    "We regret the error.",
    "[",
    "]",
    "*",
    "two islands ",
]


@given(st.lists(st.sampled_from(PIECES), max_size=25), st.text(max_size=40))
def test_detection_offsets_are_sane(pieces: list[str], noise: str) -> None:
    text = "".join(pieces) + noise
    notes = detect_notes(text)
    starts = [n.start for n in notes]
    assert starts == sorted(starts)
    for note in notes:
        assert 0 <= note.start < note.end <= len(text)
        assert note.kind in NOTE_KINDS
    changes = diff_notes(text, text)
    assert changes.added == changes.removed == changes.amended == ()


@pytest.mark.parametrize(
    "note",
    [
        "Correction: The vote was 6 to 1.",
        "**Update**: The agency replied.",
        "_Editor's note:_ Names were changed.",
        "Clarification, March 18, 2022: The plan covers four islands.",
        "Updated at 3:15 p.m. ET",
        "An earlier version of this story misstated the number of islands.",
        "This article has been amended to add a comment.",
        "The Times regrets the error.",
        "Due to an editing error, a name was wrong.",
        "This story originally said the mayor resigned.",
        "A previous draft gave an incorrect date.",
        "Retraction: We have retracted this article.",
        "An article on Monday about the budget MISSTATED its total.",
        "Note to readers: This post was expanded.",
    ],
)
def test_the_stem_filter_lets_every_form_of_note_through(note: str) -> None:
    assert could_hold_note(note)
    assert detect_notes(note), note


def test_text_without_any_stem_is_not_scanned() -> None:
    prose = "The council approved 12 projects on Tuesday. The vote was 5 to 2.\n\nIt rained."
    assert not could_hold_note(prose)
    assert detect_notes(prose) == []


def test_a_paragraph_longer_than_any_note_is_not_read_for_notes() -> None:
    """A one-line text of megabytes is one paragraph: past MAX_NOTE_PARAGRAPH characters it
    carries no note (each pattern would scan all of it), below it the same words do."""
    from revtrack.corrections.detect import MAX_NOTE_PARAGRAPH

    note = "Correction: An earlier version of this story misstated the number of islands. "
    story = "The ferry left the harbour at dawn with the mayor aboard. "
    fits = note + story * ((MAX_NOTE_PARAGRAPH - len(note)) // len(story))
    assert len(fits) <= MAX_NOTE_PARAGRAPH
    assert [n.kind for n in detect_notes(fits)] == ["correction"]
    too_long = fits + story * 2
    assert detect_notes(too_long) == []
    # the label alone above such a paragraph stays a label: no note's words
    body = story * (MAX_NOTE_PARAGRAPH // len(story) + 2)
    assert detect_notes("Correction:\n\n" + body) == []


STORY_ABOVE = (
    "The council voted 5-2 on Tuesday to open the ferry route.\n\n"
    "Service starts in May from the old cannery pier.\n\n"
    "Tickets go on sale at the harbour office next month.\n\n"
    "The route will cost $4.2 million over five years.\n\n"
)


@pytest.mark.parametrize(
    "note",
    [
        "An earlier version of this story misstated the date of the vote, as a reader pointed out.",
        "This article was amended on 3 May 2024 after a reader pointed out that the vote was on "
        "Tuesday.",
        "Correction: An earlier version of this story misstated the date, as a reader pointed out.",
        "We said the vote was on Monday. It was on Tuesday. Thanks to the reader who wrote in.",
    ],
)
def test_a_note_that_credits_a_reader_is_still_our_note(note: str) -> None:
    """Outlets thank the reader who spotted the error; the admission is still ours."""
    found = detect_notes(STORY_ABOVE + note + "\n")
    assert len(found) == 1 and found[0].position == "bottom", note
    assert found[0].kind in ("correction", "update"), note
