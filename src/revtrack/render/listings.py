"""The command line's listings as text, CSV and JSON, rendered from :mod:`revtrack.shapes` dicts.

Each function takes the dicts the JSON output prints (so text, CSV and JSON always say the same
thing) and returns a string; none prints or reads anything. ``color`` says whether to use ANSI
colour (the CLI decides: off when piped, ``NO_COLOR``/``FORCE_COLOR``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from revtrack.render import ansi
from revtrack.render.table import format_table, to_csv, to_json

Row = Mapping[str, Any]

STRIKE = "\x1b[9m"


def shorten(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def lag_text(seconds: float | None) -> str:
    """``42s``, ``5m``, ``3.5h``, ``2.0d``; empty when unknown."""
    if seconds is None:
        return ""
    if seconds < 60:
        return f"{seconds:.0f}s"
    if seconds < 3600:
        return f"{seconds / 60:.0f}m"
    if seconds < 86400:
        return f"{seconds / 3600:.1f}h"
    return f"{seconds / 86400:.1f}d"


def minutes(iso: str | None) -> str:
    """``2022-03-18T10:00:00Z`` (a shapes time) → ``2022-03-18 10:00``, as tables show it."""
    return "" if iso is None else iso[:16].replace("T", " ")


def listing(
    fmt: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], dicts: Sequence[Row]
) -> str:
    """``json``: the dicts; ``csv``: the rows under their headers; else an aligned table."""
    if fmt == "json":
        return to_json(list(dicts))
    if fmt == "csv":
        return to_csv(headers, rows)
    return format_table(headers, rows)


def change_snippet(evidence: Row, color: bool) -> str:
    """``[-old-]{+new+}`` (or coloured), leaving out an empty side."""
    old, new = shorten(evidence.get("old", ""), 60), shorten(evidence.get("new", ""), 60)
    if color:
        parts = [
            ansi.DELETE + STRIKE + old + ansi.RESET if old else "",
            ansi.INSERT + new + ansi.RESET if new else "",
        ]
        return " → ".join(p for p in parts if p)
    return (f"[-{old}-]" if old else "") + (f"{{+{new}+}}" if new else "")


def corrected_phrase(evidence: Row, color: bool, width: int = 110) -> str:
    """The corrected phrase with the change marked in it: ``“…the [-two-]{+three+} outer
    islands…”``. The context either side is cut first, the change last, to fit ``width``."""
    change = change_snippet(evidence, color)
    raw_before, raw_after = str(evidence.get("before", "")), str(evidence.get("after", ""))
    if not raw_before.strip() and not raw_after.strip():
        return change
    # One line, the spacing at the change kept as it was ("the two" / "$4.2").
    before = " ".join(raw_before.split()) + (" " if raw_before[-1:].isspace() else "")
    after = (" " if raw_after[:1].isspace() else "") + " ".join(raw_after.split())
    room = max(0, width - len(change_snippet(evidence, False)) - 2)
    if len(before) + len(after) > room:
        keep = room // 2
        if len(before) > keep:
            before = "…" + before[len(before) - keep + 1 :]
        if len(after) > room - len(before):
            after = after[: max(0, room - len(before) - 1)] + "…"
    return f"“{before}{change}{after}”"


# -- articles and their logs ------------------------------------------------------------------
def articles_listing(articles: Sequence[Row], fmt: str) -> str:
    if fmt == "text" and not articles:
        return "No articles yet. Ingest one with `revtrack ingest FILE`."
    headers = ["key", "revisions", "corrections", "first", "latest", "title"]
    rows = [
        [
            a["key"],
            a["revisions"],
            a["corrections"],
            minutes(a["first_at"]),
            minutes(a["latest_at"]),
            a["title"],
        ]
        for a in articles
    ]
    return listing(fmt, headers, rows, articles)


def log_listing(article: Row, revisions: Sequence[Row], notes: Sequence[Row], fmt: str) -> str:
    """An article's timeline (``revisions`` are log rows, ``notes`` correction dicts)."""
    fixes: dict[int, list[str]] = {}
    for c in notes:
        if c["matched"] and c["fixing_revision"] is not None:
            fixes.setdefault(c["fixing_revision"], []).append(f"fix for #{c['id']}")
    headers = ["rev", "captured (UTC)", "change", "kinds", "marks", "title"]
    rows: list[list[Any]] = []
    for r in revisions:
        n = r["number"]
        change = f"{r['words']} words" if n == 1 else f"+{r['words_added']} -{r['words_removed']}"
        kinds = ",".join(sorted(k for k in r["hunks_by_kind"] if k != "cosmetic"))
        marks = [f"revert to v{r['revert_of']}"] if r["revert_of"] else []
        marks += list(r["notes"]) + fixes.get(n, [])
        rows.append(
            [r["label"], minutes(r["captured_at"]), change, kinds, "; ".join(marks), r["title"]]
        )
    table = listing(fmt, headers, rows, revisions)
    if fmt != "text":
        return table
    lines = [
        f"{article['key']}: {len(revisions)} revision(s)"
        + (f" — {article['url']}" if article["url"] else ""),
        table.rstrip("\n"),
    ]
    if notes:
        lines += ["", "Corrections:"]
    for c in notes:
        conf = f"{c['confidence']:.2f}" if c["confidence"] is not None else "-"
        where = (
            f"disclosed v{c['disclosed_revision']}" if c["disclosed_revision"] else "added by hand"
        )
        lines.append(
            f"  #{c['id']} {c['kind']} [{c['status']}] fix v{c['fixing_revision']} {where} "
            f"confidence {conf}: {shorten(c['text'], 90)}"
        )
    return "\n".join(lines)


def ingest_line(result: Row) -> str:
    """One source ingested: ``ferry  v2  +12 -3 words  1 note(s) found  v2.txt``."""
    rev = result["revision"]
    if result["status"] == "unchanged":
        return f"{result['article']}  unchanged (same as v{rev['number']})  {result['source']}"
    change = f"+{result['words_added']} -{result['words_removed']} words"
    if rev["number"] == 1:
        change = f"{rev['words']} words"
    extra = f"  revert to v{rev['revert_of']}" if result["status"] == "revert" else ""
    found = result["notes_added"]
    notes = f"  {len(found)} note(s) found" if found else ""
    return f"{result['article']}  v{rev['number']}  {change}{extra}{notes}  {result['source']}"


# -- corrections ------------------------------------------------------------------------------
def corrections_listing(notes: Sequence[Row], fmt: str, color: bool = False) -> str:
    headers = ["id", "article", "kind", "status", "fixed", "disclosed", "lag", "confidence", "text"]
    rows = [
        [
            d["id"],
            d["article"],
            d["kind"],
            d["status"],
            f"v{d['fixing_revision']}" if d["matched"] else "?",
            f"v{d['disclosed_revision']}" if d["disclosed_revision"] else "by hand",
            lag_text(d["lag_seconds"]),
            d["confidence"],
            d["text"],
        ]
        for d in notes
    ]
    if fmt != "text":
        return listing(fmt, headers, rows, notes)
    lines: list[str] = []
    for d in notes:
        fixed = f"fixed in v{d['fixing_revision']}" if d["matched"] else "no matching change found"
        told = (
            f"disclosed in v{d['disclosed_revision']}"
            if d["disclosed_revision"]
            else "added by hand"
        )
        lag = f", lag {lag_text(d['lag_seconds'])}" if d["lag_seconds"] is not None else ""
        label = f" ({d['label']})" if d["label"] else ""
        lines.append(f"#{d['id']} {d['kind']}{label} — {d['article']} — {d['status']}")
        lines.append(f"    {fixed}, {told}{lag}; confidence {d['confidence']:.2f}")
        lines.append(f"    {shorten(d['text'], 110)}")
        for e in d["evidence"][:3]:
            words = ", ".join(e.get("matched_words", [])[:6])
            kind = e.get("error_kind") or ""
            lines.append(
                f"    v{e['revision']}: {corrected_phrase(e, color)}"
                f"  ({kind}{'; ' if kind and words else ''}{'matched: ' + words if words else ''})"
            )
        runner = d.get("runner_up")
        if runner and d["evidence"]:
            lines.append(
                f"    runner-up v{runner['revision']}: {corrected_phrase(runner, color, 70)}"
                f"  (score {runner.get('score', 0):.2f}"
                f" against {d['evidence'][0].get('score', 0):.2f})"
            )
        for st in d["states"]:
            lines.append(
                f"    {st['state']}"
                + (f" in v{st['revision']}" if st["revision"] else "")
                + (f": {st['reason']}" if st["reason"] else "")
            )
        if d["superseded_by"]:
            lines.append(f"    superseded by #{d['superseded_by']}")
        lines.append("")
    return "\n".join(lines) if lines else "No corrections."


def relink_listing(changes: Sequence[Row]) -> str:
    moved = [c for c in changes if c["changed"]]
    lines = [
        f"#{c['correction']} {c['article']}: v{c['old_fixing_revision']} → "
        f"v{c['new_fixing_revision']} "
        f"(confidence {c['old_confidence']} → {c['new_confidence']:.2f})"
        for c in moved
    ]
    lines.append(f"{len(changes)} note(s) relinked, {len(moved)} changed.")
    return "\n".join(lines)


# -- audit and blame --------------------------------------------------------------------------
AUDIT_CSV_HEADER = "article,revision,captured_at,severity,kinds,op,old,new,reason"


def audit_text(d: Row, color: bool = False) -> str:
    """One article's audit (an ``audit_dict``), as a short report."""
    s = d["summary"]
    share = f"{s['share_disclosed']:.0%}" if s["share_disclosed"] is not None else "n/a"
    lines = [
        f"== {d['article']}"
        + (f" ({d['outlet']})" if d["outlet"] else "")
        + f": {s['revisions']} revisions, {s['substantive_edits']} substantive edits, "
        f"{s['undisclosed']} undisclosed, {share} disclosed"
    ]
    if d["undisclosed"]:
        lines.append("Undisclosed substantive edits:")
        for f in d["undisclosed"]:
            lines.append(
                f"  v{f['revision']}  {f['severity']:<6} {','.join(f['kinds'])}: "
                f"{change_snippet(f, color)}"
            )
    if d["disclosed_fixes"]:
        lines.append("Disclosed fixes:")
        for f in d["disclosed_fixes"]:
            told = (
                f"disclosed v{f['disclosing_revision']}"
                if f["disclosing_revision"]
                else "never disclosed in the text"
            )
            lag = f", lag {lag_text(f['lag_seconds'])}" if f["lag_seconds"] is not None else ""
            fixed = (
                f"fixed v{f['fixing_revision']}"
                if f["status"] != "no-matching-change"
                else "no matching change found"
            )
            lines.append(f"  #{f['correction']} {f['kind']}: {fixed}, {told}{lag}")
    lines.append("Vanished notes:" if d["vanished_notes"] else "Vanished notes: none")
    for v in d["vanished_notes"]:
        lines.append(f"  removed in v{v['revision']}: {shorten(v['text'], 90)}")
    minor = d.get("minor_edits", [])
    if minor:
        counts: dict[str, int] = {}
        for m in minor:
            counts[m["kind"]] = counts.get(m["kind"], 0) + 1
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(counts.items()))
        lines.append(f"Minor edits (not counted as undisclosed): {len(minor)} ({kinds})")
    return "\n".join(lines)


def audit_csv_rows(d: Row) -> str:
    """An article's undisclosed edits as CSV rows under :data:`AUDIT_CSV_HEADER`."""
    rows = [
        [
            d["article"],
            f["revision"],
            f["captured_at"],
            f["severity"],
            ";".join(f["kinds"]),
            f["op"],
            f["old"],
            f["new"],
            f["reason"],
        ]
        for f in d["undisclosed"]
    ]
    return to_csv(["a"], rows).split("\n", 1)[1] if rows else ""


def audit_json_line(d: Row) -> str:
    return json.dumps({"type": "article", **d}, ensure_ascii=False)


def audit_report_json_line(report: Row) -> str:
    return json.dumps({"type": "summary", **report}, default=str)


def audit_report_text(report: Row) -> str:
    """A whole-database audit's closing figures (an ``audit_report_dict``)."""
    t = report["total"]
    share = f"{t['share_disclosed']:.0%}" if t["share_disclosed"] is not None else "n/a"
    lines = [
        f"Summary: {t['articles']} articles, {t['substantive_edits']} substantive edits, "
        f"{t['undisclosed']} undisclosed ({share} disclosed), {t['corrections']} "
        f"corrections, median lag {lag_text(t['median_lag_seconds']) or 'n/a'}, "
        f"{t['vanished_notes']} vanished notes"
    ]
    for o in report["outlets"]:
        lines.append(
            f"  {o['outlet'] or '(no outlet)'}: {o['articles']} articles, "
            f"{o['undisclosed']} undisclosed of {o['substantive_edits']}"
        )
    return "\n".join(lines)


def blame_listing(d: Row, fmt: str) -> str:
    """A ``blame_dict``: ``json``, or each sentence with its origin and last change."""
    if fmt == "json":
        return json.dumps(d, ensure_ascii=False, indent=2)
    lines = []
    for b in d["sentences"]:
        notes = f" #{',#'.join(map(str, b['corrections']))}" if b["corrections"] else ""
        lines.append(
            f"v{b['origin']:<3} v{b['last_changed']:<3}{notes:<5} {shorten(b['text'], 100)}"
        )
    return "\n".join(lines)


# -- watching -------------------------------------------------------------------------------
def duration_text(seconds: float | None) -> str:
    """A short form of a duration: ``45s``, ``15m``, ``2h30m``, ``3d``; '-' for None."""
    if seconds is None:
        return "-"
    total = round(seconds)
    sign = "-" if total < 0 else ""
    total = abs(total)
    if total < 60:
        return f"{sign}{total}s"
    if total < 3600:
        return f"{sign}{total // 60}m"
    if total < 86400:
        h, m = divmod(total // 60, 60)
        return f"{sign}{h}h{m:02d}m" if m else f"{sign}{h}h"
    d, h = divmod(total // 3600, 24)
    return f"{sign}{d}d{h}h" if h else f"{sign}{d}d"


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else many or word + 's'}"


def watch_added_line(w: Row) -> str:
    until = duration_text(w["until_seconds"]) if w["until_seconds"] else "ever"
    if w["kind"] == "page":
        pace = f"every {duration_text(w['every_seconds'])}" if w["every_seconds"] else "adaptive"
        what = f"{pace}, for {until}"
    else:
        every = duration_text(w["every_seconds"] or 900)
        what = f"every {every}; its articles followed for {until}"
    return f"Watching {w['url']} (watch {w['id']}, {w['kind']}): {what}."


def _due_text(w: Row) -> str:
    if w["fetching"]:
        return "fetching"
    due = w.get("due_in_seconds")
    if due is None:
        return "-"
    return "now" if due <= 0 else "in " + duration_text(due)


def watch_listing(watches: Sequence[Row]) -> str:
    """`watch list`: the dicts of :func:`revtrack.shapes.watch_dict` made with ``now``."""
    if not watches:
        return "Nothing is watched yet; add a page or feed with `revtrack watch add URL`."
    rows = [
        [
            w["id"],
            w["kind"],
            w["state"],
            w["article"] or "",
            _due_text(w),
            "never"
            if w["last_fetch_at"] is None
            else f"{w['last_result'] or '?'}"
            + (f" {w['last_status']}" if w["last_status"] else ""),
            w["changes"],
            w["url"],
        ]
        for w in watches
    ]
    headers = ["id", "kind", "state", "article", "next", "last", "changes", "url"]
    return format_table(headers, rows).rstrip("\n")


def _last_text(w: Row) -> str:
    if w["last_fetch_at"] is None:
        return "never"
    status = f" {w['last_status']}" if w["last_status"] else ""
    return f"{w['last_result'] or '?'}{status}"


def host_line(h: Row) -> str:
    skips = ", ".join(repr(p) for p in h["skip"]) or "none"
    line = (
        f"{h['host']}: {h['concurrency']} at once, {h['delay_seconds']:g} s apart, "
        f"robots.txt {'obeyed' if h['robots'] else 'ignored'}, skip patterns: {skips}"
    )
    if h["include"]:
        line += f", keep {', '.join(repr(c) for c in h['include'])}"
    if h["remove"]:
        line += f", drop {', '.join(repr(c) for c in h['remove'])}"
    return line + "."


def watch_status_text(s: Row) -> str:
    states = ", ".join(f"{n} {state}" for state, n in s["states"].items()) or "none"
    lines = [f"Watched: {states}."]
    upcoming = s["next_due_in_seconds"]
    soon = f"; next in {duration_text(upcoming)}" if upcoming is not None and upcoming > 0 else ""
    lines.append(f"Due now: {s['due']}{soon}.")
    lines.append(f"Failing: {s['failing']}.")
    for w in s["failing_watches"]:
        lines.append(
            f"  {w['id']}  {w['url']}  {w['last_result']} ×{w['failures']}: {w['last_error']}"
        )
    lines.append(f"Changed in the last 24h: {s['changed']}.")
    for w in s["changed_watches"]:
        lines.append(f"  {w['id']}  {w['article'] or w['url']}  {_plural(w['changes'], 'change')}")
    if s["hosts"]:
        headers = ["host", "watched", "due", "failing", "changed", "fetching"]
        lines.append(format_table(headers, [[h[k] for k in headers] for h in s["hosts"]]).rstrip())
    return "\n".join(lines)


def watch_history_text(watch: Row, events: Sequence[Row]) -> str:
    lines = [f"watch {watch['id']} ({watch['kind']}, {watch['state']}): {watch['url']}"]
    for e in events:
        bits = [minutes(e["at"]), e["action"]]
        if e["action"] == "fetch":
            bits += [str(e.get("status") or "-"), str(e.get("result", ""))]
            if e.get("revision"):
                bits.append(f"v{e['revision']}")
            if e.get("why"):
                bits.append(f"({e['why']})")
            bits.append(f"{e.get('bytes', 0)} B, {e.get('ms', 0):.0f} ms")
            if e.get("conditional"):
                bits.append("conditional")
        lines.append("  " + "  ".join(bits))
    return "\n".join(lines)


def seen_line(item: Row) -> str | None:
    """A fetch worth a line of progress (a revision, a feed's new entries, a failure)."""
    result = item["result"]
    if result in ("new", "revert"):
        notes = f"  {_plural(item['notes'], 'note')}" if item["notes"] else ""
        revert = "  (revert)" if result == "revert" else ""
        words = (
            "new"
            if item["revision"] == 1
            else f"+{item['words_added']} −{item['words_removed']} words"
        )
        return f"{item['article']}  v{item['revision']}  {words}{notes}{revert}  {item['url']}"
    if result == "entries":
        return f"{item['kind']}  {item['url']}  {item['added']} new" if item["added"] else None
    if result in ("failed", "skipped", "robots"):
        label = "blocked" if result == "robots" else result
        return f"{label}  {item['url']}  {item['reason']}: {item['error']}"
    return None


def pass_line(p: Row, label: str) -> str:
    revisions = _plural(p["revisions"], "new revision")
    if p["notes"]:
        revisions += f" ({_plural(p['notes'], 'note')})"
    unchanged = f"{p['unchanged']} unchanged"
    if p["not_modified"]:
        unchanged += f" ({p['not_modified']} not modified)"
    parts = [revisions, unchanged]
    if p["feeds"]:
        parts.append(f"{_plural(p['feeds'], 'feed')} read")
    if p["added"]:
        parts.append(_plural(p["added"], "new watch", "new watches"))
    if p["skipped"]:
        parts.append(f"{p['skipped']} skipped")
    if p["failed"]:
        parts.append(f"{p['failed']} failed")
    return f"{label}: fetched {p['fetched']} in {p['seconds']:.1f} s: " + ", ".join(parts) + "."
