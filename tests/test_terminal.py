"""The progress bar and the pager on a real terminal, and their absence in a pipe.

The command line runs in a pseudo-terminal (pexpect), as a user would see it: the bar counts
revisions with a rate while an import's reader processes work and is cleared at the end;
long output goes through the pager (a stand-in that marks each line, or less itself) with
its colour; short output, ``--no-pager``, ``NO_COLOR`` and pipes behave as they should.
Nothing here is timed: the assertions are on what the terminal received.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from test_bulk_import import make_corpus

SCRIPT = Path(sys.executable).parent / "revtrack"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
MARKER = "sed 's/^/|/'"  # a pager that shows it paged: every line it shows starts with |

pytestmark = pytest.mark.slow


def environment(db: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("REVTRACK_") and k not in {"PAGER", "LESS", "NO_COLOR", "FORCE_COLOR"}
    }
    env.update(REVTRACK_DATABASE_URL=str(db), TERM="xterm-256color", **extra)
    return env


def on_terminal(args: list[str], env: dict[str, str], rows: int = 24) -> tuple[str, int]:
    """Run revtrack in a pseudo-terminal of ``rows`` x 100; what it showed, and its status."""
    child = pexpect.spawn(
        str(SCRIPT), args, env=env, dimensions=(rows, 100), encoding="utf-8", timeout=120
    )
    shown = child.read()
    child.close()
    return shown, child.exitstatus


def piped(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return make_corpus(tmp_path, docs=20, versions=3)  # 20 documents: reader processes run


@pytest.fixture
def story(tmp_path: Path) -> Path:
    """A database holding one article of 30 revisions (a log longer than a small screen)."""
    db = tmp_path / "story.db"
    corpus = make_corpus(tmp_path / "one", docs=1, versions=30)
    done = piped(["import", str(corpus)], environment(db))
    assert done.returncode == 0, done.stderr
    return db


def test_the_import_bar_counts_revisions_with_a_rate_while_readers_work(
    tmp_path: Path, corpus: Path
) -> None:
    shown, status = on_terminal(
        ["import", str(corpus), "--jobs", "2"], environment(tmp_path / "t.db")
    )
    assert status == 0, shown
    plain = ANSI.sub("", shown)
    frames = re.findall(r"importing .*? (\d+)/(\d+) revisions (\S+)/s", plain)
    assert frames, plain
    assert {total for _, total, _ in frames} == {"60"}
    moving = [(int(done), float(rate.replace(",", ""))) for done, _, rate in frames if done != "0"]
    assert moving, "a frame shows a count above zero"
    assert all(rate > 0 for _, rate in moving), moving
    assert moving[-1][0] == 60
    assert plain.rstrip().endswith(
        "Imported 20 document(s), 60 revision(s), 4 note(s) found; 0 already imported."
    )


def test_quiet_and_a_pipe_show_no_bar_but_the_closing_line(tmp_path: Path, corpus: Path) -> None:
    shown, status = on_terminal(["import", str(corpus), "--quiet"], environment(tmp_path / "q.db"))
    assert status == 0
    assert "revisions" not in shown and "\x1b[" not in shown
    assert shown.strip().startswith("Imported 20 document(s), 60 revision(s)")
    result = piped(["verify"], environment(tmp_path / "q.db"))
    assert result.stderr == ""
    assert result.stdout.startswith("OK: 20 articles, 60 revisions and ")
    assert result.stdout.count("\n") == 1


def test_export_to_a_file_keeps_the_file_clean_and_the_bar_on_the_terminal(
    tmp_path: Path, story: Path
) -> None:
    out = tmp_path / "dump.jsonl"
    shell = f"{SCRIPT} export > {out}"
    child = pexpect.spawn(
        "/bin/sh", ["-c", shell], env=environment(story), dimensions=(24, 100), encoding="utf-8"
    )
    shown = ANSI.sub("", child.read())
    child.close()
    assert child.exitstatus == 0
    assert re.search(r"exporting .*30/30 revisions", shown), shown
    assert shown.strip().endswith("Exported 1 article(s), 30 revision(s).")
    lines = out.read_text().splitlines()
    assert lines[0].startswith('{"format":"revtrack.export/1"') and "\x1b" not in out.read_text()


def test_long_output_goes_through_the_pager_with_its_colour(tmp_path: Path, story: Path) -> None:
    env = environment(story, REVTRACK_PAGER=MARKER)
    shown, status = on_terminal(["log", "gazette/story-000"], env, rows=10)
    assert status == 0
    lines = shown.splitlines()
    assert len(lines) > 30 and all(line.startswith("|") for line in lines), shown
    coloured, _ = on_terminal(["diff", "gazette/story-000", "v1", "v30"], env, rows=10)
    assert coloured.startswith("|") and "\x1b[" in coloured
    plain, _ = on_terminal(["diff", "gazette/story-000", "v1", "v30"], {**env, "NO_COLOR": "1"}, 10)
    assert plain.startswith("|") and "\x1b[" not in plain


def test_short_output_no_pager_and_pipes_print_straight_out(tmp_path: Path, story: Path) -> None:
    env = environment(story, REVTRACK_PAGER=MARKER)
    short, _ = on_terminal(["log", "gazette/story-000"], env, rows=60)
    assert "|" not in short and short.startswith("gazette/story-000: 30 revision(s)")
    unpaged, _ = on_terminal(["--no-pager", "log", "gazette/story-000"], env, rows=10)
    assert "|" not in unpaged and len(unpaged.splitlines()) > 30
    result = piped(["diff", "gazette/story-000", "v1", "v30"], env)
    assert result.returncode == 0 and result.stdout.startswith("gazette/story-000 v1 → v30")
    assert "|" not in result.stdout[:1] and "\x1b" not in result.stdout
    # $PAGER is the fallback, and `cat` (or nothing) means no pager, as in git
    paged, _ = on_terminal(["log", "gazette/story-000"], environment(story, PAGER=MARKER), 10)
    assert paged.startswith("|")
    for none in ("cat", ""):
        straight, _ = on_terminal(["log", "gazette/story-000"], {**env, "REVTRACK_PAGER": none}, 10)
        assert straight.startswith("gazette/story-000: 30 revision(s)")


@pytest.mark.skipif(shutil.which("less") is None, reason="less is not installed")
def test_less_is_the_default_pager_and_q_quits_it(story: Path) -> None:
    child = pexpect.spawn(
        str(SCRIPT),
        ["audit", "gazette/story-000"],
        env=environment(story),
        dimensions=(10, 100),
        encoding="utf-8",
        timeout=60,
    )
    child.expect("gazette/story-000")
    child.expect(":")  # less's prompt: it waits for the reader
    assert child.isalive()
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
