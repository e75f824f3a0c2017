"""`import --from newsdiffs|diffengine|newsedits`: other tools' databases, in their own schemas.

Each fixture database is written here with sqlite3 in the schema the tool documents (its
models and migrations), with the kinds of rows revtrack has no place for, so the tests see
what is mapped, what is reported, and what a database of the wrong shape gets.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pygit2
import pytest
from click.testing import CliRunner

from revtrack import Revtrack
from revtrack.cli import cli

P1 = [
    "The council said on Tuesday that ferry service to the two islands would resume in May.",
    "Repairs cost $4.2 million, officials said.",
    "The ferry carries about 300 passengers a day.",
]
P2 = [P1[0], P1[1].replace("4.2", "4.8"), P1[2]]
P3 = [
    P1[0].replace("two islands", "three islands"),
    P2[1],
    P1[2],
    "Correction: An earlier version of this story misstated the number of islands.",
]
URL = "https://news.example/2024/05/ferry-service"


def html_paragraphs(paragraphs: list[str]) -> str:
    return "".join(f"<p>{p.replace('$', '&#36;')}</p>" for p in paragraphs)


# -- diffengine ------------------------------------------------------------------------------
DIFFENGINE_SCHEMA = """
CREATE TABLE feed (url TEXT NOT NULL PRIMARY KEY, name TEXT NOT NULL, created DATETIME NOT NULL);
CREATE TABLE entry (id INTEGER NOT NULL PRIMARY KEY, url TEXT NOT NULL, created DATETIME NOT NULL,
    checked DATETIME NOT NULL, tweet_status_id_str VARCHAR(255) NOT NULL);
CREATE TABLE feedentry (id INTEGER NOT NULL PRIMARY KEY, feed_id TEXT NOT NULL, entry_id INTEGER
    NOT NULL, created DATETIME NOT NULL);
CREATE TABLE entryversion (id INTEGER NOT NULL PRIMARY KEY, title TEXT NOT NULL, url TEXT NOT NULL,
    summary TEXT NOT NULL, created DATETIME NOT NULL, archive_url TEXT, entry_id INTEGER NOT NULL,
    tweet_status_id_str VARCHAR(255) NOT NULL);
CREATE INDEX entryversion_url ON entryversion (url);
CREATE TABLE diff (id INTEGER NOT NULL PRIMARY KEY, old_id INTEGER NOT NULL, new_id INTEGER NOT
    NULL, created DATETIME NOT NULL, tweeted DATETIME, emailed DATETIME, blogged DATETIME);
"""


def diffengine_db(path: Path) -> Path:
    with sqlite3.connect(path) as conn:
        conn.executescript(DIFFENGINE_SCHEMA)
        conn.execute(
            "INSERT INTO feed VALUES ('https://news.example/rss', 'News Example', "
            "'2024-05-01 08:00:00.000000')"
        )
        conn.execute(
            "INSERT INTO entry VALUES (1, ?, '2024-05-01 09:00:00.000000', "
            "'2024-05-04 09:00:00.000000', '')",
            (URL + "?utm_source=rss",),
        )
        conn.execute(
            "INSERT INTO feedentry VALUES (1, 'https://news.example/rss', 1, '2024-05-01')"
        )
        for vid, created, paragraphs in (
            (1, "2024-05-01 09:00:05.123456", P1),
            (2, "2024-05-02 08:15:00.000000", P2),
            (3, "2024-05-03 16:45:00.000000", P3),
        ):
            conn.execute(
                "INSERT INTO entryversion VALUES (?, 'Ferry service to resume', ?, ?, ?, ?, 1, '')",
                (vid, URL, html_paragraphs(paragraphs), created, f"https://archive.example/{vid}"),
            )
        conn.execute(
            "INSERT INTO diff VALUES (1, 1, 2, '2024-05-02 08:15:01', '2024-05-02 08:16:00', "
            "NULL, NULL)"
        )
        conn.execute("INSERT INTO diff VALUES (2, 2, 3, '2024-05-03 16:45:01', NULL, NULL, NULL)")
    return path


def test_diffengine_entries_and_versions(rt: Revtrack, tmp_path: Path) -> None:
    summary = rt.import_archive("diffengine", [str(diffengine_db(tmp_path / "diffengine.db"))])
    assert (summary["documents"], summary["revisions"], summary["corrections"]) == (1, 3, 1)
    assert summary["unmapped"] == [
        "diff: 2 row(s), diffengine's own diffs (revtrack computes its own; their "
        "tweeted/emailed/blogged times are not kept)",
        "entry.checked: when diffengine last looked at each entry (revtrack keeps only versions)",
    ]
    log = rt.log("ferry-service")
    assert log.article.url == URL and log.article.outlet == "News Example"
    assert [r.captured_at for r in log.revisions] == [
        datetime(2024, 5, 1, 9, 0, 5, 123456),
        datetime(2024, 5, 2, 8, 15),
        datetime(2024, 5, 3, 16, 45),
    ]
    first = log.revisions[0]
    assert first.source == "diffengine:diffengine.db#entryversion/1"
    assert first.meta["source_id"] == "entryversion/1"
    assert first.meta["archive_url"] == "https://archive.example/1"
    assert first.title == "Ferry service to resume"
    assert rt.show("ferry-service@v1")[1] == "\n\n".join(P1) + "\n"
    [audit] = list(rt.audit("ferry-service"))
    assert [f.revision for f in audit.findings] == [2]
    assert rt.verify().ok
    again = rt.import_archive("diffengine", [str(tmp_path / "diffengine.db")])
    assert (again["documents"], again["revisions"], again["skipped"]) == (0, 0, 1)


def test_a_diffengine_database_of_another_shape_is_refused(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE entry (id INTEGER PRIMARY KEY, url TEXT)")
        conn.execute("CREATE TABLE entryversion (id INTEGER PRIMARY KEY, title TEXT, url TEXT)")
    result = runner.invoke(cli, ["import", "--from", "diffengine", str(path)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {path}: table 'entryversion' lacks column(s) created, entry_id, summary, which "
        "revtrack needs from diffengine's schema (a version it does not know?). Upgrade the "
        "database with the tool first, or export it to a directory of versions.\n"
    )
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE pages (id INTEGER PRIMARY KEY)")
    result = runner.invoke(cli, ["import", "--from", "newsedits", str(other)])
    assert result.output == (
        f"Error: {other} is not a NewsEdits database: it has no table 'entryversion' (its "
        "tables: pages). Give the database NewsEdits writes (see `revtrack import --help`).\n"
    )
    text = tmp_path / "notes.txt"
    text.write_text("not a database at all, just some words\n" * 200)
    result = runner.invoke(cli, ["import", "--from", "diffengine", str(text)])
    assert result.output.startswith(f"Error: {text} is not an SQLite database (")


# -- NewsEdits -------------------------------------------------------------------------------
def newsedits_db(path: Path) -> Path:
    with sqlite3.connect(path) as conn:
        conn.execute(
            'CREATE TABLE entryversion ("index" INTEGER, id INTEGER, entry_id INTEGER, '
            "version REAL, title TEXT, summary TEXT, created TEXT, url TEXT, archive_url TEXT, "
            "num_versions INTEGER)"
        )
        rows = [
            (0, 11, 7, 0.0, "Ferry service to resume", P1, "2024-05-01 09:00:00", URL),
            (1, 12, 7, 1.0, "Ferry service to resume", P2, "2024-05-02 08:15:00", URL),
            (2, 13, 7, 2.0, "Ferry service to resume", P3, "2024-05-03 16:45:00", URL),
            (3, 21, 8, 0.0, "Library opens", ["The library opens on Sundays."], None, None),
            (4, 22, 8, 1.0, "Library opens", [""], None, None),
        ]
        for index, vid, entry, version, title, paragraphs, created, url in rows:
            conn.execute(
                "INSERT INTO entryversion VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, 3)",
                (index, vid, entry, version, title, html_paragraphs(paragraphs), created, url),
            )
        conn.execute("CREATE TABLE diff (id INTEGER, old_id INTEGER, new_id INTEGER)")
        conn.executemany("INSERT INTO diff VALUES (?, ?, ?)", [(1, 11, 12), (2, 12, 13)])
        conn.execute(
            "CREATE TABLE split_sentences (entry_id INTEGER, version INTEGER, sent_idx INTEGER, "
            "sentence TEXT)"
        )
        conn.execute("INSERT INTO split_sentences VALUES (7, 0, 0, 'The council said …')")
    return path


def test_newsedits_versions_keyed_by_outlet_and_entry(rt: Revtrack, tmp_path: Path) -> None:
    summary = rt.import_archive("newsedits", [str(newsedits_db(tmp_path / "newssniffer-bbc.db"))])
    assert (summary["documents"], summary["revisions"], summary["corrections"]) == (2, 4, 1)
    assert summary["counts"] == {"empty versions": 1}
    assert summary["unmapped"] == [
        "entryversion: 2 version(s) without a time (no created column or an empty one), "
        "stored at the import's time in version order",
        "diff: 2 row(s), NewsEdits' links between versions (revtrack orders versions by number "
        "and time, and diffs them itself)",
        "split_sentences: 1 row(s), NewsEdits' sentence splits (derived data)",
    ]
    assert [a.key for a in rt.articles()] == ["bbc/7", "bbc/8"]
    log = rt.log("bbc/7")
    assert log.article.url == URL and log.article.outlet == "bbc"
    assert log.revisions[0].captured_at == datetime(2024, 5, 1, 9, 0)
    assert log.revisions[2].source == "newsedits:newssniffer-bbc.db#entryversion/3"
    assert log.revisions[2].meta["version"] == 2.0
    [note] = rt.corrections("bbc/7")
    assert note.record.disclosed_revision == 3
    assert rt.verify().ok


# -- NewsDiffs -------------------------------------------------------------------------------
NEWSDIFFS_SCHEMA = """
CREATE TABLE "Articles" ("id" integer NOT NULL PRIMARY KEY, "url" varchar(255) NOT NULL UNIQUE,
    "initial_date" datetime NOT NULL, "last_update" datetime NOT NULL, "last_check" datetime
    NOT NULL, "git_dir" varchar(255) NOT NULL);
CREATE TABLE "version" ("id" integer NOT NULL PRIMARY KEY, "article_id" integer NOT NULL
    REFERENCES "Articles" ("id"), "v" varchar(255) NOT NULL UNIQUE, "title" varchar(255) NOT
    NULL, "byline" varchar(255) NOT NULL, "date" datetime NOT NULL, "boring" bool NOT NULL,
    "diff_json" varchar(255));
CREATE TABLE "upvotes" ("id" integer NOT NULL PRIMARY KEY, "article_id" integer NOT NULL,
    "diff_v1" varchar(255) NOT NULL, "diff_v2" varchar(255) NOT NULL, "creation_time" datetime
    NOT NULL, "upvoter_ip" varchar(255) NOT NULL);
"""


def newsdiffs_site(root: Path) -> Path:
    """A NewsDiffs folder: newsdiffs.db and articles/2024-05/, a git repository per month."""
    repo = pygit2.init_repository(str(root / "articles" / "2024-05"), initial_head="master")
    filename = "https:/news.example/2024/05/ferry-service"  # NewsDiffs' Article.filename()
    commits = []
    for n, paragraphs in enumerate((P1, P2, P3)):
        text = f"May {n + 1}, 2024\nFerry service to resume\nBy Ana Reporter\n" + "\n\n".join(
            paragraphs
        )
        index = pygit2.Index()
        index.add(
            pygit2.IndexEntry(filename, repo.create_blob(text.encode()), pygit2.GIT_FILEMODE_BLOB)
        )
        who = pygit2.Signature("NewsDiffs", "scraper@example.invalid", 1714554000 + n * 86400, 0)
        oid = repo.create_commit(
            "refs/heads/master",
            who,
            who,
            f"Change to {filename}",
            index.write_tree(repo),
            commits[-1:],
        )
        commits.append(str(oid))
    with sqlite3.connect(root / "newsdiffs.db") as conn:
        conn.executescript(NEWSDIFFS_SCHEMA)
        conn.execute(
            "INSERT INTO Articles VALUES (1, ?, '2024-05-01 05:00:00', '2024-05-03 12:45:00', "
            "'2024-05-04 12:00:00', '2024-05')",
            (URL,),
        )
        # NewsDiffs stored its server's local time (America/New_York, 4 hours behind UTC in May)
        for n, (commit, date) in enumerate(
            zip(
                commits,
                ("2024-05-01 05:00:00", "2024-05-02 04:15:00", "2024-05-03 12:45:00"),
                strict=True,
            )
        ):
            conn.execute(
                "INSERT INTO version VALUES (?, 1, ?, 'Ferry service to resume', 'By Ana Reporter',"
                " ?, 0, NULL)",
                (n + 1, commit, date),
            )
        conn.execute(
            "INSERT INTO upvotes VALUES (1, 1, ?, ?, '2024-05-03 13:00:00', '127.0.0.1')",
            (commits[0], commits[1]),
        )
    return root


def test_newsdiffs_versions_from_its_git_repositories(rt: Revtrack, tmp_path: Path) -> None:
    site = newsdiffs_site(tmp_path / "newsdiffs")
    summary = rt.import_archive("newsdiffs", [str(site)])
    assert (summary["documents"], summary["revisions"], summary["corrections"]) == (1, 3, 1)
    assert summary["unmapped"] == [
        "upvotes: 1 row(s), readers' votes on diffs (revtrack has no place for them)",
        "version.diff_json: NewsDiffs' own diff statistics (revtrack computes its own)",
        "Articles.last_check: when NewsDiffs last looked at each article",
    ]
    log = rt.log("ferry-service")
    assert [r.captured_at for r in log.revisions] == [
        datetime(2024, 5, 1, 9, 0),
        datetime(2024, 5, 2, 8, 15),
        datetime(2024, 5, 3, 16, 45),
    ]
    first = log.revisions[0]
    assert first.title == "Ferry service to resume" and first.byline == "By Ana Reporter"
    assert first.meta["printed_date"] == "May 1, 2024"
    assert first.source.startswith("newsdiffs:2024-05@") and first.meta["source_id"] == "version/1"
    assert rt.show("ferry-service@v1")[1] == "\n\n".join(P1)
    [audit] = list(rt.audit("ferry-service"))
    assert [f.revision for f in audit.findings] == [2]
    assert rt.verify().ok
    utc = rt.import_archive("newsdiffs", [str(site / "newsdiffs.db")], timezone="UTC")
    assert utc["revisions"] == 0  # the same versions, already imported


def test_newsdiffs_without_its_article_repositories(runner: CliRunner, tmp_path: Path) -> None:
    site = newsdiffs_site(tmp_path / "newsdiffs")
    (site / "articles").rename(site / "elsewhere")
    result = runner.invoke(cli, ["import", "--from", "newsdiffs", str(site)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: No articles/ folder beside {site / 'newsdiffs.db'}: NewsDiffs keeps the text of "
        "every version in git repositories there. Copy it next to the database "
        "(articles/<month>/.git) and import again.\n"
    )


def test_a_bad_time_zone(runner: CliRunner, tmp_path: Path) -> None:
    path = diffengine_db(tmp_path / "diffengine.db")
    result = runner.invoke(
        cli, ["import", "--from", "diffengine", str(path), "--timezone", "Mars/Olympus"]
    )
    assert result.output == (
        "Error: Unknown time zone 'Mars/Olympus'. Give an IANA name such as UTC or Europe/Paris.\n"
    )


@pytest.mark.parametrize("kind", ["diffengine", "newsedits", "newsdiffs"])
def test_database_import_on_the_command_line(
    runner: CliRunner, tmp_path: Path, kind: str, db_url: str
) -> None:
    path = {
        "diffengine": lambda: diffengine_db(tmp_path / "d.db"),
        "newsedits": lambda: newsedits_db(tmp_path / "newssniffer-bbc.db"),
        "newsdiffs": lambda: newsdiffs_site(tmp_path / "nd"),
    }[kind]()
    result = runner.invoke(cli, ["import", "--from", kind, str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Imported ")
    assert "\nnot imported: " in result.output  # the unmapped parts, on standard error
