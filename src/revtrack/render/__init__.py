"""Pure renderers of a :class:`~revtrack.diff.model.Diff`: terminal, unified, side by side,
HTML, JSON and ``--stat``, plus plain tables for listings.

Every renderer takes a diff and a :class:`DiffHeader` and returns a string; none prints,
reads the database or imports click, so the CLI, the web UI and tests share them as they are.
"""

from __future__ import annotations

from revtrack.render.header import DiffHeader, RevisionInfo
from revtrack.render.html import render_html
from revtrack.render.inline import render_inline
from revtrack.render.json_output import SCHEMA, diff_to_dict, render_json
from revtrack.render.side_by_side import render_side_by_side
from revtrack.render.stat import render_stat
from revtrack.render.table import format_table, to_csv, to_json
from revtrack.render.unified import render_unified

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
