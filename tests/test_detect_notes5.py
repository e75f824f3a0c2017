"""Note forms and decoys added with the catalogue's fourth batch (branch notes5): the forms
issue #14 names that the detector missed ("the listing erred", an outlet naming itself, "We
said on Tuesday", a page's change log, a retraction that "expresses its regret", a disclosure
found out after publication, an altered photograph) and prose that uses their words without
being a note (a letter to the paper, a public notice of someone else's correction, an apology
attributed after a long adjunct, a caption a gallery replaced). Every example was written for
this file."""

from __future__ import annotations

import pytest

from revtrack.corrections import detect_notes

STORY = (
    "Harbour works delayed\n\nBy A. Writer\n\n"
    "The works on the harbour wall will take until the autumn, the port authority said.\n\n"
    "Fishing boats will use the north quay while the south quay is closed to traffic.\n\n"
    "The cost of the works has risen to £4m because of storm damage in the winter.\n\n"
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
        "The listing erred in giving the opening time. The museum opens at 10 a.m.",
        "The Courier erred in a Monday story on rents. The average rent is £850, not £580.",
        "Quayside News incorrectly reported that the council had voted to close the pool. "
        "It voted to keep it open.",
        "We said on Tuesday that the rail strike would last five days. It will last three.",
        "We said on 4 March that the levy was 2%. It is 1.5%.",
        "Shortly after we published the story, it came to our attention that it was untrue: "
        "the harbour master has not resigned. We apologise to him.",
        "We have since learned that the report was incorrect, and it has been removed.",
        "The Harbour Gazette, in an article titled 'Quay sold' published on March 3, made "
        "certain claims about the port board. We have since realised that the article was "
        "based on incorrect facts; the Gazette has withdrawn it and expresses its regret.",
        "A photograph on page 6 of Saturday's Business section accompanying an article about "
        "the harbour was digitally altered, which was not disclosed in the caption.",
        "Last night we made a mistake in our reporting of the harbour master's statement. We "
        "apologise for this error.",
        "Following publication, the authors noticed an error in Table 2. The correct value is "
        "0.43.",
        "Due to an editing overstep, this article originally said the levy was charged on "
        "every berth.",
    ],
)
def test_forms_named_in_the_issue_are_notes(note: str) -> None:
    found = _notes_at_bottom(note)
    assert [text for _kind, text in found] == [note]
    assert found[0][0] in ("correction", "retraction")
    assert _notes_at_top(note)


def test_a_change_log_line_that_corrects_is_a_note() -> None:
    log = (
        "Last updated 12 May 2023 — show all updates\n"
        "12 May 2023: Corrected the fee for renewals.\n"
        "3 March 2023: First published."
    )
    found = detect_notes(STORY + log + "\n")
    assert [(n.kind, n.printed_date) for n in found] == [("correction", "12 May 2023")]
    assert found[0].text.startswith("Corrected the fee for renewals.")
    # a log of additions only is the page's history
    assert detect_notes(STORY + "12 May 2023: Added guidance on renewals.\n") == []


@pytest.mark.parametrize(
    "prose",
    [
        # a letter to the paper
        "Sir, your correspondent wrongly stated that the lido closed in 1989; it closed in "
        "1991, as any swimmer of that era will tell you. P. Morgan, Hove",
        "Dear Editor, your reporter got the date wrong: the fair is on Saturday.",
        # a public notice of someone else's correction under a notice label
        "Notice of correction: the electoral commission has corrected the polling station "
        "address for Ward 4 to the Memorial Hall.",
        # someone's apology, attributed after two adjuncts
        "We got this wrong and we are sorry, the bank's chief executive said in a letter to "
        "customers on Monday.",
        # a caption that a gallery replaced after a visitor noticed
        "A visitor noticed that the caption wrongly gave the date of the battle as 1745; the "
        "gallery has since replaced it.",
        # third parties who erred, withdrew, altered
        "The referee erred, the league admitted on Monday.",
        "The university has withdrawn the report and apologised to the families named in it.",
        "A photograph released by the ministry was digitally altered, analysts said.",
        "It came to our attention that the bridge was closed, so we took the ferry.",
        "Due to a production delay, the magazine will be published on Friday.",
        "The authors noticed an error in the council's figures and wrote to the mayor.",
        # "we said on" without a claim
        "We reported on the strike on Monday and will follow it this week.",
    ],
)
def test_prose_with_those_words_is_no_note(prose: str) -> None:
    assert _notes_at_bottom(prose) == []
    assert _notes_at_top(prose) == []


def test_a_notice_label_about_our_text_stays_a_note() -> None:
    note = "Notice of correction: this article contained an error in the headline figure."
    assert [kind for kind, _text in _notes_at_bottom(note)] == ["correction"]
