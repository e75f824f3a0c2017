"""Reader processes that die with the importer that started them.

A bulk import reads and analyses documents in reader processes (see
:mod:`revtrack.service.bulk`). If the importer is killed (SIGKILL, the OOM killer, a closed
terminal's hang-up escalated), nothing tells them: they went on waiting for work that would
never come, and kept multiprocessing's resource tracker alive with them. Each reader is
therefore tied to its parent as it starts: on Linux the kernel sends it SIGKILL when the
parent dies (``PR_SET_PDEATHSIG``); everywhere, a daemon thread checks once a second that the
parent is still its parent and exits when it is not. A reader holds nothing that needs
cleaning up (its results go back through the pool), so exiting at once is right.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1
CHECK_EVERY_S = 1.0


def tie_to_parent(importer: int) -> None:
    """A reader process's initializer: exit when the process that forked it is gone.

    That is ``importer`` itself, or, when readers are forked from a fork server
    (:mod:`revtrack.service.reader_pool`), the server, which exits as soon as the importer's
    end of its pipe closes — so the importer's death reaches the readers either way.
    """
    parent = os.getppid()
    if parent == 1 or (parent != importer and _is_gone(importer)):
        os._exit(1)  # orphaned before the kernel was told to watch
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no libc to ask: the thread below still watches
            pass
    if os.getppid() != parent:  # the parent died before the kernel was told to watch
        os._exit(1)
    watcher = threading.Thread(
        target=_watch, args=(parent, importer), name="revtrack-parent-watch", daemon=True
    )
    watcher.start()


def _watch(parent: int, importer: int) -> None:
    # The importer is watched by pid as well: a fork server outlives it while any reader holds
    # the server's "alive" pipe, which every reader forked from it does.
    while True:
        time.sleep(CHECK_EVERY_S)
        if os.getppid() != parent or _is_gone(importer):
            os._exit(1)


def _is_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
