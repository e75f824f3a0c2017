"""Importers of archives people already have: git histories, WARC files, the Wayback
Machine's captures and the databases of NewsDiffs, diffengine and NewsEdits (see
:mod:`revtrack.service.importers.base` for what they share).

Each is imported only when asked for: pygit2 and warcio load only for their own archives, and
an installation without them says which extra to install.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from typing import Any

from revtrack.errors import InvalidInput

KINDS = ("git", "warc", "newsdiffs", "diffengine", "newsedits")

_NEEDS = {"git": "pygit2", "warc": "warcio", "newsdiffs": "pygit2"}


def open_archive(kind: str, paths: Sequence[str], **options: Any) -> Any:
    """The importer of ``kind`` over ``paths`` (see each module for what they are)."""
    if kind not in KINDS:
        raise InvalidInput(f"Unknown archive kind {kind!r}.", f"Use one of: {', '.join(KINDS)}.")
    needed = _NEEDS.get(kind)
    if needed and importlib.util.find_spec(needed) is None:
        raise InvalidInput(
            f"Importing from {kind} needs the {needed} package, which is not installed.",
            "Install revtrack with its archives extra: pip install 'revtrack[archives]'.",
        )
    if not paths:
        raise InvalidInput(f"--from {kind} needs a path to read.")
    if options.get("timezone") and kind in ("git", "warc"):
        raise InvalidInput("--timezone is for the database importers only.")
    branch = options.get("branch")
    if branch and kind != "git":
        raise InvalidInput("--branch is for --from git only.")
    if kind == "git":
        from revtrack.service.importers.git import GitArchive

        return GitArchive(paths[0], tuple(paths[1:]), branch)
    if kind == "warc":
        from revtrack.service.importers.warc import WarcArchive

        return WarcArchive(tuple(paths))
    if len(paths) > 1:
        raise InvalidInput(f"--from {kind} reads one database at a time; {len(paths)} given.")
    from revtrack.service.importers.databases import open_database

    return open_database(kind, paths[0], timezone=options.get("timezone"))
