"""Pure diffing of two texts: tokenize, align, find moves, classify, count.

The public entry point is :func:`diff_texts`; everything returned is a plain value from
:mod:`revtrack.diff.model`.
"""

from __future__ import annotations

from revtrack.diff.engine import diff_texts
from revtrack.diff.model import Diff, DiffStats, Granularity, Hunk, Segment

__all__ = ["Diff", "DiffStats", "Granularity", "Hunk", "Segment", "diff_texts"]
