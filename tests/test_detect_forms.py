"""Notes printed without a label, as corrections columns print them, and prose that is not one.

Every example was written for this file in the style of an outlet's corrections (names, places
and figures invented). A note form is detected at the top of a story (after the byline) and at
its bottom, in plain text and inside Markdown emphasis; a decoy is never detected wherever it
stands. Detection reads the paragraph and its place only: the same note is found whatever else
the story holds.
"""

from __future__ import annotations

import pytest

from revtrack.corrections import detect_notes, diff_notes
from revtrack.corrections.incremental import diff_notes_near
from revtrack.diff import diff_texts

HEAD = "Ferry service to the outer islands starts in May\n\nBy Dana Reyes\n\n"
STORY = (
    "The county board voted on Thursday to open a ferry route to the outer islands.\n\n"
    "Service will start in May from the old cannery pier, with three round trips a day.\n\n"
    "The route will cost $4.2 million over five years, most of it from a state grant.\n\n"
    "Residents of the islands have asked for a year-round service for more than a decade.\n\n"
    "The board will review the timetable after the first summer of sailings.\n\n"
)

# (family, note): one note a line, in the style of the family's outlets.
FORMS = [
    # first person, with the right fact, a contrast, an adverb of error or a correcting sentence
    ("we-said", "We said the new pier was 40 metres long. It is 400 metres long."),
    (
        "we-said",
        "We called Hollis Bay the largest harbour in the county. It is the second largest.",
    ),
    (
        "we-said",
        "In an article on Monday about the ferry, we wrongly stated that it opened in 1998.",
    ),
    ("we-said", "On 3 May we reported that the board had approved the fare. That was incorrect."),
    ("we-said", "Last week we referred to Tom Ardy as the harbour master. He is the deputy."),
    ("we-said", "In our report on the budget (12 March), we misnamed the treasurer as Ann Lee."),
    ("we-said", "We described the grant as a loan. In fact, it does not have to be repaid."),
    ("we-said", "Our report in the last issue gave the wrong date for the vote; it was June 4."),
    ("we-said", "We were wrong to say that the ferry operator had been fined."),
    ("we-said", "We should have said that the route is run by the county, not a private firm."),
    ("we-said", "We are happy to make clear that Ms Okafor was not a member of the board."),
    ("we-said", "We have been asked to point out that the pier is owned by the port authority."),
    ("we-said", "In this report we incorrectly say that the service runs on Sundays."),
    ("we-said", "We got the councillor's party wrong: she sits for the Greens."),
    # right fact first, the wrong one tagged as ours
    ("as-we-had-it", "The ferry holds 220 passengers, not 120, as we said on Tuesday."),
    ("as-we-had-it", "Ruth Okafor chairs the board, not Ruth Okoro as we had it."),
    ("as-we-had-it", "The pier is in Westcliff rather than Eastcliff, as we reported."),
    ("as-we-had-it", "The grant came from the state, as we originally had it."),
    # a contrast, the error stated in the passive or not at all
    ("x-not-y", "The route is 14 km long, not 41 km, as stated in a story on May 2."),
    ("x-not-y", "The board's chair is Ruth Okafor, not Rita Okafor as given in Monday's report."),
    ("x-not-y", "The fare is $4, not $40, as incorrectly stated."),
    ("x-not-y", "The grant is not a loan, as was reported on Saturday."),
    ("x-not-y", "The harbour is dredged every two years, not every year."),
    # incorrectly / mis-verbs
    (
        "incorrectly-verb",
        "On May 14 a story on the budget incorrectly stated that fares would rise.",
    ),
    (
        "incorrectly-verb",
        "Wednesday's story incorrectly said the pier opens in June. It opens in July.",
    ),
    (
        "incorrectly-verb",
        "A picture caption on Saturday wrongly identified Tom Ardy as the skipper.",
    ),
    (
        "incorrectly-verb",
        "The Arts article on Sunday referred incorrectly to the singer as a tenor.",
    ),
    (
        "incorrectly-verb",
        "An Oct. 3 article about the harbour erroneously gave its depth as 3 metres.",
    ),
    ("mis-verb", "The skipper's surname was misspelled as Ardie throughout; it is Ardy."),
    ("mis-verb", "In a report on Tuesday, Ann Lee was misidentified as Ann Leigh."),
    ("mis-verb", "A quote about the fares was misattributed to the mayor in Friday's edition."),
    ("mis-verb", "In our May 2 story about the ferry, we misquoted the harbour master."),
    ("mis-verb", "The name of the island was wrongly given as Inishmor in a report on page 4."),
    # a piece of ours says, and the right fact follows
    (
        "said-in-fact",
        "A story published May 2 said the route would cost $2 million. In fact, it "
        "will cost $4.2 million.",
    ),
    ("said-in-fact", "The column said the pier was built by the navy. It was built by the county."),
    (
        "said-in-fact",
        "In yesterday's Morning Bulletin it was stated that the ferry had been sold. "
        "In fact, it is still owned by the county.",
    ),
    ("said-in-fact", "An article said the board voted unanimously. The vote was 5 to 2."),
    (
        "said-in-fact",
        "Newsround, Radio 4, 3 March: The programme stated that fares would double. "
        "This was incorrect.",
    ),
    ("said-in-fact", "A report on page 3 yesterday said the route had been cancelled. It has not."),
    (
        "said-in-fact",
        "A photograph published with Tuesday's story was of the Westcliff pier, not "
        "the cannery pier.",
    ),
    # contrary to a piece of ours
    ("contrary-to", "Contrary to a May 3 article, the board did not approve the fare increase."),
    ("contrary-to", "Contrary to an earlier report, the pier will stay open this weekend."),
    (
        "contrary-to",
        "Contrary to what was stated in the report 'Ferry plan sinks' (June 4), the "
        "plan was approved.",
    ),
    # corrections-column pointers
    (
        "in-day-section",
        "In Saturday's Travel section (page 12) the crossing was said to take "
        "90 minutes. It takes 45 minutes.",
    ),
    (
        "in-day-section",
        "Ferry service: In the May 10 Section A, an article about the new route "
        "said it would start in June. It starts in May.",
    ),
    (
        "in-day-section",
        "The headline on a report 'Pier to close' (page 5, May 3) should have "
        "read 'Pier to reopen'.",
    ),
    (
        "in-day-section",
        "A story in Tuesday's Courier incorrectly stated that the mayor voted against the route.",
    ),
    # the error as the subject
    ("because-of-error", "An editing error led to the wrong fare being given for children."),
    (
        "because-of-error",
        "Incorrect information appeared in a column on this page on Saturday. "
        "The pier is owned by the county.",
    ),
    (
        "because-of-error",
        "Because of incorrect information supplied to the Courier, the story "
        "gave the wrong opening date.",
    ),
    # regret and apology, in the present tense
    (
        "regret",
        "The report 'Ferry fares' (May 2) gave the adult fare as $40. The correct figure "
        "is $4. The error is regretted.",
    ),
    ("regret", "The ferry holds 220 passengers. Error regretted."),
    ("regret", "The Courier apologises to Mr Ardy for suggesting that he had been dismissed."),
    (
        "regret",
        "We published claims that the skipper had been fined. We accept that this was "
        "untrue and apologise for the distress caused.",
    ),
    (
        "regret",
        "The board chair is Ruth Okafor. Incorrect information appeared in Saturday's "
        "story. We regret the error.",
    ),
    # wire advisories
    ("wire-trashline", "(Corrects paragraph 3 to say the route is 14 km, not 41 km)"),
    ("wire-trashline", "(Refiles to fix typo in headline)"),
    ("wire-trashline", "CORRECTED-(Corrects day of first sailing to Tuesday from Monday)"),
    ("wire-trashline", "(Eds: Corrects spelling of skipper's name in 5th para)"),
    ("wire-trashline", "(This May 3 story corrects the fare in paragraph 2)"),
    ("wire-trashline", "UPDATE 2-(Updates with comment from the operator)"),
    ("wire-trashline", "This version corrects the spelling of the skipper's name."),
    # labels the keyword detector would also know
    ("erratum", "Erratum: The fare table gave the child fare as $4; it is $2."),
    ("erratum", "Corrigendum: In the notice on page 7, the closing date should read July 21."),
    (
        "retraction",
        "STORY WITHDRAWN: This story has been withdrawn. It wrongly said the route was cancelled.",
    ),
    ("retraction", "We have withdrawn this article because it relied on a forged letter."),
    ("updated-to", "We've updated this story to correct the length of the route."),
]

# (family, text): ordinary prose that uses a note's words.
DECOYS = [
    ("quote-we-said", '"We said we would open the route by May, and we have," the chair said.'),
    ("quote-we-said", "'We called it a lifeline then, and it is still one,' said Ruth Okafor."),
    ("quote-we-said", '"As we had it in the plan, the ferry will run all year," the mayor said.'),
    (
        "quoted-apology",
        '"We apologise for any distress caused," a spokesman for the operator said.',
    ),
    ("quoted-apology", "The operator said it apologises for the delays and will refund fares."),
    ("quoted-apology", "The board has since apologised and said the timetable would be revised."),
    ("as-we-reported", "As we reported on Monday, the board has delayed the vote until June."),
    ("as-we-reported", "We reported last year that the pier needed repairs; they began in March."),
    ("as-we-reported", "Our reporter visited the pier on Thursday and found the gates locked."),
    ("first-person-blog", "We wrote about the first sailing last year. It was a great day."),
    ("first-person-blog", "Last year we described how the team built the booking site in Ruby."),
    ("first-person-blog", "We published new guidance to clarify how fares are set and refunded."),
    ("first-person-blog", "We said goodbye to the old ferry in March, after 40 years of service."),
    ("fact-check", "The claim is false: the route is 14 km long, not 41 km, as posts have said."),
    ("fact-check", "Unemployment is 4.1 per cent, not 6 per cent as she said in the debate."),
    ("fact-check", "Contrary to what the video suggests, the footage was filmed in 2019."),
    ("fact-check", "Contrary to earlier reports, the minister has not resigned."),
    ("other-outlet", "A story in The Clarion wrongly said the route had been cancelled."),
    (
        "other-outlet",
        "A report by the state auditor misstated the cost of the route, critics said.",
    ),
    ("other-outlet", "The newspaper published a correction, saying it had misreported the fare."),
    ("in-story-errors", "The new signs at the pier misspelled the island's name."),
    ("in-story-errors", "The skipper says he was misquoted by a tabloid in 1998."),
    ("in-story-errors", "The plaque wrongly states that the pier opened in 1893."),
    ("in-story-errors", "The victim was initially misidentified by a neighbour, police said."),
    ("in-story-errors", "He was wrongly convicted of the robbery in 1998 and freed in 2004."),
    ("in-story-errors", "It was reported that the operator would cut jobs. It denied this."),
    ("regret-in-story", "Many residents now regret the decision to build on the flood plain."),
    ("regret-in-story", "He said he deeply regretted the error of judgment that ended his career."),
    (
        "regret-in-story",
        "The coach said the team would learn from the error that cost them the game.",
    ),
    ("idiom", "Building the service is a marathon, not a sprint."),
    ("idiom", "That is a feature, not a bug."),
    ("idiom", "The question is when, not if."),
    ("release-notes", "This update fixes a crash when the timetable is opened offline."),
    ("release-notes", "(Adds offline maps to the app)\n\nVersion 2.1 of the ferry app is out."),
    (
        "corrections-officers",
        "Corrections officers at the county jail said staffing had "
        "fallen to 60 per cent of the level needed.",
    ),
    ("earlier-draft", "An earlier version of the bill would have capped fares at $3."),
    ("list", "- We said we would add a Sunday sailing.\n- It is now on the timetable."),
    ("narrative", "This story begins in 1952, when a fisherman found a bottle on the shore."),
]

POSITIONS = {
    "top": lambda note: HEAD + note + "\n\n" + STORY,
    "bottom": lambda note: HEAD + STORY + note + "\n",
    "bottom, emphasised": lambda note: HEAD + STORY + "*" + note + "*\n",
}


@pytest.mark.parametrize("where", POSITIONS)
@pytest.mark.parametrize(("family", "note"), FORMS, ids=[f"{f}: {n[:40]}" for f, n in FORMS])
def test_unlabelled_forms_are_notes_at_the_top_and_bottom(
    family: str, note: str, where: str
) -> None:
    text = POSITIONS[where](note)
    notes = detect_notes(text)
    assert len(notes) == 1, (family, notes)
    found = notes[0]
    assert text[found.start : found.end].strip("*") == note
    assert found.position == where.split(",")[0]
    assert found.kind in ("correction", "clarification", "update", "retraction")


@pytest.mark.parametrize(("family", "note"), FORMS, ids=[f"{f}: {n[:40]}" for f, n in FORMS])
def test_a_note_is_found_alike_by_whole_text_and_incremental_detection(
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
    assert [n.position for n in near.added] == [n.position for n in whole.added]


BODY_PLACES = {
    "top": lambda text: HEAD + text + "\n\n" + STORY,
    "body": lambda text: HEAD + STORY + text + "\n\n" + STORY,
    "bottom": lambda text: HEAD + STORY + text + "\n",
}


@pytest.mark.parametrize("where", BODY_PLACES)
@pytest.mark.parametrize(("family", "text"), DECOYS, ids=[f"{f}: {t[:40]}" for f, t in DECOYS])
def test_prose_using_a_notes_words_is_not_a_note(family: str, text: str, where: str) -> None:
    assert detect_notes(BODY_PLACES[where](text)) == []


@pytest.mark.parametrize(
    "note",
    [
        "We said the new pier was 40 metres long. It is 400 metres long.",
        "The ferry holds 220 passengers, not 120, as we said on Tuesday.",
        "Contrary to a May 3 article, the board did not approve the fare increase.",
    ],
)
def test_an_unlabelled_form_in_the_middle_of_a_story_is_story_text(note: str) -> None:
    # Corrections columns print these forms at the top or bottom; in the body the same words
    # are the story's (a labelled note is a note anywhere).
    assert detect_notes(HEAD + STORY + note + "\n\n" + STORY) == []
    assert len(detect_notes(HEAD + STORY + "Correction: " + note + "\n\n" + STORY)) == 1


def test_a_regret_closing_a_short_paragraph_takes_the_whole_paragraph() -> None:
    note = "The board chair is Ruth Okafor. Incorrect information appeared on Saturday. " + (
        "We regret the error."
    )
    (found,) = detect_notes(HEAD + STORY + note)
    assert found.text == note


def test_a_bare_contrast_is_a_note_only_as_the_first_or_last_paragraph() -> None:
    note = "The harbour is dredged every two years, not every year."
    assert len(detect_notes(HEAD + STORY + note)) == 1
    assert len(detect_notes(HEAD + note + "\n\n" + STORY)) == 1
    last = STORY.rstrip().rsplit("\n\n", 1)
    assert detect_notes(HEAD + last[0] + "\n\n" + note + "\n\n" + last[1]) == []
