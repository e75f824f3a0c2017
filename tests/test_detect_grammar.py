"""Note forms read by their grammar: a reference to what was printed plus a verb of error or change.

Issue #14 asks for the forms outlets print, not for the strings of one catalogue: a pointer to
an earlier version, to this piece or to a part of it ("the headline and standfirst of this
article", "the online version of this story", "a feature about ...", "in these columns"), and a
verb that says it was wrong or has changed ("transposed", "reversed", "overstated", "has been
replaced", "did not meet our standards"); labels in the other spellings newsrooms use ("Ed.
note:", "Corrections & Amplifications", "Amendment:", "Publisher's note:", a dotted date); the
closing sentence of a note ("This has been corrected."). Each example was written for this
file in the style of an outlet's corrections (names, places and figures invented), and each
family of forms has decoys beside it: ordinary prose with the same words that is no note.

Pure tests of the detector: no database.
"""

from __future__ import annotations

import pytest

from revtrack.corrections import detect_notes, diff_notes
from revtrack.corrections.incremental import diff_notes_near
from revtrack.diff import diff_texts

HEAD = "Library to open on Sundays from March\n\nBy Priya Nandakumar\n\n"
STORY = (
    "The city library will open on Sundays from March, the council said on Wednesday.\n\n"
    "The central branch on Mill Street will open from noon to five, with a reduced staff.\n\n"
    "The change will cost about $310,000 a year, paid for from the parking levy.\n\n"
    "Library users had asked for weekend hours in a survey of 2,400 residents last spring.\n\n"
    "Two smaller branches, in Eastfield and Ashby, will keep their Saturday hours.\n\n"
)

# (family, note)
FORMS = [
    # a part of this piece, or a version of it, changed or wrong
    (
        "part-of-piece",
        "The headline and standfirst of this article were amended on 4 March 2024 to make "
        "clear that the branch will open at noon.",
    ),
    ("part-of-piece", "The online version of this story has been corrected."),
    (
        "part-of-piece",
        "The print version of this article incorrectly stated that the branch opens at ten.",
    ),
    (
        "part-of-piece",
        "The photograph accompanying this article has been replaced; it showed the Ashby "
        "branch, not the central library.",
    ),
    (
        "part-of-piece",
        "A quote in the sixth paragraph of this story has been removed at the request of the "
        "person quoted.",
    ),
    ("part-of-piece", "A reference to the library's former director has been removed."),
    (
        "part-of-piece",
        "This article was originally published with an incorrect headline.",
    ),
    (
        "part-of-piece",
        "The story previously said the levy raises $3.1 million a year. It raises $310,000.",
    ),
    (
        "part-of-piece",
        "Previously, this article said the Eastfield branch would close. It will keep its "
        "Saturday hours.",
    ),
    ("part-of-piece", "This is a corrected version of a story first published on 3 March."),
    (
        "part-of-piece",
        "This story did not meet our editorial standards and has been removed.",
    ),
    ("part-of-piece", "A correction was made to this article on March 5, 2024."),
    # the closing sentence of a note, or an admission in other words
    (
        "closing",
        "A caption on a photograph of the reading room named the wrong branch. This has "
        "been corrected.",
    ),
    ("closing", "An error in the opening hours has been corrected."),
    (
        "admission",
        "We made an error in our story about Sunday hours: the branch opens at noon, not ten.",
    ),
    ("admission", "We erred in saying the levy pays for the whole change."),
    (
        "admission",
        "We have corrected the spelling of the chief librarian's name, Aoife Brannigan.",
    ),
    ("admission", "We have removed a paragraph that wrongly linked the closures to the levy."),
    ("admission", "We confused the Eastfield branch with the Ashby branch in this report."),
    # the error's verbs beyond the mis- verbs
    (
        "error-verb",
        "A picture caption on Monday reversed the names of two librarians. Aoife Brannigan "
        "is on the left.",
    ),
    (
        "error-verb",
        "The names of Aoife Brannigan and Carys Holt were transposed in a photo caption on "
        "Tuesday.",
    ),
    (
        "error-verb",
        "A headline on Wednesday overstated the cost of the change. It is $310,000 a year.",
    ),
    (
        "error-verb",
        "An article on Thursday about the library should not have said that fines double.",
    ),
    # pieces a corrections column names
    (
        "column-piece",
        "A feature about the library (Open all hours, 3 March, page 12) said it had 24 "
        "branches. It has 14.",
    ),
    (
        "column-piece",
        "A review on Friday of the new reading room misstated the architect's name. She is "
        "Ines Marlow.",
    ),
    (
        "column-piece",
        "A leader on Monday said the library had been closed on Sundays since 1990. It was 1996.",
    ),
    (
        "column-piece",
        "It was wrongly reported in these columns on March 3 that the branch would close.",
    ),
    (
        "column-piece",
        "In the report 'Library hours extended' (March 3), please read 'noon' instead of 'ten'.",
    ),
    ("column-piece", "Sunday's Metro section misstated the opening time of the central branch."),
    (
        "as-stated",
        "The branch opens at noon, not at ten, as an earlier version of this story said.",
    ),
    ("as-stated", "The levy raises $310,000, not $3.1 million, as a Tuesday article said."),
    ("as-stated", "The survey asked 2,400 residents, not 4,200 as reported earlier."),
    # due to an error, in the other words for it
    ("because-of-error", "Owing to a subediting error, the branch was said to open at ten."),
    (
        "because-of-error",
        "Due to a typo, the cost of the change was given as $3.1 million.",
    ),
    # updates
    ("update", "Updated with comment from the council's library committee."),
    ("update", "This story has been updated with additional information."),
    # labels in other spellings
    ("label", "Ed. note: An earlier version of this story gave the wrong opening time."),
    (
        "label",
        "Corrections & Amplifications\nAn earlier version of this article misstated the cost "
        "of the change.",
    ),
    ("label", "Amendment: The branch opens at noon, not ten as first reported."),
    (
        "label",
        "Publisher's note: This article has been revised to remove a claim about the director.",
    ),
    ("label", "Correction, 05.03.2024: The branch opens at noon."),
    ("label", "Clarification and correction: The levy pays for part of the change, not all of it."),
    ("label", "Correction and update: The branch will open at noon, the council said on Friday."),
    ("label", "[Ed. note: The cost was given as $3.1 million in an earlier version.]"),
    ("label", "Retraction notice: The Courier retracts this story, which relied on a forged memo."),
    ("label", "Story updated March 4, 2024: The council has confirmed the noon opening."),
    ("label", "Apology: In an article on Monday we wrongly said that Ms Holt had resigned."),
    # present tense after an adverb of error, as broadcasters print it
    (
        "present-tense",
        "In the audio of this story, as in a previous web version, we incorrectly say the "
        "branch opens at ten.",
    ),
    ("present-tense", "The audio version of this story incorrectly says the levy doubles."),
    # a wrong thing used, or the piece silent where it should have spoken
    ("wrong-thing", "We used an outdated photograph of the reading room in this article."),
    (
        "wrong-thing",
        "The wrong map was published with an article on Tuesday about the Eastfield branch.",
    ),
    (
        "wrong-thing",
        "An article on Sunday about the library did not disclose that the writer sits on its "
        "board.",
    ),
    (
        "wrong-thing",
        "A story on Monday used an incorrect figure for the levy. It raises $310,000 a year.",
    ),
    ("wrong-thing", "The column should have made clear that the levy is temporary."),
    # an outlet or agency naming itself; a piece published in error; a story first published
    ("outlet", "AFP erroneously reported on March 3 that the central branch would close."),
    ("outlet", "Business Standard has updated this story to correct the branch's opening time."),
    ("in-error", "This story was published in error and has been removed."),
    (
        "in-error",
        "This article was first published on 3 March and has been updated to include the "
        "council's response.",
    ),
    ("in-error", "Portions of this article were copied from a council press release."),
    # broadcast corrections page: a programme as topic, the error in the passive
    (
        "broadcast",
        "Morning Edition, City Radio, 3 March 2024: In a discussion about the library, it was "
        "incorrectly stated that the Ashby branch would close. In fact, it will keep its hours.",
    ),
    ("updated-to", "Updated on March 3, 2024 to add comment from the chief librarian."),
    ("clarify", "To clarify, the levy pays for part of the change, not all of it."),
    ("withdrawn", "We have taken down this article while we review its sourcing."),
    ("appended", "[Clarification appended]"),
    ("should-read", "The headline on this story should have read 'Library to open on Sundays'."),
    (
        "in-day-section",
        "An Irishman's Diary on Monday stated that the library opened in 1884. It opened in 1848.",
    ),
    # an opening clause before the disclosure
    (
        "opening",
        "In response to readers' questions, this story has been updated to explain how the "
        "levy is set.",
    ),
    ("opening", "Since publication, this article has been amended to remove a quote."),
    ("opening", "Following a complaint, we have removed this article."),
    # wire advisories with a slug, and the words of Indian papers
    ("wire", "ATTENTION - CORRECTS name of chief librarian in paragraph 3 ///"),
    (
        "indian",
        "Inadvertently, the cost was given as $3.1 million in the report 'Library hours "
        "extended' (March 3).",
    ),
    (
        "indian",
        "Due to an oversight, the name of the chief librarian was omitted from the report.",
    ),
    (
        "indian",
        "An earlier version of this copy incorrectly mentioned that the branch would close.",
    ),
    ("indian", "The copy has been updated to reflect the council's decision."),
    # headings of a corrections box, above the note's words in the same paragraph
    (
        "heading",
        "Note to readers\nThis story relied on a council memo that has since been withdrawn.",
    ),
    ("heading", "Update\nThe council confirmed on Friday that the branch will open at noon."),
    ("heading", "Corrections\nAn earlier version of this story gave the wrong opening time."),
    # more of the corrections column's words
    ("column", "A report about the library was wrong to say that the levy doubles."),
    (
        "column",
        "An interview with Aoife Brannigan (Open all hours, 3 March, page 12) included a quote "
        "attributed to her that was in fact said by Carys Holt.",
    ),
    ("column", "In our story on the library, we said 24 branches. There are 14."),
    (
        "column",
        "Our apologies to Aoife Brannigan, whose name was misspelled in Tuesday's story.",
    ),
    ("column", "The original story said the levy doubles; it is unchanged."),
    ("apology", "We're sorry for the error."),
    ("apology", "Our apologies for the error."),
    ("headline", "Headline changed to make clear that the branch opens at noon."),
    ("retraction", "We retract this article and apologise to Ms Holt."),
    # a topic or a bare "Note:" before a disclosure phrase
    ("topic", "Note: This story has been updated to include comment from the chief librarian."),
    ("topic", "Library hours: An earlier version of this story gave the wrong opening time."),
    ("label", "An editorial note: This article has been revised to remove a quote."),
    ("outlet", "The Herald on Sunday incorrectly reported that the branch would close."),
    ("admission", "We mistakenly published a photograph of the Ashby branch with this article."),
    ("version", "In the print edition of this article, the cost was given as $3.1 million."),
    ("version", "This version of the story corrects the opening time of the central branch."),
    ("apology", "Apologies to Ms Brannigan, whose name we misspelled."),
    (
        "because-of-error",
        "Due to an error in the editing process, the branch was said to open at ten.",
    ),
    ("updated-to", "Amended on 5 March 2024 to correct the opening time."),
    ("changelog", "Spelling of Aoife Brannigan's name corrected on March 5."),
    (
        "x-not-y",
        "The branch is on Mill Street, not Mill Lane (Doors open at noon, 4 March, page 11).",
    ),
    ("updated-to", "Updated Tuesday to include comment from the council."),
    ("label", "Update 2: The council has confirmed the noon opening."),
    ("wire", "(Removes reference to the former director)"),
    ("contrary-to", "Contrary to information published on Saturday, the branch will stay open."),
    ("said-in-fact", "A report on Monday said the branch would close. This is not the case."),
    (
        "pointer-passive",
        "In an article about the library, Aoife Brannigan's name was given as Aoife Brennan.",
    ),
    (
        "pointer-passive",
        "In Tuesday's story, a quote was attributed to Carys Holt; it was said by Aoife Brannigan.",
    ),
    (
        "piece-erred",
        "A Sunday Insight article about the library contained an error about its opening hours.",
    ),
    ("piece-erred", "The programme should have made clear that the levy is temporary."),
    ("apology", "We accept this was not the case."),
    ("outlet", "AFP has corrected the spelling of the chief librarian's name in paragraph 3."),
]

# (family, text): ordinary prose with the same words, at the top, in the body or at the bottom.
DECOYS = [
    ("part-of-piece", "The headline figure of the budget was amended in committee on Tuesday."),
    ("part-of-piece", "The online version of the catalogue has been updated with 4,000 titles."),
    ("part-of-piece", "The print version of the guide will be available at every branch in May."),
    (
        "part-of-piece",
        "A reference to the founder has been removed from the company's website, a spokesman said.",
    ),
    (
        "part-of-piece",
        "The photograph was replaced by a portrait of the library's founder in 1974.",
    ),
    (
        "part-of-piece",
        "This article was originally published by The Conversation and is republished under "
        "a Creative Commons licence.",
    ),
    (
        "part-of-piece",
        "A version of this article appears in print on March 4, 2024, Section A, Page 12 of "
        "the city edition with the headline: Library to open on Sundays.",
    ),
    ("part-of-piece", "Previously, the library said it could not afford weekend staff."),
    ("part-of-piece", "This is an updated version of the guide first issued in 2019."),
    (
        "part-of-piece",
        "The report did not meet the auditor's standards and has been sent back, the council said.",
    ),
    ("closing", "The fault in the lift has been corrected, the council said."),
    ("closing", "The error in the billing system has been fixed, and refunds will follow."),
    ("admission", '"We made an error in closing on Sundays," the council leader said.'),
    ("admission", "We have removed the old shelving and corrected the signs in the foyer."),
    ("admission", "We confused the two branches when we first moved here, said Carys Holt."),
    ("error-verb", "The council reversed the decision to close the Ashby branch on Tuesday."),
    (
        "error-verb",
        "The names of the two reading rooms were swapped when the branch was renovated.",
    ),
    ("error-verb", "Critics said the report overstated the cost of Sunday opening."),
    ("error-verb", "The price rise was reversed in March after complaints from users."),
    ("column-piece", "A feature of the new branch is a reading room open until midnight."),
    ("column-piece", "A review of library hours found that 40 per cent of users work weekends."),
    ("column-piece", "The leader of the council said the levy would cover the cost."),
    ("column-piece", "Read the full report for details of the branch hours."),
    ("column-piece", "In these columns last year, readers debated the future of the library."),
    ("as-stated", "The branch opens at noon, not at ten, as the council said in January."),
    ("because-of-error", "Due to a typo in the contract, the levy was charged twice."),
    ("because-of-error", "Owing to a technical error, some borrowers were fined in error."),
    ("update", "Updated with new features, the library app now lets users renew loans."),
    ("update", "The system has been updated with additional security checks."),
    ("label", "Amendment 4 to the library bylaw passed by six votes to three."),
    ("label", "Author's note: I worked at the Ashby branch for three years."),
    ("label", "Publisher's Weekly named the library's reading scheme the best of the year."),
    ("label", "Corrections officers from the county jail run a reading club at the branch."),
    ("label", "Apology accepted, the council leader said after the debate on Sunday hours."),
    ("label", "Story time for children will move to Sunday afternoons from March."),
    ("present-tense", "The mayor incorrectly says the levy doubles, according to the auditor."),
    ("wrong-thing", "We used an old photograph of the reading room for the poster, said Ms Holt."),
    ("wrong-thing", "The wrong drug was given to the patient, the hospital said."),
    ("wrong-thing", "The contractor did not disclose that it had been fined."),
    ("outlet", "NASA erroneously reported in 1999 that the probe had landed, the book says."),
    ("outlet", "The council has updated its report on library opening hours."),
    ("in-error", "The letters were posted in error to 4,000 residents, the council said."),
    ("in-error", "The library was first opened in 1884 and has been extended twice."),
    ("broadcast", "It was incorrectly stated by the council that the branch would close."),
    ("clarify", '"To clarify, we will open at noon," the chief librarian said.'),
    ("boilerplate", "This article is more than 5 years old."),
    ("boilerplate", "If you have spotted an error, please contact corrections@example.com."),
    ("boilerplate", "We are committed to correcting errors. Read our corrections policy."),
    ("boilerplate", "(Reporting by Priya Nandakumar; Editing by Tom Ardy)"),
    ("boilerplate", "Reporting by Priya Nandakumar; editing by Tom Ardy and Carys Holt."),
    ("boilerplate", "This story was produced in partnership with the Local News Lab."),
    ("boilerplate", "This is a developing story and will be updated."),
    ("boilerplate", "Sign up for our newsletter to get library news every week."),
    (
        "boilerplate",
        "Comments on this piece are premoderated to ensure discussion remains on the topics "
        "raised by the writer.",
    ),
    ("boilerplate", "Additional reporting by Tom Ardy."),
    ("opening", "Following the vote, the council has updated its report on library hours."),
    ("opening", "After the fire, we removed the damaged shelves and replaced the carpet."),
    ("indian", "Inadvertently, the council left the branch open overnight."),
    ("indian", "Due to an oversight, the contract was not renewed in time."),
    ("indian", "The copy of the council's letter was shown to reporters on Friday."),
    ("heading", "Update\nyour browser to read the library's new catalogue."),
    ("column", "The minister was wrong to say that libraries are closing, the union said."),
    ("apology", "Our apologies, but the reading room is closed for repairs until May."),
    ("headline", "Title changed hands twice in the decade after the library was sold."),
    ("retraction", "We retract nothing, the council leader said on Friday."),
    ("topic", "Note: The branch will be closed on public holidays."),
    ("topic", "Opening hours: The central branch opens at noon on Sundays."),
    ("outlet", "The Friends of the Library wrongly believed the branch would close."),
    ("admission", "We published new opening hours for every branch on Monday."),
    ("version", "In the print edition of the guide, opening hours are given for every branch."),
    ("changelog", "The spelling of the street name was corrected by the council in 2019."),
    ("because-of-error", "Due to an error in the system, some fines were charged twice."),
    ("x-not-y", "The vote, not the debate, decided the matter (see the timeline on page 4)."),
    ("x-not-y", "He prefers tea, not coffee (he told us on Monday)."),
    ("label", "UPDATE 2-Library to open on Sundays from March"),
    ("wire", "(Adds offline maps to the library app)"),
    (
        "clarify",
        "Users did not find the renewal button. To clarify, the team added a tips box beside it.",
    ),
    ("pointer-passive", "In a report by the auditor, the council was described as failing."),
    ("pointer-passive", "In the story of the library, the founder was described as a visionary."),
    ("outlet", "The Council has changed the name of the Ashby branch."),
    ("outlet", "The Library Board has updated its guide to opening hours."),
    ("piece-erred", "The programme had errors in its first season, the producer said."),
]

POSITIONS = {
    "top": lambda note: HEAD + note + "\n\n" + STORY,
    "bottom": lambda note: HEAD + STORY + note + "\n",
    "bottom, emphasised": lambda note: HEAD + STORY + "_" + note + "_\n",
}


def _ids(rows: list[tuple[str, str]]) -> list[str]:
    return [f"{family}: {text[:40]}" for family, text in rows]


@pytest.mark.parametrize("where", POSITIONS)
@pytest.mark.parametrize(("family", "note"), FORMS, ids=_ids(FORMS))
def test_forms_read_by_grammar_are_notes(family: str, note: str, where: str) -> None:
    text = POSITIONS[where](note)
    notes = detect_notes(text)
    assert len(notes) == 1, (family, notes)
    found = notes[0]
    assert text[found.start : found.end].strip("_").replace("\n", " ") == note.replace("\n", " ")
    assert found.position == where.split(",")[0]


@pytest.mark.parametrize(("family", "note"), FORMS, ids=_ids(FORMS))
def test_such_a_note_is_found_alike_by_whole_text_and_incremental_detection(
    family: str, note: str
) -> None:
    before = HEAD + STORY
    after = HEAD + STORY + note + "\n"
    hunks = diff_texts(before, after).hunks
    near = diff_notes_near(
        before, after, [(h.a_start, h.a_end) for h in hunks], [(h.b_start, h.b_end) for h in hunks]
    )
    whole = diff_notes(before, after)
    assert [n.text for n in near.added] == [n.text for n in whole.added] != []


PLACES = {
    "top": lambda text: HEAD + text + "\n\n" + STORY,
    "body": lambda text: HEAD + STORY + text + "\n\n" + STORY,
    "bottom": lambda text: HEAD + STORY + text + "\n",
}


@pytest.mark.parametrize("where", PLACES)
@pytest.mark.parametrize(("family", "text"), DECOYS, ids=_ids(DECOYS))
def test_prose_with_the_same_words_is_not_a_note(family: str, text: str, where: str) -> None:
    assert detect_notes(PLACES[where](text)) == []


@pytest.mark.parametrize(
    "box",
    [
        "Correction\n\nMarch 5, 2024\n\nThe branch opens at noon, not ten.",
        "Correction: March 5, 2024\n\nThe branch opens at noon, not ten.",
        "**Clarification**\n\n5 March 2024\n\nThe branch opens at noon, not ten.",
    ],
)
def test_a_box_with_its_date_on_a_line_of_its_own_takes_the_words_below(box: str) -> None:
    for text in (HEAD + box + "\n\n" + STORY, HEAD + STORY + box + "\n"):
        (note,) = detect_notes(text)
        assert note.text == "The branch opens at noon, not ten."
        assert note.printed_date.replace("5 March 2024", "March 5, 2024") == "March 5, 2024"
        assert text[note.start : note.end] == box


def test_an_update_time_under_the_byline_does_not_swallow_the_story() -> None:
    text = HEAD + "Updated March 4, 2024\n\n" + STORY
    (note,) = detect_notes(text)
    assert (note.kind, note.text, note.printed_date) == ("update", "", "March 4, 2024")
    assert text[note.start : note.end] == "Updated March 4, 2024"


@pytest.mark.parametrize(
    "line",
    [
        "- Correction: The branch opens at noon.",
        "• Clarification: The branch opens at noon.",
        "Correction to this article: The branch opens at noon.",
    ],
)
def test_a_label_after_a_bullet_or_naming_this_article(line: str) -> None:
    (note,) = detect_notes(HEAD + STORY + line + "\n")
    assert note.text == "The branch opens at noon."
    assert note.kind in ("correction", "clarification")
