"""The command line starts light: ``import revtrack.cli`` and ``revtrack --help`` load click
and nothing heavy. Structural, not timed: it lists what is imported, in a fresh interpreter.

Each command imports what it needs when it runs (the facade, the store, the diff engine, the
renderers), so ``--help``, ``--version`` and a mistyped command cost an interpreter and click.
"""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys
from pathlib import Path

import pytest

import revtrack

HEAVY = (
    "sqlalchemy",
    "alembic",
    "flask",
    "werkzeug",
    "trafilatura",
    "diff_match_patch",
    "fast_diff_match_patch",
    "rich",
    "httpx",
    "zstandard",
    "revtrack.store",
    "revtrack.service",
    "revtrack.diff",
    "revtrack.corrections",
    "revtrack.audit",
    "revtrack.web",
)

PROBE = """
import json, sys
import revtrack.cli
loaded = {"import": sorted(sys.modules)}
for args in ARGS:
    try:
        revtrack.cli.cli.main(args, prog_name="revtrack")
    except SystemExit:
        pass
    loaded[" ".join(args)] = sorted(sys.modules)
print("\\nMODULES " + json.dumps(loaded))
"""


def heavy(modules: list[str]) -> list[str]:
    return [m for m in modules if m in HEAVY or m.startswith(tuple(h + "." for h in HEAVY))]


@pytest.mark.slow
def test_import_and_help_load_nothing_heavy() -> None:
    args = [["--help"], ["--version"], ["diff", "--help"], ["log", "--help"], ["nope"]]
    probe = PROBE.replace("ARGS", repr(args))
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    loaded = json.loads(out.rsplit("\nMODULES ", 1)[1])
    assert set(loaded) == {"import", *(" ".join(a) for a in args)}
    for when, modules in loaded.items():
        assert heavy(modules) == [], f"after {when}"
        assert "click" in modules


def test_the_version_is_the_installed_one() -> None:
    """``--version`` prints revtrack.__version__ (no metadata look-up): it must not drift."""
    assert revtrack.__version__ == importlib.metadata.version("revtrack")


def test_every_renderer_the_render_package_names_loads() -> None:
    """revtrack.render loads its renderers on first use; each name it lists must resolve."""
    from revtrack import render

    for name in render.__all__:
        assert getattr(render, name) is not None, name
    with pytest.raises(AttributeError):
        render.nothing_of_the_kind  # noqa: B018


def test_version_names_the_diff_engine() -> None:
    from click.testing import CliRunner

    from revtrack.cli import cli

    result = CliRunner().invoke(cli, ["--version"], prog_name="revtrack")
    assert result.output == (
        f"revtrack, version {revtrack.__version__}, diff engine: C++ (fast-diff-match-patch)\n"
    )


def test_the_pure_engine_is_named_when_the_fast_one_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib.util

    from revtrack import cli as cli_module

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "fast_diff_match_patch" else real(name, *a),
    )
    assert cli_module.engine_name() == "pure Python (install fast-diff-match-patch for speed)"


def test_the_corrections_package_loads_its_parts_on_first_use() -> None:
    """revtrack.corrections names its detector and linker lazily; each name must resolve,
    and a module that only wants the value types does not compile the detector's patterns."""
    probe = (
        "import sys, revtrack.corrections.model, revtrack.service.corrections\n"
        "print('revtrack.corrections.detect' in sys.modules)\n"
        "import revtrack.corrections as c\n"
        "print(all(getattr(c, n) is not None for n in c.__all__))\n"
        "print('revtrack.corrections.detect' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["False", "True", "True"]


@pytest.mark.slow
def test_listing_corrections_and_verifying_do_not_load_the_detector(tmp_path: Path) -> None:
    """`corrections KEY` and `verify` read stored notes and hashes: they detect nothing, and
    the detector's patterns were a third of their start-up."""
    from revtrack import Revtrack

    db = str(tmp_path / "story.db")
    story = "Ferry route approved\n\nThe council voted 5-2 on Tuesday.\n"
    with Revtrack(db, create=True) as rt:
        rt.ingest_text(story, article="ferry", at="2024-02-01T10:00:00")
        fixed = (
            story.replace("5-2", "6-1") + "\nCorrection: An earlier version misstated the vote.\n"
        )
        rt.ingest_text(fixed, article="ferry", at="2024-02-01T11:00:00")
    for command in (["corrections", "ferry"], ["verify"]):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "revtrack", "--db", db, *command],
            capture_output=True,
            text=True,
            check=True,
        )
        assert done.stdout.strip()
        imported = [line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()]
        assert "revtrack.store" in imported, command
        assert "revtrack.corrections.detect" not in imported, command
