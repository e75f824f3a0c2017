"""Placeholder: move detection (filled in next)."""

from __future__ import annotations

from revtrack.diff.model import Hunk


def find_moves(a: str, b: str, hunks: list[Hunk]) -> list[Hunk]:
    return hunks
