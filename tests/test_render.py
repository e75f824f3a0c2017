"""Renderers of diffs and plain listings: tables of real examples, no database."""

from __future__ import annotations

import csv
import io
import json

import pytest

from revtrack.render.table import display_width, format_table, to_csv, to_json

# --- table helper ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "rows", "expected"),
    [
        (
            ["rev", "captured", "words", "note"],
            [["v1", "2022-03-18T10:00", 120, None], ["v2", "2022-03-19", 5, "Correction: x"]],
            "rev  captured          words  note\n"
            "---  ----------------  -----  -------------\n"
            "v1   2022-03-18T10:00    120\n"
            "v2   2022-03-19            5  Correction: x\n",
        ),
        (["key", "revisions"], [], "key  revisions\n---  ---------\n"),
        (
            ["key", "flag"],
            [["islands", True], ["a\nb", False]],
            "key      flag\n-------  ----\nislands  yes\na b      no\n",
        ),
        (["w"], [["日本"], ["ab"]], "w\n----\n日本\nab\n"),
    ],
)
def test_format_table(headers: list[str], rows: list[list[object]], expected: str) -> None:
    assert format_table(headers, rows) == expected


def test_format_table_rejects_ragged_rows() -> None:
    with pytest.raises(ValueError, match="expected 2"):
        format_table(["a", "b"], [["only one"]])


@pytest.mark.parametrize(("text", "width"), [("abc", 3), ("日本", 4), ("e\u0301", 1)])
def test_display_width(text: str, width: int) -> None:
    assert display_width(text) == width


def test_to_csv_round_trips_commas_quotes_and_newlines() -> None:
    rows: list[list[object]] = [["v1", 'He said "no", then left\nfor good', None, 3]]
    out = to_csv(["rev", "text", "note", "n"], rows)
    assert list(csv.reader(io.StringIO(out))) == [
        ["rev", "text", "note", "n"],
        ["v1", 'He said "no", then left\nfor good', "", "3"],
    ]


def test_to_json_serialises_non_json_values_as_strings() -> None:
    import datetime as dt

    out = to_json([{"rev": "v1", "at": dt.datetime(2022, 3, 18, 10, 0), "n": 2}])
    assert json.loads(out) == [{"rev": "v1", "at": "2022-03-18 10:00:00", "n": 2}]
