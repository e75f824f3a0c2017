"""Note forms of outlets the first catalogue lacked, and the prose that uses their words.

Rules added on branch ``notes3`` from the tuning part of the catalogue's second batch (issue
#14): apologies that name the error with a word between ("our reporting error", "the name
translation error") or point to an earlier version ("..., whose photos an earlier version of
this story credited to ..."), an outlet's own piece with a time after it ("A Gazette story this
morning said ..."), a part of this piece called wrong ("Two figures in this article were
incorrect"), a date in square brackets after a label ("Update [March 5, 2024]:"), a short lead
naming a kind ("Quick correction here:"), a fact-checker's own piece ("This fact-check has been
updated ..."), a title's stop inside a contrast ("not Dr. Alison Grier as this story said").
And the decoys beside them: labels that are also the names of other things ("Corrections:" a
prison department, a journal's standing "Publisher's note"), a product's release line under an
"Updated" date, someone's social media post in a fact-check, a body that withdraws its own
report. Every example was written for this file; names and figures are invented.

Pure tests of the detector: no database.
"""

from __future__ import annotations

import pytest

from revtrack.corrections import detect_notes

HEAD = "Library to open on Sundays from March\n\nBy Priya Nandakumar\n\n"
STORY = (
    "The city library will open on Sundays from March, the council said on Wednesday.\n\n"
    "The central branch on Mill Street will open from noon to five, with a reduced staff.\n\n"
    "The change will cost about $310,000 a year, paid for from the parking levy.\n\n"
    "Library users had asked for weekend hours in a survey of 2,400 residents last spring.\n\n"
    "Two smaller branches, in Eastfield and Ashby, will keep their Saturday hours.\n\n"
)
POSITIONS = {
    "top": lambda note: HEAD + note + "\n\n" + STORY,
    "bottom": lambda note: HEAD + STORY + note + "\n",
}

# (family, note, kind)
FORMS = [
    (
        "apology",
        "The Gazette apologises to Ruth Kell for our reporting error: she chairs the library "
        "trust and has never worked for the council.",
        "correction",
    ),
    (
        "apology",
        "We apologise for the spelling error in the branch manager's name, which is Ailsa Grier.",
        "correction",
    ),
    (
        "apology",
        "The Gazette apologises to Tom Ince, whose survey an earlier version of this story "
        "credited to the council.",
        "correction",
    ),
    (
        "outlet-piece",
        "A Gazette story this morning said the branch would open at ten. That was wrong: it "
        "opens at noon.",
        "correction",
    ),
    (
        "part-erred",
        "Two figures in this article were incorrect: the cost is $130,000 a year and the survey "
        "had 4,200 replies.",
        "correction",
    ),
    (
        "bracket-date",
        "Update [March 5, 2024]: This story has been updated to reflect that the branch opens "
        "at noon.",
        "update",
    ),
    (
        "kind-lead",
        "Quick correction here: in the interview the branch was said to open at ten. It opens "
        "at noon.",
        "correction",
    ),
    (
        "kind-lead",
        "One clarification: the levy pays for the Sunday hours only.",
        "clarification",
    ),
    (
        "fact-check",
        "This fact-check has been updated to clarify that the levy pays for the Sunday hours.",
        "clarification",
    ),
    (
        "title-stop",
        "The branch is run by Dr. Ailsa Grier, not Dr. Alison Grier as this fact-check "
        "originally said.",
        "correction",
    ),
]

DECOYS = [
    (
        "noun-label",
        "Corrections: the department's budget for prison staff rose by 4 per cent this year.",
    ),
    (
        "noun-label",
        "Publisher's note: the publisher remains neutral with regard to claims in published maps.",
    ),
    ("release-line", "Updated 2 March: version 3.1 adds a reading list and fixes the search page."),
    ("release-line", "Update 12 May: v2.4.1 corrects the spelling of two menu items."),
    ("someones-post", "The post wrongly claimed that the library would close. It will not."),
    ("withdrawn", "The trust has withdrawn the report and apologised to the staff named in it."),
    ("time-word", "A council report this week said the branch would need new shelving."),
]


def _ids(rows: list[tuple[str, ...]]) -> list[str]:
    return [f"{row[0]}: {row[1][:40]}" for row in rows]


@pytest.mark.parametrize("where", POSITIONS)
@pytest.mark.parametrize(("family", "note", "kind"), FORMS, ids=_ids(FORMS))
def test_forms_of_more_outlets_are_notes(family: str, note: str, kind: str, where: str) -> None:
    text = POSITIONS[where](note)
    notes = detect_notes(text)
    assert len(notes) == 1, (family, notes)
    found = notes[0]
    assert text[found.start : found.end] == note
    assert found.kind == kind
    assert found.position == where


@pytest.mark.parametrize("where", POSITIONS)
@pytest.mark.parametrize(("family", "text"), DECOYS, ids=_ids(DECOYS))
def test_prose_with_their_words_is_not_a_note(family: str, text: str, where: str) -> None:
    assert detect_notes(POSITIONS[where](text)) == []


def test_a_noun_label_over_a_real_note_is_still_a_note() -> None:
    # "Corrections" as a box heading above words that read as a note
    text = HEAD + STORY + "Corrections\n\nThe branch opens at noon, not ten as we said.\n"
    (note,) = detect_notes(text)
    assert note.kind == "correction"
    assert note.text == "The branch opens at noon, not ten as we said."


def test_an_update_line_about_the_story_keeps_its_date() -> None:
    text = HEAD + STORY + "Updated 2 March: the council has confirmed the Sunday hours.\n"
    (note,) = detect_notes(text)
    assert (note.kind, note.printed_date) == ("update", "2 March")
