"""The ``--stat`` view: how big a change is, in the words and sentences an editor counts.

Like `git diff --stat`, a bar of ``+`` and ``-`` gives the proportion at a glance (scaled to
at most 40 columns, never hiding a non-zero side), followed by the counts a standards editor
asks first: sentences added, removed, changed, and the changes by kind.
"""

from __future__ import annotations

from revtrack.diff.model import COSMETIC, MINOR, MINOR_KINDS, SUBSTANTIVE_KINDS, Diff
from revtrack.render.header import DiffHeader

BAR = 40


def _bar(added: int, removed: int) -> str:
    total = added + removed
    if total <= BAR:
        return "+" * added + "-" * removed
    plus = round(added * BAR / total)
    if added and plus == 0:
        plus = 1
    if removed and plus == BAR:
        plus = BAR - 1
    return "+" * plus + "-" * (BAR - plus)


def _kind_order(kind: str) -> tuple[int, str]:
    order = (*SUBSTANTIVE_KINDS, MINOR, *MINOR_KINDS, COSMETIC)
    return (order.index(kind) if kind in order else len(order), kind)


def render_stat(diff: Diff, header: DiffHeader) -> str:
    """A four-line summary of the change's size and kinds (see the module docstring)."""
    s = diff.stats
    kinds = ", ".join(
        f"{k} {n}" for k, n in sorted(s.hunks_by_kind.items(), key=lambda kv: _kind_order(kv[0]))
    )
    changes = f"{s.hunks}" + (f" ({kinds})" if kinds else "")
    cosmetic = sum(1 for h in diff.hunks if h.cosmetic)
    minor = sum(1 for h in diff.hunks if h.minor)
    bar = _bar(s.words_added, s.words_removed)
    rows = [
        f"{header.title_line()} (by {diff.by})",
        f" words      +{s.words_added} -{s.words_removed}  {bar}".rstrip(),
        f" sentences  +{s.sentences_added} -{s.sentences_removed} ~{s.sentences_changed}",
        f" changes    {changes}",
    ]
    if diff.hunks:
        substantive = len(diff.hunks) - cosmetic - minor
        rows.append(f" {substantive} substantive, {minor} minor, {cosmetic} cosmetic")
    else:
        rows.append(" no changes")
    return "\n".join(rows) + "\n"
