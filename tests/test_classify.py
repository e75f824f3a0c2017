"""Classification of hunks: cosmetic edits never hide a changed number, kinds name the change."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from revtrack.diff import classify, diff_texts, facts, visible
from revtrack.diff.classify import classify_headline, classify_pair
from revtrack.diff.model import COSMETIC, SUBSTANTIVE_KINDS
from revtrack.diff.visible import visible_text


def _kinds(a: str, b: str) -> list[tuple[str, ...]]:
    return [h.kinds for h in diff_texts(a, b).hunks]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("The poll closed.  It rose.", "The poll closed. It rose."),
        ("The poll closed, and it rose.", "The poll closed and it rose."),
        ("The Poll closed.", "The poll closed."),
        ("Read [the report](http://a.gov/x).", "Read [the report](https://a.gov/y)."),
        ("Read **the report** now.", "Read _the report_ now."),
        ("Read <em>the report</em> now.", "Read the report now."),
        ("See http://example.com/old for more.", "See https://example.com/new for more."),
        ("It was &#8220;telling stories&#8221; then.", "It was “telling stories” then."),
        ("About 1,000 people came.", "About 1000 people came."),
        ("Intro\n\nBody text here.", "Intro\n\n\n\nBody text here."),
    ],
)
def test_cosmetic_edits(a: str, b: str) -> None:
    kinds = _kinds(a, b)
    assert kinds and all(k == (COSMETIC,) for k in kinds)


@pytest.mark.parametrize(
    ("a", "b", "first_kind"),
    [
        ("A poll found 80% support.", "A poll found 82% support.", "number"),
        ("Costs rose to 1.5 million.", "Costs rose to 15 million.", "number"),
        ("It involves two islands now.", "It involves four islands now.", "number"),
        ("It opened on March 5, 2022.", "It opened on March 6, 2022.", "date"),
        (
            "The plan was approved by the board.",
            "The plan was not approved by the board.",
            "negation",
        ),
        (
            "The talks were led by Smith last week.",
            "The talks were led by Jones last week.",
            "name",
        ),
        ("She said “we will win” today.", "She said “we must win” today.", "quote"),
        ("The plan was good.", "The plan was bad.", "wording"),
        ("It rose. It fell.", "It rose. It fell. Then it recovered fully today.", "sentence-added"),
        (
            "It rose. It fell sharply today. Then it stopped.",
            "It rose. Then it stopped.",
            "sentence-removed",
        ),
    ],
)
def test_substantive_kinds(a: str, b: str, first_kind: str) -> None:
    kinds = _kinds(a, b)
    assert len(kinds) == 1
    assert kinds[0][0] == first_kind
    assert set(kinds[0]) <= set(SUBSTANTIVE_KINDS)


def test_number_inside_a_quote_is_both() -> None:
    (kinds,) = _kinds("He said “we have 40 ships” there.", "He said “we have 45 ships” there.")
    assert kinds == ("number", "quote")


@pytest.mark.parametrize(
    ("old", "new", "kinds"),
    [
        ("Japan Stands Up to Russia", "Japan Stands Up to Russia", ()),
        ("Japan stands up to Russia", "Japan Stands Up To Russia", (COSMETIC,)),
        ("Japan Stands Up to Russia", "Japan Stands Up to China", ("headline", "name")),
        ("Two islands in dispute", "Four islands in dispute", ("headline", "number")),
        ("Japan backs sanctions", "Japan weighs sanctions", ("headline",)),
    ],
)
def test_headline(old: str, new: str, kinds: tuple[str, ...]) -> None:
    assert classify_headline(old, new) == kinds


def test_classify_pair_and_visible_text() -> None:
    assert classify_pair("Read [this](http://a)", "Read [this](http://b)") == (COSMETIC,)
    assert visible_text("**[Edward Tufte](http://x.org/t)** wrote") == "Edward Tufte wrote"


# Words that make negations, numbers and dates span a space or sit next to one, plus names,
# non-ASCII look-alikes ("ſ" matches "s" ignoring case) and the punctuation _APART cuts at.
_TRICKY_WORDS = st.sampled_from(
    [
        "May",
        "may",
        "march",
        "Sept.",
        "sep",
        "jan.,",
        "Dec",
        "5",
        "12th,",
        "2020",
        "1.5",
        "1,000",
        "$3",
        "40%",
        "five",
        "per",
        "cent",
        "percent",
        "fail",
        "fails",
        "failed",
        "to",
        "not",
        "isn't",
        "don’t",
        "never",
        "Monday",
        "today",
        "Alice",
        "NASA",
        "The",
        "ſeptember",
        "Ṁay",
        "naïve",
        "word",
        "(a",
        "b)",
        "x;",
        "“q”",
        "\n",
        "-",
        "1990s",
    ]
)
_SEPARATORS = st.sampled_from([" ", " ", " ", "  ", "\n", ", ", ". "])


@st.composite
def _edited_texts(draw: st.DrawFn) -> tuple[str, str]:
    words = draw(st.lists(_TRICKY_WORDS, min_size=1, max_size=14))
    seps = draw(st.lists(_SEPARATORS, min_size=len(words), max_size=len(words)))
    old = "".join(w + s for w, s in zip(words, seps, strict=True))
    i = draw(st.integers(0, len(old)))
    j = draw(st.integers(i, len(old)))
    inserted = draw(st.lists(_TRICKY_WORDS | _SEPARATORS, max_size=4))
    return old, old[:i] + "".join(inserted) + old[j:]


def _whole_text_kinds(old: str, new: str) -> set[str]:
    """changed_facts counted on the whole texts, with no cut at all."""
    kinds = set()
    if Counter(facts.negations(old)) != Counter(facts.negations(new)):
        kinds.add("negation")
    (old_n, old_d), (new_n, new_d) = (facts.numbers_and_dates(t) for t in (old, new))
    if Counter(old_n) != Counter(new_n):
        kinds.add("number")
    if Counter(old_d) != Counter(new_d):
        kinds.add("date")
    if Counter(facts.names(old)) != Counter(facts.names(new)):
        kinds.add("name")
    return kinds


@settings(max_examples=3000, deadline=None)
@given(_edited_texts())
def test_narrowed_kinds_match_whole_text_counts(texts: tuple[str, str]) -> None:
    """Counting only between the cuts of _narrowed gives the kinds of counting everything."""
    old, new = texts
    assert facts.changed_facts(old, new) == _whole_text_kinds(old, new)


def test_every_markup_trigger_is_seen_by_the_plain_text_check() -> None:
    """visible_text skips the markup loop when none of these is present: each trigger must
    hold one, or its pattern match only with a "[" ("](" of a link), or be one the check
    names ("www.", and "](" for the tail of a link whose "[" lies elsewhere), or the loop's
    pattern would be skipped where it could apply."""
    for triggers, pattern, _ in visible._MARKUP:
        for t in triggers:
            assert (
                any(ch in t for ch in "[<{:&") or t in ("www.", "](") or r"\[" in pattern.pattern
            ), t


# Pairs of words that read alike, so that whole skeletons are often equal while the heads
# compared first are cut at different places.
_ALIKE = [
    ("a", "A"),
    ("five", "5"),
    ("1,000", "1000"),
    ("[x](http://a.gov)", "x"),
    ("**b**", "b"),
    ("é", "e"),
    ("the", "the"),
    ("x.gov", ""),
]


@st.composite
def _long_texts(draw: st.DrawFn) -> tuple[str, str]:
    picks = draw(st.lists(st.sampled_from(_ALIKE), min_size=20, max_size=60))
    old = " ".join(draw(st.sampled_from(pair)) for pair in picks)
    new = " ".join(draw(st.sampled_from(pair)) for pair in picks)
    if draw(st.booleans()):
        i = draw(st.integers(0, len(new)))
        new = new[:i] + draw(st.sampled_from(["z", "7", " ", "six"])) + new[i:]
    return old, new


@settings(max_examples=1000, deadline=None)
@given(_long_texts())
def test_read_alike_shortcuts_match_whole_comparison(texts: tuple[str, str]) -> None:
    """Comparing heads first (_heads_differ) and testing against nothing (says_nothing)
    answer as comparing whole skeletons and numbers does."""
    old, new = (visible.visible_text(t) for t in texts)
    whole = visible.skeleton(old) == visible.skeleton(new) and Counter(
        visible.digit_numbers(old)
    ) == Counter(visible.digit_numbers(new))
    assert visible.reads_alike(old, new) == whole
    assert visible.says_nothing(texts[0]) == classify.is_cosmetic_change(texts[0], "")


def _markup_by_table(text: str) -> str:
    """The markup step of visible_text as a loop over visible._MARKUP, trigger by trigger."""
    if "&" in text:
        text = visible.unescape(text)
    for triggers, pattern, repl in visible._MARKUP:
        if triggers and not any(t in text for t in triggers):
            continue
        text = pattern.sub(repl, text)
    return text


_MARKUP_PIECES = st.sampled_from(
    [
        "<!-- c -->",
        "<!--",
        "-->",
        "{{< x >}}",
        "{{ v }}",
        "{% t %}",
        "{",
        "}",
        "en:Page",
        "\n",
        "\n- ",
        "\n1. ",
        "- ",
        "* ",
        "![alt](i.png)",
        "[t](http://a.gov)",
        "[r][1]",
        "[1]: http://x",
        "[caption id=1]",
        "[",
        "]",
        "(",
        ")",
        "<b>",
        '<a href="http://x.gov">',
        "</a>",
        "cloud.gov",
        "</b>",
        "<",
        ">",
        "https://x.org/p",
        "www.a.com",
        "mailto:a@b",
        ":",
        "&amp;",
        "&lt;b&gt;",
        "&emdash;",
        "<sup>[1]</sup>",
        '<sup><a href="#f">2</a></sup>',
        "word",
        " ",
    ]
)


@settings(max_examples=2000, deadline=None)
@given(st.lists(_MARKUP_PIECES, max_size=12).map("".join))
def test_markup_steps_match_the_table(text: str) -> None:
    """_without_markup, written out with grouped trigger tests, gives what the table gives."""
    assert visible._without_markup(text) == _markup_by_table(text)


# Markup that tuning-part misses showed read as words: each pair reads the same on the page.
@pytest.mark.parametrize(
    ("a", "b"),
    [
        # an entity name no HTML version knows, fixed
        ("in this case&emdash;the employee&emdash;in", "in this case&mdash;the employee&mdash;in"),
        # a footnote mark written as a linked superscript
        (
            "Trust fell 12 points in 2024. Trust matters online.",
            'Trust fell 12 points in 2024.<sup><a href="#fn1" id="r1">[1]</a></sup> Trust '
            "matters online.",
        ),
        # an image with a space between its alt text and its path, removed
        (
            "Lunch time.\n\n![making tortillas] (/a/tacos1.jpg)\n\nThen more.",
            "Lunch time.\n\nThen more.",
        ),
        # a template include whose caption parameter says what the figure caption said
        (
            '<figure><img src="/t.png" alt="x"><figcaption>A tweet by Dave</figcaption></figure>',
            '{% include "linked-figure.html", image: "/t.png", caption: "A tweet by Dave" %}',
        ),
    ],
)
def test_markup_that_reads_as_nothing(a: str, b: str) -> None:
    kinds = _kinds(a, b)
    assert kinds and all(k == (COSMETIC,) for k in kinds)


def test_unknown_entities_are_dropped_known_ones_kept() -> None:
    assert visible.unescape("a&emdash;b &amp; c&mdash;d") == "a b & c—d"


@pytest.mark.parametrize(
    ("a", "b", "kinds"),
    [
        (
            "Intro.\n\n## Discover your audience\n\nText.",
            "Intro.\n\n## 1. Discover your audience\n\nText.",
            [("minor", "reorder")],
        ),
        ("Intro.\n\n### 2. Plan\n\nText.", "Intro.\n\n### Plan\n\nText.", [("minor", "reorder")]),
    ],
)
def test_a_heading_numbered_is_minor(a: str, b: str, kinds: list[tuple[str, ...]]) -> None:
    assert _kinds(a, b) == kinds


def test_a_number_added_to_prose_is_not_a_heading_number() -> None:
    kinds = _kinds("Intro.\n\nWe hired people.\n", "Intro.\n\nWe hired 1. people.\n")
    assert all("minor" not in k and k != (COSMETIC,) for k in kinds)


def test_an_html_link_reads_as_its_markdown_twin() -> None:
    kinds = _kinds(
        "I love working on [cloud.gov](http://cloud.gov/) at 18F.",
        'I love working on <a href="https://cloud.gov/">cloud.gov</a> at 18F.',
    )
    assert kinds and all(k == (COSMETIC,) for k in kinds)


def test_front_matter_pasted_twice_is_metadata() -> None:
    front = "date: 2021-02-08\nslug: call\n\ntitle: Call\n---\n"
    second = "date: 2021-02-05\nslug: call\n# See all topics\ntopics:\n  - ux\nweight: 1\n\n---\n"
    body = "\n## Call for Presenters\n\nJoin us in June.\n"
    assert (
        classify._front_matter_end(front + second + body) == len(front + second) - 1
    )  # the closing line, its newline aside
    kinds = _kinds(front + second + body, front + body)
    assert kinds and all(k == (COSMETIC,) for k in kinds)
    # prose after a horizontal rule is not metadata
    text = front + "We met on Tuesday. It went well.\n---\nMore prose.\n"
    assert classify._front_matter_end(text) == len(front) - 1


def test_a_stray_letter_on_its_own_line_is_a_typo() -> None:
    a = "Tell us what you learn from it.\n"
    assert _kinds(a, a + "z\n") == [("minor", "typo")]
    assert _kinds(a + "z\n", a) == [("minor", "typo")]
    # a digit on its own line is a number, and a word is a word: both stay substantive
    assert _kinds(a, a + "7\n") == [("sentence-added",)]
    assert _kinds(a, a + "Yes.\n") == [("sentence-added",)]
