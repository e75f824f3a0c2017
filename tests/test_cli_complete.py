"""Shell completion: commands and options from click, keys and revisions from the database,
and nothing (never a traceback, never a new database) when there is no database to read."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from click.testing import CliRunner

from revtrack.cli import cli


def complete(runner: CliRunner, line: str, db: str | None = None) -> list[str]:
    """What bash's completion would offer for the last word of ``line`` (empty: a new word)."""
    words = ["revtrack", *(["--db", db] if db else []), *line.split()]
    if line.endswith(" ") or not line:
        words.append("")
    env = {
        "_REVTRACK_COMPLETE": "bash_complete",
        "COMP_WORDS": " ".join(words),
        "COMP_CWORD": str(len(words) - 1),
    }
    result = runner.invoke(cli, [], env=env, prog_name="revtrack")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return [item.split(",", 1)[1] for item in result.stdout.splitlines() if item]


@pytest.fixture
def stories(runner: CliRunner, example: Path) -> CliRunner:
    ferry = [str(example / f"v{n}.txt") for n in (1, 2, 3)]
    assert runner.invoke(cli, ["ingest", *ferry, "--article", "ferry"]).exit_code == 0
    assert runner.invoke(cli, ["ingest", ferry[0], "--article", "ferry-fares"]).exit_code == 0
    assert runner.invoke(cli, ["ingest", ferry[0], "--article", "harbour_100"]).exit_code == 0
    return runner


def test_commands_and_options_complete(runner: CliRunner) -> None:
    assert complete(runner, "lo") == ["log"]
    assert "--format" in complete(runner, "diff --f")
    assert complete(runner, "diff ferry --by s") == ["sentence"]
    assert "--no-pager" in complete(runner, "--no")


def test_article_keys_complete_from_the_database(stories: CliRunner) -> None:
    assert complete(stories, "log fe") == ["ferry", "ferry-fares"]
    assert complete(stories, "log ferry-") == ["ferry-fares"]
    assert complete(stories, "corrections ") == ["ferry", "ferry-fares", "harbour_100"]
    assert complete(stories, "audit harbour_1") == ["harbour_100"]
    assert complete(stories, "log ferry_") == [], "an _ in the prefix is no wildcard"


def test_refs_and_revisions_complete(stories: CliRunner) -> None:
    assert complete(stories, "show ferry@") == [
        "ferry@latest",
        "ferry@latest~1",
        "ferry@first",
        "ferry@v3",
        "ferry@v2",
        "ferry@v1",
    ]
    assert complete(stories, "blame ferry@v") == ["ferry@v3", "ferry@v2", "ferry@v1"]
    assert complete(stories, "show ferry-fares@") == [
        "ferry-fares@latest",
        "ferry-fares@first",
        "ferry-fares@v1",
    ]
    assert complete(stories, "diff ferry v") == ["v3", "v2", "v1"]
    assert complete(stories, "diff ferry@v1 ferry@v") == ["ferry@v3", "ferry@v2", "ferry@v1"]
    assert complete(stories, "correct ferry --rev l") == ["latest", "latest~1"]
    assert complete(stories, "show nothing@") == []


def test_without_a_database_nothing_is_offered_and_nothing_created(
    runner: CliRunner, tmp_path: Path
) -> None:
    missing = tmp_path / "missing.db"
    assert complete(runner, "log f", db=str(missing)) == []
    assert complete(runner, "show ferry@", db=str(missing)) == []
    assert not missing.exists()
    broken = tmp_path / "broken.db"
    broken.write_text("not a database")
    assert complete(runner, "log f", db=str(broken)) == []


@pytest.mark.slow
def test_the_completion_scripts_and_python_dash_m() -> None:
    for shell, mark in (
        ("bash", "complete -o"),
        ("zsh", "compdef"),
        ("fish", "complete --no-files --command revtrack"),
    ):
        script = subprocess.run(
            [sys.executable, "-m", "revtrack"],
            env={"_REVTRACK_COMPLETE": f"{shell}_source", "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert mark in script and "_REVTRACK_COMPLETE" in script, shell
    version = subprocess.run(
        [sys.executable, "-m", "revtrack", "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.startswith("revtrack, version ")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_keys_and_refs_in_a_terminal(stories: CliRunner) -> None:
    """The README's lines, in a real bash on a pseudo-terminal: Tab completes a key, and
    (with @ out of COMP_WORDBREAKS) a KEY@REV."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}", "PS1": "$ "}
    bash = pexpect.spawn("bash", ["--norc", "--noprofile"], env=env, encoding="utf-8", timeout=30)
    bash.sendline(
        'eval "$(_REVTRACK_COMPLETE=bash_source revtrack)"; '
        "COMP_WORDBREAKS=${COMP_WORDBREAKS//@/}; echo READY"
    )
    bash.expect("READY\r\n")
    bash.send("revtrack log harb\t")
    bash.expect("harbour_100")
    bash.send("\x15revtrack show ferry@la\t")
    bash.expect("test")  # ferry@la -> ferry@latest, the part both revisions share
    bash.send("\t\t")  # Tab again rings (still ambiguous); once more lists them
    bash.expect("ferry@latest~1")
    bash.send("\x15exit\r")
    bash.expect(pexpect.EOF)
