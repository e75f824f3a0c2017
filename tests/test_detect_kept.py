"""A paragraph's reading is kept between texts: the same notes, at each text's own offsets.

An import reads the same paragraphs again and again (a revision's new text is the next one's
old text), so ``detect_notes`` keeps what it read per paragraph. These tests show that a kept
reading is placed where the paragraph stands in the text at hand, that where a paragraph
stands (top, bottom, body) still decides unlabelled forms, that a paragraph too long to keep
is read the same way, and that an indented paragraph is read as it stands.
"""

from __future__ import annotations

from revtrack.corrections import detect
from revtrack.corrections.detect import detect_notes

STORY = [
    "The council voted 5-2 on Tuesday to open the ferry route to the two outer islands.",
    "Service starts in May from the old cannery pier, three round trips a day.",
    '"This is a lifeline," said council member Ruth Okafor.',
    "The route will cost $4.2 million over five years.",
    "Tickets go on sale at the harbour office next month.",
]
LABELLED = "Correction: An earlier version of this story misstated the cost of the route."
UNLABELLED = "We wrongly said the route would cost $4.8 million. It will cost $4.2 million."


def text(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs) + "\n"


def fresh(body: str) -> list[detect.Note]:
    """``detect_notes`` with nothing kept from earlier calls."""
    detect._starts_of.cache_clear()
    detect._read_unlabelled.cache_clear()
    return detect_notes(body)


def test_a_kept_reading_is_placed_at_each_texts_offsets() -> None:
    first = text(*STORY, LABELLED)
    second = text("Ferry route approved", *STORY, "Photo: harbour office.", LABELLED)
    expected = [fresh(first), fresh(second)]
    detect_notes(first)  # now kept
    got = [detect_notes(first), detect_notes(second)]
    assert got == expected
    note = got[1][0]
    assert second[note.start : note.end] == LABELLED
    assert note.text == LABELLED.split(": ", 1)[1]


def test_where_a_paragraph_stands_still_decides_an_unlabelled_form() -> None:
    bottom = text(*STORY, UNLABELLED)
    body = text(*STORY, UNLABELLED, *STORY)
    found = fresh(bottom)
    assert [n.kind for n in found] == ["correction"]
    assert bottom[found[0].start : found[0].end] == UNLABELLED
    # the same paragraph, kept, in the body of a longer story is story text
    assert detect_notes(body) == fresh(body) == []
    assert detect_notes(bottom) == found


def test_a_paragraph_too_long_to_keep_is_read_alike() -> None:
    long_note = UNLABELLED + " " + "The harbour office will sell tickets." * 2
    assert len(long_note) < detect._CACHED_PARAGRAPH
    padded = LABELLED + " " * (detect._CACHED_PARAGRAPH + 10)
    kept, unkept = text(*STORY, LABELLED), text(*STORY, padded)
    assert [n.text for n in fresh(kept)] == [n.text for n in fresh(unkept)]
    assert detect_notes(unkept)[0].start == kept.index(LABELLED)


def test_an_indented_paragraph_is_read_as_it_stands() -> None:
    # A wire advisory's cue is an opening parenthesis at a line's start: the same characters
    # indented are read as the text has them, whichever of the two was read (and kept) first.
    advisory = "(Adds quote in paragraph 3)"
    at_line = text(*STORY[:2], advisory)
    indented = text(*STORY[:2], "  " + advisory)
    alone, inset = fresh(at_line), fresh(indented)
    assert [n.text for n in alone] == [advisory]
    detect_notes(at_line)
    assert detect_notes(indented) == inset
    detect_notes(indented)
    assert detect_notes(at_line) == alone
