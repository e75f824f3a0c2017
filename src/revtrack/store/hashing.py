"""The two hash chains `verify` walks: revisions per article, and the event log per chain.

Each link hashes its predecessor's hash together with the record's own content, so changing,
removing or reordering any stored record breaks every hash after it.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

GENESIS = "0" * 64


def _iso(value: datetime | None) -> str:
    return "" if value is None else value.isoformat(timespec="microseconds")


def revision_chain_hash(
    prev: str,
    article_key: str,
    number: int,
    text_hash: str,
    captured_at: datetime,
    revert_of: int | None,
) -> str:
    material = "|".join(
        [prev, article_key, str(number), text_hash, _iso(captured_at), str(revert_of or "")]
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def event_hash(prev: str, fields: dict[str, Any]) -> str:
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=_iso)
    return hashlib.sha256((prev + canonical).encode("utf-8")).hexdigest()
