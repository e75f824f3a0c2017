"""Placeholder: classification (filled in next)."""

from __future__ import annotations

from revtrack.diff.model import Hunk


def classify_hunks(a: str, b: str, hunks: list[Hunk]) -> list[Hunk]:
    return hunks
