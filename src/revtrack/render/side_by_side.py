"""Two columns, older text left and newer right, like `diff -y` but wrapped to the terminal.

News paragraphs are single long lines, so `diff -y`'s truncation would hide most of a change;
here each line is wrapped to its column instead, and the gutter mark (``|`` changed, ``<``
only in the older text, ``>`` only in the newer) is repeated on every row it spans so a
`grep '|'` still finds every changed row. The wrapper is our own rather than
:mod:`textwrap` because it must report where each row starts in the line, to colour the exact
words that changed; it counts wide East Asian characters as two columns.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from revtrack.diff.model import Diff
from revtrack.errors import RevtrackError
from revtrack.render import ansi
from revtrack.render.header import DiffHeader
from revtrack.render.lines import line_opcodes, line_starts
from revtrack.render.pieces import Piece, pieces
from revtrack.render.table import display_width

MIN_WIDTH = 20
GUTTER = 3  # " | "

Span = tuple[int, int, str]  # start, end, ANSI code
Highlights = tuple[list[Span], list[int]]  # spans sorted by start, and their starts
_CONTROLS = {c: " " for c in [*range(32), 0x7F]}
_NARROW_BELOW = "\u0300"  # below the first combining mark every character is one column


def wrap_spans(line: str, width: int) -> list[tuple[int, int]]:
    """Rows of at most ``width`` columns, as ``(start, end)`` offsets into ``line``.

    Breaks after a space where it can, inside a word only when the word alone is too wide.
    The spaces at a break stay at the end of the row they follow (and are trimmed when drawn).
    """
    rows: list[tuple[int, int]] = []
    start, n = 0, len(line)
    narrow = not line or max(line) < _NARROW_BELOW
    while start < n:
        if narrow:
            # Every character is one column: find the break with str methods, not a loop.
            end = min(start + width, n)
            if end < n:
                if line[end] == " ":
                    while end < n and line[end] == " ":
                        end += 1
                else:
                    space = line.rfind(" ", start, end)
                    if space > start:
                        end = space + 1
            rows.append((start, end))
            start = end
            continue
        cols, end, last_space = 0, start, -1
        while end < n:
            w = 1 if line[end] < _NARROW_BELOW else display_width(line[end])
            if cols + w > width:
                break
            if line[end] == " ":
                last_space = end
            cols += w
            end += 1
        if end < n:
            if line[end] == " ":
                while end < n and line[end] == " ":
                    end += 1
            elif last_space > start:
                end = last_space + 1
            end = max(end, start + 1)
        rows.append((start, end))
        start = end
    return rows or [(0, 0)]


def _visible(line: str) -> str:
    """The line as drawn: no line end, every tab or control character shown as one space."""
    return line.rstrip("\n").translate(_CONTROLS)


def _code(p: Piece) -> str:
    if p.move is not None:
        return ansi.MOVE
    if p.op == "delete":
        return ansi.COSMETIC_DELETE if p.quiet else ansi.DELETE
    return ansi.COSMETIC_INSERT if p.quiet else ansi.INSERT


def _highlights(items: Sequence[Piece], side: str) -> Highlights:
    op = "delete" if side == "a" else "insert"
    spans = [
        (p.a_start, p.a_end, _code(p)) if side == "a" else (p.b_start, p.b_end, _code(p))
        for p in items
        if p.op == op
    ]
    return spans, [start for start, _, _ in spans]


def _draw_row(text: str, start: int, end: int, offset: int, highlights: Highlights) -> str:
    """``text[start:end]`` with the spans (absolute offsets, line at ``offset``) coloured."""
    out: list[str] = []
    pos = start
    spans, starts = highlights
    k = max(bisect_right(starts, offset + start) - 1, 0)
    for idx in range(k, len(spans)):
        s, e, code = spans[idx]
        s, e = max(s - offset, start), min(e - offset, end)
        if s >= end:
            break
        if e <= s:
            continue
        out.append(text[pos:s])
        out.append(code + text[s:e] + ansi.RESET)
        pos = e
    out.append(text[pos:end])
    return "".join(out)


def _cell(rows: list[str], plain: list[str], width: int, pad: bool) -> list[str]:
    return [
        r + " " * (width - display_width(p)) if pad else r for r, p in zip(rows, plain, strict=True)
    ]


def _column(
    line: str | None, offset: int, width: int, spans: Highlights | None
) -> tuple[list[str], list[str]]:
    """The wrapped rows of one side, drawn (coloured when ``spans`` given) and plain."""
    if line is None:
        return [], []
    text = _visible(line)
    drawn, plain = [], []
    for s, e in wrap_spans(text, width):
        while e > s and text[e - 1] == " ":
            e -= 1
        plain.append(text[s:e])
        drawn.append(_draw_row(text, s, e, offset, spans) if spans is not None else text[s:e])
    return drawn, plain


def render_side_by_side(
    diff: Diff, header: DiffHeader, width: int = 80, color: bool = False
) -> str:
    """Both texts in columns fitted to ``width`` terminal columns (no row is wider)."""
    if width < MIN_WIDTH:
        raise RevtrackError(
            f"side-by-side needs a width of at least {MIN_WIDTH} columns, got {width}",
            f"Give --width {MIN_WIDTH} or more, or use --format inline.",
        )
    col = (width - GUTTER) // 2
    a_lines, b_lines, ops = line_opcodes(diff)
    a_starts = line_starts(a_lines)
    b_starts = line_starts(b_lines)
    items = pieces(diff) if color else []
    a_spans = _highlights(items, "a") if color else None
    b_spans = _highlights(items, "b") if color else None

    def head(text: str) -> str:
        return text if display_width(text) <= col else text[: col - 1] + "…"

    left = head(f"{header.article} {header.a.describe()}")
    right = head(f"{header.article} {header.b.describe()}")
    out = [
        left + " " * (col - display_width(left) + GUTTER) + right,
        "=" * col + " " * GUTTER + "=" * col,
    ]
    for tag, i1, i2, j1, j2 in ops:
        count = max(i2 - i1, j2 - j1)
        for k in range(count):
            i, j = i1 + k, j1 + k
            a_line = a_lines[i] if i < i2 else None
            b_line = b_lines[j] if j < j2 else None
            mark = (
                " "
                if tag == "equal"
                else "|"
                if a_line is not None and b_line is not None
                else "<"
                if b_line is None
                else ">"
            )
            l_drawn, l_plain = _column(
                a_line,
                a_starts[i] if a_line is not None else 0,
                col,
                a_spans if tag != "equal" else None,
            )
            r_drawn, _ = _column(
                b_line,
                b_starts[j] if b_line is not None else 0,
                col,
                b_spans if tag != "equal" else None,
            )
            rows = max(len(l_drawn), len(r_drawn))
            l_cells = _cell(l_drawn, l_plain, col, True) + [" " * col] * (rows - len(l_drawn))
            r_cells = r_drawn + [""] * (rows - len(r_drawn))
            for lc, rc in zip(l_cells, r_cells, strict=True):
                out.append(f"{lc} {mark} {rc}".rstrip(" "))
    return "\n".join(out) + "\n"
