"""One standalone HTML page for a diff: inline and side-by-side views, the changes, a legend.

The page must open from a file, an e-mail attachment or an archive years later, so it has no
external assets and no script: the two views are switched by a pair of radio buttons and CSS
(``:checked ~``), which also keeps it safe to open in a locked-down browser. Every piece of
text from the article goes through :func:`html.escape`; nothing from the article is ever
placed in a tag, attribute name or style. Kinds get a labelled badge after each change, in
the same colours as the legend, so a reader can scan for numbers, names and quotes.
"""

from __future__ import annotations

import html
from bisect import bisect_right
from collections.abc import Sequence

from revtrack.diff.model import COSMETIC, MINOR, MINOR_KINDS, SUBSTANTIVE_KINDS, Diff, Hunk
from revtrack.render.header import DiffHeader, RevisionInfo
from revtrack.render.inline import excerpt
from revtrack.render.lines import line_opcodes, line_starts
from revtrack.render.pieces import Piece, pieces

KIND_HELP: dict[str, str] = {
    "number": "a figure changed",
    "date": "a date or time changed",
    "name": "a person, place or organisation changed",
    "quote": "words inside quotation marks changed",
    "negation": "a statement was negated or un-negated",
    "headline": "the headline changed",
    "sentence-added": "a whole sentence was added",
    "sentence-removed": "a whole sentence was removed",
    "wording": "other rewording",
    COSMETIC: "spacing, punctuation or typography only",
    MINOR: "words changed, nothing new for a reader",
    "typo": "a typo or misspelling fixed",
    "grammar": "grammar: agreement or a small word",
    "style": "the same thing in another style",
    "rewording": "same meaning, other words",
    "reorder": "reordered or renumbered",
    "placeholder": "a placeholder filled in",
    "moved": "a passage moved elsewhere in the text",
}
_HIGH_SIGNAL = {"number", "date", "name", "quote", "negation", "headline"}

_CSS = """
:root{--ink:#1d1d1f;--muted:#5f6368;--rule:#e3e3e0;--paper:#fff;--bg:#f6f5f1;
--ins:#e3f5e1;--ins-ink:#12602a;--del:#fde7e7;--del-ink:#a3161a;--move:#ece6fb;--move-ink:#5b3aa6;
--hi:#fff1c9;--hi-ink:#7a4b00;--sent:#e4eefc;--sent-ink:#1f4f99}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);
font:16px/1.55 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
.page{max-width:1180px;margin:0 auto;padding:28px 24px 48px}
.kicker{margin:0;color:var(--muted);font-size:13px;letter-spacing:.06em;text-transform:uppercase}
h1{font:700 30px/1.2 Georgia,"Times New Roman",serif;margin:6px 0 10px}
h2{font-size:13px;letter-spacing:.06em;text-transform:uppercase;color:var(--muted);
margin:28px 0 10px}
.revs{margin:0 0 6px;color:var(--muted);font-size:14px}
.rev{display:inline-block;padding:0 7px;border-radius:4px;background:var(--ink);color:#fff;
font-weight:600;font-size:13px}
.was{margin:4px 0 0;font-size:14px;color:var(--muted)}
.stats{display:flex;flex-wrap:wrap;gap:8px 18px;list-style:none;padding:12px 0;margin:12px 0 0;
border-top:1px solid var(--rule);border-bottom:1px solid var(--rule);font-size:14px}
.stats b{font-variant-numeric:tabular-nums}
.plus{color:var(--ins-ink)}.minus{color:var(--del-ink)}
.legend{display:flex;flex-wrap:wrap;gap:6px 14px;font-size:13px;color:var(--muted);margin:12px 0 0;
padding:0;list-style:none}
.kinds summary{cursor:pointer;font-size:13px;color:var(--muted);margin-top:8px}
.tab-input{position:absolute;opacity:0;pointer-events:none}
.tabs{display:flex;gap:4px;margin:22px 0 0;border-bottom:1px solid var(--rule)}
.tabs label{padding:8px 16px;cursor:pointer;font-size:14px;font-weight:600;color:var(--muted);
border:1px solid transparent;border-bottom:none;border-radius:6px 6px 0 0;margin-bottom:-1px}
#view-inline:checked~.tabs label[for=view-inline],#view-sbs:checked~.tabs label[for=view-sbs]{
background:var(--paper);color:var(--ink);border-color:var(--rule)}
.view{background:var(--paper);border:1px solid var(--rule);border-top:none;padding:28px 32px}
.sbs{display:none;padding:0}
#view-sbs:checked~main .inline{display:none}
#view-sbs:checked~main .sbs{display:block}
.text{max-width:44em;margin:0 auto;white-space:pre-wrap;overflow-wrap:anywhere;
font:18px/1.65 Georgia,"Times New Roman",serif}
ins,del{text-decoration:none;border-radius:3px;padding:0 1px}
ins{background:var(--ins);color:var(--ins-ink);box-shadow:inset 0 -2px 0 #9fd6a4}
del{background:var(--del);color:var(--del-ink);text-decoration:line-through;
text-decoration-color:rgba(163,22,26,.55)}
ins.cosmetic,del.cosmetic{background:none;box-shadow:none;border-bottom:1px dotted currentColor}
ins.minor,del.minor{opacity:.7;box-shadow:none}
ins.move-to,del.move-from{background:var(--move);color:var(--move-ink);box-shadow:none}
del.move-from{opacity:.8}
.badge{display:inline-block;margin:0 2px 0 3px;padding:0 5px;border-radius:9px;
font:600 10.5px/1.6 -apple-system,"Segoe UI",Roboto,Arial,sans-serif;letter-spacing:.02em;
vertical-align:2px;white-space:nowrap;text-decoration:none;background:#eceae4;color:#55524a}
.badge.hi{background:var(--hi);color:var(--hi-ink)}
.badge.sent{background:var(--sent);color:var(--sent-ink)}
.badge.moved{background:var(--move);color:var(--move-ink)}
.badge.cosmetic{background:#f1f1ef;color:#8a877f}
.badge.minor{background:#f3f0e6;color:#6f6a5b}
.swatch{display:inline-block;padding:0 6px;border-radius:3px}
table.sbs-table{width:100%;border-collapse:collapse;table-layout:fixed;font-size:14.5px;line-height:1.5}
.sbs-table col.ln{width:3.2em}
.sbs-table th{font-size:13px;text-align:left;padding:10px 12px;border-bottom:1px solid var(--rule);
color:var(--muted)}
.sbs-table td{vertical-align:top;padding:3px 12px;white-space:pre-wrap;overflow-wrap:anywhere}
.sbs-table td.ln{color:#a09d95;text-align:right;font:12px/1.9 ui-monospace,Menlo,Consolas,monospace;
padding-right:6px;user-select:none}
.sbs-table tr.chg td.a{background:#fff6f6}.sbs-table tr.chg td.b{background:#f5fbf4}
.sbs-table tr.chg td.a:empty,.sbs-table tr.chg td.b:empty{background:#fafaf8}
.sbs-table td.b{border-left:1px solid var(--rule)}
.changes{list-style:none;padding:0;margin:0;background:var(--paper);border:1px solid var(--rule)}
.changes li{padding:10px 16px;border-top:1px solid var(--rule);font-size:15px}
.changes li:first-child{border-top:none}
.changes .n{display:inline-block;min-width:2.2em;color:var(--muted);
font-variant-numeric:tabular-nums}
.changes .arrow{color:var(--muted);margin:0 6px}
.empty{color:var(--muted);font-style:italic}
footer{margin-top:28px;color:var(--muted);font-size:12px}
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _badge_class(kind: str) -> str:
    if kind in _HIGH_SIGNAL:
        return "badge hi"
    if kind.startswith("sentence-"):
        return "badge sent"
    if kind in (COSMETIC, "moved", MINOR):
        return f"badge {kind}"
    if kind in MINOR_KINDS:
        return "badge minor"
    return "badge"


def _badges(hunk: Hunk) -> str:
    if hunk.op == "move":
        # An exact move is classed cosmetic; "moved" already says all there is to say.
        kinds = ["moved", *(k for k in hunk.kinds if k != COSMETIC)]
    else:
        kinds = list(hunk.kinds) or ["wording"]
    return "".join(
        f'<a class="{_badge_class(k)}" href="#c{hunk.index}" '
        f'title="change {hunk.index}: {_e(KIND_HELP.get(k, k))}">{_e(k)}</a>'
        for k in kinds
    )


def _piece_html(p: Piece) -> str:
    text = _e(p.text)
    if p.op == "equal":
        return text
    cls = "move-from" if p.move == "from" else "move-to" if p.move == "to" else ""
    if not cls and p.cosmetic:
        cls = "cosmetic"
    elif not cls and p.minor:
        cls = "minor"
    attr = f' class="{cls}"' if cls else ""
    if p.move == "to" and p.hunk is not None:
        attr += f' id="m{p.hunk.index}"'
    tag = "del" if p.op == "delete" else "ins"
    return f"<{tag}{attr}>{text}</{tag}>"


def _inline_view(items: Sequence[Piece]) -> str:
    out: list[str] = []
    for k, p in enumerate(items):
        out.append(_piece_html(p))
        nxt = items[k + 1] if k + 1 < len(items) else None
        if p.hunk is not None and p.changed and (nxt is None or nxt.hunk is not p.hunk):
            out.append(_badges(p.hunk))
    return "".join(out)


def _marked(
    text: str, offset: int, spans: Sequence[tuple[int, int, str]], starts: list[int]
) -> str:
    """One line of text, escaped, with the spans (absolute offsets) wrapped in their tags."""
    out: list[str] = []
    pos = 0
    end = len(text)
    for idx in range(max(bisect_right(starts, offset) - 1, 0), len(spans)):
        s, e, tag = spans[idx]
        if s - offset >= end:
            break
        s, e = max(s - offset, pos), min(e - offset, end)
        if e <= s:
            continue
        out.append(_e(text[pos:s]))
        out.append(tag.replace("{}", _e(text[s:e])))
        pos = e
    out.append(_e(text[pos:]))
    return "".join(out)


def _spans(items: Sequence[Piece], op: str, side: str) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    for p in items:
        if p.op != op:
            continue
        html_piece = _piece_html(Piece(p.op, "\x00", 0, 0, 0, 0, p.hunk, p.move))
        template = html_piece.replace("\x00", "{}").replace(' id="m', ' data-m="')
        start, end = (p.a_start, p.a_end) if side == "a" else (p.b_start, p.b_end)
        spans.append((start, end, template))
    return spans


def _sbs_view(diff: Diff, header: DiffHeader, items: Sequence[Piece]) -> str:
    a_lines, b_lines, ops = line_opcodes(diff)
    a_starts, b_starts = line_starts(a_lines), line_starts(b_lines)
    a_spans, b_spans = _spans(items, "delete", "a"), _spans(items, "insert", "b")
    a_marks, b_marks = [s for s, _, _ in a_spans], [s for s, _, _ in b_spans]
    rows = [
        '<table class="sbs-table"><colgroup><col class="ln"><col><col class="ln"><col></colgroup>',
        f"<thead><tr><th></th><th>{_e(header.a.describe())}</th><th></th>"
        f"<th>{_e(header.b.describe())}</th></tr></thead><tbody>",
    ]
    for tag, i1, i2, j1, j2 in ops:
        for k in range(max(i2 - i1, j2 - j1)):
            i, j = i1 + k, j1 + k
            cells = []
            for idx, stop, lines, starts, spans, marks, side in (
                (i, i2, a_lines, a_starts, a_spans, a_marks, "a"),
                (j, j2, b_lines, b_starts, b_spans, b_marks, "b"),
            ):
                if idx >= stop:
                    cells.append(f'<td class="ln"></td><td class="{side}"></td>')
                    continue
                line = lines[idx].rstrip("\n")
                body = _e(line) if tag == "equal" else _marked(line, starts[idx], spans, marks)
                cells.append(f'<td class="ln">{idx + 1}</td><td class="{side}">{body}</td>')
            cls = "" if tag == "equal" else ' class="chg"'
            rows.append(f"<tr{cls}>{''.join(cells)}</tr>")
    rows.append("</tbody></table>")
    return "\n".join(rows)


def _changes(diff: Diff) -> str:
    if not diff.hunks:
        return '<p class="empty">No changes.</p>'
    out = ['<ol class="changes">']
    for h in diff.hunks:
        old = f"<del>{_e(excerpt(h.old, 240))}</del>" if h.old.strip() else ""
        new = f"<ins>{_e(excerpt(h.new, 240))}</ins>" if h.new.strip() else ""
        arrow = '<span class="arrow">→</span>' if old and new else ""
        if h.op == "move":
            where = f'<a href="#m{h.index}">moved</a>'
            body = f'{where} <ins class="move-to">{_e(excerpt(h.new or h.old, 240))}</ins>'
        else:
            body = f"{old}{arrow}{new}" or '<span class="empty">whitespace</span>'
        out.append(f'<li id="c{h.index}"><span class="n">{h.index}</span>{_badges(h)} {body}</li>')
    out.append("</ol>")
    return "\n".join(out)


def _legend() -> str:
    swatches = [
        '<li><ins class="swatch">inserted</ins></li>',
        '<li><del class="swatch">deleted</del></li>',
        '<li><ins class="swatch move-to">moved</ins></li>',
        '<li><ins class="swatch minor">minor</ins></li>',
        '<li><ins class="swatch cosmetic">cosmetic</ins></li>',
    ]
    kinds = [
        f'<li><span class="{_badge_class(k)}">{_e(k)}</span> {_e(KIND_HELP[k])}</li>'
        for k in (*SUBSTANTIVE_KINDS, MINOR, COSMETIC, "moved")
    ]
    return (
        f'<ul class="legend">{"".join(swatches)}</ul>'
        f'<details class="kinds" open><summary>What the labels mean</summary>'
        f'<ul class="legend">{"".join(kinds)}</ul></details>'
    )


def _rev(rev: RevisionInfo) -> str:
    when = f" captured {_e(rev.captured_at)}" if rev.captured_at else ""
    return f'<span class="rev">{_e(rev.label)}</span>{when}'


def _stats(diff: Diff) -> str:
    s = diff.stats
    kinds = ", ".join(f"{_e(k)} {n}" for k, n in sorted(s.hunks_by_kind.items()))
    items = [
        f'<li><b class="plus">+{s.words_added}</b> words</li>',
        f'<li><b class="minus">−{s.words_removed}</b> words</li>',
        f"<li><b>{s.sentences_added}</b> sentences added</li>",
        f"<li><b>{s.sentences_removed}</b> removed</li>",
        f"<li><b>{s.sentences_changed}</b> changed</li>",
        f"<li><b>{len(diff.hunks)}</b> changes{f' ({kinds})' if kinds else ''}</li>",
    ]
    return f'<ul class="stats">{"".join(items)}</ul>'


def render_html(diff: Diff, header: DiffHeader) -> str:
    """The whole page as one string (UTF-8, no external assets, no script)."""
    items = pieces(diff)
    title = header.b.title or header.a.title or header.article
    was = ""
    if header.a.title and header.b.title and header.a.title != header.b.title:
        was = (
            f'<p class="was">Headline in {_e(header.a.label)}: <del>{_e(header.a.title)}</del></p>'
        )
    inline = _inline_view(items) if diff.a or diff.b else ""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="revtrack">
<title>{_e(header.article)} {_e(header.a.label)} → {_e(header.b.label)}: {_e(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<div class="page">
<header>
<p class="kicker">revtrack · {_e(header.article)} · by {_e(diff.by)}</p>
<h1>{_e(title)}</h1>
<p class="revs">{_rev(header.a)} → {_rev(header.b)}</p>
{was}
{_stats(diff)}
{_legend()}
</header>
<input type="radio" name="view" id="view-inline" class="tab-input" checked>
<input type="radio" name="view" id="view-sbs" class="tab-input">
<nav class="tabs"><label for="view-inline">Inline</label>
<label for="view-sbs">Side by side</label></nav>
<main>
<section class="view inline" aria-label="Inline view"><div class="text">{inline}</div></section>
<section class="view sbs" aria-label="Side-by-side view">{_sbs_view(diff, header, items)}</section>
</main>
<h2>Changes</h2>
{_changes(diff)}
<footer>Made by revtrack from {_e(header.article)} {_e(header.a.label)} and
{_e(header.b.label)}.</footer>
</div>
</body>
</html>
"""
