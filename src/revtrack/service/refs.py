"""Parsing what users type to name revisions: ``KEY@v3``, ``3``, ``latest~1``, a time.

Times are ISO 8601 (``2022-03-18``, ``2022-03-18T10:00``, ``…Z`` or ``…+02:00``); a time
without a zone is taken as UTC, the zone every stored time is in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from revtrack.errors import BadReference

_REL = re.compile(r"^(latest|head|first)(?:~(\d+))?$", re.I)
_NUM = re.compile(r"^v?(\d+)$", re.I)


@dataclass(frozen=True)
class RevSpec:
    """A parsed revision reference, not yet resolved against an article."""

    kind: str  # "number" | "latest" | "first" | "time"
    number: int = 0
    offset: int = 0
    moment: datetime | None = None
    text: str = ""


def split_ref(ref: str) -> tuple[str, str | None]:
    """``"key@v2"`` → ``("key", "v2")``; ``"key"`` → ``("key", None)``."""
    if "@" in ref:
        key, rev = ref.rsplit("@", 1)
        if not key:
            raise BadReference(f"{ref!r} names no article.", "Write it as ARTICLE@REV.")
        return key, rev
    return ref, None


def parse_rev(text: str) -> RevSpec:
    value = text.strip()
    match = _NUM.match(value)
    if match:
        number = int(match.group(1))
        if number < 1:
            raise BadReference(f"{text!r} is not a revision: numbering starts at v1.")
        return RevSpec("number", number=number, text=value)
    match = _REL.match(value)
    if match:
        base = match.group(1).lower()
        offset = int(match.group(2) or 0)
        return RevSpec("first" if base == "first" else "latest", offset=offset, text=value)
    try:
        moment = parse_time(value)
    except BadReference:
        raise BadReference(
            f"{text!r} is not a revision reference.",
            "Use v3, 3, latest, latest~1, first, or a time such as 2022-03-18T10:00.",
        ) from None
    return RevSpec("time", moment=moment, text=value)


def parse_time(text: str) -> datetime:
    """An ISO 8601 time as naive UTC."""
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise BadReference(
            f"{text!r} is not a time.", "Use ISO 8601, for example 2022-03-18T10:00 (UTC)."
        ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment
