"""The packed form of a revision's stats and meta: every object comes back exactly."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from revtrack.store.packed import ZSTD_V1, pack, unpack

STATS = {
    "sentences_changed": 1,
    "hunks_by_kind": {"cosmetic": 23, "name": 1},
}
META = {
    "edit_summary": "Make images accessible in the `/images` root directory (#735)",
    "author": "site-policy-bot",
    "mass_edit": True,
}


@pytest.mark.parametrize(
    ("value", "form"),
    [
        ({}, None),  # empty: NULL
        ({"a": 1}, "json"),  # too short for compression to pay
        (STATS, "zstd"),
        (META, "zstd"),
        ({"edit_summary": "Überarbeitet — “quotes” ✓", "author": "Zoë"}, "zstd"),
    ],
)
def test_each_form_comes_back(value: dict[str, Any], form: str | None) -> None:
    cell = pack(value)
    if form is None:
        assert cell is None
    elif form == "json":
        assert cell is not None and cell[:1] == b"{"
    else:
        assert cell is not None and cell[0] == ZSTD_V1
        assert len(cell) < len(json.dumps(value, separators=(",", ":")).encode())
    assert unpack(cell) == value
    assert list(unpack(cell)) == list(value)  # key order kept


def test_the_forms_a_column_may_still_hold_are_read() -> None:
    """JSON text (a database before 0008, or a cell someone wrote by hand), bytes of JSON
    (the same on PostgreSQL's BYTEA), and a decoded object (a driver's JSON type)."""
    assert unpack('{"a": [1, 2]}') == {"a": [1, 2]}
    assert unpack(b'{"a": 1}') == {"a": 1}
    assert unpack(memoryview(b'{"a": 1}')) == {"a": 1}
    assert unpack({"a": 1}) == {"a": 1}
    assert unpack(b"") == {} and unpack("{}") == {}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(st.dictionaries(st.text(), json_values, max_size=8))
def test_any_object_comes_back(value: dict[str, Any]) -> None:
    assert unpack(pack(value)) == value
