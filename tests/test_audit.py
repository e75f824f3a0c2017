"""Audit: undisclosed edits, disclosure lags, vanished notes and the report figures."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from revtrack.audit import (
    HEADLINE_HUNK,
    ArticleSummary,
    DisclosedFix,
    Finding,
    LinkedNote,
    OutletAggregator,
    VanishedNote,
    disclosed_fixes,
    find_undisclosed,
    grade,
    merge_summaries,
    severity_at_least,
    summarize_article,
    vanished_notes,
)
from revtrack.corrections.model import Evidence, Link, Note, NoteChanges, RevisionChanges
from revtrack.diff.model import Diff, DiffStats, Hunk, HunkOp
from revtrack.errors import InvalidInput


def hunk(
    index: int,
    op: HunkOp,
    old: str,
    new: str,
    *kinds: str,
    a_start: int = 0,
    b_start: int = 0,
) -> Hunk:
    return Hunk(
        index, op, a_start, a_start + len(old), b_start, b_start + len(new), old, new, kinds
    )


def revision(
    number: int, *hunks: Hunk, old_title: str = "", new_title: str = ""
) -> RevisionChanges:
    diff = Diff("", "", "word", (), hunks, DiffStats(hunks=len(hunks)))
    return RevisionChanges(number, diff, old_title, new_title)


NOTE = "A previous version of this story misstated the number of islands controlled by Russia."

# The bundled example's shape: v2 changes a poll figure (no note) and adds closing paragraphs;
# v3 fixes the number of islands and adds the note that discloses it.
STORY = [
    revision(
        2,
        hunk(0, "replace", "80%", "82%", "number"),
        hunk(1, "insert", "", "\n\nMatsumoto acknowledged such challenges.", "sentence-added"),
    ),
    revision(
        3,
        hunk(0, "replace", "two", "four", "number"),
        hunk(1, "insert", "", f"\n\n{NOTE}", "sentence-added", b_start=500),
    ),
]
ISLANDS = LinkedNote("c1", "correction", 3, 3, hunks=((3, 0),), text=NOTE)


def test_story_reports_the_poll_change_and_the_update_but_not_the_fix_or_note() -> None:
    findings = find_undisclosed(STORY, [ISLANDS])
    assert [(f.revision, f.hunk_index, f.severity) for f in findings] == [
        (2, 0, "high"),
        (2, 1, "low"),
    ]
    assert findings[0] == Finding(
        2, 0, "replace", ("number",), "80%", "82%", "high", "number changed"
    )


def test_note_spans_identify_the_notes_own_paragraph() -> None:
    unlinked = LinkedNote("c1", "correction", 3, 3, hunks=((3, 0),))  # no text to match
    with_spans = find_undisclosed(STORY, [unlinked], note_spans={3: [(502, 502 + len(NOTE))]})
    without = find_undisclosed(STORY, [unlinked])
    assert (3, 1) not in {(f.revision, f.hunk_index) for f in with_spans}
    assert (3, 1) in {(f.revision, f.hunk_index) for f in without}


def test_removing_a_note_is_not_an_undisclosed_edit() -> None:
    changes = [revision(4, hunk(0, "delete", f"\n\n{NOTE}", "", "sentence-removed", a_start=500))]
    assert find_undisclosed(changes, [], note_spans={3: [(502, 502 + len(NOTE))]}) == []
    assert find_undisclosed(changes, [ISLANDS]) == []
    assert len(find_undisclosed(changes, [])) == 1


@pytest.mark.parametrize(
    ("note_kind", "expected"),
    [
        # An update discloses added text, never a changed fact.
        ("update", [(2, 0)]),
        ("correction", [(2, 0), (2, 1)]),
        ("clarification", [(2, 0), (2, 1)]),
    ],
)
def test_update_notes_cover_added_sentences_only(
    note_kind: str, expected: list[tuple[int, int]]
) -> None:
    note = LinkedNote("u1", note_kind, 2, 2)  # type: ignore[arg-type]
    findings = find_undisclosed(STORY[:1], [note])
    assert [(f.revision, f.hunk_index) for f in findings] == expected


def test_linked_evidence_covers_hunks_in_earlier_revisions() -> None:
    link = Link(2, 0.9, (Evidence(2, 0, ("poll",), "number", "80%", "82%", 0.9),))
    note = LinkedNote.from_link("c2", "correction", link, disclosing_revision=3, text=NOTE)
    assert note.hunks == ((2, 0),)
    assert [(f.revision, f.hunk_index) for f in find_undisclosed(STORY, [note])] == [(2, 1), (3, 0)]


@pytest.mark.parametrize(
    ("old_title", "new_title", "note_text", "expected"),
    [
        ("Japan stands firm", "Japan stands up to Russia", "", [(5, HEADLINE_HUNK)]),
        ("Japan stands firm", "Japan  stands firm ", "", []),
        ("", "Japan stands up to Russia", "", []),
        ("Japan stands firm", "Japan wavers", "This headline has been updated.", []),
    ],
)
def test_title_changes(
    old_title: str, new_title: str, note_text: str, expected: list[tuple[int, int]]
) -> None:
    changes = [revision(5, old_title=old_title, new_title=new_title)]
    links = [LinkedNote("n", "editors-note", 5, 5, text=note_text)] if note_text else []
    findings = find_undisclosed(changes, links)
    assert [(f.revision, f.hunk_index) for f in findings] == expected
    assert all(f.severity == "high" and f.kinds == ("headline",) for f in findings)


@pytest.mark.parametrize(
    ("op", "old", "new", "kinds", "severity"),
    [
        ("replace", "two", "four", ("number",), "high"),
        ("replace", "March 9", "March 10", ("date", "number"), "high"),
        ("replace", "Kishida", "Kishida's", ("name",), "high"),
        ("replace", "“quite natural”", "“natural”", ("quote",), "high"),
        ("insert", "", "not", ("negation",), "high"),
        ("replace", "Old head", "New head", ("headline",), "high"),
        ("delete", "Wallace said 80% agreed.", "", ("sentence-removed",), "high"),
        ("delete", "He said “no.”", "", ("sentence-removed",), "high"),
        ("delete", "It was met by Wallace.", "", ("sentence-removed",), "high"),
        ("delete", "it was raining that day.", "", ("sentence-removed",), "medium"),
        ("insert", "", "A new paragraph about 12 ships.", ("sentence-added", "number"), "low"),
        ("insert", "", "More words.", ("sentence-added",), "low"),
        ("replace", "said", "stated", ("wording",), "low"),
        ("replace", "a b c d e f g h", "i j k l m n o p", ("wording",), "medium"),
        ("replace", "said", "stated", (), "low"),
        ("move", "A passage.", "A passage.", (), "low"),
        ("replace", "colour", "color", ("cosmetic",), None),
        ("replace", " ", "\n", ("name",), None),
        ("replace", "a  b\n", "a b ", ("negation",), None),
        ("replace", "was", "was not", ("negation",), "high"),
    ],
)
def test_grade(
    op: HunkOp, old: str, new: str, kinds: tuple[str, ...], severity: str | None
) -> None:
    graded = grade(hunk(0, op, old, new, *kinds))
    assert (graded[0] if graded else None) == severity


def test_cosmetic_hunks_are_never_findings() -> None:
    changes = [revision(2, hunk(0, "replace", "colour", "color", "cosmetic"))]
    assert find_undisclosed(changes, []) == []


@pytest.mark.parametrize(
    ("level", "kept"),
    [("low", ["high", "medium", "low"]), ("medium", ["high", "medium"]), ("high", ["high"])],
)
def test_severity_at_least(level: str, kept: list[str]) -> None:
    findings = [
        Finding(2, n, "replace", ("wording",), "", "", sev, "")  # type: ignore[arg-type]
        for n, sev in enumerate(["high", "medium", "low"])
    ]
    assert [f.severity for f in findings if severity_at_least(level)(f)] == kept


def test_unknown_severity_is_a_user_error() -> None:
    with pytest.raises(InvalidInput, match="Unknown severity 'urgent'"):
        severity_at_least("urgent")


T0 = datetime(2022, 3, 18, 10, 0)
TIMES = {1: T0, 2: T0 + timedelta(hours=2), 3: T0 + timedelta(hours=26)}


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        (
            LinkedNote("a", "correction", 3, 3, ((3, 0),)),
            DisclosedFix("a", "correction", 3, 3, 0.0, "same-revision"),
        ),
        (
            LinkedNote("b", "correction", 2, 3, ((2, 0),)),
            DisclosedFix("b", "correction", 2, 3, 86400.0, "disclosed-later"),
        ),
        (
            LinkedNote("c", "clarification", 3, 3, (), matched=False),
            DisclosedFix("c", "clarification", 3, 3, 0.0, "no-matching-change"),
        ),
        (
            LinkedNote("d", "correction", 2, None, ((2, 0),)),
            DisclosedFix("d", "correction", 2, None, None, "never-disclosed"),
        ),
        (
            LinkedNote("e", "update", 4, 5),
            DisclosedFix("e", "update", 4, 5, None, "disclosed-later"),
        ),
    ],
)
def test_disclosed_fixes(note: LinkedNote, expected: DisclosedFix) -> None:
    assert disclosed_fixes([note], TIMES) == [expected]


def test_disclosed_fixes_without_times_have_no_lag() -> None:
    assert disclosed_fixes([LinkedNote("b", "correction", 2, 3)])[0].lag_seconds is None


def _note(text: str) -> Note:
    return Note("correction", "Correction", text, 0, len(text))


N1, N2 = _note("Correction: the count was wrong."), _note("Correction: the date was wrong.")


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        pytest.param(
            [(3, NoteChanges(added=(N1,))), (5, NoteChanges(removed=(N1,)))],
            [VanishedNote(5, N1, first_seen=3)],
            id="removed",
        ),
        pytest.param(
            [(3, NoteChanges(added=(N1,))), (4, NoteChanges(added=(N1,), removed=(N1,)))],
            [],
            id="moved-within-page",
        ),
        pytest.param(
            [
                (3, NoteChanges(added=(N1, N2))),
                (4, NoteChanges(removed=(N1,))),
                (6, NoteChanges(added=(N1,))),
            ],
            [VanishedNote(4, N1, first_seen=3, restored_in=6)],
            id="restored",
        ),
        pytest.param([(4, N2), (2, N1)], [VanishedNote(2, N1), VanishedNote(4, N2)], id="pairs"),
        pytest.param({5: [N1]}, [VanishedNote(5, N1)], id="mapping-of-lists"),
        pytest.param(
            {3: NoteChanges(added=(N1,)), 4: NoteChanges(amended=((N1, N2),))}, [], id="amended"
        ),
    ],
)
def test_vanished_notes(history: object, expected: list[VanishedNote]) -> None:
    assert vanished_notes(history) == expected  # type: ignore[arg-type]


def test_summarize_article_counts_the_story() -> None:
    summary = summarize_article(
        "japan-russia", STORY, [ISLANDS], outlet="VOA", revision_times=TIMES, vanished=0
    )
    assert summary == ArticleSummary(
        article="japan-russia",
        outlet="VOA",
        revisions=3,
        substantive_edits=3,  # the poll figure, the added paragraph, the islands fix
        disclosed=1,
        undisclosed=2,
        undisclosed_by_severity={"high": 1, "low": 1},
        corrections=1,
        unmatched_corrections=0,
        vanished_notes=0,
        lags=(0.0,),
    )
    assert summary.share_disclosed == pytest.approx(1 / 3)
    assert summary.median_lag_seconds == 0.0


def _summary(
    article: str, outlet: str, undisclosed: int, lags: tuple[float, ...]
) -> ArticleSummary:
    return ArticleSummary(
        article,
        outlet,
        revisions=3,
        substantive_edits=undisclosed + len(lags),
        disclosed=len(lags),
        undisclosed=undisclosed,
        undisclosed_by_severity={"high": undisclosed} if undisclosed else {},
        corrections=len(lags),
        vanished_notes=1 if not lags else 0,
        lags=lags,
    )


def test_merge_summaries_per_outlet_and_overall() -> None:
    stream = (
        s
        for s in [
            _summary("a", "VOA", 2, (0.0,)),
            _summary("b", "VOA", 0, (60.0, 3600.0)),
            _summary("c", "AP", 1, ()),
        ]
    )
    report = merge_summaries(stream)
    assert [o.outlet for o in report.outlets] == ["AP", "VOA"]
    voa = report.outlets[1]
    assert (voa.articles, voa.articles_with_undisclosed, voa.undisclosed, voa.disclosed) == (
        2,
        1,
        2,
        3,
    )
    assert voa.median_lag_seconds == 60.0
    assert voa.share_disclosed == pytest.approx(3 / 5)
    assert voa.undisclosed_per_article == 1.0
    assert report.total.articles == 3
    assert report.total.undisclosed_by_severity == {"high": 3}
    assert report.total.vanished_notes == 1
    assert report.total.median_lag_seconds == 60.0
    row = report.outlets[0].as_row()
    assert row["outlet"] == "AP"
    assert (row["undisclosed_high"], row["undisclosed_low"], row["median_lag_seconds"]) == (
        1,
        0,
        None,
    )
    assert row["share_disclosed"] == 0.0


def test_empty_outlet_has_no_rates() -> None:
    summary = OutletAggregator("none").summary()
    assert summary.share_disclosed is None
    assert summary.median_lag_seconds is None
    assert summary.undisclosed_per_article is None


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["VOA", "AP", "Reuters"]),
            st.integers(0, 5),
            st.lists(st.floats(0, 1e6), max_size=3).map(tuple),
        ),
        max_size=12,
    )
)
def test_merging_in_any_order_gives_the_same_totals(
    rows: list[tuple[str, int, tuple[float, ...]]],
) -> None:
    summaries = [_summary(str(n), o, u, lags) for n, (o, u, lags) in enumerate(rows)]
    forward, backward = merge_summaries(summaries), merge_summaries(reversed(summaries))
    assert forward == backward
    assert forward.total.undisclosed == sum(o.undisclosed for o in forward.outlets)
    assert forward.total.articles == len(rows)


def test_audit_of_real_diffs_of_a_small_story() -> None:
    from revtrack.diff import diff_texts

    v1 = "Poll: 80% back sanctions.\n\nTalks stalled over two islands held by Russia.\n"
    v2 = v1.replace("80%", "82%") + "\nMatsumoto said inaction was the greater risk.\n"
    v3 = v2.replace("two islands", "four islands") + f"\n{NOTE}\n"
    changes = [RevisionChanges(2, diff_texts(v1, v2)), RevisionChanges(3, diff_texts(v2, v3))]
    fix = next(h for h in changes[1].diff.hunks if h.old == "two")
    note_start = v3.index(NOTE)
    spans = {3: [(note_start, note_start + len(NOTE))]}
    links = [LinkedNote("c1", "correction", 3, 3, ((3, fix.index),))]
    findings = find_undisclosed(changes, links, note_spans=spans)
    assert [(f.revision, f.old.strip(), f.new.strip()[:9], f.severity) for f in findings] == [
        (2, "80%", "82%", "high"),
        (2, "", "Matsumoto", "low"),
    ]


def test_audit_with_detected_and_linked_notes() -> None:
    from revtrack.corrections.detect import detect_notes
    from revtrack.corrections.link import link_note
    from revtrack.diff import diff_texts

    v1 = "Poll: 80% back sanctions.\n\nTalks stalled over two islands held by Russia.\n"
    v2 = v1.replace("80%", "82%")
    v3 = v2.replace("two islands", "four islands") + f"\n{NOTE}\n"
    texts = {1: v1, 2: v2, 3: v3}
    changes = [RevisionChanges(n, diff_texts(texts[n - 1], texts[n])) for n in (2, 3)]
    (note,) = detect_notes(v3)
    link = link_note(note, 3, changes)
    links = [LinkedNote.from_link(1, note.kind, link, 3, note.text)]
    spans = {n: [(x.start, x.end) for x in detect_notes(t)] for n, t in texts.items()}
    findings = find_undisclosed(changes, links, note_spans=spans)
    assert [(f.revision, f.old, f.new, f.severity) for f in findings] == [(2, "80%", "82%", "high")]
    times = {1: T0, 2: T0 + timedelta(hours=1), 3: T0 + timedelta(hours=5)}
    summary = summarize_article("islands", changes, links, revision_times=times, note_spans=spans)
    assert (summary.substantive_edits, summary.disclosed, summary.undisclosed) == (2, 1, 1)


def test_a_note_insertion_slid_along_repeated_text_is_still_the_note() -> None:
    a = "Talks stalled over islands held by Russia.\n"
    note = "A previous version misstated the islands held by Russia."
    b = f"{a}\n{note}\n"
    start = a.index(" by Russia.")
    inserted = f" by Russia.\n\n{note[: -len(' by Russia.')]}"
    assert b[start : start + len(inserted)] == inserted
    shifted = Hunk(0, "insert", start, start, start, start + len(inserted), "", inserted, ("name",))
    diff = Diff(a, b, "word", (), (shifted,), DiffStats(hunks=1))
    changes = [RevisionChanges(2, diff)]
    spans = {2: [(b.index(note), b.index(note) + len(note))]}
    assert find_undisclosed(changes, [], note_spans=spans) == []
    assert find_undisclosed(changes, [LinkedNote("n", "correction", 2, 2, text=note)]) == []
    assert len(find_undisclosed(changes, [])) == 1
