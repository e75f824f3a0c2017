"""A revision's ``source`` as stored: relative to its article's key where it starts with it.

Bulk imports name each version by its path, ``<article key>/v001.txt``, so the key was stored
again in every revision row (72 of a revision's ~400 bytes on the shared corpora). A source
that starts with the key is stored as :data:`RELATIVE` and what follows the key; one that
starts with either mark itself is stored behind :data:`LITERAL`, so every source comes back
exactly. Fetched pages (``source_kind`` "url") are stored as they are: they are looked up by
their URL (``ix_revisions_url_source``). Seals, records and exports see the whole source.
Pure (no database library): the store's writers and readers, the stdlib reader and migration
0009 share it.
"""

from __future__ import annotations

RELATIVE = "\x1f"
"""Leads a stored source that is the article key followed by the rest of the cell."""
LITERAL = "\x1e"
"""Leads a stored source that begins with a mark itself: the rest of the cell is the source."""


def stored_source(key: str, source: str, kind: str) -> str:
    """The cell that holds ``source`` of a revision of article ``key``."""
    if kind != "url" and key and source.startswith(key):
        return RELATIVE + source[len(key) :]
    if source[:1] in (RELATIVE, LITERAL):
        return LITERAL + source
    return source


def shown_source(key: str, cell: str) -> str:
    """The source a stored cell holds (the inverse of :func:`stored_source`)."""
    mark = cell[:1]
    if mark == RELATIVE:
        return key + cell[1:]
    if mark == LITERAL:
        return cell[1:]
    return cell
