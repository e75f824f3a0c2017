"""The watching configuration file: per-site rules, contact and notifications in TOML."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from outlet_server import Outlet, article, serving
from revtrack import Revtrack
from revtrack.cli import cli
from revtrack.errors import InvalidInput
from revtrack.service.watch import service
from revtrack.service.watch.settings import (
    NOTIFY_EVENTS,
    Notify,
    SiteRule,
    find_settings,
    load_settings,
)

P1 = (
    "PORT ALDER — The harbor council voted 5-2 on Tuesday to open a ferry route linking the "
    "town with the two outer islands, ending a decade of debate over how residents reach the "
    "mainland."
)
P2 = (
    "The new service will run three round trips a day from the old cannery pier, starting in "
    "May, and will cut the crossing from 90 minutes to about 40, council members said."
)
P3 = '"People on the islands have waited long enough," said council member Ruth Okafor.'


def page(box: str) -> str:
    return article("Ferry Route", [P1, P2, P3]).replace(
        "</article>", f'<div class="most-read"><p>Most read today: {box}</p></div></article>'
    )


@pytest.fixture
def outlet() -> Iterator[Outlet]:
    with serving() as served:
        yield served


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    moment = [datetime(2024, 6, 4, 10, 0)]
    monkeypatch.setattr(service, "now", lambda: moment[0])
    return moment


def ok(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_a_full_file_is_read_and_hosts_are_named_as_the_watch_tables_name_them(
    tmp_path: Path,
) -> None:
    path = tmp_path / "site.toml"
    path.write_text(
        '[watch]\ncontact = "desk@example.org"\n\n'
        '[sites."WWW.Example.com:443"]\ninclude = ["article"]\nremove = ["aside.most-read"]\n'
        'skip = ["Subscribe to read"]\n\n'
        '[sites."127.0.0.1:8000"]\nremove = []\n\n'
        '[notify]\nurls = ["json://127.0.0.1:9/"]\nevents = ["correction"]\nretries = 1\n'
    )
    settings = load_settings(path)
    assert settings.contact == "desk@example.org"
    assert dict(settings.sites) == {
        "www.example.com:443": SiteRule(("article",), ("aside.most-read",), ("Subscribe to read",)),
        "127.0.0.1:8000": SiteRule(remove=()),
    }
    assert settings.notify == Notify(("json://127.0.0.1:9/",), ("correction",), 1)
    assert find_settings(None).sites == {}  # no ./revtrack.toml here: nothing
    (tmp_path / "revtrack.toml").write_text('[notify]\nurls = ["json://127.0.0.1:9/"]\n')
    assert find_settings(None).notify.events == NOTIFY_EVENTS


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[sites\n", "bad.toml is not valid TOML: Expected ']' at the end of a table declaration"),
        ("[site]\n", "bad.toml: site is not a known key (known: notify, sites, watch)."),
        ('[sites."a.org"]\nremov = ["x"]\n', 'bad.toml: sites."a.org".remov is not a known key'),
        (
            '[sites."a.org"]\nremove = ["div[["]\n',
            "bad.toml: sites.\"a.org\".remove has 'div[[', not a CSS selector (",
        ),
        (
            '[sites."a.org"]\nskip = ["(unclosed"]\n',
            "bad.toml: sites.\"a.org\".skip has '(unclosed', not a regular expression (",
        ),
        ('[sites."a.org"]\ninclude = "x"\n', 'bad.toml: sites."a.org".include must be a list'),
        ('[sites."http://"]\n', 'bad.toml: sites."http://" is not a host name.'),
        ('[sites]\n"a.org" = 3\n', 'bad.toml: sites."a.org" must be a table.'),
        ('[notify]\nevents = ["edits"]\n', "bad.toml: notify.events has 'edits'; use revision,"),
        ("[notify]\nretries = -1\n", "bad.toml: notify.retries must be a whole number from 0"),
        ("[watch]\ncontact = 3\n", "bad.toml: watch.contact must be a non-empty string."),
        ('[watch]\nkeep_pages = "no"\n', "bad.toml: watch.keep_pages must be true or false."),
    ],
)
def test_a_mistake_is_one_line_naming_the_file_and_the_key(
    runner: CliRunner, db_url: str, content: str, message: str
) -> None:
    Path("bad.toml").write_text(content)
    ok(runner, "init")
    with pytest.raises(InvalidInput) as caught:
        load_settings(Path("bad.toml"))
    assert caught.value.message.startswith(message), caught.value.message
    result = runner.invoke(cli, ["fetch", "--config", "bad.toml"])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {message}") and result.output.count("\n") == 1


def test_a_missing_file_is_an_error_and_a_default_one_is_read(
    runner: CliRunner, db_url: str
) -> None:
    ok(runner, "init")
    result = runner.invoke(cli, ["fetch", "--config", "nope.toml"])
    assert result.output == "Error: No config file nope.toml. Check the --config path.\n"
    Path("revtrack.toml").write_text("[sites]\n[wach]\n")
    result = runner.invoke(cli, ["watch", "run"])
    assert result.output.startswith("Error: revtrack.toml: wach is not a known key")


def test_fetch_applies_the_files_rules_over_the_databases(
    runner: CliRunner, db_url: str, outlet: Outlet, clock: list[datetime]
) -> None:
    host = f"127.0.0.1:{outlet.port}"
    outlet.set("/a", page("Dog show results"))
    outlet.set("/b", article("Subscribe to read this story", ["Only for subscribers."]))
    ok(runner, "watch", "add", outlet.url("/a"))
    ok(runner, "watch", "add", outlet.url("/b"))
    ok(runner, "watch", "host", host, "--delay", "0", "--remove", "footer")
    Path("revtrack.toml").write_text(
        f'[sites."{host}"]\nremove = ["div.most-read"]\nskip = ["Subscribe to read"]\n'
    )
    first = ok(runner, "fetch")
    assert "skipped" in first and "matches the skip pattern 'Subscribe to read'" in first
    assert "Most read" not in ok(runner, "show", "a")
    outlet.set("/a", page("Ferry tickets go on sale"))
    # the box turned; the file's rule keeps it out of the text: no new version
    assert ok(runner, "fetch").endswith("0 new revisions, 1 unchanged, 1 skipped.\n")
    # without the file, the database's rules hold: the box turning is a new version, and
    # the subscribers' page is no longer skipped
    Path("revtrack.toml").unlink()
    outlet.set("/a", page("Library opens late"))
    assert ok(runner, "fetch").endswith(": 2 new revisions, 0 unchanged.\n")
    assert "Most read" in ok(runner, "show", "a@v2")


def test_the_file_can_turn_keeping_pages_off_and_reextract_then_has_none(
    runner: CliRunner, db_url: str, outlet: Outlet, clock: list[datetime]
) -> None:
    outlet.set("/a", page("Dog show results"))
    outlet.set("/b", page("Library opens late"))
    ok(runner, "watch", "add", outlet.url("/a"))
    ok(runner, "watch", "host", f"127.0.0.1:{outlet.port}", "--delay", "0")
    Path("revtrack.toml").write_text("[watch]\nkeep_pages = false\n")
    assert load_settings(Path("revtrack.toml")).keep_pages is False
    ok(runner, "fetch")
    Path("revtrack.toml").write_text("[watch]\nkeep_pages = true\n")
    ok(runner, "watch", "add", outlet.url("/b"))
    ok(runner, "fetch")
    with Revtrack(db_url) as rt, rt.store.read() as tx:
        kept = {key: tx.load_raw(rt.log(key).revisions[0].id) for key in ("a", "b")}
    assert kept["a"] is None and kept["b"] is not None
    assert kept["b"].body.decode() == page("Library opens late")


def test_reextract_reads_old_versions_with_the_files_rules(
    runner: CliRunner, db_url: str, outlet: Outlet, clock: list[datetime]
) -> None:
    host = f"127.0.0.1:{outlet.port}"
    ok(runner, "watch", "add", outlet.url("/c"))
    ok(runner, "watch", "host", host, "--delay", "0")
    for box in ("Dog show results", "Ferry tickets go on sale"):
        outlet.set("/c", page(box))
        ok(runner, "fetch")
    Path("rules.toml").write_text(f'[sites."{host}"]\nremove = ["div.most-read"]\n')
    assert ok(runner, "reextract", "-q") == (
        "reextract: 2 kept pages read, 0 re-derived, 2 unchanged, 0 failed.\n"
    )
    assert ok(runner, "reextract", "-q", "--config", "rules.toml") == (
        "reextract: 2 kept pages read, 2 re-derived, 0 unchanged, 0 failed; "
        "1 version now read the same as the one before.\n"
    )
    assert ok(runner, "verify").startswith("OK:")
