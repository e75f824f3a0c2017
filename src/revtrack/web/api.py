"""The JSON API under ``/api/``: the same facade calls as the pages, as JSON.

Every record is shaped by :mod:`revtrack.shapes`, as the CLI's ``--format json`` shapes it
(articles, log rows, corrections, audits, blame; diffs in the ``revtrack.diff/1`` schema of
docs/diff-json-schema.md), so a script can move between ``revtrack … --format json`` and HTTP
without translating.
"""

from __future__ import annotations

from flask import Blueprint, Response, url_for

from revtrack.shapes import (
    article_dict,
    audit_dict,
    blame_dict,
    correction_dict,
    counted,
    derivation_dict,
    diff_dict,
    log_rows,
    revision_dict,
)
from revtrack.web import params
from revtrack.web.app import facade, json_response
from revtrack.web.limits import bounded_diff
from revtrack.web.pages import shown_rows

bp = Blueprint("api", __name__)
_GET = {"provide_automatic_options": False}


@bp.get("/", **_GET)
def index() -> Response:
    key = "KEY"
    return json_response(
        {
            "openapi": url_for("api.openapi_json"),
            "routes": [
                url_for("api.articles") + "?q=WORDS&outlet=OUTLET&after=KEY&limit=500",
                url_for("api.openapi_json"),
                url_for("api.article", key=key),
                url_for("api.revisions", key=key),
                url_for("api.revision", key=key, rev="REV"),
                url_for("api.diff", key=key) + "?a=REV&b=REV&by=word|sentence|char|line",
                url_for("api.corrections", key=key),
                url_for("api.audit", key=key),
                url_for("api.blame", key=key) + "?rev=REV",
            ],
        }
    )


@bp.get("/openapi.json", **_GET)
def openapi_json() -> Response:
    """The OpenAPI 3.1 description of every route under ``/api/``."""
    from revtrack.web.openapi import description

    return json_response(description())


@bp.get("/articles", **_GET)
def articles() -> Response:
    """Articles with their counts, a page at a time by key (``after`` or ``before``,
    ``limit``), found by ``q`` (words in the key or title, any case) and ``outlet``;
    ``total`` counts the matches, ``total_is`` says how (exact, at least, about)."""
    after, before = params.cursor()
    limit = params.count("limit", 500, low=1, high=5000)
    search, outlet = params.search(), params.outlet()
    page = facade().article_page(
        search=search, outlet=outlet, after=after, before=before, limit=limit
    )
    return json_response(
        {
            "total": page.total,
            "total_is": page.total_is,
            "limit": limit,
            "q": search,
            "outlet": outlet,
            "after": after,
            "before": before,
            "next_after": page.next_after,
            "prev_before": page.prev_before,
            "articles": [article_dict(a) for a in page.articles],
        }
    )


@bp.get("/articles/<key:key>", **_GET)
def article(key: str) -> Response:
    """The article's log: its revisions and corrections."""
    log, views = facade().log_with_views(key)
    return json_response(
        {
            "article": article_dict(counted(log.article, log.revisions, len(views))),
            "revisions": shown_rows(log_rows(log.revisions, views)),
            "corrections": [correction_dict(v) for v in views],
        }
    )


@bp.get("/articles/<key:key>/-/revisions", **_GET)
def revisions(key: str) -> Response:
    """The article's revisions, oldest first, each with the notes it first showed."""
    log, views = facade().log_with_views(key)
    rows = log_rows(log.revisions, views)
    return json_response({"article": key, "revisions": shown_rows(rows)})


@bp.get("/articles/<key:key>/revisions/<ref:rev>", **_GET)  # without the ``-``: older links
@bp.get("/articles/<key:key>/-/revisions/<ref:rev>", **_GET)
def revision(key: str, rev: str) -> Response:
    """The revision's text as `show` prints it (its newest re-derived one, if any), with
    ``derived`` saying which."""
    found = facade().read(f"{key}@{params.checked_ref(rev)}", as_fetched=params.as_fetched())
    shaped = shown_rows([revision_dict(found.revision)])[0]
    return json_response(
        {
            "article": key,
            "revision": shaped,
            "text": found.text,
            "derived": derivation_dict(found.derived),
        }
    )


@bp.get("/articles/<key:key>/diff", **_GET)  # without the ``-``: older links
@bp.get("/articles/<key:key>/-/diff", **_GET)
def diff(key: str) -> Response:
    by = params.granularity()
    bounded = bounded_diff(
        facade(), key, params.rev("a"), params.rev("b"), by, as_fetched=params.as_fetched()
    )
    shaped = diff_dict(bounded.result)
    if bounded.notice:
        shaped["notice"] = bounded.notice
    return json_response(shaped)


@bp.get("/articles/<key:key>/corrections", **_GET)  # without the ``-``: older links
@bp.get("/articles/<key:key>/-/corrections", **_GET)
def corrections(key: str) -> Response:
    views = facade().corrections(key)
    return json_response({"article": key, "corrections": [correction_dict(v) for v in views]})


@bp.get("/articles/<key:key>/audit", **_GET)  # without the ``-``: older links
@bp.get("/articles/<key:key>/-/audit", **_GET)
def audit(key: str) -> Response:
    (result,) = facade().audit(key, as_fetched=params.as_fetched())
    return json_response(audit_dict(result))


@bp.get("/articles/<key:key>/blame", **_GET)  # without the ``-``: older links
@bp.get("/articles/<key:key>/-/blame", **_GET)
def blame(key: str) -> Response:
    record, lines = facade().blame(
        f"{key}@{params.rev('rev') or 'latest'}", as_fetched=params.as_fetched()
    )
    return json_response(blame_dict(record, lines))
