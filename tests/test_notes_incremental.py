"""Detecting note changes near the diff's hunks gives what whole-text detection gives."""

from __future__ import annotations

import pytest

from revtrack.corrections.incremental import diff_notes_near, touched_regions
from revtrack.corrections.notes_diff import diff_notes
from revtrack.diff import diff_texts

BODY = [
    "The council voted 5-2 on Tuesday to open the ferry route to the two outer islands.",
    "Service starts in May from the old cannery pier, three round trips a day.",
    '"This is a lifeline," said council member Ruth Okafor.',
    "The route will cost $4.2 million over five years.",
]
NOTE = "Correction: An earlier version of this story misstated the cost of the route."
AMENDED = "Correction: An earlier version of this story misstated the cost of the ferry route."


def text(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs) + "\n"


CASES = {
    "note added at the bottom": (text(*BODY), text(*BODY[:3], BODY[3].replace("4.2", "4.8"), NOTE)),
    "note added at the top": (
        text(*BODY),
        text("Editor's note: This story was updated to add a quote.", *BODY),
    ),
    "note amended": (text(*BODY, NOTE), text(*BODY, AMENDED)),
    "note removed": (text(*BODY, NOTE), text(*BODY)),
    "edit far from an unchanged note": (
        text(*BODY, NOTE),
        text(BODY[0].replace("5-2", "6-1"), *BODY[1:], NOTE),
    ),
    "label on its own line above the note": (
        text(*BODY),
        text(
            *BODY, "Correction", "An earlier version of this story misstated the day of the vote."
        ),
    ),
    "no change to notes": (text(*BODY), text(*BODY[:2], BODY[3], BODY[2])),
}


def key(changes: object) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    return (
        sorted(n.text for n in changes.added),  # type: ignore[attr-defined]
        sorted(n.text for n in changes.removed),  # type: ignore[attr-defined]
        sorted((o.text, n.text) for o, n in changes.amended),  # type: ignore[attr-defined]
    )


@pytest.mark.parametrize(("old", "new"), CASES.values(), ids=CASES.keys())
def test_same_as_whole_text_detection(old: str, new: str) -> None:
    hunks = diff_texts(old, new).hunks
    near = diff_notes_near(
        old, new, [(h.a_start, h.a_end) for h in hunks], [(h.b_start, h.b_end) for h in hunks]
    )
    assert key(near) == key(diff_notes(old, new))
    for note in near.added:
        assert new[note.start : note.end].endswith(note.text.rstrip()[-20:])


def test_regions_are_whole_paragraphs_with_a_neighbour() -> None:
    doc = text("one.", "two.", "three.", "four.", "five.")
    start = doc.index("three")
    assert touched_regions(doc, [(start, start + 2)]) == [
        (doc.index("two"), doc.index("four") + len("four."))
    ]
    assert touched_regions(doc, []) == []
