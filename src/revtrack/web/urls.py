"""One URL scheme for every page of every article, whatever its key holds.

Keys are paths of their own (bulk import makes ``corpus/doc``), so a key is written as its
``/``-separated segments and everything after it follows a lone ``-`` segment, the way GitLab
writes ``/group/project/-/blob/...``::

    /a/KEY                          the article's timeline
    /a/KEY/-/rev/REF                one revision's text
    /a/KEY/-/diff                   the latest change (latest~1 → latest)
    /a/KEY/-/diff/REF               the change REF made (its parent → REF)
    /a/KEY/-/diff/REF..REF          any two revisions
    /a/KEY/-/blame[/REF]            who wrote what
    /a/KEY/-/audit                  what changed and what readers were told

REF is anything the CLI takes (``v3``, ``3``, ``latest~1``, ``first``, a time, which may be
written ``@2024-05-01T10:00``). The API under ``/api/articles/KEY/-/...`` uses the same key
form.

A key segment that would be read as something else is escaped with a leading ``~``: the
separator ``-``, the dot segments ``.`` and ``..`` (browsers and proxies remove them), an
empty segment (``a//b``, which proxies merge) and a segment already starting with ``~``.
Then each segment is percent-encoded (spaces, ``%``, ``?``, ``#``, ``\\``, non-ASCII), so the
URL stays readable for ordinary keys (``/a/corpus/doc/-/diff/v1..v3``) and round-trips for
every key. Servers decode the percent-encoding before routing; the ``~`` escape survives it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import quote, unquote

from werkzeug.routing import BaseConverter

SEPARATOR = "-"
ESCAPE = "~"
PAGES = ("timeline", "revision", "diff", "blame", "audit")
_SAFE = "@:!$&'()*+,;=~"
_PAGE_WORDS = {"revision": "rev", "diff": "diff", "blame": "blame", "audit": "audit"}
_WORD_PAGES = {word: page for page, word in _PAGE_WORDS.items()}


def _needs_escape(segment: str) -> bool:
    return segment in ("", ".", "..", SEPARATOR) or segment.startswith(ESCAPE)


def escape_key(key: str) -> str:
    """The key as URL path segments, ``~``-escaped where needed, not yet percent-encoded."""
    return "/".join(ESCAPE + s if _needs_escape(s) else s for s in key.split("/"))


def unescape_key(path: str) -> str:
    """The inverse of :func:`escape_key`, on a percent-decoded path."""
    return "/".join(s[1:] if s.startswith(ESCAPE) else s for s in path.split("/"))


def quote_path(path: str) -> str:
    return "/".join(quote(s, safe=_SAFE) for s in path.split("/"))


@lru_cache(maxsize=8192)
def key_path(key: str) -> str:
    """The key as it appears in a URL: escaped, then percent-encoded segment by segment."""
    return quote_path(escape_key(key))


def check_ref(ref: str) -> str:
    """A ref that can stand in one path segment (refs never hold ``/`` or ``..``)."""
    if not ref or "/" in ref or ".." in ref or ref != ref.strip():
        raise ValueError(f"{ref!r} cannot be written in a URL as a revision reference")
    return ref


def diff_refs(a: str | None, b: str | None) -> str | None:
    """``v1..v3``, ``v3`` (the change v3 made) or None (the latest change)."""
    if a is None:
        return None if b is None else check_ref(b)
    return f"{check_ref(a)}..{check_ref(b or 'latest')}"


def split_diff_refs(text: str) -> tuple[str | None, str]:
    """``v1..v3`` → ``("v1", "v3")``; ``v3`` → ``(None, "v3")``."""
    if ".." in text:
        a, b = text.split("..", 1)
        return a, b
    return None, text


@dataclass(frozen=True)
class PageAddress:
    """Which page of which article a path names; ``refs`` as written (``v1..v3``, ``v3``)."""

    key: str
    page: str = "timeline"
    refs: str | None = None


def page_path(key: str, page: str = "timeline", refs: str | None = None) -> str:
    """The path of a page (what ``url_for`` builds, without the query)."""
    if page not in PAGES:
        raise ValueError(f"unknown page {page!r}")
    base = f"/a/{key_path(key)}"
    if page == "timeline":
        return base
    tail = f"/{SEPARATOR}/{_PAGE_WORDS[page]}"
    if refs is not None:
        if page == "diff":
            a, b = split_diff_refs(refs)
            refs = diff_refs(a, b)
        elif page == "audit":
            raise ValueError("the audit page takes no revision")
        else:
            check_ref(refs)
        tail += "/" + quote(str(refs), safe=_SAFE)
    elif page == "revision":
        raise ValueError("the revision page needs a revision")
    return base + tail


def parse_page_path(path: str) -> PageAddress:
    """The inverse of :func:`page_path` on a path as sent, percent-encoded (a path already
    decoded also parses, unless the key itself holds a ``%`` escape)."""
    if not path.startswith("/a/"):
        raise ValueError(f"{path!r} is not an article page")
    segments = unquote(path[3:]).split("/")
    if SEPARATOR not in segments:
        return PageAddress(unescape_key("/".join(segments)))
    at = segments.index(SEPARATOR)
    key = unescape_key("/".join(segments[:at]))
    rest = segments[at + 1 :]
    if not rest or rest[0] not in _WORD_PAGES or len(rest) > 2:
        raise ValueError(f"{path!r} names no page")
    return PageAddress(key, _WORD_PAGES[rest[0]], rest[1] if len(rest) == 2 else None)


class KeyConverter(BaseConverter):
    """``<key:key>`` in a route: segments up to (never including) a lone ``-`` segment."""

    regex = r"(?!-(?:/|$))[^/]*(?:/(?!-(?:/|$))[^/]*)*"
    part_isolating = False
    weight = 200

    def to_python(self, value: str) -> str:
        return unescape_key(value)

    def to_url(self, value: Any) -> str:
        return key_path(str(value))


class DiffRefsConverter(BaseConverter):
    """``<diffrefs:refs>``: ``v1..v3`` or ``v3`` in one path segment."""

    def to_url(self, value: Any) -> str:
        a, b = split_diff_refs(str(value))
        return quote(str(diff_refs(a, b)), safe=_SAFE)


class RefConverter(BaseConverter):
    """``<ref:rev>``: one path segment, percent-encoded on the way out."""

    def to_url(self, value: Any) -> str:
        return quote(check_ref(str(value)), safe=_SAFE)


CONVERTERS: dict[str, type[BaseConverter]] = {
    "key": KeyConverter,
    "ref": RefConverter,
    "diffrefs": DiffRefsConverter,
}
