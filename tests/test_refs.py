"""The one ref parser: every spelling the design lists, parsed once into a Ref."""

from __future__ import annotations

from datetime import datetime

import pytest

from revtrack.errors import BadReference, InvalidInput
from revtrack.service.refs import LATEST, Ref, RevSpec, parse_diff_refs, parse_ref


@pytest.mark.parametrize(
    ("text", "key", "kind", "position", "offset"),
    [
        ("ferry@v3", "ferry", "number", 3, 0),
        ("ferry@3", "ferry", "number", 3, 0),
        ("ferry@V3", "ferry", "number", 3, 0),
        ("ferry@latest", "ferry", "latest", None, 0),
        ("ferry@head", "ferry", "latest", None, 0),
        ("ferry@latest~1", "ferry", "latest", None, 1),
        ("ferry@first", "ferry", "first", 1, 0),
        ("ferry@first~2", "ferry", "first", 3, 2),
        ("ferry@2022-03-18T10:00", "ferry", "time", None, 0),
        ("a@b@v2", "a@b", "number", 2, 0),  # the last @ splits
    ],
)
def test_each_spelling_parses(
    text: str, key: str, kind: str, position: int | None, offset: int
) -> None:
    ref = parse_ref(text)
    assert ref.key == key
    assert ref.rev is not None
    assert (ref.rev.kind, ref.rev.position, ref.rev.offset) == (kind, position, offset)


def test_a_time_is_taken_as_utc() -> None:
    ref = parse_ref("ferry@2022-03-18T12:00+02:00")
    assert ref.rev is not None and ref.rev.moment == datetime(2022, 3, 18, 10, 0)


@pytest.mark.parametrize("text", ["ferry", "ferry@"])
def test_no_revision_leaves_the_default_to_the_caller(text: str) -> None:
    assert parse_ref(text) == Ref("ferry", None)
    assert parse_ref(text).rev_or(LATEST) is LATEST


def test_rev_option_wins_over_the_inline_revision() -> None:
    assert parse_ref("ferry@v1", "v2").rev == RevSpec("number", number=2, text="v2")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("@v1", "'@v1' names no article."),
        ("ferry@v0", "'v0' is not a revision: numbering starts at v1."),
        ("ferry@bogus", "'bogus' is not a revision reference."),
    ],
)
def test_bad_refs(text: str, message: str) -> None:
    with pytest.raises(BadReference) as info:
        parse_ref(text)
    assert info.value.message == message


@pytest.mark.parametrize(
    ("args", "key", "numbers"),
    [
        (("ferry", None, None), "ferry", []),
        (("ferry", "v2", None), "ferry", [2]),
        (("ferry", "v1", "v3"), "ferry", [1, 3]),
        (("ferry@v1", "ferry@v2", None), "ferry", [1, 2]),
        (("ferry@v1", "v2", None), "ferry", [1, 2]),
        (("ferry@v2", None, None), "ferry", [2]),
    ],
)
def test_diff_arguments(
    args: tuple[str, str | None, str | None], key: str, numbers: list[int]
) -> None:
    got_key, specs = parse_diff_refs(*args)
    assert got_key == key
    assert [s.number for s in specs] == numbers


def test_diff_of_two_articles_is_refused() -> None:
    with pytest.raises(InvalidInput) as info:
        parse_diff_refs("ferry@v1", "other@v1", None)
    assert info.value.message.startswith("Cannot compare ferry with other")


def test_diff_of_three_revisions_is_refused() -> None:
    with pytest.raises(InvalidInput, match="at most two"):
        parse_diff_refs("ferry@v1", "v2", "v3")
