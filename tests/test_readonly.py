"""A database this user cannot write is still read: its file opened read-only, writes refused.

An archive kept in a read-only folder (a mounted snapshot, a colleague's copy) must answer
`log`, `show`, `verify` and `export`, and a command that writes must say why it cannot rather
than "attempt to write a readonly database". Permissions mean nothing to root, so when the
tests run as root the commands run as ``nobody`` (through ``setpriv``), in a subprocess,
against a file made 0444 in a folder made 0555 (a writable file in that folder, and a
read-only file in a writable folder, too).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from revtrack import Revtrack

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "ferry"
SCRIPT = Path(sys.executable).parent / "revtrack"


def _as_other_user() -> list[str]:
    """The prefix that runs a command as a user the permissions apply to."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root and setpriv is missing: permissions cannot be tested")
    probe = subprocess.run(
        [setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups", str(SCRIPT), "--version"],
        capture_output=True,
        text=True,
    )
    if probe.returncode != 0:
        pytest.skip(f"revtrack cannot run as nobody here: {probe.stderr.strip()}")
    return [setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


@pytest.fixture
def archive() -> Iterator[Path]:
    """A two-revision database in a folder of its own under /tmp (which nobody can reach)."""
    folder = Path(tempfile.mkdtemp(prefix="revtrack-ro-", dir="/tmp"))
    folder.chmod(0o755)
    db = folder / "archive.db"
    rt = Revtrack(str(db), create=True, actor="tester")
    rt.ingest_text((EXAMPLE / "v1.txt").read_text(), article="ferry", at="2024-03-01T10:00")
    rt.ingest_text((EXAMPLE / "v2.txt").read_text(), article="ferry", at="2024-03-01T12:00")
    rt.close()
    try:
        yield db
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


def run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": "/tmp", "LC_ALL": "C.UTF-8"}
    return subprocess.run(
        [*_as_other_user(), str(SCRIPT), "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("file_mode", "folder_mode", "why"),
    [
        (0o444, 0o555, "the file is read-only for this user"),
        (0o666, 0o555, "its folder is read-only for this user"),
        (0o444, 0o777, "the file is read-only for this user"),
    ],
)
def test_a_database_that_cannot_be_written_is_read_and_refuses_writes(
    archive: Path, file_mode: int, folder_mode: int, why: str
) -> None:
    archive.chmod(file_mode)
    archive.parent.chmod(folder_mode)
    log = run(archive, "log", "ferry")
    assert log.returncode == 0, log.stderr
    assert log.stdout.startswith("ferry: 2 revision(s)\n")
    show = run(archive, "show", "ferry@v1")
    assert show.stdout == (EXAMPLE / "v1.txt").read_text()
    verify = run(archive, "verify")
    assert verify.stdout == "OK: 1 articles, 2 revisions and 2 events verified.\n", verify.stderr
    exported = run(archive, "export")
    assert exported.returncode == 0 and '"type":"head"' in exported.stdout
    for command in (
        ["ingest", str(EXAMPLE / "v3.txt"), "--article", "ferry"],
        ["correct", "ferry", "--note", "The vote was 5-2."],
    ):
        refused = run(archive, *command)
        assert refused.returncode == 1
        assert refused.stderr == (
            f"Error: Cannot write to {archive}: {why} (it was opened read-only). Run it as a "
            "user who can write the file and its folder, or copy the database somewhere "
            "writable; reading commands work as they are.\n"
        )
    archive.parent.chmod(0o755)
    archive.chmod(0o644)
    assert Revtrack(str(archive)).log("ferry").revisions[-1].number == 2  # nothing was added
