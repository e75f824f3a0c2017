"""Plain ANSI styling for terminal output, without click or rich.

Renderers are pure and return strings; whether to colour is the caller's decision (the CLI
turns colour off when piped). Styles are applied line by line and reset before every newline
so a pager, `less -R` or a `grep` of the output never sees a colour bleed across lines.
"""

from __future__ import annotations

import re

RESET = "\x1b[0m"
INSERT = "\x1b[32m"  # green
DELETE = "\x1b[31m"  # red
MOVE = "\x1b[36m"  # cyan
MOVE_FROM = "\x1b[2;36m"  # dim cyan: the pointer left where a moved passage was
COSMETIC_INSERT = "\x1b[2;32m"  # dim green: a change a reader cannot really see
COSMETIC_DELETE = "\x1b[2;31m"
BOLD = "\x1b[1m"
DIM = "\x1b[2m"

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def style(text: str, code: str) -> str:
    """``text`` wrapped in ``code`` and a reset on every line; empty lines stay empty."""
    return "\n".join(code + part + RESET if part else part for part in text.split("\n"))


def strip_ansi(text: str) -> str:
    """``text`` without colour codes: what the user actually reads."""
    return _ANSI.sub("", text)
