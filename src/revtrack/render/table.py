"""Plain listings for `log`, `articles`, `corrections` and `audit`: aligned text, CSV, JSON.

Kept dependency-free (no rich) so the output is byte-stable for tests and pipes; the CLI may
still colour or wrap it. Cells are converted with ``str`` (``None`` becomes an empty cell) so
callers can pass ints, datetimes and flags as they are.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

Cell = object


def _cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    # One row per line: a newline inside a cell would break the column layout.
    return str(value).replace("\r\n", " ").replace("\n", " ").replace("\t", " ")


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: wide East Asian characters count 2, combining marks 0."""
    if not text or max(text) < "\u0300":  # below the first combining mark: one column each
        return len(text)
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True


def format_table(headers: Sequence[str], rows: Sequence[Sequence[Cell]], gap: int = 2) -> str:
    """Columns aligned under their headers; numeric columns right-aligned, like `git log --stat`.

    Returns the table with a trailing newline; an empty ``rows`` still prints the header line.
    """
    cells = [[_cell(v) for v in row] for row in rows]
    ncols = len(headers)
    for row in cells:
        if len(row) != ncols:
            raise ValueError(f"row has {len(row)} cells, expected {ncols}: {row!r}")
    widths = [display_width(h) for h in headers]
    for row in cells:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], display_width(value))
    numeric = [
        bool(cells) and all(_is_number(r[i]) or r[i] == "" for r in cells) for i in range(ncols)
    ]

    def line(values: Sequence[str]) -> str:
        parts = []
        for i, value in enumerate(values):
            pad = " " * (widths[i] - display_width(value))
            parts.append(pad + value if numeric[i] else value + pad)
        return (" " * gap).join(parts).rstrip()

    out = [line(list(headers)), (" " * gap).join("-" * w for w in widths)]
    out.extend(line(row) for row in cells)
    return "\n".join(out) + "\n"


def to_csv(headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> str:
    """RFC 4180 CSV (``\\r\\n`` line ends, quoting only where needed), header row first."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buf.getvalue()


def to_json(rows: Sequence[Mapping[str, Any]] | Sequence[Any], indent: int | None = 2) -> str:
    """A JSON array of the rows; non-JSON values (datetimes, paths) become their ``str``."""
    return json.dumps(list(rows), indent=indent, ensure_ascii=False, default=str) + "\n"
