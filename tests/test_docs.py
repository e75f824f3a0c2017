"""Every command has help with an example and is in the README; CI runs the README's tests."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from revtrack.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def all_commands(group: click.Group = cli, prefix: str = "") -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    for name, command in sorted(group.commands.items()):
        full = f"{prefix}{name}"
        if isinstance(command, click.Group):
            found += all_commands(command, full + " ")
        else:
            found.append((full, command))
    return found


@pytest.mark.parametrize(("name", "command"), all_commands(), ids=lambda v: str(v))
def test_every_command_has_help_with_an_example(name: str, command: click.Command) -> None:
    result = CliRunner().invoke(cli, [*name.split(), "--help"])
    assert result.exit_code == 0
    assert command.help and len(command.help.strip()) > 20
    if name not in {"db current", "db upgrade"}:
        assert "Example" in command.help, f"`revtrack {name} --help` shows no example"


@pytest.mark.parametrize("name", [n for n, _ in all_commands()])
def test_every_command_is_in_the_readme(name: str) -> None:
    assert f"revtrack {name}" in README, f"`revtrack {name}` is missing from README.md"


def _blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)\n```", README, re.S)


def test_readme_starts_with_the_two_commands_and_ci_runs_the_second() -> None:
    example, tests = _blocks()[:2]
    assert "examples/ferry/v1.txt" in example and "revtrack" in example
    assert "pytest" in tests
    ci = (ROOT / ".ci" / "run").read_text()
    assert tests.strip() in ci.splitlines()


def test_the_example_the_readme_runs_is_in_the_repository() -> None:
    for n in (1, 2, 3):
        assert (ROOT / "examples" / "ferry" / f"v{n}.txt").stat().st_size > 0
