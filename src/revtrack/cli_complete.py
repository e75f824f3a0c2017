"""Shell completion of article keys and revisions, for click's own completion scripts.

Commands, options and choices complete from the command definitions alone; these callbacks
add what only the database knows: article keys (``site_policy/terms``), refs
(``KEY@v3``, ``KEY@latest~1``) and the bare revisions ``diff`` takes after a ref. Each reads
the database the command line names (``--db``, else ``REVTRACK_DATABASE_URL``, else
./revtrack.db) with one statement and no schema check, creates nothing, and offers nothing
rather than fail: a completion must never print a traceback into someone's shell.
"""

from __future__ import annotations

from typing import Any

import click
from click.shell_completion import CompletionItem

LIMIT = 200  # keys offered at most; the shell narrows them as more is typed
NAMED = ("latest", "latest~1", "first")


def _keys(ctx: click.Context, prefix: str) -> list[tuple[str, int]]:
    """Keys starting with ``prefix`` and their revision counts; nothing on any failure."""
    try:
        from revtrack import Revtrack

        rt = Revtrack(ctx.find_root().params.get("db"), check_schema=False)
        try:
            return rt.keys_starting(prefix, LIMIT)
        finally:
            rt.close()
    except Exception:  # no database, a locked one, an old schema: nothing to offer
        return []


def revisions(count: int) -> list[str]:
    """The names of an article's revisions a user may type: the named ones, then v1…vN."""
    named = [n for n in NAMED if count > 1 or n != "latest~1"] if count else []
    return [*named, *(f"v{n}" for n in range(count, 0, -1))]


def article(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """An article key."""
    return [CompletionItem(key) for key, _ in _keys(ctx, incomplete)]


def ref(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """``ARTICLE[@REV]``: keys, then, once a key and ``@`` are typed, its revisions."""
    if "@" in incomplete:
        key, rev = incomplete.rsplit("@", 1)
        found = dict(_keys(ctx, key))
        if key not in found:
            return []
        return [
            CompletionItem(f"{key}@{name}")
            for name in revisions(found[key])
            if name.startswith(rev)
        ]
    return [CompletionItem(key) for key, _ in _keys(ctx, incomplete)]


def rev(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """A bare revision of the article named by the command's ``ref`` argument."""
    # (while an option's value is completed, click leaves the positionals unparsed in args)
    named: Any = ctx.params.get("ref") or ctx.params.get("article") or next(iter(ctx.args), None)
    if not isinstance(named, str) or not named:
        return []
    key = named.rsplit("@", 1)[0] if "@" in named else named
    if "@" in incomplete:  # a full ref of the same article (diff KEY@v1 KEY@v2)
        return ref(ctx, param, incomplete)
    found = dict(_keys(ctx, key))
    if key not in found:
        return []
    return [CompletionItem(n) for n in revisions(found[key]) if n.startswith(incomplete)]
