"""Pure renderers of a :class:`~revtrack.diff.model.Diff`: terminal, unified, side by side,
HTML, JSON and ``--stat``, plus plain tables and the CLI's listings (:mod:`.listings`).

Every renderer takes a diff and a :class:`DiffHeader` and returns a string; none prints,
reads the database or imports click, so the CLI, the web UI and tests share them as they are.

The names below are loaded on first use, so that a command printing a table (``log``) does not
load the HTML and side-by-side renderers.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from revtrack.render.header import DiffHeader, RevisionInfo
    from revtrack.render.html import render_html
    from revtrack.render.inline import render_inline
    from revtrack.render.json_output import SCHEMA, diff_to_dict, render_json
    from revtrack.render.side_by_side import render_side_by_side
    from revtrack.render.stat import render_stat
    from revtrack.render.table import format_table, to_csv, to_json
    from revtrack.render.unified import render_unified

_WHERE = {
    "SCHEMA": "json_output",
    "DiffHeader": "header",
    "RevisionInfo": "header",
    "diff_to_dict": "json_output",
    "format_table": "table",
    "render_html": "html",
    "render_inline": "inline",
    "render_json": "json_output",
    "render_side_by_side": "side_by_side",
    "render_stat": "stat",
    "render_unified": "unified",
    "to_csv": "table",
    "to_json": "table",
}

__all__ = [
    "SCHEMA",
    "DiffHeader",
    "RevisionInfo",
    "diff_to_dict",
    "format_table",
    "render_html",
    "render_inline",
    "render_json",
    "render_side_by_side",
    "render_stat",
    "render_unified",
    "to_csv",
    "to_json",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(import_module(f"revtrack.render.{_WHERE[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'revtrack.render' has no attribute {name!r}")
