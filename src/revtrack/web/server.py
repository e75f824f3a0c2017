"""Running the web UI: werkzeug's threaded server, or waitress for a real deployment.

The default, werkzeug's server (the one Flask is built on), is enough for one person or a
small newsroom on this machine and needs no second package. ``--server waitress`` (the
``web-prod`` extra) is a production WSGI server: a fixed pool of threads, request size
limits, no debug surface; imported only when asked for. Anyone can also mount
:func:`revtrack.web.create_app` in another WSGI server (README). The database is opened
(never created) before the port is bound, so a wrong ``--db`` fails at once with the usual
message instead of on the first request.

Beyond loopback (``--public``) the archive is open to whoever can reach the port, so such a
server needs an access token (:mod:`revtrack.web.access`) or refuses to start, saying how to
put it behind a proxy instead.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

# IPv6 loopback is left out: werkzeug cannot match a bracketed address in TRUSTED_HOSTS.
LOOPBACK = ("127.0.0.1", "localhost")


SERVERS = ("werkzeug", "waitress")
NO_INDEX = (
    "Note: the article search has no index in this database (SQLite without FTS5 trigrams, or "
    "PostgreSQL without pg_trgm for this role), so every search reads all the articles; "
    "after `CREATE EXTENSION pg_trgm` (as an administrator), `revtrack db upgrade` adds it."
)
TOKEN_ENV = "REVTRACK_TOKEN"


def is_loopback(host: str) -> bool:
    return host in LOOPBACK or host in ("::1", "[::1]")


def check_host(host: str, *, public: bool = False, token: str | None = None) -> None:
    """Refuse an address beyond loopback unless ``public`` says it is meant and a token guards it.

    ``token`` is only checked when given (the CLI passes it; a caller checking the address
    alone may leave it out).
    """
    from revtrack.errors import InvalidInput

    if is_loopback(host):
        return
    if not public:
        raise InvalidInput(
            f"Refusing to serve on {host}: beyond this machine anyone who can reach the port "
            "could read the whole archive.",
            f"Pass --public with an access token (--token or {TOKEN_ENV}), or keep --host "
            "127.0.0.1 and put a reverse proxy with authentication in front of it.",
        )
    if token is not None and not token:
        raise InvalidInput(
            f"Refusing to serve on {host} without an access token.",
            f"Pass --token TOKEN or set {TOKEN_ENV} (every request must then carry it), or "
            "keep --host 127.0.0.1 and put a reverse proxy with authentication in front of "
            "it (e.g. nginx with auth_basic, proxy_pass http://127.0.0.1:8765).",
        )


def url_for_address(host: str, port: int) -> str:
    """``http://127.0.0.1:8765/``; IPv6 hosts get their brackets."""
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}/"


def serve(
    db: str | None,
    host: str = "127.0.0.1",
    port: int = 8765,
    *,
    public: bool = False,
    token: str | None = None,
    server: str = "werkzeug",
    threads: int = 8,
    processes: int = 1,
    show_paths: bool = False,
    page_cache: bool = True,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve the UI until interrupted; ``ready`` is told the URL once the port is bound.

    Beyond loopback the archive is open to anyone who can reach the port, so any other
    address is refused unless ``public`` says it is meant and a ``token`` guards it.
    ``processes`` above 1 (waitress only) forks that many servers on one listening socket.
    """
    from revtrack.errors import InvalidInput

    check_host(host, public=public, token=token or "")
    if server not in SERVERS:
        raise InvalidInput(f"Unknown server {server!r}.", f"Use one of: {', '.join(SERVERS)}.")
    if processes > 1 and server != "waitress":
        raise InvalidInput(
            "--processes needs --server waitress.", "Add --server waitress, or leave it out."
        )
    if processes > 1 and not hasattr(os, "fork"):
        raise InvalidInput(
            "--processes needs a system that can fork (Linux, macOS, BSD).",
            "Run one server per port behind a proxy instead, or leave out --processes.",
        )
    if server == "waitress":
        waitress = _waitress()
    check_can_listen(host, port)
    from werkzeug.serving import WSGIRequestHandler, make_server

    class Handler(WSGIRequestHandler):
        # The Server header names no versions a scanner could match against advisories.
        server_version = "revtrack"
        sys_version = ""

        def version_string(self) -> str:
            return "revtrack"

    from revtrack import Revtrack

    rt = Revtrack(db)
    if ready is not None and rt.search_method() is None:
        told = ready

        def ready(message: str) -> None:  # the address first, then what is missing
            told(message)
            told(NO_INDEX)

    guarded = " (access token required)" if token else ""
    settings = {"token": token or None, "show_paths": show_paths, "page_cache": page_cache}
    if processes > 1:
        where = rt.store.display_url
        rt.close()  # each process opens its own: a database connection must not cross a fork
        _prefork(waitress, db, host, port, processes, threads, settings, where, guarded, ready)
        return
    try:
        app = _app(rt, host, settings)
        if server == "waitress":
            wsgi = waitress.create_server(
                app, host=host, port=port, threads=threads, ident="revtrack"
            )
            if ready is not None:
                url = url_for_address(host, int(wsgi.effective_port))
                ready(f"Serving {rt.store.display_url} read-only{guarded} with waitress at {url}")
            try:
                wsgi.run()
            except KeyboardInterrupt:
                pass
            finally:
                wsgi.close()
            return
        httpd = make_server(host, port, app, threaded=True, request_handler=Handler)
        if ready is not None:
            url = url_for_address(host, httpd.port)
            ready(f"Serving {rt.store.display_url} read-only{guarded} at {url}")
        httpd.serve_forever()  # returns on Ctrl-C (werkzeug catches KeyboardInterrupt)
    finally:
        rt.close()


def check_can_listen(host: str, port: int) -> None:
    """Refuse, in revtrack's words, an address this machine cannot listen on (a port another
    program holds, a host that is not one of its addresses) before the server tries: werkzeug
    would print its own two lines and exit, waitress raise a bare OSError. Port 0 is always
    free. The probe sets SO_REUSEADDR as both servers do, so a port in TIME_WAIT passes."""
    from revtrack.errors import InvalidInput

    if port == 0:
        return
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host.strip("[]"), port))
    except OSError as exc:
        where = url_for_address(host, port).removeprefix("http://").rstrip("/")
        taken = getattr(exc, "errno", None) in (errno.EADDRINUSE, errno.EACCES)
        raise InvalidInput(
            f"Cannot listen on {where}: {exc.strerror or exc}.",
            "Give another --port (0 picks a free one), or stop the program that holds it."
            if taken
            else "Give --host one of this machine's addresses (127.0.0.1 by default).",
        ) from None


def _app(rt: Any, host: str, settings: dict[str, Any]) -> Any:
    from revtrack.web.app import create_app

    app = create_app(rt, **settings)
    if host in LOOPBACK:
        # A page elsewhere could rebind its own name to 127.0.0.1 (DNS rebinding) and read
        # the archive; answering only to loopback names stops that.
        app.config["TRUSTED_HOSTS"] = list(LOOPBACK)
    return app


def _prefork(
    waitress: Any,
    db: str | None,
    host: str,
    port: int,
    processes: int,
    threads: int,
    settings: dict[str, Any],
    where: str,
    guarded: str,
    ready: Callable[[str], None] | None,
) -> None:
    """``processes`` waitress servers accepting on one socket, bound here before the forks.

    One Python process runs Python on one core at a time (the GIL), so on a machine of N
    cores N processes serve up to N times the requests a single one can. Each opens its own
    database connection and keeps its own answers; whichever is idle accepts the next
    connection (the kernel wakes them all, one wins, the others go back to waiting). This
    process only watches: it starts a new server if one dies, and stops them all on Ctrl-C
    or SIGTERM; they die with it (on Linux the kernel tells them, elsewhere they check).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.create_server((host.strip("[]"), port), family=family, backlog=1024)
    children: dict[int, float] = {}
    stopping = False

    def start() -> None:
        pid = os.fork()
        if pid:
            children[pid] = time.monotonic()
            return
        code = 0
        try:
            _die_with_parent()
            from revtrack import Revtrack

            app = _app(Revtrack(db), host, settings)
            wsgi = waitress.create_server(app, sockets=[sock], threads=threads, ident="revtrack")
            wsgi.run()
        except KeyboardInterrupt:
            pass
        except BaseException:
            import traceback

            traceback.print_exc()
            code = 1
        finally:
            os._exit(code)

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        for _ in range(processes):
            start()
        if ready is not None:
            url = url_for_address(host, int(sock.getsockname()[1]))
            ready(
                f"Serving {where} read-only{guarded} with waitress ({processes} processes) at {url}"
            )
        while children:
            pid, _status = os.wait()
            began = children.pop(pid, None)
            if began is not None and not stopping and time.monotonic() - began > 1.0:
                start()  # a server that ran a while died: replace it
    except KeyboardInterrupt:
        pass
    finally:
        stopping = True
        signal.signal(signal.SIGTERM, previous)
        _stop_all(children)
        sock.close()


def _stop_all(children: dict[int, float]) -> None:
    for pid in children:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 5
    for pid in list(children):
        while time.monotonic() < deadline:
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                break
            if done:
                break
            time.sleep(0.05)
        else:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass


def _die_with_parent() -> None:
    """A forked server ends with the process that forked it (as the import's readers do,
    service/lifeline.py, which the web layer may not import): SIGKILL from the kernel on
    Linux, and everywhere a thread that checks the parent once a second."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="revtrack-parent-watch").start()


def _waitress() -> Any:
    """waitress, imported on use: it is an optional extra."""
    from revtrack.errors import InvalidInput

    try:
        import waitress
    except ImportError:
        raise InvalidInput(
            "--server waitress needs the waitress package, which is not installed.",
            "Install it with: pip install 'revtrack[web-prod]' (or leave out --server).",
        ) from None
    return waitress
