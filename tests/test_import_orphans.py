"""An import killed with SIGKILL leaves no reader process (nor resource tracker) behind.

Before, its reader processes waited for work forever and kept multiprocessing's resource
tracker alive with them. The test starts a real `revtrack import --jobs 2` of a corpus large
enough to be still running, waits until its readers are up, kills the importer outright and
then waits (a bounded liveness wait, not a timing) for every child it had to be gone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).parent / "revtrack"
PARAGRAPH = (
    "The council voted {n} to {m} on Tuesday to open a ferry route linking the town with "
    "the outer islands, ending a decade of debate over how residents reach the mainland.\n\n"
)


def _corpus(root: Path, documents: int = 200, versions: int = 4) -> Path:
    for d in range(documents):
        folder = root / "corpus" / f"story-{d:03}"
        folder.mkdir(parents=True)
        for v in range(1, versions + 1):
            body = "".join(PARAGRAPH.format(n=i + v, m=d) for i in range(150))
            (folder / f"v{v:03}.txt").write_text(body)
    return root / "corpus"


def _children(pid: int) -> set[int]:
    """Processes whose parent is ``pid`` (from /proc: Linux only, like the fix's main path)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # the command may hold spaces and parentheses: fields start after the last ")"
        fields = stat[stat.rfind(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.add(int(entry.name))
    return found


def _descendants(pid: int) -> set[int]:
    """Children, and theirs: readers forked from a fork server are the importer's grandchildren."""
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        below = set().union(*(_children(p) for p in frontier)) - found
        found |= below
        frontier = below
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rfind(")") + 2 :].split()[0] != "Z"  # a zombie has exited


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to find children")
def test_readers_exit_when_the_importer_is_killed(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("REVTRACK_")}
    env["REVTRACK_DATABASE_URL"] = str(tmp_path / "import.db")
    importer = subprocess.Popen(
        [str(SCRIPT), "import", str(corpus), "--jobs", "2", "--batch-size", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        children: set[int] = set()
        # two readers and the resource tracker (and the fork server the readers come from)
        while len(children) < 3 and time.monotonic() < deadline and importer.poll() is None:
            children |= _descendants(importer.pid)
            time.sleep(0.05)
        assert importer.poll() is None, "the import ended before its readers could be seen"
        assert len(children) >= 2, children
        time.sleep(0.5)  # let the readers take work
        importer.send_signal(signal.SIGKILL)
        importer.wait()
        deadline = time.monotonic() + 15
        while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [pid for pid in children if _alive(pid)] == []
    finally:
        if importer.poll() is None:
            importer.kill()
