"""Query parameters, checked before anything reaches the facade (a bad one is a 400)."""

from __future__ import annotations

import re

from flask import request

from revtrack.errors import BadReference, InvalidInput
from revtrack.shapes import GRANULARITIES, Granularity


def granularity() -> Granularity:
    by = request.args.get("by", "word") or "word"
    if by not in GRANULARITIES:
        raise InvalidInput(f"Unknown granularity {by!r}.", f"Use by={', '.join(GRANULARITIES)}.")
    return by


_YES = {"1", "true", "yes", "on"}
_NO = {"", "0", "false", "no", "off"}


def as_fetched() -> bool:
    """``as_fetched=1``: read the texts as fetched, not as `reextract` re-derived them (the
    pages' and API's equivalent of the CLI's ``--as-fetched``)."""
    raw = request.args.get("as_fetched", "").strip().lower()
    if raw not in _YES | _NO:
        raise InvalidInput(f"as_fetched={raw[:20]!r} is not a yes or no.", "Use as_fetched=1 or 0.")
    return raw in _YES


_LONG_NUMBER = re.compile(r"\d{10,}")
MAX_REF = 64


def rev(name: str) -> str | None:
    """A revision reference from the query (``v2``, ``latest~1``, a time); empty is absent."""
    value = request.args.get(name, "").strip()
    return checked_ref(value) if value else None


def checked_ref(value: str) -> str:
    """A ref as the facade takes it: ``@2024-05-01`` loses its ``@``; absurd ones are a 400.

    A number past what any article holds (``v99999999999999999999999``) would overflow the
    database's integers, so it is refused here with the same words as any other bad ref.
    """
    ref = value.strip()
    ref = ref[1:] if ref.startswith("@") else ref
    bad = "@" in ref or "/" in ref or ".." in ref  # no ref holds them; a URL could not either
    if not ref or len(ref) > MAX_REF or _LONG_NUMBER.search(ref) or bad:
        raise BadReference(
            f"{value[:MAX_REF]!r} is not a revision reference.",
            "Use v3, 3, latest, latest~1, first, or a time such as 2022-03-18T10:00.",
        )
    return ref


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


MAX_SEARCH = 200


def _printable(value: str) -> str:
    """Control characters (NUL among them, which PostgreSQL refuses) become spaces."""
    return "".join(ch if ch >= " " and ch != "\x7f" else " " for ch in value)


def search() -> str | None:
    """``q``: words to find in article keys and titles (spaces folded; empty is absent)."""
    value = " ".join(_printable(request.args.get("q", "")).split())
    if len(value) > MAX_SEARCH:
        raise InvalidInput(
            f"q is {len(value)} characters long.", f"Search for at most {MAX_SEARCH}."
        )
    return value or None


def outlet() -> str | None:
    value = _printable(request.args.get("outlet", "")).strip()
    if len(value) > MAX_SEARCH:
        raise InvalidInput(f"outlet is {len(value)} characters long.", "No outlet is that long.")
    return value or None


MAX_KEY = 300  # an article key's most characters (the column's size)


def cursor() -> tuple[str | None, str | None]:
    """``after`` / ``before``: the key a listing page starts after, or ends before.

    Pages are found by key, not by number (an offset reads every row it skips): the links
    of a page carry the key of its last (or first) article. ``page`` and ``offset`` of
    earlier links get a 400 that says so, rather than quietly the first page.
    """
    for name, first in (("page", "1"), ("offset", "0")):
        raw = request.args.get(name, "").strip()
        if raw and raw != first:
            raise InvalidInput(
                f"{name}={raw[:20]}: pages are found by key now, not by number.",
                "Follow the page's Next and Previous links (after=KEY, before=KEY).",
            )
    found = []
    for name in ("after", "before"):
        value = _printable(request.args.get(name, ""))
        if len(value) > MAX_KEY:
            raise InvalidInput(f"{name} is {len(value)} characters long.", "No key is that long.")
        found.append(value or None)
    after, before = found
    if after is not None and before is not None:
        raise InvalidInput("Give after or before, not both.", "Follow the page's links.")
    return after, before
