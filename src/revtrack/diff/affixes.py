"""Common prefix and suffix of two strings, the first cut of every comparison of two texts.

The diff engine trims them before tokenizing, classification narrows the two sides of a
hunk to what lies between them, and ingest counts only the changed part's words. Pure, with
no imports: every module that compares two texts can use it.
"""

from __future__ import annotations

__all__ = ["common_prefix", "common_suffix"]


def common_prefix(a: str, b: str) -> int:
    """Length of the common prefix: binary search comparing only the not yet known part of the
    slices (diff-match-patch's way), so the work is linear and runs at C speed."""
    hi = min(len(a), len(b))
    if hi == 0 or a[0] != b[0]:
        return 0
    lo = start = 0
    mid = hi
    while lo < mid:
        if a.startswith(b[start:mid], start):
            lo = start = mid
        else:
            hi = mid
        mid = (hi - lo) // 2 + lo
    return mid


def common_suffix(a: str, b: str, skip: int = 0) -> int:
    """Length of the common suffix of ``a[skip:]`` and ``b[skip:]`` (no copies of the tails)."""
    la, lb = len(a), len(b)
    hi = min(la, lb) - skip
    if hi <= 0 or a[-1] != b[-1]:
        return 0
    lo = start = 0
    mid = hi
    while lo < mid:
        if a.startswith(b[lb - mid : lb - start], la - mid):
            lo = start = mid
        else:
            hi = mid
        mid = (hi - lo) // 2 + lo
    return mid
