"""`init`, `ingest`, `log`, `show`, `articles` through click's runner, on both backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from revtrack.cli import cli
from revtrack.store.migrate import SCHEMA_HEAD


def run(runner: CliRunner, *args: str, input: bytes | str | None = None) -> Result:
    return runner.invoke(cli, list(args), input=input, catch_exceptions=False)


def ingest_example(runner: CliRunner, example: Path) -> Result:
    return run(runner, "ingest", *(str(example / f"v{n}.txt") for n in (1, 2, 3)))


def test_init_creates_the_database(runner: CliRunner, db_url: str) -> None:
    result = run(runner, "init")
    assert result.exit_code == 0
    assert f"schema {SCHEMA_HEAD}" in result.output
    assert run(runner, "db", "current").output.strip() == f"{SCHEMA_HEAD} (head)"


def test_ingest_three_versions_then_show_each_byte_for_byte(
    runner: CliRunner, db_url: str, example: Path
) -> None:
    result = ingest_example(runner, example)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("ferry  v1  ")
    assert lines[1].startswith("ferry  v2  +")
    assert lines[2].startswith("ferry  v3  +")
    for n in (1, 2, 3):
        shown = runner.invoke(cli, ["show", f"ferry@v{n}"])
        assert shown.stdout_bytes == (example / f"v{n}.txt").read_bytes()


def test_ingesting_the_latest_text_again_is_unchanged(
    runner: CliRunner, db_url: str, example: Path
) -> None:
    ingest_example(runner, example)
    result = run(runner, "ingest", str(example / "v3.txt"))
    assert result.output.startswith("ferry  unchanged (same as v3)")
    assert "3 revision(s)" in run(runner, "log", "ferry").output


def test_returning_to_an_older_text_is_a_new_revision_marked_revert(
    runner: CliRunner, db_url: str, example: Path
) -> None:
    ingest_example(runner, example)
    result = run(runner, "ingest", str(example / "v1.txt"))
    assert result.output.startswith("ferry  v4  ")
    assert "revert to v1" in result.output
    log = run(runner, "log", "ferry", "--format", "json")
    revisions = json.loads(log.output)
    assert [r["revert_of"] for r in revisions] == [None, None, None, 1]
    assert (
        runner.invoke(cli, ["show", "ferry@v4"]).stdout_bytes == (example / "v1.txt").read_bytes()
    )


def test_log_lists_revisions_with_change_sizes(
    runner: CliRunner, db_url: str, example: Path
) -> None:
    ingest_example(runner, example)
    output = run(runner, "log", "ferry").output
    assert output.splitlines()[0] == "ferry: 3 revision(s)"
    assert "v1" in output and "v2" in output and "v3" in output
    assert "number" in output  # v2's cost change is a number change
    # a plain-text story's first line is taken as its headline
    assert output.splitlines()[3].endswith(
        "Harbor Council Approves New Ferry Route to Outer Islands"
    )


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_listings_take_json_and_csv(
    runner: CliRunner, db_url: str, example: Path, fmt: str
) -> None:
    ingest_example(runner, example)
    output = run(runner, "articles", "--format", fmt).output
    if fmt == "json":
        [row] = json.loads(output)
        assert row["key"] == "ferry" and row["revisions"] == 3
    else:
        header, row = output.strip().splitlines()
        assert header.startswith("key,revisions,corrections")
        assert row.startswith("ferry,3,")


@pytest.mark.parametrize(
    ("ref", "number"),
    [
        ("ferry@v2", 2),
        ("ferry@2", 2),
        ("ferry@latest", 3),
        ("ferry@latest~1", 2),
        ("ferry@first", 1),
        ("ferry", 3),
        ("ferry@2024-05-01T11:00", 2),
        ("ferry@2024-05-01T12:00:00Z", 3),
    ],
)
def test_revision_references(
    runner: CliRunner, db_url: str, example: Path, ref: str, number: int
) -> None:
    for n, at in ((1, "2024-05-01T09:00"), (2, "2024-05-01T10:30"), (3, "2024-05-01T12:00")):
        run(runner, "ingest", str(example / f"v{n}.txt"), "--at", at)
    shown = runner.invoke(cli, ["show", ref])
    assert shown.stdout_bytes == (example / f"v{number}.txt").read_bytes()


def test_stdin_and_explicit_article_key(runner: CliRunner, db_url: str) -> None:
    result = run(runner, "ingest", "-", "--article", "Piped Story", input="Some text.\n")
    assert result.output.startswith("piped-story  v1  2 words")
    assert run(runner, "show", "piped-story").output == "Some text.\n"


def test_title_and_url_are_kept(runner: CliRunner, db_url: str, example: Path) -> None:
    run(
        runner,
        "ingest",
        str(example / "v1.txt"),
        "--title",
        "Ferry approved",
        "--url",
        "https://news.example/ferry",
    )
    [row] = json.loads(run(runner, "articles", "--format", "json").output)
    assert row["title"] == "Ferry approved"
    assert row["url"] == "https://news.example/ferry"


def test_read_commands_do_not_create_a_database(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "nothing-here.db"
    result = runner.invoke(cli, ["--db", str(target), "log", "ferry"])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: No revtrack database at {target}. Run `revtrack init` first, or pass --db.\n"
    )
    assert not target.exists()
