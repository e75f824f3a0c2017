"""`diff -u` output, byte for byte what `patch` and code-review tools read.

Lines are the text's own ``\\n``-separated lines (in news text usually whole paragraphs). The
file names are ``ARTICLE@LABEL`` and the timestamp after the tab is the capture time, as
`diff -u` prints a file's modification time. A last line without a newline gets GNU diff's
``\\ No newline at end of file`` marker, which difflib omits and `patch` needs.
"""

from __future__ import annotations

from revtrack.diff.model import Diff
from revtrack.errors import RevtrackError
from revtrack.render.header import DiffHeader, RevisionInfo
from revtrack.render.lines import grouped_opcodes, line_opcodes

NO_NEWLINE = "\\ No newline at end of file\n"


def _file_line(mark: str, article: str, rev: RevisionInfo) -> str:
    name = f"{article}@{rev.label}"
    return f"{mark} {name}\t{rev.captured_at}\n" if rev.captured_at else f"{mark} {name}\n"


def _range(start: int, stop: int) -> str:
    """A hunk range as `diff -u` writes it (difflib's ``_format_range_unified``)."""
    beginning, length = start + 1, stop - start
    if length == 1:
        return str(beginning)
    if not length:
        beginning -= 1
    return f"{beginning},{length}"


def _emit(prefix: str, line: str) -> str:
    return prefix + line if line.endswith("\n") else prefix + line + "\n" + NO_NEWLINE


def render_unified(diff: Diff, header: DiffHeader, context_lines: int = 3) -> str:
    """The changes as a unified diff with ``context_lines`` of context; ``""`` when none."""
    if context_lines < 0:
        raise RevtrackError(f"context lines must be 0 or more, got {context_lines}")
    a_lines, b_lines, ops = line_opcodes(diff)
    groups = grouped_opcodes(ops, context_lines)
    if not groups:
        return ""
    out = [_file_line("---", header.article, header.a), _file_line("+++", header.article, header.b)]
    for group in groups:
        first, last = group[0], group[-1]
        out.append(f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out.extend(_emit(" ", line) for line in a_lines[i1:i2])
                continue
            out.extend(_emit("-", line) for line in a_lines[i1:i2])
            out.extend(_emit("+", line) for line in b_lines[j1:j2])
    return "".join(out)
