"""The machine-readable diff: one stable, versioned JSON document (``revtrack.diff/1``).

The schema is documented in ``docs/diff-json-schema.md`` and pinned by a test, so a change
to it is always deliberate: add keys freely within ``/1``; rename, remove or retype one only
with a new schema version. Offsets are Python string (code point) offsets, as in
:mod:`revtrack.diff.model`; a consumer in another language must count code points, not UTF-16
units or bytes.
"""

from __future__ import annotations

import json
from typing import Any

from revtrack.diff.model import Diff, Hunk
from revtrack.render.header import DiffHeader, RevisionInfo

SCHEMA = "revtrack.diff/1"


def _revision(rev: RevisionInfo) -> dict[str, Any]:
    return {
        "number": rev.number,
        "label": rev.label,
        "captured_at": rev.captured_at,
        "title": rev.title,
        "derived": rev.derived,
    }


def _hunk(h: Hunk) -> dict[str, Any]:
    return {
        "index": h.index,
        "op": h.op,
        "kind": h.kind,
        "kinds": list(h.kinds),
        "class": h.change_class,
        "cosmetic": h.cosmetic,
        "a_start": h.a_start,
        "a_end": h.a_end,
        "b_start": h.b_start,
        "b_end": h.b_end,
        "old": h.old,
        "new": h.new,
    }


def diff_to_dict(diff: Diff, header: DiffHeader, segments: bool = False) -> dict[str, Any]:
    """The diff as plain JSON-ready values; ``segments=True`` adds the full aligned text."""
    s = diff.stats
    out: dict[str, Any] = {
        "schema": SCHEMA,
        "article": header.article,
        "revisions": {"a": _revision(header.a), "b": _revision(header.b)},
        "granularity": diff.by,
        "identical": not diff.hunks,
        "stats": {
            "words_added": s.words_added,
            "words_removed": s.words_removed,
            "sentences_added": s.sentences_added,
            "sentences_removed": s.sentences_removed,
            "sentences_changed": s.sentences_changed,
            "hunks": s.hunks,
            "hunks_by_kind": dict(sorted(s.hunks_by_kind.items())),
        },
        "hunks": [_hunk(h) for h in diff.hunks],
    }
    if segments:
        out["segments"] = [{"op": seg.op, "text": seg.text} for seg in diff.segments]
    return out


def render_json(diff: Diff, header: DiffHeader, segments: bool = False, indent: int = 2) -> str:
    """:func:`diff_to_dict` as UTF-8-friendly JSON text ending in a newline."""
    return (
        json.dumps(diff_to_dict(diff, header, segments), ensure_ascii=False, indent=indent) + "\n"
    )
