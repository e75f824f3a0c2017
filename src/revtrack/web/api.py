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
    diff_dict,
    log_rows,
    revision_dict,
)
from revtrack.web import params
from revtrack.web.app import facade, json_response
from revtrack.web.pages import run_diff

bp = Blueprint("api", __name__)
_GET = {"provide_automatic_options": False}


@bp.get("/", **_GET)
def index() -> Response:
    key = "KEY"
    return json_response(
        {
            "routes": [
                url_for("api.articles"),
                url_for("api.article", key=key),
                url_for("api.revision", key=key, rev="REV"),
                url_for("api.diff", key=key) + "?a=REV&b=REV&by=word|sentence|char|line",
                url_for("api.corrections", key=key),
                url_for("api.audit", key=key),
                url_for("api.blame", key=key) + "?rev=REV",
            ]
        }
    )


@bp.get("/articles", **_GET)
def articles() -> Response:
    """Every article with its counts, a page at a time (``offset``, ``limit``)."""
    offset = params.count("offset", 0, low=0, high=10**9)
    limit = params.count("limit", 500, low=1, high=5000)
    rt = facade()
    return json_response(
        {
            "total": rt.article_count(),
            "offset": offset,
            "limit": limit,
            "articles": [article_dict(a) for a in rt.articles(offset=offset, limit=limit)],
        }
    )


@bp.get("/articles/<key:key>", **_GET)
def article(key: str) -> Response:
    """The article's log: its revisions and corrections."""
    rt = facade()
    log = rt.log(key)
    views = rt.corrections(key)
    return json_response(
        {
            "article": article_dict(counted(log.article, log.revisions, len(views))),
            "revisions": log_rows(log.revisions, views),
            "corrections": [correction_dict(v) for v in views],
        }
    )


@bp.get("/articles/<key:key>/revisions/<ref:rev>", **_GET)  # without the ``-``: older links
@bp.get("/articles/<key:key>/-/revisions/<ref:rev>", **_GET)
def revision(key: str, rev: str) -> Response:
    record, text = facade().show(f"{key}@{params.checked_ref(rev)}")
    return json_response({"article": key, "revision": revision_dict(record), "text": text})


@bp.get("/articles/<key:key>/diff", **_GET)  # without the ``-``: older links
@bp.get("/articles/<key:key>/-/diff", **_GET)
def diff(key: str) -> Response:
    by = params.granularity()
    result = run_diff(facade(), key, params.rev("a"), params.rev("b"), by)
    return json_response(diff_dict(result))


@bp.get("/articles/<key:key>/corrections", **_GET)  # without the ``-``: older links
@bp.get("/articles/<key:key>/-/corrections", **_GET)
def corrections(key: str) -> Response:
    views = facade().corrections(key)
    return json_response({"article": key, "corrections": [correction_dict(v) for v in views]})


@bp.get("/articles/<key:key>/audit", **_GET)  # without the ``-``: older links
@bp.get("/articles/<key:key>/-/audit", **_GET)
def audit(key: str) -> Response:
    (result,) = facade().audit(key)
    return json_response(audit_dict(result))


@bp.get("/articles/<key:key>/blame", **_GET)  # without the ``-``: older links
@bp.get("/articles/<key:key>/-/blame", **_GET)
def blame(key: str) -> Response:
    record, lines = facade().blame(f"{key}@{params.rev('rev') or 'latest'}")
    return json_response(blame_dict(record, lines))
