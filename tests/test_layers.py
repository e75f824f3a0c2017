"""The layers of DESIGN.md, checked on the source: imports only go downward.

cli/web → service → corrections, audit → diff, render → store → text. Only the store imports
SQLAlchemy; only the CLI and the web UI import click or Flask; pure layers import no I/O
libraries at all.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "revtrack"

RANK = {
    "text": 0,
    "store": 1,
    "diff": 2,
    "render": 2,
    "corrections": 3,
    "audit": 3,
    "service": 4,
    "cli": 5,
    "web": 5,
}
PURE = {"text", "diff", "render", "corrections", "audit"}
ALWAYS_OK = {"errors", "records", "__init__", "__main__", "migrations"}


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "revtrack":
        return None
    if len(parts) == 1:
        return "__init__"
    return parts[1].removesuffix(".py")


def imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


FILES = sorted(p for p in SRC.rglob("*.py"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_imports_go_downward(path: Path) -> None:
    rel = path.relative_to(SRC)
    own = rel.parts[0].removesuffix(".py")
    if own in ALWAYS_OK or own not in RANK:
        return
    for name in imports(path):
        target = layer_of(name)
        if name.split(".")[0] in {"sqlalchemy", "alembic"}:
            assert own == "store", f"{rel} imports {name}: only the store knows SQLAlchemy"
        if name.split(".")[0] in {"click", "flask"}:
            assert own in {"cli", "web"}, f"{rel} imports {name}: only cli/web know click/Flask"
        if own in PURE:
            assert name.split(".")[0] not in {"httpx", "trafilatura", "rich", "sqlite3"}, (
                f"{rel} is pure but imports {name}"
            )
        if target is None or target in ALWAYS_OK or target == own:
            continue
        assert RANK[target] <= RANK[own] or (own, target) in {("render", "diff")}, (
            f"{rel} ({own}) imports {name} ({target}), a layer above it"
        )
        if own in PURE:
            assert RANK[target] != RANK["store"], f"{rel} is pure but imports the store"
