"""Linking notes to the revision and the hunks they disclose, on small stories of our own."""

from __future__ import annotations

from pathlib import Path

import pytest

from revtrack.corrections import (
    RevisionChanges,
    detect_notes,
    diff_notes,
    link_manual,
    link_note,
    parse_note,
)
from revtrack.diff import diff_texts

LEAD = (
    "The two governments met in Reykjavik on Monday to restart talks on fishing rights.\n\n"
    "Officials said the talks would continue through the week.\n\n"
)
ISLANDS_V1 = LEAD + (
    "The dispute concerns two islands off the northern coast that both sides claim.\n\n"
    "A poll last month found that 61% of voters back a deal."
)
ISLANDS_V2 = ISLANDS_V1.replace("61%", "64%") + (
    "\n\nThe ministers are expected to hold a joint press conference on Friday."
)
ISLANDS_V3 = ISLANDS_V2.replace("two islands", "four islands") + (
    "\n\nA previous version of this story misstated the number of islands claimed by both sides."
)


def history_of(*texts: str) -> list[RevisionChanges]:
    """Changes of v2..vN against their parents, newest first."""
    changes = [
        RevisionChanges(number=i + 1, diff=diff_texts(texts[i - 1], texts[i]))
        for i in range(1, len(texts))
    ]
    return changes[::-1]


def added_note(old: str, new: str):  # type: ignore[no-untyped-def]
    (note,) = diff_notes(old, new).added
    return note


def test_example_story_links_the_islands_fix() -> None:
    note = added_note(ISLANDS_V2, ISLANDS_V3)
    assert note.kind == "correction" and note.position == "bottom"
    link = link_note(note, 3, history_of(ISLANDS_V1, ISLANDS_V2, ISLANDS_V3))
    assert link.matched and link.fixing_revision == 3
    assert link.confidence >= 0.5
    top = link.evidence[0]
    assert (top.revision, top.old, top.new) == (3, "two", "four")
    assert {"islands", "number"} <= set(top.matched_words)
    assert top.error_kind == "number"
    # The undisclosed poll change in v2 is not the fix and is not evidence.
    assert all(e.revision == 3 for e in link.evidence)


def test_note_disclosed_one_revision_after_the_fix() -> None:
    v4 = (
        ISLANDS_V3.rsplit("\n\n", 1)[0]
        + "\n\nCorrection: The story misstated the number of islands."
    )
    v3_without_note = ISLANDS_V3.rsplit("\n\n", 1)[0]
    note = added_note(v3_without_note, v4)
    link = link_note(note, 4, history_of(ISLANDS_V1, ISLANDS_V2, v3_without_note, v4))
    assert link.matched and link.fixing_revision == 3  # the lag is v3 -> v4
    assert link.evidence[0].old == "two" and link.evidence[0].new == "four"


def test_note_with_no_matching_change() -> None:
    v3 = ISLANDS_V2 + "\n\nCorrection: An earlier version misspelled the name of the harbour pilot."
    note = added_note(ISLANDS_V2, v3)
    link = link_note(note, 3, history_of(ISLANDS_V1, ISLANDS_V2, v3))
    assert not link.matched
    assert link.fixing_revision == 3
    assert link.confidence <= 0.2
    assert link.evidence == ()


SHOP_V1 = (
    "The bakery on Mill Lane reopened on Saturday after a six-week renovation.\n\n"
    "Its owner, Margaret Okonkwo, said the new ovens would double output.\n\n"
    "The shop sells about 400 loaves a day, most of them before noon."
)


@pytest.mark.parametrize(
    ("wrong", "right", "note_text", "kind"),
    [
        (
            "Margaret Okonkwo",
            "Margret Okonkwo",
            "Correction: An earlier version misspelled the name of the owner, Margret Okonkwo, "
            "as Margaret.",
            "name",
        ),
        (
            "400 loaves",
            "40 loaves",
            "Correction: The shop sells about 40 loaves a day, not 400 as we reported.",
            "number",
        ),
        (
            "six-week renovation",
            "six-month renovation",
            "Clarification: The renovation took six months, not six weeks.",
            "",
        ),
        (
            "on Saturday",
            "on Sunday",
            "Correction: A previous version of this story gave the wrong day of the reopening. "
            "It was Sunday.",
            "date",
        ),
    ],
)
def test_wrong_and_right_wording(wrong: str, right: str, note_text: str, kind: str) -> None:
    v2 = SHOP_V1.replace("Mill Lane", "Mill Road")  # an unrelated edit first
    v3 = v2.replace(wrong, right)
    v4 = v3 + "\n\n" + note_text
    note = added_note(v3, v4)
    link = link_note(note, 4, history_of(SHOP_V1, v2, v3, v4))
    assert link.matched and link.fixing_revision == 3
    top = link.evidence[0]
    assert top.revision == 3
    assert top.old in wrong and top.new in right
    if kind:
        assert top.error_kind == kind


def test_fix_spread_over_two_revisions_links_both() -> None:
    v2 = SHOP_V1.replace("Margaret Okonkwo", "Margret Okonkwo")
    v3 = v2.replace("said the new ovens", "said Margret Okonkwo's new ovens") + (
        "\n\nCorrection: Earlier versions misspelled the name of the owner, Margret Okonkwo, "
        "as Margaret."
    )
    note = added_note(v2, v3)
    link = link_note(note, 3, history_of(SHOP_V1, v2, v3))
    assert link.matched and link.fixing_revision == 2
    assert link.evidence[0].revision == 2


def test_headline_change_is_evidence() -> None:
    v2 = SHOP_V1 + "\n\nCorrection: An earlier headline misstated the street of the bakery."
    base = RevisionChanges(
        number=2,
        diff=diff_texts(SHOP_V1, v2),
        old_title="Bakery on Mill Road reopens",
        new_title="Bakery on Mill Lane reopens",
    )
    (note,) = detect_notes(v2)
    link = link_note(note, 2, [base])
    assert link.matched
    assert link.evidence[0].hunk_index == -1
    assert link.evidence[0].error_kind == "headline"


def test_update_note_stays_on_its_own_revision() -> None:
    v2 = SHOP_V1.replace("400 loaves", "450 loaves")
    v3 = "Update: The bakery now opens on Sundays too.\n\n" + v2
    note = added_note(v2, v3)
    link = link_note(note, 3, history_of(SHOP_V1, v2, v3))
    assert link.fixing_revision == 3


def test_manual_note_links_like_a_detected_one() -> None:
    link = link_manual(
        "The number of islands in the dispute was wrong.",
        "correction",
        history_of(ISLANDS_V1, ISLANDS_V2, ISLANDS_V3),
    )
    assert link.matched and link.fixing_revision == 3
    assert link.evidence[0].new == "four"


def test_link_with_empty_history() -> None:
    link = link_manual("Something was wrong.", "correction", [], disclosing=1)
    assert (link.fixing_revision, link.matched) == (1, False)


@pytest.mark.parametrize(
    ("text", "kinds", "wrong", "right"),
    [
        ("It was March, not Marsh.", (), ("Marsh",), ("March",)),
        ("The captain was misnamed as Jon Hale in our report.", ("name",), ("Jon Hale",), ()),
        ("We described the fee as “modest” rather than “steep” as we had it.", (), ("steep",), ()),
        ("The article said the bridge opened in 1931. It opened in 1932.", ("date",), (), ()),
        ("An earlier version misquoted the mayor.", ("quote",), (), ()),
    ],
)
def test_parse_note(
    text: str, kinds: tuple[str, ...], wrong: tuple[str, ...], right: tuple[str, ...]
) -> None:
    claims = parse_note(text)
    assert set(kinds) <= set(claims.error_kinds)
    assert set(wrong) <= set(claims.wrong)
    assert set(right) <= set(claims.right)


def test_update_that_refers_to_an_earlier_addition() -> None:
    v2 = SHOP_V1 + "\n\nThe mayor, Lena Fisk, called the bakery a landmark."
    v3 = v2 + "\n\nUpdate: This story has been updated to include comments from Lena Fisk."
    note = added_note(v2, v3)
    link = link_note(note, 3, history_of(SHOP_V1, v2, v3))
    assert link.matched and link.fixing_revision == 2
    assert "fisk" in link.evidence[0].matched_words


# -- the corrected phrase, the runner-up, and linking by the note's claims ----------------------

FERRY = Path(__file__).resolve().parent.parent / "examples" / "ferry"


def test_ferry_example_links_v3_and_its_two_to_three_change() -> None:
    texts = [(FERRY / f"v{n}.txt").read_text(encoding="utf-8") for n in (1, 2, 3)]
    note = added_note(texts[1], texts[2])
    link = link_note(note, 3, history_of(*texts))
    assert link.matched and link.fixing_revision == 3
    top = link.evidence[0]
    assert (top.revision, top.old, top.new) == (3, "two", "three")
    assert top.phrase.startswith("PORT ALDER")
    assert "with the three outer islands" in top.phrase
    assert texts[2][top.start : top.end] == top.phrase
    # The cost edit of v2 is what the verdict was weighed against, far below it.
    assert link.runner_up is not None and link.runner_up.revision == 2
    assert link.runner_up.score < top.score / 4


def test_a_deletion_is_shown_as_the_phrase_that_was_taken_out() -> None:
    v2 = SHOP_V1.replace(
        " Its owner, Margaret Okonkwo, said the new ovens would double output.", ""
    )
    v2 = v2.replace("Its owner, Margaret Okonkwo, said the new ovens would double output.\n\n", "")
    v2 += "\n\nEditor's note: A passage has been removed from this story."
    note = added_note(SHOP_V1, v2)
    link = link_note(note, 2, history_of(SHOP_V1, v2))
    assert link.matched
    top = link.evidence[0]
    assert top.new == "" and "double output" in top.old
    assert top.phrase == "Its owner, Margaret Okonkwo, said the new ovens would double output."


def test_evidence_stays_small_in_a_huge_text() -> None:
    filler = "word " * 200_000  # one paragraph of 1 MB without a full stop
    v1 = filler + "the bridge is 12 km long " + filler
    v2 = (
        v1.replace("12 km long", "2 km long")
        + "\n\nCorrection: The bridge is 2 km long, not 12 km."
    )
    note = added_note(v1, v2)
    link = link_note(note, 2, history_of(v1, v2))
    assert link.matched
    top = link.evidence[0]
    assert len(top.before) <= 170 and len(top.after) <= 170
    assert top.before.startswith("…") and top.after.endswith("…")
    assert "2 km long" in top.phrase
    assert top.end - top.start < 2_000


LOOKALIKES = (
    "The council's chair, Ruth Okafor, said the ferry would carry 120 passengers.\n\n"
    "Her deputy, Tom Ardy, said the crossing would take 40 minutes.\n\n"
    "The fare was set at $6 for adults and $3 for children."
)


@pytest.mark.parametrize(
    ("edits", "note", "fixed"),
    [
        # two numbers change; the note names one of them
        (
            (("120 passengers", "220 passengers"), ("40 minutes", "45 minutes")),
            "Correction: The ferry carries 220 passengers, not 120.",
            "220 passengers",
        ),
        (
            (("120 passengers", "220 passengers"), ("40 minutes", "45 minutes")),
            "Correction: An earlier version misstated the length of the crossing. "
            "It is 45 minutes.",
            "45 minutes",
        ),
        # two names change; the note names the title of one person
        (
            (("Ruth Okafor", "Ruth Okafo"), ("Tom Ardy", "Tom Hardy")),
            "Correction: An earlier version misspelled the name of the deputy.",
            "Tom Hardy",
        ),
        # a date-like word and a number; the note quotes the wrong words
        (
            (("$6 for adults", "$7 for adults"), ("$3 for children", "$2 for children")),
            "Correction: The fare for children is $2, not $3 as we said.",
            "$2 for children",
        ),
    ],
)
def test_among_look_alike_changes_the_notes_claims_choose(
    edits: tuple[tuple[str, str], ...], note: str, fixed: str
) -> None:
    v2 = LOOKALIKES
    for old, new in edits:
        v2 = v2.replace(old, new)
    v3 = v2 + "\n\n" + note
    found = added_note(v2, v3)
    link = link_note(found, 3, history_of(LOOKALIKES, v2, v3))
    assert link.matched and link.fixing_revision == 2
    top = link.evidence[0]
    assert fixed in top.phrase and top.new in fixed
    # The look-alike is the runner-up, not evidence.
    assert [e.hunk_index for e in link.evidence] == [top.hunk_index]
    assert link.runner_up is not None and link.runner_up.new not in fixed
