"""`import --from git`: a repository's history as revisions, with provenance, renames, reruns."""

from __future__ import annotations

import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

import pygit2
import pytest
from click.testing import CliRunner

from revtrack import Revtrack
from revtrack.cli import cli

STORY_1 = """Ferry service to resume

The council said on Tuesday that ferry service to the two islands would resume in May.

Repairs cost $4.2 million, officials said.

The ferry, which carries about 300 passengers a day, was taken out of service in January after
an inspection found corrosion in its hull. Residents of the islands have relied on a smaller
boat since then, and several businesses said the winter had been the hardest in years.

The council will hold a public meeting on the timetable next week in the town hall.
"""
STORY_2 = STORY_1.replace("$4.2 million", "$4.8 million")
STORY_3 = STORY_2.replace("two islands", "three islands") + (
    "\nCorrection: An earlier version of this story misstated the number of islands.\n"
)
PAGE = """<!doctype html><html><head><title>About the council</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>About the council</h1><p>The council has nine members elected for four years.</p>
<p>It meets on the first Tuesday of every month in the town hall.</p></article>
<footer>Copyright</footer></body></html>
"""


class Repo:
    """A git repository built commit by commit with pygit2, at chosen times."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.repo = pygit2.init_repository(str(path), initial_head="main")
        self.files: dict[str, bytes] = {}
        self.commits: list[str] = []

    def commit(self, when: str, message: str, **changes: bytes | None) -> str:
        for name, data in changes.items():
            path = name.replace("__", "/").replace("_DOT_", ".")
            if data is None:
                self.files.pop(path, None)
            else:
                self.files[path] = data
        index = pygit2.Index()
        for path, data in sorted(self.files.items()):
            index.add(
                pygit2.IndexEntry(path, self.repo.create_blob(data), pygit2.GIT_FILEMODE_BLOB)
            )
        tree = index.write_tree(self.repo)
        moment = datetime.fromisoformat(when)
        who = pygit2.Signature("Ana Editor", "ana@example.invalid", int(moment.timestamp()), 0)
        parents = [self.commits[-1]] if self.commits else []
        oid = self.repo.create_commit("refs/heads/main", who, who, message, tree, parents)
        self.commits.append(str(oid))
        return str(oid)


@pytest.fixture
def site(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "site")
    repo.commit(
        "2024-05-01T09:00:00+00:00", "Add the ferry story", posts__ferry_DOT_md=STORY_1.encode()
    )
    repo.commit(
        "2024-05-01T11:30:00+00:00",
        "Add the council page and a logo",
        pages__council_DOT_html=PAGE.encode(),
        logo_DOT_png=b"\x89PNG\r\n\x1a\n\x00\x00binary",
    )
    repo.commit("2024-05-02T08:15:00+00:00", "Update cost", posts__ferry_DOT_md=STORY_2.encode())
    # The post moves to another folder and is corrected in the same commit: one article.
    repo.commit(
        "2024-05-03T16:45:00+00:00",
        "Move posts; correct the islands",
        posts__ferry_DOT_md=None,
        content__posts__ferry_DOT_md=STORY_3.encode(),
    )
    return repo


def test_every_commit_that_changes_a_file_is_a_revision_at_its_time(
    rt: Revtrack, site: Repo
) -> None:
    summary = rt.import_archive("git", [str(site.path)])
    assert (summary["documents"], summary["revisions"], summary["corrections"]) == (2, 4, 1)
    assert summary["counts"] == {"changes to other files": 1}
    assert summary["problems"] == [] and summary["failures"] == []
    log = rt.log("posts/ferry")
    assert [r.captured_at for r in log.revisions] == [
        datetime(2024, 5, 1, 9, 0),
        datetime(2024, 5, 2, 8, 15),
        datetime(2024, 5, 3, 16, 45),
    ]
    last = log.revisions[-1]
    assert last.source == f"git:{site.commits[3]}:content/posts/ferry.md"
    assert last.source_kind == "git"
    assert last.meta["importer"] == "git"
    assert last.meta["source_id"] == site.commits[3]
    assert last.meta["message"] == "Move posts; correct the islands"
    assert last.meta["author"] == "Ana Editor"
    assert last.meta["path"] == "content/posts/ferry.md"
    assert rt.show("posts/ferry@v3")[1] == STORY_3
    # The HTML page went through the extractor, as `ingest FILE` would take it.
    page = rt.log("pages/council").revisions[0]
    assert page.title == "About the council"
    assert "Home" not in rt.show("pages/council")[1]
    [note] = rt.corrections("posts/ferry")
    assert note.record.disclosed_revision == 3
    assert rt.verify().ok


def test_the_audit_runs_on_the_imported_history(rt: Revtrack, site: Repo) -> None:
    rt.import_archive("git", [str(site.path)])
    [audit] = list(rt.audit("posts/ferry"))
    assert [f.revision for f in audit.findings] == [2]  # the cost change no note discloses
    assert [(f.fixing_revision, f.disclosing_revision) for f in audit.fixes] == [(3, 3)]


def test_a_rerun_adds_only_new_commits(rt: Revtrack, site: Repo) -> None:
    rt.import_archive("git", [str(site.path)])
    again = rt.import_archive("git", [str(site.path)])
    assert (again["documents"], again["revisions"], again["skipped"]) == (0, 0, 2)
    site.commit(
        "2024-05-04T10:00:00+00:00",
        "Tidy",
        content__posts__ferry_DOT_md=(STORY_3 + "\nMore on this story soon.\n").encode(),
    )
    more = rt.import_archive("git", [str(site.path)])
    assert (more["documents"], more["revisions"], more["skipped"]) == (1, 1, 1)
    assert more["counts"]["already imported"] == 3
    assert len(rt.log("posts/ferry").revisions) == 4
    assert rt.log("posts/ferry").revisions[-1].meta["source_id"] == site.commits[-1]


def test_paths_and_branch_choose_what_is_read(rt: Revtrack, site: Repo) -> None:
    summary = rt.import_archive("git", [str(site.path), "pages"], branch="main")
    assert [a.key for a in rt.articles()] == ["pages/council"]
    assert summary["revisions"] == 1


def test_a_commit_dated_before_its_parent_keeps_history_order(rt: Revtrack, site: Repo) -> None:
    # Rebased or cherry-picked commits carry older dates than their parents: the branch's
    # order is the truth, so the revision is placed after and the commit's own time kept.
    site.commit(
        "2024-04-30T12:00:00+00:00", "Late fix", content__posts__ferry_DOT_md=b"New text.\n"
    )
    rt.import_archive("git", [str(site.path)])
    last = rt.log("posts/ferry").revisions[-1]
    assert last.captured_at == datetime(2024, 5, 3, 16, 45)
    assert last.meta["archived_at"] == "2024-04-30T12:00:00"


def test_verify_finds_a_source_edited_behind_our_back(db_url: str, site: Repo) -> None:
    if not db_url.endswith(".db"):
        pytest.skip("tampering is done with sqlite3")
    rt = Revtrack(db_url, create=True)
    rt.import_archive("git", [str(site.path)])
    rt.close()
    with sqlite3.connect(db_url) as conn:
        conn.execute("DROP TRIGGER revisions_no_update")
        conn.execute("UPDATE revisions SET source = 'git:forged:posts/ferry.md' WHERE number = 2")
    again = Revtrack(db_url)
    report = again.verify()
    again.close()
    assert report.problems == [
        "revisions id 3 (posts/ferry@v2): does not match its seal (title, byline, source, capture "
        "time, provenance, text hash or statistics changed, or the row before it removed or "
        "moved).",
        "revisions id 3 (posts/ferry@v2): source or provenance does not match its ingest event.",
    ]


def test_import_from_git_on_the_command_line(runner: CliRunner, site: Repo, db_url: str) -> None:
    result = runner.invoke(cli, ["import", "--from", "git", str(site.path)])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Imported 2 article(s), 4 revision(s), 1 note(s) found; 0 already imported.\n"
        "Left out: 1 changes to other files.\n"
    )
    again = runner.invoke(cli, ["import", "--from", "git", str(site.path)])
    assert again.output.startswith(
        "Imported 0 article(s), 0 revision(s), 0 note(s) found; 2 already imported.\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--branch", "nope"],
            "Error: {repo} has no branch or commit 'nope'. Its branches: main.\n",
        ),
        (["--timezone", "UTC"], "Error: --timezone is for the database importers only.\n"),
    ],
)
def test_git_option_errors(runner: CliRunner, site: Repo, args: list[str], message: str) -> None:
    result = runner.invoke(cli, ["import", "--from", "git", str(site.path), *args])
    assert result.exit_code == 1
    assert result.output == message.format(repo=site.path)


def test_not_a_repository(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["import", "--from", "git", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {tmp_path} is not a git repository (")
    assert result.output.endswith("Give the folder of a clone (or a bare repository).\n")


def test_a_shallow_clone_is_refused(runner: CliRunner, site: Repo, tmp_path: Path) -> None:
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{site.path}", str(shallow)], check=True
    )
    result = runner.invoke(cli, ["import", "--from", "git", str(shallow)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {shallow} is a shallow clone: its history is cut short. Run `git fetch "
        "--unshallow` in it, then import again (older commits could not be put before "
        "revisions already imported).\n"
    )


def test_a_missing_object_is_named_and_the_rest_imported(
    runner: CliRunner, rt: Revtrack, site: Repo
) -> None:
    blob = site.repo.revparse_single(f"{site.commits[1]}:pages/council.html").id
    loose = site.path / ".git" / "objects" / str(blob)[:2] / str(blob)[2:]
    loose.unlink()
    result = runner.invoke(cli, ["import", "--from", "git", str(site.path)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Imported 2 article(s), 3 revision(s), 1 note(s) found; 0 already imported.",
        "Left out: 1 changes to other files.",
        f"failed: commit {site.commits[1][:12]}: pages/council.html: object {str(blob)[:12]} "
        "is missing.",
        "Error: 1 record(s) could not be imported; the rest was. Each is named above.",
    ]
    assert len(rt.log("posts/ferry").revisions) == 3
    assert [a.key for a in rt.articles()] == ["posts/ferry"]


def test_reader_processes_store_what_one_process_stores(tmp_path: Path, db_url: str) -> None:
    repo = Repo(tmp_path / "many")
    for n in range(20):
        repo.commit(
            f"2024-05-01T{n:02d}:00:00+00:00",
            f"Post {n}",
            **{f"posts__story-{n}_DOT_md": (STORY_1 + f"\nStory {n}.\n").encode()},
        )
    repo.commit(
        "2024-05-02T09:00:00+00:00",
        "Fix all",
        **{f"posts__story-{n}_DOT_md": (STORY_2 + f"\nStory {n}.\n").encode() for n in range(20)},
    )
    alone = Revtrack(str(tmp_path / "alone.db"), create=True)
    shared = Revtrack(db_url, create=True)
    one = alone.import_archive("git", [str(repo.path)], jobs=1)
    two = shared.import_archive("git", [str(repo.path)], jobs=2, batch_size=3)
    assert (one["documents"], one["revisions"]) == (two["documents"], two["revisions"]) == (20, 40)
    assert [(a.key, a.revisions) for a in alone.articles()] == [
        (a.key, a.revisions) for a in shared.articles()
    ]
    assert shared.verify().ok
    alone.close()
    shared.close()


def test_branch_without_from(runner: CliRunner, site: Repo) -> None:
    result = runner.invoke(cli, ["import", str(site.path), "--branch", "main"])
    assert result.exit_code == 1
    assert (
        result.output
        == "Error: --branch and --timezone go with --from. See `revtrack import --help`.\n"
    )


def test_an_export_of_imported_history_restores_and_verifies(
    rt: Revtrack, site: Repo, tmp_path: Path
) -> None:
    rt.import_archive("git", [str(site.path)])
    lines = list(rt.export())
    copy = Revtrack(str(tmp_path / "copy.db"), create=True)
    copy.restore(lines)
    assert copy.verify().ok
    assert copy.log("posts/ferry").revisions[-1].meta["source_id"] == site.commits[3]
    assert list(copy.export()) == lines
    copy.close()


@pytest.mark.slow
def test_two_importers_share_one_git_import(db_url: str, tmp_path: Path) -> None:
    import os
    import sys

    repo = Repo(tmp_path / "many")
    for n in range(24):
        repo.commit(
            f"2024-05-01T{n:02d}:00:00+00:00",
            f"Post {n}",
            **{f"posts__story-{n}_DOT_md": (STORY_1 + f"\nStory {n}.\n").encode()},
        )
    Revtrack(db_url, create=True).close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("REVTRACK_")}
    env.update(REVTRACK_DATABASE_URL=db_url, REVTRACK_BUSY_TIMEOUT_MS="60000")
    script = Path(sys.executable).parent / "revtrack"
    procs = [
        subprocess.Popen(
            [str(script), "import", "--from", "git", str(repo.path), "--batch-size", "2"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    imported = sum(int(out.split("Imported ")[1].split(" ")[0]) for out, _ in outputs)
    assert imported == 24, outputs  # every file imported once, by one of the two
    rt = Revtrack(db_url)
    assert sorted(a.revisions for a in rt.articles()) == [1] * 24
    assert rt.verify().ok
    rt.close()
