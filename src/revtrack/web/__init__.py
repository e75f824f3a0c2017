"""The read-only web UI and JSON API behind ``revtrack serve``.

A thin client of :class:`revtrack.Revtrack`, like the CLI: each view calls one or two facade
methods and renders the plain values it gets back, with no SQL and no decisions of its own.
Pages are rendered on the server (they work without JavaScript, and Jinja2 escapes every
string that comes from an article); the JSON under ``/api/`` is shaped by :mod:`revtrack.shapes`,
as the CLI's ``--format json`` is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

    from revtrack import Revtrack


def create_app(
    source: Revtrack | str | None = None,
    *,
    token: str | None = None,
    show_paths: bool = False,
    page_cache: bool = True,
) -> Flask:
    """The WSGI application over a database path/URL (opened, never created) or a Revtrack.

    ``token``: every request must carry it (``Authorization: Bearer``, or ``?token=`` once);
    ``show_paths``: show revisions' whole file paths instead of their names;
    ``page_cache``: keep answers until the database changes.
    """
    from revtrack.web.app import create_app as build

    return build(source, token=token, show_paths=show_paths, page_cache=page_cache)


__all__ = ["create_app"]
