"""Blame: which revision introduced each sentence, and which last changed it."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from revtrack.audit import (
    BlameEntry,
    LinkedNote,
    attach_hunks,
    blame,
    blame_with_changes,
    linked_corrections,
    similarity,
)
from revtrack.audit.blame import sentence_spans
from revtrack.corrections.model import RevisionChanges
from revtrack.diff.model import Diff, DiffStats, Hunk

# A short story in three versions shaped like the bundled example: v2 changes a poll figure
# and adds two closing paragraphs, v3 fixes the number of islands and adds a note.
V1 = "\n\n".join(
    [
        "Japan Stands Up to Russia",
        "Japan has imposed sanctions on Russian oligarchs. It has also sent aid to Ukraine.",
        "Public support",
        "According to a recent poll by the Yomiuri Shimbun daily, 80% of the public supports"
        " sanctions against Russia. Polls have also shown support for refugees.",
        "Kishida has also shelved peace treaty talks over two islands currently controlled by"
        " Russia. Such negotiations would be inappropriate, Kishida said.\n",
    ]
)
V2 = (
    V1.replace("80%", "82%")
    + """
Matsumoto acknowledged such challenges but said the risk of inaction is far greater.

“Japan chose the first option,” he said.
"""
)
V3 = (
    V2.replace("two islands", "four islands")
    + """
A previous version of this story misstated the number of islands controlled by Russia.
"""
)


def _find(entries: list[BlameEntry], prefix: str) -> BlameEntry:
    matches = [e for e in entries if e.text.startswith(prefix)]
    assert len(matches) == 1, f"{prefix!r} matched {len(matches)} sentences"
    return matches[0]


@pytest.mark.parametrize(
    ("prefix", "origin", "last_changed"),
    [
        ("Japan Stands Up to Russia", 1, 1),
        ("Japan has imposed sanctions", 1, 1),
        ("Public support", 1, 1),
        ("According to a recent poll", 1, 2),
        ("Polls have also shown", 1, 1),
        ("Kishida has also shelved", 1, 3),
        ("Such negotiations", 1, 1),
        ("Matsumoto acknowledged", 2, 2),
        ("“Japan chose the first option", 2, 2),
        ("A previous version of this story", 3, 3),
    ],
)
def test_blame_of_the_story(prefix: str, origin: int, last_changed: int) -> None:
    entry = _find(blame([V1, V2, V3]), prefix)
    assert (entry.origin, entry.last_changed) == (origin, last_changed)
    assert V3[entry.start : entry.end] == entry.text


def test_blame_history_lists_the_touching_revisions() -> None:
    entry = _find(blame([V1, V2, V3]), "Kishida has also shelved")
    assert [(t.revision, t.how) for t in entry.history] == [(1, "added"), (3, "edited")]
    assert entry.changed_in == (1, 3)
    v3_touch = entry.history[-1]
    assert "four islands" in V3[v3_touch.start : v3_touch.end]


A = "Alpha sentence one here."
B = "Bravo is the second sentence in this text."
C = "Charlie closes the paragraph with some words."
D = "Delta is an entirely new line about something else."


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        pytest.param([f"{A} {B} {C}"], [(1, 1), (1, 1), (1, 1)], id="single-text"),
        pytest.param([f"{A} {B}", f"{A} {B}"], [(1, 1), (1, 1)], id="identical-revision"),
        pytest.param([f"{A} {B}", f"{A}  {B}\n"], [(1, 1), (1, 1)], id="whitespace-only"),
        pytest.param([f"{A} {B}", f"{A} {B} {D}"], [(1, 1), (1, 1), (2, 2)], id="append"),
        pytest.param([f"{A} {B} {C}", f"{C} {A} {B}"], [(1, 1), (1, 1), (1, 1)], id="moved"),
        pytest.param(
            [f"{A} {B} {C}", f"{A} {B.replace('second', '2nd')} {C}"],
            [(1, 1), (1, 2), (1, 1)],
            id="light-edit",
        ),
        pytest.param([f"{A} {B} {C}", f"{A} {D} {C}"], [(1, 1), (2, 2), (1, 1)], id="rewrite"),
        pytest.param(
            [f"{A} {B}", f"{A}", f"{A} {B}"], [(1, 1), (3, 3)], id="deleted-then-restored"
        ),
        pytest.param(
            [f"{A} {B} {C}", f"{C}\n\n{A} {B.replace('second', '2nd')}"],
            [(1, 1), (1, 1), (1, 2)],
            id="move-and-edit",
        ),
        pytest.param(
            [f"{C}\n\n{A}\n\n{D}\n\n{B}", f"{A}\n\n{D}\n\n{B}\n\n{C.replace('some', 'many')}"],
            [(1, 1), (1, 1), (1, 1), (1, 2)],
            id="moved-far-and-edited",
        ),
        pytest.param(
            [A, f"{A} {B}", f"{A} {B.replace('Bravo', 'Bravissimo')}", f"{A} {B}"],
            [(1, 1), (2, 4)],
            id="edited-twice",
        ),
        pytest.param(["", f"{A}"], [(2, 2)], id="from-empty"),
        pytest.param([f"{A}", ""], [], id="to-empty"),
    ],
)
def test_blame_table(texts: list[str], expected: list[tuple[int, int]]) -> None:
    assert [(e.origin, e.last_changed) for e in blame(texts)] == expected


def test_blame_uses_given_revision_numbers() -> None:
    entries = blame([f"{A}", f"{A} {B}"], numbers=[4, 7])
    assert [(e.origin, e.last_changed) for e in entries] == [(4, 4), (7, 7)]


def test_blame_rejects_mismatched_numbers() -> None:
    with pytest.raises(ValueError, match="2 texts but 1 revision numbers"):
        blame([A, B], numbers=[1])


def test_blame_of_nothing_is_empty() -> None:
    assert blame([]) == []


def test_duplicate_sentences_keep_their_own_history() -> None:
    caption = "FILE - The prime minister speaks in Tokyo."
    v1 = f"{caption}\n{caption}\n{A}"
    v2 = f"{caption}\n{caption}\n{A} {D}"
    assert [(e.origin, e.last_changed) for e in blame([v1, v2])] == [(1, 1)] * 3 + [(2, 2)]


def test_large_changed_region_is_paired_within_a_window() -> None:
    # 80 sentences all lightly edited at once: more pairs than the pairwise limit.
    olds = [f"Sentence number {n} talks about topic {n} at some length today." for n in range(80)]
    news = [s.replace("today", "tonight") for s in olds]
    entries = blame([" ".join(olds), " ".join(news)])
    assert [(e.origin, e.last_changed) for e in entries] == [(1, 2)] * 80


def test_many_revisions_stay_consistent() -> None:
    paragraphs = [f"Paragraph {n} says the count was {n}. It adds detail {n}." for n in range(40)]
    texts = ["\n\n".join(paragraphs)]
    for rev in range(2, 31):
        paragraphs[rev] = paragraphs[rev].replace(f"was {rev}.", f"was {rev + 100}.")
        texts.append("\n\n".join(paragraphs))
    entries = blame(texts)
    counts = [e for e in entries if "count was" in e.text]
    assert all(e.origin == 1 for e in entries)
    assert [e.last_changed for e in counts[2:31]] == list(range(2, 31))
    assert counts[0].last_changed == 1


def _hunk(index: int, b_start: int, b_end: int, new: str = "x") -> Hunk:
    op = "insert" if b_end > b_start else "delete"
    return Hunk(index, op, 0, 0, b_start, b_end, "" if op == "insert" else "y", new, ("wording",))


def _changes(number: int, b: str, *hunks: Hunk) -> RevisionChanges:
    return RevisionChanges(number, Diff("", b, "word", (), hunks, DiffStats()))


def test_attach_hunks_intersects_sentence_spans() -> None:
    v1 = f"{A} {B}"
    v2 = f"{A} {B.replace('second', '2nd')} {D}"
    second = v2.index("2nd")
    delta = v2.index("Delta")
    changes = [
        _changes(2, v2, _hunk(0, second, second + 3), _hunk(1, delta - 1, len(v2))),
    ]
    entries = blame_with_changes([v1, v2], changes)
    assert [e.hunks for e in entries] == [(), ((2, 0),), ((2, 1),)]
    # The origin revision's own insertion is attached too, deletions where they cut.
    v1_changes = [_changes(1, v1, _hunk(0, 0, len(v1))), _changes(2, v2, _hunk(0, second, second))]
    assert [e.hunks for e in attach_hunks(blame([v1, v2]), v1_changes)] == [
        ((1, 0),),
        ((1, 0), (2, 0)),
        (),
    ]


@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [
        (B, B, 1.0, 1.0),
        (B, B.replace("second", "2nd"), 0.8, 0.95),
        (B, D, 0.0, 0.4),
        ("", "", 1.0, 1.0),
    ],
)
def test_similarity(a: str, b: str, low: float, high: float) -> None:
    assert low <= similarity(a, b) <= high


_SENTENCES = st.sampled_from([A, B, C, D, "Echo.", "Foxtrot is fast.", "Golf 12 balls."])
_TEXTS = st.lists(_SENTENCES, max_size=8).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(_TEXTS, min_size=1, max_size=5))
def test_blame_covers_every_sentence_of_the_last_text_in_order(texts: list[str]) -> None:
    entries = blame(texts)
    last = texts[-1]
    assert [(e.start, e.end) for e in entries] == sentence_spans(last)
    assert all(last[e.start : e.end] == e.text for e in entries)
    assert all(1 <= e.origin <= e.last_changed <= len(texts) for e in entries)


@settings(max_examples=40, deadline=None)
@given(_TEXTS)
def test_blame_of_one_text_is_all_origin_one(text: str) -> None:
    assert all((e.origin, e.last_changed) == (1, 1) for e in blame([text]))


@settings(max_examples=40, deadline=None)
@given(st.lists(_TEXTS, min_size=1, max_size=4))
def test_repeating_the_last_text_changes_nothing(texts: list[str]) -> None:
    assert blame([*texts, texts[-1]]) == blame(texts)


def test_blame_with_the_diff_engine_attaches_the_fixing_hunk() -> None:
    from revtrack.diff import diff_texts

    texts = [V1, V2, V3]
    changes = [
        RevisionChanges(n + 1, diff_texts(a, b, "word"))
        for n, (a, b) in enumerate(pairwise(texts), start=1)
    ]
    islands = _find(blame_with_changes(texts, changes), "Kishida has also shelved")
    fixes = [changes[1].diff.hunks[i] for rev, i in islands.hunks if rev == 3]
    assert [(h.old, h.new) for h in fixes] == [("two", "four")]
    poll = _find(blame_with_changes(texts, changes), "According to a recent poll")
    assert [(changes[0].diff.hunks[i].old, rev) for rev, i in poll.hunks] == [("80%", 2)]
    fix_index = next(h.index for h in changes[1].diff.hunks if h.old == "two")
    links = [
        LinkedNote("islands", "correction", 3, 3, ((3, fix_index),)),
        LinkedNote("other", "correction", 2, 2, ((2, 99),)),
    ]
    assert linked_corrections(islands, links) == ("islands",)
    assert linked_corrections(poll, links) == ()
