"""The Flask application: two blueprints (pages, ``/api/``) over one :class:`Revtrack`.

Read-only by construction: every route is GET (HEAD comes with it; OPTIONS is switched off),
the facade is opened without ``create``, and only its read methods are called. Errors are
turned into responses in one place: a missing article or revision is a 404 carrying the
RevtrackError's message and hint, a malformed parameter a 400, an unusable database a 503;
``/api/`` answers ``{"error": ..., "hint": ...}``, pages answer an error page.

Pages carry a Content-Security-Policy that allows no script at all and nothing from another
origin: the UI needs neither, and the policy is a second fence behind Jinja2's escaping.
"""

from __future__ import annotations

import html
import json
from typing import Any, cast

from flask import Flask, Response, current_app, render_template, request
from flask.globals import request_ctx
from werkzeug.exceptions import HTTPException

from revtrack import Revtrack
from revtrack.errors import (
    BadReference,
    DatabaseError,
    InvalidInput,
    RevtrackError,
    UnknownArticle,
    UnknownCorrection,
    UnknownRevision,
)

_CSP = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


def create_app(
    source: Revtrack | str | None = None,
    *,
    token: str | None = None,
    show_paths: bool = False,
    page_cache: bool = True,
) -> Flask:
    """The app over ``source``: a Revtrack, or a database path/URL opened without creating it.

    ``token``: every request must carry it (see :mod:`revtrack.web.access`); ``show_paths``:
    revisions ingested from files show their whole path, not only the file's name;
    ``page_cache``: keep answers until the database changes (:mod:`revtrack.web.pagecache`).
    """
    from revtrack.web import access, api, feeds, pagecache, pages, urls

    rt = source if isinstance(source, Revtrack) else Revtrack(source)
    app = Flask("revtrack.web")
    app.url_map.converters.update(urls.CONVERTERS)
    app.url_map.merge_slashes = False  # a key may hold an empty segment (``a//b``)
    helpers = (pages.diff_url, pages.article_url, pages.rev_url, pages.outlet_url, pages.when)
    for helper in (*helpers, pages.kind_badge):
        app.jinja_env.globals[helper.__name__] = helper
    app.extensions["revtrack"] = rt
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp, url_prefix="/api")
    app.register_blueprint(feeds.bp)
    app.config["REVTRACK_SHOW_PATHS"] = show_paths
    if token is not None:
        access.require_token(app, token)
    if page_cache:
        pagecache.install(app)  # after the token check: a request without it never reaches this
    app.register_error_handler(RevtrackError, _revtrack_error)
    app.register_error_handler(HTTPException, _http_error)
    app.after_request(_headers)
    return app


def facade() -> Revtrack:
    """The Revtrack the current app serves."""
    return cast(Revtrack, current_app.extensions["revtrack"])


def status_of(exc: RevtrackError) -> int:
    fixed = getattr(exc, "http_status", None)  # the web's own errors (limits, access) say it
    if isinstance(fixed, int):
        return fixed
    if isinstance(exc, UnknownArticle | UnknownRevision | UnknownCorrection):
        return 404
    if isinstance(exc, DatabaseError):
        return 503
    if isinstance(exc, BadReference | InvalidInput):
        return 400
    return 400


def json_response(value: Any, status: int = 200) -> Response:
    """JSON in the order the shapes were built; non-ASCII kept, lone surrogates escaped.

    Compact: ``indent`` would take json's pure-Python encoder, several times slower than its
    C one on a page of records (browsers and ``jq`` indent it for reading).
    """
    try:
        body = (json.dumps(value, ensure_ascii=False) + "\n").encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate the codec kept exactly: \\ud800 is valid JSON
        body = (json.dumps(value) + "\n").encode("ascii")
    return Response(body, status=status, mimetype="application/json")


def html_response(template: str, code: int = 200, /, **context: Any) -> Response:
    """A rendered page; a lone surrogate (which no browser can show) becomes '?'."""
    return html_text(render_template(template, **context), code)


def html_text(page: str, status: int = 200) -> Response:
    body = page.encode("utf-8", "replace")
    return Response(body, status=status, mimetype="text/html")


def _wants_json() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def _revtrack_error(exc: RevtrackError) -> Response:
    status = status_of(exc)
    if _wants_json():
        response = json_response({"error": exc.message, "hint": exc.hint or None}, status)
    else:
        response = html_response(
            "error.html", status, status=status, message=exc.message, hint=exc.hint, crumbs=[]
        )
    if status in (429, 503):
        response.headers["Retry-After"] = "5"
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="revtrack"'
    return response


def _bare_error(status: int, message: str, hint: str) -> Response:
    """An error page built without ``url_for``: for a request the router never took in."""
    body = f"<!doctype html><title>{status}</title><p><b>{html.escape(message)}</b></p>"
    return html_text(body + f"<p>{html.escape(hint)}</p>\n", status)


def _http_error(exc: HTTPException) -> Response:
    status = exc.code or 500
    if request_ctx.url_adapter is None:  # a wrong Host: no URL can be built for it
        hint = "This server answers to 127.0.0.1 and localhost only; open it by one of those."
        return _bare_error(
            status, f"{exc.name}: the Host header is not one this server uses.", hint
        )
    message = f"{exc.name}: {request.path}" if status in (404, 405) else exc.name
    hint = exc.description or ""
    if status == 404:
        hint = "See /api/ for the routes." if _wants_json() else "Start from the article list at /."
    if status == 405:
        hint = "This server is read-only: use GET."
    if _wants_json():
        response = json_response({"error": message, "hint": hint}, status)
    else:
        response = html_response(
            "error.html", status, status=status, message=message, hint=hint, crumbs=[]
        )
    if status == 405:
        response.headers["Allow"] = "GET, HEAD"
    return response


def _headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", _CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response
