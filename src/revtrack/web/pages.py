"""The HTML pages: article list, timeline, diff, revision text, blame, audit.

Each view makes one or two facade calls and hands plain values to a Jinja2 template (which
escapes them). The diff page is :func:`revtrack.render.render_html`'s standalone page as it
is — the same page ``revtrack diff --format html`` writes — with the site's navigation bar and
a compare form added after ``<body>``, so the two can never disagree.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, redirect, request, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup, escape

from revtrack.records import ArticleRecord, RevisionRecord
from revtrack.render.listings import lag_text as lag
from revtrack.shapes import (
    GRANULARITIES,
    TimelineRow,
    audit_dict,
    correction_dict,
    counted,
    derivation_dict,
    diff_header,
    timeline_rows,
)
from revtrack.web import diffpage, params, urls
from revtrack.web.app import facade, html_response
from revtrack.web.limits import bounded_diff

bp = Blueprint("pages", __name__)
_GET = {"provide_automatic_options": False}
PAGE_SIZE = 50  # rows a listing page renders (200 took 4x the time for no reader)


def _crumbs(key: str, *more: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(key, url_for("pages.timeline", key=key)), *more]


def _safe_url(url: str | None) -> str | None:
    """Only web links become links: a stored ``javascript:`` URL must never be clickable."""
    if url and url.lower().startswith(("http://", "https://")):
        return url
    return None


def basename(source: str | None, kind: str) -> str:
    """A file source as its name only: the ingesting machine's folders are nobody's business."""
    source = source or ""
    if kind in ("url", "stdin") or source.startswith(("http://", "https://")):
        return source
    return source.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


def shown_source(record: RevisionRecord) -> str:
    if current_app.config.get("REVTRACK_SHOW_PATHS"):
        return record.source
    return basename(record.source, record.source_kind)


def shown_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Revision dicts with file sources as basenames, unless the app was told to show paths
    (``serve --show-paths``, or ``create_app(..., show_paths=True)``)."""
    if current_app.config.get("REVTRACK_SHOW_PATHS"):
        return rows
    return [{**r, "source": basename(r["source"], r["source_kind"])} for r in rows]


@bp.get("/", **_GET)
def index() -> Response:
    """The article list: a page at a time (by key: ``after``, ``before``), found by words
    (``q``) and ``outlet``."""
    from revtrack.web.feeds import feed_links

    after, before = params.cursor()
    search, outlet = params.search(), params.outlet()
    page = facade().article_page(
        search=search, outlet=outlet, after=after, before=before, limit=PAGE_SIZE
    )
    query = {k: v for k, v in (("q", search), ("outlet", outlet)) if v}
    links = {
        "first": _rooted("/", query) if page.prev_before is not None else None,
        "prev": _rooted("/", {**query, "before": page.prev_before}) if page.prev_before else None,
        "next": _rooted("/", {**query, "after": page.next_after}) if page.next_after else None,
    }
    return html_response(
        "articles.html",
        articles=page.articles,
        rows=article_rows(page.articles),
        total=total_text(page.total, page.total_is),
        one=page.total == 1 and page.total_is == "exact",
        links=links,
        q=search or "",
        outlet=outlet,
        feeds=feed_links(outlet=outlet) if outlet else [],
        crumbs=[(outlet, None)] if outlet else [],
    )


def article_rows(articles: list[ArticleRecord]) -> Markup:
    """The list's rows, built in Python as :func:`timeline_table`'s are (the template's
    loop was half of a listing page); the HTML is what the loop in articles.html wrote."""
    out = []
    for a in articles:
        href = escape(article_url(a.key))
        key = escape(a.key)
        outlet = (
            f' · <a href="{escape(outlet_url(a.outlet))}">{escape(a.outlet)}</a>'
            if a.outlet
            else ""
        )
        notes = f'<a href="{href}#corrections">{a.corrections}</a>' if a.corrections else "0"
        out.append(
            f'\n<tr>\n<td><a class="key" href="{href}">{escape(a.title or a.key)}</a>\n'
            f'<div class="sub">{key}{outlet}</div></td>\n<td class="num">{a.revisions}</td>\n'
            f'<td class="num">{notes}</td>\n<td class="when">{when(a.first_at)}</td>\n'
            f'<td class="when">{when(a.latest_at)}</td>\n</tr>\n'
        )
    return Markup("".join(out))


def total_text(total: int, total_is: str) -> str:
    """ "307", "1,000 or more" (counted up to a cap), "about 100,000" (not counted)."""
    if total_is == "at least":
        return f"{total:,} or more"
    if total_is == "about":
        return f"about {total:,}"
    return f"{total:,}"


@bp.get("/a/<key:key>", **_GET)
def timeline(key: str) -> Response:
    from revtrack.web.feeds import feed_links

    log, views = facade().log_with_views(key)
    rows = timeline_rows(log.revisions, views)
    return html_response(
        "timeline.html",
        article=counted(log.article, log.revisions, len(views)),
        url=_safe_url(log.article.url),
        rows=rows,
        table=timeline_table(key, rows),
        corrections=[correction_dict(v) for v in views],
        revisions=log.revisions,
        lag=lag,
        form=_form(key, log.revisions, None, None, "word"),
        feeds=feed_links(key=key, outlet=log.article.outlet),
        crumbs=_crumbs(key),
    )


def _form(
    key: str, revisions: list[RevisionRecord], a: str | None, b: str | None, by: str
) -> dict[str, Any]:
    """The compare form's choices; the revisions compared are preselected."""
    labels = [r.label for r in revisions]
    return {
        "action": url_for("pages.diff_latest", key=key),
        "labels": labels,
        "a": a or (labels[-2] if len(labels) > 1 else labels[0] if labels else ""),
        "b": b or (labels[-1] if labels else ""),
        "by": by,
        "granularities": GRANULARITIES,
    }


# The links a page holds by the hundred (a row per article, revision or sentence) are built
# from the URL scheme directly: url_for's general machinery cost half of a listing's time.
# They are what url_for builds (tests/test_web_urls.py), under the app's SCRIPT_NAME too.
def _rooted(path: str, query: dict[str, Any]) -> str:
    tail = "?" + urlencode(query) if query else ""
    return request.script_root + path + tail


def diff_url(key: str, a: str | None = None, b: str | None = None, **query: Any) -> str:
    """The diff page of ``a`` → ``b`` (``b`` alone: the change it made; neither: the latest)."""
    return _rooted(urls.page_path(key, "diff", urls.diff_refs(a, b)), query)


def article_url(key: str) -> str:
    return _rooted(urls.page_path(key), {})


def rev_url(key: str, rev: str) -> str:
    return _rooted(urls.page_path(key, "revision", rev), {})


def outlet_url(outlet: str) -> str:
    return _rooted("/", {"outlet": outlet})


# Helpers a page calls once per row, in Python: a Jinja2 macro call costs ten times as much.
_STRONG_KINDS = ("number", "date", "name", "quote", "negation", "headline")


def when(value: Any) -> str:
    """A time as the pages show it (UTC, to the minute); nothing for None."""
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def kind_badge(kind: str, count: int | None = None) -> Markup:
    """A change kind as a badge: the telling kinds stand out, sentence kinds apart."""
    css = " hi" if kind in _STRONG_KINDS else " sent" if kind.startswith("sentence-") else ""
    times = f" ×{count}" if count and count > 1 else ""
    return Markup(f'<span class="badge{css}">{escape(kind)}{times}</span>')


def timeline_table(key: str, rows: list[TimelineRow]) -> Markup:
    """The timeline's rows, built in Python: for a hundred revisions the template's loop
    was four fifths of the page's time (each ``{{ }}`` and helper call a Jinja2 dispatch).
    The HTML is what the loop in timeline.html wrote; every value is escaped here."""
    # Every row links to vN and vN-1..vN of the same key: its path is built once.
    revs = escape(_rooted(urls.page_path(key, "revision", "v0"), {})[: -len("v0")])
    diffs = escape(_rooted(urls.page_path(key, "diff", "v0"), {})[: -len("v0")])
    out = []
    for row in rows:
        r = row.revision
        label = escape(r.label)
        if r.number == 1:
            change = f"{r.words} words"
            kinds = '<span class="sub">first capture</span>'
        else:
            earlier = f"v{r.number - 1}"
            change = (
                f'<a href="{diffs}{earlier}..{label}" title="Show the changes '
                f'from {earlier}"><span class="plus">+{r.words_added}</span> '
                f'<span class="minus">−{r.words_removed}</span></a>'
            )
            kinds = "".join(kind_badge(k, n) for k, n in row.kinds) or (
                '<span class="sub">no change in words</span>'
            )
        headline = (
            f'<span class="mark">headline now: {escape(r.title)}</span>'
            if row.title_changed
            else ""
        )
        notes = f'<span class="mark">revert to v{r.revert_of}</span>' if r.revert_of else ""
        for n in row.disclosed:
            notes += (
                f'<span class="mark note"><a href="#c{n["id"]}">{escape(n["kind"])} #{n["id"]}'
                "</a> first shown</span>"
            )
        for n in row.fixed:
            notes += (
                f'<span class="mark fix">fixes what <a href="#c{n["id"]}">#{n["id"]}</a> '
                "discloses</span>"
            )
        out.append(
            f'\n<tr>\n<td><a class="rev" href="{revs}{label}" title="Read '
            f'{label}">{label}</a></td>\n<td class="when">{when(r.captured_at)}</td>\n'
            f'<td class="num">{change}</td>\n<td>{kinds}\n{headline}</td>\n<td>{notes}\n'
            "</td>\n</tr>\n"
        )
    return Markup("".join(out))


@bp.get("/a/<key:key>/-/diff", **_GET)
def diff_latest(key: str) -> ResponseReturnValue:
    """The latest change; the compare form lands here and is sent on to the stable URL."""
    a, b = params.rev("a"), params.rev("b")
    if a or b:
        query = {k: v for k, v in request.args.items() if k not in ("a", "b")}
        return redirect(diff_url(key, a, b, **query), code=303)
    return _diff_page(key, None, None)


@bp.get("/a/<key:key>/-/diff/<diffrefs:refs>", **_GET)
def diff(key: str, refs: str) -> Response:
    a, b = urls.split_diff_refs(refs)
    return _diff_page(key, a and params.checked_ref(a), params.checked_ref(b))


def _diff_page(key: str, a: str | None, b: str | None) -> Response:
    by = params.granularity()
    view = request.args.get("view", "inline")
    hide = set(request.args.get("hide", "").split(","))
    rt = facade()
    fetched = params.as_fetched()
    bounded = bounded_diff(rt, key, a, b, by, as_fetched=fetched)
    result, by = bounded.result, bounded.by
    revisions = rt.log(key).revisions
    old, new = result.old, result.new
    header = diff_header(result)
    prev_url = prev_label = next_url = next_label = None
    if old.number > 1:
        prev_label = f"v{old.number - 1} → v{old.number}"
        prev_url = diff_url(key, f"v{old.number - 1}", f"v{old.number}")
    if new.number < len(revisions):
        next_label = f"v{new.number} → v{new.number + 1}"
        next_url = diff_url(key, f"v{new.number}", f"v{new.number + 1}")
    items = diffpage.changes(result.diff)
    return html_response(
        "diff.html",
        key=key,
        old=old,
        new=new,
        by=by,
        view=view,
        hide=hide,
        title=header.b.title or header.a.title or key,
        old_title=header.a.title,
        when_a=header.a.captured_at or "",
        when_b=header.b.captured_at or "",
        stats=result.diff.stats,
        items=items,
        counts=diffpage.quiet_counts(items),
        excerpt=diffpage.excerpt,
        inline=Markup(diffpage.inline_html(result.diff, elide=bounded.large)),
        sbs=Markup("" if bounded.large else diffpage.side_by_side_html(result.diff, header)),
        notice=bounded.notice,
        large=bounded.large,
        prev_url=prev_url,
        prev_label=prev_label,
        next_url=next_url,
        next_label=next_label,
        form=_form(key, revisions, old.label, new.label, by),
        json_url=url_for("api.diff", key=key, a=old.label, b=new.label, by=by),
        crumbs=_crumbs(key, (f"{old.label} → {new.label}", None)),
    )


@bp.get("/a/<key:key>/-/rev/<ref:rev>", **_GET)
def revision(key: str, rev: str) -> Response:
    rt = facade()
    ref = f"{key}@{params.checked_ref(rev)}"
    fetched = params.as_fetched()
    found = rt.read(ref, as_fetched=fetched)
    # Asked as fetched: say so only where a re-derived text exists to differ from it.
    rederived = fetched and rt.read(ref).derived is not None
    record = found.revision
    count = len(rt.log(key).revisions)
    return html_response(
        "revision.html",
        key=key,
        revision=record,
        source=shown_source(record),
        text=found.text,
        derived=derivation_dict(found.derived),
        as_fetched=rederived,
        count=count,
        crumbs=_crumbs(key, (record.label, None)),
    )


@bp.get("/a/<key:key>/-/blame", **_GET)
@bp.get("/a/<key:key>/-/blame/<ref:rev>", **_GET)
def blame(key: str, rev: str | None = None) -> Response:
    rt = facade()
    ref = params.checked_ref(rev) if rev else params.rev("rev") or "latest"
    record, lines = rt.blame(f"{key}@{ref}", as_fetched=params.as_fetched())
    labels = [r.label for r in rt.log(key).revisions]
    return html_response(
        "blame.html",
        key=key,
        revision=record,
        lines=lines,
        labels=labels,
        crumbs=_crumbs(key, (f"blame {record.label}", None)),
    )


@bp.get("/a/<key:key>/-/audit", **_GET)
def audit(key: str) -> Response:
    (result,) = facade().audit(key, as_fetched=params.as_fetched())
    return html_response(
        "audit.html",
        key=key,
        audit=audit_dict(result),
        lag=lag,
        crumbs=_crumbs(key, ("audit", None)),
    )
