"""Pure diffing of two texts: tokenize, align, find moves, classify, count.

The public entry point is :func:`diff_texts`; everything returned is a plain value from
:mod:`revtrack.diff.model`.

The engine is loaded on first use of :func:`diff_texts` (PEP 562), not when the package is:
importing :mod:`revtrack.diff.model` for its value types runs this file, and `show` or `log`
would otherwise pay ~0.1 s of start-up for a classifier they never call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from revtrack.diff.model import Diff, DiffStats, Granularity, Hunk, Segment

if TYPE_CHECKING:
    from revtrack.diff.engine import diff_texts

__all__ = ["Diff", "DiffStats", "Granularity", "Hunk", "Segment", "diff_texts"]


def __getattr__(name: str) -> Any:
    if name == "diff_texts":
        from revtrack.diff.engine import diff_texts

        return diff_texts
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
