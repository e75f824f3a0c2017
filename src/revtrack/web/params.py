"""Query parameters, checked before anything reaches the facade (a bad one is a 400)."""

from __future__ import annotations

from flask import request

from revtrack.errors import InvalidInput
from revtrack.shapes import GRANULARITIES, Granularity


def granularity() -> Granularity:
    by = request.args.get("by", "word") or "word"
    if by not in GRANULARITIES:
        raise InvalidInput(f"Unknown granularity {by!r}.", f"Use by={', '.join(GRANULARITIES)}.")
    return by


def rev(name: str) -> str | None:
    """A revision reference from the query (``v2``, ``latest~1``, a time); empty is absent."""
    value = request.args.get(name, "").strip()
    return value or None


def count(name: str, default: int, *, low: int, high: int) -> int:
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidInput(f"{name}={raw!r} is not a whole number.") from None
    if not low <= value <= high:
        raise InvalidInput(f"{name}={value} is out of range.", f"Give {low} to {high}.")
    return value
