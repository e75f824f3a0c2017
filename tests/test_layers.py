"""The layers of DESIGN.md, checked on the source: imports only go downward.

cli/web → shapes → service → corrections, audit → diff, render → store → text. Only the store
imports SQLAlchemy; only the CLI and the web UI import click or Flask; pure layers import no I/O
libraries at all. The faces reach the library only through the facade (``revtrack.Revtrack``),
the shapes, the renderers, the errors and the records.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "revtrack"

RANK = {
    "cli_watch": 5,
    "cli_term": 5,
    "cli_complete": 5,
    "cli_history": 6,
    "cli_serve": 6,
    "text": 0,
    "store": 1,
    "diff": 2,
    "render": 2,
    "corrections": 3,
    "audit": 3,
    "service": 4,
    "shapes": 5,
    "cli": 6,
    "web": 6,
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
            assert own in {
                "cli",
                "cli_history",
                "cli_serve",
                "cli_watch",
                "cli_term",
                "cli_complete",
                "web",
            }, f"{rel} imports {name}: only cli/web know click/Flask"
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


def _imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in it: ``from a.b import c`` names ``a.b`` and,
    if it is one, the module ``a.b.c``."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names |= {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
    return names


def _module_of(path: Path) -> str:
    parts = ["revtrack", *path.relative_to(SRC).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_pure_modules_import_each_other_one_way() -> None:
    """No circle of imports among the modules of the pure layers (a module importing another
    at function level to dodge one counts too): each can be read, and tested, from the
    bottom up."""
    modules = {_module_of(p): p for p in FILES if p.relative_to(SRC).parts[0] in PURE}
    graph = {
        m: {
            n for n in _imported_modules(p) if n in modules and n != m and not m.startswith(f"{n}.")
        }
        for m, p in modules.items()
    }
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        if module in path:
            circle = " -> ".join((*path[path.index(module) :], module))
            pytest.fail(f"import circle: {circle}")
        if module in done:
            return
        for target in sorted(graph[module]):
            visit(target, (*path, module))
        done.add(module)

    for module in sorted(graph):
        visit(module, ())


FACES = sorted(
    p
    for p in FILES
    if p.relative_to(SRC).parts[0]
    in {
        "cli.py",
        "cli_history.py",
        "cli_serve.py",
        "cli_watch.py",
        "cli_term.py",
        "cli_complete.py",
        "web",
    }
)
FACE_MAY_IMPORT = (
    "revtrack.shapes",
    "revtrack.render",
    "revtrack.errors",
    "revtrack.records",
    "revtrack.cli_watch",  # the watching commands, a face of their own that cli.py registers
    "revtrack.cli_history",  # audit … backfill, registered on cli.py's group
    "revtrack.cli_serve",  # serve, registered on cli.py's group
    "revtrack.cli",  # cli_history's commands register on the root group
    "revtrack.cli_term",  # the progress bar and the pager
    "revtrack.cli_complete",  # shell completion's callbacks
)


@pytest.mark.parametrize("path", FACES, ids=lambda p: str(p.relative_to(SRC)))
def test_faces_use_only_the_facade_shapes_render_errors_and_records(path: Path) -> None:
    """No face imports the service's modules or the store, not even for type checking."""
    rel = path.relative_to(SRC)
    for name in imports(path):
        if name.split(".")[0] != "revtrack" or name == "revtrack":  # the facade: revtrack.Revtrack
            continue
        allowed = name in FACE_MAY_IMPORT or name.startswith(("revtrack.render.", "revtrack.web"))
        assert allowed, f"{rel} imports {name}: a face goes through revtrack.Revtrack"
