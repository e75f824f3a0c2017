"""The minor class: words change, a reader learns nothing different. A table of real-shaped
examples; every "None" row is an edit a corrections policy may want disclosed."""

from __future__ import annotations

import pytest

from revtrack.diff.minor import is_typo_fix, minor_kind, spelling_variants


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        ("We recieve mail daily.", "We receive mail daily.", "typo"),
        ("the cultual scene", "the cultural scene", "typo"),
        ("a GitHub modication to these", "a GitHub modification to these", "typo"),
        ("for sessions 3,4,5 today", "for sessions 3, 4, and 5 today", "style"),
        ("theTOS says", "the TOS says", "typo"),
        ("use of the form", "use of this form", "grammar"),
        ("they have voted", "they has voted", "grammar"),
        ("the rights granted", "the right granted", "grammar"),
        ("a hour", "an hour", "grammar"),
        ("the colour of it", "the color of it", "style"),
        ("haemophilia cases", "hemophilia cases", "style"),
        ("to organise it", "to organize it", "style"),
        ("e.g. apples", "for example apples", "rewording"),
        ("in order to help", "to help", "rewording"),
        ("the CFO said", "the Chief Financial Officer said", "rewording"),
        ("the CFO said", "the Chief Financial Officer (CFO) said", "rewording"),
        ("a very big step", "a big step", "rewording"),
        # may carry news: left to the substantive rules
        ("Smyth said", "Smith said", None),
        ("Jon Smith", "John Smith", None),
        ("luhasnk region", "luhansk region", None),
        ("it is required", "it is recommended", None),
        ("all users", "some users", None),
        ("you must pay", "you may pay", None),
        ("apples and pears", "apples or pears", None),
        ("a short trip", "a short holiday", None),
        ("the bridge is 2 km", "the bridge is 12 km", None),
        ("it is open", "it was open", None),
        ("the same text", "the same text", None),
    ],
)
def test_minor_kind(old: str, new: str, kind: str | None) -> None:
    assert minor_kind(old, new) == kind


@pytest.mark.parametrize(
    ("old", "new", "typo"),
    [
        ("recieve", "receive", True),
        ("teh", "the", True),
        ("receive", "recieve", True),  # a typo made is as minor as one fixed
        ("form", "from", False),  # two dictionary words
        ("Smyth", "Smith", False),  # capitalised: may be a name
        ("cat", "dog", False),
    ],
)
def test_typo(old: str, new: str, typo: bool) -> None:
    assert is_typo_fix(old, new) is typo


def test_spelling_variants_need_the_same_case() -> None:
    assert spelling_variants("centre", "center")
    assert not spelling_variants("Centre", "center")
    assert not spelling_variants("center", "centre".upper())
