"""CPU seconds and peak memory of this process and every process below it, from /proc.

The import's reader processes are forked by multiprocessing's fork server, a child of this
process: they are grandchildren, never reaped by it, so ``RUSAGE_CHILDREN`` does not see them.
A thread samples ``/proc`` every 50 ms instead and keeps, per process, the largest CPU time
and resident size seen (a process's CPU time only grows, so the last sample before it exits
is at most 50 ms short).
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


def _stat(pid: int) -> tuple[int, float, int] | None:
    """(parent pid, CPU seconds, resident bytes) of one process, None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    # After the name: state, ppid, …; utime and stime are fields 14 and 15 of stat(5),
    # rss (pages) field 24.
    cpu = (int(fields[11]) + int(fields[12])) / _TICK
    return int(fields[1]), cpu, int(fields[21]) * _PAGE


def _processes() -> dict[int, tuple[int, float, int]]:
    """pid -> (parent pid, CPU seconds, resident bytes) of every process."""
    found: dict[int, tuple[int, float, int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None:
                found[int(entry.name)] = stat
    return found


def _children(pid: int) -> list[int] | None:
    """The children of ``pid`` from /proc/PID/task/*/children (None where the kernel has no
    such files: then every process is read, as before)."""
    kids: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    for tid in tasks:
        try:
            kids += [int(k) for k in Path(f"/proc/{pid}/task/{tid}/children").read_text().split()]
        except FileNotFoundError:
            if not Path(f"/proc/{pid}/task/{tid}").exists():
                continue  # the thread ended
            return None
        except OSError:
            continue
    return kids


def _tree(root: int) -> dict[int, tuple[int, float, int]] | None:
    """The stat of ``root`` and every process below it, reading only theirs (a walk of all
    of /proc took 4 ms of the writer's GIL every 50 ms on a busy machine); None when the
    kernel does not list children."""
    found: dict[int, tuple[int, float, int]] = {}
    todo = [root]
    while todo:
        pid = todo.pop()
        stat = _stat(pid)
        if stat is None:
            continue
        found[pid] = stat
        kids = _children(pid)
        if kids is None:
            return None
        todo += kids
    return found


class ProcessTree:
    """``with ProcessTree() as tree: …``, then ``tree.cpu``, ``.rss_own``, ``.rss_others``."""

    def __init__(self) -> None:
        self.me = os.getpid()
        self.cpu_seen: dict[int, float] = {}
        self.rss_seen: dict[int, int] = {}
        self.base: dict[int, float] = {}
        self.own_cost = 0.0  # CPU seconds of the sampling thread itself, left out of .cpu
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        processes = _tree(self.me)
        if processes is None:
            processes = _processes()
            tree = {self.me}
            grew = True
            while grew:
                grew = False
                for pid, (parent, _, _) in processes.items():
                    if parent in tree and pid not in tree:
                        tree.add(pid)
                        grew = True
        else:
            tree = set(processes)
        for pid in tree:
            if pid in processes:
                _, cpu, rss = processes[pid]
                self.cpu_seen[pid] = max(self.cpu_seen.get(pid, 0.0), cpu)
                self.rss_seen[pid] = max(self.rss_seen.get(pid, 0), rss)

    def _run(self) -> None:
        while not self.done.wait(0.05):
            start = time.thread_time()
            self._sample()
            self.own_cost += time.thread_time() - start

    def __enter__(self) -> ProcessTree:
        self._sample()
        self.base = dict(self.cpu_seen)
        self.rss_seen = {}
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.thread.join()
        self._sample()

    @property
    def cpu(self) -> float:
        """CPU seconds used inside the block, by this process and all below it (the sampling
        thread's own, about 6% of a core, left out)."""
        used = sum(cpu - self.base.get(pid, 0.0) for pid, cpu in self.cpu_seen.items())
        return used - self.own_cost

    @property
    def rss_own(self) -> int:
        return self.rss_seen.get(self.me, 0)

    @property
    def rss_others(self) -> list[int]:
        """Peak resident bytes of each process below this one (fork server, readers)."""
        return sorted((v for pid, v in self.rss_seen.items() if pid != self.me), reverse=True)
