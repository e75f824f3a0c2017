"""Placeholder: stats (filled in next)."""

from __future__ import annotations

from collections.abc import Sequence

from revtrack.diff.model import DiffStats, Hunk, Segment


def compute_stats(a: str, b: str, segments: Sequence[Segment], hunks: Sequence[Hunk]) -> DiffStats:
    return DiffStats(hunks=len(hunks))
