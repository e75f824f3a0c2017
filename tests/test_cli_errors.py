"""Bad input gets a one-line error naming the fix, a non-zero exit, and stores nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from revtrack.cli import cli


@pytest.fixture
def seeded(runner: CliRunner, db_url: str, example: Path) -> CliRunner:
    for n in (1, 2, 3):
        runner.invoke(cli, ["ingest", str(example / f"v{n}.txt")], catch_exceptions=False)
    return runner


def assert_nothing_new(runner: CliRunner) -> None:
    log = runner.invoke(cli, ["log", "ferry", "--format", "csv"])
    assert log.output.count("\n") == 4  # header + 3 revisions


def error_of(runner: CliRunner, *args: str, input: bytes | None = None) -> str:
    result = runner.invoke(cli, list(args), input=input)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.output.count("\n") == 1, result.output
    return result.output.strip()


def test_missing_file(seeded: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"
    assert error_of(seeded, "ingest", str(path), "-a", "ferry") == (
        f"Error: No such file: {path}. Check the path."
    )
    assert_nothing_new(seeded)


def test_directory(seeded: CliRunner, tmp_path: Path) -> None:
    assert error_of(seeded, "ingest", str(tmp_path), "-a", "ferry") == (
        f"Error: {tmp_path} is a directory. Give one file per version, or use "
        "`revtrack import DIR`."
    )


def test_binary_file(seeded: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)))
    assert error_of(seeded, "ingest", str(path), "-a", "ferry") == (
        f"Error: {path} looks like a binary file, not text. Give a UTF-8 text file or an HTML page."
    )
    assert_nothing_new(seeded)


def test_non_utf8_text(seeded: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\u00e9 on the pier.".encode("latin-1"))
    assert error_of(seeded, "ingest", str(path), "-a", "ferry") == (
        f"Error: {path} is not valid UTF-8 (byte 0xe9 at offset 3); revtrack expects UTF-8 "
        "text. Convert it to UTF-8 (for example `iconv -f latin1 -t utf-8`) and try again."
    )
    assert_nothing_new(seeded)


def test_html_with_a_declared_charset_is_decoded(
    runner: CliRunner, db_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "page.html"
    body = "<p>" + "Le caf\u00e9 du port ouvre ses portes au public chaque matin. " * 8 + "</p>"
    path.write_bytes(
        f'<html><head><meta charset="iso-8859-1"><title>Caf\u00e9</title></head>'
        f"<body><article>{body}</article></body></html>".encode("latin-1")
    )
    result = runner.invoke(cli, ["ingest", str(path), "-a", "cafe"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "caf\u00e9 du port" in runner.invoke(cli, ["show", "cafe"]).output


@pytest.mark.parametrize("content", [b"", b"   \n\n\t\n"])
def test_empty_text(seeded: CliRunner, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert error_of(seeded, "ingest", str(path), "-a", "ferry") == (
        f"Error: {path} is empty. Nothing to store; check the file or page."
    )


def test_huge_file(seeded: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    assert error_of(seeded, "ingest", str(path), "-a", "ferry") == (
        f"Error: {path} is 50.0 MB, over the 10.0 MB limit. Split it or raise REVTRACK_MAX_BYTES."
    )
    assert_nothing_new(seeded)


def test_one_bad_source_in_a_list_stores_none_of_them(
    seeded: CliRunner, tmp_path: Path, example: Path
) -> None:
    good = tmp_path / "good.txt"
    good.write_text("A brand new text for the ferry story.\n")
    error_of(seeded, "ingest", str(good), str(tmp_path / "missing.txt"), "-a", "ferry")
    assert_nothing_new(seeded)


def test_malformed_html_is_handled(runner: CliRunner, db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "broken.html"
    path.write_text("<html><body><div><p>Unclosed <b>tags <i>everywhere" + "<div>" * 500)
    result = runner.invoke(cli, ["ingest", str(path), "-a", "broken"])
    assert "Traceback" not in result.output
    if result.exit_code:
        assert result.output.startswith("Error: ")
        assert result.output.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["show", "ferry@v9"],
            "Error: No revision 'v9': ferry has 3 revisions, v1–v3. Run `revtrack log ferry` to "
            "see them.",
        ),
        (
            ["show", "ferry@latest~5"],
            "Error: No revision 'latest~5': ferry has 3 revisions, v1–v3. Run `revtrack log "
            "ferry` to see them.",
        ),
        (
            ["show", "ferry@yesterday"],
            "Error: 'yesterday' is not a revision reference. Use v3, 3, latest, latest~1, first, "
            "or a time such as 2022-03-18T10:00.",
        ),
        (["show", "ferry@v0"], "Error: 'v0' is not a revision: numbering starts at v1."),
        (
            ["show", "ferry@1999-01-01"],
            "Error: No revision of ferry existed at 1999-01-01; ferry has 3 revisions, v1–v3. "
            "Give a later time or a revision number.",
        ),
        (["log", "ferr"], "Error: No article 'ferr'. Known articles include: ferry."),
        (
            ["diff", "ferry", "v1", "v7"],
            "Error: No revision 'v7': ferry has 3 revisions, v1–v3. Run `revtrack log ferry` to "
            "see them.",
        ),
    ],
)
def test_unknown_references(seeded: CliRunner, args: list[str], message: str) -> None:
    assert error_of(seeded, *args) == message


def test_bad_capture_time(seeded: CliRunner, example: Path) -> None:
    assert error_of(seeded, "ingest", str(example / "v1.txt"), "--at", "next tuesday") == (
        "Error: 'next tuesday' is not a time. Use ISO 8601, for example 2022-03-18T10:00 (UTC)."
    )


def test_capture_time_before_the_latest_revision(seeded: CliRunner, example: Path) -> None:
    message = error_of(seeded, "ingest", str(example / "v1.txt"), "--at", "2001-01-01")
    assert message.startswith("Error: ") and "is before ferry@v3" in message
    assert message.endswith("Ingest versions oldest first, or give a later --at.")
    assert_nothing_new(seeded)


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        (
            "ferry@99999999999999999999999",
            "Error: '99999999999999999999999' is not a revision: numbers go up to "
            "2,147,483,647. Run `revtrack log ARTICLE` to see the revisions.",
        ),
        (
            "ferry@0001-01-01T00:00+05:00",
            "Error: '0001-01-01T00:00+05:00' is outside the times revtrack keeps. "
            "Use a time between 0001-01-02 and 9999-12-30 (UTC).",
        ),
        (
            "ferry@latest~99999999999999999999999",
            "Error: No revision 'latest~99999999999999999999999': ferry has 3 revisions, v1–v3. "
            "Run `revtrack log ferry` to see them.",
        ),
    ],
)
def test_out_of_range_refs_are_clean_errors(seeded: CliRunner, ref: str, message: str) -> None:
    assert error_of(seeded, "show", ref) == message


def test_an_out_of_range_capture_time_is_refused(seeded: CliRunner, example: Path) -> None:
    message = error_of(seeded, "ingest", "--at", "9999-12-31T23:59-05:00", str(example / "v1.txt"))
    assert message == (
        "Error: '9999-12-31T23:59-05:00' is outside the times revtrack keeps. "
        "Use a time between 0001-01-02 and 9999-12-30 (UTC)."
    )
    assert_nothing_new(seeded)


def test_a_capture_time_far_in_the_future_is_refused(seeded: CliRunner, example: Path) -> None:
    """Versions are ordered by capture time: one typed years ahead would refuse every later
    ingest as "before" it, so it is refused itself; a day of slack allows a clock or zone off."""
    from datetime import UTC, datetime, timedelta

    ahead = (datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    message = error_of(seeded, "ingest", "--at", ahead, str(example / "v1.txt"), "-a", "x")
    assert message.startswith(f"Error: --at {ahead} is in the future (it is ")
    assert message.endswith(
        "UTC now). Give the time the version was captured; revtrack orders versions by it."
    )
    soon = (datetime.now(UTC) + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    result = seeded.invoke(cli, ["ingest", "--at", soon, str(example / "v1.txt"), "-a", "x"])
    assert result.exit_code == 0, result.output
    assert_nothing_new(seeded)


def test_a_key_is_read_as_ingest_stored_it(runner: CliRunner, db_url: str, example: Path) -> None:
    result = runner.invoke(cli, ["ingest", str(example / "v1.txt"), "--article", "News/Ferry"])
    assert result.exit_code == 0, result.output
    shown = runner.invoke(cli, ["show", "News/Ferry"])
    assert shown.exit_code == 0 and shown.output == (example / "v1.txt").read_text()


def test_a_key_over_the_limit_is_refused_not_cut(
    runner: CliRunner, db_url: str, example: Path
) -> None:
    message = error_of(runner, "ingest", str(example / "v1.txt"), "--article", "k" * 5000)
    assert message == (
        f"Error: The article key for {example / 'v1.txt'} is 5,000 characters, over the 200 "
        "limit. Pass a shorter --article KEY."
    )


@pytest.mark.parametrize("key", ["", "   "])
def test_an_empty_article_key_is_refused_not_replaced_by_the_file_name(
    runner: CliRunner, db_url: str, example: Path, key: str
) -> None:
    message = error_of(runner, "ingest", str(example / "v1.txt"), "--article", key)
    assert message == "Error: The --article key is empty. Give a key, or leave --article out."
    assert runner.invoke(cli, ["articles"]).output.startswith("No articles")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "mysql://x/y",
            "Error: revtrack keeps its database in SQLite or PostgreSQL, not 'mysql'. Give a "
            "file path or a URL such as postgresql://user@host/db.",
        ),
        ("://x", "Error: Cannot understand the database URL '://x'. Give a file path or a URL"),
        ("postgresql://h:port/db", "Error: Cannot understand the database URL "),
        (
            "postgresql+nosuchdriver://h/db",
            "Error: The database driver 'postgresql+nosuchdriver' is not available here (",
        ),
    ],
)
def test_a_database_url_revtrack_cannot_use_is_one_line(
    runner: CliRunner, url: str, message: str
) -> None:
    for args in (["log", "ferry"], ["ingest", "-"], ["init"]):
        assert error_of(runner, "--db", url, *args, input=b"text").startswith(message)


def test_a_folder_given_as_the_database_is_named_as_one(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    for args in (["log", "ferry"], ["show", "ferry"], ["init"], ["ingest", "-"]):
        assert error_of(runner, "--db", str(folder), *args, input=b"text") == (
            f"Error: {folder} is a folder, not a database file. Give a file's path, such as "
            f"{folder / 'revtrack.db'}."
        )
    assert list(folder.iterdir()) == []
