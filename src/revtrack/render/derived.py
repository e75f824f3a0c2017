"""The one line a reading command prints on stderr when it read re-derived texts.

`show`, `diff`, `audit` and `blame` read a revision that `reextract` read again as its newest
re-derived text (:mod:`revtrack.service.readings`). Output that looks like the text as fetched
but is not must say so: one line on stderr (standard output stays the text, byte for byte),
naming the revisions, when and with what they were re-derived, and the flag that gives the
texts as fetched. JSON says it in its ``derived`` fields instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def rules_phrase(rules: Mapping[str, Any]) -> str:
    """``remove aside.most-read; include article``, or ``no site rules``."""
    parts = [
        f"{name} {', '.join(rules[name])}" for name in ("remove", "include") if rules.get(name)
    ]
    return "; ".join(parts) or "no site rules"


def derived_notice(key: str, derived: Mapping[int, Mapping[str, Any]], action: str) -> str | None:
    """``derived``: revision number -> its derivation's JSON (shapes.derivation_dict);
    ``action``: what ``--as-fetched`` does instead (``shows the text``, ``compares``…).
    None when nothing read was re-derived."""
    if not derived:
        return None
    numbers = sorted(derived)
    newest = max(derived.values(), key=lambda d: str(d.get("at")))
    how = f"{newest.get('extractor')}, {rules_phrase(newest.get('rules') or {})}"
    if len(numbers) == 1:
        which = f"{key}@v{numbers[0]} reads as re-derived from its kept page"
        when = f"on {newest.get('at')}"
    else:
        which = f"{key}@" + ", ".join(f"v{n}" for n in numbers)
        which += " read as re-derived from their kept pages"
        when = f"newest on {newest.get('at')}"
    return f"note: {which} ({when}, {how}); --as-fetched {action} as fetched."


def derived_total_notice(revisions: int, articles: int, action: str) -> str | None:
    """The closing line of a whole-database audit that read re-derived texts."""
    if not revisions:
        return None
    plural = "s" if articles != 1 else ""
    return (
        f"note: {revisions} revision{'s' if revisions != 1 else ''} of {articles} "
        f"article{plural} read as re-derived from their kept pages; --as-fetched {action} "
        "as fetched."
    )
