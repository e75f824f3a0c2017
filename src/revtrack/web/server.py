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

from collections.abc import Callable
from typing import Any

# IPv6 loopback is left out: werkzeug cannot match a bracketed address in TRUSTED_HOSTS.
LOOPBACK = ("127.0.0.1", "localhost")


SERVERS = ("werkzeug", "waitress")
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
    show_paths: bool = False,
    page_cache: bool = True,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve the UI until interrupted; ``ready`` is told the URL once the port is bound.

    Beyond loopback the archive is open to anyone who can reach the port, so any other
    address is refused unless ``public`` says it is meant and a ``token`` guards it.
    """
    from revtrack.errors import InvalidInput

    check_host(host, public=public, token=token or "")
    if server not in SERVERS:
        raise InvalidInput(f"Unknown server {server!r}.", f"Use one of: {', '.join(SERVERS)}.")
    if server == "waitress":
        waitress = _waitress()
    from werkzeug.serving import WSGIRequestHandler, make_server

    class Handler(WSGIRequestHandler):
        # The Server header names no versions a scanner could match against advisories.
        server_version = "revtrack"
        sys_version = ""

        def version_string(self) -> str:
            return "revtrack"

    from revtrack import Revtrack
    from revtrack.web.app import create_app

    rt = Revtrack(db)
    try:
        app = create_app(rt, token=token or None, show_paths=show_paths, page_cache=page_cache)
        if host in LOOPBACK:
            # A page elsewhere could rebind its own name to 127.0.0.1 (DNS rebinding) and read
            # the archive; answering only to loopback names stops that.
            app.config["TRUSTED_HOSTS"] = list(LOOPBACK)
        guarded = " (access token required)" if token else ""
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
